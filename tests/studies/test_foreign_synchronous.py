"""Cross-market correlations on synchronous changes by default (issue 16, point 1)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.comovement import DEFAULT_ERAS
from ustpull.studies.foreign_bonds import (
    NonSynchronousWarning,
    comovement_eras,
    comovement_with_us,
    synchronous_levels,
)


def _lagged_pair(seed: int = 0) -> pd.DataFrame:
    """U.S. random-walk yields and a Tokyo market that sees each U.S. move one day late."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2000-01-03", periods=2600)
    us = 4.0 + np.cumsum(rng.normal(0.0, 0.05, len(days)))
    jp = np.r_[us[0], us[:-1]] + rng.normal(0.0, 0.01, len(days))  # U.S. move shows next day
    return pd.DataFrame({"us": us, "jp": jp}, index=days)


def test_weekly_levels_recover_the_lagged_correlation() -> None:
    levels = _lagged_pair()
    daily = levels.diff().dropna()
    weekly = synchronous_levels(levels, "weekly").diff().dropna()
    # daily changes one day apart are uncorrelated; weekly ones keep about four days in five
    assert abs(daily.corr().loc["us", "jp"]) < 0.1
    assert weekly.corr().loc["us", "jp"] > 0.75
    assert (weekly.index.day_of_week == 4).all()  # weeks ending Friday


def test_daily_warns_unless_the_markets_share_a_close() -> None:
    levels = _lagged_pair()
    with pytest.warns(NonSynchronousWarning, match="close hours apart"):
        synchronous_levels(levels, "daily")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = synchronous_levels(levels.rename(columns={"us": "de", "jp": "fr"}), "daily")
    assert out.shape == levels.shape


def test_comovement_needs_the_headline_markets() -> None:
    frame = pd.DataFrame({"us.cmt.10y": [4.0, 4.1]}, index=pd.bdate_range("2020-01-01", periods=2))
    assert comovement_with_us(frame) is None


def test_comovement_eras_as_of_a_month_end_there() -> None:
    """The running era is cut at the data's last month and named after its data; the
    change's first era follows a rename (1990-1995 as of mid-1995)."""
    eras, change = comovement_eras(pd.Period("2012-12", "M"))
    assert [e.name for e in eras] == [
        "since 1990", "1990-1999", "2000-2007", "2008-2012", "2020-latest"
    ]  # fmt: skip
    assert eras[3].end == "2012-12" and change == ("1990-1999", "2020-latest")
    eras, change = comovement_eras(pd.Period("1995-06", "M"))
    assert eras[1].name == "1990-1995" and change == ("1990-1995", "2020-latest")
    assert comovement_eras(pd.Period("2019-12", "M"))[0] == DEFAULT_ERAS
    assert comovement_eras(None)[0] == DEFAULT_ERAS
