"""A point's dangling "he"/"her" named after the one person its article named just before; never a guess."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from summarizer.articles import Article
from summarizer.entities import analyse_entities
from summarizer.referents import Referents

BODY = """Prime Minister Tomas Novak visited the flooded town of Brod on Monday.
Finance Minister Petr Dvorak said the budget would cover the repairs.
Health Minister Anna Kralova said on Tuesday that the hospital would reopen.
Mrs Eva Horakova, the town's mayor, said the water had reached the first floor.
Many people in the town lost their homes."""  # the topic's lower-case words: "People" opening a sentence is no name


@pytest.fixture(scope="module")
def referents() -> Referents:
    return Referents(analyse_entities([Article("a1", "Floods in Brod", BODY)], limit=0).people)


NOVAK = ["Prime Minister Tomas Novak visited the flooded town of Brod on Monday."]


def name(referents: Referents, text: str, before: Sequence[str]) -> str:
    return referents.name(text, list(before))


def test_a_dangling_he_is_named_in_brackets(referents: Referents) -> None:
    text = "People told him that the houses the government gave out do not keep the water out."
    assert name(referents, text, NOVAK) == ("People told him [Tomas Novak] that the houses the government gave out "
                                            "do not keep the water out.")
    assert name(referents, "He promised new houses before the winter.", NOVAK) == \
        "He [Tomas Novak] promised new houses before the winter."


def test_the_nearest_sentence_that_names_people_counts() -> None:
    """A sentence in between that names nobody (and no unnamed person) does not stop the search."""
    people = analyse_entities([Article("a1", "Floods in Brod", BODY)], limit=0).people
    before = [*NOVAK, "The river rose two metres overnight and flooded the main square."]
    assert Referents(people).name("He promised new houses.", before) == "He [Tomas Novak] promised new houses."


def test_possessives_take_the_possessive_name(referents: Referents) -> None:
    assert name(referents, "His government approved the aid on Tuesday.", NOVAK) == \
        "His [Tomas Novak's] government approved the aid on Tuesday."
    kralova = ["Health Minister Anna Kralova said on Tuesday that the hospital would reopen."]
    assert name(referents, "Her ministry sent ten doctors to the town.", kralova) == \
        "Her [Anna Kralova's] ministry sent ten doctors to the town."
    assert name(referents, "People told her that the clinic was closed.", kralova) == \
        "People told her [Anna Kralova] that the clinic was closed."


def test_two_candidates_or_none_leave_the_text_alone(referents: Referents) -> None:
    two = ["Prime Minister Tomas Novak met Finance Minister Petr Dvorak in Brod on Monday."]
    assert name(referents, "He promised new houses before the winter.", two) == \
        "He promised new houses before the winter."
    nobody = ["The river rose two metres overnight and flooded the main square."]
    assert name(referents, "He promised new houses.", nobody) == "He promised new houses."
    # an unnamed person is a candidate too
    farmer = ["A farmer showed Prime Minister Tomas Novak the flooded fields on Monday."]
    assert name(referents, "He promised new houses.", farmer) == "He promised new houses."


def test_pronouns_inside_quotations_are_the_speakers_words(referents: Referents) -> None:
    quoted = '"People told him the dam would never break," a resident of the town said on Monday.'
    assert name(referents, quoted, NOVAK) == quoted
    # a quotation opened in the sentence before: a resident's words
    before = [*NOVAK, 'Residents were angry: "We have lost everything.']
    assert name(referents, 'He promised us houses and nothing came."', before) == \
        'He promised us houses and nothing came."'


def test_a_name_before_the_pronoun_or_the_wrong_gender_leaves_it_alone(referents: Referents) -> None:
    text = "Finance Minister Petr Dvorak said he would cover the repairs."
    assert name(referents, text, NOVAK) == text
    horakova = ["Mrs Eva Horakova, the town's mayor, said the water had reached the first floor."]
    assert name(referents, "He said the water was still rising.", horakova) == "He said the water was still rising."
    # "After his speech, Dvorak said ...": the pronoun may point forward to the name after it
    forward = "After his speech, Finance Minister Petr Dvorak said the budget would cover the repairs."
    assert name(referents, forward, NOVAK) == forward
    # a "He" that opens the sentence is its subject: it points back, whoever the sentence names after a comma
    subject = "He thanked his finance minister, Petr Dvorak, for the budget."
    assert name(referents, subject, NOVAK) == \
        "He [Tomas Novak] thanked his finance minister, Petr Dvorak, for the budget."
    # him is not the person named next to him
    assert name(referents, "People told him and Prime Minister Tomas Novak about the leaks.", NOVAK) == \
        "People told him and Prime Minister Tomas Novak about the leaks."
    # two people in play: one name cannot say which
    assert name(referents, "He told her the houses would be ready.", NOVAK) == "He told her the houses would be ready."


def test_multiling_m005_point_names_pinera() -> None:
    """The M005 brief showed "People told him and Interior Minister Rodrigo Hinzpeter that ...": the article's
    sentence before names President Sebastián Piñera."""
    from bench.encoders import multiling_articles
    from summarizer.brief import build_brief

    root = Path(__file__).resolve().parent.parent
    articles = multiling_articles(root / "bench/data/multiling2011_en/multiling2011_en.jsonl")["M005"]
    brief = build_brief("M005", "M005", articles, encoder="tfidf")
    told = [p.text for p in brief.points if p.text.startswith("People told him")]
    assert told == ["People told him [Sebastián Piñera] and Interior Minister Rodrigo Hinzpeter that the mediaguas, "
                    "or small houses, given out by the government don't block out the water and humidity."]
