"""Swiss National Bank data portal: cube ``rendeidglfzch`` (spot interest rates on Swiss
Confederation bond issues, 2, 5, 10 and 20 years, daily, percent).

Two layouts are read:

* the data API ``https://data.snb.ch/api/cube/rendeidglfzch/data/csv/en`` (what the
  online fetcher downloads): UTF-8 with BOM, ``;``-separated, every cell quoted, CRLF::

      "CubeId";"rendeidglfzch"
      "PublishingDate";"2024-04-02 14:30"

      "Date";"D0";"Value"
      "1988-01-04";"2J";"3.691"

  one row per (date, maturity); the maturity code ``D0`` is ``{n}J`` (Jahre) for n years;
  an empty value is a missing observation;
* the portal's XLSX chart export (``snb-chart-data-rendeidglfzch-en-all-<stamp>.xlsx``):
  one sheet named after the cube, header ``Date, 2 years, 5 years, 10 years, 20 years``,
  ISO date text in column A.

Both map to ``ch.snb.zero.{2,5,10,20}y``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ustpull.errors import DataError
from ustpull.sources._excel import batch_from_rows, excel_date, read_sheet
from ustpull.sources._text import batch_from_table, decode_payload, read_text_table
from ustpull.sources.base import ParsedBatch

__all__ = ["SNB_CUBE", "SNB_MATURITIES", "parse_snb_csv", "parse_snb_xlsx"]

SNB_CUBE = "rendeidglfzch"
#: Maturity in years -> canonical id.
SNB_MATURITIES: Mapping[int, str] = MappingProxyType(
    {years: f"ch.snb.zero.{years}y" for years in (2, 5, 10, 20)}
)
_CSV_COLUMNS = ("Date", "D0", "Value")
_D0_CODE = re.compile(r"^(?P<years>\d{1,2})\s*[JY]$")
_XLSX_HEADER = re.compile(r"^(?P<years>\d{1,2}) years?$")


def _header_line(text: str, origin: str) -> int:
    for number, line in enumerate(text.splitlines()[:20]):
        cells = [cell.strip().strip('"') for cell in line.split(";")]
        if tuple(cells[:3]) == _CSV_COLUMNS:
            return number
    first = text.splitlines()[:4]
    raise DataError(
        f'{origin}: expected header \'"Date";"D0";"Value"\' within 20 lines, found {first}'
    )


def parse_snb_csv(payload: bytes, *, origin: str = f"data.snb.ch {SNB_CUBE}") -> ParsedBatch:
    """Parse the SNB data API CSV of cube ``rendeidglfzch``.

    Raises
    ------
    DataError
        Not this layout (no ``"Date";"D0";"Value"`` header), a cube other than
        ``rendeidglfzch``, a maturity code other than ``{n}J`` for 2, 5, 10, 20 years,
        a date twice for one maturity.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    cube = re.search(r'^"?CubeId"?;"?(?P<cube>[^";\r\n]+)', text, re.MULTILINE)
    if cube is not None and cube["cube"] != SNB_CUBE:
        raise DataError(f"{origin}: expected cube {SNB_CUBE!r}, found {cube['cube']!r}")
    header = _header_line(text, origin)
    table = read_text_table(text, origin=origin, skip_lines=header, delimiter=";")
    ids = {}
    for code in table["D0"].unique():
        match = _D0_CODE.match(str(code).strip())
        if match is None or int(match["years"]) not in SNB_MATURITIES:
            raise DataError(f"{origin}: maturity code D0 {code!r} is not one of 2J, 5J, 10J, 20J")
        ids[code] = SNB_MATURITIES[int(match["years"])]
    wide = table.pivot(index="Date", columns="D0", values="Value").reset_index().fillna("")
    wide.columns = [str(column) for column in wide.columns]
    return batch_from_table(
        wide,
        source="snb",
        origin=origin,
        payload=payload,
        date_column="Date",
        date_formats=("%Y-%m-%d", "%Y-%m"),
        column_to_series={str(code): series_id for code, series_id in ids.items()},
        order="ascending",
    )


def parse_snb_xlsx(
    payload: bytes, *, origin: str = f"snb-chart-data-{SNB_CUBE}.xlsx"
) -> ParsedBatch:
    """Parse the SNB portal's XLSX chart export of cube ``rendeidglfzch``.

    Raises
    ------
    DataError
        Not a workbook, no sheet ``rendeidglfzch``, a header other than ``Date, <n> years``.
    """
    _, rows = read_sheet(payload, (SNB_CUBE,), origin=origin)
    header = [str(cell).strip() if cell is not None else "" for cell in (rows[0] if rows else ())]
    maturities = [_XLSX_HEADER.match(cell) for cell in header[1:]]
    if not header or header[0] != "Date" or not all(maturities):
        raise DataError(
            f"{origin}: sheet {SNB_CUBE!r}: expected header 'Date, 2 years, 5 years, ...', "
            f"found {header}"
        )
    ids = [SNB_MATURITIES.get(int(m["years"])) for m in maturities if m is not None]
    if None in ids:
        raise DataError(f"{origin}: sheet {SNB_CUBE!r}: unexpected maturity in {header}")
    dates: list[datetime] = []
    columns: dict[str, list[Any]] = {str(i): [] for i in ids}
    for row in rows[1:]:
        day = excel_date(row[0] if row else None, ("%Y-%m-%d",))
        if day is None:
            continue
        dates.append(day)
        for position, series_id in enumerate(columns, start=1):
            columns[series_id].append(row[position] if position < len(row) else None)
    return batch_from_rows(dates, columns, source="snb", origin=origin, payload=payload)
