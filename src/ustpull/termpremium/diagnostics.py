"""Diagnostics of the ACM specification: how many factors, how persistent, what is unspanned.

* :func:`factor_count_table`: the same specification re-estimated with K = 3..6 factors:
  yield pricing errors (RMSE, bp), the return pricing-error sd, the predictive excess-return
  R-squared and the VAR spectral radius.
* :func:`var_eigenvalues`: the eigenvalues of the VAR slope (modulus, sorted), whose largest
  modulus governs how far ahead the risk-neutral yields reach.
* :func:`unspanned_factor_test`: do the next principal components (K+1, ...) predict
  excess returns beyond the K pricing factors? If so, the factors miss a priced
  (unspanned) risk and the term premium is mismeasured.

Predictive R-squared of the model (per return maturity n, averaged over the maturities):
``1 - sum_t (rx_{t+1}(n) - E_t rx_{t+1}(n))^2 / sum_t (rx_{t+1}(n) - mean rx(n))^2`` with
the model-implied expectation ``E_t rx = a + c X_t`` of the step-2 regression (the
innovations have mean zero), i.e. the return predictability that the prices of risk price.

Unspanned-factor test: regress the first J = 2 principal components of the excess returns
(level and slope of returns; a third is mostly measurement noise, which yield noise predicts
mechanically), ``rx_{t+1}``, on ``(1, X_t, Z_t)`` with ``Z_t``
the extra principal components of the yields (same recipe, same yields) and test ``Z``'s
coefficients jointly zero in all J equations with a heteroskedasticity-robust (White, HC0)
Wald statistic, chi-squared with ``J dim Z`` degrees of freedom under the null (one-month
returns do not overlap). The principal components estimated from yields are noisy proxies of
the true factors, so with strongly predictable returns the extra components can correct the
proxy a little: read small p-values with that in mind.

References: Duffee, G. (2011) "Information in (and not in) the term structure", Review of
Financial Studies 24(9), 2895-2934; Cochrane, J. and Piazzesi, M. (2005) "Bond risk premia",
American Economic Review 95(1), 138-160.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ustpull.errors import DataError
from ustpull.termpremium import affine
from ustpull.termpremium.acm import ACM, ACMResults, principal_components
from ustpull.termpremium.affine import PERCENT_YEAR_TO_DECIMAL_MONTH


def _with_factors(model: ACM, n_factors: int) -> ACM:
    options: dict[str, Any] = {
        "short_rate": model.short_rate,
        "n_factors": n_factors,
        "factor_maturities": model.factor_maturities,
        "return_maturities": model.return_maturities,
        "max_maturity": model.max_maturity,
        "var_intercept": model.var_intercept,
        "var_bias": model.var_bias,
        "eigenvalue_cap": model.eigenvalue_cap,
    }
    return ACM(model.yields, **options)


def realised_excess_returns(model: ACM) -> np.ndarray:
    """One-month log excess returns of the return maturities, shape (T, M), decimal."""
    maturities = np.asarray(model.yields.columns, dtype=np.float64)
    rate = model.short_rate.to_numpy(dtype=np.float64) * PERCENT_YEAR_TO_DECIMAL_MONTH
    prices = affine.log_prices(model.yields.to_numpy(dtype=np.float64), maturities)
    holding = np.asarray(model.return_maturities, dtype=np.float64)
    return affine.excess_returns(prices, rate, maturities, holding)


def predictive_r2(results: ACMResults) -> float:
    """Average over return maturities of the model's predictive excess-return R-squared."""
    p = results.parameters
    returns = realised_excess_returns(results.model)
    expected = p.return_intercept + results.factors.to_numpy()[:-1] @ p.return_slope
    residual = ((returns - expected) ** 2).sum(axis=0)
    total = ((returns - returns.mean(axis=0)) ** 2).sum(axis=0)
    return float(np.mean(1.0 - residual / total))


def var_eigenvalues(results: ACMResults) -> pd.Series:
    """Eigenvalues of the VAR slope, by decreasing modulus (complex), named ``eigenvalue``."""
    values = np.linalg.eigvals(results.parameters.phi)
    ordered = values[np.argsort(-np.abs(values), kind="stable")]
    return pd.Series(ordered, index=pd.RangeIndex(1, len(ordered) + 1), name="eigenvalue")


def unspanned_factor_test(
    results: ACMResults, *, extra: int = 2, return_components: int = 2
) -> pd.Series:
    """Robust Wald test that principal components K+1..K+extra do not predict excess returns.

    Returns ``statistic``, ``df`` and ``p_value`` (module docstring).
    """
    model = results.model
    k = model.n_factors
    columns = model.yields.columns.get_indexer(pd.Index(model.factor_maturities))
    values = model.yields.to_numpy(dtype=np.float64)[:, columns]
    loadings, mean = principal_components(values, k + extra)
    design = affine.with_constant(((values - mean) @ loadings)[:-1])
    returns = realised_excess_returns(model)
    centred = returns - returns.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    targets = centred @ axes[:return_components].T  # (T, J) return components
    inverse = np.linalg.inv(design.T @ design)
    coefficients = inverse @ design.T @ targets  # (P, J)
    residuals = targets - design @ coefficients
    # robust covariance of vec(B) (column-major: maturity blocks of P coefficients)
    scores = np.einsum("tj,tp->tjp", residuals, design).reshape(len(design), -1)
    bread = np.kron(np.eye(return_components), inverse)
    covariance = bread @ (scores.T @ scores) @ bread
    n_coefficients = design.shape[1]
    tested = np.concatenate(
        [j * n_coefficients + np.arange(1 + k, 1 + k + extra) for j in range(return_components)]
    )
    block = coefficients.T.reshape(-1)[tested]
    statistic = float(block @ np.linalg.solve(covariance[np.ix_(tested, tested)], block))
    df = extra * return_components
    return pd.Series(
        {"statistic": statistic, "df": float(df), "p_value": float(stats.chi2.sf(statistic, df))},
        name=f"unspanned PCs {k + 1}..{k + extra}",
    )


def factor_count_table(model: ACM, counts: Sequence[int] = (3, 4, 5, 6)) -> pd.DataFrame:
    """The specification re-estimated with each number of factors in ``counts``.

    Columns: yield RMSE (bp) at 12, 60 and 120 months, return pricing-error sd (bp per
    month), predictive excess-return R-squared, VAR spectral radius, the unspanned-factor
    test's p-value (next two components) and the 10-year term premium on the last date (%).
    A count the data cannot support (too few independent components) gives a NaN row.
    """
    rows: dict[int, dict[str, float]] = {}
    for k in counts:
        try:
            spec = model if k == model.n_factors else _with_factors(model, k)
            results = spec.fit(bias_replications=model.bias_replications, seed=model.seed)
        except (DataError, np.linalg.LinAlgError):  # e.g. fewer independent components
            rows[k] = {}
            continue
        errors = results.pricing_error_summary["rmse_bp"]
        rows[k] = {
            "rmse_12m_bp": errors[12],
            "rmse_60m_bp": errors[60],
            "rmse_120m_bp": errors[120],
            "return_sd_bp": float(np.sqrt(results.parameters.sigma2) * 1e4),
            "predictive_r2": predictive_r2(results),
            "spectral_radius": results.var_spectral_radius,
            "unspanned_p_value": unspanned_factor_test(results)["p_value"],
            "tp_10y_last": float(results.term_premium[120].iloc[-1]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(list(counts))
    table.index.name = "n_factors"
    return table


__all__ = [
    "factor_count_table",
    "predictive_r2",
    "realised_excess_returns",
    "unspanned_factor_test",
    "var_eigenvalues",
]
