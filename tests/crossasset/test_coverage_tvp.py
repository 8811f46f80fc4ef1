"""Coverage of the interval of a TVP connectedness time mean (issue 16, must show).

Design (tests/crossasset/_coverage.py): 500 series of 1,020 weeks (the weekly TCI's sample,
2004-09..2024-04) from an AR(1) with coefficient 0.99 (the filter's memory of 100 weeks; the
real TCI's autocorrelation is 0.67 at 52 weeks and 0.38 at 104) around a known mean of zero,
GARCH(1,1) Student-t(5) shocks (alpha 0.10, beta 0.85). Monte-Carlo standard error about 1 pp.

Measured (seed 16, 500 series): EWC interval 95.0%; the Newey-West interval with 100 Bartlett
lags and normal critical values that the report used before: 66.2%. At 1,000 series
(benchmarks/_coverage_b.py, seed 16): AR 0.99 94.5% (Newey-West 68.1%); the stated limits,
AR 0.995 and 444 months (the monthly panels), 91.6% each (Newey-West 50.7% and 62.6%).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.crossasset._coverage import tvp_mean_coverage
from ustpull.crossasset.connectedness.inference import (
    cosine_long_run_variance,
    cosine_weights,
    mean_interval,
)


def test_time_mean_interval_covers_a_tci_like_series() -> None:
    coverage = tvp_mean_coverage(500, 16, phi=0.99, n_obs=1020, memory=100)
    assert 0.92 <= coverage["ewc"] <= 0.98
    assert coverage["newey-west"] < 0.80  # the interval it replaced; shows the test can fail


def test_cosine_weights_follow_the_memory() -> None:
    assert cosine_weights(1020, 100) == 2
    assert cosine_weights(4000, 100) == 8
    assert cosine_weights(300, 20) == 3
    with pytest.raises(ValueError, match="memory"):
        cosine_weights(100, 0)


def test_ewc_variance_of_white_noise_and_interval_width() -> None:
    # white noise of variance 4: the EWC long-run variance averages q chi2(1) draws times 4
    rng = np.random.default_rng(0)
    noise = 2.0 * rng.standard_normal((400, 2000))
    lrv = cosine_long_run_variance(noise, 10)
    assert np.mean(lrv) == pytest.approx(4.0, rel=0.03)
    lower, upper = mean_interval(noise[:, :1], 0.95, memory=8)  # q = 10, t(10) 2.228
    half = 2.228139 * np.sqrt(lrv[0] / 400)
    assert (upper[0] - lower[0]) / 2 == pytest.approx(half, rel=1e-6)
