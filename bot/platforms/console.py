"""The console: the terminal chat (`briefbot chat`) and a digest target that prints on stdout."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.platforms.registry import Platform
from bot.platforms.rules import printable_name


class ConsoleSettings(BaseModel):
    """The console needs no settings."""


def _settings(_settings: Any) -> ConsoleSettings:
    return ConsoleSettings()


def _adapter(core: Any, _own: ConsoleSettings) -> Any:
    from bot.adapters.console import ConsoleAdapter

    return ConsoleAdapter(core)


def _render(reply: Any) -> str:
    return str(reply.text)


PLATFORM = Platform(
    name="console",
    settings=_settings,
    adapter=_adapter,
    renderer=_render,
    channel_rule=lambda channel: printable_name(channel),
    runs=False,
)
