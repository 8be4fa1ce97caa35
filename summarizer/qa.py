"""Follow-up answers drawn only from the articles, with citations, or an honest refusal.

Retrieval: every sentence of the topic's articles, and every title, is a candidate, scored by BM25 (``bm25s``)
and by the encoder's cosine similarity to the question. Words meet through the shared analyzer
(``summarizer.analyzer``: Snowball stems, irregular forms, "softer" -> "soft" when the text says "soft"), and
people through the topic's ``PeopleIndex`` ("Mr Wang" is "Wang Yi" where an article names him). A chat word the
articles never use may stand for the word news uses ("kids": children), and a phrasal verb for its one-word verb
("chip in": contribute), and words news writes either way meet whether or not the articles use the question's
("talked": spoke, "asked": requested) (``summarizer.everyday``).
"What position does X hold?" and "What is X's job?" are asked as "Who is X?": the job is written next to the name.
Chat shorthand is written out first ("how many yrs" -> "how many years", "xi n putin" -> "xi and putin":
``summarizer.everyday.expand_shorthand``).

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
  "What was the name of the captain?" is asked as "Who was the captain?", and a role's holder must be a person
  ("Pilots from TAM" names an airline, "guards, detained in Iraq" a place).

Ranking prefers, for "what/which X" questions ("What weapons did..."), a sentence that lists several things and
mentions X (it may answer with another verb: "requested" for "asked"), and for "What did X ask (Y) for?" (give,
send, offer, want ...) a sentence in which X asks for something, the verb's object ("Russia had asked China for
military equipment"), over one that only mentions the asking ("grant Russia's request"); it puts the best first. Titles
are indexed (their words count), but a headline is cited only when no body sentence answers. The blend and its
bonuses (the question's rarest word, reason clauses for "why", the sentence encoder's cosine and the near misses
that compete for the citation once the gates have decided to answer) are ``summarizer.qa_rank``'s.
The topic side (candidate sentences, vocabulary, people, and the tests built on them) is
``summarizer.qa_topic``'s.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.analyzer import (
    NUMBER_WORDS,
    STOP_WORDS,
    TIME_UNITS,
    is_content,
    stem,
    tokens,
    wordset,
)
from summarizer.articles import Article
from summarizer.dates import MONTHS, WEEKDAYS, future_words
from summarizer.everyday import everyday, expand_shorthand
from summarizer.everyday import kinds as kinds_of
from summarizer.models import Answer, Citation
from summarizer.qa_focus import (
    asked_role,
    object_asked,
)
from summarizer.qa_lexical import GENERIC_NOUNS, lexical_chance, names_missing_thing
from summarizer.qa_rank import (
    GATED_POOL,
    RAREST_BONUS,
    ROLE_BONUS,
    WIDE_MIN_COVERAGE,
    WIDE_POOL,
    blend,
    day_bonus,
    rarest,
    reason_bonus,
)
from summarizer.qa_topic import (
    LASTED_RE,
    NUM,
    UNITS,
    Sentence,
    Topic,
    cosines,
    is_new_name,
    listed_items,
    names,
)
from summarizer.referents import REACH as REFERENT_REACH
from summarizer.referents import Referents
from summarizer.text import split_sentences

MAX_QUESTION_CHARS = 1000  # a pasted article is not a question; say so instead of scoring it
MAX_ANSWER_SENTENCES = 3
MIN_COVERAGE = 0.6  # share of the question's (IDF-weighted) content words a sentence must contain (bench/encoders.py)
SUPPORT_RATIO = 0.85  # extra sentences must score at least this share of the best one
# The semantic second chance (bench/encoders.py, dev questions): a sentence sharing at least this share of the
# question's weighted words that the articles use (the others are the encoder's to match), and at least
# SEMANTIC_MIN cosine with it under a sentence encoder (MiniLM).
MIN_PARTIAL = 0.25
# When sentences meet the question's words but none holds the kind of answer asked for, the second chance looks only
# at near misses: sentences sharing at least half of the question's weighted words (chosen on the tuning sets
# dev..heldout9, 2026-12-02: at 0.25 it answered "How much aid did the UK send?" with another donor's sum).
TYPED_CHANCE_MIN = 0.5
SEMANTIC_MIN = 0.5
# A sentence that shares only the topic's common words with the question (words most of its articles use) is
# on the topic, not necessarily on the question: it needs to be a near paraphrase to answer it.
SEMANTIC_COMMON_MIN = 0.65
LASTED_SEMANTIC_MIN = 0.45
SEMANTIC_POOL = 200  # sentences encoded for the second chance at most (bounded cost on big topics)


_UNIT = r"(?:" + "|".join(u for u in TIME_UNITS if not u.endswith("s")) + ")"  # singular ("week-long")
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
    r"|\b" + NUM + r"[\s-]+" + UNITS + r"\s+(?:ago|before|after|later|earlier)\b"
    r"|\bwithin\s+(?:the\s+next\s+)?(?:" + NUM + r"[\s-]+)?" + UNITS + r"\b"
    r"|\b(?:since|until|before|after)\s+the\s+(?:invasion|war|meeting|call|summit|election|attack)\b",
    re.IGNORECASE,
)
_DURATION_RE = re.compile(r"\b" + NUM + r"[\s-]+" + UNITS + r"\b|\b" + _UNIT + r"s?-long\b", re.IGNORECASE)
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
# A plan or a date ahead, in question and answer alike ("When will ...?", "Shall ...", "next week"); not "due to",
# which in a sentence that answers is as often a reason (summarizer.dates.future_words).
_FUTURE_RE = re.compile(future_words("shall", "going to", "next", "tomorrow"), re.IGNORECASE)
# "What weapons ...", "Which countries ...", "What kinds of equipment ...": the question asks for several things;
# so does "Which countries received ...?", whose X, plural, is the subject of a past-tense verb ("Which country walked
# in first?" asks for one).
_LIST_QUESTION = re.compile(
    r"^\s*(?:what|which)\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?:(?P<head>[a-z]+(?:\s+[a-z]+)?)\s+"
    r"(?:did|do|does|were|are|was|is|has|have|had|would|will|could|can)\b|(?P<subject>[a-z]+s)\s+[a-z]{2,}ed\b)",
    re.IGNORECASE,
)


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
    (re.compile(r"\b(?:why|how\s+come|what\s+for|for\s+what\s+reason)\b", re.I), QuestionType("why", "why")),
]
# A question that opens with a plain what/which/how ("What was going on when the quake hit?", "Which country won the
# most golds, and how many?") asks for that; a later wh-word is a clause of it, not the kind of answer wanted.
_OPENING_WH = re.compile(r"^\W*(?:what|which|how)\b", re.I)
_GENERIC = QuestionType("what", "")


def answer_question(
    question: str, articles: Sequence[Article], *, encoder: Any = None, semantic: Any = "auto"
) -> Answer:
    """Answer from the articles' own sentences (1-3, each cited), or say the articles don't say.

    ``encoder`` ranks; ``semantic`` is the sentence encoder of the second chance before a refusal: "auto" uses
    ``encoder`` when it is not TF-IDF, else MiniLM when the ml extra is installed, else MiniLM's static vectors
    (``summarizer.static_vectors``); None turns it off.
    """
    asked = " ".join((question or "").split())
    if not asked:
        return Answer("", False, "The articles don't say anything to an empty question: ask one, e.g. "
                      "\"Who is involved?\"", ())
    if len(asked) > MAX_QUESTION_CHARS:
        return Answer(_clip(asked, 200), False,
                      f"The articles don't say: that question is {len(asked)} characters long; please ask it "
                      f"in under {MAX_QUESTION_CHARS} characters.", ())
    asked_fixed = _as_who(_fix_wh_typo(expand_shorthand(_question_part(asked))))
    kind = question_type(asked_fixed)
    if not articles:
        return _refuse(asked, kind, "there are no articles to draw on")
    topic = Topic(articles)
    sentences = topic.sentences
    meaning = _semantic_encoder(encoder, semantic)  # MiniLM with the ml extra, else its static vectors (or None)
    asked_fixed = _without_exclusion(asked_fixed)  # "besides Graner": Graner is not what the answer is about
    wide = meaning is None or getattr(meaning, "wide_words", False)  # words alone, or a weak encoder, must meet
    concepts = topic.concepts(_strip_type_phrase(asked_fixed), plain=wide)
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
    tried_close = False
    if all(sentences[i].title for i in relevant) and not any(c.name for c in unseen):
        # No body sentence meets the question's words (a name the articles never use means they are not about
        # its subject: no second chance).
        close = _close_matches(asked_fixed, topic, concepts, weights, coverage, unseen, speaks, meaning)
        relevant = sorted(set(relevant) | set(close))
        tried_close = True
    lasting = []
    if kind.name == "how_long":  # "how long did the ground shake?": "This earthquake lasted 500 seconds"
        for i, s in enumerate(sentences):
            lasted = None if s.title or not MIN_PARTIAL <= coverage[i] < MIN_COVERAGE else LASTED_RE.search(s.text)
            if lasted is None or not speaks(s):
                continue
            # what lasted must be the question's: the sentence meets a word of it besides the verb of lasting ("how
            # long did the fair go on?" shares only "lasted" with "The earthquake lasted ...")
            rest = s.terms - {topic.term(w) for w in tokens(lasted.group(0))}
            if any(c.alternatives & rest for c in concepts):
                lasting.append(i)
        if lasting and meaning is not None:
            cosine = cosines(asked_fixed, [sentences[i].text for i in lasting], meaning)
            lasting = [i for k, i in enumerate(lasting) if cosine[k] >= LASTED_SEMANTIC_MIN]
    if not relevant and not lasting:
        reason = f"nothing in them mentions {_listing([c.word for c in unseen])}" if unseen else None
        return _refuse(asked, kind, reason)
    role = asked_role(asked_fixed) if kind.name == "who" else None
    if role:  # "Who is the Russian judge?": the role, with its qualifiers, next to the name of its holder
        # a casual role word stands for the news words of the everyday table ("cop": policeman); others are taken as
        # written ("foreign ministry" is no foreign minister, though the repair of an unused word may join them)
        same = {topic.term(w) for w in everyday(role.word)}
        holds = topic.holds_role(role, asked, same)

    def quantified(indices: list[int], by_people: bool) -> list[int]:
        texts = [sentences[i].text for i in indices]
        verdict = topic.quantified(asked_fixed, kind, concepts, texts, meaning, by_people)
        return [i for i, ok in zip(indices, verdict, strict=True) if ok]

    def gated(indices: list[int]) -> tuple[list[int], bool]:
        """The sentences of ``indices`` that hold what the question asks for: its answer type (a headline only when
        no body sentence has it), a number or duration of its thing, not another thing's (for a duration, of its
        people when none is of its thing: then True), the role it asks about next to a name."""
        kept = [i for i in indices if matches_type(kind, sentences[i].text, asked)]
        if any(not sentences[i].title for i in kept):
            kept = [i for i in kept if not sentences[i].title]
        by_people = False
        if kind.name in ("how_many", "how_long"):
            counted = quantified(kept, False)
            if not counted and kind.name == "how_long":
                counted = quantified(kept, True)
                by_people = bool(counted)
            kept = counted
        if role:
            kept = [i for i in kept if holds(sentences[i])]
        return kept, by_people

    typed, by_people = gated(relevant)
    if not typed:
        typed = lasting
        relevant = sorted(set(relevant) | set(lasting))
    if not typed and not tried_close and not any(c.name for c in unseen):
        # Sentences meet the question's words but none holds what it asks for ("how long were they on the phone?"
        # met by "the call" sentences, not by "Xi spoke for nearly two hours"): before refusing, the second
        # chance, whose sentences must pass the same gates.
        close = _close_matches(asked_fixed, topic, concepts, weights, coverage, unseen, speaks, meaning,
                               TYPED_CHANCE_MIN)
        typed, by_people = gated([i for i in close if i not in relevant])
        relevant = sorted(set(relevant) | set(typed))
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
            near = quantified(near, by_people)
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
    if kind.name == "when":  # the day or the hour, not "in November" or "earlier today"
        scores = {i: v + day_bonus(sentences[i].text) for i, v in scores.items()}
    specific = rarest([c.alternatives for c in concepts], topic.df)  # the question's rarest word
    scores = {i: v + (RAREST_BONUS if specific & sentences[i].terms else 0.0) for i, v in scores.items()}
    if role:  # "Who is the national security adviser?": a name next to the role, not a mention of the role
        named = topic.names_holder(role, asked, same)
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
    return Answer(asked, True, topic.people_in_full(_named(citations, articles, topic)), citations)


def _named(citations: Sequence[Citation], articles: Sequence[Article], topic: Topic) -> list[str]:
    """The cited sentences, each dangling "he"/"her" followed by the person its article named just before
    (``summarizer.referents``, as a brief's points): "He won by 23 seconds" answers nothing until it says who."""
    referents = Referents(topic.people)
    cited = {c.source for c in citations}
    bodies = {a.id: [s.strip() for s in split_sentences(a.body)] for a in articles if a.id in cited}  # once each
    out = []
    for citation in citations:
        body = bodies.get(citation.source, [])
        at = body.index(citation.text) if citation.text in body else None
        out.append(citation.text if at is None else referents.name(citation.text, body[max(0, at - REFERENT_REACH):at]))
    return out


def list_head(question: str) -> str | None:
    """The X of "What X did...", "Which X were...", "What kinds of X...": the question asks for instances of X."""
    found = _LIST_QUESTION.search(question)
    if not found:
        return None
    head = (found.group("head") or found.group("subject")).split()[-1].lower()
    return None if head in STOP_WORDS or not is_content(head) else head


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
            cosine = dict(zip(new + nouns, cosines(head, new + nouns, encoder), strict=True))
            for item, noun in zip(new, nouns, strict=True):
                seen[item] = max(float(cosine[item]), float(cosine[noun])) >= KIND_SEMANTIC_MIN
        return sum(1 for i in dict.fromkeys(items) if seen[i])

    return kinds


def question_type(question: str) -> QuestionType:
    """The earliest wh-phrase decides ("Tell me who met Xi, and when?" is a who question); a question opening with
    a plain what/which/how is a what question, whatever wh-words its clauses use."""
    best: tuple[int, QuestionType] | None = None
    for pattern, kind in _TYPES:
        found = pattern.search(question)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), kind)
    opening = _OPENING_WH.search(question)
    if best and opening and best[0] >= opening.end():
        return _GENERIC
    return best[1] if best else _GENERIC


