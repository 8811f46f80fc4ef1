"""The report document: findings, charts, tables and sections, and their rendering.

A :class:`ReportDocument` is plain data. :meth:`ReportDocument.write` renders it into an
output folder:

- ``index.html``: one self-contained page; plotly's JavaScript is inlined, so the page
  opens with no network;
- ``findings.json``: every headline number with its definition, window, unit and as-of date;
- ``data/<chart>.csv`` (and ``data/<table>.csv``): the numbers behind each chart and table;
- ``figures/<chart>.png``: static matplotlib renderings for slides.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ustpull.charts import (
    Chart,
    ChartKind,
    Shading,
    Unit,
    column_label,
    column_unit,
    figure,
    format_value,
    plotly_figure,
)
from ustpull.store.freshness import FREQUENCY_CADENCES, Cadence

__all__ = [
    "Chart",
    "ChartKind",
    "Finding",
    "ReportDocument",
    "Section",
    "Shading",
    "Table",
    "chart_spec",
    "render_html",
]

chart_spec = plotly_figure
"""The plotly ``{data, layout}`` of a chart (:func:`ustpull.charts.plotly_figure`)."""


#: ``ci_note`` of a finding whose section has not (yet) attached an interval to it.
NO_INTERVAL = "no interval computed for this number"


@dataclass(frozen=True)
class Finding:
    """One headline number.

    Attributes
    ----------
    key
        Stable machine name, e.g. ``stocks.corr_mean_2020_latest``.
    label
        Short human label.
    value
        The number (``None`` when it could not be computed; ``reason`` then says why).
    unit
        ``percent``, ``bp``, ``correlation``, ``ratio``, ``index points`` ...
    definition
        What exactly was computed.
    window
        The sample, e.g. ``2020-01-02 .. 2025-10-03``.
    as_of
        The last data date the number uses (ISO date).
    decimals
        Display precision in the HTML.
    ci
        The 95 % interval ``(low, high)`` of the number, or ``None`` where none applies;
        ``ci_method`` names how it was computed, ``ci_note`` why there is none.
    """

    key: str
    label: str
    value: float | None
    unit: str
    definition: str
    window: str
    as_of: str
    decimals: int = 2
    reason: str = ""
    sources: tuple[str, ...] = ()
    ci: tuple[float, float] | None = None
    ci_method: str = ""
    ci_note: str = NO_INTERVAL

    def formatted(self) -> str:
        """The value as shown in the report (and checked against findings.json)."""
        if self.value is None or not math.isfinite(self.value):
            return "n/a"
        return f"{self.value:,.{self.decimals}f}"

    def to_dict(self) -> dict[str, Any]:
        value = None if self.value is None or not math.isfinite(self.value) else self.value
        return {
            "key": self.key,
            "label": self.label,
            "value": value,
            "display": self.formatted(),
            "unit": self.unit,
            "definition": self.definition,
            "window": self.window,
            "as_of": self.as_of,
            "data_through": self.as_of,
            "ci": None if self.ci is None else [float(self.ci[0]), float(self.ci[1])],
            "ci_method": self.ci_method or None,
            # with an interval, a note is kept only where it says what the interval is of
            **({"ci_note": self.ci_note} if self.ci is None or self.ci_note != NO_INTERVAL else {}),
            **({"reason": self.reason} if self.reason else {}),
            **({"sources": list(self.sources)} if self.sources else {}),
        }


@dataclass(frozen=True)
class Table:
    """A table shown in the report and written as CSV.

    The CSV keeps the frame's column names; the page shows them in words
    (:func:`ustpull.charts.column_label`). Counts (observations, days, months, breaks,
    replications: :func:`ustpull.charts.column_unit`, or ``units`` where a column's name
    does not say) are shown as whole numbers, measured values with ``decimals`` decimals.
    """

    table_id: str
    title: str
    frame: pd.DataFrame
    note: str = ""
    decimals: int = 3
    units: Mapping[str, Unit] = field(default_factory=dict)

    def column_units(self) -> list[Unit]:
        """The unit of each column: as given in ``units``, else read from its name."""
        return [self.units.get(str(c)) or column_unit(c) for c in self.frame.columns]


@dataclass
class Section:
    """A report section: prose computed from the numbers, charts, tables, and gaps."""

    section_id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    downloads: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Extra CSVs (``data/<name>.csv``) linked from the section but not drawn as tables."""
    tables_first: bool = False
    """Show the tables before the charts (the dashboard)."""
    data_through: str = ""
    """The date the section's data run through, when its charts and findings cannot tell
    (default: the latest date of its charts and findings, :func:`section_through`)."""


