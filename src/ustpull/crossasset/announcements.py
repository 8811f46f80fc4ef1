"""Announcement-day moves: scores against trailing volatility and non-event days, and
responses per basis point of policy surprise.

Scores (:class:`EventDayScores`). For a daily level series (yield in percent, or a log price)
with daily changes ``d_t`` (in bp for yields, log points x 100 for prices), the ``k``-day move
of an announcement on day ``e`` covers the closes ``e - 1 -> e + k - 1`` (``k = 1``: the
announcement day; ``k = 2`` adds the next day, which lets markets that close before the U.S.
announcement react). Its score is

.. math:: z_e = \\frac{\\Delta_k y_e}{\\sqrt{k}\\, \\hat\\sigma_{e-1}}, \\qquad
          \\hat\\sigma_{e-1} = \\mathrm{sd}(d_{e-W}, \\dots, d_{e-1})

with ``W = 60`` trading days of trailing volatility ending the day before the event (nothing
after the event enters its benchmark). The same score is computed for every non-event day
(days whose window touches no event), and each event gets its tail rank against that
distribution: ``p = share of non-event days with |z| >= |z_e|``. Everything is vectorised
over dates (rolling windows).

Surprises (:func:`surprise_series`, :class:`SurpriseResponse`): the Gürkaynak-Sack-Swanson
(2005; updated by Gürkaynak, Karasoy-Can and Lee 2021) and Jarocinski-Karadi (2020) files give
30-minute surprises in percentage points; they are read as basis points (x 100). The response
is the OLS slope of the event-day move on the surprise, ``Delta y_e = a + b s_e + u_e``, with
heteroskedasticity-robust (White) errors (event days do not overlap), reported per bp: HC3
errors and a Student-t interval with Bell-McCaffrey degrees of freedom
(:func:`~ustpull.crossasset.robust_slope.hc3_slope`, which says why: HC1 errors with normal
critical values covered 85-93% of a nominal 95% with surprises as heavy-tailed as the GSS and
Jarocinski-Karadi files, HC3 with Bell-McCaffrey t 93.5-96%).

References
----------
Gürkaynak, R., Sack, B. and Swanson, E. (2005), IJCB 1(1), 55-93.
Jarocinski, M. and Karadi, P. (2020), AEJ: Macroeconomics 12(2), 1-43.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import ChangeUnits
from ustpull.crossasset.identification import RigobonSack, RigobonSackResults
from ustpull.crossasset.robust_slope import hc3_slope
from ustpull.crossasset.stats import align, json_records
from ustpull.crossasset.synchronous import closes_before_announcement
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "NAMED_DAYS",
    "AnnouncementResults",
    "EventDayScores",
    "EventDayScoresResults",
    "SurpriseResponse",
    "SurpriseResponseResults",
    "announcement_study",
    "event_dates",
    "surprise_series",
    "two_day_changes",
]


NAMED_DAYS: tuple[tuple[str, str], ...] = (
    ("2013-05-22", "Bernanke's testimony and the FOMC minutes (taper tantrum)"),
    ("2013-06-19", "FOMC meeting (taper tantrum)"),
)
"""Announcement days whose scores :meth:`AnnouncementResults.named_days` lists by name."""


def event_dates(frame: pd.DataFrame, *, date_column: str = "Date") -> pd.DatetimeIndex:
    """Sorted unique event dates from a frame with a date column (or a date index)."""
    if date_column in frame.columns:
        raw = frame[date_column]
    elif isinstance(frame.index, pd.DatetimeIndex):
        raw = frame.index.to_series()
    else:
        raise DataError(f"event frame has no {date_column!r} column or date index")
    dates = pd.to_datetime(raw, errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise DataError(f"event frame: unreadable date {raw.iloc[row]!r} in row {row + 1}")
    return pd.DatetimeIndex(sorted(set(dates)), name="event")


def surprise_series(
    frame: pd.DataFrame,
    column: str,
    *,
    date_column: str = "Date",
    scheduled_only: bool = False,
) -> pd.Series:
    """One surprise column of a GSS or Jarocinski-Karadi file, in basis points, by date.

    Parameters
    ----------
    frame
        The file as read (``pd.read_csv``), with a date column.
    column
        E.g. ``"MP1"`` (GSS current-month fed funds surprise), ``"ONRUN10"``, ``"pc1ff1_hf"``
        or ``"MP_pm"`` (Jarocinski-Karadi).
    scheduled_only
        Drop rows whose ``intermeetdummy`` is 1 (unscheduled moves; GSS file only).
    """
    if column not in frame.columns:
        raise DataError(f"surprise file has no column {column!r} (columns: {list(frame.columns)})")
    raw_dates = pd.to_datetime(
        frame[date_column] if date_column in frame.columns else frame.index, errors="coerce"
    )
    values = pd.to_numeric(frame[column], errors="coerce")
    keep = values.notna().to_numpy() & ~pd.isna(raw_dates)
    if scheduled_only:
        if "intermeetdummy" not in frame.columns:
            raise DataError("scheduled_only needs the GSS column 'intermeetdummy'")
        keep &= pd.to_numeric(frame["intermeetdummy"], errors="coerce").fillna(0).to_numpy() == 0
    series = pd.Series(
        100.0 * values.to_numpy()[keep],
        index=pd.DatetimeIndex(np.asarray(raw_dates)[keep], name="event"),
        name=f"{column}_bp",
    ).sort_index()
    if series.index.has_duplicates:
        repeated = series.index[series.index.duplicated()][0]
        raise DataError(f"surprise column {column!r} repeats the date {repeated:%Y-%m-%d}")
    return series


def _daily_changes(levels: pd.Series, units: ChangeUnits) -> pd.Series:
    observed = levels.dropna().astype(float)
    if units == "bp":
        return 100.0 * observed.diff().iloc[1:]
    if (observed <= 0).any():
        raise DataError(f"{levels.name!r}: log changes need positive levels")
    logs = pd.Series(np.log(observed.to_numpy()), index=observed.index, name=observed.name)
    return 100.0 * logs.diff().iloc[1:]


class EventDayScoresResults(Results):
    """Scored announcement-day moves (read-only)."""

    def __init__(self, table: pd.DataFrame, non_event: pd.DataFrame, days: int, window: int):
        self._table = table
        self._non_event = non_event
        self.days = days
        self.window = window

    @property
    def table(self) -> pd.DataFrame:
        """One row per (event, series): ``move``, ``trailing_vol`` (daily), ``z``,
        ``tail_p`` (share of non-event days with ``|z|`` at least as large), ``rank_pct``."""
        return self._table.copy()

    @property
    def non_event_z(self) -> pd.DataFrame:
        """Scores of the non-event days, one column per series."""
        return self._non_event.copy()

    def summary(self) -> str:
        """The largest scores."""
        top = self._table.reindex(self._table["z"].abs().sort_values(ascending=False).index)
        return (
            f"{self.days}-day moves on {self._table.index.get_level_values(0).nunique()} "
            f"announcement days, scored by {self.window}-day trailing volatility:\n"
            + top.head(15).to_string(float_format=lambda v: f"{v:.3f}")
        )

    def plot(self) -> Figure:
        """Non-event score distribution of each series with the event scores marked."""
        import matplotlib.pyplot as plt

        names = list(self._non_event.columns)
        fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3), squeeze=False)
        for ax, name in zip(axes[0], names, strict=True):
            ax.hist(self._non_event[name].dropna(), bins=80, density=True, color="grey")
            events = self._table.xs(name, level="series")["z"]
            ax.plot(events, np.zeros(len(events)), "|", color="tab:red", markersize=12)
            ax.set_title(f"{name}: {self.days}-day z")
        fig.tight_layout()
        return fig


class EventDayScores:
    """Score ``k``-day moves on announcement days (specification; module docstring).

    Parameters
    ----------
    levels
        Daily levels, one column per series (yields in percent, prices in index points).
    events
        Announcement dates (a date that is not a trading day of a series is skipped for it).
    units
        Per column: ``"bp"`` (differences x 100 of percent yields) or ``"log_pct"`` (log price
        changes x 100); one value for all or a mapping.
    days
        Window length ``k`` (1 or 2).
    window
        Trailing volatility window ``W`` in trading days.
    """

    def __init__(
        self,
        levels: pd.DataFrame,
        events: Sequence[pd.Timestamp] | pd.DatetimeIndex,
        *,
        units: ChangeUnits | dict[str, ChangeUnits] = "bp",
        days: Literal[1, 2] = 1,
        window: int = 60,
    ) -> None:
        if days not in (1, 2):
            raise DataError(f"days must be 1 or 2, got {days}")
        if window < 10:
            raise DataError(f"the trailing window must be at least 10 days, got {window}")
        self.levels = levels
        self.events = pd.DatetimeIndex(list(events))
        self.units = units
        self.days = days
        self.window = window

    def _score(self, name: str) -> tuple[pd.DataFrame, pd.Series]:
        units = self.units[name] if isinstance(self.units, dict) else self.units
        daily = _daily_changes(self.levels[name], units)
        moves = daily.rolling(self.days).sum()
        vol = daily.rolling(self.window).std().shift(1)
        # the move ending at t belongs to the event on position t - (days - 1)
        start_vol = vol.shift(self.days - 1)
        z = moves / (math.sqrt(self.days) * start_vol)
        dates = daily.index
        event_pos = dates.get_indexer(self.events)
        event_pos = event_pos[event_pos >= 0]
        touched = np.zeros(len(dates), dtype=bool)
        for lag in range(-1, self.days + 1):  # windows ending on e-1 .. e+k are not "non-event"
            touched[np.clip(event_pos + lag, 0, len(dates) - 1)] = True
        ends = event_pos + self.days - 1
        valid = ends < len(dates)
        event_pos, ends = event_pos[valid], ends[valid]
        non_event = z[~touched].dropna()
        scores = z.to_numpy()[ends]
        ref = np.sort(np.abs(non_event.to_numpy()))
        tail = 1.0 - np.searchsorted(ref, np.abs(scores), side="left") / len(ref)
        table = pd.DataFrame(
            {
                "event": dates[event_pos],
                "series": name,
                "move": moves.to_numpy()[ends],
                "trailing_vol": start_vol.to_numpy()[ends],
                "z": scores,
                "tail_p": tail,
                "rank_pct": 100.0 * (1.0 - tail),
            }
        ).dropna(subset=["z"])
        return table, non_event.rename(name)

    def fit(self) -> EventDayScoresResults:
        """Scores of every event and series."""
        if len(self.events) == 0:
            raise DataError("EventDayScores: no event dates")
        tables, others = [], []
        for name in self.levels.columns:
            table, non_event = self._score(str(name))
            tables.append(table)
            others.append(non_event)
        table = pd.concat(tables).set_index(["event", "series"]).sort_index()
        if table.empty:
            raise DataError("EventDayScores: no event falls on a date with a trailing window")
        scores = pd.concat(others, axis=1, sort=True)
        return EventDayScoresResults(table, scores, self.days, self.window)


class SurpriseResponseResults(Results):
    """Slopes of event-day moves on the policy surprise (per bp), with 95% intervals."""

    def __init__(self, table: pd.DataFrame, surprise: str) -> None:
        self._table = table
        self.surprise = surprise

    @property
    def table(self) -> pd.DataFrame:
        """One row per series: ``per_bp``, ``std_err`` (HC3), ``dof`` (Bell-McCaffrey),
        ``ci_low``, ``ci_high``, ``pvalue``, ``nobs``, ``rsquared``, ``first``/``last`` event."""
        return self._table.copy()

    def summary(self) -> str:
        """Text table."""
        return (
            f"Responses per bp of {self.surprise} (White HC3 errors, t interval):\n"
            + self._table.to_string(float_format=lambda v: f"{v:.4f}")
        )


class SurpriseResponse:
    """``Delta y_e = a + b s_e + u_e`` on announcement days (specification; module docstring).

    Parameters
    ----------
    moves
        Event-day moves, one column per series, indexed by event date (e.g.
        ``EventDayScoresResults.table["move"].unstack()``).
    surprise
        Surprise in bp by event date (:func:`surprise_series`).
    """

    def __init__(self, moves: pd.DataFrame, surprise: pd.Series) -> None:
        if surprise.dropna().empty:
            raise DataError("SurpriseResponse: the surprise series is empty")
        self.moves = moves
        self.surprise = surprise

    def fit(self) -> SurpriseResponseResults:
        """One regression per series (HC3 errors, Bell-McCaffrey t interval)."""
        rows = {}
        name = str(self.surprise.name or "surprise")
        for column in self.moves.columns:
            data = align(self.moves[column].rename("move"), self.surprise.rename(name))
            if len(data) < 4:
                raise DataError(
                    f"SurpriseResponse: {len(data)} events with both a move of {column!r} "
                    f"and a {name} surprise; need at least 4"
                )
            fit = hc3_slope(data["move"].to_numpy(), data[name].to_numpy())
            rows[str(column)] = {
                "per_bp": float(fit.slope),
                "std_err": float(fit.std_err),
                "dof": float(fit.dof),
                "ci_low": float(fit.ci_low),
                "ci_high": float(fit.ci_high),
                "pvalue": float(fit.pvalue),
                "nobs": fit.nobs,
                "rsquared": float(fit.rsquared),
                "first": data.index.min(),
                "last": data.index.max(),
            }
        return SurpriseResponseResults(pd.DataFrame(rows).T.rename_axis("series"), name)


class AnnouncementResults(Results):
    """Announcement-day scores (one and two days), responses per bp of policy surprise and
    Rigobon-Sack identified foreign-yield responses beside the OLS betas (read-only)."""

    def __init__(
        self,
        one_day: EventDayScoresResults,
        two_day: EventDayScoresResults,
        responses: Mapping[str, SurpriseResponseResults],
        identified: Mapping[str, RigobonSackResults],
        us: str,
        closed_before: Sequence[str] = (),
    ) -> None:
        self.one_day, self.two_day = one_day, two_day
        self.responses = dict(responses)
        self.identified = dict(identified)
        self.us = us
        #: series whose market closes before the announcement: one-day cells not applicable
        self.closed_before = tuple(closed_before)

    def scores(self, event: str | pd.Timestamp) -> pd.DataFrame:
        """One- and two-day ``move``, ``z`` and ``rank_pct`` of every series on ``event``;
        the one-day cells of :attr:`closed_before` series are NaN (their close precedes the
        announcement, so the one-day move ends before the news)."""
        day = pd.Timestamp(event)
        parts = {}
        for name, result in (("1d", self.one_day), ("2d", self.two_day)):
            table = result.table
            if day not in table.index.get_level_values("event"):
                raise DataError(f"{day:%Y-%m-%d} is not a scored announcement day")
            parts[name] = table.xs(day, level="event")[["move", "z", "rank_pct"]]
        one_day = parts["1d"].astype(float)
        one_day.loc[one_day.index.isin(self.closed_before)] = np.nan
        parts["1d"] = one_day
        return pd.concat(parts, axis=1)

    def identification_table(self) -> pd.DataFrame:
        """Per foreign series and estimator: ``beta``, ``ci_low``, ``ci_high``, ``method``,
        and the announcement/other variance ratio with its interval."""
        frames = {}
        for name, result in self.identified.items():
            table = result.table
            for key, value in result.diagnostics.items():
                table[key] = value
            frames[name] = table
        return pd.concat(frames, names=["series"]) if frames else pd.DataFrame()

    def summary(self) -> str:
        parts = [self.one_day.summary(), self.two_day.summary()]
        parts += [r.summary() for r in self.responses.values()]
        parts += [f"{n}:\n{r.summary()}" for n, r in self.identified.items()]
        return "\n\n".join(parts)

    def named_days(self) -> list[dict[str, Any]]:
        """The scores of the :data:`NAMED_DAYS` in the data: per day, one record per series
        with ``move_1d``/``z_1d``/``rank_pct_1d`` and the same for two days (moves in bp for
        yields, log % x 100 for prices; z against trailing volatility; rank among non-event
        moves, percent)."""
        days = []
        for day, what in NAMED_DAYS:
            try:
                scores = self.scores(day)
            except DataError:  # not a scored day in these data (an as-of run before it)
                continue
            flat = scores.copy()
            flat.columns = [f"{key[1]}_{key[0]}" for key in scores.columns.to_list()]
            days.append({"day": day, "what": what, "scores": json_records(flat)})
        return days

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready tables: the named days first, then every day's scores, the responses
        per bp of surprise (HC3, 95% t interval) and the identified responses beside OLS."""

        def records(frame: pd.DataFrame) -> list[dict[str, object]]:
            return json_records(frame)

        return {
            "named_days": self.named_days(),
            "us": self.us,
            "one_day": records(self.one_day.table),
            "two_day": records(self.two_day.table),
            "responses": {k: records(r.table) for k, r in self.responses.items()},
            "identified": records(self.identification_table()),
            "closed_before": list(self.closed_before),
        }


