"""Multi-document, extractive briefs and batch summaries.

How a brief is made:
1. Sentences. Every article is split into sentences; weak ones (short, fragments, questions, datelines, bare
   quotations, links) are kept for the coverage count but never become points.
2. Bounded candidate set. At most ``MAX_CANDIDATES`` sentences go on: all of them for a normal topic; for a
   very large one, the first sentences of every article (news puts facts first) ranked by similarity to the
   topic's TF-IDF centroid, each distinct sentence once before any verbatim copy is taken twice (so copies
   of one story's lead cannot crowd out the other facts). So the quadratic steps below run on at most
   ``MAX_CANDIDATES`` rows whatever the topic size.
3. Scores. Each candidate gets (a) LexRank centrality: power iteration on a sparse graph that keeps each
   sentence's top ``NEIGHBOURS`` neighbours above a similarity floor, and (b) concept coverage after Gillick
   and Favre: the summed weight of its word bigrams, a bigram weighing the number of articles that use it.
   Both are scaled to [0, 1] and mixed, then multiplied by a position prior and a readability factor.
4. Near-duplicates across sources are merged: a sentence pulls in, from every other article, its most
   similar sentence when they share most of their content words. The group becomes one point that cites
   every article in it (corroboration = number of articles) and ranks higher the more sources it has.
5. Selection goes round the story's strands (sub-events, ``summarizer.strands``): every major strand gives
   its best group before any gives a second, within a word budget (``POINT_WORDS``), with redundancy control
   (MMR-like): a group too similar to one already chosen is skipped, a second point of a strand must bring a
   new fact (``_same_event``), and the lead's fact never reappears as a point. Verbatim copies and sentences
   naming different years are never one fact. A full brief then checks the central articles' headlines
   (``summarizer.headlines``): a development an article leads with that the brief does not tell gets a point.
6. Time: each point carries the date it is about, and when the articles span days, whether it is among the
   latest developments (``_Timing``); the latest come first, the background follows in date order.
Modes: ``focus`` (a question: relevance with pseudo-relevance feedback, biased LexRank, the answer first and
the points in MMR order; see ``summarizer.focus``) and ``previous`` (what the reader has seen: repeats of it
are dropped, the rest weighted by novelty), also for ``summarize_documents``.

Cost for N sentences in A articles: splitting and weak-sentence filtering O(N); candidate pre-selection
O(N) plus one TF-IDF fit on at most A x ``PER_ARTICLE_CAP`` sentences; everything after that works on
M <= ``MAX_CANDIDATES`` sentences: one M x M similarity product, O(M * NEIGHBOURS) per power iteration,
O(M * NEIGHBOURS) for grouping; strands cluster at most ``MAX_STRAND_GROUPS`` groups. Memory peaks at one
dense M x M float32 matrix (9 MB at M = 1,500).
The extras (quotes, timeline, entities, disagreements: ``summarizer.enrich``) read at most
``MAX_EXTRA_ARTICLES`` articles, so past that size they cost the same whatever the topic size. The whole brief
therefore grows linearly in the topic's text (splitting), with a bounded quadratic part: on 2 shared cores,
about 0.03 s for 10 articles, 0.2 s for 100, 0.5 s for 1,000 (cold; it was 2.2 s before the extras were
bounded).

Batch summaries (``summarize_documents``) use the same sentences, scores and selection under a word budget.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from summarizer.analyzer import STOP_WORDS as STOPWORDS
from summarizer.analyzer import idf_table, stem, words
from summarizer.articles import Article
from summarizer.claims import claims, is_recap, retells_lead
from summarizer.cleaning import boilerplate_reason, strip_dateline
from summarizer.compress import compress
from summarizer.dates import UPCOMING, DateMention, document_date, find_dates
from summarizer.encoders import Encoder, get_encoder
from summarizer.enrich import enrich_brief
from summarizer.entities import PeopleIndex, analyse_entities
from summarizer.events import TRIGGER_KINDS, event_key, event_kinds, event_sets, only_refers_to
from summarizer.focus import (
    ANSWER_POOL,
    answer_lead,
    answer_sentences,
    answer_shape,
    mmr_order,
    pull_for,
    speaks_to,
)
from summarizer.focus import relevance as focus_relevance
from summarizer.focus import restart as focus_restart
from summarizer.focus import weigh as focus_weigh
from summarizer.headlines import (
    HEADLINE_ARTICLES,
    MIN_HEADLINE_TERMS,
    TELLS_SHARE,
    TOLD_SHARE,
    clauses,
    headline_terms,
    names_apart,
    reported,
    series_labels,
    story_weights,
    told_share,
    unlabelled,
)
from summarizer.models import Brief, Coverage, Point, Source
from summarizer.referents import REACH as REFERENT_REACH
from summarizer.referents import Referents
from summarizer.strands import LEVEL as STRAND_LEVEL
from summarizer.strands import (
    LINK_SHARE,
    MAJOR_SHARE,
    MAX_STRAND_GROUPS,
    NARROW_LINK_SHARE,
    NARROW_MAJOR_SHARE,
    Strand,
    find_strands,
    round_robin,
    term_vectors,
)
from summarizer.text import (
    PRONOUN_START,
    leans_back,
    quoted_fraction,
    split_sentences,
    without_repeat_opener,
    word_count,
)
from summarizer.topk import top_k
from summarizer.version import engine_version

ENGINE_VERSION = engine_version()  # the cache keys' engine: a name and a digest of summarizer/*.py

MAX_CANDIDATES = 1500
MAX_EVENT_ARTICLES = 80  # articles read to resolve people for event identity (see merge_events)
PER_ARTICLE_CAP = 12  # first sentences per article kept when a topic is too large to score every sentence
NEIGHBOURS = 12
SIM_FLOOR = 0.08
DAMPING = 0.85

# Measured side by side in bench/quality.py; "lexrank" (centrality x position prior, redundancy filtered)
# scored best there, pure bigram coverage worst, so lexrank is the default for briefs and batch summaries.
METHODS = ("lexrank", "hybrid", "centroid", "concept")
DEFAULT_METHOD = "lexrank"


_LINKISH = re.compile(r"https?://|www\.|@\w|\S+\.(?:com|org|net)\b", re.I)
# A sentence without any of these is usually a list of names or a caption ("Four officials and two aides.").
_VERB_CUE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|do|does|did|will|would|can|could|may|might|must|shall|"
    r"should|says?|said|told|to \w+|\w{2,}(?:ed|ing))\b|\b[a-z]{3,}s\b(?= (?:the|a|an|to|that|it|its|his|her|their|"
    r"on|in|with|for|of)\b)",
    re.I,
)
_ENDS_SENTENCE = re.compile(r"[.!][\"')\]]*$")


@dataclass
class Sentence:
    """One candidate sentence with what the ranker needs to know about it."""

    text: str
    doc: int
    pos: int
    n_words: int
    concepts: frozenset[str] = field(default_factory=frozenset)
    stems: frozenset[str] = field(default_factory=frozenset)
    score: float = 0.0
    published: dt.date | None = None  # the article's date
    when: DateMention | None = None  # the first date the sentence itself names, resolved against ``published``

    year: int | None = None  # the year the sentence names ("in 2021", "last year"), None when it names none
    refers_back: bool = False  # opens with "The official ..." about a thing the sentences before it introduced


def weak_reason(sentence: str) -> str | None:
    """Why a sentence makes a weak point or summary sentence (None when it is fine)."""
    n = word_count(sentence)
    if n < 8:
        return "short"
    if n > 60:
        return "run-on"
    if not _ENDS_SENTENCE.search(sentence):
        return "question or fragment"
    if not (sentence[:1].isupper() or sentence[:1].isdigit() or sentence[:1] == '"'):
        return "fragment"
    if _LINKISH.search(sentence):
        return "link"
    if quoted_fraction(sentence) > 0.6:
        return "bare quotation"
    if not _VERB_CUE.search(sentence):
        return "no verb"
    return None


def _concepts(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(bigram concepts, content stems): the units of coverage and of near-duplicate detection."""
    plain = words(text)
    tokens = [stem(w) for w in plain]
    stops = [w in STOPWORDS for w in plain]
    bigrams = {f"{tokens[i]} {tokens[i + 1]}" for i in range(len(tokens) - 1) if not (stops[i] and stops[i + 1])}
    stems = {t for t, s in zip(tokens, stops, strict=True) if not s and len(t) > 1}
    return frozenset(bigrams), frozenset(stems)


