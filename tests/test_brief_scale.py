"""A 1,000-article topic still gives a valid, fully enriched brief, and the extras read a bounded sample.

Correctness only: speed is measured by bench/scale.py and bench/speed.py, never asserted here.
"""

from __future__ import annotations

import random

import pytest

from summarizer.articles import Article
from summarizer.brief import Seen, build_brief
from summarizer.enrich import MAX_EXTRA_ARTICLES, sample_articles
from summarizer.models import Brief, Point

OUTLETS = ("Harbour Times", "Civic Wire", "Valley News", "Morning Post")
# Four stories of one topic, from big to small, each a few facts told in slightly different words.
STORIES = {
    "vote": (
        ["The Northport city council voted on Tuesday to close the old harbour bridge to heavy trucks.",
         "Northport's city council decided on Tuesday to ban heavy trucks from the old harbour bridge."],
        ["Engineers found cracks in two of the bridge's steel supports during an inspection on March 3, 2024.",
         "Inspectors reported that the bridge carries about {n} trucks a day across the harbour.",
         "Council member Anna Keller said the repairs would cost the city more than {m} million dollars.",
         "Local businesses warned that detours would add half an hour to every delivery in the district.",
         "The ban takes effect next month and will last until the repairs are finished next year.",
         "Mayor Tomas Brandt said the city would ask the regional government to share the repair costs.",
         '"We cannot wait for the bridge to fail before we act on the findings of the engineers," Anna Keller said.',
         '"Every delivery truck in the district will now have to take the long way around the port," '
         "Tomas Brandt said."],
    ),
    "ferry": (
        ["A new ferry line will carry trucks across the Northport harbour while the bridge is closed."],
        ["The harbour authority said the ferry would run every twenty minutes from early morning.",
         "Harbour director Lena Ostrova said the ferry service would start on April 2, 2024.",
         '"The ferry will keep the port open for business while the bridge is being repaired," Lena Ostrova '
         "said."],
    ),
    "protest": (
        ["Truck drivers protested outside Northport city hall against the closure of the harbour bridge."],
        ["The drivers' union said its members would lose hours of paid work every week because of the detour.",
         "Union leader Marek Sobczak asked the council to let lighter trucks keep using the bridge."],
    ),
    "history": (
        ["The old harbour bridge in Northport was opened in 1931 and last repaired in 1987."],
        ["Historians at the Northport museum said the bridge was the first steel crossing in the region."],
    ),
}
WEIGHTS = {"vote": 0.6, "ferry": 0.25, "protest": 0.1, "history": 0.05}


def make_topic(count: int, seed: int = 7) -> list[Article]:
    """``count`` articles retelling the four stories; numbers and sentence choice vary between articles."""
    rng = random.Random(seed)
    names = list(STORIES)
    out = []
    for n in range(count):
        story = rng.choices(names, weights=[WEIGHTS[k] for k in names])[0]
        leads, facts = STORIES[story]
        chosen = rng.sample(facts, k=max(1, int(len(facts) * rng.uniform(0.6, 1.0))))
        body = [rng.choice(leads), *chosen]
        text = "\n".join(line.format(n=rng.choice((900, 1200, 1500)), m=rng.choice((12, 15))) for line in body)
        out.append(Article(f"{story}-{n:04d}", leads[0][:60], text, OUTLETS[n % len(OUTLETS)],
                           f"https://news.example/{story}/{n}", f"2024-03-{1 + n % 28:02d}"))
    return out


@pytest.fixture(scope="module")
def big_topic() -> list[Article]:
    return make_topic(1000)


@pytest.fixture(scope="module")
def big_brief(big_topic: list[Article]) -> Brief:
    return build_brief("northport-bridge", "Northport harbour bridge", big_topic)


