"""Turns the text after ``/brief`` into a command. Pure parsing: no I/O, easy to test."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    HELP = "help"
    TOPICS = "topics"
    BRIEF = "brief"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    SUBSCRIPTIONS = "subscriptions"
    SOURCES = "sources"


@dataclass(frozen=True)
class Command:
    action: Action
    args: str = ""  # the rest of the text (topic, subscription options)
    length: str = "full"
    since: str | None = None  # "/brief TOPIC since 2d": a duration, checked by the handler


LENGTHS = ("short", "full")


def parse_command(text: str) -> Command:
    """``""``/``help`` -> help; ``topics``; ``subscribe ...``; ``TOPIC [short|full]`` -> a brief."""
    words = text.strip().split()
    if words and words[0].lower() == "/brief":  # typed in full, e.g. in the console
        words = words[1:]
    if not words or words[0].lower() in ("help", "-h", "--help", "?"):
        return Command(Action.HELP)
    head = words[0].lower()
    rest = " ".join(words[1:])
    if head in ("topics", "list"):
        return Command(Action.TOPICS)
    if head == "subscribe":
        return Command(Action.SUBSCRIBE, rest)
    if head == "unsubscribe":
        return Command(Action.UNSUBSCRIBE, rest)
    if head in ("subscriptions", "subs"):
        return Command(Action.SUBSCRIPTIONS)
    if head == "sources":
        return Command(Action.SOURCES, rest)
    length = "full"
    if len(words) > 1 and words[-1].lower() in LENGTHS:
        length = words[-1].lower()
        words = words[:-1]
    since = None
    if len(words) > 2 and words[-2].lower() == "since":
        since, words = words[-1], words[:-2]
    return Command(Action.BRIEF, " ".join(words), length, since)
