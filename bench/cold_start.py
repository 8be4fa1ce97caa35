"""Cold `briefbot brief` as a user runs it: a new process, the brief cache empty, this checkout and another side
by side, runs interleaved (a change in the machine's load hits both alike). CPU = user + system of the process.

    .venv/bin/python bench/cold_start.py --baseline /tmp/old-checkout            # the seeds, 9 runs each
    .venv/bin/python bench/cold_start.py --build 10000 /tmp/store10k             # a store of N synthetic articles
    .venv/bin/python bench/cold_start.py --baseline OLD --store /tmp/store10k --runs 5 --no-seeds

A store (``--build``) is an SQLite article store made by ``briefbot ingest`` of ``bench/corpus.py``'s articles,
with one named topic ("bench-story": the two rarest title words of one story); the brief cache file is deleted
before every run. The baseline is any other checkout of this project (e.g. ``git archive`` of an older commit),
run with this interpreter. Python's bytecode cache is left on, as in a user's install: a shell that sets
``PYTHONDONTWRITEBYTECODE`` makes every start recompile the project's modules (about 0.13 s here).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def clean_env() -> dict[str, str]:
    drop = ("BRIEFBOT_", "REDIS_", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def build(size: int, base: Path) -> None:
    """Write ``size`` synthetic articles, ingest them into ``base/data`` and name one story's topic."""
    from bench.corpus import generate, write, write_story_topic

    items = generate(size)
    source, empty = base / "in", base / "empty"
    write(items, source)
    empty.mkdir(parents=True, exist_ok=True)
    keywords = write_story_topic(items, base / "topics.toml")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "ingest", str(source), "--format", "json"], cwd=ROOT,
                   env=store_env(base), check=True, stdout=subprocess.DEVNULL)
    print(f"built {base}: {size} articles, topic keywords {keywords}, ingest {time.perf_counter() - started:.1f} s")


def store_env(base: Path) -> dict[str, str]:
    return clean_env() | {"BRIEFBOT_DATA_DIR": str(base / "data"), "BRIEFBOT_ARTICLES": str(base / "empty"),
                          "BRIEFBOT_TOPICS_FILE": str(base / "topics.toml")}


def one_run(root: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=root, env=env | {"PYTHONPATH": str(root)},
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{root}: briefbot {' '.join(args)} failed: {done.stderr[-500:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall, done.stdout


def measure(case: str, roots: dict[str, Path], runs: int, store: Path | None) -> None:
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
    outputs: dict[str, str] = {}
    load = os.getloadavg()[0]
    for root in roots.values():  # one untimed run each: bytecode written, files in the page cache
        prepare(store)
        one_run(root, *command(store))
    for _ in range(runs):
        for name, root in roots.items():
            prepare(store)
            cpu, wall, outputs[name] = one_run(root, *command(store))
            results[name].append((cpu, wall))
    articles = json.loads(next(iter(outputs.values())))["coverage"]["articles"]
    same = len(set(outputs.values())) == 1
    print(f"== {case}: {runs} interleaved runs each, load average {load:.1f} -> {os.getloadavg()[0]:.1f}; "
          f"topic of {articles} articles; same output: {same}")
    for name, rows in results.items():
        cpus, walls = [c for c, _ in rows], [w for _, w in rows]
        print(f"   {name:9} wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
              f"CPU median {statistics.median(cpus):.2f} s (min {min(cpus):.2f})")


def prepare(store: Path | None) -> None:
    if store is not None:
        for leftover in (store / "data").glob("cache.sqlite3*"):
            leftover.unlink()


def command(store: Path | None) -> tuple[list[str], dict[str, str]]:
    if store is None:
        return ["brief", "china-russia", "--format", "json"], clean_env() | {"BRIEFBOT_DATA_DIR": tempfile.mkdtemp()}
    return ["brief", "bench-story", "--format", "json"], store_env(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="another checkout to run side by side")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--store", type=Path, action="append", default=[], help="a store made by --build")
    parser.add_argument("--no-seeds", action="store_true", help="measure only the stores")
    parser.add_argument("--build", nargs=2, metavar=("N", "DIR"), help="build a store of N articles in DIR, then exit")
    args = parser.parse_args()
    if args.build:
        build(int(args.build[0]), Path(args.build[1]))
        return
    roots = {"this": ROOT} | ({"baseline": args.baseline} if args.baseline else {})
    if not args.no_seeds:
        measure("seeds", roots, args.runs, None)
    for store in args.store:
        measure(str(store), roots, args.runs, store)


if __name__ == "__main__":
    main()
