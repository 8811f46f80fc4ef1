"""Tests of ustpull.crossasset.foreign_bonds (Treasuries and foreign government bonds)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from ustpull.cli.main import main
from ustpull.crossasset.events import Episode
from ustpull.crossasset.foreign_bonds import (
    ForeignBondsResults,
    component_linkage,
    curve_inversions,
    episode_analysis,
    monthly_average,
    pair_changes,
    rolling_beta,
    spillover_betas,
    yield_comovement,
)
from ustpull.crossasset.stats import (
    block_bootstrap_correlation_difference,
    dependent_correlation_test,
    fisher_z_difference_test,
)
from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.local import load_frame
from ustpull.studies.foreign_bonds import (
    NonSynchronousWarning,
    analyze_foreign_bonds,
    foreign_bond_series_ids,
)
from ustpull.studies.term_premia import linkage_series_ids, term_premium_decompositions

matplotlib.use("Agg")

MONTHS = pd.date_range("1990-01-01", periods=481, freq="MS", name="date")


def correlated_changes(n_obs: int, correlations: dict[str, float], seed: int) -> pd.DataFrame:
    """Changes of ``us`` and markets with the given population correlations to ``us``."""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal(n_obs)
    columns = {"us": 0.25 * base}
    for market, rho in correlations.items():
        noise = rng.standard_normal(n_obs)
        columns[market] = 0.2 * (rho * base + math.sqrt(1 - rho**2) * noise)
    return pd.DataFrame(columns)


def levels_from(changes: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    start = pd.DataFrame(np.full((1, changes.shape[1]), 5.0), columns=changes.columns)
    levels = pd.concat([start, 5.0 + changes.cumsum()], ignore_index=True)
    levels.index = index
    return levels


# --------------------------------------------------------------------------------------------
# Co-movement


@pytest.fixture(scope="module")
def known_levels() -> pd.DataFrame:
    """20,000 'days' of levels whose changes correlate 0.6 (de) and 0.2 (jp) with us."""
    changes = correlated_changes(20000, {"de": 0.6, "jp": 0.2}, seed=11)
    return levels_from(changes, pd.bdate_range("1990-01-01", periods=20001, name="date"))


def test_comovement_recovers_known_correlations(known_levels: pd.DataFrame) -> None:
    res = yield_comovement(known_levels, window=250, recent_years=5)
    # Known truth 0.6 and 0.2; sampling s.e. (1 - rho^2)/sqrt(n) < 0.01.
    assert res.correlations["de"] == pytest.approx(0.6, abs=0.02)
    assert res.correlations["jp"] == pytest.approx(0.2, abs=0.02)
    # no cross-country average (it would average the euro area with its members)
    assert not hasattr(res, "average") and not hasattr(res, "rolling_average")
    assert res.table.loc["de", "nobs"] == 20000
    # Rolling value on one date equals the plain correlation of the last 250 changes.
    changes = known_levels.diff().iloc[1:]
    tail = changes.iloc[-250:]
    assert res.rolling["jp"].iloc[-1] == pytest.approx(tail["us"].corr(tail["jp"]), abs=1e-12)
    assert res.table.loc["de", "effective_n"] == pytest.approx(20000, rel=0.1)  # white noise


def test_comovement_detects_a_rise_in_recent_correlation() -> None:
    # 30 years of months at correlation 0.2, then 5 years at 0.9.
    early = correlated_changes(360, {"de": 0.2}, seed=1)
    late = correlated_changes(120, {"de": 0.9}, seed=2)
    levels = levels_from(pd.concat([early, late], ignore_index=True), MONTHS)
    res = yield_comovement(levels, window=36, recent_years=10)
    row = res.table.loc["de"]
    assert row["recent_nobs"] == 120
    assert row["recent"] == pytest.approx(0.9, abs=0.05)
    assert row["earlier"] == pytest.approx(0.2, abs=0.12)
    # the change with its stationary-bootstrap 95% interval (no Fisher-z p-value): known
    # truth 0.9 - 0.2 = 0.7, the interval above zero and holding the sample change
    assert "pvalue_change" not in row.index
    assert row["change"] == pytest.approx(row["recent"] - row["earlier"], abs=1e-12)
    assert row["change"] == pytest.approx(0.7, abs=0.15)
    assert 0.3 < row["change_ci_low"] < row["change"] < row["change_ci_high"] < 1.1
    assert row["recent_ci_low"] < 0.9 < row["recent_ci_high"]
    assert row["ci_low"] < row["correlation"] < row["ci_high"]
    # a recent sample of 12 months is too short for the bootstrap (20 changes): its interval
    # and the change's are NaN, the full sample's stays
    short = yield_comovement(levels, window=36, recent_years=1).table.loc["de"]
    assert short["recent_nobs"] == 12
    assert math.isnan(short["recent_ci_low"]) and math.isnan(short["change_ci_high"])
    assert short["ci_low"] < short["correlation"] < short["ci_high"]
    assert "last 10 years" in res.summary()
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["table"][0]["market"] == "de"
    assert len(payload["rolling"]["dates"]) == 480 - 35
    # plot() draws the report's chart (one definition): its title and every line
    from ustpull.crossasset.charts import yield_comovement_chart

    chart = yield_comovement_chart(res)
    axes = res.plot().axes[0]
    assert chart.title.split()[0] in axes.get_title()
    assert len(axes.get_lines()) >= len(chart.data.columns)


def test_changes_span_a_holiday_without_filling() -> None:
    dates = pd.bdate_range("2024-07-01", periods=5, name="date")
    levels = pd.DataFrame(
        {"us": [4.0, 4.1, 4.2, np.nan, 4.3], "de": [2.0, 2.05, 2.1, 2.2, 2.3]}, index=dates
    )
    changes = pair_changes(levels, "us", "de")
    # 4 July: no U.S. quote, so the German change to 5 July spans two days (2.1 -> 2.3).
    assert list(changes.index.day) == [2, 3, 5]
    np.testing.assert_allclose(changes["de"], [0.05, 0.05, 0.2], atol=1e-12)
    np.testing.assert_allclose(changes["us"], [0.1, 0.1, 0.1], atol=1e-12)


def test_comovement_bad_input() -> None:
    early = pd.Series(np.linspace(1, 2, 50), index=MONTHS[:50])
    late = pd.Series(np.linspace(1, 2, 50), index=MONTHS[200:250])
    levels = pd.DataFrame({"us": early, "in": late})
    with pytest.raises(DataError, match=r"in \(2006-09-01\.\.2010-10-01\) and us \(1990-01-01"):
        yield_comovement(levels)
    with pytest.raises(DataError, match="base market 'us' is not among"):
        yield_comovement(levels.rename(columns={"us": "de"}))
    short = pd.DataFrame({"us": early, "de": early * 2})
    with pytest.raises(DataError, match=r"de has 49 changes .* not more than the window of 60"):
        yield_comovement(short, window=60)


# --------------------------------------------------------------------------------------------
# Spillover betas


def test_spillover_betas_recover_known_slopes() -> None:
    rng = np.random.default_rng(5)
    dx = 0.25 * rng.standard_normal(480)
    symmetric = 0.5 * dx + 0.1 * rng.standard_normal(480)
    asymmetric = 0.8 * np.maximum(dx, 0) + 0.2 * np.minimum(dx, 0) + 0.1 * rng.standard_normal(480)
    changes = pd.DataFrame({"us": dx, "de": symmetric, "gb": asymmetric})
    levels = levels_from(changes, MONTHS)
    short = levels["de"].copy()
    short.iloc[:300] = np.nan
    res = spillover_betas(levels.assign(**{"in": short}), window=36)
    table = res.table
    # Truth: beta 0.5 (de); beta_up 0.8, beta_down 0.2 (gb); s.e. about 0.1/(0.25 sqrt(n)) =
    # 0.018 for beta, 0.026 for each half; tolerances are 4 standard errors.
    assert table.loc["de", "beta"] == pytest.approx(np.polyfit(dx, symmetric, 1)[0], rel=1e-12)
    assert table.loc["de", "beta"] == pytest.approx(0.5, abs=0.075)
    assert table.loc["de", "asymmetry_pvalue"] > 0.01
    assert table.loc["gb", "beta_up"] == pytest.approx(0.8, abs=0.11)
    assert table.loc["gb", "beta_down"] == pytest.approx(0.2, abs=0.11)
    assert table.loc["gb", "asymmetry"] == pytest.approx(
        table.loc["gb", "beta_up"] - table.loc["gb", "beta_down"], abs=1e-12
    )
    assert table.loc["gb", "asymmetry_pvalue"] < 1e-6
    assert table.loc["in", "nobs"] == 180
    assert bool(table.loc["in", "short_sample"]) and not bool(table.loc["de", "short_sample"])
    assert table.loc["in", "sample_note"] == "SHORT SAMPLE emerging: 2015-02..2030-01, 180 obs"
    # Rolling beta ends on the last month and matches least squares on the last window.
    tail = changes.iloc[-36:]
    slope = np.polyfit(tail["us"], tail["de"], 1)[0]
    assert res.rolling["de"].iloc[-1] == pytest.approx(slope, rel=1e-10)
    assert "Newey-West" in str(res)
    assert json.loads(json.dumps(res.to_dict()))["table"][1]["market"] == "gb"
    assert type(res.plot()).__name__ == "Figure"


def test_rolling_beta_matches_least_squares_everywhere() -> None:
    rng = np.random.default_rng(9)
    x = pd.Series(rng.standard_normal(300) + 50.0, index=MONTHS[:300])  # large mean on purpose
    y = 3.0 + 0.7 * x + rng.standard_normal(300)
    rolled = rolling_beta(y, x, 40)
    assert len(rolled) == 261
    for end in (39, 150, 299):
        window = slice(end - 39, end + 1)
        slope = np.polyfit(x.iloc[window], y.iloc[window], 1)[0]
        fit = np.corrcoef(x.iloc[window], y.iloc[window])[0, 1] ** 2
        assert rolled["beta"].iloc[end - 39] == pytest.approx(slope, rel=1e-10)
        assert rolled["rsquared"].iloc[end - 39] == pytest.approx(fit, rel=1e-10)
    with pytest.raises(DataError, match="window of 400 observations does not fit the 300"):
        rolling_beta(y, x, 400)


def test_monthly_average_follows_oecd_dating() -> None:
    days = pd.bdate_range("2020-01-01", "2020-03-10")
    daily = pd.Series(np.arange(len(days), dtype=float), index=days, name="in")
    average = monthly_average(daily)
    # January 2020 has 23 weekdays (values 0..22), February 20 (23..42); March has 8 < 10.
    assert list(average.index) == [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-02-01")]
    np.testing.assert_allclose(average, [11.0, 32.5])
    assert average.name == "in"


# --------------------------------------------------------------------------------------------
# Correlation-difference tests


def test_steiger_reduces_to_fisher_for_independent_pairs() -> None:
    correlation = np.eye(4)
    correlation[0, 1] = correlation[1, 0] = 0.7
    correlation[2, 3] = correlation[3, 2] = 0.3
    ours = dependent_correlation_test(correlation, 120)
    reference = fisher_z_difference_test(0.7, 120, 0.3, 120)
    assert ours.z_statistic == pytest.approx(-reference.z_statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(reference.pvalue, rel=1e-12)


def test_steiger_has_correct_size_under_dependence() -> None:
    # Known truth: rho_jk = rho_hm = 0.5 with strong cross-correlations; 4,000 samples of 200.
    population = np.array(
        [[1.0, 0.5, 0.6, 0.4], [0.5, 1.0, 0.4, 0.6], [0.6, 0.4, 1.0, 0.5], [0.4, 0.6, 0.5, 1.0]]
    )
    rng = np.random.default_rng(2024)
    draws = rng.standard_normal((4000, 200, 4)) @ np.linalg.cholesky(population).T
    centred = draws - draws.mean(axis=1, keepdims=True)
    cross = np.einsum("bti,btj->bij", centred, centred)
    scale = np.sqrt(np.einsum("bii->bi", cross))
    samples = cross / (scale[:, :, None] * scale[:, None, :])
    steiger = np.array([dependent_correlation_test(c, 200).pvalue for c in samples])
    naive = 2 * (
        1
        - pd.Series(
            np.abs(np.arctanh(samples[:, 0, 1]) - np.arctanh(samples[:, 2, 3])) / math.sqrt(2 / 197)
        ).map(lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2))))
    )
    assert np.mean(steiger < 0.05) == pytest.approx(0.05, abs=0.012)
    assert np.mean(naive < 0.05) < 0.02  # ignoring the dependence is far too conservative


def test_block_bootstrap_correlation_difference() -> None:
    rng = np.random.default_rng(4)
    common = rng.standard_normal(400)
    values = np.column_stack(
        [
            common + 0.3 * rng.standard_normal(400),
            common + 0.3 * rng.standard_normal(400),
            rng.standard_normal(400),
            rng.standard_normal(400),
        ]
    )
    first = block_bootstrap_correlation_difference(
        values, block_length=12, replications=500, seed=1
    )
    again = block_bootstrap_correlation_difference(
        values, block_length=12, replications=500, seed=1
    )
    assert first == again  # seeded
    observed = np.corrcoef(values, rowvar=False)
    assert first.difference == pytest.approx(observed[0, 1] - observed[2, 3])
    # Reference width: the pairs are independent, so var(d) = (1 - rho1^2)^2/n + (1 - rho2^2)^2/n
    # (large-sample variance of r, normal data) with rho1 = 1/1.09, rho2 = 0, n = 400.
    standard_error = math.sqrt(((1 - (1 / 1.09) ** 2) ** 2 + 1.0) / 400)
    assert first.ci_high - first.ci_low == pytest.approx(2 * 1.96 * standard_error, rel=0.2)
    assert first.ci_low < first.difference < first.ci_high
    assert first.pvalue < 0.01
    with pytest.raises(DataError, match="20 observations are fewer than two blocks of 12"):
        block_bootstrap_correlation_difference(values[:20], block_length=12)


# --------------------------------------------------------------------------------------------
# Linkage by component


def decompositions(
    tp_rho: float, er_rho: float, seed: int, n_months: int = 300
) -> dict[str, pd.DataFrame]:
    """U.S. and German decompositions with known change correlations by component."""
    rng = np.random.default_rng(seed)
    frames = {}
    shocks = {}
    for component, rho in (("term_premium", tp_rho), ("expected_rate", er_rho)):
        base = rng.standard_normal(n_months)
        foreign = rho * base + math.sqrt(1 - rho**2) * rng.standard_normal(n_months)
        shocks[component] = (0.15 * base, 0.15 * foreign)
    index = MONTHS[:n_months]
    for position, market in enumerate(("us", "de")):
        term_premium = 1.0 + np.cumsum(shocks["term_premium"][position])
        expected_rate = 3.0 + np.cumsum(shocks["expected_rate"][position])
        frames[market] = pd.DataFrame(
            {
                "yield": term_premium + expected_rate,
                "expected_rate": expected_rate,
                "term_premium": term_premium,
            },
            index=index,
        )
    return frames


def test_linkage_supports_the_term_premium_channel_when_true() -> None:
    res = component_linkage(decompositions(0.8, 0.1, seed=3), replications=400)
    row = res.table.loc["de"]
    assert row["term_premium_change"] == pytest.approx(0.8, abs=0.06)
    assert row["expected_rate_change"] == pytest.approx(0.1, abs=0.12)
    assert row["steiger_pvalue"] < 1e-6 and row["steiger_z"] > 0
    assert row["bootstrap_high"] > row["difference_change"] > row["bootstrap_low"] > 0
    assert row["nobs"] == 299
    # 95% HAC intervals of each change correlation (i.i.d. months here, so about the Fisher
    # interval tanh(atanh(r) +- 1.96 / sqrt(n - 3)): 0.08 wide at 0.8, 0.22 wide at 0.1)
    assert row["term_premium_change_low"] < 0.8 < row["term_premium_change_high"]
    assert row["expected_rate_change_low"] < 0.1 < row["expected_rate_change_high"]
    tp_width = row["term_premium_change_high"] - row["term_premium_change_low"]
    er_width = row["expected_rate_change_high"] - row["expected_rate_change_low"]
    assert 0.05 < tp_width < 0.12 and 0.16 < er_width < 0.30, (tp_width, er_width)
    assert res.claim_supported
    assert res.rolling.columns.tolist() == [("de", "term_premium"), ("de", "expected_rate")]
    assert "than expected rates: de (not: none)" in res.summary()
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["claim_supported"] is True
    assert "de.term_premium" in payload["rolling"]
    assert type(res.plot()).__name__ == "Figure"


def test_linkage_rejects_the_claim_when_expected_rates_drive_it() -> None:
    res = component_linkage(decompositions(0.1, 0.8, seed=4), replications=200)
    assert res.table.loc["de", "steiger_z"] < -5
    assert not res.claim_supported
    assert "than expected rates: no market (not: de)" in res.summary()


def test_linkage_bad_input() -> None:
    frames = decompositions(0.5, 0.5, seed=5)
    with pytest.raises(
        DataError, match="decomposition of de lacks the columns \\['term_premium'\\]"
    ):
        component_linkage({"us": frames["us"], "de": frames["de"].drop(columns="term_premium")})
    shifted = frames["de"].set_axis(frames["de"].index + pd.DateOffset(years=40))
    with pytest.raises(DataError, match=r"of de \(2030-01-01\.\..*\) and us .* share no month"):
        component_linkage({"us": frames["us"], "de": shifted})
    with pytest.raises(DataError, match="no decomposition for the base market 'us'"):
        component_linkage({"de": frames["de"]})


# --------------------------------------------------------------------------------------------
# Episodes


def test_curve_inversions_runs_by_hand() -> None:
    dates = pd.bdate_range("2019-05-01", periods=8)
    long = pd.Series([2.5, 2.4, 2.3, 2.4, 2.2, 2.1, 2.3, 2.0], index=dates)
    short = pd.Series([2.4, 2.4, 2.35, 2.35, 2.3, 2.3, 2.3, 2.1], index=dates)
    # spread: .1, 0, -.05, .05, -.1, -.2, 0, -.1 -> runs [2], [4, 5], [7]
    runs = curve_inversions(long, short)
    assert list(runs["start"]) == [dates[2], dates[4], dates[7]]
    assert list(runs["end"]) == [dates[2], dates[5], dates[7]]
    assert list(runs["days"]) == [1, 2, 1]
    np.testing.assert_allclose(runs["min_spread"], [-0.05, -0.2, -0.1], atol=1e-12)
    assert runs["min_date"].iloc[1] == dates[5]
    assert curve_inversions(long + 1.0, short).empty


def test_episode_changes_and_spreads_by_hand() -> None:
    dates = pd.bdate_range("2022-01-03", periods=6, name="date")
    levels = pd.DataFrame(
        {
            "us": [1.50, 1.60, 1.70, np.nan, 1.90, 2.00],
            "de": [-0.10, 0.00, 0.10, 0.20, 0.30, np.nan],
            "in": [np.nan] * 6,
        },
        index=dates,
    )
    user = Episode("user", pd.Timestamp("2022-01-03"), pd.Timestamp("2022-01-10"))
    res = episode_analysis(levels, episodes=[user])
    row = res.changes.loc[("user", "de")]
    # Common dates of us and de: Jan 3, 4, 5, 7 -> start Jan 3, end Jan 7.
    assert row["end"] == pd.Timestamp("2022-01-07")
    assert row["change_bp"] == pytest.approx(40.0)
    assert row["base_change_bp"] == pytest.approx(40.0)
    assert row["spread_start_bp"] == pytest.approx(-160.0)
    assert row["spread_end_bp"] == pytest.approx(-160.0)
    assert "user/in" in res.skipped and "in has data (no data)" in res.skipped["user/in"]
    assert res.inversions is None
    assert json.loads(json.dumps(res.to_dict()))["changes"][0]["episode"] == "user"
    assert type(res.plot()).__name__ == "Figure"
    empty = Episode("empty", pd.Timestamp("2023-01-02"), pd.Timestamp("2023-02-01"))
    with pytest.raises(DataError, match=r"no market .* episode 'empty' \(2023-01-02\.\.2023-02-01"):
        episode_analysis(levels, episodes=[empty])


# --------------------------------------------------------------------------------------------
# Real data (shared data folder)


@pytest.fixture(scope="module")
def real_data(shared_data: Path) -> pd.DataFrame:
    return load_frame(foreign_bond_series_ids(), shared_data)


@pytest.fixture(scope="module")
def real_results(real_data: pd.DataFrame) -> ForeignBondsResults:
    # the daily (non-synchronous) statistics pinned below, as before issue 16; weekly is now
    # the default (test_real_weekly_is_the_default)
    with pytest.warns(NonSynchronousWarning):
        return analyze_foreign_bonds(real_data, frequency="daily")


def test_real_weekly_is_the_default(real_data: pd.DataFrame) -> None:
    """Synchronous weekly changes (last quote of each week ending Friday; rolling window
    252 // 5 = 50 weeks): Japan's correlation with the U.S. is no longer pushed towards zero
    (daily 0.122 -> weekly 0.289) and the Diebold-Yilmaz total rises from 37.7 to 50.7."""
    weekly = analyze_foreign_bonds(real_data)
    table = weekly.comovement_daily.table
    expected = {"de": 0.6648, "jp": 0.2892, "fr": 0.6362, "ch": 0.3879}
    for market, value in expected.items():
        assert table.loc[market, "correlation"] == pytest.approx(value, abs=5e-5)
    assert weekly.connectedness.total == pytest.approx(50.692, abs=5e-3)
    assert weekly.comovement_us is not None
    # the total's 95% interval: residual bootstrap of the same VAR (999 draws, seed 0)
    interval = weekly.connectedness_interval
    assert interval is not None
    assert interval["estimate"] == pytest.approx(weekly.connectedness.total, abs=1e-9)
    # [48.620, 53.011] before issue 16's one weekly builder: the old one counted the two-week
    # change across Golden Week 2019 as one week (1590 -> 1589 weeks; total 50.6920 -> 50.6915)
    assert interval["lower"] == pytest.approx(48.519, abs=5e-3)
    assert interval["upper"] == pytest.approx(52.980, abs=5e-3)
    payload = weekly.to_dict()["connectedness"]
    assert payload["total_ci"] == [interval["lower"], interval["upper"]]
    assert payload["total_ci_method"].startswith("residual bootstrap of the VAR")


# Correlations of monthly changes in OECD 10-year yields with the U.S., 1990-02..2026-01
# (432 months); "recent" = the last 5 years (60 months to 2026-01). Computed by this package
# from oecd.10y.*; stated in the report to the lead.
MONTHLY_SINCE_1990 = {
    "de": (0.7226, 0.7655),
    "jp": (0.3709, 0.2947),
    "gb": (0.6705, 0.7322),
    "fr": (0.6433, 0.7561),
    "ca": (0.8267, 0.8926),
    "au": (0.7308, 0.8230),
    "ch": (0.4047, 0.3763),
    "ea": (0.5777, 0.7461),
}


@pytest.mark.parametrize("market", sorted(MONTHLY_SINCE_1990))
def test_real_monthly_comovement_since_1990(real_results: ForeignBondsResults, market: str) -> None:
    row = real_results.comovement_monthly.table.loc[market]
    full, recent = MONTHLY_SINCE_1990[market]
    assert row["correlation"] == pytest.approx(full, abs=5e-5)
    assert row["recent"] == pytest.approx(recent, abs=5e-5)
    assert row["nobs"] == 432 and row["recent_nobs"] == 60
    assert row["start"] == pd.Timestamp("1990-02-01")


def test_real_monthly_average_and_direct_check(
    real_results: ForeignBondsResults, real_data: pd.DataFrame
) -> None:
    # The retired average of the eight OECD monthly averages (0.6184, euro area with its
    # members) is gone from the results and the JSON; the headline is DE, JP, UK month-end.
    assert "average" not in real_results.comovement_monthly.to_dict()
    assert "average" not in real_results.to_dict()["comovement_monthly"]["rolling"]
    basis = real_results.to_dict()["comovement_monthly"]["basis"]
    assert basis.startswith("OECD monthly averages (fallback basis")
    assert (
        real_results.comovement_daily.basis
        == "daily changes of daily yields (non-synchronous closes)"
    )
    headline = real_results.comovement_us
    assert headline is not None and headline.headline == ("DE", "JP", "GB")
    assert headline.averages.loc["since 1990", "estimate"] == pytest.approx(0.5777, abs=5e-5)
    # Independent recomputation for Germany straight from the two columns with pandas.
    pair = real_data[["oecd.10y.us", "oecd.10y.de"]].dropna().loc["1990-01-01":]
    changes = pair.diff().dropna()
    assert real_results.comovement_monthly.correlations["de"] == pytest.approx(
        changes.corr().iloc[0, 1], abs=1e-12
    )
    # India is the emerging case: in the table, not in the developed average.
    assert real_results.comovement_monthly.table.loc["in", "group"] == "emerging"
    assert real_results.comovement_monthly.table.loc["in", "nobs"] == 180


def test_real_daily_comovement(real_results: ForeignBondsResults) -> None:
    table = real_results.comovement_daily.table
    # Same-day correlations of daily changes on common trading days since 1990. Tokyo and
    # Zurich close before or early in New York trading, which lowers same-day correlations.
    # French yields are missing 1990-06..1994-01: the change bridging that hole is left out
    # (it alone lifted the French correlation from 0.47 to 0.62).
    expected = {"de": 0.4879, "fr": 0.4706, "jp": 0.1217, "ch": 0.1174}
    for market, value in expected.items():
        assert table.loc[market, "correlation"] == pytest.approx(value, abs=5e-5)
    assert table.loc["de", "recent"] == pytest.approx(0.6848, abs=5e-5)
    assert "average" not in real_results.comovement_daily.to_dict()


def test_real_spillover_betas(real_results: ForeignBondsResults) -> None:
    table = real_results.betas.table
    assert table.loc["de", "beta"] == pytest.approx(0.5766, abs=5e-5)
    assert table.loc["ca", "beta"] == pytest.approx(0.7965, abs=5e-5)
    assert table.loc["jp", "beta"] == pytest.approx(0.2574, abs=5e-5)
    # Euro-area yields follow rising U.S. yields more than falling ones (p = 0.010).
    assert table.loc["ea", "beta_up"] == pytest.approx(0.6897, abs=5e-5)
    assert table.loc["ea", "beta_down"] == pytest.approx(0.3587, abs=5e-5)
    assert table.loc["ea", "asymmetry_pvalue"] < 0.05
    assert table.loc["in", "beta"] == pytest.approx(0.4413, abs=5e-5)
    assert bool(table.loc["in", "short_sample"])
    assert table.loc["in", "sample_note"] == "SHORT SAMPLE emerging: 2005-03..2020-02, 180 obs"


def test_real_may_2019_inversion(real_data: pd.DataFrame) -> None:
    # us.cmt.10y - us.cmt.3m (FRED DGS10 - DGS3MO): first negative 2019-03-22; in May 2019 it
    # went negative on the 13th and 15th, and stayed negative from 23 May to 22 July.
    runs = curve_inversions(real_data["us.cmt.10y"], real_data["us.cmt.3m"])
    in_2019 = runs[(runs["start"] >= "2019-01-01") & (runs["start"] <= "2019-12-31")]
    assert [f"{d:%Y-%m-%d}" for d in in_2019["start"]] == [
        "2019-03-22",
        "2019-05-13",
        "2019-05-15",
        "2019-05-23",
        "2019-07-24",
    ]
    assert [f"{d:%Y-%m-%d}" for d in in_2019["end"]] == [
        "2019-03-28",
        "2019-05-13",
        "2019-05-15",
        "2019-07-22",
        "2019-10-10",
    ]
    assert in_2019["min_spread"].min() == pytest.approx(-0.52, abs=1e-9)  # 2019-08-28
    assert real_data.loc["2019-05-23", "us.cmt.10y"] == 2.31  # DGS10 2.31, DGS3MO 2.37


def test_real_episodes(real_results: ForeignBondsResults) -> None:
    changes = real_results.episodes.changes
    # 2015-12-01..2018-12-31: U.S. 10-year +54 bp while the Bund fell 22 bp and JGB 30 bp.
    assert changes.loc[("fed-hikes-2015-2018", "de"), "base_change_bp"] == pytest.approx(54.0)
    assert changes.loc[("fed-hikes-2015-2018", "de"), "change_bp"] == pytest.approx(-22.3, abs=0.05)
    assert changes.loc[("fed-hikes-2015-2018", "jp"), "change_bp"] == pytest.approx(-30.2, abs=0.05)
    assert changes.loc[("hikes-2022", "de"), "change_bp"] == pytest.approx(256.1, abs=0.05)
    assert changes.loc[("hikes-2022", "jp"), "change_bp"] == pytest.approx(15.7, abs=0.05)
    assert "hikes-2022/in" in real_results.episodes.skipped
    assert real_results.episodes.inversions is not None
    assert len(real_results.episodes.inversions) == 6  # five 2019 runs and 2022-10-18


def test_real_connectedness_and_report(real_results: ForeignBondsResults) -> None:
    res = real_results.connectedness
    # Without the change that bridges the 1990-06..1994-01 hole in the French data (that one
    # 3.5-year change alone lifted the full-sample index to 57.0 %).
    assert res.total == pytest.approx(37.6734, abs=5e-4)
    assert res.nobs == 7117
    assert res.net["fr"] == pytest.approx(10.78, abs=5e-3)
    rolling = real_results.rolling_connectedness.total
    assert len(rolling) == 6920
    assert rolling.mean() == pytest.approx(44.562, abs=5e-3)
    payload = json.loads(json.dumps(real_results.to_dict()))
    assert set(payload) == {
        "comovement_monthly",
        "comovement_daily",
        "betas",
        "connectedness",
        "rolling_connectedness",
        "episodes",
        "comovement_us",  # issue 16: month-end co-movement findings with intervals
    }
    headline = payload["comovement_us"]["findings"][0]
    assert headline["key"] == "comovement.headline_average.since_1990"
    assert headline["ci"] == pytest.approx([0.524, 0.625], abs=1e-3)
    assert "Total connectedness index: 37.67 %" in real_results.summary()
    assert type(real_results.plot()).__name__ == "Figure"


def test_analysis_names_missing_series(real_data: pd.DataFrame) -> None:
    with pytest.raises(SeriesNotFoundError, match=r"needs the series \['oecd.10y.us'\]"):
        analyze_foreign_bonds(real_data.drop(columns="oecd.10y.us"))


def test_markets_without_their_series_are_left_out(real_data: pd.DataFrame) -> None:
    """Online there is no daily French yield: France leaves the daily statistics, stays in
    the monthly ones; a market without its monthly OECD series leaves those."""
    full = analyze_foreign_bonds(real_data)
    partial = analyze_foreign_bonds(real_data.drop(columns=["fr.govt.10y", "oecd.10y.jp"]))
    assert "fr" in full.comovement_daily.table.index
    assert "fr" not in partial.comovement_daily.table.index
    assert "fr" in partial.comovement_monthly.table.index
    assert "jp" not in partial.comovement_monthly.table.index
    # the markets left in are computed exactly as before
    pd.testing.assert_series_equal(
        partial.comovement_monthly.table.loc["de"], full.comovement_monthly.table.loc["de"]
    )


def test_real_term_premium_linkage(shared_data: Path) -> None:
    # ACM 10-year decompositions (ustpull.termpremium.countries) of the U.S. GSW curve, the ECB
    # AAA curve (2004-09..2024-03) and the RBA curve (1992-07..2013-04). Euro area: term
    # premia co-move significantly more than expected rates; Australia: no significant gap.
    # Tolerances allow for refinements of the upstream curve fits.
    data = load_frame(linkage_series_ids(), shared_data)
    frames, _, gaps = term_premium_decompositions(data)
    assert gaps == []
    assert set(frames) == {"us", "ea", "au", "de", "jp", "ch"}
    np.testing.assert_allclose(
        frames["ea"]["yield"], frames["ea"]["expected_rate"] + frames["ea"]["term_premium"]
    )
    res = component_linkage(frames, replications=1000)
    euro = res.table.loc["ea"]
    assert euro["start"] == pd.Timestamp("2004-10-01")
    assert euro["nobs"] == pytest.approx(234, abs=2)
    # measured 2026-12-03 with the bounded NSS fits of issue 14 (decays >= a tenth of the
    # shortest quote and 10 % apart): the fits to the ECB AAA and RBA quotes are unchanged,
    # their extrapolation below the shortest quote (ACM's 1-month short rate) moves a little;
    # before: 0.632 vs 0.419 (yields 0.732), Australia 0.447 vs 0.378
    assert euro["term_premium_change"] == pytest.approx(0.611, abs=0.01)
    assert euro["expected_rate_change"] == pytest.approx(0.391, abs=0.01)
    assert euro["yield_change"] == pytest.approx(0.730, abs=0.01)
    assert euro["steiger_pvalue"] < 1e-3
    assert euro["bootstrap_low"] > 0
    assert bool(euro["term_premium_dominates"])
    assert euro["term_premium_level"] == pytest.approx(0.894, abs=0.01)
    assert euro["level_pvalue"] > 0.1  # levels: no significant difference
    australia = res.table.loc["au"]
    assert australia["term_premium_change"] == pytest.approx(0.446, abs=0.01)
    assert australia["expected_rate_change"] == pytest.approx(0.389, abs=0.01)
    assert australia["steiger_pvalue"] > 0.1
    assert not res.claim_supported
    assert "than expected rates: ea, de, jp (not: au, ch)" in res.summary()


# --------------------------------------------------------------------------------------------
# CLI


def test_cli_foreign_bonds_writes_json(
    shared_data: Path, tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "foreign.json"
    code = main(
        [
            "foreign-bonds",
            "--data-dir",
            str(shared_data),
            "--output",
            str(output),
            "--no-term-premia",
            "--frequency",
            "weekly",
            "--episode",
            "covid:2020-02-19:2020-03-23",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert f"wrote {output}" in capsys.readouterr().out
    payload = json.loads(output.read_text())
    assert "linkage" not in payload
    assert "average" not in payload["comovement_monthly"]  # the retired 8-market average
    headline = payload["comovement_us"]["findings"][0]
    assert headline["key"] == "comovement.headline_average.since_1990"
    assert headline["markets"] == ["DE", "JP", "GB"]
    assert headline["value"] == pytest.approx(0.5777, abs=5e-5)
    covid = [row for row in payload["episodes"]["changes"] if row["episode"] == "covid"]
    # 2020-02-19..2020-03-23: U.S. 10-year 1.56 -> 0.76 (-80 bp), Bund -0.420 -> -0.377.
    assert covid[0]["market"] == "de"
    assert covid[0]["base_change_bp"] == pytest.approx(-80.0)
    assert covid[0]["change_bp"] == pytest.approx(4.3)
    assert payload["connectedness"]["nobs"] < 2000  # weekly changes since 1990


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--frequency", "hourly"], "'hourly' is not one of 'daily', 'weekly'"),
        (["--episode", "x:2020-05-01:2020-01-01"], "end 2020-01-01 is not after start 2020-05-01"),
        (["--episode", "2020-01-01"], "--episode must be NAME:START:END"),
        (["--no-term-premia"], "run `ustpull ingest` first"),  # no store, nothing ingested
    ],
)
def test_cli_foreign_bonds_bad_input(
    tmp_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    code = main(["foreign-bonds", "--output", str(tmp_path / "x.json"), *arguments])
    assert code == 2
    assert message in capsys.readouterr().err


def test_no_episode_gives_an_empty_table_with_its_columns() -> None:
    """As of a date before every window's end the study passes no episode: an empty change
    table with the columns (not a crash), no inversion inside, and a plot that says why not."""
    dates = pd.bdate_range("1999-01-04", periods=6, name="date")
    levels = pd.DataFrame({"us": [5.0, 5.1, 5.2, 5.3, 5.2, 5.1], "de": 4.0}, index=dates)
    spread = (levels["us"] - 0.5, levels["us"])  # inverted throughout
    res = episode_analysis(levels, episodes=[], curve_spread=spread)
    assert res.changes.empty and list(res.changes.index.names) == ["episode", "market"]
    assert {"change_bp", "spread_end_bp", "spread_change_bp"} <= set(res.changes.columns)
    assert res.inversions is not None and res.inversions.empty
    assert res.skipped == {} and json.loads(json.dumps(res.to_dict()))["changes"] == []
    with pytest.raises(DataError, match="no episode was measured"):
        res.plot()
