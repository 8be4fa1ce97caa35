"""A topic as the answer engine reads it: its candidate sentences (every article sentence and title, pronouns
lent their referent), their terms, the topic's vocabulary, people and acronyms, and the tests the engine's gates
and ranking build on them (lists of kinds, the object of "What did X ask for?", the people and parts a question
names, the quantity asked for, the holder of a role).

``summarizer.qa`` asks the questions; this module knows the articles. It holds what both the gates and the
ranking need, so neither reaches into the other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from summarizer.analyzer import (
    NUMBER_WORDS,
    STOP_WORDS,
    TIME_UNITS,
    acronyms,
    base_form,
    is_content,
    stem,
    tokens,
    wordset,
)
from summarizer.articles import Article
from summarizer.dates import MONTHS, WEEKDAYS
from summarizer.entities import canonical_place
from summarizer.everyday import everyday, function_word, idioms, phrasal, same, without_adverbials
from summarizer.gazetteer import COUNTRIES, NATIONALITIES, PLACES
from summarizer.qa_focus import (
    ROLE_NAME_NEAR,
    asks_amount,
    asks_outcome,
    common_terms,
    counted_thing,
    counts_people,
    gives_words,
    money,
    near,
    owner_forms,
    quantified_words,
    question_focus,
    role_held,
    same_root,
    states_outcome,
    verb_objects,
)
from summarizer.qa_lexical import GENERIC_NOUNS, superlatives

if TYPE_CHECKING:  # an annotation only: qa imports this module
    from summarizer.qa import QuestionType

# The quantity rule's semantic bar: "soldiers died" ~ "troops killed" 0.89, "people arrested" ~ "arrests" 0.80,
# "casualties" ~ "people killed" 0.70 pass; "tanks lost" ~ "troops killed" 0.50, "gunboats surrounded" ~ "sailors"
# 0.44, "missiles" ~ "types" 0.28 do not (MiniLM, bench/questions/dev.jsonl "dev4" questions).
QUANTITY_SEMANTIC_MIN = 0.55

QUANTITY_BEFORE = 3  # words either side of a duration that it may measure ("sentenced Graner to ten years")
# "How many French passengers ...?": words before an unqualified "216 passengers" in which the country may stand
# ("Russia has lost 7,000 troops")
NATIONALITY_WINDOW = 8
_BLOCS = frozenset({"eu", "un", "e.u", "u.n"})

_CLOSED = re.compile(r"[.!?:;\u2026][\"')\]]*$")

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

# Words that carry no topic in a question about the articles (on top of the analyzer's stop words).
_QUESTION_NOISE = wordset(
    """
    article articles report reports reported story stories news say says said tell told mention mentioned
    mentions according happen happened happening know think anything something explain describe did does
    do doing brief briefly exactly really actually kind sort about like please wonder
    wondering curious thanks thank hello hey hi understand
    get gets got getting anyone anybody someone somebody everyone everybody whole behind stuff thing things
    guys folks just still even ever
    """
)

UNITS = r"(?:" + "|".join(sorted(TIME_UNITS, key=len, reverse=True)) + ")"  # longest first: "days" before "day"

NUM = r"(?:\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r"|a|an|several|few)"

# "The games lasted 16 days", "the quake lasted between 500 and 600 seconds": a duration next to a verb of lasting
# measures what the sentence is about, which the relevance gate has already found to be the question's subject.
LASTED_RE = re.compile(
    r"\blast(?:ed|ing|s)\s+(?:(?:for|about|nearly|almost|around|some|between|over|more than|less than|just|only)\s+)*"
    + NUM + r"(?:\s+(?:and|to|or)\s+" + NUM + r")?[\s-]+" + UNITS + r"\b",
    re.IGNORECASE,
)

# "What stuff / things / items did Russia ask for?": the head names no kind of thing, so any list may answer.
_ENUMERATION = re.compile(r"[^,;:]+,[^,;:]+,?\s+(?:and|or)\s+|\b(?:such as|including)\b|:\s*[^,]+,[^,]+,")

@dataclass(frozen=True)
class Sentence:
    text: str
    source: str
    terms: frozenset[str]  # normalised content terms, plus the full names of the people it mentions
    tokens: tuple[str, ...]  # every normalised word, for BM25
    words: frozenset[str]  # lower-cased words as written, for typo repair
    title: bool = False
    people: frozenset[str] = frozenset()  # full names of the people it mentions ("Blinken" -> Antony Blinken)
    # the people the sentence before it (same article) names: "The message echoes ... Jake Sullivan's warning ...
    # U.S. officials described an intense seven-hour meeting in Rome with Yang Jiechi" is Sullivan's meeting
    context_people: frozenset[str] = frozenset()

@dataclass
class Concept:
    """One content word of the question and the article terms that count as it (stem, repairs, variants)."""

    word: str
    alternatives: set[str] = field(default_factory=set)
    name: bool = False  # written with a capital in the question (not as its first word): a subject

class Topic:
    """The candidate sentences of a topic, their vocabulary, and its people and acronyms."""

    def __init__(self, articles: Sequence[Article]) -> None:
        from summarizer.entities import analyse_entities

        self.people = analyse_entities(articles).people
        raw = _raw_candidates(articles)
        self.vocabulary: set[str] = {w for text, _, _ in raw for w in tokens(text)}
        self.acronyms = acronyms(text for text, _, _ in raw)
        self.sentences = [self._sentence(text, source, title) for text, source, title in raw]
        self.df: Counter[str] = Counter(t for s in self.sentences for t in s.terms)
        self.sentences = _with_referents(self.sentences, self.term)
        self.sentences = self._with_dangling_people(articles)
        self.sentences = _with_context_people(self.sentences)
        per_article: dict[str, set[str]] = {}
        for s in self.sentences:
            per_article.setdefault(s.source, set()).update(s.terms)
        self.common = common_terms(list(per_article.values()))

    def _with_dangling_people(self, articles: Sequence[Article]) -> list[Sentence]:
        """Each body sentence that names people but whose "he" or "she" comes first also holds the person the
        pronoun stands for (``summarizer.referents``: its article named exactly that one person just before): "He
        presented their commander, Captain X, with ..." is about Ahmadinejad when the sentence before names him.
        As for ``_with_referents``, the name counts for matching the question only."""
        from summarizer.referents import REACH, Referents
        from summarizer.text import split_sentences

        wanted = {s.source for s in self.sentences if s.people and not s.title and _PERSONAL & set(s.words)}
        if not wanted:
            return self.sentences
        referents = Referents(self.people)
        bodies = {a.id: [p.strip() for p in split_sentences(a.body)] for a in articles if a.id in wanted}
        places: dict[str, dict[str, int]] = {}  # article -> sentence -> its first position
        for source, body in bodies.items():
            for k, text in enumerate(body):
                places.setdefault(source, {}).setdefault(text, k)
        out = list(self.sentences)
        for i, s in enumerate(self.sentences):
            if s.title or not s.people or not (_PERSONAL & set(s.words)):
                continue
            at = places.get(s.source, {}).get(s.text, 0)  # 0: first of its article, or not found: no one before
            body = bodies.get(s.source, [])
            found = referents.resolve(s.text, body[max(0, at - REACH):at]) if at else None
            if found is not None:
                out[i] = replace(s, terms=s.terms | {self.term(w) for w in tokens(found[1].name)})
        return out

    def term(self, word: str) -> str:
        return stem(base_form(word, self.vocabulary))

    def _sentence(self, text: str, source: str, title: bool) -> Sentence:
        words = tokens(text)
        terms = {self.term(w) for w in words if is_content(w)}
        terms |= {_VISIT + self.term(place) for place in _places_visited(text)}  # "a meeting ... in Moscow"
        people = set()
        for _, _, person in self.people.find(text):  # "Mr Wang" also counts as "Wang Yi"
            terms.update(self.term(w) for w in tokens(person.name))
            people.add(person.name)
        return Sentence(text, source, frozenset(terms), tuple(self.term(w) for w in words), frozenset(words), title,
                         frozenset(people))

    def lists(self, head: str, sentence: Sentence, kinds: Callable[[list[str]], int] | None = None) -> bool:
        """Does the sentence list instances of the X of "What X did ...?" (it enumerates and mentions X; any
        enumeration for "What stuff / items did ...?", whose X names no kind of thing)? A list that never says X
        counts when two or more of its items are kinds of X (``kinds``: "missiles, drones, armored vehicles" for
        "weapons")."""
        if not enumerates(sentence.text):
            return False
        if head in GENERIC_NOUNS or self.term(head) in sentence.terms:
            return True
        kind = _PLACE_CLASSES.get(head.split()[-1])  # "which countries ...": a list of countries need not say so
        if kind is not None and len(_places_named(sentence.text, kind)) >= 2:
            return True
        return kinds is not None and kinds(listed_items(sentence.text)) >= 2

    def gives_object(self, wanted: Any, concepts: Sequence[Concept]) -> Callable[[Sentence], bool]:
        """A test, for "What did X VERB (Y) (for)?" (``summarizer.qa_focus.object_asked``), of whether the question's
        verb (or a word of its group: "requested" for "asked"), with X as its subject, takes an object that brings
        words the question lacks in a sentence: "Russia is said to have asked for military assistance" does, "China
        was inclined to grant Russia's request" does not."""
        alternatives = {c.word: c.alternatives for c in concepts}
        verb = alternatives.get(wanted.verb, {self.term(wanted.verb)})
        asked = {t for c in concepts for t in c.alternatives}
        subject: set[str] = set()
        for word in wanted.subject[-1:]:  # its head: "union" of "the farmers union"
            subject |= alternatives.get(word, {self.term(word)})
            subject |= {self.term(f) for f in owner_forms(word)}  # "Moscow" for Russia
            person = self.people.resolve_tokens([word])
            if person:
                subject.add(self.term(tokens(person.name)[-1]))

        def is_subject(word: str) -> bool:
            term = self.term(word)
            return any(same_root(term, s) for s in subject)

        def new_words(span: list[str]) -> bool:
            return any(self.term(w) not in asked and not is_subject(w)
                       for piece in span for w in tokens(piece) if is_content(w) and w not in _QUESTION_NOISE)

        def gives(sentence: Sentence) -> bool:
            return any(new_words(span) for span in verb_objects(sentence.text, lambda w: self.term(w) in verb,
                                                                 is_subject if subject else None))

        return gives

    def specific(self, concepts: Sequence[Concept]) -> frozenset[str]:
        """The article terms of the question's concepts that are not the topic's common words."""
        out: set[str] = set()
        for concept in concepts:
            seen = {t for t in concept.alternatives if self.df.get(t)}
            if seen and not seen <= self.common:
                out |= seen
        return frozenset(out)

    def speaks_to(self, question: str, concepts: Sequence[Concept]) -> Any:
        """A test of whether a sentence holds the question's specific parts (``summarizer.qa_focus``).

        Each person the question names must be in the sentence (or in the one before it, when this one names another
        of them or no one); "X's Y" needs both X (or its adjective:
        "Taiwanese") and Y; "about Z" must be met by one of Z's words; in "What did X say?", X's last word.
        A part whose words the articles never use is left to the other gates (coverage, the second chance).
        """
        asked_people = {person.name for _, _, person in self.people.find(question)}
        surnames = {name: self.term(tokens(name)[-1]) for name in asked_people if tokens(name)}
        alternatives = {c.word: c.alternatives for c in concepts}

        def terms_of(word: str) -> set[str]:
            return {t for t in alternatives.get(word, {self.term(word)}) if self.df.get(t)}

        focus = question_focus(question, lambda w: is_content(w) and w not in _QUESTION_NOISE)
        pairs = []
        for owner, thing in focus.pairs:
            person = self.people.resolve_tokens([owner])
            owners = terms_of(owner) | ({self.term(w) for w in tokens(person.name)} if person else set())
            owners |= {self.term(w) for form in owner_forms(owner) for w in tokens(form)[-1:]}
            things = terms_of(thing)
            if owners and things:
                pairs.append((owners, things))
        about = [terms_of(w) for w in focus.about]
        about_terms = set().union(*about) if about and all(about) else set()
        speaker = terms_of(focus.speaker) if focus.speaker else set()
        outcome = asks_outcome(question)
        outcome_words = [c.word for c in concepts]

        def speaks(sentence: Sentence) -> bool:
            # a person the sentence before names counts when this sentence names another of the question's people or
            # no one ("... a seven-hour meeting in Rome with Yang Jiechi" after Sullivan's name), not when it is about
            # someone else ("prompting Blinken to cancel his trip" after Biden's name)
            context = sentence.context_people if not sentence.people or sentence.people & asked_people else ()
            if any(name not in sentence.people and surname not in sentence.terms and name not in context
                   for name, surname in surnames.items()):
                return False
            for owners, things in pairs:
                if not (things & sentence.terms and any(same_root(t, o) for t in sentence.terms for o in owners)):
                    return False
            if speaker and not speaker & sentence.terms:
                return False
            if speaker and focus.says and not gives_words(sentence.text):
                return False  # "What did Lin Miaoke say?": she must say something, not only be named
            if outcome and not states_outcome(sentence.text, outcome_words):
                return False  # "Was Jordan convicted?": "Jordan will stand trial" names the trial, not its end
            return not about_terms or bool(about_terms & sentence.terms)

        return speaks

    def quantified(
        self, question: str, kind: QuestionType, concepts: Sequence[Concept], texts: Sequence[str], encoder: Any,
        by_people: bool = False,
    ) -> list[bool]:
        """Whether each text's number (or duration) quantifies what the question asks about
        (``summarizer.qa_focus.quantified_words``): for "How many X did ... V", X or V ("25 arrests" answers
        "How many people were arrested?", "five types of equipment" does not answer "How many missiles ...?");
        for "how long", a word of the question next to the duration. Names do not count ("six houses in Leeds"
        does not count Leeds police officers). "How much ...?" also takes a sum of money; "How many people ...?" also
        the verb right before the number ("arrested ten US nationals"), since any noun may name people. When the words
        differ, the sentence encoder (if any) may still find them the same thing ("troops killed" for "soldiers
        died") at QUANTITY_SEMANTIC_MIN. ``by_people`` (durations): the people the question names count as its
        words too ("Lopes spoke with Berg for nearly two hours" for "How long were Lopes and Berg on the phone?"),
        the caller's fallback when no duration stands next to another word of the question."""
        lasting = kind.name == "how_long"
        alternatives = {c.word: c.alternatives for c in concepts if (lasting and by_people) or not c.name}

        def terms(words: Sequence[str]) -> set[str]:
            return {t for w in words if w in alternatives for t in alternatives[w]}

        words = list(alternatives)
        counted = counted_thing(question) if kind.name == "how_many" else None
        sum_asked = people = False
        if counted is not None:
            thing, rest = counted
            words = [w for w in thing if w in alternatives] + [w for w in rest if w in alternatives][:1]
            sum_asked = asks_amount(question)
            people = counts_people(thing)
        asked = terms(words)
        before = QUANTITY_BEFORE if kind.name == "how_long" else 0
        found = [quantified_words(text, before, verb_before=people) for text in texts]
        verdict = [
            (sum_asked and money(text)) or (lasting and bool(LASTED_RE.search(text)))
            or any(self.term(w) in asked for ws in groups for w in ws)
            for text, groups in zip(texts, found, strict=True)
        ]
        doubtful = sorted({" ".join(ws) for ok, groups in zip(verdict, found, strict=True) if not ok
                           for ws in groups if ws})
        if doubtful and words and encoder is not None:
            cosine = dict(zip(doubtful, cosines(" ".join(words), doubtful, encoder), strict=True))
            verdict = [ok or any(cosine.get(" ".join(ws), 0.0) >= QUANTITY_SEMANTIC_MIN for ws in groups)
                       for ok, groups in zip(verdict, found, strict=True)]
        if counted is not None:  # "How many Chinese troops ...?" is not answered by "7,000 Russian troops"
            verdict = [ok and not self._other_nationality(counted[0], text)
                       for ok, text in zip(verdict, texts, strict=True)]
        return verdict

    def _other_nationality(self, thing: Sequence[str], text: str) -> bool:
        """Whether no mention of the counted noun in ``text`` is of the nationality the question gives it: each is
        qualified by another ("Russian troops" for "Chinese troops") or by none, with no word of that country in
        the words before it ("216 passengers" for "French passengers"; "Russia has lost 7,000 troops" is Russian
        troops); False when the question gives none."""
        asked = {w for w in thing[:-1] if _is_nationality(w)}
        if not asked:
            return False
        allowed = {f for w in asked for f in owner_forms(w)}
        nation = bool(asked - _BLOCS)  # "EU members" are "members of the union": a bloc is no nationality to find
        noun = self.term(thing[-1])
        words = tokens(text)
        places = [i for i, w in enumerate(words) if self.term(w) == noun]
        if not places:
            return False
        for i in places:
            near = {w for w in words[max(0, i - 3):i] if _is_nationality(w)}
            before = words[max(0, i - NATIONALITY_WINDOW):i]
            if near & allowed or (not near and (not nation or any(same_root(w, a) for w in before for a in allowed))):
                return False
        return True

    def _role_terms(self, role: Any, same: Collection[str] = ()) -> set[str]:
        """The terms of a role word and of its one-edit spellings in the articles ("spokesmen", "spokesman"), and
        ``same``: the terms the question's word stands for ("cop": policeman, officer; ``summarizer.everyday``)."""
        return {self.term(role.word)} | {self.term(w) for w in _near_spellings(role.word, self.vocabulary)} | set(same)

    def _new_name_terms(self, sentence: Sentence, asked: set[str]) -> set[str]:
        """The terms of the names in ``sentence`` that the question (its stems ``asked``) does not use."""
        return {self.term(w) for name in names(sentence.text) if is_new_name(name, asked)
                for w in tokens(name) if stem(w) not in asked and is_content(w)}

    def _person_terms(self, sentence: Sentence, roles: Collection[str]) -> set[str]:
        """The terms of the words of ``sentence`` that name a person (not a place, an organisation or a title) and
        do not qualify the role word right after them: the holder of a role is someone ("Pilots from TAM" names an
        airline, "guards, detained in Iraq" a place, "an Air Comet pilot" an employer; "over the Atlantic" names no one
        the topic knows)."""
        from summarizer.entities import find_spans, tag_span

        out: set[str] = set()
        for span in find_spans(sentence.text):
            tagged = tag_span(span, self.people.vocabulary)
            after = tokens(sentence.text[span.end:span.end + 40])[:1]
            if tagged is None or tagged.kind != "person" or (after and self.term(after[0]) in roles):
                continue
            whole = len(tagged.name) >= 2 or (not tagged.title and len(span.tokens) >= 2)
            if not whole and self.people.resolve_tokens(tagged.name) is None:
                continue  # one capitalised word is someone only when the topic names him in full: not "the Atlantic",
                # nor the "Finance" of "the Indonesian Minister of Finance"
            out |= {self.term(w) for w in tokens(" ".join(tagged.name))}
        return out

    def holds_role(self, role: Any, question: str, same: Collection[str] = ()) -> Any:
        """A test of whether a sentence names the holder of the role a "Who is the ... ROLE?" question asks for
        (``summarizer.qa_focus.role_held``): the role word itself (or its typo), its qualifiers ("Russian",
        "China's", as the country's other names too) right before it, and a name the question does not use."""
        roles = self._role_terms(role, same)
        forms = {q: {self.term(q)} | {self.term(w) for f in owner_forms(q) for w in tokens(f)[-1:]}
                 for q in role.qualifiers}
        asked = {stem(w) for w in tokens(question)}

        def qualifies(term: str, qualifier: str) -> bool:
            return any(same_root(term, f) for f in forms[qualifier])

        def holds(sentence: Sentence) -> bool:
            new_names = self._new_name_terms(sentence, asked) & self._person_terms(sentence, roles)
            return role_held(role, list(sentence.tokens), roles.__contains__, qualifies,
                             lambda j: sentence.tokens[j] in new_names)

        return holds

    def names_holder(self, role: Any, question: str, same: Collection[str] = ()) -> Any:
        """A test of whether a sentence names someone right next to the role of "Who is the ... ROLE?" (a name the
        question does not use within ROLE_NAME_NEAR words of the role word): "national security adviser Jake
        Sullivan" does, "our national security adviser ..., Jen Psaki said" does not. For the ranking only."""
        roles = self._role_terms(role, same)
        asked = {stem(w) for w in tokens(question)}

        def named(sentence: Sentence) -> bool:
            new_names = self._new_name_terms(sentence, asked)
            words = sentence.tokens
            return any(words[k] in new_names for j, w in enumerate(words) if w in roles
                       for k in range(max(0, j - ROLE_NAME_NEAR), min(len(words), j + ROLE_NAME_NEAR + 1)))

        return named

    def phrase_bonus(self, question: str) -> Any:
        """A test of whether a sentence writes each "X's Y" of the question as a phrase ("China's foreign
        ministry", "the ministry of China") rather than X here and Y elsewhere: such a sentence ranks first."""
        focus = question_focus(question, lambda w: is_content(w) and w not in _QUESTION_NOISE)
        pairs = [({self.term(w) for form in owner_forms(owner) for w in tokens(form)[-1:]}, {self.term(thing)})
                 for owner, thing in focus.pairs]

        def together(sentence: Sentence) -> bool:
            return bool(pairs) and all(
                near(sentence.tokens, lambda t, o=owners: any(same_root(t, x) for x in o), things.__contains__)
                for owners, things in pairs
            )

        return together

    def concepts(self, question: str, plain: bool = False) -> list[Concept]:
        """The question's content words, each with the article terms that count as it.

        The particle of a phrasal verb carries its meaning too ("getting together", whose verb is question noise,
        is "meet"; "handing the money back" is "return" in both its words); function words typed without their
        apostrophe ("didnt") or missing from the stop list ("besides") and idioms of time ("in the end") name
        nothing; idioms mean their news words ("were the sailors held": detained, in captivity; "on the phone":
        talking; ``summarizer.everyday.idioms``). ``plain`` (no sentence encoder: words alone must meet) also
        reads ``summarizer.everyday``'s wider tables."""
        question = without_adverbials(question)
        capitalised = _capitalised_words(question)
        words = tokens(question)
        meanings = phrasal(words, wide=plain)  # "chipping in" is "contribute", whether or not they say "chip"
        for word, news in idioms(question).items():  # "how long were the sailors held?": their captivity
            meanings[word] = (*meanings.get(word, ()), *news)
        asked = [w for w in _question_words(question) if not function_word(w)]
        found: list[Concept] = []
        for word in asked:
            concept = Concept(word, {self.term(word)}, name=word in capitalised)
            concept.alternatives |= {self.term(w) for w in meanings.get(word, ())}
            if word in _VISIT_WORDS:  # "visit Moscow" meets "a meeting between Putin and Xi in Moscow"
                concept.alternatives |= {_VISIT + self.term(w) for w in words if canonical_place(w.capitalize())}
            if not concept.name:  # "talked" is "spoke", "asked" is "requested", whichever the articles use
                concept.alternatives |= {self.term(w) for w in same(word)}
            if not any(self.df.get(t) for t in concept.alternatives):
                concept.alternatives |= self._repairs(word, plain)
            found.append(concept)
        for _, _, person in self.people.find(question):  # "Mr Wang" in the question: Wang Yi's sentences too
            for word in tokens(person.name):
                if not any(c.word == word for c in found):
                    found.append(Concept(word, {self.term(word)}, name=True))
        return found

    def _repairs(self, word: str, plain: bool = False) -> set[str]:
        """Terms a word the articles never use may stand for: an everyday word's news word
        (``summarizer.everyday``, its wider table on a ``plain`` install), a typo, an acronym, a longer or shorter
        form."""
        out: set[str] = {self.term(w) for w in everyday(word, wide=plain)}  # "kids" -> children, "cops" -> police
        snapped = _snap(word, self.vocabulary)
        if snapped != word:
            out.add(self.term(snapped))
        if word in self.acronyms:
            out.update(self.term(w) for w in self.acronyms[word] if is_content(w))
        thousands = re.fullmatch(r"(\d{1,3})k", word)  # chat's "10k" is the articles' "10,000"
        if thousands:
            out.add(self.term(thousands.group(1)))
        if plain:  # "old" where the articles only say "oldest"
            out.update(self.term(w) for w in superlatives(word, self.vocabulary))
        key = self.term(word)
        if len(key) >= 5 and not word.isdigit():  # partial: "Medeiros'" ~ "medeiros", "sanction" ~ "sanctions"
            out.update(t for t in self.df if len(t) >= 5 and (t.startswith(key) or key.startswith(t)))
        return out

    def people_in_full(self, texts: Sequence[str]) -> str:
        """The cited sentences as one answer, each person named in full at first mention: "Mr Wang [Wang Yi]".

        A cited line without closing punctuation (a caption, a subheading) gets a period, or it would run into
        the next citation as one sentence ("... between China and the US Foreign Ministry spokesman ...")."""
        full = self.people.in_full(texts)
        return " ".join(t if _CLOSED.search(t) or i == len(full) - 1 else f"{t}." for i, t in enumerate(full))

