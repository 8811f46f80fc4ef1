"""Treasury daily par yield curve CSV: live layout generated from the shared copy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.sources._payloads import observations_wide, treasury_par_payload
from ustpull.errors import DataError
from ustpull.sources.treasury_par import normalise_tenor_header, parse_treasury_par_csv


def test_shared_copy(shared_data: Path) -> None:
    path = shared_data / "treasury" / "treasury_par_yield_curve_daily_2021_2025.csv"
    wide = observations_wide(parse_treasury_par_csv(path.read_bytes(), origin=str(path)))
    # 1115 data rows, 2021-01-04 .. 2025-07-11; 4 Mo from 2022-10-19; 1.5 Mo from 2025-02-18.
    assert len(wide) == 1115
    assert wide.index[0] == pd.Timestamp("2021-01-04")
    assert wide.index[-1] == pd.Timestamp("2025-07-11")
    assert wide["us.tsy_par.4m"].first_valid_index() == pd.Timestamp("2022-10-19")
    assert wide["us.tsy_par.6w"].first_valid_index() == pd.Timestamp("2025-02-18")
    assert wide.loc["2025-02-18", "us.tsy_par.6w"] == 4.41
    assert wide.loc["2024-07-01", "us.tsy_par.10y"] == 4.48


def test_live_layout_newest_first_with_month_dates(shared_data: Path) -> None:
    payload = treasury_par_payload(shared_data, start="2025-02-10", end="2025-02-28")
    assert payload.startswith(b'Date,"1 Mo","1.5 Month","2 Mo"')
    assert b"\r\n02/28/2025," in payload[:200]  # newest first, MM/DD/YYYY
    wide = observations_wide(parse_treasury_par_csv(payload))
    assert wide.index.is_monotonic_increasing
    assert wide.loc["2025-02-18", "us.tsy_par.6w"] == 4.41
    assert wide.loc["2025-02-18", "us.tsy_par.30y"] == 4.77
    assert wide["us.tsy_par.6w"].count() == 9  # 02-18 .. 02-28: 9 trading days


def test_years_before_a_tenor_existed_have_no_column(shared_data: Path) -> None:
    payload = treasury_par_payload(shared_data, start="2021-01-01", end="2021-12-31")
    assert b"4 Mo" not in payload.split(b"\r\n")[0]
    batch = parse_treasury_par_csv(payload)
    assert "us.tsy_par.4m" not in batch.series_ids
    assert len(batch.series_ids) == 12


def test_treasury_cmt_identity(shared_data: Path) -> None:
    # Treasury's par curve is the source of the H.15 CMT: on 2024-07-01 the 10y par yield
    # (4.48) equals FRED DGS10 in fred/ust_cmt_daily.csv.
    from ustpull.sources.local import load_frame

    frame = load_frame(["us.tsy_par.10y", "us.cmt.10y"], shared_data).dropna()
    assert (frame["us.tsy_par.10y"] == frame["us.cmt.10y"]).mean() > 0.99


def test_unknown_tenor_column_is_ignored_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    payload = b'Date,"1 Mo","52 Week"\n07/02/2024,5.48,5.1\n07/01/2024,5.47,5.0\n'
    batch = parse_treasury_par_csv(payload)
    assert batch.series_ids == ["us.tsy_par.1m"]
    assert "52 Week" in caplog.text


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty payload"),
        (b"Day,1 Mo\n07/01/2024,5.4\n", "no header line starting with 'Date'"),
        (b"Date,Foo\n07/01/2024,5.4\n", "no Treasury tenor column found"),
        (b"Date,1 Mo\n07/01/2024,5.4\n07/03/2024,5.4\n07/02/2024,5.4\n", "dates out of order"),
        (b"Date,1 Mo\n07/01/2024,5.4\n07/01/2024,5.5\n", "duplicate dates in payload: 2024-07-01"),
        (b"Date,1 Mo\nJuly 1,5.4\n", "date column 'Date' matches none of the formats"),
    ],
)
def test_bad_input(payload: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_treasury_par_csv(payload)


@pytest.mark.parametrize(
    ("header", "normalised"),
    [("1.5 Month", "1.5 Mo"), ("1 Mo", "1 Mo"), ("10 yr", "10 Yr"), ("Date", "Date")],
)
def test_header_normalisation(header: str, normalised: str) -> None:
    assert normalise_tenor_header(header) == normalised
