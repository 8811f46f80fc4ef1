"""Report section: term premia and foreign bonds -- the U.S. split, the linkage across
borders, yield co-movement, co-movement betas (OLS, not identified) and connectedness
(generalized FEVD shares; "spillover" is said only of identified estimates, in the event
section).

Every window, sample start and model order in the text comes from
:class:`~ustpull.studies.StudySettings`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from ustpull.crossasset.charts import connectedness_chart, linkage_chart
from ustpull.crossasset.comovement import CoMovementResults
from ustpull.crossasset.comovement_chart import comovement_chart
from ustpull.crossasset.foreign_bonds import (
    CONNECTEDNESS_CI_METHOD,
    ForeignBondsResults,
    LinkageResults,
)
from ustpull.report.document import Section, Table
from ustpull.report.findings import (
    Findings,
    date,
    interval_brackets,
    interval_words,
    number,
    span,
)
from ustpull.studies import Studies, StudySettings
from ustpull.studies.charts import (
    kim_wright_chart,
    term_premium_curve_chart,
    term_premium_split_chart,
)

__all__ = ["foreign_section"]

_LINKAGE_METHOD = (
    "Newey-West HAC delta method on Fisher z, 95%, conditional on the ACM splits (their "
    "estimation error is not in it; the bias-corrected re-estimation is the check)"
)


def _band_interval(
    studies: Studies, weights: dict[int, float], dates: Any, what: str, note: str = ""
) -> dict[str, Any]:
    """The 95% interval of a term-premium finding from the chart's bootstrap replications
    (:meth:`~ustpull.termpremium.bands.TermPremiumBands.interval`: the same draws, no refit)."""
    assert studies.us_monthly is not None
    bands = studies.us_monthly.bands
    if bands is None or bands.loadings is None:
        return {"ci_note": "no interval: the term-premium bootstrap did not run"}
    low, high = bands.interval(weights, pd.DatetimeIndex(dates))
    return {
        "ci": (low, high),
        "ci_method": "ACM residual block bootstrap after bias correction (Kilian 1998: "
        "Pope-corrected VAR as the data-generating process and in each of "
        f"{bands.replications} replications, {bands.block_length}-month blocks; the model "
        f"re-estimated on each synthetic sample), 2.5th and 97.5th percentiles of {what}; "
        "93-95% of simulated true premia inside a nominal 95% interval (methodology "
        "section 1)",
        **({"ci_note": note} if note else {}),
    }


def _term_premium_extras(studies: Studies, section: Section, findings: Findings) -> None:
    """Term-premium curve now and a year ago, the 5y5y forward premium, published series."""
    from ustpull.termpremium.published import fidelity_table, nyfed_gaps

    assert studies.us_monthly is not None
    table = studies.us_monthly.to_frame()
    latest = table.index[-1]
    section.charts.append(term_premium_curve_chart(studies.us_monthly))
    findings.add(
        "termpremium.us_5y5y_latest",
        "U.S. 5-year-5-year forward term premium, latest month-end",
        float(table["term_premium_5y5y"].iloc[-1]),
        "percent",
        "2 x 10-year minus 5-year ACM term premium (continuous compounding)",
        date(latest),
        as_of=date(latest),
        **_band_interval(studies, {120: 2.0, 60: -1.0}, [latest], "the 5y5y forward premium"),
    )
    gaps = fidelity_table(nyfed_gaps(studies.us_monthly.results.term_premium))
    section.tables.append(
        Table(
            "us_term_premium_fidelity",
            "Our U.S. term premium minus the NY Fed's published ACM values, by decade",
            gaps.set_axis([f"{column[0]} {column[1]}y" for column in gaps.columns], axis=1),
            note="Root mean square gap in bp and number of check months (ACMTP02, ACMTP10, "
            "vintage 2025-07).",
            decimals=1,
        )
    )
    if "us.kw.tp.10y" not in studies.frame.columns or studies.frame["us.kw.tp.10y"].isna().all():
        section.gaps.append("Kim-Wright term premium (THREEFYTP10) not loaded: no overlay.")
        return
    section.charts.append(
        kim_wright_chart(table["term_premium_10y"], studies.frame["us.kw.tp.10y"])
    )


def _linkage_ci(table: pd.DataFrame, market: str, component: str) -> tuple[float, float]:
    """The 95% interval of one market's change correlation in the linkage table."""
    columns = [f"{component}_change_low", f"{component}_change_high"]
    low, high = table.loc[[market], columns].to_numpy(dtype=float)[0].tolist()
    return (low, high)


