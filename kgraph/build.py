"""The main job: read articles, extract events, merge, write every output.

A bad document never stops a build: it is reported as a
:class:`~kgraph.ingest.Skipped` record (file, JSON Lines line, reason), kept in
:attr:`BuildResult.skipped` and written to ``errors.jsonl``, and the run goes
on; ``strict=True`` makes the first one an error instead. That holds for
documents the parser or an extractor fails on, too. Documents longer than
``max_chars`` are parsed in parts split at paragraph breaks, their event
offsets still counting into the whole text.

Outputs are written to a staging folder inside the output folder and renamed
into place at the end, so an interrupted build leaves the previous outputs
intact.
"""

from __future__ import annotations

import functools
import gc
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, KGraphError
from .export import write_events, write_gexf, write_graphml, write_node_link, write_rdf
from .export.jsonl import event_line, write_event_lines
from .graph import build_graph
from .ingest import DEFAULT_MAX_CHARS, DocumentError, Skipped, read_articles, split_article
from .io import atomic_outputs, atomic_write
from .model import Article, Event
from .pipeline import ExtractOptions, extract_articles, shift_event
from .validate import validate_actor_files
from .vocab import DEFAULT_BASE_IRI

__all__ = ["BuildResult", "build", "extract", "OUTPUT_FILES"]

Progress = Callable[[Article, list[Event]], None]

#: The files a build may write; ``errors.jsonl`` only when documents were skipped.
OUTPUT_FILES = ("events.jsonl", "graph.ttl", "graph.graphml", "graph.gexf", "graph.json", "graph.html", "errors.jsonl")

# spaCy refuses longer texts (its default ``nlp.max_length``).
_SPACY_MAX_LENGTH = 1_000_000


@dataclass
class BuildResult:
    """What a build read and wrote."""

    documents: int = 0
    events: int = 0
    actors: int = 0
    edges: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: True when nothing the outputs depend on changed and none was rewritten.
    unchanged: bool = False

    @property
    def read(self) -> int:
        """Documents read: those kept and those skipped."""
        return self.documents + len(self.skipped)

    def summary(self) -> dict:
        return {
            "read": self.read,
            "kept": self.documents,
            "documents": self.documents,
            "events": self.events,
            "actors": self.actors,
            "edges": self.edges,
            "skipped": len(self.skipped),
            "files": [str(p) for p in self.files],
            "unchanged": self.unchanged,
        }


# A part of a document: (article part, offset of the part in the article text, last part?).
_Part = tuple[Article, int, bool]


def _parts(articles: Iterable[Article], max_chars: int) -> Iterator[_Part]:
    for article in articles:
        parts = split_article(article, max_chars=max_chars)
        for index, (offset, part) in enumerate(parts):
            yield part, offset, index == len(parts) - 1


def _extract_isolated(
    parts: Iterator[_Part], options: ExtractOptions, skip: Callable[[Skipped], None]
) -> Iterator[tuple[Article, int, bool, list[Event] | None]]:
    """:func:`extract_articles`, except that a document the parser or an
    extractor fails on is reported to ``skip`` (events ``None``) instead of
    ending the run.

    When extraction fails, the documents read but not yet done are retried one
    by one, in one process, to find the bad one; then the run goes on.
    """
    pending: deque[_Part] = deque()

    def feed() -> Iterator[Article]:
        for item in parts:
            pending.append(item)
            yield item[0]

    articles = feed()
    single = options.for_workers()  # one process, no cache or cluster
    while True:
        try:
            for _article, events in extract_articles(articles, options=options):
                part, offset, last = pending.popleft()
                yield part, offset, last, events
            return
        except KGraphError:
            raise
        except Exception:  # noqa: BLE001 - isolate the failing document below
            suspects = list(pending)
            pending.clear()
        for part, offset, last in suspects:
            found: list[Event] | None
            try:
                [(_, found)] = extract_articles([part], options=single)
            except KGraphError:
                raise
            except Exception as err:  # noqa: BLE001 - this document is the bad one
                where = f" (characters {offset}-{offset + len(part.text)})" if offset or not last else ""
                skip(_skipped(part, f"extraction failed{where}: {type(err).__name__}: {err}"))
                found = None
            yield part, offset, last, found


