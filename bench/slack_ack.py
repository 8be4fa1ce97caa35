"""Slack ack latency and time-to-brief, on loopback, through the real bolt app and the real core.

Run by hand (figures go in the README):
    .venv/bin/python bench/slack_ack.py                 # 200 signed /brief requests, concurrency 50
    .venv/bin/python bench/slack_ack.py --requests 10   # smoke

Two ways of running the CPU-heavy brief build, side by side in one run, each in a fresh bot process:
"threads" (BRIEFBOT_BUILD_PROCESSES=0: a worker thread of the bot's process, which holds the GIL while it
computes) and "pool" (the shared process pool of bot/core/workers.py). Each bot is ready (summarizer imported,
the pool's processes warmed up) before it is measured. Two rounds with the same topic per way: "cold" starts
with an empty brief cache, "warm" reuses it. For each request:
ack = signed POST to /slack/events until its HTTP response (Slack's 3-second deadline applies to this);
posted = the same start until the fake Web API receives the chat.postMessage carrying the brief (each
request uses its own channel id, so posts are matched to requests). The bot runs in its own process (as in
production); the load generator and the fake Slack share the parent process, on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import signal
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bench.fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, command_body, signed_headers  # noqa: E402
from bot.adapters.slack import SlackAdapter  # noqa: E402
from bot.app import Briefbot  # noqa: E402
from bot.platforms.slack import settings_from  # noqa: E402
from bot.settings import Settings  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def one_round(
    label: str, http: aiohttp.ClientSession, url: str, fake: FakeSlack, topic: str, requests: int, concurrency: int
) -> list[str]:
    gate = asyncio.Semaphore(concurrency)
    sent: dict[str, float] = {}
    acks: list[float] = []
    statuses: dict[int, int] = {}
    before = len(fake.posts)

    async def send(i: int) -> None:
        channel = f"C{zlib.crc32(label.encode()):08X}{i:05d}"  # a channel per request and round
        body = command_body(topic, fake.response_url, channel=channel, user=f"U{i % 50:03d}")
        async with gate:
            start = time.perf_counter()
            sent[channel] = start
            async with http.post(url, data=body, headers=signed_headers(body)) as response:
                await response.read()
                acks.append(time.perf_counter() - start)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(send(i) for i in range(requests)))
    posts = await fake.wait_posts(before + requests, timeout=600)
    wall = time.perf_counter() - started
    posted = [p.at - sent[p.channel] for p in posts[before:] if p.channel in sent]
    ms = 1000.0
    row = [
        label, f"{percentile(acks, 50) * ms:.1f} ms", f"{percentile(acks, 99) * ms:.1f} ms",
        f"{max(acks) * ms:.1f} ms", f"{percentile(posted, 50):.2f} s", f"{percentile(posted, 99):.2f} s",
    ]  # fmt: skip
    print(
        f"{label:14} n={requests} c={concurrency} http={statuses}  "
        f"ack p50 {row[1]:>9} p99 {row[2]:>9} max {row[3]:>9} | posted p50 {row[4]} p99 {row[5]} | "
        f"wall {wall:5.2f} s, mean ack {statistics.fmean(acks) * ms:.1f} ms",
        flush=True,
    )
    return row


def serve_bot(
    api_url: str, articles: str, redis_url: str | None, processes: int, niceness: int, port_out: object
) -> None:
    """The bot under test, alone in its process: Briefbot (+ its build pool) and SlackAdapter on port 0."""
    from bot.settings import Settings

    async def run() -> None:
        settings = Settings(
            slack={"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": api_url},
            http_port=0,
            redis_url=redis_url,
            articles_dir=Path(articles),
            briefs_per_user_per_minute=0,  # measuring the pipeline, not the per-user limit
            build_processes=processes,
            build_niceness=niceness,
            data_dir=Path(tempfile.mkdtemp(prefix="briefbot-ack-")),  # an empty cache: "cold" is cold
        )
        async with Briefbot(settings, namespace=f"bench-{time.time_ns()}", processes=processes) as bot:
            if bot.pool is not None:
                for warm in bot.pool.start():  # ready = every worker has imported the summarizer
                    await asyncio.wrap_future(warm)
            else:
                await asyncio.to_thread(bot.engine.warm_up)  # the same readiness for the thread
            await bot.service.ready()  # as `briefbot run` does
            adapter = SlackAdapter(bot.core, settings_from(settings), host="127.0.0.1")
            await adapter.start()
            port_out.send(adapter.port)  # type: ignore[attr-defined]
            stop = asyncio.Event()
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)  # terminate(): close cleanly
            try:
                await stop.wait()
            finally:
                await adapter.stop()

    asyncio.run(run())


async def open_connections(http: aiohttp.ClientSession, url: str, count: int) -> None:
    """Open the client's ``count`` connections before the rounds, as Slack keeps its connections to an app
    alive: otherwise the first round alone pays the TCP set-up of its first ``count`` requests, and "cold"
    would measure new connections as well as an empty brief cache."""

    async def one() -> None:
        async with http.get(url) as response:
            await response.read()

    await asyncio.gather(*(one() for _ in range(count)))


async def measure(
    args: argparse.Namespace, fake: FakeSlack, label: str, processes: int, niceness: int = 0
) -> list[list[str]]:
    receive, send = multiprocessing.Pipe(duplex=False)
    bot = multiprocessing.get_context("spawn").Process(
        target=serve_bot,
        args=(fake.api_url, args.articles, args.redis_url, processes, niceness, send),
        daemon=False,
    )
    bot.start()
    try:
        port = await asyncio.to_thread(receive.recv)
        url = f"http://127.0.0.1:{port}/slack/events"
        connector = aiohttp.TCPConnector(limit=args.concurrency)
        async with aiohttp.ClientSession(connector=connector) as http:
            if not args.new_connections:
                await open_connections(http, f"http://127.0.0.1:{port}/healthz", args.concurrency)
            cold = await one_round(f"{label} cold", http, url, fake, args.topic, args.requests, args.concurrency)
            warm = await one_round(f"{label} warm", http, url, fake, args.topic, args.requests, args.concurrency)
        return [cold, warm]
    finally:
        bot.terminate()
        bot.join(10)


async def main(args: argparse.Namespace) -> None:

    processes = args.processes if args.processes is not None else Settings(build_processes=None).pool_processes()
    fake = await FakeSlack().start()
    niceness = Settings().build_niceness
    ways = [("threads", 0, 0), (f"pool({processes}) nice 0", processes, 0)]
    ways.append((f"pool({processes}) nice {niceness}", processes, niceness))
    rows = []
    try:
        for _ in range(args.repeat):  # the ways interleaved, so a change in the machine's load hits each alike
            for label, pool_size, nice in ways:
                rows += await measure(args, fake, label, pool_size, nice)
    finally:
        await fake.stop()
    print("\n| build | ack p50 | ack p99 | ack max | posted p50 | posted p99 |\n| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if args.repeat > 1:
        print("\nMedian over the repeats (ack p99, ms):")
        for label in dict.fromkeys(row[0] for row in rows):
            p99s = [float(row[2].split()[0]) for row in rows if row[0] == label]
            print(f"  {label:22} {statistics.median(p99s):7.1f}   ({', '.join(f'{v:.1f}' for v in p99s)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--topic", default="china-russia")
    parser.add_argument("--articles", default=str(ROOT / "seeds"))
    parser.add_argument("--redis-url", default=None, help="use Redis for cache and state (default: memory)")
    parser.add_argument("--processes", type=int, default=None, help="pool size (default: BRIEFBOT_BUILD_PROCESSES)")
    parser.add_argument("--repeat", type=int, default=1, help="run every way this many times, interleaved")
    parser.add_argument("--new-connections", action="store_true",
                        help="do not open the client's connections first (the cold round then sets them up)")
    asyncio.run(main(parser.parse_args()))
