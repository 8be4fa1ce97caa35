"""Timeline: explicit and relative dates, partial dates kept partial, sorting, merging, seeds."""

from __future__ import annotations

from summarizer.articles import Article, load_articles
from summarizer.dates import find_dates, parse_published
from summarizer.timeline import build_timeline
from tests.conftest import SEEDS


def art(body: str, id: str = "a", published: str | None = None) -> Article:
    return Article(id=id, title="T", body=body, published=published)


def test_text_without_dates_gives_an_empty_timeline():
    assert build_timeline([art("Officials met to discuss the crisis. Nothing was decided.")]) == ()


def test_partial_dates_stay_partial_and_full_dates_are_iso():
    events = build_timeline([art(
        "Russia began its invasion on Feb. 24 after weeks of build-up.\n"
        "The two leaders signed the accord on March 3, 2021 in a short ceremony.\n"
        "The parliament was dissolved in November after the vote failed."
    )])
    # known years first; partials after, in calendar order (no cue says which year they belong to)
    assert [e.date for e in events] == ["2021-03-03", "February 24", "November"]


def test_partial_dates_are_never_given_a_year_even_with_a_publication_date():
    events = build_timeline([art("Russia began its invasion on Feb. 24 after weeks of build-up.",
                                 published="2022-03-18")])
    assert [e.date for e in events] == ["February 24"]


def test_relative_dates_need_the_publication_date():
    body = "Sullivan met his counterpart in Rome on Monday for seven hours.\nThe leaders will speak on Friday."
    assert build_timeline([art(body)]) == ()
    events = build_timeline([art(body, published="2022-03-17")])  # a Thursday
    assert [(e.date, e.text.split()[0]) for e in events] == [("2022-03-14", "Sullivan"), ("2022-03-18", "The")]


def test_due_to_is_a_schedule_after_a_copula_and_a_cause_elsewhere():
    body = "Airlifts stopped on Wednesday due to logistical issues.\nThe talks are due to resume on Friday."
    events = build_timeline([art(body, published="2010-02-02")])  # a Tuesday
    assert [(e.date, e.text.split()[0]) for e in events] == [("2010-01-27", "Airlifts"), ("2010-02-05", "The")]


def test_a_relative_date_inside_a_quotation_is_the_speakers_not_the_articles():
    events = build_timeline([art(
        'The quake struck in what is called the "last weekend in the summer;" on Saturday, February 27, 2010 at '
        '03:34 local time.\n'
        'Officials said the shaking "will be remembered for years after March 3, 2010."',
        published="2010-10-23")])
    assert [e.date for e in events] == ["2010-02-27", "2010-03-03"]


def test_a_weekday_written_with_its_date_is_that_date_and_may_give_its_year():
    events = build_timeline([art(
        "The quake struck on Saturday, February 27, 2010 at 03:34 local time.\n"
        "Hours earlier, on Friday, thousands of people had arrived at the coast.",
        published="2010-10-23")])  # a retrospective, months later
    # "hours earlier" counts from the event before it, not from the article's day: no row
    assert [e.date for e in events] == ["2010-02-27"]
    # the year of "Sunday, January 16" is the one, next to the article's, whose January 16 is a Sunday
    events = build_timeline([art("A telethon was held on Sunday, January 16, in the capital.", published="2005-01-27")])
    assert [e.date for e in events] == ["2005-01-16"]
    events = build_timeline([art("A telethon was held on January 16 in the capital.", published="2005-01-27")])
    assert [e.date for e in events] == ["January 16"]  # no weekday: no year is guessed


def test_last_month_name_resolves_against_publication():
    events = build_timeline([art("Biden met Xi last November in a video call.", published="2022-03-18")])
    assert [e.date for e in events] == ["2021-11"]


def test_sorted_oldest_first_with_partials_estimated_for_order():
    events = build_timeline([art(
        "Xi and Putin met in Beijing on February 4 before the games.\n"
        "Biden and Xi held a virtual summit on Nov. 15 of last year.\n"
        "Russia began its invasion on Feb. 24 after weeks of build-up.",
        published="2022-03-18",
    )])
    # "of last year" gives the partial date its year (relative to the article), the others stay partial
    assert [e.date for e in events] == ["2021-11-15", "February 4", "February 24"]


