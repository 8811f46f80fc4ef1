"""The event-study study: changes of series over named windows (bp for yields, % for prices),
and announcement-day statistics.

Narrative windows (:class:`~ustpull.crossasset.events.EventStudy`) are context. The tests are
on announcement days (:func:`~ustpull.crossasset.announcements.announcement_study`): one- and
two-day moves on FOMC days (scheduled meetings, plus the unscheduled moves of the GSS file, plus
Bernanke's testimony of 2013-05-22) scored against 60-day trailing volatility and the non-event
days; responses per bp of policy surprise (GSS ``MP1``, Jarocinski-Karadi ``MP_pm``); and the
foreign 10-year yields' responses to the U.S. 10-year identified by heteroskedasticity
(Rigobon-Sack) beside the OLS betas. FOMC and Bank of England MPC days are also scored side
by side against one common set of non-event days, with variance ratios and bootstrap intervals
(:func:`run_central_bank_days`, :class:`~ustpull.crossasset.announcement_days.CentralBankDays`).
ECB Governing Council days are not scored: the shared data hold no ECB meeting-date list, and
none is made up here. The announcement days and surprises are series of the store
(:data:`ANNOUNCEMENT_SERIES`); without them only the narrative windows run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from typing import Literal

import pandas as pd

from ustpull._typing import ChangeUnits
from ustpull.crossasset.announcement_days import CentralBankDays, CentralBankDaysResults
from ustpull.crossasset.announcements import (
    AnnouncementResults,
    announcement_study,
    surprise_series,
)
from ustpull.crossasset.events import EPISODES, Episode, EventStudy, EventStudyResults
from ustpull.sources.vocabulary import get_spec
from ustpull.studies.settings import StudySettings, finished_by

__all__ = [
    "ANNOUNCEMENT_SERIES",
    "CENTRAL_BANK_DAYS",
    "EXTRA_EVENT_DAYS",
    "FOREIGN_RESPONSES",
    "announcement_inputs",
    "run_announcements",
    "run_central_bank_days",
    "run_events",
    "series_markets",
    "series_units",
]

#: Announcement series of the store: FOMC scheduled decision days (indicator) and the surprises
#: (percentage points, read as bp): GSS/GKL ``MP1`` and Jarocinski-Karadi ``MP_pm``.
FOMC_DAYS = "us.fomc.scheduled"
SURPRISES: dict[str, str] = {"gss_MP1": "us.fomc.gss.mp1", "jk_MP_pm": "us.fomc.jk.mp_pm"}
#: Other central banks whose announcement days are scored, by the store series of their
#: dates. The ECB is absent: no Governing Council date list is in the shared data.
CENTRAL_BANK_DAYS: dict[str, str] = {"BoE": "gb.mpc.decision"}
ANNOUNCEMENT_SERIES: tuple[str, ...] = (
    FOMC_DAYS,
    *SURPRISES.values(),
    *CENTRAL_BANK_DAYS.values(),
)
#: Policy days that are not FOMC meetings but are scored with them (date, what happened).
EXTRA_EVENT_DAYS: tuple[tuple[str, str], ...] = (
    ("2013-05-22", "Bernanke's testimony and the FOMC minutes (taper tantrum)"),
)
#: Foreign 10-year yields whose response to the U.S. 10-year is identified (Rigobon-Sack).
FOREIGN_RESPONSES: tuple[str, ...] = ("de.govt.10y", "jp.jgb.10y")
_FIRST_EVENT = pd.Timestamp("1990-01-01")


def series_units(series_ids: Iterable[object]) -> dict[str, str]:
    """The vocabulary's units of canonical series ids (an unknown id raises, naming it)."""
    return {str(series_id): get_spec(str(series_id)).units for series_id in series_ids}


def series_markets(series_ids: Iterable[object]) -> dict[str, str]:
    """The vocabulary's country of canonical series ids: the market whose close
    (:data:`~ustpull.crossasset.synchronous.MARKET_CLOSE_UTC`) dates their daily quote."""
    return {str(series_id): get_spec(str(series_id)).country for series_id in series_ids}


def announcement_inputs(data: pd.DataFrame) -> tuple[pd.DatetimeIndex, dict[str, pd.Series]]:
    """FOMC announcement days since 1990 -- scheduled meetings, every day with a GSS surprise
    (unscheduled moves included) and :data:`EXTRA_EVENT_DAYS` -- and the surprises in bp."""
    days = [pd.Timestamp(day) for day, _ in EXTRA_EVENT_DAYS]
    surprises = {}
    for name, column in SURPRISES.items():
        if column in data.columns and data[column].notna().any():
            frame = data[column].dropna().rename(name).to_frame().rename_axis("Date")
            surprises[name] = surprise_series(frame.reset_index(), name)
    for column in (FOMC_DAYS, *SURPRISES.values()):
        if column in data.columns:
            days += list(data[column].dropna().index)
    events = pd.DatetimeIndex(sorted(set(days)), name="event")
    return events[events >= _FIRST_EVENT], surprises


