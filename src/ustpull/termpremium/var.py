"""VAR(1) of the pricing factors: OLS, small-sample bias corrections and an eigenvalue cap.

``X_{t+1} = mu + Phi X_t + v_{t+1}``, ``Sigma = V V' / T`` (ACM 2013, step 1).

Least squares underestimates the persistence of a VAR in short samples (Nicholls and Pope
1988), which makes the risk-neutral yields revert too fast and loads the long end into the
term premium. Two corrections are offered:

* ``"pope"``: the analytic first-order bias of Pope (1990),
  ``E[Phi_hat - Phi] = -b / T`` with
  ``b = Sigma [(I - Phi')^{-1} + Phi'(I - Phi'^2)^{-1} + sum_i l_i (I - l_i Phi')^{-1}]
  Gamma0^{-1}``,
  ``l_i`` the eigenvalues of Phi and ``Gamma0`` the unconditional factor covariance;
* ``"kilian"``: the bootstrap bias estimate of Kilian (1998),
  ``Phi_bc = Phi_hat - (mean(Phi*) - Phi_hat)`` over residual-bootstrap replications.

Both use Kilian's stationarity adjustment: if the corrected matrix has an eigenvalue of
modulus >= 1 the correction is scaled down in steps of 0.01 until it has none.

References
----------
Nicholls, D. F. and Pope, A. L. (1988). "Bias in the estimation of multivariate
autoregressions". Australian Journal of Statistics 30A, 296-309.
Pope, A. L. (1990). "Biases of estimators in multivariate non-Gaussian autoregressions".
Journal of Time Series Analysis 11(3), 249-258.
Kilian, L. (1998). "Small-sample confidence intervals for impulse response functions".
Review of Economics and Statistics 80(2), 218-230.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ustpull._typing import BiasCorrection
from ustpull.errors import FitError
from ustpull.termpremium.affine import FloatArray, ols, with_constant

Intercept = Literal["estimate", "zero"]


@dataclass(frozen=True)
class VARFit:
    """A VAR(1) ``X_{t+1} = mu + Phi X_t + v_{t+1}`` with ``Sigma = V'V / T``.

    Shapes carry leading batch dimensions: mu (..., K), phi (..., K, K), sigma (..., K, K),
    innovations (..., T, K).
    """

    mu: FloatArray
    phi: FloatArray
    sigma: FloatArray
    innovations: FloatArray


def var_ols(factors: FloatArray, *, intercept: Intercept = "estimate") -> VARFit:
    """OLS VAR(1) of ``factors`` (..., T+1, K); ``intercept="zero"`` forces mu = 0."""
    lagged, lead = factors[..., :-1, :], factors[..., 1:, :]
    if intercept == "estimate":
        coefficients = ols(with_constant(lagged), lead)
        mu, phi = coefficients[..., 0, :], coefficients[..., 1:, :].mT
    else:
        phi = ols(lagged, lead).mT
        mu = np.zeros(factors.shape[:-2] + factors.shape[-1:])
    return var_from(factors, mu, phi)


def var_from(factors: FloatArray, mu: FloatArray, phi: FloatArray) -> VARFit:
    """The VAR with given ``mu`` and ``phi``, its innovations and their covariance."""
    lagged, lead = factors[..., :-1, :], factors[..., 1:, :]
    innovations = lead - mu[..., None, :] - lagged @ phi.mT
    sigma = innovations.mT @ innovations / innovations.shape[-2]
    return VARFit(mu=mu, phi=phi, sigma=sigma, innovations=innovations)


def spectral_radius(phi: FloatArray) -> float:
    """Largest eigenvalue modulus of ``phi``."""
    return float(np.max(np.abs(np.linalg.eigvals(phi))))


def pope_bias(phi: FloatArray, sigma: FloatArray, n_obs: int) -> FloatArray:
    """First-order bias ``E[Phi_hat] - Phi = -b/T`` of OLS with an intercept (Pope 1990)."""
    n_factors = phi.shape[0]
    identity = np.eye(n_factors)
    gamma0 = _unconditional_covariance(phi, sigma)
    phi_t = phi.T.astype(np.complex128)
    bracket = np.linalg.inv(identity - phi_t) + phi_t @ np.linalg.inv(identity - phi_t @ phi_t)
    for eigenvalue in np.linalg.eigvals(phi):
        bracket = bracket + eigenvalue * np.linalg.inv(identity - eigenvalue * phi_t)
    b = sigma @ bracket.real @ np.linalg.inv(gamma0)
    return np.asarray(-b / n_obs, dtype=np.float64)


def kilian_bias(
    factors: FloatArray, fit: VARFit, *, replications: int, seed: int, intercept: Intercept
) -> FloatArray:
    """Bootstrap bias ``mean(Phi*) - Phi_hat`` (Kilian 1998), all replications in one batch.

    Paths start at the observed first factor vector and resample the OLS innovations iid.
    """
    rng = np.random.default_rng(seed)
    n_obs = fit.innovations.shape[0]
    draws = rng.integers(0, n_obs, size=(replications, n_obs))
    centred = fit.innovations - fit.innovations.mean(axis=0)
    shocks = centred[draws]
    paths = np.empty((replications, n_obs + 1, factors.shape[1]))
    paths[:, 0] = factors[0]
    for step in range(n_obs):
        paths[:, step + 1] = fit.mu + paths[:, step] @ fit.phi.T + shocks[:, step]
    simulated = var_ols(paths, intercept=intercept)
    return np.asarray(simulated.phi.mean(axis=0) - fit.phi, dtype=np.float64)


def stationary_correction(phi: FloatArray, bias: FloatArray) -> FloatArray:
    """``Phi - delta * bias`` with the largest delta in {1, 0.99, ..., 0} keeping |eig| < 1."""
    for delta in np.arange(100, -1, -1) / 100:
        corrected = phi - delta * bias
        if spectral_radius(corrected) < 1.0:
            return corrected
    return phi


def cap_eigenvalues(phi: FloatArray, cap: float) -> FloatArray:
    """Shrink every eigenvalue of ``phi`` with modulus above ``cap`` radially onto ``cap``."""
    eigenvalues, eigenvectors = np.linalg.eig(phi)
    moduli = np.abs(eigenvalues)
    if np.all(moduli <= cap):
        return phi
    scale = np.where(moduli > cap, cap / np.maximum(moduli, np.finfo(float).tiny), 1.0)
    capped = eigenvectors @ np.diag(eigenvalues * scale) @ np.linalg.inv(eigenvectors)
    return np.asarray(capped.real, dtype=np.float64)


def estimate_var(
    factors: FloatArray,
    *,
    intercept: Intercept = "estimate",
    bias_correction: BiasCorrection = "none",
    eigenvalue_cap: float | None = None,
    bootstrap_replications: int = 500,
    seed: int = 0,
) -> VARFit:
    """VAR(1) of ``factors`` (T+1, K) with optional bias correction and eigenvalue cap.

    After correcting ``Phi`` the intercept is re-set so the VAR keeps the sample mean of the
    factors (``mu = (I - Phi) mean(X)``, or zero with ``intercept="zero"``), and the
    innovations and ``Sigma`` are recomputed from the corrected coefficients.
    """
    fit = var_ols(factors, intercept=intercept)
    if bias_correction == "none" and eigenvalue_cap is None:
        return fit
    phi = fit.phi
    n_obs = fit.innovations.shape[0]
    if bias_correction == "pope":
        phi = stationary_correction(phi, pope_bias(phi, fit.sigma, n_obs))
    elif bias_correction == "kilian":
        bias = kilian_bias(
            factors, fit, replications=bootstrap_replications, seed=seed, intercept=intercept
        )
        phi = stationary_correction(phi, bias)
    if eigenvalue_cap is not None:
        if not 0.0 < eigenvalue_cap <= 1.0:
            raise FitError(f"eigenvalue_cap must be in (0, 1], got {eigenvalue_cap}")
        phi = cap_eigenvalues(phi, eigenvalue_cap)
    if intercept == "estimate":
        mu = (np.eye(phi.shape[0]) - phi) @ factors.mean(axis=0)
    else:
        mu = np.zeros(phi.shape[0])
    return var_from(factors, mu, phi)


def _unconditional_covariance(phi: FloatArray, sigma: FloatArray) -> FloatArray:
    """``Gamma0 = Phi Gamma0 Phi' + Sigma`` solved as a linear system in vec(Gamma0)."""
    n_factors = phi.shape[0]
    system = np.eye(n_factors**2) - np.kron(phi, phi)
    try:
        vec = np.linalg.solve(system, sigma.reshape(-1))
    except np.linalg.LinAlgError as exc:
        raise FitError(
            "the factor VAR has a unit root; Pope's bias formula needs |eig| < 1"
        ) from exc
    return np.asarray(vec.reshape(n_factors, n_factors), dtype=np.float64)
