"""A focused brief on a narrow question (issue 11): the points that speak to the question come first, the rest
of the story follows apart as context ("Also in the story") in every rendering, so a reader sees where the
answer ends; the brief keeps its length."""

from __future__ import annotations

import json

import numpy as np

from bot.render.discord import brief_embeds
from bot.render.html import brief_to_html
from bot.render.slack import brief_blocks
from bot.render.text import ANSWER_HEADING, CONTEXT_HEADING, brief_to_text, point_sections
from summarizer.articles import Article
from summarizer.brief import build_brief
from summarizer.focus import SPEAKS_SHARE, speaks_to, specific_stems
from summarizer.models import Brief, Coverage, Point, Source

# A port strike: every outlet tells the strike and its effects (the story's centre); two facts say what the
# union asked for (the answer to a narrow question); no sentence of the centre uses "ask" or "demand".
CENTRE = [
    ("Dock workers of the union at the port of Vessby walked out on Monday, halting all container traffic.",
     "All container traffic at Vessby stopped on Monday when the union's dock workers walked out."),
    ("More than forty ships now wait at anchor outside Vessby harbour while the union keeps the terminal shut.",
     "Outside Vessby harbour more than forty ships wait at anchor for the union to reopen the terminal."),
    ("Exporters of timber and paper warn that the union's strike costs them millions of crowns every day.",
     "The union's strike costs timber and paper exporters millions of crowns every day, exporters warn."),
    ("Police escorted lorries past the union pickets at the terminal gate on Tuesday morning.",
     "On Tuesday morning police escorted lorries past the pickets of the union at the gate of the terminal."),
    ("Supermarkets in the north report empty shelves of fruit shipped through Vessby.",
     "Shelves of fruit shipped through Vessby stand empty in supermarkets across the north."),
    ("The last strike by the union, in 2009, lasted eleven days and ended with a court ruling.",
     "A strike by the union in 2009 lasted eleven days before a court ruling ended it."),
]
ASKS = [
    ("The dockers' union asked for a twelve percent pay rise over two years.",
     "Its leaders asked for wages twelve percent higher within two years."),
    ("Union leaders also asked for new safety rules on the old cranes after an accident in May.",
     "After a crane accident in May, new safety rules were asked for as well."),
]
QUESTION = "What did the union ask for?"


def strike_topic() -> list[Article]:
    out = []
    for n in range(8):
        ask = ASKS[0][n % 2] if n < 2 else ASKS[1][n % 2]  # the pay rise in two articles, the cranes in six
        lines = [CENTRE[(n + k) % 6][(n + k) % 2] for k in range(4)] + [ask]
        out.append(Article(f"s{n}", f"Port strike {n}", "\n".join(lines), outlet=f"Outlet {n}"))
    return out


def test_the_points_that_answer_come_first_and_the_rest_is_marked_context() -> None:
    brief = build_brief("strike", "Port strike", strike_topic(), focus=QUESTION)
    flags = [p.answers for p in brief.points]
    assert None not in flags, flags  # a focused brief says of every point whether it speaks to the question
    asked = [p for p in brief.points if "asked" in p.text]
    told = " ".join([brief.summary, *(p.text for p in brief.points)])
    assert "pay rise" in told and "cranes" in told  # both answers told
    assert all(p.answers for p in asked), [(p.answers, p.text) for p in brief.points]
    context = [p for p in brief.points if p.answers is False]
    assert context and all("asked" not in p.text for p in context)  # the strike itself is told, as context
    assert flags == sorted(flags, reverse=True), flags  # every answering point before any context point


def test_a_generic_brief_marks_no_point() -> None:
    brief = build_brief("strike", "Port strike", strike_topic())
    assert brief.points and all(p.answers is None for p in brief.points)
    data = json.loads(json.dumps(brief.to_dict()))
    assert all(p["answers"] is None for p in data["points"]) and Brief.from_dict(data) == brief
    focused = build_brief("strike", "Port strike", strike_topic(), focus=QUESTION)
    assert Brief.from_dict(json.loads(json.dumps(focused.to_dict()))) == focused  # the flags survive the cache


