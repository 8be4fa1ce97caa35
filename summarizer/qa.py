"""Follow-up answers drawn only from the articles, with citations, or an honest refusal.

Retrieval: every sentence of the topic's articles is a candidate, scored by BM25 (``bm25s``) and by the
encoder's cosine similarity to the question. Two gates keep the bot from answering with the nearest
unrelated sentence:

* relevance: the sentence must cover at least half of the question's content words, weighted by how
  informative they are (IDF over the topic's sentences; a word the articles never use gets the highest
  weight, so "the Moon landing" cannot be answered by sentences that only share "articles" or "Biden");
* answer type: a "who" answer must name someone, "when" must hold a date or time, "how many" a number,
  "how long" a duration, "where" a place phrase. Why/what/how questions have no hard type.

Typos are forgiven by snapping unknown question words to the closest word of the articles (rapidfuzz).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.articles import Article
from summarizer.models import Answer, Citation

MAX_QUESTION_CHARS = 1000  # a pasted article is not a question; say so instead of scoring it
MAX_ANSWER_SENTENCES = 3
MIN_COVERAGE = 0.6  # share of the question's (IDF-weighted) content words a sentence must contain (bench/encoders.py)
SUPPORT_RATIO = 0.85  # extra sentences must score at least this share of the best one

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def _words(text: str) -> list[str]:
    """Word lists written as one string, for readability."""
    return text.split()


# Words that carry no topic in a question about the articles (on top of scikit-learn's English stop words).
_QUESTION_NOISE = frozenset(_words(
    """
    article articles report reports reported story stories news say says said tell told mention mentioned
    mentions according happen happened happening know think anything something explain describe did does
    do doing brief briefly exactly really actually kind sort talk talking about like please wonder
    wondering curious thanks thank hello hey hi understand
    """)
)

_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
    "thousand thousands million millions billion billions trillion dozen dozens half"
)
_UNITS = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies))"
_UNIT = r"(?:second|minute|hour|day|week|month|year|decade|century)"
_NUM = r"(?:\d[\d,.]*|" + "|".join(_NUMBER_WORDS) + r"|a|an|several|few)"

_TIME_RE = re.compile(
    r"\b(?:" + "|".join(_MONTHS + _WEEKDAYS) + r")\b\.?"
    r"|\b(?:today|tomorrow|yesterday|tonight|overnight|morning|afternoon|evening|midnight|noon)\b"
    r"|\b(?:this|last|next|earlier this|later this|that|recent|coming|past)\s+(?:week|month|year|weeks|months"
    r"|years|weekend|days)\b"
    r"|\b(?:1[89]|20)\d{2}s?\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|\b" + _NUM + r"[\s-]+" + _UNITS + r"\s+(?:ago|before|after|later|earlier)\b"
    r"|\b(?:since|until|before|after)\s+the\s+(?:invasion|war|meeting|call|summit|election|attack)\b",
    re.IGNORECASE,
)
_DURATION_RE = re.compile(r"\b" + _NUM + r"[\s-]+" + _UNITS + r"\b|\b" + _UNIT + r"s?-long\b", re.IGNORECASE)
_NUMBER_RE = re.compile(r"\d|\$|%|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_PLACE_RE = re.compile(
    r"\b(?:in|at|from|near|inside|outside|across|within|throughout)\s+(?:the\s+)?"
    r"([A-Z][A-Za-z’'-]+)"
)
_REASON_RE = re.compile(
    r"\b(?:because|due to|as a result|so that|in order to|in an attempt to|in an effort to|aimed at|"
    r"reason|since|amid|so as to|for fear|to avoid|to deter|to dissuade|to prevent|concerns?)\b",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|going to|scheduled|plans?|planned|expected|upcoming|next|tomorrow)\b", re.IGNORECASE
)
_NAME_RE = re.compile(r"\b[A-Z][a-z’'.-]*[a-z](?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z’'-]+)*|\b[A-Z]{2,}\b")
_NOT_NAMES = frozenset(
    _MONTHS + _WEEKDAYS
    + _words(
        "the a an but and or so he she it they we i you his her its their this that these those there here "
        "however meanwhile after before when while if as on in at for of to with by from mr mrs ms dr sir "
        "president officials official secretary"
    )
)


@dataclass(frozen=True)
class QuestionType:
    """What kind of answer a question wants, and how to say we have none."""

    name: str  # who | when | how_long | how_many | where | why | what
    label: str  # for refusals: "The articles don't say {label} ..."


_TYPES = [
    (re.compile(r"\bhow\s+(?:many|much)\b", re.I), QuestionType("how_many", "how many or how much")),
    (re.compile(r"\bhow\s+long\b", re.I), QuestionType("how_long", "how long")),
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
    terms: frozenset[str]  # stemmed content words
    tokens: tuple[str, ...]  # every stemmed word, for BM25
    words: frozenset[str]  # lower-cased words as written, for typo repair


def answer_question(question: str, articles: Sequence[Article], *, encoder: Any = None) -> Answer:
    """Answer from the articles' own sentences (1-3, each cited), or say the articles don't say."""
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
    sentences = _candidates(articles)
    words = _question_words(_strip_type_phrase(asked_fixed))
    if not sentences:
        return _refuse(asked, kind, "there are no articles to draw on")
    if not words:
        return _refuse(asked, kind, "the question names nothing to look for")

    df = Counter(t for s in sentences for t in s.terms)
    vocabulary = set(df)
    words = _snap_words(words, {w for s in sentences for w in s.words})
    terms = [stem(w) for w in words]
    weights = {t: _idf(df.get(t, 0), len(sentences)) for t in terms}
    total = sum(weights.values())
    coverage = [sum(w for t, w in weights.items() if t in s.terms) / total for s in sentences]

    relevant = [i for i, c in enumerate(coverage) if c >= MIN_COVERAGE]
    if not relevant:
        unseen = [w for w, t in zip(words, terms, strict=True) if t not in vocabulary]
        reason = f"nothing in them mentions {_listing(unseen)}" if unseen else None
        return _refuse(asked, kind, reason)
    typed = [i for i in relevant if matches_type(kind, sentences[i].text, asked)]
    if not typed:
        return _refuse(asked, kind, f"no sentence about this gives the {kind.label} part" if kind.label else None)

    scores = _scores(asked, list(terms), sentences, coverage, typed, encoder)
    if kind.name == "why":  # prefer sentences that give a reason, without requiring one
        scores = {i: v + (0.1 if _REASON_RE.search(sentences[i].text) else 0.0) for i, v in scores.items()}
    if _FUTURE_RE.search(asked):  # "when will..." wants the plan, not the last time it happened
        scores = {i: v + (0.1 if _FUTURE_RE.search(sentences[i].text) else 0.0) for i, v in scores.items()}
    ranked = sorted(typed, key=lambda i: (-scores[i], i))
    chosen = _pick(ranked, scores, sentences)
    citations = tuple(Citation(sentences[i].source, sentences[i].text) for i in chosen)
    return Answer(asked, True, " ".join(c.text for c in citations), citations)


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


def _fix_wh_typo(question: str) -> str:
    """A misspelt first question word ("Whn did...", "hwo many") still sets the question type."""
    from rapidfuzz.distance import Levenshtein

    first, _, rest = question.partition(" ")
    word = first.lower()
    if word in _WH or len(word) < 3 or not rest:
        return question
    for wh in _WH:
        if Levenshtein.distance(word, wh, weights=(1, 1, 1)) <= 1 or sorted(word) == sorted(wh):
            return f"{wh} {rest}"
    return question


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
    if kind.name == "how_many":
        return bool(_NUMBER_RE.search(sentence))
    if kind.name == "where":
        return any(m.group(1).lower() not in _NOT_NAMES for m in _PLACE_RE.finditer(sentence))
    if kind.name == "who":
        asked = {stem(w) for w in tokens(question)}
        return any(_is_new_name(name, asked) for name in names(sentence))
    return True


def names(sentence: str) -> list[str]:
    """Capitalised runs that look like names; a lone capitalised first word is just the sentence start."""
    found = []
    start = len(sentence) - len(sentence.lstrip(" \"“‘'(—-"))
    for match in _NAME_RE.finditer(sentence):
        text = match.group(0)
        if match.start() <= start and " " not in text.strip():
            continue
        found.append(text)
    return found


def _is_new_name(name: str, asked: set[str]) -> bool:
    words = [w for w in tokens(name) if w not in _NOT_NAMES]
    return bool(words) and any(stem(w) not in asked for w in words)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (apostrophe endings such as 's dropped)."""
    return [re.split(r"['’]", t)[0].lower() for t in _WORD.findall(text)]


