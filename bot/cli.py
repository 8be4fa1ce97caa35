"""The ``briefbot`` command (also ``python -m bot``).

Heavy modules (scikit-learn, torch, slack_bolt, discord) are imported inside the commands that need them,
so ``briefbot --help`` and ``briefbot topics`` start fast. No traceback reaches a user: known problems exit
with code 2 and one clear sentence; unexpected ones exit 1 with a sentence and the log keeps the details.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.settings import Settings

app = typer.Typer(
    name="briefbot",
    help="Briefbot: condensed, cited news briefs in Slack, Discord and the terminal. Runs offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
digest_app = typer.Typer(help="Scheduled digests: add, list, run one now.", no_args_is_help=True)
app.add_typer(digest_app, name="digest")

ArticlesOption = Annotated[
    Path | None,
    typer.Option("--articles", help="Folder of article files (default: $BRIEFBOT_ARTICLES, then ./seeds)."),
]


class BriefFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class AnswerFormat(StrEnum):
    text = "text"
    json = "json"


class Length(StrEnum):
    short = "short"
    full = "full"


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def _settings() -> Settings:
    """The settings every command starts from, with logging set up as they say."""
    try:
        settings = Settings()
    except Exception as error:  # pydantic's ValidationError names the offending setting
        raise UserError(f"invalid configuration: {error}") from error
    _setup_logging(settings)
    return settings


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.WARNING),
        format="briefbot: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def _articles_folder(settings: Settings, articles: Path | None) -> Path | None:
    if articles is None and settings.article_store == "redis":
        return None  # the shared Redis article store (BRIEFBOT_ARTICLE_STORE=redis); --articles still wins
    folder = settings.resolve(Path(articles or settings.articles_dir))
    if not folder.is_dir():
        raise UserError(f"article folder not found: {folder}")
    return folder


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="A named topic (see `briefbot topics`) or free text.")],
    articles: ArticlesOption = None,
    format: Annotated[BriefFormat, typer.Option("--format", "-f")] = BriefFormat.text,
    length: Annotated[Length, typer.Option("--length")] = Length.full,
) -> None:
    """Print a brief of TOPIC from the articles."""
    from bot.app import Briefbot
    from bot.render.text import brief_to_text
    from summarizer.topics import UnknownTopic

    settings = _settings()
    folder = _articles_folder(settings, articles)

    async def run() -> None:
        async with Briefbot(settings, articles_dir=folder) as bot:
            try:
                result = await bot.service.brief(topic, length.value)
            except UnknownTopic as unknown:
                raise UserError(str(unknown)) from unknown
            if format is BriefFormat.json:
                typer.echo(json.dumps(result.brief.to_dict(), indent=2, ensure_ascii=False))
            else:
                typer.echo(brief_to_text(result.brief, markdown=format is BriefFormat.markdown))

    asyncio.run(run())


@app.command()
def ask(
    topic: Annotated[str, typer.Argument(help="The topic whose articles answer the question.")],
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    articles: ArticlesOption = None,
    format: Annotated[AnswerFormat, typer.Option("--format", "-f")] = AnswerFormat.text,
) -> None:
    """Answer a question from a topic's articles only, with citations (or say the articles don't say)."""
    from bot.app import Briefbot
    from bot.render.text import answer_to_text
    from summarizer.topics import UnknownTopic

    settings = _settings()
    folder = _articles_folder(settings, articles)

    async def run() -> None:
        async with Briefbot(settings, articles_dir=folder) as bot:
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
    from bot.app import Briefbot

    settings = _settings()
    folder = _articles_folder(settings, articles)

    async def run() -> None:
        async with Briefbot(settings, articles_dir=folder) as bot:
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
    with clusters.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                cluster = json.loads(line)
                texts = [d["text"] for d in cluster["documents"]]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                print(f"briefbot: warning: line {number} skipped: not a cluster ({error})", file=sys.stderr)
                continue
            summary = summarize_documents(texts, words)
            typer.echo(json.dumps({"id": cluster.get("id"), "summary": summary}, ensure_ascii=False))


@app.command()
def chat(articles: ArticlesOption = None) -> None:
    """A terminal chat with the same commands as Slack and Discord (/brief ..., '> question' in a thread)."""
    from bot.adapters.console import ConsoleAdapter
    from bot.app import Briefbot

    settings = _settings()
    folder = _articles_folder(settings, articles)

    async def run() -> None:
        async with Briefbot(settings, articles_dir=folder) as bot:
            await ConsoleAdapter(bot.core).run()

    asyncio.run(run())


class Platform(StrEnum):
    slack = "slack"
    discord = "discord"
    all = "all"


@app.command()
def run(
    platform: Annotated[Platform, typer.Argument(help="slack, discord, or all")],
    articles: ArticlesOption = None,
) -> None:
    """Run the bot on Slack, Discord or both, with the digest scheduler."""
    from bot.app import run_platforms

    settings = _settings()
    names = ["slack", "discord"] if platform is Platform.all else [platform.value]
    from bot.core.models import StartupError

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

    settings = _settings()
    chosen = client_id or settings.discord_client_id
    if not chosen:
        raise UserError("no client id: pass --client-id or set DISCORD_CLIENT_ID (Developer Portal > OAuth2)")
    try:
        typer.echo(invite_url(chosen))
    except ValueError as error:
        raise UserError(str(error)) from error


def _register_ingest() -> None:
    from bot.ingest_cli import register  # `briefbot ingest PATH|URL|FEED` lives in its own module

    register(app)


_register_ingest()


def main() -> None:
    """Entry point: run the CLI; turn every error into one readable line."""
    try:
        app(standalone_mode=False)
    except UserError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # click's usage errors and anything unexpected
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        logging.getLogger("briefbot").debug("unexpected error", exc_info=True)
        print(f"briefbot: error: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)


from bot import digest_cli  # noqa: E402,F401  registers `briefbot digest ...` on digest_app
