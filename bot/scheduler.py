"""The digest scheduler: one APScheduler CronTrigger job per subscription, in the subscription's time zone.

Every replica runs one. The job list is rebuilt from the store at start and re-synced on a short interval
(so a subscription added or removed on another replica takes effect within ``sync_seconds``) and at once
when this replica's chat commands change something. Each sync also catches up: the latest occurrence in
the grace window that has no "posted" marker is posted late. That covers a restart across a scheduled
time (APScheduler's misfire_grace_time forgets everything on restart) and a replica that died mid-post
(its lock expires; whoever syncs next posts). Duplicates are prevented by ``DigestRunner``'s lock+marker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.digests import DigestRunner, Outcome
from bot.store.state import StateUnavailable
from bot.subscriptions import Subscription, SubscriptionStore, last_occurrence

log = logging.getLogger(__name__)

JOB_PREFIX = "digest:"


def _fingerprint(sub: Subscription) -> tuple[str, ...]:
    return (sub.platform, sub.channel, sub.topic, sub.cadence, sub.at, sub.tz)


class DigestScheduler:
    def __init__(
        self,
        store: SubscriptionStore,
        runner: DigestRunner,
        platforms: Iterable[str] | None = None,
        grace: timedelta = timedelta(hours=1),
        sync_seconds: float = 30.0,
        clock: Any = None,
    ) -> None:
        self.store = store
        self.runner = runner
        self.platforms = set(platforms) if platforms is not None else set(runner.posters)
        self.grace = grace
        self.sync_seconds = sync_seconds
        self._now = clock or (lambda: datetime.now(UTC))
        self._scheduler: Any = None
        self._jobs: dict[str, tuple[str, ...]] = {}
        self._sync_lock = asyncio.Lock()

    @property
    def scheduler(self) -> Any:
        """The AsyncIOScheduler (None before start)."""
        return self._scheduler

    def job_ids(self) -> set[str]:
        return set(self._jobs)

    async def start(self) -> None:
        """Build the job list from the store, catch up missed occurrences, then start ticking."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self._scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": int(self.grace.total_seconds())},
        )
        self._scheduler.start()
        await self.sync(catch_up=True)
        self._scheduler.add_job(
            self.sync,
            "interval",
            seconds=self.sync_seconds,
            id="digest-sync",
            kwargs={"catch_up": True},
            replace_existing=True,
        )
        log.info("digest scheduler started with %d digests", len(self._jobs))

    async def stop(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    async def changed(self) -> None:
        """Called by this replica's chat commands: apply the change now, not at the next interval."""
        await self.sync(catch_up=False)

    async def _wanted(self) -> dict[str, Subscription]:
        subs = await self.store.all()
        return {s.id: s for s in subs if s.platform in self.platforms}

    async def sync(self, catch_up: bool = True) -> None:
        """Make the scheduler's jobs match the store (adds, reschedules, removes); optionally catch up."""
        if self._scheduler is None:
            return
        async with self._sync_lock:
            try:
                wanted = await self._wanted()
            except StateUnavailable as error:  # never unschedule during an outage: "down" is not "none"
                log.warning("digest sync: could not read subscriptions (%s); keeping the current jobs", error)
                return
            except Exception:
                log.exception("digest sync: could not read subscriptions; keeping the current jobs")
                return
            for sub_id in set(self._jobs) - set(wanted):
                self._remove_job(sub_id)
            for sub in wanted.values():
                if self._jobs.get(sub.id) != _fingerprint(sub):
                    self._add_job(sub)
        if catch_up:  # outside the lock: a slow post must not delay a chat command's re-sync
            for sub in wanted.values():
                await self.catch_up(sub)

    def _add_job(self, sub: Subscription) -> None:
        try:
            trigger = sub.trigger()
        except Exception:
            log.exception("digest %s has an invalid schedule (%s); not scheduled", sub.id, sub.describe())
            return
        self._scheduler.add_job(
            self.fire, trigger, args=[sub.id], id=JOB_PREFIX + sub.id, replace_existing=True, name=sub.describe()
        )
        self._jobs[sub.id] = _fingerprint(sub)
        log.info("digest %s scheduled: %s of %s to %s:%s", sub.id, sub.describe(), sub.topic, sub.platform,
                 sub.channel)  # fmt: skip

    def _remove_job(self, sub_id: str) -> None:
        from apscheduler.jobstores.base import JobLookupError

        with contextlib.suppress(JobLookupError):
            self._scheduler.remove_job(JOB_PREFIX + sub_id)
        self._jobs.pop(sub_id, None)
        log.info("digest %s unscheduled", sub_id)

    async def fire(self, sub_id: str) -> Outcome:
        """The cron job: post the occurrence that is due now (the latest scheduled instant <= now)."""
        try:
            sub = await self.store.get(sub_id)
        except StateUnavailable as error:  # the runner needs the store too: the next catch-up retries
            log.warning("digest %s: could not read its subscription (%s); not posted now", sub_id, error)
            return Outcome.FAILED
        if sub is None or sub.platform not in self.platforms:
            return Outcome.GONE  # unsubscribed on some replica since our last sync
        moment = last_occurrence(sub, self._now(), self.grace)
        if moment is None:
            return Outcome.GONE
        return await self.runner.run(sub, moment)

    async def catch_up(self, sub: Subscription) -> Outcome | None:
        """Post the latest occurrence inside the grace window if nobody has (restart, dead holder); public so
        an operator tool or a test can catch one subscription up without a sync."""
        now = self._now()
        lookback = self.grace
        try:
            created = sub.created()
            if created is not None:
                lookback = min(lookback, max(timedelta(0), now - created))
            moment = last_occurrence(sub, now, lookback)
        except Exception as error:  # a bad stored value: this digest is skipped, never the others
            log.warning("digest %s: cannot compute its occurrences (%s); skipped", sub.id, error)
            return None
        if moment is None:
            return None
        try:
            if await self.runner.is_posted(sub.id, moment) or await self.runner.in_backoff(sub.id, moment):
                return None
        except Exception:
            log.exception("digest %s: could not check its last occurrence", sub.id)
            return None
        log.info("digest %s: catching up the occurrence of %s", sub.id, moment.isoformat())
        return await self.runner.run(sub, moment)
