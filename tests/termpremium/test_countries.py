"""Country table, curve recipes on real data (euro area, Australia, Germany, Japan,
Switzerland) and the CLI command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.cli.main import main
from ustpull.errors import DataError, ShortEndWarning, ShortSampleWarning
from ustpull.sources.local import load_frame
from ustpull.termpremium.acm import NY_FED_FACTOR_MATURITIES, NY_FED_RETURN_MATURITIES
from ustpull.termpremium.countries import (
    COUNTRIES,
    country_curve,
    country_term_premium,
    stored_optional_series,
    usable_rows,
    zero_yields,
)


def test_table_rows() -> None:
    assert set(COUNTRIES) == {"US", "EA", "AU", "DE", "JP", "CH"}
    us = country_curve("us")
    assert us.series_ids[:2] == ["us.gsw.zero.1y", "us.gsw.zero.2y"]
    assert us.series_ids[-2:] == ["us.cmt.1m", "us.cmt.3m"]
    assert country_curve("EA").short_rate_ids == ["ea.estr", "ea.eonia.monthly"]
    assert country_curve("AU").yield_ids[0] == "au.rba.zero.3m"
    with pytest.raises(DataError, match="no term-premium recipe for country 'XX'"):
        country_curve("XX")


def test_acm_options_follow_the_short_end() -> None:
    # a curve-based short end keeps the NY Fed's choices; a flat one starts at the first quote
    us = country_curve("US").acm_options
    assert us["factor_maturities"] == NY_FED_FACTOR_MATURITIES
    assert us["return_maturities"] == NY_FED_RETURN_MATURITIES
    assert (country_curve("DE").short_end_months, country_curve("CH").short_end_months) == (12, 24)
    swiss = country_curve("CH").acm_options
    assert swiss["factor_maturities"] == tuple(range(24, 121))
    assert swiss["return_maturities"] == (24, 36, 48, 60, 72, 84, 96, 108, 120)
    assert (swiss["n_factors"], country_curve("JP").acm_options["n_factors"]) == (3, 4)


def test_missing_series_named(shared_data: Path) -> None:
    data = load_frame(["ea.aaa.zero.1y"], shared_data)
    with pytest.raises(DataError, match=r"EA curve needs series \['ea.aaa.zero.2y'"):
        zero_yields(country_curve("EA"), data)


@pytest.mark.parametrize(
    ("code", "first", "last", "months"),
    [("EA", "2004-09-30", "2024-03-28", 235), ("AU", "1992-07-31", "2013-04-30", 250)],
)
def test_country_estimates(
    shared_data: Path, code: str, first: str, last: str, months: int
) -> None:
    curve = country_curve(code)
    estimate = country_term_premium(code, load_frame(curve.series_ids, shared_data))
    tp = estimate.results.term_premium
    assert (tp.index[0], tp.index[-1], len(tp)) == (pd.Timestamp(first), pd.Timestamp(last), months)
    # ACM yield pricing errors at 2, 5, 10 years: measured RMSE at most 2.8 bp (AU at 5 years;
    # EA 1.5 bp and AU 1.4 bp at 10 years). Shorter maturities carry the NSS extrapolation
    # below the shortest quote (AU 1-year RMSE 3.4-4.8 bp depending on the NSS fit's version)
    errors = estimate.results.pricing_error_summary
    assert errors.loc[[24, 60, 120], "rmse_bp"].max() < 4.0
    # the 10-year premium averages about 1 % in both samples (EA 1.00 %, AU 1.00 %)
    assert 0.5 < tp[120].mean() < 1.5
    frame = estimate.to_frame()
    np.testing.assert_allclose(
        frame["yield_10y"] - frame["risk_neutral_10y"], frame["term_premium_10y"], atol=1e-12
    )


def test_ea_input_matches_published_zero_yields(shared_data: Path) -> None:
    # ECB AAA spot yields are Svensson curves, so the NSS refit returns them: compare the
    # 2-, 5- and 10-year month-end zero yields with the published ones (continuous comp.)
    curve = country_curve("EA")
    data = load_frame(curve.curve_ids, shared_data)
    built = zero_yields(curve, data.iloc[-300:])
    published = data.iloc[-300:][["ea.aaa.zero.2y", "ea.aaa.zero.5y", "ea.aaa.zero.10y"]]
    difference = built[[24, 60, 120]].to_numpy() - published.loc[built.index].to_numpy()
    difference_bp = 100 * np.abs(difference)
    # measured on the last 300 days: median 3e-6 bp, 90th percentile 0.51 bp, worst 1.75 bp
    # (on 120 days the refit stops short of the ECB's own Svensson curve)
    assert np.median(difference_bp) < 0.001
    assert difference_bp.max() < 2.0


def test_cli_writes_csv(shared_data: Path, tmp_store: Path, tmp_path: Path) -> None:
    output = tmp_path / "ea.csv"
    code = main(
        [
            "termpremium",
            "--country",
            "EA",
            "--data-dir",
            str(shared_data),
            "--end",
            "2020-12-31",
            "--bands",
            "--replications",
            "50",
            "--output",
            str(output),
        ]
    )
    assert code == 0
    frame = pd.read_csv(output, index_col="date", parse_dates=True)
    assert list(frame.columns[:3]) == ["yield_1y", "risk_neutral_1y", "term_premium_1y"]
    assert "term_premium_10y_upper" in frame.columns
    assert frame.index[-1] == pd.Timestamp("2020-12-30")  # 31 December is a TARGET holiday
    assert len(frame) == 196  # 2004-09 .. 2020-12 month-ends
    assert (frame["term_premium_10y_lower"] <= frame["term_premium_10y_upper"]).all()


def test_cli_bad_country_and_freq(
    tmp_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["termpremium", "--country", "XX", "--output", str(tmp_path / "x.csv")]) == 2
    assert "no term-premium recipe for country 'XX'" in capsys.readouterr().err
    assert main(["termpremium", "--freq", "weekly", "--output", str(tmp_path / "x.csv")]) == 2
    assert "'--freq': Value error, 'weekly' is not one of 'daily', 'monthly'" in (
        capsys.readouterr().err
    )


def test_cli_daily_with_model_options(shared_data: Path, tmp_store: Path, tmp_path: Path) -> None:
    output = tmp_path / "au_daily.csv"
    code = main(
        [
            "termpremium",
            "--country",
            "AU",
            "--freq",
            "daily",
            "--var-bias",
            "pope",
            "--data-dir",
            str(shared_data),
            "--output",
            str(output),
        ]
    )
    assert code == 0
    frame = pd.read_csv(output, index_col="date", parse_dates=True)
    assert len(frame) > 5000  # every RBA business day 1992-07 .. 2013-05
    assert frame.index[0] == pd.Timestamp("1992-07-01")
    assert list(frame.columns[-4:]) == [
        "yield_10y",
        "risk_neutral_10y",
        "term_premium_10y",
        "term_premium_5y5y",
    ]
    np.testing.assert_allclose(
        frame["term_premium_5y5y"],
        2 * frame["term_premium_10y"] - frame["term_premium_5y"],
        atol=2e-6,
    )


def test_model_options_reach_the_model(shared_data: Path) -> None:
    data = load_frame(country_curve("EA").series_ids, shared_data)
    capped = country_term_premium("EA", data, model_options={"eigenvalue_cap": 0.95})
    assert capped.results.var_spectral_radius == pytest.approx(0.95)


# ------------------------------------------------------------------ grid recipes (DE, JP, CH)
def _flat_par_panel(code: str, par_percent: float) -> pd.DataFrame:
    curve = country_curve(code)
    return pd.DataFrame(
        par_percent, index=pd.DatetimeIndex(["2020-01-31"], name="date"), columns=curve.yield_ids
    )


@pytest.mark.parametrize(
    ("code", "continuous"),
    [
        # flat annual par curve at 3 %: every annual zero is 3 %, continuous ln(1.03)
        ("DE", 100 * np.log(1.03)),
        # flat semiannual par curve at 3 %: every zero is 3 % semiannual, 2 ln(1.015)
        ("JP", 200 * np.log(1.015)),
        # flat annual zero curve at 3 % (SNB spot yields)
        ("CH", 100 * np.log(1.03)),
    ],
)
def test_flat_curve_gives_flat_zero_yields(code: str, continuous: float) -> None:
    with pytest.warns(ShortEndWarning, match=f"{code}: no quote under"):
        built = zero_yields(country_curve(code), _flat_par_panel(code, 3.0))
    assert list(built.columns) == list(range(1, 121))
    np.testing.assert_allclose(built.to_numpy(), continuous, rtol=0, atol=1e-12)


def _annual_bootstrap_zero_10y(par: dict[float, float], step: float) -> float:
    """Hand bootstrap: par yields (percent) linear in maturity on a coupon grid of ``step``
    years (1 = annual, 0.5 = semiannual), flat before the first quote, each bond at par:
    ``D_k = (1 - c_k h sum_{j<k} D_j) / (1 + c_k h)``; continuous 10-year zero in percent."""
    quoted = np.array(sorted(par))
    grid = np.arange(1, round(10 / step) + 1) * step
    coupons = np.interp(grid, quoted, [par[t] for t in quoted]) / 100.0
    annuity, discount = 0.0, 1.0
    for coupon in coupons:
        discount = (1.0 - coupon * step * annuity) / (1.0 + coupon * step)
        annuity += discount
    return float(-100.0 * np.log(discount) / 10.0)


@pytest.mark.parametrize(
    ("code", "date", "step"), [("JP", "2023-12-29", 0.5), ("DE", "2019-06-28", 1.0)]
)
def test_par_bootstrap_matches_hand_computation(
    shared_data: Path, code: str, date: str, step: float
) -> None:
    curve = country_curve(code)
    row = load_frame(curve.series_ids, shared_data).loc[[date]]
    with pytest.warns(ShortEndWarning):
        built = zero_yields(curve, row)
    quotes = {
        years: float(row.iloc[0, i])
        for i, years in enumerate(curve.quoted_years)
        if years <= 10 and np.isfinite(row.iloc[0, i])
    }
    assert built.loc[date, 120] == pytest.approx(
        _annual_bootstrap_zero_10y(quotes, step), abs=1e-10
    )
    # below the first quote the curve repeats the 1-year zero yield
    np.testing.assert_array_equal(built.loc[date, 1:11], built.loc[date, 12])


def test_swiss_zero_yields_at_nodes(shared_data: Path) -> None:
    curve = country_curve("CH")
    data = load_frame(curve.series_ids, shared_data)
    with pytest.warns(ShortEndWarning, match="repeat the 2y zero yield"):
        built = zero_yields(curve, data.loc["2015-06-01":"2015-06-30"])
    published = data.loc[built.index, ["ch.snb.zero.2y", "ch.snb.zero.5y", "ch.snb.zero.10y"]]
    # SNB spot yields are annually compounded: continuous = 100 ln(1 + y/100) at the nodes
    np.testing.assert_allclose(
        built[[24, 60, 120]].to_numpy(), 100 * np.log1p(published.to_numpy() / 100), atol=1e-12
    )
    np.testing.assert_array_equal(built[list(range(1, 24))].to_numpy().T, [built[24]] * 23)


def test_bund_zero_yields_near_bundesbank_curve(shared_data: Path) -> None:
    # independent reference: the Bundesbank's Svensson zero yields on listed Federal
    # securities (annual compounding), against zeros bootstrapped from benchmark par yields.
    # Measured 2000-04 .. 2022-02 (5,547 days): median |gap| 3.8 bp (1y), 3.0 bp (2y),
    # 4.3 bp (10y); mean gap +0.3, -1.7, -4.5 bp
    curve = country_curve("DE")
    with pytest.warns(ShortEndWarning):
        built = zero_yields(curve, load_frame(curve.series_ids, shared_data).loc["2000-04":])
    bundesbank = load_frame(["de.bbk.zero.1y", "de.bbk.zero.2y", "de.bbk.zero.10y"], shared_data)
    joined = built[[12, 24, 120]].join(100 * np.log1p(bundesbank / 100), how="inner").dropna()
    assert len(joined) > 5000
    gaps_bp = 100 * (joined[[12, 24, 120]].to_numpy() - joined.iloc[:, 3:].to_numpy())
    np.testing.assert_array_less(np.median(np.abs(gaps_bp), axis=0), [4.5, 3.5, 5.0])
    np.testing.assert_array_less(np.abs(gaps_bp.mean(axis=0)), [1.0, 2.5, 5.5])


@pytest.mark.parametrize(
    ("code", "first", "last", "months", "rmse_bound_bp", "premium"),
    [
        # measured RMSE at the quoted maturities (bp): DE 11.5 (1y), 7.2, 7.8, 3.7 (10y);
        # JP 8.3 (1y), 3.5 .. 7.2 at 2..10y; CH 16.1 (2y), 3.6, 1.5 (10y). The first
        # quote carries the flat short end; the short rate is the euro overnight rate
        # (EONIA, then euro STR) in Germany and that first yield itself in Japan and
        # Switzerland (no overnight or bill rate in the shared data)
        (
            "DE",
            "2000-04-28",
            "2024-03-28",
            288,
            {12: 12, 24: 7.5, 60: 8, 120: 4},
            (0.99, -1.53, 3.21),
        ),
        (
            "JP",
            "1986-07-31",
            "2024-03-29",
            453,
            dict.fromkeys(range(12, 121, 12), 9.0),
            (1.41, -0.24, 3.96),
        ),
        ("CH", "1988-01-29", "2024-03-29", 435, {24: 17, 60: 4, 120: 2}, (0.96, -0.91, 3.07)),
    ],
)
def test_grid_country_estimates(
    shared_data: Path,
    code: str,
    first: str,
    last: str,
    months: int,
    rmse_bound_bp: dict[int, float],
    premium: tuple[float, float, float],
) -> None:
    curve = country_curve(code)
    with pytest.warns(ShortEndWarning):
        estimate = country_term_premium(code, load_frame(curve.series_ids, shared_data))
    observed = estimate.decomposition.observed_yields
    assert list(observed.columns) == list(range(1, 121))
    assert not observed.isna().any().any()
    dates = pd.DatetimeIndex(observed.index)
    assert (dates[0], dates[-1], len(dates)) == (pd.Timestamp(first), pd.Timestamp(last), months)
    # one month-end per calendar month, none missing
    assert (dates.to_period("M") == pd.period_range(first, last, freq="M")).all()
    rmse = estimate.results.pricing_error_summary["rmse_bp"]
    for maturity, bound in rmse_bound_bp.items():
        assert rmse[maturity] < bound, (maturity, rmse[maturity])
    decomposition = estimate.decomposition
    np.testing.assert_allclose(
        decomposition.term_premium,
        decomposition.fitted_yields - decomposition.risk_neutral_yields,
        atol=1e-12,
    )
    ten_year = estimate.results.term_premium[120]
    assert (ten_year.mean(), ten_year.min(), ten_year.max()) == pytest.approx(premium, abs=0.01)


def test_month_end_skips_rows_without_the_short_end(shared_data: Path) -> None:
    # 2001-12-31 has a 10-year but no 1-year Bund quote: December's curve is the 28th's
    curve = country_curve("DE")
    data = load_frame(curve.series_ids, shared_data).loc["2001-01-01":"2002-12-31"]
    assert not usable_rows(curve, data.loc[["2001-12-31"]])[0]
    with pytest.warns((ShortEndWarning, ShortSampleWarning)):
        estimate = country_term_premium("DE", data)
    assert pd.Timestamp("2001-12-28") in estimate.decomposition.term_premium.index
    assert pd.Timestamp("2001-12-31") not in estimate.decomposition.term_premium.index


def test_grid_failure_paths(shared_data: Path) -> None:
    curve = country_curve("DE")
    data = load_frame(curve.series_ids, shared_data)
    # before the default first date the 1-year Bund has a 15-month hole
    with pytest.warns(ShortEndWarning), pytest.raises(DataError, match="1998-12->2000-04"):
        country_term_premium("DE", data, start="1994-03-01")
    without_short_end = data.assign(**{"de.govt.1y": np.nan})
    with pytest.raises(DataError, match=r"no date with both the shortest \(de.govt.1y\)"):
        zero_yields(curve, without_short_end)


def test_cli_germany(shared_data: Path, tmp_store: Path, tmp_path: Path) -> None:
    output = tmp_path / "de.csv"
    arguments = ["termpremium", "--country", "de", "--output", str(output)]
    with pytest.warns(ShortEndWarning):
        code = main([*arguments, "--data-dir", str(shared_data)])
    assert code == 0
    frame = pd.read_csv(output, index_col="date", parse_dates=True)
    assert (frame.index[0], len(frame)) == (pd.Timestamp("2000-04-28"), 288)
    assert frame["term_premium_10y"].mean() == pytest.approx(0.99, abs=0.01)


# ------------------------------------------------------------ online-only short rates (JP, CH)
def test_japan_and_switzerland_take_a_stored_call_rate_as_optional() -> None:
    for code, series_id in (("JP", "oecd.call.jp"), ("CH", "oecd.call.ch")):
        curve = country_curve(code)
        assert curve.optional_ids == [series_id]
        assert series_id not in curve.series_ids  # offline loads never ask for it
    assert country_curve("US").optional_ids == []


def _call_rate_payload(jgb_1y: pd.Series) -> bytes:
    """FRED ``fredgraph.csv`` of IRSTCI01JPM156N (oecd.call.jp), monthly on the first of the
    month. The shared data hold no call rate: a stand-in is derived from the 1-year JGB par
    yield, its monthly mean minus 15 bp, from 2005-01."""
    monthly = (jgb_1y.loc["2005-01-01":].resample("MS").mean() - 0.15).dropna()
    rows = [f"{day:%Y-%m-%d},{value:.4f}" for day, value in monthly.items()]
    return ("\n".join(["observation_date,IRSTCI01JPM156N", *rows]) + "\n").encode()


def test_japan_uses_a_stored_call_rate(shared_data: Path, tmp_path: Path) -> None:
    from ustpull.sources.fred import parse_fred_csv
    from ustpull.store import Store

    curve = country_curve("JP")
    data = load_frame(curve.series_ids, shared_data).loc["2000-01-01":]
    assert stored_optional_series(curve, tmp_path / "none.duckdb").columns.empty
    store = tmp_path / "store.duckdb"
    Store(store).ingest([parse_fred_csv(_call_rate_payload(data["jp.mof.par.1y"]))])
    call = stored_optional_series(curve, store)
    assert list(call.columns) == ["oecd.call.jp"] and call.index[0] == pd.Timestamp("2005-01-01")
    with pytest.warns(ShortEndWarning) as record:
        with_call = country_term_premium("JP", data.join(call, how="outer"))
    messages = " | ".join(str(item.message) for item in record)
    assert "the model's short rate comes from oecd.call.jp" in messages
    assert "no money-market rate (oecd.call.jp) for 60 months (2000-01..2004-12)" in messages
    rate = with_call.results.model.short_rate
    month = call.loc["2010-06-01", "oecd.call.jp"]  # simple act/365, overnight -> continuous
    assert rate.loc["2010-06"].iloc[0] == pytest.approx(36500 * np.log1p(month / 36500))
    with pytest.warns(ShortEndWarning, match="the stated fallback"):
        fallback = country_term_premium("JP", data)
    assert fallback.results.model.short_rate.loc["2010-06"].iloc[0] == pytest.approx(
        with_call.results.model.yields.loc["2010-06", 12].iloc[0]
    )
    # a short rate 15 bp under the 1-year yield lowers the expected path: measured 10-year
    # premium means 2000-01..2024-03: 0.914 % with the call rate vs 0.810 % on rolling 1-year
    # bonds (the fallback)
    means = (with_call.results.term_premium[120].mean(), fallback.results.term_premium[120].mean())
    assert means == pytest.approx((0.914, 0.810), abs=0.002)


def test_freq_is_a_deprecated_name_of_frequency(shared_data: Path) -> None:
    data = load_frame(country_curve("US").series_ids, shared_data)
    window = {"start": "2005-01-01", "end": "2014-12-31"}
    new = country_term_premium("US", data, frequency="monthly", **window)
    with pytest.warns(DeprecationWarning, match="freq= is deprecated: use frequency="):
        old = country_term_premium("US", data, freq="monthly", **window)
    pd.testing.assert_frame_equal(old.to_frame(), new.to_frame())
    assert len(new.to_frame()) == 120  # month-ends 2005-01 .. 2014-12
