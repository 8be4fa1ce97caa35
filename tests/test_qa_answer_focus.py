"""Refusals of questions a sentence is on the subject of but does not answer: the fact asked for is missing.

"How many drones did Norland request?" is not answered by a sentence whose number counts types of equipment, nor
"Who is the Estish judge?" by the name of the Norland judge. Each test asks one question the articles do not
answer (refused) and one close to it that they do (still answered): the rules must not cost right answers, in
particular when the answer words the question differently ("25 arrests" for "how many people were arrested").
"""

from __future__ import annotations

from summarizer.articles import Article
from summarizer.everyday import held_captive
from summarizer.qa import SEMANTIC_MIN, answer_question
from summarizer.qa_focus import (
    asked_role,
    asks_amount,
    asks_outcome,
    counted_thing,
    counts_people,
    gives_words,
    money,
    quantified_words,
    states_outcome,
)
from summarizer.qa_topic import QUANTITY_SEMANTIC_MIN, Topic
from tests.encoder_fakes import FixedCosine
from tests.qa_asks import first, refusal

# A border dispute: Norland and Estland; every sentence is on the topic.
BORDER = [
    Article(
        "request",
        "Norland asks for equipment",
        "Norland requested five types of equipment from Estland: drones, radios, trucks, tents and rations. "
        "Police made 25 arrests after the protests by local people at the Norland embassy in Valby. "
        "More than 300 Norland troops have been killed in the fighting since March, officials said. "
        "The Norland delegation met the Estish delegation in Valby for talks on the border crossing. "
        "Embassy staff in Valby watched the 25 arrests from the windows. "
        "Norland tanks were destroyed in the fighting near the two border towns. "
        "Estish police arrested twelve Norland nationals for smuggling at the border crossing. "
        "Norland asked its donors for an additional 50 million dollars in help for the border towns.",
    ),
    Article(
        "talks",
        "Border talks",
        "The talks in Valby lasted seven hours, officials said. "
        "The summit in May was overshadowed by the three-week strike at the border crossing. "
        "The new border crossing cost $40 million to build. "
        "A museum of the border war opened in Valby in 2019 next to the crossing. "
        "The strike at the border crossing ended after three weeks.",
    ),
    Article(
        "court",
        "Court rules on the border",
        "Piet Dahl, the Norland judge at the border court, sided with the Estish judge on the ruling. "
        "Ana Kovac, Estland's ambassador to Norland, called the ruling fair. "
        "The Norland foreign ministry said it would appeal the ruling within a month. "
        "Jan Berg, the foreign ministry spokesman, read the statement in Valby. "
        "Mira Holm, 36, was described by the prosecutors as the ringleader of the protests in Valby.",
    ),
]


def test_a_number_that_counts_another_thing_does_not_answer_how_many() -> None:
    # "five" counts types of equipment, not drones: the articles never give a number of drones.
    assert refusal("How many drones did Norland request?", BORDER).startswith("The articles don't say how many")
    assert "five types of equipment" in first("How many types of equipment did Norland request?", BORDER)


def test_a_number_next_to_the_questions_verb_answers_how_many() -> None:
    # "25 arrests" counts what the question asks in other words ("people were arrested": the number is not next
    # to "people"); the staff who watched them are not counted.
    assert "25 arrests" in first("How many people were arrested after the protests?", BORDER)
    refusal("How many embassy staff watched the arrests?", BORDER)
    # any noun may name the people counted: the verb right before the number counts for "how many people"
    assert "twelve Norland nationals" in first("How many people were arrested for smuggling?", BORDER)


def test_an_absent_word_for_the_counted_thing_still_answers_through_its_verb() -> None:
    # "soldiers" is in no article: "300 Norland troops have been killed" answers through "killed"; a name next to
    # a number ("Norland" in "Norland troops") does not stand for the thing counted, and "two" counts towns.
    assert "300 Norland troops" in first("How many soldiers have been killed in the fighting since March?", BORDER)
    refusal("How many Norland tanks were destroyed in the fighting?", BORDER)


