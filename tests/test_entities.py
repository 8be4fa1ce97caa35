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


def test_an_age_after_a_name_is_evidence_of_a_person():
    """News gives an age only for people: "Emmannuel Buso, aged 21," and "Karel Dusek, 36," are people though no
    title, job or attribution verb names them; a capitalised pair with a number of another kind is not."""
    found = by_name([art(
        "Emmannuel Buso, aged 21, was rescued by an Israeli search team.\n"
        "Karel Dusek, 36, was described as the ringleader.\n"
        "Silver Lake, 2005, was the year of the flood."
    )])
    assert found["Emmannuel Buso"].kind == "person" and found["Karel Dusek"].kind == "person"
    assert "Silver Lake" not in found


def test_places_fill_only_the_slots_people_and_organisations_leave():
    found = analyse_entities([art("Paris and London and Berlin and Madrid talked. Paris agreed with London. "
                                  "Minister Anne Roux said Paris would wait.")], limit=2).entities
    assert [(e.name, e.kind) for e in found][0] == ("Anne Roux", "person") and found[1].kind == "place"


def test_headline_lines_and_tag_lists_are_not_counted():
    found = by_name([art("Tags Antony Blinken Biden China Gina Raimondo Jake Sullivan\nBiden spoke to China.")])
    assert "Gina Raimondo" not in found


def test_seed_who_is_who():
    articles = load_articles(SEEDS).articles
    report = analyse_entities(articles)
    names = {e.name: e for e in report.entities}
    assert len(report.entities) <= 12
    assert names["Antony Blinken"].role == "Secretary of State"
    assert names["Xi Jinping"].kind == "person"
    # who's who is about who: the people the story turns on come before any place, however often it is named
    assert {"Jake Sullivan", "Yang Jiechi"} <= set(names) and "China" not in names
    kinds = [e.kind for e in report.entities]
    assert "place" not in kinds or kinds.index("place") > max(i for i, k in enumerate(kinds) if k != "place")
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


# A newsroom reader's who's-who errors, one class per test: each text is a small article of the kind that made it.


def test_an_organisation_named_like_a_person_is_never_a_person():
    found = by_name([art(
        "Police at Scotland Yard have discovered that the bombers rehearsed. Scotland Yard says the run shows "
        "methodology.\n"
        "John Sifton, researcher at Human Rights Watch said soldiers were told the rules did not apply. Human "
        "Rights Watch said the report was damning.\n"
        "The spokeswoman told Agence France-Presse that it was hard. Agence France-Presse said nothing.\n"
        "He told El Rancahuaso there were 25 people on the beach. El Rancahuaso reported the wave."
    )])
    assert found["Scotland Yard"].kind == "organization"
    assert found["Human Rights Watch"].kind == "organization"
    assert found["Agence France-Presse"].kind == "organization"
    assert "El Rancahuaso" not in found  # told X: X is the listener (here a paper), not a speaker
    assert found["John Sifton"].kind == "person"


def test_a_title_without_a_name_is_nobody():
    found = by_name([art(
        "Margaret Beckett, the U.K.'s Foreign Secretary said the sailors must be freed. The Iranian ambassador "
        "saw the Permanent Secretary, as the Foreign Secretary was away. Beckett said so."
    )])
    assert "Foreign Secretary" not in found and "Permanent Secretary" not in found
    assert found["Margaret Beckett"].role == "U.K.'s Foreign Secretary"


def test_a_past_role_keeps_its_former():
    found = by_name([
        art("Global warming campaigner and former U.S. Vice President Al Gore says it is time to act. Gore said "
            "he would go to Bali.", "a"),
        art("Former national security adviser John Bolton said it was weak. Bolton said more.", "b"),
        art("Then-Secretary of State Hillary Clinton said so. Clinton spoke. The ex-President Bill Clinton "
            "said the same. Bill Clinton left.", "c"),
    ])
    assert found["Al Gore"].role == "former U.S. Vice President"
    assert found["John Bolton"].role == "former national security adviser"
    assert found["Hillary Clinton"].role == "then-Secretary of State"
    assert found["Bill Clinton"].role == "ex-President"


def test_hyphenated_and_multiword_roles_are_kept_whole():
    found = by_name([
        art("The United Nations secretary-general, Ban Ki-moon says targets may wait. Mr. Ban knows it.", "a"),
        art("UN Secretary-General Ban Ki-moon said funds would be used. Ban said more.", "b"),
        art("Yvo de Boer, Executive Secretary of the United Nations Framework Convention on Climate Change "
            "(UNFCCC) in an interview, said so. Yvo de Boer, the U.N.'s climate change chief, said more. "
            "U.N. climate change chief Yvo de Boer said it again.", "c"),
    ])
    assert found["Ban Ki-moon"].role in ("United Nations secretary-general", "UN Secretary-General")
    assert found["Ban Ki-moon"].mentions == 4
    assert "Secretary-General Ban Ki-moon" not in found
    assert found["Yvo de Boer"].role in (
        "Executive Secretary of the United Nations Framework Convention on Climate Change",
        "U.N.'s climate change chief",
    )  # never the bare "chief"


