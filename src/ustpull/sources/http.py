"""One polite, fault-tolerant HTTP client for every online source.

:class:`HttpClient` wraps :mod:`httpx2` with what downloading public data needs:

* connect and read timeouts, and an overall deadline per download and per run, so a
  server that drips a byte at a time or stays silent cannot keep a run alive;
* bounded retries with exponential backoff and jitter on connect errors, read timeouts,
  truncated bodies, HTTP 429 and 5xx, honouring ``Retry-After`` (seconds or HTTP-date);
* a token-bucket rate limit per host (FRED allows about two requests a second);
* an honest ``User-Agent``;
* refusal of HTML pages served with status 200 where data were expected (maintenance
  and captcha pages), and of bodies shorter than their ``Content-Length``;
* the raw payload kept, with its SHA-256, in a :class:`Fetched` record;
* optional conditional GETs (:class:`Validators`): ``If-None-Match`` with the ETag last
  seen for the same URL and ``If-Modified-Since`` with the ``Last-Modified`` last seen for
  the same resource; a ``304 Not Modified`` comes back as a :class:`Fetched` with
  ``not_modified`` true and no content. Every exchange is logged in
  :attr:`HttpClient.exchanges` (requests, bytes, not-modified counts).

Waiting goes through an injectable ``sleep`` and ``clock`` and jitter through an
injectable :class:`random.Random`, so tests run the whole retry logic in microseconds.

The backoff before retry ``k`` (``k = 1, 2, ...``) is

.. math::

    w_k = \\min(c, b \\, 2^{k-1}) \\, (1 - j \\, u_k), \\qquad u_k \\sim U[0, 1),

with base ``b`` and cap ``c`` in seconds and jitter fraction ``j``. A ``Retry-After`` header
replaces :math:`w_k` by the delay the server asked for (refused above ``max_retry_after``).
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2

from ustpull._version import __version__
from ustpull.errors import SourceUnavailableError
from ustpull.sources.base import sha256_hex

PROJECT_URL = "https://github.com/ustpull/ustpull"
USER_AGENT = f"ustpull/{__version__} (+{PROJECT_URL})"

#: Requests per second allowed per host. FRED documents about 120 requests a minute per
#: key; the keyless download is throttled the same way in practice.
DEFAULT_RATE_LIMITS: Mapping[str, float] = {
    "fred.stlouisfed.org": 2.0,
    "api.stlouisfed.org": 2.0,
    "home.treasury.gov": 4.0,
    "www.federalreserve.gov": 2.0,
    "data-api.ecb.europa.eu": 1.0,
    "www.mof.go.jp": 2.0,
    "www.treasurydirect.gov": 1.0,
}
#: Requests per second for hosts not in :data:`DEFAULT_RATE_LIMITS`.
DEFAULT_RATE = 2.0
#: Hosts never rate-limited unless listed in ``rate_limits``: a mirror on this machine is
#: nobody's public server.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

#: Query parameters whose values never leave the client (messages, ``Fetched.url``).
SECRET_PARAMETERS = frozenset({"api_key", "apikey", "token", "key"})

#: Client-side statuses worth retrying; every 5xx is retried too.
RETRYABLE_CLIENT_STATUS = frozenset({408, 425, 429})
_SNIPPET_CHARS = 160

Expect = Literal["data", "any"]


@dataclass(frozen=True)
class Fetched:
    """A payload as downloaded, before any parsing.

    Attributes
    ----------
    url
        The URL requested, with secret query parameters (``api_key``) redacted.
    status
        HTTP status of the accepted response.
    headers
        Response headers, names lower-cased.
    content
        The body bytes exactly as received (after transfer decoding).
    sha256
        Hex SHA-256 of ``content``.
    elapsed
        Seconds the successful attempt took (wall time).
    attempts
        Number of requests made, including the successful one.
    waited
        Seconds spent waiting between attempts and for the rate limit (as slept).
    """

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    sha256: str
    elapsed: float
    attempts: int = 1
    waited: float = 0.0

    @property
    def not_modified(self) -> bool:
        """Whether the server answered ``304 Not Modified`` to a conditional request."""
        return self.status == 304


@dataclass(frozen=True)
class Validator:
    """What a server said about a resource last time: its ETag and Last-Modified."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


