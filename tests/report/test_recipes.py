"""Recipes: candidates in order, transforms, the plan without downloads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.report.build import report_plan
from ustpull.sources.catalog import default_catalog
from ustpull.studies import study_recipes
from ustpull.studies.data import downloads
from ustpull.studies.recipes import Candidate, Need, Recipe, plan, resolve


def test_return_index_chains_percent_returns() -> None:
    # 1 %, -2 %, (holiday), 0.5 %: 100 * 1.01 = 101, * 0.98 = 98.98, * 1.005 = 99.4749
    days = pd.date_range("2024-01-01", periods=4)
    data = pd.DataFrame({"us.ff.mkt.daily": [1.0, -2.0, np.nan, 0.5]}, index=days)
    recipe = Recipe("stocks", (Need("us.sp500", (Candidate("us.ff.mkt.daily", "return_index"),)),))
    frame = resolve(recipe, ["us.ff.mkt.daily"]).frame(data)
    expected = [101.0, 98.98, np.nan, 99.4749]
    np.testing.assert_allclose(frame["us.sp500"].to_numpy(), expected, rtol=0, atol=1e-12)


def test_first_present_candidate_wins_and_optional_gaps_are_left_out() -> None:
    recipe = Recipe(
        "dollar",
        (
            Need("jp.jgb.10y", (Candidate("jp.jgb.10y"), Candidate("jp.mof.par.10y"))),
            Need("fx.dxy", (Candidate("fx.dxy"),), optional=True),
            Need("fx.usd_broad", (Candidate("fx.usd_broad"),)),
        ),
    )
    resolution = resolve(recipe, ["jp.mof.par.10y", "jp.jgb.10y", "fx.usd_broad"])
    assert resolution.chosen["jp.jgb.10y"] == Candidate("jp.jgb.10y")  # order, not presence
    fallback = resolve(recipe, ["jp.mof.par.10y"])
    assert fallback.chosen["jp.jgb.10y"] == Candidate("jp.mof.par.10y")
    assert fallback.missing == ["fx.usd_broad"]  # DXY is optional: not missing
    data = pd.DataFrame({"jp.mof.par.10y": [1.0]}, index=pd.DatetimeIndex(["2024-01-02"]))
    assert list(fallback.frame(data).columns) == ["jp.jgb.10y"]
    assert fallback.notes() == ["jp.jgb.10y: filled from jp.mof.par.10y"]


def test_plan_of_an_empty_store_names_publishers_and_urls(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("USTPULL_ONLINE_BASE_URL", raising=False)
    monkeypatch.delenv("USTPULL_FRED_BASE_URL", raising=False)
    rows = report_plan(store=tmp_path / "none.duckdb")  # type: ignore[operator]
    by_key = {(r.analysis, r.column): r for r in rows}
    equity = by_key[("stocks", "us.sp500")]
    assert (equity.series, equity.source, equity.online, equity.in_store) == (
        "us.ff.mkt.daily", "french", True, False,
    )  # fmt: skip
    assert equity.url == (
        "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
        "F-F_Research_Data_Factors_daily_CSV.zip"
    )
    jgb = by_key[("dollar", "jp.jgb.10y")]
    assert (jgb.series, jgb.source) == ("jp.mof.par.10y", "mof")
    ten = by_key[("stocks", "us.cmt.10y")]
    assert ten.url == "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10"
    # offline (--data-dir): the local catalog entries instead
    local = plan(study_recipes(), [], catalog=default_catalog(), online=False)
    dxy = next(r for r in local if r.analysis == "dollar" and r.column == "fx.dxy")
    assert (dxy.source, dxy.online) == ("local:dxy", False)
    assert dxy.url is not None and dxy.url.startswith("fx/")
    # every needed series from a catalogued file, none from a publisher (the GSW curve too)
    assert all(r.source.startswith("local:") for r in local if not r.optional and r.source)
    assert not any(r.online for r in local)
    gsw = next(r for r in local if r.column == "us.gsw.zero.1y")
    assert (gsw.source, gsw.url) == (
        "local:gsw_zero_1961_2023",
        "gsw/gsw_zero_yields_daily_1961_2023.csv",
    )


def test_downloads_keep_every_online_fallback() -> None:
    """A preferred series that fails leaves its fallback: both equity series are fetched."""
    wanted = downloads(study_recipes())
    assert "us.ff.mkt.daily" in wanted["french"] and "us.sp500" in wanted["fred"]
    assert "jp.mof.par.10y" in wanted["mof"]
    assert "fx.dxy" not in {s for ids in wanted.values() for s in ids}  # ICE: not online


def test_findings_name_the_sources_of_their_analysis() -> None:
    from ustpull.report.document import Finding
    from ustpull.report.sections import _with_sources

    provenance = pd.DataFrame(
        [
            ("term premia", "us.gsw.zero.10y", "us.gsw.zero.10y", "gsw", True),
            ("term premia", "ch.snb.zero.10y", "ch.snb.zero.10y", "snb", False),
            ("stocks", "us.sp500", "us.ff.mkt.daily", "french", True),
            ("foreign bonds", "oecd.10y.mx", "oecd.10y.mx", "fred", False),
        ],
        columns=["analysis", "column", "series", "source", "required"],
    )
    items = [
        Finding("stocks.corr", "c", 0.1, "correlation", "d", "w", "2024-01-02"),
        Finding("foreign.beta", "b", 0.5, "ratio", "d", "w", "2024-01-02"),
    ]
    stocks, foreign = _with_sources(items, provenance)
    # stocks: its own series and the U.S. curve of the term premium, not the Swiss curve
    assert stocks.sources == ("french: us.ff.mkt.daily", "gsw: us.gsw.zero.10y")
    assert foreign.sources == (
        "fred: oecd.10y.mx", "gsw: us.gsw.zero.10y", "snb: ch.snb.zero.10y",
    )  # fmt: skip
    assert stocks.to_dict()["sources"] == list(stocks.sources)
