"""The text grammar of ``/brief``: the words after the command, parsed once into a typed request.

Pure: no I/O. ``parse(text, topics)`` raises ``UsageError`` (with the command's usage line from the table)
for anything it cannot read; it never guesses that a mistyped option is part of a free-text topic.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from bot.commands.requests import (
    LENGTHS,
    AskRequest,
    BriefRequest,
    HelpRequest,
    Request,
    SourcesRequest,
    SubscribeRequest,
    SubscriptionsRequest,
    TopicsRequest,
    UnsubscribeRequest,
    UsageError,
)
from bot.commands.table import usage

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_ALIASES = {d: d for d in DAYS} | {
    "monday": "mon", "tuesday": "tue", "tues": "tue", "wednesday": "wed", "thursday": "thu",
    "thur": "thu", "thurs": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun",
}  # fmt: skip
QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
TIME_OF_DAY = re.compile(r"[0-9]{1,2}:[0-9]{2}")  # ASCII digits only: '08:٠٠' is not a time
SINCE = re.compile(r"(?P<n>[0-9]{1,4})(?P<unit>[mhdw])|(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})")
UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
MAX_TEXT = 2000  # a command longer than this is not a command


def words_of(text: str, name: str) -> list[str]:
    """shlex words (quotes group words; curly quotes count), or a UsageError naming the command."""
    try:
        return shlex.split(text.translate(QUOTES))
    except ValueError as error:
        raise UsageError(f"Could not read that: {error} (check the quotes).", usage(name)) from error


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'2d' -> two days ago; '2026-11-01' -> that day's start (UTC). ASCII digits only."""
    match = SINCE.fullmatch(text.strip().lower())
    if match is None:
        raise UsageError(f"'{text}' is not a time span: use 30m, 12h, 2d, 1w or a date like 2026-11-01.")
    now = now or datetime.now(UTC)
    if match["date"]:
        try:
            day = date.fromisoformat(match["date"])
        except ValueError as error:
            raise UsageError(f"'{text}' is not a date: {error}.") from error
        return datetime.combine(day, time(), tzinfo=UTC)
    return now - int(match["n"]) * UNITS[match["unit"]]


def _since(text: str, now: datetime | None, name: str) -> datetime:
    try:
        return parse_since(text, now)
    except UsageError as wrong:
        raise UsageError(str(wrong), usage(name)) from wrong


