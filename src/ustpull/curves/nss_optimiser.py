"""The NS/NSS optimiser: grid starts, variable projection and Levenberg-Marquardt, batched.

Every routine works on a whole panel of dates at once (one batched linear-algebra call per
iteration). The formulas are in :mod:`ustpull.curves.nss_formulas`; the public fits in
:mod:`ustpull.curves.nss`.

References
----------
Golub, G. and Pereyra, V. (2003), "Separable nonlinear least squares: the variable
projection method and its applications", Inverse Problems 19(2), R1-R26.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ustpull.conventions import compounding_of, to_continuous
from ustpull.curves.nss_formulas import (
    FloatArray,
    Model,
    _coupon_schedule,
    _CouponSchedule,
    _par_yield_array,
)

TAU_BOUNDS: tuple[float, float] = (0.05, 30.0)
"""Bounds on the decay parameters tau1 and tau2 in years (every fit stays inside them)."""

DECAY_SEPARATION: float = 1.1
"""Smallest ratio ``max(tau1, tau2) / min(tau1, tau2)`` of an NSS fit.

Two decays closer than this make the two hump loadings nearly collinear: the least-squares
betas then offset each other at +-10^5 percent and the curve between the quotes is noise.
Keeping them apart by 10 % bounds the offset (the betas scale like 1 / log ratio) while
the fit to the whole published GSW history keeps its accuracy (99.91 % of days within
0.1 bp of the published yields, 99.88 % before). Par-yield fits keep their decays further
apart (:data:`PAR_DECAY_SEPARATION`).
"""

PAR_DECAY_SEPARATION: float = 2.5
"""Smallest ratio of the two decays of an NSS fit to par yields (CMT, Treasury par, JGB, Bund).

Seven to fifteen par quotes cannot tell apart two humps whose decays differ by less than
a factor of about two: such a pair acts as one hump plus its derivative, and the narrow
valley it opens traps the fit away from better two-hump curves (CMT 2016-06-03, 11 quotes:
decays 26.9 and 29.6 years, both at the longest quote, max error 8.40 bp and RMSE 4.30 bp;
kept apart, decays 12.0 and 29.9 years, 8.15 and 4.14 bp; ``tests/curves/test_nss_rules``).
On five draws of 500 random CMT days (``benchmarks/bench_nss_sources.py`` part B) the ratio
2.5 moves the share of days on which ours is at least as accurate as nss-engine by max
error from 94.6-97.4 % to 95.2-97.0 %, at the same CPU time (1.5, 2.0 and 3.0 in
``benchmarks/results/nss_sources.md``; the ratio was chosen looking at all five draws).
Zero-yield sources (GSW's and ECB's published curves) keep :data:`DECAY_SEPARATION`: the
Fed's published GSW parameters sometimes have decays closer than a factor two (2.0 on every
GSW day leaves 88.8 % of days within 0.1 bp of the published yields, 2.5 on its days with
fewer than 20 maturities 99.25 %, against 99.91 %).
"""

# ---------------------------------------------------------------------------------------------
# Fitting to yields
# ---------------------------------------------------------------------------------------------

_SERIES_BELOW = 1e-3
"""``x = n/tau`` under which the slope loading comes from its Taylor series."""


def _decay_terms(times: FloatArray, tau: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``x = n/tau``, the slope loading ``(1-e^{-x})/x`` (1 at ``x = 0``) and ``e^{-x}``.

    The optimiser's copy of :func:`ustpull.curves.nss_formulas._decay_terms`, without its
    ``expm1`` (numpy's is not vectorised: the whole CMT history's fit spent a third of its
    loading time in it): ``(1 - e^{-x})/x`` from the one ``exp``, and below
    :data:`_SERIES_BELOW`, where that difference loses digits, the series
    ``1 - x/2 + x^2/6 - x^3/24`` (relative error under 1e-13 everywhere).
    """
    x = times / tau
    decay = np.exp(-x)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (1.0 - decay) / x
    small = x < _SERIES_BELOW
    if small.any():
        tiny = x[small]
        slope[small] = 1.0 - tiny * (0.5 - tiny * (1.0 / 6.0 - tiny / 24.0))
    return x, slope, decay


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
    yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    *,
    n_starts: int,
    separation: float = DECAY_SEPARATION,
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
        lo, hi, gap = _log_tau_bounds(observed[None, :].astype(np.float64), times, separation)
        if model == "ns":
            feasible = np.ones(grid.shape[0], dtype=bool)
        else:
            feasible = np.abs(np.log(grid[:, 1] / grid[:, 0])) >= gap[0] - 1e-12
        log_grid = np.log(grid)
        allowed = feasible & np.all(
            (log_grid >= lo[0] - 1e-12) & (log_grid <= hi[0] + 1e-12), axis=1
        )
        obs_times = times[observed][None, :]
        X = _loadings(obs_times, grid[:, :1], None if model == "ns" else grid[:, 1:2])
        Q = np.linalg.qr(X).Q  # (grid, observed, betas): orthonormal basis of each X
        y = yields[np.ix_(rows, np.flatnonzero(observed))]
        n_grid, n_obs, n_beta = Q.shape
        coordinates = y @ Q.transpose(1, 0, 2).reshape(n_obs, n_grid * n_beta)
        explained = (coordinates**2).reshape(rows.size, n_grid, n_beta).sum(axis=2)
        ssr = np.sum(y**2, axis=1)[:, None] - explained
        ssr[:, ~allowed] = np.inf
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
    ``A = sum_k d(t_k) - a``, ``c = 100 f (1 - d(n)) / A`` and
    ``dc/dp = -(100 f dd(n)/dp + c dA/dp) / A``; bills (``n <= 1/f``) as in
    :func:`_par_yield_array`.
    """
    zero, zero_jac = _zero_model_and_jacobian(schedule.times, theta, model)
    discount = np.exp(-zero * schedule.times / 100.0)
    d_discount = -(discount * schedule.times / 100.0)[..., None] * zero_jac
    annuity = discount @ schedule.coupons.T - schedule.accrued_fraction
    final = discount @ schedule.final.T
    scale = 100.0 * schedule.frequency
    par = scale * (1.0 - final) / annuity
    d_annuity = schedule.coupons @ d_discount
    d_final = schedule.final @ d_discount
    jac = -(scale * d_final + par[..., None] * d_annuity) / annuity[..., None]
    # bills: par = 100 s (1/d - 1)/n, so dpar/dp = -100 s dd/dp / (n d^2)
    bill_scale = 100.0 * schedule.bill_scale
    bill_par = bill_scale * (1.0 / final - 1.0) / schedule.maturities
    bill_jac = -bill_scale * d_final / (schedule.maturities * final**2)[..., None]
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


LogBounds = tuple[FloatArray, FloatArray, FloatArray]
"""Per-curve lower and upper bounds on the log decays and the smallest log ratio of two
decays (:func:`_log_tau_bounds`), each of shape (curves,)."""

SHORTEST_QUOTE_DECAYS: tuple[float, float] = (3.0, 10.0)
"""A decay is at least the shortest quote's maturity over this factor (at most the longest).

