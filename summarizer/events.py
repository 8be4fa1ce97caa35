"""Event identity: which point candidates tell one event in different words, so a brief tells it once.

Two outlets rarely word one event alike ("Jake Sullivan held a lengthy meeting with his Chinese counterpart in
Rome" / "During a seven-hour meeting, Mr Sullivan warned Mr Wang"), so the lexical near-duplicate test and
the strand clustering, which compare words, miss them. What the two share is the event itself:

* a **trigger**: the kind of event, from a small lexicon of news event words ("meeting", "talks", "call" and
  "met" are one kind; "bombing", "blast", "explosion" another; see ``TRIGGERS``);
* an **anchor**: a person or place that pins the event down, named within ``NEAR`` words of the trigger.
  People are resolved across the topic (``summarizer.entities.PeopleIndex``: "Mr Sullivan" = "Jake
  Sullivan", "Mr Wang" = "Wang Yi"); a name the index does not know is left out, and so are organisations,
  whose names are as often things ("an agreement to replace the Kyoto Protocol") as parties. Only *specific*
  names anchor: one named in a large share of the candidates (the topic's own leaders and countries: "Xi",
  "China") links everything, so it anchors nothing; and a speaker ("Psaki said") is the source of a
  sentence, not a party to its event;
* **compatible dates**: the year each names (or, without one, the year its article was published) must agree,
  and so must the month and day when both give them. Two events of different years are never one.

Two candidates with a trigger in common, compatible dates and no two different specific places ("in Rome" /
"in Vienna") are one event when they share a specific party, or a specific place where it happened and any
party. A place anchors only as a location ("talks in Rome", not "ties to Moscow"), and a sentence that
names no party never joins by place alone: "before the meeting in Rome, China was inclined to ..." tells
another fact that merely refers to the event. Candidates are grouped best first; one joins an event only
when it matches its best member and at least half of its members, so a chain of loose resemblances never
welds two events together (a second pass places a telling that came before the members it matches).

Cost: one entity tagging pass per candidate and O(G^2) cheap set comparisons for G candidates (G is bounded
by the caller, ``MAX_STRAND_GROUPS`` in a brief).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from summarizer.analyzer import TIME_UNITS, is_content, stem, wordlist, wordset
from summarizer.dates import MONTH_NAMES
from summarizer.entities import PeopleIndex, find_spans, tag_span
from summarizer.gazetteer import WEEKDAYS

SPECIFIC_SHARE = 0.1  # a name in more than this share of the candidates (and in more than 3) anchors nothing

# Kinds of news events and the words that report them (stemmed at import). Deliberately narrow: reporting
# verbs ("said", "told") and generic words ("help", "support") are no event of their own.
_TRIGGER_WORDS = {
    "meet": "meet meeting met talks talk call called spoke speak summit conversation discussed discussion "
            "discussions hosted visit visited",
    "attack": "attack attacked bomb bombing bombings blast blasts explosion explosions exploded shooting "
              "gunmen",
    "arrest": "arrest arrested arrests detained detention custody captured capture seized seizure abducted abduction "
              "kidnapped kidnapping",
    "request": "asked request requested requests",
    "sanction": "sanction sanctions sanctioned",
    "invade": "invade invaded invasion",
    "vote": "election elections elected vote voted votes ballot referendum",
    "sign": "signed signing agreement treaty",  # not "accord": its stem is that of "according"
    "quake": "earthquake quake tsunami tremor aftershock",
    "crash": "crash crashed collision derailed",
    "resign": "resign resigned resignation",
    "trial": "trial convicted sentenced verdict acquitted",
    "storm": "storm hurricane cyclone typhoon flood flooding floods",
    "fire": "blaze wildfire wildfires",
}
TRIGGERS = {stem(w): kind for kind, text in _TRIGGER_WORDS.items() for w in wordlist(text)}
TRIGGER_KINDS = frozenset(_TRIGGER_WORDS)

# A name right before an attribution ("Jen Psaki said", "Psaki, the press secretary, said") or right after one
# ("said Jen Psaki", "according to Psaki") is the sentence's source, not a party to its event.
_SPEAKER_AFTER = re.compile(r"^(?:,[^,.;]{1,80},)?\s+(?:said|says|told|tells|added|adds|wrote|tweeted|"
                            r"stated|noted|argued|explained|declared|acknowledged)\b")
_SPEAKER_BEFORE = re.compile(r"\b(?:said|says|told|added|wrote|according to)\s+(?:[\w.'-]+\s+){0,6}$")


@dataclass(frozen=True)
class EventKey:
    """What identifies the event a sentence tells: its kinds, the parties and places named next to each kind's
    word, and its date."""

    triggers: frozenset[str]
    near: dict[str, frozenset[str]]  # kind -> names within ``NEAR`` words of one of its trigger words
    actors: frozenset[str]  # canonical people (speakers left out)
    places: frozenset[str]  # where it happens: places written after "in", "at", "near", ... ("talks in Rome")
    years: frozenset[int]  # the years it names ("in 2019"), else the caller's year; empty when unknown
    month: int | None = None
    day: int | None = None
    told: frozenset[str] = frozenset()  # the kinds it reports as its own news, with a verb (see _reported)
    around: frozenset[str] = frozenset()  # content stems (no date or number) within ``NEAR`` words of a told kind


NEAR = 6  # words between a trigger and a name for the name to be a party to (or the place of) that event
_WORD = re.compile(r"[\w'\u2019.-]+")
# Trigger words in another sense: "China's call for peace", "called on Russia", "called it", "asked about", and
# "the so called Bali Roadmap" (a name's hedge: no call took place).
_NOT_EVENTS = re.compile(r"\b(?:call(?:s|ed)?\s+(?:for|on|it|them|him|her|this|that)|so\s+called|"
                         r"asked\s+(?:about|whether|if))\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?<!\d[,.])((?:19|20)\d{2})(?!\d|[,.]\d)")  # "in 2019", "2023's"; not "2,019" or "20191"
_AT_PLACE = re.compile(r"\b(?:in|at|near|outside|inside)\s+(?:the\s+)?$", re.IGNORECASE)


def event_key(text: str, people: PeopleIndex, vocab: frozenset[str], year: int | None,
              month: int | None = None, day: int | None = None) -> EventKey:
    """The event key of one sentence. ``year``/``month``/``day``: the date it is about, as far as known (the
    caller resolves relative dates and falls back to the article's year); years the sentence writes out
    ("in 2019") take precedence over ``year``.

    A name is a party to an event only when it stands within ``NEAR`` words of the event's word ("Jake
    Sullivan held a lengthy meeting"); one further away belongs to another part of the sentence ("the black
    boxes, found by the navy, of the plane that crashed in the Atlantic" is about the boxes, and "crashed"
    is only its backdrop)."""
    tokens = list(_WORD.finditer(text))
    starts = [m.start() for m in tokens]
    spans = find_spans(text)
    # not an event word: another sense ("call for"), or part of a name ("Pacific Tsunami Warning Center")
    blocked = _other_senses(text) + [(sp.start, sp.end) for sp in spans]
    hits: dict[str, list[int]] = {}
    told: set[str] = set()
    around: set[str] = set()
    for n, m, kind in _event_words(text, blocked):
        hits.setdefault(kind, []).append(n)
        if _reported(text, m):
            told.add(kind)
            around.update(_context(tokens, n))
    actors: set[str] = set()
    places: set[str] = set()
    near: dict[str, set[str]] = {kind: set() for kind in hits}
    for span in spans:
        tagged = tag_span(span, vocab)
        if tagged is None:
            continue
        if tagged.kind == "place":
            if not _AT_PLACE.search(text[max(0, span.start - 12):span.start]):
                continue  # not a location: "ties to Moscow"
            name = " ".join(tagged.name).lower()
            places.add(name)
        elif _SPEAKER_AFTER.match(text[span.end:span.end + 120]) or _SPEAKER_BEFORE.search(text[:span.start]):
            continue
        elif tagged.kind == "person":
            person = people.resolve_tokens(tagged.name, allow_first=True)
            if person is None:
                continue  # not a person the topic's index knows (with evidence), or a surname two people share
            name = person.name
            actors.add(name)
        else:
            continue  # an organisation's name is as often a thing ("the Kyoto Protocol") as a party to the event
        first = bisect_right(starts, span.start) - 1
        last = bisect_left(starts, span.end) - 1
        for kind, positions in hits.items():
            if any(first - NEAR - 1 <= p <= last + NEAR + 1 for p in positions):
                near[kind].add(name)
    named = frozenset(int(y) for y in _YEAR.findall(text))
    years = named or (frozenset({year}) if year is not None else frozenset())
    return EventKey(frozenset(hits), {k: frozenset(v) for k, v in near.items()}, frozenset(actors),
                    frozenset(places), years, month, day, frozenset(told), frozenset(around))


# Words that date an event rather than say who or where: never what two tellings must share.
_DATE_WORDS = (frozenset(m.lower() for m in MONTH_NAMES) | frozenset(WEEKDAYS) | frozenset(TIME_UNITS)
               | wordset("today yesterday tonight morning afternoon evening night earlier later last"))


def _context(tokens: Sequence[re.Match[str]], n: int) -> set[str]:
    """Stems of the content words within ``NEAR`` words of word ``n`` of ``tokens`` (the sentence's ``_WORD``
    matches, read once per sentence), not event words, dates or numbers."""
    out = set()
    for m in tokens[max(0, n - NEAR):n + NEAR + 1]:
        word = m.group().strip(".'\u2019-").lower()
        if word.isalpha() and is_content(word) and word not in _DATE_WORDS and stem(word) not in TRIGGERS:
            out.add(stem(word))
    return out


# How a sentence reports an event as its own news: with a verb ("the crew were seized", "police arrested two men",
# "were taken into custody"), not in a clause that says who a party is ("the sailors who were detained", "crew
# members detained by the navy", ", detained in Basra by ...") or sets the scene ("after they were arrested").
# A noun names the event as the subject of another fact ("the quake left 200 dead", "the arrest drew protests").
_RELATIVE = re.compile(r"\b(?:who|whom|which|that)\s+(?:(?:had|has|have|was|were|is|are|been|being|be)\s+){0,2}$",
                       re.IGNORECASE)
_SCENE = re.compile(r"\b(?:after|before|since|following|until)\s+(?:[\w'-]+\s+){0,4}$", re.IGNORECASE)
_AUXILIARY = re.compile(r"\b(?:had|has|have|was|were|is|are|been|being|be|got|get|gets)\s+$", re.IGNORECASE)
_AGENT = re.compile(r"^\s+(?:[\w'-]+\s+){0,2}by\b", re.IGNORECASE)  # "detained by", "detained in Basra by"
_INTO = re.compile(r"\b(?:taken|took|take|takes|placed|held)\s+(?:in|into)\s+$", re.IGNORECASE)  # "into custody"
_IRREGULAR_VERBS = frozenset({"met", "spoke"})


def _reported(text: str, word: re.Match[str]) -> bool:
    """The event word at ``word`` reports the sentence's own event, with a verb (see above)."""
    before = text[max(0, word.start() - 60):word.start()]
    clause = re.split(r"[,;:(]", before)[-1]
    phrase = _INTO.search(clause)
    head = clause[:phrase.start()] if phrase else clause
    if _RELATIVE.search(head) or _SCENE.search(head):
        return False
    if phrase:
        return True
    low = word.group().lower()
    if not (low.endswith("ed") or low in _IRREGULAR_VERBS) or before.rstrip().endswith(","):
        return False  # a noun, or a participle clause about a party (", detained in Basra by ...")
    # "were detained by": passive; "detained by" after a noun: a party's description ("the crew detained by ...")
    return bool(_AUXILIARY.search(clause)) or not _AGENT.match(text[word.end():word.end() + 40])


