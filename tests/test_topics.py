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
