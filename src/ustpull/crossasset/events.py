"""Event studies: how series moved over named windows.

An :class:`Episode` is a named date window. :class:`EventStudy` measures, for each episode
and each series, the level at the start and the end of the window and the change between
them, plus the largest rise and fall from the start level inside the window (a sell-off
that recovered before the window closed still shows). Changes are in basis points for
series quoted in percent (yields, spreads) and in percent for prices and indices.

Alignment, per market: each series keeps its own trading days. The start level is the
series' last observation on or before the window start (what was known when the window
opened); the end level is its last observation on or before the window end. The dates
actually used are reported next to every change. A series with no observation inside
the window, or whose last observation on or before the start or the end is more than
``max_stale_days`` calendar days old (a series that stopped inside the window), is an
error that names it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ustpull._results import Results
from ustpull._typing import ChangeKind, OnMissing
from ustpull.crossasset.stats import json_records
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.crossasset.announcement_days import CentralBankDaysResults
    from ustpull.crossasset.announcements import AnnouncementResults

__all__ = [
    "EPISODES",
    "NARRATIVE_NOTE",
    "Episode",
    "EventStudy",
    "EventStudyResults",
    "change_kind_for_units",
    "get_episode",
    "load_episodes",
]


@dataclass(frozen=True)
class Episode:
    """A named window, inclusive of both ends."""

    name: str
    start: pd.Timestamp
    end: pd.Timestamp
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", pd.Timestamp(self.start))
        object.__setattr__(self, "end", pd.Timestamp(self.end))
        if self.end <= self.start:
            raise DataError(
                f"episode {self.name!r}: end {self.end:%Y-%m-%d} is not after "
                f"start {self.start:%Y-%m-%d}"
            )


def _episode(name: str, start: str, end: str, description: str) -> Episode:
    return Episode(name, pd.Timestamp(start), pd.Timestamp(end), description)


# The library of episodes. Dates are the days that bound each move; sources in the text.
EPISODES: tuple[Episode, ...] = (
    _episode(
        "taper-tantrum",
        "2013-05-21",
        "2013-07-05",
        "Bernanke's 22 May 2013 testimony and the 19 June FOMC press conference raised the "
        "prospect of tapering asset purchases; window from the eve of the testimony to the "
        "June payrolls report (5 July). Real and nominal 10-year yields jumped, stocks fell.",
    ),
    _episode(
        "policy-divergence-2014",
        "2014-06-02",
        "2015-03-16",
        "ECB negative deposit rate (5 June 2014) and QE announcement (22 January 2015), "
        "BoJ QQE expansion (31 October 2014), while the Fed ended QE3 (October 2014): the "
        "dollar's strongest run since the 1980s, to the eve of the March 2015 FOMC.",
    ),
    _episode(
        "synchronized-recovery-2017",
        "2017-01-03",
        "2017-12-29",
        "Synchronised global recovery: growth outside the U.S. caught up, the dollar index "
        "fell about 10% over 2017 while the Fed hiked three times.",
    ),
    _episode(
        "pandemic-2020",
        "2020-02-19",
        "2020-03-23",
        "COVID-19 crash: S&P 500 peak (19 Feb) to trough (23 Mar); the dash for cash and "
        "the Fed's emergency cuts and unlimited QE (23 Mar).",
    ),
    _episode(
        "hikes-2022",
        "2022-01-03",
        "2022-10-21",
        "The 2022 tightening: from the first trading day of 2022 to the 10-year's October "
        "peak; stocks and bonds fell together.",
    ),
    _episode(
        "q2-2025",
        "2025-03-31",
        "2025-06-30",
        "2025 Q2: tariff announcements (2 April) and fiscal worries; the dollar fell while "
        "long yields stayed high.",
    ),
)


def get_episode(name: str, episodes: Sequence[Episode] = EPISODES) -> Episode:
    """The episode called ``name``; the error lists the known names."""
    for episode in episodes:
        if episode.name == name:
            return episode
    known = ", ".join(e.name for e in episodes)
    raise DataError(f"unknown episode {name!r}; known episodes: {known}")


def load_episodes(path: Path | str) -> list[Episode]:
    """Read user episodes from TOML: ``[[episode]]`` tables with name, start, end, description."""
    with Path(path).open("rb") as handle:
        document = tomllib.load(handle)
    rows = document.get("episode")
    if not isinstance(rows, list) or not rows:
        raise DataError(f"{path}: expected one or more [[episode]] tables")
    episodes = []
    for position, row in enumerate(rows, start=1):
        missing = [key for key in ("name", "start", "end") if key not in row]
        if missing:
            raise DataError(f"{path}: episode {position} lacks {', '.join(missing)}")
        episodes.append(
            Episode(
                str(row["name"]),
                pd.Timestamp(row["start"]),
                pd.Timestamp(row["end"]),
                str(row.get("description", "")),
            )
        )
    return episodes


def change_kind_for_units(units: str) -> ChangeKind:
    """Basis points for rates quoted in percent; percent changes for everything else."""
    return "bp" if units.strip().lower() in {"percent", "percentage points", "%"} else "percent"


_RESULT_COLUMNS = [
    "start_date",
    "end_date",
    "start_level",
    "end_level",
    "change",
    "unit",
    "max_rise",
    "max_rise_date",
    "max_fall",
    "max_fall_date",
    "observations",
]


class EventStudy:
    """Changes of many series over many windows.

    Parameters
    ----------
    data
        Wide frame: a ``DatetimeIndex`` and one column per series, each on its own trading
        days (missing elsewhere; nothing is filled).
    units
        Series -> units (``percent`` gives changes in bp, anything else percent changes),
        one for every column (:func:`ustpull.studies.series_units` gives the vocabulary's).
    episodes
        Windows to measure; the library :data:`EPISODES` by default.
    max_stale_days
        Longest gap, in calendar days, between the window start and the last observation
        on or before it.
    on_missing
        ``raise`` (default): a series without data for a window is an error naming both.
        ``skip``: leave that pair out and list it in :attr:`EventStudyResults.skipped`.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        units: Mapping[str, str] | None = None,
        episodes: Sequence[Episode] = EPISODES,
        max_stale_days: int = 10,
        on_missing: OnMissing = "raise",
    ) -> None:
        if not isinstance(data.index, pd.DatetimeIndex):
            raise DataError("EventStudy: data must be indexed by dates")
        if data.index.has_duplicates:
            raise DataError(
                f"EventStudy: repeated date {data.index[data.index.duplicated()][0]:%Y-%m-%d}"
            )
        if not episodes:
            raise DataError("EventStudy: no episodes given")
        self._data = data.sort_index().astype("float64")
        self._units = {str(c): _units_of(str(c), units) for c in self._data.columns}
        self._episodes = tuple(episodes)
        self._max_stale = pd.Timedelta(days=max_stale_days)
        self._on_missing = on_missing

    def fit(self) -> EventStudyResults:
        """Measure every series over every episode."""
        rows: list[dict[str, Any]] = []
        skipped: list[dict[str, str]] = []
        paths: dict[str, pd.DataFrame] = {}
        for episode in self._episodes:
            episode_paths = {}
            for column in self._data.columns:
                try:
                    row, path = self._measure(str(column), episode)
                except DataError as error:
                    if self._on_missing == "raise":
                        raise
                    skipped.append(
                        {"episode": episode.name, "series": str(column), "reason": str(error)}
                    )
                    continue
                rows.append({"episode": episode.name, "series": str(column), **row})
                episode_paths[str(column)] = path
            paths[episode.name] = pd.DataFrame(episode_paths)
        if not rows:
            raise DataError("EventStudy: no series has data in any window")
        table = pd.DataFrame(rows).set_index(["episode", "series"])[_RESULT_COLUMNS]
        return EventStudyResults(
            table,
            paths,
            self._episodes,
            pd.DataFrame(skipped, columns=["episode", "series", "reason"]),
        )

    def _measure(self, column: str, episode: Episode) -> tuple[dict[str, Any], pd.Series]:
        series = self._data[column].dropna()
        window_label = f"{episode.name} ({episode.start:%Y-%m-%d}..{episode.end:%Y-%m-%d})"
        before_start = series.loc[: episode.start]
        inside = series.loc[episode.start : episode.end]
        if inside.empty:
            raise DataError(f"series {column!r} has no observation in window {window_label}")
        if before_start.empty or episode.start - before_start.index[-1] > self._max_stale:
            raise DataError(
                f"series {column!r} has no observation within {self._max_stale.days} days "
                f"on or before the start of {window_label}"
            )
        start_date = before_start.index[-1]
        start_level = float(before_start.iloc[-1])
        path_levels = series.loc[start_date : episode.end]
        if episode.end - path_levels.index[-1] > self._max_stale:
            raise DataError(
                f"series {column!r} ends {path_levels.index[-1]:%Y-%m-%d}, more than "
                f"{self._max_stale.days} days before the end of {window_label}"
            )
        kind = change_kind_for_units(self._units[column])
        if kind == "percent" and (path_levels <= 0).any():
            bad_date = path_levels[path_levels <= 0].index[0]
            raise DataError(
                f"series {column!r} has a non-positive level on {bad_date:%Y-%m-%d}; "
                "percent changes need positive prices"
            )
        change_path = _change(path_levels, start_level, kind)
        rise_date = change_path.idxmax()
        fall_date = change_path.idxmin()
        row = {
            "start_date": start_date,
            "end_date": path_levels.index[-1],
            "start_level": start_level,
            "end_level": float(path_levels.iloc[-1]),
            "change": float(change_path.iloc[-1]),
            "unit": kind,
            "max_rise": float(change_path.max()),
            "max_rise_date": rise_date,
            "max_fall": float(change_path.min()),
            "max_fall_date": fall_date,
            "observations": len(path_levels),
        }
        return row, change_path


