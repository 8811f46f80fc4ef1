"""Announcement days of several central banks scored against one set of non-event days.

For a daily level series (yield in percent: changes in bp; price: log changes x 100) with daily
changes ``d_t``, the ``k``-day move of an announcement on day ``e`` covers the closes
``e - 1 -> e + k - 1`` and is scored against trailing volatility (as
:class:`~ustpull.crossasset.announcements.EventDayScores`):

.. math:: z_e = \\frac{\\Delta_k y_e}{\\sqrt{k}\\, \\hat\\sigma_{e-1}}, \\qquad
          \\hat\\sigma_{e-1} = \\mathrm{sd}(d_{e-W}, \\dots, d_{e-1}),

``W = 60`` trading days ending the day before the event. The **non-event days** are the days
whose window touches no announcement of *any* of the banks (``e - 1 .. e + k``), so the FOMC
and the Bank of England are compared with the same kind of quiet day; each bank's benchmark
uses the non-event days between its first and last announcement.

Per bank, series and ``k``: ``events`` (scored announcement days), ``mean_abs_z``,
``share_large`` (share with ``|z| > 1.96``; non-event share beside it) and the **variance
ratio**

.. math:: R = \\frac{\\overline{z_e^2}}{\\overline{z_n^2}}

(event over non-event mean squared score; 1 when announcement days move the series no more
than other days). Its 95% interval is a **symmetric studentized bootstrap of** ``log R``:
announcement days resampled i.i.d. (they are weeks apart), non-event days by moving blocks of
``block`` days (the trailing scale leaves some volatility clustering in ``z``; the two-day
windows overlap), both in every replication; the standard error of ``log R`` is the delta
method's, ``se^2 = var(z_e^2) / (n_e mean(z_e^2)^2) + v_n`` with ``v_n`` the bootstrap
variance of the non-event ``log mean(z_n^2)``, recomputed from the event draw in each
replication; the interval is ``R exp(+- c se)`` with ``c`` the 95% quantile of
``|log R* - log R| / se*``. By simulation (GARCH(1,1) daily changes, 8 announcements a year
over 30 years, known ratio; ``tests/crossasset/test_coverage_var_ratio.py``) it covers about
94% for one- and two-day moves where the percentile interval of ``R`` (used before) covered
91-92%. "More volatile on announcement days" only when the interval lies above one.

A market that closes before the bank announces (:func:`~ustpull.crossasset.synchronous.\
closes_before_announcement`: the Bund at 16:30 UTC and the JGB at 06:00 UTC before the FOMC's
19:00 UTC statement, the JGB before the BoE's 12:00 UTC decision) cannot show the news in its
one-day move ``e - 1 -> e``: that row is **not applicable** (statistics NaN, ``note`` says
why); its two-day move ``e - 1 -> e + 1`` holds the first close after the announcement and is
scored as usual.

Limits: a bank's days that coincide with another bank's (the Bank of England and the ECB both
decide on Thursdays) are not separated -- without ECB dates (none in the shared data) a BoE-day
ratio may carry ECB news; daily closes do not isolate the announcement from other news of the
day (intraday windows would).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import ChangeUnits
from ustpull.crossasset.stats import json_records
from ustpull.crossasset.synchronous import (
    ANNOUNCEMENT_UTC,
    MARKET_CLOSE_UTC,
    closes_before_announcement,
    market_code,
)
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CentralBankDays", "CentralBankDaysResults", "daily_scores"]

#: Critical value of a "large" score.
_LARGE = 1.96
#: Statistics of a row's announcement-day scores (NaN when the row is not applicable).
_PER_EVENT = ("mean_abs_z", "share_large", "variance_ratio", "ci_low", "ci_high")


def daily_scores(levels: pd.Series, units: ChangeUnits, days: int, window: int) -> pd.Series:
    """Score ``z`` of the ``days``-day move ending on each date (see the module docstring);
    indexed by the date of the move's *first* day (the announcement day)."""
    observed = levels.dropna().astype(float)
    if units == "bp":
        daily = 100.0 * observed.diff().iloc[1:]
    else:
        if (observed <= 0).any():
            raise DataError(f"{levels.name!r}: log changes need positive levels")
        logs = pd.Series(np.log(observed.to_numpy()), index=observed.index)
        daily = 100.0 * logs.diff().iloc[1:]
    moves = daily.rolling(days).sum()
    volatility = daily.rolling(window).std().shift(1).shift(days - 1)
    z = moves / (math.sqrt(days) * volatility)
    scores: pd.Series = z.shift(-(days - 1))  # dated by the announcement day
    scores.name = levels.name
    return scores


