"""Shared CLI plumbing: global state, exit codes, JSON output."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
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
"""``--data-dir DIR``: the local folder read through :func:`ustpull.studies.load_frame`."""

StorePath = Annotated[
    Path | None,
    typer.Option("--store", help="Store path (default: USTPULL_STORE or user dir)."),
]
"""``--store PATH``: the store every analysis command loads from."""


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


def _as_of(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    return iso_date(ctx, param, value)


AsOfDate = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=_as_of,
        help="Use the data as the store knew them at this date, and no observation after it "
        "(YYYY-MM-DD).",
        show_default=False,
    ),
]
"""``--as-of DATE``: :class:`ustpull.studies.AsOf` (store vintage and last date used)."""


def print_gaps(gaps: list[str] | tuple[str, ...], notes: list[str] | tuple[str, ...] = ()) -> None:
    """A study's notes and gaps, one line each on stderr; exit 3 (partial) if any gap."""
    for note in notes:
        typer.echo(f"ustpull: note: {note}", err=True)
    for gap in gaps:
        typer.echo(f"gap: {gap}", err=True)
    if gaps:
        raise typer.Exit(EXIT_PARTIAL)


_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def _option_name(param: typer.CallbackParam | None) -> str:
    if param is None:
        return "option"
    return max(param.opts, key=len) if param.opts else str(param.name)


def iso_date(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """Callback: a date option must be ISO ``YYYY-MM-DD`` (``01/03/2020`` is ambiguous).

    An ISO date-time (``2024-05-01T12:00:00+00:00``) is accepted too, for ``--as-of``.
    """
    if value is None:
        return None
    text = value.strip()
    try:
        if not _ISO_DATE.match(text):
            raise ValueError
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date in ISO form; expected YYYY-MM-DD (e.g. 2020-03-01)",
            param_hint=_option_name(param),
        ) from None
    return text


def iso_dates(
    ctx: typer.Context, param: typer.CallbackParam, values: list[str] | None
) -> list[str] | None:
    """Callback: every value of a repeatable date option is ISO ``YYYY-MM-DD``."""
    if not values:
        return values
    return [str(iso_date(ctx, param, value)) for value in values]


def bounded(
    low: float, high: float, *, what: str = "a number"
) -> Callable[[typer.Context, typer.CallbackParam, float | None], float | None]:
    """Callback factory: a number option must be finite and within ``[low, high]``.

    Checked while parsing, before any data are loaded, so ``--replications 1000000000``
    or ``--lock-timeout nan`` stop at once with exit 2 instead of hanging.
    """

    def check(ctx: typer.Context, param: typer.CallbackParam, value: float | None) -> float | None:
        if value is None:
            return None
        if not (math.isfinite(value) and low <= value <= high):
            raise typer.BadParameter(
                f"{value!r} is out of range; expected {what} in [{low:g}, {high:g}]",
                param_hint=_option_name(param),
            )
        return value

    return check


CONFIDENCE = 0.95
"""Default two-sided coverage of the commands' intervals: 95%, as every interval of the report."""

ConfidenceLevel = Annotated[
    float,
    typer.Option(
        "--level",
        callback=bounded(0.5, 0.999, what="a two-sided coverage"),
        help="Two-sided interval coverage (0.5..0.999; default 0.95, as the report).",
    ),
]
"""``--level P``: the one declaration of an interval-coverage option."""


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
    if isinstance(exc, OSError) and exc.filename is not None:
        # IsADirectoryError, PermissionError, NotADirectoryError ... on a path the user gave
        return EXIT_USAGE, f"{exc.filename}: {exc.strerror or type(exc).__name__}"
    if isinstance(exc, (FileNotFoundError, ValueError)):
        return EXIT_USAGE, str(exc)
    return EXIT_FAILURE, f"{type(exc).__name__}: {exc}"


def _finite_or_none(payload: Any) -> Any:
    """``payload`` with NaN and infinities replaced by ``None`` (JSON has no NaN)."""
    if isinstance(payload, float):
        return payload if math.isfinite(payload) else None
    if isinstance(payload, dict):
        return {key: _finite_or_none(value) for key, value in payload.items()}
    if isinstance(payload, (list, tuple)):
        return [_finite_or_none(value) for value in payload]
    return payload


def dumps(payload: Any) -> str:
    """JSON for scripting output: ISO dates, NaN as null."""

    def _default(obj: Any) -> Any:
        if hasattr(obj, "isoformat"):
            return obj.isoformat()
        if hasattr(obj, "item"):
            return _finite_or_none(obj.item())
        return str(obj)

    return json.dumps(_finite_or_none(payload), default=_default, indent=2, allow_nan=False)
