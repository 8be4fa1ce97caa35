"""Index terms, exactly as the embedded store's full-text index sees them, for stores without SQLite FTS5.

The SQLite article store finds a topic's rows with an FTS5 query (``porter unicode61 remove_diacritics 2``).
The Redis store keeps its own inverted index (one set per term), and a topic read there must select the same
articles: so both take their terms from one tokenizer, FTS5's own, run on an in-memory table. Re-implementing
unicode61 folding and the Porter stemmer in Python would drift on some word; this cannot.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

TOKENIZE = "porter unicode61 remove_diacritics 2"  # the SQLite store's articles_fts tokenizer


def fts_phrases(terms: Sequence[str]) -> list[str]:
    """The phrases a topic read looks for: each keyword as the topic matcher reads it (its whitespace-separated
    parts, in order), plus its plural spellings when its last part is alphanumeric (the Porter stem of "bus" is
    not that of "buses"). The parts are left whole for the FTS5 tokenizer, which folds case and accents the
    way the index did ("Zürich" finds "Zurich"). Exact words rather than prefixes: a prefix ("presid*") also
    reads every "presidential" and "presidency", rows the matcher throws away."""
    parts: list[str] = []
    for term in terms:
        tokens = [w for w in term.split() if any(c.isalnum() for c in w)]
        if not tokens:
            continue
        head, last = tokens[:-1], tokens[-1]
        endings = ("", "s", "es") if last.isalnum() else ("",)
        parts += [" ".join([*head, last + ending]) for ending in endings]
    return list(dict.fromkeys(parts))


class Tokenizer:
    """FTS5's tokenizer on a contentless in-memory table; ``fts5vocab`` reads back what it indexed.

    One connection, used by one thread at a time (a lock): tokenizing is a few milliseconds per batch.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE t USING fts5(title, body, content='', tokenize='{TOKENIZE}')")
        self._db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        self._lock = threading.Lock()

    def _run(self, rows: Sequence[tuple[int, str, str]], sql: str) -> list[tuple[int, str]]:
        with self._lock:
            try:
                self._db.executemany("INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)", rows)
                return self._db.execute(sql).fetchall()
            finally:
                self._db.execute("INSERT INTO t(t) VALUES ('delete-all')")

    def document_terms(self, documents: Sequence[tuple[str, str]]) -> list[list[str]]:
        """The distinct index terms of each (title, body), sorted: what ``articles_fts`` stores for that row."""
        found: list[set[str]] = [set() for _ in documents]
        rows = [(n, title, body) for n, (title, body) in enumerate(documents)]
        for doc, term in self._run(rows, "SELECT DISTINCT doc, term FROM v"):
            found[doc].add(term)
        return [sorted(terms) for terms in found]

    def phrase_terms(self, phrases: Sequence[str]) -> list[list[str]]:
        """Each phrase as FTS5 tokenizes it inside a query, in order (empty when it has no token)."""
        tokens: list[list[str]] = [[] for _ in phrases]
        rows = [(n, "", phrase) for n, phrase in enumerate(phrases)]
        for doc, term in self._run(rows, "SELECT doc, term FROM v ORDER BY doc, offset"):
            tokens[doc].append(term)
        return tokens


_shared: Tokenizer | None = None
_shared_lock = threading.Lock()


def tokenizer() -> Tokenizer:
    """The process's tokenizer (made on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Tokenizer()
        return _shared
