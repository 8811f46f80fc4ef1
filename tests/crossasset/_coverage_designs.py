"""Simulation designs with known truth for the coverage of three interval methods (issue 16).

Shared by ``tests/crossasset/test_coverage_*.py`` (500 series) and
``benchmarks/bench_interval_coverage.py`` (1000 series, more designs). Every design has
GARCH(1,1) volatility clustering (``h_t = 0.05 + 0.10 e_{t-1}^2 + 0.85 h_{t-1}``, scaled to unit
unconditional variance), simulated for all series at once (one loop over time).

* :func:`smile_coverage`: monthly outcome ``y_t = m_{s_t} + a_{episode(t)} + sigma_{s_t} e_t``,
  states in episodes (spells of 6-30 months, a quarter of the time in each tail state: about
  six to ten episodes per tail state in 480 months, as the dollar's growth and risk-off states),
  an episode effect ``a ~ N(0, tau^2)`` shared by the months of one episode, GARCH ``e``; truth
  ``c = (m_low + m_high) / 2 - m_mid``. Interval: :class:`~ustpull.crossasset.smile.ShapeTest`.
* :func:`rigobon_sack_coverage`: daily structural shocks (U.S. ``eta``, foreign ``eps``, common
  ``z``, each GARCH) with ``f = beta u + eps + z``, ``u = alpha f + eta + z``; on announcement
  days (every ~23 trading days, jittered) ``eta`` is ``event_scale`` times as volatile. The
  estimator sees the overlapping two-day changes of the cumulated daily levels
  (:func:`two_day_windows`, equal to
  :func:`~ustpull.crossasset.announcements.two_day_changes`). Interval:
  :meth:`~ustpull.crossasset.identification.RigobonSack.interval`.
* :func:`surprise_moves`: event-day moves ``Delta y_e = 0.1 + b s_e + u_e`` on given surprises,
  ``u_e = 2 sqrt(h_e) (1 + gamma |s_e| / sd(s))``, ``h`` a GARCH over the event sequence: the
  error variance rises with the surprise's size. Interval:
  :func:`~ustpull.crossasset.robust_slope.hc3_slope` (via ``SurpriseResponse``).

Monte-Carlo standard error of a coverage near 95%: ``sqrt(0.95 * 0.05 / S)``, 0.97 pp at
``S = 500`` series and 0.69 pp at 1000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ustpull.crossasset.identification import RigobonSack, rigobon_sack_beta
from ustpull.crossasset.smile import STATES, ShapeTest


def garch(n_series: int, n_obs: int, rng: np.random.Generator, burn: int = 200) -> np.ndarray:
    """``(n_series, n_obs)`` GARCH(1,1) shocks with unit unconditional variance."""
    omega, alpha, beta = 0.05, 0.10, 0.85
    shocks = rng.standard_normal((n_obs + burn, n_series))
    h = np.full(n_series, omega / (1.0 - alpha - beta))
    out = np.empty_like(shocks)
    for t in range(n_obs + burn):
        out[t] = np.sqrt(h) * shocks[t]
        h = omega + alpha * out[t] ** 2 + beta * h
    return out[burn:].T / np.sqrt(omega / (1.0 - alpha - beta))


def mc_standard_error(coverage: float, n_series: int) -> float:
    """Binomial standard error (pp) of a coverage (percent) over ``n_series`` series."""
    share = coverage / 100.0
    return 100.0 * float(np.sqrt(share * (1.0 - share) / n_series))


# ---------------------------------------------------------------------------- smile / frown
SMILE_MEANS = (0.3, 0.0, 0.3)
"""True state means (low, mid, high) in percent a month: curvature 0.3."""


def episode_states(
    n_series: int, months: int, rng: np.random.Generator, spell: tuple[int, int]
) -> np.ndarray:
    """State codes (0 low, 1 mid, 2 high) in spells of ``spell`` months, tails 1/4 each; a
    path with fewer than two episodes of some state is drawn again (the test needs two)."""
    codes = np.empty((n_series, months), dtype=int)
    for row in range(n_series):
        episodes = np.zeros(3)
        while episodes.min() < 2:
            path: list[int] = []
            last = -1
            while len(path) < months:
                state = last
                while state == last:
                    state = int(rng.choice(3, p=(0.25, 0.5, 0.25)))
                path += [state] * int(rng.integers(spell[0], spell[1] + 1))
                last = state
            codes[row] = path[:months]
            starts = np.r_[True, codes[row][1:] != codes[row][:-1]]
            episodes = np.bincount(codes[row][starts], minlength=3).astype(float)
    return codes


def smile_coverage(
    n_series: int,
    *,
    months: int = 480,
    tau: float = 0.5,
    ar: float = 0.0,
    spell: tuple[int, int] = (6, 30),
    state_vol: tuple[float, float, float] = (1.3, 1.0, 1.15),
    method: str = "episode",
    replications: int = 199,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Per contrast (curvature and the two gaps): True where the 95% interval holds the truth;
    ``curvature_iid_months``: the same for the retired interval that treats months as
    independent (normal critical values); ``curvature_tmin_before``: the episode bootstrap's
    interval before issue 16's coverage check (``t(G_min - 1)`` times the replicates' standard
    deviation), both for comparison."""
    rng = np.random.default_rng(seed)
    codes = episode_states(n_series, months, rng, spell)
    noise = 2.5 * garch(n_series, months, rng) * np.asarray(state_vol)[codes]
    for t in range(1, months):
        noise[:, t] += ar * noise[:, t - 1]
    episode = np.concatenate(
        [np.zeros((n_series, 1), dtype=int), np.cumsum(codes[:, 1:] != codes[:, :-1], axis=1)],
        axis=1,
    )
    effect = np.take_along_axis(tau * rng.standard_normal((n_series, months)), episode, axis=1)
    outcome = np.asarray(SMILE_MEANS)[codes] + effect + noise
    low, mid, high = SMILE_MEANS
    truth = {
        "curvature": 0.5 * (low + high) - mid,
        "low_minus_mid": low - mid,
        "high_minus_mid": high - mid,
    }
    index = pd.period_range("1985-01", periods=months, freq="M")
    names = np.asarray(STATES)
    extra = ["curvature_iid_months", "curvature_tmin_before"]
    hits = {name: np.zeros(n_series, dtype=bool) for name in [*truth, *extra]}
    weights = np.array([0.5, -1.0, 0.5])
    for row in range(n_series):
        # the retired inference: months as independent draws, normal critical values
        counts = np.bincount(codes[row], minlength=3)
        means = np.bincount(codes[row], weights=outcome[row], minlength=3) / counts
        squares = np.bincount(codes[row], weights=outcome[row] ** 2, minlength=3) / counts
        se_iid = np.sqrt(np.sum(weights**2 * (squares - means**2) / (counts - 1)))
        hits["curvature_iid_months"][row] = abs(weights @ means - truth["curvature"]) <= (
            1.959964 * se_iid
        )
        test = ShapeTest(pd.Series(outcome[row], index), pd.Series(names[codes[row]], index))
        fit = test.fit(
            method=method,  # type: ignore[arg-type]
            replications=replications,
            seed=row,
        )
        contrasts = fit.contrasts
        if method == "episode":  # the interval of before: t(G_min - 1) x the replicates' sd
            replicates = test._episode_replicates(replications, row)
            se_before = np.std(replicates @ weights, ddof=1)
            dof_before = max(int(fit.means["episodes"].min()) - 1, 1)
            hits["curvature_tmin_before"][row] = (
                abs(contrasts.loc["curvature", "estimate"] - truth["curvature"])
                <= stats.t.ppf(0.975, dof_before) * se_before
            )
        for name, value in truth.items():
            hits[name][row] = (
                contrasts.loc[name, "ci_low"] <= value <= contrasts.loc[name, "ci_high"]
            )
    return hits


