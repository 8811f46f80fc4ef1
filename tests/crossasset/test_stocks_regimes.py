"""The stock-bond regimes of the stocks study (issue 16, point 3) on the real shared data.

Inputs: daily S&P 500 log price returns and exact GSW 10-year zero returns (1971-08..2023-07,
``tests/crossasset/_real.py``), their monthly sums, and FRED CPIAUCSL. The reference values
come from the crossasset models run directly (Pearson correlations by pandas, the difference of
two of them, the Bai-Perron breaks of ``test_breaks.py``), so the wiring is checked, not re-fitted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import read_series, stock_bond_daily_returns
from ustpull.crossasset.stocks_correlation import DEFAULT_ERAS
from ustpull.crossasset.stocks_regimes import StockBondRegimes, StockBondRegimesResults
from ustpull.errors import DataError


@pytest.fixture(scope="module")
def daily(shared_data: Path) -> pd.DataFrame:
    return stock_bond_daily_returns(shared_data).loc["1971-08-17":]


@pytest.fixture(scope="module")
def fitted(daily: pd.DataFrame, shared_data: Path) -> StockBondRegimesResults:
    monthly = daily.groupby(daily.index.to_period("M")).sum()
    monthly.index = monthly.index.to_timestamp("M")
    cpi = read_series(shared_data / "macro/CPIAUCSL.csv")
    return StockBondRegimes(daily, monthly, cpi, eras=DEFAULT_ERAS, window=252).fit(
        replications=499
    )


def test_era_correlations_are_the_eras_pearson_correlations_with_intervals(
    daily: pd.DataFrame, fitted: StockBondRegimesResults
) -> None:
    table = fitted.era_correlations
    assert list(table.index) == [label for label, _, _ in DEFAULT_ERAS]
    for label, start, end in DEFAULT_ERAS:
        part = daily.loc[start:end]
        row = table.loc[label]
        assert row["correlation"] == pytest.approx(part["sp500"].corr(part["gsw10y"]), abs=1e-12)
        assert row["n"] == len(part)
        assert row["ci_low"] < row["correlation"] < row["ci_high"]
    # 2000-2007: -0.277 [-0.339, -0.213] by HAC on these data (1996 days)
    assert table.loc["2000-2007", "correlation"] == pytest.approx(-0.277, abs=0.002)
    assert table.loc["2000-2007", "ci_low"] == pytest.approx(-0.339, abs=0.01)
    # the GSW file ends in 2023-07, so the 2020 era is short: its interval includes zero
    recent = table.loc["2020-latest"]
    assert recent["ci_low"] < 0.0 < recent["ci_high"] or recent["ci_high"] < 0.0


def test_difference_is_recent_minus_2000_2019_with_enough_blocks(
    daily: pd.DataFrame, fitted: StockBondRegimesResults
) -> None:
    before, recent = daily.loc["2000":"2019"], daily.loc["2020":]
    expected = recent["sp500"].corr(recent["gsw10y"]) - before["sp500"].corr(before["gsw10y"])
    diff = fitted.difference
    assert diff.estimate == pytest.approx(expected, abs=1e-12)
    assert diff.method == "stationary"
    assert diff.n_blocks is not None and min(diff.n_blocks) >= 10.0
    assert diff.ci_low < diff.estimate < diff.ci_high
    assert fitted.before.estimate == pytest.approx(
        before["sp500"].corr(before["gsw10y"]), abs=1e-12
    )


def test_latest_window_is_the_last_rolling_value(
    daily: pd.DataFrame, fitted: StockBondRegimesResults
) -> None:
    rolling = daily["sp500"].rolling(252).corr(daily["gsw10y"])
    assert fitted.latest_window.estimate == pytest.approx(float(rolling.iloc[-1]), abs=1e-10)
    assert fitted.latest_window.nobs == (252,)


def test_breaks_regimes_dcc_and_thresholds(fitted: StockBondRegimesResults) -> None:
    breaks = fitted.breaks.breaks.set_index("break_date")
    # the sign change of test_breaks.py: 1997-09 (95% CI 1997-02..1998-04), shift -0.546
    assert pd.Timestamp("1997-09-30") in breaks.index
    assert breaks.loc["1997-09-30", "shift"] == pytest.approx(-0.546, abs=0.001)
    regimes = fitted.regimes.regimes
    # one regime with a negative correlation, one with a positive, each interval on its side
    assert regimes["corr_ci_high"].iloc[0] < 0.0 < regimes["corr_ci_low"].iloc[-1]
    assert (regimes["expected_duration"] > 4.0).all()  # weeks: regimes persist
    dcc = fitted.dcc_correlation
    assert dcc.index[0] >= pd.Timestamp("1990-01-01")
    assert np.all(np.abs(dcc.to_numpy()) < 1.0)
    assert (
        fitted.dcc.params.loc["dcc.a", "estimate"] + fitted.dcc.params.loc["dcc.b", "estimate"]
        < 1.0
    )
    table = fitted.thresholds.table
    assert list(table.index) == [2.0, 2.5, 3.0, 3.5, 4.0]
    assert (table["difference_ci_low"] < table["difference"]).all()
    payload = fitted.to_dict()
    assert payload["dcc_latest"]["value"] == pytest.approx(float(dcc.iloc[-1]))
    assert "Bai-Perron" in fitted.summary()


def test_bad_inputs_are_refused(daily: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="two return columns"):
        StockBondRegimes(daily[["sp500"]], daily, pd.Series(dtype=float), eras=DEFAULT_ERAS)
