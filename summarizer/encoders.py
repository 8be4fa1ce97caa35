"""Sentence encoders behind one call (interim: tfidf only; the summary-intelligence issue adds minilm).

An encoder turns sentences into L2-normalised row vectors (a scipy sparse matrix or a numpy array), so
cosine similarity is ``X @ Y.T`` whichever encoder produced them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Encoder(Protocol):
    name: str

    def encode(self, sentences: Sequence[str]) -> Any:
        """L2-normalised rows, one per sentence (sparse or dense)."""
        ...


class TfidfEncoder:
    """TF-IDF fit on the sentences it is given: no model, no download, fast."""

    name = "tfidf"

    def encode(self, sentences: Sequence[str]) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        return vectorizer.fit_transform(list(sentences))


def get_encoder(name: str = "tfidf", **options: Any) -> Encoder:
    if name == "tfidf":
        return TfidfEncoder()
    raise ValueError(f"unknown encoder {name!r} (available: tfidf)")
