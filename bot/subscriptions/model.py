"""The subscription model: one digest (platform, channel, topic) with its schedule, and its validation."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.subscriptions.errors import SubscriptionError
from bot.subscriptions.schedule import (
    DEFAULT_AT,
    build_trigger,
    check_frequency,
    parse_cadence,
    parse_time,
    parse_timezone,
)

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

DEFAULT_MIN_INTERVAL = 3600.0  # seconds; BRIEFBOT_DIGEST_MIN_INTERVAL


@dataclass(frozen=True)
class Subscription:
    """One digest: where it goes, what it covers, when (``at`` in ``tz``; a cron cadence sets its own time)."""

    id: str
    platform: str
    channel: str
    topic: str
    cadence: str  # "daily" | "weekdays" | "weekly mon" | "cron M H DOM MON DOW"
    at: str  # HH:MM (unused by cron cadences)
    tz: str
    created_by: str = ""
    created_at: str = ""  # ISO UTC; a late catch-up never posts an occurrence from before this moment
    origin: str = "chat"  # chat | cli | config

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Subscription:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def describe(self) -> str:
        """'daily at 08:00 Europe/Berlin' — how people read a schedule."""
        if self.cadence.startswith("cron "):
            return f"cron \u201c{self.cadence[5:]}\u201d ({self.tz})"
        if self.cadence.startswith("weekly "):
            return f"weekly on {self.cadence.split()[1].capitalize()} at {self.at} {self.tz}"
        return f"{self.cadence} at {self.at} {self.tz}"

    def trigger(self) -> CronTrigger:
        """The APScheduler CronTrigger for this schedule, in the subscription's own time zone."""
        return build_trigger(self.cadence, self.at, self.tz)

    def created(self) -> datetime | None:
        return datetime.fromisoformat(self.created_at) if self.created_at else None


def subscription_id(platform: str, channel: str, topic: str) -> str:
    """Stable short id: the same channel subscribing to the same topic again gets the same id."""
    raw = f"{platform.lower()}\x1f{channel}\x1f{normalize_topic(topic)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:10]


def normalize_topic(topic: str) -> str:
    return " ".join(topic.lower().split())


# ------------------------------------------------------------------------------------------ validation

def make_subscription(
    platform: str,
    channel: str,
    topic: str,
    cadence: str = "daily",
    at: str | None = None,
    tz: str = "UTC",
    created_by: str = "",
    origin: str = "chat",
    now: datetime | None = None,
    min_interval: float = DEFAULT_MIN_INTERVAL,
) -> Subscription:
    """Validate every field and build a subscription (the topic is validated by the caller).

    The channel is checked by its platform's rule (``bot.platforms``); a schedule that never fires or fires
    more often than ``min_interval`` seconds apart is refused."""
    from bot import platforms

    platform = platform.strip().lower()
    try:
        channel = platforms.get(platform).check_channel(channel)
    except ValueError as error:
        raise SubscriptionError(str(error)) from error
    if not topic.strip():
        raise SubscriptionError("A digest needs a topic: see /brief topics.")
    canonical = parse_cadence(cadence)
    if canonical.startswith("cron ") and at:
        raise SubscriptionError("A cron schedule sets its own time: leave out 'at HH:MM'.")
    when = parse_time(at or DEFAULT_AT)
    zone = parse_timezone(tz)
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    check_frequency(canonical, when, zone, min_interval, moment)
    stamp = moment.isoformat(timespec="seconds")
    topic = " ".join(topic.split())
    return Subscription(
        id=subscription_id(platform, channel, topic),
        platform=platform,
        channel=channel,
        topic=topic,
        cadence=canonical,
        at=when,
        tz=zone,
        created_by=created_by,
        created_at=stamp,
        origin=origin,
    )

