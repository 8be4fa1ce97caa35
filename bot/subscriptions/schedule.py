"""Schedules: times of day, time zones, cadences and cron expressions; triggers and occurrences."""

from __future__ import annotations

import difflib
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.commands.grammar import DAY_ALIASES
from bot.subscriptions.errors import SubscriptionError

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

    from bot.subscriptions.model import Subscription

_DAY_ALIASES = DAY_ALIASES
CADENCE_WORDS = ("daily", "weekdays", "weekly", "cron")
DEFAULT_AT = "08:00"


def parse_time(text: str) -> str:
    """'8:00' / '08:00' -> '08:00'; anything else (25:00, 8am, 07:60) -> SubscriptionError."""
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", text.strip())  # ASCII digits: '08:٠٠' is no time
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
    if len(name) > 64:  # IANA names are short; a long one is refused before any lookup (issue 14: hostile --tz)
        raise SubscriptionError(f"Unknown time zone '{name[:40]}…': use an IANA name like Europe/Berlin or UTC.")
    if name:
        exact = {z.lower(): z for z in _zone_names()}.get(name.lower())
        if exact:
            return exact
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the file system refuses
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
    if re.fullmatch(r"[0-9]{1,2}", token) and 0 <= int(token) <= 7:
        return int(token)
    raise SubscriptionError(f"'{token}' is not a cron day of the week (0-7 or sun..sat).")


def _cron_days(field: str) -> str:
    """Standard cron day-of-week (0 or 7 = Sunday) -> day names, which APScheduler 3 reads unambiguously
    (its numbers start at Monday: see APScheduler issue 286)."""
    days: set[int] = set()
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if re.fullmatch(r"[0-9]{1,3}", step_text) and int(step_text) > 0 else None
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
    if not expr.isascii():
        raise SubscriptionError(f"A cron expression uses ASCII digits, names and * , - / only; got '{expr}'.")
    if len(fields) != 5:
        raise SubscriptionError(f"A cron expression has 5 fields (minute hour day month weekday); got '{expr}'.")
    fields[4] = _cron_days(fields[4])
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger(minute=fields[0], hour=fields[1], day=fields[2], month=fields[3], day_of_week=fields[4])
    except ValueError as error:
        raise SubscriptionError(f"Bad cron expression '{expr}': {error}.") from error
    return " ".join(fields)


def build_trigger(cadence: str, at: str, tz: str) -> CronTrigger:
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


def format_local(moment: datetime, tz: str) -> str:
    """'2026-03-30 08:00 CEST': a moment as the channel's people read it."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")


FIRES_CHECKED = 50  # occurrences looked at when checking a schedule's shortest gap


def check_frequency(cadence: str, at: str, tz: str, min_interval: float, now: datetime) -> None:
    """Refuse a schedule that never fires (cron "0 0 31 2 *") or fires more often than ``min_interval``
    seconds apart (cron "* * * * *": a post every minute)."""
    trigger = build_trigger(cadence, at, tz)
    moment = trigger.get_next_fire_time(None, now)
    if moment is None:
        raise SubscriptionError(f"The schedule '{cadence}' never fires (no such date): check the day and month.")
    if min_interval <= 0:
        return
    for _ in range(FIRES_CHECKED):
        following = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
        if following is None:
            return
        if (following - moment).total_seconds() < min_interval:
            raise SubscriptionError(
                f"The schedule '{cadence}' posts more often than every {_span(min_interval)}, the shortest "
                "interval this Briefbot allows (BRIEFBOT_DIGEST_MIN_INTERVAL)."
            )
        moment = following


def _span(seconds: float) -> str:
    if seconds % 3600 == 0:
        hours = int(seconds // 3600)
        return "hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, round(seconds / 60))
    return "minute" if minutes == 1 else f"{minutes} minutes"
