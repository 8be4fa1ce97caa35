"""The fetcher every download goes through: private-address guard, caps, timeouts, redirects, politeness.

* bodies are streamed to EOF or to the size cap (a single ``read(n)`` returns only what is buffered, so a page
  sent in two writes would be silently cut);
* connect and total timeouts; the total covers the whole body, so a 1 byte/s drip ends on time;
* redirects are followed by hand (at most ``max_redirects``) so every hop is checked by the guard;
* a per-host concurrency limit (the connector's ``limit_per_host``) and a User-Agent that names Briefbot and
  a contact URL; conditional GET headers are the caller's (``bot.sources.poller``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from bot.sources.guard import BadSourceURL, ForbiddenAddress, check_literal, guarded_resolver

DEFAULT_MAX_BYTES = 5_000_000
CHUNK = 65536
REDIRECTS = (301, 302, 303, 307, 308)


class FetchFailed(Exception):
    """A URL could not be downloaded; the message names the HTTP status, the cap or the network error."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds for one download, body included
    connect_timeout: float = 5.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    per_host: int = 2
    concurrency: int = 16
    allow_private: bool = False
    user_agent: str = "Briefbot/0.1 (+https://github.com/briefbot/briefbot)"

    def __post_init__(self) -> None:
        for name in ("timeout", "connect_timeout"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name.replace('_', ' ')} must be a finite number of seconds above 0, not {value}")
        if self.max_bytes < 1 or self.max_redirects < 0 or self.per_host < 1 or self.concurrency < 1:
            raise ValueError("fetch limits must be positive")


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 for a conditional GET whose resource has not changed
    body: bytes
    content_type: str
    url: str  # after redirects
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive (a CIMultiDict)


def user_agent(contact_url: str | None, version: str = "0.1") -> str:
    """``Briefbot/0.1 (+contact)``: what a feed operator sees in their logs and who to write to."""
    return f"Briefbot/{version} (+{contact_url})" if contact_url else f"Briefbot/{version}"


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds from now, None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(min(int(value), 7 * 86400))
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    import datetime as dt

    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, min((when - dt.datetime.now(dt.UTC)).total_seconds(), 7 * 86400))


class Fetcher:
    """``async with Fetcher(options) as f: await f.get(url)``; one aiohttp session for many downloads."""

    def __init__(self, options: FetchOptions | None = None, resolver: Any = None, policy: Any = None) -> None:
        self.options = options or FetchOptions()
        self._resolver = resolver  # the aiohttp resolver that asks DNS (tests map names to loopback servers)
        self._policy = policy  # which addresses are internal (default: bot.sources.guard.forbidden_reason)
        self._session: Any = None
        self._limit: Any = None
        self.requests = 0  # HTTP requests made (redirect hops included), for benchmarks and logs
        self.bytes = 0

    async def __aenter__(self) -> Fetcher:
        import asyncio

        import aiohttp

        o = self.options
        connector = aiohttp.TCPConnector(
            resolver=guarded_resolver(o.allow_private, self._resolver, self._policy),
            limit=o.concurrency,
            limit_per_host=o.per_host,
            use_dns_cache=False,  # every connection resolves (and is checked) afresh
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=o.timeout, connect=o.connect_timeout),
            headers={"User-Agent": o.user_agent},
            trust_env=False,  # a proxy would connect on our behalf to addresses we never checked
            auto_decompress=True,
        )
        self._limit = asyncio.Semaphore(o.concurrency)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self._session is not None:
            await self._session.close()

    async def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """The body of ``url`` (following checked redirects), or ``FetchFailed`` saying why not."""
        import asyncio

        async with self._limit:
            try:
                return await asyncio.wait_for(self._get(url, headers or {}), self.options.timeout)
            except TimeoutError as error:
                raise FetchFailed(f"fetch failed (no complete answer within {self.options.timeout:g} s)") from error

    async def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        import aiohttp
        from multidict import CIMultiDict

        current = url
        for _ in range(self.options.max_redirects + 1):
            try:
                check_literal(current, self.options.allow_private, self._policy)
            except (ForbiddenAddress, BadSourceURL) as error:
                raise FetchFailed(f"refused ({error})") from error
            self.requests += 1
            try:
                async with self._session.get(current, headers=headers, allow_redirects=False) as response:
                    if response.status in REDIRECTS:
                        location = response.headers.get("Location")
                        if not location:
                            raise FetchFailed(f"fetch failed (HTTP {response.status} without a Location)")
                        current = urljoin(str(response.url), location)
                        continue
                    if response.status == 304:
                        return Fetched(304, b"", "", str(response.url), CIMultiDict(response.headers))
                    if response.status >= 400:
                        raise FetchFailed(
                            f"fetch failed (HTTP {response.status} {response.reason or ''}".rstrip() + ")",
                            status=response.status,
                            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                        )
                    body = await self._read_capped(response)
                    return Fetched(
                        response.status, body, response.headers.get("Content-Type", ""), str(response.url),
                        CIMultiDict(response.headers),
                    )
            except ForbiddenAddress as error:
                raise FetchFailed(f"refused ({error}; set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true)") from error
            except aiohttp.ClientConnectorError as error:
                cause = error.__cause__ or error.__context__
                if isinstance(cause, ForbiddenAddress):
                    raise FetchFailed(f"refused ({cause})") from error
                raise FetchFailed(f"fetch failed (cannot connect to {error.host}:{error.port})") from error
            except aiohttp.ClientError as error:
                raise FetchFailed(f"fetch failed ({type(error).__name__}: {error})") from error
        raise FetchFailed(f"fetch failed (more than {self.options.max_redirects} redirects)")

    async def _read_capped(self, response: Any) -> bytes:
        cap = self.options.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > cap:
            raise FetchFailed(f"fetch failed (larger than the {cap}-byte cap: {declared} bytes declared)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(CHUNK):  # to EOF, however many writes it took
            size += len(chunk)
            self.bytes += len(chunk)
            if size > cap:
                raise FetchFailed(f"fetch failed (larger than the {cap}-byte cap)")
            chunks.append(chunk)
        return b"".join(chunks)
