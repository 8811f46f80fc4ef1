"""Excel workbooks served by publishers (legacy ``.xls`` via xlrd, ``.xlsx`` via openpyxl).

A workbook is read into plain rows of Python values: numbers as ``float``, text as
``str``, date cells as :class:`datetime.datetime`, empty cells as ``None``. The parsers
then locate their header row and data rows by content, never by fixed positions alone.
A payload that is not a workbook (an HTML error page served with status 200, an empty
body) is refused with a one-line :class:`~ustpull.errors.DataError` naming the URL.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._text import Order, batch_from_table
from ustpull.sources.base import ParsedBatch

__all__ = ["Rows", "batch_from_rows", "excel_date", "read_sheet", "sheet_names"]

Rows = list[tuple[Any, ...]]

_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound document (BIFF .xls)
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx is a zip archive
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's leap-year bug)


def _kind(payload: bytes, origin: str) -> str:
    if payload.startswith(_XLS_MAGIC):
        return "xls"
    if payload.startswith(_ZIP_MAGIC):
        return "xlsx"
    if not payload.strip():
        raise DataError(f"{origin}: empty payload, expected an Excel workbook")
    start = payload[:40].decode("utf-8", errors="replace").strip()
    raise DataError(f"{origin}: not an Excel workbook (.xls or .xlsx); payload starts {start!r}")


def sheet_names(payload: bytes, *, origin: str) -> list[str]:
    """Names of the workbook's sheets, in order."""
    if _kind(payload, origin) == "xls":
        return list(_open_xls(payload, origin).sheet_names())
    return list(_open_xlsx(payload, origin).sheetnames)


def read_sheet(payload: bytes, sheets: Sequence[str], *, origin: str) -> tuple[str, Rows]:
    """Rows of the first sheet of ``sheets`` that the workbook has.

    Returns
    -------
    name, rows
        The sheet used and its rows.

    Raises
    ------
    DataError
        Not a workbook, or none of ``sheets`` present (names the sheets expected and found).
    """
    kind = _kind(payload, origin)
    if kind == "xls":
        book = _open_xls(payload, origin)
        present = list(book.sheet_names())
    else:
        workbook = _open_xlsx(payload, origin)
        present = list(workbook.sheetnames)
    chosen = next((name for name in sheets if name in present), None)
    if chosen is None:
        raise DataError(
            f"{origin}: expected sheet {' or '.join(map(repr, sheets))}, found {present}"
        )
    if kind == "xls":
        return chosen, _xls_rows(book, chosen)
    sheet = workbook[chosen]
    return chosen, [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _open_xls(payload: bytes, origin: str) -> Any:
    import xlrd

    try:
        return xlrd.open_workbook(file_contents=payload, on_demand=True)
    except xlrd.XLRDError as error:
        raise DataError(f"{origin}: unreadable .xls workbook: {error}") from error


def _open_xlsx(payload: bytes, origin: str) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise DataError(f"{origin}: unreadable .xlsx workbook: {error}") from error


def _xls_rows(book: Any, name: str) -> Rows:
    import xlrd

    sheet = book.sheet_by_name(name)
    rows: Rows = []
    for index in range(sheet.nrows):
        cells: list[Any] = []
        for cell in sheet.row(index):
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                cells.append(None)
            elif cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            else:
                cells.append(cell.value)
        rows.append(tuple(cells))
    return rows


def excel_date(value: Any, formats: Sequence[str] = ()) -> datetime | None:
    """A date cell as :class:`datetime`: a date cell, an Excel serial number (a date cell
    stored without date format) or text in one of ``formats``; ``None`` if it is neither."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=float(value))
    if isinstance(value, str):
        text = value.strip()
        for pattern in formats:
            try:
                return datetime.strptime(text, pattern)
            except ValueError:
                continue
    return None


def batch_from_rows(
    dates: Sequence[datetime],
    columns: dict[str, list[Any]],
    *,
    source: str,
    origin: str,
    payload: bytes,
    order: Order = "ascending",
) -> ParsedBatch:
    """Dated rows read from a sheet -> a batch (``columns``: series id -> cells).

    Cells go through the shared tidy step: numbers are kept, missing markers (``NA``,
    empty) dropped, any other text rejected by name.
    """
    table = pd.DataFrame(
        {"date": [day.strftime("%Y-%m-%d") for day in dates], **columns}, dtype=object
    )
    return batch_from_table(
        table,
        source=source,
        origin=origin,
        payload=payload,
        date_column="date",
        date_formats=("%Y-%m-%d",),
        column_to_series={series_id: series_id for series_id in columns},
        order=order,
    )
