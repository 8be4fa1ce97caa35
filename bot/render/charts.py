"""Charts for the brief page, drawn server-side as inline SVG by matplotlib's SVG backend.

Why matplotlib: the best-kept plotting library in Python, its SVG backend needs no browser, display or
font files (glyphs are written as paths, so a chart looks the same offline on every device), and its ids
are deterministic with ``svg.hashsalt`` (two charts on one page never share a clip-path id). It is imported
here only, and this module only by ``bot.render.html``, so ``briefbot brief --format text`` never pays for it.

Each chart returns ``(svg, description)`` or None when the brief has nothing to draw. Article text that
reaches a chart (outlet names, titles) is drawn as glyph paths with math parsing off; comments, the XML
prolog and fixed sizes are stripped so the SVG can sit inline in a responsive page.
"""

from __future__ import annotations

import io
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from summarizer.models import Brief, Event

# Okabe-Ito: distinguishable with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
NOMINAL_YEAR = 2000  # never shown; "February 29" places in a leap year only (else it stays in the list)
MAX_OUTLETS = 6  # more outlets than this are grouped as "other outlets"
MAX_SOURCE_BARS = 20
LABEL_MAX = 38
_RC = {
    "svg.fonttype": "path",
    "text.parse_math": False,  # a "$" in an outlet name is text, not TeX
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "text.color": "#222222",
}
_LOCK = threading.Lock()  # rcParams are process-wide: one chart at a time


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str  # alt text: what the chart shows, in words
    svg: str


def _label(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def parse_day(value: str | None, reference: date | None = None) -> date | None:
    """A calendar day from a published stamp or a timeline date; None when it names no month and day.

    Dates without a year ("November 15") take the reference year (the newest article's), else none is drawn.
    """
    if not value or len(value) > 64:
        return None
    try:
        from dateutil import parser
    except ImportError:  # pragma: no cover - a base dependency
        return None
    text = value.strip()
    has_year = bool(re.search(r"\b\d{4}\b", text))
    if not has_year and reference is None:
        return None
    if not re.search(r"\d", text):  # "November", "Friday": not a day
        return None
    default = datetime(reference.year if reference else 2000, 1, 1)
    try:
        parsed = parser.parse(text, default=default, fuzzy=False)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    day = parsed.date()
    if not has_year and reference is not None and (day - reference).days > 31:
        try:  # "November 15" read in January means last November
            day = day.replace(year=day.year - 1)
        except ValueError:  # February 29th
            return None
    return day


def _svg(figure: object, salt: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, bbox_inches="tight",  # type: ignore[attr-defined]
                   metadata={"Date": None, "Creator": None, "Format": None, "Type": None})  # fmt: skip
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)

    def root(match: re.Match[str]) -> str:
        tag = re.sub(r'\s(width|height)="[^"]*"', "", match.group(0))
        return tag.replace("<svg", f'<svg role="img" aria-labelledby="{salt}-title" class="chart-svg"', 1)

    return re.sub(r"<svg\b[^>]*>", root, svg, count=1)


def _draw(salt: str, title: str, width: float, height: float, paint: object) -> str:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with _LOCK, rc_context({**_RC, "svg.hashsalt": salt}):
        figure = Figure(figsize=(width, height), layout="constrained")
        axes = figure.add_subplot()
        paint(axes)  # type: ignore[operator]
        svg = _svg(figure, salt)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace(">", f'><title id="{salt}-title">{escaped}</title>', 1)


def _source_labels(brief: Brief) -> list[str]:
    return [f"[{i}] {_label(s.outlet or s.title or s.id, 28)}" for i, s in enumerate(brief.sources, 1)]


def _citations(brief: Brief) -> Counter[str]:
    """How many items of the brief (points, quotes, events, claims) cite each source."""
    cited: Counter[str] = Counter()
    items: Iterable[tuple[str, ...]] = (
        [p.sources for p in brief.points]
        + [q.sources for q in brief.quotes]
        + [e.sources for e in brief.timeline]
        + [c.sources for d in brief.disagreements for c in d.claims]
    )
    for sources in items:
        cited.update(set(sources))
    return cited


def sources_chart(brief: Brief) -> Chart | None:
    """Horizontal bars: how much of the brief rests on each source (always drawable when it cites any)."""
    cited = _citations(brief)
    if not brief.sources or not cited:
        return None
    sources = brief.sources[:MAX_SOURCE_BARS]
    labels = _source_labels(brief)[: len(sources)]
    counts = [cited.get(s.id, 0) for s in sources]
    title = "What the brief rests on: items citing each source"

    def paint(axes: object) -> None:
        ys = list(range(len(sources)))[::-1]
        axes.barh(ys, counts, color=PALETTE[0], height=0.6)  # type: ignore[attr-defined]
        axes.set_yticks(ys, labels)  # type: ignore[attr-defined]
        axes.set_xlabel("points, quotes, events and claims citing it")  # type: ignore[attr-defined]
        axes.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[attr-defined]
        for y, n in zip(ys, counts, strict=True):
            axes.text(n, y, f" {n}", va="center", fontsize=9)  # type: ignore[attr-defined]

    svg = _draw("chart-sources", title, 6.4, 0.9 + 0.32 * len(sources), paint)
    most = max(range(len(sources)), key=lambda i: counts[i])
    description = (
        f"{sum(1 for c in counts if c)} of {len(sources)} sources are cited; "
        f"the most cited is {labels[most]} with {counts[most]} items."
    )
    return Chart("sources", title, description, svg)