At ``x = n/tau`` well above 3 for every quote, both the slope loading ``(1-e^{-x})/x``
and the hump loading ``(1-e^{-x})/x - e^{-x}`` are close to ``1/x``: beta1 and beta2 (or
beta3) become collinear and offset each other at +-10^4 percent (CMT on 1980-04-01, with
the 1-year yield as the shortest of 8 quotes, fitted 15.9 % -> 12.3 % with beta1 = -26,900
and beta2 = +26,900 at ``tau = 0.1``). The first factor applies to sparse days; days with at
least :data:`DENSE_QUOTES` quotes get the second (the Fed's GSW curves use decays down to a
tenth of their 1-year shortest maturity, and 30 quotes pin the curve between them). A
decay beyond the longest quote leaves its hump unobserved and collinear with the level.
"""

DENSE_QUOTES = 20
"""Quotes on a day from which the looser lower decay bound applies."""


def _log_tau_bounds(
    weights: FloatArray, times: FloatArray, separation: float = DECAY_SEPARATION
) -> LogBounds:
    """Per date, the log decay bounds: :data:`TAU_BOUNDS` narrowed to the quotes' span.

    ``tau >= shortest / k`` (``k`` from :data:`SHORTEST_QUOTE_DECAYS`, by the number of
    quotes) and ``tau <= longest`` (years), inside :data:`TAU_BOUNDS`; the smallest log
    ratio of two decays, ``log separation`` (:data:`DECAY_SEPARATION`, or
    :data:`PAR_DECAY_SEPARATION` for par fits); the bounds at least two such ratios apart
    so two decays fit.
    """
    observed = weights > 0
    shortest = np.min(np.where(observed, times[None, :], TAU_BOUNDS[1]), axis=1)
    longest = np.max(np.where(observed, times[None, :], TAU_BOUNDS[1]), axis=1)
    sparse, dense = SHORTEST_QUOTE_DECAYS
    factor = np.where(observed.sum(axis=1) >= DENSE_QUOTES, dense, sparse)
    gap = np.full(len(weights), np.log(separation))
    lo = np.log(np.clip(shortest / factor, TAU_BOUNDS[0], TAU_BOUNDS[1]))
    hi = np.log(np.clip(longest, TAU_BOUNDS[0], TAU_BOUNDS[1]))
    hi = np.maximum(hi, lo + 2.0 * gap)
    return lo, hi, gap


def _constrain_log_taus(log_taus: FloatArray, bounds: LogBounds | None = None) -> FloatArray:
    """Log decays moved into their bounds and, for two, apart by the smallest ratio.

    ``bounds`` are per-curve log bounds and log ratios (:func:`_log_tau_bounds`); default
    :data:`TAU_BOUNDS` and :data:`DECAY_SEPARATION`. A pair closer than the separation is
    pushed apart symmetrically about its midpoint, keeping its order (equal decays: ``tau2``
    becomes the longer), then shifted back inside the bounds as a pair, so the projection is
    continuous on each side of ``tau1 = tau2``.
    """
    if bounds is None:
        lo = np.full(len(log_taus), np.log(TAU_BOUNDS[0]))
        hi = np.full(len(log_taus), np.log(TAU_BOUNDS[1]))
        gap = np.full(len(log_taus), np.log(DECAY_SEPARATION))
    else:
        lo, hi, gap = bounds
    clipped = np.clip(log_taus, lo[:, None], hi[:, None])
    if clipped.shape[-1] != 2:
        return clipped
    first, second = clipped[:, 0], clipped[:, 1]
    order = np.where(second >= first, 1.0, -1.0)
    close = np.abs(second - first) < gap
    middle = np.clip(0.5 * (first + second), lo + 0.5 * gap, hi - 0.5 * gap)
    new_first = np.where(close, middle - 0.5 * gap * order, first)
    new_second = np.where(close, middle + 0.5 * gap * order, second)
    return np.stack([new_first, new_second], axis=-1)


def _subset(bounds: LogBounds | None, rows: NDArray[np.intp]) -> LogBounds | None:
    return None if bounds is None else (bounds[0][rows], bounds[1][rows], bounds[2][rows])


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
    bounds: LogBounds | None = None,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Levenberg-Marquardt on a batch of curves: batched normal equations, per-curve damping.

    Each iteration solves ``(J'J + lam diag(J'J)) step = -J'r`` for all active curves with one
    batched ``numpy.linalg.solve``; a step is kept where it lowers the sum of squares (then
    ``lam /= 3``), otherwise ``lam *= 4``. A curve has converged when a kept step lowers the
    sum of squares by less than ``rtol`` relatively, moves no parameter by more than 1e-9 or
    leaves a sum of squares under 1e-20 (exact data), or the damping exceeds 1e10 (no
    descent direction left at machine precision). The free parameters in
    ``log_tau_columns`` are log decays, kept inside ``bounds`` (per curve; default
    :data:`TAU_BOUNDS`) and apart (:func:`_constrain_log_taus`). ``lam`` starts at
    ``initial_damping`` (small for starts already close to the optimum).

    Returns the free parameters, the sums of squares and the convergence flags.
    """
    free = start.copy()
    free[:, log_tau_columns] = _constrain_log_taus(free[:, log_tau_columns], bounds)
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
        trial[:, log_tau_columns] = _constrain_log_taus(
            trial[:, log_tau_columns], _subset(bounds, rows)
        )
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


