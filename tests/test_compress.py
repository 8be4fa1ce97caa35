"""Compression of a brief's points (summarizer.compress): attribution to nobody and back-pointing frames cut,
the words saved counted against the budget, every other sentence left as written."""

from __future__ import annotations

import pytest

from summarizer.articles import Article
from summarizer.brief import POINT_WORDS, WORD_SLACK, build_brief
from summarizer.compress import compress, drop_attribution_tail, drop_frame


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The talks lasted seven hours and ended without a statement, according to administration officials.",
     "The talks lasted seven hours and ended without a statement."),
    ("The army moved two brigades to the border on Sunday, officials said.",
     "The army moved two brigades to the border on Sunday."),
    ("The plant will close in March and 400 workers will lose their jobs, a senior official said.",
     "The plant will close in March and 400 workers will lose their jobs."),
    ("The deal was signed late on Friday night in the capital, according to people familiar with the matter.",
     "The deal was signed late on Friday night in the capital."),
])
def test_an_attribution_to_nobody_in_particular_is_cut(sentence: str, expected: str) -> None:
    assert drop_attribution_tail(sentence) == expected


@pytest.mark.parametrize("sentence", [
    # who says it is part of the claim: a named source stays
    "The US has seen no indication that China has decided to send arms, the White House said.",
    "Xi reiterated China's criticism of sanctions imposed on Russia, according to Chinese state media.",
    "The flight left Rio de Janeiro on time, according to a spokeswoman for Air France.",
    "The quake struck at a depth of ten kilometres, the USGS reported.",
    # too little would be left to stand as a sentence
    "It was cancelled, officials said.",
    # an attribution inside the sentence is not a tail
    "Officials said the ministry would publish the report on Monday.",
])
def test_a_named_source_or_a_short_rest_keeps_its_attribution(sentence: str) -> None:
    assert drop_attribution_tail(sentence) == sentence


def test_a_frame_pointing_back_to_the_main_event_is_cut_when_a_clause_follows() -> None:
    assert drop_frame("News of the meeting comes days after the foreign minister held talks with his counterpart "
                      "in Rome.") == "The foreign minister held talks with his counterpart in Rome."
    assert drop_frame("Word of the visit came as rebels shelled the airport for a second day.") == \
        "Rebels shelled the airport for a second day."
    # a noun phrase, not a sentence, follows: nothing to keep on its own
    assert drop_frame("News of the meeting comes days after the summit of the two leaders in Rome.") == \
        "News of the meeting comes days after the summit of the two leaders in Rome."
    # a frame of its own fact ("the call ... comes as") is not pointing back only
    assert compress("The call comes as China attempts to cast itself as a neutral party.") == \
        "The call comes as China attempts to cast itself as a neutral party."


@pytest.mark.parametrize(("sentence", "expected"), [
    # "also" adds to something the article told before, which a point alone does not show: what else?
    ("A bronze statue of the founder was also unveiled at the harbour.",
     "A bronze statue of the founder was unveiled at the harbour."),
    ("Divers also recovered a second anchor from the wreck on Friday.",
     "Divers recovered a second anchor from the wreck on Friday."),
])
def test_an_also_pointing_back_to_an_untold_fact_is_cut(sentence: str, expected: str) -> None:
    assert compress(sentence) == expected


@pytest.mark.parametrize("sentence", [
    # a name, a "but also", a sentence opening with it (no point at all) and an "also" before a name stay
    "The captain, also known as the Admiral, left the port.",
    "Not only the pier but also the lighthouse was damaged.",
    "Also, the divers recovered an anchor.",
    "The mayor thanked the divers and also Captain Ruiz.",
    # a quotation is the speaker's words: "also" stays in it
    "The mayor said: \u201cWe also need new boats for the harbour.\u201d",
    'Divers said "we also found a second anchor" on Friday.',
])
def test_an_also_of_a_name_or_a_pair_is_kept(sentence: str) -> None:
    assert compress(sentence) == sentence


TAIL = ", according to senior administration officials."
FACTS = [
    "The city council approved a new budget of 90 million dollars for the harbour district on Tuesday evening "
    "after a long debate",
    "Engineers from the port authority will begin dredging the eastern shipping channel in early spring next year "
    "to admit larger vessels",
    "Fishermen in the harbour district complained that the dredging work would ruin the lobster season for at "
    "least two whole years",
    "The regional transport office plans to open a ferry line between the old harbour and the northern island "
    "before next summer",
    "A private developer offered to build four hundred apartments on the abandoned shipyard site near the "
    "lighthouse in the harbour district",
]


def test_the_words_a_compressed_point_saves_carry_another_strand() -> None:
    """Five developments, four of them ending in an attribution to unnamed officials: as written, three fit in a
    short brief's 80 words; shown without the attribution, and counted as shown, a fourth fits."""
    bodies = [" ".join([FACTS[0] + ".", *(f + TAIL for f in FACTS[1:])]),
              " ".join([*(f + TAIL for f in FACTS[1:]), FACTS[0] + "."])]
    articles = [Article(f"a{i}", "Harbour district budget approved", b) for i, b in enumerate(bodies)]
    brief = build_brief("harbour", "Harbour", articles, length="short")
    assert not any("according to" in p.text for p in brief.points)
    assert len(brief.points) == 4
    assert sum(len(p.text.split()) for p in brief.points) <= POINT_WORDS["short"] * (1 + WORD_SLACK)
