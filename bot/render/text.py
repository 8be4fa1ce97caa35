"""Brief and answer as plain text or Markdown: the terminal, the console chat, and every platform's fallback.

Citations are numbers into the brief's source list, [1][3], the way a reader expects footnotes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from summarizer.models import Answer, Brief, Point


def cite(brief: Brief, source_ids: Sequence[str]) -> str:
    numbers = sorted({brief.source_number(s) for s in source_ids if _known(brief, s)})
    return "".join(f"[{n}]" for n in numbers)


def _known(brief: Brief, source_id: str) -> bool:
    return any(s.id == source_id for s in brief.sources)


def point_sections(brief: Brief) -> list[tuple[str, tuple[Point, ...]]]:
    """("Latest", points), ("Background", points) when the brief tells them apart (its articles span several
    days), else one ("Key points", points) section. Every renderer can use the same split."""
    if not any(p.latest for p in brief.points):  # undated, or nothing new came in the latest articles
        return [("Key points", brief.points)]
    latest = tuple(p for p in brief.points if p.latest)
    background = tuple(p for p in brief.points if not p.latest)
    return [(name, pts) for name, pts in (("Latest", latest), ("Background", background)) if pts]


def _wrap(text: str, indent: str = "   ", width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent="", subsequent_indent=indent)


def brief_to_text(brief: Brief, markdown: bool = False) -> str:
    """A brief a person can read in a terminal (or paste as Markdown)."""
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
