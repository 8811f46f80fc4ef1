"""CLI commands: ``ingest`` and ``series list`` / ``series show`` / ``series revisions``.

Parsing and printing only; the store and the orchestration live in :mod:`ustpull.store`.
Heavy modules (pandas, DuckDB, the parsers) are imported inside the commands so that
``ustpull --help`` and other areas' commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ustpull.cli._common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    bounded,
    dumps,
    iso_date,
)

if TYPE_CHECKING:
    import pandas as pd

    from ustpull.store import Store
    from ustpull.store.ingest import IngestSummary, Progress

_EXIT_FOR_STATUS = {
    "ok": EXIT_OK,
    "partial": EXIT_PARTIAL,
    "unavailable": EXIT_UNAVAILABLE,
    "invalid": EXIT_USAGE,
    "failed": EXIT_FAILURE,
}

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store file (default: $USTPULL_STORE or the user data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripting.")]
LockTimeoutOption = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        callback=bounded(0.0, 86_400.0, what="seconds"),
        help="Seconds to wait while another process holds the store (0..86400).",
    ),
]
AcceptRevisionsOption = Annotated[
    bool,
    typer.Option(
        "--accept-revisions",
        help="Accept a re-ingest that revises more than 5% of a series' history or shortens "
        "it (listed by `ustpull series revisions ID`).",
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        callback=bounded(0.1, 86_400.0, what="seconds"),
        help="Overall deadline of the run in seconds (downloads included); default none.",
        show_default=False,
    ),
]

series_app = typer.Typer(
    help="Inspect the series in the store.", no_args_is_help=True, rich_markup_mode=None
)


def _store(
    path: Path | None,
    *,
    read_only: bool,
    lock_timeout: float = 5.0,
    accept_revisions: bool = False,
) -> Store:
    from ustpull.store import Store

    return Store(
        path, read_only=read_only, lock_timeout=lock_timeout, accept_revisions=accept_revisions
    )


def _iso_dates(dates: pd.Index | pd.Series) -> list[str | None]:
    """ISO dates; ``None`` for a missing date (a series with no observation yet)."""
    import pandas as pd

    text = pd.DatetimeIndex(dates).strftime("%Y-%m-%d")
    return [None if pd.isna(day) else str(day) for day in text]


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar on a terminal; nothing when stderr is not a TTY."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None)

        def advance(name: str, done: int, total: int) -> None:
            bar.update(task, description=name, completed=done, total=total)

        yield advance


def _print_summary(summary: IngestSummary, as_json: bool) -> None:
    if as_json:
        typer.echo(
            dumps(
                {
                    "status": summary.status,
                    "rows_new": summary.rows_new,
                    "rows_rejected": summary.rows_rejected,
                    "items": summary.items.to_dict("records"),
                }
            )
        )
        return
    for row in summary.items.to_dict("records"):
        named = f"{row['series']}: " if isinstance(row.get("series"), str) and row["series"] else ""
        if row["outcome"] in ("invalid", "unavailable", "failed"):
            typer.echo(
                f"ustpull: {row['outcome']}: {row['name']}: {named}{row['message']}", err=True
            )
        elif row["rows_rejected"]:
            typer.echo(f"ustpull: rejected rows: {row['name']}: {row['message']}", err=True)
    if summary.stopped:
        typer.echo(f"ustpull: stopped early: {summary.stopped}", err=True)
    typer.echo(summary.summary().splitlines()[-1])


def ingest(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            help="Online source (or, with --data-dir, catalog entry) to ingest; repeatable.",
            show_default="all",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Ingest a local folder described by a catalog (offline)."),
    ] = None,
    catalog: Annotated[
        Path | None,
        typer.Option("--catalog", help="Catalog TOML for --data-dir (default: shared data)."),
    ] = None,
    attempts: Annotated[
        int | None,
        typer.Option(
            "--attempts",
            callback=bounded(1, 20, what="a number of attempts"),
            help="Requests per URL, first try included (online; 1..20).",
        ),
    ] = None,
    store: StoreOption = None,
    lock_timeout: LockTimeoutOption = 5.0,
    accept_revisions: AcceptRevisionsOption = False,
    timeout: TimeoutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch every series from its publisher (or a local folder) into the store."""
    from ustpull.store.ingest import ingest_local, ingest_online

    target = _store(
        store, read_only=False, lock_timeout=lock_timeout, accept_revisions=accept_revisions
    )
    with _progress_bar(sys.stderr.isatty() and not as_json) as progress:
        if data_dir is not None:
            summary = ingest_local(
                data_dir, store=target, catalog=catalog, entries=source, progress=progress
            )
        else:
            if catalog is not None:
                raise typer.BadParameter("--catalog needs --data-dir", param_hint="--catalog")
            summary = ingest_online(
                store=target, sources=source, attempts=attempts, progress=progress, timeout=timeout
            )
    _print_summary(summary, as_json)
    raise typer.Exit(_EXIT_FOR_STATUS[summary.status])


