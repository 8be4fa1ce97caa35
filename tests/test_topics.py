"""Topic matching: named topics by keywords, free text by content words, helpful errors otherwise."""

from __future__ import annotations

import pytest

from summarizer.articles import Article, load_articles
from summarizer.topics import TopicSpec, UnknownTopic, match_topic, topic_counts
from tests.conftest import SEEDS

CHINA_RUSSIA = TopicSpec("china-russia", "China, Russia and the war in Ukraine",
                         ("China", "Beijing", "Xi Jinping", "Russia", "Putin", "Moscow", "Ukraine"))
FARMING = TopicSpec("farming", "Farming", ("harvest", "farmers", "crop"))
TOPICS = [CHINA_RUSSIA, FARMING]


def art(aid: str, title: str, body: str) -> Article:
    return Article(aid, title, body)


def test_all_seeds_match_china_russia() -> None:
    seeds = load_articles(SEEDS).articles
    match = match_topic("china-russia", seeds, TOPICS)
    assert len(match.articles) == 5 and not match.adhoc
    assert match.title == CHINA_RUSSIA.title
    assert dict((t.name, n) for t, n in topic_counts(seeds, TOPICS)) == {"china-russia": 5, "farming": 0}


def test_named_topic_needs_more_than_one_passing_mention() -> None:
    articles = [
        art("a", "Wheat harvest starts early", "Farmers began the harvest two weeks early this year."),
        art("b", "City budget", "The council passed the budget. One farmer attended the meeting."),
        art("c", "Rain and the crop", "Heavy rain damaged the crop in the north, and farmers asked for aid."),
        art("d", "Markets", "Prices for crops moved little on Tuesday."),  # one keyword once: not about farming
    ]
    assert [a.id for a in match_topic("farming", articles, TOPICS).articles] == ["a", "c"]
    assert [a.id for a in match_topic("FARMING", articles, TOPICS).articles] == ["a", "c"]


def test_free_text_query_makes_an_adhoc_topic_with_word_boundaries() -> None:
    articles = [
        art("a", "Balloon over Montana", "A spy balloon drifted over Montana for days."),
        art("b", "Party", "Balloons and a spyglass were sold at the fair."),  # 'spy' only inside 'spyglass'
        art("c", "Downed", "The military shot down the Spy Balloons on Saturday."),
    ]
    match = match_topic("spy balloon", articles, TOPICS)
    assert match.adhoc and [a.id for a in match.articles] == ["a", "c"]
    assert match.title == "Spy balloon"


@pytest.mark.parametrize("query", ["china-rusia", "russia-china", "China_Russia2"])
def test_close_names_raise_with_suggestion(query: str) -> None:
    seeds = load_articles(SEEDS).articles
    with pytest.raises(UnknownTopic) as caught:
        match_topic(query, seeds, TOPICS)
    assert caught.value.suggestions[0] == "china-russia"
    assert caught.value.available == ("china-russia", "farming")
    assert "Did you mean: china-russia?" in str(caught.value)


def test_unknown_free_text_lists_available_topics() -> None:
    with pytest.raises(UnknownTopic) as caught:
        match_topic("quantum computing", load_articles(SEEDS).articles, TOPICS)
    assert caught.value.suggestions == ()
    assert "Available topics: china-russia, farming." in str(caught.value)


def test_query_of_only_stopwords_is_unknown() -> None:
    with pytest.raises(UnknownTopic):
        match_topic("the of and", load_articles(SEEDS).articles, TOPICS)


def _findall_hits(article: Article, keywords: tuple[str, ...]) -> tuple[int, int, bool]:
    """The reference: one regex with the left boundary as a lookbehind, counted with findall (the matcher
    checks that boundary apart and stops counting early; it must decide exactly as this does)."""
    import re

    distinct = total = 0
    in_title = False
    for keyword in keywords:
        escaped = r"\s+".join(re.escape(part) for part in keyword.split())
        pattern = re.compile(rf"(?<![\w-]){escaped}(?:s|es|'s)?(?![\w])", re.IGNORECASE)
        count = len(pattern.findall(article.body)) + len(pattern.findall(article.title))
        if count:
            distinct += 1
            total += count
            in_title = in_title or bool(pattern.search(article.title))
    return distinct, total, in_title


def _decision(hits: tuple[int, int, bool], n_keywords: int) -> bool:
    distinct, total, in_title = hits
    if n_keywords == 1:
        return in_title or total >= 2
    return distinct >= 2 or in_title or total >= 3


TRICKY = [
    "Xi-Jinping xi jinping XI\tJINPING Jinpings non-China China's chinas china-based Chinaa _China 1China",
    "Aa a a a-a a_a aa a's as aes A\u00c0 a\u0301 \u1e9e \u017f K \u212a",
    "Putin putin\nputin putinx -putin putin- ((Putin)) Putins Putin'ss \u017fputin",
    "xa a a", "", "x", "Moscow Moscow", "harvest",
]


@pytest.mark.parametrize("keywords", [("China", "Xi Jinping"), ("a",), ("a", "a a"), ("Putin",),
                                      ("Moscow", "Putin", "harvest"), ("s",), ("k",), ("a-a",)])
def test_keyword_matching_counts_and_decides_as_findall_does(keywords: tuple[str, ...]) -> None:
    from summarizer.topics import keyword_hits, topic_matches

    topic = TopicSpec("t", "T", keywords)
    for title in TRICKY:
        for body in TRICKY:
            article = art("x", title, body + " " + body)
            reference = _findall_hits(article, keywords)
            assert keyword_hits(article, keywords) == reference, (title, body)
            assert topic_matches(article, topic) == _decision(reference, len(keywords)), (title, body)


def test_keyword_matching_agrees_with_findall_on_the_seeds() -> None:
    from summarizer.topics import keyword_hits, topic_matches

    for article in load_articles(SEEDS).articles:
        for topic in TOPICS:
            reference = _findall_hits(article, topic.keywords)
            assert keyword_hits(article, topic.keywords) == reference
            assert topic_matches(article, topic) == _decision(reference, len(topic.keywords))
