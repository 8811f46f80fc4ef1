"""Fitting drivers of the Nelson-Siegel(-Svensson) curves: a panel of yields, date by date.

:func:`fit_nss_yields` fits one block of dates (NSS where the quotes identify it, the NS
fallback elsewhere, then the outlier rule of :mod:`ustpull.curves.nss_outliers` on the dates
that miss the tolerance); :func:`fit_nss_panel` splits a long panel into blocks of
:data:`DATE_CHUNK` dates for an executor. The formulas live in
:mod:`ustpull.curves.nss_formulas`, the batched optimiser in
:mod:`ustpull.curves.nss_optimiser`, the model class and its results in
:mod:`ustpull.curves.nss` (which re-exports the public names here).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ustpull.curves.nss_formulas import (
    Basis,
    FloatArray,
    Model,
    _par_yield_array,
    _zero_yield_array,
)
from ustpull.curves.nss_optimiser import (
    _fit_par_curves,
    _fit_zero_curves,
    _par_fixed_point,
)
from ustpull.curves.nss_outliers import Outliers, exclude_outliers
from ustpull.curves.nss_quality import (
    FIT_TOLERANCE_BP,
    curve_shape_ok,
    day_models,
    nss_identified,
)
from ustpull.errors import DataError
from ustpull.parallel import aligned_copy, chunk_bounds, map_chunks

__all__ = ["DATE_CHUNK", "fit_nss_panel", "fit_nss_yields"]


_POLISH_BUDGET = 3
"""Iterations of a fit's last Levenberg-Marquardt (the exact par-yield fit, or the zero-basis
polish of the dates not yet converged), in multiples of ``max_iter``: it starts next to its
optimum and stops within a few dozen iterations on almost every date, but on a few crawls
along a narrow valley for longer (CMT 2025-02-14, a 5.4 bp fit, and GSW 1995-01-24, a
0.004 bp fit with the second decay at its bound, both still moving after 100 iterations with
the optimiser's Cholesky solves); only those dates run on, so the budget costs nothing
elsewhere."""


def _fit_rows(
    yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    model: Model,
    basis: Basis,
    *,
    market: str,
    n_starts: int,
    max_iter: int,
    max_error_weight: float | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """One model on every given date: parameters and the optimiser's convergence flags
    (par yields on the objective of ``max_error_weight``: :func:`_fit_par_curves`)."""
    if basis == "zero":
        theta, _, converged = _fit_zero_curves(
            yields, weights, times, model, n_starts=n_starts, max_iter=_POLISH_BUDGET * max_iter
        )
        return theta, converged
    start = _par_fixed_point(
        yields, weights, times, model, n_starts=n_starts, max_iter=max_iter, market=market
    )
    return _fit_par_curves(
        yields,
        weights,
        times,
        model,
        start,
        max_iter=_POLISH_BUDGET * max_iter,
        market=market,
        max_error_weight=max_error_weight,
    )


def _basis_yields(params: FloatArray, times: FloatArray, basis: Basis, market: str) -> FloatArray:
    if basis == "zero":
        return _zero_yield_array(params, times)
    return _par_yield_array(params, times, market)


def _max_error(fitted: FloatArray, yields: FloatArray, weights: FloatArray) -> FloatArray:
    """Largest absolute error per date over the observed quotes (percent; NaN stays NaN)."""
    return np.max(np.where(weights > 0, np.abs(fitted - yields), 0.0), axis=1)


def _acceptable(
    params: FloatArray,
    fitted: FloatArray,
    yields: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    tolerance_bp: float,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Per date: every quote within ``tolerance_bp``, and the curve's shape test."""
    within = _max_error(fitted, yields, weights) * 100 <= tolerance_bp  # False for NaN
    return within, curve_shape_ok(params, yields, weights, times)


FitState = tuple[FloatArray, NDArray[np.bool_], FloatArray, NDArray[np.bool_], NDArray[np.bool_]]
"""``(params, optimised, fitted, within, shape)`` over all dates of a block."""


def _refit_with(
    retry: NDArray[np.intp],
    name: Model,
    state: FitState,
    quotes: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    basis: Basis,
    tolerance_bp: float,
    options: dict[str, Any],
) -> None:
    """Refit the dates ``retry`` with the other model ``name``; take it, in place, where better.

    The refit replaces the current curve where its own curve passes the shape test and
    the current one fails it, or where it is closer to the quotes (largest error). A
    Nelson-Siegel refit of an NSS date (the fallback) also replaces it wherever NS is
    acceptable: the simpler curve wins when both fit.
    """
    params, optimised, fitted, within, shape = state
    new_params, new_optimised = _fit_rows(
        quotes[retry], weights[retry], times, name, basis, **options
    )
    new_fitted = _basis_yields(new_params, times, basis, options["market"])
    new_within, new_shape = _acceptable(
        new_params, new_fitted, quotes[retry], weights[retry], times, tolerance_bp
    )
    new_error = _max_error(new_fitted, quotes[retry], weights[retry])
    old_error = _max_error(fitted[retry], quotes[retry], weights[retry])
    better = ~shape[retry] | (new_error < old_error)
    take = new_shape & ((new_within & (name == "ns")) | better)
    rows = retry[take]
    params[rows], optimised[rows], fitted[rows] = (
        new_params[take],
        new_optimised[take],
        new_fitted[take],
    )
    within[rows], shape[rows] = new_within[take], new_shape[take]


def _fit_all_quotes(
    yields: ArrayLike,
    maturities: ArrayLike,
    *,
    model: Model,
    basis: Basis,
    max_iter: int,
    n_starts: int,
    market: str,
    tolerance_bp: float,
    max_error_weight: float | None = None,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """:func:`fit_nss_yields` on every quote (no exclusion): params, converged, fitted
    (``max_error_weight`` as in :func:`_fit_par_curves`; ``None``: the module default)."""
    observed = np.asarray(yields, dtype=np.float64)
    times = np.asarray(maturities, dtype=np.float64)
    if observed.ndim != 2 or observed.shape[1] != times.size:
        raise DataError(f"yields {observed.shape} do not match {times.size} maturities")
    if np.any(np.isinf(observed)):
        raise DataError("yields contain infinite values")
    weights = np.isfinite(observed).astype(np.float64)
    quotes = np.where(weights > 0, observed, 0.0)
    choice = day_models(weights, times, model)
    params = np.full((observed.shape[0], 6), np.nan)
    optimised = np.zeros(observed.shape[0], dtype=bool)
    options: dict[str, Any] = {
        "market": market,
        "n_starts": n_starts,
        "max_iter": max_iter,
        "max_error_weight": max_error_weight,
    }
    models: tuple[tuple[Model, int], ...] = (("nss", 6), ("ns", 4))
    with np.errstate(all="ignore"):
        for name, n_params in models:
            rows = np.flatnonzero(choice == n_params)
            if rows.size:
                params[rows], optimised[rows] = _fit_rows(
                    quotes[rows],
                    weights[rows],
                    times,
                    name,
                    basis,
                    **options,
                )
        fitted = _basis_yields(params, times, basis, market)
        within, shape = _acceptable(params, fitted, quotes, weights, times, tolerance_bp)
        state = (params, optimised, fitted, within, shape)
        missed = ~(within & shape)
        # NSS dates that miss: NS; NS dates that miss with enough quotes for NSS: NSS
        # (the same dates never go both ways: the fallback's NS dates are not refitted)
        escalate = np.flatnonzero((choice == 4) & missed & nss_identified(weights, model))
        fallback = np.flatnonzero((choice == 6) & missed)
        refits: tuple[tuple[NDArray[np.intp], Model], ...] = ((fallback, "ns"), (escalate, "nss"))
        for rows, other in refits:
            if rows.size:
                _refit_with(
                    rows, other, state, quotes, weights, times, basis, tolerance_bp, options
                )
    # a wild curve is a wrong value: never stored (its fitted quotes still show the error)
    usable = np.isfinite(params[:, :5]).all(axis=1) & shape
    params[~usable] = np.nan
    converged = optimised & within & usable
    return params, converged, fitted


def fit_nss_yields(
    yields: ArrayLike,
    maturities: ArrayLike,
    *,
    model: Model = "nss",
    basis: Basis = "zero",
    max_iter: int = 100,
    n_starts: int = 3,
    market: str = "us_treasury",
    tolerance_bp: float = FIT_TOLERANCE_BP,
    outliers: Outliers = "exclude",
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray, NDArray[np.bool_]]:
    """Fit NS or NSS curves to a panel of yields, all dates at once.

    Minimises, per date, the sum of squared yield errors over observed maturities,
    ``sum_m (y_model(n_m; theta) - y_obs(n_m))^2`` (zero yields), or for par yields
    ``sum_m r_m^2 (1 + lam r_m^2 / c^2)`` with ``r_m`` the par-yield errors, ``lam`` =
    :data:`ustpull.curves.nss_optimiser.MAX_ERROR_WEIGHT` and ``c`` the date's RMSE at the
    start of the exact par fit (least squares with a quartic term that leans on the
    largest error), with the decays inside :data:`TAU_BOUNDS` and, for NSS, at least
    :data:`DECAY_SEPARATION` apart (:data:`PAR_DECAY_SEPARATION` for par yields).

    0. Model per date (:func:`ustpull.curves.nss_quality.day_models`): NSS where the quotes
       identify it (``model="nss"``), NS where they identify only four parameters, nothing
       where fewer than four quotes are observed.
    1. Variable projection: for fixed decays the betas are linear least squares; a grid
       of decays gives each date its ``n_starts`` best local minima.
    2. Levenberg-Marquardt on the decays (betas profiled out) from the best start, all dates
       in one batch; the further starts, each one batch, only on dates whose fit is not yet
       within the rounding of their quotes; the best start wins.
    3. On those dates still, the mirror decays, then warm starts from the previous and next
       date's decays, repeated while dates improve (:func:`_fit_zero_curves`).
    4. Par yields (``basis="par"``): steps 1-3 on pseudo zero yields corrected until their
       fit reprices the par yields (:func:`_par_fixed_point`), then Levenberg-Marquardt on
       all parameters against the exact par-yield formula (:func:`nss_par_yield` on
       ``market``'s coupon frequency and bill convention) on the objective above.
    5. An NSS date whose curve fails the shape test or the tolerance is refitted with NS
       and takes the NS curve where that one passes (a second hump the quotes cannot pin);
       an NS date that misses with at least eight quotes (seven with a long bond are NSS
       dates already) is refitted with NSS and takes it
       where its curve passes the shape test and is closer (the simplest acceptable model:
       :mod:`ustpull.curves.nss_quality`).
    6. ``converged`` is True only where the optimiser converged, every kept quote is
       within ``tolerance_bp`` and the zero curve passes the shape test
       (:func:`ustpull.curves.nss_quality.curve_shape_ok`).
    7. ``outliers="exclude"``: on dates that miss ``tolerance_bp``, quotes that do not
       price like the rest are excluded one at a time and the date refitted without them
       (rule: :mod:`ustpull.curves.nss_outliers`); the mask ``excluded`` says which.

    Floating-point conditions (overflow of a wild trial step, 0/0 of a collinear one) are
    handled per date: such a trial is rejected, such a date is not converged; no warning
    is raised.

    Parameters
    ----------
    yields : array_like, shape (dates, maturities)
        Percent; zero yields continuously compounded (``basis="zero"``) or par yields
        compounded as ``market`` quotes them (``basis="par"``). NaN marks a missing quote.
    maturities : array_like, shape (maturities,)
        Positive years.
    model : {"nss", "ns"}
        NSS where the quotes identify it (NS elsewhere), or NS on every date.
    basis : {"zero", "par"}
    max_iter : int
        Levenberg-Marquardt iterations per stage.
    n_starts : int
        Grid starts per date.
    market : str
        Conventions of par yields (:data:`ustpull.curves.conventions.MARKETS`).
    tolerance_bp : float
        Largest quote error of a converged fit, basis points.
    outliers : {"exclude", "keep"}
        Apply the exclusion rule of :mod:`ustpull.curves.nss_outliers`, or fit every quote.

    Returns
    -------
    params : ndarray, shape (dates, 6)
        NaN rows for dates with fewer than four quotes and for curves that fail the shape
        test; ``tau2`` NaN on NS dates.
    converged : ndarray of bool, shape (dates,)
    fitted : ndarray, shape (dates, maturities)
        Model yields on the input basis (also where the input was missing or excluded).
    excluded : ndarray of bool, shape (dates, maturities)
        True where a quote was excluded from its date's fit.
    """
    options: dict[str, Any] = {
        "model": model,
        "basis": basis,
        "max_iter": max_iter,
        "n_starts": n_starts,
        "market": market,
        "tolerance_bp": tolerance_bp,
    }
    if outliers not in ("exclude", "keep"):
        raise DataError(f"outliers must be 'exclude' or 'keep', got {outliers!r}")
    observed = np.asarray(yields, dtype=np.float64)
    times = np.asarray(maturities, dtype=np.float64)
    result = _fit_all_quotes(observed, times, **options)
    if outliers == "keep":
        return (*result, np.zeros(observed.shape, dtype=bool))

    def refit(panel: FloatArray) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
        # the rule's deleted residuals and robust spread are least-squares quantities: a fit
        # that leans on the largest error spreads the misfit and would hide the outlier
        return _fit_all_quotes(panel, times, **options, max_error_weight=0.0)

    with np.errstate(all="ignore"):
        excluded = exclude_outliers(refit, observed, times, result, tolerance_bp=tolerance_bp)
    days = np.flatnonzero(excluded.any(axis=1))
    if basis == "par" and days.size:
        # the days that excluded a quote took a least-squares refit: refit on the objective
        kept = np.where(excluded[days], np.nan, observed[days])
        params, converged, fitted = result
        params[days], converged[days], fitted[days] = _fit_all_quotes(kept, times, **options)
    return (*result, excluded)


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
    market: str = "us_treasury",
    tolerance_bp: float = FIT_TOLERANCE_BP,
    outliers: Outliers = "exclude",
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray, NDArray[np.bool_]]:
    """One work unit: :func:`fit_nss_yields` on a block of consecutive dates."""
    return fit_nss_yields(
        aligned_copy(yields),
        aligned_copy(maturities),
        model=model,
        basis=basis,
        max_iter=max_iter,
        n_starts=n_starts,
        market=market,
        tolerance_bp=tolerance_bp,
        outliers=outliers,
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
    market: str = "us_treasury",
    tolerance_bp: float = FIT_TOLERANCE_BP,
    outliers: Outliers = "exclude",
    progress: Callable[[int], None] | None = None,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray, NDArray[np.bool_]]:
    """:func:`fit_nss_yields` on blocks of ``chunk_size`` consecutive dates, on ``executor``.

    Every date's fit is independent except for the warm starts from neighbouring dates,
    which stay inside a block. The blocks are cut by :func:`ustpull.parallel.chunk_bounds`
    from the number of dates alone, so the result is bit-identical serially
    (``executor=None``), on a process pool or on a Dask cluster; a panel of at most
    ``chunk_size`` dates is one block, i.e. exactly :func:`fit_nss_yields`.

    Parameters
    ----------
    yields, maturities, model, basis, max_iter, n_starts, market, tolerance_bp, outliers
        As in :func:`fit_nss_yields`.
    chunk_size : int
        Dates per work unit.
    executor : concurrent.futures.Executor, optional
        Runs the blocks (``submit``); ``None`` runs them in this process.
    progress : callable, optional
        Called with the number of dates of each block as it is done (a progress bar);
        with an executor, once with all dates when every block is back.

    Returns
    -------
    params, converged, fitted, excluded
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
    arguments = (times, model, basis, max_iter, n_starts, market, tolerance_bp, outliers)
    if progress is None or executor is not None:
        parts = map_chunks(_fit_date_chunk, blocks, *arguments, executor=executor)
        if progress is not None:
            progress(len(observed))
    else:  # serially, block by block, so that the caller sees each one finish
        parts = []
        for block in blocks:
            parts += map_chunks(_fit_date_chunk, [block], *arguments)
            progress(len(block))
    params, converged, fitted, excluded = zip(*parts, strict=True)
    return (
        np.concatenate(params),
        np.concatenate(converged),
        np.concatenate(fitted),
        np.concatenate(excluded),
    )


# ---------------------------------------------------------------------------------------------
# Model and results classes
# ---------------------------------------------------------------------------------------------
