"""Query-focused ranking: how much each sentence speaks to a reader's question, and an answer-first brief.

A focused brief (``build_brief(focus=...)``) and a focused summary (``summarize_documents(query=...)``) run
the generic engine (``summarizer.brief``: candidates, LexRank, near-duplicate groups, strands, word budget)
with these changes, all made here:

1. Relevance (``relevance``): each candidate's cosine with the question in the configured encoder's space
   (TF-IDF; MiniLM when that is the configured encoder, which then also matches paraphrases) plus the
   IDF-weighted share of the question's content stems it contains. Then pseudo-relevance feedback: the few
   distinct sentences that match the question clearly and are central to the story are taken as relevant,
   and every candidate gains by its average similarity to them (Rocchio's expansion, computed on the
   similarity matrix the engine already has). A detail told in the story's own words ("crews poured
   concrete for the sea walls") thus ranks above an unrelated sentence although it shares no word with the
   question. ``answer_shape`` lowers sentences without the kind of answer asked for (no number for "how
   many", no list for "What X did ..."), with the answer-type tests of ``summarizer.qa``.
2. Scores (``restart``, ``weigh``): LexRank's random walk restarts at the relevant sentences (biased LexRank,
   Otterbacher et al.) and the score is then scaled by relevance. Both pulls are gentle on purpose: a
   question word like "end" or "find" also matches sentences that answer nothing, so the question reweights
   the story's own ranking instead of replacing it (a strong pull lost answer nuggets to question-echoing
   sentences on bench/nuggets.py).
3. Brief (``answer_lead``, ``mmr_order``): the lead is the most relevant of the best lead-like points (the
   answer leads); points below ``Pull.floor`` of the best relevance are left out; the rest are taken by
   maximal marginal relevance (Carbonell and Goldstein) instead of going round the strands: each next point
   is the best-scored one least like the points already kept. The generic brief's rules still hold (no
   repeat of a kept point, a strand's second point must bring a new fact, the word budget).
4. Answer and context (``speaks_to``): a point speaks to the question when the answer engine cites it, when
   it is at least ``SPEAKS_SHARE`` as relevant as the best candidate, or when it holds most of the weight of
   the question's own words that few of the story's sentences use (not "Russia" or "China" in a China-Russia
   topic, but "ask" or "equipment"). The points that speak come first; the rest follow as context, marked
   ``Point.answers = False`` so that every rendering shows them apart ("Also in the story"): a reader sees
   where the answer ends. They are shown, not dropped: the test is lexical and misses answers worded
   otherwise, and on bench/nuggets.py a brief that stopped at the context lost answer nuggets (README).

Cost: the feedback reads ``FEEDBACK_SENTENCES`` columns of the M x M similarity matrix (O(M)), one more
LexRank run picks them (O(M x NEIGHBOURS) per iteration), and the MMR order is O(G^2 x points) over at most
``summarizer.strands.MAX_STRAND_GROUPS`` groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from summarizer.analyzer import STOP_WORDS, idf_table, stem, words

T = TypeVar("T")



@dataclass(frozen=True)
class Pull:
    """How hard the question pulls (step 2 of the module docstring), which depends on how far its relevance
    can be trusted: word matching (TF-IDF) also scores sentences that merely echo a question word ("end",
    "find"); a sentence encoder (MiniLM) scores what a sentence means."""

    restart: float  # share of the random walk that restarts at question-relevant sentences (biased LexRank)
    keep: float  # share of its score a sentence that speaks nothing to the question keeps
    floor: float  # a focused brief leaves out points less than this share as relevant as the best one


# Measured on bench/nuggets.py (focus mode, both seen question sets, briefs compared at equal words): with
# TF-IDF the strong pull (the first focus mode's) brought fewer answer nuggets than the generic brief and the
# gentle one more; with MiniLM the two did about as well for briefs, and the strong one better for 100-word
# summaries (38% of the nuggets against 26% on the 12 hand-written questions). Stop 19: with TF-IDF, a walk
# restarting twice as often at the question's sentences (0.3) was a wash over the four focus sets weighted by
# questions (+0.1 points at equal length, -1.0 on the first 100 words), so it stays at 0.15
# (docs/issue-11-log.md, "Stop 19").
LEXICAL = Pull(restart=0.15, keep=0.5, floor=0.1)
SEMANTIC = Pull(restart=0.5, keep=0.2, floor=0.3)


def pull_for(vectors: Any) -> Pull:
    """The pull for the candidates' encoder rows: sparse rows come from TF-IDF, dense ones from MiniLM."""
    return LEXICAL if hasattr(vectors, "toarray") else SEMANTIC


