"""Nelson-Siegel (NS) and Nelson-Siegel-Svensson (NSS) curves fitted to panels of yields.

The formulas (zero, forward, discount and par yields of a parameter array) live in
:mod:`ustpull.curves.nss_formulas`, the batched optimiser in
:mod:`ustpull.curves.nss_optimiser`, the fitting drivers (a panel, date by date) in
:mod:`ustpull.curves.nss_fit`; this module holds the model class and its results, and
re-exports the public names of the other three.

References
----------
Nelson and Siegel (1987), Svensson (1994) and Gürkaynak, Sack and Wright (2007), cited in full
in :mod:`ustpull.curves.nss_formulas`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.curves.conventions import market_convention
from ustpull.curves.nss_fit import DATE_CHUNK, _basis_yields, fit_nss_panel, fit_nss_yields
from ustpull.curves.nss_formulas import (
    PARAM_NAMES,
    Basis,
    FloatArray,
    Model,
    _maturities_of,
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
)
from ustpull.curves.nss_outliers import Outliers
from ustpull.curves.nss_quality import (
    EXTRAPOLATION_FROM_YEARS,
    EXTRAPOLATION_TO_YEARS,
    FIT_TOLERANCE_BP,
    NS_MIN_QUOTES,
    fit_quality,
    quote_span,
    supported_range,
)
from ustpull.errors import DataError, FitError

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


class CurveFitResults(Results):
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
    maturities : sequence of float, optional
        Years of the yield columns; default read from their labels.
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
        maturities: Sequence[float] | FloatArray | None = None,
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
        self._times = None if maturities is None else np.asarray(maturities, dtype=np.float64)
        self._range: pd.DataFrame | None = None

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
        ``days_with_exclusions``, ``days_extrapolation_masked``
        (:attr:`extrapolation_masked`).
        """
        quality = fit_quality(self.max_error_bp, self.status, tolerance_bp=self._tolerance_bp)
        per_day = self.n_excluded
        quality["excluded_quotes"] = int(per_day.sum())
        quality["days_with_exclusions"] = int((per_day > 0).sum())
        quality["days_extrapolation_masked"] = int(self.extrapolation_masked.sum())
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
    def curve_range(self) -> pd.DataFrame:
        """Per date, the maturities (years) the stored curve covers.

        ``span_from_years``, ``span_to_years``: the shortest and longest kept quote (the
        span the curve was judged on, :func:`ustpull.curves.nss_quality.curve_shape_ok`);
        ``curve_from_years``, ``curve_to_years``: where the stored curve holds, the span
        widened towards :data:`~ustpull.curves.nss_quality.EXTRAPOLATION_FROM_YEARS` and
        :data:`~ustpull.curves.nss_quality.EXTRAPOLATION_TO_YEARS` as far as the
        extrapolation passes the same shape test, grid point by grid point
        (:func:`~ustpull.curves.nss_quality.supported_range`). NaN where no curve is stored.
        """
        if self._range is None:
            kept = self._observed.mask(self._excluded).to_numpy(dtype=np.float64)
            weights = np.isfinite(kept).astype(np.float64)
            quotes = np.where(weights > 0, kept, 0.0)
            params = self._params.loc[:, list(PARAM_NAMES)].to_numpy(dtype=np.float64)
            times = self._times
            if times is None:
                times = np.array([maturity_years(label) for label in self._observed.columns])
            shortest, longest = quote_span(weights, times)
            curve_from, curve_to = supported_range(params, quotes, weights, times)
            stored = np.isfinite(curve_from)
            self._range = pd.DataFrame(
                {
                    "span_from_years": np.where(stored, shortest, np.nan),
                    "span_to_years": np.where(stored, longest, np.nan),
                    "curve_from_years": curve_from,
                    "curve_to_years": curve_to,
                },
                index=self._params.index,
            )
        return self._range.copy()

    @property
    def extrapolation_masked(self) -> pd.Series:
        """True on dates with a stored curve whose extrapolation fails the shape test short of
        one month or short of 30 years (the curve is missing beyond: :attr:`curve_range`)."""
        frame = self.curve_range
        short = frame["curve_from_years"] > np.minimum(
            frame["span_from_years"], EXTRAPOLATION_FROM_YEARS
        )
        long = frame["curve_to_years"] < np.maximum(frame["span_to_years"], EXTRAPOLATION_TO_YEARS)
        return (short | long).rename("extrapolation_masked")

    def zero_yields(self, maturities: Sequence[float]) -> pd.DataFrame:
        """Zero yields (percent, continuously compounded) of the stored curves at
        ``maturities`` (years), NaN outside each date's :attr:`curve_range` (GSW-style: a
        maturity the curve does not support is missing, never a wild extrapolation)."""
        years = np.asarray(maturities, dtype=np.float64)
        params = self._params.loc[:, list(PARAM_NAMES)].to_numpy(dtype=np.float64)
        frame = self.curve_range
        stored = np.isfinite(params[:, 0])
        values = np.full((len(params), years.size), np.nan)
        if stored.any():
            values[stored] = nss_zero_yield(params[stored], years)
        low = frame["curve_from_years"].to_numpy()[:, None]
        high = frame["curve_to_years"].to_numpy()[:, None]
        supported = (years[None, :] >= low - 1e-9) & (years[None, :] <= high + 1e-9)
        values = np.where(supported, values, np.nan)
        return pd.DataFrame(values, index=self._params.index, columns=list(years))

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
        ``converged``, ``model`` (fitted that day), ``status``, ``n_excluded``,
        ``excluded`` (the excluded columns, space-separated; empty when none) and the
        :attr:`curve_range` (``span_from_years``, ``span_to_years``, ``curve_from_years``,
        ``curve_to_years``)."""
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
                self.curve_range,
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
        Nelson-Siegel elsewhere (rule: :func:`ustpull.curves.nss_quality.day_models`; a
        Nelson-Siegel date with at least eight quotes that misses the tolerance is refitted
        with Svensson, :func:`ustpull.curves.nss_quality.nss_identified`), or Nelson-Siegel on
        every date.
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
            maturities=self._times,
        )
