"""``/brief sources`` in chat: everyone may list the sources; only admins may add or remove them.

Admins are the user ids named per platform in ``BRIEFBOT_SOURCE_ADMINS`` (``{"slack": ["U1"], "discord":
["42"]}``), and whoever the platform's own rule allows (``Inbound.can_manage``, set by the adapter: Discord's
Manage Channels, Slack's admin list). Adding
from chat runs the same URL check as the CLI, private-address guard included: a chat user must not be able
to make the bot fetch the cloud metadata address or the Redis port.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.commands.requests import SourcesRequest
from bot.core.models import Inbound, Reply, ReplyKind
from bot.sources.duration import BadDuration, parse_duration
from bot.sources.guard import BadSourceURL, ForbiddenAddress, check_url
from bot.sources.registry import SourceError, SourceRegistry

USAGE = "Usage: /brief sources  |  /brief sources add URL [every 30m]  |  /brief sources remove ID"


def _epoch(iso: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(iso).timestamp()


def _when(iso: str | None) -> str:
    return iso.replace("T", " ")[:16] + " UTC" if iso else "never"


def format_listing(rows: Sequence[Mapping[str, Any]]) -> str:
    """One block per source: what ``sources list`` prints and what chat shows."""
    if not rows:
        return "No sources yet. Add one with `briefbot sources add URL`."
    lines = []
    for row in rows:
        health = "" if row.get("healthy", True) else "  UNHEALTHY"
        lines.append(f"{row['id']}  {row['name'] or row['url']}{health}")
        if row["name"]:
            lines.append(f"    {row['url']}")
        status = row["last_status"] or "not polled yet"
        lines.append(
            f"    last poll {_when(row['last_polled'])} ({status}), next {_when(row['next_poll'])}, "
            f"every {row['every_seconds'] // 60} min, {row['articles_added']} article(s) added"
        )
        if row["last_error"]:
            lines.append(f"    last error ({row['consecutive_errors']} in a row): {row['last_error']}")
    return "\n".join(lines)


class SourcesChat:
    def __init__(
        self,
        registry: SourceRegistry,
        admins: Mapping[str, Sequence[str]],
        allow_private: bool,
        default_every: int,
        min_every: int,
    ) -> None:
        self.registry = registry
        self.admins = {k.lower(): {str(u) for u in v} for k, v in admins.items()}
        self.allow_private = allow_private
        self.default_every = default_every
        self.min_every = min_every

    def is_admin(self, inbound: Inbound) -> bool:
        """Named in BRIEFBOT_SOURCE_ADMINS for the platform, or allowed by the platform's own rule (the
        adapter's ``can_manage``); the local console, which has no rule, is its operator's."""
        if inbound.user in self.admins.get(inbound.platform.lower(), set()):
            return True
        return inbound.can_manage is True or (inbound.platform == "console" and inbound.can_manage is None)

    async def sources(self, inbound: Inbound, request: SourcesRequest) -> Reply:
        """The core's entry (``bot.commands`` parsed the text): list, add or remove."""
        if request.action == "list":
            rows = await self.registry.listing(self.default_every)
            if request.since is not None:
                cutoff = request.since.timestamp()
                rows = [r for r in rows if r["last_polled"] and _epoch(r["last_polled"]) >= cutoff]
            return Reply(ReplyKind.TEXT, format_listing(rows), ephemeral=True)
        words = [request.action, *request.target.split()]
        return await self.handle(inbound, " ".join(words))

    async def handle(self, inbound: Inbound, args: str) -> Reply:
        words = args.split()
        head = words[0].lower() if words else "list"
        if head == "list":
            rows = await self.registry.listing(self.default_every)
            return Reply(ReplyKind.TEXT, format_listing(rows), ephemeral=True)
        if head not in ("add", "remove"):
            return Reply(ReplyKind.ERROR, USAGE, ephemeral=True)
        if not self.is_admin(inbound):
            return Reply(ReplyKind.ERROR, "Only Briefbot admins can add or remove sources.", ephemeral=True)
        if len(words) < 2:
            return Reply(ReplyKind.ERROR, USAGE, ephemeral=True)
        try:
            if head == "remove":
                source = await self.registry.remove(words[1])
                return Reply(ReplyKind.TEXT, f"Removed source {source.id} ({source.url}).", ephemeral=True)
            url = words[1].strip("<>")  # Slack wraps links in <...>
            every = None
            if len(words) >= 4 and words[2].lower() == "every":
                every = parse_duration(words[3])
                if every < self.min_every:
                    raise BadDuration(f"the interval must be at least {self.min_every} s")
            await check_url(url, self.allow_private)
            source = await self.registry.add(url, None, every)
        except (SourceError, BadDuration, BadSourceURL, ForbiddenAddress) as problem:
            return Reply(ReplyKind.ERROR, f"Cannot do that: {problem}", ephemeral=True)
        return Reply(
            ReplyKind.TEXT, f"Following {source.url} as source {source.id}; it is fetched at the next poll.",
            ephemeral=True,
        )