# "When will Xi visit Moscow?": a visit to a place is also a meeting, a summit, talks or a trip there ("A meeting
# between Putin and Xi in Moscow next Thursday"). The place of such a gathering is a term of its sentence, which the
# question's "visit" (trip, travel) with that place meets; whose visit it is stays the people gate's to check.
_VISIT = "visit@"

_VISIT_WORDS = wordset("visit visits visited visiting trip trips travel travels travelled traveled travelling")

_GATHERING = (r"(?:visit(?:s|ed|ing)?|trips?|travel(?:s|led|ed|ling|ing)?|meetings?|meet(?:s|ing)?|met|summits?|"
              r"talks)")

_PLACE_NAME = r"([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)"

_GATHERING_IN = re.compile(r"\b" + _GATHERING + r"\b(?:\s+[\w'-]+){0,5}?\s+(?:in|to)\s+" + _PLACE_NAME)

_PLACE_GATHERING = re.compile(_PLACE_NAME + r"(?:['\u2019]s)?\s+" + _GATHERING + r"\b")

def _places_visited(sentence: str) -> set[str]:
    """The gazetteer places of the gatherings a sentence tells of ("meeting ... in Moscow", "the Beijing trip")."""
    found = set()
    for pattern in (_GATHERING_IN, _PLACE_GATHERING):
        for match in pattern.finditer(sentence):
            for name in (match.group(1), match.group(1).split()[0]):
                place = canonical_place(name)
                if place:
                    found.add(place.lower())
                    break
    return found

