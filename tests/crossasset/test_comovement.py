"""Co-movement with the U.S. on month-end yields: known truth, fallback, EA guard, real data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.comovement import (
    CoMovement,
    CoMovementResults,
    Era,
    _AverageInterval,
    _Panel,
    check_average_set,
    inputs_from_frame,
    month_end_yields,
    monthly_average_yields,
    rolling_hac,
    rolling_hac_se,
)
from ustpull.crossasset.intervals import hac_standard_error
from ustpull.errors import DataError

DAYS = pd.bdate_range("1980-01-01", "2019-12-31")
MONTHS = DAYS.to_period("M").unique()


def _daily_from_monthly(levels: np.ndarray) -> pd.Series:
    """A business-daily series holding each month's level on every day of that month."""
    codes = np.searchsorted(MONTHS.asi8, DAYS.to_period("M").asi8)
    return pd.Series(levels[codes], index=DAYS)


def _shocks(rho: float, seed: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Monthly U.S. shocks and three markets' shocks with population correlation ``rho``."""
    rng = np.random.default_rng(seed)
    us = rng.standard_normal(len(MONTHS))
    return us, {
        code: rho * us + np.sqrt(1 - rho**2) * rng.standard_normal(len(MONTHS))
        for code in ("DE", "JP", "GB")
    }


def _correlated_markets(rho: float, seed: int = 2) -> tuple[pd.Series, dict[str, pd.Series]]:
    """Daily U.S. and three markets whose month-end changes are the shocks of :func:`_shocks`."""
    us, shocks = _shocks(rho, seed)
    markets = {
        code: _daily_from_monthly(5.0 + 0.2 * np.cumsum(own)).rename(code)
        for code, own in shocks.items()
    }
    return _daily_from_monthly(5.0 + 0.2 * np.cumsum(us)).rename("US"), markets


def test_month_end_is_the_last_valid_daily_observation() -> None:
    days = pd.to_datetime(["2020-01-02", "2020-01-30", "2020-01-31", "2020-02-27", "2020-03-10"])
    daily = pd.Series([1.0, 2.0, np.nan, 3.0, 4.0], index=days, name="x")
    ends = month_end_yields(daily, max_stale_days=7)
    # January: the 31st is missing so the 30th counts; February: the 27th (2 days stale);
    # March: the series stops on the 10th, 21 days before the month's end, so no month-end
    assert ends.to_dict() == {pd.Timestamp("2020-01-31"): 2.0, pd.Timestamp("2020-02-29"): 3.0}
    averages = monthly_average_yields(daily)
    assert averages[pd.Timestamp("2020-01-31")] == pytest.approx(1.5)
    with pytest.raises(DataError, match="not strictly increasing"):
        month_end_yields(daily.iloc[::-1])
    with pytest.raises(DataError, match="no daily observations"):
        month_end_yields(daily * np.nan)


def test_synthetic_correlation_is_recovered_with_intervals() -> None:
    us, markets = _correlated_markets(0.6)
    res = CoMovement(us, markets, eras=_eras(), change_eras=("1980s", "2000s")).fit()
    table = res.correlations.xs("all", level="era")
    assert list(table["nobs"]) == [479, 479, 479]  # 480 month-ends, 479 changes
    us_shock, shocks = _shocks(0.6, 2)
    for code, row in table.iterrows():
        # month-end changes are exactly the generating shocks (the first month has no change)
        exact = np.corrcoef(us_shock[1:], shocks[str(code)][1:])[0, 1]
        assert row["estimate"] == pytest.approx(exact, abs=1e-12)
        # with this seed the population value lies inside every interval (coverage over many
        # series is measured in test_intervals.py); width near 2 x 1.96 (1 - rho^2) / sqrt(n)
        assert row["ci_low"] < 0.6 < row["ci_high"]
        assert row["ci_high"] - row["ci_low"] == pytest.approx(0.115, abs=0.02)
    avg = res.averages.loc["all"]
    assert avg["estimate"] == pytest.approx(table["estimate"].mean(), abs=1e-12)
    assert avg["ci_low"] < 0.6 < avg["ci_high"]
    assert res.change is not None and res.change.ci_low < 0.0 < res.change.ci_high
    hac = CoMovement(us, markets, eras=_eras(), change_eras=("1980s", "2000s"), method="hac")
    hac_avg = hac.fit().averages.loc["all"]
    assert hac_avg["estimate"] == pytest.approx(avg["estimate"], abs=1e-12)
    assert hac_avg["ci_low"] < 0.6 < hac_avg["ci_high"]


def _eras() -> list[Era]:
    return [Era("all", "1980-01"), Era("1980s", "1980-01", "1989-12"), Era("2000s", "2000-01")]


def test_a_market_without_daily_data_falls_back_to_labelled_monthly_averages() -> None:
    us, markets = _correlated_markets(0.6)
    monthly = {"GB": markets.pop("GB").resample("MS").mean().rename("oecd:GB")}
    res = CoMovement(us, markets, monthly, eras=_eras(), change_eras=("1980s", "2000s")).fit()
    assert res.bases["GB"] == "monthly average (fallback): oecd:GB"
    assert res.bases["DE"] == "month-end (daily): DE"
    # the fallback pair is smoothed on both sides: the U.S. side is its monthly average too
    pair = res._markets["GB"].pair
    us_avg = us.groupby(us.index.to_period("M")).mean().diff()
    assert pair["us"].iloc[5] == pytest.approx(us_avg.iloc[6], abs=1e-12)
    found = {f["key"]: f for f in res.findings()}
    assert found["comovement.gb.all"]["basis"] == {"GB": "monthly average (fallback): oecd:GB"}
    head = found["comovement.headline_average.all"]
    assert head["basis"]["GB"].startswith("monthly average (fallback)")
    assert set(head) >= {"key", "value", "ci", "ci_method", "data_through"}
    assert head["data_through"] == "2019-12-31"
    assert "block bootstrap" in head["ci_method"]


def test_the_euro_area_aggregate_is_never_averaged_with_its_members() -> None:
    us, markets = _correlated_markets(0.5)
    with pytest.raises(DataError, match="euro-area aggregate \\(EA\\) cannot be averaged"):
        CoMovement(us, {**markets, "EA": markets["DE"]}, headline=("EA", "DE", "JP"))
    with pytest.raises(DataError, match=r"members \['FR'\]"):
        check_average_set(["EA", "FR", "JP"])
    check_average_set(["EA", "JP", "GB"])  # the aggregate beside non-members is fine
    markets["EA"] = markets["DE"].rename("EA")
    res = CoMovement(us, markets, eras=_eras(), change_eras=("1980s", "2000s")).fit()
    with pytest.raises(DataError, match=r"members \['DE'\]"):
        res.average(["DE", "EA"])
    assert np.isfinite(res.average(["EA", "JP"], "all").estimate)
    with pytest.raises(DataError, match="not in the data"):
        res.average(["DE", "IT"], "all")


def _garch_panels(n_series: int, n_obs: int, rho: float, seed: int) -> tuple[np.ndarray, ...]:
    """U.S. and three foreign changes, each foreign one correlated ``rho`` with the U.S., all
    sharing one GARCH(1,1) variance (omega 0.05, alpha 0.12, beta 0.86, as test_intervals.py).
    Shapes ``(n_series, n_obs)`` and ``(n_series, 3, n_obs)``."""
    rng = np.random.default_rng(seed)
    burn, omega, alpha, beta = 200, 0.05, 0.12, 0.86
    z = rng.standard_normal((n_obs + burn, n_series, 4))
    h = np.full(n_series, omega / (1 - alpha - beta))
    us = np.empty((n_obs + burn, n_series))
    fx = np.empty((n_obs + burn, n_series, 3))
    for t in range(n_obs + burn):  # over time, every series at once
        scale = np.sqrt(h)
        us[t] = scale * z[t, :, 0]
        fx[t] = scale[:, None] * (rho * z[t, :, :1] + np.sqrt(1 - rho**2) * z[t, :, 1:])
        h = omega + alpha * us[t] ** 2 + beta * h
    return us[burn:].T, fx[burn:].transpose(1, 2, 0)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["stationary", "hac"])
