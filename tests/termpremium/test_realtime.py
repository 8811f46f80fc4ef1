"""Real-time (expanding-window) ACM: every window equals a refit on the truncated sample."""

from __future__ import annotations

import numpy as np
import pytest

from tests.termpremium.synthetic import AffineTruth
from ustpull.errors import DataError
from ustpull.termpremium.acm import ACM
from ustpull.termpremium.realtime import expanding_term_premium


def test_windows_equal_refits(truth: AffineTruth) -> None:
    yields = truth.yields.iloc[:300]
    model = ACM(yields, n_factors=3)
    result = expanding_term_premium(model, min_months=150, maturities=(12, 60, 120))
    assert len(result.real_time) == 151
    assert result.real_time.index[0] == yields.index[149]
    for end in (149, 220, 299):
        refit = ACM(yields.iloc[: end + 1], n_factors=3).fit().term_premium.iloc[-1]
        np.testing.assert_allclose(
            result.real_time.loc[yields.index[end]].to_numpy(),
            refit[[12, 60, 120]].to_numpy(),
            rtol=0,
            atol=1e-10,
        )
    # the last window is the full sample
    np.testing.assert_allclose(result.gap_bp.iloc[-1].to_numpy(), 0.0, atol=1e-8)
    summary = result.gap_summary()
    assert list(summary.columns) == ["mean_bp", "rms_bp", "max_abs_bp", "correlation"]
    assert summary.loc[120, "rms_bp"] > 0.0
    assert list(result.to_frame().columns[:2]) == ["term_premium_1y_real_time", "term_premium_1y"]
    by_decade = result.gap_by_decade()
    assert list(by_decade.index) == ["1950s", "1960s"]  # windows end 1952-06 .. 1964-12
    assert by_decade.loc["1960s", 120] > 0.0


def test_refuses_what_it_cannot_reproduce(truth: AffineTruth) -> None:
    with pytest.raises(DataError, match="OLS VAR only"):
        expanding_term_premium(ACM(truth.yields, n_factors=3, var_bias="pope"))
    with pytest.raises(DataError, match="min_months must be between 12 and the 960"):
        expanding_term_premium(ACM(truth.yields, n_factors=3), min_months=5)


@pytest.mark.filterwarnings("ignore::ustpull.errors.ShortSampleWarning")
def test_short_early_windows_equal_refits(truth: AffineTruth) -> None:
    # from 12 months on: the first windows converge slowly and take the eigh fallback
    yields = truth.yields.iloc[:60]
    result = expanding_term_premium(ACM(yields, n_factors=3), min_months=12, maturities=(120,))
    for end in (11, 12, 30):
        refit = ACM(yields.iloc[: end + 1], n_factors=3).fit().term_premium.iloc[-1][120]
        assert result.real_time.loc[yields.index[end], 120] == pytest.approx(refit, abs=1e-9)
