"""Report section: term premia and foreign bonds -- the U.S. split, the linkage across
borders, yield co-movement, spillover betas and connectedness.

Every window, sample start and model order in the text comes from
:class:`~ustpull.studies.StudySettings`.
"""

from __future__ import annotations

import pandas as pd

from ustpull.crossasset.charts import connectedness_chart, linkage_chart, yield_comovement_chart
from ustpull.crossasset.foreign_bonds import ForeignBondsResults, LinkageResults
from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, date, in_words, number, span
from ustpull.studies import Studies, StudySettings
from ustpull.studies.charts import (
    kim_wright_chart,
    term_premium_curve_chart,
    term_premium_split_chart,
)

__all__ = ["foreign_section"]


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


def _linkage_robustness(studies: Studies, section: Section, table: pd.DataFrame) -> None:
    """One paragraph: the linkage re-estimated with bias-corrected VARs."""
    robust = studies.linkage_bias_corrected
    if robust is None:
        return
    corrected = robust.table
    markets = [m for m in table.index if m in corrected.index]
    parts = ", ".join(
        f"{m.upper()} {table.loc[m, 'difference_change']:+.2f} -> "
        f"{corrected.loc[m, 'difference_change']:+.2f} (bootstrap p "
        f"{corrected.loc[m, 'bootstrap_pvalue']:.2f})"
        for m in markets
    )
    held = int(corrected.loc[markets, "term_premium_dominates"].sum())
    section.paragraphs.append(
        "Robustness: with Pope (1990) bias-corrected VARs in every country's ACM model, the "
        "excess of the term-premium over the expected-rate change correlation becomes "
        f"{parts}; term premia dominate in {held} of {len(markets)} markets (OLS VARs: "
        f"{int(table.loc[markets, 'term_premium_dominates'].sum())})."
    )