def _units_of(column: str, units: Mapping[str, str] | None) -> str:
    if units is not None and column in units:
        return units[column]
    raise DataError(
        f"EventStudy: no units for the series {column!r}; pass units={{{column!r}: ...}} "
        "(ustpull.studies.series_units gives the vocabulary's units of canonical ids)"
    )


def _change(levels: pd.Series, start_level: float, kind: ChangeKind) -> pd.Series:
    if kind == "bp":
        return (levels - start_level) * 100.0
    return (levels / start_level - 1.0) * 100.0


NARRATIVE_NOTE = (
    "narrative windows (episodes, changes): context only, changes over weeks to months with no "
    "benchmark or test; the tests are the announcement days (announcements, central_banks)"
)
"""Label of the narrative windows in :meth:`EventStudyResults.to_dict`."""


class EventStudyResults(Results):
    """Changes by episode and series (read-only).

    Attributes
    ----------
    table
        MultiIndex ``(episode, series)``; columns ``start_date``, ``end_date`` (the
        trading days actually used), ``start_level``, ``end_level``, ``change``,
        ``unit`` (``bp`` or ``percent``), ``max_rise``/``max_fall`` (extreme change from the
        start level inside the window) with their dates, and ``observations``.
    announcements
        :class:`~ustpull.crossasset.announcements.AnnouncementResults` (announcement-day
        scores, surprise responses, identified responses) or ``None``.
    central_banks
        :class:`~ustpull.crossasset.announcement_days.CentralBankDaysResults` (FOMC and other
        banks' days against common non-event days) or ``None``.
    """

    def __init__(
        self,
        table: pd.DataFrame,
        paths: Mapping[str, pd.DataFrame],
        episodes: Sequence[Episode],
        skipped: pd.DataFrame,
        announcements: AnnouncementResults | None = None,
        central_banks: CentralBankDaysResults | None = None,
    ) -> None:
        self._table = table
        self._paths = dict(paths)
        self._episodes = tuple(episodes)
        self._skipped = skipped
        self.announcements = announcements
        self.central_banks = central_banks

    @classmethod
    def without_windows(cls) -> EventStudyResults:
        """Results with no narrative window measured (an empty :attr:`table` with its
        columns): what a study as of a date before every window's end holds, to which
        announcement-day statistics may still be attached (:meth:`with_announcements`)."""
        table = pd.DataFrame(columns=["episode", "series", *_RESULT_COLUMNS])
        skipped = pd.DataFrame(columns=["episode", "series", "reason"])
        return cls(table.set_index(["episode", "series"]), {}, (), skipped)

    def with_announcements(self, announcements: AnnouncementResults) -> EventStudyResults:
        """These results with announcement-day statistics attached
        (:func:`~ustpull.crossasset.announcements.announcement_study`)."""
        return EventStudyResults(
            self._table, self._paths, self._episodes, self._skipped, announcements,
            self.central_banks,
        )  # fmt: skip

    def with_central_banks(self, central_banks: CentralBankDaysResults) -> EventStudyResults:
        """These results with the central banks' announcement-day scores attached
        (:class:`~ustpull.crossasset.announcement_days.CentralBankDays`)."""
        return EventStudyResults(
            self._table, self._paths, self._episodes, self._skipped, self.announcements,
            central_banks,
        )  # fmt: skip

    @property
    def table(self) -> pd.DataFrame:
        """The full result table (a copy)."""
        return self._table.copy()

    @property
    def skipped(self) -> pd.DataFrame:
        """(episode, series, reason) pairs left out with ``on_missing="skip"``."""
        return self._skipped.copy()

    @property
    def episodes(self) -> tuple[Episode, ...]:
        """The episodes measured."""
        return self._episodes

    def changes(self) -> pd.DataFrame:
        """Episode x series matrix of end-of-window changes."""
        return self._table["change"].unstack("series")

    def path(self, episode: str) -> pd.DataFrame:
        """Cumulative change from the start level, per series, on each series' trading days."""
        if episode not in self._paths:
            get_episode(episode, self._episodes)
        return self._paths[episode].copy()

    def summary(self) -> str:
        """A text table: one block per episode."""
        lines = ["Event study", "=" * 78]
        for episode in self._episodes:
            lines.append(f"{episode.name}: {episode.start:%Y-%m-%d} .. {episode.end:%Y-%m-%d}")
            if episode.name not in self._table.index.get_level_values("episode"):
                lines.append("  (no series has data in this window)")
                continue
            block = self._table.loc[episode.name]
            for series, row in block.iterrows():
                unit = "bp" if row["unit"] == "bp" else "%"
                lines.append(
                    f"  {series:<22} {row['start_date']:%Y-%m-%d} {row['start_level']:>10.2f}"
                    f" -> {row['end_date']:%Y-%m-%d} {row['end_level']:>10.2f}"
                    f"  change {row['change']:>+8.1f}{unit}"
                    f"  (max rise {row['max_rise']:+.1f}, max fall {row['max_fall']:+.1f})"
                )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"EventStudyResults(episodes={len(self._episodes)}, series={self.changes().shape[1]})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready records: the announcement-day tests first (when attached), then the
        narrative windows, labelled as context (:data:`NARRATIVE_NOTE`)."""
        episodes = [
            {
                "name": e.name,
                "start": f"{e.start:%Y-%m-%d}",
                "end": f"{e.end:%Y-%m-%d}",
                "description": e.description,
            }
            for e in self._episodes
        ]
        out: dict[str, Any] = {}
        if self.announcements is not None:
            out["announcements"] = self.announcements.to_dict()
        if self.central_banks is not None:
            out["central_banks"] = self.central_banks.to_dict()
        out["narrative_note"] = NARRATIVE_NOTE
        out["episodes"] = episodes
        out["changes"] = json_records(self._table)
        out["skipped"] = self._skipped.to_dict("records")
        return out

    def plot(self, episode: str | None = None) -> Figure:
        """Cumulative changes through one episode (the first by default)."""
        import matplotlib.pyplot as plt

        if episode is None and not self._episodes:
            raise DataError("EventStudyResults.plot: no narrative window was measured")
        name = episode or self._episodes[0].name
        paths = self.path(name)
        fig, ax = plt.subplots(figsize=(9, 4.5))
        for series in paths.columns:
            unit = self._table.loc[(name, series), "unit"]
            line = paths[series].dropna()
            ax.plot(line.index, line.to_numpy(), label=f"{series} ({unit!s})")
        ax.axhline(0.0, color="0.4", lw=0.8, ls=":")
        ax.set_title(f"Event study: {name}")
        ax.set_ylabel("change from window start (bp or %)")
        ax.legend(fontsize=8)
        fig.autofmt_xdate()
        return fig
