"""One definition per chart: a :class:`Chart` (data, labels, units) and its renderings.

The report's interactive chart (:func:`plotly_figure`), its PNG and the models' ``plot()``
(:func:`figure`) are drawn from the same :class:`Chart`, so they cannot disagree. ``data``
holds one column per trace (its index is the x axis); units are the axis titles.

Both renderers take each trace's colour, dash and width from :func:`trace_styles` (one
colour cycle across both axes, so a two-axis chart never draws two blue lines; a line that
coincides with an earlier one is dashed over it, so both show), and hover precision from
:data:`UNIT_FORMATS` (conventions as data: basis points to 1 decimal, percent, percentage
points and correlations to 2, index points to 1, whole numbers as whole numbers).
"""

from __future__ import annotations

import math
import re
import textwrap
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "COUNT_WORDS",
    "MEASURE_WORDS",
    "PALETTE",
    "RANGE_BUTTONS",
    "UNIT_FORMATS",
    "Chart",
    "ChartKind",
    "Interval",
    "Shading",
    "TraceStyle",
    "Unit",
    "coinciding",
    "column_label",
    "column_unit",
    "figure",
    "format_value",
    "hover_format",
    "in_words",
    "plotly_figure",
    "portfolio_label",
    "trace_styles",
    "unit_of",
    "weekly",
    "window_label",
    "years_label",
]

ChartKind = Literal["line", "bar", "scatter"]
Unit = Literal[
    "bp", "pp", "percent", "correlation", "probability", "index", "ratio", "years", "count",
    "number",
]  # fmt: skip

UNIT_FORMATS: Mapping[Unit, tuple[str, str]] = {
    "bp": (",.1f", " bp"),
    "pp": (",.2f", " pp"),
    "percent": (",.2f", "%"),
    "correlation": (".2f", ""),
    "probability": (".2f", ""),
    "index": (",.1f", ""),
    "ratio": (",.2f", ""),
    "years": (",.2f", " years"),
    "count": (",.0f", ""),
    "number": (",.3g", ""),
}
"""Hover format (d3-format) and suffix per unit."""

_UNIT_WORDS: tuple[tuple[str, Unit], ...] = (
    ("basis point", "bp"),
    ("bp", "bp"),
    ("percentage point", "pp"),
    ("correlation", "correlation"),
    ("probability", "probability"),
    ("p-value", "probability"),
    ("percent", "percent"),
    ("%", "percent"),
    ("index", "index"),
    ("ratio", "ratio"),
    ("years", "years"),
)
"""Words of an axis title that name its unit (the earliest in the title wins; at one place,
the first listed), for charts that give none."""

COUNT_WORDS: frozenset[str] = frozenset(
    {"n", "nobs", "obs", "observations", "count", "days", "weeks", "months", "quarters",
     "episodes", "events", "breaks", "replications", "draws", "block", "blocks", "windows"}
)  # fmt: skip
"""Words of a column name that make it a count of things (shown as a whole number)."""

MEASURE_WORDS: frozenset[str] = frozenset(
    {"mean", "average", "median", "share", "eff", "effective", "per", "rate", "ratio"}
)
"""Words that make a column a measured value even beside a count word (``mean_months``)."""

_LABEL_TOKENS: Mapping[str, str] = {
    "corr": "correlation",
    "ci": "interval",
    "pvalue": "p-value",
    "nobs": "observations",
    "obs": "observations",
    "std": "standard",
    "err": "error",
    "se": "standard error",
    "vol": "volatility",
    "rms": "RMS",
    "max": "maximum",
    "d": "change in",
    "pct": "%",
    "bp": "bp",
    "rsquared": "R-squared",
    "dof": "degrees of freedom",
}
"""Abbreviations of machine column names and their words (:func:`column_label`)."""

_NAME_LABELS: Mapping[str, str] = {
    "per_bp": "response per bp",
    "block_length": "block length (windows)",
}
"""Whole machine names whose words alone would mislead (``per (bp)``)."""

_UNIT_TOKENS = frozenset({"%", "bp"})

PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
"""Trace colours, in order, shared by both renderers (matplotlib's ``tab10``)."""

RANGE_BUTTONS: tuple[dict[str, Any], ...] = (
    {"count": 1, "label": "1y", "step": "year", "stepmode": "backward"},
    {"count": 5, "label": "5y", "step": "year", "stepmode": "backward"},
    {"count": 10, "label": "10y", "step": "year", "stepmode": "backward"},
    {"label": "all", "step": "all"},
)
"""The date-range selector of every time-series chart (plotly ``rangeselector`` buttons)."""

