"""The bot's HTTP server: signed brief pages, health, readiness and metrics, in every mode.

Pages and links are exercised against the real aiohttp server on loopback (port 0) with the real state
stores (memory and Redis); the modes run ``bot.app.run_platforms`` itself against the fake Slack and
Discord servers, and read what a person or a load balancer would see over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.app import run_platforms
from bot.core.pages import BriefPages, LinkError, LinkSigner, build_pages, page_id
from bot.core.service import BriefService
from bot.metrics import REGISTRY
from bot.store.cache import MemoryCache
from bot.store.state import MemoryState, RedisState
from bot.web.server import WebServer, state_check
from tests.conftest import DEAD_REDIS_URL, REDIS_URL, SEEDS
from tests.page_fixtures import audit, dated_brief, seed_brief

SECRET = "a-test-secret-that-is-long-enough"
PUBLIC = "https://briefs.example.org"


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(autouse=True)
def restore_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Discord adapter sets discord.py's class-level endpoints from settings; put them back afterwards."""
    import discord.gateway
    import discord.http

    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)  # fmt: skip


async def serve(pages: BriefPages | None, **checks: Any) -> WebServer:
    web = WebServer("127.0.0.1", 0, pages=pages)
    for name, check in checks.items():
        web.add_check(name, check)
    await web.start()
    return web


def local(web: WebServer, link: str) -> str:
    """The public link, fetched from this server instead of the public host."""
    return f"http://127.0.0.1:{web.port}" + link.removeprefix(PUBLIC)


# ---- signed links -------------------------------------------------------------------------------------


async def test_signed_link_valid_expired_tampered_absent(http: aiohttp.ClientSession) -> None:
    clock = Clock()
    pages = BriefPages(MemoryState(clock=clock), LinkSigner(SECRET), PUBLIC, ttl=3600, clock=clock)
    brief, other = seed_brief(), dated_brief()
    link = await pages.publish(brief)
    other_link = await pages.publish(other)
    assert link.startswith(f"{PUBLIC}/briefs/{page_id(brief)}?exp=")
    web = await serve(pages)
    try:
        async with http.get(local(web, link)) as response:
            body = await response.text()
            assert response.status == 200 and brief.points[0].text.split()[0] in body
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert "no-store" in response.headers["Cache-Control"]
        pid, query = link.removeprefix(f"{PUBLIC}/briefs/").split("?")
        exp = re.search(r"exp=(\d+)", query).group(1)  # type: ignore[union-attr]
        sig = re.search(r"sig=([^&]+)", query).group(1)  # type: ignore[union-attr]
        other_pid = page_id(other)
        forged = [
            f"/briefs/{pid}",  # absent
            f"/briefs/{pid}?exp={exp}",  # no signature
            f"/briefs/{pid}?sig={sig}",  # no expiry
            f"/briefs/{pid}?exp={int(exp) + 3600}&sig={sig}",  # expiry pushed back
            f"/briefs/{pid}?exp={exp}&sig={sig[:-2]}AA",  # signature altered
            f"/briefs/{other_pid}?exp={exp}&sig={sig}",  # another page with this page's signature
            f"/briefs/{pid[:-1]}?exp={exp}&sig={sig}",  # id altered
            f"/briefs/..%2F..%2Fetc?exp={exp}&sig={sig}",
        ]
        for path in forged:
            async with http.get(f"http://127.0.0.1:{web.port}{path}") as response:
                body = await response.text()
                assert response.status == 403, path
                assert brief.title not in body and "<html" not in body
        async with http.get(local(web, other_link)) as response:
            assert response.status == 200 and other.title in await response.text()
        clock.now += 3601  # the link and the snapshot expire together
        async with http.get(local(web, link)) as response:
            assert response.status == 403 and brief.title not in await response.text()
    finally:
        await web.stop()


async def test_signed_link_of_a_gone_snapshot_is_404_and_a_secretless_server_serves_nothing(
    http: aiohttp.ClientSession,
) -> None:
    state = MemoryState()
    pages = BriefPages(state, LinkSigner(SECRET), PUBLIC, ttl=3600)
    link = await pages.publish(seed_brief())
    await state.delete(f"page:{page_id(seed_brief())}")
    web = await serve(pages)
    bare = await serve(None)
    try:
        async with http.get(local(web, link)) as response:
            assert response.status == 404
        async with http.get(local(bare, link)) as response:
            assert response.status == 403
    finally:
        await web.stop()
        await bare.stop()


