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
