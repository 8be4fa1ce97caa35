"""What a question is specifically about, beyond its topic words, and whether a sentence speaks to it.

A topic's sentences share its common words, so a sentence can cover most of a question's words and still be
about something else: "When will Biden visit Beijing?" is not answered by "Blinken cancelled his planned visit
to Beijing", nor "What did Taiwan's president say?" by a sentence that mentions Taiwan and, elsewhere, a
president, nor "What did the spokesman say about sanctions?" by a spokesman's words on something else. These
rules name the parts of a question that an answering sentence must hold:

* the people it names (resolved across the topic: "Blinken" is Antony Blinken);
* a possessive phrase as a phrase: "Taiwan's president" wants the owner and the thing close together
  ("Taiwan's president", "the president of Taiwan", "Taiwanese President ...");
* what it asks about: the words after "about" in "What did X say about Y?";
* who speaks: the X of "What did X say?" (its last word: "the foreign ministry spokesman" is a spokesman), and,
  when the verb asks for words (say, tell, write ...), words given: a verb of saying or a quotation (``gives_words``);
* how a trial ended, when it asks for a verdict, a conviction or a sentence: an outcome stated, not a trial to come
  or a charge (``asks_outcome``, ``states_outcome``).

The same holds for the fact a question asks for: ``quantified_words`` reads what each number of a sentence counts
(the head of the phrase after it and the verb after that), so that "How many drones ...?" is not answered by
"five types of equipment: drones, ..."; ``asked_role`` and ``role_held`` check that "Who is the Russian judge?"
is answered by the Russian judge's name, not by the Chinese judge's in a sentence that mentions both.

``common_terms`` names the words most of a topic's articles use: a match on those alone says a sentence is
on the topic, not that it answers the question (the semantic second chance needs more than that).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from summarizer.analyzer import NUMBER_WORDS, TIME_UNITS, is_content, stem, tokens, wordset
from summarizer.gazetteer import ALIASES, NATIONALITIES

NEAR = 4  # an owner and its thing ("Taiwan's president") must be at most this many words apart in a sentence
COMMON_SHARE = 0.5  # a term in more than this share of a topic's articles is one of its common words

_POSSESSIVE = re.compile(r"\b([A-Za-z][A-Za-z0-9-]*)['\u2019]s\s+(\S.*)")
_ABOUT = re.compile(r"\babout\s+(.+)", re.IGNORECASE)
# "What did the Chinese foreign ministry spokesman say ...": the speaker is whoever stands between the auxiliary
# and a verb of saying; a sentence in which someone else speaks does not answer.
_SPEAKER = re.compile(
    r"\b(?:did|does|do|has|have|had|will|would|could|might)\s+(?P<who>[^?]+?)\s+"
    r"(?P<verb>say|tell|claim|announce|write|warn|argue|think|believe|suggest|propose|threaten|promise|demand|"
    r"reply|respond|comment|insist|deny|admit|predict|mean)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Focus:
    """The specific parts of a question, as raw lower-case words (the caller maps them to its terms)."""

    pairs: tuple[tuple[str, str], ...]  # (owner, thing) of "owner's thing"
    about: tuple[str, ...]  # content words of "... about Y"
    speaker: str | None = None  # the head word of X in "What did X say?" ("spokesman", "blair")
    says: bool = False  # the verb asks for words said or written ("say", "tell", "write"), not "warn" or "threaten"


def question_focus(question: str, keep: Callable[[str], bool]) -> Focus:
    """The possessive pairs and the "about" words of a question; ``keep`` says which words carry content."""
    pairs: list[tuple[str, str]] = []
    for found in _POSSESSIVE.finditer(question):
        owner = tokens(found.group(1))
        thing = next((w for w in tokens(found.group(2)) if keep(w)), None)
        if owner and thing and keep(owner[-1]):
            pairs.append((owner[-1], thing))
    about: list[str] = []
    found = _ABOUT.search(question)
    if found:
        about = [w for w in tokens(found.group(1)) if keep(w)]
    said = _SPEAKER.search(question)
    heads = [w for w in tokens(said.group("who")) if keep(w)] if said else []
    says = bool(said and said.group("verb").lower() in _WORDS_SAID)
    return Focus(tuple(pairs), tuple(about), heads[-1] if heads else None, says)


# "What did X say / tell / write?" asks for X's words: a sentence that names X doing something else ("Lin Miaoke, who
# performed ...") does not answer. Words are given by a verb of saying (``_SPEECH``) or a quotation that is not a
# title ("lamenting "conflict and confrontation"" gives words, "who performed "Ode to the Motherland"" a song).
_WORDS_SAID = wordset("say tell claim announce write comment reply respond argue insist")
_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|states|announced|announces|declared|declares|"
    r"added|adds|spoke|speaking|wrote|writes|written|claimed|claims|commented|replied|responded|argued|insisted|"
    r"according to|remarked|explained|noted|warned|urged|called|described|quoted|statement|interview|"
    r"reported|confirmed|denied|maintained|identified|acknowledged|admitted|alleged|accused|asserted|"
    r"press conference|speech|address)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,300})[\"\u201d]")


def gives_words(sentence: str) -> bool:
    """Does the sentence give someone's words: a verb of saying, or a quotation not in Title Case (a title)?"""
    if _SPEECH.search(sentence):
        return True
    for quoted in _QUOTED.finditer(sentence):
        long_words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", quoted.group(1)) if len(w) > 3]
        if any(w[0].islower() for w in long_words):
            return True
    return False