async def test_a_link_made_by_one_replica_opens_on_another(http: aiohttp.ClientSession, namespace: str,
                                                           redis_client: Any) -> None:  # fmt: skip
    first = RedisState(REDIS_URL, namespace)
    second = RedisState(REDIS_URL, namespace)
    link = await BriefPages(first, LinkSigner(SECRET), PUBLIC, ttl=60).publish(dated_brief())
    keys = [k async for k in redis_client.scan_iter(f"{namespace}:*page:{page_id(dated_brief())}")]
    assert len(keys) == 1 and 0 < await redis_client.ttl(keys[0]) <= 60  # stored for the link's life
    web = await serve(BriefPages(second, LinkSigner(SECRET), PUBLIC, ttl=60))
    wrong = await serve(BriefPages(second, LinkSigner("another-secret-also-long-enough"), PUBLIC, ttl=60))
    try:
        async with http.get(local(web, link)) as response:
            assert response.status == 200 and "Floods in the valley" in await response.text()
        async with http.get(local(wrong, link)) as response:
            assert response.status == 403
    finally:
        await web.stop()
        await wrong.stop()
        await first.close()
        await second.close()


def test_link_settings_are_checked(settings_factory: Any) -> None:
    assert build_pages(MemoryState(), settings_factory()) is None  # nothing configured: no pages, no links
    with pytest.raises(LinkError, match="BRIEFBOT_LINK_SECRET"):
        build_pages(MemoryState(), settings_factory(public_url=PUBLIC))
    with pytest.raises(LinkError, match="at least 16"):
        build_pages(MemoryState(), settings_factory(public_url=PUBLIC, link_secret="short"))
    with pytest.raises(LinkError, match="http"):
        build_pages(MemoryState(), settings_factory(public_url="ftp://x", link_secret=SECRET))
    pages = build_pages(MemoryState(), settings_factory(public_url=PUBLIC + "/", link_secret=SECRET))
    assert pages is not None and pages.link("0" * 32).startswith(f"{PUBLIC}/briefs/{'0' * 32}?exp=")


# ---- health, readiness, metrics -----------------------------------------------------------------------


async def test_health_readiness_and_metrics(http: aiohttp.ClientSession) -> None:
    from bot.store.state import DegradingState

    async def down() -> bool:
        return False

    async def hangs() -> bool:
        await asyncio.sleep(30)
        return True

    healthy = await serve(None, state=state_check(MemoryState()))
    dead_redis = DegradingState(RedisState(DEAD_REDIS_URL, "x", connect_timeout=0.2))
    sick = await serve(None, state=state_check(dead_redis), slack=down)
    slow = await serve(None, discord=hangs)
    try:
        base = f"http://127.0.0.1:{healthy.port}"
        async with http.get(base + "/healthz") as response:
            assert response.status == 200 and await response.text() == "ok"
        async with http.get(base + "/readyz") as response:
            assert response.status == 200 and await response.json() == {"ready": True, "checks": {"state": "ok"}}
        async with http.get(f"http://127.0.0.1:{sick.port}/readyz") as response:
            report = await response.json()
            assert response.status == 503 and report["checks"]["slack"] == "not ready"
            assert report["checks"]["state"] != "ok"  # the fallback memory does not hide Redis being down
        async with http.get(f"http://127.0.0.1:{sick.port}/healthz") as response:
            assert response.status == 200  # alive, just not ready
        async with http.get(f"http://127.0.0.1:{slow.port}/readyz") as response:
            assert response.status == 503 and (await response.json())["checks"]["discord"] == "timed out"
        async with http.get(base + "/metrics") as response:
            text = await response.text()
            assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
            for name in ("briefbot_briefs_total", "briefbot_answer_seconds", "briefbot_digests_total",
                         "briefbot_source_polls_total", "briefbot_store_outages_total"):  # fmt: skip
                assert f"# TYPE {name.removesuffix('_total')}" in text or f"# TYPE {name}" in text, name
    finally:
        await healthy.stop()
        await sick.stop()
        await slow.stop()
        await dead_redis.close()


