"""Follow-up answers drawn only from the articles, with citations, or an honest refusal.

Retrieval: every sentence of the topic's articles, and every title, is a candidate, scored by BM25 (``bm25s``)
and by the encoder's cosine similarity to the question. Words meet through the shared analyzer
(``summarizer.analyzer``: Snowball stems, irregular forms, "softer" -> "soft" when the text says "soft"), and
people through the topic's ``PeopleIndex`` ("Mr Wang" is "Wang Yi" where an article names him). A chat word the
articles never use may stand for the word news uses ("kids": children), and a phrasal verb for its one-word verb
("chip in": contribute), and words news writes either way meet whether or not the articles use the question's
("talked": spoke, "asked": requested) (``summarizer.everyday``).

Gates keep the bot from answering with the nearest unrelated sentence:

* relevance: the sentence must cover most of the question's content words, weighted by how informative they
  are (IDF over the topic's sentences). A question word the articles never use is first repaired (a typo
  snapped to the closest article word, an acronym expanded, a longer or shorter form of the word); if the
  words still do not meet, the semantic encoder gets a say: a sentence that shares part of the question and
  is close to it in meaning may answer it. A name the articles never mention ("Zelensky", "Paris") means the
  articles do not speak to the question's subject, and the bot refuses;
* specific parts (``summarizer.qa_focus``): the sentence must also hold the people the question names, both
  halves of "X's Y", a word of "about Z" and the speaker of "What did X say?"; the second chance asks for a
  near paraphrase (SEMANTIC_COMMON_MIN) when the sentence shares only the topic's common words with it;
* answer type: a "who" answer must name someone, "when" must hold a date or time, "how many" and "how far / big /
  high ..." a number, "how long" a duration, "where" a place phrase. Why/what/how questions have no hard type;
* the fact asked for (``summarizer.qa_focus``): a sentence on the question's subject may lack it. The number of
  a "how many X did ... V" answer must stand next to X or V ("25 arrests" answers "How many people were
  arrested?"; "five types of equipment: ... missiles, drones" does not answer "How many drones ...?"), or mean
  the same under the sentence encoder ("troops killed" for "soldiers died"); a "how long" duration must be within
  three words of a word of the question; "Who is the Russian judge?" needs the role word, its qualifiers right
  before it and a new name near it ("Xue Hanqin, the Chinese judge, sided with the Russian judge" does not
  answer). Names never count as the thing counted ("six houses in Leeds" does not count Leeds police officers).

Ranking prefers, for "what/which X" questions ("What weapons did..."), a sentence that lists several things and
mentions X (it may answer with another verb: "requested" for "asked"), and for "What did X ask (Y) for?" (give,
send, offer, want ...) a sentence in which X asks for something, the verb's object ("Russia had asked China for
military equipment"), over one that only mentions the asking ("grant Russia's request"); it puts the best first. Titles
are indexed (their words count), but a headline is cited only when no body sentence answers. The blend and its
bonuses (the question's rarest word, reason clauses for "why", the sentence encoder's cosine and the near misses
that compete for the citation once the gates have decided to answer) are ``summarizer.qa_rank``'s.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from summarizer.analyzer import (
    NUMBER_WORDS,
    STOP_WORDS,
    TIME_UNITS,
    acronyms,
    base_form,
    is_content,
    stem,
    tokens,
    wordset,
)
from summarizer.articles import Article
from summarizer.dates import MONTHS, WEEKDAYS
from summarizer.entities import canonical_place
from summarizer.everyday import everyday, function_word, phrasal, same, without_adverbials
from summarizer.everyday import kinds as kinds_of
from summarizer.gazetteer import COUNTRIES, NATIONALITIES, PLACES
from summarizer.models import Answer, Citation
from summarizer.qa_focus import (
    ROLE_NAME_NEAR,
    asked_role,
    asks_amount,
    common_terms,
    counted_thing,
    counts_people,
    money,
    near,
    object_asked,
    owner_forms,
    quantified_words,
    question_focus,
    role_held,
    same_root,
    verb_objects,
)
from summarizer.qa_lexical import GENERIC_NOUNS, lexical_chance, names_missing_thing, superlatives
from summarizer.qa_rank import (
    GATED_POOL,
    RAREST_BONUS,
    ROLE_BONUS,
    WIDE_MIN_COVERAGE,
    WIDE_POOL,
    blend,
    rarest,
    reason_bonus,
)

MAX_QUESTION_CHARS = 1000  # a pasted article is not a question; say so instead of scoring it
MAX_ANSWER_SENTENCES = 3
MIN_COVERAGE = 0.6  # share of the question's (IDF-weighted) content words a sentence must contain (bench/encoders.py)
SUPPORT_RATIO = 0.85  # extra sentences must score at least this share of the best one
# The semantic second chance (bench/encoders.py, dev questions): a sentence sharing at least this share of the
# question's weighted words that the articles use (the others are the encoder's to match), and at least
# SEMANTIC_MIN cosine with it under a sentence encoder (MiniLM).
MIN_PARTIAL = 0.25
SEMANTIC_MIN = 0.5
# A sentence that shares only the topic's common words with the question (words most of its articles use) is
# on the topic, not necessarily on the question: it needs to be a near paraphrase to answer it.
SEMANTIC_COMMON_MIN = 0.65
# The quantity rule's semantic bar: "soldiers died" ~ "troops killed" 0.89, "people arrested" ~ "arrests" 0.80,
# "casualties" ~ "people killed" 0.70 pass; "tanks lost" ~ "troops killed" 0.50, "gunboats surrounded" ~ "sailors"
# 0.44, "missiles" ~ "types" 0.28 do not (MiniLM, bench/questions/dev.jsonl "dev4" questions).
QUANTITY_SEMANTIC_MIN = 0.55
LASTED_SEMANTIC_MIN = 0.45
QUANTITY_BEFORE = 3  # words either side of a duration that it may measure ("sentenced Graner to ten years")
SEMANTIC_POOL = 200  # sentences encoded for the second chance at most (bounded cost on big topics)

_CLOSED = re.compile(r"[.!?:;\u2026][\"')\]]*$")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

# Words that carry no topic in a question about the articles (on top of the analyzer's stop words).
_QUESTION_NOISE = wordset(
    """
    article articles report reports reported story stories news say says said tell told mention mentioned
    mentions according happen happened happening know think anything something explain describe did does
    do doing brief briefly exactly really actually kind sort about like please wonder
    wondering curious thanks thank hello hey hi understand
    get gets got getting anyone anybody someone somebody everyone everybody whole behind stuff thing things
    guys folks just still even ever
    """
)

_UNITS = r"(?:" + "|".join(sorted(TIME_UNITS, key=len, reverse=True)) + ")"  # longest first: "days" before "day"
_UNIT = r"(?:" + "|".join(u for u in TIME_UNITS if not u.endswith("s")) + ")"  # singular ("week-long")
_NUM = r"(?:\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r"|a|an|several|few)"
# Capitalised (or upper case) only: "may" and "march" in lower case are a modal and a walk, not dates.
_MONTH_WORDS = sorted({f(w) for w in set(MONTHS) | set(WEEKDAYS) for f in (str.capitalize, str.upper)},
                      key=len, reverse=True)

_TIME_RE = re.compile(
    r"\b(?-i:" + "|".join(_MONTH_WORDS) + r")\b\.?"
    r"|\b(?:today|tomorrow|yesterday|tonight|overnight|morning|afternoon|evening|midnight|noon)\b"
    r"|\b(?:this|last|next|earlier this|later this|that|recent|coming|past)\s+(?:week|month|year|weeks|months"
    r"|years|weekend|days)\b"
    r"|\b(?:1[89]|20)\d{2}s?\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|\b(?:[01]?\d|2[0-3]):[0-5]\d\b"  # a 24-hour clock time: "at 22:30 local time"
    r"|\b" + _NUM + r"[\s-]+" + _UNITS + r"\s+(?:ago|before|after|later|earlier)\b"
    r"|\bwithin\s+(?:the\s+next\s+)?(?:" + _NUM + r"[\s-]+)?" + _UNITS + r"\b"
    r"|\b(?:since|until|before|after)\s+the\s+(?:invasion|war|meeting|call|summit|election|attack)\b",
    re.IGNORECASE,
)
_DURATION_RE = re.compile(r"\b" + _NUM + r"[\s-]+" + _UNITS + r"\b|\b" + _UNIT + r"s?-long\b", re.IGNORECASE)
# "The games lasted 16 days", "the quake lasted between 500 and 600 seconds": a duration next to a verb of lasting
# measures what the sentence is about, which the relevance gate has already found to be the question's subject.
_LASTED_RE = re.compile(
    r"\blast(?:ed|ing|s)\s+(?:(?:for|about|nearly|almost|around|some|between|over|more than|less than|just|only)\s+)*"
    + _NUM + r"(?:\s+(?:and|to|or)\s+" + _NUM + r")?[\s-]+" + _UNITS + r"\b",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"\d|\$|%|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
# A place phrase: "in Rome", "into the Pyrenees"; "to X" only after a verb of going ("fled again to La Cruz Hill"),
# since "a gift to the British people" names no place.
_MOTION = (r"(?:fle[de]|flees|fleeing|went|go|goes|going|gone|moved?|moving|ran|run|runs|running|headed|heading|"
           r"head|heads|returned|returning|return|travell?ed|travell?ing|flew|flown|evacuated|sent|taken|brought|"
           r"escaped|retreated|relocated|deported|transferred|sailed|walked|marched|drove|driven|bound)")
_PLACE_RE = re.compile(
    r"(?:\b(?:in|at|from|near|inside|outside|across|within|throughout|off|into|onto|towards?)"
    r"|\b" + _MOTION + r"(?:\s+[a-z]+){0,2}?\s+to)"
    r"\s+(?:the\s+(?:[a-z][a-z-]*\s+){0,2}?)?([A-Z][A-Za-z’'-]+)"  # "ran to the now well-known La Cruz Hill"
)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|going to|scheduled|plans?|planned|expected|upcoming|next|tomorrow)\b", re.IGNORECASE
)
# "What weapons ...", "Which countries ...", "What kinds of equipment ...": the question asks for several things.
_LIST_QUESTION = re.compile(
    r"^\s*(?:what|which)\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?P<head>[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:did|do|does|were|are|was|is|has|have|had|would|will|could|can)\b",
    re.IGNORECASE,
)
# "What stuff / things / items did Russia ask for?": the head names no kind of thing, so any list may answer.
_ENUMERATION = re.compile(r"[^,;:]+,[^,;:]+,?\s+(?:and|or)\s+|\b(?:such as|including)\b|:\s*[^,]+,[^,]+,")


@dataclass(frozen=True)
class QuestionType:
    """What kind of answer a question wants, and how to say we have none."""

    name: str  # who | when | how_long | how_many | how_far | where | why | what
    label: str  # for refusals: "The articles don't say {label} ..."


_TYPES = [
    # "How many hours did they meet?" asks how long: a duration ("a seven-hour meeting") answers it
    (re.compile(r"\bhow\s+many\s+(?:seconds|minutes|hours|days|weeks|months|years|decades)\b", re.I),
     QuestionType("how_long", "how long")),
    (re.compile(r"\bhow\s+(?:many|much)\b", re.I), QuestionType("how_many", "how many or how much")),
    (re.compile(r"\bhow\s+long\b", re.I), QuestionType("how_long", "how long")),
    # "How far inside Iraqi waters ...?", "how big was the wave?": a measure, so a number ("1.7 nautical miles")
    (re.compile(r"\bhow\s+(?:far|big|high|deep|tall|large|wide|fast|heavy|strong|close)\b", re.I),
     QuestionType("how_far", "how far or how big")),
    (re.compile(r"\b(?:when|what\s+(?:time|date|day|year|month)|which\s+(?:day|date|year|month))\b", re.I),
     QuestionType("when", "when")),
    (re.compile(r"\b(?:who|whom|whose)\b", re.I), QuestionType("who", "who")),
    (re.compile(r"\bwhere\b", re.I), QuestionType("where", "where")),
    (re.compile(r"\b(?:why|what\s+for|for\s+what\s+reason)\b", re.I), QuestionType("why", "why")),
]
_GENERIC = QuestionType("what", "")


@dataclass(frozen=True)
class _Sentence:
    text: str
    source: str
    terms: frozenset[str]  # normalised content terms, plus the full names of the people it mentions
    tokens: tuple[str, ...]  # every normalised word, for BM25
    words: frozenset[str]  # lower-cased words as written, for typo repair
    title: bool = False
    people: frozenset[str] = frozenset()  # full names of the people it mentions ("Blinken" -> Antony Blinken)


@dataclass
class _Concept:
    """One content word of the question and the article terms that count as it (stem, repairs, variants)."""

    word: str
    alternatives: set[str] = field(default_factory=set)
    name: bool = False  # written with a capital in the question (not as its first word): a subject


def answer_question(
    question: str, articles: Sequence[Article], *, encoder: Any = None, semantic: Any = "auto"
) -> Answer:
    """Answer from the articles' own sentences (1-3, each cited), or say the articles don't say.

    ``encoder`` ranks; ``semantic`` is the sentence encoder of the second chance before a refusal: "auto" uses
    ``encoder`` when it is not TF-IDF, else MiniLM when the ml extra is installed; None turns it off.
    """
    asked = " ".join((question or "").split())
    if not asked:
        return Answer("", False, "The articles don't say anything to an empty question: ask one, e.g. "
                      "\"Who is involved?\"", ())
    if len(asked) > MAX_QUESTION_CHARS:
        return Answer(_clip(asked, 200), False,
                      f"The articles don't say: that question is {len(asked)} characters long; please ask it "
                      f"in under {MAX_QUESTION_CHARS} characters.", ())
    asked_fixed = _fix_wh_typo(_question_part(asked))
    kind = question_type(asked_fixed)
    if not articles:
        return _refuse(asked, kind, "there are no articles to draw on")
    topic = _Topic(articles)
    sentences = topic.sentences
    meaning = _semantic_encoder(encoder, semantic)  # MiniLM when the ml extra is installed, else None
    asked_fixed = _without_exclusion(asked_fixed)  # "besides Graner": Graner is not what the answer is about
    concepts = topic.concepts(_strip_type_phrase(asked_fixed), plain=meaning is None)
    if not sentences:
        return _refuse(asked, kind, "there are no articles to draw on")
    if not concepts:
        return _refuse(asked, kind, "the question names nothing to look for")

    n = len(sentences)
    weights = [_idf(max((topic.df.get(t, 0) for t in c.alternatives), default=0), n) for c in concepts]
    total = sum(weights)
    coverage = [
        sum(w for c, w in zip(concepts, weights, strict=True) if c.alternatives & s.terms) / total for s in sentences
    ]
    unseen = [c for c in concepts if not any(topic.df.get(t) for t in c.alternatives)]

    if meaning is None and names_missing_thing(asked_fixed, unseen):
        return _refuse(asked, kind, f"nothing in them mentions {_listing([c.word for c in unseen])}")
    relevant = [i for i, c in enumerate(coverage) if c >= MIN_COVERAGE]
    head = list_head(asked_fixed)
    kinds = _kinds_test(head, meaning) if head else None
    if head:  # "What equipment did Russia ask for?": a sentence listing equipment answers, whatever its verb
        relevant += [i for i, c in enumerate(coverage)
                     if MIN_PARTIAL <= c < MIN_COVERAGE and topic.lists(head, sentences[i], kinds)]
    # The question's specific parts (its people, "X's Y", "about Z") must be in an answering sentence too.
    speaks = topic.speaks_to(asked_fixed, concepts)
    dropped = [i for i in relevant if not speaks(sentences[i])]
    relevant = [i for i in relevant if i not in dropped]
    if all(sentences[i].title for i in relevant) and not any(c.name for c in unseen):
        # No body sentence meets the question's words (a name the articles never use means they are not about
        # its subject: no second chance). Sentences that share part of it and mean the same may answer, when
        # the part they share is more than the topic's common words.
        specific = topic.specific(concepts)
        body = [i for i in range(n) if not sentences[i].title and speaks(sentences[i])]
        bars = {i: SEMANTIC_MIN if sentences[i].terms & specific else SEMANTIC_COMMON_MIN for i in body}
        partial = coverage
        if unseen:
            # A word the articles never use ("soldiers" where they say "troops") is the encoder's to match: it
            # weighs nothing in the partial match that admits a sentence to the second chance.
            seen_total = sum(w for c, w in zip(concepts, weights, strict=True) if c not in unseen)
            partial = [c * total / seen_total for c in coverage] if seen_total else coverage
        if meaning is None:  # a plain install (no sentence encoder): a partial word match (summarizer.qa_lexical)
            terms_of = {i: sentences[i].terms for i in bars}
            close = lexical_chance(concepts, unseen, partial, terms_of, specific)  # names_missing_thing: refused above
        else:
            close = _second_chance(asked_fixed, sentences, partial, bars, meaning)
        relevant = sorted(set(relevant) | set(close))
    lasting = []
    if kind.name == "how_long":  # "how long did the ground shake?": "This earthquake lasted 500 seconds"
        for i, s in enumerate(sentences):
            lasted = None if s.title or not MIN_PARTIAL <= coverage[i] < MIN_COVERAGE else _LASTED_RE.search(s.text)
            if lasted is None or not speaks(s):
                continue
            # what lasted must be the question's: the sentence meets a word of it besides the verb of lasting ("how
            # long did the fair go on?" shares only "lasted" with "The earthquake lasted ...")
            rest = s.terms - {topic.term(w) for w in tokens(lasted.group(0))}
            if any(c.alternatives & rest for c in concepts):
                lasting.append(i)
        if lasting and meaning is not None:
            cosine = _cosines(asked_fixed, [sentences[i].text for i in lasting], meaning)
            lasting = [i for k, i in enumerate(lasting) if cosine[k] >= LASTED_SEMANTIC_MIN]
    if not relevant and not lasting:
        reason = f"nothing in them mentions {_listing([c.word for c in unseen])}" if unseen else None
        return _refuse(asked, kind, reason)
    typed = [i for i in relevant if matches_type(kind, sentences[i].text, asked)]
    if any(not sentences[i].title for i in typed):  # a headline only answers when no body sentence does
        typed = [i for i in typed if not sentences[i].title]
    if kind.name in ("how_many", "how_long"):  # the number or duration must be the question's, not another thing's
        verdict = topic.quantified(asked_fixed, kind, concepts, [sentences[i].text for i in typed], meaning)
        typed = [i for i, ok in zip(typed, verdict, strict=True) if ok]
    role = asked_role(asked_fixed) if kind.name == "who" else None
    if role:  # "Who is the Russian judge?": the role, with its qualifiers, next to the name of its holder
        holds = topic.holds_role(role, asked)
        typed = [i for i in typed if holds(sentences[i])]
    if not typed:
        typed = lasting
        relevant = sorted(set(relevant) | set(lasting))
    if not typed:
        return _refuse(asked, kind, f"no sentence about this gives the {kind.label} part" if kind.label else None)

    terms = sorted({t for c in concepts for t in c.alternatives})
    answering = set(relevant)
    if meaning is not None:
        # The question is answered: near misses that pass every gate but the word coverage compete for the
        # citation, ranked with the sentence encoder (``summarizer.qa_rank``).
        near = sorted((i for i in range(n) if i not in answering and not sentences[i].title
                       and coverage[i] >= WIDE_MIN_COVERAGE and speaks(sentences[i])
                       and matches_type(kind, sentences[i].text, asked)), key=lambda i: (-coverage[i], i))[:WIDE_POOL]
        if near and kind.name in ("how_many", "how_long"):
            verdict = topic.quantified(asked_fixed, kind, concepts, [sentences[i].text for i in near], meaning)
            near = [i for i, ok in zip(near, verdict, strict=True) if ok]
        if role:
            near = [i for i in near if holds(sentences[i])]
        typed = sorted(set(typed) | set(near))
        if any(not sentences[i].title for i in typed):  # a headline is cited only when no body sentence competes
            typed = [i for i in typed if not sentences[i].title]
    # Scored with the sentences the specific-parts gate dropped: a TF-IDF encoder fits on the pool it scores,
    # and the ranking of the sentences that remain should not depend on what was dropped.
    scored = [i for i in dropped if matches_type(kind, sentences[i].text, asked)]
    if typed and not sentences[typed[0]].title:  # the same headline rule as for the answering sentences
        scored = [i for i in scored if not sentences[i].title]
    scored = sorted(set(typed) | set(scored))
    kept = set(typed)
    # With a sentence encoder the blend reads words with TF-IDF and meaning with the encoder, whichever ranks
    # (a MiniLM ranking encoder would otherwise count twice and drown the word match).
    scores = _scores(asked, terms, sentences, coverage, scored, None if meaning is not None else encoder, meaning, kept)
    scores = {i: v for i, v in scores.items() if i in kept}
    if kind.name == "why":  # prefer sentences that give a reason, without requiring one
        scores = {i: v + reason_bonus(sentences[i].text) for i, v in scores.items()}
    specific = rarest([c.alternatives for c in concepts], topic.df)  # the question's rarest word
    scores = {i: v + (RAREST_BONUS if specific & sentences[i].terms else 0.0) for i, v in scores.items()}
    if role:  # "Who is the national security adviser?": a name next to the role, not a mention of the role
        named = topic.names_holder(role, asked)
        scores = {i: v + (ROLE_BONUS if named(sentences[i]) else 0.0) for i, v in scores.items()}
    if _FUTURE_RE.search(asked):  # "when will..." wants the plan, not the last time it happened
        scores = {i: v + (0.1 if _FUTURE_RE.search(sentences[i].text) else 0.0) for i, v in scores.items()}
    together = topic.phrase_bonus(asked_fixed)
    scores = {i: v + (0.1 if together(sentences[i]) else 0.0) for i, v in scores.items()}
    tier = dict.fromkeys(typed, 2)
    if head:  # the sentences that list instances of X come first, best first among them; first of all, those
        # whose items are kinds of X ("missiles, drones" for "weapons"), since a sentence may say X and list
        # other things ("its calls for negotiations and its donations ... sending weapons")
        tier.update({i: 1 for i in typed if topic.lists(head, sentences[i], kinds)})
        if kinds is not None:
            tier.update({i: 0 for i in typed if tier[i] == 1 and kinds(listed_items(sentences[i].text)) >= 2})
    wanted = object_asked(asked_fixed, is_content) if kind.name == "what" else None
    gives = topic.gives_object(wanted, concepts) if wanted else None
    # "What did Russia ask China for?": a sentence in which Russia asks for something comes first (after the lists
    # of "What stuff did ...?"), not one that mentions the request ("grant Russia's request")
    given = {i: 0 if gives and i in answering and gives(sentences[i]) else 1 for i in typed}
    ranked = sorted(typed, key=lambda i: (tier[i], given[i], -scores[i], i))
    # the objects of the asking answer together, whatever their scores ("military assistance", "economic aid", "five
    # types of equipment: ..."), when the first is one
    objects = {i for i in typed if given[i] == 0} if given[ranked[0]] == 0 else set()
    chosen = _pick(ranked, scores, sentences, objects)
    citations = tuple(Citation(sentences[i].source, sentences[i].text) for i in chosen)
    return Answer(asked, True, topic.people_in_full([c.text for c in citations]), citations)


class _Topic:
    """The candidate sentences of a topic, their vocabulary, and its people and acronyms."""

    def __init__(self, articles: Sequence[Article]) -> None:
        from summarizer.entities import analyse_entities

        self.people = analyse_entities(articles).people
        raw = _raw_candidates(articles)
        self.vocabulary: set[str] = {w for text, _, _ in raw for w in tokens(text)}
        self.acronyms = acronyms(text for text, _, _ in raw)
        self.sentences = [self._sentence(text, source, title) for text, source, title in raw]
        self.df: Counter[str] = Counter(t for s in self.sentences for t in s.terms)
        self.sentences = _with_referents(self.sentences, self.term)
        per_article: dict[str, set[str]] = {}
        for s in self.sentences:
            per_article.setdefault(s.source, set()).update(s.terms)
        self.common = common_terms(list(per_article.values()))

    def term(self, word: str) -> str:
        return stem(base_form(word, self.vocabulary))

    def _sentence(self, text: str, source: str, title: bool) -> _Sentence:
        words = tokens(text)
        terms = {self.term(w) for w in words if is_content(w)}
        terms |= {_VISIT + self.term(place) for place in _places_visited(text)}  # "a meeting ... in Moscow"
        people = set()
        for _, _, person in self.people.find(text):  # "Mr Wang" also counts as "Wang Yi"
            terms.update(self.term(w) for w in tokens(person.name))
            people.add(person.name)
        return _Sentence(text, source, frozenset(terms), tuple(self.term(w) for w in words), frozenset(words), title,
                         frozenset(people))

    def lists(self, head: str, sentence: _Sentence, kinds: Callable[[list[str]], int] | None = None) -> bool:
        """Does the sentence list instances of the X of "What X did ...?" (it enumerates and mentions X; any
        enumeration for "What stuff / items did ...?", whose X names no kind of thing)? A list that never says X
        counts when two or more of its items are kinds of X (``kinds``: "missiles, drones, armored vehicles" for
        "weapons")."""
        if not enumerates(sentence.text):
            return False
        if head in GENERIC_NOUNS or self.term(head) in sentence.terms:
            return True
        kind = _PLACE_CLASSES.get(head.split()[-1])  # "which countries ...": a list of countries need not say so
        if kind is not None and len(_places_named(sentence.text, kind)) >= 2:
            return True
        return kinds is not None and kinds(listed_items(sentence.text)) >= 2

    def gives_object(self, wanted: Any, concepts: Sequence[_Concept]) -> Callable[[_Sentence], bool]:
        """A test, for "What did X VERB (Y) (for)?" (``summarizer.qa_focus.object_asked``), of whether the question's
        verb (or a word of its group: "requested" for "asked"), with X as its subject, takes an object that brings
        words the question lacks in a sentence: "Russia is said to have asked for military assistance" does, "China
        was inclined to grant Russia's request" does not."""
        alternatives = {c.word: c.alternatives for c in concepts}
        verb = alternatives.get(wanted.verb, {self.term(wanted.verb)})
        asked = {t for c in concepts for t in c.alternatives}
        subject: set[str] = set()
        for word in wanted.subject[-1:]:  # its head: "union" of "the farmers union"
            subject |= alternatives.get(word, {self.term(word)})
            subject |= {self.term(f) for f in owner_forms(word)}  # "Moscow" for Russia
            person = self.people.resolve_tokens([word])
            if person:
                subject.add(self.term(tokens(person.name)[-1]))

        def is_subject(word: str) -> bool:
            term = self.term(word)
            return any(same_root(term, s) for s in subject)

        def new_words(span: list[str]) -> bool:
            return any(self.term(w) not in asked and not is_subject(w)
                       for piece in span for w in tokens(piece) if is_content(w) and w not in _QUESTION_NOISE)

        def gives(sentence: _Sentence) -> bool:
            return any(new_words(span) for span in verb_objects(sentence.text, lambda w: self.term(w) in verb,
                                                                 is_subject if subject else None))

        return gives

    def specific(self, concepts: Sequence[_Concept]) -> frozenset[str]:
        """The article terms of the question's concepts that are not the topic's common words."""
        out: set[str] = set()
        for concept in concepts:
            seen = {t for t in concept.alternatives if self.df.get(t)}
            if seen and not seen <= self.common:
                out |= seen
        return frozenset(out)

    def speaks_to(self, question: str, concepts: Sequence[_Concept]) -> Any:
        """A test of whether a sentence holds the question's specific parts (``summarizer.qa_focus``).

        Each person the question names must be in the sentence; "X's Y" needs both X (or its adjective:
        "Taiwanese") and Y; "about Z" must be met by one of Z's words; in "What did X say?", X's last word.
        A part whose words the articles never use is left to the other gates (coverage, the second chance).
        """
        asked_people = {person.name for _, _, person in self.people.find(question)}
        surnames = {name: self.term(tokens(name)[-1]) for name in asked_people if tokens(name)}
        alternatives = {c.word: c.alternatives for c in concepts}

        def terms_of(word: str) -> set[str]:
            return {t for t in alternatives.get(word, {self.term(word)}) if self.df.get(t)}

        focus = question_focus(question, lambda w: is_content(w) and w not in _QUESTION_NOISE)
        pairs = []
        for owner, thing in focus.pairs:
            person = self.people.resolve_tokens([owner])
            owners = terms_of(owner) | ({self.term(w) for w in tokens(person.name)} if person else set())
            owners |= {self.term(w) for form in owner_forms(owner) for w in tokens(form)[-1:]}
            things = terms_of(thing)
            if owners and things:
                pairs.append((owners, things))
        about = [terms_of(w) for w in focus.about]
        about_terms = set().union(*about) if about and all(about) else set()
        speaker = terms_of(focus.speaker) if focus.speaker else set()

        def speaks(sentence: _Sentence) -> bool:
            if any(name not in sentence.people and surname not in sentence.terms for name, surname in surnames.items()):
                return False
            for owners, things in pairs:
                if not (things & sentence.terms and any(same_root(t, o) for t in sentence.terms for o in owners)):
                    return False
            if speaker and not speaker & sentence.terms:
                return False
            return not about_terms or bool(about_terms & sentence.terms)

        return speaks

    def quantified(
        self, question: str, kind: QuestionType, concepts: Sequence[_Concept], texts: Sequence[str], encoder: Any
    ) -> list[bool]:
        """Whether each text's number (or duration) quantifies what the question asks about
        (``summarizer.qa_focus.quantified_words``): for "How many X did ... V", X or V ("25 arrests" answers
        "How many people were arrested?", "five types of equipment" does not answer "How many missiles ...?");
        for "how long", a word of the question next to the duration. Names do not count ("six houses in Leeds"
        does not count Leeds police officers). "How much ...?" also takes a sum of money; "How many people ...?" also
        the verb right before the number ("arrested ten US nationals"), since any noun may name people. When the words
        differ, the sentence encoder (if any) may still find them the same thing ("troops killed" for "soldiers
        died") at QUANTITY_SEMANTIC_MIN."""
        alternatives = {c.word: c.alternatives for c in concepts if not c.name}

        def terms(words: Sequence[str]) -> set[str]:
            return {t for w in words if w in alternatives for t in alternatives[w]}

        words = list(alternatives)
        counted = counted_thing(question) if kind.name == "how_many" else None
        sum_asked = people = False
        if counted is not None:
            thing, rest = counted
            words = [w for w in thing if w in alternatives] + [w for w in rest if w in alternatives][:1]
            sum_asked = asks_amount(question)
            people = counts_people(thing)
        asked = terms(words)
        before = QUANTITY_BEFORE if kind.name == "how_long" else 0
        found = [quantified_words(text, before, verb_before=people) for text in texts]
        lasting = kind.name == "how_long"
        verdict = [
            (sum_asked and money(text)) or (lasting and bool(_LASTED_RE.search(text)))
            or any(self.term(w) in asked for ws in groups for w in ws)
            for text, groups in zip(texts, found, strict=True)
        ]
        doubtful = sorted({" ".join(ws) for ok, groups in zip(verdict, found, strict=True) if not ok
                           for ws in groups if ws})
        if doubtful and words and encoder is not None:
            cosine = dict(zip(doubtful, _cosines(" ".join(words), doubtful, encoder), strict=True))
            verdict = [ok or any(cosine.get(" ".join(ws), 0.0) >= QUANTITY_SEMANTIC_MIN for ws in groups)
                       for ok, groups in zip(verdict, found, strict=True)]
        if counted is not None:  # "How many Chinese troops ...?" is not answered by "7,000 Russian troops"
            verdict = [ok and not self._other_nationality(counted[0], text)
                       for ok, text in zip(verdict, texts, strict=True)]
        return verdict

    def _other_nationality(self, thing: Sequence[str], text: str) -> bool:
        """Whether every mention of the counted noun in ``text`` is qualified by another nationality than the one
        the question gives it ("Russian troops" for "Chinese troops"); False when the question gives none."""
        asked = {w for w in thing[:-1] if _is_nationality(w)}
        if not asked:
            return False
        allowed = {f for w in asked for f in owner_forms(w)}
        noun = self.term(thing[-1])
        words = tokens(text)
        places = [i for i, w in enumerate(words) if self.term(w) == noun]
        if not places:
            return False
        for i in places:
            near = {w for w in words[max(0, i - 3):i] if _is_nationality(w)}
            if not near or near & allowed:
                return False
        return True

    def _role_terms(self, role: Any) -> set[str]:
        """The terms of a role word and of its one-edit spellings in the articles ("spokesmen", "spokesman")."""
        return {self.term(role.word)} | {self.term(w) for w in _near_spellings(role.word, self.vocabulary)}

    def _new_name_terms(self, sentence: _Sentence, asked: set[str]) -> set[str]:
        """The terms of the names in ``sentence`` that the question (its stems ``asked``) does not use."""
        return {self.term(w) for name in names(sentence.text) if _is_new_name(name, asked)
                for w in tokens(name) if stem(w) not in asked and is_content(w)}

    def holds_role(self, role: Any, question: str) -> Any:
        """A test of whether a sentence names the holder of the role a "Who is the ... ROLE?" question asks for
        (``summarizer.qa_focus.role_held``): the role word itself (or its typo), its qualifiers ("Russian",
        "China's", as the country's other names too) right before it, and a name the question does not use."""
        roles = self._role_terms(role)
        forms = {q: {self.term(q)} | {self.term(w) for f in owner_forms(q) for w in tokens(f)[-1:]}
                 for q in role.qualifiers}
        asked = {stem(w) for w in tokens(question)}

        def qualifies(term: str, qualifier: str) -> bool:
            return any(same_root(term, f) for f in forms[qualifier])

        def holds(sentence: _Sentence) -> bool:
            new_names = self._new_name_terms(sentence, asked)
            return role_held(role, list(sentence.tokens), roles.__contains__, qualifies,
                             lambda j: sentence.tokens[j] in new_names)

        return holds

    def names_holder(self, role: Any, question: str) -> Any:
        """A test of whether a sentence names someone right next to the role of "Who is the ... ROLE?" (a name the
        question does not use within ROLE_NAME_NEAR words of the role word): "national security adviser Jake
        Sullivan" does, "our national security adviser ..., Jen Psaki said" does not. For the ranking only."""
        roles = self._role_terms(role)
        asked = {stem(w) for w in tokens(question)}

        def named(sentence: _Sentence) -> bool:
            new_names = self._new_name_terms(sentence, asked)
            words = sentence.tokens
            return any(words[k] in new_names for j, w in enumerate(words) if w in roles
                       for k in range(max(0, j - ROLE_NAME_NEAR), min(len(words), j + ROLE_NAME_NEAR + 1)))

        return named

    def phrase_bonus(self, question: str) -> Any:
        """A test of whether a sentence writes each "X's Y" of the question as a phrase ("China's foreign
        ministry", "the ministry of China") rather than X here and Y elsewhere: such a sentence ranks first."""
        focus = question_focus(question, lambda w: is_content(w) and w not in _QUESTION_NOISE)
        pairs = [({self.term(w) for form in owner_forms(owner) for w in tokens(form)[-1:]}, {self.term(thing)})
                 for owner, thing in focus.pairs]

        def together(sentence: _Sentence) -> bool:
            return bool(pairs) and all(
                near(sentence.tokens, lambda t, o=owners: any(same_root(t, x) for x in o), things.__contains__)
                for owners, things in pairs
            )

        return together

    def concepts(self, question: str, plain: bool = False) -> list[_Concept]:
        """The question's content words, each with the article terms that count as it.

        The particle of a phrasal verb carries its meaning too ("getting together", whose verb is question noise,
        is "meet"; "handing the money back" is "return" in both its words); function words typed without their
        apostrophe ("didnt") or missing from the stop list ("besides") and idioms of time ("in the end") name
        nothing. ``plain`` (no sentence encoder: words alone must meet) also reads ``summarizer.everyday``'s wider
        tables."""
        question = without_adverbials(question)
        capitalised = _capitalised_words(question)
        words = tokens(question)
        meanings = phrasal(words, wide=plain)  # "chipping in" is "contribute", whether or not they say "chip"
        asked = [w for w in _question_words(question) if not function_word(w)]
        found: list[_Concept] = []
        for word in asked:
            concept = _Concept(word, {self.term(word)}, name=word in capitalised)
            concept.alternatives |= {self.term(w) for w in meanings.get(word, ())}
            if word in _VISIT_WORDS:  # "visit Moscow" meets "a meeting between Putin and Xi in Moscow"
                concept.alternatives |= {_VISIT + self.term(w) for w in words if canonical_place(w.capitalize())}
            if not concept.name:  # "talked" is "spoke", "asked" is "requested", whichever the articles use
                concept.alternatives |= {self.term(w) for w in same(word)}
            if not any(self.df.get(t) for t in concept.alternatives):
                concept.alternatives |= self._repairs(word, plain)
            found.append(concept)
        for _, _, person in self.people.find(question):  # "Mr Wang" in the question: Wang Yi's sentences too
            for word in tokens(person.name):
                if not any(c.word == word for c in found):
                    found.append(_Concept(word, {self.term(word)}, name=True))
        return found

    def _repairs(self, word: str, plain: bool = False) -> set[str]:
        """Terms a word the articles never use may stand for: an everyday word's news word
        (``summarizer.everyday``, its wider table on a ``plain`` install), a typo, an acronym, a longer or shorter
        form."""
        out: set[str] = {self.term(w) for w in everyday(word, wide=plain)}  # "kids" -> children, "cops" -> police
        snapped = _snap(word, self.vocabulary)
        if snapped != word:
            out.add(self.term(snapped))
        if word in self.acronyms:
            out.update(self.term(w) for w in self.acronyms[word] if is_content(w))
        thousands = re.fullmatch(r"(\d{1,3})k", word)  # chat's "10k" is the articles' "10,000"
        if thousands:
            out.add(self.term(thousands.group(1)))
        if plain:  # "old" where the articles only say "oldest"
            out.update(self.term(w) for w in superlatives(word, self.vocabulary))
        key = self.term(word)
        if len(key) >= 5 and not word.isdigit():  # partial: "Medeiros'" ~ "medeiros", "sanction" ~ "sanctions"
            out.update(t for t in self.df if len(t) >= 5 and (t.startswith(key) or key.startswith(t)))
        return out

    def people_in_full(self, texts: Sequence[str]) -> str:
        """The cited sentences as one answer, each person named in full at first mention: "Mr Wang [Wang Yi]".

        A cited line without closing punctuation (a caption, a subheading) gets a period, or it would run into
        the next citation as one sentence ("... between China and the US Foreign Ministry spokesman ...")."""
        full = self.people.in_full(texts)
        return " ".join(t if _CLOSED.search(t) or i == len(full) - 1 else f"{t}." for i, t in enumerate(full))


