"""Stock-bond correlation below and above inflation thresholds, with intervals.

Each return is classed by year-on-year CPI inflation ``100 (CPI_m / CPI_{m-12} - 1)`` of the
month ``lag_months`` before its own (default 1: the latest CPI published by the end of the
month, as CPI for month m appears in the middle of month m+1). For every threshold ``tau``
(default 2, 2.5, 3, 3.5 and 4%), the correlation in months with inflation ``<= tau`` and ``> tau``
and their difference carry 95% intervals from :mod:`ustpull.crossasset.intervals` (HAC delta
method by default; the subsamples are taken in date order, joining their separate spells).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.intervals import (
    CorrelationDifferenceInterval,
    CorrelationInterval,
    IntervalMethod,
)
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["DEFAULT_THRESHOLDS", "InflationThreshold", "InflationThresholdResults"]

DEFAULT_THRESHOLDS: tuple[float, ...] = (2.0, 2.5, 3.0, 3.5, 4.0)


class InflationThresholdResults(Results):
    """Correlations by inflation state for each threshold (read-only)."""

    def __init__(self, table: pd.DataFrame, method: str, lag_months: int) -> None:
        self._table = table
        self.method = method
        self.lag_months = lag_months

    @property
    def table(self) -> pd.DataFrame:
        """One row per threshold (percent): ``n_low``, ``corr_low`` (+ ``_ci_low/_ci_high``),
        ``n_high``, ``corr_high`` (+ CI), ``difference`` (high - low, + CI), ``pvalue``."""
        return self._table.copy()

    def summary(self) -> str:
        """Text table."""
        return (
            f"Stock-bond correlation by CPI inflation (yoy, lagged {self.lag_months} month(s)); "
            f"95% intervals: {self.method}\n"
            + self._table.to_string(float_format=lambda v: f"{v:.3f}")
        )

    def plot(self) -> Figure:
        """Correlations below and above each threshold with their intervals."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        x = self._table.index.to_numpy(dtype=float)
        for side, offset in (("low", -0.05), ("high", 0.05)):
            mid = self._table[f"corr_{side}"].to_numpy()
            err = np.vstack(
                [
                    mid - self._table[f"corr_{side}_ci_low"],
                    self._table[f"corr_{side}_ci_high"] - mid,
                ]
            )
            ax.errorbar(x + offset, mid, yerr=err, fmt="o", label=f"inflation {side}")
        ax.axhline(0.0, color="black", linewidth=0.5)
        ax.set_xlabel("threshold (% yoy CPI)")
        ax.set_ylabel("stock-bond correlation")
        ax.legend()
        fig.tight_layout()
        return fig


class InflationThreshold:
    """Correlation of two returns in low- and high-inflation months (specification).

    Parameters
    ----------
    returns
        Two columns (stock, bond), monthly or daily, date-indexed.
    cpi
        Monthly CPI index levels.
    thresholds
        Inflation thresholds in percent.
    lag_months
        Months between the CPI reference month and the classified return's month.
    method
        Interval method (:data:`~ustpull.crossasset.intervals.IntervalMethod`).
    """

    def __init__(
        self,
        returns: pd.DataFrame,
        cpi: pd.Series,
        *,
        thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
        lag_months: int = 1,
        method: IntervalMethod = "hac",
    ) -> None:
        if returns.shape[1] != 2:
            raise DataError(f"inflation threshold needs two return columns, got {list(returns)}")
        if lag_months < 0:
            raise DataError(f"lag_months must be >= 0, got {lag_months}")
        self.returns = returns
        self.cpi = cpi
        self.thresholds = tuple(float(t) for t in thresholds)
        self.lag_months = lag_months
        self.method: IntervalMethod = method

    def inflation_of_returns(self) -> pd.Series:
        """Year-on-year CPI inflation (percent) of the month ``lag_months`` before each
        return's month, on the returns' index (NaN where CPI is missing)."""
        cpi = self.cpi.dropna().astype(float)
        cpi.index = pd.DatetimeIndex(cpi.index).to_period("M")
        inflation = 100.0 * (cpi / cpi.shift(12, freq="M") - 1.0)
        inflation = inflation.shift(self.lag_months, freq="M")
        months = pd.DatetimeIndex(self.returns.index).to_period("M")
        return pd.Series(inflation.reindex(months).to_numpy(), index=self.returns.index)

    def fit(self) -> InflationThresholdResults:
        """Correlations and intervals for every threshold."""
        inflation = self.inflation_of_returns()
        data = self.returns.assign(_inflation=inflation).dropna()
        if data.empty:
            raise DataError("inflation threshold: CPI and the returns do not overlap")
        x_name, y_name = self.returns.columns
        rows = {}
        for tau in self.thresholds:
            high = data["_inflation"] > tau
            low_part, high_part = data.loc[~high], data.loc[high]
            for label, part in (("at or below", low_part), ("above", high_part)):
                if len(part) < 24:
                    raise DataError(
                        f"inflation threshold {tau}%: only {len(part)} returns with inflation "
                        f"{label} it ({data.index[0]:%Y-%m}..{data.index[-1]:%Y-%m})"
                    )
            low = CorrelationInterval(low_part[x_name], low_part[y_name]).fit(method=self.method)
            hi = CorrelationInterval(high_part[x_name], high_part[y_name]).fit(method=self.method)
            diff = CorrelationDifferenceInterval(
                low_part[x_name], low_part[y_name], high_part[x_name], high_part[y_name]
            ).fit(method=self.method)
            rows[tau] = {
                "n_low": len(low_part),
                "corr_low": low.estimate,
                "corr_low_ci_low": low.ci_low,
                "corr_low_ci_high": low.ci_high,
                "n_high": len(high_part),
                "corr_high": hi.estimate,
                "corr_high_ci_low": hi.ci_low,
                "corr_high_ci_high": hi.ci_high,
                "difference": diff.estimate,
                "difference_ci_low": diff.ci_low,
                "difference_ci_high": diff.ci_high,
                "pvalue": diff.pvalue,
            }
        table = pd.DataFrame(rows).T.rename_axis("threshold_pct")
        table[["n_low", "n_high"]] = table[["n_low", "n_high"]].astype(int)
        return InflationThresholdResults(table, low.ci_method, self.lag_months)
