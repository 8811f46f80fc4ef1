"""Nelson-Siegel (NS) and Nelson-Siegel-Svensson (NSS) yield curves: formulas and fits.

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
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ustpull.errors import DataError, FitError
from ustpull.parallel import aligned_copy, chunk_bounds, map_chunks
from ustpull.sources.vocabulary import tenor_years

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DATE_CHUNK",
    "PARAM_NAMES",
    "CurveFitResults",
    "NelsonSiegelSvensson",
    "fit_nss_panel",
    "fit_nss_yields",
    "maturity_years",
    "nss_discount_factor",
    "nss_forward_rate",
    "nss_par_yield",
    "nss_zero_yield",
    "parameter_array",
]

PARAM_NAMES: tuple[str, ...] = ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")
"""Order of the parameters on the last axis of every parameter array."""

TAU_BOUNDS: tuple[float, float] = (0.05, 30.0)
"""Bounds on the decay parameters tau1 and tau2 in years."""

Model = Literal["nss", "ns"]
Basis = Literal["zero", "par"]

FloatArray = NDArray[np.float64]


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
    """Semiannual coupon dates of par bonds, as an indicator matrix over unique times."""

    times: FloatArray  # (unique times,) years
    coupons: FloatArray  # (maturities, unique times): 1 where the bond pays a coupon
    final: FloatArray  # (maturities, unique times): 1 at the maturity date
    accrued_fraction: FloatArray  # (maturities,) share of the current period already elapsed
    maturities: FloatArray  # (maturities,) years
    bill: NDArray[np.bool_]  # (maturities,) a single payment: quoted as a bill (BEY)


def _coupon_schedule(maturities: FloatArray) -> _CouponSchedule:
    """Coupons every half year counting back from maturity; a short first period accrues."""
    per_bond = []
    for maturity in maturities:
        count = int(np.ceil(maturity * 2.0 - 1e-9))
        per_bond.append(np.round(maturity - 0.5 * np.arange(count), 10))
    times = np.unique(np.concatenate(per_bond))
    coupons = np.zeros((maturities.size, times.size))
    final = np.zeros_like(coupons)
    for row, coupon_times in enumerate(per_bond):
        coupons[row, np.searchsorted(times, coupon_times)] = 1.0
        final[row, np.searchsorted(times, coupon_times[0])] = 1.0
    first = np.array([bond[-1] for bond in per_bond])
    bill = maturities <= 0.5 + 1e-12
    return _CouponSchedule(times, coupons, final, (0.5 - first) / 0.5, maturities, bill)


def _par_yield_array(params: ArrayLike, maturities: ArrayLike) -> FloatArray:
    """Par yields of semiannual-coupon bonds, percent bond-equivalent (as GSW's SVENPY).

    The coupon ``c`` that prices a bond at par (clean price 1):

    .. math:: \\frac{c}{2}\\Big(\\sum_k d(t_k) - a\\Big) + d(n) = 1,
        \\qquad c = \\frac{2\\,(1 - d(n))}{\\sum_k d(t_k) - a}

    with coupons at ``t_k = n, n-0.5, ... > 0`` and ``a`` the accrued share of the current
    coupon period (0 for whole or half years, so integer ``n`` is the textbook par yield).
    Maturities of half a year or less are one payment, quoted as Treasury bills are (and as
    the CMT 1-, 3- and 6-month yields): the bond-equivalent yield ``(1/d(n) - 1)/n``, the
    same as :meth:`ustpull.curves.zero_curve.ZeroCurve.par_yield`; at ``n = 0.5`` both
    formulas agree.

    Parameters
    ----------
    params : array_like, shape (dates, 6)
    maturities : array_like, shape (maturities,)
        Maturities in years, all positive.

    Returns
    -------
    ndarray, shape (dates, maturities)
    """
    schedule = _coupon_schedule(_positive_maturities(maturities))
    discount = _discount_factor_array(params, schedule.times)
    annuity = discount @ schedule.coupons.T - schedule.accrued_fraction
    final = discount @ schedule.final.T
    coupon = 200.0 * (1.0 - final) / annuity
    bill = 100.0 * (1.0 / final - 1.0) / schedule.maturities
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


_Formula = Callable[[ArrayLike, ArrayLike], FloatArray]


def _evaluate(formula: _Formula, params: ArrayLike | pd.DataFrame, maturities: ArrayLike) -> Any:
    if not isinstance(params, pd.DataFrame):
        return formula(params, maturities)
    times = np.asarray(maturities, dtype=np.float64)
    if times.ndim != 1:
        raise DataError("with a parameter frame, maturities must be one list of years")
    return pd.DataFrame(
        formula(parameter_array(params), times), index=params.index, columns=pd.Index(times)
    )


_FRAME_NOTE = """
    With a parameter DataFrame (indexed by date, columns as in :func:`parameter_array`)
    and a 1-D list of maturities, the result is a DataFrame with the same index and one
    column per maturity (float years as labels).
"""


class FrameAwareFormula(Protocol):
    """A curve formula taking a parameter array or a parameter DataFrame."""

    @overload
    def __call__(self, params: pd.DataFrame, maturities: ArrayLike) -> pd.DataFrame: ...
    @overload
    def __call__(self, params: ArrayLike, maturities: ArrayLike) -> FloatArray: ...


def _frame_aware(array_formula: _Formula, name: str) -> FrameAwareFormula:
    def formula(params: ArrayLike | pd.DataFrame, maturities: ArrayLike) -> Any:
        return _evaluate(array_formula, params, maturities)

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


# ---------------------------------------------------------------------------------------------
# Fitting to yields
# ---------------------------------------------------------------------------------------------


def _loadings(times: FloatArray, tau1: FloatArray, tau2: FloatArray | None) -> FloatArray:
    """Beta loadings ``[1, L1, L2(tau1), L2(tau2)]`` stacked on a last axis of 3 or 4."""
    _, slope1, decay1 = _decay_terms(times, tau1)
    columns = [np.ones_like(slope1), slope1, slope1 - decay1]
    if tau2 is not None:
        _, slope2, decay2 = _decay_terms(times, tau2)
        columns.append(slope2 - decay2)
    return np.stack(columns, axis=-1)


_GRID_TAU1 = np.geomspace(0.1, 25.0, 16)
# tau2 sits half a grid step off tau1 so that no pair is exactly collinear (tau1 == tau2)
_GRID_TAU2 = _GRID_TAU1 * np.sqrt(_GRID_TAU1[1] / _GRID_TAU1[0])
# one decay only: a finer grid costs little
_GRID_NS = np.geomspace(0.05, 30.0, 64)


def _tau_grid(model: Model) -> FloatArray:
    """Starting decays: a log grid of tau1 (NS) or the square grid of (tau1, tau2) (NSS)."""
    if model == "ns":
        return _GRID_NS[:, None]
    tau1, tau2 = np.meshgrid(_GRID_TAU1, _GRID_TAU2, indexing="ij")
    return np.column_stack([tau1.ravel(), tau2.ravel()])


def _local_minima(ssr: FloatArray, shape: tuple[int, ...]) -> NDArray[np.bool_]:
    """Grid points no higher than any neighbour (8 in 2-D, 2 in 1-D), per date."""
    surface = ssr.reshape((ssr.shape[0], *shape))
    padded = np.pad(surface, [(0, 0)] + [(1, 1)] * len(shape), constant_values=np.inf)
    is_min = np.ones(surface.shape, dtype=bool)
    offsets = (
        [(-1,), (1,)]
        if len(shape) == 1
        else [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    )
    for offset in offsets:
        window = tuple(slice(1 + o, 1 + o + n) for o, n in zip(offset, shape, strict=True))
        is_min &= surface <= padded[(slice(None), *window)]
    return is_min.reshape(ssr.shape)


def _grid_starts(
    yields: FloatArray, weights: FloatArray, times: FloatArray, model: Model, *, n_starts: int
) -> FloatArray:
    """Starting decays from variable projection on a grid.

    For fixed decays the betas are linear least squares. Dates are grouped by their
    pattern of observed maturities so that one QR factorisation per pattern and grid point
    serves every date, and the sums of squared residuals of all grid points come from one
    matrix product: ``SSR = y'y - ||Q'y||^2`` with ``Q`` an orthonormal basis of the
    loadings ``X`` (``X = QR``). The starts are the
    ``n_starts`` lowest local minima of that surface (the global grid minimum repeats when a
    date has fewer local minima), so that separate valleys of the NSS objective are explored.

    Returns
    -------
    ndarray, shape (n_starts, dates, taus)
        NaN for dates with fewer observed yields than parameters.
    """
    grid = _tau_grid(model)
    shape = (_GRID_NS.size,) if model == "ns" else (_GRID_TAU1.size, _GRID_TAU2.size)
    n_params = 4 if model == "ns" else 6
    starts = np.full((n_starts, yields.shape[0], grid.shape[1]), np.nan)
    patterns, group = np.unique(weights > 0, axis=0, return_inverse=True)
    for pattern_id, observed in enumerate(patterns):
        if observed.sum() < n_params:
            continue
        rows = np.flatnonzero(group.ravel() == pattern_id)
        obs_times = times[observed][None, :]
        X = _loadings(obs_times, grid[:, :1], None if model == "ns" else grid[:, 1:2])
        Q = np.linalg.qr(X).Q  # (grid, observed, betas): orthonormal basis of each X
        y = yields[np.ix_(rows, np.flatnonzero(observed))]
        n_grid, n_obs, n_beta = Q.shape
        coordinates = y @ Q.transpose(1, 0, 2).reshape(n_obs, n_grid * n_beta)
        explained = (coordinates**2).reshape(rows.size, n_grid, n_beta).sum(axis=2)
        ssr = np.sum(y**2, axis=1)[:, None] - explained
        ranked = np.where(_local_minima(ssr, shape), ssr, np.inf)
        # the n_starts lowest, in order: a partial sort of the grid, then a sort of those
        order = np.argpartition(ranked, min(n_starts, ranked.shape[1]) - 1, axis=1)[:, :n_starts]
        order = np.take_along_axis(
            order, np.argsort(np.take_along_axis(ranked, order, axis=1), axis=1), axis=1
        )
        found = np.isfinite(np.take_along_axis(ranked, order, axis=1))
        order = np.where(found, order, order[:, :1])
        starts[:, rows] = grid[order.T]
    return starts


def _zero_model_and_jacobian(
    times: FloatArray, theta: FloatArray, model: Model
) -> tuple[FloatArray, FloatArray]:
    """Zero yields ``(curves, times)`` and their Jacobian ``(curves, times, free)``.

    Free parameters: ``beta0..beta3, log tau1, log tau2`` (NSS) or ``beta0..beta2,
    log tau1`` (NS). With ``x = n/tau``, ``L1 = (1-e^{-x})/x``:
    ``dy/d log tau1 = b1 (L1 - e^{-x1}) + b2 (L1 - e^{-x1} - x1 e^{-x1})`` and
    ``dy/d log tau2 = b3 (L1(x2) - e^{-x2} - x2 e^{-x2})``.
    """
    x1, slope1, decay1 = _decay_terms(times[None, :], theta[:, 4:5])
    loadings = [np.ones_like(slope1), slope1, slope1 - decay1]
    fitted = theta[:, 0:1] + theta[:, 1:2] * slope1 + theta[:, 2:3] * (slope1 - decay1)
    d_log_tau1 = theta[:, 1:2] * (slope1 - decay1) + theta[:, 2:3] * (slope1 - decay1 - x1 * decay1)
    if model == "ns":
        return fitted, np.stack([*loadings, d_log_tau1], axis=-1)
    x2, slope2, decay2 = _decay_terms(times[None, :], theta[:, 5:6])
    fitted = fitted + theta[:, 3:4] * (slope2 - decay2)
    d_log_tau2 = theta[:, 3:4] * (slope2 - decay2 - x2 * decay2)
    return fitted, np.stack([*loadings, slope2 - decay2, d_log_tau1, d_log_tau2], axis=-1)


def _par_model_and_jacobian(
    schedule: _CouponSchedule, theta: FloatArray, model: Model
) -> tuple[FloatArray, FloatArray]:
    """Par yields (see :func:`nss_par_yield`) and their Jacobian by the chain rule.

    ``d(t) = exp(-y(t) t/100)`` so ``dd/dp = -d t/100 dy/dp``; with annuity
    ``A = sum_k d(t_k) - a``, ``c = 200 (1 - d(n)) / A`` and
    ``dc/dp = -(200 dd(n)/dp + c dA/dp) / A``; bills (``n <= 0.5``) as in
    :func:`_par_yield_array`.
    """
    zero, zero_jac = _zero_model_and_jacobian(schedule.times, theta, model)
    discount = np.exp(-zero * schedule.times / 100.0)
    d_discount = -(discount * schedule.times / 100.0)[..., None] * zero_jac
    annuity = discount @ schedule.coupons.T - schedule.accrued_fraction
    final = discount @ schedule.final.T
    par = 200.0 * (1.0 - final) / annuity
    d_annuity = schedule.coupons @ d_discount
    d_final = schedule.final @ d_discount
    jac = -(200.0 * d_final + par[..., None] * d_annuity) / annuity[..., None]
    # bills: par = 100 (1/d - 1)/n, so dpar/dp = -100 dd/dp / (n d^2)
    bill_par = 100.0 * (1.0 / final - 1.0) / schedule.maturities
    bill_jac = -100.0 * d_final / (schedule.maturities * final**2)[..., None]
    par = np.where(schedule.bill, bill_par, par)
    jac = np.where(schedule.bill[:, None], bill_jac, jac)
    return par, jac


def _free_to_theta(free: FloatArray, model: Model) -> FloatArray:
    theta = np.empty((free.shape[0], 6))
    if model == "ns":
        theta[:, :3] = free[:, :3]
        theta[:, 3] = 0.0
        theta[:, 4] = np.exp(free[:, 3])
        theta[:, 5] = np.nan
    else:
        theta[:, :4] = free[:, :4]
        theta[:, 4:6] = np.exp(free[:, 4:6])
    return theta


def _theta_to_free(theta: FloatArray, model: Model) -> FloatArray:
    if model == "ns":
        return np.column_stack([theta[:, :3], np.log(theta[:, 4])])
    return np.column_stack([theta[:, :4], np.log(theta[:, 4:6])])


Evaluator = Callable[[NDArray[np.intp], FloatArray], tuple[FloatArray, FloatArray]]
"""``(rows, free) -> (weighted residuals, weighted Jacobian)`` for the curves in ``rows``."""


def _levenberg_marquardt(
    evaluate: Evaluator,
    start: FloatArray,
    log_tau_columns: slice,
    *,
    max_iter: int,
    rtol: float = 1e-8,
    initial_damping: float = 1e-3,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Levenberg-Marquardt on a batch of curves: batched normal equations, per-curve damping.

    Each iteration solves ``(J'J + lam diag(J'J)) step = -J'r`` for all active curves with one
    batched ``numpy.linalg.solve``; a step is kept where it lowers the sum of squares (then
    ``lam /= 3``), otherwise ``lam *= 4``. A curve has converged when a kept step lowers the
    sum of squares by less than ``rtol`` relatively, moves no parameter by more than 1e-9 or
    leaves a sum of squares under 1e-20 (exact data), or the damping exceeds 1e10 (no
    descent direction left at machine precision). The free parameters in
    ``log_tau_columns`` are log decays, clipped to :data:`TAU_BOUNDS`. ``lam`` starts at
    ``initial_damping`` (small for starts already close to the optimum).

    Returns the free parameters, the sums of squares and the convergence flags.
    """
    lo, hi = np.log(TAU_BOUNDS[0]), np.log(TAU_BOUNDS[1])
    free = start.copy()
    free[:, log_tau_columns] = np.clip(free[:, log_tau_columns], lo, hi)
    n_curves, n_free = free.shape
    damping = np.full(n_curves, initial_damping)
    converged = np.zeros(n_curves, dtype=bool)
    residual, jacobian = evaluate(np.arange(n_curves), free)
    ssr = np.sum(residual**2, axis=1)
    active = np.isfinite(ssr)
    eye = np.eye(n_free)
    for _ in range(max_iter):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        J = jacobian[rows]
        J_T = J.transpose(0, 2, 1)
        jtj = J_T @ J
        gradient = J_T @ residual[rows][..., None]
        diagonal = np.maximum(np.diagonal(jtj, axis1=1, axis2=2), 1e-12)
        system = jtj + (damping[rows, None] * diagonal)[..., None] * eye
        step = -np.linalg.solve(system, gradient)[..., 0]
        trial = free[rows] + step
        trial[:, log_tau_columns] = np.clip(trial[:, log_tau_columns], lo, hi)
        trial_residual, trial_jacobian = evaluate(rows, trial)
        trial_ssr = np.sum(trial_residual**2, axis=1)
        better = np.isfinite(trial_ssr) & (trial_ssr < ssr[rows])
        kept, rejected = rows[better], rows[~better]
        settled = (
            (ssr[kept] - trial_ssr[better] <= rtol * ssr[kept])
            | (np.max(np.abs(step[better]), axis=1) < 1e-9)
            | (trial_ssr[better] < 1e-20)  # an exact fit, down to rounding
        )
        free[kept] = trial[better]
        residual[kept] = trial_residual[better]
        jacobian[kept] = trial_jacobian[better]
        ssr[kept] = trial_ssr[better]
        damping[kept] = np.maximum(damping[kept] / 3.0, 1e-12)
        damping[rejected] *= 4.0
        done = np.zeros(n_curves, dtype=bool)
        done[kept[settled]] = True
        done[rejected[damping[rejected] > 1e10]] = True
        converged |= done
        active &= ~done
    return free, ssr, converged


def _fit_par_curves(
    par_yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    start: FloatArray,
    *,
    max_iter: int,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Least squares on par yields (:func:`nss_par_yield`), all parameters, from ``start``."""

    schedule = _coupon_schedule(times)

    def evaluate(rows: NDArray[np.intp], free: FloatArray) -> tuple[FloatArray, FloatArray]:
        fitted, jacobian = _par_model_and_jacobian(schedule, _free_to_theta(free, model), model)
        residual = (fitted - par_yields[rows]) * weights[rows]
        return residual, jacobian * weights[rows][..., None]

    log_taus = slice(3, 4) if model == "ns" else slice(4, 6)
    free, _, converged = _levenberg_marquardt(
        evaluate, _theta_to_free(start, model), log_taus, max_iter=max_iter
    )
    return _free_to_theta(free, model), converged


def _projected_fit(
    yields: FloatArray, weights: FloatArray, times: FloatArray, log_taus: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """For fixed decays, the least-squares betas; residuals and the Kaufman Jacobian.

    With weighted loadings ``X`` (dates, maturities, betas) the betas solve
    ``(X'X) beta = X'y``; the residual is ``r = X beta - y`` and the variable-projection
    Jacobian w.r.t. ``log tau_j`` is Kaufman's ``J_j = (I - X (X'X)^{-1} X') dX/dlog tau_j beta``
    (Golub and Pereyra 2003, eq. 3.6).

    Returns betas (dates, betas), residuals (dates, maturities) and the transposed Jacobian
    ``J'`` (dates, taus, maturities).
    """
    n_taus = log_taus.shape[1]
    taus = np.exp(log_taus)
    x1, slope1, decay1 = _decay_terms(times[None, :], taus[:, 0:1])
    d_slope1 = slope1 - decay1
    d_curve1 = d_slope1 - x1 * decay1
    # loadings stacked as (dates, betas, maturities): contiguous rows for the products below
    X_T = np.empty((len(yields), 4 if n_taus == 2 else 3, times.size))
    X_T[:, 0] = weights
    X_T[:, 1] = slope1 * weights
    X_T[:, 2] = d_slope1 * weights
    if n_taus == 2:
        x2, slope2, decay2 = _decay_terms(times[None, :], taus[:, 1:2])
        X_T[:, 3] = (slope2 - decay2) * weights
    X = X_T.transpose(0, 2, 1)
    gram = X_T @ X
    # a tiny ridge keeps tau1 == tau2 (identical columns) solvable
    gram += 1e-13 * np.trace(gram, axis1=1, axis2=2)[:, None, None] * np.eye(gram.shape[-1])
    betas = np.asarray(np.linalg.solve(gram, X_T @ yields[..., None])[..., 0], dtype=np.float64)
    residual = (betas[:, None, :] @ X_T)[:, 0, :] - yields
    V_T = np.empty((len(yields), n_taus, times.size))  # dX/dlog tau beta, (dates, taus, maturities)
    V_T[:, 0] = (betas[:, 1:2] * d_slope1 + betas[:, 2:3] * d_curve1) * weights
    if n_taus == 2:
        V_T[:, 1] = betas[:, 3:4] * (slope2 - decay2 - x2 * decay2) * weights
    projection = np.linalg.solve(gram, X_T @ V_T.transpose(0, 2, 1))  # (dates, betas, taus)
    return betas, residual, V_T - projection.transpose(0, 2, 1) @ X_T


def _damped_step(jtj: FloatArray, gradient: FloatArray, damping: FloatArray) -> FloatArray:
    """Solve ``(J'J + lam diag(J'J)) step = J'r`` in closed form for 1 or 2 decays."""
    diagonal = np.maximum(np.diagonal(jtj, axis1=1, axis2=2), 1e-20) * (1.0 + damping[:, None])
    if jtj.shape[-1] == 1:
        return gradient / diagonal
    a, d, b = diagonal[:, 0], diagonal[:, 1], jtj[:, 0, 1]
    determinant = a * d - b * b
    first = (d * gradient[:, 0] - b * gradient[:, 1]) / determinant
    second = (a * gradient[:, 1] - b * gradient[:, 0]) / determinant
    return np.column_stack([first, second])


def _variable_projection_lm(
    yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    start_taus: FloatArray,
    *,
    max_iter: int = 100,
    rtol: float = 1e-8,
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_]]:
    """Levenberg-Marquardt on the reduced problem in ``log tau`` only, all dates at once.

    The betas are profiled out exactly (:func:`_projected_fit`), so only one (NS) or two
    (NSS) nonlinear parameters are iterated: each step solves a batch of 1x1 or 2x2 damped
    normal equations. A step is kept where it lowers the sum of squares (``lam /= 3``),
    else ``lam *= 4``. Converged: a kept step gains less than ``rtol`` relatively, or the
    damping exceeds 1e10 (no descent left at machine precision).

    Returns betas (dates, betas), taus (dates, taus), ssr (dates,), converged (dates,).
    """
    lo, hi = np.log(TAU_BOUNDS[0]), np.log(TAU_BOUNDS[1])
    log_taus = np.clip(np.log(start_taus), lo, hi)
    n_dates = log_taus.shape[0]
    betas, residual, jacobian_T = _projected_fit(yields, weights, times, log_taus)
    ssr = np.sum(residual**2, axis=1)
    damping = np.full(n_dates, 1e-3)
    converged = np.zeros(n_dates, dtype=bool)
    active = np.ones(n_dates, dtype=bool)
    for _ in range(max_iter):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        J_T = jacobian_T[rows]
        jtj = J_T @ J_T.transpose(0, 2, 1)
        gradient = (J_T @ residual[rows][..., None])[..., 0]
        step = -_damped_step(jtj, gradient, damping[rows])
        trial = np.clip(log_taus[rows] + step, lo, hi)
        trial_betas, trial_residual, trial_jacobian = _projected_fit(
            yields[rows], weights[rows], times, trial
        )
        trial_ssr = np.sum(trial_residual**2, axis=1)
        better = np.isfinite(trial_ssr) & (trial_ssr < ssr[rows])
        kept = rows[better]
        gain = ssr[kept] - trial_ssr[better]
        log_taus[kept] = trial[better]
        betas[kept] = trial_betas[better]
        residual[kept] = trial_residual[better]
        jacobian_T[kept] = trial_jacobian[better]
        ssr[kept] = trial_ssr[better]
        damping[kept] = np.maximum(damping[kept] / 3.0, 1e-12)
        rejected = rows[~better]
        damping[rejected] *= 4.0
        done = np.zeros(n_dates, dtype=bool)
        small_step = np.max(np.abs(step[better]), axis=1) < 1e-7
        done[kept[(gain <= rtol * np.maximum(ssr[kept], 1e-30)) | small_step]] = True
        done[rejected[damping[rejected] > 1e10]] = True
        converged |= done
        active &= ~done
    return betas, np.exp(log_taus), ssr, converged