# A list head that names a class of places, and the gazetteer entries that are its members.
_PLACE_CLASSES = {"countries": COUNTRIES, "nations": COUNTRIES, "cities": PLACES, "towns": PLACES, "places": PLACES,
                  "regions": PLACES}

PLACE_MAX_WORDS = 3  # the most words of a gazetteer place ("United Arab Emirates")

_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*")

def _places_named(sentence: str, members: frozenset[str]) -> set[str]:
    """The distinct gazetteer places of ``members`` the sentence names ("the U.S." is the United States)."""
    found = set()
    for run in _CAPITALISED_RUN.findall(sentence):
        words = run.split()
        for size in range(min(len(words), PLACE_MAX_WORDS), 0, -1):  # "New Zealand" before "Zealand"
            for start in range(len(words) - size + 1):
                name = " ".join(words[start:start + size]).rstrip(".,")
                place = canonical_place(name) or canonical_place(name + ".")  # "U.S.," was cut to "U.S"
                if place in members:
                    found.add(place)
    return found

_ITEM_SPLIT = re.compile(r"\s*(?:[,;:]|\band\b|\bor\b|\bsuch as\b|\binclud(?:e|es|ed|ing)\b)\s*", re.IGNORECASE)

ITEM_MAX_WORDS = 3  # a longer piece between commas is a clause, not an item of the list

