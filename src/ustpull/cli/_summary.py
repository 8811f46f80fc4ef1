"""Terminal output of the analysis commands: a short rich summary, ``--json``, progress.

Each command's headline numbers come from the same JSON payload it writes with ``--output``
(so the table, the file and ``--json`` never disagree). ``--json`` prints that payload on
stdout and nothing else; the table goes to stdout otherwise. Progress goes to stderr, only
when stderr is a terminal and ``--quiet`` is not given.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ustpull.charts import Unit, column_unit, format_value
from ustpull.cli._common import AsOfDate, DataDir, StorePath, dumps

if TYPE_CHECKING:
    import pandas as pd

    from ustpull.studies import StudySettings
    from ustpull.studies.recipes import Resolution

__all__ = [
    "AnalysisOptions",
    "JsonFlag",
    "OutputFile",
    "QuietFlag",
    "Row",
    "analysis_command",
    "dollar_rows",
    "emit",
    "events_rows",
    "foreign_rows",
    "progress",
    "stocks_rows",
]

JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print the results as JSON on stdout (nothing else).")
]
QuietFlag = Annotated[bool, typer.Option("--quiet", help="No progress display.")]
OutputFile = Annotated[
    Path | None, typer.Option("--output", help="Also write every table to FILE.json.")
]


@dataclass(frozen=True)
class AnalysisOptions:
    """The options every analysis command shares (one declaration: :func:`analysis_command`):
    where the data come from (``--data-dir``, ``--store``, ``--as-of``) and what is printed
    (``--output``, ``--json``, ``--quiet``)."""

    output: OutputFile = None
    as_json: JsonFlag = False
    quiet: QuietFlag = False
    data_dir: DataDir = None
    store: StorePath = None
    as_of: AsOfDate = None

    def load_frame(self, ids: Sequence[str]) -> pd.DataFrame:
        """The series ``ids`` by :func:`ustpull.studies.load_frame` from these options."""
        from ustpull.studies import load_frame

        return load_frame(ids, store=self.store, data_dir=self.data_dir, as_of=self.as_of)

    def load_study_frame(
        self, study: str, settings: StudySettings, extra: Sequence[str] = ()
    ) -> tuple[pd.DataFrame, Resolution]:
        """Study ``study``'s columns filled as the report fills them, plus ``extra`` ids
        (:func:`ustpull.studies.load_study_frame`)."""
        from ustpull.studies import load_study_frame

        return load_study_frame(
            study,
            settings,
            extra=extra,
            store=self.store,
            data_dir=self.data_dir,
            as_of=self.as_of,
        )

    def emit(self, payload: Mapping[str, Any], *, title: str, rows: Sequence[Row]) -> None:
        """:func:`emit` with this command's ``--json`` and ``--output``."""
        emit(payload, title=title, rows=rows, as_json=self.as_json, output=self.output)


def analysis_command(
    command: Callable[..., None],
) -> Callable[..., None]:
    """Declare the shared :class:`AnalysisOptions` once for an analysis command.

    ``command`` takes ``options: AnalysisOptions`` first, then its own options; typer sees
    the shared options first (``--output``, ``--json``, ``--quiet``, ``--data-dir``,
    ``--store``, ``--as-of``), then the command's.
    """
    own = list(inspect.signature(command, eval_str=True).parameters.values())[1:]
    shared = list(inspect.signature(AnalysisOptions, eval_str=True).parameters.values())
    names = [field.name for field in fields(AnalysisOptions)]

    @functools.wraps(command)
    def run(**values: Any) -> None:
        options = AnalysisOptions(**{name: values.pop(name) for name in names})
        command(options, **values)

    keyword = [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in shared + own]
    run.__signature__ = inspect.Signature(keyword)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in keyword}
    return run


Row = tuple[str, str, str]
"""(measure, value, sample) of a summary table."""


