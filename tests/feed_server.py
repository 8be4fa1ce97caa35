"""A loopback feed server for the live-sources tests: feeds with ETag/Last-Modified and 304s, teaser pages,
and the hostile cases a fetcher must survive (500, non-XML, a stall, an oversized body, two-write pages,
redirects). Port 0; every loop is bounded."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

PARAGRAPH = (
    "The delegation met for six hours in the capital on Tuesday and agreed a framework on grain exports, "
    "shipping insurance and the inspection of vessels, officials from both sides said in statements. "
)


def article_text(topic: str, n: int, paragraphs: int = 4) -> str:
    """A distinct article body of ``paragraphs`` paragraphs about ``topic``."""
    return "\n\n".join(
        f"{topic} report {n}, part {p}: {PARAGRAPH}Negotiator number {n * 10 + p} called the result "
        f"a step forward for {topic}." for p in range(paragraphs)
    )


@dataclass
class Item:
    title: str
    link: str
    text: str  # description (full text or teaser)
    published: datetime


def rss(title: str, items: list[Item]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
        f"<description>{escape(i.text)}</description>"
        f"<pubDate>{format_datetime(i.published.astimezone(UTC), usegmt=True)}</pubDate></item>"
        for i in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title>{entries}</channel></rss>"
    ).encode()


def html_page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{escape(title)}</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article><footer>Copyright</footer></body></html>"
    ).encode()


@dataclass
class FeedServer:
    host: str = "127.0.0.1"
    feeds: dict[str, tuple[str, list[Item]]] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    conditional_hits: Counter[str] = field(default_factory=Counter)  # answered 304
    user_agents: list[str] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    retry_after: str = "120"
    feed_delay: float = 0.0  # seconds before each feed answers (a slow host)
    base: str = ""
    _runner: Any = None

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def add_feed(self, name: str, title: str, items: list[Item]) -> str:
        self.feeds[name] = (title, items)
        return self.url(f"/feed/{name}")

    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_get("/feed/{name}", self._feed)
        app.router.add_get("/page/{name}", self._page)
        app.router.add_get("/status/{code}", self._status)
        app.router.add_get("/garbage", self._garbage)
        app.router.add_get("/stall", self._stall)
        app.router.add_get("/huge", self._huge)
        app.router.add_get("/twowrite", self._twowrite)
        app.router.add_get("/go/{name}", self._redirect)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://{self.host}:{port}"
        return self

    async def stop(self) -> None:
        await self._runner.shutdown()  # closes open connections, so a stalled handler does not hold teardown
        await self._runner.cleanup()

    def _count(self, request: web.Request) -> None:
        self.hits[request.path] += 1
        self.user_agents.append(request.headers.get("User-Agent", ""))

    async def _feed(self, request: web.Request) -> web.Response:
        self._count(request)
        name = request.match_info["name"]
        if name not in self.feeds:
            raise web.HTTPNotFound()
        title, items = self.feeds[name]
        if self.feed_delay:
            await asyncio.sleep(self.feed_delay)
        body = rss(title, items)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        newest = max((i.published for i in items), default=datetime(2020, 1, 1, tzinfo=UTC))
        modified = format_datetime(newest.astimezone(UTC), usegmt=True)
        if request.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in request.headers and request.headers.get("If-Modified-Since") == modified
        ):
            self.conditional_hits[request.path] += 1
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(
            body=body, content_type="application/rss+xml", headers={"ETag": etag, "Last-Modified": modified}
        )

    async def _page(self, request: web.Request) -> web.Response:
        self._count(request)
        name = request.match_info["name"]
        if name not in self.pages:
            raise web.HTTPNotFound()
        title, body = self.pages[name]
        return web.Response(body=html_page(title, body), content_type="text/html")

    async def _status(self, request: web.Request) -> web.Response:
        self._count(request)
        code = int(request.match_info["code"])
        return web.Response(status=code, text="no", headers={"Retry-After": self.retry_after})

    async def _garbage(self, request: web.Request) -> web.Response:
        self._count(request)
        return web.Response(body=b"\x00\x01this is not xml at all<<<" * 50, content_type="application/rss+xml")

    async def _stall(self, request: web.Request) -> web.StreamResponse:
        self._count(request)
        await asyncio.sleep(40)
        return web.Response(text="too late")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """200 MB with no Content-Length, 64 KB at a time; stops when the client hangs up."""
        self._count(request)
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        chunk = b"<item>" + b"x" * 65530
        try:
            for _ in range(200 * 16):  # bounded: 200 MB at most
                await response.write(chunk)
        except (ConnectionResetError, RuntimeError):
            pass
        return response

    async def _twowrite(self, request: web.Request) -> web.StreamResponse:
        """A page of 60 paragraphs sent in two writes with a pause: a single read(n) gets only the first."""
        self._count(request)
        body = html_page("Two writes", "\n\n".join(f"Paragraph {n}. {PARAGRAPH}" for n in range(60)))
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        half = len(body) // 3
        await response.write(body[:half])
        await asyncio.sleep(0.3)
        await response.write(body[half:])
        await response.write_eof()
        return response

    async def _redirect(self, request: web.Request) -> web.Response:
        self._count(request)
        target = self.redirects.get(request.match_info["name"])
        if target is None:
            raise web.HTTPNotFound()
        raise web.HTTPFound(target)
