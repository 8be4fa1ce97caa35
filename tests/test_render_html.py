"""The brief page: complete, self-contained, charts drawn, and hostile article text stays text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt

from bot.render.html import brief_to_html, safe_url
from bot.render.text import brief_to_text
from tests.conftest import ROOT
from tests.page_fixtures import (
    ATTR,
    IMG,
    SCRIPT,
    audit,
    dated_brief,
    hostile_brief,
    pipeline_hostile_brief,
    seed_brief,
)


def _visible(html: str) -> str:
    return " ".join(" ".join(audit(html).text).split())


def test_seed_page_has_every_part_and_a_chart() -> None:
    brief = seed_brief()
    html = brief_to_html(brief)
    page = audit(html)
    assert "script" not in page.tags and not page.event_attributes and not page.fetching
    text = _visible(html)
    for point in brief.points:
        assert " ".join(point.text.split()) in text
    for quote in brief.quotes:
        assert quote.speaker in text
    for heading in ("Key points", "Timeline", "Key quotes", "Who's who", "Sources", "Coverage"):
        assert f">{heading}</h2>" in html
    assert 'id="chart-sources"' in html and 'id="chart-timeline"' in html  # no publication dates: no coverage
    assert "(the articles give no years)" in html
    assert f"{brief.coverage.articles} articles read" in text
    # every citation points into the sources list, and each source has that anchor
    assert all(h.startswith("#src-") for h in page.hrefs)
    for number in range(1, len(brief.sources) + 1):
        assert f'id="src-{number}"' in html


def test_dated_story_draws_coverage_and_a_time_axis() -> None:
    brief = dated_brief()
    html = brief_to_html(brief)
    for chart in ("chart-coverage", "chart-timeline", "chart-sources"):
        assert f'id="{chart}"' in html
    assert "10 dated articles from 2024-03-01 to 2024-03-05, by 3 outlets." in html
    assert html.count("<title id=") == 3  # each chart has a title for screen readers
    # articles are linked from the sources list, without leaking the signed page URL to them
    assert '<a href="https://news.example/0" rel="noopener noreferrer nofollow"' in html


def test_latest_and_background_when_the_brief_tells_them_apart() -> None:
    from dataclasses import replace

    from summarizer.models import Point

    base = dated_brief()
    points = (Point("Old news.", ("a1",), 1, "2024-03-01", False), Point("New today.", ("a0",), 1, "2024-03-05", True))
    html = brief_to_html(replace(base, points=points))
    assert ">Latest</h2>" in html and ">Background</h2>" in html and "<time>2024-03-05</time>" in html
    assert html.index("New today.") < html.index(">Background</h2>") < html.index("Old news.")
    assert '<li value="1" class="point">' in html and '<li value="2" class="point">' in html  # numbered on
    markdown = MarkdownIt("commonmark").render(brief_to_text(replace(base, points=points), markdown=True))
    assert markdown.index("Latest") < markdown.index("New today.") < markdown.index("Background")
    assert '<ol start="2">' in markdown  # the second list goes on counting
    assert ">Latest</h2>" not in brief_to_html(base)  # undated points: one list


def test_hostile_fields_stay_text() -> None:
    brief = hostile_brief()
    html = brief_to_html(brief)
    page = audit(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert not page.event_attributes and not page.fetching
    assert all(h.startswith("#src-") or h.startswith("https://") for h in page.hrefs)
    assert "javascript:" not in " ".join(page.hrefs).lower() and "data:" not in " ".join(page.hrefs)
    text = _visible(html)
    assert SCRIPT in text and IMG in text and ATTR.strip() in text  # shown as the article wrote it
    assert "</svg>--><!--" in text  # the break-out attempts are text too


def test_hostile_articles_through_the_pipeline_stay_text(tmp_path: Path) -> None:
    brief = pipeline_hostile_brief(tmp_path / "hostile")
    assert brief.points, "the hostile story must produce points to test"
    html = brief_to_html(brief)
    page = audit(html)
    assert "script" not in page.tags and "img" not in page.tags and not page.event_attributes
    assert not any("javascript" in h.lower() for h in page.hrefs)
    assert "https://news.example/v?a=1&amp;b=&lt;2&gt;" in html  # quoted, still a link to the article


def test_safe_url_keeps_only_plain_web_links() -> None:
    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    for bad in ("javascript:alert(1)", " JAVASCRIPT:x", "data:text/html,x", "https://a b", "//a.example", None, ""):
        assert safe_url(bad) is None


def test_text_brief_does_not_import_the_page_libraries() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from bot.cli.main import app\n"
        f"r = CliRunner().invoke(app, ['brief', 'china-russia', '--articles', {str(ROOT / 'seeds')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('matplotlib', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_cli_writes_the_page(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "brief", "china-russia", "--format", "html", "--articles", str(ROOT / "seeds")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in out.stdout
    assert "<svg" in out.stdout and "</html>" in out.stdout


def test_year_less_timeline_rolls_over_in_order_and_shows_no_invented_year() -> None:
    from bot.render.charts import timeline_chart
    from summarizer.models import Brief, Coverage, Event, Point, Source

    events = (Event("December 30", "a", ("s",)), Event("Friday", "b", ("s",)), Event("January 2", "c", ("s",)),
              Event("February 4", "d", ("s",)))  # fmt: skip
    brief = Brief("t", "T", "", (Point("p", ("s",), 1),), (Source("s", "S"),), Coverage(1, 1, 0), timeline=events)
    chart = timeline_chart(brief)
    assert chart is not None
    assert chart.description == "3 dated events between December 30 and February 4 (the articles give no years)."
    assert "2000" not in chart.description and "2001" not in chart.description