async def test_briefs_computed_and_cached_and_answers_are_counted() -> None:
    from bot.core.service import FolderArticles

    def value(name: str, labels: dict[str, str] | None = None) -> float:
        return REGISTRY.get_sample_value(name, labels or {}) or 0.0

    service = BriefService(FolderArticles(SEEDS), [], MemoryCache())
    computed, cached = value("briefbot_briefs_total", {"source": "computed"}), value(
        "briefbot_briefs_total", {"source": "cache"})  # fmt: skip
    answers = value("briefbot_answer_seconds_count")
    first = await service.brief("china russia")
    second = await service.brief("china russia")
    assert (first.cached, second.cached) == (False, True)
    assert value("briefbot_briefs_total", {"source": "computed"}) == computed + 1
    assert value("briefbot_briefs_total", {"source": "cache"}) == cached + 1
    await service.answer("What did Blinken say?", first.article_ids)
    assert value("briefbot_answer_seconds_count") == answers + 1


# ---- every mode: run_platforms serves pages, health, readiness and metrics ------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_ready(http: aiohttp.ClientSession, port: int, names: set[str], task: asyncio.Task[Any]) -> dict:
    """Poll /readyz until every named check is ok (bounded: 150 tries)."""
    report: dict = {}
    for _ in range(150):
        if task.done():
            task.result()  # raises what stopped the bot
        try:
            async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                report = await response.json()
                if response.status == 200 and set(report["checks"]) >= names:
                    return report
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"not ready: {report}")


async def stop(task: asyncio.Task[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def fetch_page(http: aiohttp.ClientSession, port: int, link: str) -> tuple[int, str]:
    assert link.startswith(PUBLIC + "/briefs/")
    async with http.get(f"http://127.0.0.1:{port}" + link.removeprefix(PUBLIC)) as response:
        return response.status, await response.text()


def _page_settings(settings_factory: Any, port: int, **overrides: Any) -> Any:
    base = {"http_port": port, "http_host": "127.0.0.1", "public_url": PUBLIC, "link_secret": SECRET}
    return settings_factory(**(base | overrides))


async def test_slack_http_mode_serves_events_pages_and_health_on_one_port(
    settings_factory: Any, http: aiohttp.ClientSession
) -> None:
    from tests.slack_fakes import BOT_TOKEN, SIGNING_SECRET, FakeSlack, command_body, signed_headers

    fake = await FakeSlack().start()
    port = free_port()
    slack = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake.api_url}
    settings = _page_settings(settings_factory, port, slack=slack)
    task = asyncio.create_task(run_platforms(settings, ["slack"]))
    try:
        report = await wait_ready(http, port, {"state", "slack"}, task)
        assert report["checks"] == {"state": "ok", "slack": "ok"}
        body = command_body("china-russia", fake.response_url())
        async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                             headers=signed_headers(body)) as response:  # fmt: skip
            assert response.status == 200
        (post,) = await fake.wait_for("chat.postMessage", 1)
        blocks = str(post.params["blocks"])
        link = re.search(r"<(https://briefs\.example\.org/briefs/[^|>]+)\|Full brief", blocks).group(1)  # type: ignore[union-attr]
        status, page = await fetch_page(http, port, link.replace("&amp;", "&"))
        assert status == 200 and "China" in page and "<svg" in page
        async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
            assert 'briefbot_briefs_total{source="computed"}' in await response.text()
    finally:
        await stop(task)
        await fake.stop()


async def test_socket_mode_still_serves_health_and_pages_but_no_events_route(
    settings_factory: Any, http: aiohttp.ClientSession
) -> None:
    from tests.slack_fakes import APP_TOKEN, BOT_TOKEN, FakeSlack

    fake = await FakeSlack().start()
    port = free_port()
    slack = {"bot_token": BOT_TOKEN, "app_token": APP_TOKEN, "api_url": fake.api_url}
    settings = _page_settings(settings_factory, port, slack=slack)
    task = asyncio.create_task(run_platforms(settings, ["slack"]))
    try:
        report = await wait_ready(http, port, {"state", "slack"}, task)
        assert report["checks"]["slack"] == "ok"
        async with http.post(f"http://127.0.0.1:{port}/slack/events", data=b"{}") as response:
            assert response.status in (404, 405)  # Socket Mode: events come over the websocket
        async with http.get(f"http://127.0.0.1:{port}/briefs/{'0' * 32}") as response:
            assert response.status == 403  # the page route is there, and guarded
    finally:
        await stop(task)
        await fake.stop()


