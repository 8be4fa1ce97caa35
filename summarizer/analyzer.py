"""The one text analyzer of the summarizer: words, stems, stop words and content words.

Brief, answers, timeline, topics, disagreements and polish all call these functions, so a fix to how a word
is normalised lands everywhere at once. Month and weekday tables live in ``summarizer.dates`` (with the date
parsing); this module only tokenises and normalises.

Stemming is the Snowball English stemmer (``snowballstemmer``, a maintained library) with three small
normalisations in front of it that Snowball leaves alone and news questions need:

* irregular verb and plural forms ("met" -> "meet", "children" -> "child", "freed" -> "free");
* British -ise spellings ("criticised" and "criticized" meet);
* hyphen and apostrophe handling in ``tokens`` ("Xi-Putin" is two names, "China's" is "china").

Comparatives, superlatives and verbs in -en ("softer", "biggest", "softening") depend on the vocabulary: "softer"
is "soft" only when the text also says "soft"; otherwise "water" would become "wat". ``base_form`` takes that
vocabulary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache


def wordlist(text: str) -> list[str]:
    """Words written as one space-separated string, in order (easier to read and edit than a list literal)."""
    return text.split()


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and edit than a list)."""
    return frozenset(text.split())


# Function words, reporting verbs and honorifics: they carry no topic. Numbers and negations are NOT stop
# words: "two hours", "7,000 troops" and "not condemned" are facts a reader asks about. Deliberately short:
# scikit-learn's 318-word list (which answers used before) cost the brief 0.6 ROUGE-2 on MultiLing.
# Numbers written as words, for answers that must give a number ("How many ...?") and the durations they read.
NUMBER_WORDS = wordlist(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands
    million millions billion billions trillion dozen dozens half bn"""
)

# Units of time, singular and plural, for durations ("ten years", "a week-long strike").
TIME_UNITS = wordlist(
    "second seconds minute minutes hour hours day days week weeks month months year years decade decades century "
    "centuries"
)

STOP_WORDS = wordset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself nor
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves may might must
    shall also new like
    said says say told according mr mrs ms dr sir
    s t ll ve re d m don didn doesn isn wasn weren wouldn couldn shouldn aren hasn haven hadn wo ca"""
)  # "won" is no stop word: it is the past of "win" ("won't" and "can't" leave "wo" and "ca" in tokens())


# Irregular forms Snowball does not join to their base (it stems "met" to "met", "children" to "children").
IRREGULAR = dict(
    pair.split(":")
    for pair in wordlist(
        """met:meet said:say spoke:speak spoken:speak told:tell took:take taken:take gave:give
    given:give went:go gone:go held:hold made:make came:come left:leave won:win lost:lose sent:send
    sought:seek thought:think bought:buy brought:bring began:begin begun:begin wrote:write written:write
    knew:know known:know saw:see seen:see found:find led:lead paid:pay sold:sell struck:strike fought:fight
    flew:fly flown:fly fell:fall fallen:fall rose:rise risen:rise chose:choose chosen:choose freed:free
    ran:run hit:hit shot:shoot stole:steal stolen:steal drove:drive driven:drive grew:grow grown:grow
    threw:throw thrown:throw withdrew:withdraw withdrawn:withdraw forbade:forbid forbidden:forbid
    sank:sink sunk:sink dug:dig hid:hide hidden:hide kept:keep slept:sleep felt:feel meant:mean
    stood:stand understood:understand caught:catch taught:teach fled:flee bore:bear borne:bear
    heard:hear sat:sit shook:shake shaken:shake broke:break broken:break built:build spent:spend lent:lend
    dealt:deal hung:hang rang:ring rung:ring sang:sing sung:sing swam:swim drank:drink drunk:drink
    shrank:shrink sprang:spring stuck:stick swung:swing wore:wear worn:wear tore:tear torn:tear swore:swear
    sworn:swear froze:freeze frozen:freeze woke:wake woken:wake rode:ride ridden:ride arose:arise arisen:arise
    bitten:bite slid:slide bled:bleed sped:speed forgot:forget forgotten:forget shone:shine became:become
    overcame:overcome forgave:forgive forgiven:forgive withheld:withhold upheld:uphold overthrew:overthrow
    overthrown:overthrow beaten:beat blew:blow blown:blow drew:draw drawn:draw slain:slay undertook:undertake
    undertaken:undertake mistook:mistake mistaken:mistake swept:sweep wept:weep crept:creep leapt:leap
    children:child men:man women:woman people:person mice:mouse feet:foot teeth:tooth
    better:good best:good worse:bad worst:bad"""
    )
)

