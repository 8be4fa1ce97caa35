"""Story-aware briefs (issue 11): strands, dates and latest/background, focus, what is new, wire datelines."""

from __future__ import annotations

import json

import pytest

from summarizer.articles import Article, load_articles
from summarizer.brief import Seen, build_brief, summarize_documents
from summarizer.cleaning import strip_dateline
from summarizer.dates import document_date, find_dates, parse_published
from summarizer.models import Brief, Point
from summarizer.strands import MAJOR_SHARE, Strand, find_strands, round_robin, term_vectors
from summarizer.text import words
from tests.conftest import SEEDS

# One topic, four sub-events. The main one (a summit) is told by every outlet in several ways, so a ranker
# that only follows centrality fills the brief with it; the three others are told less often.
SUMMIT = [
    "The prime ministers of Norland and Sudria met in Harwick on Monday for four hours of talks on the river dam.",
    "Norland's prime minister and his Sudrian counterpart held talks in Harwick about the disputed river dam.",
    "The two prime ministers discussed the river dam dispute during a long meeting in Harwick, officials said.",
    "Their meeting in Harwick was the first between the two prime ministers since the dam dispute began.",
]
OTHERS = {
    "drought": [
        "Farmers in southern Sudria say the drought has cut their wheat harvest by almost half this year.",
        "Wheat growers in the south of Sudria reported that this year's harvest fell by nearly half in the drought.",
    ],
    "engineers": [
        "Independent engineers found that the dam's spillway gates could fail during a major spring flood.",
        "A report by outside engineers warned that the spillway gates of the dam might not survive a large flood.",
    ],
    "protest": [
        "Thousands of fishermen marched through the port city of Lessa demanding compensation for lost catches.",
        "In Lessa, thousands of fishermen staged a march to demand compensation for the catches they have lost.",
    ],
}


def story(published: list[str | None] | None = None) -> list[Article]:
    """Six articles: each tells the summit (differently) and one or two of the other sub-events."""
    others = list(OTHERS.values())
    out = []
    for n in range(6):
        lines = [SUMMIT[n % 4], SUMMIT[(n + 1) % 4], others[n % 3][n % 2], others[(n + 1) % 3][(n + 1) % 2]]
        out.append(Article(f"a{n}", f"Dam talks {n}", "\n".join(lines), outlet=f"Outlet {n}",
                           published=published[n] if published else None))
    return out


def told(brief: Brief) -> str:
    return " ".join([brief.summary, *(p.text for p in brief.points)]).lower()


def test_every_strand_gets_a_point_before_the_main_event_gets_a_second() -> None:
    brief = build_brief("dam", "Dam talks", story(), length="short")
    text = told(brief)
    for cue in ("harvest", "spillway", "fishermen"):
        assert cue in text, f"strand {cue!r} missing: {[p.text for p in brief.points]}"
    summit_points = [p for p in brief.points if "harwick" in p.text.lower()]
    assert len(summit_points) <= 1  # the summit is in the lead: at most one more telling, never four


def test_short_and_full_briefs_keep_to_their_word_budgets() -> None:
    for length, budget in (("short", 80), ("full", 200)):
        brief = build_brief("dam", "Dam talks", story(), length=length)
        assert 0 < sum(len(p.text.split()) for p in brief.points) <= budget * 1.1


def test_strands_cluster_by_sub_event_and_keep_years_apart() -> None:
    terms = [frozenset(words(t)) for t in (
        "dam spillway gates flood engineers", "engineers spillway report gates", "fishermen march lessa port",
        "fishermen lessa compensation march", "summit harwick talks dam", "summit harwick talks dam")]
    strands = find_strands(term_vectors(terms, max_share=0.5), [1.0, 0.9, 0.8, 0.7, 0.6, 0.5],
                           [None, None, None, None, 2021, 2023], level=0.1)
    groups = sorted(sorted(s.members) for s in strands)
    assert [0, 1] in groups and [2, 3] in groups
    assert [4] in groups and [5] in groups  # the same words in different years: two events
    order = list(round_robin(strands))
    assert sorted(order) == list(range(6)) and len(order) == 6