def specific_names(keys: Sequence[EventKey], share: float = SPECIFIC_SHARE) -> frozenset[str]:
    """Actors and places named by few of the candidates: the ones that can tell one event from another."""
    df: Counter[str] = Counter()
    for key in keys:
        df.update(key.actors | key.places)
    ceiling = max(3.0, share * len(keys))  # at least: two tellings of one event and one other mention
    return frozenset(name for name, n in df.items() if n <= ceiling)


def dates_agree(a: EventKey, b: EventKey) -> bool:
    """Compatible dates: no two different years, months or days (a missing part agrees with anything)."""
    if a.years and b.years and not a.years & b.years:
        return False
    if a.month is not None and b.month is not None:
        if a.month != b.month:
            return False
        if a.day is not None and b.day is not None and a.day != b.day:
            return False
    return True


def same_event(a: EventKey, b: EventKey, specific: frozenset[str]) -> bool:
    """One event told twice: agreeing dates, no two different places, and for a kind of event both tell, a
    specific party next to its word in both, or a specific place next to it in both and a party in common
    (any party: "Biden's adviser met Yang in Rome" / "Biden's adviser held talks in Rome")."""
    if not (a.triggers & b.triggers) or not dates_agree(a, b):
        return False
    places_a, places_b = a.places & specific, b.places & specific
    if places_a and places_b and not places_a & places_b:
        return False  # a meeting in Rome and one in Vienna
    for kind in a.triggers & b.triggers:
        shared = a.near[kind] & b.near[kind] & specific
        if shared & a.actors or (shared & places_a and a.actors & b.actors):
            return True
    # The same day written out in both, the same kind reported as each one's own event with a word around it in
    # common (a party or place, named or not), and no specific party that one names and the other does not:
    # "the crew were seized by coast guards on May 2" / "On May 2, the crew were surrounded by coast guard
    # boats and taken into custody". (Dates agree, so both days are one.)
    if a.day is not None and b.day is not None and a.around & b.around:
        return any(a.near[kind] & specific == b.near[kind] & specific for kind in a.told & b.told)
    return False


