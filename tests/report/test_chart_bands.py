"""Intervals are filled bands, not lines: the dashboard's rolling band and every other band
of the built report, in the interactive chart (plotly ``fill="tonexty"``) and in its PNG."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ustpull.charts import PALETTE

BOUND = re.compile(r"\((?:low|high)\)|, (?:low|high)$|\b(?:lower|upper)\b")


@pytest.fixture(scope="module")
def specs(report_dir: Path) -> dict[str, dict[str, Any]]:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    found = re.search(r"const USTPULL_CHARTS=(\{.*?\});for\(", page, re.S)
    assert found is not None
    charts: dict[str, dict[str, Any]] = json.loads(found.group(1).replace("<\\/", "</"))
    return charts


def test_no_interval_bound_is_drawn_as_a_line(specs: dict[str, dict[str, Any]]) -> None:
    bounds = {
        chart_id: [t["name"] for t in spec["data"] if BOUND.search(t.get("name", ""))]
        for chart_id, spec in specs.items()
    }
    assert sum(map(len, bounds.values())) >= 10  # the pull panels, co-movement, TCI, NET ...
    for chart_id, spec in specs.items():
        for trace in spec["data"]:
            if trace.get("type") == "scatter" and BOUND.search(trace.get("name", "")):
                # an invisible edge: the band's low edge, filled up to by its high edge
                assert trace["line"]["width"] == 0, (chart_id, trace["name"])


def test_the_dashboards_rolling_band_is_filled(specs: dict[str, dict[str, Any]]) -> None:
    rolling = [k for k in specs if k.startswith("pull_rolling_")]
    assert len(rolling) >= 5
    for chart_id in rolling:
        traces = specs[chart_id]["data"]
        names = [t["name"] for t in traces]
        # the low edge, the high edge filled down to it, then the total it surrounds
        assert names[:3] == ["total, 95% band (low)", "total, 95% band", "total response"]
        low, high, total = traces[:3]
        assert high["fill"] == "tonexty" and "fill" not in low
        assert high["fillcolor"].startswith("rgba(") and low["showlegend"] is False
        lows, highs, mids = (np.array(t["y"], dtype=float) for t in (low, high, total))
        ok = np.isfinite(lows) & np.isfinite(highs) & np.isfinite(mids)
        assert ok.sum() > 100 and (lows[ok] <= mids[ok]).all() and (mids[ok] <= highs[ok]).all()
    comovement = [t for t in specs["yield_comovement"]["data"] if t.get("fill") == "tonexty"]
    assert [t["name"] for t in comovement] == ["95% band (HAC)"]


def _band_pixels(png: Path, colour: str, alpha: float = 0.18) -> int:
    """Pixels of ``colour`` at ``alpha`` over white (the band's fill), within 3 levels."""
    import matplotlib.image as mpimg
    from matplotlib.colors import to_rgb

    image = mpimg.imread(png)[..., :3]
    expected = 1.0 - alpha * (1.0 - np.array(to_rgb(colour)))
    return int((np.abs(image - expected).max(axis=-1) < 3.0 / 255.0).sum())


def test_the_pngs_fill_the_bands(report_dir: Path) -> None:
    figures = report_dir / "figures"
    for chart_id in ("pull_rolling_us_stocks", "pull_rolling_de_10y", "yield_comovement"):
        # the band takes its trace's colour: the first for the total response; the
        # co-movement average is the ninth trace (after eight markets)
        colour = PALETTE[8] if chart_id == "yield_comovement" else PALETTE[0]
        assert _band_pixels(figures / f"{chart_id}.png", colour) > 5000, chart_id
    # a chart without a band has only a line's anti-aliased edge in that colour (drawn
    # as lines, the rolling band measured 18-53 such pixels)
    assert _band_pixels(figures / "dollar_vs_yield.png", PALETTE[0]) < 500


def test_hover_precision_follows_each_charts_unit(
    specs: dict[str, dict[str, Any]],
) -> None:
    # stocks and the dollar respond in percent (two decimals), yields in bp (one decimal)
    for chart_id, template in (("pull_rolling_us_stocks", "%{y:,.2f}%<extra>"),
                               ("pull_rolling_dollar", "%{y:,.2f}%<extra>"),
                               ("pull_rolling_de_10y", "%{y:,.1f} bp<extra>"),
                               ("connectedness_us_net", "%{y:,.2f} pp<extra>")):  # fmt: skip
        traces = specs[chart_id]["data"]
        assert all(t["hovertemplate"].startswith(template) for t in traces), chart_id