def _keep_better(
    refit: tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_]],
    rows: NDArray[np.intp],
    betas: FloatArray,
    taus: FloatArray,
    ssr: FloatArray,
    converged: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Overwrite, in place, the dates in ``rows`` whose refit lowers the sum of squares.

    Returns the mask (over ``rows``) of the dates overwritten.
    """
    better = refit[2] < (1.0 - 1e-6) * ssr[rows]
    improved = rows[better]
    betas[improved], taus[improved] = refit[0][better], refit[1][better]
    ssr[improved], converged[improved] = refit[2][better], refit[3][better]
    return better


_SEARCH_ITERATIONS = 15
"""Iterations per start and per warm start: enough to tell valleys apart, not to converge."""

_MAX_WARM_PASSES = 30
"""Passes of warm starts from neighbouring dates (each pass reaches one date further)."""

_SETTLED_ERROR = (1e-8, 1e-4)
"""Largest fit errors (percent) under which a date needs no further starts: unrounded
quotes (an exact fit, down to rounding), and the cap for quotes rounded to few decimals.
"""


def _settled_error(yields: FloatArray, weights: FloatArray) -> FloatArray:
    """Per date, the fit error (percent) at which the fit matches the quotes' own rounding.

    One unit of the last decimal all observed yields carry (twice their rounding error; a
    fit to 4-decimal yields stops near 0.5e-4), at most ``1e-4`` (0.01 bp), and ``1e-8`` when
    they carry more than 8 decimals. No other valley can beat a fit that good by more than
    the rounding, so only the other dates get the extra starts and the warm starts.
    """
    exact, cap = _SETTLED_ERROR
    threshold = np.full(len(yields), exact)
    for decimals in range(8, -1, -1):  # the coarsest rounding that fits wins
        scaled = yields * 10.0**decimals
        on_grid = (np.abs(scaled - np.round(scaled)) <= 1e-6) | (weights == 0)
        threshold[np.all(on_grid, axis=1)] = min(10.0**-decimals, cap)
    return threshold


def _largest_error(
    yields: FloatArray, weights: FloatArray, times: FloatArray, taus: FloatArray
) -> FloatArray:
    """Largest absolute fit error per date (percent) at the decays ``taus``, betas profiled."""
    _, residual, _ = _projected_fit(yields, weights, times, np.log(taus))
    return np.max(np.abs(residual), axis=1)


def _fit_zero_curves(
    yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    *,
    n_starts: int,
    max_iter: int,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Multi-start variable projection, then warm starts from the neighbouring dates.

    Every date is refined from the best local minimum of the grid. Dates whose fit is not
    yet at the rounding of their quotes (:func:`_settled_error`; most dates of a 4-decimal
    history already are) are refined from the other ``n_starts - 1`` grid minima, then from
    their mirror decays ``(tau2, tau1)`` where ``tau1 > tau2`` (the swapped valley is a
    distinct, often worse, local optimum). Then, pass after pass (at most
    :data:`_MAX_WARM_PASSES`), every such date whose neighbour changed is refitted from the
    previous and from the next date's decays, keeping a refit where it lowers the sum of
    squares, so that a good valley spreads along the time axis through runs of dates stuck in
    a poor one (the NSS objective has several narrow valleys). Each step is one batched fit
    over the dates concerned.

    Returns ``theta`` (dates, 6), ``ssr`` (dates,) and ``converged`` (dates,).
    """
    starts = _grid_starts(yields, weights, times, model, n_starts=n_starts)
    n_taus = starts.shape[2]
    betas, taus, ssr, converged = _variable_projection_lm(
        yields, weights, times, starts[0], max_iter=_SEARCH_ITERATIONS
    )
    settled = _settled_error(yields, weights)
    error = _largest_error(yields, weights, times, taus)

    def refine(rows: NDArray[np.intp], start_taus: FloatArray) -> NDArray[np.intp]:
        """Refit ``rows`` from ``start_taus``, keep the better fits; the rows improved."""
        refit = _variable_projection_lm(
            yields[rows], weights[rows], times, start_taus, max_iter=_SEARCH_ITERATIONS
        )
        kept = rows[_keep_better(refit, rows, betas, taus, ssr, converged)]
        error[kept] = _largest_error(yields[kept], weights[kept], times, taus[kept])
        return kept

    def unsettled(rows: NDArray[np.intp]) -> NDArray[np.intp]:
        return rows[~(error[rows] <= settled[rows])]

    # the other starts only where the fit has not yet reached the rounding of the quotes
    poor = unsettled(np.arange(len(yields)))
    for start in starts[1:]:
        refine(poor, start[poor])
        poor = unsettled(poor)
    if n_taus == 2:
        # the mirror valley: a slow first hump with a fast second one often sits next to
        # the better fast-first solution (GSW's own tau1 is usually the shorter)
        swapped = poor[taus[poor, 0] > taus[poor, 1]]
        refine(swapped, taus[swapped][:, ::-1])
    n_dates = len(yields)
    changed = np.ones(n_dates, dtype=bool)
    for _ in range(_MAX_WARM_PASSES):
        improved = np.zeros(n_dates, dtype=bool)
        for shift in (1, -1):
            source = np.flatnonzero(changed)
            target = source + shift
            inside = (target >= 0) & (target < n_dates)
            source, target = source[inside], target[inside]
            needed = ~(error[target] <= settled[target])
            source, target = source[needed], target[needed]
            if target.size:
                improved[refine(target, taus[source])] = True
        changed = improved
        if not changed.any():
            break
    # the starts and sweeps stop early; dates not yet converged get the full budget
    rows = np.flatnonzero(~converged)
    if rows.size:
        polish = _variable_projection_lm(
            yields[rows], weights[rows], times, taus[rows], max_iter=max_iter
        )
        betas[rows], taus[rows], ssr[rows], converged[rows] = polish
    theta = np.empty((n_dates, 6))
    theta[:, : betas.shape[1]] = betas
    if model == "ns":
        theta[:, 3] = 0.0
        theta[:, 4] = taus[:, 0]
        theta[:, 5] = np.nan
    else:
        theta[:, 4:6] = taus
    return theta, ssr, converged


