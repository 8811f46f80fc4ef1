"""Intervals for correlations and their differences under dependence and volatility clustering.

Two families, both robust to GARCH-type heteroskedasticity:

* **Block bootstrap** (:func:`bootstrap_indices`): the stationary bootstrap of Politis and
  Romano (1994, geometric block lengths of mean ``b``) or the moving-block bootstrap of Künsch
  (1989, fixed ``b``), with ``b`` chosen from the data by Politis and White (2004, with the
  correction of Patton, Politis and White 2009) on the correlation's influence series (below).
  A sample always holds at least ``min_blocks`` blocks (default 10): a longer data-driven length
  is capped at ``n / min_blocks`` and the results say so (``block_capped``); a sample too short
  for ``min_blocks`` blocks of two is a :class:`~ustpull.errors.DataError` (use the HAC method).
* **HAC delta method** (:func:`hac_correlation`): with standardised ``x~, y~`` the sample
  correlation is a smooth function of moments (GMM); its influence series is

  .. math:: \\psi_t = \\tilde x_t \\tilde y_t - \\tfrac{\\rho}{2}(\\tilde x_t^2 + \\tilde y_t^2),
            \\qquad \\widehat{\\mathrm{Var}}(\\hat\\rho) = \\widehat{LRV}(\\psi) / n

  with the Newey-West (1987) Bartlett long-run variance (lag ``floor(4 (n/100)^{2/9})``). The
  interval is built on Fisher's ``z = atanh(rho)`` (``se_z = se / (1 - rho^2)``) and mapped back,
  so it stays inside (-1, 1). Under i.i.d. normal data ``LRV(psi) = (1 - rho^2)^2``, the classic
  formula; under GARCH it is larger, which is what the Fisher-z test ignores.

Differences ``rho_B - rho_A`` of two samples (eras) resample each sample on its own (bootstrap)
or add the two HAC variances (the eras are treated as independent).

Every interval is two-sided (``confidence`` default 0.95).

References
----------
Künsch, H. R. (1989), Annals of Statistics 17, 1217-1241.
Politis, D. N. and Romano, J. P. (1994), JASA 89, 1303-1313.
Politis, D. N. and White, H. (2004), Econometric Reviews 23, 53-70; correction Patton, A.,
Politis, D. N. and White, H. (2009), Econometric Reviews 28, 372-375.
Newey, W. K. and West, K. D. (1987, 1994), Econometrica 55; Review of Economic Studies 61.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ustpull._results import Results
from ustpull._typing import BlockBootstrap, IntervalMethod
from ustpull.crossasset.stats import align, newey_west_lags
from ustpull.errors import DataError

__all__ = [
    "CorrelationDifferenceInterval",
    "CorrelationInterval",
    "CorrelationIntervalResults",
    "IntervalMethod",
    "bootstrap_indices",
    "correlation_influence",
    "hac_correlation",
    "hac_standard_error",
    "long_run_variance",
    "optimal_block_length",
    "rowwise_correlation",
]

_CHUNK_ELEMENTS = 1 << 17  # replicates x observations per bootstrap chunk (cache-sized)
_METHODS: tuple[str, ...] = ("stationary", "moving", "hac")


def _flat_top(t: np.ndarray) -> np.ndarray:
    """Politis-Romano trapezoid kernel: 1 on |t| <= 1/2, falling linearly to 0 at |t| = 1."""
    a = np.abs(t)
    return np.where(a <= 0.5, 1.0, np.where(a <= 1.0, 2.0 * (1.0 - a), 0.0))


def _autocovariances(values: np.ndarray, max_lag: int) -> np.ndarray:
    centred = values - values.mean()
    n = len(centred)
    size = 1 << math.ceil(math.log2(2 * n))
    spectrum = np.fft.rfft(centred, size)
    return np.fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1] / n


def optimal_block_length(values: np.ndarray) -> tuple[float, float]:
    """Politis-White (2004) automatic block lengths ``(stationary, circular/moving)``.

    ``m_hat`` is the smallest lag after which ``K_N = max(5, sqrt(log10 n))`` autocorrelations
    are all inside ``+-2 sqrt(log10 n / n)``; with ``M = min(2 max(m_hat, 1), m_max)``,
    ``G = sum_{|k|<=M} lambda(k/M) |k| R(k)`` and ``g(0) = sum lambda(k/M) R(k)``:

    .. math:: b_{SB} = (2 G^2 / D_{SB})^{1/3} n^{1/3},\\; D_{SB} = 2 g(0)^2;\\qquad
              b_{CB} = (2 G^2 / D_{CB})^{1/3} n^{1/3},\\; D_{CB} = \\tfrac43 g(0)^2

    (Patton-Politis-White 2009 correction), each capped at ``min(3 sqrt(n), n / 3)`` and
    floored at 1.
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 10:
        raise DataError(f"optimal_block_length: need at least 10 observations, got {n}")
    k_n = max(5, math.ceil(math.sqrt(math.log10(n))))
    m_max = math.ceil(math.sqrt(n)) + k_n
    cap = min(3.0 * math.sqrt(n), n / 3.0)
    acov = _autocovariances(x, m_max + k_n)
    if acov[0] <= 0.0:
        return 1.0, 1.0
    rho = acov[1:] / acov[0]
    inside = np.abs(rho) < 2.0 * math.sqrt(math.log10(n) / n)
    # run[k] = True when lags k+1..k+K_N are all inside the band
    windows = np.lib.stride_tricks.sliding_window_view(inside, k_n).all(axis=1)
    m_hat = int(np.argmax(windows)) if windows.any() else m_max
    big_m = min(2 * max(m_hat, 1), m_max)  # m_hat = 0 would leave no lag in the kernel
    lags = np.arange(-big_m, big_m + 1)
    weights = _flat_top(lags / big_m) * acov[np.abs(lags)]
    g_term = float(np.sum(weights * np.abs(lags)))
    g_zero = float(np.sum(weights))
    if g_zero <= 0.0:  # a negative spectral estimate at zero: too persistent to tell, be cautious
        return cap, cap
    if g_term == 0.0:
        return 1.0, 1.0
    b_sb = (2.0 * g_term**2 / (2.0 * g_zero**2)) ** (1 / 3) * n ** (1 / 3)
    b_cb = (2.0 * g_term**2 / (4.0 / 3.0 * g_zero**2)) ** (1 / 3) * n ** (1 / 3)
    return float(np.clip(b_sb, 1.0, cap)), float(np.clip(b_cb, 1.0, cap))


