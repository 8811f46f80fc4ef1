"""One definition per chart: the report's interactive chart, its PNG and ``plot()`` agree.

Recipe: a 70/30 portfolio of seeded normal monthly returns (24-month window); its
:func:`~ustpull.crossasset.charts.sharpe_chart` is drawn by ``plot()`` (matplotlib, the PNG
path) and by :func:`~ustpull.charts.plotly_figure` (the HTML), and both must carry the
chart's title, units, trace names and values.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from ustpull.charts import Chart, figure, plotly_figure, portfolio_label, window_label
from ustpull.crossasset.charts import sharpe_chart
from ustpull.crossasset.portfolio import PortfolioResults, SixtyForty


@pytest.fixture(scope="module")
def portfolio() -> PortfolioResults:
    rng = np.random.default_rng(7)
    months = pd.date_range("2000-01-31", periods=120, freq="ME", name="date")
    stocks = pd.Series(rng.normal(0.008, 0.045, len(months)), index=months)
    bonds = pd.Series(rng.normal(0.004, 0.02, len(months)), index=months)
    risk_free = pd.Series(0.003, index=months)
    return SixtyForty(stocks, bonds, risk_free, stock_weight=0.7, window=24).fit()


def test_plot_draws_the_chart_the_report_shows(portfolio: PortfolioResults) -> None:
    chart = sharpe_chart(portfolio)
    assert chart.title == "Rolling 2-year Sharpe ratio: 70/30 vs 100% stocks"
    assert list(chart.data.columns) == ["70/30", "100% stocks"]
    drawn = portfolio.plot()
    axes = drawn.axes[0]
    assert axes.get_title() == chart.title
    assert axes.get_ylabel() == chart.y_title == "Sharpe ratio"
    lines = {line.get_label(): line.get_ydata() for line in axes.get_lines()}
    for name in chart.data.columns:
        np.testing.assert_array_equal(lines[name], chart.data[name].to_numpy())
    interactive = plotly_figure(chart)
    assert interactive["layout"]["title"]["text"] == chart.title
    assert interactive["layout"]["yaxis"]["title"]["text"] == chart.y_title
    assert [trace["name"] for trace in interactive["data"]] == list(chart.data.columns)
    np.testing.assert_allclose(
        np.array(interactive["data"][0]["y"], dtype=float),
        chart.data["70/30"].round(6).to_numpy(),
        equal_nan=True,
    )


def test_figure_and_plotly_agree_on_secondary_axes() -> None:
    data = pd.DataFrame(
        {"left": [1.0, 2.0, 3.0], "right": [10.0, 20.0, 30.0]},
        index=pd.date_range("2024-01-01", periods=3, name="date"),
    )
    chart = Chart("two", "Two axes", data, "index", secondary=("right",), secondary_title="pct")
    drawn = figure(chart)
    assert [ax.get_ylabel() for ax in drawn.axes] == ["index", "pct"]
    assert [t.get("yaxis") for t in plotly_figure(chart)["data"]] == [None, "y2"]


@pytest.mark.parametrize(
    ("length", "unit", "words"),
    [(252, "day", "1-year"), (126, "day", "126-day"), (36, "month", "3-year"),
     (18, "month", "18-month"), (52, "week", "1-year")],
)  # fmt: skip
def test_window_labels(length: int, unit: str, words: str) -> None:
    assert window_label(length, unit) == words


def test_portfolio_label() -> None:
    assert [portfolio_label(w) for w in (0.6, 0.7, 1.0)] == ["60/40", "70/30", "100/0"]