def _published_days(brief: Brief) -> list[tuple[date, str]]:
    days = []
    for s in brief.sources:
        day = parse_day(s.published)
        if day is not None:
            days.append((day, (s.outlet or "unknown outlet").strip() or "unknown outlet"))
    return days


def newest_day(brief: Brief) -> date | None:
    days = [d for d, _ in _published_days(brief)]
    return max(days) if days else None


def coverage_chart(brief: Brief) -> Chart | None:
    """Articles per day, stacked by outlet: when coverage started and who carried it."""
    days = _published_days(brief)
    if not days:
        return None
    by_outlet = Counter(outlet for _, outlet in days)
    top = [name for name, _ in by_outlet.most_common(MAX_OUTLETS)]
    grouped = [(d, o if o in top else "other outlets") for d, o in days]
    outlets = top + (["other outlets"] if len(by_outlet) > len(top) else [])
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days + 1
    axis = [date.fromordinal(first.toordinal() + i) for i in range(min(span, 400))]
    counts = Counter(grouped)
    title = "Coverage over time: articles per day, by outlet"

    def paint(axes: object) -> None:
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        bottom = [0] * len(axis)
        for index, outlet in enumerate(outlets):
            heights = [counts.get((day, outlet), 0) for day in axis]
            axes.bar(axis, heights, bottom=bottom, label=_label(outlet, 24),  # type: ignore[attr-defined]
                     color=PALETTE[index % len(PALETTE)], width=0.8)  # fmt: skip
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        locator = AutoDateLocator(minticks=2, maxticks=8)
        axes.xaxis.set_major_locator(locator)  # type: ignore[attr-defined]
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[attr-defined]
        axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[attr-defined]
        axes.set_ylabel("articles")  # type: ignore[attr-defined]
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False,  # type: ignore[attr-defined]
                    ncols=min(len(outlets), 4))  # above the bars, never over them  # fmt: skip

    svg = _draw("chart-coverage", title, 6.4, 3.0, paint)
    description = (
        f"{len(days)} dated articles from {first.isoformat()} to {last.isoformat()}, "
        f"by {len(by_outlet)} outlet{'s' if len(by_outlet) != 1 else ''}."
    )
    return Chart("coverage", title, description, svg)


def _rolled_over(events: Sequence[Event]) -> list[tuple[int, date]]:
    """Year-less days ("November 15", "February 24") placed on a nominal calendar in the timeline's order.

    The summarizer lists events oldest first, so a day earlier in the year than the one before it belongs to
    the next year. The years are not known, so the axis shows months and days only."""
    from dateutil import parser

    year, previous, placed = NOMINAL_YEAR, None, []
    for number, event in enumerate(events, 1):
        text = event.date.strip()
        if not re.search(r"\d", text) or len(text) > 64:
            continue
        try:
            day = parser.parse(text, default=datetime(year, 1, 1)).date()
            if previous is not None and day < previous:
                year += 1
                day = day.replace(year=year)
        except (ValueError, OverflowError, parser.ParserError):
            continue
        placed.append((number, day))
        previous = day
    return placed


def timeline_chart(brief: Brief) -> Chart | None:
    """The timeline on a time axis: one numbered marker per event whose date names a day."""
    reference = newest_day(brief)
    if reference is None:  # no publication dates: an event's own year sets the year of the others
        explicit = [parse_day(e.date) for e in brief.timeline if re.search(r"\b\d{4}\b", e.date)]
        reference = max((d for d in explicit if d is not None), default=None)
    nominal = reference is None
    if nominal:
        placed = _rolled_over(brief.timeline)
    else:
        found = [(i, parse_day(e.date, reference)) for i, e in enumerate(brief.timeline, 1)]
        placed = [(i, d) for i, d in found if d is not None]
    if len(placed) < 2:
        return None
    title = "Timeline: dated events on a time axis (numbers match the list)"

    def paint(axes: object) -> None:
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter

        xs = [d for _, d in placed]
        levels = [(-1) ** k * (1 + k % 3) for k in range(len(placed))]  # stagger labels so they don't collide
        axes.axhline(0, color="#444444", linewidth=1)  # type: ignore[attr-defined]
        axes.vlines(xs, 0, levels, color="#999999", linewidth=0.8)  # type: ignore[attr-defined]
        axes.plot(xs, [0] * len(xs), "o", color=PALETTE[0])  # type: ignore[attr-defined]
        for (number, day), level in zip(placed, levels, strict=True):
            axes.annotate(str(number), (day, level), ha="center",  # type: ignore[attr-defined]
                          va="bottom" if level > 0 else "top", fontsize=9, fontweight="bold")  # fmt: skip
        locator = AutoDateLocator(minticks=2, maxticks=8)
        axes.xaxis.set_major_locator(locator)  # type: ignore[attr-defined]
        formatter = DateFormatter("%b %d") if nominal else ConciseDateFormatter(locator)  # no invented years
        axes.xaxis.set_major_formatter(formatter)  # type: ignore[attr-defined]
        axes.set_ylim(-4.5, 4.5)  # type: ignore[attr-defined]
        axes.yaxis.set_visible(False)  # type: ignore[attr-defined]
        axes.spines["left"].set_visible(False)  # type: ignore[attr-defined]
        axes.margins(x=0.08)  # type: ignore[attr-defined]

    svg = _draw("chart-timeline", title, 6.4, 2.4, paint)
    first, last = min(d for _, d in placed), max(d for _, d in placed)
    if nominal:
        span = f"{first:%B} {first.day} and {last:%B} {last.day} (the articles give no years)"
    else:
        span = f"{first.isoformat()} and {last.isoformat()}"
    description = f"{len(placed)} dated events between {span}."
    return Chart("timeline", title, description, svg)
