"""``briefbot ingest PATH|URL|FEED ...``: add articles to the article store, with a summary of what happened."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.common import UserError, _settings, app

if TYPE_CHECKING:
    from bot.sources.ingest import IngestReport


class IngestFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("ingest")
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, web page URLs or RSS/Atom feed URLs.")],
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles",
            help="Folder store to add to (default: the article store in $BRIEFBOT_DATA_DIR, or Redis).",
        ),
    ] = None,
    format: Annotated[IngestFormat, typer.Option("--format", "-f")] = IngestFormat.text,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds per download (finite, above 0).")] = 20.0,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Parallel downloads.")] = 8,
) -> None:
    """Add articles to the article store (SQLite in $BRIEFBOT_DATA_DIR, or Redis with BRIEFBOT_ARTICLE_STORE=redis).

    URLs are fetched through the same guard as live sources: loopback and private hosts are refused unless
    BRIEFBOT_ALLOW_PRIVATE_SOURCES=true."""
    from bot.app import build_article_store
    from bot.sources.fetch import FetchOptions, user_agent
    from bot.sources.ingest import ingest_sources  # feeds, fetch and parsers: not for the other commands
    from bot.store.articles import FolderStore, StoreUnavailable

    settings = _settings()
    if settings.article_store == "redis" and articles is None and not settings.redis_url:
        raise UserError("BRIEFBOT_ARTICLE_STORE=redis needs REDIS_URL")
    try:
        options = FetchOptions(
            timeout=timeout,
            concurrency=concurrency,
            connect_timeout=min(timeout, settings.source_connect_timeout_seconds),
            max_bytes=settings.source_max_bytes,
            max_redirects=settings.source_max_redirects,
            per_host=settings.source_per_host,
            allow_private=settings.allow_private_sources,
            user_agent=user_agent(settings.contact_url),
        )
    except ValueError as error:
        raise UserError(f"--timeout: {error}") from error

    async def run() -> IngestReport:
        store: Any = (
            FolderStore(settings.resolve(Path(articles)), max_bytes=settings.max_article_bytes)
            if articles is not None
            else build_article_store(settings)
        )
        try:
            return await ingest_sources(store, sources, progress=True, options=options)
        except StoreUnavailable as error:
            raise UserError(str(error)) from error
        finally:
            await store.close()

    report = asyncio.run(run())
    if format is IngestFormat.json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(report.summary())
