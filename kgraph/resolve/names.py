"""Person names: titled and known people, and their later surname mentions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Actor
from .matcher import _embedded_in_name
from .state import _DocState

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


# Lower-case particles that belong to a surname: "Di Maio", "von der Leyen".
SURNAME_PARTICLES = {"di", "de", "da", "del", "della", "le", "la", "van", "von", "der", "al", "el", "bin", "ben", "abu"}


def _name_after(doc: Doc, start: int) -> tuple[int, int] | None:
    """A proper name right after a title: "Foreign Minister Luigi Di Maio"."""
    i = start
    if i < len(doc) and doc[i].text == ",":
        i += 1
    j = i
    while j < len(doc) and doc[j].pos_ == "PROPN" and (doc[j].text[:1].isupper() or doc[j].lower_ in SURNAME_PARTICLES):
        j += 1
    if j > i and doc[j - 1].text[:1].isupper():
        return i, j
    return None


def _name_before(doc: Doc, role_end: int, head: Token) -> tuple[int, int] | None:
    """The name a role phrase stands in apposition to: "Di Maio, Italy's foreign minister"."""
    if head.dep_ != "appos" or head.head.pos_ != "PROPN" or head.head.i > head.i:
        return None
    name = head.head
    tokens = [t for t in name.subtree if t.i <= name.i and t.pos_ == "PROPN"]
    start = min(t.i for t in tokens)
    return start, name.i + 1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _same_given_name(given: list[str], known: Actor) -> bool:
    """Whether the words before a known surname fit the known person: "Sergei"
    fits Sergey Lavrov, "Jane" does not fit Thabo Mbeki."""
    first = given[-1] if given else ""
    if not first[:1].isupper() or len(first.rstrip(".")) <= 1:
        return True  # no given name, or an initial
    label = known.label.split()
    return any(word[:1] == first[:1] for word in label[:-1])


def _surnames(name: list[str]) -> list[tuple[str, ...]]:
    """Later forms of a name: "Luigi Di Maio" → ("Di", "Maio"); "Jane Doe" → ("Doe",)."""
    if len(name) < 2:
        return []
    forms = [tuple(name[-1:])]
    if len(name) >= 3 and name[-2].lower() in SURNAME_PARTICLES:
        forms.insert(0, tuple(name[-2:]))
        forms.pop()
    return forms


def _person(state: _DocState, name: Span, country: str, sector: str | None) -> Actor:
    """The person a name names: a known one, or a new actor of ``country``."""
    known = state.resolver.lookup(name.text, date=state.date)
    if known is not None and known.type == "person":
        return known
    words = [t.text for t in name]
    for size in range(len(words) - 1, 0, -1):
        known = state.resolver.lookup(" ".join(words[-size:]), date=state.date)
        if known is not None and known.type == "person" and _same_given_name(words[:-size], known):
            return known
    actor = Actor(f"{country}.PER.{_slug(name.text)}", name.text, "person", country, sector)
    state.names[tuple(words)] = actor
    for form in _surnames(words):
        state.names.setdefault(form, actor)
    return actor


def _name_known_people(state: _DocState) -> None:
    """A listed person named in full ("Petr Pavel") is meant by a later
    bare surname ("Pavel added") even when the surname alone is not an alias."""
    seen: dict[tuple[str, ...], Actor | None] = {}
    for (start, end), actor in sorted(state.spans.items()):
        if actor.type != "person" or end - start < 2:
            continue
        for form in _surnames([t.text for t in state.doc[start:end]]):
            other = state.resolver.lookup(" ".join(form), date=state.date)
            if other is not None and other.id != actor.id:
                continue
            seen[form] = actor if seen.get(form, actor) == actor else None  # two people: neither
    for form, actor in seen.items():
        if actor is not None:
            state.names.setdefault(form, actor)


def _apply_names(state: _DocState) -> None:
    """Later mentions of a person named with a role earlier: "Di Maio said"."""
    doc = state.doc
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(state.names, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    texts = [t.text for t in doc]
    for i, text in enumerate(texts):
        for form in by_first.get(text, ()):
            j = i + len(form)
            if j <= len(doc) and tuple(texts[i:j]) == form and not state.covered(i, j):
                if (doc[i].pos_ == "PROPN" or text[:1].isupper()) and not _embedded_in_name(
                    doc[i:j], state.resolver
                ):
                    state.spans[(i, j)] = state.names[form]
                break
