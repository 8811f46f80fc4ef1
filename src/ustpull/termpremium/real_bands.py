"""Confidence bands for the joint nominal-real decomposition: VAR (physical-dynamics) uncertainty.

The fitted curves depend on the risk-neutral dynamics ``Phi^Q = Phi - Lambda1`` and
``mu^Q = mu - lambda0``, which the cross-section of returns pins down precisely; the split of
each yield into expectations and premia depends on the physical VAR ``(mu, Phi)``, estimated
from the time series and by far the larger source of uncertainty (Adrian, Crump and Moench
2013, section 4; Bauer, Rudebusch and Wu 2012). The bands here draw

    vec([mu, Phi]') ~ N(vec(B_hat), Sigma (x) (Z'Z)^{-1}),   Z = (1, X_t), t = 0..T-1,

the OLS VAR's asymptotic distribution, keep the Q dynamics at their estimates (so the prices
of risk move with each draw, ``Lambda1* = Phi* - Phi^Q``, and the fitted yields do not),
recompute the risk-neutral nominal and real yields, and take percentiles of the term premia,
the inflation risk premium and expected inflation. Draws with an eigenvalue of modulus >= 1
are discarded (their share is reported). What the bands leave out: the sampling error of the
Q dynamics and of the short-rate equations (small) and the small-sample bias of the VAR.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.errors import DataError
from ustpull.termpremium import affine
from ustpull.termpremium.real import NominalRealResults

#: Quantities with bands (names as in :meth:`NominalRealResults.to_frame`).
BANDED = ("term_premium", "real_term_premium", "inflation_risk_premium", "expected_inflation")


@dataclass(frozen=True)
class NominalRealBands(Results):
    """Lower and upper band per quantity: frames by date x whole-year maturity (percent)."""

    lower: dict[str, pd.DataFrame]
    upper: dict[str, pd.DataFrame]
    confidence: float
    draws: int
    discarded_share: float

    @property
    def coverage(self) -> float:
        """Deprecated name of :attr:`confidence`."""
        return self.confidence

    def summary(self) -> str:
        """Coverage, draws and the 10-year (or longest) band of each quantity on the last date."""
        lines = [
            f"{self.confidence:.0%} VAR-uncertainty bands from {self.draws} stationary draws "
            f"({100 * self.discarded_share:.1f}% non-stationary draws discarded)"
        ]
        for name in BANDED:
            lower, upper = self.lower[name], self.upper[name]
            years = lower.columns[-1]
            lines.append(
                f"{name} {years}y on {lower.index[-1]:%Y-%m-%d}: "
                f"[{lower[years].iloc[-1]:.2f}, {upper[years].iloc[-1]:.2f}] %"
            )
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """``{quantity}_{n}y_lower`` and ``_upper`` columns."""
        parts = {}
        for name in BANDED:
            for years in self.lower[name].columns:
                parts[f"{name}_{years}y_lower"] = self.lower[name][years]
                parts[f"{name}_{years}y_upper"] = self.upper[name][years]
        frame = pd.DataFrame(parts)
        frame.index.name = "date"
        return frame


def var_uncertainty_bands(
    results: NominalRealResults,
    replications: int = 500,
    *,
    years: Sequence[int] = tuple(range(2, 11)),
    confidence: float = 0.90,
    seed: int = 0,
    coverage: float | None = None,
) -> NominalRealBands:
    """Bands from draws of the physical VAR (module docstring); ``confidence`` is the
    two-sided coverage (``coverage``: its deprecated name)."""
    if coverage is not None:
        warnings.warn("coverage= is deprecated; use confidence=", DeprecationWarning, stacklevel=2)
        confidence = coverage
    if not 0.0 < confidence < 1.0:
        raise DataError(f"confidence must be in (0, 1), got {confidence}")
    if replications < 20:
        raise DataError(f"need at least 20 replications, got {replications}")
    p, model = results.parameters, results.model
    factors = results.factors.to_numpy()
    mu, phi = _stationary_draws(factors, p.mu, p.phi, p.sigma, replications, seed)
    frictionless = p.delta1_real.copy()
    frictionless[model.n_nominal + model.n_real :] = 0.0
    draws, n_factors = mu.shape
    # risk-neutral recursions (zero prices of risk) under each drawn VAR: nominal, real
    intercept, loadings = affine.affine_coefficients(
        max(years) * 12,
        mu[:, None],
        phi[:, None],
        p.sigma,
        np.broadcast_to([p.sigma2_nominal, p.sigma2_real], (draws, 2)),
        np.zeros((draws, 2, n_factors)),
        np.zeros((draws, 2, n_factors, n_factors)),
        np.broadcast_to([p.delta0, p.delta0_real], (draws, 2)),
        np.stack([p.delta1, frictionless]),
    )
    months = np.asarray(years) * 12
    scale = -1.0 / (months * affine.PERCENT_YEAR_TO_DECIMAL_MONTH)
    neutral = (
        intercept[..., months - 1][:, :, None, :]
        + np.einsum("dcnk,tk->dctn", loadings[:, :, months - 1], factors)
    ) * scale  # (draws, 2, T, n); the Q dynamics, hence the fitted yields, stay fixed
    fitted = results.to_frame(years)
    nominal = np.stack([fitted[f"yield_{n}y"] for n in years], axis=-1)
    real = np.stack([fitted[f"real_yield_{n}y"] for n in years], axis=-1)
    values = {
        "term_premium": nominal - neutral[:, 0],
        "real_term_premium": real - neutral[:, 1],
        "expected_inflation": neutral[:, 0] - neutral[:, 1],
    }
    values["inflation_risk_premium"] = values["term_premium"] - values["real_term_premium"]
    tail = 100.0 * (1.0 - confidence) / 2.0
    lower, upper = {}, {}
    columns = pd.Index(list(years), name="years")
    for name in BANDED:
        low, high = np.percentile(values[name], [tail, 100.0 - tail], axis=0)
        lower[name] = pd.DataFrame(low, index=fitted.index, columns=columns)
        upper[name] = pd.DataFrame(high, index=fitted.index, columns=columns)
    return NominalRealBands(lower, upper, confidence, draws, 1.0 - draws / replications)


def _stationary_draws(
    factors: np.ndarray,
    mu: np.ndarray,
    phi: np.ndarray,
    sigma: np.ndarray,
    replications: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Draws of ``(mu, Phi)`` from the OLS VAR's asymptotic normal law, stationary ones only."""
    design = affine.with_constant(factors[:-1])
    n_factors = phi.shape[0]
    coefficients = np.column_stack([mu, phi])  # (K, K+1): row i = equation i
    design_inverse = np.linalg.inv(design.T @ design)
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal((replications, n_factors, n_factors + 1))
    # row i of the draw ~ N(b_i, sigma_ii (Z'Z)^-1), rows correlated through Sigma
    drawn = coefficients + np.linalg.cholesky(sigma) @ shocks @ np.linalg.cholesky(design_inverse).T
    radius = np.abs(np.linalg.eigvals(drawn[:, :, 1:])).max(axis=1)
    keep = radius < 1.0
    if keep.sum() < 20:
        raise DataError(f"only {int(keep.sum())} of {replications} VAR draws are stationary")
    return drawn[keep, :, 0], drawn[keep, :, 1:]


__all__ = ["BANDED", "NominalRealBands", "var_uncertainty_bands"]