def test_average_interval_coverage_under_garch(method: str) -> None:
    """500 panels of 400 months: the 95% interval of the three-market average covers the true
    0.5 in 94.8% (stationary bootstrap) and 95.8% (HAC) of them. Shorter samples cover less
    (measured with the same recipe: n = 120: 92.0% / 91.4%; n = 60: 91.8% / 91.4%)."""
    us, fx = _garch_panels(500, 400, 0.5, seed=7)
    dates = pd.date_range("1990-01-31", periods=400, freq="ME")
    interval = _AverageInterval(method, 0.95, 199, 10.0)  # type: ignore[arg-type]
    hits = 0
    for s in range(500):
        panel = _Panel(("A", "B", "C"), np.repeat(us[s][None], 3, axis=0), fx[s], dates)
        res = interval.fit(panel, s, "coverage")
        hits += res.ci_low <= 0.5 <= res.ci_high
    assert 0.92 <= hits / 500 <= 0.98


def test_rolling_hac_matches_the_interval_module() -> None:
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((2, 100))
    rho, psi = rolling_hac(x[None], y[None], 60)
    assert rho.shape == (1, 41)
    assert rho[0, 7] == pytest.approx(np.corrcoef(x[7:67], y[7:67])[0, 1], abs=1e-12)
    assert rolling_hac_se(psi)[0, 7] == pytest.approx(hac_standard_error(psi[0, 7]), abs=1e-12)


