"""Publishers' live payload layouts, written at test time from the shared data.

The shared files are normalised copies (ISO dates, ascending, no title lines). These
helpers turn a slice of them back into the bytes each publisher serves, so parsers and
the HTTP fetchers are tested on the live layouts without storing any publisher data in
the repository. Every helper takes the shared data folder first and returns ``bytes``.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
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
    "MirrorRoute",
    "acm_payload",
    "boe_payload",
    "bundesbank_payload",
    "ecb_csv_payload",
    "ecb_short_payload",
    "feds200628_payload",
    "fred_csv_payload",
    "fred_json_payload",
    "french_payload",
    "issue12_mirror_routes",
    "mof_payload",
    "observations_wide",
    "rba_f2_payload",
    "rba_f17_payload",
    "shiller_payload",
    "snb_payload",
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


# ---------------------------------------------------------------------------------------
# Issue 12: publishers added for the online report. Each ``<source>_payload(data_dir, ...)``
# defaults to the whole shared file, so a local mirror can serve the full history.


def _xls_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> bytes:
    """A BIFF .xls workbook (xlwt); ``datetime`` cells are written as date cells."""
    import datetime as dt

    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows in sheets:
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None or (isinstance(cell, float) and np.isnan(cell)):
                    continue
                if isinstance(cell, dt.datetime):
                    sheet.write(r, c, cell, date_style)
                else:
                    sheet.write(r, c, cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> bytes:
    """An .xlsx workbook (openpyxl, write-only)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([None if isinstance(c, float) and np.isnan(c) else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    return [
        [day.to_pydatetime(), *map(float, row)]
        for day, row in zip(frame.index, frame.to_numpy(), strict=True)
    ]


SHILLER_TITLE_ROWS: tuple[tuple[object, ...], ...] = (
    (),
    ('Stock Market Data Used in "Irrational Exuberance" Princeton University Press, 2000, '
     "2005, 2015, updated",),
    ("Robert J. Shiller ",),
    (),
    ("", "", "", "", "  Consumer", "", "", "", "", "Real", "", "Real"),
    ("", "S&P", "", "", "Price", "", "Long", "", "", "Total", "", "TR"),
    ("", "Comp.", "Dividend", "Earnings", "Index", "Date  ", "Interest", "Real", "Real",
     "Return", "Real", "Scaled"),
    ("Date", "P", "D", "E", "CPI", "Fraction", "Rate GS10", "Real Price", "Dividend", "Price",
     "Earnings", "Earnings", "CAPE", "", "TR CAPE"),
)  # fmt: skip
"""Rows 1-8 of the ``Data`` sheet of ``ie_data.xls`` (publisher-samples/shiller)."""


def shiller_payload(
    data_dir: Path, *, start: Dateish = None, end: Dateish = None, header: Sequence[object] = ()
) -> bytes:
    """``ie_data.xls``: sheets ``Disclaimer`` and ``Data``; header block, rows of
    ``YYYY.MM, P, D, E, CPI, Fraction, GS10, Real Price, Real Dividend, Real TR Price, Real
    Earnings, Real TR Scaled Earnings, CAPE ('NA' when empty), '', TR CAPE`` and a footnote
    row, from ``equity/shiller_ie_data_monthly_1871_2026.csv``. ``header`` replaces row 8."""
    table = pd.read_csv(data_dir / "equity" / "shiller_ie_data_monthly_1871_2026.csv")
    table.index = pd.DatetimeIndex(pd.to_datetime(table["YYYY_MM"], format="%Y-%m"))
    table = table.loc[start:end]
    columns = ["Date_Shiller", "P", "D", "E", "CPI", "Date_Fraction", "GS10", "Real_Price",
               "Real_Dividend", "Real_TR_Price", "Real_Earnings",
               "Real_TR_Scaled_Earnings"]  # fmt: skip
    rows: list[Sequence[object]] = [
        *SHILLER_TITLE_ROWS[:-1],
        tuple(header) or SHILLER_TITLE_ROWS[-1],
    ]
    for record in table.itertuples(index=False):
        cells: list[object] = [float(getattr(record, c)) for c in columns]
        cape, tr_cape = float(record.CAPE), float(record.TR_CAPE)
        cells += ["NA" if np.isnan(cape) else cape, None, "NA" if np.isnan(tr_cape) else tr_cape]
        rows.append(cells)
    rows.append((None, "Latest price is the month's first close", None, None, "CPI estimated"))
    disclaimer = [("These data are provided without warranty.",)]
    return _xls_bytes([("Disclaimer", disclaimer), ("Data", rows)])


FRENCH_PREAMBLE = (
    "This file was created using the 202506 CRSP database.",
    "The Tbill return is the simple daily rate that, over the number of trading days",
    "in the month, compounds to 1-month TBill rate from Ibbotson and Associates Inc.",
    "",
)


def _french_lines(frame: pd.DataFrame, date_format: str) -> list[str]:
    lines = []
    for day, row in zip(frame.index, frame.to_numpy(), strict=True):
        lines.append(",".join([day.strftime(date_format), *(f"{_number(v):>8}" for v in row)]))
    return lines


def french_payload(
    data_dir: Path,
    *,
    frequency: str = "daily",
    start: Dateish = None,
    end: Dateish = None,
    header: str = ",Mkt-RF,SMB,HML,RF",
) -> bytes:
    """French's zip (one CSV member, CRLF): preamble, ``,Mkt-RF,SMB,HML,RF``, rows
    ``YYYYMMDD`` (daily) or ``YYYYMM`` then an annual block ``YYYY`` (monthly), copyright."""
    stems = ("mkt_rf", "smb", "hml", "rf")
    if frequency == "daily":
        daily = _slice(data_dir, [f"us.ff.{s}.daily" for s in stems], start, end)
        body = [header, *_french_lines(daily, "%Y%m%d")]
        member = "F-F_Research_Data_Factors_daily.CSV"
    else:
        monthly = _slice(data_dir, [f"us.ff.{s}.monthly" for s in stems], start, end)
        annual = _slice(data_dir, [f"us.ff.{s}.annual" for s in stems], start, end)
        body = [header, *_french_lines(monthly, "%Y%m"), "", " Annual Factors: January-December ",
                header, *_french_lines(annual, "%Y")]  # fmt: skip
        member = "F-F_Research_Data_Factors.CSV"
    text = "\r\n".join(
        [*FRENCH_PREAMBLE, *body, "", "Copyright 2025 Eugene F. Fama and Kenneth R. French", ""]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text.encode("utf-8"))
    return buffer.getvalue()


def bundesbank_payload(
    data_dir: Path, series_id: str = "de.bbk.zero.2y", *, start: Dateish = None, end: Dateish = None
) -> bytes:
    """Bundesbank CSV download of one series: BOM, key line, metadata block, every calendar
    day from the first to the last date, ``.`` + ``No value available`` when missing."""
    from ustpull.sources.bundesbank import BUNDESBANK_KEYS

    key = {v: k for k, v in BUNDESBANK_KEYS.items()}[series_id]
    values = _slice(data_dir, [series_id], start, end)[series_id].dropna()
    days = pd.date_range(values.index[0], values.index[-1], freq="D")
    lines = [
        f'"",{key},{key}_FLAGS',
        f'"",Term structure of interest rates on listed Federal securities / {series_id},',
        "Comment,Monatsendstandsreihe.,",
        "Decimals,2,",
        "Time format code,P1D,",
        "Unit (in english),percent,",
        "unit,Prozent,",
        "unit multiplier,One,",
        "last update,2024-06-28 12:10:08,",
    ]
    for day in days:
        value = values.get(day)
        cell = "., No value available" if value is None else f"{_number(value)},"
        lines.append(f"{day:%Y-%m-%d},{cell}".replace(", No", ",No"))
    return b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode()


def snb_payload(
    data_dir: Path, *, start: Dateish = None, end: Dateish = None, cube: str = "rendeidglfzch"
) -> bytes:
    """SNB data API CSV of cube ``rendeidglfzch``: BOM, ``"CubeId";...``, publishing date,
    blank line, ``"Date";"D0";"Value"``, one quoted row per date and maturity, CRLF."""
    years = (2, 5, 10, 20)
    frame = _slice(data_dir, [f"ch.snb.zero.{n}y" for n in years], start, end)
    lines = [f'"CubeId";"{cube}"', '"PublishingDate";"2024-04-02 14:30"', "", '"Date";"D0";"Value"']
    for day, row in zip(frame.index, frame.to_numpy(), strict=True):
        for n, value in zip(years, row, strict=True):
            lines.append(f'"{day:%Y-%m-%d}";"{n}J";"{_number(value)}"')
    return b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode()


def _rba_block(title: str, codes: Sequence[str], titles: Sequence[str]) -> list[list[object]]:
    import datetime as dt

    n = len(codes)
    return [
        [title],
        ["Title", *titles],
        ["Description", *(f"{t}: daily, per cent per annum" for t in titles)],
        ["Frequency", *["Daily"] * n],
        ["Type", *["Original"] * n],
        ["Units", *["Per cent per annum"] * n],
        [],
        [],
        ["Source", *["RBA"] * n],
        ["Publication date", *[dt.datetime(2024, 5, 16)] * n],
        ["Series ID", *codes],
    ]


def rba_f2_payload(data_dir: Path, *, start: Dateish = None, end: Dateish = None) -> bytes:
    """RBA F2 daily (``f02dhist.xls`` / ``f02d.xls``): sheets ``Data`` and ``Notes``, the
    header block ending ``Series ID`` (FCMYGBAG2D ...), then date cells and yields."""
    ids = ["au.rba.govt.2y", "au.rba.govt.3y", "au.rba.govt.5y", "au.rba.govt.10y",
           "au.rba.govt.indexed"]  # fmt: skip
    codes = ["FCMYGBAG2D", "FCMYGBAG3D", "FCMYGBAG5D", "FCMYGBAG10D", "FCMYGBAGID"]
    titles = ["Australian Government 2 year bond", "Australian Government 3 year bond",
              "Australian Government 5 year bond", "Australian Government 10 year bond",
              "Australian Government indexed bond"]  # fmt: skip
    frame = _slice(data_dir, ids, start, end)
    rows = [
        *_rba_block("F2 CAPITAL MARKET YIELDS – GOVERNMENT BONDS – DAILY", codes, titles),
        *_rows(frame),
    ]
    return _xls_bytes([("Data", rows), ("Notes", [["Yields are end of day."]])])


def rba_f17_payload(data_dir: Path, *, start: Dateish = None, end: Dateish = None) -> bytes:
    """RBA F17 (``f17hist.xlsx`` / ``f17-yields.xlsx``): sheets ``Yields``, ``Discount
    factors``, ``Forward rates``, ``Notes``; header block ending ``Series ID``
    (FZCY0D, FZCY25D, ... FZCY1000D), then date cells and zero-coupon yields."""
    from ustpull.sources.rba import RBA_CODES

    zero = {v: k for k, v in RBA_CODES.items() if k.startswith("FZCY")}
    ids = list(zero)
    frame = _slice(data_dir, ids, start, end)
    years = [int(zero[i][4:-1]) / 100 for i in ids]
    titles = [f"Zero-coupon yield – {y:g} yrs" for y in years]
    title = "F17 ZERO-COUPON INTEREST RATES – ANALYTICAL SERIES"
    rows = [*_rba_block(title, [zero[i] for i in ids], titles),
            *_rows(frame)]  # fmt: skip
    empty: list[list[object]] = [["F17"]]
    return _xlsx_bytes([("Yields", rows), ("Discount factors", empty), ("Forward rates", empty),
                        ("Notes", empty)])  # fmt: skip


@cache
def boe_payload(data_dir: Path, *, spot_sheet: str = "4.  real spot curve") -> bytes:
    """``glcrealddata.zip`` holding ``GLC Real daily data_1985 to 1989.xlsx``, rewritten from
    the BoE sample workbook in publisher-samples/boe: sheet ``info``, the three other curve
    sheets with their title rows only, and the spot sheet (``spot_sheet``) whole, with its
    ``years:`` row and date cells. The shared data has no UK nominal curve."""
    import openpyxl

    sample = data_dir / "publisher-samples" / "boe" / "GLC Real daily data_1985 to 1989.xlsx"
    book = openpyxl.load_workbook(sample, read_only=True, data_only=True)
    sheets = []
    for name in book.sheetnames:
        whole = name in ("info", "4.  real spot curve")
        rows = [
            list(row)
            for row in book[name].iter_rows(values_only=True, max_row=None if whole else 5)
        ]
        sheets.append((spot_sheet if name == "4.  real spot curve" else name, rows))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("GLC Real daily data_1985 to 1989.xlsx", _xlsx_bytes(sheets))
    return buffer.getvalue()


def acm_payload(
    data_dir: Path, *, start: Dateish = "1990-01-01", end: Dateish = None, sheet: str = "ACM Daily"
) -> bytes:
    """``ACMTermPremium.xls`` layout (sheets ``ACM Monthly``, ``ACM Daily``; ``DATE`` text
    ``02-Jan-1962``; ACMY01..10, ACMTP01..10, ACMRNY01..10). The shared data holds no ACM
    estimates: ACMY{n} carries the GSW n-year zero yield, ACMTP{n} a known synthetic
    0.1 x n and ACMRNY{n} = ACMY{n} - ACMTP{n}, so the file's identity holds exactly."""
    zero = _slice(data_dir, [f"us.gsw.zero.{n}y" for n in range(1, 11)], start, end).dropna()
    header = ["DATE", *(f"ACMY{n:02d}" for n in range(1, 11)),
              *(f"ACMTP{n:02d}" for n in range(1, 11)),
              *(f"ACMRNY{n:02d}" for n in range(1, 11))]  # fmt: skip
    rows: list[Sequence[object]] = [header]
    premia = [0.1 * n for n in range(1, 11)]
    for day, yields in zip(zero.index, zero.to_numpy(), strict=True):
        neutral = [float(y) - tp for y, tp in zip(yields, premia, strict=True)]
        rows.append([day.strftime("%d-%b-%Y"), *map(float, yields), *premia, *neutral])
    return _xls_bytes([("ACM Monthly", [header]), (sheet, rows)])


def ecb_short_payload(
    data_dir: Path, series_id: str = "ea.estr", *, start: Dateish = None, end: Dateish = None
) -> bytes:
    """ECB SDMX-CSV (``format=csvdata``) of one series (€STR and the USD/EUR reference rate
    daily, EONIA or 3-month EURIBOR monthly as ``YYYY-MM``)."""
    from ustpull.sources.ecb import ECB_KEYS

    key = {v: k for k, v in ECB_KEYS.items()}[series_id]
    values = _slice(data_dir, [series_id], start, end)[series_id].dropna()
    if key.startswith("EXR."):  # the ECB's euro reference rate starts with the euro
        values = values.loc["1999-01-04":]
    monthly = key.startswith("FM.M.")
    lines = ["KEY,FREQ,TIME_PERIOD,OBS_VALUE,OBS_STATUS,TITLE,UNIT,UNIT_MULT"]
    for day, value in values.items():
        period = day.strftime("%Y-%m" if monthly else "%Y-%m-%d")
        lines.append(f'{key},{key.split(".")[1]},{period},{_number(value)},A,"{series_id}",PC,0')
    return ("\n".join(lines) + "\n").encode()


# ---------------------------------------------------------------------------------------
# A mirror of the issue-12 publishers for end-to-end runs


@dataclass(frozen=True)
class MirrorRoute:
    """One payload at a publisher's real path (``query``: parameters that must match)."""

    path: str
    body: bytes
    content_type: str = "application/octet-stream"
    query: dict[str, str] = field(default_factory=dict)


def issue12_mirror_routes(
    data_dir: Path, *, start: Dateish = None, end: Dateish = None
) -> list[MirrorRoute]:
    """Every payload the issue-12 publishers serve, over the whole shared history, at the
    publishers' real paths (``ustpull.sources.online`` constants); ``start``/``end`` cut
    every generated file to a window (it must span 2013 for the RBA files to hold rows).

    Files split as the publishers split them: RBA F2 daily history to 2013 and the current
    file from 2014, the F2 monthly history is the real sample file; F17 history to 2012,
    current from 2013. Whole history: about 35 s to generate (F17 xlsx 12 s, ACM xls 8 s).
    FRED codes the shared data holds (fiscal, T-bills, Kim-Wright 10y, SONIA, EUR STR) are
    included; the BoE nominal archive is not (the shared data has no UK
    nominal curve: ``gb.boe.zero.*`` is absent from the mirror).
    """
    from ustpull.sources import online
    from ustpull.sources.bundesbank import BUNDESBANK_KEYS

    zip_type, xls, xlsx = "application/zip", "application/vnd.ms-excel", "application/xlsx"
    f2_history, f2_current, f2_monthly = online.RBA_F2_PATHS
    f17_history, f17_current = online.RBA_F17_PATHS
    sample = data_dir / "publisher-samples" / "rba" / "f02histhist.xls"
    window = {"start": start, "end": end}
    monthly = french_payload(data_dir, frequency="monthly", **window)
    acm = acm_payload(data_dir, start=start or "1990-01-01", end=end)
    routes = [
        MirrorRoute(online.SHILLER_PATH, shiller_payload(data_dir, **window), xls),
        MirrorRoute(online.FRENCH_DAILY_PATH, french_payload(data_dir, **window), zip_type),
        MirrorRoute(online.FRENCH_MONTHLY_PATH, monthly, zip_type),
        MirrorRoute(online.SNB_PATH, snb_payload(data_dir, **window), "text/csv"),
        MirrorRoute(f2_history, rba_f2_payload(data_dir, start=start, end="2013-12-31"), xls),
        MirrorRoute(f2_current, rba_f2_payload(data_dir, start="2014-01-01", end=end), xls),
        MirrorRoute(f2_monthly, sample.read_bytes(), xls),
        MirrorRoute(f17_history, rba_f17_payload(data_dir, start=start, end="2012-12-31"), xlsx),
        MirrorRoute(f17_current, rba_f17_payload(data_dir, start="2013-01-01", end=end), xlsx),
        MirrorRoute(online.BOE_PATHS[1], boe_payload(data_dir), zip_type),
        MirrorRoute(online.ACM_PATH, acm, xls),
    ]
    for key, series_id in BUNDESBANK_KEYS.items():
        flow, rest = key.split(".", 1)
        path = f"{online.BUNDESBANK_PATH}/{flow}/{rest}"
        payload = bundesbank_payload(data_dir, series_id, **window)
        routes.append(MirrorRoute(path, payload, "text/csv"))
    for series_id in online.SOURCES["ecb_short"].series:
        flow, rest = online._publisher_codes("ecb_short", [series_id])[series_id].split(".", 1)
        path = f"{online.ECB_DATA_PATH}/{flow}/{rest}"
        routes.append(
            MirrorRoute(path, ecb_short_payload(data_dir, series_id, **window), "text/csv")
        )
    fred_codes = ("FGRECPT", "FGEXPND", "A091RC1Q027SBEA", "A191RC1Q027SBEA", "GFDEBTN",
                  "DTB3", "TB3MS", "TB6MS", "TB4WK", "THREEFYTP10", "IUDSOIA",
                  "ECBESTRVOLWGTTRMDMNRT")  # fmt: skip
    for code in fred_codes:
        routes.append(
            MirrorRoute(
                online.FRED_GRAPH_PATH,
                fred_csv_payload(data_dir, (code,), **window),
                "text/csv",
                {"id": code},
            )
        )
    return routes
