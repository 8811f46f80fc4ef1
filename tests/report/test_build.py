"""`ustpull report` end to end on the shared data, and its failure paths."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.report._browser import render
from ustpull.cli.main import main
from ustpull.errors import SeriesNotFoundError
from ustpull.report.build import REPORT_STEPS, build_report
from ustpull.store import Store
from ustpull.store.ingest import ingest_local
from ustpull.studies import required_series


def test_every_artifact_is_written(report_dir: Path) -> None:
    assert (report_dir / "index.html").stat().st_size > 4_000_000  # plotly.js inlined
    charts = {p.stem for p in (report_dir / "data").glob("*.csv")}
    assert {
        "stock_bond_correlation",
        "us_term_premium",
        "us_term_premium_curve",
        "us_term_premium_fidelity",
        "yield_comovement",
        "dollar_vs_yield",
        "event_changes",
        "sources",
    } <= charts
    figures = {p.stem for p in (report_dir / "figures").glob("*.png")}
    assert {"stock_bond_correlation", "us_term_premium", "dollar_vs_yield"} <= figures
    tp = pd.read_csv(report_dir / "data" / "us_term_premium.csv", index_col=0)
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    # the linkage finding's robustness line (tests/crossasset/test_linkage_bias_corrected.py)
    assert "Robustness: with Pope (1990) bias-corrected VARs" in page
    # yield, expected rate, term premium and its 90% bootstrap band
    assert tp.index[0] == "1961-06-30" and tp.shape[1] == 5


def test_connectedness_section_answers_the_question(
    report_dir: Path, findings: dict[str, object]
) -> None:
    items = findings["findings"]
    assert isinstance(items, dict)
    # TVP-VAR(1) on weekly changes of US, DE, JP, EA 10-year yields 2004-09..2024-04 (shared
    # data): see tests/crossasset/test_connectedness_model.py for the validated estimator.
    assert items["connectedness.weekly_ctci"]["value"] == pytest.approx(76.4, abs=0.1)
    short = items["connectedness.tci_short"]["value"]
    assert short > items["connectedness.tci_persistent"]["value"]
    # constant VAR per period, block bootstrap (issue 16 coverage work): not significant
    assert items["connectedness.tci_change"]["definition"].endswith("p = 0.756")
    assert "connectedness.uk_net_monthly" in items
    band = pd.read_csv(report_dir / "data" / "connectedness_us_net.csv", index_col=0)
    assert list(band.columns) == ["U.S. NET", "band lower", "band upper"]
    assert (band["band lower"] <= band["band upper"]).all()


def test_findings_carry_definitions_windows_units_and_dates(
    findings: dict[str, object],
) -> None:
    items = findings["findings"]
    assert isinstance(items, dict) and len(items) >= 30
    for item in items.values():
        assert item["definition"] and item["window"] and item["unit"] and item["as_of"]
    # Reference values: see tests/crossasset and tests/termpremium for their recipes.
    # Taper tantrum, FRED DFII10 -0.34 -> 0.66 and DGS10 1.94 -> 2.73 (2013-05-21..07-05)
    assert items["events.taper_us_tips_10y"]["value"] == pytest.approx(100.0)
    assert items["events.taper_us_cmt_10y"]["value"] == pytest.approx(79.0)
    # S&P 500 1669.16 -> trough 1573.09 on 2013-06-24
    assert items["events.taper_sp500_max_fall"]["value"] == pytest.approx(
        (1573.09 / 1669.16 - 1) * 100
    )
    # the ACM 10-year term premium sat near -1% in the year before the pandemic
    assert items["termpremium.us_10y_prepandemic"]["value"] == pytest.approx(-1.0, abs=0.2)
    assert (
        items["foreign.ea_tp_change_corr"]["value"]
        > items["foreign.ea_expected_change_corr"]["value"]
    )
    summary = findings["summary"]
    assert isinstance(summary, list) and len(summary) >= 6
    assert not any("{" in sentence for sentence in summary)  # placeholders resolved
    assert findings["gaps"] == []


@pytest.mark.browser
def test_report_renders_offline_in_headless_chromium(
    report_dir: Path, findings: dict[str, object]
) -> None:
    seen = render(report_dir / "index.html", screenshot=report_dir / "screenshot.png")
    assert seen.console_errors == []
    assert seen.blocked_requests == []  # no request left the machine
    assert len(seen.charts) >= 17
    for chart in seen.charts:
        assert chart["rendered"], chart["id"]
        assert chart["traces"], chart["id"]
        regimes = chart["id"] == "chart-stock_bond_inflation_regimes"  # one bar per regime
        assert all(trace["points"] > (1 if regimes else 10) for trace in chart["traces"]), chart
        # every chart: its data-through date, shown next to it, and its CSV beside it
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", chart["through"] or ""), chart["id"]
        assert chart["through"] in chart["meta"], chart["id"]
        assert chart["csv"] == f"data/{chart['id'].removeprefix('chart-')}.csv", chart["id"]
        assert (report_dir / chart["csv"]).is_file(), chart["csv"]
    items = findings["findings"]
    assert isinstance(items, dict)
    assert len(seen.findings) >= 20
    for key, shown in seen.findings.items():
        assert shown == items[key]["display"], key
        assert seen.finding_dates[key] == items[key]["data_through"], key
    # every statement that shows a finding states the dates its numbers run through
    assert len(seen.statements) >= 10
    for statement in seen.statements:
        assert statement["asof"], statement["text"]
        assert all(day in statement["asof"] for day in statement["through"]), statement
    # the dashboard comes first and is drawn with data
    dashboard = [c for c in seen.charts if c["section"] == "pull"]
    assert seen.charts[0]["section"] == "pull" and len(dashboard) == 7
    assert all(t["points"] > 100 for c in dashboard for t in c["traces"])
    assert "German 10-year yields moved by +5.1 bp (95% CI 4.8 to 5.5, significant)" in seen.text
    # the header states the range of the sections' dates, not the store's newest series
    first, last = findings["data_through_range"]
    assert f"Data run through {first} .. {last}" in seen.text
    # no local path in the page (the data folder, the store, the output, home)
    shared = os.environ.get("USTPULL_SHARED_DATA", "")
    for private in (str(report_dir.parent), str(Path.home()), shared):
        assert not private or private not in seen.html, private
    assert "/tmp/" not in seen.text and "/work/" not in seen.text
    assert (report_dir / "screenshot.png").stat().st_size > 50_000


def test_missing_series_stop_the_report_or_become_gaps(shared_data: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "partial.duckdb")
    # only the S&P 500, the CMT curve and TIPS: every analysis lacks something
    ingest_local(shared_data, store=store, entries=["ust_cmt_daily", "DFII10", "sp500"])
    with pytest.raises(SeriesNotFoundError, match=r"stocks: .*us\.gsw\.zero\.9y"):
        build_report(tmp_path / "out", store=store, ingest=False, png=False)
    outcome = build_report(
        tmp_path / "out", store=store, ingest=False, allow_partial=True, png=False
    )
    assert any(gap.startswith("stocks: left out, series missing") for gap in outcome.gaps)
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "stocks: left out, series missing" in page
    payload = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert payload["gaps"] == outcome.gaps
    # the event studies still ran on what was there
    assert payload["findings"]["events.taper_us_tips_10y"]["value"] == pytest.approx(100.0)


def test_cli_missing_series_is_one_line_and_exit_2(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "empty.duckdb"
    ingest_local(shared_data, store=Store(store), entries=["DFII10"])
    code = main(
        ["report", "--no-ingest", "--store", str(store), "--out", str(tmp_path / "o"), "--quiet"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("ustpull: error: required series missing from the store")
    assert err.count("\n") == 1


def test_required_series_cover_each_analysis() -> None:
    needs = required_series()
    assert set(needs) == {
        "term premia", "Treasury pull", "stocks", "foreign bonds", "dollar", "event studies",
        "connectedness",
    }  # fmt: skip
    assert "in.govt.10y" in needs["Treasury pull"] and "oecd.10y.gb" in needs["Treasury pull"]
    assert "ea.aaa.zero.10y" in needs["connectedness"]
    assert "us.sp500" in needs["stocks"] and "fx.dxy" in needs["dollar"]
    assert REPORT_STEPS[0] == "ingest" and REPORT_STEPS[-1] == "write"


def test_unreachable_publishers_exit_4_with_the_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # every publisher pointed at a closed port on this machine
    monkeypatch.setenv("USTPULL_ONLINE_BASE_URL", "http://127.0.0.1:9")
    code = main(
        [
            "report",
            "--store",
            str(tmp_path / "s.duckdb"),
            "--out",
            str(tmp_path / "o"),
            "--attempts",
            "1",
            "--quiet",
        ]
    )
    assert code == 4
    err = capsys.readouterr().err
    assert err.startswith("ustpull: error: ingest failed (") and "127.0.0.1:9" in err
    assert "--no-ingest" in err


def test_bad_as_of_is_refused_before_any_download(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "report",
            "--as-of",
            "garbage",
            "--store",
            str(tmp_path / "s.duckdb"),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    assert code == 2
    assert "--as-of: 'garbage' is not a date" in capsys.readouterr().err