_ITEM_LEAD = wordset("the a an some several many even other more")

def listed_items(sentence: str) -> list[str]:
    """The short pieces of a sentence between commas, "and", "or", "such as", "including" (the items of its lists):
    "requested five types of equipment: surface-to-air missiles, drones, armored vehicles" ->
    ["surface-to-air missiles", "drones", "armored vehicles"]."""
    items = []
    for piece in _ITEM_SPLIT.split(sentence):
        words = [w for w in piece.strip(" .\"'()").split() if w.lower() not in _ITEM_LEAD]
        if 1 <= len(words) <= ITEM_MAX_WORDS and any(is_content(w.lower()) for w in words):
            items.append(" ".join(words))
    return items

def enumerates(sentence: str) -> bool:
    """Does the sentence list several things ("drones, missiles and armored vehicles", "such as ...")?"""
    return bool(_ENUMERATION.search(sentence))

def _capitalised_words(question: str) -> set[str]:
    """Lower-cased words written with a capital, except the question's first word ("Who", "Did")."""
    words = _WORD.findall(question)
    return {tokens(w)[0] for w in words[1:] if w[:1].isupper() and tokens(w)}

# Capitalised runs that look like names; the sentence-initial word alone is just capitalised.
# Latin letters by case, accented ones included ("José Arévalo", "Sebastián Piñera"): an ASCII class cut such names
# at the first accent ("Policeman Jos", "Ar").
_UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x250)) if c.islower() and c.isalpha())
_NAME = re.compile(rf"\b[{_UPPER}][{_LOWER}'.-]*[{_LOWER}](?:\s+(?:[{_UPPER}]\.\s*)?[{_UPPER}][{_LOWER}'-]+)*"
                   rf"|\b[{_UPPER}]{{2,}}\b")

