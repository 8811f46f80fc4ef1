"""``ustpull ingest`` and ``ustpull series list/show``: real shared data, exit codes, JSON.

Reference values: FRED DGS10 (``fred/ust_cmt_daily.csv``) is 1.66 % on 2013-05-01 and
2.70 % on 2013-07-10; from the first to the last of those dates the file has 49 rows with a
DGS10 value (the test counts them from the file itself). Column spans per the shared-data MANIFEST:
DGS10 1962-01-02 .. 2026-08-20.
"""

from __future__ import annotations

import csv
import json
import socket
from pathlib import Path

import pytest

from tests.sources._payloads import fred_csv_payload
from tests.sources._server import LocalServer, Reply
from ustpull.cli.main import main
from ustpull.sources.fred import FRED_TO_SERIES
from ustpull.sources.online import FRED_GRAPH_PATH
from ustpull.store import Store


@pytest.fixture(scope="module")
def real_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole shared-data catalog ingested once through the CLI."""
    path = tmp_path_factory.mktemp("real") / "store.duckdb"
    assert main(["ingest", "--data-dir", str(shared_data), "--store", str(path)]) == 0
    return path


def _dgs10_rows(shared_data: Path, start: str, end: str) -> list[tuple[str, float]]:
    """DGS10 straight from the FRED file (independent of ustpull's parsers)."""
    with (shared_data / "fred" / "ust_cmt_daily.csv").open(newline="") as handle:
        return [
            (row["DATE"], float(row["DGS10"]))
            for row in csv.DictReader(handle)
            if start <= row["DATE"] <= end and row["DGS10"] not in ("", ".")
        ]


def test_ingest_real_data_then_list(real_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["series", "list", "--store", str(real_store), "--json"]) == 0
    listing = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    ten_year = listing["us.cmt.10y"]
    assert ten_year["first"] == "1962-01-02"
    assert ten_year["last"] == "2026-08-20"
    assert ten_year["units"] == "percent"
    assert "us.gsw.zero.30y" in listing and "fx.jpy_per_usd" in listing
    assert main(["series", "list", "--store", str(real_store)]) == 0
    table = capsys.readouterr().out
    assert "us.cmt.10y" in table and "1962-01-02" in table


def test_series_show_known_value(
    real_store: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _dgs10_rows(shared_data, "2013-05-01", "2013-07-10")
    assert expected[0] == ("2013-05-01", 1.66) and expected[-1] == ("2013-07-10", 2.7)
    capsys.readouterr()
    args = ["series", "show", "us.cmt.10y", "--start", "2013-05-01", "--end", "2013-07-10"]
    assert main([*args, "--store", str(real_store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("# us.cmt.10y: ")
    assert lines[1] == "date\tvalue"
    assert lines[2] == "2013-05-01\t1.66"
    assert lines[-1] == "2013-07-10\t2.7"
    assert len(lines) - 2 == len(expected) == 49
    assert main([*args, "--store", str(real_store), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["units"] == "percent"
    assert list(zip(payload["dates"], payload["values"], strict=True)) == expected


def test_series_show_as_of_before_the_ingest_is_empty(
    real_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["series", "show", "us.cmt.10y", "--as-of", "2001-01-01", "--json"]
    assert main([*args, "--store", str(real_store)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["as_of"] == "2001-01-01"
    assert payload["dates"] == [] and payload["values"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["series", "show", "us.cmt.11y"], "us.cmt.11y"),
        (["series", "show", "us.cmt.10y", "--start", "2013-13-01"], "--start: '2013-13-01'"),
        (["series", "show", "us.cmt.10y", "--as-of", "soon"], "--as-of: 'soon' is not a date"),
        (["ingest", "--catalog", "x.toml"], "--catalog needs --data-dir"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    real_store: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    capsys.readouterr()
    assert main([*args, "--store", str(real_store)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("ustpull: error: ") and err.count("\n") == 1


# ------------------------------------------------------- synthetic catalog
CATALOG = """
[[entry]]
name = "alpha"
file = "alpha.csv"
date_column = "Date"
units = "percent"
frequency = "daily"
columns = {{ A = {{ id = "my.alpha", title = "Alpha yield" }} }}

[[entry]]
name = "beta"
file = "beta.csv"
date_column = "Date"
units = "index"
frequency = "daily"
columns = {{ B = {{ id = "my.beta", title = "Beta index" }} }}
{extra}
"""
BROKEN = """
[[entry]]
name = "broken"
file = "broken.csv"
date_column = "Date"
units = "percent"
frequency = "daily"
columns = { C = { id = "my.broken", title = "Broken" } }
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "alpha.csv").write_text("Date,A\n2024-01-02,4.25\n2024-01-03,4.5\n2024-01-04,n/a\n")
    (data / "beta.csv").write_text("Date,B\n2024-01-02,100\n2024-01-03,101.5\n")
    (data / "broken.csv").write_text("Date,X\n2024-01-02,1\n")  # the mapped column C is absent
    return data


def _catalog(folder: Path, *, broken: bool) -> Path:
    path = folder / "catalog.toml"
    path.write_text(CATALOG.format(extra=BROKEN if broken else ""))
    return path


def test_partial_ingest_exits_3_and_commits_the_rest(
    folder: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = _catalog(folder, broken=True)
    code = main(["ingest", "--data-dir", str(folder), "--catalog", str(catalog), "--json"])
    assert code == 3
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "partial"
    outcomes = {item["name"]: item["outcome"] for item in summary["items"]}
    assert outcomes == {"alpha": "ingested", "beta": "ingested", "broken": "invalid"}
    assert summary["rows_new"] == 4
    assert summary["rows_rejected"] == 1  # alpha's "n/a" on 2024-01-04
    broken = next(item for item in summary["items"] if item["name"] == "broken")
    assert "'C'" in broken["message"]
    store = Store(tmp_store, read_only=True)  # USTPULL_STORE points here
    assert store.series("my.alpha").tolist() == [4.25, 4.5]
    assert store.series("my.beta").tolist() == [100.0, 101.5]
    assert store.rejections()["raw"].tolist() == ["n/a"]


def test_reingest_and_as_of_through_the_cli(
    folder: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = _catalog(folder, broken=False)
    ingest = ["ingest", "--data-dir", str(folder), "--catalog", str(catalog)]
    # alpha.csv's 'n/a' cell is a rejected row: committed with the rest, exit 3 (partial)
    assert main(ingest) == 3
    assert "1 row(s) rejected" in capsys.readouterr().err
    assert main(ingest) == 3  # identical files: logged, nothing new
    first_recorded = Store(tmp_store, read_only=True).ingest_log()["recorded_at"].iloc[0]
    (folder / "alpha.csv").write_text("Date,A\n2024-01-02,4.25\n2024-01-03,4.75\n")
    assert main([*ingest, "--source", "alpha"]) == 0
    log = Store(tmp_store, read_only=True).ingest_log()
    assert log["rows_new"].tolist() == [2, 2, 0, 0, 1]
    capsys.readouterr()
    show = ["series", "show", "my.alpha", "--json"]
    assert main(show) == 0
    assert json.loads(capsys.readouterr().out)["values"] == [4.25, 4.75]
    assert main([*show, "--as-of", first_recorded.isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)["values"] == [4.25, 4.5]


def test_unknown_catalog_entry_exits_2(
    folder: Path, tmp_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = _catalog(folder, broken=False)
    args = ["ingest", "--data-dir", str(folder), "--catalog", str(catalog), "-s", "gamma"]
    assert main(args) == 2
    assert "no entry named 'gamma'" in capsys.readouterr().err


# ------------------------------------------------------------------ online
@pytest.fixture
def closed_port() -> int:
    """A 127.0.0.1 port with nothing listening (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_publishers_exit_4(
    closed_port: int,
    tmp_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("USTPULL_ONLINE_BASE_URL", f"http://127.0.0.1:{closed_port}")
    for name in ("FRED_API_KEY", "USTPULL_FRED_BASE_URL", "USTPULL_GSW_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    code = main(["ingest", "--attempts", "1", "--json", "-s", "fred", "-s", "gsw"])
    assert code == 4
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "unavailable"
    # FRED is one file per series: each is listed; the GSW file once
    assert len(summary["items"]) == len(FRED_TO_SERIES) + 1
    assert {item["outcome"] for item in summary["items"]} == {"unavailable"}
    assert all(f"127.0.0.1:{closed_port}" in item["message"] for item in summary["items"])
    assert not tmp_store.exists()  # nothing was fetched, so nothing was written


def test_one_missing_fred_series_fails_alone_exit_3(
    shared_data: Path,
    tmp_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """FRED answers for two ids and 404s the third: exit 3, the two are committed, the
    third is named with its URL and reason."""
    for name in ("FRED_API_KEY", "USTPULL_FRED_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with LocalServer() as server:
        for code in ("DGS10", "DGS2"):
            body = fred_csv_payload(shared_data, (code,), start="2013-05-01", end="2013-07-10")
            server.route(FRED_GRAPH_PATH, Reply(body=body), query={"id": code})
        monkeypatch.setenv("USTPULL_ONLINE_BASE_URL", server.url)
        code = main(["ingest", "-s", "fred", "--attempts", "1"])
    assert code == 3
    lines = capsys.readouterr().err.splitlines()
    (thirty,) = [line for line in lines if ": us.cmt.30y: " in line]
    assert thirty.startswith("ustpull: unavailable: fred: us.cmt.30y: ")
    assert f"{server.url}{FRED_GRAPH_PATH}?id=DGS30" in thirty and "HTTP 404" in thirty
    stored = Store(tmp_store, read_only=True)
    # fred/ust_cmt_daily.csv: DGS10 1.66 on 2013-05-01
    assert stored.series("us.cmt.10y").iloc[0] == 1.66
    assert "us.cmt.30y" not in set(stored.list_series().index)


def test_unknown_online_source_exits_2(tmp_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "--source", "bloomberg"]) == 2
    assert "unknown online source(s) 'bloomberg'" in capsys.readouterr().err


def test_status_of_a_store_filled_from_local_files(
    real_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # no online download was ever logged: the last local ingest stands in for it
    assert main(["status", "--store", str(real_store), "--json"]) == 0
    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    dgs10 = records["us.cmt.10y"]
    assert dgs10["last_observation"] == "2026-08-20"  # fred/ust_cmt_daily.csv, last DGS10
    assert dgs10["via"].endswith("fred/ust_cmt_daily.csv")
    assert dgs10["last_download"] is not None
    # GSW's parameters end 2018-04-20 (gsw_nss_params) and 2025-10-03 (feds200628): stale
    assert records["us.gsw.beta0"]["stale"] is True


def test_rejected_rows_in_one_fred_file_are_named_on_every_run(
    shared_data: Path,
    tmp_store: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """DGS2 (an early file) carries 460 (basis points) on one day, DGS10 (a later file) is
    clean: each run exits 3 and names the rejected value, the first run and the
    incremental rerun alike (the rerun used to fail looking in the last file only)."""
    for name in ("FRED_API_KEY", "USTPULL_FRED_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    two = fred_csv_payload(shared_data, ("DGS2",), start="2013-05-01", end="2013-07-10")
    bad = two.replace(b"\n2013-07-08,", b"\n2013-07-08,460\n2013-07-08-x,", 1)
    bad = b"\n".join(line for line in bad.split(b"\n") if b"-x," not in line)
    assert b"2013-07-08,460" in bad
    with LocalServer() as server:
        server.route(FRED_GRAPH_PATH, Reply(body=bad), query={"id": "DGS2"})
        ten = fred_csv_payload(shared_data, ("DGS10",), start="2013-05-01", end="2013-07-10")
        server.route(FRED_GRAPH_PATH, Reply(body=ten), query={"id": "DGS10"})
        monkeypatch.setenv("USTPULL_ONLINE_BASE_URL", server.url)
        for _ in range(2):
            assert main(["ingest", "-s", "fred", "--attempts", "1"]) == 3
            err = capsys.readouterr().err
            assert "first: us.cmt.2y value outside the valid range [-5, 30]" in err
    stored = Store(tmp_store, read_only=True)
    assert 460.0 not in stored.series("us.cmt.2y").to_numpy()
    assert stored.series("us.cmt.10y").iloc[0] == 1.66  # fred/ust_cmt_daily.csv 2013-05-01


def test_series_list_filters(real_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["series", "list", "--store", str(real_store), "--json"]
    assert main([*args, "--country", "de", "--search", "10y"]) == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)]
    # catalog: Bundesbank zero 10y, Investing 10y, OECD monthly DE (intl/, fred/ files)
    assert ids == ["de.bbk.zero.10y", "de.govt.10y", "oecd.10y.de"]
    assert main(["series", "list", "--store", str(real_store), "--source", "fredd"]) == 2
    assert "--source 'fredd': no stored series has it" in capsys.readouterr().err