def test_dated_topic_has_point_dates_and_a_latest_section() -> None:
    articles = story(["2024-05-01", "2024-05-01", "2024-05-02", "2024-05-02", "2024-05-03", "2024-05-09"])
    articles[5] = Article("a5", "Dam talks 5", articles[5].body + "\nSudria's parliament voted on Thursday to "
                          "fund a new dam inspection agency with two hundred engineers and inspectors.",
                          published="2024-05-09")
    brief = build_brief("dam", "Dam talks", articles)
    assert all(p.date for p in brief.points)
    latest = [p for p in brief.points if p.latest]
    assert latest and all(p.sources == ("a5",) for p in latest)
    assert "parliament" in latest[0].text.lower() and latest[0].date == "2024-05-09"
    assert brief.points[0].latest  # latest first, then the background
    background = [p.date for p in brief.points if p.latest is False]
    assert background == sorted(background)  # ISO dates of one year sort as text
    data = json.loads(json.dumps(brief.to_dict()))
    assert {"date", "latest"} <= set(data["points"][0]) and Brief.from_dict(data) == brief


def test_undated_topic_says_nothing_about_latest() -> None:
    brief = build_brief("dam", "Dam talks", story())
    assert all(p.latest is None for p in brief.points)
    assert Brief.from_dict({**brief.to_dict(), "points": [{"text": "Old cached point.", "sources": ["a0"],
                                                          "corroboration": 1}]}).points[0] == \
        Point("Old cached point.", ("a0",), 1)  # briefs cached before points had dates still load


def test_events_of_different_years_never_merge_into_one_point() -> None:
    a = Article("x", "Summit", "The leaders of Norland and Sudria held their annual summit in Harwick on "
                "March 3, 2021 and signed a water treaty.\nFarmers protested outside the venue against new "
                "rules for irrigation and water use.")
    b = Article("y", "Summit", "The leaders of Norland and Sudria held their annual summit in Harwick on "
                "March 3, 2023 and signed a water treaty.\nFishermen in Lessa complained that the treaty "
                "ignores the river delta and its fish.")
    brief = build_brief("s", "Summit", [a, b])
    texts = [brief.summary, *(p.text for p in brief.points)]
    assert any("2021" in t for t in texts) and any("2023" in t for t in texts)


def test_focus_builds_the_brief_on_the_question() -> None:
    plain = build_brief("dam", "Dam talks", story())
    focused = build_brief("dam", "Dam talks", story(), focus="What did the engineers find about the spillway?")
    assert "spillway" in focused.summary.lower() or "spillway" in focused.points[0].text.lower()
    assert "spillway" not in plain.summary.lower()
    assert all("fishermen" not in p.text.lower() for p in focused.points)  # nothing off the question
    assert summarize_documents([a.body for a in story()], 25, query="How much did the wheat harvest fall?") \
        .lower().count("harvest") >= 1


def test_previous_reading_leaves_only_what_is_new() -> None:
    articles = story()
    first = build_brief("dam", "Dam talks", articles[:3])
    later = build_brief("dam", "Dam talks", articles, previous=Seen(frozenset(a.id for a in articles[:3]),
                                                                    tuple(p.text for p in first.points)))
    assert {s.id for s in later.sources} == {"a3", "a4", "a5"}
    assert all(set(p.sources) <= {"a3", "a4", "a5"} for p in later.points)
    earlier = {" ".join(words(t)) for a in articles[:3] for t in a.body.split("\n")}
    assert all(" ".join(words(p.text)) not in earlier for p in later.points)
    nothing = build_brief("dam", "Dam talks", articles, previous=Seen(frozenset(a.id for a in articles)))
    assert nothing.points == () and "nothing new" in nothing.summary.lower()


