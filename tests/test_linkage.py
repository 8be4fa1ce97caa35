"""Average-linkage flat clusters on numpy (summarizer/linkage.py) against scipy's linkage + fcluster."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from summarizer.linkage import average_linkage_clusters


def scipy_partition(distance: np.ndarray, cut: float) -> set[frozenset[int]]:
    labels = fcluster(linkage(squareform(distance, checks=False), method="average"), t=cut, criterion="distance")
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def our_partition(distance: np.ndarray, cut: float) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, label in enumerate(average_linkage_clusters(distance, cut)):
        groups.setdefault(label, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def cosine_distance(rng: np.random.Generator, n: int, terms: int, density: float) -> np.ndarray:
    """What strands cluster: 1 - clipped cosine of sparse non-negative rows, some of different years (2.0)."""
    vectors = rng.random((n, terms)) * (rng.random((n, terms)) < density)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    distance = 1.0 - np.clip(vectors @ vectors.T, 0.0, 1.0)
    years = rng.integers(-1, 3, n)
    apart = (years[:, None] >= 0) & (years[None, :] >= 0) & (years[:, None] != years[None, :])
    distance[apart] = 2.0
    np.fill_diagonal(distance, 0.0)
    return distance


@pytest.mark.parametrize("seed", range(40))
def test_same_flat_clusters_as_scipy_on_strand_like_distances(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 121))
    distance = cosine_distance(rng, n, int(rng.integers(5, 60)), float(rng.uniform(0.05, 0.5)))
    for cut in (0.9, 0.5, 0.99):
        assert our_partition(distance, cut) == scipy_partition(distance, cut)


@pytest.mark.parametrize("seed", range(40))
def test_same_flat_clusters_as_scipy_when_distances_tie(seed: int) -> None:
    """Few distinct values: many equal distances, where merge order (tie-breaking) decides the clusters."""
    rng = np.random.default_rng(1000 + seed)
    n = int(rng.integers(2, 40))
    values = rng.choice([0.0, 0.25, 0.5, 0.75, 0.9, 1.0], size=(n, n))
    distance = np.triu(values, 1) + np.triu(values, 1).T
    for cut in (0.5, 0.75, 0.9):
        assert our_partition(distance, cut) == scipy_partition(distance, cut)


def test_ties_are_broken_as_scipy_breaks_them() -> None:
    """b is as close to a as to c; a and c are far apart: which pair merges first decides the result."""
    distance = np.array([[0.0, 0.5, 1.0], [0.5, 0.0, 0.5], [1.0, 0.5, 0.0]])
    assert our_partition(distance, 0.7) == scipy_partition(distance, 0.7) == {frozenset({0, 1}), frozenset({2})}
    reordered = distance[[2, 1, 0]][:, [2, 1, 0]]
    assert our_partition(reordered, 0.7) == scipy_partition(reordered, 0.7)


def test_one_and_two_items() -> None:
    assert average_linkage_clusters(np.zeros((1, 1)), 0.9) == [0]
    assert average_linkage_clusters(np.array([[0.0, 0.95], [0.95, 0.0]]), 0.9) == [0, 1]
    assert average_linkage_clusters(np.array([[0.0, 0.9], [0.9, 0.0]]), 0.9) == [0, 0]
