"""Ingest orchestration: local catalog folders, online sources, ``load()``.

References: the shared data files themselves, read through ``load_frame`` (the sources
layer's reader, independent of the store) or the csv module; FRED DGS10 on 2013-05-01 is
1.66 % (``fred/ust_cmt_daily.csv``).
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.sources._payloads import feds200628_payload
from tests.sources._server import LocalServer, Reply
from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.catalog import Catalog, default_catalog
from ustpull.sources.fred import FRED_TO_SERIES
from ustpull.sources.local import load_frame
from ustpull.sources.online import FRED_GRAPH_PATH, GSW_NOMINAL_PATH
from ustpull.store import IngestSummary, Store, ingest_local, ingest_online, load

CMT_ENTRY = "ust_cmt_daily"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.duckdb")


def test_ingest_local_real_file_and_reingest_rules(shared_data: Path, store: Store) -> None:
    done: list[tuple[str, int, int]] = []
    first = ingest_local(
        shared_data, store=store, entries=[CMT_ENTRY], progress=lambda *a: done.append(a)
    )
    assert first.status == "ok"
    assert done == [(CMT_ENTRY, 1, 1)]
    reference = load_frame(["us.cmt.10y", "us.cmt.3m"], shared_data)
    stored = store.frame(["us.cmt.10y", "us.cmt.3m"])
    pd.testing.assert_frame_equal(stored, reference.dropna(how="all"), check_index_type=False)
    assert stored.loc["2013-05-01", "us.cmt.10y"] == 1.66
    # every cell of the file that has a value became exactly one row
    assert first.rows_new == int(load_frame(_cmt_ids(), shared_data).notna().to_numpy().sum())

    again = ingest_local(shared_data, store=store, entries=[CMT_ENTRY])
    assert again.items["outcome"].tolist() == ["ingested"]
    assert again.rows_new == 0
    assert store.ingest_log()["rows_new"].tolist() == [first.rows_new, 0]

    skipped = ingest_local(shared_data, store=store, entries=[CMT_ENTRY], skip_unchanged=True)
    assert skipped.items["outcome"].tolist() == ["unchanged"]
    assert skipped.status == "ok"
    assert len(store.ingest_log()) == 2  # a skipped file is not even parsed


def _cmt_ids() -> list[str]:
    ids = list(default_catalog().entry(CMT_ENTRY).columns.values())
    assert len(ids) == 11  # DGS1MO .. DGS30
    return ids


def test_load_ingests_only_what_it_needs_then_skips(
    shared_data: Path, tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "data"
    (folder / "fred").mkdir(parents=True)
    for name in ("T10YIE.csv", "T5YIE.csv"):
        shutil.copy(shared_data / "fred" / name, folder / "fred" / name)
    catalog = Catalog(
        tuple(entry for entry in default_catalog().entries if entry.name in {"T10YIE", "T5YIE"})
    )
    wide = load(["us.breakeven.10y"], data_dir=folder, store=store, catalog=catalog)
    reference = load_frame(["us.breakeven.10y"], shared_data).dropna()
    pd.testing.assert_frame_equal(wide, reference, check_index_type=False)
    assert store.ingest_log()["origin"].tolist() == [str(folder.resolve() / "fred/T10YIE.csv")]
    load(["us.breakeven.10y"], data_dir=folder, store=store, catalog=catalog)
    assert len(store.ingest_log()) == 1  # unchanged file: skipped by sha256
    # a revised file is re-ingested: one new vintage, the old value still known
    path = folder / "fred" / "T10YIE.csv"
    text = path.read_text()
    last_line = text.rstrip("\n").rsplit("\n", 1)[1]
    day, old = last_line.split(",")
    path.write_text(text.replace(last_line, f"{day},{float(old) + 0.5:.2f}"))
    revised = load(["us.breakeven.10y"], data_dir=folder, store=store, catalog=catalog)
    assert revised.iloc[-1, 0] == pytest.approx(float(old) + 0.5, abs=1e-12)
    assert store.ingest_log()["rows_new"].tolist() == [len(reference), 1]
    first_time = store.ingest_log()["recorded_at"].iloc[0]
    assert load(["us.breakeven.10y"], store=store.path, as_of=first_time).iloc[-1, 0] == float(old)


def test_load_errors_name_the_problem(shared_data: Path, store: Store) -> None:
    with pytest.raises(SeriesNotFoundError, match=r"us\.shiller\.nope"):
        load(["us.shiller.nope"], data_dir=shared_data, store=store)
    with pytest.raises(DataError, match="no store at"):
        load(["us.cmt.10y"], store=store.path)  # nothing ingested, nothing to read
    with pytest.raises(DataError, match=r"data folder .*missing does not exist"):
        ingest_local(store.path.parent / "missing", store=store)
    with pytest.raises(DataError, match="no entry named 'nope'"):
        ingest_local(shared_data, store=store, entries=["nope"])


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        (["ingested", "unchanged"], "ok"),
        (["ingested", "unavailable"], "partial"),
        (["unchanged", "invalid"], "partial"),
        (["unavailable", "unavailable"], "unavailable"),
        (["invalid"], "invalid"),
        (["unavailable", "invalid"], "failed"),
        (["failed"], "failed"),
    ],
)
def test_summary_status_rule(outcomes: list[str], status: str) -> None:
    items = pd.DataFrame(
        {
            "name": [f"item{i}" for i in range(len(outcomes))],
            "origin": "x",
            "outcome": outcomes,
            "rows_new": 1,
            "rows_rejected": 0,
            "message": "",
        }
    )
    summary = IngestSummary(items)
    assert summary.status == status
    assert len(summary.failures) == sum(o in {"invalid", "unavailable", "failed"} for o in outcomes)


def test_ingest_online_commits_reachable_sources(shared_data: Path, store: Store) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    payload = feds200628_payload(shared_data, start="2023-01-03", end="2023-03-31")
    with LocalServer() as server:
        server.route(GSW_NOMINAL_PATH, Reply(body=payload))
        summary = ingest_online(
            store=store,
            sources=["gsw", "fred"],
            attempts=1,
            base_urls={"gsw": server.url, "fred": closed, "fred_api": closed},
        )
    # FRED is one file per series: each unreachable series is listed with its URL.
    outcomes = summary.items["outcome"].tolist()
    assert outcomes[0] == "ingested" and set(outcomes[1:]) == {"unavailable"}
    fred_rows = summary.items.iloc[1:]
    assert len(fred_rows) == len(FRED_TO_SERIES)  # us.fedfunds.target: DFEDTAR, DFEDTARU
    ten_year = fred_rows[fred_rows["series"] == "us.cmt.10y"].iloc[0]
    assert ten_year["origin"] == f"{closed}{FRED_GRAPH_PATH}?id=DGS10"
    assert "connection failed" in ten_year["message"]
    assert summary.status == "partial"
    assert server.url in summary.items["origin"].iloc[0]
    ids = ["us.gsw.zero.1y", "us.gsw.zero.10y", "us.gsw.zero.30y"]
    reference = load_frame(ids, shared_data).loc["2023-01-03":"2023-03-31"]
    stored = store.frame(ids)
    assert len(stored) == len(reference) > 50
    np.testing.assert_allclose(stored.to_numpy(), reference.to_numpy(), rtol=0, atol=1e-10)


def test_conditional_requests_never_skip_series_not_ingested_before(
    shared_data: Path, store: Store
) -> None:
    """A file first ingested for one series is downloaded in full when more are wanted;
    a repeat of the same request is a 304 and ingests nothing."""
    payload = feds200628_payload(shared_data, start="2023-01-03", end="2023-03-31")
    modified = "Tue, 01 Dec 2026 06:00:00 GMT"
    with LocalServer() as server:
        server.route(GSW_NOMINAL_PATH, Reply(body=payload, validators=modified))
        bases = {"gsw": server.url}

        def run(series: list[str] | None) -> IngestSummary:
            wanted = {"gsw": series} if series else None
            return ingest_online(store=store, sources=["gsw"], series=wanted, base_urls=bases)

        first = run(["us.gsw.zero.10y"])
        everything = run(None)  # more series wanted than the first time: no validator sent
        again = run(["us.gsw.zero.10y", "us.gsw.zero.30y"])  # covered: conditional, 304
        headers = [r.headers for r in server.requests]
    assert [first.not_modified, everything.not_modified, again.not_modified] == [0, 0, 1]
    assert "if-none-match" not in headers[0] and "if-none-match" not in headers[1]
    assert headers[2]["if-none-match"].startswith('"')
    assert everything.rows_new > 0 and again.rows_new == 0
    assert again.items["outcome"].tolist() == ["unchanged"]
    # feds200628 2023-01-03: SVENY30 of the shared file, now in the store
    reference = load_frame(["us.gsw.zero.30y"], shared_data).loc["2023-01-03"].iloc[0]
    assert store.series("us.gsw.zero.30y").loc["2023-01-03"] == reference
