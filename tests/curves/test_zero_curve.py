"""ZeroCurve: interpolation, rate conversions, identities, par <-> zero panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad
from scipy.interpolate import CubicSpline

from ustpull.curves.zero_curve import (
    INTERPOLATIONS,
    Interpolation,
    ZeroCurve,
    interpolate_log_discount,
    par_to_zero,
    zero_to_par,
)
from ustpull.errors import DataError
from ustpull.sources.local import load_frame

NODES = np.array([0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 10.0, 20.0, 30.0])
ZEROS = np.array([5.3, 5.2, 5.0, 4.7, 4.5, 4.3, 4.3, 4.3, 4.6, 4.5])  # percent, continuous


@pytest.fixture(params=INTERPOLATIONS)
def curve(request: pytest.FixtureRequest) -> ZeroCurve:
    return ZeroCurve.from_zero_yields(NODES, ZEROS, interpolation=request.param)


def test_nodes_are_reproduced(curve: ZeroCurve) -> None:
    np.testing.assert_allclose(curve.zero_yield(NODES), ZEROS, atol=1e-12)
    np.testing.assert_allclose(curve.discount(NODES), np.exp(-ZEROS / 100 * NODES), rtol=1e-14)
    assert curve.discount(0.0) == 1.0


def test_forward_integrates_to_the_zero_yield(curve: ZeroCurve) -> None:
    # identity: z(T) T = int_0^T f(s) ds, checked by adaptive quadrature
    for maturity in (0.1, 0.75, 4.4, 12.0, 29.0, 33.0):
        knots = [t for t in NODES if t < maturity]
        area, _ = quad(
            lambda s: float(curve.forward_instantaneous(s)),
            0,
            maturity,
            points=knots,
            limit=200,
            epsabs=1e-12,
        )
        assert area / 100 == pytest.approx(curve.zero_yield(maturity) / 100 * maturity, abs=1e-9)


def test_forward_rate_over_a_period_is_the_discount_ratio(curve: ZeroCurve) -> None:
    forward = curve.forward_rate(2.0, 3.0)
    expected = 100 * np.log(curve.discount(2.0) / curve.discount(5.0)) / 3.0
    assert forward == pytest.approx(expected, abs=1e-12)
    semiannual = curve.forward_rate(2.0, 3.0, compounding="semiannual")
    assert semiannual == pytest.approx(200 * (np.exp(expected / 100 / 2) - 1), abs=1e-10)


def test_par_bond_prices_to_one_hundred(curve: ZeroCurve) -> None:
    # a bond with coupon = par yield has clean price 100 (semiannual coupons, ACT accrual)
    for maturity in (0.5, 1.0, 2.25, 7.0, 9.9, 30.0):
        coupon = curve.par_yield(maturity) / 100
        count = int(np.ceil(2 * maturity - 1e-9))
        times = maturity - 0.5 * np.arange(count)
        dirty = 100 * (coupon / 2 * curve.discount(times).sum() + curve.discount(maturity))
        accrued = 100 * coupon / 2 * (1 - 2 * times.min())
        assert dirty - accrued == pytest.approx(100.0, abs=1e-10)


def test_flat_curve_conversions() -> None:
    # D = exp(-0.05 t): annual e^0.05 - 1, semiannual 2(e^0.025 - 1); the semiannual par
    # yield on half-year maturities equals the semiannual zero yield
    flat = ZeroCurve.from_zero_yields([1.0, 10.0], [5.0, 5.0])
    t = np.array([0.5, 3.0, 10.0])
    np.testing.assert_allclose(flat.zero_yield(t, compounding="annual"), 100 * np.expm1(0.05))
    semiannual = 200 * np.expm1(0.025)
    np.testing.assert_allclose(flat.zero_yield(t, compounding="semiannual"), semiannual)
    np.testing.assert_allclose(flat.par_yield(t), semiannual, atol=1e-12)
    np.testing.assert_allclose(flat.forward_instantaneous([0.0, 0.3, 25.0]), 5.0, atol=1e-12)
    assert flat.zero_yield(0.0) == pytest.approx(5.0, abs=1e-9)


def test_bill_maturities_par_yield_is_bond_equivalent() -> None:
    curve = ZeroCurve.from_zero_yields(NODES, ZEROS)
    t = 0.25
    assert curve.par_yield(t) == pytest.approx(100 * (1 / curve.discount(t) - 1) / t, abs=1e-12)


def test_log_cubic_is_the_natural_spline_on_log_discount() -> None:
    # reference: scipy CubicSpline(bc_type="natural") through (0, 0) and the nodes
    spline = CubicSpline(np.r_[0, NODES], np.r_[0, -ZEROS / 100 * NODES], bc_type="natural")
    curve = ZeroCurve.from_zero_yields(NODES, ZEROS, interpolation="log_cubic")
    grid = np.linspace(0, 30, 601)
    np.testing.assert_allclose(curve.discount(grid), np.exp(spline(grid)), rtol=1e-13)
    np.testing.assert_allclose(
        curve.forward_instantaneous(grid), -100 * spline(grid, 1), atol=1e-10
    )


def test_log_linear_gives_flat_forwards() -> None:
    curve = ZeroCurve.from_zero_yields(NODES, ZEROS)
    # forward on (5, 7]: (4.3*7 - 4.3*5) / 2 = 4.3; on (10, 20]: (4.6*20 - 4.3*10) / 10 = 4.9
    np.testing.assert_allclose(curve.forward_instantaneous([5.5, 6.9]), 4.3, atol=1e-12)
    np.testing.assert_allclose(curve.forward_instantaneous([10.1, 19.9]), 4.9, atol=1e-12)


def test_monotone_convex_properties() -> None:
    """Hagan-West (2006): monotone data give monotone, continuous forwards; node forwards by
    their eqs. 25-26."""
    nodes = [1, 2, 3, 5, 10]
    increasing = ZeroCurve.from_zero_yields(
        nodes, [1.0, 1.5, 2.0, 2.6, 3.4], interpolation="monotone_convex"
    )
    forwards = increasing.forward_instantaneous(np.linspace(0.0, 10, 1001))
    assert np.all(np.diff(forwards) >= -1e-12)
    for node in nodes[:-1]:
        below, above = increasing.forward_instantaneous([node - 1e-9, node + 1e-9])
        assert below == pytest.approx(above, abs=1e-6)
    # discrete forwards 1, 2, 3, 3.5, 4.2 (percent); f_1 = (1 * 2 + 1 * 1) / 2 = 1.5,
    # f_0 = f^d_1 - (f_1 - f^d_1) / 2 = 0.75; f_5 = (2 * 4.2 + 5 * 3.5) / 7 = 3.7,
    # f_10 = 4.2 - (3.7 - 4.2) / 2 = 4.45
    expected = [0.75, 1.5, 3.7, 4.45]
    np.testing.assert_allclose(
        increasing.forward_instantaneous([0, 1, 5, 10]), expected, atol=1e-12
    )


def test_interpolation_is_batched_over_dates() -> None:
    rows = np.stack([ZEROS, ZEROS + 1.0])
    logs = -rows / 100 * NODES
    batched, _ = interpolate_log_discount(
        NODES, logs, np.array([[1.5, 8.0]]), interpolation="monotone_convex"
    )
    for row, zeros in enumerate(rows):
        single = ZeroCurve.from_zero_yields(NODES, zeros, interpolation="monotone_convex")
        np.testing.assert_allclose(np.exp(batched[row]), single.discount([1.5, 8.0]), rtol=1e-15)


@pytest.mark.parametrize(
    ("times", "factors", "message"),
    [
        ([1.0, 1.0], [0.9, 0.8], "strictly increasing: 1.0 then 1.0"),
        ([2.0, 1.0], [0.9, 0.8], "strictly increasing: 2.0 then 1.0"),
        ([1.0, np.nan], [0.9, 0.8], "node 1"),
        ([1.0, 2.0], [0.9, 0.0], "node 1: time 2.0 and discount factor 0.0"),
        ([1.0], [0.9, 0.8], "as many discount factors"),
    ],
)
def test_bad_nodes(times: list[float], factors: list[float], message: str) -> None:
    with pytest.raises(DataError, match=message):
        ZeroCurve(times, factors)


def test_bad_options() -> None:
    with pytest.raises(DataError, match="unknown interpolation 'cubic'"):
        ZeroCurve([1.0], [0.95], interpolation="cubic")  # type: ignore[arg-type]
    curve = ZeroCurve([1.0], [0.95])
    with pytest.raises(DataError, match="non-negative"):
        curve.discount(-1.0)
    with pytest.raises(DataError, match="tenor must be positive"):
        curve.forward_rate(1.0, 0.0)


# ------------------------------------------------------------------ panels on real data
@pytest.fixture(scope="module")
def treasury_par(shared_data: Path) -> pd.DataFrame:
    tenors = {
        "1m": 1 / 12,
        "2m": 2 / 12,
        "3m": 0.25,
        "4m": 4 / 12,
        "6m": 0.5,
        "1y": 1.0,
        "2y": 2.0,
        "3y": 3.0,
        "5y": 5.0,
        "7y": 7.0,
        "10y": 10.0,
        "20y": 20.0,
        "30y": 30.0,
    }
    frame = load_frame([f"us.tsy_par.{tenor}" for tenor in tenors], shared_data)
    frame.columns = pd.Index(list(tenors.values()))
    return frame


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
def test_par_zero_par_round_trip_on_treasury_curve(
    treasury_par: pd.DataFrame, interpolation: Interpolation
) -> None:
    """Treasury daily par curve 2021-2025: par -> zero -> par exact on every grid point."""
    zeros = par_to_zero(treasury_par, interpolation=interpolation)
    assert zeros.shape == (1115, 4 + 60)  # 1, 2, 3, 4 months + 60 half-years (6 months .. 30y)
    back = zero_to_par(zeros, interpolation=interpolation)
    quoted = treasury_par.columns.to_numpy()
    expected = treasury_par
    on_grid = back.loc[:, quoted]
    mask = expected.notna().to_numpy() & on_grid.notna().to_numpy()
    np.testing.assert_allclose(on_grid.to_numpy()[mask], expected.to_numpy()[mask], atol=1e-11)
    assert mask.sum() == expected.notna().sum().sum()  # every quote came back
    # the 4-month bill is quoted only from 2022-10-19; before, the grid point is filled from
    # the linear par interpolation between 3 and 6 months
    assert np.isnan(treasury_par.loc["2021-06-01", 4 / 12])
    assert zeros.loc["2021-06-01"].notna().all()
    # 2024-06-26 (inverted front end): Treasury 10y par 4.32; the 10y zero sits 3-8 bp below
    # par, as in GSW that day (SVENY10 4.2946 vs SVENPY10 4.3478: -5.3 bp)
    spread = zeros.loc["2024-06-26", 10.0] - treasury_par.loc["2024-06-26", 10.0]
    assert -0.08 < spread < -0.03


def test_jgb_par_curve_round_trip(shared_data: Path) -> None:
    """MoF JGB par curve (semiannual coupons) 1974-2024, 1-40 years with tenors missing
    before issuance: par -> zero -> par exact on every quote."""
    tenors = [*range(1, 11), 15, 20, 25, 30, 40]
    par = load_frame([f"jp.mof.par.{n}y" for n in tenors], shared_data)
    par.columns = pd.Index(np.array(tenors, float))
    zeros = par_to_zero(par, interpolation="monotone_convex")
    back = zero_to_par(zeros, maturities=tenors, interpolation="monotone_convex")
    quoted = par.notna().to_numpy()
    assert quoted.sum() > 100_000
    np.testing.assert_allclose(back.to_numpy()[quoted], par.to_numpy()[quoted], atol=1e-10)
    # beyond a date's longest quote nothing is extrapolated
    assert np.isnan(zeros.loc[par[40.0].isna() & par[10.0].notna(), 35.0]).all()


def test_gsw_par_yields_from_gsw_parameters(shared_data: Path) -> None:
    """GSW (2007) par yields SVENPY01..30 recomputed from published NSS parameters.

    Reference: Federal Reserve feds200628 (2022-10-11 .. 2025-10-03, 746 days); zero yields
    from the NSS formula of the MANIFEST on the half-year grid, then par = 2(1 - D(n)) /
    sum D(k/2). SVENPY are published to 4 decimals.
    """
    names = ["beta0", "beta1", "beta2", "beta3", "tau1", "tau2"]
    maturities = np.arange(1, 31)
    ids = [f"us.gsw.{name}" for name in names] + [f"us.gsw.par.{n}y" for n in maturities]
    frame = load_frame(ids, shared_data).dropna()
    assert len(frame) == 746
    b0, b1, b2, b3, t1, t2 = (frame[f"us.gsw.{name}"].to_numpy()[:, None] for name in names)
    grid = np.arange(1, 61) / 2
    x1, x2 = grid / t1, grid / t2
    loading1 = (1 - np.exp(-x1)) / x1
    loading2 = (1 - np.exp(-x2)) / x2
    zero = b0 + b1 * loading1 + b2 * (loading1 - np.exp(-x1)) + b3 * (loading2 - np.exp(-x2))
    par = zero_to_par(pd.DataFrame(zero, index=frame.index, columns=grid), maturities=maturities)
    published = frame[[f"us.gsw.par.{n}y" for n in maturities]].to_numpy()
    assert np.max(np.abs(par.to_numpy() - published)) < 6e-5


def test_panel_bad_columns() -> None:
    with pytest.raises(DataError, match="maturities in years"):
        par_to_zero(pd.DataFrame([[4.0]], columns=["10y"]))
    with pytest.raises(DataError, match="increasing"):
        zero_to_par(pd.DataFrame([[4.0, 4.1]], columns=[2.0, 1.0]))
