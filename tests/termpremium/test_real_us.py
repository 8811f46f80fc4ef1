"""U.S. ACM on real data against the NY Fed's published term premium.

Reference: Federal Reserve Bank of New York, "Treasury Term Premia" (ACM), month-end values
of ACMTP10 / ACMTP02 in percent, vintage 2025-07, as listed in issues 1 and 17
(:data:`ustpull.termpremium.published.NYFED_ACM_CHECKS`). Inputs: the complete GSW parameter
history (``ustpull.curves.gsw.gsw_parameter_history``) at maturities 1..120 months,
month-ends 1961-06..2025-09, short rates by the book (``US_SHORT_RATES``): the 1-month CMT
bill (DGS1MO, bond-equivalent -> continuous) from 2001-07, before it the 3-month bill
(DTB3, bank discount -> money market -> continuous) at the GSW 3-month point carried to one
month by the GSW 1-3 month slope.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.errors import ShortEndWarning
from ustpull.sources.local import load_frame
from ustpull.termpremium.acm import ACM
from ustpull.termpremium.countries import (
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
# full sample 1961-06..2025-09, short rates by the book (default):
#   10y: +4.0 +11.0 +17.3 +9.2 +6.9 +6.2 +2.3 +1.6 +2.5 +0.7 +7.2 +6.6   (rms 7.7, max 17.3)
#    2y: -7.1 +8.8 +2.6 +5.1 +2.8 -1.9                                    (rms 5.3, max 8.8)
# with the GSW 1-month yield before 2001-07 (US_SHORT_RATES[:1], money-market bill after):
#   10y: rms 3.7, max 6.7 (1965-12);  2y: rms 11.1, max 20.8 (1975-03)
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
    # issue 17 targets: rms <= 3 bp at 10 years (missed: 7.7, the 1970s-80s carry it), <= 6 bp
    # at 2 years (met: 5.3); 1- and 5-year values are not in the check set
    assert table.loc["all", ("rms_bp", 10)] == pytest.approx(7.7, abs=0.05)
    assert table.loc["all", ("rms_bp", 2)] == pytest.approx(5.3, abs=0.05)
    assert table.loc["1980s", ("rms_bp", 10)] == pytest.approx(17.3, abs=0.05)
    assert table.loc["all", ("n", 10)] == 12 and table.loc["all", ("n", 2)] == 6
    assert gaps["gap_bp"].abs().max() < 18.0
    sources = short_rate(us.results.model.yields, us_data, US_SHORT_RATES).attrs["source"]
    assert sources.loc[:"2001-06"].eq("us.tbill.3m").all()
    assert sources.loc["2001-07":].eq("us.cmt.1m").all()


def test_curve_short_rate_before_2001_trades_2y_for_10y_fidelity(us_data: pd.DataFrame) -> None:
    with pytest.warns(ShortEndWarning, match="481 months"):
        old = country_term_premium("US", us_data, short_rates=US_SHORT_RATES[:1])
    table = fidelity_table(nyfed_gaps(old.results.term_premium))
    assert table.loc["all", ("rms_bp", 10)] == pytest.approx(3.7, abs=0.05)
    assert table.loc["all", ("rms_bp", 2)] == pytest.approx(11.1, abs=0.05)


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
    daily = country_term_premium("US", us_data, freq="daily", start="2012-01-01")
    monthly = country_term_premium("US", us_data, start="2012-01-01")
    month_ends = monthly.decomposition.term_premium.index
    np.testing.assert_allclose(
        daily.decomposition.term_premium.loc[month_ends].to_numpy(),
        monthly.decomposition.term_premium.to_numpy(),
        atol=1e-3,
    )
    assert len(daily.decomposition.term_premium) > 3400
