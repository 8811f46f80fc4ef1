"""Bivariate regime switching: recovery by simulation and the real stock-bond regimes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import stock_bond_daily_returns
from tests.crossasset._simulate import markov_pairs
from ustpull.crossasset.dcc import DCCGarch
from ustpull.crossasset.regimes import RegimeSwitchingCorrelation
from ustpull.errors import DataError


def test_recovers_regime_correlations_and_durations() -> None:
    returns, states = markov_pairs(
        2000, stay=(0.98, 0.97), rho=(-0.5, 0.4), vol=((1.0, 0.5), (2.0, 0.8)), seed=0
    )
    frame = pd.DataFrame(
        returns, index=pd.bdate_range("2000-01-03", periods=2000), columns=["a", "b"]
    )
    res = RegimeSwitchingCorrelation(frame).fit()
    table = res.regimes
    assert table["correlation"].to_numpy() == pytest.approx([-0.5, 0.4], abs=0.06)
    assert table["stay_probability"].to_numpy() == pytest.approx([0.98, 0.97], abs=0.01)
    # true expected durations 50 and 33.3 periods lie inside the 95% intervals
    for regime, duration in enumerate((50.0, 1 / 0.03)):
        assert (
            table.loc[regime, "duration_ci_low"]
            <= duration
            <= table.loc[regime, "duration_ci_high"]
        )
        low, high = table.loc[regime, ["corr_ci_low", "corr_ci_high"]]
        assert low <= (-0.5, 0.4)[regime] <= high
    # smoothed probabilities classify >= 95% of periods correctly
    guess = res.smoothed_probabilities[1].to_numpy() > 0.5
    assert np.mean(guess == (states == 1)) > 0.95
    assert res.transition.sum(axis=0).to_numpy() == pytest.approx([1.0, 1.0])


def test_real_weekly_stock_bond_regimes(shared_data: Path) -> None:
    daily = stock_bond_daily_returns(shared_data)
    # devolatilise with each series' GARCH(1,1) volatility, so the regimes are about correlation
    volatility = DCCGarch(daily).fit().conditional_volatility
    standardised = (daily - daily.mean()) / volatility
    week = standardised.index.to_period("W-FRI")
    weekly = standardised.groupby(week).sum()
    weekly.index = weekly.index.to_timestamp(how="end").normalize()
    res = RegimeSwitchingCorrelation(weekly).fit()
    table = res.regimes
    # 2708 weeks 1971-08..2023-07: a negative-correlation regime (-0.56, 95% CI -0.63..-0.48,
    # expected duration 25 weeks) and a positive one (+0.36, CI 0.30..0.41, 50 weeks)
    assert table["correlation"].to_numpy() == pytest.approx([-0.562, 0.360], abs=0.01)
    assert table.loc[0, "corr_ci_high"] < 0.0 < table.loc[1, "corr_ci_low"]
    assert table["expected_duration"].to_numpy() == pytest.approx([25.2, 49.6], abs=1.0)
    by_year = res.smoothed_probabilities[0].groupby(res.smoothed_probabilities.index.year).mean()
    assert by_year.loc[1981:1996].max() < 0.15  # the positive-correlation era
    assert by_year.loc[[2002, 2009, 2011, 2012]].min() > 0.9
    assert "2 regimes" in res.summary()
    res.plot()


def test_bad_inputs_are_refused() -> None:
    dates = pd.bdate_range("2000-01-03", periods=50)
    with pytest.raises(DataError, match="two return columns"):
        RegimeSwitchingCorrelation(pd.DataFrame({"a": np.ones(50)}, index=dates))
    with pytest.raises(DataError, match="need 100"):
        RegimeSwitchingCorrelation(pd.DataFrame({"a": np.ones(50), "b": 1.0}, index=dates))
