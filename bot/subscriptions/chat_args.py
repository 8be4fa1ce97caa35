"""The text of ``/brief subscribe``: kept for callers of ``parse_subscribe_args``; the grammar itself lives in
``bot.commands.grammar`` (one grammar for every app)."""

from __future__ import annotations

from bot.commands import SubscribeRequest, UsageError, parse_subscribe
from bot.subscriptions.errors import SubscriptionError

SubscribeArgs = SubscribeRequest


def parse_subscribe_args(text: str) -> SubscribeRequest:
    """``TOPIC [daily|weekdays|weekly [DAY]|cron "EXPR"] [at HH:MM] [Area/City]``; SubscriptionError if unreadable."""
    try:
        return parse_subscribe(text)
    except UsageError as error:
        raise SubscriptionError(str(error)) from error
