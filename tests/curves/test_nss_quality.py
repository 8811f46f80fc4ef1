"""Per-day model choice, bounded fits and honest status on every source's real history.

Real data (shared folder) on the worst stretches of each source's history: CMT in January
1971 (five quotes; the old fit flagged 1971-01-26 converged with a 607 bp error) and in the
1980 rate spike, the 1980s JGB par curve (1988: the 10-year benchmark 45 bp off the curve),
Bunds in the 1990s, the Treasury par curve in the 2023 debt-ceiling months, the ECB AAA
curve and GSW. Reference counts were measured with this code (recipe: the fit below on the
named window of the shared data); whole histories are in ``benchmarks/bench_nss_sources.py``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.cli.main import main
from ustpull.curves.nss import (
    PARAM_NAMES,
    CurveFitResults,
    NelsonSiegelSvensson,
    nss_par_yield,
    nss_zero_yield,
)
from ustpull.curves.nss_fit import fit_nss_yields
from ustpull.curves.nss_quality import (
    EXTRAPOLATION_FROM_YEARS,
    EXTRAPOLATION_TO_YEARS,
    FIT_TOLERANCE_BP,
    NS_MIN_QUOTES,
    NSS_ESCALATION_MIN_QUOTES,
    NSS_MIN_QUOTES,
    curve_shape_ok,
    day_models,
    nss_identified,
    supported_range,
)
from ustpull.curves.nss_sources import fit_nss_source, yield_source
from ustpull.sources.local import load_frame

WILD_GRID = np.arange(1.0, 10.0 + 1e-9, 0.25)


def _wild_days(results: CurveFitResults) -> int:
    """Days whose stored zero curve leaves [-3, 25] % or jumps > 1 pp per quarter year in
    1..10 y (a point the curve does not support is missing, not wild; an infinite value is
    wild)."""
    zero = results.zero_yields(WILD_GRID).to_numpy()
    with np.errstate(invalid="ignore"):
        out = (zero < -3.0) | (zero > 25.0) | np.isinf(zero)
        jump = np.abs(np.diff(zero, axis=1)) > 1.0
    return int(np.sum(out.any(axis=1) | jump.any(axis=1)))


def _fit_window(shared_data: Path, source: str, start: str, end: str) -> CurveFitResults:
    spec = yield_source(source)
    panel = load_frame(spec.ids, shared_data).loc[start:end]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning may leak
        return fit_nss_source(spec, panel)


# (source, window, days, status counts, largest max error (bp) over the kept quotes,
# quotes excluded (ustpull.curves.nss_outliers); before the exclusion rule the two JGB
# windows were poor-fit 92 + ns-only 49 (max 50 bp) and poor-fit 24 (max 50 bp), the
# Treasury par window ok 59 + poor-fit 4 (max 25 bp); before NSS was tried on NS days that
# miss (ustpull.curves.nss_quality, "the simplest acceptable model"), JGB 1978 Q1 was
# ns-only 62 + poor-fit 7 (max 22.4 bp, 34 quotes excluded) and JGB 1980 H1 ns-only 97 +
# poor-fit 44 (63 excluded); before the shape test was confined to the quotes' span (it
# checked from 1 year, below a 2- or 3-year shortest quote), JGB 1980 H1 was ok 25 +
# ns-only 79 + poor-fit 37 (max 40 bp, 44 excluded); before NSS from 7 quotes with a long
# bond, the max-error-leaning par objective and the shape margin that grows with the level
# of rates (main at a4071cc), CMT 1980 was ok 31 + ns-only 10 + poor-fit 1 (max 20 bp; the
# NSS curves of 8 of its days now pass the shape test), JGB 1978 Q1 ok 28 + ns-only 41 (13
# excluded), JGB 1980 H1 ok 56 + ns-only 73 + poor-fit 12 (max 35 bp), JGB 1988-06 ns-only
# 20 + ok 4, Treasury par 2023 Q2 4 quotes excluded (now every quote within 20 bp)
WORST_WINDOWS = [
    ("cmt", "1971-01-01", "1971-01-31", 20, {"ns-only": 20}, 15.0, 0),
    ("cmt", "1980-03-01", "1980-04-30", 42, {"ok": 40, "ns-only": 2}, 19.5, 0),
    ("jgb", "1978-01-01", "1978-03-31", 69, {"ok": 27, "ns-only": 42}, 20.0, 6),
    ("jgb", "1980-01-01", "1980-06-30", 141, {"ok": 50, "ns-only": 81, "poor-fit": 10}, 34.0, 33),
    ("jgb", "1988-06-01", "1988-06-30", 24, {"ns-only": 24}, 16.0, 24),
    ("bund", "1994-01-01", "1996-12-31", 783, {"ns-only": 698, "too-few-quotes": 84}, 26.0, 0),
    ("treasury-par", "2023-04-01", "2023-06-30", 63, {"ok": 63}, 20.0, 0),
    ("ecb-aaa", "2008-10-01", "2008-10-31", 23, {"ok": 23}, 0.01, 0),
    ("gsw", "2020-03-02", "2020-03-31", 22, {"ok": 22}, 0.02, 0),
]


@pytest.mark.parametrize(
    ("source", "start", "end", "days", "counts", "worst_bp", "excluded"), WORST_WINDOWS
)
def test_worst_windows_are_tame_and_honest(
    shared_data: Path,
    source: str,
    start: str,
    end: str,
    days: int,
    counts: dict[str, int],
    worst_bp: float,
    excluded: int,
) -> None:
    results = _fit_window(shared_data, source, start, end)
    frame = results.to_frame()
    assert len(frame) == days
    observed = frame["status"].value_counts().to_dict()
    for status, count in counts.items():
        assert observed.get(status, 0) >= count - max(2, count // 20), (status, observed)
    assert _wild_days(results) == 0
    # converged means within the tolerance, with a stored curve
    converged = frame["converged"].astype(bool)
    assert (frame.loc[converged, "max_error_bp"] <= FIT_TOLERANCE_BP).all()
    assert frame.loc[converged, list(PARAM_NAMES[:5])].notna().all().all()
    assert frame.loc[frame["status"] == "too-few-quotes", "beta0"].isna().all()
    # a stored curve covers at least its quotes' span
    stored = frame["beta0"].notna()
    assert (frame.loc[stored, "curve_from_years"] <= frame.loc[stored, "span_from_years"]).all()
    assert (frame.loc[stored, "curve_to_years"] >= frame.loc[stored, "span_to_years"]).all()
    assert frame["max_error_bp"].max() < worst_bp
    # every exclusion is reported: per day in the frame, in total in the quality summary
    assert abs(int(frame["n_excluded"].sum()) - excluded) <= max(2, excluded // 10)
    assert results.quality()["excluded_quotes"] == int(frame["n_excluded"].sum())


def test_cmt_1971_01_26_is_an_identified_ns_fit(shared_data: Path) -> None:
    """Five quotes (1, 3, 5, 10, 20 years): NS, 4.3 bp (the old NSS fit: 607 bp, converged)."""
    results = _fit_window(shared_data, "cmt", "1971-01-20", "1971-01-29")
    row = results.to_frame().loc["1971-01-26"]
    assert row["model"] == "ns" and row["status"] == "ns-only" and bool(row["converged"])
    assert row["max_error_bp"] == pytest.approx(4.28, abs=0.5)
    assert np.isnan(row["tau2"]) and 1.0 / 3.0 <= row["tau1"] <= 20.0


def test_jgb_1978_double_bend_gets_nss_without_a_long_bond(shared_data: Path) -> None:
    """1978-01-18: nine quotes from 1 to 9 years that bend twice (4-7 years 5.881, 5.918,
    6.456, 6.558 %). Without a quote beyond 10 years the day starts on NS, which misses by
    21 bp; with eight or more quotes NSS is tried and fits every quote within 13.1 bp,
    with a tame curve: ``ok``, nothing excluded."""
    results = _fit_window(shared_data, "jgb", "1978-01-16", "1978-01-20")
    row = results.to_frame().loc["1978-01-18"]
    assert row["model"] == "nss" and row["status"] == "ok" and bool(row["converged"])
    assert row["max_error_bp"] == pytest.approx(13.07, abs=0.5) and row["n_excluded"] == 0
    spec = yield_source("jgb")
    panel = load_frame(spec.ids, shared_data).loc["1978-01-16":"1978-01-20"]
    ns = fit_nss_source(spec, panel, model="ns", outliers="keep").to_frame().loc["1978-01-18"]
    assert ns["max_error_bp"] > FIT_TOLERANCE_BP and ns["status"] == "poor-fit"
    assert _wild_days(results) == 0


def test_nss_is_tried_only_where_ns_misses_and_eight_quotes(shared_data: Path) -> None:
    """An NS day within the tolerance stays NS (JGB 1978-01-05, 9 quotes), and a day with
    six quotes and no long bond never gets NSS however badly NS fits (JGB 1978-08-21, 3-9
    years, a 68 bp step between 5 and 6 years)."""
    spec = yield_source("jgb")
    panel = load_frame(spec.ids, shared_data)
    early = fit_nss_source(spec, panel.loc["1978-01-04":"1978-01-06"]).to_frame()
    assert early.loc["1978-01-05", "model"] == "ns"
    assert early.loc["1978-01-05", "max_error_bp"] <= FIT_TOLERANCE_BP
    step = panel.loc["1978-08-18":"1978-08-22"]
    assert int(step.loc["1978-08-21"].notna().sum()) < NSS_ESCALATION_MIN_QUOTES
    row = fit_nss_source(spec, step).to_frame().loc["1978-08-21"]
    assert row["model"] in ("ns", "") and row["status"] == "poor-fit"
    assert row["max_error_bp"] > FIT_TOLERANCE_BP and not bool(row["converged"])


def test_jgb_1988_off_curve_benchmark_is_a_poor_fit_when_kept(shared_data: Path) -> None:
    """1988-06-24: the 10-year JGB at 5.384 % between 9 years (4.837 %) and 20 years
    (5.222 %); with every quote kept no smooth curve comes within 20 bp, so the day is
    poor-fit, not converged."""
    spec = yield_source("jgb")
    panel = load_frame(spec.ids, shared_data).loc["1988-06-20":"1988-06-30"]
    results = fit_nss_source(spec, panel, outliers="keep")
    row = results.to_frame().loc["1988-06-24"]
    assert row["status"] == "poor-fit" and not bool(row["converged"])
    assert row["max_error_bp"] > 35.0 and row["n_excluded"] == 0
    assert results.residuals_bp.loc["1988-06-24", "jp.mof.par.10y"] < -35.0


def test_a_poor_fit_is_never_flagged_converged(shared_data: Path) -> None:
    """A tolerance below the quotes' misfit turns every such day into poor-fit (every
    quote kept: the exclusion rule examines the days that miss the tolerance)."""
    spec = yield_source("cmt")
    panel = load_frame(spec.ids, shared_data).loc["1980-03-01":"1980-04-30"]
    tight = fit_nss_source(spec, panel, tolerance_bp=3.0, outliers="keep")
    frame = tight.to_frame()
    over = frame["max_error_bp"] > 3.0
    assert over.sum() >= 30
    assert not frame.loc[over, "converged"].any()
    assert (frame.loc[over, "status"] == "poor-fit").all()
    assert tight.quality()["poor-fit"] == int(over.sum()) + int(
        (~over & ~frame["converged"].astype(bool)).sum()
    )


def test_an_unfittable_day_is_poor_not_converged() -> None:
    """A saw-tooth of +-1 pp cannot be an NSS curve: the fit is kept but flagged."""
    times = np.array([1, 2, 3, 4, 5, 7, 10, 15, 20, 30], dtype=float)
    smooth = nss_zero_yield([[4.0, -1.0, 1.0, 1.0, 1.5, 8.0]], times)
    saw = smooth + np.where(np.arange(times.size) % 2 == 0, 1.0, -1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, converged, fitted, _ = fit_nss_yields(np.vstack([smooth, saw]), times)
    assert converged.tolist() == [True, False]
    assert np.abs(fitted[1] - saw[0]).max() * 100 > 50.0


def test_model_choice_rule() -> None:
    """NSS needs 7 quotes and one beyond 10 years; NS needs 4; fewer: no curve (an NS day
    without a long bond is refitted with NSS only from 8 quotes: ``nss_identified``)."""
    times = np.array([0.25, 1, 2, 3, 5, 7, 10, 20, 30], dtype=float)
    rows = np.array(
        [
            [1, 1, 1, 1, 1, 1, 1, 1, 1],  # 9 quotes to 30 years: NSS
            [1, 1, 1, 1, 1, 1, 1, 0, 0],  # 7 quotes to 10 years: NS
            [0, 1, 1, 1, 1, 1, 1, 1, 0],  # 7 quotes to 20 years: NSS
            [1, 1, 1, 1, 1, 1, 0, 1, 0],  # 7 quotes to 20 years: NSS
            [0, 0, 0, 0, 0, 1, 1, 1, 1],  # 4 quotes: NS
            [0, 0, 0, 0, 0, 0, 1, 1, 1],  # 3 quotes: none
        ],
        dtype=float,
    )
    assert day_models(rows, times, "nss").tolist() == [6, 4, 6, 6, 4, 0]
    assert day_models(rows, times, "ns").tolist() == [4, 4, 4, 4, 4, 0]
    assert nss_identified(rows, "nss").tolist() == [True, False, False, False, False, False]
    assert (NSS_MIN_QUOTES, NSS_ESCALATION_MIN_QUOTES, NS_MIN_QUOTES) == (7, 8, 4)


def test_shape_test_rejects_offsetting_betas() -> None:
    """The issue's wild parameters (betas +-10^5, near-equal decays) fail; GSW's pass."""
    times = np.array([1, 2, 3, 5, 7, 10, 20, 30], dtype=float)
    wild = np.array([[70.19, -139124.3, 20857.2, 226465.5, 0.05, 9.73]])
    tame = np.array([[4.758, -2.773, 2.146, -2.546, 0.2798, 6.790]])  # GSW 2022-10-11
    quotes = nss_zero_yield(tame, times)
    weights = np.ones_like(quotes)
    assert curve_shape_ok(tame, quotes, weights, times).tolist() == [True]
    assert curve_shape_ok(wild, quotes, weights, times).tolist() == [False]


def test_shape_is_judged_on_the_span_and_extrapolation_apart() -> None:
    """An NS curve tame on its quotes' span (2 to 9 years) that soars below it passes the
    shape test and is supported only from where its extrapolation stays tame; a flat curve
    is supported from one month to 30 years; no parameters, no range."""
    times = np.array([2, 3, 4, 5, 6, 7, 8, 9], dtype=float)
    diving = np.array([[11.35, 17.70, -25.28, 0.0, 0.99, np.nan]])  # JGB 1980-04-08's NS
    flat = np.array([[5.0, 0.0, 0.0, 0.0, 1.0, np.nan]])
    params = np.vstack([diving, flat, np.full((1, 6), np.nan)])
    quotes = np.vstack([nss_zero_yield(diving, times)[0], np.full(times.size, 5.0), 5.0 * times])
    weights = np.ones_like(quotes)
    assert curve_shape_ok(params, quotes, weights, times).tolist() == [True, True, False]
    # the old test, from 1 year: the curve's 1-year zero yield is 15.8 %, > 1 pp above
    assert nss_zero_yield(diving, [1.0])[0, 0] > quotes[0].max() + 1.0
    low, high = supported_range(params, quotes, weights, times)
    assert 1.0 < low[0] < 2.0 and high[0] == EXTRAPOLATION_TO_YEARS
    assert low[1] == EXTRAPOLATION_FROM_YEARS and high[1] == EXTRAPOLATION_TO_YEARS
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_jgb_1980_04_08_keeps_its_fit_on_the_span(shared_data: Path) -> None:
    """Shortest quote 2 years: every fit within reach of the quotes extrapolated wildly to 1
    year (-2.9 % for the one stored before), so the day had no stored curve (shape test
    from 1 year). Judged on its span (2 to 9 years) the NS curve is kept, within 17.6 bp
    of the kept quotes, converged; its 1-year zero yield, 15.8 %, is not stored: the
    curve is missing below 1.5 years (recipe: this window of the shared data)."""
    results = _fit_window(shared_data, "jgb", "1980-04-01", "1980-04-15")
    row = results.to_frame().loc["1980-04-08"]
    assert row["model"] == "ns" and row["status"] == "ns-only" and bool(row["converged"])
    assert row["max_error_bp"] == pytest.approx(17.64, abs=0.3)
    assert (row["span_from_years"], row["span_to_years"]) == (2.0, 9.0)
    assert row["curve_from_years"] == 1.5 and row["curve_to_years"] == EXTRAPOLATION_TO_YEARS
    zero = results.zero_yields([1.0, 1.5, 2.0, 9.0, 30.0]).loc["1980-04-08"].to_numpy()
    assert np.isnan(zero[0]) and np.isfinite(zero[1:]).all()
    raw = nss_zero_yield(results.params.loc[["1980-04-08"]].to_numpy(), [1.0])[0, 0]
    assert raw > 14.0  # the extrapolation that is not stored
    assert bool(results.extrapolation_masked.loc["1980-04-08"])
    assert _wild_days(results) == 0


def test_a_tame_extrapolation_is_kept(shared_data: Path) -> None:
    """ECB AAA spot curve (1 to 30 years), October 2008: every day's curve is supported
    from 3 months to 30 years, and from one month on 14 of the 23 days (2008-10-01: 1-month
    zero yield 3.82 %, quotes from 3.57 %); on the other 9 the 1-month point lies more than
    1 pp below every quote (2008-10-31: 1.22 %, quotes from 2.68 %) and is missing. Where
    supported the stored zero yields equal the parameters' own (recipe: this window of the
    shared data)."""
    results = _fit_window(shared_data, "ecb-aaa", "2008-10-01", "2008-10-31")
    frame = results.curve_range
    assert (frame["span_from_years"] == 1.0).all() and (frame["span_to_years"] == 30.0).all()
    assert (frame["curve_from_years"] <= 0.25).all()
    one_month = frame["curve_from_years"] == EXTRAPOLATION_FROM_YEARS
    assert int(one_month.sum()) == 14
    assert one_month.loc["2008-10-01"] and not one_month.loc["2008-10-31"]
    assert (frame["curve_to_years"] == EXTRAPOLATION_TO_YEARS).all()
    assert results.extrapolation_masked.equals(~one_month.rename("extrapolation_masked"))
    assert results.quality()["days_extrapolation_masked"] == 9
    expected = nss_zero_yield(results.params.to_numpy(), [1 / 12, 0.25, 0.5])
    stored = results.zero_yields([1 / 12, 0.25, 0.5]).to_numpy()
    np.testing.assert_array_equal(stored[:, 1:], expected[:, 1:])
    np.testing.assert_array_equal(
        stored[one_month.to_numpy(), 0], expected[one_month.to_numpy(), 0]
    )
    assert np.isnan(stored[~one_month.to_numpy(), 0]).all()


def test_decays_stay_bounded_and_apart(shared_data: Path) -> None:
    results = _fit_window(shared_data, "treasury-par", "2023-04-01", "2023-06-30")
    params = results.params.dropna(subset=["tau2"])
    ratio = np.maximum(params["tau1"], params["tau2"]) / np.minimum(params["tau1"], params["tau2"])
    assert (ratio >= 1.1 - 1e-9).all()
    assert params[["tau1", "tau2"]].min().min() >= 0.05 - 1e-12
    assert params[["tau1", "tau2"]].max().max() <= 30.0 + 1e-12
    assert params[["beta0", "beta1", "beta2", "beta3"]].abs().max().max() < 100.0


# ------------------------------------------------------------------------------ par basis


def test_par_formula_follows_the_market_conventions() -> None:
    """Flat zero curve z (continuous): par = f (e^{z/f} - 1) for every coupon maturity."""
    flat = np.array([[3.0, 0.0, 0.0, 0.0, 1.0, np.nan]])
    times = [1.0, 2.0, 10.0, 30.0]
    annual = nss_par_yield(flat, times, market="bund")
    semiannual = nss_par_yield(flat, times, market="jgb")
    np.testing.assert_allclose(annual, 100 * (np.exp(0.03) - 1), rtol=1e-12)
    np.testing.assert_allclose(semiannual, 200 * (np.exp(0.015) - 1), rtol=1e-12)
    np.testing.assert_allclose(nss_par_yield(flat, times), semiannual, rtol=1e-14)
    # bills: bond-equivalent for Treasuries, money market on 360 days for a Bubill
    bill_us = nss_par_yield(flat, [0.25])[0, 0]
    bill_de = nss_par_yield(flat, [0.25], market="bund")[0, 0]
    assert bill_us == pytest.approx(100 * (np.exp(0.0075) - 1) / 0.25, rel=1e-12)
    assert bill_de == pytest.approx(bill_us * 360 / 365, rel=1e-12)


def test_annual_par_fit_recovers_a_known_curve() -> None:
    truth = np.array([[3.0, -2.0, 1.5, 2.0, 1.2, 7.0]])
    times = np.array([1, 2, 3, 5, 7, 10, 15, 20, 30], dtype=float)
    par = nss_par_yield(truth, times, market="bund")
    frame = pd.DataFrame(par, index=pd.DatetimeIndex(["2024-01-02"]), columns=times)
    results = NelsonSiegelSvensson(frame, basis="par", market="bund").fit()
    assert results.max_error_bp.iloc[0] < 0.05
    grid = np.linspace(1, 30, 30)
    assert (
        np.abs(nss_zero_yield(results.params.to_numpy(), grid) - nss_zero_yield(truth, grid)).max()
        < 0.01
    )


def test_unknown_market_is_a_data_error() -> None:
    from ustpull.errors import DataError

    frame = pd.DataFrame([[1.0, 2.0, 3.0, 4.0]], columns=[1.0, 2.0, 5.0, 10.0])
    with pytest.raises(DataError, match="unknown market 'oat'"):
        NelsonSiegelSvensson(frame, basis="par", market="oat")


# ------------------------------------------------------------------------------ CLI


def test_cli_prints_the_quality_table_and_json(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "jgb.csv"
    arguments = [
        "curves", "nss", "--source", "jgb", "--data-dir", str(shared_data),
        "--start", "1988-06-01", "--end", "1988-06-30", "--output", str(output),
    ]  # fmt: skip
    assert main(arguments) == 0
    text = capsys.readouterr().out
    assert "days" in text and "poor-fit" in text and "p99 bp" in text
    frame = pd.read_csv(output)
    assert set(frame["status"]) <= {"ok", "ns-only", "poor-fit", "too-few-quotes"}
    assert main([*arguments, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["source"] == "jgb" and summary["days"] == len(frame)
    assert summary["poor-fit"] == int((frame["status"] == "poor-fit").sum())
    assert summary["p99_max_error_bp"] == pytest.approx(
        np.percentile(frame["max_error_bp"], 99), rel=1e-9
    )
    assert summary["tolerance_bp"] == FIT_TOLERANCE_BP
    assert summary["excluded_quotes"] == int(frame["n_excluded"].sum()) > 0
    assert summary["days_with_exclusions"] == int((frame["n_excluded"] > 0).sum())
    assert main([*arguments, "--tolerance-bp", "0"]) == 2
    assert main([*arguments, "--outliers", "drop"]) == 2
    assert "'drop' is not one of 'exclude', 'keep'" in capsys.readouterr().err
