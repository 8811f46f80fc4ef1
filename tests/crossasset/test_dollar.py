"""Dollar analytics: index splicing, co-movement and divergences, the smile and the frown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.dollar import (
    DollarSmile,
    DollarYieldComovement,
    FiscalFrown,
    RelativePrices,
    classify_fiscal_stance,
    classify_growth_states,
    dollar_index,
)
from ustpull.errors import DataError


def test_spliced_index_chains_broad_changes_onto_dxy() -> None:
    dates = pd.bdate_range("2024-01-01", periods=6)
    data = pd.DataFrame(
        {
            "fx.dxy": [100.0, 101.0, 102.0, np.nan, np.nan, np.nan],
            "fx.usd_broad": [120.0, 121.0, 122.0, 124.44, 122.0, 125.66],
        },
        index=dates,
    )
    spliced = dollar_index(data, index="spliced")
    assert spliced.iloc[:3].tolist() == [100.0, 101.0, 102.0]
    # after DXY's last day the level moves by the broad index's ratios: 124.44/122 = 1.02
    assert spliced.iloc[3] == pytest.approx(104.04)
    assert spliced.iloc[5] == pytest.approx(102.0 * 125.66 / 122.0)
    assert dollar_index(data, index="dxy").size == 3
    with pytest.raises(DataError, match=r"missing series \['fx.usd_broad'\]"):
        dollar_index(data[["fx.dxy"]], index="spliced")


def _regime_sample(seed: int = 7) -> tuple[pd.Series, pd.Series, pd.DataFrame, dict[str, float]]:
    """Monthly dollar and yield with state-dependent mean and correlation (known truth)."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("1970-01-01", periods=720, freq="MS")
    # quarterly real GDP: alternate strong and weak growth in 3-year blocks
    quarters = pd.date_range("1960-01-01", "2029-10-01", freq="QS")
    growth = np.where((np.arange(len(quarters)) // 12) % 2 == 0, 0.012, 0.002)
    gdp = pd.Series(1000.0 * np.exp(np.cumsum(growth)), index=quarters)
    recession = pd.Series(0.0, index=months)
    recession.iloc[100:112] = 1.0
    recession.iloc[400:410] = 1.0
    macro = pd.DataFrame({"us.recession": recession, "us.gdp.real": gdp})
    states = classify_growth_states(macro, rule="gdp_trend")
    means = {"recession": 1.0, "slowdown": -0.5, "expansion": 0.6}
    correlations = {"recession": -0.7, "slowdown": 0.0, "expansion": 0.7}
    yield_change = rng.standard_normal(len(states))
    noise = rng.standard_normal(len(states))
    rho = states.map(correlations).to_numpy(dtype=float)
    dollar_change = (
        states.map(means).to_numpy(dtype=float) + rho * yield_change + np.sqrt(1 - rho**2) * noise
    )
    dollar = pd.Series(100 * np.exp(np.cumsum(dollar_change) / 100.0), index=states.index)
    ten_year = pd.Series(5.0 + np.cumsum(yield_change) / 100.0, index=states.index)
    return dollar, ten_year, macro, correlations


def test_growth_states_follow_nber_and_the_gdp_rule() -> None:
    _, _, macro, _ = _regime_sample()
    states = classify_growth_states(macro, rule="gdp_trend")
    recession_months = macro["us.recession"][macro["us.recession"] == 1].index
    assert (states.reindex(recession_months).dropna() == "recession").all()
    # blocks of 12 quarters from 1960: 1972-1974 strong, 1975-1977 weak; four-quarter growth
    # has fully turned a year into each block; the 10-year trend exists from 1970-10.
    assert states.index[0] == pd.Timestamp("1970-10-01")
    assert states[pd.Timestamp("1973-07-01")] == "expansion"
    assert states[pd.Timestamp("1976-07-01")] == "slowdown"
    assert set(states.unique()) == {"recession", "slowdown", "expansion"}
    with pytest.raises(DataError, match="unknown growth rule"):
        classify_growth_states(macro, rule="astrology")  # type: ignore[arg-type]


def test_smile_recovers_known_regime_means_and_correlations() -> None:
    dollar, ten_year, macro, correlations = _regime_sample()
    result = DollarSmile(dollar, ten_year, macro).fit()
    table = result.table
    assert result.means_ordered
    assert table.loc["recession", "dollar_mean_pct"] == pytest.approx(1.0, abs=0.35)
    assert table.loc["slowdown", "dollar_mean_pct"] == pytest.approx(-0.5, abs=0.15)
    assert table.loc["expansion", "dollar_mean_pct"] == pytest.approx(0.6, abs=0.15)
    for state in ("slowdown", "expansion"):
        assert table.loc[state, "corr_dollar_yield"] == pytest.approx(correlations[state], abs=0.1)
    assert table.loc["recession", "corr_dollar_yield"] < -0.4
    assert "ordered as a smile" in str(result)


def test_fiscal_stance_from_the_balance_impulse() -> None:
    quarters = pd.date_range("2000-01-01", periods=12, freq="QS")
    receipts = pd.Series(20.0, index=quarters)
    expenditure = pd.Series([20.0] * 4 + [22.0] * 4 + [20.5] * 4, index=quarters)
    fiscal = pd.DataFrame(
        {
            "us.fiscal.receipts": receipts,
            "us.fiscal.expenditure": expenditure,
            "us.fiscal.gdp": 100.0,
            "us.fiscal.debt": 60_000.0,  # USD mn -> 60 bn = 60% of a 100 bn GDP
        }
    )
    stance = classify_fiscal_stance(fiscal, threshold=1.0)
    # balance goes 0 -> -2 (impulse +2: loose) -> -0.5 (impulse -1.5: tight)
    assert stance["stance"].tolist() == ["loose"] * 4 + ["tight"] * 4
    assert stance["impulse"].iloc[0] == pytest.approx(2.0)
    assert stance["debt_pct_gdp"].iloc[0] == pytest.approx(60.0)


def test_frown_table_and_high_yield_weak_dollar_months() -> None:
    months = pd.date_range("2000-01-01", periods=120, freq="MS")
    rng = np.random.default_rng(3)
    quarters = pd.date_range("1998-01-01", periods=48, freq="QS")
    impulse_path = np.tile([0.0, 0.0, 3.0, 3.0, 3.0, 3.0, -3.0, -3.0], 6)
    expenditure = 20.0 + np.cumsum(impulse_path) / 4.0
    fiscal = pd.DataFrame(
        {
            "us.fiscal.receipts": 20.0,
            "us.fiscal.expenditure": expenditure,
            "us.fiscal.gdp": 100.0,
        },
        index=quarters,
    )
    stance = classify_fiscal_stance(fiscal, threshold=0.5)
    from ustpull.crossasset.dollar import _quarterly_to_monthly

    monthly_stance = _quarterly_to_monthly(stance["stance"]).reindex(months)
    drift = monthly_stance.map({"neutral": 0.8, "loose": -0.8, "tight": -0.4}).fillna(0.0)
    dollar = pd.Series(
        100 * np.exp(np.cumsum(drift.to_numpy() + 0.3 * rng.standard_normal(120)) / 100),
        index=months,
    )
    ten_year = pd.Series(4 + np.cumsum(0.1 * rng.standard_normal(120)), index=months)
    term_premium = ten_year * 0.5
    result = FiscalFrown(dollar, ten_year, fiscal, term_premium=term_premium, threshold=0.5).fit()
    assert result.means_ordered
    assert result.table.loc["neutral", "dollar_mean_pct"] > 0.5
    selected = result.high_yield_weak_dollar
    assert (selected["yield_change_bp"] > 0).all() and (selected["dollar_change_pct"] < 0).all()
    # term premium is half the yield, so it rose in every such month
    assert result.term_premium_rising_share == pytest.approx(1.0)


def test_divergence_flags_yields_up_dollar_down() -> None:
    dates = pd.bdate_range("2025-01-01", periods=200)
    yields = pd.Series(4.0, index=dates)
    dollar = pd.Series(100.0, index=dates)
    # days 100-140: yield +40 bp, dollar -4%
    ramp = np.linspace(0.0, 1.0, 41)
    yields.iloc[100:141] = 4.0 + 0.4 * ramp
    yields.iloc[141:] = 4.4
    dollar.iloc[100:141] = 100.0 * (1 - 0.04 * ramp)
    dollar.iloc[141:] = 96.0
    rng = np.random.default_rng(0)
    dollar = dollar * np.exp(0.0005 * rng.standard_normal(200))
    yields = yields + 0.001 * rng.standard_normal(200)
    result = DollarYieldComovement(dollar, yields, frequency="daily", window=30).fit()
    divergences = result.divergences
    assert len(divergences) == 1
    row = divergences.iloc[0]
    assert dates[95] <= row["start"] <= dates[115]
    assert dates[138] <= row["end"] <= dates[162]
    assert row["yield_change_bp"] > 20 and row["dollar_change_pct"] < -1.5


def test_relative_prices_sign_convention_and_legs() -> None:
    dates = pd.bdate_range("2014-01-01", "2015-12-31")
    rng = np.random.default_rng(11)
    us2 = pd.Series(0.5 + np.cumsum(0.02 * rng.standard_normal(len(dates))), index=dates)
    de2 = pd.Series(0.2 + np.cumsum(0.02 * rng.standard_normal(len(dates))), index=dates)
    differential = us2 - de2
    # the dollar (EUR per USD) rises 5% per 100 bp of differential: USD per EUR falls
    usd_per_eur = 1.3 * np.exp(-0.05 * differential + 0.0005 * rng.standard_normal(len(dates)))
    data = pd.DataFrame({"fx.usd_per_eur": usd_per_eur, "us.cmt.2y": us2, "de.govt.2y": de2})
    result = RelativePrices(data, frequency="weekly", window=26).fit()
    row = result.table.loc["EUR: US-DE 2y"]
    assert row["beta_pct_per_100bp"] == pytest.approx(5.0, rel=0.1)
    assert row["change_correlation"] > 0.9
    assert row["level_correlation"] > 0.9
    legs = result.legs
    assert {"us_bp", "foreign_bp", "differential_bp", "leg"} <= set(legs.columns)
    first = legs.loc[("policy-divergence-2014", "EUR: US-DE 2y")]
    assert first["differential_bp"] == pytest.approx(first["us_bp"] - first["foreign_bp"])
    with pytest.raises(DataError, match="no currency pair"):
        RelativePrices(data[["us.cmt.2y"]]).fit()


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def dollar_data(shared_data):  # type: ignore[no-untyped-def]
    from ustpull.sources.local import load_frame
    from ustpull.studies.dollar import dollar_series_ids

    return load_frame(dollar_series_ids(), shared_data)


@pytest.fixture(scope="module")
def dollar_results(dollar_data: pd.DataFrame):  # type: ignore[no-untyped-def]
    from ustpull.studies import components
    from ustpull.studies.dollar import DollarAnalysis
    from ustpull.termpremium.countries import country_term_premium

    decomposition = components(country_term_premium("US", dollar_data, frequency="daily"))
    # the descriptive ex-post tables only on request (the default: test_dollar_commands)
    return DollarAnalysis(dollar_data, decomposition=decomposition, ex_post_tables=True).fit()


def test_real_growth_states_match_nber_months(dollar_data: pd.DataFrame) -> None:
    states = classify_growth_states(dollar_data, rule="gdp_trend")
    nber = dollar_data["us.recession"].dropna()
    nber.index = nber.index.to_period("M").to_timestamp()
    overlap = nber.reindex(states.index)
    # every NBER recession month in the classified sample, and only those, is 'recession'
    assert ((states == "recession") == (overlap == 1.0)).all()
    # GDPC1 starts 1980-Q1; four-quarter growth from 1981-Q1 and its 40-quarter trend from
    # 1990-Q4, so the sample starts 1990-10. USREC (NBER) months from then: 1990-10..1991-03,
    # 2001-04..2001-11, 2008-01..2009-06, 2020-03..2020-04 = 6 + 8 + 18 + 2 = 34.
    assert states.index[0] == pd.Timestamp("1990-10-01")
    assert int((states == "recession").sum()) == int((overlap == 1.0).sum()) == 34
    unemployment = classify_growth_states(dollar_data, rule="unemployment_change")
    assert set(unemployment.unique()) == {"recession", "slowdown", "expansion"}


def test_real_smile_and_frown_tables(dollar_results) -> None:  # type: ignore[no-untyped-def]
    smile = dollar_results.smile.table
    # Spliced DXY/broad dollar, gdp_trend rule, months 1991-01..2025-09 (measured 2026-11-25):
    # recession +0.32 %/month (34 months), slowdown -0.17 (164), expansion +0.16 (222).
    assert smile.loc["recession", "months"] == 34
    assert smile.loc["recession", "dollar_mean_pct"] == pytest.approx(0.323, abs=0.01)
    assert smile.loc["slowdown", "dollar_mean_pct"] == pytest.approx(-0.166, abs=0.01)
    assert smile.loc["expansion", "dollar_mean_pct"] == pytest.approx(0.158, abs=0.01)
    assert dollar_results.smile.means_ordered
    frown = dollar_results.frown.table
    # Fiscal impulse rule (+-1 pp of GDP over four quarters), 1971-2024: loose -0.18 %/month,
    # neutral -0.01, tight +0.11: the frown's shape is NOT in these data; but the dollar-yield
    # correlation is highest when policy is loose (+0.47).
    assert not dollar_results.frown.means_ordered
    assert frown.loc["loose", "dollar_mean_pct"] == pytest.approx(-0.183, abs=0.01)
    assert frown.loc["loose", "corr_dollar_yield"] == pytest.approx(0.474, abs=0.02)
    assert dollar_results.frown.term_premium_rising_share == pytest.approx(0.63, abs=0.02)


def test_real_comovement_and_divergences(dollar_results) -> None:  # type: ignore[no-untyped-def]
    comovement = dollar_results.comovement
    full = comovement.full_sample_correlation
    # weekly changes 1971-2026: dollar vs 10y +0.17; vs expected-rate part +0.21; vs term
    # premium about zero.
    assert full["yield"] == pytest.approx(0.170, abs=0.01)
    assert full["expected_rate"] == pytest.approx(0.207, abs=0.01)
    assert abs(full["term_premium"]) < 0.03
    divergences = comovement.divergences
    q2_2025 = divergences[
        (divergences["start"] >= "2025-03-01") & (divergences["end"] <= "2025-07-31")
    ]
    assert len(q2_2025) == 1
    assert q2_2025["dollar_change_pct"].iloc[0] < -3.0
    relative = dollar_results.relative_prices.table
    assert (relative["beta_pct_per_100bp"] > 0).all()  # wider U.S. spread, stronger dollar


def test_results_plot_and_serialise(dollar_results) -> None:  # type: ignore[no-untyped-def]
    import json

    import matplotlib

    matplotlib.use("Agg")
    for part in (
        dollar_results.comovement,
        dollar_results.relative_prices,
        dollar_results.smile,
        dollar_results.frown,
    ):
        figure = part.plot()
        assert figure.axes and figure.axes[0].has_data()
    payload = json.loads(json.dumps(dollar_results.to_dict(), allow_nan=False))
    ex_post = payload["ex_post_tables"]
    assert ex_post["smile"]["table"][0]["state"] == "recession"
    assert ex_post["smile"]["label"].startswith("descriptive, ex post: NBER recession dates")
    assert ex_post["frown"]["label"] == ex_post["smile"]["label"]
    assert "smile" not in payload and "frown" not in payload
    assert "descriptive, ex post" in str(dollar_results)
    assert "Dollar smile by U.S. growth state" in str(dollar_results)
