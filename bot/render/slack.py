"""Brief, answer and plain replies as Slack Block Kit, with a plain ``text`` fallback.

Everything drawn from articles is escaped (``&``, ``<``, ``>``; ``&`` first), so ``<!channel>``, ``<@U123>``
or a disguised link ``<http://evil|bank>`` inside an article shows as text and never pings or links.
Slack rejects a message over its limits (50 blocks, 3,000 characters per section, 150 per header), so a
long brief is shortened here (fewer items, ellipses) instead of being refused by Slack.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from bot.core.models import Reply, ReplyKind
from bot.render.common import digest_line, web_url
from bot.render.dates import parse_instant
from bot.render.layout import is_table, rows
from bot.render.text import point_sections
from summarizer.models import Answer, Brief, Source

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK = 3000  # the notification text; Slack allows more but only shows the start
MAX_ITEM = 600  # one point, quote or event: longer ones are cut so a section holds several

# How many of each list a brief shows at most; the text fallback and the CLI keep the full brief.
LIMITS = {"points": 10, "quotes": 4, "timeline": 8, "disagreements": 4, "entities": 10, "sources": 20}

FOOTER = "Reply in this thread to ask a follow-up question; answers come only from these sources."
ELLIPSIS = "\u2026"

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters as entities (``&`` first, or the others would be double-escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary where one is near, with an ellipsis.

    Never cuts inside an entity such as ``&amp;`` (a half entity would show as garbage)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    space = cut.rfind(" ")
    if space > limit * 0.7:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links, with characters that would break ``<url|title>`` encoded."""
    url = web_url(url)
    if url is None:
        return None
    return url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, MAX_SECTION)}}


def _context(texts: Iterable[str]) -> Block:
    elements = [{"type": "mrkdwn", "text": truncate(t, MAX_SECTION)} for t in texts]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}


def _packed(heading: str, lines: Sequence[str]) -> list[Block]:
    """A titled list as few section blocks as fit: lines are joined until a section would overflow."""
    blocks: list[Block] = []
    current = f"*{heading}*"
    for line in lines:
        line = truncate(line, MAX_SECTION - len(heading) - 10)
        if len(current) + 1 + len(line) > MAX_SECTION:
            blocks.append(_section(current))
            current = line
        else:
            current = f"{current}\n{line}"
    blocks.append(_section(current))
    return blocks


def _more(shown: int, total: int, what: str) -> list[str]:
    """A visible note that items were left out to fit Slack's limits (the JSON/CLI brief has them all)."""
    return [f"_{ELLIPSIS} and {total - shown} more {what}_"] if total > shown else []


def _cite(brief: Brief, sources: Sequence[str]) -> str:
    """[n] citations; each a link to its article where the URL is known."""
    out = []
    for n in sorted({brief.source_number(s) for s in sources if any(x.id == s for x in brief.sources)}):
        url = _safe_url(brief.sources[n - 1].url)
        out.append(f"<{url}|[{n}]>" if url else f"[{n}]")
    return "".join(out)


def slack_date(value: str | None) -> str:
    """A stamp with a time as ``<!date^...>`` (each reader sees their own zone); a bare day as written."""
    if not value:
        return ""
    moment = parse_instant(value)
    if moment is None:
        return escape(value)
    fallback = escape(moment.strftime("%Y-%m-%d %H:%M UTC") if moment.utcoffset() == timedelta(0) else value)
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _item(text: str) -> str:
    return truncate(escape(" ".join(text.split())), MAX_ITEM)


def _source_line(number: int, source: Source) -> str:
    title = truncate(escape(" ".join(source.title.split())) or f"Source {number}", 200)
    url = _safe_url(source.url)
    label = f"<{url}|{title}>" if url else title
    meta = ", ".join(x for x in (truncate(escape(source.outlet or ""), 100), slack_date(source.published)) if x)
    return f"[{number}] {label}" + (f" \u2014 {meta}" if meta else "")


