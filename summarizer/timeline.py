"""Timeline: dated events from the articles, oldest first, the same event from several sources merged.

Each event is the sentence that carries an explicit date (trimmed to the clause around the date when the
sentence is long). Dates keep the precision the text gives (see ``summarizer.dates``). Two sentences are one
event when their dates are compatible (equal, or one is a less precise form of the other: "November" and
"November 15") and they share enough content words; the merged event keeps the most precise date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from summarizer.analyzer import content_words, stem
from summarizer.articles import Article
from summarizer.cleaning import strip_dateline
from summarizer.dates import FUTURE, MONTH_RE, MONTHS, WEEKDAYS, DateMention, find_dates, is_date_line
from summarizer.models import Event
from summarizer.text import inside_quotation, leans_back, split_sentences

MAX_EVENTS = 8
DAY_ROWS = 1  # rows one day gets before other days' rows are shown
MAX_EVENT_WORDS = 40
SAME_EVENT_SHARED = 3  # content words two dated clauses must share (near the date) to be one event
SAME_EVENT_OVERLAP = 0.4  # ... and that share of the smaller word set
WINDOW_WORDS = 8  # words either side of the date that describe the event
# Words news uses interchangeably for the same kind of event ("video call" = "virtual summit").
_SYNONYMS = {
    "meeting": "meet", "met": "meet", "summit": "meet", "talk": "meet", "spoke": "meet", "speak": "meet",
    "call": "meet", "conversation": "meet", "discussion": "meet", "virtual": "video", "online": "video",
    "invaded": "invade", "invasion": "invade", "began": "start", "started": "start", "launched": "start",
}
_DATE_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | {"yesterday", "today", "tomorrow", "last", "year"}


@dataclass
class _Event:
    date: DateMention
    text: str
    stems: set[str]
    sources: list[str]
    published: dt.date | None
    order: int
    texts: list[str] = field(default_factory=list)


def event_stems(text: str) -> set[str]:
    out = set()
    for word in content_words(text):
        if word in _DATE_WORDS or word.isdigit():
            continue
        out.add(_SYNONYMS.get(word) or _SYNONYMS.get(stem(word)) or stem(word))
    return out


def date_window(sentence: str, start: int, end: int) -> str:
    before = sentence[:start].split()[-WINDOW_WORDS:]
    after = sentence[end:].split()[:WINDOW_WORDS]
    return " ".join(before + after)


def trim_clause(sentence: str, start: int, end: int, limit: int = MAX_EVENT_WORDS) -> str:
    """The sentence, or for a long one the comma-separated clauses around the date (at most ``limit`` words)."""
    if len(sentence.split()) <= limit:
        return sentence
    bounds = [0] + [m.end() for m in re.finditer(r"[,;:]\s+|\s+\u2014\s+", sentence)] + [len(sentence)]
    pieces = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    home = next((i for i, (s, e) in enumerate(pieces) if s <= start < e), 0)
    low = high = home
    def size(lo: int, hi: int) -> int:
        return len(sentence[pieces[lo][0] : pieces[hi][1]].split())
    while size(low, high) < 12:
        grew = False
        if high + 1 < len(pieces) and size(low, high + 1) <= limit:
            high, grew = high + 1, True
        if low > 0 and size(low - 1, high) <= limit:
            low, grew = low - 1, True
        if not grew:
            break
    text = sentence[pieces[low][0] : pieces[high][1]].strip().rstrip(",;:\u2014 ")
    words = text.split()
    if len(words) > limit:
        text = " ".join(words[:limit])
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", '"')) else f"{text} ..."


def _compatible(a: DateMention, b: DateMention) -> bool:
    return (
        a.month == b.month
        and (a.year is None or b.year is None or a.year == b.year)
        and (a.day is None or b.day is None or a.day == b.day)
    )


def same_event(a: set[str], b: set[str]) -> bool:
    shared = len(a & b)
    return shared >= SAME_EVENT_SHARED and shared / min(len(a), len(b)) >= SAME_EVENT_OVERLAP


def event_candidates(articles: Sequence[Article]) -> list[_Event]:
    events: list[_Event] = []
    for article in articles:
        published = article.date
        for raw in split_sentences(article.body):
            sentence = strip_dateline(raw)  # "BONN, October 10 (Xinhua) --" is no part of the event
            if is_date_line(sentence):  # the page's own date line ("Tuesday, January 12, 2010") is no event
                continue
            rows: dict[str, DateMention] = {}  # a clause is one row, however many dates it names
            for mention in find_dates(sentence, published):
                if (mention.month is None and mention.year is None) or mention.attributive:
                    continue  # "the July 7 bombers were shown in a video" happened on another day
                said = sentence[mention.start:mention.end]
                if inside_quotation(sentence, mention.start) and not _EXPLICIT.search(said):
                    continue  # "the 'last weekend in the summer'": the speaker's day, not the article's
                if _planned(mention, sentence, published):
                    continue  # "the Kyoto Protocol, which expires in 2012": a plan or a target, no event yet
                text = trim_clause(sentence, mention.start, mention.end)
                if leans_back(text) or text.count('"') % 2 or text.startswith('"') or _NO_SUBJECT.match(text) \
                        or _ANCHORED.match(text):
                    continue  # "He left the jail late on Thursday", a quotation (cut open): no row reads alone
                if text not in rows or _days_from(mention, published) < _days_from(rows[text], published):
                    rows[text] = mention
            for text, mention in rows.items():
                stems = event_stems(date_window(sentence, mention.start, mention.end))
                events.append(_Event(mention, text, stems, [article.id], published, len(events)))
    return events


# A date that names its month or year says which day it is wherever it stands; "last weekend" or "on Friday" only
# against the day it was said, which inside a quotation is the speaker's, not the article's.
_EXPLICIT = re.compile(r"\b(?:19|20)\d{2}\b|\b" + MONTH_RE, re.IGNORECASE)


def _days_from(mention: DateMention, published: dt.date | None) -> int:
    """How far a date lies from its article's day. Of the dates one clause names, the news is the nearest: in
    "announced today that he failed a test after Saturday's time trial" or "an aftershock of the February 27
    earthquake hit on Wednesday", the farther date names a thing. Undated articles keep the first date."""
    if published is None:
        return 0
    year, month, day = mention.sort_key(published)
    try:
        return abs((dt.date(year, month or 1, day or 1) - published).days)
    except ValueError:
        return 0