def _number(value: Any, unit: Unit = "number", decimals: int = 2) -> str:
    """A count as a whole number, a measured value with ``decimals`` (even when whole)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format_value(float(value), unit, decimals)


def _field(record: Mapping[str, Any], name: str, decimals: int = 2) -> str:
    """``record[name]`` shown by the unit its name says (:func:`ustpull.charts.column_unit`:
    ``n`` and ``months`` are counts)."""
    return _number(record[name], column_unit(name), decimals)


def _span(row: Mapping[str, Any]) -> str:
    first, last = row.get("first", row.get("start")), row.get("last", row.get("end"))
    return f"{str(first)[:10]} .. {str(last)[:10]}" if first and last else ""


def _with_ci(value: Any, low: Any, high: Any) -> str:
    """``value [low, high]`` (the value alone when it has no interval)."""
    if low is None or high is None:
        return _number(value)
    return f"{_number(value)} [{_number(low)}, {_number(high)}]"


def stocks_rows(payload: Mapping[str, Any]) -> list[Row]:
    """Daily stock-bond return correlations by era and the 2020-latest change, the inflation
    regimes and the last window's Sharpe ratios, each with its 95% interval in brackets."""
    regimes = payload.get("stock_bond_regimes") or {}
    rows: list[Row] = [
        (
            f"stock-bond return correlation, {era['era']} (daily)",
            _with_ci(era["correlation"], era["ci_low"], era["ci_high"]),
            _span(era),
        )
        for era in regimes.get("era_correlations", [])
    ]
    change = regimes.get("difference_recent_minus_2000_2019")
    if change:
        rows.append(
            (
                "change of the daily return correlation, 2020-latest minus 2000-2019",
                _with_ci(change["value"], *change["ci"]),
                f"2000-01-01 .. {change['data_through']}",
            )
        )
    for regime in payload["inflation_regimes"]["table"]:
        rows.append(
            (
                f"return correlation, {regime['inflation']} inflation",
                _with_ci(regime["return_correlation"], regime["ci_low"], regime["ci_high"]),
                f"{_field(regime, 'n')} days",
            )
        )
    last: Mapping[str, Any] = payload.get("sharpe_last_window") or {}
    for line in last.get("table", ()):
        rows.append(
            (
                f"Sharpe ratio, {line['strategy']}, last {last['window_months']} months",
                _with_ci(line["sharpe"], line["ci_low"], line["ci_high"]),
                f"{int(line['nobs']):,} months to {str(line['end'])[:10]}",
            )
        )
    return rows


def foreign_rows(payload: Mapping[str, Any]) -> list[Row]:
    """Co-movement with the U.S. of month-end 10-year yield changes since 1990 (the DE, JP
    and UK headline average first, then each market), each with its 95% interval in
    brackets; connectedness."""
    rows: list[Row] = []
    for finding in payload["comovement_us"]["findings"]:
        if finding["key"].endswith(".since_1990"):
            value = _number(finding["value"])
            if finding["ci"] is not None:
                low, high = finding["ci"]
                value += f" [{_number(low)}, {_number(high)}]"
            rows.append((finding["label"], value, finding["window"]))
    link = payload["connectedness"]
    low, high = link.get("total_ci") or (None, None)
    total = _number(link["total"], decimals=1)
    if low is not None and high is not None:
        total += f" [{_number(low, decimals=1)}, {_number(high, decimals=1)}]"
    rows.append(("Diebold-Yilmaz total connectedness (%)", total, _span(link)))
    return rows


def dollar_rows(payload: Mapping[str, Any]) -> list[Row]:
    """Dollar-yield correlation by component, and the smile and frown shape tests (the
    curvature of mean monthly dollar changes across states, 95% interval, and the verdict)."""
    comovement = payload["comovement"]
    intervals = comovement.get("full_sample_intervals") or {}
    rows: list[Row] = []
    for name, value in comovement["full_sample_correlation"].items():
        low, high = intervals[name]["ci"] if name in intervals else (None, None)
        nobs = intervals.get(name, {}).get("nobs")
        rows.append(
            (
                f"{comovement['frequency']} correlation with {name.replace('_', ' ')}",
                _with_ci(value, low, high),
                "" if nobs is None else f"{nobs:,} changes",
            )
        )
    shapes = payload.get("shape_tests") or {}
    for test, word in (("growth", "growth"), ("risk_off", "risk-off"), ("fiscal", "fiscal")):
        shape = shapes.get(test)
        if not shape:
            continue
        curvature = next(c for c in shape["contrasts"] if c["contrast"] == "curvature")
        value = f"{_number(curvature['estimate'])} [{_number(curvature['ci_low'])}, "
        value += f"{_number(curvature['ci_high'])}]"
        months = sum(int(state["months"]) for state in shape["means"])
        label = f"{word} curvature: {shape['verdict']}"  # percent a month
        rows.append((label, value, f"{months:,} months"))
    return rows


