"""Inputs of the ACM model: month-end sampling and the one-month short rate.

Short-rate conversions (:func:`ustpull.conventions.money_market_to_continuous`). ACM need
the one-month rate continuously compounded, annualised percent. Quotes of money-market
instruments are turned into it by the row of :data:`ustpull.conventions.QUOTE_CONVENTIONS`
for their quote type, with ``t`` the instrument's days
to maturity:

* ``"discount"`` (U.S. bill secondary-market rates such as DTB3, TB3MS): the bank-discount
  rate ``d`` (percent, act/360) gives the price ``P = 1 - d t / 36000``; the money-market
  (simple, act/360) yield is ``y = 36000 / t (1 / P - 1)``, and the continuous rate is
  ``r = (36500 / t) ln(1 / P) = (36500 / t) ln(1 + y t / 36000)``;
* ``"bond_equivalent"`` (the Treasury constant-maturity bill yields, e.g. DGS1MO): simple
  interest on a 365-day year, ``r = (36500 / t) ln(1 + y t / 36500)``;
* ``"simple_360"`` (euro overnight rates €STR, EONIA: simple interest act/360, ``t = 1``;
  the Swiss franc call rate): ``r = (36500 / t) ln(1 + y t / 36000)``;
* ``"simple_365"`` (simple interest act/365, ``t = 1`` for the yen call rate and SONIA):
  ``r = (36500 / t) ln(1 + y t / 36500)`` (the bond-equivalent formula);
* ``"semiannual"`` (par yields): ``r = 200 ln(1 + y / 200)``;
* ``"holding_return"`` (a bill's return over its ``t`` days, percent, not annualised, e.g.
  Kenneth French's ``RF``, the Ibbotson one-month bill return of the month):
  ``r = (36500 / t) ln(1 + y / 100)``, ``1200 ln(1 + RF / 100)`` for ``t = 365/12``. French's
  RF is printed to 0.01 % a month, so this rate moves in steps of 12 bp a year.

At 5 % the one-month (``t = 365/12``) bond-equivalent conversion gives 4.9896 %, the
semiannual one 4.9385 % (5.1 bp less): the semiannual reading of a bill yield, used here
before, is not the bill convention. A 91-day bill at a 5 % discount rate is 5.1018 %
continuous (money-market yield 5.0640 % act/360).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ustpull import conventions
from ustpull._typing import Anchor, QuoteType, ShortRateConversion
from ustpull.conventions import money_market_to_continuous
from ustpull.errors import DataError, ShortEndWarning

#: Legacy names of :func:`bond_equivalent_to_continuous` (``"simple"`` = bond-equivalent).

#: Calendar days a final month's last row may precede its last weekday and still count.
MONTH_END_SLACK_DAYS = 4

#: Days to maturity of a one-month bill (a constant-maturity point: a twelfth of a year).
ONE_MONTH_DAYS = 365.0 / 12.0

ArrayLike = pd.Series | np.ndarray


def bond_equivalent_to_continuous(
    yields_percent: pd.Series | np.ndarray, *, conversion: ShortRateConversion = "simple"
) -> pd.Series | np.ndarray:
    """One-month bond-equivalent percent yields to continuously compounded percent.

    ``"simple"`` (default, the bill convention) is ``to_continuous(quote="bond_equivalent",
    days=365/12)``; ``"semiannual"`` reads the yield as semiannually compounded.
    """
    if conversion == "semiannual":
        return conventions.to_continuous(yields_percent, "semiannual")
    if conversion == "simple":
        return money_market_to_continuous(
            yields_percent, quote="bond_equivalent", days=ONE_MONTH_DAYS
        )
    raise DataError(f"conversion must be 'semiannual' or 'simple', got {conversion!r}")


def month_end(frame: pd.DataFrame, *, drop_incomplete: bool = True) -> pd.DataFrame:
    """The last row with any data in each calendar month ("month-end = last business day in
    the data").

    With ``drop_incomplete`` the final month is dropped when its last row falls more than
    ``MONTH_END_SLACK_DAYS`` calendar days before that month's last weekday (the data stop
    mid-month, so the row is not a month-end; the slack keeps months whose last weekdays are
    holidays, e.g. 31 December in TARGET data or Memorial Day).
    """
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise DataError("month_end needs a DatetimeIndex")
    rows = frame.dropna(how="all")
    if rows.empty:
        raise DataError("month_end got no rows with data")
    months = pd.DatetimeIndex(rows.index).to_period("M")
    last = rows[~months.duplicated(keep="last")]
    if drop_incomplete:
        final = last.index[-1]
        last_weekday = final + pd.offsets.BMonthEnd(0)
        if (last_weekday.normalize() - final.normalize()).days > MONTH_END_SLACK_DAYS:
            last = last.iloc[:-1]
    return last


def value_in_month(series: pd.Series, dates: pd.DatetimeIndex) -> np.ndarray:
    """For each of ``dates``, the last observation of ``series`` in its month on or before it.

    (A monthly series dated on the first of its month counts for that month.)
    """
    clean = series.dropna()
    months = dates.to_period("M")
    if clean.empty:
        return np.full(len(dates), np.nan)
    observed = pd.DatetimeIndex(clean.index)
    cutoff = pd.Series(dates, index=months).reindex(observed.to_period("M")).to_numpy()
    kept = clean[observed <= cutoff]  # NaT cut-offs (months without a date) compare False
    if kept.empty:
        return np.full(len(dates), np.nan)
    kept_months = pd.DatetimeIndex(kept.index).to_period("M")
    last = kept[~kept_months.duplicated(keep="last")]
    by_month = pd.Series(last.to_numpy(dtype=np.float64), index=kept_months.unique())
    return by_month.reindex(months).to_numpy(dtype=np.float64)


def spliced_short_rate(
    curve_one_month: pd.Series,
    bill_bond_equivalent: pd.Series | None,
    *,
    conversion: ShortRateConversion = "simple",
) -> pd.Series:
    """One-month rate on the dates of ``curve_one_month``: the bill where it exists, else the curve.

    Parameters
    ----------
    curve_one_month : Series
        The curve's one-month zero yield (percent, continuously compounded) on the model's
        month-end dates.
    bill_bond_equivalent : Series, optional
        The one-month bill yield (percent, bond-equivalent), any frequency; its last
        observation in each calendar month is used for that month. ``None`` returns the curve.
    conversion : {"simple", "semiannual"}
        Bond-equivalent to continuous compounding, see the module docstring.

    Returns
    -------
    Series
        Percent, continuously compounded, named ``short_rate``; the attribute
        ``attrs["source"]`` is a Series saying ``"bill"`` or ``"curve"`` per date.
    """
    values = curve_one_month.to_numpy(dtype=np.float64).copy()
    source = np.full(values.shape, "curve", dtype=object)
    if bill_bond_equivalent is not None:
        aligned = value_in_month(bill_bond_equivalent, pd.DatetimeIndex(curve_one_month.index))
        has_bill = np.isfinite(aligned)
        values[has_bill] = bond_equivalent_to_continuous(aligned[has_bill], conversion=conversion)
        source[has_bill] = "bill"
    result = pd.Series(values, index=curve_one_month.index, name="short_rate")
    result.attrs["source"] = pd.Series(source, index=curve_one_month.index, name="source")
    return result


@dataclass(frozen=True)
class ShortRateSource:
    """One money-market series that can give a country's one-month short rate (a table row).

    Attributes
    ----------
    series_id
        Vocabulary id of the quote.
    quote
        Its quote type (a key of :data:`ustpull.conventions.QUOTE_CONVENTIONS`).
    days
        Days to maturity of the instrument (1 for overnight rates).
    anchor
        ``"direct"``: the converted rate is the one-month rate; ``"curve_slope"``: the rate
        fixes the level of the zero curve at ``maturity_months`` and the curve's own slope
        carries it to one month, ``r = z(1) + (rate - z(m))`` (for a 3-month bill before a
        1-month bill was published).
    maturity_months
        Curve maturity (months) the ``curve_slope`` anchor compares the rate with.
    lead_months
        The quote of month ``t + lead_months`` is the rate at month-end ``t``: 1 for a return
        earned over the next month by a bill bought at ``t`` (French's ``RF``), else 0.
    note
        Why the row is there (shown in warnings and documentation).
    optional
        The series has no file in the shared data (it is fetched online only): it is used when
        the store has it and is not required to load a country's data
        (:attr:`ustpull.termpremium.countries.CountryCurve.optional_ids`).
    """

    series_id: str
    quote: QuoteType
    days: float
    anchor: Anchor = "direct"
    maturity_months: int = 1
    note: str = ""
    lead_months: int = 0
    optional: bool = False


def short_rate(
    curve: pd.DataFrame,
    data: pd.DataFrame,
    sources: Sequence[ShortRateSource],
    *,
    country: str = "",
) -> pd.Series:
    """The model's one-month short rate on the month-ends of ``curve``, by the book.

    For each month the first of ``sources`` with an observation in that month is used (its
    last observation in the month), converted by its quote convention (module docstring);
    months no source covers take the curve's one-month zero yield, with a
    :class:`~ustpull.errors.ShortEndWarning` naming them. Sources absent from ``data`` are
    skipped (the same warning covers their months).

    Parameters
    ----------
    curve : DataFrame
        Month-end zero yields (percent, continuous), integer columns in months including 1
        and every ``maturity_months`` of a ``curve_slope`` source.
    data : DataFrame
        Loaded series by date (any frequency).
    sources : sequence of ShortRateSource
        In order of preference.

    Returns
    -------
    Series
        Percent, continuously compounded, named ``short_rate``; ``attrs["source"]`` names the
        series used on each date (``"curve"`` where none).
    """
    dates = pd.DatetimeIndex(curve.index)
    values = curve[1].to_numpy(dtype=np.float64).copy()
    source = np.full(values.shape, "curve", dtype=object)
    open_months = np.ones(values.shape, dtype=bool)
    for row in sources:
        if row.series_id not in data.columns:
            continue
        quoted = value_in_month(data[row.series_id], _led(dates, row.lead_months))
        rate = np.asarray(money_market_to_continuous(quoted, quote=row.quote, days=row.days))
        if row.anchor == "curve_slope":
            rate = curve[1].to_numpy() + rate - curve[row.maturity_months].to_numpy()
        use = open_months & np.isfinite(rate)
        values[use] = rate[use]
        source[use] = row.series_id
        open_months &= ~use
    if open_months.any() and sources:
        shown = _month_ranges(dates[open_months])
        warnings.warn(
            f"{country or 'short rate'}: no money-market rate ("
            f"{', '.join(row.series_id for row in sources)}) for {int(open_months.sum())} "
            f"months ({shown}); the curve's one-month zero yield (an extrapolation) is used there",
            ShortEndWarning,
            stacklevel=2,
        )
    result = pd.Series(values, index=curve.index, name="short_rate")
    result.attrs["source"] = pd.Series(source, index=curve.index, name="source")
    return result


def _led(dates: pd.DatetimeIndex, months: int) -> pd.DatetimeIndex:
    """``dates`` unchanged, or the last instant of the month ``months`` later."""
    if months == 0:
        return dates
    return (dates.to_period("M") + months).to_timestamp(how="end")


def _month_ranges(dates: pd.DatetimeIndex) -> str:
    """Consecutive months as ``YYYY-MM..YYYY-MM`` ranges (at most five shown)."""
    months = dates.year * 12 + dates.month - 1
    breaks = np.flatnonzero(np.diff(months) != 1) + 1
    parts = [
        f"{dates[s]:%Y-%m}" if s == e else f"{dates[s]:%Y-%m}..{dates[e]:%Y-%m}"
        for s, e in zip(np.r_[0, breaks], np.r_[breaks - 1, len(dates) - 1], strict=True)
    ]
    return ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")
