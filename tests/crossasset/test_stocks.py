"""The stocks analyses on the real shared data (S&P 500, GSW curve, Shiller, FRED)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.portfolio import par_bond_returns, total_returns_from_dividends
from ustpull.crossasset.stocks import StocksAnalysisResults
from ustpull.crossasset.stocks_correlation import (
    TermPremiumEquityResponse,
    zero_coupon_log_returns,
)
from ustpull.errors import DataError
from ustpull.sources.local import load_frame
from ustpull.studies.stocks import STOCK_SERIES, analyze_stocks
from ustpull.termpremium.countries import (
    country_curve,
    country_term_premium,
    maturity_components,
)

SHILLER_FILE = "equity/shiller_ie_data_monthly_1871_2026.csv"


@pytest.fixture(scope="module")
def stock_data(shared_data: Path) -> pd.DataFrame:
    return load_frame(list(STOCK_SERIES), shared_data)


@pytest.fixture(scope="module")
def analysis(stock_data: pd.DataFrame) -> StocksAnalysisResults:
    return analyze_stocks(stock_data, replications=300)


@pytest.fixture(scope="module")
def shiller_reference(shared_data: Path) -> pd.DataFrame:
    """Shiller's own derived columns (real total-return price, bond returns) as references."""
    columns = ["YYYY_MM", "CPI", "Real_TR_Price", "Monthly_Total_Bond_Returns"]
    raw = pd.read_csv(shared_data / SHILLER_FILE, usecols=columns)
    raw.index = pd.PeriodIndex(raw.pop("YYYY_MM"), freq="M").to_timestamp()
    return raw


def test_taper_tantrum_closes_enter_the_returns(
    analysis: StocksAnalysisResults, stock_data: pd.DataFrame
) -> None:
    # S&P 500 closes (S&P DJI): 1669.16 on 2013-05-21 (then a record), 1573.09 on 2013-06-24
    assert stock_data.loc["2013-05-21", "us.sp500"] == 1669.16
    assert stock_data.loc["2013-06-24", "us.sp500"] == 1573.09
    returns = analysis.daily.returns
    assert returns.loc["2013-05-22", "stock"] == pytest.approx(math.log(1655.35 / 1669.16))
    assert returns.loc["2013-05-22":"2013-06-24", "stock"].sum() == pytest.approx(
        math.log(1573.09 / 1669.16), abs=1e-12
    )


def test_exact_return_matches_the_nss_and_interpolated_curves(stock_data: pd.DataFrame) -> None:
    curve = stock_data[["us.gsw.zero.9y", "us.gsw.zero.10y"]].dropna()
    curve.columns = [9, 10]
    params = stock_data.filter(like="us.gsw.").drop(columns=["us.gsw.zero.9y", "us.gsw.zero.10y"])
    params.columns = [c.removeprefix("us.gsw.") for c in params.columns]
    with_nss = zero_coupon_log_returns(curve, params=params)
    interpolated = zero_coupon_log_returns(curve)
    # 1971-2025: the NSS (n - dt) yield (anchored at the published 10-year yield) and the
    # linear interpolation give daily returns within 0.3 bp (max 3.0e-5, mean 2.1e-6): the
    # curve is nearly linear between 9 and 10 years
    gap = (with_nss - interpolated).abs()
    assert gap.max() < 3.5e-5
    assert gap.mean() < 2.5e-6
    assert np.corrcoef(with_nss, interpolated)[0, 1] > 0.99999


def test_era_table_on_real_data(analysis: StocksAnalysisResults) -> None:
    eras = analysis.daily.eras
    # GSW publish the 10-year zero from 1971-08-16; with a 252-day window the first value
    # is 1972-08-16; the first era holds whole years of data, so it is named "1972-1999"
    assert eras.loc["1972-1999", "first"] == pd.Timestamp("1972-08-16")
    expected = {  # (mean, median, share positive) of the 252-day correlation, this data
        "1972-1999": (0.322, 0.342, 0.960),
        "2000-2007": (-0.155, -0.130, 0.297),
        "2008-2019": (-0.413, -0.411, 0.000),
        "2020-latest": (-0.060, -0.015, 0.471),
    }
    for era, (mean, median, share) in expected.items():
        assert eras.loc[era, "mean"] == pytest.approx(mean, abs=0.001)
        assert eras.loc[era, "median"] == pytest.approx(median, abs=0.001)
        assert eras.loc[era, "share_positive"] == pytest.approx(share, abs=0.001)
    correlation = analysis.daily.correlations["exact"]
    # negative on average in 2000-2019, positive in 2022-2024 (daily and monthly)
    assert correlation.loc["2000":"2019"].mean() == pytest.approx(-0.310, abs=0.001)
    assert correlation.loc["2022":"2024"].mean() == pytest.approx(0.099, abs=0.001)
    monthly = analysis.monthly.correlations["exact"]
    assert monthly.loc["2022":"2024"].mean() == pytest.approx(0.388, abs=0.001)
    test = analysis.daily.regime_test
    assert test["fisher_z_effective_n"]["pvalue"] < 1e-10
    assert test["block_bootstrap_mean_rolling"]["difference"] == pytest.approx(0.250, abs=0.001)
    # the study no longer fits a Markov model to the rolling correlation (its durations
    # mirror the window, issue 16); regimes come from the returns (StockBondRegimes)
    assert analysis.daily.markov is None
    assert analysis.regimes is not None


