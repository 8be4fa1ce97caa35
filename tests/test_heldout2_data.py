"""The held-out sets (bench/questions/heldout2.jsonl to heldout18.jsonl, bench/data/nuggets/heldout2*.json and
seeds_strands*.json) stay well formed: every expected fragment is in the articles, every nugget fires on a reference
summary (the seed strands on the seed articles), the benches' flags read them. No engine runs here: these sets judge
the engine, so their labels are checked against the data only. The tuning sets bench/questions/dev2.jsonl and
dev3.jsonl are checked the same way."""

from __future__ import annotations

import json

from bench import nuggets
from bench.encoders import MULTILING, QUESTIONS, load_cases, multiling_articles
from summarizer.articles import load_articles
from tests.conftest import ROOT

NUGGET_DIR = ROOT / "bench" / "data" / "nuggets"


def _topics() -> dict[str, str]:
    """Set name -> the text a case's fragments must occur in (titles and bodies, as bench/encoders.py joins them)."""
    topics = {f"multiling:{k}": v for k, v in multiling_articles(MULTILING[0]).items()}
    topics["seeds"] = list(load_articles(ROOT / "seeds").articles)
    return {name: " ".join(f"{a.title} {a.body}" for a in articles) for name, articles in topics.items()}


def _assert_labelled_from_the_articles(cases: list) -> None:
    texts = _topics()
    assert len({(c.set, c.question) for c in cases}) == len(cases)
    for case in cases:
        if case.expected is None:
            assert "unanswerable" in case.tags, case.question
        else:
            assert case.expected and "unanswerable" not in case.tags, case.question
            assert all(e in texts[case.set] for e in case.expected), case.question


def _assert_fragments(cases: list, shortest: int, longest: int) -> None:
    """1-3 fragments per answerable case, each ``shortest``-``longest`` words long, none holding a curly quote (the
    rules heldout9 and heldout10 were written to)."""
    answerable = [c for c in cases if c.expected is not None]
    assert all(1 <= len(c.expected) <= 3 for c in answerable)
    assert all(shortest <= len(e.split()) <= longest for c in answerable for e in c.expected)
    curly = "\u2018\u2019\u201c\u201d"
    assert not any(q in e for c in answerable for e in c.expected for q in curly)


def test_heldout2_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout2.jsonl")
    assert len(cases) >= 45
    assert sum(c.set == "seeds" for c in cases) >= 12
    assert sum(c.expected is None for c in cases) >= 14
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in (0, 3, 4, 9))}
    _assert_labelled_from_the_articles(cases)


def test_heldout3_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout3.jsonl")
    assert len(cases) == 60
    assert sum(c.set == "seeds" for c in cases) >= 10
    assert len({c.set for c in cases} - {"seeds"}) >= 6
    assert sum(c.expected is None for c in cases) == 22
    assert sum("off-topic" in c.tags for c in cases) >= 3
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_heldout4_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout4.jsonl")
    assert len(cases) == 50
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in (0, 3, 4, 5, 8))}
    assert sum(c.expected is None for c in cases) == 14
    assert sum("off-topic" in c.tags for c in cases) == 3
    assert sum("subject-present" in c.tags for c in cases) == 11
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_heldout5_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout5.jsonl")
    assert len(cases) == 60
    assert sum(c.set == "seeds" for c in cases) >= 10
    assert len({c.set for c in cases} - {"seeds"}) >= 8
    assert sum(c.expected is None for c in cases) == 16
    _assert_labelled_from_the_articles(cases)


