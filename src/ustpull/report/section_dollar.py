"""Report section: the dollar -- co-movement with yields, the smile and the frown."""

from __future__ import annotations

import pandas as pd

from ustpull.crossasset.charts import dollar_correlation_chart, dollar_vs_yield_chart
from ustpull.crossasset.dollar import (
    FISCAL_STANCES,
    GROWTH_STATES,
    DollarAnalysisResults,
    dollar_index,
)
from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, date, span
from ustpull.studies import Studies

__all__ = ["dollar_section", "shape_verdict"]


def shape_verdict(ordering_holds: bool, table: pd.DataFrame) -> str:
    """Whether a smile/frown ordering holds, and whether any state mean is significant."""
    largest_t = float(table["t_stat"].abs().max())
    if not ordering_holds:
        return "does not hold"
    if largest_t >= 1.96:
        return "holds"
    return (
        "holds in the point estimates only (no state mean is significant; "
        f"largest |t| {largest_t:.2f})"
    )


def dollar_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The dollar section and its executive-summary sentences."""
    section = Section("dollar", "The dollar: co-movement with yields, the smile and the frown")
    results = studies.dollar
    if results is None:
        section.gaps.append("The dollar analysis did not run (see the gaps above).")
        return section, []
    data = studies.frame
    dollar = dollar_index(data, index=results.index_choice)
    section.charts.append(dollar_vs_yield_chart(dollar, data["us.cmt.10y"], data["us.recession"]))
    section.charts.append(dollar_correlation_chart(results.comovement))
    keys = _dollar_findings(results, dollar, section, findings)
    return section, _dollar_prose(studies, results, keys, section, findings)


def _dollar_findings(
    results: DollarAnalysisResults, dollar: pd.Series, section: Section, findings: Findings
) -> dict[str, str]:
    comovement = results.comovement
    smile = results.smile.table
    section.tables.append(
        Table(
            "dollar_smile",
            f"Dollar smile: monthly dollar return by U.S. growth state ({results.smile.rule})",
            smile,
        )
    )
    frown = results.frown.table
    section.tables.append(
        Table("fiscal_frown", "Fiscal frown: monthly dollar return by fiscal stance", frown)
    )
    section.tables.append(
        Table(
            "relative_prices",
            "Dollar against yield differentials (weekly changes; beta in % per 100 bp)",
            results.relative_prices.table,
        )
    )
    window = span(pd.DatetimeIndex(results.smile.states.index))
    stance_months = pd.DatetimeIndex(results.frown.stance.index)
    frown_window = (
        f"{max(stance_months[0], dollar.index[0]):%Y-%m-%d} .. "
        f"{min(stance_months[-1] + pd.offsets.QuarterEnd(0), dollar.index[-1]):%Y-%m-%d}"
    )
    keys = {
        state: findings.add(
            f"dollar.smile_{state}",
            f"Dollar return in {state} months",
            float(smile.loc[state, "dollar_annualised_pct"]),
            "percent a year",
            "Mean monthly log change of the dollar index x 12, months of this growth state",
            window,
        )
        for state in smile.index
    }
    frown_keys = {
        stance: findings.add(
            f"dollar.frown_{stance}",
            f"Dollar return when fiscal policy is {stance}",
            float(frown.loc[stance, "dollar_annualised_pct"]),
            "percent a year",
            "Mean monthly log change of the dollar index x 12, months of this fiscal stance",
            frown_window,
        )
        for stance in frown.index
    }
    corr_key = findings.add(
        "dollar.corr_yield",
        "Correlation of weekly dollar and 10-year yield changes, full sample",
        float(comovement.full_sample_correlation["yield"]),
        "correlation",
        "Weekly log dollar changes vs 10-year yield changes",
        span(comovement.changes.index),
    )
    return {
        **{f"smile {state}": key for state, key in keys.items()},
        **{f"frown {stance}": key for stance, key in frown_keys.items()},
        "corr": corr_key,
    }


def _dollar_prose(
    studies: Studies,
    results: DollarAnalysisResults,
    found: dict[str, str],
    section: Section,
    findings: Findings,
) -> list[str]:
    """The section's paragraph; returns its summary sentences."""
    keys = {state: found.get(f"smile {state}", "") for state in GROWTH_STATES}
    frown_keys = {stance: found.get(f"frown {stance}", "") for stance in FISCAL_STANCES}
    corr_key = found["corr"]
    comovement = results.comovement
    smile_verdict = shape_verdict(results.smile.smile_holds, results.smile.table)
    frown_verdict = shape_verdict(results.frown.frown_holds, results.frown.table)
    section.paragraphs.append(
        f"Dollar smile ({smile_verdict} in these data): the dollar returned "
        f"{keys.get('recession', '')}% a year in recessions, {keys.get('slowdown', '')}% in "
        f"slowdowns and {keys.get('expansion', '')}% in expansions. Fiscal frown "
        f"({frown_verdict}): {frown_keys.get('tight', '')}% a year under tight policy, "
        f"{frown_keys.get('neutral', '')}% neutral and {frown_keys.get('loose', '')}% loose. "
        f"Weekly dollar and yield changes correlate {corr_key} over the whole sample."
    )
    divergences = comovement.divergences
    recent = divergences[divergences["start"] >= pd.Timestamp("2025-01-01")]
    summary = [
        f"Dollar: the smile {smile_verdict} ({keys.get('recession', '')}% a year in recessions, "
        f"{keys.get('slowdown', '')}% in slowdowns, {keys.get('expansion', '')}% in "
        f"expansions); the fiscal frown {frown_verdict} (fiscal stance by "
        f"{studies.settings.fiscal_measure.replace('_', ' ')})."
    ]
    if len(recent):
        last = recent.iloc[-1]
        change_key = findings.add(
            "dollar.divergence_2025",
            "Dollar change in the latest yields-up, dollar-down episode",
            float(last["dollar_change_pct"]),
            "percent",
            "Log change of the dollar index over the flagged divergence episode",
            f"{date(last['start'])} .. {date(last['end'])}",
            as_of=date(last["end"]),
            decimals=1,
        )
        summary.append(
            f"In 2025 yields rose while the dollar fell ({change_key}% over "
            f"{date(last['start'])} .. {date(last['end'])}), the 'high yields, weak dollar' "
            f"pattern; the fiscal data end {date(results.frown.stance.index[-1])[:7]}, so these "
            "months carry no fiscal stance."
        )
    return summary
