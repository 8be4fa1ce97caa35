"""Questions that say it with another word the articles also use, and other forms of the same question.

A reader asks how long two leaders "talked" and the report says they "spoke"; asks what a town "asked" for and the
report says it "requested" it. The question's word is in the articles (elsewhere: "talks", "asked"), so it is no
repair of an unknown word: words news writes either way count as one another always (``summarizer.everyday.same``).
These tests ask without a sentence encoder (``semantic=None``) unless they say otherwise, so only the words meet,
and check that questions the articles do not answer are still refused.
"""

from __future__ import annotations

import pytest

from summarizer.articles import Article
from summarizer.everyday import same
from summarizer.qa import answer_question, question_type
from tests.encoder_fakes import FixedCosine
from tests.qa_asks import first, refusal

SUMMIT = [
    Article(
        "call",
        "Leaders hold talks on trade",
        "The Brazilian president and his Chilean counterpart spoke for nearly two hours on Friday, officials said. "
        "The talks covered tariffs on steel and the price of grain. "
        "Aides to both leaders had talked for weeks before the call. "
        "The port town had asked the ministry for help after the storm in March.",
    ),
    Article(
        "port",
        "Port town waits for aid",
        "The town council requested three pumps, two generators and fifty tents from the ministry. "
        "The ministry said the pumps would arrive within a week. "
        "The mayor asked residents to stay away from the flooded quay on Monday.",
    ),
]


def test_talked_meets_spoke() -> None:
    assert "spoke for nearly two hours" in first("how long did the presidents talk?", SUMMIT)


def test_talk_about_still_asks_what_was_said() -> None:
    # "talk about" asks what was said: the talk itself is no word an answer must hold
    answer = answer_question("what did the presidents talk about?", SUMMIT, semantic=None)
    assert answer.answered, answer.answer


def test_asked_meets_requested_and_the_list_comes_first() -> None:
    assert "three pumps, two generators" in first("what did the council ask for?", SUMMIT)


def test_a_generic_list_head_takes_any_list() -> None:
    # "stuff" names no kind of thing: the sentence that lists what was requested answers
    assert "three pumps, two generators" in first("what stuff did the council ask for?", SUMMIT)


def test_a_synonym_does_not_answer_what_the_articles_never_say() -> None:
    refusal("how many soldiers did the town council ask for?", SUMMIT)
    refusal("when did the presidents talk about Taiwan?", SUMMIT)


def test_same_groups_words_both_ways() -> None:
    assert "speak" in same("talked") and "talk" in same("spoke")
    assert "request" in same("asked") and "ask" in same("requested")
    assert same("airport") == ()


STRIKE = [
    Article(
        "dock",
        "Dock strike ends",
        "The strike by the dock workers of the northern port of Varna lasted a week and cost the port its season. "
        "Union leaders met the port authority on Monday to sign a new wage deal. "
        "The harbour's cranes stood idle while ships waited at anchor off the coast.",
    ),
]


def test_a_duration_next_to_lasted_measures_the_sentence_subject() -> None:
    # "a week" is seven words from "strike": it is the strike's length because the strike "lasted" it
    assert "lasted a week" in first("how long was the strike?", STRIKE)
    refusal("how long did the ships wait at anchor?", STRIKE)


def test_how_many_days_asks_how_long() -> None:
    assert question_type("How many days did the strike last?").name == "how_long"
    assert question_type("How many ships waited?").name == "how_many"
    assert "lasted a week" in first("how many days did the dock strike last?", STRIKE)


DONATION = [
    Article(
        "refund",
        "Prairie town wants its donation back",
        "The council of Meadow Creek donated $10,000 to the relief fund by mistake, the mayor said. "
        "Two council members were absent on the day of the vote. "
        "The fund has indicated it will return the $10,000 to the town next month.",
    ),
]


def test_10k_meets_10000() -> None:
    assert "return the $10,000" in first("will the town get its 10k returned?", DONATION)


