"""Inputs of the ACM model: month-end sampling and the one-month short rate.

Short-rate conversion (documented once). The Treasury 1-month constant-maturity yield
(FRED DGS1MO, id ``us.cmt.1m``) is quoted in percent, bond-equivalent. ACM needs a
continuously compounded rate. Two conversions are offered:

* ``"semiannual"`` (default): read the bond-equivalent yield as semiannually compounded,
  ``r_cc = 200 ln(1 + y_be / 200)`` (percent). This is the convention GSW use for par yields.
* ``"simple"``: a bill of ``d = 365/12`` days is quoted with simple interest on a 365-day year
  (the Treasury BEY formula for bills of at most half a year),
  ``r_cc = (36500 / d) ln(1 + y_be d / 36500)`` (percent).

At 5 % the two differ by about 5.1 bp (4.9385 % vs 4.9896 %).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ustpull.errors import DataError

ShortRateConversion = Literal["semiannual", "simple"]

#: Calendar days a final month's last row may precede its last weekday and still count.
MONTH_END_SLACK_DAYS = 4

#: Days to maturity of a one-month bill in the "simple" conversion.
ONE_MONTH_DAYS = 365.0 / 12.0


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


def bond_equivalent_to_continuous(
    yields_percent: pd.Series | np.ndarray, *, conversion: ShortRateConversion = "semiannual"
) -> pd.Series | np.ndarray:
    """Bond-equivalent percent yields to continuously compounded percent (see module doc)."""
    if conversion == "semiannual":
        return 200.0 * np.log1p(yields_percent / 200.0)
    if conversion == "simple":
        return 36500.0 / ONE_MONTH_DAYS * np.log1p(yields_percent * ONE_MONTH_DAYS / 36500.0)
    raise DataError(f"conversion must be 'semiannual' or 'simple', got {conversion!r}")


def spliced_short_rate(
    curve_one_month: pd.Series,
    bill_bond_equivalent: pd.Series | None,
    *,
    conversion: ShortRateConversion = "semiannual",
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
    conversion : {"semiannual", "simple"}
        Bond-equivalent to continuous compounding, see the module docstring.

    Returns
    -------
    Series
        Percent, continuously compounded, named ``short_rate``; the attribute
        ``attrs["source"]`` is a Series saying ``"bill"`` or ``"curve"`` per date.
    """
    values = curve_one_month.to_numpy(dtype=np.float64).copy()
    source = np.full(values.shape, "curve", dtype=object)
    if bill_bond_equivalent is not None and bill_bond_equivalent.notna().any():
        monthly = month_end(bill_bond_equivalent.dropna().to_frame(), drop_incomplete=False)
        by_month = pd.Series(
            monthly.iloc[:, 0].to_numpy(), index=pd.DatetimeIndex(monthly.index).to_period("M")
        )
        dates = pd.DatetimeIndex(curve_one_month.index)
        aligned = by_month.reindex(dates.to_period("M")).to_numpy(dtype=np.float64)
        has_bill = np.isfinite(aligned)
        values[has_bill] = bond_equivalent_to_continuous(aligned[has_bill], conversion=conversion)
        source[has_bill] = "bill"
    result = pd.Series(values, index=curve_one_month.index, name="short_rate")
    result.attrs["source"] = pd.Series(source, index=curve_one_month.index, name="source")
    return result
