"""One grammar for every app: typed requests, the text parser, and the command table behind help and usage.

- ``requests``: the typed requests the core routes on, and UsageError
- ``table``: one row per command: usage lines, help text, Discord descriptions
- ``grammar``: the text after ``/brief`` -> a request (Slack, the console, Discord's message fallbacks)
"""

from bot.commands.grammar import parse, parse_since, parse_subscribe, subscribe_from_options
from bot.commands.requests import (
    AskRequest,
    BriefRequest,
    HelpRequest,
    Request,
    SourcesRequest,
    SubscribeRequest,
    SubscriptionsRequest,
    TopicsRequest,
    UnsubscribeRequest,
    UsageError,
    is_managing,
)
from bot.commands.table import COMMANDS, help_text, usage

__all__ = [
    "COMMANDS", "AskRequest", "BriefRequest", "HelpRequest", "Request", "SourcesRequest", "SubscribeRequest",
    "SubscriptionsRequest", "TopicsRequest", "UnsubscribeRequest", "UsageError", "help_text", "is_managing",
    "parse", "parse_since", "parse_subscribe", "subscribe_from_options", "usage",
]  # fmt: skip
