"""Nelson-Siegel (NS) and Nelson-Siegel-Svensson (NSS) yield curves: the formulas.

The NSS zero-coupon yield for maturity ``n`` years (Svensson 1994; Gürkaynak, Sack and Wright
2007, eq. 22) is

.. math::

    y(n) = \\beta_0 + \\beta_1 \\frac{1-e^{-n/\\tau_1}}{n/\\tau_1}
         + \\beta_2 \\left[\\frac{1-e^{-n/\\tau_1}}{n/\\tau_1} - e^{-n/\\tau_1}\\right]
         + \\beta_3 \\left[\\frac{1-e^{-n/\\tau_2}}{n/\\tau_2} - e^{-n/\\tau_2}\\right]

in percent, continuously compounded; the instantaneous forward rate is
``f(n) = b0 + b1 e^{-n/t1} + b2 (n/t1) e^{-n/t1} + b3 (n/t2) e^{-n/t2}`` and the discount factor
``d(n) = exp(-y(n) n / 100)``. Nelson-Siegel is the special case ``beta3 = 0`` (GSW publish it
with ``TAU2 = -999.99``; here ``tau2`` is NaN for it).

Parameters travel as arrays whose last axis holds ``(beta0, beta1, beta2, beta3, tau1, tau2)``
(:data:`PARAM_NAMES`), betas in percent, taus in years. Every formula broadcasts a
``(dates, 6)`` parameter array against maturities of shape ``(maturities,)`` or
``(dates, maturities)`` and returns ``(dates, maturities)``.

References
----------
Nelson, C. R. and Siegel, A. F. (1987), "Parsimonious Modeling of Yield Curves", Journal of
Business 60(4), 473-489.
Svensson, L. E. O. (1994), "Estimating and Interpreting Forward Interest Rates: Sweden
1992-1994", NBER Working Paper 4871.
Gürkaynak, R. S., Sack, B. and Wright, J. H. (2007), "The U.S. Treasury Yield Curve: 1961 to
the Present", Journal of Monetary Economics 54(8), 2291-2304 (FEDS 2006-28).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast, overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ustpull._typing import Basis as Basis  # re-exported: the curve modules import it here
from ustpull._typing import CurveModel as Model  # noqa: F401  (re-exported likewise)
from ustpull._typing import FloatArray
from ustpull.conventions import tenor_years
from ustpull.curves.conventions import market_convention
from ustpull.errors import DataError

__all__ = [
    "PARAM_NAMES",
    "maturity_years",
    "nss_discount_factor",
    "nss_forward_rate",
    "nss_par_yield",
    "nss_zero_yield",
    "parameter_array",
]

PARAM_NAMES: tuple[str, ...] = ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")
"""Order of the parameters on the last axis of every parameter array."""


# ---------------------------------------------------------------------------------------------
# Formulas
# ---------------------------------------------------------------------------------------------


def _as_params(params: ArrayLike) -> FloatArray:
    array = np.asarray(params, dtype=np.float64)
    if array.shape[-1:] != (6,):
        raise DataError(f"NSS parameters need a last axis of 6 {PARAM_NAMES}, got {array.shape}")
    array = np.atleast_2d(array)
    # decays are positive; tau2 may be NaN (a Nelson-Siegel curve); all-NaN rows are no curve
    used = np.isfinite(array[:, 0])
    tau1, tau2 = array[:, 4], array[:, 5]
    bad = used & ~(tau1 > 0) | used & (tau2 <= 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"NSS decays must be positive: row {row} has tau1={float(tau1[row])}, "
            f"tau2={float(tau2[row])}"
        )
    return array


def _broadcast_maturities(maturities: ArrayLike, n_dates: int) -> FloatArray:
    times = np.asarray(maturities, dtype=np.float64)
    if times.ndim == 1:
        return np.broadcast_to(times, (n_dates, times.size))
    if times.ndim == 2 and times.shape[0] in (1, n_dates):
        return np.broadcast_to(times, (n_dates, times.shape[1]))
    raise DataError(
        f"maturities must be (maturities,) or ({n_dates}, maturities), got {times.shape}"
    )


def _decay_terms(times: FloatArray, tau: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``x = n/tau``, the slope loading ``(1-e^{-x})/x`` (1 at ``x = 0``) and ``e^{-x}``."""
    x = times / tau
    decay = np.exp(-x)
    # 1 - e^{-x} = -expm1(-x) keeps precision for small x; the limit at x = 0 is 1
    slope = np.divide(-np.expm1(-x), x, out=np.ones_like(x), where=x != 0.0)
    return x, slope, decay


