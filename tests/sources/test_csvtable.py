"""Generic dated CSV tables: options and every bad-input case."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.sources.csvtable import parse_csv

COLUMNS = {"A": "us.vix", "B": "us.sp500"}
GOOD = "DATE,A,B\n2024-01-02,13.2,4742.83\n2024-01-03,14.0,4704.81\n"


def _values(batch, series_id: str) -> list[float]:
    return batch.observations.loc[batch.observations["series_id"] == series_id, "value"].tolist()


@pytest.mark.parametrize(
    "payload",
    [
        GOOD.encode(),
        codecs.BOM_UTF8 + GOOD.encode(),
        codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"),
        GOOD.replace("\n", "\r\n").encode(),
        GOOD.replace(",", ", ").encode(),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "crlf", "spaces"],
)
def test_encodings_and_whitespace(payload: bytes) -> None:
    batch = parse_csv(payload, date_column="DATE", columns=COLUMNS, origin="f.csv")
    assert _values(batch, "us.vix") == [13.2, 14.0]
    assert _values(batch, "us.sp500") == [4742.83, 4704.81]
    assert batch.origin == "f.csv" and len(batch.sha256) == 64


def test_options() -> None:
    payload = b"exported by Haver\nrange: all\nPeriod;A;B\n2024-02;-999;5000\n2024-01;13.5;n.a.\n"
    batch = parse_csv(
        payload,
        date_column="Period",
        columns=COLUMNS,
        date_formats=("%Y-%m",),
        missing=("n.a.",),
        sentinels={"A": -999.0},
        order="descending",
        skip_lines=2,
        delimiter=";",
    )
    # Monthly dates on the first of the month; the -999 sentinel and n.a. are dropped.
    rows = batch.observations.set_index("series_id")
    assert (rows.loc["us.vix", "date"], rows.loc["us.vix", "value"]) == (
        pd.Timestamp("2024-01-01"), 13.5
    )  # fmt: skip
    assert (rows.loc["us.sp500", "date"], rows.loc["us.sp500", "value"]) == (
        pd.Timestamp("2024-02-01"), 5000.0
    )  # fmt: skip


def test_bad_cells_and_dates_are_counted_rejections() -> None:
    payload = b"DATE,A,B\n2024-01-02,13.2,x\n2024-13-45,14,1\n2024-01-04,inf,2\n"
    batch = parse_csv(payload, date_column="DATE", columns=COLUMNS)
    assert _values(batch, "us.vix") == [13.2]
    assert _values(batch, "us.sp500") == [2.0]
    rejections = batch.rejections.sort_values(["series_id", "raw"], ignore_index=True)
    assert rejections[["series_id", "raw"]].to_numpy().tolist() == [
        ["us.sp500", "2024-13-45"], ["us.sp500", "x"], ["us.vix", "2024-13-45"],
        ["us.vix", "inf"],
    ]  # fmt: skip
    assert rejections.loc[1, "date"] == pd.Timestamp("2024-01-02")
    assert rejections.loc[0, "reason"] == "unparseable date in column 'DATE'"
    assert pd.isna(rejections.loc[0, "date"])
    assert rejections.loc[1, "reason"] == (
        "line 2, column 'B': not a complete finite number with decimal '.'"
    )


@pytest.mark.parametrize(
    ("payload", "kwargs", "message"),
    [
        (b"", {}, "f.csv: empty payload"),
        (b"  \n\n", {}, "empty payload"),
        ("DATE,A,B\n2024-01-02,é,1\n".encode("latin-1"), {},
         r"cannot decode the payload as utf-8 \(byte 20"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", {}, "byte-order mark says utf-16-le"),
        (b"DATE,A,B\n2024-01-02,1,2\n2024-01-02,1,3\n", {},
         "duplicate dates in payload: 2024-01-02"),
        (b"DATE,A,B\n2024-01-03,1,2\n2024-01-02,1,3\n", {},
         r"dates out of order \(ascending expected\): 2024-01-03 is followed by 2024-01-02"),
        (b"DATE,A,B\n2024-01-02,1,2\n2024-01-03,1,3\n", {"order": "descending"},
         r"dates out of order \(descending expected\)"),
        (b"DATE,A,C\n2024-01-02,1,2\n", {}, r"expected column\(s\) \['B'\] not found"),
        (b"Day,A,B\n2024-01-02,1,2\n", {}, r"date column 'DATE' not found; columns present"),
        (b"DATE,A,B\n02.01.2024,1,2\n", {}, "matches none of the formats"),
        (b'DATE,A,B\n2024-01-02,"1,2\n', {}, "line 2 ends inside a quoted field"),
    ],
)  # fmt: skip
def test_bad_input(payload: bytes, kwargs: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_csv(payload, date_column="DATE", columns=COLUMNS, origin="f.csv", **kwargs)
