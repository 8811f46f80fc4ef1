"""Robert Shiller's ``ie_data.xls`` (U.S. stock market data used in "Irrational Exuberance").

``http://www.econ.yale.edu/~shiller/data/ie_data.xls`` (same layout at shillerdata.com):
a BIFF ``.xls`` with sheets ``Disclaimer`` and ``Data``. In ``Data``, a title block and
multi-row column titles end in a header row (row 8 in the 2023 file) reading ``Date, P,
D, E, CPI, Fraction, Rate GS10, Real Price, ..., CAPE, ...``; data follow, one row per
month. ``Date`` is a number ``YYYY.MM`` (``1871.01``; October is ``1871.1``). Recent months
have empty D and E (not yet published), the CAPE is ``NA`` for the first ten years, and
the last rows carry footnotes ("Sept price is Sept 1st close") with no date: they are
skipped.

Columns are found by their header text, so inserted or moved columns do not matter; a
missing one is a one-line error naming the URL, the sheet, the header expected and the
headers found.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ustpull.errors import DataError
from ustpull.sources._excel import batch_from_rows, read_sheet
from ustpull.sources.base import ParsedBatch

__all__ = ["SHILLER_COLUMNS", "SHILLER_SHEET", "parse_shiller_xls", "shiller_month"]

SHILLER_SHEET = "Data"
#: Header text in the ``Data`` sheet -> canonical id.
SHILLER_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "P": "us.shiller.price",
        "D": "us.shiller.dividend",
        "E": "us.shiller.earnings",
        "CPI": "us.shiller.cpi",
        "Rate GS10": "us.shiller.gs10",
        "CAPE": "us.shiller.cape",
    }
)
_HEADER_SEARCH_ROWS = 30


def shiller_month(value: Any) -> datetime | None:
    """First day of the month of a Shiller date number, or ``None`` if it is not one.

    >>> shiller_month(1871.01), shiller_month(2023.1)
    (datetime.datetime(1871, 1, 1, 0, 0), datetime.datetime(2023, 10, 1, 0, 0))
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    year = int(value)
    month = round((value - year) * 100)
    if not 1 <= month <= 12 or not 1800 <= year <= 2200:
        return None
    return datetime(year, month, 1)


def _header_row(rows: list[tuple[Any, ...]], origin: str) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        cells = [str(cell).strip() if cell is not None else "" for cell in row]
        if cells and cells[0] == "Date":
            positions: dict[str, int] = {}
            for position, text in enumerate(cells):
                positions.setdefault(text, position)
            absent = [header for header in SHILLER_COLUMNS if header not in positions]
            if absent:
                raise DataError(
                    f"{origin}: sheet {SHILLER_SHEET!r} header row {index + 1} lacks {absent}; "
                    f"found {[c for c in cells if c]}"
                )
            return index, positions
    raise DataError(
        f"{origin}: sheet {SHILLER_SHEET!r} has no header row starting 'Date' in its first "
        f"{_HEADER_SEARCH_ROWS} rows (expected 'Date, P, D, E, CPI, ...')"
    )


def parse_shiller_xls(payload: bytes, *, origin: str = "ie_data.xls") -> ParsedBatch:
    """Parse ``ie_data.xls`` into the ``us.shiller.*`` series (monthly, first of month).

    Raises
    ------
    DataError
        Not an Excel workbook (e.g. an HTML page), no ``Data`` sheet, a header missing,
        no dated row, or a month twice.
    """
    _, rows = read_sheet(payload, (SHILLER_SHEET,), origin=origin)
    header, positions = _header_row(rows, origin)
    dates: list[datetime] = []
    columns: dict[str, list[Any]] = {series_id: [] for series_id in SHILLER_COLUMNS.values()}
    for row in rows[header + 1 :]:
        month = shiller_month(row[0] if row else None)
        if month is None:
            continue  # footnotes and blank rows
        dates.append(month)
        for text, series_id in SHILLER_COLUMNS.items():
            position = positions[text]
            columns[series_id].append(row[position] if position < len(row) else None)
    if not dates:
        raise DataError(f"{origin}: sheet {SHILLER_SHEET!r} has no rows dated YYYY.MM")
    return batch_from_rows(dates, columns, source="shiller", origin=origin, payload=payload)
