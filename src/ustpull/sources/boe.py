"""Bank of England yield curves (Anderson-Sleath spline; UK nominal and real gilt curves).

The archive ``https://www.bankofengland.co.uk/-/media/boe/files/statistics/yield-curves/
glcnominalddata.zip`` (``glcrealddata.zip`` for the real curve) holds one workbook per
period, ``GLC Nominal daily data_1985 to 1989.xlsx`` ... ``..._2016 to present.xlsx``.
Each workbook has a sheet ``info`` and four data sheets; the spot curve is sheet
``4. spot curve`` (nominal) or ``4.  real spot curve`` (real, with a double space). A data
sheet has a title row, a ``Maturity`` row, a ``years:`` row with the maturities (0.5-year
steps), a blank row, then one row per business day: the date in column A, spot rates in
percent (continuously compounded), empty where the curve does not reach.

Whole-year maturities (and 6 months on the nominal curve) map to ``gb.boe.zero.{tenor}``
and ``gb.boe.real.zero.{tenor}``; the half-year points in between are skipped. A bare
``.xlsx`` workbook (one period) is read the same way.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Any

import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._excel import batch_from_rows, read_sheet, sheet_names
from ustpull.sources._text import make_batch
from ustpull.sources.base import ParsedBatch, empty_rejections
from ustpull.sources.vocabulary import is_known, tenor_token

__all__ = ["boe_series_id", "parse_boe_archive", "parse_boe_workbook"]

_SPOT_SHEET = re.compile(r"^4\.\s+(?P<real>real\s+)?spot curve$", re.IGNORECASE)
_MEMBER = re.compile(r"^GLC (Nominal|Real) daily data.*\.xlsx$", re.IGNORECASE)


def boe_series_id(years: float, *, real: bool) -> str | None:
    """Canonical id of a spot-curve maturity, or ``None`` if it is not in the vocabulary.

    >>> boe_series_id(10.0, real=False), boe_series_id(2.5, real=False)
    ('gb.boe.zero.10y', None)
    """
    months = years * 12.0
    if abs(months - round(months)) > 1e-6:
        return None
    series_id = f"gb.boe.{'real.' if real else ''}zero.{tenor_token(round(months))}"
    return series_id if is_known(series_id) else None


def parse_boe_workbook(payload: bytes, *, origin: str = "GLC daily data.xlsx") -> ParsedBatch:
    """Parse the spot-curve sheet of one GLC workbook (nominal or real).

    Raises
    ------
    DataError
        Not a workbook, no ``4. spot curve`` / ``4.  real spot curve`` sheet (names the
        sheets found), no ``years:`` row or non-numeric maturities in it.
    """
    names = sheet_names(payload, origin=origin)
    spot = [name for name in names if _SPOT_SHEET.match(" ".join(name.split()))]
    if len(spot) != 1:
        raise DataError(
            f"{origin}: expected one sheet '4. spot curve' or '4.  real spot curve', found {names}"
        )
    sheet, rows = read_sheet(payload, spot, origin=origin)
    real = _SPOT_SHEET.match(" ".join(sheet.split()))["real"] is not None  # type: ignore[index]
    years_row = next(
        (i for i, row in enumerate(rows[:12]) if row and str(row[0]).strip() == "years:"), None
    )
    if years_row is None:
        raise DataError(f"{origin}: sheet {sheet!r}: no 'years:' maturity row in the first 12 rows")
    maturities = rows[years_row][1:]
    if not all(isinstance(m, int | float) for m in maturities if m is not None):
        raise DataError(
            f"{origin}: sheet {sheet!r}: maturities in the 'years:' row are not numbers "
            f"(formulas without cached values?): {list(maturities[:4])}"
        )
    positions = {
        series_id: position
        for position, m in enumerate(maturities, 1)
        if m is not None and (series_id := boe_series_id(float(m), real=real)) is not None
    }
    dates: list[datetime] = []
    columns: dict[str, list[Any]] = {series_id: [] for series_id in positions}
    for row in rows[years_row + 1 :]:
        if not row or not isinstance(row[0], datetime):
            continue
        dates.append(row[0])
        for series_id, position in positions.items():
            columns[series_id].append(row[position] if position < len(row) else None)
    return batch_from_rows(dates, columns, source="boe", origin=origin, payload=payload)


def parse_boe_archive(payload: bytes, *, origin: str = "glcnominalddata.zip") -> ParsedBatch:
    """Parse a BoE yield-curve zip (every ``GLC ... daily data_*.xlsx`` member), or a bare
    workbook. Periods do not overlap; a date in two members is an error.

    Raises
    ------
    DataError
        Not a zip or workbook, no ``GLC ... daily data`` member, or a member's layout error.
    """
    if not payload.startswith(b"PK\x03\x04"):
        return parse_boe_workbook(payload, origin=origin)
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" in names:  # a bare .xlsx is a zip too
            return parse_boe_workbook(payload, origin=origin)
        members = sorted(n for n in names if _MEMBER.match(n.rsplit("/", 1)[-1]))
        if not members:
            raise DataError(
                f"{origin}: expected members 'GLC Nominal|Real daily data_*.xlsx', "
                f"found {names[:6]}"
            )
        batches = [
            parse_boe_workbook(archive.read(name), origin=f"{origin}!{name}") for name in members
        ]
    observations = pd.concat([b.observations for b in batches], ignore_index=True)
    repeated = observations[observations.duplicated(["series_id", "date"])]
    if len(repeated):
        first = repeated.iloc[0]
        raise DataError(
            f"{origin}: {first['series_id']} on {first['date']:%Y-%m-%d} is in two members"
        )
    rejections = [b.rejections for b in batches if len(b.rejections)]
    return make_batch(
        source="boe",
        origin=origin,
        payload=payload,
        observations=observations.sort_values(["series_id", "date"], ignore_index=True),
        rejections=pd.concat(rejections, ignore_index=True) if rejections else empty_rejections(),
    )
