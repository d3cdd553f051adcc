"""The shortcuts a small rebuild takes give what the long way gives: stored
pattern tokens, RDF terms made without rdflib, and the garbage collector
kept off long-lived objects."""

from __future__ import annotations

import gc

import pytest

from kgraph.build import build
from kgraph.cache import CACHE_NAME, ExtractionCache
from kgraph.export.rdf import rdf_triples, serialize, to_rdflib
from kgraph.model import Article
from kgraph.pipeline import ExtractOptions, extract_articles
from kgraph.resolve import ActorResolver

TEXTS = [
    "Russia is keen to cooperate closely with Italy, Foreign Minister Sergey Lavrov said.",
    "The U.S.-led coalition struck al-Qaeda targets near Aleppo; Washington's envoy met Erdogan.",
]


def _fresh_resolver() -> ActorResolver:
    return ActorResolver.from_files()


def test_pattern_tokens_are_those_of_the_blank_english_tokenizer(nlp):
    from spacy.lang.en import English

    resolver = _fresh_resolver()
    tokenizer = English(vocab=nlp.vocab).tokenizer
    some = range(0, len(resolver.patterns), 97)
    expected = [tuple(t.orth for t in tokenizer(resolver.patterns[i])) for i in some]
    assert [resolver.pattern_orths()[i] for i in some] == expected


def test_stored_pattern_tokens_find_the_same_mentions(nlp):
    computed = _fresh_resolver()
    stored = _fresh_resolver()
    stored.use_pattern_orths([list(o) for o in computed.pattern_orths(nlp.vocab)])
    for text in TEXTS:
        doc = nlp.make_doc(text)
        assert stored.mentions(doc) == computed.mentions(doc) != []


def test_pattern_tokens_of_other_patterns_are_refused():
    with pytest.raises(ValueError, match="expected the tokens of"):
        _fresh_resolver().use_pattern_orths([[1, 2]])


def test_the_cache_keeps_pattern_tokens_for_the_next_run(tmp_path, nlp):
    path = tmp_path / CACHE_NAME
    articles = [Article(str(i), text) for i, text in enumerate(TEXTS)]
    first = _fresh_resolver()
    cold = list(extract_articles(articles, options=ExtractOptions(cache=path, resolver=first)))
    with ExtractionCache(path, "any") as cache:
        row = cache._db.execute("SELECT key, orths FROM patterns").fetchall()
    assert len(row) == 1
    second = _fresh_resolver()
    new = [Article("new", "Italy criticised Russia on Monday.")]
    warm = list(extract_articles(articles + new, options=ExtractOptions(cache=path, resolver=second)))
    assert second._pattern_orths == first.pattern_orths()
    assert warm[:2] == cold
    alone = list(extract_articles(new, options=ExtractOptions(resolver=_fresh_resolver())))
    assert warm[2] == alone[0]


@pytest.mark.parametrize("fmt", ["nt", "turtle"])
def test_serialize_writes_the_triples_of_the_rdflib_model(toy_graph, fmt):
    from rdflib import Graph

    written = Graph().parse(data=serialize(toy_graph, format=fmt).decode("utf-8"), format=fmt)
    assert set(written) == set(to_rdflib(toy_graph)) == set(rdf_triples(toy_graph))


def test_a_build_freezes_what_is_alive_and_gives_it_back(tmp_path, toy_events, monkeypatch):
    import kgraph.build as build_module

    seen = []
    monkeypatch.setattr(build_module, "_run", lambda *a, **k: seen.append(gc.get_freeze_count()) or ({}, toy_events))
    assert gc.get_freeze_count() == 0
    build([tmp_path], tmp_path / "out")
    assert seen[0] > 0
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_objects_frozen_by_the_caller_alone(tmp_path, toy_events, monkeypatch):
    import kgraph.build as build_module

    seen = []
    monkeypatch.setattr(build_module, "_run", lambda *a, **k: seen.append(gc.get_freeze_count()) or ({}, toy_events))
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        build([tmp_path], tmp_path / "out")
        # Frozen objects may be freed meanwhile, but none were added or given back.
        assert 0 < gc.get_freeze_count() <= seen[0] <= before
    finally:
        gc.unfreeze()


def test_actor_to_dict_is_asdict():
    from dataclasses import asdict

    from kgraph.model import Actor

    actor = Actor("RUS.PER.sergey-lavrov", "Sergey Lavrov", "person", "RUS", "GOV")
    assert actor.to_dict() == asdict(actor)


def test_token_id_matches_are_those_of_spacys_phrase_matcher(nlp):
    from spacy.matcher import PhraseMatcher

    resolver = _fresh_resolver()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for pattern, orths in zip(resolver.patterns, resolver.pattern_orths(nlp.vocab)):
        matcher.add(pattern, [orths])
    for text in TEXTS + ["Kenyan President William Ruto met the Pakistan Army chief in Nairobi on Monday."]:
        doc = nlp.make_doc(text)
        expected = {(start, end, nlp.vocab.strings[key]) for key, start, end in matcher(doc)}
        assert set(resolver._matches(doc)) == expected
        assert expected
