"""Issue 16 in the foreign-bond, dollar, connectedness and event sections (real data).

Recipes: the offline report of the shared data (``report_store``/``findings`` fixtures);
co-movement ``CoMovement`` defaults (seed 0, 999 draws, DE+JP+UK headline, UK on the OECD
fallback); dollar shape tests ``ShapeTest`` episode bootstrap (1999 draws, seed 0) on month-end
log returns of the spliced dollar index, payroll-growth terciles, VIX risk-off, discretionary
fiscal stance (epsilon 0.35); FOMC days since 1990 = scheduled meetings, GSS dates and
2013-05-22, 60-day trailing volatility; Rigobon-Sack on two-day changes, 999 draws, seed 0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ustpull.report.document import NO_INTERVAL
from ustpull.studies import StudySettings, load_study_data, run_dollar, run_events

PREFIXES = ("foreign.", "comovement.", "dollar.", "fiscal.", "events.", "connectedness.")


def _mine(findings: dict[str, object]) -> dict[str, dict[str, object]]:
    items = findings["findings"]
    assert isinstance(items, dict)
    return {k: v for k, v in items.items() if k.startswith(PREFIXES)}


def test_every_finding_has_an_interval_or_a_specific_note(findings: dict[str, object]) -> None:
    mine = _mine(findings)
    assert len(mine) > 60
    bare = [k for k, f in mine.items() if f["ci"] is None and f.get("ci_note") == NO_INTERVAL]
    assert bare == []
    for key, item in mine.items():
        if item["ci"] is not None:
            low, high = item["ci"]  # type: ignore[misc]
            assert low <= high and item["ci_method"], key


def test_old_comovement_and_nber_findings_are_retired(findings: dict[str, object]) -> None:
    mine = _mine(findings)
    retired = ["foreign.corr_avg_since_1990", "foreign.corr_avg_recent",
               "dollar.smile_recession", "dollar.frown_loose"]  # fmt: skip
    assert [k for k in retired if k in mine] == []


def test_comovement_headline_numbers(findings: dict[str, object]) -> None:
    mine = _mine(findings)
    since = mine["comovement.headline_average.since_1990"]
    assert since["value"] == pytest.approx(0.578, abs=1e-3)
    assert since["ci"] == pytest.approx([0.524, 0.625], abs=1e-3)
    change = mine["comovement.headline_average.change"]
    assert change["value"] == pytest.approx(0.170, abs=1e-3)
    assert change["ci"][0] < 0 < change["ci"][1]  # type: ignore[index]
    # the euro-area aggregate is listed, never in the headline
    assert "EA" not in str(since["definition"]).split(";")[0]
    # weekly (synchronous) Diebold-Yilmaz: 50.7 against 37.7 on daily changes
    assert mine["foreign.spillover_total"]["value"] == pytest.approx(50.69, abs=0.01)


def test_significant_only_from_intervals(findings: dict[str, object]) -> None:
    summary = " ".join(findings["summary"])  # type: ignore[arg-type]
    # the co-movement rise and every dollar shape have intervals holding zero
    assert "change from 1990-1999 is not significant: its 95% interval includes zero" in summary
    assert summary.count("no shape: the 95% interval of the curvature") == 3
    assert "smile holds" not in summary and "frown holds" not in summary
    # spillover is said only of identified estimates
    for sentence in findings["summary"]:  # type: ignore[union-attr]
        if "spillover" in sentence.lower():
            assert "identified spillover" in sentence, sentence


@pytest.fixture(scope="module")
def data(report_store: Path):  # type: ignore[no-untyped-def]
    return load_study_data(StudySettings(), store=report_store, ingest=False)


def test_dollar_shape_tests_real(data) -> None:  # type: ignore[no-untyped-def]
    results, notes = run_dollar(data.columns("dollar"), StudySettings(term_premium=False))
    assert notes == []
    shapes = results.shapes
    assert shapes is not None and shapes.growth is not None and shapes.fiscal is not None
    growth = shapes.growth.contrasts.loc["curvature"]
    # payroll states 1986-2026: 19/26/9 episodes; curvature -0.257 [-0.909, +0.395]
    # (Satterthwaite t(13.2); with t(G_min - 1) = t(8) it was [-0.925, +0.411])
    assert shapes.growth.means["episodes"].tolist() == [19, 26, 9]
    assert (growth["estimate"], growth["ci_low"], growth["ci_high"]) == pytest.approx(
        (-0.2572, -0.9090, 0.3945), abs=1e-4
    )
    assert growth["dof"] == pytest.approx(13.2, abs=0.05)
    assert shapes.growth.verdict == "no shape"
    # only the low-vs-mid growth gap is significant (its interval excludes zero)
    assert shapes.growth.contrasts.loc["low_minus_mid", "ci_high"] < 0
    fiscal = shapes.fiscal.contrasts.loc["curvature"]
    assert fiscal["estimate"] == pytest.approx(-0.0380, abs=1e-4)
    assert shapes.fiscal.verdict == "no shape"
    assert shapes.risk_off is not None and "VIX" in shapes.risk_source
    assert shapes.stance is not None and str(shapes.stance.data_through) == "2024Q3"


def test_dollar_shape_tests_without_their_series(data) -> None:  # type: ignore[no-untyped-def]
    frame = data.columns("dollar").drop(columns=["us.payrolls", "us.vix", "us.fiscal.interest"])
    results, notes = run_dollar(frame, StudySettings(term_premium=False))
    shapes = results.shapes
    assert shapes is not None and shapes.fiscal is None
    # industrial production stands in for payrolls; NFCI for the VIX
    assert "industrial production" in shapes.growth_source and shapes.risk_source == "NFCI above 0"
    assert notes == ["Dollar: shape tests not run for lack of data: fiscal"]


def test_announcement_days_real(data) -> None:  # type: ignore[no-untyped-def]
    results = run_events(data.columns("event studies"), StudySettings())
    announcements = results.announcements
    assert announcements is not None
    june = announcements.scores("2013-06-19")
    # DGS10 +21 bp over two days, larger than 98.9% of non-event two-day moves (z 3.29)
    assert june.loc["us.cmt.10y", ("2d", "move")] == pytest.approx(21.0)
    assert june.loc["us.cmt.10y", ("2d", "rank_pct")] == pytest.approx(98.9, abs=0.05)
    # Frankfurt and Tokyo close before the 14:00 New York statement: their one-day cells are
    # not applicable (the Bund's "move" was 1.571 -> 1.562, -0.9 bp, before the news); over two
    # days the Bund rose 1.571 -> 1.664 = +9.3 bp, the JGB 0.820 -> 0.834 = +1.4 bp
    # (intl/germany_govt_yields_daily_1988_2024.csv, intl/japan_10y_jgb_daily_1986_2026.csv)
    assert set(announcements.closed_before) >= {"de.govt.10y", "jp.jgb.10y"}
    assert "us.cmt.10y" not in announcements.closed_before
    assert june.loc[["de.govt.10y", "jp.jgb.10y"], "1d"].isna().all().all()
    assert june.loc["de.govt.10y", ("2d", "move")] == pytest.approx(9.3, abs=1e-9)
    assert june.loc["jp.jgb.10y", ("2d", "move")] == pytest.approx(1.4, abs=1e-9)
    assert "de.govt.10y" not in announcements.responses["jk_MP_pm"].table.index
    may = announcements.scores(pd.Timestamp("2013-05-22"))
    assert may.loc["us.cmt.10y", ("1d", "z")] == pytest.approx(2.334, abs=1e-3)
    jk = announcements.responses["jk_MP_pm"].table.loc["us.cmt.10y"]
    assert jk["per_bp"] == pytest.approx(0.2567, abs=1e-4)
    # HC3 errors, Bell-McCaffrey t: [-0.0003, 0.514], just not significant at 5% (HC1 with
    # normal critical values gave [0.047, 0.467]; it covered 85-93% by simulation)
    assert jk["ci_low"] == pytest.approx(-0.0003, abs=1e-4)
    assert jk["ci_high"] == pytest.approx(0.5136, abs=1e-4)
    table = announcements.identification_table()
    # identified Bund response 0.19 [-0.01, 0.83] (circular blocks of 221 two-day windows,
    # basic interval) against OLS co-movement 0.45 [0.43, 0.48]: the interval holds the OLS beta
    bund = table.loc[("de.govt.10y", "rigobon_sack")]
    assert bund["beta"] == pytest.approx(0.188, abs=1e-3)
    assert (bund["ci_low"], bund["ci_high"]) == pytest.approx((-0.0141, 0.8287), abs=1e-3)
    assert bund["block_length"] == 221
    assert table.loc[("de.govt.10y", "ols_all_days"), "beta"] == pytest.approx(0.454, abs=1e-3)
    # without the FOMC series only the narrative windows run
    narrative = data.columns("event studies").drop(columns=["us.fomc.scheduled"])
    assert run_events(narrative, StudySettings()).announcements is None
