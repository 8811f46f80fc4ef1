"""Inflation-threshold correlations: known truth and the real 1971-2023 table."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import read_series, stock_bond_daily_returns
from ustpull.crossasset.inflation_threshold import InflationThreshold
from ustpull.errors import DataError


def test_recovers_state_correlations_and_uses_the_lagged_cpi() -> None:
    months = pd.date_range("1970-01-31", periods=600, freq="ME")
    # inflation alternates 1% / 5% in 5-year spells
    inflation = np.where((np.arange(600) // 60) % 2 == 0, 1.0, 5.0)
    cpi = pd.Series(100.0 * (1 + inflation / 100.0) ** (np.arange(600) / 12.0), index=months)
    # regime by the CPI inflation of the previous month (lag 1); yoy known after 12 months
    yoy = 100 * (cpi / cpi.shift(12) - 1)
    high = (yoy.shift(1) > 3.0).to_numpy()
    rng = np.random.default_rng(0)
    z1, z2 = rng.standard_normal((2, 600))
    rho = np.where(high, 0.5, -0.5)
    returns = pd.DataFrame({"stock": z1, "bond": rho * z1 + np.sqrt(1 - rho**2) * z2}, index=months)
    res = InflationThreshold(returns, cpi, thresholds=[3.0]).fit()
    row = res.table.loc[3.0]
    assert row["corr_low"] == pytest.approx(-0.5, abs=0.08)
    assert row["corr_high"] == pytest.approx(0.5, abs=0.08)
    assert row["difference_ci_low"] > 0.7
    assert row["n_low"] + row["n_high"] == len(yoy.shift(1).dropna())


def test_real_thresholds(shared_data: Path) -> None:
    daily = stock_bond_daily_returns(shared_data)
    monthly = daily.groupby(daily.index.to_period("M")).sum()
    monthly.index = monthly.index.to_timestamp(how="end").normalize()
    cpi = read_series(shared_data / "macro/CPIAUCSL.csv")
    res = InflationThreshold(monthly, cpi).fit()
    table = res.table
    # 624 months 1971-08..2023-07; HAC intervals. Above every threshold the correlation is
    # positive and significant; below, negative but not significant; the difference is
    # significant at all five thresholds (3%: -0.108 vs +0.250, difference 0.358 [0.136, 0.581])
    assert list(table.index) == [2.0, 2.5, 3.0, 3.5, 4.0]
    assert (table["n_low"] + table["n_high"] == 624).all()
    assert table.loc[3.0, "corr_low"] == pytest.approx(-0.108, abs=0.001)
    assert table.loc[3.0, "corr_high"] == pytest.approx(0.250, abs=0.001)
    assert table.loc[3.0, "difference_ci_low"] == pytest.approx(0.136, abs=0.002)
    assert (table["corr_high_ci_low"] > 0).all()
    assert (table["corr_low_ci_low"] < 0).all() and (table["corr_low_ci_high"] > 0).all()
    assert (table["difference_ci_low"] > 0).all()
    assert "HAC" in res.summary()
    res.plot()


def test_too_few_months_on_one_side() -> None:
    months = pd.date_range("2000-01-31", periods=60, freq="ME")
    cpi = pd.Series(100.0 * 1.02 ** (np.arange(60) / 12), index=months)
    returns = pd.DataFrame(np.random.default_rng(0).standard_normal((60, 2)), index=months)
    with pytest.raises(DataError, match="only 0 returns"):
        InflationThreshold(returns, cpi, thresholds=[3.0]).fit()
