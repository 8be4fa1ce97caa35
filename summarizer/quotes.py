"""Direct quotes with their speakers, merged across outlets, the most newsworthy few kept.

Attribution is read from the words right around a quotation: after it (``"...," Blinken said``, ``"...,"
said Jen Psaki``, ``"..." he added``, ``"...," according to ...``) or before it (``Kirby said: "..."``).
A speaker is kept only when it is certain:

* a name resolves through the topic's ``PeopleIndex`` to one full name ("Blinken" -> "Antony Blinken");
  a surname that matches no full name anywhere in the topic (a garbled "Mr. Shine") is dropped;
* "he"/"she" resolves to the nearest person named earlier in the same paragraph, outside quotation marks,
  and only if that sentence names nobody else and the honorific does not contradict the pronoun;
* an indefinite description ("a senior administration official") is kept as written: it is what the
  reporter attributed, not a guess; a definite one ("the official") points back to someone we cannot
  identify safely and is dropped;
* an organisation ("the White House said in a statement") is kept under its name, but never when a person is
  named as its voice: in "Sean McCormack, a spokesman for the State Department, said", "John Bellinger of the State
  Department said" and "said United Nations spokeswoman Stephanie Bunker" the person speaks.

Quotes under six words ("closely", "no limits") are scare quotes, not statements, and are skipped.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.analyzer import words
from summarizer.articles import Article
from summarizer.dates import WEEKDAY_RE
from summarizer.entities import PeopleIndex, body_lines, find_spans, tag_span
from summarizer.gazetteer import HONORIFICS, PERSON_TITLES, ROLE_MODIFIERS, ROLE_NOUNS
from summarizer.models import Quote

MIN_WORDS = 6
MIN_FRAGMENT_WORDS = 8  # a quote that starts mid-sentence ("will make clear that ...") needs more substance
MAX_WORDS = 120  # longer than this is almost always two quotations paired wrongly
MAX_QUOTES = 5
MAX_PER_SPEAKER = 2
SAME_QUOTE = 0.7  # share of the shorter quote's words found in the longer one

_VERBS = (
    r"said|says|added|adds|told\s+(?:reporters|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)|tells|wrote|writes|continued|"
    r"explained|noted|stressed|argued|insisted|warned|replied|declared|concluded|claimed|recalled|tweeted|"
    r"asked|stated|acknowledged|cautioned"
)
_TIME = rf"(?:\s+(?:on\s+)?(?:{WEEKDAY_RE}|today|yesterday|earlier|later))?"
_AFTER_NAME_VERB = re.compile(rf"^\s*,?\s*(?P<speaker>[^\"!?;:,]{{1,90}}?)\s+(?:{_VERBS})\b")
_JOB = "|".join(sorted(ROLE_NOUNS | ROLE_MODIFIERS, key=len, reverse=True))
# "said United Nations spokeswoman Stephanie Bunker": the job words between the names belong to the speaker phrase
_AFTER_VERB_NAME = re.compile(
    rf"^\s*,?\s*(?:{_VERBS})\s+(?P<speaker>(?:(?:[A-Z][\w.'-]*|(?:{_JOB})(?![\w-]))\s+){{0,6}}[A-Z][\w'-]*|"
    rf"(?:an?|the)\s+(?:[\w-]+\s+){{0,4}}?(?:official|spokesman|spokeswoman|spokesperson|diplomat|source|aide))\b"
)
_AFTER_ACCORDING = re.compile(r"^\s*,?\s*according\s+to\s+(?P<speaker>[^\".!?;:,]{1,80})")
_BEFORE = re.compile(
    rf"(?P<lead>[^\"]{{0,200}}?)(?P<speaker>\S+(?:\s+\S+){{0,8}})\s+(?:{_VERBS}){_TIME}"
    rf"(?:\s+(?:that|in\s+a\s+statement|in\s+a\s+post))?\s*[,:]?\s*$"
)
_ANONYMOUS = re.compile(
    r"^(?:a|an)\s+(?:[a-z][\w-]*\s+){0,4}(?:official|spokesman|spokeswoman|spokesperson|diplomat|source|aide|"
    r"officer|adviser)$",
    re.IGNORECASE,
)
_PRONOUNS = {"he": "m", "she": "f"}
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"A-Z])")
_ANTECEDENT_WINDOW = 2000  # characters before a "he said" quote searched for the person it refers to


@dataclass
class _Candidate:
    speaker: str
    kind: str  # person | anonymous | organization
    text: str
    article: str
    full: bool  # starts like a sentence (not a fragment)
    prominence: int = 0
    sources: list[str] = field(default_factory=list)


def quote_spans(paragraph: str) -> list[tuple[int, int]]:
    """(open, close) indexes of double quotation marks that pair up; a stray mark is ignored."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for index, char in enumerate(paragraph):
        if char != '"':
            continue
        prev = paragraph[index - 1] if index else " "
        nxt = paragraph[index + 1] if index + 1 < len(paragraph) else " "
        if opened is None:
            if prev.isspace() or prev in "([{\u2014-:,":
                opened = index
        elif nxt.isspace() or nxt in ".,;:!?)]}\u2014-" or index + 1 == len(paragraph):
            spans.append((opened, index))
            opened = None
        elif prev.isspace() or prev in "([{\u2014:":  # an opening mark while one is open: restart there
            opened = index
    return spans


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip()
    return text.rstrip(",;: ").strip()


