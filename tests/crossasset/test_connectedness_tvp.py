"""Tests of the TVP-VAR Kalman filter (ustpull.crossasset.connectedness.tvp_var)."""

from __future__ import annotations

import numpy as np
import pytest

from ustpull.crossasset.connectedness.tvp_var import (
    bayes_prior,
    flat_prior,
    minnesota_prior,
    tvp_var_filter,
)

# A stable VAR(1) of three series (population values) for the recursive-OLS check.
STABLE_LAG = np.array([[0.3, 0.1, 0.0], [0.0, 0.2, 0.15], [0.1, 0.0, 0.25]])


def _simulate_stable(n_obs: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.zeros((n_obs, 3))
    for t in range(1, n_obs):
        values[t] = STABLE_LAG @ values[t - 1] + 0.5 * rng.standard_normal(3)
    return values


def _recursive_ols(values: np.ndarray, last: int) -> np.ndarray:
    """OLS VAR(1) without intercept on the demeaned rows 0..last (the filter's model)."""
    centred = values - values.mean(axis=0)
    coefficients = np.linalg.lstsq(centred[:last], centred[1 : last + 1], rcond=None)[0]
    return coefficients.T


def test_unit_forgetting_factors_with_flat_prior_give_recursive_ols() -> None:
    # kappa1 = kappa2 = 1: no state noise and a constant measurement covariance, so the filter
    # is recursive GLS; with one regressor set for every equation GLS = OLS.
    values = _simulate_stable(400, seed=3)
    path = tvp_var_filter(
        values,
        lags=1,
        prior=flat_prior(values, lags=1, rows=50),
        kappa1=1.0,
        kappa2=1.0,
        enforce_stability=False,
    )
    for last in (5, 20, 100, 399):
        np.testing.assert_allclose(
            path.lag_matrices[last, 0], _recursive_ols(values, last), atol=1e-7
        )
    # kappa2 = 1 freezes the covariance at the prior's.
    np.testing.assert_allclose(path.sigma[-1], np.cov(values[:50], rowvar=False))


def test_stability_rule_only_perturbs_the_start() -> None:
    # With the package's stability rule two early (1-2 observation) fits are explosive and
    # replaced; the perturbation dies out as the data accumulate.
    values = _simulate_stable(400, seed=3)
    path = tvp_var_filter(
        values, lags=1, prior=flat_prior(values, lags=1, rows=50), kappa1=1.0, kappa2=1.0
    )
    assert path.explosive[:5].sum() == 2
    assert not path.explosive[5:].any()
    error = np.abs(path.lag_matrices[399, 0] - _recursive_ols(values, 399)).max()
    assert error < 0.03


def test_filter_recovers_known_time_varying_coefficients() -> None:
    rng = np.random.default_rng(11)
    n_obs = 3000
    time = np.arange(n_obs)
    truth = np.zeros((n_obs, 2, 2))
    truth[:, 0, 0] = 0.2 + 0.3 * time / n_obs  # drifts up
    truth[:, 0, 1] = 0.4 * np.sin(2 * np.pi * time / 1500)  # two cycles
    truth[:, 1, 0], truth[:, 1, 1] = 0.1, 0.3
    shock_root = np.linalg.cholesky(np.array([[1.0, 0.3], [0.3, 1.0]])) * 0.5
    values = np.zeros((n_obs, 2))
    for t in range(1, n_obs):
        values[t] = truth[t] @ values[t - 1] + shock_root @ rng.standard_normal(2)
    path = tvp_var_filter(values, lags=1, prior=bayes_prior(values, lags=1, rows=199))
    estimate, settled = path.lag_matrices[:, 0], slice(300, None)
    assert np.corrcoef(estimate[settled, 0, 1], truth[settled, 0, 1])[0, 1] > 0.85
    assert np.abs(estimate[settled] - truth[settled]).mean() < 0.08
    drift = estimate[-500:, 0, 0].mean() - estimate[300:800, 0, 0].mean()
    assert drift == pytest.approx(0.3 * (2750 - 550) / n_obs, abs=0.08)
    # The covariance tracks the true one (0.25 on the diagonal, 0.075 off it).
    np.testing.assert_allclose(
        path.sigma[settled].mean(axis=0), [[0.25, 0.075], [0.075, 0.25]], atol=0.02
    )


def test_bayes_prior_is_the_ols_fit_of_the_first_rows() -> None:
    values = _simulate_stable(300, seed=5)
    prior = bayes_prior(values, lags=1, rows=199)
    regressors = np.column_stack([np.ones(198), values[:198]])
    coefficients, *_ = np.linalg.lstsq(regressors, values[1:199], rcond=None)
    np.testing.assert_allclose(prior.mean.reshape(3, 3), coefficients[1:].T, atol=1e-12)
    residuals = values[1:199] - regressors @ coefficients
    np.testing.assert_allclose(prior.sigma, residuals.T @ residuals / 198, atol=1e-12)
    block = np.linalg.inv(regressors.T @ regressors)[1:, 1:]
    np.testing.assert_allclose(prior.covariance[:3, :3], block, atol=1e-10)
    assert np.all(prior.covariance[:3, 3:] == 0.0)


def test_minnesota_prior_shrinks_by_lag() -> None:
    values = _simulate_stable(300, seed=5)
    prior = minnesota_prior(values, lags=2, rows=200, gamma=0.1)
    # state order (equation, lag, series): lag 1 variance 0.1, lag 2 variance 0.1 / 4
    np.testing.assert_allclose(np.diag(prior.covariance)[:6], [0.1] * 3 + [0.025] * 3)
    assert np.all(prior.mean == 0.0)


def test_draws_scatter_around_the_filtered_coefficients() -> None:
    values = _simulate_stable(600, seed=8)
    path = tvp_var_filter(values, lags=1, prior=bayes_prior(values, lags=1, rows=199), draws=400)
    assert path.draws.shape == (600, 400, 1, 3, 3)
    spread = path.draws[-1].std(axis=0)
    assert np.all(spread > 0.005)
    assert np.all(np.abs(path.draws[-1].mean(axis=0) - path.lag_matrices[-1]) < 4 * spread / 20)


def test_prior_window_too_short_is_refused() -> None:
    values = _simulate_stable(50, seed=1)
    with pytest.raises(ValueError, match="leaves 2 observations for 4 coefficients"):
        bayes_prior(values, lags=1, rows=3)