_NOT_NAMES = wordset(
    """the a an but and or so he she it they we i you his her its their this that these those there here
    however meanwhile after before when while if as on in at for of to with by from mr mrs ms dr sir
    president officials official secretary"""
)

def names(sentence: str) -> list[str]:
    """Capitalised runs that look like names ("Jake Sullivan", "NATO"); a lone first word is not one."""
    found = []
    start = len(sentence) - len(sentence.lstrip(" \"'(-"))
    for match in _NAME.finditer(sentence):
        text = match.group(0)
        if match.start() <= start and " " not in text.strip():
            continue
        if text.lower() in MONTHS or text.lower() in WEEKDAYS or text.lower() in _NOT_NAMES:
            continue
        found.append(text)
    return found

def is_new_name(name: str, asked: set[str]) -> bool:
    """A name the question does not use: "Haitian" is not new to a question about Haiti."""
    words = [w for w in tokens(name) if w not in STOP_WORDS and w not in ("president", "officials", "official")]
    return bool(words) and any(
        stem(w) not in asked and not any(len(a) >= 4 and same_root(stem(w), a) for a in asked) for w in words
    )

# Noise only before "about": "what did they talk about?" asks what was said, "how long did they talk?" asks
# about the talking ("spoke for nearly two hours").
_NOISE_BEFORE_ABOUT = wordset("talk talks talked talking")

