"""The pure data model: articles, actors and events.

Frozen, hashable dataclasses with no I/O and no spaCy, so that de-duplication
is set arithmetic and every stage can be tested without a parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Article", "Actor", "Event", "MARK_OPEN", "MARK_CLOSE"]

#: What :attr:`Event.sentence_marked` puts around the evidence span: brackets
#: no news text uses, so the marks cannot be mistaken for the text's own.
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧


@dataclass(frozen=True)
class Article:
    """One input document.

    Attributes:
        id: Stable identifier (file stem or the ``id`` of a JSONL line).
        text: The article text, metadata header removed.
        date: ISO date ``YYYY-MM-DD`` or ``None``.
        title: Title when known.
        url: Source URL when known.
        source: Where the document was read from (file, and line for JSONL).
        body_start: Offset in ``text`` where the body begins, after any
            ``date`` header; event offsets count from the start of ``text``.
    """

    id: str
    text: str
    date: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    body_start: int = 0

    @property
    def body(self) -> str:
        """The text the parser sees: :attr:`text` without its metadata header."""
        return self.text[self.body_start:]


@dataclass(frozen=True)
class Actor:
    """An actor: a state, a person, an organisation, an armed group …

    Attributes:
        id: Stable identifier: ISO 3166-1 alpha-3 for states (``"RUS"``),
            ``"ORG:NATO"`` for international organisations, a slug such as
            ``"RUS.PER.vladimir-putin"`` for persons and groups.
        label: Human-readable name.
        type: ``"country"``, ``"person"``, ``"organization"``, ``"group"`` …
        country: ISO alpha-3 of the state the actor belongs to or acts for,
            ``None`` for international organisations.
        sector: PLOVER/CAMEO-style sector code (``"GOV"``, ``"MIL"`` …) or ``None``.
    """

    id: str
    label: str
    type: str = "country"
    country: str | None = None
    sector: str | None = None

    @property
    def state(self) -> str | None:
        """The state-level code used for scoring and roll-up: the country, or
        the ``ORG:`` id of an international organisation."""
        if self.country:
            return self.country
        return self.id if self.id.startswith("ORG:") else None

    def to_dict(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict deep-copies field by field, a large
        # part of writing a big graph.
        return {"id": self.id, "label": self.label, "type": self.type, "country": self.country, "sector": self.sector}


@dataclass(frozen=True)
class Event:
    """One extracted event: ``source`` does ``relation`` to ``target``.

    Attributes:
        doc_id: The article it comes from.
        source: The initiating actor.
        relation: One of the 16 PLOVER event types (``"COOPERATE"`` …).
        target: The actor acted upon.
        sentence: The sentence text.
        start: Character offset of the sentence in the article text.
        end: Character offset of the sentence end in the article text.
        evidence: The span stating the event.
        evidence_start: Offset of the evidence in the article text.
        evidence_end: Offset of the evidence end in the article text.
        date: The article date.
        confidence: In [0, 1].
        source_text: The text naming the source.
        target_text: The text naming the target.
        extractor: Name of the extractor that found it.
        attribution: The actor reported as saying it (reported speech), if any.
        trigger_start: Offset of the word that states the event (the verb
            or event noun) in the article text; ``trigger_end`` its end.
            Both 0 when the extractor did not say.
    """

    doc_id: str
    source: Actor
    relation: str
    target: Actor
    sentence: str
    start: int
    end: int
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    date: str | None = None
    confidence: float = 1.0
    source_text: str = ""
    target_text: str = ""
    extractor: str = ""
    attribution: Actor | None = field(default=None, compare=False)
    trigger_start: int = field(default=0, compare=False)
    trigger_end: int = field(default=0, compare=False)

    @property
    def trigger(self) -> str:
        """The word that states the event, when the offsets say where it is
        in the sentence; else ``""``."""
        begin, end = self.trigger_start - self.start, self.trigger_end - self.start
        if 0 <= begin < end <= len(self.sentence):
            return self.sentence[begin:end]
        return ""

    @property
    def key(self) -> tuple[str, str, str]:
        """(source id, relation, target id): the identity of a graph edge."""
        return (self.source.id, self.relation, self.target.id)

    @property
    def sentence_marked(self) -> str:
        """The whole sentence with the evidence span (from the source through
        the trigger to the target) between ``⟦`` and ``⟧``, blank space at
        its ends removed. The sentence alone when the evidence is not where
        its offsets say (an event built by hand).

        >>> rus, ita = Actor("RUS", "Russia"), Actor("ITA", "Italy")
        >>> Event("a", rus, "AGREE", ita, "Then Russia agreed with Italy.\\n", 10, 41,
        ...       "Russia agreed with Italy", 15, 39).sentence_marked
        'Then ⟦Russia agreed with Italy⟧.'
        """
        begin, end = self.evidence_start - self.start, self.evidence_end - self.start
        text = self.sentence
        if self.evidence and 0 <= begin < end <= len(text) and text[begin:end] == self.evidence:
            text = f"{text[:begin]}{MARK_OPEN}{self.evidence}{MARK_CLOSE}{text[end:]}"
        return text.strip()
