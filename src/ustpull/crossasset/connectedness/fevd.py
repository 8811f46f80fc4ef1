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

from ustpull._typing import FloatArray


def var_ma_coefficients(lag_matrices: FloatArray, horizon: int) -> FloatArray:
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


def generalized_fevd(ma: FloatArray, sigma: FloatArray, *, normalize: bool = True) -> FloatArray:
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


def fft_frequency_grid(n_points: int) -> FloatArray:
    """Frequency (radians, in ``[0, pi]``) that each of ``n_points`` FFT ordinates stands for.

    Follows Barunik and Krehlik's ``frequencyConnectedness`` (``getIndeces``): ordinate ``k`` of
    the first half is :math:`k \\pi / \\lfloor n/2 \\rfloor` and the second half mirrors it.
    """
    half = n_points // 2
    space = np.arange(half + 1) / half * np.pi
    mirror = space[1:-1][::-1] if n_points % 2 == 0 else space[1:][::-1]
    return np.concatenate([space, mirror])


def band_indicators(n_points: int, edges: FloatArray, *, include_pi: bool = True) -> FloatArray:
    """``(B, n_points)`` 0/1 rows: which FFT ordinates fall in each band.

    Parameters
    ----------
    n_points
        FFT length (horizon ``H + 1``).
    edges
        ``B + 1`` decreasing frequencies in radians from :math:`\\pi` to 0; band ``b`` is
        :math:`[\\text{edges}_{b+1}, \\text{edges}_b)`.
    include_pi
        Put the ordinate at :math:`\\pi` in the first band, so the bands cover every ordinate
        and add up to the time-domain table. ``False`` leaves it out, as the R packages do
        when the partition starts at exactly :math:`\\pi`.
    """
    grid = fft_frequency_grid(n_points)
    upper, lower = edges[:-1, None], edges[1:, None]
    inside = (grid >= lower) & (grid < upper)
    if include_pi:
        inside[0] |= np.isclose(grid, np.pi) & np.isclose(edges[0], np.pi)
    return inside.astype(np.float64)


def frequency_fevd(
    lag_matrices: FloatArray, sigma: FloatArray, horizon: int, bands: FloatArray
) -> FloatArray:
    """Generalized FEVD by frequency band (Barunik and Krehlik 2018), batched over dates.

    With :math:`\\Psi(e^{-i\\omega}) = \\sum_{h=0}^{H} \\Psi_h e^{-i\\omega h}` evaluated at the
    ``H + 1`` FFT frequencies, the share of band :math:`d` is

    .. math::

        \\theta_{ij}(d) = \\frac{\\sum_{\\omega \\in d} \\sigma_{jj}^{-1}
            |(\\Psi(e^{-i\\omega}) \\Sigma)_{ij}|^2}
            {\\sum_{\\omega \\in \\cup d} \\sum_k \\sigma_{kk}^{-1}
            |(\\Psi(e^{-i\\omega}) \\Sigma)_{ik}|^2},

    so that the bands add up to the row-normalised table (by Parseval, the time-domain
    generalized FEVD with ``H + 1`` terms when the bands cover every frequency).

    Parameters
    ----------
    lag_matrices
        ``(T, p, N, N)`` VAR coefficients per date.
    sigma
        ``(T, N, N)`` residual covariances.
    horizon
        ``H``: the MA is truncated after :math:`\\Psi_H` (``H + 1`` FFT points).
    bands
        ``(B, H + 1)`` indicators from :func:`band_indicators`.

    Returns
    -------
    ndarray
        ``(T, B, N, N)`` shares; summed over ``B`` each row adds to one.
    """
    n_points = horizon + 1
    ma = var_ma_coefficients(lag_matrices, n_points)
    # Psi is real, so ordinates w and n - w have conjugate spectra and equal power: fold them.
    ordinate = np.arange(n_points)
    folded = np.zeros((bands.shape[0], n_points // 2 + 1))
    np.add.at(folded.T, np.minimum(ordinate, n_points - ordinate), bands.T)
    spectrum = np.fft.rfft(ma, axis=-3) @ sigma[:, None].astype(np.complex128)
    variance_j = np.diagonal(sigma, axis1=-2, axis2=-1)[:, None, None, :]
    power = (spectrum.real**2 + spectrum.imag**2) / variance_j  # (T, H/2+1, N, N)
    by_band = np.einsum("bw,twij->tbij", folded, power)
    row_total = by_band.sum(axis=(1, 3), keepdims=True)
    return by_band / row_total
