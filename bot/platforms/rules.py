"""Channel-id rules shared by platform modules: printable, bounded, ASCII where the platform's ids are."""

from __future__ import annotations

import re

MAX_CHANNEL = 80


def printable_name(channel: str, what: str = "channel name") -> str:
    """Any short single-line name (the console): no control characters, at most 80 characters."""
    channel = channel.strip()
    if not channel:
        raise ValueError("A digest needs a channel id.")
    if len(channel) > MAX_CHANNEL or not channel.isprintable():
        raise ValueError(f"A {what} is one line of at most {MAX_CHANNEL} printable characters.")
    return channel



def check_pattern(channel: str, pattern: re.Pattern[str], explain: str) -> str:
    channel = channel.strip()
    if not channel:
        raise ValueError("A digest needs a channel id.")
    if not pattern.fullmatch(channel):
        shown = channel if len(channel) <= 40 and channel.isprintable() else repr(channel[:40]) + "..."
        raise ValueError(f"'{shown}' is not {explain}.")
    return channel
