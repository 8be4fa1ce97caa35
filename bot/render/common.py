"""What every renderer shares: which article URLs may become links, and a digest's counts."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def web_url(url: str | None) -> str | None:
    """An article URL that may become a link: http(s) with a host, no whitespace or control characters.
    Anything else (``javascript:``, ``data:``, relative paths) is shown as text, never linked."""
    if not url or _CONTROL.search(url.strip()):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def digest_counts(extra: dict[str, Any]) -> tuple[int, int, str | None] | None:
    """(new articles, new points, since as ISO text or None for a first digest); None for a plain brief."""
    if not extra.get("digest"):
        return None
    articles, points = len(extra.get("new_article_ids") or []), len(extra.get("new_points") or [])
    return articles, points, (str(extra["since"]) if extra.get("since") else None)
