"""Tests of the shared cross-asset statistics against identities and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.stats import (
    align,
    block_bootstrap_mean_difference,
    effective_sample_size,
    fisher_z_difference_test,
    hac_ols,
    json_records,
    log_returns,
    newey_west_lags,
    rolling_correlation,
)
from ustpull.errors import DataError


@pytest.fixture
def business_days() -> pd.DatetimeIndex:
    return pd.bdate_range("2020-01-01", periods=600, name="date")


@pytest.fixture
def correlated_pair(business_days: pd.DatetimeIndex) -> tuple[pd.Series, pd.Series]:
    """Two normal series with correlation 0.6 by construction."""
    rng = np.random.default_rng(7)
    first, second = rng.standard_normal((2, len(business_days)))
    a = pd.Series(first, index=business_days, name="a")
    b = pd.Series(0.6 * first + 0.8 * second, index=business_days, name="b")
    return a, b


def _ar1(phi: float, n: int, rng: np.random.Generator) -> np.ndarray:
    shocks = rng.standard_normal(n)
    # lfilter-free AR(1): y_t = sum_k phi^k e_{t-k}, via a cumulative form on a short history
    from scipy.signal import lfilter

    return np.asarray(lfilter([1.0], [1.0, -phi], shocks))


def test_align_inner_drops_one_market_holiday(business_days: pd.DatetimeIndex) -> None:
    stocks = pd.Series(np.arange(10.0), index=business_days[:10], name="stocks")
    bonds = pd.Series(np.arange(10.0), index=business_days[:10], name="bonds").drop(
        business_days[3]
    )
    bonds.iloc[5] = np.nan  # a holiday kept as an empty row
    aligned = align(stocks, bonds)
    assert len(aligned) == 8
    assert business_days[3] not in aligned.index
    assert not aligned.isna().any().any()
    outer = align(stocks, bonds, how="outer")
    assert len(outer) == 10
    assert math.isnan(outer.loc[business_days[3], "bonds"])  # never filled


def test_align_errors_name_the_series(business_days: pd.DatetimeIndex) -> None:
    early = pd.Series(1.0, index=business_days[:5], name="us.sp500")
    late = pd.Series(1.0, index=business_days[10:15], name="us.gsw.zero.10y")
    with pytest.raises(DataError, match=r"no date in common.*us\.sp500: 2020-01-01\.\.2020-01-07"):
        align(early, late)
    with pytest.raises(DataError, match="column names repeat"):
        align(early, early)
    with pytest.raises(DataError, match="not indexed by dates"):
        align(pd.Series([1.0, 2.0], name="x"))


def test_log_returns_values_and_bad_prices(business_days: pd.DatetimeIndex) -> None:
    prices = pd.Series([100.0, 110.0, 99.0], index=business_days[:3], name="p")
    returns = log_returns(prices)
    # ln(110/100) = 0.0953101798, ln(99/110) = -0.1053605157
    np.testing.assert_allclose(returns.to_numpy(), [0.0953101798, -0.1053605157], atol=1e-10)
    bad = prices.copy()
    bad.iloc[1] = 0.0
    with pytest.raises(DataError, match=r"p has a non-positive price 0\.0 on 2020-01-02"):
        log_returns(bad)


def test_rolling_correlation_matches_numpy(correlated_pair: tuple[pd.Series, pd.Series]) -> None:
    a, b = correlated_pair
    window = 60
    correlation = rolling_correlation(a, b, window)
    assert len(correlation) == len(a) - window + 1
    for end in (window, 300, len(a)):
        expected = np.corrcoef(a.iloc[end - window : end], b.iloc[end - window : end])[0, 1]
        assert correlation.loc[a.index[end - 1]] == pytest.approx(expected, abs=1e-10)
    # the population correlation is 0.6; the mean of 60-day estimates lands near it
    assert correlation.mean() == pytest.approx(0.6, abs=0.05)


def test_rolling_correlation_bad_windows(correlated_pair: tuple[pd.Series, pd.Series]) -> None:
    a, b = correlated_pair
    with pytest.raises(DataError, match="window of 601 observations is longer than the 600"):
        rolling_correlation(a, b, 601)
    with pytest.raises(DataError, match="at least 3"):
        rolling_correlation(a, b, 2)


def test_fisher_z_closed_form() -> None:
    # atanh(0.6) = ln 2, atanh(0.2) = ln(1.5)/2; se = sqrt(2/100)
    expected_z = (math.log(2.0) - 0.5 * math.log(1.5)) / math.sqrt(0.02)
    result = fisher_z_difference_test(0.2, 103, 0.6, 103)
    assert result.z_statistic == pytest.approx(expected_z, rel=1e-12)
    assert result.z_statistic == pytest.approx(3.467755, abs=1e-6)
    assert result.pvalue == pytest.approx(0.000525, abs=2e-6)  # 2 * (1 - Phi(3.4678))
    robust = fisher_z_difference_test(0.2, 103, 0.6, 103, effective_n=(53.0, 53.0))
    assert robust.z_statistic == pytest.approx((math.log(2.0) - 0.5 * math.log(1.5)) / 0.2)
    with pytest.raises(DataError, match=r"r2=1\.0 is not in"):
        fisher_z_difference_test(0.2, 103, 1.0, 103)
    with pytest.raises(DataError, match=r"n1=3\.0 must exceed 3"):
        fisher_z_difference_test(0.2, 3, 0.1, 103)


@pytest.mark.parametrize(("phi_x", "phi_y"), [(0.0, 0.0), (0.8, 0.8), (0.5, 0.9)])
def test_effective_sample_size_ar1(phi_x: float, phi_y: float) -> None:
    # For independent AR(1)s, n_eff / n -> (1 - phi_x phi_y) / (1 + phi_x phi_y) (Bretherton 1999)
    rng = np.random.default_rng(11)
    n = 20_000
    index = pd.bdate_range("1990-01-01", periods=n)
    x = pd.Series(_ar1(phi_x, n, rng), index=index, name="x")
    y = pd.Series(_ar1(phi_y, n, rng), index=index, name="y")
    ratio = effective_sample_size(x, y, max_lag=60) / n
    product = phi_x * phi_y
    assert ratio == pytest.approx((1.0 - product) / (1.0 + product), abs=0.04)


def test_block_bootstrap_iid_standard_error_and_seed() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(0.0, 1.0, 400)
    b = rng.normal(0.5, 1.0, 400)
    result = block_bootstrap_mean_difference(a, b, block_length=1, replications=4000, seed=5)
    assert result.difference == pytest.approx(b.mean() - a.mean(), abs=1e-12)
    # iid: se = sqrt(1/400 + 1/400) = 0.0707
    assert result.standard_error == pytest.approx(math.sqrt(2 / 400), rel=0.06)
    assert result.pvalue < 0.001
    assert result.ci_low < 0.5 < result.ci_high
    again = block_bootstrap_mean_difference(a, b, block_length=1, replications=4000, seed=5)
    assert again == result


def test_block_bootstrap_widens_for_persistent_series() -> None:
    rng = np.random.default_rng(4)
    a, b = _ar1(0.95, 3000, rng), _ar1(0.95, 3000, rng)
    iid = block_bootstrap_mean_difference(a, b, block_length=1, replications=500, seed=1)
    blocks = block_bootstrap_mean_difference(a, b, block_length=100, replications=500, seed=1)
    # long-run variance of AR(1) is (1+phi)/(1-phi) = 39 times larger: se ratio ~ 6.2
    assert blocks.standard_error / iid.standard_error > 3.5
    assert blocks.pvalue > 0.05
    with pytest.raises(DataError, match="fewer than two blocks of 2000"):
        block_bootstrap_mean_difference(a, b, block_length=2000)


def test_hac_ols_matches_hand_computed_newey_west() -> None:
    rng = np.random.default_rng(9)
    n = 500
    index = pd.date_range("1980-01-31", periods=n, freq="ME")
    regressors = pd.DataFrame(
        {"expected_rate": _ar1(0.5, n, rng), "term_premium": rng.standard_normal(n)}, index=index
    )
    errors = _ar1(0.4, n, rng)
    y = pd.Series(
        1.0 - 2.0 * regressors["expected_rate"] + 0.5 * regressors["term_premium"] + errors,
        index=index,
    )
    result = hac_ols(y, regressors, lags=4)
    design = np.column_stack([np.ones(n), regressors.to_numpy()])
    beta, *_ = np.linalg.lstsq(design, y.to_numpy(), rcond=None)
    np.testing.assert_allclose(result.params.to_numpy(), beta, rtol=1e-10)
    # Newey-West by hand: Bartlett weights 1 - j/(L+1), small-sample factor n/(n-k)
    scores = design * (y.to_numpy() - design @ beta)[:, None]
    meat = scores.T @ scores
    for lag in range(1, 5):
        gamma = scores[lag:].T @ scores[:-lag]
        meat += (1 - lag / 5) * (gamma + gamma.T)
    bread = np.linalg.inv(design.T @ design)
    covariance = bread @ meat @ bread * n / (n - 3)
    np.testing.assert_allclose(result.bse.to_numpy(), np.sqrt(np.diag(covariance)), rtol=1e-10)
    assert list(result.params.index) == ["const", "expected_rate", "term_premium"]
    assert result.params["expected_rate"] == pytest.approx(-2.0, abs=0.15)
    assert result.nobs == n and result.lags == 4
    assert newey_west_lags(n) == 5  # floor(4 * 5^(2/9)) = floor(5.72)
    table = result.to_dict()
    assert table["nobs"] == n


def test_hac_ols_too_few_observations() -> None:
    index = pd.date_range("2000-01-31", periods=3, freq="ME")
    with pytest.raises(DataError, match="3 common observations for 2 regressors"):
        hac_ols(pd.Series([1.0, 2.0, 3.0], index=index), pd.Series([1.0, 0.0, 2.0], index=index))


def test_json_records_are_plain_python(business_days: pd.DatetimeIndex) -> None:
    frame = pd.DataFrame(
        {"value": [1.5, np.nan, np.inf], "count": np.array([1, 2, 3], dtype=np.int64)},
        index=business_days[:3],
    )
    records = json_records(frame)
    assert records[0] == {"date": "2020-01-01", "value": 1.5, "count": 1}
    assert records[1]["value"] is None and records[2]["value"] is None
    assert type(records[2]["count"]) is int
    assert json_records(frame, index=False)[0] == {"value": 1.5, "count": 1}


def test_changes_across_rows_drop_changes_that_bridge_holes() -> None:
    from ustpull.crossasset.stats import changes_across_rows

    dates = pd.bdate_range("2020-01-01", periods=30).append(pd.bdate_range("2021-01-04", periods=5))
    levels = pd.DataFrame({"a": np.arange(35.0)}, index=dates)
    changes = changes_across_rows(levels)
    # 29 + 4 one-day changes; the one spanning 2020-02-11 -> 2021-01-04 is left out
    assert len(changes) == 33
    assert pd.Timestamp("2021-01-04") not in changes.index
    assert (changes["a"] == 1.0).all()
    # a 12-day market closure (20 x the 1-day median spacing allows it) stays
    closed = levels.drop(pd.bdate_range("2020-01-06", "2020-01-17"))
    assert pd.Timestamp("2020-01-20") in changes_across_rows(closed).index
