"""Slack: bolt over HTTP or Socket Mode (``bot.adapters.slack``)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from bot.platforms.registry import Platform
from bot.platforms.rules import check_pattern

# C public, G private/group, D direct message; upper-case letters and digits (Slack's ids are 9-11 today)
CHANNEL = re.compile(r"[CGD][A-Z0-9]{1,20}", re.ASCII)


class SlackSettings(BaseModel):
    """What the Slack adapter reads, and nothing else."""

    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None  # set: Socket Mode; unset: HTTP mode on http_port
    api_url: str | None = None
    http_port: int = 3000
    admins: frozenset[str] = frozenset()  # user ids allowed to change subscriptions/sources; empty: everyone


def settings_from(settings: Any) -> SlackSettings:
    """The adapter's view: ``settings.slack`` (SLACK_*) plus the HTTP port it serves on."""
    slack = settings.slack
    admins = frozenset(a.strip() for a in (slack.admins or "").split(",") if a.strip())
    return SlackSettings(
        bot_token=slack.bot_token,
        signing_secret=slack.signing_secret,
        app_token=slack.app_token,
        api_url=slack.api_url,
        http_port=settings.http_port,
        admins=admins,
    )


def check_channel(channel: str) -> str:
    return check_pattern(channel, CHANNEL, "a Slack channel id (like C0123ABCD: right-click the channel > "
                         "View channel details)")  # fmt: skip


def _adapter(core: Any, own: SlackSettings) -> Any:
    from bot.adapters.slack import SlackAdapter

    return SlackAdapter(core, own)


def _render(reply: Any) -> Any:
    from bot.render.slack import reply_message

    return reply_message(reply)


PLATFORM = Platform(
    name="slack",
    settings=settings_from,
    adapter=_adapter,
    renderer=_render,
    channel_rule=check_channel,
    credential="SLACK_BOT_TOKEN",
    configured=lambda own: bool((own.bot_token or "").strip()),
)
