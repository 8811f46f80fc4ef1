"""Synchronous changes: window mechanics; weekly connectedness keeps the net transmitter."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.connectedness import Connectedness, yield_changes
from ustpull.crossasset.connectedness.model import ConnectednessModel
from ustpull.crossasset.synchronous import (
    MARKET_CLOSE_UTC,
    NonSynchronousWarning,
    market_code,
    share_a_close,
    synchronous_changes,
)
from ustpull.errors import DataError


def test_weekly_changes_use_each_markets_last_quote() -> None:
    dates = pd.bdate_range("2024-01-01", "2024-02-02")  # five Mon-Fri weeks
    levels = pd.DataFrame({"US": np.arange(25.0), "JP": 100.0 + np.arange(25.0)}, index=dates)
    levels.loc["2024-01-12", "JP"] = np.nan  # Friday holiday in Tokyo: Thursday's quote counts
    levels.loc["2024-01-15":"2024-01-19", "US"] = np.nan  # a week without U.S. quotes
    changes = synchronous_changes(levels)
    # weeks ending 01-12 (JP from Thu 01-11) and 02-02; 01-19 and 01-26 touch the U.S. gap
    assert list(changes.index) == list(pd.to_datetime(["2024-01-12", "2024-02-02"]))
    assert changes.loc["2024-01-12", "US"] == 5.0
    assert changes.loc["2024-01-12", "JP"] == 4.0  # 108 (Thu 01-11) - 104 (Fri 01-05)


def test_two_day_changes_and_logs() -> None:
    dates = pd.bdate_range("2024-01-01", periods=8)
    levels = pd.DataFrame({"a": np.exp(np.arange(8.0)), "b": 1.0 + np.arange(8.0)}, index=dates)
    two = synchronous_changes(levels, frequency="two_day", kind="log")
    assert list(two.index) == list(dates[[3, 5, 7]])
    assert two["a"].to_numpy() == pytest.approx([2.0, 2.0, 2.0])
    with pytest.raises(DataError, match="positive"):
        synchronous_changes(levels - 10.0, kind="log")
    with pytest.raises(DataError, match="frequency"):
        synchronous_changes(levels, frequency="monthly")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="fewer than two"):
        synchronous_changes(levels.iloc[:2])


def test_share_a_close() -> None:
    assert share_a_close(["DE", "UK", "FR"])
    assert not share_a_close(["US", "JP"])
    with pytest.raises(DataError, match="no closing time"):
        share_a_close(["US", "XX"])


def _markets(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Foreign news diffuses into U.S. yields over ten days (foreign = true transmitter); common
    news breaking in U.S. hours reaches the foreign close one day late in the observed data."""
    rng = np.random.default_rng(seed)
    n = 5000
    own_foreign, own_us, common = rng.standard_normal((3, n))
    diffusion = np.r_[0.0, np.full(10, 0.15)]
    us = own_us + common + np.convolve(own_foreign, diffusion)[:n]
    synchronous_foreign = own_foreign + common
    observed_foreign = own_foreign + np.r_[0.0, common[:-1]]
    dates = pd.bdate_range("2000-01-03", periods=n)
    truth = pd.DataFrame({"US": np.cumsum(us), "JP": np.cumsum(synchronous_foreign)}, index=dates)
    observed = pd.DataFrame({"US": np.cumsum(us), "JP": np.cumsum(observed_foreign)}, index=dates)
    return truth, observed


#: Weekly builders: the one definition and the headline path that calls it
#: (``global_yields_connectedness`` and ``foreign.spillover_total`` use ``yield_changes``).
WEEKLY_BUILDERS = {
    "synchronous_changes": synchronous_changes,
    "yield_changes": lambda levels: yield_changes(levels, frequency="weekly"),
}


def _net_us(
    levels: pd.DataFrame, *, weekly: bool, model: str, builder: str = "synchronous_changes"
) -> float:
    """Net connectedness of the U.S.: the static VAR(2) (``foreign.spillover_*``) or the time
    mean of the TVP-VAR(1) path (``connectedness.us_net``: 104-row prior, forgetting 0.99)."""
    changes = WEEKLY_BUILDERS[builder](levels) if weekly else levels.diff().dropna()
    if model == "var":
        return float(Connectedness(changes, lags=2, horizon=10).fit().net["US"])
    fit = ConnectednessModel(changes, model="tvp-var", lags=1, horizon=10, window=104).fit()
    return float(fit.net_t["US"].mean())


