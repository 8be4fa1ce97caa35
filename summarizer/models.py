"""The brief and answer models: frozen dataclasses with ``to_dict()`` matching the JSON contract of
docs/architecture.md.

Frozen so a cached brief can be shared between handlers without anyone mutating it; ``from_dict`` exists so
the cache can hold plain JSON (never pickle) and still hand back the same objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Point:
    text: str
    sources: tuple[str, ...]
    corroboration: int
    date: str | None = None  # what the point is about: ISO (2022-03-18, 2022-03) or partial ("November 15")
    latest: bool | None = None  # among the latest developments (True) or background (False); None: undated
    answers: bool | None = None  # speaks to a focused brief's question (True) or is context (False); None: no question


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    date: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    about: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # "person" | "organization" | "place" | "other"
    mentions: int
    role: str | None = None


@dataclass(frozen=True)
class Coverage:
    articles: int
    sentences: int
    boilerplate_lines_dropped: int


@dataclass(frozen=True)
class Brief:
    topic: str
    title: str
    summary: str
    points: tuple[Point, ...]
    sources: tuple[Source, ...]
    coverage: Coverage
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[Event, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    entities: tuple[Entity, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of docs/architecture.md, key order included (people read it too)."""
        return {
            "topic": self.topic,
            "title": self.title,
            "summary": self.summary,
            "points": [_plain(p) for p in self.points],
            "quotes": [_plain(q) for q in self.quotes],
            "timeline": [_plain(e) for e in self.timeline],
            "disagreements": [_plain(d) for d in self.disagreements],
            "entities": [_plain(e) for e in self.entities],
            "sources": [_plain(s) for s in self.sources],
            "coverage": _plain(self.coverage),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        return cls(
            topic=data["topic"],
            title=data["title"],
            summary=data["summary"],
            points=tuple(Point(p["text"], tuple(p["sources"]), p["corroboration"], p.get("date"), p.get("latest"),
                               p.get("answers"))
                         for p in data["points"]),
            quotes=tuple(Quote(q["speaker"], q["text"], tuple(q["sources"])) for q in data["quotes"]),
            timeline=tuple(Event(e["date"], e["text"], tuple(e["sources"])) for e in data["timeline"]),
            disagreements=tuple(
                Disagreement(d["about"], tuple(Claim(c["text"], tuple(c["sources"])) for c in d["claims"]))
                for d in data["disagreements"]
            ),
            entities=tuple(
                Entity(e["name"], e["kind"], e["mentions"], e.get("role")) for e in data["entities"]
            ),
            sources=tuple(Source(**s) for s in data["sources"]),
            coverage=Coverage(**data["coverage"]),
        )

    def source_number(self, source_id: str) -> int:
        """1-based position of a source, used for [n] citations in every rendering."""
        for index, source in enumerate(self.sources, start=1):
            if source.id == source_id:
                return index
        raise KeyError(source_id)


@dataclass(frozen=True)
class Citation:
    source: str
    text: str


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    answer: str
    citations: tuple[Citation, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.answer,
            "citations": [_plain(c) for c in self.citations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        return cls(
            question=data["question"],
            answered=data["answered"],
            answer=data["answer"],
            citations=tuple(Citation(**c) for c in data["citations"]),
        )


def _plain(obj: Any) -> dict[str, Any]:
    """asdict with tuples turned into lists, so json.dumps output matches the contract exactly."""
    return _lists(asdict(obj))


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value
