"""Where the benchmarks find the MultiLing 2011 English evaluation set (not part of this repository).

"MultiLing Pilot 2011 Dataset" by the MultiLing Community, CC BY 3.0 Unported (source texts: WikiNews,
CC BY 2.5), from http://multiling.iit.demokritos.gr. Its distributor asks that it be read in place rather than
copied, so the benchmarks take its location: ``$MULTILING_EVAL`` (the ``multiling2011_en.jsonl`` file), else
``bench/data/multiling2011_en.jsonl`` (ignored by git: put or link your copy there). One line per topic:
``{"id", "documents": [{"docno", "text"}], "references": [{"annotator", "text"}]}``. Scoring recipe:
rouge-score without stemming, each summary cut to the word budget, recall averaged over the three references,
then over topics.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / "bench" / "data" / "multiling2011_en.jsonl"


def multiling_path() -> Path:
    """The configured location (it may not exist: callers say what is missing)."""
    configured = os.environ.get("MULTILING_EVAL", "").strip()
    return Path(configured).expanduser() if configured else LOCAL


def require_multiling(path: Path | None = None) -> Path:
    """The data file, or exit with one line saying how to provide it."""
    path = path or multiling_path()
    if not path.is_file():
        raise SystemExit(
            f"MultiLing 2011 data not found at {path}: set MULTILING_EVAL to your multiling2011_en.jsonl "
            "(see bench/eval_data.py)"
        )
    return path
