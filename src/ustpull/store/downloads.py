"""The store's download log: what was fetched from where, when, and what the server said.

One row per completed request of an online ingest whose data were committed (or that the
server answered ``304 Not Modified``): URL, source, HTTP status, ETag, Last-Modified,
SHA-256, bytes, time checked and the series the file carries. It feeds

* conditional requests on the next run (:func:`known_validators`), and
* freshness (:func:`last_downloads`: per series the last successful download).

A download whose parse or commit failed is never logged, so a failed file is fetched in
full the next time. The table is created on first write; an older store without it reads
as an empty log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ustpull.sources.http import Validator, resource_key
from ustpull.store._store import Store

__all__ = [
    "DownloadRecord",
    "known_validators",
    "last_downloads",
    "record_downloads",
    "series_origins",
]

_TABLE = """
CREATE TABLE IF NOT EXISTS downloads (
    checked_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    status INTEGER NOT NULL,
    etag VARCHAR,
    last_modified VARCHAR,
    sha256 VARCHAR,
    bytes BIGINT NOT NULL,
    series VARCHAR[] NOT NULL,
    requested VARCHAR[]
);
"""
_COLUMNS = (
    "checked_at",
    "source",
    "url",
    "resource",
    "status",
    "etag",
    "last_modified",
    "sha256",
    "bytes",
    "series",
    "requested",
)


@dataclass(frozen=True)
class DownloadRecord:
    """One logged download (``status`` 200, or 304 when the server said not modified).

    ``requested`` is the set of series the fetch asked the source for (``None``: all): a
    file ingested for a subset may not be skipped as "not modified" by a later fetch that
    wants more of it (:func:`known_validators`).
    """

    source: str
    url: str
    status: int
    etag: str | None
    last_modified: str | None
    sha256: str
    bytes: int
    series: tuple[str, ...]
    requested: tuple[str, ...] | None = None


def _has_table(store: Store) -> bool:
    if not store.path.exists():  # reading never creates a store
        return False
    found = store._query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'downloads'"
    )
    return bool(found["n"].iloc[0])


def _log(store: Store) -> pd.DataFrame:
    if not _has_table(store):
        return pd.DataFrame({column: [] for column in _COLUMNS})
    return store._query(f"SELECT {', '.join(_COLUMNS)} FROM downloads ORDER BY checked_at")


def record_downloads(store: Store, records: Sequence[DownloadRecord]) -> None:
    """Append ``records`` (one transaction); a 304 inherits the validators and series of the
    last logged download of its resource when the server sent none."""
    if not records:
        return
    with store:  # one connection for the read and the write
        _record(store, records)


def _record(store: Store, records: Sequence[DownloadRecord]) -> None:
    previous = _latest_by_resource(store)
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    rows = []
    for record in records:
        resource = resource_key(record.url)
        before = previous.get(resource, {})
        not_modified = record.status == 304
        rows.append(
            {
                "checked_at": now,
                "source": record.source,
                "url": record.url,
                "resource": resource,
                "status": record.status,
                "etag": record.etag or (before.get("etag") if not_modified else None),
                "last_modified": record.last_modified
                or (before.get("last_modified") if not_modified else None),
                "sha256": before.get("sha256") if not_modified else record.sha256,
                "bytes": record.bytes,
                "series": list(record.series) or _listed(before.get("series")),
                # a 304 confirms what the earlier download ingested: keep its request
                "requested": _requested(before) if not_modified else _as_list(record.requested),
            }
        )
    frame = pd.DataFrame(rows, columns=list(_COLUMNS))
    with store._connection() as connection:
        connection.execute(_TABLE)
        connection.register("new_downloads", frame)
        connection.execute(f"INSERT INTO downloads SELECT {', '.join(_COLUMNS)} FROM new_downloads")
        connection.unregister("new_downloads")


def _listed(value: object) -> list[str]:
    """A stored VARCHAR[] (numpy array or list) as a list; ``[]`` for none."""
    return [] if value is None else [str(v) for v in value]  # type: ignore[attr-defined]


def _requested(row: Mapping[str, Any]) -> list[str] | None:
    """The series a logged download asked for; ``None``: all (or nothing logged before)."""
    asked = row.get("requested")
    if asked is None or (not hasattr(asked, "__len__") and pd.isna(asked)):
        return None
    return _listed(asked)


def _as_list(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


def _latest_by_resource(store: Store) -> dict[str, dict[str, Any]]:
    log = _log(store)
    if log.empty:
        return {}
    latest = log.groupby("resource", sort=False).tail(1)
    records: list[dict[Any, Any]] = latest.to_dict("records")
    return {str(row["resource"]): row for row in records}


def known_validators(
    store: Store, source: str, wanted: Sequence[str] | None = None
) -> list[Validator]:
    """ETag and Last-Modified of the last download of each resource of ``source`` whose
    fetch asked for at least ``wanted`` (``None``: every series of the source).

    A file last ingested for fewer series than now wanted gets no validator, so it is
    downloaded and ingested in full rather than skipped as not modified.
    """
    if not store.path.exists():
        return []
    with store:
        latest = _latest_by_resource(store)
    usable = []
    for row in latest.values():
        if row["source"] != source or (pd.isna(row["etag"]) and pd.isna(row["last_modified"])):
            continue
        asked = _requested(row)
        covered = asked is None or (wanted is not None and set(wanted) <= set(asked))
        if covered:
            usable.append(
                Validator(
                    url=str(row["url"]),
                    etag=None if pd.isna(row["etag"]) else str(row["etag"]),
                    last_modified=None
                    if pd.isna(row["last_modified"])
                    else str(row["last_modified"]),
                )
            )
    return usable


def last_downloads(store: Store) -> pd.DataFrame:
    """Per series: the last successful download (200 or 304), its source and URL.

    Returns
    -------
    pd.DataFrame
        Indexed by series id; columns ``downloaded`` (UTC timestamp), ``source``, ``url``,
        ``status``.
    """
    log = _log(store)
    columns = ["downloaded", "source", "url", "status"]
    if log.empty:
        return pd.DataFrame({c: [] for c in columns}, index=pd.Index([], name="id"))
    exploded = log.explode("series").dropna(subset=["series"])
    latest = exploded.groupby("series").tail(1).set_index("series")
    table = latest.rename(columns={"checked_at": "downloaded"})[columns]
    return table.rename_axis("id").sort_index()


def series_origins(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """Per series: the URL or file of the ingest that wrote its latest observation row."""
    if not ids:
        return {}
    found = store._query(
        """
        SELECT o.series_id, arg_max(i.origin, o.ingest_id) AS origin
        FROM observations AS o JOIN ingests AS i USING (ingest_id)
        WHERE list_contains(?, o.series_id)
        GROUP BY o.series_id
        """,
        [list(ids)],
    )
    return dict(zip(found["series_id"].astype(str), found["origin"].astype(str), strict=True))