_IRREGULAR = dict(
    pair.split(":")
    for pair in _words(
        "met:meet said:say spoke:speak spoken:speak told:tell took:take taken:take gave:give given:give "
        "went:go gone:go held:hold made:make came:come left:leave won:win lost:lose sent:send sought:seek "
        "thought:think bought:buy brought:bring began:begin begun:begin wrote:write written:write "
        "knew:know known:know saw:see seen:see found:find led:lead paid:pay sold:sell struck:strike "
        "fought:fight flew:fly fell:fall fallen:fall rose:rise risen:rise chose:choose chosen:choose "
        "killed:kill children:child men:man women:woman people:person"
    )
)


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "adviser"/"advisers", "talks"/"talk", "meeting"/"meet"."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: -len(suffix)] + keep
    # "agree"/"agreed", "hire"/"hired", "use"/"using": drop a final e so both forms meet
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def content_terms(text: str) -> list[str]:
    """Stemmed content words (stop words out, numbers in): the unit of coverage and of support."""
    return [stem(w) for w in tokens(text) if w not in _stop_words() and (len(w) > 1 or w.isdigit())]


def _stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from summarizer.tfidf import ENGLISH_STOP_WORDS

        # Keep numbers and a few words that carry meaning in news questions.
        keep = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty",
                "fifty", "hundred", "never", "no", "not", "against", "former"}
        _STOP = frozenset(ENGLISH_STOP_WORDS - keep)
    return _STOP


