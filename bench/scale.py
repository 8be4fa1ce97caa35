"""Scale benchmark: ingest + index time and peak memory, discovered-topic quality, brief latency cold/warm
for topics of 10, 100 and 1,000 articles, and sumy's LexRank on the same topics in the same run.

    .venv/bin/python -m bench.scale                  # 1,000 and 10,000 articles (a few minutes)
    .venv/bin/python -m bench.scale --sizes 1000     # one size
    .venv/bin/python -m bench.scale --smoke          # seconds: 300 articles, small topics, short LexRank cap
    .venv/bin/python -m bench.scale --cold-brief 10000 100000   # cold `briefbot brief`: folder vs SQLite store
    .venv/bin/python -m bench.scale --cold-brief 10000 --baseline /tmp/old   # and old code side by side
    .venv/bin/python -m bench.scale --cold-brief 10000 --store redis --baseline /tmp/old   # the Redis store:
        # topic read through its index (new code) vs the whole log (old code), plus the store's memory

Ingest + index runs in a child process so its peak RSS (``ru_maxrss``) is its own. LexRank runs in a child
process with a time cap (its similarity graph is all pairs of sentences, in pure Python); a capped run is
reported as a lower bound (">"). ROUGE (the recipe of bench/data/multiling2011_en/README.md) is computed where human
references exist: the 10-article topics are the original MultiLing clusters.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = 250


# ---------------------------------------------------------------- child: ingest + index


def child_ingest(source: Path, target: Path, truth_file: Path) -> None:
    import resource

    from bot.sources.ingest import ingest_sources
    from bot.store.articles import FolderStore
    from summarizer.clusters import TopicDiscoverer

    t0 = time.perf_counter()
    report = asyncio.run(ingest_sources(FolderStore(target), [str(source)], progress=False))
    t1 = time.perf_counter()
    store = FolderStore(target)  # a fresh process's view: read files + stored features back
    articles = asyncio.run(store.articles())
    t2 = time.perf_counter()
    topics = TopicDiscoverer(vectors=store.lead_vectors)(articles)
    t3 = time.perf_counter()
    truth = load_truth(truth_file)
    print(json.dumps({
        "added": len(report.added), "duplicates": len(report.duplicates), "skipped": len(report.skipped),
        "ingest_s": t1 - t0, "load_s": t2 - t1, "cluster_s": t3 - t2, "topics": len(topics),
        "clustered": sum(t.size for t in topics),
        "ari": _ari(articles, topics, truth),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def _ari(articles, topics, truth) -> dict[str, float]:
    """Adjusted Rand index of discovered topics against stories and against story groups."""
    from sklearn.metrics import adjusted_rand_score

    label = {}
    for n, topic in enumerate(topics):
        for article_id in topic.article_ids:
            label[article_id] = n
    known = [a for a in articles if a.url in truth]
    assert len(known) == len(articles), "every stored article should be traced back to the corpus truth"
    predicted = [str(label.get(a.id, f"single-{a.id}")) for a in known]
    return {
        level: round(adjusted_rand_score([truth[a.url][level] for a in known], predicted), 3)
        for level in ("story", "group")
    }


def load_truth(path: Path) -> dict[str, dict]:
    """Ground truth by URL (ingest assigns its own article ids; the URL survives in the front matter)."""
    return {row["url"]: row for row in map(json.loads, path.read_text().splitlines())}


# ---------------------------------------------------------------- child: LexRank with a cap


def child_lexrank(texts_file: Path) -> None:
    texts = json.loads(texts_file.read_text())
    start = time.perf_counter()
    summary = lexrank_summary(texts, WORDS)
    print(json.dumps({"seconds": time.perf_counter() - start, "summary": summary}))


def lexrank_summary(texts: list[str], words: int) -> str:
    """sumy LexRank with nltk's untrained Punkt and word tokenizer (no data download), cut to ``words``."""
    import nltk
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    class OfflineTokenizer(Tokenizer):
        def _get_sentence_tokenizer(self, language):
            return nltk.tokenize.punkt.PunktSentenceTokenizer()

        def _get_word_tokenizer(self, language):
            return nltk.tokenize.NLTKWordTokenizer()

    document = PlaintextParser.from_string("\n\n".join(texts), OfflineTokenizer("english")).document
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    chosen = summarizer(document, 15)  # one ranking; sumy returns the top sentences in document order
    return " ".join(" ".join(str(s) for s in chosen).split()[:words])


