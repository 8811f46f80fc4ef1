"""Tests of ustpull.crossasset.connectedness (Diebold-Yilmaz 2012 spillovers)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.connectedness import (
    ChangeFrequency,
    Connectedness,
    generalized_fevd,
    rolling_var_ols,
    spillover_measures,
    var_ma_coefficients,
    yield_changes,
)
from ustpull.crossasset.synchronous import NonSynchronousWarning
from ustpull.errors import DataError, FitError
from ustpull.sources.local import load_frame

matplotlib.use("Agg")

# A stationary VAR(2) of four markets with correlated shocks (population values).
LAG_1 = np.array(
    [
        [0.20, 0.10, 0.00, 0.00],
        [0.05, 0.10, 0.10, 0.00],
        [0.00, 0.10, 0.15, 0.05],
        [0.10, 0.0, 0.0, 0.10],
    ]
)
LAG_2 = 0.3 * LAG_1.T
SHOCK_CORRELATION = np.array(
    [[1.0, 0.5, 0.3, 0.2], [0.5, 1.0, 0.4, 0.3], [0.3, 0.4, 1.0, 0.5], [0.2, 0.3, 0.5, 1.0]]
)
SHOCK_SD = 0.05  # percentage points per day


def simulate_var(n_obs: int, seed: int) -> pd.DataFrame:
    """Draw ``n_obs`` observations of the VAR(2) above (100 burn-in rows dropped)."""
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(SHOCK_CORRELATION) * SHOCK_SD
    shocks = rng.standard_normal((n_obs + 100, 4)) @ chol.T
    values = np.zeros((n_obs + 100, 4))
    for t in range(2, n_obs + 100):
        values[t] = 0.01 + LAG_1 @ values[t - 1] + LAG_2 @ values[t - 2] + shocks[t]
    return pd.DataFrame(
        values[100:],
        index=pd.bdate_range("2000-01-03", periods=n_obs, name="date"),
        columns=["us", "de", "fr", "jp"],
    )


@pytest.fixture(scope="module")
def var_sample() -> pd.DataFrame:
    return simulate_var(1200, seed=7)


def test_two_variable_var1_closed_form() -> None:
    # Hand calculation, VAR(1) A = [[.5,.2],[.1,.3]], Sigma = [[1,.5],[.5,2]], H = 2:
    # Psi_0 = I, Psi_1 = A, A Sigma = [[.6,.65],[.25,.65]], A Sigma A' diag = (.43, .22).
    # theta_ij numerators (Sigma_ij^2 + (A Sigma)_ij^2) / sigma_jj:
    #   [1.36, 0.33625; 0.3125, 2.21125]; denominators (1.43, 2.22).
    lag = np.array([[[0.5, 0.2], [0.1, 0.3]]])
    sigma = np.array([[1.0, 0.5], [0.5, 2.0]])
    ma = var_ma_coefficients(lag, horizon=2)
    raw = generalized_fevd(ma, sigma, normalize=False)
    np.testing.assert_allclose(
        raw, [[1.36 / 1.43, 0.33625 / 1.43], [0.3125 / 2.22, 2.21125 / 2.22]], rtol=1e-14
    )
    measures = spillover_measures(generalized_fevd(ma, sigma))
    from_us = 100 * 0.33625 / 1.69625  # 19.8232...
    from_other = 100 * 0.3125 / 2.52375  # 12.3823...
    np.testing.assert_allclose(measures.from_others, [from_us, from_other], rtol=1e-14)
    np.testing.assert_allclose(measures.to_others, [from_other, from_us], rtol=1e-14)
    assert measures.total == pytest.approx((from_us + from_other) / 2, rel=1e-14)  # 16.102753
    assert measures.total == pytest.approx(16.102753, abs=1e-6)
    np.testing.assert_allclose(measures.net, [from_other - from_us, from_us - from_other])
    np.testing.assert_allclose(measures.net_pairwise.sum(axis=1), measures.net, atol=1e-12)


def test_ma_recursion_matches_statsmodels() -> None:
    from statsmodels.tsa.vector_ar.var_model import VARProcess

    lags = np.stack([LAG_1, LAG_2])
    process = VARProcess(lags, np.zeros(4), np.eye(4))
    np.testing.assert_allclose(var_ma_coefficients(lags, 12), process.ma_rep(11), atol=1e-15)


def test_gfevd_with_diagonal_sigma_is_the_orthogonal_fevd() -> None:
    # Identity: with uncorrelated shocks the generalized and Cholesky FEVDs coincide and the
    # raw GFEVD rows already sum to one; reference path = statsmodels' orthogonalised MA.
    from statsmodels.tsa.vector_ar.var_model import VARProcess

    lags = np.stack([LAG_1, LAG_2])
    sigma = np.diag([0.5, 1.0, 2.0, 0.25])
    orth = VARProcess(lags, np.zeros(4), sigma).orth_ma_rep(9)  # Theta_0..Theta_9
    squared = (orth**2).sum(axis=0)
    reference = squared / squared.sum(axis=1, keepdims=True)
    raw = generalized_fevd(var_ma_coefficients(lags, 10), sigma, normalize=False)
    np.testing.assert_allclose(raw, reference, rtol=1e-12)
    np.testing.assert_allclose(raw.sum(axis=1), 1.0, rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gfevd_rows_normalised_to_one(seed: int) -> None:
    rng = np.random.default_rng(seed)
    factor = rng.standard_normal((5, 5))
    sigma = factor @ factor.T + 0.1 * np.eye(5)
    lags = 0.1 * rng.standard_normal((3, 5, 5))
    raw = generalized_fevd(var_ma_coefficients(lags, 8), sigma, normalize=False)
    assert np.abs(raw.sum(axis=1) - 1.0).max() > 1e-3  # correlated shocks: rows do not add to one
    normalised = generalized_fevd(var_ma_coefficients(lags, 8), sigma)
    np.testing.assert_allclose(normalised.sum(axis=1), 1.0, rtol=1e-14)
    assert (normalised > 0).all()


def test_static_table_recovers_the_population_table() -> None:
    # Known truth: the table implied by the true VAR(2) and shock covariance.
    sigma = SHOCK_CORRELATION * SHOCK_SD**2
    truth = spillover_measures(
        generalized_fevd(var_ma_coefficients(np.stack([LAG_1, LAG_2]), 10), sigma)
    )
    estimate = Connectedness(simulate_var(20000, seed=3), lags=2, horizon=10).fit()
    np.testing.assert_allclose(estimate.table.to_numpy(), truth.table, atol=1.0)
    assert estimate.total == pytest.approx(float(truth.total), abs=0.5)
    assert float(truth.total) == pytest.approx(32.0, abs=2.0)


def test_rolling_matches_per_window_statsmodels_var(var_sample: pd.DataFrame) -> None:
    from statsmodels.tsa.vector_ar.var_model import VAR

    window = 200
    rolling = Connectedness(var_sample, lags=2, horizon=10).fit_rolling(window)
    assert len(rolling.total) == len(var_sample) - window + 1 == 1001
    assert rolling.total.index[0] == var_sample.index[window - 1]
    for start in (0, 417, 1000):
        fitted = VAR(var_sample.iloc[start : start + window].to_numpy()).fit(2, trend="c")
        table = generalized_fevd(fitted.ma_rep(9), np.asarray(fitted.sigma_u))
        np.testing.assert_allclose(rolling.tables[start], 100 * table, atol=1e-10)
    np.testing.assert_allclose(
        rolling.net.to_numpy(), rolling.to_others.to_numpy() - rolling.from_others.to_numpy()
    )


def test_rolling_ols_matches_statsmodels_coefficients(var_sample: pd.DataFrame) -> None:
    from statsmodels.tsa.vector_ar.var_model import VAR

    values = var_sample.to_numpy()
    windows = rolling_var_ols(values, lags=2, window=300)
    fitted = VAR(values[500:800]).fit(2, trend="c")
    np.testing.assert_allclose(windows.lag_matrices[500], fitted.coefs, atol=1e-12)
    np.testing.assert_allclose(windows.sigma[500], fitted.sigma_u, rtol=1e-10)
    assert windows.nobs == 298


def test_static_results_tables(var_sample: pd.DataFrame) -> None:
    res = Connectedness(var_sample, lags=2, horizon=10).fit()
    table = res.table
    np.testing.assert_allclose(table.sum(axis=1), 100.0)
    assert res.total == pytest.approx(res.from_others.sum() / 4)
    assert res.to_others.sum() == pytest.approx(res.from_others.sum())
    np.testing.assert_allclose(res.net, res.net_pairwise.sum(axis=1), atol=1e-12)
    assert res.net_pairwise.loc["us", "de"] == pytest.approx(
        table.loc["de", "us"] - table.loc["us", "de"]
    )
    assert res.nobs == 1198
    assert "Total connectedness index" in str(res)
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["total"] == pytest.approx(res.total)
    assert payload["table"]["us"]["de"] == pytest.approx(table.loc["us", "de"])
    assert type(res.plot()).__name__ == "Figure"


def test_rolling_results_outputs(var_sample: pd.DataFrame) -> None:
    res = Connectedness(var_sample, lags=1, horizon=5).fit_rolling(250)
    pairwise = res.net_pairwise
    assert pairwise.shape == (951, 6)
    np.testing.assert_allclose(
        pairwise[("us", "de")], res.tables[:, 1, 0] - res.tables[:, 0, 1], atol=1e-12
    )
    assert "951 windows of 250 obs" in res.summary()
    payload = json.loads(json.dumps(res.to_dict()))
    assert len(payload["total"]) == 951
    assert type(res.plot()).__name__ == "Figure"


def test_weekly_changes_use_last_common_day_without_filling() -> None:
    dates = pd.bdate_range("2024-01-01", "2024-01-19", name="date")
    us = pd.Series(np.arange(len(dates), dtype=float), index=dates)
    de = us * 2.0
    de.loc["2024-01-12"] = np.nan  # Friday holiday in one market
    changes = yield_changes(pd.DataFrame({"us": us, "de": de}), frequency="weekly")
    # Last common days 2024-01-05 (row 4), 2024-01-11 (row 8, Friday missing), 2024-01-19
    # (row 14); each change is dated by its week's Friday (synchronous_changes, issue 16)
    assert list(changes.index) == [pd.Timestamp("2024-01-12"), pd.Timestamp("2024-01-19")]
    np.testing.assert_allclose(changes["us"], [4.0, 6.0])
    np.testing.assert_allclose(changes["de"], [8.0, 12.0])
    with pytest.warns(NonSynchronousWarning, match=r"close hours apart \(US, DE\)"):
        daily = yield_changes(pd.DataFrame({"us": us, "de": de}), frequency="daily")
    # weekly is the default (synchronous enough for markets closing hours apart)
    pd.testing.assert_frame_equal(yield_changes(pd.DataFrame({"us": us, "de": de})), changes)
    assert daily.loc["2024-01-15", "us"] == 2.0  # spans the missing Friday, not filled


def test_non_overlapping_markets_named() -> None:
    early = pd.Series(1.0, index=pd.bdate_range("2000-01-03", periods=5))
    late = pd.Series(2.0, index=pd.bdate_range("2010-01-04", periods=5))
    with pytest.raises(DataError, match=r"us: 2000-01-03\.\.2000-01-07.*in\.govt: 2010-01-04"):
        yield_changes(pd.DataFrame({"us": early, "in.govt": late}))


def test_window_longer_than_data(var_sample: pd.DataFrame) -> None:
    with pytest.raises(DataError, match=r"window of 5000 .* 1200 common .* 2000-01-03\.\."):
        Connectedness(var_sample).fit_rolling(5000)
    with pytest.raises(DataError, match="leaves 8 observations for 9 coefficients"):
        Connectedness(var_sample).fit_rolling(10)


def test_singular_var_names_market_and_dates(var_sample: pd.DataFrame) -> None:
    flat = var_sample.copy()
    flat.loc["2001-01-01":"2001-12-31", "jp"] = 0.0
    with pytest.raises(FitError, match=r"singular VAR\(2\) on 2000-.*constant: jp"):
        Connectedness(flat).fit_rolling(200)
    twin = var_sample.assign(de2=var_sample["de"])
    with pytest.raises(FitError, match="collinear markets"):
        Connectedness(twin).fit()


def test_missing_change_named(var_sample: pd.DataFrame) -> None:
    broken = var_sample.copy()
    broken.iloc[10, 2] = np.nan
    with pytest.raises(DataError, match="fr has a missing or non-finite change on 2000-01-17"):
        Connectedness(broken)


@pytest.mark.parametrize(
    ("frequency", "n_changes", "total"),
    # weekly: 742 changes (was 743 before issue 16: the old builder counted the two-week
    # change across Japan's Golden Week 2019, a week without a common trading day, as one week;
    # total 55.6219 -> 55.6216)
    [("daily", 3345, 44.0499), ("weekly", 742, 55.6216)],
)
def test_real_static_table_matches_statsmodels_var(
    shared_data: Path, frequency: ChangeFrequency, n_changes: int, total: float
) -> None:
    # Reference path: statsmodels VAR(2) with constant, its ma_rep and sigma_u, through the
    # GFEVD formula; 10-year yields of the U.S., Germany, France and Japan since 2010.
    from statsmodels.tsa.vector_ar.var_model import VAR

    ids = ["us.cmt.10y", "de.govt.10y", "fr.govt.10y", "jp.jgb.10y"]
    levels = load_frame(ids, shared_data).loc["2010-01-01":]
    markets = levels.set_axis(["us", "de", "fr", "jp"], axis=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        changes = yield_changes(markets, frequency=frequency)
    # daily changes of New York, Frankfurt, Paris and Tokyo closes warn (issue 16)
    assert [w.category for w in caught] == [NonSynchronousWarning] * (frequency == "daily")
    assert len(changes) == n_changes
    ours = Connectedness(changes, lags=2, horizon=10).fit()
    fitted = VAR(changes.to_numpy()).fit(2, trend="c")
    reference = spillover_measures(generalized_fevd(fitted.ma_rep(9), np.asarray(fitted.sigma_u)))
    np.testing.assert_allclose(ours.table.to_numpy(), reference.table, atol=1e-10)
    assert ours.total == pytest.approx(float(reference.total), abs=1e-10)
    assert ours.total == pytest.approx(total, abs=5e-5)
