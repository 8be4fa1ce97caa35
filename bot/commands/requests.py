"""Typed requests: what a user asked for, parsed once, whatever the app (text after /brief, Discord options).

The core routes on the request's type; nothing after parsing looks at the raw text again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Length = Literal["short", "full"]
LENGTHS: tuple[Length, ...] = ("short", "full")


class UsageError(ValueError):
    """Input a person can fix: ``str(error)`` says what was wrong, ``usage`` how to write it."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} Usage: {self.usage}" if self.usage else message


@dataclass(frozen=True)
class BriefRequest:
    """``/brief TOPIC [short|full] [since 2d] [focus "QUESTION"]``."""

    topic: str
    length: Length = "full"
    since: datetime | None = None  # only articles published at or after this moment (UTC)
    since_text: str = ""  # as the user wrote it ("2d"), for replies
    focus: str | None = None  # lead with what the articles say about this question


@dataclass(frozen=True)
class AskRequest:
    """``/brief ask TOPIC QUESTION``: one answer from a topic's articles, with citations."""

    topic: str
    question: str


@dataclass(frozen=True)
class SubscribeRequest:
    """``/brief subscribe TOPIC [daily|weekdays|weekly DAY|cron "M H D M W"] [at HH:MM] [Area/City]``."""

    topic: str
    cadence: str = "daily"  # daily | weekdays | weekly DAY | cron EXPR (validated by bot.subscriptions)
    at: str | None = None
    tz: str | None = None


@dataclass(frozen=True)
class UnsubscribeRequest:
    topic: str


@dataclass(frozen=True)
class SubscriptionsRequest:
    pass


@dataclass(frozen=True)
class SourcesRequest:
    """``/brief sources [since 2d]``, ``/brief sources add URL``, ``/brief sources remove ID``."""

    action: Literal["list", "add", "remove"] = "list"
    target: str = ""  # the URL to add or the source id to remove
    since: datetime | None = None
    since_text: str = ""


@dataclass(frozen=True)
class TopicsRequest:
    pass


@dataclass(frozen=True)
class HelpRequest:
    command: str | None = None  # help for one command, or the whole table


Request = (
    BriefRequest
    | AskRequest
    | SubscribeRequest
    | UnsubscribeRequest
    | SubscriptionsRequest
    | SourcesRequest
    | TopicsRequest
    | HelpRequest
)

# Requests that change what a channel receives: only channel managers may make them (bot.core checks).
MANAGING = (SubscribeRequest, UnsubscribeRequest)


def is_managing(request: Request) -> bool:
    if isinstance(request, SourcesRequest):
        return request.action != "list"
    return isinstance(request, MANAGING)
