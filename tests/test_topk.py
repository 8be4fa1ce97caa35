"""top_k: the k largest of each row with ties broken by the lower index, so a brief is the same on every CPU."""

from __future__ import annotations

import numpy as np
import pytest

from summarizer.topk import top_k


def reference(values: np.ndarray, k: int) -> np.ndarray:
    """The definition: a stable sort by value, descending, ties in index order; then the first k, sorted."""
    order = np.argsort(-values, axis=-1, kind="stable")[..., :k]
    return np.sort(order, axis=-1)


@pytest.mark.parametrize("k", [1, 3, 12, 40])
def test_matches_a_stable_sort_on_tie_heavy_rows(k: int) -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 4, size=(60, 40)).astype(float) / 4  # four distinct values: ties everywhere
    assert np.array_equal(top_k(values, k), reference(values, k))


def test_one_row_and_all_equal() -> None:
    assert top_k(np.array([0.5, 0.9, 0.5, 0.9, 0.1]), 3).tolist() == [0, 1, 3]
    assert top_k(np.zeros((2, 5)), 2).tolist() == [[0, 1], [0, 1]]


def test_k_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        top_k(np.zeros((2, 3)), 4)
    with pytest.raises(ValueError):
        top_k(np.zeros(3), 0)
