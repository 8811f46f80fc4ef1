"""Diebold-Yilmaz (2012) connectedness of bond markets from a VAR and the generalized FEVD.

A VAR(p) with intercept is fitted to yield changes of ``N`` markets,

.. math::

    \\Delta y_t = c + \\sum_{j=1}^{p} A_j \\Delta y_{t-j} + \\varepsilon_t,
    \\qquad \\varepsilon_t \\sim (0, \\Sigma),

by equation-by-equation OLS. Its moving-average form :math:`\\Delta y_t = \\sum_{h\\ge0} \\Psi_h
\\varepsilon_{t-h}` has :math:`\\Psi_0 = I` and :math:`\\Psi_h = \\sum_{j=1}^{\\min(h,p)} A_j
\\Psi_{h-j}`. The generalized forecast error variance decomposition of Pesaran and Shin (1998)
at horizon :math:`H` is

.. math::

    \\theta_{ij}(H) = \\frac{\\sigma_{jj}^{-1} \\sum_{h=0}^{H-1} (e_i' \\Psi_h \\Sigma e_j)^2}
                          {\\sum_{h=0}^{H-1} e_i' \\Psi_h \\Sigma \\Psi_h' e_i},

and the connectedness table is its row-normalised version :math:`\\tilde\\theta_{ij} =
\\theta_{ij} / \\sum_j \\theta_{ij}` in percent. From it (Diebold and Yilmaz 2012, sec. 2):

* total connectedness :math:`S = \\frac{1}{N} \\sum_{i \\ne j} \\tilde\\theta_{ij}`,
* directional from others to :math:`i`: :math:`S_{i\\leftarrow} = \\sum_{j\\ne i}
  \\tilde\\theta_{ij}` (row sum without the diagonal),
* directional from :math:`j` to others: :math:`S_{\\to j} = \\sum_{i\\ne j} \\tilde\\theta_{ij}`
  (column sum without the diagonal),
* net :math:`S_{\\to i} - S_{i\\leftarrow}` and net pairwise :math:`\\tilde\\theta_{ji} -
  \\tilde\\theta_{ij}` (what ``i`` gives ``j`` less what it takes from ``j``).

Rolling windows are computed all at once: the cross-product matrices of every window are
differences of cumulative sums, the OLS systems are solved as one stacked ``numpy.linalg.solve``
and the MA recursion and the FEVD run on the stacked coefficient arrays; nothing loops over
windows or days. For very long samples ``fit_rolling(..., executor=)`` cuts the windows
into blocks of :data:`WINDOW_CHUNK` (the work units of :mod:`ustpull.parallel`).

Units: the inputs are yield changes in percentage points; every connectedness number is in
percent of forecast error variance.

References
----------
Diebold, F. X. and K. Yilmaz (2012), "Better to give than to receive: Predictive directional
measurement of volatility spillovers", International Journal of Forecasting 28(1), 57-66.
Pesaran, M. H. and Y. Shin (1998), "Generalized impulse response analysis in linear
multivariate models", Economics Letters 58(1), 17-29.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ustpull._results import Results
from ustpull._typing import DailyWeekly as ChangeFrequency
from ustpull._typing import FloatArray
from ustpull.crossasset.connectedness.fevd import generalized_fevd, var_ma_coefficients
from ustpull.crossasset.connectedness.measures import SpilloverMeasures, spillover_measures
from ustpull.crossasset.connectedness.var_ols import (
    VarWindows,
    _SingularWindowError,
    rolling_var_ols,
)
from ustpull.crossasset.stats import align, changes_across_rows
from ustpull.crossasset.synchronous import synchronous_changes, warn_unless_synchronous
from ustpull.errors import DataError, FitError
from ustpull.parallel import aligned_copy, chunk_bounds, map_chunks

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WINDOW_CHUNK = 2500
"""Rolling windows per work unit of ``fit_rolling(..., executor=)`` (ten years of days).

