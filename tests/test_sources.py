"""Live sources against a loopback feed server: guard, fetcher, poller, store, retention, --since."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.abc import AbstractResolver

from bot.sources.feeds import canonical_url, loader_clean
from bot.sources.fetch import Fetcher, FetchFailed, FetchOptions
from bot.sources.guard import BadSourceURL, ForbiddenAddress, check_url, forbidden_reason
from bot.sources.poller import Poller, PollOptions
from bot.sources.registry import SourceRegistry, SourceStatus, load_static
from bot.store.sqlite_articles import SqliteArticleStore
from bot.store.state import MemoryState, RedisState
from summarizer.articles import Article
from tests.conftest import REDIS_URL, counted
from tests.feed_server import FeedServer, Item, article_text

NOW = datetime.now(UTC)


def items(topic: str, count: int, start: int = 0, base: str = "http://news.example") -> list[Item]:
    return [
        Item(f"{topic} talks, day {n}", f"{base}/{topic}/{n}?utm_source=rss", article_text(topic, n),
             NOW - timedelta(hours=count - n))
        for n in range(start, start + count)
    ]


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feeds = await FeedServer().start()
    yield feeds
    await feeds.stop()


def fetch_options(**overrides: object) -> FetchOptions:
    base: dict[str, object] = {"timeout": 2.0, "connect_timeout": 1.0, "allow_private": True, "max_bytes": 200_000}
    base.update(overrides)
    return FetchOptions(**base)  # type: ignore[arg-type]


def poller_for(registry: SourceRegistry, store: object, **options: object) -> Poller:
    base: dict[str, object] = {"source_deadline": 5.0, "min_interval": 60, "max_interval": 3600,
                               "default_interval": 600}
    base.update(options)
    return Poller(registry, store, fetch_options(), PollOptions(**base))  # type: ignore[arg-type]


# ---------------------------------------------------------------- the guard


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "0.0.0.0", "::1", "fe80::1",
     "::ffff:127.0.0.1", "fd00:ec2::254", "100.100.100.200"],
)
def test_internal_addresses_are_forbidden(address: str) -> None:
    assert forbidden_reason(address) is not None


def test_public_addresses_pass() -> None:
    assert forbidden_reason("93.184.216.34") is None and forbidden_reason("2606:2800:220:1::248") is None


async def test_check_url_refuses_bad_schemes_unresolvable_and_private_hosts() -> None:
    with pytest.raises(BadSourceURL):
        await check_url("file:///etc/passwd", allow_private=False)
    with pytest.raises(BadSourceURL):
        await check_url("http://no-such-host.invalid/feed", allow_private=False)
    for url in ("http://127.0.0.1:6379/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
                "http://localhost/feed"):
        with pytest.raises(ForbiddenAddress):
            await check_url(url, allow_private=False)
    assert await check_url("http://127.0.0.1:6379/", allow_private=True) == ["127.0.0.1"]


class MappedResolver(AbstractResolver):
    """DNS for tests: a name maps to a list of addresses, one list per lookup (to play DNS rebinding)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[dict[str, object]]:
        self.lookups.append(host)
        addresses = self.answers[host]
        address = addresses.pop(0) if len(addresses) > 1 else addresses[0]
        return [{"hostname": host, "host": address, "port": port, "family": socket.AF_INET, "proto": 0,
                 "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


def public_127_0_0_2(address: str) -> str | None:
    """The real policy, except that 127.0.0.2 plays a public web server (nothing here reaches the internet)."""
    return None if address == "127.0.0.2" else forbidden_reason(address)


async def test_hostname_resolving_to_a_private_address_is_refused_at_connect(server: FeedServer) -> None:
    server.add_feed("a", "A", items("grain", 2))
    port = server.base.rsplit(":", 1)[1]
    resolver = MappedResolver({"intranet.example": ["127.0.0.1"]})
    async with Fetcher(fetch_options(allow_private=False), resolver=resolver) as fetcher:
        with pytest.raises(FetchFailed, match="refused"):
            await fetcher.get(f"http://intranet.example:{port}/feed/a")
    assert resolver.lookups == ["intranet.example"] and server.hits["/feed/a"] == 0


async def test_dns_rebinding_between_check_and_fetch_is_refused(server: FeedServer) -> None:
    """The name passed a check (public address) and then answers loopback: the connect-time guard refuses."""
    server.add_feed("a", "A", items("grain", 2))
    port = server.base.rsplit(":", 1)[1]
    resolver = MappedResolver({"rebind.example": ["127.0.0.2", "127.0.0.1"]})
    first = await resolver.resolve("rebind.example")
    assert public_127_0_0_2(str(first[0]["host"])) is None  # what a check-then-fetch guard would have seen
    async with Fetcher(fetch_options(allow_private=False), resolver=resolver, policy=public_127_0_0_2) as f:
        with pytest.raises(FetchFailed, match="refused"):
            await f.get(f"http://rebind.example:{port}/feed/a")
    assert server.hits["/feed/a"] == 0


async def test_redirect_to_loopback_is_refused() -> None:
    public = await FeedServer(host="127.0.0.2").start()
    private = await FeedServer(host="127.0.0.1").start()
    try:
        private.pages["secret"] = ("Secret", article_text("secret", 1))
        public.redirects["x"] = private.url("/page/secret")
        async with Fetcher(fetch_options(allow_private=False), policy=public_127_0_0_2) as fetcher:
            with pytest.raises(FetchFailed, match="refused"):
                await fetcher.get(public.url("/go/x"))
            public.pages["ok"] = ("Fine", article_text("fine", 1))
            assert (await fetcher.get(public.url("/page/ok"))).status == 200  # the public host itself is fine
        assert public.hits["/go/x"] == 1 and private.hits["/page/secret"] == 0
    finally:
        await public.stop()
        await private.stop()


async def test_teaser_link_to_loopback_is_not_fetched(tmp_path: Path) -> None:
    public = await FeedServer(host="127.0.0.2").start()
    private = await FeedServer(host="127.0.0.1").start()
    try:
        private.pages["admin"] = ("Admin", article_text("admin", 1))
        url = public.add_feed("t", "Teasers", [Item("Look", private.url("/page/admin"), "Short teaser.", NOW)])
        registry = SourceRegistry(MemoryState())
        source = await registry.add(url)
        store = SqliteArticleStore(tmp_path / "a.sqlite3")
        fetcher = Fetcher(fetch_options(allow_private=False), policy=public_127_0_0_2)
        poller = Poller(registry, store, fetcher.options, PollOptions(source_deadline=5), fetcher=fetcher)
        report = await poller.run_pass()
        assert [o.status for o in report.sources] == ["ok"] and report.sources[0].added == 0
        assert private.hits["/page/admin"] == 0 and public.hits["/feed/t"] == 1
        assert source.id
    finally:
        await public.stop()
        await private.stop()


# ---------------------------------------------------------------- the fetcher


async def test_a_page_sent_in_two_writes_is_read_whole(server: FeedServer) -> None:
    async with Fetcher(fetch_options()) as fetcher:
        page = await fetcher.get(server.url("/twowrite"))
    assert b"Paragraph 59." in page.body and page.body.rstrip().endswith(b"</html>")


async def test_an_oversized_body_without_length_stops_at_the_cap(server: FeedServer) -> None:
    async with Fetcher(fetch_options(max_bytes=300_000)) as fetcher:
        with pytest.raises(FetchFailed, match="cap"):
            await fetcher.get(server.url("/huge"))
        assert fetcher.bytes < 300_000 + 2 * 65536


async def test_a_stall_ends_at_the_timeout(server: FeedServer) -> None:
    async with Fetcher(fetch_options(timeout=0.5)) as fetcher:
        with pytest.raises(FetchFailed, match="within 0.5 s"):
            await fetcher.get(server.url("/stall"))


async def test_redirect_limit_and_user_agent(server: FeedServer) -> None:
    server.redirects["loop"] = server.url("/go/loop")
    async with Fetcher(fetch_options(max_redirects=3, user_agent="Briefbot/0.1 (+https://ops.example)")) as f:
        with pytest.raises(FetchFailed, match="more than 3 redirects"):
            await f.get(server.url("/go/loop"))
    assert server.hits["/go/loop"] == 4 and server.user_agents[0] == "Briefbot/0.1 (+https://ops.example)"


@pytest.mark.parametrize("bad", [float("inf"), float("nan"), 0.0, -1.0])
def test_timeouts_must_be_finite_and_positive(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        FetchOptions(timeout=bad)


# ---------------------------------------------------------------- feeds and articles


def test_canonical_url_strips_tracking_and_noise() -> None:
    assert canonical_url("HTTP://WWW.News.example:80/a/b/?utm_source=rss&id=3&fbclid=x#top") == (
        "https://news.example/a/b?id=3"
    )
    assert canonical_url("https://news.example/a/b?id=3") == canonical_url("http://news.example/a/b/?id=3&gclid=1")


def test_loader_cleaning_runs_on_feed_articles() -> None:
    body = "Grain talks\n\nShare this\n\n" + article_text("grain", 1) + "\n\nAll rights reserved 2026"
    cleaned = loader_clean(Article("x", "Grain talks", body, "Wire", "http://n.example/1", "2026-03-01T10:00:00+02:00"))
    assert cleaned is not None and "Share this" not in cleaned.body and "rights reserved" not in cleaned.body
    assert not cleaned.body.startswith("Grain talks")  # the repeated title, as the folder loader drops it
    assert cleaned.dropped_lines == 3 and cleaned.published == "2026-03-01T08:00:00+00:00"


# ---------------------------------------------------------------- the poller


async def test_poll_conditional_get_and_304(server: FeedServer, tmp_path: Path) -> None:
    url = server.add_feed("a", "Grain Wire", items("grain", 3))
    registry = SourceRegistry(MemoryState())
    source = await registry.add(url)
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    async with poller_for(registry, store) as poller:
        first = await poller.run_pass()
        assert [(o.status, o.added) for o in first.sources] == [("ok", 3)]
        assert (await poller.run_pass()).sources == []  # not due yet
        second = await poller.run_pass(everything=True)
    assert [(o.status, o.added) for o in second.sources] == [("not_modified", 0)]
    assert server.conditional_hits["/feed/a"] == 1
    stored = await store.articles()
    assert {a.outlet for a in stored} == {"Grain Wire"} and all(a.published.endswith("+00:00") for a in stored)
    assert {a.url for a in stored} == {i.link for i in server.feeds["a"][1]}
    status = await registry.status(source.id)
    assert status.articles_added == 3 and status.etag and status.last_status == "not_modified"


async def test_teaser_items_are_replaced_by_their_pages_bounded_per_pass(server: FeedServer, tmp_path: Path) -> None:
    teasers = []
    for n in range(3):
        server.pages[f"p{n}"] = (f"Harbour story {n}", article_text("harbour", n))
        teasers.append(Item(f"Harbour story {n}", server.url(f"/page/p{n}"), "A short teaser.", NOW))
    url = server.add_feed("t", "Harbour Post", teasers)
    registry = SourceRegistry(MemoryState())
    await registry.add(url)
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    async with poller_for(registry, store, teasers_per_pass=2) as poller:
        first = await poller.run_pass()
        assert first.sources[0].added == 2 and sum(server.hits[f"/page/p{n}"] for n in range(3)) == 2
        second = await poller.run_pass(everything=True)  # the feed is unchanged: no 304 while a page is owed
        third = await poller.run_pass(everything=True)
    assert [(o.status, o.added) for o in second.sources + third.sources] == [("ok", 1), ("not_modified", 0)]
    assert [server.hits[f"/page/p{n}"] for n in range(3)] == [1, 1, 1]
    bodies = [a.body for a in await store.articles()]
    assert all("harbour report" in b for b in bodies) and not any("Home | World" in b for b in bodies)


async def test_one_bad_feed_never_breaks_the_others(server: FeedServer, tmp_path: Path) -> None:
    good = server.add_feed("good", "Good", items("grain", 2))
    registry = SourceRegistry(MemoryState())
    bad = {path: await registry.add(server.url(path)) for path in ("/status/500", "/garbage", "/stall", "/huge")}
    await registry.add(good)
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    poller = Poller(registry, store, fetch_options(timeout=1.0, max_bytes=300_000), PollOptions(source_deadline=3))
    report = await poller.run_pass()
    outcome = {o.url: o for o in report.sources}
    assert outcome[good].status == "ok" and outcome[good].added == 2
    assert "HTTP 500" in outcome[server.url("/status/500")].error
    assert "not an RSS/Atom feed" in outcome[server.url("/garbage")].error
    assert "within 1 s" in outcome[server.url("/stall")].error
    assert "cap" in outcome[server.url("/huge")].error
    for source in bad.values():
        status = await registry.status(source.id)
        assert status.consecutive_errors == 1 and status.next_poll > time.time()


async def test_backoff_retry_after_and_unhealthy(server: FeedServer, tmp_path: Path) -> None:
    clock = [1_000_000.0]
    registry = SourceRegistry(MemoryState())
    limited = await registry.add(server.url("/status/429"))
    broken = await registry.add(server.url("/status/503?x=1"))
    server.retry_after = "5000"
    poller = Poller(
        registry, SqliteArticleStore(tmp_path / "a.sqlite3"), fetch_options(),
        PollOptions(default_interval=600, max_interval=3600, unhealthy_after=3, unhealthy_retry=7200),
        clock=lambda: clock[0],
    )
    gaps = []
    async with poller:
        for _ in range(4):
            await poller.run_pass(everything=True)
            status = await registry.status(limited.id)
            gaps.append(status.next_poll - clock[0])
            clock[0] += 10
    assert all(gap >= 5000 for gap in gaps)  # Retry-After honoured every time
    status = await registry.status(broken.id)
    assert status.consecutive_errors == 4 and not status.healthy and status.next_poll - (clock[0] - 10) >= 7200
    listing = {row["id"]: row for row in await registry.listing(600)}
    assert listing[broken.id]["healthy"] is False and "HTTP 503" in listing[broken.id]["last_error"]


def dated(topic: str, n: int, when: float) -> Item:
    return Item(f"{topic} talks, day {n}", f"http://news.example/{topic}/{n}", article_text(topic, n),
                datetime.fromtimestamp(when, UTC))


async def test_adaptive_interval_follows_the_feeds_publication_rate(server: FeedServer, tmp_path: Path) -> None:
    clock = [NOW.timestamp()]
    busy = server.add_feed("busy", "Busy", [dated("grain", 0, clock[0])])
    quiet = server.add_feed("quiet", "Quiet", [dated("wheat", 0, clock[0] - 3 * 86400)])  # outside the window
    registry = SourceRegistry(MemoryState())
    b, q = await registry.add(busy), await registry.add(quiet)
    poller = Poller(registry, SqliteArticleStore(tmp_path / "a.sqlite3"), fetch_options(),
                    PollOptions(default_interval=600, min_interval=60, max_interval=3600), clock=lambda: clock[0])
    async with poller:
        for n in range(1, 5):  # an item a minute
            server.feeds["busy"][1].append(dated("grain", n, clock[0]))
            await poller.run_pass(everything=True)
            clock[0] += 60
    assert (await registry.status(b.id)).interval == 60
    assert (await registry.status(q.id)).interval > 600  # nothing in the last day: slower than the default


async def test_a_quiet_stretch_does_not_stretch_a_bursty_feeds_interval(server: FeedServer, tmp_path: Path) -> None:
    """The interval of a feed that published 12 items in the last hour stays its mean gap over the time
    observed through hours of silence (polled whenever due), not the maximum: the first item of its next
    burst is fetched within that interval."""
    clock = [float(int(NOW.timestamp()))]  # RSS dates have whole seconds
    first = clock[0] - 3600
    url = server.add_feed("bursty", "Bursty", [dated("storm", n, first + n * 300) for n in range(12)])
    registry = SourceRegistry(MemoryState())
    source = await registry.add(url)
    poller = Poller(registry, SqliteArticleStore(tmp_path / "a.sqlite3"), fetch_options(),
                    PollOptions(default_interval=600, min_interval=60, max_interval=4 * 3600), clock=lambda: clock[0])
    async with poller:
        await poller.run_pass()
        assert (await registry.status(source.id)).interval == 300  # one hour observed, 12 items
        while clock[0] < first + 6 * 3600:  # five quiet hours, polled when due
            clock[0] = (await registry.status(source.id)).next_poll
            await poller.run_pass()
        status = await registry.status(source.id)
        assert status.interval == pytest.approx((status.last_polled - first) / 12)
        assert status.interval < 4 * 3600 / 4  # the old halve/x1.5 rule had reached the 4 h maximum here
        published = clock[0] + 60  # the next burst starts
        server.feeds["bursty"][1].append(dated("storm", 12, published))
        clock[0] = status.next_poll
        report = await poller.run_pass()
        assert [o.added for o in report.sources] == [1]
        assert clock[0] - published <= status.interval


async def test_two_pollers_on_one_redis_poll_each_source_once(
    server: FeedServer, tmp_path: Path, namespace: str, redis_client: object
) -> None:
    urls = [server.add_feed(f"f{n}", f"Feed {n}", items(f"topic{n}", 2)) for n in range(6)]
    states = [RedisState(REDIS_URL, namespace), RedisState(REDIS_URL, namespace)]
    registries = [SourceRegistry(s) for s in states]
    for url in urls:
        await registries[0].add(url)
    store = SqliteArticleStore(tmp_path / "shared.sqlite3")
    pollers = [poller_for(r, SqliteArticleStore(store.path)) for r in registries]
    try:
        for _ in range(3):  # three rounds inside one interval: each feed is fetched once in all
            reports = await asyncio.gather(*(p.run_pass() for p in pollers))
            assert len({o.id for r in reports for o in r.sources}) == sum(len(r.sources) for r in reports)
        assert all(server.hits[f"/feed/f{n}"] == 1 for n in range(6))
        assert store.count() == 12
    finally:
        for s in states:
            await s.close()


async def test_a_feed_waiting_for_its_hosts_connection_is_not_charged_the_wait(
    server: FeedServer, tmp_path: Path
) -> None:
    """Four healthy feeds of one host that answers in 0.5 s, one connection per host, a 1.5 s deadline per
    source: each is polled in its turn and none times out (the deadline used to run while a feed queued)."""
    server.feed_delay = 0.5
    urls = [server.add_feed(f"slow{n}", f"Slow {n}", items(f"slow{n}", 1)) for n in range(4)]
    registry = SourceRegistry(MemoryState())
    for url in urls:
        await registry.add(url)
    poller = Poller(registry, SqliteArticleStore(tmp_path / "a.sqlite3"), fetch_options(per_host=1),
                    PollOptions(source_deadline=1.5, min_interval=60, max_interval=3600))
    report = await poller.run_pass()
    assert [(o.status, o.added) for o in report.sources] == [("ok", 1)] * 4


async def test_a_replica_sees_a_next_poll_moved_earlier_elsewhere(server: FeedServer, tmp_path: Path) -> None:
    """Replica A remembers "not due before t+900"; replica B (or `briefbot poll --all`) then polls a burst and
    sets the next poll to t+120. A must poll it when due, not at its remembered time: a remembered next poll is
    trusted for the shortest interval only."""
    clock = [float(int(NOW.timestamp()))]
    url = server.add_feed("f", "F", [dated("grain", 0, clock[0] - 3 * 86400)])
    state = MemoryState()
    a_registry, b_registry = SourceRegistry(state), SourceRegistry(state)
    source = await a_registry.add(url)
    options = PollOptions(default_interval=600, min_interval=60, max_interval=3600)
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    a = Poller(a_registry, store, fetch_options(), options, clock=lambda: clock[0])
    b = Poller(b_registry, store, fetch_options(), options, clock=lambda: clock[0])
    async with a, b:
        await a.run_pass()
        assert (await a_registry.status(source.id)).next_poll == clock[0] + 900  # nothing new in a day: x1.5
        clock[0] += 60
        server.feeds["f"][1].extend(dated("grain", n, clock[0]) for n in range(1, 11))
        await b.run_pass(everything=True)
        assert (await b_registry.status(source.id)).next_poll == clock[0] + 60  # ten items in a minute
        clock[0] += 61  # B was a one-shot `briefbot poll --all`: A alone runs on
        assert [o.id for o in (await a.run_pass()).sources] == [source.id]
        assert server.hits["/feed/f"] == 3


async def test_dedupe_across_two_feeds_by_canonical_url_and_text(server: FeedServer, tmp_path: Path) -> None:
    shared = items("grain", 2)
    a = server.add_feed("a", "A", shared)
    copy = [Item(i.title, i.link.replace("utm_source=rss", "utm_medium=x"), i.text, i.published) for i in shared]
    rewritten = Item("Another title", "http://other.example/story", shared[0].text, NOW)  # same text, new URL
    b = server.add_feed("b", "B", [*copy, rewritten])
    registry = SourceRegistry(MemoryState())
    await registry.add(a)
    await registry.add(b)
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    report = await poller_for(registry, store).run_pass()
    # The two feeds are fetched concurrently, so either may be stored first: A adds its two stories and B's
    # three items are all duplicates (two by canonical URL, one by text), or B adds two and A's are duplicates.
    assert sorted((o.added, o.duplicates) for o in report.sources) in ([(0, 3), (2, 0)], [(0, 2), (2, 1)])
    assert sum(o.added for o in report.sources) == 2
    assert store.count() == 2


async def test_retention_keeps_old_items_out_and_prunes_the_store(server: FeedServer, tmp_path: Path) -> None:
    old = Item("Old grain talks", "http://n.example/old", article_text("grain", 90), NOW - timedelta(days=40))
    new = items("grain", 1)
    url = server.add_feed("a", "A", [old, *new])
    registry = SourceRegistry(MemoryState())
    await registry.add(url)
    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    report = await poller_for(registry, store, retention_seconds=30 * 86400).run_pass()
    assert report.sources[0].added == 1 and [a.title for a in await store.articles()] == [new[0].title]
    later = SqliteArticleStore(store.path, clock=lambda: time.time() + 31 * 86400)
    assert await later.prune(30 * 86400) == 1 and later.count() == 0


async def test_removed_source_is_not_written_back(tmp_path: Path) -> None:
    registry = SourceRegistry(MemoryState())
    source = await registry.add("http://127.0.0.1:1/feed")
    await registry.remove(source.id)
    assert not await registry.save_status(source.id, SourceStatus(last_status="ok"))
    assert await registry.all() == []


def test_static_sources_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nurl = "https://a.example/rss"\nname = "A"\nevery = "45m"\n'
        '[[source]]\nurl = "ftp://b.example/"\n[[source]]\nname = "no url"\n'
    )
    sources, warnings = load_static(path)
    assert [(s.url, s.name, s.every_seconds, s.static) for s in sources] == [("https://a.example/rss", "A", 2700, True)]
    assert len(warnings) == 2


# ---------------------------------------------------------------- store, index and --since


async def test_index_candidates_and_since(tmp_path: Path, settings_factory: object) -> None:
    import datetime as dt

    from bot.core.service import BriefService
    from bot.store.cache import MemoryCache
    from summarizer.ingest import compute_features, make_article
    from summarizer.topics import TopicSpec

    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    fresh = make_article("Harbour deal", article_text("harbour", 1), published=NOW.isoformat())
    old = make_article("Harbour old", article_text("harbour", 2), published=(NOW - timedelta(hours=10)).isoformat())
    other = make_article("Wheat prices", article_text("wheat", 3), published=NOW.isoformat())
    await store.add(list(zip([fresh, old, other], compute_features([fresh, old, other]), strict=True)))
    assert {a.id for a in await store.candidates(["harbour"])} == {fresh.id, old.id}
    topic = TopicSpec("harbours", "Harbours", ("harbour",))
    service = BriefService(store, [topic], MemoryCache())
    full = await service.brief("harbours")
    recent = await service.brief("harbours", since=dt.timedelta(hours=6))  # feed timestamps: to the hour
    assert set(full.article_ids) == {fresh.id, old.id} and recent.article_ids == (fresh.id,)
    assert full.brief_id != recent.brief_id
    newer = make_article("Harbour expansion", article_text("harbour", 4), published=NOW.isoformat())
    await store.add(list(zip([newer], compute_features([newer]), strict=True)))
    again = await service.brief("harbours")
    assert again.brief_id != full.brief_id and not again.cached  # a new article invalidates the brief


async def test_index_candidates_cover_what_the_topic_matcher_accepts_and_skip_other_words(tmp_path: Path) -> None:
    """The index reads every article the exact matcher would accept (plural and possessive endings, "buses"
    whose Porter stem differs from "bus"'s) and not the ones that merely share a prefix ("busy"); words with the
    same stem ("presidency") are read and left to the matcher."""
    from summarizer.ingest import compute_features, make_article
    from summarizer.topics import TopicSpec, match_topic

    def one(title: str, sentence: str) -> Article:
        return make_article(title, " ".join([sentence] * 3 + [article_text("filler", len(title))]))

    store = SqliteArticleStore(tmp_path / "a.sqlite3")
    wanted = [one("Buses stop", "The buses stopped at the depot."), one("The bus's route", "The bus's route changed."),
              one("Presidents meet", "Two presidents met.")]
    others = [one("Busy market", "A busy market day."), one("Presidency", "The presidency was contested.")]
    everything = wanted + others
    await store.add(list(zip(everything, compute_features(everything), strict=True)))
    keywords = ("bus", "president")
    found = await store.candidates(keywords)
    accepted = match_topic("t", everything, [TopicSpec("t", "T", keywords)]).articles
    assert {a.id for a in accepted} <= {a.id for a in found}
    assert {a.title for a in found} == {a.title for a in wanted} | {"Presidency"}
    assert {a.title for a in accepted} == {a.title for a in wanted}


# ---------------------------------------------------------------- chat


async def test_chat_lists_sources_and_only_admins_change_them(settings_factory: object) -> None:
    from bot.app import Briefbot
    from bot.core.models import Inbound, ReplyKind

    settings = settings_factory(source_admins={"slack": ["UADMIN"]})  # type: ignore[operator]
    async with Briefbot(settings) as bot:
        def said(user: str, text: str) -> Inbound:
            return Inbound("slack", "C1", user, text)

        listed = await bot.core.handle(said("UANY", "sources"))
        assert listed.kind is ReplyKind.TEXT and "No sources yet" in listed.text
        refused = await bot.core.handle(said("UANY", "sources add https://news.example/rss"))
        assert refused.kind is ReplyKind.ERROR and "admins" in refused.text
        metadata = await bot.core.handle(said("UADMIN", "sources add <http://169.254.169.254/latest/meta-data/>"))
        assert metadata.kind is ReplyKind.ERROR and "link-local" in metadata.text
        redis_port = await bot.core.handle(said("UADMIN", "sources add http://127.0.0.1:6379/"))
        assert redis_port.kind is ReplyKind.ERROR and "loopback" in redis_port.text
        assert await bot.sources.all() == []
        await bot.sources.add("https://news.example/rss")
        (source,) = await bot.sources.all()
        shown = await bot.core.handle(said("UANY", "sources"))
        assert source.id in shown.text and "not polled yet" in shown.text
        removed = await bot.core.handle(said("UADMIN", f"sources remove {source.id}"))
        assert removed.kind is ReplyKind.TEXT and await bot.sources.all() == []


def test_sources_requests_reach_the_sources_module() -> None:
    from bot.commands import parse
    from bot.commands.requests import SourcesRequest

    assert parse("sources add http://x.example/rss") == SourcesRequest("add", "http://x.example/rss")
    assert parse("sources remove abc").action == "remove"


async def test_polls_are_counted_in_the_metrics(server: FeedServer, tmp_path: Path) -> None:
    from bot.metrics import SOURCE_POLLS

    before = counted(SOURCE_POLLS, "error")
    registry = SourceRegistry(MemoryState())
    await registry.add(server.url("/status/500"))
    await poller_for(registry, SqliteArticleStore(tmp_path / "a.sqlite3")).run_pass()
    assert counted(SOURCE_POLLS, "error") == before + 1
