"""Japan Ministry of Finance JGB interest rates (``jgbcme.csv``, ``jgbcme_all.csv``).

The MoF publishes par yields of JGBs at fixed maturities (1-10, 15, 20, 25, 30, 40 years;
percent, semiannual) in two files: ``jgbcme_all.csv`` (history from 1974-09-24) and
``jgbcme.csv`` (current month). Layouts seen:

* Japanese site: a title line ``国債金利情報,...,(単位：%)``, header ``基準日,1年,2年,...``,
  dates in the Japanese era calendar (``S49.9.24``, ``H1.1.4``, ``R1.5.7``), Shift_JIS;
* English site: a title line ``Interest Rate,...``, header ``Date,1Y,2Y,...``,
  dates ``1974/9/24``;
* the shared copy: header only, dates ``dd/mm/yyyy``, UTF-8.

``-`` marks a maturity not yet issued. Era dates: Showa year n is 1925 + n, Heisei
1988 + n, Reiwa 2018 + n (Meiji and Taisho predate the data).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ustpull.errors import DataError
from ustpull.sources._text import (
    batch_from_table,
    decode_payload,
    find_header_line,
    read_text_table,
)
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = ["MOF_COLUMNS", "MOF_DATE_FORMATS", "parse_jgbcme"]

MOF_COLUMNS: Mapping[str, str] = MappingProxyType(
    {spec.attributes["code"]: spec.id for spec in all_specs() if spec.id.startswith("jp.mof.")}
)
"""MoF column (``1Y`` ... ``40Y``; Japanese ``1年`` is normalised to ``1Y``) -> series id."""

MOF_DATE_FORMATS = ("%d/%m/%Y", "japanese_era", "%Y/%m/%d")
"""Date layouts tried in order: the shared copy, the Japanese site, the English site."""

_JAPANESE_YEAR = re.compile(r"^(\d+)\s*年$")


def _normalise_header(header: str) -> str:
    stripped = header.strip()
    match = _JAPANESE_YEAR.match(stripped)
    return f"{match.group(1)}Y" if match else stripped.upper()


def parse_jgbcme(
    payload: bytes,
    *,
    origin: str = "jgbcme_all.csv",
    columns: Mapping[str, str] | None = None,
) -> ParsedBatch:
    """Parse a MoF ``jgbcme`` CSV (Japanese or English site, or the shared copy).

    Parameters
    ----------
    payload
        File bytes, UTF-8 or Shift_JIS (cp932).
    origin
        URL or file path.
    columns
        Column -> series id overriding :data:`MOF_COLUMNS` (headers normalised first).

    Raises
    ------
    DataError
        Empty or undecodable payload, no ``Date``/``基準日`` header, no maturity column,
        unparseable dates, duplicate or unordered dates.
    """
    text = decode_payload(payload, ("utf-8", "cp932"), origin=origin)
    header_line = find_header_line(text, ("Date", "基準日"), origin=origin)
    table = read_text_table(text, origin=origin, skip_lines=header_line, numbers=True)
    table.columns = ["Date", *(_normalise_header(c) for c in table.columns[1:])]
    known = {_normalise_header(k): v for k, v in (columns or MOF_COLUMNS).items()}
    mapping = {c: known[c] for c in table.columns[1:] if c in known}
    if not mapping:
        raise DataError(
            f"{origin}: no MoF maturity column (1Y ... 40Y) found; columns present: "
            f"{list(table.columns)}"
        )
    return batch_from_table(
        table,
        source="mof",
        origin=origin,
        payload=payload,
        date_column="Date",
        date_formats=MOF_DATE_FORMATS,
        column_to_series=mapping,
        order="ascending",
    )
