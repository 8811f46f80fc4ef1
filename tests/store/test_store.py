"""The versioned DuckDB store: transactions, vintages, rejections, locking.

Reference values are synthetic batches with known contents (tests/store/batches.py); every
expected number below is the value that was put in.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.store.batches import batch
from ustpull.errors import (
    DataError,
    IngestError,
    SeriesNotFoundError,
    StoreLockedError,
    UstpullError,
)
from ustpull.sources.base import ParsedBatch
from ustpull.store import Store, _store
from ustpull.store._schema import TABLES
from ustpull.store._store import latest_grid

FIRST = {
    "t.a": [("2020-01-02", 1.5), ("2020-01-03", 1.25), ("2020-01-06", 1.0)],
    "t.b": [("2020-01-03", 7.0), ("2020-01-06", 8.0)],
}
REVISED = {"t.a": [("2020-01-02", 1.5), ("2020-01-03", 1.75), ("2020-01-06", 1.0)]}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.duckdb", lock_timeout=1.0)


def _snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Full, ordered contents of every table."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in TABLES
        }


def _count(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        ((count,),) = connection.execute(f"SELECT count(*) FROM {table}").fetchall()
    return int(count)


def test_frame_returns_what_was_ingested(store: Store) -> None:
    report = store.ingest([batch(FIRST)])
    assert report.rows_new == 5
    assert report.rows_rejected == 0
    wide = store.frame(["t.b", "t.a"])
    assert list(wide.columns) == ["t.b", "t.a"]
    assert wide.index.name == "date"
    assert isinstance(wide.index, pd.DatetimeIndex)
    assert wide.index.is_monotonic_increasing and wide.index.is_unique
    assert (wide.dtypes == "float64").all()
    expected_a = [1.5, 1.25, 1.0]
    np.testing.assert_array_equal(wide["t.a"].to_numpy(), expected_a)
    np.testing.assert_array_equal(wide["t.b"].to_numpy(), [np.nan, 7.0, 8.0])
    window = store.frame(["t.a"], start="2020-01-03", end="2020-01-03")
    assert window["t.a"].tolist() == [1.25]
    single = store.series("t.b")
    assert single.name == "t.b"
    assert single.index[0] == pd.Timestamp("2020-01-03")


def test_reingest_identical_data_adds_no_rows(store: Store) -> None:
    store.ingest([batch(FIRST)])
    before = _count(store.path, "observations")
    again = store.ingest([batch(FIRST)])
    assert again.rows_new == 0
    assert again.log["rows_accepted"].tolist() == [5]
    assert _count(store.path, "observations") == before == 5
    log = store.ingest_log()
    assert log["rows_new"].tolist() == [5, 0]
    assert log["ingest_id"].tolist() == [1, 2]


def test_revision_keeps_both_vintages_and_as_of_returns_the_old_value(store: Store) -> None:
    store.ingest([batch(FIRST)])
    first_recorded = store.ingest_log()["recorded_at"].iloc[0]
    time.sleep(0.01)
    revised = store.ingest([batch(REVISED, origin="revised.csv")])
    assert revised.rows_new == 1  # only 2020-01-03 changed
    assert store.series("t.a").loc["2020-01-03"] == 1.75
    assert store.series("t.a", as_of=first_recorded).loc["2020-01-03"] == 1.25
    history = store.vintages("t.a")
    on_day = history[history["date"] == pd.Timestamp("2020-01-03")]
    assert on_day["value"].tolist() == [1.25, 1.75]
    assert on_day["revision"].tolist() == [False, True]
    assert on_day["origin"].tolist() == ["synthetic.csv", "revised.csv"]
    # a bare date means the end of that (UTC) day: both ingests happened today
    today = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")
    assert store.series("t.a", as_of=today).loc["2020-01-03"] == 1.75
    before_any = store.frame(["t.a"], as_of="2000-01-01")
    assert before_any.empty and list(before_any.columns) == ["t.a"]


@pytest.mark.parametrize(
    "step", ["_write_series", "_write_observations", "_write_rejections", "_write_log"]
)
def test_failure_inside_the_transaction_leaves_the_store_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    store.ingest([batch(FIRST)])
    before = _snapshot(store.path)
    original: Callable[..., Any] = getattr(_store, step)

    def write_then_fail(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)  # the write happens, then the ingest dies
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(_store, step, write_then_fail)
    revised_and_new = {**REVISED, "t.c": [("2021-05-05", 3.0)]}
    rejected = pd.DataFrame(
        {"series_id": ["t.c"], "date": [pd.NaT], "raw": ["x"], "reason": ["bad"]}
    )
    with pytest.raises(IngestError, match="store unchanged: disk on fire"):
        store.ingest([batch(revised_and_new, rejections=rejected)])
    assert _snapshot(store.path) == before


def test_rejections_are_counted_and_logged(store: Store) -> None:
    parser_rejections = pd.DataFrame(
        {
            "series_id": ["t.a"],
            "date": [pd.Timestamp("2020-01-07")],
            "raw": ["n/a*"],
            "reason": ["non-numeric value in column 'A'"],
        }
    )
    good = batch(FIRST, rejections=parser_rejections)
    broken = pd.DataFrame(
        {
            "series_id": ["t.a", "t.a", "t.b", "t.zzz", "t.b", "t.b"],
            "date": pd.to_datetime(
                ["2020-01-08", "2020-01-02", "NaT", "2020-01-08", "2020-01-09", "2020-01-09"]
            ),
            "value": [np.inf, 9.0, 1.0, 2.0, np.nan, 6.5],
        }
    )
    observations = pd.concat([good.observations, broken], ignore_index=True)
    offered = ParsedBatch(
        good.source, good.origin, good.sha256, observations, good.rejections, good.series
    )
    report = store.ingest([offered])
    assert report.rows_received == 11
    assert report.rows_new == 6
    assert report.rows_rejected == 6
    assert store.ingest_log()["rows_rejected"].tolist() == [6]
    reasons = store.rejections(ingest_id=1).set_index("raw")["reason"]
    assert reasons["nan"] == "non-finite value"
    assert reasons["n/a*"] == "non-numeric value in column 'A'"
    assert reasons["inf"] == "non-finite value"
    assert reasons["9.0"].startswith("duplicate (series_id, date)")
    assert reasons["1.0"] == "missing or unparseable date"
    assert reasons["2.0"] == "series has no metadata in the batch or the store"
    # the first valid copy of a repeated key was kept
    assert store.series("t.a").loc["2020-01-02"] == 1.5
    assert store.series("t.b").loc["2020-01-09"] == 6.5


def test_malformed_batch_raises_data_error_and_writes_nothing(store: Store) -> None:
    good = batch(FIRST)
    malformed = ParsedBatch(
        good.source,
        good.origin,
        good.sha256,
        good.observations.drop(columns="value"),
        good.rejections,
        good.series,
    )
    expected = r"synthetic\.csv: observations lack column\(s\) \['value'\]"
    with pytest.raises(DataError, match=expected):
        store.ingest([good, malformed])
    assert store.ingest_log().empty


@pytest.mark.parametrize("method", ["frame", "series", "vintages"])
def test_unknown_series_names_the_id(store: Store, method: str) -> None:
    store.ingest([batch(FIRST)])
    ids: Any = ["t.a", "no.such.series"] if method == "frame" else "no.such.series"
    with pytest.raises(SeriesNotFoundError, match=r"no\.such\.series") as caught:
        getattr(store, method)(ids)
    assert "t.a" not in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2020-13-01"}, "start='2020-13-01' is not a date"),
        ({"as_of": "yesterday-ish"}, "as_of='yesterday-ish' is not a date"),
        ({"start": "2020-02-01", "end": "2020-01-01"}, "start 2020-02-01 is after end 2020-01-01"),
    ],
)
def test_bad_dates_are_named(store: Store, kwargs: dict[str, str], message: str) -> None:
    store.ingest([batch(FIRST)])
    with pytest.raises(DataError, match=message):
        store.frame(["t.a"], **kwargs)


def test_list_series_has_metadata_and_span(store: Store) -> None:
    store.ingest([batch(FIRST)])
    store.ingest([batch(REVISED)])
    listing = store.list_series()
    assert listing.index.tolist() == ["t.a", "t.b"]
    row = listing.loc["t.a"]
    assert row["first"] == pd.Timestamp("2020-01-02")
    assert row["last"] == pd.Timestamp("2020-01-06")
    assert row["count"] == 3  # the revision adds a vintage, not a date
    assert row["compounding"] == "continuous"
    assert row["attributes"] == '{"tenor": "10y"}'


def test_read_only_store(tmp_path: Path) -> None:
    missing = Store(tmp_path / "absent.duckdb", read_only=True)
    with pytest.raises(DataError, match=r"no store at .*absent\.duckdb"):
        missing.frame(["t.a"])
    assert missing.list_series().empty
    writable = Store(tmp_path / "s.duckdb")
    writable.ingest([batch(FIRST)])
    reader = Store(tmp_path / "s.duckdb", read_only=True)
    assert reader.series("t.b").tolist() == [7.0, 8.0]
    with pytest.raises(UstpullError, match="read-only; cannot ingest"):
        reader.ingest([batch(FIRST)])


# ---------------------------------------------------------------- processes
def _hold_lock(path: str, ready: Any, release: Any) -> None:
    with Store(path):
        ready.set()
        release.wait(30)


def _ingest_in_child(path: str, series_id: str, lock_timeout: float, queue: Any) -> None:
    points = [(f"2020-01-{day:02d}", float(day)) for day in range(1, 29)]
    try:
        Store(path, lock_timeout=lock_timeout).ingest([batch({series_id: points})])
        queue.put((series_id, "ok"))
    except StoreLockedError as exc:
        queue.put((series_id, f"locked: {exc}"))


@pytest.fixture
def spawn() -> Any:
    return multiprocessing.get_context("spawn")


def test_locked_store_fails_clearly_within_the_timeout(store: Store, spawn: Any) -> None:
    store.ingest([batch(FIRST)])
    ready, release = spawn.Event(), spawn.Event()
    holder = spawn.Process(target=_hold_lock, args=(str(store.path), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        waiting = Store(store.path, lock_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(StoreLockedError) as caught:
            waiting.ingest([batch(REVISED)])
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join(60)
    assert 0.3 <= elapsed < 3.0  # the timeout plus one failed connect, even on a busy machine
    message = str(caught.value)
    assert str(store.path) in message
    assert f"process {holder.pid}" in message
    assert "waited 0.3 s" in message
    # once released, the data are intact and writable again
    assert store.series("t.a").tolist() == [1.5, 1.25, 1.0]
    assert store.ingest([batch(REVISED)]).rows_new == 1


def test_two_writers_at_once_both_land_intact(store: Store, spawn: Any) -> None:
    queue = spawn.Queue()
    writers = [
        spawn.Process(target=_ingest_in_child, args=(str(store.path), sid, 60.0, queue))
        for sid in ("p.one", "p.two")
    ]
    for writer in writers:
        writer.start()
    outcomes = dict(queue.get(timeout=120) for _ in writers)
    for writer in writers:
        writer.join(60)
    assert outcomes == {"p.one": "ok", "p.two": "ok"}
    wide = store.frame(["p.one", "p.two"])
    assert len(wide) == 28
    np.testing.assert_array_equal(wide["p.one"].to_numpy(), np.arange(1.0, 29.0))
    np.testing.assert_array_equal(wide["p.two"].to_numpy(), np.arange(1.0, 29.0))
    assert store.ingest_log()["rows_new"].tolist() == [28, 28]


def test_while_locked_an_impatient_writer_fails_and_a_patient_one_waits(
    store: Store, spawn: Any
) -> None:
    store.ingest([batch(FIRST)])
    ready, release = spawn.Event(), spawn.Event()
    holder = spawn.Process(target=_hold_lock, args=(str(store.path), ready, release))
    holder.start()
    queue = spawn.Queue()
    writers = {
        series_id: spawn.Process(
            target=_ingest_in_child, args=(str(store.path), series_id, timeout, queue)
        )
        for series_id, timeout in (("p.late", 0.2), ("p.patient", 60.0))
    }
    try:
        assert ready.wait(60)
        for writer in writers.values():
            writer.start()
        first_id, first_outcome = queue.get(timeout=120)  # only the impatient one can finish
    finally:
        release.set()
        holder.join(60)
    second_id, second_outcome = queue.get(timeout=120)
    for writer in writers.values():
        writer.join(60)
    assert first_id == "p.late"
    assert first_outcome.startswith("locked: store ")
    assert (second_id, second_outcome) == ("p.patient", "ok")
    with pytest.raises(SeriesNotFoundError, match=r"p\.late"):
        store.frame(["p.late"])
    assert store.series("p.patient").tolist() == [float(day) for day in range(1, 29)]
    assert store.series("t.a").tolist() == [1.5, 1.25, 1.0]
    # the writer that gave up left no trace; the patient one is logged after the first ingest
    assert store.ingest_log()["rows_new"].tolist() == [5, 28]
    assert store.list_series().index.tolist() == ["p.patient", "t.a", "t.b"]


# ------------------------------------------------------------- latest_grid
def test_latest_grid_keeps_the_highest_vintage_per_cell() -> None:
    days = np.array(["2020-01-03", "2020-01-02", "2020-01-03", "2020-01-03"], "datetime64[us]")
    dates, grid = latest_grid(
        columns=np.array([0, 1, 0, 1]),
        dates=days,
        values=np.array([1.0, 2.0, 3.0, 4.0]),
        vintages=np.array([7, 1, 5, 2]),
        n_columns=3,
    )
    assert dates.tolist() == np.array(["2020-01-02", "2020-01-03"], "datetime64[us]").tolist()
    np.testing.assert_array_equal(grid, [[np.nan, 2.0, np.nan], [1.0, 4.0, np.nan]])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 9), st.integers(0, 50)),
        min_size=1,
        max_size=60,
        unique_by=lambda row: (row[0], row[1], row[2]),
    )
)
def test_latest_grid_matches_a_pandas_reference(rows: list[tuple[int, int, int]]) -> None:
    columns, day_numbers, vintages = (np.array(part) for part in zip(*rows, strict=True))
    days = np.datetime64("2020-01-01", "us") + day_numbers.astype("timedelta64[D]")
    values = np.arange(len(rows), dtype=float)  # distinct, so the chosen row is identifiable
    dates, grid = latest_grid(columns, days, values, vintages, 4)
    long = pd.DataFrame({"column": columns, "date": days, "value": values, "vintage": vintages})
    latest = long.loc[long.groupby(["column", "date"])["vintage"].idxmax()]
    reference = latest.pivot(index="date", columns="column", values="value").reindex(
        columns=range(4)
    )
    np.testing.assert_array_equal(dates, reference.index.to_numpy())
    np.testing.assert_array_equal(grid, reference.to_numpy())


def test_store_written_by_another_layout_is_refused_clearly(tmp_path: Path) -> None:
    import duckdb

    from ustpull.errors import UstpullError

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as connection:  # an earlier layout without `revision`
        connection.execute(
            "CREATE TABLE observations (series_id VARCHAR, date DATE, value DOUBLE, "
            "ingest_id BIGINT)"
        )
    with pytest.raises(UstpullError, match=r"incompatible layout .*'revision'"):
        Store(path).list_series()


def test_connections_never_install_or_load_extensions(store: Store) -> None:
    settings = store._query(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        "('autoinstall_known_extensions', 'autoload_known_extensions') ORDER BY name"
    )
    assert settings.values.tolist() == [
        ["autoinstall_known_extensions", "false"],
        ["autoload_known_extensions", "false"],
    ]
