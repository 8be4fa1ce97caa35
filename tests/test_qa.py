"""Follow-up answers: right sentence and citation per question type, refusals, odd questions, the seeds."""

from __future__ import annotations

import pytest

from summarizer.articles import Article, load_articles
from summarizer.qa import answer_question, matches_type, question_type
from tests.conftest import SEEDS
from tests.qa_asks import first, refusal

# A small crafted topic: each fact sits in one sentence of one article, next to decoys that share words.
HARBOUR = Article(
    "harbour",
    "Harbour bridge reopens",
    "The Kestrel Bay bridge reopened to traffic after repairs that cost the city a great deal. "
    "Engineer Marta Quill led the repair crew through the winter. "
    "The bridge reopened on March 3, 2024, two weeks later than planned. "
    "Crews replaced 412 steel cables on the bridge during the works. "
    "The repairs took eleven months in total. "
    "The mayor held a ceremony at the Kestrel Bay ferry terminal for the reopening of the bridge. "
    "Traffic on the bridge was heavy all day because commuters had waited a long time for the route.",
)
RAIL = Article(
    "rail",
    "Rail strike called off",
    "Union leaders called off the rail strike after talks with the operator. "
    "The operator agreed to hire more drivers for the northern lines. "
    "Passengers had feared weeks of cancelled trains across the region.",
)
TOPIC = [HARBOUR, RAIL]


@pytest.mark.parametrize(
    ("question", "fragment", "source"),
    [
        ("Who led the bridge repair crew?", "Marta Quill", "harbour"),
        ("When did the bridge reopen?", "March 3, 2024", "harbour"),
        ("How many steel cables were replaced on the bridge?", "412", "harbour"),
        ("How long did the bridge repairs take?", "eleven months", "harbour"),
        ("Where was the ceremony for the bridge reopening held?", "ferry terminal", "harbour"),
        ("Why was bridge traffic heavy?", "because commuters", "harbour"),
        ("What did the rail operator agree to?", "hire more drivers", "rail"),
    ],
)
def test_typed_questions_get_the_sentence_that_answers_them(question: str, fragment: str, source: str) -> None:
    answer = answer_question(question, TOPIC)
    assert answer.answered, answer.answer
    holding = [c for c in answer.citations if fragment in c.text]
    assert holding, answer.answer
    assert holding[0].source == source
    if question_type(question).name != "what":  # the type gate leaves the answering sentence on top
        assert fragment in answer.citations[0].text
    assert 1 <= len(answer.citations) <= 3
    # the answer is the cited sentences themselves, nothing invented
    assert answer.answer == " ".join(c.text for c in answer.citations)
    for citation in answer.citations:
        article = {a.id: a for a in TOPIC}[citation.source]
        assert citation.text in article.body


def test_type_is_required_not_just_the_topic_words() -> None:
    # The articles talk about the rail strike, but never say when it started: no date, so no answer.
    answer = answer_question("When did the rail strike start?", TOPIC)
    assert not answer.answered
    assert answer.answer.startswith("The articles don't say when")
    assert answer.citations == ()


def test_absent_subject_is_refused_and_says_what_was_asked() -> None:
    answer = answer_question("What did the mayor say about the football final?", TOPIC)
    assert not answer.answered
    assert answer.citations == ()
    assert answer.answer.startswith("The articles don't say")
    assert "football final" in answer.answer
    assert answer.to_dict()["answered"] is False


def test_empty_and_blank_questions_are_refused_clearly() -> None:
    for question in ("", "   \n\t", "?"):
        answer = answer_question(question, TOPIC)
        assert not answer.answered
        assert answer.citations == ()
        assert answer.answer.startswith("The articles don't say")


def test_no_articles_is_a_refusal_not_a_crash() -> None:
    answer = answer_question("Who led the repair crew?", [])
    assert not answer.answered
    assert "no articles" in answer.answer


def test_typos_and_case_are_forgiven() -> None:
    questions = ("WHO LED THE BRIDGE REPAIR CREW?", "who led the brige repiar crew", "Hwo led the bridge repair crew?")
    for question in questions:
        answer = answer_question(question, TOPIC)
        assert answer.answered, question
        assert "Marta Quill" in answer.citations[0].text


def test_casual_filler_words_are_not_what_a_question_asks_for() -> None:
    # "get" and "whole" are in no article: read as content, they sank the coverage of the sentence that answers.
    answer = answer_question("how many cables did the crews get replaced on the whole bridge?", TOPIC, semantic=None)
    assert answer.answered, answer.answer
    assert "412 steel cables" in answer.citations[0].text


