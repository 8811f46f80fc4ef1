"""CLI commands: dollar (smile, frown, co-movement) and events (event studies)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ustpull._typing import DollarIndexChoice, FiscalMeasure, GrowthRule, SamplingFrequency
from ustpull.cli._common import (
    AsOfDate,
    DataDir,
    StorePath,
    bounded,
    dumps,
    iso_date,
    print_gaps,
)
from ustpull.cli._summary import AnalysisOptions, analysis_command, dollar_rows, progress


@analysis_command
def _dollar(
    options: AnalysisOptions,
    index: Annotated[DollarIndexChoice, typer.Option(help="Dollar index.")] = "spliced",
    growth_rule: Annotated[
        GrowthRule,
        typer.Option(
            help="Ex-post table only: how non-recession months split into slowdown/expansion."
        ),
    ] = "gdp_trend",
    fiscal_measure: Annotated[
        FiscalMeasure, typer.Option(help="Fiscal stance measure.")
    ] = "impulse",
    fiscal_threshold: Annotated[
        float,
        typer.Option(
            callback=bounded(0.0, 20.0, what="percentage points of GDP"),
            help="Stance threshold, percentage points of GDP (0..20).",
        ),
    ] = 1.0,
    frequency: Annotated[
        SamplingFrequency, typer.Option(help="Sampling of changes for co-movement.")
    ] = "weekly",
    window: Annotated[
        int,
        typer.Option(
            callback=bounded(2, 10_000, what="a number of observations"),
            help="Rolling window, observations.",
        ),
    ] = 52,
    term_premium: Annotated[
        bool,
        typer.Option(help="Split the 10-year yield with the ACM term-premium model."),
    ] = True,
    ex_post_tables: Annotated[
        bool,
        typer.Option(
            "--ex-post-tables",
            help="Also the descriptive ex-post state tables (NBER dates and final GDP; the "
            "headline fiscal balance): not known at the time, no test.",
        ),
    ] = False,
) -> None:
    """The dollar vs Treasuries: co-movement, relative prices, dollar smile, fiscal frown."""
    from ustpull.studies import StudySettings, run_dollar
    from ustpull.studies.dollar import dollar_series_ids

    settings = StudySettings(
        dollar_index=index,
        growth_rule=growth_rule,
        fiscal_measure=fiscal_measure,
        fiscal_threshold=fiscal_threshold,
        dollar_frequency=frequency,
        dollar_window=window,
        term_premium=term_premium,
        dollar_ex_post_tables=ex_post_tables,
    )
    ids = dollar_series_ids(with_term_premium=term_premium)
    with progress(options.quiet, 2) as step:
        step("loading data")
        data = options.load_frame(ids)
        step("estimating (term premium, co-movement, smile and frown tests)")
        results, notes = run_dollar(data, settings)
    payload = results.to_dict()
    title = "The dollar and Treasuries"
    options.emit(payload, title=title, rows=dollar_rows(payload))
    print_gaps((), notes)


_DEFAULT_EVENT_SERIES = ("us.tips.10y", "us.cmt.10y", "us.cmt.2y", "us.sp500", "fx.usd_broad")


def _events(
    episode: Annotated[
        list[str] | None,
        typer.Option("--episode", help="Library episode name (repeatable); default all."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(callback=iso_date, help="Custom window start, YYYY-MM-DD (with --end)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(callback=iso_date, help="Custom window end, YYYY-MM-DD (with --start)."),
    ] = None,
    series: Annotated[
        list[str] | None, typer.Option("--series", help="Series id (repeatable).")
    ] = None,
    episodes_file: Annotated[
        Path | None, typer.Option("--episodes-file", help="TOML file of [[episode]] tables.")
    ] = None,
    data_dir: DataDir = None,
    store: StorePath = None,
    as_of: AsOfDate = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Changes of series over named windows (bp for yields, % for prices)."""
    import pandas as pd

    from ustpull.crossasset.events import EPISODES, Episode, get_episode, load_episodes
    from ustpull.errors import DataError
    from ustpull.studies import load_frame, run_events

    if (start is None) != (end is None):
        raise typer.BadParameter("give both --start and --end for a custom window")
    library = list(EPISODES) + (load_episodes(episodes_file) if episodes_file else [])
    if start is not None and end is not None:
        if episode:
            raise typer.BadParameter("use either --episode or --start/--end, not both")
        try:
            chosen = [Episode("custom", pd.Timestamp(start), pd.Timestamp(end))]
        except ValueError as error:
            raise DataError(f"bad window {start}..{end}: {error}") from error
    elif episode:
        chosen = [get_episode(name, library) for name in episode]
    else:
        chosen = library
    ids = list(series) if series else list(_DEFAULT_EVENT_SERIES)
    data = load_frame(ids, store=store, data_dir=data_dir, as_of=as_of)
    # Windows the user named must have data; the whole library skips and lists the gaps.
    explicit = start is not None or bool(episode)
    results = run_events(data, episodes=chosen, on_missing="raise" if explicit else "skip")
    if as_json:
        typer.echo(dumps(results.to_dict()))
    else:
        typer.echo(results.summary())


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("dollar")(_dollar)
    app.command("events")(_events)
