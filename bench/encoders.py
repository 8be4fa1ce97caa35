"""Follow-up answers, old engine vs new, and tfidf vs minilm, side by side in one run; encode speed.

Run by hand (figures go in the README):
    .venv/bin/python bench/encoders.py [--articles seeds] [--multiling PATH] [--baseline REF] [--qa-only]
                                       [--questions bench/questions/heldout2.jsonl]

Quality: labelled questions in bench/questions/ (JSON lines: set, question, expected fragments or null,
tags). ``dev.jsonl`` is what the engine was tuned on; ``heldout.jsonl`` was written before the engine changed
and is never tuned on (the team keeps further sets); both have since been seen. ``probe.jsonl`` checks the
refusal rules of summarizer/qa_focus.py for false refusals on clusters no other set uses (written with the
rules, so not a held-out measure). A question's set is "seeds" or "multiling:M002" (a MultiLing 2011
cluster, read from --multiling). "Answered" precision/recall treat answering as the positive class;
"refused" the same for refusing; "right first" counts answered questions whose first citation holds an
expected fragment, "right any" any citation; "of answerable" divides by all answerable questions instead.
"retrieval/minilm" is no engine of ours: MiniLM retrieval alone (the two sentences nearest the question, or a
refusal below a cosine threshold chosen on the tuning sets), a reference for what the rules add.
The old engine is summarizer/qa.py as of --baseline (a git ref), loaded from git with the modules it imports
(analyzer, qa_focus, ...) as of that ref, so both run on the same articles in the same process.
``--questions PATH`` (repeatable) asks other sets instead, e.g.
``heldout2.jsonl`` (written 2026-11-30 from the articles alone, never tuned on), ``heldout3.jsonl`` and
``heldout4.jsonl`` (written later the same day, the same way), or ``dev2.jsonl`` (casual questions, a tuning set).

Speed: seconds per 1,000 distinct sentences (MiniLM with an empty cache, after a warm-up batch; tfidf
fit + transform).
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.articles import Article, load_articles  # noqa: E402
from summarizer.encoders import EncoderUnavailable, get_encoder  # noqa: E402

QUESTIONS = ROOT / "bench" / "questions"
BASELINE = "466bfc5"  # main before issue 11: the answer engine with the light stemmer and no second chance
MULTILING = [
    ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl",  # the repo's copy
]


@dataclass(frozen=True)
class Case:
    set: str
    question: str
    expected: tuple[str, ...] | None  # fragments of an answering sentence; None = the articles don't say
    tags: tuple[str, ...] = ()


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            expected = tuple(row["expected"]) if row["expected"] is not None else None
            cases.append(Case(row["set"], row["question"], expected, tuple(row.get("tags", ()))))
    return cases


def multiling_articles(path: Path | None) -> dict[str, list[Article]]:
    """Cluster id -> its documents as articles (first line the title, as in the files)."""
    if path is None or not path.is_file():
        return {}
    clusters = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            topic = json.loads(line)
            docs = []
            for d in topic["documents"]:
                title, _, body = d["text"].strip().partition("\n")
                docs.append(Article(d["docno"], title.strip(), body.strip()))
            clusters[topic["id"]] = docs
    return clusters


def baseline_engine(ref: str) -> Any:
    """summarizer/qa.py as it was at ``ref``, imported under another name next to today's.

    The modules it imports at load time (``summarizer.analyzer``, ``summarizer.qa_focus``, ...) come from ``ref``
    too: the ref's ``summarizer`` package is unpacked into a temporary directory and imported while today's
    modules are set aside, then today's are put back. Imports inside its functions (entities, encoders, text)
    resolve to today's modules when they run."""
    import importlib
    import io
    import tarfile
    import tempfile

    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "summarizer"],
                             capture_output=True, check=True).stdout
    folder = tempfile.mkdtemp(prefix="qa_baseline_")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    ours = {k: v for k, v in sys.modules.items() if k == "summarizer" or k.startswith("summarizer.")}
    for name in ours:
        del sys.modules[name]
    sys.path.insert(0, folder)
    try:
        module = importlib.import_module("summarizer.qa")
    finally:
        sys.path.remove(folder)
        for name in [k for k in sys.modules if k == "summarizer" or k.startswith("summarizer.")]:
            del sys.modules[name]
        sys.modules.update(ours)
    sys.modules["qa_baseline"] = module
    return module