def two_day_changes(us: pd.Series, foreign: pd.Series) -> pd.DataFrame:
    """Changes (bp) from the close before to the close after each common trading day, indexed
    by the middle day: ``100 (y_{t+1} - y_{t-1})`` (so Tokyo and Frankfurt can react to a U.S.
    announcement on day ``t``)."""
    levels = align(us.rename("us"), foreign.rename("foreign"))
    return (100.0 * (levels.shift(-1) - levels.shift(1))).dropna()


def announcement_study(
    levels: pd.DataFrame,
    events: pd.DatetimeIndex,
    *,
    units: Mapping[str, ChangeUnits],
    surprises: Mapping[str, pd.Series],
    us: str = "us.cmt.10y",
    foreign: Sequence[str] = (),
    window: int = 60,
    replications: int = 999,
    seed: int = 0,
    markets: Mapping[str, str] | None = None,
) -> AnnouncementResults:
    """Every announcement-day statistic on one set of event dates (FOMC days).

    ``levels``: daily series (yields in percent: ``units`` ``"bp"``; prices: ``"log_pct"``);
    ``surprises``: surprise series in bp by name (:func:`surprise_series`); ``foreign``:
    columns whose response to ``us`` is identified by :class:`RigobonSack` on two-day changes
    (a series with too few announcement windows is left out); ``markets``: market of each
    series (:data:`~ustpull.crossasset.synchronous.MARKET_CLOSE_UTC` keys or aliases). A
    series whose market closes before the FOMC statement
    (:func:`~ustpull.crossasset.synchronous.closes_before_announcement`) has its one-day
    score cells marked not applicable (:attr:`AnnouncementResults.closed_before`) and no
    one-day surprise response.
    """
    unit_map: dict[str, ChangeUnits] = {str(c): units[str(c)] for c in levels.columns}
    closed_before = [
        series
        for series, market in (markets or {}).items()
        if series in unit_map and closes_before_announcement(market, "FOMC")
    ]
    one = EventDayScores(levels, events, units=unit_map, days=1, window=window).fit()
    two = EventDayScores(levels, events, units=unit_map, days=2, window=window).fit()
    moves = one.table["move"].unstack("series").drop(columns=closed_before)
    responses = {
        name: SurpriseResponse(moves, surprise.rename(name)).fit()
        for name, surprise in surprises.items()
        if not surprise.dropna().empty
    }
    identified = {}
    for column in foreign:
        changes = two_day_changes(levels[us].dropna(), levels[column].dropna())
        try:
            spec = RigobonSack(changes["us"], changes["foreign"], events)
        except DataError:
            continue
        identified[column] = spec.fit(replications=replications, seed=seed)
    return AnnouncementResults(one, two, responses, identified, us, closed_before)
