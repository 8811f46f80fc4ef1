"""U.S. ACM on real data against the NY Fed's published term premium.

Reference: Federal Reserve Bank of New York, "Treasury Term Premia" (ACM), month-end values
of ACMTP10 / ACMTP02 in percent, vintage 2025-07, as listed in the task issue. Inputs: the
complete GSW parameter history (``ustpull.curves.gsw.gsw_parameter_history``) at maturities
1..120 months, month-ends 1961-06..2025-09, short rate = 1-month bill (DGS1MO, semiannual
bond-equivalent -> continuous) from 2001-07, the GSW 1-month yield before.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.sources.local import load_frame
from ustpull.termpremium.acm import ACM
from ustpull.termpremium.countries import (
    CountryTermPremium,
    country_curve,
    country_term_premium,
    zero_yields,
)
from ustpull.termpremium.inputs import month_end

# NY Fed ACM 10-year term premium, month-end, percent (vintage 2025-07), with our measured gap
# in bp (ours minus published, full sample 1961-06..2025-09) in the comment.
PUBLISHED_10Y = {
    "1965-12": 0.2197,  # -6.1
    "1974-09": 1.5793,  # -1.6
    "1981-09": 4.5705,  # -4.0
    "1990-06": 2.1238,  # -3.5
    "2000-01": 1.3437,  # -3.9
    "2007-06": 0.6465,  # -2.7
    "2012-07": 0.0904,  # +1.2
    "2016-07": -0.5917,  # -2.2
    "2019-08": -1.2521,  # -3.7
    "2020-03": -1.1555,  # -3.1
    "2023-10": 0.4187,  # -2.2
    "2025-06": 0.6408,  # -0.2
}
PUBLISHED_2Y_2019_08 = -0.8443  # measured gap -8.9 bp


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


def test_matches_published_10y_term_premium(us: CountryTermPremium) -> None:
    gaps = _gaps_bp(us.results.term_premium)
    # task bound 15 bp at each date; measured max 6.1 bp (1965-12), root mean square 3.2 bp
    assert gaps.abs().max() < 7.0
    assert np.sqrt((gaps**2).mean()) < 4.0


def test_matches_published_2y_term_premium(us: CountryTermPremium) -> None:
    gap = 100 * (_at(us.results.term_premium, "2019-08", 24) - PUBLISHED_2Y_2019_08)
    # task bound 15 bp; measured -8.9 bp
    assert abs(gap) < 10.0


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
    # measured RMSE 1.8 / 1.1 / 1.1 / 1.6 bp at 12 / 24 / 60 / 120 months; the 1-month
    # "error" (51 bp) is the bill-vs-GSW-extrapolation spread, as the fitted 1-month yield
    # is the short-rate equation's
    assert errors.loc[[12, 24, 60, 120], "rmse_bp"].max() < 2.5
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
