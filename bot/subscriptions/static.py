"""Operator digests from config/digests.toml."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from bot.subscriptions.errors import SubscriptionError
from bot.subscriptions.model import Subscription, make_subscription


def load_static(path: Path) -> tuple[list[Subscription], list[str]]:
    """Operator digests from digests.toml: (subscriptions, warnings). A bad entry is skipped, not fatal."""
    if not path.exists():
        return [], []
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        return [], [f"{path}: not readable as TOML ({error}); no static digests loaded"]
    entries = data.get("digest", [])
    if not isinstance(entries, list):
        return [], [f"{path}: 'digest' must be a list of [[digest]] tables"]
    subs: list[Subscription] = []
    warnings: list[str] = []
    for number, entry in enumerate(entries, 1):
        try:
            if not isinstance(entry, dict):
                raise SubscriptionError("not a table")
            subs.append(
                make_subscription(
                    str(entry.get("platform", "")),
                    str(entry.get("channel", "")),
                    str(entry.get("topic", "")),
                    cadence=str(entry.get("cadence", "daily")),
                    at=str(entry["at"]) if "at" in entry else None,
                    tz=str(entry.get("tz", "UTC")),
                    created_by=f"config:{path.name}",
                    origin="config",
                )
            )
        except SubscriptionError as error:
            warnings.append(f"{path}: digest #{number} skipped: {error}")
    # static digests have no creation moment: a restart inside the grace window may post their last one
    return [replace(s, created_at="") for s in subs], warnings
