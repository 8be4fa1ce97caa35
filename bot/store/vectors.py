"""Sentence embeddings kept in Redis, so replicas and restarts reuse what one replica encoded.

Implements the summarizer's sync ``VectorStore`` protocol. The summarizer runs in worker threads, so this uses
the blocking redis client (one small pool) instead of bridging to the event loop. Values are JSON lists of
floats; a Redis error makes the store behave as empty (and warn once) so encoding simply happens again,
and an unreadable vector is a miss for that sentence alone (logged once with its key, counted).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bot.store.redis_client import OutageGate, sync_redis
from bot.store.values import CORRUPT, loads, report_corrupt

log = logging.getLogger(__name__)


def _is_vector(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in value)
    )


class RedisVectorStore:
    def __init__(
        self,
        url: str,
        namespace: str = "briefbot",
        ttl_seconds: int = 30 * 86400,
        connect_timeout: float = 0.5,
        retry_after: float = 30.0,
        client: Any = None,
    ) -> None:
        self._client = client or sync_redis(url, connect_timeout)
        self._ns = namespace
        self._ttl = ttl_seconds
        self._dims: int | None = None  # the encoder's vector length, once this process has stored one
        self.outage = OutageGate(log, "encoding without the shared embedding store", retry_after)

    def _key(self, key: str) -> str:
        return f"{self._ns}:vec:{key}"

    def get_many(self, keys: Sequence[str]) -> dict[str, list[float]]:
        if not keys or not self.outage.open:
            return {}
        try:
            raw = self._client.mget([self._key(k) for k in keys])
        except Exception as error:  # ConnectionError, TimeoutError, OSError...
            self.outage.failed(error)
            return {}
        self.outage.succeeded()
        found: dict[str, list[float]] = {}
        for key, value in zip(keys, raw, strict=True):
            if value is None:
                continue
            vector = loads(value, "vector", key)
            if vector is CORRUPT:
                continue
            if not _is_vector(vector):
                report_corrupt("vector", key, "not a list of numbers")
                continue
            found[key] = vector
        return self._same_length(found)

    def _same_length(self, found: dict[str, list[float]]) -> dict[str, list[float]]:
        """Vectors of another length than the encoder's (known from our own writes, else the batch's usual
        length) cannot be stacked with the others: each is a miss."""
        if not found:
            return found
        dims = self._dims or Counter(len(v) for v in found.values()).most_common(1)[0][0]
        for key in [k for k, v in found.items() if len(v) != dims]:
            report_corrupt("vector", key, f"{len(found.pop(key))} numbers, expected {dims}")
        return found

    def set_many(self, items: Mapping[str, list[float]]) -> None:
        if not items:
            return
        self._dims = len(next(iter(items.values())))
        if not self.outage.open:
            return
        try:
            pipe = self._client.pipeline(transaction=False)
            for key, vector in items.items():
                pipe.set(self._key(key), json.dumps([round(float(x), 6) for x in vector]), ex=self._ttl)
            pipe.execute()
        except Exception as error:
            self.outage.failed(error)

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:
            log.debug("error closing Redis client", exc_info=True)
