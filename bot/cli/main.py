"""The ``briefbot`` command (also ``python -m bot``).

Heavy modules (scikit-learn, torch, slack_bolt, discord) are imported inside the commands that need them,
so ``briefbot --help`` and ``briefbot topics`` start fast. No traceback reaches a user: usage mistakes exit 2
with Typer's usage line (and a "did you mean" where one fits), known problems exit 2 with one clear sentence,
unexpected ones exit 1 with a sentence while the log keeps the details.

Typer >= 0.20 ships its own copy of click (``typer._click``) and no longer depends on ``click``: nothing here
imports ``click``, and usage errors are left to Typer's standalone mode, which formats and exits by itself.
"""

from __future__ import annotations

import logging
import sys

from bot.cli import briefs, digest, ingest, sources  # noqa: F401  each registers its commands on the apps in common
from bot.cli.common import UserError, app
from bot.redact import redact


def main() -> None:
    """Entry point: run the CLI; turn every error into one readable line."""
    try:
        app(prog_name="briefbot")
    except UserError as error:
        _fail(str(error), 2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # anything unexpected: one line here, the details in the debug log
        logging.getLogger("briefbot").debug("unexpected error", exc_info=True)
        _fail(f"error: {type(error).__name__}: {error}", 1)


def _fail(message: str, code: int) -> None:
    """One line on stderr, secrets redacted and length bounded (the input may be hostile), then exit."""
    line = " ".join(redact(message).split())
    if len(line) > 500:
        line = line[:500] + "\u2026"
    print(f"briefbot: {line}", file=sys.stderr)
    sys.exit(code)
