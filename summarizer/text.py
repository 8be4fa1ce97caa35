"""Text primitives shared by loading, ranking and answering: normalisation, sentence splitting, words.

Sentence splitting is a small regex splitter rather than pysbd: pysbd costs about 1 ms per sentence, which is
30 s for a 1,000-article topic, and the rules below cover what matters in news text (titles such as Mr. and
Gen., dotted initialisms such as U.S., decimals, closing quotes after the period, and attributions that
follow a quotation: ``"We will act." Blinken said.`` stays one sentence).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The shared analyzer, re-exported: callers that import words, stems or stop words from here get the same ones.
from summarizer.analyzer import STOP_WORDS as STOPWORDS  # noqa: F401
from summarizer.analyzer import content_words, stem, words, wordset  # noqa: F401

# Curly and typographic quotes become straight ones so that matching, dedup and quote detection see one form.
_QUOTE_MAP = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ", "\t": " ",
        "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
        "\u2020": "", "\u2021": "",  # daggers: footnote marks left over from page layout
    }
)
_SPACES = re.compile(r" {2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,;:!?](?:\s|$))")
# A stray comma after a sentence's end at a line's end ("... lethal aid to Russia. ,", a page-layout leftover):
# the sentence would otherwise read as a fragment and be lost.
_STRAY_AFTER_END = re.compile(r"([.!?][\"')\]]*)[,;]+(?=[ ]*(?:\n|$))")


def normalize(text: str) -> str:
    """NFC, straight quotes, plain spaces, one space between words; line breaks are kept."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTE_MAP)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # The patterns run over the whole text at once, not line by line (one call instead of two per line, a
    # tenth of a second over a large topic's articles): none can match across a line break, and where a
    # line ends after the punctuation, the "\n" that (?:\s|$) then takes is put back by \1.
    text = _STRAY_AFTER_END.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text)))
    return "\n".join(line.strip() for line in text.split("\n"))


# Abbreviations after which a period does not end a sentence (lower-case, without the period).
ABBREVIATIONS = wordset(
    """mr mrs ms dr prof gen sen rep gov lt col capt cmdr sgt maj adm pres st sr jr rev hon amb supt insp
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    nos vs etc inc corp co ltd bros dept est approx fig vol ed eds al op pp ave blvd mt ft u.s
    spc pvt pfc cpl brig cdr lieut"""
)
# Shortenings that a lower-case word may follow mid-sentence ("about 5 km. north", "esp. in winter") but that
# often end a sentence before a capital, so they are not ABBREVIATIONS.
_CONTINUED_AFTER = wordset("ca cf viz esp incl excl govt mln bln pct yr yrs hr hrs min mins max sq lb lbs oz km kg "
                           "pt pts")
# Words that commonly start a sentence: after a dotted initialism ("in the U.S. The ...") they mark a boundary.
_STARTERS = wordset(
    """the a an he she it they we i you this that these those there his her its their our but and so yet
    in on at for if when while after before as since though although however meanwhile still also"""
)
_ATTRIBUTION_VERBS = (
    "said|says|added|adds|told|tells|wrote|writes|asked|asks|continued|explained|noted|stressed|argued|"
    "insisted|warned|replied|declared|concluded|claimed|recalled|tweeted|posted|according"
)
# A short tail such as "Blinken said." or "said Ms. Psaki on Thursday." after a closing quotation.
_ATTRIBUTION = re.compile(
    rf"^(?:(?:[A-Z][\w.'-]*\s+){{0,4}}(?:{_ATTRIBUTION_VERBS})\b|(?:{_ATTRIBUTION_VERBS})\s+[A-Z]|(?:he|she|they|it)\s+"
    rf"(?:{_ATTRIBUTION_VERBS})\b)",
)
# A candidate break: a run of end punctuation (never entered mid-run: the look-behind and the possessive
# quantifiers keep the scan linear on runs of "!!!!" or spaces), closing quotes or brackets, then white space
# and what looks like the start of a sentence.
_BOUNDARY = re.compile(r"(?<![.!?\u2026])([.!?\u2026]++)([\"')\]]*+)(\s++)(?=[\"'(\[]?[A-Za-z0-9])")
_LAST_TOKEN = re.compile(r"([\w.'-]+)$")
_NEXT_WORD = re.compile(r"[\"'(\[]?([\w'-]+)")
# How much text either side of a candidate break decides it: the last token before it, the first word after.
# A window, not the whole paragraph, keeps each decision O(1) and the split linear in the paragraph's length.
_WINDOW = 64
# A "sentence" longer than this is not prose (a run of one repeated word, a table squashed onto one line): it is
# cut at the last space before the limit, so that no later step works on megabyte-long sentences.
MAX_SENTENCE_CHARS = 2000


