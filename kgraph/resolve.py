"""Actor resolution: find the actors a parsed document mentions.

Dictionaries are tab-separated files (``kgraph/data/actors/*.tsv`` and any
file the user adds with ``--actors``), one alias per line::

    pattern<TAB>id<TAB>label<TAB>type<TAB>country<TAB>sector<TAB>start<TAB>end

``pattern`` is the text as it appears in news (``Moscow``, ``Lavrov``,
``the Kremlin``); ``id`` the actor it names; ``start``/``end`` (ISO dates,
optional) the period in which the alias names that actor, for office holders.
Lines starting with ``#`` and a header line starting with ``pattern`` are
skipped. A later file overrides an earlier one for the same pattern and period.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = [
    "ActorEntry",
    "ActorResolver",
    "Mention",
    "MENTIONS_KEY",
    "annotate",
    "default_resolver",
    "iter_mentions",
    "read_actor_file",
]

MENTIONS_KEY = "kgraph_actors"
_COLUMNS = ("pattern", "id", "label", "type", "country", "sector", "start", "end")


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary line: an alias of an actor, valid in a period."""

    pattern: str
    actor: Actor
    start: str | None = None
    end: str | None = None

    def valid_on(self, date: str | None) -> bool:
        if date is None:
            return True
        if self.start and date < self.start:
            return False
        if self.end and date > self.end:
            return False
        return True


@dataclass(frozen=True)
class Mention:
    """A span of a document resolved to an actor (token offsets)."""

    start: int
    end: int
    actor: Actor
    text: str


