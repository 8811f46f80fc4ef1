"""Report section: U.S. stocks -- the stock-bond correlation, valuation and the portfolio.

Every window and weight in the text comes from :class:`~ustpull.studies.StudySettings`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd

from ustpull.crossasset.charts import (
    ddm_yields_chart,
    diversification_chart,
    inflation_regime_chart,
    sharpe_chart,
    stock_bond_correlation_chart,
)
from ustpull.crossasset.intervals import CorrelationIntervalResults
from ustpull.crossasset.stocks import StocksAnalysisResults
from ustpull.crossasset.stocks_charts import (
    dcc_correlation_chart,
    regime_probability_chart,
    smoothed_valuation_chart,
)
from ustpull.crossasset.stocks_regimes import StockBondRegimesResults
from ustpull.crossasset.stocks_valuation import SmoothedValuationResults
from ustpull.report.document import Section, Table
from ustpull.report.findings import (
    Findings,
    date,
    in_words,
    number,
    portfolio_label,
    span,
    window_label,
    years_label,
)
from ustpull.studies import Studies, StudySettings
from ustpull.studies.stocks import EPISODES as STOCK_EPISODES
from ustpull.studies.stocks import SPLICE_MONTHS

__all__ = ["stocks_section"]


def stocks_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    """The stocks section and its executive-summary sentences."""
    settings = studies.settings
    mix = portfolio_label(settings.stock_weight)
    section = Section("stocks", f"U.S. stocks: the stock-bond correlation, valuation and {mix}")
    results = studies.stocks
    if results is None:
        section.gaps.append("The stocks analysis did not run (see the gaps above).")
        return section, []
    keys = _correlation_findings(results, settings, section, findings)
    if results.regimes is not None:
        keys.update(_issue16_correlations(results, results.regimes, settings, section, findings))
    valuation = _valuation(results, section, findings, studies.as_of)
    portfolio = _portfolio(results, settings, section, findings)
    _equity_response(results, section)
    if results.regimes is None:
        section.gaps.append("The stock-bond intervals and regimes did not run.")
        return section, []
    return section, _stocks_prose(keys, valuation, portfolio, section, findings)


def _issue16_correlations(
    results: StocksAnalysisResults,
    regimes: StockBondRegimesResults,
    settings: StudySettings,
    section: Section,
    findings: Findings,
) -> dict[str, str]:
    """Return correlations with intervals, recent readings, DCC, breaks, regimes, thresholds."""
    keys = _return_correlations(regimes, settings, findings)
    if "before" in keys:  # none as of a date before December 2019
        keys["corr before"] = keys.pop("before")
    keys.update(_recent_readings(results, regimes, settings, findings))
    section.charts.append(dcc_correlation_chart(results.daily, regimes))
    keys["breaks"] = _regime_tables(regimes, section)
    keys.update(_switching(regimes, section, findings))
    keys.update(_thresholds(regimes, section, findings))
    if "monthly corr" in keys:
        keys["hedge"] = _hedge(findings, keys["recent"], keys["monthly corr"])
    return keys


def _correlation_findings(
    results: StocksAnalysisResults, settings: StudySettings, section: Section, findings: Findings
) -> dict[str, str]:
    days = settings.correlation_window_days
    daily_label = window_label(days, "day")
    eras = results.daily.eras
    correlation = results.daily.correlations["exact"].dropna()
    as_of = date(correlation.index[-1])
    keys = {}
    for name, row in eras.iterrows():
        years = f"{date(row['first'])[:4]}-{date(row['last'])[:4]}"
        keys[f"era {name}"] = findings.add(
            f"stocks.corr_mean_{str(name).replace('-', '_')}",
            f"Mean {daily_label} rolling stock-bond correlation, {name} era"
            + ("" if years == name else f" (data {years})"),
            float(row["mean"]),
            "correlation",
            f"Mean of the {days}-day rolling correlation of daily S&P 500 log returns with the "
            "exact 10-year zero-coupon Treasury return from the GSW curve",
            f"{date(row['first'])} .. {date(row['last'])}",
            ci_note=_descriptive_note(days, f"stocks.corr_{str(name).replace('-', '_')}"),
        )
    keys["recent era"] = keys[f"era {eras.index[-1]}"]
    keys["daily label"] = daily_label
    keys["monthly label"] = window_label(settings.correlation_window_months, "month")
    keys.update(_monthly_reading(results, settings, findings, as_of))
    section.charts.append(stock_bond_correlation_chart(results.daily))
    section.charts.append(inflation_regime_chart(results.inflation))
    section.tables.append(
        Table(
            "stock_bond_eras",
            f"Stock-bond correlation by era (daily, {days}-day window)",
            eras[["first", "last", "n", "mean", "median", "share_positive", "return_correlation"]],
        )
    )
    if correlation.index[-1].to_period("M") < pd.Period("2019-12", "M"):
        section.gaps.append(
            f"Stock-bond correlation over 2000-2019: the data end on {as_of}, before that "
            "sample ended; not measured."
        )
        return keys
    before_window = correlation.loc["2000-01-01":"2019-12-31"]
    keys["before"] = findings.add(
        "stocks.corr_mean_2000_2019",
        f"Mean {daily_label} rolling stock-bond correlation, 2000-2019",
        float(before_window.mean()),
        "correlation",
        f"Mean of the {days}-day rolling correlation over every day of 2000-2019",
        span(before_window.index),
        as_of=date(before_window.index[-1]),
        ci_note=_descriptive_note(days, "stocks.corr_2000_2019"),
    )
    return keys


def _descriptive_note(days: int, key: str) -> str:
    return (
        f"descriptive: a mean of overlapping {days}-day rolling correlations is not the era's "
        f"correlation and has no sampling interval of its own; the correlation of the era's "
        f"returns with its 95% interval is {key}"
    )


def _ci_text(findings: Findings, key: str) -> str:
    """``95% CI low to high`` of a finding, in its own decimals."""
    item = next(i for i in findings.items if i.key == key)
    if item.ci is None:
        return "no interval"
    low, high = item.ci
    return f"95% CI {low:,.{item.decimals}f} to {high:,.{item.decimals}f}"


def _significant(findings: Findings, key: str) -> bool:
    item = next(i for i in findings.items if i.key == key)
    return item.ci is not None and (item.ci[0] > 0.0 or item.ci[1] < 0.0)


def _interval(
    findings: Findings,
    key: str,
    label: str,
    fit: CorrelationIntervalResults,
    definition: str,
    window: str,
) -> str:
    """A finding from a correlation (or difference) and its interval."""
    return findings.add(
        key,
        label,
        fit.estimate,
        "correlation",
        definition,
        window,
        as_of=date(fit.data_through),
        ci=fit.ci,
        ci_method=fit.ci_method,
    )


def _return_correlations(
    regimes: StockBondRegimesResults, settings: StudySettings, findings: Findings
) -> dict[str, str]:
    """Era correlations of daily returns, the 2020+ difference, monthly and latest window."""
    keys = {}
    definition = (
        "Pearson correlation of daily S&P 500 log returns with exact 10-year zero-coupon "
        "Treasury returns (GSW)"
    )
    era_fits = regimes.era_correlations
    method = (regimes.latest_window if regimes.before is None else regimes.before).ci_method
    for name, row in era_fits.iterrows():
        key = f"stocks.corr_{str(name).replace('-', '_')}"
        keys[str(name)] = findings.add(
            key,
            f"Correlation of daily stock and 10-year Treasury returns, {name} era",
            float(row["correlation"]),
            "correlation",
            definition,
            f"{date(row['first'])} .. {date(row['last'])}",
            ci=(float(row["ci_low"]), float(row["ci_high"])),
            ci_method=method,
        )
    keys["recent"] = keys[str(era_fits.index[-1])]
    keys["recent name"] = str(era_fits.index[-1])
    before = regimes.before
    if before is None:  # data before 2019-12 (as of an earlier date): no 2000-2019 sample
        return keys
    keys["before"] = _interval(
        findings,
        "stocks.corr_2000_2019",
        "Correlation of daily stock and 10-year Treasury returns, 2000-2019",
        before,
        definition,
        "2000-01-01 .. 2019-12-31",
    )
    diff = regimes.difference
    if diff is None:  # data before 2020 (as of an earlier date): no 2020-latest sample
        return keys
    keys["diff"] = _interval(
        findings,
        "stocks.corr_diff_recent_vs_2000_2019",
        "Change in the daily return correlation: 2020-latest minus 2000-2019",
        diff,
        f"Difference of the two samples' correlations; each sample resampled on its own "
        f"({diff.n_blocks[0]:.0f} and {diff.n_blocks[1]:.0f} blocks)"
        if diff.n_blocks
        else "Difference of the two samples' correlations",
        f"2000-01-01 .. {date(diff.data_through)}",
    )
    return keys


def _monthly_reading(
    results: StocksAnalysisResults, settings: StudySettings, findings: Findings, as_of: str
) -> dict[str, str]:
    months = settings.correlation_window_months
    monthly = results.monthly.eras
    monthly_key = findings.add(
        "stocks.corr_monthly_recent",
        f"Mean {window_label(months, 'month')} rolling correlation of monthly returns, "
        f"{monthly.index[-1]}",
        float(monthly["mean"].iloc[-1]),
        "correlation",
        f"Mean of the {months}-month rolling correlation of monthly S&P 500 and 10-year zero "
        "returns",
        f"{date(monthly['first'].iloc[-1])} .. {date(monthly['last'].iloc[-1])}",
        as_of=as_of,
        ci_note=_descriptive_note(months, "stocks.corr_monthly_2020_latest").replace(
            "-day", "-month"
        )
        if monthly.index[-1] == "2020-latest"
        else f"descriptive: a mean of overlapping {months}-month rolling correlations has no "
        "sampling interval of its own",
    )
    return {"monthly": monthly_key}


def _recent_readings(
    results: StocksAnalysisResults,
    regimes: StockBondRegimesResults,
    settings: StudySettings,
    findings: Findings,
) -> dict[str, str]:
    """Monthly-return correlation since 2020, the last window's and the DCC's latest value."""
    days = settings.correlation_window_days
    keys = {}
    monthly = regimes.monthly_recent
    if monthly is not None:  # none before 2020 (as of an earlier date)
        keys["monthly corr"] = _interval(
            findings,
            "stocks.corr_monthly_2020_latest",
            "Correlation of monthly stock and 10-year Treasury returns, 2020-latest",
            monthly,
            "Pearson correlation of monthly S&P 500 log returns with 10-year zero returns",
            f"2020-01-31 .. {date(monthly.data_through)}",
        )
    correlation = results.daily.correlations["exact"].dropna()
    latest = regimes.latest_window
    keys["latest"] = findings.add(
        "stocks.corr_latest",
        f"Latest {window_label(days, 'day')} rolling stock-bond correlation",
        float(correlation.iloc[-1]),
        "correlation",
        f"{days}-day rolling correlation, last value",
        f"{date(correlation.index[-days])} .. {date(correlation.index[-1])}",
        as_of=date(correlation.index[-1]),
        ci=latest.ci,
        ci_method=latest.ci_method,
    )
    dcc = regimes.dcc_correlation
    keys["dcc"] = findings.add(
        "stocks.dcc_latest",
        "Latest DCC-GARCH(1,1) daily stock-bond correlation",
        float(dcc.iloc[-1]),
        "correlation",
        "Conditional correlation of daily S&P 500 and 10-year zero returns, DCC-GARCH(1,1) "
        "(Engle 2002), two-step QML",
        f"{date(dcc.index[0])} .. {date(dcc.index[-1])}",
        ci_note="the path of a fitted model: its parameters carry QML sandwich intervals "
        "(table stock_bond_dcc_params); no interval is computed for the path itself",
    )
    keys["dcc date"] = date(dcc.index[-1])
    return keys


def _regime_tables(regimes: StockBondRegimesResults, section: Section) -> str:
    """Breaks beside the eras, their regimes and the DCC parameters; returns the break text."""
    breaks = regimes.breaks.breaks
    section.tables.append(
        Table(
            "stock_bond_era_correlations",
            "Correlation of daily returns in each imposed era (95% intervals)",
            regimes.era_correlations,
        )
    )
    section.tables.append(
        Table(
            "stock_bond_breaks",
            "Estimated breaks in the monthly correlation of daily returns (Bai-Perron, LWZ; "
            "95% intervals, Bai 1997), beside the imposed eras above",
            breaks.set_index("break_date"),
        )
    )
    section.tables.append(
        Table(
            "stock_bond_break_regimes",
            "Mean monthly correlation between estimated breaks (Newey-West 95% intervals)",
            regimes.breaks.regimes,
        )
    )
    section.tables.append(
        Table(
            "stock_bond_dcc_params",
            "DCC-GARCH(1,1) parameters (QML sandwich 95% intervals)",
            regimes.dcc.params,
            decimals=6,
        )
    )
    text = "; ".join(
        f"{pd.Timestamp(r['break_date']):%Y-%m} (95% CI {pd.Timestamp(r['ci_low']):%Y-%m} "
        f"to {pd.Timestamp(r['ci_high']):%Y-%m})"
        for _, r in breaks.iterrows()
    )
    return text or "none"


def _switching(
    regimes: StockBondRegimesResults, section: Section, findings: Findings
) -> dict[str, str]:
    """The two return regimes: correlation and expected duration, with intervals."""
    fit = regimes.regimes
    table = fit.regimes
    section.charts.append(regime_probability_chart(regimes))
    section.tables.append(
        Table(
            "stock_bond_return_regimes",
            "Two-state regime-switching model on weekly GARCH-standardised returns",
            table,
            note="durations in weeks; 95% intervals from the QML sandwich covariance (atanh "
            "and logit scales).",
        )
    )
    window = f"{date(fit.smoothed_probabilities.index[0])} .. {date(fit.data_through)}"
    keys = {}
    # regimes are ordered by their correlation: the first the lowest, the last the highest
    for side, position in (("low", 0), ("high", -1)):
        row = table.iloc[position]
        keys[f"corr {side}"] = findings.add(
            f"stocks.regime_corr_{side}",
            f"Stock-bond correlation in the {side}-correlation regime (weekly returns)",
            float(row["correlation"]),
            "correlation",
            "Regime correlation of a two-state bivariate Gaussian Markov-switching model "
            "(Hamilton 1989) of weekly sums of GARCH-standardised daily returns",
            window,
            ci=(float(row["corr_ci_low"]), float(row["corr_ci_high"])),
            ci_method="QML sandwich standard error on atanh(rho), maximum likelihood",
        )
        keys[f"duration {side}"] = findings.add(
            f"stocks.regime_duration_{side}",
            f"Expected duration of the {side}-correlation regime",
            float(row["expected_duration"]),
            "weeks",
            "1 / (1 - p_kk) of the regime-switching model's transition matrix",
            window,
            decimals=0,
            ci=(float(row["duration_ci_low"]), float(row["duration_ci_high"])),
            ci_method="QML sandwich standard error on logit(p_kk), maximum likelihood",
        )
    return keys


def _thresholds(
    regimes: StockBondRegimesResults, section: Section, findings: Findings
) -> dict[str, str]:
    """Correlation difference above minus at-or-below each CPI inflation threshold."""
    fit = regimes.thresholds
    table = fit.table
    section.tables.append(
        Table(
            "stock_bond_inflation_thresholds",
            f"Correlation of daily returns by CPI inflation (y/y, lagged {fit.lag_months} "
            "month) at each threshold (95% intervals)",
            table,
        )
    )
    eras = regimes.era_correlations
    first, last = regimes.sample or (eras["first"].iloc[0], eras["last"].iloc[-1])
    window = f"{date(first)} .. {date(last)}"
    significant = []
    keys = {}
    for tau, row in table.iterrows():
        label = f"{number(tau):g}".replace(".", "_")
        key = findings.add(
            f"stocks.inflation_corr_diff_{label}",
            f"Stock-bond correlation above minus at or below {number(tau):g}% CPI inflation",
            float(row["difference"]),
            "correlation",
            "Difference of daily-return correlations in months with lagged y/y CPI inflation "
            f"above and at or below {number(tau):g}%",
            window,
            ci=(float(row["difference_ci_low"]), float(row["difference_ci_high"])),
            ci_method=f"{fit.method}; the two samples taken as independent",
        )
        keys[f"tau {number(tau):g}"] = key
        if _significant(findings, key.strip("{}")):
            significant.append(f"{number(tau):g}%")
    keys["thresholds"] = ", ".join(f"{number(t):g}%" for t in table.index)
    keys["significant thresholds"] = ", ".join(significant) or "none"
    keys["n significant"] = str(len(significant))
    keys["n thresholds"] = str(len(table))
    return keys


_PART_NOTES = {
    "total": "a measurement: the log change of monthly-average S&P 500 prices; no sampling "
    "interval applies",
    "earnings": "a measurement: the log change of the earnings used; no sampling interval applies",
    "real_rate": "a part of an exact identity (minus the change in the real yield over the "
    "log-mean earnings yield): a measurement, no sampling interval applies",
    "growth": "a part of an exact identity (the change in g over the log-mean earnings yield): "
    "a measurement, no sampling interval applies",
    "risk_premium": "the residual of the identity: what earnings, the real rate (and growth) "
    "leave; not an observation, so no interval applies",
}


def _valuation(
    results: StocksAnalysisResults, section: Section, findings: Findings, as_of: str
) -> dict[str, str]:
    """Dividend-discount view: the denominator chart, the ERP and the 2022 decomposition
    (each stated as a gap when the data up to ``as_of`` cannot carry it)."""
    ddm = results.dividend_discount
    if ddm is None or results.episodes is None:
        section.gaps.append(
            f"Dividend-discount view: the data to {as_of} hold fewer than {SPLICE_MONTHS} "
            "months of TIPS yields (from 2003), too few to match the ex-ante real-yield "
            "proxy's level: not measured."
        )
        return {}
    section.charts.append(ddm_yields_chart(ddm))
    erp = ddm.equity_risk_premium.dropna()
    keys = {
        "erp": findings.add(
            "stocks.erp_latest",
            "Equity risk premium (earnings yield minus real 10-year yield)",
            float(erp.iloc[-1]),
            "percent",
            "Shiller trailing earnings / price minus the real 10-year yield (TIPS)",
            f"{date(erp.index[-1])}",
            as_of=date(erp.index[-1]),
            ci_note="the residual of the identity E/P = r + ERP at one date (a measurement, "
            "not an estimate): no interval applies",
        )
    }
    episodes = results.episodes
    if not episodes.empty:
        section.tables.append(
            Table(
                "price_decompositions",
                "S&P 500 log price change split into earnings, real-rate and risk-premium parts",
                episodes[["start", "end", "total", "earnings", "real_rate", "risk_premium"]],
                note="log points; the parts add up to the total (Shiller monthly averages); "
                "the risk-premium part is the residual of E/P = r + ERP. Real yield: TIPS from "
                "2003, before it the level-matched ex-ante proxy.",
                decimals=3,
            )
        )
    label = STOCK_EPISODES[0][0]  # the 2022 sell-off, whose parts are the findings
    if label not in episodes.index:
        shown = "the table shows those that had" if len(episodes) else "no episode had ended"
        section.gaps.append(
            f"Price decomposition of the {label}: it had not ended by {as_of} ({shown})."
        )
        if results.valuation is not None:
            keys.update(_smoothed_valuation(results.valuation, label, section, findings))
        return keys
    sell_off = episodes.iloc[list(episodes.index).index(label)]  # a row (Series)
    window = f"{sell_off['start']} .. {sell_off['end']}"
    for name in ("total", "earnings", "real_rate", "risk_premium"):
        keys[name] = findings.add(
            f"stocks.selloff_2022_{name}",
            f"{label}: {name.replace('_', ' ')} part",
            float(sell_off[name]) * 100.0,
            "log points x 100",
            f"Part of the S&P 500 log price change attributed to {name.replace('_', ' ')}",
            window,
            decimals=1,
            ci_note=_PART_NOTES[name],
        )
    largest = min(("earnings", "real_rate", "risk_premium"), key=lambda n: float(sell_off[n]))
    keys["largest"] = largest.replace("_", " ") + (
        " (the identity's residual)" if largest == "risk_premium" else ""
    )
    keys["label"] = label
    keys["real yields"] = "rising" if float(sell_off["real_rate"]) < 0 else "falling"
    if results.valuation is not None:
        keys.update(_smoothed_valuation(results.valuation, label, section, findings))
    return keys


def _smoothed_valuation(
    valuation: SmoothedValuationResults, label: str, section: Section, findings: Findings
) -> dict[str, str]:
    """Ten-year-average earnings and a growth term beside the trailing view."""
    section.charts.append(smoothed_valuation_chart(valuation))
    section.tables.append(
        Table(
            "price_decompositions_smoothed",
            "S&P 500 log price change with ten-year-average earnings and a growth term "
            "(E10/P = r + ERP - g)",
            valuation.episodes,
            note="log points; the parts add up to the total; the risk-premium part is the "
            "residual of the identity.",
            decimals=3,
        )
    )
    latest = valuation.yields.iloc[-1]
    month = date(valuation.yields.index[-1])
    keys = {
        "g": findings.add(
            "stocks.growth_latest",
            "Growth term g: 20-year trend of ten-year-average real earnings",
            float(latest["growth"]),
            "percent a year",
            "Annualised log growth of ten-year-average real earnings over the past 20 years",
            month,
            ci_note="a trailing trend used as the expected growth (a measurement of the past, "
            "not an estimate): no interval applies",
        ),
        "erp g": findings.add(
            "stocks.erp_growth_latest",
            "Equity risk premium with smoothed earnings and growth (E10/P - r + g)",
            float(latest["erp_growth"]),
            "percent",
            "Ten-year-average earnings / price minus the real 10-year yield plus g",
            month,
            ci_note=_PART_NOTES["risk_premium"],
        ),
    }
    if label in valuation.episodes.index:
        row = valuation.episodes.loc[label]
        for name in ("earnings", "real_rate", "growth", "risk_premium"):
            keys[f"g {name}"] = findings.add(
                f"stocks.selloff_2022_smoothed_{name}",
                f"{label}: {name.replace('_', ' ')} part (E10/P = r + ERP - g)",
                number(row[name]) * 100.0,
                "log points x 100",
                f"Part of the S&P 500 log price change attributed to {name.replace('_', ' ')}, "
                "with ten-year-average earnings and a growth term",
                f"{row['start']} .. {row['end']}",
                decimals=1,
                ci_note=_PART_NOTES[name],
            )
    return keys


def _portfolio(
    results: StocksAnalysisResults, settings: StudySettings, section: Section, findings: Findings
) -> dict[str, str]:
    """The portfolio against 100% stocks: rolling Sharpe ratios and the last window's."""
    mix = portfolio_label(settings.stock_weight)
    months = settings.portfolio_window_months
    rolling = results.portfolio.rolling().dropna(how="all")
    section.charts.append(sharpe_chart(results.portfolio))
    section.charts.append(diversification_chart(results.portfolio))
    section.tables.append(
        Table(
            "sixty_forty",
            f"{mix} (monthly rebalanced) against 100% stocks and 100% bonds",
            results.portfolio.performance(),
        )
    )
    last = rolling.iloc[-1]
    end = date(rolling.index[-1])
    keys = {"mix": mix, "span": in_words(months, "month")}
    keys["portfolio"] = findings.add(
        "stocks.sharpe_6040_3y",
        f"{mix} Sharpe ratio, last {years_label(months, 'month')}",
        float(last["sharpe_portfolio"]),
        "ratio",
        f"Annualised excess return over volatility of monthly {mix} returns, {months} months",
        f"{months} months to {end}",
        as_of=end,
        **_sharpe_ci(results, "portfolio"),
    )
    keys["stocks"] = findings.add(
        "stocks.sharpe_stocks_3y",
        f"100% stocks Sharpe ratio, last {years_label(months, 'month')}",
        float(last["sharpe_stocks"]),
        "ratio",
        f"Annualised excess return over volatility of monthly S&P 500 total returns, {months} "
        "months",
        f"{months} months to {end}",
        as_of=end,
        **_sharpe_ci(results, "stocks"),
    )
    return keys


