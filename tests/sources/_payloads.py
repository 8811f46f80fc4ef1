"""Publishers' live payload layouts, written at test time from the shared data.

The shared files are normalised copies (ISO dates, ascending, no title lines). These
helpers turn a slice of them back into the bytes each publisher serves, so parsers and
the HTTP fetchers are tested on the live layouts without storing any publisher data in
the repository. Every helper takes the shared data folder first and returns ``bytes``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ustpull.sources.base import ParsedBatch
from ustpull.sources.fred import FRED_TO_SERIES
from ustpull.sources.gsw import FEDS200628_COLUMNS
from ustpull.sources.local import load_frame
from ustpull.sources.mof import MOF_COLUMNS
from ustpull.sources.treasury_par import TREASURY_PAR_COLUMNS

__all__ = [
    "ECB_CSV_HEADER",
    "ecb_csv_payload",
    "feds200628_payload",
    "fred_csv_payload",
    "fred_json_payload",
    "mof_payload",
    "observations_wide",
    "treasury_par_payload",
    "treasurydirect_payload",
]

Dateish = str | pd.Timestamp | None


def observations_wide(batch: ParsedBatch) -> pd.DataFrame:
    """A batch's observations as a date x series table, for assertions."""
    return batch.observations.pivot(index="date", columns="series_id", values="value")


def _slice(data_dir: Path, ids: Sequence[str], start: Dateish, end: Dateish) -> pd.DataFrame:
    return load_frame(list(ids), data_dir).loc[start:end]


def _number(value: float) -> str:
    return "" if np.isnan(value) else f"{value:.10g}"


def fred_csv_payload(
    data_dir: Path,
    fred_ids: Sequence[str] = ("DGS10",),
    *,
    start: Dateish = None,
    end: Dateish = None,
    date_header: str = "observation_date",
) -> bytes:
    """``fredgraph.csv?id=...``: ``observation_date,ID,...``, ISO dates, ``.`` missing.

    FRED keeps holiday rows with ``.``; rows where every series is missing are kept too.
    """
    frame = _slice(data_dir, [FRED_TO_SERIES[i] for i in fred_ids], start, end)
    lines = [",".join([date_header, *fred_ids])]
    for day, row in zip(frame.index, frame.to_numpy(), strict=True):
        cells = [_number(v) or "." for v in row]
        lines.append(",".join([day.strftime("%Y-%m-%d"), *cells]))
    return ("\n".join(lines) + "\n").encode()


def fred_json_payload(
    data_dir: Path, fred_id: str = "DGS10", *, start: Dateish = None, end: Dateish = None
) -> bytes:
    """FRED API ``series/observations`` JSON for one series (``"."`` missing)."""
    series = _slice(data_dir, [FRED_TO_SERIES[fred_id]], start, end).iloc[:, 0]
    observations = [
        {
            "realtime_start": "2026-08-21",
            "realtime_end": "2026-08-21",
            "date": day.strftime("%Y-%m-%d"),
            "value": _number(value) or ".",
        }
        for day, value in series.items()
    ]
    document = {
        "realtime_start": "2026-08-21",
        "realtime_end": "2026-08-21",
        "observation_start": observations[0]["date"] if observations else "",
        "observation_end": observations[-1]["date"] if observations else "",
        "units": "lin",
        "output_type": 1,
        "file_type": "json",
        "order_by": "observation_date",
        "sort_order": "asc",
        "count": len(observations),
        "offset": 0,
        "limit": 100000,
        "observations": observations,
    }
    return json.dumps(document).encode()


def treasury_par_payload(
    data_dir: Path, *, start: Dateish = None, end: Dateish = None, one_and_half: str = "1.5 Month"
) -> bytes:
    """Treasury's par yield curve CSV: ``MM/DD/YYYY``, newest first, quoted tenor headers.

    Tenor columns with no value in the slice are left out, as Treasury does for years
    before a tenor existed.
    """
    ids = list(TREASURY_PAR_COLUMNS.values())
    frame = _slice(data_dir, ids, start, end).dropna(axis=1, how="all")
    headers = {v: k for k, v in TREASURY_PAR_COLUMNS.items()}
    names = [headers[c].replace("1.5 Mo", one_and_half) for c in frame.columns]
    lines = [",".join(["Date", *(f'"{n}"' for n in names)])]
    for day, row in zip(frame.index[::-1], frame.to_numpy()[::-1], strict=True):
        lines.append(",".join([day.strftime("%m/%d/%Y"), *(_number(v) for v in row)]))
    return ("\r\n".join(lines) + "\r\n").encode()


