"""Government-bond math: coupon schedules, accrued interest, price <-> yield, bills, cash flows.

Units (used throughout this module)
-----------------------------------
* Rates, yields and coupons are **decimals** (0.0425 = 4.25 %) per annum.
* Prices and cash flows are **per 100 face value**.
* Times are **years**; cash-flow times of :class:`CashflowMatrix` are ACT/365.25 from
  the settlement date (``days / 365.25``), the time basis of the GSW curve fit.

Conventions come from :data:`ustpull.curves.conventions.MARKETS`.

Coupon bonds (street convention, SIFMA *Standard Formulas*) with ``n`` coupons left,
coupon ``c``, frequency ``f``, and ``w`` = days from settlement to the next coupon over
days in the current coupon period::

    dirty = sum_{k=1..n} CF_k / (1 + y/f) ** (w + k - 1)          (n > 1 or compound)
    dirty = (100 + 100 c / f) / (1 + w y / f)                       (n = 1, simple)
    accrued = 100 c / f * (1 - w)                                   (ACT/ACT ICMA)
    clean = dirty - accrued

Treasury's own formula (31 CFR 356 Appendix B, the auction price/yield pairs) discounts the
fractional period with simple interest instead (``fractional_period="simple"``)::

    dirty = [sum_{k=1..n} CF_k / (1 + y/f) ** (k - 1)] / (1 + w y / f)

The two agree on coupon dates (``w = 1``).

Treasury bills (31 CFR 356, Appendix B, section VI), ``d`` days to maturity, ``Y`` = 365
or 366 days in the year following settlement, discount rate ``r`` (360-day basis)::

    price = 100 (1 - r d / 360)
    BEY   = (100 - P) / P * Y / d                                   (d <= Y / 2)
    BEY   = [-2d/Y + 2 sqrt((d/Y)^2 - (2d/Y - 1)(1 - 100/P))] / (2d/Y - 1)   (d > Y / 2)

The second BEY formula is the root of ``P (1 + y/2)(1 + y (d/Y - 1/2)) = 100``:
semiannual compounding for the first half-year and simple interest for the rest.

Schedules are regular, generated backwards from maturity: a security still in an odd
(short or long) first coupon period is treated as regular, because price files such as
FedInvest carry no issue or first-coupon date. Payment dates are the scheduled dates
(not moved for holidays), as in the street-convention yield.

References
----------
* 31 CFR Part 356, Appendix B, "Formulas and Tables".
* SIFMA (1993), *Standard Securities Calculation Methods*, vol. 1.
* Fabozzi, F. J. (2016), *Bond Markets, Analysis, and Strategies*, 9th ed., ch. 2-3.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from ustpull._typing import FloatArray, PeriodYield
from ustpull.curves.conventions import Market, MarketConvention, market_convention
from ustpull.errors import DataError, FitError

DAYS_PER_YEAR = 365.25
BOND_TABLE_COLUMNS = ("cusip", "security_type", "coupon", "maturity", "clean_price")
SECURITY_TYPES = ("bill", "note", "bond")
_MAX_COUPON = 0.25  # a larger "decimal" coupon is almost surely a percent
_NEWTON_TOLERANCE = 1e-14
_NEWTON_MAX_ITERATIONS = 60


# --------------------------------------------------------------------------- bills
def bill_price_from_discount(discount_rate: npt.ArrayLike, days: npt.ArrayLike) -> FloatArray:
    """Bill price per 100 from the bank-discount rate (decimal, 360-day basis)."""
    return 100.0 * (1.0 - np.asarray(discount_rate, float) * np.asarray(days, float) / 360.0)


def bill_discount_from_price(price: npt.ArrayLike, days: npt.ArrayLike) -> FloatArray:
    """Bank-discount rate (decimal, 360-day basis) of a bill priced ``price`` per 100."""
    return (100.0 - np.asarray(price, float)) / 100.0 * 360.0 / np.asarray(days, float)


def bill_bond_equivalent_yield(
    price: npt.ArrayLike, days: npt.ArrayLike, year_days: npt.ArrayLike
) -> FloatArray:
    """Treasury's bond-equivalent ("investment rate", coupon-equivalent) yield of a bill.

    Parameters
    ----------
    price : array_like
        Price per 100.
    days : array_like
        Days from settlement (issue) to maturity.
    year_days : array_like
        365 or 366: days in the year following settlement (see :func:`bill_year_days`).

    Returns
    -------
    numpy.ndarray
        Decimal yield; simple interest up to a half-year, the quadratic formula of
        31 CFR 356 Appendix B beyond.
    """
    price_arr, days_arr, year_arr = np.broadcast_arrays(
        np.asarray(price, float), np.asarray(days, float), np.asarray(year_days, float)
    )
    ratio = days_arr / year_arr
    short = (100.0 - price_arr) / price_arr / ratio
    quadratic_a = 2.0 * ratio - 1.0
    safe_a = np.where(quadratic_a > 0, quadratic_a, 1.0)
    root = np.sqrt(np.maximum(ratio**2 - quadratic_a * (1.0 - 100.0 / price_arr), 0.0))
    long = (-2.0 * ratio + 2.0 * root) / safe_a
    return np.where(days_arr <= year_arr / 2.0, short, long)


def bill_price_from_bond_equivalent_yield(
    bond_equivalent_yield: npt.ArrayLike, days: npt.ArrayLike, year_days: npt.ArrayLike
) -> FloatArray:
    """Inverse of :func:`bill_bond_equivalent_yield`: price per 100 of a bill."""
    y, days_arr, year_arr = np.broadcast_arrays(
        np.asarray(bond_equivalent_yield, float),
        np.asarray(days, float),
        np.asarray(year_days, float),
    )
    ratio = days_arr / year_arr
    short = 100.0 / (1.0 + y * ratio)
    long = 100.0 / ((1.0 + y / 2.0) * (1.0 + y * (ratio - 0.5)))
    return np.where(days_arr <= year_arr / 2.0, short, long)


def bill_year_days(settlement: npt.ArrayLike | pd.Timestamp) -> npt.NDArray[np.int64]:
    """366 where the year after ``settlement`` contains 29 February, else 365.

    The year ``(s, s + 1 year]`` holds 29 February of the settlement year ``Y`` when ``Y``
    is a leap year and ``s`` is before 29 February, and 29 February of ``Y + 1`` when
    ``Y + 1`` is a leap year and ``s`` is in March or later.
    """
    days = np.atleast_1d(np.asarray(settlement, dtype="datetime64[D]"))
    month_start = days.astype("datetime64[M]")
    year = month_start.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (month_start - _year_start(year)).astype(np.int64) + 1
    day = (days - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    before_feb29 = (month == 1) | ((month == 2) & (day <= 28))
    this_year = _is_leap(year) & before_feb29
    next_year = _is_leap(year + 1) & (month >= 3)
    return np.where(this_year | next_year, 366, 365).astype(np.int64)


def _year_start(year: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """1 January of each year, as datetime64[M]."""
    return (year - 1970).astype("datetime64[Y]").astype("datetime64[M]")


def _is_leap(year: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


# ------------------------------------------------------------------ coupon bonds
def street_dirty_price(
    yield_to_maturity: npt.ArrayLike,
    coupon: npt.ArrayLike,
    period_fraction: npt.ArrayLike,
    coupons_remaining: npt.ArrayLike,
    *,
    frequency: int = 2,
    final_period: PeriodYield = "simple",
    fractional_period: PeriodYield = "compound",
) -> FloatArray:
    """Dirty price per 100 of coupon bonds from their yield (street convention).

    Parameters
    ----------
    yield_to_maturity, coupon : array_like
        Decimals per annum.
    period_fraction : array_like
        ``w``: days from settlement to the next coupon over days in the coupon period.
    coupons_remaining : array_like of int
        Coupon payments after settlement (the last one is paid with the principal).
    frequency : int
        Coupons per year.
    final_period : {"simple", "compound"}
        Yield convention when a single payment is left.
    fractional_period : {"compound", "simple"}
        Discounting over the fraction ``w`` of a period to the next coupon: ``compound``,
        ``(1 + y/f)^-w`` (SIFMA street convention), or ``simple``, ``1 / (1 + w y / f)``
        (Treasury's formula in 31 CFR 356 Appendix B, used for auction prices); a simple
        fractional period implies a simple final period.
    """
    y, c, w, n = _bond_arrays(yield_to_maturity, coupon, period_fraction, coupons_remaining)
    price, _ = _street_price_and_slope(y, c, w, n, frequency, final_period, fractional_period)
    return price


def street_yield(
    dirty_price: npt.ArrayLike,
    coupon: npt.ArrayLike,
    period_fraction: npt.ArrayLike,
    coupons_remaining: npt.ArrayLike,
    *,
    frequency: int = 2,
    final_period: PeriodYield = "simple",
    fractional_period: PeriodYield = "compound",
) -> FloatArray:
    """Yield to maturity (decimal, street convention) of coupon bonds from dirty prices.

    Solves :func:`street_dirty_price` ``= dirty_price`` (same conventions) for every bond at
    once by Newton's method (the price is convex and decreasing in the yield).
    """
    p, c, w, n = _bond_arrays(dirty_price, coupon, period_fraction, coupons_remaining)
    if np.any(~(p > 0)):
        raise DataError(f"dirty prices must be positive, got {p[~(p > 0)][:3]}")
    # start: the textbook approximation (coupon + pull to par per year) / average price
    years = (w + n - 1) / frequency
    y = (100.0 * c + (100.0 * (1.0 + c * (1.0 - w) / frequency) - p) / years) / ((100.0 + p) / 2)
    for _ in range(_NEWTON_MAX_ITERATIONS):
        price, slope = _street_price_and_slope(
            y, c, w, n, frequency, final_period, fractional_period
        )
        step = (price - p) / slope
        y = y - step
        if np.all(np.abs(step) < _NEWTON_TOLERANCE):
            return y
    if np.all(np.abs(step) < 1e-10):
        return y
    raise FitError("street yield did not converge within 60 Newton steps")


def _bond_arrays(
    rate_or_price: npt.ArrayLike,
    coupon: npt.ArrayLike,
    period_fraction: npt.ArrayLike,
    coupons_remaining: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int64]]:
    first, c, w = np.broadcast_arrays(
        np.asarray(rate_or_price, float),
        np.asarray(coupon, float),
        np.asarray(period_fraction, float),
    )
    return first, c, w, np.broadcast_to(np.asarray(coupons_remaining, np.int64), first.shape)


def _street_price_and_slope(
    y: FloatArray,
    c: FloatArray,
    w: FloatArray,
    n: npt.NDArray[np.int64],
    frequency: int,
    final_period: str,
    fractional_period: str = "compound",
) -> tuple[FloatArray, FloatArray]:
    """Dirty price and d(price)/d(yield) on a padded [..., max(n)] period grid."""
    k = np.arange(max(int(n.max(initial=1)), 1))
    live = k < n[..., None]
    flows = np.where(live, 100.0 * c[..., None] / frequency, 0.0)
    flows = flows + np.where(k == (n[..., None] - 1), 100.0, 0.0)
    base = 1.0 + y[..., None] / frequency
    if fractional_period == "simple":
        # value at the next coupon date, then simple interest back over the fraction w
        at_next = flows * base**-k
        value_next = at_next.sum(-1)
        slope_next = -(at_next * k).sum(-1) / (frequency * base[..., 0])
        denominator = 1.0 + w * y / frequency
        price = value_next / denominator
        return price, slope_next / denominator - price * w / frequency / denominator
    exponent = w[..., None] + k
    present = flows * base**-exponent
    price = present.sum(-1)
    slope = -(present * exponent).sum(-1) / (frequency * base[..., 0])
    if final_period == "simple":
        last = n == 1
        redemption = 100.0 * (1.0 + c / frequency)
        denominator = 1.0 + w * y / frequency
        price = np.where(last, redemption / denominator, price)
        slope = np.where(last, -redemption * w / frequency / denominator**2, slope)
    return price, slope


# -------------------------------------------------------------------- bond table
def settlement_timestamp(settlement: object) -> pd.Timestamp:
    """One settlement date from a date-like or a one-element index (as ``settlement_date``
    returns for a single trade date)."""
    if isinstance(settlement, (pd.Index, pd.Series, np.ndarray, list, tuple)):
        values = list(settlement)
        if len(values) != 1:
            raise DataError(f"expected one settlement date, got {len(values)}")
        settlement = values[0]
    try:
        return pd.Timestamp(settlement)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise DataError(f"settlement {settlement!r} is not a date") from error


def bond_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate and normalise a table of securities.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``cusip``, ``security_type`` (bill / note / bond; FedInvest's
        "MARKET BASED BILL" etc. are accepted), ``coupon`` (**decimal**, 0.0425 = 4.25 %),
        ``maturity`` (date) and either ``clean_price`` (per 100) or FedInvest's ``buy`` /
        ``sell`` quotes, from which the clean price is the mid when both are positive and
        otherwise the positive one.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BOND_TABLE_COLUMNS`, one row per security, input order kept.

    Raises
    ------
    DataError
        Naming the CUSIP and value of a missing column, unknown type, NaN or negative
        coupon, coupon in percent, missing maturity or non-positive price.
    """
    columns = {str(name).lower(): name for name in frame.columns}
    if "clean_price" not in columns and {"buy", "sell"} <= columns.keys():
        buy = _numbers(frame[columns["buy"]])
        sell = _numbers(frame[columns["sell"]])
        both = (buy > 0) & (sell > 0)
        clean = np.where(both, (buy + sell) / 2.0, np.where(buy > 0, buy, sell))
    elif "clean_price" in columns:
        clean = _numbers(frame[columns["clean_price"]])
    else:
        raise DataError("bond table needs a 'clean_price' column or 'buy' and 'sell' columns")
    missing = [
        name for name in ("cusip", "security_type", "coupon", "maturity") if name not in columns
    ]
    if missing:
        raise DataError(f"bond table is missing column(s) {missing}")
    # plain string methods: tables are small and numpy's string ufuncs are slower here
    cusip = np.array(
        [str(code).strip() for code in frame[columns["cusip"]].to_numpy(dtype=object)], dtype=str
    )
    security_type = np.array(
        [
            str(kind).strip().lower().removeprefix("market based ")
            for kind in frame[columns["security_type"]].to_numpy(dtype=object)
        ],
        dtype=str,
    )
    coupon = _numbers(frame[columns["coupon"]])
    raw_maturity = frame[columns["maturity"]]
    if isinstance(raw_maturity.dtype, np.dtype) and raw_maturity.dtype.kind == "M":
        maturity = raw_maturity.to_numpy(dtype="datetime64[ns]")
    else:
        maturity = pd.to_datetime(raw_maturity, errors="coerce").to_numpy(dtype="datetime64[ns]")
    _check_table(cusip, security_type, coupon, maturity, clean)
    return pd.DataFrame(
        {
            "cusip": cusip.astype(object),
            "security_type": security_type.astype(object),
            "coupon": coupon,
            "maturity": maturity,
            "clean_price": clean,
        }
    )


def _numbers(column: pd.Series) -> FloatArray:
    if column.dtype.kind == "f":
        return column.to_numpy(dtype=float)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


def _check_table(
    cusip: npt.NDArray[np.str_],
    security_type: npt.NDArray[np.str_],
    coupon: FloatArray,
    maturity: npt.NDArray[np.datetime64],
    clean: FloatArray,
) -> None:
    if cusip.size == 0:
        raise DataError("bond table has no securities")
    with np.errstate(invalid="ignore"):
        checks = (
            (
                ~np.isin(security_type, SECURITY_TYPES),
                "security_type",
                security_type,
                "is not bill/note/bond",
            ),
            (np.isnan(coupon) | (coupon < 0), "coupon", coupon, "is missing or negative"),
            (coupon > _MAX_COUPON, "coupon", coupon, "looks like a percent; give decimals"),
            (np.isnat(maturity), "maturity", maturity, "is missing or not a date"),
            (~(clean > 0), "clean_price", clean, "must be positive"),
        )
    for bad, column, values, problem in checks:
        if bad.any():
            at = int(np.argmax(bad))
            value = values[at]
            shown = repr(str(value)) if column == "security_type" else str(value)
            raise DataError(f"security {cusip[at]}: {column} {shown} {problem}")


def bond_table_from_fedinvest(securities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bond table from the FedInvest securities table of :mod:`ustpull.sources.treasurydirect`.

    Keeps the fixed-coupon marketable bills, notes and bonds that have a quote (clean price
    = mid of buy and sell when both are quoted, else the quoted side) and converts the
    parser's ``coupon_percent`` to a decimal coupon.

    Returns
    -------
    table, excluded : pandas.DataFrame
        The bond table (:func:`bond_table`) and the excluded securities (``cusip``,
        ``security_type``, ``reason``): TIPS, FRNs and other types, or no quote.
    """
    needed = {"cusip", "security_type", "coupon_percent", "maturity", "buy", "sell"}
    missing = sorted(needed - set(securities.columns))
    if missing:
        raise DataError(f"FedInvest securities table is missing column(s) {missing}")
    kind = (
        securities["security_type"]
        .astype(str)
        .str.strip()
        .str.lower()
        .str.replace("market based ", "", regex=False)
    )
    buy = pd.to_numeric(securities["buy"], errors="coerce")
    sell = pd.to_numeric(securities["sell"], errors="coerce")
    quoted = (buy > 0) | (sell > 0)
    usable = kind.isin(SECURITY_TYPES) & quoted
    reason = np.where(~kind.isin(SECURITY_TYPES), "not a fixed-coupon bill/note/bond", "no quote")
    excluded = pd.DataFrame(
        {
            "cusip": securities["cusip"],
            "security_type": securities["security_type"],
            "reason": reason,
        }
    ).loc[~usable.to_numpy()]
    table = bond_table(
        pd.DataFrame(
            {
                "cusip": securities["cusip"],
                "security_type": kind,
                "coupon": pd.to_numeric(securities["coupon_percent"], errors="coerce") / 100.0,
                "maturity": securities["maturity"],
                "buy": buy,
                "sell": sell,
            }
        ).loc[usable.to_numpy()]
    )
    return table, excluded.reset_index(drop=True)


# ------------------------------------------------------------------ cash flows
@dataclass(frozen=True)
class CashflowMatrix:
    """Cash flows of a set of securities on the union of their payment dates.

    ``amounts[i, j]`` is the payment per 100 face of security ``i`` on ``dates[j]``, so
    the dirty price under any curve is ``amounts @ discount(times)``; with continuously
    compounded zero yields ``z`` (decimal) ``dirty = (amounts * exp(-z(times) * times)).sum(1)``.

    Attributes
    ----------
    settlement : pandas.Timestamp
    cusips : pandas.Index
        Security identifiers, one per row.
    security_type : numpy.ndarray of str
        "bill", "note" or "bond".
    coupon : numpy.ndarray
        Decimal coupon rate per annum.
    maturity : pandas.DatetimeIndex
    dates : pandas.DatetimeIndex
        Sorted distinct payment dates after settlement (scheduled coupon dates,
        not moved for holidays: street convention).
    times : numpy.ndarray
        Years from settlement to ``dates``, ACT/365.25.
    amounts : numpy.ndarray
        [n_securities, n_dates] payments per 100 face.
    maturity_times : numpy.ndarray
        Years from settlement to maturity, ACT/365.25.
    clean_price, accrued, dirty_price : numpy.ndarray
        Per 100 face.
    yield_to_maturity : numpy.ndarray
        Decimal; street convention for notes and bonds, Treasury bond-equivalent
        yield for bills.
    macaulay_duration, modified_duration : numpy.ndarray
        Years; Macaulay weights times in years of the yield convention (coupon periods
        over the frequency; days over 365/366 for bills); modified = -(dP/dy) / P.
    period_fraction : numpy.ndarray
        ``w``: days to the next coupon over days in the current coupon period.
    coupons_remaining : numpy.ndarray of int
        Coupon payments after settlement (1 for bills).
    market : str
        Row of :data:`~ustpull.curves.conventions.MARKETS` used.
    """

    settlement: pd.Timestamp
    cusips: pd.Index
    security_type: npt.NDArray[np.str_]
    coupon: FloatArray
    maturity: pd.DatetimeIndex
    dates: pd.DatetimeIndex
    times: FloatArray
    amounts: FloatArray
    maturity_times: FloatArray
    clean_price: FloatArray
    accrued: FloatArray
    dirty_price: FloatArray
    yield_to_maturity: FloatArray
    macaulay_duration: FloatArray
    modified_duration: FloatArray
    period_fraction: FloatArray
    coupons_remaining: npt.NDArray[np.int64]
    market: Market

    def present_value(self, discount_factors: npt.ArrayLike) -> FloatArray:
        """Dirty model prices per 100: ``amounts @ discount_factors`` (one per date)."""
        return self.amounts @ np.asarray(discount_factors, float)

    def subset(self, positions: npt.ArrayLike) -> CashflowMatrix:
        """The securities at ``positions`` (in that order), without dates none of them pays."""
        rows = np.asarray(positions, dtype=np.intp)
        amounts = self.amounts[rows]
        used: npt.NDArray[np.bool_] = np.asarray(amounts.any(axis=0), dtype=bool)
        return replace(
            self,
            cusips=self.cusips[rows],
            security_type=self.security_type[rows],
            coupon=self.coupon[rows],
            maturity=self.maturity[rows],
            dates=self.dates[used],
            times=self.times[used],
            amounts=amounts[:, used],
            maturity_times=self.maturity_times[rows],
            clean_price=self.clean_price[rows],
            accrued=self.accrued[rows],
            dirty_price=self.dirty_price[rows],
            yield_to_maturity=self.yield_to_maturity[rows],
            macaulay_duration=self.macaulay_duration[rows],
            modified_duration=self.modified_duration[rows],
            period_fraction=self.period_fraction[rows],
            coupons_remaining=self.coupons_remaining[rows],
        )

    def clean_price_from_yield(self, yields: npt.ArrayLike) -> FloatArray:
        """Clean prices per 100 from yields (decimal): street convention for notes and
        bonds, Treasury bond-equivalent yield for bills; inverse of ``yield_to_maturity``."""
        convention = market_convention(self.market)
        y = np.broadcast_to(np.asarray(yields, float), self.coupon.shape)
        is_bill = self.security_type == "bill"
        dirty = street_dirty_price(
            y,
            self.coupon,
            self.period_fraction,
            self.coupons_remaining,
            frequency=convention.coupon_frequency,
            final_period=convention.final_period_yield,
        )
        days = np.round(self.maturity_times * DAYS_PER_YEAR)
        year_days = bill_year_days(self.settlement)
        bills = bill_price_from_bond_equivalent_yield(y, days, year_days)
        return np.where(is_bill, bills, dirty) - self.accrued

    def to_frame(self) -> pd.DataFrame:
        """Per-security analytics as a DataFrame indexed by CUSIP."""
        return pd.DataFrame(
            {
                "security_type": self.security_type,
                "coupon": self.coupon,
                "maturity": self.maturity,
                "clean_price": self.clean_price,
                "accrued": self.accrued,
                "dirty_price": self.dirty_price,
                "yield_to_maturity": self.yield_to_maturity,
                "macaulay_duration": self.macaulay_duration,
                "modified_duration": self.modified_duration,
            },
            index=self.cusips,
        )


def coupon_schedule(
    maturity: npt.ArrayLike,
    settlement: pd.Timestamp | str,
    *,
    market: Market = "us_treasury",
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.int64]]:
    """Coupon dates of each security, generated backwards from maturity.

    Returns
    -------
    dates : numpy.ndarray of datetime64[D]
        [n_securities, n_columns]; column ``k`` is the coupon ``k`` periods before
        maturity (column 0 = maturity). Columns ``< remaining`` are after settlement;
        column ``remaining`` is the previous (or settlement-day) coupon date.
    remaining : numpy.ndarray of int
        Coupons paid after settlement.
    """
    convention = market_convention(market)
    settle = np.datetime64(settlement_timestamp(settlement).date(), "D")
    mature = np.asarray(maturity, dtype="datetime64[D]")
    step = 12 // convention.coupon_frequency
    month = mature.astype("datetime64[M]")
    day = (mature - month.astype("datetime64[D]")).astype(np.int64) + 1
    month_end = _days_in_month(month)
    end_of_month = (day == month_end) & convention.end_of_month
    months_left = (month - settle.astype("datetime64[M]")).astype(np.int64)
    columns = int(months_left.max(initial=0)) // step + 2
    offsets = (np.arange(columns) * step).astype("timedelta64[M]")
    coupon_month = month[:, None] - offsets
    coupon_length = _days_in_month(coupon_month)
    coupon_day = np.where(
        end_of_month[:, None], coupon_length, np.minimum(day[:, None], coupon_length)
    )
    dates = coupon_month.astype("datetime64[D]") + (coupon_day - 1).astype("timedelta64[D]")
    remaining = (dates > settle).sum(axis=1).astype(np.int64)
    return dates, remaining


def _days_in_month(month: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    start = month.astype("datetime64[D]")
    return ((month + np.timedelta64(1, "M")).astype("datetime64[D]") - start).astype(np.int64)


def cashflow_matrix(
    bonds: pd.DataFrame,
    settlement: pd.Timestamp | str,
    *,
    market: Market = "us_treasury",
) -> CashflowMatrix:
    """Cash flows, accrued interest, dirty prices, yields and durations of securities.

    Parameters
    ----------
    bonds : pandas.DataFrame
        A bond table (see :func:`bond_table`; coupons in decimals, clean prices per 100).
    settlement : date-like
        Settlement date; every maturity must be after it.
    market : {"us_treasury", "bund", "jgb", "gilt"}
        Row of :data:`~ustpull.curves.conventions.MARKETS` giving frequency, day count,
        end-of-month rule and final-period yield convention.

    Returns
    -------
    CashflowMatrix
        Dense [n_securities, n_dates] payments on the union of payment dates.
    """
    convention = market_convention(market)
    table = bond_table(bonds)
    settle = settlement_timestamp(settlement).normalize()
    settle_day = np.datetime64(settle.date(), "D")
    cusips = table["cusip"].to_numpy()
    kinds = table["security_type"].to_numpy()
    maturity = table["maturity"].to_numpy()
    matured = maturity.astype("datetime64[D]") <= settle_day
    if matured.any():
        at = int(np.argmax(matured))
        raise DataError(
            f"security {cusips[at]}: maturity {pd.Timestamp(maturity[at]).date()} is on or "
            f"before settlement {settle.date()}"
        )
    is_bill = kinds == "bill"
    coupon = np.where(is_bill, 0.0, table["coupon"].to_numpy(float))
    dates, remaining = coupon_schedule(maturity, settle, market=market)
    rows = np.arange(len(cusips))
    next_coupon = dates[rows, remaining - 1]
    previous_coupon = dates[rows, remaining]
    period_days = (next_coupon - previous_coupon).astype(np.int64)
    days_to_next = (next_coupon - settle_day).astype(np.int64)
    accrued = _accrued(convention, coupon, period_days, days_to_next, settle_day, previous_coupon)
    accrued = np.where(is_bill, 0.0, accrued)
    clean = table["clean_price"].to_numpy(float)
    dirty = clean + accrued

    live = np.arange(dates.shape[1])[None, :] < remaining[:, None]
    flows = np.where(live, 100.0 * coupon[:, None] / convention.coupon_frequency, 0.0)
    flows[:, 0] += 100.0
    paid = live & (flows > 0)
    unique_dates, column = np.unique(dates[paid], return_inverse=True)
    amounts = np.zeros((len(cusips), unique_dates.size))
    np.add.at(amounts, (np.nonzero(paid)[0], column), flows[paid])
    times = (unique_dates - settle_day).astype(np.int64) / DAYS_PER_YEAR

    maturity_days = (dates[:, 0] - settle_day).astype(np.int64).astype(float)
    period_fraction = days_to_next / period_days
    ytm, macaulay, modified = _yields_and_durations(
        convention, is_bill, coupon, dirty, period_fraction, remaining, maturity_days, settle
    )
    return CashflowMatrix(
        settlement=settle,
        cusips=pd.Index(cusips, name="cusip"),
        security_type=kinds.astype(str),
        coupon=coupon,
        maturity=pd.DatetimeIndex(maturity, name="maturity"),
        dates=pd.DatetimeIndex(unique_dates.astype("datetime64[ns]"), name="date"),
        times=times,
        amounts=amounts,
        maturity_times=maturity_days / DAYS_PER_YEAR,
        clean_price=clean,
        accrued=accrued,
        dirty_price=dirty,
        yield_to_maturity=ytm,
        macaulay_duration=macaulay,
        modified_duration=modified,
        period_fraction=period_fraction,
        coupons_remaining=np.where(is_bill, 1, remaining),
        market=market,
    )


def _accrued(
    convention: MarketConvention,
    coupon: FloatArray,
    period_days: npt.NDArray[np.int64],
    days_to_next: npt.NDArray[np.int64],
    settle_day: np.datetime64,
    previous_coupon: npt.NDArray[np.datetime64],
) -> FloatArray:
    """Accrued interest per 100 under the market's day count."""
    if convention.day_count == "act_act_icma":
        return 100.0 * coupon / convention.coupon_frequency * (1.0 - days_to_next / period_days)
    days_accrued = (settle_day - previous_coupon).astype(np.int64)
    return 100.0 * coupon * days_accrued / 365.0


def _yields_and_durations(
    convention: MarketConvention,
    is_bill: npt.NDArray[np.bool_],
    coupon: FloatArray,
    dirty: FloatArray,
    period_fraction: FloatArray,
    remaining: npt.NDArray[np.int64],
    maturity_days: FloatArray,
    settle: pd.Timestamp,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    frequency = convention.coupon_frequency
    coupon_rows = ~is_bill
    ytm = np.empty(len(dirty))
    macaulay = np.empty(len(dirty))
    modified = np.empty(len(dirty))
    if coupon_rows.any():
        c, w, n = coupon[coupon_rows], period_fraction[coupon_rows], remaining[coupon_rows]
        y = street_yield(
            dirty[coupon_rows],
            c,
            w,
            n,
            frequency=frequency,
            final_period=convention.final_period_yield,
        )
        price, slope = _street_price_and_slope(y, c, w, n, frequency, convention.final_period_yield)
        ytm[coupon_rows] = y
        modified[coupon_rows] = -slope / price
        macaulay[coupon_rows] = -slope / price * _macaulay_factor(y, w, n, frequency, convention)
    if is_bill.any() and convention.bill_yield == "money_market":
        days = maturity_days[is_bill]
        ratio = days / convention.bill_day_basis
        y = (100.0 / dirty[is_bill] - 1.0) / ratio
        modified[is_bill] = ratio / (1 + y * ratio)
        ytm[is_bill] = y
        macaulay[is_bill] = ratio
    elif is_bill.any():
        year_days = np.broadcast_to(bill_year_days(settle), maturity_days.shape)[is_bill]
        days = maturity_days[is_bill]
        y = bill_bond_equivalent_yield(dirty[is_bill], days, year_days)
        ratio = days / year_days
        long = ratio > 0.5
        tail = ratio - 0.5
        modified[is_bill] = np.where(
            long, 0.5 / (1 + y / 2) + tail / (1 + y * tail), ratio / (1 + y * ratio)
        )
        ytm[is_bill] = y
        macaulay[is_bill] = ratio
    return ytm, macaulay, modified


def _macaulay_factor(
    y: FloatArray,
    w: FloatArray,
    n: npt.NDArray[np.int64],
    frequency: int,
    convention: MarketConvention,
) -> FloatArray:
    """Macaulay / modified duration: (1 + y/f), or (1 + w y / f) for a simple final period."""
    compound = 1.0 + y / frequency
    if convention.final_period_yield == "simple":
        return np.where(n == 1, 1.0 + w * y / frequency, compound)
    return compound
