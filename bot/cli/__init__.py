"""The ``briefbot`` command line: ``main`` is the entry point (see ``bot.cli.main``)."""

from bot.cli.main import main

__all__ = ["main"]
