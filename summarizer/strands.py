"""Strands: the sub-events of a topic, so a brief tells the whole story instead of its main event many ways.

A strand is a set of point candidates (groups of near-duplicate sentences, see ``summarizer.brief``) about
one sub-event: the call between two leaders, the request for weapons, the sanctions debate. They are found by
average-linkage agglomerative clustering of the candidates' term vectors (``term_vectors``: the content
stems of all the group's sentences, so several wordings of a fact pull together, without the words in a
large share of the candidates, which are the topic's own names and link everything), cut where the average
similarity between two strands falls under ``LEVEL``. Two candidates dated to different years never
share a strand: a summit in 2021 and one in 2023 are different events however alike they read.

Selection then goes round the strands (``round_robin``): every major strand gives its best candidate before
any strand gives a second, and a strand's later candidates come only while they add something new.

Cost: at most ``MAX_STRAND_GROUPS`` candidates are clustered (the best-scored; the rest could never become
points within a brief's word budget), so clustering is O(G^2) with G <= ``MAX_STRAND_GROUPS`` whatever the
topic size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

MAX_STRAND_GROUPS = 120
LEVEL = 0.1  # average cosine of term vectors at which two strands are one
# Breadth. A generic brief tells the story: every strand but the slightest (under a tenth of the heaviest:
# a one-sentence aside) offers its best candidate before any offers a second, and words in a fifth of the
# candidates are the topic's own and link no strands. (Every strand first, share 0, scored a nugget or two
# lower on all four nugget sets: the asides took the place of a major strand's second fact.) A focused
# or update brief tells one part of it (the answer, what is new): it goes deeper into the strands that weigh (a
# strand under NARROW_MAJOR_SHARE of the heaviest waits for the others' second points), and its candidates,
# all about that part, share more words. Measured side by side (bench/nuggets.py): breadth raised generic
# recall and cost focused recall and update novelty, hence two settings.
MAJOR_SHARE = 0.1  # a strand weighing less than this share of the heaviest one is minor
NARROW_MAJOR_SHARE = 0.25
LINK_SHARE = 0.2  # term_vectors: a term in more than this share of the candidates links nothing
NARROW_LINK_SHARE = 0.3
STRAND_MASS = 0.1  # what each further candidate adds to a strand's weight (see _weight)


@dataclass
class Strand:
    """Candidate positions (into the caller's list, best first) and the strand's weight (see ``_weight``)."""

    members: list[int]
    weight: float


def find_strands(vectors: np.ndarray, scores: Sequence[float], years: Sequence[int | None],
                 level: float) -> list[Strand]:
    """Strands of the candidates whose L2-normalised ``vectors`` (rows) are given, heaviest first.

    ``level``: the average cosine two strands need to be merged. ``years``: each candidate's year when known;
    candidates of different known years are kept apart."""
    n = len(scores)
    if n == 0:
        return []
    if n == 1:
        return [Strand([0], float(scores[0]))]
    from summarizer.linkage import average_linkage_clusters  # scipy.cluster's, without its import cost

    sims = np.clip(vectors @ vectors.T, 0.0, 1.0)
    known = np.array([y if y is not None else -1 for y in years])
    apart = (known[:, None] >= 0) & (known[None, :] >= 0) & (known[:, None] != known[None, :])
    distance = 1.0 - sims
    distance[apart] = 1.0 + 1.0  # beyond any cut, and average linkage keeps it from being averaged away
    np.fill_diagonal(distance, 0.0)
    labels = average_linkage_clusters(distance, 1.0 - level)
    by_label: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(int(label), []).append(i)
    strands = [Strand(sorted(m, key=lambda i: -scores[i]), _weight([scores[i] for i in m]))
               for m in by_label.values()]
    strands.sort(key=lambda s: (-s.weight, s.members[0]))
    return strands


def _weight(scores: Sequence[float]) -> float:
    """A strand weighs what its best candidate does, plus a little for every other telling of it: a sub-event
    is major when it is reported prominently, not merely when it is told in many small ways."""
    ordered = sorted(scores, reverse=True)
    return float(ordered[0] + STRAND_MASS * sum(ordered[1:]))


def round_robin(strands: Sequence[Strand], covered: Sequence[int] = (),
                major_share: float = MAJOR_SHARE) -> Iterator[int]:
    """Candidate positions in the order a brief should consider them.

    Round 1 offers the best candidate of every major strand (heaviest first), skipping strands in
    ``covered`` (already told, e.g. by the lead); round 2 their second candidates, and so on; then the minor
    strands the same way. The caller skips candidates that repeat a chosen one, so a strand's second point
    is only taken when it adds a new fact."""
    if not strands:
        return
    top = strands[0].weight
    major = [k for k, s in enumerate(strands) if s.weight >= major_share * top]
    minor = [k for k, s in enumerate(strands) if s.weight < major_share * top]
    skip_first = set(covered)
    for ranks in (major, minor):
        depth = max((len(strands[k].members) for k in ranks), default=0) + 1
        for level in range(depth):
            for k in ranks:
                members = strands[k].members
                index = level - 1 if k in skip_first else level
                if 0 <= index < len(members):
                    yield members[index]


# Words news uses interchangeably for one kind of event ("video call" = "virtual summit" = "talks").
EVENT_SYNONYMS = {
    "meeting": "meet", "met": "meet", "summit": "meet", "talk": "meet", "spoke": "meet", "speak": "meet",
    "call": "meet", "conversation": "meet", "discussion": "meet", "discuss": "meet", "virtual": "video",
    "online": "video", "invaded": "invade", "invasion": "invade", "began": "start", "started": "start",
    "launched": "start", "weapon": "arm", "arms": "arm", "lethal": "arm", "sanction": "penalty",
}


def term_vectors(term_sets: Sequence[frozenset[str]], max_share: float = LINK_SHARE) -> np.ndarray:
    """L2-normalised IDF rows over the terms that can tell sub-events apart: a term in one candidate only
    links nothing, a term in more than ``max_share`` of them (the topic's own names) links everything."""
    n = len(term_sets)
    mapped = [{EVENT_SYNONYMS.get(t, t) for t in terms} for terms in term_sets]
    df: dict[str, int] = {}
    for terms in mapped:
        for t in terms:
            df[t] = df.get(t, 0) + 1
    ceiling = max(2.0, max_share * n)
    vocab = {t: k for k, t in enumerate(sorted(t for t, c in df.items() if 2 <= c <= ceiling))}
    rows = np.zeros((n, max(1, len(vocab))), dtype=np.float64)
    for i, terms in enumerate(mapped):
        for t in terms:
            k = vocab.get(t)
            if k is not None:
                rows[i, k] = np.log((1.0 + n) / (1.0 + df[t])) + 1.0
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)