FEDS200628_NOTE_LINES = (
    '"Note: The yield curve estimation methodology is described in Gürkaynak, Sack and '
    'Wright (2006)."',
    '"Parameters are estimated daily; SVENY = zero-coupon yield, continuously compounded."',
    '"SVENPY = par yield, coupon-equivalent; SVENF = instantaneous forward rate."',
    '"BETA3 and TAU2 are -999.99 on days the Nelson-Siegel form was used."',
    '"Series, Compounding Convention, Units"',
    '"SVENY, Continuously Compounded, Percent"',
    '"SVENPY, Coupon-Equivalent, Percent"',
    '"SVENF, Continuously Compounded, Percent"',
    "",
)


def feds200628_payload(
    data_dir: Path,
    *,
    start: Dateish = None,
    end: Dateish = None,
    note_lines: Sequence[str] = FEDS200628_NOTE_LINES,
) -> bytes:
    """``feds200628.csv``: note lines, header ``Date,BETA0,...``, ``NA`` missing.

    Nelson-Siegel-only days (TAU2 missing in the shared data) get ``BETA3 = 0`` and
    ``TAU2 = -999.99`` as in the Board's file.
    """
    frame = _slice(data_dir, list(FEDS200628_COLUMNS.values()), start, end)
    frame.columns = list(FEDS200628_COLUMNS)
    if "TAU2" in frame.columns:
        nelson_siegel = frame["TAU2"].isna() & frame["TAU1"].notna()
        frame.loc[nelson_siegel, "TAU2"] = -999.99
        frame.loc[nelson_siegel, "BETA3"] = 0.0
    buffer = io.StringIO()
    frame.to_csv(buffer, na_rep="NA", date_format="%Y-%m-%d", index_label="Date")
    return ("\n".join(note_lines) + "\n" + buffer.getvalue()).encode()


ECB_CSV_HEADER = (
    "KEY,FREQ,REF_AREA,CURRENCY,PROVIDER_FM,INSTRUMENT_FM,PROVIDER_FM_ID,DATA_TYPE_FM,"
    "TIME_PERIOD,OBS_VALUE,OBS_STATUS,OBS_CONF,OBS_PRE_BREAK,OBS_COM,TIME_FORMAT,BREAKS,"
    "COLLECTION,COMPILING_ORG,DISS_ORG,DOM_SER_IDS,FM_CONTRACT_TIME,FM_COUPON_RATE,"
    "FM_IDENTIFIER,FM_LOT_SIZE,FM_MATURITY,FM_OUTS_AMOUNT,FM_PUT_CALL,FM_STRIKE_PRICE,"
    "PUBL_MU,PUBL_PUBLIC,UNIT_INDEX_BASE,COMPILATION,COVERAGE,DECIMALS,SOURCE_AGENCY,"
    "SOURCE_PUB,TITLE,TITLE_COMPL,UNIT,UNIT_MULT"
)
"""Header of the ECB Data Portal's ``format=csvdata`` response for the YC dataflow."""


def ecb_csv_payload(
    data_dir: Path,
    years: Sequence[int] = (1, 2, 5, 10, 30),
    *,
    start: Dateish = None,
    end: Dateish = None,
    instrument: str = "G_N_A",
) -> bytes:
    """ECB SDMX-CSV (long: one row per series and day), series sorted by key then date."""
    frame = _slice(data_dir, [f"ea.aaa.zero.{n}y" for n in years], start, end)
    lines = [ECB_CSV_HEADER]
    for n, column in zip(years, frame.columns, strict=True):
        data_type = f"SR_{n}Y"
        key = f"YC.B.U2.EUR.4F.{instrument}.SV_C_YM.{data_type}"
        title = f'"Yield curve spot rate, {n}-year maturity - Government bond, nominal"'
        compl = f'"Euro area - Svensson model - continuous compounding - {data_type}"'
        for day, value in frame[column].dropna().items():
            cells = [
                key, "B", "U2", "EUR", "4F", instrument, "SV_C_YM", data_type,
                day.strftime("%Y-%m-%d"), repr(float(value)), "A", "F", "", "", "P1D", "",
                "E", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "6",
                "", "", title, compl, "PCPA", "0",
            ]  # fmt: skip
            lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