# "When will Xi visit Moscow?": a visit to a place is also a meeting, a summit, talks or a trip there ("A meeting
# between Putin and Xi in Moscow next Thursday"). The place of such a gathering is a term of its sentence, which the
# question's "visit" (trip, travel) with that place meets; whose visit it is stays the people gate's to check.
_VISIT = "visit@"
_VISIT_WORDS = wordset("visit visits visited visiting trip trips travel travels travelled traveled travelling")
_GATHERING = (r"(?:visit(?:s|ed|ing)?|trips?|travel(?:s|led|ed|ling|ing)?|meetings?|meet(?:s|ing)?|met|summits?|"
              r"talks)")
_PLACE_NAME = r"([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)"
_GATHERING_IN = re.compile(r"\b" + _GATHERING + r"\b(?:\s+[\w'-]+){0,5}?\s+(?:in|to)\s+" + _PLACE_NAME)
_PLACE_GATHERING = re.compile(_PLACE_NAME + r"(?:['\u2019]s)?\s+" + _GATHERING + r"\b")


def _places_visited(sentence: str) -> set[str]:
    """The gazetteer places of the gatherings a sentence tells of ("meeting ... in Moscow", "the Beijing trip")."""
    found = set()
    for pattern in (_GATHERING_IN, _PLACE_GATHERING):
        for match in pattern.finditer(sentence):
            for name in (match.group(1), match.group(1).split()[0]):
                place = canonical_place(name)
                if place:
                    found.add(place.lower())
                    break
    return found


