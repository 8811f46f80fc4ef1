"""Synthetic truth for the joint nominal-real model: curves simulated from known parameters.

Four factors: nominal yields load on the first three only (the fourth neither enters the
nominal short rate nor feeds the others under Q: ``Phi[:3, 3] = Lambda1[:3, 3] = 0``), real
yields on all four. Real yields follow the real recursion with the same prices of risk
(Abrahams et al. 2016); TIPS inflation accrual is ``pi_{t+1} = r_t - r^R_t + eta_{t+1}``, so
TIPS excess returns in nominal terms equal real excess returns plus iid noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ustpull.termpremium import affine


@dataclass(frozen=True)
class NominalRealTruth:
    nominal: pd.DataFrame
    real: pd.DataFrame
    inflation: pd.Series
    nominal_term_premium: pd.DataFrame
    real_term_premium: pd.DataFrame
    expected_inflation: pd.DataFrame
    real_short_rate: pd.Series


def simulate_nominal_real(
    n_months: int = 3000, *, noise_bp: float = 1.0, inflation_noise_bp: float = 5.0, seed: int = 3
) -> NominalRealTruth:
    rng = np.random.default_rng(seed)
    phi = np.array(
        [
            [0.98, 0.02, 0.0, 0.0],
            [0.0, 0.95, 0.03, 0.0],
            [0.0, 0.0, 0.85, 0.0],
            [0.02, 0.0, 0.0, 0.9],
        ]
    )
    sd = np.array([0.15, 0.25, 0.4, 0.3])
    sigma = np.diag(sd**2)
    sigma[0, 3] = sigma[3, 0] = 0.3 * sd[0] * sd[3]
    mu = np.array([0.01, 0.0, 0.0, 0.0])
    lambda0 = np.array([-0.03, 0.02, 0.0, -0.02])
    lambda1 = np.zeros((4, 4))
    lambda1[0, :3] = [-0.01, 0.02, 0.0]
    lambda1[1, 1] = 0.03
    lambda1[3, 0], lambda1[3, 3] = 0.01, 0.02
    delta0, delta1 = 0.004, np.array([0.001, -0.0006, 0.0003, 0.0])
    delta0_real, delta1_real = 0.0015, np.array([0.0006, -0.0003, 0.0, 0.0008])
    factors = np.zeros((n_months, 4))
    factors[0] = np.linalg.solve(np.eye(4) - phi, mu)
    shocks = rng.standard_normal((n_months, 4)) @ np.linalg.cholesky(sigma).T
    for month in range(n_months - 1):
        factors[month + 1] = mu + phi @ factors[month] + shocks[month]
    risk = np.stack([lambda0, np.zeros(4)] * 2)
    slopes = np.stack([lambda1, np.zeros((4, 4))] * 2)
    intercept, loadings = affine.affine_coefficients(
        120, mu, phi, sigma, np.zeros(4), risk, slopes,
        np.array([delta0, delta0, delta0_real, delta0_real]),
        np.stack([delta1, delta1, delta1_real, delta1_real]),
    )  # fmt: skip
    curves = [affine.affine_yields(intercept[i], loadings[i], factors) for i in range(4)]
    index = pd.date_range("1900-01-31", periods=n_months, freq="ME", name="date")
    columns = pd.Index(np.arange(1, 121), name="maturity")

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=index, columns=columns)

    noise = noise_bp / 100.0
    nominal = curves[0] + noise * rng.standard_normal(curves[0].shape)
    real = curves[2] + noise * rng.standard_normal(curves[2].shape)
    short_nominal = delta0 + factors @ delta1
    short_real = delta0_real + factors @ delta1_real
    accrual = np.empty(n_months)
    accrual[0] = np.nan
    accrual[1:] = (
        short_nominal[:-1]
        - short_real[:-1]
        + inflation_noise_bp / 1e4 * rng.standard_normal(n_months - 1)
    )
    return NominalRealTruth(
        nominal=frame(nominal),
        real=frame(real).loc[:, 23:],
        inflation=pd.Series(100.0 * accrual, index=index).fillna(0.0),
        nominal_term_premium=frame(curves[0] - curves[1]),
        real_term_premium=frame(curves[2] - curves[3]),
        expected_inflation=frame(curves[1] - curves[3]),
        real_short_rate=pd.Series(1200.0 * short_real, index=index),
    )
