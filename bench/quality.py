"""Quality benchmark: ROUGE-1/2 recall of our engine variants next to sumy's LexRank and TextRank.

The recipe of bench/data/multiling2011_en/README.md: rouge-score without stemming; each summary cut to the word budget;
recall against each reference, averaged over the references, then over the clusters. Every system runs in
this process on the same clusters, and seconds per cluster are measured the same way for all of them.

    .venv/bin/python bench/quality.py            # all 10 MultiLing 2011 clusters, 250 words
    .venv/bin/python bench/quality.py --smoke    # 2 clusters, for CI
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"  # CC BY 3.0, see its README.md

Summarizer = Callable[[Sequence[str], int], str]


def load_clusters(path: Path, limit: int | None = None) -> list[dict]:
    if not path.is_file():
        raise SystemExit(f"evaluation data not found: {path} (see bench/data/multiling2011_en/README.md)")
    clusters = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return clusters[:limit] if limit else clusters


def ours(method: str) -> Summarizer:
    from summarizer.brief import summarize_documents

    return lambda texts, words: summarize_documents(texts, words, method=method)


def ours_with_encoder(method: str, encoder_name: str) -> Summarizer:
    """The same engine with another sentence encoder (e.g. MiniLM), created once and reused."""
    from summarizer.brief import summarize_documents
    from summarizer.encoders import get_encoder

    encoder = get_encoder(encoder_name)
    return lambda texts, words: summarize_documents(texts, words, method=method, encoder=encoder)


def sumy_system(kind: str) -> Summarizer:
    """sumy with nltk's untrained Punkt and word tokenizer, so no nltk data download is needed."""
    import nltk
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    class OfflineTokenizer(Tokenizer):
        def _get_sentence_tokenizer(self, language: str) -> object:
            return nltk.tokenize.punkt.PunktSentenceTokenizer()

        def _get_word_tokenizer(self, language: str) -> object:
            return nltk.tokenize.NLTKWordTokenizer()

    tokenizer = OfflineTokenizer("english")
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def run(texts: Sequence[str], words: int) -> str:
        document = PlaintextParser.from_string("\n\n".join(texts), tokenizer).document
        count = 10
        while True:  # ask for more sentences until the budget is filled (sumy returns document order)
            chosen = [str(s) for s in summarizer(document, count)]
            text = " ".join(chosen)
            if len(text.split()) >= words or count >= len(document.sentences):
                return text
            count += 5

    return run


def score(clusters: Sequence[dict], summaries: Sequence[str], words: int) -> tuple[float, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=False)
    r1, r2 = [], []
    for cluster, summary in zip(clusters, summaries, strict=True):
        cut = " ".join(summary.split()[:words])
        per_ref = [scorer.score(ref["text"], cut) for ref in cluster["references"]]
        r1.append(statistics.mean(s["rouge1"].recall for s in per_ref))
        r2.append(statistics.mean(s["rouge2"].recall for s in per_ref))
    return 100 * statistics.mean(r1), 100 * statistics.mean(r2)


def _clear_text_caches() -> None:
    from summarizer.text import _split_cached, stem

    _split_cached.cache_clear()
    stem.cache_clear()


def run_system(system: Summarizer, clusters: Sequence[dict], words: int) -> tuple[list[str], float]:
    texts = [[d["text"] for d in c["documents"]] for c in clusters]
    system(texts[0], words)  # warm-up: imports are not what we measure...
    _clear_text_caches()  # ...but our per-text caches must not flatter the timed run
    start = time.perf_counter()
    summaries = [system(t, words) for t in texts]
    return summaries, (time.perf_counter() - start) / len(clusters)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="2 clusters only (CI)")
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-sumy", action="store_true", help="skip the sumy baselines")
    parser.add_argument("--encoders", nargs="*", default=["minilm"],
                        help="extra encoders to run the default method with (needs the ml extra for minilm)")
    args = parser.parse_args(argv)

    from summarizer.brief import DEFAULT_METHOD, METHODS

    clusters = load_clusters(args.data, 2 if args.smoke else None)
    systems: list[tuple[str, Summarizer]] = [(f"ours:{m}", ours(m)) for m in METHODS]
    for name in args.encoders:
        try:
            systems.append((f"ours:{DEFAULT_METHOD}+{name}", ours_with_encoder(DEFAULT_METHOD, name)))
        except Exception as error:  # e.g. the ml extra is not installed: say so, run the rest
            print(f"skipping encoder {name}: {error}")
    if not args.no_sumy:
        systems += [("sumy:lexrank", sumy_system("lexrank")), ("sumy:textrank", sumy_system("textrank"))]

    rows = []
    for name, system in systems:
        summaries, seconds = run_system(system, clusters, args.words)
        over = [len(s.split()) for s in summaries if len(s.split()) > args.words]
        if name.startswith("ours") and over:
            raise SystemExit(f"{name} broke the word budget: {over}")
        r1, r2 = score(clusters, summaries, args.words)
        rows.append((name, r1, r2, seconds))

    base = next((r for r in rows if r[0] == "sumy:lexrank"), None)
    print(f"{len(clusters)} clusters, {args.words} words, default engine: ours:{DEFAULT_METHOD}")
    print(f"{'system':<22}{'ROUGE-1':>9}{'ROUGE-2':>9}{'s/cluster':>11}{'R2 vs LexRank':>15}{'speed-up':>10}")
    for name, r1, r2, seconds in rows:
        ratio = f"{r2 / base[2]:.2f}x" if base and base[2] else "-"
        speed = f"{base[3] / seconds:.1f}x" if base and seconds else "-"
        print(f"{name:<22}{r1:>9.2f}{r2:>9.2f}{seconds:>11.4f}{ratio:>15}{speed:>10}")
    print("published: best 2011 participant R1 46.48 / R2 17.33; centroid baseline R1 38.10 / R2 10.96")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
