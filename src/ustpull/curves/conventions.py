"""Bond-market conventions held as data: one row per market.

Every routine in :mod:`ustpull.curves.bonds` reads its coupon frequency, day count,
settlement lag, calendar and yield convention from :data:`MARKETS` rather than from
if-chains, so adding a market means adding a row.

References
----------
* U.S. Treasury: 31 CFR Part 356, Appendix B (semiannual coupons, actual/actual
  accrual by half-year, bills on a 360-day discount basis); SIFMA *Standard Formulas*
  (street convention, simple interest in the final coupon period); T+1 settlement on
  the SIFMA-recommended bond-market calendar.
* Bund: Deutsche Finanzagentur, annual coupons, ACT/ACT (ICMA), T+2 settlement,
  ICMA compound yield throughout.
* JGB: Ministry of Finance Japan, semiannual coupons, ACT/365 (fixed) accrual,
  T+1 settlement since May 2018.
* Gilt: UK DMO *Formulae for Calculating Gilt Prices from Yields* (semiannual,
  ACT/ACT (ICMA), T+1, simple yield in the final coupon period).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ustpull._typing import PeriodYield as FinalPeriodYield
from ustpull.errors import DataError

DayCount = Literal["act_act_icma", "act_365_fixed"]
CalendarName = Literal["us_government_bond", "weekends_only"]
BillYield = Literal["bond_equivalent", "money_market"]
Market = Literal["us_treasury", "bund", "jgb", "gilt"]


@dataclass(frozen=True)
class MarketConvention:
    """Conventions of one government-bond market.

    Attributes
    ----------
    name : str
        Key in :data:`MARKETS`.
    coupon_frequency : int
        Coupons per year (2 = semiannual, 1 = annual).
    day_count : {"act_act_icma", "act_365_fixed"}
        Accrued-interest day count: ICMA actual/actual (days accrued over days in the
        coupon period) or actual/365 fixed.
    end_of_month : bool
        A security maturing on the last day of a month pays every coupon on the last
        day of its month (Treasury's rule for notes issued at month end).
    settlement_days : int
        Business days from trade date to settlement date.
    calendar : {"us_government_bond", "weekends_only"}
        Holiday calendar of :mod:`ustpull.curves.calendar`.
    final_period_yield : {"simple", "compound"}
        Yield convention when only the redemption payment is left: simple interest
        (street convention for Treasuries and gilts) or compound.
    bill_day_basis : int
        Day basis of bill rates: the discount rate of Treasury bills (360), the simple
        money-market yield elsewhere (Bubills 360, JGB T-bills and gilt bills 365).
    bill_yield : {"bond_equivalent", "money_market"}
        How a bill's yield is quoted: Treasury's bond-equivalent yield (365/366-day year,
        the semiannual quadratic beyond half a year) or the simple yield
        ``(100/P - 1) * bill_day_basis / days``.
    """

    name: str
    coupon_frequency: int
    day_count: DayCount
    end_of_month: bool
    settlement_days: int
    calendar: CalendarName
    final_period_yield: FinalPeriodYield
    bill_day_basis: int
    bill_yield: BillYield


MARKETS: dict[str, MarketConvention] = {
    convention.name: convention
    for convention in (
        MarketConvention(
            "us_treasury",
            2,
            "act_act_icma",
            True,
            1,
            "us_government_bond",
            "simple",
            360,
            "bond_equivalent",
        ),
        MarketConvention(
            "bund", 1, "act_act_icma", False, 2, "weekends_only", "compound", 360, "money_market"
        ),
        MarketConvention(
            "jgb", 2, "act_365_fixed", False, 1, "weekends_only", "compound", 365, "money_market"
        ),
        MarketConvention(
            "gilt", 2, "act_act_icma", False, 1, "weekends_only", "simple", 365, "money_market"
        ),
    )
}


def market_convention(market: str) -> MarketConvention:
    """The :class:`MarketConvention` of ``market``; a clear error for an unknown key."""
    try:
        return MARKETS[market]
    except KeyError:
        known = ", ".join(sorted(MARKETS))
        raise DataError(f"unknown market {market!r}; known markets: {known}") from None
