"""Coverage of the change in total connectedness between two periods (issue 16), by simulation.

The finding ``connectedness.tci_change`` is the TCI of a constant VAR(1) (generalized FEVD,
horizon 10) fitted to the weekly 10-year yield changes of 2022-2024 less that of 2010-2019,
with a moving-block bootstrap percentile interval
(:mod:`ustpull.crossasset.connectedness.period_change`). The simulation generates data the way
that estimator sees them: per period a VAR(1) ``x_t = A x_{t-1} + L e_t`` of four markets
(U.S., Germany, Japan, euro area), ``L L' = Sigma``, with ``A`` and ``Sigma`` the fits to the
real periods rounded (recipe below), and ``e_t`` four independent GARCH(1,1) Student-t
components with unit unconditional variance (:data:`WEEKLY_GARCH`: alpha 0.06, beta 0.92, t10,
calibrated to the real residuals: kurtosis about 4-5, autocorrelation of squares 0.1-0.2 out
to 26 weeks; the generic (0.10, 0.85) t5 of ``_coverage.py`` as a second design), so the
shocks cluster in volatility and their correlation moves with the components' variances; 522
and 118 weeks (the real periods' changes; 521 and 117 regression rows), independent across
periods. The truth per series is what the finding compares: the difference of the TCIs of the
design's ``A`` with each period's realised average covariance ``L diag(mean h_t) L'``; the
difference of the population TCIs (unconditional ``Sigma``, :func:`true_difference`) is
scored too, as the stated limit.

Recipe of :data:`DESIGNS`: ``period_tci_change`` on the report's weekly changes (store of
``report --data-dir ../shared/data``, 1,020 weeks 2004-09-17..2024-04-04): OLS lag matrix
(row = equation) rounded to 0.01; residual standard deviations (percentage points) to 0.001
and correlations to 0.01. Population TCIs: 56.55 (2010-2019) and 57.52 (2022-2024).
"""

from __future__ import annotations

import numpy as np

from ustpull.crossasset.connectedness.period_change import (
    basic_interval,
    bootstrap_period_tci,
    percentile_interval,
    var_total_connectedness,
)

#: Per period: (weeks of changes, lag matrix A_1, standard deviations, correlations).
DESIGNS = {
    "2010-2019": (
        522,
        [
            [-0.16, 0.07, 0.02, 0.03],
            [-0.10, -0.06, -0.11, 0.14],
            [0.01, 0.05, -0.05, -0.01],
            [-0.02, 0.10, -0.06, -0.08],
        ],
        [0.107, 0.092, 0.033, 0.087],
        [
            [1.0, 0.77, 0.53, 0.72],
            [0.77, 1.0, 0.51, 0.91],
            [0.53, 0.51, 1.0, 0.47],
            [0.72, 0.91, 0.47, 1.0],
        ],
    ),
    "2022-2024": (
        118,
        [
            [-0.06, -0.17, -0.22, 0.26],
            [-0.03, -0.10, -0.11, 0.15],
            [-0.02, 0.00, -0.02, 0.05],
            [0.02, 0.36, -0.34, -0.30],
        ],
        [0.156, 0.155, 0.041, 0.147],
        [
            [1.0, 0.88, 0.46, 0.84],
            [0.88, 1.0, 0.41, 0.97],
            [0.46, 0.41, 1.0, 0.43],
            [0.84, 0.97, 0.43, 1.0],
        ],
    ),
}
HORIZON = 10
#: GARCH(1,1) (alpha, beta) and Student-t degrees of freedom of each shock component.
WEEKLY_GARCH = (0.06, 0.92, 10.0)


def _design(period: str) -> tuple[int, np.ndarray, np.ndarray]:
    weeks, lag, sd, corr = DESIGNS[period]
    sigma = np.asarray(corr) * np.outer(sd, sd)
    return weeks, np.asarray(lag, dtype=np.float64), sigma


def population_tci(period: str) -> float:
    """TCI (percent) of the design's VAR(1) at horizon :data:`HORIZON`."""
    _, lag, sigma = _design(period)
    return float(var_total_connectedness(lag[None], sigma, HORIZON))


def true_difference() -> float:
    """Population TCI of 2022-2024 less that of 2010-2019."""
    return population_tci("2022-2024") - population_tci("2010-2019")


