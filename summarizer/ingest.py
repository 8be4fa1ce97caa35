"""Ingestion: text files, web pages and RSS/Atom feeds into ``Article`` objects, plus per-article features.

A pure library (no network, no bot imports): callers fetch bytes and hand them here, so the same parsing
runs on local files in tests and on downloads in production. Features are computed once, at ingest, and
kept by the article store, because they do not depend on the rest of the corpus:

* ``fingerprint``: a hash of the normalised body text, so the same article reached through two URLs (or
  re-saved with different whitespace) is stored once;
* ``sentences``: the sentence split (summarizer/text.py; splitting is one of the most expensive per-article
  steps of a brief);
* ``vector``: a hashed bag of words of title + lead (no vocabulary, no IDF, so it never goes stale), from
  which discovered topics are clustered without re-reading the bodies.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer.articles import MAX_ARTICLE_BYTES, Article, cap_body, inside_folder
from summarizer.front_matter import FrontMatterError, split_front_matter

MIN_WORDS = 10  # fewer words than this after extraction is not an article (a paywall stub, an empty page)
LEAD_WORDS = 60  # title + this many body words represent an article for clustering
HASH_FEATURES = 2**20  # hashing space: collisions are rare at this size and harmless for clustering
TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".feed"}
_WORD = re.compile(r"\w+", re.UNICODE)
log = logging.getLogger(__name__)


class Unreadable(Exception):
    """The input is not something we can turn into an article (binary, malformed, no text)."""


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its own text when the feed carries the article, else just the link to fetch."""

    title: str
    link: str | None
    published: str | None
    text: str
    outlet: str | None


@dataclass(frozen=True)
class ArticleFeatures:
    """What ingest computes once per article and the store keeps next to it."""

    article_id: str
    content_hash: str
    fingerprint: str
    sentences: tuple[str, ...]
    indices: tuple[int, ...] = field(default=())  # hashed title+lead vector, sparse: column indices
    values: tuple[float, ...] = field(default=())  # ...and their weights (log term counts, unnormalised)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "content_hash": self.content_hash,
            "fingerprint": self.fingerprint,
            "sentences": list(self.sentences),
            "indices": list(self.indices),
            "values": [round(v, 5) for v in self.values],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleFeatures:
        return cls(
            str(data["article_id"]),
            str(data["content_hash"]),
            str(data["fingerprint"]),
            tuple(data.get("sentences", ())),
            tuple(int(i) for i in data.get("indices", ())),
            tuple(float(v) for v in data.get("values", ())),
        )


# ---------------------------------------------------------------- identity and dedup


def normalise_text(text: str) -> str:
    """Case, accents-as-composed, punctuation and whitespace ignored: what 'the same text' means for dedup."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def fingerprint(body: str) -> str:
    """Same article text -> same fingerprint, whatever URL, title tweak or whitespace it came with."""
    return hashlib.sha256(normalise_text(body).encode()).hexdigest()[:20]


def slugify(text: str, max_length: int = 48) -> str:
    """A file-name- and topic-name-safe slug (ASCII letters, digits, dashes)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "article"


def article_id_for(title: str, body: str) -> str:
    """Readable and unique: the title's slug plus the start of the body fingerprint."""
    return f"{slugify(title)}-{fingerprint(body)[:10]}"


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def normalise_date(value: Any) -> str | None:
    """ISO 8601 from a struct_time, datetime or free-form date string; None when it can't be read."""
    if value is None or value == "":
        return None
    try:
        if hasattr(value, "tm_year"):
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).isoformat()
        if isinstance(value, datetime):
            return value.isoformat()
        from dateutil import parser as date_parser

        return date_parser.parse(str(value)).isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


def make_article(
    title: str,
    body: str,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: Any = None,
    path: str | None = None,
) -> Article:
    """An Article with a clean title and body; raises ``Unreadable`` when there is no article text."""
    body = "\n".join(line.strip() for line in body.replace("\r\n", "\n").split("\n")).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)
    body = _capped(body, path or url or title[:80])
    title = " ".join((title or "").split())
    words = word_count(body)
    if words < MIN_WORDS:
        raise Unreadable(f"empty (no article text: {words} words)")
    if not title:
        title = " ".join(body.split()[:12])
    return Article(
        id=article_id_for(title, body),
        title=title,
        body=body,
        outlet=(outlet or None),
        url=(url or None),
        published=normalise_date(published),
        path=path,
    )


