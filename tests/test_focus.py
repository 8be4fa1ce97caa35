"""Focused briefs (issue 11, deliverable 3): the answer leads, the question's points come before the story's
central but irrelevant ones, and a question worded away from the text still reaches its answer."""

from __future__ import annotations

import numpy as np

from summarizer.articles import Article
from summarizer.brief import build_brief, summarize_documents
from summarizer.focus import LEXICAL, SEMANTIC, answer_shape, mmr_order, pull_for, query_stems, relevance
from summarizer.tfidf import tfidf_matrix

# The central event, told by every outlet in its own words: a ranker without the question leads with it.
SUMMIT = [
    "The prime ministers of Norland and Sudria met in Harwick on Monday for four hours of talks on the river dam.",
    "Norland's prime minister and his Sudrian counterpart held talks in Harwick about the disputed river dam.",
    "The two prime ministers discussed the river dam dispute during a long meeting in Harwick, officials said.",
    "Their meeting in Harwick was the first between the two prime ministers since the dam dispute began.",
]
# Three distinct facts about the spillway, each told by two outlets (the question's points).
SPILLWAY = [
    ("Independent engineers found deep cracks in two of the dam's spillway gates during an inspection in March.",
     "An inspection in March by outside engineers found deep cracks in two spillway gates of the dam."),
    ("The concrete apron below the spillway has been eroded by years of floods, the inspectors reported.",
     "Inspectors reported that years of floods have eroded the concrete apron beneath the spillway."),
    ("Repairing the spillway will take two years and cost ninety million crowns, the water ministry estimates.",
     "The water ministry estimates that the spillway repairs will cost ninety million crowns over two years."),
]
# Another strand the brief without a question also tells.
FISHERMEN = [
    "Thousands of fishermen marched through the port city of Lessa demanding compensation for lost catches.",
    "In Lessa, thousands of fishermen staged a march to demand compensation for the catches they have lost.",
]


def dam_topic() -> list[Article]:
    out = []
    for n in range(6):
        fact = SPILLWAY[n % 3][n // 3]
        lines = [SUMMIT[n % 4], SUMMIT[(n + 1) % 4], FISHERMEN[n % 2], fact]
        out.append(Article(f"d{n}", f"Dam talks {n}", "\n".join(lines), outlet=f"Outlet {n}"))
    return out


def test_the_answer_leads_and_the_questions_points_come_before_central_ones() -> None:
    articles = dam_topic()
    plain = build_brief("dam", "Dam talks", articles)
    assert "spillway" not in plain.summary.lower()  # without a question, the central events lead
    brief = build_brief("dam", "Dam talks", articles, focus="What is wrong with the dam's spillway?")
    assert "spillway" in brief.summary.lower(), brief.summary
    texts = [p.text.lower() for p in brief.points]
    on_question = [i for i, t in enumerate(texts) if "spillway" in t]
    off_question = [i for i, t in enumerate(texts) if "spillway" not in t]
    told = " ".join([brief.summary.lower(), *texts])
    assert all(cue in told for cue in ("cracks", "apron", "ninety million")), texts  # every fact asked for, once
    assert not off_question or max(on_question) < min(off_question), texts


# The question's words ("flooded villages") are in one sentence only; the answer's details (the crews, the
# loan) are told in sentences that share words with that one ("sea walls", "harbour", "Lessa"), not with the
# question; the parliament's budget debate shares nothing with either.
REBUILDING = [
    "Rebuilding of the flooded villages began in May with new sea walls around the harbour of Lessa.",
    "Crews poured concrete for the sea walls through the summer, working in two shifts a day.",
    "A loan of forty million crowns from the northern banks pays for the harbour work in Lessa.",
]
CENTRAL = [
    "Norland's parliament debated the budget for the whole of Tuesday and voted on the new tax rates.",
    "The budget debate in Norland's parliament lasted all Tuesday before members voted on tax rates.",
    "Members of Norland's parliament spent Tuesday debating the budget and then voted on the tax rates.",
]


def test_relevance_expands_the_question_with_its_best_matches_terms() -> None:
    texts = REBUILDING + CENTRAL
    vectors = tfidf_matrix(texts + ["How are the flooded villages being rebuilt?"])
    from summarizer.analyzer import STOP_WORDS, stem, words

    stems = [frozenset(stem(w) for w in words(t) if w not in STOP_WORDS) for t in texts]
    rows = vectors[: len(texts)]
    sims = np.asarray((rows @ rows.T).toarray())
    np.fill_diagonal(sims, 0.0)
    score = relevance(stems, rows, vectors[len(texts):], "How are the flooded villages being rebuilt?", sims)
    assert score[0] == max(score)
    # Neither detail shares a content word with the question: the feedback from the first match finds them.
    assert min(score[1], score[2]) > max(score[3:]), score
    assert "mani" not in query_stems("How many people died?") and "die" in query_stems("How many people died?")


def test_answer_shape_prefers_the_kind_of_answer_asked_for() -> None:
    shape = answer_shape(["Officials said the damage was severe.", "The flood killed 214 people in Lessa."],
                         "How many people died in the flood?")
    assert shape[1] == 1.0 and shape[0] < 1.0
    listing = answer_shape(["Russia asked for equipment.", "Russia asked for drones, missiles and armored cars."],
                           "What equipment did Russia ask for?")
    assert listing[1] == 1.0 and listing[0] < 1.0
    assert list(answer_shape(["Any sentence at all."], "Why did they meet?")) == [1.0]


def test_mmr_order_takes_the_next_point_unlike_those_already_kept() -> None:
    score = {0: 1.0, 1: 0.95, 2: 0.6}
    sims = np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.0], [0.0, 0.0, 1.0]])
    kept: list[int] = []
    order = []
    for k in mmr_order([0, 1, 2], score.__getitem__, lambda k, j: float(sims[k, j]), kept):
        order.append(k)
        kept.append(k)
    assert order == [0, 2, 1]  # 1 nearly repeats 0, so the different point 2 comes first


