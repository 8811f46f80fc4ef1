"""Online fetchers of the publishers added for the online report (issue 12).

Each test serves a payload written at test time from the shared data in the publisher's
real layout (``tests/sources/_payloads.py``) at the publisher's real path on a 127.0.0.1
server, fetches it through ``online.fetch`` and checks the values against the shared
files (named next to each reference value).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from ustpull.errors import DataError, SourceUnavailableError
from ustpull.sources import online
from ustpull.sources.http import HttpClient
from ustpull.sources.local import load_frame

from ._online import assert_matches_shared, local_client, mirror_server, values
from ._payloads import (
    acm_payload,
    boe_payload,
    bundesbank_payload,
    ecb_short_payload,
    fred_csv_payload,
    french_payload,
    issue12_mirror_routes,
    rba_f2_payload,
    rba_f17_payload,
    shiller_payload,
    snb_payload,
)
from ._server import FakeTime, LocalServer, Reply

HTML_PAGE = "<!DOCTYPE html><html><body>Scheduled maintenance</body></html>"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    yield from mirror_server(monkeypatch)


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with local_client(FakeTime(), read_timeout=2.0, max_attempts=2) as http:
        yield http


# every served value comes back exactly as the shared catalog holds it (dates in order)
assert_same_as_shared = partial(assert_matches_shared, abs_tol=1e-12, sort_dates=True)


def test_shiller_xls_at_its_yale_path(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    server.route(online.SHILLER_PATH, Reply(body=shiller_payload(shared_data), content_type=XLS))
    batches = online.fetch("shiller", client)
    assert batches[0].origin == f"{server.url}/~shiller/data/ie_data.xls"
    ids = list(online.SOURCES["shiller"].series)
    assert_same_as_shared(batches, shared_data, ids, "1871-01-01", "2026-07-01")
    # equity/shiller_ie_data_monthly_1871_2026.csv, 1881-01: P 6.19, CAPE 18.4739523
    assert values(batches, "us.shiller.price")[pd.Timestamp("1881-01-01")] == 6.19
    assert values(batches, "us.shiller.cape")[pd.Timestamp("1881-01-01")] == 18.4739523
    # CAPE is 'NA' for the first ten years: 1871-01 .. 1880-12 have none
    assert values(batches, "us.shiller.cape").index.min() == pd.Timestamp("1881-01-01")


def test_shiller_renamed_header_names_url_and_headers(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    header = ("Date", "P", "D", "E", "CPI", "Fraction", "Rate GS10", "Real Price", "Dividend",
              "Price", "Earnings", "Earnings", "P/E10")  # fmt: skip
    payload = shiller_payload(shared_data, start="2000-01", end="2000-12", header=header)
    server.route(online.SHILLER_PATH, Reply(body=payload, content_type=XLS))
    with pytest.raises(
        DataError, match=r"ie_data\.xls: sheet 'Data' header row 8 lacks \['CAPE'\]"
    ):
        online.fetch("shiller", client)


def test_french_daily_market_return_from_1926(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    server.route(online.FRENCH_DAILY_PATH, Reply(body=french_payload(shared_data)))
    batches = online.fetch("french", client, series=["us.ff.mkt.daily", "us.ff.rf.daily"])
    assert server.hits(online.FRENCH_MONTHLY_PATH) == 0  # only the daily zip is needed
    assert_same_as_shared(
        batches, shared_data, ["us.ff.mkt.daily", "us.ff.rf.daily"], "1926-07-01", "2025-06-30"
    )
    market = values(batches, "us.ff.mkt.daily")
    # ff3_factors_daily 1926-07-01: Mkt-RF 0.09 + RF 0.009; 26023 trading days
    assert market.iloc[0] == 0.099 and len(market) == 26023


def test_french_monthly_zip_gives_monthly_and_annual(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    payload = french_payload(shared_data, frequency="monthly")
    server.route(online.FRENCH_MONTHLY_PATH, Reply(body=payload, content_type="application/zip"))
    ids = ["us.ff.mkt_rf.monthly", "us.ff.mkt.monthly", "us.ff.hml.annual", "us.ff.mkt.annual"]
    batches = online.fetch("french", client, series=ids)
    assert server.hits(online.FRENCH_DAILY_PATH) == 0
    assert_same_as_shared(batches, shared_data, ids[:2], "1926-07-01", "2024-08-01")
    assert_same_as_shared(batches, shared_data, ids[2:], "1927-01-01", "2023-01-01")
    # ff3_factors_annual 2023: Mkt-RF 21.68 + RF 4.95
    assert values(batches, "us.ff.mkt.annual")[pd.Timestamp("2023-01-01")] == pytest.approx(26.63)


def test_bundesbank_series_one_download_each(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    ids = ["de.bbk.zero.1y", "de.bbk.zero.10y", "de.govt.10y"]
    for series_id in ids:
        code = online._publisher_codes("bundesbank", [series_id])[series_id]
        flow, key = code.split(".", 1)
        payload = bundesbank_payload(shared_data, series_id, start="2019-01-01", end="2019-12-31")
        server.route(f"{online.BUNDESBANK_PATH}/{flow}/{key}", Reply(body=payload))
    batches = online.fetch("bundesbank", client, series=ids)
    assert server.requests[0].query == {"format": ["csv"], "lang": ["en"]}
    assert batches[2].origin.endswith(
        "/rest/download/BBSSY/D.REN.EUR.A630.000000WT1010.A?format=csv&lang=en"
    )
    assert_same_as_shared(batches, shared_data, ids, "2019-01-01", "2019-12-31")
    # intl/bundesbank_svensson_zero_yields_1y_2y_10y.csv, 2019-08-16: BBK_ZC_10Y -0.73
    assert values(batches, "de.bbk.zero.10y")[pd.Timestamp("2019-08-16")] == -0.73


def test_snb_cube_csv(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    server.route(online.SNB_PATH, Reply(body=snb_payload(shared_data, start="2020-01-01")))
    batches = online.fetch("snb", client)
    ids = list(online.SOURCES["snb"].series)
    assert_same_as_shared(batches, shared_data, ids, "2020-01-01", "2024-12-31")
    # intl/swiss_snb_spot_yields_daily_1988_2024.csv, 2024-03-29: 10yr 0.639
    assert values(batches, "ch.snb.zero.10y")[pd.Timestamp("2024-03-29")] == 0.639


def test_rba_f2_history_and_current_files(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    history, current, monthly = online.RBA_F2_PATHS
    server.route(
        history, Reply(body=rba_f2_payload(shared_data, end="2013-12-31"), content_type=XLS)
    )
    server.route(
        current, Reply(body=rba_f2_payload(shared_data, start="2014-01-01"), content_type=XLS)
    )
    server.route(monthly, Reply(status=404, body="not found"))
    ids = ["au.rba.govt.2y", "au.rba.govt.10y", "au.rba.govt.indexed"]
    with pytest.raises(Exception, match="404"):
        online.fetch("rba_f2", client, series=ids)
    server.route(
        monthly, Reply(body=rba_f2_payload(shared_data, end="1995-01-31"), content_type=XLS)
    )
    batches = online.fetch("rba_f2", client, series=ids)
    assert_same_as_shared(batches[:2], shared_data, ids, "1995-01-03", "2024-05-15")
    # intl/australia_rba_f2_govt_yields_daily_1995_2024.csv, 2024-05-15: AG_10Y 4.314
    assert values(batches, "au.rba.govt.10y")[pd.Timestamp("2024-05-15")] == 4.314


def test_rba_f17_zero_coupon(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    history, current = online.RBA_F17_PATHS
    window = {"start": "2012-01-01", "end": "2012-12-31"}
    server.route(history, Reply(body=rba_f17_payload(shared_data, **window), content_type=XLSX))
    server.route(
        current, Reply(body=rba_f17_payload(shared_data, start="2013-01-01"), content_type=XLSX)
    )
    ids = ["au.rba.zero.0m", "au.rba.zero.3m", "au.rba.zero.18m", "au.rba.zero.10y"]
    batches = online.fetch("rba_f17", client, series=ids)
    assert_same_as_shared(batches, shared_data, ids, "2012-01-01", "2013-12-31")


def test_boe_real_curve_archive(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    nominal, real = online.BOE_PATHS
    server.route(real, Reply(body=boe_payload(shared_data), content_type="application/zip"))
    batches = online.fetch("boe", client, series=["gb.boe.real.zero.5y", "gb.boe.real.zero.10y"])
    assert (server.hits(nominal), server.hits(real)) == (0, 1)
    # publisher-samples/boe, sheet '4.  real spot curve', 1989-12-29: 5 years (column G)
    # 3.564317259387692..., 10 years 3.5344522343122...
    curve = values(batches, "gb.boe.real.zero.10y")
    assert curve[pd.Timestamp("1989-12-29")] == pytest.approx(3.53445223431222, abs=1e-12)
    assert values(batches, "gb.boe.real.zero.5y")[pd.Timestamp("1989-12-29")] == pytest.approx(
        3.3439669442842956, abs=1e-12
    )
    assert curve.index.min() == pd.Timestamp("1985-01-02")


def test_nyfed_acm_identity(server: LocalServer, client: HttpClient, shared_data: Path) -> None:
    payload = acm_payload(shared_data, start="2020-01-01", end="2020-06-30")
    server.route(online.ACM_PATH, Reply(body=payload, content_type=XLS))
    batches = online.fetch("nyfed_acm", client)
    got = {i: values(batches, i) for i in ("us.acm.yield.10y", "us.acm.tp.10y", "us.acm.rny.10y")}
    # ACMY = ACMTP + ACMRNY on every day (the payload's known synthetic split, 0.1 x 10 = 1.0)
    assert (got["us.acm.tp.10y"] == 1.0).all()
    identity = got["us.acm.yield.10y"] - got["us.acm.tp.10y"] - got["us.acm.rny.10y"]
    assert identity.abs().max() < 1e-12
    gsw = load_frame(["us.gsw.zero.10y"], shared_data)["us.gsw.zero.10y"].loc["2020-01":"2020-06"]
    assert got["us.acm.yield.10y"].to_numpy() == pytest.approx(gsw.dropna().to_numpy(), abs=0)


def test_ecb_short_rates_one_key_each(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    paths = {
        "ea.estr": "/service/data/EST/B.EU000A2X2A25.WT",
        "ea.eonia.monthly": "/service/data/FM/M.U2.EUR.4F.MM.EONIA.HSTA",
        "ea.euribor.monthly.3m": "/service/data/FM/M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA",
        "fx.usd_per_eur": "/service/data/EXR/D.USD.EUR.SP00.A",
    }
    for series_id, path in paths.items():
        server.route(path, Reply(body=ecb_short_payload(shared_data, series_id)))
    batches = online.fetch("ecb_short", client)
    assert len(server.requests) == 4
    assert_same_as_shared(batches, shared_data, ["ea.estr"], "2019-10-01", "2025-09-16")
    assert_same_as_shared(batches, shared_data, list(paths)[1:3], "1994-01-01", "2026-02-01")
    # the reference rate from the euro's first day: fx/ecb_usd_per_eur_daily_1974_2020.csv
    assert_same_as_shared(batches, shared_data, ["fx.usd_per_eur"], "1999-01-04", "2020-03-10")
    assert values(batches, "fx.usd_per_eur").index[0] == pd.Timestamp("1999-01-04")
    # rates_short/eonia_monthly_avg_1994_2021.csv, 2021-12: -0.4922
    assert values(batches, "ea.eonia.monthly")[pd.Timestamp("2021-12-01")] == -0.4922


def test_fred_additions_use_the_existing_fetcher(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    for code in ("DTB3", "THREEFYTP10", "IUDSOIA"):
        payload = fred_csv_payload(shared_data, (code,), start="2019-01-01", end="2019-12-31")
        server.route(online.FRED_GRAPH_PATH, Reply(body=payload), query={"id": code})
    ids = ["us.tbill.3m", "us.kw.tp.10y", "gb.sonia"]
    batches = online.fetch("fred", client, series=ids)
    assert_same_as_shared(batches, shared_data, ids, "2019-01-01", "2019-12-31")
    # fred/DTB3.csv 2019-12-31: 1.52 (discount basis)
    assert values(batches, "us.tbill.3m")[pd.Timestamp("2019-12-31")] == 1.52


CSV_BODY = "Date,Value\n2024-01-02,1.0\n"
SOURCE_SERIES = {
    "french": ["us.ff.mkt.daily"],
    "boe": ["gb.boe.zero.10y"],
    "rba_f17": ["au.rba.zero.10y"],
}


@pytest.mark.parametrize(
    ("source", "path", "body", "expected"),
    [
        ("shiller", online.SHILLER_PATH, CSV_BODY, "not an Excel workbook (.xls or .xlsx)"),
        ("shiller", online.SHILLER_PATH, " ", "empty payload"),
        ("french", online.FRENCH_DAILY_PATH, CSV_BODY, "not a zip archive"),
        ("snb", online.SNB_PATH, CSV_BODY, "expected header"),
        ("nyfed_acm", online.ACM_PATH, CSV_BODY, "not an Excel workbook"),
        ("rba_f17", online.RBA_F17_PATHS[0], "", "empty payload"),
        ("boe", online.BOE_PATHS[0], CSV_BODY, "not an Excel workbook"),
    ],
)
def test_wrong_or_empty_payload_is_a_one_line_error_naming_the_url(
    server: LocalServer, client: HttpClient, source: str, path: str, body: str, expected: str
) -> None:
    server.route(path, Reply(body=body, content_type="application/octet-stream"))
    with pytest.raises((DataError, online.PartialFetchError)) as caught:
        online.fetch(source, client, series=SOURCE_SERIES.get(source))
    message = str(caught.value)
    if isinstance(caught.value, online.PartialFetchError):
        # a source of several files fails per file (the others 404 here): this file's reason
        (failure,) = [f for f in caught.value.failures if f.url == f"{server.url}{path}"]
        assert not failure.unavailable
        message = failure.reason
    assert "\n" not in message
    assert message.startswith(f"{server.url}{path}")
    assert expected in message


@pytest.mark.parametrize(
    ("source", "path"),
    [
        ("shiller", online.SHILLER_PATH),
        ("french", online.FRENCH_DAILY_PATH),
        ("snb", online.SNB_PATH),
        ("nyfed_acm", online.ACM_PATH),
        ("boe", online.BOE_PATHS[0]),
    ],
)
def test_html_page_with_200_is_unavailable_naming_the_url(
    server: LocalServer, client: HttpClient, source: str, path: str
) -> None:
    # Even labelled as data, an HTML body is caught by the HTTP layer before any parser.
    server.route(path, Reply(body=HTML_PAGE, content_type="application/octet-stream"))
    with pytest.raises(SourceUnavailableError, match="served an HTML page") as caught:
        online.fetch(source, client, series=SOURCE_SERIES.get(source))
    assert str(caught.value).startswith(f"{server.url}{path}")


def test_issue12_mirror_serves_every_new_source(
    server: LocalServer, client: HttpClient, shared_data: Path
) -> None:
    # A window spanning the RBA file splits keeps this fast; the defaults are the whole files.
    start, end = "2012-07-01", "2014-03-31"
    for route in issue12_mirror_routes(shared_data, start=start, end=end):
        reply = Reply(body=route.body, content_type=route.content_type)
        server.route(route.path, reply, query=route.query)
    for source in ("shiller", "french", "bundesbank", "snb", "rba_f2", "rba_f17", "nyfed_acm",
                   "ecb_short"):  # fmt: skip
        # EUR STR starts in 2019: its payload for this window is a header without rows.
        wanted = ["ea.eonia.monthly", "ea.euribor.monthly.3m"] if source == "ecb_short" else None
        batches = online.fetch(source, client, series=wanted)
        ids = [
            i
            for i in wanted or online.SOURCES[source].series
            if not i.startswith("au.rba.govt.monthly.")  # the real 2013 sample, no shared copy
        ]
        if source == "nyfed_acm":  # the payload's ACMY columns carry the GSW zero yields
            acm = values(batches, "us.acm.yield.7y")
            gsw = load_frame(["us.gsw.zero.7y"], shared_data)["us.gsw.zero.7y"].loc[start:end]
            assert acm.to_numpy() == pytest.approx(gsw.dropna().to_numpy(), abs=0)
            continue
        assert ids, source
        assert_same_as_shared(batches, shared_data, ids, start, end)
    boe = online.fetch("boe", client, series=["gb.boe.real.zero.10y"])
    assert values(boe, "gb.boe.real.zero.10y").index.max() == pd.Timestamp("1989-12-29")
    fred_ids = ["us.fiscal.debt", "us.tbill.monthly.4w", "us.kw.tp.10y", "ea.estr", "gb.sonia"]
    batches = online.fetch("fred", client, series=fred_ids)
    assert_same_as_shared(batches, shared_data, fred_ids, start, end)
