"""tfidf vs minilm, side by side: encode speed and follow-up answer quality on the seed articles.

Run by hand (figures go in the README):  .venv/bin/python bench/encoders.py [--articles seeds]

Speed: seconds per 1,000 distinct sentences (MiniLM with an empty cache, after a warm-up batch; tfidf
fit + transform). Quality: a small labelled question set written from the seed articles: questions with the
sentence that answers them (a distinctive fragment of it), and questions the articles cannot answer.
"Answered" precision/recall treat answering as the positive class; "refused" the same for refusing;
"right sentence" counts answered questions whose first citation (top-1) or any citation holds the fragment.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.articles import load_articles  # noqa: E402
from summarizer.encoders import EncoderUnavailable, get_encoder  # noqa: E402
from summarizer.qa import answer_question  # noqa: E402


@dataclass(frozen=True)
class Case:
    question: str
    expected: str | None  # a fragment of the answering sentence; None = the articles don't say


CASES = [
    Case("Who is the national security adviser?", "Jake Sullivan"),
    Case("Who is Biden's national security adviser?", "Jake Sullivan"),
    Case("When will Biden and Xi speak?", "on Friday"),
    Case("How long did the meeting in Rome last?", "seven-hour meeting"),
    Case("Where did Sullivan meet the Chinese official?", "in Rome"),
    Case("How many Russian troops have been killed?", "7,000"),
    Case("When did Xi and Putin meet in Beijing?", "February 4"),
    Case("What did Russia ask China for?", "asked"),
    Case("Who is Emily Kilcrease?", "Emily Kilcrease"),
    Case("Who wrote the op-ed in The Washington Post?", "Qin Gang"),
    Case("How long did Biden and Xi speak?", "nearly two hours"),
    Case("What types of equipment did Russia request?", "five types of equipment"),
    Case("Who is Yang Jiechi?", "Yang Jiechi"),
    Case("What did the Commerce Secretary warn?", "Raimondo"),
    Case("How did the vote at the International Court of Justice go?", "13 to 2"),
    Case("Why does the White House want a softer tone?", "corner"),
    Case("Where will Putin and Xi meet?", "in Moscow"),
    Case("Whn did Biden and Xi last speak?", "November"),
    Case("what did china's foreign ministry say about the call", "foreign ministry"),
    Case("What did the articles say about the Moon landing?", None),
    Case("Who won the World Cup?", None),
    Case("What is the capital of France?", None),
    Case("How many people live in Paris?", None),
    Case("What did Biden say about climate change?", None),
    Case("What is the weather in Ukraine?", None),
    Case("When is the next presidential election?", None),
    Case("How much does a Tesla cost?", None),
    Case("Who is the prime minister of Japan?", None),
    Case("Where was the Olympic torch lit?", None),
    Case("Why did the stock market crash?", None),
]


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


def quality(name: str, articles: list) -> dict[str, float] | None:
    try:
        encoder = get_encoder(name)
    except EncoderUnavailable:
        return None
    tp = fp = fn = tn = top1 = anycite = 0
    start = time.perf_counter()
    misses = []
    for case in CASES:
        answer = answer_question(case.question, articles, encoder=encoder)
        should = case.expected is not None
        if answer.answered and should:
            tp += 1
            cited = [c.text for c in answer.citations]
            top1 += case.expected in cited[0]
            hit = any(case.expected in c for c in cited)
            anycite += hit
            if not hit:
                misses.append(f"wrong sentence: {case.question!r} -> {cited[0][:90]!r}")
        elif answer.answered:
            fp += 1
            misses.append(f"answered, should refuse: {case.question!r} -> {answer.answer[:90]!r}")
        elif should:
            fn += 1
            misses.append(f"refused, should answer: {case.question!r}")
        else:
            tn += 1
    elapsed = time.perf_counter() - start
    for line in misses:
        print(f"  [{name}] {line}", file=sys.stderr)
    return {
        "answered_precision": tp / max(1, tp + fp),
        "answered_recall": tp / max(1, tp + fn),
        "refused_precision": tn / max(1, tn + fn),
        "refused_recall": tn / max(1, tn + fp),
        "right_sentence_top1": top1 / max(1, tp),
        "right_sentence_any": anycite / max(1, tp),
        "seconds_per_question": elapsed / len(CASES),
    }


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

    from summarizer.articles import Article
    from summarizer.qa import _candidates, content_terms

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
    from summarizer.qa import _candidates  # the same sentences QA retrieves from

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default=str(ROOT / "seeds"))
    args = parser.parse_args()
    articles = list(load_articles(args.articles).articles)
    sentences = bench_sentences(articles)
    print(f"{len(articles)} articles, {len(CASES)} questions "
          f"({sum(c.expected is None for c in CASES)} unanswerable), {len(sentences)} sentences for speed")
    rows = {}
    for name in ("tfidf", "minilm"):
        rows[name] = {
            "seconds_per_1000_sentences": speed(name, sentences),
            **(quality(name, articles) or {}),
            **(ranking_rouge(name) or {}),
        }
    metrics = list(dict.fromkeys(k for r in rows.values() for k in r))
    print(f"{'metric':32} {'tfidf':>10} {'minilm':>10}")
    for metric in metrics:
        cells = [rows[n].get(metric) for n in ("tfidf", "minilm")]
        print(f"{metric:32} " + " ".join(f"{c:10.3f}" if isinstance(c, float) else f"{'n/a':>10}" for c in cells))


if __name__ == "__main__":
    main()
