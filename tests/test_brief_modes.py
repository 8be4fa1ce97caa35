"""The focus, since and update modes as users reach them: the CLI, the summarize batch, the service, the text."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

from bot.core.service import BriefService, recent
from bot.render.text import brief_to_text
from bot.store.cache import MemoryCache
from summarizer.articles import Article
from summarizer.brief import Seen, build_brief
from summarizer.topics import TopicMatch
from tests.test_cli import run_cli
from tests.test_strands import story


def write_topic(folder: Path, published: list[str | None]) -> None:
    for article, date in zip(story(), published, strict=True):
        front = f"---\ntitle: {article.title}\npublished: {date}\n---\n" if date else f"{article.title}\n\n"
        (folder / f"{article.id}.txt").write_text(front + article.body + "\n", encoding="utf-8")


def test_brief_focus_on_the_command_line(tmp_path: Path) -> None:
    write_topic(tmp_path, [None] * 6)
    env = {"BRIEFBOT_DATA_DIR": str(tmp_path / "data")}
    result = run_cli("brief", "river dam", "--articles", str(tmp_path), "--format", "json",
                     "--focus", "What did the engineers find about the spillway?", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "spillway" in data["summary"].lower()  # the answer leads
    assert not any("fishermen" in p["text"].lower() for p in data["points"])  # nothing off the question
    empty = run_cli("brief", "river dam", "--articles", str(tmp_path), "--focus", "  ", env=env)
    assert empty.returncode != 0 and "--focus needs a question" in empty.stderr and "Traceback" not in empty.stderr


def test_brief_since_keeps_recent_articles_and_rejects_bad_durations(tmp_path: Path) -> None:
    today = dt.datetime.now(dt.UTC).date()
    write_topic(tmp_path, [str(today - dt.timedelta(days=d)) for d in (30, 30, 20, 20, 1, 0)])
    env = {"BRIEFBOT_DATA_DIR": str(tmp_path / "data")}
    result = run_cli("brief", "river dam", "--articles", str(tmp_path), "--format", "json", "--since", "2d", env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(s["id"] for s in json.loads(result.stdout)["sources"]) == ["a4", "a5"]
    old = tmp_path / "old"
    old.mkdir()
    write_topic(old, [str(today - dt.timedelta(days=d)) for d in (30, 30, 20, 20, 10, 10)])
    none = run_cli("brief", "river dam", "--articles", str(old), "--since", "2d", env=env)
    assert none.returncode != 0 and "published in the last 2d" in none.stderr and "Traceback" not in none.stderr
    bad = run_cli("brief", "river dam", "--articles", str(tmp_path), "--since", "two days", env=env)
    assert bad.returncode != 0 and "not a duration" in bad.stderr and "Traceback" not in bad.stderr


def test_summarize_lines_with_query_and_previous_documents(tmp_path: Path) -> None:
    articles = story()
    docs = [{"docno": a.id, "text": a.body} for a in articles]
    docs[4]["text"] += "\nSudria's parliament voted to fund a new dam inspection agency with two hundred engineers."
    lines = [
        {"id": "plain", "documents": docs},
        {"id": "focused", "documents": docs, "query": "How much of the wheat harvest was lost in the drought?"},
        {"id": "update", "documents": docs[3:], "previous_documents": docs[:3]},
        {"id": "nothing-new", "documents": docs[:3], "previous_documents": docs[:3]},
        {"id": "bad", "documents": docs, "query": ["not", "a", "string"]},
    ]
    path = tmp_path / "clusters.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = run_cli("summarize", "--clusters", str(path), "--words", "40")
    assert result.returncode == 0, result.stderr
    out = {row["id"]: row["summary"] for row in map(json.loads, result.stdout.splitlines())}
    assert set(out) == {"plain", "focused", "update", "nothing-new"} and "line 5 skipped" in result.stderr
    assert "harvest" in out["focused"].split(".")[0].lower()
    assert all(len(s.split()) <= 40 for s in out.values())
    seen = {line for d in docs[:3] for line in d["text"].split("\n")}
    assert out["update"] and not any(line in out["update"] for line in seen)
    assert out["nothing-new"] == ""


def test_service_focus_is_its_own_cached_brief_and_since_filters() -> None:
    articles = story()

    class Source:
        async def articles(self) -> tuple[Article, ...]:
            return tuple(articles)

    service = BriefService(Source(), (), MemoryCache())

    async def run() -> None:
        plain = await service.brief("river dam")
        focused = await service.brief("river dam", focus="What did the engineers find about the spillway?")
        assert plain.brief_id != focused.brief_id and not focused.cached
        again = await service.brief("river dam", focus="what did the engineers  find about the spillway?")
        assert again.cached and again.brief == focused.brief  # same question, other spacing and case
        update = await service.brief("river dam", previous=Seen(frozenset({"a0", "a1", "a2"})))
        assert update.brief_id != plain.brief_id and not update.cached
        assert {s.id for s in update.brief.sources} == {"a3", "a4", "a5"}

    asyncio.run(run())
    dated = [Article(f"d{n}", "T", "Body.", published=p) for n, p in
             enumerate(["2024-05-01", "2024-05-09T08:00:00Z", None, "not a date"])]
    kept = recent(TopicMatch("t", "T", tuple(dated)), dt.timedelta(days=2), now=dt.datetime(2024, 5, 10, tzinfo=dt.UTC))
    assert [a.id for a in kept.articles] == ["d1"]


def test_text_shows_latest_background_and_dates() -> None:
    dates = ["2024-05-01", "2024-05-01", "2024-05-02", "2024-05-02", "2024-05-03", "2024-05-09"]
    articles = story(dates)
    articles[5] = Article("a5", "Dam talks 5", articles[5].body + "\nSudria's parliament voted on Thursday to "
                          "fund a new dam inspection agency with two hundred engineers and inspectors.",
                          published="2024-05-09")
    text = brief_to_text(build_brief("dam", "Dam talks", articles))
    assert text.index("Latest") < text.index("Background") < text.index("Sources")
    assert "[2024-05-09]" in text and "Key points" not in text
    undated = brief_to_text(build_brief("dam", "Dam talks", story()), markdown=True)
    assert "## Key points" in undated and "Latest" not in undated
