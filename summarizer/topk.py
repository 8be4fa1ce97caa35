"""The k largest entries of each row, the same on every machine.

``np.argpartition`` leaves ties at the k-th value in an implementation-defined order, and numpy picks a
different implementation per CPU (AVX-512 machines take a SIMD select): the same articles then gave a
different sentence graph, and a different brief, on two machines. Here ties at the cut are broken by
the lower index, and each row's indices come back in ascending index order.
"""

from __future__ import annotations

import numpy as np


def top_k(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values of each row of a 2-D array (or of a 1-D array), ties to the lower
    index; ``k`` must be between 1 and the row length. Linear per row, like ``argpartition``."""
    one_row = values.ndim == 1
    rows = np.atleast_2d(values)
    n = rows.shape[1]
    if not 1 <= k <= n:
        raise ValueError(f"k={k} for rows of {n}")
    # the k-th largest value of each row: the only value whose ties need a rule
    kth = -np.partition(-rows, k - 1, axis=1)[:, k - 1 : k]
    above = rows > kth
    tied = rows == kth
    room = k - above.sum(axis=1, keepdims=True)  # tied entries still needed per row (>= 1)
    chosen = above | (tied & (np.cumsum(tied, axis=1) <= room))
    out = np.nonzero(chosen)[1].reshape(rows.shape[0], k)
    return out[0] if one_row else out