HEADLINED = [
    Article(
        "tone",
        "Council seeks calmer tone with the river authority",
        "Members worry that sharp words toward the authority would push it to close the locks for the summer. "
        "The council voted on Tuesday to send a letter to the authority's chairman. "
        "The authority runs the locks on the river between the two towns.",
    ),
]


def test_a_headline_is_not_cited_over_a_body_sentence_that_competes() -> None:
    # Only the headline holds the question's words; with a sentence encoder, body sentences that share part of
    # them compete for the citation, and one of them, not the headline, is cited.
    answer = answer_question("why does the council seek a calmer tone?", HEADLINED,
                             semantic=FixedCosine(0.3))
    assert answer.answered, answer.answer
    assert answer.citations[0].text != HEADLINED[0].title


QUAKE = [
    Article(
        "hill",
        "Quake shakes coastal town",
        "A strong earthquake shook the coastal town on Friday night. "
        "Desperate people quickly ran to the now well-known Cruz Hill, fearing a tsunami. "
        "The mayor said the old church was damaged.",
    ),
    Article(
        "tone",
        "Ministry softens its tone on the port",
        "The ministry has chosen a softer tone toward the port's owners in recent weeks. "
        "Officials said sharper words could push the owners to close the port.",
    ),
]


def test_a_place_after_a_few_modifiers_answers_where() -> None:
    """"ran to the now well-known Cruz Hill": the place follows "the" and two words that describe it."""
    assert "Cruz Hill" in first("where did folks run to?", QUAKE)
    assert refusal("where did the mayor sleep?", QUAKE)


def test_going_easier_on_someone_is_a_softer_tone() -> None:
    """A reader asks why the ministry is "going easier on" the owners; the report says "a softer tone"."""
    assert "softer tone" in first("why is the ministry going easier on the port owners?", QUAKE)


JAILBREAK = [
    Article(
        "jail",
        "Inmates escape after quake",
        "About 400 inmates escaped from the central jail after the earthquake damaged its walls on Tuesday. "
        "The quake also cut power to the northern districts for two days. "
        "Guards said the prisoners had been held in crowded cells before the earthquake.",
    ),
    Article(
        "fair",
        "Harvest fair closes",
        "The harvest fair in Varna lasted nine days this year. "
        "Organisers said the games for children went on until late every evening and drew the largest crowds.",
    ),
]


def test_news_words_for_one_thing_and_phrasal_verbs_of_escape_and_lasting() -> None:
    # "quake" and "earthquake", "prisoners" and "inmates" are written either way; "broke out" is "escaped"
    assert "earthquake" in same("quake") and "inmate" in same("prisoners")
    assert "400 inmates escaped" in first("how many prisoners broke out after the quake?", JAILBREAK)
    assert "nine days" in first("how long did the fair go on for?", JAILBREAK)
    refusal("how many guards broke out after the quake?", JAILBREAK)


QUOTAS = [
    Article(
        "quotas",
        "Fishing talks end without a deal",
        "Delegates from twelve countries met in Oslo to discuss the new fishing quotas. "
        "Norway, Iceland and Denmark refused to accept the quotas on Friday. "
        "The countries that refused the quotas were warned by the commission of fines. "
        "The talks will resume in May.",
    ),
]


def test_a_list_of_countries_answers_which_countries_without_saying_countries() -> None:
    # "Norway, Iceland and Denmark" lists countries; the sentence that says "the countries that refused" names none
    assert "Norway, Iceland and Denmark" in first("which countries were refusing the quotas?", QUOTAS)


ARMS = [
    Article(
        "arms",
        "Allies weigh new aid",
        "Officials said Moldova had asked the alliance for three things: anti-tank missiles, drones and armored trucks."
        " "
        "Critics of the alliance accused it of prolonging the war by sending weapons, and called for talks and a truce."
        " "
        "The alliance will decide on Monday.",
    ),
]


def test_a_list_of_kinds_of_the_class_answers_what_weapons() -> None:
    # "missiles, drones" are weapons though the sentence never says "weapons"; the one that says "weapons" lists
    # other things ("talks and a truce"). Without an encoder the everyday table of kinds says so.
    assert "anti-tank missiles, drones" in first("what weapons did moldova want from the alliance?", ARMS)