def run_lexrank(texts: list[str], cap: float) -> tuple[float | None, str]:
    """(seconds or None when capped, summary)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(texts, handle)
    try:
        done = subprocess.run([sys.executable, "-m", "bench.scale", "--child-lexrank", handle.name],
                              capture_output=True, text=True, timeout=cap, cwd=ROOT)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        return result["seconds"], result["summary"]
    except subprocess.TimeoutExpired:
        return None, ""
    finally:
        os.unlink(handle.name)


# ---------------------------------------------------------------- parent: briefs


def rouge(summary: str, references: list[str]) -> tuple[float, float]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=False)
    cut = " ".join(summary.split()[:WORDS])
    scores = [scorer.score(ref, cut) for ref in references]
    count = len(scores)
    return sum(s["rouge1"].recall for s in scores) / count, sum(s["rouge2"].recall for s in scores) / count


async def warm_up(service, articles) -> None:
    """One throwaway brief of real articles, so imports and first-call set-up (lazy models, regex compiles)
    are not billed to the first topic measured."""
    from summarizer.topics import TopicMatch

    items = tuple(articles[:5])
    await service.brief_for(TopicMatch("warm-up", "Warm-up", items), length="short")


async def time_brief(service, match) -> tuple[float, float]:
    """(cold, warm) seconds: cold = computed (sentence-split memo cleared), warm = the cache hit."""
    from summarizer.text import forget_splits

    forget_splits()  # the engine memoises splits in-process; cold means cold
    start = time.perf_counter()
    first = await service.brief_for(match)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    second = await service.brief_for(match)
    warm = time.perf_counter() - start
    assert not first.cached and second.cached
    return cold, warm


def pick_topics(articles, truth, sizes: list[int]):
    """One topic per wanted size: a story for small sizes, a story group (related stories) for large ones."""
    from collections import defaultdict

    from summarizer.topics import TopicMatch

    by = {"story": defaultdict(list), "group": defaultdict(list)}
    for article in articles:
        row = truth.get(article.url or "")
        if row:
            by["story"][row["story"]].append(article)
            by["group"][row["group"]].append(article)
    picked = []
    for size in sizes:
        pools = [(level, key, items) for level in ("story", "group") for key, items in by[level].items()
                 if len(items) >= size]
        if not pools:
            pools = [("corpus", "all", list(articles))] if len(articles) >= size else []
        if not pools:
            continue
        level, key, items = min(pools, key=lambda p: len(p[2]))  # the smallest pool that is big enough
        picked.append((size, level, TopicMatch(f"{level}-{key}", items[0].title, tuple(items[:size]))))
    return picked


async def brief_rows(store_dir: Path, truth_file: Path, sizes: list[int], cap: float) -> list[dict]:
    from bot.core.service import BriefService
    from bot.store.articles import FolderStore
    from bot.store.cache import MemoryCache

    store = FolderStore(store_dir)
    service = BriefService(store, [], MemoryCache(), engine_tag="tfidf")
    articles = await store.articles()
    truth = load_truth(truth_file)
    await warm_up(service, articles)
    rows = []
    for size, level, match in pick_topics(articles, truth, sizes):
        cold, warm = await time_brief(service, match)
        lex_s, _ = run_lexrank([f"{a.title}\n{a.body}" for a in match.articles], cap)
        rows.append({"articles": size, "from": level, "cold_s": cold, "warm_s": warm, "lexrank_s": lex_s})
    return rows


async def reference_rows(clusters: int, cap: float) -> dict:
    """Brief latency, ROUGE and LexRank on the original 10-article MultiLing clusters (human references)."""
    from bench.corpus import DEFAULT_SOURCE
    from bot.core.service import BriefService
    from bot.store.cache import MemoryCache
    from summarizer.articles import Article
    from summarizer.brief import summarize_documents
    from summarizer.topics import TopicMatch

    class Fixed:
        def __init__(self, items):
            self.items = items

        async def articles(self):
            return self.items

    raw = [json.loads(line) for line in DEFAULT_SOURCE.read_text().splitlines() if line.strip()][:clusters]
    ours, theirs, cold, lex = [], [], [], []
    for cluster in raw:
        texts = [d["text"] for d in cluster["documents"]]
        refs = [r["text"] for r in cluster["references"]]
        heads = [(d["docno"], *d["text"].strip().partition("\n")[::2]) for d in cluster["documents"]]
        articles = tuple(Article(docno, title, body) for docno, title, body in heads)
        service = BriefService(Fixed(articles), [], MemoryCache())
        await warm_up(service, articles)
        c, _ = await time_brief(service, TopicMatch(cluster["id"], articles[0].title, articles))
        cold.append(c)
        ours.append(rouge(summarize_documents(texts, WORDS), refs))
        seconds, summary = run_lexrank(texts, cap)
        lex.append(seconds)
        if summary:
            theirs.append(rouge(summary, refs))

    def mean(pairs, i):
        return sum(p[i] for p in pairs) / len(pairs) if pairs else float("nan")

    done = [s for s in lex if s is not None]
    return {"clusters": len(raw), "cold_s": sum(cold) / len(cold), "lexrank_s": sum(done) / len(done) if done else None,
            "ours_r1": mean(ours, 0), "ours_r2": mean(ours, 1), "lex_r1": mean(theirs, 0), "lex_r2": mean(theirs, 1)}


# ---------------------------------------------------------------- cold CLI brief: folder vs the indexed store


def _cli_seconds(args: list[str], env: dict[str, str], root: Path = ROOT) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system, the child's own) of one `python -m bot ...` run from
    ``root`` (process start included), and its stdout. CPU time is the steadier figure on a shared machine."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=root,
                          env=env | {"PYTHONPATH": str(root)}, timeout=3600)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode:
        raise SystemExit(f"briefbot {' '.join(args)} failed: {done.stderr[-2000:]}")
    return seconds, cpu, done.stdout


def _index_read(root: Path, db: Path, keywords: list[str], env: dict[str, str]) -> str:
    """Seconds a fresh process (code from ``root``) takes to read the topic's candidate rows from the index."""
    out = subprocess.run(
        [sys.executable, "-c", "import asyncio, sys, time; from pathlib import Path; "
         "from bot.store.sqlite_articles import SqliteArticleStore as S; t = time.perf_counter(); "
         "found = asyncio.run(S(Path(sys.argv[1])).candidates(sys.argv[2:])); "
         "print(len(found), time.perf_counter() - t)", str(db), *keywords],
        capture_output=True, text=True, cwd=root, env=env | {"PYTHONPATH": str(root)}, timeout=600,
    ).stdout.split()
    return f"{float(out[1]):.2f} s ({out[0]} rows)" if len(out) == 2 else "?"


