"""Sentence splitting and normalisation on the cases news text throws at a splitter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.text import normalize, quoted_fraction, split_sentences, truncate_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Lee met Dr. Ortiz and Mrs. Khan on Feb. 3. They talked.",
         ["Mr. Lee met Dr. Ortiz and Mrs. Khan on Feb. 3.", "They talked."]),
        ("Gen. Park and Sen. Ruiz spoke at the U.N. on Monday. Ms. Obi agreed.",
         ["Gen. Park and Sen. Ruiz spoke at the U.N. on Monday.", "Ms. Obi agreed."]),
        ("Growth slowed to 2.5 percent in the U.S. economy. Markets fell.",
         ["Growth slowed to 2.5 percent in the U.S. economy.", "Markets fell."]),
        ("The plant moved to the U.S. The union objected.", ["The plant moved to the U.S.", "The union objected."]),
        ('"We are ready," said Ortiz. The talks resume Monday.',
         ['"We are ready," said Ortiz.', "The talks resume Monday."]),
        ('"We are ready." Ortiz said. The talks resume Monday.',
         ['"We are ready." Ortiz said.', "The talks resume Monday."]),
        ('He called it "a mistake." The board disagreed.', ['He called it "a mistake."', "The board disagreed."]),
        ('"Is it over?" she asked. Nobody answered.', ['"Is it over?" she asked.', "Nobody answered."]),
        ("He ranked No. 4 in the poll. She said no. Then she left.",
         ["He ranked No. 4 in the poll.", "She said no.", "Then she left."]),
        # A garbled source: a lower-case word after a plain word's period starts a fragment, not a continuation.
        ("The US accused China of sending arms to Russia. was charged with considering.",
         ["The US accused China of sending arms to Russia.", "was charged with considering."]),
        # ... but not after an abbreviation, an initialism, an ellipsis or a closing quote.
        ('U.S. officials met at 9 a.m. on Friday, e.g. the envoys. Sen. Ruiz came too... and "Go." he said.',
         ['U.S. officials met at 9 a.m. on Friday, e.g. the envoys.', 'Sen. Ruiz came too... and "Go." he said.']),
        ("Prices rose 5 pct. in May, approx. twice the rate.", ["Prices rose 5 pct. in May, approx. twice the rate."]),
        # Military ranks before a name ("Army Spc. Charles Graner", "Pfc. Lynndie England").
        ("A court martial found Army Spc. Charles Graner guilty. Pfc. Lynndie England and Cpl. Smith were tried.",
         ["A court martial found Army Spc. Charles Graner guilty.", "Pfc. Lynndie England and Cpl. Smith were tried."]),
    ],
)
def test_split_sentences_edge_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_stray_capitalised_word_before_the_full_stop_is_dropped() -> None:
    """A scraped page glued the next sentence's first word on ("... decided to do so Is.")."""
    assert split_sentences("The US has seen no sign that China decided to do so Is. Xi spoke.") == [
        "The US has seen no sign that China decided to do so.", "Xi spoke."]
    # names and terms that end on such a word stay whole, as does a question or a title-case phrase
    kept = ["Cases of hepatitis A.", "He said the plan is The Way It Is.", "She voted for Plan A.",
            "It was the last In.", "Where Is?"]
    for sentence in kept:
        assert split_sentences(sentence) == [sentence]


def test_line_breaks_always_end_a_sentence() -> None:
    assert split_sentences("A headline without a period\nThe body starts here.") == [
        "A headline without a period", "The body starts here."]


def test_a_stray_comma_after_a_sentence_end_is_dropped() -> None:
    """"... aid to Russia. ," (a layout leftover in a seed article) read as a fragment and lost the sentence."""
    assert normalize("It could push Xi into a corner. ,\nNext.") == "It could push Xi into a corner.\nNext."
    assert split_sentences(normalize("He feels compelled to act. ,")) == ["He feels compelled to act."]
    assert normalize("Leaders of the U.S., China and Japan met.") == "Leaders of the U.S., China and Japan met."


def test_normalize_quotes_and_spaces() -> None:
    text = "\u201cHello,\u201d she said \u2014 it\u2019s\u00a0here\u200b.   Twice  ."
    assert normalize(text) == '"Hello," she said \u2014 it\'s here. Twice .'


def test_quoted_fraction_and_truncate() -> None:
    assert quoted_fraction('"All of this is quoted."') > 0.9
    assert quoted_fraction("Nothing quoted here.") == 0
    assert truncate_words("one two three four", 2) == "one two"


def _normalize_line_by_line(text: str) -> str:
    """The reference: the space and stray-comma rules applied to each line apart (what normalize did before it
    ran them over the whole text at once)."""
    import unicodedata

    from summarizer.text import _QUOTE_MAP, _SPACE_BEFORE_PUNCT, _SPACES, _STRAY_AFTER_END

    text = unicodedata.normalize("NFC", text).translate(_QUOTE_MAP)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_STRAY_AFTER_END.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", line))).strip()
                     for line in text.split("\n"))


@given(st.text(alphabet=" \n\r\t,;:!?.ab\u00a0\u2029\x0b\x85\u201c", max_size=60))
@settings(max_examples=3000, deadline=None)
def test_normalize_whole_text_is_normalize_line_by_line(text: str) -> None:
    assert normalize(text) == _normalize_line_by_line(text)


@pytest.mark.parametrize("text", [" ,\n ,", "a ,\nb", "a  ,  \n  ; b", "a ,", "a ,\n", "x !\n\n ?", "a ,\x85b"])
def test_normalize_space_before_punctuation_at_line_ends(text: str) -> None:
    assert normalize(text) == _normalize_line_by_line(text)
