"""Bai-Perron breaks: exact DP against brute force, known breaks, the real stock-bond breaks."""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import stock_bond_daily_returns
from ustpull.crossasset.breaks import BaiPerron, optimal_partitions
from ustpull.errors import DataError


def _brute_force(values: np.ndarray, m: int, h: int) -> list[int]:
    best, best_ssr = [], np.inf
    for breaks in itertools.combinations(range(h - 1, len(values) - h), m):
        edges = [0, *[b + 1 for b in breaks], len(values)]
        if any(b - a < h for a, b in itertools.pairwise(edges)):
            continue
        ssr = sum(
            np.sum((values[a:b] - values[a:b].mean()) ** 2) for a, b in itertools.pairwise(edges)
        )
        if ssr < best_ssr:
            best, best_ssr = list(breaks), ssr
    return best


def test_dynamic_programming_equals_brute_force() -> None:
    values = np.random.default_rng(0).standard_normal(40).cumsum()
    partitions = optimal_partitions(values, 5, 3)
    for m in (1, 2, 3):
        assert partitions[m] == _brute_force(values, m, 5)


def test_recovers_known_breaks_with_intervals() -> None:
    rng = np.random.default_rng(7)
    means = np.repeat([0.3, -0.3, 0.1], [150, 100, 150])
    series = pd.Series(
        means + 0.25 * rng.standard_normal(400),
        index=pd.date_range("1980-01-31", periods=400, freq="ME"),
        name="y",
    )
    res = BaiPerron(series).fit()
    assert res.n_breaks == 2
    table = res.breaks
    truth = [series.index[149], series.index[249]]
    for (_, row), date in zip(table.iterrows(), truth, strict=True):
        assert row["ci_low"] <= date <= row["ci_high"]
        assert abs((row["break_date"] - date).days) <= 62
    assert res.regimes["mean"].to_numpy() == pytest.approx([0.3, -0.3, 0.1], abs=0.06)


def test_no_break_in_white_noise() -> None:
    series = pd.Series(
        np.random.default_rng(3).standard_normal(300),
        index=pd.date_range("1990-01-31", periods=300, freq="ME"),
    )
    assert BaiPerron(series).fit().n_breaks == 0


def test_real_stock_bond_correlation_breaks(shared_data: Path) -> None:
    returns = stock_bond_daily_returns(shared_data)
    month = returns.index.to_period("M")
    corr = returns.groupby(month).apply(lambda d: d["sp500"].corr(d["gsw10y"]))
    corr.index = corr.index.to_timestamp("M")
    # 624 monthly correlations of daily S&P 500 and GSW 10y returns, 1971-08..2023-07
    res = BaiPerron(corr.rename("monthly_corr")).fit()
    table = res.breaks.set_index("break_date")
    # LWZ: three breaks; the sign change in 1997-09 (95% CI 1997-02..1998-04), shift -0.55
    assert list(table.index) == list(pd.to_datetime(["1981-04-30", "1997-09-30", "2007-06-30"]))
    sign_change = table.loc["1997-09-30"]
    assert sign_change["ci_low"] == pd.Timestamp("1997-02-28")
    assert sign_change["ci_high"] == pd.Timestamp("1998-04-30")
    assert sign_change["shift"] == pytest.approx(-0.546, abs=0.001)
    means = res.regimes["mean"].to_numpy()
    assert means == pytest.approx([0.190, 0.437, -0.109, -0.354], abs=0.001)
    bic = BaiPerron(corr.rename("monthly_corr"), criterion="bic").fit()
    assert bic.n_breaks == 4  # BIC adds 2015-09 (CI 2011-06..2019-12)
    assert "LWZ selects 3" in res.summary()
    res.plot()


def test_bad_inputs_are_refused() -> None:
    dates = pd.date_range("2000-01-31", periods=30, freq="ME")
    with pytest.raises(DataError, match="missing on"):
        BaiPerron(pd.Series([1.0, np.nan] * 15, index=dates))
    with pytest.raises(DataError, match="criterion"):
        BaiPerron(pd.Series(np.ones(30), index=dates), criterion="aic")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="too few"):
        BaiPerron(pd.Series(np.ones(5), index=dates[:5]), trim=0.4)


@pytest.mark.slow
def test_real_break_in_the_product_of_standardised_daily_returns(shared_data: Path) -> None:
    returns = stock_bond_daily_returns(shared_data)
    z = (returns - returns.mean()) / returns.std()
    product = (z["sp500"] * z["gsw10y"]).rename("product")  # mean = full-sample correlation
    res = BaiPerron(product, max_breaks=3).fit()
    # 12,928 days 1971-08..2023-07: one break, 1997-10-21 (95% CI 1997-03-12..1998-06-04),
    # mean +0.295 before and -0.300 after
    assert res.n_breaks == 1
    row = res.breaks.iloc[0]
    assert row["break_date"] == pd.Timestamp("1997-10-21")
    assert row["ci_low"] == pd.Timestamp("1997-03-12")
    assert row["ci_high"] == pd.Timestamp("1998-06-04")
    assert res.regimes["mean"].to_numpy() == pytest.approx([0.2953, -0.3004], abs=0.0005)
