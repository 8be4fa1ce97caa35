"""From a fresh clone: `briefbot sources add` a feed, `briefbot poll`, `briefbot brief` shows the new articles
with their dates and links; `briefbot run` keeps polling on its own. The real CLI in subprocesses, against a
loopback feed server (hence BRIEFBOT_ALLOW_PRIVATE_SOURCES=true); state and articles in the embedded SQLite
stores, as in a fresh clone (and once on the real Redis)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import REDIS_URL, ROOT
from tests.feed_server import PARAGRAPH, FeedServer, Item
from tests.slack_fakes import BOT_TOKEN, SIGNING_SECRET, FakeSlack

NOW = datetime.now(UTC)


def story(n: int, base: str) -> Item:
    body = "\n\n".join(
        f"Moscow and Beijing, dispatch {n}.{p}: {PARAGRAPH}Russia and China said talks on Ukraine would "
        f"continue, and envoy number {n * 7 + p} was named." for p in range(4)
    )
    return Item(f"Russia and China talks, round {n}", f"{base}/story/{n}?utm_source=rss", body,
                NOW - timedelta(minutes=60 - n))


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feeds = await FeedServer().start()
    yield feeds
    await feeds.stop()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A fresh clone's environment: no Redis, the embedded SQLite stores in a data folder of this test."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "REDIS_", "SLACK_", "DISCORD_"))}
    return clean | {
        "PYTHONPATH": str(ROOT),
        "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
        "BRIEFBOT_ALLOW_PRIVATE_SOURCES": "true",
    }


async def test_sources_on_a_shared_redis(server: FeedServer, tmp_path: Path, namespace: str,
                                         redis_client: object) -> None:
    """With REDIS_URL the sources live in Redis: a second machine (another data folder) sees and polls them."""
    url = server.add_feed("wire", "Loopback Wire", [story(n, "http://wire.example") for n in range(2)])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "REDIS_"))} | {
        "PYTHONPATH": str(ROOT), "REDIS_URL": REDIS_URL, "BRIEFBOT_NAMESPACE": namespace,
        "BRIEFBOT_ALLOW_PRIVATE_SOURCES": "true",
    }
    code, out, err = await cli("sources", "add", url, env=env | {"BRIEFBOT_DATA_DIR": str(tmp_path / "a")},
                               cwd=tmp_path)
    assert code == 0, err
    code, out, err = await cli("poll", "--format", "json", env=env | {"BRIEFBOT_DATA_DIR": str(tmp_path / "b")},
                               cwd=tmp_path)
    assert code == 0, err
    assert [(s["status"], s["added"]) for s in json.loads(out)["sources"]] == [("ok", 2)]


async def cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    return process.returncode or 0, out.decode(), err.decode()


async def test_add_poll_brief_from_a_fresh_clone(server: FeedServer, env: dict[str, str], tmp_path: Path) -> None:
    stories = [story(n, "http://wire.example") for n in range(3)]
    url = server.add_feed("wire", "Loopback Wire", stories)
    code, out, err = await cli("sources", "add", url, "--name", "Wire", env=env, cwd=tmp_path)
    assert code == 0, err
    source_id = out.strip()
    assert server.hits["/feed/wire"] == 0  # adding only registers

    code, out, _ = await cli("sources", "list", "--format", "json", env=env, cwd=tmp_path)
    (row,) = json.loads(out)
    assert set(row) >= {"id", "url", "name", "every_seconds", "last_polled", "last_status", "last_error",
                        "articles_added", "consecutive_errors", "next_poll"}
    assert (row["id"], row["name"], row["last_polled"], row["last_status"]) == (source_id, "Wire", None, None)

    code, out, err = await cli("poll", "--format", "json", env=env, cwd=tmp_path)
    assert code == 0, err
    assert json.loads(out) == {"sources": [{"id": source_id, "url": url, "status": "ok", "added": 3,
                                            "duplicates": 0, "error": None}]}
    assert {p.name for p in (tmp_path / "data").iterdir()} >= {"articles.sqlite3", "state.sqlite3"}

    code, out, err = await cli("brief", "china-russia", "--format", "json", env=env, cwd=tmp_path)
    assert code == 0, err
    sources = json.loads(out)["sources"]
    ours = [s for s in sources if (s["url"] or "").startswith("http://wire.example/")]
    assert len(ours) == 3 and len(sources) > 3  # the seeds are still there, next to the new articles
    published = {i.link: i.published.replace(microsecond=0).isoformat() for i in stories}
    assert all(s["outlet"] == "Loopback Wire" and s["published"] == published[s["url"]] for s in ours)

    code, out, err = await cli("brief", "china-russia", "--since", "1d", env=env, cwd=tmp_path)
    assert code == 0, err
    assert out.count("http://wire.example/story/") >= 1 and "Loopback Wire" in out
    assert any(date in out for date in published.values())  # the date next to the link
    code, _, err = await cli("brief", "china-russia", "--since", "yesterday", env=env, cwd=tmp_path)
    assert code == 2 and "not a duration" in err

    code, out, _ = await cli("sources", "list", env=env, cwd=tmp_path)
    assert "3 article(s) added" in out and "(ok)" in out
    code, out, _ = await cli("sources", "remove", source_id, env=env, cwd=tmp_path)
    assert code == 0 and source_id in out
    code, out, _ = await cli("sources", "list", "--format", "json", env=env, cwd=tmp_path)
    assert json.loads(out) == []


async def test_private_feed_refused_without_the_setting(
    server: FeedServer, env: dict[str, str], tmp_path: Path
) -> None:
    url = server.add_feed("wire", "Loopback Wire", [story(1, "http://wire.example")])
    code, _, err = await cli("sources", "add", url, env=env | {"BRIEFBOT_ALLOW_PRIVATE_SOURCES": "false"}, cwd=tmp_path)
    assert code == 2 and "loopback" in err and "Traceback" not in err
    code, _, err = await cli("ingest", url, env=env | {"BRIEFBOT_ALLOW_PRIVATE_SOURCES": "false"}, cwd=tmp_path)
    assert code == 0 and "refused" in _ + err
    code, _, err = await cli("ingest", "--timeout", "inf", url, env=env, cwd=tmp_path)
    assert code == 2 and "finite" in err and "Traceback" not in err
    assert server.hits["/feed/wire"] == 0


async def test_run_keeps_polling_on_its_own(server: FeedServer, env: dict[str, str], tmp_path: Path) -> None:
    slack = await FakeSlack().start()
    items = [story(n, "http://wire.example") for n in range(2)]
    url = server.add_feed("wire", "Loopback Wire", items)
    run_env = env | {
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.api_url,
        "BRIEFBOT_HTTP_PORT": "0", "BRIEFBOT_POLL_TICK_SECONDS": "1", "BRIEFBOT_SOURCE_MIN_SECONDS": "1",
    }
    code, _, err = await cli("sources", "add", url, "--every", "2s", env=run_env, cwd=tmp_path)
    assert code == 0, err
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "slack", cwd=tmp_path, env=run_env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )

    async def added() -> int:
        _, out, _ = await cli("sources", "list", "--format", "json", env=run_env, cwd=tmp_path)
        rows = json.loads(out)
        return rows[0]["articles_added"] if rows else 0

    async def wait_for(count: int) -> int:
        deadline = time.monotonic() + 60
        seen = await added()
        while seen < count and time.monotonic() < deadline and process.returncode is None:
            await asyncio.sleep(0.5)
            seen = await added()
        return seen

    try:
        assert await wait_for(2) == 2
        items.extend(story(n, "http://wire.example") for n in range(2, 4))  # the feed publishes two more
        assert await wait_for(4) == 4
        assert server.hits["/feed/wire"] >= 2
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()
        await slack.stop()
    code, out, err = await cli("brief", "china-russia", "--since", "1d", env=env, cwd=tmp_path)
    assert code == 0, err
    assert all(f"http://wire.example/story/{n}" in out for n in range(4))