def list_head(question: str) -> str | None:
    """The X of "What X did...", "Which X were...", "What kinds of X...": the question asks for instances of X."""
    found = _LIST_QUESTION.search(question)
    if not found:
        return None
    head = found.group("head").split()[-1].lower()
    return None if head in STOP_WORDS or not is_content(head) else head


# A list head that names a class of places, and the gazetteer entries that are its members.
_PLACE_CLASSES = {"countries": COUNTRIES, "nations": COUNTRIES, "cities": PLACES, "towns": PLACES, "places": PLACES,
                  "regions": PLACES}
PLACE_MAX_WORDS = 3  # the most words of a gazetteer place ("United Arab Emirates")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*")


def _places_named(sentence: str, members: frozenset[str]) -> set[str]:
    """The distinct gazetteer places of ``members`` the sentence names ("the U.S." is the United States)."""
    found = set()
    for run in _CAPITALISED_RUN.findall(sentence):
        words = run.split()
        for size in range(min(len(words), PLACE_MAX_WORDS), 0, -1):  # "New Zealand" before "Zealand"
            for start in range(len(words) - size + 1):
                name = " ".join(words[start:start + size]).rstrip(".,")
                place = canonical_place(name) or canonical_place(name + ".")  # "U.S.," was cut to "U.S"
                if place in members:
                    found.add(place)
    return found


