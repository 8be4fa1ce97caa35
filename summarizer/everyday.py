"""Everyday words and phrasal verbs a chat question uses where news writes another word.

A reader asks "were there any kids on the plane?" or "how much is Airbus chipping in?"; the articles say
"children" and "contribute". Neither a stemmer nor a typo repair joins those, and single-word neighbours under a
sentence encoder are too noisy ("defence" -> "attacking"). This is a small table of general English: casual or
plain words with the words news reports use for the same thing, and phrasal verbs with the one-word verb that
means the same ("sit down with" is "meet", "let go" is "release"). It is not a thesaurus: an entry belongs here
only when any English speaker would take the two as the same thing in a news question.

``summarizer.qa`` uses ``everyday`` only for a question word the articles never use (a repair, like a typo's),
and ``phrasal`` for a verb followed by its particle, whether or not the articles use the verb ("kick out" is not
"kick").
``same`` is for words news itself writes either way, whether or not the articles use the question's word: a
reader asks how long two leaders "talked" and the report says they "spoke"; "asked" for weapons and "requested"
them. Each line of that table is a group of words that stand for one another in a news question (the verbs of
saying to someone, asking, beginning, hurting ...); a question word of a group counts as any of them.

Function words chat types without their apostrophe ("didnt", "theyd": ``function_word``) and idioms of time
("in the end": ``without_adverbials``) name nothing, on every install. A plain install (no sentence encoder,
``wide=True``) also reads two more tables of the same kind. With the ml extra the sentence encoder already meets
most of these paraphrases ("soldiers" ~ "troops"), and that path is measured and tuned on its own; folding these
tables into the shared ones is a change to measure there first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from summarizer.analyzer import stem, tokens, wordset

# casual or plain word: the words a news report uses for it (all lower case, any inflection of the key counts)
_EVERYDAY = """
kid: child children
kiddie: child children
cop: police policeman policemen officer officers
folk: people residents
brit: british britain uk
guy: man men people
mom: mother
mum: mother
dad: father
hubby: husband
doc: doctor
teen: teenager teenage youth
hurt: injure injured injury injuries wounded
die: death dead killed
dead: death died killed
kill: death died dead
jail: prison imprison imprisoned detained
nab: arrest arrested capture captured
nick: arrest arrested
grab: seize seized capture captured
little: small young
buy: purchase purchased
cash: money funds
pay: payment paid
cost: price
job: post position
boss: head chief leader manager director
big: large major
huge: massive large enormous
start: begin began launch launched
end: finish finished
quit: resign resigned
talk: speak spoke discuss discussed
chat: talk speak spoke
ask: request requested
help: aid assist assistance
give: donate donated provide provided pledge pledged
send: dispatch dispatched deploy deployed
car: vehicle
plane: aircraft airplane aeroplane jet airliner
boat: ship vessel
gun: weapon firearm
bomb: explosive explosives explosion blast
blast: explosion
shake: tremor quake earthquake
quake: earthquake tremor
deal: agreement accord pact
win: victory
fight: battle clash
row: dispute
stop: halt suspend
free: release released
shut: close closed closure
punishment: sentence sentenced penalty
blame: cause caused responsible fault
fundraiser: telethon appeal fundraising
okay: approve approved authorize authorized authorise authorised
ok: approve approved authorize authorized authorise authorised
"""

# verb particle: the words a news report uses for the phrase
_PHRASAL = """
sit down: meet meeting talks
get together: meet meeting talks
chip in: contribute contribution donate
pitch in: contribute contribution donate
let go: release released free freed
kick out: expel expelled oust ousted dismiss dismissed evict evicted displace displaced homeless
go easy: soft softer soften tone
go easier: soft softer soften tone
throw out: expel expelled oust ousted dismiss dismissed
shut down: close closed
run off: flee fled escape escaped
run away: flee fled escape escaped
pick up: arrest arrested detain detained
lock up: jail prison imprison imprisoned detain detained
step down: resign resigned
pull out: withdraw withdrew withdrawal
call off: cancel cancelled canceled
put off: postpone postponed delay delayed
turn down: reject rejected refuse refused decline declined
fall down: collapse collapsed
blow up: explode exploded destroy destroyed
set off: detonate detonated trigger triggered
look into: investigate investigation probe
hand over: transfer transferred deliver delivered
find out: discover discovered learn learned
give back: return returned
go on: last lasted continue continued
break out: escape escaped
pay back: return returned repay repaid
want from: ask asked request requested seek sought
bring in: raise raised collect collected
fly out: evacuate evacuated evacuation airlift airlifted
"""

# plain install only (``wide=True``): chat or plain word: the words a news report uses for it
_WIDE_EVERYDAY = """
soldier: troops troop
trip: visit journey
scrap: cancel cancelled abandon abandoned
catch: capture captured detain detained seize seized
cheap: stingy
gear: equipment
tech: technology
react: respond responded response reaction
junk: debris wreckage
grill: question questioned interrogate interrogated
wreck: destroy destroyed damage damaged
"""

# plain install only (``wide=True``): verb particle: the words a news report uses for the phrase
_WIDE_PHRASAL = """
put up: provide provided pledge pledged donate donated contribute
put out: release released issue issued publish published
hold off: delay delayed postpone postponed
cut down: reduce reduced
"""

# class noun: kinds of it a news report lists without naming the class ("surface-to-air missiles, drones" are weapons;
# with the ml extra the sentence encoder judges this instead, summarizer.qa). General English, not the articles'.
_KINDS = """
weapon: missile rocket drone tank artillery gun rifle pistol firearm ammunition munition bomb grenade mortar howitzer
weapon: warplane warship submarine torpedo launcher explosive
arm: missile rocket drone tank artillery gun rifle ammunition munition bomb grenade mortar howitzer
equipment: missile rocket drone tank artillery gun ammunition vehicle radio radar armor armour helmet uniform
gear: missile drone vehicle radio radar armor armour helmet uniform ammunition
vehicle: car truck lorry van bus tank jeep motorcycle
building: hospital cathedral church mosque temple palace school university hotel parliament headquarters tower
building: prison jail stadium museum embassy ministry office
aid: food water medicine shelter tent blanket money
supply: food water medicine fuel ammunition tent blanket ration
"""


def kinds(head: str) -> frozenset[str]:
    """The stems of the kinds of a class noun ("weapons" -> missile, drone, ...) news lists without naming the class,
    or an empty set."""
    return _kind_table().get(stem(head), frozenset())


@lru_cache(maxsize=1)
def _kind_table() -> dict[str, frozenset[str]]:
    return {key: frozenset(stem(w) for w in words) for (key,), words in _table(_KINDS).items()}


# Function words chat writes without their apostrophe ("didnt", "theyre"), and "they'd" once the analyzer has
# dropped its apostrophe ("theyd"): not words of the question's subject. Not "cant", "wont", "shed", "well",
# "were", "hell", "wed", "id", "lets": real words of their own.
_CHAT_FUNCTION = wordset(
    """
    dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt wouldnt couldnt shouldnt mustnt neednt aint
    im ive youre youve youd youll theyre theyve theyd theyll weve hes shes hed itll thats whats whos wheres hows
    theres
    """
)
# Function words the analyzer's stop list lacks ("what else ...", "besides the dogs"): they name nothing.
_FUNCTION = wordset("else besides instead anyway though although whether")

# Idioms of time or degree that name nothing the articles would say ("who won in the end?", "how many so far?",
# "at the last minute"): dictionary adverbials, whole phrases only.
_ADVERBIALS = re.compile(
    r"\b(?:in the end|so far|at last|at the last minute|at the moment|right (?:after|away|now)|at first|"
    r"in the first place|after all|at all|by now|for now|these days|of course|in fact|in the meantime)\b",
    re.IGNORECASE,
)

# words a news question and a news report use for one another (each line a group; any inflection of each counts)
_SAME = """
talk speak discuss converse
ask request seek
start begin launch
finish end conclude
hurt injure wound
arrest detain
help aid assist
buy purchase
accuse charge allege
threaten warn
shake tremble
swap replace substitute switch
promise pledge vow
vanish disappear
stop halt suspend
quake earthquake
prisoner inmate
"""


# Idioms whose meaning a single word's entry cannot give, because the same word means something else elsewhere:
# people "held" are held captive, a summit "held" is not ("when was the summit held?"); people "on the phone" are
# talking. ``idioms`` gives the question word and the words a news report uses for the idiom.
_HELD = re.compile(r"\b(?:were|was|are|is|been|being)\b(?P<subject>(?:\s+[\w'-]+){0,5}?)\s+held\b", re.IGNORECASE)
_GATHERINGS = wordset(
    """meeting meetings talks summit summits conference conferences election elections vote votes ceremony
    ceremonies race races event events session sessions rally rallies funeral funerals games match matches hearing
    hearings trial trials referendum party parties festival concert show shows contest"""
)
_CAPTIVITY = ("detain", "detained", "detention", "captivity", "captive", "custody", "hostage", "hostages")
_ON_THE_PHONE = re.compile(r"\bon\s+the\s+(?P<phone>phone|telephone)\b", re.IGNORECASE)
_TALKING = ("call", "spoke", "speak", "talk", "talked", "conversation")


def held_captive(question: str) -> bool:
    """Does the question ask about people "held" (captive), not a gathering held?"""
    found = _HELD.search(question)
    return bool(found) and not any(w in _GATHERINGS for w in tokens(found.group("subject")))


def idioms(question: str) -> dict[str, tuple[str, ...]]:
    """Question word -> the news words of the idiom it is part of: "held" in "how long were the sailors held?"
    (captivity, detention), "phone" in "how long were they on the phone?" (spoke, talk, call)."""
    found: dict[str, tuple[str, ...]] = {}
    if held_captive(question):
        found["held"] = _CAPTIVITY
    phone = _ON_THE_PHONE.search(question)
    if phone:
        found[phone.group("phone").lower()] = _TALKING
    return found


def _table(text: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each "key: words" line of ``text`` (the key's first word stemmed); a key on several lines gets all their
    words, in order."""
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in text.strip().splitlines():
        key, _, words = line.partition(":")
        parts = key.split()
        if not parts:  # the blank line between two tables read as one
            continue
        key_stems = (stem(parts[0]), *parts[1:])
        out[key_stems] = tuple(dict.fromkeys((*out.get(key_stems, ()), *words.split())))
    return out


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in _SAME.strip().splitlines():
        group = tuple(line.split())
        for word in group:
            out[stem(word)] = tuple(sorted({*out.get(stem(word), ()), *group}))
    return out


