"""Investing.com "Historical Data" CSV exports.

Layout: UTF-8 with a byte-order mark, every field quoted, rows newest first, header
``"Date","Price","Open","High","Low","Change %"`` (``"Vol."`` for some instruments), dates
like ``"Mar 12, 2020"``. For a bond, ``Price`` is the yield in percent. This is the
generic CSV reader with those options preset.
"""

from __future__ import annotations

from collections.abc import Mapping

from ustpull.sources.base import ParsedBatch, SeriesSpec
from ustpull.sources.csvtable import parse_csv

__all__ = ["INVESTING_DATE_FORMATS", "parse_investing_csv"]

INVESTING_DATE_FORMATS = ("%b %d, %Y", "%m/%d/%Y")
"""``Mar 12, 2020`` (English export) and ``03/12/2020`` (newer exports)."""


def parse_investing_csv(
    payload: bytes,
    *,
    columns: Mapping[str, str],
    origin: str = "investing.csv",
    specs: Mapping[str, SeriesSpec] | None = None,
) -> ParsedBatch:
    """Parse an Investing.com historical-data export.

    Parameters
    ----------
    payload
        File bytes.
    columns
        Column -> series id, e.g. ``{"Price": "in.govt.10y"}`` (the file does not say
        which instrument it holds).
    origin
        File path.
    specs
        Metadata of ids outside the vocabulary.

    Raises
    ------
    DataError
        As :func:`~ustpull.sources.csvtable.parse_csv`; rows must be newest first or
        oldest first throughout.
    """
    return parse_csv(
        payload,
        date_column="Date",
        columns=columns,
        origin=origin,
        date_formats=INVESTING_DATE_FORMATS,
        order="monotonic",
        specs=specs,
        source="investing",
        thousands=",",  # "1,234.5" in the English export
        final_newline=False,  # exports end with the last row's closing quote
    )
