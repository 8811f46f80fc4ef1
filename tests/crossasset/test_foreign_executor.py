"""Per-country term-premium models as work units: the same bits on every executor."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.sources.local import load_frame
from ustpull.studies.term_premia import linkage_series_ids, term_premium_decompositions

COUNTRIES = ("US", "EA", "AU")


@pytest.fixture(scope="module")
def serial(shared_data: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    data = load_frame(linkage_series_ids(COUNTRIES), shared_data)
    return data, term_premium_decompositions(data, COUNTRIES)[0]


def test_serial_decompositions_add_up(
    serial: tuple[pd.DataFrame, dict[str, pd.DataFrame]],
) -> None:
    """Identity: the 10-year yield is the expected rate plus the term premium, each month."""
    _, frames = serial
    assert list(frames) == ["us", "ea", "au"]
    for frame in frames.values():
        np.testing.assert_allclose(
            frame["yield"], frame["expected_rate"] + frame["term_premium"], atol=1e-12
        )
    # the ECB AAA curve starts 2004-09: monthly changes from the next month-end
    assert frames["ea"].index[0] >= pd.Timestamp("2004-09-01")


@pytest.mark.parametrize("executor_fixture", ["process_executor", "dask_executor"])
def test_countries_are_bit_identical_on_every_executor(
    executor_fixture: str,
    serial: tuple[pd.DataFrame, dict[str, pd.DataFrame]],
    request: pytest.FixtureRequest,
) -> None:
    executor: Executor = request.getfixturevalue(executor_fixture)
    data, reference = serial
    parallel, _, _ = term_premium_decompositions(data, COUNTRIES, executor=executor)
    assert list(parallel) == list(reference)
    for code, frame in parallel.items():
        pd.testing.assert_frame_equal(frame, reference[code], check_exact=True)
