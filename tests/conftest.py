"""Shared fixtures: the seed folder, a real Redis server with a per-test key namespace, settings."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.private_redis import private_redis  # noqa: F401  (a fixture: a redis-server a test may stop)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REDIS_URL = os.environ.get("BRIEFBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's embedded SQLite state lives in its own folder (also for CLI subprocesses it starts)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A private copy of the seed articles, so a test may add or break files."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def namespace() -> str:
    """A unique Redis key prefix: tests share one server and may run in parallel."""
    return f"bbtest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def redis_client(namespace: str) -> AsyncIterator[object]:
    """A client for the real Redis server; deletes this test's keys afterwards."""
    import redis.asyncio as redis_asyncio

    client = redis_asyncio.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception as error:  # CI starts Redis; a developer without one sees why
        pytest.fail(f"these tests need a Redis server at {REDIS_URL}: {error}")
    yield client
    keys = [k async for k in client.scan_iter(f"{namespace}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def settings_factory(tmp_path: Path) -> Iterator[object]:
    """Build Settings explicitly (no environment leakage between tests)."""
    from bot.settings import Settings

    def make(**overrides: object) -> Settings:
        base: dict[str, object] = {
            "articles_dir": SEEDS,
            "topics_file": ROOT / "bot" / "defaults" / "topics.toml",
            "digests_file": tmp_path / "digests.toml",
            "redis_url": None,
            "data_dir": tmp_path / "data",  # the embedded stores of this test only
        }
        unknown = set(overrides) - set(Settings.model_fields)
        if unknown:  # Settings ignores unknown keys (other programs' variables in .env): a test must not
            raise TypeError(f"not settings: {sorted(unknown)} (platform settings nest: slack={{...}})")
        base.update(overrides)
        return Settings(**base)

    yield make


def counted(counter: object, *labels: str) -> float:
    """A Prometheus counter's value for these label values, read through ``collect()`` (its public API)."""
    for family in counter.collect():  # type: ignore[attr-defined]
        for sample in family.samples:
            if sample.name.endswith("_total") and tuple(sample.labels.values()) == labels:
                return float(sample.value)
    return 0.0
