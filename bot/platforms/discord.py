"""Discord: slash commands and thread follow-ups through discord.py (``bot.adapters.discord``)."""

from __future__ import annotations

import re
from typing import Any

from bot.platforms.registry import Platform
from bot.platforms.rules import check_pattern
from bot.settings import DiscordSettings

CHANNEL = re.compile(r"[1-9][0-9]{0,19}", re.ASCII)  # a snowflake: ASCII digits only, at most 20


def settings_from(settings: Any) -> DiscordSettings:
    """The adapter's view: ``settings.discord`` (DISCORD_*), the model bot.settings defines."""
    return settings.discord


def check_channel(channel: str) -> str:
    return check_pattern(channel, CHANNEL, "a Discord channel id (a number, e.g. 1234567890123456789)")


def _adapter(core: Any, own: DiscordSettings) -> Any:
    from bot.adapters.discord import DiscordAdapter

    return DiscordAdapter(core, own)


def _render(reply: Any) -> Any:
    from bot.render.discord import answer_embed, brief_embeds, text_messages

    if reply.brief is not None:
        return {"embeds": brief_embeds(reply.brief)}
    if reply.answer is not None:
        return {"embeds": [answer_embed(reply.answer)]}
    return [{"content": chunk} for chunk in text_messages(reply.text)]


PLATFORM = Platform(
    name="discord",
    settings=settings_from,
    adapter=_adapter,
    renderer=_render,
    channel_rule=check_channel,
    credential="DISCORD_TOKEN",
    configured=lambda own: bool((own.token or "").strip()),
    prepare_poster=lambda adapter: adapter.start(),
)
