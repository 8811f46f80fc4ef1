"""Synthetic ParsedBatch builders shared by the store tests (and their child processes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ustpull.sources.base import ParsedBatch, SeriesSpec, empty_rejections, sha256_hex


def spec(series_id: str) -> SeriesSpec:
    """Metadata of a synthetic daily percent series."""
    return SeriesSpec(
        id=series_id,
        title=f"synthetic {series_id}",
        units="percent",
        frequency="daily",
        country="US",
        basis="zero",
        compounding="continuous",
        source="synthetic",
        attributes={"tenor": "10y"},
    )


def batch(
    values: Mapping[str, Sequence[tuple[str, float]]],
    *,
    origin: str = "synthetic.csv",
    rejections: pd.DataFrame | None = None,
) -> ParsedBatch:
    """A batch from ``{series_id: [(iso_date, value), ...]}``."""
    rows = [(sid, date, value) for sid, points in values.items() for date, value in points]
    observations = pd.DataFrame(rows, columns=["series_id", "date", "value"]).astype(
        {"series_id": "str", "value": "float64"}
    )
    observations["date"] = pd.to_datetime(observations["date"]).astype("datetime64[us]")
    return ParsedBatch(
        source="synthetic",
        origin=origin,
        sha256=sha256_hex(repr(rows).encode()),
        observations=observations,
        rejections=empty_rejections() if rejections is None else rejections,
        series=tuple(spec(sid) for sid in values),
    )
