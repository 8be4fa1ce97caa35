"""The second chance of a plain install (no sentence encoder): a partial word match, with guards.

When no body sentence covers enough of a question's words, ``summarizer.qa`` asks a sentence encoder (MiniLM, the
ml extra) for sentences that share part of the question and mean the same ("soldiers" ~ "troops"). A plain install
has none, and refused most casual questions. Here, when the question has a word the articles never use, the
sentences that cover most of the words they do use (IDF-weighted: ``partial``) may answer, if:

* each such word is only wording the articles may put another way ("kick ... out" for "sent home", "bump up" for
  "increased"), not a thing the articles would have to name: not a place or nationality ("how much did germany
  give?"), nor a noun after a determiner, a possessive, "about", "what/which" or "how" ("the weather", "about
  climate change", "the pilots' names", "how old"). ``summarizer.qa`` refuses such a question before any second
  chance (``names_missing_thing``, below), so it never reaches ``lexical_chance``;
* the articles use most of the question's words: when more than half of them are words they never use ("what's a
  good recipe for banana bread?", where only "good" is theirs), the question is about something else, and the few
  words it shares with a sentence are chance;
* the sentence covers at least LEXICAL_MIN of the question's seen words, and one of them is more than the topic's
  common words (words most of its articles use: "Airbus" in a topic about an Airbus crash), as the semantic second
  chance asks a higher cosine of such a sentence.

Every gate ``summarizer.qa`` applies after the second chance (answer type, how many, how long, role) still applies.
A question all of whose words the articles use gets nothing here: its sentences all cover less than
``summarizer.qa.MIN_COVERAGE`` < LEXICAL_MIN (lower bars for it, 0.4-0.55, answered mostly with wrong sentences on
the tuning sets).

A plain install also uses two rules of this module before any second chance: a place or thing the question asks
for that the articles never name refuses even a sentence covering the rest of it (``names_missing_thing``: "what
verdict did ... get?"), and a plain adjective meets the articles' superlative (``superlatives``: "old" for
"oldest"). With a sentence encoder, neither applies (that path is measured on its own).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from summarizer.analyzer import tokens, wordset
from summarizer.gazetteer import ALIASES, NATIONALITIES, PLACES

LEXICAL_MIN = 0.75  # share of the question's seen (IDF-weighted) words a sentence must cover

_RAW = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]*)?")
_THING_BEFORE = wordset("the a an this that these those his her its their our my your about what which how")
# Nouns that name no kind of thing ("Which items were in the request?"): the articles need not use them.
GENERIC_NOUNS = wordset("stuff thing things item items kind kinds sort sorts")


def is_place(word: str) -> bool:
    """A country, city, region or nationality, written in lower case as chat does ("britain", "germany")."""
    return any(form in PLACES or form in NATIONALITIES or form in ALIASES for form in (word.capitalize(), word.upper()))


def is_thing(word: str, question: str) -> bool:
    """Is ``word`` a noun the question asks about: right after a determiner, a possessive, "about", "what/which"
    or "how" ("the weather", "the pilots' names", "how old")?"""
    raw = _RAW.findall(question.lower())
    for k, token in enumerate(raw):
        if k and tokens(token) == [word]:
            before = raw[k - 1]
            return before in _THING_BEFORE or before.endswith(("'", "\u2019", "'s", "\u2019s"))
    return False


def superlatives(word: str, vocabulary: Collection[str]) -> list[str]:
    """The superlative of an adjective that ``vocabulary`` uses ("old" -> "oldest", "big" -> "biggest", "early" ->
    "earliest", "late" -> "latest"): the articles' "one of the oldest buildings" answers "which old building ...?"
    (``summarizer.analyzer.base_form`` goes the other way only when the text has the base). Not the comparative:
    "-er" also makes nouns of verbs ("win" -> "winner")."""
    if len(word) < 3 or not word.isalpha():
        return []
    forms = {word + "est"}
    if word.endswith("y"):
        forms.add(word[:-1] + "iest")
    if word.endswith("e"):
        forms.add(word + "st")
    if word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms.add(word + word[-1] + "est")  # big -> biggest
    return sorted(f for f in forms if f in vocabulary)


def names_missing_thing(question: str, unseen: Sequence[Any]) -> bool:
    """Does the question ask about a place or a thing (``is_place``, ``is_thing``) the articles never name
    ("what verdict did ... get?")? A generic noun ("which items ...") names no thing; a name (a capitalised word)
    is left to the other gates."""
    return any(not c.name and c.word not in GENERIC_NOUNS and (is_place(c.word) or is_thing(c.word, question))
               for c in unseen)


def lexical_chance(
    concepts: Sequence[Any],
    unseen: Sequence[Any],
    partial: Sequence[float],
    candidates: Mapping[int, frozenset[str]],
    specific: frozenset[str],
) -> list[int]:
    """Indices of ``candidates`` (body sentences that hold the question's specific parts, with their terms) that
    may answer it.

    ``concepts`` are the question's words (``word``, ``alternatives``: the article terms that count as it),
    ``unseen`` those of them the articles never use, ``partial`` each sentence's IDF-weighted share of the
    question's seen words, ``specific`` the question's terms that are not the topic's common words. A question
    naming a thing the articles never name (``names_missing_thing``) is the caller's to refuse first."""
    if 2 * len(unseen) > len(concepts):
        return []
    return sorted(i for i, terms in candidates.items() if partial[i] >= LEXICAL_MIN and terms & specific)
