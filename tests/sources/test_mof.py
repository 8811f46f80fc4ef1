"""Japan MoF jgbcme CSVs: the shared copy and both live layouts generated from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.sources._payloads import mof_payload, observations_wide
from ustpull.errors import DataError
from ustpull.sources._text import parse_japanese_era_dates
from ustpull.sources.mof import parse_jgbcme


def test_shared_copy(shared_data: Path) -> None:
    path = shared_data / "intl" / "japan_mof_jgbcme_all_1974_2024.csv"
    wide = observations_wide(parse_jgbcme(path.read_bytes(), origin=str(path)))
    # 12699 rows 24/09/1974 .. 29/03/2024 (dd/mm/yyyy); 10Y is '-' until 1986.
    assert len(wide) == 12699
    assert wide.index[0] == pd.Timestamp("1974-09-24")
    assert wide.loc["1974-09-24", "jp.mof.par.1y"] == 10.327
    assert wide.loc["2024-03-29", "jp.mof.par.40y"] == 1.939
    assert pd.isna(wide.loc["1974-09-24", "jp.mof.par.10y"])


def test_mof_10y_equals_the_separate_jgb_10y_file(shared_data: Path) -> None:
    from ustpull.sources.local import load_frame

    frame = load_frame(["jp.mof.par.10y", "jp.jgb.10y"], shared_data).dropna()
    # intl/japan_10y_jgb_daily_1986_2026.csv is the same MoF series: 4.791 on 1989-01-09,
    # 0.75 on 2024-03-29 in both files.
    assert frame.loc["1989-01-09"].tolist() == [4.791, 4.791]
    assert (frame["jp.mof.par.10y"] - frame["jp.jgb.10y"]).abs().max() < 1e-9


@pytest.mark.parametrize("layout", ["japanese", "english"])
def test_live_layouts(shared_data: Path, layout: str) -> None:
    payload = mof_payload(shared_data, start="1989-01-01", end="1989-01-20", layout=layout)
    if layout == "japanese":
        assert payload.decode("cp932").splitlines()[2].startswith("S64.1.")
        with pytest.raises(UnicodeDecodeError):
            payload.decode("utf-8")
    wide = observations_wide(parse_jgbcme(payload))
    # Showa ended 1989-01-07; H1.1.9 = 1989-01-09, 10Y = 4.791 (shared copy, 09/01/1989).
    assert wide.loc["1989-01-09", "jp.mof.par.10y"] == 4.791
    assert wide.index.min() >= pd.Timestamp("1989-01-04")
    assert len(wide.columns) == 11  # 15Y, 25Y, 30Y, 40Y are "-" in January 1989


def test_reiwa_dates(shared_data: Path) -> None:
    payload = mof_payload(shared_data, start="2019-04-25", end="2019-05-10")
    text = payload.decode("cp932")
    assert "\r\nH31.4.26," in text and "\r\nR1.5.7," in text
    wide = observations_wide(parse_jgbcme(payload))
    assert wide.loc["2019-05-07", "jp.mof.par.40y"] == 0.607


@pytest.mark.parametrize(
    ("text", "expected"),
    [("S49.9.24", "1974-09-24"), ("S64.1.7", "1989-01-07"), ("H1.1.9", "1989-01-09"),
     ("H31.4.30", "2019-04-30"), ("R1.5.7", "2019-05-07"), ("R6.3.29", "2024-03-29")],
)  # fmt: skip
def test_era_dates(text: str, expected: str) -> None:
    parsed = parse_japanese_era_dates(pd.Series([text], dtype="str"))
    assert parsed.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty payload"),
        ("Interest Rate\n年月日,1年\n".encode("cp932"), "no header line starting with 'Date'"),
        (b"Date,1M\n01/02/2024,0.1\n", "no MoF maturity column"),
        (b"Date,1Y\nT1.1.1,0.1\n", "date column 'Date' matches none"),
        (b"Date,1Y\n01/02/2024,0.1\n01/02/2024,0.2\n", "duplicate dates"),
        (b"Date,1Y\n\x81\x20,0.1\n", r"cannot decode the payload as utf-8 \(byte 8.*cp932"),
    ],
)
def test_bad_input(payload: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_jgbcme(payload)