COINCIDE_TOLERANCE = 0.02
"""Two lines coincide when their median gap is below this share of the earlier line's range."""


@dataclass(frozen=True)
class Shading:
    """A shaded x-range on a chart (an era, a recession, a regime).

    A label used by one band is written on the band (eras); a label shared by several
    bands (recessions, divergences) gets one legend entry instead.
    """

    start: pd.Timestamp | float
    end: pd.Timestamp | float
    label: str = ""
    color: str = "rgba(120,120,120,0.15)"


@dataclass(frozen=True)
class Interval:
    """An interval drawn around a trace: a filled band on a line chart, error bars on bars.

    ``low`` and ``high`` name columns of the chart's data (kept in its CSV, not drawn as
    lines); ``label`` names the band in the legend (e.g. ``"90% band"``).
    """

    of: str
    low: str
    high: str
    label: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart and the data behind it.

    ``data`` holds one column per trace; its index is the x axis. Columns named in
    ``secondary`` are drawn against a right-hand axis. ``unit`` (and ``secondary_unit``,
    ``x_unit``) set the hover precision (:data:`UNIT_FORMATS`); left ``None`` they are read
    from the axis titles (:func:`unit_of`). ``intervals`` draw bands or error bars from
    columns of ``data``.
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
    unit: Unit | None = None
    secondary_unit: Unit | None = None
    x_unit: Unit | None = None
    intervals: tuple[Interval, ...] = ()

    @property
    def traces(self) -> list[str]:
        """The columns drawn as traces (interval bounds are drawn with their trace)."""
        bounds = {name for band in self.intervals for name in (band.low, band.high)}
        return [str(c) for c in self.data.columns if c not in bounds]

    @property
    def time_series(self) -> bool:
        """Whether the x axis is dates (then the chart gets a date-range selector)."""
        return isinstance(self.data.index, pd.DatetimeIndex) and self.kind != "bar"


@dataclass(frozen=True)
class TraceStyle:
    """How one trace is drawn, the same in both renderers."""

    color: str
    dash: Literal["solid", "dash", "dot"] = "solid"
    width: float = 1.6
    secondary: bool = False


def unit_of(title: str) -> Unit:
    """The unit an axis title names first (``"percent per 10 bp"`` -> ``"percent"``: what
    follows "per" is the denominator); ``"number"`` if it names none."""
    lowered = title.lower()
    found = [(lowered.find(word), k, unit) for k, (word, unit) in enumerate(_UNIT_WORDS)]
    named = sorted((at, k, unit) for at, k, unit in found if at >= 0)
    return named[0][2] if named else "number"


def _name_words(name: object) -> list[str]:
    parts = name if isinstance(name, tuple) else (name,)
    return [w for part in parts for w in re.split(r"[^a-z0-9%]+", str(part).lower()) if w]


def column_unit(name: object) -> Unit:
    """The unit of a table column, from its name: ``"count"`` when a word of the name counts
    things (:data:`COUNT_WORDS`: ``n_low``, ``months``, ``observations``) and none measures
    (:data:`MEASURE_WORDS`), else the unit its words name (:func:`unit_of`)."""
    words = set(_name_words(name))
    if words & COUNT_WORDS and not words & MEASURE_WORDS:
        return "count"
    # whole words, so "duration" does not read as a ratio
    words = {_LABEL_TOKENS.get(word, word) for word in words}
    return next((unit for word, unit in _UNIT_WORDS if word in words), "number")


def format_value(value: float, unit: Unit, decimals: int) -> str:
    """A number as tables show it: a count as a whole number (``761``), a measured value
    with ``decimals`` decimals (``0.433``), thousands separated; a probability that rounds
    to zero as ``<0.001`` (a p-value is never exactly zero)."""
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "probability" and 0.0 <= value < 0.5 * 10.0**-decimals:
        return f"<{10.0**-decimals:.{decimals}f}"
    return f"{value:,.{decimals}f}"


