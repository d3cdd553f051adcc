"""Run the whole extraction: articles in, events out.

``ingest → nlp → resolve → extract``, streaming: documents flow through
``nlp.pipe`` in batches and events come out per article, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from .extract import DEFAULT_EXTRACTORS, extract_events
from .model import Article, Event
from .resolve import ActorResolver, annotate, default_resolver

__all__ = ["ExtractOptions", "extract_articles", "extract_text"]


@dataclass(frozen=True)
class ExtractOptions:
    """What to run: model, dictionaries, extractors and batching.

    Attributes:
        model: spaCy model package (``None`` picks the installed English one).
        extractors: Registered extractor names, run in this order.
        actor_files: User actor dictionaries added to the package ones.
        lexicon_files: User lexicon files added to the package one.
        batch_size: Documents per ``nlp.pipe`` batch.
        n_process: Processes for ``nlp.pipe``.
    """

    model: str | None = None
    extractors: tuple[str, ...] = DEFAULT_EXTRACTORS
    actor_files: tuple[str, ...] = ()
    lexicon_files: tuple[str, ...] = ()
    batch_size: int = 32
    n_process: int = 1
    resolver: ActorResolver | None = field(default=None, compare=False)


def _shift(event: Event, offset: int) -> Event:
    if not offset:
        return event
    return replace(
        event,
        start=event.start + offset,
        end=event.end + offset,
        evidence_start=event.evidence_start + offset,
        evidence_end=event.evidence_end + offset,
    )


def extract_articles(
    articles: Iterable[Article], *, options: ExtractOptions | None = None
) -> Iterator[tuple[Article, list[Event]]]:
    """Parse each article and extract its events.

    Yields:
        ``(article, events)`` in input order; event offsets count from the
        start of ``article.text``.
    """
    from .nlp import load_nlp

    options = options or ExtractOptions()
    nlp = load_nlp(options.model)
    resolver = options.resolver or default_resolver(tuple(options.actor_files))
    stream = ((article.body, article) for article in articles)
    for doc, article in nlp.pipe(
        stream, as_tuples=True, batch_size=options.batch_size, n_process=options.n_process
    ):
        doc.user_data["kgraph_doc_id"] = article.id
        doc.user_data["kgraph_lexicon_files"] = options.lexicon_files
        annotate(doc, resolver, date=article.date)
        events = [_shift(e, article.body_start) for e in extract_events(doc, options.extractors)]
        yield article, events


def extract_text(text: str, *, date: str | None = None, doc_id: str = "text", options: ExtractOptions | None = None) -> list[Event]:
    """Extract the events of one text.

    >>> from kgraph.pipeline import extract_text
    >>> [e.key for e in extract_text("Russia is keen to cooperate with Italy.")]  # doctest: +SKIP
    [('RUS', 'AGREE', 'ITA')]
    """
    article = Article(id=doc_id, text=text, date=date)
    return next(extract_articles([article], options=options))[1]
