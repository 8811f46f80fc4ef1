"""The charts of the cross-asset results: one :class:`~ustpull.charts.Chart` each.

Each function is the single definition of a chart: the results' ``plot()`` draws it with
:func:`ustpull.charts.figure` and the report shows the same object (interactive and PNG).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull.charts import Chart, Interval, Shading, portfolio_label, weekly, window_label

if TYPE_CHECKING:
    from ustpull.crossasset.connectedness import (
        ConnectednessModelResults,
        RollingConnectednessResults,
    )
    from ustpull.crossasset.ddm import DividendDiscountResults
    from ustpull.crossasset.dollar import DollarYieldResults
    from ustpull.crossasset.foreign_bonds import ComovementResults, LinkageResults
    from ustpull.crossasset.portfolio import PortfolioResults
    from ustpull.crossasset.stocks_correlation import (
        InflationRegimeResults,
        StockBondCorrelationResults,
    )

__all__ = [
    "connectedness_bands_chart",
    "connectedness_chart",
    "connectedness_net_chart",
    "connectedness_tci_chart",
    "ddm_yields_chart",
    "diversification_chart",
    "dollar_correlation_chart",
    "dollar_vs_yield_chart",
    "era_name",
    "era_shading",
    "inflation_regime_chart",
    "linkage_chart",
    "recession_shading",
    "sharpe_chart",
    "stock_bond_correlation_chart",
    "yield_comovement_chart",
]

_UNIT = {"daily": "day", "weekly": "week", "monthly": "month"}


_ERA_COLOURS = ("rgba(31,119,180,0.13)", "rgba(255,127,14,0.13)")
"""Alternating era bands (blue, orange), so neighbouring eras read as separate bands."""

_COMPONENT_WORDS = {
    "yield": "10-year yield",
    "expected_rate": "expected-rate part",
    "term_premium": "term-premium part",
}
"""Legend words for the yield components of the decompositions."""


def era_name(nominal: str, first: pd.Timestamp, last: pd.Timestamp) -> str:
    """An era's name from the data in it: ``"1962-1999"`` whose first observation is in 1972
    reads ``"1972-1999"``; ``"2020-latest"`` keeps ``latest``; names that are not
    ``YYYY-YYYY`` / ``YYYY-latest`` are kept."""
    match = re.fullmatch(r"(\d{4})-(\d{4}|latest)", nominal)
    if match is None:
        return nominal
    start = max(int(match.group(1)), pd.Timestamp(first).year)
    end = match.group(2)
    if end != "latest":
        end = str(min(int(end), pd.Timestamp(last).year))
    return f"{start}-{end}"


def era_shading(eras: pd.DataFrame) -> tuple[Shading, ...]:
    """One shaded band per era with data (rows with ``first`` and ``last`` dates), colours
    alternating, each labelled with the years its data cover (:func:`era_name`)."""
    with_data = eras.loc[eras["first"].notna() & eras["last"].notna()]  # no data: no band
    return tuple(
        Shading(
            pd.Timestamp(row["first"]),
            pd.Timestamp(row["last"]),
            era_name(str(name), pd.Timestamp(row["first"]), pd.Timestamp(row["last"])),
            _ERA_COLOURS[k % 2],
        )
        for k, (name, row) in enumerate(with_data.iterrows())
    )


def recession_shading(recession: pd.Series) -> tuple[Shading, ...]:
    """NBER recession months (a 0/1 monthly series) as shaded bands."""
    flags = recession.dropna() >= 0.5
    if not flags.any():
        return ()
    values = flags.to_numpy().astype(np.int8)
    edges = np.diff(np.concatenate([[0], values, [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    dates = pd.DatetimeIndex(flags.index)
    return tuple(
        Shading(dates[int(s)], dates[int(e)] + pd.offsets.MonthEnd(0), "NBER recession")
        for s, e in zip(starts, ends, strict=True)
    )


def stock_bond_correlation_chart(results: StockBondCorrelationResults) -> Chart:
    """Rolling correlation of stock and 10-year Treasury returns, eras shaded.

    The duration approximation lies almost on the exact line: the renderers draw it dashed
    over a wider exact line (:func:`ustpull.charts.trace_styles`), so both show.
    """
    data = pd.DataFrame(
        {
            "exact (10-year zero-coupon return)": results.correlations["exact"],
            "duration approximation (dashed)": results.correlations["duration"],
        }
    ).dropna(how="all")
    unit = _UNIT[results.frequency]
    return Chart(
        "stock_bond_correlation",
        f"Rolling {window_label(results.window, unit)} correlation: S&P 500 vs 10-year Treasury "
        "returns (eras shaded)",
        weekly(data) if results.frequency == "daily" else data,
        "correlation",
        shading=era_shading(results.eras),
        zero_line=True,
        unit="correlation",
        note=f"{results.frequency.capitalize()} log returns on common trading days"
        + ("; sampled weekly for display" if results.frequency == "daily" else "")
        + ". The duration approximation (dashed) lies almost on the exact return's line.",
    )


def inflation_regime_chart(results: InflationRegimeResults) -> Chart:
    """Stock-bond correlation when CPI inflation is at or below / above the threshold.

    Bars: the correlation of the returns in each regime with its 95% Newey-West HAC interval
    (``ci_low``, ``ci_high`` of :func:`~ustpull.crossasset.stocks_correlation.
    inflation_regimes`); and the mean rolling correlation where the results carry it.
    """
    table = results.table
    threshold = f"{results.threshold:g}%"
    names = {"low": f"CPI inflation at or below {threshold}", "high": f"above {threshold}"}
    data = pd.DataFrame(
        {
            "correlation of returns": table["return_correlation"].astype("float64"),
            "95% interval (low)": table["ci_low"].astype("float64"),
            "95% interval (high)": table["ci_high"].astype("float64"),
        }
    )
    if "mean_rolling_correlation" in table:
        data["mean rolling correlation"] = table["mean_rolling_correlation"].astype("float64")
    data.index = pd.Index([names.get(str(k), str(k)) for k in table.index], name="regime")
    counts = ", ".join(f"{int(n):,}" for n in table["n"])
    test = results.test
    return Chart(
        "stock_bond_inflation_regimes",
        f"Stock-bond correlation by inflation regime (CPI year on year, threshold {threshold})",
        data,
        "correlation",
        kind="bar",
        zero_line=True,
        unit="correlation",
        intervals=(
            Interval("correlation of returns", "95% interval (low)", "95% interval (high)"),
        ),
        note=f"Returns classed by the CPI inflation of the month before their own (CPI is "
        f"published the next month; {counts} returns); 95% intervals: Newey-West HAC delta "
        f"method on Fisher z. High minus low: {test['difference']:+.2f} "
        f"[{test['ci_low']:+.2f}, {test['ci_high']:+.2f}].",
    )


def ddm_yields_chart(results: DividendDiscountResults) -> Chart:
    """The valuation denominator: earnings yield, real 10-year yield and the ERP."""
    return Chart(
        "ddm_yields",
        "The denominator: earnings yield, real 10-year yield and the equity risk premium",
        results.yields.loc["1950-01-01":, ["earnings_yield", "real_yield", "equity_risk_premium"]]
        .dropna(how="all")
        .rename(
            columns={
                "earnings_yield": "earnings yield",
                "real_yield": "real 10-year yield",
                "equity_risk_premium": "equity risk premium",
            }
        ),
        "percent a year",
        zero_line=True,
        unit="percent",
        note="Shiller monthly data from 1950; real yield = "
        "TIPS from 2003, before GS10 minus trailing 12-month CPI inflation; ERP = earnings "
        "yield - real yield.",
    )


def sharpe_chart(results: PortfolioResults) -> Chart:
    """Rolling Sharpe ratios of the portfolio and of stocks alone."""
    mix = portfolio_label(results.stock_weight)
    rolling = results.rolling().dropna(how="all")
    return Chart(
        "sixty_forty_sharpe",
        f"Rolling {window_label(results.window, 'month')} Sharpe ratio: {mix} vs 100% stocks",
        rolling[["sharpe_portfolio", "sharpe_stocks"]].rename(
            columns={"sharpe_portfolio": mix, "sharpe_stocks": "100% stocks"}
        ),
        "Sharpe ratio (annualised)",
        zero_line=True,
        unit="ratio",
    )


def diversification_chart(results: PortfolioResults) -> Chart:
    """The portfolio's diversification benefit against the stock-bond correlation."""
    rolling = results.rolling().dropna(how="all")
    benefit = rolling[["stock_bond_correlation", "diversification_benefit_pct"]].dropna()
    scatter = benefit.set_index("stock_bond_correlation")[["diversification_benefit_pct"]]
    window = window_label(results.window, "month").replace("-year", "y").replace("-", " ")
    return Chart(
        "diversification_benefit",
        f"Diversification benefit of {portfolio_label(results.stock_weight)} against the "
        f"stock-bond correlation (rolling {window})",
        scatter.sort_index().rename(columns={"diversification_benefit_pct": "benefit, % a year"}),
        "weighted-average volatility minus portfolio volatility, % a year",
        kind="scatter",
        x_title="stock-bond correlation",
        unit="percent",
        x_unit="correlation",
    )


