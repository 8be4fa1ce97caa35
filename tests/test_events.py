"""Event identity (issue 11): one event told in two wordings by two sources is one point; two meetings of the
same people in different years stay two."""

from __future__ import annotations

from dataclasses import replace

from summarizer.articles import Article
from summarizer.brief import build_brief
from summarizer.entities import analyse_entities
from summarizer.events import EventKey, event_key, event_sets, same_event, specific_names

# Other strands of the story, each told by two sources in near-identical words.
OTHER = [
    ("Farmers in southern Sudria say the drought has cut their wheat harvest by almost half this year.",
     "Wheat growers in the south of Sudria reported that this year's harvest fell by nearly half in the drought."),
    ("Independent engineers found that the dam's spillway gates could fail during a major spring flood.",
     "A report by outside engineers warned that the spillway gates of the dam might not survive a large flood."),
    ("Thousands of fishermen marched through the port city of Lessa demanding compensation for lost catches.",
     "In Lessa, thousands of fishermen staged a march to demand compensation for the catches they have lost."),
    ("Norland's parliament voted to fund a second study of the river's flow before any new dam is built.",
     "Lawmakers in Norland approved money for a new study of the river flow ahead of further dam building."),
]
# One event (a meeting in Harwick) worded by two outlets with almost no words in common but its parties.
MEETING = (
    "Days earlier, Norland's foreign minister, Anna Kessler, held a lengthy meeting with her Sudrian "
    "counterpart in Harwick, where she said Sudria would pay a price if it closed the river.",
    "During a six-hour meeting, Ms Kessler warned Mr Vance that the sluices must stay open all summer.",
)
INTRO = "The dispute between Norland and Sudria over the river dam deepened this week, officials in both capitals said."


def articles(first: str, second: str) -> list[Article]:
    """Four sources: the two wordings of the event come from different ones; every source tells two other
    strands and the introduction."""
    bodies = [
        [INTRO, first, OTHER[0][0], OTHER[1][0]],
        [INTRO, OTHER[2][0], OTHER[3][0], OTHER[0][1]],
        [INTRO, second, OTHER[1][1], OTHER[2][1]],
        [INTRO, OTHER[3][1], "Omar Vance, a former harbour pilot, became Sudria's chief diplomat in the spring, "
                             "his office said."],
    ]
    return [Article(f"s{n}", f"River dam {n}", "\n".join(body), outlet=f"Outlet {n}")
            for n, body in enumerate(bodies)]


def test_one_event_in_two_wordings_is_one_point_citing_both_sources() -> None:
    arts = articles(*MEETING)
    brief = build_brief("dam", "River dam", arts)
    told = [p for p in brief.points if "Kessler" in p.text]
    assert len(told) == 1, [p.text for p in brief.points]
    assert set(told[0].sources) >= {"s0", "s2"}  # its citations are merged
    # the freed words go to the other strands: every one of them is in the brief
    text = " ".join([brief.summary, *(p.text for p in brief.points)]).lower()
    for cue in ("harvest", "spillway", "fishermen", "study"):
        assert cue in text


def test_meetings_of_the_same_people_in_different_years_stay_two() -> None:
    first = ("In 2019, Foreign Minister Anna Kessler held a lengthy meeting with Mr Vance in Harwick, where she "
             "said Sudria would pay a price if it closed the river.")
    second = "In 2023, during a six-hour meeting, Ms Kessler warned Mr Vance that the sluices must stay open."
    brief = build_brief("dam", "River dam", articles(first, second))
    told = [p.text for p in brief.points if "Kessler" in p.text]
    assert len(told) == 2, [p.text for p in brief.points]


def keys(texts: list[str], years: list[int | None]) -> list:
    arts = articles(*MEETING)
    people = analyse_entities(arts, limit=0).people
    return [event_key(t, people, people.vocabulary, y) for t, y in zip(texts, years, strict=True)]


def test_same_event_needs_a_shared_party_next_to_the_event_word() -> None:
    k = keys([MEETING[0], MEETING[1], "Mr Vance met Anna Kessler in Harwick in 2021 to discuss the dam."],
             [None, None, 2021])
    assert k[0].actors >= {"Anna Kessler"} and "Omar Vance" in k[1].actors  # "Mr Vance" resolved in full
    specific = specific_names(k)
    assert same_event(k[0], k[1], specific)
    # a named year agrees with an undated telling, and two different years never meet
    later = keys(["Mr Vance met Anna Kessler in Harwick in 2023 to discuss the dam."], [2023])[0]
    assert not same_event(k[2], later, specific | {"Omar Vance", "Anna Kessler"})
    assert event_sets(k)[0][:2] == [0, 1]