def test_a_yes_no_question_is_not_a_misspelt_where() -> None:
    # "were" is one letter from "where"; read as "where", the question wanted a place and was refused.
    answer = answer_question("were there any delays on the bridge repair?", TOPIC)
    assert not answer.answer.startswith("The articles don't say where"), answer.answer


def test_a_cited_line_without_a_period_does_not_run_into_the_next() -> None:
    works = [
        Article("works", "Bridge works", "On the harbour bridge, crews replaced the rusted railings and the lamps\n"
                "Crews replaced the steel cables on the harbour bridge in the winter.\n"
                "The mayor opened the road in March."),
        RAIL,
    ]
    answer = answer_question("What did crews replace on the harbour bridge?", works, semantic=None)
    assert len(answer.citations) == 2, answer
    assert answer.citations[0].text.endswith("lamps")  # the citation itself stays verbatim
    assert "the lamps. Crews replaced" in answer.answer


def test_very_long_question() -> None:
    context = "I drove over the harbour bridge this morning and saw the plaque about the works. " * 6
    long_but_fine = context + "Who led the bridge repair crew?"
    answer = answer_question(long_but_fine, TOPIC)
    assert answer.answered and "Marta Quill" in answer.answer
    pasted = "Who led the crew? " + "bridge " * 2000
    refused = answer_question(pasted, TOPIC)
    assert not refused.answered
    assert "characters" in refused.answer
    assert len(refused.question) <= 200  # the cache and the thread do not get a copy of the paste


def test_question_types() -> None:
    assert question_type("How many cables?").name == "how_many"
    assert question_type("how much did it cost").name == "how_many"
    assert question_type("How long did it take?").name == "how_long"
    assert question_type("What year did it open?").name == "when"
    assert question_type("Tell me who led it, and when?").name == "who"
    assert question_type("What happened?").name == "what"
    # a plain what/which/how opens the question: a later wh-word is one of its clauses
    assert question_type("What was going on in the city when the quake hit?").name == "what"
    assert question_type("Which team won, and how many points did it get?").name == "what"
    assert question_type("How come the strike ended?").name == "why"
    assert question_type("What day did it open?").name == "when"
    assert matches_type(question_type("when?"), "It opened on Friday.")
    assert not matches_type(question_type("when?"), "It opened to traffic.")
    assert matches_type(question_type("where?"), "They met in Rome.")
    assert not matches_type(question_type("where?"), "They met in November.")  # a month is not a place
    assert not matches_type(question_type("who?"), "Traffic was heavy.")  # a capitalised first word is no name



def test_an_accented_name_is_read_whole() -> None:
    # an ASCII letter class cut it at the accent ("Policeman Jos", "Ar"), so its words matched no word of the sentence
    from summarizer.qa_topic import names

    assert names("Policeman José Arévalo warned them, as did Sebastián Piñera.") == [
        "Policeman José Arévalo", "Sebastián Piñera"]
    assert names("Jake Sullivan met NATO envoys in Rome.") == ["Jake Sullivan", "NATO", "Rome"]


def test_hostile_text_is_quoted_verbatim_never_rewritten_here() -> None:
    # Escaping is the renderers' job; the answer must carry the article's words unchanged for them to escape.
    article = Article("x", "t", "Organiser Dana Reyes wrote <!channel> and @everyone in the club announcement.")
    answer = answer_question("Who wrote the club announcement?", [article])
    assert answer.answered
    assert answer.citations[0].text == article.body


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    return list(load_articles(SEEDS).articles)


def test_seeds_national_security_adviser(seed_articles: list[Article]) -> None:
    answer = answer_question("Who is the national security adviser?", seed_articles)
    assert answer.answered
    assert "Jake Sullivan" in answer.citations[0].text
    assert {c.source for c in answer.citations} <= {a.id for a in seed_articles}


def test_seeds_moon_landing_is_refused(seed_articles: list[Article]) -> None:
    answer = answer_question("What did the articles say about the Moon landing?", seed_articles)
    assert not answer.answered
    assert answer.citations == ()
    assert "moon" in answer.answer.lower()


def test_seeds_unrelated_questions_refused(seed_articles: list[Article]) -> None:
    unrelated = ("Who won the World Cup?", "What is the capital of France?", "How many people live in Paris?")
    for question in unrelated:
        assert not answer_question(question, seed_articles).answered, question


