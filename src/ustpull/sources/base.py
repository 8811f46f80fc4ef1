"""The contract between publishers' file formats and the store.

Every source module turns one raw payload (bytes from a URL or a file) into a
:class:`ParsedBatch`: canonical tidy observations ``(series_id, date, value)`` plus the
rows it rejected, each with a reason, and the metadata of every series it touched. The
store ingests a batch in one transaction; nothing in this layer writes anywhere.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ustpull._typing import Frequency
from ustpull.errors import DataError

OBSERVATION_COLUMNS = ("series_id", "date", "value")
REJECTION_COLUMNS = ("series_id", "date", "raw", "reason")


@dataclass(frozen=True)
class SeriesSpec:
    """Metadata of one canonical series.

    Attributes
    ----------
    id
        Canonical id, e.g. ``us.gsw.zero.10y`` (see :mod:`ustpull.sources.vocabulary`).
    title
        Human-readable description.
    units
        ``percent``, ``index``, ``USD bn``, ``USD mn``, ``JPY per USD``, ``thousands``, ...
    frequency
        Observation frequency.
    country
        ISO 3166 alpha-2 code, ``EA`` for the euro area, ``XX`` for none.
    basis
        What the number is: ``zero``, ``par``, ``forward``, ``parameter``, ``price``,
        ``level``, ``spread``, ``ratio`` ...
    compounding
        ``continuous``, ``semiannual`` (bond-equivalent), ``annual``, ``discount``, or
        ``none`` for non-rates.
    measure
        ``nominal`` or ``real``.
    source
        The source module that publishes it (``fred``, ``gsw``, ``treasury_par``, ``ecb``,
        ``mof``, ``treasurydirect``, ``local``, ...).
    attributes
        Anything else (coupon, maturity and security type of a TreasuryDirect security;
        the publisher's own code).
    """

    id: str
    title: str
    units: str
    frequency: Frequency
    country: str
    basis: str
    compounding: str = "none"
    measure: Literal["nominal", "real"] = "nominal"
    source: str = "local"
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedBatch:
    """One parsed payload, ready for the store.

    Attributes
    ----------
    source
        Source module name.
    origin
        URL or file path the payload came from.
    sha256
        Hex digest of the raw payload bytes.
    observations
        Columns ``series_id`` (str), ``date`` (datetime64, midnight), ``value`` (float64,
        finite). Sorted by series and date; no duplicate ``(series_id, date)``. Missing
        values (holidays, not yet published) are simply absent.
    rejections
        Columns ``series_id``, ``date`` (may be NaT), ``raw`` (str), ``reason`` (str): rows
        that were present but unusable, counted and logged by the store.
    series
        Metadata of every series in ``observations`` (and of series with only rejections).
    """

    source: str
    origin: str
    sha256: str
    observations: pd.DataFrame
    rejections: pd.DataFrame
    series: tuple[SeriesSpec, ...]

    @property
    def series_ids(self) -> list[str]:
        """Ids of the series in this batch, in metadata order."""
        return [spec.id for spec in self.series]


def sha256_hex(payload: bytes) -> str:
    """Hex SHA-256 of a raw payload."""
    return hashlib.sha256(payload).hexdigest()


Decimal = Literal[".", ","]
"""Decimal separator of a source's numbers."""

THOUSANDS_SEPARATORS = (",", ".", " ", "'", "\u00a0", "\u202f")
"""Digit-group separators a source may declare (never the same as its decimal separator)."""


def number_pattern(decimal: Decimal = ".", thousands: str | None = None) -> re.Pattern[str]:
    """Regular expression of one complete number in a source's notation.

    A complete number has digits on both sides of its decimal separator (``4.6``, ``.5``
    is refused as well as ``4.``), an optional sign and an optional exponent
    (``1.5e-3``). With ``thousands``, groups of three digits may be separated by it
    (``1,234.5``); without it, any other character makes the text not a number.

    Raises
    ------
    DataError
        An unknown decimal separator, or ``thousands`` equal to ``decimal``.
    """
    if decimal not in (".", ","):
        raise DataError(f"decimal separator must be '.' or ',', got {decimal!r}")
    if thousands is not None and (thousands == decimal or thousands not in THOUSANDS_SEPARATORS):
        raise DataError(
            f"thousands separator {thousands!r} is not allowed with decimal {decimal!r}; "
            f"use one of {[t for t in THOUSANDS_SEPARATORS if t != decimal]}"
        )
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|" if thousands is not None else ""
    integer = rf"(?:{grouped}\d+)"
    point = re.escape(decimal)
    return re.compile(rf"[+-]?(?:{integer}(?:{point}\d+)?|{point}\d+)(?:[eE][+-]?\d+)?")


def parse_numbers(
    text: pd.Series, *, decimal: Decimal = ".", thousands: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Parse number texts exactly in a source's notation, or flag them.

    Every parser calls this (directly or through :func:`tidy_from_wide`) instead of
    stripping separators: ``"4,6"`` on a ``.`` source is not 46, and ``"4."`` (a cell cut
    by a truncated download) is not 4.

    Parameters
    ----------
    text
        Cell texts, already stripped of surrounding blanks.
    decimal
        The source's decimal separator.
    thousands
        The source's digit-group separator, if it uses one.

    Returns
    -------
    values, complete
        float64 values (NaN where not complete) and a mask of cells that are complete
        numbers (see :func:`number_pattern`). ``inf`` and ``nan`` texts are not numbers.
    """
    strings = text.astype("str")
    complete = strings.str.fullmatch(number_pattern(decimal, thousands)).to_numpy(
        dtype=bool, na_value=False
    )
    canonical = strings.where(complete, "")
    if thousands is not None:
        canonical = canonical.str.replace(thousands, "", regex=False)
    if decimal != ".":
        canonical = canonical.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(canonical.where(complete, None), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return values, complete


def empty_rejections() -> pd.DataFrame:
    """A rejection table with no rows and the canonical columns."""
    return pd.DataFrame(
        {
            "series_id": pd.Series([], dtype="str"),
            "date": pd.Series([], dtype="datetime64[us]"),
            "raw": pd.Series([], dtype="str"),
            "reason": pd.Series([], dtype="str"),
        }
    )


def tidy_from_wide(
    wide: pd.DataFrame,
    column_to_series: Mapping[str, str],
    *,
    missing: Iterable[str] = ("", ".", "NA", "N/A", "#N/A", "-", "NaN", "nan"),
    sentinels: Mapping[str, float] | None = None,
    decimal: Decimal = ".",
    thousands: str | None = None,
    lines: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a wide text table into tidy observations and rejections.

    Parameters
    ----------
    wide
        Index: parsed dates (``DatetimeIndex``; NaT rows must already be rejected by the
        caller). Columns: the publisher's column names, values as read (text or numbers).
    column_to_series
        Publisher column -> canonical series id. Columns not listed are ignored.
    missing
        Text markers meaning "no observation"; such cells are dropped silently.
    sentinels
        Publisher column -> numeric sentinel meaning "no value" (GSW's ``TAU2 = -999.99``);
        matching cells are dropped silently.
    decimal, thousands
        The source's number notation (see :func:`parse_numbers`); nothing is stripped.
    lines
        File line number of each row of ``wide``, named in rejection reasons.

    Returns
    -------
    observations, rejections
        See :class:`ParsedBatch`. Cells that are not complete numbers in the source's
        notation (``4,6`` on a ``.`` source, ``4.``) and non-finite cells become
        rejections that name the series, date, line, column and raw text. Duplicate
        dates raise, naming them.
    """
    if not isinstance(wide.index, pd.DatetimeIndex):
        raise DataError("tidy_from_wide needs a DatetimeIndex of parsed dates")
    duplicated = wide.index[wide.index.duplicated()]
    if len(duplicated):
        shown = ", ".join(str(d.date()) for d in duplicated[:5])
        raise DataError(f"duplicate dates in payload: {shown}")
    absent = [col for col in column_to_series if col not in wide.columns]
    if absent:
        raise DataError(
            f"expected column(s) {absent} not found; columns present: {list(wide.columns)}"
        )
    missing_markers = set(missing)
    sentinels = dict(sentinels or {})
    observation_parts: list[pd.DataFrame] = []
    rejection_parts: list[pd.DataFrame] = []
    for column, series_id in column_to_series.items():
        raw = wide[column]
        text = raw.astype("str").str.strip()
        is_missing = raw.isna().to_numpy() | text.isin(missing_markers).to_numpy()
        values, _ = parse_numbers(text, decimal=decimal, thousands=thousands)
        if column in sentinels:
            is_missing |= np.isclose(values, sentinels[column], rtol=0.0, atol=1e-9)
        bad = ~is_missing & ~np.isfinite(values)
        good = ~is_missing & ~bad
        observation_parts.append(
            pd.DataFrame(
                {
                    "series_id": series_id,
                    "date": wide.index[good],
                    "value": values[good],
                }
            )
        )
        if bad.any():
            what = (
                f"column {column!r}: not a complete finite number with decimal {decimal!r}"
                f"{'' if thousands is None else f' and thousands {thousands!r}'}"
            )
            reason: object = (
                what if lines is None else np.array([f"line {n}, {what}" for n in lines[bad]])
            )
            rejection_parts.append(
                pd.DataFrame(
                    {
                        "series_id": series_id,
                        "date": wide.index[bad],
                        "raw": text[bad].to_numpy(),
                        "reason": reason,
                    }
                )
            )
    observations = (
        pd.concat(observation_parts, ignore_index=True)
        if observation_parts
        else pd.DataFrame(columns=list(OBSERVATION_COLUMNS))
    )
    observations = observations.astype({"series_id": "str", "value": "float64"})
    observations["date"] = pd.to_datetime(observations["date"]).astype("datetime64[us]")
    observations = observations.sort_values(["series_id", "date"], ignore_index=True)
    rejections = (
        pd.concat(rejection_parts, ignore_index=True) if rejection_parts else empty_rejections()
    )
    return observations, rejections