def event_sets(keys: Sequence[EventKey]) -> list[list[int]]:
    """Positions of ``keys`` (best candidate first) grouped into events, each event best first.

    Greedy in the given order: a candidate joins the first event whose first (best) member and at least half
    of all members it matches (``same_event``), else starts its own; so a chain of loose resemblances never
    welds two events together."""
    specific = specific_names(keys)

    def fits(i: int, event: list[int]) -> bool:
        return same_event(keys[i], keys[event[0]], specific) and \
            2 * sum(same_event(keys[i], keys[j], specific) for j in event) >= len(event)

    events: list[list[int]] = []
    for i, key in enumerate(keys):
        home = next((ev for ev in events if fits(i, ev)), None) if key.triggers else None
        if home is not None:
            home.append(i)
        else:
            events.append([i])
    # Second pass: a candidate left alone only because it came before the tellings that tie it to an event
    # (it matched one member of three, then one of five would have done) joins the event now.
    for event in [ev for ev in events if len(ev) == 1 and keys[ev[0]].triggers]:
        home = next((ev for ev in events if len(ev) > 1 and fits(event[0], ev)), None)
        if home is not None:
            home.append(event[0])
            home.sort()
            events.remove(event)
    return events


# "the request", "the meeting": an event named by a definite noun, as something the reader already knows; not
# when a modifier says which ("the trial at the Old Bailey", "the request for drones"): that names it anew.
_DEFINITE = re.compile(r"\bthe\s+([a-z]+)\b(?!\s+(?:of|at|in|on|for|against|by|into|over|with|to|between|from)\b)",
                       re.IGNORECASE)


