"""Boilerplate removal: general rules for what web pages wrap around an article, never a list of known pages.

Each rule looks at one line (a paragraph) and says why it is not article text: a share or comment prompt,
navigation, a tag list, a photo caption, a headline of another story, an ad marker, a time stamp, a
disclaimer, a repeat of the title. The count of dropped lines is kept so a brief can say how much was removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.analyzer import words, wordset
from summarizer.dates import MONTH_RE, WEEKDAY_RE

_I = re.IGNORECASE

# Whole-line prompts and navigation (short lines only, so a sentence that merely mentions them survives).
_PROMPTS = re.compile(
    r"^[^\w\"]*(?:"
    r"leave a (?:reply|comment)|post a comment|add a comment|\d*\s*comments?|comments? \(\d+\)|"
    r"please enter your (?:comment|name|email)[\w !]*|your email address will not be published[\w .]*|"
    r"required fields are marked.*|save my name.*|cancel reply|"
    r"(?:sign up|subscribe)\b.*(?:newsletter|updates|inbox|free).*|newsletter.*|"
    r"share (?:this|on|via)\b.*|share|tweet|email|print|follow us\b.*|"
    r"click here\b.*|read more\b.*|continue reading\b.*|read the full\b.*|related(?: articles| stories| coverage)?:?.*|"
    r"(?:most (?:popular|read|viewed|shared)|trending(?: now)?|load more|see all\b.*|show more|"
    r"recent (?:comments|posts)|top stories|more stories|you may also like|recommended(?: for you)?|"
    r"latest news|editor'?s picks?|what to read next)\W*|"
    r"(?:home|news)\s*(?:[>/|»›]\s*[\w .-]+)+|"
    r"[-\s]*advert\w*[-\s]*|sponsored(?: content)?|"
    r"(?:now )?loading\W*|skip to (?:main )?content|back to top|"
    r"(?:all rights reserved|copyright|\(c\)|©).*"
    r")\W*$",
    _I,
)
_STAMP = re.compile(
    r"^(?:last )?(?:updated|published|posted|modified|first published)\b[\w ,:.\-/]*"
    r"(?:\d{1,2}:\d{2}|a\.m\.|p\.m\.|\d{4}|ago|today|yesterday)[\w ,:.\-/()]*$",
    _I,
)
_TAGS = re.compile(r"^(?:tags?|topics?|filed under|categories|related topics|keywords)\b:?\s", _I)
_CREDIT = re.compile(
    r"(?:^|\s)(?:\w+ )?(?:reporting|writing|editing)(?: by [\w .,'-]+| contributed\b)|contributed to this report|"
    r"contributed reporting",
    _I,
)
_DISCLAIMER = re.compile(
    r"views (?:and opinions )?expressed|does not (?:always )?(?:necessarily )?(?:share|endorse|reflect)|"
    r"opinions expressed (?:here|in this)|for informational purposes only|affiliate (?:links?|commission)",
    _I,
)
# A caption ends with a parenthesised credit: "(Reuters: Jane Doe)", "(AP Photo/John Roe)", "(Getty Images)".
_CAPTION = re.compile(
    r"\((?:[\w .'-]*(?:photo|image|picture|credit|getty|reuters|ap|afp|epa|supplied|file|pool)[\w .'-]*"
    r"(?:[:/][\w .,'/-]+)?|[A-Z][\w.'-]*: [A-Z][\w .'-]+)\)\W*$",
    _I,
)
_CAPTION_LEAD = re.compile(r"^(?:photo|image|picture|file photo|caption|credit)\s*[:|/]", _I)
_URL_ONLY = re.compile(r"^\W*(?:https?://|www\.)\S++\W*$", _I)  # possessive: linear on one long token
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_SMALL_WORDS = wordset("a an and as at but by for from in of on or the to vs with via")


# Bounds that keep every rule linear on hostile lines (one 2 MB "word", a line of a million "!"): the
# whole-line rules run only on lines short in characters as well as in words, and a caption's credit is
# looked for in the line's tail, where it stands.
_SHORT_CHARS = 400
_LONG_CHARS = 2000
_CAPTION_TAIL = 300


def boilerplate_reason(line: str) -> str | None:
    """Why ``line`` (one paragraph, already normalised) is not article text; None when it is."""
    tokens = line.split()
    n = len(tokens)
    short, long_ = len(line) <= _SHORT_CHARS, len(line) <= _LONG_CHARS
    if not re.search(r"[A-Za-z]", line):
        return "no words"
    if _URL_ONLY.match(line):
        return "bare link"
    if n <= 14 and short and _PROMPTS.match(line):
        return "prompt or navigation"
    if n <= 14 and short and _STAMP.match(line):
        return "time stamp"
    if long_ and _TAGS.match(line) and not _SENTENCE_END.search(line):
        return "tag list"
    if n <= 25 and long_ and _CREDIT.search(line) and not line.startswith('"'):
        return "credit line"
    if n <= 60 and long_ and _DISCLAIMER.search(line):
        return "disclaimer"
    if _CAPTION.search(line[-_CAPTION_TAIL:]) or (n <= 30 and short and _CAPTION_LEAD.match(line)):
        return "photo caption"
    return _headline_reason(line, tokens)


def _headline_reason(line: str, tokens: Sequence[str]) -> str | None:
    """Headlines of other stories and section titles: short, no sentence ending, all caps or title case."""
    n = len(tokens)
    if _SENTENCE_END.search(line) or n > 20:
        return None
    letters = [c for c in line if c.isalpha()]
    if n >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return "all-caps headline"
    if n <= 6:
        return "heading"
    significant = [t for t in tokens if t.lower() not in _SMALL_WORDS and t[:1].isalpha()]
    if significant and sum(t[:1].isupper() for t in significant) >= 0.75 * len(significant):
        return "title-case headline"
    return None


# Wire datelines at the start of a story: "BONN, October 10 (Xinhua) --", "WASHINGTON \u2014", "LONDON (Reuters) -",
# "NEW YORK, Jan. 5, 2020 (AP) \u2014", "TEXAS, US -". A place in capitals, optionally a region, a date and an
# agency, then a dash or colon. A place in title case ("Beijing, March 5 (Xinhua) --") counts only with a date
# or an agency after it, so an ordinary sentence opening ("Officials - ...") is never taken for one.
_MONTHS_RE = MONTH_RE + r"\.?"  # the calendar's names and abbreviations ("Jan.", "Sept"), one table for all
_WIRE_DATE = rf"(?:,?\s+(?:{WEEKDAY_RE},?\s+)?{_MONTHS_RE}\s+\d{{1,2}}(?:,?\s+\d{{4}})?)"
_AGENCY = r"(?:\s*\((?:[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\))"
_SEPARATOR = r"\s*(?:--?|[\u2014\u2013]|_|:)\s+"
_CAPS_PLACE = r"[A-Z][A-Z.'-]{2,}(?:\s+[A-Z][A-Z.'-]+){0,3}"
_REGION = r"(?:,\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?)"
_TITLE_PLACE = r"[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){0,2}"
# A page's date run into its first sentence: "Saturday, March 26, 2005 Up to four times as many ..." (a
# weekday and a year around it, then a capitalised word: no sentence starts like that), also with no space
# between them when a page's date line and first paragraph were joined ("Tuesday, January 18, 2005Through ...").
_RUN_IN_DATE = (rf"{WEEKDAY_RE},?\s+{_MONTHS_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+"
                r"(?:19|20)\d{2}\s*(?=[\"'A-Z])")
DATELINE = re.compile(
    rf"^(?:(?:{_CAPS_PLACE}{_REGION}?{_WIRE_DATE}?{_AGENCY}?"
    rf"|{_TITLE_PLACE}{_REGION}?(?:{_WIRE_DATE}{_AGENCY}?|{_AGENCY})){_SEPARATOR}(?=[\"'A-Z0-9])|{_RUN_IN_DATE}"
    # "London, England — For the second time ...": a place and its region, then a dash (WikiNews' dateline).
    rf"|{_TITLE_PLACE}{_REGION}\s*[\u2014\u2013]\s+(?=[\"'A-Z0-9]))"
)


def strip_dateline(sentence: str) -> str:
    """The sentence without a leading wire dateline (it costs words and says nothing a brief needs)."""
    return DATELINE.sub("", sentence, count=1)


def _key(text: str) -> str:
    return " ".join(words(text))


def split_title(text: str, meta_title: str | None) -> tuple[str, list[str], int]:
    """(title, remaining lines, lines dropped). Without a title in front matter, the first line is the title.

    A breadcrumb glued to the title ("HomeNewsThe Real Title") is recognised when a following line is a
    suffix of the first; a first line that is really a paragraph (long, ends like a sentence) stays in the
    body and the title is taken from its first words.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    if meta_title:
        return meta_title, lines, 0
    if not lines:
        return "", [], 0
    first, dropped = lines[0], 0
    for candidate in lines[1:4]:
        if len(candidate) >= 15 and first != candidate and _key(first).endswith(_key(candidate)):
            first, dropped = candidate, 1  # the first line was navigation + title
            lines = lines[1:]
            break
    if len(first.split()) > 25 and _SENTENCE_END.search(first):
        return _title_from_sentence(first), lines, dropped
    return first.strip(" #"), lines[1:], dropped


def _title_from_sentence(paragraph: str) -> str:
    from summarizer.text import split_sentences

    sentence = split_sentences(paragraph)[0]
    sentence = strip_dateline(sentence)
    parts = sentence.split()
    return " ".join(parts[:14]) + ("\u2026" if len(parts) > 14 else "")


def clean_body(title: str, lines: Sequence[str]) -> tuple[str, int]:
    """(body, dropped count): boilerplate lines, repeats of the title and repeated paragraphs removed."""
    title_key = _key(title)
    kept: list[str] = []
    seen: set[str] = set()
    dropped = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        key = _key(line)
        breadcrumb = bool(title_key) and key.endswith(title_key) and len(key) - len(title_key) < 60
        if breadcrumb or key in seen or boilerplate_reason(line):
            dropped += 1
            continue
        seen.add(key)
        kept.append(line)
    return "\n".join(kept), dropped
