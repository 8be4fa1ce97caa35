"""The registry itself: ``Platform`` and the functions over the registered ones (see ``bot.platforms``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.core.handlers import BriefbotCore
    from bot.core.models import ChatAdapter, Reply
    from bot.settings import Settings


@dataclass(frozen=True)
class Platform:
    name: str
    settings: Callable[[Settings], Any]  # the application's settings -> this platform's own settings model
    adapter: Callable[[BriefbotCore, Any], ChatAdapter]  # (core, own settings) -> an adapter, not started
    renderer: Callable[[Reply], Any]  # a reply -> this platform's message payload
    channel_rule: Callable[[str], str]  # a channel id as given -> normalised, or ValueError saying why
    runs: bool = True  # `briefbot run NAME` serves it (the console is interactive: `briefbot chat`)
    credential: str = ""  # the variable whose absence means "not configured" (for clear CLI errors)
    configured: Callable[[Any], bool] = lambda _own: True  # own settings -> is the credential there?
    # Make a built adapter ready to post (digest run-now) without serving: Slack needs only its Web API
    # client, Discord must log in. None: nothing to do.
    prepare_poster: Callable[[Any], Awaitable[None]] | None = None

    def check_channel(self, channel: str) -> str:
        return self.channel_rule(channel)

    def build(self, core: BriefbotCore, settings: Settings) -> ChatAdapter:
        """This platform's adapter, given only its own settings."""
        return self.adapter(core, self.settings(settings))


_REGISTRY: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    """Add (or replace) a platform; its name is how subscriptions, the CLI and settings refer to it."""
    _REGISTRY[platform.name] = platform
    return platform


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get(name: str) -> Platform:
    found = _REGISTRY.get(name.strip().lower())
    if found is None:
        raise ValueError(f"Unknown platform '{name[:40]}': use {', '.join(names())}.")
    return found


def names(runnable: bool = False) -> list[str]:
    return [p.name for p in _REGISTRY.values() if p.runs or not runnable]


def all_platforms() -> list[Platform]:
    return list(_REGISTRY.values())
