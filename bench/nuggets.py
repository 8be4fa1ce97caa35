"""Nugget benchmark: does a brief carry the facts a reader needs, in few words, without telling one twice?

The nugget sets (bench/data/nuggets/nuggets.json, see its README) list the facts of the seed topic and of five
MultiLing 2011 clusters. For every system this prints, averaged over the clusters: words, nugget recall (share
of the facts the text carries), recall per 100 words, and repeats (facts matched by two or more separate
points or sentences: one event told twice).

Three modes:
- generic: our brief (lead + points, full and short), our 250-word summary, sumy's LexRank at the length of
  our full brief and at 250 words, and, with ``--baseline DIR``, the brief and summary of another checkout of
  this project (e.g. the main branch: the engine before this change), run in a subprocess on the same data;
- focus: for each hand-written question, recall of the nuggets that answer it, for our focused brief and
  100-word focused summary next to the generic ones (and sumy at the same length), the briefs also at equal
  length (both cut to the shorter one's words) and cut to their first 100 words (does the answer come
  first?), and with ``--baseline`` the other checkout's focused ones;
- update: each MultiLing cluster's articles in date order, the first half read before; "new" nuggets are
  those only the second half carries. Recall of new nuggets and count of old ones repeated, for our update
  summary (100 words, ``previous_documents``) and update brief next to the generic ones on the second half.

    .venv/bin/python bench/nuggets.py [--baseline /path/to/other/checkout] [--no-sumy] [--smoke]
                                      [--nuggets PATH] [--focus-nuggets PATH] [--only generic|focus|update]
                                      [--encoder tfidf|minilm] [--verbose]

``--nuggets`` replaces nuggets.json (generic, focus and update read it), ``--focus-nuggets`` replaces the
held-out focus questions (heldout.json); heldout2.json / heldout2_focus.json are sets written later, see the README.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NUGGETS = ROOT / "bench" / "data" / "nuggets" / "nuggets.json"
# Focus questions written before the focus ranking was reworked, on clusters not looked at while changing it.
HELDOUT = ROOT / "bench" / "data" / "nuggets" / "heldout.json"
MULTILING = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"


@dataclass(frozen=True)
class Cluster:
    id: str
    docs: list[dict]  # {"id", "text", "published"}: text is the raw document (title line first)
    nuggets: list[dict]
    questions: list[dict]


def load(path: Path = NUGGETS) -> list[Cluster]:
    from summarizer.articles import load_articles
    from summarizer.dates import document_date

    spec = json.loads(path.read_text(encoding="utf-8"))
    if "source" in spec:  # one cluster's file (seeds_strands.json)
        spec = {spec["source"]: spec}
    multiling = {c["id"]: c for c in map(json.loads, MULTILING.read_text(encoding="utf-8").splitlines())}
    out = []
    for name, entry in spec.items():
        if entry["source"] == "seeds":
            docs = [{"id": a.id, "text": f"{a.title}\n\n{a.body}", "published": a.published}
                    for a in load_articles(ROOT / "seeds").articles]
        else:
            raw = multiling[entry["source"].split(":", 1)[1]]["documents"]
            docs = [{"id": d["docno"], "text": d["text"], "published": str(document_date(d["text"]) or "") or None}
                    for d in raw]
        out.append(Cluster(name, docs, entry["nuggets"], entry.get("questions", [])))
    return out


def _pattern(alternative: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(alternative.lower()))


def matches(nugget: dict, text: str) -> bool:
    low = text.lower().replace("\u2019", "'")
    return all(any(_pattern(alt).search(low) for alt in group) for group in nugget["match"])


def score(nuggets: Sequence[dict], units: Sequence[str]) -> tuple[float, int, int]:
    """(recall, words, repeats) of a text given as units (points or sentences)."""
    text = " ".join(units)
    found = [n for n in nuggets if matches(n, text)]
    repeats = sum(1 for n in found if sum(matches(n, u) for u in units) >= 2)
    return len(found) / max(1, len(nuggets)), len(text.split()), repeats


def show_repeats(cluster: str, system: str, nuggets: Sequence[dict], units: Sequence[str]) -> None:
    """Print the nuggets a text tells more than once and the units (0: the lead) that tell each: what
    ``--verbose`` shows, to see why a fact is told twice."""
    for n in nuggets:
        where = [k for k, u in enumerate(units) if matches(n, u)]
        if len(where) >= 2:
            print(f"  [{cluster} {system}] repeat {n['id']}: units {where}")
            for k in where:
                print(f"      {k}: {units[k]}")


def articles_of(cluster: Cluster) -> list:
    from summarizer.articles import parse_article

    out = []
    for d in cluster.docs:
        article, _ = parse_article(d["text"].encode("utf-8"), d["id"])
        if article is not None:
            out.append(replace(article, published=d["published"]))
    return out


def brief_units(brief) -> list[str]:
    return [brief.summary, *(p.text for p in brief.points)]


def sentences(text: str) -> list[str]:
    from summarizer.text import split_sentences

    return split_sentences(text)


def sumy(words: int, texts: Sequence[str]) -> str:
    from bench.quality import sumy_system

    global _SUMY
    if "_SUMY" not in globals():
        _SUMY = sumy_system("lexrank")
    cut = _SUMY(texts, words).split()[:words]
    return " ".join(cut)


# The baseline scripts run inside another checkout (its summarizer, not this one's), so they are text, not
# imports; both start with this loader of the clusters' articles.
_BASELINE_LOADER = r"""
import json, sys
from dataclasses import replace
from summarizer.articles import parse_article
from summarizer.brief import build_brief, summarize_documents


