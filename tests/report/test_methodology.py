"""docs/methodology.md is the report's methodology section and describes every finding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.report import _golden
from ustpull.report.section_methodology import METHODOLOGY_PAGE, markdown_html

#: Backticked names in the first cell of a table row (the key column).
_CODE = re.compile(r"`([^`]+)`")


def described_keys(text: str) -> set[str]:
    """Finding keys the page describes: every backticked ``area.name``, and in a table row
    the shorthands after the row's first full key -- ``_suffix`` (the first key with its
    last parts replaced) and a bare ``name`` (same area)."""
    keys = {name for name in _CODE.findall(text) if re.fullmatch(r"[a-z]+\.[\w.]+", name)}
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        names = _CODE.findall(line.split("|")[1])
        full = [n for n in names if "." in n]
        if not full:
            continue
        keys |= {f"{n[:-2]}." for n in full if n.endswith(".*")}  # a family row: its prefix
        area, rest = full[0].split(".", 1)
        parts = rest.split("_")
        stems = {"_".join(parts[:k]) for k in range(1, len(parts) + 1)}
        for name in names:
            if name.startswith("_"):
                keys |= {f"{area}.{stem}{name}" for stem in stems}
            elif "." not in name:
                keys.add(f"{area}.{name}")
    return keys


def test_every_finding_is_described_in_the_methodology(findings: dict[str, object]) -> None:
    keys = list(findings["findings"])  # type: ignore[call-overload]
    assert len(keys) > 30
    described = described_keys(METHODOLOGY_PAGE.read_text(encoding="utf-8"))
    families = tuple(k for k in described if k.endswith("."))  # rows such as `pull.*`
    missing = [key for key in keys if key not in described and not key.startswith(families)]
    assert not missing, (
        f"{len(missing)} finding key(s) of findings.json are not described in "
        f"docs/methodology.md (add a table row per key): {', '.join(missing)}"
    )


def finding_rows(text: str) -> list[tuple[int, list[str], str]]:
    """``(line number, names of the key cell, inference cell)`` of every row of the tables
    whose first column is ``key`` and which have an ``inference`` column."""
    rows = []
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif header[0] == "key" and not set(line) <= set("|-: "):
            column = next((i for i, name in enumerate(header) if "inference" in name), None)
            if column is not None:
                rows.append((number, _CODE.findall(cells[0]), cells[column]))
    return rows


def row_keys(names: list[str], known: set[str]) -> tuple[set[str], list[str]]:
    """The finding keys a row's key cell names, resolved against ``known``: full keys, family
    rows (``pull.*``: every known key with the prefix), ``_suffix`` shorthands (the first key
    with its last parts replaced, the longest such stem) and bare names of the same area.
    Returns the keys and the names that match no finding."""
    full = [n for n in names if "." in n and "<" not in n]
    area, rest = full[0].split(".", 1)
    parts = rest.split("_")
    stems = ["_".join(parts[:k]) for k in range(len(parts), 0, -1)]  # longest first
    keys: set[str] = set()
    unknown = []
    for name in names:
        if "<" in name:  # a pattern such as `comovement.<market>.<era>` explains a family
            continue
        if name.endswith(".*"):
            found = {k for k in known if k.startswith(name[:-1])}
        elif "." in name:
            found = {name} & known
        elif name.startswith("_"):  # the longest stem that names a finding
            found = next(
                ({f"{area}.{t}{name}"} for t in stems if f"{area}.{t}{name}" in known), set()
            )
        else:
            found = {f"{area}.{name}"} & known
        keys |= found
        if not found:
            unknown.append(name)
    return keys, unknown


def test_inference_column_agrees_with_the_intervals_in_findings_json() -> None:
    """Against the golden findings.json (equal to the report's: test_golden_outputs): every
    key a row names exists; a row's findings all carry an interval or none does; the
    inference cell starts with "none" exactly when they carry none (it then says why), and
    otherwise names the interval's method."""
    findings = _golden.read("findings.json")["findings"]
    known = set(findings)
    rows = finding_rows(METHODOLOGY_PAGE.read_text(encoding="utf-8"))
    assert len(rows) > 40
    problems = []
    for number, names, inference in rows:
        keys, unknown = row_keys(names, known)
        if unknown:
            problems.append(f"line {number}: no finding {unknown}")
            continue
        with_ci = {findings[k]["ci"] is not None for k in keys}
        says_none = inference.lower().startswith("none")
        if len(with_ci) != 1:
            problems.append(f"line {number}: some findings have an interval, some not")
        elif with_ci == {True} and (says_none or len(inference) < 12):
            problems.append(f"line {number}: interval not named ({inference!r})")
        elif with_ci == {False} and not (says_none and len(inference) > len("none: ")):
            problems.append(f"line {number}: no interval, but the row does not say none and why")
    assert problems == []


def test_the_row_check_catches_a_row_that_says_none_for_an_interval() -> None:
    text = (
        "| key | estimator | inference now |\n|---|---|---|\n"
        "| `stocks.corr_latest`, `_1972_1999` | x | none |\n"
        "| `foreign.corr_avg_recent` | x | none: retired |\n"
    )
    findings = _golden.read("findings.json")["findings"]
    (_, first, inference), (_, retired, _) = finding_rows(text)
    keys, unknown = row_keys(first, set(findings))
    assert keys == {"stocks.corr_latest", "stocks.corr_1972_1999"} and unknown == []
    assert all(findings[k]["ci"] is not None for k in keys) and inference == "none"
    assert row_keys(retired, set(findings)) == (set(), ["foreign.corr_avg_recent"])


def test_described_keys_reads_the_shorthands() -> None:
    text = (
        "| `stocks.selloff_2022_total`, `_real_rate` | x |\n"
        "| `connectedness.tci_short`, `tci_persistent` | x |\n"
        "Prose naming `dollar.corr_yield` counts; `pandas.DataFrame` style names too.\n"
    )
    keys = described_keys(text)
    assert {
        "stocks.selloff_2022_real_rate",
        "connectedness.tci_persistent",
        "dollar.corr_yield",
    } <= keys
    assert "stocks.selloff_2022_earnings" not in keys


def test_markdown_html_converts_headings_tables_lists_and_escapes() -> None:
    page = (
        "# Title\n\nIntro with `a<b` and **bold** and *em*, [a link](https://x.org).\n\n"
        "## 1. Part\n\n| key | value |\n|---|---|\n| `k.x` | 1 <script> |\n\n"
        "* first\n  continued\n* second\n\n```\nraw <b>\n```\n"
    )
    out = markdown_html(page)
    assert "Title" not in out  # the section's own title replaces the page's
    assert "<p>Intro with <code>a&lt;b</code> and <strong>bold</strong> and <em>em</em>" in out
    assert "a link." in out and "https://" not in out
    assert "<h3>1. Part</h3>" in out
    assert "<thead><tr><th>key</th><th>value</th></tr></thead>" in out
    assert "<td><code>k.x</code></td><td>1 &lt;script&gt;</td>" in out
    assert "<ul><li>first continued</li><li>second</li></ul>" in out
    assert "<pre>raw &lt;b&gt;</pre>" in out
    assert "<script>" not in out


def test_report_renders_the_methodology_last(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    start = page.index('<section id="methodology-notes">')
    sections = re.findall(r'<section id="([\w-]+)">', page)
    body_sections = [s for s in sections if s not in ("summary", "methodology", "sources")]
    assert body_sections[-1] == "methodology-notes"
    notes = page[start : page.index("</section>", start)]
    assert "<h3>1. Interval methods and their measured coverage</h3>" in notes
    assert "<td><code>stocks.corr_latest</code></td>" in notes
    assert notes.count("<table") >= 8


@pytest.mark.parametrize("missing", [Path("/nonexistent/methodology.md")])
def test_without_the_page_the_section_says_so(missing: Path) -> None:
    from ustpull.report.findings import Findings
    from ustpull.report.section_methodology import methodology_section

    section, sentences = methodology_section(None, Findings("2020-01-01"), page=missing)  # type: ignore[arg-type]
    assert sentences == [] and "not installed" in section.gaps[0]
    assert str(missing) in section.gaps[0]


def test_the_page_ships_as_package_data() -> None:
    """A wheel install has the page: it lives in the package and pyproject's package-data
    names it; docs/methodology.md is a link to the same file."""
    import tomllib

    from ustpull.report.section_methodology import METHODOLOGY_PAGE

    root = Path(__file__).resolve().parents[2]
    package_data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = package_data["tool"]["setuptools"]["package-data"]["ustpull"]
    relative = METHODOLOGY_PAGE.relative_to(root / "src" / "ustpull").as_posix()
    assert relative == "report/methodology.md" and relative in patterns
    assert (root / "docs" / "methodology.md").resolve() == METHODOLOGY_PAGE


def test_the_report_methodology_names_no_retired_method(report_dir: Path) -> None:
    """The page's "Methodology and model settings" list describes the methods the report
    uses now, not the ones issue 16 retired (NBER growth states, the headline fiscal balance,
    Fisher z era tests, "spillover" for OLS betas)."""
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    start = page.index('<section id="methodology">')
    listing = page[start : page.index("</section>", start)]
    for retired in (
        "NBER recessions",
        "four-quarter change in the federal balance",
        "Fisher z test",
        "spillover betas",
        "OECD monthly 10-year yields and daily yields",
    ):
        assert retired not in listing, retired
    for current in (
        "bootstrap-after-bootstrap",
        "E/P = r + ERP - g",
        "Rigobon and Sack",
        "risk-off",
    ):
        assert current in listing, current