def _question_words(question: str) -> list[str]:
    seen: list[str] = []
    words = tokens(question)
    for i, word in enumerate(words):
        if not is_content(word) or word in _QUESTION_NOISE or word in seen:
            continue
        if word in _NOISE_BEFORE_ABOUT and words[i + 1:i + 2] == ["about"]:
            continue
        seen.append(word)
    return seen

def _snap(word: str, vocabulary: set[str]) -> str:
    """The article word closest to a question word the articles never use, if it is a likely typo.

    A typo is one edit (insert, delete, substitute or swap two letters) in a word of 5-7 letters, two in a
    longer word; shorter words are too easy to confuse ("moon"/"mood") to guess.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    allowed = 0 if len(word) < 5 else 1 if len(word) < 8 else 2
    if word in vocabulary or not allowed or word.isdigit():
        return word
    # sorted: among equally close words the pick must not depend on set order (hash seed)
    match = process.extractOne(word, sorted(vocabulary), scorer=OSA.distance, score_cutoff=allowed)
    return match[0] if match is not None else word

def _is_nationality(word: str) -> bool:
    """"russian", "us": a nationality or country adjective (``gazetteer.NATIONALITIES``, written capitalised)."""
    return word.capitalize() in NATIONALITIES or word.upper() in NATIONALITIES

def _near_spellings(word: str, vocabulary: set[str]) -> list[str]:
    """Article words one edit from ``word`` (5 letters or more): "spokesmen" for "spokesman", not "ministry" for
    "minister" (two edits, another thing)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    if len(word) < 5:
        return []
    return [m[0] for m in process.extract(word, sorted(vocabulary), scorer=OSA.distance, score_cutoff=1, limit=None)]

