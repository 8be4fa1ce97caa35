"""Operator logs: timestamp, level, logger and ids on one line; JSON on request; APScheduler quiet at INFO."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.logging_setup import setup_logging
from tests.conftest import ROOT


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    aps = logging.getLogger("apscheduler").level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(aps)


def test_text_lines_carry_time_level_logger_and_ids(restore_logging: None) -> None:
    out = io.StringIO()
    setup_logging("INFO", "text", stream=out)
    logging.getLogger("bot.digests").info("digest posted\nsecond line", extra={"subscription": "s1", "channel": "C 1"})
    line = out.getvalue()
    assert line.count("\n") == 1  # one event, one line, even with a newline in the message
    stamp, level, name, *rest = line.split(" ")
    assert stamp.endswith("Z") and "T" in stamp and level == "INFO" and name == "bot.digests:"
    assert "subscription=s1" in line and 'channel="C 1"' in line


def test_json_format_is_one_object_per_line_with_the_ids(restore_logging: None) -> None:
    out = io.StringIO()
    setup_logging("INFO", "json", stream=out)
    log = logging.getLogger("bot.sources")
    log.warning("feed failed", extra={"source": "https://example.org/feed.xml", "event": "Ev1"})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("poll crashed", extra={"source": "s2"})
    entries = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["message"] for e in entries] == ["feed failed", "poll crashed"]
    assert entries[0]["source"] == "https://example.org/feed.xml" and entries[0]["event"] == "Ev1"
    assert entries[0]["level"] == "WARNING" and entries[0]["logger"] == "bot.sources" and entries[0]["ts"]
    assert "ValueError: boom" in entries[1]["exc"]


def test_setting_up_twice_does_not_double_lines(restore_logging: None) -> None:
    out = io.StringIO()
    setup_logging("INFO", "text", stream=out)
    setup_logging("INFO", "text", stream=out)
    logging.getLogger("bot").info("once")
    assert out.getvalue().count("once") == 1


def test_apscheduler_job_chatter_only_at_debug(restore_logging: None) -> None:
    out = io.StringIO()
    setup_logging("INFO", "text", stream=out)
    logging.getLogger("apscheduler.executors.default").info('Running job "digest" (scheduled at 08:00)')
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
    assert "Running job" not in out.getvalue() and "was missed" in out.getvalue()
    setup_logging("DEBUG", "text", stream=out)
    logging.getLogger("apscheduler.executors.default").info('Running job "digest" (scheduled at 08:00)')
    assert "Running job" in out.getvalue()


def test_cli_logs_json_when_asked(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "REDIS_"))}
    env |= {"BRIEFBOT_LOG_FORMAT": "json", "BRIEFBOT_LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT)}
    env["BRIEFBOT_DATA_DIR"] = str(tmp_path / "data")  # an empty cache: the brief is computed, not a hit
    result = subprocess.run(
        [sys.executable, "-m", "bot", "brief", "china-russia", "--articles", str(ROOT / "seeds")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    computed = [e for e in entries if e["message"] == "brief computed"]
    assert len(computed) == 1 and computed[0]["topic"] == "china-russia" and computed[0]["articles"] == 5
