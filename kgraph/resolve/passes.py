"""The document passes, in order, and :func:`annotate`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ..model import Actor
from .dictionary import MENTIONS_KEY
from .located import _apply_located_groups
from .names import _apply_names, _name_known_people
from .nominals import _apply_nominals
from .pronouns import _apply_pronouns, _apply_references
from .state import _DocState
from .titles import _apply_appositions, _apply_roles

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from .resolver import ActorResolver


#: The context rules :func:`annotate` runs after dictionary matching, in this
#: order: each sees the mentions the ones before it found. Names come twice:
#: once for people titled by a role, once more for those the nominals pass
#: named.
PASSES: tuple[Callable[[_DocState], None], ...] = (
    _name_known_people,
    _apply_roles,
    _apply_names,
    _apply_located_groups,
    _apply_references,
    _apply_appositions,
    _apply_nominals,
    _apply_names,
    _apply_pronouns,
)


def annotate(doc: Doc, resolver: ActorResolver, *, date: str | None = None) -> Doc:
    """Store the actor mentions of ``doc`` in ``doc.spans[MENTIONS_KEY]``,
    each span labelled with its actor id; the actors themselves go to
    ``doc.user_data["kgraph_actor_index"]`` (id → :class:`Actor`).

    Beyond dictionary aliases, it resolves roles next to a state ("the Syrian
    army" → ``SYR.MIL``, "his Turkish counterpart" → the Turkish leader on
    ``date``), unknown names titled by a state's role ("Italy's Foreign
    Minister Jane Doe" → an Italian person actor) and their later surname
    mentions, and pronouns and nominals ("he", "the country") referring back.
    """
    state = _DocState(doc, resolver, date)
    for m in resolver.mentions(doc, date=date):
        state.spans[(m.start, m.end)] = m.actor
    for rule in PASSES:
        rule(state)
    spans = []
    index: dict[str, Actor] = {}
    for (start, end), actor in sorted(state.spans.items()):
        span = doc[start:end]
        span.label_ = actor.id
        spans.append(span)
        index.setdefault(actor.id, actor)
    doc.spans[MENTIONS_KEY] = spans
    doc.user_data["kgraph_actor_index"] = index
    doc.user_data["kgraph_states"] = resolver.states
    doc.user_data["kgraph_date"] = date
    doc.user_data.pop("kgraph_token_actor", None)
    return doc


def iter_mentions(doc: Doc) -> Iterator[tuple[Span, Actor]]:
    """The (span, actor) pairs :func:`annotate` stored on ``doc``."""
    index = doc.user_data.get("kgraph_actor_index", {})
    for span in doc.spans.get(MENTIONS_KEY, []):
        yield span, index[span.label_]
