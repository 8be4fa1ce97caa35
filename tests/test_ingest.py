"""Ingestion from local files and from a loopback HTTP server (feed + pages): added, duplicate, skipped-why."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.sources.ingest import ingest_sources
from bot.store.articles import FolderStore
from summarizer.articles import load_articles
from summarizer.ingest import Unreadable, parse_feed, parse_html, parse_text

PARAGRAPHS = [
    "The city council approved a new budget on Tuesday after months of debate over transport spending.",
    "Council members voted nine to four in favour of the plan, which adds two tram lines by 2027.",
    "Opponents argued that the tram lines would cost far more than the council's estimate suggested.",
    "The mayor said the budget would also fund repairs to forty schools across the northern districts.",
]
OTHER = [
    "Scientists have mapped the genome of a rare orchid found only on two mountains in Madagascar.",
    "The team said the orchid's seeds depend on a single fungus to germinate in the wild forest soil.",
    "Conservation groups hope the map will help botanists grow the plant in protected nurseries abroad.",
]


def page(title: str, paragraphs: list[str], nav: bool = True) -> str:
    menu = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>" if nav else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title} | Daily Example</title>"
        f"<meta property='og:site_name' content='Daily Example'></head><body>{menu}"
        f"<article><h1>{title}</h1>{body}</article><footer>Copyright Daily Example</footer></body></html>"
    )


def rss(base: str) -> str:
    items = [
        ("Council approves budget with two tram lines", f"{base}/budget.html", "Council approves budget."),
        ("Same budget story, syndicated", f"{base}/budget-copy.html", "Council approves budget (syndicated)."),
        ("Rare orchid genome mapped", f"{base}/orchid.html", "Orchid genome."),
        ("A page that is gone", f"{base}/gone.html", ""),
        ("A page with no text", f"{base}/blank.html", ""),
    ]
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{d}</description>"
        f"<pubDate>Tue, 07 May 2024 09:00:00 GMT</pubDate></item>"
        for t, link, d in items
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Example Feed</title>{entries}</channel></rss>"


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """A loopback web server on port 0: a feed, article pages, a duplicate, a 404 and an empty page."""
    hits: dict[str, int] = {}

    async def handler(request: web.Request) -> web.Response:
        path = request.path
        hits[path] = hits.get(path, 0) + 1
        base = f"http://{request.host}"
        if path == "/feed.xml":
            return web.Response(text=rss(base), content_type="application/rss+xml")
        if path in ("/budget.html", "/budget-copy.html"):
            return web.Response(text=page("Council approves budget", PARAGRAPHS), content_type="text/html")
        if path == "/orchid.html":
            return web.Response(text=page("Rare orchid genome mapped", OTHER), content_type="text/html")
        if path == "/blank.html":
            return web.Response(text="<html><body><nav>Home</nav></body></html>", content_type="text/html")
        return web.Response(status=404, text="not here")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


# ---------------------------------------------------------------- parsing (local, pure)


def test_text_with_front_matter_and_without() -> None:
    article = parse_text("---\ntitle: Budget\noutlet: Daily\nurl: http://x/1\npublished: 2024-05-07\n---\n"
                         + "\n".join(PARAGRAPHS))
    assert (article.title, article.outlet, article.url) == ("Budget", "Daily", "http://x/1")
    assert article.published.startswith("2024-05-07")
    plain = parse_text("Council approves budget\n" + "\n".join(PARAGRAPHS))
    assert plain.title == "Council approves budget" and plain.body.startswith("The city council")


def test_html_page_main_text_without_navigation() -> None:
    article = parse_html(page("Council approves budget", PARAGRAPHS), "http://example.test/budget")
    assert article.title == "Council approves budget"
    assert "tram lines" in article.body and "Sport" not in article.body and "Copyright" not in article.body
    assert article.url == "http://example.test/budget"


def test_empty_and_unreadable_inputs_raise_clear_reasons() -> None:
    with pytest.raises(Unreadable, match="empty"):
        parse_html("<html><body><nav>Home</nav></body></html>")
    with pytest.raises(Unreadable, match="empty"):
        parse_text("Title only\n\nToo short.")
    with pytest.raises(Unreadable, match="not an RSS/Atom feed"):
        parse_feed(b"\x89PNG\r\n\x1a\n\x00\x00garbage")


def test_atom_feed_with_full_content() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Atom Example</title>"
        "<entry><title>Council budget</title><link href='https://example.test/a'/>"
        f"<updated>2024-05-07T10:00:00Z</updated><content type='html'><![CDATA[{body}]]></content></entry></feed>"
    )
    (entry,) = parse_feed(atom.encode())
    assert entry.title == "Council budget" and entry.link == "https://example.test/a"
    assert entry.outlet == "Atom Example" and entry.published.startswith("2024-05-07T10:00")
    assert entry.text.split("\n")[0] == PARAGRAPHS[0]


# ---------------------------------------------------------------- the whole pipeline into a folder store


async def test_local_files_added_deduplicated_and_skipped_with_reasons(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "budget.txt").write_text("---\ntitle: Budget\nurl: http://a/1\n---\n" + "\n".join(PARAGRAPHS))
    # same text, other URL and spacing: one article
    (src / "budget-again.md").write_text("---\ntitle: Budget (2)\nurl: http://b/2\n---\n" + "\n\n".join(PARAGRAPHS))
    (src / "orchid.html").write_text(page("Rare orchid genome mapped", OTHER))
    (src / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (src / "stub.txt").write_text("Just a headline\n")
    (src / "notes.csv").write_text("ignored,file\n")
    store = FolderStore(tmp_path / "articles")
    report = await ingest_sources(store, [str(src), str(tmp_path / "missing.txt")], progress=False)

    assert len(report.added) == 2
    # files are taken in name order, so budget-again.md is kept and budget.txt is its duplicate
    assert [(Path(s).name, d) for s, d in report.duplicates] == [("budget.txt", report.added[0])]
    reasons = {Path(s).name: r for s, r in report.skipped}
    assert reasons["picture.txt"].startswith("unreadable")
    assert reasons["stub.txt"].startswith("empty")
    assert reasons["missing.txt"] == "not found"
    assert "notes.csv" not in reasons  # not an article format: not even tried

    loaded = load_articles(tmp_path / "articles")
    assert not loaded.warnings
    assert {a.id for a in loaded.articles} == set(report.added)
    features = [json.loads(line) for line in (tmp_path / "articles/.briefbot/features.jsonl").read_text().splitlines()]
    assert {f["article_id"] for f in features} == set(report.added)
    assert all(len(f["sentences"]) >= 3 and f["indices"] and len(f["indices"]) == len(f["values"]) for f in features)

    again = await ingest_sources(FolderStore(tmp_path / "articles"), [str(src)], progress=False)
    assert again.added == [] and len(again.duplicates) == 3  # a fresh store process still knows them


async def test_feed_over_http_follows_teasers_dedups_and_reports_fetch_failures(tmp_path: Path, site: str) -> None:
    store = FolderStore(tmp_path / "articles")
    report = await ingest_sources(store, [f"{site}/feed.xml", f"{site}/nowhere.html"], progress=False)
    assert len(report.added) == 2, report.summary()
    assert [s for s, _ in report.duplicates] == [f"{site}/budget-copy.html"]
    reasons = dict(report.skipped)
    assert reasons[f"{site}/gone.html"] == "fetch failed (HTTP 404 Not Found)"
    assert reasons[f"{site}/blank.html"].startswith("empty")
    assert reasons[f"{site}/nowhere.html"] == "fetch failed (HTTP 404 Not Found)"

    articles = {a.title: a for a in load_articles(tmp_path / "articles").articles}
    budget = articles["Council approves budget with two tram lines"]  # the feed's title wins over the page's
    assert budget.url == f"{site}/budget.html" and budget.published.startswith("2024-05-07")
    assert budget.outlet == "Daily Example"
    assert "tram lines" in budget.body and "Sport" not in budget.body


async def test_single_page_url_and_unreachable_host(tmp_path: Path, site: str) -> None:
    store = FolderStore(tmp_path / "articles")
    report = await ingest_sources(store, [f"{site}/orchid.html", "http://127.0.0.1:1/x"], progress=False)
    assert len(report.added) == 1
    (source, reason), = report.skipped
    assert source == "http://127.0.0.1:1/x" and reason.startswith("fetch failed (ClientConnectorError")


def test_cli_ingest_prints_summary_and_json(tmp_path: Path) -> None:
    src = tmp_path / "budget.txt"
    src.write_text("Council approves budget\n" + "\n".join(PARAGRAPHS))
    target = tmp_path / "articles"
    command = [sys.executable, "-m", "bot", "ingest", str(src), str(tmp_path / "nope.txt"), "--articles", str(target)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Added 1 article(s); 0 duplicate(s) skipped; 1 source(s) skipped.")
    assert "nope.txt: not found" in first.stdout
    assert "\x1b[" not in first.stderr  # no progress bar when not on a terminal
    second = subprocess.run([*command, "--format", "json"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    data = json.loads(second.stdout)
    assert data["counts"] == {"added": 0, "duplicates": 1, "skipped": 1}
    assert data["duplicates"][0]["source"] == str(src)