def run_announcements(
    data: pd.DataFrame, settings: StudySettings = StudySettings()
) -> AnnouncementResults | None:
    """:func:`~ustpull.crossasset.announcements.announcement_study` on the event series of
    ``data``, or ``None`` without FOMC days (:data:`ANNOUNCEMENT_SERIES`) or the U.S. 10-year."""
    if FOMC_DAYS not in data.columns or data[FOMC_DAYS].isna().all():
        return None
    levels = data.drop(columns=[c for c in ANNOUNCEMENT_SERIES if c in data.columns])
    levels = levels.dropna(axis=1, how="all")
    if "us.cmt.10y" not in levels.columns:
        return None
    events, surprises = announcement_inputs(data)
    return announcement_study(
        levels,
        events,
        units=_unit_map(levels),
        surprises=surprises,
        foreign=[c for c in FOREIGN_RESPONSES if c in levels.columns],
        seed=settings.seed,
        markets=series_markets(levels.columns),
    )


def _unit_map(levels: pd.DataFrame) -> dict[str, ChangeUnits]:
    return {
        column: "bp" if unit == "percent" else "log_pct"
        for column, unit in series_units(levels.columns).items()
    }


def run_central_bank_days(
    data: pd.DataFrame, settings: StudySettings = StudySettings()
) -> CentralBankDaysResults | None:
    """FOMC days (as :func:`announcement_inputs`) and the days of
    :data:`CENTRAL_BANK_DAYS` since 1990, scored by
    :class:`~ustpull.crossasset.announcement_days.CentralBankDays` on the daily series of
    ``data``; ``None`` without any bank's days or without the U.S. 10-year."""
    levels = data.drop(columns=[c for c in ANNOUNCEMENT_SERIES if c in data.columns])
    levels = levels.dropna(axis=1, how="all")
    if "us.cmt.10y" not in levels.columns:
        return None
    days: dict[str, pd.DatetimeIndex] = {}
    if FOMC_DAYS in data.columns and data[FOMC_DAYS].notna().any():
        days["FOMC"] = announcement_inputs(data)[0]
    for bank, column in CENTRAL_BANK_DAYS.items():
        if column in data.columns and data[column].notna().any():
            dates = pd.DatetimeIndex(data[column].dropna().index)
            days[bank] = dates[dates >= _FIRST_EVENT]
    if not days:
        return None
    return CentralBankDays(
        levels, days, units=_unit_map(levels), markets=series_markets(levels.columns)
    ).fit(seed=settings.seed)


def run_events(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    episodes: Sequence[Episode] | None = None,
    on_missing: Literal["raise", "skip"] = "skip",
    executor: Executor | None = None,
) -> EventStudyResults:
    """Every series of ``data`` that has observations over ``episodes``, and the
    announcement-day statistics (:func:`run_announcements`) when their files are there.

    Default episodes: the library :data:`~ustpull.crossasset.events.EPISODES` and
    ``settings.extra_episodes``. A series without data in a window is skipped and listed
    (``on_missing="skip"``) or an error (``"raise"``, for windows a user named).
    ``executor`` is accepted for a uniform signature (the changes are cheap and serial).

    Series without any observation are left out under ``on_missing="skip"``. When no
    default window had ended by the data's last date (an as-of run before the first end), the
    results hold no narrative window (:meth:`EventStudyResults.without_windows`) and only
    the announcement days are measured.
    """
    # series without any observation are left out, unless every series must be measured
    narrative = data.drop(columns=[c for c in ANNOUNCEMENT_SERIES if c in data.columns])
    present = narrative if on_missing == "raise" else narrative.dropna(axis=1, how="all")
    if episodes is not None:
        windows = list(episodes)
    else:  # the default windows over by the data's last date (an as-of run)
        default = [*EPISODES, *settings.extra_episodes]
        ended = finished_by([episode.end for episode in default], data)
        windows = [episode for episode, over in zip(default, ended, strict=True) if over]
    # as of a date before every window's end, the announcement days still run; a user's
    # empty list of windows is still refused by EventStudy
    results = (
        EventStudy(
            present, units=series_units(present.columns), episodes=windows, on_missing=on_missing
        ).fit()
        if windows or episodes is not None
        else EventStudyResults.without_windows()
    )
    announcements = run_announcements(data, settings)
    if announcements is not None:
        results = results.with_announcements(announcements)
    central_banks = run_central_bank_days(data, settings)
    return results if central_banks is None else results.with_central_banks(central_banks)