@pytest.mark.ml
def test_seeds_with_minilm_ranking_still_cites_sullivan(seed_articles: list[Article]) -> None:
    pytest.importorskip("torch")
    from summarizer.encoders import get_encoder

    encoder = get_encoder("minilm")
    answer = answer_question("who is the natinal security advisor", seed_articles, encoder=encoder)
    assert answer.answered
    assert "Jake Sullivan" in answer.citations[0].text


# Issue 11: answers that used to refuse (a word inflected or absent), lists, titles, people across articles.
COUNCIL = Article(
    "council",
    "Kestrel Bay ferry service suspended for the winter",
    "The council asked for equipment and support after the storm damaged the harbour. "
    "The council requested three kinds of equipment: snow ploughs, salt spreaders and tow trucks. "
    "Councillors favour a soft approach to parking fines because shops need visitors in the quiet months. "
    "Deputy mayor Tomas Okafor presented the budget to the council on Tuesday. "
    "The International Court of Arbitration ruled that the harbour dues were lawful.",
)
BUDGET = Article(
    "budget",
    "Budget talks",
    "Mayor Dana Reyes said the budget had to fund the harbour repairs. "
    "Ms Reyes warned Mr Okafor that the harbour fund was short by a third.",
)
TOWN = [COUNCIL, BUDGET]


def test_comparative_meets_its_base_word() -> None:
    answer = answer_question("Why do councillors want a softer approach to parking fines?", TOWN)
    assert answer.answered, answer.answer
    assert "soft approach" in answer.citations[0].text


def test_titles_are_indexed() -> None:
    answer = answer_question("Is the ferry service suspended?", TOWN)
    assert answer.answered, answer.answer
    assert answer.citations[0].text == COUNCIL.title


def test_list_question_puts_the_enumerating_sentence_first() -> None:
    answer = answer_question("What equipment did the council ask for?", TOWN)
    assert answer.answered, answer.answer
    assert "snow ploughs" in answer.citations[0].text


def test_acronym_in_the_question_is_expanded_from_the_articles() -> None:
    answer = answer_question("What did the ICA rule?", TOWN)
    assert answer.answered, answer.answer
    assert "International Court of Arbitration" in answer.citations[0].text


def test_people_resolve_across_articles_in_answers() -> None:
    answer = answer_question("What did Reyes warn Okafor about?", TOWN)
    assert answer.answered, answer.answer
    assert answer.citations[0].text == "Ms Reyes warned Mr Okafor that the harbour fund was short by a third."
    # the answer names both in full, the citation stays verbatim
    assert "Ms Reyes [Dana Reyes] warned Mr Okafor [Tomas Okafor]" in answer.answer
    who = answer_question("Who is Mr Okafor?", TOWN)
    assert who.answered and "Tomas Okafor" in who.answer


def test_a_name_the_articles_never_use_is_refused_even_with_a_semantic_encoder() -> None:
    class Everything:  # an encoder that finds every sentence close: the subject gate must still refuse
        name = "fake"

        def encode(self, texts):
            import numpy as np

            return np.ones((len(texts), 2)) / np.sqrt(2)

    answer = answer_question("What did Zelensky say about the harbour?", TOWN, semantic=Everything())
    assert not answer.answered
    assert "zelensky" in answer.answer


SOLDIERS = [Article("war", "Fighting in the east", "Officials estimate that 300 troops were killed in the fighting "
                    "near the river. The army moved new artillery to the front line overnight.")]


def test_second_chance_uses_the_semantic_encoder_only_when_given_one() -> None:
    class Close:  # stands in for a sentence encoder that knows "soldiers died" ~ "troops were killed"
        name = "fake"

        def encode(self, texts):
            import numpy as np

            rows = [[1.0, 0.0] if ("troops" in t or "soldiers" in t) else [0.0, 1.0] for t in texts]
            return np.asarray(rows)

    class Far:  # a sentence encoder that finds nothing close to the question (the question is encoded last)
        name = "fake"

        def encode(self, texts):
            import numpy as np

            return np.asarray([[0.0, 1.0]] * (len(texts) - 1) + [[1.0, 0.0]])

    question = "How many soldiers were killed near the river?"
    answer = answer_question(question, SOLDIERS, semantic=Close())
    assert answer.answered and "300 troops" in answer.citations[0].text
    # With an encoder, the encoder decides alone; without one, the plain install's lexical second chance
    # (summarizer.qa_lexical) answers from the words the articles use: "killed near the river".
    assert not answer_question(question, SOLDIERS, semantic=Far()).answered
    plain = answer_question(question, SOLDIERS, semantic=None)
    assert plain.answered and "300 troops" in plain.citations[0].text


