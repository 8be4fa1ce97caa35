"""Discovered topics: stories recovered from a mixed corpus, readable unique names, wiring into topics/brief."""

from __future__ import annotations

import random
from pathlib import Path

from summarizer.articles import Article
from summarizer.clusters import TopicDiscoverer, cluster_articles, discover_topics

STORIES = {
    "volcano": (
        ["Volcano erupts on Iceland's Reykjanes peninsula", "Iceland volcano eruption forces Grindavik evacuation",
         "Lava from Reykjanes volcano reaches Grindavik defences", "Iceland declares emergency as volcano erupts"],
        ["The volcano on the Reykjanes peninsula erupted overnight, sending lava fountains into the sky.",
         "Residents of Grindavik were evacuated as the eruption intensified near the town.",
         "Geologists said the lava flow from the volcano could threaten the Svartsengi power plant.",
         "Iceland's meteorological office warned that the eruption fissure was lengthening."],
    ),
    "rates": (
        ["Central bank raises interest rates to fight inflation",
         "Interest rate hike as central bank targets inflation",
         "Mortgage costs climb after central bank rate rise", "Central bank lifts rates for a fifth time"],
        ["The central bank raised its benchmark interest rate by a quarter point on Thursday.",
         "Policymakers said inflation remained well above the two percent target.",
         "Economists expect mortgage payments to climb as the rate rise feeds through.",
         "The governor said further interest rate increases could not be ruled out."],
    ),
    "wildfire": (
        ["Wildfire forces thousands to flee in California", "California wildfire spreads as winds strengthen",
         "Firefighters battle California wildfire near Sacramento", "Evacuations widen as California wildfire grows"],
        ["A wildfire north of Sacramento has burned more than forty thousand acres.",
         "Firefighters struggled to contain the blaze as strong winds pushed the flames east.",
         "Thousands of residents were ordered to evacuate their homes overnight.",
         "Officials said dry vegetation and heat had made the wildfire season unusually severe."],
    ),
}


def corpus(seed: int = 0) -> tuple[list[Article], dict[str, str]]:
    """Four articles per story, each a different title and a shuffled subset of the story's sentences."""
    rng = random.Random(seed)
    articles, truth = [], {}
    for story, (titles, sentences) in STORIES.items():
        for n, title in enumerate(titles):
            body = rng.sample(sentences, 3)
            article = Article(f"{story}-{n}", title, "\n".join(body), published=f"2024-05-0{n + 1}")
            articles.append(article)
            truth[article.id] = story
    articles.append(Article("lonely", "Chess champion wins blitz final", "A grandmaster won the blitz final in Oslo."))
    return articles, truth


def partition(articles: list[Article], groups: list[list[int]]) -> set[frozenset[str]]:
    return {frozenset(articles[i].id for i in g) for g in groups}


def test_recovers_the_stories_and_leaves_the_singleton_out() -> None:
    articles, truth = corpus()
    groups = cluster_articles(articles)
    expected = {frozenset(i for i, s in truth.items() if s == story) for story in STORIES}
    assert partition(articles, groups) == expected


def test_result_does_not_depend_on_input_order() -> None:
    articles, _ = corpus()
    shuffled = articles[:]
    random.Random(7).shuffle(shuffled)
    assert partition(articles, cluster_articles(articles)) == partition(shuffled, cluster_articles(shuffled))


def test_names_are_readable_slugs_of_distinctive_title_words_and_unique() -> None:
    articles, truth = corpus()
    topics = discover_topics(articles, reserved=["california-wildfire"])
    assert len(topics) == 3
    for topic in topics:
        story = truth[topic.article_ids[0]]
        assert all(truth[i] == story for i in topic.article_ids)
        assert topic.name == topic.name.lower() and " " not in topic.name
        assert topic.title in {a.title for a in articles}
        assert topic.terms, topic
    names = [t.name for t in topics]
    assert len(set(names)) == len(names)
    assert "california-wildfire" not in names  # a named topic's name is never taken by a cluster
    wildfire = next(t for t in topics if truth[t.article_ids[0]] == "wildfire")
    assert "wildfire" in wildfire.name and "california" in wildfire.name


def test_min_size_and_tiny_inputs() -> None:
    articles, _ = corpus()
    assert discover_topics(articles[:2]) == []
    assert discover_topics([]) == []
    assert all(t.size >= 5 for t in discover_topics(articles, min_size=5))
    assert discover_topics(articles, min_size=5) == []


def test_discoverer_memoises_until_the_articles_change() -> None:
    articles, _ = corpus()
    calls = []

    def vectors(batch):  # a stored-vector lookup, like the article store's
        from summarizer.ingest import lead_vectors

        calls.append(len(batch))
        return lead_vectors(batch)

    discover = TopicDiscoverer(vectors=vectors)
    first = discover(articles)
    assert discover(list(articles)) is first and calls == [len(articles)]
    changed = [*articles, Article("volcano-9", "Volcano eruption in Iceland slows", "The volcano eruption slowed.")]
    assert discover(changed) is not first and len(calls) == 2


def test_discovered_topics_listed_and_briefed_through_the_service(settings_factory, tmp_path: Path) -> None:
    import asyncio

    from bot.app import Briefbot
    from summarizer.ingest import to_front_matter

    folder = tmp_path / "articles"
    folder.mkdir()
    articles, truth = corpus()
    for article in articles:
        (folder / f"{article.id}.txt").write_text(to_front_matter(article), encoding="utf-8")
    settings = settings_factory(articles_dir=folder, topics_file=tmp_path / "none.toml")

    async def run():
        async with Briefbot(settings, articles_dir=folder) as bot:
            listing = await bot.service.topic_list()
            found = [t for t in listing if t.discovered]
            assert len(found) == 3 and all(t.articles == 4 for t in found)
            name = found[0].name
            result = await bot.service.brief(name)
            ids = set(result.article_ids)
            assert len(ids) == 4 and len({truth[i] for i in ids}) == 1
            assert result.brief.topic == name

    asyncio.run(run())


def test_cli_topics_marks_discovered(tmp_path: Path) -> None:
    import subprocess
    import sys

    from summarizer.ingest import to_front_matter

    folder = tmp_path / "articles"
    folder.mkdir()
    for article in corpus()[0]:
        (folder / f"{article.id}.txt").write_text(to_front_matter(article), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "topics", "--articles", str(folder)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    discovered = [line for line in done.stdout.splitlines() if line.endswith("(discovered)")]
    assert len(discovered) == 3
    assert all("\t4 articles\t" in line for line in discovered)
