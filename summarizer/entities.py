"""Who's who: people, organisations and places named in a topic's articles, found by rules, not a model.

Capitalised phrases are tagged with small gazetteers (``summarizer.gazetteer``): places by name, organisations
by a head word ("Ministry", "Council") and people by evidence that only people get: a title or honorific
("Secretary of State Antony Blinken", "Mr Xi"), a job before or after the name ("national security adviser
Jake Sullivan", "Qin Gang, China's ambassador to the United States,"), an attribution verb ("Cha said") or an age
written after a full name ("Emmannuel Buso, aged 21,").
A capitalised pair with no such evidence anywhere in the topic ("Winter Olympics") is left out: a missing
entity costs less than a wrong one. Surnames ("Blinken", "Mr. Blinken") count toward the full name the
articles give elsewhere; a surname that matches no full name, or two, stays unresolved (never guessed).

Roles are read as a newsroom reader would check them: a role holds at the time the articles tell ("former",
"ex-", "then-" kept), hyphenated and multiword jobs stay whole ("secretary-general", "Executive Secretary of
the UNFCCC"), abbreviated titles are written out ("Maj. Gen." -> "Major General"), and a bare "chief" says
nothing. Names headed by an organisation word ("Scotland Yard", "Human Rights Watch") are never people.

The ``PeopleIndex`` built here is shared with quote attribution and disagreement detection.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from summarizer.articles import Article
from summarizer.gazetteer import (
    ALIASES,
    DOCUMENT_WORDS,
    FOREIGN_ARTICLES,
    HONORIFICS,
    HONORIFICS_FEMALE,
    HONORIFICS_MALE,
    KNOWN_ORGS,
    MONTHS,
    NATIONALITIES,
    NOT_NAMES,
    ORG_HEADS,
    ORG_WORDS,
    PERSON_TITLES,
    PLACE_HEADS,
    PLACES,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    TIME_QUALIFIERS,
    TITLE_ABBREVIATIONS,
    TITLE_MODIFIERS,
    VAGUE_ROLES,
    WEEKDAYS,
)
from summarizer.models import Entity
from summarizer.text import ABBREVIATIONS, normalize

MAX_ENTITIES = 12
MAX_ROLE_CHARS = 120

# Any script's letters: "Córdova" is one word, not "C" and a break.
_TOKEN = re.compile(r"[^\W\d_][\w.'\-]*")
_PREPOSITIONS = frozenset({"of", "for", "at", "in", "on", "to", "from", "with", "near", "by"})
# particles that may open a surname in capitals ("De Boer said"); "Al" is also a first name (Al Gore)
_SURNAME_PARTICLES = frozenset({"de", "del", "da", "van", "von", "der", "du", "le", "la"})
_CONNECTORS = frozenset({"of", "for", "and", "the", "a", "on"})
_PARTICLES = frozenset({"de", "del", "da", "van", "von", "der", "bin", "al", "la", "le", "du"})
_ATTRIBUTION_AFTER = re.compile(
    r"^\s*(?:said|says|told|tells|added|adds|wrote|writes|warned|stated|noted|argued|continued|insisted|"
    r"explained|tweeted|replied|declared|stressed|acknowledged)\b"
)
# "said X" names a speaker; "told X" names the listener, often an outlet ("told Agence France-Presse").
_ATTRIBUTION_BEFORE = re.compile(r"\b(?:said|says|added|wrote|according to)\s+$")
# An age written after a name, as news gives it only for people: "Graner, 36, was", "Emmannuel Buso, aged 21,",
# "Mehdi Khalaji (47)".
_AGE_AFTER = re.compile(r"^(?:,\s+(?:aged\s+)?\d{1,3}\s*,|\s+\((?:aged\s+)?\d{1,3}\))")
# "John Bellinger of the State Department told BBC": a name, the body it speaks for, a reporting verb.
_AFFILIATED_ATTRIBUTION = re.compile(
    r"^\s+(?:of|from|at)\s+(?:the\s+)?(?:[A-Z][\w.'&-]*\s+){1,6}(?:said|says|told|tells|added|wrote|stated)\b"
)
_ROLE_WORD = "|".join(sorted(ROLE_NOUNS, key=len, reverse=True))
_MODIFIER_WORD = "|".join(sorted(ROLE_MODIFIERS, key=len, reverse=True))
# A job word whole, hyphenated compounds included ("secretary-general", "ex-president", "editor-in-chief"), never
# the end of a longer word ("ranking" is no "king").
_ROLE_TOKEN = rf"(?<![\w'-])(?:(?:[A-Za-z]+-)+(?i:{_ROLE_WORD})|(?:{_ROLE_WORD}))(?:-[A-Za-z]+)*(?![\w-])"
# A job written just before a name: "national security adviser Jake Sullivan", "Foreign Ministry spokesman
# Hua Chunying", "Biden's national security adviser, Jake Sullivan,".
_ROLE_BEFORE = re.compile(
    rf"(?<![\w'-])((?:(?:[A-Z][\w.'-]*|(?:{_MODIFIER_WORD})(?![\w-]))\s+){{0,4}}{_ROLE_TOKEN})(?:,)?\s+$"
)
# A job written just after a name, as an apposition: "Qin Gang, China's ambassador to the United States,".
# (a period inside a word, "the U.N.'s climate chief", does not end it; an aside in brackets or a quotation does:
# "John Sifton, researcher at Human Rights Watch said "...", cut at the verb by _role_after)
_ROLE_AFTER = re.compile(
    rf"^,\s+(?:(?:a|an|the)\s+)?((?:[^,.;:\"()]|\.(?=\S)){{3,{MAX_ROLE_CHARS}}}?)\s*(?:,|\.(?!\S)|;|\(|\"|$)"
)
_ROLE_NOUN_IN = re.compile(rf"\b(?:{_ROLE_WORD})s?\b", re.IGNORECASE)
# A time qualifier just before a title ("former U.S. Vice President Al Gore", "ex-President ...").
_QUALIFIER_BEFORE = re.compile(rf"(?<![\w'-])({'|'.join(sorted(TIME_QUALIFIERS))})(?:\s+|-)$", re.IGNORECASE)
_ATTRIBUTION_IN = re.compile(r"\s+(?:said|says|told|tells|added|adds|stated|wrote|writes)\b")
_VERBISH = re.compile(r"\b(?:said|says|told|is|was|were|are|has|had|have|will|would|who|which|that)\b")


@dataclass
class _Span:
    """A run of capitalised words in one paragraph (with the words that continue an organisation name)."""

    tokens: list[str]
    start: int
    end: int
    sentence_start: bool


@dataclass
class _NameMention:
    tokens: tuple[str, ...]
    article: str
    evidence: bool
    gender: str | None
    roles: list[str] = field(default_factory=list)


@dataclass
class Person:
    name: str
    mentions: int = 0
    role: str | None = None
    gender: str | None = None
    articles: set[str] = field(default_factory=set)


def _strip_token(raw: str) -> tuple[str, bool]:
    """Drop a possessive ending; report whether the phrase must end here."""
    if raw.endswith(("'s", "'S")):
        return raw[:-2], True
    if raw.endswith("'"):
        return raw[:-1], True
    return raw, False


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?", token))


def _keeps_period(token: str) -> bool:
    """A trailing period that belongs to the word (U.S., J., Mr.) rather than ending the sentence."""
    bare = token[:-1]
    return "." in bare or len(bare) == 1 or token in HONORIFICS or token in PERSON_TITLES


def find_spans(text: str) -> tuple[_Span, ...]:
    """Capitalised phrases of one paragraph, split at punctuation, possessives and sentence ends.

    Cached: the same paragraph is scanned for the who's who, quote speakers and disagreements, and wire
    copy repeats paragraphs across outlets. Callers must not modify the spans.
    """
    return _find_spans(text)


@lru_cache(maxsize=32768)
def _find_spans(text: str) -> tuple[_Span, ...]:
    spans: list[_Span] = []
    current: _Span | None = None
    pending: list[str] = []  # connectors waiting to see whether a capitalised word follows
    previous_end = 0
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        gap = text[previous_end : match.start()]
        previous_end = match.end()
        joined = current is not None and gap == " "
        if raw.endswith(".") and not _keeps_period(raw):
            raw, closes = raw.rstrip("."), True
        else:
            closes = False
        token, possessive = _strip_token(raw)
        closes = closes or possessive
        if not token:
            continue
        if token[0].isupper():
            if current is not None and joined and (not pending or _continues(current, pending)):
                current.tokens.extend(pending)
                current.tokens.append(token)
                current.end = match.start() + len(token)
            else:
                if current is not None:
                    spans.append(current)
                before = text[max(0, match.start() - 64) : match.start()].rstrip(" \"'(")  # a window: linear
                current = _Span([token], match.start(), match.start() + len(token),
                                not before or before[-1] in ".!?:;-\u2014")
            pending = []
            if closes:
                spans.append(current)
                current = None
        elif current is not None and joined and token in _CONNECTORS | _PARTICLES and len(pending) < 2:
            pending.append(token)
        else:
            if current is not None:
                spans.append(current)
            current, pending = None, []
    if current is not None:
        spans.append(current)
    return tuple(s for piece in spans for s in _split_hyphens(piece))


def _continues(span: _Span, connectors: list[str]) -> bool:
    if all(c in _PARTICLES for c in connectors):
        return True
    return any(part in ORG_HEADS for t in span.tokens for part in t.split("-"))  # "Then-Secretary of State"


def _split_hyphens(span: _Span) -> list[_Span]:
    """'US-China' or 'Putin-Xi' name two things; 'Indo-Pacific' is one place."""
    if len(span.tokens) != 1 or "-" not in span.tokens[0] or span.tokens[0] in PLACES:
        return [span]
    parts = span.tokens[0].split("-")
    if not all(p[:1].isupper() for p in parts):
        return [span]
    out, offset = [], span.start
    for part in parts:
        out.append(_Span([part], offset, offset + len(part), span.sentence_start and offset == span.start))
        offset += len(part) + 1
    return out


def canonical_place(phrase: str) -> str | None:
    name = ALIASES.get(phrase, phrase)
    return name if name in PLACES else None


def _is_name_token(token: str) -> bool:
    if _is_initial(token):
        return True
    bare = token.replace("-", "").replace("'", "")
    return (
        bare.isalpha()
        and token[0].isupper()
        and not (token.isupper() and len(token) > 1)
        and token not in NOT_NAMES
        and token not in ORG_WORDS
        and token not in NATIONALITIES
        and token.lower() not in MONTHS
        and token.lower() not in WEEKDAYS
        and canonical_place(token) is None
    )


@dataclass
class _Tagged:
    kind: str  # person-candidate | organization | place
    name: tuple[str, ...]
    title: tuple[str, ...] = ()


@lru_cache(maxsize=65536)  # called per token of every span: words repeat
def _is_title(token: str) -> bool:
    """A title word, hyphenated ones included: "Secretary-General", "Vice-President", "Ex-President"."""
    if token in PERSON_TITLES or token in HONORIFICS:
        return True
    return "-" in token and any(part in PERSON_TITLES for part in token.split("-"))


def _title_split(tokens: list[str]) -> tuple[list[str], list[str]]:
    """('Secretary of State', 'Antony Blinken') from 'Secretary of State Antony Blinken'."""
    last = -1
    for index, token in enumerate(tokens):
        if _is_title(token):
            last = index
    if last < 0:
        return [], tokens
    while last + 1 < len(tokens) - 1 and tokens[last + 1] in TITLE_MODIFIERS:
        last += 1
    first = 0  # "On Monday President Xi ...": the day is when, no part of the title
    while first < last and (tokens[first].lower() in WEEKDAYS or tokens[first].lower() in MONTHS):
        first += 1
    return tokens[first: last + 1], tokens[last + 1 :]


def tag_span(span: _Span, lowercase_vocab: frozenset[str]) -> _Tagged | None:
    """Place, organisation or (candidate) person for one capitalised phrase; None when it is none of these."""
    tokens = list(span.tokens)
    if span.sentence_start and tokens:
        first = tokens[0]
        generic = first in NOT_NAMES or (
            first.lower() in lowercase_vocab
            and first not in PERSON_TITLES
            and first not in TITLE_MODIFIERS
            and first not in NATIONALITIES
            and canonical_place(first) is None
            and first not in ORG_WORDS
        )
        if generic and first not in HONORIFICS:
            tokens = tokens[1:]
    while tokens and (tokens[0] in _CONNECTORS or tokens[0] in ("The", "A", "An")):
        tokens = tokens[1:]
    while tokens and tokens[-1] in _CONNECTORS | _PARTICLES:
        tokens = tokens[:-1]
    if not tokens:
        return None
    phrase = " ".join(tokens)
    place = canonical_place(phrase)
    if place:
        return _Tagged("place", (place,))
    if phrase in ALIASES:
        return _Tagged("organization", (ALIASES[phrase],))
    title, name = _title_split(tokens)
    if not title:
        title, name = _job_split(tokens)
    if title and name and all(_is_name_token(t) or t in _PARTICLES for t in name[:-1]) and _core_length(name) <= 4 \
            and (_is_name_token(name[-1]) or _place_surname(name)):
        return _Tagged("person", tuple(name), tuple(title))
    if any(t in ORG_WORDS for t in tokens) or phrase in KNOWN_ORGS:
        lead = list(itertools.takewhile(lambda t: t != "of" and (_is_title(t) or t in TITLE_MODIFIERS), tokens))
        if any(_is_title(t) for t in lead) and any(t in ("of", "for") for t in tokens):
            return None  # a job, not its organisation: "Executive Secretary of the UN Framework Convention"
        return _organization(tokens)
    if all(_is_title(t) or t in TITLE_MODIFIERS or t in NATIONALITIES for t in tokens):
        return None  # a title with no name: "the Foreign Secretary said"
    if tokens[0] in FOREIGN_ARTICLES:
        return None  # "El Mercurio", "Die Welt": a publication or a place, not a person
    if all(_is_name_token(t) or t in _PARTICLES for t in tokens) and _core_length(tokens) <= 4:
        return _Tagged("person", tuple(tokens))
    return None


def _place_surname(name: Sequence[str]) -> bool:
    """A titled name whose surname is also a place: "Lt. Col. Steven Lee Jordan" (the title says a person; the first
    names are names, not places)."""
    return len(name) >= 2 and _is_name_token(name[0]) and not _is_initial(name[0]) \
        and name[-1].isalpha() and canonical_place(name[-1]) is not None


def _core_length(tokens: Sequence[str]) -> int:
    """Words of a name, particles aside: "Luiz Inácio Lula da Silva" has four, like "Martin Luther King Jr"."""
    return sum(1 for t in tokens if t not in _PARTICLES)


def _job_split(tokens: list[str]) -> tuple[list[str], list[str]]:
    """('Chief Executive', 'Thomas Enders') from 'Chief Executive Thomas Enders': a capitalised job (at a
    sentence start, in a headline) before a name is a title too; nothing is split off when no job word leads."""
    lead = 0
    while lead < len(tokens) - 1 and (
        tokens[lead] in TITLE_MODIFIERS or tokens[lead] in NATIONALITIES or _is_role_word(tokens[lead])
    ):
        lead += 1
    job_alone = _is_role_word(tokens[lead]) or tokens[lead] in TITLE_MODIFIERS  # "Chief Executive"
    if job_alone or not any(_is_role_word(t) for t in tokens[:lead]):
        return [], tokens
    return tokens[:lead], tokens[lead:]


def _organization(tokens: list[str]) -> _Tagged | None:
    """The organisation a phrase names; "UN Security Council Resolution 1747" names the council's document."""
    while len(tokens) > 1 and tokens[-1] in DOCUMENT_WORDS:
        tokens = tokens[:-1]
    if tokens[-1] in DOCUMENT_WORDS or not (any(t in ORG_WORDS for t in tokens) or " ".join(tokens) in KNOWN_ORGS):
        return None
    if len(tokens) == 1 and tokens[0] not in KNOWN_ORGS:
        return None
    return _Tagged("organization", tuple(tokens))


