"""The brief page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

What a person would notice is measured: the page fetches nothing but itself, every point and a chart are
on screen, a phone (390 px) and a laptop (1280 px) get no horizontal scroll, dark mode is dark, and hostile
article text executes nothing (a dialog listener, with the page's CSP switched off so escaping alone must
hold). A full-page screenshot per width is kept under ``tests/artifacts/`` (gitignored).

``.ci/run`` installs the browser (apt) and Playwright (pip). Without them this module is skipped with a
loud message, never silently.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from bot.core.pages import BriefPages, LinkSigner
from bot.render.html import brief_to_html
from bot.store.state import MemoryState
from bot.web.server import WebServer
from tests.conftest import ROOT
from tests.page_fixtures import dated_brief, hostile_brief, pipeline_hostile_brief, seed_brief

CHROMIUM = os.environ.get("BRIEFBOT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = (390, 1280)


def _missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


MISSING = _missing()
if MISSING:
    message = f"\n{'!' * 78}\n!! BROWSER TESTS SKIPPED: {MISSING}\n{'!' * 78}"
    print(message, file=sys.stderr)
    warnings.warn(message, stacklevel=1)
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"BROWSER TESTS SKIPPED: {MISSING}")


@pytest.fixture
async def browser() -> Any:
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        chromium = await driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def _open(
    browser: Any, url: str, width: int, status: int = 200, **context: Any
) -> tuple[Any, Any, list[str], list[str]]:
    ctx = await browser.new_context(viewport={"width": width, "height": 900}, **context)
    page = await ctx.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    async def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    response = await page.goto(url, wait_until="load")
    assert response is None or response.status == status
    return ctx, page, requests, dialogs


async def _check_layout(page: Any, width: int, brief: Any, name: str) -> None:
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: horizontal scroll at {width}px ({scroll}px wide)"
    body = " ".join((await page.inner_text("body")).split())
    for point in brief.points:
        assert " ".join(point.text.split()) in body, f"{name}: point missing: {point.text[:60]}"
    charts = page.locator("figure.chart svg")
    assert await charts.count() >= 1
    for index in range(await charts.count()):
        box = await charts.nth(index).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50 and box["x"] + box["width"] <= width + 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"brief-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("name", ["seeds", "dated"])
async def test_page_from_a_file_is_self_contained_and_fits_every_width(
    browser: Any, tmp_path: Path, name: str
) -> None:
    brief = seed_brief() if name == "seeds" else dated_brief()
    path = tmp_path / f"{name}.html"
    path.write_text(brief_to_html(brief), encoding="utf-8")
    url = path.as_uri()
    for width in WIDTHS:
        ctx, page, requests, dialogs = await _open(browser, url, width)
        try:
            await _check_layout(page, width, brief, name)
            assert requests == [url], f"the page fetched more than itself: {requests}"
            assert not dialogs
        finally:
            await ctx.close()


async def test_dark_mode_and_print(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "dated.html"
    path.write_text(brief_to_html(dated_brief()), encoding="utf-8")
    ctx, page, _, _ = await _open(browser, path.as_uri(), 390, color_scheme="dark")
    try:
        background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 20, 23)"
        await page.screenshot(path=str(ARTIFACTS / "brief-dated-390-dark.png"), full_page=True)
        await page.emulate_media(media="print", color_scheme="dark")
        assert await page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        pdf = await page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
        (ARTIFACTS / "brief-dated-print.pdf").write_bytes(pdf)
    finally:
        await ctx.close()


async def test_hostile_text_executes_nothing_even_without_the_csp(browser: Any, tmp_path: Path) -> None:
    for name, brief in (("hostile", hostile_brief()), ("hostile-articles", pipeline_hostile_brief(tmp_path / "a"))):
        path = tmp_path / f"{name}.html"
        path.write_text(brief_to_html(brief), encoding="utf-8")
        ctx, page, requests, dialogs = await _open(browser, path.as_uri(), 390, bypass_csp=True)
        try:
            for selector in ("h1", "a.cite", "li", "blockquote", "h3"):  # an injected onmouseover would fire
                for index in range(min(await page.locator(selector).count(), 12)):
                    await page.locator(selector).nth(index).hover()
            await page.wait_for_timeout(200)
            assert dialogs == [], f"{name}: article text executed: {dialogs}"
            assert requests == [path.as_uri()], f"{name}: injected markup fetched: {requests}"
            assert await page.evaluate("document.scripts.length") == 0
            assert await page.locator("img").count() == 0
            scroll = await page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name}: hostile text broke the layout ({scroll}px)"
            await page.screenshot(path=str(ARTIFACTS / f"brief-{name}-390.png"), full_page=True)
        finally:
            await ctx.close()


async def test_served_page_behind_a_signed_link(browser: Any) -> None:
    pages = BriefPages(MemoryState(), LinkSigner("browser-test-secret-long-enough"), "http://x", ttl=600)
    brief = seed_brief()
    link = await pages.publish(brief)
    web = WebServer("127.0.0.1", 0, pages=pages)
    await web.start()
    try:
        url = f"http://127.0.0.1:{web.port}" + link.removeprefix("http://x")
        for width in WIDTHS:
            ctx, page, requests, dialogs = await _open(browser, url, width)
            try:
                await _check_layout(page, width, brief, "served")
                assert requests == [url] and not dialogs
            finally:
                await ctx.close()
        ctx, page, _, _ = await _open(browser, url.replace("sig=", "sig=x"), 1280, status=403)
        try:
            assert "Forbidden" in await page.inner_text("body")
            assert brief.title not in await page.content()
        finally:
            await ctx.close()
    finally:
        await web.stop()
