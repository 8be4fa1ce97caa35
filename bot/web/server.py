"""The bot's one HTTP server (aiohttp): brief pages, health, readiness, metrics, and Slack's events route.

It runs in every mode (Slack over HTTP, Socket Mode, Discord only), so operators always have
``/healthz`` (the process answers), ``/readyz`` (the state store answers and every configured platform is
connected; 503 otherwise, with the failing parts named) and ``/metrics`` (Prometheus text from
``bot.metrics.REGISTRY``). ``/briefs/<id>?exp=...&sig=...`` serves a posted brief's page when the link's
signature holds (403 and no content otherwise). A platform that needs HTTP (Slack's events in HTTP mode)
mounts its routes with ``add_route`` before ``start``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.core.models import StartupError
from bot.core.pages import PAGE_PATH, BriefPages
from bot.metrics import REGISTRY

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Check = Callable[[], Awaitable[bool]]
CHECK_TIMEOUT = 2.0  # a readiness probe must answer before the orchestrator's own timeout
RENDERED_PAGES = 32  # rendered pages kept in memory: a link posted to a busy channel is opened many times

PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the signed URL must not leak to the articles it links to
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


def state_check(state: Any) -> Check:
    """Readiness of a state store: ``ping`` where the backend has one (Redis), else a read round trip."""
    target = getattr(state, "primary", state)  # FallbackState answers from memory during an outage: ask Redis

    async def check() -> bool:
        ping = getattr(target, "ping", None)
        if ping is not None:
            return bool(await ping())
        await target.get_json("readyz:probe")
        return True

    return check


class WebServer:
    """Routes are fixed at ``start``; ``port`` is the bound port (``port=0`` picks a free one)."""

    def __init__(self, host: str, port: int, pages: BriefPages | None = None, registry: Any = REGISTRY) -> None:
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self.pages = pages
        self.registry = registry
        self.checks: dict[str, Check] = {}
        self._routes: list[tuple[str, str, Handler]] = []
        self._runner: web.AppRunner | None = None
        self._rendered: OrderedDict[str, bytes] = OrderedDict()

    def add_route(self, method: str, path: str, handler: Handler) -> None:
        if self._runner is not None:
            raise RuntimeError("routes must be added before the web server starts")
        self._routes.append((method, path, handler))

    def add_check(self, name: str, check: Check) -> None:
        self.checks[name] = check

    def application(self) -> web.Application:
        app = web.Application(client_max_size=1024**2)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        app.router.add_get(PAGE_PATH + "{page_id}", self.brief_page)
        for method, path, handler in self._routes:
            app.router.add_route(method, path, handler)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        try:
            await site.start()
        except OSError as error:
            await self.stop()
            raise StartupError(
                f"cannot listen on port {self.requested_port} ({error.strerror}): set BRIEFBOT_HTTP_PORT"
            ) from error
        addresses = self._runner.addresses
        self.port = addresses[0][1] if addresses else self.requested_port
        log.info("web: listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- handlers -----------------------------------------------------------------------------------

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(self, _request: web.Request) -> web.Response:
        results: dict[str, str] = {}
        for name, check in self.checks.items():
            try:
                ok = await asyncio.wait_for(check(), CHECK_TIMEOUT)
                results[name] = "ok" if ok else "not ready"
            except TimeoutError:
                results[name] = "timed out"
            except Exception as error:  # a probe reports, never raises
                results[name] = f"error: {type(error).__name__}"
        ready = all(v == "ok" for v in results.values())
        return web.json_response({"ready": ready, "checks": results}, status=200 if ready else 503)

    async def metrics(self, _request: web.Request) -> web.Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return web.Response(body=generate_latest(self.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def brief_page(self, request: web.Request) -> web.Response:
        pid = request.match_info["page_id"]
        query = request.rel_url.query
        if self.pages is None or not self.pages.verify(pid, query.get("exp"), query.get("sig")):
            return web.Response(status=403, text="Forbidden: this link is not valid or has expired.")
        body = self._rendered.get(pid)
        if body is None:
            brief = await self.pages.load(pid)
            if brief is None:
                return web.Response(status=404, text="This brief is no longer stored.", headers=PAGE_HEADERS)
            from bot.render.html import brief_to_html

            body = (await asyncio.to_thread(brief_to_html, brief)).encode()
            self._rendered[pid] = body
            while len(self._rendered) > RENDERED_PAGES:
                self._rendered.popitem(last=False)
        self._rendered.move_to_end(pid)
        return web.Response(body=body, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS)
