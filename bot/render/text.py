"""Brief and answer as plain text or Markdown: the terminal, the console chat, and every platform's fallback.

Citations are numbers into the brief's source list, [1][3], the way a reader expects footnotes.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

from summarizer.models import Answer, Brief, Point


def cite(brief: Brief, source_ids: Sequence[str]) -> str:
    numbers = sorted({brief.source_number(s) for s in source_ids if _known(brief, s)})
    return "".join(f"[{n}]" for n in numbers)


def _known(brief: Brief, source_id: str) -> bool:
    return any(s.id == source_id for s in brief.sources)


ANSWER_HEADING, CONTEXT_HEADING = "Answer", "Also in the story"


def answer_and_context(brief: Brief) -> tuple[tuple[Point, ...], tuple[Point, ...]] | None:
    """A focused brief's points that speak to its question and, after them, its context (``Point.answers`` False),
    each in the brief's order; None for a brief built on no question (no point says either)."""
    if all(p.answers is None for p in brief.points):
        return None
    return (tuple(p for p in brief.points if p.answers is not False),
            tuple(p for p in brief.points if p.answers is False))


def point_sections(brief: Brief) -> list[tuple[str, tuple[Point, ...]]]:
    """The brief's points under headings, the same split in every rendering: a focused brief's points that speak
    to its question ("Answer") apart from the context that follows them ("Also in the story"), so a reader sees
    where the answer ends; else ("Latest", points), ("Background", points) when the brief tells them apart (its
    articles span several days); else one ("Key points", points) section."""
    split = answer_and_context(brief)
    if split is not None:
        return [(name, pts) for name, pts in zip((ANSWER_HEADING, CONTEXT_HEADING), split, strict=True) if pts]
    if not any(p.latest for p in brief.points):  # undated, or nothing new came in the latest articles
        return [("Key points", brief.points)]
    latest = tuple(p for p in brief.points if p.latest)
    background = tuple(p for p in brief.points if not p.latest)
    return [(name, pts) for name, pts in (("Latest", latest), ("Background", background)) if pts]


def _wrap(text: str, indent: str = "   ", width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent="", subsequent_indent=indent)


def brief_to_text(brief: Brief, markdown: bool = False) -> str:
    """A brief a person can read in a terminal (or paste as Markdown)."""
    if markdown:
        return brief_to_markdown(brief)
    h = "## " if markdown else ""
    out: list[str] = []
    out.append(f"# {brief.title}" if markdown else brief.title)
    if not markdown:
        out.append("=" * min(len(brief.title), 100))
    if brief.summary:
        out += ["", _wrap(brief.summary, indent="")]
    if brief.points:
        number = 0
        for heading, points in point_sections(brief):
            out += ["", f"{h}{heading}"]
            for p in points:
                number += 1
                tag = f" (reported by {p.corroboration} sources)" if p.corroboration > 1 else ""
                date = f"[{p.date}] " if p.date else ""
                out.append(_wrap(f"{number}. {date}{p.text} {cite(brief, p.sources)}{tag}"))
    if brief.quotes:
        out += ["", f"{h}Key quotes"]
        for q in brief.quotes:
            mark = "> " if markdown else "  "
            out.append(_wrap(f"{mark}\u201c{q.text}\u201d \u2014 {q.speaker} {cite(brief, q.sources)}", indent="  "))
    if brief.timeline:
        out += ["", f"{h}Timeline"]
        for e in brief.timeline:
            bullet = "- " if markdown else "  "
            out.append(_wrap(f"{bullet}{e.date}: {e.text} {cite(brief, e.sources)}", indent="    "))
    if brief.entities:
        out += ["", f"{h}Who's who"]
        for e in brief.entities:
            role = f", {e.role}" if e.role else ""
            bullet = "- " if markdown else "  "
            out.append(f"{bullet}{e.name}{role} ({e.kind}, {e.mentions} mentions)")
    if brief.disagreements:
        out += ["", f"{h}Where sources differ"]
        for d in brief.disagreements:
            out.append(f"- {d.about}" if markdown else f"  {d.about}")
            for c in d.claims:
                out.append(_wrap(f"    \u2022 {c.text} {cite(brief, c.sources)}", indent="      "))
    out += ["", f"{h}Sources"]
    for i, s in enumerate(brief.sources, 1):
        meta = ", ".join(x for x in (s.outlet, s.published) if x)
        line = f"[{i}] {s.title}" + (f" ({meta})" if meta else "")
        if s.url:
            line += f" <{s.url}>" if markdown else f" {s.url}"
        out.append(line)
    c = brief.coverage
    out += [
        "",
        f"{c.articles} articles, {c.sentences} sentences read; "
        f"{c.boilerplate_lines_dropped} boilerplate lines dropped.",
    ]
    return "\n".join(out)


