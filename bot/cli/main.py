"""The ``briefbot`` command (also ``python -m bot``).

Heavy modules (scikit-learn, torch, slack_bolt, discord) are imported inside the commands that need them,
so ``briefbot --help`` and ``briefbot topics`` start fast. No traceback reaches a user: known problems exit
with code 2 and one clear sentence; unexpected ones exit 1 with a sentence and the log keeps the details.
"""

from __future__ import annotations

import logging
import sys

import typer

from bot.cli import briefs, digest, ingest, sources  # noqa: F401  each registers its commands on the apps in common
from bot.cli.common import UserError, app


def main() -> None:
    """Entry point: run the CLI; turn every error into one readable line."""
    try:
        app(standalone_mode=False)
    except UserError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # click's usage errors and anything unexpected
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        logging.getLogger("briefbot").debug("unexpected error", exc_info=True)
        print(f"briefbot: error: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