def test_a_bare_vague_role_is_not_shown():
    found = by_name([art("U.N. climate change chief Yvo de Boer said so. De Boer said more.")])
    assert found["Yvo de Boer"].role is None


def test_a_job_word_inside_another_word_is_no_role():
    found = by_name([art(
        "In the climbing ranking, David Millar lost the polka dot jersey. David Millar said he was sad. In the "
        "end the interstate commerce secretary Jane Doe said no. Doe said it twice."
    )])
    assert found["David Millar"].role is None  # "ranking" is not "king"
    assert found["Jane Doe"].role == "commerce secretary"  # not "state commerce secretary"


def test_abbreviated_titles_are_written_out_and_an_abbreviation_is_no_apposition():
    found = by_name([art(
        "Maj. Gen. Geoffrey Miller declined to testify. Gen. Miller's lawyer said so.\n"
        "The former warden of Abu Ghraib, Maj. David Dinenna, said he attended a meeting. The Abu Ghraib "
        "prison was closed. A court martial found Army Spc. Charles Graner guilty. Graner said nothing."
    )])
    assert found["Geoffrey Miller"].role == "Major General"
    assert found["Charles Graner"].role == "Army Specialist"
    assert found["David Dinenna"].role == "Major"
    assert "Abu Ghraib" not in found or found["Abu Ghraib"].kind != "person"


def test_a_capitalised_job_before_a_name_is_a_role_not_a_first_name():
    found = by_name([art(
        "Chief Executive Thomas Enders said it was sad. Enders spoke.\n"
        "Policeman José Arévalo was patrolling the beach. Arévalo said the sea rose."
    )])
    assert found["Thomas Enders"].role == "Chief Executive"
    assert found["José Arévalo"].role == "policeman"


def test_names_in_any_script_are_whole():
    found = by_name([art("Mayor Roberto Córdova said it will help. Córdova said the town would rebuild.")])
    assert found["Roberto Córdova"].mentions == 2 and found["Roberto Córdova"].role == "Mayor"


def test_a_document_counts_for_the_organisation_that_wrote_it():
    found = by_name([art(
        "The UN Security Council Resolution 1747 was passed. The UN Security Council met again."
    )])
    assert found["UN Security Council"].kind == "organization" and found["UN Security Council"].mentions == 2
    assert "UN Security Council Resolution" not in found


def test_a_role_is_never_a_list_of_other_people_nor_crosses_a_sentence_end():
    found = by_name([art(
        "Celebrities took part, including designers Catinca Roman and Mihai Albu, former Foreign Affairs Minister "
        "Mircea Geoană and the soprano Mariana Nicolesco. Newly-elected president Traian Băsescu also took part. "
        "Albu said it went well. Geoană said so too.\n"
        "Tony Hall, former BBC Director of News and now Chief Executive of the Royal Opera House, said he was glad."
    )])
    assert "Mihai Albu" not in found or found["Mihai Albu"].role is None
    assert found["Traian Băsescu"].role == "Newly-elected president"
    assert found["Tony Hall"].role == "former BBC Director of News and now Chief Executive of the Royal Opera House"
    assert "Chief Executive" not in found and "Executive" not in found


def test_a_capitalised_particle_opens_a_surname_and_a_mountain_pass_is_nobody():
    found = by_name([art(
        "Yvo de Boer, the U.N.'s climate change chief, said talks would go on. De Boer said it again. "
        "Global warming campaigner Al Gore said he would go to Bali. Gore said so.\n"
        "The riders climbed the Col de Peyresourde and the Col de Port, Colonel de Port said nothing."
    )])
    assert found["Yvo de Boer"].mentions == 2 and "De Boer" not in found
    assert found["Al Gore"].mentions == 2  # "Al" is a first name, not a particle
    assert not any(name.startswith("de ") for name in found)


def test_a_job_of_an_organisation_is_not_the_organisation():
    found = by_name([art(
        "Yvo de Boer, Executive Secretary of the United Nations Framework Convention on Climate Change, said so. "
        "The Speaker of the House said nothing."
    )])
    assert not any(name.startswith(("Executive Secretary", "Speaker")) for name in found)


