"""CLI commands: dollar (smile, frown, co-movement) and events (event studies)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ustpull._typing import DollarIndexChoice, FiscalMeasure, GrowthRule, SamplingFrequency
from ustpull.cli._common import bounded, iso_date, print_gaps
from ustpull.cli._summary import (
    AnalysisOptions,
    analysis_command,
    dollar_rows,
    events_rows,
    progress,
)

if TYPE_CHECKING:
    import pandas as pd

    from ustpull.crossasset.events import Episode


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


@analysis_command
def _events(
    options: AnalysisOptions,
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
        list[str] | None,
        typer.Option("--series", help="Series id (repeatable); default the report's set."),
    ] = None,
    episodes_file: Annotated[
        Path | None, typer.Option("--episodes-file", help="TOML file of [[episode]] tables.")
    ] = None,
) -> None:
    """Announcement-day tests (FOMC and BoE days scored against trailing volatility and
    non-event days, responses per bp of policy surprise, Rigobon-Sack identified responses
    beside OLS), then the narrative windows as context (bp for yields, % for prices)."""
    from ustpull.studies import run_events
    from ustpull.studies.events import ANNOUNCEMENT_SERIES
    from ustpull.studies.settings import EVENT_SERIES

    chosen = _chosen_episodes(episode, start, end, episodes_file)
    required = list(series or _REQUIRED_EVENT_SERIES)
    optional = [*(series or EVENT_SERIES), *ANNOUNCEMENT_SERIES]
    with progress(options.quiet, 2) as step:
        step("loading data")
        data = _load_with_optional(options, required, optional)
        step("scoring announcement days and narrative windows")
        # Windows the user named must have data; the whole library skips and lists the gaps.
        explicit = start is not None or bool(episode)
        results = run_events(data, episodes=chosen, on_missing="raise" if explicit else "skip")
    payload = results.to_dict()
    title = "Event studies: announcement days first, narrative windows as context"
    options.emit(payload, title=title, rows=events_rows(payload))


_REQUIRED_EVENT_SERIES = ("us.tips.10y", "us.cmt.10y", "us.cmt.2y", "us.sp500", "fx.usd_broad")
"""Series ``events`` needs without ``--series``; the rest of the report's set
(:data:`~ustpull.studies.settings.EVENT_SERIES`) and the announcement series are optional."""


def _load_with_optional(
    options: AnalysisOptions, required: list[str], optional: list[str]
) -> pd.DataFrame:
    """``required`` (a missing one is an error) and each series of ``optional`` the store or
    data folder has (a store without the announcement days runs the narrative windows only)."""
    from ustpull.errors import SeriesNotFoundError

    ids = list(dict.fromkeys([*optional, *required]))  # the report's order of series
    try:
        return options.load_frame(ids)
    except SeriesNotFoundError:
        frame = options.load_frame(required)
    for series_id in (i for i in ids if i not in frame.columns):
        with contextlib.suppress(SeriesNotFoundError):
            frame = frame.join(options.load_frame([series_id]), how="outer")
    return frame[[i for i in ids if i in frame.columns]]


def _chosen_episodes(
    episode: list[str] | None, start: str | None, end: str | None, episodes_file: Path | None
) -> list[Episode]:
    """The narrative windows asked for: a custom window, named episodes, or the library."""
    import pandas as pd

    from ustpull.crossasset.events import EPISODES, Episode, get_episode, load_episodes
    from ustpull.errors import DataError

    if (start is None) != (end is None):
        raise typer.BadParameter("give both --start and --end for a custom window")
    library = list(EPISODES) + (load_episodes(episodes_file) if episodes_file else [])
    if start is not None and end is not None:
        if episode:
            raise typer.BadParameter("use either --episode or --start/--end, not both")
        try:
            return [Episode("custom", pd.Timestamp(start), pd.Timestamp(end))]
        except ValueError as error:
            raise DataError(f"bad window {start}..{end}: {error}") from error
    if episode:
        return [get_episode(name, library) for name in episode]
    return library


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("dollar")(_dollar)
    app.command("events")(_events)
