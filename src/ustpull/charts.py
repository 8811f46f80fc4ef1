"""One definition per chart: a :class:`Chart` (data, labels, units) and its renderings.

The report's interactive chart (:func:`plotly_figure`), its PNG and the models' ``plot()``
(:func:`figure`) are drawn from the same :class:`Chart`, so they cannot disagree. ``data``
holds one column per trace (its index is the x axis); units are the axis titles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "Chart",
    "ChartKind",
    "Shading",
    "figure",
    "in_words",
    "plotly_figure",
    "portfolio_label",
    "weekly",
    "window_label",
    "years_label",
]

ChartKind = Literal["line", "bar", "scatter"]


@dataclass(frozen=True)
class Shading:
    """A shaded x-range on a chart (an era, a recession, a regime)."""

    start: pd.Timestamp | float
    end: pd.Timestamp | float
    label: str = ""
    color: str = "rgba(120,120,120,0.15)"


@dataclass(frozen=True)
class Chart:
    """A chart and the data behind it.

    ``data`` holds one column per trace; its index is the x axis. Columns named in
    ``secondary`` are drawn against a right-hand axis.
    """

    chart_id: str
    title: str
    data: pd.DataFrame
    y_title: str
    kind: ChartKind = "line"
    x_title: str = ""
    secondary: tuple[str, ...] = ()
    secondary_title: str = ""
    shading: tuple[Shading, ...] = ()
    note: str = ""
    zero_line: bool = False


def _axis_values(index: pd.Index) -> list[Any]:
    if isinstance(index, pd.DatetimeIndex):
        return [d.strftime("%Y-%m-%d") for d in index]
    return [v.item() if hasattr(v, "item") else v for v in index]


def _trace_values(column: pd.Series) -> list[float | None]:
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    return [None if not math.isfinite(v) else round(float(v), 6) for v in values]


def plotly_figure(chart: Chart) -> dict[str, Any]:
    """The plotly ``{data, layout}`` of a chart, as plain JSON-ready lists."""
    x = _axis_values(chart.data.index)
    traces: list[dict[str, Any]] = []
    for name in chart.data.columns:
        trace: dict[str, Any] = {
            "name": str(name),
            "x": x,
            "y": _trace_values(chart.data[name]),
        }
        if chart.kind == "bar":
            trace["type"] = "bar"
        else:
            trace["type"] = "scatter"
            trace["mode"] = "markers" if chart.kind == "scatter" else "lines"
        if name in chart.secondary:
            trace["yaxis"] = "y2"
        traces.append(trace)
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": _shape_x(shade.start),
            "x1": _shape_x(shade.end),
            "y0": 0,
            "y1": 1,
            "fillcolor": shade.color,
            "line": {"width": 0},
            "layer": "below",
        }
        for shade in chart.shading
    ]
    if chart.zero_line:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": 0,
                "y1": 0,
                "line": {"color": "#444", "width": 1, "dash": "dot"},
            }
        )
    layout: dict[str, Any] = {
        "title": {"text": chart.title, "font": {"size": 15}},
        "margin": {"l": 60, "r": 60 if chart.secondary else 20, "t": 50, "b": 45},
        "height": 380,
        "legend": {"orientation": "h", "y": -0.15},
        "xaxis": {"title": {"text": chart.x_title}},
        "yaxis": {"title": {"text": chart.y_title}},
        "shapes": shapes,
        "hovermode": "x unified" if chart.kind != "scatter" else "closest",
        "template": "plotly_white",
    }
    if chart.secondary:
        layout["yaxis2"] = {
            "title": {"text": chart.secondary_title},
            "overlaying": "y",
            "side": "right",
        }
    return {"data": traces, "layout": layout}


def _shape_x(value: pd.Timestamp | float) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


def figure(chart: Chart) -> Figure:
    """The chart as a matplotlib figure (the report's PNG and the models' ``plot()``)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=110)
    right = ax.twinx() if chart.secondary else None
    # one colour cycle across both axes (a twin axis would restart it: two blue lines)
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for number, name in enumerate(chart.data.columns):
        target = right if right is not None and name in chart.secondary else ax
        series = chart.data[name]
        colour = palette[number % len(palette)]
        if chart.kind == "bar":
            labels = [_tick_label(v) for v in chart.data.index]
            target.bar(labels, series.to_numpy(), label=name, color=colour)
        elif chart.kind == "scatter":
            target.scatter(chart.data.index, series.to_numpy(), s=8, label=name, color=colour)
        else:
            target.plot(chart.data.index, series.to_numpy(), lw=1.2, label=name, color=colour)
    for shade in chart.shading:
        ax.axvspan(shade.start, shade.end, color="grey", alpha=0.15, lw=0)  # type: ignore[arg-type]
    if chart.zero_line:
        ax.axhline(0.0, color="#444", lw=0.8, ls=":")
    ax.set_title(chart.title, fontsize=11)
    ax.set_ylabel(chart.y_title)
    if right is not None:
        right.set_ylabel(chart.secondary_title)
    handles, labels = ax.get_legend_handles_labels()
    if right is not None:
        more_handles, more_labels = right.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    if handles:
        ax.legend(handles, labels, fontsize=8, loc="best")
    if chart.kind == "bar":
        ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    return fig


def _tick_label(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, tuple):
        return " / ".join(_tick_label(v) for v in value)
    return str(value)


def weekly(frame: pd.DataFrame) -> pd.DataFrame:
    """Friday samples of a daily frame (charts stay light in the browser)."""
    sampled = frame.groupby(pd.DatetimeIndex(frame.index).to_period("W-FRI")).last()
    sampled.index = pd.PeriodIndex(sampled.index).to_timestamp(how="end").normalize()
    sampled.index.name = "date"
    return sampled


# --------------------------------------------------------------------------- labels

_PERIODS_PER_YEAR = {"day": 252, "week": 52, "month": 12}


def window_label(length: int, unit: str) -> str:
    """A rolling window in words: ``252`` days -> ``"1-year"``, ``36`` months ->
    ``"3-year"``, ``100`` days -> ``"100-day"`` (whole years of ``unit`` read as years)."""
    per_year = _PERIODS_PER_YEAR[unit]
    if length % per_year == 0:
        return f"{length // per_year}-year"
    return f"{length}-{unit}"


def years_label(length: int, unit: str) -> str:
    """``36`` months -> ``"3 years"``, ``1`` year -> ``"year"``, ``18`` months -> ``"18
    months"`` (for "over the last ..." phrases)."""
    per_year = _PERIODS_PER_YEAR[unit]
    if length == per_year:
        return "year"
    if length % per_year == 0:
        return f"{length // per_year} years"
    return f"{length} {unit}s"


def portfolio_label(stock_weight: float) -> str:
    """The stock/bond split in percent: ``0.6`` -> ``"60/40"``."""
    stocks = round(100 * stock_weight)
    return f"{stocks}/{100 - stocks}"


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def in_words(length: int, unit: str) -> str:
    """``36`` months -> ``"three years"``, ``5`` years -> ``"five years"``, ``18`` months ->
    ``"18 months"`` (numbers up to ten in words)."""
    per_year = {**_PERIODS_PER_YEAR, "year": 1}[unit]
    count, name = (length // per_year, "year") if length % per_year == 0 else (length, unit)
    number = _WORDS[count] if count < len(_WORDS) else str(count)
    return f"{number} {name}" + ("" if count == 1 else "s")