class QuoteFinder:
    """Finds attributed quotes in one topic's articles, resolving speakers through the PeopleIndex."""

    def __init__(self, people: PeopleIndex) -> None:
        self.people = people

    def candidates(self, articles: Sequence[Article]) -> list[_Candidate]:
        found: list[_Candidate] = []
        for article in articles:
            for paragraph in body_lines(article.body):
                if '"' in paragraph:
                    found.extend(self._paragraph(paragraph, article.id))
        return found

    def _paragraph(self, paragraph: str, article_id: str) -> list[_Candidate]:
        spans = quote_spans(paragraph)
        out: list[_Candidate] = []
        previous: _Candidate | None = None
        previous_close = -1
        for number, (start, end) in enumerate(spans):
            inner = _clean(paragraph[start + 1 : end])
            next_open = spans[number + 1][0] if number + 1 < len(spans) else len(paragraph)
            after = paragraph[end + 1 : next_open]
            before = paragraph[previous_close + 1 : start]
            speaker = self._speaker_after(after) or self._speaker_before(before)
            if speaker is not None and speaker[1] == "pronoun":
                speaker = self._antecedent(paragraph, spans, start, speaker[0])
            if speaker is None:
                if previous is not None and _continues(before, after, inner):
                    joint = "" if previous.text.endswith((".", "?", "!")) else "."
                    previous.text = f"{previous.text}{joint} {inner}"
                    previous_close = end
                    continue
                previous = None
                previous_close = end
                continue
            name, kind, prominence = speaker
            candidate = _Candidate(name, kind, inner, article_id, inner[:1].isupper(), prominence)
            out.append(candidate)
            previous, previous_close = candidate, end
        return [c for c in out if _substantial(c)]

    def _speaker_after(self, after: str) -> tuple[str, str, int] | None:
        for pattern in (_AFTER_VERB_NAME, _AFTER_ACCORDING, _AFTER_NAME_VERB):
            match = pattern.match(after)
            if match:
                return self._speaker(match.group("speaker"))
        return None

    def _speaker_before(self, before: str) -> tuple[str, str, int] | None:
        # Only the sentence that introduces the quotation: text after the last sentence end.
        pieces = _SENTENCE_END.split(before[-_ANTECEDENT_WINDOW:])  # bounded: linear on long paragraphs
        tail = pieces[-1] if pieces else before
        match = _BEFORE.match(tail)
        if not match:
            return None
        clause = match.group("lead") + " " + match.group("speaker")
        named = self._apposition_speaker(clause)
        if named is not None:
            return named
        phrase = _trailing_name_phrase(clause)
        return self._speaker(phrase) if phrase else None

    def _apposition_speaker(self, clause: str) -> tuple[str, str, int] | None:
        """The person who opens ``clause`` and is then described ("Sean McCormack, a spokesman for the State
        Department,", "John Bellinger of the State Department", "Marc Garlasco, Human Rights Watch military
        analyst,"): the description's last words name an organisation or another person, but the person speaks."""
        clause = clause.strip()
        found = self.people.find(clause)
        if not found:
            return None
        start, end, person = found[0]
        lead, rest = clause[:start], clause[end:]
        if not rest.strip(" ,") or not _subject_lead(lead):
            return None
        description = _APPOSITION.match(rest)
        if description and _describes(description.group("desc")):
            return person.name, "person", person.mentions
        if _AFFILIATION.match(rest):
            return person.name, "person", person.mentions
        return None

    def _speaker(self, phrase: str) -> tuple[str, str, int] | None:
        """(display name, kind, prominence) or ("he", "pronoun", 0); None when unknown or unsafe."""
        phrase = phrase.strip()
        lowered = phrase.lower()
        if lowered in _PRONOUNS:
            return lowered, "pronoun", 0
        if _ANONYMOUS.match(phrase):
            return phrase[0].upper() + phrase[1:], "anonymous", 0
        phrase = _trailing_name_phrase(phrase)
        if not phrase:
            return None
        if " and " in f" {phrase} ":
            return None
        person = self.people.resolve(phrase)
        if person is not None:
            return person.name, "person", person.mentions
        spans = find_spans(phrase)
        if len(spans) == 1:
            tagged = tag_span(spans[0], frozenset())
            if tagged is not None and tagged.kind == "organization":
                return " ".join(tagged.name), "organization", 0
        return None

    def _antecedent(
        self, paragraph: str, spans: list[tuple[int, int]], quote_start: int, pronoun: str
    ) -> tuple[str, str, int] | None:
        """The nearest person named earlier in the paragraph, outside quotation marks, if unambiguous."""
        # Look back a bounded window, not the whole paragraph: linear on long paragraphs with many quotes.
        origin = max(0, quote_start - _ANTECEDENT_WINDOW)
        masked = list(paragraph[origin:quote_start])
        for start, end in spans[max(0, bisect.bisect_left(spans, (origin,)) - 1) :]:
            if start >= quote_start:
                break
            for index in range(max(start, origin), min(end + 1, quote_start)):
                masked[index - origin] = " "
        prior = "".join(masked)
        mentions = self.people.find(prior)
        if not mentions:
            return None
        last_start, _, person = mentions[-1]
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(prior, 0, last_start)), default=0)
        sentence_end_match = _SENTENCE_END.search(prior, last_start)
        sentence_end = sentence_end_match.start() if sentence_end_match else len(prior)
        others = {p.name for s, _, p in mentions if sentence_start <= s < sentence_end}
        if len(others) > 1:
            return None
        if person.gender and person.gender != _PRONOUNS[pronoun]:
            return None
        return person.name, "person", person.mentions


