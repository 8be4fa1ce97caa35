"""Build summarizer/data/static_minilm.npz: MiniLM distilled into one vector per word piece (needs the ml extra).

    .venv/bin/python bench/static_vectors.py [--dims 128]

1. Every word piece of all-MiniLM-L6-v2's vocabulary goes through the model alone ([CLS] piece [SEP]), and its
   mean-pooled output is its vector (the model2vec recipe; model2vec's own distiller pins an older transformers).
2. PCA to ``--dims`` dimensions, then Zipf weighting (pieces early in the vocabulary, the frequent ones, weigh
   less: SIF weights with p ~ 1/rank), int8 with one scale per row.
3. The mean sentence vector of news text, subtracted at encode time (it lifts every cosine alike; without it,
   the static cosines correlate 0.52 with MiniLM's on the tuning questions' sentence pairs, with it 0.68): from
   the seeds and MultiLing M000-M004 only, so that clusters M005-M009 can show it is general (there it gives
   0.71 as well).
4. An affine map from static cosines to MiniLM's, fitted on quantiles (50-99%) of the cosines of the tuning
   questions (dev ... heldout9) with their 20 MiniLM-nearest and 20 random sentences each, so the answer
   engine's thresholds, set for MiniLM, mean the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.articles import Article, load_articles  # noqa: E402
from summarizer.static_vectors import DATA, sentence_vectors  # noqa: E402

TUNING = ["dev", "dev2", "dev3", "dev3r", "probe", "heldout",
          "heldout5", "heldout6", "heldout7", "heldout8", "heldout9"]
MEAN_TOPICS = ("seeds", "multiling:M000", "multiling:M001", "multiling:M002", "multiling:M003", "multiling:M004")


def piece_vectors(model_path: Path) -> tuple[np.ndarray, list[str]]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_path))
    model = AutoModel.from_pretrained(str(model_path)).eval()
    size = tokenizer.vocab_size
    out = np.zeros((size, model.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, size, 1024):
            ids = torch.arange(start, min(size, start + 1024))
            batch = torch.stack([torch.full_like(ids, tokenizer.cls_token_id), ids,
                                 torch.full_like(ids, tokenizer.sep_token_id)], 1)
            hidden = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            out[start:start + len(ids)] = hidden.mean(1).numpy()
    vocab = (model_path / "vocab.txt").read_text(encoding="utf-8").split("\n")[:size]
    return out, vocab


def reduce(vectors: np.ndarray, dims: int) -> np.ndarray:
    centred = vectors - vectors.mean(0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dims].T
    rank = np.arange(1, len(vectors) + 1)
    probability = 1 / (rank * np.log(1.78 * len(vectors)))
    return reduced * (1e-4 / (1e-4 + probability))[:, None]


def topics() -> dict[str, list[Article]]:
    from bench.encoders import multiling_articles

    found = {"seeds": list(load_articles(ROOT / "seeds").articles)}
    path = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"
    found.update({f"multiling:{k}": v for k, v in multiling_articles(path).items()})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args()

    from summarizer.encoders import default_model_path, get_encoder
    from summarizer.qa_topic import Topic

    raw, vocab = piece_vectors(default_model_path())
    table = reduce(raw, args.dims)
    ids = {piece: i for i, piece in enumerate(vocab)}

    sentences = {k: [s.text for s in Topic(v).sentences if not s.title] for k, v in topics().items()}
    mean = np.concatenate([sentence_vectors(sentences[k], table, ids) for k in MEAN_TOPICS]).mean(0)

    minilm = get_encoder("minilm")
    rng = np.random.default_rng(0)
    static_cos: list[float] = []
    minilm_cos: list[float] = []
    cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in TUNING:
        for line in (ROOT / "bench" / "questions" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts = sentences[row["set"]]
            if row["set"] not in cache:
                cache[row["set"]] = (sentence_vectors(texts, table, ids, mean), np.asarray(minilm.encode(texts)))
            static, dense = cache[row["set"]]
            by_minilm = dense @ np.asarray(minilm.encode([row["question"]]))[0]
            by_static = static @ sentence_vectors([row["question"]], table, ids, mean)[0]
            pick = np.argsort(-by_minilm)[:20].tolist() + rng.choice(len(texts), 20).tolist()
            static_cos += by_static[pick].tolist()
            minilm_cos += by_minilm[pick].tolist()
    levels = [0.5, 0.75, 0.9, 0.95, 0.99]
    slope, offset = np.polyfit(np.quantile(static_cos, levels), np.quantile(minilm_cos, levels), 1)
    print(f"correlation with MiniLM {np.corrcoef(static_cos, minilm_cos)[0, 1]:.3f}; "
          f"calibration {slope:.3f} x + {offset:.3f}")

    scales = np.abs(table).max(1) / 127
    scales[scales == 0] = 1.0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, vectors=np.round(table / scales[:, None]).astype(np.int8),
                        scales=scales.astype(np.float32), mean=mean.astype(np.float32),
                        calibration=np.array([slope, offset], dtype=np.float32),
                        vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
