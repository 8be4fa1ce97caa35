"""Topics: which articles a query is about.

A named topic (config/topics.toml) selects the articles that mention enough of its keywords; free text
("spy balloon") selects the articles that contain most of its content words. When neither matches, the
caller gets ``UnknownTopic`` with close topic names, so a typo ("china-rusia") gets a useful answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from summarizer.analyzer import STOP_WORDS as STOPWORDS
from summarizer.analyzer import stem, words
from summarizer.articles import Article


@dataclass(frozen=True)
class TopicSpec:
    name: str
    title: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class TopicMatch:
    name: str
    title: str
    articles: tuple[Article, ...]
    adhoc: bool = False


class UnknownTopic(Exception):
    def __init__(self, query: str, suggestions: Sequence[str], available: Sequence[str]) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        self.available = tuple(available)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"Unknown topic '{query}'.{hint} Available topics: {', '.join(self.available) or 'none'}.")


# A named topic matches an article that mentions at least two distinct keywords, or one keyword in its
# title, or one keyword at least this many times (a single passing mention is not what the article is about).
STRONG_SINGLE_MENTIONS = 3


@lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Case-insensitive, tolerant of a plural or possessive ending, not followed by a word character. The
    left word boundary is ``_NOT_AFTER_WORD``, checked apart: a lookbehind at the start of the pattern would
    keep re from skipping ahead to the keyword's first letter, and scan twice as slowly."""
    escaped = r"\s+".join(re.escape(part) for part in keyword.split())
    return re.compile(rf"{escaped}(?:s|es|'s)?(?![\w])", re.IGNORECASE)


_NOT_AFTER_WORD = re.compile(r"(?<![\w-])")


def _mentions(pattern: re.Pattern[str], text: str, enough: int | None = None) -> int:
    r"""Mentions of a keyword in ``text``: what ``findall`` of the pattern with the lookbehind
    ``(?<![\w-])`` in front would count (a hit after a word character is skipped and the scan goes on from
    its next character). With ``enough``, counting stops there: a caller that needs only a threshold does
    not read the rest of a long body."""
    count = pos = 0
    while (enough is None or count < enough) and pos <= len(text):
        hit = pattern.search(text, pos)
        if hit is None:
            break
        if _NOT_AFTER_WORD.match(text, hit.start()):
            count += 1
            pos = max(hit.end(), hit.start() + 1)
        else:
            pos = hit.start() + 1
    return count


def keyword_hits(article: Article, keywords: Sequence[str]) -> tuple[int, int, bool]:
    """(distinct keywords found, total mentions, any keyword in the title)."""
    distinct = total = 0
    in_title = False
    for keyword in keywords:
        pattern = _keyword_pattern(keyword)
        in_this_title = _mentions(pattern, article.title)
        count = _mentions(pattern, article.body) + in_this_title
        if count:
            distinct += 1
            total += count
            in_title = in_title or bool(in_this_title)
    return distinct, total, in_title


def topic_matches(article: Article, topic: TopicSpec) -> bool:
    """At least two distinct keywords, or one in the title, or one mentioned often enough (see
    ``STRONG_SINGLE_MENTIONS``; twice for a one-keyword topic). The same decision as ``keyword_hits`` gives,
    taken with as little reading as it needs: the title first, then each body only until the decision is
    made (this runs over every candidate article of a topic, thousands in a large store)."""
    if not topic.keywords:
        return False
    patterns = [_keyword_pattern(keyword) for keyword in topic.keywords]
    if any(_mentions(pattern, article.title, 1) for pattern in patterns):
        return True
    # no keyword in the title: the decision is on body mentions alone
    needed = 2 if len(patterns) == 1 else STRONG_SINGLE_MENTIONS
    distinct = total = 0
    for pattern in patterns:
        count = _mentions(pattern, article.body, needed - total)
        if count:
            distinct += 1
            total += count
            if total >= needed or (len(patterns) > 1 and distinct >= 2):
                return True
    return False