def read_actor_file(path: str | Path) -> list[ActorEntry]:
    """Read a dictionary file in the format described in the module docstring.

    Raises:
        InputError: naming the file and line of a malformed row.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as err:
        raise InputError(f"cannot read actor file {path}: {err.strerror}") from None
    entries = []
    with handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or not row[0].strip() or row[0].startswith("#") or (number == 1 and row[0] == "pattern"):
                continue
            if len(row) < 3:
                raise InputError(
                    f"{path}:{number}: expected at least 3 tab-separated columns "
                    f"({', '.join(_COLUMNS)}), got {len(row)}"
                )
            values = dict(zip(_COLUMNS, (cell.strip() or None for cell in row)))
            actor = Actor(
                id=values["id"],
                label=values["label"] or values["pattern"],
                type=values.get("type") or "country",
                country=values.get("country"),
                sector=values.get("sector"),
            )
            entries.append(ActorEntry(values["pattern"], actor, values.get("start"), values.get("end")))
    return entries


def _package_files() -> list[Path]:
    folder = resources.files("kgraph") / "data" / "actors"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".tsv"))


class ActorResolver:
    """Resolve phrases and document spans to actors.

    Args:
        entries: Dictionary entries; later entries override earlier ones.
    """

    def __init__(self, entries: Iterable[ActorEntry]) -> None:
        self._by_pattern: dict[str, list[ActorEntry]] = {}
        for entry in entries:
            bucket = self._by_pattern.setdefault(entry.pattern, [])
            bucket[:] = [e for e in bucket if (e.start, e.end) != (entry.start, entry.end)]
            bucket.append(entry)
        self._by_lower: dict[str, list[ActorEntry]] = {}
        for pattern, bucket in self._by_pattern.items():
            self._by_lower.setdefault(pattern.lower(), []).extend(bucket)
        self._matchers: dict[int, object] = {}

    @classmethod
    def from_files(cls, paths: Iterable[str | Path] = (), *, defaults: bool = True) -> ActorResolver:
        """The package dictionaries (unless ``defaults=False``) plus ``paths``."""
        entries: list[ActorEntry] = []
        if defaults:
            for path in _package_files():
                entries.extend(read_actor_file(path))
        for path in paths:
            entries.extend(read_actor_file(path))
        return cls(entries)

    @property
    def patterns(self) -> list[str]:
        return sorted(self._by_pattern)

    def lookup(self, text: str, *, date: str | None = None, exact: bool = True) -> Actor | None:
        """The actor an exact alias names on ``date``, or ``None``."""
        key = text.strip()
        candidates = self._by_pattern.get(key) if exact else None
        if not candidates:
            candidates = self._by_lower.get(key.lower(), [])
        valid = [e for e in candidates if e.valid_on(date)]
        return valid[-1].actor if valid else None

    def resolve(self, phrase: str, *, date: str | None = None) -> Actor | None:
        """Resolve a free phrase ("Russia's foreign minister") to an actor.

        Tries the whole phrase, then without a leading article, then the
        longest known alias inside it.
        """
        phrase = " ".join(phrase.split())
        for candidate in (phrase, _strip_article(phrase)):
            actor = self.lookup(candidate, date=date, exact=False)
            if actor:
                return actor
        words = phrase.replace("’s", "").replace("'s", "").split()
        for size in range(len(words), 0, -1):
            for i in range(len(words) - size + 1):
                actor = self.lookup(" ".join(words[i : i + size]), date=date)
                if actor:
                    return actor
        return None

    def _matcher(self, vocab):
        key = id(vocab)
        if key not in self._matchers:
            from spacy.matcher import PhraseMatcher

            matcher = PhraseMatcher(vocab, attr="ORTH")
            # The blank English tokenizer has the rules of the model's own, so
            # patterns split exactly as running text does.
            from spacy.lang.en import English

            tokenizer = English(vocab=vocab).tokenizer
            for pattern, pattern_doc in zip(self.patterns, tokenizer.pipe(self.patterns)):
                matcher.add(pattern, [pattern_doc])
            self._matchers[key] = matcher
        return self._matchers[key]

    def mentions(self, doc: Doc, *, date: str | None = None) -> list[Mention]:
        """Find dictionary mentions in a document, longest match first."""
        from spacy.util import filter_spans

        matcher = self._matcher(doc.vocab)
        spans = []
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            actor = self.lookup(doc.vocab.strings[match_id], date=date)
            if actor is not None:
                span.label_ = actor.id
                spans.append((span, actor))
        by_span = {(s.start, s.end): a for s, a in spans}
        kept = filter_spans([s for s, _ in spans])
        return [Mention(s.start, s.end, by_span[(s.start, s.end)], s.text) for s in kept]


def _strip_article(phrase: str) -> str:
    lower = phrase.lower()
    for article in ("the ", "a ", "an "):
        if lower.startswith(article):
            return phrase[len(article) :]
    return phrase


@lru_cache(maxsize=8)
def default_resolver(extra: tuple[str, ...] = ()) -> ActorResolver:
    """The package dictionaries plus user files, built once per process."""
    return ActorResolver.from_files(extra)


def annotate(doc: Doc, resolver: ActorResolver, *, date: str | None = None) -> Doc:
    """Store the actor mentions of ``doc`` in ``doc.spans[MENTIONS_KEY]``,
    each span labelled with its actor id; the actors themselves go to
    ``doc.user_data["kgraph_actor_index"]`` (id → :class:`Actor`)."""
    found = resolver.mentions(doc, date=date)
    spans = []
    index: dict[str, Actor] = {}
    for m in found:
        span = doc[m.start : m.end]
        span.label_ = m.actor.id
        spans.append(span)
        index[m.actor.id] = m.actor
    doc.spans[MENTIONS_KEY] = spans
    doc.user_data["kgraph_actor_index"] = index
    doc.user_data["kgraph_date"] = date
    return doc


def iter_mentions(doc: Doc) -> Iterator[tuple[Span, Actor]]:
    """The (span, actor) pairs :func:`annotate` stored on ``doc``."""
    index = doc.user_data.get("kgraph_actor_index", {})
    for span in doc.spans.get(MENTIONS_KEY, []):
        yield span, index[span.label_]
