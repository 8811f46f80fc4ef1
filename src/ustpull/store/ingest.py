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

import contextlib
import hashlib
import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ustpull.errors import DataError, IngestError, SourceUnavailableError, UstpullError
from ustpull.parallel import fork_helpers
from ustpull.sources.base import ParsedBatch
from ustpull.sources.catalog import Catalog, CatalogEntry, default_catalog, parse_entry
from ustpull.store._store import DateLike, IngestReport, Store, Validated, validate_ahead

if TYPE_CHECKING:
    from ustpull.sources.http import HttpClient

Outcome = Literal["ingested", "unchanged", "invalid", "unavailable", "failed"]
Status = Literal["ok", "partial", "unavailable", "invalid", "failed"]
Progress = Callable[[str, int, int], None]
"""Called after each item with ``(item name, items done, items in total)``."""

_ITEM_COLUMNS = ("name", "origin", "outcome", "rows_new", "rows_rejected", "message", "series")
_TRANSFER_COLUMNS = ("source", "url", "status", "bytes", "conditional", "seconds")

#: Days before the last stored observation that an incremental FRED download starts from,
#: by frequency: publishers revise recent values (daily H.15 rarely beyond a few days,
#: monthly CPI and payrolls in the following months, quarterly GDP over its three-year
#: annual revision), so that stretch is downloaded again and any revision becomes a new
#: vintage.
REVISION_WINDOW_DAYS: Mapping[str, int] = {
    "daily": 31,
    "weekly": 92,
    "monthly": 400,
    "quarterly": 3 * 366,
    "annual": 5 * 366,
    "irregular": 400,
}


def _empty_transfers() -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in _TRANSFER_COLUMNS})


@dataclass(frozen=True)
class IngestSummary:
    """What an orchestrated ingest did, one row per file or source.

    Attributes
    ----------
    items
        Columns ``name, origin, outcome, rows_new, rows_rejected, message``; ``outcome`` is
        ``ingested``, ``unchanged`` (skipped: the file's sha256 equals that of its last
        ingest), ``invalid`` (bad input), ``unavailable`` (publisher unreachable) or
        ``failed`` (anything else); ``message`` says why for the last three and
        ``series`` names the series that failed (one row per failed file of a source
        served as several files).
    transfers
        One row per HTTP request of an online ingest: ``source, url, status`` (304: not
        modified), ``bytes``, ``conditional`` (sent with a validator), ``seconds``.
    """

    items: pd.DataFrame
    transfers: pd.DataFrame = field(default_factory=_empty_transfers)
    stopped: str = ""
    """Why the run stopped before its last item (empty when it ran to the end)."""

    @property
    def requests(self) -> int:
        """HTTP requests made (online ingest)."""
        return len(self.transfers)

    @property
    def not_modified(self) -> int:
        """Requests the server answered ``304 Not Modified``."""
        return int((self.transfers["status"] == 304).sum()) if len(self.transfers) else 0

    @property
    def bytes_downloaded(self) -> int:
        """Body bytes received."""
        return int(self.transfers["bytes"].sum()) if len(self.transfers) else 0

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
            + (
                f"; {self.requests} request(s), {self.not_modified} not modified, "
                f"{self.bytes_downloaded:,} bytes"
                if len(self.transfers)
                else ""
            )
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _item(
    name: str, origin: str, outcome: Outcome, rows_new: int = 0, rows_rejected: int = 0,
    message: str = "", series: str = "",
) -> dict[str, Any]:  # fmt: skip
    return {
        "name": name,
        "origin": origin,
        "outcome": outcome,
        "rows_new": rows_new,
        "rows_rejected": rows_rejected,
        "message": message,
        "series": series,
    }


def _failure(name: str, origin: str, error: Exception, series: str = "") -> dict[str, Any]:
    outcome: Outcome
    if isinstance(error, SourceUnavailableError):
        outcome = "unavailable"
    elif isinstance(error, DataError):
        outcome = "invalid"
    else:
        outcome = "failed"
    return _item(name, origin, outcome, message=str(error), series=series)


Parsed = tuple[list[ParsedBatch], list[Validated]]
"""A file's batches and, when a parsing helper validated them ahead, their validation."""


def _ingest_batches(
    store: Store, name: str, origin: str, parse: Callable[[], Parsed]
) -> dict[str, Any]:
    """Parse and ingest one item; a failure becomes a row instead of an exception.

    :class:`~ustpull.errors.IngestError` (the store could not be written) propagates: the
    run stops there, since the next item would meet the same disk or the same Ctrl-C.
    """
    try:
        batches, ahead = parse()
        report = store.ingest(batches, ahead=ahead)
    except IngestError:
        raise
    except (UstpullError, OSError) as error:
        return _failure(name, origin, error)
    return _ingested_item(store, name, origin, report)


