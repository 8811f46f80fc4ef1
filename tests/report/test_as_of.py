"""``report --as-of`` is real time: nothing after the date reaches the report.

The store the session's report filled (tests/report/conftest.py) was ingested today, so it
holds no vintage as old as 2019-12-31: the as-of report takes each value as first ingested
and no observation after the date. A copy of the store is then changed after the date in
every way the store allows -- every later observation altered, later dates added, a
series cut short, and a new ingest (recorded now) that revises a 2019 value -- and the
as-of report must stay byte-identical (findings.json but its ``generated`` stamp, every CSV,
and index.html but its "generated YYYY-MM-DD" date, the build day: the two reports may be
built on either side of midnight).

The studies run with cheap settings (20 bootstrap replications, the U.S. and Germany only
for the term premia) to keep the CPU time modest; the route (store -> load_study_data ->
run_studies -> report) is the CLI's.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ustpull.report.build import build_report
from ustpull.studies import StudySettings, load_frame

AS_OF = "2019-12-31"
CHEAP = StudySettings(term_premium_replications=20, linkage_countries=("US", "DE"))
REVISED = ("us.cmt.10y", "2019-06-28")


def _change_after(store: Path) -> None:
    """Alter, extend and shorten the data after AS_OF, and revise one earlier value in a
    new ingest recorded now (the store's own tables, as a later ingest would leave them)."""
    with duckdb.connect(str(store)) as db:
        db.execute("UPDATE observations SET value = value * 1.25 + 0.5 WHERE date > ?", [AS_OF])
        db.execute("DELETE FROM observations WHERE series_id = 'us.sp500' AND date > '2021-01-01'")
        (last,) = db.execute("SELECT max(ingest_id) FROM ingests").fetchone()  # type: ignore[misc]
        db.execute(
            "INSERT INTO ingests SELECT ?, now()::TIMESTAMP, 'fred', 'test', 'x', 2, 2, 2, 0, 1",
            [last + 1],
        )
        db.execute(
            "INSERT INTO observations VALUES "
            "(?, ?, 9.99, ?, true), (?, '2031-01-02', 7.5, ?, false)",
            [REVISED[0], REVISED[1], last + 1, REVISED[0], last + 1],
        )


def _report(store: Path, out: Path) -> Path:
    build_report(out, store=store, ingest=False, as_of=AS_OF, settings=CHEAP, png=False)
    return out


@pytest.fixture(scope="module")
def as_of_reports(report_store: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("as_of")
    stores = [root / "same.duckdb", root / "changed.duckdb"]
    for store in stores:
        shutil.copy(report_store, store)
    _change_after(stores[1])
    return [_report(store, root / f"out-{store.stem}") for store in stores]


def test_the_change_reaches_the_store(as_of_reports: list[Path]) -> None:
    """The changed copy really differs (after the date, and in the revised 2019 value)."""
    same, changed = (p.parent / f"{p.name.removeprefix('out-')}.duckdb" for p in as_of_reports)
    now = [load_frame(["us.cmt.10y"], store=s)["us.cmt.10y"] for s in (same, changed)]
    assert now[1].loc[REVISED[1]] == 9.99 != now[0].loc[REVISED[1]]
    assert now[1].loc["2024-01-02"] == pytest.approx(now[0].loc["2024-01-02"] * 1.25 + 0.5)
    # as of the date: the first value ingested, not the revision recorded later
    cut = [load_frame(["us.cmt.10y"], store=s, as_of=AS_OF) for s in (same, changed)]
    pd.testing.assert_frame_equal(cut[0], cut[1])
    assert cut[1].index.max() <= pd.Timestamp(AS_OF)


def test_changes_after_the_date_leave_the_report_byte_identical(
    as_of_reports: list[Path],
) -> None:
    same, changed = as_of_reports
    files = sorted(p.relative_to(same) for p in same.rglob("*.csv"))
    assert files == sorted(p.relative_to(changed) for p in changed.rglob("*.csv"))
    assert len(files) > 20
    differ = [str(f) for f in files if (same / f).read_bytes() != (changed / f).read_bytes()]
    assert differ == []
    payloads = [
        json.loads((p / "findings.json").read_text(encoding="utf-8")) for p in (same, changed)
    ]
    for payload in payloads:
        del payload["generated"]
    assert payloads[0] == payloads[1]


def test_changes_after_the_date_leave_index_html_byte_identical(
    as_of_reports: list[Path],
) -> None:
    """The page itself: every number, table, chart spec and sentence; only the build day of
    the "generated YYYY-MM-DD by ustpull" line is stripped (it is the day the test ran)."""
    pages = [(p / "index.html").read_bytes() for p in as_of_reports]
    stamp = re.compile(rb"generated \d{4}-\d{2}-\d{2} by ustpull")
    assert all(len(stamp.findall(page)) == 1 for page in pages)
    stripped = [stamp.sub(b"generated <day> by ustpull", page) for page in pages]
    assert len(stripped[0]) > 100_000
    assert stripped[0] == stripped[1]
    assert sorted(p.name for p in as_of_reports[0].glob("*.html")) == ["index.html"]


def test_as_of_report_data_run_through_the_date_at_most(as_of_reports: list[Path]) -> None:
    out = as_of_reports[1]
    payload = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert payload["as_of"] <= AS_OF
    through = {f"findings.{key}": item["data_through"] for key, item in payload["findings"].items()}
    through |= {f"inputs_through.{k}": v for k, v in payload["inputs_through"].items()}
    # each section's date too: a weekly sample ending on Tuesday 2019-12-31 is not dated by
    # the Friday after it (2020-01-03)
    through |= {f"section.{k}": v for k, v in payload["sections_data_through"].items()}
    through |= {f"range.{i}": day for i, day in enumerate(payload["data_through_range"])}
    assert len(payload["sections_data_through"]) >= 5
    assert len(through) > 30
    late = {key: day for key, day in through.items() if day is not None and day > AS_OF}
    assert late == {}
    with (out / "data" / "sources.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and max(row["last"] for row in rows if row["last"]) <= AS_OF
    assert {row["store_vintage"] for row in rows} == {
        f"none recorded by {AS_OF}: values as first ingested"
    }
    # the report says where the store had no vintage that old
    assert "taken as first ingested" in (out / "index.html").read_text(encoding="utf-8")


def test_stock_bond_regimes_are_fitted_on_the_eras_with_data(as_of_reports: list[Path]) -> None:
    """As of 2019-12-31 the stock-bond regimes run on the data to that date: the three eras
    with data, each with its HAC interval (the same returns as the full report's, so the
    same numbers), no 2020-latest era, and the text says what is left out."""
    out = as_of_reports[0]
    items = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    eras = {key: item for key, item in items.items() if key.startswith("stocks.corr_")}
    expected = {  # value, interval (Newey-West HAC on Fisher z), first day of the era's data
        "stocks.corr_1972_1999": (0.2831, (0.2353, 0.3295), "1972-01-03"),
        "stocks.corr_2000_2007": (-0.2756, (-0.3370, -0.2119), "2000-01-03"),
        "stocks.corr_2008_2019": (-0.4240, (-0.4809, -0.3636), "2008-01-02"),
        "stocks.corr_2000_2019": (-0.3695, (-0.4124, -0.3251), "2000-01-01"),
    }
    for key, (value, ci, first) in expected.items():
        assert eras[key]["value"] == pytest.approx(value, abs=1e-4), key
        assert eras[key]["ci"] == pytest.approx(ci, abs=1e-4), key
        assert eras[key]["window"].startswith(first), key
    assert [k for k in items if "2020" in k and k.startswith("stocks.")] == []
    assert "stocks.corr_mean_1962_1999" not in items and "stocks.corr_mean_1972_1999" in items
    # breaks, return regimes, DCC and the inflation thresholds are fitted, with intervals
    for key in ("stocks.regime_corr_low", "stocks.regime_duration_high",
                "stocks.inflation_corr_diff_3"):  # fmt: skip
        assert items[key]["ci"] is not None and items[key]["data_through"] <= AS_OF, key
    assert items["stocks.dcc_latest"]["data_through"] == AS_OF
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "The stock-bond intervals and regimes did not run" not in page
    assert "the 2020-latest era, its change against 2000-2019" in page
    assert "stock_bond_breaks" in {p.stem for p in (out / "data").glob("*.csv")}


EARLY = "1999-12-31"  # before every narrative window, foreign episode, TIPS and the euro


@pytest.fixture(scope="module")
def early_report(report_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report as of 1999-12-31 through the CLI's route (without --allow-partial)."""
    root = tmp_path_factory.mktemp("as_of_1999")
    store = root / "store.duckdb"
    shutil.copy(report_store, store)
    outcome = build_report(
        root / "out", store=store, ingest=False, as_of=EARLY, settings=CHEAP, png=False
    )
    assert outcome.gaps == []  # nothing failed: what cannot be measured yet is stated below
    return root / "out"


def test_a_report_as_of_1999_runs_on_the_data_to_that_date(early_report: Path) -> None:
    """Every study runs or states why not; no date after 1999-12-31 and no finding of a
    window that had not ended (a key naming a later year) reaches findings.json."""
    payload = json.loads((early_report / "findings.json").read_text(encoding="utf-8"))
    items = payload["findings"]
    assert payload["as_of"] == EARLY and len(items) > 80
    through = [item["data_through"] for item in items.values()]
    through += list(payload["sections_data_through"].values())
    assert max(day for day in through if day) <= EARLY
    assert set(payload["sections_data_through"]) == {
        "pull", "stocks", "foreign", "connectedness", "dollar", "events"
    }  # fmt: skip
    years = {int(y) for key in items for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", key)}
    assert years and max(years) <= 1999
    # windows that end later are left out, not measured on part of their span
    later = ("selloff_2022", "taper", "prepandemic", "us_10y_change", "corr_2000_2019",
             "corr_mean_2000_2019", "tci_change", "corr_diff_recent")  # fmt: skip
    assert [key for key in items if any(part in key for part in later)] == []
    # what runs on data to 1999: announcement days, the stock-bond eras, the pull
    assert items["events.var_ratio_fomc_us10y_1d"]["ci"] is not None
    assert items["stocks.corr_1972_1999"]["window"].endswith("1999-12-31")
    assert items["termpremium.us_10y_latest"]["data_through"] == EARLY


def test_a_report_as_of_1999_states_what_it_cannot_measure_yet(early_report: Path) -> None:
    page = (early_report / "index.html").read_text(encoding="utf-8")
    for gap in (
        "Narrative windows: no narrative window had ended by 1999-12-31",
        "Foreign-bond episodes: no episode had ended by 1999-12-31",
        "pre-pandemic year (March 2019 - February 2020): that year had not ended",
        "fewer than 24 months of TIPS yields",
        "Stock-bond correlation over 2000-2019: the data end on 1999-12-31",
    ):
        assert gap in page, gap
    data = {p.stem for p in (early_report / "data").glob("*.csv")}
    assert "event_changes" not in data and "price_decompositions" not in data
    assert {"central_bank_days", "stock_bond_eras"} <= data
