"""Pure formulas of the ACM (Adrian, Crump and Moench 2013) affine term-structure model.

Units, used by every function here and documented once:

* maturities ``n`` are in **months**;
* yields at the API edge are **annualised percent, continuously compounded**;
* internally everything is in **decimal per month**: the log price of an n-month zero is
  ``p_t(n) = -n * y_t(n) / 1200`` and the short rate is ``r_t = y_t(1) / 1200``;
* one-month log excess returns ``rx_{t+1}(n-1) = p_{t+1}(n-1) - p_t(n) - r_t`` are decimal
  per month.

Every function accepts leading batch dimensions (``...``) so the bootstrap can estimate many
replications at once with the same code.

References
----------
Adrian, T., Crump, R. K. and Moench, E. (2013). "Pricing the term structure with linear
regressions". Journal of Financial Economics 110(1), 110-138.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ustpull._typing import FloatArray

#: Percent per year -> decimal per month.
PERCENT_YEAR_TO_DECIMAL_MONTH = 1.0 / 1200.0


def log_prices(yields_percent: FloatArray, maturities: FloatArray) -> FloatArray:
    """Log zero-coupon prices ``p(n) = -n y(n) / 1200`` from annualised percent yields.

    Parameters
    ----------
    yields_percent : ndarray, shape (..., T, N)
        Continuously compounded zero yields, percent per year.
    maturities : ndarray, shape (N,)
        Maturities in months.
    """
    return -yields_percent * maturities * PERCENT_YEAR_TO_DECIMAL_MONTH


def excess_returns(
    prices: FloatArray, short_rate: FloatArray, maturities: FloatArray, holding: FloatArray
) -> FloatArray:
    """One-month log excess returns of the n-month bonds in ``holding``.

    ``rx_{t+1}(n-1) = p_{t+1}(n-1) - p_t(n) - r_t`` (ACM 2013, eq. 2), decimal per month.

    Parameters
    ----------
    prices : ndarray, shape (T+1, N)
        Log prices at maturities ``maturities`` (months, consecutive from 1).
    short_rate : ndarray, shape (T+1,)
        One-month rate, decimal per month.
    maturities : ndarray, shape (N,)
        Maturities of ``prices`` in months.
    holding : ndarray, shape (M,)
        Maturities n (months, at the start of the month) of the bonds held.

    Returns
    -------
    ndarray, shape (T, M)
    """
    column = {int(n): j for j, n in enumerate(maturities)}
    start = np.array([column[int(n)] for n in holding])
    end = np.array([column[int(n) - 1] for n in holding])
    return prices[1:, end] - prices[:-1, start] - short_rate[:-1, None]


def ols(regressors: FloatArray, targets: FloatArray) -> FloatArray:
    """Least-squares coefficients ``(Z'Z)^{-1} Z'Y`` with batch dimensions.

    ``regressors`` has shape (..., T, P), ``targets`` (..., T, M); returns (..., P, M).
    """
    gram = regressors.mT @ regressors
    return np.asarray(np.linalg.solve(gram, regressors.mT @ targets), dtype=np.float64)


def with_constant(values: FloatArray) -> FloatArray:
    """Prepend a column of ones along the last axis."""
    ones = np.ones((*values.shape[:-1], 1))
    return np.concatenate([ones, values], axis=-1)


@dataclass(frozen=True)
class ReturnRegression:
    """Step 2 of ACM: ``rx_{t+1} = a + beta' v_{t+1} + c X_t + e_{t+1}``.

    Attributes
    ----------
    intercept : ndarray, shape (..., M)
        ``a``, decimal per month.
    beta : ndarray, shape (..., K, M)
        Exposures of the returns to the VAR innovations.
    slope : ndarray, shape (..., K, M)
        Loadings ``c'`` of the returns on the lagged factors.
    residuals : ndarray, shape (..., T, M)
        Return pricing errors ``e``.
    sigma2 : ndarray, shape (...)
        ``tr(E E') / (M T)``, variance of the return pricing errors.
    """

    intercept: FloatArray
    beta: FloatArray
    slope: FloatArray
    residuals: FloatArray
    sigma2: FloatArray


def return_regression(
    returns: FloatArray, innovations: FloatArray, lagged_factors: FloatArray
) -> ReturnRegression:
    """Regress excess returns on a constant, the VAR innovations and the lagged factors.

    ACM (2013), eq. (11): ``rx = a iota' + beta' V + c X_- + E``; ``sigma^2 = tr(EE')/(NT)``.

    Parameters
    ----------
    returns : ndarray, shape (..., T, M)
    innovations : ndarray, shape (..., T, K)
        VAR innovations ``v_{t+1}``.
    lagged_factors : ndarray, shape (..., T, K)
        ``X_t``.
    """
    n_factors = innovations.shape[-1]
    regressors = with_constant(np.concatenate([innovations, lagged_factors], axis=-1))
    coefficients = ols(regressors, returns)
    residuals = returns - regressors @ coefficients
    sigma2 = np.mean(residuals**2, axis=(-2, -1))
    return ReturnRegression(
        intercept=coefficients[..., 0, :],
        beta=coefficients[..., 1 : 1 + n_factors, :],
        slope=coefficients[..., 1 + n_factors :, :],
        residuals=residuals,
        sigma2=sigma2,
    )


def convexity(beta: FloatArray, sigma: FloatArray, sigma2: FloatArray) -> FloatArray:
    """``B* vec(Sigma) + sigma^2 = beta_n' Sigma beta_n + sigma^2`` for each column n of beta."""
    quadratic = np.einsum("...kn,...kl,...ln->...n", beta, sigma, beta)
    return np.asarray(quadratic + np.asarray(sigma2)[..., None], dtype=np.float64)


def prices_of_risk(
    regression: ReturnRegression, sigma: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Step 3 of ACM: market prices of risk by cross-sectional regression.

    ``lambda0 = (beta beta')^{-1} beta (a + 1/2 (B* vec(Sigma) + sigma^2 iota))`` and
    ``Lambda1 = (beta beta')^{-1} beta c`` (ACM 2013, eqs. 13-14).

    Returns
    -------
    lambda0 : ndarray, shape (..., K)
    lambda1 : ndarray, shape (..., K, K)
    """
    beta = regression.beta
    adjusted = regression.intercept + 0.5 * convexity(beta, sigma, regression.sigma2)
    gram = beta @ beta.mT
    lambda0 = np.linalg.solve(gram, (beta @ adjusted[..., None]))[..., 0]
    lambda1 = np.linalg.solve(gram, beta @ regression.slope.mT)
    return np.asarray(lambda0, dtype=np.float64), np.asarray(lambda1, dtype=np.float64)


def short_rate_equation(
    short_rate: FloatArray, factors: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """``r_t = delta0 + delta1' X_t + u_t`` by OLS (ACM 2013, eq. 20); r in decimal per month.

    ``short_rate`` has shape (..., T), ``factors`` (..., T, K); returns delta0 (...) and
    delta1 (..., K).
    """
    coefficients = ols(with_constant(factors), short_rate[..., None])[..., 0]
    return coefficients[..., 0], coefficients[..., 1:]


def affine_coefficients(
    max_maturity: int,
    mu: FloatArray,
    phi: FloatArray,
    sigma: FloatArray,
    sigma2: FloatArray,
    lambda0: FloatArray,
    lambda1: FloatArray,
    delta0: FloatArray,
    delta1: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Log-price loadings ``p_t(n) = A_n + B_n' X_t`` for n = 1..max_maturity.

    ACM (2013), eq. (21)-(22)::

        A_n = A_{n-1} + B_{n-1}'(mu - lambda0) + 1/2 (B_{n-1}' Sigma B_{n-1} + sigma^2) - delta0
        B_n' = B_{n-1}'(Phi - Lambda1) - delta1'

    started at ``A_1 = -delta0``, ``B_1 = -delta1`` (the one-month bond is priced exactly by
    the short rate, so it carries no return pricing error). Zero prices of risk give the
    risk-neutral loadings.

    Returns
    -------
    A : ndarray, shape (..., max_maturity)
    B : ndarray, shape (..., max_maturity, K)
    """
    batch = np.broadcast_shapes(np.shape(delta0), np.shape(sigma2))
    n_factors = np.shape(delta1)[-1]
    loadings = np.empty((*batch, max_maturity, n_factors))
    transition = phi - lambda1
    loadings[..., 0, :] = -delta1
    for month in range(1, max_maturity):
        step = loadings[..., month - 1, None, :] @ transition
        loadings[..., month, :] = step[..., 0, :] - delta1
    # the intercepts need only the loadings: accumulate all increments at once
    previous = loadings[..., :-1, :]
    quadratic = np.sum((previous @ sigma) * previous, axis=-1)
    drift = np.sum(previous * (mu - lambda0)[..., None, :], axis=-1)
    increments = drift + 0.5 * (quadratic + np.asarray(sigma2)[..., None])
    increments = increments - np.asarray(delta0)[..., None]
    intercept = np.empty((*batch, max_maturity))
    intercept[..., 0] = -delta0
    intercept[..., 1:] = np.cumsum(increments, axis=-1) - np.asarray(delta0)[..., None]
    return intercept, loadings


def affine_yields(intercept: FloatArray, loadings: FloatArray, factors: FloatArray) -> FloatArray:
    """Yields in annualised percent: ``y_t(n) = -1200 (A_n + B_n' X_t) / n``.

    ``intercept`` (N,), ``loadings`` (N, K), ``factors`` (T, K); returns (T, N).
    """
    maturities = np.arange(1, intercept.shape[-1] + 1)
    scale = -1.0 / (maturities * PERCENT_YEAR_TO_DECIMAL_MONTH)
    yields = factors @ (loadings * scale[:, None]).T
    yields += intercept * scale
    return yields


def expected_excess_returns(
    loadings: FloatArray,
    sigma: FloatArray,
    sigma2: float,
    lambda0: FloatArray,
    lambda1: FloatArray,
    factors: FloatArray,
) -> FloatArray:
    """Model-implied expected one-month log excess returns, annualised percent.

    For the n-month bond (ACM 2013, eq. 9 with ``beta(n-1) = B_{n-1}``)::

        E_t rx_{t+1}(n-1) = B_{n-1}'(lambda0 + Lambda1 X_t) - 1/2 (B_{n-1}' Sigma B_{n-1} + sigma^2)

    and zero for the riskless one-month bond. Multiplied by 1200 to annualised percent.

    Returns
    -------
    ndarray, shape (T, N)
    """
    held = loadings[:-1]
    risk_price = lambda0 + factors @ lambda1.T
    jensen = 0.5 * (np.einsum("nk,kl,nl->n", held, sigma, held) + sigma2)
    premium = risk_price @ held.T - jensen
    one_month = np.zeros((factors.shape[0], 1))
    return np.concatenate([one_month, premium], axis=1) / PERCENT_YEAR_TO_DECIMAL_MONTH


def forward_rate(
    yields_short: FloatArray, yields_long: FloatArray, short_months: float, long_months: float
) -> FloatArray:
    """Forward rate from ``short_months`` to ``long_months`` ahead, same units as the yields.

    ``f = (m_L y(m_L) - m_S y(m_S)) / (m_L - m_S)`` for continuously compounded yields; linear,
    so it applies equally to term premia and risk-neutral yields (e.g. the 5-year-5-year
    forward term premium ``2 tp(10y) - tp(5y)``).
    """
    if not long_months > short_months:
        raise ValueError(f"long maturity {long_months} must exceed short {short_months}")
    span = long_months - short_months
    return (long_months * yields_long - short_months * yields_short) / span
