"""Intervals for correlations: coverage by simulation under GARCH, block lengths, failure paths.

Coverage recipe: 500 pairs of 500 returns with correlation rho and one shared GARCH(1,1)
variance (omega 0.05, alpha 0.12, beta 0.86; tests/crossasset/_simulate.py, seeded); the
nominal 95% interval must cover the true rho in 92%..98% of the pairs. The i.i.d. Fisher-z
interval on the same pairs covers about 89% (shown below), so the test can fail.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import stock_bond_daily_returns
from tests.crossasset._simulate import garch_pairs
from ustpull.crossasset.intervals import (
    CorrelationDifferenceInterval,
    CorrelationInterval,
    bootstrap_indices,
    hac_correlation,
    long_run_variance,
    optimal_block_length,
)
from ustpull.crossasset.stats import hac_ols
from ustpull.errors import DataError

N_SERIES, N_OBS = 500, 500
DATES = pd.bdate_range("2001-01-01", periods=N_OBS)
GARCH = {"alpha": 0.12, "beta": 0.86}


@pytest.fixture(scope="module")
def pairs() -> tuple[np.ndarray, np.ndarray]:
    return garch_pairs(N_SERIES, N_OBS, 0.3, seed=2, **GARCH)


def _coverage(x: np.ndarray, y: np.ndarray, rho: float, method: str, replications: int) -> float:
    hits = 0
    for s in range(len(x)):
        res = CorrelationInterval(
            pd.Series(x[s], DATES),
            pd.Series(y[s], DATES),
        ).fit(method=method, replications=replications, seed=s)
        hits += res.ci_low <= rho <= res.ci_high
    return hits / len(x)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["stationary", "hac"])
def test_correlation_interval_coverage_under_garch(
    pairs: tuple[np.ndarray, np.ndarray], method: str
) -> None:
    x, y = pairs
    coverage = _coverage(x, y, 0.3, method, replications=199)
    # measured: stationary 0.934, hac 0.942
    assert 0.92 <= coverage <= 0.98


def test_iid_fisher_interval_undercovers_under_garch(pairs: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pairs
    z = np.arctanh([np.corrcoef(x[s], y[s])[0, 1] for s in range(N_SERIES)])
    coverage = np.mean(np.abs(z - np.arctanh(0.3)) < 1.96 / np.sqrt(N_OBS - 3))
    assert coverage < 0.92  # measured 0.894: why the robust intervals are needed


@pytest.mark.slow
def test_difference_interval_coverage_under_garch() -> None:
    method = "stationary"
    xa, ya = garch_pairs(N_SERIES, 300, 0.2, seed=11, **GARCH)
    xb, yb = garch_pairs(N_SERIES, 300, 0.6, seed=12, **GARCH)
    da = pd.bdate_range("2001-01-01", periods=300)
    db = pd.bdate_range("2010-01-01", periods=300)
    hits = 0
    for s in range(N_SERIES):
        res = CorrelationDifferenceInterval(
            pd.Series(xa[s], da),
            pd.Series(ya[s], da),
            pd.Series(xb[s], db),
            pd.Series(yb[s], db),
        ).fit(method=method, replications=199, seed=s)
        hits += res.ci_low <= 0.4 <= res.ci_high
    assert 0.92 <= hits / N_SERIES <= 0.98  # measured 0.936 (HAC: 0.948)


def test_newey_west_regression_coverage_under_garch() -> None:
    # y = 0.5 x + u, u with GARCH variance driven by x (heteroskedastic in the regressor)
    x, u = garch_pairs(N_SERIES, N_OBS, 0.0, seed=21, **GARCH)
    u = u * np.abs(x) / np.sqrt(np.mean(x**2))
    hits = 0
    for s in range(N_SERIES):
        fit = hac_ols(pd.Series(0.5 * x[s] + u[s], DATES), pd.Series(x[s], DATES, name="x"))
        half = 1.96 * float(fit.bse["x"])
        hits += abs(float(fit.params["x"]) - 0.5) <= half
    assert 0.92 <= hits / N_SERIES <= 0.98  # measured 0.952


# arch 8.0.0 ``arch.bootstrap.optimal_block_length`` (Sheppard; same PW/PPW rule) on the same
# AR(1) series, stationary block length: phi 0 -> 2.36, 0.5 -> 18.16, 0.9 -> 52.22. arch picks
# m_hat one lag later than the paper's rule, hence small differences.
ARCH_REFERENCE = {0.0: 2.36, 0.5: 18.16, 0.9: 52.22}


def test_block_length_matches_arch_and_grows_with_persistence() -> None:
    rng = np.random.default_rng(5)
    e = rng.standard_normal(4000)
    lengths = []
    for phi, reference in ARCH_REFERENCE.items():
        x = np.empty_like(e)
        x[0] = e[0]
        for t in range(1, len(e)):
            x[t] = phi * x[t - 1] + e[t]
        length = optimal_block_length(x)[0]
        lengths.append(length)
        assert length == pytest.approx(reference, rel=0.01 if phi == 0.0 else 0.06)
    assert lengths[0] < lengths[1] < lengths[2]


def test_stationary_indices_have_the_mean_block_length() -> None:
    index = bootstrap_indices(1000, 8.0, 200, np.random.default_rng(0), method="stationary")
    breaks = np.diff(index, axis=1) != 1
    mean_block = 999 / (breaks.sum(axis=1).mean() + 1)
    assert mean_block == pytest.approx(8.0, rel=0.1)
    assert index.min() >= 0 and index.max() < 1000


def test_hac_correlation_matches_iid_formula_for_gaussian_noise() -> None:
    rng = np.random.default_rng(3)
    z = rng.standard_normal((2, 20000))
    x, y = z[0], 0.5 * z[0] + np.sqrt(0.75) * z[1]
    rho, se = hac_correlation(x, y, lags=0)
    assert rho == pytest.approx(0.5, abs=0.015)
    assert se == pytest.approx((1 - 0.25) / np.sqrt(20000), rel=0.05)
    assert long_run_variance(np.ones(50)) == 0.0


def test_results_carry_ci_method_and_data_through(pairs: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = pairs
    res = CorrelationInterval(pd.Series(x[0], DATES), pd.Series(y[0], DATES)).fit(replications=199)
    record = res.to_dict()
    assert record["data_through"] == f"{DATES[-1]:%Y-%m-%d}"
    assert record["ci"] == [res.ci_low, res.ci_high]
    assert "stationary block bootstrap" in str(record["ci_method"])
    assert res.n_blocks is not None and res.n_blocks[0] >= 10
    again = CorrelationInterval(pd.Series(x[0], DATES), pd.Series(y[0], DATES)).fit(
        replications=199
    )
    assert again.ci == res.ci  # seeded


def test_long_blocks_are_capped_and_too_short_samples_refused() -> None:
    # correlation +0.9 then -0.9: the influence series shifts in mean, so PW asks for long blocks
    rng = np.random.default_rng(1)
    z = rng.standard_normal((2, 200))
    sign = np.where(np.arange(200) < 100, 1.0, -1.0)
    dates = pd.bdate_range("2020-01-01", periods=200)
    x = pd.Series(z[0], dates, name="a")
    y = pd.Series(sign * (0.9 * z[0] + np.sqrt(0.19) * z[1]), dates, name="b")
    capped = CorrelationInterval(x, y).fit(replications=199)
    assert capped.block_capped
    assert capped.block_length == pytest.approx(20.0)
    assert "capped" in capped.ci_method
    with pytest.raises(DataError, match="blocks"):
        CorrelationInterval(x.iloc[:60], y.iloc[:60], min_blocks=40).fit()
    assert CorrelationInterval(x, y).fit(method="hac").method == "hac"


def test_bad_options_are_refused() -> None:
    dates = pd.bdate_range("2020-01-01", periods=50)
    s = pd.Series(np.arange(50.0), dates)
    with pytest.raises(DataError, match="method"):
        CorrelationInterval(s, s).fit(method="jackknife")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="common observations"):
        CorrelationInterval(s.iloc[:10], s.iloc[:10])


def test_real_stock_bond_correlation_before_and_after_2020(shared_data: Path) -> None:
    returns = stock_bond_daily_returns(shared_data)
    before, after = returns.loc["2000":"2019"], returns.loc["2020":]
    recent = CorrelationInterval(after["sp500"], after["gsw10y"]).fit()
    # 878 days 2020-01..2023-07: -0.130 [-0.300, +0.082], about 50 blocks of 17.7 days: the
    # recent correlation is not distinguishable from zero
    assert recent.estimate == pytest.approx(-0.130, abs=0.001)
    assert recent.ci == pytest.approx((-0.300, 0.082), abs=0.002)
    assert recent.n_blocks is not None and recent.n_blocks[0] == pytest.approx(49.6, abs=0.1)
    change = CorrelationDifferenceInterval(
        before["sp500"], before["gsw10y"], after["sp500"], after["gsw10y"]
    ).fit()
    # the rise from -0.366 (2000-2019) is significant: +0.236 [+0.056, +0.460]
    assert change.estimate == pytest.approx(0.236, abs=0.001)
    assert change.ci == pytest.approx((0.056, 0.460), abs=0.002)
    assert change.significant
    hac = CorrelationDifferenceInterval(
        before["sp500"], before["gsw10y"], after["sp500"], after["gsw10y"]
    ).fit(method="hac")
    assert hac.ci == pytest.approx((0.088, 0.384), abs=0.002)
