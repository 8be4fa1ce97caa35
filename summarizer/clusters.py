"""Discovered topics: clusters of articles about the same story, with readable names.

Method (single-pass "leader" clustering from topic detection and tracking, run in batches on sparse
matrices, then one k-means-style refinement pass):

1. each article is its title + lead as hashed term counts (computed once at ingest, see
   ``summarizer.ingest``), re-weighted by IDF over the current corpus and L2-normalised; terms in one
   article only (they link nothing) or in more than half of them (they link everything) are dropped;
2. articles are visited in publication order, ``batch`` at a time: each joins the most similar existing
   story centroid when the cosine reaches ``threshold``, otherwise it starts a new story (new stories in
   a batch are first grouped among themselves, greedily, with the same threshold);
3. every article is then reassigned once to its most similar final centroid, which undoes most of the
   order dependence of step 2; clusters smaller than ``min_size`` are not topics.

Cost: step 1 is linear in the corpus's words; step 2 is one sparse product per batch, linear in the
number of articles times the story centroids sharing their terms, plus a centroid update per batch
(``n/batch`` updates of size O(n * terms)); step 3 is one sparse product. In practice it grows about
linearly up to 10,000 articles (see bench/scale.py); it never builds an article-by-article matrix.

Names: the three title words most over-represented in the cluster (in-cluster frequency times log inverse
frequency across all titles) make the slug (``tsunami-aid-donations``); the title of the article closest
to the centroid is the readable title.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.articles import Article

DEFAULT_THRESHOLD = 0.2  # picked on the 100 MultiLing 2011 articles (real stories); ARI 0.68 there
DEFAULT_MIN_SIZE = 3
_TITLE_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class DiscoveredTopic:
    name: str  # a slug usable as `/brief NAME`
    title: str  # the most central article's title
    terms: tuple[str, ...]  # the distinctive title words the name is made of
    article_ids: tuple[str, ...]  # most central first

    @property
    def size(self) -> int:
        return len(self.article_ids)


def weighted_matrix(counts: Any, max_df: float = 0.5) -> Any:
    """IDF-weighted, L2-normalised rows over the columns that can link two articles (compacted)."""
    import numpy as np

    from summarizer.tfidf import l2_normalize

    counts = counts.tocsr()
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero((df >= 2) & (df <= max(2, max_df * n)))
    matrix = counts[:, keep].tocsr().astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0
    matrix.data *= idf[matrix.indices]
    return l2_normalize(matrix)


def _centroids(matrix: Any, labels: Any, k: int) -> Any:
    """Normalised centroid rows (sparse) of the labelled rows; label -1 rows are ignored."""
    import numpy as np
    from scipy.sparse import csr_matrix

    from summarizer.tfidf import l2_normalize

    rows = np.flatnonzero(labels >= 0)
    onehot = csr_matrix((np.ones(len(rows)), (labels[rows], rows)), shape=(k, matrix.shape[0]))
    return l2_normalize(onehot @ matrix)


def leader_labels(matrix: Any, order: Sequence[int], threshold: float, batch: int = 256) -> Any:
    """Step 2: batched single-pass clustering in ``order``; returns a label per row."""
    import numpy as np

    n = matrix.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    k = 0
    centroids = None
    order = np.asarray(order, dtype=np.int64)
    for start in range(0, n, batch):
        rows = order[start : start + batch]
        block = matrix[rows]
        fresh = np.ones(len(rows), dtype=bool)
        if k:
            sims = (block @ centroids.T).toarray()
            best = sims.argmax(axis=1)
            hit = sims[np.arange(len(rows)), best] >= threshold
            labels[rows[hit]] = best[hit]
            fresh = ~hit
        new_rows = rows[fresh]
        if len(new_rows):
            inner = (matrix[new_rows] @ matrix[new_rows].T).toarray()
            local = np.full(len(new_rows), -1, dtype=np.int64)
            for i in range(len(new_rows)):  # greedy leaders among this batch's new stories
                if local[i] >= 0:
                    continue
                local[i] = k
                joins = (inner[i] >= threshold) & (local < 0)
                local[joins] = k
                k += 1
            labels[new_rows] = local
        centroids = _centroids(matrix, labels, k)
    return labels


def refine_labels(matrix: Any, labels: Any, threshold: float) -> Any:
    """Step 3: one reassignment of every row to its nearest centroid of a multi-article cluster."""
    import numpy as np

    sizes = np.bincount(labels, minlength=labels.max() + 1 if len(labels) else 0)
    multi = np.flatnonzero(sizes >= 2)
    if not len(multi):
        return labels
    remap = np.full(len(sizes), -1, dtype=np.int64)
    remap[multi] = np.arange(len(multi))
    centroids = _centroids(matrix, remap[labels], len(multi))
    sims = (matrix @ centroids.T).toarray()
    best = sims.argmax(axis=1)
    ok = sims[np.arange(len(labels)), best] >= threshold
    refined = np.where(ok, multi[best], -1)
    # rows that fit no multi-article cluster become singletons with fresh labels
    lonely = np.flatnonzero(~ok)
    refined[lonely] = labels.max() + 1 + np.arange(len(lonely))
    return refined


def cluster_articles(
    articles: Sequence[Article],
    counts: Any = None,
    threshold: float = DEFAULT_THRESHOLD,
    min_size: int = DEFAULT_MIN_SIZE,
) -> list[list[int]]:
    """Groups of article positions, each a story with at least ``min_size`` articles, largest first,
    each group ordered most central first."""
    import numpy as np

    if len(articles) < max(2, min_size):
        return []
    if counts is None:
        from summarizer.ingest import lead_vectors

        counts = lead_vectors(articles)
    matrix = weighted_matrix(counts)
    order = sorted(range(len(articles)), key=lambda i: (articles[i].published or "~", articles[i].id))
    labels = refine_labels(matrix, leader_labels(matrix, order, threshold), threshold)
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    out = []
    for members in groups.values():
        if len(members) < min_size:
            continue
        block = matrix[members]
        centre = np.asarray(block.mean(axis=0)).ravel()
        closeness = block @ centre
        out.append([members[i] for i in np.argsort(-closeness, kind="stable")])
    out.sort(key=lambda g: (-len(g), articles[g[0]].id))
    return out


def _tokens(title: str) -> list[str]:
    """Lower-case title words without possessive 's ("Russia's" -> "russia")."""
    return [re.sub(r"['\u2019]s$", "", m.lower()) for m in _TITLE_WORD.findall(title)]


