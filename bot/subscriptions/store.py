"""Chat and CLI subscriptions in the state store, merged with the static ones."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.store.state import StateStore
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
                found[key] = Subscription.from_dict(value)
            except (TypeError, KeyError) as error:
                log.warning("subscription %s in the store is malformed and ignored: %s", key, error)
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
