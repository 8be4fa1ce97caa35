"""Article model and loading. (Interim version: the summarizer issue replaces the loader and cleaning.)"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


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

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LoadReport:
    articles: tuple[Article, ...]
    warnings: tuple[str, ...]


def load_articles(path: str | Path, max_bytes: int = 2_000_000) -> LoadReport:
    folder = Path(path)
    articles = []
    for file in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md")):
        text = file.read_bytes()[:max_bytes].decode("utf-8", errors="replace").strip()
        if not text:
            continue
        title, _, body = text.partition("\n")
        articles.append(Article(id=file.stem, title=title.strip(), body=body.strip(), path=str(file)))
    return LoadReport(tuple(articles), ())