PLANNED_AHEAD = dt.timedelta(days=7)  # a date further ahead of its article than this is a plan or a target


# "Hours earlier, on Friday, thousands had arrived": its day counts from the event told before it, not from the
# article's date (a retrospective published months later would put it in the wrong week).
_ANCHORED = re.compile(r"^(?:(?:a|an|one|two|three|several|some|a\s+few|\d+)\s+|the\s+)?(?:minutes?|hours?|days?|"
                       r"nights?|weeks?|months?|years?|moments?)\s+(?:earlier|later|before|after)\b", re.I)

# "Was today sentenced to ninety days of hard labour": the clause lost its subject.
_NO_SUBJECT = re.compile(r"^(?:was|were|is|are|has|have|had|did|does)\b", re.I)


def _planned(mention: DateMention, sentence: str, published: dt.date | None) -> bool:
    """A plan or a target, not an event: a date more than a week after the article's publication day (when
    known), or, in an undated article, a year next to a future word ("will", "scheduled", "expected"; "expires
    in 2012", "by 2020"). A timeline tells what happened, and what is about to."""
    if published is not None:
        year = mention.year if mention.year is not None else published.year + mention.year_offset
        if mention.year is None and mention.month is not None and mention.month > published.month:
            return False  # "in November" in a March article without a year: last November, already past
        # ahead only when even its earliest day is ("in June" in a June article has begun); the coming days'
        # schedule ("the leaders will speak on Friday") is the story's next step, and its text says "will"
        try:
            earliest = dt.date(year, mention.month or 1, mention.day or 1)
        except ValueError:
            return False
        return earliest > published + PLANNED_AHEAD
    return mention.year is not None and bool(FUTURE.search(date_window(sentence, mention.start, mention.end)))


def merge_events(events: Sequence[_Event]) -> list[_Event]:
    merged: list[_Event] = []
    for event in events:
        for group in merged:
            if _compatible(group.date, event.date) and same_event(group.stems, event.stems):
                for source in event.sources:
                    if source not in group.sources:
                        group.sources.append(source)
                if event.date.precision > group.date.precision:
                    group.date, group.published = event.date, event.published
                if len(event.text) < len(group.text):
                    group.text = event.text
                break
        else:
            merged.append(_Event(event.date, event.text, set(event.stems), list(event.sources),
                                 event.published, event.order))
    return merged


def _spread(ranked: list[_Event], key: Callable[[_Event], tuple[int, int, int, int]], limit: int) -> list[_Event]:
    """The first ``limit`` of ``ranked``, at most ``DAY_ROWS`` per day while other days' rows wait: five reports of
    the day a plane vanished would otherwise leave no room for the days it was searched for and found."""
    first: list[_Event] = []
    later: list[_Event] = []
    per_day: dict[tuple[int, int, int], int] = {}
    for event in ranked:
        day = key(event)[:3]
        if event.date.day is not None and per_day.get(day, 0) >= DAY_ROWS:
            later.append(event)
            continue
        per_day[day] = per_day.get(day, 0) + 1
        first.append(event)
    return (first + later)[:limit]


def _last_year_undated(event: _Event) -> bool:
    """A row dated only against its undated article ("meeting with Xi last November", "in November of last year";
    ``summarizer.dates`` gives ``year_offset`` only when the article has no date): it says which month, not which
    year. It tells the topic that its month lies in the year before; but the year is counted from a day the article
    does not give, so next to other articles' rows it has no place of its own (a 2023 article's "last November" is
    not the November of a 2022 article's "November of last year")."""
    return event.date.year is None and event.date.year_offset < 0


def build_timeline(articles: Sequence[Article], limit: int = MAX_EVENTS) -> tuple[Event, ...]:
    """Dated events, oldest first; when there are more than ``limit``, the best-corroborated are kept."""
    merged = merge_events(event_candidates(articles))
    # A partial month that some article places in "last year" is last year for the whole topic.
    last_year_months = {e.date.month for e in merged if _last_year_undated(e)}
    if len(articles) > 1:  # "last November" in an undated article: a year before a day no one knows
        merged = [e for e in merged if not _last_year_undated(e)]

    def key(event: _Event) -> tuple[int, int, int, int]:
        year, month, day = event.date.sort_key(event.published)
        if event.date.year is None and event.published is None and month in last_year_months:
            year = min(year, 10_000 - 1)
        return year, month, day, event.order

    keep = _spread(sorted(merged, key=lambda e: (-len(e.sources), -e.date.precision, e.order)), key, limit)
    order = {a.id: i for i, a in enumerate(articles)}
    return tuple(
        Event(e.date.label, e.text, tuple(sorted(e.sources, key=lambda s: order.get(s, 0))))
        for e in sorted(keep, key=key)
    )
