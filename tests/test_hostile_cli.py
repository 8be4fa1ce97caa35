"""Issue 14, careless operators: every CLI mistake is exit 2 and a usage line or one sentence, never a traceback.

Real subprocesses of ``python -m bot`` (the same entry point as the installed ``briefbot``). The plain install
(no dev extras, where ``click`` is absent) is exercised by ``./dev smoke``, which runs in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REDIS_URL, ROOT

_UNSET = ("REDIS_URL", "BRIEFBOT_ARTICLES", "BRIEFBOT_ARTICLE_STORE", "SLACK_API_URL", "BRIEFBOT_LOG_LEVEL")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120
    )


def assert_clean(result: subprocess.CompletedProcess, code: int = 2) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert "ModuleNotFoundError" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["brief"], "Missing argument"),
        (["brief", "china-russia", "--format", "xml"], "'xml' is not one of"),
        (["breif", "china-russia"], "Did you mean 'brief'"),
        (["brief", "china-russia", "--lenght", "short"], "--length"),
    ],
)
def test_usage_mistakes_exit_2_with_a_usage_line(args: list[str], expected: str) -> None:
    result = run_cli(*args)
    assert_clean(result)
    assert "Usage: briefbot" in result.stderr
    assert expected in result.stderr


def test_an_infinite_timeout_is_refused_in_one_line() -> None:
    result = run_cli("ingest", "https://example.invalid/", "--timeout", "inf")
    assert_clean(result)
    assert "--timeout" in result.stderr


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("briefbot ") and result.stdout.split()[1][:1].isdigit() or "not installed" in (
        result.stdout
    )


def test_summarize_refuses_a_binary_file_in_one_line() -> None:
    result = run_cli("summarize", "--clusters", sys.executable, "--words", "50")
    assert_clean(result)
    assert "binary file" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_summarize_skips_lines_that_are_not_utf8(tmp_path: Path) -> None:
    good = {"id": "c1", "documents": [{"docno": "d1", "text": "The council approved the budget on Tuesday."}]}
    clusters = tmp_path / "c.jsonl"
    clusters.write_bytes(b"\xd0\xff not utf-8\n" + json.dumps(good).encode() + b"\n")
    result = run_cli("summarize", "--clusters", str(clusters), "--words", "20")
    assert_clean(result, 0)
    assert "line 1 skipped: not UTF-8" in result.stderr
    assert json.loads(result.stdout)["id"] == "c1"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BRIEFBOT_ARTICLE_STORE": "redis"}, "BRIEFBOT_ARTICLE_STORE=redis needs REDIS_URL"),
        ({"REDIS_URL": "notaurl"}, "REDIS_URL: not a Redis URL"),
        ({"REDIS_URL": "redis://:hunter2secret@localhost:99999/0"}, "REDIS_URL: not a Redis URL"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL: must be an http(s) URL"),
        ({"SLACK_API_URL": "https://bot:hunter2secret@slack.com/api/"}, "SLACK_API_URL: must not contain"),
    ],
)
def test_configuration_errors_are_one_line_without_the_value(env: dict[str, str], expected: str) -> None:
    result = run_cli("brief", "china-russia", env=env)
    assert_clean(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "hunter2secret" not in result.stderr and "errors.pydantic.dev" not in result.stderr


def test_a_huge_time_zone_is_one_short_line_without_internal_paths() -> None:
    result = run_cli(
        "digest", "add", "--platform", "console", "--channel", "c1", "--topic", "china-russia", "--at", "08:00",
        "--tz", "A" * 50_000,
        env={"REDIS_URL": REDIS_URL, "BRIEFBOT_NAMESPACE": "bbtest-hostile-tz"},
    )  # fmt: skip
    assert_clean(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Unknown time zone" in lines[0] and len(lines[0]) < 300, result.stderr[:500]
    assert "site-packages" not in result.stderr and "zoneinfo/" not in result.stderr


def test_a_redis_password_never_reaches_a_message_or_the_log() -> None:
    env = {"REDIS_URL": "redis://:hunter2secret@127.0.0.1:1/0", "BRIEFBOT_LOG_LEVEL": "DEBUG"}
    brief = run_cli("brief", "china-russia", "--format", "json", env=env)
    assert brief.returncode == 0, brief.stderr
    ingest = run_cli("ingest", str(ROOT / "seeds"), env=env | {"BRIEFBOT_ARTICLE_STORE": "redis"})
    assert_clean(ingest)
    assert "cannot write to the Redis article store at redis://***@127.0.0.1:1/0" in ingest.stderr
    for result in (brief, ingest):
        assert "hunter2secret" not in result.stderr + result.stdout
