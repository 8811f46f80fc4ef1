"""Report section: event studies -- announcement-day tests first, narrative windows as context.

Announcement days (:func:`ustpull.studies.events.run_announcements`): one- and two-day moves
scored against trailing volatility and the non-event days, responses per bp of policy surprise
(White errors) and foreign-yield responses to the U.S. 10-year identified by heteroskedasticity
(Rigobon-Sack, bootstrap interval) beside the OLS betas. FOMC and Bank of England MPC days
side by side (:func:`ustpull.studies.events.run_central_bank_days`): variance ratios of the
scored moves against common non-event days, with bootstrap intervals. "Spillover" is said only
of the identified estimates.
"""

from __future__ import annotations

import pandas as pd

from ustpull.crossasset.announcement_days import CentralBankDaysResults
from ustpull.crossasset.announcements import AnnouncementResults
from ustpull.crossasset.events import EventStudyResults
from ustpull.errors import DataError
from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, date, number
from ustpull.studies import Studies
from ustpull.studies.events import EXTRA_EVENT_DAYS, series_units

__all__ = ["events_section"]

#: Announcement days the section reports by name, with the window length scored (days).
_DAYS: tuple[tuple[str, int, str], ...] = (
    ("2013-05-22", 1, "Bernanke's testimony"),
    ("2013-06-19", 2, "FOMC meeting"),
)
_US = "us.cmt.10y"
_SPAN = {1: "on the day", 2: "over two days"}
_NAMES = {"de.govt.10y": ("de", "German Bund"), "jp.jgb.10y": ("jp", "JGB")}
_CLOSED_NOTE = (
    "1d cells are blank (not applicable) for markets that close before the 14:00 New York "
    "FOMC statement (Frankfurt 16:30 UTC, Tokyo 06:00 UTC against 19:00 UTC): their one-day "
    "move ends before the news; the 2d move reaches the first close after it."
)
_SURPRISES = {"gss_MP1": ("gss", "GSS MP1"), "jk_MP_pm": ("jk", "Jarocinski-Karadi MP")}