def garch_components(
    n_components: int,
    n_obs: int,
    rng: np.random.Generator,
    garch: tuple[float, float, float],
    *,
    burn: int = 500,
) -> tuple[np.ndarray, np.ndarray]:
    """``(n_obs, n_components)`` GARCH(1,1) Student-t shocks with unit unconditional variance
    and their conditional variances (one loop over time, every component at once)."""
    alpha, beta, df = garch
    z = rng.standard_t(df, (n_obs + burn, n_components)) / np.sqrt(df / (df - 2.0))
    h = np.ones(n_components)
    previous = np.zeros(n_components)
    shocks, variances = np.empty_like(z), np.empty_like(z)
    for t in range(n_obs + burn):
        h = (1.0 - alpha - beta) + alpha * previous**2 + beta * h
        previous = np.sqrt(h) * z[t]
        shocks[t], variances[t] = previous, h
    return shocks[burn:], variances[burn:]


def simulate_period(
    period: str,
    n_series: int,
    rng: np.random.Generator,
    *,
    garch: tuple[float, float, float] = WEEKLY_GARCH,
    burn: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """``(n_series, weeks, 4)`` VAR(1) samples of ``period`` and ``(n_series,)`` TCIs realised
    in them: of the design's ``A`` with the period's average conditional covariance
    ``L diag(mean h_t) L'`` (one loop over weeks, every series at once)."""
    weeks, lag, sigma = _design(period)
    n_vars = lag.shape[0]
    root = np.linalg.cholesky(sigma)
    components, variances = garch_components(n_series * n_vars, weeks + burn, rng, garch)
    shocks = components.reshape(weeks + burn, n_series, n_vars) @ root.T
    path = np.empty_like(shocks)
    level = np.zeros((n_series, n_vars))
    for t in range(weeks + burn):
        level = level @ lag.T + shocks[t]
        path[t] = level
    mean_variance = variances[burn:].reshape(weeks, n_series, n_vars).mean(axis=0)
    realised = np.einsum("ik,sk,jk->sij", root, mean_variance, root)
    lags = np.broadcast_to(lag, (n_series, 1, n_vars, n_vars))
    truth = var_total_connectedness(lags, realised, HORIZON)
    return np.ascontiguousarray(path[burn:].transpose(1, 0, 2)), truth


def tci_change_coverage(
    n_series: int,
    seed: int,
    *,
    replications: int = 199,
    blocks: tuple[int | None, int | None] = (None, None),
    garch: tuple[float, float, float] = WEEKLY_GARCH,
) -> dict[str, float]:
    """Coverage of the realised difference by nominal 95% bootstrap intervals of the change.

    ``"percentile"``: the finding's interval (the replications' 2.5% and 97.5% quantiles);
    ``"basic"``: the reverse percentile interval; ``"percentile (population)"``: the finding's
    interval against :func:`true_difference`; ``"bias"``: mean of the estimates less the
    realised truth (pp); ``"zero rejected"``: share whose percentile interval excludes zero
    (the truth is not zero, so this is power, not size).
    ``blocks`` overrides the block lengths (rows) of the two periods.
    """
    rng = np.random.default_rng(seed)
    fits, realised = [], []
    for period, block in zip(DESIGNS, blocks, strict=True):
        sample, truth_k = simulate_period(period, n_series, rng, garch=garch)
        realised.append(truth_k)
        fits.append(
            bootstrap_period_tci(
                sample, lags=1, horizon=HORIZON, replications=replications, rng=rng, block=block
            )
        )
    estimate = fits[1][0] - fits[0][0]
    draws = fits[1][1] - fits[0][1]
    truth = realised[1] - realised[0]
    population = true_difference()
    b_low, b_high = basic_interval(estimate, draws, 0.95)
    low, high = percentile_interval(draws, 0.95)
    return {
        "percentile": float(np.mean((low <= truth) & (truth <= high))),
        "basic": float(np.mean((b_low <= truth) & (truth <= b_high))),
        "percentile (population)": float(np.mean((low <= population) & (population <= high))),
        "bias": float(np.mean(estimate - truth)),
        "zero rejected": float(np.mean((low > 0.0) | (high < 0.0))),
    }
