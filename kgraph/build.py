"""The main job: read articles, extract events, merge, write every output.

Outputs go to one folder, each file written atomically (a temporary file
renamed into place), so an interrupted build leaves the previous outputs
intact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .export import write_events, write_gexf, write_graphml, write_node_link, write_rdf
from .graph import build_graph
from .ingest import Skipped, read_articles
from .io import atomic_write
from .model import Article, Event
from .pipeline import ExtractOptions, extract_articles
from .vocab import DEFAULT_BASE_IRI

__all__ = ["BuildResult", "build", "extract"]

Progress = Callable[[Article, list[Event]], None]


@dataclass
class BuildResult:
    """What a build read and wrote."""

    documents: int = 0
    events: int = 0
    actors: int = 0
    edges: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "documents": self.documents,
            "events": self.events,
            "actors": self.actors,
            "edges": self.edges,
            "skipped": len(self.skipped),
            "files": [str(p) for p in self.files],
        }


def _run(
    inputs: Iterable[str | Path], options: ExtractOptions | None, progress: Progress | None, result: BuildResult
) -> tuple[dict[str, Article], list[Event]]:
    articles: dict[str, Article] = {}
    events: list[Event] = []
    stream = read_articles(inputs, on_error=result.skipped.append)
    for article, found in extract_articles(stream, options=options):
        # Keep metadata only: the text is not needed after extraction.
        articles[article.id] = Article(article.id, "", article.date, article.title, article.url, article.source)
        events.extend(found)
        result.documents += 1
        if progress:
            progress(article, found)
    result.events = len(events)
    return articles, events


def extract(
    inputs: Iterable[str | Path],
    output: str | Path,
    *,
    options: ExtractOptions | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Extract events only and write them as JSON Lines to ``output``."""
    result = BuildResult()
    _, events = _run(inputs, options, progress, result)
    write_events(events, output)
    result.files.append(Path(output))
    return result


def build(
    inputs: Iterable[str | Path],
    outdir: str | Path,
    *,
    options: ExtractOptions | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    level: str = "state",
    formats: Iterable[str] = ("turtle",),
    progress: Progress | None = None,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` into ``outdir``.

    Writes ``events.jsonl``, ``graph.ttl`` (plus any other RDF ``formats``),
    ``graph.graphml``, ``graph.gexf``, ``graph.json`` (node-link),
    ``graph.html`` and, when documents were skipped, ``errors.jsonl``.
    """
    from .export.rdf import RDF_FORMATS
    from .view import write_html

    outdir = Path(outdir)
    result = BuildResult()
    articles, events = _run(inputs, options, progress, result)
    graph = build_graph(events, articles)
    result.actors = graph.number_of_nodes()
    result.edges = graph.number_of_edges()

    def out(name: str) -> Path:
        path = outdir / name
        result.files.append(path)
        return path

    write_events(events, out("events.jsonl"))
    for fmt in dict.fromkeys(("turtle", *formats)):
        write_rdf(graph, out("graph" + RDF_FORMATS[fmt]), format=fmt, base_iri=base_iri)
    write_graphml(graph, out("graph.graphml"))
    write_gexf(graph, out("graph.gexf"))
    write_node_link(graph, out("graph.json"))
    write_html(graph, out("graph.html"), level=level)
    errors = outdir / "errors.jsonl"
    if result.skipped:
        with atomic_write(out("errors.jsonl")) as handle:
            for skip in result.skipped:
                handle.write(json.dumps(skip.to_dict(), ensure_ascii=False) + "\n")
    elif errors.exists():
        errors.unlink()
    return result
