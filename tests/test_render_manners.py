"""Replies that read well in each app: CommonMark that renders as lists, mrkdwn without hard wraps, dates in
the reader's time zone, citations that link, and a "Full brief" link only when pages are configured."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

from bot.core.models import Reply, ReplyKind
from bot.render.discord import brief_embeds, discord_date
from bot.render.slack import brief_blocks, reply_message, slack_date
from bot.render.text import brief_to_text
from summarizer.models import Answer, Citation
from tests.page_fixtures import IMG, SCRIPT, dated_brief, hostile_brief, seed_brief


class _Tree(HTMLParser):
    """Paths of list items in rendered HTML, e.g. ('ul', 'li', 'ul', 'li'), with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.items: list[tuple[tuple[str, ...], str]] = []
        self.tags: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self._href = dict(attrs).get("href")
        if tag in ("ul", "ol", "li", "blockquote"):
            self.stack.append(tag)
            if tag == "li":
                self.items.append((tuple(self.stack), ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol", "li", "blockquote") and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links.append((data, self._href))
            self._href = None
        if self.items and "li" in self.stack:
            path, text = self.items[-1]
            self.items[-1] = (path, text + data)


def _render(markdown: str) -> _Tree:
    tree = _Tree()
    tree.feed(MarkdownIt("commonmark").render(markdown))
    return tree


def test_markdown_lists_render_as_lists_in_commonmark() -> None:
    brief = seed_brief()
    tree = _render(brief_to_text(brief, markdown=True))
    sources = [t for path, t in tree.items if path == ("ol", "li") and any(s.title[:30] in t for s in brief.sources)]
    assert len(sources) == len(brief.sources)  # one list item per source, not one run-on paragraph
    points = [t for path, t in tree.items if path == ("ol", "li") and any(p.text[:30] in t for p in brief.points)]
    assert len(points) == len(brief.points)
    if brief.disagreements:
        nested = [t for path, t in tree.items if path == ("ul", "li", "ul", "li")]
        assert len(nested) == sum(len(d.claims) for d in brief.disagreements)  # claims nest under their topic
    assert tree.tags.count("blockquote") == len(brief.quotes)  # one blockquote per quote


def test_markdown_citations_link_and_article_text_is_literal() -> None:
    tree = _render(brief_to_text(dated_brief(), markdown=True))
    assert ("[1]", "https://news.example/0") in tree.links  # [n] links to the article
    assert ("Flood report 0", "https://news.example/0") in tree.links  # the sources list links too
    hostile = MarkdownIt("commonmark").render(brief_to_text(hostile_brief(), markdown=True))
    assert "<script" not in hostile and "<img" not in hostile and 'href="javascript' not in hostile.lower()
    assert "&lt;script&gt;alert(" in hostile  # shown, not run


def test_slack_brief_has_no_terminal_wraps_links_citations_and_localises_instants() -> None:
    brief = dated_brief()
    blocks = brief_blocks(brief)
    text = "\n".join(b["text"]["text"] for b in blocks if "text" in b and b["type"] == "section")
    assert "<https://news.example/0|[1]>" in text
    for point in brief.points:  # each point is one line: Slack wraps it, we don't
        assert any(point.text in line for line in text.split("\n"))
    assert slack_date("2024-03-01T10:00:00Z") == "<!date^1709287200^{date_short_pretty} {time}|2024-03-01 10:00 UTC>"
    assert slack_date("2024-03-01") == "2024-03-01"  # a calendar day is not moved across time zones
    assert "<!date^" in slack_date("Fri, 01 Mar 2024 10:00:00 +0100")  # RSS dates too


def test_discord_dates_links_and_full_brief() -> None:
    assert discord_date("2024-03-01T10:00:00Z") == "<t:1709287200:f>"
    assert discord_date("2024-03-01") == "2024-03-01"
    brief = dated_brief()
    url = "https://bot.example/briefs/" + "a" * 32 + "?exp=1&sig=x"
    main = brief_embeds(brief, url)[0]
    assert main["url"] == url and f"**[Full brief \u2192]({url})**" in main["description"]
    assert "Full brief" not in str(brief_embeds(brief)) and "url" not in brief_embeds(brief)[0]


def test_slack_full_brief_link_only_with_a_page_and_a_plain_fallback() -> None:
    brief = seed_brief()
    url = "https://bot.example/briefs/" + "b" * 32 + "?exp=1&sig=x"
    with_link = reply_message(Reply(ReplyKind.BRIEF, brief_to_text(brief), brief=brief, extra={"page_url": url}))
    assert f"<{url.replace('&', '&amp;')}|Full brief" in str(with_link["blocks"])
    without = reply_message(Reply(ReplyKind.BRIEF, brief_to_text(brief), brief=brief))
    assert "Full brief" not in str(without["blocks"])
    fallback = without["text"]
    assert fallback.startswith(brief.title) and "====" not in fallback and "\n" not in fallback


def test_slack_answer_is_unwrapped_and_numbered_like_the_brief() -> None:
    long = "The council said the river rose " + "very " * 40 + "fast."
    answer = Answer("How fast?", True, f"{long} Officials agreed.", (Citation("a2", "Gauges " + long),))
    reply = Reply(ReplyKind.ANSWER, "terminal text", answer=answer, extra={"source_numbers": {"a2": 3}})
    message = reply_message(reply)
    body = message["blocks"][0]["text"]["text"]
    assert body.split("\n")[0] == f"{long} Officials agreed."  # one line however long: the app wraps
    assert f">[3] \u201cGauges {long}\u201d" in body
    inline = Answer("How fast?", True, long, (Citation("a2", long),))  # the answer is the cited sentence
    message = reply_message(Reply(ReplyKind.ANSWER, "x", answer=inline, extra={"source_numbers": {"a2": 3}}))
    assert message["blocks"][0]["text"]["text"] == f"{long} [3]" and message["text"] == f"{long} [3]"
    refusal = reply_message(Reply(ReplyKind.ANSWER, "x", answer=Answer("Why?", False, "The articles don't\nsay.")))
    assert refusal["blocks"][0]["text"]["text"] == "The articles don't say."


def test_help_rows_become_lines_the_app_wraps() -> None:
    from bot.commands import help_text

    message = reply_message(Reply(ReplyKind.TEXT, help_text()))
    body = message["blocks"][0]["text"]["text"]
    assert "`/brief topics` \u2014 The named topics and how many articles each has." in body and "```" not in body
    aligned = reply_message(Reply(ReplyKind.TEXT, "Usage:\n  /brief help    this help"))["blocks"][0]["text"]["text"]
    assert aligned == "Usage:\n`/brief help` \u2014 this help"
    assert all(not line.startswith("  ") for line in body.split("\n"))


def test_hostile_text_in_slack_and_discord_stays_inert() -> None:
    brief = hostile_brief()
    slack = str(brief_blocks(brief, "javascript:alert(1)"))
    assert "Full brief" not in slack  # a bad page URL is never linked
    assert "<script" not in slack and "&lt;script&gt;" in slack
    embeds = str(brief_embeds(brief, "javascript:alert(1)"))
    assert "Full brief" not in embeds and "](javascript" not in embeds.lower()
    assert SCRIPT.replace("<", "&lt;") not in embeds and IMG in embeds.replace("\\", "")  # markdown-escaped text


def test_digest_says_what_is_new_since_when_in_the_readers_zone() -> None:
    from bot.render.discord import digest_note

    brief = dated_brief()
    extra = {"digest": True, "since": "2026-11-20T07:00:00+00:00", "new_article_ids": ["a1", "a2"],
             "new_points": ["x"]}  # fmt: skip
    text = "New since 2026-11-20 08:00 CET: 2 new articles, 1 new points.\n  + Flood report 1\n\nFloods\n====="
    message = reply_message(Reply(ReplyKind.BRIEF, text, brief=brief, extra=extra))
    note = message["blocks"][1]["elements"][0]["text"]
    since = "<!date^1795158000^{date_short_pretty} {time}|2026-11-20 07:00 UTC>"
    assert note == f"*New since {since}:* 2 new articles, 1 new point."
    assert message["text"] == f"{brief.title} \u2014 New since 2026-11-20 08:00 CET: 2 new articles, 1 new points."
    embed = brief_embeds(brief, None, digest_note(extra))[0]
    assert embed["description"].startswith("**New since <t:1795158000:f>:** 2 new articles, 1 new point.")
    assert reply_message(Reply(ReplyKind.BRIEF, "x", brief=brief))["blocks"][1]["type"] != "context"


def test_slack_shows_latest_and_background_numbered_on() -> None:
    from dataclasses import replace

    from summarizer.models import Point

    points = (Point("Old news.", ("a1",), 1, "2024-03-01", False), Point("New today.", ("a0",), 1, "2024-03-05", True))
    text = str(brief_blocks(replace(dated_brief(), points=points)))
    assert text.index("*Latest*\\n1. New today.") < text.index("*Background*\\n2. Old news.")
