"""The analysis commands print a short rich summary; ``--json`` prints the payload alone."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from tests.report import _golden
from ustpull.cli._summary import dollar_rows, foreign_rows, progress, stocks_rows
from ustpull.cli.main import main


def _rows(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    return {measure: value for measure, value, _ in rows}


def test_stocks_and_foreign_rows_read_the_command_payloads() -> None:
    """Rows built from the golden payloads of `stocks` and `foreign-bonds` (the same JSON
    the commands write): era means, regimes, Sharpe ratios, co-movement."""
    stocks = _rows(stocks_rows(_golden.read("stocks.json")))
    # golden stocks.json: 1972-1999 era (named after its data) mean 0.3228, 2020-latest era;
    # the 3% HAC threshold row of golden stocks.json (CPI lagged one month): low inflation
    # -0.167 [-0.216, -0.117], the report's stocks.inflation_corr_diff_3 sample (French's
    # daily total return through 2025-06-30, as the report; was the S&P 500 close: -0.155)
    assert stocks["stock-bond correlation, 1972-1999 (mean of 252-day)"] == "0.32"
    assert stocks["return correlation, low inflation"] == "-0.17 [-0.22, -0.12]"
    # golden stocks.json sixty_forty: 0.433 on 761 months of French's total return to
    # 2025-06 (was 0.44 on 769 months of the S&P 500 close plus D/12)
    assert stocks["Sharpe ratio, portfolio"] == "0.43"
    foreign = _rows(foreign_rows(_golden.read("foreign-bonds.json")))
    # month-end changes with 95% intervals (golden comovement_us findings), not the retired
    # average of eight OECD monthly averages (0.62)
    headline = "Average correlation with the U.S. of monthly 10-year yield changes, DE, JP, UK"
    assert foreign[f"{headline}, since 1990"] == "0.58 [0.52, 0.62]"
    germany = "DE: correlation with the U.S. of monthly 10-year yield changes, since 1990"
    assert foreign[germany] == "0.71 [0.66, 0.77]"
    assert not any(label.startswith("average correlation") for label in foreign)
    assert foreign["Diebold-Yilmaz total connectedness (%)"] == "50.7"  # weekly changes
    dollar = _rows(dollar_rows(_golden.read("dollar.json")))
    assert dollar["weekly correlation with yield"] == "0.17"
    # the tested shapes (golden dollar.json shape_tests), not the retired NBER state means
    assert dollar["growth curvature: no shape"] == "-0.26 [-0.91, 0.39]"
    assert not any("annualised" in label for label in dollar)


def test_dollar_json_is_the_payload_and_nothing_else(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "dollar.json"
    args = ["dollar", "--data-dir", str(shared_data), "--no-term-premium", "--quiet"]
    assert main([*args, "--json", "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == json.loads(output.read_text(encoding="utf-8"))
    assert printed.lstrip().startswith("{") and printed.rstrip().endswith("}")
    assert main(args) == 0  # the table: words, units, numbers rounded
    table = capsys.readouterr().out
    assert "The dollar and Treasuries" in table
    assert "weekly correlation with yield" in table and "0.17" in table
    assert "growth curvature: no shape" in table and "-0.26" in table
    assert "{" not in table


def test_termpremium_table_and_json(
    shared_data: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["termpremium", "--data-dir", str(shared_data), "--quiet"]
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["country"] == "US" and payload["last"] >= "2025-09-30"
    latest = payload["latest"]
    # the identity yield = risk-neutral yield + term premium, in percent
    assert latest["yield_10y"] == pytest.approx(
        latest["risk_neutral_10y"] + latest["term_premium_10y"], abs=1e-9
    )
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "10-year term premium (%)" in table
    assert f"{latest['term_premium_10y']:.2f}" in table


def test_progress_is_off_without_a_terminal_or_with_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for quiet in (True, False):  # stderr is captured: not a terminal
        with progress(quiet, 2) as step:
            step("loading data")
        assert capsys.readouterr() == ("", "")
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TERM", "xterm-256color")  # not a dumb terminal, whatever CI sets
    with progress(False, 2) as step:
        step("loading data")
        step("estimating")
    assert capsys.readouterr().out == ""
    shown = terminal.getvalue()
    # a terminal without --quiet gets the bar (the last step's name and the bar's line)
    assert "estimating" in shown and "━" in shown, shown
    with progress(True, 2) as step:
        step("quiet")
    assert terminal.getvalue() == shown  # --quiet: nothing more, even in a terminal


def test_counts_are_integers_and_measures_keep_their_decimals() -> None:
    """Counts (days, months) by their field's unit, not by whether the number is whole: a
    correlation of exactly 0 still prints as 0.00."""
    stocks = _golden.read("stocks.json")
    stocks["inflation_regimes"]["table"][0]["return_correlation"] = 0.0
    rows = {measure: (value, sample) for measure, value, sample in stocks_rows(stocks)}
    value, sample = rows["return correlation, low inflation"]
    n = stocks["inflation_regimes"]["table"][0]["n"]
    assert value.startswith("0.00 [-0.") and value.endswith("]")  # with its 95% interval
    assert sample == f"{int(n):,} days" and ".0" not in sample
    months = stocks["sixty_forty"]["performance"][0]["months"]
    assert rows["Sharpe ratio, portfolio"][1] == f"{int(months):,} months"
    dollar = dollar_rows(_golden.read("dollar.json"))
    counts = r"[\d,]+ months"
    assert all(re.fullmatch(counts, sample) for _, _, sample in dollar[-3:])
