"""HttpClient against a real HTTP server on 127.0.0.1 (no internet).

Waits go through an injected fake clock (:class:`FakeTime`), so every retry and rate
limit assertion is exact and the module runs in about a second; only the read-timeout
cases spend real time (0.2 s timeouts).
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ustpull import __version__
from ustpull.errors import SourceUnavailableError
from ustpull.sources.http import (
    USER_AGENT,
    HttpClient,
    RetryPolicy,
    TokenBucket,
    looks_like_html,
    parse_retry_after,
    redact_url,
)

from ._server import FakeTime, LocalServer, Reply, closed_port_url, serve

CSV = b"observation_date,DGS10\n2013-05-01,1.66\n2013-05-02,1.63\n"
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head></html>\n"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make_client(
    fake_time: FakeTime,
    *,
    attempts: int = 4,
    read_timeout: float = 2.0,
    seed: int = 7,
    rate: float | None = None,
) -> HttpClient:
    return HttpClient(
        connect_timeout=0.5,
        read_timeout=read_timeout,
        retry=RetryPolicy(max_attempts=attempts, backoff_base=1.0, backoff_cap=30.0, jitter=0.5),
        rate_limits={"127.0.0.1": rate},
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=random.Random(seed),
    )


def test_success_keeps_raw_payload_and_sends_honest_user_agent(
    server: LocalServer, fake_time: FakeTime
) -> None:
    server.route("/data.csv", Reply(body=CSV))
    with make_client(fake_time) as client:
        fetched = client.get(f"{server.url}/data.csv")
    assert fetched.status == 200
    assert fetched.content == CSV
    assert fetched.sha256 == hashlib.sha256(CSV).hexdigest()
    assert fetched.headers["content-type"] == "text/csv; charset=utf-8"
    assert fetched.attempts == 1
    assert fetched.waited == 0.0
    assert fake_time.sleeps == []
    assert fetched.url == f"{server.url}/data.csv"
    assert USER_AGENT.startswith(f"ustpull/{__version__} (+http")
    assert server.requests[0].headers["user-agent"] == USER_AGENT


def test_elapsed_measures_the_attempt(server: LocalServer, fake_time: FakeTime) -> None:
    server.route("/slow.csv", Reply(body=CSV, delay=0.05))
    with make_client(fake_time) as client:
        fetched = client.get(f"{server.url}/slow.csv")
    assert 0.05 <= fetched.elapsed < 2.0


def test_gzip_body_is_not_mistaken_for_truncation(server: LocalServer, fake_time: FakeTime) -> None:
    # Content-Length counts the compressed bytes; the decoded body is longer.
    server.route(
        "/data.csv", Reply(body=gzip.compress(CSV * 50), headers={"Content-Encoding": "gzip"})
    )
    with make_client(fake_time) as client:
        fetched = client.get(f"{server.url}/data.csv")
    assert fetched.content == CSV * 50
    assert fetched.attempts == 1


def test_post_sends_url_encoded_form(server: LocalServer, fake_time: FakeTime) -> None:
    server.route("/form", Reply(body=CSV), method="POST")
    with make_client(fake_time) as client:
        client.post(f"{server.url}/form", form={"priceDateDay": "26", "csv": "CSV FORMAT"})
    (recorded,) = server.requests
    assert recorded.method == "POST"
    assert recorded.body == b"priceDateDay=26&csv=CSV+FORMAT"
    assert recorded.headers["content-type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize("failures", [1, 3])
@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_then_success(
    server: LocalServer, fake_time: FakeTime, status: int, failures: int
) -> None:
    server.route("/data.csv", *[Reply(status=status, body=b"oops")] * failures, Reply(body=CSV))
    with make_client(fake_time, attempts=4, seed=11) as client:
        fetched = client.get(f"{server.url}/data.csv")
    assert fetched.content == CSV
    assert fetched.attempts == failures + 1
    assert server.hits("/data.csv") == failures + 1
    # Recipe: wait_k = min(30, 1 * 2**(k-1)) * (1 - 0.5 u_k), u_k from the same seeded RNG.
    uniforms = random.Random(11)
    expected = [min(30.0, 2.0 ** (k - 1)) * (1 - 0.5 * uniforms.random()) for k in range(1, 4)]
    assert fake_time.sleeps == pytest.approx(expected[:failures], rel=1e-12)
    for k, wait in enumerate(fake_time.sleeps, start=1):
        assert 0.5 * 2.0 ** (k - 1) <= wait <= 2.0 ** (k - 1)
    assert fetched.waited == pytest.approx(sum(fake_time.sleeps))


def test_persistent_server_error_gives_up_naming_url(
    server: LocalServer, fake_time: FakeTime
) -> None:
    server.route("/data.csv", Reply(status=500, body=b"Internal Server Error"))
    with (
        make_client(fake_time, attempts=3) as client,
        pytest.raises(SourceUnavailableError) as caught,
    ):
        client.get(f"{server.url}/data.csv")
    message = str(caught.value)
    assert f"{server.url}/data.csv" in message
    assert "gave up after 3 attempt(s)" in message
    assert "HTTP 500" in message
    assert server.hits("/data.csv") == 3
    assert len(fake_time.sleeps) == 2


@pytest.mark.parametrize(
    ("retry_headers", "expected_wait"),
    [
        pytest.param({"Retry-After": "7"}, 7.0, id="delta-seconds"),
        pytest.param(
            {
                "Retry-After": "Wed, 25 Nov 2026 21:00:30 GMT",
                "Date": "Wed, 25 Nov 2026 21:00:00 GMT",
            },
            30.0,
            id="http-date-vs-server-date",
        ),
    ],
)
def test_429_honours_retry_after(
    server: LocalServer,
    fake_time: FakeTime,
    retry_headers: dict[str, str],
    expected_wait: float,
) -> None:
    server.route("/data.csv", Reply(status=429, headers=retry_headers), Reply(body=CSV))
    with make_client(fake_time) as client:
        fetched = client.get(f"{server.url}/data.csv")
    assert fetched.content == CSV
    assert fake_time.sleeps == [expected_wait]
    assert fetched.attempts == 2


def test_retry_after_date_without_server_date_uses_wall_clock(
    server: LocalServer, fake_time: FakeTime
) -> None:
    server.route(
        "/data.csv",
        Reply(
            status=429, headers={"Retry-After": "Wed, 25 Nov 2026 21:00:45 GMT"}, send_date=False
        ),
        Reply(body=CSV),
    )
    client = HttpClient(
        rate_limits={"127.0.0.1": None},
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        wall_clock=lambda: datetime(2026, 11, 25, 21, 0, 0, tzinfo=UTC),
    )
    with client:
        fetched = client.get(f"{server.url}/data.csv")
    assert fake_time.sleeps == [45.0]
    assert fetched.attempts == 2


def test_retry_after_longer_than_limit_fails_at_once(
    server: LocalServer, fake_time: FakeTime
) -> None:
    server.route("/data.csv", Reply(status=503, headers={"Retry-After": "3600"}))
    with make_client(fake_time) as client, pytest.raises(SourceUnavailableError) as caught:
        client.get(f"{server.url}/data.csv")
    assert "retry after 3600 s" in str(caught.value)
    assert "HTTP 503" in str(caught.value)
    assert server.hits("/data.csv") == 1
    assert fake_time.sleeps == []


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(body=HTML_PAGE, content_type="text/html; charset=utf-8"), id="ctype"),
        pytest.param(Reply(body=HTML_PAGE, content_type="text/csv"), id="doctype-body"),
        pytest.param(
            Reply(body=b"\xef\xbb\xbf  <html><body>Error</body></html>", content_type="text/plain"),
            id="bom-html-body",
        ),
    ],
)
def test_html_page_with_status_200_is_refused(
    server: LocalServer, fake_time: FakeTime, reply: Reply
) -> None:
    server.route("/data.csv", reply)
    with make_client(fake_time) as client, pytest.raises(SourceUnavailableError) as caught:
        client.get(f"{server.url}/data.csv")
    message = str(caught.value)
    assert f"{server.url}/data.csv" in message
    assert "HTML page instead of data" in message
    assert server.hits("/data.csv") == 1


def test_html_accepted_when_asked_for(server: LocalServer, fake_time: FakeTime) -> None:
    server.route("/page", Reply(body=HTML_PAGE, content_type="text/html"))
    with make_client(fake_time) as client:
        assert client.get(f"{server.url}/page", expect="any").content == HTML_PAGE


TRANSIENT_FAULTS = [
    pytest.param(Reply(body=CSV, truncate_to=20), "truncated", id="truncated-body"),
    pytest.param(Reply(body=CSV, delay=0.6), "timed out", id="read-timeout"),
    pytest.param(Reply(status=502, body=b"Bad Gateway"), "HTTP 502", id="bad-gateway"),
    pytest.param(Reply(status=599), "HTTP 599", id="any-5xx"),
]


@pytest.mark.parametrize(("fault", "reason"), TRANSIENT_FAULTS)
def test_transient_fault_then_success(
    server: LocalServer, fake_time: FakeTime, fault: Reply, reason: str
) -> None:
    server.route("/data.csv", fault, Reply(body=CSV))
    with make_client(fake_time, read_timeout=0.2) as client:
        fetched = client.get(f"{server.url}/data.csv")
    assert fetched.content == CSV
    assert fetched.attempts == 2
    assert len(fake_time.sleeps) == 1


@pytest.mark.parametrize(("fault", "reason"), TRANSIENT_FAULTS)
def test_persistent_transient_fault_is_an_error(
    server: LocalServer, fake_time: FakeTime, fault: Reply, reason: str
) -> None:
    server.route("/data.csv", fault)
    with (
        make_client(fake_time, attempts=2, read_timeout=0.2) as client,
        pytest.raises(SourceUnavailableError, match=reason) as caught,
    ):
        client.get(f"{server.url}/data.csv")
    assert f"{server.url}/data.csv: gave up after 2 attempt(s)" in str(caught.value)
    assert server.hits("/data.csv") == 2


def test_connection_refused_is_retried_then_an_error(fake_time: FakeTime) -> None:
    url = f"{closed_port_url()}/data.csv"
    with (
        make_client(fake_time, attempts=3) as client,
        pytest.raises(SourceUnavailableError, match="connection failed") as caught,
    ):
        client.get(url)
    assert url in str(caught.value)
    assert len(fake_time.sleeps) == 2


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_not_retried(
    server: LocalServer, fake_time: FakeTime, status: int
) -> None:
    server.route("/data.csv", Reply(status=status, body=b"Bad Request: series does not exist"))
    with make_client(fake_time) as client, pytest.raises(SourceUnavailableError) as caught:
        client.get(f"{server.url}/data.csv")
    assert f"HTTP {status}" in str(caught.value)
    assert "series does not exist" in str(caught.value)
    assert server.hits("/data.csv") == 1


def test_api_key_never_appears_in_url_or_errors(server: LocalServer, fake_time: FakeTime) -> None:
    server.route("/obs", Reply(body=b'{"observations": []}', content_type="application/json"))
    server.route("/missing", Reply(status=404))
    with make_client(fake_time) as client:
        fetched = client.get(f"{server.url}/obs", params={"series_id": "DGS10", "api_key": "s3cr"})
        with pytest.raises(SourceUnavailableError) as caught:
            client.get(f"{server.url}/missing", params={"api_key": "s3cr"})
    assert server.requests[0].query["api_key"] == ["s3cr"]
    assert fetched.url == f"{server.url}/obs?series_id=DGS10&api_key=REDACTED"
    assert "s3cr" not in str(caught.value)
    assert "api_key=REDACTED" in str(caught.value)


@pytest.mark.parametrize(("requests", "rate"), [(5, 2.0), (9, 4.0), (2, 0.5)])
def test_rate_limit_spaces_requests_to_one_host(
    server: LocalServer, fake_time: FakeTime, requests: int, rate: float
) -> None:
    server.route("/data.csv", Reply(body=CSV))
    with make_client(fake_time, rate=rate) as client:
        for _ in range(requests):
            client.get(f"{server.url}/data.csv")
    # Token bucket of burst 1: N requests take (N - 1) / rate seconds.
    assert fake_time.now >= (requests - 1) / rate - 1e-12
    assert fake_time.now == pytest.approx((requests - 1) / rate)
    assert server.hits("/data.csv") == requests


def test_default_rate_limits_cover_fred() -> None:
    with HttpClient() as client:
        rates = {
            host: client.bucket(host) for host in ("fred.stlouisfed.org", "api.stlouisfed.org")
        }
        assert [bucket.rate if bucket else None for bucket in rates.values()] == [2.0, 2.0]
        assert client.bucket("example.org") is client.bucket("example.org")
        assert client.bucket("example.org") is not client.bucket("fred.stlouisfed.org")
    with HttpClient(rate_limits={"127.0.0.1": None}) as client:
        assert client.bucket("127.0.0.1") is None


def test_token_bucket_refills_while_idle() -> None:
    fake_time = FakeTime()
    bucket = TokenBucket(2.0, burst=3.0, clock=fake_time.clock, sleep=fake_time.sleep)
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]  # the burst
    assert bucket.acquire() == pytest.approx(0.5)
    fake_time.now += 10.0  # idle: refills to the burst, not beyond
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire() == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 3.5 ", 3.5),
        ("-5", 0.0),
        ("Wed, 25 Nov 2026 21:01:00 GMT", 60.0),  # RFC 9110 IMF-fixdate
        ("Wednesday, 25-Nov-26 21:01:00 GMT", 60.0),  # obsolete RFC 850 form
        ("Wed, 25 Nov 2026 20:00:00 GMT", 0.0),  # in the past
        ("soon", None),
        ("nan", None),
    ],
)
def test_parse_retry_after(value: str, expected: float | None) -> None:
    now = datetime(2026, 11, 25, 21, 0, 0, tzinfo=UTC)
    assert parse_retry_after(value, now=now) == expected


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b"<!DOCTYPE html><html>", "text/csv", True),
        (b"\n  <HTML>", "", True),
        (b"a,b\n1,2\n", "text/html", True),
        (b"a,b\n1,2\n", "text/csv", False),
        (b'{"html": "<html>"}', "application/json", False),
    ],
)
def test_looks_like_html(content: bytes, content_type: str, expected: bool) -> None:
    assert looks_like_html(content, content_type) is expected


def test_redact_url_keeps_other_parameters() -> None:
    url = "https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key=abc&file_type=json"
    assert redact_url(url) == (
        "https://api.stlouisfed.org/fred/series/observations"
        "?series_id=DGS10&api_key=REDACTED&file_type=json"
    )
    assert redact_url("https://x.org/a.csv?id=DGS10,DGS2") == "https://x.org/a.csv?id=DGS10,DGS2"


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"jitter": 1.5}, {"backoff_base": -1.0}],
)
def test_retry_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_token_bucket_rejects_nonpositive_rate() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        TokenBucket(0.0)
