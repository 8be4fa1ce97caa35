"""Quotes: attribution patterns, safe pronouns, dropped unknown speakers, merging across outlets, seeds."""

from __future__ import annotations

from summarizer.articles import Article, load_articles
from summarizer.entities import analyse_entities
from summarizer.quotes import extract_quotes, quote_spans
from tests.conftest import SEEDS

INTRO = "Secretary of State Antony Blinken met reporters. White House press secretary Jen Psaki spoke too."


def quotes(*bodies: str, published: str | None = None):
    articles = [Article(id=f"a{i}", title=f"T{i}", body=body, published=published) for i, body in enumerate(bodies)]
    report = analyse_entities(articles)
    return extract_quotes(articles, report.people, limit=10)


def test_surname_after_quote_resolves_to_full_name():
    found = quotes(INTRO + '\n"We will not hesitate to impose costs on anyone who helps," Blinken said.')
    assert [(q.speaker, q.text) for q in found] == [
        ("Antony Blinken", "We will not hesitate to impose costs on anyone who helps")
    ]


def test_verb_first_and_title_forms():
    found = quotes(
        INTRO + '\n"This is an opportunity to assess where the other side stands," said Ms. Psaki on Thursday.'
        '\nKirby is not here. Secretary Blinken said: "The alliance will hold together through this winter."'
    )
    assert {q.speaker for q in found} == {"Jen Psaki", "Antony Blinken"}


def test_pronoun_resolves_to_nearest_named_person_in_paragraph():
    found = quotes(INTRO + '\nBlinken spoke in Rome. "We are watching every move very closely," he added.')
    assert [q.speaker for q in found] == ["Antony Blinken"]


def test_pronoun_without_antecedent_in_paragraph_is_dropped():
    found = quotes(INTRO + '\n"We are watching every move very closely," he added.')
    assert found == ()


def test_pronoun_with_two_candidates_or_wrong_gender_is_dropped():
    two = quotes(INTRO + '\nBlinken met Psaki in Rome. "We are watching every move very closely," he said.')
    assert two == ()
    wrong = quotes(INTRO + '\nMr Blinken spoke in Rome. "We are watching every move very closely," she said.')
    assert wrong == ()


def test_unknown_or_garbled_speaker_is_dropped():
    found = quotes(INTRO + '\n"We are concerned that they are considering helping directly," said Mr. Shine.')
    assert found == ()


def test_indefinite_official_kept_definite_dropped():
    found = quotes(
        '"We do have deep concerns about the alignment at this time," a senior administration official said.'
        '\n"We do not want to corner anyone in this dispute at all," the official said.'
    )
    assert [(q.speaker, q.sources) for q in found] == [("A senior administration official", ("a0",))]


def test_quote_without_speaker_and_scare_quotes_are_skipped():
    found = quotes(INTRO + '\n"Nobody knows what happens next in this long war."'
                   '\nBlinken said the talks were "constructive" and would watch "closely."')
    assert found == ()


def test_nested_quotes_keep_inner_quote_and_speaker():
    nested = "\u201cHe told me \u2018we will not back down,\u2019 and I believed him,\u201d Blinken said."
    found = quotes(INTRO + "\n" + nested)
    assert [q.speaker for q in found] == ["Antony Blinken"]
    assert "'we will not back down,'" in found[0].text


def test_same_quote_in_two_outlets_is_merged_and_cited_to_both():
    first = INTRO + '\n"China has a responsibility to use its influence with President Putin," Blinken said.'
    second = (
        "Antony J. Blinken, the secretary of state, spoke on Thursday.\n"
        '"We believe China has a responsibility to use its influence with President Putin," Mr. Blinken said.'
    )
    found = quotes(first, second)
    assert len(found) == 1
    assert found[0].speaker == "Antony Blinken"
    assert found[0].sources == ("a0", "a1")
    assert found[0].text.startswith("We believe")  # the fuller wording wins


def test_same_words_from_different_speakers_are_not_merged():
    text = '"China has a responsibility to use its influence with President Putin," {} said.'
    found = quotes(INTRO + "\n" + text.format("Blinken"), INTRO + "\n" + text.format("Psaki"))
    assert sorted(q.speaker for q in found) == ["Antony Blinken", "Jen Psaki"]


def test_continuation_sentence_joins_the_attributed_quote():
    found = quotes(INTRO + '\n"China is committed to peace talks," Blinken said. "And the community should help soon."')
    assert [q.text for q in found] == ["China is committed to peace talks. And the community should help soon."]


def test_unbalanced_quote_marks_do_not_crash():
    assert quote_spans('" Conservative readers may disagree with the writer.') == []
    assert quotes(INTRO + '\n"An unterminated quote that never closes, Blinken said') == ()


def test_seed_quotes_have_real_speakers():
    articles = load_articles(SEEDS).articles
    report = analyse_entities(articles)
    found = extract_quotes(articles, report.people)
    assert 3 <= len(found) <= 6
    corpus = " ".join(a.body for a in articles)
    blinken = [q for q in found if q.speaker == "Antony Blinken"]
    assert blinken and any("responsibility to use its influence" in q.text for q in blinken)
    for quote in found:
        assert quote.speaker.split()[-1] in corpus  # every speaker is named in the articles
        assert "Shine" not in quote.speaker
        assert len(quote.text.split()) >= 6
        assert set(quote.sources) <= {a.id for a in articles}


def test_a_person_described_by_an_organisation_speaks_not_the_organisation():
    found = quotes(
        "Sean McCormack, a spokesman for the United States Department of State, said \"we support the British "
        "demand for the safe return of their people and equipment.\"\n"
        "Frank Ciacco, a former forensic expert for the United States National Transportation Safety Board said "
        "that \"typically, if you see intact bodies and multiple fractures it's a good indicator of a break up.\"\n"
        "John Bellinger of the State Department told BBC, \"We felt that it was an invasion of the privacy of the "
        "detainees themselves.\"\n"
        "\"We are trying to get in touch with our people on the ground but we are experiencing problems,\" said "
        "United Nations spokeswoman Stephanie Bunker to Agence France-Presse.\n"
        "Marc Garlasco, Human Rights Watch military analyst, said \"Up to now, a lot of allegations and evidence "
        "has been floating around about authorization.\""
    )
    assert {(q.speaker, " ".join(q.text.split()[:3])) for q in found} == {
        ("Sean McCormack", "we support the"),
        ("Frank Ciacco", "typically, if you"),
        ("John Bellinger", "We felt that"),
        ("Stephanie Bunker", "We are trying"),
        ("Marc Garlasco", "Up to now,"),
    }


def test_an_organisation_still_speaks_alone_and_an_object_is_no_speaker():
    found = quotes(
        INTRO + "\n\"A destructive widespread tsunami threat does not exist based on historical data,\" the US "
        "Pacific Tsunami Warning Center said.\n"
        "After meeting Blinken, the Chinese foreign minister said \"we will never accept any pressure from anyone "
        "on this matter.\""
    )
    assert [(q.speaker, q.text.split()[0]) for q in found] == [("US Pacific Tsunami Warning Center", "A")]
