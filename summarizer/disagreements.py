"""Disagreements: where sources give different facts about the same thing.

Sentences of different articles are aligned by TF-IDF cosine (top-k neighbours per sentence on a sparse
matrix, computed in row blocks, only across articles, so a 1,000-article topic stays bounded). An aligned
pair is then compared on values, and reported only when it is clearly about the same thing:

* numbers: the same counted noun ("7,000 troops" vs "15,000 troops"), no value in common, and a gap larger
  than any hedge allows ("about", "more than" tolerate 25 %);
* dates: each sentence holds exactly one day-precise date, the words around the dates describe the same
  event (the timeline's rule), and the days differ;
* people: the two sentences share a named person (the anchor) and each names another person whom the other
  article never mentions anywhere, both with a known job: the same slot filled by different people.

Precision first: a false disagreement misleads, so every gate above must pass; an empty list is normal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.analyzer import content_words, stem, wordset
from summarizer.articles import Article
from summarizer.dates import DateMention, find_dates
from summarizer.entities import PeopleIndex, Person
from summarizer.models import Claim, Disagreement
from summarizer.text import split_sentences
from summarizer.timeline import date_window, event_stems, same_event
from summarizer.topk import top_k

ALIGN = 0.35  # TF-IDF cosine for two sentences to be compared at all
NAME_ALIGN = 0.25  # people conflicts have their own strong gates (anchor, absence, roles)
NEIGHBOURS = 3  # top-k aligned sentences kept per sentence
BLOCK = 512  # rows per sparse matrix product
MAX_SENTENCES = 4000  # beyond this, the first sentences of each article are used (leads carry the facts)
MAX_DISAGREEMENTS = 3
HEDGE_TOLERANCE = 0.25
MIN_WORDS = 6

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER = re.compile(
    r"(?P<hedge>\b(?:about|around|nearly|almost|roughly|approximately|some|over|more than|less than|"
    r"fewer than|at least|up to|as many as|upwards of)\s+)?"
    r"(?P<value>\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+(?:\.\d+)?\b|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b)"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion)\b)?"
    r"(?:-|\s+)(?P<unit>[A-Za-z][a-z]+(?:\s+[a-z]+)?)",
    re.IGNORECASE,
)
_UNIT_SKIP = wordset("of to and or the a an more than percent")


@dataclass(frozen=True)
class _Sentence:
    articles: tuple[str, ...]
    text: str
    index: int


@dataclass(frozen=True)
class _Number:
    value: float
    unit: str
    hedged: bool
    surface: str = ""  # "seven-hour meeting": names the thing in a disagreement's ``about``
    noun: str = ""  # the counted noun as written ("bodies"), for the label; ``unit`` is its stem


def numbers(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[_Number]:
    """Counted quantities: (value, unit stem, hedged). Years and parts of dates are not quantities."""
    out = []
    position = 0
    while match := _NUMBER.search(text, position):
        position = match.end("value")  # the words after a skipped year may hold the next quantity
        if any(s <= match.start("value") < e for s, e in skip):
            continue
        if text[match.start("value") - 1:match.start("value")] == ":" or text[match.end("value"):].startswith(":"):
            continue  # a clock time ("20:36:08 local time") counts nothing
        raw = match.group("value").lower().replace(",", "")
        value = float(_NUMBER_WORDS.get(raw, 0) or raw) if not raw.isalpha() else float(_NUMBER_WORDS[raw])
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        unit_words = [w for w in match.group("unit").split() if w.lower() not in _UNIT_SKIP]
        if not unit_words:
            continue
        unit = unit_words[0]
        if unit[0].isupper():  # "7,000 Russian troops": the counted noun follows the adjective
            if len(unit_words) < 2:
                continue
            unit = unit_words[1]
        if raw.isdigit() and 1900 <= value <= 2100 and not match.group("hedge"):
            continue
        surface = text[match.start("value") : match.end()]
        out.append(_Number(value, stem(unit.lower()), bool(match.group("hedge")), surface, unit.lower()))
    return out


def _conflicting_numbers(left: list[_Number], right: list[_Number]) -> tuple[str, str, str] | None:
    """(counted noun as written, a plural one when either is; value in a; value in b) when the two sentences
    count the same thing differently."""
    for unit in {n.unit for n in left} & {n.unit for n in right}:
        va = [n for n in left if n.unit == unit]
        vb = [n for n in right if n.unit == unit]
        if len(va) != 1 or len(vb) != 1:
            continue  # several counts of one unit in a sentence: we cannot tell which matches which
        x, y = va[0], vb[0]
        if x.value == y.value:
            continue
        gap = abs(x.value - y.value) / max(x.value, y.value)
        if (x.hedged or y.hedged) and gap <= HEDGE_TOLERANCE:
            continue
        return x.noun if x.noun.endswith("s") else y.noun, _fmt(x.value), _fmt(y.value)
    return None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _plural(noun: str) -> str:
    """The plural of a counted noun as written ("body" -> "bodies"); a plural stays as it is."""
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{noun[:-1]}ies"
    return f"{noun}es" if noun.endswith(("x", "ch", "sh")) else f"{noun}s"


class _Aligner:
    """Top-k cross-article neighbours by TF-IDF cosine, computed block by block on a sparse matrix."""

    def __init__(self, sentences: Sequence[_Sentence]) -> None:
        self.sentences = sentences

    def pairs(self, threshold: float) -> list[tuple[int, int, float]]:
        if len(self.sentences) < 2:
            return []
        import numpy as np

        from summarizer.tfidf import EmptyVocabulary, tfidf_matrix

        try:
            matrix = tfidf_matrix([s.text for s in self.sentences])
        except EmptyVocabulary:  # every sentence was stop words only
            return []
        articles = np.array([hash(s.articles[0]) for s in self.sentences])
        found: dict[tuple[int, int], float] = {}
        for start in range(0, matrix.shape[0], BLOCK):
            block = (matrix[start : start + BLOCK] @ matrix.T).toarray()
            rows = np.arange(block.shape[0])
            same = articles[start : start + block.shape[0], None] == articles[None, :]
            block[same] = 0.0
            k = min(NEIGHBOURS, block.shape[1])
            top = top_k(block, k)
            for row in rows:
                for column in top[row]:
                    score = float(block[row, column])
                    if score >= threshold:
                        i, j = sorted((start + int(row), int(column)))
                        found[(i, j)] = score
        return sorted(((i, j, s) for (i, j), s in found.items()), key=lambda t: -t[2])


@dataclass
class _Facts:
    """What one sentence states (dates, quantities, people), computed once however many pairs it is in."""

    sentence: _Sentence
    dates: list[DateMention]
    numbers: list[_Number]
    people: dict[str, Person]


class _FactCache:
    def __init__(
        self, sentences: Sequence[_Sentence], published: dict[str, dt.date | None], people: PeopleIndex
    ) -> None:
        self._sentences = sentences
        self._people = people
        self._published = published
        self._facts: dict[int, _Facts] = {}

    def __getitem__(self, index: int) -> _Facts:
        if index not in self._facts:
            sentence = self._sentences[index]
            dates = find_dates(sentence.text, self._published.get(sentence.articles[0]))
            self._facts[index] = _Facts(
                sentence,
                dates,
                numbers(sentence.text, [(d.start, d.end) for d in dates]),
                {p.name: p for _, _, p in self._people.find(sentence.text)},
            )
        return self._facts[index]


def find_disagreements(
    articles: Sequence[Article], people: PeopleIndex, people_by_article: dict[str, frozenset[str]],
    limit: int = MAX_DISAGREEMENTS,
) -> tuple[Disagreement, ...]:
    """Claims from different sources that conflict on a number, a date or a person, at most ``limit``."""
    sentences = _sentences(articles)
    published = {a.id: a.date for a in articles}  # a report's day: its front matter, else its date line
    facts = _FactCache(sentences, published, people)
    results: dict[str, dict[str, tuple[str, list[str]]]] = {}
    order: list[str] = []
    for i, j, score in _Aligner(sentences).pairs(min(ALIGN, NAME_ALIGN)):
        a, b = facts[i], facts[j]
        if set(a.sentence.articles) & set(b.sentence.articles):
            continue  # one article contradicting itself is not a disagreement between sources
        found = None
        if score >= ALIGN:
            found = (None if _reported_apart(a.sentence, b.sentence, published) else _number_conflict(a, b)) \
                or _date_conflict(a, b)
        if found is None:
            found = _people_conflict(a, b, people_by_article)
        if found is None:
            continue
        about, value_a, value_b = found
        claims = results.setdefault(about, {})
        if about not in order:
            order.append(about)
        for fact, value in ((a, value_a), (b, value_b)):
            text, sources = claims.setdefault(value, (fact.sentence.text, []))
            sources.extend(s for s in fact.sentence.articles if s not in sources)
    rank = {a.id: n for n, a in enumerate(articles)}
    out = []
    for about in order:
        claims = results[about]
        if len(claims) < 2:
            continue
        out.append(Disagreement(about, tuple(
            # each side names its people in full: "Mr Wang [Wang Yi]" against "Yang Jiechi"
            Claim(people.in_full([text], only={value})[0], tuple(sorted(sources, key=lambda s: rank.get(s, 0))))
            for value, (text, sources) in claims.items()
        )))
        if len(out) >= limit:
            break
    return tuple(out)


UPDATE_GAP = dt.timedelta(days=1)


def _reported_apart(a: _Sentence, b: _Sentence, published: dict[str, dt.date | None]) -> bool:
    """Reported on days further apart than ``UPDATE_GAP``: a count that differs then is an update (a toll that
    rose from 2 bodies found to 16), not sources disagreeing. Unknown dates never make a pair apart."""
    days_a = [published.get(x) for x in a.articles]
    days_b = [published.get(x) for x in b.articles]
    if None in days_a or None in days_b:
        return False
    return all(abs(x - y) > UPDATE_GAP for x in days_a for y in days_b if x is not None and y is not None)


def _sentences(articles: Sequence[Article]) -> list[_Sentence]:
    """Distinct sentences, each with every article that carries it (wire copy repeats sentences verbatim).

    Taken round-robin (every article's first sentence, then every second one, ...) until MAX_SENTENCES
    distinct ones: a huge topic is compared on its leads, where the facts are, and the cost stays bounded.
    """
    split = [(a.id, [t for t in split_sentences(a.body) if len(t.split()) >= MIN_WORDS]) for a in articles]
    by_text: dict[str, list[str]] = {}
    first: dict[str, tuple[str, int]] = {}
    depth = max((len(texts) for _, texts in split), default=0)
    for index in range(depth):
        for article_id, texts in split:
            if index >= len(texts):
                continue
            key = " ".join(texts[index].lower().split())
            if key not in first:
                if len(first) >= MAX_SENTENCES:
                    continue
                first[key] = (texts[index], index)
            holders = by_text.setdefault(key, [])
            if article_id not in holders:
                holders.append(article_id)
    return [_Sentence(tuple(by_text[key]), text, index) for key, (text, index) in first.items()]


def _number_conflict(a: _Facts, b: _Facts) -> tuple[str, str, str] | None:
    found = _conflicting_numbers(a.numbers, b.numbers)
    if found is None:
        return None
    noun, x, y = found
    return f"the number of {_plural(noun)}", x, y


def _date_conflict(a: _Facts, b: _Facts) -> tuple[str, str, str] | None:
    a_dates = [d for d in a.dates if d.day is not None]
    b_dates = [d for d in b.dates if d.day is not None]
    if len(a_dates) != 1 or len(b_dates) != 1:
        return None
    x, y = a_dates[0], b_dates[0]
    same_day = (x.month, x.day) == (y.month, y.day)
    if same_day and (x.year is None or y.year is None or x.year == y.year):
        return None
    a_window = date_window(a.sentence.text, x.start, x.end)
    a_stems = event_stems(a_window)
    b_stems = event_stems(date_window(b.sentence.text, y.start, y.end))
    if not same_event(a_stems, b_stems):
        return None
    shared = a_stems & b_stems
    noun = next((w for w in content_words(a_window) if stem(w) in shared and w.islower() and w.isalpha()), None)
    about = f"the date of the {noun}" if noun else "the date"
    return about, x.label, y.label


def _shared_quantity(a: _Facts, b: _Facts) -> str | None:
    """A counted quantity both sentences give identically ("seven-hour meeting"): they describe one thing."""
    right = {(n.value, n.unit) for n in b.numbers}
    return next((n.surface for n in a.numbers if (n.value, n.unit) in right), None)


def _people_conflict(
    a: _Facts, b: _Facts, people_by_article: dict[str, frozenset[str]]
) -> tuple[str, str, str] | None:
    if not a.people or not b.people:
        return None
    anchors = set(a.people) & set(b.people)
    quantity = None if anchors else _shared_quantity(a, b)
    if not anchors and not quantity:
        return None
    knows_a = frozenset().union(*(people_by_article.get(s, frozenset()) for s in a.sentence.articles))
    knows_b = frozenset().union(*(people_by_article.get(s, frozenset()) for s in b.sentence.articles))
    only_a = [n for n in a.people if n not in b.people and n not in knows_b]
    only_b = [n for n in b.people if n not in a.people and n not in knows_a]
    if len(only_a) != 1 or len(only_b) != 1:
        return None
    x, y = a.people[only_a[0]], b.people[only_b[0]]
    if not (x.role and y.role):
        return None
    if anchors:
        return f"who was with {sorted(anchors)[0]}", x.name, y.name
    return f"who took part in the {quantity}", x.name, y.name
