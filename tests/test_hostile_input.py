"""Issue 14, hostile files: bounded work, one front-matter parser, bad files skipped, the folder never left.

Speed is measured in bench/hostile.py; these tests check behaviour and rely on the pytest timeout (120 s)
to fail an input that stalls (before the fixes each of them ran for minutes or exhausted memory).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.articles import MAX_ARTICLE_CHARS, MAX_ARTICLE_SENTENCES, load_articles
from summarizer.cleaning import boilerplate_reason
from summarizer.front_matter import FrontMatterError, split_front_matter
from summarizer.ingest import Unreadable, iter_files, parse_text
from summarizer.text import MAX_SENTENCE_CHARS, split_sentences
from tests.conftest import ROOT, SEEDS

ALIAS_BOMB = "\n".join(
    ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    + ["title: *i", "---", "Body of the bomb article, with enough words to count as an article text."]
)


def good_article(number: int) -> str:
    return (
        f'---\ntitle: "Council budget vote {number}"\noutlet: "Test Wire"\n---\n'
        f"The council approved budget number {number} on Tuesday after a long debate about schools.\n"
        "Members said the plan would take effect next year and cover roads in the city centre.\n"
    )


# ---------------------------------------------------------------- splitter and cleaning


def test_splitter_output_is_bounded_on_one_huge_paragraph() -> None:
    paragraph = "The minister said the talks would resume on Monday. " * 40_000  # 2 MB, one line
    sentences = split_sentences(paragraph)
    assert len(sentences) == 40_000
    assert sentences[0] == "The minister said the talks would resume on Monday."


def test_a_line_of_one_repeated_word_becomes_bounded_sentences() -> None:
    sentences = split_sentences("word " * 400_000)
    assert sentences and max(len(s) for s in sentences) <= MAX_SENTENCE_CHARS
    assert sum(len(s.split()) for s in sentences) == 400_000  # cut at spaces: no word lost or broken


@pytest.mark.parametrize(
    "line",
    [
        "please enter your name" + "!" * 200_000 + ",a",
        "(" + "photo " * 100_000,
        "http://" + "!" * 200_000 + " x",
    ],
)
def test_cleaning_rules_stay_linear_on_hostile_lines(line: str) -> None:
    boilerplate_reason(line)  # each of these ran for minutes before (regex backtracking)


def test_loader_caps_sentences_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(
        "Long read\n" + "\n".join(f"Paragraph {n} says the council met again." for n in range(5000))
    )
    report = load_articles(tmp_path)
    (article,) = report.articles
    assert len(split_sentences(article.body)) <= MAX_ARTICLE_SENTENCES
    assert len(article.body) <= MAX_ARTICLE_CHARS
    assert any(w.startswith("long.txt: longer than") for w in report.warnings), report.warnings


def test_brief_over_a_folder_with_huge_files_briefs_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    lines = [s for f in sorted(SEEDS.glob("*.txt")) for s in f.read_text().split("\n") if len(s) > 80]
    paragraph = " ".join(lines)
    (folder / "zz_paragraph.txt").write_text("China and Russia\n" + (paragraph + " ") * (3_000_000 // len(paragraph)))
    (folder / "zz_word.txt").write_text("Russia Russia\n" + "Russia " * (2_000_000 // 7))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "brief", "china-russia", "--articles", str(folder), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=110,
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFBOT_ARTICLES")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    brief = json.loads(result.stdout)
    seeds = {p.stem for p in SEEDS.glob("*.txt")}
    assert seeds <= {s["id"] for s in brief["sources"]}
    assert "zz_paragraph.txt: " in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- front matter


def test_yaml_alias_bomb_is_refused_at_once() -> None:
    with pytest.raises(FrontMatterError, match="aliases"):
        split_front_matter(ALIAS_BOMB)


def test_toml_front_matter_is_read_by_ingest_and_loader(tmp_path: Path) -> None:
    text = (
        '+++\ntitle = "Council votes"\noutlet = "Test Wire"\npublished = 2026-03-01T08:00:00Z\n+++\n'
        "The council approved the budget on Tuesday after a long debate about schools and roads.\n"
    )
    article = parse_text(text)
    assert (article.title, article.outlet) == ("Council votes", "Test Wire")
    assert article.published and article.published.startswith("2026-03-01")
    assert "+++" not in article.body and "title =" not in article.body
    (tmp_path / "t.txt").write_text(text)
    (loaded,) = load_articles(tmp_path).articles
    assert (loaded.title, loaded.outlet, loaded.body) == (article.title, article.outlet, article.body)


def test_list_values_are_dropped_never_stringified() -> None:
    meta, _ = split_front_matter("---\ntitle: [a, b]\noutlet: Wire\n---\nbody")
    assert meta == {"outlet": "Wire"}


def test_ingest_skips_the_bomb_and_stores_the_other_19(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for number in range(19):
        (batch / f"good{number:02}.txt").write_text(good_article(number))
    (batch / "bomb.txt").write_text(ALIAS_BOMB)
    store = tmp_path / "store"
    store.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(batch), "--articles", str(store), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=110,
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFBOT_ARTICLE_STORE")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["counts"] == {"added": 19, "duplicates": 0, "skipped": 1}
    (skipped,) = report["skipped"]
    assert skipped["source"].endswith("bomb.txt") and "aliases" in skipped["reason"]
    assert len(load_articles(store).articles) == 19


def test_parse_text_turns_a_bad_block_into_unreadable() -> None:
    with pytest.raises(Unreadable, match="bad front matter"):
        parse_text("---\ntitle: [unclosed\n---\nbody words here")


# ---------------------------------------------------------------- folders and links


def test_links_out_of_the_folder_are_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(good_article(1))
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.txt").symlink_to(folder / "good.txt")  # a link inside the folder is fine
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(good_article(2))
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    skipped: list[tuple[str, str]] = []
    files = {p.name for p in iter_files(folder, skipped)}
    assert files == {"good.txt", "inside.txt"}
    assert {Path(s).name for s, _ in skipped} == {"passwd.txt", "linked-dir"}
    report = load_articles(folder)
    assert {a.id for a in report.articles} == {"good", "inside"}
    assert any(w.startswith("passwd.txt: skipped, a link to outside") for w in report.warnings)
    assert all("root:" not in a.body for a in report.articles)


def test_deeply_nested_folders_need_no_recursion(tmp_path: Path) -> None:
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(1100):  # deeper than Python's recursion limit; built by dir fd (makedirs recurses)
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w") as handle:
            handle.write(good_article(3))
    finally:
        os.close(fd)
    try:
        (found,) = list(iter_files(tmp_path))
        assert found.name == "deep.txt" and len(found.relative_to(tmp_path).parts) == 1101
    finally:
        remove_deep_tree(tmp_path / "d")  # pytest's own clean-up (shutil.rmtree) recurses and would fail


def remove_deep_tree(top: Path) -> None:
    """Delete a chain of nested folders without recursion: descend by file descriptor, remove bottom-up."""
    fds = [os.open(top, os.O_RDONLY)]
    while True:
        names = os.listdir(fds[-1])
        child = next((n for n in names if os.path.isdir(os.path.join(f"/proc/self/fd/{fds[-1]}", n))), None)
        for name in names:
            if name != child:
                os.unlink(name, dir_fd=fds[-1])
        if child is None:
            break
        fds.append(os.open(child, os.O_RDONLY, dir_fd=fds[-1]))
    while len(fds) > 1:
        inner = fds.pop()
        os.close(inner)
        (name,) = os.listdir(fds[-1])
        os.rmdir(name, dir_fd=fds[-1])
    os.close(fds.pop())
    os.rmdir(top)


def test_ingest_stores_a_huge_file_capped_with_a_warning(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    line = "The council met again on Tuesday and approved the budget for schools and roads. "
    big.write_text("Big file\n" + (line * 50 + "\n") * 3000)  # 12 MB
    store = tmp_path / "store"
    store.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(big), "--articles", str(store)],
        capture_output=True, text=True, cwd=ROOT, timeout=110,
        env={k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "BRIEFBOT_ARTICLE_STORE")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{big}: larger than" in result.stderr
    (stored,) = [p for p in store.glob("*.txt")]
    assert stored.stat().st_size < MAX_ARTICLE_CHARS + 2000
