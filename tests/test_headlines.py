"""Headlines: a full brief tells what each central article reports (summarizer.headlines)."""

from __future__ import annotations

from summarizer.analyzer import idf_table, stem, words
from summarizer.articles import load_articles
from summarizer.brief import build_brief
from summarizer.headlines import (
    TOLD_SHARE,
    headline_terms,
    reported,
    series_labels,
    story_weights,
    told_share,
    unlabelled,
)
from tests.conftest import SEEDS


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text))


def test_rare_words_weigh_most_in_whether_a_headline_is_told() -> None:
    sentences = [_stems(t) for t in (
        "China and the White House spoke about aid.", "China said the White House erred.",
        "The White House seeks a softer tone on China.", "China sent no aid.")]
    idf = idf_table(sentences)
    headline = headline_terms(_stems("White House seeks softer tone on China"), idf)
    common = told_share(headline, _stems("The White House spoke to China"), idf)
    rare = told_share(headline, _stems("officials seek a softer tone"), idf)
    assert rare > common
    assert common < TOLD_SHARE <= rare


def test_words_every_sentence_uses_tell_no_article_its_own_story() -> None:
    """Most of the headline's words are the topic's own (said in every sentence): a brief that carries those and
    one of the headline's own words has not told it; with the smoothing's floor of 1 it would pass for told."""
    sentences = [_stems(t) for t in (
        "The White House said China wanted a meeting.", "China said the White House meeting went well.",
        "The White House said China would plan a meeting.", "The White House said it seeks a softer tone at the "
        "China meeting.", "China said the White House meeting was long.")]
    title = _stems("White House said China meeting seeks softer tone")
    shown = _stems("The White House said China seeks a meeting")
    weights = story_weights(idf_table(sentences))
    assert told_share(headline_terms(title, weights), shown, weights) < TOLD_SHARE
    assert told_share(headline_terms(title, weights), _stems("officials seek a softer tone"), weights) >= TOLD_SHARE
    plain = idf_table(sentences)
    assert told_share(headline_terms(title, plain), shown, plain) >= TOLD_SHARE


def test_a_series_label_heading_many_headlines_is_no_story() -> None:
    """"Tour de France: Alexander Vinokourov fails blood test": the label heads most of the topic's headlines, so
    the lead's "Vinokourov ... has won stage 13" told half of the headline's words and the blood test was left
    out. A label heading a few headlines, or a colon inside one, is the headline's own."""
    titles = ["Tour de France: Vinokourov wins stage 13", "Tour de France: Vinokourov fails blood test",
              "Tour de France: Contador wins the grand tour", "ETA places explosives on Tour de France route",
              "Tour de France: Cancellara wins prologue", "Analysis: doping returns"]
    labels = series_labels(titles)
    assert labels == {"tour de france"}
    assert unlabelled(titles[1], labels) == "Vinokourov fails blood test"
    assert unlabelled(titles[5], labels) == titles[5] and unlabelled(titles[3], labels) == titles[3]
    assert series_labels(["Ukraine: talks resume", "Ukraine: ceasefire holds", "Markets rally", "Rain ahead",
                          "Elections near", "Storm hits", "Ukraine: aid arrives", "Oil falls"]) == frozenset()


def test_a_headline_word_no_sentence_uses_does_not_count() -> None:
    idf = idf_table([_stems("The quake struck the coast."), _stems("The quake killed ten.")])
    assert headline_terms(_stems("Exclusive: quake devastates coast"), idf) == {stem("quake"), stem("coast")}


def test_a_leading_attribution_is_not_the_headline_story() -> None:
    assert reported("Antony Blinken said on Thursday that the United States would punish China") == \
        "the United States would punish China"
    assert reported("White House seeks softer tone on China") == "White House seeks softer tone on China"


