"""U.S. stocks and Treasuries: every analysis of the stocks issue from one wide data frame.

:func:`analyze_stocks` takes the frame :func:`ustpull.sources.local.load_frame` (or
``ustpull.store.load``) returns for :data:`STOCK_SERIES` and runs

1. the stock-bond correlation, daily and monthly, with the GSW 10-year zero (from 1971-08),
   and daily with the 10-year CMT par bond (from 1962)
   (:class:`~ustpull.crossasset.stocks_correlation.StockBondCorrelation`);
2. the correlation by CPI inflation regime and, given a term-premium decomposition of the 10-year
   yield, the equity response to its expected-rate and term-premium parts;
3. the dividend-discount view (:class:`~ustpull.crossasset.ddm.DividendDiscount`) with named
   episodes decomposed (the 2022 sell-off among them);
4. 60/40 against 100% stocks (:class:`~ustpull.crossasset.portfolio.SixtyForty`) on month-end
   levels: S&P 500 month-end closes plus Shiller's dividend ``D / 12``, and the month-end 10-year
   CMT yield repriced as a par bond, so from 1962 (the daily CMT's start; Shiller's
   monthly-average price and ``us.gs10`` would smooth volatility away).

Era labels are nominal: a series that starts later than an era's label says (the GSW 10-year
zero from 1971-08, so its first 252-day correlation on 1972-08-16 in "1962-1999") shows its
actual span in the era table's ``first`` and ``last`` columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd

from ustpull.crossasset.ddm import DividendDiscount, DividendDiscountResults, InflationProxy
from ustpull.crossasset.portfolio import (
    PortfolioResults,
    SixtyForty,
    month_end_par_bond_returns,
    month_end_total_returns,
    risk_free_monthly,
)
from ustpull.crossasset.stats import json_records
from ustpull.crossasset.stocks_correlation import (
    DEFAULT_ERAS,
    InflationRegimeResults,
    StockBondCorrelation,
    StockBondCorrelationResults,
    TermPremiumEquityResponse,
    TermPremiumEquityResults,
    eras_from_breaks,
    inflation_regimes,
)
from ustpull.errors import DataError
from ustpull.termpremium.countries import maturity_components

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "EPISODES",
    "STOCK_SERIES",
    "StocksAnalysisResults",
    "analyze_stocks",
    "ten_year_decomposition",
]

GSW_PARAMS = {
    "us.gsw.beta0": "beta0",
    "us.gsw.beta1": "beta1",
    "us.gsw.beta2": "beta2",
    "us.gsw.beta3": "beta3",
    "us.gsw.tau1": "tau1",
    "us.gsw.tau2": "tau2",
}
SHILLER = {
    "us.shiller.price": "price",
    "us.shiller.dividend": "dividend",
    "us.shiller.earnings": "earnings",
    "us.shiller.cpi": "cpi",
    "us.shiller.gs10": "gs10",
}
STOCK_SERIES: tuple[str, ...] = (
    "us.sp500",
    "us.gsw.zero.9y",
    "us.gsw.zero.10y",
    *GSW_PARAMS,
    *SHILLER,
    "us.tips.10y",
    "us.cpi",
    "us.cmt.3m",
    "us.cmt.10y",
    "us.fedfunds",
)
"""Series ids :func:`analyze_stocks` reads."""

EPISODES: tuple[tuple[str, str, str], ...] = (
    ("2022 sell-off (Dec 2021 to Oct 2022)", "2021-12", "2022-10"),
    ("calendar 2022", "2021-12", "2022-12"),
    ("2013 taper tantrum (Apr to Jun 2013)", "2013-04", "2013-06"),
    ("2008 crisis (Oct 2007 to Feb 2009)", "2007-10", "2009-02"),
    ("dot-com bust (Aug 2000 to Sep 2002)", "2000-08", "2002-09"),
)
"""(label, first month, last month) of the price decompositions reported by default
(monthly-average prices: peaks and troughs of monthly averages)."""


def ten_year_decomposition(term_premium_table: pd.DataFrame, *, years: int = 10) -> pd.DataFrame:
    """The equity-response inputs from a term-premium table (``yield``, ``expected_rate``,
    ``term_premium``); see :func:`ustpull.termpremium.countries.maturity_components`."""
    return maturity_components(term_premium_table, years=years)


def _column(data: pd.DataFrame, series_id: str) -> pd.Series:
    if series_id not in data.columns:
        raise DataError(f"stocks analysis: the data lack the series {series_id!r}")
    series = data[series_id].dropna()
    if series.empty:
        raise DataError(f"stocks analysis: the series {series_id!r} has no observations")
    return series


def _eras_inside(
    breaks: Sequence[str], stocks: pd.Series, cmt_10y: pd.Series
) -> tuple[tuple[str, str | None, str | None], ...]:
    """Eras from user breaks, each break inside the widest correlation sample."""
    common = stocks.index.intersection(cmt_10y.index)
    if common.empty:
        raise DataError("stocks analysis: us.sp500 and us.cmt.10y have no date in common")
    first, last = pd.Timestamp(common.min()), pd.Timestamp(common.max())
    for stamp in breaks:
        when = pd.Timestamp(stamp)
        if not first < when <= last:
            raise DataError(
                f"stocks analysis: era break {when:%Y-%m-%d} lies outside the sample "
                f"{first:%Y-%m-%d}..{last:%Y-%m-%d} (common dates of us.sp500 and "
                "us.cmt.10y); it would leave an empty era"
            )
    return eras_from_breaks(breaks)


@dataclass(frozen=True)
class StocksAnalysisResults:
    """Every table of the stocks issue."""

    daily: StockBondCorrelationResults
    monthly: StockBondCorrelationResults
    daily_cmt: StockBondCorrelationResults
    inflation: InflationRegimeResults
    dividend_discount: DividendDiscountResults
    episodes: pd.DataFrame
    portfolio: PortfolioResults
    term_premium: TermPremiumEquityResults | None

    def summary(self) -> str:
        """All summaries, one after another."""
        parts = [
            self.daily.summary(),
            self.monthly.summary(),
            self.daily_cmt.summary(),
            self.inflation.summary(),
            self.dividend_discount.summary(),
            "Price decompositions (log points):",
            self.episodes[["start", "end", "total", "earnings", "real_rate", "risk_premium"]]
            .round(4)
            .to_string(),
            self.portfolio.summary(),
        ]
        if self.term_premium is not None:
            parts.append(self.term_premium.summary())
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.summary()

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
            "dividend_discount": self.dividend_discount.to_dict(),
            "price_decompositions": json_records(self.episodes),
            "sixty_forty": self.portfolio.to_dict(),
            "term_premium_response": None
            if self.term_premium is None
            else self.term_premium.to_dict(),
        }


def analyze_stocks(
    data: pd.DataFrame,
    *,
    window: int = 252,
    monthly_window: int = 36,
    breaks: Sequence[str] | None = None,
    inflation_threshold: float = 3.0,
    inflation_proxy: InflationProxy = "trailing_12m",
    stock_weight: float = 0.6,
    portfolio_window: int = 36,
    decomposition: pd.DataFrame | None = None,
    episodes: Sequence[tuple[str, str, str]] = EPISODES,
    replications: int = 1000,
    seed: int = 0,
    equity_includes_dividends: bool = False,
) -> StocksAnalysisResults:
    """Run the stocks analyses on a wide frame holding :data:`STOCK_SERIES`.

    Parameters
    ----------
    data
        Wide float frame, DatetimeIndex, columns = series ids (daily and monthly series mixed;
        each is used on its own observed dates).
    window, monthly_window
        Rolling windows of the daily (trading days) and monthly (months) correlations.
    breaks
        User era breaks (dates), each strictly after the first and not after the last common
        date of the S&P 500 and the 10-year CMT; default the eras 1962-1999, 2000-2007,
        2008-2019, 2020-latest.
    inflation_threshold
        CPI year-on-year threshold (percent) of the inflation regimes.
    inflation_proxy
        Expected-inflation proxy for the real yield before TIPS.
    stock_weight, portfolio_window
        The portfolio's stock weight and rolling window (months).
    decomposition
        Optional monthly 10-year ``expected_rate``/``term_premium`` (percent, e.g. from
        ``ustpull.termpremium.ACM``) for the equity-response regression.
    episodes
        (label, first month, last month) windows for the price decomposition.
    replications, seed
        Block bootstrap of the regime test.
    equity_includes_dividends
        ``us.sp500`` holds a total-return index (e.g. Kenneth French's market return chained
        into an index): the 60/40's stock return is then its month-end change alone, without
        Shiller's ``D/12`` added (which would count dividends twice).

    Raises
    ------
    DataError
        A missing series, or a break outside the sample (it would leave an empty era).
    """
    stocks = _column(data, "us.sp500")
    cmt_10y = _column(data, "us.cmt.10y")
    eras = DEFAULT_ERAS if not breaks else _eras_inside(breaks, stocks, cmt_10y)
    curve = pd.concat(
        [_column(data, "us.gsw.zero.9y").rename(9), _column(data, "us.gsw.zero.10y").rename(10)],
        axis=1,
        sort=True,
    )
    params: pd.DataFrame | None = None
    if all(series_id in data.columns for series_id in GSW_PARAMS):
        params = data[list(GSW_PARAMS)].rename(columns=GSW_PARAMS).dropna(how="all")
    correlation = partial(
        StockBondCorrelation, stocks, eras=eras, replications=replications, seed=seed
    )
    daily = correlation(curve, params=params, window=window).fit()
    monthly = correlation(
        curve, params=params, frequency="monthly", window=monthly_window, markov=False
    ).fit()
    # the CMT par bond reaches back to 1962 (the GSW 10-year zero starts in 1971-08)
    daily_cmt = correlation(cmt_10y, curve="par", window=window, markov=False).fit()
    inflation = inflation_regimes(
        daily.returns[["stock", "exact"]],
        _column(data, "us.cpi"),
        threshold=inflation_threshold,
        correlation=daily.correlations["exact"],
    )
    shiller = pd.concat(
        {name: _column(data, sid) for sid, name in SHILLER.items()}, axis=1, sort=True
    )
    ddm = DividendDiscount(
        shiller, tips_10y=_column(data, "us.tips.10y"), inflation_proxy=inflation_proxy
    ).fit()
    decompositions = []
    for label, first, last in episodes:
        row = ddm.decompose(first, last)
        row.name = label
        decompositions.append(row)
    episode_table = pd.DataFrame(decompositions).rename_axis("episode")
    # a total-return index already holds the dividends: add none (zero dividend rate)
    dividend = shiller["dividend"] * 0.0 if equity_includes_dividends else shiller["dividend"]
    portfolio = SixtyForty(
        month_end_total_returns(stocks, dividend),
        month_end_par_bond_returns(cmt_10y),
        risk_free_monthly(_column(data, "us.cmt.3m"), _column(data, "us.fedfunds")),
        stock_weight=stock_weight,
        window=portfolio_window,
    ).fit()
    term_premium = (
        None if decomposition is None else TermPremiumEquityResponse(stocks, decomposition).fit()
    )
    return StocksAnalysisResults(
        daily=daily,
        monthly=monthly,
        daily_cmt=daily_cmt,
        inflation=inflation,
        dividend_discount=ddm,
        episodes=episode_table,
        portfolio=portfolio,
        term_premium=term_premium,
    )
