"""Dates written in news text, normalised without inventing what the text does not say.

Explicit dates keep exactly the precision they are written with: "Feb. 24, 2022" is ``2022-02-24``, "Feb. 24"
stays the partial ``February 24``, "in November" stays ``November``. A year is never guessed for display.
Words that only mean something relative to the article ("on Monday", "yesterday", "last November") are
resolved against the article's publication date, and skipped when the article has none.

For ordering only, a partial date gets an estimated year (``sort_key``): the publication year, or the year
before when the month comes after the publication month (news looks back), or one year back when the text
says "last year" / "last November".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from summarizer.analyzer import wordlist
from summarizer.gazetteer import MONTHS, WEEKDAYS

MONTH_NAMES = tuple(name.capitalize() for name, number in sorted(MONTHS.items(), key=lambda kv: kv[1])
                    if len(name) > 4 or name in ("may", "june", "july"))
# The calendar words as regular expressions, built from the one table (``summarizer.gazetteer``) so that every
# date pattern (here, answers' DAY_RE, wire datelines, quote times) knows the same names. Capitalised only: "may"
# and "march" in lower case are a modal and a walk. Longest first, so "Sept" is tried before "Sep".
MONTH_RE = r"(?:" + "|".join(sorted((name.capitalize() for name in MONTHS), key=len, reverse=True)) + r")"
WEEKDAY_RE = r"(?:" + "|".join(day.capitalize() for day in WEEKDAYS) + r")"
_MONTH = rf"(?P<month>{MONTH_RE})\.?"
_FULL_MONTH = r"(?P<month>" + "|".join(MONTH_NAMES) + r")"
_WEEKDAY = rf"(?P<weekday>{WEEKDAY_RE})"
_PATTERNS = (
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})\b")),
    # a weekday written before the date is part of it ("on Saturday, February 27, 2010" is that Saturday, not the
    # article's last one)
    ("mdy", re.compile(rf"\b(?:(?P<named>{WEEKDAY_RE}),?\s+)?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
                       rf"(?:,?\s+(?P<year>(?:19|20)\d{{2}})\b)?")),
    ("dmy", re.compile(rf"\b(?:(?P<named>{WEEKDAY_RE}),?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}"
                       rf"(?:\s+(?P<year>(?:19|20)\d{{2}}))?\b")),
    ("my", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?P<year>(?:19|20)\d{{2}})\b")),
    (
        "m",
        re.compile(
            rf"\b(?P<cue>in|last|since|until|by|from|early|late|mid-|through|this|next)\s+"
            rf"(?:(?:early|late|mid-)\s*)?{_FULL_MONTH}\b(?!\s+\d)(?P<lastyear>\s+(?:of\s+)?last\s+year)?"
        ),
    ),
    ("wd", re.compile(rf"\b(?P<cue>on|last|next|this|since|until|by)?\s*\b{_WEEKDAY}\b")),
    ("rel", re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b", re.IGNORECASE)),
    ("span", re.compile(r"\b(?P<cue>last|this|next|past|coming)\s+(?P<unit>week|month|year)\b", re.IGNORECASE)),
    ("y", re.compile(r"\b(?i:in|since|until|by|of|during)\s+(?P<year>(?:19|20)\d{2})\b(?!-)")),  # "In 2019,"
)
_ATTRIBUTIVE_BEFORE = re.compile(r"\b[Tt]he\s+$")  # searched in the text just before a mention
# "..., January 12 Haiti earthquake left 222,570 dead": a date opening its clause with no preposition, a noun after it,
# names the thing too (wire copy drops the article)
_CLAUSE_START = re.compile(r"(?:^|,[ \t]+)$")
_RELATIVE_CLAUSE = re.compile(r"\b(?:that|which|who)\s+(?:[a-z]+\s+)(?:[\w'-]+\s+){0,4}(?:on|in|since)\s+$")
# "the February 27 earthquake", "the February 27 8.8 earthquake": between "the" and a noun, maybe a magnitude
_ATTRIBUTIVE_AFTER = re.compile(r"\s+(?:\d+(?:\.\d+)?\s+)?(?!and\b|to\b|of\b|in\b|at\b|on\b|was\b|is\b)[A-Za-z]")
# "the tsunami of December 26, 2004": the date names the tsunami; "the morning of March 3" is a time of day
_OF_THING = re.compile(r"\bthe\s+(?:[a-z]+\s+){0,3}?(?!(?:morning|afternoon|evening|night|day|days|week|weekend|end|"
                       r"start|beginning|middle|eve|dawn|rest|first|last|summer|winter|spring|autumn|fall|month|"
                       r"year|hours|course)\b)[a-z]{4,}\s+of\s+$", re.I)
# "for the first time since 1994", "the worst flooding since 2004": the date of the last time, a comparison, not
# when the sentence's event happened ("held since March 23" is left alone: the detention began then)
_COMPARED_SINCE = re.compile(r"\b(?:first|time|highest|lowest|worst|best|biggest|largest|deadliest|strongest|"
                             r"heaviest|most|least)\b(?:\s+[\w'-]+){0,5}\s+since\s+$", re.I)
# "Saturday's time trial", "last week's powerful earthquake", "Wednesday night's earthquake": a possessive date
# names a thing (an aftershock reported "from last week's earthquake" is not last week's news)
_POSSESSIVE = re.compile(r"(?:\s+(?:morning|afternoon|evening|night))?['\u2019]s\b")
_LAST_YEAR_TAIL = re.compile(r",?\s+(?:of\s+)?last\s+year\b")
# Wording that puts an event ahead of the text ("will meet", "scheduled for", "plans to", "the upcoming talks"): the
# one vocabulary of future words. Each use adds what it alone needs, since the extras mislead elsewhere:
# timelines and briefs take "set to", "is to", "are to" and "due to" (a scheduled step), which in an answer's
# ranking would also take the reason "due to its sensitivity"; answers take "shall", "going to", "next" and
# "tomorrow", which a timeline reads from the date itself ("next Thursday" is a date mention with its own cue).
FUTURE_WORDS = wordlist("will scheduled expected plan plans planned upcoming")


def future_words(*extra: str) -> str:
    """A regular expression for any of the future words or ``extra`` as whole words (the caller sets the case)."""
    return r"\b(?:" + "|".join((*FUTURE_WORDS, *extra)) + r")\b"


# Case-sensitive, as the date rules have always read it; UPCOMING reads the same words in any case. "Due to" is a
# schedule after a present copula ("the talks are due to resume") and a cause elsewhere ("stopped Wednesday due to
# logistical issues": past, last Wednesday); "was due to" is a past schedule ("struck on Thursday, 21 minutes before
# the president was due to be sworn in": last Thursday).
FUTURE = re.compile(future_words("set to", "is to", "are to", r"(?:is|are|be)\s+due\s+to"))
# An event still to come: a future verb, or a date ahead ("next Thursday", "in the coming days").
UPCOMING = re.compile(FUTURE.pattern + r"|\b(?:next|coming)\s+(?:days?|weeks?|months?|year|weekend|"
                      + "|".join(WEEKDAYS) + r")\b|\blater\s+(?:today|this\s+(?:week|month|year))\b|\btomorrow\b",
                      re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """One date in a sentence: (year, month, day) with None for what the text leaves open."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    year_offset: int = 0  # -1 when the text says "last year"/"last November" and no publication date is known
    # The date names or describes a thing instead of saying when this sentence's event happened: "the July 7
    # bombers", "the February 27 earthquake" (between "the" and a noun), "a plane that crashed on June 1 last
    # year" (in a relative clause). Points and timelines skip it.
    attributive: bool = False

    @property
    def label(self) -> str:
        """ISO when the year is known (2022-02-24, 2022-02, 2022); otherwise 'February 24' or 'November'."""
        if self.year is not None:
            parts = [f"{self.year:04d}"]
            if self.month:
                parts.append(f"{self.month:02d}")
                if self.day:
                    parts.append(f"{self.day:02d}")
            return "-".join(parts)
        name = MONTH_NAMES[(self.month or 1) - 1]
        return f"{name} {self.day}" if self.day else name

    @property
    def precision(self) -> int:
        return (self.year is not None) + (self.month is not None) + (self.day is not None)

    def sort_key(self, published: dt.date | None) -> tuple[int, int, int]:
        year = self.year
        if year is None:
            if published is not None and self.month is not None:
                year = published.year - (1 if self.month > published.month else 0)
            else:
                year = 10_000 + self.year_offset  # unknown years sort after known ones, "last year" first
        return year, self.month or 0, self.day or 0