_ITEM_SPLIT = re.compile(r"\s*(?:[,;:]|\band\b|\bor\b|\bsuch as\b|\binclud(?:e|es|ed|ing)\b)\s*", re.IGNORECASE)
ITEM_MAX_WORDS = 3  # a longer piece between commas is a clause, not an item of the list
_ITEM_LEAD = wordset("the a an some several many even other more")


def listed_items(sentence: str) -> list[str]:
    """The short pieces of a sentence between commas, "and", "or", "such as", "including" (the items of its lists):
    "requested five types of equipment: surface-to-air missiles, drones, armored vehicles" ->
    ["surface-to-air missiles", "drones", "armored vehicles"]."""
    items = []
    for piece in _ITEM_SPLIT.split(sentence):
        words = [w for w in piece.strip(" .\"'()").split() if w.lower() not in _ITEM_LEAD]
        if 1 <= len(words) <= ITEM_MAX_WORDS and any(is_content(w.lower()) for w in words):
            items.append(" ".join(words))
    return items


# The list rule's semantic bar (MiniLM, a class noun and a listed item): "weapons" ~ "missiles" 0.63, ~ "armored
# vehicles" 0.54, "equipment" ~ "drones" 0.48 pass; "weapons" ~ "intelligence" 0.31, "agencies" ~ "hospital" 0.35,
# "dignitaries" ~ "Prince Charles" 0.40 do not.
KIND_SEMANTIC_MIN = 0.45
# Distinct list items one question may send to the sentence encoder (a few seconds of MiniLM on a CPU): on a topic of
# thousands of listing sentences the test stops there, and later items count as no kind of X.
KIND_ITEMS_MAX = 2000