def _name_key(tokens: Sequence[str]) -> tuple[str, str]:
    core = [t for t in tokens if not _is_initial(t) and t not in _PARTICLES]
    if not core:
        core = list(tokens)
    return core[0].lower(), core[-1].lower()


def _lowercase_vocab(texts: Iterable[str]) -> frozenset[str]:
    vocab: set[str] = set()
    for text in texts:
        vocab.update(w for w in re.findall(r"\b[a-z][a-z'-]*\b", text))
    return frozenset(vocab)


def _role_before(prefix: str) -> str | None:
    match = _ROLE_BEFORE.search(prefix[-120:])
    if not match:
        return None
    role = match.group(1).strip()
    words = role.split()
    for index, word in enumerate(words[:-1]):  # "... Mariana Nicolesco. Newly-elected president": after the end
        if word.endswith(".") and word.count(".") == 1 and len(word) > 3 and word[:-1] not in TITLE_ABBREVIATIONS:
            words = words[index + 1 :]
            break
    while words and (words[0] in NOT_NAMES or words[0].lower() in ("the", "a", "an")):
        words = words[1:]
    if words and words[0].lower() in TIME_QUALIFIERS:
        words[0] = words[0].lower()  # "Former national security adviser John Bolton" opens a sentence
    role = " ".join(words)
    return role if role and _ROLE_NOUN_IN.search(role.replace("-", " ")) else None


