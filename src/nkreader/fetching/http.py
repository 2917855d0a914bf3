"""One polite, bounded HTTP GET: what fetching a feed or a page may cost, and no more.

feedparser and trafilatura have no timeout and no size limit of their own, so every byte they see
comes through `Fetcher.get`:

- http and https only, checked on the URL given and on every redirect (at most `max_redirects`);
- a connect timeout and a total one (`Limits.timeout`): the read timeout is the time left, and the
  deadline is checked between chunks, so a server that trickles bytes is cut off too;
- a byte cap (the import size limit) counted while streaming, on the *decoded* body: we decode
  gzip/deflate ourselves with a bounded inflater, so a compression bomb stops at the cap instead
  of expanding in memory first;
- conditional requests: `Validators` (ETag / Last-Modified) go out as If-None-Match /
  If-Modified-Since and a 304 comes back as `Page.not_modified` with no body;
- retries with exponential backoff on timeouts, dropped connections and 5xx; `Retry-After` on 429 and
  503 is honoured up to `max_retry_after` seconds (a longer wait is reported, not slept);
- one request at a time per host (`HostGate`, shared by the fetchers of one refresh), a User-Agent
  naming nkreader, and proxies from the environment (httpx `trust_env`: HTTP(S)_PROXY, NO_PROXY).

Every failure is a `FetchError` whose text is one line for people.
"""

from __future__ import annotations

import email.utils
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from nkreader import __version__
from nkreader.ingest import DEFAULT_MAX_BYTES
from nkreader.text.normalize import normalize_line

__all__ = [
    "USER_AGENT",
    "FetchCancelled",
    "FetchError",
    "Fetcher",
    "HostGate",
    "Limits",
    "Page",
    "Validators",
    "check_url",
    "host_of",
]

USER_AGENT = f"nkreader/{__version__} (terminal news reader and annotator; python-httpx/{httpx.__version__})"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A URL could not be fetched; `str(error)` is a one-line reason. `transient`: worth retrying."""

    def __init__(self, reason: str, *, transient: bool = False, delay: float | None = None) -> None:
        reason = normalize_line(str(reason)) or "cannot be fetched"
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.delay = delay
        """Seconds the server asked us to wait before retrying (Retry-After), if it said."""


class FetchCancelled(FetchError):
    """The refresh was stopped (the app was closed, or the user cancelled)."""

    def __init__(self) -> None:
        super().__init__("cancelled")


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest body accepted, counted after decompression."""
    connect_timeout: float = 10.0
    timeout: float = 30.0
    """Seconds one attempt may take, redirects and body included."""
    max_redirects: int = 5
    retries: int = 2
    """Further attempts after a timeout, a dropped connection, a 5xx or a 429."""
    backoff: float = 1.0
    """Seconds before the first retry; doubled for each further one."""
    max_retry_after: float = 120.0
    """Longest Retry-After we wait for; a server asking for more is reported as failing."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies the version we have: sent back to get a 304 when unchanged."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Page:
    url: str
    """Where the body came from, after redirects."""
    status: int
    body: bytes
    content_type: str | None
    charset: str | None
    """The charset the Content-Type header names, if any."""
    validators: Validators
    location: str | None = None
    """Where a redirect points (only on a 3xx, which `Fetcher.get` follows itself)."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """`url` if it is an absolute http(s) URL with a host; else `FetchError` saying why."""
    text = url.strip()
    if not text or any(not ch.isprintable() or ch.isspace() for ch in text):
        raise FetchError("not a URL (empty, or with spaces or control characters)")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise FetchError(f"not a valid URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchError(f"only http and https URLs can be fetched ({shown})")
    if not parts.hostname:
        raise FetchError("the URL has no host")
    return text


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


class HostGate:
    """One request at a time per host, across every thread of a refresh."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, url: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(host_of(url), threading.Lock())
        with lock:
            yield