def linkage_chart(results: LinkageResults, market: str = "ea") -> Chart:
    """Rolling correlation of monthly changes with the U.S., by component, for ``market``."""
    from ustpull.crossasset.foreign_bonds import MARKETS

    name = "euro area" if market == "ea" else MARKETS[market].name
    return Chart(
        "term_premium_linkage",
        f"Rolling {window_label(results.window, 'month')} U.S.-{name} correlation of monthly "
        "changes, by component",
        pd.DataFrame(results.rolling[market]).dropna(how="all").rename(columns=_COMPONENT_WORDS),
        "correlation",
        zero_line=True,
        unit="correlation",
    )


def yield_comovement_chart(results: ComovementResults) -> Chart:
    """Rolling correlation of monthly 10-year yield changes with the U.S., per market (the
    headline average is :class:`~ustpull.crossasset.comovement.CoMovementResults`')."""
    rolling = results.rolling[[c for c in ("de", "jp", "gb") if c in results.rolling]]
    return Chart(
        "yield_comovement",
        f"Rolling {window_label(results.window, 'month')} correlation of monthly 10-year yield "
        "changes with the U.S.",
        rolling.rename(columns={"de": "Germany", "jp": "Japan", "gb": "United Kingdom"}),
        "correlation",
        zero_line=True,
        unit="correlation",
        note="OECD monthly long-term government bond yields.",
    )


