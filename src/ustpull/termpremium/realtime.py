"""Real-time ACM term premia: the model re-estimated on an expanding window ending each month.

The term premium of month e uses only yields and short rates up to e: principal components,
VAR, return regression, prices of risk and short-rate equation are all re-estimated on
months ``0..e`` (the estimate a user would have made at the end of month e, with today's
data vintage: the GSW curve and bill rates are not revised in ways that matter here).

All windows are estimated at once. Every regression is written on the full sample with the
months after ``e`` masked out (zero rows leave ``Z'Z`` and ``Z'y`` unchanged), so the windows
form a batch dimension of the pure formulas of :mod:`ustpull.termpremium.affine`; the
principal components come from the cumulated cross-products ``sum_{t<=e} y_t y_t'`` by a
batched subspace iteration (converged to 1e-14 of the largest eigenvalue). Each
window's result is that of :meth:`ustpull.termpremium.acm.ACM.fit` on the truncated sample
(OLS VAR only: the bias corrections and eigenvalue cap are not offered here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.errors import DataError
from ustpull.termpremium import affine
from ustpull.termpremium.acm import ACM
from ustpull.termpremium.affine import PERCENT_YEAR_TO_DECIMAL_MONTH, FloatArray


@dataclass(frozen=True)
class RealTimeTermPremium(Results):
    """Real-time and full-sample term premia (percent) on the window end months.

    ``real_time`` and ``full_sample`` have the end months as index and maturities (months) as
    columns; ``gap_bp`` is real time minus full sample in basis points.
    """

    real_time: pd.DataFrame
    full_sample: pd.DataFrame

    @property
    def gap_bp(self) -> pd.DataFrame:
        """Real-time minus full-sample term premium, basis points."""
        return 100.0 * (self.real_time - self.full_sample)

    def gap_summary(self) -> pd.DataFrame:
        """Mean, root mean square and max absolute gap (bp) and correlation, by maturity."""
        gap = self.gap_bp
        correlation = [self.real_time[n].corr(self.full_sample[n]) for n in gap.columns]
        return pd.DataFrame(
            {
                "mean_bp": gap.mean(),
                "rms_bp": np.sqrt((gap**2).mean()),
                "max_abs_bp": gap.abs().max(),
                "correlation": correlation,
            }
        )

    def gap_by_decade(self) -> pd.DataFrame:
        """Root mean square gap (bp) by decade of the window's end (rows) and maturity."""
        gap = self.gap_bp
        decade = pd.Index(
            [f"{year // 10 * 10}s" for year in pd.DatetimeIndex(gap.index).year], name="decade"
        )
        mean_square = (gap**2).groupby(decade).mean()
        return mean_square.pow(0.5)

    def summary(self) -> str:
        """The window ends and the gap to the full sample by maturity (bp)."""
        ends = self.real_time.index
        head = (
            f"Real-time term premium: {len(ends)} window ends "
            f"{ends[0]:%Y-%m-%d}..{ends[-1]:%Y-%m-%d}; real time minus full sample by "
            "maturity (months):"
        )
        return head + "\n" + self.gap_summary().round(2).to_string()

    def to_frame(self) -> pd.DataFrame:
        """``term_premium_{n}y_real_time`` and ``term_premium_{n}y`` for whole years n."""
        parts: dict[str, pd.Series] = {}
        for column in self.real_time.columns:
            months = int(column)
            if months % 12 == 0:
                parts[f"term_premium_{months // 12}y_real_time"] = self.real_time[column]
                parts[f"term_premium_{months // 12}y"] = self.full_sample[column]
        frame = pd.DataFrame(parts)
        frame.index.name = "date"
        return frame


