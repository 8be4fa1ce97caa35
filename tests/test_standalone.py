"""The repository stands alone: nothing it ships points at files beside the clone (the shared folder) or at a
design document it does not contain; its own docs/architecture.md is the reference."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT

# Spelled in parts so that this file, which holds the patterns, does not itself contain them.
FORBIDDEN = ("../" + "shared", "/work/" + "shared", "DESIGN" + ".md")
SKIP_DIRS = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", "data"}


def tracked_files() -> list[str]:
    """Files git tracks (or, outside a git checkout, every file but caches and virtualenvs)."""
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True)
        return [line for line in out.stdout.splitlines() if line]
    except (OSError, subprocess.CalledProcessError):
        return [
            str(p.relative_to(ROOT))
            for p in ROOT.rglob("*")
            if p.is_file() and not SKIP_DIRS & set(p.relative_to(ROOT).parts)
        ]


def test_nothing_points_outside_the_repository() -> None:
    offenders = []
    for name in tracked_files():
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet committed
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        offenders += [f"{name}: {word}" for word in FORBIDDEN if word in text]
    assert offenders == []


def test_architecture_doc_exists_and_is_pointed_to() -> None:
    doc = ROOT / "docs" / "architecture.md"
    assert doc.is_file()
    text = doc.read_text(encoding="utf-8")
    for heading in ("## The house", "## The seams", "## Import rules", "## Contracts other tools rely on"):
        assert heading in text
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/architecture.md" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
