"""Chart specifications of the stock-bond regimes and the smoothed valuation (issue 16).

Each function returns one :class:`ustpull.charts.Chart` (rendered by plotly or matplotlib).
"""

from __future__ import annotations

import pandas as pd

from ustpull.charts import Chart, Shading, weekly, window_label
from ustpull.crossasset.dcc import DCCGarchResults
from ustpull.crossasset.regimes import RegimeSwitchingResults
from ustpull.crossasset.stocks_correlation import StockBondCorrelationResults
from ustpull.crossasset.stocks_regimes import StockBondRegimesResults
from ustpull.crossasset.stocks_valuation import SmoothedValuationResults

__all__ = [
    "dcc_chart",
    "dcc_correlation_chart",
    "regime_probability_chart",
    "smoothed_valuation_chart",
    "switching_probability_chart",
]

_DCC_LABEL = "DCC-GARCH(1,1)"
_DCC_TITLE = (
    "Daily stock-bond correlation: DCC-GARCH and rolling window (estimated breaks shaded "
    "with their 95% intervals)"
)


def _break_shading(regimes: StockBondRegimesResults) -> tuple[Shading, ...]:
    return tuple(
        Shading(
            pd.Timestamp(row["ci_low"]),
            pd.Timestamp(row["ci_high"]),
            f"break {pd.Timestamp(row['break_date']):%Y-%m}",
            "rgba(214,39,40,0.12)",
        )
        for _, row in regimes.breaks.breaks.iterrows()
    )


def dcc_correlation_chart(
    daily: StockBondCorrelationResults, regimes: StockBondRegimesResults
) -> Chart:
    """DCC-GARCH daily correlation beside the rolling one, estimated breaks shaded."""
    dcc = regimes.dcc_correlation
    rolling = daily.correlations["exact"].loc[dcc.index[0] :]
    label = f"{window_label(daily.window, 'day')} rolling"
    data = pd.DataFrame({_DCC_LABEL: dcc, label: rolling}).dropna(how="all")
    return Chart(
        "stock_bond_dcc",
        _DCC_TITLE,
        weekly(data),
        "correlation",
        shading=_break_shading(regimes),
        zero_line=True,
        note="S&P 500 vs exact GSW 10-year zero returns; DCC (Engle 2002) on daily returns from "
        f"{dcc.index[0]:%Y-%m-%d}; Bai-Perron breaks (LWZ) in the monthly correlation of daily "
        "returns, Bai (1997) intervals; sampled weekly for display.",
    )


def dcc_chart(dcc: DCCGarchResults) -> Chart:
    """The DCC line of :func:`dcc_correlation_chart` alone (first pair, sampled weekly)."""
    correlation = dcc.conditional_correlation.iloc[:, 0]
    return Chart(
        "stock_bond_dcc",
        _DCC_TITLE.split(" and rolling")[0],
        weekly(correlation.rename(_DCC_LABEL).to_frame()),
        "correlation",
        zero_line=True,
        note=f"DCC (Engle 2002) on daily returns from {correlation.index[0]:%Y-%m-%d}; sampled "
        "weekly for display.",
    )


def regime_probability_chart(regimes: StockBondRegimesResults) -> Chart:
    """Smoothed probability of the positive-correlation regime (weekly returns)."""
    return switching_probability_chart(regimes.regimes)


def switching_probability_chart(fit: RegimeSwitchingResults) -> Chart:
    """Smoothed probability of the regime with the highest correlation."""
    table = fit.regimes
    # regimes are ordered by their correlation: the last is the highest
    probability = fit.smoothed_probabilities.iloc[:, -1]
    corr = float(table["correlation"].iloc[-1])
    data = pd.DataFrame({f"regime with correlation {corr:+.2f}": probability})
    return Chart(
        "stock_bond_regime_probability",
        "Probability of the positive stock-bond correlation regime (Markov switching on returns)",
        data,
        "probability",
        note="Two-state bivariate Gaussian regime-switching model (Hamilton 1989) on weekly sums "
        "of GARCH-standardised daily returns; smoothed (Kim 1994) probabilities.",
    )


def smoothed_valuation_chart(valuation: SmoothedValuationResults) -> Chart:
    """Trailing and ten-year-average earnings yields, the real yield, g and the residual ERP."""
    columns = {
        "earnings_yield": "E/P (trailing)",
        "earnings_yield_10y": "E10/P (ten-year average)",
        "real_yield": "real 10-year yield (consistent)",
        "growth": "g (20-year trend)",
        "erp_growth": "ERP = E10/P - r + g (residual)",
    }
    return Chart(
        "ddm_smoothed",
        "Dividend-discount view with smoothed earnings and a growth term",
        valuation.yields[list(columns)].rename(columns=columns),
        "percent",
        note="Real yield: TIPS from 2003, before it the level-matched ex-ante proxy "
        f"(splice adjustment {valuation.splice_adjustment:+.3f} pp). The ERP is the residual of "
        "the identity, not an observation.",
    )
