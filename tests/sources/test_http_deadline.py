"""Overall deadlines: a drip-feeding or silent server cannot keep a download alive."""

from __future__ import annotations

import time

import pytest

from tests.sources._server import LocalServer, Reply
from ustpull.errors import SourceUnavailableError
from ustpull.sources.http import HttpClient, RetryPolicy


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(body=b"x" * 200, drip=0.1), "deadline passed while receiving the body"),
        (Reply(body=b"x", delay=10.0), "deadline passed"),
    ],
    ids=["drip-feed", "silent"],
)
def test_download_deadline_bounds_every_attempt(reply: Reply, reason: str) -> None:
    with LocalServer() as server:
        server.route("/data.csv", reply)
        started = time.perf_counter()
        with (
            HttpClient(download_timeout=0.8, retry=RetryPolicy(3, backoff_base=0.0)) as client,
            pytest.raises(SourceUnavailableError, match=reason),
        ):
            client.get(f"{server.url}/data.csv")
        assert time.perf_counter() - started < 3.0  # 0.8 s and the server's last byte


def test_run_deadline_fails_later_downloads_at_once() -> None:
    with LocalServer() as server:
        server.route("/data.csv", Reply(body=b"a,b\n1,2\n"))
        with HttpClient(rate_limits={"127.0.0.1": None}) as client:
            assert client.get(f"{server.url}/data.csv").content == b"a,b\n1,2\n"
            client.set_deadline(0.0)
            with pytest.raises(SourceUnavailableError, match="deadline passed"):
                client.get(f"{server.url}/data.csv")
        assert server.hits("/data.csv") == 1


def test_download_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError, match="download_timeout must be > 0"):
        HttpClient(download_timeout=0.0)


def test_past_the_run_deadline_no_rate_limit_wait() -> None:
    """A rate-limited host (1 request/s) and a 0.3 s run: the first request uses the
    bucket's token; the next nine fail at once instead of each waiting a second first."""
    with LocalServer() as server:
        server.route("/data.csv", Reply(body=b"a,b\n1,2\n"))
        with HttpClient(rate_limits={"127.0.0.1": 1.0}) as client:
            client.set_deadline(0.3)
            started = time.perf_counter()
            assert client.get(f"{server.url}/data.csv").content == b"a,b\n1,2\n"
            failures = 0
            for _ in range(9):
                with pytest.raises(SourceUnavailableError, match="deadline passed"):
                    client.get(f"{server.url}/data.csv")
                failures += 1
            elapsed = time.perf_counter() - started
        assert failures == 9 and server.hits("/data.csv") == 1
        assert elapsed < 2.0  # before: about 9 s of rate-limit waits
