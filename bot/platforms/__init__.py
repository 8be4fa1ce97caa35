"""The platform registry: the one place that knows which chat platforms exist.

Each platform module registers a ``Platform``: its adapter factory, its own settings model (read from the
application's settings), its renderer and its channel-id rule. Everything else (``bot.app``, the CLI,
subscriptions) asks the registry, so a new platform is one new module here plus one ``register`` call.
Registering imports no chat SDK: the factories import theirs when called.
"""

from __future__ import annotations

from bot.platforms import console, discord, slack
from bot.platforms.registry import Platform, all_platforms, get, names, register, unregister

for _module in (console, slack, discord):
    register(_module.PLATFORM)

__all__ = ["Platform", "all_platforms", "get", "names", "register", "unregister"]
