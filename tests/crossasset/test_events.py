"""Event studies: alignment per market, bp vs percent changes, the episode library."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.events import (
    EPISODES,
    Episode,
    EventStudy,
    EventStudyResults,
    change_kind_for_units,
    get_episode,
    load_episodes,
)
from ustpull.errors import DataError


@pytest.fixture
def two_markets() -> pd.DataFrame:
    """A yield on U.S. business days and a price with a holiday the yield does not have."""
    dates = pd.bdate_range("2021-03-01", "2021-03-31")
    yields = pd.Series(np.linspace(1.0, 2.0, len(dates)), index=dates)
    prices = pd.Series(np.linspace(100.0, 90.0, len(dates)), index=dates)
    prices = prices.drop(pd.Timestamp("2021-03-15"))  # that market's holiday
    prices[pd.Timestamp("2021-03-10")] = 80.0  # an intra-window low
    return pd.DataFrame({"yield": yields, "price": prices})


def test_changes_in_bp_and_percent_with_dates_used(two_markets: pd.DataFrame) -> None:
    # Window starts on a Saturday (2021-03-06): both series use Friday 2021-03-05.
    episode = Episode("test", pd.Timestamp("2021-03-06"), pd.Timestamp("2021-03-15"))
    study = EventStudy(
        two_markets, units={"yield": "percent", "price": "index"}, episodes=[episode]
    )
    table = study.fit().table
    yield_row = table.loc[("test", "yield")]
    price_row = table.loc[("test", "price")]
    assert yield_row["start_date"] == pd.Timestamp("2021-03-05")
    assert yield_row["end_date"] == pd.Timestamp("2021-03-15")
    assert price_row["end_date"] == pd.Timestamp("2021-03-12")  # its holiday: last day before
    step = 1.0 / (len(pd.bdate_range("2021-03-01", "2021-03-31")) - 1)
    assert yield_row["change"] == pytest.approx(6 * step * 100.0)  # six business days, in bp
    assert yield_row["unit"] == "bp"
    start_price = two_markets["price"][pd.Timestamp("2021-03-05")]
    end_price = two_markets["price"][pd.Timestamp("2021-03-12")]
    assert price_row["change"] == pytest.approx((end_price / start_price - 1) * 100)
    assert price_row["max_fall"] == pytest.approx((80.0 / start_price - 1) * 100)
    assert price_row["max_fall_date"] == pd.Timestamp("2021-03-10")
    assert price_row["unit"] == "percent"


def test_errors_name_series_and_window(two_markets: pd.DataFrame) -> None:
    units = {"yield": "percent", "price": "index"}
    empty = Episode("later", pd.Timestamp("2022-01-03"), pd.Timestamp("2022-01-10"))
    with pytest.raises(DataError, match=r"'yield'.*later \(2022-01-03\.\.2022-01-10\)"):
        EventStudy(two_markets, units=units, episodes=[empty]).fit()
    early = Episode("early", pd.Timestamp("2021-02-01"), pd.Timestamp("2021-03-02"))
    with pytest.raises(DataError, match="no observation within 10 days"):
        EventStudy(two_markets, units=units, episodes=[early]).fit()
    with pytest.raises(DataError, match="not after start"):
        Episode("backwards", pd.Timestamp("2021-03-05"), pd.Timestamp("2021-03-01"))
    negative = two_markets.assign(price=-two_markets["price"])
    mid = Episode("mid", pd.Timestamp("2021-03-05"), pd.Timestamp("2021-03-12"))
    with pytest.raises(DataError, match="non-positive level"):
        EventStudy(negative, units=units, episodes=[mid]).fit()


def test_unknown_episode_lists_the_library() -> None:
    with pytest.raises(DataError, match="known episodes: taper-tantrum, policy-divergence"):
        get_episode("tantrum")
    assert get_episode("taper-tantrum").start == pd.Timestamp("2013-05-21")


def test_units_rule() -> None:
    assert change_kind_for_units("percent") == "bp"
    assert change_kind_for_units("index") == "percent"
    assert change_kind_for_units("JPY per USD") == "percent"


def test_user_episodes_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "episodes.toml"
    path.write_text(
        '[[episode]]\nname = "svb"\nstart = 2023-03-08\nend = 2023-03-17\n'
        'description = "SVB failure"\n'
    )
    (episode,) = load_episodes(path)
    assert (episode.name, episode.start, episode.end) == (
        "svb",
        pd.Timestamp("2023-03-08"),
        pd.Timestamp("2023-03-17"),
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('[[episode]]\nname = "x"\nstart = 2023-03-08\n')
    with pytest.raises(DataError, match="episode 1 lacks end"):
        load_episodes(bad)


def test_library_episodes_are_ordered_windows() -> None:
    names = [e.name for e in EPISODES]
    assert names[0] == "taper-tantrum"
    assert len(set(names)) == len(names)
    assert all(e.end > e.start for e in EPISODES)


def test_taper_tantrum_on_real_data(shared_data) -> None:  # type: ignore[no-untyped-def]
    from ustpull.sources.local import load_frame
    from ustpull.studies import series_units

    data = load_frame(["us.tips.10y", "us.cmt.10y", "us.sp500", "fx.usd_per_eur"], shared_data)
    units = series_units(data.columns)  # the vocabulary's: percent for yields, else levels
    study = EventStudy(
        data,
        units=units,
        episodes=[get_episode("taper-tantrum"), get_episode("hikes-2022")],
        on_missing="skip",
    )
    results = study.fit()
    taper = results.table.loc["taper-tantrum"]
    # FRED DFII10: -0.34 on 2013-05-21 -> 0.66 on 2013-07-05 (+100 bp)
    assert taper.loc["us.tips.10y", "change"] == pytest.approx(100.0)
    assert taper.loc["us.tips.10y", "start_level"] == pytest.approx(-0.34)
    # FRED DGS10: 1.94 -> 2.73 (+79 bp)
    assert taper.loc["us.cmt.10y", "change"] == pytest.approx(79.0)
    # S&P 500: 1669.16 (2013-05-21) -> 1631.89 (2013-07-05); trough 1573.09 on 2013-06-24
    assert taper.loc["us.sp500", "start_level"] == pytest.approx(1669.16)
    assert taper.loc["us.sp500", "change"] == pytest.approx((1631.89 / 1669.16 - 1) * 100)
    assert taper.loc["us.sp500", "max_fall"] == pytest.approx((1573.09 / 1669.16 - 1) * 100)
    assert taper.loc["us.sp500", "max_fall_date"] == pd.Timestamp("2013-06-24")
    # The ECB euro series in the shared data ends 2020-03-10: skipped for 2022, and said so.
    skipped = results.skipped
    assert skipped[["episode", "series"]].values.tolist() == [["hikes-2022", "fx.usd_per_eur"]]
    assert "no observation in window hikes-2022" in skipped["reason"].iloc[0]
    with pytest.raises(DataError, match=r"'fx\.usd_per_eur' has no observation in window hikes"):
        EventStudy(data, units=units, episodes=[get_episode("hikes-2022")]).fit()
    with pytest.raises(DataError, match=r"no units for the series 'us\.tips\.10y'"):
        EventStudy(data, units={"us.cmt.10y": "percent"}, episodes=[get_episode("hikes-2022")])


def test_plot_and_summary(two_markets: pd.DataFrame) -> None:
    import matplotlib

    matplotlib.use("Agg")
    episode = Episode("test", pd.Timestamp("2021-03-05"), pd.Timestamp("2021-03-19"))
    results = EventStudy(
        two_markets, units={"yield": "percent", "price": "index"}, episodes=[episode]
    ).fit()
    figure = results.plot()
    assert len(figure.axes[0].get_lines()) == 3  # two series and the zero line
    assert "test: 2021-03-05 .. 2021-03-19" in str(results)
    assert results.to_dict()["changes"][0]["start_date"] == "2021-03-05"


def test_series_that_stops_inside_the_window_is_not_measured(two_markets: pd.DataFrame) -> None:
    # the price stops on 2021-03-12; a window to 2021-03-31 must not report its change as
    # the window's (the ECB euro series stops 2020-03-10, inside the 2020 pandemic window)
    stopped = two_markets.copy()
    stopped.loc["2021-03-13":, "price"] = np.nan
    units = {"yield": "percent", "price": "index"}
    window = Episode("late", pd.Timestamp("2021-03-05"), pd.Timestamp("2021-03-31"))
    with pytest.raises(DataError, match=r"'price' ends 2021-03-12, more than 10 days before"):
        EventStudy(stopped, units=units, episodes=[window]).fit()
    results = EventStudy(stopped, units=units, episodes=[window], on_missing="skip").fit()
    assert results.skipped["series"].tolist() == ["price"]


def test_no_windows_is_refused_by_the_model_and_explicit_in_results(
    two_markets: pd.DataFrame,
) -> None:
    """A user's empty list of windows is bad input; a study with no window ended yet holds
    results without windows (the study layer decides, studies.events.run_events)."""
    with pytest.raises(DataError, match="no episodes given"):
        EventStudy(two_markets, units={"yield": "percent", "price": "index"}, episodes=[])
    empty = EventStudyResults.without_windows()
    assert empty.episodes == () and empty.table.empty and empty.changes().empty
    assert {"change", "end_date", "unit"} <= set(empty.table.columns)
    assert empty.to_dict()["episodes"] == [] and empty.skipped.empty
    with pytest.raises(DataError, match="no narrative window"):
        empty.plot()
