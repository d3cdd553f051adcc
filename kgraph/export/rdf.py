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
* one direct triple between states for every event whose actors belong to
  states (``actor:ITA kg:supports actor:RUS`` for Luigi Di Maio's words on
  Moscow), with its statistics on a ``kg:StateEdge`` node under
  ``{base}state-edge/``: the state roll-up of
  :func:`kgraph.graph.rollup_to_states`, so the simplest query finds what a
  person, a ministry or a force of a state did;
* one ``kg:Event`` node per extracted event with source, relation, target,
  ``dcterms:date``, confidence, evidence text and offsets, the whole sentence
  with the evidence marked (``kg:sentenceMarked``), and
  ``prov:wasDerivedFrom`` its article (``kg:Article`` with title, date, URL);
* the 16 PLOVER types as a SKOS concept scheme.

Every IRI is built by percent-encoding, so no input text can break it, and
files are written from sorted triples, so two builds give identical bytes.

The triples are generated once, as plain strings (an IRI is a ``str``, a
literal a ``(lexical, datatype, language)`` tuple): :func:`serialize` hands
them to pyoxigraph, :func:`rdf_triples` and :func:`to_rdflib` turn them into
rdflib terms. Building rdflib terms only to convert them again was most of
the cost of writing a large graph.
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
from typing import Union
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


#: A literal as plain strings, ``(lexical, datatype, language)``, its own sort
#: key: cheap to hash and compare (``""`` for no datatype or no language). A
#: plain tuple, not a named one, whose constructor would run in Python.
_Lit = tuple[str, str, str]
#: A term as the generators yield it: an IRI is a plain ``str``.
_Term = Union[str, _Lit]
_Triple = tuple[_Term, _Term, _Term]


class _Iris:
    """A namespace's IRIs as plain ``str``, each looked up once (rdflib terms
    hash and compare in Python, and a ``DefinedNamespace`` attribute costs a
    check each time). An unknown name still fails as in the namespace."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)
        return value

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


_KG, _RDF, _RDFS, _OWL, _SKOS, _PROV, _DCTERMS = map(_Iris, (KG, RDF, RDFS, OWL, SKOS, PROV, DCTERMS))
_XSD_DATE, _XSD_DECIMAL, _XSD_INTEGER, _XSD_ANY_URI = map(str, (XSD.date, XSD.decimal, XSD.integer, XSD.anyURI))
_XSD_STRING = str(XSD.string)
_DECIMAL = re.compile(r"-?\d+\.\d+")

_TYPE_CLASS = {"country": "State", "person": "Person", "organization": "Organization", "group": "Group"}
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
    return URIRef(_iri(base, kind, key))


def _iri(base: str, kind: str, key: str) -> str:
    return f"{base}{kind}/{_segment(key)}"


def _segment(key: str) -> str:
    """A key as one percent-encoded IRI path segment. A final ``.`` is
    encoded too: Turtle writes it ``actor:XX\\.``, valid, but rdflib's
    parser rejects a prefixed name ending in an escaped dot."""
    segment = quote(key.encode("utf-8", "replace"), safe="")
    return segment[:-1] + "%2E" if segment.endswith(".") else segment


def graph_iri(base_iri: str = DEFAULT_BASE_IRI) -> URIRef:
    """The named graph the TriG output (and ``kgraph push``) puts the triples in."""
    return URIRef(check_base_iri(base_iri) + "graph")


# Control characters other than tab, newline and carriage return, and the two
# non-characters, are not allowed in RDF/XML.
_NOT_IN_LITERAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    # Lone surrogates cannot be encoded at all (they become "?"), and the
    # characters above are dropped: a literal never fails the export.
    value = value.encode("utf-8", "replace").decode("utf-8")
    return _NOT_IN_LITERAL.sub("", value)


def _literal(value: str) -> _Lit:
    return (_clean(value), "", "")


def _plain(value: str) -> _Lit:
    return (value, "", "")


def _en(value: str) -> _Lit:
    return (value, "", "en")


def _date(value: str) -> _Lit | None:
    """An ``xsd:date`` for a valid ISO date, a plain literal for anything else."""
    if not value:
        return None
    if _DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
            return (value, _XSD_DATE, "")
        except ValueError:
            pass
    return _literal(value)


def _decimal(lexical: str) -> _Lit:
    """An ``xsd:decimal``; the lexical form is rdflib's (``nan`` is ``NaN``)."""
    if _DECIMAL.fullmatch(lexical):
        return (lexical, _XSD_DECIMAL, "")
    return _from_rdflib(Literal(lexical, datatype=XSD.decimal))


