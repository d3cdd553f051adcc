"""State bodies and office titles with no state named ("the government", "the president")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dictionary import _composite, _is_acronym
from .names import _name_after, _person
from .pronouns import NOMINAL_WINDOW
from .state import _DocState

if TYPE_CHECKING:
    from spacy.tokens import Span


# Sectors of the state's own bodies: "the government", "the president",
# "authorities", "police" with no state named are the state in focus.
_STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "LEG", "JUD"}


_OWNER_DEPS = {"amod", "compound", "poss", "nmod"}


def _salient_state(state: _DocState, i: int, sentences: list[Span], number: int) -> str | None:
    """The one state the text is about at token ``i``: the states named
    earlier in its sentence, else in the nearest earlier sentence that names
    any (within :data:`NOMINAL_WINDOW`), if they are a single state."""
    def states(lo: int, hi: int) -> set[str]:
        return {
            a.country for (s, e), a in state.spans.items()
            if lo <= s and e <= hi and a.country and a.type in ("country", "person", "organization", "group")
        }

    found = states(sentences[number].start, i)
    back = number
    while not found and back > 0 and number - back < NOMINAL_WINDOW:
        back -= 1
        found = states(sentences[back].start, sentences[back].end)
    return next(iter(found)) if len(found) == 1 else None


def _apply_nominals(state: _DocState) -> None:
    """State bodies and office titles with no state: "the government",
    "authorities", "the president", "President Jane Doe" are the state in
    focus when it is unambiguous (see :func:`_salient_state`)."""
    doc = state.doc
    sentences = list(doc.sents)
    numbers = {t.i: n for n, sent in enumerate(sentences) for t in sent}
    starts = state.resolver.role_starts
    texts = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    i = 0
    while i < len(doc):
        found = None
        first = texts[i].lower()
        if first not in starts and first.rstrip(".") not in starts:
            i += 1
            continue
        for size in range(4, 0, -1):
            if i + size <= len(doc) and not state.covered(i, i + size):
                text = "".join(texts[k] + spaces[k] for k in range(i, i + size - 1)) + texts[i + size - 1]
                role = state.resolver.role(text)
                if role is not None and not (_is_acronym(role.pattern) and text != role.pattern):
                    found = (i + size, role)
                    break
        if found is None or found[1].sector not in _STATE_SECTORS:
            i += 1
            continue
        end, role = found
        head = doc[end - 1]
        name = _name_after(doc, end) if role.person and doc[i].text[:1].isupper() else None
        if name is not None and (name[0] != end or state.covered(*name)):
            name = None
        previous = doc[i - 1] if i > 0 else None
        definite = previous is not None and previous.lower_ == "the"
        bare = (previous is None or previous.pos_ not in ("DET", "PRON") and previous.dep_ not in _OWNER_DEPS) and (
            head.tag_ in ("NNS", "NNPS") or doc[i].text[:1].isupper()
        )
        owned = any(
            c.dep_ in _OWNER_DEPS and not i <= c.i < end and (state.covered(c.i, c.i + 1) or c.pos_ in ("PRON", "PROPN"))
            or c.dep_ == "prep" and c.lower_ in ("of", "for", "in") and any(state.covered(g.i, g.i + 1) for g in c.subtree)
            for c in head.children
        )
        if name is not None and previous is not None and (previous.lower_ in ("a", "an") or state.covered(previous.i, i)):
            name = None
        if owned or not (name or definite or bare) or (head.dep_ == "compound" and name is None):
            i = end
            continue
        country = _salient_state(state, i, sentences, numbers[i])
        if country is None:
            i = end
            continue
        if name is not None:
            state.spans[(i, name[1])] = _person(state, doc[name[0] : name[1]], country, role.sector)
            i = name[1]
            continue
        holder = None
        if role.person and head.tag_ not in ("NNS", "NNPS"):
            holder = state.resolver.office_holder(country, role, date=state.date)
        start = i - 1 if definite else i
        state.spans[(start, end)] = holder or _composite(state.resolver, country, role.sector)
        i = end
