"""Brief extras: quotes with speakers, a timeline, who's who and disagreements between sources.

One pass over the topic's articles builds the people index (``summarizer.entities``) that quote attribution
and disagreement detection share, so a surname resolves the same way everywhere in one brief.

Bounded work: the extras cost time roughly linear in the text they read (entities, quotes and dates scan every
line; disagreements align sentences pairwise within a bounded set), about 1.5 ms per article. A topic of at
most ``MAX_EXTRA_ARTICLES`` articles is read whole. A larger one is read through a sample of that many
articles (see ``sample_articles``): the sources the brief's points cite, then the most central articles and
an even spread over the rest, so the extras' cost stops growing with topic size. On a sampled topic an
entity's ``mentions`` and a quote's or event's ``sources`` count within the sample, not the whole topic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from summarizer.articles import Article
from summarizer.disagreements import find_disagreements
from summarizer.entities import analyse_entities
from summarizer.models import Brief
from summarizer.quotes import extract_quotes
from summarizer.timeline import build_timeline

MAX_EXTRA_ARTICLES = 80
CITED_SHARE = 0.5  # at most this share of the sample comes from the points' citations


def enrich_brief(brief: Brief, articles: Sequence[Article], ranked: Sequence[str] = ()) -> Brief:
    """The brief with quotes, timeline, entities and disagreements filled from ``articles``.

    ``ranked``: article ids, most central first (the ranker's view); it only matters for topics larger than
    ``MAX_EXTRA_ARTICLES``, where it picks part of the sample the extras read."""
    if not articles:
        return brief
    articles = sample_articles(brief, articles, ranked)
    report = analyse_entities(articles)
    return dataclasses.replace(
        brief,
        quotes=extract_quotes(articles, report.people),
        timeline=build_timeline(articles),
        entities=report.entities,
        disagreements=find_disagreements(articles, report.people, report.people_by_article),
    )


def sample_articles(brief: Brief, articles: Sequence[Article], ranked: Sequence[str] = (),
                    limit: int = MAX_EXTRA_ARTICLES) -> list[Article]:
    """At most ``limit`` articles, in topic order; all of them when the topic is that small.

    Filled in two passes, the second skipping articles already taken:
    1. citations of the brief's points, round-robin over points (every point's first source, then every
       second one, ...) up to ``CITED_SHARE`` of the sample, so the extras describe what the brief says;
    2. alternately the next most central article (``ranked``) and the next of an even spread over the
       topic (coarse to fine, see ``_spread``), so the main story is covered and so are minority angles and
       the topic's whole span (in the order the topic is given, usually by date).
    """
    articles = list(articles)
    if len(articles) <= limit:
        return articles
    index: dict[str, int] = {}
    for n, article in enumerate(articles):
        index.setdefault(article.id, n)
    taken: dict[int, None] = {}  # insertion-ordered set of positions

    def take(positions: Iterator[int], room: int) -> None:
        for n in positions:
            if len(taken) >= room:
                return
            taken.setdefault(n, None)

    take(_round_robin([[index[i] for i in p.sources if i in index] for p in brief.points]),
         int(limit * CITED_SHARE))
    central = (index[i] for i in ranked if i in index)
    take(_alternate(central, _spread(len(articles))), limit)
    return [articles[n] for n in sorted(taken)]


def _spread(count: int) -> Iterator[int]:
    """Every position in ``range(count)``, coarse to fine (0, 1/2, 1/4, 3/4, 1/8, ... of the way through), so
    any prefix of it is spread evenly over the whole topic (the van der Corput sequence in base 2)."""
    bits = max(1, (count - 1).bit_length())
    seen: set[int] = set()
    for k in range(1 << bits):
        position = int(int(format(k, f"0{bits}b")[::-1], 2) * count >> bits)
        if position not in seen:
            seen.add(position)
            yield position


def _round_robin(lists: Sequence[Sequence[int]]) -> Iterator[int]:
    depth = max((len(items) for items in lists), default=0)
    for k in range(depth):
        for items in lists:
            if k < len(items):
                yield items[k]


def _alternate(first: Iterator[int], second: Iterator[int]) -> Iterator[int]:
    """first, second, first, second, ... then whatever is left of the longer one."""
    sources = [first, second]
    while sources:
        for source in list(sources):
            item = next(source, None)
            if item is None:
                sources.remove(source)
            else:
                yield item
