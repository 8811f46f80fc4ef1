"""Report section: time-varying connectedness of global 10-year yields (TVP-VAR).

Built from :class:`~ustpull.crossasset.connectedness.global_yields.GlobalYieldsConnectedness`;
every number in the prose is a finding placeholder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ustpull.crossasset.charts import (
    connectedness_bands_chart,
    connectedness_net_chart,
    connectedness_tci_chart,
)
from ustpull.crossasset.connectedness import ConnectednessModelResults
from ustpull.crossasset.connectedness.inference import mean_interval
from ustpull.report.document import Section, Table
from ustpull.report.findings import Findings, interval_brackets, interval_words
from ustpull.studies import Studies

METHODOLOGY = (
    "Global yields connectedness: TVP-VAR(1) of Antonakakis, Chatziantoniou and Gabauer (2020), "
    "Kalman filter with forgetting factors 0.99/0.99 and a BayesPrior from the first two years "
    "(weekly) or five years (monthly); markets U.S., Germany, Japan (weekly) and the UK "
    "(monthly), never the euro-area aggregate beside Germany; generalized FEVD horizon 10; "
    "corrected TCI of "
    "Chatziantoniou and Gabauer (2021); frequency split of Barunik and Krehlik (2018) at horizon "
    "100; U.S. NET band from 200 draws of the filtered coefficients; time means with "
    "equal-weighted cosine (EWC) standard errors, cosine weights set by the filter's memory "
    "(100 weeks), Student-t critical values; the change in TCI between periods from a constant "
    "VAR(1) per period with a moving-block bootstrap. Validated against the "
    "published ConnectednessApproach tables (dy2012, cg2021, cgg2022)."
)


#: The filter's memory in rows, 1 / (1 - kappa) with kappa 0.99: it sets the cosine weights of
#: the intervals of time means (as the model's own intervals and the TCI change test).
_MEMORY = 100
_HAC_METHOD = (
    "equal-weighted cosine (EWC) interval of the time mean, max(2, T/500) cosine weights "
    "(the filter's memory of 100 rows), Student-t 95%"
)


def _hac_ci(series: object) -> tuple[float, float]:
    """95% interval of the time mean of a per-date measure (EWC, :data:`_MEMORY`)."""
    values = np.asarray(series, dtype=float).reshape(-1, 1)
    lower, upper = mean_interval(values, 0.95, memory=_MEMORY)
    return float(lower[0]), float(upper[0])


def _time_mean(
    findings: Findings,
    key: str,
    label: str,
    value: float,
    definition: str,
    window: str,
    per_date: object,
    method: str = _HAC_METHOD,
) -> str:
    """A connectedness finding that is the time mean of a per-date measure (percent, one
    decimal), with its EWC interval (:func:`_hac_ci`)."""
    return findings.add(
        key, label, value, "percent", definition, window, decimals=1, ci=_hac_ci(per_date),
        ci_method=method,
    )  # fmt: skip


def _table_with_margins(results: ConnectednessModelResults) -> pd.DataFrame:
    table = results.table.copy()
    table["FROM"] = results.from_others
    extra = pd.DataFrame([results.to_others, results.net], index=["TO", "NET"])
    return pd.concat([table, extra])


def connectedness_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """Charts, tables, findings and summary sentences of the connectedness study."""
    section = Section(
        "connectedness", "Global 10-year yields: time-varying connectedness (TVP-VAR)"
    )
    results = studies.connectedness
    if results is None:
        section.gaps.append("The connectedness study did not run (see the gaps above).")
        return section, []
    weekly = results.weekly
    window = f"{weekly.dates[0]:%Y-%m-%d} .. {weekly.dates[-1]:%Y-%m-%d}"
    markets = ", ".join(weekly.table.columns)
    section.gaps.extend(results.notes)
    tci_key = _time_mean(
        findings,
        "connectedness.weekly_ctci",
        "Corrected total connectedness, weekly 10-year yield changes (average)",
        weekly.ctci,
        f"TVP-VAR(1), horizon 10 weeks, markets {markets} (euro area left out: an aggregate "
        "that includes Germany); cTCI = N/(N-1) TCI",
        window,
        weekly.ctci_t,
    )
    us_net = weekly.net_t["US"]
    us_key = _time_mean(
        findings,
        "connectedness.us_net",
        "U.S. NET connectedness, weekly (average)",
        float(weekly.net["US"]),
        "TO minus FROM of the U.S. 10-year yield; positive = net transmitter",
        window,
        us_net,
    )
    last_band = weekly.net_interval("US", 0.95).iloc[-1]
    last_key = findings.add(
        "connectedness.us_net_last",
        "U.S. NET connectedness, last week",
        float(us_net.iloc[-1]),
        "percent",
        "TO minus FROM of the U.S. 10-year yield in the last week of the sample",
        window,
        decimals=1,
        ci=(float(last_band["lower"]), float(last_band["upper"])),
        ci_method="percentile 95% band of the draws of the filtered TVP-VAR coefficients "
        "(coefficient uncertainty given the Kalman filter and its forgetting factors, not "
        "a frequentist sampling interval)",
    )
    section.paragraphs.append(
        f"Across {markets}, {tci_key} % of the weekly forecast-error variance of 10-year yields "
        f"comes from the other markets on average (corrected TCI). The U.S. NET is {us_key} pp "
        f"on average and {last_key} pp in the last week of the sample."
    )
    _weekly_charts_and_tables(section, weekly)
    summary = [
        f"Global 10-year yields ({markets}) are connected: corrected TCI {tci_key} % (weekly; "
        f"{interval_words(findings, tci_key)}); the U.S. NET averages {us_key} pp "
        f"({interval_words(findings, us_key)})."
    ]
    summary += _frequency_part(section, results.weekly_bands, findings, window)
    summary += _change_part(section, results, findings)
    _monthly_parts(section, results, findings)
    return section, summary


def _weekly_charts_and_tables(section: Section, weekly: ConnectednessModelResults) -> None:
    """The weekly TCI and U.S. NET charts, the averaged table and its intervals."""
    section.charts.append(connectedness_tci_chart(weekly))
    section.charts.append(connectedness_net_chart(weekly, "US"))
    section.tables.append(
        Table(
            "connectedness_weekly_table",
            "Averaged connectedness table, weekly changes (%; row: receiver, column: sender)",
            _table_with_margins(weekly),
            decimals=1,
        )
    )
    section.tables.append(
        Table(
            "connectedness_weekly_intervals",
            "Averaged TCI, cTCI and NET with 95% EWC intervals of the time mean",
            _intervals_95(weekly),
            decimals=2,
        )
    )


def _intervals_95(results: ConnectednessModelResults) -> pd.DataFrame:
    """Averaged TCI, cTCI and NET (rows) with the 95% EWC interval of each time mean
    (:data:`_MEMORY`), as the findings: ``estimate``, ``lower``, ``upper``."""
    series = np.column_stack([results.tci_t, results.ctci_t, results.measures.net])
    lower, upper = mean_interval(series, 0.95, memory=_MEMORY)
    rows = ["tci", "ctci", *(f"net {name}" for name in results.net.index)]
    return pd.DataFrame(
        {"estimate": series.mean(axis=0), "lower": lower, "upper": upper}, index=rows
    )


def _frequency_part(
    section: Section, banded: ConnectednessModelResults, findings: Findings, window: str
) -> list[str]:
    short, persistent = banded.bands[1], banded.bands[2]
    short_key, long_key = (
        _time_mean(
            findings,
            f"connectedness.tci_{name}",
            f"TCI, cycles of {band}",
            banded.band(band).tci,
            "Barunik-Krehlik band of the generalized FEVD, horizon 100 weeks",
            window,
            banded.band(band).tci_t,
        )
        for name, band in (("short", short), ("persistent", persistent))
    )
    us_long = _time_mean(
        findings,
        "connectedness.us_net_persistent",
        f"U.S. NET, cycles of {persistent}",
        float(banded.band(persistent).net["US"]),
        "TO minus FROM in the persistent band",
        window,
        banded.band(persistent).net_t["US"],
    )
    section.charts.append(connectedness_bands_chart(banded))
    rows = {label: banded.band(label) for label in banded.bands}
    section.tables.append(
        Table(
            "connectedness_bands",
            "TCI, cTCI and NET by frequency band (weekly; the bands add up to the total)",
            pd.DataFrame(
                {
                    label: {
                        "TCI": r.tci,
                        "cTCI": r.ctci,
                        **{f"NET {k}": v for k, v in r.net.items()},
                    }
                    for label, r in rows.items()
                }
            ).T,
            decimals=2,
        )
    )
    short_ci, long_ci = (interval_brackets(findings, key) for key in (short_key, long_key))
    section.paragraphs.append(
        f"Short-lived connectedness is the larger part: {short_key} % {short_ci} of the variance "
        f"moves across markets within cycles of {short}, {long_key} % {long_ci} at "
        f"{persistent} (95% intervals; the two are parts of one total, so their intervals are "
        f"not a test of their difference). In the persistent band the U.S. NET is {us_long} pp."
    )
    return [
        f"Connectedness is mostly short-lived ({short_key} % {short_ci} vs {long_key} % "
        f"{long_ci}, the two bands of the plain TCI of {banded.tci:.1f} %, not of the "
        "corrected TCI above)."
    ]


def _change_part(section: Section, results: object, findings: Findings) -> list[str]:
    change = getattr(results, "period_change", None)
    if change is None:
        return []
    window = f"{change.first[0]} .. {change.second[1]}"
    diff_key = findings.add(
        "connectedness.tci_change",
        "Change in weekly TCI, 2022-latest vs 2010-2019",
        change.difference,
        "pp",
        f"TCI of a constant VAR({change.lags}) fitted to each period's weekly changes "
        f"(generalized FEVD, horizon {change.horizon}): {change.tci_second:.1f} % "
        f"({change.second[0][:4]}-{change.second[1][:4]}) less {change.tci_first:.1f} % "
        f"({change.first[0][:4]}-{change.first[1][:4]}); p = {change.pvalue:.3f}",
        window,
        decimals=2,
        ci=change.interval(0.95),
        ci_method=(
            f"moving-block bootstrap of the VAR regression rows per period (blocks of "
            f"{change.blocks[0]} and {change.blocks[1]} weeks, {change.replications} "
            "replications, independent periods), percentile 95%"
        ),
    )
    interval = interval_words(findings, diff_key)
    section.paragraphs.append(
        f"Total connectedness changed by {diff_key} pp between 2010-2019 and 2022 onwards "
        f"(constant VAR per period; {interval}; block bootstrap p = {change.pvalue:.3f})."
    )
    return [
        f"Since 2022 weekly total connectedness moved by {diff_key} pp against 2010-2019 "
        f"({interval})."
    ]


def _monthly_parts(section: Section, results: object, findings: Findings) -> None:
    monthly = getattr(results, "monthly", None)
    if monthly is not None:
        window = f"{monthly.dates[0]:%Y-%m} .. {monthly.dates[-1]:%Y-%m}"
        uk_key = _time_mean(
            findings,
            "connectedness.uk_net_monthly",
            "UK NET connectedness, monthly OECD panel",
            float(monthly.net["UK"]),
            "TVP-VAR(1) on monthly changes of OECD monthly-average 10-year yields of "
            f"{', '.join(monthly.table.columns)} (members only, no euro-area average)",
            window,
            monthly.net_t["UK"],
            method=_HAC_METHOD.replace("weeks", "months"),
        )
        section.tables.append(
            Table(
                "connectedness_monthly_table",
                "Monthly OECD panel with the UK: averaged table (%)",
                _table_with_margins(monthly),
                decimals=1,
            )
        )
        section.paragraphs.append(
            f"With the UK (monthly averages, the only gilt data offline) the UK NET is {uk_key} pp."
        )
    components = getattr(results, "components", {})
    if components:
        frame = pd.DataFrame(
            {
                part.replace("_", " "): {
                    "cTCI": r.ctci,
                    **{f"NET {k}": v for k, v in r.net.items()},
                }
                for part, r in components.items()
            }
        ).T
        section.tables.append(
            Table(
                "connectedness_components",
                "Term-premium vs expected-rate parts (monthly ACM): cTCI and NET (%)",
                frame,
                decimals=2,
            )
        )
        for part, r in components.items():
            _time_mean(
                findings,
                f"connectedness.ctci_{part}",
                f"Corrected TCI of monthly {part.replace('_', ' ')} changes",
                r.ctci,
                "TVP-VAR(1), horizon 10 months, ACM 10-year parts",
                f"{r.dates[0]:%Y-%m} .. {r.dates[-1]:%Y-%m}",
                r.ctci_t,
            )
