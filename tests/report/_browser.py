"""Open a generated report in headless Debian Chromium and read back what it rendered."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's chromium; a failure in CI, a skip elsewhere, when it is missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "Debian chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class RenderedPage:
    """What the browser saw."""

    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    findings: dict[str, str] = field(default_factory=dict)
    finding_dates: dict[str, str] = field(default_factory=dict)
    """Per finding shown: its ``data-through`` date."""
    statements: list[dict[str, Any]] = field(default_factory=list)
    """Every paragraph or summary item that shows a finding: its text and the dates it
    states (``.asof``)."""
    text: str = ""
    """The page's visible text."""
    html: str = ""
    """The page's HTML after scripts ran."""


_READ_CHARTS = """() => Array.from(document.querySelectorAll('.chart')).map(el => {
  const meta = document.querySelector(`.chart-meta[data-chart="${el.id.slice(6)}"]`);
  const link = meta ? meta.querySelector('a.csv') : null;
  return {
    id: el.id,
    section: el.closest('section') ? el.closest('section').id : null,
    through: el.dataset.through || null,
    meta: meta ? meta.textContent : null,
    csv: link ? link.getAttribute('href') : null,
    rendered: el.classList.contains('js-plotly-plot'),
    traces: (el.data || []).map(t => ({
        name: t.name,
        points: Array.from(t.y || []).filter(v => v !== null && !Number.isNaN(v)).length,
    })),
  };
})"""

_READ_FINDINGS = """() => Object.fromEntries(Array.from(
    document.querySelectorAll('.finding')).map(el => [el.dataset.key, el.textContent]))"""

_READ_FINDING_DATES = """() => Object.fromEntries(Array.from(
    document.querySelectorAll('.finding')).map(el => [el.dataset.key, el.dataset.through]))"""

_READ_STATEMENTS = """() => Array.from(document.querySelectorAll('p, li'))
    .filter(el => el.querySelector(':scope > .finding'))
    .map(el => ({
        text: el.textContent,
        asof: el.querySelector(':scope > .asof') ? el.querySelector(':scope > .asof').textContent
                                                 : null,
        through: Array.from(el.querySelectorAll(':scope > .finding')).map(f => f.dataset.through),
    }))"""


def render(index_html: Path, screenshot: Path | None = None) -> RenderedPage:
    """Load ``index_html`` from disk with every non-file request blocked."""
    from playwright.sync_api import sync_playwright

    page_result = RenderedPage()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.on(
                "console",
                lambda msg: (
                    page_result.console_errors.append(msg.text) if msg.type == "error" else None
                ),
            )
            page.on("pageerror", lambda exc: page_result.console_errors.append(str(exc)))

            def _route(route: Any) -> None:
                url = route.request.url
                if url.startswith(("file://", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    page_result.blocked_requests.append(url)
                    route.abort()

            page.route("**/*", _route)
            page.goto(index_html.resolve().as_uri(), wait_until="load")
            page.wait_for_function(
                "() => document.querySelectorAll('.chart').length === "
                "document.querySelectorAll('.chart.js-plotly-plot').length",
                timeout=30_000,
            )
            page_result.charts = page.evaluate(_READ_CHARTS)
            page_result.findings = page.evaluate(_READ_FINDINGS)
            page_result.finding_dates = page.evaluate(_READ_FINDING_DATES)
            page_result.statements = page.evaluate(_READ_STATEMENTS)
            page_result.text = page.evaluate("() => document.body.innerText")
            page_result.html = page.content()
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return page_result