def test_a_name_far_from_the_event_word_or_a_speaker_is_no_party() -> None:
    backdrop = keys(["The black boxes were found by Navy divers working for Admiral Ruth Okafor off the coast "
                     "near the reef where the plane crashed last June.",
                     "Admiral Ruth Okafor said the plane crashed after both engines failed over the reef."],
                    [None, None])
    assert not same_event(backdrop[0], backdrop[1], specific_names(backdrop) | {"Ruth Okafor"})
    different_places = keys(["Ms Kessler met Mr Vance in Geneva.", "Ms Kessler met Mr Vance in Vienna."],
                            [None, None])
    assert different_places[0].places == {"geneva"}
    assert not same_event(*different_places, specific_names(different_places) | {"geneva", "vienna"})


def test_a_telling_that_comes_before_its_ties_still_joins_the_event() -> None:
    """Grouping goes best first, so a telling can arrive when the event holds only the members it does not
    match; the second pass puts it where its ties end up (the order must not split one event in two)."""

    def key(near: set[str], actors: set[str], places: frozenset[str] = frozenset()) -> EventKey:
        return EventKey(frozenset({"meet"}), {"meet": frozenset(near)}, frozenset(actors), places, frozenset())

    rome = frozenset({"rome"})
    keys_ = [
        key({"Jake Sullivan", "rome", "Joe Biden"}, {"Jake Sullivan", "Joe Biden"}, rome),  # the head
        key({"Jake Sullivan", "Wang Yi"}, {"Jake Sullivan", "Wang Yi"}),
        key({"Jake Sullivan", "Wang Yi"}, {"Jake Sullivan", "Wang Yi"}),
        key({"rome", "Yang Jiechi", "Joe Biden"}, {"Yang Jiechi", "Joe Biden"}, rome),  # ties: head, and the next two
        key({"Jake Sullivan", "Yang Jiechi"}, {"Jake Sullivan", "Yang Jiechi"}),
        key({"Jake Sullivan", "Yang Jiechi"}, {"Jake Sullivan", "Yang Jiechi"}),
    ]
    fillers = [EventKey(frozenset(), {}, frozenset({f"Person {n}"}), frozenset(), frozenset()) for n in range(45)]
    assert event_sets(keys_ + fillers)[0] == [0, 1, 2, 3, 4, 5]


# One capture told by two outlets on the same written day, its parties unnamed groups ("the fishermen", "patrol
# boats") and its places worded apart.
CAPTURE = (
    "On May 2, the nine fishermen from the trawler Northern Star had been mending their nets, in what Norland "
    "calls its own waters, when they were surrounded by Sudrian patrol boats and taken into custody.",
    "The fishermen were seized by Sudrian coast guards on May 2 near the mouth of the Keld estuary.",
)


def test_one_capture_on_one_written_day_is_one_point() -> None:
    brief = build_brief("dam", "River dam", articles(*CAPTURE))
    told = [p for p in brief.points if "May 2" in p.text]
    assert len(told) == 1, [p.text for p in brief.points]
    assert set(told[0].sources) >= {"s0", "s2"}


def test_a_day_joins_only_tellings_of_the_event_as_news() -> None:
    """The day alone does not make one event of two facts: an event word in a relative clause ("the fishermen who
    were seized on May 2 ...") or a noun naming the event as the subject of another fact tells something else."""
    capture = keys([CAPTURE[1],
                    "Norland froze all fishing talks with Sudria until the fishermen, who were seized by Sudrian "
                    "coast guards on May 2, are freed.",
                    "The May 2 seizure of the fishermen by Sudrian coast guards drew protests in Harwick."],
                   [None, None, None])
    dated = [replace(k, month=5, day=2) for k in capture]
    assert dated[0].told == {"arrest"} and not dated[1].told and not dated[2].told
    specific = specific_names(dated)
    assert not same_event(dated[0], dated[1], specific) and not same_event(dated[0], dated[2], specific)
    # the same kind told on the same day with nothing around it in common: two events
    other = keys(["Police arrested two dockers at the port of Lessa."], [None])[0]
    assert other.told == {"arrest"}
    assert not same_event(dated[0], replace(other, month=5, day=2), specific)


def test_a_so_called_name_is_no_call() -> None:
    """"the so called Harwick Accord" hedges a name: no call took place, so the sentence tells no meeting and
    cannot join one (a real call or "called for" reads as before)."""
    from summarizer.events import event_kinds

    assert "meet" not in event_kinds("The so called Harwick Accord was agreed on, to applause from all parties.")
    assert event_kinds("Ms Kessler called Mr Vance on Monday.") == {"meet"}
    assert "meet" not in event_kinds("Norland called for calm.")
