"""Reserve Bank of Australia statistical tables (Excel): F2 bond yields, F17 zero-coupon.

Every RBA table has the same header block above its data in sheet ``Data`` (F2) or
``Yields`` (F17)::

    F17 ZERO-COUPON INTEREST RATES – ANALYTICAL SERIES
    Title              Zero-coupon yield – 0 yrs    ...
    Description        ...
    Frequency          Daily
    Type               Original
    Units              Per cent per annum
    (two blank rows)
    Source             RBA
    Publication date   <date>
    Series ID          FZCY0D   FZCY25D  ...
    <date>             4.32     4.29     ...

Older history files (``f02histhist.xls``) have a shorter block ending ``Last updated:``,
``Source``, ``Mnemonic``. The row whose first cell is ``Series ID`` or ``Mnemonic`` holds
the series codes; data rows follow with a date cell (or Excel serial, or ``15-May-2024``
text) in column A. Codes map to canonical ids through the vocabulary: ``FCMYGBAG{n}D``
(F2 daily, n = 2, 3, 5, 10; ``FCMYGBAGID`` indexed), ``FCMYGBAG{n}`` (F2 monthly history,
month ends, stored on the first of the month) and ``FZCY{100 x years}D`` (F17, every
quarter-year to 10 years). Columns with other codes (NSW Treasury bonds, F17 beyond 10
years, monthly F2 history) are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ustpull.errors import DataError
from ustpull.sources._excel import batch_from_rows, excel_date, read_sheet
from ustpull.sources._text import logger
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs, get_spec

__all__ = ["RBA_CODES", "RBA_SHEETS", "parse_rba_table"]

#: RBA series code -> canonical id.
RBA_CODES: Mapping[str, str] = MappingProxyType(
    {
        spec.attributes["code"]: spec.id
        for spec in all_specs()
        if spec.source == "rba" and "code" in spec.attributes
    }
)
RBA_SHEETS = ("Data", "Yields")
_CODE_ROW_LABELS = ("Series ID", "Mnemonic")
_DATE_TEXT = ("%d-%b-%Y", "%Y-%m-%d", "%d/%m/%Y")


def _code_row(rows: list[tuple[Any, ...]], sheet: str, origin: str) -> int:
    for index, row in enumerate(rows[:30]):
        if row and isinstance(row[0], str) and row[0].strip() in _CODE_ROW_LABELS:
            return index
    firsts = [row[0] for row in rows[:12] if row and row[0] is not None]
    raise DataError(
        f"{origin}: sheet {sheet!r}: expected a 'Series ID' (or 'Mnemonic') row in the header "
        f"block, found first cells {firsts}"
    )


def parse_rba_table(payload: bytes, *, origin: str = "rba.xls") -> ParsedBatch:
    """Parse an RBA statistical table (``.xls`` or ``.xlsx``) into its known series.

    Raises
    ------
    DataError
        Not a workbook, no ``Data``/``Yields`` sheet, no series-code row, none of the
        codes known (names the codes found), no dated row.
    """
    sheet, rows = read_sheet(payload, RBA_SHEETS, origin=origin)
    header = _code_row(rows, sheet, origin)
    codes = [str(cell).strip() if cell is not None else "" for cell in rows[header][1:]]
    known = {
        position: RBA_CODES[code] for position, code in enumerate(codes, 1) if code in RBA_CODES
    }
    if not known:
        raise DataError(
            f"{origin}: sheet {sheet!r}: none of the series codes {[c for c in codes if c][:8]} "
            f"is known (expected e.g. FCMYGBAG10D, FZCY1000D)"
        )
    skipped = [code for position, code in enumerate(codes, 1) if code and position not in known]
    if skipped:
        logger.info("%s: skipping %d RBA series outside the vocabulary", origin, len(skipped))
    dates: list[datetime] = []
    columns: dict[str, list[Any]] = {series_id: [] for series_id in known.values()}
    for row in rows[header + 1 :]:
        day = excel_date(row[0] if row else None, _DATE_TEXT)
        if day is None:
            continue
        dates.append(day)
        for position, series_id in known.items():
            columns[series_id].append(row[position] if position < len(row) else None)
    if not dates:
        raise DataError(f"{origin}: sheet {sheet!r} has no dated rows below the Series ID row")
    if all(get_spec(series_id).frequency == "monthly" for series_id in columns):
        # RBA dates monthly tables at month ends; the store dates months on their first day.
        dates = [day.replace(day=1) for day in dates]
    return batch_from_rows(dates, columns, source="rba", origin=origin, payload=payload)
