"""The stocks study: U.S. stocks and Treasuries from one wide data frame.

:func:`run_stocks` takes the frame :func:`ustpull.studies.load_frame` returns for
:data:`STOCK_SERIES` and runs

1. the stock-bond correlation, daily and monthly, with the GSW 10-year zero (from 1971-08),
   and daily with the 10-year CMT par bond (from 1962)
   (:class:`~ustpull.crossasset.stocks_correlation.StockBondCorrelation`);
2. the correlation by CPI inflation regime and, given a term-premium decomposition of the
   10-year yield, the equity response to its expected-rate and term-premium parts;
3. the dividend-discount view (:class:`~ustpull.crossasset.ddm.DividendDiscount`) with named
   episodes decomposed (the 2022 sell-off among them);
4. 60/40 against 100% stocks (:class:`~ustpull.crossasset.portfolio.SixtyForty`) on month-end
   levels: S&P 500 month-end closes plus Shiller's dividend ``D / 12``, and the month-end
   10-year CMT yield repriced as a par bond, so from 1962.

Eras come from one table (:data:`~ustpull.crossasset.stocks_correlation.DEFAULT_ERAS`) and
are named after the data each fit uses (:func:`~ustpull.crossasset.charts.era_name`): an open
first era starts at the first whole calendar year of the bond's data, so with the GSW 10-year
zero (from 1971-08) the first era is "1972-1999" (its first 252-day correlation ends
1972-08-16), while the CMT par bond (from 1962-01) keeps "1962-1999"; an era that has not
begun by the last observation is left out (an as-of run before 2020 has no "2020-latest").
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from functools import partial

import numpy as np
import pandas as pd

from ustpull.crossasset.charts import era_name
from ustpull.crossasset.ddm import (
    DividendDiscount,
    DividendDiscountResults,
    InflationProxy,
    consistent_real_yield,
)
from ustpull.crossasset.portfolio import (
    PortfolioResults,
    SixtyForty,
    month_end_par_bond_returns,
    month_end_total_returns,
    risk_free_monthly,
)
from ustpull.crossasset.stocks import StocksAnalysisResults
from ustpull.crossasset.stocks_correlation import (
    DEFAULT_ERAS,
    StockBondCorrelation,
    StockBondCorrelationResults,
    TermPremiumEquityResponse,
    eras_from_breaks,
    inflation_regimes,
)
from ustpull.crossasset.stocks_regimes import StockBondRegimes, StockBondRegimesResults
from ustpull.crossasset.stocks_sharpe import sharpe_interval
from ustpull.crossasset.stocks_valuation import SmoothedValuation, SmoothedValuationResults
from ustpull.errors import DataError
from ustpull.studies.decomposition import components
from ustpull.studies.settings import StudySettings, finished_by
from ustpull.studies.term_premia import us_term_premium
from ustpull.termpremium.countries import country_curve

__all__ = [
    "EPISODES",
    "STOCK_SERIES",
    "analyze_stocks",
    "run_stocks",
    "stocks_series_ids",
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

PROXY_MONTHS: dict[str, int] = {"trailing_12m": 12, "trailing_36m": 36}
"""Months of CPI inflation in the ex-ante real-yield proxy of each ``inflation_proxy``."""


def _column(data: pd.DataFrame, series_id: str) -> pd.Series:
    if series_id not in data.columns:
        raise DataError(f"stocks analysis: the data lack the series {series_id!r}")
    series = data[series_id].dropna()
    if series.empty:
        raise DataError(f"stocks analysis: the series {series_id!r} has no observations")
    return series


Era = tuple[str, str | None, str | None]


def _eras_begun(stocks: pd.Series) -> tuple[Era, ...]:
    """The default eras that begin by the last stock observation (an as-of run has no
    "2020-latest" era before 2020)."""
    last = stocks.index.max()
    return tuple(era for era in DEFAULT_ERAS if era[1] is None or pd.Timestamp(era[1]) <= last)


def named_eras(eras: Sequence[Era], first: pd.Timestamp, last: pd.Timestamp) -> tuple[Era, ...]:
    """``eras`` fitted to data from ``first`` to ``last``, each named after its data.

    An open first era starts at the first whole calendar year of the data (data from
    January: that year; from later in the year: the next), so its name says the years its
    returns cover ("1962-1999" on data from 1971-08 becomes "1972-1999", starting
    1972-01-01); an era ending before that start is dropped; names of eras from user breaks
    (not ``YYYY-YYYY``) are kept (:func:`~ustpull.crossasset.charts.era_name`).
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    whole = pd.Timestamp(first.year + (first.month > 1), 1, 1)
    named = []
    for label, start, end in eras:
        nominal = label[:4].isdigit()
        begin = f"{whole:%Y-%m-%d}" if start is None and nominal else start
        lower = first if begin is None else max(first, pd.Timestamp(begin))
        upper = last if end is None else min(last, pd.Timestamp(end))
        if lower > upper:
            continue
        named.append((era_name(label, lower, upper), begin, end))
    return tuple(named)


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


