"""ustpull.store layer: the embedded, versioned DuckDB store and ingest orchestration."""

from ustpull.store._store import IngestReport, Store

__all__ = ["IngestReport", "Store"]
