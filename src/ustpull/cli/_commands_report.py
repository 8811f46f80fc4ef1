"""CLI command: report (ingest, analyse, write the HTML report)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ustpull.cli._common import (
    EXIT_PARTIAL,
    DaskScheduler,
    StorePath,
    Workers,
    bounded,
    dumps,
    iso_date,
)

if TYPE_CHECKING:
    from ustpull.report.build import ReportOutcome


ReportDataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Ingest the catalogued local files of DIR (offline)."),
]
ReportAsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=iso_date,
        help="Use the data as the store knew them at this date, and no observation after "
        "it (YYYY-MM-DD).",
    ),
]
AllowPartialFlag = Annotated[
    bool,
    typer.Option("--allow-partial", help="Leave out what cannot run and state the gaps."),
]
IngestFlag = Annotated[
    bool, typer.Option(help="Ingest first (--no-ingest: report from the store as it is).")
]
DownloadAttempts = Annotated[
    int | None,
    typer.Option(
        callback=bounded(1, 20, what="a number of attempts"),
        help="Requests per URL when downloading (first included; 1..20).",
    ),
]
DownloadTimeout = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        callback=bounded(0.1, 86_400.0, what="seconds"),
        help="Overall deadline of the downloads in seconds; default none.",
        show_default=False,
    ),
]
PlanFlag = Annotated[
    bool,
    typer.Option("--plan", help="Print where each needed series will come from; download nothing."),
]
CacheFlag = Annotated[
    bool,
    typer.Option(
        help="Reuse study results and PNGs whose inputs are unchanged (stored beside the "
        "store); --no-cache recomputes everything."
    ),
]


def _report(
    data_dir: ReportDataDir = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("report"),
    as_of: ReportAsOf = None,
    store: StorePath = None,
    allow_partial: AllowPartialFlag = False,
    ingest: IngestFlag = True,
    attempts: DownloadAttempts = None,
    png: Annotated[bool, typer.Option(help="Also write PNG figures.")] = True,
    timeout: DownloadTimeout = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    show_plan: PlanFlag = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --plan: print JSON.")] = False,
    workers: Workers = None,
    dask_scheduler: DaskScheduler = None,
    cache: CacheFlag = True,
) -> None:
    """Ingest what is needed, run every analysis and write index.html, findings.json, CSVs.

    Exit 3 when the report has gaps (--allow-partial, or sources that failed).
    """
    from ustpull.parallel import executor_from_options
    from ustpull.report.build import build_report

    if show_plan:
        _print_plan(store, data_dir, as_json)
        return
    if as_json:
        raise typer.BadParameter("--json needs --plan", param_hint="--json")

    def run(progress: Callable[[str, int, int], None] | None) -> ReportOutcome:
        with executor_from_options(workers=workers, dask_scheduler=dask_scheduler) as executor:
            return build_report(
                out,
                data_dir=data_dir,
                store=store,
                as_of=as_of,
                allow_partial=allow_partial,
                ingest=ingest,
                attempts=attempts,
                png=png,
                progress=progress,
                timeout=timeout,
                executor=executor,
                cache=cache,
            )

    outcome = run(None) if quiet else _run_with_progress_bar(run)
    _print_outcome(outcome, quiet=quiet)


def _run_with_progress_bar(
    run: Callable[[Callable[[str, int, int], None] | None], ReportOutcome],
) -> ReportOutcome:
    """``run(progress)`` with a progress bar of the report's steps."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ustpull.report.build import REPORT_STEPS

    with Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task("report", total=len(REPORT_STEPS))
        return run(lambda step, done, _total: bar.update(task, completed=done, description=step))


def _print_outcome(outcome: ReportOutcome, *, quiet: bool) -> None:
    """State the gaps, downloads and failures of the run (exit 3 if there are any)."""
    for gap in outcome.gaps:
        typer.echo(f"gap: {gap}", err=True)
    summary = outcome.ingest
    if summary is not None and len(summary.transfers):
        typer.echo(
            f"downloads: {summary.requests} request(s), {summary.not_modified} not modified, "
            f"{summary.bytes_downloaded:,} bytes",
            err=True,
        )
    if not quiet:
        seconds = sum(outcome.timings.values())
        typer.echo(
            f"wrote {outcome.paths['html']} ({outcome.findings} findings) in {seconds:.1f} s"
        )
    failures = summary.failures if summary is not None else None
    for row in [] if failures is None else failures.to_dict("records"):
        named = f"{row['series']} " if isinstance(row["series"], str) and row["series"] else ""
        typer.echo(
            f"ustpull: failed: {row['name']}: {named}({row['origin']}): {row['message']}",
            err=True,
        )
    if outcome.gaps or (failures is not None and len(failures)):
        raise typer.Exit(EXIT_PARTIAL)


def _print_plan(store: Path | None, data_dir: Path | None, as_json: bool) -> None:
    from ustpull.report.build import report_plan

    rows = report_plan(store=store, data_dir=data_dir)
    if as_json:
        typer.echo(dumps([row.to_dict() for row in rows]))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("analysis", "column", "series", "source", "url", "store", box=None)
    for row in rows:
        series = row.series if row.series == row.column else f"{row.series}"
        table.add_row(
            row.analysis, row.column + (" (optional)" if row.optional else ""), series,
            row.source or "-", row.url or "no source", "yes" if row.in_store else "no",
        )  # fmt: skip
    Console(width=220).print(table)
    offline = [r for r in rows if not r.online and not r.in_store and not r.optional]
    typer.echo(f"{len(rows)} series; {len(offline)} needed without an online source")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("report")(_report)
