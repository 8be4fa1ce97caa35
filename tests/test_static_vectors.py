"""MiniLM's static word-piece vectors (summarizer/static_vectors.py): the plain install's second chance in answers."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from bench.encoders import multiling_articles
from summarizer.articles import load_articles
from summarizer.encoders import ml_available
from summarizer.qa import answer_question
from summarizer.qa_topic import Topic, cosines
from summarizer.static_vectors import DATA, StaticEncoder, static_encoder, word_pieces
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
MULTILING = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"


def _vocab() -> dict[str, int]:
    with np.load(DATA, allow_pickle=False) as data:
        return {p: i for i, p in enumerate(bytes(data["vocab"]).decode("utf-8").split("\n"))}


@pytest.mark.ml
def test_word_pieces_are_berts_on_every_sentence_of_the_seeds_and_multiling() -> None:
    """The pieces written out here are those of the tokenizers library (BERT uncased WordPiece), which the ml extra
    brings: the table was measured with them."""
    tokenizers = pytest.importorskip("tokenizers")
    vocab = _vocab()
    bert = tokenizers.BertWordPieceTokenizer(vocab, lowercase=True)
    texts = [s.text for s in Topic(list(load_articles(SEEDS).articles)).sentences]
    for articles in multiling_articles(MULTILING).values():
        texts += [s.text for s in Topic(articles).sentences]
    texts += ["Café déjà vu — naïve señor", "北京 and 莫斯科 met", "tabs\tand\u00a0spaces\u200b", "emoji 🎉 here",
              "a" * 150 + " word", "control\x07char", "x@y.com 5,000-word U.S.-led"]
    assert len(texts) > 1500
    for text in texts:
        assert word_pieces(text, vocab) == bert.encode(text, add_special_tokens=False).tokens, text


def test_static_cosines_read_meaning_on_minilms_scale() -> None:
    encoder = static_encoder()
    assert encoder is not None
    question = "How many soldiers died?"
    near, far = cosines(question, ["More than 7,000 Russian troops have been killed.",
                                   "The weather was sunny in the capital on Sunday."], encoder)
    assert near > 0.5 > far  # 0.5: the answer engine's bar for a sentence sharing the question's specific words
    vectors = encoder.encode(["Troops were killed.", "", "x" * 1_000_000])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0) and not vectors[1].any()  # empty: no vector, no crash


def test_a_damaged_data_file_means_no_second_chance(tmp_path: Path) -> None:
    broken = tmp_path / "static.npz"
    broken.write_bytes(b"not a numpy archive")
    with pytest.raises((OSError, ValueError)):
        StaticEncoder(broken)


def test_the_plain_install_answers_a_question_worded_apart_from_the_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without torch (the plain install) the second chance before a refusal reads meaning with the static vectors:
    "cutting down rainforests" finds "tree cutting in tropical areas", "halted" the halted evacuations; without
    them these were refused. An unanswerable question is still refused."""
    monkeypatch.setitem(sys.modules, "torch", None)  # as on a plain install: torch cannot be imported
    assert not ml_available()
    clusters = multiling_articles(MULTILING)
    cases = [
        (clusters["M004"], "How much of global emissions is caused by cutting down rainforests?", "20 percent"),
        (clusters["M006"], "Why were the medical evacuation flights to America halted?", "halted the evacuation"),
    ]
    for articles, question, fragment in cases:
        assert not answer_question(question, articles, semantic=None).answered
        answer = answer_question(question, articles)  # semantic="auto": the static vectors here
        assert answer.answered and fragment in answer.citations[0].text, (question, answer.answer)
    seeds = list(load_articles(SEEDS).articles)
    assert not answer_question("How many tanks did China send to Russia?", seeds).answered
