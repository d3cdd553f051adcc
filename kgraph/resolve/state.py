"""The state the document passes share: mentions found so far, by token span."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from .resolver import ActorResolver


class _Spans(dict):
    """Mentions by (start, end), with the set of tokens they cover kept up
    to date, so that "is this token taken?" costs no scan of every span."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[int, int] = {}  # token -> number of spans over it

    def __setitem__(self, key: tuple[int, int], actor: Actor) -> None:
        if key not in self:
            for i in range(*key):
                self.tokens[i] = self.tokens.get(i, 0) + 1
        super().__setitem__(key, actor)

    def __delitem__(self, key: tuple[int, int]) -> None:
        super().__delitem__(key)
        for i in range(*key):
            self.tokens[i] -= 1
            if not self.tokens[i]:
                del self.tokens[i]


@dataclass
class _DocState:
    doc: Doc
    resolver: ActorResolver
    date: str | None
    spans: _Spans = field(default_factory=_Spans)
    names: dict[tuple[str, ...], Actor] = field(default_factory=dict)

    def covered(self, start: int, end: int) -> bool:
        tokens = self.spans.tokens
        return any(i in tokens for i in range(start, end))

    def replace(self, start: int, end: int, actor: Actor) -> None:
        for key in [k for k in self.spans if k[0] < end and start < k[1]]:
            del self.spans[key]
        self.spans[(start, end)] = actor


def _actor_at(state: _DocState, i: int) -> Actor | None:
    """The actor of the mention covering token ``i``, or ``None``."""
    for (start, end), actor in state.spans.items():
        if start <= i < end:
            return actor
    return None
