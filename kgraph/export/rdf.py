"""The graph as linked-data RDF.

Model (see ``docs/rdf-model.md``):

* actors are IRIs under ``{base}actor/`` with ``rdfs:label``, their id
  (``dcterms:identifier``), their class (``kg:State``, ``kg:Person`` …), and
  ``kg:memberOf`` their state; states carry their ISO code and ``owl:sameAs``
  links to Wikidata and GeoNames where known (``kgraph/data/state_links.tsv``);
* one direct triple per merged edge (``actor:RUS kg:cooperatesWith actor:ITA``)
  and, for its statistics, one ``rdf:Statement`` node under ``{base}edge/``
  with support and article counts, first and last date, mean confidence and
  ``prov:wasDerivedFrom`` its events;
* one ``kg:Event`` node per extracted event with source, relation, target,
  ``dcterms:date``, confidence, evidence text and offsets, and
  ``prov:wasDerivedFrom`` its article (``kg:Article`` with title, date, URL);
* the 16 PLOVER types as a SKOS concept scheme.

Every IRI is built by percent-encoding, so no input text can break it, and
files are written from sorted triples, so two builds give identical bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..errors import ExportError
from ..graph import event_identity
from ..io import atomic_write
from ..model import Event
from ..vocab import DEFAULT_BASE_IRI, KG, PLOVER, PLOVER_TYPES, QUAD_CLASSES

__all__ = [
    "RDF_FORMATS",
    "StateLink",
    "check_base_iri",
    "graph_iri",
    "iri_for",
    "rdf_triples",
    "serialize",
    "state_links",
    "to_rdflib",
    "write_rdf",
]

RDF_FORMATS = {
    "turtle": ".ttl",
    "nt": ".nt",
    "json-ld": ".jsonld",
    "trig": ".trig",
    "xml": ".rdf",
}
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "json-ld": "JSON_LD", "trig": "TRIG", "xml": "RDF_XML"}

WIKIDATA = Namespace("http://www.wikidata.org/entity/")
GEONAMES = "https://sws.geonames.org/"

PREFIXES = {
    "kg": str(KG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "wd": str(WIKIDATA),
}

_TYPE_CLASS = {"country": KG.State, "person": KG.Person, "organization": KG.Organization, "group": KG.Group}
# Characters RFC 3987 forbids in an IRI, plus the ones Turtle cannot hold in <…>.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class StateLink:
    """Identifiers of a state in other knowledge bases."""

    iso3: str
    iso2: str
    name: str
    geonames: str
    wikidata: str


@cache
def state_links() -> dict[str, StateLink]:
    """ISO alpha-3 → :class:`StateLink`, from ``kgraph/data/state_links.tsv``."""
    text = (resources.files("kgraph") / "data" / "state_links.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    return {row["iso3"]: StateLink(**row) for row in rows}


def check_base_iri(base_iri: str) -> str:
    """The base IRI, ending in ``/`` or ``#``.

    Raises:
        ExportError: if it is not an absolute IRI or holds characters no IRI may.

    >>> check_base_iri("https://example.org/kg")
    'https://example.org/kg/'
    """
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", base_iri) or _BAD_IRI_CHARS.search(base_iri):
        raise ExportError(
            f"invalid --base-iri {base_iri!r}: expected an absolute IRI without spaces, quotes or <>, "
            "such as https://example.org/kg/"
        )
    return base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"


def iri_for(base: str, kind: str, key: str) -> URIRef:
    """A valid IRI for any key: every character outside the unreserved set is
    percent-encoded (UTF-8), so quotes, spaces, ``<``, ``>``, control
    characters and non-Latin scripts cannot break it.

    >>> str(iri_for("https://x.org/", "actor", "a b<c>"))
    'https://x.org/actor/a%20b%3Cc%3E'
    """
    return URIRef(f"{base}{kind}/{quote(key.encode('utf-8', 'replace'), safe='')}")


def graph_iri(base_iri: str = DEFAULT_BASE_IRI) -> URIRef:
    """The named graph the TriG output (and ``kgraph push``) puts the triples in."""
    return URIRef(check_base_iri(base_iri) + "graph")


def _clean(value: str) -> str:
    # Control characters other than tab/newline are not allowed in RDF/XML, and
    # lone surrogates cannot be encoded at all: drop them from literals rather
    # than fail the export.
    value = value.encode("utf-8", "replace").decode("utf-8")
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32 and ch not in "\ufffe\uffff")


def _literal(value: str) -> Literal:
    return Literal(_clean(value))


def _date(value: str) -> Literal | None:
    """An ``xsd:date`` for a valid ISO date, a plain literal for anything else."""
    if not value:
        return None
    if _DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        except ValueError:
            pass
    return _literal(value)


def _decimal(value: float) -> Literal:
    return Literal(f"{value:.3f}", datatype=XSD.decimal)


def _event_id(event: Event) -> str:
    raw = "\x1f".join(map(str, event_identity(event)))
    return hashlib.sha1(raw.encode("utf-8", "replace")).hexdigest()[:16]


def _vocabulary(base: str) -> Iterator[tuple[Node, Node, Node]]:
    scheme = URIRef(f"{base}relation/")
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, RDFS.label, Literal("PLOVER event types", lang="en")
    yield scheme, SKOS.prefLabel, Literal("PLOVER event types", lang="en")
    for quad, label in QUAD_CLASSES.items():
        q = iri_for(base, "quad", quad)
        yield q, RDF.type, KG.QuadClass
        yield q, RDF.type, SKOS.Concept
        yield q, SKOS.inScheme, scheme
        yield q, SKOS.topConceptOf, scheme
        yield q, SKOS.notation, Literal(quad)
        yield q, SKOS.prefLabel, Literal(label, lang="en")
        yield q, RDFS.label, Literal(label, lang="en")
    for rel in PLOVER_TYPES:
        concept = iri_for(base, "relation", rel.name)
        yield concept, RDF.type, SKOS.Concept
        yield concept, RDF.type, KG.RelationType
        yield concept, SKOS.inScheme, scheme
        yield concept, SKOS.broader, iri_for(base, "quad", rel.quad_class)
        yield concept, SKOS.notation, Literal(rel.name)
        yield concept, SKOS.prefLabel, Literal(rel.label, lang="en")
        yield concept, SKOS.definition, Literal(rel.definition, lang="en")
        yield concept, KG.cameoRoot, Literal(rel.cameo)
        yield concept, KG.quadClass, iri_for(base, "quad", rel.quad_class)
        yield concept, KG.intensity, Literal(f"{rel.intensity:.1f}", datatype=XSD.decimal)
        prop = KG[rel.property]
        yield prop, RDF.type, OWL.ObjectProperty
        if rel.symmetric:
            yield prop, RDF.type, OWL.SymmetricProperty
        yield prop, RDFS.label, Literal(rel.label, lang="en")
        yield prop, RDFS.domain, KG.Actor
        yield prop, RDFS.range, KG.Actor
        yield prop, SKOS.related, concept


def _state(base: str, code: str, label: str | None) -> Iterator[tuple[Node, Node, Node]]:
    subject = iri_for(base, "actor", code)
    link = state_links().get(code)
    yield subject, RDF.type, KG.Actor
    yield subject, RDF.type, KG.State
    yield subject, DCTERMS.identifier, _literal(code)
    yield subject, KG.actorType, Literal("country")
    yield subject, KG.isoCode, _literal(code)
    yield subject, RDFS.label, _literal(label or (link.name if link else code))
    if link and link.wikidata:
        yield subject, OWL.sameAs, WIKIDATA[link.wikidata]
    if link and link.geonames:
        yield subject, OWL.sameAs, URIRef(f"{GEONAMES}{link.geonames}/")


def _actors(graph: nx.MultiDiGraph, base: str) -> Iterator[tuple[Node, Node, Node]]:
    states = {n for n, d in graph.nodes(data=True) if d.get("type") == "country"}
    members: set[str] = set()
    for node, data in graph.nodes(data=True):
        kind = data.get("type") or ""
        if kind == "country":
            yield from _state(base, node, data.get("label"))
            continue
        subject = iri_for(base, "actor", node)
        yield subject, RDF.type, KG.Actor
        if kind in _TYPE_CLASS:
            yield subject, RDF.type, _TYPE_CLASS[kind]
        yield subject, DCTERMS.identifier, _literal(node)
        yield subject, RDFS.label, _literal(data.get("label") or node)
        yield subject, KG.actorType, _literal(kind)
        if data.get("sector"):
            yield subject, KG.sector, _literal(data["sector"])
        country = data.get("country")
        if country:
            yield subject, KG.country, _literal(country)
            yield subject, KG.memberOf, iri_for(base, "actor", country)
            members.add(country)
    # A person's state is described even when the state itself is in no event.
    for code in sorted(members - states):
        yield from _state(base, code, None)


def _article(base: str, doc_id: str, meta: dict, date: str | None) -> Iterator[tuple[Node, Node, Node]]:
    article = iri_for(base, "article", doc_id)
    yield article, RDF.type, KG.Article
    yield article, RDF.type, PROV.Entity
    yield article, DCTERMS.identifier, _literal(doc_id)
    if meta.get("title"):
        yield article, DCTERMS.title, _literal(meta["title"])
    when = _date(meta.get("date") or date or "")
    if when is not None:
        yield article, DCTERMS.date, when
    if meta.get("url"):
        yield article, DCTERMS.source, Literal(_clean(meta["url"]), datatype=XSD.anyURI)


def _event(base: str, event: Event, source: URIRef, target: URIRef) -> Iterator[tuple[Node, Node, Node]]:
    rel = PLOVER[event.relation]
    node = iri_for(base, "event", _event_id(event))
    yield node, RDF.type, KG.Event
    yield node, RDF.type, PROV.Entity
    yield node, KG.source, source
    yield node, KG.target, target
    yield node, KG.relation, iri_for(base, "relation", rel.name)
    yield node, KG.quadClass, iri_for(base, "quad", rel.quad_class)
    yield node, KG.confidence, _decimal(event.confidence)
    yield node, KG.evidence, _literal(event.evidence)
    yield node, KG.sentence, _literal(event.sentence)
    yield node, KG.sentenceStart, Literal(event.start)
    yield node, KG.sentenceEnd, Literal(event.end)
    yield node, KG.evidenceStart, Literal(event.evidence_start)
    yield node, KG.evidenceEnd, Literal(event.evidence_end)
    if event.extractor:
        yield node, KG.extractor, _literal(event.extractor)
    when = _date(event.date or "")
    if when is not None:
        yield node, DCTERMS.date, when
    yield node, PROV.wasDerivedFrom, iri_for(base, "article", event.doc_id)


def rdf_triples(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple of the RDF model of ``graph`` (pure; may repeat a triple).

    Raises:
        ExportError: for an invalid ``base_iri``.
    """
    base = check_base_iri(base_iri)
    yield from _vocabulary(base)
    yield from _actors(graph, base)
    articles = graph.graph.get("articles", {})
    seen_articles: set[str] = set()
    for u, v, _key, data in graph.edges(keys=True, data=True):
        source, target = iri_for(base, "actor", u), iri_for(base, "actor", v)
        rel = PLOVER[data["relation"]]
        prop = KG[rel.property]
        yield source, prop, target
        edge = URIRef(f"{base}edge/{quote(u, safe='')}/{rel.name}/{quote(v, safe='')}")
        yield edge, RDF.type, RDF.Statement
        yield edge, RDF.subject, source
        yield edge, RDF.predicate, prop
        yield edge, RDF.object, target
        yield edge, KG.relation, iri_for(base, "relation", rel.name)
        yield edge, KG.supportCount, Literal(data["count"])
        yield edge, KG.articleCount, Literal(data["articles"])
        yield edge, KG.confidence, _decimal(data["confidence"])
        for prop_, value in ((KG.firstDate, data.get("first_date")), (KG.lastDate, data.get("last_date"))):
            when = _date(value or "")
            if when is not None:
                yield edge, prop_, when
        for event in data.get("events", []):
            yield from _event(base, event, source, target)
            yield edge, PROV.wasDerivedFrom, iri_for(base, "event", _event_id(event))
            if event.doc_id not in seen_articles:
                seen_articles.add(event.doc_id)
                yield from _article(base, event.doc_id, articles.get(event.doc_id, {}), event.date)


