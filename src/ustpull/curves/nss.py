"""Nelson-Siegel (NS) and Nelson-Siegel-Svensson (NSS) curves fitted to panels of yields.

The formulas (zero, forward, discount and par yields of a parameter array) live in
:mod:`ustpull.curves.nss_formulas`, the batched optimiser in
:mod:`ustpull.curves.nss_optimiser`; this module holds the fits, the model class and its
results, and re-exports the public names of both.

References
----------
Nelson and Siegel (1987), Svensson (1994) and Gürkaynak, Sack and Wright (2007), cited in full
in :mod:`ustpull.curves.nss_formulas`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ustpull.curves.conventions import market_convention
from ustpull.curves.nss_formulas import (
    PARAM_NAMES,
    Basis,
    FloatArray,
    Model,
    _maturities_of,
    _par_yield_array,
    _zero_yield_array,
    maturity_years,
    nss_discount_factor,
    nss_forward_rate,
    nss_par_yield,
    nss_zero_yield,
    parameter_array,
)
from ustpull.curves.nss_optimiser import (
    DECAY_SEPARATION,
    TAU_BOUNDS,
    _fit_par_curves,
    _fit_zero_curves,
    _par_fixed_point,
)
from ustpull.curves.nss_outliers import Outliers, exclude_outliers
from ustpull.curves.nss_quality import (
    FIT_TOLERANCE_BP,
    NS_MIN_QUOTES,
    curve_shape_ok,
    day_models,
    fit_quality,
)
from ustpull.errors import DataError, FitError
from ustpull.parallel import aligned_copy, chunk_bounds, map_chunks

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DATE_CHUNK",
    "DECAY_SEPARATION",
    "PARAM_NAMES",
    "TAU_BOUNDS",
    "Basis",
    "CurveFitResults",
    "Model",
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
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """One model on every given date: parameters and the optimiser's convergence flags."""
    if basis == "zero":
        theta, _, converged = _fit_zero_curves(
            yields, weights, times, model, n_starts=n_starts, max_iter=max_iter
        )
        return theta, converged
    start = _par_fixed_point(
        yields, weights, times, model, n_starts=n_starts, max_iter=max_iter, market=market
    )
    return _fit_par_curves(yields, weights, times, model, start, max_iter=max_iter, market=market)


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


