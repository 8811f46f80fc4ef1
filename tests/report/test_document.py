"""The report document renders self-contained HTML, findings.json, CSVs and PNGs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.report._browser import render
from ustpull.report.document import (
    Chart,
    Finding,
    ReportDocument,
    Section,
    Shading,
    Table,
    chart_spec,
)


@pytest.fixture
def document() -> ReportDocument:
    dates = pd.date_range("2020-01-01", periods=50, freq="B", name="date")
    data = pd.DataFrame(
        {"yield": np.linspace(1.0, 2.0, 50), "term premium": np.linspace(-1.0, 0.5, 50)},
        index=dates,
    )
    data.iloc[3, 1] = np.nan
    chart = Chart(
        "tp",
        "Ten-year yield and term premium",
        data,
        "percent",
        shading=(Shading(dates[10], dates[20], "era"),),
        secondary=("term premium",),
        zero_line=True,
    )
    bars = Chart(
        "eras",
        "Mean by era",
        pd.DataFrame({"mean": [0.2, -0.3]}, index=pd.Index(["A", "B"], name="era")),
        "correlation",
        kind="bar",
    )
    findings = [
        Finding("tp.latest", "Latest term premium", 0.5, "percent", "ACM", "2020", "2020-03-10"),
        Finding("corr.mean", "Mean correlation", -0.31234, "correlation", "d", "w", "a", 3),
        Finding("missing", "Not computed", None, "bp", "d", "w", "a", reason="no data"),
    ]
    table = Table("era_table", "Eras", pd.DataFrame({"mean": [0.1, np.nan]}, index=["a", "b"]))
    section = Section(
        "bonds",
        "Foreign bonds: linkage",
        ["The term premium ended at {tp.latest}% & rose."],
        [chart, bars],
        [table],
        gaps=["Japan: no term premium (short sample)"],
    )
    return ReportDocument(
        title="Test report",
        as_of="2020-03-10",
        summary=["Mean correlation was {corr.mean}; missing is {missing}."],
        sections=[section],
        findings=findings,
        methodology=["ACM (2013) with K=5."],
        sources=pd.DataFrame({"series": ["us.cmt.10y"], "last": ["2020-03-10"]}),
        settings={"window": 252, "start": pd.Timestamp("2020-01-01"), "nan": float("nan")},
    )


def test_chart_spec_keeps_gaps_as_null_and_secondary_axis(document: ReportDocument) -> None:
    spec = chart_spec(document.sections[0].charts[0])
    traces = spec["data"]
    assert [t["name"] for t in traces] == ["yield", "term premium"]
    assert traces[1]["y"][3] is None
    assert traces[1]["yaxis"] == "y2"
    assert traces[0]["x"][0] == "2020-01-01"
    assert spec["layout"]["shapes"][0]["x0"] == "2020-01-15"


def test_write_produces_every_artifact(tmp_path: Path, document: ReportDocument) -> None:
    written = document.write(tmp_path)
    page = written["html"].read_text(encoding="utf-8")
    # plotly.js inlined: no script or stylesheet is loaded from anywhere
    assert "<script src" not in page and "<link" not in page
    assert len(page) > 3_000_000
    assert page.count("Plotly.newPlot") == 1
    assert 'data-key="tp.latest">0.50<' in page
    assert "&amp; rose" in page  # prose escaped
    payload = json.loads((tmp_path / "findings.json").read_text())
    assert payload["findings"]["corr.mean"]["display"] == "-0.312"
    assert payload["findings"]["missing"]["value"] is None
    assert payload["findings"]["missing"]["reason"] == "no data"
    assert payload["settings"]["nan"] is None
    csv = pd.read_csv(tmp_path / "data" / "tp.csv", index_col=0)
    assert csv.shape == (50, 2)
    assert (tmp_path / "figures" / "tp.png").stat().st_size > 5_000
    assert (tmp_path / "data" / "era_table.csv").exists()


@pytest.mark.browser
def test_page_renders_offline_in_chromium(tmp_path: Path, document: ReportDocument) -> None:
    written = document.write(tmp_path, png=False)
    seen = render(written["html"], screenshot=tmp_path / "shot.png")
    assert seen.console_errors == []
    assert seen.blocked_requests == []
    assert [c["rendered"] for c in seen.charts] == [True, True]
    assert seen.charts[0]["traces"] == [
        {"name": "yield", "points": 50},
        {"name": "term premium", "points": 49},
    ]
    findings = json.loads((tmp_path / "findings.json").read_text())["findings"]
    assert seen.findings == {key: findings[key]["display"] for key in seen.findings}
    assert set(seen.findings) == {"tp.latest", "corr.mean", "missing"}


def test_two_axis_png_draws_each_line_in_its_own_colour(tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    from ustpull.report.document import _write_pngs

    days = pd.date_range("2020-01-01", periods=200, freq="D")
    frame = pd.DataFrame(
        {"dollar index": np.linspace(90, 110, 200), "10-year yield": np.linspace(4, 1, 200)},
        index=days,
    )
    chart = Chart("two_axes", "Two axes", frame, "index", secondary=("10-year yield",),
                  secondary_title="percent")  # fmt: skip
    pixels = mpimg.imread(_write_pngs([chart], tmp_path) / "two_axes.png")[..., :3]

    def count(hex_colour: str) -> int:
        rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        return int((np.abs(pixels - rgb).max(axis=-1) < 0.08).sum())

    # matplotlib's first two cycle colours: the left-axis line and the right-axis line
    assert count("#1f77b4") > 200 and count("#ff7f0e") > 200


def test_table_shows_counts_as_integers_and_headers_in_words() -> None:
    from ustpull.report.document import _table_html

    frame = pd.DataFrame(
        {"annual_return_pct": [8.974, 1.0], "months": [761.0, 768.0], "n_low": [2999.0, 3.0],
         "sharpe": [0.433, 2.0], "score": [12.0, 7.0]},
        index=pd.Index(["portfolio", "bonds"], name="strategy"),
    )  # fmt: skip
    page = _table_html(Table("t", "T", frame, units={"score": "count"}))
    assert "<th>strategy</th><th>annual return (%)</th><th>months</th><th>n low</th>" in page
    assert "<td>8.974</td><td>761</td><td>2,999</td><td>0.433</td><td>12</td>" in page
    # a measured value that happens to be whole keeps its decimals
    assert "<td>1.000</td><td>768</td><td>3</td><td>2.000</td><td>7</td>" in page
    # a table without a named index shows no row numbers
    plain = _table_html(Table("p", "P", frame.reset_index(drop=True)))
    assert "<td>0</td>" not in plain and plain.count("<th>") == 5