def to_rdflib(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Build the RDF graph (pure: no I/O)."""
    base = check_base_iri(base_iri)
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("actor", Namespace(f"{base}actor/"))
    for triple in rdf_triples(graph, base_iri=base):
        g.add(triple)
    return g


def _ox_term(term: Node):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise ExportError(f"cannot serialise RDF term {term!r}")


def serialize(graph: nx.MultiDiGraph, *, format: str = "turtle", base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The graph as RDF bytes, from sorted triples (deterministic output).

    Raises:
        ExportError: for an unknown format or an invalid base IRI.
    """
    import pyoxigraph as ox

    if format not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {format!r}; expected one of {', '.join(RDF_FORMATS)}")
    base = check_base_iri(base_iri)
    # Each distinct term is converted once (actors, predicates and classes
    # recur in thousands of triples); sorting is on plain strings, since
    # comparing rdflib terms is slow on large graphs.
    converted: dict[Node, tuple[tuple[str, str, str], object]] = {}

    def term(node: Node) -> tuple[tuple[str, str, str], object]:
        found = converted.get(node)
        if found is None:
            found = converted[node] = (_sort_key(node), _ox_term(node))
        return found

    keyed = {}
    for s, p, o in rdf_triples(graph, base_iri=base):
        (sk, sx), (pk, px), (ok, ox_o) = term(s), term(p), term(o)
        keyed[(sk[0], pk[0], *ok)] = (sx, px, ox_o)
    triples = [keyed[key] for key in sorted(keyed)]
    prefixes = {**PREFIXES, "actor": f"{base}actor/"}
    ox_format = getattr(ox.RdfFormat, _OX_FORMATS[format])
    if format == "trig":
        name = ox.NamedNode(str(graph_iri(base)))
        items = [ox.Quad(s, p, o, name) for s, p, o in triples]
    else:
        items = [ox.Triple(s, p, o) for s, p, o in triples]
    use_prefixes = format in ("turtle", "trig", "xml", "json-ld")
    return ox.serialize(items, format=ox_format, prefixes=prefixes if use_prefixes else None)


def _sort_key(term: Node) -> tuple[str, str, str]:
    if isinstance(term, Literal):
        return (str(term), str(term.datatype or ""), term.language or "")
    return (str(term), "", "")


def write_rdf(
    graph: nx.MultiDiGraph, path: str | Path, *, format: str = "turtle", base_iri: str = DEFAULT_BASE_IRI
) -> None:
    """Write the graph as RDF (atomically).

    Args:
        graph: A graph from :func:`kgraph.graph.build_graph`.
        path: The file to write.
        format: One of :data:`RDF_FORMATS` (``turtle``, ``nt``, ``json-ld``,
            ``trig``, ``xml``). TriG puts the triples in the named graph
            :func:`graph_iri`.
        base_iri: Where actor, event and article IRIs live.

    Raises:
        ExportError: for an unknown format, an invalid base IRI or an
            unwritable path.
    """
    data = serialize(graph, format=format, base_iri=base_iri)
    with atomic_write(path, "wb", encoding=None) as handle:
        handle.write(data)

