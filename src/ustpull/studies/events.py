"""The event-study study: changes of series over named windows (bp for yields, % for prices)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from typing import Literal

import pandas as pd

from ustpull.crossasset.events import EPISODES, Episode, EventStudy, EventStudyResults
from ustpull.sources.vocabulary import get_spec
from ustpull.studies.settings import StudySettings, finished_by

__all__ = ["run_events", "series_units"]


def series_units(series_ids: Iterable[object]) -> dict[str, str]:
    """The vocabulary's units of canonical series ids (an unknown id raises, naming it)."""
    return {str(series_id): get_spec(str(series_id)).units for series_id in series_ids}


def run_events(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    episodes: Sequence[Episode] | None = None,
    on_missing: Literal["raise", "skip"] = "skip",
    executor: Executor | None = None,
) -> EventStudyResults:
    """Every series of ``data`` that has observations over ``episodes``.

    Default episodes: the library :data:`~ustpull.crossasset.events.EPISODES` and
    ``settings.extra_episodes``. A series without data in a window is skipped and listed
    (``on_missing="skip"``) or an error (``"raise"``, for windows a user named).
    ``executor`` is accepted for a uniform signature (the changes are cheap and serial).

    Series without any observation are left out under ``on_missing="skip"``.
    """
    # series without any observation are left out, unless every series must be measured
    present = data if on_missing == "raise" else data.dropna(axis=1, how="all")
    if episodes is not None:
        windows = list(episodes)
    else:  # the default windows over by the data's last date (an as-of run)
        default = [*EPISODES, *settings.extra_episodes]
        ended = finished_by([episode.end for episode in default], data)
        windows = [episode for episode, over in zip(default, ended, strict=True) if over]
    return EventStudy(
        present, units=series_units(present.columns), episodes=windows, on_missing=on_missing
    ).fit()
