"""OLS with Newey-West standard errors on a stack of samples at once (windows or simulations).

Each of ``W`` samples of ``L`` observations is regressed on its own:

.. math:: y_{wt} = \\alpha_w + x_{wt}' \\beta_w + u_{wt}, \\qquad
          \\widehat V_w = \\tfrac{L}{L - K} (X_w'X_w)^{-1} \\hat S_w (X_w'X_w)^{-1},

.. math:: \\hat S_w = \\hat\\Gamma_{w,0} + \\sum_{j=1}^{m} \\Big(1 - \\tfrac{j}{m + 1}\\Big)
          (\\hat\\Gamma_{w,j} + \\hat\\Gamma_{w,j}'), \\qquad
          \\hat\\Gamma_{w,j} = \\sum_{t > j} g_{wt}\\, g_{w,t-j}', \\; g_{wt} = x_{wt} u_{wt}

(Newey and West 1987, Bartlett kernel, ``K`` = regressors including the constant, ``m`` the
truncation lag, by default :func:`~ustpull.crossasset.stats.newey_west_lags` of ``L``). This is
:func:`~ustpull.crossasset.stats.hac_ols` (statsmodels ``cov_type="HAC"`` with
``use_correction=True``) computed for all samples in one set of array operations: the only loop
runs over the ``m`` lags, never over dates or windows. The tests check one sample against
:func:`~ustpull.crossasset.stats.hac_ols` to rounding.

References
----------
Newey, W. K. and West, K. D. (1987), "A Simple, Positive Semi-Definite, Heteroskedasticity and
Autocorrelation Consistent Covariance Matrix", Econometrica 55(3), 703-708.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ustpull.crossasset.stats import newey_west_lags
from ustpull.errors import DataError, FitError

__all__ = ["StackedHAC", "rolling_windows", "stacked_hac_ols"]


@dataclass(frozen=True)
class StackedHAC:
    """Coefficients and Newey-West standard errors of ``W`` regressions.

    ``params`` and ``std_err`` have shape ``(W, K)``: column 0 is the constant, then the
    regressors in the order given. ``lags`` is the truncation lag used.
    """

    params: np.ndarray
    std_err: np.ndarray
    nobs: int
    lags: int


def stacked_hac_ols(y: np.ndarray, x: np.ndarray, *, lags: int | None = None) -> StackedHAC:
    """OLS of ``y[w]`` on a constant and ``x[w]`` with Newey-West errors, for every ``w``.

    Parameters
    ----------
    y
        Responses, shape ``(W, L)``.
    x
        Regressors without the constant, shape ``(W, L, k)``.
    lags
        Newey-West truncation lag; default ``floor(4 (L/100)^(2/9))``.

    Raises
    ------
    DataError
        Too few observations for the regressors, or non-finite input.
    FitError
        A singular design (e.g. a constant regressor) in some sample.
    """
    n_samples, nobs = y.shape
    design = np.concatenate([np.ones((n_samples, nobs, 1)), x], axis=2)
    k = design.shape[2]
    if nobs < k + 2:
        raise DataError(f"stacked_hac_ols: {nobs} observations for {k} regressors")
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise DataError("stacked_hac_ols: non-finite values in the samples")
    lag = newey_west_lags(nobs) if lags is None else lags
    lag = max(0, min(lag, nobs - 1))
    xtx = np.einsum("wtk,wtj->wkj", design, design)
    xty = np.einsum("wtk,wt->wk", design, y)
    try:
        bread = np.linalg.inv(xtx)
    except np.linalg.LinAlgError as error:
        raise FitError("stacked_hac_ols: singular design in a sample") from error
    params = np.einsum("wkj,wj->wk", bread, xty)
    resid = y - np.einsum("wtk,wk->wt", design, params)
    scores = design * resid[:, :, None]
    meat = np.einsum("wtk,wtj->wkj", scores, scores)
    for j in range(1, lag + 1):
        gamma = np.einsum("wtk,wtj->wkj", scores[:, j:], scores[:, :-j])
        meat += (1.0 - j / (lag + 1.0)) * (gamma + np.swapaxes(gamma, 1, 2))
    cov = bread @ meat @ bread * (nobs / (nobs - k))
    variances = np.diagonal(cov, axis1=1, axis2=2)
    if not np.isfinite(params).all():
        raise FitError("stacked_hac_ols: singular design in a sample")
    return StackedHAC(params, np.sqrt(np.maximum(variances, 0.0)), nobs, lag)


def rolling_windows(values: np.ndarray, window: int) -> np.ndarray:
    """Windows of ``window`` consecutive rows, shape ``(n - window + 1, window, ...)`` (a view).

    ``values`` has dates along axis 0; window ``i`` holds rows ``i .. i + window - 1`` and is
    labelled by its last row.
    """
    view = sliding_window_view(values, window, axis=0)
    # sliding_window_view puts the window axis last; bring it next to the window index
    return np.moveaxis(view, -1, 1)