RETRIEVAL_MIN = 0.60  # chosen on the tuning sets (dev..heldout6): best right-first + correct refusals, 2026-12-01


def retrieval_engine(encoder: Any, threshold: float = RETRIEVAL_MIN) -> Any:
    """A reference row, not an engine we ship: MiniLM retrieval alone. Every body sentence ranked by its cosine
    to the question; the best two cited when the best reaches ``threshold``, else a refusal. It shows what the
    engine's gates and ranking rules add over the encoder by itself, on sets nobody tuned them on."""
    import numpy as np

    from summarizer.models import Answer, Citation
    from summarizer.qa_topic import Topic

    indexed: dict[int, tuple[list[Any], Any]] = {}

    def answer(question: str, articles: list[Article]) -> Any:
        key = id(articles)
        if key not in indexed:
            body = [s for s in Topic(articles).sentences if not s.title]
            indexed[key] = (body, np.asarray(encoder.encode([s.text for s in body])))
        body, vectors = indexed[key]
        cosine = vectors @ np.asarray(encoder.encode([question]))[0]
        best = list(np.argsort(-cosine)[:2])
        if not body or cosine[best[0]] < threshold:
            return Answer(question, False, "The articles don't say.", ())
        cited = tuple(Citation(body[i].source, body[i].text) for i in best)
        return Answer(question, True, " ".join(c.text for c in cited), cited)

    return answer


def quality(answer: Any, cases: list[Case], topics: dict[str, list[Article]], label: str) -> dict[str, float]:
    tp = fp = fn = tn = top1 = anycite = 0
    misses = []
    start = time.perf_counter()
    asked = 0
    for case in cases:
        articles = topics.get(case.set)
        if articles is None:
            continue
        asked += 1
        result = answer(case.question, articles)
        if result.answered and case.expected:
            tp += 1
            cited = [c.text for c in result.citations]
            first = any(e in cited[0] for e in case.expected)
            top1 += first
            hit = any(e in c for c in cited for e in case.expected)
            anycite += hit
            if not first:
                misses.append(f"{'wrong sentence' if not hit else 'not first'}: {case.question!r} -> {cited[0][:80]!r}")
        elif result.answered:
            fp += 1
            misses.append(f"answered, should refuse: {case.question!r} -> {result.answer[:80]!r}")
        elif case.expected:
            fn += 1
            misses.append(f"refused, should answer: {case.question!r} ({result.answer[-70:]})")
        else:
            tn += 1
    elapsed = time.perf_counter() - start
    for line in misses:
        print(f"  [{label}] {line}", file=sys.stderr)
    return {
        "questions": float(asked),
        # the counts the README's answer tables give: answerable questions answered, with a right sentence cited,
        # with a right sentence first; unanswerable questions refused
        "answered (count)": float(tp),
        "right cited (count)": float(anycite),
        "right first (count)": float(top1),
        "refused (count)": float(tn),
        "answered_precision": tp / max(1, tp + fp),
        "answered_recall": tp / max(1, tp + fn),
        "refused_precision": tn / max(1, tn + fn),
        "refused_recall": tn / max(1, tn + fp),
        "right_first": top1 / max(1, tp),
        "right_any": anycite / max(1, tp),
        "right_first_of_answerable": top1 / max(1, tp + fn),
        "right_any_of_answerable": anycite / max(1, tp + fn),
        "seconds_per_question": elapsed / max(1, asked),
    }


def check_fragments(cases: list[Case], topics: dict[str, list[Article]]) -> None:
    """Warn about a label whose fragment no article sentence holds (a typo in the set, not an engine miss)."""
    for case in cases:
        articles = topics.get(case.set)
        if articles is None or not case.expected:
            continue
        text = " ".join(f"{a.title} {a.body}" for a in articles)
        if not any(e in text for e in case.expected):
            print(f"  [labels] no article holds any of {case.expected} for {case.question!r}", file=sys.stderr)