def foreign_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The term-premia and foreign-bonds section and its executive-summary sentences."""
    section = Section(
        "foreign",
        "Foreign bonds: term premia, yield co-movement, spillovers and connectedness",
    )
    summary: list[str] = []
    if studies.us_monthly is not None:
        summary.extend(_us_term_premium(studies, section, findings))
    results = studies.foreign
    if results is None:
        section.gaps.append("The foreign-bond analysis did not run (see the gaps above).")
        return section, summary
    if results.linkage is not None:
        summary.extend(_linkage(studies, results.linkage, section, findings))
    summary.extend(_comovement(studies.settings, results, section, findings))
    _betas_and_connectedness(studies.settings, results, section, findings)
    return section, summary


def _us_term_premium(studies: Studies, section: Section, findings: Findings) -> list[str]:
    """The U.S. 10-year split, its extras and findings; returns the summary sentence."""
    assert studies.us_monthly is not None
    summary: list[str] = []
    split = studies.us_monthly.to_frame((10,))
    replications = studies.settings.term_premium_replications
    section.charts.append(term_premium_split_chart(studies.us_monthly, replications))
    _term_premium_extras(studies, section, findings)
    term_premium = split["term_premium_10y"]
    before = term_premium.loc["2019-03-01":"2020-02-29"]
    before_key = findings.add(
        "termpremium.us_10y_prepandemic",
        "U.S. 10-year term premium, average over the year before the pandemic",
        float(before.mean()),
        "percent",
        "Mean of month-end ACM 10-year term premia, March 2019 - February 2020",
        span(before.index),
    )
    latest_key = findings.add(
        "termpremium.us_10y_latest",
        "U.S. 10-year term premium, latest month-end",
        float(term_premium.iloc[-1]),
        "percent",
        "ACM 10-year term premium (fitted minus risk-neutral yield)",
        date(term_premium.index[-1]),
        as_of=date(term_premium.index[-1]),
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
    )
    near = "near" if abs(findings.value("termpremium.us_10y_prepandemic") + 1.0) < 0.35 else "at"
    section.paragraphs.append(
        f"The ACM term premium on the 10-year Treasury averaged {before_key}% in the year "
        f"before the pandemic ({near} -1%), reached its low of {low_key}% in "
        f"{date(low_date)[:7]}, and stands at {latest_key}% at the latest "
        "month-end."
    )
    rising = (
        "risen"
        if findings.value("termpremium.us_10y_latest")
        > findings.value("termpremium.us_10y_prepandemic")
        else "fallen"
    )
    summary.append(
        f"Term premium: the U.S. 10-year term premium has {rising} from {before_key}% before "
        f"the pandemic to {latest_key}%."
    )
    return summary


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
        )
        er_key = findings.add(
            "foreign.ea_expected_change_corr",
            "U.S.-euro area correlation of monthly expected-rate changes (10y)",
            number(row["expected_rate_change"]),
            "correlation",
            "Correlation of monthly changes in ACM 10-year risk-neutral yields",
            window,
        )
        p_key = findings.add(
            "foreign.ea_linkage_pvalue",
            "p-value: term-premium and expected-rate correlations are equal",
            number(row["steiger_pvalue"]),
            "probability",
            "Steiger (1980) z test for two dependent correlations",
            window,
            decimals=4,
        )
        more = (
            "more"
            if findings.value("foreign.ea_tp_change_corr")
            > findings.value("foreign.ea_expected_change_corr")
            else "less"
        )
        section.paragraphs.append(
            f"U.S. and euro-area term premia move together {more} than their expected-rate "
            f"parts: monthly changes correlate {tp_key} against {er_key} (p = {p_key})."
        )
        summary.append(
            f"Foreign bonds: U.S. and euro-area term premia co-move {more} than expected "
            f"rates ({tp_key} vs {er_key} for monthly changes)."
        )
    if "ea" in linkage.rolling.columns.get_level_values(0):
        section.charts.append(linkage_chart(linkage, "ea"))
    return summary


def _comovement(
    settings: StudySettings, results: ForeignBondsResults, section: Section, findings: Findings
) -> list[str]:
    """Monthly yield co-movement with the U.S.; returns the summary sentence."""
    since = settings.foreign_start[:4]
    recent_months = 12 * settings.recent_years
    recent_words = in_words(settings.recent_years, "year")
    comovement = results.comovement_monthly
    section.charts.append(yield_comovement_chart(comovement))
    section.tables.append(
        Table(
            "yield_comovement",
            f"Correlation of monthly 10-year yield changes with the U.S. (since {since})",
            comovement.table[["name", "correlation", "nobs", "start", "end", "recent", "earlier"]],
        )
    )
    average = comovement.average
    table = comovement.table
    avg_key = findings.add(
        "foreign.corr_avg_since_1990",
        f"Average correlation of monthly 10-year yield changes with the U.S., since {since}",
        float(average["full_sample"]),
        "correlation",
        "Mean across developed markets of the correlation of monthly OECD 10-year yield changes",
        f"{date(table['start'].min())} .. {date(table['end'].max())}",
    )
    recent_key = findings.add(
        "foreign.corr_avg_recent",
        f"Average correlation with the U.S., last {settings.recent_years} years",
        float(average["recent"]),
        "correlation",
        f"As above, last {recent_months} months",
        f"{recent_months} months to {date(table['end'].max())}",
    )
    section.paragraphs.append(
        f"Monthly changes in developed-market 10-year yields correlated {avg_key} with U.S. "
        f"changes on average since {since} and {recent_key} over the last {recent_words}."
    )
    return [
        f"Yields abroad follow U.S. yields: average correlation of monthly changes {avg_key} "
        f"since {since}, {recent_key} in the last {recent_words}."
    ]


def _betas_and_connectedness(
    settings: StudySettings, results: ForeignBondsResults, section: Section, findings: Findings
) -> None:
    section.tables.append(
        Table(
            "spillover_betas",
            "Spillover betas: foreign 10-year yield change on U.S. change (Newey-West)",
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
            note="India is the emerging-market case (monthly averages of daily quotes, short "
            "sample).",
        )
    )
    section.charts.append(connectedness_chart(results.rolling_connectedness))
    section.tables.append(
        Table(
            "connectedness",
            "Static spillover table (generalized FEVD, %; rows: receiver, columns: sender)",
            results.connectedness.table,
            decimals=1,
        )
    )
    findings.add(
        "foreign.spillover_total",
        "Total spillover index (Diebold-Yilmaz), full sample",
        float(results.connectedness.total),
        "percent",
        "Share of forecast-error variance from other markets, "
        f"VAR({settings.connectedness_lags}), horizon {settings.connectedness_horizon}, on "
        f"{settings.connectedness_frequency} 10-year yield changes of the markets with daily "
        "data",
        f"{settings.foreign_start[:7]} .. {date(results.rolling_connectedness.total.index[-1])}",
        decimals=1,
    )