def test_last_month_of_an_undated_article_has_no_place_beside_other_articles():
    # the seeds: a 2022 article says "November of last year", a 2023 one "last November", and neither is dated
    older = art("Sullivan's talks were a follow-up to the video summit in November of last year.\n"
                "Beginning in November, officials shared intelligence with Beijing.\n"
                "Xi and Putin met in Beijing on February 4.", id="old")
    newer = art("Relations changed after Biden met Xi last November in Bali.", id="new")
    events = build_timeline([older, newer])
    assert "new" not in {s for e in events for s in e.sources}
    # its month still says the topic's November is last year: November before February
    assert [e.date for e in events] == ["November", "February 4"]
    # alone, an article's own "last November" is placed against its own dates
    alone = build_timeline([art("Biden met Xi last November in Bali.\nXi and Putin met on February 4.")])
    assert [e.date for e in alone] == ["November", "February 4"]
    # dated, it is resolved and kept beside the others
    dated = build_timeline([older, art("Biden met Xi last November in Bali.", id="new", published="2023-03-10")])
    assert "2022-11" in [e.date for e in dated]


def test_same_event_from_two_sources_is_merged_with_the_more_precise_date():
    events = build_timeline([
        art("Biden and Xi last spoke during a virtual meeting in November, months before the war.", id="x"),
        art("Mr Biden and Mr Xi last spoke in a video call on Nov. 15.", id="y"),
        art("Beginning in November, officials shared intelligence about troop movements with allies.", id="z"),
    ])
    merged = [e for e in events if len(e.sources) > 1]
    assert [(e.date, e.sources) for e in merged] == [("November 15", ("x", "y"))]
    assert len(events) == 2


def test_impossible_dates_and_bad_publication_dates_are_ignored():
    assert find_dates("The deal was signed on Feb. 30 in Geneva.") == []
    assert parse_published("not a date") is None
    assert build_timeline([art("They met on Monday in Geneva.", published="garbage")]) == ()


def test_seed_timeline_is_sorted_and_invents_no_year():
    articles = load_articles(SEEDS).articles
    events = build_timeline(articles)
    dates = [e.date for e in events]
    assert "February 24" in dates and "February 4" in dates
    assert all(not d[:1].isdigit() for d in dates)  # the seeds carry no publication dates or years
    assert dates.index("February 4") < dates.index("February 24")
    assert max(i for i, d in enumerate(dates) if d.startswith("November")) < dates.index("February 4")
    summit = next(e for e in events if e.date == "November 15")
    assert len(summit.sources) >= 2


def test_wire_datelines_stay_out_of_timeline_events():
    events = build_timeline([art("BONN, October 10 (Xinhua) -- Delegates opened the climate talks on October 9, "
                                 "2023 with a call for deeper cuts.")])
    assert [e.date for e in events] == ["2023-10-09"]
    assert events[0].text.startswith("Delegates opened") and "Xinhua" not in events[0].text


def test_a_page_date_line_in_the_body_dates_the_article_and_is_no_event():
    # batch inputs keep the page's date line in the body: it dates "today" and "on Monday", and is no row itself
    events = build_timeline([art("Tuesday, January 12, 2010\n\nA strong earthquake struck Haiti today, the USGS said.\n"
                                 "A first aftershock was felt on Monday.")])
    assert [(e.date, e.text.split()[0]) for e in events] == [("2010-01-11", "A"), ("2010-01-12", "A")]
    assert all("2010" not in e.text for e in events)