def _ingested_item(store: Store, name: str, origin: str, report: IngestReport) -> dict[str, Any]:
    """The summary row of a committed ingest, naming the first rejected row if any."""
    if not report.rows_rejected:
        return _item(name, origin, "ingested", report.rows_new, 0)
    # a source of several files logs one ingest per file: the first that rejected rows
    rejected = (store.rejections(ingest_id) for ingest_id in report.ingest_ids)
    first = next((rows.iloc[0] for rows in rejected if len(rows)), None)
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
    one: Callable[[int], dict[str, Any] | list[dict[str, Any]]],
    progress: Progress | None,
) -> IngestSummary:
    """Run ``one(k)`` for each item; stop on a store failure or Ctrl-C, keeping what committed."""
    rows: list[dict[str, Any]] = []
    stopped = ""
    for done, name in enumerate(names, start=1):
        try:
            done_rows = one(done - 1)
            rows.extend(done_rows if isinstance(done_rows, list) else [done_rows])
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


def _parse_one(entry: CatalogEntry, folder: Path) -> Parsed:
    return [parse_entry(entry, folder)], []


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
        todo = {
            k: entry
            for k, (entry, origin) in enumerate(zip(selected, origins, strict=True))
            if not (origin in known and known[origin] == _file_sha256(Path(origin)))
        }
        with _parsed_ahead(todo, folder) as parsed:

            def one(k: int) -> dict[str, Any]:
                entry, origin = selected[k], origins[k]
                if k not in parsed:
                    return _item(entry.name, origin, "unchanged")
                return _ingest_batches(store, entry.name, origin, parsed[k])

            return _guarded_loop([entry.name for entry in selected], one, progress)


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


_AHEAD: tuple[Mapping[int, CatalogEntry], Path] | None = None
"""What the parsing helper parses, inherited by fork (only results cross, pickled)."""


def _parse_ahead(k: int) -> Parsed:
    """Parse entry ``k`` and validate its batches (the part of the store's checks that
    needs no store: :func:`~ustpull.store._store.validate_ahead`), in the helper."""
    if _AHEAD is None:  # pragma: no cover - only set in a forked helper
        raise RuntimeError("no entries to parse in this helper")
    entries, folder = _AHEAD
    batches, _ = _parse_one(entries[k], folder)
    return batches, [validate_ahead(batch) for batch in batches]


# a series' read-only attributes cross from the parsing helper as a copy (multiprocessing's
# pickler only; plain pickle is unchanged)
ForkingPickler.register(MappingProxyType, _reduce_proxy)


@contextlib.contextmanager
def _parsed_ahead(
    entries: Mapping[int, CatalogEntry], folder: Path
) -> Iterator[dict[int, Callable[[], Parsed]]]:
    """Each entry's parse, by position: done ahead, in order, by a forked helper process
    (which also validates the batches as far as that needs no store) while this one writes
    the store (parsing is a pure function of the file), or here when
    asked (no helper: one core, not Linux, or a single file). A parse error is raised when
    its result is asked for, as if parsed here."""
    if fork_helpers() == 0 or len(entries) < 2:
        yield {k: partial(_parse_one, entry, folder) for k, entry in entries.items()}
        return
    global _AHEAD
    _AHEAD = (entries, folder)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        futures = {k: pool.submit(_parse_ahead, k) for k in entries}
        yield {k: future.result for k, future in futures.items()}
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _AHEAD = None


def ingest_online(
    *,
    store: Store | None = None,
    sources: Sequence[str] | None = None,
    series: Mapping[str, Sequence[str]] | None = None,
    client: HttpClient | None = None,
    attempts: int | None = None,
    base_urls: Mapping[str, str] | None = None,
    incremental: bool = True,
    progress: Progress | None = None,
    timeout: float | None = None,
) -> IngestSummary:
    """Download every (or the named) online source and ingest each in its own transaction.

    The store is locked only while a downloaded source is written, not during downloads.
    A source served as several files (FRED: one per series) fails per file: the files that
    came through are committed and each failed one is listed (series, URL, reason).

    Parameters
    ----------
    store
        Target store; default ``Store()`` (the user's store).
    sources
        Names of :data:`ustpull.sources.online.SOURCES`; default all, in table order (or
        the keys of ``series``).
    series
        Source name -> the canonical ids to fetch from it; default everything it publishes.
    client
        HTTP client to share; default a new :class:`~ustpull.sources.http.HttpClient`
        (closed on return).
    attempts
        Requests per URL, first try included, for the default client (its policy otherwise).
    base_urls
        Endpoint -> base URL overrides (mirrors, test servers); see
        :func:`ustpull.sources.online.base_url` for the environment variables.
    incremental
        Send conditional requests (ETag / Last-Modified of the last download, from the
        store's download log) and download FRED series from their last stored date minus
        :data:`REVISION_WINDOW_DAYS`.
    progress
        Callback after each source.
    timeout
        Overall deadline of the run in seconds: downloads still running then are
        abandoned (outcome ``unavailable``); what was committed stays.

    Returns
    -------
    IngestSummary
        An unreachable publisher is outcome ``unavailable``; a payload that does not parse
        is ``invalid``; a source whose files were all not modified is ``unchanged``.
        :attr:`IngestSummary.transfers` counts requests, bytes and 304s.

    Raises
    ------
    DataError
        ``sources`` names an unknown source.
    """
    from ustpull.sources import online
    from ustpull.sources.http import HttpClient, RetryPolicy, Validators
    from ustpull.store.downloads import known_validators

    names = list(sources) if sources else list(series or online.SOURCES)
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
    # validators per source, from the store's download log, unless the caller set them
    managed = incremental and http.validators is None
    transfers: list[dict[str, Any]] = []

    def one(k: int) -> list[dict[str, Any]]:
        name = names[k]
        wanted = None if series is None else list(series.get(name, ())) or None
        options = _incremental_options(target, name, wanted) if incremental else {}
        if managed:
            http.validators = Validators(known_validators(target, name, wanted))
        started = len(http.exchanges)
        try:
            return _ingest_source(target, http, name, wanted, base_urls, options)
        finally:
            transfers.extend(
                {"source": name, "url": e.url, "status": e.status, "bytes": e.bytes,
                 "conditional": e.conditional, "seconds": e.elapsed}
                for e in http.exchanges[started:]
            )  # fmt: skip

    try:
        summary = _guarded_loop(names, one, progress)
    finally:
        if managed:
            http.validators = None
        if own_client:
            http.close()
    return replace(summary, transfers=pd.DataFrame(transfers, columns=list(_TRANSFER_COLUMNS)))