def _is_boundary(before: str, after: str) -> bool:
    """Decide whether a candidate break (end of ``before``, start of ``after``) really ends a sentence.

    Only the last ``_WINDOW`` characters of ``before`` and the first of ``after`` matter (see ``_WINDOW``).
    """
    core = before.rstrip("\"')]")
    next_word = _NEXT_WORD.match(after)
    lower_next = bool(next_word) and next_word.group(1)[:1].islower()
    if lower_next and (core.endswith("..") or not core.endswith(".") or core != before):
        return False  # '"Why?" he asked', '"We will." he said', "wait... and": the sentence goes on
    if not core.endswith(".") or core.endswith(".."):
        return True
    last_word = core.rsplit(None, 1)[-1] if core else ""  # the token never spans white space: search less
    match = _LAST_TOKEN.search(last_word)
    token = match.group(1) if match else ""
    bare = token.rstrip(".").lower()
    nxt = next_word.group(1).lower() if next_word else ""
    if lower_next:
        # "... arms to Russia. was charged with considering." (a garbled translation, a lost line break): the
        # period after a plain word ends the sentence, and the lower-case rest is a fragment of its own (never
        # a point). After an abbreviation or initialism ("U.S. officials", "etc. and") it goes on.
        return bare.isalpha() and len(bare) > 1 and bare not in ABBREVIATIONS and bare not in _CONTINUED_AFTER
    if "." in bare or (len(bare) == 1 and bare.isalpha()):
        # An initialism (U.S., U.N., D.C.) or an initial (Vladimir V. Putin): a break only before a word
        # that usually starts a sentence.
        return nxt in _STARTERS
    if bare in ABBREVIATIONS or (bare == "no" and nxt[:1].isdigit()):  # "No. 10" is a number
        return False
    return not (bare.isdigit() and nxt.isdigit())


def _split_paragraph(paragraph: str) -> list[str]:
    """Linear in the paragraph's length: every candidate break is judged on a bounded window around it."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end(2)
        before = paragraph[max(0, end - _WINDOW) : end]
        after = paragraph[match.end() : match.end() + _WINDOW]
        if _is_boundary(before, after):
            pieces.append(paragraph[start:end].strip())
            start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        pieces.append(tail)
    merged = _merge_fragments([p for p in pieces if p])
    return [chunk for piece in merged for chunk in _cap_length(piece)]


def _merge_fragments(pieces: list[str]) -> list[str]:
    """Glue an attribution tail back onto the quotation it belongs to.

    Each output sentence collects its parts in a list joined once at the end, so a long chain of glued
    continuations costs linear, not quadratic, time.
    """
    groups: list[list[str]] = []
    for piece in pieces:
        if groups:
            previous = groups[-1][-1]
            ends_quote = previous.endswith(('"', "'")) or previous.endswith(('."', '?"', '!"', ".'"))
            short = len(piece.split(None, 13)) <= 12
            if ends_quote and short and _ATTRIBUTION.match(piece):
                groups[-1].append(piece)
                continue
        groups.append([piece])
    return [" ".join(group) for group in groups]


def _cap_length(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``sentence`` itself, or cut into pieces of at most ``limit`` characters at spaces (see MAX_SENTENCE_CHARS)."""
    if len(sentence) <= limit:
        return [sentence]
    chunks: list[str] = []
    start, size = 0, len(sentence)
    while size - start > limit:
        cut = sentence.rfind(" ", start + 1, start + limit + 1)
        if cut <= start:  # one unbroken run of letters: cut it where the limit falls
            cut = start + limit
        chunks.append(sentence[start:cut].strip())
        start = cut
        while start < size and sentence[start] == " ":
            start += 1
    if start < size:
        chunks.append(sentence[start:].strip())
    return [c for c in chunks if c]


