"""Brief and answer as Discord embeds (plain dicts in Discord's JSON shape), within Discord's limits.

Discord rejects a whole message when one limit is exceeded (4,096-character description, 25 fields,
1,024 per field value, 256 per title or field name, 6,000 characters over all embeds of a message), so
everything here is shortened line by line, least important sections first, and says what it left out.
Article text is escaped: markdown that would break the layout is neutralised and mentions are defused
(the client's ``AllowedMentions.none()`` already stops pings; escaping also stops them *looking* like pings).
Dicts rather than ``discord.Embed`` keep this module testable without a client; the adapter converts them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.render.common import digest_line
from bot.render.dates import parse_instant
from bot.render.layout import is_table, rows
from bot.render.text import ANSWER_HEADING, CONTEXT_HEADING, answer_and_context
from summarizer.models import Answer, Brief

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
TOTAL_MAX = 6000  # over every embed of one message
EMBEDS_MAX = 10
CONTENT_MAX = 2000
THREAD_NAME_MAX = 100

COLOUR = 0x2B6CB0
SUMMARY_MAX = 1500  # the lead stays readable and leaves room for the points
LINE_MAX = 600  # one point, quote or event


_MARKDOWN = re.compile(r"([\\*_~|`\[\]])")
_LINE_MARKERS = re.compile(r"^(\s*)(>|#|-|\d+\.)", re.MULTILINE)
_URL = re.compile(r"(https?://[^\s<>]+)")


def escape(text: str) -> str:
    """Article or user text made inert: no markdown surprises, no mention syntax.

    Character by character rather than ``discord.utils.escape_markdown``: that one escapes only the opening
    bracket of a masked link and leaves everything up to the line's last ``)`` unescaped. URLs are left
    alone so Discord still links them.
    """
    from discord.utils import escape_mentions

    parts = _URL.split(escape_mentions(text))
    out = [part if i % 2 else _MARKDOWN.sub(r"\\\1", part) for i, part in enumerate(parts)]
    return _LINE_MARKERS.sub(_escape_marker, "".join(out))


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker.endswith("."):  # "1." -> "1\." (a backslash before a digit would show)
        return f"{indent}{marker[:-1]}\\."
    return f"{indent}\\{marker}"


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis; never a dangling escape."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    cut = cut.rstrip()
    while cut.endswith("\\"):  # a lone backslash would escape the ellipsis
        cut = cut[:-1]
    return cut + "\u2026"


def safe_url(url: str | None) -> str | None:
    """Only plain http(s) URLs become links: anything else could break out of the markdown link."""
    if url and re.fullmatch(r"https?://[^\s()<>\[\]]+", url):
        return url
    return None


@dataclass
class _Block:
    """Lines that may be shortened from the end; ``keep`` lines survive the 6,000-character pass."""

    lines: list[str]
    limit: int
    priority: int  # lower priority is shortened first
    keep: int = 0
    dropped: int = 0
    noun: str = "line"

    def render(self) -> str:
        plural = "" if self.dropped == 1 else "s"
        more = f"\n\u2026and {self.dropped} more {self.noun}{plural} not shown" if self.dropped else ""
        return "\n".join(self.lines) + more

    def drop_last(self) -> bool:
        if len(self.lines) <= self.keep:
            return False
        self.lines.pop()
        self.dropped += 1
        return True

    def fit(self) -> None:
        while len(self.render()) > self.limit and self.drop_last():
            pass
        if len(self.render()) > self.limit:  # the kept lines alone are too long: clip the last one
            budget = self.limit - (len(self.render()) - len(self.lines[-1]))
            self.lines[-1] = clip(self.lines[-1], max(budget, 1))


@dataclass
class _Layout:
    """A message's embeds before rendering, so the total budget can be enforced across them."""

    title: str
    summary: str
    points: _Block
    fields: list[tuple[str, _Block]] = field(default_factory=list)
    sources: _Block | None = None
    footer: str = ""
    url: str | None = None  # the brief page: the title links to it
    heading: str = "Key points"  # of the points in the description

    def blocks(self) -> list[_Block]:
        out = [self.points] + [b for _, b in self.fields]
        return out + ([self.sources] if self.sources else [])

    def description(self) -> str:
        parts = [self.summary] if self.summary else []
        if self.points.lines:
            parts.append(f"**{self.heading}**\n" + self.points.render())
        return "\n\n".join(parts)

    def total(self) -> int:
        return sum(embed_chars(e) for e in self.embeds())

    def embeds(self) -> list[dict[str, Any]]:
        main: dict[str, Any] = {"type": "rich", "title": self.title, "color": COLOUR}
        if self.url:
            main["url"] = self.url
        description = self.description()
        if description:
            main["description"] = description
        fields = [
            {"name": name, "value": block.render(), "inline": False}
            for name, block in self.fields
            if block.lines
        ]
        if fields:
            main["fields"] = fields[:FIELDS_MAX]
        if self.footer:
            main["footer"] = {"text": self.footer}
        out = [main]
        if self.sources and self.sources.lines:
            out.append({"type": "rich", "title": "Sources", "description": self.sources.render(), "color": COLOUR})
        return out[:EMBEDS_MAX]