def connectedness_chart(results: RollingConnectednessResults) -> Chart:
    """The rolling Diebold-Yilmaz total connectedness index (generalized FEVD shares)."""
    total = results.total.dropna()
    return Chart(
        "connectedness",
        f"Diebold-Yilmaz total connectedness index, rolling {results.window}-observation VAR "
        "on yield changes",
        weekly(total.to_frame("total connectedness")),
        "percent of forecast-error variance",
        unit="percent",
    )


def dollar_vs_yield_chart(dollar: pd.Series, ten_year: pd.Series, recession: pd.Series) -> Chart:
    """The dollar index and the 10-year yield on two axes, NBER recessions shaded."""
    levels = pd.concat(
        [dollar.rename("dollar index"), ten_year.dropna().rename("10-year yield")],
        axis=1,
        sort=True,
    ).dropna()
    return Chart(
        "dollar_vs_yield",
        "Dollar index and the 10-year Treasury yield (NBER recessions shaded)",
        weekly(levels),
        "dollar index (points)",
        secondary=("10-year yield",),
        secondary_title="10-year yield (percent)",
        unit="index",
        secondary_unit="percent",
        shading=recession_shading(recession),
        note="DXY to its last observation, then the Fed broad index chained on.",
    )


def dollar_correlation_chart(results: DollarYieldResults, since: str = "2000-01-01") -> Chart:
    """Rolling correlation of dollar changes with the yield and its parts; divergences shaded."""
    unit = _UNIT[results.frequency]
    return Chart(
        "dollar_yield_correlation",
        f"Rolling {window_label(results.window, unit)} correlation of {results.frequency} "
        "dollar changes with yield components",
        results.rolling_correlation.dropna(how="all").rename(columns=_COMPONENT_WORDS),
        "correlation",
        zero_line=True,
        unit="correlation",
        shading=tuple(
            Shading(
                pd.Timestamp(row["start"]),
                pd.Timestamp(row["end"]),
                "divergence",
                "rgba(214,39,40,0.15)",
            )
            for _, row in results.divergences.iterrows()
            if pd.Timestamp(row["start"]) >= pd.Timestamp(since)
        ),
        note="Red: yields up at least 20 bp while the dollar fell at least 1.5% over 21 days.",
    )


def connectedness_tci_chart(weekly: ConnectednessModelResults) -> Chart:
    """Total and corrected total connectedness over time, with the TCI's 90% band."""
    total = "total connectedness (TCI)"
    band = weekly.tci_interval.rename(
        columns={"lower": "TCI 90% band (low)", "upper": "TCI 90% band (high)"}
    )
    return Chart(
        "connectedness_tci",
        "Total connectedness of weekly 10-year yield changes (TVP-VAR), with 90% band",
        pd.concat(
            [
                weekly.ctci_t.rename("corrected total connectedness (cTCI)"),
                weekly.tci_t.rename(total),
                band,
            ],
            axis=1,
        ),
        "percent of forecast-error variance",
        unit="percent",
        intervals=(Interval(total, "TCI 90% band (low)", "TCI 90% band (high)", "TCI 90% band"),),
    )


def connectedness_net_chart(weekly: ConnectednessModelResults, market: str = "US") -> Chart:
    """One market's NET connectedness over time with its 90% band."""
    label = "U.S." if market == "US" else market
    return Chart(
        f"connectedness_{market.lower()}_net",
        f"{label} NET transmission to the other 10-year yields, weekly, with 90% band",
        pd.concat(
            [
                weekly.net_t[market].rename(f"{label} NET"),
                weekly.net_interval(market).add_prefix("band "),
            ],
            axis=1,
        ),
        "percentage points (to others minus from others)",
        zero_line=True,
        unit="pp",
        intervals=(Interval(f"{label} NET", "band lower", "band upper", "90% band"),),
    )


def connectedness_bands_chart(banded: ConnectednessModelResults) -> Chart:
    """Total connectedness in each frequency band over time."""
    short, persistent = banded.bands[1], banded.bands[2]
    return Chart(
        "connectedness_bands",
        f"Total connectedness by frequency: {short} vs {persistent}",
        pd.concat({label: banded.band(label).tci_t for label in banded.bands[1:]}, axis=1),
        "percent of forecast-error variance",
        unit="percent",
    )
