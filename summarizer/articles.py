"""Article model and loading: a folder of .txt/.md files in, clean articles and one-line warnings out.

A bad file (empty, binary, not UTF-8, too big, unreadable front matter) never stops a brief: it is skipped or
repaired, and ``LoadReport.warnings`` says which file and why. Cleaning lives in ``summarizer.cleaning``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from summarizer import front_matter
from summarizer.cleaning import clean_body, split_title
from summarizer.dates import document_date, parse_published
from summarizer.text import MAX_SENTENCE_CHARS, normalize, split_sentences

SUFFIXES = (".txt", ".md")
# Per-article caps (issue 14): what one file may cost a brief. Bytes are cut before decoding; sentences after
# cleaning, so that a 2 MB paragraph of one repeated phrase cannot turn into 100,000 sentences to rank.
MAX_ARTICLE_BYTES = 2_000_000
MAX_ARTICLE_SENTENCES = 2_000
MAX_ARTICLE_CHARS = 250_000  # after cleaning: a 40,000-word long read fits; downstream scans stay in seconds


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None
    dropped_lines: int = 0

    @cached_property
    def date(self) -> dt.date | None:
        """The article's date: its ``published`` field, else a date line at the top of its text (batch inputs and
        a body still holding its page's date line)."""
        return parse_published(self.published) or document_date(self.body)

    @cached_property
    def content_hash(self) -> str:
        """Computed once per article (the brief's cache key hashes every article of a topic per request)."""
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LoadReport:
    articles: tuple[Article, ...]
    warnings: tuple[str, ...]


class ArticleFolderError(Exception):
    """The article folder itself is missing or unreadable (a single bad file is only a warning)."""


def load_articles(
    path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES, max_sentences: int = MAX_ARTICLE_SENTENCES
) -> LoadReport:
    """Every .txt/.md file of ``path`` (sorted by name) as an Article; bad files become warnings."""
    folder = Path(path)
    if not folder.is_dir():
        raise ArticleFolderError(f"article folder not found: {folder}")
    articles: list[Article] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    root = folder.resolve()
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    for file in files:
        if file.is_symlink() and not inside_folder(file, root):
            warnings.append(f"{file.name}: skipped, a link to outside the article folder")
            continue
        try:
            raw = _read_head(file, max_bytes)
        except OSError as error:
            warnings.append(f"{file.name}: skipped, cannot be read ({error.strerror or error})")
            continue
        article, notes = parse_article(raw, file.stem, str(file), max_bytes=max_bytes, max_sentences=max_sentences)
        warnings.extend(f"{file.name}: {note}" for note in notes)
        if article is None:
            continue
        if article.id in seen:  # a.txt and a.md: the id must stay unique
            warnings.append(f"{file.name}: skipped, same id as {seen[article.id]}")
            continue
        seen[article.id] = file.name
        articles.append(article)
    return LoadReport(tuple(articles), tuple(warnings))


def inside_folder(link: Path, root: Path) -> bool:
    """Whether ``link`` resolves to a place inside ``root`` (resolved); a broken or looping link does not."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return target == root or root in target.parents


def _read_head(file: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes: the extra byte tells a file that was cut from one that fits."""
    with file.open("rb") as handle:
        return handle.read(max_bytes + 1)


def parse_article(
    raw: bytes,
    article_id: str,
    path: str | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    max_sentences: int = MAX_ARTICLE_SENTENCES,
) -> tuple[Article | None, list[str]]:
    """One article from raw bytes, or None with the reason among the notes."""
    notes: list[str] = []
    if len(raw) > max_bytes:
        raw = raw[:max_bytes]
        notes.append(f"larger than {max_bytes} bytes, only the first {max_bytes} were read")
    if not raw.strip():
        return None, [*notes, "skipped, empty file"]
    if _looks_binary(raw):
        return None, [*notes, "skipped, binary content (not a text article)"]
    text, encoding = decode(raw, trimmed=bool(notes))
    if encoding != "utf-8":
        notes.append(f"not valid UTF-8, read as {encoding}")
    text = normalize(text)
    meta, text, meta_note = split_front_matter(text)
    if meta_note:
        notes.append(meta_note)
    title, body_lines, title_dropped = split_title(text, _meta_str(meta, "title"))
    if not title and not body_lines:
        return None, [*notes, "skipped, no text"]
    body, dropped = clean_body(title, body_lines)
    if not body:
        return None, [*notes, "skipped, nothing left after removing boilerplate"]
    body, cap_note = cap_body(body, max_sentences)
    if cap_note:
        notes.append(cap_note)
    article = Article(
        id=article_id,
        title=title,
        body=body,
        outlet=_meta_str(meta, "outlet", "source", "publisher", "site"),
        url=_meta_str(meta, "url", "link"),
        # a page's date line ("Tuesday, January 12, 2010") is dropped from the body as boilerplate: it dates the
        # article when the front matter does not
        published=_meta_str(meta, "published", "date") or _date_line(text),
        path=path,
        dropped_lines=dropped + title_dropped,
    )
    return article, notes


def _date_line(text: str) -> str | None:
    """The ISO date of the date line among a text's first lines, if it has one."""
    found = document_date(text)
    return found.isoformat() if found else None


def cap_body(
    body: str, max_sentences: int = MAX_ARTICLE_SENTENCES, max_chars: int = MAX_ARTICLE_CHARS
) -> tuple[str, str | None]:
    """(body, note): at most ``max_sentences`` sentences and ``max_chars`` characters, cut between sentences.

    A cheap upper bound on the sentence count (end marks, line breaks, forced cuts of over-long sentences)
    skips the split for every ordinary article, so the caps cost nothing where they are not needed.
    """
    ends = sum(body.count(mark) for mark in ".!?\u2026") + body.count("\n") + 1
    if len(body) <= max_chars and ends + 2 * len(body) // MAX_SENTENCE_CHARS <= max_sentences:
        return body, None
    kept: list[str] = []
    count = size = 0
    for paragraph in body.split("\n"):
        room = max_chars - size
        sentences = split_sentences(paragraph[: room + 1])  # never split more text than could be kept
        truncated = len(paragraph) > room
        if not truncated and count + len(sentences) <= max_sentences:
            kept.append(paragraph)
            count, size = count + len(sentences), size + len(paragraph) + 1
            continue
        fitting = sentences[:-1] if truncated else sentences  # the last one may be cut mid-sentence
        part = fitting[: max(0, max_sentences - count)]
        kept.append(" ".join(part))
        count += len(part)
        note = f"longer than {max_sentences} sentences or {max_chars} characters, only the first {count} sentences used"
        return "\n".join(k for k in kept if k), note
    return body, None


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes, or mostly control characters: an image or archive renamed .txt."""
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0.05 * len(sample)


def decode(raw: bytes, trimmed: bool = False) -> tuple[str, str]:
    """UTF-8 (BOM allowed), else Windows-1252, else Latin-1 (which never fails)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        if trimmed and error.start >= len(raw) - 3:  # a multi-byte character cut by max_bytes
            return raw[: error.start].decode("utf-8-sig"), "utf-8"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """(metadata, rest, note): ``summarizer.front_matter``; a bad block is dropped with a note, the text kept."""
    try:
        meta, rest = front_matter.split_front_matter(text)
    except front_matter.FrontMatterError as error:
        return {}, error.rest, f"{error}: ignored"
    return meta, rest, None


def _meta_str(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        if value is not None and not isinstance(value, dict | list):
            text = re.sub(r"\s+", " ", str(value)).strip()
            if text:
                return text
    return None
