"""Report section: the Treasury pull at a glance (the dashboard, shown first).

How a 10 bp rise in the U.S. 10-year yield moves U.S. stocks, the dollar and foreign 10-year
yields, split into its expected-rate and term-premium parts, with Newey-West intervals: a
table of the responses (full sample, latest rolling window, eras), one sentence per asset
computed from the numbers, one rolling chart per asset with its band, ``pull.*`` findings
and the rolling table as CSV. Built from :class:`~ustpull.studies.pull.TreasuryPullStudy`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd

from ustpull.charts import Chart, Interval, Shading
from ustpull.crossasset.pull_data import PULL_ASSETS
from ustpull.crossasset.pull_results import TreasuryPullResults
from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, date, interval_words, number
from ustpull.studies import Studies
from ustpull.studies.pull import TreasuryPullStudy

__all__ = ["pull_section"]

_COMPONENTS = {
    "total": "total",
    "expected_rate": "expected-rate part",
    "term_premium": "term-premium part",
}
_UNIT_WORDS = {"%": "percent", "bp": "bp"}
_DECIMALS = {"%": 2, "bp": 1}
_FREQUENCY = {
    "weekly": "weekly synchronous changes",
    "month_end": "month-end changes",
    "monthly_average": "monthly-average changes (fallback: no daily data)",
}
_HEADLINE = ("us_stocks", "dollar", "de_10y", "jp_10y")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _window_words(window: str) -> str:
    if window == "full":
        return "full sample"
    if window.startswith("latest_"):
        return f"latest {window.removeprefix('latest_')} (rolling)"
    return f"era {window}"


def _cell(row: Mapping[Hashable, object], unit: str) -> str:
    digits = _DECIMALS[unit]
    value, low, high = (number(row[k]) for k in ("value", "ci_low", "ci_high"))
    return f"{value:+.{digits}f} ({low:+.{digits}f} to {high:+.{digits}f})"


def responses_table(study: TreasuryPullStudy) -> pd.DataFrame:
    """Per asset and window: each component's response per 10 bp with its interval (text),
    the sample's dates and observations."""
    rows = []
    for asset in study.assets:
        results = study.results_for(asset)
        unit = PULL_ASSETS[asset].unit
        frame = results.estimates.xs(asset, level="asset")
        for window in dict.fromkeys(frame.index.get_level_values("window")):
            part = pd.DataFrame(frame.xs(window, level="window"))
            records = {str(k): v for k, v in part.to_dict("index").items()}
            total = records["total"]
            rows.append(
                {
                    "asset": f"{_capital(PULL_ASSETS[asset].label)} ({unit})",
                    "window": _window_words(str(window)),
                    **{words: _cell(records[c], unit) for c, words in _COMPONENTS.items()},
                    "dates": f"{date(total['first'])} .. {date(total['data_through'])}",
                    "observations": int(number(total["nobs"])),
                }
            )
    return pd.DataFrame(rows).set_index("asset")


def _add_findings(results: TreasuryPullResults, findings: Findings) -> None:
    for item in results.findings():
        unit = str(item["unit"])
        ci = item["ci"]
        assert isinstance(ci, list)
        findings.add(
            str(item["key"]),
            str(item["label"]),
            float(item["value"]),  # type: ignore[arg-type]
            _UNIT_WORDS[unit],
            f"{PULL_ASSETS[str(item['asset'])].measure} per 10 bp rise of the U.S. 10-year "
            f"yield ({item['component']}; ACM split), OLS on {_FREQUENCY[results.frequency]}, "
            f"n = {item['n']}",
            f"{item['first']} .. {item['data_through']}",
            as_of=str(item["data_through"]),
            decimals=_DECIMALS[unit],
            ci=(float(ci[0]), float(ci[1])),
            ci_method=results.ci_method,
        )


