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


def stocks_rows(payload: Mapping[str, Any]) -> list[Row]:
    """Era means of the daily stock-bond correlation, the inflation regimes and 60/40."""
    daily = payload["correlation_daily"]
    rows: list[Row] = [
        (
            f"stock-bond correlation, {era['era']} (mean of {daily['window']}-day)",
            _field(era, "mean"),
            _span(era),
        )
        for era in daily["eras"]
    ]
    for regime in payload["inflation_regimes"]["table"]:
        rows.append(
            (
                f"return correlation, {regime['inflation']} inflation",
                f"{_field(regime, 'return_correlation')} "
                f"[{_field(regime, 'ci_low')}, {_field(regime, 'ci_high')}]",
                f"{_field(regime, 'n')} days",
            )
        )
    for line in payload["sixty_forty"]["performance"]:
        rows.append(
            (
                f"Sharpe ratio, {line['strategy']}",
                _field(line, "sharpe"),
                f"{_field(line, 'months')} months",
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
    rows.append(("Diebold-Yilmaz total connectedness (%)", _field(link, "total", 1), _span(link)))
    return rows


def dollar_rows(payload: Mapping[str, Any]) -> list[Row]:
    """Dollar-yield correlation by component, and the smile and frown shape tests (the
    curvature of mean monthly dollar changes across states, 95% interval, and the verdict)."""
    comovement = payload["comovement"]
    rows: list[Row] = [
        (
            f"{comovement['frequency']} correlation with {name.replace('_', ' ')}",
            _number(value),
            "",
        )
        for name, value in comovement["full_sample_correlation"].items()
    ]
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
