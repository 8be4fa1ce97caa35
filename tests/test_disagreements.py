"""Disagreements: conflicting numbers, dates and people across sources; agreement and noise give none."""

from __future__ import annotations

import random

from summarizer.articles import Article, load_articles
from summarizer.disagreements import find_disagreements, numbers
from summarizer.entities import analyse_entities
from tests.conftest import SEEDS


def disagreements(*bodies: str):
    articles = [Article(id=f"s{i}", title=f"T{i}", body=body) for i, body in enumerate(bodies)]
    report = analyse_entities(articles)
    return find_disagreements(articles, report.people, report.people_by_article)


def test_conflicting_numbers_give_one_disagreement_with_both_claims():
    found = disagreements(
        "US officials estimate that 7,000 Russian troops have been killed in the fighting around Kyiv.",
        "US officials estimate that 15,000 Russian troops have been killed in the fighting around Kyiv.",
    )
    assert len(found) == 1
    assert found[0].about == "the number of troops"
    assert [c.sources for c in found[0].claims] == [("s0",), ("s1",)]
    assert "7,000" in found[0].claims[0].text and "15,000" in found[0].claims[1].text


def test_agreeing_sources_give_none():
    assert disagreements(
        "Officials said the leaders spoke for two hours about the war in Ukraine on the call.",
        "The leaders spoke for 2 hours about the war in Ukraine on the call, officials said.",
    ) == ()


def test_hedged_close_numbers_are_not_a_conflict():
    assert disagreements(
        "Officials estimate that about 7,000 Russian troops have been killed in the fighting.",
        "Officials estimate that 7,200 Russian troops have been killed in the fighting.",
    ) == ()


def test_different_numbers_about_different_things_are_not_a_conflict():
    assert disagreements(
        "The court vote on the ruling was 13 to 2 in favour of ending the war.",
        "Russia requested five types of equipment including drones and armored vehicles from China.",
    ) == ()


def test_conflicting_dates_of_the_same_event():
    found = disagreements(
        "Putin launched the invasion of Ukraine on Feb. 24 with missile strikes on Kyiv.",
        "Putin launched the invasion of Ukraine on Feb. 23 with missile strikes on Kyiv.",
    )
    assert len(found) == 1
    assert found[0].about.startswith("the date")
    assert {c.sources for c in found[0].claims} == {("s0",), ("s1",)}


def test_a_conflict_inside_one_article_is_not_a_disagreement_between_sources():
    assert disagreements(
        "Officials estimate that 7,000 Russian troops have been killed.\n"
        "Officials estimate that 15,000 Russian troops have been killed.",
    ) == ()


def test_different_person_in_the_same_meeting():
    found = disagreements(
        "Jake Sullivan, the national security adviser, held a seven-hour meeting in Rome with Yang Jiechi, "
        "China's top diplomat.",
        "Jake Sullivan, the national security adviser, held a seven-hour meeting in Rome with Wang Yi, "
        "China's foreign minister.",
    )
    assert len(found) == 1
    assert {c.sources for c in found[0].claims} == {("s0",), ("s1",)}


def test_number_parsing_skips_years_and_reads_words():
    found = numbers("In 2022 nearly two hours of talks produced a 5,000-word statement.")
    assert [(n.value, n.unit, n.hedged) for n in found] == [(2.0, "hour", True), (5000.0, "word", False)]


def test_large_topic_stays_bounded():
    rng = random.Random(7)
    vocabulary = ["sanctions", "talks", "drones", "missiles", "border", "trade", "ministers", "summit", "aid"]
    articles = [
        Article(id=f"n{i}", title="T", body=" ".join(
            f"Officials said {rng.randint(2, 900)} {rng.choice(vocabulary)} were discussed with "
            f"{rng.choice(vocabulary)} and {rng.choice(vocabulary)} on the agenda today."
            for _ in range(5)
        ))
        for i in range(1000)
    ]
    report = analyse_entities(articles)
    found = find_disagreements(articles, report.people, report.people_by_article)
    assert len(found) <= 3


def test_seed_disagreements_cite_different_sources():
    articles = load_articles(SEEDS).articles
    report = analyse_entities(articles)
    for disagreement in find_disagreements(articles, report.people, report.people_by_article):
        assert len(disagreement.claims) >= 2
        sources = [set(c.sources) for c in disagreement.claims]
        assert not set.intersection(*sources)


def test_a_disagreement_names_both_sides_in_full():
    # One source says "Mr Wang" only in the conflicting sentence; another of its sentences names Wang Yi in full.
    found = disagreements(
        "Jake Sullivan, the national security adviser, held a seven-hour meeting in Rome with Yang Jiechi, "
        "China's top diplomat.",
        "Wang Yi, China's foreign minister, arrived in Rome on Sunday. "
        "During a seven-hour meeting, Jake Sullivan, the national security adviser, warned Mr Wang about aid.",
    )
    assert len(found) == 1
    texts = [c.text for c in found[0].claims]
    assert any("Yang Jiechi" in t for t in texts)
    assert any("Mr Wang [Wang Yi]" in t for t in texts), texts
    assert not any("[Jake Sullivan]" in t for t in texts)  # only the people in conflict are expanded


def test_seed_disagreement_names_mr_wang_in_full():
    articles = load_articles(SEEDS).articles
    report = analyse_entities(articles)
    texts = [c.text for d in find_disagreements(articles, report.people, report.people_by_article) for c in d.claims]
    assert any("Mr Wang [Wang Yi]" in t for t in texts), texts


def dated(*pairs: tuple[str, str | None]):
    articles = [Article(id=f"s{i}", title=f"T{i}", body=body, published=day) for i, (body, day) in enumerate(pairs)]
    report = analyse_entities(articles)
    return find_disagreements(articles, report.people, report.people_by_article)


def test_a_count_reported_days_later_is_an_update_not_a_disagreement():
    """Two bodies found on June 6, sixteen by June 8: the toll rose, the sources do not disagree. The same counts
    on the same day (or with a date unknown) still are a disagreement, named by the noun as written."""
    early = "Search teams say that at least two bodies have been recovered from the ocean so far."
    later = "Search teams say that sixteen bodies have been recovered from the ocean so far."
    assert dated((early, "2009-06-06"), (later, "2009-06-08")) == ()
    same_day = dated((early, "2009-06-06"), (later, "2009-06-06"))
    assert len(same_day) == 1 and same_day[0].about == "the number of bodies"
    assert len(dated((early, None), (later, "2009-06-08"))) == 1


def test_a_date_line_in_the_text_dates_the_report_too():
    """Batch inputs keep the page's date line in the text instead of a ``published`` field: it dates the report."""
    found = "have been recovered from the ocean so far."
    early = f"Saturday, June 6, 2009\n\nSearch teams say that at least two bodies {found}"
    later = f"Monday, June 8, 2009\n\nSearch teams say that sixteen bodies {found}"
    assert dated((early, None), (later, None)) == ()


def test_a_clock_time_is_no_count():
    assert numbers("Another aftershock took place at 20:36:08 local time (23:36 UTC).") == []
    assert [n.value for n in numbers("It lasted 30 seconds, at 05:19 local time.")] == [30.0]