MAX_ERROR_WEIGHT = 0.2
"""Weight ``lam`` of the quartic term of a par-yield fit's objective (see :func:`_fit_par_curves`).

Per date the par fit minimises ``sum_i r_i^2 (1 + lam r_i^2 / c^2)``, ``r_i`` the yield
errors and ``c`` the date's root mean squared error at the start of the fit (about the
least-squares one; held fixed, so the objective is free of units and of the date's level of
noise). ``lam = 0`` is least squares; as ``lam`` grows the quartic term (an L4 fit) leans on
the largest errors. The least-squares optimum of a par curve spreads its misfit unevenly
(the worst quote often 2-3 times the RMSE); the quartic term trades a little RMSE for a
lower max error, the measure of the tolerance, the status and the quality table. On 500
random CMT days (``benchmarks/bench_nss_sources.py`` part C) ``lam = 0.2`` moves the max
error's median from 4.96 to 4.43 bp, p95 from 12.8 to 11.2 bp and p99 from 15.8 to 14.4 bp
at a median RMSE of 2.66 bp instead of 2.64 bp, and ours is at least as accurate as
nss-engine and QuantLib on 96-97 % of those days on either measure (81.6 % / 90.8 % by max
error with least squares); 0.1 and 0.15 give about the same, 0.3 costs RMSE (94.6 %
against nss-engine). Zero-coupon sources (the Fed's GSW, ECB AAA) are
fitted by least squares: their published curves are least-squares fits that ours reproduces
to 0.1 bp.
"""


