"""``briefbot digest add|list|run-now|remove``: the operator's side of scheduled digests.

Registered on ``bot.cli.common.digest_app`` when ``bot.cli.main`` is imported. ``run-now`` goes through the same
lock and "posted" marker as the scheduler, so running it twice (or from two processes at once, on one Redis
or on the SQLite file of the embedded default) posts one digest; the other run says it was already posted.
A write that cannot be stored (Redis down, data folder not writable) is one clear line and exit code 2,
never "Added".
"""

from __future__ import annotations

import asyncio
import getpass
import json
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from bot.cli.common import ArticlesOption, UserError, _settings, digest_app, open_bot
from bot.redact import redact
from bot.settings import Settings


class ListFormat(StrEnum):
    text = "text"
    json = "json"


def _note(text: str) -> None:
    print(f"briefbot: {text}", file=sys.stderr)


def _latest_occurrence(sub: Any, now: datetime) -> datetime | None:
    """The most recent scheduled instant at or before now (widening the look-back for rare schedules)."""
    from bot.subscriptions import last_occurrence

    for days in (1, 8, 32, 367):
        moment = last_occurrence(sub, now, timedelta(days=days))
        if moment is not None:
            return moment
    return None


def _store_error(error: Exception, wrote: bool = True) -> UserError:
    """The state store could not be used: nothing was stored (or read), and the operator is told why."""
    return UserError(f"{error}; {'nothing was changed, ' if wrote else ''}try again")


def _status_text(status: Any) -> str:
    """The latest failure of a digest, for `digest list` (empty when the last one went out)."""
    if not isinstance(status, dict) or status.get("outcome") != "failed":
        return ""
    return (f"\tLAST FAILED: {status.get('occurrence')} ({status.get('attempts')} attempts, "
            f"{status.get('error')})")  # fmt: skip


def _parse_moment(text: str, tz: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise UserError(f"--scheduled-for '{text}' is not an ISO 8601 time like 2026-03-30T08:00+02:00") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))  # naive: the digest's own zone


@digest_app.command("add")
def add(
    platform: Annotated[str, typer.Option("--platform", help="console, slack, discord (any registered platform)")],
    channel: Annotated[str, typer.Option("--channel", help="The channel id (console: any name).")],
    topic: Annotated[str, typer.Option("--topic", help="A named topic (see `briefbot topics`) or free text.")],
    at: Annotated[str, typer.Option("--at", help="Local time of day, HH:MM.")],
    tz: Annotated[str | None, typer.Option("--tz", help="IANA time zone (default: settings).")] = None,
    cadence: Annotated[
        str, typer.Option("--cadence", help='daily, weekdays, weekly [DAY], or a cron expression "M H D M W"')
    ] = "daily",
    articles: ArticlesOption = None,
) -> None:
    """Add (or update) a scheduled digest; it takes effect on running replicas within the sync interval."""
    from bot.store.state import StateUnavailable
    from bot.subscriptions import SubscriptionError, make_subscription, next_run

    settings = _settings()

    async def run() -> None:
        async with open_bot(articles, settings) as bot:
            try:
                canonical = await bot.subscription_commands.canonical_topic(topic)
                sub = make_subscription(
                    platform,
                    channel,
                    canonical,
                    cadence,
                    None if cadence.strip().lower().startswith("cron") or len(cadence.split()) == 5 else at,
                    tz or settings.default_timezone,
                    created_by=f"cli:{getpass.getuser()}",
                    origin="cli",
                )
            except SubscriptionError as error:
                raise UserError(str(error)) from error
            try:
                replaced = await bot.subscriptions.put(sub)
            except StateUnavailable as error:
                raise _store_error(error) from error
            upcoming = next_run(sub, datetime.now(UTC))
            typer.echo(f"{'Updated' if replaced else 'Added'} digest {sub.id}: {sub.topic} to "
                       f"{sub.platform}:{sub.channel}, {sub.describe()}")  # fmt: skip
            if upcoming:
                typer.echo(f"Next: {upcoming.isoformat()}")

    asyncio.run(run())


@digest_app.command("list")
def list_digests(
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.text,
) -> None:
    """List every digest: subscribed from chat, added here, or configured in digests.toml.

    JSON rows carry ``last_status`` (the latest outcome: posted, or failed with the error and attempts)."""
    from bot.digests import status_key
    from bot.store.state import StateUnavailable, strict
    from bot.subscriptions import next_run

    settings = _settings()

    async def run() -> None:
        async with open_bot(settings=settings, check_folder=False) as bot:
            try:
                subs = await bot.subscriptions.all()
                statuses = {s.id: await strict(bot.state).get_json(status_key(s.id)) for s in subs}
            except StateUnavailable as error:
                raise _store_error(error, wrote=False) from error
            now = datetime.now(UTC)
            if format is ListFormat.json:
                rows = []
                for sub in subs:
                    upcoming = next_run(sub, now)
                    rows.append(sub.to_dict() | {"next_run": upcoming.isoformat() if upcoming else None,
                                                 "last_status": statuses.get(sub.id)})  # fmt: skip
                typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
                return
            if not subs:
                typer.echo("No digests. Add one with `briefbot digest add` or /brief subscribe in chat.")
            for sub in subs:
                upcoming = next_run(sub, now)
                nxt = upcoming.isoformat() if upcoming else "never"
                typer.echo(f"{sub.id}\t{sub.platform}:{sub.channel}\t{sub.topic}\t{sub.describe()}\t"
                           f"next {nxt}\t({sub.origin}, {sub.created_by or '-'})"
                           f"{_status_text(statuses.get(sub.id))}")  # fmt: skip

    asyncio.run(run())


