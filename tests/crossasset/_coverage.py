"""Coverage of the cross-asset interval methods by simulation (known truth, vectorised).

Shared by the tests ``tests/crossasset/test_coverage_*.py`` (a few hundred series each) and the
benchmark ``benchmarks/_coverage_b.py`` (1,000 series). Every simulated series has volatility
clustering: GARCH(1,1) shocks ``h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}``, Student-t(5)
innovations scaled to unit variance, a 500-row burn-in from the unconditional variance. The
Monte-Carlo standard error of a coverage near 95% is ``sqrt(0.95 * 0.05 / n)``: 1.0 pp at 500
series, 0.7 pp at 1,000.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tests.crossasset._simulate import garch_pairs
from ustpull.crossasset.connectedness.inference import mean_interval
from ustpull.crossasset.intervals import CorrelationDifferenceInterval, long_run_variance
from ustpull.crossasset.stats import effective_sample_size
from ustpull.crossasset.stocks_sharpe import sharpe_interval

#: The GARCH of the correlation tests (tests/crossasset/test_intervals.py).
GARCH = {"alpha": 0.12, "beta": 0.86}


def mc_standard_error(coverage: float, n_series: int) -> float:
    """Binomial standard error of a coverage frequency."""
    return math.sqrt(coverage * (1.0 - coverage) / n_series)


def garch_shocks(
    n_series: int,
    n_obs: int,
    *,
    rng: np.random.Generator,
    alpha: float = 0.10,
    beta: float = 0.85,
    df: float = 5.0,
    burn: int = 500,
) -> np.ndarray:
    """``(n_obs, n_series)`` GARCH(1,1) shocks with unit unconditional variance (loop over
    time, every series at once)."""
    z = rng.standard_t(df, (n_obs + burn, n_series)) / math.sqrt(df / (df - 2.0))
    omega = 1.0 - alpha - beta
    h = np.ones(n_series)
    shocks = np.empty_like(z)
    previous = np.zeros(n_series)
    for t in range(n_obs + burn):
        h = omega + alpha * previous**2 + beta * h
        previous = np.sqrt(h) * z[t]
        shocks[t] = previous
    return shocks[burn:]


def persistent_series(
    n_series: int, n_obs: int, phi: float, *, rng: np.random.Generator, burn: int = 2000
) -> np.ndarray:
    """``(n_obs, n_series)`` AR(1) series ``a_t = phi a_{t-1} + e_t`` with GARCH shocks and
    mean zero (a TCI-like persistent series; the burn-in makes the start stationary)."""
    shocks = garch_shocks(n_series, n_obs + burn, rng=rng)
    path = np.empty_like(shocks)
    level = np.zeros(n_series)
    for t in range(n_obs + burn):
        level = phi * level + shocks[t]
        path[t] = level
    return path[burn:]


def tvp_mean_coverage(
    n_series: int, seed: int, *, phi: float = 0.99, n_obs: int = 1020, memory: int = 100
) -> dict[str, float]:
    """Coverage of the true mean (zero) by the nominal 95% interval of a time mean.

    ``"ewc"``: :func:`~ustpull.crossasset.connectedness.inference.mean_interval` (all series as
    columns of one call); ``"newey-west"``: the interval used before, mean +- 1.96 Newey-West
    standard error with ``memory`` Bartlett lags.
    """
    series = persistent_series(n_series, n_obs, phi, rng=np.random.default_rng(seed))
    lower, upper = mean_interval(series, 0.95, memory=memory)
    means = series.mean(axis=0)
    nw = np.array([long_run_variance(column, memory) for column in series.T])
    half = 1.959964 * np.sqrt(np.maximum(nw, 0.0) / n_obs)
    return {
        "ewc": float(np.mean((lower <= 0.0) & (upper >= 0.0))),
        "newey-west": float(np.mean(np.abs(means) <= half)),
    }


def tvp_change_coverage(n_series: int, seed: int, *, phi: float = 0.99) -> dict[str, float]:
    """Coverage of a zero change by the 95% interval of
    :func:`~ustpull.crossasset.connectedness.inference.tci_change_test` on the report's periods
    (2010-2019: 522 weeks; 2022-2024-04: 117 weeks) of 1,020 weekly AR(1) values, and by the
    Newey-West (100 lags, 1.96) interval used before."""
    from ustpull.crossasset.connectedness.inference import tci_change_test

    series = persistent_series(n_series, 1020, phi, rng=np.random.default_rng(seed))
    dates = pd.date_range("2004-09-17", periods=1020, freq="W-FRI")
    periods = (("2010-01-01", "2019-12-31"), ("2022-01-01", "2099-12-31"))
    ewc = newey_west = 0
    for column in series.T:
        path = pd.Series(column, dates)
        low, high = tci_change_test(path, *periods, memory=100).interval(0.95)
        ewc += low <= 0.0 <= high
        first, second = (path.loc[a:b].to_numpy() for a, b in periods)
        variance = long_run_variance(first, 100) / len(first)
        variance += long_run_variance(second, 100) / len(second)
        newey_west += abs(second.mean() - first.mean()) <= 1.959964 * math.sqrt(variance)
    return {"ewc": ewc / n_series, "newey-west": newey_west / n_series}


def hac_difference_coverage(
    n_series: int, seed: int, *, n_obs: int = 500, rho: tuple[float, float] = (0.2, 0.6)
) -> dict[str, float]:
    """Coverage of ``rho_B - rho_A`` by the nominal 95% HAC interval of
    :class:`~ustpull.crossasset.intervals.CorrelationDifferenceInterval` (``method="hac"``, the
    inflation-threshold differences) and by the autocorrelation-adjusted Fisher-z test of
    :func:`~ustpull.crossasset.stats.fisher_z_difference_test` (effective sample sizes, no
    allowance for volatility clustering), inverted around the true Fisher-z difference.

    Each sample: ``n_obs`` daily pairs sharing one GARCH(1,1) variance (alpha 0.12, beta 0.86,
    :func:`tests.crossasset._simulate.garch_pairs`).
    """
    xa, ya = garch_pairs(n_series, n_obs, rho[0], seed=seed, **GARCH)
    xb, yb = garch_pairs(n_series, n_obs, rho[1], seed=seed + 1, **GARCH)
    dates_a = pd.bdate_range("2001-01-01", periods=n_obs)
    dates_b = pd.bdate_range("2011-01-03", periods=n_obs)
    truth = rho[1] - rho[0]
    hac_hits = fisher_hits = 0
    for s in range(n_series):
        fit = CorrelationDifferenceInterval(
            pd.Series(xa[s], dates_a),
            pd.Series(ya[s], dates_a),
            pd.Series(xb[s], dates_b),
            pd.Series(yb[s], dates_b),
        ).fit(method="hac")
        hac_hits += fit.ci_low <= truth <= fit.ci_high
        sizes = (
            effective_sample_size(pd.Series(xa[s], dates_a), pd.Series(ya[s], dates_a)),
            effective_sample_size(pd.Series(xb[s], dates_b), pd.Series(yb[s], dates_b)),
        )
        z_a, z_b = np.arctanh(fit.extra["rho_a"]), np.arctanh(fit.extra["rho_b"])
        se = math.sqrt(1.0 / (sizes[0] - 3.0) + 1.0 / (sizes[1] - 3.0))
        centre = (z_b - z_a) - (np.arctanh(rho[1]) - np.arctanh(rho[0]))
        fisher_hits += abs(centre) <= 1.959964 * se
    return {"hac": hac_hits / n_series, "fisher-z (effective n)": fisher_hits / n_series}


def sharpe_coverage(
    n_series: int, seed: int, *, n_obs: int = 36, sharpe: float = 0.2, df: float = 10.0
) -> dict[str, float]:
    """Coverage of the true annualised Sharpe ratio by the Lo (2002) interval
    (:func:`~ustpull.crossasset.stocks_sharpe.sharpe_interval`) of ``n_obs`` monthly excess
    returns ``sharpe * 0.04 + 0.04 e_t``, ``e_t`` GARCH(1,1) shocks (alpha 0.10, beta 0.85)
    with Student-t(``df``) innovations and unit unconditional variance (so the monthly Sharpe
    ratio is ``sharpe``). With ``df = 10`` the returns' kurtosis is 5.8 and the first
    autocorrelation of their squares 0.18; monthly S&P 500 log returns 1950-2026: 5.2 and 0.19.
    ``"lo (normal)"`` is the same interval with the normal 1.96 used before."""
    shocks = garch_shocks(n_series, n_obs, rng=np.random.default_rng(seed), df=df)
    returns = 0.04 * (sharpe + shocks)
    truth = math.sqrt(12.0) * sharpe
    hits = normal_hits = 0
    for column in returns.T:
        result = sharpe_interval(pd.Series(column))
        hits += result["ci_low"] <= truth <= result["ci_high"]
        normal_hits += abs(result["sharpe"] - truth) <= 1.959964 * result["std_err"]
    return {"lo (t)": hits / n_series, "lo (normal)": normal_hits / n_series}


#: Daily GARCH(1,1) of the regime design (typical of daily stock and bond returns).
DAILY_GARCH = (0.02, 0.08, 0.90)


def regime_daily_returns(
    n_series: int,
    n_weeks: int,
    *,
    rng: np.random.Generator,
    rho: tuple[float, float] = (-0.5, 0.4),
    stay: tuple[float, float] = (0.96, 0.96),
) -> tuple[np.ndarray, np.ndarray]:
    """Daily returns ``(n_series, 5 n_weeks, 2)`` and their GARCH variances (same shape).

    A weekly two-state Markov chain (from its ergodic distribution; switches at week ends, so
    the weekly chain is exact) sets the correlation ``rho[k]`` of the pair's daily normal
    innovations; each series has its own GARCH(1,1) variance :data:`DAILY_GARCH` (unit
    unconditional variance), so the returns cluster in volatility within the regimes.
    """
    omega, alpha, beta = DAILY_GARCH
    p0 = (1.0 - stay[1]) / (2.0 - stay[0] - stay[1])
    state = np.empty((n_weeks, n_series), dtype=int)
    state[0] = rng.random(n_series) >= p0
    switch = rng.random((n_weeks, n_series))
    stay_arr = np.asarray(stay)
    for week in range(1, n_weeks):
        previous = state[week - 1]
        state[week] = np.where(switch[week] < stay_arr[previous], previous, 1 - previous)
    r = np.repeat(np.asarray(rho)[state], 5, axis=0)[..., None]  # (days, series, 1)
    z = rng.standard_normal((5 * n_weeks, n_series, 2))
    z[..., 1:] = r * z[..., :1] + np.sqrt(1.0 - r**2) * z[..., 1:]
    h = np.ones((n_series, 2))
    shock = np.zeros((n_series, 2))
    returns = np.empty_like(z)
    variance = np.empty_like(z)
    for t in range(5 * n_weeks):
        h = omega + alpha * shock**2 + beta * h
        shock = np.sqrt(h) * z[t]
        returns[t], variance[t] = shock, h
    return returns.transpose(1, 0, 2), variance.transpose(1, 0, 2)


def regime_coverage(
    n_series: int,
    seed: int,
    *,
    n_weeks: int = 600,
    rho: tuple[float, float] = (-0.5, 0.4),
    stay: tuple[float, float] = (0.96, 0.96),
    volatility: str = "filtered",
    cov_types: tuple[str, ...] = ("robust",),
) -> dict[str, float]:
    """Coverage of the regime correlations and expected durations by the 95% intervals of
    :class:`~ustpull.crossasset.regimes.RegimeSwitchingCorrelation`, fitted as the stocks study
    does: daily returns divided by their GARCH(1,1) volatility, summed to weeks
    (:func:`~ustpull.crossasset.stocks_regimes.standardised_weekly`).

    ``volatility``: ``"filtered"`` runs the GARCH filter with the true parameters (the study
    estimates them on 9,000 days, where their error is small; the filter keeps its start-up
    and tracking error), ``"estimated"`` fits :class:`~ustpull.crossasset.dcc.DCCGarch` to
    each series (0.6 s a series), ``"none"`` fits the raw weekly sums (clustering left in).
    ``cov_types``: the intervals to score (``"robust"`` sandwich, ``"hessian"`` as before);
    keys ``"<cov_type> <quantity> <regime>"``.
    """
    from ustpull.crossasset.dcc import DCCGarch, garch_variance
    from ustpull.crossasset.regimes import RegimeSwitchingCorrelation
    from ustpull.crossasset.stocks_regimes import standardised_weekly

    returns, _ = regime_daily_returns(
        n_series, n_weeks, rng=np.random.default_rng(seed), rho=rho, stay=stay
    )
    days = pd.bdate_range("2001-01-01", periods=returns.shape[1])
    duration = 1.0 / (1.0 - np.asarray(stay))
    hits = {cov_type: np.zeros(4) for cov_type in cov_types}
    for series in returns:
        daily = pd.DataFrame(series, index=days, columns=["stock", "bond"])
        if volatility == "estimated":
            vol = DCCGarch(daily).fit().conditional_volatility
        elif volatility == "filtered":
            centred = series - series.mean(axis=0)
            vol = pd.DataFrame(
                np.sqrt([garch_variance(column, *DAILY_GARCH) for column in centred.T]).T,
                index=days,
                columns=daily.columns,
            )
        else:
            vol = pd.DataFrame(1.0, index=days, columns=daily.columns)
        model = RegimeSwitchingCorrelation(standardised_weekly(daily, vol))
        for cov_type in cov_types:
            table = model.fit(cov_type=cov_type).regimes  # type: ignore[arg-type]
            for k in range(2):
                low, high = table.loc[k, ["corr_ci_low", "corr_ci_high"]]
                hits[cov_type][k] += low <= rho[k] <= high
                low, high = table.loc[k, ["duration_ci_low", "duration_ci_high"]]
                hits[cov_type][2 + k] += low <= duration[k] <= high
    names = ("correlation 0", "correlation 1", "duration 0", "duration 1")
    return {
        f"{cov_type} {name}": float(hit / n_series)
        for cov_type, counts in hits.items()
        for name, hit in zip(names, counts, strict=True)
    }
