"""Encoders: tfidf basics, the shipped MiniLM model, the per-sentence vector cache, errors and fallback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from summarizer.encoders import (
    EncoderUnavailable,
    LRUVectorStore,
    MiniLMEncoder,
    TfidfEncoder,
    get_encoder,
    reset_warnings,
)

PARAPHRASES = ["The president will call the Chinese leader on Friday.",
               "On Friday the US president is due to phone China's leader."]
UNRELATED = "Heavy rain flooded the football stadium before the cup final."


class RecordingStore(LRUVectorStore):
    """A VectorStore that counts what it was asked for and what it could answer."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0
        self.hits = 0
        self.stored = 0

    def get_many(self, keys: Sequence[str]) -> dict[str, list[float]]:
        found = super().get_many(keys)
        self.asked += len(keys)
        self.hits += len(found)
        return found

    def set_many(self, items: Mapping[str, list[float]]) -> None:
        self.stored += len(items)
        super().set_many(items)


def test_tfidf_rows_are_normalised_and_similar_sentences_score_higher() -> None:
    rows = TfidfEncoder().encode([*PARAPHRASES, UNRELATED])
    sims = (rows @ rows.T).toarray()
    assert np.allclose(np.diag(sims), 1.0)
    assert sims[0, 1] > sims[0, 2]


def test_tfidf_survives_empty_and_stop_word_only_input() -> None:
    assert TfidfEncoder().encode([]).shape[0] == 0
    assert TfidfEncoder().encode(["the and of", ""]).shape[0] == 2


def test_lru_store_evicts_least_recently_used() -> None:
    store = LRUVectorStore(max_items=2)
    store.set_many({"a": [1.0], "b": [2.0]})
    store.get_many(["a"])  # a is now the most recent
    store.set_many({"c": [3.0]})
    assert store.get_many(["a", "b", "c"]) == {"a": [1.0], "c": [3.0]}
    with pytest.raises(ValueError):
        LRUVectorStore(max_items=0)


def test_unknown_encoder_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="available: tfidf, minilm"):
        get_encoder("word2vec")


def test_without_torch_minilm_says_install_ml_extra_and_fallback_warns_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A None entry in sys.modules makes `import torch` fail, exactly as on a base install without the extra.
    monkeypatch.setitem(sys.modules, "torch", None)
    reset_warnings()
    with pytest.raises(EncoderUnavailable, match=r"briefbot\[ml\]"):
        get_encoder("minilm")
    with caplog.at_level(logging.WARNING, logger="summarizer.encoders"):
        first = get_encoder("minilm", fallback=True)
        second = get_encoder("minilm", fallback=True)
    assert first.name == second.name == "tfidf"
    assert len([r for r in caplog.records if "using tfidf" in r.getMessage()]) == 1


@pytest.mark.ml
def test_missing_model_path_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    with pytest.raises(EncoderUnavailable, match="does not exist"):
        get_encoder("minilm", model=str(tmp_path / "no-such-model"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(EncoderUnavailable, match="no config.json"):
        get_encoder("minilm", model=tmp_path / "empty")
    with pytest.raises(EncoderUnavailable, match="never downloads"):
        get_encoder("minilm", model="someone/not-a-cached-model")
    assert get_encoder("minilm", model=str(tmp_path / "no-such-model"), fallback=True).name == "tfidf"


@pytest.fixture(scope="module")
def minilm() -> MiniLMEncoder:
    pytest.importorskip("torch")
    encoder = get_encoder("minilm")
    assert isinstance(encoder, MiniLMEncoder)
    return encoder


@pytest.mark.ml
def test_minilm_paraphrases_closer_than_unrelated(minilm: MiniLMEncoder) -> None:
    rows = minilm.encode([*PARAPHRASES, UNRELATED])
    assert isinstance(rows, np.ndarray) and rows.dtype == np.float32 and rows.shape == (3, 384)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    sims = rows @ rows.T
    assert sims[0, 1] > 0.6 > sims[0, 2]  # same meaning with almost no shared words; versus another story


@pytest.mark.ml
def test_minilm_cached_embeddings_are_not_recomputed(minilm: MiniLMEncoder) -> None:
    store = RecordingStore()
    encoder = minilm.sibling(store=store)  # shares the loaded weights
    assert encoder.tag == minilm.tag
    first = encoder.encode([*PARAPHRASES, PARAPHRASES[0]])  # a repeat inside one call is encoded once
    assert encoder.sentences_encoded == 2 and store.stored == 2 and store.hits == 0
    second = encoder.encode([PARAPHRASES[1], UNRELATED, PARAPHRASES[0]])
    assert encoder.sentences_encoded == 3  # only the new sentence went through the model
    assert store.hits == 2
    assert np.allclose(second[0], first[1]) and np.allclose(second[2], first[0])
    assert encoder.encode([]).shape == (0, 384)


@pytest.mark.ml
def test_minilm_batches_give_the_same_vectors_as_one_by_one(minilm: MiniLMEncoder) -> None:
    batched = minilm.sibling(batch_size=2)
    texts = [*PARAPHRASES, UNRELATED, "A short one."]
    together = batched.encode(texts)
    alone = np.vstack([batched.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)  # padding in a batch must not change a sentence's vector


@pytest.mark.ml
def test_minilm_from_an_explicit_local_folder(minilm: MiniLMEncoder) -> None:
    from summarizer.encoders import default_model_path

    encoder = get_encoder("minilm", model=str(default_model_path()))
    assert encoder.encode(["One sentence."]).shape == (1, 384)
