"""Every chart of the built report (the session fixture's offline report), read back from
``index.html`` and ``figures/*.png``: labels in words, a date-range selector on each time
series, hover precision by unit, coinciding lines distinguishable, two colours on two-axis
PNGs, one labelled era band per era with data, and the inflation-regime chart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ustpull.charts import PALETTE, UNIT_FORMATS, coinciding

SNAKE = re.compile(r"\b[A-Za-z0-9]+_[A-Za-z0-9_]+\b")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def specs(report_dir: Path) -> dict[str, dict[str, Any]]:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    found = re.search(r"const USTPULL_CHARTS=(\{.*?\});for\(", page, re.S)
    assert found is not None, "no chart specifications in index.html"
    charts: dict[str, dict[str, Any]] = json.loads(found.group(1).replace("<\\/", "</"))
    assert len(charts) >= 15
    return charts


def _words(spec: dict[str, Any]) -> list[str]:
    """Every label a reader sees: title, axis and legend titles, trace names, band labels."""
    layout = spec["layout"]
    words = [layout["title"]["text"]]
    for axis in ("xaxis", "yaxis", "yaxis2", "legend", "legend2"):
        words.append(layout.get(axis, {}).get("title", {}).get("text", ""))
    words += [t.get("name", "") for t in spec["data"]]
    words += [a.get("text", "") for a in layout.get("annotations", [])]
    words += [s.get("name", "") for s in layout.get("shapes", [])]
    return words


def test_no_snake_case_in_any_chart(specs: dict[str, dict[str, Any]], report_dir: Path) -> None:
    offenders = {
        chart_id: [w for w in _words(spec) if SNAKE.search(w)] for chart_id, spec in specs.items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    notes = re.findall(
        r'<div class="chart" id="chart-[^"]+"[^>]*></div><p class="note">([^<]*)', page
    )
    assert notes and [n for n in notes if SNAKE.search(n)] == []


def _time_series(spec: dict[str, Any]) -> bool:
    first = spec["data"][0]
    return first.get("type") != "bar" and bool(first["x"]) and bool(DATE.match(str(first["x"][0])))


def test_every_time_series_chart_has_a_range_selector(specs: dict[str, dict[str, Any]]) -> None:
    dated = [k for k, spec in specs.items() if _time_series(spec)]
    assert len(dated) >= 12
    for chart_id in dated:
        buttons = specs[chart_id]["layout"]["xaxis"].get("rangeselector", {}).get("buttons", [])
        assert [b["label"] for b in buttons] == ["1y", "5y", "10y", "all"], chart_id


def test_hover_precision_follows_the_unit(specs: dict[str, dict[str, Any]]) -> None:
    for chart_id, spec in specs.items():
        for trace in spec["data"]:
            template = trace.get("hovertemplate", "")
            assert re.search(r"%\{y:[^}]*\}", template), (chart_id, trace["name"])
            assert ":.6" not in template and ".6f" not in template
    # correlations to 2 decimals, percent to 2 with a % sign, index points to 1
    stock_bond = specs["stock_bond_correlation"]["data"][0]["hovertemplate"]
    assert stock_bond.startswith("%{y:.2f}<extra>")
    assert specs["us_term_premium"]["data"][-1]["hovertemplate"].startswith("%{y:,.2f}%")
    dollar = specs["dollar_vs_yield"]["data"]
    assert dollar[0]["hovertemplate"].startswith(f"%{{y:{UNIT_FORMATS['index'][0]}}}")
    assert dollar[1]["hovertemplate"].startswith("%{y:,.2f}%")


def test_coinciding_lines_are_distinguishable(specs: dict[str, dict[str, Any]]) -> None:
    pairs = 0
    for chart_id, spec in specs.items():
        lines = {
            t["name"]: t
            for t in spec["data"]
            if t.get("mode") == "lines" and t.get("line", {}).get("width", 1) > 0
        }
        frame = pd.DataFrame({name: np.array(t["y"], dtype="float64") for name, t in lines.items()})
        for later, earlier in coinciding(frame).items():
            pairs += 1
            a, b = lines[earlier]["line"], lines[later]["line"]
            assert (a["dash"], a["width"]) != (b["dash"], b["width"]), (chart_id, later)
            assert b["dash"] == "dash" and a["width"] > b["width"], (chart_id, later)
        looks = [(t["line"]["color"], t["line"]["dash"]) for t in lines.values()]
        assert len(looks) == len(set(looks)), chart_id  # colours repeat only with another dash
    assert pairs >= 1  # the stock-bond exact and duration-approximation lines


def _pixels_of(png: Path, hex_colour: str) -> int:
    import matplotlib.image as mpimg

    pixels = mpimg.imread(png)[..., :3]
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=-1) < 0.08).sum())


def test_two_axis_charts_use_two_colours_in_png_and_html(
    specs: dict[str, dict[str, Any]], report_dir: Path
) -> None:
    two_axis = [k for k, spec in specs.items() if "yaxis2" in spec["layout"]]
    assert "dollar_vs_yield" in two_axis
    for chart_id in two_axis:
        spec = specs[chart_id]
        left = [t for t in spec["data"] if t.get("yaxis") != "y2"]
        right = [t for t in spec["data"] if t.get("yaxis") == "y2"]
        left_colour, right_colour = left[0]["line"]["color"], right[0]["line"]["color"]
        assert left_colour != right_colour, chart_id
        assert spec["layout"]["legend2"]["title"]["text"].startswith("right axis"), chart_id
        png = report_dir / "figures" / f"{chart_id}.png"
        assert _pixels_of(png, left_colour) > 500, chart_id
        assert _pixels_of(png, right_colour) > 500, chart_id
    assert {left_colour, right_colour} <= set(PALETTE)


def test_one_labelled_era_band_per_era_with_data(
    specs: dict[str, dict[str, Any]], report_dir: Path
) -> None:
    eras = pd.read_csv(report_dir / "data" / "stock_bond_eras.csv", index_col=0)
    with_data = eras.loc[eras["first"].notna()]
    layout = specs["stock_bond_correlation"]["layout"]
    bands = [s for s in layout["shapes"] if s["type"] == "rect"]
    assert len(bands) == len(with_data) == 4
    labels = [a["text"] for a in layout["annotations"]]
    assert labels == [s["name"] for s in bands]
    # named from their data: the first era's correlations start in 1972, not 1962
    first_year = pd.Timestamp(with_data["first"].iloc[0]).year
    assert first_year == 1972 and labels[0] == "1972-1999"
    assert labels[1:] == ["2000-2007", "2008-2019", "2020-latest"]
    assert len({s["fillcolor"] for s in bands}) == 2  # alternating, not one flat block


def test_inflation_regime_chart_in_the_stocks_section(
    specs: dict[str, dict[str, Any]], report_dir: Path
) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    stocks = page[page.index('<section id="stocks">') :]
    stocks = stocks[: stocks.index("</section>")]
    assert 'id="chart-stock_bond_inflation_regimes"' in stocks
    data = pd.read_csv(report_dir / "data" / "stock_bond_inflation_regimes.csv", index_col=0)
    r = data["correlation of returns"]
    # the HAC threshold row at 3% (stocks.inflation_corr_diff_3; daily S&P 500 vs GSW 10-year
    # zero, CPI y/y lagged one month as published): -0.167 at or below, +0.099 above; the
    # issue's -0.17 / +0.13 used same-month CPI, not known on the day
    assert r.iloc[0] == pytest.approx(-0.167, abs=0.002)
    assert r.iloc[1] == pytest.approx(0.099, abs=0.002)
    assert (data["95% interval (low)"] < r).all() and (r < data["95% interval (high)"]).all()
    bars = specs["stock_bond_inflation_regimes"]["data"][0]
    assert bars["type"] == "bar" and "error_y" in bars
