"""Helpers shared by the online-fetcher tests (``test_online*.py``).

A local publisher mirror that every online endpoint resolves to, an HTTP client on fake time
for it, the values of one series across fetched batches, and the check that served values come
back as the shared data hold them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from ustpull.sources import online
from ustpull.sources.base import ParsedBatch
from ustpull.sources.http import HttpClient, RetryPolicy
from ustpull.sources.local import load_frame

from ._server import FakeTime, LocalServer, serve


def mirror_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A running local server that every online endpoint resolves to (body of a fixture)."""
    for endpoint in online.ENDPOINTS:
        monkeypatch.delenv(f"USTPULL_{endpoint.upper()}_BASE_URL", raising=False)
    monkeypatch.delenv(online.FRED_API_KEY_ENV, raising=False)
    for running in serve():
        monkeypatch.setenv(online.GLOBAL_BASE_URL_ENV, running.url)
        yield running


def local_client(fake_time: FakeTime, *, read_timeout: float, max_attempts: int) -> HttpClient:
    """An HTTP client for the 127.0.0.1 mirror: no rate limit, fake sleep and clock, seeded
    jitter."""
    return HttpClient(
        connect_timeout=0.5,
        read_timeout=read_timeout,
        retry=RetryPolicy(max_attempts=max_attempts),
        rate_limits={"127.0.0.1": None},
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=random.Random(0),
    )


def values(batches: list[ParsedBatch], series_id: str) -> pd.Series:
    """Observations of one series across batches, indexed by date."""
    frame = pd.concat([b.observations for b in batches], ignore_index=True)
    chosen = frame[frame["series_id"] == series_id]
    return pd.Series(chosen["value"].to_numpy(), index=pd.DatetimeIndex(chosen["date"]))


def assert_matches_shared(
    batches: list[ParsedBatch],
    shared_data: Path,
    ids: list[str],
    start: str,
    end: str,
    *,
    abs_tol: float,
    sort_dates: bool = False,
) -> None:
    """Every served value of ``ids`` in ``start..end`` comes back as the shared data hold it
    (within ``abs_tol``); ``sort_dates`` puts the fetched dates in order first (a source
    served as several files)."""
    expected = load_frame(ids, shared_data).loc[start:end]
    for series_id in ids:
        got = values(batches, series_id)
        if sort_dates:
            got = got.sort_index()
        want = expected[series_id].dropna()
        assert got.index.equals(pd.DatetimeIndex(want.index)), series_id
        assert got.to_numpy() == pytest.approx(want.to_numpy(), abs=abs_tol), series_id