def _capped(body: str, name: str) -> str:
    """The per-article caps of the folder loader (bytes, then sentences), with a warning naming the source."""
    encoded = body.encode("utf-8")
    if len(encoded) > MAX_ARTICLE_BYTES:
        body = encoded[:MAX_ARTICLE_BYTES].decode("utf-8", errors="ignore")
        log.warning("%s: larger than %d bytes, only the first %d are kept", name, MAX_ARTICLE_BYTES, MAX_ARTICLE_BYTES)
    body, note = cap_body(body)
    if note:
        log.warning("%s: %s", name, note)
    return body


# ---------------------------------------------------------------- formats


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); anything with NUL bytes is binary, not text."""
    if b"\x00" in data[:4096]:
        raise Unreadable("unreadable (binary data, not text)")
    return data.decode("utf-8-sig", errors="replace")


def parse_text(text: str, *, path: str | None = None, url: str | None = None) -> Article:
    """A .txt/.md article: optional front matter (title, outlet, url, published), else first line = title.

    Front matter is read by ``summarizer.front_matter``, the folder loader's parser (YAML or TOML, no aliases);
    a block it refuses makes the file ``Unreadable`` (skipped with the reason, the batch goes on).
    """
    try:
        meta, content = split_front_matter(text)
    except FrontMatterError as error:
        raise Unreadable(f"unreadable (bad front matter: {error})") from error
    title = _str_or_none(meta.get("title")) or ""
    if not title:
        first, _, rest = content.strip().partition("\n")
        title, content = first.strip().lstrip("#").strip(), rest
    return make_article(
        title,
        content,
        outlet=_str_or_none(meta.get("outlet")),
        url=_str_or_none(meta.get("url")) or url,
        published=meta.get("published"),
        path=path,
    )


def parse_html(html: str | bytes, url: str | None = None, *, path: str | None = None) -> Article:
    """The main text and metadata of a web page (trafilatura); raises ``Unreadable`` if it has none."""
    import trafilatura

    if isinstance(html, bytes):
        html = decode(html)
    try:
        extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
        doc = extracted.as_dict() if hasattr(extracted, "as_dict") else extracted
    except Exception as error:  # lxml errors on pathological markup
        raise Unreadable(f"unreadable (HTML could not be parsed: {type(error).__name__})") from error
    if not doc or not doc.get("text"):
        raise Unreadable("empty (no article text found in the page)")
    return make_article(
        str(doc.get("title") or ""),
        str(doc["text"]),
        outlet=_str_or_none(doc.get("sitename")),
        url=_str_or_none(doc.get("url")) or url,
        published=doc.get("date"),
        path=path,
    )


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """RSS/Atom by declared type or by the first element, without parsing the whole document."""
    kind = (content_type or "").lower()
    if any(t in kind for t in ("rss", "atom", "/xml", "+xml")):
        return True
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head) or (
        head.startswith(b"<rss") or head.startswith(b"<feed")
    )


def parse_feed(data: bytes | str, url: str | None = None) -> list[FeedEntry]:
    """The items of an RSS or Atom feed. Raises ``Unreadable`` when it is not a feed at all."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        reason = type(parsed.get("bozo_exception")).__name__ if parsed.bozo else "no items"
        raise Unreadable(f"unreadable (not an RSS/Atom feed: {reason})")
    outlet = _str_or_none(parsed.feed.get("title"))
    entries = []
    for item in parsed.entries:
        html = ""
        if item.get("content"):
            html = max((c.get("value", "") for c in item["content"]), key=len)
        html = html or item.get("summary", "") or item.get("description", "")
        entries.append(
            FeedEntry(
                title=" ".join(str(item.get("title", "")).split()),
                link=_absolute(item.get("link"), url),
                published=normalise_date(item.get("published_parsed") or item.get("updated_parsed")),
                text=html_to_text(html) if html else "",
                outlet=outlet,
            )
        )
    return entries


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed item content), paragraphs kept as lines."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # broken markup: fall back to dropping tags
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4"):
        block.tail = "\n" + (block.tail or "")
    return "\n".join(" ".join(line.split()) for line in root.text_content().split("\n")).strip()


def entry_article(entry: FeedEntry) -> Article:
    """A feed item whose text is the article (full-content feeds). ``Unreadable`` if it is only a teaser."""
    return make_article(entry.title, entry.text, outlet=entry.outlet, url=entry.link, published=entry.published)


