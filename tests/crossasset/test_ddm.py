"""Dividend-discount view: exact decomposition, log mean, Gordon sensitivity (closed forms)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.ddm import (
    DividendDiscount,
    gordon_price_change,
    log_mean,
    price_decomposition,
)
from ustpull.errors import DataError


@pytest.fixture
def shiller() -> pd.DataFrame:
    """Five years of monthly data with random walks in price, earnings, CPI and GS10."""
    months = pd.date_range("2000-01-01", periods=60, freq="MS", name="date")
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "price": 1000 * np.exp(np.cumsum(rng.normal(0, 0.04, 60))),
            "dividend": 20 * np.exp(np.cumsum(rng.normal(0, 0.01, 60))),
            "earnings": 50 * np.exp(np.cumsum(rng.normal(0, 0.02, 60))),
            "cpi": 170 * np.exp(np.cumsum(np.full(60, 0.002))),
            "gs10": 5 + np.cumsum(rng.normal(0, 0.2, 60)),
        },
        index=months,
    )


def test_log_mean_reference_values() -> None:
    # L(1, e) = (e - 1) / 1; L(a, a) = a; L(2, 8) = 6 / ln 4
    np.testing.assert_allclose(
        log_mean(np.array([1.0, 3.0, 2.0]), np.array([math.e, 3.0, 8.0])),
        [math.e - 1.0, 3.0, 6.0 / math.log(4.0)],
        rtol=1e-14,
    )


def test_decomposition_hand_example() -> None:
    # P 100 -> 80 with E = 5 constant: EY 5% -> 6.25%; r 2% -> 3.25%, ERP 3% both dates.
    # All of ln(0.8) is the real-rate part, the risk premium adds nothing.
    parts = price_decomposition(
        np.array([100.0, 80.0]),
        np.array([5.0, 5.0]),
        np.array([2.0, 3.25]),
        np.array([0]),
        np.array([1]),
    )
    assert parts["total"][0] == pytest.approx(math.log(0.8), abs=1e-15)
    assert parts["earnings"][0] == 0.0
    assert parts["real_rate"][0] == pytest.approx(math.log(0.8), abs=1e-15)
    assert parts["risk_premium"][0] == pytest.approx(0.0, abs=1e-15)


def test_parts_add_up_and_are_path_independent(shiller: pd.DataFrame) -> None:
    results = DividendDiscount(shiller).fit()
    years = results.calendar_years()
    # Dec -> Dec; the yields start 2001-01 (12 months of CPI history for the proxy)
    assert list(years.index) == [2002, 2003, 2004]
    assert years["residual"].abs().max() < 1e-14
    np.testing.assert_allclose(
        years[["earnings", "real_rate", "risk_premium"]].sum(axis=1), years["total"], atol=1e-14
    )
    # path independence: the split over 2001-12..2003-12 uses only the end points
    whole = results.decompose("2001-12", "2003-12")
    assert whole["total"] == pytest.approx(years.loc[[2002, 2003], "total"].sum(), abs=1e-14)
    assert whole["earnings"] == pytest.approx(years.loc[[2002, 2003], "earnings"].sum(), abs=1e-14)
    yields = results.yields
    assert yields["equity_risk_premium"].iloc[-1] == pytest.approx(
        100 * shiller["earnings"].iloc[-1] / shiller["price"].iloc[-1]
        - yields["real_yield"].iloc[-1]
    )


def test_real_yield_proxy_and_tips_splice(shiller: pd.DataFrame) -> None:
    # CPI grows 0.2% a month: trailing 12-month inflation = 100 (e^{0.024} - 1) = 2.4290%
    tips_days = pd.bdate_range("2003-06-01", "2004-12-31")
    tips = pd.Series(1.5, index=tips_days)
    results = DividendDiscount(shiller, tips_10y=tips).fit()
    yields = results.yields
    assert yields.index[0] == pd.Timestamp("2001-01-01")  # 12 months of CPI history needed
    inflation = 100 * (math.exp(0.024) - 1)
    assert yields.loc["2001-01-01", "real_yield"] == pytest.approx(
        shiller.loc["2001-01-01", "gs10"] - inflation, abs=1e-10
    )
    assert (yields.loc["2003-06-01":, "real_yield"] == 1.5).all()
    assert set(yields.loc["2003-06-01":, "real_yield_source"]) == {"tips"}
    three_year = DividendDiscount(shiller, inflation_proxy="trailing_36m").fit().yields
    assert three_year.index[0] == pd.Timestamp("2003-01-01")
    assert three_year["real_yield"].iloc[0] == pytest.approx(
        shiller.loc["2003-01-01", "gs10"] - inflation, abs=1e-10
    )


def test_gordon_sensitivity() -> None:
    # k = 2%: P'/P = 2 / 3; k = 4%: 4 / 5
    np.testing.assert_allclose(gordon_price_change(np.array([2.0, 4.0])), [-1 / 3, -0.2])
    with pytest.raises(DataError, match="must be positive"):
        gordon_price_change(0.0)


def test_bad_inputs_and_outputs(shiller: pd.DataFrame) -> None:
    bad = shiller.copy()
    bad.iloc[5, bad.columns.get_loc("earnings")] = -1.0
    with pytest.raises(DataError, match="Shiller earnings is not positive on 2000-06"):
        DividendDiscount(bad).fit()
    with pytest.raises(DataError, match="lacks columns"):
        DividendDiscount(shiller.drop(columns="gs10"))
    with pytest.raises(DataError, match="inflation_proxy must be one of"):
        DividendDiscount(shiller, inflation_proxy="median")  # type: ignore[arg-type]
    results = DividendDiscount(shiller).fit()
    with pytest.raises(DataError, match=r"no complete Shiller data .* for 1999-12"):
        results.decompose("1999-12", "2002-12")
    with pytest.raises(DataError, match="is empty"):
        results.decompose("2002-12", "2002-12")
    sensitivity = results.sensitivity()
    k = sensitivity.loc["dividend_yield", "cash_yield_pct"]
    assert sensitivity.loc["dividend_yield", "price_change_pct"] == pytest.approx(
        100 * (k / (k + 1) - 1)
    )
    assert "Gordon" in results.summary()
    assert results.to_dict()["calendar_years"][0]["year"] == 2002
    assert len(results.plot().axes) == 1
