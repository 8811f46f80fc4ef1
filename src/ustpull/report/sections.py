"""Turn the studies' results into a report document: sections, findings and a summary.

Every sentence of the summary is built from the numbers: the verbs and comparisons are
chosen by the signs and sizes of the findings, and each number is a ``{finding.key}``
placeholder that the HTML renders from the same value that findings.json holds. Each
section lives in its own module (``section_*.py``) and reads its windows, weights and model
orders from :class:`~ustpull.studies.StudySettings`.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ustpull.report.document import Finding, ReportDocument
from ustpull.report.findings import Findings
from ustpull.report.section_connectedness import METHODOLOGY as _CONNECTEDNESS_METHOD
from ustpull.report.section_connectedness import connectedness_section
from ustpull.report.section_dollar import dollar_section
from ustpull.report.section_events import events_section
from ustpull.report.section_foreign import foreign_section
from ustpull.report.section_methodology import methodology_section
from ustpull.report.section_pull import pull_section
from ustpull.report.section_stocks import stocks_section
from ustpull.studies import Studies, StudySettings
from ustpull.studies.data import inputs_through

__all__ = ["assemble_document"]


# --------------------------------------------------------------------------- document


def _methodology(settings: StudySettings) -> list[str]:
    """The methods, with the windows of ``settings``."""
    days = settings.correlation_window_days
    return [line.replace("rolling 252 days", f"rolling {days} days") for line in _METHODOLOGY]


_METHODOLOGY = [
    "Curves: U.S. zero yields are the Federal Reserve's GSW Nelson-Siegel-Svensson curve "
    "(Gurkaynak, Sack and Wright 2007): the published parameters where they exist, NSS fitted "
    "to the published zero yields where the parameter file has gaps (Svensson 1994).",
    "Term premia: Adrian, Crump and Moench (2013): five principal components of month-end "
    "zero yields at 3-120 months, a VAR(1), excess-return regressions at 6-120 months and "
    "cross-sectional prices of risk; the risk-neutral yield is the expected average short rate; "
    "daily values apply the monthly estimates to daily curves (as the NY Fed publishes them). "
    "Intervals: Kilian's (1998) bootstrap-after-bootstrap (Pope-corrected VAR, 12-month "
    "blocks), percentile.",
    "Stock-bond correlation: daily S&P 500 log returns against the exact return of the GSW "
    "10-year zero-coupon bond, on common trading days, rolling 252 days (descriptive); era "
    "correlations and their differences with Newey-West (HAC) and stationary block-bootstrap "
    "intervals; Bai-Perron break dates with intervals; a two-state regime-switching model on "
    "weekly returns; DCC-GARCH (Engle 2002).",
    "Dividend-discount view: Shiller monthly prices, earnings and dividends; E/P = r + ERP - g "
    "with one real-rate series (TIPS from 2003, a level-matched ex-ante proxy before), a "
    "growth term and ten-year smoothed earnings beside trailing; the part that is the "
    "residual of the identity is named as such.",
    "Foreign bonds: month-end yields from daily series where they exist (OECD monthly "
    "averages as a labelled fallback); the co-movement headline averages Germany, Japan and "
    "the UK; cross-market correlations on weekly changes; OLS co-movement betas with "
    "Newey-West errors beside responses identified by heteroskedasticity on announcement "
    "days (Rigobon and Sack 2003); Diebold and Yilmaz (2012) connectedness on weekly changes "
    "from a VAR and the generalized forecast-error variance decomposition (Pesaran and Shin "
    "1998).",
    "Dollar: growth states from data as published at the time (payroll growth, industrial "
    "production as fallback) and a risk-off state (VIX, then NFCI or the high-yield spread); "
    "the fiscal stance net of automatic stabilisers; smile and frown judged by the curvature's "
    "episode-bootstrap interval (docs/methodology.md).",
]


#: Finding key prefix -> the analyses (recipes) whose series it uses, each with whether all
#: their series count (True) or only the required ones (the U.S. curve of the term premia).
_FINDING_ANALYSIS: dict[str, tuple[tuple[str, bool], ...]] = {
    "stocks": (("stocks", True), ("term premia", False)),
    "foreign": (("foreign bonds", True), ("term premia", True)),
    "dollar": (("dollar", True), ("term premia", False)),
    "events": (("event studies", True),),
    "termpremium": (("term premia", True),),
    "pull": (("Treasury pull", True), ("term premia", False)),
}


def _with_sources(items: list[Finding], provenance: pd.DataFrame | None) -> list[Finding]:
    """Each finding names the sources (publisher and series) its analysis used."""
    if provenance is None or provenance.empty:
        return items
    labels = provenance["source"] + ": " + provenance["series"]
    named = []
    for item in items:
        parts = _FINDING_ANALYSIS.get(item.key.split(".", 1)[0], ())
        used = [
            labels[(provenance["analysis"] == analysis) & (provenance["required"] | every)]
            for analysis, every in parts
        ]
        sources = tuple(dict.fromkeys(s for chunk in used for s in chunk))
        named.append(replace(item, sources=sources))
    return named


#: Wordings of the daily-equity findings (not the Shiller ones) and what they become when
#: the equity series is Kenneth French's market total return.
_FRENCH_WORDING = (
    ("daily S&P 500 log returns", "daily U.S. market (Kenneth French, total return) log returns"),
    ("monthly S&P 500 and", "monthly U.S. market (Kenneth French) and"),
    ("monthly S&P 500 total returns", "monthly U.S. market (Kenneth French) total returns"),
    ("Monthly S&P 500 return", "Monthly U.S. market (Kenneth French) return"),
    ("monthly S&P 500 returns", "monthly U.S. market (Kenneth French) returns"),
)


def _french_equity(item: Finding) -> Finding:
    if not item.key.startswith("stocks."):
        return item
    definition = item.definition
    for before, after in _FRENCH_WORDING:
        definition = definition.replace(before, after)
    return replace(item, definition=definition)


def assemble_document(studies: Studies) -> ReportDocument:
    """The report document from the analyses' results."""
    findings = Findings(studies.as_of)
    summary: list[str] = []
    sections = []
    for build in (
        pull_section,  # the dashboard comes first
        stocks_section,
        foreign_section,
        connectedness_section,
        dollar_section,
        events_section,
        methodology_section,  # last: docs/methodology.md
    ):
        section, sentences = build(studies, findings)
        if section.section_id == "events" and studies.events is not None:
            # the episodes' table has no date axis: its data run to the last window's end
            ends = studies.events.table["end_date"]
            section.data_through = f"{pd.Timestamp(ends.max()):%Y-%m-%d}" if len(ends) else ""
        sections.append(section)
        summary.extend(sentences)
    stocks = studies.data.resolutions.get("stocks")
    if stocks is not None and stocks.includes_dividends:
        findings.items = [_french_equity(f) for f in findings.items]
    through = {} if studies.data.provenance is None else inputs_through(studies.data.provenance)
    return ReportDocument(
        title="How U.S. Treasuries pull stocks, the dollar and foreign bonds",
        as_of=studies.as_of,
        summary=summary,
        sections=sections,
        findings=_with_sources(findings.items, studies.data.provenance),
        methodology=[*_methodology(studies.settings), _CONNECTEDNESS_METHOD, *studies.notes],
        sources=studies.data.sources,
        settings=studies.settings.as_dict(),
        gaps=list(studies.gaps),
        provenance=studies.data.provenance,
        inputs_through=through,
    )
