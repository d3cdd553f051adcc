"""The learned extractor: candidate pairs, features, the shipped model."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.errors import InputError
from kgraph.extract import DEFAULT_EXTRACTORS, RULE_EXTRACTORS, extract_events
from kgraph.extract.learned import LinearModel, candidates, extract_learned, features, load_model


@pytest.fixture(scope="module")
def parse(nlp):
    from kgraph.resolve import annotate, default_resolver

    resolver = default_resolver()

    def run(text: str):
        doc = nlp(text)
        annotate(doc, resolver, date="2024-05-01")
        return doc

    return run


def _triples(events):
    return {(e.source.state, e.relation, e.target.state) for e in events}


@pytest.mark.parametrize(
    "text, added",
    [
        # pairs the rules leave unread: a verb of force with a place as its object
        ("Ugandan troops shelled rebel positions inside Congo overnight.", {("UGA", "ASSAULT", "COD")}),
        ("Eritrean soldiers looted homes in the Tigray region of Ethiopia, residents said.", {("ERI", "ASSAULT", "ETH")}),
        # coordinated modifiers of one subject, an exchange of fire
        ("Armenian and Azerbaijani troops exchanged fire along their shared border.", {("ARM", "ASSAULT", "AZE")}),
        # the damaged ship of a third state in a strike on a city
        ("A Russian drone strike on Odesa damaged a Panamanian-flagged grain ship.", {("RUS", "ASSAULT", "PAN")}),
    ],
)
def test_learned_fills_in_pairs_the_rules_miss(parse, text, added):
    rules = _triples(extract_events(parse(text), RULE_EXTRACTORS))
    both = _triples(extract_events(parse(text), DEFAULT_EXTRACTORS))
    assert both - rules == added


@pytest.mark.parametrize(
    "text, expected",
    [
        # the rules read the pair (future cooperation is AGREE); the model adds nothing
        ("Russia will cooperate with Italy.", {("RUS", "AGREE", "ITA")}),
        ("Vietnam and Cambodia held border talks in Hanoi on Friday.", {("KHM", "CONSULT", "VNM")}),
        ("Saudi Arabia criticised Sweden over the burning of a Koran in Stockholm.", {("SAU", "ACCUSE", "SWE")}),
    ],
)
def test_pairs_the_rules_read_are_theirs(parse, text, expected):
    assert _triples(extract_events(parse(text), DEFAULT_EXTRACTORS)) == expected


def test_candidates_are_ordered_pairs_of_different_actors_or_one_alone(parse):
    doc = parse("Ghana and Togo signed a trade deal, and Ghana thanked Togo. Ghana closed its schools.")
    found = list(candidates(doc))
    pairs = {(c.source.actor.id, c.target.actor.id) for c in found if not c.domestic}
    assert ("GHA", "TGO") in pairs and ("TGO", "GHA") in pairs
    assert all(a != b for a, b in pairs)
    alone = [c for c in found if c.domestic]
    # one mention alone only where the sentence names one state
    assert [(doc[c.source.start : c.source.end].text, c.sentence.start) for c in alone] == [("Ghana", 13), ("its", 13)]


def test_features_are_strings_without_repeats_and_repeatable(parse):
    doc = parse("Chad accused Sudan of arming the rebels.")
    [first] = [c for c in candidates(doc) if c.source.actor.id == "TCD" and not c.domestic]
    feats = features(doc, first)
    assert feats == features(doc, first)
    assert len(feats) == len(set(feats)) and all(isinstance(f, str) for f in feats)
    assert "lca=accuse" in feats


def test_a_model_scores_by_its_weights(parse):
    model = LinearModel(["ACCUSE"], [-5.0], {"lca=accuse": {"ACCUSE": 10.0}}, 0.5)
    assert model.scores(["lca=accuse"])["ACCUSE"] > 0.99
    assert model.scores(["lca=meet"])["ACCUSE"] < 0.01
    doc = parse("Chad accused Sudan of arming the rebels.")
    doc.user_data["kgraph_events"] = {name: [] for name in RULE_EXTRACTORS}  # as if the rules found nothing
    assert _triples(extract_learned(doc, model)) == {("TCD", "ACCUSE", "SDN")}
    assert LinearModel.from_dict(json.loads(json.dumps(model.to_dict()))).weights == model.weights


def test_the_shipped_model_covers_the_plover_types():
    model = load_model()
    assert len(model.classes) == 16 and 0 < model.threshold < 1
    assert len(model.weights) > 1000


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.json"
    bad.write_text('{"classes": []}', encoding="utf-8")
    with pytest.raises(InputError, match=r"model\.json: not an extraction model \('bias'\)"):
        load_model(str(bad))
    with pytest.raises(InputError, match="cannot read extraction model .*missing.json"):
        load_model(str(tmp_path / "missing.json"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["Russia", "Italy", "attacked", "met", "the", "army", ",", ".", "'s", "and", "x\u00e9"]), max_size=20))
def test_any_text_gives_events_between_two_actors(parse, words):
    text = " ".join(words)
    for event in extract_events(parse(text), DEFAULT_EXTRACTORS):
        assert event.source.id != event.target.id
        assert text[event.evidence_start : event.evidence_end] == event.evidence