# "What was the name of the captain?", "what are the names of the guards ...?", "what was the captain's name?": a
# who question about a role, and answered as one (a name next to the role word, ``summarizer.qa_focus.role_held``).
_NAME_OF = re.compile(
    r"^\W*what(?:\s+|['\u2019]s\s+)(?:(?P<aux>is|was|are|were)\s+)?(?:(?:the\s+)?names?\s+of\s+(?P<of>.+?)"
    r"|(?P<owner>.+?)['\u2019]s?\s+(?:full\s+)?names?)\s*\??\s*$",
    re.IGNORECASE,
)


# "What position does Emily Kilcrease hold?", "What is Kilcrease's job?", "what's the title of Yang Jiechi?": asked
# about a named person's job, which the articles write next to the name ("Emily Kilcrease, a senior fellow at ..."):
# the question is "who is Emily Kilcrease?" (its other words, "position" and "hold", are the question's, not the
# answer's). A "role" or "position" is a post only when it is held ("What role did China play?", "What is Xi's
# position on the war?" ask something else); the name is one to four words.
_POST = r"(?:job|title|rank|occupation|profession)"
_NAME = r"(?!(?:the|a|an|his|her|their|its|this|that|is|was)\b)(?P<{}>[\w.'-]+(?:\s+[\w.'-]+){{0,3}}?)"
_JOB_OF = re.compile(
    r"^\W*what(?:\s+|['\u2019]s\s+)(?:(?:is|was)\s+)?(?:"
    r"(?:job|position|post|title|role|rank|office)\s+(?:does|did|do)\s+" + _NAME.format("holder")
    + r"\s+(?:hold|occupy|fill)"
    + rf"|{_POST}\s+(?:does|did|do)\s+" + _NAME.format("haver") + r"\s+have"
    + rf"|(?:the\s+)?{_POST}\s+of\s+" + _NAME.format("of")
    + r"|" + _NAME.format("owner") + rf"['\u2019]s?\s+(?:current\s+|official\s+)?{_POST})"
    r"\s*\??\s*$",
    re.IGNORECASE,
)


