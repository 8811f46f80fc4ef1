"""The embedded, versioned DuckDB store.

Vintage rule
------------
Observations are never overwritten. Ingesting a batch writes a row for ``(series_id, date)``
only when the store has no value for that key yet or the batch's value differs from the
latest stored value (exact float64 comparison). Every batch offered to the store gets a row
in the ingest log (``rows_new = 0`` when nothing changed), so re-ingesting identical data
adds log rows (and logs its rejected rows again, as part of that attempt) but no
observation rows. A value missing from a later payload is not a deletion: the last known
value stays current.

``as_of`` queries return, for each key, the value of the latest ingest recorded at or
before ``as_of`` (UTC). A date without a time means the end of that day.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from ustpull.config import default_store_path
from ustpull.errors import (
    DataError,
    IngestError,
    SeriesNotFoundError,
    StoreLockedError,
    UstpullError,
)
from ustpull.sources.base import (
    OBSERVATION_COLUMNS,
    REJECTION_COLUMNS,
    ParsedBatch,
    SeriesSpec,
)
from ustpull.store._checks import HistoryCheck, implausible
from ustpull.store._schema import OPTIONAL_TABLES, SCHEMA, TABLES

_LOCK_POLL_SECONDS = 0.05
#: Longest lock wait accepted (one day), so a typo cannot hang a run for ever.
MAX_LOCK_TIMEOUT = 86_400.0
#: A revision storm needs more than this many revised values as well as the share.
MIN_REVISION_ROWS = 5
_DUCKDB_MAGIC = b"DUCK"  # bytes 8..11 of a DuckDB database file
_CONNECT_CONFIG = {
    # never download or load code because a file or query asks for it
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOG_COLUMNS = (
    "ingest_id",
    "recorded_at",
    "source",
    "origin",
    "sha256",
    "rows_received",
    "rows_accepted",
    "rows_new",
    "rows_rejected",
    "series_count",
)
_SERIES_COLUMNS = (
    "id",
    "title",
    "units",
    "frequency",
    "country",
    "basis",
    "compounding",
    "measure",
    "source",
    "attributes",
)

DateLike = str | dt.date | pd.Timestamp


@dataclass(frozen=True)
class IngestReport:
    """What one :meth:`Store.ingest` call did, one row per batch.

    Attributes
    ----------
    log
        The ingest-log rows written by this call (columns as :meth:`Store.ingest_log`).
    """

    log: pd.DataFrame

    @property
    def ingest_ids(self) -> list[int]:
        """Ids of the ingest-log rows written, in batch order."""
        return [int(i) for i in self.log["ingest_id"]]

    @property
    def rows_received(self) -> int:
        """Observation rows offered by the batches (before validation)."""
        return int(self.log["rows_received"].sum())

    @property
    def rows_new(self) -> int:
        """Observation rows written: new keys or changed values (new vintages)."""
        return int(self.log["rows_new"].sum())

    @property
    def rows_rejected(self) -> int:
        """Rows rejected by the parsers or by the store's validation."""
        return int(self.log["rows_rejected"].sum())

    def summary(self) -> str:
        """One line per batch and a total line."""
        rows: list[dict[Any, Any]] = self.log.to_dict("records")
        lines = [
            f"{row['source']:<16} {row['origin']}: {row['rows_new']} new, "
            f"{row['rows_accepted'] - row['rows_new']} unchanged, "
            f"{row['rows_rejected']} rejected"
            for row in rows
        ]
        lines.append(
            f"total: {len(self.log)} batch(es), {self.rows_new} new row(s), "
            f"{self.rows_rejected} rejected"
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _as_of_cutoff(as_of: DateLike) -> pd.Timestamp:
    """``as_of`` as a naive UTC timestamp; a bare date means the end of that day."""
    date_only = (isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)) or (
        isinstance(as_of, str) and _DATE_ONLY.match(as_of.strip()) is not None
    )
    stamp = _timestamp(as_of, "as_of")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    if date_only:
        stamp = stamp + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return stamp