def test_a_focused_batch_summary_carries_the_answer() -> None:
    texts = [a.body for a in dam_topic()]
    focused = summarize_documents(texts, 60, query="What is wrong with the dam's spillway?")
    plain = summarize_documents(texts, 60)
    assert "spillway" in focused.lower() and "spillway" not in plain.lower()


def test_the_pull_follows_how_far_the_encoders_relevance_can_be_trusted() -> None:
    sparse = tfidf_matrix(["Engineers found cracks in the spillway.", "Fishermen marched in Lessa."])
    assert pull_for(sparse) is LEXICAL and pull_for(np.eye(2, dtype=np.float32)) is SEMANTIC
    assert LEXICAL.restart < SEMANTIC.restart and LEXICAL.keep > SEMANTIC.keep  # word matches pull gently


def test_a_short_answer_leads_alone() -> None:
    """A generic brief lengthens a lead of under 16 words with its best point; a focused brief's lead is the
    answer, and its next point (another aspect of the question) stays a point of its own."""
    from summarizer.articles import load_articles
    from summarizer.text import split_sentences
    from tests.conftest import SEEDS

    focused = build_brief("china-russia", "China, Russia", load_articles(SEEDS).articles,
                          focus="what did russia ask china for?")
    assert len(split_sentences(focused.summary)) == 1, focused.summary
    assert "asked" in focused.summary and len(focused.summary.split()) < 16


def test_a_focused_brief_leads_with_what_the_answer_engine_cites() -> None:
    """"What did Russia ask China for?": the articles say "Russia requested drones ... from China"; the talks
    sentences share "Russia" and "China" as much, and three outlets tell them. The follow-up answer engine reads
    "ask" as "request" (its shared analyzer and paraphrase tables) and wants what is asked for, and the focused
    brief builds on what it cites, so a brief and an answer in chat agree on what answers the question."""
    from summarizer.qa import answer_question

    talks = ["Leaders of Russia and China met in Beijing on Monday for talks on trade and energy.",
             "Russia and China held talks on trade and energy in Beijing, officials of both countries said.",
             "The talks between China and Russia on energy and trade lasted most of Monday in Beijing."]
    request = ["Russia requested drones, missiles and field rations from China, a Western official said.",
               "Russia has requested drones and missiles from China, according to an official."]
    articles = [Article(f"d{n}", f"Talks {n}", "\n".join([talks[n % 3], talks[(n + 1) % 3], FISHERMEN[n % 2]]
                                                         + ([request[n]] if n < 2 else [])), outlet=f"Outlet {n}")
                for n in range(5)]
    question = "What did Russia ask China for?"
    answer = answer_question(question, articles)
    assert answer.answered and "requested" in answer.citations[0].text, answer
    brief = build_brief("talks", "Talks", articles, focus=question)
    assert "requested" in brief.summary, brief.summary


def test_a_focused_update_brief_still_leads_with_what_the_answer_engine_cites() -> None:
    """With ``previous`` (what the reader has seen) the candidates are narrowed to the new ones; the answer
    engine's citations must be narrowed with them, not dropped, or the answer no longer leads."""
    from summarizer.brief import Seen

    talks = ["Leaders of Russia and China met in Beijing on Monday for talks on trade and energy.",
             "Russia and China held talks on trade and energy in Beijing, officials of both countries said.",
             "The talks between China and Russia on energy and trade lasted most of Monday in Beijing."]
    request = ["Russia requested drones, missiles and field rations from China, a Western official said.",
               "Russia has requested drones and missiles from China, according to an official."]
    articles = [Article(f"d{n}", f"Talks {n}", "\n".join([talks[n % 3], talks[(n + 1) % 3], FISHERMEN[n % 2]]
                                                         + ([request[n]] if n < 2 else [])), outlet=f"Outlet {n}")
                for n in range(5)]
    old = Article("old", "Earlier", "Fishermen in Lessa said the catch was poor this spring.\n"
                  "The harbour of Lessa was closed for repairs for two weeks in April.")
    brief = build_brief("talks", "Talks", [old, *articles], focus="What did Russia ask China for?",
                        previous=Seen(article_ids=frozenset({"old"})))
    assert "requested" in brief.summary, brief.summary
