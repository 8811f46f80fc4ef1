"""Tests of ConnectednessModel against published tables, identities and failure paths.

Reference values: the replication pages of the R package ConnectednessApproach (Gabauer,
commit 37950cc), copied to ``shared/data/connectedness/`` (README there): ``dy2012`` static
VAR(4) horizon 10 (Diebold-Yilmaz 2012, TCI 12.59, cTCI 16.79); ``cg2021`` TVP-VAR(1) horizon 10,
window 200, kappa1 = kappa2 = 0.99, BayesPrior (Chatziantoniou-Gabauer 2021, TCI 77.72, cTCI
85.50); ``cgg2022`` TVP-VAR(1) frequency connectedness horizon 100, bands (pi, pi/5] and
[0, pi/5] (Chatziantoniou-Gabauer-Gupta 2022). The package prints two decimals, so a cell
agrees when within 0.005 (+ float noise).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from tests.crossasset.test_connectedness import simulate_var
from ustpull.crossasset.connectedness import ConnectednessModel, ConnectednessModelResults
from ustpull.crossasset.connectedness.bands import parse_bands
from ustpull.crossasset.connectedness.model import connectedness_shares
from ustpull.errors import DataError

matplotlib.use("Agg")

ROUNDING = 0.0051  # two printed decimals

# cgg2022 (README of shared/data/connectedness): cTCI/TCI and NET per band, in column order
# Europe, USA, Dubai, Malaysia, Africa, OPEC.
CGG2022 = {
    "1-5 days": (44.78, 37.31, [5.90, 2.73, 4.15, -17.23, 5.43, -0.97]),
    "5+ days": (27.05, 22.55, [3.20, 4.83, 3.21, -13.60, 5.88, -3.52]),
}


def _read(shared_data: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(shared_data / "connectedness" / name, index_col=0)


def _check_table(results: ConnectednessModelResults, reference: pd.DataFrame) -> None:
    names = list(results.table.columns)
    np.testing.assert_allclose(
        results.table.to_numpy(), reference.loc[names, names].to_numpy(), atol=ROUNDING
    )
    np.testing.assert_allclose(results.from_others, reference.loc[names, "FROM"], atol=ROUNDING)
    np.testing.assert_allclose(results.to_others, reference.loc["TO", names], atol=ROUNDING)
    assert results.to_others.sum() == pytest.approx(reference.loc["TO", "FROM"], abs=ROUNDING)


def test_dy2012_static_var_matches_the_published_table(shared_data: Path) -> None:
    data = _read(shared_data, "dy2012.csv")
    results = ConnectednessModel(data, model="var", lags=4, horizon=10).fit()
    _check_table(results, _read(shared_data, "dy2012_reference_table.csv"))
    assert results.tci == pytest.approx(12.59, abs=ROUNDING)
    assert results.ctci == pytest.approx(16.79, abs=ROUNDING)
    np.testing.assert_allclose(results.net, [5.13, -0.54, -1.69, -2.90], atol=ROUNDING)


@pytest.fixture(scope="module")
def cg2021(shared_data: Path) -> ConnectednessModelResults:
    data = _read(shared_data, "cg2021.csv")
    return ConnectednessModel(data, model="tvp-var", lags=1, horizon=10, window=200).fit()


def test_cg2021_tvp_var_matches_the_published_averaged_table(
    cg2021: ConnectednessModelResults, shared_data: Path
) -> None:
    _check_table(cg2021, _read(shared_data, "cg2021_reference_table.csv"))
    assert cg2021.tci == pytest.approx(77.72, abs=ROUNDING)
    assert cg2021.ctci == pytest.approx(85.50, abs=ROUNDING)
    published_net = [2.28, 4.55, 3.90, 0.12, 6.77, 5.20, -8.89, -4.57, 0.64, -8.65, -1.35]
    np.testing.assert_allclose(cg2021.net, published_net, atol=ROUNDING)
    assert len(cg2021.tci_t) == 3915  # every row has a table, as in the package


def test_cg2021_measures_obey_their_identities(cg2021: ConnectednessModelResults) -> None:
    n_vars = 11
    np.testing.assert_allclose(cg2021.ctci_t, cg2021.tci_t * n_vars / (n_vars - 1))
    np.testing.assert_allclose(cg2021.net_t.sum(axis=1), 0.0, atol=1e-9)
    np.testing.assert_allclose(cg2021.npdc.sum(axis=1), cg2021.net, atol=1e-9)
    np.testing.assert_allclose(cg2021.tci_t.mean(), cg2021.tci)
    groups = cg2021.groups(
        {
            "core": ["Austria", "Belgium", "Finland", "France", "Germany", "Netherlands"],
            "periphery": ["Greece", "Ireland", "Italy", "Portugal", "Spain"],
        }
    )
    np.testing.assert_allclose(groups.internal_t + groups.external_t, cg2021.tci_t)
    np.testing.assert_allclose(groups.net_t.sum(axis=1), 0.0, atol=1e-9)
    # core transmits to the periphery on average (core NET sum is positive in the table)
    assert groups.net_t["core"].mean() > 0
    assert groups.net_t["core"].mean() == pytest.approx(cg2021.net.iloc[:6].sum() / 11)


def test_cgg2022_frequency_connectedness_matches_the_published_bands(shared_data: Path) -> None:
    data = _read(shared_data, "cgg2022.csv")
    data.index = pd.bdate_range("2000-01-03", periods=len(data))  # labels the bands in days
    results = ConnectednessModel(
        data, model="tvp-var", lags=1, horizon=100, window=200, bands="1,5,inf"
    ).fit()
    assert results.bands == ["total", "1-5 days", "5+ days"]
    for label, (ctci, tci, net) in CGG2022.items():
        band = results.band(label)
        assert band.ctci == pytest.approx(ctci, abs=ROUNDING)
        assert band.tci == pytest.approx(tci, abs=ROUNDING)
        np.testing.assert_allclose(band.net, net, atol=ROUNDING)
    short, long = results.band("1-5 days"), results.band("5+ days")
    np.testing.assert_allclose(short.tci_t + long.tci_t, results.tci_t)
    np.testing.assert_allclose(short.table + long.table, results.table)


def test_bands_add_up_to_the_time_domain_table() -> None:
    # By Parseval the bands, covering every frequency, give the horizon H + 1 time table.
    data = simulate_var(800, seed=2)
    model = ConnectednessModel(data, model="var", lags=2, horizon=30, bands=(1, 4, 20, math.inf))
    banded = model.fit()
    time_domain = ConnectednessModel(data, model="var", lags=2, horizon=31).fit()
    np.testing.assert_allclose(banded.table, time_domain.table, atol=1e-10)
    assert banded.bands == ["total", "1-4 days", "4-20 days", "20+ days"]
    parts = sum(banded.band(label).tci for label in banded.bands[1:])
    assert parts == pytest.approx(time_domain.tci, abs=1e-10)


def test_rolling_var_matches_the_diebold_yilmaz_model() -> None:
    from ustpull.crossasset.connectedness import Connectedness

    data = simulate_var(600, seed=4)
    general = ConnectednessModel(data, model="var", lags=2, horizon=10, window=150).fit()
    legacy = Connectedness(data, lags=2, horizon=10).fit_rolling(150)
    np.testing.assert_allclose(general.tci_t, legacy.total, atol=1e-10)
    np.testing.assert_allclose(general.net_t, legacy.net, atol=1e-10)
    assert general.tci_t.index[0] == data.index[149]


def test_static_intervals_cover_the_estimate_and_scale_with_the_sample() -> None:
    short = ConnectednessModel(simulate_var(300, seed=9), lags=2).fit(draws=300, seed=1)
    long = ConnectednessModel(simulate_var(3000, seed=9), lags=2).fit(draws=300, seed=1)
    for results in (short, long):
        table = results.intervals
        assert (table["lower"] <= table["estimate"] + 0.5).all()
        assert (table["upper"] >= table["estimate"] - 0.5).all()
    width = lambda r: float(r.intervals.loc["tci", "upper"] - r.intervals.loc["tci", "lower"])  # noqa: E731
    assert width(short) > 2.0 * width(long)  # ~ sqrt(10) narrower with 10x the data


def test_tvp_var_bands_per_date(cg2021: ConnectednessModelResults) -> None:
    data = simulate_var(500, seed=3)
    results = ConnectednessModel(data, model="tvp-var", window=100).fit(draws=50, seed=2)
    band = results.net_interval("us")
    assert band.shape == (500, 2)
    assert (band["upper"] > band["lower"]).all()
    assert results.tci_interval.index.equals(results.tci_t.index)
    inside = (band["lower"] <= results.net_t["us"]) & (results.net_t["us"] <= band["upper"])
    assert inside.mean() > 0.8
    # averaged measures of a dynamic model: HAC interval of the time mean, around the estimate
    averaged = results.intervals
    assert (averaged["lower"] < averaged["estimate"]).all()
    assert (averaged["estimate"] < averaged["upper"]).all()
    centre = 0.5 * (averaged["lower"] + averaged["upper"])
    np.testing.assert_allclose(centre, averaged["estimate"], atol=1e-9)


def test_change_test_detects_a_break_and_not_a_placebo() -> None:
    calm = simulate_var(1500, seed=5)
    rng = np.random.default_rng(0)
    common = rng.standard_normal((1500, 1)) * 0.08  # a common factor: much more connected
    stormy = simulate_var(1500, seed=6) + common
    stormy.index = pd.bdate_range(calm.index[-1] + pd.offsets.BDay(), periods=1500)
    data = pd.concat([calm, stormy])
    results = ConnectednessModel(data, model="var", lags=1, window=100).fit()
    split = calm.index[-1]
    test = results.test_change((None, split), (stormy.index[99], None))
    assert test.difference > 20 and test.pvalue < 0.01
    assert test.memory == 100
    placebo = results.test_change((None, calm.index[700]), (calm.index[800], split))
    assert placebo.pvalue > 0.05
    assert "Change in total connectedness" in str(test)


def test_results_render_and_serialise(cg2021: ConnectednessModelResults) -> None:
    text = cg2021.summary()
    assert "TCI 77.72 %, corrected TCI 85.50 %" in text
    payload = cg2021.to_dict()
    for key in ("tci", "ctci", "table", "to", "from", "net", "tci_t", "net_t", "npdc_t"):
        assert key in payload
    assert payload["net"]["Germany"] == pytest.approx(6.77, abs=ROUNDING)
    assert len(payload["npdc_t"]["Austria->Belgium"]) == 3915
    figure = cg2021.plot()
    assert len(figure.axes) == 2
    assert "<table" in cg2021._repr_html_()


def test_bad_input_is_refused_with_names() -> None:
    data = simulate_var(300, seed=1)
    holed = data.copy()
    holed.iloc[10, 2] = np.nan
    with pytest.raises(DataError, match=r"fr has a missing or non-finite value at row 11"):
        ConnectednessModel(holed)
    flat = data.assign(jp=1.0)
    with pytest.raises(DataError, match="constant series cannot be in a VAR: jp"):
        ConnectednessModel(flat)
    with pytest.raises(ValueError, match="kappa1 must be in"):
        ConnectednessModel(data, model="tvp-var", kappa1=1.5)
    with pytest.raises(DataError, match="window of 400 rows"):
        ConnectednessModel(data, model="var", window=400)
    with pytest.raises(ValueError, match="band boundaries must increase"):
        parse_bands("1,5,3", "days")
    with pytest.raises(ValueError, match="numbers separated by commas"):
        parse_bands("1,five", "days")
    results = ConnectednessModel(data).fit()
    with pytest.raises(ValueError, match=r"fit\(draws=\.\.\.\)"):
        _ = results.intervals
    with pytest.raises(ValueError, match="a static fit has one table"):
        results.test_change((None, None), (None, None))
    with pytest.raises(KeyError, match="no band '1-5 days'"):
        results.band("1-5 days")
    with pytest.raises(ValueError, match="every series once"):
        results.groups({"a": ["us", "de"], "b": ["fr"]})


def test_connectedness_shares_rows_sum_to_one() -> None:
    rng = np.random.default_rng(1)
    lags = 0.1 * rng.standard_normal((7, 2, 3, 3))
    root = rng.standard_normal((7, 3, 3))
    sigma = root @ np.swapaxes(root, 1, 2) + np.eye(3)
    bands = parse_bands((1, 3, math.inf), "days")
    shares = connectedness_shares(lags, sigma, 12, bands)
    assert shares.shape == (7, 3, 3, 3)
    np.testing.assert_allclose(shares[:, 0].sum(axis=-1), 1.0)
    np.testing.assert_allclose(shares[:, 1:].sum(axis=1), shares[:, 0])


@pytest.mark.parametrize(
    ("index", "unit"),
    [
        (pd.bdate_range("2020-01-01", periods=30), "days"),
        (pd.date_range("2020-01-03", periods=30, freq="W-FRI"), "weeks"),
        (pd.date_range("2020-01-01", periods=30, freq="MS"), "months"),
        (pd.RangeIndex(30), "periods"),
    ],
)
def test_bands_are_labelled_in_the_data_frequency(index: pd.Index, unit: str) -> None:
    from ustpull.crossasset.connectedness.bands import period_unit

    assert period_unit(index) == unit
    assert parse_bands("1,5,inf", unit).labels == [f"1-5 {unit}", f"5+ {unit}"]


def test_residual_bootstrap_refits_around_the_estimate() -> None:
    from ustpull.crossasset.connectedness.bootstrap import residual_bootstrap_var

    data = simulate_var(2000, seed=12)
    lags, sigma = residual_bootstrap_var(data.to_numpy(), lags=2, replications=300, seed=3)
    # replications scatter around the OLS fit (bias of order 1/T, spread of order 1/sqrt(T))
    centre = np.mean(lags, axis=0)
    from ustpull.crossasset.connectedness import Connectedness

    static = Connectedness(data, lags=2, horizon=10).fit()
    np.testing.assert_allclose(centre[0], static.lag_matrices[0].to_numpy(), atol=0.01)
    np.testing.assert_allclose(np.mean(sigma, axis=0), static.sigma.to_numpy(), rtol=0.02)
    results = ConnectednessModel(data, lags=2).fit(draws=300, seed=3, bootstrap="residual")
    table = results.intervals
    assert (table["lower"] < table["estimate"]).all() and (table["estimate"] < table["upper"]).all()
    assert results.specification["bootstrap"] == "residual"
    with pytest.raises(ValueError, match="residual bootstrap is for the static VAR"):
        ConnectednessModel(data, lags=2, window=500).fit(draws=10, bootstrap="residual")


def test_level_is_a_deprecated_name_of_confidence() -> None:
    model = ConnectednessModel(simulate_var(300, seed=9), lags=2)
    new = model.fit(draws=40, confidence=0.8, seed=1)
    with pytest.warns(DeprecationWarning, match="level"):
        old = model.fit(draws=40, level=0.8, seed=1)
    pd.testing.assert_frame_equal(new.intervals, old.intervals)
    with pytest.raises(ValueError, match="confidence must be in"):
        model.fit(draws=40, confidence=1.2)
