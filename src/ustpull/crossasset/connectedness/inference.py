"""Inference on connectedness: percentile intervals from draws, and a test of change in TCI.

Intervals: with ``D`` draws of the coefficients (:mod:`.model`), the interval of a measure at
level :math:`1 - \\alpha` is the :math:`\\alpha/2` and :math:`1 - \\alpha/2` quantiles of the
measure over the draws (percentile intervals). Coefficient noise raises connectedness on
average (squared impulse responses), so the draws' distribution sits slightly above the
estimate: the bands show the estimation uncertainty, not a bias correction.

Time means of a dynamic model's measures (TCI, cTCI, NET per date) are far more persistent than
the data: a TVP-VAR with forgetting factor :math:`\\kappa_1` remembers about
:math:`m = 1/(1-\\kappa_1)` rows (100 weeks at 0.99; a rolling VAR its window), and the weekly
TCI's autocorrelation is still 0.67 at 52 weeks and 0.38 at 104. A Newey-West interval with
:math:`m` Bartlett lags and normal critical values covered the true mean of such a series
(AR(1) with coefficient 0.99 and GARCH(1,1) Student-t shocks, 1,020 weeks) only 68% of the
time at nominal 95% (``tests/crossasset/test_coverage_tvp.py``). The interval is therefore the
equal-weighted cosine (EWC) estimator with fixed-:math:`b` Student-t critical values (Müller
2007; Lazarus, Lewis, Stock and Watson 2018): with the demeaned series :math:`u_t`,

.. math::

    \\Lambda_j = \\sqrt{2/T} \\sum_{t=1}^{T} \\cos\\big(\\pi j (t - \\tfrac12) / T\\big) u_t,
    \\qquad \\hat\\omega^2 = \\frac{1}{q} \\sum_{j=1}^{q} \\Lambda_j^2,
    \\qquad \\bar c \\pm t_{q,\\,1-\\alpha/2}\\, \\hat\\omega / \\sqrt{T},

where only the :math:`q` lowest frequencies enter. :math:`q` follows the memory,
:math:`q = \\max(2, \\lfloor T / (5 m) \\rfloor)` (two for the weekly sample: it spans about ten
memories). Coverage in the same simulation (1,000 series, ``benchmarks/_coverage_b.py``):
94.5% at AR 0.99 (Newey-West: 68.1%), 91.6% at 0.995 and 91.6% with 444 months and a
100-month memory (the monthly panels; Newey-West 50.7% and 62.6%): the mean of a series that
close to a unit root is barely identified in the sample, the interval is wide accordingly and
still a little short of 95% there.

Change in total connectedness between two periods ``a`` and ``b`` (dates of the TCI series):
:math:`d = \\bar c_b - \\bar c_a` with variance :math:`v_a + v_b`,
:math:`v = \\hat\\omega^2 / n` per period (EWC as above, :math:`q` from the period's length), and
:math:`d / \\operatorname{se}(d)` compared with Student t on the Welch-Satterthwaite degrees of
freedom :math:`(v_a + v_b)^2 / (v_a^2 / q_a + v_b^2 / q_b)`. The periods must not overlap.
A period shorter than a few memories says little about its own level's uncertainty: for the
report's periods (522 and 117 weeks) of an AR(1) 0.99 series the 95% interval of the change
covers a zero change 81.5% of the time (Newey-West with 100 lags: 47.4%; 1,000 series,
``benchmarks/_coverage_b.py``), so a change that is not significant here is not a close call.
The report's finding ``connectedness.tci_change`` therefore compares constant VARs fitted to
the two periods' data instead (:mod:`.period_change`, 96% coverage in its simulation).

References
----------
Müller, U. K. (2007), "A theory of robust long-run variance estimation", Journal of
Econometrics 141(2), 1331-1352.
Lazarus, E., D. J. Lewis, J. H. Stock and M. W. Watson (2018), "HAR inference:
recommendations for practice", Journal of Business & Economic Statistics 36(4), 541-559.
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

#: Memories per cosine weight: q = max(2, T // (MEMORIES_PER_WEIGHT * memory)).
MEMORIES_PER_WEIGHT = 5


def percentile_interval(samples: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Lower and upper percentile bounds over the first axis of ``samples``."""
    tail = 0.5 * (1.0 - level)
    lower, upper = np.quantile(samples, [tail, 1.0 - tail], axis=0)
    return lower, upper