async def test_discord_only_serves_health_pages_and_links_in_embeds(
    settings_factory: Any, http: aiohttp.ClientSession
) -> None:
    from tests.discord_fakes import APP_ID, TOKEN, FakeDiscord

    fake = await FakeDiscord().start()
    port = free_port()
    discord = {"token": TOKEN, "api_url": fake.api_url, "gateway_url": fake.gateway_url}
    settings = _page_settings(settings_factory, port, discord=discord)
    task = asyncio.create_task(run_platforms(settings, ["discord"]))
    try:
        report = await wait_ready(http, port, {"state", "discord"}, task)
        assert report["checks"] == {"state": "ok", "discord": "ok"}
        token = await fake.command("brief topic", {"topic": "china-russia"})
        (followup,) = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{token}")
        main = followup.body["embeds"][0]
        assert main["url"].startswith(PUBLIC + "/briefs/") and "Full brief" in main["description"]
        status, page = await fetch_page(http, port, main["url"])
        assert status == 200 and main["title"].split()[0] in page
        tampered = main["url"][:-3] + ("AAA" if not main["url"].endswith("AAA") else "BBB")
        assert (await fetch_page(http, port, tampered))[0] == 403
    finally:
        await stop(task)
        await fake.close()


async def test_no_public_url_means_no_link_and_a_half_configured_bot_refuses_to_start(
    settings_factory: Any, http: aiohttp.ClientSession
) -> None:
    from bot.core.models import StartupError
    from tests.discord_fakes import APP_ID, TOKEN, FakeDiscord

    fake = await FakeDiscord().start()
    port = free_port()
    discord = {"token": TOKEN, "api_url": fake.api_url, "gateway_url": fake.gateway_url}
    settings = settings_factory(http_port=port, http_host="127.0.0.1", discord=discord)
    task = asyncio.create_task(run_platforms(settings, ["discord"]))
    try:
        await wait_ready(http, port, {"state", "discord"}, task)
        token = await fake.command("brief topic", {"topic": "china-russia"})
        (followup,) = await fake.wait_call("POST", rf"/webhooks/{APP_ID}/{token}")
        assert "Full brief" not in str(followup.body) and "url" not in followup.body["embeds"][0]
    finally:
        await stop(task)
        await fake.close()
    with pytest.raises(StartupError, match="BRIEFBOT_LINK_SECRET"):
        await run_platforms(settings_factory(public_url=PUBLIC, http_port=free_port()), ["discord"])


async def test_digests_carry_a_full_brief_link_to_what_was_posted(
    settings_factory: Any, seeds_dir: Any, http: aiohttp.ClientSession
) -> None:
    from bot.app import Briefbot, build_digest_runner
    from bot.digests import Outcome
    from bot.render.discord import brief_embeds
    from bot.render.slack import reply_message
    from tests.test_digests import RecordingConsole, at, sub_for

    settings = settings_factory(articles_dir=seeds_dir, public_url=PUBLIC, link_secret=SECRET)
    async with Briefbot(settings) as bot:
        console = RecordingConsole(bot.core)
        runner = build_digest_runner(bot, {"console": console})
        assert await runner.run(sub_for(), at(20)) is Outcome.POSTED
        digest = console.replies[-1]
        link = digest.extra["page_url"]
        assert link.startswith(f"{PUBLIC}/briefs/{page_id(digest.brief)}?exp=")
        assert "Full brief" in str(reply_message(digest)["blocks"])
        assert brief_embeds(digest.brief, link)[0]["url"] == link
        web = await serve(bot.core.pages)
        try:
            async with http.get(local(web, link)) as response:
                page = await response.text()
                assert response.status == 200
                shown = " ".join(" ".join(audit(page).text).split())
                assert all(" ".join(p.text.split()) in shown for p in digest.brief.points)
        finally:
            await web.stop()
