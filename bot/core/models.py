"""What crosses the seam between adapters and the core: ``Inbound`` in, ``Reply`` out.

Adapters translate their platform's events into ``Inbound`` and a ``Reply`` into their platform's messages
(rendering a brief with ``bot.render``); the core never sees a platform object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from summarizer.models import Answer, Brief


@dataclass(frozen=True)
class ThreadRef:
    """Where a brief was posted: the thread its follow-ups arrive in."""

    platform: str
    channel: str
    thread_id: str

    @property
    def key(self) -> str:
        return f"thread:{self.platform}:{self.channel}:{self.thread_id}"


@dataclass(frozen=True)
class ThreadContext:
    """What a brief's thread needs to answer follow-ups: kept in the state store for 7 days."""

    topic: str
    title: str
    article_ids: tuple[str, ...]
    brief_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "title": self.title,
            "article_ids": list(self.article_ids),
            "brief_id": self.brief_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThreadContext:
        return cls(data["topic"], data["title"], tuple(data["article_ids"]), data["brief_id"])


@dataclass(frozen=True)
class Inbound:
    """One user message. ``is_command``: the text of a /brief command (without "/brief");
    otherwise a message, answered only when it sits in a thread Briefbot started."""

    platform: str
    channel: str
    user: str
    text: str
    is_command: bool = True
    thread: ThreadRef | None = None
    team: str | None = None
    user_name: str | None = None
    # May this user change what the channel receives (subscriptions, sources)? Set by the adapter from the
    # platform's own rule (Discord: Manage Channels; Slack: the admin list); None: the platform has no rule.
    can_manage: bool | None = None


class ReplyKind(StrEnum):
    BRIEF = "brief"
    ANSWER = "answer"
    TEXT = "text"  # help, topics, subscriptions, confirmations
    ERROR = "error"  # the user asked for something we can't do: shown privately where the platform can


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    text: str  # plain-text fallback, always set (notifications, screen readers, the console)
    brief: Brief | None = None
    answer: Answer | None = None
    ephemeral: bool = False
    thread: ThreadRef | None = None  # answer inside this thread
    context: ThreadContext | None = None  # for briefs: remember this under the posted message's thread
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. digest: {"new_points": [...], "since": ...}


class ChatAdapter(Protocol):
    """One per platform (console, Slack, Discord). Started and stopped by ``bot.app``."""

    platform: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def post(self, channel: str, reply: Reply) -> ThreadRef | None:
        """Post unprompted (digests); returns where it was posted so follow-ups can be answered."""
        ...


class StartupError(Exception):
    """An adapter cannot start for a reason the operator can fix (missing or rejected token, bad URL).

    Raised by ``ChatAdapter.start``; the CLI prints the message as one line and exits with code 2.
    """
