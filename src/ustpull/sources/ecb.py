"""ECB Data Portal yield curves (dataflow ``YC``) in the SDMX-CSV layout (``format=csvdata``).

``https://data-api.ecb.europa.eu/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM.SR_10Y?format=csvdata``
returns one row per (series, day): ``KEY,FREQ,REF_AREA,CURRENCY,PROVIDER_FM,
INSTRUMENT_FM,PROVIDER_FM_ID,DATA_TYPE_FM,TIME_PERIOD,OBS_VALUE,OBS_STATUS,...,TITLE,
TITLE_COMPL,UNIT,UNIT_MULT``. Several series (``SR_1Y+SR_2Y+...``) may share a payload.

The key ``YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_10Y`` splits into FREQ ``B``, REF_AREA ``U2``,
CURRENCY ``EUR``, PROVIDER_FM ``4F``, INSTRUMENT_FM ``G_N_A``, PROVIDER_FM_ID ``SV_C_YM``
(Svensson, continuous compounding, yield error minimisation) and DATA_TYPE_FM ``SR_10Y``.
``INSTRUMENT_FM = G_N_A`` is the AAA-rated euro-area central government curve and
``DATA_TYPE_FM = SR_{n}Y`` its spot (zero-coupon, continuously compounded) rate at n years,
in percent: mapped to ``ea.aaa.zero.{n}y``. Other curves and data types (``G_N_C``, ``PY_``,
``IF_``, Svensson parameters) are not in the vocabulary; a wider query
does not fail: they are skipped and logged.
"""

from __future__ import annotations

import re

import numpy as np

from ustpull.errors import DataError
from ustpull.sources._text import (
    batch_from_table,
    decode_payload,
    logger,
    read_text_table,
)
from ustpull.sources.base import ParsedBatch
from ustpull.sources.vocabulary import all_specs

__all__ = [
    "ECB_KEYS",
    "ECB_REQUIRED_COLUMNS",
    "ecb_series_id",
    "parse_ecb_csv",
    "parse_ecb_series_csv",
]

ECB_REQUIRED_COLUMNS = ("KEY", "INSTRUMENT_FM", "DATA_TYPE_FM", "TIME_PERIOD", "OBS_VALUE")
#: Full ECB series key (``EST.B.EU000A2X2A25.WT``) -> canonical id, for key-mapped series.
ECB_KEYS = {
    spec.attributes["code"]: spec.id
    for spec in all_specs()
    if spec.source == "ecb" and "code" in spec.attributes and not spec.id.startswith("ea.aaa.")
}
_SERIES_COLUMNS = ("KEY", "TIME_PERIOD", "OBS_VALUE")
_SPOT_RATE = re.compile(r"^SR_(?P<years>\d{1,2})Y$")


def ecb_series_id(instrument_fm: str, data_type_fm: str) -> str | None:
    """Canonical id of an ECB YC series, or ``None`` if it is not in the vocabulary.

    >>> ecb_series_id("G_N_A", "SR_10Y"), ecb_series_id("G_N_C", "SR_10Y")
    ('ea.aaa.zero.10y', None)
    """
    match = _SPOT_RATE.match(data_type_fm)
    if instrument_fm != "G_N_A" or match is None or not 1 <= int(match["years"]) <= 30:
        return None
    return f"ea.aaa.zero.{int(match['years'])}y"


