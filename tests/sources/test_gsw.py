"""GSW feds200628 / feds200805: shared copies and the Board's layout with note lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.sources._payloads import feds200628_payload, observations_wide
from ustpull.errors import DataError
from ustpull.sources.gsw import parse_feds200628, parse_feds200805


def test_board_layout_with_note_lines_and_sentinels(shared_data: Path) -> None:
    payload = feds200628_payload(shared_data, start="1979-12-20", end="1980-01-04")
    assert payload.startswith(b'"Note:') and b"\nDate,SVENY01," in payload
    assert b"-999.99" in payload and b",NA," in payload
    batch = parse_feds200628(payload)
    wide = observations_wide(batch)
    # gsw/gsw_nss_params_daily_1961_2018.csv: the Svensson form starts 1980-01-02.
    assert np.isnan(wide.loc["1979-12-31", "us.gsw.tau2"])
    assert np.isnan(wide.loc["1979-12-31", "us.gsw.beta3"])
    assert wide.loc["1980-01-02", "us.gsw.tau2"] == pytest.approx(2.07253571)
    assert wide.loc["1980-01-02", "us.gsw.beta3"] == pytest.approx(617.0601141)
    # gsw/gsw_zero_yields_daily_1961_2023.csv
    assert wide.loc["1980-01-02", "us.gsw.zero.10y"] == pytest.approx(10.096)
    assert "us.gsw.zero.30y" not in wide.columns  # SVENY30 starts 1985-11-25
    assert len(batch.rejections) == 0


def test_note_line_count_does_not_matter(shared_data: Path) -> None:
    short = feds200628_payload(shared_data, start="2024-01-02", end="2024-01-05", note_lines=())
    long = feds200628_payload(shared_data, start="2024-01-02", end="2024-01-05")
    assert observations_wide(parse_feds200628(short)).equals(
        observations_wide(parse_feds200628(long))
    )


def test_shared_full_layout(shared_data: Path) -> None:
    path = shared_data / "gsw" / "feds200628_all_columns_2022_2025.csv"
    wide = observations_wide(parse_feds200628(path.read_bytes()))
    # 30 zero + 30 par + 30 forward + 6 parameters; SVEN1F01/04/09 not mapped.
    assert wide.shape == (746, 96)
    assert wide.loc["2024-01-02", "us.gsw.beta0"] == pytest.approx(2.78832210744509)
    # Identity: the instantaneous forward at the short end is close to the zero yield
    # slope-adjusted: f(n) = y(n) + n y'(n). Checked loosely at 1y vs par/zero ordering.
    day = wide.loc["2024-01-02"]
    assert day["us.gsw.zero.1y"] > 0 and day["us.gsw.par.1y"] > 0


def test_nss_parameters_reproduce_the_zero_yield(shared_data: Path) -> None:
    # MANIFEST identity: the NSS formula with the day's parameters gives SVENY10 within
    # 5e-5 percentage points.
    path = shared_data / "gsw" / "feds200628_all_columns_2022_2025.csv"
    day = observations_wide(parse_feds200628(path.read_bytes())).loc["2024-01-02"]
    b0, b1, b2, b3 = (day[f"us.gsw.beta{i}"] for i in range(4))
    t1, t2, n = day["us.gsw.tau1"], day["us.gsw.tau2"], 10.0
    slope1 = (1 - np.exp(-n / t1)) / (n / t1)
    slope2 = (1 - np.exp(-n / t2)) / (n / t2)
    fitted = b0 + b1 * slope1 + b2 * (slope1 - np.exp(-n / t1)) + b3 * (slope2 - np.exp(-n / t2))
    assert fitted == pytest.approx(day["us.gsw.zero.10y"], abs=5e-5)


def test_tips_curve(shared_data: Path) -> None:
    path = shared_data / "gsw" / "feds200805_tips_all_columns_2022_2025.csv"
    batch = parse_feds200805(path.read_bytes())
    wide = observations_wide(batch)
    # 19 real zero + 19 real par + 19 real forward + 19 breakevens + 6 parameters.
    assert wide.shape[1] == 82
    # feds200805_tips_all_columns_2022_2025.csv, 2022-10-11: BKEVEN02 = 2.47530007362366
    assert wide.loc["2022-10-11", "us.gsw.breakeven.2y"] == pytest.approx(2.47530007362366)
    assert wide.loc["2022-10-11", "us.gsw.tips.beta0"] == pytest.approx(-92.34006020986)
    assert {s.measure for s in batch.series if s.id.startswith("us.gsw.tips.zero")} == {"real"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty payload"),
        (b'"Note"\n"more"\n', "no header line starting with 'Date'"),
        (b"Date,FOO\n2024-01-02,1\n", "none of the expected GSW columns"),
        (b"Date,SVENY01\n2024-01-03,4\n2024-01-02,4\n", "dates out of order"),
    ],
)
def test_bad_input(payload: bytes, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_feds200628(payload)


def test_non_numeric_cell_is_rejected_with_its_date() -> None:
    batch = parse_feds200628(b"Date,SVENY01,SVENY02\n2024-01-02,4.1,abc\n2024-01-03,NA,4.2\n")
    assert batch.observations["value"].tolist() == [4.1, 4.2]
    rejection = batch.rejections.iloc[0]
    assert rejection["series_id"] == "us.gsw.zero.2y"
    assert rejection["date"] == pd.Timestamp("2024-01-02") and rejection["raw"] == "abc"
