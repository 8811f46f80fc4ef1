"""Inference on connectedness: percentile intervals from draws, and a test of change in TCI.

Intervals: with ``D`` draws of the coefficients (:mod:`.model`), the interval of a measure at
level :math:`1 - \\alpha` is the :math:`\\alpha/2` and :math:`1 - \\alpha/2` quantiles of the
measure over the draws (percentile intervals); for a measure averaged over the dates of a
dynamic model, mean :math:`\\pm z_{1-\\alpha/2}\\, \\hat\\omega / \\sqrt{T}` with the HAC
long-run variance below. Coefficient noise raises connectedness on average (squared impulse
responses), so the draws' distribution sits slightly above the estimate: the bands show the
estimation uncertainty, not a bias correction.

Change in total connectedness between two periods ``a`` and ``b`` (dates of the TCI series):
the difference of the period means :math:`d = \\bar c_b - \\bar c_a` has variance
:math:`\\hat\\omega_a^2 / n_a + \\hat\\omega_b^2 / n_b` with :math:`\\hat\\omega^2` the Newey-West
(Bartlett kernel) long-run variance of the series within each period, and
:math:`z = d / \\operatorname{se}(d)` is compared with the standard normal. The dynamic TCI is
strongly autocorrelated by construction (rolling windows of ``W`` rows share data for ``W - 1``
dates; a TVP-VAR with forgetting factor :math:`\\kappa_1` remembers about
:math:`1/(1-\\kappa_1)` rows), so the bandwidth defaults to that memory, not to a rule of thumb
for weakly dependent data. The periods must not overlap.

References
----------
Newey, W. K. and K. D. West (1987), "A simple, positive semi-definite, heteroskedasticity and
autocorrelation consistent covariance matrix", Econometrica 55(3), 703-708.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ustpull._typing import FloatArray


def percentile_interval(samples: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Lower and upper percentile bounds over the first axis of ``samples``."""
    tail = 0.5 * (1.0 - level)
    lower, upper = np.quantile(samples, [tail, 1.0 - tail], axis=0)
    return lower, upper


def mean_interval(
    series: FloatArray, level: float, *, bandwidth: int
) -> tuple[FloatArray, FloatArray]:
    """Normal interval of the time mean of each column of ``(T, K)`` ``series`` (HAC s.e.)."""
    n_obs = series.shape[0]
    std_error = np.sqrt(
        [max(long_run_variance(column, bandwidth), 0.0) / n_obs for column in series.T]
    )
    half_width = stats.norm.ppf(0.5 + 0.5 * level) * std_error
    mean = series.mean(axis=0)
    return mean - half_width, mean + half_width


def long_run_variance(values: FloatArray, bandwidth: int) -> float:
    """Newey-West long-run variance of a series with Bartlett weights up to ``bandwidth`` lags."""
    centred = values - values.mean()
    n_obs = centred.size
    lags = min(bandwidth, n_obs - 1)
    autocov = np.array([centred[k:] @ centred[: n_obs - k] / n_obs for k in range(lags + 1)])
    weights = 1.0 - np.arange(1, lags + 1) / (lags + 1)
    return float(autocov[0] + 2.0 * weights @ autocov[1:])


@dataclass(frozen=True)
class ChangeTest:
    """Test of equal mean total connectedness in two periods (percent, two-sided).

    Attributes
    ----------
    first, second
        The two periods as ``(start, end)`` labels, and their mean TCI ``mean_first``,
        ``mean_second`` over ``n_first``, ``n_second`` dates.
    difference
        ``mean_second - mean_first`` (percentage points of forecast error variance).
    std_error, statistic, pvalue
        HAC standard error, ``difference / std_error`` and its two-sided normal p-value.
    bandwidth
        Bartlett lags of the long-run variances.
    """

    first: tuple[str, str]
    second: tuple[str, str]
    mean_first: float
    mean_second: float
    n_first: int
    n_second: int
    difference: float
    std_error: float
    statistic: float
    pvalue: float
    bandwidth: int

    def __str__(self) -> str:
        return (
            f"Change in total connectedness {self.first[0]}..{self.first[1]} -> "
            f"{self.second[0]}..{self.second[1]}: {self.mean_first:.2f} -> "
            f"{self.mean_second:.2f} ({self.difference:+.2f} pp, HAC s.e. {self.std_error:.2f}, "
            f"z = {self.statistic:.2f}, p = {self.pvalue:.3f}, Bartlett lags {self.bandwidth})"
        )


def tci_change_test(
    tci: pd.Series, first: tuple[object, object], second: tuple[object, object], *, bandwidth: int
) -> ChangeTest:
    """Test whether the mean of ``tci`` differs between the periods ``first`` and ``second``.

    Raises
    ------
    ValueError
        When a period holds fewer than two dates, or the periods overlap.
    """
    parts = []
    for name, (start, end) in (("first", first), ("second", second)):
        part = tci.loc[start:end].dropna()
        if len(part) < 2:
            raise ValueError(f"the {name} period {start}..{end} holds {len(part)} dates of TCI")
        parts.append(part)
    if parts[0].index.intersection(parts[1].index).size:
        raise ValueError(f"the periods {first} and {second} overlap")
    means = [float(part.mean()) for part in parts]
    variance = sum(
        long_run_variance(part.to_numpy(dtype=np.float64), bandwidth) / len(part) for part in parts
    )
    std_error = math.sqrt(max(variance, 0.0))
    difference = means[1] - means[0]
    statistic = difference / std_error if std_error > 0 else math.inf
    return ChangeTest(
        first=(str(parts[0].index[0]), str(parts[0].index[-1])),
        second=(str(parts[1].index[0]), str(parts[1].index[-1])),
        mean_first=means[0],
        mean_second=means[1],
        n_first=len(parts[0]),
        n_second=len(parts[1]),
        difference=difference,
        std_error=std_error,
        statistic=statistic,
        pvalue=float(2.0 * stats.norm.sf(abs(statistic))),
        bandwidth=bandwidth,
    )
