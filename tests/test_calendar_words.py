"""The calendar and future-word tables are defined once (summarizer.dates, from summarizer.gazetteer) and every
pattern built from them behaves as its own hand-written copy did (issue 11, "one text analyzer")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from summarizer.cleaning import strip_dateline
from summarizer.dates import FUTURE, FUTURE_WORDS, MONTH_RE, UPCOMING, WEEKDAY_RE, document_date, find_dates
from summarizer.gazetteer import MONTHS, NOT_NAMES, WEEKDAYS
from summarizer.qa import _FUTURE_RE
from summarizer.qa_rank import day_bonus

# The hand-written tables the shared ones replace, kept here as the reference they must match.
OLD_FUTURE = re.compile(r"\b(?:will|scheduled|expected|plans?|planned|set to|is to|are to|upcoming|due to)\b")
OLD_QA_FUTURE = re.compile(
    r"\b(?:will|shall|going to|scheduled|plans?|planned|expected|upcoming|next|tomorrow)\b", re.IGNORECASE
)
OLD_CLEANING_MONTH = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d"
)
EDGE = [
    "will", "Will", "WILL", "willing", "shall", "Shall", "going to", "Going to", "next Thursday", "Next week",
    "tomorrow", "Tomorrow", "due to", "Due to", "set to", "is to", "are to", "plan", "plans", "Plans", "planned",
    "planner", "expected", "scheduled", "upcoming", "Upcoming", "in the coming days", "later this week", "may",
    "May 4", "may 4", "4 May", "Sept. 5", "Sep 5", "Sept 5", "September 5", "Mar 3", "March 3", "march 3",
    "Junee 4", "June4", "Jun. 4", "on Friday", "said on friday",
]


@pytest.mark.parametrize("text", EDGE)
def test_future_patterns_match_what_their_own_tables_did(text: str) -> None:
    if text.lower() != "due to":  # since stop 28 the date rules read "due to" as a schedule only after "is"/"are"
        assert bool(FUTURE.search(text)) == bool(OLD_FUTURE.search(text))
    assert bool(_FUTURE_RE.search(text)) == bool(OLD_QA_FUTURE.search(text))


def test_the_shared_future_words_and_where_the_uses_part() -> None:
    for word in FUTURE_WORDS:
        assert FUTURE.search(f"they {word} it") and _FUTURE_RE.search(f"they {word} it")
        assert UPCOMING.search(f"They {word.capitalize()} it")
    assert not FUTURE.search("Will") and _FUTURE_RE.search("Will") and UPCOMING.search("Will")  # case
    assert _FUTURE_RE.search("shall") and not FUTURE.search("shall")
    assert _FUTURE_RE.search("next Thursday") and UPCOMING.search("next Thursday") and not FUTURE.search("next")
    assert not FUTURE.search("delayed due to rain") and not _FUTURE_RE.search("delayed due to rain")  # a reason
    assert FUTURE.search("the talks are due to resume") and not FUTURE.search("he was due to be sworn in")
    assert not FUTURE.search("willing") and not _FUTURE_RE.search("planner")  # whole words only


def test_month_and_weekday_patterns_come_from_the_calendar_table() -> None:
    assert {m.lower() for m in re.findall(r"[A-Za-z]+", MONTH_RE)} == set(MONTHS)
    assert {d.lower() for d in re.findall(r"[A-Za-z]+", WEEKDAY_RE)} == set(WEEKDAYS)
    assert {w.capitalize() for w in (*MONTHS, *WEEKDAYS)} <= NOT_NAMES


@pytest.mark.parametrize("text", EDGE)
def test_dateline_months_match_the_old_spelled_out_pattern(text: str) -> None:
    ours = re.compile(MONTH_RE + r"\.?\s+\d")
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in OLD_CLEANING_MONTH.finditer(text)]


def test_capitalised_months_only_and_abbreviations() -> None:
    assert day_bonus("They met on May 4.") and not day_bonus("They may 4 times.")
    assert day_bonus("Sept. 5") and day_bonus("Sep 5") and day_bonus("4 Jun.") and not day_bonus("Junee 4")
    assert [(m.month, m.day) for m in find_dates("Talks on Sept. 5 and 4 May.")] == [(9, 5), (5, 4)]
    assert find_dates("You may 4 times.") == []


def test_datelines_and_date_lines_still_read() -> None:
    assert strip_dateline("NEW YORK, Jan. 5, 2020 (AP) \u2014 Officials met.") == "Officials met."
    assert strip_dateline("BONN, Sept. 10 (Xinhua) -- Talks ended.") == "Talks ended."
    assert strip_dateline("Tuesday, January 18, 2005Through the night it rained.") == "Through the night it rained."
    assert document_date("Saturday, January 8, 2005\nTitle\nBody") == dt.date(2005, 1, 8)