def column_label(name: object) -> str:
    """A column's machine name in words with its unit: ``annual_return_pct`` ->
    ``"annual return (%)"``, ``corr_low_ci_high`` -> ``"correlation low, interval high"``,
    ``("1d", "move")`` -> ``"1d move"``; names already in words and identifiers with a dot
    (series ids such as ``fx.usd_broad``) are kept."""
    text = " ".join(map(str, name)) if isinstance(name, tuple) else str(name)
    if "_" not in text or not re.fullmatch(r"[\w %]+", text):
        # a name in words, or an identifier such as a series id ("fx.usd_broad")
        return _LABEL_TOKENS.get(text, text) if len(text) > 2 else text
    if text in _NAME_LABELS:
        return _NAME_LABELS[text]
    words: list[str] = []
    for word in text.replace("_", " ").split(" "):
        words.append(_LABEL_TOKENS.get(word, word))
    units = [w for w in words if w in _UNIT_TOKENS]
    label = " ".join(w for w in words if w not in _UNIT_TOKENS)
    label = re.sub(r" (interval|standard error)", r", \1", label).lstrip(", ")
    return f"{label} ({', '.join(units)})" if units else label


def hover_format(values: pd.Series, unit: Unit) -> tuple[str, str]:
    """The d3 format and suffix of a trace's hover value: by unit, whole numbers as such."""
    finite = values.to_numpy(dtype="float64", na_value=np.nan)
    finite = finite[np.isfinite(finite)]
    spec, suffix = UNIT_FORMATS[unit]
    if (
        len(finite)
        and unit not in ("correlation", "probability")
        and np.all(finite == np.round(finite))
    ):
        return ",.0f", suffix
    return spec, suffix


def coinciding(data: pd.DataFrame, tolerance: float = COINCIDE_TOLERANCE) -> dict[str, str]:
    """Columns whose line lies on an earlier column's, mapped to that column.

    Two lines coincide when, over their common points, the median absolute gap is below
    ``tolerance`` times the earlier line's range: drawn plainly the later line would hide
    the earlier one (its legend entry would point at nothing).
    """
    found: dict[str, str] = {}
    columns = [str(c) for c in data.columns]
    values = data.to_numpy(dtype="float64", na_value=np.nan)  # one conversion, not per pair
    present = ~np.isnan(values)
    for k, later in enumerate(columns):
        for j, earlier in enumerate(columns[:k]):
            both = present[:, j] & present[:, k]
            if np.count_nonzero(both) < 2 or earlier in found:
                continue
            first, second = values[both, j], values[both, k]
            span = float(first.max() - first.min())
            gap = float(np.median(np.abs(second - first)))
            if span > 0 and gap < tolerance * span:
                found[later] = earlier
                break
    return found


def trace_styles(chart: Chart) -> dict[str, TraceStyle]:
    """Colour, dash and width of each trace: one colour cycle across both axes (dotted once
    the colours repeat); a line that coincides with an earlier one is dashed and thinner, the
    earlier one wider, so both show."""
    names = chart.traces
    over = coinciding(chart.data[names]) if chart.kind == "line" else {}
    under = set(over.values())
    return {
        name: TraceStyle(
            PALETTE[k % len(PALETTE)],
            "dash" if name in over else ("dot" if k >= len(PALETTE) else "solid"),
            1.4 if name in over else (3.0 if name in under else 1.6),
            name in chart.secondary,
        )
        for k, name in enumerate(names)
    }


def _axis_values(index: pd.Index) -> list[Any]:
    if isinstance(index, pd.DatetimeIndex):
        return [d.strftime("%Y-%m-%d") for d in index]
    return [v.item() if hasattr(v, "item") else v for v in index]


def _trace_values(column: pd.Series) -> list[float | None]:
    values = column.to_numpy(dtype="float64", na_value=np.nan)
    return [None if not math.isfinite(v) else round(float(v), 6) for v in values]


def _units(chart: Chart) -> tuple[Unit, Unit, Unit]:
    """Units of the left axis, the right axis and the x axis."""
    return (
        chart.unit or unit_of(chart.y_title),
        chart.secondary_unit or unit_of(chart.secondary_title),
        chart.x_unit or unit_of(chart.x_title),
    )


def _hover_template(chart: Chart, name: str, label: str) -> str:
    left, right, _ = _units(chart)
    spec, suffix = hover_format(chart.data[name], right if name in chart.secondary else left)
    x = "%{x}: " if chart.kind == "scatter" else ""
    return f"{x}%{{y:{spec}}}{suffix}<extra>{label}</extra>"