def _section_groups(brief: Brief, limits: dict[str, int]) -> list[list[Block]]:
    """The brief's parts in reading order, each a list of blocks, before the block budget is applied."""
    groups: list[list[Block]] = []
    if brief.summary:
        groups.append([_section(truncate(escape(brief.summary), MAX_SECTION))])
    if brief.points:
        number, room = 0, limits["points"]
        sections = point_sections(brief)  # "Latest" and "Background" when the brief tells them apart
        for index, (heading, points) in enumerate(sections):
            shown = points[: max(room, 0)]
            room -= len(shown)
            lines = []
            for p in shown:
                number += 1
                tag = f" _(reported by {p.corroboration} sources)_" if p.corroboration > 1 else ""
                when = getattr(p, "date", None)
                tag += f" \u2014 {slack_date(str(when))}" if when else ""
                lines.append(f"{number}. {_item(p.text)} {_cite(brief, p.sources)}{tag}")
            if index == len(sections) - 1:
                lines += _more(number, len(brief.points), "points")
            if lines:
                groups.append(_packed(heading, lines))
    if brief.quotes:
        shown_q = brief.quotes[: limits["quotes"]]
        lines = [f">\u201c{_item(q.text)}\u201d \u2014 {escape(q.speaker)} {_cite(brief, q.sources)}" for q in shown_q]
        groups.append(_packed("Key quotes", lines + _more(len(shown_q), len(brief.quotes), "quotes")))
    if brief.timeline:
        shown_t = brief.timeline[: limits["timeline"]]
        lines = [f"\u2022 *{escape(e.date)}* {_item(e.text)} {_cite(brief, e.sources)}" for e in shown_t]
        groups.append(_packed("Timeline", lines + _more(len(shown_t), len(brief.timeline), "events")))
    if brief.disagreements:
        shown_d = brief.disagreements[: limits["disagreements"]]
        lines = []
        for d in shown_d:
            lines.append(f"\u2022 {_item(d.about)}")
            lines += [f"    \u25e6 {_item(c.text)} {_cite(brief, c.sources)}" for c in d.claims[:4]]
        more = _more(len(shown_d), len(brief.disagreements), "disagreements")
        groups.append(_packed("Where sources differ", lines + more))
    if brief.entities:
        shown_e = brief.entities[: limits["entities"]]
        names = []
        for e in shown_e:
            role = f", {escape(e.role)}" if e.role else ""
            names.append(f"{escape(e.name)}{role} ({escape(e.kind)})")
        groups.append([_context(["*Who's who:* " + truncate("; ".join(names), MAX_SECTION - 20)])])
    return groups


def _sources_blocks(brief: Brief, limit: int) -> list[Block]:
    """Sources as context blocks (10 elements each), numbered like the citations."""
    lines = [_source_line(i, s) for i, s in enumerate(brief.sources[:limit], 1)]
    lines += _more(min(limit, len(brief.sources)), len(brief.sources), "sources")
    blocks: list[Block] = [_section("*Sources*")] if lines else []
    for start in range(0, len(lines), MAX_CONTEXT_ELEMENTS):
        blocks.append(_context(lines[start : start + MAX_CONTEXT_ELEMENTS]))
    return blocks


def digest_note(extra: dict[str, Any]) -> str | None:
    """A digest's first line: what is new and since when (in the reader's time zone); None for a plain brief."""
    return digest_line(extra, "*", slack_date)


