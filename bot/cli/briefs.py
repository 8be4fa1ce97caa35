"""``briefbot brief|ask|topics|summarize|chat|run`` and ``briefbot discord invite-url``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import (
    AnswerFormat,
    ArticlesOption,
    BriefFormat,
    Length,
    UserError,
    _settings,
    app,
    open_bot,
)


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="A named topic (see `briefbot topics`) or free text.")],
    articles: ArticlesOption = None,
    format: Annotated[BriefFormat, typer.Option("--format", "-f")] = BriefFormat.text,
    length: Annotated[Length, typer.Option("--length")] = Length.full,
    focus: Annotated[str | None, typer.Option(
        "--focus", help="A question: the brief is built on what the articles say about it.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only articles published within DURATION of now, like 30m, 6h, 2d.")] = None,
) -> None:
    """Print a brief of TOPIC from the articles."""
    from bot.render.text import brief_to_text
    from summarizer.topics import UnknownTopic

    window = parse_duration(since) if since is not None else None
    if focus is not None and not focus.strip():
        raise UserError("--focus needs a question, e.g. --focus \"What did Russia ask for?\"")

    async def run() -> None:
        async with open_bot(articles) as bot:
            try:
                result = await bot.service.brief(topic, length.value, focus=focus, since=window)
            except UnknownTopic as unknown:
                raise UserError(str(unknown)) from unknown
            if window is not None and not result.brief.sources:
                raise UserError(f"no article about {topic!r} was published in the last {since} "
                                "(articles without a publication date are left out by --since)")
            if format is BriefFormat.json:
                typer.echo(json.dumps(result.brief.to_dict(), indent=2, ensure_ascii=False))
            elif format is BriefFormat.html:
                from bot.render.html import brief_to_html  # Jinja2 and matplotlib: only for this format

                typer.echo(brief_to_html(result.brief))
            else:
                typer.echo(brief_to_text(result.brief, markdown=format is BriefFormat.markdown))

    asyncio.run(run())


def parse_duration(text: str) -> dt.timedelta:
    """--since: '30m', '6h', '2d', '1w' as a timedelta (the same parser as sources' --every, up to 100 years)."""
    from bot.sources.duration import BadDuration
    from bot.sources.duration import parse_duration as seconds_in

    try:
        return dt.timedelta(seconds=seconds_in(text, max_seconds=100 * 365 * 86400))
    except BadDuration as error:
        raise UserError(str(error)) from error


@app.command()
def ask(
    topic: Annotated[str, typer.Argument(help="The topic whose articles answer the question.")],
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    articles: ArticlesOption = None,
    format: Annotated[AnswerFormat, typer.Option("--format", "-f")] = AnswerFormat.text,
) -> None:
    """Answer a question from a topic's articles only, with citations (or say the articles don't say)."""
    from bot.render.text import answer_to_text
    from summarizer.topics import UnknownTopic

    async def run() -> None:
        async with open_bot(articles) as bot:
            try:
                match = await bot.service.match(topic)
            except UnknownTopic as unknown:
                raise UserError(str(unknown)) from unknown
            ids = [a.id for a in match.articles]
            answer = await bot.service.answer(question, ids)
            if format is AnswerFormat.json:
                typer.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
            else:
                typer.echo(answer_to_text(answer, {aid: i for i, aid in enumerate(ids, 1)}))

    asyncio.run(run())


@app.command()
def topics(articles: ArticlesOption = None) -> None:
    """List the named topics and how many articles each matches."""
    async def run() -> None:
        async with open_bot(articles) as bot:
            listing = await bot.service.topic_list()
            if not listing:
                typer.echo("No named topics configured (config/topics.toml). Free-text briefs still work.")
            for info in listing:
                marker = "\t(discovered)" if getattr(info, "discovered", False) else ""
                typer.echo(f"{info.name}\t{info.articles} articles\t{info.title}{marker}")

    asyncio.run(run())


@app.command()
def summarize(
    clusters: Annotated[Path, typer.Option("--clusters", help="JSONL: {id, documents: [{docno, text}]}")],
    words: Annotated[int, typer.Option("--words", min=1, help="Word budget per summary.")] = 250,
) -> None:
    """Batch multi-document summaries, one JSON line per cluster (for evaluation)."""
    from summarizer.brief import summarize_documents

    if not clusters.is_file():
        raise UserError(f"cluster file not found: {clusters}")
    with clusters.open("rb") as handle:
        if b"\x00" in handle.read(8192):
            raise UserError(f"{clusters} is a binary file, not JSON lines ({{id, documents: [{{docno, text}}]}})")
        handle.seek(0)
        for number, raw in enumerate(handle, 1):
            try:  # a binary or non-UTF-8 line is skipped like any other bad line (never a traceback)
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                cluster = json.loads(line)
                texts = [d["text"] for d in cluster["documents"]]
                query = cluster.get("query")
                previous = [d["text"] for d in cluster.get("previous_documents") or []]
                if query is not None and not isinstance(query, str):
                    raise TypeError("query must be a string")
                if not all(isinstance(t, str) for t in texts + previous):
                    raise TypeError("document texts must be strings")
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else f"not a cluster ({error})"
                print(f"briefbot: warning: line {number} skipped: {reason}"[:300], file=sys.stderr)
                continue
            summary = summarize_documents(texts, words, query=query, previous=previous)
            typer.echo(json.dumps({"id": cluster.get("id"), "summary": summary}, ensure_ascii=False))


@app.command()
def chat(articles: ArticlesOption = None) -> None:
    """A terminal chat with the same commands as Slack and Discord (/brief ..., '> question' in a thread)."""
    from bot.adapters.console import ConsoleAdapter
    async def run() -> None:
        async with open_bot(articles) as bot:
            await ConsoleAdapter(bot.core).run()

    asyncio.run(run())


@app.command()
def run(
    platform: Annotated[str, typer.Argument(help="A platform (slack, discord, ...) or all of them: all")],
    articles: ArticlesOption = None,
) -> None:
    """Run the bot on Slack, Discord or both, with the digest scheduler; SIGTERM/SIGINT stop it gracefully."""
    from bot import platforms
    from bot.app import run_platforms
    from bot.core.models import StartupError

    settings = _settings()
    runnable = platforms.names(runnable=True)
    wanted = platform.strip().lower()
    if wanted != "all" and wanted not in runnable:
        raise UserError(f"unknown platform '{platform[:40]}': use {', '.join(runnable)} or all")
    names = runnable if wanted == "all" else [wanted]
    try:
        asyncio.run(run_platforms(settings, names, articles_dir=articles))
    except StartupError as error:  # missing or rejected token: one line, exit 2
        raise UserError(str(error)) from error
    except KeyboardInterrupt:
        pass


discord_app = typer.Typer(help="Discord helpers: the invite link.", no_args_is_help=True)
app.add_typer(discord_app, name="discord")


@discord_app.command("invite-url")
def discord_invite_url(
    client_id: Annotated[
        str | None,
        typer.Option("--client-id", help="The application's client id (default: $DISCORD_CLIENT_ID)."),
    ] = None,
) -> None:
    """Print the OAuth2 link that adds Briefbot to a server with exactly the permissions it needs."""
    from bot.adapters.discord import invite_url
    from bot.platforms import get

    chosen = client_id or get("discord").settings(_settings()).client_id
    if not chosen:
        raise UserError("no client id: pass --client-id or set DISCORD_CLIENT_ID (Developer Portal > OAuth2)")
    try:
        typer.echo(invite_url(chosen))
    except ValueError as error:
        raise UserError(str(error)) from error