_PAR_ROUNDS = 4
"""Multi-start zero-basis fits in a par-yield fit, each followed by pseudo-yield corrections."""


def _par_fixed_point(
    par_yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    *,
    n_starts: int,
    max_iter: int,
) -> FloatArray:
    """Pseudo zero yields whose NSS fit reprices the observed par yields.

    Starting from ``z = 2 ln(1 + y_par/200)``, each round fits the zero basis (multi-start,
    :func:`_fit_zero_curves`) and then moves ``z <- z + (par_obs - par_model(theta))`` (a par
    yield moves about one for one with the zero yield of the same maturity) three times,
    refitting by variable projection from the current decays in between. The result starts
    the exact par-yield Levenberg-Marquardt close to its optimum: on its own that
    six-parameter problem is too ill-conditioned to cross the valleys of the NSS objective.
    """
    n_betas = 3 if model == "ns" else 4
    tau_columns = [4] if model == "ns" else [4, 5]
    pseudo_zero = 200.0 * np.log1p(par_yields / 200.0) * weights
    theta = np.empty((par_yields.shape[0], 6))
    for _ in range(_PAR_ROUNDS):
        theta, _, _ = _fit_zero_curves(
            pseudo_zero, weights, times, model, n_starts=n_starts, max_iter=max_iter
        )
        for correction in range(3):
            pseudo_zero = pseudo_zero + (par_yields - _par_yield_array(theta, times)) * weights
            if correction == 2:
                break
            betas, taus, _, _ = _variable_projection_lm(
                pseudo_zero, weights, times, theta[:, tau_columns], max_iter=_SEARCH_ITERATIONS
            )
            theta[:, :n_betas] = betas
            theta[:, tau_columns] = taus
    return theta