def _doc_sentences(text: str) -> list[str]:
    """Sentences of one document, boilerplate lines dropped (batch inputs are not cleaned at load time)."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.strip() and not boilerplate_reason(line.strip()):
            out.extend(split_sentences(line))
    return out


def _collect(docs: Sequence[Sequence[str]],
             dates: Sequence[dt.date | None] | None = None) -> tuple[list[Sentence], int]:
    """(candidate sentences, total sentence count); ``dates``: each document's publication date."""
    candidates: list[Sentence] = []
    total = sum(len(sentences) for sentences in docs)
    # A very large topic: only the early sentences of each article are worth analysing (see _bound).
    reach = None if total <= 2 * MAX_CANDIDATES else 2 * _per_doc(len(docs))
    for d, sentences in enumerate(docs):
        for p, raw in enumerate(sentences[:reach]):
            text = strip_dateline(raw)
            if weak_reason(text) is None:
                published = dates[d] if dates else None
                candidates.append(Sentence(text, d, p, word_count(text), published=published,  # concepts: after _bound
                                           refers_back=_refers_back(text, sentences[max(0, p - BACK_REACH):p])))
    return candidates, total


# "The official added ...", "The five had been arrested ...": a definite subject naming a thing (a common noun,
# not "The United Kingdom") that the article's previous sentences introduced; alone in a brief it points at
# nothing ("which official?"), as a leading pronoun does.
_DEFINITE_OPENING = re.compile(r"^(?:The|These|Those|This|That|Such)\s+(?:[a-z][\w-]*\s+){0,2}?([a-z][\w-]+)\b")
_COUNT_WORDS = frozenset(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                          "both"])
# Nouns that name what the sentences before told, not a thing of their own ("After the United States agreed to
# the changes proposed by India, the Bali Roadmap has been agreed on. The decision was made at ..."): whatever the
# earlier words, such a subject points back.
_EVENT_ANAPHORS = frozenset(["decision", "move", "announcement", "incident", "development", "step", "news", "event",
                             "ruling", "measure", "episode", "remarks", "comments"])
BACK_REACH = 3  # sentences before a candidate that may have introduced its subject
# Weaker than a leading pronoun (0.75): "The jury sentenced Graner" still reads. Weights 1.0 / 0.8 / 0.6 gave
# full-brief nugget recall 60.8 / 59.6 / 59.6% on the tuning set and 58.9 / 60.4 / 60.4% (heldout2), 59.5 /
# 61.0 / 60.3% (nuggets3); points that open with such a subject over the 16 MultiLing briefs: 26 -> 16.
REFERS_BACK_WEIGHT = 0.8


# "A French ship arrived at the area on the same day": a time told only by the sentences before.
_TIME_BACK = re.compile(r"\b(?:the same|that|the following|the next|the previous|the day before)\s+"
                        r"(?:day|night|morning|afternoon|evening|week|month)\b", re.I)


def _refers_back(text: str, before: Sequence[str]) -> bool:
    if not before:  # an article's first sentence introduces what it names
        return False
    if _TIME_BACK.search(text):
        return True
    match = _DEFINITE_OPENING.match(text)
    if match is None:
        return False
    noun = match.group(1).lower()
    if noun in _COUNT_WORDS or noun in _EVENT_ANAPHORS:  # "The two extend their lead": which two?
        return True
    stem = noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun
    earlier = " ".join(before).lower()
    return re.search(rf"\b{re.escape(stem)}", earlier) is not None


def _per_doc(n_docs: int) -> int:
    return max(2, min(PER_ARTICLE_CAP, math.ceil(3 * MAX_CANDIDATES / max(1, n_docs))))


def _bound(cands: list[Sentence], n_docs: int) -> list[Sentence]:
    """Keep at most MAX_CANDIDATES sentences: early ones per article, then the closest to the centroid."""
    if len(cands) <= MAX_CANDIDATES:
        return cands
    per_doc = _per_doc(n_docs)
    early = [s for s in cands if s.pos < per_doc * 2]
    counts: dict[int, int] = {}
    kept = []
    for s in early:
        if counts.get(s.doc, 0) < per_doc:
            counts[s.doc] = counts.get(s.doc, 0) + 1
            kept.append(s)
    if len(kept) <= MAX_CANDIDATES:
        return kept
    matrix = get_encoder("tfidf").encode([s.text for s in kept])
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    closeness = np.asarray(matrix @ centroid).ravel()
    # Closest first, but every distinct sentence before any second copy of one (wire copy repeats sentences
    # verbatim, and the repeats of the main story's lead would otherwise fill the whole budget), then every
    # second copy before any third: a fact keeps its copies (its corroboration) as far as the budget allows.
    copies: dict[str, int] = {}
    keyed = []
    for rank, i in enumerate(np.argsort(-closeness, kind="stable")):
        key = " ".join(kept[i].text.lower().split())
        copies[key] = copies.get(key, 0) + 1
        keyed.append((copies[key], rank, int(i)))
    best = [i for _, _, i in sorted(keyed)[:MAX_CANDIDATES]]
    return [kept[i] for i in sorted(best)]


def _similarity(vectors: Any) -> np.ndarray:
    sims = vectors @ vectors.T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    sims = sims.astype(np.float32, copy=False)
    np.fill_diagonal(sims, 0.0)
    return sims


def _lexrank(sims: np.ndarray, restart: np.ndarray | None = None, share: float = 1.0 - DAMPING) -> np.ndarray:
    """Centrality by power iteration on the top-NEIGHBOURS graph (sparse, so each step is O(M*k)).

    ``restart``: where the random walk jumps back to (uniform when None); a focus question puts it on the
    sentences that speak to the question, for ``share`` of the walk (see ``summarizer.focus.Pull``)."""
    from scipy import sparse

    m = sims.shape[0]
    if m == 0:
        return np.zeros(0)
    k = min(NEIGHBOURS, m - 1) if m > 1 else 0
    if k == 0:
        return np.ones(m)
    top = top_k(sims, k)
    rows = np.repeat(np.arange(m), k)
    cols = top.ravel()
    vals = sims[rows, cols]
    keep = vals > SIM_FLOOR
    graph = sparse.csr_matrix((vals[keep], (rows[keep], cols[keep])), shape=(m, m))
    graph = graph + graph.T  # symmetric: similarity is mutual
    out_deg = np.asarray(graph.sum(axis=1)).ravel()
    out_deg[out_deg == 0] = 1.0
    transition = sparse.diags(1.0 / out_deg) @ graph
    rank = np.full(m, 1.0 / m)
    damping = DAMPING if restart is None else 1.0 - share
    jump = np.full(m, 1.0 / m) if restart is None else restart / max(float(restart.sum()), 1e-12)
    for _ in range(50):
        new = (1 - damping) * jump + damping * (transition.T @ rank)
        if np.abs(new - rank).sum() < 1e-6:
            rank = new
            break
        rank = new
    return rank


