"""Durations as people type them: ``90s``, ``30m``, ``6h``, ``2d``, ``1w`` (one number, one unit)."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"([0-9]{1,6})\s*([smhdw])", re.ASCII)
MAX_SECONDS = 10 * 365 * 86400


class BadDuration(ValueError):
    """Not a duration like 30m, 6h or 2d."""


def parse_duration(text: str, max_seconds: int = MAX_SECONDS) -> int:
    """Seconds in ``text``; ``BadDuration`` with an example otherwise (or past ``max_seconds``)."""
    found = _DURATION.fullmatch(text.strip().lower()) if len(text) < 32 else None
    if not found:
        raise BadDuration(f"not a duration: {text[:40]!r} (use a number and a unit, like 30m, 6h or 2d)")
    seconds = int(found.group(1)) * _UNITS[found.group(2)]
    if not 0 < seconds <= max_seconds:
        raise BadDuration(f"duration out of range: {text!r} (between 1s and {format_duration(max_seconds)})")
    return seconds


def format_duration(seconds: float) -> str:
    """The largest whole unit: 1800 -> '30m', 7200 -> '2h', 90 -> '90s'."""
    seconds = int(seconds)
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