def _plotly_traces(chart: Chart, x: list[Any]) -> list[dict[str, Any]]:
    styles = trace_styles(chart)
    bands = {band.of: band for band in chart.intervals}
    traces: list[dict[str, Any]] = []
    for name in chart.traces:
        style = styles[name]
        trace: dict[str, Any] = {"name": name, "x": x, "y": _trace_values(chart.data[name])}
        if chart.kind == "bar":
            trace.update(type="bar", marker={"color": style.color})
        else:
            mode = "markers" if chart.kind == "scatter" else "lines"
            trace.update(type="scatter", mode=mode, marker={"color": style.color, "size": 5})
            if mode == "lines":
                trace["line"] = {"color": style.color, "dash": style.dash, "width": style.width}
        trace["hovertemplate"] = _hover_template(chart, name, name)
        if style.secondary:
            trace.update(yaxis="y2", legend="legend2")
        band = bands.get(name)
        if band is not None and chart.kind == "bar":
            low, high = chart.data[band.low], chart.data[band.high]
            trace["error_y"] = {
                "type": "data",
                "symmetric": False,
                "array": _trace_values(high - chart.data[name]),
                "arrayminus": _trace_values(chart.data[name] - low),
                "color": "#333",
            }
        elif band is not None:
            traces += _plotly_band(chart, band, x, style)
        traces.append(trace)
    return traces


def _plotly_band(chart: Chart, band: Interval, x: list[Any], style: TraceStyle) -> list[Any]:
    """A filled band: the low edge, then the high edge filled down to it."""
    label = band.label or f"{band.of}, interval"
    edge: dict[str, Any] = {"type": "scatter", "mode": "lines", "x": x, "line": {"width": 0}}
    if style.secondary:
        edge["yaxis"] = "y2"
    return [
        {
            **edge,
            "name": f"{label} (low)",
            "y": _trace_values(chart.data[band.low]),
            "showlegend": False,
            "legendgroup": label,
            "hovertemplate": _hover_template(chart, band.low, f"{label} (low)"),
        },
        {
            **edge,
            "name": label,
            "y": _trace_values(chart.data[band.high]),
            "fill": "tonexty",
            "fillcolor": _rgba(style.color, 0.18),
            "legendgroup": label,
            "hovertemplate": _hover_template(chart, band.high, f"{label} (high)"),
        },
    ]


def _rgba(color: str, alpha: float) -> str:
    red, green, blue, _ = _colour_tuple(color)
    return f"rgba({round(red * 255)},{round(green * 255)},{round(blue * 255)},{alpha})"


def _colour_tuple(color: str) -> tuple[float, float, float, float]:
    """``"#1f77b4"`` or ``"rgba(31,119,180,0.1)"`` as matplotlib's (r, g, b, a) in 0..1."""
    match = re.fullmatch(r"rgba?\(([^)]*)\)", color.replace(" ", ""))
    if match is None:
        from matplotlib.colors import to_rgba

        return to_rgba(color)
    parts = [float(p) for p in match.group(1).split(",")]
    alpha = parts[3] if len(parts) == 4 else 1.0
    return (parts[0] / 255.0, parts[1] / 255.0, parts[2] / 255.0, alpha)


def _shading_layout(chart: Chart) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shapes and annotations of the shaded bands: a label used once is written on its band
    (eras), a shared label gets one legend entry (recessions)."""
    uses = Counter(shade.label for shade in chart.shading)
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    shown: set[str] = set()
    for shade in chart.shading:
        shape: dict[str, Any] = {
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
            "name": shade.label,
        }
        if shade.label and uses[shade.label] > 1 and shade.label not in shown:
            shape.update(showlegend=True, legendgroup=shade.label)
            shown.add(shade.label)
        shapes.append(shape)
        if shade.label and uses[shade.label] == 1:
            notes.append(
                {
                    "x": _shape_x(_middle(shade.start, shade.end)),
                    "xref": "x",
                    "y": 1.0,
                    "yref": "paper",
                    "yanchor": "top",
                    "text": shade.label,
                    "showarrow": False,
                    "font": {"size": 10, "color": "#444"},
                }
            )
    return shapes, notes


def _middle(start: pd.Timestamp | float, end: pd.Timestamp | float) -> pd.Timestamp | float:
    if isinstance(start, pd.Timestamp) and isinstance(end, pd.Timestamp):
        return (start + (end - start) / 2).normalize()
    return (float(start) + float(end)) / 2.0


def _axis_legend(side: Literal["left", "right"], title: str | None) -> dict[str, Any]:
    """A horizontal legend under a two-axis chart, at its axis' side, titled by the axis."""
    return {
        "orientation": "h",
        "x": 0 if side == "left" else 1,
        "y": -0.15,
        "xanchor": side,
        "title": {"text": f"{side} axis ({title}):"},
    }