def embed_chars(embed: dict[str, Any]) -> int:
    """Characters Discord counts toward the 6,000 limit: title, description, fields, footer, author."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    total += len(embed.get("footer", {}).get("text", "")) + len(embed.get("author", {}).get("name", ""))
    return total


def _fit_total(layout: _Layout) -> None:
    """Shorten the least important blocks first until the message fits Discord's 6,000 characters."""
    for block in layout.blocks():
        block.fit()
    while layout.total() > TOTAL_MAX:
        candidates = sorted((b for b in layout.blocks() if len(b.lines) > b.keep), key=lambda b: b.priority)
        if not candidates:
            break
        candidates[0].drop_last()
    if layout.total() > TOTAL_MAX:  # only kept lines remain: shorten the lead as a last resort
        excess = layout.total() - TOTAL_MAX
        layout.summary = clip(layout.summary, max(len(layout.summary) - excess, 200))


def _c(brief: Brief, sources: Sequence[str]) -> str:
    """ [n] citations; each a masked link to its article where the URL is known."""
    out = []
    for n in sorted({brief.source_number(s) for s in sources if any(x.id == s for x in brief.sources)}):
        url = safe_url(brief.sources[n - 1].url)
        out.append(f"[\\[{n}\\]]({url})" if url else f"\\[{n}\\]")
    return f" {''.join(out)}" if out else ""


def discord_date(value: str | None) -> str:
    """A stamp with a time as ``<t:unix:f>`` (each reader sees their own zone); a bare day as written."""
    if not value:
        return ""
    moment = parse_instant(value)
    return f"<t:{int(moment.timestamp())}:f>" if moment is not None else escape(value)


def _point_line(brief: Brief, number: int, point: Any) -> str:
    when = getattr(point, "date", None)
    return (
        clip(f"{number}. {escape(point.text)}", LINE_MAX)
        + _c(brief, point.sources)
        + (f" \u00b7 *{point.corroboration} sources*" if point.corroboration > 1 else "")
        + (f" \u00b7 {discord_date(str(when))}" if when else "")
    )


def digest_note(extra: dict[str, Any]) -> str | None:
    """A digest's first line: what is new and since when (in the reader's time zone); None for a plain brief."""
    return digest_line(extra, "**", discord_date)