def _sharpe_ci(results: StocksAnalysisResults, name: str) -> dict[str, Any]:
    """The Lo (2002) interval of a last-window Sharpe ratio, when the study computed one."""
    table = results.sharpe_intervals
    if table is None:
        return {}
    row = table.loc[name]
    return {
        "ci": (number(row["ci_low"]), number(row["ci_high"])),
        "ci_method": f"Lo (2002) asymptotic standard error, i.i.d. monthly returns "
        f"(n = {number(row['nobs']):.0f}), Student-t critical value",
    }


def _equity_response(results: StocksAnalysisResults, section: Section) -> None:
    if results.term_premium is None:
        return
    section.tables.append(
        Table(
            "equity_response",
            "Monthly S&P 500 return on changes in the 10-year expected-rate part and term "
            "premium (Newey-West errors)",
            results.term_premium.full_sample,
            decimals=3,
        )
    )
    section.tables.append(
        Table(
            "equity_response_correlations",
            "Correlation of monthly S&P 500 returns with each part, by sample",
            results.term_premium.correlations,
        )
    )


def _hedge(findings: Findings, daily: str, monthly: str) -> str:
    """What the intervals of the recent daily and monthly correlations allow one to say."""
    keys = (daily.strip("{}"), monthly.strip("{}"))
    items = [next(i for i in findings.items if i.key == key) for key in keys]
    if any(item.ci is None for item in items):
        return "without intervals the hedge cannot be judged"
    above = [item.ci is not None and item.ci[0] > 0.0 for item in items]
    below = [item.ci is not None and item.ci[1] < 0.0 for item in items]
    if all(above):
        return "stocks and Treasuries now move together significantly: Treasuries no longer hedge"
    if all(below):
        return "Treasuries still hedge equity risk significantly, if less than before"
    if any(above) or any(below):
        return "the two horizons disagree: only one correlation's interval excludes zero"
    return (
        "neither the daily nor the monthly correlation differs significantly from zero: "
        "Treasuries no longer hedge reliably"
    )