def test_heldout6_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout6.jsonl")
    assert len(cases) == 60
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in (0, 2, 4, 6, 8, 9))}
    assert sum(c.set == "seeds" for c in cases) == 12
    assert sum(c.expected is None for c in cases) == 16
    assert sum("off-topic" in c.tags for c in cases) == 3
    assert sum("subject-present" in c.tags for c in cases) == 13
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_heldout7_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout7.jsonl")
    assert len(cases) == 60
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    assert sum(c.set == "seeds" for c in cases) == 12
    assert sum(c.expected is None for c in cases) == 15
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_heldout8_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout8.jsonl")
    assert len(cases) == 60
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    assert sum(c.set == "seeds" for c in cases) == 12
    assert all(sum(c.set == f"multiling:M00{n}" for c in cases) == 8 for n in (0, 2, 4, 6, 8))
    assert sum(c.expected is None for c in cases) == 15
    assert sum("off-topic" in c.tags for c in cases) == 3
    assert sum("subject-present" in c.tags for c in cases) == 12
    assert all(("off-topic" in c.tags) != ("subject-present" in c.tags) for c in cases if c.expected is None)
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_heldout9_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout9.jsonl")
    assert len(cases) == 60
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    assert sum(c.set == "seeds" for c in cases) == 12
    assert all(4 <= sum(c.set == f"multiling:M00{n}" for c in cases) <= 6 for n in range(10))
    assert sum(c.expected is None for c in cases) == 15
    assert sum("off-topic" in c.tags for c in cases) == 3
    assert sum("subject-present" in c.tags for c in cases) == 12
    assert all(("off-topic" in c.tags) != ("subject-present" in c.tags) for c in cases if c.expected is None)
    _assert_fragments(cases, 7, 15)
    _assert_labelled_from_the_articles(cases)


def test_heldout10_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout10.jsonl")
    assert len(cases) == 60
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    assert sum(c.set == "seeds" for c in cases) == 12
    assert all(4 <= sum(c.set == f"multiling:M00{n}" for c in cases) <= 5 for n in range(10))
    assert sum(c.expected is None for c in cases) == 15
    assert all("subject-present" in c.tags for c in cases if c.expected is None)
    assert sum("typo" in c.tags for c in cases) == 4
    _assert_fragments(cases, 5, 12)
    _assert_labelled_from_the_articles(cases)


def test_heldout11_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout11.jsonl")
    assert len(cases) == 60
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    assert sum(c.expected is None for c in cases) == 15
    answerable = [c for c in cases if c.expected is not None]
    assert all(1 <= len(c.expected) <= 3 for c in answerable)
    assert all(3 <= len(e.split()) <= 8 for c in answerable for e in c.expected)
    _assert_labelled_from_the_articles(cases)


def _assert_ten_on_the_seeds_five_per_cluster(cases: list, shortest: int) -> None:
    """The shape heldout12 to heldout18 were written to: 60 questions, 10 on the seeds and 5 on each
    MultiLing cluster, 15 unanswerable on the set's own subject, fragments of ``shortest``-12 words from the
    articles."""
    assert len(cases) == 60
    assert sum(c.set == "seeds" for c in cases) == 10
    assert all(sum(c.set == f"multiling:M00{n}" for c in cases) == 5 for n in range(10))
    assert sum(c.expected is None for c in cases) == 15
    assert all("subject-present" in c.tags for c in cases if c.expected is None)
    _assert_fragments(cases, shortest, 12)
    _assert_labelled_from_the_articles(cases)


def test_heldout12_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "heldout12.jsonl")
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    _assert_ten_on_the_seeds_five_per_cluster(cases, 5)


def test_heldout13_questions_are_labelled_from_the_articles() -> None:
    _assert_ten_on_the_seeds_five_per_cluster(load_cases(QUESTIONS / "heldout13.jsonl"), 6)


def test_heldout14_questions_are_labelled_from_the_articles() -> None:
    _assert_ten_on_the_seeds_five_per_cluster(load_cases(QUESTIONS / "heldout14.jsonl"), 6)


def test_heldout15_questions_are_labelled_from_the_articles() -> None:
    _assert_ten_on_the_seeds_five_per_cluster(load_cases(QUESTIONS / "heldout15.jsonl"), 6)


def test_heldout16_questions_are_labelled_from_the_articles() -> None:
    _assert_ten_on_the_seeds_five_per_cluster(load_cases(QUESTIONS / "heldout16.jsonl"), 6)


def test_heldout17_questions_are_labelled_from_the_articles() -> None:
    _assert_ten_on_the_seeds_five_per_cluster(load_cases(QUESTIONS / "heldout17.jsonl"), 7)


def test_heldout18_questions_are_labelled_from_the_articles() -> None:
    _assert_ten_on_the_seeds_five_per_cluster(load_cases(QUESTIONS / "heldout18.jsonl"), 7)