def parse_ecb_csv(payload: bytes, *, origin: str = "data-api.ecb.europa.eu YC") -> ParsedBatch:
    """Parse an ECB Data Portal SDMX-CSV response of the YC dataflow.

    Raises
    ------
    DataError
        Empty payload, a required column missing (named), unparseable dates, or the same
        series twice on one day.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    table = read_text_table(text, origin=origin)
    absent = [c for c in ECB_REQUIRED_COLUMNS if c not in table.columns]
    if absent:
        raise DataError(
            f"{origin}: not ECB SDMX-CSV: column(s) {absent} missing; columns present: "
            f"{list(table.columns)[:12]}"
        )
    ids = [
        ecb_series_id(instrument, data_type)
        for instrument, data_type in zip(table["INSTRUMENT_FM"], table["DATA_TYPE_FM"], strict=True)
    ]
    mapped = np.array([i is not None for i in ids], dtype=bool)
    unmapped_keys = table.loc[~mapped, "KEY"].unique()
    if len(unmapped_keys):
        logger.warning(
            "%s: ignoring %d ECB series outside the vocabulary: %s",
            origin,
            len(unmapped_keys),
            list(unmapped_keys)[:5],
        )
    rows = table.loc[mapped, ["TIME_PERIOD", "OBS_VALUE"]].assign(
        series_id=[i for i in ids if i is not None]
    )
    repeated = rows[rows.duplicated(["series_id", "TIME_PERIOD"])]
    if len(repeated):
        first = repeated.iloc[0]
        raise DataError(
            f"{origin}: {first['series_id']} appears twice on {first['TIME_PERIOD']} "
            f"({len(repeated)} repeated rows)"
        )
    wide = rows.pivot(index="TIME_PERIOD", columns="series_id", values="OBS_VALUE")
    wide = wide.reset_index().fillna("")
    wide.columns = [str(c) for c in wide.columns]
    series_ids = sorted(set(wide.columns) - {"TIME_PERIOD"}, key=_tenor_order)
    return batch_from_table(
        wide.sort_values("TIME_PERIOD", ignore_index=True),
        source="ecb",
        origin=origin,
        payload=payload,
        date_column="TIME_PERIOD",
        date_formats=("%Y-%m-%d",),
        column_to_series={i: i for i in series_ids},
        order="ascending",
    )


def _tenor_order(series_id: str) -> int:
    return int(series_id.rsplit(".", 1)[1][:-1])


def parse_ecb_series_csv(payload: bytes, *, origin: str = "data-api.ecb.europa.eu") -> ParsedBatch:
    """Parse an ECB Data Portal SDMX-CSV response of any dataflow, mapping whole series keys.

    Used for the short rates: ``EST.B.EU000A2X2A25.WT`` (euro short-term rate, daily),
    ``FM.M.U2.EUR.4F.MM.EONIA.HSTA`` (EONIA) and ``FM.M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA``
    (3-month EURIBOR), both monthly averages dated ``YYYY-MM``. Keys outside
    :data:`ECB_KEYS` are skipped and logged.

    Raises
    ------
    DataError
        Empty payload, ``KEY``/``TIME_PERIOD``/``OBS_VALUE`` missing (names the columns
        found), no known series key, a series twice on one date.
    """
    text = decode_payload(payload, ("utf-8",), origin=origin)
    table = read_text_table(text, origin=origin)
    absent = [c for c in _SERIES_COLUMNS if c not in table.columns]
    if absent:
        raise DataError(
            f"{origin}: not ECB SDMX-CSV: column(s) {absent} missing; columns present: "
            f"{list(table.columns)[:12]}"
        )
    if table.empty:
        raise DataError(f"{origin}: SDMX-CSV header without rows (no observations)")
    keys = table["KEY"].unique()
    known = [key for key in keys if key in ECB_KEYS]
    if not known:
        raise DataError(f"{origin}: none of the series keys {list(keys)[:5]} is known")
    if len(known) < len(keys):
        logger.warning("%s: ignoring ECB series %s", origin, sorted(set(keys) - set(known)))
    rows = table.loc[table["KEY"].isin(known), ["KEY", "TIME_PERIOD", "OBS_VALUE"]]
    repeated = rows[rows.duplicated(["KEY", "TIME_PERIOD"])]
    if len(repeated):
        first = repeated.iloc[0]
        raise DataError(f"{origin}: {first['KEY']} appears twice on {first['TIME_PERIOD']}")
    wide = rows.pivot(index="TIME_PERIOD", columns="KEY", values="OBS_VALUE")
    wide = wide.reset_index().fillna("").sort_values("TIME_PERIOD", ignore_index=True)
    wide.columns = [str(c) for c in wide.columns]
    return batch_from_table(
        wide,
        source="ecb",
        origin=origin,
        payload=payload,
        date_column="TIME_PERIOD",
        date_formats=("%Y-%m-%d", "%Y-%m"),
        column_to_series={key: ECB_KEYS[key] for key in known},
        order="ascending",
    )