_APPOSITION = re.compile(r"^(?:'s)?\s*,\s*(?P<desc>[^,;:\"]{3,150}?)\s*,?$")
_AFFILIATION = re.compile(r"^\s+(?:of|from|at|for|with)\s+(?:the\s+)?[A-Z][^,;:\"]{0,100}?,?$")
_NOT_A_DESCRIPTION = re.compile(
    r"\b(?:is|was|were|are|has|had|have|will|would|who|which|that|and|but|after|before|when|while)\b"
)


def _subject_lead(lead: str) -> bool:
    """Nothing before the name but a fronted phrase ("In a statement,") or capitalised and job words: the name is
    the clause's subject, not an object ("After meeting Blinken, the Chinese minister said")."""
    lead = lead.strip()
    if not lead or lead.endswith(","):
        return True
    return all(w[:1].isupper() or w in ROLE_NOUNS or w in ROLE_MODIFIERS or w in ("a", "an", "the")
               for w in lead.split())


def _describes(description: str) -> bool:
    """A job description ("a spokesman for the State Department"), not a clause of its own."""
    if _NOT_A_DESCRIPTION.search(description):
        return False
    return any(part in ROLE_NOUNS or part.rstrip("s") in ROLE_NOUNS
               for word in description.lower().split() for part in (word, *word.split("-")))