def _stocks_prose(
    keys: dict[str, str],
    valuation: dict[str, str],
    portfolio: dict[str, str],
    section: Section,
    findings: Findings,
) -> list[str]:
    """The section's paragraphs; returns its two summary sentences."""
    if "diff" not in keys:  # as of a date before 2020
        return _stocks_prose_before_2020(keys, valuation, portfolio, section, findings)
    diff = keys["diff"].strip("{}")
    significance = (
        "significant at 5% (its interval excludes zero)"
        if _significant(findings, diff)
        else "not significant at 5% (its interval includes zero)"
    )
    direction = "risen" if findings.value(diff) > 0 else "fallen"
    ci = partial(_ci_text, findings)
    section.paragraphs.append(
        f"The correlation of daily stock and 10-year Treasury returns was {keys['recent']} "
        f"({ci(keys['recent'].strip('{}'))}) since 2020, against {keys['corr before']} "
        f"({ci(keys['corr before'].strip('{}'))}) in 2000-2019: it has {direction} by "
        f"{keys['diff']} ({ci(diff)}), a change {significance}. The mean "
        f"{keys['daily label']} rolling correlation, a descriptive measure without an interval, "
        f"was {keys['recent era']} and {keys['before']}. On monthly returns since 2020 the "
        f"correlation is {keys['monthly corr']} ({ci(keys['monthly corr'].strip('{}'))}): "
        f"{keys['hedge']}. The latest {keys['daily label']} reading is {keys['latest']} "
        f"({ci(keys['latest'].strip('{}'))}); the DCC-GARCH correlation on {keys['dcc date']} "
        f"is {keys['dcc']}."
    )
    return [
        f"Stocks: the correlation of daily stock and Treasury returns has {direction} from "
        f"{keys['corr before']} ({ci(keys['corr before'].strip('{}'))}; 2000-2019) to "
        f"{keys['recent']} ({ci(keys['recent'].strip('{}'))}) since 2020 (change "
        f"{keys['diff']}, {ci(diff)}: {significance.split(' (')[0]}); on monthly returns it is "
        f"{keys['monthly corr']} ({ci(keys['monthly corr'].strip('{}'))}); {keys['hedge']}.",
        *_later_prose(keys, valuation, portfolio, section, findings),
    ]


