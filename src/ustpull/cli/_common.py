"""Shared CLI plumbing: global state, exit codes, JSON output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from ustpull.errors import (
    DataError,
    IngestError,
    PartialDataError,
    SeriesNotFoundError,
    SourceUnavailableError,
    StoreLockedError,
    UstpullError,
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_UNAVAILABLE = 4


@dataclass
class _State:
    debug: bool = False


STATE = _State()


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Ingest the catalogued local files from DIR first."),
]
"""``--data-dir DIR``: the local folder read through :func:`ustpull.store.load`."""


def _positive_workers(value: int | None) -> int | None:
    # checked while parsing, before any data is loaded
    if value is not None and value < 1:
        raise typer.BadParameter(f"--workers must be at least 1, got {value}")
    return value


Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        callback=_positive_workers,
        help="Local worker processes for the work that splits (default: serial); with "
        "--dask-scheduler local, the LocalCluster's worker count.",
        show_default=False,
    ),
]
"""``--workers N``: see :func:`ustpull.parallel.executor_from_options`."""

DaskScheduler = Annotated[
    str | None,
    typer.Option(
        "--dask-scheduler",
        help="Run the work on a Dask cluster: scheduler ADDRESS (tcp://host:8786) or 'local' "
        "for a LocalCluster here (pip install 'ustpull[dask]').",
        show_default=False,
    ),
]
"""``--dask-scheduler ADDRESS``: see :func:`ustpull.parallel.executor_from_options`."""


def exit_code_for(exc: BaseException) -> tuple[int, str]:
    """Map an exception to the documented exit code and a one-line message."""
    format_message = getattr(exc, "format_message", None)
    if isinstance(exc, typer.TyperException) and callable(format_message):
        return EXIT_USAGE, str(format_message())
    if isinstance(exc, PartialDataError):
        return EXIT_PARTIAL, str(exc)
    if isinstance(exc, SourceUnavailableError):
        return EXIT_UNAVAILABLE, str(exc)
    if isinstance(exc, (SeriesNotFoundError, DataError)):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, (StoreLockedError, IngestError, UstpullError)):
        return EXIT_FAILURE, str(exc)
    if isinstance(exc, (FileNotFoundError, ValueError)):
        return EXIT_USAGE, str(exc)
    return EXIT_FAILURE, f"{type(exc).__name__}: {exc}"


def dumps(payload: Any) -> str:
    """JSON for scripting output: ISO dates, NaN as null."""

    def _default(obj: Any) -> Any:
        if hasattr(obj, "isoformat"):
            return obj.isoformat()
        if hasattr(obj, "item"):
            return obj.item()
        return str(obj)

    return json.dumps(payload, default=_default, indent=2, allow_nan=False)
