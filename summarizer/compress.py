"""Sentence compression of a brief's points: words that tell the reader nothing, cut by safe, general rules.

A point is an article sentence, and an article wraps its facts in words a brief does not need: an attribution
to nobody in particular ("..., according to administration officials." / "..., officials said.") and a frame
that only points back to the story's main event ("News of the meeting comes days after X" says X). Cutting
them frees words for another strand of the story within the same budget (the caller counts the compressed
words). Each rule keeps a grammatical sentence and the fact:

* **Anonymous attribution tail.** A trailing ", according to <unnamed source>" or ", <unnamed source> said"
  where the source names nobody (officials, sources, an official, people familiar with ...): the reader
  learns no one from it, and the point cites its article. A named source ("the White House said", "according
  to Chinese state media", "Psaki said") is kept: who says it is part of the claim.
* **Back-pointing frame.** "News of / Word of / Reports of the <event> come(s) [days] after|as <clause>": the
  frame refers to an event told elsewhere (the lead) and the clause is a sentence of its own; the point keeps
  the clause. Only when what follows is a full clause (it has a verb), never a bare noun ("comes after the
  summit").
* **Additive "also".** "A steel plaque with the victims' names was also unveiled" adds to a fact the article
  told before, which a point standing alone never shows (what else was unveiled?); without the word it tells
  the same fact. Not in a name ("also known as") nor in "not only ... but also".

Cost: a few regular expressions per point, linear in its length.
"""

from __future__ import annotations

import re

from summarizer.text import inside_quotation

# An unnamed source: officials or sources, qualified by who they work for or how many, never by a name.
_QUALIFIER = (r"(?:senior|top|administration|government|U\.S\.|US|American|Western|western|European|intelligence|"
              r"military|defen[cs]e|security|current|former|other|several|some|two|three|four|unnamed|anonymous|"
              r"local|police|diplomatic|the)")
_UNNAMED = (rf"(?:(?:{_QUALIFIER}\s+){{0,3}}(?:officials|sources|diplomats|analysts)"
            rf"|(?:an?|one|another)\s+(?:{_QUALIFIER}\s+){{0,3}}(?:official|source|diplomat)"
            r"|(?:people|persons|sources)\s+(?:familiar with|briefed on|close to)\s+[\w\s'-]{1,40}?)")
_ATTRIBUTION_TAIL = re.compile(rf",\s+(?:according to\s+{_UNNAMED}|{_UNNAMED}\s+(?:said|say|says|added))"
                               r"(?P<end>\s*[.!]?[\"')\]]*\s*)$")

_FRAME = re.compile(r"^(?:News|Word|Reports?|Talk) of (?:the|this|that|his|her|their) (?:[\w'-]+ ){0,3}?"
                    r"(?:comes?|came) (?:(?:just|only|a|a few|two|three|several|days?|weeks?|hours?|months?)\s+){0,3}"
                    r"(?:after|as|while|when)\s+(?P<rest>.+)$")
# A clause, not a noun phrase: a finite verb or an auxiliary somewhere in what follows the frame.
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|can|may|might|did|does|do|said|says|"
                     r"held|met|made|told|took|gave|went|came|left|won|lost|struck|fled|shot|sent|spoke|began|led|"
                     r"fell|hit|put|set|ran|brought|fought|sought|found|kept|paid|sold|stood|built|broke|chose|"
                     r"drew|drove|flew|grew|knew|threw|wrote|rose|saw|became|[a-z]{3,}ed)\b")
MIN_CLAUSE_WORDS = 6  # a frame's rest shorter than this is rarely a sentence of its own


def drop_attribution_tail(text: str) -> str:
    """``text`` without a trailing attribution to an unnamed source (see the module docstring)."""
    match = _ATTRIBUTION_TAIL.search(text)
    if match is None:
        return text
    head = text[:match.start()].rstrip()
    end = match.group("end").strip() or ""
    if len(head.split()) < MIN_CLAUSE_WORDS:
        return text
    return head + (end if end else "")


def drop_frame(text: str) -> str:
    """``text`` without a leading frame that only points back to another event (see the module docstring)."""
    match = _FRAME.match(text)
    if match is None:
        return text
    rest = match.group("rest")
    if len(rest.split()) < MIN_CLAUSE_WORDS or not _FINITE.search(rest):
        return text
    return rest[:1].upper() + rest[1:]


# "was also unveiled", "police also found": an "also" inside the sentence, before a lower-case word, and not
# after "but" ("not only ... but also") nor before a naming verb ("also known as").
_ALSO = re.compile(r"(?<=\w)(?<!\bbut)\s+also(?=\s+(?!(?:known|called|named|spelled|spelt|dubbed|referred)\b)"
                   r"[a-z])")


def drop_additive_also(text: str) -> str:
    """``text`` without an "also" that adds to something told before (see the module docstring); never inside
    a quotation, whose words are the speaker's."""
    return _ALSO.sub(lambda m: m.group() if inside_quotation(text, m.start()) else "", text)


def compress(text: str) -> str:
    """The point as shown: ``text`` with the rules above applied (unchanged when none applies)."""
    return drop_additive_also(drop_attribution_tail(drop_frame(text)))
