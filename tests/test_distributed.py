"""Extraction on a real Dask cluster (two worker processes)."""

from __future__ import annotations

import pytest

from kgraph.errors import KGraphError
from kgraph.ingest import read_articles
from kgraph.pipeline import ExtractOptions, extract_articles

from .conftest import SEEDS

distributed = pytest.importorskip("distributed")


def _models_loaded() -> int:
    from kgraph.nlp import load_nlp

    return load_nlp.cache_info().misses


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield cluster, client


def test_a_cluster_gives_the_local_result(cluster, nlp):
    local_cluster, client = cluster
    articles = list(read_articles([SEEDS]))
    local = [(a.id, events) for a, events in extract_articles(articles, options=ExtractOptions(chunk_size=2))]
    options = ExtractOptions(chunk_size=2, scheduler=local_cluster.scheduler_address)
    remote = [(a.id, events) for a, events in extract_articles(articles, options=options)]
    assert sum(len(events) for _, events in local) > 10
    assert remote == local
    # Seven chunks ran on two workers, each of which loaded the model once.
    assert sorted(client.run(_models_loaded).values()) == [1, 1]


def test_local_scheduler_starts_its_own_cluster(nlp):
    articles = [read_articles([SEEDS]).__next__()]
    local = list(extract_articles(articles))
    assert list(extract_articles(articles, options=ExtractOptions(scheduler="local", n_process=1))) == local


def test_an_unknown_scheduler_address_is_an_error():
    with pytest.raises(KGraphError, match="cannot reach Dask scheduler 'not-an-address'"):
        list(extract_articles([], options=ExtractOptions(scheduler="not-an-address")))
