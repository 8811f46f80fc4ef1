"""Bai-Perron multiple structural breaks in the mean of a series, with break-date intervals.

Model with ``m`` breaks at ``T_1 < ... < T_m`` (each the last observation of its regime):

.. math:: y_t = \\mu_j + u_t, \\qquad T_{j-1} < t \\le T_j, \\quad j = 1..m+1

Estimation (Bai and Perron 2003): for each ``m`` the break dates minimise the total sum of
squared residuals over all partitions whose segments hold at least ``h = trim * T``
observations, found exactly by dynamic programming on the segment costs
``SSR(i, j) = sum y^2 - (sum y)^2 / (j - i + 1)`` (cumulative sums; one vector operation per
end date and number of breaks).

Selection of ``m`` (``0 .. max_breaks``), with ``p = (m + 1) + m`` parameters:

* ``"bic"`` (Yao 1988): ``ln(SSR_m / T) + p ln(T) / T``;
* ``"lwz"`` (Liu, Wu and Zidek 1997): ``ln(SSR_m / (T - p)) + p 0.299 (ln T)^{2.1} / T``,
  more conservative under serial correlation (Bai-Perron 2003 recommend it over BIC there).

Break-date interval (Bai 1997): with the shift ``delta = mu_{j+1} - mu_j`` and ``sigma^2`` the
Newey-West long-run variance of the residuals of the two adjacent regimes,
``(delta^2 / sigma^2)(T_hat - T_0)`` converges to ``argmax_s W(s) - |s|/2``, whose 97.5%
quantile is 11.03 (95% two-sided; 90%: 7.69). The interval is
``T_hat +- ceil(11.03 sigma^2 / delta^2)`` observations, clipped to the sample. Regime means carry
Newey-West intervals. The supF tests of Bai-Perron (sequential selection) are not implemented:
their critical values are tabulated, not computed.

References
----------
Bai, J. (1997), "Estimation of a change point in multiple regression models", REStat 79.
Bai, J. and Perron, P. (1998), Econometrica 66, 47-78; (2003), J. Applied Econometrics 18, 1-22.
Yao, Y.-C. (1988), Statistics & Probability Letters 6; Liu, J., Wu, S. and Zidek, J. V. (1997),
Statistics & Probability Letters 31.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import BreakCriterion
from ustpull.crossasset.intervals import hac_standard_error, long_run_variance
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["BaiPerron", "BaiPerronResults", "BreakCriterion", "optimal_partitions"]

# Bai (1997): quantiles of argmax_s W(s) - |s|/2 (symmetric), by two-sided level
_BAI_QUANTILE = {0.95: 11.03, 0.90: 7.69}


def _segment_ssr(s1: np.ndarray, s2: np.ndarray, start: np.ndarray, end: int) -> np.ndarray:
    """SSR of segments ``[start, end]`` (inclusive positions) from cumulative sums."""
    count = end - start + 1
    total = s1[end + 1] - s1[start]
    return (s2[end + 1] - s2[start]) - total**2 / count


def optimal_partitions(values: np.ndarray, min_size: int, max_breaks: int) -> list[list[int]]:
    """Least-squares break positions for ``m = 0 .. max_breaks`` (dynamic programming).

    Returns one list per ``m`` of the last positions of the first ``m`` regimes.
    """
    n = len(values)
    centred = values - values.mean()  # numerically safer sums of squares
    s1 = np.concatenate([[0.0], np.cumsum(centred)])
    s2 = np.concatenate([[0.0], np.cumsum(centred**2)])
    cost = np.full((max_breaks + 1, n), np.inf)
    last = np.full((max_breaks + 1, n), -1, dtype=int)
    ends = np.arange(min_size - 1, n)
    cost[0, ends] = (s2[ends + 1]) - s1[ends + 1] ** 2 / (ends + 1)
    for m in range(1, max_breaks + 1):
        for end in range((m + 1) * min_size - 1, n):
            prev = np.arange(m * min_size - 1, end - min_size + 1)
            total = cost[m - 1, prev] + _segment_ssr(s1, s2, prev + 1, end)
            best = int(np.argmin(total))
            cost[m, end] = total[best]
            last[m, end] = prev[best]
    partitions = []
    for m in range(max_breaks + 1):
        positions: list[int] = []
        end = n - 1
        for k in range(m, 0, -1):
            end = int(last[k, end])
            positions.append(end)
        partitions.append(sorted(positions))
    return partitions


def _ssr(values: np.ndarray, breaks: list[int]) -> float:
    edges = [0, *[b + 1 for b in breaks], len(values)]
    return float(
        sum(np.sum((values[a:b] - values[a:b].mean()) ** 2) for a, b in itertools.pairwise(edges))
    )


class BaiPerronResults(Results):
    """Estimated breaks, regime means and the selection criteria (read-only)."""

    def __init__(
        self,
        series: pd.Series,
        breaks: pd.DataFrame,
        regimes: pd.DataFrame,
        criteria: pd.DataFrame,
        criterion: str,
    ) -> None:
        self._series = series
        self._breaks = breaks
        self._regimes = regimes
        self._criteria = criteria
        self._criterion = criterion

    @property
    def n_breaks(self) -> int:
        """Selected number of breaks."""
        return len(self._breaks)

    @property
    def breaks(self) -> pd.DataFrame:
        """One row per break: ``break_date`` (last date of the earlier regime), ``ci_low``,
        ``ci_high`` (95%, Bai 1997), ``shift`` (mean after minus before)."""
        return self._breaks.copy()

    @property
    def regimes(self) -> pd.DataFrame:
        """One row per regime: start, end, nobs, mean, std_err (Newey-West), ci_low, ci_high."""
        return self._regimes.copy()

    @property
    def criteria(self) -> pd.DataFrame:
        """SSR, BIC and LWZ for every number of breaks considered."""
        return self._criteria.copy()

    @property
    def fitted(self) -> pd.Series:
        """The regime mean on every date."""
        values = np.empty(len(self._series))
        for _, row in self._regimes.iterrows():
            mask = (self._series.index >= row["start"]) & (self._series.index <= row["end"])
            values[mask] = row["mean"]
        return pd.Series(values, index=self._series.index, name="regime_mean")

    def summary(self) -> str:
        """Breaks and regimes as text."""
        return "\n".join(
            [
                f"Bai-Perron breaks in the mean of {self._series.name!r} "
                f"({len(self._series)} obs, {self._criterion.upper()} selects {self.n_breaks}):",
                self._breaks.to_string() if self.n_breaks else "  no break",
                self._regimes.to_string(float_format=lambda v: f"{v:.4f}"),
            ]
        )

    def plot(self) -> Figure:
        """The series, the regime means and the break-date intervals."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4))
        self._series.plot(ax=ax, linewidth=0.6, color="grey")
        self.fitted.plot(ax=ax, linewidth=1.5, color="black")
        for _, row in self._breaks.iterrows():
            ax.axvspan(row["ci_low"], row["ci_high"], alpha=0.2, color="tab:red")
        fig.tight_layout()
        return fig