_Table = dict[tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=2)
def _tables(wide: bool = False) -> tuple[_Table, _Table]:
    if not wide:
        return _table(_EVERYDAY), _table(_PHRASAL)
    return _table(_EVERYDAY + _WIDE_EVERYDAY), _table(_PHRASAL + _WIDE_PHRASAL)  # a key in both gets both's words


def everyday(word: str, wide: bool = False) -> tuple[str, ...]:
    """The words news uses for a casual or plain word ("kids" -> child, children), or () if it has no entry;
    ``wide`` (a plain install) reads the plain install's table too ("soldiers" -> troops)."""
    return _tables(wide)[0].get((stem(word),), ())


# Chat shorthand and the words it stands for, whole words in lower case as typed ("how many yrs did he get?", "did xi n
# putin meet b4 the war?"). News never writes them, so a question keeps them at its peril: an unknown word weighs
# the most in the question, and a year it cannot read makes "how many yrs" no question of how long.
_SHORTHAND = {
    "yr": "year", "yrs": "years", "hr": "hour", "hrs": "hours", "mins": "minutes", "secs": "seconds",
    "govt": "government", "info": "information", "dept": "department",
    "intl": "international", "natl": "national",
    "pic": "picture", "pics": "pictures", "vid": "video", "vids": "videos", "msg": "message", "msgs": "messages",
    "ppl": "people",
    "u": "you", "ur": "your", "r": "are", "n": "and", "w/": "with", "w/o": "without", "abt": "about",
    "b4": "before", "bc": "because", "cuz": "because", "coz": "because", "tho": "though", "thru": "through",
    "pls": "please", "plz": "please", "rly": "really", "approx": "approximately",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "kinda": "kind of", "sorta": "sort of",
}
_SHORTHAND_RE = re.compile(
    r"(?<![^\s(\"])(" + "|".join(re.escape(k) for k in sorted(_SHORTHAND, key=len, reverse=True))
    + r")(?=[\s?!,;:)\"]|\.(?![\w.])|$)"  # "u.s." is no shorthand
)


