"""60/40 portfolio: total returns, par-bond repricing, drawdowns, diversification (closed forms)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.portfolio import (
    SixtyForty,
    max_drawdown,
    par_bond_returns,
    risk_free_monthly,
    rolling_max_drawdown,
    total_returns_from_dividends,
)
from ustpull.errors import DataError


@pytest.fixture
def months() -> pd.DatetimeIndex:
    return pd.date_range("1990-01-01", periods=240, freq="MS", name="date")


def test_total_return_from_price_and_dividend(months: pd.DatetimeIndex) -> None:
    price = pd.Series([100.0, 102.0, 99.0], index=months[:3])
    dividend = pd.Series([3.0, 3.0, 3.6], index=months[:3])
    returns = total_returns_from_dividends(price, dividend)
    # (102 + 0.25) / 100 - 1 = 0.0225; (99 + 0.3) / 102 - 1 = -0.0264706
    np.testing.assert_allclose(returns.to_numpy(), [0.0225, 99.3 / 102 - 1], rtol=1e-14)
    with pytest.raises(DataError, match=r"price 0\.0 on 1990-02-01 is invalid"):
        total_returns_from_dividends(price.replace(102.0, 0.0), dividend)


def test_par_bond_textbook_price() -> None:
    # A 10-year 4% semiannual bond at 5%: 2 * (1 - 1.025^-20) / 0.025 + 100 * 1.025^-20 = 92.2054
    yields = pd.Series([4.0, 5.0], index=pd.DatetimeIndex(["2000-01-31", "2000-02-29"]))
    repriced = par_bond_returns(yields, holding_years=0.0)
    assert 100 * (1 + repriced.iloc[0]) == pytest.approx(92.2054, abs=5e-5)


@pytest.mark.parametrize("level", [1.0, 4.0, 12.0])
def test_par_bond_unchanged_yield_earns_its_yield(level: float) -> None:
    # At an unchanged yield the full price of a par bond grows at (1 + y/200)^(2h)
    yields = pd.Series([level] * 3, index=pd.date_range("2000-01-31", periods=3, freq="ME"))
    returns = par_bond_returns(yields)
    np.testing.assert_allclose(returns.to_numpy(), (1 + level / 200) ** (1 / 6) - 1, atol=1e-14)


def test_risk_free_uses_last_month_and_splices(months: pd.DatetimeIndex) -> None:
    bills = pd.Series(
        [6.0, 6.0, 3.0], index=pd.DatetimeIndex(["1990-03-01", "1990-03-15", "1990-04-02"])
    )
    funds = pd.Series([8.0, 7.2], index=months[:2])
    rate = risk_free_monthly(bills, funds)
    # Feb earns January's funds rate, March February's, April March's bills, none for May
    np.testing.assert_allclose(rate.to_numpy(), [8.0 / 1200, 7.2 / 1200, 6.0 / 1200])
    assert list(rate.index) == list(months[1:4])


def test_max_drawdown() -> None:
    # wealth 1.1, 0.55, 0.66: worst fall 0.55 / 1.1 - 1 = -50%; a first-month loss counts too
    assert max_drawdown(pd.Series([0.1, -0.5, 0.2])).iloc[0] == pytest.approx(-0.5)
    assert max_drawdown(pd.Series([-0.2, 0.1])).iloc[0] == pytest.approx(-0.2)


def test_rolling_max_drawdown_equals_windowed_max_drawdown(months: pd.DatetimeIndex) -> None:
    returns = pd.Series(np.random.default_rng(2).normal(0.005, 0.05, 120), index=months[:120])
    rolling = rolling_max_drawdown(returns, 36)
    assert len(rolling) == 120 - 35
    for end in (36, 70, 120):
        window = returns.iloc[end - 36 : end]
        assert rolling.loc[window.index[-1]] == pytest.approx(max_drawdown(window).iloc[0])
    with pytest.raises(DataError, match="window of 200"):
        rolling_max_drawdown(returns, 200)


def test_sixty_forty_identities(months: pd.DatetimeIndex) -> None:
    rng = np.random.default_rng(8)
    stocks = pd.Series(rng.normal(0.008, 0.045, len(months)), index=months)
    risk_free = pd.Series(0.003, index=months)
    # perfectly correlated bonds: no diversification benefit
    same = SixtyForty(stocks, 0.5 * stocks, risk_free).fit()
    np.testing.assert_allclose(same.rolling()["diversification_benefit_pct"], 0.0, atol=1e-10)
    bonds = pd.Series(rng.normal(0.004, 0.02, len(months)), index=months)
    results = SixtyForty(stocks, bonds, risk_free).fit()
    returns = results.returns
    np.testing.assert_allclose(returns["portfolio"], 0.6 * stocks + 0.4 * bonds, rtol=1e-14)
    rolling = results.rolling()
    assert len(rolling) == len(months) - 35
    window = returns.iloc[-36:]
    sd = window.std() * np.sqrt(12)
    assert rolling["diversification_benefit_pct"].iloc[-1] == pytest.approx(
        100 * (0.6 * sd["stocks"] + 0.4 * sd["bonds"] - sd["portfolio"])
    )
    assert rolling["stock_bond_correlation"].abs().mean() < 0.25  # independent legs
    assert (rolling["diversification_benefit_pct"] > 0).all()
    performance = results.performance()
    excess = returns["stocks"] - returns["risk_free"]
    assert performance.loc["stocks", "sharpe"] == pytest.approx(
        excess.mean() * 12 / (excess.std() * np.sqrt(12))
    )
    assert (
        performance.loc["portfolio", "volatility_pct"] < performance.loc["stocks", "volatility_pct"]
    )
    assert "60/40" in results.summary()
    assert results.to_dict()["performance"][0]["strategy"] == "portfolio"
    assert len(results.plot().axes) == 2


def test_sixty_forty_bad_inputs(months: pd.DatetimeIndex) -> None:
    series = pd.Series(0.01, index=months[:30])
    with pytest.raises(DataError, match="30 common months, not more than the window of 36"):
        SixtyForty(series, series, series).fit()
    with pytest.raises(DataError, match="stock_weight must be in"):
        SixtyForty(series, series, series, stock_weight=1.5)
    late = pd.Series(0.01, index=months[100:140])
    with pytest.raises(DataError, match="no date in common"):
        SixtyForty(series, late, series).fit()
