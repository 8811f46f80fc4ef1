"""Vectorised simulators shared by the cross-asset inference tests (known truth)."""

from __future__ import annotations

import numpy as np


def garch_pairs(
    n_series: int,
    n_obs: int,
    rho: float,
    *,
    omega: float = 0.05,
    alpha: float = 0.10,
    beta: float = 0.85,
    seed: int = 0,
    burn: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """``n_series`` pairs of returns with constant correlation ``rho`` and GARCH(1,1) variances.

    Each pair shares one conditional variance ``h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}``
    (``e`` the first return), so the cross-product of the pair clusters too. The loop runs over
    time with every series at once. Returns two arrays of shape ``(n_series, n_obs)``.
    """
    rng = np.random.default_rng(seed)
    total = n_obs + burn
    z1 = rng.standard_normal((total, n_series))
    z2 = rho * z1 + np.sqrt(1.0 - rho**2) * rng.standard_normal((total, n_series))
    h = np.full(n_series, omega / (1.0 - alpha - beta))
    x = np.empty((total, n_series))
    y = np.empty((total, n_series))
    for t in range(total):
        sd = np.sqrt(h)
        x[t] = sd * z1[t]
        y[t] = sd * z2[t]
        h = omega + alpha * x[t] ** 2 + beta * h
    return x[burn:].T, y[burn:].T


def dcc_garch(
    n_obs: int,
    *,
    garch: tuple[tuple[float, float, float], ...],
    a: float,
    b: float,
    rho: float,
    seed: int = 0,
    burn: int = 500,
) -> tuple[np.ndarray, np.ndarray]:
    """Bivariate DCC-GARCH(1,1) returns (Engle 2002) with unconditional correlation ``rho``.

    ``garch`` holds ``(omega, alpha, beta)`` per series. Returns ``(returns (T, 2), R_t[0, 1])``.
    """
    rng = np.random.default_rng(seed)
    total = n_obs + burn
    shocks = rng.standard_normal((total, 2))
    params = np.array(garch)
    h = params[:, 0] / (1.0 - params[:, 1] - params[:, 2])
    q_bar = np.array([[1.0, rho], [rho, 1.0]])
    q = q_bar.copy()
    returns = np.empty((total, 2))
    correlation = np.empty(total)
    for t in range(total):
        r12 = q[0, 1] / np.sqrt(q[0, 0] * q[1, 1])
        correlation[t] = r12
        z = np.array([shocks[t, 0], r12 * shocks[t, 0] + np.sqrt(1 - r12**2) * shocks[t, 1]])
        returns[t] = np.sqrt(h) * z
        h = params[:, 0] + params[:, 1] * returns[t] ** 2 + params[:, 2] * h
        q = (1 - a - b) * q_bar + a * np.outer(z, z) + b * q
    return returns[burn:], correlation[burn:]


def markov_pairs(
    n_obs: int,
    *,
    stay: tuple[float, float],
    rho: tuple[float, float],
    vol: tuple[tuple[float, float], tuple[float, float]],
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Bivariate Gaussian returns whose correlation and volatilities follow a 2-state chain.

    Returns ``(returns (T, 2), states (T,))``.
    """
    rng = np.random.default_rng(seed)
    states = np.empty(n_obs, dtype=int)
    states[0] = 0
    draws = rng.random(n_obs)
    for t in range(1, n_obs):
        states[t] = states[t - 1] if draws[t] < stay[states[t - 1]] else 1 - states[t - 1]
    r, v = np.asarray(rho)[states], np.asarray(vol)[states]
    z1, z2 = rng.standard_normal((2, n_obs))
    z2 = r * z1 + np.sqrt(1 - r**2) * z2
    return np.column_stack([v[:, 0] * z1, v[:, 1] * z2]), states