_US10Y = "us.cmt.10y"
_EVENT_WORDS = {"de.govt.10y": "Bund 10-year", "jp.jgb.10y": "JGB 10-year", _US10Y: "U.S. 10-year"}


def _day_rows(announcements: Mapping[str, Any]) -> list[Row]:
    """One- and two-day moves of the U.S. 10-year on the named days, with their scores."""
    rows: list[Row] = []
    for named in announcements.get("named_days", []):
        score: Mapping[str, Any] = next((r for r in named["scores"] if r["series"] == _US10Y), {})
        for span in (1, 2) if score else ():
            rows.append(
                (
                    f"{named['day']}: U.S. 10-year, {span}-day move (bp)",
                    _number(score[f"move_{span}d"], decimals=1),
                    f"z {_number(score[f'z_{span}d'])}, larger than "
                    f"{_number(score[f'rank_pct_{span}d'], decimals=1)}% of non-event days",
                )
            )
    return rows


def _response_rows(announcements: Mapping[str, Any]) -> list[Row]:
    """The U.S. 10-year per bp of surprise; foreign yields identified and by OLS."""
    rows: list[Row] = []
    for name, table in announcements.get("responses", {}).items():
        for line in (r for r in table if r["series"] == _US10Y):
            rows.append(
                (
                    f"U.S. 10-year response per bp of {name} surprise",
                    _with_ci(line["per_bp"], line["ci_low"], line["ci_high"]),
                    f"{int(line['nobs']):,} announcements",
                )
            )
    words = {"rigobon_sack": "identified (Rigobon-Sack)", "ols_all_days": "OLS, not identified"}
    for line in announcements.get("identified", []):
        if line["estimator"] in words:
            name = _EVENT_WORDS.get(line["series"], line["series"])
            rows.append(
                (
                    f"{name} per bp of U.S. 10-year, {words[line['estimator']]}",
                    _with_ci(line["beta"], line["ci_low"], line["ci_high"]),
                    f"{int(line['n_event']):,} FOMC windows, two-day changes",
                )
            )
    return rows


def events_rows(payload: Mapping[str, Any]) -> list[Row]:
    """Announcement days first (the named days' U.S. 10-year moves with their scores,
    variance ratios on FOMC and BoE days, responses per bp of surprise, identified foreign
    responses beside OLS; 95% intervals in brackets), then the narrative windows' U.S.
    10-year changes, labelled as context."""
    announcements = payload.get("announcements") or {}
    rows = _day_rows(announcements)
    for line in (payload.get("central_banks") or {}).get("table", []):
        if line["series"] == _US10Y:
            rows.append(
                (
                    f"variance ratio, {line['bank']} days, U.S. 10-year, {line['days']}-day",
                    _with_ci(line["variance_ratio"], line["ci_low"], line["ci_high"]),
                    f"{int(line['events']):,} days, {_span(line)}",
                )
            )
    rows += _response_rows(announcements)
    changes = payload.get("changes", [])
    shown = [c for c in changes if c["series"] == _US10Y] or changes  # else every series
    for line in shown:
        name = _EVENT_WORDS.get(line["series"], line["series"])
        rows.append(
            (
                f"context: {line['episode']} window, {name} change ({line['unit']})",
                _number(line["change"], decimals=1),
                f"{str(line['start_date'])[:10]} .. {str(line['end_date'])[:10]}",
            )
        )
    return rows


def emit(
    payload: Mapping[str, Any],
    *,
    title: str,
    rows: Sequence[Row],
    as_json: bool,
    output: Path | None = None,
) -> None:
    """Write ``payload`` to ``output`` (if given); print it as JSON, or the summary table."""
    if output is not None:
        output.write_text(dumps(dict(payload)), encoding="utf-8")
    if as_json:
        typer.echo(dumps(dict(payload)))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("sample")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    if output is not None:
        typer.echo(f"wrote {output}")


@contextmanager
def progress(quiet: bool, total: int) -> Iterator[Callable[[str], None]]:
    """A step callback: a rich progress bar on stderr (a terminal, without ``--quiet``),
    else a no-op, so scripts and pipes get clean output."""
    if quiet or not sys.stderr.isatty():
        yield lambda _step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting", total=total)
        started = False

        def step(name: str) -> None:
            nonlocal started
            if started:
                bar.advance(task)
            started = True
            bar.update(task, description=name)

        yield step