def _components(
    params: FloatArray, times: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Loadings shared by the formulas: slope/decay at tau1 and tau2 (zero for an NS curve)."""
    tau1 = params[:, 4:5]
    tau2 = params[:, 5:6]
    is_ns = np.isnan(tau2)
    x1, slope1, decay1 = _decay_terms(times, tau1)
    x2, slope2, decay2 = _decay_terms(times, np.where(is_ns, 1.0, tau2))
    slope2 = np.where(is_ns, 0.0, slope2)
    decay2 = np.where(is_ns, 0.0, decay2)
    x2 = np.where(is_ns, 0.0, x2)
    return x1, slope1, decay1, x2, slope2, decay2


def _zero_yield_array(params: ArrayLike, maturities: ArrayLike) -> FloatArray:
    """NSS zero-coupon yields, percent continuously compounded.

    Parameters
    ----------
    params : array_like, shape (dates, 6)
        ``beta0..beta3`` in percent, ``tau1, tau2`` in years; ``tau2 = NaN`` is Nelson-Siegel.
    maturities : array_like, shape (maturities,) or (dates, maturities)
        Maturities in years (0 gives the instantaneous short rate ``beta0 + beta1``).

    Returns
    -------
    ndarray, shape (dates, maturities)
        ``y(n)`` of the module docstring.
    """
    theta = _as_params(params)
    times = _broadcast_maturities(maturities, theta.shape[0])
    _, slope1, decay1, _, slope2, decay2 = _components(theta, times)
    beta3 = np.where(np.isnan(theta[:, 5:6]), 0.0, theta[:, 3:4])
    return (
        theta[:, 0:1]
        + theta[:, 1:2] * slope1
        + theta[:, 2:3] * (slope1 - decay1)
        + beta3 * (slope2 - decay2)
    )


def _forward_rate_array(params: ArrayLike, maturities: ArrayLike) -> FloatArray:
    """Instantaneous forward rates ``f(n) = d[n y(n)]/dn``, percent continuously compounded.

    ``f(n) = b0 + b1 e^{-n/t1} + b2 (n/t1) e^{-n/t1} + b3 (n/t2) e^{-n/t2}`` (GSW eq. 22, SVENF).
    Shapes as in :func:`nss_zero_yield`.
    """
    theta = _as_params(params)
    times = _broadcast_maturities(maturities, theta.shape[0])
    x1, _, decay1, x2, _, decay2 = _components(theta, times)
    beta3 = np.where(np.isnan(theta[:, 5:6]), 0.0, theta[:, 3:4])
    return (
        theta[:, 0:1] + theta[:, 1:2] * decay1 + theta[:, 2:3] * x1 * decay1 + beta3 * x2 * decay2
    )


def _discount_factor_array(params: ArrayLike, maturities: ArrayLike) -> FloatArray:
    """Discount factors ``d(n) = exp(-y(n) n / 100)`` (per unit of face). Shapes as above."""
    times = np.asarray(maturities, dtype=np.float64)
    return np.exp(-_zero_yield_array(params, times) * times / 100.0)


@dataclass(frozen=True)
class _CouponSchedule:
    """Coupon dates of constant-maturity par bonds, as indicator matrices over unique times."""

    times: FloatArray  # (unique times,) years
    coupons: FloatArray  # (maturities, unique times): 1 where the bond pays a coupon
    final: FloatArray  # (maturities, unique times): 1 at the maturity date
    accrued_fraction: FloatArray  # (maturities,) share of the current period already elapsed
    maturities: FloatArray  # (maturities,) years
    bill: NDArray[np.bool_]  # (maturities,) a single payment: quoted as a bill
    frequency: int  # coupons per year
    bill_scale: float  # bill yield per unit of (1/d - 1)/n: day basis / 365 (1 for BEY)


def _coupon_schedule(maturities: FloatArray, market: str = "us_treasury") -> _CouponSchedule:
    """Coupons every ``1/f`` years counting back from maturity; a short first period accrues.

    ``f`` (coupon frequency), the day count and the bill-yield convention come from the
    conventions table (:data:`ustpull.curves.conventions.MARKETS`). On a constant-maturity
    grid time is measured in years, so a short first period of ``s`` years has accrued the
    share ``1 - s f`` of a coupon under either day count of the table: ACT/ACT (ICMA) divides
    the days accrued by the days of the period, ACT/365 (fixed) accrues ``c`` per 365 days of
    a period that is ``365/f`` days long; the two differ only by the calendar days of one
    actual period, which a constant-maturity quote does not have.
    """
    convention = market_convention(market)
    frequency = convention.coupon_frequency
    period = 1.0 / frequency
    per_bond = []
    for maturity in maturities:
        count = int(np.ceil(maturity * frequency - 1e-9))
        per_bond.append(np.round(maturity - period * np.arange(count), 10))
    times = np.unique(np.concatenate(per_bond))
    coupons = np.zeros((maturities.size, times.size))
    final = np.zeros_like(coupons)
    for row, coupon_times in enumerate(per_bond):
        coupons[row, np.searchsorted(times, coupon_times)] = 1.0
        final[row, np.searchsorted(times, coupon_times[0])] = 1.0
    first = np.array([bond[-1] for bond in per_bond])
    # shorter than one coupon period: a bill (at exactly one period both formulas agree for
    # bond-equivalent bills, and a 1-year Bund par yield is an annual bond yield)
    bill = maturities < period - 1e-12
    bill_scale = 1.0
    if convention.bill_yield == "money_market":
        bill_scale = convention.bill_day_basis / 365.0
    accrued = (period - first) / period
    return _CouponSchedule(times, coupons, final, accrued, maturities, bill, frequency, bill_scale)


def _par_yield_array(
    params: ArrayLike, maturities: ArrayLike, market: str = "us_treasury"
) -> FloatArray:
    """Par yields of coupon bonds on ``market``'s conventions, percent.

    The coupon ``c`` (percent a year, paid ``f`` times a year) that prices a bond at par:

    .. math:: \\frac{c}{f}\\Big(\\sum_k d(t_k) - a\\Big) + d(n) = 1,
        \\qquad c = \\frac{f\\,(1 - d(n))}{\\sum_k d(t_k) - a}

    with coupons at ``t_k = n, n-1/f, ... > 0`` and ``a`` the accrued share of the current
    coupon period (0 for whole periods, so integer ``n`` is the textbook par yield). The
    yield compounds ``f`` times a year: semiannual bond-equivalent for U.S. Treasuries and
    JGBs (as GSW's SVENPY), annual for Bunds. A maturity shorter than one coupon period is
    one payment quoted as a bill: ``(1/d(n) - 1)/n``, the bond-equivalent yield of Treasury
    bills (as the CMT 1- and 3-month yields and
    :meth:`ustpull.curves.zero_curve.ZeroCurve.par_yield`), times ``basis/365`` for the
    money-market bills of the other markets. At exactly one period (the 6-month CMT, the
    1-year Bund) the coupon formula applies; for U.S. bills it equals the bond-equivalent
    yield there.

    Parameters
    ----------
    params : array_like, shape (dates, 6)
    maturities : array_like, shape (maturities,)
        Maturities in years, all positive.
    market : str
        Key of :data:`ustpull.curves.conventions.MARKETS` (``us_treasury``, ``bund``,
        ``jgb``, ``gilt``): coupon frequency, day count and bill yield.

    Returns
    -------
    ndarray, shape (dates, maturities)
    """
    schedule = _coupon_schedule(_positive_maturities(maturities), market)
    discount = _discount_factor_array(params, schedule.times)
    annuity = discount @ schedule.coupons.T - schedule.accrued_fraction
    final = discount @ schedule.final.T
    coupon = 100.0 * schedule.frequency * (1.0 - final) / annuity
    bill = 100.0 * schedule.bill_scale * (1.0 / final - 1.0) / schedule.maturities
    return np.where(schedule.bill, bill, coupon)


def _positive_maturities(maturities: ArrayLike) -> FloatArray:
    times = np.asarray(maturities, dtype=np.float64)
    if times.ndim != 1 or not np.all(np.isfinite(times)) or np.any(times <= 0):
        raise DataError(f"maturities must be a 1-D array of positive years, got {times}")
    return times


def parameter_array(params: pd.DataFrame) -> FloatArray:
    """The ``(dates, 6)`` parameter array of a frame.

    Columns are found by their last dot-separated part, so both ``beta0..tau2`` and the
    vocabulary ids ``us.gsw.beta0..us.gsw.tau2`` work; other columns are ignored.
    """
    by_name = {str(column).rsplit(".", 1)[-1]: column for column in params.columns}
    missing = [name for name in PARAM_NAMES if name not in by_name]
    if missing:
        raise DataError(f"parameter frame lacks columns {missing} (has {list(params.columns)})")
    return params.loc[:, [by_name[name] for name in PARAM_NAMES]].to_numpy(
        dtype=np.float64, na_value=np.nan
    )


_Formula = Callable[..., FloatArray]


def _evaluate(
    formula: _Formula, params: ArrayLike | pd.DataFrame, maturities: ArrayLike, **options: Any
) -> Any:
    if not isinstance(params, pd.DataFrame):
        return formula(params, maturities, **options)
    times = np.asarray(maturities, dtype=np.float64)
    if times.ndim != 1:
        raise DataError("with a parameter frame, maturities must be one list of years")
    return pd.DataFrame(
        formula(parameter_array(params), times, **options),
        index=params.index,
        columns=pd.Index(times),
    )


_FRAME_NOTE = """
    With a parameter DataFrame (indexed by date, columns as in :func:`parameter_array`)
    and a 1-D list of maturities, the result is a DataFrame with the same index and one
    column per maturity (float years as labels).
"""


class FrameAwareFormula(Protocol):
    """A curve formula taking a parameter array or a parameter DataFrame."""

    @overload
    def __call__(
        self, params: pd.DataFrame, maturities: ArrayLike, **options: Any
    ) -> pd.DataFrame: ...
    @overload
    def __call__(self, params: ArrayLike, maturities: ArrayLike, **options: Any) -> FloatArray: ...


def _frame_aware(array_formula: _Formula, name: str) -> FrameAwareFormula:
    def formula(params: ArrayLike | pd.DataFrame, maturities: ArrayLike, **options: Any) -> Any:
        return _evaluate(array_formula, params, maturities, **options)

    formula.__name__ = formula.__qualname__ = name
    formula.__doc__ = (array_formula.__doc__ or "") + _FRAME_NOTE
    return cast(FrameAwareFormula, formula)


nss_zero_yield = _frame_aware(_zero_yield_array, "nss_zero_yield")
nss_forward_rate = _frame_aware(_forward_rate_array, "nss_forward_rate")
nss_discount_factor = _frame_aware(_discount_factor_array, "nss_discount_factor")
nss_par_yield = _frame_aware(_par_yield_array, "nss_par_yield")


# ---------------------------------------------------------------------------------------------
# Tenors
# ---------------------------------------------------------------------------------------------


def maturity_years(label: object) -> float:
    """Maturity in years of a column label: a number of years or a series id like ``us.cmt.3m``."""
    if isinstance(label, (int, float, np.integer, np.floating)) and not isinstance(label, bool):
        return float(label)
    return tenor_years(str(label).rsplit(".", 1)[-1])


def _maturities_of(frame: pd.DataFrame, maturities: Sequence[float] | None) -> FloatArray:
    if maturities is None:
        times = np.array([maturity_years(label) for label in frame.columns])
    else:
        times = np.asarray(maturities, dtype=np.float64)
        if times.shape != (frame.shape[1],):
            raise DataError(f"{times.size} maturities given for {frame.shape[1]} yield columns")
    labels = list(frame.columns)
    if not np.all(np.isfinite(times)) or np.any(times <= 0):
        bad = [labels[i] for i in np.flatnonzero(~(np.isfinite(times) & (times > 0)))]
        raise DataError(f"maturities must be positive years; bad columns {bad}")
    if np.unique(times).size != times.size:
        _, first, counts = np.unique(times, return_index=True, return_counts=True)
        dup = [labels[i] for i, c in zip(first, counts, strict=True) if c > 1]
        raise DataError(f"duplicate maturities in columns (first of each): {dup}")
    if np.any(np.diff(times) < 0):
        position = int(np.flatnonzero(np.diff(times) < 0)[0])
        raise DataError(
            f"maturities must be sorted ascending: {labels[position]!r} comes before "
            f"{labels[position + 1]!r}"
        )
    return times
