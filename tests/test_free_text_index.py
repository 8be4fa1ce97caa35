"""A free-text brief reads the index's candidates for the query's words, not the whole store: the ad-hoc topic
must be the one the whole store gives (an article joins it on its own words alone)."""

from __future__ import annotations

import random
from pathlib import Path

from bot.store.sqlite_articles import SqliteArticleStore
from summarizer.articles import Article
from summarizer.ingest import compute_features, make_article
from summarizer.text import words
from summarizer.topics import UnknownTopic, free_text_terms, match_topic


def corpus() -> list[Article]:
    from bench.corpus import generate

    out = [make_article(item.title, item.body, outlet=item.outlet, url=item.url)
           for item in generate(300, seed=11, duplicate_rate=0.0)]
    filler = " The council met on Tuesday and will meet again next week to discuss the budget in detail."
    extra = [("Buses stop", "The buses stopped at the depot in Zürich."),
             ("Presidents meet", "Two presidents were sworn in; the presidency passed on."),
             ("Élection présidentielle", "Les électeurs de Besançon votent pour l'élection."),
             ("Dying trade", "The dying trade of the harbour, where old crafts die out.")]
    out += [make_article(t, b + filler * 3) for t, b in extra]
    return out


def queries(articles: list[Article]) -> list[str]:
    """Two- and three-word queries from the articles' own words, plus inflected and accented ones."""
    rng = random.Random(5)
    out = ["president sworn", "presidents sworn in", "bus stops", "élection Besançon", "die trade",
           "Zürich buses", "earthquake tsunami warning", "no such words anywhere"]
    for article in rng.sample(articles, 60):
        pool = [w for w in words(f"{article.title} {article.body}") if len(w) > 3]
        out.append(" ".join(rng.sample(pool, k=min(len(pool), rng.choice((2, 3))))))
    return out


def members(query: str, articles: list[Article]) -> tuple[str, ...] | None:
    try:
        return tuple(a.id for a in match_topic(query, articles, []).articles)
    except UnknownTopic:
        return None


async def test_index_candidates_give_the_whole_store_topic(tmp_path: Path) -> None:
    articles = corpus()
    store = SqliteArticleStore(tmp_path / "articles.sqlite3")
    await store.add(list(zip(articles, compute_features(articles), strict=True)))
    stored = list(await store.articles())
    checked = found_some = 0
    for query in queries(stored):
        terms = free_text_terms(query)
        candidates = list(await store.candidates(terms)) if terms else []
        assert len(candidates) <= len(stored)
        whole = members(query, stored)
        assert members(query, candidates) == whole, query
        checked += 1
        found_some += whole is not None
    assert checked >= 60 and found_some >= 40  # most queries do make a topic: the comparison means something


def test_free_text_terms_keep_words_stems_and_the_typed_words() -> None:
    assert {"presidents", "presid", "sworn"} <= set(free_text_terms("Presidents sworn-in"))
    assert {"élection", "Besançon"} <= set(free_text_terms("élection à Besançon"))  # the index folds accents
    assert free_text_terms("the of and") == []
