"""The Treasury pull: known betas, interval coverage, the split identity, findings, bad input,
and the real-data responses of U.S. stocks, the dollar and German/Japanese 10-year yields."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.pull import TreasuryPull, variance_shares
from ustpull.crossasset.pull_data import (
    PULL_ASSETS,
    PULL_SERIES,
    PullAsset,
    pull_asset_levels,
    pull_changes,
)
from ustpull.crossasset.pull_ols import rolling_windows, stacked_hac_ols
from ustpull.crossasset.stats import hac_ols
from ustpull.crossasset.synchronous import synchronous_changes
from ustpull.errors import DataError

FRIDAYS = pd.date_range("1990-01-05", periods=1200, freq="W-FRI")
# true responses per bp of each U.S. part (so per 10 bp: 10x these)
TRUE = {"de_10y": (0.6, 0.3), "us_stocks": (-0.004, -0.012)}


def _garch_paths(n_sims: int, n_obs: int, n_series: int, seed: int, burn: int = 200) -> np.ndarray:
    """GARCH(1,1) shocks with unit unconditional variance, shape ``(n_sims, n_obs, n_series)``.

    ``h_t = 0.05 + 0.10 e_{t-1}^2 + 0.85 h_{t-1}`` (scaled so ``E h = 1``); a loop over time with
    every simulation and series at once.
    """
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_obs + burn, n_sims, n_series))
    h = np.ones((n_sims, n_series))
    out = np.empty_like(z)
    for t in range(n_obs + burn):
        out[t] = np.sqrt(h) * z[t]
        h = 0.05 + 0.10 * out[t] ** 2 + 0.85 * h
    return np.moveaxis(out[burn:], 0, 1)


def _simulate(n_sims: int, n_obs: int, betas: tuple[float, float], seed: int) -> np.ndarray:
    """``(n_sims, n_obs, 3)``: response, expected-rate and term-premium changes (bp).

    The U.S. parts are GARCH with s.d. 6 bp and 4 bp and correlation 0.3; the error is GARCH,
    scaled by the size of the expected-rate move (heteroskedastic in the regressor) and MA(1)
    with coefficient 0.3 (autocorrelated), so only a HAC interval is right.
    """
    shocks = _garch_paths(n_sims, n_obs + 1, 3, seed)
    er = 6.0 * shocks[:, 1:, 0]
    tp = 4.0 * (0.3 * shocks[:, 1:, 0] + np.sqrt(1 - 0.09) * shocks[:, 1:, 1])
    e = shocks[:, :, 2]
    noise = (e[:, 1:] + 0.3 * e[:, :-1]) * (0.5 + np.abs(shocks[:, 1:, 0]))
    response = betas[0] * er + betas[1] * tp + 2.0 * noise
    return np.stack([response, er, tp], axis=2)


def _model(values: np.ndarray, name: str = "de_10y", **options: object) -> TreasuryPull:
    """A model on one simulated sample; the U.S. parts given in percentage points."""
    dates = FRIDAYS[: len(values)]
    return TreasuryPull(
        pd.DataFrame({name: values[:, 0]}, index=dates),
        pd.Series(values[:, 1] / 100.0, index=dates),
        pd.Series(values[:, 2] / 100.0, index=dates),
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def simulated() -> np.ndarray:
    return _simulate(1, 1200, TRUE["de_10y"], seed=3)[0]


# --------------------------------------------------------------------------- known truth


def test_known_betas_are_recovered_per_10bp(simulated: np.ndarray) -> None:
    full = _model(simulated).fit().full_sample.loc["de_10y"]
    # truth per 10 bp: expected rate 6.0, term premium 3.0
    assert full.loc["expected_rate", "value"] == pytest.approx(6.0, abs=0.25)
    assert full.loc["term_premium", "value"] == pytest.approx(3.0, abs=0.35)
    for component, truth in (("expected_rate", 6.0), ("term_premium", 3.0)):
        row = full.loc[component]
        assert row["ci_low"] < truth < row["ci_high"]
        assert abs(row["value"] - truth) < 3 * row["std_err"]
    # the total: population share-weighted sum; var(er)=36, var(tp)=16, cov=0.3*6*4=7.2
    share_er = (36 + 7.2) / (36 + 16 + 2 * 7.2)
    truth_total = 10 * (0.6 * share_er + 0.3 * (1 - share_er))
    assert full.loc["total", "value"] == pytest.approx(truth_total, abs=0.3)


def test_stacked_hac_matches_statsmodels_hac_ols(simulated: np.ndarray) -> None:
    # the vectorised Newey-West must equal ustpull.crossasset.stats.hac_ols (statsmodels HAC)
    y = pd.Series(simulated[:, 0], index=FRIDAYS)
    x = pd.DataFrame({"er": simulated[:, 1], "tp": simulated[:, 2]}, index=FRIDAYS)
    reference = hac_ols(y, x)
    ours = stacked_hac_ols(simulated[None, :, 0], simulated[None, :, 1:])
    np.testing.assert_allclose(ours.params[0], reference.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.std_err[0], reference.bse.to_numpy(), rtol=1e-8)
    assert ours.lags == reference.lags == 6  # floor(4 (1200/100)^(2/9))


def test_interval_coverage_under_garch_and_autocorrelation() -> None:
    # 500 independent samples of 400 weeks; nominal 95%; the samples are the stack's rows
    n_sims, n_obs, betas = 500, 400, (0.6, 0.3)
    values = _simulate(n_sims, n_obs, betas, seed=11)
    split = stacked_hac_ols(values[:, :, 0], values[:, :, 1:])
    hits = np.abs(split.params[:, 1:] - np.array(betas)) <= 1.959964 * split.std_err[:, 1:]
    coverage = hits.mean(axis=0)
    assert np.all((coverage >= 0.92) & (coverage <= 0.98)), coverage  # measured [0.960, 0.954]
    total = stacked_hac_ols(values[:, :, 0], values[:, :, 1:].sum(axis=2, keepdims=True))
    share_er = (36 + 7.2) / (36 + 16 + 2 * 7.2)  # population beta of the total regression
    truth = betas[0] * share_er + betas[1] * (1 - share_er)
    total_hits = np.abs(total.params[:, 1] - truth) <= 1.959964 * total.std_err[:, 1]
    assert 0.92 <= total_hits.mean() <= 0.98  # measured 0.946
    # classical OLS errors ignore the heteroskedasticity in the regressor and under-cover
    design = np.concatenate([np.ones((n_sims, n_obs, 1)), values[:, :, 1:]], axis=2)
    resid = values[:, :, 0] - np.einsum("wtk,wk->wt", design, split.params)
    sigma2 = (resid**2).sum(axis=1) / (n_obs - 3)
    bread = np.linalg.inv(np.einsum("wtk,wtj->wkj", design, design))
    classical = np.sqrt(sigma2[:, None] * np.diagonal(bread, axis1=1, axis2=2))
    naive = np.abs(split.params[:, 1:] - np.array(betas)) <= 1.959964 * classical[:, 1:]
    assert naive.mean(axis=0)[0] < 0.92  # measured 0.808 for the expected-rate beta


# --------------------------------------------------------------------------- identity


def test_total_is_share_weighted_sum_of_parts(simulated: np.ndarray) -> None:
    # identity: beta_total = s_er * beta_er + s_tp * beta_tp with
    # s_k = cov(dk, dy) / var(dy) and dy = der + dtp, so s_er + s_tp = 1 (exact for OLS)
    results = _model(
        simulated, regimes=(("early", None, "1999-12-31"), ("late", "2000-01-01", None))
    ).fit()
    table = results.estimates["value"].unstack("component")
    shares = results.shares
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-12)
    rebuilt = (
        shares["expected_rate"] * table["expected_rate"]
        + shares["term_premium"] * table["term_premium"]
    )
    np.testing.assert_allclose(rebuilt, table["total"], rtol=1e-10)
    assert set(table.index.get_level_values("window")) == {"full", "latest_3y", "early", "late"}
    assert variance_shares(simulated)[0] == pytest.approx(
        shares.loc[("de_10y", "full"), "expected_rate"]
    )


def test_rolling_window_equals_a_fit_on_its_slice(simulated: np.ndarray) -> None:
    results = _model(simulated, window=156).fit()
    rolling = results.rolling["de_10y"]
    assert len(rolling) == 1200 - 156 + 1
    assert rolling.index[0] == FRIDAYS[155]
    # window ending at row 700 against hac_ols on rows 545..700
    rows = slice(700 - 155, 701)
    y = pd.Series(simulated[rows, 0], index=FRIDAYS[rows])
    x = pd.Series(simulated[rows, 1:].sum(axis=1) / 100.0, index=FRIDAYS[rows], name="dy")
    reference = hac_ols(y, x)
    row = rolling.loc[FRIDAYS[700]]
    assert row[("total", "value")] == pytest.approx(0.1 * reference.params["dy"], rel=1e-10)
    half = 1.959964 * 0.1 * reference.bse["dy"]
    assert row[("total", "ci_high")] - row[("total", "value")] == pytest.approx(half, rel=1e-5)
    table = results.rolling_table()
    assert list(table.columns) == ["date", "asset", "component", "value", "ci_low", "ci_high"]
    assert len(table) == 3 * len(rolling)
    picked = table[(table["date"] == FRIDAYS[700]) & (table["component"] == "total")]
    assert float(picked["value"].iloc[0]) == pytest.approx(row[("total", "value")], rel=1e-12)
    latest = results.estimates.loc[("de_10y", "latest_3y", "total"), "value"]
    assert latest == pytest.approx(rolling[("total", "value")].iloc[-1], rel=1e-12)
    windows = rolling_windows(np.arange(10.0), 4)
    assert windows.shape == (7, 4) and windows[-1].tolist() == [6.0, 7.0, 8.0, 9.0]


def test_regimes_from_a_labelled_series(simulated: np.ndarray) -> None:
    labels = pd.Series(
        ["calm", "stress", "calm"], index=pd.to_datetime(["1990-01-01", "2000-01-01", "2005-01-01"])
    )
    results = _model(simulated, regimes=labels).fit()
    regimes = results.by_regime
    nobs = regimes.xs("total", level="component")["nobs"]
    # stress: the Fridays of 2000-2004 (261); calm: the rest
    assert nobs.loc[("de_10y", "stress")] == 261
    assert nobs.loc[("de_10y", "calm")] == 1200 - 261
    spans = results.regime_spans
    assert spans["regime"].tolist() == ["calm", "stress", "calm"]
    assert spans["last"].tolist()[:2] == [pd.Timestamp("1999-12-31"), pd.Timestamp("2004-12-31")]


# --------------------------------------------------------------------------- findings


def test_findings_keys_values_and_dates(simulated: np.ndarray) -> None:
    results = _model(simulated[:1000]).fit()
    findings = results.findings()
    keys = [f["key"] for f in findings]
    # full, latest_3y and the eras with data: 1962-1999 (from 1990), 2000-2007, 2008-2019
    assert len(keys) == len(set(keys)) == 3 * 5
    assert "pull.de_10y.term_premium.full" in keys
    assert "pull.de_10y.expected_rate.2008-2019" in keys
    for item in findings:
        assert re.fullmatch(
            r"pull\.de_10y\.(total|expected_rate|term_premium)\.[\w-]+", str(item["key"])
        )
        low, high = item["ci"]  # type: ignore[misc]
        assert low < item["value"] < high
        assert item["significant"] == (low > 0 or high < 0)
        assert "Newey-West" in str(item["ci_method"])
        assert item["unit"] == "bp"
    full = {f["component"]: f for f in findings if f["window"] == "full"}
    assert full["total"]["data_through"] == f"{FRIDAYS[999]:%Y-%m-%d}" == "2009-02-27"
    assert full["total"]["first"] == "1990-01-05"
    assert full["total"]["n"] == 1000
    era = next(f for f in findings if f["key"] == "pull.de_10y.total.2000-2007")
    assert era["data_through"] == "2007-12-28" and era["n"] == 417
    assert full["expected_rate"]["value"] == pytest.approx(
        results.full_sample.loc[("de_10y", "expected_rate"), "value"]
    )


def test_sentence_is_computed_from_the_numbers(simulated: np.ndarray) -> None:
    results = _model(simulated).fit()
    row = results.full_sample.loc[("de_10y", "term_premium")]
    sentence = results.sentences["de_10y"]
    expected = (
        f"driven by the term premium by {row['value']:+.1f} bp (95% CI {row['ci_low']:.1f} to "
        f"{row['ci_high']:.1f}, significant)"
    )
    assert expected in sentence
    assert sentence.startswith("Per 10 bp rise in the U.S. 10-year yield, German 10-year yields")
    assert "not an identified effect" in sentence  # OLS co-movement is not called an effect
    assert "since 1990-01-05" in sentence and "data through 2012-12-28" in sentence
    # a response of zero: the interval covers 0 and the words say so
    zero = _simulate(1, 600, (0.0, 0.0), seed=8)[0]
    assert "not significant" in _model(zero).fit().sentence("de_10y")


def test_display_and_plot(simulated: np.ndarray) -> None:
    import matplotlib

    matplotlib.use("Agg")
    results = _model(simulated).fit()
    assert "de_10y" in results.summary() and "<table" in results._repr_html_()
    assert str(results) == results.summary()
    assert len(results.to_frame()) == 3 * 5
    figure = results.plot()
    assert len(figure.axes) == 1
    assert len(figure.axes[0].lines) == 4  # three parts and the zero line
    interactive = results.figure()
    lines = [t for t in interactive.data if t.name]
    assert [t.name for t in lines] == ["10-year yield", "expected-rate part", "term-premium part"]
    assert len({t.line.color for t in lines}) == 3
    assert lines[2].hovertemplate == "term-premium part: %{y:+.1f} bp<extra></extra>"
    assert interactive.data[1].fill == "tonexty"  # the band under the total line
    assert interactive.layout.yaxis.title.text == "bp per 10 bp"
    # the four default eras with data shaded alternately and named
    assert [a.text for a in interactive.layout.annotations][-3:] == [
        "1962-1999",
        "2000-2007",
        "2008-2019",
    ]
    assert len(figure.axes[0].texts) == 3


def test_a_caller_defined_asset_in_percent(simulated: np.ndarray) -> None:
    # an asset outside PULL_ASSETS, described by the caller (percent: two decimals)
    table = {"gold": PullAsset("gold", "%", "log_percent", "gold price log change, percent")}
    results = _model(simulated / [100.0, 1.0, 1.0], name="gold", assets=table).fit()
    row = results.full_sample.loc[("gold", "total")]
    assert f"gold moved by {row['value']:+.2f}% (95% CI" in results.sentences["gold"]
    assert results.findings()[0]["unit"] == "%"


# --------------------------------------------------------------------------- bad input


def test_misaligned_index_is_named(simulated: np.ndarray) -> None:
    dates = FRIDAYS
    assets = pd.DataFrame({"de_10y": simulated[:, 0]}, index=dates)
    expected = pd.Series(simulated[:, 1] / 100, index=dates).drop(dates[10])
    premium = pd.Series(simulated[:, 2] / 100, index=dates)
    with pytest.raises(DataError, match=r"expected_rate_changes.*1990-03-16 is in asset_changes"):
        TreasuryPull(assets, expected, premium)
    with pytest.raises(DataError, match="expected_rate_changes is not indexed by dates"):
        TreasuryPull(assets, pd.Series(simulated[:, 1] / 100), premium)
    shifted = pd.Series(simulated[:, 2] / 100, index=dates + pd.Timedelta(days=1))
    with pytest.raises(DataError, match="term_premium_changes is not on the dates"):
        TreasuryPull(assets, pd.Series(simulated[:, 1] / 100, index=dates), shifted)


def test_too_few_observations_are_named(simulated: np.ndarray) -> None:
    short = simulated[:100]
    with pytest.raises(
        DataError, match=r"de_10y has 100 weekly changes.*1990-01-05\.\.1991-11-29.*window of 156"
    ):
        _model(short).fit()
    with pytest.raises(DataError, match="min_nobs <= window"):
        _model(simulated, window=30)
    # a regime with too few observations is not estimated, and the notes say so
    results = _model(simulated, regimes=(("tail", "2012-11-01", None),)).fit()
    assert "tail" not in results.estimates.index.get_level_values("window")
    assert results.notes == (
        "de_10y in regime 'tail': 9 weekly changes (2012-11-02..2012-12-28), fewer than "
        "min_nobs=52; not estimated",
    )


def test_non_finite_values_are_named(simulated: np.ndarray) -> None:
    values = simulated.copy()
    values[42, 0] = np.inf
    with pytest.raises(DataError, match="de_10y is inf on 1990-10-26"):
        _model(values)
    values = simulated.copy()
    values[7, 2] = np.nan
    with pytest.raises(DataError, match="term_premium_changes is missing on 1990-02-23"):
        _model(values)
    # a missing asset change is no error: that week is left out for that asset
    values = simulated.copy()
    values[7, 0] = np.nan
    assert _model(values).fit().nobs["de_10y"] == 1199


def test_other_bad_inputs(simulated: np.ndarray) -> None:
    with pytest.raises(DataError, match=r"unknown assets \['xx'\]"):
        _model(simulated, name="xx")
    days = pd.bdate_range("2000-01-03", periods=300)
    frame = pd.DataFrame({"de_10y": np.zeros(300)}, index=days)
    zeros = pd.Series(np.zeros(300), index=days)
    with pytest.raises(DataError, match="2000-01-04 is a Tuesday"):
        TreasuryPull(frame, zeros, zeros)
    with pytest.raises(DataError, match="frequency must be one of"):
        _model(simulated, frequency="daily")
    with pytest.raises(DataError, match="confidence"):
        _model(simulated).fit(confidence=1.5)
    with pytest.raises(DataError, match="hac_lags must be a non-negative integer, got -1"):
        _model(simulated).fit(hac_lags=-1)
    fixed = _model(simulated).fit(hac_lags=3, confidence=0.9)
    assert fixed.ci_method.startswith("Newey-West HAC (Bartlett kernel, 3 lags in every sample)")
    assert "normal 90% interval" in fixed.ci_method


# --------------------------------------------------------------------------- pull_changes


def test_pull_changes_units_and_synchronous_weeks() -> None:
    days = pd.bdate_range("2020-01-06", "2020-03-27")
    rng = np.random.default_rng(0)
    us = pd.DataFrame(
        {
            "expected_rate": 2 + rng.normal(0, 0.02, len(days)).cumsum(),
            "term_premium": 0.5 + rng.normal(0, 0.02, len(days)).cumsum(),
        },
        index=days,
    )
    price = pd.Series(100 * np.exp(rng.normal(0, 0.01, len(days)).cumsum()), index=days)
    bund = pd.Series(rng.normal(0, 0.03, len(days)).cumsum(), index=days)
    bund.iloc[4] = np.nan  # Friday 2020-01-10 without a German quote: Thursday's is the week's last
    levels = pd.DataFrame({"us_stocks": price, "de_10y": bund})
    changes, er, tp = pull_changes(levels, us)
    reference = synchronous_changes(us)
    pd.testing.assert_series_equal(er, reference["expected_rate"], check_names=False)
    pd.testing.assert_series_equal(tp, reference["term_premium"], check_names=False)
    assert changes.index.equals(reference.index)
    # stocks: 100 ln(P_fri / P_prev_fri), percent; Bund: 100 (y_last - y_prev_last), bp
    week2 = pd.Timestamp("2020-01-17")
    assert changes.loc[week2, "us_stocks"] == pytest.approx(
        100 * np.log(price["2020-01-17"] / price["2020-01-10"]), rel=1e-12
    )
    assert changes.loc[week2, "de_10y"] == pytest.approx(
        100 * (bund["2020-01-17"] - bund["2020-01-09"]), rel=1e-12
    )
    monthly, _, _ = pull_changes(levels, us, frequency="month_end")
    assert monthly.index[0] == pd.Timestamp("2020-02-29")
    assert monthly.loc["2020-02-29", "de_10y"] == pytest.approx(
        100 * (bund["2020-02-28"] - bund["2020-01-31"])
    )
    average, _, _ = pull_changes(levels, us, frequency="monthly_average")
    assert average.loc["2020-03-31", "de_10y"] == pytest.approx(
        100 * (bund["2020-03"].mean() - bund["2020-02"].mean())
    )
    with pytest.raises(DataError, match=r"us_stocks has a non-positive level -1\.0 on 2020-01-07"):
        pull_changes(levels.assign(us_stocks=price.where(price.index != "2020-01-07", -1.0)), us)
    with pytest.raises(DataError, match="de_10y is inf on 2020-01-08"):
        pull_changes(levels.assign(de_10y=bund.where(bund.index != "2020-01-08", np.inf)), us)
    with pytest.raises(DataError, match=r"unknown assets \['gilts'\]"):
        pull_changes(levels.rename(columns={"de_10y": "gilts"}), us)


def test_partial_final_periods_and_stale_month_ends_are_dropped() -> None:
    days = pd.bdate_range("2020-01-06", "2020-04-15")  # ends on a Wednesday, mid-month
    us = pd.DataFrame(
        {
            "expected_rate": np.linspace(1, 2, len(days)),
            "term_premium": np.linspace(0, 1, len(days)),
        },
        index=days,
    )
    bund = pd.Series(np.linspace(0, 1, len(days)), index=days)
    bund["2020-02-17":"2020-02-29"] = np.nan  # no quote in February's last two weeks
    weekly, er, _ = pull_changes(pd.DataFrame({"de_10y": bund}), us)
    # the week of Friday 2020-04-17 holds only Mon-Wed: not a weekly change
    assert er.index[-1] == weekly.index[-1] == pd.Timestamp("2020-04-10")
    monthly, er_m, _ = pull_changes(pd.DataFrame({"de_10y": bund}), us, frequency="month_end")
    # April (data end on the 15th) is not a month end; February's last Bund quote is 14 days
    # old, so the Bund has no February or March change; the U.S. parts have both
    assert list(er_m.index) == list(pd.to_datetime(["2020-02-29", "2020-03-31"]))
    assert monthly["de_10y"].isna().all()


def test_data_after_the_as_of_date_change_nothing() -> None:
    days = pd.bdate_range("2015-01-05", "2020-06-30")
    rng = np.random.default_rng(4)
    us = pd.DataFrame(
        rng.normal(0, 0.03, (len(days), 2)).cumsum(axis=0) + np.array([2.0, 0.5]),
        index=days,
        columns=["expected_rate", "term_premium"],
    )
    bund = pd.Series(
        0.5 * us.sum(axis=1) + rng.normal(0, 0.02, len(days)).cumsum(), index=days, name="de_10y"
    )
    as_of = "2019-12-18"  # a Wednesday: the week of Friday 2019-12-20 is cut short
    before = TreasuryPull.from_levels(bund.to_frame(), us, end=as_of).fit()
    changed = bund.copy()
    changed["2019-12-19":] += 5.0  # later data revised, a 500 bp jump after the as-of date
    us_changed = us.copy()
    us_changed.loc["2019-12-19":] *= 1.1
    after = TreasuryPull.from_levels(changed.to_frame(), us_changed, end=as_of).fit()
    pd.testing.assert_frame_equal(before.estimates, after.estimates)
    assert before.data_through["de_10y"] == pd.Timestamp("2019-12-13")


def test_rolling_windows_across_a_hole_are_left_empty(simulated: np.ndarray) -> None:
    # 300 weeks of data, a 200-week hole, then 900 weeks: windows across the hole are empty
    dates = FRIDAYS[:300].append(pd.date_range(FRIDAYS[499], periods=900, freq="W-FRI"))
    model = TreasuryPull(
        pd.DataFrame({"de_10y": simulated[:, 0]}, index=dates),
        pd.Series(simulated[:, 1] / 100, index=dates),
        pd.Series(simulated[:, 2] / 100, index=dates),
        regimes=(),
    )
    results = model.fit()
    rolling = results.rolling["de_10y"][("total", "value")]
    # a window ending at row i starts at row i - 155; those ending at rows 300..454 cross the
    # hole and span 155 + 199 = 354 weeks > 1.25 * 156: all 155 of them are left empty
    empty = rolling.isna()
    assert empty.sum() == 155
    assert rolling.index[empty.to_numpy()][0] == FRIDAYS[499]
    assert not empty.iloc[0] and not empty.iloc[-1]
    assert results.notes[0].startswith("de_10y: ")
    assert "rolling windows span more than 1.25 times 156 weekly periods" in results.notes[0]


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def us_components(shared_data: Path) -> pd.DataFrame:
    """The ACM split of the U.S. 10-year zero yield, daily, percent (U.S. defaults of
    ustpull.termpremium: GSW curve, monthly fit projected on every day), 1961-06..2025-10-03."""
    from ustpull.sources.local import load_frame
    from ustpull.termpremium.countries import country_curve, country_term_premium

    us_curve = load_frame(list(country_curve("US").series_ids), shared_data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the model's caveats (pre-1981 short rate)
        return country_term_premium("US", us_curve, freq="daily").components(10)


def _asset_levels(shared_data: Path, names: list[str]) -> pd.DataFrame:
    """Store series of the assets (PULL_ASSETS' series ids), columns renamed to the assets."""
    from ustpull.sources.local import load_frame

    ids = [str(PULL_ASSETS[name].series_id) for name in names]
    levels, absent = pull_asset_levels(load_frame(ids, shared_data))
    assert absent == [name for name in PULL_ASSETS if name not in names]
    return levels[names]


@pytest.fixture(scope="module")
def real_pull(shared_data: Path, us_components: pd.DataFrame) -> TreasuryPull:
    """Weekly synchronous changes: S&P 500 (us.sp500), Fed broad dollar (fx.usd_broad), Bund 10y
    (de.govt.10y), JGB 10y (jp.jgb.10y), ECB AAA 10y (ea.aaa.zero.10y), India 10y
    (in.govt.10y) against the ACM split of the U.S. 10-year."""
    names = ["us_stocks", "dollar", "de_10y", "jp_10y", "ea_10y", "in_10y"]
    assert len(PULL_SERIES) == 7 and "oecd.10y.gb" in PULL_SERIES
    return TreasuryPull.from_levels(_asset_levels(shared_data, names), us_components)


# Recipe: real_pull fixture, .fit() (95%, Newey-West default lags), full sample, per 10 bp.
# Measured 2026-12-03 on the shared data (GSW ends 2025-10-03, Bund 2024-04-12).
REAL = {
    ("us_stocks", "total"): (-0.079, -0.171, 0.013, 3355, "2025-10-03"),
    ("us_stocks", "expected_rate"): (-0.113, -0.225, 0.000, 3355, "2025-10-03"),
    ("us_stocks", "term_premium"): (-0.062, -0.165, 0.041, 3355, "2025-10-03"),
    ("dollar", "total"): (0.030, -0.029, 0.089, 1030, "2025-10-03"),
    ("dollar", "expected_rate"): (0.137, 0.042, 0.233, 1030, "2025-10-03"),
    ("dollar", "term_premium"): (0.002, -0.067, 0.071, 1030, "2025-10-03"),
    ("de_10y", "total"): (5.130, 4.770, 5.489, 1878, "2024-04-12"),
    ("de_10y", "expected_rate"): (5.439, 4.871, 6.006, 1878, "2024-04-12"),
    ("de_10y", "term_premium"): (4.993, 4.612, 5.375, 1878, "2024-04-12"),
    ("jp_10y", "total"): (1.558, 1.223, 1.892, 2045, "2025-10-03"),
    ("jp_10y", "expected_rate"): (1.777, 1.194, 2.360, 2045, "2025-10-03"),
    ("jp_10y", "term_premium"): (1.456, 1.166, 1.746, 2045, "2025-10-03"),
    ("ea_10y", "total"): (5.269, 4.767, 5.771, 1021, "2024-04-04"),
    ("in_10y", "term_premium"): (1.678, 0.272, 3.083, 786, "2020-03-12"),
    ("in_10y", "expected_rate"): (0.934, -0.557, 2.426, 786, "2020-03-12"),
}


def test_real_pull_full_sample(real_pull: TreasuryPull) -> None:
    results = real_pull.fit()
    full = results.full_sample
    for (asset, component), (value, low, high, n, through) in REAL.items():
        row = full.loc[(asset, component)]
        assert row["value"] == pytest.approx(value, abs=0.002), (asset, component)
        assert row["ci_low"] == pytest.approx(low, abs=0.002), (asset, component)
        assert row["ci_high"] == pytest.approx(high, abs=0.002), (asset, component)
        assert row["nobs"] == n
        assert f"{row['data_through']:%Y-%m-%d}" == through
    # 2008-2019: stocks rose with U.S. yields (the negative stock-bond correlation era);
    # 1962-1999 they fell with them; both significant
    eras = results.by_regime["value"]
    first = results.by_regime.loc[("us_stocks", "1962-1999", "total"), "first"]
    assert first == pd.Timestamp("1962-01-05")  # the era's label matches its data
    # German yields start in 1988: their first era is named from its data, not "1962-1999"
    de_eras = results.by_regime.loc["de_10y"].index.get_level_values(0).unique().tolist()
    assert de_eras[0] == "1988-1999" and "1962-1999" not in de_eras
    assert eras[("us_stocks", "2008-2019", "total")] == pytest.approx(0.708, abs=0.002)
    assert eras[("us_stocks", "1962-1999", "total")] == pytest.approx(-0.329, abs=0.002)
    # the latest three years: a term-premium-driven rise moved Bunds 6.8 bp per 10 bp
    latest = results.estimates.loc[("de_10y", "latest_3y", "term_premium")]
    assert latest["value"] == pytest.approx(6.803, abs=0.002)
    assert (
        "German 10-year yields moved by +5.1 bp (95% CI 4.8 to 5.5, significant)"
        in (results.sentences["de_10y"])
    )


def test_real_uk_monthly_average_fallback(shared_data: Path, us_components: pd.DataFrame) -> None:
    # No daily gilt yields in the data: the OECD monthly-average U.K. long yield (oecd.10y.gb)
    # against monthly averages of the U.S. parts (the labelled fallback of issue 16).
    # Measured 2026-12-03: +4.88 bp per 10 bp (95% CI 3.93 to 5.83), n = 771, 1961-07..2025-09.
    levels = _asset_levels(shared_data, ["uk_10y"])
    results = TreasuryPull.from_levels(levels, us_components, frequency="monthly_average").fit()
    row = results.full_sample.loc[("uk_10y", "total")]
    assert row["value"] == pytest.approx(4.878, abs=0.002)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((3.930, 5.826), abs=0.002)
    assert row["nobs"] == 771
    # October 2025 holds only 1-3 October of U.S. data: no October average
    assert f"{row['data_through']:%Y-%m-%d}" == "2025-09-30"
    assert "monthly-average (fallback) changes" in results.sentences["uk_10y"]
    assert results.findings()[0]["frequency"] == "monthly_average"
