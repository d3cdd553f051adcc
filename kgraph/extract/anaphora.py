"""Reactions to an event named earlier: "Estonia condemned the decision".

A reaction verb (condemn, reject, welcome …) whose object is a definite
noun for an act ("the decision", "the request", "this move") and names no
actor refers back to an event of the document. The reaction targets whoever
acted in the most recent earlier event of the document, in this sentence or
the two before it, that its own source did not initiate: "Russia
announced the expulsion of two Estonian diplomats. Estonia condemned the
decision." is Estonia accusing Russia; "Japan asked China to release the
fishermen. Beijing rejected the request." is China rejecting Japan.

Runs after the rule extractors (it reads their events from
``doc.user_data[EVENTS_KEY]``) and only where none of them read the clause;
the learned extractor, after it, leaves its sources alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..model import Event
from . import EVENTS_KEY, register
from .cameo import clause_blocked
from .lexicon import load_lexicon
from .rules import OBJECT_DEPS, SUBJECT_DEPS, Argument, actors_at, arguments_of, make_event

__all__ = ["ACT_NOUNS", "REACTIONS", "extract_reactions"]

# Nouns that stand for an act already reported.
ACT_NOUNS = frozenset({
    "decision", "move", "step", "action", "act", "measure", "announcement", "request", "demand",
    "proposal", "offer", "plan", "expulsion", "ban", "attack", "strike", "operation", "deal",
    "agreement", "accusation", "allegation", "remark", "statement", "sanction", "deployment",
    "arrest", "order", "ultimatum", "threat", "invitation", "appeal", "call", "verdict", "raid",
})
DETERMINERS = frozenset({"the", "this", "that", "these", "those", "such"})
# The types a reaction to an earlier act can have.
REACTIONS = frozenset({"ACCUSE", "REJECT", "SUPPORT", "AGREE", "THREATEN"})
# How many sentences back the act may have been reported.
WINDOW = 2


def _reaction(token: Token) -> str | None:
    entry = load_lexicon().lookup(token.lemma_.lower(), "VERB")
    if entry is not None and entry.relation in REACTIONS:
        return entry.relation
    return None


def _act_object(token: Token) -> Token | None:
    """The verb's object when it is a definite act noun that names no actor."""
    for child in token.children:
        if child.dep_ in OBJECT_DEPS and child.lemma_.lower() in ACT_NOUNS:
            if not any(d.dep_ == "det" and d.lower_ in DETERMINERS for d in child.children):
                return None
            if actors_at(child):
                return None
            return child
    return None


def _earlier_actor(doc: Doc, sentences: list, number: int, before: int, own: set[str]) -> Argument | None:
    """The source of the latest event before token ``before`` in this
    sentence or the :data:`WINDOW` before it whose source is not of ``own``."""
    events = [e for found in doc.user_data.get(EVENTS_KEY, {}).values() for e in found]
    start = sentences[max(0, number - WINDOW)].start_char
    limit = doc[before].idx
    latest = None
    for e in events:
        if not start <= e.evidence_start < limit:
            continue
        if e.source.state in own:
            continue
        if latest is None or e.evidence_start > latest.evidence_start:
            latest = e
    if latest is None:
        return None
    span = doc.char_span(latest.evidence_start, latest.evidence_end, alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        for arg in actors_at(token, depth=0):
            if arg.actor.id == latest.source.id:
                return Argument(arg.actor, arg.start, arg.end, indirect=True)
    return Argument(latest.source, span.start, span.start + 1, indirect=True)


@register("anaphora")
def extract_reactions(doc: Doc) -> Iterator[Event]:
    """Reactions to an act named earlier, targeting that act's source."""
    done = doc.user_data.get(EVENTS_KEY, {})
    read = {(e.start, e.evidence_start) for found in done.values() for e in found}
    read_sentences = {start for start, _ in read}
    sentences = list(doc.sents)
    for number, sentence in enumerate(sentences):
        for token in sentence:
            if token.pos_ != "VERB":
                continue
            relation = _reaction(token)
            if relation is None:
                continue
            obj = _act_object(token)
            if obj is None or clause_blocked(token, sentence):
                continue
            sources = arguments_of([c for c in token.children if c.dep_ in SUBJECT_DEPS])
            if not sources or sentence.start_char in read_sentences and _read_here(done, sentence, sources):
                continue
            own = {s.actor.state for s in sources}
            target = _earlier_actor(doc, sentences, number, token.i, own)
            if target is None:
                continue
            for source in sources:
                event = make_event(doc, source=source, relation=relation, target=target, trigger=token,
                                   confidence=0.6, extractor="anaphora", sentence=sentence)
                if event is not None:
                    yield event


def _read_here(done: dict, sentence, sources: list[Argument]) -> bool:
    """Whether another extractor gave the sources an event in this sentence."""
    ids = {s.actor.id for s in sources}
    return any(e.start == sentence.start_char and e.source.id in ids for found in done.values() for e in found)
