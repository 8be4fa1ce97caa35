"""Block Kit rendering: Slack's limits hold for any brief, and article text never becomes markup."""

from __future__ import annotations

import json

from bot.core.models import Reply, ReplyKind
from bot.render.slack import (
    MAX_BLOCKS,
    MAX_HEADER,
    MAX_SECTION,
    brief_blocks,
    escape,
    reply_message,
    text_blocks,
    truncate,
)
from summarizer.models import Brief, Claim, Coverage, Disagreement, Entity, Event, Point, Quote, Source


def _texts(blocks: list[dict]) -> list[str]:
    """Every text string in the blocks, wherever it sits."""
    out: list[str] = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        for element in block.get("elements", []):
            out.append(element["text"])
    return out


def _brief(n: int, size: int, title: str = "A title", url: str | None = "https://news.example/a?b=1&c=2") -> Brief:
    sources = tuple(Source(f"s{i}", f"Source title {i}", "Outlet", url, "2024-03-18") for i in range(n))
    ids = tuple(s.id for s in sources)
    long = ("word " * size).strip()
    return Brief(
        topic="t",
        title=title,
        summary=long,
        points=tuple(Point(f"Point {i}: {long}", ids[i % n : i % n + 2], 2) for i in range(n)),
        sources=sources,
        coverage=Coverage(n, n * 10, 0),
        quotes=tuple(Quote(f"Speaker {i}", long, (ids[i % n],)) for i in range(n)),
        timeline=tuple(Event(f"2024-03-{i % 28 + 1:02d}", long, (ids[i % n],)) for i in range(n)),
        disagreements=tuple(
            Disagreement(f"About {i}", (Claim(long, (ids[0],)), Claim(long, (ids[-1],)))) for i in range(n)
        ),
        entities=tuple(Entity(f"Name {i}", "person", i, "role") for i in range(n)),
    )


def test_huge_brief_fits_slack_limits() -> None:
    brief = _brief(n=300, size=2000, title="T" * 400)
    blocks = brief_blocks(brief)
    assert len(blocks) <= MAX_BLOCKS
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= MAX_HEADER
    assert blocks[0]["text"]["text"].endswith("\u2026")
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(len(e["text"]) <= MAX_SECTION for e in block["elements"])
    text = "\n".join(_texts(blocks))
    assert "more points" in text and "more sources" in text  # shortened visibly, not silently
    assert "Reply in this thread" in _texts(blocks)[-1]  # the footer survives the cuts
    assert len(json.dumps(blocks)) < 50_000


def test_small_brief_keeps_everything_with_citations_and_links() -> None:
    brief = _brief(n=3, size=20)
    text = "\n".join(_texts(brief_blocks(brief)))
    for heading in ("Key points", "Key quotes", "Timeline", "Where sources differ", "Sources", "Who's who"):
        assert heading in text
    link = "https://news.example/a?b=1&amp;c=2"
    assert f"<{link}|[1]><{link}|[2]>" in text and f"<{link}|[3]>" in text  # citations link to the articles
    assert "<https://news.example/a?b=1&amp;c=2|Source title 0>" in text
    assert "more points" not in text


def test_escape_handles_ampersand_first() -> None:
    assert escape("a & <b> &lt;") == "a &amp; &lt;b&gt; &amp;lt;"


def test_hostile_brief_text_cannot_ping_or_link() -> None:
    hostile = "Hi <!channel> and <!here|here> <@U999> <#C123> <!subteam^S1> see <http://evil.example|your bank>"
    brief = Brief(
        topic="t",
        title=f"Title {hostile}",
        summary=hostile,
        points=(Point(hostile, ("a",), 1),),
        sources=(
            Source("a", hostile, hostile, "javascript:alert(1)", None),
            Source("b", "B", None, "http://x|y>", None),
        ),
        coverage=Coverage(1, 1, 0),
        quotes=(Quote(hostile, hostile, ("a",)),),
        timeline=(Event(hostile, hostile, ("a",)),),
        disagreements=(Disagreement(hostile, (Claim(hostile, ("a",)),)),),
        entities=(Entity(hostile, hostile, 1, hostile),),
    )
    message = reply_message(Reply(ReplyKind.BRIEF, hostile, brief=brief))
    rendered = json.dumps(message, ensure_ascii=False)
    for control in ("<!channel>", "<!here", "<@U999>", "<#C123>", "<!subteam", "<http://evil", "javascript:"):
        assert control not in rendered
    assert "&lt;!channel&gt;" in message["text"]
    # a url that would break out of <url|title> is encoded, not trusted
    assert "<http://x%7Cy%3E|B>" in rendered


def test_truncate_never_splits_an_entity_and_marks_the_cut() -> None:
    text = escape("x" * 95 + "&&&&&&&&&&")
    cut = truncate(text, 100)
    assert len(cut) <= 100 and cut.endswith("\u2026")
    assert cut[:-1].count("&") == cut[:-1].count("&amp;")
    assert truncate("short", 100) == "short"


def test_long_plain_reply_is_split_into_sections_within_limits() -> None:
    text = "\n".join(f"line {i} " + "y" * 200 for i in range(100))
    blocks = text_blocks(text)
    assert 1 < len(blocks) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION for b in blocks)
    message = reply_message(Reply(ReplyKind.TEXT, text, ephemeral=True))
    assert len(message["text"]) <= 3000 and message["blocks"] == blocks