# ---------------------------------------------------------------------------- Rigobon-Sack
def rigobon_sack_daily(
    n_series: int,
    days: int,
    rng: np.random.Generator,
    *,
    beta: float = 0.3,
    alpha: float = 0.5,
    event_scale: float = 2.0,
    spacing: int = 23,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily U.S. and foreign changes (bp), ``(n_series, days)`` each, and the event mask."""
    starts = np.arange(30, days - 5, spacing)
    event = np.zeros(days, dtype=bool)
    event[starts + rng.integers(-3, 4, size=len(starts))] = True
    eta = 5.0 * garch(n_series, days, rng) * np.where(event, event_scale, 1.0)
    eps = 4.0 * garch(n_series, days, rng)
    common = 3.0 * garch(n_series, days, rng)
    us = (alpha * eps + (1.0 + alpha) * common + eta) / (1.0 - alpha * beta)
    return us, beta * us + eps + common, event


def rigobon_sack_coverage(
    n_series: int,
    *,
    days: int = 4000,
    beta: float = 0.3,
    event_scale: float = 2.0,
    replications: int = 199,
    block_length: int | None = None,
    interval: str = "basic",
    seed: int = 0,
) -> np.ndarray:
    """True where the 95% interval of ``beta_RS`` holds the true ``beta``; ``interval``:
    ``"basic"`` or ``"percentile"`` of :meth:`RigobonSack.interval`, or ``"iid_windows"`` (the
    interval of before, :func:`iid_window_interval`)."""
    rng = np.random.default_rng(seed)
    us, foreign, event = rigobon_sack_daily(n_series, days, rng, beta=beta, event_scale=event_scale)
    dates = pd.bdate_range("1990-01-02", periods=days)
    events = dates[event]
    u2, f2 = two_day_windows(us), two_day_windows(foreign)
    middle = dates[1:-1]
    hits = np.zeros(n_series, dtype=bool)
    for row in range(n_series):
        spec = RigobonSack(pd.Series(u2[row], middle), pd.Series(f2[row], middle), events)
        if interval == "iid_windows":
            low, high = iid_window_interval(spec, replications=replications, seed=row)
        else:
            low, high = spec.interval(
                replications=replications,
                seed=row,
                block_length=block_length,
                interval=interval,  # type: ignore[arg-type]
            )[1:3]
        hits[row] = low <= beta <= high
    return hits


def iid_window_interval(spec: RigobonSack, *, replications: int, seed: int) -> tuple[float, float]:
    """The interval of before (session 4): A and N windows resampled one by one, separately, as
    if independent; percentile interval."""
    windows = spec.windows
    u, f, label = windows["u"].to_numpy(), windows["f"].to_numpy(), windows["label"].to_numpy()
    ua, fa, un, fn = u[label == 1], f[label == 1], u[label == 2], f[label == 2]
    rng = np.random.default_rng(seed)
    ia = rng.integers(0, len(ua), size=(replications, len(ua)))
    i_n = rng.integers(0, len(un), size=(replications, len(un)))
    reps = rigobon_sack_beta(ua[ia], fa[ia], un[i_n], fn[i_n])
    low, high = np.nanquantile(reps, [0.025, 0.975])
    return float(low), float(high)


def two_day_windows(daily: np.ndarray) -> np.ndarray:
    """Two-day changes ``y_{t+1} - y_{t-1}`` of the cumulated daily changes (bp), by middle day
    ``t = 1..T-2``: what :func:`~ustpull.crossasset.announcements.two_day_changes` gives for the
    levels ``cumsum(daily) / 100`` (checked in ``test_coverage_identification.py``)."""
    return daily[:, 1:-1] + daily[:, 2:]


# ---------------------------------------------------------------------------- surprise slopes
def surprise_moves(
    surprise: np.ndarray,
    n_series: int,
    *,
    slope: float = 0.4,
    gamma: float = 1.0,
    seed: int = 0,
) -> np.ndarray:
    """``(n_series, n_events)`` moves on the surprises ``surprise`` (broadcast to that shape)."""
    rng = np.random.default_rng(seed)
    s = np.broadcast_to(surprise, (n_series, np.shape(surprise)[-1]))
    scale = 1.0 + gamma * np.abs(s) / np.std(surprise)
    return 0.1 + slope * s + 2.0 * garch(n_series, s.shape[-1], rng) * scale
