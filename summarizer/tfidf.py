"""TF-IDF on numpy and scipy.sparse alone: scikit-learn's import costs most of a second of a cold CLI start.

``tfidf_matrix`` reproduces ``TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform``
(lowercase, tokens of two or more word characters, smoothed IDF, L2-normalised rows, columns in term order),
so rankings do not move when the library is swapped; ``tests/test_tfidf.py`` compares the two.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

TOKEN = re.compile(r"(?u)\b\w\w+\b")

# The English stop-word list of scikit-learn (itself the Glasgow Information Retrieval Group's list; BSD-3-Clause,
# Copyright the scikit-learn developers), kept here as data so stop words need no scikit-learn import.
ENGLISH_STOP_WORDS = frozenset(
    [
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost", "alone", "along",
        "already", "also", "although", "always", "am", "among", "amongst", "amoungst", "amount", "an", "and",
        "another", "any", "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at", "back",
        "be", "became", "because", "become", "becomes", "becoming", "been", "before", "beforehand", "behind", "being",
        "below", "beside", "besides", "between", "beyond", "bill", "both", "bottom", "but", "by", "call", "can",
        "cannot", "cant", "co", "con", "could", "couldnt", "cry", "de", "describe", "detail", "do", "done", "down",
        "due", "during", "each", "eg", "eight", "either", "eleven", "else", "elsewhere", "empty", "enough", "etc",
        "even", "ever", "every", "everyone", "everything", "everywhere", "except", "few", "fifteen", "fifty", "fill",
        "find", "fire", "first", "five", "for", "former", "formerly", "forty", "found", "four", "from", "front",
        "full", "further", "get", "give", "go", "had", "has", "hasnt", "have", "he", "hence", "her", "here",
        "hereafter", "hereby", "herein", "hereupon", "hers", "herself", "him", "himself", "his", "how", "however",
        "hundred", "i", "ie", "if", "in", "inc", "indeed", "interest", "into", "is", "it", "its", "itself", "keep",
        "last", "latter", "latterly", "least", "less", "ltd", "made", "many", "may", "me", "meanwhile", "might",
        "mill", "mine", "more", "moreover", "most", "mostly", "move", "much", "must", "my", "myself", "name",
        "namely", "neither", "never", "nevertheless", "next", "nine", "no", "nobody", "none", "noone", "nor", "not",
        "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other",
        "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "part", "per", "perhaps", "please",
        "put", "rather", "re", "same", "see", "seem", "seemed", "seeming", "seems", "serious", "several", "she",
        "should", "show", "side", "since", "sincere", "six", "sixty", "so", "some", "somehow", "someone", "something",
        "sometime", "sometimes", "somewhere", "still", "such", "system", "take", "ten", "than", "that", "the",
        "their", "them", "themselves", "then", "thence", "there", "thereafter", "thereby", "therefore", "therein",
        "thereupon", "these", "they", "thick", "thin", "third", "this", "those", "though", "three", "through",
        "throughout", "thru", "thus", "to", "together", "too", "top", "toward", "towards", "twelve", "twenty", "two",
        "un", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "whatever",
        "when", "whence", "whenever", "where", "whereafter", "whereas", "whereby", "wherein", "whereupon", "wherever",
        "whether", "which", "while", "whither", "who", "whoever", "whole", "whom", "whose", "why", "will", "with",
        "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
    ]
)


class EmptyVocabulary(ValueError):
    """Every text was empty or stop words only: there is nothing to weigh."""


def tokens(text: str, stop_words: frozenset[str] = ENGLISH_STOP_WORDS) -> list[str]:
    """Lowercased word tokens of two or more characters, stop words removed."""
    return [t for t in TOKEN.findall(text.lower()) if t not in stop_words]


def l2_normalize(matrix: Any) -> Any:
    """Rows scaled to unit length in place (all-zero rows stay zero); returns the CSR matrix."""
    import numpy as np

    matrix = matrix.tocsr()
    squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    norms = np.sqrt(squares)
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return matrix


def tfidf_matrix(
    texts: Iterable[str], stop_words: frozenset[str] = ENGLISH_STOP_WORDS, sublinear_tf: bool = True
) -> Any:
    """One L2-normalised TF-IDF row per text (scipy CSR, float64); raises ``EmptyVocabulary`` if no terms."""
    import numpy as np
    from scipy.sparse import csr_matrix

    docs: Sequence[Counter[str]] = [Counter(tokens(t, stop_words)) for t in texts]
    terms = sorted({term for doc in docs for term in doc})
    if not terms:
        raise EmptyVocabulary("empty vocabulary: the texts hold only stop words")
    column = {term: i for i, term in enumerate(terms)}
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(doc) for doc in docs])
    indices = np.fromiter((column[term] for doc in docs for term in doc), dtype=np.int64, count=int(indptr[-1]))
    counts = np.fromiter((n for doc in docs for n in doc.values()), dtype=np.float64, count=int(indptr[-1]))
    matrix = csr_matrix((counts, indices, indptr), shape=(len(docs), len(terms)))
    matrix.sort_indices()
    if sublinear_tf:
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1.0
    df = np.bincount(matrix.indices, minlength=len(terms))
    idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
    matrix.data *= idf[matrix.indices]
    return l2_normalize(matrix)
