"""A sentence encoder for installs without torch: MiniLM's meaning, distilled into one vector per word piece.

The plain install (no ml extra) had no second chance before a refusal: a question worded differently from the
articles ("soldiers died" for "troops killed") was refused. ``bench/static_vectors.py`` runs every word piece
of all-MiniLM-L6-v2's vocabulary through the model once (the model2vec recipe: mean-pooled output, PCA to 128
dimensions, Zipf weighting), stores the table int8-quantised in ``summarizer/data/static_minilm.npz`` (3.8 MB,
Apache-2.0 like the model: ``summarizer/data/NOTICE.md``) with the mean sentence vector of news text (seeds and
MultiLing M000-M004) to subtract and an affine map that puts its cosines on MiniLM's scale, so the answer engine's
thresholds hold for both. A sentence's vector is the mean of its pieces' rows: numpy only, about 15 ms per hundred
sentences.

The word pieces come from BERT's uncased WordPiece rules, written out here (``word_pieces``) because the
``tokenizers`` library would bring the Hugging Face hub client into the plain install; ``tests/test_static_vectors.py``
checks them against ``tokenizers`` on every sentence of the seeds and MultiLing.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).parent / "data" / "static_minilm.npz"
MAX_WORD_CHARS = 100  # BERT's limit: a longer "word" is one unknown piece (bounds the greedy match)
MAX_SENTENCE_CHARS = 5_000  # a sentence is cut here before it is split (bounds the work on one huge paragraph)
_LOCK = threading.Lock()


class StaticEncoder:
    """``encode`` gives unit vectors whose dot products, passed through ``calibrate``, read like MiniLM cosines."""

    name = "static-minilm"
    wide_words = True  # weaker than MiniLM: the answer engine keeps the plain install's wider word tables too
    # The bar for a sentence that shares only the topic's common words with the question (MiniLM's is 0.65): the
    # static cosine that passes the same share of such pairs of the tuning questions (0.6% of 12,309), since the
    # static vectors read a topic's names louder
    common_min = 0.67

    def __init__(self, path: Path = DATA) -> None:
        with np.load(path, allow_pickle=False) as data:
            self._vectors = data["vectors"].astype(np.float32) * data["scales"][:, None]
            self._mean = data["mean"].astype(np.float32)
            self._slope, self._offset = (float(x) for x in data["calibration"])
            vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
        self._ids = {piece: i for i, piece in enumerate(vocab)}

    def encode(self, sentences: Sequence[str]) -> Any:
        return sentence_vectors(sentences, self._vectors, self._ids, self._mean)

    def calibrate(self, cosines: Any) -> Any:
        """Cosines on MiniLM's scale (fitted on the tuning questions' sentence pairs by the build script)."""
        return self._slope * cosines + self._offset


@lru_cache(maxsize=1)
def _shared() -> StaticEncoder | None:
    try:
        return StaticEncoder()
    except (OSError, KeyError, ValueError):  # the data file missing or damaged: no second chance, as before
        return None


def static_encoder() -> StaticEncoder | None:
    """The one shared encoder (its table loads once, about 50 ms), or None when its data file cannot be read."""
    with _LOCK:
        return _shared()


def sentence_vectors(texts: Sequence[str], table: Any, ids: dict[str, int], mean: Any = None) -> Any:
    """Each text's mean word-piece row (zeros for a text with no pieces); with ``mean``, less that mean and of unit
    length. The one recipe of the encoder and of the build script that made its table (``bench/static_vectors.py``)."""
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    unknown = ids["[UNK]"]
    for row, text in enumerate(texts):
        found = [ids.get(p, unknown) for p in word_pieces(text[:MAX_SENTENCE_CHARS], ids)]
        if not found:
            continue
        vector = table[found].mean(axis=0)
        if mean is not None:
            vector = vector - mean
            norm = float(np.linalg.norm(vector))
            vector = vector / norm if norm else vector
        out[row] = vector
    return out


def word_pieces(text: str, vocab: dict[str, int]) -> list[str]:
    """BERT's uncased tokenisation: lower case without accents, words split at spaces and punctuation, each word
    cut greedily into the longest pieces of ``vocab`` ("##" marks a piece inside a word); "[UNK]" for a word no
    pieces make up."""
    pieces: list[str] = []
    for word in _basic_words(text):
        if len(word) > MAX_WORD_CHARS:
            pieces.append("[UNK]")
            continue
        start, found = 0, []
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in vocab:
                    break
                end -= 1
            if end == start:
                found = ["[UNK]"]
                break
            found.append(piece)
            start = end
        pieces.extend(found)
    return pieces


def _basic_words(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) == "Mn" or _is_control(char):
            continue
        if char.isspace():
            if current:
                out.append("".join(current))
                current = []
        elif _is_punctuation(char) or _is_cjk(code):
            if current:
                out.append("".join(current))
                current = []
            out.append(char)
        else:
            current.append(char)
    if current:
        out.append("".join(current))
    return out


def _is_control(char: str) -> bool:
    return char not in "\t\n\r" and unicodedata.category(char).startswith("C")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    return 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126 \
        or unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F or 0x2B820 <= code <= 0x2CEAF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)