def test_a_name_of_a_country_is_a_person_but_a_region_of_one_is_not():
    """"Alexander Vinokourov of Kazakhstan has won stage 13": no title, no job, no 'said', yet a person, and the
    race's winners were missing from its who's who. "O'Higgins Region of Chile" ends in a place's head word."""
    found = by_name([art(
        "Alexander Vinokourov of Kazakhstan has won stage 13 of the Tour. Alberto Contador of Spain is second.\n"
        "The quake struck near Pichilemu in the O'Higgins Region of Chile on Friday.")])
    assert found["Alexander Vinokourov"].kind == "person" and found["Alberto Contador"].kind == "person"
    assert "O'Higgins Region" not in found or found["O'Higgins Region"].kind != "person"


def test_a_fuller_form_of_the_commonest_role_says_whose():
    """Most mentions say "President Xi Jinping", several "Chinese President Xi Jinping": who's who shows "Chinese
    President" (a newsroom reader found "Xi Jinping, President" beside "Vladimir Putin, Russian President"). Said
    once, the fuller form is not enough; a lower-case qualifier ("former President") never replaces the role."""
    found = by_name([art(
        "On Monday President Xi Jinping spoke. Then President Xi Jinping left. Later President Xi Jinping returned.\n"
        "On Monday Chinese President Xi Jinping met allies. Later, Chinese President Xi Jinping met rivals.\n"
        "On Monday President Joe Biden spoke. Then President Joe Biden left. Later American President Joe Biden "
        "returned.\n"
        "Then President Ban Ki-moon spoke. Then President Ban Ki-moon left. Then President Ban Ki-moon came back. "
        "Later former President Ban Ki-moon returned. Then former President Ban Ki-moon spoke again."
    )])
    assert found["Xi Jinping"].role == "Chinese President"
    assert found["Joe Biden"].role == "President"
    assert found["Ban Ki-moon"].role == "President"


def test_a_day_before_a_title_is_no_part_of_the_role():
    """"On Thursday President Joe Biden spoke": the role is "President", not "Thursday President"."""
    found = by_name([art("On Thursday President Joe Biden spoke to reporters. In March Prime Minister Li Qiang "
                         "arrived.")])
    assert found["Joe Biden"].role == "President"
    assert found["Li Qiang"].role == "Prime Minister"


def test_the_press_named_only_as_who_was_told_or_reported_is_no_party():
    found = by_name([art(
        "The mayor told Reuters the bridge would reopen.\n"
        "Reuters reported that the toll had risen to twelve.\n"
        "The minister said the aid was on its way, according to the Xinhua news agency.\n"
        "The river was rising, according to the National Weather Service.\n"
        "The National Weather Service reported heavy rain on Sunday.\n"
        "Police told the Associated Press that the Associated Press had been sued by the mayor.\n"
        '"We need tents," said Dr. Anne B. Lowe, head of the clinic, to Agence France-Presse.\n'
        "The mayor said the money would go to the Salvation Army."
    )])
    assert "Reuters" not in found and "Xinhua" not in found  # told, reported, a news agency: the press
    assert "Agence France-Presse" not in found  # "said Dr. ... to": a title's period ends no clause
    assert "Salvation Army" in found  # "said the money would go to": no speaker between, a party
    assert found["National Weather Service"].kind == "organization"  # "according to" and "reported" alone: a source
    assert "Associated Press" in found  # also a party to the story, not only who was told


def test_a_full_name_with_a_middle_initial_or_title_gets_no_bracket():
    report = analyse_entities([art(
        "Sergeant Santos Cardona was charged on Monday. Sgt. Santos A. Cardona, 31, denied it.\n"
        "Cardona will appear in court next month."
    )])
    named, surname = report.people.in_full(["Sgt. Santos A. Cardona, 31, denied it.", "Cardona will appear."])
    assert named == "Sgt. Santos A. Cardona, 31, denied it."  # already in full: no " [Santos Cardona]"
    assert surname == "Cardona will appear."  # named in full in the answer's first sentence
    assert report.people.in_full(["Cardona will appear."]) == ["Cardona [Santos Cardona] will appear."]


def test_a_titled_person_whose_surname_is_a_place_is_that_person_in_their_article():
    # "Jordan" is a country in the gazetteer; after "Lt. Col. Steven Lee Jordan" it is him, in that article only
    court = art("U.S. Lt. Col. Steven Lee Jordan will be tried by a military court.\n"
                "Jordan will stand trial on eight counts.\n"
                "Jordan faces a maximum sentence of 22 years.", id="court")
    trip = art("The king of Jordan visited Amman on Friday.", id="trip")
    found = by_name([court, trip])
    assert found["Steven Lee Jordan"].kind == "person" and found["Steven Lee Jordan"].mentions == 3
    assert found["Steven Lee Jordan"].role == "U.S. Lieutenant Colonel"
    assert found["Jordan"].kind == "place" and found["Jordan"].mentions == 1
