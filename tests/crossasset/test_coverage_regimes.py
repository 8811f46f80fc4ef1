"""Coverage of the regime-switching intervals (issue 16, must show; smaller than the benchmark).

Design (tests/crossasset/_coverage.py, as the stocks study fits the model): 600 weeks of daily
return pairs, a weekly two-state Markov chain (stay 0.96 in both: expected durations 25 weeks,
as fitted on the real data) setting the pair's correlation to -0.5 or 0.4, and in each series
its own daily GARCH(1,1) (omega 0.02, alpha 0.08, beta 0.90), so returns cluster within the
regimes; each daily return is divided by its GARCH volatility (the filter at the true
parameters) and summed to weeks (``standardised_weekly``), then
``RegimeSwitchingCorrelation(...).fit()`` gives 95% intervals of both correlations and both
expected durations.

One fit takes about 0.15 s of CPU (500 series: about 75 s of CPU, over the 60 s a CI test
may take), so this test runs 160 series, not 500, and pools the two
regimes: 320 correlation and 320 duration intervals, Monte-Carlo standard error about 1.3 pp,
so it asserts [91%, 99%] (three standard errors around 95%); measured here 91.6% (correlations)
and 95.3% (durations). The [92%, 98%] check at 1,000 series is benchmarks/_coverage_b.py
(seed 16): QML sandwich (the default now) correlations 94.5% / 93.7%, durations 94.2% / 95.5%;
the inverse Hessian used before 94.1% / 92.4% and 93.9% / 94.7% (at 500 series, seed 7:
sandwich 94.2% / 94.4%, 95.0% / 93.0%; inverse Hessian 91.8% / 94.0%, 94.6% / 91.8%).
Without the GARCH standardisation (raw weekly sums) the correlations are biased towards zero
and covered 43-46% of the time (200 series): the second test, why the study standardises.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.crossasset._coverage import regime_coverage


@pytest.mark.slow  # 160 model fits: the smallest sample that can check a 95% coverage
def test_regime_intervals_cover_with_garch_within_regimes() -> None:
    coverage = regime_coverage(160, 16)
    correlation = np.mean([coverage["robust correlation 0"], coverage["robust correlation 1"]])
    duration = np.mean([coverage["robust duration 0"], coverage["robust duration 1"]])
    assert 0.91 <= correlation <= 0.99
    assert 0.91 <= duration <= 0.99


def test_regimes_of_unstandardised_garch_returns_miss_the_correlations() -> None:
    coverage = regime_coverage(20, 16, volatility="none")
    assert max(coverage["robust correlation 0"], coverage["robust correlation 1"]) < 0.75
