"""A simulated news wire on loopback: N feeds publishing over a simulated day, polled by the real poller.

    .venv/bin/python -m bench.wire                      # 500 feeds, 24 simulated hours, 1 and 2 replicas
    .venv/bin/python -m bench.wire --feeds 100 --hours 6 # quicker

Feeds are bursty (a few hours of an item every few minutes), regular (every 30-90 minutes) or quiet (a few
items a day); some always answer 500 and some stall past the timeout. Time is simulated: a tick moves the
clock by ``--tick`` seconds and runs one poll pass per replica (replicas share one state store: the real
Redis when ``REDIS_URL``/localhost answers, else one in-process memory store). The feed server, the fetcher
(real aiohttp over loopback), the parser, the SQLite article store and the leases are the real ones.

Reported, for adaptive intervals and for fixed 10-minute polling (the public MonitoRSS interval):
HTTP requests and the share answered 304 (of polls of feeds with nothing new), bytes transferred, CPU seconds
per simulated hour (client and server: one process), and freshness lag from an item's publication to its
being in the store (what the next brief reads), p50/p99; p99 of lag / the source's median interval between
polls over the run ("p99/intv"); and p99 of lag / the gap between the two polls around the item's publication
("p99/gap": above 1 means the first poll after publication did not bring the item).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import socket
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

START = datetime(2026, 3, 2, tzinfo=UTC).timestamp()
WORDS = ["harbour", "council", "grain", "tariff", "election", "minister", "court", "strike", "storm", "vaccine",
         "bridge", "rail", "budget", "treaty", "summit", "drought", "market", "pension", "festival"]


@dataclass
class Feed:
    name: str
    kind: str  # bursty | regular | quiet | failing | stalling
    times: list[float]  # publication times (simulated epoch seconds), sorted
    requests: list[tuple[float, int]] = field(default_factory=list)  # (sim time, status)


def schedule(kind: str, rng: random.Random, hours: float) -> list[float]:
    end = hours * 3600
    out: list[float] = []
    if kind == "bursty":
        for _ in range(rng.randint(2, 4)):
            start, length = rng.uniform(0, end), rng.uniform(1800, 3 * 3600)
            t = start
            while t < min(end, start + length):
                out.append(t)
                t += rng.expovariate(1 / 300)
    elif kind == "regular":
        t = rng.uniform(0, 3600)
        while t < end:
            out.append(t)
            t += rng.uniform(1800, 5400)
    else:
        out = [rng.uniform(0, end) for _ in range(rng.randint(0, 3))]
    return sorted(START + t for t in out)


def body(feed: str, n: int) -> str:
    rng = random.Random(f"{feed}-{n}")
    topic = rng.choice(WORDS)
    return "\n\n".join(
        f"The {topic} story {feed}/{n}, part {p}: officials met on {rng.choice(WORDS)} and {rng.choice(WORDS)} "
        f"issues for {rng.randint(2, 9)} hours and agreed that work on the {topic} plan would continue next week, "
        f"a spokesperson said after the meeting number {n * 10 + p}, adding that details would follow."
        for p in range(4)
    )


class Wire:
    """The feed server: each feed shows its last 20 items published by the simulated now."""

    def __init__(self, feeds: list[Feed]) -> None:
        self.feeds = {f.name: f for f in feeds}
        self.now = START
        self.base = ""
        self._runner: Any = None

    async def start(self) -> None:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/feed/{name}", self.handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        listener = socket.socket()  # bound here so its port is known without reading aiohttp's internals
        listener.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, listener).start()
        self.base = f"http://127.0.0.1:{listener.getsockname()[1]}"

    async def stop(self) -> None:
        await self._runner.shutdown()
        await self._runner.cleanup()

    async def handle(self, request: Any) -> Any:
        from aiohttp import web

        feed = self.feeds[request.match_info["name"]]
        if feed.kind == "failing":
            feed.requests.append((self.now, 500))
            return web.Response(status=500)
        if feed.kind == "stalling":
            feed.requests.append((self.now, 0))
            await asyncio.sleep(30)
        published = [(n, t) for n, t in enumerate(feed.times) if t <= self.now][-20:]
        etag = '"' + hashlib.sha1(repr(published[-1:]).encode()).hexdigest()[:12] + '"'
        if request.headers.get("If-None-Match") == etag:
            feed.requests.append((self.now, 304))
            return web.Response(status=304, headers={"ETag": etag})
        items = "".join(
            f"<item><title>{feed.name} item {n}</title><link>http://wire.example/{feed.name}/{n}</link>"
            f"<description>{escape(body(feed.name, n))}</description>"
            f"<pubDate>{format_datetime(datetime.fromtimestamp(t, UTC), usegmt=True)}</pubDate></item>"
            for n, t in reversed(published)
        )
        feed.requests.append((self.now, 200))
        xml = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{feed.name}</title>{items}</channel></rss>"
        return web.Response(text=xml, content_type="application/rss+xml", headers={"ETag": etag})


class TimedStore:
    """The real SQLite store, noting when (simulated) each article arrived."""

    def __init__(self, inner: Any, wire: Wire) -> None:
        self.inner, self.wire = inner, wire
        self.arrivals: dict[str, tuple[str, float]] = {}  # url -> (published, arrived)

    async def add(self, items: Any) -> Any:
        results = await self.inner.add(items)
        for (article, _), result in zip(items, results, strict=True):
            if result.status == "added":
                self.arrivals[article.url] = (article.published, self.wire.now)
        return results


def poller_class(rule: str) -> Any:
    """The real poller, counting its outcomes per feed kind; ``rule="halve"`` swaps in the previous adaptive
    rule (halve on new items, x1.5 otherwise) so old and new are measured side by side in one run."""
    from bot.sources.poller import Poller

    class Counting(Poller):
        outcomes: dict[tuple[str, str], int]

        async def poll_source(self, source: Any, everything: bool = False) -> Any:
            outcome = await super().poll_source(source, everything)
            if outcome is not None:
                kind = self.kinds.get(source.url, "?")
                label = outcome.status
                if outcome.status == "error" and "took longer" in (outcome.error or ""):
                    label = "deadline"
                self.outcomes[(kind, label)] = self.outcomes.get((kind, label), 0) + 1
            return outcome

        def adaptive_interval(self, status: Any, outcome: Any, now: float, interval: float) -> float:
            if rule != "halve":
                return super().adaptive_interval(status, outcome, now, interval)
            o = self.options
            return min(o.max_interval, max(o.min_interval, interval / 2 if outcome.added else interval * 1.5))

    return Counting


async def simulate(feeds: int, hours: float, tick: float, replicas: int, fixed: bool, seed: int,
                   rule: str = "rate", history: bool = True) -> dict[str, Any]:
    from bot.sources.fetch import FetchOptions
    from bot.sources.poller import PollOptions
    from bot.sources.registry import SourceRegistry
    from bot.store.sqlite_articles import SqliteArticleStore

    rng = random.Random(seed)
    random.seed(seed)  # the poller's backoff jitter: the same in every run
    kinds = rng.choices(["bursty", "regular", "quiet", "failing", "stalling"], [20, 30, 44, 5, 1], k=feeds)
    feeds_ = []
    for n, kind in enumerate(kinds):
        times = schedule(kind, rng, hours)
        if history:  # a past like the run, as long: the feed shows its recent items at the first poll
            past = schedule(kind, random.Random(f"{seed}-history-{n}"), hours)
            times = [t - hours * 3600 for t in past] + times
        feeds_.append(Feed(f"f{n}", kind, times))
    wire = Wire(feeds_)
    await wire.start()
    state, closers = await _state()
    clock = lambda: wire.now  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="briefbot-wire-") as tmp:
        store = TimedStore(SqliteArticleStore(Path(tmp) / "a.sqlite3", clock=clock), wire)
        registry = SourceRegistry(state, clock=clock)
        for name in wire.feeds:
            await registry.add(f"{wire.base}/feed/{name}", None, 600 if fixed else None)
        options = PollOptions(default_interval=600, min_interval=300, max_interval=4 * 3600, unhealthy_after=5,
                              unhealthy_retry=6 * 3600, retention_seconds=None, source_deadline=2.0)
        fetch = FetchOptions(timeout=1.0, connect_timeout=1.0, allow_private=True, per_host=64, concurrency=64)
        kinds = {f"{wire.base}/feed/{f.name}": f.kind for f in wire.feeds.values()}
        counting = poller_class(rule)
        pollers = [counting(SourceRegistry(state, clock=clock), store, fetch, options, clock=clock)
                   for _ in range(replicas)]
        for poller in pollers:
            poller.kinds, poller.outcomes = kinds, {}
        for poller in pollers:
            await poller.__aenter__()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        try:
            while wire.now < START + hours * 3600:
                await asyncio.gather(*(p.run_pass() for p in pollers))
                wire.now += tick
        finally:
            fetched = sum(p.fetcher.bytes for p in pollers if p.fetcher is not None)
            for poller in pollers:
                await poller.__aexit__(None, None, None)
            await wire.stop()
            for close in closers:
                await close()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    figures = _figures(wire, store, hours, cpu, wall, fetched, options.min_interval)
    outcomes: dict[tuple[str, str], int] = {}
    for poller in pollers:
        for key, n in poller.outcomes.items():
            outcomes[key] = outcomes.get(key, 0) + n
    figures["outcomes"] = outcomes
    figures["by_kind"] = {
        kind: sum(len(f.requests) for f in wire.feeds.values() if f.kind == kind)
        for kind in ("bursty", "regular", "quiet", "failing", "stalling")
    }
    return figures


async def _state() -> tuple[Any, list[Any]]:
    """The real Redis (a unique namespace, deleted afterwards) when one answers, else one memory store."""
    from bot.store.state import MemoryState, RedisState

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    namespace = f"bench-wire-{uuid.uuid4().hex[:8]}"
    state = RedisState(url, namespace)
    if not await state.ping():
        await state.close()
        return MemoryState(), []

    async def close() -> None:
        import redis.asyncio as aioredis  # a client of its own to clear the namespace afterwards

        client = aioredis.from_url(url)
        try:
            keys = [k async for k in client.scan_iter(f"{namespace}:*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()
            await state.close()

    return state, [close]


def _figures(
    wire: Wire, store: TimedStore, hours: float, cpu: float, wall: float, fetched: Any, min_interval: float
) -> dict[str, Any]:
    requests = [r for f in wire.feeds.values() for r in f.requests]
    # polls of a feed with nothing new since its previous poll: the ones a 304 should answer
    unchanged = answered_304 = 0
    lags, ratios, missed = [], [], []
    for feed in wire.feeds.values():
        previous = None
        for at, status in feed.requests:
            if feed.kind in ("failing", "stalling"):
                continue
            if previous is not None and not any(previous < t <= at for t in feed.times) and any(
                t <= previous for t in feed.times
            ):
                unchanged += 1
                answered_304 += status == 304
            previous = at
    for feed in wire.feeds.values():
        polls = [at for at, _ in feed.requests]
        gaps = [b - a for a, b in zip(polls, polls[1:], strict=False) if b > a]
        interval = statistics.median(gaps) if gaps else None  # the source's typical interval over the run
        for n, t in enumerate(feed.times):
            arrival = store.arrivals.get(f"http://wire.example/{feed.name}/{n}")
            if arrival is None or t < START:  # published before the run: already there when it starts
                continue
            lag = arrival[1] - t
            lags.append(lag)
            if interval:
                ratios.append(lag / interval)
            around = [p for p in polls if p <= t][-1:] + [p for p in polls if p > t][:1]
            if len(around) == 2:  # lag / the gap between the polls around its publication: > 1 = a poll missed it
                missed.append(lag / (around[1] - around[0]))
    published = sum(1 for f in wire.feeds.values() for t in f.times if f.kind not in ("failing", "stalling")
                    and t >= START)
    # two polls of one feed closer than the shortest interval: what a second replica polling it again would do
    close = sum(
        1 for f in wire.feeds.values() for (a, _), (b, _) in zip(f.requests, f.requests[1:], strict=False)
        if b - a < min_interval
    )

    def pct(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[q - 1] if len(values) >= 2 else float("nan")

    return {
        "requests": len(requests), "share_304": answered_304 / unchanged if unchanged else float("nan"),
        "unchanged_polls": unchanged, "items": published, "stored": len(lags),
        "lag_p50_min": pct(lags, 50) / 60, "lag_p99_min": pct(lags, 99) / 60,
        "lag_ratio_p99": pct(ratios, 99), "gap_ratio_p99": pct(missed, 99), "cpu_per_hour": cpu / hours, "wall": wall,
        "bytes": fetched, "close_polls": close,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Simulated news wire: requests, 304s, freshness, CPU")
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--hours", type=float, default=24)
    parser.add_argument("--tick", type=float, default=60, help="simulated seconds per poll pass")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-history", action="store_true",
                        help="feeds start empty (by default each has already published for as long as the run)")
    parser.add_argument("--old-rule", action="store_true", help="also run the previous halve/x1.5 rule")
    args = parser.parse_args()
    import logging

    logging.getLogger("bot").setLevel(logging.ERROR)  # failing feeds warn on every poll: not the point here
    print(f"{args.feeds} feeds, {args.hours:g} simulated hours, a pass every {args.tick:g} simulated s; "
          f"cores available: {len(os.sched_getaffinity(0))}")
    print(f"{'run':<30}{'requests':>9}{'304 share':>10}{'MB':>7}{'items':>7}{'stored':>7}{'lag p50':>9}"
          f"{'lag p99':>9}{'p99/intv':>9}{'p99/gap':>8}{'CPU s/h':>8}{'wall s':>8}")
    rows = {}
    runs = [("rate, 1 replica", 1, False, "rate"), ("rate, 2 replicas", 2, False, "rate"),
            ("fixed 10 min, 1 replica", 1, True, "rate")]
    if args.old_rule:
        runs.insert(0, ("halve/x1.5 (old), 1 replica", 1, False, "halve"))
    for label, replicas, fixed, rule in runs:
        r = asyncio.run(simulate(args.feeds, args.hours, args.tick, replicas, fixed, args.seed, rule,
                                 not args.no_history))
        rows[label] = r
        mb = f"{r['bytes'] / 1e6:.1f}" if r["bytes"] is not None else "-"
        print(f"{label:<30}{r['requests']:>9}{r['share_304']:>10.1%}{mb:>7}{r['items']:>7}{r['stored']:>7}"
              f"{r['lag_p50_min']:>7.1f} m{r['lag_p99_min']:>7.1f} m"
              f"{r['lag_ratio_p99']:>9.2f}{r['gap_ratio_p99']:>8.2f}"
              f"{r['cpu_per_hour']:>8.2f}{r['wall']:>8.0f}", flush=True)
    for label, r in rows.items():
        print(f"  {label}: requests by feed kind {r['by_kind']}; poll outcomes "
              + ", ".join(f"{k}/{v} {n}" for (k, v), n in sorted(r["outcomes"].items())))
    one, two, fixed = (rows[k]["requests"] for k in ("rate, 1 replica", "rate, 2 replicas", "fixed 10 min, 1 replica"))
    print(f"requests saved by adaptive intervals vs fixed 10 min: {1 - one / fixed:.1%}; "
          f"two replicas / one: {two / one:.3f}; polls of one feed closer than the shortest interval: "
          + ", ".join(f"{label} {r['close_polls']}" for label, r in rows.items()))


if __name__ == "__main__":
    main()
