"""The extraction pipeline: streaming, processes, selective parsing, progress."""

from __future__ import annotations

import io
import json

import pytest

from kgraph.ingest import read_articles
from kgraph.model import Article
from kgraph.pipeline import (
    ExtractOptions,
    ProgressBar,
    count_documents,
    extract_articles,
    selected_text,
)
from kgraph.resolve import default_resolver

from .conftest import SEEDS

# Paragraphs with no actor and no word that could resolve to one, around one
# that names two.
MIXED = (
    "Heavy rain fell over the weekend and the river rose.\n\n"
    "Russia is keen to cooperate closely with Italy.\n\n"
    "Tickets for the concert sold out in minutes."
)


def _run(articles, **options):
    return [(a.id, events) for a, events in extract_articles(articles, options=ExtractOptions(**options))]


@pytest.fixture(scope="module")
def seeds():
    return list(read_articles([SEEDS]))


@pytest.fixture(scope="module")
def seed_events(nlp, seeds):
    return _run(seeds, chunk_size=4)


def test_jobs_two_gives_the_same_events_in_the_same_order(seed_events, seeds):
    assert sum(len(events) for _, events in seed_events) > 10
    assert _run(seeds, chunk_size=4, n_process=2) == seed_events


def test_selective_parsing_finds_the_same_events_as_parsing_everything(seed_events, seeds):
    assert _run(seeds, chunk_size=4, selective=False) == seed_events


def test_paragraphs_without_actors_are_blanked_keeping_offsets(nlp):
    article = Article("mixed", MIXED)
    text, blanked = selected_text(nlp, default_resolver(), article)
    first, last = MIXED.split("\n\n")[0], MIXED.split("\n\n")[2]
    assert blanked == [(0, len(first)), (len(MIXED) - len(last), len(MIXED))]
    assert len(text) == len(MIXED)
    assert text.split("\n\n") == [" " * len(first), "Russia is keen to cooperate closely with Italy.", " " * len(last)]


def test_a_document_without_actors_is_not_parsed(nlp):
    assert selected_text(nlp, default_resolver(), Article("rain", "Heavy rain fell over the weekend.")) is None
    assert _run([Article("rain", "Heavy rain fell over the weekend.")]) == [("rain", [])]


@pytest.mark.parametrize(
    "text",
    [
        "The president met the delegation on Monday.",  # a role noun: the state in focus
        "He said the talks went well.",  # a pronoun
        "The country closed its borders.",  # "the country"
    ],
)
def test_words_that_may_refer_to_an_actor_are_parsed(nlp, text):
    article = Article("ref", "Italy's Foreign Minister Jane Doe arrived in Moscow.\n\n" + text)
    _, blanked = selected_text(nlp, default_resolver(), article)
    assert blanked == []


def test_a_name_introduced_by_a_role_is_parsed_later(nlp):
    article = Article("name", "Italy's Foreign Minister Jane Doe arrived in Moscow.\n\nDoe spoke for an hour.")
    assert selected_text(nlp, default_resolver(), article)[1] == []


def test_events_in_blanked_documents_point_into_the_original_text(nlp):
    article = Article("mixed", "date 2020-02-19\n" + MIXED, date="2020-02-19", body_start=16)
    [(_, events)] = _run([article])
    assert [e.key for e in events] == [("RUS", "AGREE", "ITA")]
    event = events[0]
    assert article.text[event.start : event.end].strip() == "Russia is keen to cooperate closely with Italy."
    assert event.sentence == article.text[event.start : event.end]
    assert article.text[event.evidence_start : event.evidence_end] == event.evidence


def test_articles_are_read_lazily(nlp):
    pulled = []

    def articles():
        for i in range(10):
            pulled.append(i)
            yield Article(f"a{i}", "Russia is keen to cooperate closely with Italy.")

    stream = extract_articles(articles(), options=ExtractOptions(chunk_size=3))
    first, _ = next(stream)
    assert first.id == "a0"
    assert len(pulled) == 3  # one chunk, not the whole input
    assert [a.id for a, _ in stream] == [f"a{i}" for i in range(1, 10)]


def test_the_parser_runs_without_ner(nlp):
    assert "ner" not in nlp.pipe_names
    assert {"tagger", "parser", "lemmatizer", "attribute_ruler"} <= set(nlp.pipe_names)


def test_count_documents(tmp_path):
    (tmp_path / "a.txt").write_text("Russia met Italy.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        "\n".join(json.dumps({"id": str(i), "text": "x"}) for i in range(3)) + "\n\n", encoding="utf-8"
    )
    assert count_documents([tmp_path]) == 4
    assert count_documents([tmp_path / "missing"]) is None


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_when_not_a_terminal():
    stream = io.StringIO()
    with ProgressBar(2, stream=stream) as bar:
        bar(Article("a", ""), [])
        bar(Article("b", ""), [])
    assert (bar.done, stream.getvalue()) == (2, "")


def test_progress_verbose_lists_documents_and_the_rate():
    stream = io.StringIO()
    with ProgressBar(1, verbose=True, stream=stream) as bar:
        bar(Article("a", ""), [])
    lines = stream.getvalue().splitlines()
    assert lines[0] == "a: 0 events"
    assert lines[1].startswith("1 documents in ") and lines[1].endswith(" docs/s)")


def test_progress_draws_rate_and_eta_on_a_terminal():
    stream = _Terminal()
    with ProgressBar(4, stream=stream) as bar:
        bar(Article("a", ""), [])
        bar._progress.refresh()
        drawn = stream.getvalue()
    assert "1/4" in drawn and "docs/s" in drawn and "ETA" in drawn


def test_quiet_progress_draws_nothing_on_a_terminal():
    stream = _Terminal()
    with ProgressBar(4, quiet=True, verbose=True, stream=stream) as bar:
        bar(Article("a", ""), [])
    assert stream.getvalue() == ""
