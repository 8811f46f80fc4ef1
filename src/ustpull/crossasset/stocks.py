"""Results of the stocks study (:func:`ustpull.studies.run_stocks`): every table at once.

The study (in :mod:`ustpull.studies.stocks`) runs the stock-bond correlation, daily and monthly,
with the GSW 10-year zero and the 10-year CMT par bond
(:class:`~ustpull.crossasset.stocks_correlation.StockBondCorrelation`), the correlation by CPI
inflation regime, the equity response to the 10-year's expected-rate and term-premium parts,
the dividend-discount view (:class:`~ustpull.crossasset.ddm.DividendDiscount`) and 60/40
against 100% stocks (:class:`~ustpull.crossasset.portfolio.SixtyForty`); with issue 16 the
intervals, estimated breaks, regimes, DCC and inflation thresholds
(:mod:`~ustpull.crossasset.stocks_regimes`) and the smoothed-earnings view with a growth term
(:mod:`~ustpull.crossasset.stocks_valuation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.ddm import DividendDiscountResults
from ustpull.crossasset.portfolio import PortfolioResults
from ustpull.crossasset.stats import json_records
from ustpull.crossasset.stocks_correlation import (
    InflationRegimeResults,
    StockBondCorrelationResults,
    TermPremiumEquityResults,
)
from ustpull.crossasset.stocks_regimes import StockBondRegimesResults
from ustpull.crossasset.stocks_valuation import SmoothedValuationResults

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["StocksAnalysisResults"]


@dataclass(frozen=True)
class StocksAnalysisResults(Results):
    """Every table of the stocks issue."""

    daily: StockBondCorrelationResults
    monthly: StockBondCorrelationResults
    daily_cmt: StockBondCorrelationResults
    inflation: InflationRegimeResults
    dividend_discount: DividendDiscountResults | None
    """``None`` when the data hold too few TIPS months for the real yield (as of a date
    before 2005)."""
    episodes: pd.DataFrame | None
    """Price decompositions of the episodes that had ended (``None`` without the model)."""
    portfolio: PortfolioResults
    term_premium: TermPremiumEquityResults | None
    regimes: StockBondRegimesResults | None = None
    valuation: SmoothedValuationResults | None = None
    sharpe_intervals: pd.DataFrame | None = None

    def summary(self) -> str:
        """All summaries, one after another."""
        parts = [
            self.daily.summary(),
            self.monthly.summary(),
            self.daily_cmt.summary(),
            self.inflation.summary(),
        ]
        if self.dividend_discount is not None and self.episodes is not None:
            parts += [
                self.dividend_discount.summary(),
                "Price decompositions (log points):",
                self.episodes[["start", "end", "total", "earnings", "real_rate", "risk_premium"]]
                .round(4)
                .to_string(),
            ]
        parts.append(self.portfolio.summary())
        if self.term_premium is not None:
            parts.append(self.term_premium.summary())
        parts += [part.summary() for part in (self.regimes, self.valuation) if part is not None]
        return "\n\n".join(parts)

    def plot(self) -> Figure:
        """The daily rolling correlation (the headline figure)."""
        return self.daily.plot()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready tables for the CLI's ``--output`` and the report."""
        return {
            "correlation_daily": self.daily.to_dict(),
            "correlation_monthly": self.monthly.to_dict(),
            "correlation_daily_cmt": self.daily_cmt.to_dict(),
            "inflation_regimes": self.inflation.to_dict(),
            "dividend_discount": None
            if self.dividend_discount is None
            else self.dividend_discount.to_dict(),
            "price_decompositions": None if self.episodes is None else json_records(self.episodes),
            "sixty_forty": self.portfolio.to_dict(),
            "term_premium_response": None
            if self.term_premium is None
            else self.term_premium.to_dict(),
            "stock_bond_regimes": None if self.regimes is None else self.regimes.to_dict(),
            "smoothed_valuation": None if self.valuation is None else self.valuation.to_dict(),
            "sharpe_last_window": None
            if self.sharpe_intervals is None
            else {
                "window_months": self.portfolio.window,
                "ci_method": "Lo (2002) asymptotic standard error, i.i.d. monthly returns, "
                "Student-t critical value, 95%",
                "table": json_records(self.sharpe_intervals),
            },
        }
