"""Slack ack latency and time-to-brief, on loopback, through the real bolt app and the real core.

Run by hand (figures go in the README):
    .venv/bin/python bench/slack_ack.py                 # 200 signed /brief requests, concurrency 50
    .venv/bin/python bench/slack_ack.py --requests 10   # smoke

Two rounds with the same topic: "cold" starts with an empty brief cache, "warm" reuses it. For each request:
ack = signed POST to /slack/events until its HTTP response (Slack's 3-second deadline applies to this);
posted = the same start until the fake Web API receives the chat.postMessage carrying the brief (each
request uses its own channel id, so posts are matched to requests). The bot runs in its own process (as in
production); the load generator and the fake Slack share the parent process, on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.adapters.slack import SlackAdapter  # noqa: E402
from bot.app import Briefbot  # noqa: E402
from bot.platforms.slack import settings_from  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.slack_fakes import BOT_TOKEN, SIGNING_SECRET, FakeSlack, command_body, signed_headers  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def one_round(
    label: str, http: aiohttp.ClientSession, url: str, fake: FakeSlack, topic: str, requests: int, concurrency: int
) -> None:
    gate = asyncio.Semaphore(concurrency)
    sent: dict[str, float] = {}
    acks: list[float] = []
    statuses: dict[int, int] = {}
    before = len(fake.of("chat.postMessage"))

    async def send(i: int) -> None:
        channel = f"C{label[0].upper()}{i:05d}"
        body = command_body(topic, fake.response_url(), channel=channel, user=f"U{i % 50:03d}")
        async with gate:
            start = time.perf_counter()
            sent[channel] = start
            async with http.post(url, data=body, headers=signed_headers(body)) as response:
                await response.read()
                acks.append(time.perf_counter() - start)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(send(i) for i in range(requests)))
    posts = await fake.wait_for("chat.postMessage", before + requests, timeout=600)
    wall = time.perf_counter() - started
    posted = [c.at - sent[c.params["channel"]] for c in posts[before:] if c.params.get("channel") in sent]
    ms = 1000.0
    print(
        f"{label:5} n={requests} c={concurrency} http={statuses}  "
        f"ack p50 {percentile(acks, 50) * ms:6.1f} ms  p99 {percentile(acks, 99) * ms:6.1f} ms  "
        f"max {max(acks) * ms:6.1f} ms | "
        f"posted p50 {percentile(posted, 50) * ms:7.1f} ms  p99 {percentile(posted, 99) * ms:7.1f} ms | "
        f"wall {wall:5.2f} s, mean ack {statistics.fmean(acks) * ms:.1f} ms"
    )


def serve_bot(api_url: str, articles: str, redis_url: str | None, port_out: object) -> None:
    """The bot under test, alone in its process: Briefbot + SlackAdapter on an ephemeral port."""

    async def run() -> None:
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=api_url,
            http_port=0,
            redis_url=redis_url,
            articles_dir=Path(articles),
            briefs_per_user_per_minute=0,  # measuring the pipeline, not the per-user limit
        )
        async with Briefbot(settings, namespace=f"bench-{time.time_ns()}") as bot:
            adapter = SlackAdapter(bot.core, settings_from(settings), host="127.0.0.1")
            await adapter.start()
            port_out.send(adapter.port)  # type: ignore[attr-defined]
            try:
                await asyncio.Event().wait()
            finally:
                await adapter.stop()

    asyncio.run(run())


async def main(args: argparse.Namespace) -> None:
    fake = await FakeSlack().start()
    receive, send = multiprocessing.Pipe(duplex=False)
    bot = multiprocessing.get_context("spawn").Process(
        target=serve_bot, args=(fake.api_url, args.articles, args.redis_url, send), daemon=True
    )
    bot.start()
    try:
        port = await asyncio.to_thread(receive.recv)
        url = f"http://127.0.0.1:{port}/slack/events"
        connector = aiohttp.TCPConnector(limit=args.concurrency)
        async with aiohttp.ClientSession(connector=connector) as http:
            await one_round("cold", http, url, fake, args.topic, args.requests, args.concurrency)
            await one_round("warm", http, url, fake, args.topic, args.requests, args.concurrency)
    finally:
        bot.terminate()
        bot.join(10)
        await fake.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--topic", default="china-russia")
    parser.add_argument("--articles", default=str(ROOT / "seeds"))
    parser.add_argument("--redis-url", default=None, help="use Redis for cache and state (default: memory)")
    asyncio.run(main(parser.parse_args()))