def _axes_layout(chart: Chart, styles: Mapping[str, TraceStyle]) -> dict[str, Any]:
    left, right, x_unit = _units(chart)
    xaxis: dict[str, Any] = {"title": {"text": chart.x_title}}
    if chart.time_series:
        xaxis.update(
            type="date",
            hoverformat="%Y-%m-%d",
            rangeselector={"buttons": list(RANGE_BUTTONS), "x": 0, "y": 1.02},
        )
    elif chart.kind == "scatter":
        xaxis["hoverformat"] = UNIT_FORMATS[x_unit][0]
    yaxis: dict[str, Any] = {
        "title": {"text": chart.y_title},
        "hoverformat": UNIT_FORMATS[left][0],
    }
    layout: dict[str, Any] = {"xaxis": xaxis, "yaxis": yaxis}
    if chart.secondary:
        left_colour = next((s.color for s in styles.values() if not s.secondary), PALETTE[0])
        right_colour = next((s.color for s in styles.values() if s.secondary), PALETTE[1])
        yaxis["title"]["font"] = {"color": left_colour}
        yaxis["tickfont"] = {"color": left_colour}
        layout["yaxis2"] = {
            "title": {"text": chart.secondary_title, "font": {"color": right_colour}},
            "tickfont": {"color": right_colour},
            "hoverformat": UNIT_FORMATS[right][0],
            "tickmode": "auto",  # its own round ticks, not the left axis' grid
            "showgrid": False,
            "overlaying": "y",
            "side": "right",
        }
        # one legend per axis, each titled with its axis
        layout["legend"] = _axis_legend("left", chart.y_title)
        layout["legend2"] = _axis_legend("right", chart.secondary_title)
    else:
        layout["legend"] = {"orientation": "h", "y": -0.15}
    return layout


def plotly_figure(chart: Chart) -> dict[str, Any]:
    """The plotly ``{data, layout}`` of a chart, as plain JSON-ready lists."""
    x = _axis_values(chart.data.index)
    shapes, annotations = _shading_layout(chart)
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
        "margin": {
            "l": 60,
            "r": 60 if chart.secondary else 20,
            "t": 80 if chart.time_series else 60,
            "b": 45,
        },
        "height": 400 if chart.time_series else 380,
        "shapes": shapes,
        "annotations": annotations,
        "hovermode": "x unified" if chart.kind != "scatter" else "closest",
        "template": "plotly_white",
        **_axes_layout(chart, trace_styles(chart)),
    }
    return {"data": _plotly_traces(chart, x), "layout": layout}


def _shape_x(value: pd.Timestamp | float) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


