"""Generic dated CSV tables: one date column, value columns mapped to series ids.

This is the ``format = "csv"`` of the local catalog, for users' own exports (Bloomberg,
Haver, spreadsheets) and for the shared data files that have no publisher layout. All
parsing options are explicit keyword arguments; the catalog passes its entry's options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ustpull.sources._text import (
    MISSING_MARKERS,
    Order,
    batch_from_table,
    decode_payload,
    read_text_table,
)
from ustpull.sources.base import Decimal, ParsedBatch, SeriesSpec

__all__ = ["parse_csv"]


def parse_csv(
    payload: bytes,
    *,
    date_column: str,
    columns: Mapping[str, str],
    origin: str = "<payload>",
    date_formats: Sequence[str] = ("%Y-%m-%d",),
    missing: Sequence[str] = MISSING_MARKERS,
    sentinels: Mapping[str, float] | None = None,
    encodings: Sequence[str] = ("utf-8",),
    order: Order = "ascending",
    skip_lines: int = 0,
    delimiter: str = ",",
    specs: Mapping[str, SeriesSpec] | None = None,
    source: str = "local",
    decimal: Decimal = ".",
    thousands: str | None = None,
    final_newline: bool = True,
) -> ParsedBatch:
    """Parse a dated CSV table into a :class:`~ustpull.sources.base.ParsedBatch`.

    Parameters
    ----------
    payload
        The file's bytes. A UTF-8 or UTF-16 byte-order mark is honoured and removed.
    date_column
        Header of the date column.
    columns
        Header of each value column -> series id. Other columns are ignored.
    origin
        File path or URL, recorded in the batch and named in every error.
    date_formats
        ``strptime`` patterns tried in order (``%Y-%m`` dates a month on its first day);
        ``"japanese_era"`` reads MoF era dates.
    missing
        Cell texts meaning "no observation" (dropped silently).
    sentinels
        Column -> numeric value meaning "no observation" (dropped silently).
    encodings
        Encodings tried in order when there is no byte-order mark.
    order
        Row order the file promises: ``ascending``, ``descending`` (newest first) or
        ``monotonic`` (either); a violation raises, naming the two dates.
    skip_lines
        Lines above the header to skip.
    delimiter
        Field separator.
    specs
        Metadata of series ids that are not in the vocabulary.
    source
        Source name recorded in the batch.
    decimal, thousands
        The file's number notation (``decimal=","`` with ``thousands="."`` for
        continental exports); cells in another notation are rejected, never rescaled.
    final_newline
        Whether the file must end with a newline (see
        :func:`~ustpull.sources._text.check_complete`).

    Raises
    ------
    DataError
        Empty, undecodable or truncated payload, missing date or value columns, no
        parseable date, duplicate dates, dates out of the promised order.
    """
    text = decode_payload(payload, encodings, origin=origin)
    table = read_text_table(
        text,
        origin=origin,
        skip_lines=skip_lines,
        delimiter=delimiter,
        numbers=True,
        missing=missing,
        decimal=decimal,
        thousands=thousands,
        final_newline=final_newline,
    )
    return batch_from_table(
        table,
        source=source,
        origin=origin,
        payload=payload,
        date_column=date_column,
        date_formats=date_formats,
        column_to_series=columns,
        order=order,
        missing=missing,
        sentinels=sentinels,
        specs=specs,
        decimal=decimal,
        thousands=thousands,
    )