def _ns_fallback(
    retry: NDArray[np.intp],
    state: tuple[FloatArray, NDArray[np.bool_], FloatArray, NDArray[np.bool_], NDArray[np.bool_]],
    quotes: FloatArray,
    weights: FloatArray,
    times: FloatArray,
    basis: Basis,
    tolerance_bp: float,
    options: dict[str, Any],
) -> None:
    """Refit the NSS dates ``retry`` with NS; take NS, in place, where it does better.

    NS replaces NSS where the NS fit is acceptable, where the NSS curve failed the shape
    test and the NS curve passes it, or where both miss the tolerance and NS is closer.
    ``state`` is ``(params, optimised, fitted, within, shape)`` over all dates.
    """
    params, optimised, fitted, within, shape = state
    ns_params, ns_optimised = _fit_rows(
        quotes[retry], weights[retry], times, "ns", basis, **options
    )
    ns_fitted = _basis_yields(ns_params, times, basis, options["market"])
    ns_within, ns_shape = _acceptable(
        ns_params, ns_fitted, quotes[retry], weights[retry], times, tolerance_bp
    )
    ns_error = _max_error(ns_fitted, quotes[retry], weights[retry])
    nss_error = _max_error(fitted[retry], quotes[retry], weights[retry])
    take = ns_shape & (ns_within | ~shape[retry] | (ns_error < nss_error))
    rows = retry[take]
    params[rows], optimised[rows], fitted[rows] = (
        ns_params[take],
        ns_optimised[take],
        ns_fitted[take],
    )
    within[rows], shape[rows] = ns_within[take], ns_shape[take]


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
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """:func:`fit_nss_yields` on every quote (no exclusion): params, converged, fitted."""
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
    options: dict[str, Any] = {"market": market, "n_starts": n_starts, "max_iter": max_iter}
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
        retry = np.flatnonzero((choice == 6) & ~(within & shape))
        if retry.size:
            _ns_fallback(
                retry,
                (params, optimised, fitted, within, shape),
                quotes,
                weights,
                times,
                basis,
                tolerance_bp,
                options,
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
    ``sum_m (y_model(n_m; theta) - y_obs(n_m))^2``, with the decays inside
    :data:`TAU_BOUNDS` and, for NSS, at least :data:`DECAY_SEPARATION` apart.

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
       ``market``'s coupon frequency and bill convention).
    5. An NSS date whose curve fails the shape test or the tolerance is refitted with NS
       and takes the NS curve where that one passes (a second hump the quotes cannot pin).
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
        return _fit_all_quotes(panel, times, **options)

    with np.errstate(all="ignore"):
        excluded = exclude_outliers(refit, observed, times, result, tolerance_bp=tolerance_bp)
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


class CurveFitResults:
    """Read-only results of an NS/NSS fit over a panel of dates.

    Parameters
    ----------
    params : DataFrame
        Indexed by date; columns ``beta0..beta3, tau1, tau2``.
    observed, fitted : DataFrame
        Input and model yields (percent, same basis), columns as the input.
    converged : Series of bool
        The optimiser converged and the fit is within ``tolerance_bp`` with a well-behaved
        curve (:func:`fit_nss_yields`).
    model, basis : str
    market : str
        Conventions of par yields (:data:`ustpull.curves.conventions.MARKETS`).
    tolerance_bp : float
        The tolerance ``converged`` was judged against.
    excluded : DataFrame of bool, optional
        True where a quote was excluded from its date's fit
        (:mod:`ustpull.curves.nss_outliers`); default none.
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
        market: str = "us_treasury",
        tolerance_bp: float = FIT_TOLERANCE_BP,
        excluded: pd.DataFrame | None = None,
    ) -> None:
        self._params = params
        if excluded is None:
            excluded = pd.DataFrame(False, index=observed.index, columns=observed.columns)
        self._excluded = excluded.astype(bool)
        self._observed = observed
        self._fitted = fitted
        self._converged = converged
        self._model = model
        self._basis = basis
        self._market = market
        self._tolerance_bp = tolerance_bp

    @property
    def model(self) -> str:
        """The model asked for: ``"nss"`` (NSS where identified, NS elsewhere) or ``"ns"``."""
        return self._model

    @property
    def day_model(self) -> pd.Series:
        """The model fitted on each date: ``"nss"``, ``"ns"`` or ``""`` (no curve stored)."""
        params = self._params.to_numpy()
        fitted = np.isfinite(params[:, 0])
        labels = np.where(fitted, np.where(np.isnan(params[:, 5]), "ns", "nss"), "")
        return pd.Series(labels, index=self._params.index, name="model", dtype=object)

    @property
    def status(self) -> pd.Series:
        """Per date: ``ok``, ``ns-only``, ``poor-fit`` or ``too-few-quotes``.

        ``too-few-quotes``: no curve (fewer than
        :data:`ustpull.curves.nss_quality.NS_MIN_QUOTES` quotes); ``poor-fit``: not
        :attr:`converged` (parameters NaN where the curve failed the shape test);
        ``ns-only``: NSS asked, NS fitted; ``ok`` otherwise.
        """
        day_model = self.day_model.to_numpy()
        converged = self._converged.to_numpy()
        quotes = self._observed.notna().sum(axis=1).to_numpy()
        status = np.where(converged, "ok", "poor-fit").astype(object)
        status[converged & (day_model == "ns") & (self._model == "nss")] = "ns-only"
        status[quotes < NS_MIN_QUOTES] = "too-few-quotes"
        return pd.Series(status, index=self._params.index, name="status", dtype=object)

    @property
    def tolerance_bp(self) -> float:
        """Largest quote error (bp) of a date flagged converged."""
        return self._tolerance_bp

    def quality(self) -> dict[str, float | int]:
        """Days by status and the p50/p95/p99/max of the max error (bp) over fitted days.

        Keys: ``days``, ``ok``, ``ns-only``, ``poor-fit``, ``too-few-quotes``,
        ``p50_max_error_bp``, ``p95_max_error_bp``, ``p99_max_error_bp``, ``max_error_bp``
        (over the kept quotes), ``tolerance_bp``
        (:func:`ustpull.curves.nss_quality.fit_quality`), ``excluded_quotes`` and
        ``days_with_exclusions``.
        """
        quality = fit_quality(self.max_error_bp, self.status, tolerance_bp=self._tolerance_bp)
        per_day = self.n_excluded
        quality["excluded_quotes"] = int(per_day.sum())
        quality["days_with_exclusions"] = int((per_day > 0).sum())
        return quality

    def quality_table(self) -> str:
        """:meth:`quality` as a one-row text table."""
        quality = self.quality()
        counts = ("days", "ok", "ns-only", "poor-fit", "too-few-quotes")
        errors = ("p50_max_error_bp", "p95_max_error_bp", "p99_max_error_bp", "max_error_bp")
        header = [*counts, "p50 bp", "p95 bp", "p99 bp", "max bp", "excluded"]
        values = [f"{quality[name]}" for name in counts]
        values += [f"{quality[name]:.2f}" for name in errors]
        values.append(f"{quality['excluded_quotes']}")
        widths = [max(len(h), len(v)) + 2 for h, v in zip(header, values, strict=True)]
        return "\n".join(
            "".join(f"{cell:>{width}}" for cell, width in zip(row, widths, strict=True))
            for row in (header, values)
        )

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
        """Fitted minus observed yields in basis points (NaN where not observed).

        Excluded quotes (:attr:`excluded`) keep their residual: how far they sit off the
        curve fitted without them.
        """
        return (self._fitted - self._observed) * 100.0

    @property
    def excluded(self) -> pd.DataFrame:
        """True where a quote was excluded from its date's fit
        (rule: :mod:`ustpull.curves.nss_outliers`)."""
        return self._excluded.copy()

    @property
    def n_excluded(self) -> pd.Series:
        """Quotes excluded per date."""
        return self._excluded.sum(axis=1).astype(int).rename("n_excluded")

    def _kept_residuals_bp(self) -> pd.DataFrame:
        return self.residuals_bp.mask(self._excluded)

    @property
    def rmse_bp(self) -> pd.Series:
        """Root mean squared fit error per date over the kept quotes, basis points."""
        residuals = self._kept_residuals_bp()
        return np.sqrt((residuals**2).mean(axis=1)).rename("rmse_bp")

    @property
    def max_error_bp(self) -> pd.Series:
        """Largest absolute fit error per date over the kept quotes, basis points."""
        return self._kept_residuals_bp().abs().max(axis=1).rename("max_error_bp")

    @property
    def converged(self) -> pd.Series:
        """True where the optimiser converged, every quote is within :attr:`tolerance_bp` and
        the zero curve passes the shape test; False also where a date could not be fitted."""
        return self._converged.copy()

    @property
    def failed_dates(self) -> pd.DatetimeIndex:
        """Dates without a converged fit (too few quotes, optimiser stopped or poor fit)."""
        return pd.DatetimeIndex(self._converged.index[~self._converged.to_numpy()])

    def to_frame(self) -> pd.DataFrame:
        """One row per date: parameters, ``rmse_bp``, ``max_error_bp`` (kept quotes),
        ``converged``, ``model`` (fitted that day), ``status``, ``n_excluded`` and
        ``excluded`` (the excluded columns, space-separated; empty when none)."""
        names = np.asarray(self._excluded.columns, dtype=str)
        mask = self._excluded.to_numpy()
        listed = [" ".join(names[row]) for row in mask] if mask.any() else [""] * len(mask)
        return pd.concat(
            [
                self._params,
                self.rmse_bp,
                self.max_error_bp,
                self._converged.rename("converged"),
                self.day_model,
                self.status,
                self.n_excluded,
                pd.Series(listed, index=self._params.index, name="excluded", dtype=object),
            ],
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
            f"Converged: {int(self._converged.sum())} / {len(index)} "
            f"(within {self._tolerance_bp:g} bp, shape test passed)",
            f"Excluded quotes: {int(self.n_excluded.sum())} on "
            f"{int((self.n_excluded > 0).sum())} dates",
            "-" * 60,
            self.quality_table(),
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
        curve = _basis_yields(theta, grid, self._basis, self._market)  # type: ignore[arg-type]
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
        Six-parameter Svensson where a date's quotes identify it and four-parameter
        Nelson-Siegel elsewhere (rule: :func:`ustpull.curves.nss_quality.day_models`), or
        Nelson-Siegel on every date.
    basis : {"zero", "par"}
        The yields are zero-coupon (continuously compounded) or par yields on ``market``'s
        conventions (e.g. CMT or the Treasury par curve: semiannual bond-equivalent).
    maturities : sequence of float, optional
        Maturities in years when the column labels do not carry them.
    market : str
        Par-yield conventions (coupon frequency, day count, bill yield) from
        :data:`ustpull.curves.conventions.MARKETS`: ``us_treasury`` (default), ``bund``,
        ``jgb``, ``gilt``.
    outliers : {"exclude", "keep"}
        Exclude, on dates that miss the tolerance, quotes that do not price like the rest
        (rule and its constants: :mod:`ustpull.curves.nss_outliers`; reported in
        :attr:`CurveFitResults.excluded`), or fit every quote.

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
        market: str = "us_treasury",
        outliers: Outliers = "exclude",
    ) -> None:
        market_convention(market)  # an unknown market is a DataError naming the known ones
        if model not in ("nss", "ns"):
            raise DataError(f"model must be 'nss' or 'ns', got {model!r}")
        if basis not in ("zero", "par"):
            raise DataError(f"basis must be 'zero' or 'par', got {basis!r}")
        if outliers not in ("exclude", "keep"):
            raise DataError(f"outliers must be 'exclude' or 'keep', got {outliers!r}")
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
        self._market = market
        self._outliers: Outliers = outliers

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
        tolerance_bp: float = FIT_TOLERANCE_BP,
        progress: Callable[[int], None] | None = None,
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
        tolerance_bp : float
            Largest quote error (bp) of a date flagged converged.
        progress : callable, optional
            Called with the number of dates of each block done (:func:`fit_nss_panel`).

        Returns
        -------
        CurveFitResults

        Raises
        ------
        FitError
            When no date has the :data:`~ustpull.curves.nss_quality.NS_MIN_QUOTES` observed
            yields the smallest model needs.
        """
        values = self._yields.to_numpy(dtype=np.float64, na_value=np.nan)
        counts = np.isfinite(values).sum(axis=1)
        if not np.any(counts >= NS_MIN_QUOTES):
            raise FitError(
                f"no date has the {NS_MIN_QUOTES} observed yields an NS fit needs "
                f"(most on any date: {int(counts.max())})"
            )
        params, converged, fitted, excluded = fit_nss_panel(
            values,
            self._times,
            model=self._model,
            basis=self._basis,
            max_iter=max_iter,
            chunk_size=chunk_size,
            executor=executor,
            market=self._market,
            tolerance_bp=tolerance_bp,
            outliers=self._outliers,
            progress=progress,
        )
        index = self._yields.index
        return CurveFitResults(
            pd.DataFrame(params, index=index, columns=list(PARAM_NAMES)),
            self._yields.astype(np.float64),
            pd.DataFrame(fitted, index=index, columns=self._yields.columns),
            pd.Series(converged, index=index, name="converged"),
            model=self._model,
            basis=self._basis,
            market=self._market,
            tolerance_bp=tolerance_bp,
            excluded=pd.DataFrame(excluded, index=index, columns=self._yields.columns),
        )