def parse(text: str, topics: Collection[str] = (), now: datetime | None = None) -> Request:
    """The request in the text after ``/brief``. ``topics``: the named topics, so that
    'china-russia medium' is an unknown option of a named topic, not a free-text brief."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise UsageError(f"That command is {len(text)} characters long; the limit is {MAX_TEXT}.")
    if text.lower().startswith("/brief"):  # typed in full, e.g. in the console
        text = text[len("/brief") :].strip()
    head, _, rest = text.partition(" ")
    head, rest = head.lower(), rest.strip()
    if head in ("", "help", "-h", "--help", "?"):
        return _help(rest)
    if head in ("topics", "list"):
        return _no_args(TopicsRequest(), "topics", rest)
    if head in ("subscriptions", "subs"):
        return _no_args(SubscriptionsRequest(), "subscriptions", rest)
    if head == "subscribe":
        return parse_subscribe(rest)
    if head == "unsubscribe":
        return _unsubscribe(rest)
    if head == "sources":
        return _sources(rest, now)
    if head == "ask":
        return _ask(rest)
    return _brief(text, topics, now)


def _help(rest: str) -> HelpRequest:
    name = rest.lower().strip().lstrip("/")
    return HelpRequest(name or None)


def _no_args(request: Request, name: str, rest: str) -> Request:
    if rest:
        raise UsageError(f"'{name}' takes no arguments (got '{rest[:80]}').", usage(name))
    return request


def _unsubscribe(rest: str) -> UnsubscribeRequest:
    words = words_of(rest, "unsubscribe")
    if not words:
        raise UsageError("Which topic?", usage("unsubscribe"))
    return UnsubscribeRequest(" ".join(" ".join(words).split()))


def _ask(rest: str) -> AskRequest:
    words = words_of(rest, "ask")
    if len(words) < 2:
        raise UsageError("Ask what, about which topic?", usage("ask"))
    return AskRequest(words[0], " ".join(words[1:]))


def _sources(rest: str, now: datetime | None) -> SourcesRequest:
    words = words_of(rest, "sources")
    if not words or words[0].lower() in ("list", "since"):
        if words and words[0].lower() == "list":
            words = words[1:]
        if not words:
            return SourcesRequest()
        if len(words) == 2 and words[0].lower() == "since":
            return SourcesRequest(since=_since(words[1], now, "sources"), since_text=words[1])
        raise UsageError(f"I don't understand '{' '.join(words)[:80]}'.", usage("sources"))
    action = words[0].lower()
    if action in ("add", "remove") and len(words) == 2:
        return SourcesRequest(action, words[1])  # type: ignore[arg-type]
    raise UsageError(f"I don't understand '{' '.join(words)[:80]}'.", usage("sources"))


_OPTION_WORDS = frozenset((*LENGTHS, "since", "focus", "about"))


def _terminal_options(words: list[str]) -> list[str]:
    """The command line's spelling of the options, as someone used to ``briefbot brief`` types them in chat:
    "--short", "--since 2d", "--since=2d", "--focus 'Q'", "--length short" mean "short", "since 2d", ...
    Only after the topic's first word, so a topic never loses its first word."""
    out: list[str] = []
    for k, word in enumerate(words):
        low = word.lower()
        name, equals, _ = low.lstrip("-").partition("=")
        value = word.partition("=")[2]  # as typed: a focus question keeps its capitals
        spelled = low.startswith("-") or bool(equals)  # "--short", "since=2d"
        if k == 0 or not (spelled or low == "length"):
            out.append(word)
        elif name == "length" and value.lower() in LENGTHS:
            out.append(value.lower())  # "--length=short"
        elif name == "length" and not value and k + 1 < len(words) and words[k + 1].lower() in LENGTHS:
            pass  # "--length short": the length word follows
        elif name in _OPTION_WORDS and (value or not equals):
            out.extend([name, value] if value else [name])
        else:
            out.append(word)
    return out


def _brief(text: str, topics: Collection[str], now: datetime | None) -> BriefRequest:
    words = words_of(text, "")
    topic: list[str] = []
    length = "full"
    since: datetime | None = None
    since_text = ""
    focus: str | None = None
    options = False  # once an option is seen, every later word must be an option too
    words = _terminal_options(words)
    i = 0
    while i < len(words):  # every step consumes at least one word: bounded by the input
        word, low = words[i], words[i].lower()
        options = options or bool(topic and low in _OPTION_WORDS)
        if topic and low in LENGTHS:
            length = low
        elif topic and low == "since":
            if i + 1 >= len(words):
                raise UsageError("'since' needs a time span like 2d.", usage(""))
            i += 1
            since, since_text = _since(words[i], now, ""), words[i]
        elif topic and low in ("focus", "about"):
            if i + 1 >= len(words) or not words[i + 1].strip():
                raise UsageError("'focus' needs a question in quotes.", usage(""))
            i += 1
            focus = words[i].strip()
        elif not options:
            topic.append(word)
        else:
            raise UsageError(f"I don't understand '{word[:80]}' after the options.", usage(""))
        i += 1
    if not topic:
        raise UsageError("Which topic?", usage(""))
    known = {t.lower() for t in topics}
    if len(topic) > 1 and topic[0].lower() in known:
        extra = " ".join(topic[1:])
        raise UsageError(f"'{topic[0]}' is a topic, but I don't understand '{extra[:80]}'.", usage(""))
    return BriefRequest(" ".join(topic), length, since, since_text, focus)  # type: ignore[arg-type]


# -- subscribe ------------------------------------------------------------------------------------------


@functools.cache
def _zone_names() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(z.lower() for z in available_timezones()) | {"utc", "gmt"}


@functools.cache
def _zone_areas() -> frozenset[str]:
    return frozenset(z.split("/")[0] for z in _zone_names() if "/" in z)  # europe, america, ...


