"""Tests of the factor VAR: OLS, Pope and Kilian bias corrections, eigenvalue cap."""

from __future__ import annotations

import numpy as np
import pytest

from ustpull.errors import FitError
from ustpull.termpremium.var import (
    cap_eigenvalues,
    estimate_var,
    pope_bias,
    spectral_radius,
    stationary_correction,
    var_ols,
)


def _ar_paths(rho: float, n_obs: int, replications: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    paths = np.zeros((replications, n_obs + 1, 1))
    shocks = rng.standard_normal((replications, n_obs, 1))
    for step in range(n_obs):
        paths[:, step + 1] = rho * paths[:, step] + shocks[:, step]
    return paths


def test_ols_recovers_known_var() -> None:
    rng = np.random.default_rng(1)
    phi = np.array([[0.9, 0.1], [0.0, 0.5]])
    mu = np.array([0.2, -0.1])
    factors = np.zeros((20001, 2))
    for step in range(20000):
        factors[step + 1] = mu + phi @ factors[step] + rng.standard_normal(2)
    fit = var_ols(factors)
    np.testing.assert_allclose(fit.phi, phi, atol=0.01)
    np.testing.assert_allclose(fit.mu, mu, atol=0.03)
    np.testing.assert_allclose(fit.sigma, np.eye(2), atol=0.03)


def test_pope_bias_equals_kendall_for_ar1() -> None:
    # K = 1 with intercept: Pope's b reduces to Kendall's (1954) 1 + 3 rho, bias = -(1 + 3 rho)/T
    rho, n_obs = 0.9, 100
    bias = pope_bias(np.array([[rho]]), np.array([[1.0]]), n_obs)
    assert bias[0, 0] == pytest.approx(-(1 + 3 * rho) / n_obs, rel=1e-12)


def test_pope_bias_matches_monte_carlo() -> None:
    # 4,000 AR(1) samples of T = 120 at rho = 0.9: mean OLS bias vs the first-order formula
    rho, n_obs = 0.9, 120
    fits = var_ols(_ar_paths(rho, n_obs, 4000, seed=2))
    simulated = fits.phi[:, 0, 0].mean() - rho
    assert simulated == pytest.approx(-(1 + 3 * rho) / n_obs, abs=0.006)


@pytest.mark.parametrize("method", ["pope", "kilian"])
def test_bias_correction_reduces_bias(method: str) -> None:
    rho, n_obs = 0.9, 120
    paths = _ar_paths(rho, n_obs, 60, seed=4)
    ols = np.array([var_ols(path).phi[0, 0] for path in paths])
    corrected = np.array(
        [
            estimate_var(path, bias_correction=method, bootstrap_replications=200, seed=i).phi[0, 0]
            for i, path in enumerate(paths)
        ]
    )
    # OLS mean bias is about -0.03 here; the corrections remove most of it
    assert ols.mean() - rho < -0.015
    assert abs(corrected.mean() - rho) < 0.5 * abs(ols.mean() - rho)


def test_stationarity_adjustment_keeps_roots_inside() -> None:
    phi = np.array([[0.99]])
    corrected = stationary_correction(phi, np.array([[-0.05]]))
    assert spectral_radius(corrected) < 1.0
    # the largest delta on the 0.01 grid with 0.99 + 0.05 delta < 1 is 0.19
    assert corrected[0, 0] == pytest.approx(0.99 + 0.05 * 0.19)


def test_eigenvalue_cap() -> None:
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((3, 3))
    phi = vectors @ np.diag([0.999, 0.9, 0.5]) @ np.linalg.inv(vectors)
    capped = cap_eigenvalues(phi, 0.99)
    np.testing.assert_allclose(
        np.sort(np.linalg.eigvals(capped).real), [0.5, 0.9, 0.99], atol=1e-10
    )
    assert cap_eigenvalues(phi, 0.9999) is phi


def test_estimate_var_cap_and_bad_cap() -> None:
    factors = _ar_paths(0.995, 300, 1, seed=6)[0]
    fit = estimate_var(factors, eigenvalue_cap=0.95)
    assert spectral_radius(fit.phi) == pytest.approx(0.95)
    # innovations are recomputed from the capped coefficients
    np.testing.assert_allclose(
        fit.innovations, factors[1:] - fit.mu - factors[:-1] @ fit.phi.T, atol=1e-14
    )
    with pytest.raises(FitError, match="eigenvalue_cap"):
        estimate_var(factors, eigenvalue_cap=1.5)


def test_zero_intercept() -> None:
    factors = _ar_paths(0.8, 200, 1, seed=8)[0] + 3.0
    fit = var_ols(factors, intercept="zero")
    assert np.all(fit.mu == 0.0)
    # without an intercept, a mean of 3 forces the slope towards one
    assert fit.phi[0, 0] > 0.95