def _slug(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _query_words(query: str) -> list[str]:
    """The content words of a free-text query, as ``words`` reads them ("covid-19" is two words)."""
    return [w for w in words(query.replace("-", " ").replace("_", " ")) if w not in STOPWORDS and len(w) >= 2]


def _query_terms(query: str) -> list[str]:
    """Content words of a free-text query, stemmed, without repeats."""
    return list(dict.fromkeys(stem(word) for word in _query_words(query)))


def free_text_terms(query: str) -> list[str]:
    """Words an index can look up for a free-text query: its content words as written and, where it differs,
    their stem ("presidents" and "presid"), so the articles ``adhoc_matches`` would take are among those that
    contain one of them."""
    out = list(dict.fromkeys(term for word in _query_words(query) for term in (word, stem(word))))
    if out:  # the words as typed too: an index folds accents ("élection"), which words() leaves out
        out += [t for t in (w.strip(".,;:!?\"'()") for w in query.replace("_", " ").split()) if t and t not in out]
    return out


def _article_terms(article: Article) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in words(f"{article.title}\n{article.body}"):
        term = stem(word)
        counts[term] = counts.get(term, 0) + 1
    return counts


def required_terms(n_terms: int) -> int:
    """All words of a one- or two-word query; otherwise at least two thirds of them."""
    return n_terms if n_terms <= 2 else math.ceil(n_terms * 2 / 3)


def adhoc_matches(query: str, articles: Sequence[Article]) -> list[tuple[Article, float]]:
    """Articles containing enough of the query's content words, with a BM25-style score (input order kept)."""
    terms = _query_terms(query)
    if not terms:
        return []
    counted = [(a, _article_terms(a)) for a in articles]
    n_docs = len(counted)
    avg_len = sum(sum(c.values()) for _, c in counted) / max(1, n_docs)
    df = {t: sum(1 for _, c in counted if t in c) for t in terms}
    need = required_terms(len(terms))
    out: list[tuple[Article, float]] = []
    for article, counts in counted:
        present = [t for t in terms if t in counts]
        if len(present) < need:
            continue
        length = sum(counts.values())
        score = 0.0
        for t in present:
            idf = math.log(1 + (n_docs - df[t] + 0.5) / (df[t] + 0.5))
            tf = counts[t]
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / max(1.0, avg_len)))
        out.append((article, score))
    return out


def suggest(query: str, topics: Sequence[TopicSpec], limit: int = 3) -> list[str]:
    """Topic names close to ``query``: typos ("china-rusia") and reordered words ("russia-china")."""
    from rapidfuzz import fuzz

    wanted = _slug(query).replace("-", " ")
    scored = []
    for topic in topics:
        name = topic.name.replace("-", " ")
        title = topic.title.lower()
        score = max(fuzz.ratio(wanted, name), fuzz.token_sort_ratio(wanted, name), fuzz.ratio(wanted, title))
        if score >= 70:
            scored.append((score, topic.name))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [name for _, name in scored[:limit]]


def match_topic(query: str, articles: Sequence[Article], topics: Sequence[TopicSpec]) -> TopicMatch:
    """The named topic called ``query``, else an ad-hoc topic of the articles matching its words.

    A query written like a topic name (one token with hyphens) that is close to a named topic raises
    ``UnknownTopic`` with that suggestion instead of quietly becoming a free-text search.
    """
    slug = _slug(query)
    names = [t.name for t in topics]
    for topic in topics:
        if topic.name.lower() == slug or topic.title.lower() == query.strip().lower():
            return TopicMatch(topic.name, topic.title, tuple(a for a in articles if topic_matches(a, topic)))
    suggestions = suggest(query, topics)
    looks_like_name = " " not in query.strip() and ("-" in query or "_" in query)
    if not (looks_like_name and suggestions):
        hits = adhoc_matches(query, articles)
        if hits:
            title = " ".join(query.split())
            return TopicMatch(slug, title[:1].upper() + title[1:], tuple(a for a, _ in hits), adhoc=True)
    raise UnknownTopic(query.strip(), suggestions, names)


def topic_counts(articles: Sequence[Article], topics: Sequence[TopicSpec]) -> list[tuple[TopicSpec, int]]:
    return [(t, sum(topic_matches(a, t) for a in articles)) for t in topics]
