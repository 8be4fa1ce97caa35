"""One way to open a Redis connection, so every store fails fast and the same way when Redis is down.

A pooled connection can go stale (a managed Redis's idle timeout, ``CLIENT KILL``, a failover): the first
command on it fails with ``ConnectionError`` although Redis is fine. Every client made here retries such a
command once, at once, on a fresh connection (redis-py's own ``Retry``), before anyone calls it an outage.
"""

from __future__ import annotations

import logging
import time
from typing import Any


def _retry_kwargs(asynchronous: bool) -> dict[str, Any]:
    """redis-py options: one immediate retry on ConnectionError/TimeoutError (stale pooled connection)."""
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    if asynchronous:
        from redis.asyncio.retry import Retry
    else:
        from redis.retry import Retry  # type: ignore[assignment]
    return {"retry": Retry(NoBackoff(), 1), "retry_on_error": [RedisConnectionError, RedisTimeoutError]}


def async_redis(
    url: str,
    connect_timeout: float = 0.5,
    read_timeout: float = 1.0,
    decode_responses: bool = True,
    client_name: str | None = None,
) -> Any:
    """A redis.asyncio client with a short connect timeout: an outage costs a request milliseconds, not minutes."""
    import redis.asyncio as redis_asyncio

    return redis_asyncio.from_url(
        url,
        socket_connect_timeout=connect_timeout,
        socket_timeout=max(connect_timeout, read_timeout),
        decode_responses=decode_responses,
        client_name=client_name,
        **_retry_kwargs(asynchronous=True),
    )


def sync_redis(
    url: str, connect_timeout: float = 0.5, read_timeout: float = 1.0, client_name: str | None = None
) -> Any:
    """The blocking client, same timeouts and the same one retry (for code running in worker threads)."""
    import redis

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=connect_timeout,
        socket_timeout=max(connect_timeout, read_timeout),
        client_name=client_name,
        **_retry_kwargs(asynchronous=False),
    )


def is_outage(error: BaseException) -> bool:
    """True for errors that mean "the store cannot be reached", not "this value is bad"."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return isinstance(error, RedisConnectionError | RedisTimeoutError | OSError)


class OutageGate:
    """After a Redis error: skip Redis for ``retry_after`` seconds and warn once per outage, not per request.

    Shared by the cache, the degrading state and the embedding store, which all keep answering without Redis.
    Each outage (not each failed call) is counted in ``briefbot_store_outages_total{store=...}``.
    """

    def __init__(
        self,
        log: logging.Logger,
        consequence: str,
        retry_after: float = 30.0,
        back: str | None = None,
        store: str = "redis",
        count: bool = True,
    ):
        self._log = log
        self._consequence = consequence  # e.g. "answering without the cache"
        self._back = back  # logged when Redis answers again after a warning, if set
        self._store = store
        self._count = count  # False when the store itself already counts its outages
        self.retry_after = retry_after
        self._down_until = 0.0
        self._warned = False

    @property
    def open(self) -> bool:
        """True when Redis may be tried."""
        return time.monotonic() >= self._down_until

    def failed(self, error: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_after
        if not self._warned:
            from bot.metrics import STORE_OUTAGES

            if self._count:
                STORE_OUTAGES.labels(self._store).inc()
            name = {"redis": "Redis", "sqlite": "SQLite", "state": "The state store"}.get(self._store, self._store)
            self._log.warning("%s unavailable (%s: %s): %s", name, type(error).__name__, error,
                              self._consequence)  # fmt: skip
            self._warned = True

    def succeeded(self) -> None:
        if self._warned and self._back:
            self._log.warning("%s", self._back)
        self._warned = False
