"""Stock-bond correlation on synthetic data with known truth."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.stocks_correlation import (
    StockBondCorrelation,
    TermPremiumEquityResponse,
    eras_from_breaks,
    inflation_regimes,
    zero_coupon_log_returns,
)
from ustpull.curves.nss import nss_discount_factor
from ustpull.errors import DataError

NSS_COLUMNS = ["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]


@pytest.fixture(scope="module")
def break_market() -> tuple[pd.Series, pd.DataFrame]:
    """Daily stocks and a flat curve; corr(stock, bond return) -0.4 before 2020, +0.5 after."""
    dates = pd.bdate_range("2000-01-03", "2024-12-31", name="date")
    rng = np.random.default_rng(2020)
    after = dates >= pd.Timestamp("2020-01-01")
    rho = np.where(after, 0.5, -0.4)
    z_stock, z_other = rng.standard_normal((2, len(dates)))
    z_bond = rho * z_stock + np.sqrt(1.0 - rho**2) * z_other
    stocks = pd.Series(100.0 * np.exp(np.cumsum(0.01 * z_stock)), index=dates, name="stock")
    # bond return ~ -10 dy / 100: a rising bond return is a falling yield
    level = 4.0 + np.cumsum(-0.06 * z_bond)
    curve = pd.DataFrame({9: level, 10: level}, index=dates)
    return stocks, curve


def test_exact_return_is_the_log_price_ratio_of_the_nss_zero() -> None:
    dates = pd.DatetimeIndex(["2021-03-01", "2021-03-02", "2021-03-05"])
    params = pd.DataFrame(
        [
            [4.0, -1.0, 2.0, 1.0, 1.5, 8.0],
            [4.1, -1.2, 1.5, 0.5, 1.4, 9.0],
            [3.9, -0.8, 2.5, np.nan, 1.7, np.nan],  # a Nelson-Siegel day
        ],
        index=dates,
        columns=NSS_COLUMNS,
    )
    theta = params.fillna({"beta3": 0.0}).to_numpy()
    curve = pd.DataFrame(
        {
            m: [float(np.log(d) * -100 / m) for d in nss_discount_factor(theta, [m])[:, 0]]
            for m in (9, 10)
        },
        index=dates,
    )
    returns = zero_coupon_log_returns(curve, maturity=10, params=params)
    dt = np.array([1.0, 3.0]) / 365.25
    for k in range(2):
        bought = nss_discount_factor(theta[k : k + 1], [10.0])[0, 0]
        sold = nss_discount_factor(theta[k + 1 : k + 2], [10.0 - dt[k]])[0, 0]
        assert returns.iloc[k] == pytest.approx(np.log(sold / bought), abs=1e-14)


def test_exact_return_interpolates_a_linear_curve_exactly() -> None:
    # y(n) = 2 + 0.1 n on both days: r = [10 y(10) - (10 - dt) y(10 - dt)] / 100
    dates = pd.DatetimeIndex(["2010-06-30", "2010-07-31"])
    curve = pd.DataFrame({9: [2.9, 2.9], 10: [3.0, 3.0]}, index=dates)
    dt = 31 / 365.25
    expected = (10 * 3.0 - (10 - dt) * (2.0 + 0.1 * (10 - dt))) / 100
    assert zero_coupon_log_returns(curve).iloc[0] == pytest.approx(expected, abs=1e-15)


def test_exact_return_needs_the_shorter_yield() -> None:
    dates = pd.DatetimeIndex(["2010-06-30", "2010-07-01"])
    curve = pd.DataFrame({9: [2.9, np.nan], 10: [3.0, 3.1]}, index=dates)
    with pytest.raises(DataError, match="no 9-year yield or NSS parameters on 2010-07-01"):
        zero_coupon_log_returns(curve)
    with pytest.raises(DataError, match=r"lack maturities \[9\]"):
        zero_coupon_log_returns(curve[[10]])


def test_break_is_recovered(break_market: tuple[pd.Series, pd.DataFrame]) -> None:
    stocks, curve = break_market
    # the Markov model on the rolling correlation is off by default (its durations mirror the
    # window); its mechanics are still checked here on a known break
    results = StockBondCorrelation(stocks, curve, markov=True, replications=300).fit()
    eras = results.eras
    assert eras.loc["2000-2007", "mean"] == pytest.approx(-0.4, abs=0.05)
    assert eras.loc["2008-2019", "mean"] == pytest.approx(-0.4, abs=0.05)
    # the first 2020 windows still straddle the break, so the era mean is a bit under 0.5
    assert eras.loc["2020-latest", "mean"] == pytest.approx(0.45, abs=0.08)
    assert eras.loc["2020-latest", "return_correlation"] == pytest.approx(0.5, abs=0.05)
    assert eras.loc["1962-1999", "n"] == 0
    test = results.regime_test
    assert test["fisher_z_effective_n"]["pvalue"] < 1e-6
    assert test["block_bootstrap_mean_rolling"]["pvalue"] < 0.01
    assert test["block_bootstrap_mean_rolling"]["difference"] == pytest.approx(0.85, abs=0.1)
    markov = results.markov
    assert markov is not None
    assert markov.means["low"] == pytest.approx(-0.4, abs=0.06)
    assert markov.means["high"] == pytest.approx(0.5, abs=0.08)
    probability = markov.high_state_probability
    assert probability.loc["2021-01-01":].min() > 0.9
    assert probability.loc["2002-01-01":"2019-06-30"].max() < 0.1
    # duration approximation and yield change agree with the exact leg (flat curve)
    correlations = results.correlations.dropna()
    assert np.corrcoef(correlations["exact"], correlations["duration"])[0, 1] > 0.999
    np.testing.assert_allclose(correlations["yield_change"], -correlations["duration"], atol=1e-9)
    assert "2020-latest" in results.summary()
    assert results.to_dict()["eras"][3]["era"] == "2020-latest"
    assert len(results.plot().axes) == 1  # the chart of the report (crossasset.charts)


def test_monthly_frequency_and_user_breaks(break_market: tuple[pd.Series, pd.DataFrame]) -> None:
    stocks, curve = break_market
    eras = eras_from_breaks(["2020-01-01"])
    assert eras == (
        ("start..2019-12-31", None, "2019-12-31"),
        ("2020-01-01..latest", "2020-01-01", None),
    )
    results = StockBondCorrelation(
        stocks, curve, frequency="monthly", eras=eras, markov=False, replications=200
    ).fit()
    index = results.returns.index  # the last business day of each month
    assert ((index + pd.offsets.BDay(1)).month != index.month).all()
    assert len(results.correlations) == 300 - 36  # 299 monthly returns, 36-month window
    table = results.eras
    assert table.iloc[0]["mean"] < -0.2 and table.iloc[1]["return_correlation"] > 0.3


def test_monthly_frequency_drops_a_partial_last_month(
    break_market: tuple[pd.Series, pd.DataFrame],
) -> None:
    # data ending Friday 2025-01-03: the three January days are no month; the monthly returns
    # and correlations are those of the sample cut at 2024-12-31
    stocks, curve = break_market
    extra = pd.bdate_range("2025-01-02", "2025-01-03", name="date")
    longer_stocks = pd.concat([stocks, pd.Series([1.2 * stocks.iloc[-1]] * 2, index=extra)])
    longer_curve = pd.concat([curve, pd.DataFrame({9: [9.0, 9.0], 10: [9.0, 9.0]}, index=extra)])
    cut, partial = (
        StockBondCorrelation(s, c, frequency="monthly", markov=False, replications=50).fit()
        for s, c in ((stocks, curve), (longer_stocks, longer_curve))
    )
    assert partial.returns.index[-1] == pd.Timestamp("2024-12-31")
    pd.testing.assert_frame_equal(partial.correlations, cut.correlations)


def test_bad_inputs(break_market: tuple[pd.Series, pd.DataFrame]) -> None:
    stocks, curve = break_market
    with pytest.raises(DataError, match="no date in common"):
        StockBondCorrelation(stocks.loc[:"2005"], curve.loc["2006":]).fit()
    with pytest.raises(DataError, match="window of 7000 observations is longer than the 6521"):
        StockBondCorrelation(stocks, curve, window=7000).fit()
    # a sample without 2020-latest has no regime test, but everything else
    assert StockBondCorrelation(stocks.loc[:"2019"], curve, markov=False).fit().regime_test == {}
    negative = stocks.copy()
    negative.iloc[100] = -1.0
    with pytest.raises(DataError, match=r"stock has a non-positive price -1\.0 on 2000-05-22"):
        StockBondCorrelation(negative, curve).fit()


def test_inflation_regimes_separate_the_correlations(
    break_market: tuple[pd.Series, pd.DataFrame],
) -> None:
    stocks, curve = break_market
    results = StockBondCorrelation(stocks, curve, markov=False, replications=100).fit()
    months = pd.date_range("1999-01-01", "2024-12-01", freq="MS")
    # 2% a year, then 6% from 2019-10: year-on-year inflation first exceeds 3% in 2020-01
    # (1.06^(4/12) 1.02^(8/12) - 1 = 3.33%; 2019-12: 2.99%), so the regime matches the break
    growth = np.where(months >= pd.Timestamp("2019-10-01"), 1.06, 1.02) ** (1 / 12)
    cpi = pd.Series(100.0 * np.cumprod(growth), index=months)
    regimes = inflation_regimes(
        results.returns[["stock", "exact"]], cpi, correlation=results.correlations["exact"]
    )
    table = regimes.table
    assert table.loc["low", "return_correlation"] == pytest.approx(-0.4, abs=0.05)
    assert table.loc["high", "return_correlation"] == pytest.approx(0.5, abs=0.05)
    assert 5.5 < table.loc["high", "mean_inflation"] < 6.0
    assert 2.0 < table.loc["low", "mean_inflation"] < 2.05  # 2019-10..12 ramp to 2.99%
    assert regimes.test["pvalue"] < 1e-6
    assert "threshold 3.0%" in regimes.summary()
    assert len(regimes.plot().axes) == 1


def test_term_premium_response_recovers_known_slopes() -> None:
    months = pd.date_range("1990-01-31", periods=420, freq="ME")
    rng = np.random.default_rng(5)
    d_expected, d_premium, noise = rng.standard_normal((3, len(months))) * [[0.2], [0.15], [3.0]]
    # stock return (%) = 0.5 - 2 dER - 6 dTP (+ noise); after 2020 the TP slope is -12
    premium_slope = np.where(months >= pd.Timestamp("2020-01-01"), -12.0, -6.0)
    stock_return = 0.5 - 2.0 * d_expected + premium_slope * d_premium + noise
    prices = pd.Series(100.0 * np.exp(np.cumsum(stock_return / 100.0)), index=months)
    decomposition = pd.DataFrame(
        {"expected_rate": 3 + np.cumsum(d_expected), "term_premium": 1 + np.cumsum(d_premium)},
        index=months,
    )
    results = TermPremiumEquityResponse(prices, decomposition).fit()
    full = results.full_sample
    assert full.loc["d_expected_rate", "coef"] == pytest.approx(
        -2.0, abs=2.5 * full.loc["d_expected_rate", "std_err"]
    )
    assert results.by_era["2000-2019"].loc["d_term_premium", "coef"] == pytest.approx(-6.0, abs=1.5)
    assert results.by_era["2020-latest"].loc["d_term_premium", "coef"] == pytest.approx(
        -12.0, abs=3.0
    )
    assert results.rolling.shape == (420 - 1 - 60 + 1, 2)
    assert results.full_sample.shape == (3, 4)
    assert "Newey-West" in results.summary()
    assert len(results.plot().axes) == 1
    with pytest.raises(DataError, match="lacks columns"):
        TermPremiumEquityResponse(prices, decomposition.rename(columns={"term_premium": "tp"}))


def test_par_curve_leg(break_market: tuple[pd.Series, pd.DataFrame]) -> None:
    stocks, curve = break_market
    par = curve[10].rename("us.cmt.10y")
    results = StockBondCorrelation(stocks, par, curve="par", markov=False, replications=100).fit()
    returns = results.returns
    # a par bond at an unchanged yield earns (1 + y/200)^(2h) - 1 over h years
    flat = pd.Series([4.0, 4.0], index=pd.DatetimeIndex(["2001-01-02", "2001-01-05"]))
    flat_leg = StockBondCorrelation(
        pd.Series([100.0, 101.0], index=flat.index), flat, curve="par", markov=False
    ).returns()
    assert flat_leg["exact"].iloc[0] == pytest.approx(1.02 ** (2 * 3 / 365.25) - 1, abs=1e-15)
    assert flat_leg["duration"].iloc[0] == 0.0
    # modified duration of a 10-year par bond at y: (1 - (1 + y/200)^-20) / (y/100)
    y_prev = par.iloc[0]
    modified = (1 - (1 + y_prev / 200) ** -20) / (y_prev / 100)
    assert returns["duration"].iloc[0] == pytest.approx(
        -modified * (par.iloc[1] - par.iloc[0]) / 100, rel=1e-12
    )
    assert results.eras.loc["2008-2019", "return_correlation"] == pytest.approx(-0.4, abs=0.05)
    assert results.eras.loc["2020-latest", "return_correlation"] == pytest.approx(0.5, abs=0.05)
    assert "constant-maturity par Treasury" in results.summary()
    with pytest.raises(DataError, match="curve must be 'zero'"):
        StockBondCorrelation(stocks, curve, curve="par")
    with pytest.raises(DataError, match="needs a DataFrame"):
        StockBondCorrelation(stocks, par)
