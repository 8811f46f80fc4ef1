"""The Treasury-pull dashboard (issue 19 point 1), honest dates (point 2) and one CSV per chart
(point 3), on the offline report of the shared data (the session's ``report_dir``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from ustpull.charts import Chart
from ustpull.report.document import (
    ReportDocument,
    Section,
    Table,
    chart_cadence,
    chart_through,
    column_through,
    data_through_range,
    render_html,
    sections_data_through,
    table_csv,
)

# Reference values: docs/treasury_pull.md (recipe tests/crossasset/test_pull.py::real_pull,
# weekly synchronous changes, ACM daily split, 95% Newey-West), per 10 bp:
# key -> (value, ci low, ci high, data through = the last quote of the inputs, not the
# last weekly bin: the euro-area curve ends Thursday 2024-04-04, India Thursday 2020-03-12)
REFERENCE = {
    "pull.us_stocks.total.full": (-0.079, -0.171, 0.013, "2025-10-03"),
    "pull.dollar.expected_rate.full": (0.137, 0.042, 0.233, "2025-10-03"),
    "pull.de_10y.total.full": (5.130, 4.770, 5.489, "2024-04-12"),
    "pull.de_10y.term_premium.latest_3y": (6.803, 6.05, 7.56, "2024-04-12"),
    "pull.jp_10y.total.full": (1.558, 1.223, 1.892, "2025-10-03"),
    "pull.ea_10y.total.full": (5.269, 4.767, 5.771, "2024-04-04"),
    "pull.in_10y.term_premium.full": (1.678, 0.272, 3.083, "2020-03-12"),
    "pull.uk_10y.total.full": (4.88, 3.93, 5.83, "2025-09-30"),  # monthly-average fallback
    "pull.us_stocks.total.2008-2019": (0.708, 0.510, 0.906, "2019-12-27"),
    "pull.us_stocks.total.1962-1999": (-0.329, -0.427, -0.231, "1999-12-31"),
}


def test_pull_findings_match_the_model_with_intervals_and_dates(
    findings: dict[str, object],
) -> None:
    items = findings["findings"]
    assert isinstance(items, dict)
    pull = {k: v for k, v in items.items() if k.startswith("pull.")}
    assert len(pull) >= 100  # 7 assets x 3 parts x (full, latest 3y, eras)
    for key, (value, low, high, through) in REFERENCE.items():
        item = pull[key]
        assert item["value"] == pytest.approx(value, abs=0.006), key
        assert item["ci"] == pytest.approx([low, high], abs=0.006), key
        assert item["data_through"] == through and item["as_of"] == through, key
        assert item["ci_method"].startswith("Newey-West HAC"), key
    # India has too few weeks after 2020 for the last era: not a finding, a stated note
    assert "pull.in_10y.total.2020-latest" not in pull
    # eras are named by the data they hold: the German series starts in 1988, not 1962
    assert "pull.de_10y.total.1988-1999" in pull and "pull.de_10y.total.1962-1999" not in pull
    assert pull["pull.uk_10y.total.full"]["definition"].endswith("n = 771")
    assert "monthly-average" in pull["pull.uk_10y.total.full"]["definition"]


def test_dashboard_comes_first_with_table_sentences_charts_and_csv(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    first_section = re.search(r'<section id="(\w+)"', page[page.index("</section>") :])
    assert first_section is not None and first_section.group(1) == "pull"
    # one sentence per asset computed from the numbers (TreasuryPullResults.sentence)
    assert "German 10-year yields moved by +5.1 bp (95% CI 4.8 to 5.5, significant)" in page
    assert "the dollar moved by +0.03% (95% CI -0.03 to 0.09, not significant)" in page
    table = pd.read_csv(report_dir / "data" / "pull_responses.csv", index_col=0)
    row = table[table["window"] == "full sample"].loc["German 10-year yields (bp)"]
    assert row["total"] == "+5.1 (+4.8 to +5.5)" and row["observations"] == 1878
    rolling = pd.read_csv(report_dir / "data" / "pull_rolling.csv", parse_dates=["date"])
    assert set(rolling["asset"]) == {
        "us_stocks", "dollar", "de_10y", "jp_10y", "uk_10y", "ea_10y", "in_10y"
    }  # fmt: skip
    assert (rolling["ci_low"] <= rolling["value"]).all()
    assert (rolling["value"] <= rolling["ci_high"]).all()
    de = pd.read_csv(report_dir / "data" / "pull_rolling_de_10y.csv", index_col=0)
    assert de.index[-1] == "2024-04-12" and de.shape[1] == 5
    assert 'href="data/pull_rolling.csv"' in page


def test_every_chart_has_its_own_csv_and_tables_do_not_overwrite_them(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<div class="chart" id="chart-([\w-]+)"', page)
    links = re.findall(r'<a class="csv" href="data/([\w-]+)\.csv"', page)
    assert charts == links and len(charts) >= 22
    assert all((report_dir / "data" / f"{c}.csv").is_file() for c in charts)
    # the three charts whose CSV a same-named table used to overwrite (issue 19)
    linkage = pd.read_csv(report_dir / "data" / "term_premium_linkage.csv", index_col=0)
    assert (
        list(linkage.columns) == ["term-premium part", "expected-rate part"] and len(linkage) > 100
    )
    comovement = pd.read_csv(report_dir / "data" / "yield_comovement.csv", index_col=0)
    assert "average DE+JP+UK" in comovement.columns and len(comovement) > 100
    spill = pd.read_csv(report_dir / "data" / "connectedness.csv", index_col=0)
    assert list(spill.columns) == ["total connectedness"] and len(spill) > 1000
    assert (report_dir / "data" / "term_premium_linkage_table.csv").is_file()
    assert (report_dir / "data" / "connectedness_table.csv").is_file()


def test_header_states_the_range_of_the_sections_dates(report_dir: Path) -> None:
    payload = json.loads((report_dir / "findings.json").read_text(encoding="utf-8"))
    through = payload["sections_data_through"]
    # the range spans the sections and every chart: the Indian 10-year pull (weekly, ending
    # 2020-03-13) is older than any section's newest data
    assert payload["data_through_range"] == ["2020-03-13", max(through.values())]
    assert payload["data_through_range"][0] < min(through.values())
    assert through["pull"] == "2025-10-03"  # the GSW curve, hence the ACM split, ends there
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    first, last = payload["data_through_range"]
    assert f"Data run through {first} .. {last}" in page
    assert f"Data as of {payload['as_of']}" not in page
    # euro-area daily files end in April 2024: the page says so where they are used
    assert "Data end 2024-04-05, older than a weekly release allows" in page
    assert "German 10-year yields: data end 2024-04-12 (weekly data)" in page


def _chart(index: pd.Index, **columns: list[float]) -> Chart:
    return Chart("c", "A chart", pd.DataFrame(columns, index=index), "percent")


def test_chart_dates_and_cadence_from_its_data() -> None:
    weeks = pd.date_range("2020-01-03", periods=6, freq="W-FRI")
    chart = _chart(weeks, a=[1, 2, 3, 4, 5, 6], b=[1, 2, 3, None, None, None])
    assert chart_through(chart) == "2020-02-07"  # the last date any series has a value
    assert column_through(chart) == {"a": "2020-02-07", "b": "2020-01-17"}
    cadence = chart_cadence(chart)
    assert cadence is not None and cadence.name == "weekly"
    months = _chart(pd.date_range("2020-01-31", periods=4, freq="ME"), a=[1, 2, 3, 4])
    assert chart_cadence(months) is not None and chart_cadence(months).name == "monthly"  # type: ignore[union-attr]
    # no date axis: the latest date among its labels (a curve dated in its columns), or None
    curve = Chart("k", "Curve", pd.DataFrame({"2025-09-30": [1.0], "2024-09-30": [2.0]}), "%")
    assert chart_through(curve) == "2025-09-30"
    assert chart_through(_chart(pd.Index([0.1, 0.2]), a=[1, 2])) is None
    assert table_csv(Table("c", "t", pd.DataFrame()), {"c"}) == "data/c_table.csv"
    assert table_csv(Table("t", "t", pd.DataFrame()), {"c"}) == "data/t.csv"


def test_stale_section_says_where_its_data_end() -> None:
    days = pd.bdate_range("2024-01-01", "2024-04-12")
    old = Chart("old", "Euro area: daily", pd.DataFrame({"y": range(len(days))}, index=days), "%")
    new_days = pd.bdate_range("2025-01-01", "2025-10-03")
    fresh = Chart("new", "U.S.", pd.DataFrame({"y": range(len(new_days))}, index=new_days), "%")
    document = ReportDocument(
        "t",
        "2026-09-25",
        [],
        [Section("ea", "EA", charts=[old]), Section("us", "US", charts=[fresh])],
        [],
    )
    assert sections_data_through(document) == {"ea": "2024-04-12", "us": "2025-10-03"}
    assert data_through_range(document) == ("2024-04-12", "2025-10-03")
    page = render_html(document)
    assert "Data run through 2024-04-12 .. 2025-10-03" in page
    assert "Euro area: data end 2024-04-12 (daily data)" in page
    assert "Data end 2024-04-12, older than a daily release allows" in page
    assert "Data through 2025-10-03." in page  # the fresh section: no warning
    assert page.count('class="gap stale"') == 1
    assert 'href="data/old.csv"' in page and 'href="data/new.csv"' in page
