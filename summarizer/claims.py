"""What a point asserts, read from its words, so that a brief tells one claim once (``summarizer.brief``).

Two points can tell one thing in different words and through different voices: Sullivan's warning that Beijing
"would face consequences if it helped Russia", then a White House statement on the "implications and
consequences" for Xi "if Beijing provided material support". The near-duplicate and same-event tests compare words
and named parties, so they keep such pairs apart. These rules read a few kinds of claim from a small lexicon
instead: a conditional warning, a party holding back its criticism, a point that only frames the lead's event, and a
recap of an event's last occurrence. They do not model who claims what (two countries refusing to condemn make one
"refrain" claim).
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.analyzer import stem, words
from summarizer.events import TRIGGERS

# A warning of what a party will suffer if it acts ("Beijing would face consequences if it helped Russia", "the
# sanctions the US could impose on China in response" to its aid): one claim, whoever voices it and in whatever
# words. The act is read through a small lexicon of kinds (giving aid, attacking, leaving, ...).
_PENALTY = re.compile(r"\b(?:consequences?|costs|punish\w*|penalt\w+|sanctions?|retaliat\w+|repercussions?)\b", re.I)
_CONDITION = re.compile(r"\b(?:if|unless|in response(?! to)|should it)\b", re.I)
_ACTS = {
    "aid": re.compile(r"\b(?:help\w*|aid\w*|support\w*|provid\w+|supply\w*|supplie\w|assist\w*|bolster\w*|"
                      r"arm(?:s|ing)?|weapons)\b", re.I),
    "attack": re.compile(r"\b(?:attack\w*|invad\w+|strik\w+|launch\w*)\b", re.I),
    "leave": re.compile(r"\b(?:leav\w+|withdraw\w*|quit\w*|pull\w* out)\b", re.I),
}


# A party holding back its criticism ("avoided criticizing Moscow", "without blaming Russia", "did not use the terms
# war or invasion"): one claim however it is worded.
_REFRAIN = re.compile(r"\b(?:not|n't|never|without|avoid\w*|refus\w*|declin\w*|refrain\w*|stopp?\w* short of|"
                      r"fail\w* to)\b(?:\s+\w+){0,3}?\s+(?:condemn\w*|critici[sz]\w*|blam\w*|denounc\w*|"
                      r"censur\w*|use the terms?|call(?:ing)? it)\b", re.I)


@lru_cache(maxsize=4096)
def claims(text: str) -> frozenset[str]:
    """The claims of a small lexicon of kinds a sentence makes: "warn:aid" for a warning that an act of aid will
    be punished ("consequences if it helped Russia"; likewise warn:attack, warn:leave), "refrain" for a party
    holding back its criticism. Two points making one claim tell one thing, whoever voices it."""
    found = {"refrain"} if _REFRAIN.search(text) else set()
    if _PENALTY.search(text) and _CONDITION.search(text):
        found.update(f"warn:{kind}" for kind, act in _ACTS.items() if act.search(text))
    return frozenset(found)


# "The call, scheduled for Friday morning, comes as ...": an event named by a definite noun, set in its context.
_EVENT_SUBJECT = re.compile(r"^The\s+([a-z]+)(?:,[^,]{1,80},)?\s+(?:comes|came)\b")


def retells_lead(text: str, lead: str) -> bool:
    """Sets the lead's own event in its context ("The call, scheduled for Friday morning, comes as ..." after a
    lead telling the call): the point retells the lead's event to frame another fact, which a point of its own
    tells better. ("The blast injured 40 people" after a lead on the blast is a new fact, not a retelling.)"""
    subject = _EVENT_SUBJECT.match(text)
    kind = TRIGGERS.get(stem(subject.group(1))) if subject else None
    return kind is not None and any(TRIGGERS.get(stem(w)) == kind for w in words(lead))


# "Biden and Xi last spoke in November": the previous occurrence of an event the story is about, told as background.
_RECAP = re.compile(r"\b(?:last|previously)\s+(?:met|spoke|talked|visited|played|faced)\b", re.I)


def is_recap(text: str) -> bool:
    """Tells an earlier occurrence of the kind of event the story reports ("Biden and Xi last spoke in November")."""
    return bool(_RECAP.search(text))
