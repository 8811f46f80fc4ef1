"""Fiscal stance net of automatic stabilisers: known truth, real time, real data, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import read_series
from ustpull.crossasset.fiscal import FiscalStance, realtime_hamilton_gap
from ustpull.crossasset.smile import ShapeTest
from ustpull.errors import DataError

QUARTERS = pd.period_range("1990Q1", "2019Q4", freq="Q")


def _fiscal(primary: np.ndarray, interest: float = 2.0, gdp: float = 1000.0) -> pd.DataFrame:
    """A fiscal table whose primary balance is ``primary`` percent of GDP; receipts fixed."""
    receipts = np.full(len(primary), 180.0)
    expenditure = receipts - primary / 100.0 * gdp + interest / 100.0 * gdp
    return pd.DataFrame(
        {
            "us.fiscal.receipts": receipts,
            "us.fiscal.expenditure": expenditure,
            "us.fiscal.interest": interest / 100.0 * gdp,
            "us.fiscal.gdp": gdp,
        },
        index=QUARTERS.to_timestamp(),
    )


def _cycle() -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Potential growing 0.6% a quarter and a gap of +-4% swinging every five years."""
    t = np.arange(len(QUARTERS))
    gap = 4.0 * np.sin(2 * np.pi * t / 20.0)
    potential = pd.Series(1000.0 * np.exp(0.006 * t), index=QUARTERS.to_timestamp())
    real = potential * (1.0 + gap / 100.0)
    return real, potential, gap


def test_a_purely_cyclical_deficit_is_a_neutral_stance() -> None:
    real, potential, gap = _cycle()
    fiscal = _fiscal(-1.0 + 0.35 * gap)  # automatic stabilisers only, epsilon 0.35
    res = FiscalStance(fiscal, real, gap="potential", potential=potential).fit()
    table = res.table
    assert len(table) == len(QUARTERS) - 4
    np.testing.assert_allclose(table["capb"], -1.0, atol=1e-10)
    np.testing.assert_allclose(table["impulse_discretionary"], 0.0, atol=1e-10)
    assert set(table["stance"]) == {"neutral"}
    # the headline impulse swings with the cycle, up to 2 * 0.35 * 4 * sin(pi/5) = 1.65 pp
    assert table["impulse_headline"].abs().max() == pytest.approx(1.6459, abs=1e-3)
    assert {"loose", "tight"} <= set(table["stance_headline"])
    parts = table[["impulse_discretionary", "impulse_automatic", "impulse_interest"]].sum(axis=1)
    np.testing.assert_allclose(parts, table["impulse_headline"], atol=1e-12)


def test_a_discretionary_loosening_is_loose_whatever_the_cycle() -> None:
    real, potential, gap = _cycle()
    primary = -1.0 + 0.35 * gap
    primary[60:] -= 2.0  # a 2 pp of GDP permanent cut in the structural primary balance
    res = FiscalStance(_fiscal(primary), real, gap="potential", potential=potential).fit()
    stance = res.stance
    loose = stance.index[stance == "loose"]
    assert list(loose.astype(str)) == ["2005Q1", "2005Q2", "2005Q3", "2005Q4"]
    assert res.table.loc["2005Q1", "impulse_discretionary"] == pytest.approx(2.0, abs=1e-10)


def test_publication_lag_decides_when_a_stance_is_known() -> None:
    real, potential, gap = _cycle()
    primary = -1.0 + 0.35 * gap
    primary[60:] -= 2.0
    res = FiscalStance(_fiscal(primary), real, gap="potential", potential=potential).fit()
    assert res.table.loc["2005Q1", "known_from"] == "2005-06"  # Q1 ends March, + 2, next month
    monthly = res.monthly_stance()
    assert monthly[pd.Period("2005-05", "M")] == "neutral"  # still the 2004Q4 stance
    assert monthly[pd.Period("2005-06", "M")] == "loose"
    lag0 = FiscalStance(
        _fiscal(primary), real, gap="potential", potential=potential, publication_lag=0
    ).fit()
    assert lag0.monthly_stance()[pd.Period("2005-04", "M")] == "loose"


def test_hamilton_gap_on_an_exact_trend_is_refused_clearly() -> None:
    quarters = pd.period_range("1970Q1", periods=160, freq="Q")
    trend = pd.Series(np.exp(8.0 + 0.007 * np.arange(160)), index=quarters)
    with pytest.raises(DataError, match="collinear"):
        realtime_hamilton_gap(trend)


