"""`briefbot summarize` end to end: a cluster file in, one JSON line per cluster out, never over the cap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from summarizer.brief import summarize_documents
from tests.conftest import ROOT

DOCS = [
    "Storm Ada hit the northern coast on Sunday night, cutting power to 40,000 homes. Winds reached 130 km/h "
    "near the port, the weather service said. Schools in three districts stayed closed on Monday.",
    "Power was cut to about 40,000 homes when Storm Ada reached the northern coast on Sunday. Repair crews "
    "from two neighbouring regions were sent to help restore the lines. The port closed for a day.",
    "Storm Ada left 40,000 homes without electricity on the northern coast, the grid operator said on Monday. "
    "Insurers expect claims to exceed those of last winter's storm. Ferries will resume on Tuesday.",
]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_cli_summarize_caps_words_and_prints_json_lines(tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.jsonl"
    lines = [
        {"id": "storm", "documents": [{"docno": f"d{i}", "text": t} for i, t in enumerate(DOCS)]},
        {"id": "tiny", "documents": [{"docno": "x", "text": DOCS[0]}]},
    ]
    clusters.write_text("\n".join(json.dumps(c) for c in lines) + "\nnot json\n", encoding="utf-8")
    result = run_cli("summarize", "--clusters", str(clusters), "--words", "30")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["storm", "tiny"]
    for o in out:
        assert set(o) == {"id", "summary"}
        assert 0 < len(o["summary"].split()) <= 30
    assert "40,000" in out[0]["summary"]
    assert "line 3 skipped" in result.stderr


def test_summary_ends_at_a_sentence_boundary_and_repeats_nothing() -> None:
    summary = summarize_documents(DOCS, 45)
    assert len(summary.split()) <= 45 and summary.endswith(".")
    assert summary.count("40,000") == 1  # the same fact from three documents is said once


def test_budget_smaller_than_any_sentence_cuts_to_the_budget() -> None:
    assert len(summarize_documents(DOCS, 5).split()) == 5
    assert summarize_documents([], 10) == ""