def _raw_candidates(articles: Sequence[Article]) -> list[tuple[str, str, bool]]:
    """(text, article id, is title) for each distinct, sentence-like line of the articles and each title."""
    from summarizer.text import split_sentences

    seen: set[str] = set()
    found: list[tuple[str, str, bool]] = []
    for article in articles:
        title = " ".join((article.title or "").split())
        pieces = [(title, True)] if title else []
        pieces += [(s.strip(), False) for s in split_sentences(article.body) if s.strip()]
        for text, is_title in pieces:
            key = " ".join(tokens(text))
            if not key or key in seen or not (_title_like(text) if is_title else _sentence_like(text)):
                continue
            seen.add(key)
            found.append((text, article.id, is_title))
    return found

PRONOUN_REACH = 2  # sentences back where a pronoun's person may have been named ("Graner, 36, ... He ... him")

_PERSONAL = wordset("he him his she her hers")

def _with_context_people(sentences: list[Sentence]) -> list[Sentence]:
    """Each body sentence with the people of the candidate sentence just before it in its article (a line that is no
    candidate, a fragment or a repeat, is passed over)."""
    out = list(sentences)
    for i in range(1, len(sentences)):
        s, before = sentences[i], sentences[i - 1]
        if not s.title and not before.title and before.source == s.source and before.people:
            out[i] = replace(s, context_people=before.people)
    return out