def test_hamilton_gap_matches_ols_and_uses_no_later_data() -> None:
    rng = np.random.default_rng(3)
    n = 120
    growth = 0.5 + np.zeros(n)
    cycle = np.zeros(n)
    for t in range(1, n):
        cycle[t] = 0.8 * cycle[t - 1] + rng.normal(0.0, 0.8)
    log_level = np.cumsum(growth) + cycle
    gdp = pd.Series(
        np.exp(log_level / 100.0 + 9.0), index=pd.period_range("1980Q1", periods=n, freq="Q")
    )
    gaps = realtime_hamilton_gap(gdp, min_obs=40)
    # first gap: 8 + 3 lags + 40 observations -> position 50
    assert gaps.index[0] == gdp.index[50]
    # reference: plain least squares on the unreparametrised lags, data up to 2005Q1 only
    end = gdp.index.get_loc(pd.Period("2005Q1", "Q"))
    y = 100.0 * np.log(gdp.to_numpy()[: end + 1])
    rows = np.arange(11, end + 1)
    x = np.column_stack([np.ones(len(rows))] + [y[rows - 8 - j] for j in range(4)])
    beta = np.linalg.lstsq(x, y[rows], rcond=None)[0]
    assert gaps.loc["2005Q1", "gap"] == pytest.approx(y[end] - x[-1] @ beta, abs=1e-8)
    assert gaps.loc["2005Q1", "gap_lookback"] == pytest.approx(y[end - 4] - x[-5] @ beta, abs=1e-8)
    # no look-ahead: changing every quarter after 2005Q1 leaves the gaps up to it identical
    changed = gdp.copy()
    changed.iloc[end + 1 :] *= 1.3
    again = realtime_hamilton_gap(changed, min_obs=40)
    pd.testing.assert_frame_equal(gaps.loc[:"2005Q1"], again.loc[:"2005Q1"], rtol=0, atol=0)
    assert not np.isclose(gaps.loc["2006Q1", "gap"], again.loc["2006Q1", "gap"])


def _real_fiscal(shared_data: Path) -> tuple[pd.DataFrame, pd.Series]:
    raw = pd.read_csv(
        shared_data / "macro/us_govt_finance_quarterly_1947_2024.csv", na_values="#N/A"
    )
    raw.index = pd.to_datetime(raw.pop("observation_date"), format="%m/%d/%Y")
    fiscal = raw.rename(
        columns={
            "receipts": "us.fiscal.receipts",
            "expenditure": "us.fiscal.expenditure",
            "interest_expenditure": "us.fiscal.interest",
            "gdp": "us.fiscal.gdp",
        }
    )
    real = pd.read_csv(shared_data / "macro/GDPC1.csv", index_col=0, parse_dates=True)["GDPC1"]
    return fiscal, real


def test_real_2009_and_2020_deficits_are_mostly_discretionary(shared_data: Path) -> None:
    """Recipe: macro/us_govt_finance_quarterly_1947_2024.csv (FGRECPT, FGEXPND,
    A091RC1Q027SBEA, GDP) and macro/GDPC1.csv; FiscalStance defaults (epsilon 0.35, real-time
    Hamilton gap h=8 p=4 from 40 observations, threshold 0.5 pp, lag 2 months)."""
    fiscal, real = _real_fiscal(shared_data)
    res = FiscalStance(fiscal, real).fit()
    assert str(res.table.index[0]) == "1992Q3"
    assert str(res.data_through) == "2024Q3"
    y2009 = res.episode("2009Q1", "2009Q4")
    assert y2009["deficit"] == pytest.approx(8.587, abs=1e-3)
    assert y2009["cyclical_deficit"] == pytest.approx(2.378, abs=1e-3)
    assert y2009["cyclical_share"] == pytest.approx(0.277, abs=1e-3)
    assert y2009["output_gap"] == pytest.approx(-6.795, abs=1e-3)
    assert y2009["impulse_headline"] == pytest.approx(4.357, abs=1e-3)
    assert y2009["automatic_share"] == pytest.approx(0.356, abs=1e-3)
    y2020 = res.episode("2020Q2", "2020Q4")
    assert y2020["deficit"] == pytest.approx(17.102, abs=1e-3)
    assert y2020["cyclical_share"] == pytest.approx(0.079, abs=1e-3)
    assert y2020["impulse_discretionary"] == pytest.approx(10.455, abs=1e-3)
    assert y2020["automatic_share"] == pytest.approx(0.167, abs=1e-3)
    # headline "loose" quarters that are not loose net of stabilisers
    table = res.table
    counts = table["stance"].value_counts()
    assert (counts["loose"], counts["neutral"], counts["tight"]) == (45, 37, 47)
    headline = table["stance_headline"].value_counts()
    assert (headline["loose"], headline["neutral"], headline["tight"]) == (42, 29, 58)
    assert res.sensitivity.loc[0.5, "changed"] == 19
    assert res.monthly_stance()[pd.Period("2009-06", "M")] == "loose"
    found = {f["key"]: f for f in res.findings()}
    assert found["fiscal.cyclical_share_2009"]["value"] == pytest.approx(0.277, abs=1e-3)
    assert found["fiscal.cyclical_share_2020"]["window"] == "2020Q2 .. 2020Q4"
    assert found["fiscal.loose_quarters"]["value"] == 45
    finding = found["fiscal.capb_latest"]
    assert finding["value"] == pytest.approx(-3.53, abs=0.01)
    assert finding["ci"] is None and "semi-elasticity 0.35" in finding["ci_note"]
    json.dumps(res.findings(), allow_nan=False)
    assert finding["data_through"] == "2024-09-30"  # end of the last quarter
    assert "discretionary impulse" in res.summary()
    assert res._repr_html_().startswith("<pre>")