def kind_of_path(path: Path) -> str:
    """'text', 'html', 'feed' or 'other', by suffix."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return "other"


def iter_files(path: Path, skipped: list[tuple[str, str]] | None = None) -> Iterable[Path]:
    """The ingestible files under ``path`` (itself if it is a file), hidden ones skipped, in name order.

    The walk keeps its own stack (no recursion limit on deeply nested folders) and never leaves ``path``:
    a symbolic link is followed only when its target lies inside the folder (a link to /etc/passwd is
    skipped, and reported in ``skipped`` when given); linked folders are not entered (no loops).
    """
    if path.is_file():
        yield path
        return
    root = path.resolve()
    found: list[Path] = []
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            if skipped is not None:
                skipped.append((str(folder), f"unreadable ({error.strerror or error})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            if entry.is_symlink():
                if not inside_folder(child, root):
                    if skipped is not None:
                        skipped.append((str(child), "refused (a link to outside the folder)"))
                    continue
                if child.is_file() and kind_of_path(child) != "other":
                    found.append(child)
            elif entry.is_dir(follow_symlinks=False):
                stack.append(child)
            elif entry.is_file(follow_symlinks=False) and kind_of_path(child) != "other":
                found.append(child)
    yield from sorted(found)


# ---------------------------------------------------------------- front matter out


def to_front_matter(article: Article) -> str:
    """The article as a .txt file with YAML front matter, the format the folder loader reads back.

    One ``key: "value"`` line per field, JSON-quoted (a valid YAML double-quoted scalar): never folded over
    lines, so loaders that normalise whitespace line by line still read it.
    """
    lines = ["---"]
    for key in ("title", "outlet", "url", "published"):
        value = getattr(article, key)
        if value:
            lines.append(f"{key}: {json.dumps(' '.join(str(value).split()), ensure_ascii=False)}")
    lines += ["---", article.body.strip(), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- features


def split_sentences(text: str) -> list[str]:
    """The summarizer's own splitter, so the stored split is the one briefs use."""
    from summarizer.text import split_sentences as engine_split

    return [str(s) for s in engine_split(text)]


def lead_text(article: Article, words: int = LEAD_WORDS) -> str:
    """Title (twice: it is the densest statement of the story) plus the first words of the body."""
    return f"{article.title}\n{article.title}\n{' '.join(article.body.split()[:words])}"


def _hasher() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=HASH_FEATURES,
        alternate_sign=False,
        norm=None,
        stop_words="english",
        token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",  # words of 2+ characters, not bare numbers
    )


def lead_vectors(articles: Sequence[Article]) -> Any:
    """Hashed term counts of title + lead, log-scaled, one sparse row per article (no IDF: corpus-free)."""
    import numpy as np

    matrix = _hasher().transform([lead_text(a) for a in articles]).tocsr()
    matrix.data = 1.0 + np.log(matrix.data)
    return matrix


def compute_features(articles: Sequence[Article], with_sentences: bool = True) -> list[ArticleFeatures]:
    """Features for a batch of articles (vectorised: one hashing pass for the whole batch)."""
    matrix = lead_vectors(articles) if articles else None
    out = []
    for row, article in enumerate(articles):
        assert matrix is not None
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        out.append(
            ArticleFeatures(
                article_id=article.id,
                content_hash=article.content_hash,
                fingerprint=fingerprint(article.body),
                sentences=tuple(split_sentences(article.body)) if with_sentences else (),
                indices=tuple(int(i) for i in matrix.indices[start:end]),
                values=tuple(float(v) for v in matrix.data[start:end]),
            )
        )
    return out


def features_matrix(features: Sequence[ArticleFeatures]) -> Any:
    """Stack stored feature vectors back into one sparse matrix (rows in the given order)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indptr = np.zeros(len(features) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(f.indices) for f in features])
    indices = np.fromiter((i for f in features for i in f.indices), dtype=np.int32, count=int(indptr[-1]))
    data = np.fromiter((v for f in features for v in f.values), dtype=np.float64, count=int(indptr[-1]))
    return csr_matrix((data, indices, indptr), shape=(len(features), HASH_FEATURES))


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _absolute(link: Any, base: str | None) -> str | None:
    if not link:
        return None
    from urllib.parse import urljoin

    return urljoin(base, str(link)) if base else str(link)