def _with_referents(sentences: list[Sentence], term: Callable[[str], str]) -> list[Sentence]:
    """Each body sentence with "he", "him", "his", "she" or "her" and no name of its own also holds the names of the
    people of the nearest sentence before it in its article (at most PRONOUN_REACH back) that names people: "the
    jury took five hours to find him guilty" is about Graner when the sentence before names him, and answers "how
    long did the jury deliberate on Graner?". The names count for matching the question only (the topic's word
    counts are taken before)."""
    out = list(sentences)
    for i, s in enumerate(sentences):
        if s.title or s.people or not (_PERSONAL & set(s.words)):
            continue  # a sentence that names someone itself is about them ("... Blinken to cancel ..., and he ...")
        for back in range(i - 1, max(-1, i - 1 - PRONOUN_REACH), -1):
            before = sentences[back]
            if before.source != s.source or before.title:
                break
            if before.people:
                names = {term(w) for name in before.people for w in tokens(name)}
                out[i] = replace(s, terms=s.terms | names)
                break
    return out

def candidates(articles: Sequence[Article]) -> list[Sentence]:
    """The sentences (and titles) an answer may cite, for benchmarks and tools that rank them."""
    return Topic(articles).sentences

def _sentence_like(text: str) -> bool:
    """Drop tag lists, all-caps banners and fragments: they are not answers even when they match."""
    words = _WORD.findall(text)
    if len(words) < 5 or len(words) > 120:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) <= 0.6 and not text.isupper()

def _title_like(text: str) -> bool:
    """A headline is Title Case by design; it only needs a few words and no all-caps shouting."""
    return 4 <= len(_WORD.findall(text)) <= 40 and not text.isupper()

def cosines(question: str, texts: list[str], encoder: Any) -> Any:
    import numpy as np

    if encoder is None:
        from summarizer.encoders import TfidfEncoder

        encoder = TfidfEncoder()
    vectors = encoder.encode([*texts, question])
    sims = vectors[:-1] @ vectors[-1].T
    sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
    calibrate = getattr(encoder, "calibrate", None)  # the static vectors' cosines, put on MiniLM's scale
    if calibrate is not None:
        sims = calibrate(sims)
    return np.clip(sims.ravel(), 0.0, 1.0)