#: Query parameters that select a date window, not a different resource: a FRED download
#: from ``cosd=2026-01-01`` is the same series as the full history, so its Last-Modified
#: applies (its ETag does not: that names one exact representation).
WINDOW_PARAMETERS = frozenset({"cosd", "coed", "observation_start", "startPeriod"})


def resource_key(url: str) -> str:
    """``url`` without its date-window parameters (:data:`WINDOW_PARAMETERS`)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(n, v) for n, v in pairs if n not in WINDOW_PARAMETERS]
    return urlunsplit(parts._replace(query=urlencode(kept, safe=",")))


class Validators:
    """Validators by resource (:func:`resource_key`), for conditional GETs.

    ``If-None-Match`` is sent only for the exact URL that returned the ETag;
    ``If-Modified-Since`` for any URL of the same resource.
    """

    def __init__(self, known: Iterable[Validator] = ()) -> None:
        self._known = {resource_key(v.url): v for v in known}

    def __len__(self) -> int:
        return len(self._known)

    def headers(self, url: str) -> dict[str, str]:
        """Conditional headers for a GET of ``url`` (empty if nothing is known)."""
        known = self._known.get(resource_key(url))
        if known is None:
            return {}
        headers = {}
        if known.etag and known.url == url:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers


@dataclass(frozen=True)
class Exchange:
    """One completed fetch, for transfer statistics and the store's download log."""

    url: str
    method: str
    status: int
    bytes: int
    conditional: bool
    etag: str | None
    last_modified: str | None
    sha256: str
    elapsed: float


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Parameters
    ----------
    max_attempts
        Total number of requests per fetch (first try included), at least 1.
    backoff_base
        Seconds before the first retry, doubled for each further one.
    backoff_cap
        Upper bound of one backoff wait, seconds.
    jitter
        Fraction in ``[0, 1]`` of each backoff wait that is randomly removed, so that many
        clients do not retry in lockstep.
    max_retry_after
        Longest ``Retry-After`` honoured, seconds; a server asking for more fails the fetch
        at once instead of hanging the caller.
    """

    max_attempts: int = 4
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    jitter: float = 0.5
    max_retry_after: float = 120.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"jitter must lie in [0, 1], got {self.jitter}")
        if self.backoff_base < 0 or self.backoff_cap < 0 or self.max_retry_after < 0:
            raise ValueError("backoff_base, backoff_cap and max_retry_after must be >= 0")

    def backoff(self, retry: int, uniform: float) -> float:
        """Seconds to wait before retry number ``retry`` (1-based) given ``uniform`` in [0, 1)."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2.0 ** (retry - 1))
        return ceiling * (1.0 - self.jitter * uniform)


class TokenBucket:
    """Token-bucket rate limiter: ``rate`` tokens per second, at most ``burst`` stored.

    Each request takes one token; a request that finds the bucket empty sleeps until a
    token has accrued, so ``N`` back-to-back requests take at least ``(N - burst) / rate``
    seconds.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be positive, got {rate}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst}")
        self.rate = float(rate)
        self.burst = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping as needed; return the seconds slept."""
        slept = 0.0
        with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return slept
                wait = (1.0 - self._tokens) / self.rate
                self._sleep(wait)
                slept += wait


