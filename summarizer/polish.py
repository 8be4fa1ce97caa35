"""Optional abstractive polish of a brief's lead, off by default, and never allowed to invent.

A local seq2seq model (``AutoModelForSeq2SeqLM``, e.g. a T5 or BART folder the operator provides) rewrites
the lead. Each generated sentence is kept only if at least ``min_support`` (90%) of its content words
appear in the brief's own sentences (the lead and the points, which are article sentences); if no
sentence survives, the original lead stays. Nothing is downloaded: ``local_files_only=True``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from summarizer.analyzer import content_terms
from summarizer.encoders import ML_HINT, EncoderUnavailable, _quiet_transformers, machine_cores, ml_available
from summarizer.models import Brief

MIN_SUPPORT = 0.9


@dataclass(frozen=True)
class PolishResult:
    """What the model wrote, what was kept, and why the rest was not."""

    text: str  # the lead to use (the rewrite, or the original)
    accepted: bool
    generated: str  # the model's raw output, for logs and tests
    rejected: tuple[str, ...] = ()  # generated sentences dropped as unsupported


def support(sentence: str, sources: Sequence[str]) -> float:
    """Share of the sentence's content words (stemmed, numbers included) found in the sources."""
    words = content_terms(sentence)
    if not words:
        return 0.0  # punctuation or stop words only: nothing to stand on
    known = {t for s in sources for t in content_terms(s)}
    return sum(1 for w in words if w in known) / len(words)


def is_supported(sentence: str, sources: Sequence[str], threshold: float = MIN_SUPPORT) -> bool:
    return support(sentence, sources) >= threshold


def select_supported(
    generated: str, original: str, sources: Sequence[str], threshold: float = MIN_SUPPORT
) -> PolishResult:
    """Keep the supported sentences of a rewrite; with none left, fall back to the original lead."""
    kept: list[str] = []
    rejected: list[str] = []
    for sentence in _sentences(generated):
        (kept if is_supported(sentence, sources, threshold) else rejected).append(sentence)
    if not kept:
        return PolishResult(original, False, generated, tuple(rejected))
    return PolishResult(" ".join(kept), True, generated, tuple(rejected))


def apply_rewrite(brief: Brief, result: PolishResult) -> Brief:
    """The brief with the accepted rewrite as its lead; unchanged when the rewrite was rejected."""
    return replace(brief, summary=result.text) if result.accepted else brief


def brief_sources(brief: Brief) -> list[str]:
    """The sentences a rewrite of the lead may draw on: the lead itself and the points."""
    return [brief.summary, *(p.text for p in brief.points)]


class Polisher:
    """A local seq2seq model that proposes a rewrite of the lead, checked against the sources."""

    def __init__(
        self,
        model_path: str | Path,
        min_support: float = MIN_SUPPORT,
        max_new_tokens: int = 96,
        prefix: str | None = None,
        generation: dict[str, Any] | None = None,
    ) -> None:
        if not ml_available():
            raise EncoderUnavailable(f"the polish model needs torch and transformers; {ML_HINT}")
        path = Path(model_path).expanduser()
        if not (path / "config.json").is_file():
            raise EncoderUnavailable(f"polish model folder {str(model_path)!r} is missing or has no config.json")
        self.path = path
        self.min_support = min_support
        self.max_new_tokens = max_new_tokens
        self.prefix = prefix
        self.generation = dict(generation or {})
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def rewrite(self, lead: str, sources: Sequence[str]) -> PolishResult:
        if not lead.strip():
            return PolishResult(lead, False, "")
        generated = self.generate(lead)
        return select_supported(generated, lead, sources, self.min_support)

    def polish_brief(self, brief: Brief) -> Brief:
        return apply_rewrite(brief, self.rewrite(brief.summary, brief_sources(brief)))

    def generate(self, text: str) -> str:
        import torch

        self._load()
        prompt = (self.prefix if self.prefix is not None else self._default_prefix()) + text
        inputs = self._tokenizer(prompt, return_tensors="pt", truncation=True, max_length=512)
        options = {"max_new_tokens": self.max_new_tokens, "num_beams": 2, "do_sample": False, **self.generation}
        with torch.inference_mode():
            output = self._model.generate(**inputs, **options)
        return " ".join(self._tokenizer.decode(output[0], skip_special_tokens=True).split())

    def _default_prefix(self) -> str:
        return "summarize: " if getattr(self._model.config, "model_type", "") == "t5" else ""

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            import torch
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

            torch.set_num_threads(machine_cores())
            _quiet_transformers()
            try:
                self._tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
                self._model = AutoModelForSeq2SeqLM.from_pretrained(self.path, local_files_only=True).eval()
            except (OSError, ValueError) as error:
                raise EncoderUnavailable(f"cannot load the polish model from {str(self.path)!r}: {error}") from error


def get_polisher(model_path: str | Path | None, **options: Any) -> Polisher | None:
    """None when polish is off (no model configured): the default."""
    if model_path is None or not str(model_path).strip():
        return None
    return Polisher(model_path, **options)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
