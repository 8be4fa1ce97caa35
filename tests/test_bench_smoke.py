"""Smoke runs of the benchmarks: they must keep working, but their figures are not asserted (speed is
measured by hand and recorded in the README, never judged in a timed test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Each run has its own hang guard (_run's timeout); the suite-wide 120 s would cut a smoke run short on a
# loaded 2-core machine (the nugget smoke took over 120 s beside two benchmark runs).
pytestmark = pytest.mark.timeout(330)

EVAL = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"


def _run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFBOT_ARTICLES")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)


def test_quality_bench_smoke_prints_rouge_table() -> None:
    assert EVAL.is_file()  # the repo carries its evaluation data (bench/data/multiling2011_en)
    result = _run("bench/quality.py", "--smoke", "--no-sumy", "--encoders")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ROUGE-2" in result.stdout or "R2" in result.stdout


def test_nugget_bench_smoke_prints_its_three_tables() -> None:
    result = _run("bench/nuggets.py", "--smoke", "--no-sumy")
    assert result.returncode == 0, result.stderr[-2000:]
    for title in ("GENERIC", "FOCUS", "UPDATE"):
        assert title in result.stdout
    assert "ours: brief (full)" in result.stdout and "%" in result.stdout


def test_speed_bench_quick_runs() -> None:
    result = _run("bench/speed.py", "--quick")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "cache hit" in result.stdout.lower()


def test_docker_compose_file_is_valid() -> None:
    """`docker-compose config` where Debian's docker-compose is installed; a structural check otherwise."""
    compose = ROOT / "docker-compose.yml"
    if shutil.which("docker-compose"):
        result = subprocess.run(
            ["docker-compose", "-f", str(compose), "config", "-q"], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
    import yaml

    data = yaml.safe_load(compose.read_text())
    assert {"redis", "bot"} <= set(data["services"])
    assert data["services"]["bot"]["environment"]["REDIS_URL"].startswith("redis://")
