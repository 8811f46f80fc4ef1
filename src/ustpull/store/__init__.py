"""ustpull.store layer: the embedded, versioned DuckDB store and ingest orchestration."""

from ustpull.store._store import IngestReport, Store
from ustpull.store.ingest import IngestSummary, ingest_local, ingest_online, load

__all__ = ["IngestReport", "IngestSummary", "Store", "ingest_local", "ingest_online", "load"]
