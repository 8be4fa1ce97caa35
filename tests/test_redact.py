"""bot/redact.py: credentials out of URLs in messages and in every log line."""

from __future__ import annotations

import logging

from bot.redact import RedactingFilter, redact


def test_url_credentials_and_secret_parameters_are_replaced() -> None:
    text = (
        "store at redis://:hunter2@redis.internal:6379/0, api https://bot:tok3n@slack.example/api/?token=xoxb-1&x=2"
    )
    clean = redact(text)
    assert "hunter2" not in clean and "tok3n" not in clean and "xoxb-1" not in clean
    assert "redis://***@redis.internal:6379/0" in clean and "https://***@slack.example/api/?token=***&x=2" in clean


def test_text_without_secrets_is_unchanged() -> None:
    for text in ("redis://localhost:6379/0", "https://slack.com/api/", "mail me at a@b.c", ""):
        assert redact(text) == text


def test_the_filter_redacts_arguments_and_exception_text() -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("test_redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("Redis at %s is unreachable", "redis://:hunter2@h:1/0")
        try:
            raise ConnectionError("cannot reach rediss://u:hunter2@h:1")
        except ConnectionError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    assert records and all("hunter2" not in r for r in records), records
    assert "redis://***@h:1/0" in records[0]


def test_redact_is_linear_on_hostile_text() -> None:
    redact("a" * 200_000 + "://" + "b" * 200_000)  # bounded scheme: no backtracking over the letters
