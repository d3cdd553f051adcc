"""GraphML, GEXF (for Gephi) and node-link JSON, from networkx."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..io import atomic_write

__all__ = ["flat_graph", "write_graphml", "write_gexf", "write_node_link"]


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only scalar attributes (what GraphML and GEXF can hold):
    the supporting events become their count and a list of article ids."""
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if isinstance(v, (str, int, float))})
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: val for k, val in data.items() if isinstance(val, (str, int, float))}
        attrs["doc_ids"] = " ".join(sorted({e.doc_id for e in data.get("events", [])}))
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write GraphML (yEd, Cytoscape, igraph)."""
    with atomic_write(path, "wb", encoding=None) as handle:
        nx.write_graphml(flat_graph(graph), handle)


def write_gexf(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write GEXF 1.2 for Gephi. The ``lastmodifieddate`` is the latest event
    date, not today's, so that two builds give identical files."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(flat_graph(graph))
    meta = writer.xml.find("meta")
    if meta is not None:
        dates = [d for _, _, d in graph.edges(data="last_date") if d]
        meta.set("lastmodifieddate", max(dates) if dates else "1970-01-01")
    with atomic_write(path, "wb", encoding=None) as handle:
        writer.write(handle)


def write_node_link(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write networkx node-link JSON (D3 and ``nx.node_link_graph``)."""
    data = nx.node_link_data(flat_graph(graph), edges="links")
    with atomic_write(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