def events_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The event-study section and its executive-summary sentences."""
    section = Section("events", "Event studies: announcement days, surprises and identification")
    results = studies.events
    if results is None:
        section.gaps.append("The event studies did not run.")
        return section, []
    summary: list[str] = []
    if results.announcements is None:
        section.gaps.append(
            "No FOMC announcement days in the data: announcement-day tests not run."
        )
    else:
        summary += _scores(results.announcements, section, findings)
        _responses(results.announcements, section, findings)
        summary += _identified(results.announcements, section, findings)
    if results.central_banks is None:
        section.gaps.append("No central-bank announcement days in the data: not scored.")
    else:
        summary += _central_banks(results.central_banks, section, findings)
    if results.episodes:
        summary += _narrative(results, section, findings)
    else:
        section.gaps.append(
            f"Narrative windows: no narrative window had ended by {studies.as_of}, none is "
            "measured."
        )
    return section, summary


#: Series whose central-bank day variance ratios are findings (code, words).
_RATIO_SERIES = {_US: ("us10y", "U.S. 10-year"), "de.govt.10y": ("de10y", "Bund 10-year")}
_BANK_WORDS = {"FOMC": "FOMC", "BoE": "Bank of England MPC"}


def _central_banks(
    results: CentralBankDaysResults, section: Section, findings: Findings
) -> list[str]:
    """Variance ratios on FOMC and BoE days (table; U.S. and Bund 10-year as findings)."""
    table = results.table
    section.tables.append(
        Table(
            "central_bank_days",
            "Announcement days by central bank: one- and two-day moves scored against "
            f"{results.window}-day trailing volatility; variance ratio of the scores on "
            "announcement vs non-event days [95% bootstrap interval]",
            table.drop(columns=["first", "last"]),
            note="Non-event days: no announcement of either bank in the window. ECB Governing "
            "Council days are not scored: the shared data hold no ECB meeting-date list. UK "
            "gilt yields are not scored: no daily UK bond yield is in the shared data. MPC days "
            "are Thursdays, like most ECB decisions, and the two-day window of an early-month "
            "MPC day often holds the U.S. employment report: a BoE-day ratio is not the BoE's "
            "effect alone.",
            decimals=3,
        )
    )
    section.gaps.append("ECB announcement days: no ECB meeting-date list in the shared data.")
    words = []
    for index, row in table.iterrows():
        bank, series, days = (str(part) for part in index)  # type: ignore[attr-defined]
        if series not in _RATIO_SERIES:
            continue
        code, name = _RATIO_SERIES[series]
        if row["note"]:  # a one-day move that ends before the announcement
            label = f"{name}: {days}-day moves on {_BANK_WORDS.get(bank, bank)} days"
            _not_applicable(findings, f"events.var_ratio_{bank.lower()}_{code}_{days}d", label, row)
            continue
        key = findings.add(
            f"events.var_ratio_{bank.lower()}_{code}_{days}d",
            f"{name}: variance of {days}-day moves on {_BANK_WORDS.get(bank, bank)} days "
            "relative to non-event days",
            float(row["variance_ratio"]),
            "ratio",
            f"Mean squared score (move over {results.window}-day trailing volatility) on "
            f"{int(row['events'])} announcement days over that on {int(row['non_event_days'])} "
            "non-event days; 1 = no more movement than other days",
            f"{date(row['first'])} .. {date(row['last'])}",
            decimals=2,
            ci=(float(row["ci_low"]), float(row["ci_high"])),
            ci_method="bootstrap: announcement days i.i.d., non-event days in moving blocks "
            f"of {results.block}, symmetric studentized 95% interval of the log ratio",
        )
        verdict = "more than on other days" if row["ci_low"] > 1.0 else "not significant"
        words.append(
            f"{_BANK_WORDS.get(bank, bank)} days, {name}, {days}-day: {key} "
            f"[{row['ci_low']:.2f}, {row['ci_high']:.2f}], {verdict}"
        )
    if not words:
        return []
    text = (
        "Variance of announcement-day moves relative to non-event days (95% intervals): "
        + "; ".join(words)
        + ". A BoE-day ratio is not the BoE's effect alone: MPC days are Thursdays like most "
        "ECB decisions, which are not scored (no ECB date list in the data)."
    )
    section.paragraphs.append(text)
    return [text]


def _not_applicable(findings: Findings, key: str, label: str, row: pd.Series) -> None:
    """A variance-ratio finding that does not apply (value and interval null, the reason as
    its note): the market closes before the bank announces."""
    findings.add(
        key, f"{label} (not applicable)", None, "ratio", str(row["note"]),
        f"{date(row['first'])} .. {date(row['last'])}", decimals=2, ci_note=str(row["note"]),
    )  # fmt: skip


def _score_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores of one day as the report shows them: one row per series with its unit
    (yields move in bp, prices in log % x 100), then each window's move, z and rank."""
    units = series_units(scores.index)
    table = pd.DataFrame(
        {"unit": ["bp" if units[str(s)] == "percent" else "log %" for s in scores.index]},
        index=scores.index,
    )
    for days in ("1d", "2d"):
        if days in scores.columns.get_level_values(0):
            table[f"{days} move"] = scores[(days, "move")]
            table[f"{days} z"] = scores[(days, "z")]
            table[f"{days} rank (%)"] = scores[(days, "rank_pct")]
    return table


