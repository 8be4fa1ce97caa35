"""What the engine's refusals look like to its own signals: a measured limit, not a shipped rule.

Run by hand (ml extra; figures in the README, stop 33):
    .venv/bin/python bench/refusal_features.py [--questions bench/questions/dev.jsonl ...]

The answer engine (MiniLM) answers every labelled question; of those it refuses, some are answerable (false
refusals) and the rest are not. Could a "third chance" answer some of them after all: take the sentence the
engine's own signals like best and answer with it when they are strong enough? For each refused question this
ranks the topic's body sentences by a blend of the signals the engine reads (MiniLM cosine + 0.5 x IDF-weighted
word coverage + 0.2 x BM25) and prints, for three groups (the best sentence is a right answer; the question is
answerable but the best sentence is not right; the question is unanswerable), the mean of each signal of the best
sentence, and how many of each group a threshold on the blend would answer. Default questions: the tuning sets.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from encoders import MULTILING, QUESTIONS, Case, load_cases, multiling_articles  # noqa: E402

from summarizer import qa  # noqa: E402
from summarizer.articles import Article, load_articles  # noqa: E402
from summarizer.encoders import get_encoder  # noqa: E402
from summarizer.qa_topic import Topic  # noqa: E402

TUNING = ["dev", "dev2", "dev3", "dev3r", "probe", "heldout", "heldout5", "heldout6", "heldout7", "heldout8",
          "heldout9", "heldout17"]
SIGNALS = ("cosine", "coverage", "bm25", "type", "people", "blend")


def signals(question: str, topic: Topic, index: Any, vectors: Any, encoder: Any) -> list[list[float]] | None:
    """Per body sentence of ``topic``: the engine's signals for ``question``, in SIGNALS order."""
    import numpy as np

    body = [s for s in topic.sentences if not s.title]
    asked = qa._as_who(qa._fix_wh_typo(qa.expand_shorthand(question)))
    kind = qa.question_type(asked)
    concepts = topic.concepts(qa._strip_type_phrase(asked), plain=False)
    if not concepts or not body:
        return None
    n = len(topic.sentences)
    weights = [qa._idf(max((topic.df.get(t, 0) for t in c.alternatives), default=0), n) for c in concepts]
    total = sum(weights)
    coverage = np.array([sum(w for c, w in zip(concepts, weights, strict=True) if c.alternatives & s.terms) / total
                         for s in body])
    cosine = vectors @ np.asarray(encoder.encode([asked]))[0]
    bm25 = np.asarray(index.get_scores(sorted({t for c in concepts for t in c.alternatives})), dtype=float)
    bm25 = bm25 / bm25.max() if bm25.max() > 0 else bm25
    typed = [float(qa.matches_type(kind, s.text, asked)) for s in body]
    speaks = topic.speaks_to(asked, concepts)
    blend = cosine + 0.5 * coverage + 0.2 * bm25
    return [[float(cosine[i]), float(coverage[i]), float(bm25[i]), typed[i], float(speaks(s)), float(blend[i])]
            for i, s in enumerate(body)]


def main() -> None:
    import bm25s
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, action="append")
    args = parser.parse_args()
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    encoder = get_encoder("minilm")
    topics: dict[str, list[Article]] = {"seeds": list(load_articles(ROOT / "seeds").articles)}
    topics.update({f"multiling:{k}": v for k, v in multiling_articles(MULTILING[0]).items()})
    built: dict[str, tuple[Topic, list[Any], Any, Any]] = {}
    groups: dict[str, list[list[float]]] = {"right": [], "answerable, not right": [], "unanswerable": []}
    answered = 0
    cases: list[Case] = []
    for path in args.questions or [QUESTIONS / f"{name}.jsonl" for name in TUNING]:
        cases += [c for c in load_cases(path) if c.set in topics]
    for case in cases:
        if qa.answer_question(case.question, topics[case.set], encoder=encoder).answered:
            answered += 1
            continue
        if case.set not in built:
            topic = Topic(topics[case.set])
            body = [s for s in topic.sentences if not s.title]
            index = bm25s.BM25()
            index.index([list(s.tokens) or ["\u2205"] for s in body], show_progress=False)
            built[case.set] = (topic, body, index, np.asarray(encoder.encode([s.text for s in body])))
        topic, body, index, vectors = built[case.set]
        rows = signals(case.question, topic, index, vectors, encoder)
        if rows is None:
            continue
        best = max(range(len(rows)), key=lambda i: rows[i][-1])
        if case.expected is None:
            group = "unanswerable"
        elif any(e in body[best].text for e in case.expected):
            group = "right"
        else:
            group = "answerable, not right"
        groups[group].append(rows[best])
    refused = sum(len(g) for g in groups.values())
    print(f"{len(cases)} questions, {answered} answered, {refused} refused and read here")
    print(f"{'mean of the best sentence':28}" + "".join(f"{s:>10}" for s in SIGNALS))
    for name, rows in groups.items():
        means = np.mean(rows, axis=0) if rows else [float("nan")] * len(SIGNALS)
        print(f"{name + f' ({len(rows)})':28}" + "".join(f"{m:10.3f}" for m in means))
    print("\nanswering the best sentence when its blend reaches the threshold:")
    print(f"{'threshold':>10}" + "".join(f"{name:>24}" for name in groups))
    for threshold in np.arange(0.8, 1.41, 0.1):
        counts = [sum(r[-1] >= threshold for r in rows) for rows in groups.values()]
        print(f"{threshold:10.2f}" + "".join(f"{count:24d}" for count in counts))


if __name__ == "__main__":
    main()
