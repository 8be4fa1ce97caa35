"""The summarizer as configured: which encoder, which vector store, whether the lead is polished.

Built once by ``bot.app``; the encoder (a MiniLM model load can take seconds) is created on first use and
shared afterwards. An engine pickles as its ``EngineSpec``: in a worker process of the build pool
(``bot.core.workers``) it becomes that process's one engine for the spec, so a model loads once per worker,
not once per brief.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from summarizer.articles import Article
from summarizer.models import Answer, Brief

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSpec:
    """Everything that decides what an engine builds; picklable, so a worker process can rebuild it."""

    encoder: str = "tfidf"
    encoder_model: str | None = None
    polish_model: str | None = None
    redis_url: str | None = None  # minilm embeddings shared through Redis (bot.store.vectors) when set
    namespace: str = "briefbot"
    redis_timeout: float = 0.5


class SummarizerEngine:
    def __init__(
        self,
        encoder: str = "tfidf",
        encoder_model: str | None = None,
        vector_store: Any = None,
        polish_model: str | None = None,
        spec: EngineSpec | None = None,
    ) -> None:
        self.spec = spec or EngineSpec(encoder, encoder_model, polish_model)
        self.encoder_name = self.spec.encoder
        self.encoder_model = self.spec.encoder_model
        self.polish_model = self.spec.polish_model
        self.vector_store = vector_store
        self._encoder: Any = None
        self._polisher: Any = None
        self._lock = threading.Lock()

    @classmethod
    def from_spec(cls, spec: EngineSpec) -> SummarizerEngine:
        store = None
        if spec.redis_url and spec.encoder == "minilm":
            from bot.store.vectors import RedisVectorStore

            store = RedisVectorStore(spec.redis_url, spec.namespace, connect_timeout=spec.redis_timeout)
        return cls(vector_store=store, spec=spec)

    @property
    def tag(self) -> str:
        """Part of every cache key: the engine actually built (a minilm that fell back to tfidf says tfidf)."""
        encoder = self.encoder()
        built = getattr(encoder, "tag", encoder.name)  # minilm: the model's tag; tfidf: "tfidf"
        return f"{built}:{self.polish_model or ''}"

    def effective_spec(self) -> EngineSpec:
        """The spec of what was built: a fallen-back minilm travels to workers as tfidf (warned once, here)."""
        name = self.encoder().name
        return self.spec if name == self.spec.encoder else replace(self.spec, encoder=name, encoder_model=None)

    def __reduce__(self) -> tuple[Any, ...]:
        return (engine_for, (self.effective_spec(),))

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

    def warm_up(self) -> str:
        """Build a brief and an answer of two tiny articles, so the first real brief pays for no import."""
        articles = [
            Article("warm-1", "Talks resume in Geneva", "Negotiators met in Geneva on Monday. The talks resumed."),
            Article("warm-2", "Geneva talks", "The talks in Geneva resumed on Monday, officials said."),
        ]
        self.build("warm-up", "Warm-up", articles, "short")
        self.answer("Where did the talks resume?", articles)
        return self.tag


_ENGINES: dict[EngineSpec, SummarizerEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(spec: EngineSpec) -> SummarizerEngine:
    """This process's engine for ``spec`` (one per spec: a worker loads a model once, not per call)."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(spec)
        if engine is None:
            engine = _ENGINES[spec] = SummarizerEngine.from_spec(spec)
        return engine
