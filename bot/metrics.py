"""Prometheus metrics, defined once so every part of the bot counts into the same registry.

The web server exposes them at ``/metrics``. Names follow Prometheus conventions (``_total`` for counters,
base units in seconds). Keep labels low-cardinality: a platform, a kind, an outcome; never a topic or a user.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

BRIEFS = Counter(
    "briefbot_briefs_total", "Briefs produced, by how (computed or served from cache).", ["source"], registry=REGISTRY
)
ANSWER_SECONDS = Histogram(
    "briefbot_answer_seconds", "Time to answer a follow-up question.", registry=REGISTRY,
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
DIGESTS = Counter(
    "briefbot_digests_total", "Digest occurrences, by outcome (posted, failed, skipped).", ["outcome"],
    registry=REGISTRY,
)  # fmt: skip
SOURCE_POLLS = Counter(
    "briefbot_source_polls_total", "Source polls, by status (ok, not_modified, error).", ["status"], registry=REGISTRY
)
STORE_OUTAGES = Counter(
    "briefbot_store_outages_total", "Times a store (Redis, SQLite) became unreachable.", ["store"], registry=REGISTRY
)
CORRUPT_VALUES = Counter(
    "briefbot_corrupt_values_total", "Stored values that could not be read and were skipped.", ["kind"],
    registry=REGISTRY,
)  # fmt: skip