def _skipped(article: Article, reason: str) -> Skipped:
    source = article.source or article.id
    file, _, line = source.rpartition(":")
    if file and line.isdigit():  # "file.jsonl:12"
        return Skipped(file, reason, int(line))
    return Skipped(source, reason)


def _run(
    inputs: Iterable[str | Path],
    options: ExtractOptions | None,
    progress: Progress | None,
    result: BuildResult,
    *,
    max_chars: int,
    strict: bool,
    exclude: Iterable[str | Path] = (),
) -> tuple[dict[str, Article], list[Event]]:
    inputs = list(inputs)
    # Fail before the model loads: a missing input is a usage error.
    for item in inputs:
        if not Path(item).exists():
            raise InputError(f"cannot read {item}: no such file or folder")
    if options is not None:
        # A bad actor line is an error naming its line, before the model loads.
        validate_actor_files(options.actor_files)
    if not 1 <= max_chars <= _SPACY_MAX_LENGTH:
        raise InputError(f"max_chars {max_chars} is out of range; expected 1 to {_SPACY_MAX_LENGTH}")

    def skip(skipped: Skipped) -> None:
        if strict:
            raise DocumentError(skipped.file, skipped.reason, skipped.line)
        result.skipped.append(skipped)

    articles: dict[str, Article] = {}
    events: list[Event] = []
    found_in_doc: list[Event] = []
    parts_done = parts_failed = 0
    stream = _parts(read_articles(inputs, on_error=skip, exclude=exclude), max_chars)
    for part, offset, last, found in _extract_isolated(stream, options or ExtractOptions(), skip):
        parts_done += 1
        if found is None:
            parts_failed += 1
        else:
            found_in_doc.extend(shift_event(e, offset) for e in found)
        if not last:
            continue
        if parts_failed < parts_done:
            # Keep metadata only: the text is not needed after extraction.
            articles[part.id] = Article(part.id, "", part.date, part.title, part.url, part.source)
            events.extend(found_in_doc)
            result.documents += 1
            if progress:
                progress(part, found_in_doc)
        found_in_doc = []
        parts_done = parts_failed = 0
    result.events = len(events)
    return articles, events


