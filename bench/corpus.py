"""Synthetic news corpus for the scale benchmark, made of real sentences (MultiLing 2011, read in place).

Structure: the 100 MultiLing source articles are 100 *stories*; the 10 MultiLing topics group them into 10
*groups* of related stories (same event, shared vocabulary: a realistic hard case for clustering). Each
synthetic article retells one story: its title (sometimes with an outlet suffix), the lead sentence most of
the time, 60-90% of the story's other sentences in order, now and then a sentence from a sibling story,
and boilerplate lines (newsletter prompts, share buttons) a loader should drop. A controlled share of
articles are exact re-posts of an earlier one under another URL (ingest must store them once).

The data is read from bench/data/multiling2011_en (CC BY 3.0, see its README.md). ``python -m bench.corpus N OUT``
writes N articles as front-matter .txt files plus ``OUT.truth.jsonl`` (id, url, story, group,
duplicate_of); ingest gives articles its own ids, so the URL is what links a stored article to its truth.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "bench" / "data" / "multiling2011_en" / "multiling2011_en.jsonl"
OUTLETS = ["Daily Ledger", "Morning Post", "Civic Wire", "Harbour Times", "Valley News", "Metro Record"]
BOILERPLATE = [
    "Sign up for our morning newsletter to get the day's top stories.",
    "Advertisement",
    "Share this article on Facebook, Twitter or by email.",
    "Click here to read more of our coverage.",
    "Copyright 2024. All rights reserved.",
    "Follow us on social media for the latest updates.",
]
_DATE_PREFIX = re.compile(r"^\d{4}/\d{2}/\d{2}\s+")


@dataclass(frozen=True)
class Story:
    key: str  # the MultiLing document number
    group: str  # the MultiLing topic id
    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Synthetic:
    id: str
    title: str
    body: str
    outlet: str
    url: str
    published: str
    story: str
    group: str
    duplicate_of: str | None = None


def load_stories(source: Path = DEFAULT_SOURCE) -> tuple[list[Story], list[dict]]:
    """The 100 stories and the raw MultiLing clusters (for their reference summaries)."""
    from summarizer.text import split_sentences

    if not source.is_file():
        raise SystemExit(f"MultiLing data not found at {source} (see bench/data/multiling2011_en/README.md)")
    clusters = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    stories = []
    for cluster in clusters:
        for doc in cluster["documents"]:
            lines = [line.strip() for line in doc["text"].strip().split("\n") if line.strip()]
            title = _DATE_PREFIX.sub("", lines[0])
            body = [line for line in lines[1:] if not re.fullmatch(r"\w+day, \w+ \d+, \d{4}", line)]
            sentences = tuple(s for s in split_sentences("\n".join(body)) if len(s.split()) >= 4)
            stories.append(Story(doc["docno"], cluster["id"], title, sentences))
    return stories, clusters


def story_sizes(total: int, stories: int, rng: random.Random) -> list[int]:
    """Articles per story: uneven (a few big stories, many small ones), summing to ``total``."""
    weights = [1.0 / (rank + 1) ** 0.6 for rank in range(stories)]
    rng.shuffle(weights)
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    for i in range(total - sum(sizes)):
        sizes[i % stories] += 1
    while sum(sizes) > total:
        sizes[sizes.index(max(sizes))] -= 1
    return sizes


def generate(total: int, seed: int = 13, duplicate_rate: float = 0.05, source: Path = DEFAULT_SOURCE,
             even: bool = False) -> list[Synthetic]:
    """``total`` articles (including ``duplicate_rate`` exact re-posts) over the 100 stories."""
    rng = random.Random(seed)
    stories, _ = load_stories(source)
    by_group: dict[str, list[Story]] = {}
    for story in stories:
        by_group.setdefault(story.group, []).append(story)
    originals = total - int(total * duplicate_rate)
    sizes = [originals // len(stories)] * len(stories) if even else story_sizes(originals, len(stories), rng)
    for i in range(originals - sum(sizes)):
        sizes[i] += 1
    out: list[Synthetic] = []
    for story, size in zip(stories, sizes, strict=True):
        siblings = [s for s in by_group[story.group] if s.key != story.key]
        for n in range(size):
            out.append(_retell(story, siblings, n, rng))
    rng.shuffle(out)
    for n in range(total - originals):
        copied = out[rng.randrange(len(out))]
        out.append(Synthetic(f"dup{n:05d}-{copied.id}", copied.title, copied.body, rng.choice(OUTLETS),
                             f"https://mirror{n % 7}.example/{copied.id}", copied.published, copied.story,
                             copied.group, duplicate_of=copied.id))
    return out


def _retell(story: Story, siblings: list[Story], n: int, rng: random.Random) -> Synthetic:
    lead, rest = story.sentences[0], list(story.sentences[1:])
    keep = sorted(rng.sample(range(len(rest)), k=max(1, int(len(rest) * rng.uniform(0.6, 0.9))))) if rest else []
    lines = ([lead] if rng.random() < 0.8 or not keep else []) + [rest[i] for i in keep]
    if siblings and rng.random() < 0.3:
        other = rng.choice(siblings)
        if other.sentences:
            lines.insert(rng.randrange(1, len(lines) + 1), rng.choice(other.sentences))
    for _ in range(rng.choice((0, 1, 1, 2))):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(BOILERPLATE))
    outlet = rng.choice(OUTLETS)
    title = story.title if rng.random() < 0.6 else f"{story.title} - {outlet}"
    ident = f"{story.key.split('.')[0].lower()}-{n:04d}"
    day = 1 + (n % 27)
    return Synthetic(ident, title, "\n".join(lines), outlet, f"https://{outlet.split()[0].lower()}.example/{ident}",
                     f"2024-03-{day:02d}T{8 + n % 10:02d}:00:00+00:00", story.key, story.group)


def write(articles: list[Synthetic], folder: Path) -> None:
    """Front-matter .txt files (the format `briefbot ingest` reads) and the ground truth next to them."""
    from summarizer.articles import Article
    from summarizer.ingest import to_front_matter

    folder.mkdir(parents=True, exist_ok=True)
    with (folder.parent / f"{folder.name}.truth.jsonl").open("w", encoding="utf-8") as truth:
        for item in articles:
            article = Article(item.id, item.title, item.body, item.outlet, item.url, item.published)
            (folder / f"{item.id}.txt").write_text(to_front_matter(article), encoding="utf-8")
            truth.write(json.dumps({"id": item.id, "url": item.url, "story": item.story, "group": item.group,
                                    "duplicate_of": item.duplicate_of}) + "\n")


def write_story_topic(articles: list[Synthetic], path: Path) -> list[str]:
    """A named topic the size of one story (about 1% of the corpus), written to ``path`` as topics.toml: the two
    words of the first article's title that the fewest other titles use. Returns those keywords."""
    from summarizer.analyzer import STOP_WORDS
    from summarizer.text import words

    df: dict[str, int] = {}
    for item in articles:
        for w in set(words(item.title)):
            df[w] = df.get(w, 0) + 1
    title_words = {w for w in words(articles[0].title) if w not in STOP_WORDS and len(w) > 3}
    keywords = sorted(title_words, key=lambda w: (df.get(w, 0), w))[:2]
    path.write_text(f'[bench-story]\ntitle = "Bench story"\nkeywords = {json.dumps(keywords)}\n')
    return keywords


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("total", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--duplicates", type=float, default=0.05)
    args = parser.parse_args()
    write(generate(args.total, args.seed, args.duplicates), args.out)
    print(f"wrote {args.total} articles to {args.out}")


if __name__ == "__main__":
    main()
