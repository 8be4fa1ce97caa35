"""A stand-in sentence encoder for the answer engine's semantic gates: every text lies at a chosen cosine from
the question, so a test sets exactly which side of a bar (SEMANTIC_MIN, QUANTITY_SEMANTIC_MIN, ...) it is on."""

from __future__ import annotations

import numpy as np


class FixedCosine:
    """A sentence encoder under which every text is ``cosine`` from the last one (the question)."""

    name = "fixed"

    def __init__(self, cosine: float) -> None:
        self.cosine = cosine

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [[self.cosine, (1 - self.cosine**2) ** 0.5]] * (len(texts) - 1)
        return np.asarray([*rows, [1.0, 0.0]])
