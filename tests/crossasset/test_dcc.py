"""DCC-GARCH(1,1): recovery of known parameters by simulation, and the real stock-bond DCC."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import stock_bond_daily_returns
from tests.crossasset._simulate import dcc_garch
from ustpull.crossasset.dcc import DCCGarch, dcc_correlations, garch_variance
from ustpull.errors import DataError

TRUE_GARCH = ((0.02, 0.08, 0.90), (0.05, 0.05, 0.93))
TRUE_A, TRUE_B = 0.04, 0.94


@pytest.fixture(scope="module")
def simulated() -> tuple[pd.DataFrame, np.ndarray]:
    returns, correlation = dcc_garch(4000, garch=TRUE_GARCH, a=TRUE_A, b=TRUE_B, rho=-0.3, seed=0)
    frame = pd.DataFrame(
        returns, index=pd.bdate_range("2000-01-03", periods=4000), columns=["stock", "bond"]
    )
    return frame, correlation


def test_recovers_known_parameters(simulated: tuple[pd.DataFrame, np.ndarray]) -> None:
    frame, true_correlation = simulated
    res = DCCGarch(frame).fit()
    est = res.params["estimate"]
    # stated tolerances (T = 4000): alpha 0.02, beta 0.04, a 0.015, b 0.03
    for name, (_, alpha, beta) in zip(("stock", "bond"), TRUE_GARCH, strict=True):
        assert est[f"{name}.alpha"] == pytest.approx(alpha, abs=0.02)
        assert est[f"{name}.beta"] == pytest.approx(beta, abs=0.04)
    assert est["dcc.a"] == pytest.approx(TRUE_A, abs=0.015)
    assert est["dcc.b"] == pytest.approx(TRUE_B, abs=0.03)
    # measured on seed 0: a 0.0320, b 0.9371; each truth inside its 95% interval
    table = res.params
    truth = {"stock.alpha": 0.08, "stock.beta": 0.90, "dcc.a": TRUE_A, "dcc.b": TRUE_B}
    for name, value in truth.items():
        assert table.loc[name, "ci_low"] <= value <= table.loc[name, "ci_high"]
    path = res.conditional_correlation["stock~bond"].to_numpy()
    assert np.corrcoef(path, true_correlation)[0, 1] > 0.98


def test_recursions_match_the_textbook_loop() -> None:
    rng = np.random.default_rng(4)
    eps = rng.standard_normal(50)
    h = garch_variance(eps, 0.1, 0.1, 0.8)
    expected = [np.mean(eps**2)]
    for t in range(1, 50):
        expected.append(0.1 + 0.1 * eps[t - 1] ** 2 + 0.8 * expected[-1])
    np.testing.assert_allclose(h, expected, rtol=1e-12)
    z = rng.standard_normal((50, 2))
    r = dcc_correlations(z, 0.05, 0.9)
    q_bar = z.T @ z / 50
    q = q_bar.copy()
    for t in range(1, 50):
        q = 0.05 * q_bar + 0.05 * np.outer(z[t - 1], z[t - 1]) + 0.9 * q
    assert r[-1, 0, 1] == pytest.approx(q[0, 1] / np.sqrt(q[0, 0] * q[1, 1]), rel=1e-12)


def test_real_sp500_and_gsw_10y(shared_data: Path) -> None:
    returns = stock_bond_daily_returns(shared_data, start="1990")
    res = DCCGarch(returns).fit()
    est = res.params["estimate"]
    # 8351 daily returns 1990-01-03..2023-07-07 (percent); reference: this fit, recorded 2026-12
    assert res.data_through == pd.Timestamp("2023-07-07")
    assert est["dcc.a"] == pytest.approx(0.0413, abs=0.002)
    assert est["dcc.b"] == pytest.approx(0.9542, abs=0.002)
    assert est["sp500.alpha"] == pytest.approx(0.1027, abs=0.002)
    assert est["gsw10y.beta"] == pytest.approx(0.9542, abs=0.002)
    corr = res.conditional_correlation["sp500~gsw10y"]
    yearly = corr.groupby(corr.index.year).mean()
    # positive in the 1990s, negative 2000-2020 (about -0.5 in 2008), back near zero in 2022
    assert yearly[1994] == pytest.approx(0.55, abs=0.02)
    assert yearly[2008] == pytest.approx(-0.50, abs=0.02)
    assert yearly[2022] == pytest.approx(0.09, abs=0.02)
    assert "DCC-GARCH(1,1)" in res.summary()
    res.plot()


def test_bad_inputs_are_refused() -> None:
    dates = pd.bdate_range("2000-01-03", periods=300)
    one = pd.DataFrame({"a": np.arange(300.0)}, index=dates)
    with pytest.raises(DataError, match="at least two series"):
        DCCGarch(one)
    with pytest.raises(DataError, match="need at least 250"):
        DCCGarch(pd.DataFrame({"a": np.ones(100), "b": np.ones(100)}, index=dates[:100]))
    with pytest.raises(DataError, match="constant"):
        DCCGarch(one.assign(b=1.0))