_REDIS_READ = """
import asyncio, sys, time
from bot.store.redis_articles import RedisArticleStore

async def main():
    store = RedisArticleStore(sys.argv[1], sys.argv[2])
    t = time.perf_counter()
    found = await (store.candidates(sys.argv[4:]) if sys.argv[3] == "index" else store.articles())
    print(len(found), time.perf_counter() - t)
    await store.close()

asyncio.run(main())
"""


def _redis_read(how: str, url: str, namespace: str, keywords: list[str], env: dict[str, str]) -> str:
    """Seconds a fresh process takes to read the topic's candidates through the Redis index (``index``) or
    the whole article log (``log``, what a topic read did before the index)."""
    out = subprocess.run(
        [sys.executable, "-c", _REDIS_READ, url, namespace, how, *keywords], capture_output=True, text=True,
        cwd=ROOT, env=env | {"PYTHONPATH": str(ROOT)}, timeout=600,
    ).stdout.split()
    return f"{float(out[1]):.2f} s ({out[0]} articles)" if len(out) == 2 else "?"


def _redis_memory(url: str, namespace: str) -> str:
    """Bytes Redis holds for the article store (MEMORY USAGE of every key): records vs the index."""
    import redis

    client = redis.Redis.from_url(url, decode_responses=True)
    parts = {"records": 0, "term sets": 0, "other index": 0}
    terms = 0
    records = {f"{namespace}:articles:{k}" for k in ("docs", "features", "fingerprints", "urls", "log")}
    for key in client.scan_iter(f"{namespace}:articles:*", count=1000):
        size = client.memory_usage(key, samples=0) or 0
        if key in records:
            parts["records"] += size
        elif key.startswith(f"{namespace}:articles:term:"):
            parts["term sets"] += size
            terms += 1
        else:
            parts["other index"] += size
    client.close()
    return ", ".join(f"{name} {size / 2**20:.1f} MiB" for name, size in parts.items()) + f" ({terms:,} terms)"


