"""CLI commands: stocks (stock-bond correlation, dividend-discount view, 60/40)."""

from __future__ import annotations

from typing import Annotated

import typer

from ustpull._typing import InflationProxy
from ustpull.cli._common import bounded, iso_dates
from ustpull.cli._summary import AnalysisOptions, analysis_command, progress, stocks_rows


@analysis_command
def _stocks(
    options: AnalysisOptions,
    window: Annotated[
        int,
        typer.Option(
            callback=bounded(2, 100_000, what="trading days"),
            help="Daily rolling window (trading days).",
        ),
    ] = 252,
    monthly_window: Annotated[
        int,
        typer.Option(
            callback=bounded(2, 10_000, what="months"), help="Monthly rolling window (months)."
        ),
    ] = 36,
    breaks: Annotated[
        list[str] | None,
        typer.Option(
            "--break",
            callback=iso_dates,
            help="Era break date, YYYY-MM-DD (repeatable); replaces the default eras.",
        ),
    ] = None,
    inflation_threshold: Annotated[
        float,
        typer.Option(
            callback=bounded(-10.0, 50.0, what="percent year on year"),
            help="CPI inflation threshold, percent year on year.",
        ),
    ] = 3.0,
    inflation_proxy: Annotated[
        InflationProxy,
        typer.Option(help="Expected-inflation proxy of the real yield before TIPS."),
    ] = "trailing_12m",
    stock_weight: Annotated[
        float,
        typer.Option(
            callback=bounded(0.0, 1.0, what="a weight"), help="Stock weight of the portfolio."
        ),
    ] = 0.6,
    seed: Annotated[int, typer.Option(help="Seed of the block bootstrap.")] = 0,
    term_premium: Annotated[
        bool,
        typer.Option(
            "--term-premium/--no-term-premium",
            help="Estimate the U.S. ACM term premium and regress stocks on its two parts.",
        ),
    ] = True,
) -> None:
    """Stock-bond correlation regimes, the dividend-discount view and 60/40 vs stocks.

    Each series as in the report: daily equity is French's market total return when the
    store holds it (no dividends added in the 60/40), else the S&P 500 close.
    """
    from ustpull.studies import StudySettings, run_stocks
    from ustpull.studies.stocks import STOCK_SERIES, stocks_series_ids

    settings = StudySettings(
        correlation_window_days=window,
        correlation_window_months=monthly_window,
        era_breaks=tuple(breaks or ()),
        inflation_threshold=inflation_threshold,
        inflation_proxy=inflation_proxy,
        stock_weight=stock_weight,
        seed=seed,
        term_premium=term_premium,
    )
    with progress(options.quiet, 2) as step:
        step("loading data")
        # the report's series for each column (French's total return before the S&P 500
        # close), so the command and the report give the same numbers on the same store
        curve = [i for i in stocks_series_ids(settings) if i not in STOCK_SERIES]
        data, resolution = options.load_study_frame("stocks", settings, extra=curve)
        step("estimating (term premium, correlations, dividend discount, 60/40)")
        results = run_stocks(
            data, settings, equity_includes_dividends=resolution.includes_dividends
        )
    payload = results.to_dict()
    title = "U.S. stocks and Treasuries"
    options.emit(payload, title=title, rows=stocks_rows(payload))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("stocks")(_stocks)