def test_update_summary_drops_what_the_reader_has_read() -> None:
    old = "The council voted on Tuesday to close the old harbour bridge to heavy trucks for repairs."
    new = [f"{old}\nEngineers found cracks in two of the steel supports during an inspection last week.",
           f"{old}\nA ferry line will carry trucks across the harbour while the bridge is closed."]
    summary = summarize_documents(new, 60, previous=[old])
    assert "council voted" not in summary.lower() and "cracks" in summary
    assert summarize_documents([old], 60, previous=[old]) == ""


@pytest.mark.parametrize(("line", "expected"), [
    ("BONN, October 10 (Xinhua) -- The UN climate talks opened with a call for deeper cuts.",
     "The UN climate talks opened with a call for deeper cuts."),
    ("NEW YORK, Jan. 5, 2020 (AP) \u2014 A man was arrested after the crash.", "A man was arrested after the crash."),
    ("LONDON (Reuters) - Shares fell sharply on Monday.", "Shares fell sharply on Monday."),
    ("Beijing, March 5 (Xinhua) -- China set its growth target.", "China set its growth target."),
    ("TEXAS, US - A soldier was found guilty.", "A soldier was found guilty."),
    ("Saturday, March 26, 2005 Up to four times as many women died.", "Up to four times as many women died."),
    ("Saturday, March 26, 2005 was a quiet day.", "Saturday, March 26, 2005 was a quiet day."),
    ("Tuesday, January 18, 2005Through a telethon, Romanians raised 15 billion lei.",
     "Through a telethon, Romanians raised 15 billion lei."),
    ("NATO - the alliance - said it would meet.", "NATO - the alliance - said it would meet."),
    ("U.S. officials said - again - that talks failed.", "U.S. officials said - again - that talks failed."),
    ("London, England \u2014 For the second time in two days, crowds came out.",
     "For the second time in two days, crowds came out."),
    ("Jake Sullivan, Biden's adviser \u2014 who met Yang \u2014 said so.",
     "Jake Sullivan, Biden's adviser \u2014 who met Yang \u2014 said so."),
    ("London \u2014 The race began.", "London \u2014 The race began."),
])
def test_wire_datelines_are_stripped(line: str, expected: str) -> None:
    assert strip_dateline(line) == expected


def test_datelines_never_reach_a_summary() -> None:
    docs = ["BONN, October 10 (Xinhua) -- Delegates from 190 countries opened two weeks of climate talks in Bonn "
            "on Monday with a call for deeper emission cuts.\nThe talks are meant to prepare a new treaty that "
            "would replace the Kyoto Protocol after it expires.",
            "BONN, October 11 (Xinhua) -- Delegates at the climate talks in Bonn disagreed on Tuesday over how "
            "deep the emission cuts of rich countries should be."]
    summary = summarize_documents(docs, 100)
    assert "Xinhua" not in summary and "BONN" not in summary and summary


def test_relative_dates_resolve_against_the_article() -> None:
    published = parse_published("2022-03-18")  # a Friday
    labels = {text: [d.label for d in find_dates(text, published)] for text in (
        "They met last month.", "The deal expires next year.", "It happened last week.",
        "Talks will follow next Thursday.", "They held a virtual summit on Nov. 15 of last year.")}
    assert labels == {"They met last month.": ["2022-02"], "The deal expires next year.": ["2023"],
                      "It happened last week.": ["2022-03-07"], "Talks will follow next Thursday.": ["2022-03-24"],
                      "They held a virtual summit on Nov. 15 of last year.": ["2021-11-15"]}
    assert find_dates("They met last month.") == []  # nothing to resolve against: no date invented
    assert str(document_date("Quake hits Haiti\n\nTuesday, January 12, 2010\n\nA 7.0 magnitude ...")) == \
        "2010-01-12"
    assert document_date("No date\nhere at all") is None
    # a page's date line run into its first paragraph (no space between them) still dates the page
    assert str(document_date("Romanians raise aid\n\nTuesday, January 18, 2005Through a telethon, ...")) == \
        "2005-01-18"