def _names_someone(role: str) -> bool:
    """An apposition that names another person is a list, not a job: "designers Catinca Roman and Mihai Albu,
    former Foreign Affairs Minister Mircea Geoană and the soprano Mariana Nicolesco"."""
    for span in find_spans(role):
        tagged = tag_span(span, frozenset())
        if tagged is None or tagged.kind != "person":
            continue
        before = role[: span.start].split()
        if tagged.title and tagged.name and not role[span.end :].startswith("'"):
            return True  # "... Minister Mircea Geoană"
        if len(tagged.name) >= 2 and before and before[-1][0].islower() and before[-1] not in _PREPOSITIONS:
            return True  # "the soprano Mariana Nicolesco" (not "officer at Abu Ghraib")
    return False


def _org_led(words: Sequence[str]) -> bool:
    """'Human Rights Watch military analyst': an organisation's name, then a job in lower case."""
    caps = list(itertools.takewhile(lambda w: w[0].isupper(), words))
    return len(caps) < len(words) and any(w in ORG_WORDS or w in KNOWN_ORGS for w in caps)


def _whole_title(words: Sequence[str]) -> bool:
    """A capitalised apposition is a role when its capitalised words are all title words written out: "Executive
    Secretary of the UNFCCC", not "Maj. David Dinenna" (an abbreviation cut at its period, then a name)."""
    caps = []
    for word in words:
        if word[0].islower():
            break
        caps.append(word)
    return len(words) >= 2 and all(
        w not in TITLE_ABBREVIATIONS and (_is_title(w) or w in TITLE_MODIFIERS or w in NATIONALITIES) for w in caps
    )


