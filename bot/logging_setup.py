"""Logs for operators: one line per event, with a timestamp, the level, the logger and the event's ids.

Ids travel as ``extra=`` fields (``log.info("digest posted", extra={"subscription": sid})``) and are printed
as ``key=value`` after the message, or as keys of one JSON object per line with ``BRIEFBOT_LOG_FORMAT=json``
(for Loki, CloudWatch, jq). Standard library only: nothing to import at start-up. APScheduler's per-job
INFO chatter ("Running job", "executed successfully") shows only at DEBUG.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

# Attributes every LogRecord has; anything else on a record came in through ``extra=``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
QUIET_BELOW_DEBUG = ("apscheduler",)  # libraries whose INFO is per-job noise for an operator


def record_extras(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra=`` fields of a record (ids such as subscription, source, event, brief)."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")}


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """``2026-11-30T10:00:00.123Z INFO bot.digests: digest posted subscription=s1 channel=C1`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        extras = " ".join(f"{k}={_text_value(v)}" for k, v in record_extras(record).items())
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {message}{' ' + extras if extras else ''}"
        if record.exc_info:
            line += " | " + self.formatException(record.exc_info).replace("\n", " | ")
        return line.replace("\n", " ")


def _text_value(value: Any) -> str:
    text = str(value)
    return json.dumps(text) if (not text or any(c.isspace() or c in "\"=" for c in text)) else text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``ts``, ``level``, ``logger``, ``message``, the extras, ``exc`` if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record_extras(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def level_number(name: str) -> int:
    """``INFO`` -> 20; an unknown name is WARNING rather than a crash at start-up."""
    value = logging.getLevelName(str(name).strip().upper())
    return value if isinstance(value, int) else logging.WARNING


class BriefbotHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Ours, so a second ``setup_logging`` replaces it instead of printing every line twice."""


def setup_logging(level: str = "WARNING", fmt: str = "text", stream: TextIO | None = None) -> logging.Handler:
    """Configure the root logger once per process (replacing an earlier handler of ours); returns the handler."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, BriefbotHandler)]:
        root.removeHandler(old)
    handler = BriefbotHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    number = level_number(level)
    root.setLevel(number)
    for name in QUIET_BELOW_DEBUG:
        logging.getLogger(name).setLevel(number if number <= logging.DEBUG else max(number, logging.WARNING))
    return handler
