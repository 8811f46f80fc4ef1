"""``TermPremiumBands.interval``: the report's term-premium intervals from the chart's draws.

Recipes: the session's synthetic truth (tests/termpremium/synthetic.py, 3 factors, 1 bp noise)
for the identities; for coverage, 60 paths of 480 months (seeds 100..159) each fitted by ACM
with 3 factors and 100 residual-block bootstrap replications (seed = path number).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.termpremium.synthetic import AffineTruth, simulate_affine
from ustpull.errors import DataError
from ustpull.termpremium.acm import ACM, ACMResults
from ustpull.termpremium.bands import TermPremiumBands


@pytest.fixture(scope="module")
def fitted(truth: AffineTruth) -> tuple[ACMResults, TermPremiumBands]:
    results = ACM(truth.yields.iloc[:480], n_factors=3).fit()
    return results, results.bands(100, chunk_size=50, seed=5, maturities=(60, 120))


def test_one_date_at_the_band_level_is_the_band(
    fitted: tuple[ACMResults, TermPremiumBands],
) -> None:
    # the same draws: at 90% on one date the interval is the chart's band, to the bit
    _, bands = fitted
    day = bands.lower.index[200]
    low, high = bands.interval({120: 1.0}, pd.DatetimeIndex([day]), confidence=bands.confidence)
    assert low == pytest.approx(bands.lower.loc[day, 120], abs=1e-12)
    assert high == pytest.approx(bands.upper.loc[day, 120], abs=1e-12)
    wide = bands.interval({120: 1.0}, pd.DatetimeIndex([day]))
    assert wide[0] < low and wide[1] > high  # 95% is wider than the 90% band


def test_mean_and_forward_intervals(fitted: tuple[ACMResults, TermPremiumBands]) -> None:
    results, bands = fitted
    dates = bands.lower.index[-12:]
    low, high = bands.interval({120: 1.0}, dates)
    mean = results.term_premium[120].loc[dates].mean()
    assert low < mean < high
    # the mean of 12 months is no wider than the widest single month's interval
    single = [bands.interval({120: 1.0}, pd.DatetimeIndex([d])) for d in dates]
    assert high - low <= max(h - lo for lo, h in single) + 1e-12
    last = pd.DatetimeIndex([dates[-1]])
    forward = bands.interval({120: 2.0, 60: -1.0}, last)
    point = 2 * results.term_premium[120].iloc[-1] - results.term_premium[60].iloc[-1]
    assert forward[0] < point < forward[1]


def test_bad_requests(fitted: tuple[ACMResults, TermPremiumBands]) -> None:
    _, bands = fitted
    last = bands.lower.index[-1:]
    with pytest.raises(DataError, match="not banded"):
        bands.interval({84: 1.0}, last)
    with pytest.raises(DataError, match="confidence"):
        bands.interval({120: 1.0}, last, confidence=1.5)
    bare = TermPremiumBands(
        bands.estimate, bands.lower, bands.upper, bands.standard_error, 0.9, 100, 12
    )
    with pytest.raises(DataError, match="keep no replications"):
        bare.interval({120: 1.0}, last)


def test_coverage_of_the_true_premium_on_simulated_paths() -> None:
    """Measured coverage of the nominal 95% interval of the latest 10-year premium.

    The residual block bootstrap holds the observed factor path fixed (a conditional design)
    and re-estimates a persistent VAR, so it under-covers: measured 81% (200 paths, 200
    replications; latest premium 81.5%, 12-month mean 83.5%, 5y5y 80.5%) and 80% here (60
    paths, 100 replications, about 11 s of CPU). The methodology states this limit; the test
    pins it so a change of the method that moves coverage is seen.
    """
    hits = []
    for path in range(60):
        truth = simulate_affine(480, seed=100 + path)
        results = ACM(truth.yields, n_factors=3).fit()
        bands = results.bands(100, chunk_size=100, seed=path, maturities=(60, 120))
        low, high = bands.interval({120: 1.0}, truth.yields.index[-1:])
        hits.append(low <= truth.term_premium[120].iloc[-1] <= high)
    coverage = float(np.mean(hits))
    assert 0.70 <= coverage <= 0.93
