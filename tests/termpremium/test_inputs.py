"""Month-end sampling, money-market quote conventions and the short-rate splice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.conventions import money_market_to_continuous
from ustpull.errors import DataError, ShortEndWarning
from ustpull.termpremium.inputs import (
    ShortRateSource,
    bond_equivalent_to_continuous,
    month_end,
    short_rate,
    spliced_short_rate,
)


def test_conversions_at_five_percent() -> None:
    # 200 ln(1.025) = 4.938522;
    # (36500/30.4167) ln(1 + 5 * 30.4167/36500) = 1200 ln(1 + 5/1200) = 4.989612
    semiannual = bond_equivalent_to_continuous(np.float64(5.0), conversion="semiannual")
    assert semiannual == pytest.approx(4.938522, abs=1e-6)
    # the bill (money-market) convention is the default
    assert bond_equivalent_to_continuous(np.float64(5.0)) == pytest.approx(4.989612, abs=1e-6)
    with pytest.raises(DataError, match="conversion"):
        bond_equivalent_to_continuous(np.float64(5.0), conversion="daily")  # type: ignore[arg-type]


def test_bank_discount_to_money_market_to_continuous() -> None:
    # 91-day bill at a 5 % bank discount: P = 1 - 5 * 91 / 36000 = 0.98736111;
    # money-market yield 36000/91 (1/P - 1) = 5.064003 % (act/360);
    # continuous (365-day year) -36500/91 ln P = 5.101753 %
    rate = money_market_to_continuous(np.array([5.0]), quote="discount", days=91.0)
    assert rate[0] == pytest.approx(5.101753, abs=1e-6)
    money_market = 36000 / 91 * (1 / (1 - 5 * 91 / 36000) - 1)
    assert money_market == pytest.approx(5.064003, abs=1e-6)
    np.testing.assert_allclose(
        rate, money_market_to_continuous(np.array([money_market]), quote="simple_360", days=91.0)
    )
    # an overnight act/360 rate of 3 %: 36500 ln(1 + 3/36000) = 3.041540 %
    overnight = money_market_to_continuous(np.array([3.0]), quote="simple_360", days=1.0)
    assert overnight[0] == pytest.approx(3.041540, abs=1e-6)
    # the same rate act/365 (yen call rate, SONIA): 36500 ln(1 + 3/36500) = 2.999877 %
    act_365 = money_market_to_continuous(np.array([3.0]), quote="simple_365", days=1.0)
    assert act_365[0] == pytest.approx(2.999877, abs=1e-6)
    with pytest.raises(DataError, match="quote must be one of"):
        money_market_to_continuous(np.array([3.0]), quote="act/365", days=1.0)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="days to maturity must be positive"):
        money_market_to_continuous(np.array([3.0]), quote="discount", days=0.0)


def test_month_end_last_row_and_incomplete_month() -> None:
    index = pd.to_datetime(["2020-01-30", "2020-01-31", "2020-02-27", "2020-02-28", "2020-03-10"])
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan, 5.0]}, index=index)
    result = month_end(frame)
    # 2020-02-28 has no data: February's month-end is the 27th; March stops mid-month
    assert list(result.index.strftime("%Y-%m-%d")) == ["2020-01-31", "2020-02-27"]
    assert len(month_end(frame, drop_incomplete=False)) == 3
    # a last weekday lost to a holiday still counts (TARGET closes on 31 December)
    year_end = pd.DataFrame({"a": [1.0, 2.0]}, index=pd.to_datetime(["2020-11-30", "2020-12-30"]))
    assert month_end(year_end).index[-1] == pd.Timestamp("2020-12-30")


def test_spliced_short_rate() -> None:
    months = pd.to_datetime(["2001-05-31", "2001-06-29", "2001-07-31", "2001-08-31"])
    curve = pd.Series([4.0, 3.9, 3.8, 3.7], index=months)
    daily = pd.to_datetime(["2001-07-30", "2001-07-31", "2001-08-30"])
    bill = pd.Series([3.6, 3.67, 3.5], index=daily)
    result = spliced_short_rate(curve, bill, conversion="semiannual")
    np.testing.assert_allclose(
        result.to_numpy(), [4.0, 3.9, 200 * np.log1p(3.67 / 200), 200 * np.log1p(3.5 / 200)]
    )
    assert list(result.attrs["source"]) == ["curve", "curve", "bill", "bill"]
    pd.testing.assert_series_equal(spliced_short_rate(curve, None), curve.rename("short_rate"))


def _curve(months: pd.DatetimeIndex) -> pd.DataFrame:
    # 1-month 4.0 %, 3-month 4.2 %: a 20 bp slope
    return pd.DataFrame({1: 4.0, 2: 4.1, 3: 4.2}, index=months)


def test_short_rate_by_the_book() -> None:
    months = pd.to_datetime(["2001-05-31", "2001-06-29", "2001-07-31", "2001-08-31"])
    data = pd.DataFrame(
        {
            "bill1m": [np.nan, np.nan, 3.67, np.nan, 3.5],
            # a 3-month discount quote after the curve's month-end date does not count
            "bill3m": [3.9, 3.8, 3.7, 3.75, np.nan],
        },
        index=pd.to_datetime(
            ["2001-05-31", "2001-06-29", "2001-07-31", "2001-08-30", "2001-08-31"]
        ),
    )
    sources = (
        ShortRateSource("bill1m", "bond_equivalent", 365 / 12),
        ShortRateSource("bill3m", "discount", 91.0, "curve_slope", 3),
    )
    result = short_rate(_curve(months), data, sources)
    three = money_market_to_continuous(np.array([3.9, 3.8]), quote="discount", days=91.0)
    expected = [
        4.0 + three[0] - 4.2,  # bill level at 3 months, curve slope from 3 to 1 month
        4.0 + three[1] - 4.2,
        float(
            money_market_to_continuous(np.array([3.67]), quote="bond_equivalent", days=365 / 12)[0]
        ),
        float(
            money_market_to_continuous(np.array([3.5]), quote="bond_equivalent", days=365 / 12)[0]
        ),
    ]
    np.testing.assert_allclose(result.to_numpy(), expected, rtol=0, atol=1e-12)
    assert list(result.attrs["source"]) == ["bill3m", "bill3m", "bill1m", "bill1m"]


def test_short_rate_warns_where_no_rate_exists() -> None:
    months = pd.to_datetime(["2004-09-30", "2004-10-29", "2004-11-30", "2004-12-31"])
    # a monthly average dated on the first of its month counts for that month
    data = pd.DataFrame({"eonia": [2.05, 2.08]}, index=pd.to_datetime(["2004-10-01", "2004-11-01"]))
    sources = (
        ShortRateSource("estr", "simple_360", 1.0),
        ShortRateSource("eonia", "simple_360", 1.0),
    )
    with pytest.warns(ShortEndWarning, match=r"2 months \(2004-09, 2004-12\)"):
        result = short_rate(_curve(months), data, sources, country="EA")
    assert list(result.attrs["source"]) == ["curve", "eonia", "eonia", "curve"]
    assert result.iloc[1] == pytest.approx(36500 * np.log1p(2.05 / 36000))
    assert result.iloc[0] == 4.0


def test_next_month_bill_return_is_the_rate_at_month_end() -> None:
    # French's RF for a month is the return of a one-month bill bought at the previous
    # month-end: RF(2019-09) = 0.18 % -> 1200 ln(1.0018) = 2.158058 % at 2019-08-30
    months = pd.to_datetime(["2019-07-31", "2019-08-30", "2019-09-30"])
    data = pd.DataFrame(
        {"rf": [0.19, 0.16, 0.18]}, index=pd.to_datetime(["2019-07-01", "2019-08-01", "2019-09-01"])
    )
    sources = (ShortRateSource("rf", "holding_return", 365 / 12, lead_months=1),)
    with pytest.warns(ShortEndWarning, match=r"1 months \(2019-09\)"):
        result = short_rate(_curve(months), data, sources)
    assert result.iloc[1] == pytest.approx(2.158058, abs=1e-6)
    assert result.iloc[0] == pytest.approx(1200 * np.log1p(0.16 / 100), abs=1e-12)
    assert list(result.attrs["source"]) == ["rf", "rf", "curve"]
