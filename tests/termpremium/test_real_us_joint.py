"""The joint nominal-real model on U.S. data: real curve inputs, fit and published breakevens.

References: FRED T10YIE (10-year breakeven = 10-year CMT minus 10-year TIPS CMT, percent) and
the Federal Reserve Board's GSW zero-coupon breakeven BKEVEN10 (FEDS 2008-05, percent,
continuously compounded), month-end values from the shared data. Recipe of the measured
numbers: ``us_nominal_real(load_frame(country_curve("US").series_ids + REAL_INPUT_IDS))``,
defaults (5 nominal and 2 real factors, no liquidity factor), sample 2003-01..2025-09.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.sources.local import load_frame
from ustpull.termpremium.countries import country_curve
from ustpull.termpremium.inputs import value_in_month
from ustpull.termpremium.real import NominalRealResults
from ustpull.termpremium.real_us import (
    REAL_INPUT_IDS,
    tips_cmt_curve,
    tips_inflation_accrual,
    us_nominal_real,
    us_real_zero_yields,
)

CHECK_IDS = ["us.breakeven.10y", "us.gsw.breakeven.10y", "us.gsw.tips.zero.5y"]


@pytest.fixture(scope="module")
def data(shared_data: Path) -> pd.DataFrame:
    return load_frame(
        country_curve("US").series_ids + list(REAL_INPUT_IDS) + CHECK_IDS, shared_data
    )


@pytest.fixture(scope="module")
def joint(data: pd.DataFrame) -> NominalRealResults:
    return us_nominal_real(data)


def _month_ends(data: pd.DataFrame, series: str, dates: pd.DatetimeIndex) -> pd.Series:
    return pd.Series(value_in_month(data[series], dates), index=dates)


def test_sample_and_fit(joint: NominalRealResults) -> None:
    index = joint.nominal_yields.index
    assert (index[0], index[-1], len(index)) == (
        pd.Timestamp("2003-01-31"),
        pd.Timestamp("2025-09-30"),
        273,
    )
    real_rmse = np.sqrt((joint.real_pricing_errors**2).mean())
    nominal_rmse = np.sqrt((joint.nominal_pricing_errors**2).mean())
    # measured TIPS RMSE 7.1 / 2.4 / 3.8 bp at 2 / 5 / 10 years; nominal 6.8 / 8.1 / 10.2 bp
    # at 2 / 5 / 10 years (one set of prices of risk must price the TIPS returns too)
    assert real_rmse[[24, 60, 120]].max() < 8.0
    assert nominal_rmse[[24, 60, 120]].max() < 11.0


def test_model_breakeven_matches_published(joint: NominalRealResults, data: pd.DataFrame) -> None:
    frame = joint.to_frame((10,))
    model = frame["yield_10y"] - frame["real_yield_10y"]
    assert np.allclose(
        model, frame["expected_inflation_10y"] + frame["inflation_risk_premium_10y"], atol=1e-12
    )
    # T10YIE (par yields): measured mean gap +1.5 bp, rms 11.9 bp, correlation 0.959
    cmt = _month_ends(data, "us.breakeven.10y", frame.index)
    gap = 100 * (model - cmt)
    assert abs(gap.mean()) < 3.0
    assert np.sqrt((gap**2).mean()) < 13.0
    assert model.corr(cmt) > 0.95
    # GSW zero-coupon BKEVEN10, 2022-10..2025-09 (36 months): measured mean -4.8, rms 5.6 bp
    zero = _month_ends(data, "us.gsw.breakeven.10y", frame.index).dropna()
    gap = 100 * (model.loc[zero.index] - zero)
    assert len(zero) == 36
    assert np.sqrt((gap**2).mean()) < 7.0
    # expected inflation stays in a plausible band (measured 1.73..3.03 %, mean 2.54 %)
    assert frame["expected_inflation_10y"].between(1.5, 3.5).all()


def test_real_curve_sources_and_cmt_fit(data: pd.DataFrame, joint: NominalRealResults) -> None:
    dates = pd.DatetimeIndex(joint.nominal_yields.index)
    real = us_real_zero_yields(data, dates)
    source = real.attrs["source"]
    assert source.loc["2022-09-30"] == "tips_cmt"
    assert source.loc["2022-10-31"] == "gsw_tips"
    assert (source == "gsw_tips").sum() == 36
    # on GSW months the CMT fit is within 5 bp (rms) of GSW's 5-year real zero yield
    quotes = pd.DataFrame(
        {n: value_in_month(data[f"us.tips.{n}y"], dates) for n in (5, 7, 10)}, index=dates
    )
    quotes[5] = quotes[5].fillna(
        _month_ends(data, "us.cmt.5y", dates) - _month_ends(data, "us.breakeven.5y", dates)
    )
    fitted = tips_cmt_curve(quotes, [60])[60]
    gsw = _month_ends(data, "us.gsw.tips.zero.5y", dates).dropna()
    gap = 100 * (fitted.loc[gsw.index] - gsw)
    assert np.sqrt((gap**2).mean()) < 5.0  # measured 4.8 bp
    with pytest.raises(DataError, match="the real curve needs series"):
        us_real_zero_yields(data.drop(columns="us.cpi"), dates)
    with pytest.raises(DataError, match=r"no U\.S\. curve data between 2030-01-01 and the end"):
        us_nominal_real(data, start="2030-01-01")


def test_inflation_accrual_uses_the_reference_cpi() -> None:
    cpi = pd.Series(
        [100.0, 101.0, 102.0, 103.0],
        index=pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"]),
    )
    dates = pd.DatetimeIndex(["2020-05-29", "2020-06-30"])
    accrual = tips_inflation_accrual(cpi, dates)
    # May: ln(CPI_Mar / CPI_Feb); June: ln(CPI_Apr / CPI_Mar)
    np.testing.assert_allclose(accrual, 100 * np.log([102 / 101, 103 / 102]))
