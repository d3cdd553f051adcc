"""Shared fixtures: the spaCy model and the seed build, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_b6b70bb457706db7.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from kgraph.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """Extract events from a short text: ``extract(text, date=None)`` → events."""
    from kgraph.pipeline import extract_text

    def run(text: str, date: str | None = None):
        return extract_text(text, date=date)

    return run


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, nlp):
    """One build of the bundled seeds, shared by the tests that read outputs."""
    from kgraph.build import build

    out = tmp_path_factory.mktemp("seed-build")
    result = build([SEEDS], out)
    return out, result


def _toy_events():
    """A few hand-made events (no model needed): four articles, states,
    a person and a force, a duplicate found by two extractors, a repeat within
    one article and evidence full of quotes and angle brackets."""
    from kgraph.model import Actor, Event

    tur = Actor("TUR", "Turkey")
    tur_mil = Actor("TUR.MIL", "Turkish army", type="organization", country="TUR", sector="MIL")
    syr = Actor("SYR", "Syria")
    rus = Actor("RUS", "Russia")
    putin = Actor("RUS.PER.vladimir-putin", "Vladimir Putin", type="person", country="RUS", sector="GOV")
    ita = Actor("ITA", "Italy")
    fra = Actor("FRA", "France")
    usa = Actor("USA", "United States")
    irn = Actor("IRN", "Iran")

    def ev(doc, src, rel, tgt, date, start, evidence, conf=0.8, extractor="dependency"):
        sentence = evidence + "."
        return Event(doc, src, rel, tgt, sentence, start, start + len(sentence), evidence, start,
                     start + len(evidence), date, conf, extractor=extractor)

    return [
        ev("a1", tur, "ASSAULT", syr, "2019-03-01", 0, "Turkey shelled Syrian positions", 0.9),
        ev("a1", tur, "ASSAULT", syr, "2019-03-01", 40, "Turkish jets bombed Syria again", 0.7),
        ev("a2", tur, "ASSAULT", syr, "2019-03-02", 0, "Turkey attacked Syria", 0.8),
        ev("a2", tur, "ASSAULT", syr, "2019-03-02", 0, "Turkey attacked Syria", 0.6, "nominal"),
        ev("a2", tur_mil, "ASSAULT", syr, "2019-03-02", 30, "The Turkish army struck Syria", 0.6),
        ev("a3", rus, "COOPERATE", ita, "2020-01-05", 0, "Russia and Italy signed a trade deal", 0.9),
        ev("a3", putin, "AGREE", ita, "2020-01-05", 50, "Putin promised Italy gas", 0.7),
        ev("a3", fra, "COOPERATE", rus, "2020-01-05", 90, "France and Russia held joint drills", 0.5),
        ev("a4", usa, "THREATEN", irn, "2020-02-01", 0, 'Trump said "Iran <will> pay" & warned Tehran', 0.8),
    ]


@pytest.fixture()
def toy_events():
    return _toy_events()


@pytest.fixture()
def toy_graph():
    """The toy events merged, with article metadata."""
    from kgraph.graph import build_graph
    from kgraph.model import Article

    articles = {
        "a1": Article("a1", "", "2019-03-01", "Turkey strikes Syria", "https://news.example/a1?x=1&y=<2>"),
        "a2": Article("a2", "", "2019-03-02", "Army \"operation\" goes on", None),
        "a3": Article("a3", "", "2020-01-05", "Трубопровод: Russia–Italy deal", "https://news.example/a3"),
        "a4": Article("a4", "", "2020-02-01", None, None),
    }
    return build_graph(_toy_events(), articles)
