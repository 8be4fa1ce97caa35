"""Two Briefbot processes on one Redis namespace share the article store, the brief cache and thread contexts.

Every step is a separate real process (``python -m bot ...`` or a small script), as two replicas would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REDIS_URL, ROOT

STORY = [
    ("Port strike halts container traffic",
     "Dock workers walked out at the port on Monday, halting all container traffic.\n"
     "The union said talks over pay had collapsed after six weeks of negotiations.\n"
     "Shipping lines diverted vessels to neighbouring ports, adding days to deliveries."),
    ("Port strike enters second day as talks stall",
     "The strike at the port entered its second day as dock workers held firm on pay.\n"
     "Shipping lines said the diverted vessels would add days to deliveries across the region.\n"
     "The port authority said talks with the union would resume on Wednesday."),
    ("Port strike: retailers warn of empty shelves",
     "Retailers warned that a long port strike would leave shelves empty before the holidays.\n"
     "Dock workers at the port want a pay rise in line with inflation, the union said.\n"
     "The government urged both sides to return to talks to end the strike quickly."),
]

FOLLOW_UP = """
import asyncio, json, sys
from bot.app import Briefbot
from bot.core.models import Inbound, ThreadRef
from bot.settings import Settings

async def main():
    async with Briefbot(Settings()) as bot:
        thread = ThreadRef("console", "console", sys.argv[1])
        reply = await bot.core.handle(Inbound("console", "console", "other-user", sys.argv[2], False, thread))
        print(json.dumps({"kind": None if reply is None else str(reply.kind), "text": getattr(reply, "text", None)}))

asyncio.run(main())
"""


def run(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


async def test_two_processes_share_articles_cache_and_threads(tmp_path: Path, namespace: str, redis_client) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for n, (title, body) in enumerate(STORY):
        (incoming / f"{n}.txt").write_text(f"{title}\n{body}\n", encoding="utf-8")
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "BRIEFBOT_NAMESPACE": namespace,
        "BRIEFBOT_ARTICLE_STORE": "redis",
        "BRIEFBOT_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("BRIEFBOT_ARTICLES", None)
    bot = [sys.executable, "-m", "bot"]

    # replica 1 ingests into the shared store; the folder on disk plays no part afterwards
    ingested = run([*bot, "ingest", str(incoming), "--format", "json"], env, tmp_path)
    assert json.loads(ingested.stdout)["counts"]["added"] == 3
    again = run([*bot, "ingest", str(incoming), "--format", "json"], env, tmp_path)  # "replica 2": all duplicates
    assert json.loads(again.stdout)["counts"] == {"added": 0, "duplicates": 3, "skipped": 0}

    # replica 1 computes a brief; replica 2 gets the same brief from the shared cache
    first = run([*bot, "brief", "port strike", "--format", "json"], env, tmp_path)
    assert "computed" in first.stderr and "cache hit" not in first.stderr
    second = run([*bot, "brief", "port strike", "--format", "json"], env, tmp_path)
    assert "cache hit" in second.stderr and "computed" not in second.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert len(json.loads(first.stdout)["sources"]) == 3
    assert [k async for k in redis_client.scan_iter(f"{namespace}:cache:brief:*")]  # the shared entry itself

    # replica 1 posts a brief in a console thread; replica 2 answers a follow-up in that thread
    chat = run([*bot, "chat"], env, tmp_path, stdin="/brief port strike\n/quit\n")
    assert "[thread t1]" in chat.stdout
    script = tmp_path / "follow_up.py"
    script.write_text(FOLLOW_UP)
    answered = run([sys.executable, str(script), "t1", "When do talks resume?"], env, tmp_path)
    reply = json.loads(answered.stdout.strip().splitlines()[-1])
    assert reply["kind"] == "answer", reply  # None would mean replica 2 did not find the thread context
    assert await redis_client.exists(f"{namespace}:state:thread:console:console:t1")
    unknown = run([sys.executable, str(script), "t99", "When do talks resume?"], env, tmp_path)
    assert json.loads(unknown.stdout.strip().splitlines()[-1])["kind"] is None  # a thread nobody started