def test_a_slight_aside_waits_for_the_major_strands_second_facts() -> None:
    """A strand weighing under a tenth of the heaviest (a one-sentence aside) comes after the second points of
    the major strands; every other strand still gives its first point before any gives a second."""
    strands = [Strand([0, 1], 1.0), Strand([2, 3], 0.3), Strand([4], 0.05)]
    assert list(round_robin(strands, major_share=MAJOR_SHARE)) == [0, 2, 1, 3, 4]
    assert list(round_robin(strands, major_share=0.0)) == [0, 2, 4, 1, 3]


def test_seed_brief_covers_the_story_in_about_two_hundred_words() -> None:
    seeds = load_articles(SEEDS).articles
    brief = build_brief("china-russia", "China, Russia and the war in Ukraine", seeds)
    assert 150 <= sum(len(p.text.split()) for p in brief.points) <= 220
    cited = {s for p in brief.points for s in p.sources}
    assert len(cited) >= 4  # the strands come from across the articles, not from one event's reports


def test_a_point_drops_an_opener_that_leans_on_what_came_before() -> None:
    """"As before, Mr. Xi did not use the terms war or invasion ...", "Even with the massacre, ...": the point shows
    the fact, which stands alone, not the opener that leans on a sentence the reader never saw."""
    from summarizer.text import without_repeat_opener

    assert without_repeat_opener("As before, Mr. Xi did not use the terms war or invasion.") == \
        "Mr. Xi did not use the terms war or invasion."
    assert without_repeat_opener("Once again, the river rose above its banks.") == "The river rose above its banks."
    assert without_repeat_opener("As before the war, trade grew.") == "As before the war, trade grew."  # a clause
    assert without_repeat_opener("Even with the massacre, Chinese officials have continued to support Russia.") == \
        "Chinese officials have continued to support Russia."
    assert without_repeat_opener("Despite heavy rain, the march went ahead.") == \
        "Despite heavy rain, the march went ahead."  # names its own concession: nothing leans back
    seeds = load_articles(SEEDS).articles
    shown = [p.text for p in build_brief("china-russia", "China, Russia and the war in Ukraine", seeds).points]
    assert not any(t.startswith(("As before", "Once again", "Again,")) for t in shown)
    assert any(t.startswith("Mr. Xi did not use the terms war or invasion") for t in shown)
    short = build_brief("china-russia", "China, Russia and the war in Ukraine", seeds, length="short")
    assert not any(p.text.startswith(("Even with", "Despite the")) for p in short.points)


def test_strand_purity_bench_reads_the_brief_strands_of_the_seed_topic() -> None:
    """bench/strand_purity.py labels the seed candidates with the blind same-event groups and measures the strands
    build_brief clusters (``brief_strands``): every candidate in exactly one strand, most events found."""
    from bench.strand_purity import purity

    result = purity(verbose=True)
    assert result["labelled"] >= 20 and result["events"] >= 12, result
    assert 0 < result["leading"] <= result["events"] and len(result["by_strand"]) == result["strands"]
    seeds = load_articles(SEEDS).articles
    from summarizer import brief as B
    from summarizer.text import split_sentences

    scored, _ = B.score_sentences([split_sentences(a.body) for a in seeds], None)
    top = B.merge_events(scored, B.merge_duplicates(scored), seeds)[:B.MAX_STRAND_GROUPS]
    reps = [B._representative(scored, g) for g in top]
    strands = B.brief_strands(scored, top, reps, list(range(len(top))), True)
    assert sorted(k for st in strands for k in st.members) == list(range(len(top)))


# A flood (the lead's event), a side event (the mayor's request) and a detail of it that names the request only as
# "the request"; four other developments.
FLOOD = [
    "Floods swept through the river town of Alder on Monday, forcing 2,000 residents from their homes. "
    "The mayor of Alder asked the state government for emergency funds to rebuild the river bridge. "
    "The governor declined to comment on the size of the request, but aides said it reached 40 million dollars. "
    "Schools across the county will stay closed until the water level falls below the flood line. "
    "Engineers warned that the old dam upstream could fail if the heavy rain continues through Thursday.",
    "Floods forced 2,000 residents of Alder from their homes on Monday after the river burst its banks. "
    "Alder's mayor asked the state government for emergency money to rebuild the bridge over the river. "
    "Volunteers from nearby villages filled sandbags through the night to protect the hospital. "
    "Engineers said the dam upstream could fail if heavy rain continues through Thursday.",
    "The river flooded Alder on Monday and 2,000 residents left their homes. "
    "Farmers counted heavy losses as fields of wheat and barley lay under water for a third day. "
    "Volunteers filled sandbags overnight to protect the town hospital from the rising water. "
    "Schools in the county will remain closed until the flood water recedes. "
    "The mayor asked the state government for emergency funds to rebuild the bridge over the river. "
    "The governor declined to comment on the size of the request, but aides said it was close to 40 million "
    "dollars.",
]