def bootstrap_indices(
    n: int,
    block_length: float,
    replications: int,
    rng: np.random.Generator,
    *,
    method: BlockBootstrap = "stationary",
) -> np.ndarray:
    """Resampled positions, shape ``(replications, n)``, all replicates drawn at once.

    ``stationary``: a new block starts at each position with probability ``1 / block_length``
    at a uniform start and wraps around the sample (Politis-Romano 1994). ``moving``: blocks of
    ``round(block_length)`` consecutive positions with uniform starts, truncated to ``n``.
    """
    if method == "moving":
        length = max(1, round(block_length))
        n_blocks = -(-n // length)
        starts = rng.integers(0, n - length + 1, size=(replications, n_blocks))
        return (starts[:, :, None] + np.arange(length)).reshape(replications, -1)[:, :n]
    new_block = rng.random((replications, n), dtype=np.float32) < 1.0 / block_length
    new_block[:, 0] = True
    flat = new_block.ravel()
    block = np.cumsum(flat, dtype=np.int64) - 1  # block number of every flat position
    first_column = np.flatnonzero(flat) % n  # column where each block begins
    # a block that begins at column c0 and draws start s maps column c to s + (c - c0) mod n
    shift = rng.integers(0, n, size=first_column.size) - first_column
    index = np.arange(n)[None, :] + shift[block].reshape(replications, n)
    index[index >= n] -= n
    index[index < 0] += n
    return index


def rowwise_correlation(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of ``x`` with the same row of ``y`` (2-D arrays)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    num = np.einsum("...i,...i->...", xc, yc)
    den = np.sqrt(np.einsum("...i,...i->...", xc, xc) * np.einsum("...i,...i->...", yc, yc))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(num / den, -1.0, 1.0)


def correlation_influence(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Sample correlation and its influence series ``psi_t`` (module docstring)."""
    xs = (x - x.mean()) / x.std()
    ys = (y - y.mean()) / y.std()
    rho = float(np.mean(xs * ys))
    return rho, xs * ys - 0.5 * rho * (xs**2 + ys**2)


def long_run_variance(values: np.ndarray, lags: int | None = None) -> float:
    """Newey-West (Bartlett) long-run variance of a series (its mean removed)."""
    n = len(values)
    lag = newey_west_lags(n) if lags is None else lags
    lag = max(0, min(lag, n - 1))
    acov = _autocovariances(np.asarray(values, dtype=float), lag)
    weights = 1.0 - np.arange(1, lag + 1) / (lag + 1.0)
    return float(acov[0] + 2.0 * np.sum(weights * acov[1:]))


def hac_standard_error(values: np.ndarray, lags: int | None = None) -> float:
    """Newey-West standard error of the mean of a series, ``sqrt(max(LRV, 0) / n)``.

    For an estimator that is the mean of its influence series (a correlation, a contrast of
    means, a regime mean) this is the estimator's HAC standard error.
    """
    return math.sqrt(max(long_run_variance(values, lags), 0.0) / len(values))


def hac_correlation(x: np.ndarray, y: np.ndarray, lags: int | None = None) -> tuple[float, float]:
    """Correlation and its HAC (Newey-West delta-method) standard error."""
    rho, psi = correlation_influence(x, y)
    return rho, hac_standard_error(psi, lags)


def _pair(x: pd.Series, y: pd.Series, label: str) -> pd.DataFrame:
    if x.index.equals(y.index) and isinstance(x.index, pd.DatetimeIndex):
        pair = pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy()}, index=x.index).dropna()
    else:
        pair = align(x.rename("x"), y.rename("y"))
    if len(pair) < 20:
        raise DataError(f"{label}: {len(pair)} common observations of {x.name!r} and {y.name!r}")
    return pair


@dataclass(frozen=True)
class CorrelationIntervalResults(Results):
    """A correlation (or a difference of two) with its interval; read-only."""

    estimate: float
    ci_low: float
    ci_high: float
    standard_error: float
    pvalue: float
    method: str
    confidence: float
    nobs: tuple[int, ...]
    block_length: float | None
    n_blocks: tuple[float, ...] | None
    data_through: pd.Timestamp
    label: str = "correlation"
    block_capped: bool = False
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def ci(self) -> tuple[float, float]:
        """``(low, high)`` of the two-sided interval."""
        return (self.ci_low, self.ci_high)

    @property
    def significant(self) -> bool:
        """True when the interval excludes zero."""
        return self.ci_low > 0.0 or self.ci_high < 0.0

    @property
    def ci_method(self) -> str:
        """How the interval was made, in words."""
        if self.method == "hac":
            return "Newey-West HAC delta method on Fisher z"
        capped = ", capped at n/min_blocks" if self.block_capped else ""
        return (
            f"{self.method} block bootstrap (Politis-White block length "
            f"{self.block_length:.1f}{capped}), percentile interval"
        )

    def to_series(self) -> pd.Series:
        """Labelled fields."""
        return pd.Series(
            {
                "estimate": self.estimate,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "standard_error": self.standard_error,
                "pvalue": self.pvalue,
            },
            name=self.label,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields in the findings layout (``ci``, ``ci_method``, ``data_through``)."""
        return {
            "value": self.estimate,
            "ci": [self.ci_low, self.ci_high],
            "ci_method": self.ci_method,
            "confidence": self.confidence,
            "standard_error": self.standard_error,
            "pvalue": self.pvalue,
            "nobs": list(self.nobs),
            "n_blocks": None if self.n_blocks is None else list(self.n_blocks),
            "block_capped": self.block_capped,
            "data_through": f"{self.data_through:%Y-%m-%d}",
        }

    def summary(self) -> str:
        """One line."""
        return (
            f"{self.label} {self.estimate:+.3f} [{self.ci_low:+.3f}, {self.ci_high:+.3f}] "
            f"({100 * self.confidence:.0f}%, {self.ci_method}; n={list(self.nobs)}, "
            f"p={self.pvalue:.3g}, data through {self.data_through:%Y-%m-%d})"
        )


def _check_options(method: str, confidence: float, replications: int) -> None:
    if method not in _METHODS:
        raise DataError(f"method must be one of {list(_METHODS)}, got {method!r}")
    if not 0.5 < confidence < 1.0:
        raise DataError(f"confidence must be in (0.5, 1), got {confidence}")
    if replications < 99:
        raise DataError(f"replications must be at least 99, got {replications}")


class _Sample:
    """One sample's arrays, block length and bootstrap replicates of its correlation."""

    def __init__(self, pair: pd.DataFrame, name: str, min_blocks: float) -> None:
        self.x = pair["x"].to_numpy(dtype=float)
        self.y = pair["y"].to_numpy(dtype=float)
        self.end = pd.Timestamp(pair.index[-1])
        self.rho, psi = correlation_influence(self.x, self.y)
        self.n = len(self.x)
        self.block_sb, self.block_mb = optimal_block_length(psi)
        self.name = name
        self.min_blocks = min_blocks

    def block(self, method: str) -> float:
        """The Politis-White length, capped so that the sample holds ``min_blocks`` blocks."""
        length = self.block_sb if method == "stationary" else self.block_mb
        cap = self.n / self.min_blocks
        if cap < 2.0:
            raise DataError(
                f"{self.name}: {self.n} observations cannot hold {self.min_blocks:g} blocks of "
                f"at least 2 (data-driven length {length:.1f}); use method='hac' or a longer sample"
            )
        return min(length, cap)

    def capped(self, method: str) -> bool:
        length = self.block_sb if method == "stationary" else self.block_mb
        return length > self.n / self.min_blocks

    def replicates(self, method: str, replications: int, rng: np.random.Generator) -> np.ndarray:
        """Bootstrap correlations, in chunks of replicates small enough to stay in cache."""
        chunk = max(1, _CHUNK_ELEMENTS // self.n)
        block = self.block(method)
        parts = []
        for start in range(0, replications, chunk):
            size = min(chunk, replications - start)
            index = bootstrap_indices(self.n, block, size, rng, method=method)  # type: ignore[arg-type]
            parts.append(rowwise_correlation(self.x[index], self.y[index]))
        return np.concatenate(parts)

    def hac(self, lags: int | None) -> float:
        return hac_correlation(self.x, self.y, lags)[1]


def _percentile_interval(
    reps: np.ndarray, estimate: float, confidence: float
) -> tuple[float, float, float, float]:
    """``(ci_low, ci_high, standard_error, pvalue)`` of an estimate from its bootstrap
    replicates: percentile interval, replicates' standard deviation, and the share of centred
    replicates at least as far from zero as the estimate (``H0: value = 0``)."""
    tail = (1.0 - confidence) / 2.0
    low, high = (float(v) for v in np.nanquantile(reps, [tail, 1.0 - tail]))
    se = float(np.nanstd(reps, ddof=1))
    pvalue = float(np.mean(np.abs(reps - estimate) >= abs(estimate)))
    return low, high, se, pvalue


def _fisher_interval(rho: float, se: float, confidence: float) -> tuple[float, float, float]:
    z = math.atanh(min(max(rho, -0.999999), 0.999999))
    se_z = se / max(1.0 - rho**2, 1e-12)
    crit = float(scipy_stats.norm.ppf(0.5 + confidence / 2.0))
    pvalue = 2.0 * float(scipy_stats.norm.sf(abs(z) / se_z)) if se_z > 0 else 0.0
    return math.tanh(z - crit * se_z), math.tanh(z + crit * se_z), pvalue


class _IntervalModel:
    """:meth:`fit` of the correlation intervals, written once: the inference options, the
    bootstrap's blocks over the model's samples, the results. A model gives its samples, its
    estimate, its HAC interval and its bootstrap replicates."""

    _samples: tuple[_Sample, ...]
    _label = "correlation"

    def fit(
        self,
        *,
        method: IntervalMethod = "stationary",
        confidence: float = 0.95,
        replications: int = 999,
        seed: int = 0,
        hac_lags: int | None = None,
    ) -> CorrelationIntervalResults:
        """Estimate, interval, standard error and p-value (of ``H0: rho = 0`` for a
        correlation, of ``H0: rho_B = rho_A`` for a difference).

        Parameters
        ----------
        method
            ``"stationary"`` (default) or ``"moving"`` block bootstrap, or ``"hac"`` (module
            docstring).
        confidence
            Two-sided level.
        replications
            Bootstrap replicates.
        seed
            Seed of the bootstrap; the same inputs and seed give the same numbers.
        hac_lags
            Newey-West lags of ``"hac"`` (default: :func:`newey_west_lags`).
        """
        _check_options(method, confidence, replications)
        samples, estimate = self._samples, self._estimate()
        if method == "hac":
            low, high, se, pvalue = self._hac_interval(confidence, hac_lags)
            block, blocks, capped = None, None, False
        else:
            reps = self._replicates(method, replications, np.random.default_rng(seed))
            low, high, se, pvalue = _percentile_interval(reps, estimate, confidence)
            block = max(sample.block(method) for sample in samples)
            blocks = tuple(sample.n / sample.block(method) for sample in samples)
            capped = any(sample.capped(method) for sample in samples)
        return CorrelationIntervalResults(
            estimate=estimate,
            ci_low=low,
            ci_high=high,
            standard_error=se,
            pvalue=pvalue,
            method=method,
            confidence=confidence,
            nobs=tuple(sample.n for sample in samples),
            block_length=block,
            n_blocks=blocks,
            data_through=max(sample.end for sample in samples),
            label=self._label,
            block_capped=capped,
            extra=self._extra(),
        )

    def _estimate(self) -> float:
        raise NotImplementedError

    def _hac_interval(self, confidence: float, lags: int | None) -> tuple[float, ...]:
        """``(ci_low, ci_high, standard_error, pvalue)`` by the HAC delta method."""
        raise NotImplementedError

    def _replicates(self, method: str, replications: int, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def _extra(self) -> dict[str, float]:
        return {}


class CorrelationInterval(_IntervalModel):
    """Pearson correlation of two dependent series with a robust interval (specification).

    The specification is the data; the inference options are arguments of :meth:`fit`.

    Parameters
    ----------
    x, y
        Date-indexed series (e.g. stock and bond returns); aligned on common dates.
    min_blocks
        Fewest blocks a bootstrap sample may hold.

    Examples
    --------
    >>> CorrelationInterval(stocks, bonds).fit(replications=1999).ci  # doctest: +SKIP
    """

    def __init__(
        self,
        x: pd.Series,
        y: pd.Series,
        *,
        min_blocks: float = 10.0,
    ) -> None:
        self._sample = _Sample(
            _pair(x, y, "CorrelationInterval"), "CorrelationInterval", min_blocks
        )
        self._samples = (self._sample,)

    def _estimate(self) -> float:
        return self._sample.rho

    def _hac_interval(self, confidence: float, lags: int | None) -> tuple[float, ...]:
        se = self._sample.hac(lags)
        low, high, pvalue = _fisher_interval(self._sample.rho, se, confidence)
        return low, high, se, pvalue

    def _replicates(self, method: str, replications: int, rng: np.random.Generator) -> np.ndarray:
        return self._sample.replicates(method, replications, rng)


class CorrelationDifferenceInterval(_IntervalModel):
    """``rho_B - rho_A`` for the same pair in two samples (e.g. eras), with an interval.

    Each sample is resampled on its own (bootstrap) or the HAC variances add (the samples are
    taken as independent). Parameters as :class:`CorrelationInterval`; ``(x_a, y_a)`` is the
    first sample, ``(x_b, y_b)`` the second.
    """

    _label = "correlation difference (B - A)"

    def __init__(
        self,
        x_a: pd.Series,
        y_a: pd.Series,
        x_b: pd.Series,
        y_b: pd.Series,
        *,
        min_blocks: float = 10.0,
    ) -> None:
        label = "CorrelationDifferenceInterval"
        self._a = _Sample(_pair(x_a, y_a, f"{label} sample A"), f"{label} sample A", min_blocks)
        self._b = _Sample(_pair(x_b, y_b, f"{label} sample B"), f"{label} sample B", min_blocks)
        self._samples = (self._a, self._b)

    def _estimate(self) -> float:
        return self._b.rho - self._a.rho

    def _hac_interval(self, confidence: float, lags: int | None) -> tuple[float, ...]:
        # delta method on Fisher z of each sample, then back to the correlation scale
        diff = self._estimate()
        se = math.sqrt(self._a.hac(lags) ** 2 + self._b.hac(lags) ** 2)
        crit = float(scipy_stats.norm.ppf(1.0 - (1.0 - confidence) / 2.0))
        pvalue = 2.0 * float(scipy_stats.norm.sf(abs(diff) / se))
        return diff - crit * se, diff + crit * se, se, pvalue

    def _replicates(self, method: str, replications: int, rng: np.random.Generator) -> np.ndarray:
        # one generator: sample B's draws, then sample A's
        return self._b.replicates(method, replications, rng) - self._a.replicates(
            method, replications, rng
        )

    def _extra(self) -> dict[str, float]:
        return {"rho_a": self._a.rho, "rho_b": self._b.rho}