def _is_zone(word: str) -> bool:
    """A time zone, or meant as one: a known IANA name, or Area/Something with a real area (Europe/Atlantis
    then gets suggestions from bot.subscriptions). 'covid/vaccines' is a topic, not a zone."""
    low = word.lower()
    return low in _zone_names() or ("/" in low and low.split("/")[0] in _zone_areas())


def parse_subscribe(text: str) -> SubscribeRequest:
    """``TOPIC [daily|weekdays|weekly [DAY]|cron "EXPR"] [at HH:MM] [Area/City]``.

    The first word is always the topic (so ``covid/vaccines daily`` subscribes to covid/vaccines); later
    words up to the first schedule word are topic words too, unless one is a known time zone."""
    name = "subscribe"
    words = words_of(text, name)
    topic: list[str] = []
    cadence: str | None = None
    at: str | None = None
    tz: str | None = None
    i = 0
    while i < len(words):
        word, low = words[i], words[i].lower()
        if not topic:
            topic.append(word)
        elif low in ("daily", "weekdays"):
            cadence = low
        elif low == "weekly":
            if i + 1 < len(words) and words[i + 1].lower() in DAY_ALIASES:
                i += 1
                cadence = f"weekly {DAY_ALIASES[words[i].lower()]}"
            else:
                cadence = "weekly"
        elif low == "cron":
            rest = words[i + 1 :]
            if rest and len(rest[0].split()) == 5:
                cadence, i = f"cron {rest[0]}", i + 1
            elif len(rest) >= 5:
                cadence, i = "cron " + " ".join(rest[:5]), i + 5
            else:
                raise UsageError('A cron schedule needs 5 fields in quotes, e.g. cron "30 7 * * 1-5".', usage(name))
        elif low == "at":
            if i + 1 >= len(words):
                raise UsageError("'at' needs a time, e.g. at 08:00.", usage(name))
            i += 1
            at = words[i]
        elif TIME_OF_DAY.fullmatch(word):
            at = word
        elif (cadence or at or tz) and ("/" in word or low in ("utc", "gmt")):
            tz = word  # after the schedule: a zone (an unknown one gets suggestions from bot.subscriptions)
        elif _is_zone(word):
            tz = word
        elif cadence is None and at is None and tz is None:
            topic.append(word)
        else:
            raise UsageError(f"I don't understand '{word[:80]}'.", usage(name))
        i += 1
    if not topic:
        raise UsageError("Which topic?", usage(name))
    return SubscribeRequest(" ".join(topic), cadence or "daily", at, tz)


def subscribe_from_options(
    topic: str,
    cadence: str = "daily",
    day: str | None = None,
    cron: str | None = None,
    at: str | None = None,
    tz: str | None = None,
) -> SubscribeRequest:
    """The same request from an app's typed options (Discord): cadence daily|weekdays|weekly|cron, a weekday
    for weekly, five fields for cron. Contradictions are refused, not guessed."""
    name = "subscribe"
    topic = " ".join(topic.split())
    if not topic:
        raise UsageError("Which topic?", usage(name))
    cadence = cadence.strip().lower()
    cron = (cron or "").strip()
    if cron and cadence in ("daily", ""):
        cadence = "cron"  # a cron expression given: that is the schedule
    if day and cadence != "weekly":
        raise UsageError(f"'day' goes with the weekly cadence, not {cadence}.", usage(name))
    if cadence == "weekly":
        if day and day.strip().lower() not in DAY_ALIASES:
            raise UsageError(f"'{day}' is not a day of the week.", usage(name))
        cadence = f"weekly {DAY_ALIASES[day.strip().lower()]}" if day else "weekly"
    elif cadence == "cron":
        if not cron:
            raise UsageError('The cron cadence needs the cron option, e.g. "30 7 * * 1-5".', usage(name))
        if at:
            raise UsageError("A cron schedule sets its own time: leave out the time option.", usage(name))
        cadence = f"cron {cron}"
    elif cron:
        raise UsageError(f"The cron option goes with the cron cadence, not {cadence}.", usage(name))
    elif cadence not in ("daily", "weekdays"):
        raise UsageError(f"Unknown cadence '{cadence}'.", usage(name))
    return SubscribeRequest(topic, cadence, (at or "").strip() or None, (tz or "").strip() or None)
