"""Many simulated ACM samples at once, with GARCH(1,1) factor shocks (volatility clustering).

The model is the 3-factor ACM truth of :mod:`tests.termpremium.synthetic` (same VAR, prices of
risk and short-rate equation, 1 bp iid yield noise); only the VAR shocks differ: each factor's
standardised shock follows a GARCH(1,1), ``h_t = 0.05 + 0.10 z_{t-1}^2 + 0.85 h_{t-1}`` (unit
unconditional variance, 200 burn-in months), mapped through the Cholesky factor of ``Sigma``.
The true term premium is the affine one of the known parameters. All paths are simulated in
one array (the loop runs over months only). Used by the coverage test
(tests/termpremium/test_band_intervals.py) and benchmarks/bench_termpremium_coverage.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ustpull.termpremium import affine

PHI = np.array([[0.985, 0.02, 0.0], [0.0, 0.95, 0.03], [0.0, 0.0, 0.85]])
SD = np.array([0.15, 0.25, 0.4])
CORRELATION = np.array([[1.0, 0.3, 0.0], [0.3, 1.0, -0.2], [0.0, -0.2, 1.0]])
MU = np.array([0.01, 0.0, 0.0])
GARCH_ALPHA, GARCH_BETA, BURN_IN = 0.10, 0.85, 200


def garch_acm_paths(
    n_paths: int, n_months: int = 480, *, seed: int = 0
) -> tuple[list[pd.DataFrame], np.ndarray]:
    """Yields (one DataFrame per path, months x maturities 1..120, percent) and the true term
    premia, array (paths, months, 120), percent."""
    rng = np.random.default_rng(seed)
    sigma = CORRELATION * np.outer(SD, SD)
    delta0, delta1 = 0.004, np.array([0.001, -0.0006, 0.0003])
    lambda0 = np.array([-0.03, 0.02, 0.0])
    lambda1 = np.array([[-0.01, 0.02, 0.0], [0.0, 0.03, 0.0], [0.0, 0.0, 0.0]])
    z = rng.standard_normal((n_paths, BURN_IN + n_months, 3))
    variance, previous = np.ones((n_paths, 3)), np.zeros((n_paths, 3))
    for month in range(BURN_IN + n_months):
        omega = 1.0 - GARCH_ALPHA - GARCH_BETA
        variance = omega + GARCH_ALPHA * previous**2 + GARCH_BETA * variance
        z[:, month] *= np.sqrt(variance)
        previous = z[:, month]
    shocks = z[:, BURN_IN:] @ np.linalg.cholesky(sigma).T
    factors = np.empty((n_paths, n_months, 3))
    factors[:, 0] = np.linalg.solve(np.eye(3) - PHI, MU)
    for month in range(n_months - 1):
        factors[:, month + 1] = MU + factors[:, month] @ PHI.T + shocks[:, month]
    intercept, loadings = affine.affine_coefficients(
        120,
        MU,
        PHI,
        sigma,
        np.zeros(2),
        np.stack([lambda0, np.zeros(3)]),
        np.stack([lambda1, np.zeros((3, 3))]),
        np.full(2, delta0),
        delta1,
    )
    fitted = affine.affine_yields(intercept[0], loadings[0], factors)
    neutral = affine.affine_yields(intercept[1], loadings[1], factors)
    observed = fitted + 0.01 * rng.standard_normal(fitted.shape)
    index = pd.date_range("1940-01-31", periods=n_months, freq="ME", name="date")
    columns = pd.Index(np.arange(1, 121), name="maturity")
    frames = [pd.DataFrame(path, index=index, columns=columns) for path in observed]
    return frames, fitted - neutral
