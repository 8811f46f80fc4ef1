"""Online fetchers against a real HTTP server on 127.0.0.1 serving publisher-format payloads.

Payloads are written at test time from the shared data (``tests/sources/_payloads.py``) in
each publisher's live layout; the server plays the publisher at the publisher's own paths
(``USTPULL_ONLINE_BASE_URL`` points every endpoint at it). Reference values are read from
the shared files named next to them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from ustpull.errors import DataError, SeriesNotFoundError, SourceUnavailableError
from ustpull.sources import online
from ustpull.sources.fred import FRED_TO_SERIES
from ustpull.sources.http import HttpClient
from ustpull.store import Store, ingest_online

from ._online import assert_matches_shared, local_client, mirror_server, values
from ._payloads import (
    ecb_csv_payload,
    feds200628_payload,
    feds200805_payload,
    fred_csv_payload,
    fred_json_payload,
    mof_payload,
    treasury_par_payload,
    treasurydirect_payload,
)
from ._server import FakeTime, LocalServer, Reply, closed_port_url

HTML_PAGE = "<!DOCTYPE html><html><body>Scheduled maintenance</body></html>"
ECB_KEY_PATH = "/service/data/YC/B.U2.EUR.4F.G_N_A.SV_C_YM"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A local publisher mirror that every endpoint resolves to."""
    yield from mirror_server(monkeypatch)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(fake_time: FakeTime) -> Iterator[HttpClient]:
    with local_client(fake_time, read_timeout=0.3, max_attempts=3) as http:
        yield http


# every served value comes back as the shared data hold it (payloads round to 5e-7 at most)
assert_round_trip = partial(assert_matches_shared, abs_tol=5e-7)


# ---------------------------------------------------------------------------------------
# FRED


def serve_fred(server: LocalServer, shared_data: Path, code: str, start: str, end: str) -> None:
    payload = fred_csv_payload(shared_data, (code,), start=start, end=end)
    server.route(online.FRED_GRAPH_PATH, Reply(body=payload), query={"id": code})