@lru_cache(maxsize=65536)  # called per token of every span: words repeat
def _is_role_word(word: str) -> bool:
    """A job noun, plural or hyphenated ("secretary-general", "ex-president") included."""
    low = word.lower()
    return any(part in ROLE_NOUNS or part.rstrip("s") in ROLE_NOUNS for part in (low, *low.split("-")))


def _role_after(suffix: str) -> str | None:
    match = _ROLE_AFTER.match(suffix[: MAX_ROLE_CHARS + 20])
    if not match:
        return None
    role = match.group(1).strip()
    # "Margaret Beckett, the U.K.'s Foreign Secretary said, ...": the apposition ends at the reporting verb
    role = _ATTRIBUTION_IN.split(role, maxsplit=1)[0].strip()
    words = role.split()
    if not words:
        return None
    possessive = words[0].endswith(("'s", "s'"))
    titled = _is_title(words[0]) or words[0] in TITLE_MODIFIERS  # "Executive Secretary of the UNFCCC"
    starts_well = words[0][0].islower() or possessive or titled or words[0] in NATIONALITIES or _org_led(words)
    if not starts_well or _VERBISH.search(role):
        return None
    if titled and not _whole_title(words):
        return None
    if _names_someone(role):
        return None
    # The job noun comes first, after adjectives only: "China's top diplomat", not "held a meeting with
    # his counterpart" (a verb phrase that happens to contain a job word). Up to two plain nouns may
    # qualify it ("the U.N.'s climate change chief").
    plain = 0
    for index, word in enumerate(words[:6]):
        if _is_role_word(word) or _is_title(word):
            return role
        if word in ROLE_MODIFIERS or word.endswith(("'s", "s'")) or word[0].isupper() or word in TIME_QUALIFIERS:
            continue
        plain += 1
        if plain > 2 or index == 0:
            return None
    return None


