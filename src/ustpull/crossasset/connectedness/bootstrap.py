"""Residual bootstrap of a static VAR(p) with intercept, batched over replications.

Each replication redraws the residual vectors :math:`\\hat u_t` (rows, with replacement, so
the cross-market correlation of a date's shocks is kept), rebuilds the series recursively from
the first ``p`` observed rows,

.. math::

    y^*_t = \\hat c + \\sum_{l=1}^{p} \\hat A_l y^*_{t-l} + u^*_t,

and refits the VAR by OLS: the replications carry the sampling uncertainty of both the
coefficients and :math:`\\Sigma` (Kilian 1998's recursive-design bootstrap, without bias
correction). The recursion runs over dates once, vectorised over replications; the refits are
one stacked solve.

References
----------
Kilian, L. (1998), "Small-sample confidence intervals for impulse response functions", Review
of Economics and Statistics 80(2), 218-230.
"""

from __future__ import annotations

import numpy as np

from ustpull._typing import FloatArray

# Replications per block (bounds memory: a block holds replications x rows x regressors).
REPLICATION_CHUNK = 100


def _ols(values: FloatArray, lags: int) -> tuple[FloatArray, FloatArray]:
    """Coefficients ``(..., 1 + N p, N)`` (intercept first) and residuals ``(..., T - p, N)``."""
    n_obs = values.shape[-2]
    regressors = np.concatenate(
        [np.ones((*values.shape[:-2], n_obs - lags, 1))]
        + [values[..., lags - lag : n_obs - lag, :] for lag in range(1, lags + 1)],
        axis=-1,
    )
    target = values[..., lags:, :]
    # einsum: numpy's stacked matmul of tall thin matrices is far slower here
    cross = np.einsum("...tk,...tl->...kl", regressors, regressors)
    coefficients = np.linalg.solve(cross, np.einsum("...tk,...tn->...kn", regressors, target))
    fitted = np.einsum("...tk,...kn->...tn", regressors, coefficients)
    return coefficients, target - fitted


def residual_bootstrap_var(
    values: FloatArray, *, lags: int, replications: int, seed: int, block: int = 1
) -> tuple[FloatArray, FloatArray]:
    r"""Lag matrices ``(R, p, N, N)`` and covariances ``(R, N, N)`` of ``R`` bootstrap refits.

    ``block``: residual rows drawn i.i.d. (1) or in moving blocks of ``block`` consecutive
    dates (keeps volatility clustering -- the serial dependence of the squared residuals that
    sets the sampling variance of :math:`\Sigma`). The covariance divides the residual sum of
    squares by ``T - p - (1 + N p)``, as the point estimate does (the generalized FEVD does
    not depend on that scale).
    """
    n_obs, n_vars = values.shape
    coefficients, residuals = _ols(values, lags)
    intercept, slopes = coefficients[0], coefficients[1:]  # slopes (N p, N)
    rng = np.random.default_rng(seed)
    lag_parts, sigma_parts = [], []
    for start in range(0, replications, REPLICATION_CHUNK):
        count = min(REPLICATION_CHUNK, replications - start)
        if block > 1:
            length = min(block, len(residuals))
            starts = rng.integers(
                0, len(residuals) - length + 1, size=(count, -(-len(residuals) // length))
            )
            draws = (starts[:, :, None] + np.arange(length)).reshape(count, -1)[:, : n_obs - lags]
        else:
            draws = rng.integers(0, len(residuals), size=(count, n_obs - lags))
        shocks = residuals[draws]  # (R, T - p, N)
        series = np.empty((count, n_obs, n_vars))
        series[:, :lags] = values[:lags]
        for t in range(lags, n_obs):  # the VAR recursion, vectorised over replications
            previous = series[:, t - lags : t][:, ::-1].reshape(count, -1)
            series[:, t] = intercept + previous @ slopes + shocks[:, t - lags]
        refit, refit_residuals = _ols(series, lags)
        dof = n_obs - lags - (1 + n_vars * lags)
        cross = np.einsum("rti,rtj->rij", refit_residuals, refit_residuals)
        sigma_parts.append(cross / dof)
        lag_slopes = refit[:, 1:].reshape(count, lags, n_vars, n_vars)
        lag_parts.append(np.swapaxes(lag_slopes, 2, 3))
    return np.concatenate(lag_parts), np.concatenate(sigma_parts)
