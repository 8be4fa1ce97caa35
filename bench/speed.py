"""Speed benchmark: cold CLI, brief compute, cache hit, import hygiene, and a 1,000-article topic.

    .venv/bin/python bench/speed.py            # all figures
    .venv/bin/python bench/speed.py --quick    # fewer runs, no 1,000-article topic

Aims: process start (import bot.cli) <= 1 s, brief compute <= 0.3 s, cache hit <= 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEAVY = ("torch", "transformers", "discord", "slack_bolt", "slack_sdk", "sklearn")


def median_seconds(run: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def cold(args: Sequence[str], times: int) -> float:
    def run() -> None:
        subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)

    return median_seconds(run, times)


def cold_cpu(args: Sequence[str], times: int) -> float:
    """Median CPU seconds (user + system) of a fresh process: much steadier than wall time on a busy machine."""
    import resource

    samples = []
    for _ in range(times):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *args], cwd=ROOT, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples)


def heavy_imports_of_cli() -> list[str]:
    code = f"import sys, bot.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.split()


def heavy_imports_of_brief() -> list[str]:
    """Heavy modules a whole cold `briefbot brief` imports (scikit-learn should not be one of them)."""
    code = (
        "import sys, runpy; sys.argv = ['briefbot', 'brief', 'china-russia']\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stderr.strip().splitlines()[-1].split() if out.stderr.strip() else []


def tfidf_side_by_side(times: int) -> tuple[float, float, float, float]:
    """(our TF-IDF, scikit-learn's TfidfVectorizer) on the seeds' sentences x20, and each one's cold import."""
    from summarizer.articles import load_articles
    from summarizer.text import split_sentences

    sentences = [s for a in load_articles(ROOT / "seeds").articles for s in split_sentences(a.body)] * 20
    imports = []
    for module in ("summarizer.tfidf", "sklearn.feature_extraction.text"):
        code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        samples = [
            float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True,
                                 text=True).stdout)  # fmt: skip
            for _ in range(times)
        ]
        imports.append(statistics.median(samples))
    from sklearn.feature_extraction.text import TfidfVectorizer

    from summarizer.tfidf import tfidf_matrix

    ours = median_seconds(lambda: tfidf_matrix(sentences), times)
    theirs = median_seconds(
        lambda: TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sentences), times
    )
    return ours, theirs, imports[0], imports[1]


def brief_compute(times: int) -> float:
    from summarizer.articles import load_articles
    from summarizer.brief import build_brief
    from summarizer.text import _split_cached

    articles = load_articles(ROOT / "seeds").articles
    build_brief("china-russia", "t", articles)  # warm-up: imports

    def run() -> None:
        _split_cached.cache_clear()
        build_brief("china-russia", "t", articles)

    return median_seconds(run, times)


def cache_hit(times: int) -> float:
    from bot.core.service import BriefService, FolderArticles
    from bot.store.cache import MemoryCache
    from summarizer.topics import TopicSpec

    topics = [TopicSpec("china-russia", "China, Russia", ("China", "Beijing", "Russia", "Putin", "Ukraine"))]
    service = BriefService(FolderArticles(ROOT / "seeds"), topics, MemoryCache())

    async def measure() -> float:
        await service.brief("china-russia")  # computes and stores
        samples = []
        for _ in range(times):
            start = time.perf_counter()
            result = await service.brief("china-russia")
            samples.append(time.perf_counter() - start)
            assert result.cached
        return statistics.median(samples)

    return asyncio.run(measure())


def large_topic(n_articles: int = 1000, enrich: bool = True) -> tuple[float, int]:
    """A synthetic topic of ``n_articles`` built by recombining seed sentences (about 30 sentences each)."""
    from summarizer.articles import Article, load_articles
    from summarizer.brief import build_brief
    from summarizer.text import split_sentences

    pool = [s for a in load_articles(ROOT / "seeds").articles for s in split_sentences(a.body)]
    rng = random.Random(7)
    articles = [Article(f"a{i}", f"Article {i}", "\n".join(rng.sample(pool, 30))) for i in range(n_articles)]
    start = time.perf_counter()
    brief = build_brief("big", "Big topic", articles, enrich=enrich)
    return time.perf_counter() - start, brief.coverage.sentences


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 7

    heavy = heavy_imports_of_cli()
    print(f"import bot.cli pulls heavy modules: {', '.join(heavy) or 'none'}")
    print(f"process start (python -c 'import bot.cli'), median of {runs}: "
          f"{cold(['-c', 'import bot.cli'], runs):.3f} s   (aim <= 1 s)")
    print(f"cold `briefbot brief china-russia`, median of {runs}: "
          f"{cold(['-m', 'bot', 'brief', 'china-russia'], runs):.3f} s wall, "
          f"{cold_cpu(['-m', 'bot', 'brief', 'china-russia'], runs):.3f} s CPU   (aim < 1 s)")
    print(f"for scale, an empty `python -c pass`: {cold(['-c', 'pass'], runs):.3f} s wall, "
          f"{cold_cpu(['-c', 'pass'], runs):.3f} s CPU")
    print(f"a cold brief imports heavy modules: {', '.join(heavy_imports_of_brief()) or 'none'}")
    ours, theirs, ours_import, their_import = tfidf_side_by_side(runs)
    print(f"TF-IDF of the seeds' sentences x20, median of {runs}: summarizer/tfidf.py {ours * 1000:.1f} ms "
          f"(import {ours_import * 1000:.0f} ms) vs scikit-learn TfidfVectorizer {theirs * 1000:.1f} ms "
          f"(import {their_import * 1000:.0f} ms)")
    print(f"brief compute in-process, uncached, median of {runs * 3}: "
          f"{brief_compute(runs * 3) * 1000:.1f} ms   (aim <= 300 ms)")
    print(f"cache hit through BriefService + MemoryCache, median of 200: "
          f"{cache_hit(200) * 1000:.3f} ms   (aim <= 5 ms)")
    if not args.quick:
        seconds, sentences = large_topic(enrich=False)
        print(f"1,000-article topic ({sentences} sentences), ranking and merging only: {seconds:.2f} s")
        seconds, sentences = large_topic(enrich=True)
        print(f"1,000-article topic, whole brief (extras read a bounded sample of articles): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
