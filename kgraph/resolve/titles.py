"""Role nouns next to a state ("the Syrian army", "Italy's Foreign Minister Jane Doe") and appositions."""

from __future__ import annotations



from .dictionary import NON_ACTOR_SECTORS, _Role, _composite, _is_acronym
from .names import _name_after, _name_before, _person
from .state import _DocState, _actor_at


# Agent nouns of places: next to a state in running text they locate, not act.
_PLACE_NOUNS = {
    "city", "cities", "town", "towns", "village", "villages", "region", "regions", "province",
    "provinces", "district", "districts", "area", "areas", "capital", "land", "continent",
}


def _role_after(state: _DocState, start: int, *, skip_adjectives: int = 2) -> tuple[int, _Role] | None:
    """The longest role noun starting at ``start`` (after up to two adjectives)."""
    doc = state.doc
    i = start
    if i < len(doc) and doc[i].lower_ in ("'s", "’s", "'"):
        i += 1
    for _ in range(skip_adjectives + 1):
        for size in range(4, 0, -1):
            if i + size > len(doc):
                continue
            role = state.resolver.role(doc[i : i + size].text)
            if role is not None and not (_is_acronym(role.pattern) and doc[i : i + size].text != role.pattern):
                if role.sector in NON_ACTOR_SECTORS or role.pattern.lower() in _PLACE_NOUNS:
                    # "the Turkish earthquake" is no part of Turkey; "the West
                    # Bank city of Hebron" is a place, where NGEC's CITY [~CVL]
                    # codes a phrase naming one as an actor.
                    return None
                # Prefer the head: "foreign ministry" over "foreign".
                return i + size, role
        if i < len(doc) and doc[i].pos_ in ("ADJ", "VERB") and doc[i].tag_ in ("JJ", "VBN", "VBG", "HYPH"):
            i += 1
        else:
            break
    return None


def _apply_roles(state: _DocState) -> None:
    """States and organisations with a role noun: "the Syrian army", "Italy's
    Foreign Minister Luigi Di Maio", "his Turkish counterpart", "Iraqi parliament"."""
    doc = state.doc
    for (start, end), actor in sorted(state.spans.items()):
        if actor.type == "person" or (start, end) not in state.spans:
            continue
        found = _role_after(state, end)
        if found is None:
            continue
        role_end, role = found
        country = actor.country or (actor.id if actor.id.startswith("ORG:") else None)
        if country is None or actor.type in ("group",) or (actor.type == "organization" and actor.country):
            continue
        head = doc[role_end - 1]
        if role.person:
            name = _name_after(doc, role_end) or _name_before(doc, role_end, head)
            if name is not None:
                person = _person(state, doc[name[0] : name[1]], country, role.sector)
                lo, hi = min(start, name[0]), max(role_end, name[1])
                if not state.covered(name[0], name[1]) or any(
                    a.type == "person" for (s, e), a in state.spans.items() if s < name[1] and name[0] < e
                ):
                    state.replace(lo, hi, person)
                    continue
            # "Palestinian leaders" are more than the office holder.
            plural = head.tag_ in ("NNS", "NNPS")
            holder = None if plural else state.resolver.office_holder(country, role, date=state.date)
            if holder is not None:
                state.replace(start, role_end, holder)
                continue
        state.replace(start, role_end, _composite(state.resolver, country, role.sector))


def _apply_appositions(state: _DocState) -> None:
    """Unknown names in apposition to a role owned through a preposition:
    "Ahmed Doe, a spokesman for the PMF", "the prosecutor general of
    Tehran, Ali Doe" → a person of the owner's state."""
    doc = state.doc
    for token in doc:
        role = state.resolver.role(token.text) or state.resolver.role(token.lemma_)
        if role is None or not role.person or state.covered(token.i, token.i + 1):
            continue
        owner = None
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at"):
                for pobj in prep.children:
                    actor = _actor_at(state, pobj.i) if pobj.dep_ == "pobj" else None
                    if actor is not None and actor.type != "person" and actor.country:
                        owner = actor
        if owner is None:
            continue
        if token.dep_ == "appos" and token.head.i < token.i:
            name = _name_before(doc, token.i + 1, token)
        else:
            name = next(
                ((min(t.i for t in c.subtree if t.pos_ == "PROPN"), c.i + 1)
                 for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > token.i),
                None,
            )
        if name is None or state.covered(*name) or name[1] - name[0] < 2:
            continue
        state.spans[name] = _person(state, doc[name[0] : name[1]], owner.country, role.sector)