def test_a_detail_of_a_side_event_waits_for_the_untold_strands() -> None:
    """"The governor declined to comment on the size of the request ...": more about the mayor's request, which
    another point tells. In a short brief the volunteers (a development of their own) come first; a full brief
    has room for both, the detail after the request it refers to."""
    from summarizer.events import event_kinds, only_refers_to

    detail = "The governor declined to comment on the size of the request, but aides said it reached 40 million."
    assert only_refers_to(detail, frozenset({"request"}))
    assert not only_refers_to(detail, frozenset({"meet"}))
    assert not only_refers_to("The mayor asked the state for funds.", frozenset({"request"}))  # tells it itself
    assert not only_refers_to("The trial at the Old Bailey lasted a year.", frozenset({"trial"}))  # names which
    assert event_kinds("Floods swept through Alder.") == frozenset({"storm"})  # the lead tells no request

    articles = [Article(f"f{i}", "Floods force 2,000 Alder residents from their homes", b)
                for i, b in enumerate(FLOOD)]
    short = [p.text for p in build_brief("flood", "Flood", articles, length="short").points]
    assert any(t.startswith("Volunteers") for t in short), short
    assert not any("the request" in t for t in short), short
    full = [p.text for p in build_brief("flood", "Flood", articles).points]
    request = next(i for i, t in enumerate(full) if "asked the state government" in t)
    assert any("the request" in t for t in full[request + 1:]), full


def test_a_fresh_report_that_retells_the_lead_does_not_hide_the_latest_section() -> None:
    """MultiLing M006 (Haiti, January 12 to March 18, 2010): the newest article's headline development, the UN's
    final toll, retells the lead's toll and cannot be shown beside it, so the brief had no "Latest" section at
    all; the newest article's other development opens it instead."""
    from pathlib import Path

    from bench.encoders import multiling_articles

    root = Path(__file__).resolve().parent.parent
    articles = multiling_articles(root / "bench/data/multiling2011_en/multiling2011_en.jsonl")["M006"]
    brief = build_brief("M006", "M006", articles, encoder="tfidf")
    newest = articles[-1].id
    latest = [p for p in brief.points if p.latest]
    assert latest and all(p.sources == (newest,) for p in latest)
    assert brief.points[0].latest and all(p.latest is False for p in brief.points[len(latest):])
    assert "222,570" not in " ".join(p.text for p in latest)  # the toll retold is not a point beside the lead's


def test_the_latest_section_opens_with_a_point_that_stands_alone() -> None:
    """MultiLing M002 (the seized sailors, March 23 to June 19, 2007): the newest article, the June inquiries, had
    no point at all, because its weightiest development opens on a quotation; the next one that can be a point
    opens "Latest" ("The second, by Tony Hall, ..." leans on the sentence before and cannot)."""
    from pathlib import Path

    from bench.encoders import multiling_articles

    root = Path(__file__).resolve().parent.parent
    articles = multiling_articles(root / "bench/data/multiling2011_en/multiling2011_en.jsonl")["M002"]
    brief = build_brief("M002", "M002", articles, encoder="tfidf")
    newest = max(articles, key=lambda a: document_date(a.body) or parse_published("1900-01-01")).id
    latest = [p for p in brief.points if p.latest]
    assert latest and latest[0] is brief.points[0] and latest[0].sources == (newest,)
    assert not latest[0].text.startswith(("The second", '"'))