def _gender(title: Sequence[str]) -> str | None:
    if any(t in HONORIFICS_MALE for t in title):
        return "m"
    if any(t in HONORIFICS_FEMALE for t in title):
        return "f"
    return None


@lru_cache(maxsize=4096)
def body_lines(body: str) -> tuple[str, ...]:
    """Normalised lines of an article body (straight quotes), shared by entities and quotes."""
    return tuple(normalize(body).split("\n"))


def _paragraphs(article: Article) -> list[str]:
    """Body lines that are prose: a Title-Case headline or a tag list would inflate the counts."""
    out = []
    for line in body_lines(article.body):
        words = line.split()
        if not words:
            continue
        capitalised = sum(1 for w in words if w[:1].isupper())
        if not line.rstrip().endswith((".", '"', "?", "!", "'")) and capitalised / len(words) > 0.5:
            continue
        out.append(line)
    return out


class PeopleIndex:
    """Canonical people of a topic, and the rule that maps 'Blinken' or 'Mr. Blinken' to 'Antony Blinken'."""

    def __init__(self, people: dict[tuple[str, str], Person], lowercase_vocab: frozenset[str]) -> None:
        self._people = people
        self._vocab = lowercase_vocab
        self._by_last: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._by_first: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for key in people:
            self._by_last[key[1]].add(key)
            self._by_first[key[0]].add(key)

    @property
    def people(self) -> list[Person]:
        return list(self._people.values())

    @property
    def vocabulary(self) -> frozenset[str]:
        """The topic's lower-case words, which ``tag_span`` needs to tell names from sentence-initial words."""
        return self._vocab

    def person(self, name: str) -> Person | None:
        for person in self._people.values():
            if person.name == name:
                return person
        return None

    def resolve_tokens(self, tokens: Sequence[str], allow_first: bool = True) -> Person | None:
        """The person a name or surname refers to, or None when unknown or ambiguous."""
        if not tokens:
            return None
        if len(tokens) >= 2 and not _surname_only(tokens):
            return self._people.get(_name_key(tokens))
        word = tokens[-1].lower()
        by_last = self._by_last.get(word, set())
        if len(by_last) == 1:
            return self._people[next(iter(by_last))]
        if by_last:
            return None
        by_first = self._by_first.get(word, set())
        if allow_first and len(by_first) == 1:
            return self._people[next(iter(by_first))]
        return None

    def resolve(self, phrase: str) -> Person | None:
        """Resolve a speaker phrase such as 'Secretary of State Antony Blinken' or 'Ms Psaki'."""
        found = self.find(phrase)
        names = {p.name for _, _, p in found}
        return found[0][2] if len(names) == 1 else None

    def in_full(self, texts: Sequence[str], only: Collection[str] | None = None) -> list[str]:
        """Each text with " [Full Name]" after a short mention ("Blinken", "Mr Wang") not yet named in full.

        Answers and disagreements quote article sentences; the reader still learns that "Mr Wang" is Wang Yi.
        The article's own words stay exactly as written; the insertion is bracketed, as editors do. ``only``
        limits the insertions to those people (by canonical name).
        """
        named: set[str] = set()
        out = []
        for text in texts:
            inserts: list[tuple[int, str]] = []
            for start, end, person in self.find(text):
                # named in full already, also with a middle initial or a title between ("Sgt. Santos A. Cardona")
                said = set(re.findall(r"[\w'-]+", text[start:end].lower()))
                known = person.name in named or person.name in text or set(person.name.lower().split()) <= said
                named.add(person.name)
                if not known and (only is None or person.name in only):
                    end += 2 if text[end : end + 2] in ("'s", "\u2019s") else 0  # after "Xi's", not inside it
                    inserts.append((end, f" [{person.name}]"))
            for end, insert in sorted(inserts, reverse=True):
                text = text[:end] + insert + text[end:]
            out.append(text)
        return out

    def find(self, text: str) -> list[tuple[int, int, Person]]:
        """(start, end, person) for every resolvable person mention in ``text``, in order."""
        out = []
        for span in find_spans(text):
            tagged = tag_span(span, self._vocab)
            if tagged is None or tagged.kind != "person":
                continue
            person = self.resolve_tokens(tagged.name, allow_first=True)
            if person is not None:
                out.append((span.start, span.end, person))
        return out


