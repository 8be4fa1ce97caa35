"""Nothing lost, nothing doubled (issue 13): subscriptions and schedules through Redis outages, dropped
connections, corrupt values and restarts, on a private redis-server a test may stop, kill or empty, and
on the embedded SQLite default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app import Briefbot, build_digest_scheduler
from bot.core.models import Inbound, ReplyKind
from bot.metrics import CORRUPT_VALUES
from bot.store.sqlite_state import SQLiteState
from bot.subscriptions import make_subscription
from tests.conftest import DEAD_REDIS_URL, ROOT, SEEDS, counted
from tests.private_redis import PrivateRedis
from tests.test_scheduler import RecordingConsole


def cmd(text: str, channel: str = "C1", platform: str = "slack") -> Inbound:
    return Inbound(platform, channel, "U1", text, True, user_name="ana")


def daily(channel: str = "c1", topic: str = "china-russia", tz: str = "Europe/Berlin"):
    return make_subscription("console", channel, topic, "daily", "08:00", tz, now=datetime(2026, 1, 1, tzinfo=UTC))


# ------------------------------------------------------------------------------ subscribe, never lost


async def test_subscribe_during_an_outage_says_so_and_stores_nothing(settings_factory, private_redis: PrivateRedis):
    settings = settings_factory(redis_url=private_redis.url)
    async with Briefbot(settings) as bot:
        private_redis.stop()
        reply = await bot.core.handle(cmd("subscribe china-russia"))
        assert reply.kind is ReplyKind.ERROR and reply.ephemeral
        assert "couldn't save the subscription; try again" in reply.text
        listing = await bot.core.handle(cmd("subscriptions"))
        assert listing.kind is ReplyKind.ERROR and "couldn't read" in listing.text
        private_redis.start()
        assert await bot.subscriptions.all() == []  # nothing pretended to be stored
        reply = await bot.core.handle(cmd("subscribe china-russia"))
        assert reply.kind is ReplyKind.TEXT and reply.text.startswith("Subscribed"), reply.text
        assert b"china-russia" in private_redis.command("HGETALL", "briefbot:state:subscriptions")


async def test_subscribe_after_a_dropped_connection_is_stored_in_redis(settings_factory, private_redis: PrivateRedis):
    """One CLIENT KILL (an idle timeout) must not send the next write to process memory."""
    settings = settings_factory(redis_url=private_redis.url)
    async with Briefbot(settings) as bot:
        assert await bot.subscriptions.all() == []  # the pool now holds a connection
        private_redis.drop_clients()
        reply = await bot.core.handle(cmd("subscribe china-russia"))
        assert reply.kind is ReplyKind.TEXT and reply.text.startswith("Subscribed"), reply.text
        assert b"china-russia" in private_redis.command("HGETALL", "briefbot:state:subscriptions")
        private_redis.drop_clients()
        reply = await bot.core.handle(cmd("subscribe china-russia weekly fri", channel="C2"))
        assert reply.text.startswith("Subscribed"), reply.text
    async with Briefbot(settings) as other_replica:
        assert {s.channel for s in await other_replica.subscriptions.all()} == {"C1", "C2"}


async def test_a_restart_without_redis_keeps_every_subscription(settings_factory, tmp_path: Path) -> None:
    settings = settings_factory(data_dir=tmp_path / "data")
    async with Briefbot(settings) as bot:
        reply = await bot.core.handle(cmd("subscribe china-russia at 07:15 Europe/Berlin"))
        assert reply.text.startswith("Subscribed"), reply.text
        assert isinstance(bot.state, SQLiteState)
    assert (tmp_path / "data" / "state.sqlite3").is_file()
    async with Briefbot(settings) as restarted:
        (sub,) = await restarted.subscriptions.all()
        assert (sub.channel, sub.at, sub.tz) == ("C1", "07:15", "Europe/Berlin")


# ------------------------------------------------------------------ the scheduler during an outage


async def test_an_outage_keeps_the_scheduled_digests(settings_factory, private_redis: PrivateRedis) -> None:
    settings = settings_factory(redis_url=private_redis.url)
    async with Briefbot(settings) as bot:
        subs = [daily("c1"), daily("c2")]
        for sub in subs:
            await bot.subscriptions.put(sub)
        scheduler = build_digest_scheduler(bot, {"console": RecordingConsole(bot.core)})
        await scheduler.start()
        try:
            assert scheduler.job_ids() == {s.id for s in subs}
            private_redis.stop(kill=True)
            await scheduler.sync(catch_up=True)
            assert scheduler.job_ids() == {s.id for s in subs}  # "Redis is down" is not "no subscriptions"
            assert len(scheduler.scheduler.get_jobs()) == 3  # two digests and the sync job
        finally:
            await scheduler.stop()


async def test_corrupt_subscription_fields_skip_only_themselves(settings_factory, redis_client, namespace) -> None:
    """A non-JSON field and a stored unknown time zone: the other digests stay scheduled, start works."""
    from tests.conftest import REDIS_URL

    settings = settings_factory(redis_url=REDIS_URL)
    async with Briefbot(settings, namespace=namespace) as bot:
        good = daily("c1")
        await bot.subscriptions.put(good)
        key = f"{namespace}:state:subscriptions"
        await redis_client.hset(key, "garbage", "{not json")
        bad_zone = daily("c2").to_dict() | {"id": "badzone", "tz": "Mars/Olympus_Mons"}
        await redis_client.hset(key, "badzone", json.dumps(bad_zone))
        await redis_client.hset(key, "wrongshape", json.dumps(["a", "list"]))
        before = counted(CORRUPT_VALUES, "subscription")
        scheduler = build_digest_scheduler(bot, {"console": RecordingConsole(bot.core)})
        await scheduler.start()  # raised ZoneInfoNotFoundError before
        try:
            assert scheduler.job_ids() == {good.id}
        finally:
            await scheduler.stop()
        assert counted(CORRUPT_VALUES, "subscription") >= before + 2


# --------------------------------------------------------------------------------------- the CLI


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "BRIEFBOT_", "REDIS_"))}
    env.update(BRIEFBOT_ARTICLES=str(SEEDS), BRIEFBOT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT), **extra)
    return env


ADD = ("digest", "add", "--platform", "console", "--channel", "ops", "--topic", "china-russia", "--at", "08:00",
       "--tz", "Europe/Berlin")  # fmt: skip


def test_digest_add_with_redis_down_fails_and_says_so(tmp_path: Path) -> None:
    result = cli(cli_env(tmp_path, REDIS_URL=DEAD_REDIS_URL), *ADD)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Added" not in result.stdout and "unreachable" in result.stderr and "try again" in result.stderr
    assert "Traceback" not in result.stderr


def test_digest_add_without_redis_is_kept_and_two_processes_post_once(tmp_path: Path) -> None:
    """The embedded default: add, list from another process, then two run-now racing one occurrence."""
    env = cli_env(tmp_path)
    added = cli(env, *ADD)
    assert added.returncode == 0 and added.stdout.startswith("Added digest"), added.stderr
    listing = cli(env, "digest", "list", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    (row,) = json.loads(listing.stdout)
    assert row["channel"] == "ops" and row["last_status"] is None
    racers = [
        subprocess.Popen([sys.executable, "-m", "bot", "digest", "run-now", row["id"], "--scheduled-for",
                          "2026-11-23T08:00:00+01:00"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    results = [(p.wait(timeout=120), *p.communicate()) for p in racers]
    assert [code for code, _, _ in results] == [0, 0], results
    printed = [out for _, out, _ in results if "First digest of china-russia" in out]
    assert len(printed) == 1, results
    notes = " ".join(err for _, _, err in results)
    assert "posted to console:ops" in notes and "was already posted" in notes
    listing = json.loads(cli(env, "digest", "list", "--format", "json").stdout)
    assert listing[0]["last_status"]["outcome"] == "posted"


def test_digest_list_skips_a_stored_unknown_time_zone(tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    assert cli(env, *ADD).returncode == 0
    state = SQLiteState(tmp_path / "data" / "state.sqlite3")
    bad = daily("c9").to_dict() | {"id": "badzone", "tz": "Nowhere/Atlantis"}
    state.db.run(lambda c: c.execute("INSERT INTO maps VALUES ('briefbot:subscriptions', 'badzone', ?)",
                                     (json.dumps(bad),)))  # fmt: skip
    state.db.close()
    for fmt in ("text", "json"):
        listing = cli(env, "digest", "list", "--format", fmt)
        assert listing.returncode == 0, listing.stderr
        assert "ops" in listing.stdout and "badzone" not in listing.stdout
        assert "badzone" in listing.stderr and "Traceback" not in listing.stderr
