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
