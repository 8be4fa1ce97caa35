"""Hostile-input benchmark (issue 14): work must grow linearly with input size, and huge files must not stall.

    .venv/bin/python bench/hostile.py

Prints, side by side in one run:
* the sentence splitter on one-paragraph texts of growing size (seconds and microseconds per character: a
  flat per-character cost is linear time; the old splitter's grew with the size, 57 KB 4 s, 228 KB 69 s);
* the boilerplate rules on lines built to make regular expressions backtrack;
* ``briefbot brief`` over the seed folder alone and with a 3 MB one-paragraph file and a 2 MB line of one
  repeated word added (wall-clock seconds of the whole process, and the ratio of the two).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seed_paragraph() -> str:
    return " ".join(line for f in sorted((ROOT / "seeds").glob("*.txt")) for line in f.read_text().split("\n") if line)


def timed(run) -> float:  # noqa: ANN001
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def bench_splitter() -> None:
    from summarizer.text import _split_cached, split_sentences

    base = seed_paragraph()
    print("splitter: one paragraph of seed text")
    print(f"  {'size':>10} {'sentences':>10} {'seconds':>8} {'us/char':>8}")
    for size in (57_000, 228_000, 912_000, 2_000_000):
        text = (base * (size // len(base) + 1))[:size]
        _split_cached.cache_clear()
        seconds = timed(lambda t=text: split_sentences(t))
        print(f"  {size:>10,} {len(split_sentences(text)):>10,} {seconds:>8.2f} {1e6 * seconds / size:>8.2f}")


def bench_cleaning() -> None:
    from summarizer.cleaning import boilerplate_reason

    cases = {
        "prompt + 200k '!'": "please enter your name" + "!" * 200_000 + ",a",
        "'(' + 100k 'photo '": "(" + "photo " * 100_000,
        "url + 200k '!'": "http://" + "!" * 200_000 + " x",
        "2 MB one word": "word" * 500_000,
    }
    print("cleaning: one hostile line")
    for name, line in cases.items():
        print(f"  {name:<24} {timed(lambda v=line: boilerplate_reason(v)):>8.3f} s")


def run_brief(folder: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFBOT_ARTICLES")}
    command = [sys.executable, "-m", "bot", "brief", "china-russia", "--articles", str(folder), "--format", "json"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"brief failed: {result.stderr[-500:]}")
    return seconds


def bench_brief() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain, hostile = Path(tmp) / "plain", Path(tmp) / "hostile"
        shutil.copytree(ROOT / "seeds", plain)
        shutil.copytree(ROOT / "seeds", hostile)
        paragraph = seed_paragraph()
        copies = 3_000_000 // len(paragraph)
        (hostile / "zz_paragraph.txt").write_text("China and Russia\n" + (paragraph + " ") * copies)
        (hostile / "zz_word.txt").write_text("Russia Russia\n" + "Russia " * (2_000_000 // 7))
        seeds_only, with_hostile = run_brief(plain), run_brief(hostile)
    print("briefbot brief china-russia (whole process, wall clock)")
    print(f"  seeds only                     {seeds_only:>6.2f} s")
    print(f"  seeds + 3 MB paragraph + 2 MB word line {with_hostile:>6.2f} s  ({with_hostile / seeds_only:.1f}x)")


if __name__ == "__main__":
    bench_splitter()
    bench_cleaning()
    bench_brief()
