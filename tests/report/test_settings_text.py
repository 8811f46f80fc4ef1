"""A changed StudySettings value reaches the report's text (no hard-coded windows).

The stocks and foreign-bond studies run on the shared data with a half-year daily window,
two-year monthly windows, a 70/30 portfolio, monthly dollar changes, a VAR(3) at horizon 12
over 150 weeks (weekly, synchronous changes by default since issue 16) and a four-year
co-movement window; every label, definition, chart title and paragraph must say so, and none
may keep the defaults' words ("252-day", "60/40", "VAR(2), horizon 10").
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from ustpull.report.document import ReportDocument
from ustpull.report.sections import assemble_document
from ustpull.studies import (
    Studies,
    StudySettings,
    load_study_data,
    run_dollar,
    run_foreign_bonds,
    run_stocks,
)

CHANGED = StudySettings(
    correlation_window_days=126,
    correlation_window_months=24,
    stock_weight=0.7,
    portfolio_window_months=24,
    connectedness_lags=3,
    connectedness_horizon=12,
    connectedness_window=150,
    recent_years=3,
    comovement_window_months=48,
    dollar_frequency="monthly",
    dollar_window=30,
    term_premium=False,
)


@pytest.fixture(scope="module")
def document(report_store: Path) -> ReportDocument:
    data = load_study_data(CHANGED, store=report_store, ingest=False)
    studies = Studies(
        settings=CHANGED,
        data=data,
        term_premia=None,
        stocks=run_stocks(data.columns("stocks"), CHANGED),
        foreign=run_foreign_bonds(data.columns("foreign bonds"), CHANGED),
        linkage_bias_corrected=None,
        connectedness=None,
        dollar=run_dollar(data.columns("dollar"), CHANGED)[0],
        events=None,
        gaps=(),
        notes=(),
    )
    return assemble_document(studies)


def _text(document: ReportDocument) -> str:
    parts = [*document.summary, *document.methodology, json.dumps(document.settings)]
    for section in document.sections:
        parts += [section.title, *section.paragraphs]
        parts += [
            f"{chart.title} | {chart.note} | {list(chart.data.columns)}" for chart in section.charts
        ]
        parts += [table.title for table in section.tables]
    for item in document.findings:
        parts += [item.label, item.definition, item.window]
    return "\n".join(parts)


def test_changed_windows_weights_and_var_reach_the_text(document: ReportDocument) -> None:
    text = _text(document)
    expected = (
        "126-day rolling correlation",  # the daily window, in definitions
        "Mean 126-day rolling stock-bond correlation",  # 126 days is not a whole year
        "Rolling 126-day correlation: S&P 500 vs 10-year Treasury returns",  # chart title
        "Mean 2-year rolling correlation of monthly returns",  # 24 months
        "Mean of the 24-month rolling correlation of monthly",
        "U.S. stocks: the stock-bond correlation, valuation and 70/30",
        "Rolling 2-year Sharpe ratio: 70/30 vs 100% stocks",
        "70/30 Sharpe ratio, last 2 years",
        "Over the last two years 70/30 had a Sharpe ratio",
        "VAR(3), horizon 12",
        "rolling 150-week VAR on weekly (synchronous) yield changes",
        "Rolling 4-year correlation of month-end 10-year yield changes",  # co-movement window
        "rolling 48 months",  # co-movement methodology
        "rolling 126 days",  # methodology
        "Monthly dollar and 10-year yield changes correlate",  # dollar frequency
        "Correlation of monthly dollar and 10-year yield changes",
        "monthly changes, rolling window 30 observations",
    )
    assert [words for words in expected if words not in text] == []
    stale = ("252-day", "60/40", "VAR(2)", "horizon 10,", "200-", "1-year", "3-year", "5-year")
    stale += ("weekly dollar", "Weekly dollar", "Weekly log dollar")
    assert [words for words in stale if words in text] == []


def test_the_settings_table_shows_the_changed_values(document: ReportDocument) -> None:
    assert document.settings["portfolio stock weight"] == 0.7
    assert (
        document.settings["Diebold-Yilmaz"]
        == "VAR(3), horizon 12, rolling window 150 weeks of weekly changes"
    )
    assert replace(CHANGED, stock_weight=0.6).as_dict()["portfolio stock weight"] == 0.6