def _concept_weights(cands: Sequence[Sentence], n_docs: int) -> dict[str, float]:
    """Bigram weight = number of documents using it; a bigram seen in one document only counts when there is
    one document (then its frequency counts instead)."""
    df: dict[str, set[int]] = {}
    tf: dict[str, int] = {}
    for s in cands:
        for c in s.concepts:
            df.setdefault(c, set()).add(s.doc)
            tf[c] = tf.get(c, 0) + 1
    if n_docs <= 1:
        return {c: float(n) for c, n in tf.items() if n >= 2}
    floor = 2 if n_docs < 6 else 3
    return {c: float(len(d)) for c, d in df.items() if len(d) >= floor}


def _scale(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    return np.zeros_like(values) if high - low < 1e-12 else (values - low) / (high - low)


def _position_prior(s: Sentence) -> float:
    return 1.0 / math.sqrt(1.0 + 0.25 * s.pos)


def _readability(s: Sentence, answering: bool = False) -> float:
    """How well a sentence reads alone. ``answering``: it is weighed as an answer to a question, where "The
    official added that Russia had requested five types of equipment" is what was asked for, vague subject or
    not (the focused 100-word summaries lost two to four nuggets of 24 on the held-out focus sets with it)."""
    factor = 1.0
    if PRONOUN_START.match(s.text):
        factor *= 0.75  # "He added that ..." needs the previous sentence to make sense
    elif s.refers_back and not answering:
        factor *= REFERS_BACK_WEIGHT
    if quoted_fraction(s.text) > 0.3:
        factor *= 0.85
    return factor


@dataclass(frozen=True)
class Thresholds:
    """Cosine levels for 'same fact' and 'related', which depend on the encoder: TF-IDF cosines of two
    paraphrases are low (0.3), dense sentence embeddings of unrelated news sentences are already high."""

    same: float
    related: float
    redundant: float  # a brief point this close to a chosen one repeats it
    event: float  # ... and this close to a chosen point of its own strand (see _same_event)


SPARSE = Thresholds(same=0.5, related=0.3, redundant=0.3, event=0.2)
DENSE = Thresholds(same=0.85, related=0.65, redundant=0.7, event=0.6)


@dataclass
class Scored:
    cands: list[Sentence]
    sims: np.ndarray
    centrality: np.ndarray
    weights: dict[str, float]
    thresholds: Thresholds = SPARSE
    vectors: Any = None  # the candidates' rows from the encoder (strands cluster them)
    relevance: np.ndarray | None = None  # similarity to the focus question, in [0, 1]; None without one
    answers: np.ndarray | None = None  # 1 where the follow-up answer engine cites the candidate for the question


MAX_PREVIOUS = MAX_CANDIDATES  # sentences of already-read documents compared with the new ones


def _previous_sentences(previous: Sequence[str]) -> list[str]:
    """At most ``MAX_PREVIOUS`` sentences of the already-read texts: round-robin over the texts, earliest
    sentences first (what a reader remembers of a story is its top)."""
    per_text = [[strip_dateline(x) for x in _doc_sentences(t)] for t in previous]
    out: list[str] = []
    depth = max((len(x) for x in per_text), default=0)
    for k in range(depth):
        for sentences in per_text:
            if k < len(sentences) and word_count(sentences[k]) >= 5:
                out.append(sentences[k])
                if len(out) >= MAX_PREVIOUS:
                    return out
    return out


def _novelty(scored: Scored, prev_vectors: Any, prev_texts: Sequence[str]) -> np.ndarray:
    """1 - the highest similarity of each candidate to an already-read sentence; 0 for a candidate that
    repeats one (the 'same fact' test of ``_duplicate``, with the already-read sentence's words)."""
    m = len(scored.cands)
    if not prev_texts:
        return np.ones(m)
    sims = scored.vectors @ prev_vectors.T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    best = sims.max(axis=1)
    out = np.clip(1.0 - best, 0.0, 1.0)
    t = scored.thresholds
    prev_stems = [_concepts(x)[1] for x in prev_texts]
    k = min(sims.shape[1], NEIGHBOURS)  # the closest already-read sentences are the only possible repeats
    nearest = top_k(sims, k)
    for i, s in enumerate(scored.cands):
        if best[i] >= t.same:
            out[i] = 0.0
            continue
        for j in nearest[i][sims[i, nearest[i]] >= t.related * 0.8]:
            overlap = _overlap(s.stems, prev_stems[j])
            if (sims[i, j] >= t.related and overlap >= 0.4) or overlap >= 0.55:
                out[i] = 0.0
                break
    return out


def score_sentences(docs: Sequence[Sequence[str]], encoder: Encoder | None = None,
                    method: str = DEFAULT_METHOD, query: str | None = None, previous: Sequence[str] = (),
                    dates: Sequence[dt.date | None] | None = None) -> tuple[Scored, int]:
    """Candidates with scores for ``method``; also the total sentence count.

    ``query``: a question to focus on; centrality is then biased towards sentences that speak to it (the
    random walk restarts at them, as in Otterbacher et al.'s biased LexRank) and each score is weighted by
    relevance. ``previous``: texts the reader has already seen; a candidate repeating one of their sentences
    is dropped and the others are weighted by how new they are. ``dates``: each document's date."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r} (available: {', '.join(METHODS)})")
    cands, total = _collect(docs, dates)
    cands = _bound(cands, len(docs))
    for s in cands:
        s.concepts, s.stems = _concepts(s.text)
        if _NAMES_YEAR.search(s.text):  # the full date parse waits for the few sentences that become points
            s.year = next((d.year for d in find_dates(s.text, s.published) if d.year is not None), None)
    if not cands:
        return Scored([], np.zeros((0, 0), np.float32), np.zeros(0), {}), total
    encoder = encoder or get_encoder("tfidf")
    query = " ".join((query or "").split()[:MAX_FOCUS_WORDS]) or None
    prev_texts = _previous_sentences(previous) if previous else []
    texts = [s.text for s in cands]
    all_vectors = encoder.encode(texts + ([query] if query else []) + prev_texts)
    m = len(cands)
    vectors = all_vectors[:m]
    thresholds = SPARSE if hasattr(vectors, "toarray") else DENSE
    sims = _similarity(vectors)
    relevance = answers = None
    if query:  # feedback sentences are picked by generic centrality among the relevant ones
        by_doc: list[list[str]] = [[] for _ in docs]  # the candidates, article by article, in one pass
        for s in cands:
            by_doc[s.doc].append(s.text)
        answers = answer_sentences(query, by_doc, texts)
        relevance = focus_relevance([s.stems for s in cands], vectors, all_vectors[m:m + 1], query, sims,
                                     _lexrank(sims), answers)
        relevance = np.maximum(relevance * answer_shape(texts, query, relevance > 0), answers)
    pull = pull_for(vectors)
    restart = None if relevance is None else focus_restart(relevance)
    centrality = _scale(_lexrank(sims, restart, pull.restart)) if method in ("hybrid", "lexrank") else np.zeros(m)
    weights = _concept_weights(cands, len(docs)) if method in ("hybrid", "concept") else {}
    coverage = _scale(np.array([sum(weights.get(c, 0.0) for c in s.concepts) / math.sqrt(s.n_words)
                                for s in cands])) if weights else np.zeros(m)
    if method == "centroid":
        mean = sims.mean(axis=1)
        base = _scale(mean)
    elif method == "lexrank":
        base = centrality
    elif method == "concept":
        base = coverage
    else:
        base = 0.5 * centrality + 0.5 * coverage
    scored = Scored(cands, sims, centrality, weights, thresholds, vectors, relevance, answers)
    if relevance is not None:
        base = focus_weigh(base, relevance, pull)
    novelty = _novelty(scored, all_vectors[m + (1 if query else 0):], prev_texts) if prev_texts else None
    if novelty is not None:
        base = base * novelty
    for s, b in zip(cands, base, strict=True):
        prior = _position_prior(s) if relevance is None else math.sqrt(_position_prior(s))
        s.score = float(b) * prior * _readability(s, answering=relevance is not None)
    if novelty is not None:  # a sentence the reader has already read is no candidate at all
        scored = _subset(scored, [i for i in range(m) if novelty[i] > 0])
    return scored, total


_NAMES_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b(?:last|next|this|past|coming)\s+year\b|\blast\s+"
                         r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", re.IGNORECASE)
_NAMES_DATE = re.compile(r"\d|day\b|month|year|week|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def _date_of(s: Sentence) -> DateMention | None:
    """The first date the sentence names precise to a month at least (parsed once, on demand), not counting a
    date that names a thing ("the July 7 bombers": the sentence need not be about July 7)."""
    if s.when is None and _NAMES_DATE.search(s.text):
        s.when = next((d for d in find_dates(s.text, s.published) if d.month is not None and not d.attributive),
                      None)
    return s.when


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _duplicate(scored: Scored, i: int, j: int) -> bool:
    """Same fact: very similar, or similar and sharing much of their content words (a paraphrase by another
    outlet keeps the names and numbers but changes the wording, which TF-IDF cosine alone underrates)."""
    a, b = scored.cands[i], scored.cands[j]
    if a.year is not None and b.year is not None and a.year != b.year:
        return False  # events of different years are never one fact
    if _different_facts(a.text, b.text):
        return False
    sim = float(scored.sims[i, j])
    t = scored.thresholds
    if sim >= t.same:
        return True
    overlap = _overlap(a.stems, b.stems)
    return (sim >= t.related and overlap >= 0.4) or (sim >= t.related * 0.8 and overlap >= 0.55)


_OPENING_NAME = re.compile(r"^(?:[A-Z][\w'.-]+\s+){1,3}[A-Z][\w'.-]+")


@lru_cache(maxsize=4096)
def _opening_name(text: str) -> frozenset[str]:
    """The words of the name a sentence opens with (two to four capitalised words), else nothing."""
    opening = _OPENING_NAME.match(text)
    return frozenset(opening.group(0).lower().split()) if opening else frozenset()


def _different_facts(a: str, b: str) -> bool:
    """Two sentences alike in wording that different people open ("Alexander Vinokourov of Kazakhstan has won
    stage 13 of the Tour" / "Alberto Contador of Spain has won the Tour") tell different facts. (Different
    numbers too, often, but tolls and counts are retold as they change: measured, that rule cost the short
    brief a fact in ten on every nugget set, so it is not one.)"""
    subject_a, subject_b = _opening_name(a), _opening_name(b)
    return bool(subject_a and subject_b and not subject_a & subject_b)


@dataclass
class Group:
    members: list[int]
    docs: list[int]
    score: float
    rep: int | None = None  # the member that tells the group's point, when chosen already (see merge_events)
    core: list[int] | None = None  # after an event merge: the members of the group ``rep`` came from


def merge_duplicates(scored: Scored) -> list[Group]:
    """Greedy grouping, best sentence first: each group takes at most one sentence per other article."""
    cands, sims = scored.cands, scored.sims
    order = sorted(range(len(cands)), key=lambda i: -cands[i].score)
    assigned = [False] * len(cands)
    groups: list[Group] = []
    k = min(len(cands) - 1, 4 * NEIGHBOURS)
    copies: dict[str, list[int]] = {}  # verbatim copies (wire stories): all of them join one group
    for i, s in enumerate(cands):
        copies.setdefault(" ".join(s.text.lower().split()), []).append(i)
    for i in order:
        if assigned[i]:
            continue
        assigned[i] = True
        members, docs = [i], [cands[i].doc]
        for j in copies[" ".join(cands[i].text.lower().split())]:
            if not assigned[j]:
                assigned[j] = True
                members.append(j)
                if cands[j].doc not in docs:
                    docs.append(cands[j].doc)
        if k > 0:
            near = top_k(sims[i], k)
            for j in sorted(near, key=lambda j: -sims[i, j]):
                j = int(j)
                if assigned[j] or not _duplicate(scored, i, j):
                    continue
                if cands[j].doc not in docs:
                    docs.append(cands[j].doc)
                members.append(j)
                assigned[j] = True  # a same-article repeat is absorbed too, so it can't come back later
        corroboration = len(docs)
        best = max(cands[m].score for m in members)
        groups.append(Group(members, docs, best * (1.0 + 0.35 * (corroboration - 1))))
    groups.sort(key=lambda g: -g.score)
    return groups


def topic_people(scored: Scored, groups: Sequence[Group], articles: Sequence[Article]) -> PeopleIndex:
    """The people index that resolves "Mr Sullivan" to "Jake Sullivan": built from at most
    ``MAX_EVENT_ARTICLES`` of the articles the first ``MAX_STRAND_GROUPS`` groups come from (those that can
    become points), best group first."""
    top = groups[:MAX_STRAND_GROUPS]
    docs = list(dict.fromkeys(scored.cands[m].doc for g in top for m in g.members))[:MAX_EVENT_ARTICLES]
    return analyse_entities([articles[d] for d in docs], limit=0).people


def merge_events(scored: Scored, groups: list[Group], articles: Sequence[Article],
                 people: PeopleIndex | None = None) -> list[Group]:
    """Groups that tell one event in different words (``summarizer.events``) become one group: it cites all
    their articles and keeps the most informative wording; its rank is its best group's.

    Only the first ``MAX_STRAND_GROUPS`` groups are compared (the rest never become points); ``people``: the
    ``topic_people`` index of ``groups`` (built here when not given)."""
    top = groups[:MAX_STRAND_GROUPS]
    if len(top) < 2:
        return groups
    reps = [_representative(scored, g) for g in top]
    people = people or topic_people(scored, groups, articles)
    vocab = people.vocabulary
    keys = []
    for r in reps:
        s = scored.cands[r]
        when = _date_of(s)
        year = s.year or (when.year if when else None) or (s.published.year if s.published else None)
        keys.append(event_key(s.text, people, vocab, year, when.month if when else None,
                              when.day if when else None))
    merged: list[Group] = []
    for event in event_sets(keys):
        if len(event) == 1:
            merged.append(top[event[0]])
            continue
        parts = [top[k] for k in event]
        members = [m for g in parts for m in g.members]
        best = max(event, key=lambda k: _informative(scored.cands[reps[k]]) * math.sqrt(top[k].score / parts[0].score))
        merged.append(Group(members, list(dict.fromkeys(d for g in parts for d in g.docs)), parts[0].score,
                            reps[best], top[best].core or top[best].members))
    return merged + groups[MAX_STRAND_GROUPS:]


def _informative(s: Sentence) -> float:
    """How much a wording tells: its content words, read alone (no leading pronoun), not a run-on. (The
    caller weighs it by the wording's own score, so a garbled long sentence does not win on length.)"""
    return len(s.stems) * _readability(s) * (1.0 if s.n_words <= 45 else 0.7)


def _representative(scored: Scored, group: Group) -> int:
    """The member that reads best alone: no leading pronoun, little quotation, moderate length, high score."""
    if group.rep is not None:
        return group.rep

    def quality(i: int) -> float:
        s = scored.cands[i]
        length_fit = 1.0 if 12 <= s.n_words <= 40 else 0.8
        return s.score * _readability(s) * length_fit

    return max(group.members, key=quality)


def _redundant(scored: Scored, i: int, chosen: Sequence[int], threshold: float | None = None) -> bool:
    """Too close to a chosen sentence: similar at ``threshold`` or a duplicate (``_duplicate``).

    Vectorised over ``chosen`` (a large topic's chosen groups hold hundreds of members): ``_duplicate`` never
    holds below 0.8 x the 'related' level, so only the few members above that floor are checked one by one."""
    year = scored.cands[i].year
    if year is not None:  # an event of another year repeats nothing, however alike it reads
        chosen = [j for j in chosen if scored.cands[j].year in (None, year)]
    if not chosen:
        return False
    level = scored.thresholds.redundant if threshold is None else threshold
    picked = np.asarray(chosen, dtype=np.intp)
    sims = scored.sims[i, picked]
    text = scored.cands[i].text
    if any(not _different_facts(text, scored.cands[int(j)].text) for j in picked[sims >= level]):
        return True
    floor = min(scored.thresholds.same, scored.thresholds.related * 0.8)
    return any(_duplicate(scored, i, int(j)) for j in picked[(sims >= floor) & (sims < level)])


def _same_event(scored: Scored, i: int, j: int) -> bool:
    """A stricter repeat test for two sentences of one strand (one sub-event): a second point about it must
    bring a new fact, so sharing a third of its content words, or a modest similarity, is already a repeat."""
    a, b = scored.cands[i], scored.cands[j]
    if (a.year is not None and b.year is not None and a.year != b.year) or _different_facts(a.text, b.text):
        return False
    return float(scored.sims[i, j]) >= scored.thresholds.event or _overlap(a.stems, b.stems) >= SAME_EVENT_OVERLAP


def _quote_like(text: str) -> bool:
    """Mostly quotation, or opening with one ('"This is part of our efforts ...," Psaki said ...'): it reads
    as a quote, and belongs in "Key quotes", not among the points."""
    return quoted_fraction(text) > QUOTE_POINT or text.startswith('"')


def _lead_like(s: Sentence, answering: bool = False) -> bool:
    """Can open the brief. ``answering``: the lead answers a question, and a vague subject ("The official
    added that ...") may carry the answer (see ``_readability``)."""
    return (not leans_back(s.text) and (answering or not s.refers_back) and quoted_fraction(s.text) < 0.25
            and not s.text.startswith('"') and 10 <= s.n_words <= 45)


@dataclass(frozen=True)
class Seen:
    """What the reader has already had, for a brief of what is new (update summarisation).

    ``article_ids``: articles already read (e.g. those of the last digest). Those among the articles given to
    ``build_brief`` are not briefed again, and a new sentence repeating one of theirs is dropped (pass the
    whole topic, old articles included: an id alone carries no text). ``texts``: anything else already
    posted (e.g. the last digest's points), compared the same way; at most ``MAX_PREVIOUS`` sentences of
    all of it are compared."""

    article_ids: frozenset[str] = frozenset()
    texts: tuple[str, ...] = ()


# Words of points (the lead not counted): a full brief reads in about a minute, a short one at a glance; a
# focused brief answers a question, so it may run longer.
POINT_WORDS = {"short": 80, "full": 200}
FOCUS_WORDS = {"short": 120, "full": 300}
MAX_FOCUS_WORDS = 60  # a question longer than this is cut: it only steers the ranking
SAME_EVENT_OVERLAP = 0.35
QUOTE_POINT = 0.5  # a sentence mostly in quotation marks belongs in "Key quotes", not among the points
WORD_SLACK = 0.1  # the last point may overrun the budget by this share; a generic brief fills the budget itself
LATEST_WINDOW = (dt.timedelta(days=1), dt.timedelta(days=7))  # "latest": this close to the newest article


@dataclass(frozen=True)
class _Timing:
    """When the topic's articles were published: whether it spans days, and where 'latest' begins."""

    cutoff: dt.date | None  # None when the topic does not span several days (no latest/background split)

    @classmethod
    def of(cls, dates: Sequence[dt.date | None]) -> _Timing:
        known = [d for d in dates if d is not None]
        if not known or max(known) == min(known):
            return cls(None)
        newest, span = max(known), max(known) - min(known)
        window = min(max(span / 10, LATEST_WINDOW[0]), LATEST_WINDOW[1])
        return cls(newest - dt.timedelta(days=window.days))

    def latest(self, members: Sequence[Sentence], rep: Sentence) -> bool | None:
        """A development is latest when it was first reported in the latest articles and names no date
        before them; what every article has repeated since the start is background, however recent."""
        if self.cutoff is None:
            return None
        first = min((m.published for m in members if m.published), default=None)
        if first is None or first < self.cutoff:
            return False
        when = _date_of(rep)
        if when is None or when.year is None or when.month is None:
            return True
        told = dt.date(when.year, when.month, when.day or 28)
        return told >= self.cutoff


def _sort_date(scored: Scored, group: Group, rep: int) -> tuple[int, int, int]:
    """(year, month, day) of what a point tells, for ordering (the date ``_point_date`` shows); undated
    points sort last."""
    s = scored.cands[rep]
    if _date_of(s) is not None:
        return s.when.sort_key(s.published)
    dates = [scored.cands[m].published for m in group.members if scored.cands[m].published]
    first = min(dates, default=None)
    return (first.year, first.month, first.day) if first else (10_001, 0, 0)


def _point_date(scored: Scored, group: Group, rep: int) -> str | None:
    """The date a point is about: the one its sentence names, else its earliest article's date."""
    s = scored.cands[rep]
    if _date_of(s) is not None:
        return s.when.label
    dates = [scored.cands[m].published for m in group.members if scored.cands[m].published]
    return min(dates).isoformat() if dates else None


def point_text(sentence: str) -> str:
    """A sentence as a point shows it: without an opener that leans on a sentence the reader never saw ("As
    before, ...") and compressed (``summarizer.compress``: no attribution to nobody, no frame pointing back)."""
    return compress(without_repeat_opener(sentence))


def brief_strands(scored: Scored, top: Sequence[Group], reps: Sequence[int], eligible: Sequence[int],
                  breadth: bool) -> list[Strand]:
    """The strands of the ``eligible`` positions in ``top`` (``reps``: each group's representative), heaviest
    first, their members positions in ``top``; ``breadth``: a generic brief's settings (see build_brief)."""
    # A merged event clusters by the words of the wording it keeps: the union of all its tellings would link
    # it to every strand.
    terms = [frozenset().union(*(scored.cands[m].stems for m in top[k].core or top[k].members)) for k in eligible]
    vectors = term_vectors(terms, LINK_SHARE if breadth else NARROW_LINK_SHARE)
    strands = find_strands(vectors, [top[k].score for k in eligible], [scored.cands[reps[k]].year for k in eligible],
                           STRAND_LEVEL)
    for strand in strands:
        strand.members = [eligible[i] for i in strand.members]
    return strands


def build_brief(topic: str, title: str, articles: Sequence[Article], length: str = "full",
                encoder: Encoder | str | None = None, enrich: bool = True, focus: str | None = None,
                previous: Seen | None = None) -> Brief:
    """A brief of ``articles``: a one- or two-sentence lead, cited points across the story's strands, every
    source listed.

    Points go round the strands (``summarizer.strands``) until about ``POINT_WORDS`` words; each carries
    the date it is about and, when the articles span several days, whether it is among the latest
    developments or background (at least one latest point is taken first). ``focus``: a question; the brief
    is then built on what speaks to it, and runs to ``FOCUS_WORDS``. ``previous``: what the reader has
    already seen; the brief then covers only the other articles and what they add.
    ``enrich=False`` skips quotes, timeline, entities and disagreements (benchmarks time the core alone)."""
    if isinstance(encoder, str):
        encoder = get_encoder(encoder)
    seen = previous or Seen()
    everything = list(articles)
    read = [a for a in everything if a.id in seen.article_ids]
    articles = [a for a in everything if a.id not in seen.article_ids]
    sources = tuple(Source(a.id, a.title, a.outlet, a.url, a.published) for a in articles)
    docs = [split_sentences(a.body) for a in articles]
    dates = [a.date for a in articles]
    dropped = sum(a.dropped_lines for a in articles)
    focus = " ".join((focus or "").split()[:MAX_FOCUS_WORDS]) or None
    scored, total = score_sentences(docs, encoder, query=focus, previous=[a.body for a in read] + list(seen.texts),
                                    dates=dates)
    coverage = Coverage(len(articles), total, dropped)
    groups = merge_duplicates(scored) if scored.cands else []
    people = topic_people(scored, groups, articles) if groups else None
    groups = merge_events(scored, groups, articles, people)
    if not groups:
        if previous is not None and everything:
            summary = "Nothing new since the last brief."
        else:
            summary = "No article says enough about this topic to brief it." if articles else \
                "No articles match this topic."
        empty = Brief(topic, title, summary, (), sources, coverage)
        return enrich_brief(empty, articles) if enrich and articles else empty

    lead_group = next((g for g in groups[:LEAD_POOL] if _lead_like(scored.cands[_representative(scored, g)])),
                      groups[0])
    stories = _Headlines(scored, articles)  # what each article reports: read only when a rule below needs it
    if focus is None and previous is None:
        lead_group = _story_lead(scored, groups[:LEAD_POOL], stories) or lead_group
    if scored.relevance is not None:  # the answer leads: the most relevant of the best lead-like points
        relevant, cited = scored.relevance, scored.answers  # both set for a question (score_sentences, _subset)
        assert cited is not None
        pool = [g for g in groups[:ANSWER_POOL] if _lead_like(scored.cands[_representative(scored, g)], True)]
        # the answer leads: the most relevant, and of equally relevant ones what the answer engine cites
        lead_group = answer_lead(pool, lambda g: (float(relevant[_representative(scored, g)]),
                                                  float(cited[_representative(scored, g)]))) or lead_group
    lead_idx = _representative(scored, lead_group)
    assert people is not None  # groups were found
    referents = Referents(people)

    def named(text: str, s: Sentence) -> str:
        """``text``, shown for candidate ``s``, with a pronoun whose person its article named just before
        named in brackets (``summarizer.referents``; the choice of points is made on the words as written)."""
        return referents.name(text, docs[s.doc][max(0, s.pos - REFERENT_REACH):s.pos])

    lead_text = scored.cands[lead_idx].text
    # A generic brief tells the whole story (breadth: see summarizer.strands); a focused or update brief tells
    # one part of it, the answer or what is new, and keeps the narrower settings, which measured better there.
    breadth = focus is None and previous is None
    # What the reader has been told is what the brief shows: a group's other members may carry facts its shown
    # sentence does not ("Russia asked China for military aid" inside the group of the lead's call), and in a
    # generic brief they must not block a point that tells them (see choose).
    timing = _Timing.of(dates)
    budget = (FOCUS_WORDS if focus else POINT_WORDS).get(length, POINT_WORDS["full"])

    top = groups[:MAX_STRAND_GROUPS]
    reps = [_representative(scored, g) for g in top]
    strand_of: dict[int, int] = {}  # group position -> strand, for the second-point rule below
    eligible = list(range(len(top)))
    if scored.relevance is not None:
        # An answer: only what speaks to the question (nothing off the subject), across its aspects.
        floor = pull_for(scored.vectors).floor * max(float(scored.relevance[r]) for r in reps)
        eligible = [k for k in eligible if scored.relevance[reps[k]] >= floor or top[k] is lead_group]
    strands = brief_strands(scored, top, reps, eligible, breadth)
    lead_strand = next((n for n, st in enumerate(strands) if lead_group in (top[k] for k in st.members)), None)
    order = [k for k in round_robin(strands, () if lead_strand is None else (lead_strand,),
                                    MAJOR_SHARE if breadth else NARROW_MAJOR_SHARE)
             if top[k] is not lead_group]
    strand_of = {k: n for n, st in enumerate(strands) for k in st.members}
    if breadth:
        # A recap of an earlier occurrence is background: the story's present comes first. A detail of a side
        # event, named only as "the request" ("declined to comment on the nature of the request"), is a further
        # fact of another point's event: it comes after the recaps, once the untold strands have been offered.
        # (More about the lead's own event, an earthquake's toll, is the story itself and keeps its place.)
        side = TRIGGER_KINDS - event_kinds(lead_text)
        order.sort(key=lambda k: (only_refers_to(scored.cands[reps[k]].text, side),
                                  is_recap(scored.cands[reps[k]].text)))  # stable: the order within each kind
    picked = [lead_idx]  # the focus order's first point: each next one differs from what is picked
    speaking: np.ndarray | None = None  # per candidate: speaks to the focus question (summarizer.focus, step 4)
    if focus is not None:  # the answer: most relevant first, then the question's other aspects, then context
        assert scored.relevance is not None and scored.answers is not None
        speaking = speaks_to(focus, [c.stems for c in scored.cands], scored.relevance, scored.answers)
        order = mmr_order([k for k in eligible if top[k] is not lead_group], lambda k: top[k].score,
                          lambda k, j: float(scored.sims[reps[k], j]), picked)
    elif timing.cutoff is not None:  # the newest development first, whatever its strand
        fresh = [k for k in order if timing.latest([scored.cands[m] for m in top[k].members],
                                                   scored.cands[reps[k]])]
        # only one the brief can show as a point beside its lead (not a quote, nor "exactly 222,570 deaths" that
        # retells "200,000 killed"): the next fresh development opens "Latest" instead of none
        lead_members = [lead_idx] if breadth else list(lead_group.members)
        fresh = [k for k in fresh if not _quote_like(scored.cands[reps[k]].text)
                 and not leans_back(scored.cands[reps[k]].text) and not _redundant(scored, reps[k], lead_members)
                 and not (strand_of.get(k) == lead_strand and _same_event(scored, reps[k], lead_idx))]
        first = _latest_lead(scored, top, reps, fresh, stories)
        order = first + [k for k in order if k not in first]

    def shown_words(rep: int) -> int:
        """The words a point costs: those of its sentence as shown (``point_text``), not as written."""
        return word_count(point_text(scored.cands[rep].text))

    def choose(order: Iterable[int], headlines: Sequence[int] = ()) -> list[int]:
        """Positions in ``top`` of the points, in ``order`` within the word budget, none repeating what is
        shown (the lead and the points before it) or, within a strand, a point of its event (except the
        ``headlines``: an untold headline is a development of its own, whatever strand its words fell in)."""
        shown = [lead_idx] if breadth else list(lead_group.members)
        told: dict[int, list[int]] = {}  # strand -> representatives chosen from it (the lead's counts too)
        if lead_strand is not None:
            told[lead_strand] = [lead_idx]
        kept: list[int] = []
        used = 0
        claimed = set(claims(lead_text))  # the claims the shown points make (see summarizer.claims)
        for k in order:
            if used >= (budget if breadth else budget * (1 - WORD_SLACK)):  # a focused or update brief stops short
                break
            rep = reps[k]
            s = scored.cands[rep]
            cost = shown_words(rep)
            if used + cost > budget * (1 + WORD_SLACK) or _quote_like(s.text) or leans_back(s.text) \
                    or _redundant(scored, rep, shown) \
                    or (breadth and (claims(s.text) & claimed or retells_lead(s.text, lead_text))) \
                    or (k not in headlines
                        and any(_same_event(scored, rep, j) for j in told.get(strand_of.get(k, -1), ()))):
                continue
            told.setdefault(strand_of.get(k, -1), []).append(rep)
            claimed |= claims(s.text)
            shown.extend([rep] if breadth else top[k].members)
            kept.append(k)
            picked.append(rep)
            used += cost
        return kept

    chosen = choose(order)
    if speaking is not None:  # what speaks to the question first, then the context (shown apart)
        chosen = [k for k in chosen if speaking[reps[k]]] + [k for k in chosen if not speaking[reps[k]]]
    # Every central article's own story told (see summarizer.headlines); a short brief is read at a glance and
    # keeps to the heaviest strands.
    if breadth and length == "full":
        others = [k for k in eligible if top[k] is not lead_group]
        untold = _headline_points(scored, top, reps, others, stories, [lead_idx] + [reps[k] for k in chosen])
        if untold:
            head = order[:1] if timing.cutoff is not None else []
            chosen = choose(head + untold + [k for k in order if k not in untold and k not in head], untold)
            chosen = _in_story_order(chosen, untold, top)

    points: list[Point] = []
    when: dict[int, tuple[int, int, int]] = {}  # id(point) -> (year, month, day) for ordering the background
    for k in chosen:
        group, rep = top[k], reps[k]
        s = scored.cands[rep]
        ids = tuple(dict.fromkeys(articles[scored.cands[m].doc].id for m in
                                  sorted(group.members, key=lambda m: scored.cands[m].doc)))
        latest = timing.latest([scored.cands[m] for m in group.members], s)
        # shown without an opener that leans on a sentence the reader never saw ("As before, ...")
        point = Point(named(point_text(s.text), s), ids, len(ids), _point_date(scored, group, rep), latest,
                      None if speaking is None else bool(speaking[rep]))
        when[id(point)] = _sort_date(scored, group, rep)
        points.append(point)

    # Lengthen a very short lead with the best point of its own strand that is not among the latest (they have
    # their place): more of the same story, never an unrelated one glued on. A focused brief's lead is the
    # answer, however short: its next point is another aspect, not more of it.
    shown_lead = named(lead_text, scored.cands[lead_idx])
    if word_count(lead_text) < 16 and len(points) > 2 and focus is None and lead_strand is not None:
        extra = next((p for k, p in zip(chosen, points, strict=True)
                      if not p.latest and strand_of.get(k) == lead_strand), None)
        if extra is not None:
            shown_lead = f"{shown_lead} {extra.text}"
            points.remove(extra)
    if timing.cutoff is not None and focus is None:  # latest first (by weight), then the background as a story
        points.sort(key=lambda p: (False, (0, 0, 0)) if p.latest else (True, when[id(p)]))
    brief = Brief(topic, title, shown_lead, tuple(points), sources, coverage)
    if not enrich:
        return brief
    brief = enrich_brief(brief, articles, _central_articles(scored, articles))
    return _trim_extras(brief) if length == "short" else brief


# A short brief is read at a glance: fewer extras, the strongest first (they arrive ranked, except the
# timeline, which keeps the events most sources report, in date order).
SHORT_EXTRAS = {"quotes": 2, "timeline": 3, "entities": 6, "disagreements": 2}


def _trim_extras(brief: Brief) -> Brief:
    strongest = sorted(brief.timeline, key=lambda e: -len(e.sources))[: SHORT_EXTRAS["timeline"]]
    return replace(
        brief,
        quotes=brief.quotes[: SHORT_EXTRAS["quotes"]],
        timeline=tuple(e for e in brief.timeline if e in strongest),
        entities=brief.entities[: SHORT_EXTRAS["entities"]],
        disagreements=brief.disagreements[: SHORT_EXTRAS["disagreements"]],
    )


class _Headlines:
    """The headline terms of a brief's articles (``summarizer.headlines``), weighed by the topic's IDF: computed
    once per brief, and only for the articles a rule asks about."""

    def __init__(self, scored: Scored, articles: Sequence[Article]) -> None:
        self._scored, self._articles = scored, articles
        self._terms: dict[int, frozenset[str]] = {}
        self._parts: dict[int, list[tuple[frozenset[str], bool]]] = {}

    @cached_property
    def idf(self) -> dict[str, float]:
        return story_weights(idf_table([c.stems for c in self._scored.cands]))

    @cached_property
    def labels(self) -> frozenset[str]:
        return series_labels(a.title for a in self._articles)

    def _headline(self, doc: int) -> str:
        """Article ``doc``'s headline as its sentences read it: no series label, no leading attribution, a pair of
        names ("Putin-Xi") as the two names."""
        return reported(names_apart(unlabelled(self._articles[doc].title, self.labels)))

    def of(self, doc: int) -> frozenset[str]:
        """The content stems of article ``doc``'s headline (``_headline``)."""
        if doc not in self._terms:
            self._terms[doc] = headline_terms(_concepts(self._headline(doc))[1], self.idf)
        return self._terms[doc]

    def tells(self, doc: int, terms: Iterable[str]) -> float:
        """The share of article ``doc``'s headline that ``terms`` carry (see ``told_share``)."""
        return told_share(self.of(doc), terms, self.idf)

    def parts(self, doc: int) -> list[tuple[frozenset[str], bool]]:
        """(content stems, upcoming) of each development article ``doc``'s headline reports (``clauses``): the
        whole headline's stems when it reports one."""
        if doc not in self._parts:
            parts: list[tuple[frozenset[str], bool]] = []
            for clause in clauses(self._headline(doc)):
                terms = headline_terms(_concepts(clause.text)[1], self.idf)
                if parts and (len(terms) < MIN_HEADLINE_TERMS or len(parts[-1][0]) < MIN_HEADLINE_TERMS):
                    parts[-1] = (parts[-1][0] | terms, False)  # too few words to name a development alone
                else:
                    parts.append((terms, clause.upcoming))
            self._parts[doc] = parts
        return self._parts[doc]


def _headline_points(scored: Scored, top: Sequence[Group], reps: Sequence[int], eligible: Sequence[int],
                     stories: _Headlines, shown: Sequence[int]) -> list[int]:
    """Positions in ``top`` of the sentences that tell the headlines (each clause of a compound one) the brief
    leaves untold, most central article first (see ``summarizer.headlines``). ``shown``: the candidates the
    brief shows so far."""
    told = set().union(*(scored.cands[i].stems for i in shown))
    # An event still to come is told only by what says it is to come: a past meeting of the same leaders is
    # another event.
    ahead = set().union(*(scored.cands[i].stems for i in shown if UPCOMING.search(scored.cands[i].text)))
    by_doc: dict[int, list[int]] = {}
    for k in eligible:
        for d in {scored.cands[m].doc for m in top[k].members}:
            by_doc.setdefault(d, []).append(k)
    picks: list[int] = []
    for d in _central_docs(scored)[:HEADLINE_ARTICLES]:
        for terms, upcoming in stories.parts(d):
            if len(terms) < MIN_HEADLINE_TERMS or told_share(terms, ahead if upcoming else told,
                                                              stories.idf) >= TOLD_SHARE:
                continue
            # A sentence that opens with a pronoun ("Their claimed intention was ...") cannot tell a story alone.
            fits = [(told_share(terms, scored.cands[reps[k]].stems, stories.idf), k) for k in by_doc.get(d, ())
                    if not leans_back(scored.cands[reps[k]].text)
                    and (not upcoming or UPCOMING.search(scored.cands[reps[k]].text))]
            best = max(((share * top[k].score, k) for share, k in fits if share >= TELLS_SHARE and k not in picks),
                       default=None)
            if best is not None:
                picks.append(best[1])
                rep = scored.cands[reps[best[1]]]
                told |= rep.stems
                if UPCOMING.search(rep.text):
                    ahead |= rep.stems
    return picks


LEAD_POOL = 5  # the lead is one of the best-scored groups
LEAD_STORY = 0.5  # weight of a group's own score against how much of the central articles' headlines it tells


def _story_lead(scored: Scored, pool: Sequence[Group], stories: _Headlines) -> Group | None:
    """The lead-like group that best tells what the most central articles report (their headlines), weighed
    with its score: the pardon that freed the sailors leads, not the shots near a consulate that score a little
    higher. A side event with a far higher score still leads: MultiLing M000 opens with a telethon one outlet
    ran, since any sentence tells its own article's headline in full (a lead read on the other articles'
    headlines fixed that and lost facts on blind nugget sets: README, stop 25). None when no group of ``pool``
    can lead."""
    heads = [d for d in _central_docs(scored)[:HEADLINE_ARTICLES] if len(stories.of(d)) >= MIN_HEADLINE_TERMS]
    leads = [(g, scored.cands[_representative(scored, g)]) for g in pool]
    leads = [(g, s) for g, s in leads if _lead_like(s)]
    if not leads or len(heads) < 2:
        return None

    def weight(lead: tuple[Group, Sentence]) -> float:
        group, s = lead
        return group.score * (LEAD_STORY + sum(stories.tells(d, s.stems) for d in heads) / len(heads))

    return max(leads, key=weight)[0]


def _latest_lead(scored: Scored, top: Sequence[Group], reps: Sequence[int], fresh: Sequence[int],
                 stories: _Headlines) -> list[int]:
    """The point that opens "Latest": among the groups first reported in the latest articles, the weightiest
    one that tells its article's headline (what that article reports, see summarizer.headlines), else the
    weightiest one. A detail of the newest report ("Third place went to ...") is not its development."""
    if not fresh:
        return []

    def tells(k: int) -> bool:
        s = scored.cands[reps[k]]
        return len(stories.of(s.doc)) >= MIN_HEADLINE_TERMS and stories.tells(s.doc, s.stems) >= TELLS_SHARE

    by_weight = sorted(fresh, key=lambda k: -top[k].score)
    return [next((k for k in by_weight if tells(k)), by_weight[0])]


def _in_story_order(chosen: Sequence[int], headlines: Sequence[int], top: Sequence[Group]) -> list[int]:
    """The points in the strands' order, each headline point placed by its score among them (it was taken
    first only so that the budget keeps it)."""
    ordered = [k for k in chosen if k not in headlines]
    for k in (k for k in chosen if k in headlines):
        at = next((n for n, j in enumerate(ordered) if top[j].score < top[k].score), len(ordered))
        ordered.insert(at, k)
    return ordered


def _central_docs(scored: Scored) -> list[int]:
    """Article positions by their best candidate's score, best first."""
    best: dict[int, float] = {}
    for s in scored.cands:
        best[s.doc] = max(best.get(s.doc, 0.0), s.score)
    return sorted(best, key=lambda d: (-best[d], d))


def _central_articles(scored: Scored, articles: Sequence[Article]) -> list[str]:
    """Article ids by their best candidate's score, best first: what the extras read first on a big topic."""
    return [articles[d].id for d in _central_docs(scored)]


def summarize_documents(texts: Sequence[str], words: int, method: str = DEFAULT_METHOD,
                        encoder: Encoder | None = None, query: str | None = None,
                        previous: Sequence[str] = ()) -> str:
    """At most ``words`` words from ``texts``: whole sentences chosen for coverage without repeats.

    Best-scored sentences first, skipping any that repeats one already chosen or no longer fits (the
    ``concept`` method instead maximises bigram coverage per word, after Gillick and Favre). Only when not
    even one sentence fits is a sentence cut to the budget. ``query`` focuses the summary on a question;
    ``previous`` holds documents already read, and the summary then tells what ``texts`` add to them (an
    empty summary when they add nothing).
    """
    if words < 1:
        return ""
    scored, _ = score_sentences([_doc_sentences(t) for t in texts], encoder, method, query=query,
                                previous=previous, dates=[document_date(t) for t in texts])
    cands = scored.cands
    if previous and not cands:  # everything repeats the already-read documents
        return ""
    if not cands:
        return " ".join(" ".join(texts).split()[:words])
    chosen = _select(scored, words, method)
    if not chosen:
        best = max(range(len(cands)), key=lambda i: cands[i].score)
        return " ".join(cands[best].text.split()[:words])
    chosen.sort(key=lambda i: (cands[i].pos, cands[i].doc))
    return " ".join(cands[i].text for i in chosen)


def _subset(scored: Scored, keep: Sequence[int]) -> Scored:
    """The scored candidates restricted to positions ``keep`` (similarities and vectors follow)."""
    index = np.asarray(keep, dtype=np.intp)
    relevance = None if scored.relevance is None else scored.relevance[index]
    answers = None if scored.answers is None else scored.answers[index]
    return Scored([scored.cands[i] for i in keep], scored.sims[np.ix_(index, index)], scored.centrality[index],
                  scored.weights, scored.thresholds, None if scored.vectors is None else scored.vectors[index],
                  relevance, answers)


def _select(scored: Scored, budget: int, method: str) -> list[int]:
    """Indices of the chosen sentences, within ``budget`` words."""
    cands = scored.cands
    if method == "concept":
        return _select_coverage(scored, budget)
    chosen: list[int] = []
    used = 0
    for i in sorted(range(len(cands)), key=lambda i: -cands[i].score):
        if used + cands[i].n_words > budget or _redundant(scored, i, chosen, scored.thresholds.same):
            continue
        chosen.append(i)
        used += cands[i].n_words
    return chosen


def _select_coverage(scored: Scored, budget: int) -> list[int]:
    """Gillick and Favre's objective, solved greedily (lazy, since gains only shrink): the sentence covering
    the most not-yet-covered concept weight per word, until the budget is full."""
    import heapq

    cands, weights = scored.cands, scored.weights
    covered: set[str] = set()

    def gain(i: int) -> float:
        s = cands[i]
        return sum(weights.get(c, 0.0) for c in s.concepts if c not in covered) / s.n_words + 1e-6 * s.score

    heap = [(-gain(i), i) for i in range(len(cands))]
    heapq.heapify(heap)
    chosen: list[int] = []
    used = 0
    while heap:
        _, i = heapq.heappop(heap)
        if used + cands[i].n_words > budget:
            continue
        fresh = gain(i)
        if heap and fresh < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-fresh, i))
            continue
        chosen.append(i)
        covered |= cands[i].concepts
        used += cands[i].n_words
    return chosen
