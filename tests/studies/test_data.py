"""The one data route: AsOf (vintage and end), load_frame, and the CLI's --store/--as-of."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ustpull.cli.main import main
from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.local import load_frame as read_local
from ustpull.studies import AsOf, StudySettings, load_frame, load_study_frame, run_term_premia
from ustpull.studies.charts import term_premium_split_chart
from ustpull.studies.term_premia import linkage_series_ids

IDS = ["us.cmt.10y", "us.cmt.2y"]


def test_as_of_splits_into_vintage_and_end() -> None:
    when = AsOf.parse("2020-03-31T12:00:00+00:00")
    assert when == AsOf(vintage="2020-03-31T12:00:00+00:00", end="2020-03-31")
    assert AsOf.parse(None) == AsOf()
    with pytest.raises(DataError, match=r"--as-of '31/03/2020' is not a date"):
        AsOf.parse("31/03/2020")


@pytest.fixture(scope="module")
def store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("route") / "store.duckdb"
    load_frame(IDS, store=path, data_dir=shared_data)  # ingests the files that hold IDS
    return path


def test_end_cuts_observations_and_vintage_selects_what_the_store_knew(store: Path) -> None:
    full = load_frame(IDS, store=store)
    cut = load_frame(IDS, store=store, as_of=AsOf(end="2019-12-31"))
    assert cut.index.max() <= pd.Timestamp("2019-12-31") < full.index.max()
    pd.testing.assert_frame_equal(cut, full.loc[:"2019-12-31"])
    # nothing was ingested before 2000: real time takes each value as first ingested, and
    # no observation after the date (issue 16 point 7: a store ingested today serves 2000)
    early = load_frame(IDS, store=store, as_of="2000-01-01")
    assert early.index.max() == pd.Timestamp("1999-12-31")
    pd.testing.assert_frame_equal(early, full.loc[:"2000-01-01"])


def test_analysis_commands_take_store_and_as_of(
    store: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["events", "--store", str(store), "--series", "us.cmt.10y", "--json"]
    assert main([*args, "--episode", "taper-tantrum"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    # FRED DGS10 1.94 -> 2.73 over the taper tantrum (2013-05-21..07-05)
    assert changes[0]["change"] == pytest.approx(79.0)
    assert main([*args, "--episode", "hikes-2022", "--as-of", "2021-12-31"]) == 2
    assert "hikes-2022" in capsys.readouterr().err
    reference = read_local(IDS, shared_data)
    assert load_frame(IDS, store=store).loc["2013-05-21", "us.cmt.10y"] == pytest.approx(
        reference.loc["2013-05-21", "us.cmt.10y"]
    )


def test_a_study_frame_names_what_the_store_lacks(store: Path) -> None:
    """load_study_frame (the report's recipe for a command) on a store of two CMT yields:
    the stocks study's missing columns are named, and so is a study that does not exist
    (the route that fills a column, French before the S&P 500, is in
    tests/report/test_stocks_cli_agrees.py)."""
    with pytest.raises(SeriesNotFoundError, match=r"stocks: required series missing.*us\.sp500"):
        load_study_frame("stocks", store=store)
    with pytest.raises(SeriesNotFoundError, match=r"no study 'bonds'; the studies are"):
        load_study_frame("bonds", store=store)


class _Counting(Executor):
    """Runs each task in a thread and counts them (does the executor reach the study?)."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.tasks = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.tasks += 1
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_the_executor_reaches_the_term_premia_and_changes_no_bit(shared_data: Path) -> None:
    settings = StudySettings(linkage_countries=("US", "EA"), term_premium_replications=50)
    data = read_local(linkage_series_ids(settings.linkage_countries), shared_data)
    serial = run_term_premia(data, settings, bias_corrected=False)
    counting = _Counting()
    with counting:
        parallel = run_term_premia(data, settings, executor=counting, bias_corrected=False)
    assert counting.tasks >= 2  # the countries (and the bootstrap) went through it
    assert list(parallel.decompositions) == ["us", "ea"]
    for code, frame in serial.decompositions.items():
        pd.testing.assert_frame_equal(parallel.decompositions[code], frame, check_exact=True)
    assert parallel.gaps == serial.gaps == ()
    # the study's plot() is the report's chart (one definition)
    assert serial.us_monthly is not None
    chart = term_premium_split_chart(serial.us_monthly, 50)
    assert "band: residual block bootstrap (50 replications)" in chart.note
    drawn = serial.plot().axes[0]
    assert drawn.get_title() == chart.title
    assert [line.get_label() for line in drawn.get_lines()][:3] == list(chart.data.columns[:3])
