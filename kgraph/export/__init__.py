"""Output formats. Each writer has the signature ``write_X(graph, path, **options)``;
pure builders (``to_rdflib``) are kept apart from file writers."""

from __future__ import annotations

from .jsonl import read_events, write_events
from .networkx_formats import write_gexf, write_graphml, write_node_link
from .rdf import RDF_FORMATS, rdf_triples, serialize, state_links, to_rdflib, write_rdf

__all__ = [
    "RDF_FORMATS",
    "rdf_triples",
    "read_events",
    "serialize",
    "state_links",
    "to_rdflib",
    "write_events",
    "write_gexf",
    "write_graphml",
    "write_node_link",
    "write_rdf",
]
