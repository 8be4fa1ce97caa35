"""One way to open a Redis connection, so every store fails fast and the same way when Redis is down."""

from __future__ import annotations

import logging
import time
from typing import Any


def async_redis(
    url: str, connect_timeout: float = 0.5, read_timeout: float = 1.0, decode_responses: bool = True
) -> Any:
    """A redis.asyncio client with a short connect timeout: an outage costs a request milliseconds, not minutes."""
    import redis.asyncio as redis_asyncio

    return redis_asyncio.from_url(
        url,
        socket_connect_timeout=connect_timeout,
        socket_timeout=max(connect_timeout, read_timeout),
        decode_responses=decode_responses,
    )


class OutageGate:
    """After a Redis error: skip Redis for ``retry_after`` seconds and warn once per outage, not per request.

    Shared by the cache, the state fallback and the embedding store, which all keep answering without Redis.
    """

    def __init__(self, log: logging.Logger, consequence: str, retry_after: float = 30.0, back: str | None = None):
        self._log = log
        self._consequence = consequence  # e.g. "answering without the cache"
        self._back = back  # logged when Redis answers again after a warning, if set
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
            self._log.warning("Redis unavailable (%s): %s", type(error).__name__, self._consequence)
            self._warned = True

    def succeeded(self) -> None:
        if self._warned and self._back:
            self._log.warning("%s", self._back)
        self._warned = False