def _touched(dates: pd.DatetimeIndex, events: pd.DatetimeIndex, days: int) -> np.ndarray:
    """Dates whose ``days``-day window starting there touches an event (``e-1 .. e+k``)."""
    touched = np.zeros(len(dates), dtype=bool)
    positions = dates.get_indexer(events)
    positions = positions[positions >= 0]
    for lag in range(-days, 2):  # a window starting at t covers t .. t + k - 1
        touched[np.clip(positions + lag, 0, len(dates) - 1)] = True
    return touched


def _block_indices(rng: np.random.Generator, n: int, block: int, replications: int) -> np.ndarray:
    """``(replications, n)`` moving-block bootstrap indices of a series of length ``n``."""
    length = min(block, n)
    count = -(-n // length)
    starts = rng.integers(0, n - length + 1, size=(replications, count))
    return (starts[:, :, None] + np.arange(length)).reshape(replications, -1)[:, :n]


def _ratio_interval(
    event: np.ndarray,
    other: np.ndarray,
    *,
    replications: int,
    block: int,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Symmetric studentized 95% interval of ``R = mean(event^2) / mean(other^2)`` on the
    log scale (module docstring)."""
    event_sq, other_sq = event**2, other**2
    n_event = len(event_sq)
    log_event = np.empty(replications)
    event_var = np.empty(replications)
    log_other = np.empty(replications)
    chunk = max(1, 2_000_000 // max(len(other_sq), 1))
    for start in range(0, replications, chunk):
        count = min(chunk, replications - start)
        drawn = event_sq[rng.integers(0, n_event, size=(count, n_event))]
        means = drawn.mean(axis=1)
        log_event[start : start + count] = np.log(means)
        event_var[start : start + count] = drawn.var(axis=1) / (n_event * means**2)
        others = _block_indices(rng, len(other_sq), block, count)
        log_other[start : start + count] = np.log(other_sq[others].mean(axis=1))
    other_var = float(log_other.var())
    log_ratio = math.log(event_sq.mean() / other_sq.mean())
    std_err = math.sqrt(event_sq.var() / (n_event * event_sq.mean() ** 2) + other_var)
    studentized = np.abs(log_event - log_other - log_ratio) / np.sqrt(event_var + other_var)
    half = float(np.quantile(studentized, 0.95)) * std_err
    return math.exp(log_ratio - half), math.exp(log_ratio + half)


class CentralBankDaysResults(Results):
    """Announcement-day scores by central bank (read-only)."""

    def __init__(self, table: pd.DataFrame, scores: pd.DataFrame, window: int, block: int):
        self._table = table
        self._scores = scores
        self.window = window
        self.block = block

    @property
    def table(self) -> pd.DataFrame:
        """Index ``(bank, series, days)``: ``events``, ``first``, ``last``, ``mean_abs_z``,
        ``share_large``, ``non_event_share_large``, ``non_event_days``, ``variance_ratio``,
        ``ci_low``, ``ci_high`` (95%, bootstrap; module docstring), ``note`` (why a row is
        not applicable: a one-day move of a market that closes before the announcement,
        statistics NaN; empty otherwise)."""
        return self._table.copy()

    @property
    def scores(self) -> pd.DataFrame:
        """Every scored announcement: index ``(bank, days, event, series)``, ``z``."""
        return self._scores.copy()

    @property
    def banks(self) -> list[str]:
        """Banks with at least one scored day."""
        return list(dict.fromkeys(self._table.index.get_level_values("bank")))

    def summary(self) -> str:
        columns = ["events", "mean_abs_z", "share_large", "variance_ratio", "ci_low", "ci_high"]
        return (
            f"Announcement-day moves by central bank: variance ratio of z (z against "
            f"{self.window}-day trailing volatility) on announcement vs non-event days, 95% "
            f"bootstrap interval (symmetric studentized, log scale; events i.i.d., non-event "
            f"days in blocks of {self.block})\n"
            + self._table[columns].to_string(float_format=lambda v: f"{v:.3f}")
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "block": self.block,
            "table": json_records(self._table),
        }

    def plot(self) -> Figure:
        """Variance ratios with their intervals, one bar group per bank."""
        import matplotlib.pyplot as plt

        table = self._table.reset_index()
        labels = [f"{r.bank} {r.series} {r.days}d" for r in table.itertuples()]
        fig, ax = plt.subplots(figsize=(8, 0.3 * len(labels) + 1))
        y = np.arange(len(labels))
        ax.errorbar(
            table["variance_ratio"],
            y,
            xerr=[
                table["variance_ratio"] - table["ci_low"],
                table["ci_high"] - table["variance_ratio"],
            ],
            fmt="o",
        )
        ax.axvline(1.0, color="0.4", ls=":")
        ax.set_yticks(y, labels, fontsize=7)
        ax.set_xlabel("variance ratio, announcement / non-event days")
        fig.tight_layout()
        return fig


class CentralBankDays:
    """Score one- and two-day moves on the announcement days of several central banks
    against trailing volatility and one common set of non-event days (module docstring).

    Parameters
    ----------
    levels
        Daily levels, one column per series (yields in percent, prices in index points).
    days
        Announcement dates by bank name (e.g. ``{"FOMC": ..., "BoE": ...}``); a date that is
        not a trading day of a series is skipped for it.
    units
        Per column: ``"bp"`` or ``"log_pct"``.
    windows
        Move lengths ``k`` scored (1 and 2 days).
    window
        Trailing volatility window in trading days.
    block
        Block length (days) of the non-event bootstrap.
    markets
        Market of each series (keys of :data:`~ustpull.crossasset.synchronous.MARKET_CLOSE_UTC`
        or aliases): one-day rows of a market that closes before the bank announces are not
        applicable (module docstring). A series without a market is scored as is.
    """

    def __init__(
        self,
        levels: pd.DataFrame,
        days: Mapping[str, Sequence[pd.Timestamp] | pd.DatetimeIndex],
        *,
        units: Mapping[str, ChangeUnits],
        windows: Sequence[Literal[1, 2]] = (1, 2),
        window: int = 60,
        block: int = 20,
        markets: Mapping[str, str] | None = None,
    ) -> None:
        if window < 10:
            raise DataError(f"the trailing window must be at least 10 days, got {window}")
        if any(k not in (1, 2) for k in windows):
            raise DataError(f"move lengths must be 1 or 2 days, got {list(windows)}")
        self.days = {bank: pd.DatetimeIndex(list(dates)) for bank, dates in days.items()}
        if not self.days or all(len(d) == 0 for d in self.days.values()):
            raise DataError("CentralBankDays: no announcement dates")
        missing = [str(c) for c in levels.columns if str(c) not in units]
        if missing:
            raise DataError(f"CentralBankDays: no units for {missing}")
        self.levels, self.units = levels, dict(units)
        self.windows, self.window, self.block = tuple(windows), window, block
        self.markets = dict(markets or {})

    def fit(self, *, replications: int = 999, seed: int = 0) -> CentralBankDaysResults:
        """Scores, shares and variance ratios with bootstrap intervals."""
        rng = np.random.default_rng(seed)
        every = pd.DatetimeIndex(sorted(set().union(*self.days.values())))
        rows, scores = [], []
        for series in self.levels.columns:
            name = str(series)
            for k in self.windows:
                z = daily_scores(self.levels[series], self.units[name], k, self.window)
                calm = z[~_touched(pd.DatetimeIndex(z.index), every, k)].dropna()
                for bank, dates in self.days.items():
                    part = self._bank(bank, name, k, z.reindex(dates).dropna(), calm)
                    if part is None:
                        continue
                    # the bootstrap runs either way, so other rows keep their random draws
                    row = self._row(*part, replications, rng)
                    note = self._not_applicable(bank, name, k)
                    if note:
                        row.update(dict.fromkeys(_PER_EVENT, float("nan")), note=note)
                    else:
                        scores.append(self._scores(*part[:4]))
                    rows.append(row)
        if not rows:
            raise DataError("CentralBankDays: no bank has 10 scored days in any series")
        table = pd.DataFrame(rows).set_index(["bank", "series", "days"])
        frame = pd.concat(scores).set_index(["bank", "days", "event", "series"]).sort_index()
        return CentralBankDaysResults(table, frame, self.window, self.block)

    def _not_applicable(self, bank: str, series: str, k: int) -> str:
        """Why the ``k``-day row of ``series`` on ``bank`` days is not applicable, or ``""``."""
        market = self.markets.get(series)
        if k != 1 or market is None or not closes_before_announcement(market, bank):
            return ""
        close, announced = MARKET_CLOSE_UTC[market_code(market)], ANNOUNCEMENT_UTC[bank]
        return (
            f"not applicable: {market_code(market)} closes at {_clock(close)} UTC, before the "
            f"{bank} announcement at {_clock(announced)} UTC; see the 2-day row"
        )

    @staticmethod
    def _bank(
        bank: str, series: str, k: int, event: pd.Series, calm: pd.Series
    ) -> tuple[str, str, int, pd.Series, np.ndarray] | None:
        """The bank's scored days and the non-event days inside its span of announcements,
        or ``None`` with fewer than 10 scored days or 250 non-event days."""
        if len(event) < 10:
            return None
        quiet = calm.loc[event.index[0] : event.index[-1]].to_numpy(dtype=float)
        return None if len(quiet) < 250 else (bank, series, k, event, quiet)

    @staticmethod
    def _scores(bank: str, series: str, k: int, event: pd.Series) -> pd.DataFrame:
        return pd.DataFrame(
            {"bank": bank, "days": k, "event": event.index, "series": series,
             "z": event.to_numpy()}
        )  # fmt: skip

    def _row(
        self,
        bank: str,
        series: str,
        k: int,
        event: pd.Series,
        quiet: np.ndarray,
        replications: int,
        rng: np.random.Generator,
    ) -> dict[str, Any]:
        values = event.to_numpy()
        low, high = _ratio_interval(
            values, quiet, replications=replications, block=self.block, rng=rng
        )
        return {
            "bank": bank,
            "series": series,
            "days": k,
            "events": len(values),
            "first": event.index[0],
            "last": event.index[-1],
            "mean_abs_z": float(np.abs(values).mean()),
            "share_large": float((np.abs(values) > _LARGE).mean()),
            "non_event_share_large": float((np.abs(quiet) > _LARGE).mean()),
            "non_event_days": len(quiet),
            "variance_ratio": float((values**2).mean() / (quiet**2).mean()),
            "ci_low": low,
            "ci_high": high,
            "note": "",
        }


def _clock(hours: float) -> str:
    """``16.5`` -> ``"16:30"``."""
    return f"{int(hours):02d}:{round(60 * (hours % 1)):02d}"
