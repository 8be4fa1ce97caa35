"""What every renderer shares: which article URLs may become links, and a digest's counts."""

from __future__ import annotations

import re
from collections.abc import Callable
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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def digest_line(extra: dict[str, Any], bold: str, date: Callable[[str], str]) -> str | None:
    """A digest's first line: what is new and since when, in the app's own bold marker and date markup
    (``date`` turns an ISO instant into it); None for a plain brief."""
    if not extra.get("digest"):
        return None
    articles, points = len(extra.get("new_article_ids") or []), len(extra.get("new_points") or [])
    if not extra.get("since"):
        return f"{bold}First digest here:{bold} {_plural(articles, 'article')}."
    since = date(str(extra["since"]))
    return f"{bold}New since {since}:{bold} {_plural(articles, 'new article')}, {_plural(points, 'new point')}."
