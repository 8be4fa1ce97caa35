"""Digest subscriptions: the model, parsing and validation, the store, and the chat commands.

A subscription is (platform, channel, topic) plus a schedule in the channel's own time zone. Its id is a
short hash of platform+channel+topic, so subscribing again updates the schedule instead of adding a second
digest. Chat and CLI subscriptions live in the state store (Redis when configured, so every replica sees
them); operators can also list static ones in config/digests.toml.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
import shlex
import tomllib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.models import Inbound, Reply, ReplyKind
from bot.state import StateStore

log = logging.getLogger(__name__)

MAP_NAME = "subscriptions"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {d: d for d in DAYS} | {
    "monday": "mon", "tuesday": "tue", "tues": "tue", "wednesday": "wed", "thursday": "thu",
    "thur": "thu", "thurs": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun",
}  # fmt: skip
CADENCE_WORDS = ("daily", "weekdays", "weekly", "cron")
PLATFORMS = ("console", "slack", "discord")
DEFAULT_AT = "08:00"


class SubscriptionError(ValueError):
    """Input a person can fix; the message says how."""


# ----------------------------------------------------------------------------------------------- model


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

    def trigger(self) -> Any:
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


def parse_time(text: str) -> str:
    """'8:00' / '08:00' -> '08:00'; anything else (25:00, 8am, 07:60) -> SubscriptionError."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise SubscriptionError(f"'{text}' is not a time of day: use HH:MM between 00:00 and 23:59.")
    return f"{int(match[1]):02d}:{match[2]}"


_ZONES: tuple[str, ...] | None = None


def _zone_names() -> tuple[str, ...]:
    global _ZONES
    if _ZONES is None:
        _ZONES = tuple(sorted(available_timezones()))
    return _ZONES


def parse_timezone(name: str) -> str:
    """An IANA zone name (Europe/Berlin, UTC); an unknown one gets close suggestions."""
    name = name.strip()
    if name:
        exact = {z.lower(): z for z in _zone_names()}.get(name.lower())
        if exact:
            return exact
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    lower = {z.lower(): z for z in _zone_names()}
    close = [lower[z] for z in difflib.get_close_matches(name.lower(), list(lower), n=3, cutoff=0.6)]
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise SubscriptionError(
        f"Unknown time zone '{name}'.{hint} Use an IANA name like Europe/Berlin, America/New_York or UTC."
    )


def parse_day(text: str) -> str:
    day = _DAY_ALIASES.get(text.strip().lower())
    if day is None:
        raise SubscriptionError(f"'{text}' is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.")
    return day


def parse_cadence(text: str) -> str:
    """'daily' | 'weekdays' | 'weekly [DAY]' | 'cron EXPR' | a bare 5-field cron expression -> canonical."""
    words = text.strip().split()
    if not words:
        return "daily"
    head = words[0].lower()
    if head in ("daily", "weekdays") and len(words) == 1:
        return head
    if head == "weekly" and len(words) <= 2:
        return f"weekly {parse_day(words[1]) if len(words) == 2 else 'mon'}"
    if head == "cron":
        words = words[1:]
    if len(words) == 5:
        return "cron " + normalize_cron(" ".join(words))
    raise SubscriptionError(
        f"Unknown schedule '{text}': use daily, weekdays, weekly [DAY] or a cron expression "
        'with 5 fields, e.g. cron "30 7 * * 1-5".'
    )


_CRON_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_day_number(token: str) -> int:
    token = token.lower()
    if token in _CRON_DAY_NAMES:
        return _CRON_DAY_NAMES.index(token)
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    raise SubscriptionError(f"'{token}' is not a cron day of the week (0-7 or sun..sat).")


def _cron_days(field: str) -> str:
    """Standard cron day-of-week (0 or 7 = Sunday) -> day names, which APScheduler 3 reads unambiguously
    (its numbers start at Monday: see APScheduler issue 286)."""
    days: set[int] = set()
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise SubscriptionError(f"'{part}' has a bad step in the cron day-of-week field.")
        if body == "*":
            low, high = 0, 6
        elif "-" in body:
            start, _, end = body.partition("-")
            low, high = _cron_day_number(start), _cron_day_number(end)
            if low > high:
                raise SubscriptionError(f"'{body}' is a backwards range in the cron day-of-week field.")
        else:
            low = high = _cron_day_number(body)
            if step:
                high = 7 if low else 6
        days.update(d % 7 for d in range(low, high + 1, step or 1))
    if len(days) == 7:
        return "*"
    return ",".join(_CRON_DAY_NAMES[d] for d in sorted(days, key=lambda d: (d + 6) % 7))