@pytest.mark.parametrize(
    ("model", "margin"),
    [("var", 5.0), ("tvp-var", 2.5)],  # TVP-VAR(1): smaller net, same sign
)
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("builder", list(WEEKLY_BUILDERS))
def test_weekly_connectedness_keeps_the_net_transmitter(
    seed: int, model: str, margin: float, builder: str
) -> None:
    """With the foreign market one day behind the U.S., daily changes make the U.S. the net
    transmitter; weekly changes keep the true one (the foreign market). Measured net U.S.:
    static VAR(2) truth -6.7 / -7.3 (seeds 0 / 1), daily lagged +22, weekly lagged -7.8 / -8.5;
    TVP-VAR(1) (the model of the headline ``connectedness.us_net``) truth -3.7 / -4.2, daily
    lagged +21.4 / +20.3, weekly lagged -3.7 / -5.0. Both weekly builders: the headline path
    ``yield_changes(frequency="weekly")`` and ``synchronous_changes`` it calls."""
    truth, observed = _markets(seed)
    true_weekly = _net_us(truth, weekly=True, model=model, builder=builder)
    assert true_weekly < -margin  # the foreign market transmits
    assert _net_us(observed, weekly=False, model=model) > 15.0  # daily, one-day lag: flips
    observed_weekly = _net_us(observed, weekly=True, model=model, builder=builder)
    assert observed_weekly < -margin  # weekly: still the foreign market
    assert np.sign(observed_weekly) == np.sign(true_weekly)


def test_headline_weekly_path_is_synchronous_changes_on_common_days() -> None:
    """``yield_changes(frequency="weekly")`` is ``synchronous_changes`` on the common trading
    days: a Tokyo Friday holiday moves both markets' quote to Thursday (U.S. change 4, not 5),
    and a week with no common day is a gap, never bridged (the old builder counted the
    two-week change across Golden Week 2019 as one week)."""
    dates = pd.bdate_range("2024-01-01", "2024-02-02")
    levels = pd.DataFrame({"US": np.arange(25.0), "JP": 100.0 + np.arange(25.0)}, index=dates)
    levels.loc["2024-01-12", "JP"] = np.nan
    levels.loc["2024-01-22":"2024-01-26", "JP"] = np.nan  # a week without a common day
    changes = yield_changes(levels, frequency="weekly")
    # weeks ending 01-12 (common Thu 01-11: 8 - 4) and 01-19 (14 - 8); 01-26 has no common
    # day and 02-02 follows it, so neither has a change
    assert list(changes.index) == list(pd.to_datetime(["2024-01-12", "2024-01-19"]))
    assert changes["US"].tolist() == [4.0, 6.0]
    assert changes["JP"].tolist() == [4.0, 6.0]
    pd.testing.assert_frame_equal(changes, synchronous_changes(levels.dropna()))


def test_daily_yield_changes_warn_unless_the_markets_share_a_close() -> None:
    """Daily changes: U.S. (CMT read 20:30 UTC) with Tokyo (06:00 UTC) warns; U.S. with
    Canada (21:00 UTC, half an hour apart) and Germany with France do not; a market without a
    recorded close (India) warns too."""
    dates = pd.bdate_range("2024-01-01", periods=15)
    levels = pd.DataFrame({"us": np.arange(15.0), "x": np.arange(15.0) ** 2}, index=dates)
    with pytest.warns(NonSynchronousWarning, match=r"close hours apart \(US, JP\)"):
        daily = yield_changes(levels.rename(columns={"x": "jp"}), frequency="daily")
    assert daily["jp"].tolist() == [float(2 * k + 1) for k in range(14)]  # k^2 differences
    with pytest.warns(NonSynchronousWarning, match=r"without a recorded close \(IN\)"):
        yield_changes(levels.rename(columns={"x": "in"}), frequency="daily")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield_changes(levels.rename(columns={"x": "ca"}), frequency="daily")
        yield_changes(levels.set_axis(["de", "fr"], axis=1), frequency="daily")
        yield_changes(levels.rename(columns={"x": "jp"}), frequency="weekly")


def test_market_closes_are_consistent() -> None:
    # CMT read at about 15:30 New York = 20:30 UTC (winter), after the 14:00 ET (19:00 UTC)
    # FOMC statement; Frankfurt and Tokyo close before it
    assert MARKET_CLOSE_UTC["US"] == 20.5
    assert share_a_close(["US", "CA"])
    assert not share_a_close(["US", "DE"])
    assert market_code("gb") == "UK"