# "Was Jordan convicted?", "What verdict did Waheed Ali get?", "What punishment did the dog handler get?" ask how a
# trial ended: a sentence saying that someone "will be tried" or is "charged with" a crime, or "faces a maximum
# sentence", names the trial, not its outcome. A hypothetical ("what jail time did they say they'd get if ...?")
# asks for a threat, not an outcome.
_ASKS_OUTCOME = re.compile(
    r"\b(?:verdict|convict(?:ed|ion)?|acquit(?:ted|tal)?|guilty|sentenced?|punish(?:ed|ment)|jail\s+time|"
    r"prison\s+(?:term|time))\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(r"\b(?:if|could|would|might|may|faces?|facing|maximum|'d)\b|\w'd\b", re.IGNORECASE)
_OUTCOME = re.compile(
    r"\b(?:convicted|acquitted|(?:found|find|finds|finding)\s+(?:[\w.'-]+\s+){0,5}?(?:not\s+)?guilty|"
    r"pleaded\s+(?:not\s+)?guilty|sentenced|jailed|cleared|"
    r"verdict|serving|demoted|discharged|fined)\b",
    re.IGNORECASE,
)
# the outcome word is a prospect, not an outcome, after a modal or "face" ("could be sentenced", "faces being jailed")
_PROSPECT = re.compile(r"\b(?:will|would|could|may|might|can|faces?|facing|expected\s+to|if)\s+(?:\w+\s+){0,2}$",
                       re.IGNORECASE)


def asks_outcome(question: str) -> bool:
    """Does the question ask how a trial ended (a verdict, a conviction, a sentence), not what might happen?"""
    return bool(_ASKS_OUTCOME.search(question)) and not _HYPOTHETICAL.search(question)


# a sentence's clauses: "Jordan is the only officer charged -eleven soldiers were previously sentenced" tells of two
_CLAUSE_BREAK = re.compile(r";|\s[-\u2013\u2014]+|[-\u2013\u2014]+\s")


def states_outcome(sentence: str, about: Collection[str] = ()) -> bool:
    """Does the sentence say how a trial ended: someone convicted, acquitted, sentenced, jailed, serving a term? With
    ``about`` (the question's other content words) and a sentence of several clauses, in a clause that meets one of
    them: "Jordan is the only officer charged -eleven soldiers were previously sentenced" tells nothing of Jordan's
    verdict."""
    wanted = {stem(w) for w in about if not _ASKS_OUTCOME.search(w)}
    clauses = _CLAUSE_BREAK.split(sentence)
    for clause in clauses:
        if wanted and len(clauses) > 1 and not {stem(w) for w in tokens(clause)} & wanted:
            continue
        if any(not _PROSPECT.search(clause[max(0, found.start() - 40):found.start()])
               for found in _OUTCOME.finditer(clause)):
            return True
    return False


def near(
    words: Sequence[str], first: Callable[[str], bool], second: Callable[[str], bool], window: int = NEAR
) -> bool:
    """Do a word meeting ``first`` and one meeting ``second`` occur within ``window`` words of each other?"""
    a = [i for i, w in enumerate(words) if first(w)]
    b = [i for i, w in enumerate(words) if second(w)]
    return any(0 < abs(i - j) <= window for i in a for j in b)


def same_root(term: str, owner: str) -> bool:
    """"taiwan" and "taiwanes", "chile" and "chilean", "china" and "chines": a name and its adjective."""
    if term == owner:
        return True
    if len(owner) < 4:
        return False
    shared = 0
    for x, y in zip(term, owner, strict=False):
        if x != y:
            break
        shared += 1
    return term.startswith(owner) or shared >= max(4, len(owner) - 1)


# News names a country by its capital or seat of power and by its adjective: "Beijing's position" is China's,
# "the British government" Britain's. Lower-case words; the adjectives that share a stem with the country's
# name ("Chinese", "Russian") need no entry (``same_root``).
_COUNTRY_FORMS = {
    "china": "beijing",
    "russia": "moscow kremlin",
    "ukraine": "kyiv kiev",
    "united states": "us u.s america american washington",
    "united kingdom": "uk u.k britain british london",
    "france": "french paris",
    "germany": "berlin",
    "japan": "tokyo",
    "iran": "tehran",
    "israel": "jerusalem",
    "turkey": "turkish ankara",
    "netherlands": "dutch",
    "spain": "spanish madrid",
    "india": "delhi",
    "north korea": "pyongyang",
    "south korea": "seoul",
    "taiwan": "taipei",
    "poland": "polish warsaw",
    "greece": "greek athens",
}


def owner_forms(owner: str) -> set[str]:
    """The words that name the same country as ``owner`` ("china" -> beijing; "us" -> america, washington)."""
    word = owner.lower()
    canonical = {v.lower() for k, v in ALIASES.items() if k.lower() == word} | {word}
    for country, forms in _COUNTRY_FORMS.items():
        group = {country, *forms.split()}
        if canonical & group:
            canonical |= group
    return {w for name in canonical for w in ([name] if " " not in name else [])}


def common_terms(per_article: Sequence[set[str]]) -> frozenset[str]:
    """Terms used by more than COMMON_SHARE of a topic's articles (none when there are fewer than two)."""
    if len(per_article) < 2:
        return frozenset()
    counts = Counter(t for terms in per_article for t in terms)
    return frozenset(t for t, n in counts.items() if n > COMMON_SHARE * len(per_article))


# --- What a "how many / how much / how long" answer must be about -----------------------------------------------
# A sentence with a number is not an answer to "How many missiles did Russia request?" when its number counts
# something else ("five types of equipment: surface-to-air missiles, drones, ..."), nor one with a duration to
# "How long did the summit last?" when the duration is another thing's ("Putin's three-week war"). The number
# must stand next to a word of the question: the counted thing, or what happened to it ("25 arrests" answers
# "How many people were arrested?", "7,000 Russian troops have been killed" answers "How many soldiers were
# killed?"). Names are not such words: "six houses in Leeds" does not count the Leeds police officers.

QUANTITY_WINDOW = 3  # content words after a number (before and after a duration) that it may quantify

_COUNTED = re.compile(
    r"\bhow\s+(?:many|much)\s+(?P<thing>(?:[A-Za-z'-]+\s+){0,4}?)"
    r"(?:did|do|does|were|are|was|is|has|have|had|will|would|could|can|should|must|may|might|got|get|gets)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = frozenset(NUMBER_WORDS)
# A number joined to a noun by a hyphen counts that noun, not the head after it: "a 5,000-word statement", "a
# 13-day ordeal", "a seven-hour meeting".
_HYPHENED = re.compile(r"(?:\d|\b(?:" + "|".join(NUMBER_WORDS) + r"))-([A-Za-z]+)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<!\d),|,(?!\d)|[;:()\[\]\u2014\u2013\"\u201c\u201d]|\.\s|\.$")
_MONEY = re.compile(
    r"[$\u20ac\u00a3\u00a5%]|\b(?:dollars?|euros?|pounds?|yuan|yen|rubles?|roubles?|per\s*cent|percent)\b"
    r"|\b(?-i:USD|EUR|GBP|JPY|CNY)\b",
    re.IGNORECASE,
)


def counted_thing(question: str) -> tuple[list[str], list[str]] | None:
    """X and the words after it in "How many X did ...?" (([], [...]) for "How much did it cost?"), None when the
    question is not a how-many/how-much one. Without an auxiliary ("How many gunboats surrounded them?") X is the
    first two words."""
    found = _COUNTED.search(question)
    if found:
        return tokens(found.group("thing")), tokens(question[found.end() :])
    loose = re.search(r"\bhow\s+(?:many|much)\b", question, re.IGNORECASE)
    if not loose:
        return None
    rest = tokens(question[loose.end() :])
    return rest[:2], rest[2:]


def asks_amount(question: str) -> bool:
    """"How much ...?" asks an amount, which a sum of money gives ("How much aid did they ask for?")."""
    return bool(re.search(r"\bhow\s+much\b", question, re.IGNORECASE))


def counts_people(thing: Sequence[str]) -> bool:
    """"How many people ...?", "how many Americans ...?": any noun for people may stand for them ("arrested ten US
    nationals"); a nation's people ("Americans", "Britons", "Chinese") are people too."""
    if not thing:
        return False
    noun = thing[-1]
    return noun in _PEOPLE or any(form.capitalize() in NATIONALITIES for form in (noun, noun.removesuffix("s")))


def is_number(token: str) -> bool:
    return token[:1].isdigit() or token in _NUMBER_WORDS


def quantified_words(sentence: str, before: int = 0, verb_before: bool = False) -> list[list[str]]:
    """For each number of the sentence, the words it may quantify, within its clause: the head of the noun phrase
    right after it ("troops" in "7,000 Russian troops", "civilians" in "thousands of civilians"), the verb that
    follows that phrase ("killed" in "... troops have been killed", "injured" in "700 were injured"), and with
    ``before`` (durations), the content words among the ``before`` words either side of it ("sentenced Graner to
    ten years"); with ``verb_before``, the content word right before it ("arrested" in "arrested ten nationals")."""
    out: list[list[str]] = []
    for clause in _CLAUSE.split(sentence):
        words = tokens(clause)
        joined = {m.group(1).lower() for m in _HYPHENED.finditer(clause)}
        for i, word in enumerate(words):
            if not is_number(word) or (i + 1 < len(words) and is_number(words[i + 1])):
                continue  # the last piece of "5,000" or "12 million" speaks for the whole number
            if not before and i + 1 < len(words) and words[i + 1] in joined:  # "a 5,000-word statement": words
                out.append([words[i + 1]])
                continue
            found = _counted_by(words, i, before)
            if verb_before:
                found += _word_before(words, i)
            out.append(found)
    return out


def _number_start(words: list[str], i: int) -> int:
    """Where the number ending at ``words[i]`` begins ("12" of "12 million", "5" of "5 000")."""
    while i > 0 and is_number(words[i - 1]):
        i -= 1
    return i


def _counted_by(words: list[str], i: int, before: int) -> list[str]:
    k = i + 1
    if k + 1 < len(words) and words[k] == "of" and words[i] in _NOUN_NUMBERS:  # "thousands of civilians"
        k += 1
    phrase: list[str] = []
    while k < len(words) and (is_content(words[k]) or words[k] in _MODIFIERS) and not is_number(words[k]):
        if phrase and words[k].endswith(("ing", "ed", "ly")):  # "statement saying", "people killed", "... shortly"
            break
        if words[k] not in _MODIFIERS:
            phrase.append(words[k])
        k += 1
    while k < len(words) and words[k] in _AUXILIARIES:
        k += 1
    found = phrase[-1:]
    if k < len(words) and is_content(words[k]):
        found.append(words[k])
    if before:
        start = _number_start(words, i)
        found += [w for w in words[max(0, start - before) : start] if is_content(w) and not is_number(w)]
        end = i + 1
        while end < len(words) and words[end] in _UNITS:  # "two weeks before the invasion": past the unit
            end += 1
        found += [w for w in words[end : end + before] if is_content(w) and not is_number(w)]
    return found


def _word_before(words: list[str], i: int) -> list[str]:
    start = _number_start(words, i)
    for k in range(start - 1, max(-1, start - 4), -1):  # "killing at least 214", "arrested some 40"
        if words[k] in _HEDGES or not is_content(words[k]):
            continue
        return [words[k]]
    return []


_PEOPLE = wordset("people persons individuals folks")
_HEDGES = wordset("least about approximately around nearly almost roughly some estimated total")
_NOUN_NUMBERS = wordset("hundreds thousands millions billions dozens tens scores")
_UNITS = frozenset(TIME_UNITS) | {"long", "old"}  # "ten years old", "two weeks long"
_MODIFIERS = wordset("other more further such")  # "nine other American soldiers"
_AUXILIARIES = wordset("have has had been be being were was are is will would could also not reportedly")


def money(sentence: str) -> bool:
    return bool(_MONEY.search(sentence))


# --- "Who is the X ROLE?" ------------------------------------------------------------------------------------------
# "Who is the Russian judge at the court?" is not answered by "Xue Hanqin, the Chinese judge at the court, sided
# with the Russian judge": the named person holds the role with another qualifier. When the role is qualified by an
# owner or a capitalised word ("China's", "US", "Brazilian", "Defence"), an answering sentence must name someone
# next to an instance of the role that carries those qualifiers; the role itself must be in the sentence ("foreign
# ministry" does not name a foreign minister).

ROLE_QUALIFIER_NEAR = 4  # words before the role where its qualifiers must stand ("Biden's national security adviser")
ROLE_NAME_NEAR = 5  # words between the role and the name of its holder ("Alireza Afshar, Iran's top military general")

# The role ends where a preposition or a relative clause begins: "the cop that warned folks on the beach" is a cop, and
# so is "the 84-year-old woman they pulled from the rubble" a woman (a clause without "that").
_ROLE = re.compile(
    r"^\s*who\s+(?:is|was|are|were)\s+(?P<det>the\s+|an?\s+|(?=[A-Za-z][\w.-]*['\u2019]s\s))"
    r"(?P<phrase>[A-Za-z0-9][\w.'\u2019 -]*?)\s*"
    r"(?:\b(?:of|for|at|to|in|on|with|from|that|who|whom|which|they|he|she|we|you|i|it)\b.*)?\??\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Role:
    """The role a "Who is the ... ROLE?" question asks for, and the words that qualify it."""

    word: str  # "judge"
    qualifiers: tuple[str, ...]  # "russian"; owners of "China's" as "china"


def asked_role(question: str) -> Role | None:
    """The role of "Who is the Russian judge at ...?" or "Who is China's foreign minister?"; None for "Who is
    Blinken?"."""
    found = _ROLE.match(question)
    if not found:
        return None
    raw = found.group("phrase").split()
    words = [tokens(w) for w in raw]
    if not raw or not words[-1]:
        return None
    qualifiers = tuple(
        next((t for t in w if t[:1].isdigit()), w[-1]) for part, w in zip(raw[:-1], words[:-1], strict=True)
        if w and (part[:1].isupper() or _POSSESSIVE.match(part + " x") or part[:1].isdigit())
    )  # a number qualifies too: "the 84-year-old woman" is not any woman ("84")
    return Role(words[-1][-1], qualifiers)


def role_held(
    role: Role, sentence: list[str], is_role: Callable[[str], bool], qualifies: Callable[[str, str], bool],
    is_name: Callable[[int], bool],
) -> bool:
    """Does the sentence (its words) hold the role, with its qualifiers right before it and its holder's name near?"""
    places = [i for i, w in enumerate(sentence) if is_role(w)]
    if not places or not role.qualifiers:  # "Mira Holm, 36, was described ... as the ringleader": anywhere
        return bool(places) and any(is_name(j) for j in range(len(sentence)))
    for r in places:
        ahead = sentence[max(0, r - ROLE_QUALIFIER_NEAR) : r]
        if not all(any(qualifies(w, q) for w in ahead) for q in role.qualifiers):
            continue
        if any(is_name(j) for j in range(max(0, r - ROLE_NAME_NEAR), min(len(sentence), r + ROLE_NAME_NEAR + 1))):
            return True
    return False


# --- "What did X ask (Y) for?" ---------------------------------------------------------------------------------
# "What did Russia ask China for?" asks for the object of the verb: "Russia had requested five types of equipment:
# surface-to-air missiles, drones, ..." answers it; "China was inclined to grant Russia's request" (a noun, no
# object) and "China also sought to highlight its calls" (another subject) only mention the asking.

OBJECT_SUBJECT_NEAR = 6  # words before the verb where the question's subject stands ("Russia is said to have asked")
OBJECT_SPAN = 14  # words after the verb that may be its object (a recipient, "for", the thing, a list of things)

_OBJECT_QUESTION = re.compile(
    r"^\s*what\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?:[a-z]+\s+){0,2}?"  # "what kind of stuff did ..."
    r"(?P<aux>did|does|do|has|have|had|will|would|could|is|was|are|were)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_OBJECT_VERBS = wordset("ask request want seek demand offer give send buy sell provide promise")
_OBJECT_STEMS = frozenset(stem(w) for w in _OBJECT_VERBS)
_OBJECT_END = wordset(
    """after before because while when whereas although though since if unless until which who whom whose that as
    amid despite following but"""
)
_DETERMINERS = wordset("a an the its his her their our your my this these those any no every each")
_PIECE = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?|[.;!(),:]")


@dataclass(frozen=True)
class ObjectAsked:
    """The verb of "What did X VERB (Y) (for)?" and the words of X."""

    subject: tuple[str, ...]  # ("russia",); () for "what did they ask for?"
    verb: str  # as written in the question: "ask", "requested", "sending"


def object_asked(question: str, keep: Callable[[str], bool]) -> ObjectAsked | None:
    """The subject and verb of "What did X ask (Y) for?", "What has France sent?", "What is X demanding?", "What kind
    of stuff did X ask for?" (a verb of asking, wanting, giving or trading: ``_OBJECT_STEMS``); None for other
    questions. ``keep`` says which words of X carry content."""
    found = _OBJECT_QUESTION.match(question)
    if not found:
        return None
    words = tokens(found.group("rest"))
    for i, word in enumerate(words):
        if stem(word) not in _OBJECT_STEMS:
            continue
        progressive = found.group("aux").lower() in ("is", "was", "are", "were")
        if i == 0 or (progressive and not word.endswith("ing")):
            return None
        return ObjectAsked(tuple(w for w in words[:i] if keep(w)), word)
    return None


def verb_objects(
    sentence: str, is_verb: Callable[[str], bool], is_subject: Callable[[str], bool] | None
) -> list[list[str]]:
    """The words after each use of the verb as a verb (not "Russia's request", "a request for comment") whose
    subject is the question's (a word meeting ``is_subject`` at most OBJECT_SUBJECT_NEAR words before it; any
    subject when None), up to the end of the clause ("after", "because", "which" ... or ".", ";"): its recipient,
    "for" and its object ("asked China for military equipment and support"). Punctuation stays in (lists keep
    their commas)."""
    pieces = _PIECE.findall(sentence)
    lower = [p.lower().replace("\u2019", "'") for p in pieces]
    bare = [w.removesuffix("'s") for w in lower]
    found: list[list[str]] = []
    for j, word in enumerate(bare):
        if not word[:1].isalnum() or not is_verb(word):
            continue
        before = lower[j - 1] if j else ""
        if before in _DETERMINERS or before.endswith("'s"):  # a noun: "Russia's request", "a request"
            continue
        if is_subject is not None and not any(
            is_subject(w) for w in bare[max(0, j - OBJECT_SUBJECT_NEAR):j] if w[:1].isalnum()
        ):
            continue
        span: list[str] = []
        for piece in pieces[j + 1:j + 1 + OBJECT_SPAN]:
            if piece in ".;!(" or piece.lower() in _OBJECT_END:
                break
            span.append(piece)
        found.append(span)
    return found
