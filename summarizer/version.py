"""The engine's version as cache keys need it: a name plus a digest of the summarizer's own source files.

A cached brief or answer is only valid for the code that computed it. A hand-kept version string was bumped
by whoever remembered to; a digest of ``summarizer/*.py`` and its data files (the static vectors answers read)
changes with every change to the engine, so an upgraded bot never serves a brief its new code would not write.
Reading the ~40 files (4 MB) takes a few milliseconds, once per process.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

ENGINE_NAME = "strands-4"


@cache
def engine_version() -> str:
    """The name, the source digest, and "+ml" when the ml extra is installed: answers and focused briefs take
    MiniLM's second chance when it is there, so two replicas with different installs write different ones and
    must not share cache entries."""
    from summarizer.encoders import ml_available

    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")) + sorted(here.glob("data/*.npz")):  # the data answers read, too
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{ENGINE_NAME}+{digest.hexdigest()[:12]}{'+ml' if ml_available() else ''}"
