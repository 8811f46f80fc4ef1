"""The store's tables.

``observations`` is append-only: one row per (series, date) *vintage*, tagged with the
ingest that wrote it. The current value of a (series, date) is the row with the highest
``ingest_id``; the value known at time ``t`` is the row with the highest ``ingest_id`` among
ingests recorded at or before ``t``. ``revision`` marks a row that replaced an earlier value
of its key, so ``count(*) FILTER (WHERE NOT revision)`` counts dates without a DISTINCT.
``ingests`` logs every batch ever offered to the store; ``rejections`` keeps every row a
batch could not use, with the reason.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS store_meta (
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS series (
    id VARCHAR NOT NULL,
    title VARCHAR,
    units VARCHAR,
    frequency VARCHAR,
    country VARCHAR,
    basis VARCHAR,
    compounding VARCHAR,
    measure VARCHAR,
    source VARCHAR,
    attributes VARCHAR,
    updated_ingest BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS ingests (
    ingest_id BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_received BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL,
    rows_new BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    series_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS observations (
    series_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    value DOUBLE NOT NULL,
    ingest_id BIGINT NOT NULL,
    revision BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS rejections (
    ingest_id BIGINT NOT NULL,
    series_id VARCHAR,
    date DATE,
    raw VARCHAR,
    reason VARCHAR NOT NULL
);
INSERT INTO store_meta
SELECT 'schema_version', '{SCHEMA_VERSION}'
WHERE NOT EXISTS (SELECT 1 FROM store_meta WHERE key = 'schema_version');
"""

TABLES = ("store_meta", "series", "ingests", "observations", "rejections")
"""The tables every ustpull store holds."""

OPTIONAL_TABLES = ("downloads",)
"""Tables a ustpull store may hold: ``downloads``, the online download log of
:mod:`ustpull.store.downloads`, is created on the first online ingest."""
