"""Instants in article metadata, for renderers that show them in each reader's own time zone.

Only a stamp with a time of day is an instant (Slack's ``<!date^...>``, Discord's ``<t:...>`` show it in the
reader's zone); a bare calendar day ("2024-03-01") stays as written, since shifting it by a time zone would
show the wrong day to half the world.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


def parse_instant(value: str | None) -> datetime | None:
    """An aware datetime for a stamp with a time of day (naive stamps are read as UTC), else None."""
    if not value or len(value) > 64 or not _HAS_TIME.search(value):
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            moment = parsedate_to_datetime(text)  # RSS's RFC 2822 dates
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