def _number(value: int) -> _Lit:
    """The literal rdflib makes of a Python value (``xsd:integer`` for an int)."""
    if type(value) is int:
        return (str(value), _XSD_INTEGER, "")
    return _from_rdflib(Literal(value))


def _from_rdflib(literal: Literal) -> _Lit:
    return (str(literal), str(literal.datatype or ""), literal.language or "")


def _to_rdflib(term: _Term) -> Node:
    if isinstance(term, str):
        return URIRef(term)
    lexical, datatype, lang = term
    if lang:
        return Literal(lexical, lang=lang)
    return Literal(lexical, datatype=URIRef(datatype) if datatype else None)


def _event_id(event: Event) -> str:
    raw = "\x1f".join(map(str, event_identity(event)))
    return hashlib.sha1(raw.encode("utf-8", "replace")).hexdigest()[:16]


def _vocabulary(base: str) -> Iterator[_Triple]:
    scheme = f"{base}relation/"
    yield scheme, _RDF.type, _SKOS.ConceptScheme
    yield scheme, _RDFS.label, _en("PLOVER event types")
    yield scheme, _SKOS.prefLabel, _en("PLOVER event types")
    for quad, label in QUAD_CLASSES.items():
        q = _iri(base, "quad", quad)
        yield q, _RDF.type, _KG.QuadClass
        yield q, _RDF.type, _SKOS.Concept
        yield q, _SKOS.inScheme, scheme
        yield q, _SKOS.topConceptOf, scheme
        yield q, _SKOS.notation, _plain(quad)
        yield q, _SKOS.prefLabel, _en(label)
        yield q, _RDFS.label, _en(label)
    for rel in PLOVER_TYPES:
        concept = _iri(base, "relation", rel.name)
        yield concept, _RDF.type, _SKOS.Concept
        yield concept, _RDF.type, _KG.RelationType
        yield concept, _SKOS.inScheme, scheme
        yield concept, _SKOS.broader, _iri(base, "quad", rel.quad_class)
        yield concept, _SKOS.notation, _plain(rel.name)
        yield concept, _SKOS.prefLabel, _en(rel.label)
        yield concept, _SKOS.definition, _en(rel.definition)
        yield concept, _KG.cameoRoot, _plain(rel.cameo)
        yield concept, _KG.quadClass, _iri(base, "quad", rel.quad_class)
        yield concept, _KG.intensity, _decimal(f"{rel.intensity:.1f}")
        prop = _KG[rel.property]
        yield prop, _RDF.type, _OWL.ObjectProperty
        if rel.symmetric:
            yield prop, _RDF.type, _OWL.SymmetricProperty
        yield prop, _RDFS.label, _en(rel.label)
        yield prop, _RDFS.domain, _KG.Actor
        yield prop, _RDFS.range, _KG.Actor
        yield prop, _SKOS.related, concept


def _state(base: str, code: str, label: str | None) -> Iterator[_Triple]:
    subject = _iri(base, "actor", code)
    link = state_links().get(code)
    yield subject, _RDF.type, _KG.Actor
    yield subject, _RDF.type, _KG.State
    yield subject, _DCTERMS.identifier, _literal(code)
    yield subject, _KG.actorType, _plain("country")
    yield subject, _KG.isoCode, _literal(code)
    yield subject, _RDFS.label, _literal(label or (link.name if link else code))
    if link and link.wikidata:
        yield subject, _OWL.sameAs, f"{WIKIDATA}{link.wikidata}"
    if link and link.geonames:
        yield subject, _OWL.sameAs, f"{GEONAMES}{link.geonames}/"


def _actors(graph: nx.MultiDiGraph, base: str) -> Iterator[_Triple]:
    states = {n for n, d in graph.nodes(data=True) if d.get("type") == "country"}
    members: set[str] = set()
    for node, data in graph.nodes(data=True):
        kind = data.get("type") or ""
        if kind == "country":
            yield from _state(base, node, data.get("label"))
            continue
        subject = _iri(base, "actor", node)
        yield subject, _RDF.type, _KG.Actor
        if kind in _TYPE_CLASS:
            yield subject, _RDF.type, _KG[_TYPE_CLASS[kind]]
        yield subject, _DCTERMS.identifier, _literal(node)
        yield subject, _RDFS.label, _literal(data.get("label") or node)
        yield subject, _KG.actorType, _literal(kind)
        if data.get("sector"):
            yield subject, _KG.sector, _literal(data["sector"])
        country = data.get("country")
        if country:
            yield subject, _KG.country, _literal(country)
            yield subject, _KG.memberOf, _iri(base, "actor", country)
            members.add(country)
    # A person's state is described even when the state itself is in no event.
    for code in sorted(members - states):
        yield from _state(base, code, None)