def _scores(results: AnnouncementResults, section: Section, findings: Findings) -> list[str]:
    """Scores of the named days (tables for every series, findings for the U.S. 10-year)."""
    sentences = []
    for day, days, what in _DAYS:
        try:
            scores = results.scores(day)
        except DataError:  # a day outside the data is a gap, not an error
            section.gaps.append(f"{day}: not a scored announcement day in these data.")
            continue
        section.tables.append(
            Table(
                f"event_day_{day.replace('-', '_')}",
                f"{day} ({what}): one- and two-day moves (unit per row), z against "
                f"{results.one_day.window}-day trailing volatility, rank among non-event days",
                _score_table(scores),
                note=_CLOSED_NOTE if results.closed_before else "",
                decimals=2,
            )
        )
        if _US not in scores.index:
            continue
        move = scores.loc[_US, (f"{days}d", "move")]
        z, rank = scores.loc[_US, (f"{days}d", "z")], scores.loc[_US, (f"{days}d", "rank_pct")]
        key = findings.add(
            f"events.day_{day.replace('-', '_')}_us10y_{days}d",
            f"{day} ({what}): {days}-day move of the U.S. 10-year yield",
            number(move),
            "bp",
            f"Change of the 10-year Treasury yield {_SPAN[days]}, from the close before the "
            "announcement",
            day,
            decimals=0,
            ci_note=f"a measured move; its benchmark is the score: z {number(z):.2f} against "
            f"{results.one_day.window}-day trailing volatility, larger than "
            f"{number(rank):.1f}% of non-event {days}-day moves",
        )
        sentences.append(
            f"on {day} ({what}) the 10-year yield moved {key} bp {_SPAN[days]}, larger "
            f"than {number(rank):.1f}% of non-event moves (z {number(z):.2f})"
        )
    if not sentences:
        return []
    text = "Announcement days: " + "; ".join(sentences) + "."
    section.paragraphs.append(text)
    return [text]


def _responses(results: AnnouncementResults, section: Section, findings: Findings) -> None:
    """Responses per bp of policy surprise: a table, and the U.S. 10-year as findings."""
    frames = {}
    for name, response in results.responses.items():
        table = response.table
        frames[_SURPRISES.get(name, (name, name))[1]] = table
        if _US not in table.index:
            continue
        row = table.loc[_US]
        findings.add(
            f"events.response_us10y_per_bp_{_SURPRISES.get(name, (name, name))[0]}",
            f"U.S. 10-year yield response per bp of {_SURPRISES.get(name, (name, name))[1]} "
            "surprise",
            number(row["per_bp"]),
            "bp per bp",
            "OLS slope of the announcement-day move on the 30-minute policy surprise",
            f"{date(row['first'])} .. {date(row['last'])}",
            decimals=3,
            ci=(number(row["ci_low"]), number(row["ci_high"])),
            ci_method="White heteroskedasticity-robust standard errors (HC3), Student-t 95% "
            f"interval with Bell-McCaffrey degrees of freedom ({number(row['dof']):.1f})",
        )
    if frames:
        columns = ["per_bp", "ci_low", "ci_high", "dof", "pvalue", "nobs", "rsquared"]
        section.tables.append(
            Table(
                "surprise_responses",
                "Announcement-day moves per bp of policy surprise (White HC3 errors, 95% t "
                "interval with Bell-McCaffrey degrees of freedom)",
                pd.concat({k: v[columns] for k, v in frames.items()}, names=["surprise"]),
                decimals=3,
            )
        )


