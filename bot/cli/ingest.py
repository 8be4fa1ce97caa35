"""``briefbot ingest PATH|URL|FEED ...``: add articles to the article store, with a summary of what happened."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.common import UserError, _settings, app
from bot.sources.ingest import IngestReport, ingest_sources


class IngestFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("ingest")
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, web page URLs or RSS/Atom feed URLs.")],
    articles: Annotated[
        Path | None,
        typer.Option("--articles", help="Folder store to add to (default: $BRIEFBOT_ARTICLES, then ./seeds)."),
    ] = None,
    format: Annotated[IngestFormat, typer.Option("--format", "-f")] = IngestFormat.text,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, max=3600, help="Seconds per download.")] = 20.0,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Parallel downloads.")] = 8,
) -> None:
    """Add articles to the article store (the folder, or Redis with BRIEFBOT_ARTICLE_STORE=redis)."""
    from bot.app import build_article_source
    from bot.store.articles import StoreUnavailable

    settings = _settings()
    if settings.article_store == "redis" and articles is None and not settings.redis_url:
        raise UserError("BRIEFBOT_ARTICLE_STORE=redis needs REDIS_URL")
    folder = None if settings.article_store == "redis" and articles is None else (articles or settings.articles_dir)

    async def run() -> IngestReport:
        store: Any = build_article_source(settings, settings.resolve(Path(folder)) if folder else None)
        try:
            return await ingest_sources(store, sources, timeout, concurrency)
        except StoreUnavailable as error:
            raise UserError(str(error)) from error
        finally:
            await store.close()

    report = asyncio.run(run())
    if format is IngestFormat.json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(report.summary())