def rolling_chart(results: TreasuryPullResults, asset: str) -> Chart:
    """The rolling response of one asset: total with its band, and the two parts."""
    frame = results.rolling[asset]
    spec = PULL_ASSETS[asset]
    level = f"{100 * results.confidence:.0f}%"
    band = Interval("total response", f"total, {level} band (low)",
                    f"total, {level} band (high)", f"total, {level} band")  # fmt: skip
    data = pd.DataFrame(
        {
            "total response": frame[("total", "value")],
            band.low: frame[("total", "ci_low")],
            band.high: frame[("total", "ci_high")],
            "expected-rate part": frame[("expected_rate", "value")],
            "term-premium part": frame[("term_premium", "value")],
        }
    ).dropna(how="all")
    data.index = pd.DatetimeIndex(data.index, name="window end")
    start, end = data.index[0], data.index[-1]
    spans = results.regime_spans.to_numpy().tolist()
    # every other era, clipped to this asset's windows (the dollar starts in 2006)
    shading = tuple(
        Shading(max(pd.Timestamp(first), start), min(pd.Timestamp(last), end), str(regime))
        for i, (regime, first, last) in enumerate(spans)
        if i % 2 == 0 and pd.Timestamp(first) < end and pd.Timestamp(last) > start
    )
    return Chart(
        f"pull_rolling_{asset}",
        f"{_capital(spec.label)}: response to a 10 bp rise in the U.S. "
        f"10-year yield, rolling {results.window} {_FREQUENCY[results.frequency].split()[0]} "
        "windows",
        data,
        f"{_UNIT_WORDS[spec.unit]} per 10 bp",
        shading=shading,
        zero_line=True,
        intervals=(band,),
        note=f"{spec.measure}; window ends on the date shown; {level} Newey-West band of the "
        "total response; every other era shaded.",
    )


def pull_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The dashboard section and its executive-summary sentence."""
    section = Section(
        "pull",
        "The Treasury pull at a glance: stocks, the dollar and foreign yields per 10 bp",
        tables_first=True,
    )
    study = studies.pull
    if study is None:
        section.gaps.append("The Treasury-pull study did not run (see the gaps above).")
        return section, []
    for part in study.parts:
        _add_findings(part, findings)
    section.paragraphs.append(
        "Each number is the response to a 10 bp rise in the U.S. 10-year yield, split by the "
        "ACM model into a rise of expected short rates and a rise of the term premium; "
        "co-movement on synchronous changes, not an identified causal effect."
    )
    section.paragraphs.extend(study.results_for(a).sentence(a) for a in study.assets)
    section.tables.append(
        Table(
            "pull_responses",
            "Response per 10 bp rise in the U.S. 10-year yield, with 95% Newey-West intervals",
            responses_table(study),
            note="; ".join(f"{part.frequency}: {part.ci_method}" for part in study.parts),
        )
    )
    section.charts.extend(rolling_chart(study.results_for(a), a) for a in study.assets)
    section.downloads["pull_rolling"] = study.rolling_table()  # every asset, long form
    section.gaps.extend(f"{PULL_ASSETS[a].label}: no data, not estimated" for a in study.absent)
    section.gaps.extend(study.notes)
    return section, _summary(study, findings)


def _summary(study: TreasuryPullStudy, findings: Findings) -> list[str]:
    shown = [a for a in _HEADLINE if a in study.assets]
    if not shown:
        return []
    parts = [
        f"{PULL_ASSETS[a].label}{' moved' if k == 0 else ''} {{pull.{a}.total.full}} "
        f"{_UNIT_WORDS[PULL_ASSETS[a].unit]} ({interval_words(findings, f'pull.{a}.total.full')})"
        for k, a in enumerate(shown)
    ]
    return [
        "Treasury pull: per 10 bp rise in the U.S. 10-year yield, on average over each full "
        "sample, "
        + ", ".join(parts)
        + " (co-movement on weekly changes, not an identified effect; the dashboard splits "
        "each into its expected-rate and term-premium parts, over the latest window and by "
        "era)."
    ]
