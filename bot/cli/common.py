"""What every ``briefbot`` command shares: the Typer apps, settings, logging, the article folder, UserError.

The command modules (``briefs``, ``digest``, ``ingest``) register on these apps; ``bot.cli.main`` imports them
all. Nothing here imports a command module, so the CLI has no import cycle.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot import redact
from bot.logging_setup import setup_logging
from bot.settings import Settings, warn_unknown_variables

if TYPE_CHECKING:
    from bot.app import Briefbot

app = typer.Typer(
    name="briefbot",
    help="Briefbot: condensed, cited news briefs in Slack, Discord and the terminal. Runs offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"briefbot {package_version()}")
        raise typer.Exit()


def package_version() -> str:
    """The installed distribution's version (a source checkout that was never installed says so)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("briefbot")
    except PackageNotFoundError:
        return "(not installed)"


@app.callback()
def _root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Briefbot: condensed, cited news briefs in Slack, Discord and the terminal. Runs offline."""


digest_app = typer.Typer(help="Scheduled digests: add, list, run one now.", no_args_is_help=True)
app.add_typer(digest_app, name="digest")
sources_app = typer.Typer(help="Live sources: the RSS/Atom feeds Briefbot polls.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

ArticlesOption = Annotated[
    Path | None,
    typer.Option("--articles", help="Folder of article files (default: $BRIEFBOT_ARTICLES, then ./seeds)."),
]


class BriefFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"  # one self-contained page (bot/render/html.py)


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
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as error:
        raise UserError(f"invalid configuration: {config_problems(error)}") from error
    except Exception as error:  # an unreadable settings.toml or .env
        raise UserError(f"invalid configuration: {type(error).__name__}: {error}") from error
    handler = setup_logging(settings.log_level, settings.log_format)
    redact.install(handler)  # secrets never reach a log line (issue 14)
    warn_unknown_variables()
    return settings


def config_problems(error: Exception) -> str:
    """pydantic's multi-line report as one line: the variable to fix and why, never the (maybe secret) value."""
    problems = []
    for item in getattr(error, "errors", lambda: [])():
        loc = [str(part) for part in item.get("loc", ())][:2]
        key = ".".join(loc)
        if key.isupper():  # pydantic names a field by its alias (REDIS_URL): that is the variable already
            problems.append(f"{key}: {str(item.get('msg', 'invalid')).removeprefix('Value error, ')}")
            continue
        name = Settings.env_name(key) if loc else ""
        if name and name != key.replace(".", "_").upper():
            name = f"{name} (or {key} in settings.toml)"  # the value may come from either place
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{name}: {message}" if name else message)
    return "; ".join(problems) or str(error).splitlines()[0]


def _articles_folder(settings: Settings, articles: Path | None) -> Path | None:
    if articles is None and settings.article_store == "redis":
        return None  # the shared Redis article store (BRIEFBOT_ARTICLE_STORE=redis); --articles still wins
    folder = settings.resolve(Path(articles or settings.articles_dir))
    if not folder.is_dir():
        raise UserError(f"article folder not found: {folder}")
    return folder


@asynccontextmanager
async def open_bot(
    articles: Path | None = None, settings: Settings | None = None, *, check_folder: bool = True
) -> AsyncIterator[Briefbot]:
    """What every command that needs a Briefbot starts with, in one place: settings and logging, the article
    folder (checked: a missing one is a UserError), one Briefbot for the command's lifetime, closed however
    the command ends."""
    from bot.app import Briefbot

    settings = settings or _settings()
    folder = _articles_folder(settings, articles) if check_folder else None
    async with Briefbot(settings, articles_dir=folder) as bot:
        yield bot
