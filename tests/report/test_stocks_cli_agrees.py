"""``ustpull stocks`` and the report give one number for each stocks statistic.

The CLI used to load the bare ``us.sp500`` column (the S&P 500 price close, through
2026-08-21, so with the GSW zero the sample ran to 2025-10-03), while the report fills that
column by the stocks recipe (:data:`ustpull.studies.recipes.PREFERENCES`): Kenneth French's
daily market total return chained into an index, which ends 2025-06-30. The same correlation
split at 3% lagged CPI inflation was then -0.1549 / +0.1142 (difference 0.2691, 6,328 and
7,160 days) in the CLI and -0.1670 / +0.0992 (0.2662; 6,264 and 7,157 days) in the report.
Both now read the study's columns through :func:`ustpull.studies.load_study_frame`.

Read from the offline report built once per session (``tests/report/conftest.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ustpull.cli.main import main
from ustpull.studies import load_study_frame

from ._golden import GOLDEN

LABELS = {2.0: "2", 2.5: "2_5", 3.0: "3", 3.5: "3_5", 4.0: "4"}
"""Threshold (percent) -> suffix of its ``stocks.inflation_corr_diff_*`` finding."""


def _findings(document: dict[str, object]) -> dict[str, dict[str, object]]:
    items = document["findings"]
    assert isinstance(items, dict)
    return items


def _assert_thresholds_agree(cli: dict[str, object], findings: dict[str, object]) -> None:
    """Every inflation-threshold row of the CLI's JSON equals the report's finding, bit for
    bit (value and interval), and the chart's 3% test is the 3% row."""
    items = _findings(findings)
    regimes = cli["stock_bond_regimes"]
    assert isinstance(regimes, dict)
    rows = {row["threshold_pct"]: row for row in regimes["inflation_thresholds"]}
    assert set(rows) == set(LABELS)
    for tau, label in LABELS.items():
        finding = items[f"stocks.inflation_corr_diff_{label}"]
        row = rows[tau]
        assert row["difference"] == finding["value"], tau
        assert [row["difference_ci_low"], row["difference_ci_high"]] == finding["ci"], tau
    inflation = cli["inflation_regimes"]
    assert isinstance(inflation, dict)
    assert inflation["test"]["difference"] == items["stocks.inflation_corr_diff_3"]["value"]


def test_golden_cli_and_report_agree() -> None:
    """The golden outputs (the CLI and the report on the shared data, recipe in
    ``_golden.py``; ``test_golden_outputs`` pins them to the code) hold one number each."""
    cli = json.loads((GOLDEN / "stocks.json").read_text(encoding="utf-8"))
    findings = json.loads((GOLDEN / "findings.json").read_text(encoding="utf-8"))
    _assert_thresholds_agree(cli, findings)
    items = _findings(findings)
    for era in cli["stock_bond_regimes"]["era_correlations"]:
        key = f"stocks.corr_{era['era'].replace('-', '_')}"
        assert era["correlation"] == items[key]["value"], key
    # 3% row: the report's numbers (stock_bond_inflation_regimes.csv), not the S&P 500's
    row = next(
        r for r in cli["stock_bond_regimes"]["inflation_thresholds"] if r["threshold_pct"] == 3
    )
    assert (row["n_low"], row["n_high"]) == (6264, 7157)
    assert row["corr_low"] == pytest.approx(-0.16695, abs=1e-5)
    assert row["corr_high"] == pytest.approx(0.09922, abs=1e-5)


def test_stocks_command_reads_the_reports_series(report_store: Path) -> None:
    """The CLI's data route on the report's own store fills ``us.sp500`` as the report did."""
    frame, resolution = load_study_frame("stocks", store=report_store, extra=["us.gsw.zero.1y"])
    pick = resolution.chosen["us.sp500"]
    assert pick is not None and pick.series == "us.ff.mkt.daily"
    assert resolution.includes_dividends
    equity = frame["us.sp500"].dropna()
    # French's daily file (CRSP 202506): 1926-07-01 .. 2025-06-30, index 100 chained
    assert (f"{equity.index[0]:%Y-%m-%d}", f"{equity.index[-1]:%Y-%m-%d}") == (
        "1926-07-01",
        "2025-06-30",
    )
    assert frame["us.gsw.zero.1y"].notna().any()  # an extra id rides along as stored


def test_stocks_command_equals_the_report_on_its_store(
    report_store: Path, findings: dict[str, object], tmp_path: Path
) -> None:
    """``ustpull stocks`` on the store the report filled gives the report's numbers (the
    thresholds do not read the term premium, so the CLI's own split is skipped)."""
    output = tmp_path / "stocks.json"
    args = ["stocks", "--store", str(report_store), "--no-term-premium", "--quiet"]
    assert main([*args, "--output", str(output)]) == 0
    _assert_thresholds_agree(json.loads(output.read_text(encoding="utf-8")), findings)