def test_the_full_seed_brief_tells_the_story_an_article_leads_with() -> None:
    """Article 004 is a story of its own (a softer White House tone, a year later), told in the topic's common
    words (White House, China, aid), so the strands alone put it with the lead's event and left it out."""
    articles = load_articles(SEEDS).articles
    brief = build_brief("china-russia", "China, Russia", articles)
    idf = idf_table([_stems(s) for a in articles for s in a.body.split(". ")])
    shown = set().union(_stems(brief.summary), *(_stems(p.text) for p in brief.points))
    headline = headline_terms(_stems(reported(articles[4].title)), idf)
    assert told_share(headline, shown, idf) >= TOLD_SHARE, [p.text for p in brief.points]
    assert any(articles[4].id in p.sources and "tone" in p.text for p in brief.points)
    assert sum(len(p.text.split()) for p in brief.points) <= 220


def test_no_point_repeats_the_lead_on_the_multiling_clusters() -> None:
    """The lead's own group is never a headline's point (it once came back, appended to a short lead)."""
    from bench.encoders import MULTILING, multiling_articles

    for name, articles in multiling_articles(MULTILING[0]).items():
        brief = build_brief(name, name, articles)
        for point in brief.points:
            assert point.text not in brief.summary, (name, point.text)


def test_a_point_never_opens_with_a_quotation() -> None:
    """'"This is part of our ongoing efforts ...," Psaki said in a statement' is half quotation: a quote, not a
    point, and in the seed brief it took a strand's place among the points."""
    brief = build_brief("china-russia", "China, Russia", load_articles(SEEDS).articles)
    assert brief.points and not any(p.text.startswith('"') for p in brief.points)


def test_a_point_never_opens_with_a_pronoun_or_a_connective() -> None:
    """'Their claimed intention was to move the quake victims ...' leans on a sentence the reader never sees;
    it cannot stand alone as a point (the lead already avoids such openings). The ten MultiLing clusters, dated
    as the nugget bench dates them."""
    import re

    from bench import nuggets

    opening = ("he ", "she ", "they ", "it ", "his ", "her ", "their ", "its ", "but ", "and ", "so ", "also ",
               "instead,", "however,", "meanwhile,", "in addition,")
    source = re.compile(r"^according to [^,]+, ")  # "According to the University of Chile, it had ..."
    for cluster in nuggets.load(nuggets.ROOT / "bench" / "data" / "nuggets" / "nuggets3.json"):
        brief = build_brief(cluster.id, cluster.id, nuggets.articles_of(cluster))
        shown = [brief.summary.split(". ")[0]] + [p.text for p in brief.points]
        assert not [t for t in shown if source.sub("", t.lower()).startswith(opening)], cluster.id


def test_alike_sentences_that_different_people_open_are_two_facts() -> None:
    """"X of Kazakhstan has won stage 13 of the Tour" and "Y of Spain has won the Tour" share most words; merged,
    the later one (the Tour's winner) vanished behind the first and its sources were miscounted."""
    from summarizer.articles import Article

    stage = "Alexander Vinokourov of Kazakhstan has won stage 13 of the 2007 Tour de France in Albi."
    overall = "Alberto Contador of Spain has won the 2007 Tour de France general classification in Paris."
    filler = ["Thousands of fans lined the roads of the final stage in the sun.",
              "The riders crossed the Alps in heavy rain on the tenth day of the race.",
              "Team doctors checked the riders after the long mountain stage."]
    articles = [Article("a1", "Vinokourov wins stage 13", f"{stage}\n{filler[0]}\n{filler[1]}"),
                Article("a2", "Contador wins the Tour", f"{overall}\n{filler[2]}\n{filler[1]}"),
                Article("a3", "Tour report", f"{stage}\n{filler[2]}")]
    brief = build_brief("tour", "Tour", articles)
    told = [brief.summary, *(p.text for p in brief.points)]
    assert any("Contador" in t for t in told) and any("Vinokourov" in t for t in told), told
    for point in brief.points:
        if "Contador" in point.text:
            assert point.sources == ("a2",)