def _title_words(title: str, stop: frozenset[str]) -> set[str]:
    return {w for w in _tokens(title) if len(w) > 2 and w not in stop}


def name_clusters(
    articles: Sequence[Article], groups: Sequence[Sequence[int]], reserved: Iterable[str] = ()
) -> list[DiscoveredTopic]:
    """Readable, unique names for the groups (never equal to a ``reserved`` name, e.g. a named topic)."""
    import math

    from summarizer.tfidf import ENGLISH_STOP_WORDS

    stop = frozenset(ENGLISH_STOP_WORDS)
    words = [_title_words(a.title, stop) for a in articles]
    df = Counter(w for ws in words for w in ws)
    n = len(articles)
    taken = {r.lower() for r in reserved}
    topics = []
    for group in groups:
        inside = Counter(w for i in group for w in words[i])
        floor = max(2, math.ceil(0.2 * len(group)))
        scored = sorted(
            ((c / len(group)) * math.log(n / df[w]), w) for w, c in inside.items() if c >= floor and df[w] < n
        )
        lead = _tokens(articles[group[0]].title)
        chosen = [w for _, w in reversed(scored[-3:])]
        # in the central title's word order when they occur there: "abu-ghraib-prison", not "ghraib-abu-..."
        terms = tuple(sorted(chosen, key=lambda w: lead.index(w) if w in lead else len(lead) + chosen.index(w)))
        from summarizer.ingest import slugify

        base = slugify("-".join(terms) if terms else articles[group[0]].title, max_length=40)
        name, suffix = base, 2
        while name in taken:
            name, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(name)
        topics.append(
            DiscoveredTopic(name, articles[group[0]].title, terms, tuple(articles[i].id for i in group))
        )
    return topics


def discover_topics(
    articles: Sequence[Article],
    counts: Any = None,
    reserved: Iterable[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    min_size: int = DEFAULT_MIN_SIZE,
) -> list[DiscoveredTopic]:
    """Stories in ``articles`` with names; ``counts`` are stored lead vectors (rows in article order)."""
    groups = cluster_articles(articles, counts, threshold=threshold, min_size=min_size)
    return name_clusters(articles, groups, reserved)


VectorLookup = Callable[[Sequence[Article]], Any]


class TopicDiscoverer:
    """Discovered topics for whatever article set it is given, recomputed only when the set changes.

    Lead vectors come from ``vectors`` (e.g. the article store's ingest-time features) or are computed
    here and memoised by content hash, so adding ten articles to ten thousand re-hashes ten.
    """

    def __init__(
        self,
        vectors: VectorLookup | None = None,
        reserved: Iterable[str] = (),
        threshold: float = DEFAULT_THRESHOLD,
        min_size: int = DEFAULT_MIN_SIZE,
    ) -> None:
        self._vectors = vectors
        self._reserved = tuple(reserved)
        self._threshold = threshold
        self._min_size = min_size
        self._rows: dict[str, Any] = {}
        self._signature = ""
        self._topics: list[DiscoveredTopic] = []

    def _counts(self, articles: Sequence[Article]) -> Any:
        if self._vectors is not None:
            return self._vectors(articles)
        from scipy.sparse import vstack

        from summarizer.ingest import lead_vectors

        missing = [a for a in articles if a.content_hash not in self._rows]
        if missing:
            fresh = lead_vectors(missing)
            for i, article in enumerate(missing):
                self._rows[article.content_hash] = fresh[i]
        return vstack([self._rows[a.content_hash] for a in articles], format="csr")

    def __call__(self, articles: Sequence[Article]) -> list[DiscoveredTopic]:
        digest = hashlib.sha256()
        for article in articles:
            digest.update(f"{article.id}\0{article.content_hash}\n".encode())
        signature = digest.hexdigest()
        if signature != self._signature:
            counts = self._counts(articles) if len(articles) >= self._min_size else None
            self._topics = discover_topics(
                articles, counts, self._reserved, threshold=self._threshold, min_size=self._min_size
            )
            self._signature = signature
        return self._topics