@dataclass
class ReportDocument:
    """Everything the report shows; rendering lives in :meth:`write`."""

    title: str
    as_of: str
    summary: list[str]
    sections: list[Section]
    findings: list[Finding]
    methodology: list[str] = field(default_factory=list)
    sources: pd.DataFrame | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)
    generated: str = field(default_factory=lambda: date.today().isoformat())
    provenance: pd.DataFrame | None = None
    #: per study, the date its required input series all run through (not its results'
    #: date: each finding, chart and section carries that)
    inputs_through: Mapping[str, str] = field(default_factory=dict)

    def finding(self, key: str) -> Finding:
        """The finding with this key (KeyError naming it otherwise)."""
        for item in self.findings:
            if item.key == key:
                return item
        raise KeyError(f"no finding {key!r}")

    def plain_text(self, text: str) -> str:
        """``text`` with every ``{finding.key}`` placeholder replaced by its displayed value."""
        for item in self.findings:
            text = text.replace("{" + item.key + "}", item.formatted())
        return text

    def charts(self) -> list[Chart]:
        """All charts in section order."""
        return [chart for section in self.sections for chart in section.charts]

    def write(self, out_dir: Path | str, *, png: bool = True) -> dict[str, Path]:
        """Render into ``out_dir``; return the paths written by kind."""
        out = Path(out_dir)
        (out / "data").mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        for chart in self.charts():
            path = out / chart_csv(chart)
            chart.data.to_csv(path, index_label=str(chart.data.index.name or "x"))
        chart_ids = {chart.chart_id for chart in self.charts()}
        for section in self.sections:
            for table in section.tables:
                table.frame.to_csv(out / table_csv(table, chart_ids))
            for name, frame in section.downloads.items():
                frame.to_csv(out / "data" / f"{name}.csv", index=False)
        if self.sources is not None:
            self.sources.to_csv(out / "data" / "sources.csv", index=False)
        if self.provenance is not None:
            self.provenance.to_csv(out / "data" / "provenance.csv", index=False)
        findings_path = out / "findings.json"
        findings_path.write_text(
            json.dumps(self.findings_payload(), indent=2, allow_nan=False), encoding="utf-8"
        )
        written["findings"] = findings_path
        if png:
            written["figures"] = _write_pngs(self.charts(), out / "figures")
        html_path = out / "index.html"
        html_path.write_text(render_html(self), encoding="utf-8")
        written["html"] = html_path
        written["data"] = out / "data"
        return written

    def findings_payload(self) -> dict[str, Any]:
        """The findings.json document."""
        return {
            "title": self.title,
            "as_of": self.as_of,
            "generated": self.generated,
            "summary": [self.plain_text(sentence) for sentence in self.summary],
            "gaps": self.gaps,
            "settings": _jsonable(self.settings),
            "findings": {item.key: item.to_dict() for item in self.findings},
            "inputs_through": dict(self.inputs_through),
            "data_through_range": list(data_through_range(self)),
            "sections_data_through": sections_data_through(self),
            "provenance": []
            if self.provenance is None
            else _jsonable(self.provenance.to_dict("records")),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (pd.Timestamp, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


# --------------------------------------------------------------------------- dates


def chart_csv(chart: Chart) -> str:
    """The chart's CSV, relative to the report folder (linked from the page)."""
    return f"data/{chart.chart_id}.csv"


def table_csv(table: Table, chart_ids: set[str] | frozenset[str] = frozenset()) -> str:
    """The table's CSV; a table named like a chart gets ``_table`` so neither overwrites the
    other (the rolling linkage, co-movement and spillover charts share their tables' ids)."""
    stem = f"{table.table_id}_table" if table.table_id in chart_ids else table.table_id
    return f"data/{stem}.csv"


def _as_date(value: Any) -> pd.Timestamp | None:
    if isinstance(value, (pd.Timestamp, date)):
        return pd.Timestamp(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return pd.Timestamp(value)
        except ValueError:
            return None
    return None


def column_through(chart: Chart) -> dict[str, str]:
    """Per column of a date-indexed chart: the last date with a value."""
    index = chart.data.index
    if not isinstance(index, pd.DatetimeIndex):
        return {}
    ends = {}
    for name in chart.data.columns:
        valid = index[chart.data[name].notna().to_numpy()]
        if len(valid):
            ends[str(name)] = f"{valid[-1]:%Y-%m-%d}"
    return ends


def chart_through(chart: Chart) -> str | None:
    """The date a chart's data run through: the last date on which any of its series has a
    value; for a chart without a date axis, the latest date among its labels (``None``
    when it carries none)."""
    ends = column_through(chart)
    if ends:
        return max(ends.values())
    labels = [*chart.data.index, *chart.data.columns]
    found = [d for d in map(_as_date, labels) if d is not None]
    return f"{max(found):%Y-%m-%d}" if found else None


def chart_cadence(chart: Chart) -> Cadence | None:
    """The release cadence of a date-indexed chart's data, from the spacing of its dates."""
    if not isinstance(chart.data.index, pd.DatetimeIndex):
        return None
    dates = chart.data.index[chart.data.notna().any(axis=1)]
    if len(dates) < 2:
        return None
    days = float(np.median(np.diff(dates.to_numpy().astype("datetime64[D]")).astype(float)))
    name = next(name for limit, name in _SPACING if days <= limit)
    return FREQUENCY_CADENCES[name]


#: median spacing of a chart's dates (days, at most) -> its frequency
_SPACING = ((4.0, "daily"), (10.0, "weekly"), (45.0, "monthly"), (130.0, "quarterly"),
            (math.inf, "annual"))  # fmt: skip


def _section_findings(section: Section, document: ReportDocument) -> list[Finding]:
    text = " ".join(section.paragraphs)
    return [item for item in document.findings if "{" + item.key + "}" in text]


def section_through(section: Section, document: ReportDocument) -> str | None:
    """The date a section's data run through: ``section.data_through`` if set, else the
    latest data-through of its charts and of the findings its prose states."""
    if section.data_through:
        return section.data_through
    dates = [chart_through(chart) for chart in section.charts]
    dates += [item.as_of for item in _section_findings(section, document)]
    known = [d for d in dates if d]
    return max(known) if known else None


def sections_data_through(document: ReportDocument) -> dict[str, str]:
    """Per section (by id): the date its data run through."""
    through = {s.section_id: section_through(s, document) for s in document.sections}
    return {name: day for name, day in through.items() if day}


def data_through_range(document: ReportDocument) -> tuple[str, str] | tuple[()]:
    """``(earliest, latest)`` data-through of the sections and of every chart (the header's
    range): a chart that ends years before its section's newest data widens it."""
    dates = list(sections_data_through(document).values())
    dates += [d for d in map(chart_through, document.charts()) if d]
    return (min(dates), max(dates)) if dates else ()


def _stale(through: str | None, cadence: Cadence | None, latest: str | None) -> bool:
    """Data that end more than their cadence allows before the report's latest data."""
    if not through or not latest:
        return False
    allowed = (cadence or FREQUENCY_CADENCES["monthly"]).max_age_days
    return (pd.Timestamp(latest) - pd.Timestamp(through)).days > allowed


# --------------------------------------------------------------------------- plotly


# --------------------------------------------------------------------------- html

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1d2330;
background:#f6f7f9;line-height:1.45}
header{background:#0b2545;color:#fff;padding:22px 32px}
header h1{margin:0 0 4px;font-size:26px}
header p{margin:0;opacity:.85}
nav{background:#13315c;padding:8px 32px}
nav a{color:#dfe7f2;margin-right:18px;text-decoration:none;font-size:14px}
main{max-width:1180px;margin:0 auto;padding:18px 28px 60px}
section{background:#fff;border-radius:8px;padding:18px 24px;margin:18px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{margin-top:0;color:#0b2545}
.chart{width:100%;min-height:380px;margin:12px 0}
table{border-collapse:collapse;margin:10px 0;font-size:13px}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}
thead th{background:#eef1f5}
.note{color:#5b6473;font-size:13px}
.gap{color:#9a3412;background:#fff7ed;border-left:3px solid #f97316;padding:6px 10px}
.finding{font-weight:600;color:#0b2545}
.asof,.chart-meta,.download,p.through{color:#5b6473;font-size:12px}
header p.through{color:#dfe7f2}
ul.summary li{margin:6px 0}
div.scroll{max-height:420px;overflow:auto;border:1px solid #e3e6ea}
div.scroll thead th{position:sticky;top:0}
"""


def _table_html(table: Table, *, scroll: bool = False) -> str:
    """The table with headers in words; ``scroll``: in a box of limited height (long
    listings such as the data sources)."""
    frame = table.frame
    head = "".join(f"<th>{html.escape(column_label(c))}</th>" for c in frame.columns)
    named = frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)
    index_name = html.escape(column_label(frame.index.name or ""))
    units = table.column_units()
    digits = [_column_decimals(frame.iloc[:, k], u, table.decimals) for k, u in enumerate(units)]
    rows = []
    for label, row in frame.iterrows():
        cells = "".join(
            f"<td>{_cell(v, places, unit)}</td>"
            for v, unit, places in zip(row.to_numpy(), units, digits, strict=True)
        )
        first = f"<td>{html.escape(_row_label(label))}</td>" if named else ""
        rows.append(f"<tr>{first}{cells}</tr>")
    note = f'<p class="note">{html.escape(table.note)}</p>' if table.note else ""
    body = (
        f'<table id="table-{table.table_id}">'
        f"<thead><tr>{f'<th>{index_name}</th>' if named else ''}{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    if scroll:
        body = f'<div class="scroll">{body}</div>'
    return f"<h3>{html.escape(table.title)}</h3>{body}{note}"


def _column_decimals(column: pd.Series, unit: Unit, decimals: int) -> int:
    """``decimals``, or none for a measured column whose values are all whole (moves of a
    yield quoted to the basis point: ``79``, not ``79.0``), as the charts' hover values."""
    if column.dtype.kind != "f" or unit in ("correlation", "probability"):
        return decimals
    values = column.to_numpy(dtype="float64")
    values = values[np.isfinite(values)]
    # differences of quotes carry float noise (79.00000000000001): whole to 1e-9
    close = np.abs(values - np.round(values)) < 1e-9 * np.maximum(1.0, np.abs(values))
    whole = len(values) > 1 and bool(np.all(close)) and bool(np.round(values).any())
    return 0 if whole else decimals


def _label(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, tuple):
        return " / ".join(_label(v) for v in value)
    return str(value)


def _row_label(value: Any) -> str:
    """A row's label; machine names in words (``d_expected_rate`` -> ``change in expected
    rate``), dates and series ids as they are."""
    if isinstance(value, tuple):
        return " / ".join(_row_label(v) for v in value)
    return column_label(value) if isinstance(value, str) else _label(value)


def _cell(value: Any, decimals: int, unit: Unit = "number") -> str:
    """A table cell: a count as a whole number, a measured value with ``decimals``."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return (
            "" if not math.isfinite(number) else html.escape(format_value(number, unit, decimals))
        )
    return html.escape(_label(value))


def render_html(document: ReportDocument) -> str:
    """The self-contained HTML page (plotly.js inlined, no external requests)."""
    from plotly.offline import get_plotlyjs

    specs: dict[str, Any] = {}
    nav = ['<a href="#summary">Summary</a>']
    nav += [
        f'<a href="#{s.section_id}">{html.escape(s.title.split(":")[0])}</a>'
        for s in document.sections
    ]
    nav += ['<a href="#methodology">Methodology</a>', '<a href="#sources">Data</a>']
    summary_items = "".join(f"<li>{_statement(s, document)}</li>" for s in document.summary)
    gaps = "".join(f'<p class="gap">{html.escape(g)}</p>' for g in document.gaps)
    parts = [
        f'<section id="summary"><h2>Executive summary</h2>{gaps}'
        f'<ul class="summary">{summary_items}</ul></section>'
    ]
    parts += [_section_html(section, document, specs) for section in document.sections]
    parts.append(_methodology_html(document))
    if document.sources is not None:
        sources = Table("sources", "Data sources, as-of dates and vintages", document.sources)
        recipe = ""
        if document.provenance is not None:
            used = Table("provenance", "Series each analysis used", document.provenance)
            recipe = _table_html(used, scroll=True) + _download("data/provenance.csv")
        listing = _table_html(sources, scroll=True) + _download("data/sources.csv")
        parts.append(f'<section id="sources"><h2>Data</h2>{recipe}{listing}</section>')
    charts_json = json.dumps(specs, allow_nan=False).replace("</", "<\\/")
    script = (
        "const USTPULL_CHARTS=" + charts_json + ";"
        "for(const [id,spec] of Object.entries(USTPULL_CHARTS)){"
        "Plotly.newPlot('chart-'+id,spec.data,spec.layout,"
        "{responsive:true,displaylogo:false});}"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(document.title)}</title><style>{_CSS}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<header><h1>{html.escape(document.title)}</h1>{_header_dates(document)}"
        f"{_through_html(document)}</header>"
        f"<nav>{''.join(nav)}</nav><main>{''.join(parts)}</main>"
        f"<script>{script}</script></body></html>"
    )


def _methodology_html(document: ReportDocument) -> str:
    methodology = "".join(f"<p>{html.escape(m)}</p>" for m in document.methodology)
    settings_rows = "".join(
        f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(json.dumps(_jsonable(v)))}</td></tr>"
        for k, v in document.settings.items()
    )
    return (
        f'<section id="methodology"><h2>Methodology and model settings</h2>{methodology}'
        f"<table><thead><tr><th>setting</th><th>value</th></tr></thead>"
        f"<tbody>{settings_rows}</tbody></table></section>"
    )


def _header_dates(document: ReportDocument) -> str:
    """The range of the sections' data-through dates (not the newest series in the store)."""
    span = data_through_range(document)
    dates = (
        f"Data run through {span[0]} .. {span[1]} (each section, chart and statement gives "
        "its own date)"
        if span
        else f"Data as of {html.escape(document.as_of)}"
    )
    return (
        f'<p class="range" data-first="{span[0] if span else ""}" '
        f'data-last="{span[1] if span else ""}">{dates} &middot; generated '
        f"{html.escape(document.generated)} by ustpull</p>"
    )


def _section_html(section: Section, document: ReportDocument, specs: dict[str, Any]) -> str:
    """One section: its date, a note on data older than their cadence, prose, gaps, charts
    (each with its date and CSV link) and tables (each with its CSV link)."""
    latest = data_through_range(document)
    newest = latest[1] if latest else None
    through = section_through(section, document)
    body = ""
    if through:
        body += f'<p class="through" data-through="{through}">Data through {through}.</p>'
        body += _stale_note(section, through, newest)
    body += "".join(f"<p>{_statement(p, document)}</p>" for p in section.paragraphs)
    body += "".join(f'<p class="gap">{html.escape(g)}</p>' for g in section.gaps)
    charts = ""
    for chart in section.charts:
        specs[chart.chart_id] = chart_spec(chart)
        charts += _chart_html(chart, through, newest)
    chart_ids = {chart.chart_id for chart in document.charts()}
    tables = "".join(
        _table_html(table) + _download(table_csv(table, chart_ids)) for table in section.tables
    )
    tables += "".join(_download(f"data/{name}.csv", name) for name in section.downloads)
    body += tables + charts if section.tables_first else charts + tables
    body += getattr(section, "html", "")  # trusted markup (section_methodology: MarkupSection)
    return (
        f'<section id="{section.section_id}"><h2>{html.escape(section.title)}</h2>{body}</section>'
    )


def _stale_note(section: Section, through: str, newest: str | None) -> str:
    """Which of the section's data end earlier than their publishers' cadence allows."""
    stale = [
        (chart, day, cadence)
        for chart in section.charts
        for day, cadence in [(chart_through(chart), chart_cadence(chart))]
        if cadence is not None and _stale(day, cadence, newest)
    ]
    if not section.charts and _stale(through, None, newest):
        items = f"data end {through}"
    elif stale:
        items = "; ".join(
            f"{chart.title.split(':')[0]}: data end {day} ({cadence.name} data)"
            for chart, day, cadence in stale
        )
    else:
        return ""
    return (
        f"<p class=\"gap stale\">Older than their publishers' cadence against the report's "
        f"latest data ({newest}): {html.escape(items)}.</p>"
    )


def _download(path: str, what: str = "") -> str:
    label = f"download {what} data (CSV)" if what else "download data (CSV)"
    return f'<p class="download"><a href="{html.escape(path)}" download>{label}</a></p>'


def _chart_html(chart: Chart, section_through: str | None, newest: str | None) -> str:
    """The chart, its note, the date its data run through and its CSV link."""
    own = chart_through(chart)
    through = own or section_through or ""
    ends = column_through(chart)
    cadence = chart_cadence(chart)
    if own is None:
        words = f"Data through {through} (the section's latest data; no date axis)"
    elif _stale(own, cadence, newest):
        kind = cadence.name if cadence is not None else "monthly"
        words = (
            f"Data end {own}, older than a {kind} release allows against the report's "
            f"latest data ({newest})"
        )
    else:
        words = f"Data through {own}"
    for day in sorted({day for day in ends.values() if day != through}):
        names = ", ".join(name for name, end in ends.items() if end == day)
        words += f"; {names}: data end {day}"
    note = f'<p class="note">{html.escape(chart.note)}</p>' if chart.note else ""
    return (
        f'<div class="chart" id="chart-{chart.chart_id}" data-through="{through}"></div>{note}'
        f'<p class="chart-meta" data-chart="{chart.chart_id}" data-through="{through}">'
        f"{html.escape(words)}. "
        f'<a class="csv" href="{chart_csv(chart)}" download>download data (CSV)</a></p>'
    )


def _through_html(document: ReportDocument) -> str:
    """Per section, the date its data run through."""
    through = sections_data_through(document)
    if not through:
        return ""
    titles = {s.section_id: s.title.split(":")[0] for s in document.sections}
    items = " &middot; ".join(
        f"{html.escape(titles[name])}: {html.escape(day)}" for name, day in through.items()
    )
    return f'<p class="through">Data run through, by section: {items}</p>'


def _statement(text: str, document: ReportDocument) -> str:
    """A sentence with its findings, ending in the date(s) their data run through."""
    used = sorted({item.as_of for item in document.findings if "{" + item.key + "}" in text})
    body = _with_findings(text, document)
    if not used:
        return body
    return f'{body} <span class="asof">(data through {", ".join(used)})</span>'


def _with_findings(text: str, document: ReportDocument) -> str:
    """Escape prose and turn ``{finding.key}`` placeholders into tagged values."""
    escaped = html.escape(text)
    for item in document.findings:
        token = "{" + item.key + "}"
        if token in escaped:
            escaped = escaped.replace(
                token,
                f'<span class="finding" data-through="{html.escape(item.as_of)}" '
                f'title="data through {html.escape(item.as_of)}" '
                f'data-key="{html.escape(item.key)}">'
                f"{html.escape(item.formatted())}</span>",
            )
    return escaped


# --------------------------------------------------------------------------- png


def _write_pngs(charts: Sequence[Chart], folder: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    for chart in charts:
        fig = figure(chart)
        fig.savefig(folder / f"{chart.chart_id}.png")
        plt.close(fig)
    return folder
