"""Secrets out of every message and log line: credentials in URLs, and a logging filter that applies it.

``redis://:PASSWORD@host``, ``https://user:token@slack.example/api/`` and ``?token=...`` query values become
``***``; everything else of the URL stays, so an operator still sees which host was meant.
"""

from __future__ import annotations

import logging
import re

# scheme://user:password@ (the userinfo never holds '/', whitespace or '@'); bounded scheme length keeps the
# scan linear on hostile input (no backtracking over long runs of letters).
_USERINFO = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]{0,30}://)[^/\s@]*@")
_SECRET_PARAM = re.compile(
    r"([?&](?:token|access_token|password|passwd|pwd|secret|key|api_key|apikey|auth|signature|sig)=)[^&#\s]*",
    re.IGNORECASE,
)


def redact(text: object) -> str:
    """``text`` with URL credentials and secret query values replaced by ``***``."""
    return _SECRET_PARAM.sub(r"\1***", _USERINFO.sub(r"\1***@", str(text)))


class RedactingFilter(logging.Filter):
    """Redacts each record's final message (arguments and exception text included) before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install(handler: logging.Handler) -> None:
    """Add the redacting filter to ``handler`` once."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