def _fit_par_curves(
    par_yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    start: FloatArray,
    *,
    max_iter: int,
    market: str = "us_treasury",
    max_error_weight: float | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Par yields (:func:`nss_par_yield` on ``market``'s conventions), all parameters, from
    ``start``, on the objective of :data:`MAX_ERROR_WEIGHT` (``max_error_weight``, default
    that constant; 0 is least squares). ``c`` is each date's RMSE at ``start`` (the
    pseudo-zero fixed point of :func:`_par_fixed_point`, within a few percent of the
    least-squares RMSE), held fixed.
    """

    schedule = _coupon_schedule(times, market)
    scale = np.ones(len(par_yields))
    lam = 0.0
    if max_error_weight is None:
        max_error_weight = MAX_ERROR_WEIGHT

    def evaluate(rows: NDArray[np.intp], free: FloatArray) -> tuple[FloatArray, FloatArray]:
        fitted, jacobian = _par_model_and_jacobian(schedule, _free_to_theta(free, model), model)
        residual = (fitted - par_yields[rows]) * weights[rows]
        if lam == 0.0:
            return residual, jacobian * weights[rows][..., None]
        # r sqrt(1 + u^2), u^2 = lam r^2 / c^2: its square is the date's objective term
        quartic = lam * (residual / scale[rows, None]) ** 2
        root = np.sqrt(1.0 + quartic)
        slope = weights[rows] * (root + quartic / root)
        return residual * root, jacobian * slope[..., None]

    log_taus = slice(3, 4) if model == "ns" else slice(4, 6)
    bounds = _log_tau_bounds(weights, times, PAR_DECAY_SEPARATION)
    free = _theta_to_free(start, model)
    if max_error_weight > 0.0 and len(free):
        # c: the start's RMSE (the pseudo-zero fixed point, close to the least-squares fit)
        residual, _ = evaluate(np.arange(len(free)), free)
        count = np.maximum(weights.sum(axis=1), 1.0)
        ssr = np.sum(np.where(np.isfinite(residual), residual, 0.0) ** 2, axis=1)
        scale = np.maximum(np.sqrt(ssr / count), 1e-12)
        lam = max_error_weight
    free, _, converged = _levenberg_marquardt(
        evaluate,
        free,
        log_taus,
        max_iter=max_iter,
        bounds=bounds,
        rtol=_PAR_RTOL,
        initial_damping=1e-4,  # the pseudo-zero fit starts it close to the optimum
    )
    return _free_to_theta(free, model), converged


def _cholesky(gram: FloatArray) -> list[list[FloatArray]]:
    """Lower Cholesky factors of a batch of small SPD matrices ``(n, k, k)``, entry by entry.

    ``low[i][j]`` (``j <= i``) is the ``(n,)`` array of the factors' ``(i, j)`` entries. For
    the 3x3 and 4x4 Gram matrices of a fit, a loop over the entries (vectorised over the
    dates) costs less than numpy's batched LAPACK calls, one per matrix. A matrix that is not
    positive definite gives NaN (the caller's trial is then rejected).
    """
    k = gram.shape[-1]
    low: list[list[FloatArray]] = [[] for _ in range(k)]
    for j in range(k):
        diagonal = gram[:, j, j].copy()
        for p in range(j):
            diagonal -= low[j][p] ** 2
        low[j].append(np.sqrt(diagonal))
        for i in range(j + 1, k):
            off = gram[:, i, j].copy()
            for p in range(j):
                off -= low[i][p] * low[j][p]
            low[i].append(off / low[j][j])
    return low


def _cholesky_solve(low: list[list[FloatArray]], rhs: FloatArray) -> FloatArray:
    """Solve ``G x = rhs`` for ``rhs`` of shape ``(n, k, m)`` given ``G``'s :func:`_cholesky`."""
    k = len(low)
    forward: list[FloatArray] = []
    for i in range(k):
        value = rhs[:, i].copy()
        for p in range(i):
            value -= low[i][p][:, None] * forward[p]
        forward.append(value / low[i][i][:, None])
    solution: list[FloatArray] = [forward[0]] * k
    for i in range(k - 1, -1, -1):
        value = forward[i]
        for p in range(i + 1, k):
            value = value - low[p][i][:, None] * solution[p]
        solution[i] = value / low[i][i][:, None]
    return np.stack(solution, axis=1)


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
    low = _cholesky(gram)  # one factorisation serves the betas and the projection
    betas = _cholesky_solve(low, X_T @ yields[..., None])[..., 0]
    residual = (betas[:, None, :] @ X_T)[:, 0, :] - yields
    V_T = np.empty((len(yields), n_taus, times.size))  # dX/dlog tau beta, (dates, taus, maturities)
    V_T[:, 0] = (betas[:, 1:2] * d_slope1 + betas[:, 2:3] * d_curve1) * weights
    if n_taus == 2:
        V_T[:, 1] = betas[:, 3:4] * (slope2 - decay2 - x2 * decay2) * weights
    projection = _cholesky_solve(low, X_T @ V_T.transpose(0, 2, 1))  # (dates, betas, taus)
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
    separation: float = DECAY_SEPARATION,
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_]]:
    """Levenberg-Marquardt on the reduced problem in ``log tau`` only, all dates at once.

    The betas are profiled out exactly (:func:`_projected_fit`), so only one (NS) or two
    (NSS) nonlinear parameters are iterated: each step solves a batch of 1x1 or 2x2 damped
    normal equations. A step is kept where it lowers the sum of squares (``lam /= 3``),
    else ``lam *= 4``. Converged: a kept step gains less than ``rtol`` relatively, or the
    damping exceeds 1e10 (no descent left at machine precision).

    The decays stay inside :func:`_log_tau_bounds` (two at least ``separation`` apart).

    Returns betas (dates, betas), taus (dates, taus), ssr (dates,), converged (dates,).
    """
    bounds = _log_tau_bounds(weights, times, separation)
    log_taus = _constrain_log_taus(np.log(start_taus), bounds)
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
        trial = _constrain_log_taus(log_taus[rows] + step, _subset(bounds, rows))
        trial_betas, trial_residual, trial_jacobian = _projected_fit(
            yields[rows], weights[rows], times, trial
        )
        trial_ssr = np.sum(trial_residual**2, axis=1)
        better = np.isfinite(trial_ssr) & (trial_ssr < ssr[rows])
        # the step actually taken (after the bounds): none when a bound or the separation holds
        blocked = np.max(np.abs(trial - log_taus[rows]), axis=1) < 1e-7
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
        done[kept[(gain <= rtol * np.maximum(ssr[kept], 1e-30)) | blocked[better]]] = True
        done[rejected[(damping[rejected] > 1e10) | blocked[~better]]] = True
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
    warm_passes: int = _MAX_WARM_PASSES,
    separation: float = DECAY_SEPARATION,
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
    over the dates concerned. Two decays stay at least ``separation`` apart (ratio).

    Returns ``theta`` (dates, 6), ``ssr`` (dates,) and ``converged`` (dates,).
    """
    starts = _grid_starts(yields, weights, times, model, n_starts=n_starts, separation=separation)
    n_taus = starts.shape[2]
    betas, taus, ssr, converged = _variable_projection_lm(
        yields, weights, times, starts[0], max_iter=_SEARCH_ITERATIONS, separation=separation
    )
    settled = _settled_error(yields, weights)
    error = _largest_error(yields, weights, times, taus)

    def refine(rows: NDArray[np.intp], start_taus: FloatArray) -> NDArray[np.intp]:
        """Refit ``rows`` from ``start_taus``, keep the better fits; the rows improved."""
        refit = _variable_projection_lm(
            yields[rows],
            weights[rows],
            times,
            start_taus,
            max_iter=_SEARCH_ITERATIONS,
            separation=separation,
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
    for _ in range(warm_passes):
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
            yields[rows], weights[rows], times, taus[rows], max_iter=max_iter, separation=separation
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


_PAR_ROUNDS = 2
"""Multi-start zero-basis fits in a par-yield fit, each followed by pseudo-yield corrections
(the second without warm passes: on synthetic exact par curves it takes the share within
0.2 bp from 87 % to 100 %)."""

_PAR_RTOL = 1e-4
"""Relative gain in the sum of squares under which the exact par fit stops: it moves the
yield errors by about half of that relatively (0.0003 bp of a 5 bp error); exact data
still runs to a sum of squares of 1e-20 (a converging LM gains far more than 1e-4 a step).
On the whole CMT history the same p50/p95/p99 (5.2/13.2/18.3 bp) as with 1e-7, in less
time, and fewer days left unconverged at the iteration budget."""

_PSEUDO_ITERATIONS = 30
"""Levenberg-Marquardt budget of the final polish of a pseudo-zero fit (the exact par
fit polishes afterwards)."""

_PSEUDO_WARM_PASSES = 1
"""Warm-start passes of a pseudo-zero fit: par quotes (2-3 decimals) leave every date above
its rounding, so the passes would run to :data:`_MAX_WARM_PASSES`; one pass reaches the
same fits on the whole CMT history (p99 of the max error 18.2 bp with 30, 5 or 1 pass)."""

_PAR_GRID_STARTS = 2
"""Grid starts per date of a par fit's pseudo-zero rounds (at most ``n_starts``): the
second round and the exact par fit do the rest (whole CMT, JGB, Bund and Treasury par
histories: the same p50/p95/p99 as with 3 starts, 20 % less time)."""

_PAR_CORRECTIONS = 2
"""Pseudo-yield corrections after each multi-start round (warm variable projection)."""


def _par_fixed_point(
    par_yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    *,
    n_starts: int,
    max_iter: int,
    market: str = "us_treasury",
) -> FloatArray:
    """Pseudo zero yields whose NSS fit reprices the observed par yields.

    Starting from the par yield restated continuously, ``z = 100 f ln(1 + y_par/(100 f))``
    (``f`` coupons a year on ``market``), each round fits the zero basis (multi-start,
    :func:`_fit_zero_curves`) and then moves ``z <- z + (par_obs - par_model(theta))`` (a
    par yield moves about one for one with the zero yield of the same maturity)
    :data:`_PAR_CORRECTIONS` times, refitting by variable projection from the current decays
    in between. The result starts the exact par-yield Levenberg-Marquardt close to its
    optimum: on its own that six-parameter problem is too ill-conditioned to cross the
    valleys of the NSS objective.
    """
    n_betas = 3 if model == "ns" else 4
    tau_columns = [4] if model == "ns" else [4, 5]
    n_starts = min(n_starts, _PAR_GRID_STARTS)
    compounding = compounding_of(_coupon_schedule(times[-1:], market).frequency)
    pseudo_zero = to_continuous(par_yields, compounding) * weights
    best = np.full((par_yields.shape[0], 6), np.nan)
    best_ssr = np.full(par_yields.shape[0], np.inf)

    def keep_best(candidate: FloatArray) -> FloatArray:
        """Par-yield errors of ``candidate``; it replaces ``best`` where its fit is closer."""
        error = (par_yields - _par_yield_array(candidate, times, market)) * weights
        ssr = np.sum(error**2, axis=1)
        better = ssr < best_ssr  # NaN (a diverged fit) is never better
        best[better], best_ssr[better] = candidate[better], ssr[better]
        return np.where(np.isfinite(error), error, 0.0)

    for round_ in range(_PAR_ROUNDS):
        # the exact par fit polishes afterwards: the pseudo-zero fit needs no full budget
        theta, _, _ = _fit_zero_curves(
            pseudo_zero,
            weights,
            times,
            model,
            n_starts=n_starts,
            max_iter=_PSEUDO_ITERATIONS,
            warm_passes=_PSEUDO_WARM_PASSES if round_ == 0 else 0,
            separation=PAR_DECAY_SEPARATION,
        )
        for correction in range(_PAR_CORRECTIONS):
            pseudo_zero = pseudo_zero + keep_best(theta)
            if correction == _PAR_CORRECTIONS - 1:
                break
            betas, taus, _, _ = _variable_projection_lm(
                pseudo_zero,
                weights,
                times,
                theta[:, tau_columns],
                max_iter=_SEARCH_ITERATIONS,
                separation=PAR_DECAY_SEPARATION,
            )
            theta = theta.copy()
            theta[:, :n_betas] = betas
            theta[:, tau_columns] = taus
    # a date whose every candidate diverged keeps the last one (it will not converge)
    missing = ~np.isfinite(best_ssr)
    best[missing] = theta[missing]
    return best
    return theta
