"""One way to open a Redis connection, so every store fails fast and the same way when Redis is down."""

from __future__ import annotations

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
