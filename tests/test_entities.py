"""Who's who: kinds, roles, surname merging, no guessing, seeds, and the whole enriched brief."""

from __future__ import annotations

from summarizer.articles import Article, load_articles
from summarizer.brief import build_brief
from summarizer.entities import analyse_entities, extract_entities
from summarizer.models import Brief
from tests.conftest import SEEDS


def art(body: str, id: str = "a") -> Article:
    return Article(id=id, title="T", body=body)


def by_name(articles):
    return {e.name: e for e in extract_entities(articles, limit=50)}


def test_roles_before_after_and_as_title():
    found = by_name([art(
        "The message echoes national security adviser Jake Sullivan's warning.\n"
        "Secretary of State Antony Blinken spoke on Thursday.\n"
        "Qin Gang, China's ambassador to the United States, wrote an essay.\n"
        "Sullivan and Blinken later met Qin in Rome, officials said."
    )])
    assert found["Jake Sullivan"].role == "national security adviser"
    assert found["Antony Blinken"].role == "Secretary of State"
    assert found["Qin Gang"].role == "China's ambassador to the United States"
    assert {found[n].kind for n in ("Jake Sullivan", "Antony Blinken", "Qin Gang")} == {"person"}


def test_surnames_and_middle_initials_count_toward_the_full_name():
    found = by_name([
        art("Secretary of State Antony Blinken arrived. Blinken said little. Mr. Blinken left early.", "x"),
        art("Antony J. Blinken, the secretary of state, met allies.", "y"),
    ])
    assert found["Antony Blinken"].mentions == 4
    assert "Blinken" not in found


def test_family_name_first_resolves_through_an_honorific():
    found = by_name([art("Chinese President Xi Jinping spoke to Biden. Mr Xi did not mention the war.")])
    assert found["Xi Jinping"].mentions == 2


def test_places_and_organisations_with_aliases():
    found = by_name([art(
        "The U.S. and China met in Rome.\nThe Foreign Ministry in Beijing said the United States was wrong.\n"
        "NATO allies and the National Security Council disagreed."
    )])
    assert found["United States"].kind == "place" and found["United States"].mentions == 2
    assert found["Rome"].kind == "place" and found["Beijing"].kind == "place"
    assert found["Foreign Ministry"].kind == "organization"
    assert found["National Security Council"].kind == "organization"
    assert found["NATO"].kind == "organization"


def test_no_person_without_evidence_and_no_guessing_ambiguous_surnames():
    found = by_name([art(
        "Officials asked them to wait until after the Winter Olympics in early February.\n"
        "Senator John Smith spoke first. Governor Mary Smith replied. Smith said nothing more."
    )])
    assert "Winter Olympics" not in found
    assert found["John Smith"].mentions == 1 and found["Mary Smith"].mentions == 1  # "Smith" fits both


def test_headline_lines_and_tag_lists_are_not_counted():
    found = by_name([art("Tags Antony Blinken Biden China Gina Raimondo Jake Sullivan\nBiden spoke to China.")])
    assert "Gina Raimondo" not in found


def test_seed_who_is_who():
    articles = load_articles(SEEDS).articles
    report = analyse_entities(articles)
    names = {e.name: e for e in report.entities}
    assert len(report.entities) <= 12
    assert names["Antony Blinken"].role == "Secretary of State"
    assert names["Xi Jinping"].kind == "person" and names["China"].kind == "place"
    for entity in report.entities:
        if entity.kind == "person":
            assert len(entity.name.split()) >= 2  # full names, never a bare surname
    assert report.people.resolve("Mr. Shine") is None
    assert report.people.resolve("Psaki").name == "Jen Psaki"


def test_seed_brief_carries_all_extras_and_round_trips():
    articles = load_articles(SEEDS).articles
    brief = build_brief("china-russia", "China and Russia", articles)
    assert brief.quotes and brief.timeline and brief.entities
    data = brief.to_dict()
    assert Brief.from_dict(data) == brief
    assert all(q["speaker"] and q["sources"] for q in data["quotes"])
