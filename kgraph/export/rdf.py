"""The graph as linked-data RDF.

Model (see ``docs/rdf-model.md``):

* actors are IRIs under ``{base}actor/`` with ``rdfs:label``, their type
  (``kg:State``, ``kg:Person`` …), ISO code, sector, and ``kg:memberOf``
  their state;
* one direct triple per merged edge (``actor:RUS kg:cooperatesWith actor:ITA``);
* one ``kg:Event`` node per extracted event with source, relation, target,
  ``dcterms:date``, confidence, evidence text and offsets, and
  ``prov:wasDerivedFrom`` its article (``kg:Article`` with title, date, URL);
* the 16 PLOVER types as a SKOS concept scheme.

Every IRI is built by percent-encoding, so no input text can break it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ..errors import ExportError
from ..io import atomic_write
from ..model import Event
from ..vocab import DEFAULT_BASE_IRI, KG, PLOVER, PLOVER_TYPES, QUAD_CLASSES

__all__ = ["RDF_FORMATS", "iri_for", "to_rdflib", "write_rdf"]

RDF_FORMATS = {
    "turtle": ".ttl",
    "nt": ".nt",
    "json-ld": ".jsonld",
    "trig": ".trig",
    "xml": ".rdf",
}

_TYPE_CLASS = {"country": KG.State, "person": KG.Person, "organization": KG.Organization, "group": KG.Group}


def iri_for(base: str, kind: str, key: str) -> URIRef:
    """A valid IRI for any key: every character outside the unreserved set is
    percent-encoded.

    >>> str(iri_for("https://x.org/", "actor", "a b<c>"))
    'https://x.org/actor/a%20b%3Cc%3E'
    """
    return URIRef(f"{base}{kind}/{quote(key, safe='')}")


def _event_id(event: Event) -> str:
    raw = "\x1f".join(
        map(str, (event.doc_id, event.source.id, event.relation, event.target.id, event.evidence_start, event.evidence_end))
    )
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _literal(value: str) -> Literal:
    # Control characters other than tab/newline are not allowed in XML-based
    # formats; drop them from literals rather than fail the export.
    return Literal("".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32))


def to_rdflib(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Build the RDF graph (pure: no I/O)."""
    if not base_iri.endswith(("/", "#")):
        base_iri += "/"
    actor_ns = Namespace(f"{base_iri}actor/")
    g = Graph()
    g.bind("kg", KG._NS)
    g.bind("actor", actor_ns)
    g.bind("skos", SKOS)
    g.bind("prov", PROV)
    g.bind("dcterms", DCTERMS)
    g.bind("owl", OWL)

    scheme = URIRef(f"{base_iri}relation/")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, Literal("PLOVER event types")))
    for quad, label in QUAD_CLASSES.items():
        q = iri_for(base_iri, "quad", quad)
        g.add((q, RDF.type, KG.QuadClass))
        g.add((q, RDFS.label, Literal(label)))
    for rel in PLOVER_TYPES:
        concept = iri_for(base_iri, "relation", rel.name)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, RDF.type, KG.RelationType))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.notation, Literal(rel.name)))
        g.add((concept, SKOS.prefLabel, Literal(rel.label, lang="en")))
        g.add((concept, SKOS.definition, Literal(rel.definition, lang="en")))
        g.add((concept, KG.cameoRoot, Literal(rel.cameo)))
        g.add((concept, KG.quadClass, iri_for(base_iri, "quad", rel.quad_class)))
        g.add((concept, KG.intensity, Literal(rel.intensity, datatype=XSD.decimal)))
        prop = KG[rel.property]
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.label, Literal(rel.label, lang="en")))
        g.add((prop, SKOS.related, concept))

    for node, data in graph.nodes(data=True):
        subject = iri_for(base_iri, "actor", node)
        g.add((subject, RDF.type, KG.Actor))
        g.add((subject, RDF.type, _TYPE_CLASS.get(data.get("type", ""), KG.Actor)))
        g.add((subject, RDFS.label, _literal(data.get("label") or node)))
        g.add((subject, KG.actorType, _literal(data.get("type") or "")))
        if data.get("sector"):
            g.add((subject, KG.sector, _literal(data["sector"])))
        country = data.get("country")
        if data.get("type") == "country" and country:
            g.add((subject, KG.isoCode, _literal(country)))
        elif country:
            g.add((subject, KG.memberOf, iri_for(base_iri, "actor", country)))

    articles = graph.graph.get("articles", {})
    seen_articles = set()
    for u, v, _key, data in graph.edges(keys=True, data=True):
        source, target = iri_for(base_iri, "actor", u), iri_for(base_iri, "actor", v)
        rel = PLOVER[data["relation"]]
        g.add((source, KG[rel.property], target))
        for event in data.get("events", []):
            node = iri_for(base_iri, "event", _event_id(event))
            g.add((node, RDF.type, KG.Event))
            g.add((node, RDF.type, PROV.Entity))
            g.add((node, KG.source, source))
            g.add((node, KG.target, target))
            g.add((node, KG.relation, iri_for(base_iri, "relation", rel.name)))
            g.add((node, KG.quadClass, iri_for(base_iri, "quad", rel.quad_class)))
            g.add((node, KG.confidence, Literal(round(event.confidence, 3), datatype=XSD.decimal)))
            g.add((node, KG.evidence, _literal(event.evidence)))
            g.add((node, KG.sentence, _literal(event.sentence)))
            g.add((node, KG.sentenceStart, Literal(event.start)))
            g.add((node, KG.sentenceEnd, Literal(event.end)))
            g.add((node, KG.evidenceStart, Literal(event.evidence_start)))
            g.add((node, KG.evidenceEnd, Literal(event.evidence_end)))
            if event.extractor:
                g.add((node, KG.extractor, _literal(event.extractor)))
            if event.date:
                g.add((node, DCTERMS.date, Literal(event.date, datatype=XSD.date)))
            article = iri_for(base_iri, "article", event.doc_id)
            g.add((node, PROV.wasDerivedFrom, article))
            if event.doc_id not in seen_articles:
                seen_articles.add(event.doc_id)
                meta = articles.get(event.doc_id, {})
                g.add((article, RDF.type, KG.Article))
                g.add((article, DCTERMS.identifier, _literal(event.doc_id)))
                if meta.get("title"):
                    g.add((article, DCTERMS.title, _literal(meta["title"])))
                if meta.get("date") or event.date:
                    g.add((article, DCTERMS.date, Literal(meta.get("date") or event.date, datatype=XSD.date)))
                if meta.get("url"):
                    g.add((article, DCTERMS.source, _literal(meta["url"])))
    return g


def write_rdf(
    graph: nx.MultiDiGraph, path: str | Path, *, format: str = "turtle", base_iri: str = DEFAULT_BASE_IRI
) -> None:
    """Write the graph as RDF (atomically).

    Raises:
        ExportError: for an unknown format.
    """
    if format not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {format!r}; expected one of {', '.join(RDF_FORMATS)}")
    data = to_rdflib(graph, base_iri=base_iri).serialize(format=format, encoding="utf-8")
    with atomic_write(path, "wb", encoding=None) as handle:
        handle.write(data)