def test_a_list_of_kinds_of_the_class_answers_what_weapons_with_minilm() -> None:
    pytest.importorskip("torch")
    from summarizer.encoders import get_encoder

    minilm = get_encoder("minilm")
    assert "anti-tank missiles, drones" in first("what weapons did moldova want from the alliance?", ARMS, minilm)


def test_the_kinds_test_sends_a_bounded_number_of_items_to_the_encoder() -> None:
    """A topic of many listing sentences: the items sent to the sentence encoder stop at KIND_ITEMS_MAX (bound every
    loop by a budget, not by the input's size), and the test still counts the items it read."""
    pytest.importorskip("torch")
    from summarizer import qa
    from summarizer.encoders import get_encoder

    minilm = get_encoder("minilm")
    sent: list[str] = []

    class Counting:  # the real MiniLM, counting what it is asked to encode
        def encode(self, texts: list[str]):  # noqa: ANN201 - the encoder's array
            sent.extend(texts)
            return minilm.encode(texts)

    kinds = qa._kinds_test("weapons", Counting())
    items = [f"item{n} rockets" for n in range(qa.KIND_ITEMS_MAX + 500)]
    assert kinds(["missiles", "drones", "tanks"]) >= 2
    kinds(items)
    assert len(sent) <= 2 * (qa.KIND_ITEMS_MAX + 1) + 2  # each item and its noun, plus the question
    assert kinds(["missiles", "drones", "tanks"]) >= 2  # what it read before stays read


VALLEY = [
    Article(
        "valley",
        "Quake rattles valley towns",
        "A strong earthquake hit the valley towns on Sunday morning, damaging roofs and roads. "
        "The earthquake lasted nearly forty seconds, according to the national seismic service. "
        "The ground cracked along the main road near the old bridge. "
        "The mayor said the fair in the square would go ahead next week.",
    ),
]


def test_a_duration_of_lasting_answers_how_long_though_the_question_words_it_otherwise() -> None:
    # "how long did the ground shake?" shares only "shake" (earthquake) with "The earthquake lasted nearly forty
    # seconds": under the coverage bar, but a duration of lasting answers a "how long" question on its subject
    assert "lasted nearly forty seconds" in first("how long did the ground shake?", VALLEY)
    # the verb of lasting alone is not the question's subject: the fair did not last forty seconds
    refusal("how long did the fair go on for?", VALLEY)


FARM = [
    Article(
        "farm",
        "Farmers press ministry",
        "The farmers union asked the agriculture ministry for cheaper diesel and new grain silos on Tuesday. "
        "The agriculture ministry said it wanted the farmers union to reply by June. "
        "The union will meet again in the spring.",
    ),
]


def test_what_x_wanted_from_y_is_what_x_asked_y_for() -> None:
    # "want from" is "ask for": what the union asked the ministry for answers, not only what the ministry wanted
    answer = answer_question("what did the farmers union want from the ministry?", FARM, semantic=None)
    assert "cheaper diesel" in answer.answer


def test_chat_shorthand_is_read_as_the_words_it_stands_for() -> None:
    """"hrs" is "hours" (a how-long question), "n" is "and", "b4" is "before": with no sentence encoder, a word news
    never writes would weigh the most in the question and make it a refusal. Capitals stay: "N." may be an initial."""
    from summarizer.everyday import expand_shorthand

    assert expand_shorthand("did xi n putin meet b4 the war? how many yrs w/o a deal?") == \
        "did xi and putin meet before the war? how many years without a deal?"
    for kept in ("who is N. Korea's leader? the r&d budget", "what did the u.s. say to n. korea?"):
        assert expand_shorthand(kept) == kept
    assert question_type(expand_shorthand("how many hrs did the presidents talk?")).name == "how_long"
    assert "spoke for nearly two hours" in first("how many hrs did the brazilian n chilean presidents talk?", SUMMIT)
    refusal("how many hrs did the mayor talk to the residents?", SUMMIT)
