"""The plain install's second chance (``summarizer.qa_lexical``): no sentence encoder, a partial word match.

Without the ml extra the answer engine refused any question with a word the articles never use ("kick", "bump
up", "soldiers"), as only MiniLM could tell that "kick ... out" means "sent home". These tests ask with no sentence
encoder (``semantic=None``, a plain install), so only words can meet: the sentence covering the words the articles
do use answers, unless the unused word is a thing they would have to name.
"""

from __future__ import annotations

from summarizer.articles import Article
from summarizer.qa import answer_question
from summarizer.qa_lexical import is_place, is_thing

TOUR = [
    Article(
        "tour",
        "Leader leaves the race",
        "Rabobank sent Michael Rasmussen home for violating the team's internal rules. "
        "Rasmussen had led the race for ten days in the yellow jersey. "
        "Officials estimate that 300 troops of fans lined the last climb near the river.",
    ),
]

FRONT = [
    Article(
        "war",
        "Fighting in the east",
        "Officials estimate that 300 troops were killed in the fighting near the river. "
        "The army moved new artillery to the front line overnight.",
    ),
]

AID = [
    Article(
        "aid",
        "Donors pledge more",
        "Norway increased its donation to the relief effort to 180 million dollars. "
        "Aid workers reached the coast on Monday.",
    ),
]


def test_a_word_the_articles_never_use_may_be_their_wording() -> None:
    kicked = answer_question("why did rabobank kick rasmussen out?", TOUR, semantic=None)
    assert kicked.answered, kicked.answer
    assert "sent Michael Rasmussen home" in kicked.citations[0].text
    bumped = answer_question("did norway bump up its donation?", AID, semantic=None)
    assert bumped.answered, bumped.answer
    assert "Norway increased its donation" in bumped.citations[0].text


def test_a_place_the_articles_never_mention_is_refused() -> None:
    assert is_place("germany") and is_place("britain") and not is_place("kick")
    refused = answer_question("how much did germany donate to the relief effort?", AID, semantic=None)
    assert not refused.answered, refused.answer


def test_a_thing_the_articles_never_name_is_refused() -> None:
    assert is_thing("weather", "what was the weather like at the front line?")
    assert is_thing("names", "what were the officials' names?")
    assert is_thing("old", "how old were the troops?")
    assert not is_thing("kick", "why did rabobank kick rasmussen out?")
    for question in ("what was the weather like at the front line?", "what were the officials' names?",
                     "how old were the officials?",
                     "what did the army say about climate near the front line?"):
        answer = answer_question(question, FRONT, semantic=None)
        assert not answer.answered, (question, answer.answer)


def test_a_partial_match_must_cover_most_of_the_seen_words() -> None:
    # "army" and "artillery" are in the second sentence, "river" only in the first: neither covers three quarters
    # of the words the articles use, so "haul" is not taken for "moved".
    answer = answer_question("did the army haul artillery across the river?", FRONT, semantic=None)
    assert not answer.answered, answer.answer


CRASH = [
    Article("a", "Airliner lost", "The airliner crashed into the Atlantic Ocean on Monday. Searchers found a seat."),
    Article("b", "Search goes on", "The airliner carried 228 people. A navy ship arrived in the Azores on Tuesday."),
    Article("c", "Recorders sought", "The airliner's recorders lie deep under the sea. A submarine will look."),
]


def test_the_topics_common_words_alone_are_no_partial_match() -> None:
    # "airliner" is in every article: a sentence sharing only it is on the topic, not on where it was built.
    answer = answer_question("where was the airliner built?", CRASH, semantic=None)
    assert not answer.answered, answer.answer
    # a word of the question that is not common to the topic lets the sentence answer
    found = answer_question("where did the navy ship head?", CRASH, semantic=None)
    assert found.answered, found.answer
    assert "navy ship arrived in the Azores" in found.citations[0].text
