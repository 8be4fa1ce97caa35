"""Cache keys carry the engine's version: it must change whenever the summarizer's code does."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import summarizer.version
from summarizer.brief import ENGINE_VERSION


def version_of(folder: Path) -> str:
    spec = importlib.util.spec_from_file_location("copied_version", folder / "version.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.engine_version()


def test_the_version_follows_the_source(tmp_path: Path) -> None:
    package = Path(summarizer.version.__file__).parent
    copy = tmp_path / "summarizer"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert version_of(copy) == ENGINE_VERSION  # the same files, the same version
    brief = copy / "brief.py"
    brief.write_text(brief.read_text() + "\n# a change to the engine\n")
    assert version_of(copy) != ENGINE_VERSION


def test_the_version_says_whether_the_ml_extra_is_installed() -> None:
    """Answers and focused briefs take MiniLM's second chance when the ml extra is installed: a replica without it
    writes other ones, so it must not read their cache entries."""
    from summarizer.encoders import ml_available

    assert ENGINE_VERSION.endswith("+ml") == ml_available()