def test_words_the_articles_never_use_are_matched_by_meaning() -> None:
    # Neither "soldiers" nor "perished" is in the articles (nor in summarizer.everyday's table, where "died"
    # meets "killed"): the second chance admits "300 Norland troops have been killed" as close in meaning, and the
    # number's words ("troops killed") must be close to "soldiers perished" too.
    question = "How many Norland soldiers perished in the fighting since March?"
    assert SEMANTIC_MIN < QUANTITY_SEMANTIC_MIN
    assert "300 Norland troops" in first(question, BORDER, FixedCosine(0.9))
    between = (SEMANTIC_MIN + QUANTITY_SEMANTIC_MIN) / 2  # close enough for the second chance, not for the count
    refusal(question, BORDER, FixedCosine(between))


def test_a_duration_of_another_thing_does_not_answer_how_long() -> None:
    # The three weeks are the strike's, not the summit's; the talks' seven hours are theirs.
    assert refusal("How long was the summit in May?", BORDER).startswith("The articles don't say how long")
    assert "seven hours" in first("How long did the talks in Valby last?", BORDER)
    strike = answer_question("How long did the strike at the border crossing last?", BORDER, semantic=None)
    assert strike.answered, strike.answer
    assert "three weeks" in strike.citations[0].text or "three-week" in strike.citations[0].text


def test_how_much_something_cost_takes_a_sum_of_money_for_that_thing() -> None:
    assert "$40 million" in first("How much did the new border crossing cost?", BORDER)
    # "how much" asks an amount: a sum answers, even when the thing ("help") is not next to the number
    assert "50 million dollars" in first("How much help did Norland ask its donors for?", BORDER)
    # the museum's sentence has a number (a year) but no sum
    refusal("How much did the museum of the border war cost?", BORDER)


def test_who_is_the_qualified_role_needs_the_holder_of_that_role() -> None:
    # Piet Dahl is the Norland judge; the Estish judge is mentioned but never named.
    assert refusal("Who is the Estish judge at the border court?", BORDER).startswith("The articles don't say who")
    assert "Piet Dahl" in first("Who is the Norland judge at the border court?", BORDER)


def test_who_is_the_ambassador_keeps_the_qualifier_on_the_right_side() -> None:
    # Ana Kovac is Estland's ambassador to Norland: the same words, the other way round, are not an answer.
    refusal("Who is Norland's ambassador to Estland?", BORDER)
    assert "Ana Kovac" in first("Who is Estland's ambassador to Norland?", BORDER)


def test_who_is_the_role_needs_the_role_word_not_a_longer_one() -> None:
    # "foreign ministry" is there, a foreign minister is not; the ministry's spokesman is named.
    refusal("Who is the Norland foreign minister?", BORDER)
    assert "Jan Berg" in first("Who is the foreign ministry spokesman?", BORDER)
    # no qualifier: the role in the sentence and a new name are enough, however far apart
    assert "Mira Holm" in first("Who was the ringleader of the protests?", BORDER)


def test_counted_thing_and_quantified_words() -> None:
    assert counted_thing("How many people were arrested in Valby?") == (["people"], ["arrested", "in", "valby"])
    assert counted_thing("How much did it cost?") == ([], ["it", "cost"])
    assert asks_amount("How much aid did they ask for?") and not asks_amount("How many people came?")
    assert money("China has promised 60.5 million USD.") and money("a $500 million pledge")
    assert not money("It sent 24 error messages in 2009.")
    assert counts_people(["people"]) and not counts_people(["drones"])
    # a nation's people are people; "got" is the casual passive ("how many Americans got arrested?")
    assert counts_people(["americans"]) and counts_people(["britons"]) and counts_people(["folks"])
    assert counted_thing("how many americans got arrested?") == (["americans"], ["arrested"])
    assert quantified_words("Police arrested ten US nationals.", verb_before=True) == [["nationals", "arrested"]]
    assert quantified_words("It hit Chile, killing at least 214 people.", verb_before=True) == [["people", "killing"]]
    assert counted_thing("Who won?") is None
    # the head of the phrase after a number, and the verb after it; not a modifier ("dog"), nor a later clause
    assert quantified_words("Two dog handler soldiers at the prison stand accused.") == [["soldiers"]]
    assert quantified_words("More than 7,000 Russian troops have been killed, officials said.") == [
        ["troops", "killed"]]
    assert quantified_words("Russian forces have killed thousands of civilians.") == [["civilians"]]
    # a number joined to a noun by a hyphen counts that noun: the statement has 5,000 words (one statement)
    assert quantified_words("It issued a 5,000-word statement saying so.") == [["word"]]
    assert quantified_words("They held a 13-day hunger strike.") == [["day"]]
    assert quantified_words("The jury sentenced Graner to ten years in prison.", before=3) == [
        ["years", "sentenced", "graner", "prison"]]
    # a duration measures the words close to it, not the sentence's subject further away
    assert "summit" not in quantified_words("The summit in May was overshadowed by the three-week strike.", 3)[0]


