"""`ustpull report` online, as a new user runs it: no flags, an empty store, no local files.

Every publisher is a local mirror (``tests/sources/_mirror.py``) serving its files at their
real paths on 127.0.0.1, reached through ``USTPULL_ONLINE_BASE_URL``. The first run
downloads everything the recipes need and writes the report; the second downloads only
what may have changed: every request is conditional and the mirror answers 304.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.sources._mirror import Mirror
from ustpull.cli.main import main
from ustpull.sources import online
from ustpull.store import Store
from ustpull.store.downloads import last_downloads
from ustpull.store.freshness import freshness
from ustpull.studies import study_recipes
from ustpull.studies.data import downloads

ANALYSES = {
    "term premia", "Treasury pull", "stocks", "foreign bonds", "dollar", "event studies",
    "connectedness",
}  # fmt: skip


@pytest.fixture(scope="module")
def mirror(shared_data: Path) -> Iterator[Mirror]:
    with Mirror.for_series(shared_data, downloads(study_recipes())) as running:
        yield running


@pytest.fixture(scope="module")
def online_env(mirror: Mirror, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A working folder whose environment points every publisher at the mirror and the
    default store at a fresh file (the user's setup: nothing but environment variables)."""
    root = tmp_path_factory.mktemp("online")
    with pytest.MonkeyPatch.context() as patch:
        for endpoint in online.ENDPOINTS:
            patch.delenv(f"USTPULL_{endpoint.upper()}_BASE_URL", raising=False)
        patch.delenv(online.FRED_API_KEY_ENV, raising=False)
        patch.setenv(online.GLOBAL_BASE_URL_ENV, mirror.url)
        patch.setenv("USTPULL_STORE", str(root / "store.duckdb"))
        patch.chdir(root)
        yield root


@pytest.fixture(scope="module")
def first_run(online_env: Path, mirror: Mirror) -> tuple[int, list[str]]:
    code = main(["report"])  # no flags: downloads into the empty default store
    paths = [r.path for r in mirror.server.requests]
    return code, paths


def test_report_runs_every_analysis_from_the_mirror(
    first_run: tuple[int, list[str]], online_env: Path, mirror: Mirror
) -> None:
    code, paths = first_run
    assert code == 0
    findings = json.loads((online_env / "report" / "findings.json").read_text("utf-8"))
    # what no public publisher serves, stated: ICE's DXY (licensed) and the Bund 1- and
    # 20-year yields of the German par curve (the Bundesbank lists 2, 5, 10 and 30 years)
    # optional inputs, stated in the methodology rather than counted as gaps (exit 0)
    assert findings["gaps"] == []
    html = (online_env / "report" / "index.html").read_text("utf-8")
    assert "term premium for DE: not estimated (no data for de.govt.1y, de.govt.20y)" in html
    assert "Event studies: without fx.dxy" in html
    used = pd.DataFrame(findings["provenance"])
    assert set(used["analysis"]) == ANALYSES
    # every series an analysis used came from the mirror, none from a local file
    assert used["origin"].str.startswith(mirror.url).all(), used[
        ~used["origin"].str.startswith(mirror.url)
    ]
    assert set(findings["inputs_through"]) == ANALYSES
    # the daily stock-bond correlation reaches back before FRED's ten-year SP500 window:
    # Kenneth French's daily market return from 1926 fills the equity column
    stocks = used[used["analysis"] == "stocks"].set_index("column")
    assert stocks.loc["us.sp500", "series"] == "us.ff.mkt.daily"
    assert stocks.loc["us.sp500", "source"] == "french"
    eras = [k for k in findings["findings"] if k.startswith("stocks.corr_mean_1972")]
    assert eras, "no 1972-1999 era: the daily equity series does not reach back"
    item = findings["findings"][eras[0]]
    assert "Kenneth French" in item["definition"]
    assert any(s.startswith("french: ") for s in item["sources"])
    # each mirrored file was requested (FRED: one per id, no file twice)
    assert len(paths) == len(mirror.files)


