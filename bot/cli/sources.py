"""``briefbot sources add|list|remove`` and ``briefbot poll``: the feeds Briefbot follows, and one pass over them."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from bot.cli.common import UserError, _settings, app, sources_app
from bot.settings import Settings


class Format(StrEnum):
    text = "text"
    json = "json"


def _state(settings: Settings) -> Any:
    """The shared state store (SQLite under BRIEFBOT_DATA_DIR, or Redis): sources outlive this process."""
    from bot.app import build_state

    return build_state(settings, settings.namespace)


def _unavailable(error: Exception) -> typer.Exit:
    """The state store cannot be used: one line on stderr, exit 1 (the command could not run at all)."""
    typer.echo(f"briefbot: {error}; nothing was changed, try again", err=True)
    return typer.Exit(1)


def _duration(text: str | None, what: str) -> int | None:
    from bot.sources.duration import BadDuration, parse_duration

    if text is None:
        return None
    try:
        return parse_duration(text)
    except BadDuration as error:
        raise UserError(f"{what}: {error}") from error


@sources_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="An RSS or Atom feed URL (http or https).")],
    name: Annotated[str | None, typer.Option("--name", help="A name to show instead of the URL.")] = None,
    every: Annotated[
        str | None, typer.Option("--every", help="Poll interval like 30m or 6h (default: adaptive).")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Follow a feed. Only registers it: the next `briefbot poll` (or the running bot) fetches it."""
    from bot.app import build_source_registry
    from bot.sources.guard import BadSourceURL, ForbiddenAddress, check_url
    from bot.sources.registry import SourceError, listing

    settings = _settings()
    seconds = _duration(every, "--every")
    if seconds is not None and seconds < settings.source_min_seconds:
        raise UserError(f"--every must be at least {settings.source_min_seconds} s (be polite to the feed)")
    if name is not None and not (0 < len(name.strip()) <= 200):
        raise UserError("--name must be 1 to 200 characters")

    async def run() -> dict[str, Any]:
        from bot.store.state import StateUnavailable

        try:
            await check_url(url, settings.allow_private_sources)
        except (BadSourceURL, ForbiddenAddress) as error:
            raise UserError(f"cannot add {url[:200]}: {error}") from error
        state = _state(settings)
        try:
            registry = build_source_registry(settings, state)
            try:
                source = await registry.add(url, name.strip() if name else None, seconds)
            except SourceError as error:
                raise UserError(str(error)) from error
            return listing(source, await registry.status(source.id), settings.source_every_seconds)
        except StateUnavailable as error:
            raise _unavailable(error) from error
        finally:
            await state.close()

    row = asyncio.run(run())
    if format is Format.json:
        typer.echo(json.dumps(row, indent=2, ensure_ascii=False))
    else:
        typer.echo(row["id"])


@sources_app.command("list")
def list_sources(format: Annotated[Format, typer.Option("--format", "-f")] = Format.text) -> None:
    """The sources, with their last poll, status, last error, articles added and next poll."""
    from bot.app import build_source_registry
    from bot.sources.chat import format_listing

    settings = _settings()

    async def run() -> list[dict[str, Any]]:
        from bot.store.state import StateUnavailable

        state = _state(settings)
        try:
            return await build_source_registry(settings, state).listing(settings.source_every_seconds)
        except StateUnavailable as error:
            raise _unavailable(error) from error
        finally:
            await state.close()

    rows = asyncio.run(run())
    if format is Format.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        typer.echo(format_listing(rows))


@sources_app.command("remove")
def remove(ident: Annotated[str, typer.Argument(help="The source id (see `briefbot sources list`).")]) -> None:
    """Stop following a source (its articles stay until retention removes them)."""
    from bot.app import build_source_registry
    from bot.sources.registry import SourceError

    settings = _settings()

    async def run() -> str:
        from bot.store.state import StateUnavailable

        state = _state(settings)
        try:
            source = await build_source_registry(settings, state).remove(ident)
        except SourceError as error:
            raise UserError(str(error)) from error
        except StateUnavailable as error:
            raise _unavailable(error) from error
        finally:
            await state.close()
        return f"Removed source {source.id} ({source.url})."

    typer.echo(asyncio.run(run()))


@app.command("poll")
def poll(
    all_sources: Annotated[bool, typer.Option("--all", help="Poll every source now, due or not.")] = False,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """One pass over the due sources (every source with --all), then exit."""
    from bot.app import build_article_store, build_poller, build_source_registry
    from bot.sources.ingest import _progress
    from bot.store.articles import StoreUnavailable
    from bot.store.state import StateUnavailable

    settings = _settings()

    async def run() -> Any:
        state = _state(settings)
        store = build_article_store(settings)
        try:
            poller = build_poller(settings, build_source_registry(settings, state), store)
            bar = _progress(format is Format.text)
            async with poller:
                if bar is None:
                    return await poller.run_pass(all_sources)
                with bar:
                    return await poller.run_pass(all_sources, bar)
        except (StoreUnavailable, StateUnavailable) as error:
            typer.echo(f"briefbot: {error}", err=True)
            raise typer.Exit(1) from error
        finally:
            await store.close()
            await state.close()

    report = asyncio.run(run())
    if format is Format.json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(report.summary())