def speed(name: str, sentences: list[str]) -> float | None:
    """Seconds to encode 1,000 distinct sentences (None when the encoder cannot run here)."""
    try:
        encoder = get_encoder(name)
    except EncoderUnavailable as error:
        print(f"{name}: unavailable ({error})", file=sys.stderr)
        return None
    encoder.encode(sentences[:32])  # warm-up: model load and first-call overheads are not per-sentence costs
    if hasattr(encoder, "store"):
        encoder.store = None  # measure the model, not the cache
    start = time.perf_counter()
    encoder.encode(sentences[:1000])
    return (time.perf_counter() - start) * 1000 / min(1000, len(sentences))


def rank_with_encoder(sentences: list[str], encoder: object) -> list[int]:
    """Sentence indices, most central first: degree centrality over the encoder's cosine similarities.

    A deliberately plain ranker (LexRank-style, continuous) so that the encoder is the only variable;
    bench/quality.py may call it to add an encoder column next to the real brief engine.
    """
    import numpy as np

    if not sentences:
        return []
    rows = encoder.encode(sentences)
    sims = rows @ rows.T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    np.fill_diagonal(sims, 0.0)
    centrality = np.clip(sims, 0.0, None).sum(axis=1)
    return [int(i) for i in np.argsort(-centrality, kind="stable")]