def test_cmt_par_leg_reaches_back_to_1962(analysis: StocksAnalysisResults) -> None:
    eras = analysis.daily_cmt.eras
    # DGS10 from 1962-01-02; the first 252-day window ends 1963-01-07
    assert eras.loc["1962-1999", "first"] == pd.Timestamp("1963-01-07")
    expected = {  # (mean, share positive) of the 252-day correlation with the CMT par bond
        "1962-1999": (0.265, 0.863),
        "2000-2007": (-0.177, 0.232),
        "2008-2019": (-0.419, 0.000),
        "2020-latest": (-0.066, 0.432),
    }
    for era, (mean, share) in expected.items():
        assert eras.loc[era, "mean"] == pytest.approx(mean, abs=0.001)
        assert eras.loc[era, "share_positive"] == pytest.approx(share, abs=0.001)
    correlation = analysis.daily_cmt.correlations["exact"]
    assert correlation.loc["2000":"2019"].mean() == pytest.approx(-0.322, abs=0.001)
    assert correlation.loc["2022":"2024"].mean() == pytest.approx(0.087, abs=0.001)
    # the CMT par bond and the GSW zero tell the same story where both exist
    both = pd.concat(
        [correlation, analysis.daily.correlations["exact"]], axis=1, join="inner", sort=True
    )
    assert np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1] > 0.98


def test_inflation_regimes_on_real_data(analysis: StocksAnalysisResults) -> None:
    # returns classed by the CPI of the month before (publication lag): -0.155 [-0.205, -0.104]
    # at or below 3%, +0.114 [0.062, 0.166] above (was -0.165 / +0.128 with same-month CPI and
    # Bartlett effective sizes); HAC intervals about twice as wide as those were
    table = analysis.inflation.table
    assert table.loc["low", "return_correlation"] == pytest.approx(-0.155, abs=0.001)
    assert table.loc["high", "return_correlation"] == pytest.approx(0.114, abs=0.001)
    assert table.loc["low", "ci_low"] == pytest.approx(-0.205, abs=0.001)
    assert table.loc["high", "ci_high"] == pytest.approx(0.166, abs=0.001)
    assert analysis.inflation.test["ci_low"] == pytest.approx(0.196, abs=0.001)
    assert analysis.inflation.test["pvalue"] < 1e-10
    # the chart and the threshold table agree at the same threshold
    row = analysis.regimes.thresholds.table.loc[3.0]
    assert table.loc["low", "return_correlation"] == row["corr_low"]
    assert table.loc["high", ["ci_low", "ci_high"]].tolist() == [
        row["corr_high_ci_low"],
        row["corr_high_ci_high"],
    ]


def test_total_returns_rebuilt_from_prices_and_dividends(
    stock_data: pd.DataFrame, shiller_reference: pd.DataFrame
) -> None:
    # Shiller's real total-return price: TR_t = TR_{t-1} (rP_t + rD_t / 12) / rP_{t-1} in real
    # terms; times CPI_t / CPI_{t-1} it is our nominal (P_t + D_t / 12) / P_{t-1}
    ours = total_returns_from_dividends(
        stock_data["us.shiller.price"].dropna(), stock_data["us.shiller.dividend"].dropna()
    )
    reference = shiller_reference
    nominal = (reference["Real_TR_Price"] / reference["Real_TR_Price"].shift(1)) * (
        reference["CPI"] / reference["CPI"].shift(1)
    ) - 1.0
    gap = (ours - nominal.reindex(ours.index)).dropna()
    assert len(gap) > 1800
    assert gap.abs().max() < 1e-8


