"""U.S. government-bond holiday calendar and settlement dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.curves.calendar import (
    add_business_days,
    easter_sunday,
    is_business_day,
    settlement_date,
    us_government_bond_holidays,
)
from ustpull.errors import DataError


@pytest.mark.parametrize(
    "closed",
    [
        "2024-06-19",  # Juneteenth (SIFMA 2024 schedule)
        "2024-07-04",  # Independence Day
        "2024-03-29",  # Good Friday 2024 (full close: not the first Friday)
        "2024-10-14",  # Columbus Day, second Monday of October
        "2024-11-11",  # Veterans Day
        "2024-11-28",  # Thanksgiving
        "2024-01-15",  # Martin Luther King Jr. Day
        "2022-06-20",  # Juneteenth 2022 on Sunday, observed Monday
        "2021-12-24",  # Christmas 2021 on Saturday, observed Friday
        "2023-01-02",  # New Year 2023 on Sunday, observed Monday
        "2020-07-03",  # Independence Day 2020 on Saturday, observed Friday
        "1995-04-14",  # Good Friday before the 1996 payrolls rule: closed
        "2018-03-30",  # Good Friday 2018 (not the first Friday of April)
        "2017-01-02",  # New Year 2017 on Sunday, observed Monday
    ],
)
def test_known_closes(closed: str) -> None:
    assert not is_business_day(closed)[0]


@pytest.mark.parametrize(
    "open_day",
    [
        "2021-12-31",  # New Year 2022 on Saturday is not moved to Friday (SIFMA)
        "2021-06-18",  # Juneteenth starts in 2022
        "2023-04-07",  # Good Friday on the payrolls Friday: early close, not a close
        "2024-06-18",
        "2023-11-10",  # Veterans Day 2023 on Saturday: no Friday observance
        "2012-04-06",  # Good Friday on the payrolls Friday (SIFMA early close)
        "2015-04-03",  # idem
    ],
)
def test_known_open_days(open_day: str) -> None:
    assert is_business_day(open_day)[0]


def test_agrees_with_quantlib_over_fifty_years() -> None:
    # QuantLib 1.44 UnitedStates(GovernmentBond).holidayList(1990-01-01, 2040-12-31) has 557
    # weekday holidays (computed 2026-11-25); ours has the same dates except QuantLib's three
    # one-off closures (2004-06-11, 2012-10-30, 2018-12-05), which are not rule-based.
    assert len(us_government_bond_holidays(1990, 2040)) == 557 - 3


def test_2024_holiday_count_and_list() -> None:
    # SIFMA 2024 U.S. recommendations: 12 weekday full closes
    holidays = us_government_bond_holidays(2024, 2024)
    assert list(holidays.strftime("%m-%d")) == [
        "01-01",
        "01-15",
        "02-19",
        "03-29",
        "05-27",
        "06-19",
        "07-04",
        "09-02",
        "10-14",
        "11-11",
        "11-28",
        "12-25",
    ]


def test_easter_known_dates() -> None:
    # Meeus: Easter 2000-04-23, 2024-03-31, 2025-04-20, 2038-04-25
    easter = easter_sunday([2000, 2024, 2025, 2038])
    assert list(pd.DatetimeIndex(easter).strftime("%Y-%m-%d")) == [
        "2000-04-23",
        "2024-03-31",
        "2025-04-20",
        "2038-04-25",
    ]


@pytest.mark.parametrize(
    ("trade", "settle"),
    [
        ("2024-06-26", "2024-06-27"),  # TreasuryDirect prices: next business day
        ("2024-06-18", "2024-06-20"),  # across Juneteenth
        ("2024-07-03", "2024-07-05"),  # across Independence Day
        ("2024-03-28", "2024-04-01"),  # across Good Friday and the weekend
        ("2024-06-29", "2024-07-02"),  # Saturday trade rolls to Monday, then T+1
    ],
)
def test_t_plus_one_settlement(trade: str, settle: str) -> None:
    assert settlement_date(trade)[0] == pd.Timestamp(settle)


def test_settlement_is_vectorised_and_bund_is_t_plus_two() -> None:
    trades = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    settle = settlement_date(trades)
    assert len(settle) == len(trades)
    assert is_business_day(settle).all()
    assert (settle > trades).all()
    assert settlement_date("2024-06-26", market="bund")[0] == pd.Timestamp("2024-06-28")


def test_add_business_days_counts_only_open_days() -> None:
    shifted = add_business_days(np.array(["2024-12-23"], dtype="datetime64[D]"), 3)
    assert shifted[0] == pd.Timestamp("2024-12-27")  # skips Christmas


def test_bad_input() -> None:
    with pytest.raises(DataError, match="NaT"):
        is_business_day(np.array(["2024-01-02", "NaT"], dtype="datetime64[D]"))
    with pytest.raises(DataError, match="before first_year"):
        us_government_bond_holidays(2025, 2024)
