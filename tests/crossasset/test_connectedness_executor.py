"""Rolling connectedness in blocks of windows: the same bits on every executor."""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import pandas as pd
import pytest

from tests.crossasset.test_connectedness import simulate_var
from ustpull.crossasset.connectedness import Connectedness, RollingConnectednessResults
from ustpull.errors import DataError, FitError

WINDOW = 100


@pytest.fixture(scope="module")
def changes() -> pd.DataFrame:
    """700 days of the known VAR(2) of four markets: 601 windows of 100 days."""
    return simulate_var(700, seed=11)


@pytest.fixture(scope="module")
def serial_blocks(changes: pd.DataFrame) -> RollingConnectednessResults:
    """Five blocks (4 x 128 windows + 89), run in this process."""
    return Connectedness(changes, lags=2, horizon=10).fit_rolling(WINDOW, chunk_size=128)


def _arrays(results: RollingConnectednessResults) -> list[np.ndarray]:
    return [
        results.total.to_numpy(),
        results.to_others.to_numpy(),
        results.from_others.to_numpy(),
        results.net.to_numpy(),
    ]


def test_blocks_match_the_single_stacked_fit(
    changes: pd.DataFrame, serial_blocks: RollingConnectednessResults
) -> None:
    """Reference: all 601 windows in one stacked solve; blocks differ only by rounding
    (each block is centred on its own mean before the cumulative sums)."""
    stacked = Connectedness(changes, lags=2, horizon=10).fit_rolling(WINDOW)
    assert serial_blocks.total.index.equals(stacked.total.index)
    assert len(serial_blocks.total) == 601
    for ours, reference in zip(_arrays(serial_blocks), _arrays(stacked), strict=True):
        np.testing.assert_allclose(ours, reference, rtol=0.0, atol=1e-10)
    # population spillover of this VAR is moderate; window estimates stay in a sane band
    assert 10.0 < float(serial_blocks.total.median()) < 60.0


@pytest.mark.parametrize("executor_fixture", ["process_executor", "dask_executor"])
def test_blocks_are_bit_identical_on_every_executor(
    executor_fixture: str,
    changes: pd.DataFrame,
    serial_blocks: RollingConnectednessResults,
    request: pytest.FixtureRequest,
) -> None:
    executor: Executor = request.getfixturevalue(executor_fixture)
    parallel = Connectedness(changes, lags=2, horizon=10).fit_rolling(
        WINDOW, chunk_size=128, executor=executor
    )
    assert parallel.total.index.equals(serial_blocks.total.index)
    for ours, reference in zip(_arrays(parallel), _arrays(serial_blocks), strict=True):
        np.testing.assert_array_equal(ours, reference)


def test_singular_window_in_a_later_block_is_named(
    changes: pd.DataFrame, process_executor: Executor
) -> None:
    """A market frozen on rows 450..599 (the fourth and fifth blocks): the error names the
    first singular window and the flat market, whichever process found it.

    By hand: window ``w`` (rows ``w..w+99``) has a constant lag-1 regressor of ``fr`` (rows
    ``w+1..w+98``) for ``w`` in 449..501 and a constant lag-2 one (rows ``w..w+97``) for
    ``w`` in 450..502: windows 449..502, 54 of them, the first starting on row 449.
    """
    frozen = changes.copy()
    frozen.iloc[450:600, 2] = 0.0
    model = Connectedness(frozen, lags=2, horizon=10)
    first = f"{frozen.index[449]:%Y-%m-%d}..{frozen.index[548]:%Y-%m-%d}"
    with pytest.raises(
        FitError, match=rf"singular VAR\(2\) on {first} \(constant: fr\); 54 window"
    ):
        model.fit_rolling(WINDOW, chunk_size=128, executor=process_executor)


def test_bad_chunk_size(changes: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="chunk_size must be at least 1 window, got 0"):
        Connectedness(changes).fit_rolling(WINDOW, chunk_size=0)