def articles(cluster):
    arts = []
    for d in cluster["docs"]:
        a, _ = parse_article(d["text"].encode("utf-8"), d["id"])
        if a is not None:
            arts.append(replace(a, published=d["published"]))
    return arts

"""

BASELINE_SCRIPT = _BASELINE_LOADER + r"""
out = {}
for c in json.load(open(sys.argv[1])):
    arts = articles(c)
    b = build_brief(c["id"], c["id"], arts)
    s = build_brief(c["id"], c["id"], arts, length="short")
    out[c["id"]] = {"brief": [b.summary] + [p.text for p in b.points],
                    "short": [s.summary] + [p.text for p in s.points],
                    "summary250": summarize_documents([d["text"] for d in c["docs"]], 250)}
print(json.dumps(out))
"""

# Focus mode of another checkout: for every question, its focused brief (lead + points) and 100-word summary.
FOCUS_BASELINE_SCRIPT = _BASELINE_LOADER + r"""
from summarizer.encoders import LRUVectorStore, get_encoder
encoder = get_encoder(sys.argv[2], **({"store": LRUVectorStore()} if sys.argv[2] == "minilm" else {}))
out = {}
for c in json.load(open(sys.argv[1])):
    arts = articles(c)
    texts = [d["text"] for d in c["docs"]]
    for q in c["questions"]:
        b = build_brief(c["id"], c["id"], arts, focus=q, encoder=encoder)
        out[c["id"] + "\t" + q] = {"brief": [b.summary] + [p.text for p in b.points],
                                    "summary100": summarize_documents(texts, 100, query=q, encoder=encoder)}
