"""A brief as one self-contained HTML page: inline CSS and SVG, no script, no external style, font or image.

The page is a Jinja2 template (``templates/brief.html.j2``) with autoescaping on, so every string from an
article is escaped; links to articles are kept only for plain http(s) URLs. A Content-Security-Policy meta
tag forbids scripts and every network fetch as a second fence (the web server sends the same policy as a
header). Charts come from ``bot.render.charts`` (matplotlib, imported on first use).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from bot.render.common import web_url as safe_url  # the name tests and the page code use
from summarizer.models import Brief

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass
class Cite:
    number: int
    title: str


@dataclass
class PointView:
    number: int
    text: str
    cites: list[Cite]
    corroboration: int
    date: str | None = None
    latest: bool = False


@dataclass
class Section:
    heading: str
    points: list[PointView] = field(default_factory=list)


def _cites(brief: Brief, source_ids: Any) -> list[Cite]:
    numbers: dict[int, str] = {}
    for sid in source_ids:
        for index, source in enumerate(brief.sources, 1):
            if source.id == sid:
                numbers[index] = source.title
    return [Cite(n, numbers[n]) for n in sorted(numbers)]


def _point_sections(brief: Brief) -> list[Section]:
    """"Latest" and "Background" when the brief tells them apart, else one "Key points" list; numbered on
    through the sections like every other rendering (``bot.render.text.point_sections``)."""
    from bot.render.text import point_sections

    sections, number = [], 0
    for heading, points in point_sections(brief):
        views = []
        for p in points:
            number += 1
            views.append(PointView(number, p.text, _cites(brief, p.sources), p.corroboration,
                                   getattr(p, "date", None) or None, bool(getattr(p, "latest", False))))  # fmt: skip
        sections.append(Section(heading, views))
    return sections


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("bot.render", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped unless marked safe (only our own SVG is)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _charts(brief: Brief) -> dict[str, Any]:
    from bot.render import charts

    return {
        "coverage": charts.coverage_chart(brief),
        "timeline": charts.timeline_chart(brief),
        "sources": charts.sources_chart(brief),
    }


def brief_to_html(brief: Brief, generated: datetime | None = None, page_url: str | None = None) -> str:
    """The whole page as a string (UTF-8 when written out)."""
    from markupsafe import Markup

    charts = {  # our own SVG (matplotlib escapes its text; we strip comments): the one thing marked safe
        key: None if c is None else {"key": c.key, "title": c.title, "description": c.description, "svg": Markup(c.svg)}
        for key, c in _charts(brief).items()
    }
    sources = [
        {"number": i, "id": s.id, "title": s.title or s.id, "outlet": s.outlet, "published": s.published,
         "url": safe_url(s.url)}  # fmt: skip
        for i, s in enumerate(brief.sources, 1)
    ]
    template = _environment().get_template("brief.html.j2")
    return template.render(
        brief=brief,
        sections=_point_sections(brief),
        quotes=[(q, _cites(brief, q.sources)) for q in brief.quotes],
        timeline=[(i, e, _cites(brief, e.sources)) for i, e in enumerate(brief.timeline, 1)],
        disagreements=[(d, [(c, _cites(brief, c.sources)) for c in d.claims]) for d in brief.disagreements],
        sources=sources,
        charts=charts,
        coverage=brief.coverage,
        csp=CSP,
        generated=(generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        page_url=page_url,
    )