def cosine_weights(n_obs: int, memory: int) -> int:
    """Number ``q`` of cosine weights of the EWC long-run variance for ``n_obs`` rows."""
    if memory < 1:
        raise ValueError(f"memory must be at least one row, got {memory}")
    return max(2, n_obs // (MEMORIES_PER_WEIGHT * memory))


def cosine_long_run_variance(series: FloatArray, weights: int) -> FloatArray:
    """EWC long-run variance (``(K,)``) of each column of ``(T, K)`` ``series`` with ``weights``
    cosines (module docstring)."""
    n_obs = series.shape[0]
    centred = series - series.mean(axis=0)
    position = (np.arange(1, n_obs + 1) - 0.5) / n_obs
    basis = np.sqrt(2.0 / n_obs) * np.cos(np.pi * np.outer(np.arange(1, weights + 1), position))
    projections = basis @ centred  # (q, K)
    return np.asarray((projections**2).mean(axis=0), dtype=np.float64)


def mean_interval(
    series: FloatArray, level: float, *, memory: int
) -> tuple[FloatArray, FloatArray]:
    """EWC interval of the time mean of each column of ``(T, K)`` ``series`` (module docstring);
    ``memory`` in rows (``1 / (1 - kappa1)`` for a TVP-VAR, the window for a rolling VAR)."""
    n_obs = series.shape[0]
    weights = cosine_weights(n_obs, memory)
    std_error = np.sqrt(cosine_long_run_variance(series, weights) / n_obs)
    half_width = stats.t.ppf(0.5 + 0.5 * level, weights) * std_error
    mean = series.mean(axis=0)
    return mean - half_width, mean + half_width


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
        EWC standard error, ``difference / std_error`` and its two-sided Student-t p-value.
    memory
        Rows of the model's memory (sets the cosine weights of each period).
    degrees_of_freedom
        Welch-Satterthwaite degrees of freedom of the t reference.
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
    memory: int
    degrees_of_freedom: float

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Interval of the difference at ``level`` (Student t, :attr:`degrees_of_freedom`)."""
        half = float(stats.t.ppf(0.5 + 0.5 * level, self.degrees_of_freedom)) * self.std_error
        return self.difference - half, self.difference + half

    def __str__(self) -> str:
        return (
            f"Change in total connectedness {self.first[0]}..{self.first[1]} -> "
            f"{self.second[0]}..{self.second[1]}: {self.mean_first:.2f} -> "
            f"{self.mean_second:.2f} ({self.difference:+.2f} pp, EWC s.e. {self.std_error:.2f}, "
            f"t = {self.statistic:.2f} on {self.degrees_of_freedom:.1f} df, "
            f"p = {self.pvalue:.3f}, memory {self.memory} rows)"
        )


def tci_change_test(
    tci: pd.Series, first: tuple[object, object], second: tuple[object, object], *, memory: int
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
    weights = [cosine_weights(len(part), memory) for part in parts]
    variances = [
        float(cosine_long_run_variance(part.to_numpy(dtype=np.float64)[:, None], q)[0]) / len(part)
        for part, q in zip(parts, weights, strict=True)
    ]
    variance = sum(variances)
    std_error = math.sqrt(max(variance, 0.0))
    spread = sum(v**2 / q for v, q in zip(variances, weights, strict=True))
    dof = variance**2 / spread if spread > 0 else float(sum(weights))
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
        pvalue=float(2.0 * stats.t.sf(abs(statistic), dof)),
        memory=memory,
        degrees_of_freedom=float(dof),
    )