def test_the_seed_brief_tells_no_event_twice_by_the_blind_event_groups() -> None:
    """bench/data/nuggets/seeds_strands.json lists, written without running the engine, sentence fragments that
    tell one event in different words; no two units of the brief (lead and points) may tell the same one."""
    import json

    from tests.conftest import ROOT

    spec = json.loads((ROOT / "bench" / "data" / "nuggets" / "seeds_strands.json").read_text(encoding="utf-8"))
    articles = load_articles(SEEDS).articles
    for length in ("full", "short"):
        brief = build_brief("china-russia", "China, Russia", articles, length=length)
        units = [brief.summary, *(p.text for p in brief.points)]
        told = 0
        for fragments, label in zip(spec["same_event_groups"], spec["same_event_labels"], strict=True):
            telling = [u for u in units if any(f.replace("\u2019", "'") in u for f in fragments)]
            assert len(telling) <= 1, (length, label, telling)
            told += len(telling)
        assert told >= (5 if length == "full" else 3), (length, units)


def test_a_generic_brief_fills_its_budget_and_a_focused_one_stops_short_of_it() -> None:
    """200 words of points (80 short) are the budget a generic brief fills, the last point overrunning it by a
    tenth at most; a focused brief stops within a tenth of its 300, as it did before."""
    articles = load_articles(SEEDS).articles
    for length, budget in (("full", 200), ("short", 80)):
        points = build_brief("china-russia", "China, Russia", articles, length=length).points
        assert budget <= sum(len(p.text.split()) for p in points) <= budget * 1.1, length
    focused = build_brief("china-russia", "China, Russia", articles, focus="what did china say about sanctions?")
    assert sum(len(p.text.split()) for p in focused.points) <= 300 * 1.1


def test_the_lead_tells_what_the_central_articles_report() -> None:
    """Of the best-scored groups that can lead, the lead is the one that tells the articles' headlines (the
    pardon that freed the sailors) over a detail (shots near a consulate) that scores a little higher; a detail
    that scores far higher still leads."""
    from dataclasses import replace

    from summarizer.articles import Article
    from summarizer.brief import _Headlines, _representative, _story_lead, merge_duplicates, score_sentences
    from summarizer.text import split_sentences

    bodies = {
        "Iran pardons and frees the British sailors": "Shots were fired near the British consulate in Basra on "
        "Monday. Iran's president said the fifteen British sailors are pardoned and freed as a gift.",
        "Iran frees sailors after pardon": "Shots were fired near the British consulate in Basra on Monday. The "
        "fifteen British sailors were freed after Iran's president pardoned them.",
        "British sailors freed by Iran": "Iran freed the fifteen British sailors, pardoned by its president, on "
        "Wednesday. Police in Basra said the consulate was unharmed.",
    }
    articles = [Article(f"a{i}", title, body) for i, (title, body) in enumerate(bodies.items())]
    scored, _ = score_sentences([split_sentences(a.body) for a in articles])
    groups = merge_duplicates(scored)
    text = {id(g): scored.cands[_representative(scored, g)].text for g in groups}
    pardon = next(g for g in groups if "pardoned and freed" in text[id(g)])
    shots = next(g for g in groups if text[id(g)].startswith("Shots"))
    stories = _Headlines(scored, articles)
    close = replace(shots, score=pardon.score * 1.2)
    assert _story_lead(scored, [close, pardon], stories) is pardon
    far = replace(shots, score=pardon.score * 5)
    assert _story_lead(scored, [far, pardon], stories) is far