def _stocks_prose_before_2020(
    keys: dict[str, str],
    valuation: dict[str, str],
    portfolio: dict[str, str],
    section: Section,
    findings: Findings,
) -> list[str]:
    """The prose of an as-of report whose data end before 2020: the eras with data, and
    what is left out (the 2020-latest era and the comparisons that need it; before December
    2019 also the 2000-2019 sample)."""
    ci = partial(_ci_text, findings)
    era = keys["recent name"]
    whole = "corr before" in keys  # the 2000-2019 sample is complete
    left_out = (
        f"The data end on {keys['dcc date']}: the 2020-latest era, its change against "
        "2000-2019 and the correlation of monthly returns since 2020"
        + ("" if whole else ", and the 2000-2019 sample itself,")
        + " need later data and are left out; every other result is fitted on the data up "
        "to that date."
    )
    recent = f"{keys['recent']} ({ci(keys['recent'].strip('{}'))}) in {era}"
    against = (
        f", against {keys['corr before']} ({ci(keys['corr before'].strip('{}'))}) over 2000-2019"
        if whole
        else ""
    )
    mean_before = f" and {keys['before']} over 2000-2019" if "before" in keys else ""
    section.paragraphs.append(
        f"The correlation of daily stock and 10-year Treasury returns was {recent}{against}. "
        f"The mean {keys['daily label']} rolling correlation, a descriptive measure without an "
        f"interval, was {keys['recent era']} in {era}{mean_before}. The latest "
        f"{keys['daily label']} reading is {keys['latest']} ({ci(keys['latest'].strip('{}'))}); "
        f"the DCC-GARCH correlation on {keys['dcc date']} is {keys['dcc']}. {left_out}"
    )
    against = against.replace(", against", " and")
    return [
        f"Stocks: the correlation of daily stock and Treasury returns was {recent}{against} "
        f"(no 2020-latest era in data ending {keys['dcc date']}).",
        *_later_prose(keys, valuation, portfolio, section, findings),
    ]