def test_par_bond_returns_match_shiller_bond_returns(
    stock_data: pd.DataFrame, shiller_reference: pd.DataFrame
) -> None:
    # Shiller's "Monthly_Total_Bond_Returns" on row t is the gross return from t to t+1
    ours = par_bond_returns(stock_data["us.shiller.gs10"].dropna())
    reference = (shiller_reference["Monthly_Total_Bond_Returns"].shift(1) - 1.0).reindex(ours.index)
    pair = pd.concat([ours, reference], axis=1, sort=True).dropna()
    assert len(pair) > 1800
    assert np.corrcoef(pair.iloc[:, 0], pair.iloc[:, 1])[0, 1] > 0.9999
    assert (pair.iloc[:, 0] - pair.iloc[:, 1]).abs().median() < 5e-5


def test_decompositions_add_up_and_2022(analysis: StocksAnalysisResults) -> None:
    years = analysis.dividend_discount.calendar_years()
    assert years["residual"].abs().max() < 1e-12
    assert len(years) > 140
    selloff = analysis.episodes.loc["2022 sell-off (Dec 2021 to Oct 2022)"]
    # monthly-average S&P 4674.77 (Dec 2021) -> 3726.05 (Oct 2022)
    assert selloff["total"] == pytest.approx(math.log(3726.050952 / 4674.772727), abs=1e-6)
    assert selloff["earnings"] == pytest.approx(-0.0814, abs=1e-4)
    assert selloff["real_rate"] == pytest.approx(-0.5670, abs=1e-4)
    assert selloff["risk_premium"] == pytest.approx(0.4215, abs=1e-4)
    assert selloff["real_yield_start"] == pytest.approx(-0.993, abs=1e-3)  # Dec 2021 TIPS avg
    assert abs(selloff["residual"]) < 1e-12


def test_sixty_forty_on_real_data(analysis: StocksAnalysisResults) -> None:
    # Month-end levels: S&P 500 month-end closes + Shiller D/12, the month-end 10-year CMT
    # repriced as a par bond (ACT/365.25 holding), risk-free = last month's average 3-month
    # bill (fed funds before 1982). Recipe: analyze_stocks(load_frame(STOCK_SERIES)) on the
    # shared data, portfolio.performance() / performance_by_era(); months 1962-02..2026-02
    # (the 3-month CMT ends 2026-02-20).
    returns = analysis.portfolio.returns
    assert returns.index[0] == pd.Timestamp("1962-02-01")  # first month-end CMT return
    assert returns.index[-1] == pd.Timestamp("2026-02-01")
    # month-end levels keep the volatility and add no spurious autocorrelation. Stocks: 14.9% a
    # year, lag-1 autocorrelation 0.01 (Shiller's monthly-average P, same 769 months: 12.3%,
    # 0.23). Bonds: 7.8%, 0.10 (par_bond_returns on the monthly-average us.gs10: 6.7%, 0.31).
    assert returns["stocks"].std() * math.sqrt(12) == pytest.approx(0.14916, abs=1e-5)
    assert returns["stocks"].autocorr() == pytest.approx(0.0134, abs=1e-4)
    assert returns["bonds"].std() * math.sqrt(12) == pytest.approx(0.07800, abs=1e-5)
    assert returns["bonds"].autocorr() == pytest.approx(0.1018, abs=1e-4)
    performance = analysis.portfolio.performance()
    expected = {  # annual return %, volatility %, Sharpe, max drawdown %; 769 months
        "portfolio": (8.913, 9.782, 0.440, -29.384),
        "stocks": (10.472, 14.916, 0.427, -50.958),
        "bonds": (5.781, 7.800, 0.155, -26.125),
    }
    columns = ["annual_return_pct", "volatility_pct", "sharpe", "max_drawdown_pct"]
    for strategy, values in expected.items():
        for column, value in zip(columns, values, strict=True):
            assert performance.loc[strategy, column] == pytest.approx(value, abs=0.001)
    assert (performance["months"] == 769).all()
    by_era = analysis.portfolio.performance_by_era()
    # 2008-2019 the bond leg cushioned stocks; since 2020 bonds fell with them
    era_drawdowns = {
        ("2008-2019", "portfolio"): -28.481,
        ("2008-2019", "stocks"): -48.413,
        ("2008-2019", "bonds"): -10.128,
        ("2020-latest", "portfolio"): -20.934,
        ("2020-latest", "bonds"): -26.125,
    }
    for key, value in era_drawdowns.items():
        assert by_era.loc[key, "max_drawdown_pct"] == pytest.approx(value, abs=0.001)
    rolling = analysis.portfolio.rolling()
    # diversification is worth more when stocks and bonds move apart (3.24 against 1.59 pp)
    benefit_by_sign = rolling.groupby(rolling["stock_bond_correlation"] > 0)[
        "diversification_benefit_pct"
    ].mean()
    assert benefit_by_sign[False] == pytest.approx(3.244, abs=0.001)
    assert benefit_by_sign[True] == pytest.approx(1.588, abs=0.001)