def _kinds_test(head: str, encoder: Any) -> Callable[[list[str]], int] | None:
    """How many of a list's items are kinds of ``head`` (the X of "What X did ...?"), under the sentence encoder;
    None without one."""
    if head in GENERIC_NOUNS:
        return None
    if encoder is None:  # a plain install: the everyday table of class nouns and their kinds
        members = kinds_of(head)
        if not members:
            return None
        return lambda items: sum(1 for i in dict.fromkeys(items) if stem(tokens(i)[-1]) in members)
    seen: dict[str, bool] = {}

    def kinds(items: list[str]) -> int:
        new = sorted({i for i in items if i not in seen})
        if len(seen) + len(new) > KIND_ITEMS_MAX:  # bounded by the budget, not by the topic's size
            for item in new:
                seen[item] = False
            new = []
        if new:  # the item or its last word, its noun ("surface-to-air missiles": "missiles")
            nouns = [i.split()[-1].split("-")[-1] for i in new]
            cosine = dict(zip(new + nouns, _cosines(head, new + nouns, encoder), strict=True))
            for item, noun in zip(new, nouns, strict=True):
                seen[item] = max(float(cosine[item]), float(cosine[noun])) >= KIND_SEMANTIC_MIN
        return sum(1 for i in dict.fromkeys(items) if seen[i])

    return kinds


