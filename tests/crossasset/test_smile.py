"""Smile/frown: real-time states without look-ahead, the shape test by episode and HAC."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import read_series
from ustpull.crossasset.smile import (
    ShapeTest,
    growth_signal,
    realtime_terciles,
    risk_off_state,
)
from ustpull.errors import DataError


def _episodic(shape: float, seed: int, n_months: int = 480) -> tuple[pd.Series, pd.Series]:
    """States in spells of 6-30 months; outcome mean 0 in 'mid', ``shape`` in both tails,
    AR(1) noise within the month sequence."""
    rng = np.random.default_rng(seed)
    states: list[str] = []
    while len(states) < n_months:
        states += [str(rng.choice(["low", "mid", "mid", "high"]))] * int(rng.integers(6, 31))
    state = pd.Series(
        states[:n_months], index=pd.period_range("1980-01", periods=n_months, freq="M")
    )
    noise = np.zeros(n_months)
    shocks = rng.standard_normal(n_months)
    for t in range(1, n_months):
        noise[t] = 0.3 * noise[t - 1] + shocks[t]
    outcome = pd.Series(np.where(state == "mid", 0.0, shape) + noise, index=state.index)
    return outcome, state


@pytest.mark.parametrize("method", ["episode", "hac"])
def test_detects_a_smile_and_a_frown(method: str) -> None:
    outcome, state = _episodic(1.0, seed=0)
    assert ShapeTest(outcome, state).fit(method=method).verdict == "smile"  # type: ignore[arg-type]
    assert ShapeTest(-outcome, state).fit(method=method).verdict == "frown"  # type: ignore[arg-type]


def test_no_shape_is_rarely_called_a_shape() -> None:
    calls = [
        ShapeTest(*_episodic(0.0, seed=s)).fit(replications=499, seed=s).verdict for s in range(40)
    ]
    assert calls.count("no shape") >= 35  # nominal 95%: about 2 false calls in 40


def test_growth_state_uses_only_data_known_at_the_time(shared_data: Path) -> None:
    payrolls = read_series(shared_data / "macro/PAYEMS.csv")
    state = realtime_terciles(growth_signal(payrolls))
    # changing every payroll number after 2008-06 leaves the 2008-07 state unchanged
    altered = payrolls.astype(float)
    altered.loc["2008-06-02":] *= 1.5
    again = realtime_terciles(growth_signal(altered))
    assert again.loc["1986-01":"2008-07"].equals(state.loc["1986-01":"2008-07"])
    assert again.loc["2008-08"] != state.loc["2008-08"]
    # payrolls through 2008-12, known in 2009-01: the 2009 recession months are 'low'
    assert set(state.loc["2008-06":"2009-06"]) == {"low"}
    assert state.loc[:"1985-12"].isna().all()  # 120 months of history first


def test_risk_off_from_vix_and_nfci(shared_data: Path) -> None:
    vix = read_series(shared_data / "equity/VIXCLS.csv")
    state = risk_off_state(vix)
    assert state.loc["2008-09":"2008-12"].all()
    assert state.mean() == pytest.approx(0.257, abs=0.001)  # above the expanding 80th percentile
    nfci = risk_off_state(read_series(shared_data / "macro/NFCI.csv"), threshold=0.0)
    assert nfci.mean() == pytest.approx(0.295, abs=0.001)


def test_real_dollar_shape_against_payroll_growth(shared_data: Path) -> None:
    payrolls = read_series(shared_data / "macro/PAYEMS.csv")
    state = realtime_terciles(growth_signal(payrolls))
    dxy = read_series(shared_data / "fx/dxy_ice_daily_1971_2024.csv", column=3)
    month_end = dxy.groupby(dxy.index.to_period("M")).last()
    returns = 100 * np.log(month_end).diff().dropna()
    res = ShapeTest(returns, state).fit()
    means = res.means
    # 455 months 1986-2024; 19 low-growth, 26 mid and 9 high episodes: DXY -0.30%/month in low
    # growth, +0.17% mid, +0.10% high: no smile (curvature -0.27, 95% CI -0.94..+0.40, t(8));
    # only the low-vs-mid gap is significant by episode (-0.48, CI -0.88..-0.07)
    assert means["episodes"].tolist() == [19, 26, 9]
    assert means.loc["low", "mean"] == pytest.approx(-0.305, abs=0.001)
    assert res.verdict == "no shape"
    assert res.contrasts.loc["curvature", "estimate"] == pytest.approx(-0.273, abs=0.001)
    assert res.contrasts.loc["low_minus_mid", "ci_high"] < 0.0
    res.plot()


def test_bad_inputs() -> None:
    index = pd.period_range("2000-01", periods=6, freq="M")
    with pytest.raises(DataError, match="unknown states"):
        ShapeTest(pd.Series(1.0, index=index), pd.Series("boom", index=index))
    with pytest.raises(DataError, match="months per state"):
        ShapeTest(pd.Series(1.0, index=index), pd.Series(["low"] * 5 + ["mid"], index=index))
    with pytest.raises(DataError, match="non-positive"):
        growth_signal(
            pd.Series([1.0, -1.0], index=pd.date_range("2000-01-01", periods=2, freq="MS"))
        )


def test_inference_options_are_fit_arguments() -> None:
    outcome, state = _episodic(1.0, seed=0)
    spec = ShapeTest(outcome, state)
    first = spec.fit(replications=299, seed=3)
    assert spec.fit(replications=299, seed=3).contrasts.equals(first.contrasts)  # seeded
    with pytest.raises(DataError, match="method must be 'episode' or 'hac', got 'wild'"):
        spec.fit(method="wild")  # type: ignore[arg-type]
