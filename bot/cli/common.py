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
    setup_logging(settings.log_level, settings.log_format)
    warn_unknown_variables()
    return settings


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
