"""The stocks section (issue 16, points 2-4): intervals on every finding, words from intervals.

Read from the offline report built once per session (``tests/report/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

from ustpull.report.document import NO_INTERVAL

NEW_KEYS = {
    "stocks.corr_2020_latest",
    "stocks.corr_2000_2019",
    "stocks.corr_diff_recent_vs_2000_2019",
    "stocks.corr_monthly_2020_latest",
    "stocks.dcc_latest",
    "stocks.regime_corr_low",
    "stocks.regime_corr_high",
    "stocks.regime_duration_low",
    "stocks.regime_duration_high",
    "stocks.inflation_corr_diff_2",
    "stocks.inflation_corr_diff_2_5",
    "stocks.inflation_corr_diff_3",
    "stocks.inflation_corr_diff_3_5",
    "stocks.inflation_corr_diff_4",
    "stocks.growth_latest",
    "stocks.erp_growth_latest",
    "stocks.selloff_2022_smoothed_risk_premium",
}


def _stocks(findings: dict[str, object]) -> dict[str, dict[str, object]]:
    items = findings["findings"]
    assert isinstance(items, dict)
    return {k: v for k, v in items.items() if k.startswith("stocks.")}


def test_every_stocks_finding_has_an_interval_or_a_specific_note(
    findings: dict[str, object],
) -> None:
    stocks = _stocks(findings)
    assert set(stocks) >= NEW_KEYS
    for key, item in stocks.items():
        ci = item["ci"]
        if ci is None:
            assert item["ci_note"] not in (None, "", NO_INTERVAL), key
            continue
        assert isinstance(ci, list) and item["ci_method"], key
        low, high = ci
        assert low <= item["value"] <= high, key


def test_residual_parts_say_so_and_correlations_carry_their_method(
    findings: dict[str, object],
) -> None:
    stocks = _stocks(findings)
    for key in ("stocks.selloff_2022_risk_premium", "stocks.erp_growth_latest"):
        assert "residual of the identity" in str(stocks[key]["ci_note"])
    assert "block bootstrap" in str(stocks["stocks.corr_diff_recent_vs_2000_2019"]["ci_method"])
    assert "Newey-West" in str(stocks["stocks.corr_2020_latest"]["ci_method"])
    assert "Lo (2002)" in str(stocks["stocks.sharpe_6040_3y"]["ci_method"])


def test_significance_words_follow_the_interval(
    findings: dict[str, object], report_dir: Path
) -> None:
    diff = _stocks(findings)["stocks.corr_diff_recent_vs_2000_2019"]
    low, high = diff["ci"]  # type: ignore[misc]
    excludes_zero = low > 0.0 or high < 0.0
    summary = " ".join(findings["summary"])  # type: ignore[arg-type]
    assert ("not significant" not in summary.split("Stocks:")[1].split(";")[0]) == excludes_zero
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    for chart in ("stock_bond_dcc", "stock_bond_regime_probability", "ddm_smoothed"):
        assert chart in html
    for table in ("stock_bond_breaks", "stock_bond_inflation_thresholds"):
        assert table in html
