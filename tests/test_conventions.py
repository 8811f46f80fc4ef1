"""Tenor tokens and compounding conversions (ustpull.conventions)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ustpull.conventions import (
    PERIODS_PER_YEAR,
    from_continuous,
    series_maturity_years,
    tenor_months,
    tenor_token,
    tenor_years,
    to_continuous,
)
from ustpull.errors import DataError


def test_tenors_round_trip_and_series_ids() -> None:
    assert [tenor_token(m) for m in (120, 18, 1.5, 3, 0)] == ["10y", "18m", "6w", "3m", "0m"]
    assert tenor_months("10y") == 120.0 and tenor_years("6w") == 0.125
    assert series_maturity_years("us.gsw.zero.10y") == 10.0
    assert series_maturity_years("us.cmt.3m") == 0.25
    with pytest.raises(DataError, match="'10Y' is not a tenor token"):
        tenor_years("10Y")
    with pytest.raises(DataError, match=r"tenor of 2\.5 months has no canonical token"):
        tenor_token(2.5)


def test_known_values() -> None:
    # 5 % semiannual: r = 200 ln(1.025) = 4.93852252...; 5 % annual: 100 ln(1.05) = 4.87901642...
    assert to_continuous(5.0, "semiannual") == pytest.approx(4.938522518, abs=1e-9)
    assert to_continuous(5.0, "annual") == pytest.approx(4.879016417, abs=1e-9)
    assert to_continuous(5.0, "continuous") == 5.0
    assert to_continuous(0.05, "semiannual", scale=1.0) == pytest.approx(0.04938522518, abs=1e-11)
    assert from_continuous(to_continuous(5.0, "semiannual"), "semiannual") == pytest.approx(5.0)
    assert PERIODS_PER_YEAR == {"continuous": None, "annual": 1, "semiannual": 2}


def test_same_bits_as_the_formulas_it_replaced() -> None:
    """Recipe: the expressions each call site used before (termpremium, bootstrap)."""
    rng = np.random.default_rng(15)
    y = rng.uniform(-1.0, 15.0, 1000)  # percent
    t = rng.uniform(0.1, 30.0, 1000)  # years
    assert np.array_equal(to_continuous(y, "semiannual"), 200.0 * np.log1p(y / 200.0))
    assert np.array_equal(to_continuous(y, "annual"), 100.0 * np.log1p(y / 100.0))
    decimal = y / 100.0
    old_start = -2.0 * t * np.log1p(decimal / 2.0)  # bootstrap's starting ln D
    new_start = -t * to_continuous(decimal, "semiannual", scale=1.0)
    assert np.array_equal(old_start, new_start)


def test_pandas_in_pandas_out() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, math.nan]}, index=["x", "y"])
    out = to_continuous(frame, "annual")
    assert isinstance(out, pd.DataFrame) and list(out.index) == ["x", "y"]
    assert math.isnan(out.loc["y", "b"])
    assert out.loc["x", "a"] == pytest.approx(100.0 * math.log(1.01))


def test_unknown_compounding_is_named() -> None:
    with pytest.raises(DataError, match="unknown compounding 'quarterly'; choose one of"):
        to_continuous(1.0, "quarterly")  # type: ignore[arg-type]
