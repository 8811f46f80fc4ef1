"""Moving-average coefficients and the generalized forecast error variance decomposition.

:math:`\\Psi_0 = I`, :math:`\\Psi_h = \\sum_{j=1}^{\\min(h,p)} A_j \\Psi_{h-j}`; the
generalized FEVD of Pesaran and Shin (1998) at horizon :math:`H` is

.. math::

    \\theta_{ij}(H) = \\frac{\\sigma_{jj}^{-1} \\sum_{h=0}^{H-1} (e_i' \\Psi_h \\Sigma e_j)^2}
                          {\\sum_{h=0}^{H-1} e_i' \\Psi_h \\Sigma \\Psi_h' e_i}.

Every function is batched over leading axes (windows or dates).

References
----------
Pesaran, M. H. and Y. Shin (1998), "Generalized impulse response analysis in linear
multivariate models", Economics Letters 58(1), 17-29.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Float = NDArray[np.float64]


def var_ma_coefficients(lag_matrices: Float, horizon: int) -> Float:
    """MA coefficients :math:`\\Psi_0, \\dots, \\Psi_{H-1}` of a VAR(p), batched.

    Parameters
    ----------
    lag_matrices
        ``(..., p, N, N)``: :math:`A_1, \\dots, A_p`, where row ``i`` of :math:`A_j` is the
        equation of variable ``i``.
    horizon
        Number of MA matrices :math:`H \\ge 1`.

    Returns
    -------
    ndarray
        ``(..., H, N, N)`` with :math:`\\Psi_0 = I`, :math:`\\Psi_h = \\sum_{j=1}^{\\min(h,p)}
        A_j \\Psi_{h-j}`.
    """
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    lags = lag_matrices.shape[-3]
    n_vars = lag_matrices.shape[-1]
    batch = lag_matrices.shape[:-3]
    ma = np.zeros((*batch, horizon, n_vars, n_vars))
    ma[..., 0, :, :] = np.eye(n_vars)
    for step in range(1, horizon):
        for lag in range(1, min(step, lags) + 1):
            ma[..., step, :, :] += lag_matrices[..., lag - 1, :, :] @ ma[..., step - lag, :, :]
    return ma


def generalized_fevd(ma: Float, sigma: Float, *, normalize: bool = True) -> Float:
    """Generalized forecast error variance decomposition (Pesaran-Shin 1998), batched.

    Parameters
    ----------
    ma
        ``(..., H, N, N)`` MA coefficients with :math:`\\Psi_0 = I`; the horizon is ``H``
        (the sums run over :math:`h = 0, \\dots, H-1`).
    sigma
        ``(..., N, N)`` residual covariance.
    normalize
        Divide each row by its sum so that rows add to one (the Diebold-Yilmaz table).

    Returns
    -------
    ndarray
        ``(..., N, N)`` shares: element ``[i, j]`` is the share of the ``H``-step forecast
        error variance of ``i`` due to shocks to ``j`` (see the module docstring).
    """
    impact = ma @ sigma[..., None, :, :]  # Psi_h Sigma, (..., H, N, N)
    variance_j = np.diagonal(sigma, axis1=-2, axis2=-1)[..., None, :]
    numerator = np.sum(impact**2, axis=-3) / variance_j
    denominator = np.einsum("...hik,...hik->...i", impact, ma)
    shares = numerator / denominator[..., :, None]
    if normalize:
        shares = shares / shares.sum(axis=-1, keepdims=True)
    return shares
