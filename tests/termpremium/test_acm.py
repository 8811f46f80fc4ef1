"""ACM model on synthetic data with known truth: recovery, identities, options, bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from tests.termpremium.synthetic import AffineTruth, simulate_affine
from ustpull.errors import DataError, ShortSampleWarning
from ustpull.termpremium.acm import ACM, principal_components


@pytest.fixture(scope="module")
def fitted(truth: AffineTruth) -> object:
    return ACM(truth.yields, n_factors=3).fit()


def test_noise_free_yields_are_priced_exactly() -> None:
    # With exact affine yields the regressions recover the risk-neutral (Q) dynamics exactly
    # (ACM 2013, section 2), so fitted yields equal the input up to the convexity term's use of
    # the sample Sigma: within 0.05 bp at every maturity, and sigma2 = 0.
    truth = simulate_affine(600, noise_bp=0.0, seed=11)
    res = ACM(truth.yields, n_factors=3).fit()
    assert res.parameters.sigma2 < 1e-25
    assert res.pricing_errors.abs().to_numpy().max() < 0.05


def test_term_premium_recovered_in_long_sample() -> None:
    # Known model, 12,000 months, 1 bp noise. The estimator is consistent; the remaining error
    # is VAR sampling error (the level factor has root 0.985). Measured with seed 7: mean abs
    # error 1.75 / 5.1 / 8.1 bp at 1 / 5 / 10 years, correlation 0.996 (seeds 7-11: 10-year
    # mean abs error 1.3-8.7 bp, correlation 0.989-0.999).
    truth = simulate_affine(12_000, seed=7)
    res = ACM(truth.yields, n_factors=3).fit()
    error_bp = (100 * (res.term_premium - truth.term_premium)[[12, 60, 120]]).abs().mean()
    assert error_bp[12] < 3.0
    assert error_bp[60] < 8.0
    assert error_bp[120] < 12.0
    assert np.corrcoef(res.term_premium[120], truth.term_premium[120])[0, 1] > 0.99


def test_identities(fitted: object, truth: AffineTruth) -> None:
    res = fitted
    tp = res.term_premium.to_numpy()
    np.testing.assert_allclose(tp, (res.fitted_yields - res.risk_neutral_yields).to_numpy())
    # the one-month term premium is zero: both recursions start at -delta0 - delta1'X
    np.testing.assert_allclose(res.term_premium[1], 0.0, atol=1e-12)
    # 1 bp measurement noise: yield pricing errors of the same order (RMSE below 3 bp)
    assert res.pricing_error_summary["rmse_bp"].max() < 3.0
    np.testing.assert_allclose(
        res.pricing_errors.to_numpy(),
        100 * (res.fitted_yields.to_numpy() - truth.yields.to_numpy()),
    )
    assert list(res.term_premium.columns) == list(range(1, 121))
    assert res.term_premium.index.equals(truth.yields.index)


def test_expected_excess_returns_average_realised(fitted: object, truth: AffineTruth) -> None:
    # In sample, the model's expected one-month log excess return on the 10-year bond averages
    # the realised ones (annualised percent) up to sampling noise.
    y = truth.yields
    realised = 1200 * (-(119 / 1200) * y[119].shift(-1) + (120 / 1200) * y[120] - y[1] / 1200)
    expected = fitted.expected_excess_returns[120]
    assert expected.mean() == pytest.approx(realised.mean(), abs=1.5)
    assert np.all(fitted.expected_excess_returns[1] == 0.0)


def test_projection_of_estimation_months_reproduces_results(
    fitted: object, truth: AffineTruth
) -> None:
    projected = fitted.project(truth.yields)
    pd.testing.assert_frame_equal(projected.term_premium, fitted.term_premium)
    pd.testing.assert_frame_equal(projected.fitted_yields, fitted.fitted_yields)


def test_principal_components_unit_variance_and_sign() -> None:
    rng = np.random.default_rng(0)
    level = rng.standard_normal(300).cumsum()
    yields = level[:, None] + 0.1 * rng.standard_normal((300, 10))
    loadings, mean = principal_components(yields, 2)
    factors = (yields - mean) @ loadings
    np.testing.assert_allclose(factors.std(axis=0, ddof=1), 1.0)
    assert loadings[:, 0].mean() > 0
    assert np.corrcoef(factors[:, 0], level)[0, 1] > 0.99


def test_results_presentation(fitted: object) -> None:
    text = str(fitted)
    assert "ACM term-structure model" in text
    assert "spectral radius" in text
    assert repr(fitted).startswith("<ACMResults 1940-01..2019-12")
    assert fitted.params["delta0"] == pytest.approx(fitted.parameters.delta0)
    assert len(fitted.params) == 2 + 3 * 3 + 2 * 9
    assert fitted.affine_loadings.loc[("fitted", 1), "A"] == pytest.approx(
        -fitted.parameters.delta0
    )
    assert fitted.factor_loadings.shape == (118, 3)
    figure = fitted.plot(120)
    assert len(figure.axes[0].lines) == 4
    with pytest.raises(DataError, match="maturity 121"):
        fitted.plot(121)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("var_bias", "pope"),
        ("var_bias", "kilian"),
        ("eigenvalue_cap", 0.9),
        ("var_intercept", "zero"),
    ],
)
def test_var_options_change_persistence(truth: AffineTruth, option: str, value: object) -> None:
    base = ACM(truth.yields.iloc[:240], n_factors=3).fit()
    other = ACM(truth.yields.iloc[:240], n_factors=3, **{option: value}).fit(bias_replications=100)
    assert other.var_spectral_radius != pytest.approx(base.var_spectral_radius, abs=1e-6)
    if option == "var_bias":
        # bias corrections raise persistence (OLS underestimates it)
        assert other.var_spectral_radius > base.var_spectral_radius
    if option == "eigenvalue_cap":
        assert other.var_spectral_radius == pytest.approx(0.9)


def test_short_sample_warns(truth: AffineTruth) -> None:
    with pytest.warns(ShortSampleWarning, match="too little persistence"):
        ACM(truth.yields.iloc[:100], n_factors=3)


def test_nan_yields_name_dates(truth: AffineTruth) -> None:
    broken = truth.yields.copy()
    broken.iloc[5, 40] = np.nan
    with pytest.raises(DataError, match="1940-06-30"):
        ACM(broken)


def test_missing_month_named(truth: AffineTruth) -> None:
    with pytest.raises(DataError, match="1940-03->1940-05"):
        ACM(truth.yields.drop(truth.yields.index[3]))


def test_missing_maturities_named(truth: AffineTruth) -> None:
    with pytest.raises(DataError, match="missing 61-70, 120 months"):
        ACM(truth.yields.drop(columns=[*range(61, 71), 120]))


def test_short_rate_nan_named(truth: AffineTruth) -> None:
    short = truth.yields[1].copy()
    short.iloc[2] = np.nan
    with pytest.raises(DataError, match="short rate missing or NaN on 1 yield dates: 1940-03-31"):
        ACM(truth.yields, short_rate=short)


def test_too_few_return_maturities(truth: AffineTruth) -> None:
    with pytest.raises(DataError, match="at least n_factors=5"):
        ACM(truth.yields, return_maturities=(6, 12))


def test_short_rate_changes_estimates(truth: AffineTruth) -> None:
    # a 25 bp higher short rate lowers every excess return by 25/1200 % per month
    res = ACM(truth.yields, n_factors=3, short_rate=truth.yields[1] + 0.25).fit()
    base = ACM(truth.yields, n_factors=3).fit()
    assert res.fitted_yields[1].mean() - base.fitted_yields[1].mean() == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"var_bias": "bootstrap"}, "var_bias must be one of none, pope, kilian; got 'bootstrap'"),
        ({"var_intercept": "none"}, "var_intercept must be one of estimate, zero"),
        ({"n_factors": 0}, "n_factors must be between 1 and the 118 factor maturities"),
    ],
)
def test_bad_options_named(truth: AffineTruth, options: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        ACM(truth.yields, **options)  # type: ignore[arg-type]


def test_too_few_months(truth: AffineTruth) -> None:
    with pytest.raises(DataError, match="15 months are too few for 5 factors"):
        ACM(truth.yields.iloc[:15])


def test_projected_decomposition_plots(fitted: object, truth: AffineTruth) -> None:
    decomposition = fitted.project(truth.yields.iloc[-24:])
    figure = decomposition.plot(60)
    assert figure.axes[0].get_title() == "ACM decomposition, 60-month yield"
    assert len(figure.axes[0].lines[0].get_xdata()) == 24


def test_fewer_independent_components_than_factors_is_an_error() -> None:
    """A rank-2 panel (a level and one slope) cannot carry five pricing factors."""
    rng = np.random.default_rng(1)
    months = pd.date_range("2000-01-31", periods=200, freq="ME")
    maturities = np.arange(1, 121)
    level = 4.0 + np.cumsum(0.1 * rng.standard_normal(200))
    slope = np.cumsum(0.05 * rng.standard_normal(200))
    panel = pd.DataFrame(
        level[:, None] + slope[:, None] * (maturities[None, :] / 120.0),
        index=months,
        columns=maturities,
    )
    with pytest.raises(DataError, match=r"only 2 independent principal component\(s\)"):
        ACM(panel).fit()
    assert ACM(panel, n_factors=2).fit().term_premium.shape == (200, 120)


def test_bias_replications_and_seed_belong_to_fit(truth: AffineTruth) -> None:
    yields = truth.yields.iloc[:240]
    new = ACM(yields, n_factors=3, var_bias="kilian").fit(bias_replications=50, seed=4)
    with pytest.warns(DeprecationWarning, match="pass them to ACM.fit"):
        old = ACM(yields, n_factors=3, var_bias="kilian", bias_replications=50, seed=4)
    assert old.fit().var_spectral_radius == new.var_spectral_radius
    other = ACM(yields, n_factors=3, var_bias="kilian").fit(bias_replications=50, seed=5)
    assert other.var_spectral_radius != new.var_spectral_radius
