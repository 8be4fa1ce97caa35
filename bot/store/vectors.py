"""Sentence embeddings kept in Redis, so replicas and restarts reuse what one replica encoded.

Implements the summarizer's sync ``VectorStore`` protocol. The summarizer runs in worker threads, so this uses
the blocking redis client (one small pool) instead of bridging to the event loop. Values are JSON lists of
floats; a Redis error makes the store behave as empty (and warn once) so encoding simply happens again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.store.redis_client import OutageGate

log = logging.getLogger(__name__)


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
        import redis

        self._client = client or redis.Redis.from_url(
            url, socket_connect_timeout=connect_timeout, socket_timeout=max(connect_timeout, 1.0)
        )
        self._ns = namespace
        self._ttl = ttl_seconds
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
        return {k: json.loads(v) for k, v in zip(keys, raw, strict=True) if v is not None}

    def set_many(self, items: Mapping[str, list[float]]) -> None:
        if not items or not self.outage.open:
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