@digest_app.command("remove")
def remove(digest_id: Annotated[str, typer.Argument(metavar="ID", help="The id from `briefbot digest list`.")]) -> None:
    """Remove a digest added from chat or this CLI (static ones live in digests.toml)."""
    from bot.store.state import StateUnavailable

    settings = _settings()

    async def run() -> None:
        async with open_bot(settings=settings, check_folder=False) as bot:
            try:
                removed = await bot.subscriptions.remove(digest_id)
                still = await bot.subscriptions.get(digest_id)
            except StateUnavailable as error:
                raise _store_error(error) from error
            if still is not None:
                raise UserError(f"digest {digest_id} is configured in {settings.digests_file}; remove it there")
            if not removed:
                raise UserError(f"no digest with id {digest_id}; see `briefbot digest list`")
            typer.echo(f"Removed digest {digest_id}.")

    asyncio.run(run())


async def _open_poster(platform: str, bot: Any, settings: Settings) -> tuple[Any, Any]:
    """(poster, async close) for one platform from the registry; missing tokens are a clear UserError."""
    from bot import platforms

    try:
        entry = platforms.get(platform)
    except ValueError as error:
        raise UserError(str(error)) from error
    own = entry.settings(settings)
    if not entry.configured(own):
        raise UserError(f"{entry.credential} is not set: cannot post a {platform} digest from here")
    try:
        adapter = entry.adapter(bot.core, own)
        if entry.prepare_poster is not None:
            await entry.prepare_poster(adapter)
        return adapter, adapter.stop
    except ImportError as error:
        raise UserError(f"the {platform} adapter is not available: {error}") from error
    except UserError:
        raise
    except Exception as error:  # the adapter's own startup check names the setting to fix
        credential = f" (check {entry.credential})" if entry.credential else ""
        raise UserError(f"cannot connect to {platform}{credential}: {error}") from error


@digest_app.command("run-now")
def run_now(
    digest_id: Annotated[str, typer.Argument(metavar="ID", help="The id from `briefbot digest list`.")],
    scheduled_for: Annotated[
        str | None,
        typer.Option(
            "--scheduled-for",
            help="The occurrence, ISO 8601 (naive = the digest's zone). Default: its latest scheduled time.",
        ),
    ] = None,
    articles: ArticlesOption = None,
) -> None:
    """Post one occurrence now, through the scheduler's exactly-once lock (twice -> posted once)."""
    from bot.app import build_digest_runner
    from bot.digests import Outcome, occurrence_stamp
    from bot.store.state import RedisState, StateUnavailable, strict

    settings = _settings()

    async def run() -> None:
        async with open_bot(articles, settings) as bot:
            primary = strict(bot.state)
            if isinstance(primary, RedisState) and not await primary.ping():
                raise UserError(f"Redis at {redact(settings.redis_url)} is unreachable: a digest is only posted with "
                                "Redis up, so that it goes out exactly once")  # fmt: skip
            try:
                sub = await bot.subscriptions.get(digest_id)
            except StateUnavailable as error:
                raise _store_error(error, wrote=False) from error
            if sub is None:
                raise UserError(f"no digest with id {digest_id}; see `briefbot digest list`")
            now = datetime.now(UTC)
            moment = _parse_moment(scheduled_for, sub.tz) if scheduled_for else _latest_occurrence(sub, now)
            moment = moment or now.replace(microsecond=0)
            poster, close = await _open_poster(sub.platform, bot, settings)
            try:
                runner = build_digest_runner(bot, {sub.platform: poster})
                outcome = await runner.run(sub, moment, wait=settings.digest_lock_seconds + 5.0)
            finally:
                await close()
            stamp = occurrence_stamp(moment)
            messages = {
                Outcome.POSTED: f"digest {sub.id} for {stamp} posted to {sub.platform}:{sub.channel}",
                Outcome.ALREADY_POSTED: f"digest {sub.id} for {stamp} was already posted; not posting it again",
                Outcome.IN_PROGRESS: f"digest {sub.id} for {stamp} is being posted by another process",
                Outcome.UNCHANGED_SILENT: f"digest {sub.id} for {stamp}: nothing new, so nothing posted",
            }
            if outcome in messages:
                _note(messages[outcome])
                return
            raise UserError(f"digest {sub.id} for {stamp} was not posted ({outcome}); the log has the details")

    asyncio.run(run())