def normalize_cron(expr: str) -> str:
    """Validate a 5-field cron expression (through APScheduler itself) and fix its day-of-week numbering."""
    fields = expr.split()
    if len(fields) != 5:
        raise SubscriptionError(f"A cron expression has 5 fields (minute hour day month weekday); got '{expr}'.")
    fields[4] = _cron_days(fields[4])
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger(minute=fields[0], hour=fields[1], day=fields[2], month=fields[3], day_of_week=fields[4])
    except ValueError as error:
        raise SubscriptionError(f"Bad cron expression '{expr}': {error}.") from error
    return " ".join(fields)


def build_trigger(cadence: str, at: str, tz: str) -> Any:
    """One CronTrigger in the subscription's zone: 08:00 Europe/Berlin stays 08:00 across DST changes."""
    from apscheduler.triggers.cron import CronTrigger

    zone = ZoneInfo(tz)
    if cadence.startswith("cron "):
        minute, hour, day, month, dow = cadence[5:].split()
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=dow, timezone=zone)
    hour, minute = (int(x) for x in at.split(":"))
    dow = {"daily": "*", "weekdays": "mon-fri"}.get(cadence) or cadence.split()[1]
    return CronTrigger(hour=hour, minute=minute, day_of_week=dow, timezone=zone)


def next_run(sub: Subscription, after: datetime) -> datetime | None:
    return sub.trigger().get_next_fire_time(None, after)


def occurrences(sub: Subscription, start: datetime, end: datetime) -> list[datetime]:
    """Scheduled instants in (start, end], oldest first (CronTrigger only steps forwards)."""
    trigger = sub.trigger()
    found: list[datetime] = []
    moment = trigger.get_next_fire_time(None, start + timedelta(microseconds=1))
    while moment is not None and moment <= end and len(found) < 10_000:
        found.append(moment)
        moment = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
    return found


def last_occurrence(sub: Subscription, now: datetime, lookback: timedelta) -> datetime | None:
    """The most recent scheduled instant in (now - lookback, now], or None."""
    found = occurrences(sub, now - lookback, now)
    return found[-1] if found else None


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
) -> Subscription:
    """Validate every field and build a subscription (the topic is validated by the caller)."""
    platform = platform.strip().lower()
    if platform not in PLATFORMS:
        raise SubscriptionError(f"Unknown platform '{platform}': use {', '.join(PLATFORMS)}.")
    if not channel.strip():
        raise SubscriptionError("A digest needs a channel id.")
    if platform == "discord" and not channel.strip().isdigit():
        raise SubscriptionError(f"'{channel}' is not a Discord channel id (a number, e.g. 1234567890123456789).")
    if not topic.strip():
        raise SubscriptionError("A digest needs a topic: see /brief topics.")
    canonical = parse_cadence(cadence)
    if canonical.startswith("cron ") and at:
        raise SubscriptionError("A cron schedule sets its own time: leave out 'at HH:MM'.")
    when = parse_time(at or DEFAULT_AT)
    zone = parse_timezone(tz)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    topic = " ".join(topic.split())
    return Subscription(
        id=subscription_id(platform, channel.strip(), topic),
        platform=platform,
        channel=channel.strip(),
        topic=topic,
        cadence=canonical,
        at=when,
        tz=zone,
        created_by=created_by,
        created_at=stamp,
        origin=origin,
    )


@dataclass(frozen=True)
class SubscribeArgs:
    topic: str
    cadence: str
    at: str | None
    tz: str | None


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def parse_subscribe_args(text: str) -> SubscribeArgs:
    """``TOPIC [daily|weekdays|weekly [DAY]|cron "EXPR"] [at HH:MM] [Area/City]`` in any order after TOPIC."""
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError as error:
        raise SubscriptionError(f"Could not read that: {error} (check the quotes).") from error
    topic_words: list[str] = []
    cadence: str | None = None
    at: str | None = None
    tz: str | None = None
    i = 0
    while i < len(words):
        word, low = words[i], words[i].lower()
        if low in ("daily", "weekdays"):
            cadence = low
        elif low == "weekly":
            if i + 1 < len(words) and words[i + 1].lower() in _DAY_ALIASES:
                i += 1
                cadence = f"weekly {words[i]}"
            else:
                cadence = "weekly"
        elif low == "cron":
            rest = words[i + 1 :]
            if rest and len(rest[0].split()) == 5:
                cadence, i = f"cron {rest[0]}", i + 1
            elif len(rest) >= 5:
                cadence, i = "cron " + " ".join(rest[:5]), i + 5
            else:
                raise SubscriptionError('A cron schedule needs 5 fields in quotes, e.g. cron "30 7 * * 1-5".')
        elif low == "at":
            if i + 1 >= len(words):
                raise SubscriptionError("'at' needs a time, e.g. at 08:00.")
            i += 1
            at = words[i]
        elif re.fullmatch(r"\d{1,2}:\d{2}", word):
            at = word
        elif "/" in word or low in ("utc", "gmt"):
            tz = word
        elif cadence is None and at is None and tz is None:
            topic_words.append(word)
        else:
            raise SubscriptionError(
                f"I don't understand '{word}'. Usage: /brief subscribe TOPIC "
                '[daily|weekdays|weekly DAY|cron "..."] [at HH:MM] [Area/City]'
            )
        i += 1
    if not topic_words:
        raise SubscriptionError(
            "Which topic? Usage: /brief subscribe TOPIC [daily|weekdays|weekly DAY] [at HH:MM] [Area/City]"
        )
    return SubscribeArgs(" ".join(topic_words), cadence or "daily", at, tz)


