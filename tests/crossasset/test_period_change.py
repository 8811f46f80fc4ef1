"""Constant-VAR change in total connectedness between two periods (period_change.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._coverage_tci import population_tci, simulate_period
from ustpull.crossasset.connectedness.period_change import (
    block_length,
    bootstrap_period_tci,
    period_tci_change,
    regression_rows,
    var_from_cross_products,
    var_total_connectedness,
)
from ustpull.crossasset.connectedness.var_ols import rolling_var_ols


def _sample(n_obs: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mix = np.array([[1.0, 0.5, 0.3, 0.2], [0, 1.0, 0.4, 0.1], [0, 0, 1.0, 0.5], [0, 0, 0, 1.0]])
    return rng.standard_normal((n_obs, 4)) @ mix


@pytest.mark.parametrize("lags", [1, 2])
def test_cross_product_fit_equals_the_ols_var(lags: int) -> None:
    values = _sample(300, 1)
    reference = rolling_var_ols(values, lags=lags, window=300)
    rows = regression_rows(values - values.mean(axis=0), lags)
    lag_matrices, sigma = var_from_cross_products(rows.T @ rows, 4, lags, len(rows))
    np.testing.assert_allclose(lag_matrices, reference.lag_matrices[0], atol=1e-12)
    np.testing.assert_allclose(sigma, reference.sigma[0], atol=1e-12)


def test_bootstrap_is_batched_and_centred() -> None:
    rng = np.random.default_rng(2)
    values = _sample(400, 2)
    estimate, draws = bootstrap_period_tci(values, lags=1, horizon=10, replications=400, rng=rng)
    rows = regression_rows(values - values.mean(axis=0), 1)
    direct = var_total_connectedness(*var_from_cross_products(rows.T @ rows, 4, 1, 399), 10)
    assert float(estimate) == pytest.approx(float(direct), rel=1e-12)
    assert draws.shape == (400,)
    # i.i.d. normal data: noise in the refits raises the TCI a little (0.6 pp, measured); the
    # spread (2.0 pp) is the TCI's standard error at 400 rows
    assert 0.0 < draws.mean() - estimate < 1.0
    assert 1.0 < draws.std() < 3.5
    batch, batch_draws = bootstrap_period_tci(
        np.stack([values, values[::-1]]), lags=1, horizon=10, replications=50, rng=rng
    )
    assert batch.shape == (2,) and batch_draws.shape == (2, 50)
    assert batch[0] == pytest.approx(float(estimate), rel=1e-12)


def test_block_length_rule_and_bad_block() -> None:
    assert (block_length(521), block_length(117), block_length(8)) == (9, 5, 2)
    with pytest.raises(ValueError, match="block length"):
        bootstrap_period_tci(
            _sample(50, 3), lags=1, horizon=5, replications=10,
            rng=np.random.default_rng(0), block=60,
        )  # fmt: skip


def test_period_change_finds_a_real_change_and_not_a_false_one() -> None:
    rng = np.random.default_rng(4)
    dates = pd.date_range("2010-01-08", periods=900, freq="W-FRI")
    same = np.concatenate([simulate_period("2010-2019", 1, rng)[0][0]] * 2)[:900]
    frame = pd.DataFrame(same, index=dates, columns=["US", "DE", "JP", "EA"])
    periods = (("2010-01-01", "2019-12-31"), ("2021-01-01", "2099-12-31"))
    null = period_tci_change(frame, *periods, replications=299, seed=1)
    low, high = null.interval(0.95)
    assert low < 0.0 < high and null.pvalue > 0.05
    assert (null.n_first, null.n_second, null.blocks) == (520, 326, (9, 7))
    # 2021 onwards with the three non-U.S. shocks made independent: much lower TCI
    later = frame.copy()
    later.loc["2021":, ["DE", "JP", "EA"]] = rng.standard_normal((len(later.loc["2021":]), 3))
    later.loc["2021":, ["DE", "JP", "EA"]] *= 0.1
    change = period_tci_change(later, *periods, replications=299, seed=1)
    assert change.difference < -30.0 and change.pvalue < 0.01
    assert change.interval(0.95)[1] < 0.0
    assert "percentile block bootstrap" in str(change)
    assert population_tci("2010-2019") == pytest.approx(56.55, abs=0.01)


def test_period_change_rejects_overlap_and_short_periods() -> None:
    dates = pd.date_range("2010-01-08", periods=200, freq="W-FRI")
    frame = pd.DataFrame(_sample(200, 5), index=dates, columns=list("ABCD"))
    with pytest.raises(ValueError, match="overlap"):
        period_tci_change(frame, ("2010", "2012"), ("2012", "2013"))
    with pytest.raises(ValueError, match=r"second period 2013-06-01\.\.2013-07-31 holds"):
        period_tci_change(frame, ("2010", "2012"), ("2013-06-01", "2013-07-31"))
