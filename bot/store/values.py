"""Stored values are JSON, read one record at a time: a bad record is skipped, never an outage.

``report_corrupt`` logs a bad value once per key (a replica reading it every 30 s must not flood the log)
and counts every sighting in ``briefbot_corrupt_values_total{kind=...}``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger("bot.store")

_MAX_REMEMBERED = 4096  # keys already logged; bounded so a flood of bad keys cannot grow memory
_logged: set[tuple[str, str]] = set()


class _Missing:
    """Marker for "this record could not be read" (None is a valid stored JSON value)."""


CORRUPT = _Missing()


def report_corrupt(kind: str, key: str, error: Exception | str) -> None:
    """Count a value that could not be read; log it the first time this key is seen bad."""
    from bot.metrics import CORRUPT_VALUES

    CORRUPT_VALUES.labels(kind).inc()
    if (kind, key) in _logged:
        return
    if len(_logged) >= _MAX_REMEMBERED:
        _logged.clear()
    _logged.add((kind, key))
    reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    log.warning("unreadable %s value at %r skipped (%s)", kind, key, str(reason)[:200])


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def loads(raw: str | bytes, kind: str, key: str) -> Any:
    """The JSON value, or ``CORRUPT`` (reported) when ``raw`` is not JSON."""
    try:
        return json.loads(raw)
    except (ValueError, TypeError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        report_corrupt(kind, key, error)
        return CORRUPT