_STOP: frozenset[str] | None = None


def _question_words(question: str) -> list[str]:
    seen: list[str] = []
    for word in tokens(question):
        if word in _stop_words() or word in _QUESTION_NOISE or word in seen or (len(word) < 2 and not word.isdigit()):
            continue
        seen.append(word)
    return seen


def _snap_words(words: list[str], vocabulary: set[str]) -> list[str]:
    """Replace a question word the articles never use with their closest word, if it is a likely typo.

    A typo is one edit (insert, delete, substitute or swap two letters) in a word of 5-7 letters, two in a
    longer word; shorter words are too easy to confuse ("moon"/"mood") to guess.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    snapped = []
    for word in words:
        allowed = 0 if len(word) < 5 else 1 if len(word) < 8 else 2
        if word not in vocabulary and allowed and not word.isdigit():
            match = process.extractOne(word, vocabulary, scorer=OSA.distance, score_cutoff=allowed)
            if match is not None:
                word = match[0]
        snapped.append(word)
    return snapped


def _idf(df: int, n: int) -> float:
    """BM25-style IDF; a term no sentence contains gets the highest weight (df = 0)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _candidates(articles: Sequence[Article]) -> list[_Sentence]:
    """Each distinct, sentence-like line of the articles, with its article id for the citation."""
    seen: set[str] = set()
    found: list[_Sentence] = []
    for article in articles:
        for text in _split(article):
            key = " ".join(tokens(text))
            if key in seen or not _sentence_like(text):
                continue
            seen.add(key)
            words = tokens(text)
            found.append(_Sentence(
                text, article.id, frozenset(content_terms(text)), tuple(stem(w) for w in words), frozenset(words)
            ))
    return found


def _split(article: Article) -> list[str]:
    from summarizer.text import split_sentences  # the splitter briefs use
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", article.body):
        if paragraph.strip():
            sentences.extend(s.strip() for s in split_sentences(paragraph.strip()) if s.strip())
    return sentences


def _sentence_like(text: str) -> bool:
    """Drop tag lists, all-caps banners and fragments: they are not answers even when they match."""
    words = _WORD.findall(text)
    if len(words) < 5 or len(words) > 120:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) <= 0.6 and not text.isupper()


def _scores(
    question: str,
    terms: list[str],
    sentences: list[_Sentence],
    coverage: list[float],
    pool: list[int],
    encoder: Any,
) -> dict[int, float]:
    """Blend of normalised BM25, encoder cosine and coverage, for the sentences that passed the gates."""
    import bm25s
    import numpy as np

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG: noise per question
    retriever = bm25s.BM25()
    retriever.index([list(s.tokens) or ["\u2205"] for s in sentences], show_progress=False)
    bm25 = np.asarray(retriever.get_scores(terms), dtype=float)
    top = float(bm25.max()) if bm25.size else 0.0
    bm25 = bm25 / top if top > 0 else bm25
    cosine = _cosines(question, [sentences[i].text for i in pool], encoder)
    return {
        i: 0.4 * float(bm25[i]) + 0.3 * float(cosine[k]) + 0.3 * coverage[i]
        for k, i in enumerate(pool)
    }


def _cosines(question: str, texts: list[str], encoder: Any) -> Any:
    import numpy as np

    if encoder is None:
        from summarizer.encoders import TfidfEncoder

        encoder = TfidfEncoder()
    vectors = encoder.encode([*texts, question])
    sims = vectors[:-1] @ vectors[-1].T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    return np.clip(sims.ravel(), 0.0, 1.0)


def _pick(ranked: list[int], scores: dict[int, float], sentences: list[_Sentence]) -> list[int]:
    """The best sentence plus up to two close seconds that add something (no near-duplicates)."""
    chosen = [ranked[0]]
    best = scores[ranked[0]]
    for i in ranked[1:]:
        if len(chosen) == MAX_ANSWER_SENTENCES or scores[i] < SUPPORT_RATIO * best:
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
