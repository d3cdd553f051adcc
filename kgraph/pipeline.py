"""Run the whole extraction: articles in, events out.

``ingest → nlp → resolve → extract``, streaming: articles are grouped in
fixed-size chunks, each chunk flows through ``nlp.pipe`` and its events come
out per article, in input order.

Parsing is the cost, so the pipeline avoids it where it can:

* **selective parsing**: a tokenizer-level pass (the actor dictionary's
  phrase matcher, no tagger or parser) finds the paragraphs that mention an
  actor or hold a word annotation may resolve to one ("he", "the
  government", a name introduced earlier); only those are parsed, the others
  are blanked out (see :func:`selected_text`). One actor can be an event (a
  protest's target may be implicit), and actors come only from annotation,
  which starts from dictionary mentions and context words.
  ``ExtractOptions(selective=False)`` parses every document whole. The
  component no extractor reads (NER) is not even loaded (see
  :mod:`kgraph.nlp`).
* **work never done twice**: with a :class:`~kgraph.cache.ExtractionCache`,
  documents already extracted with the same pipeline are read back, not
  parsed, and so are the tokens of the dictionary's patterns, which the
  phrase matcher is built from.
* **parallel**: ``n_process > 1`` runs chunks in worker processes that each
  load the model once; ``scheduler`` sends them to a Dask cluster. A chunk is
  the same whichever runs it, so results are identical to one process.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from bisect import bisect_right
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .extract import DEFAULT_EXTRACTORS, extract_events
from .model import Article, Event
from .resolve import REFERRING_WORDS, ActorResolver, annotate, default_resolver

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .cache import ExtractionCache

__all__ = [
    "count_documents",
    "extract_articles",
    "extract_chunk",
    "extract_text",
    "paragraph_sentences",
    "parse_articles",
    "selected_text",
    "shift_event",
    "ExtractOptions",
    "MIN_MENTIONS",
    "ProgressBar",
]

# Dictionary mentions that make a paragraph worth parsing. One is enough:
# roles, population demonyms and implicit targets ("Young Algerians blocked
# roads" is a protest against Algeria) make one mention an event.
MIN_MENTIONS = 1
# A paragraph ends at a blank line. The parser never joins two paragraphs into
# one sentence in practice, and news paragraphs keep their pronouns' antecedents.
_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*\Z)", re.DOTALL)
_NOT_NEWLINE = re.compile(r"[^\n]")
# A blank line inside a whitespace token: a paragraph break.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# A first line with no final punctuation, one line break, then a capital.
_TITLE_LINE = re.compile(r"\s*(\S[^\n]*?[^\s.!?:;,\"'\-\u2026])[^\S\n]*\n[^\S\n]*(?=[\"'(]?[A-Z0-9])")
# A line break that is not part of a blank line.
_LINE_BREAK = re.compile(r"(?<!\n)[^\S\n]*\n[^\S\n]*(?![\s])")
#: More single line breaks than this: hard-wrapped text, no headline line.
_MAX_WRAPPED_LINES = 2
_POSSESSIVES = frozenset({"'s", "’s", "'"})
# Extractions are committed to the cache, one transaction each time, before
# more than _SAVE_DOCUMENTS documents or _SAVE_SECONDS seconds of work are
# uncommitted (checked as each chunk is done), and at the end: a killed run
# restarts about where it stopped.
_SAVE_SECONDS = 2.0
_SAVE_DOCUMENTS = 50


@dataclass(frozen=True)
class ExtractOptions:
    """What to run: model, dictionaries, extractors, batching and where.

    Attributes:
        model: spaCy model package (``None`` picks the installed English one).
        extractors: Registered extractor names, run in this order.
        actor_files: User actor dictionaries added to the package ones.
        lexicon_files: User lexicon files added to the package one.
        batch_size: Texts per ``nlp.pipe`` batch.
        n_process: Worker processes (1 parses in this process).
        selective: Parse only the paragraphs that mention an actor or refer
            back to one (``False``: parse every document whole).
        chunk_size: Articles per unit of work sent to a process or worker.
            Results do not depend on ``n_process`` because chunks do not.
        cache: SQLite file of extractions to reuse (``None``: no cache).
        scheduler: ``"local"`` (a Dask ``LocalCluster`` of ``n_process``
            workers) or a Dask scheduler address ``tcp://host:8786``;
            ``None`` runs without Dask.
        resolver: A ready :class:`ActorResolver` (else built from the files).
    """

    model: str | None = None
    extractors: tuple[str, ...] = DEFAULT_EXTRACTORS
    actor_files: tuple[str, ...] = ()
    lexicon_files: tuple[str, ...] = ()
    batch_size: int = 64
    n_process: int = 1
    selective: bool = True
    chunk_size: int = 32
    cache: str | Path | None = None
    scheduler: str | None = None
    resolver: ActorResolver | None = field(default=None, compare=False)

    def for_workers(self) -> ExtractOptions:
        """These options as a worker needs them: no cache, no scheduler."""
        return replace(self, cache=None, scheduler=None, n_process=1)


def shift_event(event: Event, offset: int) -> Event:
    """The event with every offset moved by ``offset`` characters (for
    events found in a part of a longer text)."""
    if not offset:
        return event
    return replace(
        event,
        start=event.start + offset,
        end=event.end + offset,
        evidence_start=event.evidence_start + offset,
        evidence_end=event.evidence_end + offset,
        trigger_start=event.trigger_start + offset if event.trigger_end else 0,
        trigger_end=event.trigger_end + offset if event.trigger_end else 0,
    )


def _role_after(resolver: ActorResolver, doc: Doc, i: int) -> int | None:
    """The end of a role noun within three words after a mention ("Italy's
    foreign minister"): a name right after it ("Jane Doe") becomes an actor
    that later paragraphs may name again ("Doe said")."""
    if i < len(doc) and doc[i].lower_ in _POSSESSIVES:
        i += 1
    for j in range(i, min(i + 3, len(doc))):
        for size in range(4, 0, -1):
            if j + size <= len(doc) and resolver.role(doc[j : j + size].text) is not None:
                return j + size
    return None


def _is_role(resolver: ActorResolver, doc: Doc, i: int) -> bool:
    """Whether a role noun ("the government", "police", "prime minister")
    starts at token ``i``: annotation may resolve it to the state in focus."""
    return any(resolver.role(doc[i : i + size].text) is not None for size in (1, 2) if i + size <= len(doc))


def selected_text(
    nlp: Language, resolver: ActorResolver, article: Article, *, selective: bool = True
) -> tuple[str | Doc, list[tuple[int, int]]] | None:
    """What of ``article.body`` to parse, or ``None`` if nothing is.

    With ``selective``, a paragraph is parsed if it mentions an actor of the
    dictionary, or holds a word annotation may resolve to one from context
    (a pronoun or "the country", a role noun such as "the government", a
    name introduced earlier by a role); as every paragraph with a mention is
    parsed, the antecedents of those words are there. The others are
    blanked out: every character but line breaks becomes a space, which the
    parser reads as one whitespace token. The text keeps its length, so
    offsets need no mapping, and the kept paragraphs stay in one ``Doc``.

    Returns:
        ``(text, blanked)``: what to parse (the tokenized body itself when
        nothing is blanked, so it is not tokenized twice) and the
        ``(start, end)`` offsets of the blanked paragraphs in the body.

    >>> from kgraph.nlp import load_nlp  # doctest: +SKIP
    >>> selected_text(load_nlp(), default_resolver(), Article("a", "Rain fell.\\n\\nRussia met Italy."))  # doctest: +SKIP
    ('          \\n\\nRussia met Italy.', [(0, 10)])
    """
    body = article.body
    doc = nlp.make_doc(body)
    if not selective:
        return doc, []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(body)]
    starts = [start for start, _ in paragraphs]
    mentions = resolver.mentions(doc, date=article.date)
    counts = [0] * len(paragraphs)
    for m in mentions:
        counts[bisect_right(starts, doc[m.start].idx) - 1] += 1
    blanked = []
    introduced: list[tuple[int, str]] | None = None
    for (start, end), count in zip(paragraphs, counts):
        if count >= MIN_MENTIONS:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if introduced is None:
            introduced = _introduced_names(resolver, doc, mentions)
        names = {text for i, text in introduced if i < span.start}
        if not any(t.lower_ in REFERRING_WORDS or t.text in names or _is_role(resolver, doc, t.i) for t in span):
            blanked.append((start, end))
    if len(blanked) == len(paragraphs):
        return None
    if not blanked:
        return doc, []
    pieces: list[str] = []
    done = 0
    for start, end in blanked:
        pieces.append(body[done:start])
        pieces.append(_NOT_NEWLINE.sub(" ", body[start:end]))
        done = end
    pieces.append(body[done:])
    return "".join(pieces), blanked


def paragraph_sentences(nlp: Language, part: str | Doc) -> Doc:
    """The tokens of ``part`` with a sentence starting after every blank line.

    A headline and the first sentence of the body ("Taiwan row deepens" over
    "China has suspended imports of Japanese seafood") are separate
    paragraphs of the text of an HTML page or a ``.txt`` article, but the
    parser would read the unpunctuated headline into the sentence after it
    (Taiwan, not China, suspending imports). A sentence never runs across a
    blank line, so the parser is told where these begin; it still splits
    paragraphs into sentences itself. A first line without final punctuation
    over a single line break, followed by a capital, is a headline too,
    unless the text is hard-wrapped (single line breaks inside paragraphs).
    """
    doc = nlp.make_doc(part) if isinstance(part, str) else part
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not token.is_space and previous.is_space and _BLANK_LINE.search(previous.text):
            token.is_sent_start = True
    title = _TITLE_LINE.match(doc.text)
    if title and len(_LINE_BREAK.findall(doc.text)) <= _MAX_WRAPPED_LINES:
        first = doc.char_span(title.end(1), len(doc.text), alignment_mode="expand")
        if first is not None and len(first):
            next_word = next((t for t in first if not t.is_space), None)
            if next_word is not None:
                next_word.is_sent_start = True
    return doc


def _introduced_names(resolver: ActorResolver, doc: Doc, mentions: list) -> list[tuple[int, str]]:
    """Capitalised words right after a mention and a role ("Italy's Foreign
    Minister Jane Doe"), with their token index."""
    found = []
    for m in mentions:
        end = _role_after(resolver, doc, m.end)
        if end is not None:
            found.extend((t.i, t.text) for t in doc[end : end + 4] if t.text[:1].isupper())
    return found


def _restore(event: Event, body: str, blanked: list[tuple[int, int]]) -> Event:
    """The event's sentence as in the article.

    The parser may attach a blanked paragraph to the sentence before or
    after it; the sentence then ends where the blank begins, or begins after
    it (at the next word), and its text is the article's.
    """
    if not blanked:
        return event
    start, end = event.start, event.end
    for b_start, b_end in blanked:
        if start < b_end <= event.evidence_start:
            start = b_end
            while start < event.evidence_start and body[start].isspace():
                start += 1
        elif event.evidence_end <= b_start < end:
            end = b_start
            break
    if (start, end) == (event.start, event.end):
        return event
    return replace(event, start=start, end=end, sentence=body[start:end])


def _resolver(options: ExtractOptions) -> ActorResolver:
    """The options' resolver, else the package dictionaries plus the options'
    files. Without files this is ``default_resolver()`` as the rest of kgraph
    calls it (the state roll-up of the outputs): one cache entry, so the
    dictionaries are read once per process, not twice."""
    if options.resolver is not None:
        return options.resolver
    if options.actor_files:
        return default_resolver(tuple(options.actor_files))
    return default_resolver()


def parse_articles(
    articles: Sequence[Article], options: ExtractOptions
) -> Iterator[tuple[int, Doc, list[tuple[int, int]]]]:
    """Parse and annotate articles as extraction sees them.

    Yields ``(index, doc, blanked)`` for each article with something to
    parse: its position in ``articles``, the parsed, actor-annotated ``Doc``
    of its body, and the blanked paragraphs (see :func:`selected_text`).
    The extractors and the training of the learned one read the same Docs.
    """
    from .nlp import load_nlp

    nlp = load_nlp(options.model)
    resolver = _resolver(options)
    selections = ((selected_text(nlp, resolver, a, selective=options.selective), i) for i, a in enumerate(articles))
    parts = (
        (paragraph_sentences(nlp, selection[0]), (index, selection[1]))
        for selection, index in selections
        if selection is not None
    )
    for doc, (index, blanked) in nlp.pipe(parts, as_tuples=True, batch_size=options.batch_size):
        article = articles[index]
        doc.user_data["kgraph_doc_id"] = article.id
        doc.user_data["kgraph_lexicon_files"] = options.lexicon_files
        annotate(doc, resolver, date=article.date)
        yield index, doc, blanked


def extract_chunk(articles: Sequence[Article], options: ExtractOptions) -> list[list[Event]]:
    """Parse and extract a chunk of articles in this process.

    The unit of work of every runner (in process, process pool, Dask): the
    model loads once per process and is reused by every chunk.

    Returns:
        The events of each article, in order; offsets count from the start
        of ``article.text``.
    """
    found: list[list[Event]] = [[] for _ in articles]
    for index, doc, blanked in parse_articles(articles, options):
        article = articles[index]
        found[index] = [
            shift_event(_restore(e, article.body, blanked), article.body_start)
            for e in extract_events(doc, options.extractors)
        ]
    return found


class _Handle(Protocol):
    def result(self) -> list[list[Event]]: ...


class _Done:
    def __init__(self, value: list[list[Event]]) -> None:
        self._value = value

    def result(self) -> list[list[Event]]:
        return self._value


class _Runner:
    """Runs chunks in this process; subclasses run them elsewhere."""

    #: Chunks allowed in flight before the oldest is waited for.
    window = 0

    def __init__(self, options: ExtractOptions) -> None:
        self.options = options.for_workers()

    def submit(self, chunk: list[Article]) -> _Handle:
        return _Done(extract_chunk(chunk, self.options))

    def close(self) -> None:
        pass


class _PoolRunner(_Runner):
    """A pool of worker processes, each loading the model once."""

    def __init__(self, options: ExtractOptions) -> None:
        import multiprocessing

        super().__init__(options)
        # forkserver: workers never inherit the parent's threads (the progress
        # bar's) and start from a process that has imported spaCy already.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kgraph.pipeline", "spacy"])
        self.window = 2 * options.n_process
        self._pool = context.Pool(options.n_process, initializer=_init_worker, initargs=(self.options,))
        # A worker that cannot start (no such model) must end the run with
        # the error of a one-process run, not be restarted for ever.
        try:
            self._pool.apply(_worker_error)
        except BaseException:
            self.close()
            raise

    def submit(self, chunk: list[Article]) -> _Handle:
        result = self._pool.apply_async(_work, (chunk,))

        class _Async:
            def result(self) -> list[list[Event]]:
                return result.get()

        return _Async()

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


_WORKER_OPTIONS: ExtractOptions | None = None
_WORKER_ERROR: BaseException | None = None


def _init_worker(options: ExtractOptions) -> None:
    global _WORKER_OPTIONS, _WORKER_ERROR
    from .nlp import load_nlp

    _WORKER_OPTIONS = options
    try:
        load_nlp(options.model)
    except Exception as err:  # noqa: BLE001 - kept for the first task: an initializer that raises is restarted for ever
        _WORKER_ERROR = err


def _worker_error() -> None:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR


def _work(chunk: list[Article]) -> list[list[Event]]:
    _worker_error()
    assert _WORKER_OPTIONS is not None
    return extract_chunk(chunk, _WORKER_OPTIONS)


def _runner(options: ExtractOptions) -> _Runner:
    if options.scheduler:
        from .distributed import DaskRunner

        return DaskRunner(options)
    if options.n_process > 1:
        return _PoolRunner(options)
    return _Runner(options)


@dataclass
class _Slot:
    article: Article
    key: str | None = None
    events: list[Event] | None = None


def extract_articles(
    articles: Iterable[Article], *, options: ExtractOptions | None = None
) -> Iterator[tuple[Article, list[Event]]]:
    """Parse each article and extract its events.

    Articles are read lazily and at most a few chunks are in flight, so
    memory does not grow with the number of articles.

    Yields:
        ``(article, events)`` in input order; event offsets count from the
        start of ``article.text``.
    """
    options = options or ExtractOptions()
    cache = _open_cache(options)
    runner = _runner(options)
    # Chunks parsed in this process build the phrase matcher here: its
    # pattern tokens come from the cache, once there is a chunk to parse.
    patterns = _StoredPatterns(options, cache) if cache is not None and type(runner) is _Runner else None
    order: deque[_Slot] = deque()
    chunk: list[_Slot] = []
    inflight: deque[tuple[_Handle, list[_Slot]]] = deque()
    unsaved: list[tuple[str, list[Event]]] = []
    saved_at = time.monotonic()

    def save() -> None:
        nonlocal saved_at
        if cache is not None and unsaved:
            cache.put_many(unsaved)
            unsaved.clear()
        saved_at = time.monotonic()

    def flush() -> None:
        if chunk:
            if patterns is not None:
                patterns.load()
            inflight.append((runner.submit([s.article for s in chunk]), list(chunk)))
            chunk.clear()

    def settle() -> None:
        handle, slots = inflight.popleft()
        results = handle.result()
        for slot, events in zip(slots, results):
            slot.events = events
        if cache is not None:
            unsaved.extend((s.key, s.events) for s in slots)
            # Commit before the next chunk could take the unsaved past the
            # limit: a killed build loses at most that many documents' work.
            full = len(unsaved) + options.chunk_size > _SAVE_DOCUMENTS
            if full or time.monotonic() - saved_at >= _SAVE_SECONDS:
                save()

    def ready() -> Iterator[tuple[Article, list[Event]]]:
        while order and order[0].events is not None:
            slot = order.popleft()
            yield slot.article, slot.events

    try:
        for article in articles:
            slot = _Slot(article)
            if cache is not None:
                slot.key = cache.key(article)
                slot.events = cache.get(slot.key, doc_id=article.id)
            if slot.events is None:
                chunk.append(slot)
                if len(chunk) >= options.chunk_size:
                    flush()
            order.append(slot)
            while len(inflight) > runner.window:
                settle()
            yield from ready()
        flush()
        while inflight:
            settle()
            yield from ready()
        save()
        if patterns is not None:
            patterns.save()
    finally:
        runner.close()
        if cache is not None:
            cache.close()


class _StoredPatterns:
    """The resolver's pattern tokens (see
    :meth:`~kgraph.resolve.ActorResolver.pattern_orths`), kept in the
    extraction cache under a hash of the patterns and the spaCy version."""

    def __init__(self, options: ExtractOptions, cache: ExtractionCache) -> None:
        self.resolver = _resolver(options)
        self.cache = cache
        self.key: str | None = None
        self.loaded = False

    def load(self) -> None:
        """Give the resolver the stored tokens, if any (once)."""
        if self.key is not None:
            return
        from spacy import about

        text = json.dumps([about.__version__, self.resolver.patterns], ensure_ascii=False)
        self.key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        orths = self.cache.get_patterns(self.key)
        if orths is not None:
            self.resolver.use_pattern_orths(orths)
            self.loaded = True

    def save(self) -> None:
        """Store the tokens the resolver computed (after a run that parsed)."""
        if self.key is not None and not self.loaded:
            self.cache.put_patterns(self.key, self.resolver.pattern_orths())
            self.loaded = True


def _open_cache(options: ExtractOptions) -> ExtractionCache | None:
    if options.cache is None:
        return None
    from .cache import ExtractionCache, fingerprint

    return ExtractionCache(options.cache, fingerprint(options))


def extract_text(
    text: str, *, date: str | None = None, doc_id: str = "text", options: ExtractOptions | None = None
) -> list[Event]:
    """Extract the events of one text.

    >>> from kgraph.pipeline import extract_text
    >>> [e.key for e in extract_text("Russia is keen to cooperate with Italy.")]  # doctest: +SKIP
    [('RUS', 'AGREE', 'ITA')]
    """
    article = Article(id=doc_id, text=text, date=date)
    [(_, events)] = extract_articles([article], options=options)
    return events


def count_documents(inputs: Iterable[str | Path]) -> int | None:
    """How many documents ``inputs`` hold, counted cheaply (lines of JSON
    Lines files, one per text file), for a progress bar's ETA; ``None`` if
    the inputs cannot be listed."""
    from .errors import KGraphError
    from .ingest import JSONL_SUFFIXES, iter_paths

    total = 0
    try:
        for path in iter_paths(inputs):
            if path.suffix.lower() in JSONL_SUFFIXES:
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            else:
                total += 1
    except (KGraphError, OSError):
        return None
    return total


class ProgressBar:
    """Documents done, documents/s and ETA on a terminal; silent otherwise.

    Use as a context manager; the instance is the ``progress`` callback of
    :func:`kgraph.build.build` (``(article, events) -> None``).

    Args:
        total: Documents expected (``None``: unknown, no ETA).
        quiet: Show nothing.
        verbose: Also print one line per document to stderr.
        stream: Where to draw (default stderr); nothing is drawn unless it
            is a terminal.
    """

    def __init__(self, total: int | None, *, quiet: bool = False, verbose: bool = False, stream: Any = None) -> None:
        self.total = total
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.stream = stream or sys.stderr
        self.done = 0
        self._progress: Any = None
        self._task: Any = None
        self._started = time.monotonic()

    @classmethod
    def for_inputs(
        cls, inputs: Iterable[str | Path], *, quiet: bool = False, verbose: bool = False, stream: Any = None
    ) -> ProgressBar:
        """A bar for the documents of ``inputs``, counted only when it will
        be drawn."""
        stream = stream or sys.stderr
        total = count_documents(inputs) if not quiet and stream.isatty() else None
        return cls(total, quiet=quiet, verbose=verbose, stream=stream)

    def __enter__(self) -> ProgressBar:
        if not self.quiet and self.stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("extracting"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} docs/s"),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("extract", total=self.total, rate="-")
        return self

    def __call__(self, article: Article, events: list[Event]) -> None:
        self.done += 1
        if self.verbose:
            self._echo(f"{article.id}: {len(events)} events")
        if self._progress is not None:
            elapsed = time.monotonic() - self._started
            rate = f"{self.done / elapsed:.1f}" if elapsed > 0 else "-"
            self._progress.update(self._task, advance=1, rate=rate)

    def _echo(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
        if self.verbose and self.done:
            elapsed = time.monotonic() - self._started
            self._echo(f"{self.done} documents in {elapsed:.1f} s ({self.done / max(elapsed, 1e-9):.1f} docs/s)")


ProgressCallback = Callable[[Article, list[Event]], None]