print(json.dumps(out))
"""


def baseline(clusters: Sequence[Cluster], checkout: Path, script: str = BASELINE_SCRIPT,
             args: Sequence[str] = ()) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([{"id": c.id, "docs": c.docs, "questions": [q["q"] for q in c.questions]} for c in clusters],
                  handle)
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    try:
        result = subprocess.run([sys.executable, "-c", script, handle.name, *args], capture_output=True,
                                text=True, cwd=checkout, env=env, timeout=600)
    finally:
        os.unlink(handle.name)
    if result.returncode != 0:
        raise SystemExit(f"baseline failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def table(title: str, rows: dict[str, list[tuple[float, int, int]]], note: str = "") -> None:
    print(f"\n{title}")
    print(f"{'system':<42}{'words':>7}{'recall':>8}{'per 100 w':>11}{'repeats':>9}")
    for name, values in rows.items():
        words = statistics.mean(v[1] for v in values)
        recall = statistics.mean(v[0] for v in values)
        per100 = statistics.mean(100 * v[0] / max(1, v[1]) for v in values)
        repeats = statistics.mean(v[2] for v in values)
        print(f"{name:<42}{words:>7.0f}{100 * recall:>7.1f}%{100 * per100:>10.1f}%{repeats:>9.2f}")
    if note:
        print(note)


def generic(clusters: Sequence[Cluster], use_sumy: bool, base: dict | None, verbose: bool = False) -> None:
    from summarizer.brief import build_brief, summarize_documents

    rows: dict[str, list[tuple[float, int, int]]] = {}

    def add(name: str, value: tuple[float, int, int]) -> None:
        rows.setdefault(name, []).append(value)

    for c in clusters:
        arts = articles_of(c)
        full = build_brief(c.id, c.id, arts)
        short = build_brief(c.id, c.id, arts, length="short")
        for name, brief in (("full", full), ("short", short)):
            units = brief_units(brief)
            value = score(c.nuggets, units)
            add(f"ours: brief ({name})", value)
            if verbose:
                print(f"[{c.id} {name}] recall {100 * value[0]:.1f}% words {value[1]} repeats {value[2]}")
                show_repeats(c.id, name, c.nuggets, units)
        summary = summarize_documents([d["text"] for d in c.docs], 250)
        add("ours: summary 250", score(c.nuggets, sentences(summary)))
        if base is not None:
            add("baseline: brief (full)", score(c.nuggets, base[c.id]["brief"]))
            add("baseline: brief (short)", score(c.nuggets, base[c.id]["short"]))
            add("baseline: summary 250", score(c.nuggets, sentences(base[c.id]["summary250"])))
        if use_sumy:
            words = len(" ".join(brief_units(full)).split())
            texts = [d["text"] for d in c.docs]
            add("sumy lexrank @ our full brief's words", score(c.nuggets, sentences(sumy(words, texts))))
            add("sumy lexrank 250", score(c.nuggets, sentences(sumy(250, texts))))
    table(f"GENERIC: {len(clusters)} clusters ({', '.join(c.id for c in clusters)}), "
          f"{sum(len(c.nuggets) for c in clusters)} nuggets", rows)


def cut(units: Sequence[str], words: int) -> list[str]:
    """The first ``words`` words of a text given as units, in order (the last unit kept is cut short): what a
    reader who stops after that many words has read, so two texts are compared at one length."""
    out: list[str] = []
    left = words
    for unit in units:
        if left <= 0:
            break
        tokens = unit.split()
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


def focus(clusters: Sequence[Cluster], use_sumy: bool, label: str = "hand-written",
          base: dict | None = None, encoder_name: str = "tfidf") -> None:
    """Recall of each question's nuggets. Briefs are compared at their own lengths and at one length: every
    focused brief cut to its generic brief's words (and the generic one to the focused one's, when shorter),
    so a longer brief cannot win by length alone. The generic brief is this checkout's (the baseline's
    focused briefs are compared with it too: a focus change must leave the generic brief as it was)."""
    from summarizer.brief import build_brief, summarize_documents

    encoder = encoder_for(encoder_name)
    rows: dict[str, list[tuple[float, int, int]]] = {}

    def add(name: str, value: tuple[float, int, int]) -> None:
        rows.setdefault(name, []).append(value)

    count = 0
    outcome: dict[str, list[int]] = {}  # per question: +1 focused ahead of generic at equal words, -1 behind
    for c in clusters:
        if not c.questions:
            continue  # a generic-only nugget set (e.g. heldout2.json): nothing to ask
        arts = articles_of(c)
        plain = brief_units(build_brief(c.id, c.id, arts, encoder=encoder))
        plain_words = len(" ".join(plain).split())
        texts = [d["text"] for d in c.docs]
        generic100 = summarize_documents(texts, 100, encoder=encoder)
        for question in c.questions:
            count += 1
            wanted = [n for n in c.nuggets if n["id"] in question["nuggets"]]
            brief = build_brief(c.id, c.id, arts, focus=question["q"], encoder=encoder)
            focused = brief_units(brief)
            # what the brief shows as its answer: the lead and the points under "Answer" (not the context)
            answer = [brief.summary, *(p.text for p in brief.points if p.answers is not False)]
            add("ours: focused brief, answer part only", score(wanted, answer))
            systems = {"ours": focused}
            if base is not None:
                systems["baseline"] = base[f"{c.id}\t{question['q']}"]["brief"]
            for name, units in systems.items():
                equal = min(plain_words, len(" ".join(units).split()))
                add(f"{name}: focused brief", score(wanted, units))
                mine, theirs = score(wanted, cut(units, equal)), score(wanted, cut(plain, equal))
                add(f"{name}: focused brief @ equal words", mine)
                add(f"{name}: generic brief @ equal words", theirs)
                ahead = mine[0] - theirs[0]
                add(f"{name}: focused brief @ first 100 words", score(wanted, cut(units, 100)))
                outcome.setdefault(name, []).append((ahead > 0) - (ahead < 0))
            add("generic brief (full)", score(wanted, plain))
            add("generic brief @ first 100 words", score(wanted, cut(plain, 100)))
            add("ours: focused summary 100", score(wanted, sentences(summarize_documents(
                texts, 100, query=question["q"], encoder=encoder))))
            if base is not None:
                add("baseline: focused summary 100",
                    score(wanted, sentences(base[f"{c.id}\t{question['q']}"]["summary100"])))
            add("generic summary 100", score(wanted, sentences(generic100)))
            if use_sumy:
                add("sumy lexrank 100 (no query)", score(wanted, sentences(sumy(100, texts))))
    table(f"FOCUS: {count} {label} questions on {len(clusters)} clusters, {encoder_name} encoder (recall of the "
          "nuggets that answer each; '@ equal words': the focused and generic briefs cut to the shorter one's "
          "length)", rows)
    for name, signs in outcome.items():
        print(f"  {name}: focused vs generic brief at equal words, per question: {signs.count(1)} ahead, "
              f"{signs.count(0)} level, {signs.count(-1)} behind")


def encoder_for(name: str):  # noqa: ANN201 - an Encoder; minilm gets a vector cache shared by all briefs
    from summarizer.encoders import LRUVectorStore, get_encoder

    return get_encoder(name, **({"store": LRUVectorStore()} if name == "minilm" else {}))


def update(clusters: Sequence[Cluster]) -> None:
    from summarizer.brief import Seen, build_brief, summarize_documents

    rows: dict[str, list[tuple[float, int, int]]] = {}
    old_told: dict[str, list[int]] = {}
    used = []
    for c in clusters:
        if not all(d["published"] for d in c.docs):
            continue  # no dates, no "before"
        docs = sorted(c.docs, key=lambda d: d["published"])
        half = len(docs) // 2
        before, after = docs[:half], docs[half:]
        seen_text = " ".join(d["text"] for d in before)
        new_text = " ".join(d["text"] for d in after)
        old = [n for n in c.nuggets if matches(n, seen_text)]
        new = [n for n in c.nuggets if matches(n, new_text) and not matches(n, seen_text)]
        if not new:
            continue
        used.append(c.id)
        arts = articles_of(Cluster(c.id, docs, c.nuggets, []))
        read = frozenset(a.id for a in arts[:half])
        systems: dict[str, list[str]] = {
            "ours: update summary 100": sentences(summarize_documents([d["text"] for d in after], 100,
                                                                      previous=[d["text"] for d in before])),
            "ours: generic summary 100 (new half)": sentences(summarize_documents([d["text"] for d in after], 100)),
            "ours: update brief (full)": brief_units(build_brief(c.id, c.id, arts, previous=Seen(read))),
            "ours: generic brief (new half)": brief_units(build_brief(c.id, c.id, arts[half:])),
        }
        for name, units in systems.items():
            rows.setdefault(name, []).append(score(new, units))
            text = " ".join(units)
            old_told.setdefault(name, []).append(sum(matches(n, text) for n in old))
    table(f"UPDATE: clusters {', '.join(used)} in date order, first half read; recall of the nuggets only "
          "the second half carries", rows)
    for name, counts in old_told.items():
        print(f"  {name:<40} already-read nuggets told again: {statistics.mean(counts):.2f} per cluster")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="another checkout of this project to compare with")
    parser.add_argument("--no-sumy", action="store_true")
    parser.add_argument("--only", choices=("generic", "focus", "update"))
    parser.add_argument("--smoke", action="store_true", help="the seeds and two clusters only (CI)")
    parser.add_argument("--nuggets", type=Path, default=NUGGETS, help="nugget sets (default: nuggets.json)")
    parser.add_argument("--focus-nuggets", type=Path, default=HELDOUT,
                        help="held-out focus questions (default: heldout.json)")
    parser.add_argument("--encoder", choices=("tfidf", "minilm"), default="tfidf",
                        help="the sentence encoder of the focus mode's briefs and summaries (both checkouts)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="generic mode: per cluster, each brief's recall, words and repeats, and the units "
                             "that tell each repeated nugget")
    args = parser.parse_args(argv)
    clusters = load(args.nuggets)
    if args.smoke:
        clusters = clusters[:3]
    base = baseline(clusters, args.baseline) if args.baseline and args.only in (None, "generic") else None
    focus_sets = [(clusters, "hand-written")] + ([] if args.smoke else [(load(args.focus_nuggets), "held-out")])

    def run_focus() -> None:
        for chosen, label in focus_sets:
            focus_base = baseline(chosen, args.baseline, FOCUS_BASELINE_SCRIPT, [args.encoder]) \
                if args.baseline else None
            focus(chosen, not args.no_sumy, label, focus_base, args.encoder)

    modes: dict[str, Callable[[], None]] = {
        "generic": lambda: generic(clusters, not args.no_sumy, base, args.verbose),
        "focus": run_focus,
        "update": lambda: update([c for c in clusters if c.id != "seeds"]),
    }
    for name, run in modes.items():
        if args.only in (None, name):
            run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