def _later_prose(
    keys: dict[str, str],
    valuation: dict[str, str],
    portfolio: dict[str, str],
    section: Section,
    findings: Findings,
) -> list[str]:
    """Breaks, regimes and thresholds; valuation; the portfolio. Returns the valuation's
    summary sentence (none without the 2022 decomposition: an as-of report)."""
    ci = partial(_ci_text, findings)
    section.paragraphs.append(
        f"Estimated breaks in the correlation (Bai-Perron, beside the imposed eras): "
        f"{keys['breaks']}. A two-state regime-switching model on weekly returns finds one "
        f"regime with correlation {keys['corr low']} ({ci(keys['corr low'].strip('{}'))}) "
        f"lasting about {keys['duration low']} weeks and one with {keys['corr high']} "
        f"({ci(keys['corr high'].strip('{}'))}) lasting about {keys['duration high']} weeks. "
        f"By CPI inflation the correlation above minus at or below the threshold is significant "
        f"at 5% at {keys['n significant']} of {keys['n thresholds']} thresholds "
        f"({keys['thresholds']}; significant: {keys['significant thresholds']})."
    )
    v = valuation
    smoothed = (
        f" With ten-year-average earnings and a growth term (E10/P = r + ERP - g, g "
        f"{v['g']}% a year) the parts are earnings {v['g earnings']}, real rate "
        f"{v['g real_rate']}, growth {v['g growth']} and risk premium {v['g risk_premium']} "
        f"(the residual); that ERP stands at {v['erp g']}% (the residual of the identity)."
        if "g earnings" in v
        else ""
    )
    if "label" in v:
        section.paragraphs.append(
            f"Dividend-discount view: in the {v['label']} the S&P 500 moved {v['total']} log "
            f"points (x100): earnings {v['earnings']}, the real rate {v['real_rate']} and the "
            f"risk premium {v['risk_premium']}. The risk-premium part is the residual of the "
            f"identity E/P = r + ERP, not a measured cause. The largest negative part was the "
            f"{v['largest']} part. The equity risk premium (E/P - r, also a residual) stands "
            f"at {v['erp']}%.{smoothed}"
        )
    elif "erp" in v:
        section.paragraphs.append(
            f"Dividend-discount view: the equity risk premium (E/P - r, the residual of the "
            f"identity E/P = r + ERP) stands at {v['erp']}%."
            + (
                f" With ten-year-average earnings and a growth term it is {v['erp g']}%."
                if "erp g" in v
                else ""
            )
        )
    section.paragraphs.append(
        f"Over the last {portfolio['span']} {portfolio['mix']} had a Sharpe ratio of "
        f"{portfolio['portfolio']} ({ci(portfolio['portfolio'].strip('{}'))}) against "
        f"{portfolio['stocks']} ({ci(portfolio['stocks'].strip('{}'))}) for stocks alone; its "
        "diversification benefit shrinks as the stock-bond correlation rises (scatter)."
    )
    with_growth = (
        f" With ten-year-average earnings and a growth term (E10/P = r + ERP - g) the real "
        f"rate's part is {v['g real_rate']}, growth's {v['g growth']} and the residual "
        f"{v['g risk_premium']}: the split depends on the identity chosen."
        if "g earnings" in v
        else ""
    )
    if "label" not in v:
        return []
    return [
        f"In the {v['label']}, with trailing earnings and no growth term (E/P = r + ERP), "
        f"{v['real yields']} real yields contributed {v['real_rate']} and earnings "
        f"{v['earnings']} of the {v['total']} move (log points x100); the risk-premium part "
        f"{v['risk_premium']} is the residual of the identity.{with_growth}"
    ]