class Fetcher:
    """An httpx client with the limits above. Thread-safe; close it (or use `with`) when done."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        gate: HostGate | None = None,
        cancel: threading.Event | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.gate = gate or HostGate()
        self.cancel = cancel or threading.Event()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.limits.timeout, connect=self.limits.connect_timeout),
            follow_redirects=False,
            trust_env=True,
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, validators: Validators | None = None, *, accept: str | None = None) -> Page:
        """GET `url` within the limits, retrying what is worth retrying; `FetchError` otherwise."""
        url = check_url(url)
        headers = {"Accept": accept or "*/*"}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        attempt = 0
        while True:
            try:
                return self._follow(url, headers)
            except FetchCancelled:
                raise
            except FetchError as error:
                if not error.transient or attempt >= self.limits.retries:
                    if error.transient and attempt:
                        raise FetchError(f"{error.reason} (after {attempt + 1} attempts)") from None
                    raise
                delay = error.delay if error.delay is not None else self.limits.backoff * 2**attempt
                attempt += 1
                if self.cancel.wait(delay):
                    raise FetchCancelled() from None

    # ------------------------------------------------------------------ one attempt

    def _follow(self, url: str, headers: dict[str, str]) -> Page:
        deadline = time.monotonic() + self.limits.timeout
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            with self.gate.hold(current):
                page = self._request(current, headers, deadline)
            if page.status not in _REDIRECTS:
                return page
            location = page.location
            if not location:
                raise FetchError(f"redirect ({page.status}) without a Location")
            current = check_url(urljoin(current, location))
        raise FetchError(f"too many redirects (more than {self.limits.max_redirects})")

    def _request(self, url: str, headers: dict[str, str], deadline: float) -> Page:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _timed_out(self.limits.timeout)
        timeout = httpx.Timeout(left, connect=min(self.limits.connect_timeout, left))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                return self._page(url, response, deadline)
        except httpx.ConnectTimeout:
            raise FetchError(
                f"could not connect within {self.limits.connect_timeout:g} s", transient=True
            ) from None
        except httpx.TimeoutException:
            raise _timed_out(self.limits.timeout) from None
        except httpx.ProxyError as error:
            raise FetchError(f"proxy refused the request: {error}") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
            raise FetchError(f"cannot connect: {_why(error)}", transient=True) from None
        except httpx.InvalidURL as error:
            raise FetchError(f"not a valid URL: {error}") from None
        except httpx.HTTPError as error:
            raise FetchError(f"request failed: {_why(error)}") from None

    def _page(self, url: str, response: httpx.Response, deadline: float) -> Page:
        status = response.status_code
        if status in _REDIRECTS:
            return Page(url, status, b"", None, None, Validators(), response.headers.get("location"))
        if status in (429, 503):
            raise self._retry_later(status, response.headers.get("retry-after"))
        if status >= 500:
            raise FetchError(f"server error {status} {response.reason_phrase}".strip(), transient=True)
        if status == 304:
            return Page(url, 304, b"", None, None, _validators(response))
        if status >= 400 or not 200 <= status < 300:
            raise FetchError(f"HTTP {status} {response.reason_phrase}".strip())
        body = self._read_body(response, deadline)
        content_type = response.headers.get("content-type")
        return Page(url, status, body, content_type, response.charset_encoding, _validators(response))

    def _retry_later(self, status: int, retry_after: str | None) -> FetchError:
        label = "too many requests (429)" if status == 429 else "service unavailable (503)"
        delay = _retry_after_seconds(retry_after)
        if delay is not None and delay > self.limits.max_retry_after:
            return FetchError(f"{label}; the server asks to wait {delay:.0f} s, try again later")
        return FetchError(label, transient=True, delay=delay)

    def _read_body(self, response: httpx.Response, deadline: float) -> bytes:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity") and declared.isdigit() and int(declared) > cap:
            raise _too_large(cap)
        inflater = _Inflater.for_encoding(encoding)
        parts: list[bytes] = []
        size = raw_size = 0
        for raw in response.iter_raw():  # as the bytes arrive: the deadline is checked often
            if self.cancel.is_set():
                raise FetchCancelled()
            if time.monotonic() > deadline:
                raise _timed_out(self.limits.timeout)
            raw_size += len(raw)
            if raw_size > cap:
                raise _too_large(cap)
            data = inflater.feed(raw, cap - size) if inflater else raw
            size += len(data)
            if size > cap:
                raise _too_large(cap)
            parts.append(data)
        if inflater is not None:
            tail = inflater.finish(cap - size)
            size += len(tail)
            if size > cap:
                raise _too_large(cap)
            parts.append(tail)
        return b"".join(parts)


class _Inflater:
    """gzip or deflate, decoded a chunk at a time with the output bounded by what room is left."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # gzip, or zlib-wrapped deflate (auto-detected); raw deflate is tried if that fails
        self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
        self._started = False

    @classmethod
    def for_encoding(cls, encoding: str) -> _Inflater | None:
        if not encoding or encoding == "identity":
            return None
        if encoding in ("gzip", "x-gzip", "deflate"):
            return cls(encoding)
        raise FetchError(f"unsupported content encoding {normalize_line(encoding)!r}")

    def feed(self, raw: bytes, room: int) -> bytes:
        try:
            out = self._inflater.decompress(raw, room + 1)
        except zlib.error:
            if self._started or self.encoding != "deflate":
                raise FetchError(f"corrupt {self.encoding} body") from None
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = self._inflater.decompress(raw, room + 1)
            except zlib.error:
                raise FetchError("corrupt deflate body") from None
        self._started = True
        return out  # longer than `room` only when over the cap: the caller refuses it

    def finish(self, room: int) -> bytes:
        try:
            out = self._inflater.decompress(self._inflater.unconsumed_tail, room + 1)
            if len(out) <= room:
                out += self._inflater.flush()
        except zlib.error:
            raise FetchError(f"corrupt {self.encoding} body") from None
        if len(out) <= room and not self._inflater.eof:
            raise FetchError(f"the {self.encoding} body is cut short")
        return out


def _validators(response: httpx.Response) -> Validators:
    etag = response.headers.get("etag")
    modified = response.headers.get("last-modified")
    return Validators(
        etag=etag.strip() if etag else None, last_modified=modified.strip() if modified else None
    )


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _timed_out(seconds: float) -> FetchError:
    return FetchError(f"timed out (no complete response within {seconds:g} s)", transient=True)


def _too_large(cap: int) -> FetchError:
    return FetchError(f"response is too large (over {_size(cap)}, the import size limit)")


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def _why(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text.removeprefix("[Errno ").replace("] ", ": ", 1) if text.startswith("[Errno ") else text