def test_real_fiscal_frown_by_discretionary_stance(shared_data: Path) -> None:
    """Recipe: FiscalStance defaults as above; ICE DXY close (fx/dxy_ice_daily_1971_2024.csv),
    month-end log returns x 100; ShapeTest episode bootstrap (1999 draws, seed 0)."""
    fiscal, real = _real_fiscal(shared_data)
    states = FiscalStance(fiscal, real).fit().shape_states()
    assert states[pd.Period("2009-06", "M")] == "high"  # loose
    dxy = read_series(shared_data / "fx/dxy_ice_daily_1971_2024.csv", column=3)
    month_end = dxy.groupby(dxy.index.to_period("M")).last()
    returns = 100 * np.log(month_end).diff().dropna()
    res = ShapeTest(returns, states).fit()
    # 378 months 1992-12..2024-05; 13 tight, 20 neutral, 11 loose episodes: the dollar gained
    # 0.18%/month under tight policy and lost 0.11% under loose, but no shape: curvature
    # +0.010 [-0.496, +0.516] (Satterthwaite t(38.0); with t(G_min - 1) = t(10) it was
    # [-0.531, +0.551]), neither gap significant
    assert res.means["episodes"].tolist() == [13, 20, 11]
    assert res.means["mean"].to_numpy() == pytest.approx([0.1845, 0.0296, -0.1052], abs=1e-4)
    curvature = res.contrasts.loc["curvature"]
    assert (curvature["estimate"], curvature["ci_low"], curvature["ci_high"]) == pytest.approx(
        (0.0100, -0.4959, 0.5160), abs=1e-4
    )
    assert res.verdict == "no shape"


def test_plot_draws_both_impulses(shared_data: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    fiscal, real = _real_fiscal(shared_data)
    fig = FiscalStance(fiscal, real).fit().plot()
    assert len(fig.axes[0].lines) == 4  # two impulses, two threshold lines


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="us.fiscal.interest"), "lack columns"),
        (lambda f: f.assign(**{"us.fiscal.gdp": -1.0}), "us.fiscal.gdp is not positive"),
        (lambda f: f.assign(**{"us.fiscal.interest": 1e6}), "outside \\[0, expenditure\\]"),
    ],
)
def test_bad_fiscal_tables_are_named(change: object, message: str) -> None:
    real, potential, gap = _cycle()
    fiscal = change(_fiscal(-1.0 + 0.35 * gap))  # type: ignore[operator]
    with pytest.raises(DataError, match=message):
        FiscalStance(fiscal, real, gap="potential", potential=potential).fit()


def test_bad_options_and_series_are_refused() -> None:
    real, potential, gap = _cycle()
    fiscal = _fiscal(-1.0 + 0.35 * gap)
    with pytest.raises(DataError, match="potential GDP series is needed"):
        FiscalStance(fiscal, real, gap="potential")
    with pytest.raises(DataError, match="epsilon must be in"):
        FiscalStance(fiscal, real, epsilon=-0.1)
    with pytest.raises(DataError, match="gap must be"):
        FiscalStance(fiscal, real, gap="hp")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="1991Q2 is missing"):
        realtime_hamilton_gap(real.drop(real.index[5]))
    with pytest.raises(DataError, match="two observations in quarter 1990Q1"):
        realtime_hamilton_gap(pd.concat([real.iloc[:1], real]))
    with pytest.raises(DataError, match="not positive in 1990Q3"):
        realtime_hamilton_gap(real.where(real.index != real.index[2], 0.0))
    res = FiscalStance(fiscal, real, gap="potential", potential=potential).fit()
    with pytest.raises(DataError, match="no quarters between 1970Q1 and 1971Q4"):
        res.episode("1970Q1", "1971Q4")
    with pytest.raises(DataError, match="leave no quarter"):
        FiscalStance(fiscal, real.iloc[:30]).fit()
