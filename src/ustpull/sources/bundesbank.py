"""Deutsche Bundesbank time-series database, CSV download.

``https://api.statistiken.bundesbank.de/rest/download/{flow}/{key}?format=csv&lang=en``
serves one series as (UTF-8 with BOM, comma separated)::

    "",BBSIS.D.I.ZST.ZI.EUR.S1311.B.A604.R02XX.R.A.A._Z._Z.A,BBSIS...A_FLAGS
    "",Term structure of interest rates on listed Federal securities (method by Svensson) / ...
    Comment,...
    Decimals,2,
    Time format code,P1D,
    Unit (in english),percent,
    unit,Prozent,
    unit multiplier,One,
    last update,2022-02-16 12:10:08,
    1997-08-01,.,No value available
    ...
    2022-02-16,-0.40,

Line 1 names the full series key (flow + key); the metadata block varies in length, so
data rows are recognised by their ISO date (``YYYY-MM-DD``, or ``YYYY-MM`` for monthly
series). ``.`` is a missing value (weekends and holidays are present as rows). Series keys
map to canonical ids through the vocabulary's publisher codes (source ``bundesbank``):
the Svensson zero-coupon yields ``de.bbk.zero.*`` (flow BBSIS) and the yields on listed
Federal securities by residual maturity ``de.govt.*`` (flow BBSSY, ``...WT1010`` = 10 years).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._text import batch_from_table, decode_payload
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = ["BUNDESBANK_KEYS", "parse_bundesbank_csv"]

#: Full Bundesbank series key -> canonical id.
BUNDESBANK_KEYS: Mapping[str, str] = MappingProxyType(
    {
        spec.attributes["code"]: spec.id
        for spec in all_specs()
        if spec.source == "bundesbank" and "code" in spec.attributes
    }
)
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def parse_bundesbank_csv(payload: bytes, *, origin: str = "bundesbank.csv") -> ParsedBatch:
    """Parse a Bundesbank CSV download (one or several series side by side).

    Raises
    ------
    DataError
        Empty or not this layout (line 1 must be ``"",<series key>,<series key>_FLAGS``),
        a series key without a canonical id, no dated row, a date twice.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    rows = list(csv.reader(io.StringIO(text)))
    first = rows[0] if rows else []
    keys = [cell.strip() for cell in first[1:] if cell.strip() and not cell.endswith("_FLAGS")]
    if not first or first[0].strip() != "" or not keys:
        raise DataError(
            f"{origin}: expected line 1 '\"\",<series key>,<series key>_FLAGS', "
            f"found {','.join(first)[:120]!r}"
        )
    unknown = [key for key in keys if key not in BUNDESBANK_KEYS]
    if unknown:
        raise DataError(
            f"{origin}: series key(s) {unknown} have no canonical id; known: "
            f"{sorted(BUNDESBANK_KEYS)}"
        )
    positions = [first.index(key) for key in keys]
    data = [row for row in rows[1:] if row and _DATE.match(row[0].strip())]
    if not data:
        raise DataError(f"{origin}: no rows dated YYYY-MM-DD after the metadata block")
    table = pd.DataFrame(
        {
            "date": [row[0].strip() for row in data],
            **{
                key: [row[p].strip() if p < len(row) else "" for row in data]
                for key, p in zip(keys, positions, strict=True)
            },
        },
        dtype="str",
    )
    return batch_from_table(
        table,
        source="bundesbank",
        origin=origin,
        payload=payload,
        date_column="date",
        date_formats=("%Y-%m-%d", "%Y-%m"),
        column_to_series={key: BUNDESBANK_KEYS[key] for key in keys},
        order="ascending",
    )