# ------------------------------------------------------------------------------------------------ store


def load_static(path: Path) -> tuple[list[Subscription], list[str]]:
    """Operator digests from digests.toml: (subscriptions, warnings). A bad entry is skipped, not fatal."""
    if not path.exists():
        return [], []
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        return [], [f"{path}: not readable as TOML ({error}); no static digests loaded"]
    entries = data.get("digest", [])
    if not isinstance(entries, list):
        return [], [f"{path}: 'digest' must be a list of [[digest]] tables"]
    subs: list[Subscription] = []
    warnings: list[str] = []
    for number, entry in enumerate(entries, 1):
        try:
            if not isinstance(entry, dict):
                raise SubscriptionError("not a table")
            subs.append(
                make_subscription(
                    str(entry.get("platform", "")),
                    str(entry.get("channel", "")),
                    str(entry.get("topic", "")),
                    cadence=str(entry.get("cadence", "daily")),
                    at=str(entry["at"]) if "at" in entry else None,
                    tz=str(entry.get("tz", "UTC")),
                    created_by=f"config:{path.name}",
                    origin="config",
                )
            )
        except SubscriptionError as error:
            warnings.append(f"{path}: digest #{number} skipped: {error}")
    # static digests have no creation moment: a restart inside the grace window may post their last one
    return [replace(s, created_at="") for s in subs], warnings


class SubscriptionStore:
    """Chat/CLI subscriptions in the state store's "subscriptions" map, merged with static ones.

    A stored subscription with the same id as a static one overrides it (the channel changed its schedule).
    """

    def __init__(self, state: StateStore, static: Iterable[Subscription] = ()) -> None:
        self.state = state
        self.static = {s.id: s for s in static}

    async def put(self, sub: Subscription) -> bool:
        """Store; True when it replaced an existing subscription with the same id."""
        existed = sub.id in (await self.state.map_get_all(MAP_NAME))
        await self.state.map_set(MAP_NAME, sub.id, sub.to_dict())
        return existed

    async def remove(self, sub_id: str) -> bool:
        return await self.state.map_delete(MAP_NAME, sub_id)

    async def stored(self) -> dict[str, Subscription]:
        found: dict[str, Subscription] = {}
        for key, value in (await self.state.map_get_all(MAP_NAME)).items():
            try:
                found[key] = Subscription.from_dict(value)
            except (TypeError, KeyError) as error:
                log.warning("subscription %s in the store is malformed and ignored: %s", key, error)
        return found

    async def all(self) -> list[Subscription]:
        merged = dict(self.static) | await self.stored()
        return sorted(merged.values(), key=lambda s: (s.platform, s.channel, s.topic))

    async def get(self, sub_id: str) -> Subscription | None:
        for sub in await self.all():
            if sub.id == sub_id:
                return sub
        return None

    async def for_channel(self, platform: str, channel: str) -> list[Subscription]:
        return [s for s in await self.all() if s.platform == platform and s.channel == channel]


# -------------------------------------------------------------------------------------- chat commands

Listener = Callable[[], Awaitable[None]]


