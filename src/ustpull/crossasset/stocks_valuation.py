"""The dividend-discount view with smoothed earnings and a growth term (issue 16, point 4).

Beside the trailing view of :class:`~ustpull.crossasset.ddm.DividendDiscount`
(``E/P = r + ERP``, trailing 12-month earnings) this view uses

* the ten-year average of real earnings in today's dollars (the CAPE denominator,
  :func:`~ustpull.crossasset.ddm.smoothed_earnings`), so the yield ``E10/P`` does not collapse
  when one year's earnings do (trailing GAAP earnings fell about 90% in 2008-09);
* a growth term, ``E10/P = r + ERP - g`` with ``g`` the 20-year trend of ten-year-average real
  earnings, known at each month (:func:`~ustpull.crossasset.ddm.real_earnings_growth`);
* the one consistent real 10-year yield (:func:`~ustpull.crossasset.ddm.consistent_real_yield`:
  TIPS from 2003, a level-matched ex-ante proxy before).

The equity risk premium is then ``ERP = E10/P - r + g``: the residual of the identity, not an
observation. Every price decomposition (:func:`~ustpull.crossasset.ddm.growth_price_decomposition`)
books what earnings, the real rate and growth leave to the risk premium. All yields in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.ddm import (
    growth_price_decomposition,
    real_earnings_growth,
    smoothed_earnings,
)
from ustpull.crossasset.stats import json_records
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["VALUATION_PARTS", "SmoothedValuation", "SmoothedValuationResults"]

VALUATION_PARTS = ("earnings", "real_rate", "growth", "risk_premium")
"""Parts of the growth-term decomposition; ``risk_premium`` is the identity's residual."""


@dataclass(frozen=True)
class SmoothedValuationResults(Results):
    """Monthly yields of the smoothed view and its episode decompositions (read-only)."""

    yields: pd.DataFrame
    episodes: pd.DataFrame
    splice_adjustment: float

    def summary(self) -> str:
        """Latest yields and the episode splits."""
        latest = self.yields.iloc[-1]
        return "\n".join(
            [
                f"Smoothed dividend-discount view (E10/P = r + ERP - g), latest "
                f"{self.yields.index[-1]:%Y-%m}: E/P trailing {latest['earnings_yield']:.2f}%, "
                f"E10/P {latest['earnings_yield_10y']:.2f}%, real 10y {latest['real_yield']:.2f}%,"
                f" g {latest['growth']:.2f}%, ERP (residual) {latest['erp_growth']:.2f}%",
                self.episodes[["start", "end", "total", *VALUATION_PARTS]].round(4).to_string(),
            ]
        )

    def plot(self) -> Figure:
        """Trailing and smoothed earnings yields, the real yield, g and the residual ERP."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4))
        columns = ["earnings_yield", "earnings_yield_10y", "real_yield", "growth", "erp_growth"]
        self.yields[columns].plot(ax=ax, linewidth=0.8)
        ax.set_ylabel("percent")
        fig.tight_layout()
        return fig

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables."""
        return {
            "splice_adjustment_pp": self.splice_adjustment,
            "latest": json_records(self.yields.iloc[[-1]]),
            "episodes": json_records(self.episodes),
        }


class SmoothedValuation:
    """Smoothed-earnings dividend-discount view with a growth term (module docstring).

    Parameters
    ----------
    yields
        :attr:`~ustpull.crossasset.ddm.DividendDiscountResults.yields` (monthly ``price``,
        ``earnings``, ``earnings_yield``, ``real_yield`` -- the consistent real yield).
    cpi
        Shiller's monthly CPI on the same dates.
    smoothing_years, growth_years
        Years of the earnings average (10, as CAPE) and of the growth trend (20).
    splice_adjustment
        Level shift (pp) of the real-yield proxy at the 2003 TIPS splice, carried for the record.
    """

    def __init__(
        self,
        yields: pd.DataFrame,
        cpi: pd.Series,
        *,
        smoothing_years: int = 10,
        growth_years: int = 20,
        splice_adjustment: float = float("nan"),
    ) -> None:
        missing = {"price", "earnings", "earnings_yield", "real_yield"} - set(yields.columns)
        if missing:
            raise DataError(f"smoothed valuation: the yields lack {sorted(missing)}")
        self.yields = yields
        self.cpi = cpi
        self.smoothing_years = smoothing_years
        self.growth_years = growth_years
        self.splice_adjustment = splice_adjustment

    def fit(self, episodes: Sequence[tuple[str, str, str]] = ()) -> SmoothedValuationResults:
        """Monthly smoothed yields and the decomposition of each (label, first, last) episode."""
        base = self.yields
        e10 = smoothed_earnings(base["earnings"], self.cpi, years=self.smoothing_years)
        growth = real_earnings_growth(
            base["earnings"],
            self.cpi,
            years=self.growth_years,
            smoothing_years=self.smoothing_years,
        )
        frame = pd.DataFrame(
            {
                "price": base["price"],
                "earnings_10y": e10.reindex(base.index),
                "earnings_yield": base["earnings_yield"],
                "real_yield": base["real_yield"],
                "growth": growth.reindex(base.index),
            }
        ).dropna()
        if len(frame) < 2:
            raise DataError("smoothed valuation: fewer than two months with E10, r and g")
        frame["earnings_yield_10y"] = 100.0 * frame["earnings_10y"] / frame["price"]
        frame["erp_trailing"] = frame["earnings_yield"] - frame["real_yield"]
        frame["erp_growth"] = frame["earnings_yield_10y"] - frame["real_yield"] + frame["growth"]
        return SmoothedValuationResults(
            frame, self._episodes(frame, episodes), self.splice_adjustment
        )

    @staticmethod
    def _episodes(frame: pd.DataFrame, episodes: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
        months = pd.DatetimeIndex(frame.index).to_period("M")
        rows = {}
        for label, first, last in episodes:
            where = [np.flatnonzero(months == pd.Period(m, "M")) for m in (first, last)]
            if not all(len(w) for w in where):
                continue  # the smoothed view starts later (E10 and g need 30 years of data)
            i, j = np.array([where[0][0]]), np.array([where[1][0]])
            parts = growth_price_decomposition(
                frame["price"].to_numpy(),
                frame["earnings_10y"].to_numpy(),
                frame["real_yield"].to_numpy(),
                frame["growth"].to_numpy(),
                i,
                j,
            )
            row: dict[str, object] = {"start": first, "end": last}
            row.update({name: float(value[0]) for name, value in parts.items()})
            rows[label] = row
        columns = ["start", "end", "total", *VALUATION_PARTS]
        return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis("episode")