@dataclass(frozen=True)
class EntityReport:
    entities: tuple[Entity, ...]
    people: PeopleIndex
    # canonical person names mentioned by each article (disagreements compare who each source knows)
    people_by_article: dict[str, frozenset[str]]


def analyse_entities(articles: Sequence[Article], limit: int = MAX_ENTITIES) -> EntityReport:
    """Count people, organisations and places across ``articles``; build the shared PeopleIndex."""
    paragraphs = {a.id: _paragraphs(a) for a in articles}
    vocab = _lowercase_vocab(line for lines in paragraphs.values() for line in lines)
    mentions: list[_NameMention] = []
    others: Counter[tuple[str, str]] = Counter()
    reporting: defaultdict[tuple[str, str], list[int]] = defaultdict(list)  # an organisation's mentions as the press
    first_seen: dict[str, int] = {}
    found = [(article.id, line, span, tag_span(span, vocab))
             for article in articles for line in paragraphs[article.id] for span in find_spans(line)]
    # a place's name that an article gives as the surname of someone it names ("Lt. Col. Steven Lee Jordan ...
    # Jordan will stand trial") is that person there, not the country
    surnames = {(article_id, tagged.name[-1]) for article_id, _, _, tagged in found
                if tagged is not None and tagged.kind == "person" and _place_surname(tagged.name)}
    for article_id, line, span, tagged in found:
        if tagged is not None and tagged.kind == "place" and len(span.tokens) == 1 \
                and (article_id, span.tokens[0]) in surnames:
            tagged = _Tagged("person", (span.tokens[0],))
        if tagged is None:
            continue
        label = " ".join(tagged.name)
        first_seen.setdefault(label, len(first_seen))
        if tagged.kind != "person":
            others[(tagged.kind, label)] += 1
            if tagged.kind == "organization":
                reporting[(tagged.kind, label)].append(_reports(line, span))
            continue
        mentions.append(_person_mention(tagged, span, line, article_id))
    people = _resolve_people(mentions)
    index = PeopleIndex(people, vocab)
    by_article: dict[str, set[str]] = defaultdict(set)
    for person in people.values():
        for article_id in person.articles:
            by_article[article_id].add(person.name)
    rows = [Entity(p.name, "person", p.mentions, p.role) for p in people.values()]
    # an organisation named only as who was told or who reported, once at least as the press ("told the BBC"), is
    # the press, not a party to the story
    rows += [Entity(name, kind, count) for (kind, name), count in others.items() if not _press(reporting[(kind, name)])]
    # Who's who is about who: people and organisations first, places only in the slots they leave (a reader
    # knows China from Russia; the brief's slots are for Jake Sullivan and Yang Jiechi).
    rows.sort(key=lambda e: (e.kind == "place", -e.mentions, first_seen.get(e.name, 10**9), e.name))
    return EntityReport(
        tuple(rows[:limit]), index, {a.id: frozenset(by_article.get(a.id, ())) for a in articles}
    )


