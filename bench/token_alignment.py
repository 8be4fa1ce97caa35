"""Token alignment vs sentence cosine as a retriever of answering sentences: a measured idea, not shipped.

Run by hand (ml extra; figures in the README, stop 32):
    .venv/bin/python bench/token_alignment.py [--questions bench/questions/dev.jsonl ...]

For each labelled question the topic's body sentences are ranked two ways and the best one is taken as the answer
(no refusal): by MiniLM's sentence cosine, and by token alignment: each content word piece of the question meets
its closest word piece of the sentence (contextual MiniLM token vectors, cosine), weighted by the piece's IDF over
the topic's sentences (a ColBERT-style MaxSim; MiniLM was not trained for it). Printed: how often the best
sentence is a right one, per ranking, and how well each ranking's best score tells answerable questions from
unanswerable ones (AUC). Default questions: the eleven tuning sets.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from encoders import MULTILING, QUESTIONS, load_cases, multiling_articles  # noqa: E402

from summarizer.analyzer import STOP_WORDS  # noqa: E402
from summarizer.articles import load_articles  # noqa: E402
from summarizer.encoders import get_encoder  # noqa: E402
from summarizer.qa_topic import Topic  # noqa: E402

TUNING = ["dev", "dev2", "dev3", "dev3r", "probe", "heldout", "heldout5", "heldout6", "heldout7", "heldout8",
          "heldout9"]
QUESTION_WORDS = {"who", "what", "when", "where", "why", "how", "which", "whom", "whose", "many", "much", "long"}


def token_vectors(encoder: Any, texts: list[str]) -> list[tuple[list[str], Any]]:
    """Each text's word pieces and their L2-normalised contextual vectors (special tokens dropped)."""
    import numpy as np
    import torch

    encoder._load()
    out = []
    with torch.inference_mode():
        for start in range(0, len(texts), 32):
            batch = texts[start:start + 32]
            inputs = encoder._tokenizer(batch, padding=True, truncation=True, max_length=256, return_tensors="pt")
            hidden = encoder._model(**inputs).last_hidden_state.numpy()
            for k in range(len(batch)):
                ids = inputs["input_ids"][k][inputs["attention_mask"][k].bool()].tolist()
                pieces = encoder._tokenizer.convert_ids_to_tokens(ids)[1:-1]
                vectors = hidden[k, 1:1 + len(pieces)]
                out.append((pieces, vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)))
    return out


def auc(positive: list[float], negative: list[float]) -> float:
    pairs = [(p > n) + 0.5 * (p == n) for p in positive for n in negative]
    return sum(pairs) / max(1, len(pairs))


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, action="append", help="a question set (JSON lines); repeatable")
    args = parser.parse_args()
    paths = args.questions or [QUESTIONS / f"{name}.jsonl" for name in TUNING]
    encoder = get_encoder("minilm")
    encoder._load()  # the tokenizer is needed before the first encode
    topics = {"seeds": list(load_articles(ROOT / "seeds").articles)}
    topics.update({f"multiling:{k}": v for k, v in multiling_articles(MULTILING[0]).items()})
    index: dict[str, Any] = {}
    right = {"sentence cosine": 0, "token alignment": 0}
    best = {"sentence cosine": ([], []), "token alignment": ([], [])}  # (answerable, unanswerable) best scores
    answerable = 0
    for path in paths:
        for case in load_cases(path):
            if case.set not in topics:
                continue
            if case.set not in index:
                texts = [s.text for s in Topic(topics[case.set]).sentences if not s.title]
                df: dict[str, int] = {}
                for text in texts:
                    for piece in set(encoder._tokenizer.tokenize(text)):
                        df[piece] = df.get(piece, 0) + 1
                index[case.set] = (texts, np.asarray(encoder.encode(texts)), token_vectors(encoder, texts), df)
            texts, vectors, tokens, df = index[case.set]
            cosine = vectors @ np.asarray(encoder.encode([case.question]))[0]
            [(pieces, asked)] = token_vectors(encoder, [case.question])
            keep = [i for i, p in enumerate(pieces) if p.isalpha() and p not in STOP_WORDS and p not in QUESTION_WORDS]
            keep = keep or list(range(len(pieces)))
            weight = np.array([max(0.05, math.log((len(texts) + 1) / (df.get(pieces[i], 0) + 0.5))) for i in keep])
            aligned = np.array([float((np.max(v @ asked[keep].T, axis=0) * weight).sum() / weight.sum())
                                if len(v) else 0.0 for _, v in tokens])
            scores = {"sentence cosine": cosine, "token alignment": aligned}
            for name, score in scores.items():
                best[name][0 if case.expected else 1].append(float(score.max()))
            if case.expected:
                answerable += 1
                for name, score in scores.items():
                    right[name] += any(e in texts[int(np.argmax(score))] for e in case.expected)
    print(f"{answerable} answerable questions from {len(paths)} set(s); the best sentence is a right one:")
    for name in right:
        print(f"  {name:16} {right[name]:4d}   AUC answerable vs unanswerable (best score) "
              f"{auc(*best[name]):.3f}")


if __name__ == "__main__":
    main()
