"""Synchronous changes for markets that close at different hours.

Tokyo and Frankfurt close before New York, so a U.S. move after their close shows up in their
daily change one day later. A VAR on daily changes then books that delay as a U.S. -> foreign
lead (biasing the U.S. towards "net transmitter") and daily correlations towards zero. Changes
over longer windows dilute the delay: over a week the misaligned part is about one day in five.

:func:`synchronous_changes` builds, for every market separately, its last quote in each window
(calendar weeks ending on ``week_end``, or non-overlapping pairs of business days) and takes
changes between consecutive windows; a window where a market did not trade at all is missing
for it, and the changes touching it are dropped (never filled). Only windows where every market
has a change are kept.

:data:`MARKET_CLOSE_UTC` records typical closing times of the government bond markets (hours
UTC, winter time) and :data:`ANNOUNCEMENT_UTC` the announcement times of central banks
(:func:`closes_before_announcement`); :func:`share_a_close` says whether daily changes of a
set of markets are synchronous to within a tolerance, and :func:`warn_unless_synchronous`
warns with :class:`NonSynchronousWarning` when they are not.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ustpull._typing import ChangeTransform
from ustpull._typing import SynchronousFrequency as SyncFrequency
from ustpull.errors import DataError

__all__ = [
    "ANNOUNCEMENT_UTC",
    "MARKET_CLOSE_UTC",
    "MARKET_CODE_ALIASES",
    "NonSynchronousWarning",
    "SyncFrequency",
    "closes_before_announcement",
    "market_code",
    "share_a_close",
    "synchronous_changes",
    "warn_unless_synchronous",
]


# Typical closes of benchmark government bond quotes, hours UTC (winter time): data, not code.
MARKET_CLOSE_UTC: dict[str, float] = {
    # The U.S. quote is the H.15 CMT yield, read from bid-side quotes at about 15:30 New York
    # (20:30 UTC), after the 14:00 FOMC statement; cash Treasuries trade on to 17:00.
    "US": 20.5,
    "CA": 21.0,
    "DE": 16.5,  # 17:30 Frankfurt
    "FR": 16.5,
    "EA": 16.5,
    "UK": 16.5,  # 16:30 London
    "CH": 16.0,
    "JP": 6.0,  # 15:00 Tokyo
    "AU": 5.5,  # 16:30 Sydney
}


# Announcement times of central-bank decisions, hours UTC (winter time), as the closes above:
# a market that closes before its bank's announcement cannot show it in that day's change.
ANNOUNCEMENT_UTC: dict[str, float] = {
    "FOMC": 19.0,  # statement at 14:00 New York (minutes too; since 2013 the statement time)
    "BoE": 12.0,  # MPC decision at 12:00 London
}

#: Column codes of the studies that name a market of :data:`MARKET_CLOSE_UTC` differently.
MARKET_CODE_ALIASES: dict[str, str] = {"GB": "UK"}


class NonSynchronousWarning(UserWarning):
    """Daily changes of markets that close hours apart (a U.S. move shows abroad a day late)."""


def market_code(column: object) -> str:
    """The :data:`MARKET_CLOSE_UTC` key of a column label (``"gb"`` -> ``"UK"``, ``"de"`` ->
    ``"DE"``)."""
    code = str(column).upper()
    return MARKET_CODE_ALIASES.get(code, code)


def warn_unless_synchronous(columns: Iterable[object], *, stacklevel: int = 2) -> None:
    """Warn with :class:`NonSynchronousWarning` unless daily changes of the markets named by
    ``columns`` are synchronous (:func:`share_a_close`); a market without a recorded close
    warns too (its synchrony cannot be checked)."""
    codes = [market_code(column) for column in columns]
    unknown = [code for code in codes if code not in MARKET_CLOSE_UTC]
    if unknown:
        message = f"daily changes of markets without a recorded close ({', '.join(unknown)})"
    elif not share_a_close(codes):
        message = (
            f"daily changes of markets that close hours apart ({', '.join(codes)}): U.S. moves "
            "reach Tokyo and Frankfurt a day later"
        )
    else:
        return
    warning = NonSynchronousWarning(f"{message}; use weekly changes")
    warnings.warn(warning, stacklevel=stacklevel + 1)


def closes_before_announcement(market: str, bank: str) -> bool:
    """True when ``market`` (a :data:`MARKET_CLOSE_UTC` key or alias) closes before ``bank``
    announces (:data:`ANNOUNCEMENT_UTC`), so its one-day move on the announcement day ends
    before the news; ``False`` for a market or bank without a recorded time (not checked)."""
    close = MARKET_CLOSE_UTC.get(market_code(market))
    announced = ANNOUNCEMENT_UTC.get(bank)
    return close is not None and announced is not None and close < announced


def share_a_close(markets: Iterable[str], *, tolerance_hours: float = 1.0) -> bool:
    """True when all ``markets`` (keys of :data:`MARKET_CLOSE_UTC`) close within the tolerance."""
    names = list(markets)
    unknown = [m for m in names if m not in MARKET_CLOSE_UTC]
    if unknown:
        raise DataError(f"no closing time recorded for markets {unknown}")
    closes = [MARKET_CLOSE_UTC[m] for m in names]
    return max(closes) - min(closes) <= tolerance_hours


def _window_labels(
    index: pd.DatetimeIndex, frequency: SyncFrequency, week_end: str, origin: pd.Timestamp
) -> np.ndarray:
    if frequency == "weekly":
        return np.asarray(index.to_period(f"W-{week_end}").asi8, dtype=np.int64)
    business_days = np.busday_count(origin.date(), index.values.astype("datetime64[D]"))
    return business_days // 2


def synchronous_changes(
    levels: pd.DataFrame,
    *,
    frequency: SyncFrequency = "weekly",
    week_end: str = "FRI",
    kind: ChangeTransform = "difference",
) -> pd.DataFrame:
    """Changes between consecutive windows, each market at its own last quote in the window.

    Parameters
    ----------
    levels
        Daily levels, one column per market, ``DatetimeIndex``; NaN = no quote that day.
    frequency
        ``"weekly"`` (calendar weeks ending ``week_end``) or ``"two_day"`` (non-overlapping pairs
        of business days counted from the first date).
    kind
        ``"difference"`` (yields, percentage points) or ``"log"`` (prices, log points).

    Returns
    -------
    DataFrame
        Changes indexed by the window's last calendar day (weekly) or the last date of the
        pair; windows where any market lacks a change are dropped.

    Raises
    ------
    DataError
        No date index, or fewer than two windows with changes in every market.
    """
    if frequency not in ("weekly", "two_day"):
        raise DataError(f"frequency must be 'weekly' or 'two_day', got {frequency!r}")
    if not isinstance(levels.index, pd.DatetimeIndex):
        raise DataError("synchronous_changes: levels must be indexed by dates")
    frame = levels.sort_index().astype(float)
    if kind == "log":
        if (frame <= 0).any().any():
            raise DataError("synchronous_changes: log changes need positive levels")
        frame = pd.DataFrame(np.log(frame.to_numpy()), index=frame.index, columns=frame.columns)
    labels = _window_labels(pd.DatetimeIndex(frame.index), frequency, week_end, frame.index[0])
    # groupby.last skips NaN: each market's own last quote in the window
    last = frame.groupby(labels).last()
    window_dates = pd.Series(frame.index, index=labels).groupby(level=0).max()
    # changes only between adjacent windows (a window with no trading at all is absent)
    adjacent = np.diff(last.index.to_numpy()) == 1
    changes = last.diff().iloc[1:].loc[adjacent]
    changes.index = pd.DatetimeIndex(window_dates.loc[changes.index].to_numpy(), name="date")
    if frequency == "weekly":
        # every week dated by its end (also an open last week), so that changes built
        # separately for several series line up on the same dates
        changes.index = changes.index.to_period(f"W-{week_end}").end_time.normalize()
    changes = changes.dropna(how="any")
    if len(changes) < 2:
        raise DataError(
            f"synchronous_changes: fewer than two {frequency} windows with a change in every "
            f"market ({', '.join(map(str, levels.columns))})"
        )
    return changes
