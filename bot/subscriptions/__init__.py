"""Digest subscriptions, one concern per module.

A subscription is (platform, channel, topic) plus a schedule in the channel's own time zone. Its id is a
short hash of platform+channel+topic, so subscribing again updates the schedule instead of adding a second
digest. Chat and CLI subscriptions live in the state store, so every replica sees them; operators can also
list static ones in config/digests.toml.

- ``errors``: SubscriptionError, input a person can fix
- ``schedule``: times, zones, cadences, cron; triggers and occurrences
- ``model``: the Subscription record and its validated construction
- ``chat_args``: the text grammar of ``/brief subscribe``
- ``static``: config/digests.toml
- ``store``: the stored subscriptions
- ``chat``: the chat commands
"""

from bot.subscriptions.chat import ChatSubscriptions
from bot.subscriptions.chat_args import SubscribeArgs, parse_subscribe_args
from bot.subscriptions.errors import SubscriptionError
from bot.subscriptions.model import Subscription, make_subscription, normalize_topic, subscription_id
from bot.subscriptions.schedule import (
    format_local,
    last_occurrence,
    next_run,
    normalize_cron,
    occurrences,
    parse_cadence,
    parse_time,
    parse_timezone,
)
from bot.subscriptions.static import load_static
from bot.subscriptions.store import SubscriptionStore

__all__ = [
    "ChatSubscriptions", "SubscribeArgs", "Subscription", "SubscriptionError", "SubscriptionStore",
    "format_local", "last_occurrence", "load_static", "make_subscription", "next_run", "normalize_cron",
    "normalize_topic", "occurrences", "parse_cadence", "parse_subscribe_args", "parse_time", "parse_timezone",
    "subscription_id",
]  # fmt: skip