def brief_blocks(brief: Brief, page_url: str | None = None, note: str | None = None) -> list[Block]:
    """Header, lead, points, quotes, timeline, disagreements, who's who, sources, footer: at most 50 blocks.

    With ``page_url`` (a signed brief page), a "Full brief" link follows the header; without, nothing says so."""
    limits = dict(LIMITS)
    link = _safe_url(page_url)
    while True:
        blocks: list[Block] = [
            {
                "type": "header",
                "text": {"type": "plain_text", "text": truncate(escape(brief.title) or "Brief", MAX_HEADER)},
            }
        ]
        if note:
            blocks.append(_context([note]))
        if link:
            blocks.append(_context([f"*<{link}|Full brief \u2192>* with charts, the timeline and every source"]))
        for group in _section_groups(brief, limits):
            blocks += group
        blocks.append({"type": "divider"})
        blocks += _sources_blocks(brief, limits["sources"])
        c = brief.coverage
        blocks.append(_context([f"{c.articles} articles, {c.sentences} sentences read. {FOOTER}"]))
        if len(blocks) <= MAX_BLOCKS:
            return blocks
        if all(v <= 1 for v in limits.values()):  # cannot shrink further: keep the start and the footer
            return blocks[: MAX_BLOCKS - 1] + [blocks[-1]]
        limits = {k: max(1, v // 2) for k, v in limits.items()}  # fewer items, same shape


def _mrkdwn_lines(text: str) -> list[str]:
    """A plain reply as mrkdwn lines: aligned help rows become "`command` \u2014 description" (wrapped by Slack)."""
    if not is_table(text):
        return [escape(line) for line in text.split("\n")]
    lines = []
    for first, second, indented in rows(text):
        if second is not None:
            lines.append(f"`{escape(first)}` \u2014 {escape(second)}")
        elif indented and first:
            lines.append(f"\u2022 {escape(first)}")
        else:
            lines.append(escape(first))
    return lines


def text_blocks(text: str) -> list[Block]:
    """A plain reply (help, topics, errors) as mrkdwn sections within Slack's limits; Slack wraps the lines."""
    return text_blocks_mrkdwn("\n".join(_mrkdwn_lines(text)))


def answer_mrkdwn(answer: Answer, numbers: dict[str, int] | None = None) -> str:
    """A follow-up answer as one mrkdwn paragraph (no hard wraps), numbered like the brief's sources."""
    if not answer.answered:
        return escape(" ".join(answer.answer.split()))

    def label(source: str) -> str:
        return f"[{numbers[source]}]" if numbers and source in numbers else f"[{escape(source)}]"

    def flat(text: str) -> str:
        return escape(" ".join(text.split()))

    if answer.citations and all(c.text in answer.answer for c in answer.citations):
        return " ".join(f"{flat(c.text)} {label(c.source)}" for c in answer.citations)
    lines = [flat(answer.answer)]
    if answer.citations:
        lines += ["", "*Sources:*"] + [f">{label(c.source)} \u201c{flat(c.text)}\u201d" for c in answer.citations]
    return "\n".join(lines)


def fallback_text(reply: Reply) -> str:
    """The message's ``text``: what a notification and a screen reader get. A short sentence, not the
    terminal rendering: the title and lead of a brief, the answer itself, a plain reply's own words."""
    if reply.kind is ReplyKind.BRIEF and reply.brief is not None:
        brief = reply.brief
        lead = " ".join(brief.summary.split())
        if reply.extra.get("digest"):  # what is new comes first in a notification
            lead = " ".join(reply.text.split("\n")[0].split())
        text = brief.title + (f" \u2014 {lead}" if lead else "")
        return truncate(escape(text), 300) or ELLIPSIS
    if reply.kind is ReplyKind.ANSWER and reply.answer is not None:
        text = answer_mrkdwn(reply.answer, reply.extra.get("source_numbers")).replace("\n>", "\n").replace("*", "")
        return truncate(" ".join(text.split()), MAX_FALLBACK) or ELLIPSIS
    return truncate(escape(" ".join(reply.text.split())), MAX_FALLBACK) or ELLIPSIS


def reply_message(reply: Reply) -> dict[str, Any]:
    """``text`` + ``blocks`` for chat.postMessage / chat.postEphemeral / respond(), for any reply kind."""
    if reply.kind is ReplyKind.BRIEF and reply.brief is not None:
        blocks = brief_blocks(reply.brief, reply.extra.get("page_url"), digest_note(reply.extra))
    elif reply.kind is ReplyKind.ANSWER and reply.answer is not None:
        blocks = text_blocks_mrkdwn(answer_mrkdwn(reply.answer, reply.extra.get("source_numbers")))
    else:
        blocks = text_blocks(reply.text)
    return {"text": fallback_text(reply), "blocks": blocks}


def text_blocks_mrkdwn(mrkdwn: str) -> list[Block]:
    """Already-escaped mrkdwn split into sections within Slack's limits."""
    blocks = [_section(chunk) for chunk in _chunks(mrkdwn.split("\n"), MAX_SECTION) if chunk.strip()]
    return blocks[:MAX_BLOCKS] or [_section(ELLIPSIS)]


def _chunks(lines: list[str], limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    chunks.append(current)
    return chunks