def parse_published(value: str | None) -> dt.date | None:
    """The article's publication date, or None when missing or unreadable (never an exception)."""
    if not value:
        return None
    return _parse_published(str(value))


@lru_cache(maxsize=4096)
def _parse_published(value: str) -> dt.date | None:
    try:  # ISO 8601 first (front matter and feeds almost always): 50 times cheaper than dateutil
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from dateutil import parser as date_parser  # only for what ISO 8601 cannot read: its import costs 25 ms

    try:
        return date_parser.parse(value, fuzzy=False).date()
    except (ValueError, OverflowError, TypeError):
        return None


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)  # 2000 is a leap year: "February 29" stays possible
    except ValueError:
        return False
    return True


def find_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Every date in ``text``, left to right; overlapping matches keep the most specific pattern."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            mention = _mention(kind, match, text, published)
            if mention is not None:
                taken.append((mention.start, mention.end))
                before = text[max(0, mention.start - 60):mention.start]
                opens_noun = _ATTRIBUTIVE_BEFORE.search(before) or (
                    _CLAUSE_START.search(before) and "\n" not in text[mention.end:mention.end + 2])
                if (opens_noun and _ATTRIBUTIVE_AFTER.match(text, mention.end)) \
                        or _RELATIVE_CLAUSE.search(before) or _OF_THING.search(before) \
                        or _compared_since(text, mention.start) or _POSSESSIVE.match(text, mention.end):
                    mention = replace(mention, attributive=True)
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _compared_since(text: str, start: int) -> bool:
    """The mention at ``start`` follows "since" ("since 1994" or "since July 2004") after a comparison."""
    head = text[max(0, start - 80):start]
    if text.startswith(("since", "Since"), start):
        head += text[start:start + 6]
    return bool(_COMPARED_SINCE.search(head))


