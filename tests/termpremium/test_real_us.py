"""U.S. ACM on real data against the NY Fed's published term premium.

Reference: Federal Reserve Bank of New York, "Treasury Term Premia" (ACM), file
``ACMTermPremium.xls``, sheet ``ACM Monthly``, columns ``ACMTP10`` (12 month-ends) and
``ACMTP02`` (6), percent, vintage 2025-07, as transcribed in issues 1 and 17
(:data:`ustpull.termpremium.published.NYFED_ACM_CHECKS`; the file itself is not in the shared
data, and no ACMTP01/ACMTP05 values are, so 1- and 5-year fidelity is not measured offline).
Inputs: the complete GSW parameter history (``ustpull.curves.gsw.gsw_parameter_history``)
at maturities 1..120 months, month-ends 1961-06..2025-09, short rates by the book
(``US_SHORT_RATES`` = ``US_SHORT_RATE_OPTIONS["cmt_bills"]``): the 1-month CMT bill
(DGS1MO, bond-equivalent -> continuous) from 2001-07, before it the 3-month CMT bill (DGS3MO,
from 1981-09) at the GSW 3-month point carried to one month by the GSW 1-3 month slope,
before 1981-09 the GSW 1-month yield.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.conventions import money_market_to_continuous
from ustpull.errors import ShortEndWarning
from ustpull.sources.local import load_frame
from ustpull.termpremium.acm import ACM
from ustpull.termpremium.countries import (
    US_SHORT_RATE_OPTIONS,
    US_SHORT_RATES,
    CountryTermPremium,
    country_curve,
    country_term_premium,
    zero_yields,
)
from ustpull.termpremium.inputs import month_end, short_rate
from ustpull.termpremium.published import NYFED_ACM_CHECKS, fidelity_table, nyfed_gaps

# NY Fed ACM term premia at the check months: ustpull.termpremium.published.NYFED_ACM_CHECKS
# (ACMTP10 x 12, ACMTP02 x 6, vintage 2025-07). Measured gaps, ours minus published, bp,
# full sample 1961-06..2025-09, by option of US_SHORT_RATE_OPTIONS (country_term_premium(
# "US", data, short_rates=US_SHORT_RATE_OPTIONS[name]), nyfed_gaps, fidelity_table):
# cmt_bills (default):
#   10y: -3.6 +3.2 +6.6 +1.6 -0.1 -0.3 -0.1 -2.8 -3.8 -4.1 +0.2 +1.2   (rms 3.01, max 6.6)
#    2y: -15.6 -1.1 -4.9 -3.5 +2.4 -10.7                                 (rms 8.19, max 15.6)
# discount_bills (DTB3 + GSW slope before 2001-07, the previous default):
#   10y: +4.0 +11.0 +17.3 +9.2 +6.9 +6.2 +2.3 +1.6 +2.5 +0.7 +7.2 +6.6   (rms 7.72, max 17.3)
#    2y: -7.1 +8.8 +2.6 +5.1 +2.8 -1.9                                    (rms 5.35, max 8.8)
# curve_before_2001: 10y rms 3.69, max 6.7 (1965-12); 2y rms 11.06, max 20.8 (1975-03)
# bill_3m_direct: 10y rms 13.44; 2y rms 13.29
# french_rf (Ibbotson 1-month bill return, 1200 ln(1 + RF/100), next month's; DGS1MO after
# 2024-07): 10y rms 26.08 (+16.1..+39.3, every gap positive); 2y rms 22.11
PUBLISHED_10Y = {
    row.month: row.published for row in NYFED_ACM_CHECKS.itertuples() if row.years == 10
}


@pytest.fixture(scope="module")
def us_data(shared_data: Path) -> pd.DataFrame:
    return load_frame(country_curve("US").series_ids, shared_data)


@pytest.fixture(scope="module")
def us(us_data: pd.DataFrame) -> CountryTermPremium:
    return country_term_premium("US", us_data)


def _at(frame: pd.DataFrame, month: str, maturity: int) -> float:
    rows = frame.index.to_period("M") == pd.Period(month)
    return float(frame.loc[rows, maturity].iloc[0])


def _gaps_bp(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        {month: 100 * (_at(frame, month, 120) - value) for month, value in PUBLISHED_10Y.items()}
    )


def test_sample_is_the_nyfed_one(us: CountryTermPremium) -> None:
    index = us.results.term_premium.index
    assert index[0] == pd.Timestamp("1961-06-30")
    assert index[-1] == pd.Timestamp("2025-09-30")  # 2025-10-03 is not a month-end
    assert len(index) == 772


def test_fidelity_to_the_nyfed_by_the_book(us: CountryTermPremium, us_data: pd.DataFrame) -> None:
    gaps = nyfed_gaps(us.results.term_premium)
    table = fidelity_table(gaps)
    # issue 17 targets: rms <= 3 bp at 10 years (3.01: met at one decimal), <= 6 bp at 2 years
    # (missed: 8.2, 1975-03 -15.6 and 2019-08 -10.7); 1- and 5-year values are not checked
    rms = gaps.groupby("years")["gap_bp"].apply(lambda gap: np.sqrt(np.mean(gap**2)))
    assert rms[10] == pytest.approx(3.014, abs=0.005)
    assert rms[2] == pytest.approx(8.192, abs=0.005)
    assert table.loc["1980s", ("rms_bp", 10)] == pytest.approx(6.6, abs=0.05)
    assert table.loc["1970s", ("rms_bp", 2)] == pytest.approx(15.6, abs=0.05)
    assert table.loc["all", ("n", 10)] == 12 and table.loc["all", ("n", 2)] == 6
    assert gaps["gap_bp"].abs().max() < 16.0
    sources = short_rate(us.results.model.yields, us_data, US_SHORT_RATES).attrs["source"]
    assert sources.loc[:"1981-08"].eq("curve").all()
    assert sources.loc["1981-09":"2001-06"].eq("us.cmt.3m").all()
    assert sources.loc["2001-07":].eq("us.cmt.1m").all()


def test_the_default_warns_where_no_bill_yield_is_published(us_data: pd.DataFrame) -> None:
    with pytest.warns(ShortEndWarning, match=r"243 months \(1961-06\.\.1981-08\)"):
        country_term_premium("US", us_data, end="1990-12-31")


@pytest.fixture(scope="module")
def options_data(us_data: pd.DataFrame, shared_data: Path) -> pd.DataFrame:
    extra = {row.series_id for rows in US_SHORT_RATE_OPTIONS.values() for row in rows}
    # outer join: French's monthly RF is dated on the first of its month (often no GSW day)
    return us_data.join(load_frame(sorted(extra - set(us_data.columns)), shared_data), how="outer")


@pytest.mark.parametrize(
    ("option", "rms_10y", "rms_2y"),
    [
        ("discount_bills", 7.72, 5.35),
        ("curve_before_2001", 3.69, 11.06),
        ("bill_3m_direct", 13.44, 13.29),
        ("french_rf", 26.08, 22.115),
    ],
)
def test_other_short_rate_options(
    options_data: pd.DataFrame, option: str, rms_10y: float, rms_2y: float
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortEndWarning)  # curve_before_2001: 481 months
        fit = country_term_premium("US", options_data, short_rates=US_SHORT_RATE_OPTIONS[option])
    gaps = nyfed_gaps(fit.results.term_premium)
    rms = gaps.groupby("years")["gap_bp"].apply(lambda gap: np.sqrt(np.mean(gap**2)))
    assert rms[10] == pytest.approx(rms_10y, abs=0.005)
    assert rms[2] == pytest.approx(rms_2y, abs=0.005)
    if option == "french_rf":  # Ibbotson's bill return sits below the NY Fed's short rate
        assert gaps["gap_bp"].min() > 10.0


def test_bank_discount_and_bond_equivalent_3m_bills_agree(options_data: pd.DataFrame) -> None:
    # DTB3 (discount, 91 days) and DGS3MO (bond-equivalent, 365/4 days) quote the same bill:
    # after conversion to continuous rates they agree to 0.6 bp on average at the month-ends
    # 1981-09..2001-06 (measured: 238 months, mean +0.63 bp, 95 % within 3.8 bp, max 22.8 bp)
    months = month_end(options_data[["us.tbill.3m", "us.cmt.3m"]].loc["1981-09":"2001-06"])
    dtb3 = money_market_to_continuous(months["us.tbill.3m"], quote="discount", days=91.0)
    dgs3mo = money_market_to_continuous(
        months["us.cmt.3m"], quote="bond_equivalent", days=365.0 / 4
    )
    gap_bp = 100 * (dgs3mo - dtb3).dropna()
    assert len(gap_bp) == 238
    assert gap_bp.mean() == pytest.approx(0.63, abs=0.01)
    assert gap_bp.abs().quantile(0.95) < 4.0


def test_bill_short_rate_is_what_reproduces_the_nyfed(us_data: pd.DataFrame) -> None:
    # The same model with the GSW curve's 1-month yield as the short rate throughout misses
    # the published values by up to 21.1 bp (rms 14.6 bp, all 12 dates below the NY Fed's
    # from 2007 on by 13-21 bp): the GSW extrapolation to one month sits above the bill rate,
    # which lowers measured excess returns and the premium.
    monthly = month_end(zero_yields(country_curve("US"), us_data))
    curve_only = ACM(monthly).fit().term_premium
    gaps = _gaps_bp(curve_only)
    assert gaps.abs().max() > 15.0
    assert gaps.loc["2007-06":].max() < -12.0


def test_pricing_errors_small(us: CountryTermPremium) -> None:
    errors = us.results.pricing_error_summary
    # measured RMSE 2.6 / 1.2 / 0.8 / 1.4 bp at 12 / 24 / 60 / 120 months; the 1-month
    # "error" (58 bp) is the bill-vs-GSW-extrapolation spread, as the fitted 1-month yield
    # is the short-rate equation's
    assert errors.loc[[12, 24, 60, 120], "rmse_bp"].max() < 3.0
    assert errors.loc[1, "rmse_bp"] > 20.0


def test_daily_projection_agrees_at_month_ends(us_data: pd.DataFrame) -> None:
    # daily values use the monthly estimates, so on month-ends they are the monthly values
    # to 0.1 bp: measured max 0.07 bp, on 2018-05-31, where GSW's parameter gap is refitted
    # by NSS with different neighbouring days (elsewhere below 0.001 bp)
    daily = country_term_premium("US", us_data, frequency="daily", start="2012-01-01")
    monthly = country_term_premium("US", us_data, start="2012-01-01")
    month_ends = monthly.decomposition.term_premium.index
    np.testing.assert_allclose(
        daily.decomposition.term_premium.loc[month_ends].to_numpy(),
        monthly.decomposition.term_premium.to_numpy(),
        atol=1e-3,
    )
    assert len(daily.decomposition.term_premium) > 3400


def _rms_by_maturity(term_premium: pd.DataFrame) -> pd.Series:
    gaps = nyfed_gaps(term_premium)
    return gaps.groupby("years")["gap_bp"].apply(lambda gap: float(np.sqrt(np.mean(gap**2))))


def _before(rate: pd.Series, other: pd.Series, month: str) -> pd.Series:
    """``rate`` with the months before ``month`` taken from ``other``."""
    return rate.where(rate.index >= pd.Timestamp(month), other)


# Issue 17 asks for 10y <= 3 bp AND 2y <= 6 bp on the 18 check values. Each choice below
# changes one thing of the default (cmt_bills: 3.01 / 8.19) on the same month-end GSW curves
# (1961-06..2025-09) and none meets both (the full table is in the countries module
# docstring): the choices with 10y <= 3.0 bp (sample from 1962-01, factors from 1 month, and
# outside this list factors on a quarterly grid 2.88 / 7.82, the semiannual reading of the
# bill 2.80 / 7.83) leave the 2-year at 7.8-9.0 bp; those with 2y <= 6 bp leave the 10-year
# at 3.3-7.7 bp. A lower short rate before 1981 lifts every premium: it closes the 1975-03
# 2-year gap (-15.6 bp) and opens the 10-year ones of 1974-1990.
FRONTIER = [
    # (label, how, rms 10y, rms 2y)
    ("sample from 1962-01", {"start": "1962-01"}, 2.96, 8.99),
    ("sample to 2025-06 (the vintage's last month-end)", {"end": "2025-06"}, 3.30, 8.32),
    ("returns at 12..120 by 12", {"return_maturities": tuple(range(12, 121, 12))}, 3.25, 7.01),
    ("returns at 3..120 by 3", {"return_maturities": tuple(range(3, 121, 3))}, 3.21, 8.59),
    ("factors from 1..120 months", {"factor_maturities": tuple(range(1, 121))}, 2.42, 8.91),
    ("K = 4", {"n_factors": 4}, 5.62, 9.12),
    ("K = 6", {"n_factors": 6}, 3.26, 10.74),
    ("GSW 2-month yield before 1981-09", {"pre_1981": "gsw_2m"}, 6.59, 5.54),
    ("GSW 1-month minus 10 bp before 1981-09", {"pre_1981": "minus_10bp"}, 4.57, 5.90),
    ("0.6 GSW 1-month + 0.4 DTB3 slope before 1981-09", {"pre_1981": "blend_0.6"}, 4.23, 6.06),
    ("DTB3 slope before 1971-08, GSW 1-month to 1981-08", {"pre_1981": "dtb3_to_1971"}, 3.34, 5.71),
]  # fmt: skip


@pytest.fixture(scope="module")
def default_fit(options_data: pd.DataFrame) -> CountryTermPremium:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ShortEndWarning)  # 1961-06..1981-08: GSW 1-month
        return country_term_premium("US", options_data)


@pytest.mark.parametrize(("label", "how", "rms_10y", "rms_2y"), FRONTIER)
def test_no_choice_meets_both_fidelity_targets(
    default_fit: CountryTermPremium,
    options_data: pd.DataFrame,
    label: str,
    how: dict[str, object],
    rms_10y: float,
    rms_2y: float,
) -> None:
    model = default_fit.results.model
    options = {key: value for key, value in how.items() if key not in ("start", "end", "pre_1981")}
    window = slice(how.get("start"), how.get("end"))
    yields = model.yields.loc[window]
    rate = model.short_rate.loc[window]
    if "pre_1981" in how:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ShortEndWarning)
            dtb3 = short_rate(yields, options_data, US_SHORT_RATE_OPTIONS["discount_bills"])
        early = {
            "gsw_2m": yields[2],
            "minus_10bp": rate - 0.10,
            "blend_0.6": 0.6 * rate + 0.4 * dtb3,
            "dtb3_to_1971": _before(rate, dtb3, "1971-08"),
        }[str(how["pre_1981"])]
        rate = _before(rate, early, "1981-09")
    fit = ACM(yields, short_rate=rate, **options).fit()  # type: ignore[arg-type]
    rms = _rms_by_maturity(fit.term_premium)
    assert (rms[10], rms[2]) == pytest.approx((rms_10y, rms_2y), abs=0.006), label
    assert not (rms[10] <= 3.0 and rms[2] <= 6.0)