def _article(base: str, doc_id: str, meta: dict, date: str | None) -> Iterator[_Triple]:
    article = _iri(base, "article", doc_id)
    yield article, _RDF.type, _KG.Article
    yield article, _RDF.type, _PROV.Entity
    yield article, _DCTERMS.identifier, _literal(doc_id)
    if meta.get("title"):
        yield article, _DCTERMS.title, _literal(meta["title"])
    when = _date(meta.get("date") or date or "")
    if when is not None:
        yield article, _DCTERMS.date, when
    if meta.get("url"):
        yield article, _DCTERMS.source, (_clean(meta["url"]), _XSD_ANY_URI, "")


def _event(base: str, event: Event, event_iri: str, source: str, target: str) -> Iterator[_Triple]:
    rel = PLOVER[event.relation]
    node = event_iri
    yield node, _RDF.type, _KG.Event
    yield node, _RDF.type, _PROV.Entity
    yield node, _KG.source, source
    yield node, _KG.target, target
    yield node, _KG.relation, _iri(base, "relation", rel.name)
    yield node, _KG.quadClass, _iri(base, "quad", rel.quad_class)
    yield node, _KG.confidence, _decimal(f"{event.confidence:.3f}")
    yield node, _KG.evidence, _literal(event.evidence)
    yield node, _KG.sentence, _literal(event.sentence)
    yield node, _KG.sentenceMarked, _literal(event.sentence_marked)
    yield node, _KG.sentenceStart, _number(event.start)
    yield node, _KG.sentenceEnd, _number(event.end)
    yield node, _KG.evidenceStart, _number(event.evidence_start)
    yield node, _KG.evidenceEnd, _number(event.evidence_end)
    if event.trigger:
        yield node, _KG.trigger, _literal(event.trigger)
        yield node, _KG.triggerStart, _number(event.trigger_start)
        yield node, _KG.triggerEnd, _number(event.trigger_end)
    if event.extractor:
        yield node, _KG.extractor, _literal(event.extractor)
    when = _date(event.date or "")
    if when is not None:
        yield node, _DCTERMS.date, when
    yield node, _PROV.wasDerivedFrom, _iri(base, "article", event.doc_id)


def _triples(graph: nx.MultiDiGraph, base: str) -> Iterator[_Triple]:
    """Every triple of the RDF model, as plain terms (may repeat a triple)."""
    yield from _vocabulary(base)
    yield from _actors(graph, base)
    articles = graph.graph.get("articles", {})
    seen_articles: set[str] = set()
    for u, v, _key, data in graph.edges(keys=True, data=True):
        source, target = _iri(base, "actor", u), _iri(base, "actor", v)
        rel = PLOVER[data["relation"]]
        prop = _KG[rel.property]
        yield source, prop, target
        edge = f"{base}edge/{_segment(u)}/{rel.name}/{_segment(v)}"
        yield edge, _RDF.type, _RDF.Statement
        yield edge, _RDF.subject, source
        yield edge, _RDF.predicate, prop
        yield edge, _RDF.object, target
        yield edge, _KG.relation, _iri(base, "relation", rel.name)
        yield edge, _KG.supportCount, _number(data["count"])
        yield edge, _KG.articleCount, _number(data["articles"])
        yield edge, _KG.confidence, _decimal(f"{data['confidence']:.3f}")
        for prop_, value in ((_KG.firstDate, data.get("first_date")), (_KG.lastDate, data.get("last_date"))):
            when = _date(value or "")
            if when is not None:
                yield edge, prop_, when
        for event in data.get("events", []):
            event_iri = _iri(base, "event", _event_id(event))
            yield from _event(base, event, event_iri, source, target)
            yield edge, _PROV.wasDerivedFrom, event_iri
            if event.doc_id not in seen_articles:
                seen_articles.add(event.doc_id)
                yield from _article(base, event.doc_id, articles.get(event.doc_id, {}), event.date)
    yield from _state_edges(graph, base)


def _state_of(actor) -> str | None:
    """The node of an actor in the state roll-up (as
    :func:`kgraph.graph.rollup_to_states`): a state or an international
    organisation itself, else the state it belongs to, else none (an
    official of an organisation, ``ORG:UN.PER.…``, belongs to no state)."""
    if actor.type == "country" or (actor.id.startswith("ORG:") and "." not in actor.id):
        return actor.id
    return actor.country or None


