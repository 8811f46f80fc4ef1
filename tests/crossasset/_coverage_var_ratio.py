"""Coverage of the announcement-day variance-ratio interval by simulation (issue 16).

Design: ``n_days`` daily changes (bp) of ``n_series`` yields, GARCH(1,1) shocks
(:func:`tests.crossasset._coverage.garch_shocks`, Student-t(5) innovations, alpha 0.10, beta
0.85, unit unconditional variance) times 5 bp; announcement days spaced like FOMC meetings (8 a
year: every 31 or 32 trading days, with a +-3-day jitter), on which the day's change is
``sqrt(scale)`` times larger (the multiplier does not feed the GARCH recursion). All series go
through one :class:`~ustpull.crossasset.announcement_days.CentralBankDays` (one column each).

The truth: the population value of the estimator's ratio ``E z_e^2 / E z_n^2``, with ``z``
scored against 60-day trailing volatility; ``scale`` for one-day moves and ``(scale + 1) / 2``
for two-day moves up to the (small) share of event days in the trailing windows, which raises
both scales alike. :func:`pooled_truth` measures it on the pooled simulated days (600,000 event
days at 1,000 series): it is the reference used.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tests.crossasset._coverage import garch_shocks
from ustpull.crossasset.announcement_days import (
    CentralBankDays,
    _block_indices,
    _touched,
    daily_scores,
)


def event_positions(n_days: int, rng: np.random.Generator, *, spacing: float = 31.5) -> np.ndarray:
    """Announcement positions about ``spacing`` trading days apart (8 a year), jittered."""
    base = np.arange(80.0, n_days - 5, spacing).round().astype(int)
    jitter = rng.integers(-3, 4, size=len(base))
    return np.clip(base + jitter, 70, n_days - 3)


#: GARCH(1,1) designs ``(alpha, beta, df)``: "data" gives the scores ``z`` a kurtosis of about
#: 3 (real 10-year yields 1990-2021: U.S. 1.8, Bund 4.2); "stress" is the repository's default
#: shock (t(5), alpha 0.10, beta 0.85), whose ``z`` kurtosis is about 5-7.
DESIGNS = {"data": (0.05, 0.93, 8.0), "stress": (0.10, 0.85, 5.0)}


def simulated_levels(
    n_series: int, n_years: int, scale: float, seed: int, design: str = "data"
) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """Yield levels (percent) of ``n_series`` series and the announcement dates."""
    alpha, beta, df = DESIGNS[design]
    rng = np.random.default_rng(seed)
    n_days = 252 * n_years
    dates = pd.bdate_range("1990-01-02", periods=n_days)
    events = event_positions(n_days, rng)
    changes = 0.05 * garch_shocks(n_series, n_days, rng=rng, alpha=alpha, beta=beta, df=df)
    changes[events] *= math.sqrt(scale)
    columns = [f"s{k}" for k in range(n_series)]
    levels = pd.DataFrame(3.0 + np.cumsum(changes, axis=0), index=dates, columns=columns)
    return levels, dates[events]


def pooled_truth(table: pd.DataFrame, scores: pd.DataFrame) -> dict[int, float]:
    """Pooled ratio over all series: event ``mean z^2`` over non-event ``mean z^2`` (the
    latter from each series' own ratio: ``mean(z_e^2) / R``)."""
    truth = {}
    for k, part in table.groupby(level="days"):
        event_sq = scores.xs(k, level="days")["z"].pow(2).groupby(level="series").mean()
        series = part.index.get_level_values("series")
        other = event_sq.loc[series].to_numpy() / part["variance_ratio"].to_numpy()
        truth[int(k)] = float(event_sq.mean() / other.mean())
    return truth


def var_ratio_coverage(
    n_series: int,
    seed: int,
    *,
    n_years: int = 30,
    scale: float = 2.0,
    replications: int = 199,
    design: str = "data",
    before: bool = False,
) -> dict[str, float]:
    """Coverage of the pooled truth by the 95% interval, one- and two-day moves; keys
    ``"1d"``, ``"2d"``, ``"truth 1d"``, ``"truth 2d"`` (and ``"before 1d"``, ``"before 2d"``:
    the percentile interval used before, with ``before=True``)."""
    levels, events = simulated_levels(n_series, n_years, scale, seed, design)
    model = CentralBankDays(levels, {"FOMC": events}, units=dict.fromkeys(levels.columns, "bp"))
    fit = model.fit(replications=replications, seed=seed)
    table = fit.table
    truth = pooled_truth(table, fit.scores)
    out: dict[str, float] = {}
    for k in (1, 2):
        part = table.xs(k, level="days")
        out[f"{k}d"] = float(((part["ci_low"] <= truth[k]) & (part["ci_high"] >= truth[k])).mean())
        out[f"truth {k}d"] = truth[k]
        if before:
            out[f"before {k}d"] = _percentile_before(levels, events, k, truth[k], replications)
    return out


def _percentile_before(
    levels: pd.DataFrame, events: pd.DatetimeIndex, k: int, truth: float, replications: int
) -> float:
    """Coverage of the interval used before: percentile interval of ``R`` (events i.i.d.,
    non-event days in moving blocks of 20)."""
    rng = np.random.default_rng(0)
    hits = 0
    for column in levels.columns:
        z = daily_scores(levels[column], "bp", k, 60)
        calm = z[~_touched(pd.DatetimeIndex(z.index), events, k)].dropna()
        event = z.reindex(events).dropna().to_numpy() ** 2
        quiet = calm.loc[events[0] : events[-1]].to_numpy() ** 2
        picks = rng.integers(0, len(event), size=(replications, len(event)))
        others = _block_indices(rng, len(quiet), 20, replications)
        ratios = event[picks].mean(axis=1) / quiet[others].mean(axis=1)
        low, high = np.quantile(ratios, [0.025, 0.975])
        hits += low <= truth <= high
    return hits / len(levels.columns)
