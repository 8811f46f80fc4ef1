"""Published comparisons: NY Fed check values, the fidelity table, Kim-Wright statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.termpremium.published import (
    NYFED_ACM_CHECKS,
    compare_series,
    fidelity_table,
    nyfed_gaps,
)


def _published_frame(shift_bp: float) -> pd.DataFrame:
    """Month-ends 1961-2025 whose 2- and 10-year columns are the published values + shift."""
    index = pd.date_range("1961-06-30", "2025-09-30", freq="ME")
    frame = pd.DataFrame(0.0, index=index, columns=[24, 120])
    for row in NYFED_ACM_CHECKS.itertuples():
        frame.loc[row.month, 12 * row.years] = row.published + shift_bp / 100
    return frame


def test_gaps_and_table_by_decade() -> None:
    gaps = nyfed_gaps(_published_frame(2.5))
    assert len(gaps) == 18
    np.testing.assert_allclose(gaps["gap_bp"], 2.5, atol=1e-9)
    table = fidelity_table(gaps)
    assert table.loc["all", ("rms_bp", 10)] == 2.5
    assert table.loc["all", ("n", 10)] == 12
    assert table.loc["2020s", ("n", 10)] == 3
    assert table.loc["1970s", ("n", 2)] == 1
    assert np.isnan(table.loc["1960s", ("rms_bp", 2)])
    assert list(table.index) == [
        "1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "2020s", "all"
    ]  # fmt: skip


def test_gaps_need_a_check_month() -> None:
    frame = pd.DataFrame({120: [0.1]}, index=pd.DatetimeIndex(["1962-01-31"]))
    with pytest.raises(DataError, match="none of the NY Fed check months"):
        nyfed_gaps(frame)


def test_compare_series_on_month_ends() -> None:
    days = pd.bdate_range("2020-01-01", "2020-12-31")
    theirs = pd.Series(np.linspace(0.0, 1.0, len(days)), index=days)
    ours = theirs + 0.1
    ours.iloc[-1] = np.nan  # the last month-end of ours is its previous business day
    stats = compare_series(ours, theirs, name="kw")
    assert stats["months"] == 12
    assert stats["first"] == "2020-01" and stats["last"] == "2020-12"
    assert stats["correlation"] == pytest.approx(1.0, abs=1e-3)
    assert stats.name == "kw"
    with pytest.raises(DataError, match="fewer than 3 common months with kw"):
        compare_series(ours.iloc[:30], theirs.iloc[-30:], name="kw")