def test_seed_strands_fire_on_the_seed_articles_and_load_in_the_bench() -> None:
    [cluster] = nuggets.load(NUGGET_DIR / "seeds_strands.json")
    text = " ".join(d["text"] for d in cluster.docs)
    assert len(cluster.nuggets) >= 8
    assert all(nuggets.matches(n, text) for n in cluster.nuggets)


def test_second_seed_strands_fire_on_the_seed_articles_and_load_in_the_bench() -> None:
    [cluster] = nuggets.load(NUGGET_DIR / "seeds_strands2.json")
    text = " ".join(d["text"] for d in cluster.docs)
    assert 10 <= len(cluster.nuggets) <= 14
    assert len({n["id"] for n in cluster.nuggets}) == len(cluster.nuggets)
    assert all(nuggets.matches(n, text) for n in cluster.nuggets)


def test_dev2_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "dev2.jsonl")
    assert len(cases) == 59
    assert {c.set for c in cases} == {"seeds", *(f"multiling:M00{n}" for n in range(10))}
    assert all(sum(c.set == name for c in cases) >= 5 for name in {c.set for c in cases})
    assert sum(c.expected is None for c in cases) == 16
    assert sum("off-topic" in c.tags for c in cases) == 3
    assert sum("subject-present" in c.tags for c in cases) == 13
    assert all(("off-topic" in c.tags) != ("subject-present" in c.tags) for c in cases if c.expected is None)
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_dev3r_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "dev3r.jsonl")
    assert len(cases) == 15
    assert {c.set for c in cases} == {"multiling:M009"}
    assert sum(c.expected is None for c in cases) == 3
    _assert_labelled_from_the_articles(cases)


def test_dev3_questions_are_labelled_from_the_articles() -> None:
    cases = load_cases(QUESTIONS / "dev3.jsonl")
    assert len(cases) == 47
    assert all("dev3" in c.tags for c in cases)
    assert sum(c.expected is None for c in cases) == 12
    assert all(1 <= len(c.expected) <= 3 for c in cases if c.expected is not None)
    _assert_labelled_from_the_articles(cases)


def test_heldout2_nuggets_fire_on_references_and_load_in_the_bench() -> None:
    references = {c["id"]: [r["text"] for r in c["references"]]
                  for c in map(json.loads, nuggets.MULTILING.read_text(encoding="utf-8").splitlines())}
    generic = nuggets.load(NUGGET_DIR / "heldout2.json")
    assert [c.id for c in generic] == ["M003", "M004", "M006", "M007", "M009"]
    focus = nuggets.load(NUGGET_DIR / "heldout2_focus.json")
    assert sum(len(c.questions) for c in focus) == 6
    for cluster in generic:
        assert 10 <= len(cluster.nuggets) <= 14 and len(cluster.docs) == 10
    for cluster in [*generic, *focus]:
        for nugget in cluster.nuggets:
            assert any(nuggets.matches(nugget, text) for text in references[cluster.id]), nugget["id"]
        ids = {n["id"] for n in cluster.nuggets}
        assert all(set(q["nuggets"]) <= ids for q in cluster.questions)


def test_nuggets4_fire_on_their_articles_and_named_references() -> None:
    references = {c["id"]: [r["text"] for r in c["references"]]
                  for c in map(json.loads, nuggets.MULTILING.read_text(encoding="utf-8").splitlines())}
    clusters = nuggets.load(NUGGET_DIR / "nuggets4.json")
    assert [c.id for c in clusters] == [f"M00{n}" for n in range(10)]
    for cluster in clusters:
        assert 10 <= len(cluster.nuggets) <= 14 and len(cluster.docs) == 10
        assert len({n["id"] for n in cluster.nuggets}) == len(cluster.nuggets)
        text = " ".join(d["text"] for d in cluster.docs)
        for nugget in cluster.nuggets:
            assert nuggets.matches(nugget, text), nugget["id"]
            assert len(nugget["refs"]) >= 2 and set(nugget["refs"]) <= {1, 2, 3}, nugget["id"]
            assert all(nuggets.matches(nugget, references[cluster.id][r - 1]) for r in nugget["refs"]), nugget["id"]