def expanding_term_premium(
    model: ACM,
    *,
    min_months: int = 120,
    maturities: Sequence[int] = tuple(range(12, 121, 12)),
) -> RealTimeTermPremium:
    """Term premium at the end of every expanding window of ``model``'s sample.

    Parameters
    ----------
    model : ACM
        The full-sample specification (yields, short rate, factors, return maturities); its
        ``var_bias`` must be ``"none"`` and ``eigenvalue_cap`` ``None``.
    min_months : int
        Length of the first window (months); windows end at months ``min_months-1 .. T-1``.
    maturities : sequence of int
        Maturities (months) of the output.
    """
    if model.var_bias != "none" or model.eigenvalue_cap is not None:
        raise DataError("real-time estimation supports the OLS VAR only (var_bias='none')")
    n_months = model.yields.shape[0]
    if not 2 * model.n_factors + 6 <= min_months <= n_months:
        raise DataError(
            f"min_months must be between {2 * model.n_factors + 6} and the {n_months} "
            f"months of the sample, got {min_months}"
        )
    ends = np.arange(min_months - 1, n_months)
    values = model.yields.to_numpy(dtype=np.float64)
    factor_columns = model.yields.columns.get_indexer(pd.Index(model.factor_maturities))
    factors = _window_factors(values[:, factor_columns], ends, model.n_factors)
    tp = _window_term_premium(model, values, factors, ends, np.asarray(maturities))
    index = model.yields.index[ends]
    columns = pd.Index(list(maturities), name="maturity")
    real_time = pd.DataFrame(tp, index=index, columns=columns)
    full = model.fit().term_premium.loc[index, list(maturities)]
    return RealTimeTermPremium(real_time, full.set_axis(columns, axis=1))


def _window_factors(yields: FloatArray, ends: np.ndarray, n_factors: int) -> FloatArray:
    """Principal components of each window (as :func:`~ustpull.termpremium.acm.
    principal_components`), evaluated on every month; shape (W, T, K)."""
    yields = np.ascontiguousarray(yields)  # row-major cross-products: fast batched products
    counts = (ends + 1).astype(np.float64)
    means = np.cumsum(yields, axis=0)[ends] / counts[:, None]
    # cumulated cross-products in place; the windows end on consecutive months (a view)
    cross = yields[: ends[-1] + 1, :, None] * yields[: ends[-1] + 1, None, :]
    np.cumsum(cross, axis=0, out=cross)
    covariance = cross[ends[0] :]
    covariance -= np.einsum("w,wi,wj->wij", counts, means, means)
    covariance /= (counts - 1.0)[:, None, None]
    top, vectors = _leading_eigenpairs(covariance, n_factors)
    if not np.all(top[:, -1] > 1e-10 * top[:, 0]):
        raise DataError(f"a window has fewer than {n_factors} independent principal components")
    vectors = vectors * np.where(vectors.mean(axis=1, keepdims=True) < 0, -1.0, 1.0)
    loadings = vectors / np.sqrt(top)[:, None, :]
    # (y_t - mean_w) @ L_w without the (W, T, N) array of centred yields
    projected = np.einsum("tn,wnk->wtk", yields, loadings, optimize=True)
    return np.asarray(projected - np.einsum("wn,wnk->wk", means, loadings)[:, None, :])


#: Extra vectors carried by the subspace iteration (faster convergence of the last wanted one).
OVERSAMPLING = 4
#: Converged when every wanted Ritz pair has ``|C v - theta v| < TOLERANCE * theta_max``.
TOLERANCE = 1e-14
#: Windows not converged after this many steps get a full ``eigh`` (short early windows).
MAX_ITERATIONS = 30
CHECK_EVERY = 5


def _leading_eigenpairs(covariance: FloatArray, n_factors: int) -> tuple[FloatArray, FloatArray]:
    """The ``n_factors`` largest eigenvalues (descending) and eigenvectors of each window's
    covariance, by block subspace iteration with Rayleigh-Ritz.

    All windows iterate at once from the first window's exact eigenvectors (data every window
    contains, so no look-ahead even in the start); neighbouring windows differ by one month
    and converge in a few steps (U.S. curve from 120 months: 5). Converged windows leave the
    batch; those left after ``MAX_ITERATIONS`` steps get a full ``eigh``. The result is the
    eigendecomposition to ``TOLERANCE``, whatever the start.
    """
    n_windows, size, _ = covariance.shape
    width = min(n_factors + OVERSAMPLING, size)
    values = np.empty((n_windows, n_factors))
    vectors = np.empty((n_windows, size, n_factors))
    _, first = np.linalg.eigh(covariance[0])
    active = np.arange(n_windows)
    matrices = covariance
    basis = np.repeat(first[None, :, ::-1][:, :, :width], n_windows, axis=0)
    for step in range(1, MAX_ITERATIONS + 1):
        basis, _ = np.linalg.qr(matrices @ basis)
        if step % CHECK_EVERY:
            continue
        ritz, rotation = np.linalg.eigh(basis.mT @ matrices @ basis)
        found = ritz[:, ::-1][:, :n_factors]
        candidate = basis @ rotation[:, :, ::-1][:, :, :n_factors]
        residual = np.linalg.norm(matrices @ candidate - candidate * found[:, None, :], axis=1)
        done = (residual < TOLERANCE * found[:, :1]).all(axis=1)
        values[active[done]], vectors[active[done]] = found[done], candidate[done]
        if done.all():
            return values, vectors
        if done.any():
            active, basis, matrices = active[~done], basis[~done], matrices[~done]
    exact_values, exact_vectors = np.linalg.eigh(matrices)
    values[active] = exact_values[:, ::-1][:, :n_factors]
    vectors[active] = exact_vectors[:, :, ::-1][:, :, :n_factors]
    return values, vectors


