"""Event extractors: pure functions of a parsed, actor-annotated ``Doc``.

An extractor takes a ``Doc`` (parsed by spaCy, actors stored by
:func:`kgraph.resolve.annotate`) and yields :class:`~kgraph.model.Event`
objects whose offsets count from the start of the ``Doc`` text. Extractors
are registered by name; several may run and their events are merged.

Add your own::

    from kgraph.extract import register

    @register("my-rules")
    def my_extractor(doc):
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from ..errors import KGraphError

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..model import Event

__all__ = ["Extractor", "DEFAULT_EXTRACTORS", "RULE_EXTRACTORS", "EVENTS_KEY", "register", "get_extractor", "available", "extract_events"]

Extractor = Callable[["Doc"], Iterator["Event"]]
DEFAULT_EXTRACTORS = ("dependency", "nominal", "anaphora", "learned")
# The rule extractors; the learned one reads what they found as features.
RULE_EXTRACTORS = ("dependency", "nominal")
# Where extract_events keeps each extractor's events for the ones after it.
EVENTS_KEY = "kgraph_events"

_REGISTRY: dict[str, Extractor] = {}
_BUILTIN = {
    "dependency": "kgraph.extract.dependency",
    "nominal": "kgraph.extract.nominal",
    "cameo": "kgraph.extract.cameo",
    "cameo-patterns": "kgraph.extract.cameo",
    "learned": "kgraph.extract.learned",
    "anaphora": "kgraph.extract.anaphora",
}


def register(name: str) -> Callable[[Extractor], Extractor]:
    """Decorator registering an extractor under ``name``."""

    def decorate(func: Extractor) -> Extractor:
        _REGISTRY[name] = func
        return func

    return decorate


def available() -> list[str]:
    """Names of the registered extractors (built-in and plug-ins)."""
    names = set(_BUILTIN) | set(_REGISTRY)
    names |= {ep.name for ep in entry_points(group="kgraph.extractors")}
    return sorted(names)


def get_extractor(name: str) -> Extractor:
    """The extractor registered as ``name``.

    ``name`` may also be ``module:function`` to load a user extractor.

    Raises:
        KGraphError: if no extractor has that name.
    """
    if name in _REGISTRY:
        return _REGISTRY[name]
    if name in _BUILTIN:
        import_module(_BUILTIN[name])
        return _REGISTRY[name]
    for ep in entry_points(group="kgraph.extractors"):
        if ep.name == name:
            return ep.load()
    if ":" in name:
        module, _, attr = name.partition(":")
        try:
            return getattr(import_module(module), attr)
        except (ImportError, AttributeError) as err:
            raise KGraphError(f"cannot load extractor {name!r}: {err}") from None
    raise KGraphError(f"unknown extractor {name!r}; available: {', '.join(available())}")


def extract_events(doc: Doc, names: Iterable[str] = DEFAULT_EXTRACTORS) -> list[Event]:
    """Run the named extractors on ``doc`` and merge their events.

    Events with the same (source, relation, target) from the same evidence are
    kept once, with the highest confidence. Each extractor's events are kept
    in ``doc.user_data[EVENTS_KEY][name]`` for the extractors after it (the
    learned extractor reads the rules' events).
    """
    best: dict[tuple, Event] = {}
    done = doc.user_data.setdefault(EVENTS_KEY, {})
    for name in names:
        if name not in done:
            done[name] = list(get_extractor(name)(doc))
        for event in done[name]:
            key = (event.source.id, event.relation, event.target.id, event.start)
            if key not in best or event.confidence > best[key].confidence:
                best[key] = event
    return sorted(best.values(), key=lambda e: (e.start, e.evidence_start, e.source.id, e.relation, e.target.id))
