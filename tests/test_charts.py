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

from ustpull.charts import (
    RANGE_BUTTONS,
    Chart,
    Interval,
    Shading,
    coinciding,
    column_label,
    column_unit,
    figure,
    format_value,
    hover_format,
    plotly_figure,
    portfolio_label,
    trace_styles,
    unit_of,
    window_label,
)
from ustpull.crossasset.charts import (
    era_name,
    era_shading,
    inflation_regime_chart,
    sharpe_chart,
)
from ustpull.crossasset.portfolio import PortfolioResults, SixtyForty
from ustpull.crossasset.stocks_correlation import InflationRegimeResults


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
    assert axes.get_ylabel() == chart.y_title == "Sharpe ratio (annualised)"
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


# --------------------------------------------------------------------------- issue 19, point 3

DAYS = pd.date_range("2000-01-03", periods=400, freq="B", name="date")


def _lines(**columns: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(columns, index=DAYS[: len(next(iter(columns.values())))])


@pytest.mark.parametrize(
    ("unit", "values", "spec", "suffix"),
    [("bp", [12.34, -5.0], ",.1f", " bp"), ("percent", [4.123, 3.9], ",.2f", "%"),
     ("correlation", [0.5, -0.25], ".2f", ""), ("index", [101.26, 99.5], ",.1f", ""),
     ("percent", [769.0, 12.0], ",.0f", "%"), ("number", [769.0, 761.0], ",.0f", "")],
)  # fmt: skip
def test_hover_precision_is_set_by_unit(unit: str, values: list, spec: str, suffix: str) -> None:
    frame = pd.DataFrame({"a series": values}, index=DAYS[:2])
    chart = Chart("u", "Units", frame, "y", unit=unit)  # type: ignore[arg-type]
    assert hover_format(frame["a series"], unit) == (spec, suffix)  # type: ignore[arg-type]
    template = plotly_figure(chart)["data"][0]["hovertemplate"]
    assert template == f"%{{y:{spec}}}{suffix}<extra>a series</extra>"


def test_units_read_from_axis_titles_when_not_given() -> None:
    assert [unit_of(t) for t in ("basis points", "percent a year", "yield, %", "correlation",
                                 "dollar index (points)", "Sharpe ratio", "")] == [
        "bp", "percent", "percent", "correlation", "index", "ratio", "number"]  # fmt: skip
    chart = Chart("u", "Units", _lines(x=np.linspace(0, 1, 5)), "10-year yield, %")
    assert plotly_figure(chart)["layout"]["yaxis"]["hoverformat"] == ",.2f"
    # the unit a title names first: "per 10 bp" is the denominator of a response in percent
    assert unit_of("percent per 10 bp") == "percent" and unit_of("bp per 10 bp") == "bp"
    assert unit_of("percentage points (to others minus from others)") == "pp"
    response = Chart("r", "Response", _lines(x=np.linspace(0.013, 1.0, 5)), "percent per 10 bp")
    assert plotly_figure(response)["data"][0]["hovertemplate"].startswith("%{y:,.2f}%<extra>")


def test_range_selector_on_time_series_only() -> None:
    dated = plotly_figure(Chart("t", "Dated", _lines(x=np.arange(10.0)), "percent"))
    selector = dated["layout"]["xaxis"]["rangeselector"]["buttons"]
    assert (
        [b["label"] for b in selector]
        == ["1y", "5y", "10y", "all"]
        == [b["label"] for b in RANGE_BUTTONS]
    )
    assert dated["layout"]["xaxis"]["type"] == "date"
    by_maturity = pd.DataFrame({"premium": [0.1, 0.2]}, index=pd.Index([1.0, 2.0]))
    assert (
        "rangeselector"
        not in plotly_figure(
            Chart("m", "Curve", by_maturity, "percent", x_title="maturity (years)")
        )["layout"]["xaxis"]
    )
    bars = Chart("b", "Bars", _lines(x=np.arange(3.0)), "percent", kind="bar")
    assert "rangeselector" not in plotly_figure(bars)["layout"]["xaxis"]


def test_coinciding_lines_are_drawn_so_both_show() -> None:
    rng = np.random.default_rng(3)
    exact = np.cumsum(rng.normal(0, 0.05, 400))
    frame = _lines(exact=exact, approx=exact + 0.001, other=-exact)
    assert coinciding(frame) == {"approx": "exact"}
    chart = Chart("c", "Coincide", frame, "correlation")
    styles = trace_styles(chart)
    assert (styles["exact"].dash, styles["exact"].width) == ("solid", 3.0)
    assert (styles["approx"].dash, styles["approx"].width) == ("dash", 1.4)
    assert (styles["other"].dash, styles["other"].width) == ("solid", 1.6)
    lines = {t["name"]: t["line"] for t in plotly_figure(chart)["data"]}
    assert lines["approx"]["dash"] == "dash" and lines["exact"]["width"] > lines["approx"]["width"]
    drawn = {line.get_label(): line for line in figure(chart).axes[0].get_lines()}
    assert drawn["approx"].get_linestyle() == "--" and drawn["exact"].get_linestyle() == "-"
    assert drawn["exact"].get_linewidth() > drawn["approx"].get_linewidth()
    # a gap of 10% of the range is not "coinciding": both stay solid
    assert coinciding(_lines(a=exact, b=exact + 0.1 * np.ptp(exact))) == {}


def test_two_axis_chart_has_two_colours_and_a_legend_per_axis() -> None:
    frame = _lines(dollar=np.linspace(90, 110, 50), yield_=np.linspace(4, 1, 50)).rename(
        columns={"yield_": "10-year yield"}
    )
    chart = Chart("two", "Two axes", frame, "dollar index (points)",
                  secondary=("10-year yield",), secondary_title="percent")  # fmt: skip
    spec = plotly_figure(chart)
    colours = [t["line"]["color"] for t in spec["data"]]
    assert colours == ["#1f77b4", "#ff7f0e"]
    assert [t.get("legend") for t in spec["data"]] == [None, "legend2"]
    layout = spec["layout"]
    assert layout["legend"]["title"]["text"].startswith("left axis")
    assert layout["legend2"]["title"]["text"].startswith("right axis")
    assert layout["yaxis"]["title"]["font"]["color"] == colours[0]
    assert layout["yaxis2"]["title"]["font"]["color"] == colours[1]
    drawn = figure(chart)
    left, right = drawn.axes
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["dollar"]
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["10-year yield"]
    assert left.get_lines()[0].get_color() != right.get_lines()[0].get_color()


ERAS = pd.DataFrame(
    {"first": pd.to_datetime(["1972-08-16", "2000-01-03", None, "2020-01-02"]),
     "last": pd.to_datetime(["1999-12-31", "2007-12-31", None, "2025-06-30"])},
    index=pd.Index(["1962-1999", "2000-2007", "2008-2019", "2020-latest"], name="era"),
)  # fmt: skip


def test_era_bands_one_per_era_with_data_named_from_their_data() -> None:
    bands = era_shading(ERAS)
    assert [b.label for b in bands] == ["1972-1999", "2000-2007", "2020-latest"]
    assert len({b.color for b in bands[:2]}) == 2  # neighbours alternate
    frame = pd.DataFrame({"c": np.linspace(-0.5, 0.5, 10)},
                         index=pd.date_range("1972-09-01", "2025-06-01", periods=10))  # fmt: skip
    chart = Chart("e", "Eras", frame, "correlation", shading=bands)
    layout = plotly_figure(chart)["layout"]
    assert [s["name"] for s in layout["shapes"]] == [b.label for b in bands]
    assert [a["text"] for a in layout["annotations"]] == [b.label for b in bands]
    ax = figure(chart).axes[0]
    assert len(ax.patches) == 3
    assert [t.get_text() for t in ax.texts] == [b.label for b in bands]
    assert len({tuple(p.get_facecolor()) for p in ax.patches}) == 2  # not one flat grey block


@pytest.mark.parametrize(
    ("nominal", "first", "last", "name"),
    [("1962-1999", "1972-08-16", "1999-12-31", "1972-1999"),
     ("1962-1999", "1963-01-07", "1999-12-31", "1963-1999"),
     ("2000-2007", "2000-01-03", "2007-12-31", "2000-2007"),
     ("2020-latest", "2020-01-02", "2025-06-30", "2020-latest"),
     ("2008-2019", "2008-01-02", "2016-05-31", "2008-2016"),
     ("start..1999-12-31", "1972-08-16", "1999-12-31", "start..1999-12-31")],
)  # fmt: skip
def test_era_names(nominal: str, first: str, last: str, name: str) -> None:
    assert era_name(nominal, pd.Timestamp(first), pd.Timestamp(last)) == name


def test_repeated_shading_label_enters_the_legend_once() -> None:
    bands = tuple(
        Shading(pd.Timestamp(a), pd.Timestamp(b), "NBER recession")
        for a, b in (("2001-03-01", "2001-11-30"), ("2008-01-01", "2009-06-30"))
    )
    frame = pd.DataFrame({"x": np.arange(30.0)}, index=pd.date_range("2000-01-31", periods=30,
                                                                      freq="QE"))  # fmt: skip
    layout = plotly_figure(Chart("r", "Recessions", frame, "index", shading=bands))["layout"]
    assert [s.get("showlegend", False) for s in layout["shapes"]] == [True, False]
    assert layout["annotations"] == []
    texts = [t.get_text() for t in figure(Chart("r", "R", frame, "index", shading=bands))
             .axes[0].get_legend().get_texts()]  # fmt: skip
    assert texts == ["x", "NBER recession"]


def test_inflation_regime_chart_draws_the_hac_intervals() -> None:
    # the 3% HAC threshold row of the golden report (stocks.inflation_corr_diff_3; daily
    # returns classed by CPI lagged one month)
    table = pd.DataFrame(
        {"n": [6264.0, 7157.0], "mean_inflation": [1.9, 5.8],
         "return_correlation": [-0.167, 0.099], "ci_low": [-0.216, 0.046],
         "ci_high": [-0.117, 0.152], "mean_rolling_correlation": [-0.125, 0.189]},
        index=pd.Index(["low", "high"], name="inflation"),
    )  # fmt: skip
    test = {"difference": 0.266, "ci_low": 0.194, "ci_high": 0.339, "pvalue": 1e-12}
    results = InflationRegimeResults(table=table, test=test, threshold=3.0)
    chart = inflation_regime_chart(results)
    assert chart.traces == ["correlation of returns", "mean rolling correlation"]
    assert list(chart.data.index) == ["CPI inflation at or below 3%", "above 3%"]
    # the bars' intervals are the table's, not recomputed
    np.testing.assert_allclose(chart.data["95% interval (low)"], [-0.216, 0.046])
    np.testing.assert_allclose(chart.data["95% interval (high)"], [-0.117, 0.152])
    bars = plotly_figure(chart)["data"][0]
    np.testing.assert_allclose(bars["error_y"]["arrayminus"], [0.049, 0.053], atol=1e-12)
    np.testing.assert_allclose(bars["error_y"]["array"], [0.050, 0.053], atol=1e-12)
    assert "6,264" in chart.note and "7,157" in chart.note
    assert "High minus low: +0.27 [+0.19, +0.34]" in chart.note
    ax = figure(chart).axes[0]
    assert len(ax.patches) == 4  # two regimes x two bars, side by side
    assert [t.get_text() for t in ax.get_xticklabels()] == list(chart.data.index)


def test_intervals_draw_as_a_band_not_as_lines() -> None:
    frame = _lines(tp=np.linspace(0, 1, 20))
    frame["lo"], frame["hi"] = frame["tp"] - 0.5, frame["tp"] + 0.5
    chart = Chart(
        "b", "Band", frame, "percent", intervals=(Interval("tp", "lo", "hi", "90% band"),)
    )
    assert chart.traces == ["tp"]
    traces = plotly_figure(chart)["data"]
    assert [t["name"] for t in traces] == ["90% band (low)", "90% band", "tp"]
    assert traces[1]["fill"] == "tonexty" and traces[0]["showlegend"] is False
    ax = figure(chart).axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["tp"]
    assert len(ax.collections) == 1  # the filled band


def test_every_trace_on_the_right_axis_still_draws() -> None:
    chart = Chart("r", "Right only", _lines(a=np.arange(5.0)), "index", secondary=("a",),
                  secondary_title="percent")  # fmt: skip
    assert plotly_figure(chart)["layout"]["yaxis2"]["title"]["font"]["color"] == "#1f77b4"
    assert figure(chart).axes[1].get_lines()[0].get_label() == "a"


def test_colours_repeat_only_with_another_dash() -> None:
    frame = _lines(**{f"market {k}": np.arange(5.0) * (k + 1) for k in range(11)})
    styles = trace_styles(Chart("many", "Eleven lines", frame, "correlation"))
    looks = [(s.color, s.dash) for s in styles.values()]
    assert len(set(looks)) == 11 and looks[10] == (looks[0][0], "dot")


@pytest.mark.parametrize(
    ("name", "unit", "label"),
    [
        ("months", "count", "months"),
        ("n_low", "count", "n low"),
        ("n 2y", "count", "n 2y"),
        ("nobs", "count", "observations"),
        ("half_width_obs", "count", "half width observations"),
        (("1d", "n"), "count", "1d n"),
        ("replications", "count", "replications"),
        ("breaks", "count", "breaks"),
        ("mean_months", "number", "mean months"),  # a measure beside a count word
        ("n_eff", "number", "n eff"),
        ("annual_return_pct", "percent", "annual return (%)"),
        ("rms_bp 2y", "bp", "RMS 2y (bp)"),
        ("corr_low_ci_high", "correlation", "correlation low, interval high"),
        ("expected_duration", "number", "expected duration"),  # not a "ratio"
        ("steiger_pvalue", "probability", "steiger p-value"),
        ("d_expected_rate", "number", "change in expected rate"),
        (("1d", "rank_pct"), "percent", "1d rank (%)"),
        ("total response", "number", "total response"),
        ("fx.usd_broad", "number", "fx.usd_broad"),  # a series id is kept
    ],
)
def test_column_units_and_labels_come_from_the_name(name: object, unit: str, label: str) -> None:
    assert column_unit(name) == unit
    assert column_label(name) == label
    assert "_" not in column_label(name) or "." in label


def test_counts_print_as_integers_measures_keep_their_decimals() -> None:
    assert format_value(761.0, "count", 3) == "761"
    assert format_value(10422.0, "count", 3) == "10,422"
    assert format_value(6337.4, "count", 3) == "6,337"
    assert format_value(1.0, "correlation", 3) == "1.000"  # a measured whole value
    assert format_value(0.4333, "number", 3) == "0.433"
    # a p-value that rounds to zero is "<0.001", never "0.000"; a larger one keeps its digits
    assert format_value(4.5e-13, "probability", 3) == "<0.001"
    assert format_value(0.0004999, "probability", 3) == "<0.001"
    assert format_value(0.0005, "probability", 3) == "0.001"
    assert format_value(0.053, "probability", 3) == "0.053"
    assert format_value(0.0, "correlation", 3) == "0.000"  # a measured zero stays a zero


def test_weekly_dates_an_open_last_week_by_its_last_observation() -> None:
    """Weeks end on Friday; a sample ending on Tuesday 2019-12-31 is not dated 2020-01-03."""
    from ustpull.charts import weekly

    days = pd.bdate_range("2019-12-16", "2019-12-31")
    frame = pd.DataFrame({"us": np.arange(len(days), dtype=float)}, index=days)
    sampled = weekly(frame)
    assert list(sampled.index.strftime("%Y-%m-%d")) == ["2019-12-20", "2019-12-27", "2019-12-31"]
    assert sampled["us"].tolist() == [4.0, 9.0, 11.0]
    series = weekly(frame["us"].iloc[:10])  # ends on Friday 2019-12-27: dated by that Friday
    assert series.index[-1] == pd.Timestamp("2019-12-27") and series.iloc[-1] == 9.0
    assert weekly(frame.iloc[:0]).empty
