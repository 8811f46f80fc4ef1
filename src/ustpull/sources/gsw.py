"""Federal Reserve Gürkaynak-Sack-Wright curves: ``feds200628.csv`` and ``feds200805.csv``.

``feds200628.csv`` (nominal Treasury curve, FEDS 2006-28) starts with note lines whose
number has changed over time, then the header ``Date,BETA0,...,SVENY01,...``. Columns:

* ``SVENYnn``: zero-coupon yield, n years, percent, continuously compounded;
* ``SVENPYnn``: par yield, percent, bond-equivalent (semiannual);
* ``SVENFnn``: instantaneous forward rate n years ahead, percent, continuously compounded;
* ``BETA0..BETA3`` (percent), ``TAU1``, ``TAU2`` (years): Nelson-Siegel-Svensson
  parameters, :math:`y(n) = \\beta_0 + \\beta_1 \\frac{1-e^{-n/\\tau_1}}{n/\\tau_1} +
  \\beta_2 (\\frac{1-e^{-n/\\tau_1}}{n/\\tau_1} - e^{-n/\\tau_1}) + \\beta_3
  (\\frac{1-e^{-n/\\tau_2}}{n/\\tau_2} - e^{-n/\\tau_2})`.

``NA`` is missing. On days fitted with the three-factor Nelson-Siegel form (roughly
1961-1980) ``TAU2 = -999.99`` and ``BETA3 = 0``: a sentinel, not a value, so both are
dropped there. ``SVEN1Fnn`` (one-year forwards) are not mapped.

``feds200805.csv`` (TIPS curve, FEDS 2008-05) has the same layout with ``TIPSYnn``,
``TIPSPYnn``, ``TIPSFnn`` (real yields) and ``BKEVENnn`` (zero-coupon breakevens).

Reference: Gürkaynak, Sack and Wright (2007), "The U.S. Treasury yield curve: 1961 to the
present", Journal of Monetary Economics 54(8); Gürkaynak, Sack and Wright (2010), "The
TIPS yield curve and inflation compensation", AEJ: Macroeconomics 2(1).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from ustpull.errors import DataError
from ustpull.sources._text import (
    MISSING_MARKERS,
    batch_from_table,
    decode_payload,
    find_header_line,
    read_text_table,
)
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = [
    "FEDS200628_COLUMNS",
    "FEDS200805_COLUMNS",
    "NELSON_SIEGEL_TAU2",
    "parse_feds200628",
    "parse_feds200805",
]

NELSON_SIEGEL_TAU2 = -999.99
"""``TAU2`` on days GSW fitted the three-factor Nelson-Siegel form (BETA3 is then 0)."""


def _columns(prefixes: tuple[str, ...]) -> Mapping[str, str]:
    return MappingProxyType(
        {spec.attributes["code"]: spec.id for spec in all_specs() if spec.id.startswith(prefixes)}
    )


_PARAMETERS = ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")
FEDS200628_COLUMNS = _columns(
    ("us.gsw.zero.", "us.gsw.par.", "us.gsw.fwd.", *(f"us.gsw.{p}" for p in _PARAMETERS))
)
"""feds200628 column (``SVENY10``, ``SVENPY02``, ``SVENF05``, ``BETA0``, ...) -> series id."""

FEDS200805_COLUMNS = _columns(("us.gsw.tips.", "us.gsw.breakeven."))
"""feds200805 column (``TIPSY10``, ``BKEVEN05``, ``BETA0``, ...) -> series id."""


def _mask_nelson_siegel_days(table: pd.DataFrame) -> None:
    """Blank BETA3 and TAU2 where TAU2 is the Nelson-Siegel sentinel (in place)."""
    if "TAU2" not in table.columns:
        return
    tau2 = pd.to_numeric(table["TAU2"], errors="coerce").to_numpy(dtype="float64")
    sentinel_days = np.isclose(tau2, NELSON_SIEGEL_TAU2, rtol=0.0, atol=1e-9)
    for column in ("TAU2", "BETA3"):
        if column in table.columns:
            table.loc[sentinel_days, column] = np.nan


def _parse(
    payload: bytes,
    *,
    origin: str,
    default_columns: Mapping[str, str],
    columns: Mapping[str, str] | None,
) -> ParsedBatch:
    text = decode_payload(payload, ("utf-8",), origin=origin)
    header_line = find_header_line(text, ("Date",), origin=origin)
    table = read_text_table(text, origin=origin, skip_lines=header_line, numbers=True)
    if columns is None:
        mapping = {c: default_columns[c] for c in table.columns if c in default_columns}
        if not mapping:
            expected = ", ".join(list(default_columns)[:3])
            raise DataError(
                f"{origin}: none of the expected GSW columns ({expected}, ...) found; "
                f"columns present: {list(table.columns)[:10]}"
            )
    else:
        mapping = dict(columns)
    _mask_nelson_siegel_days(table)
    return batch_from_table(
        table,
        source="gsw",
        origin=origin,
        payload=payload,
        date_column="Date",
        date_formats=("%Y-%m-%d",),
        column_to_series=mapping,
        order="ascending",
        missing=MISSING_MARKERS,
    )


def parse_feds200628(
    payload: bytes,
    *,
    origin: str = "feds200628.csv",
    columns: Mapping[str, str] | None = None,
) -> ParsedBatch:
    """Parse the GSW nominal curve file ``feds200628.csv`` (with or without note lines).

    Parameters
    ----------
    payload
        File bytes.
    origin
        URL or file path.
    columns
        Column -> series id, overriding :data:`FEDS200628_COLUMNS` (the default maps
        every ``SVENY``/``SVENPY``/``SVENF``/parameter column present).

    Raises
    ------
    DataError
        Empty payload, no ``Date`` header line in the first 50 lines, no GSW column,
        non-numeric cells are rejections; duplicate or unordered dates raise.
    """
    return _parse(payload, origin=origin, default_columns=FEDS200628_COLUMNS, columns=columns)


def parse_feds200805(
    payload: bytes,
    *,
    origin: str = "feds200805.csv",
    columns: Mapping[str, str] | None = None,
) -> ParsedBatch:
    """Parse the GSW TIPS curve file ``feds200805.csv``; see :func:`parse_feds200628`."""
    return _parse(payload, origin=origin, default_columns=FEDS200805_COLUMNS, columns=columns)