def test_bad_specifications_are_refused() -> None:
    us, markets = _correlated_markets(0.5)
    with pytest.raises(DataError, match=r"headline markets \['GB'\] have neither"):
        CoMovement(us, {"DE": markets["DE"], "JP": markets["JP"]})
    with pytest.raises(DataError, match="change era 'nope'"):
        CoMovement(us, markets, change_eras=("1990-1999", "nope"))
    with pytest.raises(DataError, match="window must be at least 24"):
        CoMovement(us, markets, window=12)
    with pytest.raises(DataError, match="method must be"):
        CoMovement(us, markets, method="fisher")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="appears twice"):
        check_average_set(["DE", "DE"])
    with pytest.raises(DataError, match="unknown era"):
        CoMovement(us, markets).era("1970s")
    short = {code: series.loc[:"1981-06"] for code, series in markets.items()}
    with pytest.raises(DataError, match="fewer than one 60-month window"):
        CoMovement(us, short, eras=_eras(), change_eras=("1980s", "2000s")).fit()
    eras = [*_eras(), Era("2030s", "2030-01")]  # after the synthetic data end (2019)
    res = CoMovement(us, markets, eras=eras, change_eras=("1980s", "2000s"), window=24).fit()
    assert "2030s" not in res.averages.index
    with pytest.raises(DataError, match="0 common months"):
        res.average(["DE", "JP"], "2030s")


def test_summary_plot_and_html() -> None:
    import matplotlib

    matplotlib.use("Agg")
    us, markets = _correlated_markets(0.6)
    res = CoMovement(us, markets, eras=_eras(), change_eras=("1980s", "2000s")).fit()
    fig = res.plot()
    assert fig.axes[0].get_ylabel() == "60-month correlation with U.S."
    assert len(fig.axes[0].lines) == 1  # the headline average (every market is in it)
    assert res._repr_html_().startswith("<pre>Co-movement of monthly 10-year yield changes")
    assert res.to_frame().shape == (9, 11)  # 3 markets x 3 eras


def _col(shared: Path, path: str, column: str) -> pd.Series:
    frame = pd.read_csv(shared / path, index_col=0, parse_dates=True)
    return pd.to_numeric(frame[column], errors="coerce").dropna().rename(f"{path}:{column}")


@pytest.fixture(scope="module")
def real(shared_data: Path) -> CoMovementResults:
    """Recipe: U.S. FRED DGS10 (fred/ust_cmt_daily.csv); daily 10-year yields DE and FR
    (Investing.com closes), JP (MoF JGB10Y), CH (SNB spot), AU (RBA F2), EA (ECB AAA spot);
    OECD IRLTLT01 monthly averages as the fallback (used for GB and CA, which have no daily
    series in the shared data); CoMovement defaults (stationary bootstrap, 999 draws, seed 0)."""
    daily = {
        "DE": _col(shared_data, "intl/germany_govt_yields_daily_1988_2024.csv", "10y Yield"),
        "FR": _col(shared_data, "intl/france_govt_yields_daily_1988_2024.csv", "10y Yield"),
        "JP": _col(shared_data, "intl/japan_10y_jgb_daily_1986_2026.csv", "JGB10Y"),
        "CH": _col(shared_data, "intl/swiss_snb_spot_yields_daily_1988_2024.csv", "10yr"),
        "AU": _col(shared_data, "intl/australia_rba_f2_govt_yields_daily_1995_2024.csv", "AG_10Y"),
        "EA": _col(shared_data, "intl/ecb_aaa_spot_yields_daily_2004_2024.csv", "10yr"),
    }
    oecd = "intl/oecd_10y_govt_yields_monthly.csv"
    codes = {"DE": "DE", "JP": "JP", "GB": "GB", "FR": "FR", "CA": "CA", "AU": "AU", "CH": "CH"}
    monthly = {c: _col(shared_data, oecd, f"IRLTLT01{k}M156N") for c, k in codes.items()}
    monthly["EA"] = _col(shared_data, oecd, "IRLTLT01EZM156N")
    us = _col(shared_data, "fred/ust_cmt_daily.csv", "DGS10")
    return CoMovement(us, daily, monthly).fit()


