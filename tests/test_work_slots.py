"""WorkSlots: a slot given back during a wait is taken again after; cancellation never leaks or duplicates one."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.work import WorkSlots


async def test_released_gives_the_slot_to_others_while_waiting() -> None:
    slots = WorkSlots(1)
    order: list[str] = []
    waiting = asyncio.Event()

    async def rate_limited() -> None:
        async with slots.hold():
            async with WorkSlots.released():
                waiting.set()
                await asyncio.sleep(0.2)  # a Retry-After
            order.append("retried")

    async def other() -> None:
        await waiting.wait()
        async with slots.hold():
            order.append("other")

    await asyncio.wait_for(asyncio.gather(rate_limited(), other()), 5)
    assert order == ["other", "retried"]


async def test_cancelled_while_taking_the_slot_back_leaks_nothing() -> None:
    slots = WorkSlots(1)
    given_back = asyncio.Event()
    taken = asyncio.Event()

    async def waiter() -> None:
        async with slots.hold():
            async with WorkSlots.released():
                given_back.set()
                await taken.wait()  # someone else holds the slot now: taking it back blocks
            pytest.fail("should have been cancelled while taking the slot back")

    task = asyncio.create_task(waiter())
    await asyncio.wait_for(given_back.wait(), 5)
    async with slots.hold():
        taken.set()
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    # exactly one slot left: one holder gets in at once, a second has to wait
    async with slots.hold():
        second = asyncio.create_task(slots.hold().__aenter__())
        await asyncio.sleep(0.05)
        assert not second.done()
        second.cancel()


async def test_released_outside_hold_does_nothing() -> None:
    async with WorkSlots.released():
        pass
    assert await WorkSlots(1).run(sum, [1, 2]) == 3
