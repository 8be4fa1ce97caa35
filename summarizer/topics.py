"""Topics. (Interim version: the summarizer issue replaces matching and suggestions.)"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

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


def _matches(article: Article, keywords: Sequence[str]) -> bool:
    text = f"{article.title}\n{article.body}".lower()
    return any(k.lower() in text for k in keywords)


def match_topic(query: str, articles: Sequence[Article], topics: Sequence[TopicSpec]) -> TopicMatch:
    for topic in topics:
        if topic.name == query.strip().lower():
            return TopicMatch(topic.name, topic.title, tuple(a for a in articles if _matches(a, topic.keywords)))
    words = [w for w in query.split() if len(w) > 2]
    hits = tuple(a for a in articles if words and _matches(a, words))
    if hits:
        return TopicMatch(query, query, hits, adhoc=True)
    names = [t.name for t in topics]
    raise UnknownTopic(query, difflib.get_close_matches(query, names), names)


def topic_counts(articles: Sequence[Article], topics: Sequence[TopicSpec]) -> list[tuple[TopicSpec, int]]:
    return [(t, sum(_matches(a, t.keywords) for a in articles)) for t in topics]