def _redis_clear(url: str, pattern: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(pattern, count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    client.close()


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def cold_brief(sizes: list[int], folder_baseline_max: int, runs: int, baseline: Path | None,
               store: str = "sqlite", redis_url: str = "redis://127.0.0.1:6379/0") -> None:
    """`briefbot brief TOPIC` in a fresh process over N articles with an empty brief cache (the cache file is
    deleted before every run: a second run would otherwise be a cache hit): from the SQLite store (the topic's
    rows via the FTS5 index) and, up to ``folder_baseline_max``, from a folder (every file read). With
    ``baseline`` (a checkout of older code), the same store brief runs with that code too, interleaved run by
    run, so old and new are measured side by side under the same load. Plus `briefbot ingest` time and the
    time a fresh process takes to read the topic's candidate rows from the index ("index read").

    With ``store="redis"`` the store is the Redis article store (a namespace of its own on ``redis_url``,
    deleted afterwards; the brief cache, in Redis then, is deleted before every run): the old code's topic
    read is the whole article log, the new code's the index; also the store's memory in Redis."""
    from bench.corpus import generate, write, write_story_topic

    print(f"cores available: {len(os.sched_getaffinity(0))}; load average {os.getloadavg()[0]:.1f}; "
          f"cold = new process, empty cache; median of {runs}; 'wall / CPU' seconds")
    variants = [("new", ROOT)] + ([("old", baseline.resolve())] if baseline else [])
    with tempfile.TemporaryDirectory(prefix="briefbot-cold-") as tmp:
        for size in sizes:
            base = Path(tmp) / str(size)
            source, data, empty = base / "in", base / "data", base / "empty"
            items = generate(size)
            write(items, source)
            empty.mkdir(parents=True)
            topics = base / "topics.toml"
            keywords = write_story_topic(items, topics)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "REDIS_"))}
            env |= {"BRIEFBOT_DATA_DIR": str(data), "BRIEFBOT_ARTICLES": str(empty),
                    "BRIEFBOT_TOPICS_FILE": str(topics)}
            namespace = f"benchcold{os.getpid()}x{size}"
            if store == "redis":
                env |= {"REDIS_URL": redis_url, "BRIEFBOT_ARTICLE_STORE": "redis", "BRIEFBOT_NAMESPACE": namespace}
                _redis_clear(redis_url, f"{namespace}:*")
            ingest_s, ingest_cpu, _ = _cli_seconds(["ingest", str(source), "--format", "json"], env)
            print(f"\n== {size:,} articles: `briefbot ingest` {ingest_s:.1f} s wall / {ingest_cpu:.1f} s CPU; "
                  f"topic keywords {keywords}", flush=True)
            timings: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in variants}
            folder: list[tuple[float, float]] = []
            n_topic = 0
            for _ in range(runs):
                for name, root in variants:
                    for stale in data.glob("cache.sqlite3*"):
                        stale.unlink()
                    if store == "redis":
                        _redis_clear(redis_url, f"{namespace}:cache:*")
                    seconds, cpu, out = _cli_seconds(["brief", "bench-story", "--format", "json"], env, root)
                    timings[name].append((seconds, cpu))
                    n_topic = json.loads(out)["coverage"]["articles"]
                if size <= folder_baseline_max:
                    for stale in data.glob("cache.sqlite3*"):
                        stale.unlink()
                    folder.append(_cli_seconds(["brief", "bench-story", "--articles", str(source)], env)[:2])
            print(f"topic: {n_topic} articles")
            for name, root in variants:
                wall, cpu = _median([w for w, _ in timings[name]]), _median([c for _, c in timings[name]])
                if store == "redis":
                    read = (f"topic read through the index {_redis_read('index', redis_url, namespace, keywords, env)}"
                            f", whole log {_redis_read('log', redis_url, namespace, keywords, env)}")
                else:
                    read = f"index read {_index_read(root, data / 'articles.sqlite3', keywords, env)}"
                print(f"  {store} store cold brief ({name} code): {wall:.2f} s / {cpu:.2f} s CPU"
                      + (f"; {read}" if name == "new" else ""), flush=True)
            if folder:
                print(f"  folder cold brief (new code, --articles DIR): {_median([w for w, _ in folder]):.2f} s / "
                      f"{_median([c for _, c in folder]):.2f} s CPU", flush=True)
            if store == "redis":
                print(f"  Redis memory: {_redis_memory(redis_url, namespace)}", flush=True)
                _redis_clear(redis_url, f"{namespace}:*")


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description="Briefbot scale benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes")
    parser.add_argument("--topics", type=int, nargs="+", default=[10, 100, 1000], help="topic sizes to brief")
    parser.add_argument("--lexrank-cap", type=float, default=120.0, help="seconds before LexRank is cut off")
    parser.add_argument("--smoke", action="store_true", help="a run of seconds, to check the bench works")
    parser.add_argument("--cold-brief", type=int, nargs="+", metavar="N",
                        help="only the cold CLI brief, folder vs SQLite store, at these corpus sizes")
    parser.add_argument("--folder-baseline-max", type=int, default=10000,
                        help="skip the (slow) folder baseline above this size")
    parser.add_argument("--runs", type=int, default=3, help="cold briefs per size (median reported)")
    parser.add_argument("--baseline", type=Path, help="a checkout of older code to run the same cold briefs with")
    parser.add_argument("--store", choices=("sqlite", "redis"), default="sqlite",
                        help="--cold-brief: the embedded SQLite store or the Redis article store")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="--store redis: the server")
    parser.add_argument("--child-ingest", nargs=3, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-lexrank", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_ingest:
        child_ingest(*args.child_ingest)
        return
    if args.child_lexrank:
        child_lexrank(args.child_lexrank)
        return
    if args.cold_brief:
        cold_brief(args.cold_brief, args.folder_baseline_max, args.runs, args.baseline, args.store, args.redis_url)
        return
    if args.smoke:
        args.sizes, args.topics, args.lexrank_cap = [300], [10, 30], 10.0

    from bench.corpus import generate, write

    print(f"cores available: {len(os.sched_getaffinity(0))}; encoder: tfidf")
    with tempfile.TemporaryDirectory(prefix="briefbot-scale-") as tmp:
        for size in args.sizes:
            source, target = Path(tmp) / f"in{size}", Path(tmp) / f"store{size}"
            write(generate(size), source)
            truth = Path(tmp) / f"in{size}.truth.jsonl"
            done = subprocess.run([sys.executable, "-m", "bench.scale", "--child-ingest", str(source), str(target),
                                   str(truth)], capture_output=True, text=True, cwd=ROOT, timeout=1800)
            if done.returncode:
                raise SystemExit(done.stderr)
            ing = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"\n== {size} articles ==")
            print(f"ingest {ing['ingest_s']:.1f} s (added {ing['added']}, duplicates {ing['duplicates']}, "
                  f"skipped {ing['skipped']}); reload {ing['load_s']:.1f} s; discover topics {ing['cluster_s']:.2f} s; "
                  f"peak RSS {ing['peak_rss_mb']:.0f} MB")
            print(f"discovered {ing['topics']} topics covering {ing['clustered']} articles; "
                  f"ARI vs stories {ing['ari']['story']}, vs story groups {ing['ari']['group']}")
            rows = asyncio.run(brief_rows(target, truth, [t for t in args.topics if t <= size], args.lexrank_cap))
            print(f"{'topic':>14} {'brief cold':>11} {'warm (hit)':>11} {'LexRank':>10} {'speed-up':>9}")
            for row in rows:
                lex = row["lexrank_s"]
                lex_text = f"{lex:.2f} s" if lex is not None else f">{args.lexrank_cap:.0f} s"
                ratio = (lex if lex is not None else args.lexrank_cap) / row["cold_s"]
                label = f"{row['articles']} ({row['from']})"
                print(f"{label:>14} {row['cold_s']:>9.2f} s {row['warm_s'] * 1000:>8.1f} ms "
                      f"{lex_text:>10} {'>' if lex is None else ' '}{ratio:>7.1f}x")
    ref = asyncio.run(reference_rows(2 if args.smoke else 10, args.lexrank_cap))
    print(f"\n== MultiLing 2011 clusters (10 articles each, {ref['clusters']} clusters, human references) ==")
    lex_s = ref["lexrank_s"]
    print(f"brief cold {ref['cold_s']:.2f} s; LexRank {lex_s if lex_s is None else round(lex_s, 2)} s; "
          f"speed-up {(lex_s or float('nan')) / ref['cold_s']:.1f}x")
    print(f"ROUGE-1/2 recall ({WORDS} words): ours {ref['ours_r1'] * 100:.2f}/{ref['ours_r2'] * 100:.2f}, "
          f"LexRank {ref['lex_r1'] * 100:.2f}/{ref['lex_r2'] * 100:.2f}")


if __name__ == "__main__":
    main()
