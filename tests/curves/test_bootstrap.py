"""Exact bootstrap from the TreasuryDirect securities of 2024-06-26 and synthetic truth."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from tests.curves.test_bonds import treasurydirect_table
from ustpull.curves.bonds import cashflow_matrix
from ustpull.curves.bootstrap import (
    Bootstrap,
    bootstrap_batch,
    select_one_per_maturity,
    solve_node_discount,
)
from ustpull.curves.zero_curve import INTERPOLATIONS, Interpolation, ZeroCurve
from ustpull.errors import DataError, FitError
from ustpull.sources.local import load_frame

matplotlib.use("Agg")
SETTLEMENT = pd.Timestamp("2024-06-27")


@pytest.fixture(scope="module")
def fedinvest(shared_data: Path) -> pd.DataFrame:
    return treasurydirect_table(shared_data)


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
def test_every_treasurydirect_security_reprices(
    fedinvest: pd.DataFrame, interpolation: Interpolation
) -> None:
    results = Bootstrap(fedinvest, SETTLEMENT, interpolation=interpolation).fit()
    assert len(results.securities) == 89
    assert results.dropped.empty
    assert results.max_abs_error < 1e-8  # per 100 face, the exactness bound
    assert results.pricing_errors.abs().max() == results.max_abs_error
    np.testing.assert_allclose(results.curve.times, results.cashflows.maturity_times)
    # reasonableness against GSW's smoothed curve the same day (SVENY02 4.7001, SVENY10
    # 4.2946, percent continuous): the exact curve passes through individual securities
    zero = results.curve.zero_yield([2.0, 10.0])
    assert zero[0] == pytest.approx(4.7001, abs=0.10)
    assert zero[1] == pytest.approx(4.2946, abs=0.10)


def test_bootstrap_and_gsw_agree_in_level(fedinvest: pd.DataFrame, shared_data: Path) -> None:
    gsw = load_frame([f"us.gsw.zero.{n}y" for n in range(1, 30)], shared_data).loc["2024-06-26"]
    results = Bootstrap(fedinvest, SETTLEMENT, interpolation="monotone_convex").fit()
    gap = results.curve.zero_yield(np.arange(1, 30)) - gsw.to_numpy()
    # percent; measured 2026-11: <= 2.9 bp for 1-9 years, <= 17 bp beyond, where the
    # exact curve follows individual off-the-run bonds that GSW's smooth fit averages out
    assert np.max(np.abs(gap[:9])) < 0.035
    assert np.max(np.abs(gap)) < 0.20


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
def test_recovers_a_known_curve(fedinvest: pd.DataFrame, interpolation: Interpolation) -> None:
    """Synthetic truth: price the real securities off a known curve with nodes at their
    maturities; the bootstrap must return that curve."""
    ordered = fedinvest.sort_values("maturity", ignore_index=True)
    matrix = cashflow_matrix(ordered, SETTLEMENT)
    times = matrix.maturity_times
    zeros = 4.2 + 1.1 * np.exp(-times / 1.5) + 0.3 * np.sin(times / 4)  # percent
    truth = ZeroCurve.from_zero_yields(times, zeros, interpolation=interpolation)
    dirty = matrix.present_value(truth.discount(matrix.times))
    synthetic = ordered.assign(clean_price=dirty - matrix.accrued)
    fitted = Bootstrap(synthetic, SETTLEMENT, interpolation=interpolation).fit()
    np.testing.assert_allclose(fitted.curve.discount_factors, truth.discount_factors, rtol=1e-11)
    between = np.linspace(0.01, 29.8, 250)
    np.testing.assert_allclose(
        fitted.curve.zero_yield(between), truth.zero_yield(between), atol=1e-9
    )


def test_duplicate_maturities(fedinvest: pd.DataFrame) -> None:
    # a 30-year bond due 2034-05-15 alongside the 10-year note 91282CKQ3 (same maturity)
    twin = pd.DataFrame(
        {
            "cusip": ["912810XX0"],
            "security_type": ["bond"],
            "coupon": [0.0625],
            "maturity": [pd.Timestamp("2034-05-15")],
            "clean_price": [115.0],
        }
    )
    table = pd.concat([twin, fedinvest], ignore_index=True)
    kept, dropped = select_one_per_maturity(table)
    assert len(kept) == 89
    assert kept["maturity"].is_monotonic_increasing
    assert dropped["cusip"].tolist() == ["912810XX0"]
    assert dropped["reason"].iloc[0] == "same maturity as 91282CKQ3"
    results = Bootstrap(table, SETTLEMENT).fit()
    assert results.max_abs_error < 1e-8
    assert results.dropped["cusip"].tolist() == ["912810XX0"]
    with pytest.raises(DataError, match=r"share maturity 2034-05-15 \(e.g. 912810XX0\)"):
        Bootstrap(table, SETTLEMENT, duplicate_maturities="raise")


def test_too_few_securities_and_bad_options(fedinvest: pd.DataFrame) -> None:
    # bond-table errors (tests/curves/test_bonds.py) surface unchanged, naming the CUSIP
    with pytest.raises(DataError, match="912796Y52: maturity 2024-07-05 is on or before"):
        Bootstrap(fedinvest, "2024-07-05")
    with pytest.raises(DataError, match="at least 2 securities with distinct maturities, got 1"):
        Bootstrap(fedinvest.iloc[:1], SETTLEMENT)
    with pytest.raises(DataError, match="unknown interpolation 'spline'"):
        Bootstrap(fedinvest, SETTLEMENT, interpolation="spline")  # type: ignore[arg-type]
    with pytest.raises(FitError, match="did not reprice every security"):
        Bootstrap(fedinvest, SETTLEMENT).fit(max_iterations=1)


def test_results_object(fedinvest: pd.DataFrame) -> None:
    results = Bootstrap(fedinvest, SETTLEMENT, interpolation="monotone_convex").fit()
    text = str(results)
    assert "Settlement:            2024-06-27" in text
    assert "monotone_convex" in text
    frame = results.curve_frame()
    assert list(frame.columns) == [
        "maturity_years",
        "discount_factor",
        "zero_yield_cc",
        "zero_yield_sa",
        "par_yield",
        "forward_instantaneous",
    ]
    assert len(frame) == 358  # monthly to 2054-05-15 = 29.88 years
    assert frame["maturity_years"].iloc[0] == pytest.approx(1 / 12)
    securities = results.securities
    assert securities.loc["912810UA4", "pricing_error"] == pytest.approx(0.0, abs=1e-8)
    figure = results.plot()
    assert len(figure.axes[0].lines) == 3
    assert "nodes" in repr(results)


def test_batch_matches_one_by_one(fedinvest: pd.DataFrame) -> None:
    """Three settlement dates of the same 89 securities, prices from three known curves."""
    matrices = []
    for shift, settle in enumerate(["2024-06-27", "2024-06-28", "2024-07-01"]):
        base = cashflow_matrix(fedinvest, settle)
        curve = ZeroCurve.from_zero_yields([0.5, 2, 10, 30], [5.3 + 0.05 * shift, 4.7, 4.3, 4.5])
        dirty = base.present_value(curve.discount(base.times))
        matrices.append(cashflow_matrix(fedinvest.assign(clean_price=dirty - base.accrued), settle))
    for interpolation in ("log_linear_discount", "monotone_convex"):
        batch = bootstrap_batch(matrices, interpolation=interpolation)
        assert batch.max_abs_error < 1e-8
        assert batch.pricing_errors.shape == (3, 89)
        for matrix, curve in zip(matrices, batch.curves, strict=True):
            table = fedinvest.assign(clean_price=matrix.clean_price)
            single = Bootstrap(table, matrix.settlement, interpolation=interpolation).fit()
            np.testing.assert_allclose(
                curve.discount_factors, single.curve.discount_factors, rtol=1e-12
            )
    zeros = batch.zero_yields([1.0, 10.0])
    assert zeros.shape == (3, 2)
    assert "3 dates, 89 securities" in str(batch)
    figure = batch.plot()
    assert [line.get_label() for line in figure.axes[0].lines] == [
        "2-year zero",
        "5-year zero",
        "10-year zero",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"dirty_prices": np.array([[99.0, -1.0]])},
            r"dirty price at \(date 0, security 1\) must be positive, got -1.0",
        ),
        ({"node_times": np.array([[1.0, 1.0]])}, "strictly increasing"),
        ({"amounts": np.ones((1, 2, 3))}, "does not match"),
        ({"flow_times": np.array([[0.5, np.nan]])}, "flow_times has non-finite values"),
        ({"node_times": np.array([1.0, 2.0])}, "need node_times"),
    ],
)
def test_solver_input_checks(change: dict[str, np.ndarray], message: str) -> None:
    arrays = {
        "node_times": np.array([[0.5, 1.0]]),
        "flow_times": np.array([[0.5, 1.0]]),
        "amounts": np.array([[[100.0, 0.0], [2.0, 102.0]]]),
        "dirty_prices": np.array([[98.0, 99.0]]),
    }
    arrays.update(change)
    with pytest.raises(DataError, match=message):
        solve_node_discount(**arrays)


def test_batch_bad_input(fedinvest: pd.DataFrame) -> None:
    whole = cashflow_matrix(fedinvest, SETTLEMENT)
    part = cashflow_matrix(fedinvest.iloc[:10], SETTLEMENT)
    with pytest.raises(DataError, match=r"same number of securities, got \[10, 89\]"):
        bootstrap_batch([whole, part])
    with pytest.raises(DataError, match="at least one date"):
        bootstrap_batch([])
    doubled = cashflow_matrix(pd.concat([fedinvest.iloc[:3], fedinvest.iloc[:1]]), SETTLEMENT)
    with pytest.raises(DataError, match="2024-06-27: securities share a maturity"):
        bootstrap_batch([doubled])
