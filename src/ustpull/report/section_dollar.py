"""Report section: the dollar -- co-movement with yields, the smile and the frown tested.

The smile and frown verdicts follow the rule of docs/methodology.md (section 6): the curvature
contrast of monthly dollar returns across states known at the time, with an episode-bootstrap
interval and a few-cluster t; "smile" when the 95% interval lies above zero, "frown" when it
lies below, "no shape" otherwise -- never from the ordering of point means.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ustpull.crossasset.charts import dollar_correlation_chart, dollar_vs_yield_chart
from ustpull.crossasset.dollar import DollarAnalysisResults, DollarShapeResults, dollar_index
from ustpull.crossasset.intervals import CorrelationInterval
from ustpull.crossasset.smile import ShapeTestResults
from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, date, span
from ustpull.studies import Studies

__all__ = ["dollar_section", "shape_verdict"]

#: The three shape tests: name -> (finding prefix, what the states are, state labels).
_TESTS: dict[str, tuple[str, str, tuple[str, str, str]]] = {
    "growth": ("dollar.smile", "real-time U.S. growth terciles",
               ("low growth", "mid growth", "high growth")),
    "risk_off": ("dollar.smile_risk", "risk-off months, then calm months by growth",
                 ("risk-off", "calm, low/mid growth", "calm, high growth")),
    "fiscal": ("dollar.frown", "discretionary fiscal stance (net of automatic stabilisers)",
               ("tight", "neutral", "loose")),
}  # fmt: skip
#: Key parts of the states of each test (finding keys ``<prefix>_<state>_minus_<middle>``).
_KEYS: dict[str, tuple[str, str, str]] = {
    "dollar.smile": ("low_growth", "mid_growth", "high_growth"),
    "dollar.smile_risk": ("risk_off", "calm_weak", "calm_strong"),
    "dollar.frown": ("tight", "neutral", "loose"),
}
_CONTRAST_WORDS = {
    "curvature": "curvature (mean of the outer states minus the middle)",
    "low_minus_mid": "first state minus the middle",
    "high_minus_mid": "third state minus the middle",
}


def shape_verdict(result: ShapeTestResults) -> str:
    """The verdict and its evidence in words: "smile"/"frown" only when the 95% interval of
    the curvature excludes zero (docs/methodology.md, section 6)."""
    row = result.contrasts.loc["curvature"]
    interval = f"curvature {row['estimate']:+.2f} [{row['ci_low']:+.2f}, {row['ci_high']:+.2f}]"
    if result.verdict == "no shape":
        return f"no shape: the 95% interval of the {interval} includes zero"
    return f"a significant {result.verdict}: {interval}, 95% interval excludes zero"


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
    section.tables.append(
        Table(
            "relative_prices",
            "Dollar against yield differentials (weekly changes; beta in % per 100 bp)",
            results.relative_prices.table,
        )
    )
    frequency = studies.settings.dollar_frequency
    corr_key = _corr_finding(results, findings, studies.settings.seed, frequency)
    summary: list[str] = []
    if results.shapes is None:
        section.gaps.append("Smile and frown: the shape tests did not run.")
    else:
        summary += _shapes(results.shapes, section, findings)
        _fiscal_findings(results.shapes, findings)
    section.paragraphs.append(
        f"{frequency.capitalize()} dollar and 10-year yield changes correlate {corr_key} over "
        "the whole sample "
        f"{_ci(findings, 'dollar.corr_yield')}."
    )
    return section, summary + _divergence(results, findings)


def _ci(findings: Findings, key: str) -> str:
    item = next(i for i in findings.items if i.key == key)
    return "" if item.ci is None else f"[95% interval {item.ci[0]:.2f}, {item.ci[1]:.2f}]"


def _corr_finding(
    results: DollarAnalysisResults, findings: Findings, seed: int, frequency: str
) -> str:
    changes = results.comovement.changes[["dollar_pct", "yield"]].dropna()
    interval = CorrelationInterval(changes["dollar_pct"], changes["yield"]).fit(seed=seed)
    return findings.add(
        "dollar.corr_yield",
        f"Correlation of {frequency} dollar and 10-year yield changes, full sample",
        float(results.comovement.full_sample_correlation["yield"]),
        "correlation",
        f"{frequency.capitalize()} log dollar changes vs 10-year yield changes",
        span(changes.index),
        ci=(interval.ci_low, interval.ci_high),
        ci_method=interval.ci_method,
    )


def _shape_table(shapes: DollarShapeResults) -> pd.DataFrame:
    rows = []
    for name, (_, states_words, labels) in _TESTS.items():
        result = getattr(shapes, name)
        if result is None:
            continue
        means = result.means
        for state, label in zip(means.index, labels, strict=True):
            rows.append({"test": states_words, "state": label, "months": means.loc[state, "months"],
                         "episodes": means.loc[state, "episodes"],
                         "mean return, % a month": means.loc[state, "mean"]})  # fmt: skip
    return pd.DataFrame(rows).set_index(["test", "state"])


def _shapes(shapes: DollarShapeResults, section: Section, findings: Findings) -> list[str]:
    """Findings, table and prose of the three shape tests; returns the summary sentence."""
    section.tables.append(
        Table(
            "dollar_shapes",
            "Monthly dollar return (month-end log change, %) by state known at the time",
            _shape_table(shapes),
            note=f"Growth: {shapes.growth_source}; risk-off: {shapes.risk_source}; fiscal: "
            "discretionary impulse net of automatic stabilisers (docs/methodology.md, s. 8).",
        )
    )
    words = {}
    for name, (prefix, states_words, labels) in _TESTS.items():
        result: ShapeTestResults | None = getattr(shapes, name)
        if result is None:
            section.gaps.append(f"Shape test by {states_words}: not run (data missing).")
            continue
        _contrast_findings(prefix, states_words, labels, result, shapes.window, findings)
        words[name] = shape_verdict(result)
    section.paragraphs.append(
        "Smile and frown, tested on states known at the time with an episode bootstrap "
        "(docs/methodology.md, section 6): "
        + "; ".join(f"by {_TESTS[n][1]}, {w}" for n, w in words.items())
        + ". A shape is called only when its interval excludes zero."
    )
    return [
        "Dollar: "
        + "; ".join(
            f"{'frown' if n == 'fiscal' else 'smile'} test by {_TESTS[n][1]}: {w}"
            for n, w in words.items()
        )
        + "."
    ]


def _contrast_findings(
    prefix: str,
    states_words: str,
    labels: tuple[str, str, str],
    result: ShapeTestResults,
    window: str,
    findings: Findings,
) -> None:
    method = (
        f"{result.method} bootstrap (whole episodes resampled within states), "
        "interval c +- t(0.975, {dof:.1f}) se (Satterthwaite degrees of freedom)"
    )
    names = {"curvature": "curvature", "low_minus_mid": f"{labels[0]} minus {labels[1]}",
             "high_minus_mid": f"{labels[2]} minus {labels[1]}"}  # fmt: skip
    low, mid, high = _KEYS[prefix]
    suffix = {"curvature": "curvature", "low_minus_mid": f"{low}_minus_{mid}",
              "high_minus_mid": f"{high}_minus_{mid}"}  # fmt: skip
    for contrast, row in result.contrasts.iterrows():
        findings.add(
            f"{prefix}_{suffix[str(contrast)]}",
            f"Dollar return by {states_words}: {names[str(contrast)]}",
            float(row["estimate"]),
            "percent a month",
            f"Contrast of mean monthly dollar log returns, {_CONTRAST_WORDS[str(contrast)]}",
            window,
            ci=(float(row["ci_low"]), float(row["ci_high"])),
            ci_method=method.format(dof=float(row["dof"])),
        )


def _fiscal_findings(shapes: DollarShapeResults, findings: Findings) -> None:
    """The fiscal stance's own findings (measurements; ``ci`` null with the reason)."""
    if shapes.stance is None:
        return
    item: dict[str, Any]
    for item in shapes.stance.findings():
        findings.add(
            item["key"],
            item["label"],
            item["value"],
            item["unit"],
            item["definition"],
            item["window"],
            as_of=item["data_through"],
            ci_note=item["ci_note"],
        )


def _divergence(results: DollarAnalysisResults, findings: Findings) -> list[str]:
    divergences = results.comovement.divergences
    recent = divergences[divergences["start"] >= pd.Timestamp("2025-01-01")]
    if not len(recent):
        return []
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
        ci_note="a measurement over a flagged window (yields +20 bp or more while the dollar "
        "fell 1.5% or more over 21 days); no benchmark distribution, so no interval",
    )
    sentence = (
        f"In 2025 yields rose while the dollar fell ({change_key}% over "
        f"{date(last['start'])} .. {date(last['end'])}), the 'high yields, weak dollar' "
        "pattern"
    )
    stance = None if results.shapes is None else results.shapes.stance
    if stance is None:
        return [sentence + "."]
    through = stance.data_through
    return [
        f"{sentence}; the fiscal data end {through.start_time:%Y-%m}, so these months carry "
        "no fiscal stance."
    ]