A block's windows are computed from its own rows (centred on the block mean), so the
chunking, a function of the number of windows only, fixes the result bit for bit.
"""


def _window_shares(
    block: FloatArray, lags: int, window: int, horizon: int
) -> tuple[FloatArray, NDArray[np.intp]]:
    """One work unit: GFEVD shares of every window in ``block`` and the singular windows.

    Singular windows come back as indices (within the block) instead of an exception, so
    that the caller can name their dates whichever executor ran the block.
    """
    try:
        var = rolling_var_ols(aligned_copy(block), lags=lags, window=window)
    except _SingularWindowError as exc:
        return np.empty((0, block.shape[1], block.shape[1])), exc.windows
    shares = generalized_fevd(var_ma_coefficients(var.lag_matrices, horizon), var.sigma)
    return shares, np.empty(0, dtype=np.intp)


def yield_changes(levels: pd.DataFrame, *, frequency: ChangeFrequency = "weekly") -> pd.DataFrame:
    """Yield changes without forward filling: weekly (synchronous) or daily (with a warning).

    Parameters
    ----------
    levels
        Yields in percent, one column per market, ``DatetimeIndex``; NaN = no quote.
    frequency
        ``weekly`` (default, synchronous enough for markets that close hours apart: the
        misaligned part is about one day in five): the last common trading day of each week
        ending Friday (a holiday in one market moves every market's quote to the day before),
        changes between adjacent weeks only
        (:func:`~ustpull.crossasset.synchronous.synchronous_changes` on the common days, the
        one definition of weekly changes). ``daily``: changes between consecutive common
        trading days, only for markets that share a close; otherwise it warns with
        :class:`~ustpull.crossasset.synchronous.NonSynchronousWarning` (Tokyo and Frankfurt
        close before New York, so a VAR on their daily changes books U.S. moves as next-day
        foreign moves). Daily changes that bridge a hole in the data are left out
        (:func:`~ustpull.crossasset.stats.changes_across_rows`).

    Returns
    -------
    DataFrame
        Changes in percentage points, indexed by the later date (weekly: the week's Friday,
        or the last common day for a week still open there).

    Raises
    ------
    DataError
        When the markets share fewer than two trading days (names each market's span).
    """
    common = align(levels)
    if len(common) < 2:
        spans = ", ".join(f"{name} {_span(levels[name].dropna().index)}" for name in levels.columns)
        raise DataError(f"the markets share fewer than two trading days: {spans}")
    if frequency == "weekly":
        # the last common trading day of each week: all markets quoted on the same date
        changes = synchronous_changes(common, frequency="weekly")
        # a week still open at the last common day is dated by that day, never a later Friday
        last = pd.DatetimeIndex(common.index)[-1]
        dates = pd.DatetimeIndex(changes.index)
        changes.index = dates.where(dates <= last, last).rename("date")
        return changes
    warn_unless_synchronous(levels.columns, stacklevel=2)
    return changes_across_rows(common)


def _span(index: pd.Index) -> str:
    if len(index) == 0:
        return "(no data)"
    return f"{index[0]:%Y-%m-%d}..{index[-1]:%Y-%m-%d}"


class Connectedness:
    """Diebold-Yilmaz connectedness of yield changes (specification).

    Parameters
    ----------
    changes
        Yield changes in percentage points, one column per market, ``DatetimeIndex``, no
        missing values (see :func:`yield_changes`).
    lags
        VAR order ``p``.
    horizon
        Forecast horizon ``H`` of the variance decomposition (sums over ``h = 0..H-1``).

    Examples
    --------
    >>> res = Connectedness(changes, lags=2, horizon=10).fit()  # doctest: +SKIP
    >>> print(res)  # doctest: +SKIP
    """

    def __init__(self, changes: pd.DataFrame, *, lags: int = 2, horizon: int = 10) -> None:
        if lags < 1:
            raise ValueError(f"lags must be at least 1, got {lags}")
        if horizon < 1:
            raise ValueError(f"horizon must be at least 1, got {horizon}")
        if changes.shape[1] < 2:
            raise DataError(f"connectedness needs at least two markets, got {list(changes)}")
        values = changes.to_numpy(dtype=np.float64)
        bad = ~np.isfinite(values)
        if bad.any():
            row, column = np.argwhere(bad)[0]
            raise DataError(
                f"{changes.columns[column]} has a missing or non-finite change on "
                f"{changes.index[row]:%Y-%m-%d}; align the markets first (yield_changes)"
            )
        self._changes = changes
        self._values = values
        self.lags = lags
        self.horizon = horizon

    @property
    def changes(self) -> pd.DataFrame:
        """The yield changes the model is fitted to."""
        return self._changes.copy()

    def _check_window(self, window: int) -> None:
        index = self._changes.index
        if window > len(index):
            raise DataError(
                f"window of {window} observations is longer than the data: {len(index)} "
                f"common observations of {', '.join(map(str, self._changes.columns))} "
                f"from {_span(index)}"
            )

    def _singular(self, windows: NDArray[np.intp], window: int) -> FitError:
        """The error naming the first singular window's dates and its flat markets."""
        first = int(windows[0])
        block = self._changes.iloc[first : first + window]
        # A market is flat if it is constant as a target or as any lagged regressor.
        slices = [block.iloc[self.lags - lag : window - lag] for lag in range(self.lags + 1)]
        flat = [
            str(name) for name in block.columns if any(part[name].nunique() == 1 for part in slices)
        ]
        culprit = f"constant: {', '.join(flat)}" if flat else "collinear markets"
        return FitError(
            f"singular VAR({self.lags}) on {_span(block.index)} ({culprit}); "
            f"{windows.size} window(s) affected"
        )

    def _fit_windows(self, window: int) -> tuple[VarWindows, SpilloverMeasures]:
        self._check_window(window)
        try:
            var = rolling_var_ols(self._values, lags=self.lags, window=window)
        except _SingularWindowError as exc:
            raise self._singular(exc.windows, window) from None
        except ValueError as exc:
            raise DataError(str(exc)) from None
        ma = var_ma_coefficients(var.lag_matrices, self.horizon)
        return var, spillover_measures(generalized_fevd(ma, var.sigma))

    def fit(self) -> ConnectednessResults:
        """Static connectedness on the whole sample."""
        var, measures = self._fit_windows(len(self._changes))
        return ConnectednessResults(
            markets=[str(name) for name in self._changes.columns],
            measures=measures,
            lag_matrices=var.lag_matrices[0],
            sigma=var.sigma[0],
            nobs=var.nobs,
            lags=self.lags,
            horizon=self.horizon,
            span=(self._changes.index[0], self._changes.index[-1]),
        )

    def fit_rolling(
        self,
        window: int = 200,
        *,
        chunk_size: int = WINDOW_CHUNK,
        executor: Executor | None = None,
    ) -> RollingConnectednessResults:
        """Connectedness on every window of ``window`` observations, dated by its last day.

        Parameters
        ----------
        window : int
            Observations per window.
        chunk_size : int
            Windows per work unit; a sample with at most ``chunk_size`` windows is one unit.
        executor : concurrent.futures.Executor, optional
            Runs the units (``ProcessPoolExecutor``, Dask ``Client.get_executor()``);
            ``None`` runs them here. The result is the same bits on every executor.
        """
        self._check_window(window)
        if chunk_size < 1:
            raise DataError(f"chunk_size must be at least 1 window, got {chunk_size}")
        bounds = chunk_bounds(len(self._values) - window + 1, chunk_size=chunk_size)
        blocks = [self._values[start : stop - 1 + window] for start, stop in bounds]
        try:
            parts = map_chunks(
                _window_shares, blocks, self.lags, window, self.horizon, executor=executor
            )
        except ValueError as exc:
            raise DataError(str(exc)) from None
        singular = np.concatenate(
            [start + bad for (start, _), (_, bad) in zip(bounds, parts, strict=True)]
        )
        if singular.size:
            raise self._singular(singular, window)
        measures = spillover_measures(np.concatenate([shares for shares, _ in parts]))
        return RollingConnectednessResults(
            markets=[str(name) for name in self._changes.columns],
            dates=pd.DatetimeIndex(self._changes.index[window - 1 :], name="date"),
            measures=measures,
            window=window,
            lags=self.lags,
            horizon=self.horizon,
        )


class ConnectednessResults(Results):
    """Static Diebold-Yilmaz connectedness (read-only)."""

    def __init__(
        self,
        *,
        markets: list[str],
        measures: SpilloverMeasures,
        lag_matrices: FloatArray,
        sigma: FloatArray,
        nobs: int,
        lags: int,
        horizon: int,
        span: tuple[pd.Timestamp, pd.Timestamp],
    ) -> None:
        self._markets = markets
        self._measures = measures
        self._lag_matrices = lag_matrices
        self._sigma = sigma
        self._nobs = nobs
        self._lags = lags
        self._horizon = horizon
        self._span = span

    @property
    def table(self) -> pd.DataFrame:
        """Connectedness table in percent: row = receiver, column = source of the shock."""
        return pd.DataFrame(self._measures.table[0], index=self._markets, columns=self._markets)

    @property
    def total(self) -> float:
        """Total connectedness index in percent (generalized FEVD shares, not identified
        spillovers)."""
        return float(self._measures.total[0])

    @property
    def to_others(self) -> pd.Series:
        """Directional connectedness from each market to all others (percent)."""
        return pd.Series(self._measures.to_others[0], index=self._markets, name="to_others")

    @property
    def from_others(self) -> pd.Series:
        """Directional connectedness from all others to each market (percent)."""
        return pd.Series(self._measures.from_others[0], index=self._markets, name="from_others")

    @property
    def net(self) -> pd.Series:
        """Net connectedness ``to_others - from_others`` (percent)."""
        return pd.Series(self._measures.net[0], index=self._markets, name="net")

    @property
    def net_pairwise(self) -> pd.DataFrame:
        """Element ``[i, j]``: connectedness from ``i`` to ``j`` less that from ``j`` to ``i``."""
        return pd.DataFrame(
            self._measures.net_pairwise[0], index=self._markets, columns=self._markets
        )

    @property
    def lag_matrices(self) -> list[pd.DataFrame]:
        """VAR slope matrices ``A_1..A_p`` (row = equation)."""
        return [
            pd.DataFrame(matrix, index=self._markets, columns=self._markets)
            for matrix in self._lag_matrices
        ]

    @property
    def sigma(self) -> pd.DataFrame:
        """Residual covariance (degrees-of-freedom adjusted)."""
        return pd.DataFrame(self._sigma, index=self._markets, columns=self._markets)

    @property
    def nobs(self) -> int:
        """Observations in the VAR regression."""
        return self._nobs

    def summary(self) -> str:
        """The connectedness table with directional and net rows, as text."""
        table = self.table.copy()
        table["from_others"] = self.from_others
        extra = pd.DataFrame(
            [self.to_others, self.net], index=["to_others", "net"], columns=self._markets
        )
        body = pd.concat([table, extra]).round(2).to_string(na_rep="")
        start, end = self._span
        header = (
            f"Diebold-Yilmaz connectedness, VAR({self._lags}), generalized FEVD horizon "
            f"{self._horizon}, {self._nobs} obs {start:%Y-%m-%d}..{end:%Y-%m-%d}\n"
            f"Total connectedness index: {self.total:.2f} %\n"
        )
        return header + body

    def __repr__(self) -> str:
        return f"<ConnectednessResults total={self.total:.2f}% markets={self._markets}>"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready tables (percent)."""
        return {
            "lags": self._lags,
            "horizon": self._horizon,
            "nobs": self._nobs,
            "start": self._span[0].date().isoformat(),
            "end": self._span[1].date().isoformat(),
            "total": self.total,
            "table": _frame_to_dict(self.table),
            "to_others": self.to_others.to_dict(),
            "from_others": self.from_others.to_dict(),
            "net": self.net.to_dict(),
            "net_pairwise": _frame_to_dict(self.net_pairwise),
        }

    def plot(self) -> Figure:
        """Heat map of the connectedness table and a bar chart of net connectedness."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=(10, 4.5))
        heat_ax, net_ax = figure.subplots(1, 2)
        image = heat_ax.imshow(self._measures.table[0], cmap="Blues")
        ticks = np.arange(len(self._markets))
        heat_ax.set_xticks(ticks, self._markets, rotation=45)
        heat_ax.set_yticks(ticks, self._markets)
        heat_ax.set_xlabel("shock to")
        heat_ax.set_ylabel("variance of")
        heat_ax.set_title(f"Connectedness table (total {self.total:.1f} %)")
        figure.colorbar(image, ax=heat_ax, label="percent")
        net_ax.bar(self._markets, self._measures.net[0])
        net_ax.axhline(0.0, color="black", linewidth=0.8)
        net_ax.set_title("Net connectedness (to - from), percent")
        figure.tight_layout()
        return figure


class RollingConnectednessResults(Results):
    """Rolling-window Diebold-Yilmaz connectedness (read-only), dated by window end."""

    def __init__(
        self,
        *,
        markets: list[str],
        dates: pd.DatetimeIndex,
        measures: SpilloverMeasures,
        window: int,
        lags: int,
        horizon: int,
    ) -> None:
        self._markets = markets
        self._dates = dates
        self._measures = measures
        self._window = window
        self._lags = lags
        self._horizon = horizon

    @property
    def window(self) -> int:
        """Observations per window."""
        return self._window

    @property
    def total(self) -> pd.Series:
        """Total connectedness index per window (percent)."""
        return pd.Series(self._measures.total, index=self._dates, name="total")

    def _by_market(self, values: FloatArray) -> pd.DataFrame:
        return pd.DataFrame(values, index=self._dates, columns=self._markets)

    @property
    def to_others(self) -> pd.DataFrame:
        """Directional connectedness to others per window and market (percent)."""
        return self._by_market(self._measures.to_others)

    @property
    def from_others(self) -> pd.DataFrame:
        """Directional connectedness from others per window and market (percent)."""
        return self._by_market(self._measures.from_others)

    @property
    def net(self) -> pd.DataFrame:
        """Net connectedness per window and market (percent)."""
        return self._by_market(self._measures.net)

    @property
    def net_pairwise(self) -> pd.DataFrame:
        """Net pairwise connectedness per window, columns ``(from, to)`` for each pair ``i < j``."""
        n_vars = len(self._markets)
        upper = np.triu_indices(n_vars, k=1)
        columns = pd.MultiIndex.from_arrays(
            [[self._markets[i] for i in upper[0]], [self._markets[j] for j in upper[1]]],
            names=["from", "to"],
        )
        return pd.DataFrame(
            self._measures.net_pairwise[:, upper[0], upper[1]], index=self._dates, columns=columns
        )

    @property
    def tables(self) -> FloatArray:
        """``(W, N, N)`` connectedness tables in percent, in window order."""
        return self._measures.table.copy()

    def summary(self) -> str:
        """Distribution of the total and net connectedness across windows, as text."""
        stats = pd.concat([self.total, self.net], axis=1).describe().T
        header = (
            f"Rolling Diebold-Yilmaz connectedness: {len(self._dates)} windows of "
            f"{self._window} obs, VAR({self._lags}), horizon {self._horizon}, "
            f"{_span(self._dates)} (window end)\n"
        )
        return header + stats[["mean", "std", "min", "max"]].round(2).to_string()

    def __repr__(self) -> str:
        return f"<RollingConnectednessResults windows={len(self._dates)} window={self._window}>"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready series (percent), keyed by ISO window-end date."""
        return {
            "window": self._window,
            "lags": self._lags,
            "horizon": self._horizon,
            "dates": [stamp.date().isoformat() for stamp in self._dates],
            "total": self._measures.total.tolist(),
            "net": {
                market: self._measures.net[:, k].tolist() for k, market in enumerate(self._markets)
            },
        }

    def plot(self) -> Figure:
        """Total connectedness index and net connectedness through time."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=(10, 6))
        total_ax, net_ax = figure.subplots(2, 1, sharex=True)
        total_ax.plot(self._dates, self._measures.total, color="black")
        total_ax.set_ylabel("percent")
        total_ax.set_title(f"Total connectedness index, {self._window}-observation windows")
        for k, market in enumerate(self._markets):
            net_ax.plot(self._dates, self._measures.net[:, k], label=market)
        net_ax.axhline(0.0, color="black", linewidth=0.8)
        net_ax.set_ylabel("percent")
        net_ax.set_title("Net connectedness (to - from)")
        net_ax.legend(loc="best")
        figure.tight_layout()
        return figure


def _frame_to_dict(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    return {
        str(row): {str(column): float(value) for column, value in values.items()}
        for row, values in frame.iterrows()
    }