def _masked_ols(regressors: FloatArray, targets: FloatArray, mask: FloatArray) -> FloatArray:
    """OLS per window on the rows where ``mask`` (W, T) is 1."""
    weighted = regressors * mask[..., None]
    gram = weighted.mT @ regressors
    return np.asarray(np.linalg.solve(gram, weighted.mT @ targets), dtype=np.float64)


def _window_term_premium(
    model: ACM, values: FloatArray, factors: FloatArray, ends: np.ndarray, maturities: np.ndarray
) -> FloatArray:
    n_windows, n_months, _ = factors.shape
    steps = np.arange(n_months - 1)
    in_window = (steps[None, :] + 1 <= ends[:, None]).astype(np.float64)  # transitions t->t+1
    lagged, lead = factors[:, :-1], factors[:, 1:]
    coefficients = _masked_ols(affine.with_constant(lagged), lead, in_window)
    mu, phi = coefficients[:, 0, :], coefficients[:, 1:, :].mT
    innovations = (lead - mu[:, None, :] - lagged @ phi.mT) * in_window[..., None]
    n_obs = ends.astype(np.float64)
    sigma = innovations.mT @ innovations / n_obs[:, None, None]
    short_rate = model.short_rate.to_numpy(dtype=np.float64) * PERCENT_YEAR_TO_DECIMAL_MONTH
    month_grid = np.asarray(model.yields.columns, dtype=np.float64)
    returns = affine.excess_returns(
        affine.log_prices(values, month_grid),
        short_rate,
        month_grid,
        np.asarray(model.return_maturities, dtype=np.float64),
    )
    design = affine.with_constant(np.concatenate([innovations, lagged], axis=-1))
    coefficients = _masked_ols(design, returns[None], in_window)
    residuals = (returns[None] - design @ coefficients) * in_window[..., None]
    sigma2 = (residuals**2).sum(axis=(1, 2)) / (n_obs * returns.shape[1])
    k = factors.shape[-1]
    regression = affine.ReturnRegression(
        intercept=coefficients[:, 0, :],
        beta=coefficients[:, 1 : 1 + k, :],
        slope=coefficients[:, 1 + k :, :],
        residuals=residuals,
        sigma2=sigma2,
    )
    lambda0, lambda1 = affine.prices_of_risk(regression, sigma)
    all_months = (np.arange(n_months)[None, :] <= ends[:, None]).astype(np.float64)
    delta = _masked_ols(affine.with_constant(factors), short_rate[None, :, None], all_months)
    delta0, delta1 = delta[:, 0, 0], delta[:, 1:, 0]
    zero = np.zeros_like(lambda0)
    intercept, loadings = affine.affine_coefficients(
        int(maturities.max()),
        mu[:, None],
        phi[:, None],
        sigma[:, None],
        np.stack([sigma2, sigma2], axis=1),
        np.stack([lambda0, zero], axis=1),
        np.stack([lambda1, np.zeros_like(lambda1)], axis=1),
        np.stack([delta0, delta0], axis=1),
        delta1[:, None],
    )
    last = factors[np.arange(n_windows), ends]  # X at each window's end
    difference = (intercept[:, 0] - intercept[:, 1])[:, maturities - 1]
    slope = (loadings[:, 0] - loadings[:, 1])[:, maturities - 1]
    log_price_gap = difference + np.einsum("wnk,wk->wn", slope, last)
    return np.asarray(-log_price_gap / (maturities * PERCENT_YEAR_TO_DECIMAL_MONTH))


__all__ = ["RealTimeTermPremium", "expanding_term_premium"]
