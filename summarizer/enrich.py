"""Brief extras: quotes, timeline, who's who, disagreements. (Interim: the summary-intelligence issue fills these.)"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.articles import Article
from summarizer.models import Brief


def enrich_brief(brief: Brief, articles: Sequence[Article]) -> Brief:
    return brief