class BaiPerron:
    """Multiple breaks in the mean of a series (specification; module docstring).

    Parameters
    ----------
    series
        Date-indexed values, no missing value (e.g. monthly stock-bond correlations).
    max_breaks
        Largest number of breaks considered.
    trim
        Smallest regime as a share of the sample (``h = ceil(trim T)``).
    criterion
        ``"lwz"`` (default) or ``"bic"``.
    """

    def __init__(
        self,
        series: pd.Series,
        *,
        max_breaks: int = 5,
        trim: float = 0.15,
        criterion: BreakCriterion = "lwz",
    ) -> None:
        if criterion not in ("lwz", "bic"):
            raise DataError(f"criterion must be 'lwz' or 'bic', got {criterion!r}")
        if not 0.0 < trim < 0.5:
            raise DataError(f"trim must be in (0, 0.5), got {trim}")
        if series.isna().any():
            where = series.index[series.isna().to_numpy()][0]
            raise DataError(f"Bai-Perron: {series.name!r} is missing on {where}")
        n = len(series)
        self.min_size = max(3, math.ceil(trim * n))
        if n < 2 * self.min_size:
            raise DataError(f"Bai-Perron: {n} observations are too few for trim {trim}")
        self.max_breaks = min(max_breaks, n // self.min_size - 1)
        self.series = series.astype(float)
        self.criterion: BreakCriterion = criterion
        self.trim = trim

    def _criteria(self, values: np.ndarray, partitions: list[list[int]]) -> pd.DataFrame:
        n = len(values)
        rows = []
        for m, breaks in enumerate(partitions):
            ssr = max(_ssr(values, breaks), 1e-300)
            p = 2 * m + 1
            rows.append(
                {
                    "breaks": m,
                    "ssr": ssr,
                    "bic": math.log(ssr / n) + p * math.log(n) / n,
                    "lwz": math.log(ssr / (n - p)) + p * 0.299 * math.log(n) ** 2.1 / n,
                }
            )
        return pd.DataFrame(rows).set_index("breaks")

    def fit(self, *, confidence: float = 0.95) -> BaiPerronResults:
        """Break dates, their intervals and the regime means."""
        if confidence not in _BAI_QUANTILE:
            raise DataError(f"confidence must be one of {sorted(_BAI_QUANTILE)}, got {confidence}")
        values = self.series.to_numpy()
        partitions = optimal_partitions(values, self.min_size, self.max_breaks)
        criteria = self._criteria(values, partitions)
        chosen = partitions[int(np.argmin(criteria[self.criterion].to_numpy()))]
        edges = [0, *[b + 1 for b in chosen], len(values)]
        index = self.series.index
        regimes = []
        residuals = []
        for a, b in itertools.pairwise(edges):
            segment = values[a:b]
            resid = segment - segment.mean()
            residuals.append(resid)
            se = hac_standard_error(resid)
            regimes.append(
                {
                    "start": index[a],
                    "end": index[b - 1],
                    "nobs": b - a,
                    "mean": float(segment.mean()),
                    "std_err": se,
                    "ci_low": float(segment.mean()) - 1.96 * se,
                    "ci_high": float(segment.mean()) + 1.96 * se,
                }
            )
        rows = []
        quantile = _BAI_QUANTILE[confidence]
        for k, position in enumerate(chosen):
            shift = regimes[k + 1]["mean"] - regimes[k]["mean"]
            lrv = long_run_variance(np.concatenate([residuals[k], residuals[k + 1]]))
            half = math.ceil(quantile * max(lrv, 0.0) / shift**2)
            rows.append(
                {
                    "break_date": index[position],
                    "ci_low": index[max(position - half, 0)],
                    "ci_high": index[min(position + half, len(values) - 1)],
                    "half_width_obs": half,
                    "shift": shift,
                }
            )
        breaks = pd.DataFrame(
            rows, columns=["break_date", "ci_low", "ci_high", "half_width_obs", "shift"]
        )
        return BaiPerronResults(
            self.series,
            breaks,
            pd.DataFrame(regimes).rename_axis("regime"),
            criteria,
            self.criterion,
        )
