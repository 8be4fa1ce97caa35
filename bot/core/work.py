"""Work slots: how many CPU-heavy jobs (brief builds, answers) run at once, shared by every adapter.

Only the CPU work holds a slot: acks, rate-limit waits, retries, posting and cheap commands (help, topics,
subscriptions) never queue behind a brief. The jobs run off the event loop (a worker thread today; the
``run`` method is the one place to swap in a process pool).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DEFAULT_SLOTS = 2


class WorkSlots:
    def __init__(self, slots: int = DEFAULT_SLOTS) -> None:
        self.slots = max(1, slots)
        self._semaphore: asyncio.Semaphore | None = None  # made on first use, on the running loop

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` off the event loop, once a slot is free."""
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        async with self._semaphore:
            return await asyncio.to_thread(fn, *args)