def _trailing_name_phrase(text: str) -> str:
    """The name words at the end of ``text``: 'White House press secretary Jen Psaki' -> same; drops lead-ins."""
    tokens = text.split()
    kept: list[str] = []
    for token in reversed(tokens):
        bare = token.strip(",")
        if token.endswith(",") and kept:
            break
        if bare[:1].isupper() or bare == "of" or bare in ROLE_NOUNS or bare in ROLE_MODIFIERS:
            kept.append(bare)
            continue
        break
    kept.reverse()
    while kept and (kept[0] == "of" or kept[0] in ROLE_NOUNS or kept[0] in ROLE_MODIFIERS):
        kept = kept[1:]
    if kept and kept[0] in ("The", "A", "An"):
        kept = kept[1:]
    if kept and all(k in HONORIFICS or k in PERSON_TITLES for k in kept):
        return ""
    return " ".join(kept)


def _continues(before: str, after: str, inner: str) -> bool:
    """A quotation right after an attributed one, in the next sentence, with no attribution of its own."""
    return (
        bool(inner[:1].isupper())
        and bool(re.fullmatch(r"[^\"]{0,90}[.!?]\s*", before))
        and not after.strip(" .,")
    )


def _substantial(candidate: _Candidate) -> bool:
    count = len(candidate.text.split())
    if not any(c.islower() for c in candidate.text):
        return False
    need = MIN_WORDS if candidate.full else MIN_FRAGMENT_WORDS
    return need <= count <= MAX_WORDS


def _similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_QUOTE


def merge_quotes(candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """The same quotation from several outlets (wording may differ a little) becomes one, cited to all."""
    groups: list[tuple[_Candidate, set[str]]] = []
    for candidate in candidates:
        tokens = set(words(candidate.text))
        for group, group_tokens in groups:
            same_speaker = group.speaker == candidate.speaker or "anonymous" in (group.kind, candidate.kind)
            if same_speaker and _similar(tokens, group_tokens):
                if candidate.article not in group.sources:
                    group.sources.append(candidate.article)
                if (candidate.full, len(candidate.text)) > (group.full, len(group.text)):
                    group.text, group.full = candidate.text, candidate.full
                    group_tokens |= tokens
                if group.kind == "anonymous" and candidate.kind != "anonymous":
                    group.speaker, group.kind, group.prominence = (
                        candidate.speaker, candidate.kind, candidate.prominence)
                break
        else:
            copy = _Candidate(candidate.speaker, candidate.kind, candidate.text, candidate.article,
                              candidate.full, candidate.prominence, [candidate.article])
            groups.append((copy, tokens))
    return [group for group, _ in groups]


def _score(candidate: _Candidate) -> float:
    """Corroboration first, then substance (length, a full sentence) and who is speaking."""
    kind_weight = {"person": 1.0, "organization": 0.5, "anonymous": 0.3}[candidate.kind]
    return (
        2.0 * (len(candidate.sources) - 1)
        + min(len(candidate.text.split()), 40) / 15
        + (0.7 if candidate.full else 0.0)
        + kind_weight
        + 0.4 * math.log1p(candidate.prominence)
    )


def extract_quotes(
    articles: Sequence[Article], people: PeopleIndex, limit: int = MAX_QUOTES
) -> tuple[Quote, ...]:
    """The most newsworthy attributed quotes of a topic, each cited to every article that carries it."""
    merged = merge_quotes(QuoteFinder(people).candidates(articles))
    order = {a.id: i for i, a in enumerate(articles)}
    ranked = sorted(merged, key=_score, reverse=True)
    # Several voices first (each speaker's best quote), then second quotes if there is room.
    chosen: list[_Candidate] = []
    for rank in range(MAX_PER_SPEAKER):
        seen: dict[str, int] = {}
        for candidate in ranked:
            seen[candidate.speaker] = seen.get(candidate.speaker, 0) + 1
            if seen[candidate.speaker] == rank + 1 and len(chosen) < limit:
                chosen.append(candidate)
    chosen.sort(key=_score, reverse=True)
    return tuple(
        Quote(c.speaker, c.text, tuple(sorted(c.sources, key=lambda s: order.get(s, 0)))) for c in chosen
    )
