"""Coverage of the residual-bootstrap interval of the total connectedness index (issue 16).

Design: a 5-variable VAR(2) (own first lag 0.3, own second lag -0.1, spillovers 0.08 at lag 1
from each variable to the next, a circulant chain) with error covariance ``Sigma`` (unit
variances, correlation 0.4), errors ``chol(Sigma) e_t`` with ``e_t`` independent GARCH(1,1)
Student-t(5) shocks (:func:`tests.crossasset._coverage.garch_shocks`, unit unconditional
variance), ``n_obs`` weekly observations. The truth is the population TCI (generalized FEVD,
horizon 10) of the true lag matrices and the unconditional ``Sigma``.

Bootstraps scored: ``"iid"``,
:func:`~ustpull.crossasset.connectedness.bootstrap.residual_bootstrap_var`
(the finding's method; residual rows drawn with replacement), and ``"wild"``, the same
recursion with each date's residual row multiplied by a Rademacher sign (keeps each date's
volatility, so the GARCH heteroskedasticity stays in the draws). Percentile 95% intervals.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from tests.crossasset._coverage_tci import garch_components
from ustpull.crossasset.connectedness.bootstrap import _ols, residual_bootstrap_var
from ustpull.crossasset.connectedness.model import _total_and_net, connectedness_shares

N_VARS = 5


def true_var() -> tuple[np.ndarray, np.ndarray]:
    """Lag matrices ``(2, N, N)`` and ``Sigma`` of the design."""
    lags = np.zeros((2, N_VARS, N_VARS))
    lags[0] = 0.3 * np.eye(N_VARS) + 0.08 * np.roll(np.eye(N_VARS), 1, axis=1)
    lags[1] = -0.1 * np.eye(N_VARS)
    sigma = 0.4 + 0.6 * np.eye(N_VARS)
    return lags, sigma


def tci(lags: np.ndarray, sigma: np.ndarray, horizon: int = 10) -> np.ndarray:
    """TCI (percent) of lag matrices ``(..., p, N, N)`` and covariances ``(..., N, N)``."""
    lags = lags.reshape(-1, *lags.shape[-3:])
    sigma = sigma.reshape(-1, *sigma.shape[-2:])
    shares = connectedness_shares(lags, sigma, horizon, None)[:, 0]
    return _total_and_net(shares)[0]


def simulate(
    n_series: int, n_obs: int, seed: int, garch: tuple[float, float, float] = (0.10, 0.85, 5.0)
) -> np.ndarray:
    """``(n_series, n_obs, N)`` VAR(2) series with GARCH errors (vectorised over series)."""
    return simulate_with_realised(n_series, n_obs, seed, garch)[0]


def simulate_with_realised(
    n_series: int, n_obs: int, seed: int, garch: tuple[float, float, float] = (0.10, 0.85, 5.0)
) -> tuple[np.ndarray, np.ndarray]:
    """``(n_series, n_obs, N)`` VAR(2) series with GARCH errors and ``(n_series,)`` TCIs
    realised in them: of the true lag matrices with the sample's average conditional
    covariance ``L diag(mean h_t) L'`` (as :func:`tests.crossasset._coverage_tci.simulate_period`;
    one loop over time, every series at once; same draws as :func:`garch_shocks`)."""
    rng = np.random.default_rng(seed)
    lags, sigma = true_var()
    root = np.linalg.cholesky(sigma)
    components, variances = garch_components(n_series * N_VARS, n_obs + 200, rng, garch)
    errors = components.reshape(n_obs + 200, n_series, N_VARS) @ root.T
    y = np.zeros((n_obs + 200, n_series, N_VARS))
    for t in range(2, n_obs + 200):
        y[t] = y[t - 1] @ lags[0].T + y[t - 2] @ lags[1].T + errors[t]
    mean_variance = variances[200:].reshape(n_obs, n_series, N_VARS).mean(axis=0)
    realised = np.einsum("ik,sk,jk->sij", root, mean_variance, root)
    truth = tci(np.broadcast_to(lags, (n_series, *lags.shape)), realised)
    return y[200:].transpose(1, 0, 2), truth


def wild_bootstrap_var(
    values: np.ndarray, *, lags: int, replications: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`residual_bootstrap_var`, residual rows times Rademacher signs (in date order)."""
    n_obs, n_vars = values.shape
    coefficients, residuals = _ols(values, lags)
    intercept, slopes = coefficients[0], coefficients[1:]
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(replications, n_obs - lags, 1))
    shocks = residuals[None] * signs
    series = np.empty((replications, n_obs, n_vars))
    series[:, :lags] = values[:lags]
    for t in range(lags, n_obs):
        previous = series[:, t - lags : t][:, ::-1].reshape(replications, -1)
        series[:, t] = intercept + previous @ slopes + shocks[:, t - lags]
    refit, refit_residuals = _ols(series, lags)
    dof = n_obs - lags - (1 + n_vars * lags)
    sigma = np.einsum("rti,rtj->rij", refit_residuals, refit_residuals) / dof
    lag_slopes = refit[:, 1:].reshape(replications, lags, n_vars, n_vars)
    return np.swapaxes(lag_slopes, 2, 3), sigma