def _year_of_weekday(weekday: int, month: int, day: int, published: dt.date) -> int | None:
    """The year, next to the article's, in which ``month``/``day`` falls on ``weekday`` ("Sunday, January 16" in a
    January 2005 story: 2005), or None when none does: the weekday says which year, nothing is guessed."""
    for year in (published.year, published.year - 1, published.year + 1):
        if _valid(year, month, day) and dt.date(year, month, day).weekday() == weekday:
            return year
    return None


def _mention(kind: str, match: re.Match[str], text: str, published: dt.date | None) -> DateMention | None:
    groups = match.groupdict()
    start, end = match.span()
    if kind in ("iso", "mdy", "dmy", "my", "y"):
        year = int(groups["year"]) if groups.get("year") else None
        month = int(groups["mnum"]) if groups.get("mnum") else MONTHS.get((groups.get("month") or "").lower())
        day = int(groups["day"]) if groups.get("day") else None
        if kind != "y" and (month is None or not _valid(year, month, day)):
            return None
        tail = _LAST_YEAR_TAIL.match(text, end) if year is None else None
        if tail:  # "Nov. 15 of last year": one date, a year before the article's
            if published is None:
                return DateMention(start, tail.end(), None, month, day, -1)
            year, end = published.year - 1, tail.end()
        if year is None and day is not None and groups.get("named") and published is not None:
            year = _year_of_weekday(WEEKDAYS[groups["named"].lower()], month, day, published)
        return DateMention(start, end, year, month, day)
    if kind == "m":
        month = MONTHS[groups["month"].lower()]
        relative = groups["cue"] == "last" or bool(groups.get("lastyear"))
        if relative and published is not None:
            year = published.year - 1 if groups.get("lastyear") or month >= published.month else published.year
            return DateMention(start, end, year, month, None)
        return DateMention(start, end, None, month, None, -1 if relative else 0)
    if published is None:
        return None  # "on Monday" or "yesterday" mean nothing without the article's date
    if kind == "span":
        return _span(start, end, groups["cue"].lower(), groups["unit"].lower(), published)
    if kind == "rel":
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["word"].lower()]
        day = published + dt.timedelta(days=shift)
        return DateMention(start, end, day.year, day.month, day.day)
    weekday = WEEKDAYS[groups["weekday"].lower()]
    cue = groups.get("cue")
    sentence_future = bool(FUTURE.search(text)) or cue == "next"
    if cue == "last" or not sentence_future:
        delta = -((published.weekday() - weekday) % 7)
        if cue == "last" and delta == 0:
            delta = -7
    else:
        delta = (weekday - published.weekday()) % 7
        if cue == "next" and delta == 0:
            delta = 7
    day = published + dt.timedelta(days=delta)
    return DateMention(start, end, day.year, day.month, day.day)


def _span(start: int, end: int, cue: str, unit: str, published: dt.date) -> DateMention:
    """"last month", "next year", "this week": the period around the publication date, at its own precision
    (a week becomes the day it starts on, the closest a date label can say)."""
    step = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[cue]
    if unit == "year":
        return DateMention(start, end, published.year + step, None, None)
    if unit == "month":
        month = published.month - 1 + step
        return DateMention(start, end, published.year + month // 12, month % 12 + 1, None)
    day = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=step)
    return DateMention(start, end, day.year, day.month, day.day)


# A dated news page carries its date in its first lines ("Saturday, January 8, 2005", "2005/01/08 Title").
_HEAD_DATE = re.compile(
    rf"^(?:{WEEKDAY_RE},?\s+)?"
    r"(?:(?P<mdy>[A-Z][a-z]+\.?\s+\d{1,2},?\s+(?:19|20)\d{2})|(?P<dmy>\d{1,2}\s+[A-Z][a-z]+\.?\s+(?:19|20)\d{2})"
    r"|(?P<iso>(?:19|20)\d{2}[-/]\d{2}[-/]\d{2}))(?!\d)"  # not \b: "2005Through", a date line run into the text
)
HEAD_LINES = 3


def is_date_line(text: str) -> bool:
    """A line or sentence that is only a date ("Tuesday, January 12, 2010"): a page's date line, no event."""
    match = _HEAD_DATE.match(text.strip())
    return match is not None and not re.search(r"\w", text.strip()[match.end():])


def document_date(text: str) -> dt.date | None:
    """The date a plain-text document states in its first lines (a date line, or a title that starts with a
    date), or None: batch inputs carry no front matter, so this is the closest thing to ``published``."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][:HEAD_LINES]
    for line in lines:
        match = _HEAD_DATE.match(line)
        if match:
            found = parse_published(match.group(0).replace("/", "-"))
            if found is not None:
                return found
    return None