def enumerates(sentence: str) -> bool:
    """Does the sentence list several things ("drones, missiles and armored vehicles", "such as ...")?"""
    return bool(_ENUMERATION.search(sentence))


def question_type(question: str) -> QuestionType:
    """The earliest wh-phrase decides ("Tell me who met Xi, and when?" is a who question)."""
    best: tuple[int, QuestionType] | None = None
    for pattern, kind in _TYPES:
        found = pattern.search(question)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), kind)
    return best[1] if best else _GENERIC


def _question_part(text: str) -> str:
    """In "Some context. Who led it?", the sentences ending in "?" are the question; context dilutes it."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", text) if p.strip()]
    asked = [p for p in parts if p.endswith("?")]
    return " ".join(asked) if asked and len(parts) > 1 else text


_WH = ("who", "when", "where", "why", "what", "which", "how", "whom", "whose")


# Real words one letter from a wh-word: "were there any children on board?" asks yes or no, not where.
_NOT_WH_TYPOS = wordset("were here there wear ware hoe hot hew whet whey thaw")


def _fix_wh_typo(question: str) -> str:
    """A misspelt first question word ("Whn did...", "hwo many") still sets the question type."""
    from rapidfuzz.distance import Levenshtein

    first, _, rest = question.partition(" ")
    word = first.lower()
    if word in _WH or word in _NOT_WH_TYPOS or len(word) < 3 or not rest:
        return question
    for wh in _WH:
        if Levenshtein.distance(word, wh, weights=(1, 1, 1)) <= 1 or sorted(word) == sorted(wh):
            return f"{wh} {rest}"
    return question


# "How many soldiers were found guilty besides Graner?", "what else did they do apart from the dogs?": the excluded
# person or thing is not what the answer is about, and an answering sentence need not name it.
_EXCLUSION = re.compile(
    r"\b(?:besides|except(?:\s+for)?|other\s+than|apart\s+from|aside\s+from|excluding)\s+"
    r"(?:(?:the|a|an|his|her|their|its|mr|mrs|ms)\s+)?[\w'.-]+(?:\s+(?-i:[A-Z])[\w'.-]*)*",
    re.IGNORECASE,
)


def _without_exclusion(question: str) -> str:
    return _EXCLUSION.sub(" ", question)


def _strip_type_phrase(question: str) -> str:
    """Remove the wh-phrase itself: "long" in "how long" or "year" in "what year" is not a topic word."""
    for pattern, _kind in _TYPES:
        question = pattern.sub(" ", question)
    return question


def _capitalised_words(question: str) -> set[str]:
    """Lower-cased words written with a capital, except the question's first word ("Who", "Did")."""
    words = _WORD.findall(question)
    return {tokens(w)[0] for w in words[1:] if w[:1].isupper() and tokens(w)}


