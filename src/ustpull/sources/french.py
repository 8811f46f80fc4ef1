"""Kenneth R. French data library: Fama-French three factors (zipped CSV).

``https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/F-F_Research_Data_Factors_daily_CSV.zip``
(and ``F-F_Research_Data_Factors_CSV.zip`` for monthly and annual factors) each hold one
CSV member. Its layout, as served (CRLF line ends):

* a preamble of a few text lines (program and CRSP vintage; the wording and the number of
  lines change between vintages, so nothing here depends on them);
* a header ``,Mkt-RF,SMB,HML,RF`` (the date column has no name);
* rows ``19260701,    0.10,   -0.24,   -0.28,    0.009`` (daily, ``YYYYMMDD``) or
  ``192607,    2.96, ...`` (monthly, ``YYYYMM``); values are simple returns in percent;
* in the monthly file a second block, `` Annual Factors: January-December``, with its own
  header and rows ``1927,   29.47, ...`` (``YYYY``);
* a blank line and a copyright line.

Missing values are written ``-99.99`` or ``-999`` in French's files; none occur in the
three-factor file, but they are dropped if they do.

The market's total return is not published as a column: it is ``Mkt-RF + RF`` (the excess
return plus the one-month bill return of the same period), derived here as
``us.ff.mkt.{frequency}`` so that the long daily U.S. equity return from 1926 is available
wherever the factors are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._text import batch_from_table, decode_payload, read_text_table
from ustpull.sources.base import ParsedBatch

__all__ = [
    "FRENCH_COLUMNS",
    "FRENCH_SENTINELS",
    "factor_ids",
    "market_id",
    "parse_french_factors_csv",
    "with_market_return",
]

#: Columns of the three-factor file, in order (the date column is unnamed).
FRENCH_COLUMNS = ("Mkt-RF", "SMB", "HML", "RF")
#: French's missing-value codes.
FRENCH_SENTINELS = (-99.99, -999.0)
_MARKET_COLUMN = "Mkt"  # derived: Mkt-RF + RF
_ID_STEMS = {"Mkt-RF": "mkt_rf", "SMB": "smb", "HML": "hml", "RF": "rf", _MARKET_COLUMN: "mkt"}
_DATE_WIDTH = {8: ("daily", "%Y%m%d"), 6: ("monthly", "%Y%m"), 4: ("annual", "%Y")}
_HEADER = re.compile(r"^\s*,\s*Mkt-RF\s*,", re.IGNORECASE)


def factor_ids(frequency: str) -> dict[str, str]:
    """Column -> canonical id for one frequency, the derived ``Mkt`` column included.

    >>> factor_ids("daily")["Mkt"]
    'us.ff.mkt.daily'
    """
    return {column: f"us.ff.{stem}.{frequency}" for column, stem in _ID_STEMS.items()}


def market_id(excess_id: str) -> str:
    """Id of the market total return that goes with an excess-return id.

    >>> market_id("us.ff.mkt_rf.monthly")
    'us.ff.mkt.monthly'
    """
    return excess_id.replace(".mkt_rf.", ".mkt.")


def with_market_return(
    table: pd.DataFrame, *, excess: str = "Mkt-RF", risk_free: str = "RF"
) -> pd.DataFrame:
    """``table`` with a ``Mkt`` column: ``excess + risk_free`` (percent, simple return).

    The sum is rounded to 6 decimals, which removes binary noise (``0.09 + 0.009``) and
    nothing else: the inputs have at most 3 decimals. A row missing either input (empty
    or a French sentinel) has no market return.
    """
    parts = []
    for column in (excess, risk_free):
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype="float64", copy=True)
        values[np.isin(values, FRENCH_SENTINELS)] = np.nan
        parts.append(values)
    return table.assign(**{_MARKET_COLUMN: np.round(parts[0] + parts[1], 6)})


def parse_french_factors_csv(
    payload: bytes,
    *,
    origin: str,
    date_column: str,
    date_format: str,
    columns: Mapping[str, str],
    source: str = "local",
) -> ParsedBatch:
    """Parse a plain dated factor table (the shared data's normalised copies).

    ``columns`` maps the file's columns to ids; if it maps both ``Mkt-RF`` and ``RF``, the
    market total return is added under ``columns``' id for ``Mkt-RF`` with ``mkt_rf``
    replaced by ``mkt``.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    table = read_text_table(text, origin=origin, numbers=True)
    mapping = dict(columns)
    if "Mkt-RF" in mapping and "RF" in mapping:
        absent = [c for c in ("Mkt-RF", "RF") if c not in table.columns]
        if absent:
            raise DataError(
                f"{origin}: expected column(s) {absent} not found; columns present: "
                f"{list(table.columns)}"
            )
        table = with_market_return(table)
        mapping[_MARKET_COLUMN] = market_id(mapping["Mkt-RF"])
    return batch_from_table(
        table,
        source=source,
        origin=origin,
        payload=payload,
        date_column=date_column,
        date_formats=(date_format,),
        column_to_series=mapping,
        order="ascending",
        sentinels=dict.fromkeys(mapping, FRENCH_SENTINELS[0]),
    )
