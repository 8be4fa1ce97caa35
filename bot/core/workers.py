"""One process pool for CPU-heavy brief builds and answers, shared by every adapter and the digest runner.

A brief computed in a worker *thread* holds the GIL for tens of milliseconds at a time, so the event loop that
acknowledges Slack within its deadline and heartbeats Discord stalls behind it (bench/slack_ack.py measured ack
p99 at 183 ms). In a worker *process* the loop keeps its GIL. Work goes over as picklable calls: an engine's
bound ``build``/``answer`` pickle as its ``EngineSpec`` (bot.core.engine), articles as frozen dataclasses.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def _worker_init(log_level: int, log_format: str, niceness: int = 0) -> None:
    """Ctrl-C is the parent's to handle (it shuts the pool down); workers log as the parent does and exit
    when the parent is gone (killed with -9, no shutdown), instead of lingering as orphans.

    A positive ``niceness`` lowers the workers' CPU priority: a build is batch work, the parent's event loop
    answers Slack within 3 s and heartbeats Discord, so on a machine with few cores the loop should win the
    core when both want it (bench/slack_ack.py measures the ack latency with and without)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness > 0 and hasattr(os, "nice"):
        os.nice(niceness)
    from bot import redact
    from bot.logging_setup import setup_logging

    redact.install(setup_logging(logging.getLevelName(log_level), log_format))  # as in the parent: no secrets
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class WorkerPool:
    """A lazily started ``ProcessPoolExecutor``; a pool broken by a killed worker is replaced once per call."""

    def __init__(
        self,
        processes: int,
        warm_up: Callable[[], object] | None = None,
        log_format: str = "text",
        niceness: int = 0,
    ) -> None:
        if processes < 1:
            raise ValueError("a worker pool needs at least one process")
        self.processes = processes
        self.niceness = niceness
        self._warm_up = warm_up
        self._log_format = log_format
        self._executor: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: fork is unsafe with the loop's threads, and with forkserver the workers' parent would be
            # the server, not the bot (the parent watch above needs the bot)
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                self.processes,
                mp_context=context,
                initializer=_worker_init,
                initargs=(logging.getLogger().getEffectiveLevel(), self._log_format, self.niceness),
            )
            log.info("worker pool started: %d processes (%s)", self.processes, context.get_start_method())
        return self._executor

    def start(self) -> list[Future[Any]]:
        """Start the processes and warm each up (imports, encoder) before the first request needs them."""
        executor = self._start()
        if self._warm_up is None:
            return []
        return [executor.submit(self._warm_up) for _ in range(self.processes)]

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._start(), fn, *args)
        except BrokenProcessPool:
            log.error("a worker process died (killed or out of memory?); starting a new pool and retrying once")
            self.close()
            return await loop.run_in_executor(self._start(), fn, *args)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