def ranking_rouge(name: str, limit_words: int = 250) -> dict[str, float] | None:
    """ROUGE-1/2 recall on MultiLing 2011 (recipe: bench/data/multiling2011_en/README.md) for rank_with_encoder."""
    eval_file = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"
    if not eval_file.is_file():
        return None
    try:
        encoder = get_encoder(name)
    except EncoderUnavailable:
        return None
    from rouge_score.rouge_scorer import RougeScorer

    from summarizer.analyzer import content_terms
    from summarizer.qa_topic import candidates as _candidates

    scorer = RougeScorer(["rouge1", "rouge2"], use_stemmer=False)
    r1 = r2 = 0.0
    topics = [json.loads(line) for line in eval_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    for topic in topics:
        sentences = [s.text for s in _candidates([Article(d["docno"], "", d["text"]) for d in topic["documents"]])]
        chosen: list[str] = []
        words = 0
        for i in rank_with_encoder(sentences, encoder):
            terms = set(content_terms(sentences[i]))
            if any(len(terms & set(content_terms(c))) > 0.6 * max(1, len(terms)) for c in chosen):
                continue  # a near-repeat of a chosen sentence
            chosen.append(sentences[i])
            words += len(sentences[i].split())
            if words >= limit_words:
                break
        summary = " ".join(" ".join(chosen).split()[:limit_words])
        refs = [r["text"] for r in topic["references"]]
        r1 += sum(scorer.score(ref, summary)["rouge1"].recall for ref in refs) / len(refs)
        r2 += sum(scorer.score(ref, summary)["rouge2"].recall for ref in refs) / len(refs)
    return {"rank_rouge1_recall": 100 * r1 / len(topics), "rank_rouge2_recall": 100 * r2 / len(topics)}


def bench_sentences(articles: list) -> list[str]:
    """1,000 distinct sentences: the seeds, then the MultiLing eval set's documents."""
    from summarizer.qa_topic import candidates as _candidates  # the same sentences QA retrieves from

    sentences = [s.text for s in _candidates(articles)]
    eval_file = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"
    if eval_file.is_file():
        from summarizer.articles import Article

        for line in eval_file.read_text(encoding="utf-8").splitlines():
            docs = json.loads(line)["documents"]
            extra = [Article(d["docno"], "", d["text"]) for d in docs]
            sentences.extend(s.text for s in _candidates(extra))
            if len(sentences) >= 1000:
                break
    seen: dict[str, None] = dict.fromkeys(sentences)
    return list(seen)[:1000]


def qa_table(args: argparse.Namespace, seeds: list[Article]) -> None:
    """Old vs new engine, tfidf vs minilm ranking, on the dev and the held-out questions."""
    from summarizer import qa

    path = Path(args.multiling) if args.multiling else next((p for p in MULTILING if p.is_file()), None)
    topics: dict[str, list[Article]] = {"seeds": seeds}
    topics.update({f"multiling:{k}": v for k, v in multiling_articles(path).items()})
    print(f"MultiLing clusters from: {path if path and path.is_file() else 'not found (seed questions only)'}")
    old = baseline_engine(args.baseline)
    encoders: dict[str, Any] = {"tfidf": get_encoder("tfidf")}
    try:
        encoders["minilm"] = get_encoder("minilm")
    except EncoderUnavailable as error:
        print(f"minilm: unavailable ({error})", file=sys.stderr)
    engines = {}
    old_has_semantic = "semantic" in inspect.signature(old.answer_question).parameters
    for name, encoder in encoders.items():
        if name == "tfidf" and old_has_semantic:
            engines["old/tfidf-only"] = lambda q, a, e=encoder: old.answer_question(q, a, encoder=e, semantic=None)
        engines[f"old/{name}"] = lambda q, a, e=encoder: old.answer_question(q, a, encoder=e)
        if name == "tfidf":
            # no second chance at all (the plain install before stop 31), and the plain install's since: MiniLM's
            # static vectors (summarizer/static_vectors.py), which need no torch
            from summarizer.static_vectors import static_encoder

            engines["new/tfidf-only"] = lambda q, a, e=encoder: qa.answer_question(q, a, encoder=e, semantic=None)
            engines["new/plain"] = lambda q, a, e=encoder: qa.answer_question(q, a, encoder=e,
                                                                              semantic=static_encoder())
        engines[f"new/{name}"] = lambda q, a, e=encoder: qa.answer_question(q, a, encoder=e)
    if "minilm" in encoders:
        engines["retrieval/minilm"] = retrieval_engine(encoders["minilm"])
    default = [QUESTIONS / "dev.jsonl", QUESTIONS / "heldout.jsonl", QUESTIONS / "probe.jsonl"]
    for question_file in args.questions or default:
        file = question_file.name
        cases = load_cases(question_file)
        check_fragments(cases, topics)
        asked = [c for c in cases if c.set in topics]
        print(f"\n{file}: {len(asked)} questions ({sum(c.expected is None for c in asked)} unanswerable, "
              f"{sum(c.set != 'seeds' for c in asked)} on MultiLing clusters)")
        rows = {label: quality(engine, cases, topics, f"{file} {label}") for label, engine in engines.items()}
        print(f"{'metric':28} " + " ".join(f"{label:>15}" for label in rows))
        for metric in next(iter(rows.values())):
            print(f"{metric:28} " + " ".join(f"{rows[label][metric]:15.3f}" for label in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default=str(ROOT / "seeds"))
    parser.add_argument("--multiling", default=None, help="MultiLing 2011 jsonl (default: the bench/data copy)")
    parser.add_argument("--baseline", default=BASELINE, help="git ref of the old answer engine")
    parser.add_argument("--qa-only", action="store_true", help="skip encode speed and ranking ROUGE")
    parser.add_argument("--questions", type=Path, action="append",
                        help="a question set (JSON lines) to ask instead of dev + heldout; repeatable")
    args = parser.parse_args()
    articles = list(load_articles(args.articles).articles)
    qa_table(args, articles)
    if args.qa_only:
        return
    sentences = bench_sentences(articles)
    print(f"\n{len(articles)} articles, {len(sentences)} sentences for speed")
    rows = {}
    for name in ("tfidf", "minilm"):
        rows[name] = {
            "seconds_per_1000_sentences": speed(name, sentences),
            **(ranking_rouge(name) or {}),
        }
    metrics = list(dict.fromkeys(k for r in rows.values() for k in r))
    print(f"{'metric':32} {'tfidf':>10} {'minilm':>10}")
    for metric in metrics:
        cells = [rows[n].get(metric) for n in ("tfidf", "minilm")]
        print(f"{metric:32} " + " ".join(f"{c:10.3f}" if isinstance(c, float) else f"{'n/a':>10}" for c in cells))


if __name__ == "__main__":
    main()
