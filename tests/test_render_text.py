"""Terminal rendering of briefs and answers, and what a short brief keeps."""

from __future__ import annotations

from bot.render.text import answer_to_text, brief_to_text
from summarizer.articles import load_articles
from summarizer.brief import SHORT_EXTRAS, build_brief
from summarizer.models import Answer, Citation
from tests.conftest import SEEDS


def test_short_brief_keeps_fewer_points_and_extras() -> None:
    articles = load_articles(SEEDS).articles
    full = build_brief("china-russia", "China and Russia", articles, length="full")
    short = build_brief("china-russia", "China and Russia", articles, length="short")
    assert len(short.points) < len(full.points)
    assert len(short.quotes) <= SHORT_EXTRAS["quotes"] and len(short.timeline) <= SHORT_EXTRAS["timeline"]
    assert len(short.entities) <= SHORT_EXTRAS["entities"]
    assert set(short.timeline) <= set(full.timeline) and set(short.quotes) <= set(full.quotes)


def test_brief_text_numbers_sources_and_cites_every_point() -> None:
    articles = load_articles(SEEDS).articles
    brief = build_brief("china-russia", "China and Russia", articles)
    text = brief_to_text(brief)
    for number in range(1, len(brief.sources) + 1):
        assert f"[{number}] " in text
    key_points = text.split("Key points", 1)[1].split("\n\n", 1)[0]
    items = [line for line in key_points.splitlines() if line[:2].rstrip(".").isdigit()]
    assert len(items) == len(brief.points)
    markdown = brief_to_text(brief, markdown=True)
    assert markdown.startswith("# ") and "## Key points" in markdown


def test_answer_cites_each_sentence_inline_once() -> None:
    answer = Answer(
        "Who met in Rome?",
        True,
        "Sullivan met Yang in Rome. The talks lasted seven hours.",
        (Citation("a1", "Sullivan met Yang in Rome."), Citation("b2", "The talks lasted seven hours.")),
    )
    text = answer_to_text(answer, {"a1": 1, "b2": 3})
    assert text.replace("\n", " ") == "Sullivan met Yang in Rome. [1] The talks lasted seven hours. [3]"


def test_refusal_is_shown_as_is() -> None:
    refusal = Answer("What about the Moon?", False, "The articles don't say anything about the Moon.")
    assert answer_to_text(refusal) == "The articles don't say anything about the Moon."