def _stock_eras(
    data: pd.DataFrame, stocks: pd.Series, cmt_10y: pd.Series, breaks: Sequence[str] | None
) -> tuple[tuple[Era, ...], tuple[Era, ...]]:
    """The eras of the GSW-zero correlations and of the CMT par bond's, each named after the
    data it uses (the CMT par bond reaches back to 1962, the GSW 10-year zero to 1971-08)."""
    begun = _eras_begun(stocks) if not breaks else _eras_inside(breaks, stocks, cmt_10y)
    named = []
    for bond in (_column(data, "us.gsw.zero.10y"), cmt_10y):
        first = max(stocks.index.min(), bond.index.min())
        named.append(named_eras(begun, first, min(stocks.index.max(), bond.index.max())))
    return named[0], named[1]


def stocks_series_ids(settings: StudySettings = StudySettings()) -> list[str]:
    """Series the stocks study loads (with the U.S. curve when it splits the 10-year)."""
    ids = list(STOCK_SERIES)
    if settings.term_premium:
        ids += list(country_curve("US").series_ids)
    return list(dict.fromkeys(ids))


def _finished(data: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The :data:`EPISODES` over by the last date of ``data`` (as-of runs leave later out)."""
    ended = finished_by([last for _, _, last in EPISODES], data)
    return [episode for episode, over in zip(EPISODES, ended, strict=True) if over]


def run_stocks(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    decomposition: pd.DataFrame | None = None,
    equity_includes_dividends: bool = False,
    executor: Executor | None = None,
) -> StocksAnalysisResults:
    """The stocks study with ``settings`` (see :func:`analyze_stocks`).

    Without ``decomposition`` and with ``settings.term_premium`` the U.S. 10-year is split
    here by the monthly ACM model (:func:`ustpull.studies.decomposition.components`).
    ``executor`` runs the term-premium bootstrap when there is one (the stocks tables
    themselves are serial).
    """
    if decomposition is None and settings.term_premium:
        estimate, _ = us_term_premium(data, executor=executor)
        decomposition = components(estimate)
    return analyze_stocks(
        data,
        window=settings.correlation_window_days,
        monthly_window=settings.correlation_window_months,
        breaks=settings.era_breaks or None,
        inflation_threshold=settings.inflation_threshold,
        inflation_proxy=settings.inflation_proxy,
        stock_weight=settings.stock_weight,
        portfolio_window=settings.portfolio_window_months,
        decomposition=decomposition,
        episodes=_finished(data),
        seed=settings.seed,
        equity_includes_dividends=equity_includes_dividends,
    )


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
        Wide float frame by date, columns = series ids (each used on its own observed dates).
    window, monthly_window
        Rolling windows of the daily (trading days) and monthly (months) correlations.
    breaks
        Era breaks inside the S&P 500 / 10-year CMT sample (default: the four eras).
    inflation_threshold, inflation_proxy
        CPI y/y threshold (percent) of the inflation regimes; proxy of expected inflation.
    stock_weight, portfolio_window
        The portfolio's stock weight and rolling window (months).
    decomposition
        Optional monthly 10-year ``expected_rate``/``term_premium`` (percent) for the
        equity-response regression (:func:`ustpull.studies.decomposition.components`).
    episodes
        (label, first month, last month) windows of the price decomposition.
    replications, seed
        Replications and seed of the regime test's block bootstrap.
    equity_includes_dividends
        ``us.sp500`` is a total-return index (French's market return chained): no ``D/12`` added.

    Raises
    ------
    DataError
        A missing series, or a break outside the sample (an empty era).
    """
    stocks = _column(data, "us.sp500")
    cmt_10y = _column(data, "us.cmt.10y")
    eras, cmt_eras = _stock_eras(data, stocks, cmt_10y, breaks)
    correlation = partial(StockBondCorrelation, stocks, replications=replications, seed=seed)
    daily, monthly = _zero_correlations(
        data, partial(correlation, eras=eras), window, monthly_window
    )
    daily_cmt = correlation(cmt_10y, eras=cmt_eras, curve="par", window=window, markov=False).fit()
    inflation = inflation_regimes(
        daily.returns[["stock", "exact"]],
        _column(data, "us.cpi"),
        threshold=inflation_threshold,
        correlation=daily.correlations["exact"],
    )
    shiller = pd.concat({n: _column(data, sid) for sid, n in SHILLER.items()}, axis=1, sort=True)
    ddm, episode_table, valuation = _dividend_discount(data, shiller, inflation_proxy, episodes)
    portfolio = _sixty_forty(
        data, stocks, cmt_10y, shiller, stock_weight, portfolio_window, equity_includes_dividends
    )
    return StocksAnalysisResults(
        daily=daily,
        monthly=monthly,
        daily_cmt=daily_cmt,
        inflation=inflation,
        dividend_discount=ddm,
        episodes=episode_table,
        portfolio=portfolio,
        term_premium=None
        if decomposition is None
        else TermPremiumEquityResponse(stocks, decomposition).fit(),
        regimes=_regimes(data, daily, monthly, eras, window, seed),
        valuation=valuation,
        sharpe_intervals=_sharpe_intervals(portfolio, portfolio_window),
    )


def _zero_correlations(
    data: pd.DataFrame, correlation: partial[StockBondCorrelation], window: int, monthly: int
) -> tuple[StockBondCorrelationResults, StockBondCorrelationResults]:
    """Daily and monthly correlations with the GSW 10-year zero-coupon bond."""
    curve = pd.concat(
        [_column(data, "us.gsw.zero.9y").rename(9), _column(data, "us.gsw.zero.10y").rename(10)],
        axis=1,
        sort=True,
    )
    params: pd.DataFrame | None = None
    if all(series_id in data.columns for series_id in GSW_PARAMS):
        params = data[list(GSW_PARAMS)].rename(columns=GSW_PARAMS).dropna(how="all")
    daily = correlation(curve, params=params, window=window).fit()
    monthly_results = correlation(
        curve, params=params, frequency="monthly", window=monthly, markov=False
    ).fit()
    return daily, monthly_results


#: TIPS months that level-match the ex-ante proxy to the TIPS yield (the splice).
SPLICE_MONTHS = 24


def _tips_months(data: pd.DataFrame) -> int:
    """Months with a TIPS yield in ``data`` (an error names the series if the column is
    absent)."""
    if "us.tips.10y" not in data.columns:
        raise DataError("stocks analysis: the data lack the series 'us.tips.10y'")
    tips = data["us.tips.10y"].dropna()
    return len(pd.DatetimeIndex(tips.index).to_period("M").unique())


def _dividend_discount(
    data: pd.DataFrame,
    shiller: pd.DataFrame,
    inflation_proxy: InflationProxy,
    episodes: Sequence[tuple[str, str, str]],
) -> tuple[DividendDiscountResults | None, pd.DataFrame | None, SmoothedValuationResults | None]:
    """The dividend-discount model on the one consistent real yield (TIPS from 2003, the
    level-matched ex-ante proxy before), its episode decompositions (an empty table when no
    episode had ended), and the smoothed-earnings view with a growth term; three ``None``
    when the data hold fewer than :data:`SPLICE_MONTHS` TIPS months to match the proxy's
    level (as of a date before 2005)."""
    if _tips_months(data) < SPLICE_MONTHS:
        return None, None, None
    real = consistent_real_yield(
        shiller["gs10"],
        shiller["cpi"],
        _column(data, "us.tips.10y"),
        inflation_months=PROXY_MONTHS[inflation_proxy],
        splice_months=SPLICE_MONTHS,
    )
    ddm = DividendDiscount(
        shiller,
        tips_10y=_column(data, "us.tips.10y"),
        inflation_proxy=inflation_proxy,
        real_yield=real,
    ).fit()
    decompositions = []
    for label, first, last in episodes:
        row = ddm.decompose(first, last)
        row.name = label
        decompositions.append(row)
    none = np.array([], dtype=int)  # no episode ended: the table's columns, no row
    table = pd.DataFrame(decompositions) if episodes else ddm.decompose_many(none, none)
    valuation = SmoothedValuation(
        ddm.yields, shiller["cpi"], splice_adjustment=float(real.attrs["splice_adjustment"])
    ).fit(episodes)
    return ddm, table.rename_axis("episode"), valuation


def _sixty_forty(
    data: pd.DataFrame,
    stocks: pd.Series,
    cmt_10y: pd.Series,
    shiller: pd.DataFrame,
    stock_weight: float,
    window: int,
    equity_includes_dividends: bool,
) -> PortfolioResults:
    # a total-return index already holds the dividends: add none (zero dividend rate)
    dividend = shiller["dividend"] * 0.0 if equity_includes_dividends else shiller["dividend"]
    return SixtyForty(
        month_end_total_returns(stocks, dividend),
        month_end_par_bond_returns(cmt_10y),
        risk_free_monthly(_column(data, "us.cmt.3m"), _column(data, "us.fedfunds")),
        stock_weight=stock_weight,
        window=window,
    ).fit()


def _regimes(
    data: pd.DataFrame,
    daily: StockBondCorrelationResults,
    monthly: StockBondCorrelationResults,
    eras: Sequence[tuple[str, str | None, str | None]],
    window: int,
    seed: int,
) -> StockBondRegimesResults | None:
    """Era intervals, estimated breaks, DCC, return regimes and inflation thresholds, fitted
    on the eras with data (as of a date before 2020: no 2020-latest era, and the comparisons
    that need it are ``None`` in the results); ``None`` only when the data cannot carry the
    models at all (the section then states the gap)."""
    try:
        return StockBondRegimes(
            daily.returns[["stock", "exact"]],
            monthly.returns[["stock", "exact"]],
            _column(data, "us.cpi"),
            eras=eras,
            window=window,
        ).fit(seed=seed)
    except DataError:
        return None


def _sharpe_intervals(portfolio: PortfolioResults, window: int) -> pd.DataFrame:
    """Sharpe ratios of the last ``window`` months with Lo (2002) intervals."""
    returns = portfolio.returns.iloc[-window:]
    rows = {
        name: sharpe_interval(returns[name] - returns["risk_free"])
        for name in ("portfolio", "stocks")
    }
    table = pd.DataFrame(rows).T.rename_axis("strategy")
    table["end"] = returns.index[-1]
    return table
