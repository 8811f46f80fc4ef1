"""The charts of the term-premia study: one :class:`~ustpull.charts.Chart` each.

:meth:`ustpull.studies.TermPremia.plot` draws :func:`term_premium_split_chart` and the report
shows the same objects (interactive and PNG).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ustpull.charts import Chart, Interval
from ustpull.termpremium.countries import CountryTermPremium

__all__ = ["kim_wright_chart", "term_premium_curve_chart", "term_premium_split_chart"]


def term_premium_split_chart(estimate: CountryTermPremium, replications: int) -> Chart:
    """The U.S. 10-year yield split into expected short rates and the term premium, with
    the bootstrap band (``replications`` residual-block draws)."""
    split = estimate.to_frame((10,)).rename(
        columns={
            "yield_10y": "10-year yield (ACM fitted)",
            "risk_neutral_10y": "expected average short rate",
            "term_premium_10y": "term premium",
            "term_premium_10y_lower": "term premium, 90% band (low)",
            "term_premium_10y_upper": "term premium, 90% band (high)",
        }
    )
    return Chart(
        "us_term_premium",
        "U.S. 10-year yield split into expected short rates and the term premium (ACM)",
        split,
        "percent",
        zero_line=True,
        unit="percent",
        intervals=_band(split),
        note="Month-end GSW zero curve, K = 5 principal components; short rate: "
        "the 1-month CMT bill from 2001-07, the 3-month CMT bill from 1981-09, the "
        f"GSW 1-month yield before; band: residual block bootstrap ({replications} "
        "replications) of the bias-corrected model (Kilian 1998).",
    )


def _band(split: pd.DataFrame) -> tuple[Interval, ...]:
    low, high = "term premium, 90% band (low)", "term premium, 90% band (high)"
    if {low, high} <= set(split.columns):
        return (Interval("term premium", low, high, "term premium, 90% band"),)
    return ()


def term_premium_curve_chart(estimate: CountryTermPremium) -> Chart:
    """The term premium by maturity at the latest month-end and a year earlier."""
    premia = estimate.decomposition.term_premium  # months 1..120
    latest = premia.index[-1]
    earlier = premia.loc[: latest - pd.DateOffset(years=1)].iloc[-1]
    curve = pd.DataFrame(
        {
            f"{latest:%Y-%m-%d}": premia.iloc[-1].to_numpy(),
            f"{earlier.name:%Y-%m-%d}": earlier.to_numpy(),
        },
        index=pd.Index(np.round(premia.columns.to_numpy() / 12.0, 4), name="maturity (years)"),
    )
    return Chart(
        "us_term_premium_curve",
        "U.S. term premium by maturity, latest month-end and a year earlier (ACM)",
        curve,
        "percent",
        x_title="maturity (years)",
        zero_line=True,
        unit="percent",
        x_unit="years",
    )


def kim_wright_chart(ours: pd.Series, kim_wright: pd.Series) -> Chart:
    """Our 10-year term premium (month-ends) against the published Kim-Wright series."""
    from ustpull.termpremium.published import compare_series

    kim_wright = kim_wright.dropna()
    kw_month_end = kim_wright.groupby(pd.DatetimeIndex(kim_wright.index).to_period("M")).last()
    months = pd.DatetimeIndex(ours.index).to_period("M")
    overlay = pd.DataFrame(
        {"ACM (ours)": ours, "Kim-Wright (Fed Board)": kw_month_end.reindex(months).to_numpy()},
        index=ours.index,
    ).dropna()
    stats = compare_series(ours, kim_wright, name="Kim-Wright")
    return Chart(
        "us_term_premium_published",
        "U.S. 10-year term premium: ours and Kim-Wright (published)",
        overlay,
        "percent",
        zero_line=True,
        unit="percent",
        note=f"Month-ends {stats['first']}..{stats['last']}; mean gap "
        f"{stats['mean_gap_bp']:+.0f} bp, rms {stats['rms_gap_bp']:.0f} bp, correlation "
        f"{stats['correlation']:.2f}.",
    )