def _linkage_robustness(studies: Studies, section: Section, table: pd.DataFrame) -> None:
    """One paragraph: the linkage re-estimated with bias-corrected VARs."""
    robust = studies.linkage_bias_corrected
    if robust is None:
        return
    corrected = robust.table
    markets = [m for m in table.index if m in corrected.index]
    parts = ", ".join(
        f"{m.upper()} {table.loc[m, 'difference_change']:+.2f} -> "
        f"{corrected.loc[m, 'difference_change']:+.2f} "
        f"[{corrected.loc[m, 'bootstrap_low']:+.2f}, {corrected.loc[m, 'bootstrap_high']:+.2f}]"
        for m in markets
    )
    held = int(corrected.loc[markets, "term_premium_dominates"].sum())
    section.paragraphs.append(
        "Robustness: with Pope (1990) bias-corrected VARs in every country's ACM model, the "
        "excess of the term-premium over the expected-rate change correlation becomes "
        f"{parts} (block-bootstrap 95% intervals); term premia dominate in {held} of "
        f"{len(markets)} markets (OLS VARs: "
        f"{int(table.loc[markets, 'term_premium_dominates'].sum())})."
    )


def _linkage_sentence(studies: Studies, more: str, tp_key: str, er_key: str) -> str:
    """The summary's euro-area linkage sentence: the OLS-VAR correlations, then what the
    bias-corrected bootstrap test says of their difference (the verdict rests on it)."""
    sentence = (
        f"Foreign bonds: in the OLS-VAR split U.S. and euro-area term premia co-move {more} "
        f"than expected rates ({tp_key} vs {er_key} for monthly changes)"
    )
    robust = studies.linkage_bias_corrected
    if robust is None or "ea" not in robust.table.index:
        return sentence + " (no bias-corrected test was run)."
    columns = ["difference_change", "bootstrap_low", "bootstrap_high", "bootstrap_pvalue"]
    values = robust.table.loc[["ea"], columns].to_numpy(dtype=float)[0].tolist()
    difference, low, high, pvalue = values
    verdict = "significant" if low > 0.0 or high < 0.0 else "not significant"
    return (
        f"{sentence}; with bias-corrected VARs the difference is {difference:+.2f} "
        f"[{low:+.2f}, {high:+.2f}] (block-bootstrap 95% interval), {verdict} "
        f"(p {pvalue:.2f})."
    )


