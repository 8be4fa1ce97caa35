"""Chat and CLI subscriptions in the state store, merged with the static ones.

The store is strict: a write or read that cannot reach it raises ``StateUnavailable`` for the caller to
report (never answered from memory). A stored record that cannot be used (malformed, unknown time zone,
bad schedule) is skipped with a warning and counted; the other subscriptions are unaffected.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.store.state import StateStore
from bot.store.values import report_corrupt
from bot.subscriptions.model import Subscription

log = logging.getLogger(__name__)

MAP_NAME = "subscriptions"


class SubscriptionStore:
    """Chat/CLI subscriptions in the state store's "subscriptions" map, merged with static ones.

    A stored subscription with the same id as a static one overrides it (the channel changed its schedule).
    """

    def __init__(self, state: StateStore, static: Iterable[Subscription] = ()) -> None:
        self.state = state
        self.static = {s.id: s for s in static}

    async def put(self, sub: Subscription) -> bool:
        """Store; True when it replaced an existing subscription with the same id."""
        existed = sub.id in (await self.state.map_get_all(MAP_NAME))
        await self.state.map_set(MAP_NAME, sub.id, sub.to_dict())
        return existed

    async def remove(self, sub_id: str) -> bool:
        return await self.state.map_delete(MAP_NAME, sub_id)

    async def stored(self) -> dict[str, Subscription]:
        found: dict[str, Subscription] = {}
        for key, value in (await self.state.map_get_all(MAP_NAME)).items():
            try:
                if not isinstance(value, dict):
                    raise TypeError(f"a {type(value).__name__}, not a record")
                sub = Subscription.from_dict(value)
                sub.trigger()  # an unknown time zone or a bad cadence: this one is unusable, not the others
                sub.created()
            except Exception as error:  # anything a stored value can make from_dict or the trigger raise
                report_corrupt("subscription", f"{MAP_NAME}/{key}", error)
                continue
            found[key] = sub
        return found

    async def all(self) -> list[Subscription]:
        merged = dict(self.static) | await self.stored()
        return sorted(merged.values(), key=lambda s: (s.platform, s.channel, s.topic))

    async def get(self, sub_id: str) -> Subscription | None:
        for sub in await self.all():
            if sub.id == sub_id:
                return sub
        return None

    async def for_channel(self, platform: str, channel: str) -> list[Subscription]:
        return [s for s in await self.all() if s.platform == platform and s.channel == channel]


# -------------------------------------------------------------------------------------- chat commands
