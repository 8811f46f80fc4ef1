"""Federal Reserve Bank of New York: ACM Treasury term premia (Adrian, Crump and Moench).

``https://www.newyorkfed.org/medialibrary/media/research/data_indicators/ACMTermPremium.xls``
is a legacy ``.xls`` with sheets ``ACM Daily`` (business days) and ``ACM Monthly``
(month ends). Each has a header row ``DATE, ACMY01, ..., ACMTP01, ..., ACMRNY01, ...``:
per maturity n = 01..10 years the fitted zero yield ``ACMY{n}``, the term premium
``ACMTP{n}`` and the risk-neutral yield ``ACMRNY{n}`` (percent, continuously compounded;
``ACMY = ACMTP + ACMRNY``). ``DATE`` is text like ``02-Jan-1962`` (or a date cell). The
daily sheet is read: ``us.acm.{yield,tp,rny}.{n}y``. The file is re-estimated at each
release, so past values move slightly between vintages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ustpull.errors import DataError
from ustpull.sources._excel import batch_from_rows, excel_date, read_sheet
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = ["ACM_COLUMNS", "ACM_SHEET", "parse_acm_xls"]

ACM_SHEET = "ACM Daily"
#: Column header -> canonical id.
ACM_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        spec.attributes["code"]: spec.id
        for spec in all_specs()
        if spec.source == "nyfed_acm" and "code" in spec.attributes
    }
)


def parse_acm_xls(payload: bytes, *, origin: str = "ACMTermPremium.xls") -> ParsedBatch:
    """Parse the ``ACM Daily`` sheet of ``ACMTermPremium.xls``.

    Raises
    ------
    DataError
        Not a workbook, no ``ACM Daily`` sheet, no ``DATE`` header row or a column of
        :data:`ACM_COLUMNS` missing from it (names expected and found), no dated row.
    """
    _, rows = read_sheet(payload, (ACM_SHEET,), origin=origin)
    header_index = next(
        (i for i, row in enumerate(rows[:20]) if row and str(row[0]).strip().upper() == "DATE"),
        None,
    )
    if header_index is None:
        raise DataError(
            f"{origin}: sheet {ACM_SHEET!r}: expected a header row starting 'DATE', found "
            f"{[row[0] for row in rows[:5] if row]}"
        )
    header = [str(cell).strip() if cell is not None else "" for cell in rows[header_index]]
    absent = [column for column in ACM_COLUMNS if column not in header]
    if absent:
        raise DataError(
            f"{origin}: sheet {ACM_SHEET!r}: header lacks {absent[:5]}"
            f"{' ...' if len(absent) > 5 else ''}; found {header[:8]} ..."
        )
    positions = {ACM_COLUMNS[column]: header.index(column) for column in ACM_COLUMNS}
    dates: list[datetime] = []
    columns: dict[str, list[Any]] = {series_id: [] for series_id in positions}
    for row in rows[header_index + 1 :]:
        day = excel_date(row[0] if row else None, ("%d-%b-%Y", "%Y-%m-%d"))
        if day is None:
            continue
        dates.append(day)
        for series_id, position in positions.items():
            columns[series_id].append(row[position] if position < len(row) else None)
    if not dates:
        raise DataError(f"{origin}: sheet {ACM_SHEET!r} has no dated rows")
    return batch_from_rows(dates, columns, source="nyfed_acm", origin=origin, payload=payload)
