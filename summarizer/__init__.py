"""Briefbot's summarizer: a pure library. Articles in, briefs and answers out.

It imports nothing from ``bot`` or ``config`` and no chat SDK, so it can be used (and benchmarked) alone.
"""
