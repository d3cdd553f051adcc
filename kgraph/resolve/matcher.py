"""Mention finding: dictionary aliases matched in a parsed document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Actor
from .dictionary import NOT_AN_ACTOR, _BLOCKED, _norm

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from .resolver import ActorResolver


# Titles written before a name that the role dictionary does not list.
_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "maj", "capt", "adm", "rep", "sen", "gov",
    "sir", "dame", "lord", "lady", "sheikh", "emir", "king", "queen", "prince", "princess",
    "sultan", "ayatollah", "pope", "imam", "rabbi", "saint", "st", "crown", "former", "late",
    "president", "premier", "chancellor", "minister", "secretary", "senator", "governor", "mayor",
    "general", "judge", "justice", "speaker", "chairman", "chairwoman", "envoy", "ambassador",
})


@dataclass(frozen=True)
class Mention:
    """A span of a document resolved to an actor (token offsets)."""

    start: int
    end: int
    actor: Actor
    text: str


class _MentionFinder:
    """Finding dictionary mentions in a document; a mixin of :class:`~kgraph.resolve.resolver.ActorResolver`."""

    def _matcher(self, vocab) -> dict[int, list[tuple[tuple[int, ...], str]]]:
        """Patterns by the ORTH id of their first token, longest first.

        A plain dictionary of token-id tuples: building spaCy's PhraseMatcher
        for ~20,000 patterns adds a lexeme per unseen word to the vocab, which
        costs most of a small rebuild; ORTH ids are string hashes, the same
        whether or not the vocab holds the word.
        """
        key = id(vocab)
        if key not in self._matchers:
            index: dict[int, list[tuple[tuple[int, ...], str]]] = {}
            for pattern, orths in zip(self.patterns, self.pattern_orths(vocab)):
                if orths:
                    index.setdefault(orths[0], []).append((orths, pattern))
            for candidates in index.values():
                candidates.sort(key=lambda c: -len(c[0]))
            self._matchers[key] = index
        return self._matchers[key]

    def _matches(self, doc: Doc) -> Iterator[tuple[int, int, str]]:
        """(start, end, pattern) of every pattern occurring in ``doc``."""
        index = self._matcher(doc.vocab)
        orths = doc.to_array("ORTH").tolist() if len(doc) else []
        for i, orth in enumerate(orths):
            for tokens, pattern in index.get(orth, ()):
                end = i + len(tokens)
                if end <= len(orths) and tuple(orths[i:end]) == tokens:
                    yield i, end, pattern

    def pattern_orths(self, vocab=None) -> list[tuple[int, ...]]:
        """The ORTH ids (string hashes) of the tokens of each of :attr:`patterns`.

        The blank English tokenizer has the rules of the model's own, so
        patterns split exactly as running text does. Tokenizing ~10,000
        patterns is a large part of a small rebuild: the result can be
        stored and given back with :meth:`use_pattern_orths`.
        """
        if self._pattern_orths is None:
            from spacy.lang.en import English

            tokenizer = (English(vocab=vocab) if vocab is not None else English()).tokenizer
            self._pattern_orths = [tuple(t.orth for t in doc) for doc in tokenizer.pipe(self.patterns)]
        return self._pattern_orths

    def use_pattern_orths(self, orths: list[tuple[int, ...]]) -> None:
        """Take :meth:`pattern_orths` computed earlier for the same patterns
        and spaCy version (the caller keys them so)."""
        if len(orths) != len(self._by_pattern):
            raise ValueError(f"expected the tokens of {len(self._by_pattern)} patterns, got {len(orths)}")
        self._pattern_orths = [tuple(o) for o in orths]

    def mentions(self, doc: Doc, *, date: str | None = None) -> list[Mention]:
        """Find dictionary mentions in a document, longest match first."""
        from spacy.util import filter_spans

        spans = []
        for start, end, pattern in self._matches(doc):
            span = doc[start:end]
            actor = self.lookup(pattern, date=date)
            if actor is None and self._blocks(pattern, date):
                # "Persian Gulf" names no state: it wins over "Persian"
                # as the longer match, then is dropped.
                actor = _BLOCKED
            if actor is not None:
                spans.append((span, actor))
        by_span = {(s.start, s.end): a for s, a in spans}
        kept = filter_spans([s for s, _ in spans])
        covered = {i for s in kept for i in range(s.start, s.end)}
        states = {i: by_span[(s.start, s.end)] for s in kept for i in range(s.start, s.end)}
        kept = [
            s
            for s in kept
            if not _of_another_state(s, by_span[(s.start, s.end)], states)
            and not _local_acronym(s, by_span[(s.start, s.end)], states)
        ]
        return [
            Mention(s.start, s.end, by_span[(s.start, s.end)], s.text)
            for s in kept
            if by_span[(s.start, s.end)] is not _BLOCKED
            and not self._inside_name(s, covered, person=by_span[(s.start, s.end)].type == "person")
        ]

    def _inside_name(self, span: Span, covered: set[int], *, person: bool) -> bool:
        """Whether a match is part of a longer, unknown proper name: "Bibi"
        in "Bushra Bibi", "Flores" in "Cilia Flores", "Mahdi" in "Abu Mahdi
        al-Muhandis". A title before it ("President Trump") or a known name
        is no bar."""
        if span.end - span.start > 1:
            return False
        doc = span.doc
        if span.start > 0 and span.start - 1 in covered:
            return False
        if span.end < len(doc) and span.end in covered:
            return False
        return _embedded_in_name(span, self, person=person)

    def _blocks(self, pattern: str, date: str | None) -> bool:
        valid = [e for e in self._by_pattern.get(_norm(pattern), ()) if e.valid_on(date)]
        return bool(valid) and valid[-1].actor.id == NOT_AN_ACTOR


def _local_acronym(span: Span, actor: Actor, states: dict[int, Actor]) -> bool:
    """ "Montenegro Municipality Association (AKK)": an acronym in brackets
    after a name is that name's, whatever else the letters may stand for."""
    doc = span.doc
    if span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text != "(" or doc[span.end].text != ")":
        return False
    if not span.text.isupper():
        return False
    named = states.get(span.start - 2)
    return doc[span.start - 2].pos_ in ("PROPN", "NOUN") and (named is None or named.id != actor.id)


def _of_another_state(span: Span, actor: Actor, states: dict[int, Actor]) -> bool:
    """ "the Unity Party of America" is not South Sudan's Unity Party: an
    organisation's name continued by "of" and another state names a
    different organisation."""
    if actor.type == "country" or span.end + 1 >= len(span.doc):
        return False
    of, after = span.doc[span.end], span.doc[span.end + 1]
    other = states.get(after.i)
    return of.lower_ == "of" and other is not None and other.type == "country" and other.state != actor.state


def _embedded_in_name(span: Span, resolver: ActorResolver, *, person: bool = True) -> bool:
    """Whether a surname match is part of a longer proper name: "Mahdi" in
    "Abu Mahdi al-Muhandis" is not Adel Abdul-Mahdi."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if (
        before is not None
        and not before.is_sent_start
        and before.pos_ == "PROPN"
        and before.is_title
        and resolver.role(before.text) is None
        and before.lower_.rstrip(".") not in _HONORIFICS
    ):
        return True
    # A state or place before a name ("U.S. Embassy") is a modifier, not a
    # first name; only a person's alias is cut short by a following name.
    return (
        person
        and after is not None
        and after.pos_ == "PROPN"
        and after.is_title
        and span[-1].dep_ == "compound"
        and span[-1].head.i >= span.end
    )
