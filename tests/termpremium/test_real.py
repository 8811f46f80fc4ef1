"""Joint nominal-real model on synthetic data with known truth: recovery, identities, input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from tests.termpremium.synthetic_real import NominalRealTruth, simulate_nominal_real
from ustpull.errors import DataError
from ustpull.termpremium.real import NominalRealACM, NominalRealResults


@pytest.fixture(scope="module")
def truth() -> NominalRealTruth:
    return simulate_nominal_real(3000, seed=3)


@pytest.fixture(scope="module")
def fitted(truth: NominalRealTruth) -> NominalRealResults:
    return NominalRealACM(truth.nominal, truth.real, truth.inflation, n_nominal=3, n_real=1).fit()


def _real_short_rate(results: NominalRealResults) -> np.ndarray:
    p = results.parameters
    return 1200.0 * (p.delta0_real + results.factors.to_numpy() @ p.delta1_real)


def test_noise_free_curves_recover_the_real_short_rate_exactly() -> None:
    # Exact affine yields and an inflation accrual equal to r - r^R: the regressions recover
    # the Q dynamics, so the real short rate (delta0R + delta1R' X, a rotation-invariant
    # quantity) is the true one and both curves are priced; measured (273 months, seed 5):
    # real short rate max error 0.27 bp, TIPS / nominal pricing errors 0.07 / 0.03 bp (the
    # convexity terms use the sample Sigma).
    truth = simulate_nominal_real(273, noise_bp=0.0, inflation_noise_bp=0.0, seed=5)
    res = NominalRealACM(truth.nominal, truth.real, truth.inflation, n_nominal=3, n_real=1).fit()
    error = 100 * np.abs(_real_short_rate(res) - truth.real_short_rate.to_numpy())
    assert error.max() < 0.5
    assert res.real_pricing_errors.abs().to_numpy().max() < 0.1
    assert res.nominal_pricing_errors.abs().to_numpy().max() < 0.05


def test_decomposition_recovered_in_long_sample(
    fitted: NominalRealResults, truth: NominalRealTruth
) -> None:
    # 3000 months, 1 bp yield noise, 5 bp per month inflation noise (seed 3). What remains is
    # VAR sampling error: measured mean abs error at 2 / 5 / 10 years, bp: nominal term premium
    # 7.2 / 10.1 / 13.3, real term premium 6.7 / 8.4 / 9.4, expected inflation 4.2 / 3.5 / 3.6;
    # correlations at 10 years 0.986 / 0.939 / 0.988; real short rate mean abs error 2.2 bp.
    checks = {
        "nominal_term_premium": (16.0, 0.97),
        "real_term_premium": (12.0, 0.9),
        "expected_inflation": (6.0, 0.97),
    }
    for name, (bound, correlation) in checks.items():
        ours, true = getattr(fitted, name), getattr(truth, name)
        error = (100 * (ours - true.to_numpy()))[[24, 60, 120]].abs().mean()
        assert error.max() < bound, name
        assert np.corrcoef(ours[120], true[120])[0, 1] > correlation, name
    error = 100 * np.abs(_real_short_rate(fitted) - truth.real_short_rate.to_numpy())
    assert error.mean() < 3.0


def test_identities(fitted: NominalRealResults) -> None:
    nominal_tp = fitted.nominal_term_premium.to_numpy()
    parts = (fitted.real_term_premium + fitted.inflation_risk_premium).to_numpy()
    np.testing.assert_allclose(nominal_tp, parts, atol=1e-12)
    breakeven = (fitted.nominal_yields - fitted.real_yields).to_numpy()
    np.testing.assert_allclose(
        breakeven,
        (fitted.expected_inflation + fitted.inflation_risk_premium).to_numpy(),
        atol=1e-12,
    )
    # without liquidity factors TIPS are the frictionless real bonds
    assert np.abs(fitted.liquidity_premium.to_numpy()).max() < 1e-12
    frame = fitted.to_frame()
    assert list(frame.columns[:3]) == ["yield_2y", "risk_neutral_2y", "term_premium_2y"]
    for n in range(2, 11):
        np.testing.assert_allclose(
            frame[f"term_premium_{n}y"],
            frame[f"real_term_premium_{n}y"] + frame[f"inflation_risk_premium_{n}y"],
            atol=1e-12,
        )
    assert "liquidity_premium_10y" in frame.columns
    assert "Yield RMSE" in fitted.summary()
    figure = fitted.plot(5)
    assert len(figure.axes[0].lines) == 6  # five series and the zero line
    with pytest.raises(DataError, match=r"years must be in 2\.\.10"):
        fitted.plot(1)


def test_liquidity_factor_moves_tips_not_real_yields(truth: NominalRealTruth) -> None:
    # A liquidity factor that does not price TIPS (iid |N(0,1)|) gets a near-zero loading: the
    # 10-year liquidity premium is a small constant (measured -5.4 bp, sd 0.2 bp: the factor's
    # mean times its loading) with no time variation, and TIPS = frictionless real + liquidity
    # premium exactly.
    rng = np.random.default_rng(0)
    liquidity = pd.DataFrame(
        {"spread": np.abs(rng.standard_normal(len(truth.nominal)))}, index=truth.nominal.index
    )
    res = NominalRealACM(
        truth.nominal, truth.real, truth.inflation, n_nominal=3, n_real=1, liquidity=liquidity
    ).fit()
    np.testing.assert_allclose(
        res.tips_yields.to_numpy(),
        (res.real_yields + res.liquidity_premium).to_numpy(),
        atol=1e-12,
    )
    assert res.liquidity_premium[120].abs().max() < 0.10
    assert res.liquidity_premium[120].std() < 0.01
    assert list(res.factors.columns) == [
        "nominal_pc1", "nominal_pc2", "nominal_pc3", "real_pc1", "liquidity_spread"
    ]  # fmt: skip


def test_bad_input_is_named(truth: NominalRealTruth) -> None:
    real = truth.real.copy()
    real.iloc[5, 10] = np.nan
    with pytest.raises(DataError, match=r"real yields: NaN or missing on 1 dates: 1900-06-30"):
        NominalRealACM(truth.nominal, real, truth.inflation)
    with pytest.raises(DataError, match=r"real yields lack columns \[23"):
        NominalRealACM(truth.nominal, truth.real.loc[:, 24:], truth.inflation)
    with pytest.raises(DataError, match="inflation: NaN or missing on 10 dates"):
        NominalRealACM(truth.nominal, truth.real, truth.inflation.iloc[:-10])
    with pytest.raises(DataError, match="too few"):
        NominalRealACM(truth.nominal.iloc[:30], truth.real.iloc[:30], truth.inflation)
