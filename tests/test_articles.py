"""Loading and cleaning: bad files become warnings, boilerplate is dropped by general rules and counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.articles import Article, ArticleFolderError, load_articles
from summarizer.cleaning import boilerplate_reason

BODY = (
    "The river authority opened the new flood gates on Tuesday after three weeks of testing.\n"
    "Engineers said the gates can hold back water two metres higher than the old ones.\n"
)


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_title_is_first_line_and_id_is_stem(tmp_path: Path) -> None:
    write(tmp_path, "gates.txt", "\n\nFlood gates open\n" + BODY)
    report = load_articles(tmp_path)
    (article,) = report.articles
    assert (article.id, article.title) == ("gates", "Flood gates open")
    assert article.body.startswith("The river authority")
    assert report.warnings == ()


def test_a_page_date_line_dates_the_article_when_no_front_matter_does(tmp_path: Path) -> None:
    # a WikiNews-style text: title, date line, body; the date line is dropped from the body but dates the article
    write(tmp_path, "quake.txt", "Quake strikes Haiti\n\nTuesday, January 12, 2010 \n\n" + BODY)
    write(tmp_path, "dated.md", "---\npublished: 2010-01-14\n---\nQuake toll rises\nWednesday, January 13, 2010\n"
          + BODY)
    write(tmp_path, "plain.txt", "Gates open\n" + BODY)
    found = {a.id: a for a in load_articles(tmp_path).articles}
    assert found["quake"].published == "2010-01-12" and found["quake"].body.startswith("The river authority")
    assert found["dated"].published == "2010-01-14"  # the front matter wins
    assert found["plain"].published is None and found["plain"].date is None
    assert str(found["quake"].date) == "2010-01-12"


@pytest.mark.parametrize("fence", ["yaml", "toml+++", "toml---"])
def test_front_matter(tmp_path: Path, fence: str) -> None:
    if fence == "yaml":
        meta = "---\ntitle: Gates open\noutlet: River Post\nurl: https://example.org/g\npublished: 2024-03-05\n---\n"
    else:
        mark = "+++" if fence == "toml+++" else "---"
        meta = (f'{mark}\ntitle = "Gates open"\noutlet = "River Post"\nurl = "https://example.org/g"\n'
                f'published = 2024-03-05\n{mark}\n')
    write(tmp_path, "g.md", meta + "Not the title line at all, just body text here.\n" + BODY)
    (article,) = load_articles(tmp_path).articles
    assert article.title == "Gates open"
    assert (article.outlet, article.url, article.published) == ("River Post", "https://example.org/g", "2024-03-05")
    assert article.body.startswith("Not the title line")


def test_bad_files_are_skipped_or_repaired_with_one_warning_each(tmp_path: Path) -> None:
    write(tmp_path, "a_good.txt", "Good one\n" + BODY)
    write(tmp_path, "b_empty.txt", "   \n\n")
    write(tmp_path, "c_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = "Caf\u00e9 reopens\nThe caf\u00e9 on the square reopened on Monday after repairs to the roof.\n"
    write(tmp_path, "d_latin1.txt", latin1.encode("latin-1"))
    write(tmp_path, "e_huge.txt", "Huge file\n" + BODY * 2000)
    write(tmp_path, "f_notes.csv", "ignored,because,suffix\n")
    report = load_articles(tmp_path, max_bytes=4000)
    ids = [a.id for a in report.articles]
    assert ids == ["a_good", "d_latin1", "e_huge"]
    assert len(report.warnings) == 4
    by_file = {w.split(":")[0]: w for w in report.warnings}
    assert "empty" in by_file["b_empty.txt"]
    assert "binary" in by_file["c_binary.txt"]
    assert "cp1252" in by_file["d_latin1.txt"]
    assert "4000 bytes" in by_file["e_huge.txt"]
    latin = report.articles[1]
    assert latin.title == "Caf\u00e9 reopens" and "caf\u00e9" in latin.body
    assert len(report.articles[2].body.encode()) <= 4000


def test_utf8_cut_inside_a_character_stays_utf8(tmp_path: Path) -> None:
    text = "Title\n" + "Les \u00e9l\u00e8ves ont repris les cours lundi matin dans toute la r\u00e9gion. " * 50
    raw = text.encode("utf-8")
    cut = next(i for i in range(300, 400) if raw[i] >= 0xC0)  # the lead byte of a two-byte character
    write(tmp_path, "fr.txt", raw)
    report = load_articles(tmp_path, max_bytes=cut + 1)
    assert "\u00e9" in report.articles[0].body
    assert not any("cp1252" in w for w in report.warnings)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleFolderError, match="not found"):
        load_articles(tmp_path / "nope")


MESSY = """Flood gates open on the river
Flood gates open on the river
HomeLocal NewsFlood gates open on the river
The river authority opened the new flood gates on Tuesday after three weeks of testing.
- Advertisement -
MAYOR ANNOUNCES NEW PARKING RULES
Engineers said the gates can hold back water two metres higher than the old ones.
Workers watch the first test run.(Photo: Ana Ruiz/City Desk)
Read more: Council approves budget
Click here to subscribe to our newsletter
Updated at 4:15 p.m.
Residents Fear Higher Insurance Bills
The work cost about 40 million euros, according to the authority.
Tags Flood River Authority Engineering Insurance
The views expressed here are those of the author and do not reflect the views of this site.
Share this article
Leave a Reply
Please enter your comment!
Your email address will not be published.
Most Popular
Load more
Recent Comments
See all News
Flood gates open on the river
"""


def test_cleaning_drops_boilerplate_and_counts_it(tmp_path: Path) -> None:
    write(tmp_path, "messy.txt", MESSY)
    (article,) = load_articles(tmp_path).articles
    assert article.title == "Flood gates open on the river"
    assert article.body.split("\n") == [
        "The river authority opened the new flood gates on Tuesday after three weeks of testing.",
        "Engineers said the gates can hold back water two metres higher than the old ones.",
        "The work cost about 40 million euros, according to the authority.",
    ]
    assert article.dropped_lines == 20


def test_hostile_text_is_kept_verbatim_not_interpreted(tmp_path: Path) -> None:
    line = "Protesters wrote <!channel> and @everyone on banners outside the hall on Friday."
    write(tmp_path, "h.txt", "Protest\n" + line + "\n")
    (article,) = load_articles(tmp_path).articles
    assert article.body == line  # the renderers escape it; the loader must not lose or alter it


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the committee would read more reports before deciding on the budget.",
        "Officials said the share of renewable power rose to 40 percent last year.",
        '"Click here," the scam message said, before asking for bank details.',
    ],
)
def test_real_sentences_that_mention_boilerplate_words_survive(line: str) -> None:
    assert boilerplate_reason(line) is None


def test_content_hash_follows_title_and_body_and_is_kept() -> None:
    import dataclasses
    import hashlib

    article = Article("a1", "Title", "Body text.")
    expected = hashlib.sha256(b"Title\nBody text.").hexdigest()[:16]
    assert article.content_hash == expected == article.content_hash
    assert dataclasses.replace(article, body="Other text.").content_hash != expected  # a new article, a new hash
    assert dataclasses.replace(article, url="https://x.example/1").content_hash == expected