def only_refers_to(text: str, kinds: frozenset[str]) -> bool:
    """Every event word of ``text`` names, with "the", an event of one of ``kinds`` ("declined to comment on the
    nature of the request"; a brief passes the kinds its lead does not tell): the sentence adds to an event
    another sentence reports, and reports none of its own."""
    definite = {m.start(1) for m in _DEFINITE.finditer(text)}
    found = False
    for _, m, kind in _event_words(text, _other_senses(text)):
        if m.start() not in definite or kind not in kinds:
            return False
        found = True
    return found


def event_kinds(text: str) -> frozenset[str]:
    """The kinds of event ``text`` reports or names (see ``TRIGGERS``; not "called for", "asked about")."""
    return frozenset(kind for _, _, kind in _event_words(text, _other_senses(text)))


def _other_senses(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` where an event word has another sense ("call for", "asked about")."""
    return [m.span() for m in _NOT_EVENTS.finditer(text)]


def _event_words(text: str, blocked: Sequence[tuple[int, int]]) -> Iterator[tuple[int, re.Match[str], str]]:
    """(word index, word, event kind) of each event word of ``text`` (``TRIGGERS``) outside the ``blocked``
    spans: the one reading of a sentence's event words that ``event_key``, ``only_refers_to`` and
    ``event_kinds`` share."""
    for n, m in enumerate(_WORD.finditer(text)):
        kind = TRIGGERS.get(stem(m.group().strip(".'\u2019-")))
        if kind and not any(lo <= m.start() < hi for lo, hi in blocked):
            yield n, m, kind
