"""U.S. Treasury Daily Par Yield Curve Rates CSV (home.treasury.gov).

Layout of the download: header ``Date,"1 Mo","1.5 Month","2 Mo",...,"30 Yr"``, dates
``MM/DD/YYYY``, rows **newest first**, one file per year. Tenor columns appear over time
(4 Mo from 2022-10-19, 1.5 Mo from 2025-02-18), so absent columns are fine. A column
that is not a known tenor is ignored and logged, so a new Treasury tenor does not stop
the ingest. Rates are percent, bond-equivalent (semiannual) par yields.

ISO dates in ascending order (the shared copy) are read too.
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
    logger,
    read_text_table,
)
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = ["TREASURY_PAR_COLUMNS", "normalise_tenor_header", "parse_treasury_par_csv"]

TREASURY_PAR_COLUMNS: Mapping[str, str] = MappingProxyType(
    {spec.attributes["code"]: spec.id for spec in all_specs() if spec.source == "treasury_par"}
)
"""Treasury column header (``"1 Mo"``, ``"1.5 Mo"``, ..., ``"30 Yr"``) -> series id."""

_UNIT_WORDS = re.compile(r"\s*(mo|mos|month|months|yr|yrs|year|years)\.?$", re.IGNORECASE)


def normalise_tenor_header(header: str) -> str:
    """``"1.5 Month"`` -> ``"1.5 Mo"``, ``"10 yr"`` -> ``"10 Yr"``; other text unchanged."""
    stripped = header.strip()
    match = _UNIT_WORDS.search(stripped)
    if match is None:
        return stripped
    number = stripped[: match.start()].strip()
    unit = "Mo" if match.group(1).lower().startswith("mo") else "Yr"
    return f"{number} {unit}"


def parse_treasury_par_csv(
    payload: bytes,
    *,
    origin: str = "daily_treasury_par_yield_curve.csv",
    columns: Mapping[str, str] | None = None,
) -> ParsedBatch:
    """Parse Treasury's daily par yield curve CSV.

    Parameters
    ----------
    payload
        CSV bytes; header starts with ``Date``.
    origin
        URL or file path.
    columns
        Header -> series id, overriding :data:`TREASURY_PAR_COLUMNS` (matched after
        :func:`normalise_tenor_header`).

    Raises
    ------
    DataError
        Empty payload, no ``Date`` header, no tenor column at all, unparseable or
        non-monotonic dates, duplicate dates.
    """
    text = decode_payload(payload, ("utf-8", "cp1252"), origin=origin)
    header_line = find_header_line(text, ("Date",), origin=origin)
    table = read_text_table(text, origin=origin, skip_lines=header_line, numbers=True)
    table.columns = [normalise_tenor_header(c) for c in table.columns]
    known = {normalise_tenor_header(k): v for k, v in (columns or TREASURY_PAR_COLUMNS).items()}
    value_headers = [c for c in table.columns if c != "Date"]
    unknown = [c for c in value_headers if c not in known]
    if unknown:
        logger.warning("%s: ignoring columns that are not known tenors: %s", origin, unknown)
    mapping = {c: known[c] for c in value_headers if c in known}
    if not mapping:
        raise DataError(
            f"{origin}: no Treasury tenor column found; columns present: {list(table.columns)}"
        )
    return batch_from_table(
        table,
        source="treasury_par",
        origin=origin,
        payload=payload,
        date_column="Date",
        date_formats=("%m/%d/%Y", "%Y-%m-%d"),
        column_to_series=mapping,
        order="monotonic",
    )
