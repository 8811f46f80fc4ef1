"""Diagnostics: unspanned-factor test size and power, factor-count table, VAR eigenvalues."""

from __future__ import annotations

import numpy as np
import pytest

from tests.termpremium.synthetic import AffineTruth, simulate_affine
from ustpull.termpremium.acm import ACM
from ustpull.termpremium.diagnostics import (
    factor_count_table,
    predictive_r2,
    unspanned_factor_test,
    var_eigenvalues,
)


def test_unspanned_factor_test_size_and_power() -> None:
    # Known 3-factor model with predictable returns (Lambda1[1, 1] = 0.3), 960 months, 0.1 bp
    # noise, seeds 0..9. Leaving out priced factors (K = 1) is detected every time; with the
    # true K = 3 the test rejects at 5 % about as often as it should (measured over seeds
    # 0..19: K = 1 rejected 20/20, K = 3 rejected 1/20).
    rejections = {1: 0, 3: 0}
    for seed in range(10):
        truth = simulate_affine(960, seed=seed, slope_risk=0.3, noise_bp=0.1)
        for k in rejections:
            result = unspanned_factor_test(ACM(truth.yields, n_factors=k).fit())
            rejections[k] += int(result["p_value"] < 0.05)
    assert rejections[1] == 10
    assert rejections[3] <= 2
    assert result["df"] == 4.0  # 2 extra components x 2 return components


def test_factor_count_table(truth: AffineTruth) -> None:
    table = factor_count_table(ACM(truth.yields, n_factors=3), counts=(1, 3, 4))
    assert list(table.index) == [1, 3, 4]
    # three factors price the 1 bp-noise curves to about the noise (measured 1.0 / 2.1 bp at
    # 12 / 60 months); one does not (19.3 / 8.9 bp)
    assert table.loc[3, ["rmse_12m_bp", "rmse_60m_bp"]].max() < 2.5
    assert table.loc[1, "rmse_12m_bp"] > 5 * table.loc[3, "rmse_12m_bp"]
    assert table.loc[3, "spectral_radius"] == pytest.approx(0.985, abs=0.01)


def test_var_eigenvalues_and_r2(truth: AffineTruth) -> None:
    results = ACM(truth.yields, n_factors=3).fit()
    eigenvalues = var_eigenvalues(results)
    # true VAR slope is triangular with roots 0.985, 0.95, 0.85 (measured 0.992, 0.936, 0.847)
    np.testing.assert_allclose(np.abs(eigenvalues), [0.985, 0.95, 0.85], atol=0.02)
    assert 0.0 < predictive_r2(results) < 0.05
    summary = results.summary()
    assert "VAR eigenvalue moduli: 0.99" in summary
    assert "Number of factors (same specification, K = 3..6)" in summary
    assert "Unspanned factors (unspanned PCs 4..5)" in summary
    assert "Number of factors" not in results.summary(diagnostics=False)