def test_a_warning_one_speaker_voiced_is_told_when_another_voices_it() -> None:
    """"Beijing would face consequences if it helped Russia" (Sullivan in Rome) and "the implications and
    consequences for Xi if Beijing provided material support to Russia" (a White House statement) are one claim
    in other words and other mouths: the seed brief tells it once, and the freed words tell another strand."""
    from summarizer.claims import claims

    assert claims("Beijing would face consequences if it helped Russia financially or militarily.") == {"warn:aid"}
    assert claims('Biden described the "implications and consequences" for Xi if Beijing provided material '
                   "support to Russia.") == {"warn:aid"}
    assert not claims("Xi reiterated China's criticism of sanctions imposed on Russia.")  # no condition
    assert not claims("He said the two would meet again if the weather allowed.")  # no penalty
    # "in response to" gives a cause, not a condition: a request for aid after sanctions warns of nothing
    assert not claims("Russia had also asked for economic aid in response to severe sanctions imposed on it.")
    assert claims("The sanctions the US could impose on China in response would hurt its economy, if it helps "
                   "Russia.") == {"warn:aid"}
    brief = build_brief("china-russia", "China, Russia", load_articles(SEEDS).articles)
    warnings = [p.text for p in brief.points if "warn:aid" in claims(p.text)]
    assert len(warnings) == 1, warnings


def test_a_point_whose_subject_is_the_leads_event_retells_the_lead() -> None:
    """"The call, scheduled for Friday morning, comes as ..." after a lead that tells the call says more of the
    lead's event; a generic brief tells another event instead (the blind event groups test above catches it)."""
    from summarizer.claims import retells_lead

    lead = "President Biden is scheduled to speak with Chinese President Xi Jinping on Friday."
    assert retells_lead("The call, scheduled for Friday morning, comes as China casts itself as neutral.", lead)
    assert not retells_lead("The council approved the donation on Monday.", lead)
    assert retells_lead("The meeting comes amid rising tension over Taiwan.", lead)
    assert not retells_lead("The call lasted nearly two hours.", lead)  # a fact of its own
    assert not retells_lead("The blast comes a week after the last attack.", lead)  # another kind of event
    assert not retells_lead("China tried to appear neutral in the conflict.", lead)


def test_holding_back_criticism_is_one_claim_however_it_is_worded() -> None:
    """"Xi did not use the terms war or invasion", "... without blaming Russia" and "avoided criticizing Moscow" tell
    one thing (China holds back its criticism of Russia); the seed brief tells it once."""
    from summarizer.claims import claims

    for text in ("As before, Mr. Xi did not use the terms war or invasion to describe Russia's actions.",
                 'The ministry lamented "conflict" as "not in anyone\'s interest", without blaming Russia.',
                 "Mr Xi's government tried to distance itself from Russia's offensive, but avoided criticizing Moscow.",
                 "China has refused to condemn the invasion."):
        assert claims(text) == {"refrain"}, text
    assert not claims("China criticized the sanctions imposed on Russia.")
    assert not claims("The minister did not attend the summit.")
    brief = build_brief("china-russia", "China, Russia", load_articles(SEEDS).articles)
    assert len([p.text for p in brief.points if "refrain" in claims(p.text)]) == 1


def test_a_recap_of_the_last_meeting_waits_for_the_storys_present() -> None:
    """"Biden and Xi last spoke during a virtual meeting in November" tells the previous call, background to the
    call the story reports: a generic brief offers it after every strand of the present (the seed brief then
    tells the 'no limits' statement instead; the timeline keeps the November call)."""
    from summarizer.claims import is_recap

    assert is_recap("Biden and Xi last spoke during a wide-ranging virtual meeting in November.")
    assert is_recap("The two teams last met in the 1998 final.")
    assert not is_recap("Biden and Xi spoke for nearly two hours on Friday.")
    assert not is_recap("The balloon was shot down last month.")
    brief = build_brief("china-russia", "China, Russia", load_articles(SEEDS).articles)
    assert not [p.text for p in brief.points if is_recap(p.text)]
    assert any("no limits" in p.text or "without borders" in p.text for p in brief.points)


