"""Synthetic truth for the ACM tests: yields simulated from a known affine model.

The data-generating process is the ACM model itself (Adrian, Crump and Moench 2013, eqs.
21-22) with three factors, known VAR, prices of risk and short-rate equation. Observed yields
are the exact affine yields plus iid measurement noise of ``noise_bp`` basis points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ustpull.termpremium import affine

MATURITIES = np.arange(1, 121)


@dataclass(frozen=True)
class AffineTruth:
    """Simulated yields with the true decomposition (all percent, months 1..120)."""

    yields: pd.DataFrame
    fitted: pd.DataFrame
    risk_neutral: pd.DataFrame
    term_premium: pd.DataFrame
    factors: np.ndarray
    mu: np.ndarray
    phi: np.ndarray
    sigma: np.ndarray
    lambda0: np.ndarray
    lambda1: np.ndarray
    delta0: float
    delta1: np.ndarray


def simulate_affine(
    n_months: int = 960, *, noise_bp: float = 1.0, seed: int = 7, slope_risk: float = 0.03
) -> AffineTruth:
    """Simulate ``n_months`` month-end curves from a 3-factor ACM model (decimal per month).

    ``slope_risk`` is ``Lambda1[1, 1]``, how strongly the second factor moves its own price of
    risk (larger: more predictable excess returns).
    """
    rng = np.random.default_rng(seed)
    phi = np.array([[0.985, 0.02, 0.0], [0.0, 0.95, 0.03], [0.0, 0.0, 0.85]])
    sd = np.array([0.15, 0.25, 0.4])
    correlation = np.array([[1.0, 0.3, 0.0], [0.3, 1.0, -0.2], [0.0, -0.2, 1.0]])
    sigma = correlation * np.outer(sd, sd)
    mu = np.array([0.01, 0.0, 0.0])
    delta0, delta1 = 0.004, np.array([0.001, -0.0006, 0.0003])
    lambda0 = np.array([-0.03, 0.02, 0.0])
    lambda1 = np.array([[-0.01, 0.02, 0.0], [0.0, slope_risk, 0.0], [0.0, 0.0, 0.0]])
    factors = np.zeros((n_months, 3))
    factors[0] = np.linalg.solve(np.eye(3) - phi, mu)
    shocks = rng.standard_normal((n_months, 3)) @ np.linalg.cholesky(sigma).T
    for month in range(n_months - 1):
        factors[month + 1] = mu + phi @ factors[month] + shocks[month]
    prices_of_risk = np.stack([lambda0, np.zeros(3)])
    slopes_of_risk = np.stack([lambda1, np.zeros((3, 3))])
    intercept, loadings = affine.affine_coefficients(
        120, mu, phi, sigma, np.zeros(2), prices_of_risk, slopes_of_risk, np.full(2, delta0), delta1
    )
    fitted = affine.affine_yields(intercept[0], loadings[0], factors)
    neutral = affine.affine_yields(intercept[1], loadings[1], factors)
    index = pd.date_range("1940-01-31", periods=n_months, freq="ME", name="date")
    columns = pd.Index(MATURITIES, name="maturity")
    observed = fitted + noise_bp / 100.0 * rng.standard_normal(fitted.shape)

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=index, columns=columns)

    return AffineTruth(
        yields=frame(observed),
        fitted=frame(fitted),
        risk_neutral=frame(neutral),
        term_premium=frame(fitted - neutral),
        factors=factors,
        mu=mu,
        phi=phi,
        sigma=sigma,
        lambda0=lambda0,
        lambda1=lambda1,
        delta0=delta0,
        delta1=delta1,
    )