RESTART_FLOOR = 0.05  # every sentence keeps this share of the walk's restart (the graph stays connected)
FEEDBACK_SENTENCES = 5  # pseudo-relevant sentences (distinct ones) whose likeness expands the question
FEEDBACK_MATCH = 0.5  # ... among those at least this close to the best direct match (a clear match, not a stray word)
FEEDBACK_WEIGHT = 0.25  # weight of the likeness to them against the direct match with the question (1.0)
MMR_LAMBDA = 0.7  # weight of a point's own (focused) score against its similarity to the points chosen
ANSWER_POOL = 8  # the lead of a focused brief is the most relevant lead-like one among this many best points
TYPE_MISS = 0.7  # relevance kept by a sentence without the kind of answer asked for (no number for "how many")
SPEAKS_SHARE = 0.7  # a point at least this share as relevant as the best candidate speaks to the question
SPECIFIC_SHARE = 0.1  # a question word at most this share of the candidates hold is specific to the question
SPECIFIC_WEIGHT = 0.5  # ... and a point holding this share of the specific words' IDF weight speaks to it

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
    idf = idf_table(stems, q)
    total = sum(idf.values())
    return np.array([sum(idf[t] for t in q & s) / total for s in stems])


def answer_sentences(query: str, docs: Sequence[Sequence[str]], texts: Sequence[str]) -> np.ndarray:
    """1 for each of ``texts`` that the follow-up answer engine (``summarizer.qa``) cites for the question,
    else 0: it reads the question with the shared analyzer, its paraphrase tables and its answer-type gates
    ("what did Russia ask for?" meets "Russia had requested five types of equipment: ..."), which the word
    match below cannot. A focused brief and an answer in chat then agree on what answers the question."""
    from summarizer.articles import Article
    from summarizer.qa import answer_question  # focus only: not on a cold start

    articles = [Article(f"d{n}", "", "\n".join(doc)) for n, doc in enumerate(docs) if doc]
    answer = answer_question(query, articles)
    cited = {_key(c.text) for c in answer.citations} if answer.answered else set()
    return np.array([1.0 if _key(t) in cited else 0.0 for t in texts])


def _key(text: str) -> str:
    return " ".join(words(text))


def relevance(stems: Sequence[frozenset[str]], vectors: Any, query_row: Any, query: str, sims: np.ndarray,
              centrality: np.ndarray | None = None, answers: np.ndarray | None = None) -> np.ndarray:
    """How much each candidate speaks to the question, in [0, 1] (see the module docstring, step 1).

    ``stems``: each candidate's content stems; ``vectors``: their encoder rows (L2-normalised); ``query_row``:
    the question's row from the same encoder; ``sims``: the candidates' similarity matrix (zero diagonal, so
    a feedback sentence does not count its own likeness); ``centrality``: their generic centrality, which
    picks the feedback sentences among the relevant ones (None: relevance alone picks them); ``answers``: 1 for
    the sentences the answer engine cites (``answer_sentences``), which then count as clear matches and pick the
    feedback (the caller raises them to 1 again after its answer-type weighting)."""
    first = _scale(_cosine(vectors, query_row) + lexical_share(stems, query))
    if answers is not None:  # what the answer engine cites is as relevant as the best direct match
        first = np.maximum(first, answers)
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


def answer_shape(texts: Sequence[str], query: str, among: np.ndarray | None = None) -> np.ndarray:
    """1 for a sentence holding the kind of answer the question asks for, ``TYPE_MISS`` otherwise: a number
    for "how many", a date for "when", a new name for "who", a place for "where", a list for "What X did
    ..." (the answer-type tests of ``summarizer.qa``, so briefs and answers agree on what answers what).
    ``among``: a mask of the sentences worth testing (the others get 1; a zero relevance stays zero anyway)."""
    from summarizer.qa import list_head, matches_type, question_type  # focus only: not on a cold start
    from summarizer.qa_topic import enumerates

    kind = question_type(query)
    head = list_head(query) if kind.name == "what" else None
    out = np.ones(len(texts))
    if kind.name in ("what", "why") and head is None:
        return out
    for i in range(len(texts)) if among is None else np.flatnonzero(among):
        if not (enumerates(texts[i]) if head is not None else matches_type(kind, texts[i], query)):
            out[i] = TYPE_MISS
    return out


