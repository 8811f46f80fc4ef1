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
