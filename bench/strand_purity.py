"""Strand purity on the seed topic: do the strands keep apart the events a blind reader told apart?

``bench/data/nuggets/seeds_strands.json`` lists, written without running the engine, sentence fragments that
tell one event (``same_event_groups``, 16 events). The strands of the generic seed brief
(``summarizer.brief.brief_strands``, on the same candidates ``build_brief`` clusters) are compared with them:
a candidate whose shown sentence holds one of an event's fragments is labelled with that event. Printed:

- mixed: pairs of labelled candidates of *different* events in one strand (one strand telling two stories;
  the brief then tells only one of them in round one);
- split: pairs of candidates of the *same* event in different strands (one story taking two strands' turns);
- leading: events that head a strand (the candidates round one of the brief offers), of those labelled.

Lower mixed and split, higher leading, is purer; the nugget benchmark (bench/nuggets.py) says whether the brief
gains from it. To compare two trees, run each tree's own copy (``summarizer.brief.brief_strands`` is needed).

    .venv/bin/python bench/strand_purity.py [--verbose]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SPEC = ROOT / "bench" / "data" / "nuggets" / "seeds_strands.json"


def _plain(text: str) -> str:
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").lower()


def purity(verbose: bool = False) -> dict:
    from summarizer import brief as B
    from summarizer.articles import load_articles
    from summarizer.text import split_sentences

    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    articles = load_articles(ROOT / "seeds").articles
    docs = [split_sentences(a.body) for a in articles]
    scored, _ = B.score_sentences(docs, None, dates=[a.date for a in articles])
    groups = B.merge_events(scored, B.merge_duplicates(scored), articles)
    top = groups[:B.MAX_STRAND_GROUPS]
    reps = [B._representative(scored, g) for g in top]
    strands = B.brief_strands(scored, top, reps, list(range(len(top))), True)
    strand_of = {k: n for n, st in enumerate(strands) for k in st.members}
    label: dict[int, int] = {}
    for k, rep in enumerate(reps):
        text = _plain(scored.cands[rep].text)
        event = next((e for e, frags in enumerate(spec["same_event_groups"]) if any(_plain(f) in text for f in frags)),
                     None)
        if event is not None:
            label[k] = event
    pairs = list(itertools.combinations(sorted(label), 2))
    out = {
        "strands": len(strands),
        "labelled": len(label),
        "mixed": sum(1 for a, b in pairs if label[a] != label[b] and strand_of[a] == strand_of[b]),
        "split": sum(1 for a, b in pairs if label[a] == label[b] and strand_of[a] != strand_of[b]),
        "leading": len({label[st.members[0]] for st in strands if st.members[0] in label}),
        "events": len({*label.values()}),
    }
    if verbose:
        out["by_strand"] = [[spec["same_event_labels"][label[k]] for k in st.members if k in label] for st in strands]
    return out


def show(name: str, result: dict) -> None:
    print(f"{name:<14} strands {result['strands']:3d}  labelled candidates {result['labelled']:3d}  "
          f"mixed pairs {result['mixed']:3d}  split pairs {result['split']:3d}  "
          f"events leading a strand {result['leading']} of {result['events']}")
    for n, labels in enumerate(result.get("by_strand", ())):
        if labels:
            print(f"    strand {n}: {'; '.join(labels)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="the events of every strand")
    args = parser.parse_args(argv)
    show(str(ROOT.name), purity(args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
