"""Discord embeds: every limit respected whatever the brief's size, hostile text made inert, nothing lost silently."""

from __future__ import annotations

import re

from bot.render.discord import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    TITLE_MAX,
    TOTAL_MAX,
    answer_embed,
    brief_embeds,
    clip,
    embed_chars,
    escape,
    safe_url,
    text_messages,
    thread_name,
)
from summarizer.models import (
    Answer,
    Brief,
    Citation,
    Claim,
    Coverage,
    Disagreement,
    Entity,
    Event,
    Point,
    Quote,
    Source,
)

HOSTILE = "@everyone @here <@&123456789012345678> **bold** __under__ ||spoiler|| `code` [link](http://evil.example)"


def make_brief(n: int, words: int = 60, text: str = "word") -> Brief:
    long = " ".join([text] * words)
    sources = tuple(
        Source(f"s{i}", f"Source title {i} " + long[:150], "Outlet", f"https://ex.org/{i}", f"2024-03-0{i % 9 + 1}")
        for i in range(n)
    )
    ids = [s.id for s in sources]
    return Brief(
        topic="t",
        title="A title " + long,
        summary="Lead. " + " ".join([long] * 5),
        points=tuple(Point(f"Point {i} {long}", (ids[i % n], ids[(i + 1) % n]), 2) for i in range(n)),
        sources=sources,
        coverage=Coverage(n, n * 20, 3),
        quotes=tuple(Quote(f"Speaker {i}", f"Quote {i} {long}", (ids[i % n],)) for i in range(n)),
        timeline=tuple(Event(f"March {i}", f"Event {i} {long}", (ids[i % n],)) for i in range(n)),
        disagreements=tuple(
            Disagreement(f"about {i} {long}", (Claim(f"A {long}", (ids[0],)), Claim(f"B {long}", (ids[-1],))))
            for i in range(n)
        ),
        entities=tuple(Entity(f"Name {i}", "person", n - i, "role " + long[:80]) for i in range(n)),
    )


def embed_text(embed: dict) -> str:
    parts = [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", "")]
    return "\n".join(parts + [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])])


def assert_within_limits(embeds: list[dict]) -> None:
    assert 1 <= len(embeds) <= 10
    assert sum(embed_chars(e) for e in embeds) <= TOTAL_MAX
    for embed in embeds:
        assert len(embed.get("title", "")) <= TITLE_MAX
        assert len(embed.get("description", "")) <= DESCRIPTION_MAX
        fields = embed.get("fields", [])
        assert len(fields) <= FIELDS_MAX
        for f in fields:
            assert 0 < len(f["name"]) <= FIELD_NAME_MAX
            assert 0 < len(f["value"]) <= FIELD_VALUE_MAX


def test_huge_brief_is_shortened_to_discord_limits_and_says_so() -> None:
    for n, words in ((1, 5), (5, 40), (40, 120), (80, 400)):
        embeds = brief_embeds(make_brief(n, words))
        assert_within_limits(embeds)
    embeds = brief_embeds(make_brief(80, 400))
    main, sources = embeds[0], embeds[-1]
    assert main["description"].startswith("Lead.")
    assert "**Key points**" in main["description"] and "1. Point 0" in main["description"]
    everything = "\n".join(f["value"] for f in main.get("fields", [])) + main["description"] + sources["description"]
    assert "not shown" in everything  # shortened, and the reader is told
    assert sources["title"] == "Sources" and "**[1]**" in sources["description"]


def test_small_brief_is_complete() -> None:
    brief = make_brief(3, 5)
    embeds = brief_embeds(brief)
    text = "\n".join(
        [embeds[0]["description"], embeds[1]["description"]] + [f["name"] + f["value"] for f in embeds[0]["fields"]]
    )
    assert "not shown" not in text
    for i in range(3):
        assert f"Point {i}" in text and f"Quote {i}" in text and f"Event {i}" in text and f"Name {i}" in text
    # citations numbered like the source list, each a masked link to its article
    assert "[\\[1\\]](https://ex.org/0)[\\[2\\]](https://ex.org/1)" in text
    assert "(https://ex.org/0)" in embeds[1]["description"]
    assert embeds[0]["footer"]["text"].startswith("3 articles")


