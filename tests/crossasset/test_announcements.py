"""Announcement-day scores and surprise responses: known cases and the real 2013 taper days."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.crossasset._real import read_series
from ustpull.crossasset.announcements import (
    EventDayScores,
    SurpriseResponse,
    event_dates,
    surprise_series,
)
from ustpull.errors import DataError


def test_score_is_move_over_trailing_volatility() -> None:
    dates = pd.bdate_range("2020-01-01", periods=200)
    rng = np.random.default_rng(0)
    daily = rng.standard_normal(200) * 0.02  # percent, i.e. 2 bp a day
    event = dates[150]
    daily[150] = 0.2  # a 20 bp jump on the event day
    levels = pd.DataFrame({"y": 2.0 + np.cumsum(daily)}, index=dates)
    res = EventDayScores(levels, [event], days=1, window=60).fit()
    row = res.table.loc[(event, "y")]
    changes = 100 * np.diff(levels["y"].to_numpy())
    trailing = changes[150 - 1 - 60 : 150 - 1].std(ddof=1)  # changes up to the day before
    assert row["move"] == pytest.approx(20.0)
    assert row["trailing_vol"] == pytest.approx(trailing)
    assert row["z"] == pytest.approx(20.0 / trailing)
    assert row["tail_p"] == 0.0  # larger than every non-event day
    two = EventDayScores(levels, [event], days=2).fit().table.loc[(event, "y")]
    assert two["move"] == pytest.approx(20.0 + changes[150])
    assert two["z"] == pytest.approx(two["move"] / (np.sqrt(2) * trailing))


@pytest.fixture(scope="module")
def taper(shared_data: Path) -> tuple[pd.DataFrame, pd.DatetimeIndex, pd.DataFrame]:
    ten = read_series(shared_data / "fred/ust_cmt_daily.csv", column=8).rename("ust10y")
    two = read_series(shared_data / "fred/ust_cmt_daily.csv", column=4).rename("ust2y")
    spx = read_series(shared_data / "equity/sp500_daily_close_1950_2026.csv").rename("sp500")
    levels = pd.concat([ten, two, spx], axis=1, sort=True)
    events_dir = shared_data / "events"
    gss = pd.read_csv(events_dir / "fomc_surprises_gss_gkl_1984_2019.csv")
    fomc = event_dates(pd.read_csv(events_dir / "fomc_scheduled_meeting_dates_1936_2021.csv"))
    # 2013-05-22 is Bernanke's testimony (and the minutes), scored as an event alongside FOMC days
    events = fomc.union(event_dates(gss)).union(pd.DatetimeIndex(["2013-05-22"]))
    return levels, events[events >= "1990-01-01"], gss


def test_real_taper_tantrum_scores(
    taper: tuple[pd.DataFrame, pd.DatetimeIndex, pd.DataFrame],
) -> None:
    levels, events, _ = taper
    units = {"ust10y": "bp", "ust2y": "bp", "sp500": "log_pct"}
    one = EventDayScores(levels, events, units=units, days=1).fit().table  # type: ignore[arg-type]
    two = EventDayScores(levels, events, units=units, days=2).fit().table  # type: ignore[arg-type]
    may, june = pd.Timestamp("2013-05-22"), pd.Timestamp("2013-06-19")
    # DGS10 2013-05-21 1.94 -> 05-22 2.03: +9 bp, trailing 60-day vol 3.86 bp, z 2.33, 96th pct
    assert one.loc[(may, "ust10y"), "move"] == pytest.approx(9.0)
    assert one.loc[(may, "ust10y"), "z"] == pytest.approx(2.334, abs=0.001)
    assert one.loc[(may, "ust10y"), "rank_pct"] == pytest.approx(96.5, abs=0.1)
    # 2013-06-19 FOMC: +13 bp (z 2.88, 98.3rd pct); over two days +21 bp (z 3.29, 98.9th pct)
    assert one.loc[(june, "ust10y"), "move"] == pytest.approx(13.0)
    assert one.loc[(june, "ust10y"), "z"] == pytest.approx(2.877, abs=0.001)
    assert two.loc[(june, "ust10y"), "move"] == pytest.approx(21.0)
    assert two.loc[(june, "ust10y"), "rank_pct"] == pytest.approx(98.9, abs=0.1)
    # the S&P 500 fell 3.9% over the two days: z -3.47, beyond 99.3% of non-event days
    assert two.loc[(june, "sp500"), "z"] == pytest.approx(-3.474, abs=0.001)
    assert two.loc[(june, "sp500"), "tail_p"] < 0.01
    EventDayScores(levels, events[-20:], units=units).fit().plot()  # type: ignore[arg-type]


def test_real_responses_per_bp_of_surprise(
    taper: tuple[pd.DataFrame, pd.DatetimeIndex, pd.DataFrame], shared_data: Path
) -> None:
    levels, events, gss = taper
    units = {"ust10y": "bp", "ust2y": "bp", "sp500": "log_pct"}
    moves = EventDayScores(levels, events, units=units).fit().table["move"].unstack()  # type: ignore[arg-type]
    mp1 = SurpriseResponse(moves, surprise_series(gss, "MP1")).fit().table
    # GSS MP1 (current-month fed funds futures), 262 events 1990-2019: 2y +0.39 bp per bp
    assert mp1.loc["ust2y", "per_bp"] == pytest.approx(0.386, abs=0.001)
    assert mp1.loc["ust2y", "ci_low"] > 0.0
    assert mp1.loc["ust2y", "nobs"] == 262
    jk = pd.read_csv(shared_data / "events/fomc_shocks_jarocinski_karadi_1999_2019.csv")
    mp = SurpriseResponse(moves, surprise_series(jk, "MP_pm")).fit().table
    # Jarocinski-Karadi pure policy shock, 171 events 1999-2019: S&P 500 -0.086% per bp
    # (se 0.016), 2y +0.53 bp per bp
    assert mp.loc["sp500", "per_bp"] == pytest.approx(-0.0856, abs=0.0005)
    assert mp.loc["ust2y", "per_bp"] == pytest.approx(0.526, abs=0.001)
    assert mp.loc["sp500", "ci_high"] < 0.0


def test_surprise_loader_units_and_failures() -> None:
    frame = pd.DataFrame(
        {
            "Date": ["2001-01-03", "2001-01-31", "2001-04-18"],
            "MP1": [-0.3, ".", -0.4],
            "intermeetdummy": [1, 0, 1],
        }
    )
    series = surprise_series(frame, "MP1")
    assert series.to_dict() == {
        pd.Timestamp("2001-01-03"): -30.0,
        pd.Timestamp("2001-04-18"): -40.0,
    }
    assert surprise_series(frame, "MP1", scheduled_only=True).empty
    with pytest.raises(DataError, match="no column 'MP9'"):
        surprise_series(frame, "MP9")
    with pytest.raises(DataError, match="unreadable date"):
        event_dates(pd.DataFrame({"Date": ["2001-01-03", "soon"]}))
    with pytest.raises(DataError, match="days must be 1 or 2"):
        EventDayScores(frame, [], days=3)  # type: ignore[arg-type]
