"""Who a point's "he" or "her" is: the person its article named just before, named in the point.

A brief's point is a sentence lifted out of its article, and "People told him and Interior Minister Rodrigo
Hinzpeter that ..." leaves the reader asking who "him" is: the article said so in the sentence before
("President Sebastián Piñera has visited ..."), which the brief does not show. Each step below leaves the text
alone rather than guess:

1. **The pronoun.** The first "he", "him", "his", "she" or "her" of the shown text outside quotation marks (a
   quotation is the speaker's words, and its pronouns are the speaker's; a quotation may open in an earlier
   sentence), when nothing before it in the sentence names or may name a person (then the reader has a
   candidate: "Kirby's comments ..., when he reiterated ..."; "George Hincapie was given the honor of leading
   his team", a name the index does not know) and no unnamed person is mentioned before it ("A doctor ...
   remarked that many of his patients"). Not when the sentence also has a pronoun of the other gender (two
   people in play, one name cannot say which), nor when the pronoun may point forward to a name later in its
   sentence ("After his win, Contador said ...": a possessive, or a pronoun before the sentence's first comma
   with a person named after the comma). An ambiguous "her" (after a verb that takes two objects: "gave her
   flowers"; before a capitalised word) is left alone too. "They", "them" and "their" are left alone: they
   stand for groups ("the sailors"), which the people index does not name.
2. **The person.** Going back at most ``REACH`` sentences in the article, the nearest sentence that names people
   (through the topic's ``PeopleIndex``: "Mr Wang" is Wang Yi) must name exactly one, outside quotation
   marks, whose honorific (if any) agrees with the pronoun, and no one the index cannot resolve (a surname two
   people share, a titled or two- or three-word name it does not know: "tenor Luciano Pavarotti"); its
   subject must not be a pronoun of the same gender ("He presented their commander, Captain X": "he" is
   someone else). That sentence and the ones between must mention no unnamed person who could be meant ("a
   woman", "his wife", "The President"; a job written next to the name, "Alejandro Mella, a merchant,",
   describes the person named). The person must not be named in the point itself: "him" in "People told him
   and Piñera" is someone else.
3. **The name.** The article's words stay as written (as ``PeopleIndex.in_full`` does for "Mr Wang [Wang
   Yi]"): the full name follows the pronoun in brackets, as editors mark their own words, in the possessive
   after a possessive: "told him [Sebastián Piñera]", "his [Hussain Osman's] extradition". Replacing the word
   would read more smoothly but would put words in the source's sentence that the point cites as the
   source's; the brackets say the name is the brief's reading.

Cost: per shown point at most ``REACH`` earlier sentences of at most ``MAX_SENTENCE_CHARS`` characters each are
read (a longer one, an unsplit paragraph, leaves the point alone), so the work is bounded whatever the topic's
size. Measured on every candidate sentence of the seeds and the ten MultiLing clusters (1,331): 30 are named,
each checked by eye against its article; the rules above were set on that list (the versions without the
quotation, unknown-name and subject checks named 8 of 43 wrongly).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from summarizer.analyzer import wordset
from summarizer.entities import PeopleIndex, Person, find_spans, tag_span
from summarizer.gazetteer import ROLE_NOUNS
from summarizer.text import QUOTE_MARKS

REACH = 3  # earlier sentences of the article where the pronoun's person may have been named
MAX_SENTENCE_CHARS = 1500  # a longer "sentence" is an unsplit paragraph: too much to read safely

_PRONOUN = re.compile(r"\b(he|him|his|she|her)\b", re.IGNORECASE)
_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_PARTICLES = wordset("de del della di da das dos van von der den du la le al bin ibn")

# Singular nouns for a person who is not named: each could be the pronoun's person. Gendered ones compete only
# with their own pronoun ("his wife" is no "he").
_MALE_NOUNS = wordset("""man boy husband father son brother uncle nephew grandfather king prince spokesman chairman
    policeman fisherman businessman congressman gentleman""")
_FEMALE_NOUNS = wordset("""woman girl wife mother daughter sister aunt niece grandmother widow queen princess
    spokeswoman chairwoman policewoman businesswoman congresswoman lady""")
_PERSON_NOUNS = (ROLE_NOUNS - _MALE_NOUNS - _FEMALE_NOUNS) | wordset("""person resident victim survivor witness
    driver passenger suspect child baby friend neighbour neighbor relative colleague partner citizen worker
    student official owner rider player winner runner cyclist athlete reporter journalist photographer
    spokesperson defendant prisoner detainee hostage guard officer agent activist protester villager
    teenager patient gunman bomber attacker killer""")
_DETERMINER = r"(?:\b(?:a|an|the|his|her|their|its|one|another|this|that|each|every)|'s)"


def _noun_phrase(nouns: frozenset[str]) -> re.Pattern[str]:
    """A determiner, at most three modifiers and one of ``nouns`` ("the local fisherman", "Piñera's wife", "The
    President"), in any case."""
    alternatives = "|".join(sorted(nouns, key=len, reverse=True))
    return re.compile(rf"{_DETERMINER}\s+(?:[\w'-]+\s+){{0,3}}?(?:{alternatives})\b(?!['-])", re.IGNORECASE)


_RIVALS = {"m": _noun_phrase(_PERSON_NOUNS | _MALE_NOUNS), "f": _noun_phrase(_PERSON_NOUNS | _FEMALE_NOUNS)}

# "her" is an object, not a possessive, before these words (or punctuation): "told her that", "gave her a".
_NOT_A_NOUN = wordset("""a an the that this these those to in on at for from with by of and or but as if when while
    after before about into over under up down out off back again not no so than then because since until
    during who which whom what where how why he she it they we you i""")
# Verbs that take two objects: "gave her flowers" may be her flowers or flowers to her.
_TWO_OBJECTS = wordset("""give gives gave given giving send sends sent sending show shows showed shown showing offer
    offers offered offering tell tells told telling hand hands handed handing award awards awarded grant grants
    granted pay pays paid paying bring brings brought bringing buy buys bought buying lend lends lent teach
    teaches taught ask asks asked promise promises promised leave leaves left owe owes owed wish wishes wished
    cost costs make makes made call calls called""")


def _quotation(text: str, inside: bool = False) -> tuple[list[bool], bool]:
    """(per character of ``text``: inside a quotation; whether one is still open at its end). ``inside``: one is
    open where ``text`` begins (a quotation runs over sentences: 'Biver declared: "Vino denies it. He says ..."').
    A straight quote mark opens a quotation at the start of a word and closes one at its end; else it toggles."""
    mask = []
    for i, char in enumerate(text):
        if char in QUOTE_MARKS:
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if char == "\u201c" or (before.isspace() or before in "([-\u2014") and not after.isspace():
                inside = True
            elif char == "\u201d" or not before.isspace() and (after.isspace() or after in ".,;:!?)]"):
                inside = False
            else:
                inside = not inside
            mask.append(True)
        else:
            mask.append(inside)
    return mask, inside


def _open_after(before: Sequence[str]) -> bool:
    """Whether a quotation is still open after ``before`` (sentences in order, the first read as unquoted)."""
    inside = False
    for sentence in before:
        inside = _quotation(sentence, inside)[1]
    return inside


class Referents:
    """Names a point's dangling "he"/"her" after the one person its article named just before (module docstring).

    ``people``: the topic's people index, so a surname mention resolves to the full name the articles give."""

    def __init__(self, people: PeopleIndex) -> None:
        self._people = people
        self._first: Counter[str] = Counter()
        self._last: Counter[str] = Counter()
        for person in people.people:
            words = person.name.lower().split()
            self._first[words[0]] += 1
            self._last[words[-1]] += 1

    def name(self, text: str, before: Sequence[str]) -> str:
        """``text`` (a point as shown) with its dangling pronoun's person named in brackets after it, when
        ``before`` (the article's sentences before it, in order; the last ``REACH`` are read) names exactly one
        person who can be meant; otherwise ``text`` unchanged."""
        found = self.resolve(text, before)
        if found is None:
            return text
        end, person, possessive = found
        name = person.name
        if possessive:
            name += "'" if name.endswith("s") else "'s"
        return f"{text[:end]} [{name}]{text[end:]}"

    def resolve(self, text: str, before: Sequence[str]) -> tuple[int, Person, bool] | None:
        """(end of the pronoun, its person, whether it is a possessive) for ``text``'s dangling pronoun, by the
        rules of the module docstring; None when no one person can be meant."""
        before = before[-REACH:]
        if any(len(sentence) > MAX_SENTENCE_CHARS for sentence in before) or len(text) > MAX_SENTENCE_CHARS:
            return None
        found = self._dangling(text, _open_after(before))
        if found is None:
            return None
        end, gender, possessive = found
        person = self._antecedent(before, gender)
        if person is None or any(p.name == person.name for _, _, p in self._people.find(text)):
            return None  # "People told him and Piñera": him is not Piñera
        return end, person, possessive

    def _dangling(self, text: str, quoted_at_start: bool) -> tuple[int, str, bool] | None:
        """(end, gender, possessive) of the sentence's first pronoun outside quotation marks when nothing before
        it can be its person and it cannot point forward; None otherwise."""
        quoted, _ = _quotation(text, quoted_at_start)
        pronouns = [m for m in _PRONOUN.finditer(text) if not quoted[m.start()]]
        if not pronouns:
            return None
        first = pronouns[0]
        gender = _GENDER[first.group(1).lower()]
        if any(_GENDER[m.group(1).lower()] != gender for m in pronouns):
            return None  # "He told her ...": two people in play
        head = "".join(" " if quoted[i] else c for i, c in enumerate(text[: first.start()]))
        if self._mentions_someone(head) or _RIVALS[gender].search(head):
            return None  # someone the sentence names before the pronoun may be its person
        possessive = _possessive(text, first)
        if possessive is None:
            return None
        later = [s for s, _, _ in self._people.find(text) if s > first.end() and not quoted[s]]
        opens = not text[: first.start()].strip() and first.group(1).lower() in ("he", "she")
        if later and (possessive or (_before_first_comma(text, first.start(), later[0]) and not opens)):
            # "After his win, Contador said ...": the name may come after its pronoun; a "He" or "She" that opens
            # the sentence is its subject and points back ("He presented their commander, Captain X, with ...")
            return None
        return first.end(), gender, possessive

    def _antecedent(self, before: Sequence[str], gender: str) -> Person | None:
        """The one person named by the nearest earlier sentence that names people (see the module docstring)."""
        for sentence in reversed(before):
            named, doubtful = self._people_in(sentence)
            if doubtful:
                return None
            if not named:
                if _RIVALS[gender].search(sentence):
                    return None  # an unnamed person nearer than any named one
                continue
            if len(named) != 1:
                return None
            person = next(iter(named.values()))
            spans = [(s, e) for s, e, p in self._people.find(sentence) if p.name == person.name]
            quoted, _ = _quotation(sentence)
            if all(quoted[s] for s, _ in spans) or (person.gender is not None and person.gender != gender):
                return None
            head = sentence[: spans[0][0]]
            if any(_GENDER[m.group(1).lower()] == gender and not quoted[m.start()] for m in _PRONOUN.finditer(head)):
                return None  # "He presented their commander, Captain X": the subject is someone else
            if any(not _describes(sentence, m.start(), m.end(), spans) for m in _RIVALS[gender].finditer(sentence)):
                return None
            return person
        return None

    def _people_in(self, text: str) -> tuple[dict[str, Person], bool]:
        """(the people ``text`` names, by name; whether it also names someone the index cannot say who is).

        Doubtful: a mention that resolves to nobody but whose word two of the topic's people share ("Cornejo"),
        a titled name the index does not know ("Mayor Ramos"), or two or three plain capitalised words it does
        not know ("Luciano Pavarotti"): a person, maybe, but not one to count or name. A single capitalised word
        or a longer run with particles is most often a place ("Maule", "San Pedro de La Paz") and is not
        counted."""
        named = {p.name: p for _, _, p in self._people.find(text)}
        for span in find_spans(text):
            tagged = tag_span(span, self._people.vocabulary)
            if tagged is None or tagged.kind != "person" or self._people.resolve_tokens(tagged.name) is not None:
                continue
            word = tagged.name[-1].lower()
            plain = 2 <= len(tagged.name) <= 3 and not any(t.lower() in _PARTICLES for t in tagged.name)
            if tagged.title or plain or self._last[word] + (self._first[word] if len(tagged.name) == 1 else 0) >= 2:
                return named, True
        return named, False

    def _mentions_someone(self, text: str) -> bool:
        """``text`` names a person, or a capitalised phrase that may be one (the index knows few of the people a
        sentence names in passing: "George Hincapie was given the honor of leading his team")."""
        return any((tagged := tag_span(span, self._people.vocabulary)) is not None and tagged.kind == "person"
                   for span in find_spans(text))


def _possessive(text: str, pronoun: re.Match[str]) -> bool | None:
    """Whether ``pronoun`` is a possessive ("his", "her house"); None when "her" could be either."""
    word = pronoun.group(1).lower()
    if word != "her":
        return word == "his"
    after = re.match(r"\s+([\w'-]+)", text[pronoun.end():])
    if after is None or after.group(1).lower() in _NOT_A_NOUN:
        return False  # "told her.", "told her that ..."
    if after.group(1)[:1].isupper():
        return None  # "told her Piñera would ..." or "her Chilean counterpart"
    verb = re.search(r"([\w'-]+)\s+$", text[: pronoun.start()])
    if verb is not None and verb.group(1).lower() in _TWO_OBJECTS:
        return None  # "gave her flowers"
    return True


def _before_first_comma(text: str, pronoun_at: int, name_at: int) -> bool:
    """The pronoun is in a phrase before the sentence's first comma and the name comes after that comma."""
    comma = text.find(",")
    return comma != -1 and pronoun_at < comma < name_at


def _describes(sentence: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """The noun phrase at ``start:end`` is written next to a name (only a comma or space between): it describes
    that person ("Alejandro Mella, a merchant,", "the merchant Alejandro Mella"), it is nobody else. A possessed
    one is someone else: "Piñera's wife"."""
    if sentence.startswith("'s", start):
        return False
    return any((e <= start and re.fullmatch(r"\s*,?\s*", sentence[e:start]))
               or (end <= s and re.fullmatch(r"\s*,?\s*", sentence[end:s])) for s, e in spans)