@pytest.mark.ml
def test_second_chance_with_minilm() -> None:
    pytest.importorskip("torch")
    from summarizer.encoders import get_encoder

    answer = answer_question("How many soldiers were killed near the river?", SOLDIERS, semantic=get_encoder("minilm"))
    assert answer.answered and "300 troops" in answer.citations[0].text
    unrelated = answer_question("How many goals were scored in the match?", SOLDIERS, semantic=get_encoder("minilm"))
    assert not unrelated.answered


CALL = Article(
    "call",
    "Leaders hold call",
    "Prime Minister Ana Lopes and President Tomas Berg held a phone call on Friday about the border dispute. "
    "The phone call followed weeks of tension along the border. "
    "Lopes spoke with Berg for nearly two hours, aides said.",
)
FAIR = Article("fair", "Harvest fair opens",
               "The harvest fair opened in the town square. Farmers sold apples and cheese.")


def test_a_typed_answer_worded_apart_from_the_question_gets_the_second_chance() -> None:
    # The sentences that meet the question's words give no duration; the one that does says "spoke", not "phone",
    # and names the two leaders next to it. The second chance (MiniLM) is tried before refusing, under the same
    # answer-type gates.
    pytest.importorskip("transformers")
    answer = answer_question("How long were Lopes and Berg on the phone during the dispute?", [CALL, FAIR])
    assert answer.answered, answer.answer
    assert "nearly two hours" in answer.citations[0].text
    # a question whose answer the articles do not hold is still refused: nothing says how long the tension lasted
    refused = answer_question("How long did the talks on the fair go on?", [CALL, FAIR])
    assert not refused.answered, refused.answer


FLOOD = Article(
    "flood",
    "Valley flood",
    "Policeman Dario Vela was the only person to warn residents that the flood was coming. "
    "Residents of the valley fled to the hills after the warning. "
    "The flood reached the town of Arlo at night.",
)


def test_a_role_asked_in_chat_words_with_a_relative_clause() -> None:
    # "the cop that warned folks": the role is "cop" (the relative clause is not part of it), and "cop" stands for
    # the news word "policeman" (summarizer.everyday), so the sentence naming the policeman answers.
    answer = answer_question("who was the cop that warned folks in the valley?", [FLOOD, FAIR], semantic=None)
    assert answer.answered, answer.answer
    assert "Dario Vela" in answer.citations[0].text


def test_a_question_about_a_persons_post_is_asked_as_who_they_are(seed_articles: list[Article]) -> None:
    """"What position does X hold?" wants the job the articles write next to X's name; its words "position" and
    "hold" are the question's. A role that is played, or a position on something, is another question."""
    from summarizer.qa import _as_who

    cited = first("What position does Emily Kilcrease hold?", seed_articles, semantic="auto")
    assert "a senior fellow at the Center for a New American Security" in cited
    assert _as_who("What is Kilcrease's job?") == "who is Kilcrease?"
    for other in ("What role did China play in the war?", "What is Xi Jinping's position on the war?",
                  "What is the job of the Chinese ambassador?"):
        assert _as_who(other) == other


def test_people_named_in_the_sentence_before_count_for_the_people_asked_about() -> None:
    """A report names someone, then tells what happened in the next sentence without repeating the name: the
    meeting of "Okafor and Reyes" is told in a sentence that names only Okafor."""
    body = ("Mayor Dana Reyes travelled to the port on Monday to discuss the harbour fund with the board. "
            "Officials described a tense four-hour meeting with Tomas Okafor, the chair of the harbour board. "
            "The board will vote on the fund next month.")
    articles = [Article("a1", "Harbour fund talks", body)]
    assert "four-hour meeting" in first("How many hours did Reyes and Okafor meet?", articles, semantic="auto")
    refusal("How many hours did Reyes and Okafor meet in Paris?", articles, semantic="auto")


def test_a_sentence_that_opens_with_he_is_about_the_person_named_just_before() -> None:
    """"He presented the commander, Captain X, with a medal" names Captain X, but "He" is the prime minister the
    sentence before named: a question about the prime minister's award finds it."""
    body = ("Prime Minister Tomas Novak visited the flooded port of Brod on Monday. "
            "He presented the harbour commander, Captain Petr Dvorak, with a medal of courage. "
            "The harbour reopened on Tuesday.")
    articles = [Article("a1", "Harbour reopens", body)]
    assert "medal of courage" in first("What award did Novak present to the commander?", articles, semantic="auto")