def _long_lived_frozen(func: Callable) -> Callable:
    """Keep the garbage collector off the objects alive when ``func`` starts.

    A full collection walks every tracked object; with spaCy's modules and
    then the model, the dictionaries and the events in memory, each costs
    about 0.1 s, and a small rebuild sets off several. The objects alive at
    the start (imported modules above all) are moved out of the collector's
    sight (:func:`gc.freeze`) and given back at the end (:func:`gc.unfreeze`),
    when any garbage among them is collected as usual. Nothing changes if
    objects are frozen already (by the caller, or an outer build).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if gc.get_freeze_count():
            return func(*args, **kwargs)
        gc.freeze()
        try:
            return func(*args, **kwargs)
        finally:
            gc.unfreeze()

    return wrapper


@_long_lived_frozen
def extract(
    inputs: Iterable[str | Path],
    output: str | Path,
    *,
    options: ExtractOptions | None = None,
    progress: Progress | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    strict: bool = False,
) -> BuildResult:
    """Extract events only and write them as JSON Lines to ``output``.

    Args:
        inputs: Files and folders to read (see :func:`~kgraph.ingest.read_articles`).
        output: The events file, written atomically.
        options: What to run.
        progress: Called with ``(article, events)`` after each document.
        max_chars: Longest text parsed at once; longer documents are split
            at paragraph breaks.
        strict: Raise on the first document that cannot be read or
            extracted, instead of skipping it (nothing is written then).

    Raises:
        InputError: for a missing input, or a bad document with ``strict``.
    """
    result = BuildResult()
    # The events file and its cache are never read back as input.
    exclude = [output, *([options.cache] if options is not None and options.cache else [])]
    _, events = _run(inputs, options, progress, result, max_chars=max_chars, strict=strict, exclude=exclude)
    write_events(events, output)
    result.files.append(Path(output))
    return result


@_long_lived_frozen
def build(
    inputs: Iterable[str | Path],
    outdir: str | Path,
    *,
    options: ExtractOptions | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    level: str = "state",
    formats: Iterable[str] = ("turtle",),
    progress: Progress | None = None,
    max_nodes: int | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    strict: bool = False,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` into ``outdir``.

    Writes ``events.jsonl``, ``graph.ttl`` (plus any other RDF ``formats``),
    ``graph.graphml``, ``graph.gexf``, ``graph.json`` (node-link),
    ``graph.html`` and, when documents were skipped, ``errors.jsonl`` (one
    :meth:`Skipped.to_dict <kgraph.ingest.Skipped.to_dict>` per line; an old
    one is removed otherwise). The files are replaced together at the end:
    a build that fails or is interrupted leaves the previous ones.

    Args:
        max_nodes: Most actors the HTML view shows (``None``: its default).
        max_chars: Longest text parsed at once (see :func:`extract`).
        strict: Raise on the first bad document; nothing is written then.

    Raises:
        InputError: for a missing input, or a bad document with ``strict``.
        ExportError: if ``outdir`` cannot be written.
    """
    from .export.rdf import RDF_FORMATS
    from .view import write_html

    outdir = Path(outdir)
    result = BuildResult()
    # A build never reads its own outputs, even from an input folder that holds them.
    exclude = [outdir, *([options.cache] if options is not None and options.cache else [])]
    articles, events = _run(inputs, options, progress, result, max_chars=max_chars, strict=strict, exclude=exclude)
    graph = build_graph(events, articles)
    result.actors = graph.number_of_nodes()
    result.edges = graph.number_of_edges()

    formats = tuple(dict.fromkeys(("turtle", *formats)))
    expected = [
        "events.jsonl",
        *("graph" + RDF_FORMATS[fmt] for fmt in formats),
        "graph.graphml",
        "graph.gexf",
        "graph.json",
        "graph.html",
        *(["errors.jsonl"] if result.skipped else []),
    ]
    lines = [event_line(event) for event in events]  # for the digest and events.jsonl
    digest = _outputs_digest(lines, articles, result.skipped, base_iri, level, formats, max_nodes)
    stamp = outdir / BUILD_STAMP
    if _unchanged(stamp, digest, [outdir / name for name in expected]):
        # Nothing the outputs depend on changed: a rebuild writes nothing.
        result.files.extend(outdir / name for name in expected)
        result.unchanged = True
        return result

    names: list[str] = []
    with atomic_outputs(outdir, remove=["errors.jsonl"]) as stage:

        def out(name: str) -> Path:
            names.append(name)
            return stage / name

        write_event_lines(lines, out("events.jsonl"))
        for fmt in formats:
            write_rdf(graph, out("graph" + RDF_FORMATS[fmt]), format=fmt, base_iri=base_iri)
        write_graphml(graph, out("graph.graphml"))
        write_gexf(graph, out("graph.gexf"))
        write_node_link(graph, out("graph.json"))
        write_html(graph, out("graph.html"), level=level, max_nodes=max_nodes)
        if result.skipped:
            with atomic_write(out("errors.jsonl")) as handle:
                for skip in result.skipped:
                    handle.write(json.dumps(skip.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    result.files.extend(outdir / name for name in names)
    with atomic_write(stamp) as handle:
        handle.write(digest + "\n")
    return result


#: Hidden file in the output folder holding the digest of what the outputs
#: were made from; a rebuild with the same digest writes nothing.
BUILD_STAMP = ".kgraph-build"


def _outputs_digest(event_lines, articles, skipped, base_iri, level, formats, max_nodes) -> str:
    """A hash of everything the output files depend on: the events (as their
    ``events.jsonl`` lines), the articles' metadata, the skipped documents,
    the build options and the code that writes the outputs."""
    import hashlib
    from importlib import resources

    digest = hashlib.sha256()
    options = {"base_iri": base_iri, "level": level, "formats": list(formats), "max_nodes": max_nodes}
    digest.update(json.dumps(options, sort_keys=True).encode())
    for line in event_lines:
        digest.update(line.encode())
    for doc_id in sorted(articles):
        a = articles[doc_id]
        digest.update(json.dumps([doc_id, a.title, a.url, a.date, a.source]).encode())
    for skip in skipped:
        digest.update(json.dumps(skip.to_dict(), sort_keys=True).encode())
    root = Path(str(resources.files("kgraph")))
    writers = [root / "build.py", root / "graph.py", root / "vocab.py", root / "view.py", root / "io.py"]
    writers += sorted((root / "export").glob("*.py")) + sorted((root / "templates").glob("*"))
    for path in writers:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _unchanged(stamp: Path, digest: str, files: list[Path]) -> bool:
    try:
        previous = stamp.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return previous == digest and all(f.is_file() for f in files)
