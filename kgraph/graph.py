"""Merge events into one networkx graph.

One node per actor, one edge per (source, relation, target) carrying the
number of supporting events and of distinct articles, the first and last
date, the mean confidence and the supporting events themselves. The same
event reported by several articles counts once per article: repeats within
one article add evidence but not weight. An event found twice at the same
evidence span (by two extractors, say) is one event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from statistics import fmean

import networkx as nx

from .model import Actor, Article, Event
from .vocab import PLOVER

__all__ = ["build_graph", "rollup_to_states", "state_events", "event_to_dict", "event_identity", "actor_node_id"]


def actor_node_id(actor: Actor) -> str:
    """The networkx node of an actor: its id."""
    return actor.id


def event_identity(event: Event) -> tuple[str, str, str, str, int, int]:
    """What makes two extracted events the same event: article, edge and
    evidence span (not the extractor, nor the confidence)."""
    return (event.doc_id, *event.key, event.evidence_start, event.evidence_end)


def _dedupe(events: Iterable[Event]) -> list[Event]:
    """One event per identity, the most confident one; sorted, so the output
    does not depend on the input order."""
    best: dict[tuple, Event] = {}
    for event in events:
        ident = event_identity(event)
        kept = best.get(ident)
        if kept is None or _rank(event) > _rank(kept):
            best[ident] = event
    return [best[i] for i in sorted(best)]


def _rank(event: Event) -> tuple:
    # Highest confidence wins; ties are broken on the remaining fields so the
    # choice is the same whatever order the events came in.
    return (event.confidence, event.extractor, event.source.label, event.target.label, event.sentence)


def event_to_dict(event: Event) -> dict:
    """The ``events.jsonl`` record of an event."""
    rel = PLOVER[event.relation]
    record = {
        "doc_id": event.doc_id,
        "date": event.date,
        "sentence": event.sentence,
        "start": event.start,
        "end": event.end,
        "source": event.source.to_dict(),
        "relation": {
            "label": rel.label,
            "plover": rel.name,
            "quad_class": rel.quad_class,
            "cameo": rel.cameo,
            "intensity": rel.intensity,
        },
        "target": event.target.to_dict(),
        "evidence": event.evidence,
        "evidence_start": event.evidence_start,
        "evidence_end": event.evidence_end,
        "source_text": event.source_text,
        "target_text": event.target_text,
        "confidence": round(event.confidence, 3),
        "extractor": event.extractor,
    }
    if event.trigger_end:
        record["trigger"] = event.trigger
        record["trigger_start"] = event.trigger_start
        record["trigger_end"] = event.trigger_end
    if event.attribution is not None:
        record["attribution"] = event.attribution.to_dict()
    return record


def _add_actor(graph: nx.MultiDiGraph, actor: Actor, events: int) -> None:
    node = actor_node_id(actor)
    if node not in graph:
        graph.add_node(
            node,
            label=actor.label,
            type=actor.type,
            country=actor.country or "",
            sector=actor.sector or "",
            state=actor.state or "",
            events=0,
        )
    graph.nodes[node]["events"] += events


def build_graph(
    events: Iterable[Event], articles: Mapping[str, Article] | None = None
) -> nx.MultiDiGraph:
    """Merge events into a multigraph keyed by relation.

    Args:
        events: Extracted events, in any order.
        articles: Article metadata by id (title, url, date) for provenance.

    Returns:
        A ``MultiDiGraph`` with one node per actor (attributes ``label``,
        ``type``, ``country``, ``sector``, ``state`` and ``events``, the number
        of events it takes part in) and one edge per (source, relation,
        target), keyed by PLOVER type, with attributes ``relation``,
        ``label``, ``quad_class``, ``intensity``, ``count`` (supporting
        events), ``articles`` (distinct articles), ``first_date``,
        ``last_date``, ``confidence`` (mean) and ``events`` (the supporting
        :class:`Event` objects, sorted). ``graph.graph["articles"]`` holds
        the article metadata by id.

    Example:
        >>> from kgraph.model import Actor, Event
        >>> rus, ita = Actor("RUS", "Russia"), Actor("ITA", "Italy")
        >>> g = build_graph([Event("a1", rus, "COOPERATE", ita, "s", 0, 1),
        ...                  Event("a2", rus, "COOPERATE", ita, "s", 0, 1)])
        >>> g.edges["RUS", "ITA", "COOPERATE"]["articles"]
        2
    """
    grouped: dict[tuple[str, str, str], list[Event]] = {}
    for event in _dedupe(events):
        grouped.setdefault(event.key, []).append(event)

    graph = nx.MultiDiGraph()
    graph.graph["articles"] = {
        doc_id: {"title": a.title or "", "url": a.url or "", "date": a.date or "", "source": a.source or ""}
        for doc_id, a in sorted((articles or {}).items())
    }
    for key in sorted(grouped):
        supporting = sorted(grouped[key], key=lambda e: (e.doc_id, e.start, e.evidence_start))
        source, relation, target = key
        _add_actor(graph, supporting[0].source, len(supporting))
        if target != source:
            _add_actor(graph, supporting[0].target, len(supporting))
        rel = PLOVER[relation]
        dates = sorted(e.date for e in supporting if e.date)
        graph.add_edge(
            source,
            target,
            key=relation,
            relation=relation,
            label=rel.label,
            quad_class=rel.quad_class,
            intensity=rel.intensity,
            count=len(supporting),
            articles=len({e.doc_id for e in supporting}),
            first_date=dates[0] if dates else "",
            last_date=dates[-1] if dates else "",
            confidence=round(fmean(e.confidence for e in supporting), 3),
            events=supporting,
        )
    return graph


def rollup_to_states(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with every actor replaced by its state (or IGO).

    Persons, forces and ministries merge into their country's node; edges that
    become self-loops of a state are kept (domestic events are events).
    Actors with no state are dropped.
    """
    rolled = build_graph(state_event for state_event, _ in state_events(graph))
    rolled.graph["articles"] = graph.graph.get("articles", {})
    return rolled


def state_events(graph: nx.MultiDiGraph) -> list[tuple[Event, Event]]:
    """The events of :func:`rollup_to_states`, each with the event it comes from.

    Returns:
        ``(state_event, original)`` pairs in the graph's edge order: the
        state event has the states (or IGOs) of the original's actors, so a
        reader can still tell a ministry's act from a militia's. An event
        whose actor has no state, or of one actor on itself, is left out.
    """
    # State labels come from the graph's own state nodes where it has them.
    labels = {n: d["label"] for n, d in graph.nodes(data=True) if d["type"] == "country"}
    pairs = []
    for _, _, data in graph.edges(data=True):
        for event in data["events"]:
            source, target = _state_actor(event.source, labels), _state_actor(event.target, labels)
            if source is None or target is None or source.id == target.id and event.source.id == event.target.id:
                continue
            pairs.append((_replace_actors(event, source, target), event))
    return pairs


def _state_actor(actor: Actor, labels: Mapping[str, str]) -> Actor | None:
    if actor.type == "country" or actor.id.startswith("ORG:"):
        return actor
    if actor.country:
        code = actor.country
        return Actor(id=code, label=labels.get(code) or _state_name(code), type="country", country=code)
    return None


def _state_name(code: str) -> str:
    """A state's name from the package dictionaries, for states the graph
    only reaches through their people or organs."""
    from .resolve import default_resolver

    state = default_resolver().states.get(code)
    return state.label if state is not None else code


def _replace_actors(event: Event, source: Actor, target: Actor) -> Event:
    return replace(event, source=source, target=target)
