"""Smoothed-earnings view with a growth term, the growth decomposition and Sharpe intervals.

References are synthetic series with known truth: earnings growing at exactly 2% a year in
real terms (so the 20-year trend of ten-year-average real earnings is 2.000%), and excess
returns whose Sharpe ratio is known; Lo (2002) coverage by simulation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.ddm import growth_price_decomposition, price_decomposition
from ustpull.crossasset.stocks_sharpe import sharpe_interval
from ustpull.crossasset.stocks_valuation import SmoothedValuation
from ustpull.errors import DataError


def _yields(months: int = 480) -> tuple[pd.DataFrame, pd.Series]:
    index = pd.date_range("1980-01-01", periods=months, freq="MS")
    t = np.arange(months) / 12.0
    cpi = pd.Series(100.0 * np.exp(0.03 * t), index=index)  # 3% inflation
    earnings = 10.0 * np.exp(0.05 * t)  # nominal 5% = real 2% (log)
    price = 200.0 * np.exp(0.05 * t + 0.1 * np.sin(t))
    frame = pd.DataFrame(
        {
            "price": price,
            "earnings": earnings,
            "earnings_yield": 100.0 * earnings / price,
            "real_yield": 1.0 + 0.5 * np.cos(t),
        },
        index=index,
    )
    return frame, cpi


def test_growth_term_equals_the_known_real_growth() -> None:
    frame, cpi = _yields()
    fit = SmoothedValuation(frame, cpi).fit([("window", "2015-01", "2018-06")])
    yields = fit.yields
    # E10 and g need 10 + 20 years: the view starts in 2009-12 (month 360)
    assert yields.index[0] == pd.Timestamp("2009-12-01")
    assert yields["growth"].to_numpy() == pytest.approx(2.0, abs=1e-9)
    assert yields["erp_growth"].to_numpy() == pytest.approx(
        (yields["earnings_yield_10y"] - yields["real_yield"] + 2.0).to_numpy(), abs=1e-12
    )
    row = fit.episodes.loc["window"]
    parts = row[["earnings", "real_rate", "growth", "risk_premium"]].astype(float)
    assert float(parts.sum()) == pytest.approx(float(row["total"]), abs=1e-12)
    assert row["growth"] == pytest.approx(0.0, abs=1e-9)  # g constant: no growth part
    assert "E10/P" in fit.summary()


def test_growth_decomposition_adds_up_and_moves_only_the_residual() -> None:
    price = np.array([100.0, 90.0])
    earnings = np.array([5.0, 5.5])
    real = np.array([1.0, 2.0])
    growth = np.array([2.0, 2.5])
    start, end = np.array([0]), np.array([1])
    with_g = growth_price_decomposition(price, earnings, real, growth, start, end)
    without = price_decomposition(price, earnings, real, start, end)
    total = sum(with_g[k] for k in ("earnings", "real_rate", "growth", "risk_premium"))
    assert total == pytest.approx(np.log(0.9), abs=1e-14)
    # the growth part is dg / L(EY0, EY1): EY 5% -> 6.111%, L = 1.111 / ln(1.2222)
    weight = (100 * 5.5 / 90 - 5.0) / np.log((100 * 5.5 / 90) / 5.0)
    assert with_g["growth"][0] == pytest.approx(0.5 / weight, rel=1e-12)
    assert with_g["real_rate"][0] == without["real_rate"][0]
    assert with_g["risk_premium"][0] == pytest.approx(
        without["risk_premium"][0] - with_g["growth"][0], abs=1e-15
    )


def test_smoothed_view_refuses_missing_columns() -> None:
    frame, cpi = _yields()
    with pytest.raises(DataError, match="lack"):
        SmoothedValuation(frame.drop(columns="real_yield"), cpi)
    with pytest.raises(DataError, match="fewer than two months"):
        SmoothedValuation(frame.iloc[:300], cpi.iloc[:300]).fit()


def test_sharpe_interval_matches_lo_2002() -> None:
    excess = pd.Series([0.02, -0.01] * 18, name="x")  # mean 0.005, sd 0.015213 (ddof 1)
    result = sharpe_interval(excess)
    per_month = 0.005 / excess.std()
    assert result["sharpe"] == pytest.approx(np.sqrt(12) * per_month, rel=1e-12)
    assert result["std_err"] == pytest.approx(
        np.sqrt(12) * np.sqrt((1 + 0.5 * per_month**2) / 36), rel=1e-12
    )
    # Student-t critical value on 35 degrees of freedom (scipy.stats.t.ppf(0.975, 35))
    assert result["ci_low"] == pytest.approx(result["sharpe"] - 2.030108 * result["std_err"])
    with pytest.raises(DataError, match="need 3 that vary"):
        sharpe_interval(pd.Series([0.01] * 10, name="flat"))


def test_sharpe_interval_coverage_by_simulation() -> None:
    # 1000 series of 36 i.i.d. normal monthly excess returns with true monthly SR 0.2
    rng = np.random.default_rng(7)
    true = np.sqrt(12) * 0.2
    hits = 0
    for draw in rng.normal(0.2 * 0.04, 0.04, size=(1000, 36)):
        result = sharpe_interval(pd.Series(draw))
        hits += result["ci_low"] <= true <= result["ci_high"]
    assert 0.92 <= hits / 1000 <= 0.98