def _identified(results: AnnouncementResults, section: Section, findings: Findings) -> list[str]:
    """Rigobon-Sack responses beside OLS; returns the summary sentence."""
    table = results.identification_table()
    if table.empty:
        section.gaps.append("Identified foreign-yield responses: too few announcement windows.")
        return []
    section.tables.append(
        Table(
            "identified_responses",
            "Foreign 10-year yield response to the U.S. 10-year on two-day windows: identified "
            "(Rigobon-Sack) and OLS",
            table,
            note="Identification needs a higher U.S. variance on announcement days: the "
            "variance ratio's 95% interval must lie above one.",
            decimals=3,
        )
    )
    events = results.one_day.table.index.get_level_values("event")
    window = f"{events.min():%Y-%m-%d} .. {events.max():%Y-%m-%d}"
    words = []
    for series, result in results.identified.items():
        code, name = _NAMES.get(series, (series.split(".")[0], series))
        rows = result.table
        identified = findings.add(
            f"events.identified_{code}_per_us",
            f"{name} 10-year response per bp of U.S. 10-year, identified (Rigobon-Sack)",
            number(rows.loc["rigobon_sack", "beta"]),
            "bp per bp",
            "Rigobon-Sack (2004) heteroskedasticity estimator on two-day changes, FOMC days "
            "against other days",
            window,
            ci=_row_ci(rows, "rigobon_sack"),
            ci_method=str(rows.loc["rigobon_sack", "method"]),
        )
        ols = findings.add(
            f"events.ols_{code}_per_us",
            f"{name} 10-year co-movement beta on the U.S. 10-year, OLS (not identified)",
            number(rows.loc["ols_all_days", "beta"]),
            "bp per bp",
            "OLS slope of two-day changes on all days",
            window,
            ci=_row_ci(rows, "ols_all_days"),
            ci_method="Newey-West, normal 95% interval",
        )
        low, high = _row_ci(rows, "rigobon_sack")
        verdict = "significant" if low > 0 or high < 0 else "not significant"
        if not result.identified:
            verdict = "not identified (announcement days do not raise U.S. variance enough)"
        words.append(
            f"identified spillover from the U.S. 10-year to the {name} {identified} bp per bp "
            f"[{low:.2f}, {high:.2f}], {verdict}, against an OLS co-movement beta of {ols}"
        )
    text = "On FOMC days, " + "; ".join(words) + "."
    section.paragraphs.append(text)
    return [text]


def _row_ci(rows: pd.DataFrame, estimator: str) -> tuple[float, float]:
    return number(rows.loc[estimator, "ci_low"]), number(rows.loc[estimator, "ci_high"])


def _narrative(results: EventStudyResults, section: Section, findings: Findings) -> list[str]:
    """The narrative windows (context, no benchmark)."""
    table = results.table
    changes = results.changes()
    order = [e.name for e in results.episodes if e.name in changes.index]
    section.tables.append(
        Table(
            "event_changes",
            "Narrative windows, for context: change over each window (bp for yields, % for "
            "prices and the dollar; no benchmark)",
            changes.loc[order],
            decimals=1,
        )
    )
    if not results.skipped.empty:
        section.gaps.append(
            "No data in the window for: "
            + "; ".join(f"{r.series} ({r.episode})" for r in results.skipped.itertuples())
        )
    if "taper-tantrum" not in order:
        return []
    taper = table.loc["taper-tantrum"]
    window = f"{date(taper['start_date'].min())} .. {date(taper['end_date'].max())}"
    note = (
        "a change over a narrative window, context only: no benchmark or test (the "
        f"announcement days {', '.join(d for d, _ in EXTRA_EVENT_DAYS)} and 2013-06-19 are "
        "scored above)"
    )
    keys = {}
    for series, label in (("us.tips.10y", "real 10-year yield"), (_US, "nominal 10-year yield")):
        if series in taper.index:
            keys[series] = findings.add(
                f"events.taper_{series.replace('.', '_')}",
                f"Taper tantrum: change in the {label}",
                number(taper.loc[series, "change"]),
                "bp",
                f"Change in {series} over the window",
                window,
                decimals=0,
                ci_note=note,
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
            ci_note=note,
        )
    if len(keys) < 3:
        return []
    sentence = (
        f"Taper tantrum, for context ({window}): the real 10-year yield rose "
        f"{keys['us.tips.10y']} bp, the nominal {keys[_US]} bp, and the S&P 500 fell as much "
        f"as {keys['us.sp500']}%."
    )
    section.paragraphs.append(sentence)
    return [sentence]
