"""The analysis commands print a short rich summary; ``--json`` prints the payload alone."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from tests.report import _golden
from ustpull.cli._summary import dollar_rows, events_rows, foreign_rows, progress, stocks_rows
from ustpull.cli.main import main


def _rows(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    return {measure: value for measure, value, _ in rows}


def test_stocks_and_foreign_rows_read_the_command_payloads() -> None:
    """Rows built from the golden payloads of `stocks` and `foreign-bonds` (the same JSON
    the commands write): era means, regimes, Sharpe ratios, co-movement."""
    stocks = _rows(stocks_rows(_golden.read("stocks.json")))
    # golden stocks.json: era return correlations with their HAC intervals (the report's
    # stocks.corr_* findings), not the era means of the rolling correlation (no interval);
    # the 3% HAC threshold row (CPI lagged one month; French's daily total return, as the
    # report): low inflation -0.167 [-0.216, -0.117]
    assert stocks["stock-bond return correlation, 2000-2007 (daily)"] == "-0.28 [-0.34, -0.21]"
    assert not any("mean of 252-day" in label for label in stocks)
    change = "change of the daily return correlation, 2020-latest minus 2000-2019"
    assert stocks[change] == "0.30 [0.15, 0.48]"  # stationary block bootstrap
    assert stocks["return correlation, low inflation"] == "-0.17 [-0.22, -0.12]"
    # last 36 months with Lo (2002) intervals (golden sharpe_last_window): the report's
    # stocks.sharpe_6040_3y and stocks.sharpe_stocks_3y
    assert stocks["Sharpe ratio, portfolio, last 36 months"] == "0.59 [-0.59, 1.77]"
    assert stocks["Sharpe ratio, stocks, last 36 months"] == "0.90 [-0.29, 2.09]"
    foreign = _rows(foreign_rows(_golden.read("foreign-bonds.json")))
    # month-end changes with 95% intervals (golden comovement_us findings), not the retired
    # average of eight OECD monthly averages (0.62)
    headline = "Average correlation with the U.S. of monthly 10-year yield changes, DE, JP, UK"
    assert foreign[f"{headline}, since 1990"] == "0.58 [0.52, 0.62]"
    germany = "DE: correlation with the U.S. of monthly 10-year yield changes, since 1990"
    assert foreign[germany] == "0.71 [0.66, 0.77]"
    assert not any(label.startswith("average correlation") for label in foreign)
    # weekly changes (one synchronous builder: Golden Week 2019 is no longer one week), with
    # the residual-bootstrap interval of golden total_ci
    assert foreign["Diebold-Yilmaz total connectedness (%)"] == "50.7 [48.5, 53.0]"
    dollar = _rows(dollar_rows(_golden.read("dollar.json")))
    # the report's dollar.corr_yield: 0.170 [0.120, 0.225]
    assert dollar["weekly correlation with yield"] == "0.17 [0.12, 0.23]"
    assert dollar["weekly correlation with term premium"] == "-0.01 [-0.06, 0.04]"
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
    assert "weekly correlation with yield" in table and "0.17 [0.12, 0.23]" in table
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
    last = stocks["sharpe_last_window"]["table"][0]
    sample = rows["Sharpe ratio, portfolio, last 36 months"][1]
    assert sample == f"{int(last['nobs'])} months to {last['end'][:10]}" and ".0" not in sample
    dollar = dollar_rows(_golden.read("dollar.json"))
    counts = r"[\d,]+ months"
    assert all(re.fullmatch(counts, sample) for _, _, sample in dollar[-3:])


def test_events_rows_put_announcement_tests_first_with_intervals() -> None:
    """The named days' U.S. 10-year moves with their scores, variance ratios, responses per
    bp of surprise and identified responses beside OLS (95% intervals), then the narrative
    windows as context (golden events.json; the report's events.* findings)."""
    rows = events_rows(_golden.read("events.json"))
    values = _rows(rows)
    assert values["2013-05-22: U.S. 10-year, 1-day move (bp)"] == "9.0"
    assert values["2013-06-19: U.S. 10-year, 2-day move (bp)"] == "21.0"
    samples = {measure: sample for measure, _, sample in rows}
    assert samples["2013-06-19: U.S. 10-year, 2-day move (bp)"].startswith("z 3.29, larger than")
    assert values["variance ratio, FOMC days, U.S. 10-year, 1-day"] == "1.41 [1.13, 1.77]"
    assert values["variance ratio, BoE days, U.S. 10-year, 1-day"] == "1.31 [1.00, 1.71]"
    assert values["U.S. 10-year response per bp of gss_MP1 surprise"] == "0.12 [-0.09, 0.32]"
    identified = "Bund 10-year per bp of U.S. 10-year, identified (Rigobon-Sack)"
    assert values[identified] == "0.19 [-0.01, 0.83]"
    assert values["Bund 10-year per bp of U.S. 10-year, OLS, not identified"] == "0.45 [0.43, 0.48]"
    taper = "context: taper-tantrum window, U.S. 10-year change (bp)"
    assert values[taper] == "79.0"
    measures = [measure for measure, _, _ in rows]
    first_context = min(i for i, m in enumerate(measures) if m.startswith("context:"))
    assert all(m.startswith("context:") for m in measures[first_context:])
    assert first_context >= 10  # every test row comes before the context
