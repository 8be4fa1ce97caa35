"""Brief pages: a snapshot of each posted brief, reachable only through an HMAC-signed, expiring link.

Why a snapshot and not the brief cache key: the cache holds a topic's brief for ``cache_ttl`` (a day) and may
evict it sooner, while a link in a chat message should show what was posted for as long as the link lives;
and a digest's brief (new points added) is not the cached brief at all. So the posted brief is stored in the
state store under ``page:<id>`` with the link's lifetime, and ``<id>`` is a hash of its content: posting the
same brief twice stores one page, and nobody can name a page they have not been given.

The link is ``{public_url}/briefs/{id}?exp={unix seconds}&sig={HMAC-SHA256(secret, id.exp)}``. An absent,
tampered or expired signature is refused before the store is read. Platform-free (stdlib only), so the core
can attach links to replies and the web server can check them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from bot.core.models import Reply
from bot.store.state import StateStore
from summarizer.models import Brief

log = logging.getLogger(__name__)

PAGE_PATH = "/briefs/"
MIN_SECRET_LENGTH = 16
PAGE_ID = re.compile(r"^[0-9a-f]{32}$")


class LinkError(ValueError):
    """Link settings an operator must fix (BRIEFBOT_PUBLIC_URL without a usable BRIEFBOT_LINK_SECRET)."""


def page_id(brief: Brief) -> str:
    """Content address of a brief: same brief, same id, on every replica."""
    blob = json.dumps(brief.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


class LinkSigner:
    """Signs and checks ``(page id, expiry)`` pairs with one secret."""

    def __init__(self, secret: str) -> None:
        if len(secret.strip()) < MIN_SECRET_LENGTH:
            raise LinkError(f"BRIEFBOT_LINK_SECRET must be at least {MIN_SECRET_LENGTH} characters")
        self._key = secret.strip().encode()

    def sign(self, pid: str, expires: int) -> str:
        digest = hmac.new(self._key, f"{pid}.{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify(self, pid: str, expires: str | None, signature: str | None, now: float) -> bool:
        """True only for a well-formed id, an expiry in the future and the exact signature."""
        if not PAGE_ID.match(pid or "") or not expires or not signature or not expires.isdigit():
            return False
        if len(expires) > 12 or int(expires) <= now:
            return False
        return hmac.compare_digest(self.sign(pid, int(expires)), signature)


class BriefPages:
    """Publishes brief snapshots and builds their links; loads them back for the web server."""

    def __init__(
        self,
        state: StateStore,
        signer: LinkSigner,
        public_url: str | None,
        ttl: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state = state
        self.signer = signer
        self.public_url = public_url.rstrip("/") if public_url else None
        self.ttl = ttl
        self.clock = clock

    def link(self, pid: str) -> str:
        """A signed link to page ``pid`` that expires ``ttl`` seconds from now."""
        expires = int(self.clock() + self.ttl)
        query = urlencode({"exp": expires, "sig": self.signer.sign(pid, expires)})
        return f"{self.public_url or ''}{PAGE_PATH}{pid}?{query}"

    async def publish(self, brief: Brief) -> str:
        """Store the snapshot (for the link's lifetime) and return its signed link."""
        pid = page_id(brief)
        await self.state.set_json(f"page:{pid}", brief.to_dict(), ttl=self.ttl)
        return self.link(pid)

    async def load(self, pid: str) -> Brief | None:
        if not PAGE_ID.match(pid):
            return None
        data = await self.state.get_json(f"page:{pid}")
        try:
            return Brief.from_dict(data) if data else None
        except (KeyError, TypeError, ValueError):
            log.warning("brief page %s: stored snapshot unreadable; treated as gone", pid)
            return None

    def verify(self, pid: str, expires: str | None, signature: str | None) -> bool:
        return self.signer.verify(pid, expires, signature, self.clock())

    async def with_page(self, reply: Reply) -> Reply:
        """``reply`` with ``extra["page_url"]`` when it carries a brief and a public URL is configured.

        A failure to store the snapshot costs the link, never the reply."""
        if reply.brief is None or not self.public_url:
            return reply
        try:
            url = await self.publish(reply.brief)
        except Exception as error:  # the store is down: post the brief without its link
            log.warning("brief page not stored (%s); posting without a Full brief link", type(error).__name__)
            return reply
        return replace(reply, extra={**reply.extra, "page_url": url})


def build_pages(state: StateStore, settings: Any) -> BriefPages | None:
    """Pages from settings: None when no secret is set and no public URL asks for links.

    ``BRIEFBOT_PUBLIC_URL`` without ``BRIEFBOT_LINK_SECRET`` is an error (links could not be checked by
    another replica or after a restart), raised as ``LinkError`` for the caller to report."""
    secret = (getattr(settings, "link_secret", None) or "").strip()
    public = (getattr(settings, "public_url", None) or "").strip() or None
    if public and not re.match(r"^https?://[^\s/]+", public):
        raise LinkError(f"BRIEFBOT_PUBLIC_URL must be an http(s) URL like https://briefbot.example.org, got {public!r}")
    if not secret:
        if public:
            raise LinkError(
                "BRIEFBOT_PUBLIC_URL is set but BRIEFBOT_LINK_SECRET is not: set it to a long random string "
                "(python -c 'import secrets; print(secrets.token_urlsafe(32))'), the same on every replica"
            )
        return None
    return BriefPages(state, LinkSigner(secret), public, float(settings.link_ttl_seconds))
