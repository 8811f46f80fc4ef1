"""60/40 portfolio: total returns, par-bond repricing, drawdowns, diversification (closed forms)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.charts import sharpe_chart
from ustpull.crossasset.portfolio import (
    SixtyForty,
    complete_month_ends,
    max_drawdown,
    month_end_par_bond_returns,
    month_end_total_returns,
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


def test_total_return_matches_months_not_rows(months: pd.DatetimeIndex) -> None:
    # March's dividend is missing: no return for March, and April's base is still March's
    # price (the previous calendar month), not February's: (105 + 0.25) / 99 - 1
    price = pd.Series([100.0, 102.0, 99.0, 105.0], index=months[:4])
    dividend = pd.Series([3.0, 3.0, 3.0], index=months[[0, 1, 3]])
    returns = total_returns_from_dividends(price, dividend)
    assert list(returns.index) == [months[1], months[3]]
    np.testing.assert_allclose(returns.to_numpy(), [102.25 / 100 - 1, 105.25 / 99 - 1], rtol=1e-14)


@pytest.mark.parametrize(
    ("last_day", "last_month_end"),
    [
        ("2025-10-03", "2025-09-30"),  # Friday 3 October: October is incomplete
        ("2025-10-31", "2025-10-31"),  # the last business day itself
        ("2025-08-29", "2025-08-29"),  # Friday 29 August is August's last business day
        ("2025-11-28", "2025-11-28"),  # Friday 28 November, the 30th a Sunday
    ],
)
def test_complete_month_ends_drop_a_partial_last_month(last_day: str, last_month_end: str) -> None:
    days = pd.bdate_range("2025-06-02", last_day, name="date")
    frame = pd.DataFrame({"level": np.arange(len(days), dtype=float)}, index=days)
    month_ends = complete_month_ends(frame)
    assert month_ends.index[-1] == pd.Timestamp(last_month_end)
    assert month_ends.index[0] == pd.Timestamp("2025-06-30")
    # every kept row is the last row of its month
    assert (
        month_ends["level"].to_numpy()
        == frame["level"]
        .groupby(days.to_period("M"))
        .last()
        .loc[: pd.Timestamp(last_month_end).to_period("M")]
        .to_numpy()
    ).all()


def test_complete_month_ends_without_a_complete_month() -> None:
    days = pd.bdate_range("2025-10-01", "2025-10-03", name="date")
    with pytest.raises(
        DataError, match=r"no complete month in 3 rows \(2025-10-01\.\.2025-10-03\)"
    ):
        complete_month_ends(pd.Series(1.0, index=days))


def test_month_averaging_smooths_returns() -> None:
    # Working (1960): returns between monthly averages of a random walk have variance 2/3 of
    # those between month-ends (n -> inf) and lag-1 autocorrelation 1/4. Month-end sampling keeps
    # the variance and no autocorrelation: what the 60/40 uses.
    days = pd.bdate_range("1950-01-02", "2019-12-31", name="date")
    closes = pd.Series(
        100.0 * np.exp(np.cumsum(np.random.default_rng(3).normal(0.0, 0.01, len(days)))),
        index=days,
    )
    no_dividend = pd.Series(0.0, index=pd.date_range("1950-01-01", "2019-12-01", freq="MS"))
    month_end = month_end_total_returns(closes, no_dividend)
    average = total_returns_from_dividends(
        closes.groupby(days.to_period("M")).mean().to_timestamp(), no_dividend
    )
    assert len(month_end) == len(average) == 839
    assert average.var() / month_end.var() == pytest.approx(2 / 3, abs=0.08)
    assert average.autocorr() == pytest.approx(0.25, abs=0.07)
    assert abs(month_end.autocorr()) < 0.07


def test_month_end_total_return_uses_closes_and_a_twelfth_of_the_dividend() -> None:
    days = pd.bdate_range("2024-01-02", "2024-04-05", name="date")
    closes = pd.Series(np.linspace(100.0, 120.0, len(days)), index=days)
    dividend = pd.Series(
        [2.4, 3.6, 4.8, 6.0], index=pd.date_range("2024-01-01", periods=4, freq="MS")
    )
    returns = month_end_total_returns(closes, dividend)
    # Feb: (P(29 Feb) + 3.6 / 12) / P(31 Jan) - 1; Mar likewise; April (to the 5th) is partial
    expected = [
        (closes["2024-02-29"] + 0.3) / closes["2024-01-31"] - 1,
        (closes["2024-03-29"] + 0.4) / closes["2024-02-29"] - 1,
    ]
    assert list(returns.index) == list(pd.DatetimeIndex(["2024-02-01", "2024-03-01"]))
    np.testing.assert_allclose(returns.to_numpy(), expected, rtol=1e-14)


def test_month_end_par_bond_returns_hold_the_actual_days() -> None:
    # unchanged 4% yield: the full price grows at (1 + 0.02)^(2 h), h = days / 365.25
    days = pd.bdate_range("2024-01-02", "2024-04-05", name="date")
    returns = month_end_par_bond_returns(pd.Series(4.0, index=days, name="us.cmt.10y"))
    assert list(returns.index) == list(pd.DatetimeIndex(["2024-02-29", "2024-03-29"]))
    np.testing.assert_allclose(
        returns.to_numpy(),
        [1.02 ** (2 * 29 / 365.25) - 1, 1.02 ** (2 * 29 / 365.25) - 1],
        atol=1e-14,
    )
    gappy = pd.Series(4.0, index=days[days.month != 2], name="us.cmt.10y")
    with pytest.raises(DataError, match=r"us\.cmt\.10y skip from 2024-01 to 2024-03"):
        month_end_par_bond_returns(gappy)


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
    assert results.plot().axes[0].get_title() == sharpe_chart(results).title  # the report's


def test_sixty_forty_bad_inputs(months: pd.DatetimeIndex) -> None:
    series = pd.Series(0.01, index=months[:30])
    with pytest.raises(DataError, match="30 common months, not more than the window of 36"):
        SixtyForty(series, series, series).fit()
    with pytest.raises(DataError, match="stock_weight must be in"):
        SixtyForty(series, series, series, stock_weight=1.5)
    late = pd.Series(0.01, index=months[100:140])
    with pytest.raises(DataError, match="no date in common"):
        SixtyForty(series, late, series).fit()
