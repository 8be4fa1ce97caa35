"""The ``briefbot`` command line: ``main`` is the entry point (see ``bot.cli.main``).

One BLAS thread unless the environment says otherwise, set before numpy is first imported: every matrix of a
brief is small (at most a few thousand rows), so a second OpenBLAS thread has nothing to share and only
spins, using CPU a busy machine could give to others (the parallelism of ``briefbot run`` is its process
pool, ``BRIEFBOT_BUILD_PROCESSES``). It takes effect only where the CLI is the first to import numpy.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.cli.main import main  # noqa: E402  after the BLAS setting

__all__ = ["main"]