def test_one_busy_day_does_not_crowd_out_the_other_days():
    body = ("Rescue teams flew into the capital on January 12, 2010.\n"
            "The main prison collapsed on January 12, 2010 and inmates fled.\n"
            "The president slept outdoors on January 12, 2010 after his palace fell.\n"
            "The airport reopened to aid flights on January 14, 2010.\n"
            "A strong aftershock shook the city on January 20, 2010.")
    spread = build_timeline([art(body)], limit=3)
    assert [e.date for e in spread] == ["2010-01-12", "2010-01-14", "2010-01-20"]
    # with room to spare, the busy day's other rows come back
    assert [e.date for e in build_timeline([art(body)], limit=8)] == ["2010-01-12"] * 3 + ["2010-01-14", "2010-01-20"]


def test_a_date_that_names_a_thing_is_not_the_sentences_date():
    """"Three of the July 7 bombers were shown in the video" happened when the article says, not on July 7."""
    mentions = find_dates("Three of the July 7 bombers were shown in the video.", parse_published("2008-04-10"))
    assert [(m.label, m.attributive) for m in mentions] == [("July 7", True)]
    boxes = find_dates("The black boxes of a plane that crashed on June 1 last year have been found, an official "
                       "said on Thursday.", parse_published("2010-05-07"))
    assert [(m.label, m.attributive) for m in boxes] == [("2009-06-01", True), ("2010-05-06", False)]
    plain = find_dates("The attack on July 7 killed 52 people.", parse_published("2005-07-08"))
    assert [(m.label, m.attributive) for m in plain] == [("July 7", False)]
    events = build_timeline([art("Three of the July 7 bombers were shown in the video.\n"
                                 "The bombers struck the city's transport on July 7, killing 52.",
                                 published="2008-04-10")])
    assert [e.date for e in events] == ["July 7"]
    assert "killing 52" in events[0].text


def test_a_points_date_skips_a_date_that_names_a_thing():
    """A point's date is the date its sentence says its event happened; failing that, its article's date."""
    from summarizer.brief import Sentence, _date_of

    published = parse_published("2008-04-10")
    video = "A court has been shown footage of three of the July 7 bombers rehearsing their attack."
    assert _date_of(Sentence(video, 0, 0, 14, published=published)) is None
    attack = "The bombers struck the city's transport on July 7, killing 52."
    assert _date_of(Sentence(attack, 0, 0, 11, published=published)).label == "July 7"  # no year invented


def test_a_plan_or_target_far_ahead_is_no_event():
    """'The Kyoto Protocol, which expires in 2012' and 'cuts by 2020' in a December 2007 article are plans and
    targets, not what happened; the coming days' schedule stays (the story's next step)."""
    body = ("Delegates agreed on a roadmap in Bali on December 15.\n"
            "The roadmap will replace the Kyoto Protocol, which expires in 2012.\n"
            "The EU wanted cuts of 25-40% by 2020.\n"
            "Ministers will meet again on December 18 to sign it.")
    events = build_timeline([art(body, published="2007-12-15")])
    assert [e.date for e in events] == ["December 15", "December 18"]
    undated = build_timeline([art("The treaty will expire in 2012.\nThe treaty was signed in 1997.")])
    assert [e.date for e in undated] == ["1997"]


def test_a_date_in_a_relative_clause_naming_a_place_is_not_the_event_date():
    events = build_timeline([art("A court has been shown footage of the bombers that attacked London on July 7, "
                                 "2005.\nThe trial opened on April 10, 2008.", published="2008-04-28")])
    assert [e.date for e in events] == ["2008-04-10"]


def test_more_dates_that_name_a_thing():
    """The tsunami "of December 26, 2004", "the February 27 8.8 earthquake", sailors "who were detained by Iranian
    forces on March 23": each date names something else than the sentence's own event (a newsroom reader found
    the March 28 business freeze dated March 23 and a July aftershock dated February 27). A time of day ("the
    morning of March 3") is the event's own date."""
    day = parse_published("2007-03-28")
    cases = {
        "Artists will gather on Sunday, January 23, to raise money for the victims of the catastrophic Indian Ocean "
        "tsunami of December 26, 2004.": [("2004-12-26", True)],
        "Another large aftershock of the February 27 8.8 earthquake rocked Chile on Wednesday.":
            [("February 27", True)],
        "The UK has frozen all deals with Iran until all 15 sailors, who were detained by Iranian forces on March "
        "23 are released.": [("March 23", True)],
        "Police raided the house on the morning of March 3.": [("March 3", False)],
    }
    for text, expected in cases.items():
        found = find_dates(text, parse_published("2005-01-20") if "Artists" in text else day)
        named = [(m.label, m.attributive) for m in found if m.label.endswith(("12-26", "27", "23", "3"))]
        assert [x for x in named if x[0] in {e[0] for e in expected}] == expected, (text, named)