def foreign_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The term-premia and foreign-bonds section and its executive-summary sentences."""
    section = Section(
        "foreign",
        "Foreign bonds: term premia, yield co-movement and connectedness",
    )
    summary: list[str] = []
    if studies.us_monthly is not None:
        summary.extend(_us_term_premium(studies, section, findings))
    results = studies.foreign
    if results is None:
        section.gaps.append("The foreign-bond analysis did not run (see the gaps above).")
        return section, summary
    if results.episodes.changes.empty:
        section.gaps.append(
            f"Foreign-bond episodes: no episode had ended by {studies.as_of}, none is measured."
        )
    if results.linkage is not None:
        summary.extend(_linkage(studies, results.linkage, section, findings))
    summary.extend(_comovement(studies.settings, results, section, findings))
    _betas_and_connectedness(studies.settings, results, section, findings)
    return section, summary


#: The pre-pandemic year the latest U.S. term premium is compared with (month-ends).
_PRE_PANDEMIC = ("2019-03", "2020-02")


def _us_term_premium(studies: Studies, section: Section, findings: Findings) -> list[str]:
    """The U.S. 10-year split, its extras and findings; returns the summary sentence."""
    assert studies.us_monthly is not None
    split = studies.us_monthly.to_frame((10,))
    replications = studies.settings.term_premium_replications
    section.charts.append(term_premium_split_chart(studies.us_monthly, replications))
    _term_premium_extras(studies, section, findings)
    term_premium = split["term_premium_10y"]
    if term_premium.index[-1].to_period("M") < pd.Period(_PRE_PANDEMIC[1], "M"):  # as of
        return _latest_term_premium(studies, term_premium, section, findings)
    before = term_premium.loc[_PRE_PANDEMIC[0] : _PRE_PANDEMIC[1]]
    before_key = findings.add(
        "termpremium.us_10y_prepandemic",
        "U.S. 10-year term premium, average over the year before the pandemic",
        float(before.mean()),
        "percent",
        "Mean of month-end ACM 10-year term premia, March 2019 - February 2020",
        span(before.index),
        **_band_interval(studies, {120: 1.0}, before.index, "the 12-month mean premium"),
    )
    latest_key, low_words = _term_premium_levels(studies, term_premium, findings)
    near = "near" if abs(findings.value("termpremium.us_10y_prepandemic") + 1.0) < 0.35 else "at"
    section.paragraphs.append(
        f"The ACM term premium on the 10-year Treasury averaged {before_key}% in the year "
        f"before the pandemic ({near} -1%), {low_words}, and stands at {latest_key}% at the "
        "latest month-end."
    )
    change_key = findings.add(
        "termpremium.us_10y_change",
        "Change in the U.S. 10-year term premium, latest month-end vs the pre-pandemic year",
        findings.value("termpremium.us_10y_latest")
        - findings.value("termpremium.us_10y_prepandemic"),
        "pp",
        "Latest month-end ACM 10-year term premium minus its mean over March 2019 - February 2020",
        f"{date(before.index[0])} .. {date(term_premium.index[-1])}",
        as_of=date(term_premium.index[-1]),
        decimals=2,
        **_change_interval(studies, before.index, term_premium.index[-1:]),
    )
    return [_term_premium_sentence(findings, before_key, latest_key, change_key)]


def _latest_term_premium(
    studies: Studies, term_premium: pd.Series, section: Section, findings: Findings
) -> list[str]:
    """As of a date before the pre-pandemic year ended: the latest and lowest premium only,
    the comparison stated as a gap; returns the summary sentence."""
    latest_key, low_words = _term_premium_levels(studies, term_premium, findings)
    section.gaps.append(
        "U.S. 10-year term premium against the pre-pandemic year (March 2019 - February "
        f"2020): that year had not ended by {date(term_premium.index[-1])}, not compared."
    )
    section.paragraphs.append(
        f"The ACM term premium on the 10-year Treasury {low_words}, and stands at "
        f"{latest_key}% at the latest month-end."
    )
    return [
        f"Term premium: the U.S. 10-year term premium is {latest_key}% at the latest "
        f"month-end ({interval_words(findings, latest_key, zero_test=False)})."
    ]


def _term_premium_levels(
    studies: Studies, term_premium: pd.Series, findings: Findings
) -> tuple[str, str]:
    """The latest and the lowest month-end 10-year premium as findings: the latest's key and
    the words of the low ("reached its low of {key}% in YYYY-MM")."""
    latest_key = findings.add(
        "termpremium.us_10y_latest",
        "U.S. 10-year term premium, latest month-end",
        float(term_premium.iloc[-1]),
        "percent",
        "ACM 10-year term premium (fitted minus risk-neutral yield)",
        date(term_premium.index[-1]),
        as_of=date(term_premium.index[-1]),
        **_band_interval(studies, {120: 1.0}, [term_premium.index[-1]], "the premium"),
    )
    low_date = term_premium.idxmin()
    low_key = findings.add(
        "termpremium.us_10y_min",
        "U.S. 10-year term premium, lowest month-end",
        float(term_premium.min()),
        "percent",
        "Minimum of the month-end ACM 10-year term premium",
        span(term_premium.index),
        as_of=date(low_date),
        **_band_interval(
            studies,
            {120: 1.0},
            [low_date],
            f"the premium on {date(low_date)}, the month of the minimum",
            note=f"the interval of the term premium on the date of the minimum, {date(low_date)}; "
            "not an interval for the minimum over all months (an extreme of an estimated "
            "series)",
        ),
    )
    return latest_key, f"reached its low of {low_key}% in {date(low_date)[:7]}"


def _change_interval(studies: Studies, first: Any, second: Any) -> dict[str, Any]:
    """The 95% interval of the change in the 10-year premium between two sets of dates, from
    the same bootstrap replications as the levels (the constant cancels per replication)."""
    interval = _band_interval(studies, {120: 1.0}, second, "the change")
    if "ci" not in interval:
        return interval
    assert studies.us_monthly is not None and studies.us_monthly.bands is not None
    bands = studies.us_monthly.bands
    first_dates, second_dates = pd.DatetimeIndex(first), pd.DatetimeIndex(second)
    return {**interval, "ci": bands.change_interval({120: 1.0}, first_dates, second_dates)}


def _term_premium_sentence(findings: Findings, before: str, latest: str, change: str) -> str:
    """Both levels with their intervals, then the change with its own interval (from the same
    replications): the move is called a rise or a fall only when that interval excludes zero."""
    item = next(i for i in findings.items if i.key == change.strip("{}"))
    if item.ci is None:
        verdict = "without an interval the move cannot be judged"
    elif item.ci[0] > 0.0 or item.ci[1] < 0.0:
        direction = "risen" if item.ci[0] > 0.0 else "fallen"
        verdict = f"its interval excludes zero, so the premium has {direction}"
    else:
        verdict = "not significantly different from zero, so the move is not established"
    return (
        f"Term premium: the U.S. 10-year term premium was {before}% in the year before the "
        f"pandemic ({interval_words(findings, before, zero_test=False)}) and is {latest}% at "
        f"the latest month-end ({interval_words(findings, latest, zero_test=False)}); the "
        f"change is {change} pp ({interval_words(findings, change, zero_test=False)}): "
        f"{verdict}."
    )


def _linkage(
    studies: Studies, linkage: LinkageResults, section: Section, findings: Findings
) -> list[str]:
    """Term premia vs expected rates across borders; returns the summary sentence."""
    summary: list[str] = []
    table = linkage.table
    section.tables.append(
        Table(
            "term_premium_linkage",
            "Correlation with the U.S. of monthly changes: term premium vs expected-rate part",
            table[
                [
                    "term_premium_change",
                    "expected_rate_change",
                    "yield_change",
                    "steiger_pvalue",
                    "term_premium_level",
                    "expected_rate_level",
                    "nobs",
                    "start",
                    "end",
                ]
            ],
            note="Steiger (1980) test of equal dependent correlations; levels for reference.",
        )
    )
    _linkage_robustness(studies, section, table)
    if "ea" in table.index:
        row = table.loc["ea"]
        window = f"{date(row['start'])} .. {date(row['end'])}"
        tp_key = findings.add(
            "foreign.ea_tp_change_corr",
            "U.S.-euro area correlation of monthly term-premium changes (10y)",
            number(row["term_premium_change"]),
            "correlation",
            "Correlation of monthly changes in ACM 10-year term premia (U.S. GSW, euro "
            "area ECB AAA curve)",
            window,
            ci=_linkage_ci(table, "ea", "term_premium"),
            ci_method=_LINKAGE_METHOD,
        )
        er_key = findings.add(
            "foreign.ea_expected_change_corr",
            "U.S.-euro area correlation of monthly expected-rate changes (10y)",
            number(row["expected_rate_change"]),
            "correlation",
            "Correlation of monthly changes in ACM 10-year risk-neutral yields",
            window,
            ci=_linkage_ci(table, "ea", "expected_rate"),
            ci_method=_LINKAGE_METHOD,
        )
        more = (
            "more"
            if findings.value("foreign.ea_tp_change_corr")
            > findings.value("foreign.ea_expected_change_corr")
            else "less"
        )
        tp_text = f"{tp_key} {interval_brackets(findings, tp_key)}"
        er_text = f"{er_key} {interval_brackets(findings, er_key)}"
        section.paragraphs.append(
            f"U.S. and euro-area term premia move together {more} than their expected-rate "
            f"parts in the OLS-VAR split: monthly changes correlate {tp_text} against "
            f"{er_text} (95% intervals, conditional on the ACM splits); whether the difference "
            "is significant is read from the bias-corrected bootstrap of the robustness "
            "paragraph."
        )
        summary.append(_linkage_sentence(studies, more, tp_text, er_text))
    if "ea" in linkage.rolling.columns.get_level_values(0):
        section.charts.append(linkage_chart(linkage, "ea"))
    return summary


def _interval(item: dict[str, Any]) -> str:
    low, high = item["ci"]
    return f"[{low:.2f}, {high:.2f}]"


def _add_comovement_findings(
    comovement: CoMovementResults, findings: Findings
) -> dict[str, dict[str, Any]]:
    """Every co-movement finding (headline by era, the change, each market by era)."""
    items = {item["key"]: item for item in comovement.findings()}
    for key, item in items.items():
        findings.add(
            key,
            item["label"],
            item["value"],
            "correlation",
            item["definition"] + f" ({item['nobs']} months; basis: {item['basis']})",
            item["window"],
            as_of=item["data_through"],
            ci=(item["ci"][0], item["ci"][1]),
            ci_method=item["ci_method"],
        )
    return items


def _comovement(
    settings: StudySettings, results: ForeignBondsResults, section: Section, findings: Findings
) -> list[str]:
    """Month-end yield co-movement with the U.S. (DE, JP, UK); returns the summary sentence."""
    comovement = results.comovement_us
    if comovement is None:
        section.gaps.append("Month-end co-movement with the U.S.: not enough daily yields.")
        return []
    section.charts.append(comovement_chart(comovement))
    table = comovement.correlations
    cells = table.apply(lambda r: f"{r['estimate']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}]",
                        axis=1).unstack("era")  # fmt: skip
    cells["basis"] = pd.Series(comovement.bases)
    section.tables.append(
        Table(
            "yield_comovement",
            "Correlation of month-end 10-year yield changes with the U.S. by era [95% interval]",
            cells.rename(index={"GB": "UK"}),
            note="Headline markets DE, JP, UK; the euro-area aggregate (EA) is listed, never "
            "averaged with its members. Stationary block bootstrap (Politis-White blocks, at "
            "least 10 per sample).",
        )
    )
    items = _add_comovement_findings(comovement, findings)
    first, last = comovement.change_eras
    slug = {era: era.replace(" ", "_").replace("-", "_") for era in (first, last, "since 1990")}
    head = "comovement.headline_average."
    since, early, recent = (items.get(head + slug[e]) for e in ("since 1990", first, last))
    change = items.get(head + "change")
    if since is None or early is None or recent is None or change is None:
        section.gaps.append("Month-end co-movement: an era lacks the months for the average.")
        return []
    low, high = change["ci"]
    verdict = "a significant rise" if low > 0 else "a significant fall" if high < 0 else (
        "not significant: its 95% interval includes zero")  # fmt: skip
    names = _basis_words(comovement)
    section.paragraphs.append(
        f"Monthly 10-year yield changes in {names} correlated on average "
        f"{{{head}{slug['since 1990']}}} {_interval(since)} with U.S. changes since 1990, "
        f"{{{head}{slug[first]}}} {_interval(early)} in {first} and {{{head}{slug[last]}}} "
        f"{_interval(recent)} in {last}; the change, {{{head}change}} {_interval(change)}, is "
        f"{verdict}. Other markets are in the table; the euro-area aggregate is never "
        "averaged with its members."
    )
    return [
        f"Yields abroad follow U.S. yields: monthly changes in {names} correlate "
        f"{{{head}{slug['since 1990']}}} {_interval(since)} on average since 1990 and "
        f"{{{head}{slug[last]}}} {_interval(recent)} in {last} (the change from {first} "
        f"is {verdict})."
    ]


def _basis_words(comovement: CoMovementResults) -> str:
    """The headline markets with how their monthly changes were formed: month-end of daily
    yields, or the labelled fallback (monthly averages, on both sides of the correlation):
    ``DE, JP (month-end) and the UK (monthly averages on both sides: no daily series)``."""
    words = {m: "the UK" if m == "GB" else m for m in comovement.headline}
    groups = {
        "month-end": [m for m in words if not comovement.bases[m].startswith("monthly")],
        "monthly averages on both sides: no daily series": [
            m for m in words if comovement.bases[m].startswith("monthly")
        ],
    }
    parts = [f"{', '.join(words[m] for m in ms)} ({how})" for how, ms in groups.items() if ms]
    return " and ".join(parts)


def _betas_and_connectedness(
    settings: StudySettings, results: ForeignBondsResults, section: Section, findings: Findings
) -> None:
    section.tables.append(
        Table(
            "spillover_betas",
            "Co-movement betas (OLS, not identified): foreign 10-year yield change on U.S. "
            "change, Newey-West",
            results.betas.table[
                [
                    "name",
                    "beta",
                    "beta_se",
                    "beta_up",
                    "beta_down",
                    "asymmetry_pvalue",
                    "nobs",
                    "sample_note",
                ]
            ],
            note="OLS betas measure co-movement, not the direction of influence (see the "
            "event section for identified responses). India is the emerging-market case "
            "(monthly averages of daily quotes, short sample).",
        )
    )
    rolling = results.rolling_connectedness
    unit = "day" if settings.connectedness_frequency == "daily" else "week"
    sync = "" if unit == "day" else " (synchronous)"
    section.charts.append(
        replace(
            connectedness_chart(rolling),
            title=f"Diebold-Yilmaz total connectedness index, rolling {rolling.window}-{unit} VAR "
            f"on {settings.connectedness_frequency}{sync} yield changes",
        )
    )
    section.tables.append(
        Table(
            "connectedness",
            "Static connectedness table (generalized FEVD: forecast-error variance shares, %; "
            "rows: receiver, columns: sender)",
            results.connectedness.table,
            note="Generalized FEVD shares measure connectedness, not identified spillovers "
            "(the event section identifies responses on announcement days).",
            decimals=1,
        )
    )
    _connectedness_total(settings, results, findings)


def _connectedness_total(
    settings: StudySettings, results: ForeignBondsResults, findings: Findings
) -> None:
    """``foreign.spillover_total`` (key kept; a connectedness index, not a spillover) with
    the residual-bootstrap interval when the study computed it."""
    interval = results.connectedness_interval
    bounds: dict[str, Any] = (
        {"ci_note": "no interval: the residual bootstrap of the VAR did not run"}
        if interval is None
        else {
            "ci": (float(interval["lower"]), float(interval["upper"])),
            "ci_method": CONNECTEDNESS_CI_METHOD,
        }
    )
    findings.add(
        "foreign.spillover_total",
        "Total connectedness index (Diebold-Yilmaz), full sample",
        float(results.connectedness.total),
        "percent",
        "Share of forecast-error variance from other markets (generalized FEVD, not an "
        f"identified spillover), VAR({settings.connectedness_lags}), horizon "
        f"{settings.connectedness_horizon}, on {settings.connectedness_frequency} 10-year "
        "yield changes of the markets with daily data",
        f"{settings.foreign_start[:7]} .. {date(results.rolling_connectedness.total.index[-1])}",
        decimals=1,
        **bounds,
    )
