"""The merge: one node per actor, one edge per (source, relation, target) with
its statistics, and the roll-up to states."""

from __future__ import annotations

import random

import pytest

from kgraph.graph import build_graph, event_identity, rollup_to_states


def test_one_node_per_actor_with_state_links(toy_graph):
    assert sorted(toy_graph.nodes) == [
        "FRA", "IRN", "ITA", "RUS", "RUS.PER.vladimir-putin", "SYR", "TUR", "TUR.MIL", "USA",
    ]
    putin = toy_graph.nodes["RUS.PER.vladimir-putin"]
    assert (putin["type"], putin["country"], putin["state"], putin["label"]) == ("person", "RUS", "RUS", "Vladimir Putin")
    assert toy_graph.nodes["TUR.MIL"]["state"] == "TUR"
    assert toy_graph.nodes["TUR"]["state"] == ""  # a state node carries no country of its own


@pytest.mark.parametrize(
    "edge, count, articles, first, last, confidence",
    [
        # a1 twice (two sentences), a2 once: the a2 duplicate found by a
        # second extractor at the same span is one event, the better one kept.
        (("TUR", "SYR", "ASSAULT"), 3, 2, "2019-03-01", "2019-03-02", 0.8),
        (("TUR.MIL", "SYR", "ASSAULT"), 1, 1, "2019-03-02", "2019-03-02", 0.6),
        (("RUS", "ITA", "COOPERATE"), 1, 1, "2020-01-05", "2020-01-05", 0.9),
        (("USA", "IRN", "THREATEN"), 1, 1, "2020-02-01", "2020-02-01", 0.8),
    ],
)
def test_edge_statistics(toy_graph, edge, count, articles, first, last, confidence):
    data = toy_graph.edges[edge]
    assert (data["count"], data["articles"], data["first_date"], data["last_date"]) == (count, articles, first, last)
    assert data["confidence"] == pytest.approx(confidence)
    assert len(data["events"]) == count
    assert data["relation"] == edge[2] and data["quad_class"] in {"VC", "MC", "VX", "MX"}


def test_duplicate_event_counts_once_and_keeps_the_most_confident(toy_events):
    graph = build_graph(toy_events)
    a2 = [e for e in graph.edges["TUR", "SYR", "ASSAULT"]["events"] if e.doc_id == "a2"]
    assert len(a2) == 1
    assert (a2[0].confidence, a2[0].extractor) == (0.8, "dependency")


def test_same_event_in_several_articles_counts_once_per_article(toy_events):
    same = [e for e in toy_events if e.doc_id == "a3" and e.relation == "COOPERATE" and e.source.id == "RUS"][0]
    from dataclasses import replace

    copies = [replace(same, doc_id=f"copy{i}") for i in range(4)]
    graph = build_graph([*toy_events, *copies, copies[0]])
    data = graph.edges["RUS", "ITA", "COOPERATE"]
    assert (data["count"], data["articles"]) == (5, 5)


def test_node_event_counts(toy_graph):
    assert toy_graph.nodes["SYR"]["events"] == 4
    assert toy_graph.nodes["TUR"]["events"] == 3
    assert toy_graph.nodes["RUS"]["events"] == 2


def test_input_order_does_not_matter(toy_events):
    shuffled = list(toy_events)
    random.Random(7).shuffle(shuffled)
    a, b = build_graph(toy_events), build_graph(shuffled)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_event_identity_ignores_extractor_and_confidence(toy_events):
    dup = [e for e in toy_events if e.doc_id == "a2" and e.evidence == "Turkey attacked Syria"]
    assert len(dup) == 2 and event_identity(dup[0]) == event_identity(dup[1])


def test_rollup_merges_persons_and_forces_into_their_state(toy_graph):
    states = rollup_to_states(toy_graph)
    assert sorted(states.nodes) == ["FRA", "IRN", "ITA", "RUS", "SYR", "TUR", "USA"]
    tur_syr = states.edges["TUR", "SYR", "ASSAULT"]
    assert (tur_syr["count"], tur_syr["articles"]) == (4, 2)
    assert states.edges["RUS", "ITA", "AGREE"]["count"] == 1  # Putin's promise
    assert states.nodes["RUS"]["label"] == "Russia"
    assert states.graph["articles"] == toy_graph.graph["articles"]


def test_rollup_drops_stateless_actors_and_actor_self_loops():
    from kgraph.model import Actor, Event

    rebels = Actor("GRP.rebels", "rebels", type="group")
    putin = Actor("RUS.PER.putin", "Putin", type="person", country="RUS")
    rus = Actor("RUS", "Russia")
    events = [
        Event("d", rebels, "ASSAULT", rus, "s", 0, 1),
        Event("d", rus, "COERCE", rus, "s", 2, 3, evidence_start=2),
        Event("d", putin, "COERCE", rus, "s", 4, 5, evidence_start=4),
    ]
    states = rollup_to_states(build_graph(events))
    # Putin acting on Russia is a domestic event and is kept; Russia on
    # Russia at actor level is not; the state-less rebels are dropped.
    assert [(u, v, k, d["count"]) for u, v, k, d in states.edges(keys=True, data=True)] == [("RUS", "RUS", "COERCE", 1)]


def test_empty_input_gives_an_empty_graph():
    graph = build_graph([])
    assert graph.number_of_nodes() == 0 and graph.graph["articles"] == {}


def test_rollup_names_states_reached_only_through_their_organs():
    from kgraph.graph import build_graph, rollup_to_states
    from kgraph.model import Actor, Event

    police = Actor("EGY.COP", "Egypt (COP)", "organization", "EGY", "COP")
    people = Actor("EGY.CVL", "Egypt (civilians)", "group", "EGY", "CVL")
    event = Event(doc_id="d", source=police, relation="COERCE", target=people, sentence="s", start=0, end=1)
    rolled = rollup_to_states(build_graph([event]))
    assert rolled.nodes["EGY"]["label"] == "Egypt"