# A capitalised function word between a lower-case word and the full stop ("... has decided to do so Is."): the
# first word of a lost sentence, glued on when a page was scraped. No English sentence ends on it, so it goes.
# Not "A", "In", "On", "It", "At", "Or": those end names and terms ("hepatitis A", "log In").
_STRAY_CAPITAL_END = re.compile(r"(?<![\w'-])([a-z][a-z'-]*,?) "
                                r"(?:Is|Are|Was|Were|The|And|But|Of|To|An|That|This|With|For|From)(?=[.!?]$)")


@lru_cache(maxsize=8192)
def _split_cached(text: str) -> tuple[str, ...]:
    sentences: list[str] = []
    for paragraph in normalize(text).split("\n"):
        if paragraph:
            sentences.extend(_STRAY_CAPITAL_END.sub(r"\1", s) for s in _split_paragraph(paragraph))
    return tuple(sentences)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a line break always ends a sentence (paragraphs never run together)."""
    return list(_split_cached(text))


def forget_splits() -> None:
    """Empty the in-process memo of ``split_sentences`` (a benchmark's "cold" must split again)."""
    _split_cached.cache_clear()


QUOTE_MARKS = "\"\u201c\u201d"


def inside_quotation(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` lies inside a quotation (an odd number of quote marks before it): its
    words, and the days they name, are the speaker's."""
    return sum(text[:at].count(q) for q in QUOTE_MARKS) % 2 == 1


def quoted_fraction(sentence: str) -> float:
    """Share of the sentence's characters inside double quotes (0 when there are no quotes)."""
    inside = sum(len(part) for part in sentence.split('"')[1::2])  # odd parts lie between quote marks
    return inside / max(1, len(sentence))


def word_count(text: str) -> int:
    return len(text.split())


def truncate_words(text: str, limit: int) -> str:
    """At most ``limit`` whitespace-separated words."""
    parts = text.split()
    return text if len(parts) <= limit else " ".join(parts[:limit])


# A sentence that leans on the one before it, and cannot stand alone as a brief's point or a timeline row: a
# pronoun subject ("He added that ...") or a conjunction opening it.
PRONOUN_START = re.compile(r"^(?:he|she|they|it|this|that|these|those|his|her|their|its|but|and|so|also)\b", re.I)
# A connective that answers the sentence before ("Instead, the government has offered ...", "In addition, ..."):
# such a sentence cannot stand as a point (it still ranks as it did: it tells its fact).
CONNECTIVE_START = re.compile(r"^(?:instead|however|meanwhile|nevertheless|nonetheless|moreover|furthermore|thus|"
                              r"therefore|hence|otherwise|besides|likewise|similarly|consequently|additionally|"
                              r"in addition|as a result|even so|in turn|in response)\b", re.I)

# An ordinal or "the latter" standing for a noun the sentence before gave ("The second, by Tony Hall, examined ...",
# "The latter said ..."): "The first report, by ..." names its noun and stands alone.
ELLIPSIS_START = re.compile(r"^the\s+(?:first|second|third|fourth|fifth|last|latter|former|other)"
                            r"(?:\s*,|\s+(?:is|was|were|are|has|had|have|by|said|says|found|showed|added)\b)", re.I)

SOURCE_OPENING = re.compile(r"^According to [^,]{1,80},\s+")

# An opener that leans on what came before without adding to the fact: a repeat ("As before, Mr. Xi did not use
# the terms war or invasion ...") or a concession to a thing named earlier ("Even with the massacre, Chinese
# officials have continued to support Russia"). The rest stands alone and says the fact, so a point drops it.
REPEAT_OPENER = re.compile(r"^(?:As (?:before|usual|in the past|previously)|(?:Once )?again"
                           r"|(?:Even with|Despite|In spite of) (?:the|that|this|these|those)\b[^,]{0,40}),"
                           r"\s+(?=[A-Za-z])")


def without_repeat_opener(text: str) -> str:
    """The sentence without a leading "As before," / "Even with the massacre," (see REPEAT_OPENER), capitalised
    again."""
    rest = REPEAT_OPENER.sub("", text, count=1)
    return rest if rest == text else rest[:1].upper() + rest[1:]


def leans_back(text: str) -> bool:
    """Opens with a pronoun, a connective or an ordinal standing for a noun ("The second, by ..."), also after a
    leading source ("According to the University of Chile, it had a magnitude of 5.6"): it needs the sentence
    before it, and cannot stand alone."""
    text = SOURCE_OPENING.sub("", text, count=1)
    return bool(PRONOUN_START.match(text) or CONNECTIVE_START.match(text) or ELLIPSIS_START.match(text))
