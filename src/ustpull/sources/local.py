"""Read canonical series straight from a local data folder described by a catalog.

:func:`load_frame` is what analysis tests and offline users call to get real data
without a store: it reads only the files that hold the requested ids and caches each
parsed file in-process, keyed by path, modification time and size, so repeated calls
cost a dictionary lookup and a column join.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.base import ParsedBatch
from ustpull.sources.catalog import Catalog, CatalogEntry, default_catalog, parse_entry

__all__ = ["clear_cache", "load_batch", "load_frame"]

_CacheKey = tuple[str, int, int, str]
_cache: dict[_CacheKey, tuple[ParsedBatch, pd.DataFrame]] = {}
_lock = threading.Lock()


def _key(entry: CatalogEntry, path: Path) -> _CacheKey:
    try:
        status = path.stat()
    except FileNotFoundError as error:
        raise DataError(f"catalog entry {entry.name!r}: file {path} not found") from error
    return (str(path.resolve()), status.st_mtime_ns, status.st_size, repr(entry))


def _parsed(entry: CatalogEntry, data_dir: Path | str) -> tuple[ParsedBatch, pd.DataFrame]:
    key = _key(entry, entry.path(data_dir))
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    batch = parse_entry(entry, data_dir)
    wide = batch.observations.pivot(index="date", columns="series_id", values="value")
    wide.columns = wide.columns.astype("str")
    with _lock:
        stale = [k for k in _cache if k[0] == key[0] and k[3] == key[3]]
        for old in stale:
            del _cache[old]
        _cache[key] = (batch, wide)
    return batch, wide


def clear_cache() -> None:
    """Forget every parsed file (the next call re-reads them)."""
    with _lock:
        _cache.clear()


def load_batch(entry: CatalogEntry, data_dir: Path | str) -> ParsedBatch:
    """:func:`~ustpull.sources.catalog.parse_entry`, cached like :func:`load_frame`."""
    return _parsed(entry, data_dir)[0]


def load_frame(
    ids: Sequence[str],
    data_dir: Path | str,
    *,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Canonical series from the files of a local data folder, as one wide frame.

    Parameters
    ----------
    ids
        Series ids (vocabulary ids, TreasuryDirect ids or a catalog's own ids).
    data_dir
        The folder the catalog's paths are relative to (e.g. ``shared/data``).
    catalog
        Default: :func:`~ustpull.sources.catalog.default_catalog`, the shared data folder.

    Returns
    -------
    DataFrame
        float64 columns = ``ids`` in order; ``DatetimeIndex`` named ``date``, sorted and
        unique, the union of the dates on which any requested series has a value (NaN
        where a series has none). Dates are the publisher's (monthly series on the first
        of the month, quarterly on the quarter's first day). Where two entries hold the
        same series on the same date, the later entry in the catalog wins.

    Raises
    ------
    SeriesNotFoundError
        Names every id that no catalog entry provides.
    DataError
        Repeated ids, or a catalogued file is missing or malformed.
    """
    requested = list(ids)
    if not requested:
        raise DataError("load_frame needs at least one series id")
    repeated = sorted({i for i in requested if requested.count(i) > 1})
    if repeated:
        raise DataError(f"series requested twice: {repeated}")
    catalog = catalog or default_catalog()
    entries = catalog.entries_for(requested)
    frame: pd.DataFrame | None = None
    for entry in entries:
        _, wide = _parsed(entry, data_dir)
        held = wide.loc[:, [i for i in requested if i in wide.columns]].dropna(how="all")
        # Later entries win on shared dates: combine_first prefers the caller's values.
        frame = held if frame is None else held.combine_first(frame)
    absent = [i for i in requested if frame is None or i not in frame.columns]
    if absent:
        raise SeriesNotFoundError(
            f"the files of catalog {catalog.source} hold no observations of "
            f"{', '.join(map(repr, absent))}"
        )
    assert frame is not None
    frame = frame.loc[:, requested].dropna(how="all").sort_index()
    frame.index = pd.DatetimeIndex(frame.index, name="date")
    frame.columns.name = None
    return frame.astype("float64")