def test_plan_lists_every_series_from_the_mirror(
    first_run: tuple[int, list[str]],
    online_env: Path,
    mirror: Mirror,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    assert main(["report", "--plan", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {
        "analysis", "series", "source", "url", "online", "in_store", "needed"
    }  # fmt: skip
    assert {r["analysis"] for r in rows} == ANALYSES
    # no needed series lacks an online source; what no publisher serves is optional
    assert all(r["online"] for r in rows if r["needed"])
    offline = sorted({(r["series"], r["source"]) for r in rows if not r["online"]})
    assert offline == [
        ("de.govt.1y", "local:de_govt"), ("de.govt.20y", "local:de_govt"),
        ("fr.govt.10y", "local:fr_govt"), ("fx.dxy", "local:dxy"),
        ("gb.mpc.decision", "local:boe_mpc_dates"),  # BoE MPC days: a local list only
        ("in.govt.10y", "local:india_10y"),
        # FOMC days and surprises (issue 16's announcement-day tests): local files only
        ("us.fomc.gss.mp1", "local:fomc_surprises_gss"),
        ("us.fomc.jk.mp_pm", "local:fomc_shocks_jk"),
        ("us.fomc.scheduled", "local:fomc_scheduled"),
    ]  # fmt: skip
    with Store(online_env / "store.duckdb", read_only=True) as store:
        origins = last_downloads(store)
    # every series the plan serves online came from the mirror (and is now in the store)
    for row in (r for r in rows if r["online"]):
        assert row["in_store"] and row["url"].startswith(mirror.url), row
        assert origins.loc[row["series"], "url"].startswith(mirror.url), row


def test_second_run_makes_only_conditional_requests(
    first_run: tuple[int, list[str]],
    online_env: Path,
    mirror: Mirror,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = len(mirror.server.requests)
    store = Store(online_env / "store.duckdb", read_only=True)
    log_before = len(store.ingest_log())
    capsys.readouterr()
    assert main(["report", "--no-png"]) == 0  # the same command again
    again = mirror.server.requests[before:]
    assert len(again) == len(mirror.files)  # one request per file, as the first time
    assert all("if-none-match" in r.headers or "if-modified-since" in r.headers for r in again)
    err = capsys.readouterr().err
    # nothing changed on the mirror: every answer a 304, no bytes, nothing re-ingested
    assert f"downloads: {len(again)} request(s), {len(again)} not modified, 0 bytes" in err
    assert len(store.ingest_log()) == log_before
    # FRED asks only for the stretch since the last stored date minus the revision window
    fred = [r for r in again if r.path == online.FRED_GRAPH_PATH]
    assert fred and all("cosd" in r.query for r in fred)
    ten_year = next(r for r in fred if r.query["id"] == ["DGS10"])
    last = store.list_series(["us.cmt.10y"])["last"].iloc[0]
    assert ten_year.query["cosd"] == [f"{last - pd.Timedelta(days=31):%Y-%m-%d}"]


def test_status_shows_freshness_per_series(
    first_run: tuple[int, list[str]],
    online_env: Path,
    mirror: Mirror,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    ten_year = records["us.cmt.10y"]
    # fred/ust_cmt_daily.csv ends 2026-08-20 (shared-data MANIFEST)
    assert ten_year["last_observation"] == "2026-08-20"
    # the full download, or the incremental one (&cosd=...) if the second run came first
    assert ten_year["via"].startswith(f"{mirror.url}{online.FRED_GRAPH_PATH}?id=DGS10")
    assert ten_year["last_download"] is not None and ten_year["cadence"] == "daily"
    assert records["us.gsw.zero.10y"]["cadence"] == "weekly (GSW)"
    assert records["us.shiller.price"]["cadence"] == "monthly (Shiller)"
    assert records["us.ff.mkt.daily"]["cadence"] == "monthly (French)"
    # the cadence rule at its edges, against the stored last observations
    with Store(online_env / "store.duckdb", read_only=True) as store:
        listing = store.list_series()
        for series_id, allowed in (("us.cmt.10y", 7), ("us.gsw.zero.10y", 14),
                                   ("us.shiller.price", 62), ("us.ff.mkt.daily", 75)):  # fmt: skip
            last = pd.Timestamp(listing.loc[series_id, "last"])
            fresh = freshness(store, today=last + pd.Timedelta(days=allowed))
            late = freshness(store, today=last + pd.Timedelta(days=allowed + 1))
            assert not fresh.loc[series_id, "stale"] and late.loc[series_id, "stale"], series_id


def test_report_header_gives_each_section_its_data_end(
    first_run: tuple[int, list[str]], online_env: Path
) -> None:
    findings = json.loads((online_env / "report" / "findings.json").read_text("utf-8"))
    used = pd.DataFrame(findings["provenance"])
    required = used[used["required"]]
    # stocks run through the earliest end of their required series (Shiller is monthly)
    assert (
        findings["inputs_through"]["stocks"]
        == required[required["analysis"] == "stocks"]["last"].min()
    )
    html = (online_env / "report" / "index.html").read_text("utf-8")
    assert "Data run through, by section: " in html
    # what no publisher serves is said, not silently dropped
    assert "Dollar: without fx.dxy (not in the store" in html
    assert "Foreign bonds: without fr.govt.10y, in.govt.10y (not in the store" in html
    # the header's per-section dates are those of the charts and statements they show
    assert f"U.S. stocks: {findings['sections_data_through']['stocks']}" in html


def test_some_publishers_missing_exit_3_naming_urls_and_keeping_the_rest(
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Only FRED answers (every other publisher 404s): what came through is committed, the
    report stops with exit 3 naming the failed URLs."""
    fred_only = {"fred": downloads(study_recipes())["fred"]}
    with Mirror.for_series(shared_data, fred_only) as partial:
        for endpoint in online.ENDPOINTS:
            monkeypatch.delenv(f"USTPULL_{endpoint.upper()}_BASE_URL", raising=False)
        monkeypatch.delenv(online.FRED_API_KEY_ENV, raising=False)
        monkeypatch.setenv(online.GLOBAL_BASE_URL_ENV, partial.url)
        store = tmp_path / "s.duckdb"
        code = main(["report", "--store", str(store), "--out", str(tmp_path / "o"), "--quiet"])
    assert code == 3
    err = capsys.readouterr().err
    assert f"{partial.url}{online.GSW_NOMINAL_PATH}" in err and "HTTP 404" in err
    assert "required series missing" in err
    committed = set(Store(store, read_only=True).list_series().index)
    assert {"us.cmt.10y", "us.sp500", "fx.usd_broad"} <= committed
    assert not any(s.startswith("us.gsw.") for s in committed)
