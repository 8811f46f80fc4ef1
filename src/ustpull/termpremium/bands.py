"""Bootstrap confidence bands for the ACM term premium.

Kilian's (1998) bootstrap-after-bootstrap with a residual block bootstrap around the point
estimate (a "recursive-design" bootstrap):

0. the data-generating process is the bias-corrected model: Pope's (1990) analytic
   correction of the VAR slope (with Kilian's stationarity adjustment, and the eigenvalue cap
   if the model has one), the intercept reset to keep the factors' mean, and the return
   regression re-run on the corrected VAR innovations (a model already fitted with
   ``var_bias`` other than ``"none"`` is its own bias-corrected DGP);
1. resample, in moving blocks of ``block_length`` months, the joint rows
   ``(v_{t+1}, e_{t+1}, u_{t+1})`` of the VAR innovations, the return pricing errors and the
   short-rate residuals (blocks keep their serial and cross-sectional dependence);
2. rebuild the factors ``X*_{t+1} = mu + Phi X*_t + v*_{t+1}`` from the observed ``X_0``,
   the excess returns ``rx*_{t+1} = a + beta' v*_{t+1} + c X*_t + e*_{t+1}`` and the short
   rate ``r*_t = delta0 + delta1' X*_t + u*_t``;
3. re-estimate the three ACM regressions and the short-rate equation on the synthetic data
   (the VAR with the model's intercept option, Pope's correction and the eigenvalue cap
   re-applied in every replication);
4. recompute the term premium at the observed factors, and take percentiles.

Why bias-corrected: OLS understates the persistence of the factor VAR in samples of a few
hundred months, so a bootstrap from the OLS fit is centred on a premium that is biased twice
over (once in the estimate, again in each replication) and its percentile interval covers
the true premium far less often than its nominal level. Measured on 3-factor ACM data of
480 months with GARCH(1,1) shocks (``benchmarks/bench_termpremium_coverage.py``): nominal
95% percentile intervals cover about 82% from the OLS DGP and about 93% from the
bias-corrected one. ``dgp="estimated"`` keeps the OLS design (for comparison). The point
estimate is the model's own (uncorrected, the published ACM convention); only the interval
changes, so it need not be centred on it.

Replications run in chunks (the work unit) through any ``concurrent.futures.Executor``, e.g.
``ProcessPoolExecutor`` or a Dask ``Client.get_executor()``. Chunk ``i`` draws from the
``i``-th child of ``numpy.random.SeedSequence(seed).spawn(n_chunks)``, so the result is
bit-identical whichever executor ran it (and with none).

References
----------
Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall,
ch. 13 (percentile intervals), 14 (BC_a) and 16 (basic/bootstrap-t).
Kilian, L. (1998). "Small-sample confidence intervals for impulse response functions".
Review of Economics and Statistics 80(2), 218-230.
Pope, A. L. (1990). "Biases of estimators in multivariate non-Gaussian autoregressions".
Journal of Time Series Analysis 11(3), 249-258.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ustpull._results import Results
from ustpull._typing import BootstrapDGP
from ustpull.errors import DataError
from ustpull.parallel import chunk_bounds, map_chunks, spawn_seeds
from ustpull.termpremium import affine
from ustpull.termpremium.affine import FloatArray
from ustpull.termpremium.var import (
    Intercept,
    VARFit,
    cap_eigenvalues,
    estimate_var,
    pope_bias,
    stationary_correction,
    var_from,
    var_ols,
)

if TYPE_CHECKING:
    from ustpull.termpremium.acm import ACMResults


@dataclass(frozen=True)
class BootstrapDesign:
    """Everything one chunk of replications needs (picklable arrays only)."""

    factors: FloatArray
    mu: FloatArray
    phi: FloatArray
    innovations: FloatArray
    intercept: FloatArray
    beta: FloatArray
    slope: FloatArray
    return_residuals: FloatArray
    delta0: float
    delta1: FloatArray
    short_rate_residuals: FloatArray
    maturities: tuple[int, ...]
    max_maturity: int
    var_intercept: Intercept
    bias_correct: bool
    eigenvalue_cap: float | None
    block_length: int


def block_indices(
    rng: np.random.Generator, replications: int, n_obs: int, block_length: int
) -> NDArray[np.intp]:
    """Moving-block bootstrap time indices, shape (replications, n_obs)."""
    n_blocks = -(-n_obs // block_length)
    starts = rng.integers(0, n_obs - block_length + 1, size=(replications, n_blocks))
    indices = (starts[:, :, None] + np.arange(block_length)).reshape(replications, -1)
    return indices[:, :n_obs]


def run_chunk(chunk: tuple[np.random.SeedSequence, int], design: BootstrapDesign) -> FloatArray:
    """Term-premium loadings of one chunk ``(seed, size)``: array (size, maturities, 1 + K).

    Row ``[r, j]`` holds ``(dA, dB_1..dB_K)`` of fitted minus risk-neutral log prices at
    ``design.maturities[j]``, so the replication's term premium is
    ``-1200 (dA + dB' X_t) / n``.
    """
    seed, size = chunk
    rng = np.random.default_rng(seed)
    n_obs, n_factors = design.innovations.shape
    rows = block_indices(rng, size, n_obs, design.block_length)
    shocks = design.innovations - design.innovations.mean(axis=0)
    errors = design.return_residuals - design.return_residuals.mean(axis=0)
    short_errors = design.short_rate_residuals - design.short_rate_residuals.mean()
    v_star = shocks[rows]

    factors = np.empty((size, n_obs + 1, n_factors))
    factors[:, 0] = design.factors[0]
    for step in range(n_obs):
        factors[:, step + 1] = design.mu + factors[:, step] @ design.phi.T + v_star[:, step]
    lagged = factors[:, :-1]
    returns = design.intercept + v_star @ design.beta + lagged @ design.slope + errors[rows]
    short_draws = np.concatenate(
        [np.broadcast_to(short_errors[0], (size, 1)), short_errors[1:][rows]], axis=1
    )
    short_rate = design.delta0 + factors @ design.delta1 + short_draws

    var = var_ols(factors, intercept=design.var_intercept)
    if design.bias_correct or design.eigenvalue_cap is not None:
        var = _corrected(factors, var.phi, var.sigma, design)
    regression = affine.return_regression(returns, var.innovations, lagged)
    lambda0, lambda1 = affine.prices_of_risk(regression, var.sigma)
    delta0, delta1 = affine.short_rate_equation(short_rate, factors)

    both = np.stack([np.ones(size), np.zeros(size)], axis=1)
    intercepts, loadings = affine.affine_coefficients(
        design.max_maturity,
        var.mu[:, None],
        var.phi[:, None],
        var.sigma[:, None],
        regression.sigma2[:, None],
        both[..., None] * lambda0[:, None],
        both[..., None, None] * lambda1[:, None],
        np.broadcast_to(delta0[:, None], (size, 2)),
        delta1[:, None],
    )
    columns = np.asarray(design.maturities) - 1
    d_intercept = intercepts[:, 0, columns] - intercepts[:, 1, columns]
    d_loadings = loadings[:, 0, columns] - loadings[:, 1, columns]
    return np.concatenate([d_intercept[..., None], d_loadings], axis=-1)


def _corrected(
    factors: FloatArray, phi: FloatArray, sigma: FloatArray, design: BootstrapDesign
) -> VARFit:
    """Pope correction and eigenvalue cap of every replication's VAR slope at once.

    The batched linear algebra (:func:`_pope_bias_batch`, :func:`_stationary_batch`,
    :func:`_capped_batch`) runs the same LAPACK routine on each replication's K x K matrices
    as :func:`~ustpull.termpremium.var.pope_bias`, :func:`stationary_correction` and
    :func:`cap_eigenvalues` do one at a time, so the slopes are the same numbers; a batch in
    which some replication is singular (a unit root) is redone one replication at a time,
    so the error raised is the one-at-a-time error.
    """
    n_obs = factors.shape[1] - 1
    try:
        corrected = phi
        if design.bias_correct:
            corrected = _stationary_batch(corrected, _pope_bias_batch(corrected, sigma, n_obs))
        if design.eigenvalue_cap is not None:
            corrected = _capped_batch(corrected, design.eigenvalue_cap)
    except np.linalg.LinAlgError:
        corrected = _corrected_one_by_one(phi, sigma, n_obs, design)
    # in phi's memory layout (a transposed view of the OLS coefficients): the matrix products
    # below round the same way only on the same layout
    laid_out = np.empty_like(phi)
    laid_out[...] = corrected
    corrected = laid_out
    if design.var_intercept == "estimate":
        mean = factors.mean(axis=1)
        mu = mean - np.einsum("rkl,rl->rk", corrected, mean)
    else:
        mu = np.zeros((factors.shape[0], factors.shape[2]))
    return var_from(factors, mu, corrected)


def _corrected_one_by_one(
    phi: FloatArray, sigma: FloatArray, n_obs: int, design: BootstrapDesign
) -> FloatArray:
    corrected = np.empty_like(phi)
    for rep in range(phi.shape[0]):
        slope = phi[rep]
        if design.bias_correct:
            slope = stationary_correction(slope, pope_bias(slope, sigma[rep], n_obs))
        if design.eigenvalue_cap is not None:
            slope = cap_eigenvalues(slope, design.eigenvalue_cap)
        corrected[rep] = slope
    return corrected


def _pope_bias_batch(phi: FloatArray, sigma: FloatArray, n_obs: int) -> FloatArray:
    """:func:`~ustpull.termpremium.var.pope_bias` of each ``phi[r]``, ``sigma[r]``
    (R, K, K): ``-Sigma [(I - Phi')^-1 + Phi' (I - Phi'^2)^-1 + sum_i l_i (I - l_i Phi')^-1]
    Gamma0^-1 / T`` with ``vec Gamma0 = (I - Phi (x) Phi)^-1 vec Sigma``."""
    replications, n_factors = phi.shape[0], phi.shape[1]
    identity = np.eye(n_factors)
    kron = np.einsum("rij,rkl->rikjl", phi, phi).reshape(replications, n_factors**2, n_factors**2)
    system = np.eye(n_factors**2) - kron
    gamma0 = np.linalg.solve(system, sigma.reshape(replications, -1, 1))
    gamma0 = gamma0.reshape(replications, n_factors, n_factors)
    phi_t = phi.mT.astype(np.complex128)
    bracket = np.linalg.inv(identity - phi_t) + phi_t @ np.linalg.inv(identity - phi_t @ phi_t)
    eigenvalues = np.linalg.eigvals(phi)
    for k in range(n_factors):
        value = eigenvalues[:, k, None, None]
        bracket = bracket + value * np.linalg.inv(identity - value * phi_t)
    b = sigma @ bracket.real @ np.linalg.inv(gamma0)
    return np.asarray(-b / n_obs, dtype=np.float64)


def _spectral_radii(phi: FloatArray) -> FloatArray:
    return np.max(np.abs(np.linalg.eigvals(phi)), axis=-1)


def _stationary_batch(phi: FloatArray, bias: FloatArray) -> FloatArray:
    """:func:`~ustpull.termpremium.var.stationary_correction` of each replication: the
    largest delta in {1, 0.99, ..., 0} with ``|eig(Phi - delta b)| < 1``, else ``Phi``."""
    corrected = phi.copy()
    pending = np.arange(phi.shape[0])
    for delta in np.arange(100, -1, -1) / 100:
        if not pending.size:
            break
        candidate = phi[pending] - delta * bias[pending]
        stable = _spectral_radii(candidate) < 1.0
        corrected[pending[stable]] = candidate[stable]
        pending = pending[~stable]
    return corrected


def _capped_batch(phi: FloatArray, cap: float) -> FloatArray:
    """:func:`~ustpull.termpremium.var.cap_eigenvalues` of each replication: the
    eigenvalues of all at once (the same LAPACK call), the shrinking of the few above the cap
    one at a time."""
    moduli = np.abs(np.linalg.eig(phi)[0])
    capped = phi.copy()
    for rep in np.flatnonzero(~np.all(moduli <= cap, axis=-1)):
        capped[rep] = cap_eigenvalues(phi[rep], cap)
    return capped


@dataclass(frozen=True)
class TermPremiumBands(Results):
    """Bootstrap bands of the term premium (percent).

    ``estimate``, ``lower``, ``upper``, ``standard_error``: index = dates, columns =
    maturities in months. ``confidence`` is the two-sided coverage of ``[lower, upper]``
    (``coverage``: its deprecated name). ``loadings`` keeps each replication's term-premium
    loadings (replications, maturities, 1 + K) and ``factors`` the banded dates' factors, so
    :meth:`interval` gives the interval of any average or combination of premia from the same
    draws (no second bootstrap). ``dgp``: the bootstrap design (``"bias_corrected"``, Kilian's
    bootstrap-after-bootstrap, or ``"estimated"``, the OLS fit as it is).
    """

    estimate: pd.DataFrame
    lower: pd.DataFrame
    upper: pd.DataFrame
    standard_error: pd.DataFrame
    confidence: float
    replications: int
    block_length: int
    loadings: FloatArray | None = field(default=None, repr=False, compare=False)
    factors: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    dgp: BootstrapDGP = "bias_corrected"

    def interval(
        self,
        weights: Mapping[int, float],
        dates: pd.Index,
        *,
        confidence: float = 0.95,
    ) -> tuple[float, float]:
        """Percentile interval of ``sum_n w_n mean_t TP_n(X_t)`` over the replications.

        With the default ``dgp="bias_corrected"`` this is Kilian's (1998)
        bootstrap-after-bootstrap interval: percentiles (Efron and Tibshirani 1993, ch. 13) of
        premia re-estimated with Pope-corrected VARs on samples drawn from the Pope-corrected
        model. Measured coverage of a nominal 95% interval on 500 simulated 3-factor ACM
        samples of 480 months with GARCH(1,1) shocks: 93.0% (latest 10-year premium), 93.4%
        (12-month mean), 94.6% (5y5y); the percentile, basic (Hall) and BC intervals from the
        OLS design cover 82-86% (benchmarks/bench_termpremium_coverage.py). The interval is
        not centred on the (uncorrected, published-convention) point estimate.

        ``weights`` maps maturities (months, banded ones) to weights, e.g. ``{120: 1.0}`` for
        the 10-year premium, ``{120: 2.0, 60: -1.0}`` for the 5y5y forward premium
        (``2 TP(10y) - TP(5y)``); ``dates`` are banded dates whose premia are averaged (one
        date: that date's premium). The premium is affine in the factors,
        ``TP_n(X) = -1200 (dA_n + dB_n' X) / n``, so the mean over dates is the premium at the
        mean factors, replication by replication.
        """
        tail = (1.0 - confidence) / 2.0
        draws = self._replicated(weights, dates, confidence)
        low, high = np.quantile(draws, [tail, 1.0 - tail])
        return float(low), float(high)

    def change_interval(
        self,
        weights: Mapping[int, float],
        first: pd.Index,
        second: pd.Index,
        *,
        confidence: float = 0.95,
    ) -> tuple[float, float]:
        """Percentile interval of the change ``sum_n w_n (mean_{t in second} TP_n(X_t) -
        mean_{t in first} TP_n(X_t))`` over the same replications as :meth:`interval`.

        Replication by replication the constant of the premium cancels,
        ``TP_n(X_b) - TP_n(X_a) = -1200 dB_n' (X_b - X_a) / n``, so the interval is that of the
        change itself, not a comparison of two overlapping level intervals.
        """
        tail = (1.0 - confidence) / 2.0
        change = self._replicated(weights, second, confidence) - self._replicated(
            weights, first, confidence
        )
        low, high = np.quantile(change, [tail, 1.0 - tail])
        return float(low), float(high)

    def _replicated(
        self, weights: Mapping[int, float], dates: pd.Index, confidence: float
    ) -> FloatArray:
        """The weighted premium at the mean factors of ``dates``, one value per replication."""
        if self.loadings is None or self.factors is None:
            raise DataError("these bands keep no replications: interval() needs bootstrap_bands")
        if not 0.0 < confidence < 1.0:
            raise DataError(f"confidence must be in (0, 1), got {confidence}")
        columns = [int(n) for n in self.lower.columns]
        unknown = [n for n in weights if n not in columns]
        if unknown or not weights:
            raise DataError(f"maturities {unknown} are not banded (banded: {columns})")
        chosen = self.factors.loc[pd.DatetimeIndex(dates)]
        if chosen.empty:
            raise DataError("interval(): no banded date given")
        mean = chosen.to_numpy().mean(axis=0)
        total = np.zeros(self.loadings.shape[0])
        for months, weight in weights.items():
            draw = np.asarray(self.loadings)[:, columns.index(int(months)), :]
            total += weight * -(draw[:, 0] + draw[:, 1:] @ mean) / months * 1200.0
        return total

    @property
    def coverage(self) -> float:
        """Deprecated name of :attr:`confidence`."""
        return self.confidence

    def summary(self) -> str:
        """Coverage, replications and the bands on the last date, by maturity (percent)."""
        last = self.estimate.index[-1]
        table = pd.DataFrame(
            {
                "estimate": self.estimate.loc[last],
                "lower": self.lower.loc[last],
                "upper": self.upper.loc[last],
                "std_error": self.standard_error.loc[last],
            }
        )
        table.index.name = "months"
        head = (
            f"Term-premium bands: {self.confidence:.0%} two-sided, {self.replications} "
            f"replications, {self.block_length}-month blocks, {self.dgp.replace('_', '-')} "
            f"DGP; on {last:%Y-%m-%d} (percent):"
        )
        return head + "\n" + table.round(3).to_string()


def bootstrap_bands(
    results: ACMResults,
    replications: int = 1000,
    *,
    maturities: Sequence[int] = (12, 24, 36, 48, 60, 72, 84, 96, 108, 120),
    confidence: float = 0.90,
    block_length: int = 12,
    chunk_size: int = 50,
    seed: int = 0,
    executor: Executor | None = None,
    yields: pd.DataFrame | None = None,
    coverage: float | None = None,
    dgp: BootstrapDGP = "bias_corrected",
) -> TermPremiumBands:
    """Percentile bands for the term premium: Kilian's (1998) bootstrap-after-bootstrap.

    A residual block bootstrap from the bias-corrected model, bias-corrected again in every
    replication (see the module docstring); 95% intervals cover the true premium about 93% of
    the time on simulated ACM data of 480 months, against about 82% from the OLS design.

    Parameters
    ----------
    results : ACMResults
        The point estimate.
    replications : int
        Number of bootstrap replications.
    maturities : sequence of int
        Maturities (months) to band.
    confidence : float
        Two-sided coverage, e.g. 0.90 for the 5th and 95th percentiles (``coverage``: its
        deprecated name).
    block_length : int
        Months per moving block.
    chunk_size : int
        Replications per work unit; results depend on it (it fixes the seed streams).
    seed : int
        Root of the ``SeedSequence``.
    executor : concurrent.futures.Executor, optional
        Runs the chunks (``submit``); ``None`` runs them in this process.
    yields : DataFrame, optional
        Yields of the dates to band (e.g. daily, projected with the monthly loadings);
        default the estimation months.
    dgp : {"bias_corrected", "estimated"}
        The bootstrap's data-generating process and re-estimation: ``"bias_corrected"``
        (Kilian 1998: Pope-corrected VAR as the DGP and in each replication) or
        ``"estimated"`` (the fitted model as it is; under-covers, kept for comparison). A
        model fitted with ``var_bias`` is bias-corrected either way.
    """
    model = results.model
    wanted = tuple(int(n) for n in maturities)
    outside = [n for n in wanted if not 1 <= n <= model.max_maturity]
    if outside:
        raise DataError(f"band maturities {outside} are outside 1..{model.max_maturity} months")
    if replications < 2 or chunk_size < 1:
        raise DataError("need at least 2 replications and chunk_size >= 1")
    if coverage is not None:
        warnings.warn("coverage= is deprecated; use confidence=", DeprecationWarning, stacklevel=2)
        confidence = coverage
    if not 0.0 < confidence < 1.0:
        raise DataError(f"confidence must be in (0, 1), got {confidence}")
    n_obs = results.factors.shape[0] - 1
    if not 1 <= block_length <= n_obs:
        raise DataError(f"block_length must be in 1..{n_obs}, got {block_length}")
    if dgp not in ("bias_corrected", "estimated"):
        raise DataError(f"dgp must be 'bias_corrected' or 'estimated', got {dgp!r}")
    design = _design(results, wanted, block_length, dgp)
    bounds = chunk_bounds(replications, chunk_size=chunk_size)
    seeds = spawn_seeds(seed, len(bounds))
    work = [(child, stop - start) for child, (start, stop) in zip(seeds, bounds, strict=True)]
    chunks = map_chunks(run_chunk, work, design, executor=executor)
    draws = np.concatenate(chunks, axis=0)

    decomposition = results.project(yields) if yields is not None else None
    frame = decomposition.factors if decomposition is not None else results.factors
    point = (decomposition.term_premium if decomposition is not None else results.term_premium)[
        list(wanted)
    ]
    factors = frame.to_numpy()
    tail = (1.0 - confidence) / 2.0
    lower = np.empty((factors.shape[0], len(wanted)))
    upper = np.empty_like(lower)
    spread = np.empty_like(lower)
    for column, months in enumerate(wanted):
        premium = -(draws[:, column, :1] + draws[:, column, 1:] @ factors.T) / months * 1200.0
        lower[:, column], upper[:, column] = np.quantile(premium, [tail, 1.0 - tail], axis=0)
        spread[:, column] = premium.std(axis=0, ddof=1)
    columns = pd.Index(wanted, name="maturity")
    return TermPremiumBands(
        estimate=point,
        lower=pd.DataFrame(lower, index=frame.index, columns=columns),
        upper=pd.DataFrame(upper, index=frame.index, columns=columns),
        standard_error=pd.DataFrame(spread, index=frame.index, columns=columns),
        confidence=confidence,
        replications=replications,
        block_length=block_length,
        loadings=draws,
        factors=frame,
        dgp=dgp,
    )


def _design(
    results: ACMResults, maturities: tuple[int, ...], block_length: int, dgp: BootstrapDGP
) -> BootstrapDesign:
    """The bootstrap's data-generating process: the fitted model, bias-corrected by default."""
    model = results.model
    p = results.parameters
    factors = results.factors.to_numpy()
    var = var_from(factors, p.mu, p.phi)
    intercept, beta, slope = p.return_intercept, p.beta, p.return_slope
    residuals = results.return_residuals
    if dgp == "bias_corrected" and model.var_bias == "none":
        # the same excess returns, regressed on the corrected VAR's innovations (ACM step 2)
        returns = intercept + var.innovations @ beta + factors[:-1] @ slope + residuals
        var = estimate_var(
            factors,
            intercept=model.var_intercept,
            bias_correction="pope",
            eigenvalue_cap=model.eigenvalue_cap,
        )
        regression = affine.return_regression(returns, var.innovations, factors[:-1])
        intercept, beta, slope = regression.intercept, regression.beta, regression.slope
        residuals = regression.residuals
    corrected = dgp == "bias_corrected" or model.var_bias != "none"
    return BootstrapDesign(
        factors=factors,
        mu=var.mu,
        phi=var.phi,
        innovations=var.innovations,
        intercept=intercept,
        beta=beta,
        slope=slope,
        return_residuals=residuals,
        delta0=p.delta0,
        delta1=p.delta1,
        short_rate_residuals=results.short_rate_residuals,
        maturities=maturities,
        max_maturity=model.max_maturity,
        var_intercept=model.var_intercept,
        bias_correct=corrected,
        eigenvalue_cap=model.eigenvalue_cap,
        block_length=block_length,
    )
