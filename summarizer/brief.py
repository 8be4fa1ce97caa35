"""Multi-document brief. (Interim: lead sentences only; the foundation issue's engine replaces this.)"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.articles import Article
from summarizer.enrich import enrich_brief
from summarizer.models import Brief, Coverage, Point, Source

ENGINE_VERSION = "interim-0"


def build_brief(topic: str, title: str, articles: Sequence[Article], length: str = "full") -> Brief:
    points = tuple(Point(a.body.split(". ")[0], (a.id,), 1) for a in articles)
    sources = tuple(Source(a.id, a.title, a.outlet, a.url, a.published) for a in articles)
    brief = Brief(topic, title, points[0].text if points else "", points, sources,
                  Coverage(len(articles), len(points), sum(a.dropped_lines for a in articles)))
    return enrich_brief(brief, articles)


def summarize_documents(texts: Sequence[str], words: int) -> str:
    return " ".join(" ".join(texts).split()[:words])