_WORD = re.compile(r"[A-Za-z0-9]+(?:['.-][A-Za-z0-9]+)*")  # keeps U.S., state-run and 5,000-word whole
_PART = re.compile(r"[A-Za-z0-9]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_CONTRACTION = re.compile(r"n['\u2019]t\b")
_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$")


def words(text: str) -> list[str]:
    """Lower-case word tokens, keeping U.S. and state-run as one token each (for n-grams and display)."""
    return [w.lower() for w in _WORD.findall(text)]


def tokens(text: str) -> list[str]:
    """Lower-case word pieces for matching: hyphens split ("Xi-Putin"), possessive 's dropped."""
    text = _CONTRACTION.sub("", _POSSESSIVE.sub("", text))
    return [w.lower() for w in _PART.findall(text.replace("'", "").replace("\u2019", ""))]


@lru_cache(maxsize=1)
def _snowball():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of ``word`` after the irregular-form and -ise normalisations ("met" -> "meet")."""
    w = word.lower()
    w = IRREGULAR.get(w, w)
    if len(w) > 6:
        w = _ISE.sub(lambda m: "iz" + m.group(1), w)
    return _snowball().stemWord(w)


def is_content(word: str) -> bool:
    """A word that carries meaning: not a stop word, and a number or at least two letters."""
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def content_words(text: str) -> list[str]:
    """Content words as written (lower-case), in order."""
    return [w for w in words(text) if is_content(w)]


def content_terms(text: str) -> list[str]:
    """Stemmed content word pieces (stop words out, numbers in): the unit of coverage and of support."""
    return [stem(w) for w in tokens(text) if is_content(w)]


def base_form(word: str, vocabulary: Collection[str]) -> str:
    """"softer" -> "soft", "biggest" -> "big", "easier" -> "easy" when the base word is in ``vocabulary``.

    ``vocabulary`` holds lower-case words as written. Without the base word in it, ``word`` comes back as is:
    "water" has no "wat" and "corner" only becomes "corn" in a text that talks about corn.
    """
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    for suffix in ("est", "er"):
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        root = w[: -len(suffix)]
        candidates = [root, root + "e"]
        if root.endswith("i"):
            candidates.append(root[:-1] + "y")
        if len(root) > 3 and root[-1] == root[-2]:
            candidates.append(root[:-1])  # bigger -> big
        for candidate in candidates:
            if candidate in vocabulary and candidate not in STOP_WORDS:
                return candidate
    for suffix in ("ening", "ened", "ens", "en"):  # "softening" -> "soft", "weakened" -> "weak", "widen" -> "wide"
        if not w.endswith(suffix) or len(w) - len(suffix) < 3 or w in _NOT_EN_VERBS:
            continue
        root = w[: -len(suffix)]
        candidates = [root, root + "e"]
        if len(root) > 3 and root[-1] == root[-2]:
            candidates.append(root[:-1])  # flatten -> flat
        for candidate in candidates:
            if candidate in vocabulary and candidate not in STOP_WORDS:
                return candidate
        break
    return w


# Words ending in -en(ed, ing) whose shorter form is another word: "listen" is no "list"
_NOT_EN_VERBS = frozenset(wordlist("listen listens listened listening heaven kitten garden gardens often"))


def acronyms(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Acronym -> the capitalised phrase it abbreviates, read from the texts ("icj" -> International Court ...).

    Only phrases of three or more capitalised words count, and an acronym that two phrases share is dropped.
    """
    found: dict[str, set[tuple[str, ...]]] = {}
    phrase = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of|for|and|the|on)?\s*[A-Z][a-z]+){2,}")
    for text in texts:
        for match in phrase.finditer(text):
            parts = [w for w in match.group(0).split() if w[0].isupper()]
            if parts[0] in ("The", "A", "An"):  # "The International Court ..." at a sentence start
                parts = parts[1:]
            key = "".join(w[0] for w in parts).lower()
            found.setdefault(key, set()).add(tuple(w.lower() for w in parts))
    return {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and len(k) >= 3}


def idf_table(term_sets: Sequence[Collection[str]], terms: Iterable[str] | None = None) -> dict[str, float]:
    """Smoothed IDF, log((1 + n) / (1 + df)) + 1, over ``term_sets`` (a topic's sentences as sets of terms): of
    every term they use, or of ``terms`` only (a term none of them uses then weighs the most)."""
    if terms is None:
        df: dict[str, int] = {}
        for term_set in term_sets:
            for t in set(term_set):
                df[t] = df.get(t, 0) + 1
    else:
        df = {t: sum(1 for term_set in term_sets if t in term_set) for t in terms}
    n = len(term_sets)
    return {t: math.log((1.0 + n) / (1.0 + c)) + 1.0 for t, c in df.items()}
