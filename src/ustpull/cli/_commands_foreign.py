"""CLI commands: foreign-bonds (Treasuries and foreign government bonds)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ustpull._typing import DailyWeekly
from ustpull.cli._common import (
    DaskScheduler,
    Workers,
    print_gaps,
)
from ustpull.cli._summary import AnalysisOptions, analysis_command, foreign_rows, progress

if TYPE_CHECKING:
    from ustpull.crossasset.events import Episode


def _episode(text: str) -> Episode:
    """``NAME:START:END`` (ISO dates) -> an episode window."""
    import pandas as pd

    from ustpull.crossasset.events import Episode

    parts = text.split(":")
    if len(parts) != 3:
        raise typer.BadParameter(f"--episode must be NAME:START:END, got {text!r}")
    name, start, end = parts
    try:
        return Episode(name, pd.Timestamp(start), pd.Timestamp(end))
    except ValueError as exc:
        raise typer.BadParameter(f"--episode {text!r}: {exc}") from None


AnalysisStart = Annotated[str, typer.Option(help="First date of the analysis (YYYY-MM-DD).")]
ConnectednessWindow = Annotated[
    int, typer.Option(help="Rolling window of the Diebold-Yilmaz index (observations).")
]
ForecastHorizon = Annotated[
    int, typer.Option(help="Forecast horizon of the variance decomposition.")
]
ChangeFrequency = Annotated[
    DailyWeekly,
    typer.Option(
        help="Yield changes for connectedness and cross-market correlations: weekly "
        "(synchronous, the default) or daily (markets that close hours apart warn)."
    ),
]
ExtraEpisodes = Annotated[
    list[str] | None,
    typer.Option(
        "--episode",
        help="Extra window NAME:START:END (repeatable), added to the default episodes.",
    ),
]
TermPremiaFlag = Annotated[
    bool,
    typer.Option(
        "--term-premia/--no-term-premia",
        help="Estimate ACM term premia and test the linkage by component.",
    ),
]
LinkageCountries = Annotated[
    list[str] | None,
    typer.Option(
        "--linkage-country",
        help="Term-premium country (repeatable; default US, EA, AU, DE, JP, CH).",
    ),
]


@analysis_command
def _foreign_bonds(
    options: AnalysisOptions,
    start: AnalysisStart = "1990-01-01",
    window: Annotated[int, typer.Option(help="Monthly rolling window (months).")] = 36,
    daily_window: Annotated[int, typer.Option(help="Daily rolling window (trading days).")] = 252,
    recent_years: Annotated[int, typer.Option(help="Years in the recent subsample.")] = 5,
    connectedness_window: ConnectednessWindow = 200,
    lags: Annotated[int, typer.Option(help="VAR order of the Diebold-Yilmaz index.")] = 2,
    horizon: ForecastHorizon = 10,
    # the default = StudySettings().connectedness_frequency (test_choices checks it)
    frequency: ChangeFrequency = "weekly",
    episodes: ExtraEpisodes = None,
    term_premia: TermPremiaFlag = True,
    linkage_countries: LinkageCountries = None,
    workers: Workers = None,
    dask_scheduler: DaskScheduler = None,
) -> None:
    """Treasuries and foreign bonds: co-movement, spillover betas, connectedness, episodes."""
    from ustpull.parallel import executor_from_options
    from ustpull.studies import StudySettings, run_foreign_bonds
    from ustpull.studies.foreign_bonds import foreign_bond_series_ids
    from ustpull.studies.settings import LINKAGE_COUNTRIES
    from ustpull.studies.term_premia import linkage_series_ids, term_premium_decompositions

    settings = StudySettings(
        foreign_start=start,
        correlation_window_months=window,
        correlation_window_days=daily_window,
        recent_years=recent_years,
        connectedness_window=connectedness_window,
        connectedness_lags=lags,
        connectedness_horizon=horizon,
        connectedness_frequency=frequency,
        extra_episodes=tuple(_episode(text) for text in episodes or []),
        term_premium=term_premia,
        linkage_countries=tuple(code.upper() for code in linkage_countries or LINKAGE_COUNTRIES),
    )
    ids = foreign_bond_series_ids()
    if term_premia:
        ids += [i for i in linkage_series_ids(settings.linkage_countries) if i not in ids]
    notes: list[str] = []
    gaps: list[str] = []
    with (
        progress(options.quiet, 3) as step,
        executor_from_options(workers=workers, dask_scheduler=dask_scheduler) as executor,
    ):
        step("loading data")
        data = options.load_frame(ids)
        decompositions = None
        if term_premia:  # a country that cannot be estimated is a gap, the others go on
            step("term premia by country")
            decompositions, notes, gaps = term_premium_decompositions(
                data, settings.linkage_countries, executor=executor
            )
        step("co-movement, spillovers, connectedness")
        results = run_foreign_bonds(
            data, settings, decompositions=decompositions, executor=executor
        )
    payload = results.to_dict()
    title = "Treasuries and foreign government bonds"
    options.emit(payload, title=title, rows=foreign_rows(payload))
    print_gaps(gaps, notes)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("foreign-bonds")(_foreign_bonds)
