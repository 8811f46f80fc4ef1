"""FRED (Federal Reserve Bank of St. Louis) payloads: keyless CSV and the JSON API.

Two layouts are read:

* ``fredgraph.csv?id=DGS10,DGS2``: header ``observation_date,DGS10,DGS2`` (files since
  2024) or ``DATE,DGS10,...`` (older downloads); ISO dates, ascending; ``.`` or an empty
  cell is a missing value.
* ``fred/series/observations?file_type=json``: ``{"observations": [{"date": ...,
  "value": ...}, ...]}`` for one series, ``"."`` missing.

FRED ids map to canonical ids through :data:`FRED_TO_SERIES`, built from the
vocabulary's publisher codes (plus ``DFEDTAR``, the single target before 2008-12-16,
which continues as ``DFEDTARU``, and ``ECBESTRVOLWGTTRMDMNRT``, FRED's copy of the ECB's
euro short-term rate).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._text import (
    batch_from_table,
    decode_payload,
    find_header_line,
    read_text_table,
)
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = ["FRED_TO_SERIES", "parse_fred_csv", "parse_fred_json"]

FRED_TO_SERIES: Mapping[str, str] = MappingProxyType(
    {
        **{
            spec.attributes["code"]: spec.id
            for spec in all_specs()
            if spec.source == "fred" and "code" in spec.attributes
        },
        "DFEDTAR": "us.fedfunds.target",
        # FRED's copy of the ECB's euro short-term rate (the vocabulary's code is the ECB key)
        "ECBESTRVOLWGTTRMDMNRT": "ea.estr",
    }
)
"""FRED series id -> canonical series id."""

_DATE_HEADERS = ("observation_date", "DATE")


def _mapping_for(
    headers: list[str], columns: Mapping[str, str] | None, *, origin: str
) -> dict[str, str]:
    if columns is not None:
        return dict(columns)
    unknown = [h for h in headers if h not in FRED_TO_SERIES]
    if unknown:
        raise DataError(
            f"{origin}: FRED series {unknown} have no canonical id; pass columns= to map them"
        )
    return {h: FRED_TO_SERIES[h] for h in headers}


def parse_fred_csv(
    payload: bytes,
    *,
    origin: str = "fredgraph.csv",
    columns: Mapping[str, str] | None = None,
) -> ParsedBatch:
    """Parse a FRED graph CSV download (one or several series).

    Parameters
    ----------
    payload
        Bytes of ``fredgraph.csv``; header ``observation_date`` or ``DATE`` then FRED ids.
    origin
        URL or file path, recorded and named in errors.
    columns
        Column -> series id, overriding :data:`FRED_TO_SERIES` (for files whose columns
        were renamed, or FRED series outside the vocabulary's table).

    Raises
    ------
    DataError
        Empty payload, no date column, an unmapped FRED id, duplicate or unordered dates.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    header_line = find_header_line(text, _DATE_HEADERS, origin=origin, limit=1)
    table = read_text_table(text, origin=origin, skip_lines=header_line, numbers=True)
    date_column = table.columns[0]
    value_headers = [c for c in table.columns if c != date_column]
    mapping = _mapping_for(value_headers, columns, origin=origin)
    return batch_from_table(
        table,
        source="fred",
        origin=origin,
        payload=payload,
        date_column=date_column,
        date_formats=("%Y-%m-%d",),
        column_to_series=mapping,
        order="ascending",
    )


def parse_fred_json(
    payload: bytes,
    *,
    fred_id: str,
    origin: str = "fred/series/observations",
    series_id: str | None = None,
) -> ParsedBatch:
    """Parse a FRED API ``series/observations`` JSON response for one series.

    Parameters
    ----------
    payload
        Response bytes: ``{"observations": [{"date": "YYYY-MM-DD", "value": "4.25"}, ...]}``.
    fred_id
        The FRED id requested (the JSON does not repeat it).
    origin
        URL, recorded and named in errors.
    series_id
        Canonical id, default ``FRED_TO_SERIES[fred_id]``.

    Raises
    ------
    DataError
        Not JSON, no ``observations`` list, an observation without ``date``/``value``,
        unknown FRED id, duplicate or unordered dates.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{origin}: not JSON: {error}") from error
    observations_raw = document.get("observations") if isinstance(document, dict) else None
    if not isinstance(observations_raw, list):
        raise DataError(f"{origin}: JSON has no 'observations' list (keys: {list(document)})")
    if series_id is None:
        series_id = _mapping_for([fred_id], None, origin=origin)[fred_id]
    for position, item in enumerate(observations_raw):
        if not isinstance(item, dict) or "date" not in item or "value" not in item:
            raise DataError(f"{origin}: observation {position} lacks 'date' or 'value': {item!r}")
    table = pd.DataFrame(
        {
            "date": [str(item["date"]) for item in observations_raw],
            fred_id: [str(item["value"]) for item in observations_raw],
        },
        dtype="str",
    )
    return batch_from_table(
        table,
        source="fred",
        origin=origin,
        payload=payload,
        date_column="date",
        date_formats=("%Y-%m-%d",),
        column_to_series={fred_id: series_id},
        order="ascending",
    )