def redact_url(url: str) -> str:
    """``url`` with the values of secret query parameters replaced by ``REDACTED``."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name.lower() in SECRET_PARAMETERS for name, _ in pairs):
        return url
    query = urlencode(
        [(n, "REDACTED" if n.lower() in SECRET_PARAMETERS else v) for n, v in pairs], safe=","
    )
    return urlunsplit(parts._replace(query=query))


def parse_retry_after(value: str, *, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header value (delta-seconds or HTTP-date).

    Returns ``None`` for a value that is neither; a date in the past gives ``0.0``.
    ``now`` is the reference time for an HTTP-date (the response's ``Date`` header when
    present, so that clock skew between us and the server does not matter).
    """
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if seconds == seconds else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def looks_like_html(content: bytes, content_type: str) -> bool:
    """True for an HTML document: by ``Content-Type`` or by its first bytes."""
    if "text/html" in content_type.lower() or "application/xhtml" in content_type.lower():
        return True
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _snippet(content: bytes) -> str:
    text = content[:_SNIPPET_CHARS].decode("utf-8", errors="replace")
    return " ".join(text.split())


class _RetryableError(Exception):
    """A failed attempt that may succeed if repeated."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class _Attempts:
    count: int = 0
    waited: float = 0.0
    reasons: list[str] = field(default_factory=list)


class HttpClient:
    """HTTP client shared by the online sources; use as a context manager.

    Parameters
    ----------
    connect_timeout, read_timeout
        Seconds allowed to open a connection and between two received chunks.
    download_timeout
        Overall seconds one download may take, every attempt and wait included
        (``None``: no limit). See also :meth:`set_deadline` for a whole run.
    retry
        Retry policy (attempts, backoff, ``Retry-After`` cap).
    rate_limits
        Host -> requests per second, merged over :data:`DEFAULT_RATE_LIMITS`; ``None``
        means no limit (a local mirror).
    default_rate
        Requests per second for any other host.
    user_agent
        ``User-Agent`` header; default ``ustpull/<version> (+<project url>)``.
    sleep, clock
        Waiting and monotonic time (seconds); inject fakes in tests.
    wall_clock
        Current UTC time, for ``Retry-After`` dates when the response has no ``Date``.
    rng
        Source of jitter; seed it for reproducible waits.
    transport
        Optional :mod:`httpx2` transport (tests use real servers instead).
    validators
        ETags and Last-Modified dates from earlier downloads; GETs of known resources are
        then conditional (see :class:`Validators`).

    Examples
    --------
    >>> with HttpClient() as client:  # doctest: +SKIP
    ...     fetched = client.get("https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10")
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        download_timeout: float | None = 600.0,
        retry: RetryPolicy | None = None,
        rate_limits: Mapping[str, float | None] | None = None,
        default_rate: float = DEFAULT_RATE,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        transport: httpx2.BaseTransport | None = None,
        validators: Validators | None = None,
    ) -> None:
        if download_timeout is not None and not download_timeout > 0:
            raise ValueError(f"download_timeout must be > 0 seconds, got {download_timeout}")
        self.retry = retry or RetryPolicy()
        self.download_timeout = download_timeout
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._run_deadline: float | None = None
        self.validators = validators
        #: Every completed fetch, in order (see :class:`Exchange`).
        self.exchanges: list[Exchange] = []
        self.rate_limits: dict[str, float | None] = {**DEFAULT_RATE_LIMITS, **(rate_limits or {})}
        self.default_rate = default_rate
        self.user_agent = user_agent
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._rng = rng or random.Random()
        self._buckets: dict[str, TokenBucket | None] = {}
        self._buckets_lock = threading.Lock()
        self._client = httpx2.Client(
            timeout=httpx2.Timeout(read_timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent},
            follow_redirects=True,
            transport=transport,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def set_deadline(self, seconds: float | None) -> None:
        """Give every later download of this client at most ``seconds`` from now in total."""
        self._run_deadline = None if seconds is None else self._clock() + seconds

    def _deadline(self) -> float | None:
        """Monotonic time by which the current download must be complete."""
        limits = [self._run_deadline]
        if self.download_timeout is not None:
            limits.append(self._clock() + self.download_timeout)
        present = [limit for limit in limits if limit is not None]
        return min(present) if present else None

    def _check_deadline(self, deadline: float | None, shown_url: str, reason: str = "") -> float:
        """Seconds left before ``deadline`` (inf without one); past it, give up."""
        if deadline is None:
            return float("inf")
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise SourceUnavailableError(
                f"{shown_url}: deadline passed (--timeout / download_timeout)"
                + (f"; last error: {reason}" if reason else "")
            )
        return remaining

    def bucket(self, host: str) -> TokenBucket | None:
        """The rate limiter of ``host`` (created on first use), ``None`` if unlimited."""
        with self._buckets_lock:
            if host not in self._buckets:
                loopback = host in LOOPBACK_HOSTS
                rate = self.rate_limits.get(host, None if loopback else self.default_rate)
                self._buckets[host] = (
                    None
                    if rate is None
                    else TokenBucket(rate, clock=self._clock, sleep=self._sleep)
                )
            return self._buckets[host]

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        expect: Expect = "data",
    ) -> Fetched:
        """GET ``url``; see :meth:`request`."""
        return self.request("GET", url, params=params, expect=expect)

    def post(
        self,
        url: str,
        *,
        form: Mapping[str, str] | None = None,
        expect: Expect = "data",
    ) -> Fetched:
        """POST an url-encoded ``form`` to ``url``; see :meth:`request`."""
        return self.request("POST", url, form=form, expect=expect)

    def request(
        self,
        method: Literal["GET", "POST"],
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        expect: Expect = "data",
    ) -> Fetched:
        """Send a request with retries, rate limiting and payload checks.

        Parameters
        ----------
        method
            ``GET`` or ``POST``.
        url
            Absolute URL; ``params`` are appended to its query.
        params
            Query parameters.
        form
            Url-encoded form body (POST).
        expect
            ``"data"`` (default) refuses HTML pages; ``"any"`` accepts them.

        Returns
        -------
        Fetched
            The accepted response.

        Raises
        ------
        SourceUnavailableError
            The source could not be reached, answered with an error status, served HTML
            instead of data, or kept failing after ``retry.max_attempts`` attempts. The
            message names the URL (secrets redacted) and the reason.
        """
        request = self._client.build_request(method, url, params=params, data=form)
        shown_url = redact_url(str(request.url))
        conditional = {}
        if method == "GET" and self.validators is not None:
            conditional = self.validators.headers(shown_url)
            request.headers.update(conditional)
        bucket = self.bucket(request.url.host)
        attempts = _Attempts()
        deadline = self._deadline()
        while True:
            # past the run's deadline no request is made: not even a rate-limit wait
            self._check_deadline(
                deadline, shown_url, attempts.reasons[-1] if attempts.reasons else ""
            )
            if bucket is not None:
                attempts.waited += bucket.acquire()
            attempts.count += 1
            remaining = self._check_deadline(
                deadline, shown_url, attempts.reasons[-1] if attempts.reasons else ""
            )
            request.extensions["timeout"] = httpx2.Timeout(
                min(self._read_timeout, remaining),
                connect=min(self._connect_timeout, remaining),
            ).as_dict()
            try:
                fetched = self._attempt(request, shown_url, expect, attempts, deadline)
            except _RetryableError as failure:
                attempts.reasons.append(failure.reason)
                if attempts.count >= self.retry.max_attempts:
                    raise SourceUnavailableError(
                        f"{shown_url}: gave up after {attempts.count} attempt(s); "
                        f"last error: {failure.reason}"
                    ) from None
                wait = self._wait_before_retry(attempts.count, failure, shown_url)
                if deadline is not None and self._clock() + wait >= deadline:
                    raise SourceUnavailableError(
                        f"{shown_url}: deadline passed before retry {attempts.count + 1} "
                        f"(--timeout / download_timeout); last error: {failure.reason}"
                    ) from None
                self._sleep(wait)
                attempts.waited += wait
            else:
                self._log(method, str(request.url), fetched, bool(conditional))
                return fetched

    def _log(self, method: str, url: str, fetched: Fetched, conditional: bool) -> None:
        self.exchanges.append(
            Exchange(
                url=redact_url(url),
                method=method,
                status=fetched.status,
                bytes=len(fetched.content),
                conditional=conditional,
                etag=fetched.headers.get("etag"),
                last_modified=fetched.headers.get("last-modified"),
                sha256=fetched.sha256,
                elapsed=fetched.elapsed,
            )
        )

    def _wait_before_retry(self, retry: int, failure: _RetryableError, shown_url: str) -> float:
        if failure.retry_after is None:
            return self.retry.backoff(retry, self._rng.random())
        if failure.retry_after > self.retry.max_retry_after:
            raise SourceUnavailableError(
                f"{shown_url}: {failure.reason}; server asks to retry after "
                f"{failure.retry_after:.0f} s, more than the {self.retry.max_retry_after:.0f} s "
                "this client waits"
            )
        return failure.retry_after

    def _attempt(
        self,
        request: httpx2.Request,
        shown_url: str,
        expect: Expect,
        attempts: _Attempts,
        deadline: float | None = None,
    ) -> Fetched:
        started = time.perf_counter()
        try:
            response = self._client.send(request, stream=True)
            try:
                content = self._read_body(response, shown_url, deadline)
            finally:
                response.close()
        except httpx2.TimeoutException as exc:
            raise _RetryableError(f"timed out ({type(exc).__name__})") from exc
        except httpx2.RemoteProtocolError as exc:
            raise _RetryableError(f"truncated or malformed response ({exc})") from exc
        except (httpx2.ConnectError, httpx2.ReadError, httpx2.WriteError) as exc:
            raise _RetryableError(f"connection failed ({type(exc).__name__}: {exc})") from exc
        except httpx2.HTTPError as exc:
            raise SourceUnavailableError(f"{shown_url}: {type(exc).__name__}: {exc}") from exc
        elapsed = time.perf_counter() - started
        headers = {name.lower(): value for name, value in response.headers.items()}
        if response.status_code >= 500 or response.status_code in RETRYABLE_CLIENT_STATUS:
            raise _RetryableError(
                f"HTTP {response.status_code} ({_snippet(content)!r})",
                retry_after=self._retry_after(headers),
            )
        if response.status_code >= 400:
            raise SourceUnavailableError(
                f"{shown_url}: HTTP {response.status_code} {response.reason_phrase}: "
                f"{_snippet(content)!r}"
            )
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit():
            received = response.num_bytes_downloaded
            if received != int(declared):
                raise _RetryableError(f"truncated body: {received} of {declared} bytes")
        if expect == "data" and looks_like_html(content, headers.get("content-type", "")):
            raise SourceUnavailableError(
                f"{shown_url}: served an HTML page instead of data "
                f"(HTTP {response.status_code}, content-type "
                f"{headers.get('content-type', 'missing')!r}): {_snippet(content)!r}"
            )
        return Fetched(
            url=shown_url,
            status=response.status_code,
            headers=headers,
            content=content,
            sha256=sha256_hex(content),
            elapsed=elapsed,
            attempts=attempts.count,
            waited=attempts.waited,
        )

    def _read_body(
        self, response: httpx2.Response, shown_url: str, deadline: float | None
    ) -> bytes:
        """The body, chunk by chunk, abandoned once ``deadline`` passes (drip-feeding)."""
        chunks = []
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            if deadline is not None and self._clock() > deadline:
                received = sum(len(part) for part in chunks)
                raise SourceUnavailableError(
                    f"{shown_url}: deadline passed while receiving the body ({received} bytes "
                    "so far; --timeout / download_timeout)"
                )
        return b"".join(chunks)

    def _retry_after(self, headers: Mapping[str, str]) -> float | None:
        value = headers.get("retry-after")
        if value is None:
            return None
        now = self._wall_clock()
        server_date = headers.get("date")
        if server_date:
            with contextlib.suppress(TypeError, ValueError, IndexError):
                now = parsedate_to_datetime(server_date)
        return parse_retry_after(value, now=now)