def test_inputs_from_canonical_ids(shared_data: Path) -> None:
    """The report's frame of canonical ids gives the same markets and bases as the recipe."""
    oecd = "intl/oecd_10y_govt_yields_monthly.csv"
    frame = pd.concat(
        {
            "us.cmt.10y": _col(shared_data, "fred/ust_cmt_daily.csv", "DGS10"),
            "jp.jgb.10y": _col(shared_data, "intl/japan_10y_jgb_daily_1986_2026.csv", "JGB10Y"),
            "de.bbk.zero.10y": _col(
                shared_data, "intl/bundesbank_svensson_zero_yields_1y_2y_10y.csv", "BBK_ZC_10Y"
            ),
            "oecd.10y.gb": _col(shared_data, oecd, "IRLTLT01GBM156N"),
            "oecd.10y.de": _col(shared_data, oecd, "IRLTLT01DEM156N"),
            "oecd.10y.jp": _col(shared_data, oecd, "IRLTLT01JPM156N"),
            "de.govt.10y": pd.Series(np.nan, index=pd.DatetimeIndex(["2020-01-02"])),
        },
        axis=1,
        sort=True,
    )
    us, daily, monthly = inputs_from_frame(frame)
    assert sorted(daily) == ["DE", "JP"] and sorted(monthly) == ["DE", "GB", "JP"]
    assert daily["DE"].name == "de.bbk.zero.10y"  # de.govt.10y is empty: the next candidate
    res = CoMovement(us, daily, monthly).fit()
    assert res.bases["GB"] == "monthly average (fallback): oecd.10y.gb"
    # Bundesbank zero yields 1997-08..2022-02 instead of the Bund benchmark: since 1990 the
    # headline average is 0.615 on 293 common months
    row = res.averages.loc["since 1990"]
    assert (row["estimate"], row["nobs"]) == (pytest.approx(0.615, abs=6e-4), 293)
    with pytest.raises(DataError, match=r"needs the daily U\.S\. 10-year yield"):
        inputs_from_frame(frame.drop(columns="us.cmt.10y"))


def test_real_headline_average_over_de_jp_uk(real: CoMovementResults) -> None:
    avg = real.averages
    expected = {  # era: (estimate, ci_low, ci_high, common months)
        "since 1990": (0.578, 0.524, 0.625, 407),
        "1990-1999": (0.485, 0.383, 0.582, 116),
        "2000-2007": (0.611, 0.532, 0.681, 96),
        "2008-2019": (0.736, 0.705, 0.766, 144),
        "2020-latest": (0.655, 0.488, 0.784, 51),
    }
    for era, (value, low, high, n) in expected.items():
        row = avg.loc[era]
        assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx(
            (value, low, high), abs=6e-4
        ), era
        assert row["nobs"] == n
    assert avg.loc["2020-latest", "data_through"] == pd.Timestamp("2024-03-31")  # DE ends
    assert real.change is not None
    assert (real.change.estimate, real.change.ci_low, real.change.ci_high) == pytest.approx(
        (0.170, -0.007, 0.333), abs=6e-4
    )
    # borderline: the bootstrap interval holds zero (its centred-replicate p is 0.046), so the
    # rise since the 1990s is not called significant
    assert not real.change.significant
    assert real.change.pvalue == pytest.approx(0.046, abs=1e-3)
    json.dumps(real.findings(), allow_nan=False)  # findings.json-ready: no NaN, no numpy types


def test_real_markets_listed_separately(real: CoMovementResults) -> None:
    table = real.correlations
    since = table.xs("since 1990", level="era")
    assert since.loc["JP", "estimate"] == pytest.approx(0.344, abs=6e-4)
    assert since.loc["DE", "estimate"] == pytest.approx(0.715, abs=6e-4)
    assert since.loc["GB", "estimate"] == pytest.approx(0.673, abs=6e-4)
    assert since.loc["EA", "estimate"] == pytest.approx(0.745, abs=6e-4)
    assert since.loc["CA", "basis"] == "monthly average (fallback)"
    assert since.loc["GB", "basis"] == "monthly average (fallback)"
    assert since.loc["JP", "basis"] == "month-end (daily)"
    assert set(since.index[since["headline"]]) == {"DE", "JP", "GB"}
    assert ("EA", "1990-1999") not in table.index  # the ECB curve starts in 2004
    found = {f["key"]: f for f in real.findings()}
    assert {"comovement.headline_average.since_1990", "comovement.ea.since_1990"} <= set(found)
    head = found["comovement.headline_average.2020_latest"]
    assert head["window"] == "2020-01 .. 2024-03"
    assert head["label"].endswith("DE, JP, UK, 2020-latest")
    assert found["comovement.jp.1990_1999"]["window"] == "1990-01 .. 1999-12"
    roll = real.rolling
    assert roll.index[-1] == pd.Timestamp("2024-03-31")
    assert roll["headline_average"].iloc[-1] == pytest.approx(0.6787, abs=6e-4)
    assert "Bases:" in real.summary()
