"""Headlines: what each article reports, so a brief over several articles tells every one of their stories.

An article's headline names the development it reports ("White House seeks softer tone on China ahead of
Putin-Xi meeting"). Strands (``summarizer.strands``) cluster sentences by the words they share, and a
development one article tells in the topic's common words (White House, China, aid) can fall into the strand
of the main event and never get its turn. So a generic brief checks, for its most central articles, whether
what it shows (the lead and the points) tells each headline: the IDF-weighted share of the headline's
content words it carries. An untold headline gets a point: the sentence of that article that tells it best.
A headline that names an event still to come ("X ahead of Y") reports two developments, and each must be
told: the soft tone told most of the words of "... softer tone on China ahead of Putin-Xi meeting", and the
meeting was left out. Only what the brief shows about the future ("will", "next Thursday") tells the event to
come, never a past meeting of the same leaders, and only such a sentence can be its point. (Splitting every
compound headline, at "as", "after", "amid", "while" and ";", gained on the tuning nugget sets and lost a fact
on each of three blind ones: the second clause is often the same story's background, not a development.)

Cost: ``HEADLINE_ARTICLES`` headlines, each compared with the candidate groups of its own article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

HEADLINE_ARTICLES = 8  # the most central articles whose headlines a brief must tell
MIN_HEADLINE_TERMS = 3  # a shorter headline ("Home", "World news") names no development
TOLD_SHARE = 0.5  # a headline is told when what the brief shows carries this share of its weighted words
TELLS_SHARE = 0.4  # a sentence can stand for a headline when it carries this share


# "Antony Blinken said on Thursday that ...": the report is what follows; who said it and when is no development.
_ATTRIBUTION = re.compile(r"^.{0,80}?\b(?:said|says|told|warned|announced)\b(?:\s+\w+){0,3}?\s+that\s+", re.I)


def reported(title: str) -> str:
    """The headline without a leading attribution (a lede used as a headline often has one)."""
    return _ATTRIBUTION.sub("", title, count=1)


_LABEL = re.compile(r"^\s*([^:]{2,40}):\s+\S")


def _label(title: str) -> str | None:
    """The lower-cased text before a headline's colon ("tour de france"), or None when it has none."""
    match = _LABEL.match(title)
    return match.group(1).strip().lower() if match else None


def series_labels(titles: Iterable[str]) -> frozenset[str]:
    """Leading labels that head many of a topic's headlines ("Tour de France: Contador wins the grand tour"):
    a series name, not what any one article reports. A label counts when it heads at least three headlines and
    half of them."""
    titles = list(titles)
    counts = Counter(label for label in map(_label, titles) if label is not None)
    return frozenset(label for label, n in counts.items() if n >= 3 and 2 * n >= len(titles))


def unlabelled(title: str, labels: frozenset[str]) -> str:
    """The headline without a series label that heads it (see ``series_labels``)."""
    return title.split(":", 1)[1].strip() if _label(title) in labels else title


def story_weights(idf: Mapping[str, float]) -> dict[str, float]:
    """What a word says about one article's own story: its smoothed IDF less the smoothing's floor of 1, so a
    word nearly every sentence of the topic uses ("China", "White House", "meeting") weighs about nothing, and a
    headline ("White House seeks softer tone on China ahead of Putin-Xi meeting") is told by its own words
    ("softer tone"), not the topic's. (With the floor kept, full-brief nugget recall: tuning set 59.6% either
    way, heldout2 60.4% against 65.9% without it, nuggets3 59.5% against 61.1%.)"""
    return {t: max(0.0, w - 1.0) for t, w in idf.items()}


def headline_terms(terms: Iterable[str], idf: Mapping[str, float]) -> frozenset[str]:
    """The headline's content stems that the topic's sentences use at all: a word no sentence has can never
    be told, so it must not make a headline look untold."""
    return frozenset(t for t in terms if t in idf)


_NAME_PAIR = re.compile(r"\b([A-Z][A-Za-z]*)-(?=[A-Z])")


def names_apart(title: str) -> str:
    """A headline's hyphenated pair of names ("Putin-Xi meeting", "US-China talks") as the two names the
    sentences write apart."""
    return _NAME_PAIR.sub(r"\1 ", title)


# "X ahead of Y": the part after "ahead of" is an event still to come, a development of its own.
_AHEAD_OF = re.compile(r"\s+ahead\s+of\s+", re.I)


@dataclass(frozen=True)
class Clause:
    """One development a headline reports; ``upcoming``: an event still to come (named after "ahead of")."""

    text: str
    upcoming: bool = False


def clauses(title: str) -> list[Clause]:
    """The developments of a headline: the event it says is coming apart from the rest ("White House seeks
    softer tone on China" and the upcoming "Putin-Xi meeting"): a brief telling one has not told the other."""
    first, *later = _AHEAD_OF.split(title)
    out = [Clause(first)] + [Clause(text, upcoming=True) for text in later]
    return [c for c in out if c.text.strip()]


def told_share(headline: frozenset[str], told: Iterable[str], idf: Mapping[str, float]) -> float:
    """IDF-weighted share of ``headline``'s terms found in ``told`` (rare words weigh most: "tone",
    "softer", not "China")."""
    total = sum(idf[t] for t in headline)
    if total <= 0:
        return 1.0
    carried = set(told) & headline
    return sum(idf[t] for t in carried) / total
