"""Notebooks: results render as HTML tables, and the report's charts come from the API.

``results.figure()`` and :func:`ustpull.report.figures.report_figures` build plotly figures
from the same :class:`ustpull.charts.Chart` the report draws; the figures' traces equal the
numbers of the report's CSV (``data/<chart>.csv``) to the last digit.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pandas as pd
import pytest

import ustpull
from ustpull._results import Results
from ustpull.charts import plotly_figure
from ustpull.report.figures import report_figures
from ustpull.studies import Studies, StudySettings, load_study_data, run_studies

CHEAP = StudySettings(term_premium_replications=20, linkage_countries=("US", "DE"))


def _results_classes() -> dict[str, type]:
    found = {}
    for module in pkgutil.walk_packages(ustpull.__path__, "ustpull."):
        if module.name.startswith("ustpull.cli"):
            continue
        loaded = importlib.import_module(module.name)
        for name, cls in vars(loaded).items():
            if (
                inspect.isclass(cls)
                and cls.__module__ == loaded.__name__
                and name.endswith("Results")
                and not name.startswith("_")
                and cls is not Results
            ):
                found[f"{loaded.__name__}.{name}"] = cls
    return found


def test_every_public_results_class_uses_the_base() -> None:
    classes = _results_classes()
    assert len(classes) > 30
    outside = {name for name, cls in classes.items() if not issubclass(cls, Results)}
    assert outside == set()


class _Tables(Results):
    """A results class with neither to_frame nor to_dict, only table properties."""

    def summary(self) -> str:
        return "two tables <b>"

    @property
    def params(self) -> pd.DataFrame:
        return pd.DataFrame({"estimate": [0.25, -1.5]}, index=["a", "b"])

    @property
    def path(self) -> pd.Series:
        return pd.Series([1.0, 2.0], index=pd.date_range("2020-01-31", periods=2, freq="ME"))

    @property
    def failing(self) -> pd.DataFrame:
        raise ValueError("not computable")


def test_html_repr_shows_the_table_properties() -> None:
    page = _Tables()._repr_html_()
    assert page.startswith("<pre>two tables &lt;b&gt;</pre>")
    assert "<h4>params</h4>" in page and "<h4>path</h4>" in page and "failing" not in page
    assert page.count("<table") == 2 and ">-1.5<" in page and ">0.25<" in page
    with pytest.raises(NotImplementedError, match="_Tables has no report chart"):
        _Tables().figure()


@pytest.fixture(scope="module")
def studies(report_store: Path) -> Studies:
    data = load_study_data(CHEAP, store=report_store, ingest=False)
    return run_studies(data, CHEAP)


def _traces(figure: object) -> list[tuple[str, list[object]]]:
    return [(trace["name"], list(trace["y"])) for trace in figure.to_plotly_json()["data"]]  # type: ignore[attr-defined]


def test_results_figure_is_the_reports_chart(studies: Studies, report_dir: Path) -> None:
    figures = report_figures(studies)
    assert {"stock_bond_correlation", "dollar_yield_correlation", "ddm_yields"} <= set(figures)
    assert studies.stocks is not None and studies.dollar is not None
    daily = studies.stocks.daily
    assert _traces(daily.figure()) == _traces(figures["stock_bond_correlation"])
    assert daily.figure().to_plotly_json() == figures["stock_bond_correlation"].to_plotly_json()
    dollar = studies.dollar.comovement.figure()
    assert _traces(dollar) == _traces(figures["dollar_yield_correlation"])
    ddm = studies.stocks.dividend_discount
    assert _traces(ddm.figure()) == _traces(figures["ddm_yields"])
    # the numbers are those of the report's CSV (the correlation does not depend on CHEAP)
    csv = pd.read_csv(report_dir / "data" / "stock_bond_correlation.csv", index_col=0)
    for name, values in _traces(figures["stock_bond_correlation"]):
        column = csv[name].to_numpy()
        drawn = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy()
        assert len(drawn) == len(column) > 1000
        # the figure carries six decimals (ustpull.charts rounds the traces): half a unit
        pd.testing.assert_series_equal(
            pd.Series(drawn), pd.Series(column), check_exact=False, rtol=0.0, atol=5e-7
        )
    spec = plotly_figure(daily.chart())
    assert (
        figures["stock_bond_correlation"].to_plotly_json()["layout"]["yaxis"]["title"]
        == (spec["layout"]["yaxis"]["title"])
    )
    assert studies.term_premia is not None
    split = studies.term_premia.figure()
    assert _traces(split) == _traces(figures["us_term_premium"])


def test_inflation_regime_plot_is_the_reports_chart(studies: Studies, report_dir: Path) -> None:
    import matplotlib.pyplot as plt

    assert studies.stocks is not None
    inflation = studies.stocks.inflation
    figures = report_figures(studies)
    interactive = inflation.figure().to_plotly_json()
    assert interactive == figures["stock_bond_inflation_regimes"].to_plotly_json()
    bars = interactive["data"][0]
    assert bars["type"] == "bar" and bars["name"] == "correlation of returns"
    csv = pd.read_csv(report_dir / "data" / "stock_bond_inflation_regimes.csv", index_col=0)
    assert list(bars["x"]) == list(csv.index)  # "CPI inflation at or below 3%", "above 3%"
    assert list(bars["y"]) == pytest.approx(csv["correlation of returns"].tolist(), abs=5e-7)
    # the HAC threshold row at 3% (CPI lagged one month): -0.167 and +0.099, with the
    # report's 95% intervals; the issue's +0.13 used same-month CPI
    assert bars["y"][0] == pytest.approx(-0.167, abs=0.002)
    assert bars["y"][1] == pytest.approx(0.099, abs=0.002)
    drawn = inflation.plot()
    try:
        ax = drawn.axes[0]
        heights = [round(p.get_height(), 6) for p in ax.patches]
        expected = csv[["correlation of returns", "mean rolling correlation"]]
        # bars of the first trace (both regimes), then of the second
        assert heights == pytest.approx(expected.T.to_numpy().ravel().round(6).tolist())
        assert [t.get_text() for t in ax.get_xticklabels()] == list(csv.index)
        assert ax.get_ylabel() == "correlation"
        assert len(ax.collections) == 1  # the 95% error bars
    finally:
        plt.close(drawn)


def test_figure_of_dcc_regimes_connectedness_comovement_linkage(studies: Studies) -> None:
    """Issue 19 B6: every results class behind a report chart gives that chart's figure."""
    figures = report_figures(studies)
    assert studies.stocks is not None and studies.stocks.regimes is not None
    regimes = studies.stocks.regimes
    switching = regimes.regimes.figure()
    assert switching.to_plotly_json() == figures["stock_bond_regime_probability"].to_plotly_json()
    dcc = dict(_traces(regimes.dcc.figure()))
    assert list(dcc) == ["DCC-GARCH(1,1)"] and len(dcc["DCC-GARCH(1,1)"]) > 100
    assert dcc["DCC-GARCH(1,1)"] == dict(_traces(figures["stock_bond_dcc"]))["DCC-GARCH(1,1)"]
    assert studies.connectedness is not None
    weekly = studies.connectedness.weekly.figure()
    assert weekly.to_plotly_json() == figures["connectedness_tci"].to_plotly_json()
    bands = studies.connectedness.weekly_bands.figure()
    assert bands.to_plotly_json() == figures["connectedness_bands"].to_plotly_json()
    assert studies.foreign is not None and studies.foreign.comovement_us is not None
    comovement = studies.foreign.comovement_us.figure()
    assert comovement.to_plotly_json() == figures["yield_comovement"].to_plotly_json()
    assert studies.foreign.linkage is not None
    linkage = studies.foreign.linkage
    drawn = _traces(linkage.figure())
    assert drawn == _traces(go_figure(linkage.chart())) and len(drawn) >= 2
    if "term_premium_linkage" in figures:
        assert drawn == _traces(figures["term_premium_linkage"])


def go_figure(chart: object) -> object:
    import plotly.graph_objects as go

    return go.Figure(plotly_figure(chart))  # type: ignore[arg-type]
