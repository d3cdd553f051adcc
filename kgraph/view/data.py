"""The data the page draws: nodes, one edge per directed dyad, and the events
behind each edge in a compact form the page filters by period, by relation
and by who acted.

An event of the page is ``[date, relation, source sector, target sector]``,
indexes into the tables of :func:`page_data`'s ``meta`` (``-1``: undated).
The page sums them per edge for the width (events), the colour (mean
PLOVER intensity: conflict red, cooperation blue) and the dashes (mostly
non-state actors), so a filter never needs the server.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..graph import state_events
from ..vocab import PLOVER_TYPES
from .layout import force_layout, geo_layout, node_size

if TYPE_CHECKING:
    import networkx as nx

    from ..model import Actor, Event

__all__ = ["SECTORS", "STATE_SECTORS", "page_data", "sector_of"]

#: Who acted, by sector code: its readable name and whether it is the state
#: itself (government, forces, police, intelligence, legislature, courts,
#: intergovernmental bodies) rather than rebels, militias, parties or civilians.
SECTORS: dict[str, tuple[str, bool]] = {
    "STATE": ("the state", True),
    "GOV": ("government", True),
    "MIL": ("military", True),
    "COP": ("police", True),
    "SPY": ("intelligence", True),
    "LEG": ("legislature", True),
    "JUD": ("judiciary", True),
    "IGO": ("intergovernmental", True),
    "REB": ("rebels", False),
    "PRM": ("militias", False),
    "UAF": ("irregular forces", False),
    "CRM": ("criminals", False),
    "PTY": ("parties", False),
    "OPP": ("opposition", False),
    "ELI": ("former officials, elites", False),
    "CVL": ("civilians", False),
    "BUS": ("business", False),
    "MED": ("media", False),
    "JRN": ("journalists", False),
    "NGO": ("NGOs", False),
    "REL": ("religious", False),
    "EDU": ("education", False),
    "LAB": ("labour", False),
    "PRE": ("press", False),
    "": ("unknown", False),
}
STATE_SECTORS = frozenset(code for code, (_, state) in SECTORS.items() if state)
_SECTOR_ORDER = {code: i for i, code in enumerate(SECTORS)}
_RELATIONS = [t.name for t in PLOVER_TYPES]
_RELATION_INDEX = {name: i for i, name in enumerate(_RELATIONS)}
_LABELS = {t.name: t.label.replace("-", " ") for t in PLOVER_TYPES}
#: Evidence sentences kept per edge and relation.
_EVIDENCE = 2
_MAX_SENTENCE = 400


def sector_of(actor: Actor) -> str:
    """The :data:`SECTORS` code of an actor: a state named as such is ``STATE``."""
    if actor.type == "country" and not actor.sector:
        return "STATE"
    if actor.id.startswith("ORG:") and not actor.sector:
        return "IGO"
    return actor.sector if actor.sector in SECTORS else ""


def _clip(text: str, limit: int = _MAX_SENTENCE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _view_events(graph: nx.MultiDiGraph, level: str) -> list[tuple[str, str, Event, Event]]:
    """(source node, target node, drawn event, original event), one per event of the view."""
    if level == "actor":
        return [(u, v, e, e) for u, v, d in graph.edges(data=True) for e in d["events"]]
    out, seen = [], set()
    for rolled, original in state_events(graph):
        ident = (rolled.doc_id, *rolled.key, rolled.evidence_start, rolled.evidence_end)
        if ident in seen:  # as build_graph merges them in the rolled-up graph
            continue
        seen.add(ident)
        out.append((rolled.source.id, rolled.target.id, rolled, original))
    return out


def _evidence(events: Sequence[Event], articles: dict) -> list[dict[str, str]]:
    """A few supporting sentences, one per article first."""
    seen: set[tuple[str, str]] = set()
    first: list[Event] = []
    rest: list[Event] = []
    docs: set[str] = set()
    for event in sorted(events, key=lambda e: (e.date or "", e.doc_id, e.start, e.evidence_start)):
        key = (event.doc_id, event.sentence)
        if key in seen:
            continue
        seen.add(key)
        (rest if event.doc_id in docs else first).append(event)
        docs.add(event.doc_id)
    out = []
    for event in (first + rest)[:_EVIDENCE]:
        meta = articles.get(event.doc_id, {})
        out.append(
            {
                "sentence": _clip(event.sentence or event.evidence),
                "evidence": _clip(event.evidence, 200),
                "date": event.date or meta.get("date") or "",
                "doc": event.doc_id,
                "title": meta.get("title") or "",
                "url": meta.get("url") or "",
            }
        )
    return out


def _who(counter: Counter[str]) -> str:
    """"government 5, rebels 2" — the sectors of a set of actors, most first."""
    return ", ".join(f"{SECTORS[c][0]} {n}" for c, n in sorted(counter.items(), key=lambda i: (-i[1], i[0])))


def page_data(
    graph: nx.MultiDiGraph, shown: nx.MultiDiGraph, *, level: str, labels: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Nodes, dyad edges and the tables they index, for the page.

    Args:
        graph: The full graph (actor level), for the events and their actors.
        shown: The nodes kept by :func:`kgraph.view.select_view`.
        level: ``"state"`` or ``"actor"``.
        labels: Label of every node of ``shown``.
    """
    articles = graph.graph.get("articles", {})
    kept = set(shown.nodes)
    dyads: dict[tuple[str, str], list[tuple[Event, Event]]] = {}
    for u, v, drawn, original in _view_events(graph, level):
        if u in kept and v in kept:
            dyads.setdefault((u, v), []).append((drawn, original))
    dates = sorted({d.date for pairs in dyads.values() for d, _ in pairs if d.date})
    date_index = {d: i for i, d in enumerate(dates)}
    sectors = list(SECTORS)
    sector_index = {c: i for i, c in enumerate(sectors)}

    node_sectors: dict[str, Counter[str]] = {n: Counter() for n in kept}
    edges = []
    for (u, v), pairs in sorted(dyads.items()):
        by_relation: dict[str, list[Event]] = {}
        events, source_who, target_who = [], Counter(), Counter()
        for drawn, original in sorted(pairs, key=lambda p: (p[0].date or "", p[0].doc_id, p[0].start, p[0].relation)):
            by_relation.setdefault(drawn.relation, []).append(drawn)
            s, t = sector_of(original.source), sector_of(original.target)
            source_who[s] += 1
            target_who[t] += 1
            node_sectors[u][s] += 1  # a node's acts are those it is the source of
            events.append([date_index.get(drawn.date or "", -1), _RELATION_INDEX[drawn.relation],
                           sector_index[s], sector_index[t]])
        rels = sorted(by_relation, key=lambda r: (-len(by_relation[r]), _RELATION_INDEX[r]))
        title = [f"{labels[u]} → {labels[v]}" if u != v else f"{labels[u]}: domestic",
                 f"{len(pairs)} events: " + ", ".join(f"{_LABELS[r]} {len(by_relation[r])}" for r in rels),
                 f"by: {_who(source_who)}", f"on: {_who(target_who)}", "Click for sources."]
        edges.append(
            {
                "id": f"{u}>{v}",
                "from": u,
                "to": v,
                "title": "\n".join(title),
                "kg": {
                    "ev": events,
                    "articles": len({d.doc_id for d, _ in pairs}),
                    "evidence": {r: _evidence(by_relation[r], articles) for r in rels},
                },
            }
        )

    ranked = sorted(kept, key=lambda n: (-shown.nodes[n].get("events", 0), n))
    most = max((shown.nodes[n].get("events", 0) for n in ranked), default=0)
    sizes = {n: node_size(shown.nodes[n].get("events", 0), most) for n in ranked}
    states = {n: _state(n, shown.nodes[n], level) for n in ranked}
    geo = geo_layout(ranked, states, sizes)
    force = force_layout(ranked, [(e["from"], e["to"], len(e["kg"]["ev"])) for e in edges], sizes)
    nodes = []
    for rank, node in enumerate(ranked):
        data = shown.nodes[node]
        kind = data.get("type") or "other"
        state = states[node]
        who = node_sectors[node]
        nodes.append(
            {
                "id": node,
                "size": sizes[node],
                "title": "\n".join(
                    [labels[node], kind + (f", {labels.get(state, state)}" if state and state != node else ""),
                     f"{data.get('events', 0)} events"] + ([f"acting: {_who(who)}"] if who else [])
                ),
                "kg": {
                    "name": labels[node],
                    "type": kind,
                    "state": state,
                    "events": data.get("events", 0),
                    "rank": rank,
                    "who": _who(who),
                    "geo": list(geo[node]),
                    "force": list(force[node]),
                },
            }
        )
    meta = {
        "dates": dates,
        "relations": [
            {"name": t.name, "label": _readable(t.label), "quad": t.quad_class, "intensity": t.intensity}
            for t in PLOVER_TYPES
        ],
        "sectors": [{"code": c, "name": SECTORS[c][0], "state": SECTORS[c][1]} for c in sectors],
    }
    return nodes, edges, meta


def _readable(label: str) -> str:
    return label.replace("-", " ")


def _state(node: str, data: dict, level: str) -> str:
    if level == "state" or data.get("type") == "country" or node.startswith("ORG:"):
        return node
    return data.get("country") or ""
