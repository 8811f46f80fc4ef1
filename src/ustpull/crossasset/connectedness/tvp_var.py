"""TVP-VAR by Kalman filter with forgetting factors (Antonakakis, Chatziantoniou and Gabauer 2020).

The demeaned series :math:`x_t` (``N`` columns) follow a VAR(p) whose coefficients drift,

.. math::

    x_t = B_t z_t + \\varepsilon_t, \\quad z_t = (x_{t-1}', \\dots, x_{t-p}')', \\quad
    \\varepsilon_t \\sim N(0, \\Sigma_t), \\qquad
    \\beta_t = \\operatorname{vec}(B_t') = \\beta_{t-1} + \\xi_t,

with the state written :math:`x_t = H_t \\beta_t + \\varepsilon_t`, :math:`H_t = I_N \\otimes z_t'`.
Instead of estimating the state noise, the filter uses forgetting factors (Koop and Korobilis
2014): the predicted state covariance is inflated, :math:`R_t = S_{t-1} / \\kappa_1`, and the
measurement covariance is an exponentially weighted average of squared one-step residuals,

.. math::

    \\Sigma_t = \\kappa_2 \\Sigma_{t-1} + (1 - \\kappa_2) \\hat\\varepsilon_t \\hat\\varepsilon_t',
    \\qquad \\hat\\varepsilon_t = x_t - \\hat B_{t-1} z_t .

The update is :math:`K_t = R_t H_t' (\\Sigma_t + H_t R_t H_t')^{-1}`,
:math:`\\hat\\beta_t = \\hat\\beta_{t-1} + K_t (x_t - H_t \\hat\\beta_{t-1})`,
:math:`S_t = R_t - K_t H_t R_t`. A draw whose companion matrix has an eigenvalue outside the unit
circle is replaced by the previous coefficients (and the state shrunk by 0.99), as in the
authors' R package ``ConnectednessApproach`` (Gabauer), whose defaults are followed: during the
first ``p`` steps :math:`\\Sigma_t` is updated with :math:`0.1\\, x_t x_t'`.

The recursion is sequential in time (each step needs the previous one); each step is a few
``N p N``-sized matrix products on the stacked state, and everything downstream (MA
coefficients, FEVD) is batched over dates.

Priors (:class:`TvpPrior`):

* ``bayes`` -- OLS VAR with intercept on the first ``window - p`` rows: mean the OLS slopes,
  covariance :math:`I_N \\otimes [(\\tilde X'\\tilde X)^{-1}]_{\\text{slopes}}`,
  :math:`\\Sigma_0` the residual covariance (sum of squares over the observations);
  Primiceri (2005), as in the package;
* ``minnesota`` -- mean zero, covariance diagonal :math:`\\gamma / l^2` for lag ``l``
  (Koop and Korobilis 2010); :math:`\\Sigma_0` the sample covariance of the first ``window`` rows
  (the R package uses the whole sample; that would use data after the first dates);
* ``flat`` -- mean zero, covariance ``scale * I`` and :math:`\\Sigma_0` from the first window:
  with :math:`\\kappa_1 = \\kappa_2 = 1` the filter is recursive least squares.

Units: whatever the inputs are in (percentage points for yield changes); :math:`\\Sigma_t` is in
their squares.

References
----------
Antonakakis, N., I. Chatziantoniou and D. Gabauer (2020), "Refined measures of dynamic
connectedness based on time-varying parameter vector autoregressions", Journal of Risk and
Financial Management 13(4), 84.
Koop, G. and D. Korobilis (2014), "A new index of financial conditions", European Economic
Review 71, 101-116.
Primiceri, G. E. (2005), "Time varying structural vector autoregressions and monetary policy",
Review of Economic Studies 72(3), 821-852.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ustpull._typing import FloatArray

# Multiplier of x_t x_t' in the covariance update while no full lag vector exists (package default).
_STARTUP_SCALE = 0.1
# Shrinkage applied to the state when a step's coefficients are explosive (package default).
_EXPLOSIVE_SHRINK = 0.99


@dataclass(frozen=True)
class TvpPrior:
    """Initial state of the TVP-VAR filter.

    Attributes
    ----------
    mean
        ``(N * N p,)`` prior mean of :math:`\\beta_0`, ordered (equation, lag, market).
    covariance
        ``(N * N p, N * N p)`` prior covariance of :math:`\\beta_0`.
    sigma
        ``(N, N)`` initial measurement covariance :math:`\\Sigma_0`.
    """

    mean: FloatArray
    covariance: FloatArray
    sigma: FloatArray


def lagged_regressors(values: FloatArray, lags: int) -> FloatArray:
    """``(T - p, N p)``: row ``t`` holds :math:`(x_{t+p-1}', \\dots, x_t')` (lag 1 first)."""
    n_obs = values.shape[0]
    return np.concatenate([values[lags - lag : n_obs - lag] for lag in range(1, lags + 1)], axis=1)


def bayes_prior(values: FloatArray, *, lags: int, rows: int) -> TvpPrior:
    """OLS prior from the first ``rows`` observations of ``values`` (``T x N``, not demeaned)."""
    n_vars = values.shape[1]
    sample = values[:rows]
    target = sample[lags:]
    regressors = np.concatenate(
        [np.ones((rows - lags, 1)), lagged_regressors(sample, lags)], axis=1
    )
    if rows - lags <= regressors.shape[1]:
        raise ValueError(
            f"a prior window of {rows} rows leaves {rows - lags} observations for "
            f"{regressors.shape[1]} coefficients per equation"
        )
    cross_inverse = np.linalg.pinv(regressors.T @ regressors)
    coefficients = cross_inverse @ regressors.T @ target  # (1 + N p, N)
    residuals = target - regressors @ coefficients
    return TvpPrior(
        mean=coefficients[1:].T.reshape(-1),
        covariance=np.asarray(np.kron(np.eye(n_vars), cross_inverse[1:, 1:]), dtype=np.float64),
        sigma=residuals.T @ residuals / (rows - lags),
    )


def minnesota_prior(values: FloatArray, *, lags: int, rows: int, gamma: float = 0.1) -> TvpPrior:
    """Minnesota prior: zero mean, variance ``gamma / lag**2``; ``Sigma_0`` from ``rows`` rows."""
    n_vars = values.shape[1]
    per_lag = np.repeat(gamma / np.arange(1, lags + 1) ** 2, n_vars)
    return TvpPrior(
        mean=np.zeros(n_vars * n_vars * lags),
        covariance=np.diag(np.tile(per_lag, n_vars)),
        sigma=np.atleast_2d(np.cov(values[:rows], rowvar=False)),
    )


def flat_prior(values: FloatArray, *, lags: int, rows: int, scale: float = 1e8) -> TvpPrior:
    """Diffuse prior (zero mean, ``scale * I``); ``Sigma_0`` from the first ``rows`` rows."""
    n_vars = values.shape[1]
    states = n_vars * n_vars * lags
    return TvpPrior(
        mean=np.zeros(states),
        covariance=scale * np.eye(states),
        sigma=np.atleast_2d(np.cov(values[:rows], rowvar=False)),
    )


@dataclass(frozen=True)
class TvpVarPath:
    """Filtered TVP-VAR coefficients and covariances, one per row of the data.

    Attributes
    ----------
    lag_matrices
        ``(T, p, N, N)`` :math:`A_{1,t}, \\dots, A_{p,t}` (row = equation).
    sigma
        ``(T, N, N)`` :math:`\\Sigma_t`.
    explosive
        ``(T,)`` True where the step's coefficients were explosive and replaced.
    draws
        ``(T, D, p, N, N)`` draws of the coefficients from the filtered distribution
        :math:`N(\\hat\\beta_t, S_t)` (``D = 0`` unless asked for).
    """

    lag_matrices: FloatArray
    sigma: FloatArray
    explosive: NDArray[np.bool_]
    draws: FloatArray


def _companion_radius(coefficients: FloatArray, n_vars: int, lags: int) -> float:
    """Spectral radius of the companion matrix of ``(N, N p)`` coefficients."""
    if lags == 1:
        return float(np.max(np.abs(np.linalg.eigvals(coefficients))))
    companion = np.zeros((n_vars * lags, n_vars * lags))
    companion[:n_vars] = coefficients
    companion[n_vars:, :-n_vars] = np.eye(n_vars * (lags - 1))
    return float(np.max(np.abs(np.linalg.eigvals(companion))))


def tvp_var_filter(
    values: FloatArray,
    *,
    lags: int,
    prior: TvpPrior,
    kappa1: float = 0.99,
    kappa2: float = 0.99,
    draws: int = 0,
    seed: int = 0,
    enforce_stability: bool = True,
) -> TvpVarPath:
    """Run the forgetting-factor Kalman filter over every row of ``values`` (``T x N``).

    Parameters
    ----------
    values
        Observations, finite; they are demeaned here (full-sample mean, as the package does).
    lags
        VAR order ``p``.
    prior
        Initial state (:func:`bayes_prior`, :func:`minnesota_prior`, :func:`flat_prior`).
    kappa1, kappa2
        Forgetting factors of the coefficients and of the covariance, in ``(0, 1]``.
    draws
        Coefficient draws per date from the filtered distribution (for credible bands).
    seed
        Seed of those draws.
    enforce_stability
        Replace explosive coefficients by the previous ones (the package's rule); ``False``
        leaves the filter a plain Kalman filter (recursive least squares when
        ``kappa1 = kappa2 = 1`` under a flat prior).
    """
    n_obs, n_vars = values.shape
    width = n_vars * lags
    x = values - values.mean(axis=0)
    z = np.zeros((n_obs, width))
    z[lags:] = lagged_regressors(x, lags)
    rng = np.random.default_rng(seed)
    lag_out = np.empty((n_obs, n_vars, width))
    sigma_out = np.empty((n_obs, n_vars, n_vars))
    draw_out = np.empty((n_obs, draws, n_vars, width))
    explosive = np.zeros(n_obs, dtype=bool)
    state, state_cov = prior.mean.copy(), prior.covariance.copy()
    sigma = prior.sigma.copy()
    raw_previous = state.reshape(n_vars, width)  # last update before any stability fix
    previous_state = state
    for t in range(n_obs):
        if t > 0:
            if t <= lags:
                shock = _STARTUP_SCALE * np.outer(x[t], x[t])
            else:
                residual = x[t] - raw_previous @ z[t]
                shock = np.outer(residual, residual)
            sigma = kappa2 * sigma + (1.0 - kappa2) * shock
        if t <= lags:
            predicted, predicted_cov = prior.mean, prior.covariance
        else:
            predicted, predicted_cov = state, state_cov / kappa1
        if t >= lags:
            state, state_cov = _update(predicted, predicted_cov, sigma, x[t], z[t], n_vars)
        else:
            state, state_cov = predicted.copy(), predicted_cov.copy()  # no lags yet: the prior
        raw_previous = state.reshape(n_vars, width)
        if enforce_stability and t > 0 and _companion_radius(raw_previous, n_vars, lags) > 1.0:
            explosive[t] = True
            lag_out[t] = lag_out[t - 1]
            state = _EXPLOSIVE_SHRINK * previous_state
        else:
            lag_out[t] = raw_previous
        previous_state = state
        sigma_out[t] = sigma
        if draws:
            draw_out[t] = _state_draws(state, state_cov, draws, rng).reshape(draws, n_vars, width)
    lag_matrices = lag_out.reshape(n_obs, n_vars, lags, n_vars).transpose(0, 2, 1, 3)
    draw_matrices = draw_out.reshape(n_obs, draws, n_vars, lags, n_vars).transpose(0, 1, 3, 2, 4)
    return TvpVarPath(
        lag_matrices=np.ascontiguousarray(lag_matrices),
        sigma=sigma_out,
        explosive=explosive,
        draws=np.ascontiguousarray(draw_matrices),
    )


def _update(
    predicted: FloatArray,
    predicted_cov: FloatArray,
    sigma: FloatArray,
    observed: FloatArray,
    z: FloatArray,
    n_vars: int,
) -> tuple[FloatArray, FloatArray]:
    """Kalman update with :math:`H = I_N \\otimes z'`, using its block structure."""
    states = predicted.size
    width = z.size
    gain_factor = predicted_cov.reshape(states, n_vars, width) @ z  # R H', (m, N)
    innovation_cov = sigma + gain_factor.reshape(n_vars, width, n_vars).transpose(0, 2, 1) @ z
    innovation_cov = 0.5 * (innovation_cov + innovation_cov.T)
    gain = np.linalg.solve(innovation_cov, gain_factor.T).T  # (m, N)
    innovation = observed - predicted.reshape(n_vars, width) @ z
    state = predicted + gain @ innovation
    state_cov = predicted_cov - gain @ gain_factor.T
    return state, 0.5 * (state_cov + state_cov.T)


def _state_draws(
    state: FloatArray, state_cov: FloatArray, draws: int, rng: np.random.Generator
) -> FloatArray:
    """``draws`` vectors from :math:`N(\\text{state}, \\text{state\\_cov})` (eigen square root)."""
    eigenvalues, eigenvectors = np.linalg.eigh(state_cov)
    root = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
    return state + rng.standard_normal((draws, state.size)) @ root.T
