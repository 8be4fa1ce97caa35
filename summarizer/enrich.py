"""Brief extras: quotes with speakers, a timeline, who's who and disagreements between sources.

One pass over the topic's articles builds the people index (``summarizer.entities``) that quote attribution
and disagreement detection share, so a surname resolves the same way everywhere in one brief.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from summarizer.articles import Article
from summarizer.disagreements import find_disagreements
from summarizer.entities import analyse_entities
from summarizer.models import Brief
from summarizer.quotes import extract_quotes
from summarizer.timeline import build_timeline


def enrich_brief(brief: Brief, articles: Sequence[Article]) -> Brief:
    """The brief with quotes, timeline, entities and disagreements filled from ``articles``."""
    if not articles:
        return brief
    report = analyse_entities(articles)
    return dataclasses.replace(
        brief,
        quotes=extract_quotes(articles, report.people),
        timeline=build_timeline(articles),
        entities=report.entities,
        disagreements=find_disagreements(articles, report.people, report.people_by_article),
    )
