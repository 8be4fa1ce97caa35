"""The `briefbot` command as a user runs it: real subprocesses, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFBOT_ARTICLES")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120
    )


def test_brief_json_follows_the_contract() -> None:
    result = run_cli("brief", "china-russia", "--format", "json")
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)
    assert list(brief) == [
        "topic", "title", "summary", "points", "quotes", "timeline", "disagreements", "entities", "sources",
        "coverage",
    ]
    ids = {s["id"] for s in brief["sources"]}
    assert len(ids) == 5 and brief["coverage"]["articles"] == 5
    assert 5 <= len(brief["points"]) <= 8
    for point in brief["points"]:
        assert point["sources"] and set(point["sources"]) <= ids
        assert point["corroboration"] == len(set(point["sources"]))
    for key in ("quotes", "timeline", "disagreements", "entities"):
        assert isinstance(brief[key], list)


def test_brief_text_has_numbered_sources_and_citations() -> None:
    result = run_cli("brief", "china-russia")
    assert result.returncode == 0, result.stderr
    assert "Key points" in result.stdout and "[1] " in result.stdout and "Sources" in result.stdout


def test_unknown_topic_exits_2_with_suggestions_and_no_traceback() -> None:
    result = run_cli("brief", "china-rusia")
    assert result.returncode == 2
    assert "china-russia" in result.stderr and "Available topics" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_article_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("brief", "china-russia", "--articles", str(tmp_path / "nope"))
    assert result.returncode == 2 and "not found" in result.stderr and "Traceback" not in result.stderr


def test_articles_env_variable_and_bad_files_do_not_stop_a_brief(seeds_dir: Path) -> None:
    (seeds_dir / "empty.txt").write_bytes(b"")
    (seeds_dir / "binary.txt").write_bytes(bytes(range(256)) * 40)
    result = run_cli("brief", "china-russia", "--format", "json", env={"BRIEFBOT_ARTICLES": str(seeds_dir)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["coverage"]["articles"] == 5
    assert "Traceback" not in result.stderr


def test_topics_lists_counts() -> None:
    result = run_cli("topics")
    assert result.returncode == 0 and "china-russia" in result.stdout and "5 articles" in result.stdout


def test_redis_down_still_answers() -> None:
    result = run_cli("brief", "china-russia", "--format", "json", env={"REDIS_URL": "redis://127.0.0.1:1/0"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["points"]
    assert result.stderr.count("Redis unavailable") == 1


def test_brief_path_imports_no_heavy_platform_modules() -> None:
    """`briefbot brief` must start fast: no torch, transformers, discord or slack on its path."""
    code = (
        "import sys, runpy; sys.argv=['briefbot','brief','china-russia'];\n"
        "from bot.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('torch','transformers','discord','slack_bolt','slack_sdk','apscheduler') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "HEAVY []" in result.stderr, result.stderr


def test_the_cli_runs_numpy_with_one_blas_thread_unless_told_otherwise() -> None:
    """A brief's matrices are small: a second OpenBLAS thread only spins (CPU > wall in a cold brief)."""
    code = ("import bot.cli, numpy\nfrom threadpoolctl import threadpool_info\n"
            "print(sorted({p['num_threads'] for p in threadpool_info() if p['internal_api'] == 'openblas'}))")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    assert out.stdout.strip() == "[1]"
    env["OPENBLAS_NUM_THREADS"] = "2"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    assert out.stdout.strip() == "[2]"  # an operator's setting wins
