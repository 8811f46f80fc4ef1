"""Report section: U.S. stocks -- the stock-bond correlation, valuation and the portfolio.

Every window and weight in the text comes from :class:`~ustpull.studies.StudySettings`.
"""

from __future__ import annotations

from ustpull.crossasset.charts import (
    ddm_yields_chart,
    diversification_chart,
    inflation_regime_chart,
    sharpe_chart,
    stock_bond_correlation_chart,
)
from ustpull.crossasset.stocks import StocksAnalysisResults
from ustpull.report.document import Section, Table
from ustpull.report.findings import (
    Findings,
    date,
    in_words,
    portfolio_label,
    span,
    window_label,
    years_label,
)
from ustpull.studies import Studies, StudySettings

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
    valuation = _valuation(results, section, findings)
    portfolio = _portfolio(results, settings, section, findings)
    _equity_response(results, section)
    return section, _stocks_prose(keys, valuation, portfolio, section, findings)


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
        keys[f"era {name}"] = findings.add(
            f"stocks.corr_mean_{str(name).replace('-', '_')}",
            f"Mean {daily_label} rolling stock-bond correlation, {name} era "
            f"(data {date(row['first'])[:4]}-{date(row['last'])[:4]})",
            float(row["mean"]),
            "correlation",
            f"Mean of the {days}-day rolling correlation of daily S&P 500 log returns with the "
            "exact 10-year zero-coupon Treasury return from the GSW curve",
            f"{date(row['first'])} .. {date(row['last'])}",
        )
    keys["recent era"] = keys[f"era {eras.index[-1]}"]
    keys["daily label"] = daily_label
    keys["monthly label"] = window_label(settings.correlation_window_months, "month")
    keys.update(_monthly_and_test(results, settings, findings, as_of))
    keys["latest"] = findings.add(
        "stocks.corr_latest",
        f"Latest {daily_label} rolling stock-bond correlation",
        float(correlation.iloc[-1]),
        "correlation",
        f"{days}-day rolling correlation, last value",
        f"{date(correlation.index[-days])} .. {as_of}",
        as_of=as_of,
    )
    section.charts.append(stock_bond_correlation_chart(results.daily))
    section.charts.append(inflation_regime_chart(results.inflation))
    section.tables.append(
        Table(
            "stock_bond_eras",
            f"Stock-bond correlation by era (daily, {days}-day window)",
            eras[["first", "last", "n", "mean", "median", "share_positive", "return_correlation"]],
        )
    )
    before_window = correlation.loc["2000-01-01":"2019-12-31"]
    keys["before"] = findings.add(
        "stocks.corr_mean_2000_2019",
        f"Mean {daily_label} rolling stock-bond correlation, 2000-2019",
        float(before_window.mean()),
        "correlation",
        f"Mean of the {days}-day rolling correlation over every day of 2000-2019",
        span(before_window.index),
        as_of=date(before_window.index[-1]),
    )
    recent = float(correlation.loc["2020-01-01":].mean())
    keys["direction"] = "risen" if recent > float(before_window.mean()) else "fallen"
    keys["hedge"] = _hedge(recent, findings.value("stocks.corr_monthly_recent"))
    return keys


def _monthly_and_test(
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
    )
    # the test of the statistic quoted: the mean rolling correlation, by moving-block bootstrap
    test = results.daily.regime_test.get("block_bootstrap_mean_rolling", {})
    pvalue_key = findings.add(
        "stocks.regime_test_pvalue",
        "p-value: post-2020 mean rolling correlation equals 2000-2019's",
        float(test.get("pvalue", float("nan"))),
        "probability",
        "Moving-block bootstrap (blocks of one rolling window) of the difference in the mean "
        f"{settings.correlation_window_days}-day rolling correlation, 2020-latest vs 2000-2019",
        "2000-01-01 .. " + as_of,
        as_of=as_of,
        decimals=4,
    )
    return {"monthly": monthly_key, "pvalue": pvalue_key}