_ERAS = ((2019, 5, 1, "R", 2018), (1989, 1, 8, "H", 1988), (1926, 12, 25, "S", 1925))


def _era_date(day: pd.Timestamp) -> str:
    for year, month, first_day, letter, offset in _ERAS:
        if (day.year, day.month, day.day) >= (year, month, first_day):
            return f"{letter}{day.year - offset}.{day.month}.{day.day}"
    raise ValueError(f"{day.date()} predates the Showa era")


def mof_payload(
    data_dir: Path,
    *,
    start: Dateish = None,
    end: Dateish = None,
    layout: str = "japanese",
) -> bytes:
    """MoF ``jgbcme_all.csv``: ``japanese`` (title line, ``基準日,1年,...``, era dates,
    Shift_JIS) or ``english`` (``Interest Rate`` title line, ``Date,1Y,...``, ``1974/9/24``)."""
    frame = _slice(data_dir, list(MOF_COLUMNS.values()), start, end)
    codes = list(MOF_COLUMNS)
    if layout == "japanese":
        title = "国債金利情報" + "," * len(codes) + "(単位：%)"
        header = ",".join(["基準日", *(c.replace("Y", "年") for c in codes)])
        dates = [_era_date(day) for day in frame.index]
        encoding = "cp932"
    else:
        title = "Interest Rate" + "," * len(codes) + "(Unit : %)"
        header = ",".join(["Date", *codes])
        dates = [f"{d.year}/{d.month}/{d.day}" for d in frame.index]
        encoding = "utf-8"
    lines = [title, header]
    for day, row in zip(dates, frame.to_numpy(), strict=True):
        lines.append(",".join([day, *(_number(v) or "-" for v in row)]))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def treasurydirect_payload(data_dir: Path, *, header: bool = False) -> bytes:
    """FedInvest ``securityprice`` CSV of the shared 2024-06-26 file; live layout (no header,
    no price date) unless ``header``."""
    path = data_dir / "treasury" / "treasurydirect_securityprice_2024-06-26_subset.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = ["CUSIP", "SECURITY_TYPE", "RATE", "MATURITY_DATE", "CALL_DATE", "BUY", "SELL"]
    lines = [",".join(c.replace("_", " ") for c in [*columns, "END_OF_DAY"])] if header else []
    for row in table.itertuples(index=False):
        rate = f"{float(row.RATE):.6f}"
        cells = [row.CUSIP, row.SECURITY_TYPE, rate, row.MATURITY_DATE, row.CALL_DATE]
        lines.append(",".join([*cells, row.BUY, row.SELL, row.END_OF_DAY]))
    return ("\n".join(lines) + "\n").encode()


# Added by the HTTP/online engineer for tests/sources/test_online.py.
def feds200805_payload(data_dir: Path, *, start: Dateish = None, end: Dateish = None) -> bytes:
    """``feds200805.csv`` (GSW TIPS curve): a note line, then ``Date,TIPSY02,...,BETA0,...``
    with ``NA`` missing; the shared 2022-2025 copy holds the same columns without the note."""
    from ustpull.sources.gsw import FEDS200805_COLUMNS

    table = load_frame(list(FEDS200805_COLUMNS.values()), data_dir).loc[start:end]
    table.columns = pd.Index(list(FEDS200805_COLUMNS))
    body = table.to_csv(na_rep="NA", date_format="%Y-%m-%d", index_label="Date")
    note = '"Note: TIPS yield curve of Gurkaynak, Sack and Wright (2010); real yields, percent."'
    return f"{note}\n\n{body}".encode()
