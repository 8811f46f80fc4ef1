"""ECB Data Portal SDMX-CSV (dataflow YC), generated from the shared ECB AAA spot file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.sources._payloads import ECB_CSV_HEADER, ecb_csv_payload
from ustpull.errors import DataError
from ustpull.sources.ecb import ecb_series_id, parse_ecb_csv


def test_sdmx_csv_round_trip(shared_data: Path) -> None:
    payload = ecb_csv_payload(shared_data, (1, 2, 10, 30), start="2023-12-20", end="2024-01-05")
    assert payload.startswith(b"KEY,FREQ,REF_AREA,CURRENCY,PROVIDER_FM,INSTRUMENT_FM,")
    batch = parse_ecb_csv(payload)
    assert set(batch.series_ids) == {"ea.aaa.zero.1y", "ea.aaa.zero.2y", "ea.aaa.zero.10y",
                                     "ea.aaa.zero.30y"}  # fmt: skip
    wide = batch.observations.pivot(index="date", columns="series_id", values="value")
    # intl/ecb_aaa_spot_yields_daily_2004_2024.csv, 2024-01-02: 1yr = 3.0372196, 2yr = 2.4381982
    assert wide.loc["2024-01-02", "ea.aaa.zero.1y"] == 3.0372196
    assert wide.loc["2024-01-02", "ea.aaa.zero.2y"] == 2.4381982
    assert pd.Timestamp("2023-12-25") not in wide.index  # TARGET holiday
    assert {s.compounding for s in batch.series} == {"continuous"}


def test_other_curves_are_skipped_and_logged(
    shared_data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    aaa = ecb_csv_payload(shared_data, (5,), start="2024-01-02", end="2024-01-03")
    all_issuers = ecb_csv_payload(
        shared_data, (5,), start="2024-01-02", end="2024-01-03", instrument="G_N_C"
    )
    payload = aaa + all_issuers.split(b"\n", 1)[1]
    batch = parse_ecb_csv(payload)
    assert batch.series_ids == ["ea.aaa.zero.5y"]
    assert len(batch.observations) == 2
    assert "YC.B.U2.EUR.4F.G_N_C.SV_C_YM.SR_5Y" in caplog.text


@pytest.mark.parametrize(
    ("instrument", "data_type", "expected"),
    [("G_N_A", "SR_1Y", "ea.aaa.zero.1y"), ("G_N_A", "SR_30Y", "ea.aaa.zero.30y"),
     ("G_N_A", "SR_3M", None), ("G_N_A", "PY_10Y", None), ("G_N_C", "SR_10Y", None),
     ("G_N_A", "BETA0", None)],
)  # fmt: skip
def test_series_mapping(instrument: str, data_type: str, expected: str | None) -> None:
    assert ecb_series_id(instrument, data_type) == expected


def _row(day: str, value: str) -> str:
    key = "YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_10Y"
    return f"{key},B,U2,EUR,4F,G_N_A,SV_C_YM,SR_10Y,{day},{value}" + "," * 30


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "empty payload"),
        (["TIME_PERIOD,OBS_VALUE", "2024-01-02,2.0"], r"column\(s\) \['KEY', 'INSTRUMENT_FM'"),
        ([ECB_CSV_HEADER, _row("2024-01-02", "2.0"), _row("2024-01-02", "2.1")],
         "ea.aaa.zero.10y appears twice on 2024-01-02"),
        ([ECB_CSV_HEADER, _row("02.01.2024", "2.0")], "TIME_PERIOD' matches none"),
    ],
)  # fmt: skip
def test_bad_input(body: list[str], message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_ecb_csv("\n".join(body).encode())


def test_non_numeric_value_is_rejected() -> None:
    payload = "\n".join([ECB_CSV_HEADER, _row("2024-01-02", "2.0"), _row("2024-01-03", "n.a.")])
    batch = parse_ecb_csv(payload.encode())
    assert batch.observations["value"].tolist() == [2.0]
    assert batch.rejections.iloc[0][["series_id", "raw"]].tolist() == ["ea.aaa.zero.10y", "n.a."]