def restart(relevance_: np.ndarray) -> np.ndarray:
    """Where the focused random walk restarts: at the relevant sentences (biased LexRank, Otterbacher et al.)."""
    return relevance_ + RESTART_FLOOR


def weigh(base: np.ndarray, relevance_: np.ndarray, pull: Pull) -> np.ndarray:
    """The focused score: the generic one scaled by relevance (a sentence off the question keeps some)."""
    return base * (pull.keep + (1.0 - pull.keep) * relevance_)


def answer_lead(groups: Sequence[T], relevance_of: Callable[[T], float | tuple[float, ...]]) -> T | None:
    """The point to lead with: the most relevant of ``groups`` (the best-scored lead-like points, best first;
    the earlier one on a tie; ``relevance_of`` may break ties itself), None when there are none."""
    return max(groups, key=relevance_of, default=None)


def mmr_order(candidates: Sequence[int], score: Callable[[int], float], similarity: Callable[[int, int], float],
              chosen: Sequence[int]) -> Iterator[int]:
    """Candidates in maximal-marginal-relevance order, computed lazily: each step takes the best of
    ``MMR_LAMBDA`` x its score (scaled to the best one) minus the rest x its highest ``similarity`` to the
    members of ``chosen`` at that moment (the caller appends what it keeps, so a skipped candidate does not
    count as said)."""
    left = list(candidates)
    top = max((score(k) for k in left), default=0.0) or 1.0
    own = {k: MMR_LAMBDA * score(k) / top for k in left}
    near = dict.fromkeys(left, 0.0)  # highest similarity to the members of ``chosen`` seen so far
    seen = 0
    while left:
        for j in chosen[seen:]:  # only the members kept since the last step: O(candidates) per new member
            for k in left:
                near[k] = max(near[k], similarity(k, j))
        seen = len(chosen)
        best = max(left, key=lambda k: own[k] - (1.0 - MMR_LAMBDA) * near[k])
        left.remove(best)
        yield best


def speaks_to(query: str, stems: Sequence[frozenset[str]], relevance_: np.ndarray, answers: np.ndarray) -> np.ndarray:
    """True for each candidate that speaks to the question (step 4 of the module docstring): cited by the answer
    engine (``answers``), at least ``SPEAKS_SHARE`` as relevant as the best one, or holding ``SPECIFIC_WEIGHT``
    of the IDF weight of the question's specific words (``specific_stems``). ``stems``: each candidate's content
    stems."""
    specific = specific_stems(query, stems)
    best = float(relevance_.max()) if relevance_.size else 0.0
    lexical = np.zeros(len(stems), dtype=bool)
    if specific:  # most of the specific words' weight: "visit" and "Moscow", not "Moscow" alone
        idf = idf_table(stems, specific)
        total = sum(idf.values())
        lexical = np.array([sum(idf[t] for t in specific & s) >= SPECIFIC_WEIGHT * total for s in stems], dtype=bool)
    return (answers > 0) | ((relevance_ >= SPEAKS_SHARE * best) & (best > 0)) | lexical


def specific_stems(query: str, stems: Sequence[frozenset[str]]) -> frozenset[str]:
    """The question's content stems that at most ``SPECIFIC_SHARE`` of the candidates hold: what the question
    asks about beyond the story's own subject ("ask" and "equipment" in "What equipment did Russia ask China
    for?", not "Russia" or "China", which half the sentences of a China-Russia story name). A word no candidate
    holds is left out: the story words it otherwise ("softening" told as "tone down"), and it would weigh on
    every sentence's share."""
    counts = dict.fromkeys(query_stems(query), 0)
    for s in stems:
        for t in s & counts.keys():
            counts[t] += 1
    return frozenset(t for t, n in counts.items() if 0 < n <= SPECIFIC_SHARE * len(stems))