def test_asked_role_reads_the_role_and_its_qualifiers() -> None:
    role = asked_role("Who is the Russian judge at the International Court of Justice?")
    assert role is not None and role.word == "judge" and role.qualifiers == ("russian",)
    role = asked_role("Who is China's foreign minister?")
    assert role is not None and role.word == "minister" and role.qualifiers == ("china",)
    role = asked_role("Who is the national security adviser?")
    assert role is not None and role.word == "adviser" and role.qualifiers == ()
    assert asked_role("Who is Blinken?") is None
    assert asked_role("Who won the election?") is None


def test_the_adjective_of_a_place_the_question_names_is_not_a_new_name() -> None:
    # "Estlandian" is Estland's adjective, not the name of the mission's head.
    mission = [Article("mission", "Mission", "The acting head of the Estlandian mission said the crossing would stay "
                       "shut for weeks. The mission has forty staff at the crossing.")]
    refusal("Who is the acting head of the Estland mission?", mission)
    named = [*mission, Article("head", "Head", "Eva Lund, the acting head of the Estland mission, visited the "
                               "crossing on Monday.")]
    assert "Eva Lund" in first("Who is the acting head of the Estland mission?", named)


CROSSING = [
    Article(
        "crossing",
        "Guards hold travellers at the crossing",
        "Border guards detained eleven British citizens at the Valby crossing on Friday. "
        "The guards also seized 40 crates of cigarettes from the travellers' vans. "
        "The inspectors later published a 300-page report on the smuggling route.",
    ),
]


def test_a_nations_people_are_counted_by_any_noun_for_people() -> None:
    # "Britons" are people: "detained eleven British citizens" answers through the verb before the number, and
    # "got" is the casual passive's auxiliary.
    assert "eleven British citizens" in first("how many britons got detained at the crossing?", CROSSING)


def test_a_number_hyphened_to_a_noun_counts_that_noun() -> None:
    # "300-page report": 300 pages, one report.
    assert "300-page report" in first("how many pages was the inspectors' report?", CROSSING)
    refusal("how many reports did the inspectors publish?", CROSSING)


TRIAL = [
    Article(
        "trial",
        "Guard convicted",
        "A military jury convicted Sergeant Petar Lund of abusing inmates at Varna prison on Friday. "
        "Sergeant Lund, 41, was described by prosecutors as the ringleader. "
        "He had denied all six charges brought against him. "
        "The jury took four hours to find him guilty. "
        "Another guard, Sergeant Mira Holm, said she had been ordered to keep quiet. "
        "Sergeant Holm will be tried next month.",
    ),
]


def test_a_pronoun_sentence_is_about_the_person_named_just_before() -> None:
    # "him" is Petar Lund, named two sentences before: the sentence answers a question that names him (a name the
    # question gives must be in an answering sentence)
    assert "four hours" in first("how long did it take the jury to find Lund guilty?", TRIAL)
    # a sentence that names someone itself is about them, not about whoever was named before it
    refusal("how long did it take the jury to find Holm guilty?", TRIAL)


def test_an_answers_dangling_pronoun_is_followed_by_the_person_named_just_before() -> None:
    # the citation stays the article's sentence; the answer says who "him" is, as a brief's point does
    answer = answer_question("how long did it take the jury to find Lund guilty?", TRIAL, semantic=None)
    assert answer.citations[0].text == "The jury took four hours to find him guilty."
    assert "The jury took four hours to find him [Petar Lund] guilty." in answer.answer


