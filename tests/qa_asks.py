"""Asking the answer engine in tests: an answer that must be given, a refusal that must be given."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.articles import Article
from summarizer.qa import answer_question


def first(question: str, articles: Sequence[Article], semantic: object = None) -> str:
    """The first cited sentence of the answer to ``question`` (which must be answered)."""
    answer = answer_question(question, articles, semantic=semantic)
    assert answer.answered, answer.answer
    return answer.citations[0].text


def refusal(question: str, articles: Sequence[Article], semantic: object = None) -> str:
    """The words of the refusal of ``question`` (which must be refused)."""
    answer = answer_question(question, articles, semantic=semantic)
    assert not answer.answered, answer.answer
    return answer.answer
