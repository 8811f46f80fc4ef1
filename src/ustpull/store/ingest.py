"""Ingest orchestration: which files or publishers, in what order, and what failed.

Each catalog entry (a local file) and each online source is ingested in its own store
transaction, in order, so one broken file or unreachable publisher never blocks the rest:
the others are committed and the failure is reported in the :class:`IngestSummary`.

Outcome rule (:attr:`IngestSummary.status`): ``ok`` when nothing failed and no row was
rejected; ``partial`` when rows were rejected (out of range, not a complete number), when
something failed and something else was committed or already current, or when the run
stopped early (the store could not be written, e.g. a full disk, or Ctrl-C: what was
committed before stays); otherwise ``unavailable`` when every failure was an unreachable
publisher, ``invalid`` when every failure was bad input (:class:`~ustpull.errors.DataError`,
or a file all of whose rows were rejected), and ``failed`` for a mixture or an unexpected
error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ustpull.errors import DataError, IngestError, SourceUnavailableError, UstpullError
from ustpull.sources.base import ParsedBatch
from ustpull.sources.catalog import Catalog, CatalogEntry, default_catalog, parse_entry
from ustpull.store._store import DateLike, Store

if TYPE_CHECKING:
    from ustpull.sources.http import HttpClient

Outcome = Literal["ingested", "unchanged", "invalid", "unavailable", "failed"]
Status = Literal["ok", "partial", "unavailable", "invalid", "failed"]
Progress = Callable[[str, int, int], None]
"""Called after each item with ``(item name, items done, items in total)``."""

_ITEM_COLUMNS = ("name", "origin", "outcome", "rows_new", "rows_rejected", "message")


@dataclass(frozen=True)
class IngestSummary:
    """What an orchestrated ingest did, one row per file or source.

    Attributes
    ----------
    items
        Columns ``name, origin, outcome, rows_new, rows_rejected, message``; ``outcome`` is
        ``ingested``, ``unchanged`` (skipped: the file's sha256 equals that of its last
        ingest), ``invalid`` (bad input), ``unavailable`` (publisher unreachable) or
        ``failed`` (anything else); ``message`` says why for the last three.
    """

    items: pd.DataFrame
    stopped: str = ""
    """Why the run stopped before its last item (empty when it ran to the end)."""

    @property
    def status(self) -> Status:
        """``ok``, ``partial``, ``unavailable``, ``invalid`` or ``failed`` (module docstring)."""
        outcomes = self.items["outcome"]
        failed = outcomes.isin(["invalid", "unavailable", "failed"])
        if self.stopped:
            return "partial"
        if not failed.any():
            return "partial" if self.rows_rejected else "ok"
        if not failed.all():
            return "partial"
        kinds = set(outcomes)
        if kinds == {"unavailable"}:
            return "unavailable"
        return "invalid" if kinds == {"invalid"} else "failed"

    @property
    def rows_new(self) -> int:
        """Observation rows written (new keys or new vintages)."""
        return int(self.items["rows_new"].sum())

    @property
    def rows_rejected(self) -> int:
        """Rows rejected with a reason (see :meth:`Store.rejections`)."""
        return int(self.items["rows_rejected"].sum())

    @property
    def failures(self) -> pd.DataFrame:
        """The rows of :attr:`items` that failed."""
        return self.items[self.items["outcome"].isin(["invalid", "unavailable", "failed"])]

    def summary(self) -> str:
        """One line per failure and a total line."""
        counts = self.items["outcome"].value_counts()
        lines = [f"{row['name']}: {row['message']}" for row in self.failures.to_dict("records")]
        if self.stopped:
            lines.append(f"stopped early: {self.stopped}")
        lines.append(
            f"{self.status}: {counts.get('ingested', 0)} ingested, "
            f"{counts.get('unchanged', 0)} unchanged, {len(self.failures)} failed; "
            f"{self.rows_new} new row(s), {self.rows_rejected} rejected"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _item(
    name: str, origin: str, outcome: Outcome, rows_new: int = 0, rows_rejected: int = 0,
    message: str = "",
) -> dict[str, Any]:  # fmt: skip
    return {
        "name": name,
        "origin": origin,
        "outcome": outcome,
        "rows_new": rows_new,
        "rows_rejected": rows_rejected,
        "message": message,
    }


def _failure(name: str, origin: str, error: Exception) -> dict[str, Any]:
    outcome: Outcome
    if isinstance(error, SourceUnavailableError):
        outcome = "unavailable"
    elif isinstance(error, DataError):
        outcome = "invalid"
    else:
        outcome = "failed"
    return _item(name, origin, outcome, message=str(error))


def _ingest_batches(
    store: Store, name: str, origin: str, parse: Callable[[], list[ParsedBatch]]
) -> dict[str, Any]:
    """Parse and ingest one item; a failure becomes a row instead of an exception.

    :class:`~ustpull.errors.IngestError` (the store could not be written) propagates: the
    run stops there, since the next item would meet the same disk or the same Ctrl-C.
    """
    try:
        report = store.ingest(parse())
    except IngestError:
        raise
    except (UstpullError, OSError) as error:
        return _failure(name, origin, error)
    if not report.rows_rejected:
        return _item(name, origin, "ingested", report.rows_new, 0)
    first = store.rejections(report.ingest_ids[-1]).iloc[0] if report.ingest_ids else None
    why = (
        ""
        if first is None
        else f"; first: {first['series_id']} {first['reason']} (raw {first['raw']!r})"
    )
    accepted = int(report.log["rows_accepted"].sum())
    outcome: Outcome = "ingested" if accepted else "invalid"
    message = f"{report.rows_rejected} row(s) rejected, {accepted} accepted{why}"
    return _item(name, origin, outcome, report.rows_new, report.rows_rejected, message)


def _guarded_loop(
    names: Sequence[str],
    one: Callable[[int], dict[str, Any]],
    progress: Progress | None,
) -> IngestSummary:
    """Run ``one(k)`` for each item; stop on a store failure or Ctrl-C, keeping what committed."""
    rows: list[dict[str, Any]] = []
    stopped = ""
    for done, name in enumerate(names, start=1):
        try:
            rows.append(one(done - 1))
        except IngestError as error:
            rows.append(_item(name, "", "failed", message=str(error)))
            stopped = f"{name}: {error}"
            break
        except KeyboardInterrupt:
            rows.append(_item(name, "", "failed", message="interrupted (Ctrl-C); not ingested"))
            stopped = f"interrupted (Ctrl-C) at {name}; {len(rows) - 1} item(s) done before"
            break
        if progress is not None:
            progress(name, done, len(names))
    return IngestSummary(pd.DataFrame(rows, columns=list(_ITEM_COLUMNS)), stopped=stopped)


def _catalog(catalog: Catalog | Path | str | None) -> Catalog:
    if catalog is None:
        return default_catalog()
    if isinstance(catalog, Catalog):
        return catalog
    return Catalog.from_toml(catalog)


def _select(catalog: Catalog, names: Sequence[str] | None) -> list[CatalogEntry]:
    if not names:
        return list(catalog.entries)
    known = {entry.name for entry in catalog.entries}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise DataError(
            f"no entry named {', '.join(map(repr, unknown))} in catalog {catalog.source}; "
            f"entries: {', '.join(sorted(known))}"
        )
    return [entry for entry in catalog.entries if entry.name in set(names)]


def _parse_one(entry: CatalogEntry, folder: Path) -> list[ParsedBatch]:
    return [parse_entry(entry, folder)]


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # parse_entry reports the missing file with the entry's name


def ingest_local(
    data_dir: Path | str,
    *,
    store: Store | None = None,
    catalog: Catalog | Path | str | None = None,
    entries: Sequence[str] | None = None,
    skip_unchanged: bool = False,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest the catalogued files of a local data folder, one transaction per file.

    Parameters
    ----------
    data_dir
        The folder the catalog's paths are relative to.
    store
        Target store; default ``Store()`` (the user's store).
    catalog
        A :class:`~ustpull.sources.catalog.Catalog` or a TOML file; default the catalog of
        the shared data folder.
    entries
        Names of the entries to ingest; default all.
    skip_unchanged
        Skip (outcome ``unchanged``, nothing logged) a file whose sha256 equals that of the
        last ingest of the same path. Without it every file is parsed and its ingest
        logged, adding rows only where values changed.
    progress
        Callback after each file.

    Returns
    -------
    IngestSummary

    Raises
    ------
    DataError
        The catalog is invalid or ``entries`` names an unknown entry.
    StoreLockedError
        The store stayed locked longer than its ``lock_timeout``.
    """
    folder = Path(data_dir).expanduser().resolve()
    if not folder.is_dir():
        raise DataError(f"data folder {folder} does not exist")
    selected = _select(_catalog(catalog), entries)
    return _ingest_entries(store or Store(), folder, selected, skip_unchanged, progress)