def test_a_person_the_question_excludes_need_not_be_named_by_the_answer() -> None:
    # "besides Lund": the answer is about the others, and need not name him
    assert "three other guards" in first("how many guards were charged besides Lund?", CHARGES)


CHARGES = [
    Article(
        "charges",
        "More guards charged",
        "Prosecutors charged Sergeant Petar Lund with abuse at Varna prison in March. "
        "Sergeant Lund denied every charge. "
        "By May, three other guards had been charged over the same abuse.",
    ),
]


SUMMITS = [
    Article(
        "summit",
        "Leaders to meet",
        "Ana Silva, the president, and Rui Costa, the prime minister, have traded letters for months. "
        "A meeting between Silva and Costa in Lisbon next Thursday has raised hopes of a trade deal. "
        "Paulo Ramos, the foreign minister, cancelled his planned visit to Madrid last month after the row. "
        "Silva spoke to reporters in Porto on Monday about the harvest.",
    ),
]


def test_a_visit_to_a_place_is_a_meeting_there() -> None:
    # "visit Lisbon" meets "a meeting ... in Lisbon" with the same people; another man's visit to Madrid is not hers
    assert "next Thursday" in first("when will silva visit lisbon?", SUMMITS)
    refusal("when will Silva visit Madrid?", SUMMITS)


def test_the_name_of_a_role_is_asked_as_who_holds_it() -> None:
    # "What was the name of ...?" is a who question: the holder's name answers, a mention of the role does not
    assert "Piet Dahl" in first("What is the name of the Norland judge at the border court?", BORDER)
    assert "Mira Holm" in first("what was the ringleader's name?", BORDER)
    assert refusal("What was the name of the Estish judge?", BORDER).startswith("The articles don't say who")


CREW = Article(
    "crew",
    "Flight lost over the ocean",
    "Pilots from Norair said they saw a flash over the Atlantic before the plane was lost. "
    "An Estair pilot flying over the Atlantic at the time saw the same light. "
    "The captain of the plane had flown the ocean route for years, the airline said.",
)
NAMED_CREW = Article(
    "crew2",
    "Flight lost over the ocean",
    "The captain of the plane, Lena Fisk, had flown the ocean route for years, the airline said.",
)


def test_the_holder_of_a_role_is_a_person_not_a_place_or_an_employer() -> None:
    # "Pilots from Norair" names an airline, "an Estair pilot" the pilot's employer, "the Atlantic" a place
    for question in ("What were the names of the pilots?", "who were the pilots?", "What was the captain's name?"):
        assert refusal(question, [CREW]).startswith("The articles don't say who"), question
    assert "Lena Fisk" in first("What was the captain's name?", [CREW, NAMED_CREW])


GALA = [
    Article(
        "gala",
        "Gala night in Valby",
        "Young singer Ada Lind, who performed \"Song of the Valley\" during the gala, was praised by the organisers. "
        "The gala in Valby raised money for the border towns. "
        "Mayor Jon Brekke, opening the gala, hailed \"a night of hope for the border towns\" in Valby.",
    )
]


def test_what_did_x_say_needs_x_to_give_words() -> None:
    # Ada Lind is named, but only as a performer: a song title in quotation marks is no words of hers
    refusal("What did Ada Lind say about the gala?", GALA)
    assert "Jon Brekke" in first("What did Jon Brekke say about the gala?", GALA)


def test_gives_words_reads_verbs_of_saying_and_quotations_not_titles() -> None:
    assert gives_words("The minister said the talks would go on.")
    assert gives_words('The ministry was the first to broadcast a reading, lamenting "conflict and confrontation".')
    assert not gives_words('Ada Lind, who performed "Song of the Valley", was praised.')
    assert not gives_words("Ada Lind performed at the gala.")


RUBBLE = Article(
    "rubble",
    "Rescues in the rubble",
    "Only yesterday, an 84-year-old woman was found in the rubble of her home, and Ivo Sand, aged 21, was "
    "rescued by a search team from Norland.",
)
NAMED_RUBBLE = Article(
    "rubble2",
    "Rescues in the rubble",
    "The 84-year-old woman, Vera Lund, was found in the rubble of her home after four days.",
)