def _series_label(ids: Sequence[str]) -> str:
    """``a, b, c`` or, for many, ``a, b, ... (N series)`` (one readable line)."""
    ids = list(ids)
    if len(ids) <= 4:
        return ", ".join(ids)
    return f"{', '.join(ids[:2])}, ... ({len(ids)} series)"


def _incremental_options(store: Store, source: str, wanted: Sequence[str] | None) -> dict[str, Any]:
    """``starts=`` for fetchers that download by date (FRED): last stored date minus the
    revision window of the series' frequency."""
    import inspect

    from ustpull.sources import online

    definition = online.SOURCES[source]
    if "starts" not in inspect.signature(definition.fetcher).parameters:
        return {}
    ids = list(wanted or definition.series)
    if not store.path.exists():
        return {}
    listing = store.list_series()
    present = listing.loc[listing.index.isin(ids) & (listing["count"] > 0)]
    starts: dict[str, date] = {}
    for series_id, row in present.iterrows():
        window = REVISION_WINDOW_DAYS.get(str(row["frequency"]), 400)
        starts[str(series_id)] = (pd.Timestamp(row["last"]) - timedelta(days=window)).date()
    return {"starts": starts} if starts else {}


def _ingest_source(
    store: Store,
    http: HttpClient,
    name: str,
    wanted: Sequence[str] | None,
    base_urls: Mapping[str, str] | None,
    options: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Fetch one source, commit what came through, log its downloads; rows for the summary."""
    from ustpull.sources import online
    from ustpull.store.downloads import DownloadRecord, record_downloads

    definition = online.SOURCES[name]
    origin = online.base_url(definition.endpoints[0], base_urls=base_urls)
    carried = _series_label(wanted or definition.series)
    started = len(http.exchanges)
    rows: list[dict[str, Any]] = []
    failed_urls: set[str] = set()
    try:
        batches = online.fetch(name, http, series=wanted, base_urls=base_urls, **options)
    except online.PartialFetchError as partial_fetch:
        batches = partial_fetch.batches
        for failure in partial_fetch.failures:
            outcome: Outcome = "unavailable" if failure.unavailable else "invalid"
            series_named = ", ".join(failure.series)
            rows.append(
                _item(name, failure.url, outcome, message=failure.reason, series=series_named)
            )
            failed_urls.add(failure.url)
    except (UstpullError, OSError) as error:
        return [_failure(name, origin, error, series=carried)]
    if batches:
        try:
            report = store.ingest(batches)
        except IngestError:
            raise
        except (UstpullError, OSError) as error:
            return [*rows, _failure(name, origin, error, series=carried)]
        rows.insert(0, _ingested_item(store, name, origin, report))
    elif not rows:
        rows.append(_item(name, origin, "unchanged"))
    carried_by = {batch.origin: tuple(batch.series_ids) for batch in batches}
    # Only downloads whose data were committed (or not modified) are logged: a failed
    # file keeps no validator, so the next run fetches it in full.
    records = [
        DownloadRecord(
            name,
            e.url,
            e.status,
            e.etag,
            e.last_modified,
            e.sha256,
            e.bytes,
            carried_by.get(e.url, ()),
            None if wanted is None else tuple(wanted),
        )
        for e in http.exchanges[started:]
        if e.status == 304 or e.url in carried_by
    ]
    record_downloads(store, records)
    return rows


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
