"""Turn analysis results into report sections, findings and an executive summary.

Every sentence of the summary is built from the numbers: the verbs and comparisons are
chosen by the signs and sizes of the findings, and each number is a ``{finding.key}``
placeholder that the HTML renders from the same value that findings.json holds.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ustpull.crossasset.dollar import dollar_index
from ustpull.report.document import Chart, Finding, ReportDocument, Section, Shading, Table
from ustpull.report.findings import (
    Findings,
    date,
    era_shading,
    number,
    recession_shading,
    span,
)
from ustpull.report.section_connectedness import METHODOLOGY as _CONNECTEDNESS_METHOD
from ustpull.report.section_connectedness import connectedness_section
from ustpull.studies import Studies
from ustpull.studies.data import data_through

__all__ = ["assemble_document"]


# --------------------------------------------------------------------------- stocks


def _stocks_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    section = Section("stocks", "U.S. stocks: the stock-bond correlation, valuation and 60/40")
    results = studies.stocks
    if results is None:
        section.gaps.append("The stocks analysis did not run (see the gaps above).")
        return section, []
    eras = results.daily.eras
    correlation = results.daily.correlations["exact"].dropna()
    as_of = date(correlation.index[-1])
    era_keys = {}
    for name, row in eras.iterrows():
        key = f"stocks.corr_mean_{str(name).replace('-', '_')}"
        era_keys[str(name)] = findings.add(
            key,
            f"Mean 1-year rolling stock-bond correlation, {name} era "
            f"(data {date(row['first'])[:4]}-{date(row['last'])[:4]})",
            float(row["mean"]),
            "correlation",
            "Mean of the 252-day rolling correlation of daily S&P 500 log returns with the "
            "exact 10-year zero-coupon Treasury return from the GSW curve",
            f"{date(row['first'])} .. {date(row['last'])}",
        )
    monthly = results.monthly.eras
    recent_era = str(monthly.index[-1])
    monthly_key = findings.add(
        "stocks.corr_monthly_recent",
        f"Mean 3-year rolling correlation of monthly returns, {recent_era}",
        float(monthly["mean"].iloc[-1]),
        "correlation",
        "Mean of the 36-month rolling correlation of monthly S&P 500 and 10-year zero returns",
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
        "252-day rolling correlation, 2020-latest vs 2000-2019",
        "2000-01-01 .. " + as_of,
        as_of=as_of,
        decimals=4,
    )
    latest_key = findings.add(
        "stocks.corr_latest",
        "Latest 1-year rolling stock-bond correlation",
        float(correlation.iloc[-1]),
        "correlation",
        "252-day rolling correlation, last value",
        f"{date(correlation.index[-252])} .. {as_of}",
        as_of=as_of,
    )
    chart_data = pd.DataFrame(
        {
            "exact 10y zero return": results.daily.correlations["exact"],
            "duration approximation": results.daily.correlations["duration"],
        }
    ).dropna(how="all")
    section.charts.append(
        Chart(
            "stock_bond_correlation",
            "Rolling 1-year correlation: S&P 500 vs 10-year Treasury returns (eras shaded)",
            _weekly(chart_data),
            "correlation",
            shading=era_shading(eras),
            zero_line=True,
            note="Daily log returns on common trading days; sampled weekly for display.",
        )
    )
    section.tables.append(
        Table(
            "stock_bond_eras",
            "Stock-bond correlation by era (daily, 252-day window)",
            eras[["first", "last", "n", "mean", "median", "share_positive", "return_correlation"]],
        )
    )
    # Dividend-discount view
    ddm = results.dividend_discount
    yields = ddm.yields
    section.charts.append(
        Chart(
            "ddm_yields",
            "The denominator: earnings yield, real 10-year yield and the equity risk premium",
            yields.loc[
                "1950-01-01":, ["earnings_yield", "real_yield", "equity_risk_premium"]
            ].dropna(how="all"),
            "percent",
            zero_line=True,
            note="Shiller monthly data from 1950; real yield = "
            "TIPS from 2003, before GS10 minus trailing 12-month CPI inflation; ERP = earnings "
            "yield - real yield.",
        )
    )
    erp = ddm.equity_risk_premium.dropna()
    erp_key = findings.add(
        "stocks.erp_latest",
        "Equity risk premium (earnings yield minus real 10-year yield)",
        float(erp.iloc[-1]),
        "percent",
        "Shiller trailing earnings / price minus the real 10-year yield",
        f"{date(erp.index[-1])}",
        as_of=date(erp.index[-1]),
    )
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
    parts = {
        name: findings.add(
            f"stocks.selloff_2022_{name}",
            f"{label}: {name.replace('_', ' ')} part",
            float(sell_off[name]) * 100.0,
            "log points x 100",
            f"Part of the S&P 500 log price change attributed to {name.replace('_', ' ')}",
            window,
            decimals=1,
        )
        for name in ("total", "earnings", "real_rate", "risk_premium")
    }
    largest = min(("earnings", "real_rate", "risk_premium"), key=lambda n: float(sell_off[n]))
    real_yields_moved = "rising" if float(sell_off["real_rate"]) < 0 else "falling"
    # 60/40
    rolling = results.portfolio.rolling().dropna(how="all")
    section.charts.append(
        Chart(
            "sixty_forty_sharpe",
            "Rolling 3-year Sharpe ratio: 60/40 vs 100% stocks",
            rolling[["sharpe_portfolio", "sharpe_stocks"]].rename(
                columns={"sharpe_portfolio": "60/40", "sharpe_stocks": "100% stocks"}
            ),
            "Sharpe ratio",
            zero_line=True,
        )
    )
    benefit = rolling[["stock_bond_correlation", "diversification_benefit_pct"]].dropna()
    scatter = benefit.set_index("stock_bond_correlation")[["diversification_benefit_pct"]]
    scatter = scatter.sort_index()
    section.charts.append(
        Chart(
            "diversification_benefit",
            "Diversification benefit of 60/40 against the stock-bond correlation (rolling 3y)",
            scatter.rename(columns={"diversification_benefit_pct": "benefit, % a year"}),
            "weighted-average volatility minus portfolio volatility, %",
            kind="scatter",
            x_title="stock-bond correlation",
        )
    )
    section.tables.append(
        Table(
            "sixty_forty",
            "60/40 (monthly rebalanced) against 100% stocks and 100% bonds",
            results.portfolio.performance(),
        )
    )
    last_rolling = rolling.iloc[-1]
    sharpe_key = findings.add(
        "stocks.sharpe_6040_3y",
        "60/40 Sharpe ratio, last 3 years",
        float(last_rolling["sharpe_portfolio"]),
        "ratio",
        "Annualised excess return over volatility of monthly 60/40 returns, 36 months",
        f"36 months to {date(rolling.index[-1])}",
        as_of=date(rolling.index[-1]),
    )
    stocks_sharpe_key = findings.add(
        "stocks.sharpe_stocks_3y",
        "100% stocks Sharpe ratio, last 3 years",
        float(last_rolling["sharpe_stocks"]),
        "ratio",
        "Annualised excess return over volatility of monthly S&P 500 total returns, 36 months",
        f"36 months to {date(rolling.index[-1])}",
        as_of=date(rolling.index[-1]),
    )
    if results.term_premium is not None:
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
    recent = float(correlation.loc["2020-01-01":].mean())
    before_window = correlation.loc["2000-01-01":"2019-12-31"]
    before = float(before_window.mean())
    before_key = findings.add(
        "stocks.corr_mean_2000_2019",
        "Mean 1-year rolling stock-bond correlation, 2000-2019",
        before,
        "correlation",
        "Mean of the 252-day rolling correlation over every day of 2000-2019",
        span(before_window.index),
        as_of=date(before_window.index[-1]),
    )
    direction = "risen" if recent > before else "fallen"
    monthly_recent = findings.value("stocks.corr_monthly_recent")
    if recent > 0 and monthly_recent > 0:
        hedge = "stocks and Treasuries now tend to fall together: Treasuries no longer hedge"
    elif recent < 0 and monthly_recent < 0:
        hedge = "Treasuries still hedge equity risk on average, if less than before"
    else:
        hedge = (
            "the hedge has weakened: daily returns still correlate slightly negatively while "
            "monthly returns now move together"
            if monthly_recent > 0
            else "the two horizons disagree on the sign"
        )
    significance = (
        "significant" if findings.value("stocks.regime_test_pvalue") < 0.05 else "not significant"
    )
    section.paragraphs.append(
        f"The 1-year stock-bond correlation averaged {era_keys[str(eras.index[-1])]} since 2020, "
        f"against {before_key} in 2000-2019: it has {direction} (difference {significance} at "
        f"5%, p = {pvalue_key}). On monthly returns over 3-year windows the post-2020 mean is "
        f"{monthly_key}: {hedge}. The latest daily reading is {latest_key}."
    )
    section.paragraphs.append(
        f"Dividend-discount view: in the {label} the S&P 500 moved {parts['total']} log points "
        f"(x100): earnings {parts['earnings']}, the real rate {parts['real_rate']} and the risk "
        f"premium {parts['risk_premium']}. The largest drag was the "
        f"{largest.replace('_', ' ')} part. The equity risk premium stands at {erp_key}%."
    )
    section.paragraphs.append(
        f"Over the last three years 60/40 had a Sharpe ratio of {sharpe_key} against "
        f"{stocks_sharpe_key} for stocks alone; its diversification benefit shrinks as the "
        "stock-bond correlation rises (scatter)."
    )
    summary = [
        f"Stocks: the stock-bond correlation has {direction} from {before_key} (2000-2019) to "
        f"{era_keys[str(eras.index[-1])]} since 2020 on daily data (p = {pvalue_key}) and to "
        f"{monthly_key} on monthly data; {hedge}.",
        f"In the {label}, {real_yields_moved} real yields contributed {parts['real_rate']} and "
        f"earnings "
        f"{parts['earnings']} of the {parts['total']} move (log points x100): "
        f"the {largest.replace('_', ' ')} part dominated.",
    ]
    return section, summary


def _shape_verdict(ordering_holds: bool, table: pd.DataFrame) -> str:
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


def _weekly(frame: pd.DataFrame) -> pd.DataFrame:
    """Friday samples of a daily frame (charts stay light in the browser)."""
    sampled = frame.groupby(pd.DatetimeIndex(frame.index).to_period("W-FRI")).last()
    sampled.index = pd.PeriodIndex(sampled.index).to_timestamp(how="end").normalize()
    sampled.index.name = "date"
    return sampled


# --------------------------------------------------------------------------- foreign bonds


def _term_premium_extras(studies: Studies, section: Section, findings: Findings) -> None:
    """Term-premium curve now and a year ago, the 5y5y forward premium, published series."""
    from ustpull.termpremium.published import compare_series, fidelity_table, nyfed_gaps

    assert studies.us_monthly is not None
    table = studies.us_monthly.to_frame()
    premia = studies.us_monthly.decomposition.term_premium  # months 1..120
    latest, year_ago = table.index[-1], table.index[-1] - pd.DateOffset(years=1)
    earlier = premia.loc[:year_ago].iloc[-1]
    curve = pd.DataFrame(
        {
            f"{latest:%Y-%m-%d}": premia.iloc[-1].to_numpy(),
            f"{earlier.name:%Y-%m-%d}": earlier.to_numpy(),
        },
        index=pd.Index(np.round(premia.columns.to_numpy() / 12.0, 4), name="maturity (years)"),
    )
    section.charts.append(
        Chart(
            "us_term_premium_curve",
            "U.S. term premium by maturity, latest month-end and a year earlier (ACM)",
            curve,
            "percent",
            x_title="maturity (years)",
            zero_line=True,
        )
    )
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
    ours = table["term_premium_10y"]
    kim_wright = studies.frame["us.kw.tp.10y"].dropna()
    kw_month_end = kim_wright.groupby(pd.DatetimeIndex(kim_wright.index).to_period("M")).last()
    months = pd.DatetimeIndex(ours.index).to_period("M")
    overlay = pd.DataFrame(
        {
            "ACM (ours)": ours,
            "Kim-Wright (Fed Board)": kw_month_end.reindex(months).to_numpy(),
        },
        index=ours.index,
    ).dropna()
    stats = compare_series(ours, kim_wright, name="Kim-Wright")
    section.charts.append(
        Chart(
            "us_term_premium_published",
            "U.S. 10-year term premium: ours and Kim-Wright (published)",
            overlay,
            "percent",
            zero_line=True,
            note=f"Month-ends {stats['first']}..{stats['last']}; mean gap "
            f"{stats['mean_gap_bp']:+.0f} bp, rms {stats['rms_gap_bp']:.0f} bp, correlation "
            f"{stats['correlation']:.2f}.",
        )
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


def _foreign_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    section = Section(
        "foreign",
        "Foreign bonds: term premia, yield co-movement, spillovers and connectedness",
    )
    summary: list[str] = []
    if studies.us_monthly is not None:
        split = studies.us_monthly.to_frame((10,))
        chart = split.rename(
            columns={
                "yield_10y": "10-year yield (ACM fitted)",
                "risk_neutral_10y": "expected average short rate",
                "term_premium_10y": "term premium",
                "term_premium_10y_lower": "term premium, 90% band (low)",
                "term_premium_10y_upper": "term premium, 90% band (high)",
            }
        )
        section.charts.append(
            Chart(
                "us_term_premium",
                "U.S. 10-year yield split into expected short rates and the term premium (ACM)",
                chart,
                "percent",
                zero_line=True,
                note="Month-end GSW zero curve, K = 5 principal components; short rate: "
                "the 1-month CMT bill from 2001-07, the 3-month CMT bill from 1981-09, the "
                "GSW 1-month yield before; band: residual "
                "block bootstrap (500 replications).",
            )
        )
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
        near = (
            "near" if abs(findings.value("termpremium.us_10y_prepandemic") + 1.0) < 0.35 else "at"
        )
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
    results = studies.foreign
    if results is None:
        section.gaps.append("The foreign-bond analysis did not run (see the gaps above).")
        return section, summary
    if results.linkage is not None:
        table = results.linkage.table
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
        linkage_rolling = results.linkage.rolling
        if "ea" in linkage_rolling.columns.get_level_values(0):
            section.charts.append(
                Chart(
                    "term_premium_linkage",
                    "Rolling 3-year U.S.-euro area correlation of monthly changes, by component",
                    pd.DataFrame(linkage_rolling["ea"]).dropna(how="all"),
                    "correlation",
                    zero_line=True,
                )
            )
    comovement = results.comovement_monthly
    rolling = comovement.rolling[[c for c in ("de", "jp", "gb") if c in comovement.rolling]]
    rolling = rolling.join(comovement.rolling_average.rename("average (developed)"))
    section.charts.append(
        Chart(
            "yield_comovement",
            "Rolling 3-year correlation of monthly 10-year yield changes with the U.S.",
            rolling.rename(columns={"de": "Germany", "jp": "Japan", "gb": "United Kingdom"}),
            "correlation",
            zero_line=True,
            note="OECD monthly long-term government bond yields.",
        )
    )
    section.tables.append(
        Table(
            "yield_comovement",
            "Correlation of monthly 10-year yield changes with the U.S. (since 1990)",
            comovement.table[["name", "correlation", "nobs", "start", "end", "recent", "earlier"]],
        )
    )
    average = comovement.average
    table = comovement.table
    avg_key = findings.add(
        "foreign.corr_avg_since_1990",
        "Average correlation of monthly 10-year yield changes with the U.S., since 1990",
        float(average["full_sample"]),
        "correlation",
        "Mean across developed markets of the correlation of monthly OECD 10-year yield changes",
        f"{date(table['start'].min())} .. {date(table['end'].max())}",
    )
    recent_key = findings.add(
        "foreign.corr_avg_recent",
        "Average correlation with the U.S., last 5 years",
        float(average["recent"]),
        "correlation",
        "As above, last 60 months",
        f"60 months to {date(table['end'].max())}",
    )
    section.paragraphs.append(
        f"Monthly changes in developed-market 10-year yields correlated {avg_key} with U.S. "
        f"changes on average since 1990 and {recent_key} over the last five years."
    )
    summary.append(
        f"Yields abroad follow U.S. yields: average correlation of monthly changes {avg_key} "
        f"since 1990, {recent_key} in the last five years."
    )
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
    total = results.rolling_connectedness.total.dropna()
    section.charts.append(
        Chart(
            "connectedness",
            "Diebold-Yilmaz total spillover index, rolling 200-day VAR on daily yield changes",
            _weekly(total.to_frame("total spillover, %")),
            "percent",
        )
    )
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
        "Share of forecast-error variance from other markets, VAR(2), horizon 10, on daily "
        "10-year yield changes of the markets with daily data",
        f"1990-01 .. {date(results.rolling_connectedness.total.index[-1])}",
        decimals=1,
    )
    return section, summary


# --------------------------------------------------------------------------- dollar


def _dollar_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
    section = Section("dollar", "The dollar: co-movement with yields, the smile and the frown")
    results = studies.dollar
    if results is None:
        section.gaps.append("The dollar analysis did not run (see the gaps above).")
        return section, []
    data = studies.frame
    dollar = dollar_index(data, index=results.index_choice)
    levels = pd.concat(
        [dollar.rename("dollar index"), data["us.cmt.10y"].dropna().rename("10-year yield")],
        axis=1,
        sort=True,
    ).dropna()
    section.charts.append(
        Chart(
            "dollar_vs_yield",
            "Dollar index and the 10-year Treasury yield (NBER recessions shaded)",
            _weekly(levels),
            "index",
            secondary=("10-year yield",),
            secondary_title="percent",
            shading=recession_shading(data["us.recession"]),
            note="DXY to its last observation, then the Fed broad index chained on.",
        )
    )
    comovement = results.comovement
    section.charts.append(
        Chart(
            "dollar_yield_correlation",
            "Rolling 1-year correlation of weekly dollar changes with yield components",
            comovement.rolling_correlation.dropna(how="all"),
            "correlation",
            zero_line=True,
            shading=tuple(
                Shading(
                    pd.Timestamp(row["start"]),
                    pd.Timestamp(row["end"]),
                    "divergence",
                    "rgba(214,39,40,0.15)",
                )
                for _, row in comovement.divergences.iterrows()
                if pd.Timestamp(row["start"]) >= pd.Timestamp("2000-01-01")
            ),
            note="Red: yields up at least 20 bp while the dollar fell at least 1.5% over 21 days.",
        )
    )
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
    smile_verdict = _shape_verdict(results.smile.smile_holds, smile)
    frown_verdict = _shape_verdict(results.frown.frown_holds, frown)
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
    return section, summary


def _events_section(studies: Studies, findings: Findings) -> tuple[Section, list[str]]:
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


# --------------------------------------------------------------------------- document

_METHODOLOGY = [
    "Curves: U.S. zero yields are the Federal Reserve's GSW Nelson-Siegel-Svensson curve "
    "(Gurkaynak, Sack and Wright 2007): the published parameters where they exist, NSS fitted "
    "to the published zero yields where the parameter file has gaps (Svensson 1994).",
    "Term premia: Adrian, Crump and Moench (2013): five principal components of month-end "
    "zero yields at 3-120 months, a VAR(1), excess-return regressions at 6-120 months and "
    "cross-sectional prices of risk; the risk-neutral yield is the expected average short rate; "
    "daily values apply the monthly estimates to daily curves (as the NY Fed publishes them).",
    "Stock-bond correlation: daily S&P 500 log returns against the exact return of the GSW "
    "10-year zero-coupon bond, on common trading days, rolling 252 days; eras compared with a "
    "Fisher z test with autocorrelation-robust sample sizes and a moving-block bootstrap.",
    "Dividend-discount view: Shiller monthly prices, earnings and dividends; the log price "
    "change splits exactly into earnings, real-rate and risk-premium parts.",
    "Foreign bonds: OECD monthly 10-year yields and daily yields; spillover betas with "
    "Newey-West errors; Diebold and Yilmaz (2012) spillover index from a VAR and the "
    "generalized forecast-error variance decomposition (Pesaran and Shin 1998).",
    "Dollar: growth states from NBER recessions and real GDP growth against its 10-year trend; "
    "fiscal stance from the four-quarter change in the federal balance (percent of GDP).",
]


#: Finding key prefix -> the analyses (recipes) whose series it uses, each with whether all
#: their series count (True) or only the required ones (the U.S. curve of the term premia).
_FINDING_ANALYSIS: dict[str, tuple[tuple[str, bool], ...]] = {
    "stocks": (("stocks", True), ("term premia", False)),
    "foreign": (("foreign bonds", True), ("term premia", True)),
    "dollar": (("dollar", True), ("term premia", False)),
    "events": (("event studies", True),),
    "termpremium": (("term premia", True),),
}


def _with_sources(items: list[Finding], provenance: pd.DataFrame | None) -> list[Finding]:
    """Each finding names the sources (publisher and series) its analysis used."""
    if provenance is None or provenance.empty:
        return items
    labels = provenance["source"] + ": " + provenance["series"]
    named = []
    for item in items:
        parts = _FINDING_ANALYSIS.get(item.key.split(".", 1)[0], ())
        used = [
            labels[(provenance["analysis"] == analysis) & (provenance["required"] | every)]
            for analysis, every in parts
        ]
        sources = tuple(dict.fromkeys(s for chunk in used for s in chunk))
        named.append(replace(item, sources=sources))
    return named


#: Wordings of the daily-equity findings (not the Shiller ones) and what they become when
#: the equity series is Kenneth French's market total return.
_FRENCH_WORDING = (
    ("daily S&P 500 log returns", "daily U.S. market (Kenneth French, total return) log returns"),
    ("monthly S&P 500 and", "monthly U.S. market (Kenneth French) and"),
    ("monthly S&P 500 total returns", "monthly U.S. market (Kenneth French) total returns"),
    ("Monthly S&P 500 return", "Monthly U.S. market (Kenneth French) return"),
    ("monthly S&P 500 returns", "monthly U.S. market (Kenneth French) returns"),
)


def _french_equity(item: Finding) -> Finding:
    if not item.key.startswith("stocks."):
        return item
    definition = item.definition
    for before, after in _FRENCH_WORDING:
        definition = definition.replace(before, after)
    return replace(item, definition=definition)


def assemble_document(studies: Studies) -> ReportDocument:
    """The report document from the analyses' results."""
    findings = Findings(studies.as_of)
    summary: list[str] = []
    sections = []
    for build in (
        _stocks_section,
        _foreign_section,
        connectedness_section,
        _dollar_section,
        _events_section,
    ):
        section, sentences = build(studies, findings)
        sections.append(section)
        summary.extend(sentences)
    stocks = studies.data.resolutions.get("stocks")
    if stocks is not None and stocks.includes_dividends:
        findings.items = [_french_equity(f) for f in findings.items]
    through = {} if studies.data.provenance is None else data_through(studies.data.provenance)
    return ReportDocument(
        title="How U.S. Treasuries pull stocks, the dollar and foreign bonds",
        as_of=studies.as_of,
        summary=summary,
        sections=sections,
        findings=_with_sources(findings.items, studies.data.provenance),
        methodology=[*_METHODOLOGY, _CONNECTEDNESS_METHOD, *studies.notes],
        sources=studies.data.sources,
        settings=studies.settings.as_dict(),
        gaps=list(studies.gaps),
        provenance=studies.data.provenance,
        data_through=through,
    )
