"""Dividend-discount additions: spliced real yield, smoothed earnings vs Shiller's CAPE, growth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import read_series
from ustpull.crossasset.ddm import (
    consistent_real_yield,
    dividend_discount_identity,
    real_earnings_growth,
    smoothed_earnings,
)
from ustpull.errors import DataError


@pytest.fixture(scope="module")
def shiller(shared_data: Path) -> pd.DataFrame:
    frame = pd.read_csv(shared_data / "equity/shiller_ie_data_monthly_1871_2026.csv")
    frame.index = pd.PeriodIndex(frame["YYYY_MM"], freq="M")
    return frame


def test_smoothed_earnings_reproduce_shillers_cape(shiller: pd.DataFrame) -> None:
    e10 = smoothed_earnings(shiller["E"], shiller["CPI"])
    cape = shiller["P"] / e10
    gap = (cape - shiller["CAPE"]).abs().dropna()
    # 1746 months 1881-2026 against Shiller's own CAPE column: median 0.03, worst 0.33 points
    assert len(gap) == 1746
    assert gap.median() < 0.04
    assert (gap / shiller["CAPE"].reindex(gap.index)).max() < 0.015
    # trailing earnings fell 92% from 2007-06 to 2009-03; the ten-year average only 5%
    trailing = shiller["E"].loc["2009-03"] / shiller["E"].loc["2007-06"] - 1
    smooth = e10.loc["2009-03"] / e10.loc["2007-06"] - 1
    assert trailing == pytest.approx(-0.92, abs=0.01)
    assert abs(smooth) < 0.10


def test_real_yield_is_spliced_without_a_level_gap(shared_data: Path) -> None:
    gs10 = read_series(shared_data / "fred/GS10.csv")
    cpi = read_series(shared_data / "macro/CPIAUCSL.csv")
    tips = read_series(shared_data / "fred/DFII10.csv")
    real = consistent_real_yield(gs10, cpi, tips)
    # proxy = GS10 - annualised 36-month CPI inflation to the month before; matched on the
    # mean TIPS-minus-proxy gap of 2003-01..2004-12: +0.007 pp
    assert real.attrs["splice_adjustment"] == pytest.approx(0.0072, abs=0.0001)
    assert real.loc[pd.Period("2002-12", "M"), "source"] == "proxy"
    assert real.loc[pd.Period("2003-01", "M"), "source"] == "tips"
    assert real.loc[pd.Period("2003-01", "M"), "real_yield"] == pytest.approx(2.294, abs=0.001)
    both = real.loc["2003-01":"2004-12"]
    gap = both["real_yield"] - both["proxy_unadjusted"] - real.attrs["splice_adjustment"]
    assert gap.mean() == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(DataError, match="share"):
        consistent_real_yield(gs10, cpi, tips.loc[:"2003-06-30"])


def test_identity_with_growth(shiller: pd.DataFrame) -> None:
    growth = real_earnings_growth(shiller["E"], shiller["CPI"])
    # 20-year trend growth of ten-year-average real earnings: 2.74%/yr at 2008-12, 3.87% at 2022-12
    assert growth.loc["2008-12"] == pytest.approx(2.739, abs=0.001)
    assert growth.loc["2022-12"] == pytest.approx(3.874, abs=0.001)
    ey = (100 * shiller["E"] / shiller["P"]).dropna()
    months = ey.index[-400:]
    real = pd.Series(1.0, index=months)
    table = dividend_discount_identity(ey.loc[months], real, growth)
    assert table.attrs["residual"] == "equity_risk_premium"
    identity = table["real_yield"] + table["equity_risk_premium"] - table["growth"]
    np.testing.assert_allclose(identity, table["earnings_yield"], rtol=1e-12)
    constant = dividend_discount_identity(ey.loc[months], real, 2.0)
    assert (constant["growth"] == 2.0).all()
    with pytest.raises(DataError, match="share no month"):
        dividend_discount_identity(ey.loc[months[:5]], real.loc[months[10:]], 2.0)
