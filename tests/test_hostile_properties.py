"""Property tests (Hypothesis) for issue 14: the loader, the splitter and the front-matter parser on any input.

Invariants: nothing raises, nothing is lost by the splitter, every output respects the caps. The time bound is
a stall guard, not a speed figure (those live in bench/hostile.py): a repeated generated unit of 100 KB must
split within a deadline far above the linear cost (about 0.1 s) and far below the old quadratic one (minutes).
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.articles import MAX_ARTICLE_CHARS, parse_article
from summarizer.front_matter import FrontMatterError, split_front_matter
from summarizer.text import MAX_SENTENCE_CHARS, normalize, split_sentences

# Characters the splitter and cleaner treat specially, plus ordinary letters, so that examples hit the rules.
_ALPHABET = st.sampled_from(list("aZ .!?\"'()[]\u2026\u201c\u201d-:;,\n\t0U.S") + ["Mr.", "said", "No.", " He "])
hostile_text = st.lists(_ALPHABET, max_size=400).map("".join) | st.text(max_size=400)


def _letters(text: str) -> str:
    return "".join(text.split())


@given(hostile_text)
@settings(max_examples=150, deadline=None)
def test_split_loses_nothing_and_bounds_every_sentence(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s and s == s.strip() and len(s) <= MAX_SENTENCE_CHARS for s in sentences)
    assert _letters("".join(sentences)) == _letters(normalize(text))


@given(st.lists(_ALPHABET, min_size=1, max_size=40).map("".join))
@settings(max_examples=25, deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow])
def test_split_of_a_repeated_unit_is_bounded_in_time_and_size(unit: str) -> None:
    text = unit * (100_000 // len(unit) + 1)
    sentences = split_sentences(text)
    assert all(len(s) <= MAX_SENTENCE_CHARS for s in sentences)
    assert _letters("".join(sentences)) == _letters(normalize(text))


front_matter = st.one_of(
    st.builds(lambda body: f"---\n{body}\n---\n", st.text(max_size=200)),
    st.builds(lambda body: f"+++\n{body}\n+++\n", st.text(max_size=200)),
    st.just("---\na: &a [x, x]\nb: [*a, *a]\ntitle: *a\n---\n"),
    st.just(""),
)


@given(front_matter, hostile_text, st.integers(min_value=1, max_value=30))
@settings(max_examples=150, deadline=None)
def test_loader_never_raises_and_respects_the_caps(head: str, body: str, max_sentences: int) -> None:
    article, notes = parse_article((head + body).encode("utf-8", "surrogatepass"), "a", "a.txt",
                                   max_bytes=4000, max_sentences=max_sentences)  # fmt: skip
    assert all(isinstance(n, str) and "\n" not in n for n in notes)
    if article is not None:
        assert article.title or article.body
        assert len(split_sentences(article.body)) <= max_sentences
        assert len(article.body) <= MAX_ARTICLE_CHARS


@given(st.binary(max_size=3000))
@settings(max_examples=200, deadline=None)
def test_loader_takes_any_bytes(raw: bytes) -> None:
    article, notes = parse_article(raw, "b", "b.txt", max_bytes=2000)
    assert article is not None or notes


@given(front_matter, hostile_text)
@settings(max_examples=150, deadline=None)
def test_front_matter_is_flat_or_refused(head: str, body: str) -> None:
    try:
        meta, _ = split_front_matter(head + body)
    except FrontMatterError:
        return
    assert all(isinstance(k, str) and not isinstance(v, dict | list) for k, v in meta.items())
