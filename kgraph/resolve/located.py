"""Peoples and non-state groups coded to the state they live or act in (GUIDE rule 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Actor
from .dictionary import _composite
from .phrase import _LOCATIVE_PREPS
from .state import _DocState, _actor_at

if TYPE_CHECKING:
    from spacy.tokens import Token


# Sectors of a people or a non-state group, which GUIDE rule 2 codes to the
# state it lives or is based in: "the Albanians of southern Serbia" → SRB.
# Unidentified armed men (UAF), farmers (AGR) and civil society (SOC) are
# such groups too in PLOVER's sectors, which NGEC gives "gunmen",
# "fishermen" and "environmentalists".
_LOCATED_SECTORS = {None, "CVL", "REB", "OPP", "PRM", "EDU", "LAB", "REL", "JRN", "MED", "BUS", "CRM", "UAF", "AGR", "SOC"}


# Nouns that say whose citizens they are, not where they live.
_CITIZEN_NOUNS = {
    "citizen", "national", "tourist", "refugee", "migrant", "expatriate", "expat",
    "passport", "diplomat", "emigrant", "exile", "visitor", "pilgrim", "immigrant",
}


# Prepositions that place a group in a state ("students throughout Indonesia").
_PLACING_PREPS = _LOCATIVE_PREPS | {"of"}


def _located_in(state: _DocState, head: Token, kin: str | None) -> str | None:
    """The state a noun phrase places its head in, other than ``kin``: a
    preposition on the head or on a clause describing it ("guerrillas
    operating in Macedonia")."""
    holders = [head] + [c for c in head.children if c.dep_ in ("acl", "relcl")]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in _PLACING_PREPS:
                continue
            if prep.lower_ == "of" and holder is not head:
                continue
            for pobj in prep.children:
                place = _actor_at(state, pobj.i) if pobj.dep_ == "pobj" else None
                if place is not None and place.type == "country" and place.country and place.country != kin:
                    return place.country
    return None


def _minority_home(state: _DocState, head: Token, start: int, kin: str) -> str | None:
    """Where "ethnic Albanians" live when no preposition says: a place the
    verb puts them in ("demonstrated in Serbia"), else the first other state
    of the sentence, else the last other state named before it."""
    verb = head.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in _LOCATIVE_PREPS:
            for token in prep.subtree:
                place = _actor_at(state, token.i)
                if place is not None and place.type == "country" and place.country and place.country != kin:
                    return place.country
    sent = head.sent
    found = [
        (s, a.country) for (s, e), a in sorted(state.spans.items())
        if a.country and a.country != kin and a.type != "person" and s < sent.end
    ]
    in_sentence = [c for s, c in found if s >= sent.start]
    if in_sentence:
        return in_sentence[0]
    before = [c for s, c in found if s < start]
    return before[-1] if before else None


def _apply_located_groups(state: _DocState) -> None:
    """Peoples and non-state groups coded to the state they are in, not to
    their kin state: "the Albanians of southern Serbia", "ethnic Turks"
    protesting in Sweden, "students throughout Indonesia" (GUIDE rule 2).

    An explicit place wins. "ethnic X" marks a minority, so without a place
    it goes to another state the text names, and to no state if there is
    none. Armies, governments and citizens ("Turkish citizens in Germany")
    keep their own state."""
    doc = state.doc
    for (start, end), actor in sorted(state.spans.items()):
        if (start, end) not in state.spans or not actor.country or actor.sector not in _LOCATED_SECTORS:
            continue
        if actor.type not in ("country", "organization") or doc[start].pos_ == "PROPN" and end - start == 1 and doc[start].tag_ == "NNP":
            continue
        head = doc[end - 1]
        if head.dep_ in ("amod", "compound") and head.head.i >= end:
            head = head.head  # "Albanian villagers" found as "Albanian"
        if head.tag_ not in ("NNS", "NNPS") and head.pos_ != "PROPN" or head.lemma_.lower() in _CITIZEN_NOUNS:
            continue
        kin = actor.country
        home = _located_in(state, head, kin)
        ethnic = start > 0 and doc[start - 1].lower_ == "ethnic"
        if home is None and ethnic:
            home = _minority_home(state, head, start, kin)
            if home is None:
                state.spans[(start, end)] = Actor(f"ETH.{kin}", f"ethnic {actor.label}", "group", None, actor.sector)
                continue
        if home is None:
            continue
        label = state.resolver.actor(home).label if state.resolver.actor(home) else home
        suffix = f".{actor.sector}" if actor.sector else ""
        state.spans[(start, end)] = Actor(
            f"{home}.ETH.{kin}{suffix}", f"{doc[start:end].text} in {label}", "group", home, actor.sector
        )
    _apply_located_roles(state)


def _apply_located_roles(state: _DocState) -> None:
    """Non-state role nouns placed in a state: "students throughout
    Indonesia" → ``IDN.EDU``."""
    doc = state.doc
    for token in doc:
        if state.covered(token.i, token.i + 1) or token.pos_ != "NOUN":
            continue
        role = state.resolver.role(token.text)
        if role is None or role.person or role.sector not in _LOCATED_SECTORS:
            continue
        if any(c.dep_ in ("amod", "compound", "poss") and state.covered(c.i, c.i + 1) for c in token.children):
            continue
        home = _located_in(state, token, None)
        if home is not None:
            state.spans[(token.i, token.i + 1)] = _composite(state.resolver, home, role.sector)
