"""Briefs for the page tests: the seeds, a dated multi-outlet story, and hostile article text.

The hostile story goes through the real pipeline (article files with front matter -> load_articles ->
build_brief) so the page sees what a hostile feed would really produce; ``hostile_brief`` also builds one
by hand so that every field (titles, outlets, URLs, speakers, dates) carries an attack.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from summarizer.articles import load_articles
from summarizer.brief import build_brief
from summarizer.models import Brief, Claim, Coverage, Disagreement, Entity, Event, Point, Quote, Source
from tests.conftest import SEEDS

SCRIPT = "<script>alert('pwned')</script>"
ATTR = '" onmouseover="alert(1)" x="'
IMG = "<img src=x onerror=alert(2)>"
JS_URL = "javascript:alert(3)"
BREAKOUTS = "</style></title></svg>--><!--"


def seed_brief() -> Brief:
    articles = load_articles(SEEDS).articles
    return build_brief("china-russia", "China, Russia and the war in Ukraine", articles)


def dated_brief() -> Brief:
    """A story over five days from three outlets, with a dated timeline: every chart has something to draw."""
    outlets = ("River Post", "Valley Times", "Harbour Daily")
    sources = tuple(
        Source(f"a{i}", f"Flood report {i}", outlets[i % 3], f"https://news.example/{i}", f"2024-03-{1 + i // 2:02d}")
        for i in range(10)
    )
    ids = [s.id for s in sources]
    points = tuple(Point(f"Point {i}: the river rose by {i} metres at the gauge.", (ids[i], ids[(i + 1) % 10]),
                         2) for i in range(6))  # fmt: skip
    timeline = tuple(Event(f"2024-03-0{d}", f"Event on day {d}.", (ids[d],)) for d in (1, 2, 4, 5))
    return Brief("floods", "Floods in the valley", "The river flooded the valley.", points, sources,
                 Coverage(10, 120, 4), timeline=timeline)  # fmt: skip


def hostile_brief() -> Brief:
    """Every string an article can reach carries markup, a script, an attribute break-out or a bad URL."""
    bad = f"{SCRIPT} {ATTR} {IMG} {BREAKOUTS}"
    sources = (
        Source("h1", f"Title {ATTR}{SCRIPT}", f"Outlet $x^2$ {IMG}", JS_URL, "2024-03-01T10:00:00Z"),
        Source("h2", f"Second {BREAKOUTS}", "Outlet two", "https://ok.example/a b\"><script>x</script>", "2024-03-02"),
        Source("h3", "Third", "Outlet three", " JaVaScRiPt:alert(4)", "not a date " + SCRIPT),
        Source("h4", "Fourth", None, "data:text/html,<script>alert(5)</script>", None),
    )
    return Brief(
        topic=f"topic {SCRIPT}",
        title=f"Hostile {SCRIPT} {ATTR}",
        summary=f"Lead {bad}",
        points=(Point(f"First point {bad}", ("h1", "h2"), 2), Point(f"Second point [{JS_URL}]", ("h3",), 1),
                Point(f"Third point {IMG}", ("h4",), 1)),  # fmt: skip
        sources=sources,
        coverage=Coverage(4, 40, 0),
        quotes=(Quote(f"Speaker {ATTR}", f"Quote {bad}", ("h1",)),),
        timeline=(Event(f"2024-03-01 {SCRIPT}", f"Event {bad}", ("h2",)), Event("2024-03-02", "Calm", ("h3",))),
        disagreements=(Disagreement(f"About {bad}", (Claim(f"Yes {SCRIPT}", ("h1",)), Claim(f"No {IMG}", ("h2",)))),),
        entities=(Entity(f"Name {SCRIPT}", "person", 3, f"role {ATTR}"),),
    )


def write_hostile_articles(folder: Path) -> Path:
    """Article files whose front matter and bodies are hostile; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = [
        "The valley council said on Monday that the river flooded three villages {x}. "
        "Officials said rescue teams reached the villages by boat and evacuated two hundred people {x}. "
        "\"We will rebuild every bridge,\" said Mayor Ana Ruiz.\n",
        "Engineers said the levee near Millford failed after three days of heavy rain {x}. "
        "Residents of Millford said the warnings came too late to move their cattle {x}. "
        "The regional water board promised an inquiry into the levee's maintenance.\n",
        "Insurers estimated the damage across the valley at more than ten million euros {x}. "
        "Farmers said the spring planting would be delayed by at least a month {x}. "
        "The national government released emergency funds for the three villages on Tuesday.\n",
    ]
    metas = [
        ("River flood {x}", "River Post", JS_URL, "2024-03-01"),
        ("Valley flood \" onmouseover=\"alert(1)", "Valley Times {x}", "https://news.example/v?a=1&b=<2>",
         "2024-03-02"),
        ("Flood {x}", "Harbour Daily", "https://news.example/h", "2024-03-02T08:30:00Z"),
    ]
    for i, (title, outlet, url, published) in enumerate(metas):
        meta = "\n".join([
            "---",
            f"title: '{title.format(x=SCRIPT).replace(chr(39), chr(39) * 2)}'",
            f"outlet: '{outlet.format(x=IMG)}'",
            f"url: '{url}'",
            f"published: '{published}'",
            "---",
        ])  # fmt: skip
        text = bodies[i].format(x=[SCRIPT, IMG, ATTR][i])
        (folder / f"hostile_{i}.md").write_text(meta + "\n" + text, encoding="utf-8")
    return folder


def pipeline_hostile_brief(folder: Path) -> Brief:
    articles = load_articles(write_hostile_articles(folder)).articles
    return build_brief("flood", "Flood", articles)


class PageAudit(HTMLParser):
    """What a page contains that could execute or fetch: elements, attributes, link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.event_attributes: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.fetching: list[tuple[str, str, str]] = []  # src/href-like attributes that load something
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.event_attributes.append((tag, name))
            if tag == "a" and name == "href":
                self.hrefs.append(value or "")
            if name in ("src", "srcset", "data", "action", "poster", "background") or (
                tag in ("link", "use", "image") and name in ("href", "xlink:href")
                and not (value or "").startswith("#")
            ):
                self.fetching.append((tag, name, value or ""))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser
