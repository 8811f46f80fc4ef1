"""Report section: event studies (taper tantrum first)."""

from __future__ import annotations

from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, date, number
from ustpull.studies import Studies

__all__ = ["events_section"]


def events_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The event-study section and its executive-summary sentence."""
    section = Section("events", "Event studies (taper tantrum first)")
    results = studies.events
    if results is None:
        section.gaps.append("The event studies did not run.")
        return section, []
    table = results.table
    changes = results.changes()
    order = [e.name for e in results.episodes if e.name in changes.index]
    section.tables.append(
        Table(
            "event_changes",
            "Change over each window (bp for yields, % for prices and the dollar)",
            changes.loc[order],
            decimals=1,
        )
    )
    if not results.skipped.empty:
        section.gaps.append(
            "No data in the window for: "
            + "; ".join(f"{r.series} ({r.episode})" for r in results.skipped.itertuples())
        )
    summary: list[str] = []
    if "taper-tantrum" in order:
        taper = table.loc["taper-tantrum"]
        window = f"{date(taper['start_date'].min())} .. {date(taper['end_date'].max())}"
        keys = {}
        for series, label in (
            ("us.tips.10y", "real 10-year yield"),
            ("us.cmt.10y", "nominal 10-year yield"),
        ):
            if series in taper.index:
                keys[series] = findings.add(
                    f"events.taper_{series.replace('.', '_')}",
                    f"Taper tantrum: change in the {label}",
                    number(taper.loc[series, "change"]),
                    "bp",
                    f"Change in {series} over the window",
                    window,
                    decimals=0,
                )
        if "us.sp500" in taper.index:
            keys["us.sp500"] = findings.add(
                "events.taper_sp500_max_fall",
                "Taper tantrum: largest S&P 500 fall inside the window",
                number(taper.loc["us.sp500", "max_fall"]),
                "percent",
                "Lowest close relative to the start close, inside the window",
                window,
                decimals=1,
            )
        if len(keys) == 3:
            sentence = (
                f"Taper tantrum ({window}): the real 10-year yield rose {keys['us.tips.10y']} bp, "
                f"the nominal {keys['us.cmt.10y']} bp, and the S&P 500 fell as much as "
                f"{keys['us.sp500']}%."
            )
            section.paragraphs.append(sentence)
            summary.append(sentence)
    return section, summary
