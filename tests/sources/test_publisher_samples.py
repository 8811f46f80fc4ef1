"""The new parsers on the real files publishers serve (``shared/data/publisher-samples``),
and their one-line errors when a layout changes (renamed sheet, header or column).

Reference values were read from each sample with xlrd/openpyxl/unzip (cell shown next to
the assertion) and, where the shared data holds the same series, cross-checked against it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.sources.base import ParsedBatch
from ustpull.sources.boe import parse_boe_archive, parse_boe_workbook
from ustpull.sources.bundesbank import parse_bundesbank_csv
from ustpull.sources.ecb import parse_ecb_series_csv
from ustpull.sources.french import parse_french_zip
from ustpull.sources.local import load_frame
from ustpull.sources.nyfed_acm import parse_acm_xls
from ustpull.sources.rba import parse_rba_table
from ustpull.sources.shiller import parse_shiller_xls, shiller_month
from ustpull.sources.snb import parse_snb_csv, parse_snb_xlsx

from ._payloads import acm_payload, bundesbank_payload, rba_f17_payload, snb_payload


def sample(shared_data: Path, name: str) -> bytes:
    folder = shared_data / "publisher-samples" / name
    (path,) = [p for p in folder.iterdir() if p.name != "README.md"]
    return path.read_bytes()


def wide(batch: ParsedBatch) -> pd.DataFrame:
    return batch.observations.pivot(index="date", columns="series_id", values="value")


def test_shiller_sample_2023_09(shared_data: Path) -> None:
    batch = parse_shiller_xls(sample(shared_data, "shiller"), origin="ie_data.xls")
    table = wide(batch)
    assert len(batch.rejections) == 0
    assert table.index[[0, -1]].tolist() == [pd.Timestamp("1871-01-01"), pd.Timestamp("2023-09-01")]
    # Data!B1838:G1838 (2023.06): P 4345.372857142857, D 68.71, E 181.17, CPI 305.109, GS10 3.75
    row = table.loc["2023-06-01"]
    assert row["us.shiller.price"] == pytest.approx(4345.372857142857, abs=1e-9)
    assert (row["us.shiller.dividend"], row["us.shiller.earnings"]) == (68.71, 181.17)
    assert (row["us.shiller.cpi"], row["us.shiller.gs10"]) == (305.109, 3.75)
    # 2023.07-09 have no D, E yet (empty cells); the footnote row is not a month
    assert table["us.shiller.dividend"].last_valid_index() == pd.Timestamp("2023-06-01")
    # CAPE 'NA' for 1871-1880; Data!M1130 (1881.01) = 18.47395230140494
    assert table["us.shiller.cape"].first_valid_index() == pd.Timestamp("1881-01-01")
    assert table.loc["1881-01-01", "us.shiller.cape"] == pytest.approx(18.47395230140494)
    # The 2023 vintage agrees with the shared 2026 vintage on the 1990s prices (P, D, E
    # are not revised), e.g. 1995-05: P 523.81 in both.
    shared = load_frame(["us.shiller.price"], shared_data)["us.shiller.price"]
    assert table.loc["1995-05-01", "us.shiller.price"] == shared["1995-05-01"] == 523.81


def test_shiller_dates() -> None:
    assert shiller_month(1871.1) == pd.Timestamp("1871-10-01")
    assert shiller_month(2023.12) == pd.Timestamp("2023-12-01")
    assert shiller_month(2023.13) is None and shiller_month("Date") is None


def test_french_daily_sample_202103(shared_data: Path) -> None:
    batch = parse_french_zip(sample(shared_data, "french"), origin="F-F.zip")
    table = wide(batch)
    # member line 6: 19260701,    0.10,   -0.24,   -0.28,   0.009 (202103 vintage)
    first = table.loc["1926-07-01"]
    assert (first["us.ff.mkt_rf.daily"], first["us.ff.rf.daily"]) == (0.1, 0.009)
    assert first["us.ff.mkt.daily"] == 0.109
    # last row 20210331,    0.63,    1.10,   -2.32,   0.000
    assert table.index[-1] == pd.Timestamp("2021-03-31")
    assert table.loc["2021-03-31", "us.ff.mkt.daily"] == 0.63
    assert len(table) == 24957 and len(batch.rejections) == 0


def _zip(member: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def test_french_renamed_column_and_no_header() -> None:
    renamed = _zip("F.CSV", "preamble\r\n\r\n,Mkt_RF,SMB,HML,RF\r\n19260701, 0.1,0,0,0.009\r\n")
    with pytest.raises(DataError, match=r"^u: no header ',Mkt-RF,SMB,HML,RF' found"):
        parse_french_zip(renamed, origin="u")
    moved = _zip("F.CSV", ",Mkt-RF,HML,SMB,RF\r\n19260701, 0.1,0,0,0.009\r\n")
    with pytest.raises(
        DataError, match=r"expected header ',Mkt-RF,SMB,HML,RF', found ',Mkt-RF,HML,SMB,RF'"
    ):
        parse_french_zip(moved, origin="u")
    with pytest.raises(DataError, match="expected one CSV member"):
        parse_french_zip(_zip("readme.pdf", "x"), origin="u")


def test_bundesbank_sample_r02(shared_data: Path) -> None:
    batch = parse_bundesbank_csv(sample(shared_data, "bundesbank"), origin="bbk.csv")
    series = wide(batch)["de.bbk.zero.2y"]
    # last line 2022-02-16,-0.40; the '.' rows (weekends, before 1997-08-07) are missing
    assert series.index[-1] == pd.Timestamp("2022-02-16") and series.iloc[-1] == -0.4
    # The shared file was built from this download: identical on every common day.
    shared = load_frame(["de.bbk.zero.2y"], shared_data)["de.bbk.zero.2y"].dropna()
    assert series.index.equals(shared.index)
    assert (series.to_numpy() == shared.to_numpy()).all()


def test_bundesbank_layout_changes(shared_data: Path) -> None:
    payload = bundesbank_payload(
        shared_data, "de.bbk.zero.2y", start="2020-01-02", end="2020-01-10"
    )
    text = payload.decode("utf-8-sig")
    with pytest.raises(DataError, match=r"^u: expected line 1 '\"\",<series key>"):
        parse_bundesbank_csv(text.replace('"",', "Date,", 1).encode(), origin="u")
    other = text.replace("R02XX", "R07XX")
    with pytest.raises(DataError, match=r"R07XX.*have no canonical id"):
        parse_bundesbank_csv(other.encode(), origin="u")


def test_snb_sample_xlsx_matches_the_shared_file(shared_data: Path) -> None:
    batch = parse_snb_xlsx(sample(shared_data, "snb"), origin="snb.xlsx")
    table = wide(batch)
    ids = ["ch.snb.zero.2y", "ch.snb.zero.5y", "ch.snb.zero.10y", "ch.snb.zero.20y"]
    # last row 2024-03-29: 0.838, 0.691, 0.639, 0.613
    assert table.loc["2024-03-29", ids].tolist() == [0.838, 0.691, 0.639, 0.613]
    shared = load_frame(ids, shared_data)
    pd.testing.assert_frame_equal(table[ids], shared[ids], check_names=False, check_freq=False)


def test_snb_layout_changes(shared_data: Path) -> None:
    payload = snb_payload(shared_data, start="2024-03-01").decode("utf-8-sig")
    with pytest.raises(DataError, match=r"D0 '2Y10' is not one of 2J, 5J, 10J, 20J"):
        parse_snb_csv(payload.replace('"2J"', '"2Y10"').encode(), origin="u")
    with pytest.raises(DataError, match=r"expected cube 'rendeidglfzch', found 'rendoblim'"):
        parse_snb_csv(payload.replace("rendeidglfzch", "rendoblim").encode(), origin="u")
    with pytest.raises(DataError, match=r"expected header '\"Date\";\"D0\";\"Value\"'"):
        parse_snb_csv(payload.replace('"D0"', '"Maturity"').encode(), origin="u")


def test_rba_f2_monthly_history_sample(shared_data: Path) -> None:
    batch = parse_rba_table(sample(shared_data, "rba"), origin="f02histhist.xls")
    table = wide(batch)
    # Data!A12 = 25415 (1969-07-31): only the 10-year yield, 5.8; dated on the 1st
    assert table.index[0] == pd.Timestamp("1969-07-01")
    assert table.loc["1969-07-01", "au.rba.govt.monthly.10y"] == 5.8
    # last row, serial 41425 (2013-05-31): 2.5225, 2.5675, 2.7875, 3.225
    last = table.loc["2013-05-01", [f"au.rba.govt.monthly.{n}y" for n in (2, 3, 5, 10)]]
    assert last.tolist() == [2.5225, 2.5675, 2.7875, 3.225]


def test_rba_renamed_sheet_and_unknown_codes(shared_data: Path) -> None:
    import openpyxl

    payload = rba_f17_payload(shared_data, start="2013-05-01")
    book = openpyxl.load_workbook(io.BytesIO(payload))
    book["Yields"].title = "Zero-coupon yields"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(
        DataError, match=r"^u: expected sheet 'Data' or 'Yields', found \['Zero-coupon yields'"
    ):
        parse_rba_table(buffer.getvalue(), origin="u")
    book["Zero-coupon yields"].title = "Yields"
    for cell in book["Yields"][11][1:]:
        cell.value = f"X{cell.value}"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DataError, match=r"none of the series codes \['XFZCY0D'"):
        parse_rba_table(buffer.getvalue(), origin="u")


def test_boe_real_sample(shared_data: Path) -> None:
    batch = parse_boe_workbook(sample(shared_data, "boe"), origin="GLC Real.xlsx")
    table = wide(batch)
    # '4.  real spot curve': years row 2.5, 3, ..., 25; 1985-01-02 is the first priced day
    assert table.index[0] == pd.Timestamp("1985-01-02")
    assert "gb.boe.real.zero.3y" in table and "gb.boe.real.zero.25y" not in table
    # row of 1989-12-29, column C (3 years) = 3.460301045501144
    assert table.loc["1989-12-29", "gb.boe.real.zero.3y"] == pytest.approx(3.460301045501144)
    # a zip whose GLC member is empty is refused, naming it
    archive = _zip("GLC Real daily data_1985 to 1989.xlsx", "")
    with pytest.raises(DataError, match="empty payload"):
        parse_boe_archive(archive, origin="u")


def test_boe_renamed_spot_sheet_and_maturity_row() -> None:
    from ._payloads import _xlsx_bytes

    renamed = _xlsx_bytes([("info", [["Bank of England"]]), ("4. real zero curve", [["x"]])])
    with pytest.raises(DataError, match=r"expected one sheet '4\. spot curve' or '4\.  real spot"):
        parse_boe_archive(renamed, origin="u")
    no_years = _xlsx_bytes([("4. spot curve", [[None, "UK nominal spot curve"], ["Maturity"]])])
    with pytest.raises(DataError, match=r"sheet '4\. spot curve': no 'years:' maturity row"):
        parse_boe_archive(no_years, origin="u")


def test_acm_layout_changes(shared_data: Path) -> None:
    window = {"start": "2020-01-02", "end": "2020-01-10"}
    batch = parse_acm_xls(acm_payload(shared_data, **window), origin="acm.xls")
    assert len(batch.series) == 30
    with pytest.raises(DataError, match=r"^u: expected sheet 'ACM Daily', found \['ACM Monthly'"):
        parse_acm_xls(acm_payload(shared_data, sheet="Daily", **window), origin="u")
    import xlrd

    from ._payloads import _xls_bytes

    book = xlrd.open_workbook(file_contents=acm_payload(shared_data, **window))
    rows = [book.sheet_by_name("ACM Daily").row_values(i) for i in range(3)]
    rows[0][rows[0].index("ACMTP10")] = "ACM_TP10"
    with pytest.raises(DataError, match=r"sheet 'ACM Daily': header lacks \['ACMTP10'\]"):
        parse_acm_xls(_xls_bytes([("ACM Daily", rows)]), origin="u")


def test_ecb_series_csv_layout_change(shared_data: Path) -> None:
    from ._payloads import ecb_short_payload

    payload = ecb_short_payload(shared_data, "ea.eonia.monthly", start="2021-01-01")
    batch = parse_ecb_series_csv(payload, origin="u")
    # rates_short/eonia_monthly_avg_1994_2021.csv 2021-12: -0.4922
    assert wide(batch).loc["2021-12-01", "ea.eonia.monthly"] == -0.4922
    with pytest.raises(DataError, match=r"column\(s\) \['OBS_VALUE'\] missing"):
        parse_ecb_series_csv(payload.replace(b"OBS_VALUE", b"VALUE"), origin="u")
    with pytest.raises(DataError, match="none of the series keys"):
        parse_ecb_series_csv(payload.replace(b"EONIA", b"EURIBOR1W"), origin="u")