def _timestamp(value: DateLike, what: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{what}={value!r} is not a date (use YYYY-MM-DD)") from exc
    if pd.isna(stamp):
        raise DataError(f"{what}={value!r} is not a date (use YYYY-MM-DD)")
    return stamp


def _day(value: DateLike | None, what: str) -> dt.date | None:
    return None if value is None else _timestamp(value, what).date()


def latest_grid(
    columns: np.ndarray,
    dates: np.ndarray,
    values: np.ndarray,
    vintages: np.ndarray,
    n_columns: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Wide grid of the latest vintage of each (date, column) from long vintage rows.

    Parameters
    ----------
    columns
        Column position of each row, in ``[0, n_columns)``.
    dates
        ``datetime64`` date of each row.
    values
        float64 value of each row.
    vintages
        Ingest id of each row; of rows sharing ``(column, date)`` the highest wins.
    n_columns
        Width of the grid.

    Returns
    -------
    dates, grid
        Sorted unique dates and a ``(len(dates), n_columns)`` float64 grid, NaN where a
        column has no row on a date.
    """
    if not len(columns):
        return np.array([], dtype=dates.dtype), np.full((0, n_columns), np.nan)
    # dates as day numbers from the first: the unique dates and each row's position in them
    # come from a table of the days in range (no sort), and (column, day, vintage) packs into
    # one integer whose sort puts each cell's rows together, highest vintage last
    days = dates.astype("datetime64[D]").view("int64")
    first_day = int(days.min())
    offset = days - first_day
    span = int(offset.max()) + 1
    lowest = int(vintages.min())
    versions = int(vintages.max()) - lowest + 1
    if n_columns * span * versions >= 2**62:  # cannot pack: sort the three keys instead
        order = np.lexsort((vintages, offset, columns))
    else:
        packed = (columns * span + offset) * versions + (vintages - lowest)
        order = np.argsort(packed, kind="stable")  # the rows arrive nearly in this order
    cell = columns[order] * span + offset[order]
    is_last = np.ones(len(order), dtype=bool)
    is_last[:-1] = cell[1:] != cell[:-1]
    kept = order[is_last]
    present = np.zeros(span, dtype=bool)
    present[offset[kept]] = True
    position = np.cumsum(present) - 1
    unique_days = np.flatnonzero(present) + first_day
    unique_dates = unique_days.astype("datetime64[D]").astype(dates.dtype)
    # filled column by column (the rows are sorted by column, then date): sequential writes;
    # returned transposed, so a DataFrame takes it as its column-major block without a copy
    by_column = np.full((n_columns, len(unique_days)), np.nan)
    by_column[columns[kept], position[offset[kept]]] = values[kept]
    grid = by_column.T
    return unique_dates, grid


_OBSERVATION_LAYOUT = ["series_id", "date", "value", "ingest_id", "revision"]


def _check_layout(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a store whose tables another version of ustpull wrote, instead of failing later."""
    columns = [
        str(row[0])
        for row in connection.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'observations' ORDER BY ordinal_position"
        ).fetchall()
    ]
    if columns and columns != _OBSERVATION_LAYOUT:
        raise UstpullError(
            f"store {path} has an incompatible layout (observations columns {columns}, "
            f"expected {_OBSERVATION_LAYOUT}); another ustpull version wrote it: move it away "
            "or point --store / USTPULL_STORE elsewhere"
        )


def _refuse_foreign_file(path: Path) -> None:
    """Refuse, before DuckDB touches it, a file that is not a DuckDB database."""
    if path.is_dir():
        raise DataError(f"store {path} is a directory; give a database file path")
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DataError(f"cannot read store {path}: {exc.strerror or exc}") from exc
    if head and head[8:12] != _DUCKDB_MAGIC:
        kind = "an SQLite database" if head.startswith(b"SQLite format 3") else "not a DuckDB file"
        raise DataError(
            f"{path} is not a ustpull store ({kind}); refused, the file is untouched: "
            "point --store / USTPULL_STORE at a new or existing ustpull store"
        )


def _refuse_foreign_tables(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a DuckDB file that another application's tables live in (before any write)."""
    tables = {
        str(row[0])
        for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
            "current_database()"
        ).fetchall()
    }
    foreign = sorted(tables - {*TABLES, *OPTIONAL_TABLES})
    if foreign:
        raise DataError(
            f"{path} is a DuckDB file but not a ustpull store (tables {foreign}); "
            "refused, the file is untouched: point --store / USTPULL_STORE elsewhere"
        )


def _lock_holder(message: str) -> str:
    match = re.search(r"PID (\d+)", message)
    return f"process {match.group(1)}" if match else "another process"


@dataclass(frozen=True)
class Validated:
    """A batch validated ahead of its ingest, against the metadata it carries only
    (:func:`validate_ahead`): ``observations`` and ``rejections`` as :func:`_validated`
    returns them; ``self_described`` when every row's series is described by the batch,
    so that the store's metadata cannot change the outcome."""

    observations: pd.DataFrame
    rejections: pd.DataFrame
    self_described: bool


def validate_ahead(batch: ParsedBatch) -> Validated:
    """:func:`_validated` of ``batch`` without the store (a parsing helper runs it, so the
    process writing the store need not); used by :meth:`Store.ingest` only when
    ``self_described``."""
    observations, rejections, undescribed = _validated_rows(batch, set())
    return Validated(observations, rejections, not undescribed)


def _validated(batch: ParsedBatch, known_series: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a batch into storable observations and all rejections (:func:`_validated_rows`)."""
    observations, rejections, _ = _validated_rows(batch, known_series)
    return observations, rejections


def _validated_rows(
    batch: ParsedBatch, known_series: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Split a batch into storable observations and all rejections (vectorised), and say
    whether some row's series has metadata neither in the batch nor in ``known_series``.

    Rows that break the :class:`ParsedBatch` contract become rejections with the reason:
    missing or non-midnight date, non-finite value, a series without metadata, a value
    or date outside the family's valid range (:mod:`ustpull.store._checks`), a repeated
    ``(series_id, date)`` (the first otherwise valid copy is kept). Structural problems
    raise :class:`DataError`.
    """
    for name, frame, columns in (
        ("observations", batch.observations, OBSERVATION_COLUMNS),
        ("rejections", batch.rejections, REJECTION_COLUMNS),
    ):
        absent = [column for column in columns if column not in frame.columns]
        if absent:
            raise DataError(
                f"batch from {batch.origin}: {name} lack column(s) {absent}; "
                f"columns present: {list(frame.columns)}"
            )
    observations = batch.observations
    series_id = observations["series_id"].astype("str").to_numpy(dtype=object)
    # the ids once as integer codes (in sorted id order): every later step works on those
    codes, ids = pd.factorize(series_id, sort=True)
    dates = pd.to_datetime(observations["date"], errors="coerce")
    values = pd.to_numeric(observations["value"], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    no_date = dates.isna().to_numpy()
    timed = ~no_date & (dates != dates.dt.normalize()).to_numpy()
    non_finite = ~np.isfinite(values)
    described = pd.Index(sorted(known_series | set(batch.series_ids)), dtype="str")
    id_known = np.append(pd.Index(ids, dtype="str").isin(described), False)  # code -1: no id
    no_metadata = ~id_known[codes]
    checked = ~(no_date | timed | non_finite | no_metadata)
    plausibility = np.full(len(observations), None, dtype=object)
    plausibility[checked] = implausible(
        series_id[checked],
        dates[checked],
        values[checked],
        {spec.id: spec for spec in batch.series},
        codes=codes[checked],
    )
    unreasonable = pd.notna(plausibility)
    # a repeat is judged among otherwise valid rows, so a bad first copy cannot hide a good one
    usable = np.flatnonzero(checked & ~unreasonable)
    day = dates.to_numpy(dtype="datetime64[us]").view("int64")
    # stable sort by (id, date): the first copy of a repeated key comes first among its copies
    ordered = usable[np.lexsort((day[usable], codes[usable]))]
    again = (codes[ordered][1:] == codes[ordered][:-1]) & (day[ordered][1:] == day[ordered][:-1])
    repeated = np.zeros(len(observations), dtype=bool)
    repeated[ordered[1:][again]] = True
    reasons = (
        (no_date, "missing or unparseable date"),
        (timed, "date has a time of day; observations are daily"),
        (non_finite, "non-finite value"),
        (no_metadata, "series has no metadata in the batch or the store"),
        (repeated, "duplicate (series_id, date) in the batch; first occurrence kept"),
    )
    reason = np.full(len(observations), None, dtype=object)
    reason[unreasonable] = plausibility[unreasonable]
    for mask, text in reversed(reasons):  # the first applicable reason wins
        reason[mask] = text
    bad = pd.notna(reason)
    kept = ordered[~repeated[ordered]]  # the storable rows, sorted by (series_id, date)
    good = pd.DataFrame(
        {
            # categorical: the store's steps group by it and DuckDB scans it without
            # converting a string per row
            "series_id": pd.Categorical.from_codes(codes[kept], categories=pd.Index(ids)),
            "date": day[kept].view("datetime64[us]"),
            "value": values[kept],
        }
    )
    store_rejections = pd.DataFrame(
        {
            "series_id": series_id[bad],
            "date": dates[bad].to_numpy(dtype="datetime64[us]"),
            "raw": observations["value"].to_numpy(dtype=object)[bad].astype("str"),
            "reason": reason[bad],
        }
    )
    parser_rejections = batch.rejections.loc[:, list(REJECTION_COLUMNS)].assign(
        date=lambda frame: pd.to_datetime(frame["date"], errors="coerce").astype("datetime64[us]")
    )
    rejections = pd.concat(
        [frame for frame in (parser_rejections, store_rejections) if len(frame)]
        or [store_rejections],
        ignore_index=True,
    )
    rejections = rejections.astype({"series_id": "str", "raw": "str", "reason": "str"})
    return good, rejections, bool(no_metadata.any())


def _series_frame(specs: Iterable[SeriesSpec]) -> pd.DataFrame:
    latest = {spec.id: spec for spec in specs}  # a repeated id: the last spec wins
    return pd.DataFrame(
        {
            "id": [spec.id for spec in latest.values()],
            "title": [spec.title for spec in latest.values()],
            "units": [spec.units for spec in latest.values()],
            "frequency": [spec.frequency for spec in latest.values()],
            "country": [spec.country for spec in latest.values()],
            "basis": [spec.basis for spec in latest.values()],
            "compounding": [spec.compounding for spec in latest.values()],
            "measure": [spec.measure for spec in latest.values()],
            "source": [spec.source for spec in latest.values()],
            "attributes": [
                json.dumps(dict(spec.attributes), sort_keys=True) for spec in latest.values()
            ],
        },
        columns=list(_SERIES_COLUMNS),
    ).astype("str")


def _run(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """Execute and fetch everything (DuckDB refuses new work while a result is pending)."""
    return connection.execute(sql, list(parameters)).fetchall()


def _write_series(
    connection: duckdb.DuckDBPyConnection, specs: pd.DataFrame, ingest_id: int
) -> None:
    """Replace the metadata of the batch's series (metadata is not versioned)."""
    connection.register("staged_series", specs)
    _run(connection, "DELETE FROM series WHERE id IN (SELECT id FROM staged_series)")
    _run(
        connection,
        f"INSERT INTO series SELECT {', '.join(_SERIES_COLUMNS)}, ? FROM staged_series",
        [ingest_id],
    )
    connection.unregister("staged_series")


def _write_observations(
    connection: duckdb.DuckDBPyConnection, observations: pd.DataFrame, ingest_id: int
) -> int:
    """Append the rows whose key is new or whose value changed; return how many.

    ``observations`` carries ``stored_value`` from :func:`_history` (read in the same
    transaction), so the store's latest values are not aggregated a second time; its rows
    are sorted by ``(series_id, date)`` (:func:`_validated`), the order they are stored in.
    """
    old = observations["stored_value"].to_numpy()
    changed = np.isnan(old) | (old != observations["value"].to_numpy())
    staged = observations.loc[changed, ["series_id", "date", "value"]].assign(
        revision=~np.isnan(old[changed])
    )
    connection.register("staged_observations", staged)
    ((written,),) = _run(
        connection,
        """
        INSERT INTO observations
        SELECT series_id, CAST(date AS DATE), value, ?, revision FROM staged_observations
        """,
        [ingest_id],
    )
    connection.unregister("staged_observations")
    return int(written)


def _write_rejections(
    connection: duckdb.DuckDBPyConnection, rejections: pd.DataFrame, ingest_id: int
) -> None:
    if rejections.empty:
        return
    connection.register("staged_rejections", rejections)
    _run(
        connection,
        """
        INSERT INTO rejections
        SELECT ?, series_id, CAST(date AS DATE), raw, reason FROM staged_rejections
        """,
        [ingest_id],
    )
    connection.unregister("staged_rejections")


def _write_log(connection: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    _run(
        connection,
        f"INSERT INTO ingests ({', '.join(_LOG_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in _LOG_COLUMNS)})",
        [row[column] for column in _LOG_COLUMNS],
    )


def _history(
    connection: duckdb.DuckDBPyConnection, observations: pd.DataFrame, origin: str
) -> tuple[HistoryCheck, pd.DataFrame]:
    """Compare a validated batch with the store's current values.

    Returns
    -------
    history, observations
        :class:`HistoryCheck` per series, and the observations with a ``stored_value``
        column (the current stored value of each key, NaN if none) that
        :func:`_write_observations` uses, so the store's latest values are read once.
    """
    batch_ids = list(_present_ids(observations))
    spans = connection.execute(
        """
        SELECT series_id, count(*) FILTER (WHERE NOT revision) AS stored,
               max(date) FILTER (
                   WHERE ingest_id IN (SELECT ingest_id FROM ingests WHERE origin = ?)
               ) AS origin_last
        FROM observations WHERE series_id IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY series_id
        """,
        [origin, batch_ids],
    ).df()
    stored_value = np.full(len(observations), np.nan)
    if len(spans):  # only series with stored values have latest values to read
        held = observations["series_id"].isin(spans["series_id"]).to_numpy()
        staged = observations.loc[held, ["series_id", "date"]].assign(row=np.flatnonzero(held))
        connection.register("staged_history", staged)
        found = connection.execute(
            """
            SELECT s.row, l.value FROM staged_history AS s
            JOIN (
                SELECT series_id, date, arg_max(value, ingest_id) AS value FROM observations
                WHERE series_id IN (SELECT unnest(?::VARCHAR[]))
                GROUP BY series_id, date
            ) AS l ON l.series_id = s.series_id AND l.date = CAST(s.date AS DATE)
            """,
            [list(spans["series_id"].astype("str"))],
        ).fetchnumpy()
        connection.unregister("staged_history")
        rows = np.asarray(found["row"], dtype=np.int64)
        stored_value[rows] = np.asarray(found["value"], dtype=float)
    observations = observations.assign(stored_value=stored_value)
    return HistoryCheck(_history_table(observations, spans)), observations


def _present_ids(observations: pd.DataFrame) -> pd.Index:
    """The series ids present in ``observations``, in order of first appearance."""
    return pd.Index(pd.unique(observations["series_id"]), dtype="str")


def _history_table(observations: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Per series: stored, overlap, revised, ratio, batch_last, origin_last (vectorised)."""
    codes, ids = pd.factorize(observations["series_id"], sort=False)
    new, old = observations["value"].to_numpy(), observations["stored_value"].to_numpy()
    overlap = ~np.isnan(old)
    dates = observations["date"].to_numpy(dtype="datetime64[us]")
    last = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[us]")
    if len(codes):
        latest = pd.Series(dates.view("int64")).groupby(codes).max()
        last[latest.index.to_numpy()] = latest.to_numpy().view("datetime64[us]")
    ratio = np.full(len(ids), np.nan)
    usable = overlap & (old != 0)
    if usable.any():  # the median ratio only where there is stored history to compare
        ratios = pd.Series(new[usable] / old[usable]).groupby(codes[usable]).median()
        ratio[ratios.index.to_numpy()] = ratios.to_numpy()
    table = pd.DataFrame(
        {
            "overlap": np.bincount(codes, weights=overlap, minlength=len(ids)).astype("int64"),
            "revised": np.bincount(
                codes, weights=overlap & (old != new), minlength=len(ids)
            ).astype("int64"),
            "ratio": ratio,
            "batch_last": pd.DatetimeIndex(last),
        },
        index=pd.Index(ids, name="series_id", dtype="str"),
    )
    spans = spans.set_index("series_id").reindex(table.index)
    table["stored"] = spans["stored"].fillna(0).astype("int64")
    table["origin_last"] = pd.to_datetime(spans["origin_last"])
    return table


def _refuse_rescaled(
    observations: pd.DataFrame, rejections: pd.DataFrame, diagnoses: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move the rows of series diagnosed as rescaled from observations to rejections."""
    if not diagnoses:
        return observations, rejections
    refused = observations["series_id"].isin(list(diagnoses))
    moved = observations[refused]
    extra = pd.DataFrame(
        {
            "series_id": moved["series_id"].to_numpy(),
            "date": moved["date"].to_numpy(dtype="datetime64[us]"),
            "raw": moved["value"].astype("str").to_numpy(),
            "reason": moved["series_id"].map(diagnoses).to_numpy(),
        }
    )
    merged = pd.concat([rejections, extra], ignore_index=True).astype(
        {"series_id": "str", "raw": "str", "reason": "str"}
    )
    return observations[~refused].reset_index(drop=True), merged


def _rollback(connection: duckdb.DuckDBPyConnection) -> str:
    """Roll back, returning why that failed ('' if it did not): DuckDB may have ended the
    transaction itself (disk full, interrupt), and that must not hide the real cause."""
    try:
        connection.rollback()
    except duckdb.Error as exc:
        if "no transaction is active" in str(exc):
            return ""  # DuckDB already ended it (a failed commit): nothing was written
        return str(exc)
    return ""


class Store:
    """The embedded DuckDB store of series metadata, vintaged observations and ingest logs.

    Parameters
    ----------
    path
        Database file; default :func:`ustpull.config.default_store_path` (``$USTPULL_STORE``
        or the user data directory).
    read_only
        Open without the write lock (several readers may share the file; a writer may not).
    lock_timeout
        Seconds to wait, polling, while another process holds the file, before raising
        :class:`~ustpull.errors.StoreLockedError`; finite and within
        ``[0, MAX_LOCK_TIMEOUT]``.
    max_revision_share
        Share of a series' stored history one ingest may revise; beyond it (and beyond
        ``min_revision_rows`` values), or when an origin's payload ends earlier than its
        last ingest did, the ingest is refused unless ``accept_revisions``.
    accept_revisions
        Accept such revision storms (every revision stays listed by :meth:`revisions`).

    Notes
    -----
    Outside a ``with`` block every call opens and closes its own connection, so the file is
    locked only while a call runs. Inside ``with Store(...) as store:`` one connection (and,
    unless ``read_only``, the write lock) is held for the whole block; nested blocks share it.

    See the module docstring for the vintage and ``as_of`` rules.

    Examples
    --------
    >>> with Store("ustpull.duckdb") as store:  # doctest: +SKIP
    ...     report = store.ingest(batches)
    ...     ten_year = store.series("us.cmt.10y", start="2013-01-01")
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        lock_timeout: float = 5.0,
        max_revision_share: float = 0.05,
        accept_revisions: bool = False,
    ) -> None:
        if not 0 <= lock_timeout <= MAX_LOCK_TIMEOUT:  # also refuses NaN
            raise DataError(
                f"lock_timeout must be a number of seconds in [0, {MAX_LOCK_TIMEOUT:g}], "
                f"got {lock_timeout}"
            )
        if not 0 <= max_revision_share <= 1:
            raise DataError(f"max_revision_share must lie in [0, 1], got {max_revision_share}")
        self.max_revision_share = float(max_revision_share)
        self.accept_revisions = bool(accept_revisions)
        self._path = Path(path).expanduser() if path is not None else default_store_path()
        self._read_only = read_only
        self._lock_timeout = float(lock_timeout)
        self._held: duckdb.DuckDBPyConnection | None = None
        self._depth = 0  # nested ``with`` blocks share one connection

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def read_only(self) -> bool:
        """Whether the store was opened without the write lock."""
        return self._read_only

    def __repr__(self) -> str:
        mode = "read-only" if self._read_only else "read-write"
        return f"Store({str(self._path)!r}, {mode})"

    def __enter__(self) -> Store:
        if self._depth == 0:
            self._held = self._connect()
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0 and self._held is not None:
            self._held.close()
            self._held = None

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self._read_only and not self._path.exists():
            raise DataError(f"no store at {self._path}; run `ustpull ingest` first")
        if not self._read_only:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        _refuse_foreign_file(self._path)
        deadline = time.monotonic() + self._lock_timeout
        while True:
            try:
                connection = duckdb.connect(
                    str(self._path), read_only=self._read_only, config=dict(_CONNECT_CONFIG)
                )
            except duckdb.IOException as exc:
                message = str(exc)
                if "lock" not in message.lower():
                    raise UstpullError(f"cannot open store {self._path}: {message}") from exc
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise StoreLockedError(
                        f"store {self._path} is locked by {_lock_holder(message)}; "
                        f"waited {self._lock_timeout:g} s (raise lock_timeout or retry later)"
                    ) from exc
                time.sleep(min(_LOCK_POLL_SECONDS, remaining))
                continue
            try:
                _refuse_foreign_tables(connection, self._path)
                if not self._read_only:
                    _run(connection, SCHEMA)
                _check_layout(connection, self._path)
            except (UstpullError, duckdb.Error):
                connection.close()
                raise
            return connection

    @contextmanager
    def _connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._held is not None:
            yield self._held
            return
        connection = self._connect()
        try:
            yield connection
        finally:
            connection.close()

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> pd.DataFrame:
        with self._connection() as connection:
            return connection.execute(sql, list(parameters)).df()

    # ------------------------------------------------------------------ writing
    def ingest(
        self, batches: Iterable[ParsedBatch], *, ahead: Sequence[Validated | None] = ()
    ) -> IngestReport:
        """Write parsed batches in one transaction.

        Parameters
        ----------
        batches
            Parsed payloads; applied in order, so a later batch's value of a key wins.
        ahead
            :func:`validate_ahead` of each batch (by position; ``None`` or absent: validated
            here), e.g. done by a parsing helper process; a batch with rows of series it does
            not describe is validated here again, against the store's metadata.

        Returns
        -------
        IngestReport
            One ingest-log row per batch.

        Raises
        ------
        DataError
            A batch is structurally malformed (missing columns); nothing is written.
        IngestError
            Writing failed; the transaction is rolled back and the store is unchanged.
        StoreLockedError
            Another process held the store for longer than ``lock_timeout``.
        """
        if self._read_only:
            raise UstpullError(f"store {self._path} is open read-only; cannot ingest")
        batches = list(batches)
        with self._connection() as connection:
            known = set(connection.execute("SELECT id FROM series").df()["id"].astype("str"))
            prepared = []
            for position, batch in enumerate(batches):
                done = ahead[position] if position < len(ahead) else None
                if done is not None and done.self_described:
                    observations, rejections = done.observations, done.rejections
                else:
                    observations, rejections = _validated(batch, known)
                known |= set(batch.series_ids)
                prepared.append((batch, observations, rejections))
            connection.begin()
            try:
                rows = []
                for batch, observations, rejections in prepared:
                    # judged against the store as it is inside this transaction, after the
                    # batches before it
                    checked, refused = self._against_history(
                        connection, batch, observations, rejections
                    )
                    rows.append(self._ingest_one(connection, batch, checked, refused))
                connection.commit()
            except DataError:  # a refused revision storm: nothing written, say why
                _rollback(connection)
                raise
            except BaseException as exc:  # Ctrl-C too: roll back, then say what happened
                rollback_failure = _rollback(connection)
                origins = ", ".join(batch.origin for batch in batches[:3])
                cause = "interrupted (Ctrl-C)" if isinstance(exc, KeyboardInterrupt) else exc
                note = f" (rollback: {rollback_failure})" if rollback_failure else ""
                raise IngestError(
                    f"ingest of {len(batches)} batch(es) ({origins}"
                    f"{', ...' if len(batches) > 3 else ''}) failed, store unchanged: "
                    f"{cause}{note}"
                ) from exc
        return IngestReport(pd.DataFrame(rows, columns=list(_LOG_COLUMNS)))

    def _against_history(
        self,
        connection: duckdb.DuckDBPyConnection,
        batch: ParsedBatch,
        observations: pd.DataFrame,
        rejections: pd.DataFrame,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Refuse rescaled columns (as rejections) and revision storms (as an error)."""
        history, observations = _history(connection, observations, batch.origin)
        if observations.empty:
            return observations, rejections
        specs = {spec.id: spec for spec in batch.series}
        rescaled = history.scale_diagnoses(specs)
        observations, rejections = _refuse_rescaled(observations, rejections, rescaled)
        history = HistoryCheck(history.table.drop(index=list(rescaled)))  # refused already
        # a payload whose last rows were rejected still reached its last date: not truncated
        rejected_last = rejections.dropna(subset=["date"]).groupby("series_id")["date"].max()
        history.table["batch_last"] = history.table["batch_last"].combine(
            rejected_last.reindex(history.table.index), max
        )
        storms = history.storms(self.max_revision_share, MIN_REVISION_ROWS)
        if storms and not self.accept_revisions:
            shown = "; ".join(f"{sid} {why}" for sid, why in list(storms.items())[:3])
            more = f" and {len(storms) - 3} more series" if len(storms) > 3 else ""
            raise DataError(
                f"{batch.origin}: refused, {shown}{more}; nothing written. If the publisher "
                "really revised its history, rerun with --accept-revisions "
                "(`ustpull series revisions ID` lists accepted revisions)"
            )
        return observations, rejections

    @staticmethod
    def _ingest_one(
        connection: duckdb.DuckDBPyConnection,
        batch: ParsedBatch,
        observations: pd.DataFrame,
        rejections: pd.DataFrame,
    ) -> dict[str, Any]:
        ((ingest_id, last_recorded),) = _run(
            connection, "SELECT coalesce(max(ingest_id), 0) + 1, max(recorded_at) FROM ingests"
        )
        recorded_at = pd.Timestamp.now(tz="UTC").tz_localize(None)
        if last_recorded is not None:  # keep recorded_at monotone in ingest_id
            recorded_at = max(recorded_at, pd.Timestamp(last_recorded))
        _write_series(connection, _series_frame(batch.series), ingest_id)
        rows_new = _write_observations(connection, observations, ingest_id)
        _write_rejections(connection, rejections, ingest_id)
        row = {
            "ingest_id": int(ingest_id),
            "recorded_at": recorded_at,
            "source": batch.source,
            "origin": batch.origin,
            "sha256": batch.sha256,
            "rows_received": len(batch.observations),
            "rows_accepted": len(observations),
            "rows_new": rows_new,
            "rows_rejected": len(rejections),
            "series_count": len(set(batch.series_ids).union(observations["series_id"].unique())),
        }
        _write_log(connection, row)
        return row

    # ------------------------------------------------------------------ reading
    def _require(self, connection: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> None:
        wanted = pd.DataFrame({"id": pd.Series(list(ids), dtype="str")})
        connection.register("wanted_ids", wanted)
        absent = connection.execute(
            "SELECT id FROM wanted_ids WHERE id NOT IN (SELECT id FROM series)"
        ).df()["id"]
        connection.unregister("wanted_ids")
        if len(absent):
            shown = ", ".join(dict.fromkeys(absent.astype("str")))
            raise SeriesNotFoundError(
                f"series not in store {self._path}: {shown} "
                "(see `ustpull series list`; ingest it first)"
            )

    def frame(
        self,
        ids: Sequence[str],
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | None = None,
    ) -> pd.DataFrame:
        """Series side by side, as currently known or as known at ``as_of``.

        Parameters
        ----------
        ids
            Canonical series ids.
        start, end
            Inclusive date bounds of the observations.
        as_of
            Return the values recorded at or before this time (UTC; a date means the end of
            that day) instead of the latest ones.

        Returns
        -------
        pd.DataFrame
            float64, ``DatetimeIndex`` named ``date`` (sorted, unique; dates on which at
            least one series has a value), columns = ``ids`` in order.

        Raises
        ------
        SeriesNotFoundError
            An id is not in the store (the message names it).
        """
        if isinstance(ids, str):
            ids = [ids]
        ids = list(ids)
        first, last = _day(start, "start"), _day(end, "end")
        if first is not None and last is not None and first > last:
            raise DataError(f"start {first} is after end {last}")
        cutoff = None if as_of is None else _as_of_cutoff(as_of)
        with self._connection() as connection:
            self._require(connection, ids)
            vintage_filter = (
                ""
                if cutoff is None
                else "AND ingest_id IN (SELECT ingest_id FROM ingests WHERE recorded_at <= ?)"
            )
            columns = list(dict.fromkeys(ids))
            # column positions instead of id strings: nothing but numbers crosses to numpy
            rows = connection.execute(
                f"""
                WITH wanted AS (SELECT unnest(?) AS id, generate_subscripts(?, 1) - 1 AS column)
                SELECT wanted.column, o.date, o.value, o.ingest_id
                FROM observations AS o JOIN wanted ON o.series_id = wanted.id
                WHERE (CAST(? AS DATE) IS NULL OR o.date >= ?)
                  AND (CAST(? AS DATE) IS NULL OR o.date <= ?)
                  {vintage_filter}
                """,
                [columns, columns, first, first, last, last]
                + ([cutoff] if cutoff is not None else []),
            ).fetchnumpy()
        dates, grid = latest_grid(
            np.asarray(rows["column"], dtype=np.int64),
            np.asarray(rows["date"], dtype="datetime64[us]"),
            np.asarray(rows["value"], dtype=np.float64),
            np.asarray(rows["ingest_id"], dtype=np.int64),
            len(columns),
        )
        position = {series_id: k for k, series_id in enumerate(columns)}
        if columns != ids:  # an id asked for twice: its column repeated
            grid = grid[:, [position[series_id] for series_id in ids]]
        return pd.DataFrame(
            grid,
            index=pd.DatetimeIndex(dates, name="date"),
            columns=pd.Index(ids),
            copy=False,  # the grid was made for this frame
        )

    def series(
        self,
        id: str,
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        as_of: DateLike | None = None,
    ) -> pd.Series:
        """One series (dates with a value only); arguments as :meth:`frame`."""
        column = self.frame([id], start=start, end=end, as_of=as_of)[id]
        return column.dropna().rename(id)

    def list_series(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Metadata of the stored series with their first/last date and count.

        Parameters
        ----------
        ids
            Only these series (unknown ids raise :class:`SeriesNotFoundError`); default all.

        Returns
        -------
        pd.DataFrame
            Indexed by ``id``; columns ``title, units, frequency, country, basis,
            compounding, measure, source, attributes`` (JSON text), ``first, last``
            (Timestamps) and ``count`` (dates with a value).
        """
        if ids is None and self._read_only and not self._path.exists():
            return self._empty_listing()
        wanted = None if ids is None else list(ids)
        with self._connection() as connection:
            if wanted is not None:
                self._require(connection, wanted)
            listing = connection.execute(
                f"""
                SELECT {", ".join("s." + column for column in _SERIES_COLUMNS)},
                       span.first, span.last, coalesce(span.count, 0) AS count
                FROM series AS s
                LEFT JOIN (
                    SELECT series_id, min(date) AS first, max(date) AS last,
                           count(*) FILTER (WHERE NOT revision) AS count
                    FROM observations
                    WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, series_id)
                    GROUP BY series_id
                ) AS span ON span.series_id = s.id
                WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, s.id)
                ORDER BY s.id
                """,
                [wanted] * 4,
            ).df()
        listing["count"] = listing["count"].astype("int64")
        return listing.set_index("id")

    @staticmethod
    def _empty_listing() -> pd.DataFrame:
        columns = [*_SERIES_COLUMNS, "first", "last", "count"]
        return pd.DataFrame({column: [] for column in columns}).set_index("id")

    def vintages(self, id: str) -> pd.DataFrame:
        """Every stored value of a series, oldest vintage first within each date.

        Returns
        -------
        pd.DataFrame
            Columns ``date, value, revision`` (whether the row replaced an earlier value),
            ``ingest_id, recorded_at, source, origin``.
        """
        with self._connection() as connection:
            self._require(connection, [id])
            return connection.execute(
                """
                SELECT o.date, o.value, o.revision, o.ingest_id, i.recorded_at, i.source, i.origin
                FROM observations AS o JOIN ingests AS i USING (ingest_id)
                WHERE o.series_id = ?
                ORDER BY o.date, o.ingest_id
                """,
                [id],
            ).df()

    def revisions(self, id: str) -> pd.DataFrame:
        """Every accepted revision of a series: the rows that replaced an earlier value.

        Returns
        -------
        pd.DataFrame
            Columns ``date, old_value, value, ingest_id, recorded_at, source, origin``,
            in ingest order.
        """
        with self._connection() as connection:
            self._require(connection, [id])
            return connection.execute(
                """
                SELECT date, old_value, value, ingest_id, recorded_at, source, origin FROM (
                    SELECT o.date, o.value, o.revision, o.ingest_id, i.recorded_at, i.source,
                           i.origin,
                           lag(o.value) OVER (PARTITION BY o.date ORDER BY o.ingest_id)
                               AS old_value
                    FROM observations AS o JOIN ingests AS i USING (ingest_id)
                    WHERE o.series_id = ?
                ) WHERE revision
                ORDER BY ingest_id, date
                """,
                [id],
            ).df()

    def ingest_log(self) -> pd.DataFrame:
        """Every ingest attempt that committed, oldest first (columns as the report)."""
        return self._query(f"SELECT {', '.join(_LOG_COLUMNS)} FROM ingests ORDER BY ingest_id")

    def rejections(self, ingest_id: int | None = None) -> pd.DataFrame:
        """Rejected rows with their reasons (all, or of one ingest).

        Returns
        -------
        pd.DataFrame
            Columns ``ingest_id, series_id, date, raw, reason``.
        """
        return self._query(
            """
            SELECT ingest_id, series_id, date, raw, reason FROM rejections
            WHERE CAST(? AS BIGINT) IS NULL OR ingest_id = ?
            ORDER BY ingest_id, series_id, date
            """,
            [ingest_id, ingest_id],
        )

    def known_sha256(self, origins: Sequence[str]) -> dict[str, str]:
        """The sha256 of the latest ingest of each given origin that the store has seen."""
        if self._read_only and not self._path.exists():
            return {}
        found = self._query(
            """
            SELECT origin, arg_max(sha256, ingest_id) AS sha256 FROM ingests
            WHERE list_contains(?, origin) GROUP BY origin
            """,
            [list(origins)],
        )
        return dict(zip(found["origin"].astype("str"), found["sha256"].astype("str"), strict=True))