def test_a_specific_word_alone_is_not_enough_when_the_question_has_a_rarer_one() -> None:
    # "When will the minister visit Lessa?": "lessa" is in 2 of 30 sentences, "visit" in 1; "minister" in 20.
    stems = [frozenset({"minist", "lessa"}), frozenset({"minist", "lessa"}), frozenset({"minist", "visit", "lessa"})]
    stems += [frozenset({"minist", "budget"})] * 17 + [frozenset({"harbour"})] * 10
    assert specific_stems("When will the minister visit Lessa?", stems) == {"visit", "lessa"}
    relevance, answers = np.zeros(len(stems)), np.zeros(len(stems))
    relevance[3] = 1.0
    relevance[4] = SPEAKS_SHARE - 0.01
    answers[5] = 1.0
    speaks = speaks_to("When will the minister visit Lessa?", stems, relevance, answers)
    assert not speaks[0] and not speaks[1]  # names the place, not the visit
    assert speaks[2] and speaks[3] and not speaks[4] and speaks[5]  # both words; relevant enough; cited


def test_a_question_word_no_sentence_holds_does_not_weigh() -> None:
    # "ferry" is in no sentence (the story says it otherwise): the sentence with the visit still speaks.
    stems = [frozenset({"minist", "lessa"})] * 2 + [frozenset({"minist", "visit"})] + [frozenset({"minist"})] * 27
    assert specific_stems("When will the minister visit by ferry?", stems) == {"visit"}
    speaks = speaks_to("When will the minister visit by ferry?", stems, np.zeros(30), np.zeros(30))
    assert speaks.tolist() == [False, False, True] + [False] * 27


def test_a_question_in_the_storys_own_words_is_judged_by_relevance_alone() -> None:
    stems = [frozenset({"strike", "port"})] * 8 + [frozenset({"strike", "port", "crane"})] * 2
    assert specific_stems("Why did the port strike?", stems) == frozenset()  # every sentence holds its words
    relevance = np.array([1.0, 0.9] + [0.2] * 8)
    assert speaks_to("Why did the port strike?", stems, relevance, np.zeros(10)).tolist() == [True] * 2 + [False] * 8


def _focused_brief() -> Brief:
    points = (Point("The union asked for a pay rise.", ("a",), 1, None, None, True),
              Point("Ships wait at anchor.", ("b",), 1, "2024-03-05", True, False),
              Point("Exporters lose millions.", ("a", "b"), 2, None, None, False))
    sources = (Source("a", "Strike talks", "Outlet A"), Source("b", "Ships wait", "Outlet B"))
    return Brief("strike", "Port strike", "The union asked for safer cranes.", points, sources, Coverage(2, 10, 0))


def test_every_rendering_shows_the_context_apart_from_the_answer() -> None:
    brief = _focused_brief()
    assert [h for h, _ in point_sections(brief)] == [ANSWER_HEADING, CONTEXT_HEADING]
    text = brief_to_text(brief)
    assert text.index(ANSWER_HEADING) < text.index("1. The union") < text.index(CONTEXT_HEADING) \
        < text.index("2. [2024-03-05] Ships") < text.index("3. Exporters")  # numbered on; latest does not split
    markdown = brief_to_text(brief, markdown=True)
    assert f"## {ANSWER_HEADING}" in markdown and f"## {CONTEXT_HEADING}" in markdown and "Latest" not in markdown
    slack = json.dumps(brief_blocks(brief))
    assert slack.index(ANSWER_HEADING) < slack.index("pay rise") < slack.index(CONTEXT_HEADING) < slack.index("Ships")
    html = brief_to_html(brief)
    assert html.index(f">{ANSWER_HEADING}</h2>") < html.index("pay rise") < html.index(f">{CONTEXT_HEADING}</h2>")
    main = brief_embeds(brief)[0]
    assert f"**{ANSWER_HEADING}**" in main["description"] and "pay rise" in main["description"]
    assert "Ships" not in main["description"]
    field = next(f for f in main["fields"] if f["name"] == CONTEXT_HEADING)
    assert field["value"].startswith("2. Ships") and "3. Exporters" in field["value"]


def test_a_focused_brief_without_context_keeps_one_list() -> None:
    brief = _focused_brief()
    only = Brief(brief.topic, brief.title, brief.summary, brief.points[:1], brief.sources, brief.coverage)
    assert [h for h, _ in point_sections(only)] == [ANSWER_HEADING]
    assert CONTEXT_HEADING not in brief_to_text(only)
    assert not any(f["name"] == CONTEXT_HEADING for f in brief_embeds(only)[0].get("fields", []))
