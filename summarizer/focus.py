"""Query-focused ranking: how much each sentence speaks to a reader's question, and an answer-first order.

A focused brief (``build_brief(focus=...)``) and a focused summary (``summarize_documents(query=...)``) use
the generic engine (``summarizer.brief``) with three changes made here:

1. Relevance (``relevance``): each candidate's cosine with the question in the configured encoder's space
   (TF-IDF, or MiniLM when that is the configured encoder, which then also matches paraphrases) plus the
   IDF-weighted share of the question's content stems it contains. Then pseudo-relevance feedback (Rocchio):
   the question vector is moved towards the few sentences that are both most relevant and most central, and
   the cosine is taken again. A question worded far from the text ("How is Chile recovering?") thus reaches
   the sentences that use the text's own words for it ("reconstruction"), because the best first matches
   carry those words. Centrality picks the feedback sentences, so a stray match on a common word ("end",
   "find") does not steer the expansion.
2. Scores (``weigh``): the generic score (centrality from a random walk that restarts at relevant sentences,
   see ``restart``) is multiplied by relevance. The question decides what is in the brief; the story's
   centrality still decides between two equally relevant sentences.
3. Order (``mmr_order``): points are taken by maximal marginal relevance (Carbonell and Goldstein): the next
   point is the most relevant one that is least like the points already chosen, so the answer leads and the
   question's other aspects follow, before anything merely central.

Cost: one extra sparse or dense product of the candidates with the expanded question (O(M x dimension)) and
an O(G^2) greedy order over at most ``summarizer.strands.MAX_STRAND_GROUPS`` groups.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np

from summarizer.analyzer import STOP_WORDS, stem, words
from summarizer.qa import enumerates, list_head, matches_type, question_type

T = TypeVar("T")

# The question's signal is noisy (a question word like "end" or "find" also matches sentences that do not
# answer), so it reweights the story's own ranking rather than replacing it: measured on bench/nuggets.py, a
# strong pull (half the walk restarting at relevant sentences, off-question sentences kept at a fifth of their
# score) brought fewer answer nuggets per word than the generic brief; this gentler one brings more.
FOCUS_RESTART = 0.15  # share of the random walk that restarts at question-relevant sentences (biased LexRank)
RESTART_FLOOR = 0.05  # every sentence keeps this share of the walk's restart (the graph stays connected)
RELEVANCE_FLOOR = 0.5  # a sentence that shares nothing with the question keeps this share of its score
FOCUS_FLOOR = 0.1  # a focused brief leaves out points less than this share as relevant as the best one
FEEDBACK_SENTENCES = 5  # pseudo-relevant sentences (distinct ones) whose likeness expands the question
FEEDBACK_MATCH = 0.5  # ... among those at least this close to the best direct match (a clear match, not a stray word)
FEEDBACK_WEIGHT = 0.25  # weight of the likeness to them against the direct match with the question (1.0)
MMR_LAMBDA = 0.7  # weight of a point's own (focused) score against its similarity to the points chosen
ANSWER_POOL = 8  # the lead of a focused brief is the most relevant lead-like one among this many best points
TYPE_MISS = 0.7  # relevance kept by a sentence without the kind of answer asked for (no number for "how many")

# Words that frame a question without naming its subject ("How many ...", "What happened ...").
QUESTION_WORDS = frozenset({"many", "much", "happen", "happened"})


def query_stems(query: str) -> frozenset[str]:
    """The question's content stems (stop words and question framing left out)."""
    return frozenset(stem(w) for w in words(query) if w not in STOP_WORDS and w not in QUESTION_WORDS
                     and len(w) > 1)


def _cosine(vectors: Any, row: Any) -> np.ndarray:
    cos = vectors @ row.T
    cos = cos.toarray().ravel() if hasattr(cos, "toarray") else np.asarray(cos).ravel()
    return np.clip(cos, 0.0, 1.0)


