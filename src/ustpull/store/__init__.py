"""ustpull.store layer: the embedded, versioned DuckDB store and ingest orchestration.

The orchestration (:mod:`ustpull.store.ingest`) pulls in every parser and the HTTP client,
so it is imported on first use of its names; ``from ustpull.store import Store`` stays light
for the CLI's read commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ustpull.store._store import IngestReport, Store

if TYPE_CHECKING:
    from ustpull.store.ingest import IngestSummary, ingest_local, ingest_online, load

__all__ = ["IngestReport", "IngestSummary", "Store", "ingest_local", "ingest_online", "load"]

_LAZY = frozenset({"IngestSummary", "ingest_local", "ingest_online", "load"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from ustpull.store import ingest

        return getattr(ingest, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