def test_fred_keyless_csv(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    for code in ("DGS10", "DGS2"):
        serve_fred(server, shared_data, code, "2013-04-01", "2013-06-28")
    batches = online.fetch("fred", client, series=["us.cmt.10y", "us.cmt.2y"])
    assert [b.source for b in batches] == ["fred", "fred"]
    assert batches[0].origin == f"{server.url}{online.FRED_GRAPH_PATH}?id=DGS10"
    assert [b.series_ids for b in batches] == [["us.cmt.10y"], ["us.cmt.2y"]]
    # fred/ust_cmt_daily.csv, 2013-05-01: DGS10 = 1.66, DGS2 = 0.20.
    assert values(batches, "us.cmt.10y")[pd.Timestamp("2013-05-01")] == 1.66
    assert values(batches, "us.cmt.2y")[pd.Timestamp("2013-05-01")] == 0.2
    assert_round_trip(batches, shared_data, ["us.cmt.10y", "us.cmt.2y"], "2013-04-01", "2013-06-28")
    assert [r.query["id"] for r in server.requests] == [["DGS10"], ["DGS2"]]


def test_fred_start_is_sent_and_applied(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    serve_fred(server, shared_data, "DGS10", "2013-04-01", "2013-06-28")
    (batch,) = online.fetch("fred", client, series=["us.cmt.10y"], start=date(2013, 5, 1))
    assert server.requests[0].query["cosd"] == ["2013-05-01"]
    assert batch.observations["date"].min() == pd.Timestamp("2013-05-01")


def test_fred_target_is_spliced_from_two_fred_ids(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    serve_fred(server, shared_data, "DFEDTAR", "2008-11-01", "2008-12-15")
    serve_fred(server, shared_data, "DFEDTARU", "2008-12-16", "2009-01-31")
    batches = online.fetch("fred", client, series=["us.fedfunds.target"])
    target = values(batches, "us.fedfunds.target")
    # fred/fed_funds_target_DFEDTAR_DFEDTARU.csv: 1.00 on 2008-12-15 (DFEDTAR), 0.25 upper
    # bound on 2008-12-16 (DFEDTARU).
    assert target[pd.Timestamp("2008-12-15")] == 1.0
    assert target[pd.Timestamp("2008-12-16")] == 0.25
    assert target.index.is_unique


def test_fred_json_api_with_key_never_leaks_it(
    server: LocalServer, client: HttpClient, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(online.FRED_API_KEY_ENV, "abcdef0123456789")
    payload = fred_json_payload(shared_data, "DGS10", start="2013-04-01", end="2013-06-28")
    server.route(
        online.FRED_API_PATH,
        Reply(body=payload, content_type="application/json"),
        query={"series_id": "DGS10", "api_key": "abcdef0123456789", "file_type": "json"},
    )
    (batch,) = online.fetch("fred", client, series=["us.cmt.10y"], start=date(2013, 4, 1))
    assert server.requests[0].query["observation_start"] == ["2013-04-01"]
    assert "abcdef0123456789" not in batch.origin
    assert "api_key=REDACTED" in batch.origin
    assert values([batch], "us.cmt.10y")[pd.Timestamp("2013-05-01")] == 1.66
    assert_round_trip([batch], shared_data, ["us.cmt.10y"], "2013-04-01", "2013-06-28")


def test_fred_renamed_column_names_url_and_column(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = fred_csv_payload(shared_data, ("DGS10",), start="2013-04-01", end="2013-04-30")
    renamed = payload.replace(b"observation_date,DGS10", b"observation_date,DGS10_NEW")
    server.route(online.FRED_GRAPH_PATH, Reply(body=renamed), query={"id": "DGS10"})
    with pytest.raises(DataError) as caught:
        online.fetch("fred", client, series=["us.cmt.10y"])
    message = str(caught.value)
    assert f"{server.url}{online.FRED_GRAPH_PATH}?id=DGS10" in message
    assert "DGS10" in message


def test_fred_failure_midway_fails_that_series_only(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    """Per-series failure: the 3rd of 4 series fails (503 storm), a 404 and an empty body
    fail theirs; the other batches come back attached to the error, each failure named."""
    for code in ("DGS1", "DGS2"):
        serve_fred(server, shared_data, code, "2013-04-01", "2013-04-30")
    server.route(online.FRED_GRAPH_PATH, Reply(status=503), query={"id": "DGS3"})
    serve_fred(server, shared_data, "DGS5", "2013-04-01", "2013-04-30")
    server.route(online.FRED_GRAPH_PATH, Reply(status=404), query={"id": "DGS7"})
    server.route(online.FRED_GRAPH_PATH, Reply(body=b""), query={"id": "DGS20"})
    wanted = ["us.cmt.1y", "us.cmt.2y", "us.cmt.3y", "us.cmt.5y", "us.cmt.7y", "us.cmt.20y"]
    with pytest.raises(online.PartialFetchError) as caught:
        online.fetch("fred", client, series=wanted)
    requested = [r.query["id"][0] for r in server.requests]
    assert requested == ["DGS1", "DGS2", "DGS3", "DGS3", "DGS3", "DGS5", "DGS7", "DGS20"]
    got = {spec.id for batch in caught.value.batches for spec in batch.series}
    assert got == {"us.cmt.1y", "us.cmt.2y", "us.cmt.5y"}
    # FRED DGS5 on 2013-04-01: 0.76 (fred/ust_cmt_daily.csv in the shared data)
    assert values(caught.value.batches, "us.cmt.5y")[pd.Timestamp("2013-04-01")] == 0.76
    failures = {f.series: f for f in caught.value.failures}
    assert set(failures) == {("us.cmt.3y",), ("us.cmt.7y",), ("us.cmt.20y",)}
    assert "gave up after 3 attempt" in failures[("us.cmt.3y",)].reason
    assert "HTTP 404" in failures[("us.cmt.7y",)].reason
    assert failures[("us.cmt.7y",)].unavailable
    assert "empty payload" in failures[("us.cmt.20y",)].reason
    assert not failures[("us.cmt.20y",)].unavailable
    assert failures[("us.cmt.7y",)].url.endswith(f"{online.FRED_GRAPH_PATH}?id=DGS7")


# ---------------------------------------------------------------------------------------
# U.S. Treasury par curve


def treasury_year_path(year: int) -> str:
    return f"{online.TREASURY_PAR_PATH}/{year}/all"


def test_treasury_par_one_request_per_year(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    for year in (2023, 2024):
        payload = treasury_par_payload(shared_data, start=f"{year}-01-01", end=f"{year}-12-31")
        server.route(treasury_year_path(year), Reply(body=payload))
    batches = online.fetch("treasury_par", client, start=date(2023, 1, 1), end=date(2024, 12, 31))
    assert len(batches) == 2
    first = server.requests[0]
    assert first.path == treasury_year_path(2023)
    assert first.query == {
        "type": ["daily_treasury_yield_curve"],
        "field_tdr_date_value": ["2023"],
        "page": [""],
        "_format": ["csv"],
    }
    # treasury/treasury_par_yield_curve_daily_2021_2025.csv, 2024-10-07: 10 Yr 4.03, 1 Mo 5.00.
    assert values(batches, "us.tsy_par.10y")[pd.Timestamp("2024-10-07")] == 4.03
    assert values(batches, "us.tsy_par.1m")[pd.Timestamp("2024-10-07")] == 5.0
    ids = ["us.tsy_par.1m", "us.tsy_par.4m", "us.tsy_par.10y", "us.tsy_par.30y"]
    assert_round_trip(batches, shared_data, ids, "2023-01-01", "2024-12-31")


def test_treasury_par_html_page_in_any_year_fails_the_call(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = treasury_par_payload(shared_data, start="2023-01-01", end="2023-12-31")
    server.route(treasury_year_path(2023), Reply(body=payload))
    server.route(treasury_year_path(2024), Reply(body=HTML_PAGE, content_type="text/html"))
    with pytest.raises(SourceUnavailableError, match="HTML page instead of data") as caught:
        online.fetch("treasury_par", client, start=date(2023, 1, 1), end=date(2024, 12, 31))
    assert treasury_year_path(2024) in str(caught.value)


def test_treasury_par_requested_tenor_missing_is_named(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    # 2021: Treasury published no 4-month bill yield yet (from 2022-10-19).
    payload = treasury_par_payload(shared_data, start="2021-01-01", end="2021-12-31")
    server.route(treasury_year_path(2021), Reply(body=payload))
    with pytest.raises(DataError, match=r"no data for \['us.tsy_par.4m'\]") as caught:
        online.fetch(
            "treasury_par",
            client,
            series=["us.tsy_par.4m", "us.tsy_par.10y"],
            start=date(2021, 1, 1),
            end=date(2021, 12, 31),
        )
    assert treasury_year_path(2021) in str(caught.value)


# ---------------------------------------------------------------------------------------
# Federal Reserve GSW


def test_gsw_nominal_curve(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    payload = feds200628_payload(shared_data, start="2024-06-01", end="2024-06-28")
    server.route(online.GSW_NOMINAL_PATH, Reply(body=payload))
    (batch,) = online.fetch("gsw", client)
    assert batch.origin == f"{server.url}{online.GSW_NOMINAL_PATH}"
    assert batch.sha256 == hashlib.sha256(payload).hexdigest()  # of the raw bytes served
    on_day = pd.Timestamp("2024-06-26")
    # gsw/feds200628_all_columns_2022_2025.csv, 2024-06-26: SVENY10 4.2946, SVENPY02 4.7661,
    # BETA0 1.87263967185442.
    assert values([batch], "us.gsw.zero.10y")[on_day] == pytest.approx(4.2946, abs=1e-12)
    assert values([batch], "us.gsw.par.2y")[on_day] == pytest.approx(4.7661, abs=1e-12)
    assert values([batch], "us.gsw.beta0")[on_day] == pytest.approx(1.87263967185442, rel=1e-12)
    assert set(batch.series_ids) == set(online.SOURCES["gsw"].series)


def test_gsw_tips_curve(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    payload = feds200805_payload(shared_data, start="2024-06-24", end="2024-06-28")
    server.route(online.GSW_TIPS_PATH, Reply(body=payload))
    (batch,) = online.fetch(
        "gsw_tips", client, series=["us.gsw.tips.zero.10y", "us.gsw.breakeven.10y"]
    )
    on_day = pd.Timestamp("2024-06-26")
    # gsw/feds200805_tips_all_columns_2022_2025.csv, 2024-06-26: TIPSY10 2.04010009765625,
    # BKEVEN10 2.25449991226196.
    assert values([batch], "us.gsw.tips.zero.10y")[on_day] == pytest.approx(2.04010009765625)
    assert values([batch], "us.gsw.breakeven.10y")[on_day] == pytest.approx(2.25449991226196)
    assert sorted(batch.series_ids) == ["us.gsw.breakeven.10y", "us.gsw.tips.zero.10y"]
    assert len(batch.observations) == 10


def test_gsw_renamed_column_is_named(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = feds200628_payload(shared_data, start="2024-06-01", end="2024-06-28")
    server.route(online.GSW_NOMINAL_PATH, Reply(body=payload.replace(b",SVENY10,", b",SVENY_10,")))
    with pytest.raises(DataError, match=r"no data for \['us.gsw.zero.10y'\]") as caught:
        online.fetch("gsw", client)
    assert online.GSW_NOMINAL_PATH in str(caught.value)


def test_gsw_html_page_with_status_200(server: LocalServer, client: HttpClient) -> None:
    server.route(online.GSW_NOMINAL_PATH, Reply(body=HTML_PAGE, content_type="text/html"))
    with pytest.raises(SourceUnavailableError, match="HTML page instead of data") as caught:
        online.fetch("gsw", client)
    assert f"{server.url}{online.GSW_NOMINAL_PATH}" in str(caught.value)


# ---------------------------------------------------------------------------------------
# ECB


def test_ecb_single_request_with_combined_key(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    years = (1, 2, 5, 10, 30)
    payload = ecb_csv_payload(shared_data, years, start="2024-03-01", end="2024-03-28")
    key = "+".join(f"SR_{n}Y" for n in years)
    server.route(f"{ECB_KEY_PATH}.{key}", Reply(body=payload))
    ids = [f"ea.aaa.zero.{n}y" for n in years]
    (batch,) = online.fetch("ecb", client, series=ids, start=date(2024, 3, 1))
    assert server.requests[0].query == {"format": ["csvdata"], "startPeriod": ["2024-03-01"]}
    # intl/ecb_aaa_spot_yields_daily_2004_2024.csv, 2024-03-01, 10yr: 2.5034683.
    assert values([batch], "ea.aaa.zero.10y")[pd.Timestamp("2024-03-01")] == pytest.approx(
        2.5034683, abs=1e-12
    )
    assert_round_trip([batch], shared_data, ids, "2024-03-01", "2024-03-28")


def test_ecb_series_missing_from_payload_is_named(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = ecb_csv_payload(shared_data, (1, 2), start="2024-03-01", end="2024-03-28")
    server.route(f"{ECB_KEY_PATH}.SR_1Y+SR_2Y+SR_7Y", Reply(body=payload))
    with pytest.raises(DataError, match=r"no data for \['ea.aaa.zero.7y'\]"):
        online.fetch("ecb", client, series=["ea.aaa.zero.1y", "ea.aaa.zero.2y", "ea.aaa.zero.7y"])


def test_ecb_read_timeout_then_success(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = ecb_csv_payload(shared_data, (10,), start="2024-03-01", end="2024-03-28")
    server.route(f"{ECB_KEY_PATH}.SR_10Y", Reply(body=payload, delay=0.6), Reply(body=payload))
    (batch,) = online.fetch("ecb", client, series=["ea.aaa.zero.10y"])
    assert len(batch.observations) == 20
    assert server.hits(f"{ECB_KEY_PATH}.SR_10Y") == 2


# ---------------------------------------------------------------------------------------
# Japan MoF


def test_mof_history_and_current_month(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    history = mof_payload(shared_data, start="2024-01-01", end="2024-02-29")
    current = mof_payload(shared_data, start="2024-03-01", end="2024-03-31", layout="english")
    server.route(online.MOF_HISTORY_PATH, Reply(body=history))
    # The current-month file fails twice with 500 before it is served.
    server.route(online.MOF_CURRENT_PATH, Reply(status=500), Reply(status=500), Reply(body=current))
    batches = online.fetch("mof", client)
    assert [b.origin for b in batches] == [
        f"{server.url}{online.MOF_HISTORY_PATH}",
        f"{server.url}{online.MOF_CURRENT_PATH}",
    ]
    # intl/japan_mof_jgbcme_all_1974_2024.csv, 29/03/2024: 10Y 0.75, 40Y 1.939.
    assert values(batches, "jp.mof.par.10y")[pd.Timestamp("2024-03-29")] == 0.75
    assert values(batches, "jp.mof.par.40y")[pd.Timestamp("2024-03-29")] == 1.939
    ids = list(online.SOURCES["mof"].series)
    assert_round_trip(batches, shared_data, ids, "2024-01-01", "2024-03-31")
    assert server.hits(online.MOF_CURRENT_PATH) == 3


# ---------------------------------------------------------------------------------------
# TreasuryDirect


def test_treasurydirect_post_form_and_truncated_body(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = treasurydirect_payload(shared_data)
    server.route(
        online.TREASURYDIRECT_PATH,
        Reply(body=payload, truncate_to=len(payload) // 2),
        Reply(body=payload),
        method="POST",
    )
    (batch,) = online.fetch("treasurydirect", client, price_date=date(2024, 6, 26))
    assert [r.body for r in server.requests][-1] == (
        b"priceDateDay=26&priceDateMonth=6&priceDateYear=2024&fileType=csv&csv=CSV+FORMAT"
    )
    assert server.hits(online.TREASURYDIRECT_PATH, method="POST") == 2
    # treasury/treasurydirect_securityprice_2024-06-26_subset.csv: 912796Y52 buy 99.869125,
    # sell 99.868750.
    on_day = pd.Timestamp("2024-06-26")
    assert values([batch], "us.td.912796Y52.buy")[on_day] == 99.869125
    assert values([batch], "us.td.912796Y52.sell")[on_day] == 99.86875
    assert batch.observations["date"].unique().tolist() == [on_day]


def test_previous_weekday() -> None:
    assert online.previous_weekday(date(2026, 11, 23)) == date(2026, 11, 20)  # Mon -> Fri
    assert online.previous_weekday(date(2026, 11, 25)) == date(2026, 11, 24)
    assert online.previous_weekday(date(2026, 11, 29)) == date(2026, 11, 27)  # Sun -> Fri


# ---------------------------------------------------------------------------------------
# Table, routing, base URLs


def test_unreachable_publisher(client: HttpClient) -> None:
    url = closed_port_url()
    with pytest.raises(SourceUnavailableError, match="connection failed") as caught:
        online.fetch("gsw", client, base_urls={"gsw": url})
    assert f"{url}{online.GSW_NOMINAL_PATH}" in str(caught.value)


def test_base_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(online.GLOBAL_BASE_URL_ENV, raising=False)
    monkeypatch.delenv("USTPULL_FRED_BASE_URL", raising=False)
    assert online.base_url("fred") == "https://fred.stlouisfed.org"
    monkeypatch.setenv(online.GLOBAL_BASE_URL_ENV, "http://mirror.example/")
    assert online.base_url("fred") == "http://mirror.example"
    monkeypatch.setenv("USTPULL_FRED_BASE_URL", "http://127.0.0.1:9")
    assert online.base_url("fred") == "http://127.0.0.1:9"
    assert online.base_url("ecb") == "http://mirror.example"
    assert online.base_url("fred", base_urls={"fred": "http://x:1/"}) == "http://x:1"
    with pytest.raises(DataError, match="unknown endpoint 'nope'"):
        online.base_url("nope")


def test_every_source_has_a_fetcher_and_known_endpoints() -> None:
    assert list(online.SOURCES) == [
        "fred", "treasury_par", "gsw", "gsw_tips", "ecb", "mof", "treasurydirect",
        "ecb_short", "shiller", "french", "bundesbank", "snb", "rba_f2", "rba_f17", "boe",
        "nyfed_acm",
    ]  # fmt: skip
    for name, definition in online.SOURCES.items():
        assert definition.name == name
        assert set(definition.endpoints) <= set(online.ENDPOINTS)
        assert callable(definition.fetcher)
    assert len(online.SOURCES["ecb"].series) == 30
    assert len(online.SOURCES["treasury_par"].series) == 14
    assert "us.cmt.10y" in online.SOURCES["fred"].series


def test_sources_for_groups_ids_and_names_orphans() -> None:
    grouped = online.sources_for(["us.cmt.10y", "us.gsw.zero.5y", "us.td.912810TW8.sell"])
    assert grouped == {
        "fred": ["us.cmt.10y"],
        "gsw": ["us.gsw.zero.5y"],
        "treasurydirect": ["us.td.912810TW8.sell"],
    }
    assert online.sources_for(["us.shiller.cape", "de.govt.10y"]) == {
        "shiller": ["us.shiller.cape"],
        "bundesbank": ["de.govt.10y"],
    }
    # Investing.com's German 1-year yield and the event files have no online source.
    with pytest.raises(SeriesNotFoundError, match=r"de\.govt\.1y.*us\.fomc\.scheduled"):
        online.sources_for(["us.cmt.10y", "de.govt.1y", "us.fomc.scheduled"])


def test_unknown_source_and_series(client: HttpClient) -> None:
    with pytest.raises(DataError, match="unknown online source 'bloomberg'"):
        online.fetch("bloomberg", client)
    with pytest.raises(SeriesNotFoundError, match=r"does not publish \['us.gsw.zero.10y'\]"):
        online.fetch("fred", client, series=["us.gsw.zero.10y"])


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_10Y"], ("YC", "B.U2.EUR.4F.G_N_A.SV_C_YM.SR_10Y")),
        (
            ["YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y", "YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_30Y"],
            ("YC", "B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y+SR_30Y"),
        ),
    ],
)
def test_sdmx_key(codes: list[str], expected: tuple[str, str]) -> None:
    assert online.sdmx_key(codes) == expected


@pytest.mark.parametrize(
    "codes",
    [
        ["YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y", "EXR.D.USD.EUR.SP00.A"],
        ["YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_1Y", "YC.B.U2.EUR.4F.G_C_A.SV_C_YM.SR_2Y"],
    ],
)
def test_sdmx_key_refuses_keys_that_would_over_fetch(codes: list[str]) -> None:
    with pytest.raises(DataError, match="SDMX codes"):
        online.sdmx_key(codes)


# ---------------------------------------------------------------------------------------
# Through the store: a failed online ingest changes nothing


def store_snapshot(store: Store) -> dict[str, pd.DataFrame]:
    listing = store.list_series()
    ids = listing["id"].tolist() if "id" in listing.columns else listing.index.tolist()
    return {
        "listing": listing,
        "frame": store.frame(ids),
        "vintages": store.vintages("us.cmt.10y"),
        "log": store.ingest_log(),
    }


def test_failed_downloads_lose_nothing_and_fail_their_series_only(
    server: LocalServer, client: HttpClient, shared_data: Path, tmp_path: Path
) -> None:
    serve_fred(server, shared_data, "DGS10", "2013-04-01", "2013-06-28")
    with Store(tmp_path / "store.duckdb") as store:
        store.ingest(online.fetch("fred", client, series=["us.cmt.10y"]))
        before = store.vintages("us.cmt.10y")
        # 65 weekdays 2013-04-01 .. 2013-06-28 less Memorial Day (2013-05-27, "." in FRED).
        assert len(before) == 64
        # A full FRED ingest: two ids served, the third a 503 storm, DGS10 now a 404,
        # every other id unrouted (404).
        first, second, third = online.fred_ids_for(None)[:3]
        for code in (first, second):
            serve_fred(server, shared_data, code, "2013-04-01", "2013-06-28")
        server.route(online.FRED_GRAPH_PATH, Reply(status=503), query={"id": third})
        server.route(online.FRED_GRAPH_PATH, Reply(status=404), query={"id": "DGS10"})
        summary = ingest_online(store=store, sources=["fred"], client=client, incremental=False)
        items = summary.items
        assert items["outcome"].iloc[0] == "ingested"
        failed = items.iloc[1:]
        assert len(failed) == len(online.fred_ids_for(None)) - 2
        assert set(failed["outcome"]) == {"unavailable"}
        third_row = failed[failed["origin"].str.endswith(f"id={third}")].iloc[0]
        assert "gave up after" in third_row["message"]
        assert summary.status == "partial"
        after = store.vintages("us.cmt.10y")
        committed = set(store.list_series().index)
    pd.testing.assert_frame_equal(after, before)  # the 404 overwrote and lost nothing
    assert {FRED_TO_SERIES[first], FRED_TO_SERIES[second]} <= committed
    assert FRED_TO_SERIES[third] not in committed
