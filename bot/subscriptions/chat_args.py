"""The text of ``/brief subscribe``: TOPIC followed by schedule words in any order."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from bot.subscriptions.errors import SubscriptionError
from bot.subscriptions.schedule import _DAY_ALIASES


@dataclass(frozen=True)
class SubscribeArgs:
    topic: str
    cadence: str
    at: str | None
    tz: str | None


_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def parse_subscribe_args(text: str) -> SubscribeArgs:
    """``TOPIC [daily|weekdays|weekly [DAY]|cron "EXPR"] [at HH:MM] [Area/City]`` in any order after TOPIC."""
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError as error:
        raise SubscriptionError(f"Could not read that: {error} (check the quotes).") from error
    topic_words: list[str] = []
    cadence: str | None = None
    at: str | None = None
    tz: str | None = None
    i = 0
    while i < len(words):
        word, low = words[i], words[i].lower()
        if low in ("daily", "weekdays"):
            cadence = low
        elif low == "weekly":
            if i + 1 < len(words) and words[i + 1].lower() in _DAY_ALIASES:
                i += 1
                cadence = f"weekly {words[i]}"
            else:
                cadence = "weekly"
        elif low == "cron":
            rest = words[i + 1 :]
            if rest and len(rest[0].split()) == 5:
                cadence, i = f"cron {rest[0]}", i + 1
            elif len(rest) >= 5:
                cadence, i = "cron " + " ".join(rest[:5]), i + 5
            else:
                raise SubscriptionError('A cron schedule needs 5 fields in quotes, e.g. cron "30 7 * * 1-5".')
        elif low == "at":
            if i + 1 >= len(words):
                raise SubscriptionError("'at' needs a time, e.g. at 08:00.")
            i += 1
            at = words[i]
        elif re.fullmatch(r"\d{1,2}:\d{2}", word):
            at = word
        elif "/" in word or low in ("utc", "gmt"):
            tz = word
        elif cadence is None and at is None and tz is None:
            topic_words.append(word)
        else:
            raise SubscriptionError(
                f"I don't understand '{word}'. Usage: /brief subscribe TOPIC "
                '[daily|weekdays|weekly DAY|cron "..."] [at HH:MM] [Area/City]'
            )
        i += 1
    if not topic_words:
        raise SubscriptionError(
            "Which topic? Usage: /brief subscribe TOPIC [daily|weekdays|weekly DAY] [at HH:MM] [Area/City]"
        )
    return SubscribeArgs(" ".join(topic_words), cadence or "daily", at, tz)


# ------------------------------------------------------------------------------------------------ store
