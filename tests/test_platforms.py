"""The platform registry: a fourth platform is one ``register`` call, and the rest of Briefbot (running it,
its settings, its channel-id rule, subscriptions, digests and their threads) picks it up from there."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bot import platforms
from bot.app import run_platforms
from bot.core.models import Reply, ReplyKind, ThreadRef
from bot.subscriptions import SubscriptionError, make_subscription


class PigeonSettings(BaseModel):
    loft: str


class PigeonAdapter:
    """A real ChatAdapter that delivers into a list: what the test reads."""

    platform = "pigeon"
    delivered: list[tuple[str, Reply]] = []
    started = asyncio.Event()

    def __init__(self, core: Any, settings: PigeonSettings) -> None:
        self.core = core
        self.settings = settings

    async def start(self) -> None:
        type(self).started.set()

    async def stop(self) -> None:
        return None

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        type(self).delivered.append((channel, reply))
        return ThreadRef("pigeon", channel, f"{self.settings.loft}-{len(self.delivered)}")


@pytest.fixture
def pigeon() -> Any:
    PigeonAdapter.delivered, PigeonAdapter.started = [], asyncio.Event()
    platforms.register(
        platforms.Platform(
            name="pigeon",
            settings=lambda settings: PigeonSettings(loft=settings.namespace),  # only its own settings
            adapter=PigeonAdapter,
            renderer=lambda reply: reply.text.upper(),
            channel_rule=lambda channel: _loft(channel),
        )
    )
    yield PigeonAdapter
    platforms.unregister("pigeon")


def _loft(channel: str) -> str:
    if not re.fullmatch(r"loft-[0-9]{1,3}", channel, re.ASCII):
        raise ValueError(f"'{channel[:20]}' is not a pigeon loft (loft-N)")
    return channel


def test_a_registered_platform_is_known_everywhere(pigeon: Any) -> None:
    assert "pigeon" in platforms.names(runnable=True)
    assert make_subscription("pigeon", "loft-7", "china-russia").platform == "pigeon"
    with pytest.raises(SubscriptionError, match="not a pigeon loft"):
        make_subscription("pigeon", "C0123ABCD", "china-russia")
    assert platforms.get("pigeon").renderer(Reply(ReplyKind.TEXT, "coo")) == "COO"


async def test_a_fourth_platform_runs_and_gets_its_digests(pigeon: Any, settings_factory: Any, tmp_path: Path) -> None:
    digests = tmp_path / "digests.toml"
    digests.write_text(  # every hour, so the start-up catch-up posts the last one
        '[[digest]]\nplatform = "pigeon"\nchannel = "loft-1"\ntopic = "china-russia"\ncadence = "cron 0 * * * *"\n',
        encoding="utf-8",
    )
    settings = settings_factory(digests_file=digests, namespace="pigeons")
    stop = asyncio.Event()
    running = asyncio.create_task(run_platforms(settings, ["pigeon"], stop=stop))
    try:
        for _ in range(1200):  # up to a minute: the digest builds a brief, slow on a loaded machine
            if pigeon.delivered:
                break
            await asyncio.sleep(0.05)
        (channel, reply), = pigeon.delivered
        assert channel == "loft-1" and reply.kind is ReplyKind.BRIEF and reply.brief is not None
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
    assert pigeon.started.is_set()