def fit_nss_yields(
    yields: ArrayLike,
    maturities: ArrayLike,
    *,
    model: Model = "nss",
    basis: Basis = "zero",
    max_iter: int = 100,
    n_starts: int = 3,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """Fit NS or NSS curves to a panel of yields, all dates at once.

    Minimises, per date, the sum of squared yield errors over observed maturities,
    ``sum_m (y_model(n_m; theta) - y_obs(n_m))^2``.

    1. Variable projection: for fixed decays the betas are linear least squares; a grid
       of decays gives each date its ``n_starts`` best local minima.
    2. Levenberg-Marquardt on the decays (betas profiled out) from the best start, all dates
       in one batch; the further starts, each one batch, only on dates whose fit is not yet
       within the rounding of their quotes; the best start wins.
    3. On those dates still, the mirror decays, then warm starts from the previous and next
       date's decays, repeated while dates improve (:func:`_fit_zero_curves`).
    4. Par yields (``basis="par"``): steps 1-3 on pseudo zero yields corrected until their
       fit reprices the par yields (:func:`_par_fixed_point`), then Levenberg-Marquardt on
       all parameters against the exact par-yield formula (:func:`nss_par_yield`).

    Parameters
    ----------
    yields : array_like, shape (dates, maturities)
        Percent; zero yields continuously compounded (``basis="zero"``) or par yields
        semiannual bond-equivalent (``basis="par"``). NaN marks a missing quote.
    maturities : array_like, shape (maturities,)
        Positive years.
    model : {"nss", "ns"}
    basis : {"zero", "par"}
    max_iter : int
        Levenberg-Marquardt iterations per stage.
    n_starts : int
        Grid starts per date.

    Returns
    -------
    params : ndarray, shape (dates, 6)
        NaN rows for dates with fewer observed yields than parameters.
    converged : ndarray of bool, shape (dates,)
    fitted : ndarray, shape (dates, maturities)
        Model yields on the input basis (also where the input was missing).
    """
    observed = np.asarray(yields, dtype=np.float64)
    times = np.asarray(maturities, dtype=np.float64)
    if observed.ndim != 2 or observed.shape[1] != times.size:
        raise DataError(f"yields {observed.shape} do not match {times.size} maturities")
    if np.any(np.isinf(observed)):
        raise DataError("yields contain infinite values")
    weights = np.isfinite(observed).astype(np.float64)
    n_params = 4 if model == "ns" else 6
    rows = np.flatnonzero(weights.sum(axis=1) >= n_params)
    params = np.full((observed.shape[0], 6), np.nan)
    converged = np.zeros(observed.shape[0], dtype=bool)
    if rows.size:
        sub_weights = weights[rows]
        sub_yields = np.where(sub_weights > 0, observed[rows], 0.0)
        if basis == "zero":
            theta, _, zero_converged = _fit_zero_curves(
                sub_yields, sub_weights, times, model, n_starts=n_starts, max_iter=max_iter
            )
            params[rows], converged[rows] = theta, zero_converged
        else:
            theta = _par_fixed_point(
                sub_yields, sub_weights, times, model, n_starts=n_starts, max_iter=max_iter
            )
            params[rows], converged[rows] = _fit_par_curves(
                sub_yields, sub_weights, times, model, theta, max_iter=max_iter
            )
    fitted = (_zero_yield_array if basis == "zero" else _par_yield_array)(params, times)
    return params, converged, fitted


DATE_CHUNK = 2000
"""Dates per work unit of :func:`fit_nss_panel` (about eight years of daily curves).

Large enough that a chunk's batched optimiser dwarfs the scheduling overhead; warm starts
stay inside a chunk, so the chunking (and hence the result) depends on the panel size only.
"""


def _fit_date_chunk(
    yields: FloatArray,
    maturities: FloatArray,
    model: Model,
    basis: Basis,
    max_iter: int,
    n_starts: int,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """One work unit: :func:`fit_nss_yields` on a block of consecutive dates."""
    return fit_nss_yields(
        aligned_copy(yields),
        aligned_copy(maturities),
        model=model,
        basis=basis,
        max_iter=max_iter,
        n_starts=n_starts,
    )


def fit_nss_panel(
    yields: ArrayLike,
    maturities: ArrayLike,
    *,
    model: Model = "nss",
    basis: Basis = "zero",
    max_iter: int = 100,
    n_starts: int = 3,
    chunk_size: int = DATE_CHUNK,
    executor: Executor | None = None,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """:func:`fit_nss_yields` on blocks of ``chunk_size`` consecutive dates, on ``executor``.

    Every date's fit is independent except for the warm starts from neighbouring dates,
    which stay inside a block. The blocks are cut by :func:`ustpull.parallel.chunk_bounds`
    from the number of dates alone, so the result is bit-identical serially
    (``executor=None``), on a process pool or on a Dask cluster; a panel of at most
    ``chunk_size`` dates is one block, i.e. exactly :func:`fit_nss_yields`.

    Parameters
    ----------
    yields, maturities, model, basis, max_iter, n_starts
        As in :func:`fit_nss_yields`.
    chunk_size : int
        Dates per work unit.
    executor : concurrent.futures.Executor, optional
        Runs the blocks (``submit``); ``None`` runs them in this process.

    Returns
    -------
    params, converged, fitted
        As in :func:`fit_nss_yields`, rows in date order.
    """
    observed = np.asarray(yields, dtype=np.float64)
    times = np.asarray(maturities, dtype=np.float64)
    if observed.ndim != 2:
        raise DataError(f"yields must be a (dates, maturities) panel, got shape {observed.shape}")
    if chunk_size < 1:
        raise DataError(f"chunk_size must be at least 1 date, got {chunk_size}")
    # an empty panel is one (empty) block, so fit_nss_yields reports its shape problems
    blocks = [
        observed[start:stop] for start, stop in chunk_bounds(len(observed), chunk_size=chunk_size)
    ] or [observed]
    parts = map_chunks(
        _fit_date_chunk, blocks, times, model, basis, max_iter, n_starts, executor=executor
    )
    params, converged, fitted = zip(*parts, strict=True)
    return np.concatenate(params), np.concatenate(converged), np.concatenate(fitted)


# ---------------------------------------------------------------------------------------------
# Model and results classes
# ---------------------------------------------------------------------------------------------


class CurveFitResults:
    """Read-only results of an NS/NSS fit over a panel of dates.

    Parameters
    ----------
    params : DataFrame
        Indexed by date; columns ``beta0..beta3, tau1, tau2``.
    observed, fitted : DataFrame
        Input and model yields (percent, same basis), columns as the input.
    converged : Series of bool
    model, basis : str
    """

    def __init__(
        self,
        params: pd.DataFrame,
        observed: pd.DataFrame,
        fitted: pd.DataFrame,
        converged: pd.Series,
        *,
        model: str,
        basis: str,
    ) -> None:
        self._params = params
        self._observed = observed
        self._fitted = fitted
        self._converged = converged
        self._model = model
        self._basis = basis

    @property
    def model(self) -> str:
        """``"nss"`` or ``"ns"``."""
        return self._model

    @property
    def basis(self) -> str:
        """``"zero"`` (continuously compounded) or ``"par"`` (semiannual bond-equivalent)."""
        return self._basis

    @property
    def params(self) -> pd.DataFrame:
        """Parameters by date: ``beta0..beta3`` (percent), ``tau1, tau2`` (years)."""
        return self._params.copy()

    @property
    def fitted(self) -> pd.DataFrame:
        """Model yields at the input maturities, percent."""
        return self._fitted.copy()

    @property
    def residuals_bp(self) -> pd.DataFrame:
        """Fitted minus observed yields in basis points (NaN where not observed)."""
        return (self._fitted - self._observed) * 100.0

    @property
    def rmse_bp(self) -> pd.Series:
        """Root mean squared fit error per date over observed maturities, basis points."""
        residuals = self.residuals_bp
        return np.sqrt((residuals**2).mean(axis=1)).rename("rmse_bp")

    @property
    def max_error_bp(self) -> pd.Series:
        """Largest absolute fit error per date, basis points."""
        return self.residuals_bp.abs().max(axis=1).rename("max_error_bp")

    @property
    def converged(self) -> pd.Series:
        """True where the optimiser converged (False also where a date could not be fitted)."""
        return self._converged.copy()

    @property
    def failed_dates(self) -> pd.DatetimeIndex:
        """Dates without a converged fit (too few observed yields or optimiser stopped)."""
        return pd.DatetimeIndex(self._converged.index[~self._converged.to_numpy()])

    def to_frame(self) -> pd.DataFrame:
        """One row per date: parameters, ``rmse_bp``, ``max_error_bp``, ``converged``."""
        return pd.concat(
            [self._params, self.rmse_bp, self.max_error_bp, self._converged.rename("converged")],
            axis=1,
        )

    def summary(self) -> str:
        """A text table: sample, fit quality percentiles and parameter ranges."""
        rmse = self.rmse_bp
        max_error = self.max_error_bp
        index = self._params.index
        lines = [
            f"{self._model.upper()} fit to {self._basis} yields",
            "=" * 60,
            f"Dates: {len(index)} ({index.min():%Y-%m-%d} .. {index.max():%Y-%m-%d})"
            if len(index)
            else "Dates: 0",
            f"Maturities: {self._observed.shape[1]}",
            f"Converged: {int(self._converged.sum())} / {len(index)}",
            "-" * 60,
            f"{'':<16}{'median':>10}{'p95':>10}{'p99':>10}{'max':>10}",
        ]
        for name, series in (("rmse (bp)", rmse), ("max error (bp)", max_error)):
            q = series.quantile([0.5, 0.95, 0.99, 1.0]).to_numpy()
            lines.append(f"{name:<16}" + "".join(f"{value:>10.4f}" for value in q))
        lines.append("-" * 60)
        lines.append(f"{'parameter':<16}{'min':>10}{'median':>10}{'max':>10}")
        for name in PARAM_NAMES:
            column = self._params[name]
            if column.notna().any():
                lines.append(
                    f"{name:<16}{column.min():>10.4f}{column.median():>10.4f}{column.max():>10.4f}"
                )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<CurveFitResults {self._model}/{self._basis}: {len(self._params)} dates>"

    def plot(self, date: str | pd.Timestamp | None = None) -> Figure:
        """Observed and fitted yields on one date (default: the last) and the rmse history."""
        import matplotlib.pyplot as plt

        when = self._params.index[-1] if date is None else pd.Timestamp(date)
        if when not in self._params.index:
            raise DataError(f"date {when:%Y-%m-%d} is not in the fitted sample")
        times = np.array([maturity_years(label) for label in self._observed.columns])
        grid = np.linspace(min(times.min(), 0.25), times.max(), 200)
        theta = self._params.loc[[when], list(PARAM_NAMES)].to_numpy()
        formula = _zero_yield_array if self._basis == "zero" else _par_yield_array
        curve = formula(theta, grid)
        fig, (ax_curve, ax_rmse) = plt.subplots(1, 2, figsize=(11, 4))
        ax_curve.plot(grid, curve[0], label=f"{self._model.upper()} fit")
        ax_curve.plot(times, self._observed.loc[when].to_numpy(), "o", label="observed")
        ax_curve.set(xlabel="maturity (years)", ylabel="yield (%)", title=f"{when:%Y-%m-%d}")
        ax_curve.legend()
        ax_rmse.plot(self._params.index, self.rmse_bp.to_numpy())
        ax_rmse.set(ylabel="rmse (bp)", title="fit error by date")
        fig.tight_layout()
        return fig


class NelsonSiegelSvensson:
    """Nelson-Siegel(-Svensson) curves fitted to a panel of yields.

    Parameters
    ----------
    yields : DataFrame
        Indexed by date, one column per maturity, percent. Column labels are years (numbers)
        or series ids ending in a tenor token (``us.gsw.zero.10y``, ``us.cmt.3m``); NaN marks a
        missing quote.
    model : {"nss", "ns"}
        Six-parameter Svensson or four-parameter Nelson-Siegel curve.
    basis : {"zero", "par"}
        The yields are zero-coupon (continuously compounded) or par (semiannual
        bond-equivalent, e.g. CMT or Treasury par curve).
    maturities : sequence of float, optional
        Maturities in years when the column labels do not carry them.

    Examples
    --------
    >>> res = NelsonSiegelSvensson(zero_yields).fit()  # doctest: +SKIP
    >>> res.params.tail()  # doctest: +SKIP
    """

    def __init__(
        self,
        yields: pd.DataFrame,
        *,
        model: Model = "nss",
        basis: Basis = "zero",
        maturities: Sequence[float] | None = None,
    ) -> None:
        if model not in ("nss", "ns"):
            raise DataError(f"model must be 'nss' or 'ns', got {model!r}")
        if basis not in ("zero", "par"):
            raise DataError(f"basis must be 'zero' or 'par', got {basis!r}")
        if not isinstance(yields, pd.DataFrame) or yields.empty:
            raise DataError("yields must be a non-empty DataFrame (dates x maturities)")
        self._times = _maturities_of(yields, maturities)
        values = yields.to_numpy(dtype=np.float64, na_value=np.nan)
        if np.any(np.isinf(values)):
            row, column = np.argwhere(np.isinf(values))[0]
            raise DataError(
                f"infinite yield on {yields.index[row]} in column {yields.columns[column]!r}"
            )
        if not yields.index.is_unique:
            raise DataError(
                f"duplicate dates in yields: {yields.index[yields.index.duplicated()][:3].tolist()}"
            )
        self._yields = yields
        self._model: Model = model
        self._basis: Basis = basis

    @property
    def maturities(self) -> FloatArray:
        """Maturities of the yield columns in years."""
        return self._times.copy()

    def fit(
        self,
        *,
        max_iter: int = 200,
        chunk_size: int = DATE_CHUNK,
        executor: Executor | None = None,
    ) -> CurveFitResults:
        """Estimate the curve on every date.

        Parameters
        ----------
        max_iter : int
            Levenberg-Marquardt iterations per stage.
        chunk_size : int
            Consecutive dates per work unit (:func:`fit_nss_panel`).
        executor : concurrent.futures.Executor, optional
            Runs the date blocks, e.g. ``ProcessPoolExecutor`` or a Dask
            ``Client.get_executor()``; the result is the same bits on every executor.

        Returns
        -------
        CurveFitResults

        Raises
        ------
        FitError
            When no date has as many observed yields as the model has parameters.
        """
        values = self._yields.to_numpy(dtype=np.float64, na_value=np.nan)
        n_params = 4 if self._model == "ns" else 6
        counts = np.isfinite(values).sum(axis=1)
        if not np.any(counts >= n_params):
            raise FitError(
                f"no date has the {n_params} observed yields a {self._model.upper()} fit needs "
                f"(most on any date: {int(counts.max())})"
            )
        params, converged, fitted = fit_nss_panel(
            values,
            self._times,
            model=self._model,
            basis=self._basis,
            max_iter=max_iter,
            chunk_size=chunk_size,
            executor=executor,
        )
        index = self._yields.index
        return CurveFitResults(
            pd.DataFrame(params, index=index, columns=list(PARAM_NAMES)),
            self._yields.astype(np.float64),
            pd.DataFrame(fitted, index=index, columns=self._yields.columns),
            pd.Series(converged, index=index, name="converged"),
            model=self._model,
            basis=self._basis,
        )
