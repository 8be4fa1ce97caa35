"""Our TF-IDF must weigh exactly as scikit-learn's TfidfVectorizer did, so rankings do not move."""

from __future__ import annotations

import subprocess
import sys

import pytest

from summarizer.articles import load_articles
from summarizer.text import split_sentences
from summarizer.tfidf import ENGLISH_STOP_WORDS, EmptyVocabulary, l2_normalize, tfidf_matrix
from tests.conftest import ROOT, SEEDS


def seed_sentences() -> list[str]:
    return [s for a in load_articles(SEEDS).articles for s in split_sentences(a.body)]


def test_matches_scikit_learn_on_the_seed_sentences() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    sentences = seed_sentences() + ["", "the and of", "Émigrés' café: naïve 2026 data-driven x"]
    ours = tfidf_matrix(sentences)
    theirs = text.TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sentences)
    assert ours.shape == theirs.shape
    assert abs(ours - theirs).max() < 1e-12
    assert frozenset(text.ENGLISH_STOP_WORDS) == ENGLISH_STOP_WORDS


def test_stop_words_only_is_a_clear_error() -> None:
    with pytest.raises(EmptyVocabulary):
        tfidf_matrix(["the and of", "", "   "])


def test_normalize_leaves_zero_rows_zero() -> None:
    from scipy.sparse import csr_matrix

    matrix = l2_normalize(csr_matrix([[3.0, 4.0], [0.0, 0.0]]))
    assert matrix.toarray().tolist() == [[0.6, 0.8], [0.0, 0.0]]


def test_a_brief_does_not_import_scikit_learn(tmp_path) -> None:
    code = (
        "import sys; from summarizer.articles import load_articles; from summarizer.brief import build_brief; "
        f"build_brief('t', 't', load_articles({str(SEEDS)!r}).articles); print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
