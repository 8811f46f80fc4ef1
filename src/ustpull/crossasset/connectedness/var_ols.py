"""OLS VAR(p) with intercept on one or many windows, all at once (cumulative cross-products)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ustpull._typing import FloatArray

# Smallest eigenvalue of a window's scaled cross-product matrix, relative to its largest, below
# which the VAR regressors are treated as collinear (a market repeated or constant in a window).
_SINGULAR_TOLERANCE = 1e-12


@dataclass(frozen=True)
class VarWindows:
    """OLS estimates of a VAR(p) with intercept on one or many windows.

    Attributes
    ----------
    lag_matrices
        ``(W, p, N, N)`` :math:`A_1..A_p` per window.
    sigma
        ``(W, N, N)`` residual covariance, sum of squared residuals over ``T - N p - 1``
        (statsmodels' ``sigma_u``).
    nobs
        Observations per window used in the regression (window length minus ``p``).
    cross_inverse
        ``(W, Np, Np)`` :math:`[(X'X)^{-1}]` of the slopes block (regressors with intercept):
        the coefficients of equation ``i`` have covariance ``sigma[i, i] * cross_inverse``
        (only with ``with_cross_inverse=True``).
    """

    lag_matrices: FloatArray
    sigma: FloatArray
    nobs: int
    cross_inverse: FloatArray | None = None


def rolling_var_ols(
    changes: FloatArray, *, lags: int, window: int, with_cross_inverse: bool = False
) -> VarWindows:
    """Fit a VAR(``lags``) with intercept by OLS on every window of ``window`` rows.

    Window ``w`` uses rows ``w .. w + window - 1`` of ``changes``: the first ``lags`` of them
    only as presample values, exactly as fitting the VAR to that slice alone would.

    Parameters
    ----------
    changes
        ``(T, N)`` finite observations.
    lags
        VAR order :math:`p \\ge 1`.
    window
        Rows per window, ``lags + N lags + 2 <= window <= T``.
    with_cross_inverse
        Also return the inverse cross-product matrices (for coefficient draws).

    Returns
    -------
    VarWindows
        ``T - window + 1`` windows (one when ``window == T``).

    Notes
    -----
    Subtracting the full-sample mean first leaves slopes and residuals of a regression with
    intercept unchanged and keeps the cumulative cross-product sums well conditioned. The
    cross-products of window ``w`` are ``C[w + window - p] - C[w]`` where ``C`` is the
    cumulative sum of the per-row outer products.
    """
    n_obs, n_vars = changes.shape
    n_regressors = 1 + n_vars * lags
    nobs = window - lags
    if nobs <= n_regressors:
        raise ValueError(
            f"window of {window} rows leaves {nobs} observations for {n_regressors} "
            f"coefficients per equation in a VAR({lags}) of {n_vars} markets"
        )
    if window > n_obs:
        raise ValueError(f"window of {window} rows is longer than the {n_obs} rows of data")
    centred = changes - changes.mean(axis=0)
    target = centred[lags:]
    regressors = np.concatenate(
        [np.ones((n_obs - lags, 1))]
        + [centred[lags - lag : n_obs - lag] for lag in range(1, lags + 1)],
        axis=1,
    )

    def window_sums(left: FloatArray, right: FloatArray) -> FloatArray:
        cumulative = np.cumsum(np.einsum("ti,tj->tij", left, right), axis=0)
        cumulative = np.concatenate([np.zeros((1, *cumulative.shape[1:])), cumulative])
        return cumulative[nobs:] - cumulative[:-nobs]

    xtx = window_sums(regressors, regressors)
    xty = window_sums(regressors, target)
    yty = window_sums(target, target)
    scale = np.sqrt(np.diagonal(xtx, axis1=1, axis2=2))
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = xtx / (scale[:, :, None] * scale[:, None, :])
        eigenvalues = np.linalg.eigvalsh(np.where(np.isfinite(scaled), scaled, 0.0))
    singular = ~(eigenvalues[:, 0] > _SINGULAR_TOLERANCE * eigenvalues[:, -1])
    if singular.any():
        raise _SingularWindowError(np.flatnonzero(singular))
    coefficients = np.linalg.solve(xtx, xty)  # (W, K, N)
    residual_ss = yty - np.swapaxes(xty, 1, 2) @ coefficients
    residual_ss = 0.5 * (residual_ss + np.swapaxes(residual_ss, 1, 2))
    sigma = residual_ss / (nobs - n_regressors)
    slopes = coefficients[:, 1:, :].reshape(-1, lags, n_vars, n_vars)
    return VarWindows(
        lag_matrices=np.swapaxes(slopes, 2, 3),
        sigma=sigma,
        nobs=nobs,
        cross_inverse=np.asarray(np.linalg.inv(xtx)[:, 1:, 1:], dtype=np.float64)
        if with_cross_inverse
        else None,
    )


class _SingularWindowError(Exception):
    """Raised by :func:`rolling_var_ols` with the indices of collinear windows."""

    def __init__(self, windows: NDArray[np.intp]) -> None:
        super().__init__(f"{windows.size} singular windows")
        self.windows = windows