# The press, named as who was told or who reports, not as a party to the story. Telling, being quoted by and
# working for are the press's alone ("told the BBC", "said ... to Agence France-Presse", "as quoted by the
# Associated Press", "a reporter for Reuters", "the Xinhua news agency"); "according to" and "reported" are also
# said of a survey or a police force ("according to the University of Chile"), so they count only beside one of
# those (``_press``).
_SPOKE = r"\b(?:said|says|commented|comments|spoke|speaking|talking|stated)\s+"
_TOLD = re.compile(
    r"(?:\btold|\bquoted\s+(?:by|on|in)|\breporters?\s+(?:for|from|with)|\bcorrespondents?\s+(?:for|from|with)"
    r"|\binterviews?\s+with"
    # "commented to the", "said UN spokeswoman Stephanie Bunker to", "said Doctor Green, chairman of the institute,
    # to": the words between are the speaker, not "said the money would go to the Red Cross"
    rf"|{_SPOKE}(?:[A-Z][\w.'-]*(?:\s+[\w.'-]+){{0,5}}?\s+[A-Z][\w'-]*\s+|[A-Z][\w'-]*\s+"
    r"|[^,.;:\"]{1,60},[^;:\"]{1,120},\s+)?to)"
    r"\s+(?:the\s+)?$"
)
_ACCORDING = re.compile(r"\b(?:according\s+to|reports?\s+(?:by|from))\s+(?:the\s+)?$", re.IGNORECASE)
_AGENCY = re.compile(r"^(?:['\u2019]s?)?\s*(?:\([A-Z]{2,6}\)\s*)?(?:news\s+agency|website)\b")
_REPORTED = re.compile(r"^\s*(?:has\s+|had\s+)?report(?:s|ed)\b")
_SHORTENED = re.compile(r"\b([A-Za-z]+)\.")


def _reports(line: str, span: _Span) -> int:
    """2 when the organisation of ``span`` is named as the press (told, quoted by, its reporter, a news agency), 1 as
    the source of a report that a survey or a police force may also be ("according to", "reported"), else 0."""
    before, after = line[max(0, span.start - 200):span.start], line[span.end:]
    # a title's or an initial's period ("said Dr. Louise Ivers, ..., to the Associated Press") ends no clause
    before = _SHORTENED.sub(lambda m: m.group(1) if m.group(1).lower() in ABBREVIATIONS or len(m.group(1)) == 1
                            else m.group(0), before)
    if _TOLD.search(before) or _AGENCY.match(after):
        return 2
    return int(bool(_ACCORDING.search(before) or _REPORTED.match(after)))


def _press(mentions: list[int]) -> bool:
    return bool(mentions) and all(mentions) and max(mentions) == 2


def extract_entities(articles: Sequence[Article], limit: int = MAX_ENTITIES) -> tuple[Entity, ...]:
    return analyse_entities(articles, limit).entities


_OF_PLACE = re.compile(r"\s+of\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\b(?!\s+(?:University|College|Bank|Institute))")