@series_app.command("list")
def list_series(
    store: StoreOption = None,
    as_json: JsonOption = False,
    country: Annotated[
        str | None, typer.Option("--country", help="Only this country (US, DE, EA, ...).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (fred, gsw, ecb, ...).")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Only ids or titles containing this text (any case)."),
    ] = None,
) -> None:
    """List the stored series with units, frequency and date span."""
    from ustpull.store.listing import select_series

    listing = select_series(
        _store(store, read_only=True).list_series(), country=country, source=source, text=search
    )
    listing["first"], listing["last"] = _iso_dates(listing["first"]), _iso_dates(listing["last"])
    if as_json:
        records: list[dict[Any, Any]] = listing.reset_index().to_dict("records")
        typer.echo(dumps(records))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "title", "units", "freq", "first", "last", "count", box=None)
    for series_id, row in listing.fillna("").iterrows():
        # Text, not str: a title is data, never rich markup ("[/bold]" must print as is)
        cells = (series_id, row["title"], row["units"], row["frequency"], row["first"],
                 row["last"], row["count"])  # fmt: skip
        table.add_row(*(Text(str(cell)) for cell in cells))
    Console(width=200, markup=False, highlight=False).print(table)


@series_app.command("show")
def show_series(
    series_id: Annotated[str, typer.Argument(metavar="ID", help="Canonical series id.")],
    start: Annotated[
        str | None,
        typer.Option("--start", callback=iso_date, help="First date (YYYY-MM-DD)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", callback=iso_date, help="Last date (YYYY-MM-DD).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            callback=iso_date,
            help="Values as known then, YYYY-MM-DD (the end of that day, UTC).",
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print one series (tab-separated date and value, or JSON)."""
    with _store(store, read_only=True) as reader:  # one connection for both queries
        values = reader.series(series_id, start=start, end=end, as_of=as_of)
        meta = reader.list_series([series_id]).iloc[0]
    if as_json:
        typer.echo(
            dumps(
                {
                    "id": series_id,
                    "title": meta["title"],
                    "units": meta["units"],
                    "frequency": meta["frequency"],
                    "compounding": meta["compounding"],
                    "as_of": as_of,
                    "dates": _iso_dates(values.index),
                    "values": values.tolist(),
                }
            )
        )
        return
    header = f"# {series_id}: {meta['title']} ({meta['units']}, {meta['frequency']}"
    typer.echo(header + (f", as of {as_of})" if as_of else ")"))
    import numpy as np

    # vectorised formatting: pandas' to_csv boxes every date, 0.4 s for 16,000 rows
    days = np.datetime_as_string(values.index.to_numpy(dtype="datetime64[D]"), unit="D")
    lines = np.char.add(np.char.add(days, "\t"), values.to_numpy().astype(str))
    typer.echo("\n".join(["date\tvalue", *lines.tolist()]))


@series_app.command("revisions")
def series_revisions(
    series_id: Annotated[str, typer.Argument(metavar="ID", help="Canonical series id.")],
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every accepted revision of a series: date, old and new value, ingest, origin."""
    import pandas as pd

    revisions = _store(store, read_only=True).revisions(series_id)
    if as_json:
        table = revisions.astype({"recorded_at": "str"})
        table["date"] = pd.Series(_iso_dates(revisions["date"]), index=table.index, dtype="str")
        records = table.to_dict("records")
        typer.echo(dumps(records))
        return
    typer.echo(f"# {series_id}: {len(revisions)} accepted revision(s)")
    typer.echo("date\told\tnew\tingest_id\trecorded_at\torigin")
    for row in revisions.itertuples(index=False):
        typer.echo(
            f"{row.date:%Y-%m-%d}\t{row.old_value!r}\t{row.value!r}\t{row.ingest_id}\t"
            f"{row.recorded_at}\t{row.origin}"
        )


def status(
    store: StoreOption = None,
    as_json: JsonOption = False,
    stale_only: Annotated[
        bool, typer.Option("--stale", help="Only the series that are stale.")
    ] = False,
) -> None:
    """Freshness of each stored series: last observation, last download, stale or not."""
    from ustpull.store.freshness import freshness

    table = freshness(_store(store, read_only=True))
    if stale_only:
        table = table[table["stale"]]
    records = _status_records(table)
    if as_json:
        typer.echo(dumps(records))
        return
    from rich.console import Console
    from rich.table import Table

    shown = Table("id", "source", "last obs", "last download", "cadence", "stale", box=None)
    for record in records:
        downloaded = record["last_download"] or ""
        shown.add_row(
            record["id"], record["source"], record["last_observation"] or "",
            downloaded[:16].replace("T", " "), record["cadence"],
            "STALE" if record["stale"] else "",
        )  # fmt: skip
    Console(width=160).print(shown)
    typer.echo(f"{sum(r['stale'] for r in records)} of {len(records)} series stale")


def _status_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    import pandas as pd

    observed = _iso_dates(pd.DatetimeIndex(table["last_observation"]))
    downloaded = pd.to_datetime(table["last_download"])
    return [
        {
            "id": str(series_id),
            "source": row["source"],
            "last_observation": last,
            "last_download": None if pd.isna(when) else when.isoformat(),
            "via": row["via"] if isinstance(row["via"], str) else None,
            "cadence": row["cadence"],
            "stale": bool(row["stale"]),
        }
        for (series_id, row), last, when in zip(table.iterrows(), observed, downloaded, strict=True)
    ]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("ingest")(ingest)
    app.command("status")(status)
    app.add_typer(series_app, name="series")