def _state_edges(graph: nx.MultiDiGraph, base: str) -> Iterator[_Triple]:
    """A direct triple between states for every event whose actors belong to
    states, with its statistics on a ``kg:StateEdge``: ``actor:ITA
    kg:supports actor:RUS`` when Italy's foreign minister spoke for Moscow.
    Domestic events (a state's ministry against its own rebels) are state
    self-loops, as on the state view."""
    grouped: dict[tuple[str, str, str], list[Event]] = {}
    for _u, _v, data in graph.edges(data=True):
        for event in data.get("events", []):
            source, target = _state_of(event.source), _state_of(event.target)
            if source is not None and target is not None:
                grouped.setdefault((source, event.relation, target), []).append(event)
    for (u, relation, v), events in sorted(grouped.items()):
        source, target = _iri(base, "actor", u), _iri(base, "actor", v)
        rel = PLOVER[relation]
        prop = _KG[rel.property]
        yield source, prop, target
        edge = f"{base}state-edge/{_segment(u)}/{rel.name}/{_segment(v)}"
        yield edge, _RDF.type, _RDF.Statement
        yield edge, _RDF.type, _KG.StateEdge
        yield edge, _RDF.subject, source
        yield edge, _RDF.predicate, prop
        yield edge, _RDF.object, target
        yield edge, _KG.relation, _iri(base, "relation", rel.name)
        yield edge, _KG.supportCount, _number(len(events))
        yield edge, _KG.articleCount, _number(len({e.doc_id for e in events}))
        confidence = sum(e.confidence for e in events) / len(events)
        yield edge, _KG.confidence, _decimal(f"{confidence:.3f}")
        dates = sorted(e.date for e in events if e.date)
        for prop_, value in ((_KG.firstDate, dates[0] if dates else ""), (_KG.lastDate, dates[-1] if dates else "")):
            when = _date(value)
            if when is not None:
                yield edge, prop_, when
        for event in events:
            yield edge, _PROV.wasDerivedFrom, _iri(base, "event", _event_id(event))


def rdf_triples(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple of the RDF model of ``graph`` as rdflib terms (pure; may
    repeat a triple).

    Raises:
        ExportError: for an invalid ``base_iri``.
    """
    base = check_base_iri(base_iri)
    for s, p, o in _triples(graph, base):
        yield URIRef(s), URIRef(p), _to_rdflib(o)


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


def serialize(graph: nx.MultiDiGraph, *, format: str = "turtle", base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The graph as RDF bytes, from sorted triples (deterministic output).

    Raises:
        ExportError: for an unknown format or an invalid base IRI.
    """
    import pyoxigraph as ox

    if format not in RDF_FORMATS:
        raise ExportError(f"unknown RDF format {format!r}; expected one of {', '.join(RDF_FORMATS)}")
    base = check_base_iri(base_iri)
    # Triples are sorted by the strings of their terms (an IRI sorts as
    # (iri, "", ""), a literal as (lexical, datatype, language)); a repeated
    # key keeps the last triple. Each distinct term is converted once: actors,
    # predicates and classes recur in thousands of triples.
    keyed: dict[tuple[str, ...], _Triple] = {}
    for s, p, o in _triples(graph, base):
        keyed[(s, p, o, "", "") if o.__class__ is str else (s, p, *o)] = (s, p, o)
    distinct = {term for triple in keyed.values() for term in triple}
    to_ox = {term: _ox_term(ox, term) for term in distinct}
    ordered = [keyed[key] for key in sorted(keyed)]
    prefixes = {**PREFIXES, "actor": f"{base}actor/"}
    ox_format = getattr(ox.RdfFormat, _OX_FORMATS[format])
    if format == "trig":
        name = ox.NamedNode(str(graph_iri(base)))
        items = [ox.Quad(to_ox[s], to_ox[p], to_ox[o], name) for s, p, o in ordered]
    else:
        items = [ox.Triple(to_ox[s], to_ox[p], to_ox[o]) for s, p, o in ordered]
    use_prefixes = format in ("turtle", "trig", "xml", "json-ld")
    return ox.serialize(items, format=ox_format, prefixes=prefixes if use_prefixes else None)


def _ox_term(ox, term: _Term) -> object:
    if isinstance(term, str):
        return ox.NamedNode(term)
    lexical, datatype, lang = term
    if lang:
        return ox.Literal(lexical, language=lang)
    return ox.Literal(lexical, datatype=ox.NamedNode(datatype or _XSD_STRING))


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

