"""The built report's tables: headers in words, counts as integers, long listings boxed.

Read back from the session fixture's offline report (``index.html``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ustpull.charts import column_unit

TABLE = re.compile(
    r'<table id="table-([^"]+)"><thead><tr>(.*?)</tr></thead><tbody>(.*?)</tbody></table>', re.S
)
# a machine name; a series id such as fx.usd_broad (with its dots) is an identifier, kept
SNAKE = re.compile(r"(?<![.\w])[A-Za-z0-9]+_[A-Za-z0-9_]+(?![.\w])")


@pytest.fixture(scope="module")
def tables(report_dir: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    found = {}
    for table_id, head, body in TABLE.findall(page):
        headers = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", head)]
        rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]
        found[table_id] = (headers, rows)
    assert len(found) >= 25
    return found


def test_counts_print_as_integers(tables: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    counted = 0
    for table_id, (headers, rows) in tables.items():
        for k, header in enumerate(headers):
            if column_unit(header) != "count":
                continue
            cells = [row[k] for row in rows if len(row) == len(headers)]
            counted += len(cells)
            assert [c for c in cells if not re.fullmatch(r"-?[\d,]*", c)] == [], (table_id, header)
    # n, observations, months, episodes ... in the eras, thresholds, 60/40, responses,
    # dollar shapes, identification, fidelity and sources tables
    assert counted > 300
    headers, rows = tables["sixty_forty"]
    months = [row[headers.index("months")] for row in rows]
    assert all(re.fullmatch(r"\d{3}", m) for m in months), months  # e.g. 761, not 761.000
    headers, rows = tables["stock_bond_inflation_thresholds"]
    assert re.fullmatch(r"\d{1,2},\d{3}", rows[0][headers.index("n low")])
    # measured values keep their decimals
    assert re.fullmatch(r"-?\d\.\d{3}", rows[0][headers.index("correlation low")])


def test_no_table_prints_whole_counts_with_decimals(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    for table_id, head, body in TABLE.findall(page):
        headers = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", head)]
        counts = [k for k, h in enumerate(headers) if column_unit(h) == "count"]
        for row in re.findall(r"<tr>(.*?)</tr>", body):
            cells = re.findall(r"<td>(.*?)</td>", row)
            assert not any(re.search(r"\d+\.000\b", cells[k]) for k in counts), (table_id, row)


def test_headers_are_words(tables: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    offenders = {k: [h for h in heads if SNAKE.search(h)] for k, (heads, _) in tables.items()}
    assert {k: v for k, v in offenders.items() if v} == {}
    headers, _ = tables["sixty_forty"]
    assert "annual return (%)" in headers and "maximum drawdown (%)" in headers
    # row labels too: the regressors of the equity response
    rows = [row[0] for row in tables["equity_response"][1]]
    assert "change in expected rate" in rows and [r for r in rows if SNAKE.search(r)] == []
    assert [row[0] for _, (_, rows) in tables.items() for row in rows if SNAKE.search(row[0])] == []


def test_long_listings_scroll_in_a_box(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert "div.scroll{max-height:420px;overflow:auto" in page
    for table_id in ("sources", "provenance"):
        assert f'<div class="scroll"><table id="table-{table_id}">' in page, table_id
        assert f'href="data/{table_id}.csv"' in page  # the full listing as CSV


def test_review_headers_and_whole_numbers(
    tables: dict[str, tuple[list[str], list[list[str]]]],
) -> None:
    """Review of issue 19: block length and event counts as integers, bp moves quoted to the
    basis point as whole numbers, ``per (bp)`` and ``rsquared`` headers in words."""
    headers, rows = tables["identified_responses"]
    blocks = [row[headers.index("block length (windows)")] for row in rows]
    assert blocks and all(re.fullmatch(r"\d+", b) for b in blocks), blocks  # 221, not 221.000
    headers, rows = tables["central_bank_days"]
    assert all(re.fullmatch(r"\d+", row[headers.index("events")]) for row in rows)
    headers, rows = tables["surprise_responses"]
    assert "response per bp" in headers and "R-squared" in headers
    assert "degrees of freedom" in headers
    assert not {"per (bp)", "rsquared", "dof"} & set(headers)
    headers, rows = tables["event_changes"]
    moves = {row[0]: row[headers.index("us.cmt.10y")] for row in rows}
    assert moves["taper-tantrum"] == "79" and moves["hikes-2022"] == "258"  # not 79.0
    # a column with fractional values keeps its decimals
    assert re.fullmatch(r"-?\d+\.\d", rows[0][headers.index("de.govt.10y")])


def test_whole_columns_print_without_decimals() -> None:
    import numpy as np
    import pandas as pd

    from ustpull.charts import column_label
    from ustpull.report.document import _column_decimals

    assert column_label("per_bp") == "response per bp" and column_label("rsquared") == "R-squared"
    assert column_unit("block_length") == "count" and column_unit("events") == "count"
    assert _column_decimals(pd.Series([79.0, -44.0, np.nan]), "number", 1) == 0
    assert _column_decimals(pd.Series([(0.1 + 0.2) * 100, -44.0]), "number", 1) == 0
    assert _column_decimals(pd.Series([79.0, -44.5]), "number", 1) == 1
    assert _column_decimals(pd.Series([0.0, 0.0]), "number", 3) == 3  # all zero: as measured
    assert _column_decimals(pd.Series([1.0, 0.0]), "correlation", 2) == 2