def test_monthly_correlation_ends_with_the_last_complete_month(
    analysis: StocksAnalysisResults,
) -> None:
    # the GSW curve ends Friday 2025-10-03: October is incomplete, so the last month-end is
    # 2025-09-30 and the last 36-month correlation 0.5060 (with the 3-day "October" return it
    # was 0.5826)
    correlation = analysis.monthly.correlations["exact"]
    assert analysis.monthly.returns.index[-1] == pd.Timestamp("2025-09-30")
    assert correlation.iloc[-1] == pytest.approx(0.5060, abs=1e-4)
    eras = analysis.monthly.eras
    expected = {  # (first, mean) of the 36-month correlation by era (GSW zero from 1971-08)
        "1972-1999": ("1974-08-30", 0.3682),
        "2000-2007": ("2000-01-31", -0.2561),
        "2008-2019": ("2008-01-31", -0.2750),
        "2020-latest": ("2020-01-31", 0.1479),
    }
    for era, (first, mean) in expected.items():
        assert eras.loc[era, "first"] == pd.Timestamp(first)
        assert eras.loc[era, "mean"] == pytest.approx(mean, abs=1e-4)
    assert eras.loc["2020-latest", "last"] == pd.Timestamp("2025-09-30")
    assert eras.loc["2020-latest", "n"] == 69


@pytest.mark.parametrize("stamp", ["2030-01-01", "1962-01-02", "1950-06-01"])
def test_break_outside_the_sample_is_an_error(stock_data: pd.DataFrame, stamp: str) -> None:
    # the widest sample is the common dates of the S&P 500 and the 10-year CMT
    with pytest.raises(
        DataError,
        match=rf"era break {stamp} lies outside the sample 1962-01-02\.\.2026-08-20",
    ):
        analyze_stocks(stock_data, breaks=["2020-01-01", stamp], replications=10)


def test_outputs_and_bad_input(analysis: StocksAnalysisResults, stock_data: pd.DataFrame) -> None:
    tables = analysis.to_dict()
    assert set(tables) >= {"correlation_daily", "dividend_discount", "sixty_forty"}
    assert "2022 sell-off" in analysis.summary()
    assert len(analysis.plot().axes) == 1  # the daily correlation chart
    with pytest.raises(DataError, match=r"lack the series 'us\.cpi'"):
        analyze_stocks(stock_data.drop(columns="us.cpi"))


def test_term_premium_part_carries_the_post_2020_response(
    shared_data: Path, stock_data: pd.DataFrame
) -> None:
    # ACM (U.S. defaults of ustpull.termpremium) 10-year split into expected rate and term
    # premium, month-ends 1961-06..2025-09; S&P 500 month-end log returns in percent
    us_curve = load_frame(list(country_curve("US").series_ids), shared_data)
    table = country_term_premium("US", us_curve).to_frame(years=(10,))
    decomposition = maturity_components(table)
    np.testing.assert_allclose(
        decomposition["expected_rate"] + decomposition["term_premium"],
        decomposition["yield"],
        atol=1e-10,
    )
    results = TermPremiumEquityResponse(stock_data["us.sp500"], decomposition).fit()
    before, after = results.by_era["2000-2019"], results.by_era["2020-latest"]
    # 2000-2019: stocks rose with the expected-rate part (growth news), not with the premium
    assert before.loc["d_expected_rate", "coef"] == pytest.approx(8.39, abs=0.5)
    assert before.loc["d_expected_rate", "t"] > 3
    assert abs(before.loc["d_term_premium", "t"]) < 2
    # 2020-latest: a rising term premium hits stocks (-8.3 % per pp, t = -4.1), the
    # expected-rate part is insignificant
    assert after.loc["d_term_premium", "coef"] == pytest.approx(-8.31, abs=0.5)
    assert after.loc["d_term_premium", "t"] < -3
    assert abs(after.loc["d_expected_rate", "t"]) < 1
    assert results.correlations.loc["2020-latest", "d_term_premium"] == pytest.approx(
        -0.391, abs=0.02
    )
    with pytest.raises(DataError, match="lacks columns"):
        maturity_components(table.drop(columns="term_premium_10y"))
