"""The interactive HTML view of the graph (pyvis)."""

from __future__ import annotations

import html
from pathlib import Path

import networkx as nx

from .graph import rollup_to_states
from .io import atomic_write

__all__ = ["QUAD_COLOURS", "TYPE_COLOURS", "to_html", "write_html"]

QUAD_COLOURS = {"VC": "#2b8a3e", "MC": "#1971c2", "VX": "#e8590c", "MX": "#c92a2a"}
TYPE_COLOURS = {"country": "#4263eb", "person": "#f59f00", "organization": "#7048e8", "group": "#d6336c"}


def _edge_title(data: dict, articles: dict) -> str:
    lines = [
        f"{data['label']} ({data['relation']}, {data['quad_class']})",
        f"{data['count']} events in {data['articles']} articles, {data['first_date']} – {data['last_date']}",
    ]
    for event in data["events"][:3]:
        title = articles.get(event.doc_id, {}).get("title") or event.doc_id
        lines.append(f"“{event.evidence}” — {title}")
    # vis.js shows a string title as text, so escaping here is for safety only.
    return html.escape("\n".join(lines))


def to_html(graph: nx.MultiDiGraph, *, level: str = "state") -> str:
    """Build the page as a string (pure)."""
    from pyvis.network import Network

    view = rollup_to_states(graph) if level == "state" else graph
    articles = graph.graph.get("articles", {})
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    for node, data in sorted(view.nodes(data=True)):
        net.add_node(
            node,
            label=html.escape(data.get("label") or node),
            title=html.escape(f"{data.get('label')} ({data.get('type')}, {data.get('country') or '—'})"),
            color=TYPE_COLOURS.get(data.get("type"), "#868e96"),
            value=data.get("events", 1),
        )
    for u, v, _key, data in sorted(view.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        net.add_edge(
            u,
            v,
            label=data["label"],
            title=_edge_title(data, articles),
            color=QUAD_COLOURS[data["quad_class"]],
            value=data["articles"],
            arrows="to",
        )
    net.toggle_physics(True)
    return net.generate_html()


def write_html(graph: nx.MultiDiGraph, path: str | Path, *, level: str = "state") -> None:
    """Write the interactive page (atomically)."""
    page = to_html(graph, level=level)
    with atomic_write(path) as handle:
        handle.write(page)