def _scale(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    low, high = float(values.min()), float(values.max())
    return np.zeros_like(values) if high - low < 1e-12 else (values - low) / (high - low)


def lexical_share(stems: Sequence[frozenset[str]], query: str) -> np.ndarray:
    """Share of the question's content stems each sentence contains, each stem weighted by its IDF among the
    candidates ("equipment" counts more than "china" in a topic about China)."""
    q = query_stems(query)
    if not q:
        return np.zeros(len(stems))
    df = {t: sum(1 for s in stems if t in s) for t in q}
    idf = {t: math.log((1 + len(stems)) / (1 + n)) + 1.0 for t, n in df.items()}
    total = sum(idf.values())
    return np.array([sum(idf[t] for t in q & s) / total for s in stems])


def relevance(stems: Sequence[frozenset[str]], vectors: Any, query_row: Any, query: str, sims: np.ndarray,
              centrality: np.ndarray | None = None) -> np.ndarray:
    """How much each candidate speaks to the question, in [0, 1] (see the module docstring, step 1).

    ``stems``: each candidate's content stems; ``vectors``: their encoder rows (L2-normalised); ``query_row``:
    the question's row from the same encoder; ``sims``: the candidates' similarity matrix (zero diagonal, so
    a feedback sentence does not count its own likeness); ``centrality``: their generic centrality, which
    picks the feedback sentences among the relevant ones (None: relevance alone picks them)."""
    first = _scale(_cosine(vectors, query_row) + lexical_share(stems, query))
    if len(stems) <= 1 or FEEDBACK_SENTENCES <= 0:
        return first
    pick = first * (0.5 + 0.5 * _scale(centrality)) if centrality is not None else first
    feedback: list[int] = []
    seen: set[frozenset[str]] = set()
    for i in np.argsort(-pick, kind="stable"):
        if first[i] < FEEDBACK_MATCH or len(feedback) >= FEEDBACK_SENTENCES:
            break
        if stems[i] not in seen:  # a verbatim copy adds no evidence
            seen.add(stems[i])
            feedback.append(int(i))
    if not feedback:
        return first
    like = _scale(np.asarray(sims[:, feedback], dtype=np.float64).mean(axis=1))
    return _scale(first + FEEDBACK_WEIGHT * like)


def answer_shape(texts: Sequence[str], query: str) -> np.ndarray:
    """1 for a sentence holding the kind of answer the question asks for, ``TYPE_MISS`` otherwise: a number
    for "how many", a date for "when", a new name for "who", a place for "where", a list for "What X did
    ..." (the answer-type tests of ``summarizer.qa``, so briefs and answers agree on what answers what)."""
    kind = question_type(query)
    head = list_head(query) if kind.name == "what" else None
    if kind.name in ("what", "why") and head is None:
        return np.ones(len(texts))
    fits = [enumerates(t) if head is not None else matches_type(kind, t, query) for t in texts]
    return np.where(fits, 1.0, TYPE_MISS)


def restart(relevance_: np.ndarray) -> np.ndarray:
    """Where the focused random walk restarts: at the relevant sentences (biased LexRank, Otterbacher et al.)."""
    return relevance_ + RESTART_FLOOR


def weigh(base: np.ndarray, relevance_: np.ndarray) -> np.ndarray:
    """The focused score: the generic one scaled by relevance (a sentence off the question keeps a little)."""
    return base * (RELEVANCE_FLOOR + (1.0 - RELEVANCE_FLOOR) * relevance_)


def answer_lead(groups: Sequence[T], relevance_of: Callable[[T], float]) -> T | None:
    """The point to lead with: the most relevant of ``groups`` (the best-scored lead-like points, best first;
    the earlier one on a tie), None when there are none."""
    return max(groups, key=relevance_of, default=None)


def mmr_order(candidates: Sequence[int], score: Callable[[int], float], similarity: Callable[[int, int], float],
              chosen: Sequence[int]) -> Iterator[int]:
    """Candidates in maximal-marginal-relevance order, computed lazily: each step takes the best of
    ``MMR_LAMBDA`` x its score (scaled to the best one) minus the rest x its highest ``similarity`` to the
    members of ``chosen`` at that moment (the caller appends what it keeps, so a skipped candidate does not
    count as said)."""
    left = list(candidates)
    top = max((score(k) for k in left), default=0.0) or 1.0
    while left:
        def value(k: int) -> float:
            near = max((similarity(k, j) for j in chosen), default=0.0)
            return MMR_LAMBDA * score(k) / top - (1.0 - MMR_LAMBDA) * near

        best = max(left, key=value)
        left.remove(best)
        yield best
