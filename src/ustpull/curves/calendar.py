"""Business-day calendars for government-bond settlement, computed by rule.

The U.S. government-bond calendar follows the SIFMA holiday recommendations (full
closes only). Every holiday is generated from its rule for whole arrays of years at
once (no hard-coded date list):

=================  ==========================================  ======================
holiday            rule                                        weekend observance
=================  ==========================================  ======================
New Year's Day     1 January                                   Sunday -> Monday only
Martin Luther King third Monday of January (from 1983)         --
Presidents Day     third Monday of February                    --
Good Friday        two days before Easter Sunday; from 1996    --
                   an early close, not a close, when it is
                   the first Friday of the month (payrolls)
Memorial Day       last Monday of May                          --
Juneteenth         19 June (from 2022)                         Sat -> Fri, Sun -> Mon
Independence Day   4 July                                      Sat -> Fri, Sun -> Mon
Labor Day          first Monday of September                   --
Columbus Day       second Monday of October                    --
Veterans Day       11 November                                 Sunday -> Monday only
Thanksgiving       fourth Thursday of November                 --
Christmas          25 December                                 Sat -> Fri, Sun -> Mon
=================  ==========================================  ======================

The observance rules are those of QuantLib's ``UnitedStates(GovernmentBond)``
calendar, which encodes the same SIFMA recommendations. One-off closures (national
days of mourning, 11-12 September 2001, hurricane Sandy) are not rule-based and are
not included. Markets other than the U.S. use ``"weekends_only"``.

References
----------
SIFMA, *Holiday Schedule* (US recommendations), https://www.sifma.org/resources/general/holiday-schedule/
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ustpull.curves.conventions import CalendarName, Market, market_convention
from ustpull.errors import DataError

DateArray = npt.NDArray[Any]  # datetime64[D]; numpy stubs mistype datetime + timedelta
_MONDAY, _THURSDAY, _FRIDAY = 0, 3, 4
_JUNETEENTH_FIRST_YEAR = 2022
_MLK_FIRST_YEAR = 1983
_GOOD_FRIDAY_PAYROLL_RULE_FROM = 1996


def _weekday(days: DateArray) -> npt.NDArray[np.int64]:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").astype(np.int64) + 3) % 7


def _first_of_month(years: npt.NDArray[np.int64], month: int) -> DateArray:
    return (years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(
        month - 1, "M"
    )


def _nth_weekday(years: npt.NDArray[np.int64], month: int, weekday: int, n: int) -> DateArray:
    first = _first_of_month(years, month).astype("datetime64[D]")
    offset = (weekday - _weekday(first)) % 7 + 7 * (n - 1)
    return first + offset.astype("timedelta64[D]")


def _last_weekday(years: npt.NDArray[np.int64], month: int, weekday: int) -> DateArray:
    last = (_first_of_month(years, month) + np.timedelta64(1, "M")).astype(
        "datetime64[D]"
    ) - np.timedelta64(1, "D")
    return last - ((_weekday(last) - weekday) % 7).astype("timedelta64[D]")


def _fixed(years: npt.NDArray[np.int64], month: int, day: int) -> DateArray:
    return _first_of_month(years, month).astype("datetime64[D]") + np.timedelta64(day - 1, "D")


def _observed(days: DateArray, *, saturday_to_friday: bool) -> DateArray:
    """Move a Sunday holiday to Monday and, if asked, a Saturday one to Friday."""
    weekday = _weekday(days)
    shift = np.where(weekday == 6, 1, 0)
    if saturday_to_friday:
        shift = np.where(weekday == 5, -1, shift)
    return days + shift.astype("timedelta64[D]")


def easter_sunday(years: npt.ArrayLike) -> DateArray:
    """Gregorian Easter Sunday for an array of years (anonymous Gregorian algorithm).

    Reference: Meeus, *Astronomical Algorithms* (1991), ch. 8.
    """
    y = np.asarray(years, dtype=np.int64)
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    first = (y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1).astype(
        "timedelta64[M]"
    )
    return first.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


def us_government_bond_holidays(first_year: int, last_year: int) -> pd.DatetimeIndex:
    """Weekday full closes of the U.S. government-bond market, ``first_year..last_year``.

    Parameters
    ----------
    first_year, last_year : int
        Inclusive range of calendar years.

    Returns
    -------
    pandas.DatetimeIndex
        Sorted, unique holiday dates that fall on weekdays, named ``date``.
    """
    if last_year < first_year:
        raise DataError(f"last_year {last_year} is before first_year {first_year}")
    years = np.arange(first_year, last_year + 1, dtype=np.int64)
    good_friday = easter_sunday(years) - np.timedelta64(2, "D")
    good_friday_day = (good_friday - good_friday.astype("datetime64[M]")).astype(np.int64) + 1
    good_friday_closed = (years < _GOOD_FRIDAY_PAYROLL_RULE_FROM) | (good_friday_day > 7)
    juneteenth_years = years[years >= _JUNETEENTH_FIRST_YEAR]
    candidates = np.concatenate(
        [
            _observed(_fixed(years, 1, 1), saturday_to_friday=False),
            _nth_weekday(years[years >= _MLK_FIRST_YEAR], 1, _MONDAY, 3),
            _nth_weekday(years, 2, _MONDAY, 3),
            good_friday[good_friday_closed],
            _last_weekday(years, 5, _MONDAY),
            _observed(_fixed(juneteenth_years, 6, 19), saturday_to_friday=True),
            _observed(_fixed(years, 7, 4), saturday_to_friday=True),
            _nth_weekday(years, 9, _MONDAY, 1),
            _nth_weekday(years, 10, _MONDAY, 2),
            _observed(_fixed(years, 11, 11), saturday_to_friday=False),
            _nth_weekday(years, 11, _THURSDAY, 4),
            _observed(_fixed(years, 12, 25), saturday_to_friday=True),
        ]
    )
    weekdays = np.unique(candidates[_weekday(candidates) < 5])
    return pd.DatetimeIndex(weekdays.astype("datetime64[ns]"), name="date")


def _holiday_array(calendar: CalendarName, days: DateArray, extra_days: int) -> DateArray:
    if calendar == "weekends_only":
        return np.array([], dtype="datetime64[D]")
    if calendar != "us_government_bond":
        raise DataError(f"unknown calendar {calendar!r}")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    first_year = int(years.min()) - 1
    last_year = int(years.max()) + 1 + extra_days // 200
    return us_government_bond_holidays(first_year, last_year).to_numpy().astype("datetime64[D]")


def _as_days(dates: npt.ArrayLike | pd.Timestamp) -> DateArray:
    index = pd.DatetimeIndex(np.atleast_1d(np.asarray(dates, dtype="datetime64[ns]")))
    if index.hasnans:
        raise DataError("dates contain NaT")
    return index.to_numpy().astype("datetime64[D]")


def is_business_day(
    dates: npt.ArrayLike | pd.Timestamp, *, calendar: CalendarName = "us_government_bond"
) -> npt.NDArray[np.bool_]:
    """True where a date is neither a weekend nor a holiday of ``calendar``."""
    days = _as_days(dates)
    return np.is_busday(days, holidays=_holiday_array(calendar, days, 0))


def add_business_days(
    dates: npt.ArrayLike | pd.Timestamp,
    business_days: int,
    *,
    calendar: CalendarName = "us_government_bond",
) -> pd.DatetimeIndex:
    """Roll each date forward to a business day, then add ``business_days`` business days.

    Vectorised with :func:`numpy.busday_offset` (``roll="forward"``): a trade date that is
    a holiday first moves to the next business day.
    """
    days = _as_days(dates)
    holidays = _holiday_array(calendar, days, abs(business_days) * 2 + 10)
    shifted = np.busday_offset(days, business_days, roll="forward", holidays=holidays)
    return pd.DatetimeIndex(shifted.astype("datetime64[ns]"), name="date")


def settlement_date(
    trade_dates: npt.ArrayLike | pd.Timestamp,
    *,
    market: Market = "us_treasury",
) -> pd.DatetimeIndex:
    """Regular settlement date of trades: T + ``settlement_days`` business days.

    For U.S. Treasuries this is T+1 on the U.S. government-bond calendar, e.g. a trade
    on Wednesday 2024-06-26 settles on Thursday 2024-06-27 and a trade on Tuesday
    2024-06-18 settles on Thursday 2024-06-20 (Juneteenth is closed).
    """
    convention = market_convention(market)
    return add_business_days(trade_dates, convention.settlement_days, calendar=convention.calendar)
