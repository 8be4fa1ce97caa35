"""Feed items to clean articles: canonical URLs, UTC dates, the loader's cleaning, teaser detection.

Parsing is ``summarizer.ingest`` (feedparser, trafilatura); this module adds what the poller needs to dedupe
across sources and to keep articles from feeds exactly as clean as articles from files.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from summarizer.articles import Article, parse_article
from summarizer.ingest import to_front_matter

# Query parameters that say how a reader arrived, not what they read.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "__hs", "_hs")
_TRACKING = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mkt_tok", "ref", "ref_src",
    "ref_url", "cmpid", "icid", "ocid", "ncid", "smid", "sr_share", "_ga", "spm", "share", "s_cid", "rss",
    "cid", "feature", "at_medium", "at_campaign", "ito",
}


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters, fragment, default port or letter-case noise in scheme and host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    # http and https of one page are one page
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, host, path, urlencode(sorted(query)), ""))


def to_utc(value: str | None) -> str | None:
    """An ISO 8601 date as UTC (``...+00:00``); a date without a zone is taken as UTC; junk stays None."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            from dateutil import parser as date_parser

            when = date_parser.parse(value)
        except (ValueError, OverflowError, TypeError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat()


def loader_clean(article: Article, max_bytes: int = 2_000_000) -> Article | None:
    """The article as the folder loader would read it back (boilerplate and repeated titles dropped, size cap).

    Feeds, pages and files then go through one cleaning, whichever store the article ends up in.
    """
    raw = to_front_matter(article).encode("utf-8")
    cleaned, _ = parse_article(raw, article.id, article.path, max_bytes=max_bytes)
    if cleaned is None:
        return None
    return Article(
        article.id,
        cleaned.title or article.title,
        cleaned.body,
        article.outlet,
        article.url,
        to_utc(article.published),
        article.path,
        cleaned.dropped_lines,
    )
