"""The foreign-bonds study: Treasuries and foreign government bonds from canonical series.

:func:`run_foreign_bonds` runs, on the frame of :func:`foreign_bond_series_ids`, the
co-movement of monthly (OECD) and daily 10-year yield changes with the U.S., the spillover
betas, the Diebold-Yilmaz connectedness of the markets with daily data, the episodes and,
given the term-premium splits of :func:`ustpull.studies.run_term_premia`, the linkage by
component (:mod:`ustpull.crossasset.foreign_bonds` holds the models).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor

import pandas as pd

from ustpull.crossasset.connectedness import ChangeFrequency, Connectedness, yield_changes
from ustpull.crossasset.events import Episode
from ustpull.crossasset.foreign_bonds import (
    EPISODES,
    MARKETS,
    REQUIRED_SERIES,
    ForeignBondsResults,
    component_linkage,
    episode_analysis,
    monthly_average,
    spillover_betas,
    yield_comovement,
)
from ustpull.errors import SeriesNotFoundError
from ustpull.studies.settings import StudySettings, finished_by

__all__ = [
    "CURVE_SPREAD_IDS",
    "analyze_foreign_bonds",
    "foreign_bond_series_ids",
    "run_foreign_bonds",
]

#: The U.S. curve spread whose inversions :func:`analyze_foreign_bonds` reports.
CURVE_SPREAD_IDS: tuple[str, str] = ("us.cmt.10y", "us.cmt.3m")


def foreign_bond_series_ids(*, emerging_monthly: bool = False) -> list[str]:
    """Series ids :func:`analyze_foreign_bonds` reads (monthly, daily, curve spread).

    ``emerging_monthly`` adds the emerging markets' monthly OECD yields (FRED), which the
    analysis uses when they are there.
    """
    ids = [
        m.monthly_id
        for m in MARKETS.values()
        if m.monthly_id and (emerging_monthly or m.group != "emerging")
    ]
    ids += [m.daily_id for m in MARKETS.values() if m.daily_id]
    return list(dict.fromkeys([*ids, *CURVE_SPREAD_IDS]))


def _markets_frame(data: pd.DataFrame, attribute: str) -> pd.DataFrame:
    """Columns of ``data`` for each market's ``monthly_id``/``daily_id``, renamed to codes
    (markets whose series is absent or empty are left out)."""
    mapping = {
        getattr(market, attribute): code
        for code, market in MARKETS.items()
        if getattr(market, attribute) in data.columns
        and data[getattr(market, attribute)].notna().any()
    }
    return data[list(mapping)].rename(columns=mapping).dropna(how="all")


def _market_frames(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Monthly yields (with emerging markets' monthly averages), daily yields, and the
    developed markets' daily yields, each with market codes as columns."""
    monthly = _markets_frame(data, "monthly_id")
    daily = _markets_frame(data, "daily_id")
    # an emerging market's daily yields enter the monthly statistics as monthly averages,
    # unless its monthly OECD series is there
    emerging = [
        str(code)
        for code in daily.columns
        if MARKETS[str(code)].group == "emerging" and code not in monthly.columns
    ]
    daily_emerging = [str(c) for c in daily.columns if MARKETS[str(c)].group == "emerging"]
    with_emerging = monthly
    if emerging:
        averages = pd.concat([monthly_average(daily[c]) for c in emerging], axis=1, sort=True)
        with_emerging = monthly.join(averages, how="outer")
    return with_emerging, daily, daily.drop(columns=daily_emerging)


