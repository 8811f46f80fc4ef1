"""FRED CSV and JSON payloads, generated from the shared FRED files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.sources._payloads import fred_csv_payload, fred_json_payload
from ustpull.errors import DataError
from ustpull.sources.fred import FRED_TO_SERIES, parse_fred_csv, parse_fred_json


def _series(batch, series_id: str) -> pd.Series:
    rows = batch.observations[batch.observations["series_id"] == series_id]
    return pd.Series(rows["value"].to_numpy(), index=pd.DatetimeIndex(rows["date"]))


def test_fred_table_maps_the_codes_the_sources_engineer_fetches() -> None:
    assert FRED_TO_SERIES["DGS10"] == "us.cmt.10y"
    assert FRED_TO_SERIES["DGS1MO"] == "us.cmt.1m"
    assert FRED_TO_SERIES["DFII10"] == "us.tips.10y"
    assert FRED_TO_SERIES["DTWEXBGS"] == "fx.usd_broad"
    assert FRED_TO_SERIES["IRLTLT01EZM156N"] == "oecd.10y.ea"
    assert FRED_TO_SERIES["DFEDTAR"] == FRED_TO_SERIES["DFEDTARU"] == "us.fedfunds.target"
    # 11 DGS + GS10 + 3 DFII + 2 TxYIE + T10Y2Y + FEDFUNDS, DFEDTARU, DFEDTAR + AAA, BAA, HY OAS
    # + SP500, VIXCLS + 4 dollar + 9 OECD + 11 macro
    # + DTB3, TB4WK, TB3MS, TB6MS + THREEFYTP1..10 + IUDSOIA (SONIA)
    assert len(FRED_TO_SERIES) == 65
    assert FRED_TO_SERIES["DTB3"] == "us.tbill.3m"
    assert FRED_TO_SERIES["THREEFYTP10"] == "us.kw.tp.10y"


@pytest.mark.parametrize("date_header", ["observation_date", "DATE"])
def test_fredgraph_csv_round_trip(shared_data: Path, date_header: str) -> None:
    payload = fred_csv_payload(
        shared_data, ("DGS10", "DGS2"), start="2008-09-01", end="2008-09-30",
        date_header=date_header,
    )  # fmt: skip
    assert payload.startswith(f"{date_header},DGS10,DGS2\n".encode())
    batch = parse_fred_csv(payload, origin="fredgraph.csv?id=DGS10,DGS2")
    assert batch.source == "fred" and batch.series_ids == ["us.cmt.10y", "us.cmt.2y"]
    ten = _series(batch, "us.cmt.10y")
    # fred/ust_cmt_daily.csv: 21 trading days in September 2008 (Labor Day 09-01 is a
    # holiday row, '.' in the payload); DGS10 = 3.47 and DGS2 = 1.78 on 2008-09-15.
    assert len(ten) == 21 and ten.index[0] == pd.Timestamp("2008-09-02")
    assert ten["2008-09-15"] == 3.47
    assert _series(batch, "us.cmt.2y")["2008-09-15"] == 1.78
    assert len(batch.rejections) == 0


def test_fred_json_round_trip(shared_data: Path) -> None:
    payload = fred_json_payload(shared_data, "DEXJPUS", start="2024-06-24", end="2024-07-05")
    batch = parse_fred_json(payload, fred_id="DEXJPUS")
    yen = _series(batch, "fx.jpy_per_usd")
    # fx/DEXJPUS.csv: 2024-07-04 is an empty holiday row -> absent; 161.55 on 2024-07-01.
    assert pd.Timestamp("2024-07-04") not in yen.index
    assert yen["2024-07-01"] == 161.55
    assert len(yen) == 9


def test_json_with_no_observations_is_an_empty_batch() -> None:
    batch = parse_fred_json(json.dumps({"observations": []}).encode(), fred_id="DGS10")
    assert len(batch.observations) == 0


def test_renamed_fred_column_needs_a_mapping() -> None:
    payload = b"DATE,FED_FUNDS_TARGET\n2024-07-01,5.5\n"
    with pytest.raises(DataError, match=r"FRED series \['FED_FUNDS_TARGET'\] have no canonical"):
        parse_fred_csv(payload)
    batch = parse_fred_csv(payload, columns={"FED_FUNDS_TARGET": "us.fedfunds.target"})
    assert batch.observations["value"].tolist() == [5.5]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty payload"),
        (b"date;DGS10\n2024-01-02;4\n", r"no header line starting with 'observation_date'"),
        (b"observation_date,DGS10\n2024-01-03,4.1\n2024-01-02,4.0\n",
         r"dates out of order \(ascending expected\): 2024-01-03 is followed by 2024-01-02"),
        (b"observation_date,DGS10\n2024-01-02,4.1\n2024-01-02,4.0\n",
         r"duplicate dates in payload: 2024-01-02"),
        (b"observation_date,DGS1\n2024-01-02,4.1\n", r"expected column\(s\) \['DGS10'\] not found"),
    ],
)  # fmt: skip
def test_bad_csv(payload: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_fred_csv(payload, columns={"DGS10": "us.cmt.10y"})


def test_non_numeric_cells_are_counted_rejections() -> None:
    payload = b"observation_date,DGS10\n2024-01-02,4.1\n2024-01-03,n/a?\n2024-01-04,.\n"
    batch = parse_fred_csv(payload)
    assert batch.observations["value"].tolist() == [4.1]
    rejected = batch.rejections.iloc[0]
    assert (rejected["series_id"], rejected["date"], rejected["raw"]) == (
        "us.cmt.10y", pd.Timestamp("2024-01-03"), "n/a?"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<html>", "not JSON"),
        (b'{"error_code": 400}', "no 'observations' list"),
        (b'{"observations": [{"date": "2024-01-02"}]}', "observation 0 lacks 'date' or 'value'"),
    ],
)
def test_bad_json(payload: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_fred_json(payload, fred_id="DGS10")
