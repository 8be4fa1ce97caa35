"""`briefbot digest ...` as operators run it: real subprocesses on the real Redis, one namespace per test."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REDIS_URL, ROOT, SEEDS

SCHEDULED = "2026-11-23T08:00:00+01:00"


@pytest.fixture
def cli_env(namespace: str, redis_client, tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "BRIEFBOT_"))}
    env.update(
        REDIS_URL=REDIS_URL,
        BRIEFBOT_NAMESPACE=namespace,
        BRIEFBOT_ARTICLES=str(SEEDS),
        BRIEFBOT_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(ROOT),
    )
    return env


def briefbot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=90
    )


def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_now_from_two_processes_at_once_posts_exactly_one_digest(cli_env) -> None:
    added = briefbot(cli_env, "digest", "add", "--platform", "console", "--channel", "ops",
                     "--topic", "china-russia", "--at", "08:00", "--tz", "Europe/Berlin")  # fmt: skip
    assert added.returncode == 0, added.stderr
    listing = briefbot(cli_env, "digest", "list", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    (row,) = json.loads(listing.stdout)
    assert (row["platform"], row["channel"], row["topic"], row["cadence"], row["at"], row["tz"]) == (
        "console", "ops", "china-russia", "daily", "08:00", "Europe/Berlin",
    )  # fmt: skip
    assert row["next_run"] and row["origin"] == "cli"

    racers = [start(cli_env, "digest", "run-now", row["id"], "--scheduled-for", SCHEDULED) for _ in range(2)]
    results = [(p.wait(timeout=90), *p.communicate()) for p in racers]
    assert [code for code, _, _ in results] == [0, 0], results
    printed = [out for _, out, _ in results if "First digest of china-russia" in out]
    assert len(printed) == 1, results
    assert "China, Russia and the war in Ukraine" in printed[0]
    notes = " ".join(err for _, _, err in results)
    assert "posted to console:ops" in notes and "was already posted" in notes

    again = briefbot(cli_env, "digest", "run-now", row["id"], "--scheduled-for", "2026-11-23T07:00:00Z")
    assert again.returncode == 0 and again.stdout == "" and "was already posted" in again.stderr  # same instant


def test_operator_mistakes_get_one_clear_line(cli_env) -> None:
    bad_time = briefbot(cli_env, "digest", "add", "--platform", "console", "--channel", "ops",
                        "--topic", "china-russia", "--at", "25:00")  # fmt: skip
    assert bad_time.returncode == 2 and "'25:00' is not a time of day" in bad_time.stderr
    assert "Traceback" not in bad_time.stderr
    unknown = briefbot(cli_env, "digest", "run-now", "nosuchid")
    assert unknown.returncode == 2 and "no digest with id nosuchid" in unknown.stderr

    slack = briefbot(cli_env, "digest", "add", "--platform", "slack", "--channel", "C1",
                     "--topic", "china-russia", "--at", "08:00", "--cadence", "weekly fri")  # fmt: skip
    assert slack.returncode == 0, slack.stderr
    sub_id = slack.stdout.split()[2].rstrip(":")
    no_token = briefbot(cli_env, "digest", "run-now", sub_id)
    assert no_token.returncode == 2 and "SLACK_BOT_TOKEN is not set" in no_token.stderr

