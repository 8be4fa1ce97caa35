"""The digest scheduler: DST-correct cron triggers, a real AsyncIOScheduler run, replicas on one Redis,
a holder that dies mid-post, restarts inside and outside the grace window, and live re-syncs."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.adapters.console import ConsoleAdapter
from bot.app import Briefbot, build_digest_scheduler
from bot.core.models import Inbound, Reply, ThreadRef
from bot.digests import Outcome, lock_key, posted_key
from bot.store.state import RedisState
from bot.subscriptions import Subscription, make_subscription, occurrences
from tests.conftest import REDIS_URL

BERLIN = ZoneInfo("Europe/Berlin")


class RecordingConsole(ConsoleAdapter):
    """The real console adapter, remembering each reply it posted (tests read the digest's extra)."""

    def __init__(self, core: object) -> None:
        super().__init__(core, out=io.StringIO())  # type: ignore[arg-type]
        self.replies: list[tuple[str, Reply]] = []

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        self.replies.append((channel, reply))
        return await super().post(channel, reply)


def berlin_daily(created: datetime, channel: str = "c1") -> Subscription:
    return make_subscription("console", channel, "china-russia", "daily", "08:00", "Europe/Berlin", now=created)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ------------------------------------------------------------------------------------- triggers and DST


def test_berlin_0800_is_0700_utc_in_winter_and_0600_utc_in_summer() -> None:
    sub = berlin_daily(utc(2026, 1, 1))
    spring = occurrences(sub, utc(2026, 3, 27, 12), utc(2026, 3, 31, 12))
    assert spring == [utc(2026, 3, 28, 7), utc(2026, 3, 29, 6), utc(2026, 3, 30, 6), utc(2026, 3, 31, 6)]
    autumn = occurrences(sub, utc(2026, 10, 23, 12), utc(2026, 10, 26, 12))
    assert autumn == [utc(2026, 10, 24, 6), utc(2026, 10, 25, 7), utc(2026, 10, 26, 7)]
    assert all(moment.astimezone(BERLIN).hour == 8 for moment in spring + autumn)


def test_next_fire_time_crosses_the_dst_change() -> None:
    trigger = berlin_daily(utc(2026, 1, 1)).trigger()
    assert trigger.get_next_fire_time(None, utc(2026, 3, 28, 7, 0, 1)) == utc(2026, 3, 29, 6)
    assert trigger.get_next_fire_time(None, utc(2026, 10, 24, 6, 0, 1)) == utc(2026, 10, 25, 7)


def test_weekdays_weekly_and_standard_cron_day_numbers() -> None:
    start, end = utc(2026, 11, 22), utc(2026, 11, 29, 23)  # Sunday 22nd to Sunday 29th
    weekdays = make_subscription("console", "c", "t", "weekdays", "09:30", "America/New_York")
    assert [m.astimezone(ZoneInfo("America/New_York")).day for m in occurrences(weekdays, start, end)] == [
        23, 24, 25, 26, 27,
    ]  # fmt: skip
    weekly = make_subscription("console", "c", "t", "weekly fri", "07:00", "Asia/Tokyo")
    assert occurrences(weekly, start, end) == [utc(2026, 11, 26, 22)]  # Fri 27th 07:00 JST
    sunday = make_subscription("console", "c", "t", "0 8 * * 0", None, "UTC")  # crontab: 0 is Sunday
    assert occurrences(sunday, start, end) == [utc(2026, 11, 22, 8), utc(2026, 11, 29, 8)]
    mon_fri = make_subscription("console", "c", "t", 'cron 15 6 * * 1-5', None, "UTC")
    assert [m.day for m in occurrences(mon_fri, start, end)] == [23, 24, 25, 26, 27]


# ---------------------------------------------------------------------------- a real scheduler running


async def test_scheduler_runs_the_job_at_0800_berlin_after_the_spring_change(settings_factory) -> None:
    async with Briefbot(settings_factory()) as bot:
        console = RecordingConsole(bot.core)
        with time_machine.travel(utc(2026, 3, 29, 5, 59, 58), tick=True):
            sub = berlin_daily(utc(2026, 3, 1))
            await bot.subscriptions.put(sub)
            scheduler = build_digest_scheduler(bot, {"console": console})
            await scheduler.start()
            try:
                assert scheduler.job_ids() == {sub.id}
                job = scheduler.scheduler.get_job(f"digest:{sub.id}")
                assert job.next_run_time == utc(2026, 3, 29, 6)  # 08:00 CEST
                marker = None
                for _ in range(100):  # the job is due in ~2 s of real time
                    # (read inside the travel: the embedded store's TTLs are wall-clock timestamps)
                    marker = await bot.state.get_json(posted_key(sub.id, utc(2026, 3, 29, 6)))
                    if console.replies and marker:
                        break
                    await asyncio.sleep(0.1)
            finally:
                await scheduler.stop()
        assert len(console.replies) == 1
        channel, reply = console.replies[0]
        assert channel == "c1" and reply.extra["digest"] is True
        assert marker is not None and marker["how"] == "posted" and marker["message_id"] == "t1"
        assert "[thread t1]" in console.out.getvalue()


# -------------------------------------------------------------------------- replicas on one Redis


@pytest.fixture
async def two_replicas(settings_factory, namespace, redis_client):
    """Two Briefbots sharing one Redis namespace, as two processes of one deployment would."""
    settings = settings_factory(redis_url=REDIS_URL)
    async with Briefbot(settings, namespace=namespace) as one, Briefbot(settings, namespace=namespace) as two:
        assert isinstance(one.state, RedisState) and one.state is not two.state
        yield one, two


def fixed(moment: datetime):
    return lambda: moment


async def test_two_schedulers_post_one_occurrence_once(two_replicas) -> None:
    one, two = two_replicas
    sub = berlin_daily(utc(2026, 11, 1))
    await one.subscriptions.put(sub)
    consoles = [RecordingConsole(one.core), RecordingConsole(two.core)]
    due = utc(2026, 11, 23, 7, 0, 0, 40_000)  # 08:00:00.04 Berlin: both jobs fire now
    schedulers = [
        build_digest_scheduler(bot, {"console": c}, clock=fixed(due))
        for bot, c in zip((one, two), consoles, strict=True)
    ]
    outcomes = await asyncio.gather(*(s.fire(sub.id) for s in schedulers))
    assert sorted(outcomes) == sorted([Outcome.POSTED, Outcome.IN_PROGRESS]) or sorted(outcomes) == sorted(
        [Outcome.POSTED, Outcome.ALREADY_POSTED]
    )
    assert sum(len(c.replies) for c in consoles) == 1
    # both replicas' later catch-ups see the marker: still one post
    for scheduler in schedulers:
        assert await scheduler.catch_up(sub) is None
    assert sum(len(c.replies) for c in consoles) == 1


async def test_holder_dies_mid_post_then_another_replica_posts_once(two_replicas) -> None:
    one, two = two_replicas
    sub = berlin_daily(utc(2026, 11, 1))
    await one.subscriptions.put(sub)
    occurrence = utc(2026, 11, 23, 7)
    # replica one took the lock and died before posting: no marker, the lock expires on its own
    assert await one.state.set_if_absent(lock_key(sub.id, occurrence), "dead-holder", 0.5)
    console = RecordingConsole(two.core)
    scheduler = build_digest_scheduler(two, {"console": console}, clock=fixed(occurrence + timedelta(minutes=1)))
    assert await scheduler.catch_up(sub) is Outcome.IN_PROGRESS
    assert console.replies == []
    await asyncio.sleep(0.6)
    assert await scheduler.catch_up(sub) is Outcome.POSTED
    assert await scheduler.catch_up(sub) is None  # marker present: not again
    assert len(console.replies) == 1
    assert await two.state.get_json(lock_key(sub.id, occurrence)) is None  # released


async def test_failed_post_releases_the_lock_and_another_replica_posts(two_replicas) -> None:
    one, two = two_replicas
    sub = berlin_daily(utc(2026, 11, 1))
    await one.subscriptions.put(sub)
    occurrence = utc(2026, 11, 23, 7)

    class Broken(RecordingConsole):
        async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
            raise ConnectionError("platform unreachable")

    failing = build_digest_scheduler(one, {"console": Broken(one.core)}, clock=fixed(occurrence + timedelta(seconds=5)))
    assert await failing.fire(sub.id) is Outcome.FAILED
    assert await one.state.get_json(lock_key(sub.id, occurrence)) is None
    assert await one.state.get_json(posted_key(sub.id, occurrence)) is None
    console = RecordingConsole(two.core)
    healthy = build_digest_scheduler(two, {"console": console}, clock=fixed(occurrence + timedelta(seconds=6)))
    assert await healthy.fire(sub.id) is Outcome.POSTED
    assert len(console.replies) == 1


# ------------------------------------------------------------------------------------------- restarts


async def _restart(bot: Briefbot, now: datetime) -> tuple[RecordingConsole, object]:
    console = RecordingConsole(bot.core)
    scheduler = build_digest_scheduler(bot, {"console": console}, clock=fixed(now))
    await scheduler.start()  # start = rebuild jobs from the store + catch up
    await scheduler.stop()
    return console, scheduler


async def test_restart_inside_the_grace_window_posts_the_missed_digest_once(two_replicas) -> None:
    one, two = two_replicas
    sub = berlin_daily(utc(2026, 11, 1))
    await one.subscriptions.put(sub)
    now = utc(2026, 11, 23, 7, 40)  # 08:40 Berlin: the 08:00 digest was missed while we were down
    first, _ = await _restart(one, now)
    assert len(first.replies) == 1
    assert first.replies[0][1].extra["digest"] is True
    second, _ = await _restart(two, now + timedelta(minutes=5))  # restarted again (or another replica)
    assert second.replies == []
    assert await one.state.get_json(posted_key(sub.id, utc(2026, 11, 23, 7))) is not None


async def test_restart_outside_the_grace_window_posts_nothing(two_replicas) -> None:
    one, _ = two_replicas
    sub = berlin_daily(utc(2026, 11, 1))
    await one.subscriptions.put(sub)
    console, _ = await _restart(one, utc(2026, 11, 23, 8, 1))  # 09:01 Berlin: more than an hour late
    assert console.replies == []


async def test_catch_up_never_posts_an_occurrence_from_before_the_subscription(two_replicas) -> None:
    one, _ = two_replicas
    sub = berlin_daily(utc(2026, 11, 23, 7, 30))  # subscribed at 08:30, after today's 08:00
    await one.subscriptions.put(sub)
    console, _ = await _restart(one, utc(2026, 11, 23, 7, 40))
    assert console.replies == []


# ----------------------------------------------------------------------------------------- live re-sync


async def test_subscriptions_from_chat_and_from_other_replicas_take_effect_without_restart(two_replicas) -> None:
    one, two = two_replicas
    scheduler = build_digest_scheduler(one, {"console": RecordingConsole(one.core)})
    await scheduler.start()
    try:
        assert scheduler.job_ids() == set()
        # on this replica, from chat: the change listener re-syncs at once
        reply = await one.core.handle(Inbound("console", "c9", "u1", "subscribe china-russia at 07:15 Europe/Paris"))
        assert reply is not None and reply.kind == "text", reply
        (sub_id,) = scheduler.job_ids()
        job = scheduler.scheduler.get_job(f"digest:{sub_id}")
        assert job.next_run_time.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M") == "07:15"
        # on the other replica: picked up by the next periodic sync
        other = berlin_daily(utc(2026, 11, 1), channel="c10")
        await two.subscriptions.put(other)
        await scheduler.sync()
        assert scheduler.job_ids() == {sub_id, other.id}
        # unsubscribed on the other replica: the job goes, and a job firing before the sync posts nothing
        await two.subscriptions.remove(other.id)
        assert await scheduler.fire(other.id) is Outcome.GONE
        await scheduler.sync()
        assert scheduler.job_ids() == {sub_id}
        await one.core.handle(Inbound("console", "c9", "u1", "unsubscribe china-russia"))
        assert scheduler.job_ids() == set()
    finally:
        await scheduler.stop()
