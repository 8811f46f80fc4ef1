"""Quoting conventions every layer shares: tenor tokens and yield compounding.

Tenors: a series id ends in a tenor token, months below a year or not whole years
(``3m``, ``18m``), whole years otherwise (``10y``), and ``6w`` for Treasury's six-week bill.

Compounding: a yield ``y`` compounded ``m`` times a year and the continuously compounded
rate ``r`` of the same discount factor satisfy ``(1 + y/m)^(m t) = exp(r t)``, so

.. math::  r = m \\ln(1 + y/m), \\qquad y = m (e^{r/m} - 1).

The periods per year are data (:data:`PERIODS_PER_YEAR`), not branches. Rates are in
percent by default (``scale=100``); pass ``scale=1`` for decimals.

Market conventions of bonds (coupons, day counts, calendars) are
:mod:`ustpull.curves.conventions`. This module sits below every layer (sources parse tenors).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ustpull.errors import DataError

if TYPE_CHECKING:
    from ustpull._typing import Compounding, MaturityMonths, MaturityYears, QuoteType, Tenor

__all__ = [
    "PERIODS_PER_YEAR",
    "QUOTE_CONVENTIONS",
    "compounding_of",
    "from_continuous",
    "money_market_to_continuous",
    "series_maturity_years",
    "tenor_months",
    "tenor_token",
    "tenor_years",
    "to_continuous",
]

# ---------------------------------------------------------------- tenors
_TENOR_PATTERN = re.compile(r"^(?P<count>\d+)(?P<unit>[ymw])$")


def tenor_token(months: MaturityMonths) -> Tenor:
    """Canonical tenor token for a maturity given in months.

    Whole years become ``{n}y``, other whole months ``{m}m``, and Treasury's 1.5-month
    bill ``6w`` (six weeks).

    Examples
    --------
    >>> tenor_token(120), tenor_token(18), tenor_token(1.5), tenor_token(0)
    ('10y', '18m', '6w', '0m')
    """
    if months == 1.5:
        return "6w"
    if months < 0 or months != int(months):
        raise DataError(f"tenor of {months} months has no canonical token")
    whole = int(months)
    if whole > 0 and whole % 12 == 0:
        return f"{whole // 12}y"
    return f"{whole}m"


def tenor_months(token: Tenor) -> MaturityMonths:
    """Maturity in months of a tenor token (``10y`` -> 120, ``3m`` -> 3, ``6w`` -> 1.5)."""
    match = _TENOR_PATTERN.match(token)
    if match is None:
        raise DataError(f"{token!r} is not a tenor token ('{{n}}y', '{{m}}m' or '6w')")
    count = int(match["count"])
    return {"y": 12.0 * count, "m": float(count), "w": count * 12.0 / 48.0}[match["unit"]]


def tenor_years(token: Tenor) -> MaturityYears:
    """Maturity in years of a tenor token (``6w`` -> 0.125, ``18m`` -> 1.5)."""
    return tenor_months(token) / 12.0


def series_maturity_years(series_id: str) -> MaturityYears:
    """Maturity in years of a series id ending in a tenor (``us.gsw.zero.10y`` -> 10.0)."""
    return tenor_years(series_id.rsplit(".", 1)[-1])


# ---------------------------------------------------------------- compounding
#: Compounding periods per year of each compounding (``None``: continuous).
PERIODS_PER_YEAR: Mapping[str, int | None] = MappingProxyType(
    {"continuous": None, "annual": 1, "semiannual": 2}
)

_Rate = TypeVar("_Rate")


def _periods(compounding: Compounding) -> int | None:
    try:
        return PERIODS_PER_YEAR[compounding]
    except KeyError:
        known = ", ".join(PERIODS_PER_YEAR)
        raise DataError(f"unknown compounding {compounding!r}; choose one of {known}") from None


def compounding_of(periods_per_year: int) -> Compounding:
    """The compounding with ``periods_per_year`` periods (1 -> ``annual``, 2 -> ``semiannual``)."""
    for name, periods in PERIODS_PER_YEAR.items():
        if periods == periods_per_year:
            return name  # type: ignore[return-value]
    raise DataError(f"no compounding has {periods_per_year} periods a year")


def to_continuous(rate: _Rate, compounding: Compounding, *, scale: float = 100.0) -> _Rate:
    """Continuously compounded rate of ``rate`` compounded ``compounding``: ``m ln(1 + y/m)``.

    ``rate`` is a number, array, Series or DataFrame in percent (``scale=100``) or decimal
    (``scale=1``); the result has the same type and units. Continuous input is returned as is.
    """
    periods = _periods(compounding)
    if periods is None:
        return rate
    factor = scale * periods
    return factor * np.log1p(rate / factor)  # type: ignore[operator]


def from_continuous(rate: _Rate, compounding: Compounding, *, scale: float = 100.0) -> _Rate:
    """Rate compounded ``compounding`` of a continuously compounded ``rate``: ``m (e^{r/m} - 1)``.

    The inverse of :func:`to_continuous`, in the same units.
    """
    periods = _periods(compounding)
    if periods is None:
        return rate
    factor = scale * periods
    return factor * np.expm1(rate / factor)  # type: ignore[operator]


# ---------------------------------------------------------------- money-market quotes
_Quotes = Any
"""A rate in percent: number, ndarray or Series (the result has the same type)."""


def _discount(rate: _Quotes, days: float) -> _Quotes:
    return -36500.0 / days * np.log1p(-rate * days / 36000.0)


def _bond_equivalent(rate: _Quotes, days: float) -> _Quotes:
    return 36500.0 / days * np.log1p(rate * days / 36500.0)


def _simple_360(rate: _Quotes, days: float) -> _Quotes:
    return 36500.0 / days * np.log1p(rate * days / 36000.0)


def _semiannual(rate: _Quotes, days: float) -> _Quotes:
    return to_continuous(rate, "semiannual")


def _holding_return(rate: _Quotes, days: float) -> _Quotes:
    return 36500.0 / days * np.log1p(rate / 100.0)


#: Quote type -> ``f(rate_percent, days) -> continuous percent`` (module docstring).
QUOTE_CONVENTIONS: Mapping[str, Callable[[Any, float], Any]] = MappingProxyType(
    {
        "discount": _discount,
        "bond_equivalent": _bond_equivalent,
        "simple_360": _simple_360,
        "simple_365": _bond_equivalent,
        "semiannual": _semiannual,
        "holding_return": _holding_return,
    }
)


def money_market_to_continuous(rate_percent: _Quotes, *, quote: QuoteType, days: float) -> _Quotes:
    """Money-market quotes (percent) to continuously compounded percent.

    The formulas by quote type are listed in :mod:`ustpull.termpremium.inputs` (the short
    rate of the ACM model); :func:`to_continuous` is the bond-yield conversion ``m ln(1 + y/m)``.

    Parameters
    ----------
    rate_percent : Series or ndarray
        Quoted rates, percent per year.
    quote : str
        How the rate is quoted, a key of :data:`QUOTE_CONVENTIONS`: ``"discount"``,
        ``"bond_equivalent"``, ``"simple_360"``, ``"simple_365"``, ``"semiannual"`` or
        ``"holding_return"``.
    days : float
        Days to maturity of the instrument (1 for an overnight rate).
    """
    try:
        convert = QUOTE_CONVENTIONS[quote]
    except KeyError:
        known = ", ".join(QUOTE_CONVENTIONS)
        raise DataError(f"quote must be one of {known}; got {quote!r}") from None
    if not days > 0:
        raise DataError(f"days to maturity must be positive, got {days}")
    return convert(rate_percent, days)