def expand_shorthand(question: str) -> str:
    """``question`` with chat shorthand written out ("xi n putin" -> "xi and putin", "how many yrs" -> "how many
    years"); lower-case words only ("N" or "R" in capitals may be an initial), and not a letter of an abbreviation
    ("u.s.", "n. korea")."""

    def written_out(match: re.Match[str]) -> str:
        word = match.group(1)
        if len(word) == 1 and question.startswith(".", match.end()):
            return word  # "n. korea": a letter and a period are an abbreviation
        return _SHORTHAND[word]

    return _SHORTHAND_RE.sub(written_out, question)


def function_word(word: str) -> bool:
    """A function word typed without its apostrophe ("didnt", "isnt", "theyd"), or one the analyzer's stop list lacks
    ("else", "besides"); shortened ones ("thru") are written out before (``expand_shorthand``)."""
    return word.lower() in _CHAT_FUNCTION or word.lower() in _FUNCTION


def without_adverbials(text: str) -> str:
    """``text`` without its idioms of time or degree ("in the end", "so far"), which name nothing."""
    return _ADVERBIALS.sub(" ", text)


def same(word: str) -> tuple[str, ...]:
    """The words news writes for ``word`` as well as it ("talked" -> speak, discuss; "asked" -> request, seek),
    itself included, or () if it is in no group."""
    return _groups().get(stem(word), ())


def phrasal(words: Sequence[str], wide: bool = False) -> dict[str, tuple[str, ...]]:
    """Verb and particle -> the news words for their phrase, for each phrasal verb in ``words`` (lower-case tokens
    in order): ["chipping", "in", "for"] -> {"chipping": ("contribute", ...), "in": (...)}. The particle must follow
    the verb, or an object pronoun that follows it ("let them go"). The particle carries the meaning too: a
    question's content words may leave the verb out ("getting together" is looked for by "together"). ``wide`` (a
    plain install) reads the plain install's table too."""
    table = _tables(wide)[1]
    found: dict[str, tuple[str, ...]] = {}
    for i, word in enumerate(words[:-1]):
        after = words[i + 1:i + 2]
        if words[i + 1] in _PRONOUNS:
            after += words[i + 2:i + 3]
        particle = next((p for p in after if (stem(word), p) in table), None)
        if particle:
            for part in (word, particle):
                found[part] = tuple(dict.fromkeys((*found.get(part, ()), *table[(stem(word), particle)])))
    return found


_PRONOUNS = wordset("them him her it us me you")