def run_foreign_bonds(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    decompositions: Mapping[str, pd.DataFrame] | None = None,
    executor: Executor | None = None,
) -> ForeignBondsResults:
    """The foreign-bonds study with ``settings`` (see :func:`analyze_foreign_bonds`).

    ``decompositions`` (monthly 10-year splits by market code, from
    :func:`ustpull.studies.run_term_premia`) add the linkage by component when they hold the
    U.S. and at least one other market. ``executor`` runs the rolling connectedness blocks.
    """
    linked = decompositions if decompositions is not None and len(decompositions) > 1 else None
    return analyze_foreign_bonds(
        data,
        start=settings.foreign_start,
        window=settings.correlation_window_months,
        daily_window=settings.correlation_window_days,
        recent_years=settings.recent_years,
        connectedness_window=settings.connectedness_window,
        lags=settings.connectedness_lags,
        horizon=settings.connectedness_horizon,
        frequency=settings.connectedness_frequency,
        episodes=_finished([*EPISODES, *settings.extra_episodes], data),
        decompositions=linked,
        executor=executor,
    )


def _finished(episodes: Sequence[Episode], data: pd.DataFrame) -> list[Episode]:
    """The episodes over by the last date of ``data`` (an as-of run leaves later ones out)."""
    ended = finished_by([episode.end for episode in episodes], data)
    return [episode for episode, over in zip(episodes, ended, strict=True) if over]


def analyze_foreign_bonds(
    data: pd.DataFrame,
    *,
    start: str | pd.Timestamp = "1990-01-01",
    window: int = 36,
    daily_window: int = 252,
    recent_years: int = 5,
    connectedness_window: int = 200,
    lags: int = 2,
    horizon: int = 10,
    frequency: ChangeFrequency = "daily",
    episodes: Sequence[Episode] = EPISODES,
    decompositions: Mapping[str, pd.DataFrame] | None = None,
    executor: Executor | None = None,
) -> ForeignBondsResults:
    """Run every foreign-bond analysis on canonical series.

    Parameters
    ----------
    data
        Wide frame with the ids of :func:`foreign_bond_series_ids` as columns (e.g.
        :func:`ustpull.sources.local.load_frame` or ``Store.frame``), yields in percent.
    start
        First date used by co-movement, betas and connectedness.
    window, daily_window
        Rolling windows for monthly (months) and daily (trading days) statistics.
    recent_years
        Length of the recent subsample in :func:`yield_comovement`.
    connectedness_window, lags, horizon, frequency
        Rolling window, VAR order, FEVD horizon and change frequency of the Diebold-Yilmaz
        analysis on the markets with daily data.
    episodes
        Windows for :func:`episode_analysis`.
    decompositions
        Monthly term-premium decompositions by market code for :func:`component_linkage`.
    executor
        Runs the blocks of rolling connectedness windows
        (:meth:`~ustpull.crossasset.connectedness.Connectedness.fit_rolling`).

    Raises
    ------
    SeriesNotFoundError
        ``data`` lacks some of the needed ids (all named).
    """
    needed = [*REQUIRED_SERIES, *CURVE_SPREAD_IDS]
    missing = [series_id for series_id in needed if series_id not in data.columns]
    if missing:
        raise SeriesNotFoundError(f"analyze_foreign_bonds needs the series {missing}")
    with_emerging, daily, developed_daily = _market_frames(data)
    begin = pd.Timestamp(start)
    changes = yield_changes(developed_daily.loc[begin:], frequency=frequency)
    model = Connectedness(changes, lags=lags, horizon=horizon)
    long_id, short_id = CURVE_SPREAD_IDS
    return ForeignBondsResults(
        comovement_monthly=yield_comovement(
            with_emerging, window=window, start=begin, recent_years=recent_years
        ),
        comovement_daily=yield_comovement(
            developed_daily, window=daily_window, start=begin, recent_years=recent_years
        ),
        betas=spillover_betas(with_emerging, window=window, start=begin),
        connectedness=model.fit(),
        rolling_connectedness=model.fit_rolling(connectedness_window, executor=executor),
        episodes=episode_analysis(
            daily,
            episodes=episodes,
            curve_spread=(data[long_id].dropna(), data[short_id].dropna()),
        ),
        linkage=None
        if decompositions is None
        else component_linkage(decompositions, window=window),
    )