class ChatSubscriptions:
    """The core's SubscriptionCommands: ``/brief subscribe|unsubscribe|subscriptions``."""

    def __init__(self, store: SubscriptionStore, service: Any, default_tz: str = "UTC") -> None:
        self.store = store
        self.service = service  # BriefService: .match(query) raises UnknownTopic with suggestions
        self.default_tz = default_tz
        self.listeners: list[Listener] = []  # e.g. the local scheduler re-syncing at once

    async def _changed(self) -> None:
        for listener in self.listeners:
            try:
                await listener()
            except Exception:
                log.exception("subscription change listener failed")

    async def canonical_topic(self, topic: str) -> str:
        """The named topic a query resolves to (or the query itself for a free-text topic)."""
        from summarizer.topics import UnknownTopic

        try:
            match = await self.service.match(topic)
        except UnknownTopic as unknown:
            raise SubscriptionError(str(unknown)) from unknown
        return topic if match.adhoc else match.name

    def _reject_named_plus_words(self, topic: str) -> None:
        """'china-russia hourly' is a named topic plus a word we don't know, not a free-text topic."""
        words = topic.split()
        names = {t.name.lower() for t in getattr(self.service, "topics", ())}
        if len(words) > 1 and words[0].lower() in names:
            raise SubscriptionError(
                f"I don't understand '{' '.join(words[1:])}'. Usage: /brief subscribe TOPIC "
                '[daily|weekdays|weekly DAY|cron "..."] [at HH:MM] [Area/City]'
            )

    async def subscribe(self, inbound: Inbound, args: str) -> Reply:
        try:
            parsed = parse_subscribe_args(args)
            self._reject_named_plus_words(parsed.topic)
            topic = await self.canonical_topic(parsed.topic)
            who = inbound.user_name or inbound.user
            sub = make_subscription(
                inbound.platform,
                inbound.channel,
                topic,
                parsed.cadence,
                parsed.at,
                parsed.tz or self.default_tz,
                created_by=f"{inbound.platform}:{who}",
            )
        except SubscriptionError as error:
            return Reply(ReplyKind.ERROR, str(error), ephemeral=True)
        replaced = await self.store.put(sub)
        await self._changed()
        log.info("subscription %s %s: %s", sub.id, "updated" if replaced else "added", sub.describe())
        upcoming = next_run(sub, datetime.now(UTC))
        when = f" Next one: {format_local(upcoming, sub.tz)}." if upcoming else ""
        verb = "Updated: this channel gets" if replaced else "Subscribed: this channel will get"
        return Reply(ReplyKind.TEXT, f"{verb} a digest of {sub.topic} {sub.describe()}.{when} (id {sub.id})")

    async def _find(self, inbound: Inbound, topic: str) -> Subscription | None:
        mine = await self.store.for_channel(inbound.platform, inbound.channel)
        wanted = normalize_topic(topic)
        for sub in mine:
            if sub.id == topic.strip() or normalize_topic(sub.topic) == wanted:
                return sub
        try:
            canonical = normalize_topic(await self.canonical_topic(topic))
        except SubscriptionError:
            return None
        return next((s for s in mine if normalize_topic(s.topic) == canonical), None)

    async def unsubscribe(self, inbound: Inbound, args: str) -> Reply:
        topic = args.translate(_QUOTES).strip().strip("\"'")
        if not topic:
            return Reply(ReplyKind.ERROR, "Which topic? Usage: /brief unsubscribe TOPIC", ephemeral=True)
        sub = await self._find(inbound, topic)
        if sub is None:
            mine = await self.store.for_channel(inbound.platform, inbound.channel)
            names = ", ".join(s.topic for s in mine) or "none"
            return Reply(
                ReplyKind.ERROR,
                f"This channel has no digest of '{topic}'. Its digests: {names}.",
                ephemeral=True,
            )
        removed = await self.store.remove(sub.id)
        await self._changed()
        still = await self.store.get(sub.id)
        if still is not None:  # a static digest from config/digests.toml remains
            prefix = "Removed this channel's own schedule, but" if removed else "This digest"
            return Reply(
                ReplyKind.TEXT,
                f"{prefix} the operator's digest of {sub.topic} ({still.describe()}) is configured in "
                "digests.toml; ask them to remove it there.",
            )
        log.info("subscription %s removed", sub.id)
        return Reply(ReplyKind.TEXT, f"Unsubscribed: no more digests of {sub.topic} in this channel.")

    async def list(self, inbound: Inbound) -> Reply:
        mine = await self.store.for_channel(inbound.platform, inbound.channel)
        if not mine:
            return Reply(
                ReplyKind.TEXT,
                "This channel has no digests. Add one with /brief subscribe TOPIC [daily] [at HH:MM] [Area/City].",
                ephemeral=True,
            )
        now = datetime.now(UTC)
        lines = ["Digests in this channel:"]
        for sub in mine:
            upcoming = next_run(sub, now)
            nxt = f", next {format_local(upcoming, sub.tz)}" if upcoming else ""
            lines.append(f"  {sub.topic} \u2014 {sub.describe()}{nxt} (id {sub.id})")
        return Reply(ReplyKind.TEXT, "\n".join(lines), ephemeral=True)


def format_local(moment: datetime, tz: str) -> str:
    """'2026-03-30 08:00 CEST': a moment as the channel's people read it."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")