def tci_coverage(
    n_series: int,
    seed: int,
    *,
    n_obs: int = 1000,
    replications: int = 99,
    block_length: int = 52,
    which: tuple[str, ...] = ("iid", "wild", "block"),
    garch: tuple[float, float, float] = (0.10, 0.85, 5.0),
) -> dict[str, float]:
    """Coverage by the percentile 95% intervals (``"iid"``, ``"wild"``, ``"block"``) of the
    population TCI (keys = method names) and of each series' realised TCI (``"<method>
    realised"``, :func:`simulate_with_realised`)."""
    truth = float(tci(*true_var())[0])
    block = partial(residual_bootstrap_var, block=block_length)
    methods = [("iid", residual_bootstrap_var), ("wild", wild_bootstrap_var), ("block", block)]
    methods = [(name, boot) for name, boot in methods if name in which]
    hits = dict.fromkeys(which, 0) | dict.fromkeys([f"{name} realised" for name in which], 0)
    estimates: list[float] = []
    spreads: list[float] = []
    biases: list[float] = []
    samples, realised = simulate_with_realised(n_series, n_obs, seed, garch)
    for k, values in enumerate(samples):
        for name, boot in methods:
            draws = tci(*boot(values, lags=2, replications=replications, seed=seed + k))
            low, high = np.quantile(draws, [0.025, 0.975])
            hits[name] += low <= truth <= high
            hits[f"{name} realised"] += low <= realised[k] <= high
            if name in ("iid", "block"):
                estimate = float(tci(*_var_fit(values))[0])
                estimates.append(estimate)
                hits[f"{name} basic"] = hits.get(f"{name} basic", 0) + (
                    2 * estimate - high <= truth <= 2 * estimate - low
                )
                shift = float(np.mean(draws)) - estimate
                hits[f"{name} bias-corrected"] = hits.get(f"{name} bias-corrected", 0) + (
                    low - shift <= truth <= high - shift
                )
                spreads.append(float(np.std(draws)))
                biases.append(shift)
    out = {name: hit / n_series for name, hit in hits.items()}
    return out | {
        "truth": truth,
        "mean realised truth": float(np.mean(realised)),
        "sd realised truth": float(np.std(realised)),
        "mean estimate": float(np.mean(estimates)),
        "sd estimate": float(np.std(estimates)),
        "sd estimate - realised": float(
            np.std(np.repeat(realised, len(estimates) // n_series) - np.asarray(estimates))
        ),
        "mean bootstrap sd": float(np.mean(spreads)),
        "mean bootstrap bias": float(np.mean(biases)),
    }


def _var_fit(values: np.ndarray, lags: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """OLS lag matrices ``(p, N, N)`` and residual covariance of one series."""
    n_obs, n_vars = values.shape
    coefficients, residuals = _ols(values, lags)
    sigma = residuals.T @ residuals / (n_obs - lags - (1 + n_vars * lags))
    lag_slopes = coefficients[1:].reshape(lags, n_vars, n_vars)
    return np.swapaxes(lag_slopes, 1, 2), sigma