def matches_type(kind: QuestionType, sentence: str, question: str = "") -> bool:
    """Does the sentence hold the kind of thing the question asks for?"""
    if kind.name == "when":
        return bool(_TIME_RE.search(sentence))
    if kind.name == "how_long":
        return bool(_DURATION_RE.search(sentence))
    if kind.name in ("how_many", "how_far"):
        return bool(_NUMBER_RE.search(sentence))
    if kind.name == "where":
        return any(m.group(1).lower() not in _NOT_PLACES for m in _PLACE_RE.finditer(sentence))
    if kind.name == "who":
        asked = {stem(w) for w in tokens(question)}
        return any(_is_new_name(name, asked) for name in names(sentence))
    return True


_NOT_PLACES = frozenset(set(MONTHS) | set(WEEKDAYS) | {"the", "a", "an", "he", "she", "it", "they", "this", "that"})


# Capitalised runs that look like names; the sentence-initial word alone is just capitalised.
_NAME = re.compile(r"\b[A-Z][a-z'.-]*[a-z](?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z'-]+)*|\b[A-Z]{2,}\b")
_NOT_NAMES = wordset(
    """the a an but and or so he she it they we i you his her its their this that these those there here
    however meanwhile after before when while if as on in at for of to with by from mr mrs ms dr sir
    president officials official secretary"""
)


def names(sentence: str) -> list[str]:
    """Capitalised runs that look like names ("Jake Sullivan", "NATO"); a lone first word is not one."""
    found = []
    start = len(sentence) - len(sentence.lstrip(" \"'(-"))
    for match in _NAME.finditer(sentence):
        text = match.group(0)
        if match.start() <= start and " " not in text.strip():
            continue
        if text.lower() in MONTHS or text.lower() in WEEKDAYS or text.lower() in _NOT_NAMES:
            continue
        found.append(text)
    return found


def _is_new_name(name: str, asked: set[str]) -> bool:
    """A name the question does not use: "Haitian" is not new to a question about Haiti."""
    words = [w for w in tokens(name) if w not in STOP_WORDS and w not in ("president", "officials", "official")]
    return bool(words) and any(
        stem(w) not in asked and not any(len(a) >= 4 and same_root(stem(w), a) for a in asked) for w in words
    )


# Noise only before "about": "what did they talk about?" asks what was said, "how long did they talk?" asks
# about the talking ("spoke for nearly two hours").
_NOISE_BEFORE_ABOUT = wordset("talk talks talked talking")


def _question_words(question: str) -> list[str]:
    seen: list[str] = []
    words = tokens(question)
    for i, word in enumerate(words):
        if not is_content(word) or word in _QUESTION_NOISE or word in seen:
            continue
        if word in _NOISE_BEFORE_ABOUT and words[i + 1:i + 2] == ["about"]:
            continue
        seen.append(word)
    return seen


def _snap(word: str, vocabulary: set[str]) -> str:
    """The article word closest to a question word the articles never use, if it is a likely typo.

    A typo is one edit (insert, delete, substitute or swap two letters) in a word of 5-7 letters, two in a
    longer word; shorter words are too easy to confuse ("moon"/"mood") to guess.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    allowed = 0 if len(word) < 5 else 1 if len(word) < 8 else 2
    if word in vocabulary or not allowed or word.isdigit():
        return word
    # sorted: among equally close words the pick must not depend on set order (hash seed)
    match = process.extractOne(word, sorted(vocabulary), scorer=OSA.distance, score_cutoff=allowed)
    return match[0] if match is not None else word


def _is_nationality(word: str) -> bool:
    """"russian", "us": a nationality or country adjective (``gazetteer.NATIONALITIES``, written capitalised)."""
    return word.capitalize() in NATIONALITIES or word.upper() in NATIONALITIES


def _near_spellings(word: str, vocabulary: set[str]) -> list[str]:
    """Article words one edit from ``word`` (5 letters or more): "spokesmen" for "spokesman", not "ministry" for
    "minister" (two edits, another thing)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    if len(word) < 5:
        return []
    return [m[0] for m in process.extract(word, sorted(vocabulary), scorer=OSA.distance, score_cutoff=1, limit=None)]