def figure(chart: Chart) -> Figure:
    """The chart as a matplotlib figure (the report's PNG and the models' ``plot()``)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=110)
    right = ax.twinx() if chart.secondary else None
    styles = trace_styles(chart)
    if chart.kind == "bar":
        _draw_bars(ax, chart, styles)
    else:
        for name in chart.traces:
            target = right if right is not None and styles[name].secondary else ax
            _draw_trace(target, chart, name, styles[name])
    _draw_shading(ax, chart.shading)
    if chart.zero_line:
        ax.axhline(0.0, color="#444", lw=0.8, ls=":")
    ax.set_title(textwrap.fill(chart.title, 95), fontsize=11)  # long titles wrap, not clip
    ax.set_ylabel(chart.y_title)
    if chart.x_title:
        ax.set_xlabel(chart.x_title)
    _legends(ax, right, chart, styles)
    fig.tight_layout()
    return fig


def _draw_trace(target: Axes, chart: Chart, name: str, style: TraceStyle) -> None:
    series = chart.data[name]
    dash = {"solid": "-", "dash": "--", "dot": ":"}[style.dash]
    if chart.kind == "scatter":
        target.scatter(chart.data.index, series.to_numpy(), s=8, label=name, color=style.color)
    else:
        target.plot(
            chart.data.index,
            series.to_numpy(),
            lw=style.width,
            ls=dash,
            label=name,
            color=style.color,
            zorder=3 if style.dash == "dash" else 2,
        )
    for band in chart.intervals:
        if band.of == name:
            target.fill_between(
                chart.data.index,
                chart.data[band.low].to_numpy(dtype="float64"),
                chart.data[band.high].to_numpy(dtype="float64"),
                color=style.color,
                alpha=0.18,
                lw=0,
                label=band.label or f"{name}, interval",
            )


def _draw_bars(ax: Axes, chart: Chart, styles: Mapping[str, TraceStyle]) -> None:
    """Grouped bars (one group per x value), error bars from the chart's intervals."""
    names = chart.traces
    positions = np.arange(len(chart.data.index), dtype="float64")
    width = 0.8 / max(len(names), 1)
    bands = {band.of: band for band in chart.intervals}
    for k, name in enumerate(names):
        values = chart.data[name].to_numpy(dtype="float64")
        where = positions - 0.4 + width * (k + 0.5)
        ax.bar(where, values, width=width, label=name, color=styles[name].color)
        band = bands.get(name)
        if band is not None:
            low = chart.data[band.low].to_numpy(dtype="float64")
            high = chart.data[band.high].to_numpy(dtype="float64")
            ax.errorbar(
                where,
                values,
                yerr=[values - low, high - values],
                fmt="none",
                ecolor="#333",
                capsize=4,
                lw=1,
            )
    ax.set_xticks(positions, [_tick_label(v) for v in chart.data.index])
    ax.tick_params(axis="x", labelrotation=0 if len(positions) <= 4 else 30)


def _draw_shading(ax: Axes, shading: tuple[Shading, ...]) -> None:
    """Bands in their own colours; a label used once is written on its band, a shared label
    enters the legend once."""
    from matplotlib.transforms import blended_transform_factory

    uses = Counter(shade.label for shade in shading)
    shown: set[str] = set()
    on_band = blended_transform_factory(ax.transData, ax.transAxes)
    for shade in shading:
        legend = shade.label if uses[shade.label] > 1 and shade.label not in shown else None
        shown.add(shade.label)
        ax.axvspan(
            shade.start,  # type: ignore[arg-type]
            shade.end,  # type: ignore[arg-type]
            color=_colour_tuple(shade.color),
            lw=0,
            label=legend or "_nolegend_",
            zorder=0,
        )
        if shade.label and uses[shade.label] == 1:
            ax.text(
                _middle(shade.start, shade.end),  # type: ignore[arg-type]
                0.98,
                shade.label,
                transform=on_band,
                ha="center",
                va="top",
                fontsize=8,
                color="#444",
            )


def _legends(ax: Axes, right: Axes | None, chart: Chart, styles: Mapping[str, TraceStyle]) -> None:
    """One legend, or on a two-axis chart one per axis with its axis label in its colour."""
    handles, labels = ax.get_legend_handles_labels()
    if right is None:
        if handles:
            ax.legend(handles, labels, fontsize=8, loc="best")
        return
    left_colour = next((s.color for s in styles.values() if not s.secondary), PALETTE[0])
    right_colour = next((s.color for s in styles.values() if s.secondary), PALETTE[1])
    right.set_ylabel(chart.secondary_title, color=right_colour)
    right.tick_params(axis="y", colors=right_colour)
    ax.yaxis.label.set_color(left_colour)
    ax.tick_params(axis="y", colors=left_colour)
    ax.legend(handles, labels, fontsize=8, loc="upper left", title="left axis", title_fontsize=8)
    right.legend(fontsize=8, loc="upper right", title="right axis", title_fontsize=8)


def _tick_label(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, tuple):
        return " / ".join(_tick_label(v) for v in value)
    return str(value)


_Sampled = TypeVar("_Sampled", pd.Series, pd.DataFrame)


def weekly(frame: _Sampled) -> _Sampled:
    """The last quote of each week ending Friday, dated by that Friday.

    A week still open at the last observation is dated by that observation, never by a
    later Friday, so a sample ending on a Tuesday does not claim data through the Friday
    after it. Used for weekly (synchronous) changes and to keep charts light.
    """
    if len(frame) == 0:
        return frame
    index = pd.DatetimeIndex(frame.index)
    sampled = frame.groupby(index.to_period("W-FRI")).last()
    fridays = pd.PeriodIndex(sampled.index).to_timestamp(how="end").normalize()
    last = index.max()
    sampled.index = fridays.where(fridays <= last, last)
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
