"""Incremental builds: the extraction cache."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

import kgraph.pipeline as pipeline
from kgraph.cache import CACHE_NAME, ExtractionCache, clear_cache, default_cache_path, fingerprint
from kgraph.cli import app
from kgraph.model import Actor, Article, Event
from kgraph.pipeline import ExtractOptions, extract_articles

from .conftest import SEED_ARTICLE

RUSSIA = Actor("RUS", "Russia", "country", "RUS")
LAVROV = Actor("RUS.PER.sergey-lavrov", "Sergey Lavrov", "person", "RUS", "GOV")
ITALY = Actor("ITA", "Italy", "country", "ITA")
EVENT = Event(
    doc_id="d1",
    source=RUSSIA,
    relation="AGREE",
    target=ITALY,
    sentence="Lavrov said Russia is keen to cooperate with Italy.",
    start=3,
    end=54,
    evidence="Russia is keen to cooperate with Italy",
    evidence_start=15,
    evidence_end=53,
    date=None,
    confidence=0.75,
    source_text="Russia",
    target_text="Italy",
    extractor="dependency",
    attribution=LAVROV,
)
DOCS = {
    "a": "Russia is keen to cooperate closely with Italy.",
    "b": "Turkey attacked Syria on Monday.",
    "c": "Heavy rain fell over the weekend.",
}


@pytest.fixture
def parsed(monkeypatch):
    """The ids of the articles the pipeline parses (instead of reading them
    from the cache), run after run."""
    seen: list[str] = []
    real = pipeline.extract_chunk

    def spy(articles, options):
        seen.extend(a.id for a in articles)
        return real(articles, options)

    monkeypatch.setattr(pipeline, "extract_chunk", spy)
    return seen


def _extract(docs: dict[str, str], cache, **options):
    articles = [Article(doc_id, text) for doc_id, text in docs.items()]
    return [(a.id, events) for a, events in extract_articles(articles, options=ExtractOptions(cache=cache, **options))]


def test_events_round_trip_exactly():
    with ExtractionCache(":memory:", "fp") as cache:
        cache.put_many([("k", [EVENT, EVENT])])
        assert cache.get("k", doc_id="d1") == [EVENT, EVENT]
        assert cache.get("k", doc_id="other")[0].doc_id == "other"
        assert cache.get("missing", doc_id="d1") is None
        assert (cache.hits, cache.misses, len(cache)) == (2, 1, 1)


def test_rows_are_kept_per_fingerprint(tmp_path):
    path = tmp_path / "cache.sqlite"
    with ExtractionCache(path, "one") as cache:
        cache.put_many([("k", [EVENT])])
    with ExtractionCache(path, "two") as cache:
        assert cache.get("k", doc_id="d1") is None
    with ExtractionCache(path, "one") as cache:
        assert cache.get("k", doc_id="d1") == [EVENT]


@pytest.mark.parametrize(
    "a, b, same",
    [
        (Article("x", "Russia met Italy."), Article("y", "Russia met Italy."), True),  # the id is not extracted
        (Article("x", "Russia met Italy."), Article("x", "Russia met Italy!"), False),
        (Article("x", "Russia met Italy.", date="2020-01-01"), Article("x", "Russia met Italy."), False),
    ],
)
def test_the_key_is_the_text_and_date(a, b, same):
    assert (ExtractionCache.key(a) == ExtractionCache.key(b)) is same


def test_fingerprint_follows_dictionaries_and_options(tmp_path):
    actors = tmp_path / "actors.tsv"
    actors.write_text("Ruritania\tRUR\tRuritania\tcountry\tRUR\n", encoding="utf-8")
    base = fingerprint(ExtractOptions(actor_files=(str(actors),)))
    assert fingerprint(ExtractOptions(actor_files=(str(actors),))) == base
    assert fingerprint(ExtractOptions(actor_files=(str(actors),), selective=False)) != base
    assert fingerprint(ExtractOptions()) != base
    actors.write_text("Ruritania\tRUR\tRuritania\tcountry\tRUR\nZenda\tRUR\tRuritania\tcountry\tRUR\n", encoding="utf-8")
    assert fingerprint(ExtractOptions(actor_files=(str(actors),))) != base


def test_rebuild_parses_only_new_and_changed_documents(tmp_path, parsed, nlp):
    cache = tmp_path / CACHE_NAME
    cold = _extract(DOCS, cache)
    assert parsed == ["a", "b", "c"]
    assert [e.key for e in dict(cold)["a"]] == [("RUS", "AGREE", "ITA")]
    parsed.clear()
    assert _extract(DOCS, cache) == cold
    assert parsed == []
    changed = {**DOCS, "b": "Turkey attacked Syria on Tuesday.", "d": "Iran criticised Israel."}
    warm = _extract(changed, cache)
    assert parsed == ["b", "d"]
    assert warm[0] == cold[0] and warm[2] == cold[2]


def test_changing_a_dictionary_extracts_again(tmp_path, parsed, nlp):
    cache = tmp_path / CACHE_NAME
    actors = tmp_path / "actors.tsv"
    actors.write_text("Ruritania\tRUR\tRuritania\tcountry\tRUR\n", encoding="utf-8")
    docs = {"r": "Ruritania attacked Italy."}
    before = _extract(docs, cache, actor_files=(str(actors),))
    actors.write_text("Ruritania\tZND\tZenda\tcountry\tZND\n", encoding="utf-8")
    pipeline.default_resolver.cache_clear()  # the resolver is built once per process
    after = _extract(docs, cache, actor_files=(str(actors),))
    assert parsed == ["r", "r"]
    assert [e.source.id for e in before[0][1]] == ["RUR"]
    assert [e.source.id for e in after[0][1]] == ["ZND"]


def test_an_interrupted_run_keeps_what_was_committed(tmp_path, parsed, nlp, monkeypatch):
    monkeypatch.setattr(pipeline, "_SAVE_SECONDS", 0.0)  # commit every chunk
    cache = tmp_path / CACHE_NAME

    def articles():
        for doc_id, text in DOCS.items():
            yield Article(doc_id, text)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        for _ in extract_articles(articles(), options=ExtractOptions(cache=cache, chunk_size=1)):
            pass
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    parsed.clear()
    _extract({**DOCS, "d": "Iran criticised Israel."}, cache, chunk_size=1)
    assert parsed == ["d"]


def test_a_run_that_fails_before_extracting_leaves_no_cache(tmp_path, nlp):
    cache = tmp_path / "out" / CACHE_NAME

    def articles():
        raise KeyboardInterrupt
        yield

    with pytest.raises(KeyboardInterrupt):
        list(extract_articles(articles(), options=ExtractOptions(cache=cache)))
    assert not (tmp_path / "out").exists()


def test_clear_cache(tmp_path):
    path = tmp_path / CACHE_NAME
    assert clear_cache(path) is None
    with ExtractionCache(path, "fp") as cache:
        cache.put_many([("k1", []), ("k2", [EVENT])])
    assert clear_cache(path) == 2
    assert not path.exists()


def test_default_cache_paths(tmp_path):
    assert default_cache_path(tmp_path / "out") == tmp_path / "out" / CACHE_NAME
    assert default_cache_path(tmp_path / "events.jsonl", folder=False) == tmp_path / CACHE_NAME


def test_cli_build_uses_the_cache_and_clears_it(tmp_path, nlp):
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["build", str(SEED_ARTICLE), "-o", str(out), "-q"]
    first = runner.invoke(app, args, catch_exceptions=False)
    events = (out / "events.jsonl").read_bytes()
    second = runner.invoke(app, args, catch_exceptions=False)
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert (out / "events.jsonl").read_bytes() == events
    cleared = runner.invoke(app, ["cache", "clear", "-o", str(out)], catch_exceptions=False)
    assert (cleared.exit_code, cleared.stdout) == (0, f"removed {out / CACHE_NAME} (1 documents)\n")
    again = runner.invoke(app, ["cache", "clear", "-o", str(out)], catch_exceptions=False)
    assert again.stdout == f"no cache at {out / CACHE_NAME}\n"


def test_cli_no_cache_writes_none(tmp_path, nlp):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(SEED_ARTICLE), "-o", str(out), "-q", "--no-cache"])
    assert result.exit_code == 0
    assert not (out / CACHE_NAME).exists()
    assert (out / "events.jsonl").exists()


def test_the_fingerprint_covers_the_modules_extraction_imports():
    from pathlib import Path

    import kgraph
    from kgraph.cache import _extraction_sources

    root = Path(kgraph.__file__).parent
    names = {str(p.relative_to(root)) for p in _extraction_sources(root)}
    assert {"pipeline.py", "resolve/__init__.py", "resolve/passes.py", "resolve/dictionary.py", "nlp.py", "model.py", "extract/rules.py", "extract/lexicon.py"} <= names
    assert not names & {"view.py", "build.py", "cli.py", "export/rdf.py"}