def test_a_row_that_cannot_be_read_alone_is_left_out():
    """'He left the jail late on Thursday', 'And men are generally ...', a quotation cut open or quoted whole:
    a timeline row is read alone, so it names its subject and is no quote."""
    events = build_timeline([art(
        "He left the jail late on Thursday and flew out of Italy.\n"
        'It is simply not true that they went into Iranian waters," Blair claimed on Sunday.\n'
        '"We expect to see immediate needs for food," an official said on Tuesday.\n'
        "And the council met on Monday to discuss it.\n"
        "Was today sentenced to ninety days of hard labour.\n"
        "Police arrested the suspect in Rome on Friday.", published="2005-09-24")])
    assert [e.text.split()[0] for e in events] == ["Police"]


def test_a_date_after_a_comparison_since_is_not_the_sentences_date():
    """"For the first time since 1994", "the worst flooding in the region since 2004": the date of the last time,
    not when the sentence's event happened (a 2007 visit was dated 1994). "Missing since Monday" keeps its date:
    the disappearance began then."""
    day = parse_published("2007-07-24")
    cases = {
        "The Tour came to England for the first time since 1994.": [("1994", True)],
        "It was the worst flooding in the region since July 2004.": [("2004-07", True)],
        "The rider has been missing since Monday.": [("2007-07-23", False)],
        "The rider won the stage on Monday.": [("2007-07-23", False)],
    }
    for text, expected in cases.items():
        assert [(m.label, m.attributive) for m in find_dates(text, day)] == expected, text


def test_a_possessive_date_names_a_thing():
    """"An aftershock ... to help those affected by last week's powerful earthquake": the point is about the
    aftershock, not dated a week back; "Saturday's time trial", "Wednesday night's earthquake" likewise."""
    day = parse_published("2010-01-20")
    for text in ("Aid is flowing to those affected by last week's powerful earthquake.",
                 "He failed a blood test after Saturday's time trial.",
                 "Pichilemu is 150 km from the center of Wednesday night's earthquake."):
        assert [m.attributive for m in find_dates(text, day)] == [True], text
    assert [m.attributive for m in find_dates("The quake struck on Wednesday night.", day)] == [False]


def test_a_sentence_is_one_timeline_row_however_many_dates_it_names():
    """"Police released two photographs today ... into bomb attacks of last week": one row, dated by its first
    event date, not one row per date (the same sentence showed twice, a week apart; the Tour's blood-test news
    also showed dated to "Saturday's time trial")."""
    events = build_timeline([art(
        "Police released two photographs today as a result of an investigation into bomb attacks of last week.",
        published="2005-07-14")])
    assert [(e.date, e.text.split()[0]) for e in events] == [("2005-07-14", "Police")]


def test_a_date_opening_its_clause_before_a_noun_names_a_thing() -> None:
    """Wire copy drops the article: "As reported the United Nations, January 12 Haiti earthquake left exactly 222,570
    deaths" is the March report of the earthquake, not an event of January 12. A date after a preposition, or
    one followed by a comma or a verb, keeps its date."""
    day = parse_published("2010-03-18")
    named = "As reported the United Nations, January 12 Haiti earthquake left exactly 222,570 deaths."
    assert [(m.label, m.attributive) for m in find_dates(named, day)] == [("January 12", True)]
    for text in ("The quake struck on January 12 near the capital.", "January 12, the day the quake struck, was "
                 "cold and clear.", "Police said, March 3 was the day of the raid."):
        assert [m.attributive for m in find_dates(text, day)] == [False], text
