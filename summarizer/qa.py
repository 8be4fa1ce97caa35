"""Follow-up answers. (Interim: the summary-intelligence issue replaces this with retrieval.)"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.articles import Article
from summarizer.models import Answer


def answer_question(question: str, articles: Sequence[Article]) -> Answer:
    return Answer(question, False, "The articles don't say.", ())