def _person_mention(tagged: _Tagged, span: _Span, line: str, article_id: str) -> _NameMention:
    roles: list[str] = []
    title = tagged.title
    evidence = bool(title)
    # bounded windows (the role and attribution rules look no further): linear in long paragraphs (issue 14)
    prefix, suffix = line[max(0, span.start - 200) : span.start], line[span.end : span.end + 200]
    role_title = [t for t in title if t not in HONORIFICS]
    if role_title and any(_is_title(t) or _is_role_word(t) for t in role_title):
        roles.append(_title_role(role_title, prefix))
    if suffix.startswith("'s"):
        suffix = suffix[2:]
    for role in (_role_before(prefix) if not title else None, _role_after(suffix)):
        if role:
            roles.append(role)
            evidence = True
    if _ATTRIBUTION_AFTER.match(suffix) or _ATTRIBUTION_BEFORE.search(prefix) or _AFFILIATED_ATTRIBUTION.match(suffix) \
            or (len(tagged.name) >= 2 and _AGE_AFTER.match(suffix)):
        evidence = True
    origin = _OF_PLACE.match(suffix)
    if origin and len(tagged.name) >= 2 and tagged.name[-1] not in PLACE_HEADS \
            and canonical_place(origin.group(1)) is not None:
        evidence = True  # "Alexander Vinokourov of Kazakhstan has won stage 13": a person and where from
    return _NameMention(tagged.name, article_id, evidence, _gender(title), roles)


def _title_role(title: Sequence[str], prefix: str) -> str:
    """A title as a role, abbreviations written out ("Maj. Gen." -> "Major General"), and with the word before
    it that dates it ("former U.S. Vice President"): a role shown must hold at the time the articles tell."""
    words = [TITLE_ABBREVIATIONS.get(t.rstrip("."), t) for t in title]
    # a common noun capitalised only by its place ("Policeman José Arévalo said") is written as a noun
    words = [w.lower() if _is_role_word(w) and not (_is_title(w) or w in TITLE_MODIFIERS) else w for w in words]
    head, _, rest = words[0].partition("-")
    if head.lower() in TIME_QUALIFIERS:  # "Former Vice President", "Then-Secretary of State" open a sentence
        words[0] = head.lower() + ("-" + rest if rest else "")
    qualifier = _QUALIFIER_BEFORE.search(prefix)
    if qualifier and words[0].lower() not in TIME_QUALIFIERS:
        words.insert(0, qualifier.group(1).lower())
    return " ".join(words)


FULLER_ROLE_MENTIONS = 2


def _shown_role(roles: Counter[str]) -> str | None:
    """The role most mentions give (the longest on a tie), or a fuller form of it that several give ("Chinese
    President" for "President"); a bare "chief" or "leader" says nothing alone."""
    telling = [r for r in roles if r.lower().split("-")[-1] not in VAGUE_ROLES or len(r.split()) > 1]
    if not telling:
        return None
    top = max(telling, key=lambda r: (roles[r], len(r)))
    # "President" most often, "Chinese President" more than once: the fuller form says whose president
    fuller = [r for r in telling if r.endswith(f" {top}") and r[:1].isupper() and roles[r] >= FULLER_ROLE_MENTIONS]
    return max(fuller, key=lambda r: (roles[r], len(r))) if fuller else top


def _surname_only(tokens: Sequence[str]) -> bool:
    """'De Boer' (a sentence start capitalises the particle) is Yvo de Boer's surname, not a first name."""
    return all(t.lower() in _SURNAME_PARTICLES for t in tokens[:-1])


def _resolve_people(mentions: list[_NameMention]) -> dict[tuple[str, str], Person]:
    """Group full names (ignoring middle initials), then fold surnames in where exactly one name fits."""
    full: dict[tuple[str, str], list[_NameMention]] = defaultdict(list)
    single: dict[str, list[_NameMention]] = defaultdict(list)
    for mention in mentions:
        if len(mention.tokens) >= 2 and not _surname_only(mention.tokens):
            full[_name_key(mention.tokens)].append(mention)
        else:
            single[mention.tokens[-1].lower()].append(mention)
    by_last: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_first: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in full:
        by_last[key[1]].append(key)
        by_first[key[0]].append(key)
    for word, group in single.items():
        target = None
        if len(by_last.get(word, [])) == 1:
            target = by_last[word][0]
        elif not by_last.get(word) and len(by_first.get(word, [])) == 1 and any(m.evidence for m in group):
            target = by_first[word][0]  # family name first: "Xi Jinping" ... "Mr Xi"
        if target is not None:
            full[target].extend(group)
    people: dict[tuple[str, str], Person] = {}
    for key, group in full.items():
        if not any(m.evidence for m in group):
            continue
        forms = Counter(" ".join(m.tokens) for m in group if len(m.tokens) >= 2)
        name = min(forms, key=lambda f: (-forms[f], sum(_is_initial(t) for t in f.split()), len(f)))
        role = _shown_role(Counter(r for m in group for r in m.roles))
        genders = {m.gender for m in group if m.gender}
        people[key] = Person(
            name=name,
            mentions=len(group),
            role=role,
            gender=genders.pop() if len(genders) == 1 else None,
            articles={m.article for m in group},
        )
    return people
