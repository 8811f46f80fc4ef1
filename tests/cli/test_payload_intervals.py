"""Issue 16 points 2 and 6 in the analysis commands' JSON: every headline number with its 95%
interval (the report's method, so the numbers equal the report's findings), the retired tests
labelled, announcement days before the narrative windows.

The payloads are the golden outputs (tests/report/golden, the commands' ``--output`` and
``--json``; recipe in tests/report/_golden.py), checked against findings.json of the same run.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy import stats

from tests.report import _golden


def _finding(key: str) -> dict[str, Any]:
    finding: dict[str, Any] = _golden.read("findings.json")["findings"][key]
    return finding


def test_stocks_retired_tests_are_labelled_and_eras_carry_hac_intervals() -> None:
    payload = _golden.read("stocks.json")
    daily = payload["correlation_daily"]
    # no Fisher-z p-value or Markov duration at the top of any correlation block
    for block in ("correlation_daily", "correlation_monthly", "correlation_daily_cmt"):
        assert "regime_test" not in payload[block] and "markov" not in payload[block]
        assert payload[block]["retired"]["status"] == "retired"
    retired = daily["retired"]
    assert "mirror the window" in retired["note"] and "five blocks" in retired["note"]
    # the values are kept for the record, unchanged (golden before the move: 1.4e-25, 0.009);
    # the Markov model of the rolling correlation is off by default (durations 75/105 mirrored
    # the 252-day window)
    assert retired["regime_test"]["fisher_z"]["pvalue"] == pytest.approx(1.4216e-25, rel=1e-4)
    assert retired["regime_test"]["block_bootstrap_mean_rolling"]["pvalue"] == 0.009
    assert retired["markov_on_rolling_correlation"] is None
    # each era's return correlation has the HAC interval of stock_bond_regimes' era table
    # (the report's stocks.corr_* findings): the same numbers
    regimes = {row["era"]: row for row in payload["stock_bond_regimes"]["era_correlations"]}
    for era in daily["eras"]:
        same = regimes[era["era"]]
        assert era["return_correlation"] == pytest.approx(same["correlation"], abs=1e-12)
        assert era["return_ci_low"] == pytest.approx(same["ci_low"], abs=1e-12)
        assert era["return_ci_high"] == pytest.approx(same["ci_high"], abs=1e-12)
    era = daily["eras"][1]
    assert (round(era["return_ci_low"], 3), round(era["return_ci_high"], 3)) == (-0.337, -0.212)
    # the monthly 2020-latest era: the report's stocks.corr_monthly_2020_latest interval
    monthly = payload["correlation_monthly"]["eras"][-1]
    report = _finding("stocks.corr_monthly_2020_latest")
    assert [monthly["return_ci_low"], monthly["return_ci_high"]] == pytest.approx(report["ci"])
    assert monthly["return_ci_low"] < 0 < monthly["return_ci_high"]  # 0.33 [-0.03, 0.61]


def test_stocks_sharpe_ratios_carry_lo_intervals() -> None:
    payload = _golden.read("stocks.json")
    full = payload["sixty_forty"]["performance"][0]
    # Lo (2002) eq. 7 by hand: monthly SR = annual / sqrt(12), se = sqrt((1 + SR^2/2) / T),
    # annualised, Student-t(T - 1) critical value
    months, annual = full["months"], full["sharpe"]
    monthly = annual / math.sqrt(12)
    se = math.sqrt(12) * math.sqrt((1 + monthly**2 / 2) / months)
    crit = stats.t.ppf(0.975, months - 1)
    assert full["sharpe_ci_low"] == pytest.approx(annual - crit * se, rel=1e-9)
    assert full["sharpe_ci_high"] == pytest.approx(annual + crit * se, rel=1e-9)
    assert (round(full["sharpe_ci_low"], 3), round(full["sharpe_ci_high"], 3)) == (0.186, 0.681)
    last = {row["strategy"]: row for row in payload["sharpe_last_window"]["table"]}
    assert payload["sharpe_last_window"]["window_months"] == 36
    assert last["portfolio"]["nobs"] == 36
    # the report's stocks.sharpe_6040_3y: 0.59 [-0.59, 1.77]
    report = _finding("stocks.sharpe_6040_3y")
    assert last["portfolio"]["sharpe"] == pytest.approx(report["value"], abs=1e-12)
    assert [last["portfolio"]["ci_low"], last["portfolio"]["ci_high"]] == report["ci"]


def test_foreign_bond_comovement_has_intervals_and_no_fisher_z() -> None:
    payload = _golden.read("foreign-bonds.json")
    for block in ("comovement_daily", "comovement_monthly"):
        for row in payload[block]["table"]:
            assert "pvalue_change" not in row and "z_change" not in row
            assert row["ci_low"] < row["correlation"] < row["ci_high"]
            assert row["change"] == pytest.approx(row["recent"] - row["earlier"], abs=1e-12)
            assert row["change_ci_low"] < row["change_ci_high"]
            assert "stationary block bootstrap" in row["ci_method"]
    weekly = {row["market"]: row for row in payload["comovement_daily"]["table"]}
    # Germany, weekly changes: 0.665 [0.619, 0.699]; the last five years 0.19 higher
    # [0.13, 0.25] (the Fisher-z p-value was 4e-10)
    germany = weekly["de"]
    assert [round(germany[k], 3) for k in ("correlation", "ci_low", "ci_high")] == [
        0.665,
        0.619,
        0.699,
    ]
    assert [round(germany[k], 2) for k in ("change", "change_ci_low", "change_ci_high")] == [
        0.19,
        0.13,
        0.25,
    ]
    monthly = {row["market"]: row for row in payload["comovement_monthly"]["table"]}
    # Japan, OECD monthly averages: the change's interval holds zero (-0.08 [-0.38, 0.18])
    assert monthly["jp"]["change_ci_low"] < 0 < monthly["jp"]["change_ci_high"]


def test_dollar_correlation_interval_is_the_reports() -> None:
    payload = _golden.read("dollar.json")["comovement"]["full_sample_intervals"]
    report = _finding("dollar.corr_yield")
    assert payload["yield"]["value"] == report["value"]
    assert payload["yield"]["ci"] == report["ci"]  # 0.170 [0.120, 0.225], same bootstrap
    assert payload["yield"]["ci_method"] == report["ci_method"]
    # the term-premium part's interval holds zero: -0.008 [-0.064, 0.043]
    low, high = payload["term_premium"]["ci"]
    assert low < 0 < high and round(low, 3) == -0.064


def test_events_payload_puts_the_reports_announcement_tests_first() -> None:
    payload = _golden.read("events.json")
    assert list(payload)[:3] == ["announcements", "central_banks", "narrative_note"]
    assert "context only" in payload["narrative_note"]
    days = {day["day"]: day for day in payload["announcements"]["named_days"]}
    us = {
        day: next(r for r in d["scores"] if r["series"] == "us.cmt.10y") for day, d in days.items()
    }
    # the report's findings: 9 bp on 2013-05-22 (one day), 21 bp on 2013-06-19 (two days)
    assert us["2013-05-22"]["move_1d"] == _finding("events.day_2013_05_22_us10y_1d")["value"]
    assert us["2013-06-19"]["move_2d"] == _finding("events.day_2013_06_19_us10y_2d")["value"]
    assert round(us["2013-06-19"]["z_2d"], 2) == 3.29
    ratio = next(
        r
        for r in payload["central_banks"]["table"]
        if (r["bank"], r["series"], r["days"]) == ("FOMC", "us.cmt.10y", 1)
    )
    report = _finding("events.var_ratio_fomc_us10y_1d")
    assert ratio["variance_ratio"] == report["value"]
    assert [ratio["ci_low"], ratio["ci_high"]] == report["ci"]  # 1.41 [1.13, 1.77]
    response = next(
        r for r in payload["announcements"]["responses"]["gss_MP1"] if r["series"] == "us.cmt.10y"
    )
    assert [response["ci_low"], response["ci_high"]] == _finding(
        "events.response_us10y_per_bp_gss"
    )["ci"]
    identified = {(r["series"], r["estimator"]): r for r in payload["announcements"]["identified"]}
    bund = identified[("de.govt.10y", "rigobon_sack")]
    assert bund["beta"] == _finding("events.identified_de_per_us")["value"]  # 0.19
    assert [bund["ci_low"], bund["ci_high"]] == _finding("events.identified_de_per_us")["ci"]
    ols = identified[("de.govt.10y", "ols_all_days")]
    assert ols["beta"] == _finding("events.ols_de_per_us")["value"]  # 0.45, beside it