def brief_embeds(brief: Brief, page_url: str | None = None, note: str | None = None) -> list[dict[str, Any]]:
    """The brief as embeds: lead and key points, quotes, timeline, disagreements, who's who, sources.

    With ``page_url`` (a signed brief page) the title links to it and the lead ends with a "Full brief" link;
    without, nothing mentions it."""
    link = safe_url(page_url)
    summary = clip(escape(brief.summary), SUMMARY_MAX)
    if note:
        summary = f"{note}\n\n{summary}"
    if link:
        summary = f"{summary}\n\n**[Full brief \u2192]({link})** with charts, the timeline and every source"
    # A focused brief's context goes in a field of its own after the answer (bot.render.text.point_sections),
    # numbered on, and shortened before the answer is.
    split = answer_and_context(brief)
    answer, context = split if split is not None else (brief.points, ())
    heading = "Key points" if split is None else ANSWER_HEADING
    points = _Block(
        [_point_line(brief, i, p) for i, p in enumerate(answer, 1)],
        limit=DESCRIPTION_MAX - len(summary) - len(f"\n\n**{heading}**\n"),
        priority=60,
        keep=1,
        noun="point",
    )
    layout = _Layout(title=clip(escape(brief.title), TITLE_MAX) or "Brief", summary=summary, points=points, url=link,
                     heading=heading)
    if context:
        lines = [_point_line(brief, i, p) for i, p in enumerate(context, len(answer) + 1)]
        layout.fields.append((CONTEXT_HEADING, _Block(lines, FIELD_VALUE_MAX, priority=50, noun="point")))
    if brief.quotes:
        lines = [
            clip(f"\u201c{escape(q.text)}\u201d \u2014 **{escape(q.speaker)}**", LINE_MAX) + _c(brief, q.sources)
            for q in brief.quotes
        ]
        layout.fields.append(("Key quotes", _Block(lines, FIELD_VALUE_MAX, priority=30, noun="quote")))
    if brief.timeline:
        lines = [
            clip(f"**{escape(e.date)}** \u2014 {escape(e.text)}", LINE_MAX) + _c(brief, e.sources)
            for e in brief.timeline
        ]
        layout.fields.append(("Timeline", _Block(lines, FIELD_VALUE_MAX, priority=20, noun="event")))
    room = FIELDS_MAX - len(layout.fields) - 1
    for d in brief.disagreements[: max(room, 0)]:
        lines = [clip(f"\u2022 {escape(c.text)}", LINE_MAX) + _c(brief, c.sources) for c in d.claims]
        name = clip(f"Where sources differ: {escape(d.about)}", FIELD_NAME_MAX)
        layout.fields.append((name, _Block(lines, FIELD_VALUE_MAX, priority=40, noun="claim")))
    if brief.entities:
        lines = [
            clip(
                f"**{escape(e.name)}**" + (f", {escape(e.role)}" if e.role else "") + f" ({e.kind}, {e.mentions})",
                LINE_MAX,
            )
            for e in brief.entities
        ]
        layout.fields.append(("Who's who", _Block(lines, FIELD_VALUE_MAX, priority=10, noun="name")))
    layout.sources = _Block(
        [_source_line(i, s.title, s.outlet, s.published, s.url) for i, s in enumerate(brief.sources, 1)],
        DESCRIPTION_MAX,
        priority=50,
        keep=1,
        noun="source",
    )
    c = brief.coverage
    layout.footer = clip(
        f"{c.articles} articles \u00b7 {c.sentences} sentences read \u00b7 "
        f"{c.boilerplate_lines_dropped} boilerplate lines dropped \u00b7 reply in the thread to ask a question",
        FOOTER_MAX,
    )
    _fit_total(layout)
    return layout.embeds()


def _source_line(number: int, title: str, outlet: str | None, published: str | None, url: str | None) -> str:
    name = clip(escape(title), 200)
    link = safe_url(url)
    label = f"[{name}]({link})" if link else name
    meta = ", ".join(x for x in (clip(escape(outlet or ""), 100), discord_date(published)) if x)
    return clip(f"**[{number}]** {label}", LINE_MAX - 40) + (f" \u2014 {meta}" if meta else "")


def answer_embed(answer: Answer, source_numbers: dict[str, int] | None = None) -> dict[str, Any]:
    """A follow-up answer: the answer, then the sentences it rests on, numbered like the brief's sources."""
    embed: dict[str, Any] = {
        "type": "rich",
        "description": clip(escape(answer.answer), DESCRIPTION_MAX),
        "color": COLOUR if answer.answered else 0x718096,
    }
    if answer.answered and answer.citations:
        lines = []
        for c in answer.citations:
            number = (source_numbers or {}).get(c.source)
            label = f"**[{number}]**" if number else f"**{escape(c.source)}**"
            lines.append(clip(f"{label} \u201c{escape(c.text)}\u201d", LINE_MAX))
        block = _Block(lines, FIELD_VALUE_MAX, priority=0, keep=1, noun="citation")
        block.fit()
        embed["fields"] = [{"name": "From the articles", "value": block.render(), "inline": False}]
    return embed


def _table_lines(text: str) -> str:
    """Help and topic lists: aligned rows become "`command` \u2014 description" lines that Discord wraps
    (a code block would keep the alignment but scrolls sideways on a phone)."""
    lines = []
    for first, second, indented in rows(text):
        if second is not None:
            lines.append(f"`{first.replace('`', chr(39))}` \u2014 {escape(second)}")
        elif indented and first:
            lines.append(f"\u2022 {escape(first)}")
        else:
            lines.append(escape(first))
    return "\n".join(lines)


def text_messages(text: str) -> list[str]:
    """A plain reply as one or more messages of at most 2,000 characters, split between lines."""
    text = text.strip() or "(empty reply)"
    if is_table(text):
        return _split(_table_lines(text), CONTENT_MAX)
    return _split(escape(text), CONTENT_MAX)


def _split(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:  # a single enormous line: hard-wrap it
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks or [""]


def thread_name(brief: Brief) -> str:
    """Thread names are plain text (no markdown) and at most 100 characters."""
    return clip(" ".join(brief.title.split()) or "Brief", THREAD_NAME_MAX)
