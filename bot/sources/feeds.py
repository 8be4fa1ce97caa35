"""Feed items to clean articles: canonical URLs, UTC dates, the loader's cleaning, teaser detection.

Parsing is ``summarizer.ingest`` (feedparser, trafilatura); this module adds what the poller needs to dedupe
across sources and to keep articles from feeds exactly as clean as articles from files.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from summarizer.articles import Article

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
    """The article cleaned by the folder loader's own steps (``summarizer.cleaning``: boilerplate lines and
    repeated titles dropped) after the same size cap, so feeds, pages and files get one cleaning whichever
    store they go to. Metadata is already parsed here, so there is no front matter to read back."""
    from summarizer.cleaning import clean_body, split_title
    from summarizer.text import normalize

    text = article.body
    raw = text.encode("utf-8")
    if len(raw) > max_bytes:
        text = raw[:max_bytes].decode("utf-8", errors="ignore")
    title, body_lines, title_dropped = split_title(normalize(text), normalize(article.title) or None)
    body, dropped = clean_body(title, body_lines)
    if not body:
        return None
    return Article(
        article.id,
        title or article.title,
        body,
        article.outlet,
        article.url,
        to_utc(article.published),
        article.path,
        dropped + title_dropped,
    )