def test_article_text_is_escaped_everywhere() -> None:
    brief = make_brief(2, 3, text=HOSTILE)
    embeds = brief_embeds(brief)
    rendered = "\n".join(embed_text(e) for e in embeds)
    assert "@everyone" not in rendered and "@here" not in rendered
    assert "<@&123456789012345678>" not in rendered
    assert "\\[link\\](http://evil.example)" in embeds[0]["description"]  # shown, but not a link
    assert "\\_\\_under\\_\\_" in rendered and "\\|\\|spoiler" in rendered and "\\`code\\`" in rendered
    assert "**bold**" not in rendered.replace("\\*", "")  # no unescaped pair survives anywhere
    assert not re.search(r"(?<!\\)\[link\]\(", rendered)
    assert "\\*\\*bold\\*\\*" in embeds[0]["description"]
    answer = Answer("q", True, HOSTILE, (Citation("s0", HOSTILE),))
    assert "@everyone" not in str(answer_embed(answer, {"s0": 1}))


def test_escape_keeps_urls_and_defuses_line_markers() -> None:
    text = escape("see https://x.org/a_b_c now\n> quote\n- item\n12. item\n# heading")
    assert "https://x.org/a_b_c" in text
    assert text.splitlines()[1:] == ["\\> quote", "\\- item", "12\\. item", "\\# heading"]


def test_only_plain_http_urls_become_links() -> None:
    assert safe_url("https://example.org/a_b?c=1") == "https://example.org/a_b?c=1"
    for bad in ("javascript:alert(1)", "https://x.org/a) [evil](https://y", "ftp://x", "", None, "https://a b"):
        assert safe_url(bad) is None


def test_clip_cuts_on_words_and_never_leaves_a_dangling_escape() -> None:
    assert clip("short", 10) == "short"
    clipped = clip("alpha beta gamma delta epsilon", 20)
    assert len(clipped) <= 20 and clipped.endswith("\u2026") and clipped == "alpha beta gamma\u2026"
    assert not clip("abc\\" + "d" * 50, 5).rstrip("\u2026").endswith("\\")


def test_answer_embed_numbers_citations_like_the_brief() -> None:
    answer = Answer("Who?", True, "Blinken said so.", (Citation("b", "Blinken said so."), Citation("zz", "x")))
    embed = answer_embed(answer, {"a": 1, "b": 2})
    value = embed["fields"][0]["value"]
    assert value.startswith("**[2]** \u201cBlinken said so.\u201d")
    assert "**zz**" in value  # an unknown source is named, not dropped
    refusal = answer_embed(Answer("Why?", False, "The articles don't say."))
    assert refusal["description"] == "The articles don't say." and "fields" not in refusal


def test_text_replies_fit_messages_and_keep_layout() -> None:
    help_text = "Briefbot\n\n  /brief TOPIC   a brief\n  /brief topics  the list ```"
    (message,) = text_messages(help_text)
    # no code block (it scrolls sideways on a phone): each row a line Discord wraps, the command as code
    expected = ["Briefbot", "", "`/brief TOPIC` \u2014 a brief", "`/brief topics` \u2014 the list \\`\\`\\`"]
    assert message.split("\n") == expected
    long = "\n".join(f"  line {i} " + "x" * 90 for i in range(100))
    chunks = text_messages(long)
    assert len(chunks) > 1 and all(len(c) <= CONTENT_MAX for c in chunks)
    assert "".join(chunks).count("line 99") == 1
    (plain,) = text_messages("Unknown topic '@everyone'.")
    assert "@everyone" not in plain
    assert all(len(c) <= CONTENT_MAX for c in text_messages("y" * 5000))


def test_thread_name_is_plain_and_short() -> None:
    name = thread_name(make_brief(1, 100))
    assert len(name) <= 100 and "\n" not in name
