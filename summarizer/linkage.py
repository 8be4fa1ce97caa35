"""Flat clusters of average-linkage agglomerative clustering, on numpy alone.

Strands (``summarizer.strands``) cluster at most ``MAX_STRAND_GROUPS`` (120) candidates. scipy's
``linkage``/``fcluster`` did it, but importing ``scipy.cluster`` pulls in ``scipy.spatial``, ``scipy.linalg``
and ``scipy.special`` too: about 0.2 s of CPU in every cold ``briefbot brief``, for a computation that takes
milliseconds at this size. This is the same algorithm as scipy's ``linkage(method="average")`` (the
nearest-neighbour chain of ``scipy.cluster._hierarchy.nn_chain``, with its tie-breaking: the previous chain
element is preferred, then the lowest index; a merged cluster takes the higher index) and the same cut as
``fcluster(criterion="distance")`` (a cluster is a subtree whose highest merge is <= the cut), so equal
distances merge in the same order and the flat clusters are the same; ``tests/test_linkage.py`` compares the
two on random and tie-heavy inputs.
"""

from __future__ import annotations

import numpy as np


def average_linkage_clusters(distance: np.ndarray, cut: float) -> list[int]:
    """A cluster id per item: items in one subtree of the average-linkage tree of ``distance`` whose merges
    are all at a height <= ``cut`` share an id (ids are the lowest member's position, not scipy's labels).

    ``distance``: a square matrix, finite; its upper triangle is read (what ``squareform`` passes scipy)."""
    n = distance.shape[0]
    upper = np.triu(np.asarray(distance, dtype=np.float64), 1)
    d = upper + upper.T
    np.fill_diagonal(d, np.inf)
    size = np.ones(n, dtype=np.int64)
    merges: list[tuple[int, int, float]] = []
    chain: list[int] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(int(np.flatnonzero(size > 0)[0]))
        while True:
            x = chain[-1]
            row = d[x]
            nearest = int(np.argmin(row))  # the first index at the smallest distance (merged-away ones are inf)
            if len(chain) > 1 and not row[nearest] < row[chain[-2]]:
                y, height = chain[-2], float(row[chain[-2]])
                break
            chain.append(nearest)
        del chain[-2:]
        x, y = min(x, y), max(x, y)
        nx, ny = size[x], size[y]
        merges.append((x, y, height))
        size[x], size[y] = 0, nx + ny
        alive = size > 0
        alive[y] = False
        merged = (nx * d[x] + ny * d[y]) / (nx + ny)  # average linkage (Lance-Williams), as scipy computes it
        d[y, alive] = merged[alive]
        d[alive, y] = merged[alive]
        d[x, :] = np.inf
        d[:, x] = np.inf
    # fcluster(criterion="distance"): the two sides of a merge are one flat cluster when the subtree's
    # highest merge is <= cut (average linkage is monotone, but the highest is carried up as scipy does)
    parent = list(range(n))
    highest = [0.0] * n  # the highest merge in the subtree whose cluster now has this index

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for x, y, height in merges:
        highest[y] = max(height, highest[x], highest[y])
        if highest[y] <= cut:
            parent[root(x)] = root(y)
    labels: dict[int, int] = {}
    return [labels.setdefault(root(i), i) for i in range(n)]