def answer_to_text(answer: Answer, source_numbers: dict[str, int] | None = None) -> str:
    """An answer with its citations; numbered like the brief when the brief's numbering is known."""
    if not answer.answered:
        return answer.answer

    def label(source: str) -> str:
        return f"[{source_numbers[source]}]" if source_numbers and source in source_numbers else f"[{source}]"

    if answer.citations and all(c.text in answer.answer for c in answer.citations):
        # the answer is the cited sentences themselves: cite each inline instead of repeating them below
        return _wrap(" ".join(f"{c.text} {label(c.source)}" for c in answer.citations), indent="")
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(_wrap(f"  {label(c.source)} \u201c{c.text}\u201d", indent="      "))
    return "\n".join(lines)


# ---- Markdown (CommonMark): what `briefbot brief --format markdown` prints ----------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Article text as literal CommonMark: no emphasis, links, raw HTML or entities; one line, no hard wraps."""
    text = " ".join(text.split())
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MD_SPECIAL.sub(r"\\\1", text))


def md_url(url: str | None) -> str | None:
    """A link destination in angle brackets (spaces and parentheses survive), only for plain http(s) URLs."""
    if not url or not re.fullmatch(r"https?://[^\s<>]+", url.strip()):
        return None
    return f"<{url.strip()}>"


def md_cite(brief: Brief, source_ids: Sequence[str]) -> str:
    """[n] citations; each links to its article where the URL is known (the reader goes straight to it)."""
    out = []
    for n in sorted({brief.source_number(s) for s in source_ids if _known(brief, s)}):
        url = md_url(brief.sources[n - 1].url)
        out.append(f"[\\[{n}\\]]({url})" if url else f"\\[{n}\\]")
    return "".join(out)


def _md_point(brief: Brief, number: int, point: Any) -> str:
    tag = f" (reported by {point.corroboration} sources)" if point.corroboration > 1 else ""
    date = getattr(point, "date", None)
    when = f" \u2014 {md_escape(str(date))}" if date else ""
    return f"{number}. {md_escape(point.text)} {md_cite(brief, point.sources)}{tag}{when}".rstrip()


def brief_to_markdown(brief: Brief) -> str:
    """The brief as CommonMark: every list a real list, nested claims indented under their item, sources as
    a numbered list whose entries link to the articles, article text escaped and never hard-wrapped."""
    out: list[str] = [f"# {md_escape(brief.title)}"]
    if brief.summary:
        out += ["", md_escape(brief.summary)]
    number = 0
    for heading, points in point_sections(brief) if brief.points else []:
        out += ["", f"## {heading}", ""]
        for p in points:  # numbered on through "Latest" and "Background", like the terminal text
            number += 1
            out.append(_md_point(brief, number, p))
    if brief.quotes:
        out += ["", "## Key quotes"]
        for q in brief.quotes:  # a blank line between quotes: one blockquote each
            out += ["", f"> \u201c{md_escape(q.text)}\u201d \u2014 {md_escape(q.speaker)} {md_cite(brief, q.sources)}"]
    if brief.timeline:
        out += ["", "## Timeline", ""]
        out += [f"- **{md_escape(e.date)}**: {md_escape(e.text)} {md_cite(brief, e.sources)}" for e in brief.timeline]
    if brief.entities:
        out += ["", "## Who's who", ""]
        for e in brief.entities:
            role = f", {md_escape(e.role)}" if e.role else ""
            out.append(f"- {md_escape(e.name)}{role} ({md_escape(e.kind)}, {e.mentions} mentions)")
    if brief.disagreements:
        out += ["", "## Where sources differ", ""]
        for d in brief.disagreements:
            out.append(f"- {md_escape(d.about)}")
            out += [f"  - {md_escape(c.text)} {md_cite(brief, c.sources)}" for c in d.claims]
    out += ["", "## Sources", ""]
    for i, src in enumerate(brief.sources, 1):
        title = md_escape(src.title or src.id)
        url = md_url(src.url)
        label = f"[{title}]({url})" if url else title
        meta = ", ".join(md_escape(x) for x in (src.outlet, src.published) if x)
        out.append(f"{i}. {label}" + (f" ({meta})" if meta else ""))
    c = brief.coverage
    out += [
        "",
        f"{c.articles} articles, {c.sentences} sentences read; "
        f"{c.boilerplate_lines_dropped} boilerplate lines dropped.",
    ]
    return "\n".join(out) + "\n"