def test_a_number_qualifies_the_role_and_a_clause_without_that_ends_it() -> None:
    # "the 84-year-old woman they pulled from the rubble" asks for a woman of 84, named next to the role: Ivo Sand,
    # named in another clause of the same sentence, is not her
    question = "what's the name of the 84-year-old woman?"
    assert refusal(question, [RUBBLE]).startswith("The articles don't say who")
    assert "Vera Lund" in first(question, [RUBBLE, NAMED_RUBBLE])
    role = asked_role("who is the 84-year-old woman they pulled from the rubble?")
    assert role is not None and role.word == "woman" and role.qualifiers == ("84",)


HOSTAGES = [
    Article(
        "hostages",
        "Crew freed",
        "The six crew members seized by the rebels landed in Valby, following their release after twelve days of "
        "captivity. "
        "The border summit was held in Valby last week. "
        "The crew's ship was boarded while the summit in Valby went on for three days.",
    )
]


def test_people_held_are_held_captive_a_summit_held_is_not() -> None:
    # "were the crew held" asks how long their captivity lasted: the duration next to "captivity" answers
    assert "twelve days of captivity" in first("How long were the crew members held?", HOSTAGES)
    assert held_captive("how long were the brits held for in the end?")
    assert not held_captive("When was the border summit held?")
    assert not held_captive("Where were the talks held?")


PHONE = [
    Article(
        "phone",
        "Leaders talk",
        "Mayor Lopes and Governor Berg spoke for nearly two hours about the border crossing. "
        "Lopes and Berg had planned a phone conversation for weeks.",
    )
]


def test_people_on_the_phone_are_talking() -> None:
    assert "nearly two hours" in first("how long were lopes and berg on the phone?", PHONE)


COURT_CASES = [
    Article(
        "trial",
        "Guards in court",
        "Major Dal Ruud will stand trial on three counts of abuse at the Valby prison. "
        "Ruud is the only officer charged in the Valby case - nine guards were previously sentenced to prison. "
        "Guard Ola Ros, who held the keys, was sentenced to two years in prison on Monday.",
    )
]


def test_a_verdict_asked_for_needs_an_outcome_stated_not_a_trial_to_come() -> None:
    # "will stand trial" names the trial, not how it ended; the sentence of others' sentences is no verdict on Ruud
    refusal("was ruud convicted in the end?", COURT_CASES)
    refusal("what verdict did dal ruud get?", COURT_CASES)
    assert "two years in prison" in first("what sentence did ola ros get?", COURT_CASES)
    assert asks_outcome("How long was Ros sentenced to?") and asks_outcome("what punishment did the guard get?")
    assert not asks_outcome("what jail time did they say they'd get if they didn't confess?")  # a threat
    assert not states_outcome("Ruud faces a maximum sentence of 22 years.")
    assert not states_outcome("Ruud could be sentenced to ten years.")
    assert states_outcome("The jury sentenced Ros to ten years in prison.", ["ros"])
    # the clause that states the outcome must meet the question when the sentence tells of several things
    assert not states_outcome("Ruud is the only officer charged - nine guards were sentenced.", ["ruud", "convicted"])
    assert states_outcome("The five convicted are Ana Berg, 25, and Ivo Dal, 31.", ["men", "plot"])



FLIGHT_447 = [
    Article(
        "flight",
        "Plane missing over the ocean",
        "The airliner had left Valby on Sunday night with a dozen crew members and 216 passengers on board, "
        "according to a spokeswoman for Air France. "
        "The search went on for a week.",
    )
]


def test_a_count_of_a_nationality_needs_that_nationality_near_the_number() -> None:
    # "216 passengers" counts all of them, not the French ones ("Air France" after the number is the airline)
    refusal("How many French passengers were on board?", FLIGHT_447)
    topic = Topic(FLIGHT_447)
    assert topic._other_nationality(["french", "passengers"], FLIGHT_447[0].body.split(". ")[0])
    # the country just before the number qualifies it; a bloc is no nationality ("members of the union")
    assert not topic._other_nationality(["russian", "soldiers"], "Russia has lost 40 soldiers this year.")
    assert not topic._other_nationality(["eu", "members"], "All 27 members of the union agreed.")
