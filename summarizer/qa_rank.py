"""How the sentences that pass the answer gates are ranked (``summarizer.qa``), beyond the words they share.

A topic's common words match most of its sentences, so word overlap (BM25, TF-IDF cosine, the share of the
question's weighted words) often puts a sentence on the question's subject ahead of the one that answers it
("who won the whole tour in the end?" -> a sentence about the crowds watching a rider). Three things help,
measured on the tuning question sets with ``bench/encoders.py --qa-only``:

* the question's rarest word (the one the fewest sentences use) names what is specific to it: a sentence that
  holds it gains RAREST_BONUS;
* "Who is the national security adviser?" wants a name next to the role ("national security adviser Jake
  Sullivan"), not any sentence that mentions the role: such a sentence gains ROLE_BONUS;
* a "why" question wants a reason: a sentence with a strong reason cue ("because", "in an effort to",
  "explained", "suggesting") gains STRONG_REASON_BONUS, one with only a weak cue ("after", "following", "for
  violating", "as some hospitals ...") REASON_BONUS. A weak cue also marks a sequence, so the sentence that only
  restates the question's event often has one; the strong bonus outweighs that sentence's better word match
  (the why questions of the tuning sets: right sentence first 9 -> 16 of 30);
* a "when" question wants the day: a sentence that names a calendar day or a clock time ("on February 4", "June
  1", "on Friday", "14:52") gains DAY_BONUS over one that dates the event only loosely ("in November", "earlier
  today") (the eight tuning sets: right sentence first 197 -> 199 of 249 answered without MiniLM, 213 -> 214 of
  285 with it, none fewer; no question answered or refused differently);
* with a sentence encoder (MiniLM, when the ml extra is installed), the whole question's meaning: its cosine
  with each candidate joins the blend (``blend``), and the candidates include near misses, sentences that share
  less of the question's words (at least WIDE_MIN_COVERAGE of their weight) but pass every other gate, so that a
  sentence that says it in other words ("Alberto Contador of Spain has won the 2007 Tour de France") can be
  cited. Whether to answer is the gates' decision, taken before: the near misses only compete for the citation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from summarizer.dates import MONTH_RE, WEEKDAY_RE

# Weights of the blend without a sentence encoder: normalised BM25, TF-IDF cosine, coverage of the question.
LEXICAL = (0.4, 0.3, 0.3)
# With MiniLM: the same three parts and the MiniLM cosine (bench/encoders.py, dev/dev2/probe/heldout: word
# overlap counts for less once the encoder reads the whole question).
SEMANTIC = (0.15, 0.4, 0.3, 0.4)
RAREST_BONUS = 0.1
REASON_BONUS = 0.1
STRONG_REASON_BONUS = 0.35
DAY_BONUS = 0.1
ROLE_BONUS = 0.1  # "Who is the ROLE?": a sentence naming someone next to the role word (summarizer.qa names_holder)
# Near misses ranked with the encoder: body sentences covering at least this share of the question's weighted
# words, best covered first, at most WIDE_POOL of them; the gated candidates are capped at GATED_POOL for the
# encoder (the rest keep their lexical score), so MiniLM encodes at most a few dozen sentences per question.
WIDE_MIN_COVERAGE = 0.15
WIDE_POOL = 24
GATED_POOL = 16

# A reason clause, in two strengths. The weak cues also mark a sequence or a setting ("after", "following",
# "amid", "as the ..."), so a sentence that only restates the question's event often has one ("... particularly
# following Xi's standoff with Putin"); the strong ones say why and little else ("because", "in an effort to",
# "explained", "suggesting"), and so do purpose phrases ("pardoned as a gift to", "in retaliation for").
STRONG_REASON_RE = re.compile(
    r"\b(?:because|due to|owing to|thanks to|as a result|the result of|so that|so as to|in order to|"
    r"in an? (?:attempt|effort|bid) to|aimed at|reasons?|for fear|to avoid|to deter|to dissuade|to prevent|"
    r"caused by|blamed (?:on|for)|explain(?:s|ed|ing)|driving|prompted|prompting|suggesting|suggests that|"
    r"indicating|indicates that|motivated|in response to|in protest|in (?:retaliation|return|exchange) for|"
    r"as an? (?:gift|gesture|sign|token|mark|reward|punishment|warning)|on the occasion of|"
    r"arguing that|argued that|on the grounds that|citing|given that)\b",
    re.IGNORECASE,
)
WEAK_REASON_RE = re.compile(
    r"\b(?:since|amid|concerns?|after|following|for \w+ing|over (?:concerns?|fears?)|blamed|"
    r"as (?:some|the|a|it|they|he|she))\b",
    re.IGNORECASE,
)

_MONTH = MONTH_RE + r"\.?"
_WEEKDAY = WEEKDAY_RE
# A date to the day or the hour: "February 4", "4 February", "2022-02-04", "on Friday", "at 14:52", "9.47am".
DAY_RE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?!\w)|"
    r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b|"
    rf"\b(?:on|last|next|this)\s+{_WEEKDAY}\b|"
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)",
)


def rarest(alternatives: Sequence[set[str]], df: Mapping[str, int]) -> set[str]:
    """The terms of the question's rarest word among those the articles use (fewest sentences; the first of equals)."""
    best: tuple[int, set[str]] | None = None
    for terms in alternatives:
        used = [df[t] for t in terms if df.get(t)]
        if used and (best is None or max(used) < best[0]):
            best = (max(used), {t for t in terms if df.get(t)})
    return best[1] if best else set()


def reason_bonus(sentence: str) -> float:
    """What a sentence gains on a "why" question for the reason clause it holds (none, a weak or a strong cue)."""
    if STRONG_REASON_RE.search(sentence):
        return STRONG_REASON_BONUS
    return REASON_BONUS if WEAK_REASON_RE.search(sentence) else 0.0


def day_bonus(sentence: str) -> float:
    """What a sentence gains on a "when" question for naming a day or an hour, not just a month or "today"."""
    return DAY_BONUS if DAY_RE.search(sentence) else 0.0


def blend(bm25: float, tfidf: float, coverage: float, meaning: float | None) -> float:
    """The ranking score of one sentence from its parts; ``meaning`` is the sentence encoder's cosine, if any."""
    if meaning is None:
        a, b, c = LEXICAL
        return a * bm25 + b * tfidf + c * coverage
    a, b, c, d = SEMANTIC
    return a * bm25 + b * tfidf + c * coverage + d * meaning