def _valuation(
    results: StocksAnalysisResults, section: Section, findings: Findings
) -> dict[str, str]:
    """Dividend-discount view: the denominator chart, the ERP and the 2022 decomposition."""
    ddm = results.dividend_discount
    section.charts.append(ddm_yields_chart(ddm))
    erp = ddm.equity_risk_premium.dropna()
    keys = {
        "erp": findings.add(
            "stocks.erp_latest",
            "Equity risk premium (earnings yield minus real 10-year yield)",
            float(erp.iloc[-1]),
            "percent",
            "Shiller trailing earnings / price minus the real 10-year yield",
            f"{date(erp.index[-1])}",
            as_of=date(erp.index[-1]),
        )
    }
    episodes = results.episodes
    section.tables.append(
        Table(
            "price_decompositions",
            "S&P 500 log price change split into earnings, real-rate and risk-premium parts",
            episodes[["start", "end", "total", "earnings", "real_rate", "risk_premium"]],
            note="log points; the parts add up to the total (Shiller monthly averages).",
            decimals=3,
        )
    )
    sell_off = episodes.iloc[0]
    label = str(episodes.index[0])
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
        )
    largest = min(("earnings", "real_rate", "risk_premium"), key=lambda n: float(sell_off[n]))
    keys["largest"] = largest.replace("_", " ")
    keys["label"] = label
    keys["real yields"] = "rising" if float(sell_off["real_rate"]) < 0 else "falling"
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
    )
    return keys


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


def _hedge(recent: float, monthly_recent: float) -> str:
    if recent > 0 and monthly_recent > 0:
        return "stocks and Treasuries now tend to fall together: Treasuries no longer hedge"
    if recent < 0 and monthly_recent < 0:
        return "Treasuries still hedge equity risk on average, if less than before"
    if monthly_recent > 0:
        return (
            "the hedge has weakened: daily returns still correlate slightly negatively while "
            "monthly returns now move together"
        )
    return "the two horizons disagree on the sign"


def _stocks_prose(
    keys: dict[str, str],
    valuation: dict[str, str],
    portfolio: dict[str, str],
    section: Section,
    findings: Findings,
) -> list[str]:
    """The section's three paragraphs; returns its two summary sentences."""
    significance = (
        "significant" if findings.value("stocks.regime_test_pvalue") < 0.05 else "not significant"
    )
    section.paragraphs.append(
        f"The {keys['daily label']} stock-bond correlation averaged {keys['recent era']} since "
        f"2020, against {keys['before']} in 2000-2019: it has {keys['direction']} (difference "
        f"{significance} at 5%, p = {keys['pvalue']}). On monthly returns over "
        f"{keys['monthly label']} windows the post-2020 mean is {keys['monthly']}: "
        f"{keys['hedge']}. The latest daily reading is {keys['latest']}."
    )
    v = valuation
    section.paragraphs.append(
        f"Dividend-discount view: in the {v['label']} the S&P 500 moved {v['total']} log points "
        f"(x100): earnings {v['earnings']}, the real rate {v['real_rate']} and the risk "
        f"premium {v['risk_premium']}. The largest drag was the {v['largest']} part. The equity "
        f"risk premium stands at {v['erp']}%."
    )
    section.paragraphs.append(
        f"Over the last {portfolio['span']} {portfolio['mix']} had a Sharpe ratio of "
        f"{portfolio['portfolio']} against {portfolio['stocks']} for stocks alone; its "
        "diversification benefit shrinks as the stock-bond correlation rises (scatter)."
    )
    return [
        f"Stocks: the stock-bond correlation has {keys['direction']} from {keys['before']} "
        f"(2000-2019) to {keys['recent era']} since 2020 on daily data (p = {keys['pvalue']}) "
        f"and to {keys['monthly']} on monthly data; {keys['hedge']}.",
        f"In the {v['label']}, {v['real yields']} real yields contributed {v['real_rate']} and "
        f"earnings {v['earnings']} of the {v['total']} move (log points x100): the "
        f"{v['largest']} part dominated.",
    ]
