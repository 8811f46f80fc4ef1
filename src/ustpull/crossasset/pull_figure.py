"""Interactive (plotly) chart of the rolling Treasury pull, for notebooks and the dashboard.

One panel per asset: the response to a 10 bp rise of the U.S. 10-year yield (black), of its
expected-rate part (blue) and of its term-premium part (red), each with its Newey-West band,
labelled in words with units, hover values rounded per unit (two decimals for percent, one for
basis points) and a date-range selector.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ustpull.crossasset.pull_data import PullAsset

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

__all__ = ["PART_STYLE", "rolling_pull_figure"]

PART_STYLE: dict[str, tuple[str, str, str]] = {
    "total": ("10-year yield", "#1d2330", "rgba(29,35,48,0.12)"),
    "expected_rate": ("expected-rate part", "#1f77b4", "rgba(31,119,180,0.15)"),
    "term_premium": ("term-premium part", "#d62728", "rgba(214,39,40,0.15)"),
}
"""Per component: words, line colour and band colour (one colour per part in every panel)."""
_HOVER_DIGITS = {"%": 2, "bp": 1}
_RANGES = (("3y", 3), ("10y", 10))


def _band(frame: pd.DataFrame, component: str, colour: str, row: int) -> list[dict[str, object]]:
    dates = list(pd.DatetimeIndex(frame.index).strftime("%Y-%m-%d"))
    low = frame[(component, "ci_low")].tolist()
    high = frame[(component, "ci_high")].tolist()
    return [
        {"x": dates, "y": high, "mode": "lines", "line": {"width": 0}, "showlegend": False,
         "hoverinfo": "skip", "row": row},
        {"x": dates, "y": low, "mode": "lines", "line": {"width": 0}, "fill": "tonexty",
         "fillcolor": colour, "showlegend": False, "hoverinfo": "skip", "row": row},
    ]  # fmt: skip


def rolling_pull_figure(
    rolling: Mapping[str, pd.DataFrame],
    assets: Mapping[str, PullAsset],
    confidence: float,
    regimes: Sequence[tuple[str, pd.Timestamp, pd.Timestamp]] = (),
) -> Figure:
    """The rolling responses of :class:`~ustpull.crossasset.pull_results.TreasuryPullResults`,
    with every other regime shaded grey and named."""
    from plotly.subplots import make_subplots

    names = list(rolling)
    titles = [f"{assets[n].label}: response to a 10 bp rise ({assets[n].unit})" for n in names]
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=False, subplot_titles=titles)
    for row, name in enumerate(names, start=1):
        frame, unit = rolling[name], assets[name].unit
        digits = _HOVER_DIGITS[unit]
        for component, (words, line, band) in PART_STYLE.items():
            for trace in _band(frame, component, band, row):
                fig.add_scatter(**trace, col=1)
            fig.add_scatter(
                x=list(pd.DatetimeIndex(frame.index).strftime("%Y-%m-%d")),
                y=frame[(component, "value")].tolist(),
                mode="lines",
                name=words,
                legendgroup=component,
                showlegend=row == 1,
                line={"color": line, "width": 1.4},
                hovertemplate=f"{words}: %{{y:+.{digits}f}} {unit}<extra></extra>",
                row=row,
                col=1,
            )
        fig.add_hline(y=0.0, line={"color": "#444", "width": 1, "dash": "dot"}, row=row, col=1)
        for i, (label, first, last) in enumerate(regimes):
            fig.add_vrect(
                x0=f"{first:%Y-%m-%d}",
                x1=f"{last:%Y-%m-%d}",
                fillcolor="rgba(0,0,0,0.06)" if i % 2 == 0 else "rgba(0,0,0,0)",
                line_width=0,
                layer="below",
                annotation_text=label,
                annotation_position="top left",
                annotation_font_size=9,
                row=row,
                col=1,
            )
        fig.update_yaxes(title_text=f"{unit} per 10 bp", row=row, col=1)
        fig.update_xaxes(
            rangeselector={
                "buttons": [
                    {"count": years, "label": label, "step": "year", "stepmode": "backward"}
                    for label, years in _RANGES
                ]
                + [{"step": "all", "label": "all"}]
            },
            row=row,
            col=1,
        )
    band = f"{100 * confidence:.0f}% Newey-West bands"
    fig.update_layout(
        height=300 * len(names),
        template="plotly_white",
        hovermode="x unified",
        title={"text": f"Treasury pull, rolling windows ({band})"},
        legend={"orientation": "h", "y": -0.05},
    )
    return fig
