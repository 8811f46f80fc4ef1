"""The ``ustpull stocks`` command: JSON tables from the store, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ustpull.cli.main import main


def test_stocks_writes_every_table(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "stocks.json"
    code = main(
        ["stocks", "--data-dir", str(shared_data), "--output", str(output), "--break", "2020-01-01"]
    )
    assert code == 0, capsys.readouterr().err
    tables = json.loads(output.read_text())
    assert set(tables) == {
        "correlation_daily",
        "correlation_monthly",
        "correlation_daily_cmt",
        "inflation_regimes",
        "dividend_discount",
        "price_decompositions",
        "sixty_forty",
        "term_premium_response",
        "stock_bond_regimes",
        "smoothed_valuation",
        "sharpe_last_window",
    }
    eras = tables["correlation_daily"]["eras"]
    assert [era["era"] for era in eras] == ["start..2019-12-31", "2020-01-01..latest"]
    # the report's stocks.corr_mean_2020_latest (golden findings.json, -0.05553): French's
    # daily total return through 2025-06-30, the report's series (was -0.0603 on the S&P 500
    # close through 2025-10-03, before the command read the stocks recipe)
    assert eras[1]["mean"] == pytest.approx(-0.0555, abs=1e-4)
    # the era's return correlation with its 95% HAC interval: the report's
    # stocks.corr_2020_latest, -0.069 [-0.182, 0.046]
    assert eras[1]["return_correlation"] == pytest.approx(-0.0688, abs=1e-4)
    assert eras[1]["return_ci_low"] == pytest.approx(-0.1816, abs=1e-4)
    assert eras[1]["return_ci_high"] == pytest.approx(0.0458, abs=1e-4)
    # the retired tests are labelled, not top-level statistics
    daily = tables["correlation_daily"]
    assert "regime_test" not in daily and "markov" not in daily
    assert daily["retired"]["status"] == "retired"
    response = tables["term_premium_response"]["by_era"]["2020-latest"]
    assert [row["regressor"] for row in response] == ["const", "d_expected_rate", "d_term_premium"]
    assert response[2]["t"] < -3  # the term-premium part after 2020
    selloff = tables["price_decompositions"][0]
    parts = selloff["earnings"] + selloff["real_rate"] + selloff["risk_premium"]
    assert parts == pytest.approx(selloff["total"], abs=1e-12)
    # second run reads the store without --data-dir
    code = main(
        [
            "stocks",
            "--output",
            str(output),
            "--inflation-proxy",
            "trailing_36m",
            "--no-term-premium",
        ]
    )
    assert code == 0
    tables = json.loads(output.read_text())
    assert tables["dividend_discount"]["inflation_proxy"] == "trailing_36m"
    assert tables["term_premium_response"] is None


def test_stocks_bad_option_is_a_usage_error(
    tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "stocks.json"
    code = main(["stocks", "--output", str(output), "--inflation-proxy", "median"])
    assert code == 2
    assert "'median' is not one of 'trailing_12m', 'trailing_36m'" in capsys.readouterr().err
    assert not output.exists()


def test_stocks_break_outside_the_sample_is_a_usage_error(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a break after the data's end used to write an empty era (n = 0, null statistics)
    output = tmp_path / "stocks.json"
    code = main(
        [
            "stocks",
            "--data-dir",
            str(shared_data),
            "--output",
            str(output),
            "--break",
            "2030-01-01",
            "--no-term-premium",
        ]
    )
    assert code == 2
    assert "era break 2030-01-01 lies outside the sample 1962-01-02.." in capsys.readouterr().err
    assert not output.exists()