def test_a_headline_names_an_event_to_come_apart_from_the_rest() -> None:
    """"X ahead of Y": two developments, Y still to come. Other joins ("as", "after", ";") split nothing: their
    second part is as often the same story's background."""
    from summarizer.headlines import Clause, clauses

    assert clauses("Ministers agree tighter budget ahead of Smith-Jones summit") == [
        Clause("Ministers agree tighter budget"), Clause("Smith-Jones summit", upcoming=True)]
    assert clauses("Storm floods harbour; ferries suspended") == [Clause("Storm floods harbour; ferries suspended")]
    assert clauses("Toll rises as relief effort continues") == [Clause("Toll rises as relief effort continues")]


def test_a_hyphenated_pair_of_names_in_a_headline_is_the_two_names() -> None:
    from summarizer.headlines import names_apart

    assert names_apart("Smith-Jones summit ahead of US-China talks") == "Smith Jones summit ahead of US China talks"
    assert names_apart("A seven-hour meeting in Rome") == "A seven-hour meeting in Rome"


def _headline_picks(articles: list, shown: list[str]) -> list[str]:
    """The sentences a full brief adds for the headlines it leaves untold, when it shows ``shown``."""
    from summarizer.brief import _headline_points, _Headlines, _representative, merge_duplicates, score_sentences
    from summarizer.text import split_sentences

    scored, _ = score_sentences([split_sentences(a.body) for a in articles])
    groups = merge_duplicates(scored)
    reps = [_representative(scored, g) for g in groups]
    at = [i for i, c in enumerate(scored.cands) if c.text in shown]
    assert len(at) == len(shown)
    picks = _headline_points(scored, groups, reps, range(len(groups)), _Headlines(scored, articles), at)
    return [scored.cands[reps[k]].text for k in picks]


def test_an_upcoming_event_a_headline_names_is_told_only_as_upcoming() -> None:
    """"... ahead of Smith-Jones summit": a brief that tells the budget and a past summit of the same two leaders
    has not told the summit still to come; the article's sentence about it becomes a point. (Measured by the
    words shown, the past summit's "Smith", "Jones" and "summit" passed for it.)"""
    from summarizer.articles import Article

    upcoming = "A summit between Smith and Jones in Oslo next Tuesday has raised hopes of a trade deal."
    lead = "Finance ministers agreed a tighter budget for the country on Monday after long talks."
    past = "The Paris summit between Smith and Jones in March ended with a dinner and a fishing accord."
    articles = [
        Article("a0", "Ministers agree tighter budget ahead of Smith-Jones summit",
                f"{lead} {upcoming} Officials said the tighter budget would cut spending on roads and rail."),
        Article("a1", "Smith and Jones signed a fishing accord in Paris",
                f"{past} Smith and Jones praised the fishing accord at a press conference in Paris."),
        Article("a2", "Budget cuts anger unions",
                "Unions said the tighter budget would hurt workers across the country and cut their pay. "
                "Finance ministers defended the tighter budget at a press conference in the capital."),
    ]
    assert upcoming in _headline_picks(articles, [lead, past])
    assert upcoming not in _headline_picks(articles, [lead, upcoming])


def test_the_full_seed_brief_tells_the_meeting_an_article_headline_says_is_coming() -> None:
    """Article 004's headline: a softer tone "ahead of Putin-Xi meeting". The brief told the tone and a past
    meeting of the two leaders, never the one to come; within its budget it now tells both."""
    from summarizer.dates import UPCOMING

    articles = load_articles(SEEDS).articles
    brief = build_brief("china-russia", "China, Russia", articles)
    ahead = [p for p in brief.points if articles[4].id in p.sources and UPCOMING.search(p.text)
             and "Putin" in p.text and "Xi" in p.text]
    assert ahead, [p.text for p in brief.points]
    assert any("tone" in p.text for p in brief.points)
    assert sum(len(p.text.split()) for p in brief.points) <= 220
