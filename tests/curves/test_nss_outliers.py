"""The exclusion rule for quotes that do not price like the rest (nss_outliers).

Synthetic truth: exact NSS zero yields of known curves (GSW-like parameters), one quote
moved off the curve by a known amount; the rule must exclude exactly that quote and the
refit must then recover the true curve. Real data: the 1988 JGB 10-year benchmark.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.curves.nss import NelsonSiegelSvensson, nss_zero_yield
from ustpull.curves.nss_fit import fit_nss_yields
from ustpull.curves.nss_outliers import OUTLIER_K, OUTLIER_MAX_PER_DAY, OUTLIER_MIN_KEPT
from ustpull.curves.nss_sources import fit_nss_source, yield_source
from ustpull.errors import DataError
from ustpull.sources.local import load_frame

TIMES = np.array([0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30], dtype=float)
# GSW 2022-10-11 and two other published-style parameter sets (percent, years)
TRUTH = np.array(
    [
        [4.758, -2.773, 2.146, -2.546, 0.2798, 6.790],
        [3.900, -1.500, -1.000, 2.000, 1.500, 9.000],
        [5.500, -3.000, 1.000, 1.000, 0.800, 5.000],
    ]
)


def _panel() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seven days: the truth, the quotes (with known moves) and the expected exclusions."""
    truth = TRUTH[[0, 0, 1, 2, 1, 2, 0]]
    quotes = nss_zero_yield(truth, TIMES)
    expected = np.zeros(quotes.shape, dtype=bool)
    quotes[1, 6] += 0.60  # 7 years 60 bp off: excluded
    expected[1, 6] = True
    quotes[2, 4] -= 0.45  # 3 years 45 bp off: excluded
    expected[2, 4] = True
    quotes[3, 5] += 0.06  # 6 bp off: the fit stays within 20 bp, nothing is examined
    quotes[4, 10] += 0.60  # the longest quote is never excluded
    quotes[5, [0, 1, 2, 8, 9]] = np.nan  # six quotes left: none may go
    quotes[5, 5] += 0.60
    quotes[6, [3, 7]] += [0.50, -0.50]  # two off-curve quotes: both go, one at a time
    expected[6, [3, 7]] = True
    return truth, quotes, expected


def test_off_curve_quotes_are_excluded_and_the_truth_recovered() -> None:
    truth, quotes, expected = _panel()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, converged, fitted, excluded = fit_nss_yields(quotes, TIMES)
    np.testing.assert_array_equal(excluded, expected)
    # on the days that lost their off-curve quotes the refit is the true curve, also at
    # the excluded maturity (exact data: the optimum is zero error)
    exact = nss_zero_yield(truth, TIMES)
    for day in (0, 1, 2, 6):
        assert np.max(np.abs(fitted[day] - exact[day])) * 100 < 0.01, day
        assert converged[day]
    # the excluded quote's residual is its move off the curve
    assert (fitted[1, 6] - quotes[1, 6]) * 100 == pytest.approx(-60.0, abs=0.01)
    assert (fitted[2, 4] - quotes[2, 4]) * 100 == pytest.approx(45.0, abs=0.01)
    # a quote at the end (the curve's long end bends to it), or on a day with only
    # OUTLIER_MIN_KEPT quotes, stays
    assert not excluded[4].any()
    assert np.isfinite(quotes[5]).sum() == OUTLIER_MIN_KEPT and not excluded[5].any()
    assert not excluded[3].any() and converged[3]


def test_keep_fits_every_quote() -> None:
    _, quotes, _ = _panel()
    _, converged, _, excluded = fit_nss_yields(quotes, TIMES, outliers="keep")
    assert not excluded.any()
    assert not converged[[1, 2, 6]].any()  # the off-curve quotes spoil those fits
    with pytest.raises(DataError, match="outliers must be 'exclude' or 'keep', got 'drop'"):
        fit_nss_yields(quotes, TIMES, outliers="drop")  # type: ignore[arg-type]


def test_results_report_the_excluded_quotes() -> None:
    _, quotes, expected = _panel()
    columns = [f"us.gsw.zero.{t:g}y" if t >= 1 else f"{t}" for t in TIMES]
    frame = pd.DataFrame(quotes, index=pd.bdate_range("2024-01-02", periods=7), columns=columns)
    results = NelsonSiegelSvensson(frame, maturities=list(TIMES)).fit()
    np.testing.assert_array_equal(results.excluded.to_numpy(), expected)
    table = results.to_frame()
    assert table["n_excluded"].tolist() == [0, 1, 1, 0, 0, 0, 2]
    assert table["excluded"].iloc[1] == "us.gsw.zero.7y"
    assert table["excluded"].iloc[6] == "us.gsw.zero.2y us.gsw.zero.10y"
    # errors over the kept quotes; the excluded quote's residual stays visible
    assert table["max_error_bp"].iloc[1] < 0.01
    assert results.residuals_bp.iloc[1, 6] == pytest.approx(-60.0, abs=0.01)
    quality = results.quality()
    assert (quality["excluded_quotes"], quality["days_with_exclusions"]) == (4, 3)
    assert "Excluded quotes: 4 on 3 dates" in results.summary()
    assert "excluded" in results.quality_table()
    with pytest.raises(DataError, match="outliers must be 'exclude' or 'keep'"):
        NelsonSiegelSvensson(frame, outliers="none")  # type: ignore[arg-type]


def test_rule_constants() -> None:
    """The documented rule: 2.5 robust sd (Leys et al. 2013), 3 a day, 4 + 2 kept."""
    assert (OUTLIER_K, OUTLIER_MAX_PER_DAY, OUTLIER_MIN_KEPT) == (2.5, 3, 6)


def test_jgb_1988_benchmark_is_excluded(shared_data: Path) -> None:
    """1988-06-24: the 10-year benchmark JGB (5.384 % between 4.837 % at 9 years and
    5.222 % at 20) is excluded; the other quotes then fit within the tolerance (13.8 bp,
    measured) and the benchmark sits 57 bp above the curve."""
    spec = yield_source("jgb")
    panel = load_frame(spec.ids, shared_data).loc["1988-06-20":"1988-06-30"]
    results = fit_nss_source(spec, panel)
    row = results.to_frame().loc["1988-06-24"]
    assert row["excluded"] == "jp.mof.par.10y" and row["n_excluded"] == 1
    assert bool(row["converged"]) and row["max_error_bp"] < 20.0
    assert results.residuals_bp.loc["1988-06-24", "jp.mof.par.10y"] == pytest.approx(-57.2, abs=2.0)


def test_exact_curves_lose_nothing(shared_data: Path) -> None:
    """GSW's own curves (March 2020) are within the tolerance: no quote is examined."""
    spec = yield_source("gsw")
    panel = load_frame(spec.ids, shared_data).loc["2020-03-02":"2020-03-31"]
    results = fit_nss_source(spec, panel)
    assert not results.excluded.to_numpy().any()
    assert results.max_error_bp.max() < 0.02