def _idf(df: int, n: int) -> float:
    """BM25-style IDF; a term no sentence contains gets the highest weight (df = 0)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _raw_candidates(articles: Sequence[Article]) -> list[tuple[str, str, bool]]:
    """(text, article id, is title) for each distinct, sentence-like line of the articles and each title."""
    from summarizer.text import split_sentences

    seen: set[str] = set()
    found: list[tuple[str, str, bool]] = []
    for article in articles:
        title = " ".join((article.title or "").split())
        pieces = [(title, True)] if title else []
        pieces += [(s.strip(), False) for s in split_sentences(article.body) if s.strip()]
        for text, is_title in pieces:
            key = " ".join(tokens(text))
            if not key or key in seen or not (_title_like(text) if is_title else _sentence_like(text)):
                continue
            seen.add(key)
            found.append((text, article.id, is_title))
    return found


PRONOUN_REACH = 2  # sentences back where a pronoun's person may have been named ("Graner, 36, ... He ... him")
_PERSONAL = wordset("he him his she her hers")


def _with_referents(sentences: list[_Sentence], term: Callable[[str], str]) -> list[_Sentence]:
    """Each body sentence with "he", "him", "his", "she" or "her" and no name of its own also holds the names of the
    people of the nearest sentence before it in its article (at most PRONOUN_REACH back) that names people: "the
    jury took five hours to find him guilty" is about Graner when the sentence before names him, and answers "how
    long did the jury deliberate on Graner?". The names count for matching the question only (the topic's word
    counts are taken before)."""
    out = list(sentences)
    for i, s in enumerate(sentences):
        if s.title or s.people or not (_PERSONAL & set(s.words)):
            continue  # a sentence that names someone itself is about them ("... Blinken to cancel ..., and he ...")
        for back in range(i - 1, max(-1, i - 1 - PRONOUN_REACH), -1):
            before = sentences[back]
            if before.source != s.source or before.title:
                break
            if before.people:
                names = {term(w) for name in before.people for w in tokens(name)}
                out[i] = replace(s, terms=s.terms | names)
                break
    return out


def _candidates(articles: Sequence[Article]) -> list[_Sentence]:
    """The sentences (and titles) an answer may cite, for benchmarks and tools that rank them."""
    return _Topic(articles).sentences


def _sentence_like(text: str) -> bool:
    """Drop tag lists, all-caps banners and fragments: they are not answers even when they match."""
    words = _WORD.findall(text)
    if len(words) < 5 or len(words) > 120:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) <= 0.6 and not text.isupper()


def _title_like(text: str) -> bool:
    """A headline is Title Case by design; it only needs a few words and no all-caps shouting."""
    return 4 <= len(_WORD.findall(text)) <= 40 and not text.isupper()


_SEMANTIC_LOCK = threading.Lock()
_SEMANTIC: list[Any] = []  # the MiniLM encoder of the second chance, loaded once on first need


def _semantic_encoder(encoder: Any, semantic: Any) -> Any:
    """The sentence encoder for the second chance, or None (TF-IDF cannot say "troops" means "soldiers")."""
    if semantic is None:
        return None
    if semantic != "auto":
        return semantic
    if encoder is not None and getattr(encoder, "name", "") != "tfidf":
        return encoder
    from summarizer.encoders import EncoderUnavailable, get_encoder, ml_available

    if not ml_available():
        return None
    with _SEMANTIC_LOCK:
        if not _SEMANTIC:
            try:
                _SEMANTIC.append(get_encoder("minilm"))
            except EncoderUnavailable:
                _SEMANTIC.append(None)
        return _SEMANTIC[0]


def _second_chance(
    question: str, sentences: list[_Sentence], coverage: list[float], bars: dict[int, float], encoder: Any
) -> list[int]:
    """Sentences that share part of the question and mean nearly the same: "soldiers died" ~ "troops killed".

    ``bars`` holds the candidate sentences and the cosine each must reach.
    """
    if encoder is None:
        return []
    pool = sorted((i for i in bars if coverage[i] >= MIN_PARTIAL), key=lambda i: (-coverage[i], i))
    pool = pool[:SEMANTIC_POOL]
    if not pool:
        return []
    cosine = _cosines(question, [sentences[i].text for i in pool], encoder)
    return sorted(i for k, i in enumerate(pool) if cosine[k] >= bars[i])


def _scores(
    question: str,
    terms: list[str],
    sentences: list[_Sentence],
    coverage: list[float],
    pool: list[int],
    encoder: Any,
    semantic: Any = None,
    kept: set[int] | None = None,
) -> dict[int, float]:
    """Blend of normalised BM25, encoder cosine and coverage, for the sentences that passed the gates.

    With a sentence encoder (``semantic``), its cosine with the question joins the blend
    (``summarizer.qa_rank.blend``); it encodes the best GATED_POOL sentences of ``kept`` by the plain blend and the
    WIDE_POOL best covered of those below MIN_COVERAGE (near misses), and the others count as cosine 0."""
    import bm25s
    import numpy as np

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG: noise per question
    retriever = bm25s.BM25()
    retriever.index([list(s.tokens) or ["\u2205"] for s in sentences], show_progress=False)
    bm25 = np.asarray(retriever.get_scores(terms), dtype=float)
    top = float(bm25.max()) if bm25.size else 0.0
    bm25 = bm25 / top if top > 0 else bm25
    cosine = _cosines(question, [sentences[i].text for i in pool], encoder)
    plain = {i: blend(float(bm25[i]), float(cosine[k]), coverage[i], None) for k, i in enumerate(pool)}
    if semantic is None or not kept:
        return plain
    candidates = [i for i in pool if i in kept]
    gated = sorted((i for i in candidates if coverage[i] >= MIN_COVERAGE), key=lambda i: (-plain[i], i))[:GATED_POOL]
    near = sorted((i for i in candidates if coverage[i] < MIN_COVERAGE), key=lambda i: (-coverage[i], i))[:WIDE_POOL]
    chosen = sorted(set(gated) | set(near))
    meaning = dict(zip(chosen, _cosines(question, [sentences[i].text for i in chosen], semantic), strict=True))
    return {i: blend(float(bm25[i]), float(cosine[k]), coverage[i], float(meaning.get(i, 0.0)))
            for k, i in enumerate(pool)}


def _cosines(question: str, texts: list[str], encoder: Any) -> Any:
    import numpy as np

    if encoder is None:
        from summarizer.encoders import TfidfEncoder

        encoder = TfidfEncoder()
    vectors = encoder.encode([*texts, question])
    sims = vectors[:-1] @ vectors[-1].T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    return np.clip(sims.ravel(), 0.0, 1.0)


def _pick(
    ranked: list[int], scores: dict[int, float], sentences: list[_Sentence], together: Collection[int] = ()
) -> list[int]:
    """The best sentence plus up to two close seconds that add something (no near-duplicates); the sentences of
    ``together`` need not be close."""
    chosen = [ranked[0]]
    best = max(scores[ranked[0]], max(scores.values()))
    for i in ranked[1:]:
        if len(chosen) == MAX_ANSWER_SENTENCES or (scores[i] < SUPPORT_RATIO * best and i not in together):
            break
        if all(_overlap(sentences[i].terms, sentences[j].terms) < 0.6 for j in chosen):
            chosen.append(i)
    return chosen


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _refuse(question: str, kind: QuestionType, reason: str | None) -> Answer:
    asked = _clip(question, 160)
    if kind.label:
        text = f"The articles don't say {kind.label}: you asked \"{asked}\""
    else:
        text = f"The articles don't say anything that answers \"{asked}\""
    if reason:
        text += f" ({reason})"
    return Answer(question, False, text + ".", ())


def _listing(words: list[str]) -> str:
    quoted = [f"\"{w}\"" for w in words[:5]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
