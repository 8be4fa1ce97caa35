"""Console adapter: a real ChatAdapter on stdin/stdout, for local use and for testing the core.

Speaks the same commands as Slack and Discord (``/brief TOPIC``, ``/brief topics``, ``/brief help``: one
grammar, ``bot.commands``). Any other line (``>`` in front is optional) is a message in the thread of the
last brief posted: a follow-up question, never a new brief. Every brief opens a new thread.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Callable
from typing import TextIO

from bot.core.handlers import BriefbotCore
from bot.core.models import Inbound, Reply, ReplyKind, ThreadRef

PROMPT = "briefbot> "


class ConsoleAdapter:
    platform = "console"

    def __init__(
        self,
        core: BriefbotCore,
        out: TextIO | None = None,
        user: str = "console-user",
        channel: str = "console",
    ) -> None:
        self.core = core
        self.out = out or sys.stdout
        self.user = user
        self.channel = channel
        self.last_thread: ThreadRef | None = None
        self._ids = itertools.count(1)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def _write(self, text: str) -> None:
        self.out.write(text.rstrip("\n") + "\n")
        self.out.flush()

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        """Print a reply; a brief gets a new thread id (returned: the caller registers it), which later lines
        answer in."""
        thread = reply.thread
        if reply.kind is ReplyKind.BRIEF:
            thread = ThreadRef(self.platform, channel, f"t{next(self._ids)}")
            self._write(f"\n[thread {thread.thread_id}]\n{reply.text}\n\n(Reply with your question.)")
            self.last_thread = thread
            return thread
        prefix = "  \u21b3 " if thread else ""
        self._write(prefix + reply.text.replace("\n", "\n" + " " * len(prefix)))
        return thread or ThreadRef(self.platform, channel, f"m{next(self._ids)}")  # printed: where it went

    async def handle_line(self, line: str) -> Reply | None:
        """One typed line -> the core -> printed reply. Returns the reply (tests read it)."""
        line = line.strip()
        if not line:
            return None
        if line.startswith("/"):
            if line.split()[0].lower() != "/brief":
                self._write("Unknown command. Try /brief help.")
                return None
            inbound = Inbound(self.platform, self.channel, self.user, line[len("/brief") :], True)
        else:  # a message: a question in the last brief's thread
            if self.last_thread is None:
                self._write("No brief yet: ask for one with /brief TOPIC, then type a question about it.")
                return None
            question = line[1:].strip() if line.startswith(">") else line
            inbound = Inbound(self.platform, self.channel, self.user, question, False, self.last_thread)
        reply = await self.core.handle(inbound)
        if reply is not None:
            where = await self.post(self.channel, reply)
            if reply.kind is ReplyKind.BRIEF and where is not None:
                await self.core.brief_posted(reply, where)
        return reply

    async def run(self, read_line: Callable[[], str] | None = None) -> None:
        """Read lines until EOF or /quit."""
        reader = read_line or (lambda: input(PROMPT))
        self._write("Briefbot console. /brief help for commands, /quit to leave.")
        while True:
            try:
                line = await asyncio.to_thread(reader)
            except (EOFError, KeyboardInterrupt):
                break
            if line.strip() in ("/quit", "/exit"):
                break
            await self.handle_line(line)
