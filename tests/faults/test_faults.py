"""Fault suite: broken files, flaky servers, crashes and careless input never let a wrong
value into the store, never lose committed data, and end with a clear line and exit code.

One parametrised case per fault of issue 13. Each case starts from the committed baseline
of :mod:`tests.faults._lab`, breaks one thing, runs the CLI and asserts the exit code, the
message and the store's contents afterwards. Exit codes: 0 ok, 2 bad input (nothing of the
file stored), 3 partial (good rows committed, bad rows rejected with a reason; or a run
stopped by a full disk or Ctrl-C), 4 publisher unreachable.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.faults._lab import Lab, fred_text, make_lab, start_child
from tests.sources._server import LocalServer, Reply
from ustpull.cli.main import main
from ustpull.store import Store

Case = Callable[[Lab], None]
CASES: dict[str, Case] = {}


def case(name: str) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        CASES[name] = function
        return function

    return register


def _with_cell(lab: Lab, date: str, dgs10: str) -> str:
    """The baseline plus one appended row whose DGS10 cell is ``dgs10``."""
    rows = pd.concat(
        [lab.baseline, pd.DataFrame({"DATE": [date], "DGS10": [dgs10], "DGS2": ["4.00"]})],
        ignore_index=True,
    )
    return fred_text(rows)


def _one_rejected_row(lab: Lab, date: str, cell: str, reason: str, *, cells: int = 1) -> None:
    """Shared by the single-bad-row cases: exit 3, the bad cells rejected, the rest committed."""
    lab.write(_with_cell(lab, date, cell))
    run = lab.ingest()
    assert run.code == 3, run.err
    assert f"{cells} row(s) rejected" in run.err and reason in run.err
    rejected = lab.rejections()
    assert len(rejected) == cells
    raw = rejected.loc[rejected["series_id"] == "us.cmt.10y", "raw"].tolist()
    assert raw == [cell] or [float(r) for r in raw] == [float(cell)]
    assert reason in rejected["reason"].iloc[0]
    if cells == 1:  # the good DGS2 cell of that row is kept, the bad DGS10 one is not
        assert np.isnan(lab.frame().loc[pd.Timestamp(date), "us.cmt.10y"])
        lab.assert_baseline_intact(extra_dates=1)
    else:
        lab.assert_baseline_intact()


# ------------------------------------------------------------------ numbers
@case("decimal comma in a '.' file")
def _decimal_comma(lab: Lab) -> None:
    text = fred_text(lab.baseline)
    last = lab.baseline.iloc[-1]
    text = text.replace(f"{last.DATE},{last.DGS10},", f'{last.DATE},"4,6",')
    lab.write(text)
    run = lab.ingest()
    assert run.code == 3
    assert "line 251, column 'DGS10': not a complete finite number" in run.err
    assert lab.rejections()["raw"].tolist() == ["4,6"]
    assert 46.0 not in lab.frame().to_numpy()
    lab.assert_baseline_intact()


@case("decimal comma in a ';' file")
def _decimal_comma_semicolon(lab: Lab) -> None:
    entry = (
        '[[entry]]\nname = "eu"\nfile = "eu.csv"\ndelimiter = ";"\ndate_column = "Date"\n'
        'units = "percent"\nfrequency = "daily"\ncolumns = { A = { id = "my.eu", title = "EU" } }\n'
    )
    lab.write(entry, "eu.toml")
    lab.write("Date;A\n2024-01-02;4,46\n2024-01-03;4,51\n", "eu.csv")
    run = lab.ingest(catalog="eu.toml")
    assert run.code == 2  # every row rejected: nothing usable in the file
    assert "not a complete finite number with decimal '.'" in run.err
    assert Store(lab.store, read_only=True).list_series().loc["my.eu", "count"] == 0
    lab.write(entry.replace('delimiter = ";"', 'delimiter = ";"\ndecimal = ","'), "eu.toml")
    assert lab.ingest(catalog="eu.toml").code == 0
    assert Store(lab.store, read_only=True).series("my.eu").tolist() == [4.46, 4.51]
    lab.assert_baseline_intact()


@case("truncated last value")
def _truncated_last_value(lab: Lab) -> None:
    text = fred_text(lab.baseline) + "2026-07-01,4."
    lab.write(text)
    run = lab.ingest()
    assert run.code == 2
    assert "truncated: line 252 ends without a newline ('2026-07-01,4.')" in run.err
    lab.assert_baseline_intact()
    assert lab.log_length() == 1


@case("basis points in one cell")
def _basis_point_cell(lab: Lab) -> None:
    _one_rejected_row(lab, lab.fresh.iloc[0].DATE, "460", "outside the valid range [-5, 30]")


@case("whole file in basis points")
def _basis_point_file(lab: Lab) -> None:
    rows = lab.baseline.copy()
    for column in ("DGS10", "DGS2"):
        rows[column] = (rows[column].astype(float) * 100).round(2).astype(str)
    lab.write(fred_text(rows))
    run = lab.ingest()
    assert run.code == 2
    assert "column looks like basis points" in run.err and "not rescaled" in run.err
    assert len(lab.rejections()) == 500
    lab.assert_baseline_intact()


@case("whole file in decimals")
def _decimal_file(lab: Lab) -> None:
    rows = lab.baseline.copy()
    for column in ("DGS10", "DGS2"):
        rows[column] = (rows[column].astype(float) / 100).round(6).astype(str)
    lab.write(fred_text(rows))
    run = lab.ingest()
    assert run.code == 2
    assert "column looks like decimals where percent is expected" in run.err
    lab.assert_baseline_intact()


@case("1e308")
def _huge(lab: Lab) -> None:
    _one_rejected_row(lab, lab.fresh.iloc[0].DATE, "1e308", "outside the valid range")


@case("inf")
def _inf(lab: Lab) -> None:
    _one_rejected_row(lab, lab.fresh.iloc[0].DATE, "inf", "not a complete finite number")


@case("far-future date")
def _far_future(lab: Lab) -> None:
    _one_rejected_row(lab, "9999-12-01", "4.20", "date after today", cells=2)


@case("date after today")
def _after_today(lab: Lab) -> None:
    _one_rejected_row(lab, "2099-12-01", "4.20", "date after today", cells=2)


@case("pre-history date")
def _pre_history(lab: Lab) -> None:
    rows = pd.concat(
        [pd.DataFrame({"DATE": ["1700-01-04"], "DGS10": ["4.20"], "DGS2": ["4.00"]}), lab.baseline],
        ignore_index=True,
    )
    lab.write(fred_text(rows))
    run = lab.ingest()
    assert run.code == 3
    assert "before the first possible date 1790-01-01" in run.err
    assert len(lab.rejections()) == 2  # both cells of the row
    lab.assert_baseline_intact()


@case("duplicate dates, different values")
def _duplicate_dates(lab: Lab) -> None:
    last = lab.baseline.iloc[-1]
    lab.write(fred_text(lab.baseline) + f"{last.DATE},9.99,{last.DGS2}\n")
    run = lab.ingest()
    assert run.code == 2
    assert f"duplicate dates in payload: {last.DATE}" in run.err
    lab.assert_baseline_intact()


# ------------------------------------------------------------------ revisions
@case("revision storm")
def _revision_storm(lab: Lab) -> None:
    rows = lab.baseline.copy()
    rows["DGS10"] = (rows["DGS10"].astype(float) + 0.25).round(2).astype(str)
    lab.write(fred_text(rows))
    run = lab.ingest()
    assert run.code == 2
    assert "us.cmt.10y would revise 250 of 250 stored values" in run.err
    assert "--accept-revisions" in run.err
    lab.assert_baseline_intact()
    accepted = lab.ingest("--accept-revisions")
    assert accepted.code == 0
    listing = lab.cli("series", "revisions", "us.cmt.10y")
    assert listing.code == 0 and "250 accepted revision(s)" in listing.out
    assert Store(lab.store, read_only=True).revisions("us.cmt.10y")["old_value"].tolist() == (
        lab.baseline["DGS10"].astype(float).tolist()
    )


@case("shortened history")
def _shortened(lab: Lab) -> None:
    lab.write(fred_text(lab.baseline.iloc[:125]))
    run = lab.ingest()
    assert run.code == 2 and "(truncated?)" in run.err
    lab.assert_baseline_intact()


# ------------------------------------------------------------------ crashes and disks
@case("kill -9 mid-ingest")
def _kill_9(lab: Lab) -> None:
    lab.write(fred_text(lab.rows))  # 20 new dates, killed inside the transaction
    child = start_child(lab)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)  # reaps the process and closes its pipes
    assert child.returncode == -signal.SIGKILL
    lab.assert_baseline_intact()
    assert lab.log_length() == 1
    assert lab.ingest().code == 0  # the store is writable again and takes the new rows
    lab.assert_baseline_intact(extra_dates=20)


@case("Ctrl-C mid-ingest")
def _ctrl_c(lab: Lab) -> None:
    lab.write(fred_text(lab.rows))
    child = start_child(lab)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 3, err
    assert "interrupted (Ctrl-C)" in err and "store unchanged" in err
    assert "cannot rollback" not in err
    lab.assert_baseline_intact()
    assert lab.log_length() == 1


@case("full disk")
def _full_disk(lab: Lab) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root (CI runs as root)")
    disk = lab.root / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        shutil.copy(lab.store, disk / "store.duckdb")
        lab.store = disk / "store.duckdb"  # the database and its WAL on the small disk
        filler = disk / "filler"
        handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):  # fill the disk to the last byte
            while os.write(handle, b"\0" * 4096):
                pass
        os.close(handle)
        lab.write(fred_text(lab.rows))
        run = lab.ingest()
        assert run.code == 3, run.err
        assert "No space left on device" in run.err or "space" in run.err.lower()
        assert "cannot rollback" not in run.err
        filler.unlink()
        lab.assert_baseline_intact()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


# ------------------------------------------------------------------ servers
def _online(lab: Lab, server: LocalServer, *args: str) -> tuple[int, str, float]:
    os.environ["USTPULL_GSW_BASE_URL"] = server.url
    try:
        started = time.perf_counter()
        run = lab.cli("ingest", "--source", "gsw", *args)
        return run.code, run.err, time.perf_counter() - started
    finally:
        del os.environ["USTPULL_GSW_BASE_URL"]


def _feds200628(shared_data: Path) -> bytes:
    notes = "Note: generated from the shared data for a test\n" * 9
    return (
        notes + (shared_data / "gsw" / "feds200628_all_columns_2022_2025.csv").read_text()
    ).encode()


@case("truncated body, matching Content-Length")
def _truncated_body(lab: Lab) -> None:
    payload = _feds200628(lab.shared)
    with LocalServer() as server:
        server.route(
            "/data/yield-curve-tables/feds200628.csv", Reply(body=payload[: len(payload) // 2])
        )
        code, err, _ = _online(lab, server, "--attempts", "1")
    assert code == 2 and "truncated: line" in err and "refused whole" in err
    assert not any(
        s.startswith("us.gsw") for s in Store(lab.store, read_only=True).list_series().index
    )
    lab.assert_baseline_intact()


@case("body shorter than Content-Length")
def _short_body(lab: Lab) -> None:
    payload = _feds200628(lab.shared)
    with LocalServer() as server:
        server.route(
            "/data/yield-curve-tables/feds200628.csv", Reply(body=payload, truncate_to=5000)
        )
        code, err, _ = _online(lab, server, "--attempts", "1")
    assert code == 4 and "truncated" in err
    lab.assert_baseline_intact()


@case("drip-feeding server")
def _drip(lab: Lab) -> None:
    with LocalServer() as server:
        server.route("/data/yield-curve-tables/feds200628.csv", Reply(body=b"x" * 1000, drip=0.2))
        code, err, elapsed = _online(lab, server, "--timeout", "1.5", "--attempts", "1")
    assert code == 4 and "deadline passed" in err
    assert elapsed < 6.0
    lab.assert_baseline_intact()


@case("silent server")
def _silent(lab: Lab) -> None:
    with LocalServer() as server:
        server.route("/data/yield-curve-tables/feds200628.csv", Reply(body=b"x", delay=20.0))
        code, err, elapsed = _online(lab, server, "--timeout", "1.5")
    assert code == 4 and ("deadline passed" in err or "timed out" in err)
    assert elapsed < 6.0
    lab.assert_baseline_intact()


# ------------------------------------------------------------------ outputs and files
@case("stale report files")
def _stale_report(lab: Lab) -> None:
    out = lab.root / "report"
    (out / "data").mkdir(parents=True)
    (out / "index.html").write_text("old report")
    (out / "data" / "stale_chart.csv").write_text("x\n1\n")
    args = ("report", "--no-ingest", "--allow-partial", "--no-png", "--quiet", "--out", str(out))
    run = lab.cli(*args)
    assert run.code == 3, run.err  # gaps: most series are missing from this store
    assert "gap:" in run.err
    assert not (out / "data" / "stale_chart.csv").exists()
    html = (out / "index.html").read_text()
    shared = html + (out / "findings.json").read_text()
    assert str(lab.root) not in shared and str(Path.home()) + "/" not in shared
    assert not [p for p in lab.root.iterdir() if p.name.startswith(".report.")]
    lab.assert_baseline_intact()


@case("markup in titles")
def _markup(lab: Lab) -> None:
    title = "Rates [/bold] and [red]spreads"
    lab.write(
        '[[entry]]\nname = "m"\nfile = "m.csv"\ndate_column = "Date"\nunits = "percent"\n'
        f'frequency = "daily"\ncolumns = {{ A = {{ id = "my.m", title = "{title}" }} }}\n',
        "m.toml",
    )
    lab.write("Date,A\n2024-01-02,4.46\n", "m.csv")
    assert lab.ingest(catalog="m.toml").code == 0
    listing = lab.cli("series", "list")
    assert listing.code == 0 and title in listing.out
    lab.capsys.readouterr()
    assert main(["termpremium", "--help"]) == 0
    assert "ustpull[dask]" in " ".join(lab.capsys.readouterr().out.split())
    lab.assert_baseline_intact()


@case("foreign DuckDB file")
def _foreign_duckdb(lab: Lab) -> None:
    other = lab.root / "crm.duckdb"
    with duckdb.connect(str(other)) as connection:
        connection.execute(
            "CREATE TABLE customers (name VARCHAR); INSERT INTO customers VALUES ('a')"
        )
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    lab.capsys.readouterr()
    code = main(
        [
            "ingest",
            "--data-dir",
            str(lab.folder),
            "--catalog",
            str(lab.folder / "catalog.toml"),
            "--store",
            str(other),
        ]
    )
    err = lab.capsys.readouterr().err
    assert code == 2 and "not a ustpull store (tables ['customers'])" in err
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    lab.assert_baseline_intact()


@case("SQLite file as store")
def _sqlite(lab: Lab) -> None:
    other = lab.root / "app.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    lab.capsys.readouterr()
    code = main(["series", "list", "--store", str(other)])
    err = lab.capsys.readouterr().err
    assert code == 2 and "not a ustpull store (an SQLite database)" in err
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    lab.assert_baseline_intact()


@pytest.mark.parametrize("name", list(CASES))
def test_fault(
    name: str, tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = make_lab(tmp_path, shared_data, capsys)
    CASES[name](lab)
