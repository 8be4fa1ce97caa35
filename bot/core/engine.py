"""The summarizer as configured: which encoder, which vector store, whether the lead is polished.

Built once by ``bot.app``; the encoder (a MiniLM model load can take seconds) is created on first use, in the
worker thread that needs it, and shared afterwards.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from summarizer.articles import Article
from summarizer.models import Answer, Brief

log = logging.getLogger(__name__)


class SummarizerEngine:
    def __init__(
        self,
        encoder: str = "tfidf",
        encoder_model: str | None = None,
        vector_store: Any = None,
        polish_model: str | None = None,
    ) -> None:
        self.encoder_name = encoder
        self.encoder_model = encoder_model
        self.vector_store = vector_store
        self.polish_model = polish_model
        self._encoder: Any = None
        self._polisher: Any = None
        self._lock = threading.Lock()

    @property
    def tag(self) -> str:
        """Part of every cache key: a different engine makes a different brief."""
        return f"{self.encoder_name}:{self.encoder_model or ''}:{self.polish_model or ''}"

    def encoder(self) -> Any:
        with self._lock:
            if self._encoder is None:
                from summarizer.encoders import get_encoder

                # fallback: without the ml extra, minilm becomes tfidf with one warning instead of failing
                self._encoder = get_encoder(
                    self.encoder_name, model=self.encoder_model, store=self.vector_store, fallback=True
                )
            return self._encoder

    def polisher(self) -> Any:
        if not self.polish_model:
            return None
        with self._lock:
            if self._polisher is None:
                from summarizer.polish import get_polisher

                self._polisher = get_polisher(self.polish_model)
            return self._polisher

    def build(self, topic: str, title: str, articles: Sequence[Article], length: str,
              focus: str | None = None, previous: Any = None) -> Brief:
        """``focus`` and ``previous`` (a ``summarizer.brief.Seen``): see ``summarizer.brief.build_brief``."""
        from summarizer.brief import build_brief

        brief = build_brief(topic, title, articles, length=length, encoder=self.encoder(), focus=focus,
                            previous=previous)
        polisher = self.polisher()
        if polisher is not None:
            try:
                brief = polisher.polish_brief(brief)
            except Exception:  # an optional rewrite must never cost the user the brief
                log.warning("lead polish failed; keeping the extractive lead", exc_info=True)
        return brief

    def answer(self, question: str, articles: Sequence[Article]) -> Answer:
        from summarizer.qa import answer_question

        return answer_question(question, articles, encoder=self.encoder())
