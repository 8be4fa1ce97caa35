"""Work slots: how much heavy work runs at once, shared by every adapter.

Two kinds, two instances: the brief service's CPU slots (brief builds and answers, off the event loop; ``run``
is the one place to swap in a process pool) and the core's request slots (briefs and answers on the event
loop: cache reads, text rendering), so a burst of requests is acknowledged first and served after. Neither is
held by acks, rate-limit waits, retries, posting or cheap commands (help, topics, subscriptions): those never
queue behind a brief.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass
class _Held:
    semaphore: asyncio.Semaphore
    held: bool = True


_HELD: ContextVar[_Held | None] = ContextVar("briefbot_work_slot", default=None)

DEFAULT_SLOTS = 2


class WorkSlots:
    def __init__(self, slots: int = DEFAULT_SLOTS) -> None:
        self.slots = max(1, slots)
        self._semaphore: asyncio.Semaphore | None = None  # made on first use, on the running loop

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """One slot for the duration of the block (given back meanwhile inside ``released``)."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        await self._semaphore.acquire()
        state = _Held(self._semaphore)
        token = _HELD.set(state)
        try:
            yield
        finally:
            _HELD.reset(token)
            if state.held:
                self._semaphore.release()

    @staticmethod
    @asynccontextmanager
    async def released() -> AsyncIterator[None]:
        """Inside ``hold``: give the slot back while only waiting (a platform's Retry-After), take it again
        after. Outside ``hold`` it does nothing."""
        state = _HELD.get()
        if state is None or not state.held:
            yield
            return
        state.held = False
        state.semaphore.release()
        try:
            yield
        finally:
            await state.semaphore.acquire()  # cancelled here: not held, so ``hold`` does not release it
            state.held = True

    async def run(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """``fn(*args, **kwargs)`` off the event loop, once a slot is free."""
        async with self.hold():
            return await asyncio.to_thread(fn, *args, **kwargs)