def _as_who(question: str) -> str:
    """"What was the name of the captain ...?" asked as "who was the captain ...?", "What position does X hold?"
    as "who is X?"; other questions as they are."""
    job = _JOB_OF.match(question)
    if job:
        return f"who is {next(n for n in job.group('holder', 'haver', 'of', 'owner') if n)}?"
    found = _NAME_OF.match(question)
    if not found:
        return question
    aux = (found.group("aux") or "is").lower()
    subject = found.group("of") or found.group("owner")
    if not re.match(r"(?:the|an?|this|that|these|those)\b", subject, re.IGNORECASE):
        subject = "the " + subject
    return f"who {aux} {subject}?"


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
        return any(is_new_name(name, asked) for name in names(sentence))
    return True


_NOT_PLACES = frozenset(set(MONTHS) | set(WEEKDAYS) | {"the", "a", "an", "he", "she", "it", "they", "this", "that"})


def _idf(df: int, n: int) -> float:
    """BM25-style IDF; a term no sentence contains gets the highest weight (df = 0)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


_SEMANTIC_LOCK = threading.Lock()
_SEMANTIC: list[Any] = []  # the MiniLM encoder of the second chance, loaded once on first need


def _semantic_encoder(encoder: Any, semantic: Any) -> Any:
    """The sentence encoder for the second chance, or None (TF-IDF cannot say "troops" means "soldiers"): MiniLM
    with the ml extra, else its static distillation (``summarizer.static_vectors``), which needs no torch."""
    if semantic is None:
        return None
    if semantic != "auto":
        return semantic
    if encoder is not None and getattr(encoder, "name", "") != "tfidf":
        return encoder
    from summarizer.encoders import EncoderUnavailable, get_encoder, ml_available

    if not ml_available():
        from summarizer.static_vectors import static_encoder

        return static_encoder()
    with _SEMANTIC_LOCK:
        if not _SEMANTIC:
            try:
                _SEMANTIC.append(get_encoder("minilm"))
            except EncoderUnavailable:
                _SEMANTIC.append(None)
        return _SEMANTIC[0]


def _close_matches(
    question: str,
    topic: Topic,
    concepts: Sequence[Any],
    weights: Sequence[float],
    coverage: Sequence[float],
    unseen: Sequence[Any],
    speaks: Callable[[Sentence], bool],
    meaning: Any,
    least: float = MIN_PARTIAL,
) -> list[int]:
    """Body sentences that share part of the question (at least ``least`` of its weighted words) and mean the same
    (the encoder's second chance), or, on a plain install, a partial word match (``summarizer.qa_lexical``); the
    part they share must be more than the topic's common words, or the encoder's bar is higher."""
    sentences = topic.sentences
    specific = topic.specific(concepts)
    body = [i for i in range(len(sentences)) if not sentences[i].title and speaks(sentences[i])]
    common = getattr(meaning, "common_min", SEMANTIC_COMMON_MIN)  # a static encoder reads the topic's words louder
    bars = {i: SEMANTIC_MIN if sentences[i].terms & specific else common for i in body}
    partial = list(coverage)
    if unseen:
        # A word the articles never use ("soldiers" where they say "troops") is the encoder's to match: it
        # weighs nothing in the partial match that admits a sentence to the second chance.
        total = sum(weights)
        seen_total = sum(w for c, w in zip(concepts, weights, strict=True) if c not in unseen)
        partial = [c * total / seen_total for c in coverage] if seen_total else partial
    if meaning is None:  # a plain install (no sentence encoder): a partial word match (summarizer.qa_lexical)
        terms_of = {i: sentences[i].terms for i in bars}
        return lexical_chance(concepts, unseen, partial, terms_of, specific)  # names_missing_thing: refused before
    return _second_chance(question, sentences, partial, bars, meaning, least)


def _second_chance(
    question: str, sentences: list[Sentence], coverage: list[float], bars: dict[int, float], encoder: Any,
    least: float = MIN_PARTIAL,
) -> list[int]:
    """Sentences that share part of the question and mean nearly the same: "soldiers died" ~ "troops killed".

    ``bars`` holds the candidate sentences and the cosine each must reach.
    """
    if encoder is None:
        return []
    pool = sorted((i for i in bars if coverage[i] >= least), key=lambda i: (-coverage[i], i))
    pool = pool[:SEMANTIC_POOL]
    if not pool:
        return []
    cosine = cosines(question, [sentences[i].text for i in pool], encoder)
    return sorted(i for k, i in enumerate(pool) if cosine[k] >= bars[i])


def _scores(
    question: str,
    terms: list[str],
    sentences: list[Sentence],
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
    cosine = cosines(question, [sentences[i].text for i in pool], encoder)
    plain = {i: blend(float(bm25[i]), float(cosine[k]), coverage[i], None) for k, i in enumerate(pool)}
    if semantic is None or not kept:
        return plain
    candidates = [i for i in pool if i in kept]
    gated = sorted((i for i in candidates if coverage[i] >= MIN_COVERAGE), key=lambda i: (-plain[i], i))[:GATED_POOL]
    near = sorted((i for i in candidates if coverage[i] < MIN_COVERAGE), key=lambda i: (-coverage[i], i))[:WIDE_POOL]
    chosen = sorted(set(gated) | set(near))
    meaning = dict(zip(chosen, cosines(question, [sentences[i].text for i in chosen], semantic), strict=True))
    return {i: blend(float(bm25[i]), float(cosine[k]), coverage[i], float(meaning.get(i, 0.0)))
            for k, i in enumerate(pool)}


def _pick(
    ranked: list[int], scores: dict[int, float], sentences: list[Sentence], together: Collection[int] = ()
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
