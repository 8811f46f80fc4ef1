"""run_pull: the Treasury-pull study on stored levels and the term-premia study's split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.pull import PULL_ERAS
from ustpull.errors import DataError
from ustpull.studies import run_pull
from ustpull.studies.pull import PULL_STUDY_SERIES, eras_through


def _us_split(days: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    walk = np.cumsum(rng.normal(0.0, 0.04, size=(len(days), 2)), axis=0)
    return pd.DataFrame(
        walk + np.array([3.0, 1.0]), index=days, columns=["expected_rate", "term_premium"]
    )


def test_known_responses_daily_and_monthly_fallback() -> None:
    # truth: Bund yields move 0.6 bp per bp of the expected rate and 0.3 per bp of the term
    # premium, so per 10 bp 6 and 3 (plus small noise); the U.K. (monthly averages) 0.5 and 0.5
    rng = np.random.default_rng(7)
    days = pd.bdate_range("2000-01-03", "2012-12-31")
    split = _us_split(days, rng)
    de = 2.0 + 0.6 * split["expected_rate"] + 0.3 * split["term_premium"]
    de += np.cumsum(rng.normal(0.0, 0.002, len(days)))
    uk = (4.0 + 0.5 * split.sum(axis=1)).groupby(days.to_period("M")).mean()
    uk.index = uk.index.to_timestamp()  # OECD style: monthly averages dated on the first
    frame = pd.DataFrame({"de.govt.10y": de}).join(uk.rename("oecd.10y.gb"), how="outer")
    study = run_pull(frame, us_components=split)
    assert study.assets == ["de_10y", "uk_10y"]
    assert set(study.absent) == {"us_stocks", "dollar", "jp_10y", "ea_10y", "in_10y"}
    de_full = study.weekly.full_sample.loc["de_10y", "value"]
    assert de_full["expected_rate"] == pytest.approx(6.0, abs=0.1)
    assert de_full["term_premium"] == pytest.approx(3.0, abs=0.1)
    assert study.monthly is not None and study.monthly.frequency == "monthly_average"
    uk_full = study.results_for("uk_10y").full_sample.loc[("uk_10y", "total"), "value"]
    assert uk_full == pytest.approx(5.0, abs=0.05)
    assert set(study.rolling_table()["asset"]) == {"de_10y", "uk_10y"}
    with pytest.raises(KeyError, match="in_10y"):
        study.results_for("in_10y")


def test_no_asset_with_data_is_an_error_naming_the_series() -> None:
    days = pd.bdate_range("2020-01-01", periods=10)
    empty = pd.DataFrame(np.nan, index=days, columns=list(PULL_STUDY_SERIES))
    split = _us_split(days, np.random.default_rng(0))
    with pytest.raises(DataError, match=r"none of .*us\.sp500.* has data"):
        run_pull(empty, us_components=split)


def test_eras_as_of_a_date_end_there_and_are_named_after_their_data() -> None:
    """As of 2012-12-31 the 2008-2019 era has data to 2012 only: it is the 2008-2012 era (so
    no finding key names years after the date); whole eras and the full history keep theirs."""
    assert eras_through("2012-12-31")[2] == ("2008-2012", "2008-01-01", "2012-12-31")
    assert eras_through("2012-12-31")[:2] == PULL_ERAS[:2]
    assert eras_through("2019-12-31") == PULL_ERAS == eras_through(None)
    assert eras_through("2026-06-30") == PULL_ERAS