def test_thousand_article_brief_is_valid_and_cites_real_articles(big_brief: Brief, big_topic: list[Article]) -> None:
    ids = {a.id for a in big_topic}
    assert big_brief.summary and "bridge" in big_brief.summary.lower()
    # about 200 words of points: verbatim copies of the main lead must not crowd out the other facts
    assert len(big_brief.points) >= 6 and sum(len(p.text.split()) for p in big_brief.points) <= 220
    told = " ".join([big_brief.summary, *(p.text for p in big_brief.points)]).lower()  # a short lead takes a point
    assert "ferry" in told and "truck drivers" in told  # every strand of the story, not just the main one
    for point in big_brief.points:
        assert point.sources and set(point.sources) <= ids
        assert point.corroboration == len(point.sources) == len(set(point.sources))
    assert max(p.corroboration for p in big_brief.points) > 10  # a fact told by hundreds is merged, not repeated
    texts = [p.text for p in big_brief.points]
    assert len(set(texts)) == len(texts) and big_brief.summary not in texts
    assert len(big_brief.sources) == 1000 and big_brief.coverage.articles == 1000


def test_thousand_article_brief_has_its_extras(big_brief: Brief, big_topic: list[Article]) -> None:
    ids = {a.id for a in big_topic}
    assert big_brief.quotes and all(q.speaker and set(q.sources) <= ids for q in big_brief.quotes)
    assert {q.speaker for q in big_brief.quotes} >= {"Anna Keller"}
    assert big_brief.timeline and all(set(e.sources) <= ids for e in big_brief.timeline)
    assert any("2024-03-03" in e.date or "March 3" in e.date for e in big_brief.timeline)
    names = {e.name for e in big_brief.entities}
    assert {"Anna Keller", "Tomas Brandt", "Lena Ostrova"} <= names
    # The extras read a sample: no entity can be counted in more articles than the sample holds.
    person = next(e for e in big_brief.entities if e.name == "Anna Keller")
    assert 0 < person.mentions <= 2 * MAX_EXTRA_ARTICLES


def test_sample_is_bounded_ordered_and_covers_citations_and_minor_stories(
    big_brief: Brief, big_topic: list[Article]
) -> None:
    ranked = [a.id for a in big_topic if a.id.startswith("vote")]  # a ranker that only likes the main story
    sample = sample_articles(big_brief, big_topic, ranked)
    assert len(sample) == MAX_EXTRA_ARTICLES
    position = {a.id: n for n, a in enumerate(big_topic)}
    assert [position[a.id] for a in sample] == sorted(position[a.id] for a in sample)  # topic order kept
    chosen = {a.id for a in sample}
    assert all(p.sources[0] in chosen for p in big_brief.points)  # every point's first source is read
    stories = {a.id.split("-")[0] for a in sample}
    assert stories == set(STORIES)  # the even spread reaches the 5% story the ranker ignores
    late = max(position[a.id] for a in sample)
    assert late > 900  # ... and the end of the topic, not only its start


def test_small_topic_extras_read_every_article() -> None:
    small = make_topic(MAX_EXTRA_ARTICLES, seed=3)
    point = Point("x", (small[-1].id,), 1)
    brief = Brief("t", "t", "s", (point,), (), build_brief("t", "t", small[:1], enrich=False).coverage)
    assert sample_articles(brief, small, [small[0].id]) == small
    assert sample_articles(brief, small, [], limit=10)[0] in small


def test_thousand_article_update_and_focus_stay_correct(big_topic: list[Article]) -> None:
    """Every later article retells stories told before: nothing is new. A focused brief stays on its question."""
    update = build_brief("northport-bridge", "Northport harbour bridge", big_topic, enrich=False,
                         previous=Seen(frozenset(a.id for a in big_topic[:500])))
    assert update.points == () and "nothing new" in update.summary.lower() and len(update.sources) == 500
    focused = build_brief("northport-bridge", "Northport harbour bridge", big_topic, enrich=False,
                          focus="When will the ferry service start?")
    assert "ferry" in focused.summary.lower()