def _ingest_entries(
    store: Store,
    folder: Path,
    selected: Sequence[CatalogEntry],
    skip_unchanged: bool,
    progress: Progress | None,
) -> IngestSummary:
    with store:
        origins = [str(entry.path(folder)) for entry in selected]
        known = store.known_sha256(origins) if skip_unchanged else {}

        def one(k: int) -> dict[str, Any]:
            entry, origin = selected[k], origins[k]
            if origin in known and known[origin] == _file_sha256(Path(origin)):
                return _item(entry.name, origin, "unchanged")
            return _ingest_batches(store, entry.name, origin, partial(_parse_one, entry, folder))

        return _guarded_loop([entry.name for entry in selected], one, progress)


def ingest_online(
    *,
    store: Store | None = None,
    sources: Sequence[str] | None = None,
    client: HttpClient | None = None,
    attempts: int | None = None,
    base_urls: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> IngestSummary:
    """Download every (or the named) online source and ingest each in its own transaction.

    The store is locked only while a downloaded source is written, not during downloads.

    Parameters
    ----------
    store
        Target store; default ``Store()`` (the user's store).
    sources
        Names of :data:`ustpull.sources.online.SOURCES`; default all, in table order.
    client
        HTTP client to share; default a new :class:`~ustpull.sources.http.HttpClient`
        (closed on return).
    attempts
        Requests per URL, first try included, for the default client (its policy otherwise).
    base_urls
        Endpoint -> base URL overrides (mirrors, test servers); see
        :func:`ustpull.sources.online.base_url` for the environment variables.
    progress
        Callback after each source.
    timeout
        Overall deadline of the run in seconds: downloads still running then are
        abandoned (outcome ``unavailable``); what was committed stays.

    Returns
    -------
    IngestSummary
        An unreachable publisher is outcome ``unavailable``; a payload that does not parse
        is ``invalid``.

    Raises
    ------
    DataError
        ``sources`` names an unknown source.
    """
    from ustpull.sources import online
    from ustpull.sources.http import HttpClient, RetryPolicy

    names = list(sources) if sources else list(online.SOURCES)
    unknown = [name for name in names if name not in online.SOURCES]
    if unknown:
        raise DataError(
            f"unknown online source(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(online.SOURCES)}"
        )
    target = store or Store()
    own_client = client is None
    http = client or HttpClient(retry=None if attempts is None else RetryPolicy(attempts))
    if timeout is not None:
        http.set_deadline(timeout)

    def one(k: int) -> dict[str, Any]:
        name = names[k]
        endpoint = online.SOURCES[name].endpoints[0]
        origin = online.base_url(endpoint, base_urls=base_urls)
        fetch = partial(online.fetch, name, http, base_urls=base_urls)
        return _ingest_batches(target, name, origin, fetch)

    try:
        return _guarded_loop(names, one, progress)
    finally:
        if own_client:
            http.close()


def load(
    ids: Sequence[str],
    *,
    data_dir: Path | str | None = None,
    store: Store | Path | str | None = None,
    as_of: DateLike | None = None,
    catalog: Catalog | Path | str | None = None,
) -> pd.DataFrame:
    """Series for analysis, from the store, first ingesting local files if asked.

    Parameters
    ----------
    ids
        Canonical series ids.
    data_dir
        If given, the catalogued files that hold ``ids`` are ingested first (whole files;
        a file whose sha256 was already ingested is skipped, so a repeat call is cheap).
    store
        A :class:`Store` or a database path; default the user's store.
    as_of
        Values as known at this time (see :meth:`Store.frame`).
    catalog
        Catalog of ``data_dir``; default the shared-data catalog.

    Returns
    -------
    pd.DataFrame
        As :meth:`Store.frame`: float64, ``DatetimeIndex`` named ``date``, columns ``ids``.

    Raises
    ------
    SeriesNotFoundError
        No catalog entry provides an id (with ``data_dir``) or the store lacks it.
    IngestError, DataError
        A needed file could not be ingested (the first failure is re-raised).
    """
    ids = list(ids)
    target = store if isinstance(store, Store) else Store(store, read_only=data_dir is None)
    if data_dir is not None:
        folder = Path(data_dir).expanduser().resolve()
        needed = _catalog(catalog).entries_for(ids)
        summary = _ingest_entries(target, folder, needed, True, None)
        if len(summary.failures):
            first = summary.failures.iloc[0]
            raise DataError(f"could not ingest {first['name']} for load(): {first['message']}")
    return target.frame(ids, as_of=as_of)
