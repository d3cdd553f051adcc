"""Shared linguistic rules for the extractors: which actor a phrase names,
its coordinated partners, negation, modality and the event record itself."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Event
from ..resolve import MENTIONS_KEY

__all__ = [
    "SUBJECT_DEPS",
    "PASSIVE_SUBJECT_DEPS",
    "OBJECT_DEPS",
    "MODIFIER_DEPS",
    "NEGATIONS",
    "QUANTITY_NOUNS",
    "Argument",
    "actor_at",
    "actors_at",
    "arguments_of",
    "in_name",
    "is_negated",
    "is_population",
    "mention_index",
    "pairs",
    "population",
    "state_argument",
    "verb_lemmas",
    "make_event",
]

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "obj", "iobj"})
# Dependents of a noun that may name the actor the noun belongs to:
# "Turkish forces", "Italy's minister", "the Syria army", "the minister, Lavrov".
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "appos", "npadvmod"})
# Prepositions after a noun that place a group in a state or say whom it
# serves: "fighters in Syria", "the Albanians of southern Serbia", "rebels
# from Chad", "a camp for Congolese refugees", "world leaders including
# Zarif", and the agent of an act noun ("the proclamation by Trump").
LOCATING_PREPS = frozenset({"in", "of", "from", "for", "including", "by", "throughout", "across"})
# Prefixes that make a named state the object of a stance.
STANCE_PREFIXES = frozenset({"anti", "pro", "anti-", "pro-"})
# Participles that tie a group to a state: "networks linked to Iran".
AFFILIATION_VERBS = frozenset({"link", "tie", "affiliate", "connect", "relate", "back", "associate", "align", "loyal"})
# Heads that only count or group what their "of" phrase names.
QUANTITY_NOUNS = frozenset({
    "ten", "tens", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
    "dozen", "dozens", "score", "scores", "group", "number", "members", "member", "some",
    "many", "most", "all", "part", "majority", "handful", "team", "delegation", "unit",
    "contingent", "batch", "wave", "series", "round", "day", "days", "week", "weeks",
})
# Words that negate the clause they attach to.
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})


@dataclass(frozen=True)
class Argument:
    """An actor filling a role, with the tokens that name it."""

    actor: Actor
    start: int  # token offsets of the naming span
    end: int
    indirect: bool = False  # found through a modifier or preposition

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def mention_index(doc: Doc) -> dict[int, tuple[Span, Actor]]:
    """Token index → (mention span, actor) for every resolved mention with a
    state behind it, built once per ``Doc`` and cached on it."""
    cached = doc.user_data.get("kgraph_token_actor")
    if cached is None:
        index = doc.user_data.get("kgraph_actor_index", {})
        cached = {}
        for span in doc.spans.get(MENTIONS_KEY, []):
            actor = index.get(span.label_)
            # Mentions with no state behind them (a bare role word such as
            # "military", an unknown person) cannot be an event's actor.
            if actor is None or actor.state is None:
                continue
            if _stance_prefixed(span):
                # "an anti-Syria journalist", "pro-Russian separatists" take a
                # side; they are not the state they name.
                continue
            for i in range(span.start, span.end):
                cached[i] = (span, actor)
        doc.user_data["kgraph_token_actor"] = cached
    return cached


def _stance_prefixed(span: Span) -> bool:
    doc = span.doc
    if span.start >= 1 and doc[span.start - 1].lower_ in STANCE_PREFIXES:
        return True  # "anti-Syria" tokenised as one prefix token
    return (
        span.start >= 2
        and doc[span.start - 1].text in ("-", "–")
        and doc[span.start - 2].lower_ in STANCE_PREFIXES
    )


def verb_lemmas(token: Token) -> tuple[str, ...]:
    """The token's lemma, then base forms guessed from its inflection, for
    the lemmatizer's misses ("staged" lemmatised as "stag")."""
    lemma = token.lemma_.lower()
    text = token.lower_
    guesses = [lemma]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("es", ""), ("s", ""), ("ing", "e"), ("ing", "")):
        if text.endswith(suffix) and len(text) - len(suffix) >= 3:
            guesses.append(text[: -len(suffix)] + repl)
    if len(guesses) > 1 and text.endswith(("ed", "ing")) and text[-3 if text.endswith("ed") else -4] == text[-4 if text.endswith("ed") else -5]:
        # doubled consonant: "shelled" -> "shell" already, "planned" -> "plan"
        guesses.append(text[: -3 if text.endswith("ed") else -4])
    return tuple(dict.fromkeys(guesses))


def actors_at(token: Token, *, depth: int = 2, locate: bool = True) -> list[Argument]:
    """The actors a noun phrase headed by ``token`` names.

    Looks at the token itself, then its modifiers (possessives, adjectives,
    compounds, appositions) with their coordinated partners ("Hungarian and
    Romanian officials" names two), then a locating preposition ("fighters
    in Syria").
    """
    index = mention_index(token.doc)
    if token.i in index:
        span, actor = index[token.i]
        found = [Argument(actor, span.start, span.end)]
        # "Hungarian and Romanian officials" where the resolver took
        # "Romanian officials" as one mention: the coordinated modifier
        # outside it names a second actor.
        for child in token.children:
            if child.dep_ in ("amod", "compound") and not span.start <= child.i < span.end:
                if any(span.start <= c.i < span.end for c in child.conjuncts) and child.i in index:
                    other, other_actor = index[child.i]
                    found.append(Argument(other_actor, other.start, other.end))
        return found
    if depth <= 0:
        return []
    # Prefer the nearest modifier: "Italy's Foreign Minister Luigi Di Maio"
    # has both, and the flat name comes first.
    for child in sorted(token.children, key=lambda c: abs(c.i - token.i)):
        if child.dep_ in MODIFIER_DEPS:
            found = []
            for member in (child, *child.conjuncts):
                found.extend(actors_at(member, depth=depth - 1, locate=False))
                # "the Turkish-Libyan agreement": the hyphenated partner
                for hyphened in member.children:
                    if (
                        hyphened.dep_ in ("amod", "compound")
                        and hyphened.i + 1 < member.i
                        and member.doc[hyphened.i + 1].text in ("-", "–")
                    ):
                        found.extend(actors_at(hyphened, depth=0))
            if found:
                return [Argument(f.actor, f.start, f.end, indirect=True) for f in found]
    if token.lemma_.lower() in QUANTITY_NOUNS:
        # "tens of thousands of students throughout Indonesia", "a group of
        # Moroccan diplomats": the quantity is transparent.
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = [
                            arg
                            for member in (pobj, *pobj.conjuncts)
                            for arg in actors_at(member, depth=depth, locate=locate)
                        ]
                        if found:
                            return found
    for child in token.children:
        # "financial networks linked to Iran", "militias backed by Tehran"
        if child.dep_ == "acl" and child.lemma_ in AFFILIATION_VERBS:
            for prep in child.children:
                if prep.dep_ in ("prep", "agent") and prep.lower_ in ("to", "with", "by"):
                    found = [a for g in prep.children if g.dep_ == "pobj" for a in actors_at(g, depth=0)]
                    if found:
                        return [Argument(f.actor, f.start, f.end, indirect=True) for f in found]
    if locate:
        # The agent of an act noun comes first: "the proclamation of the
        # Golan Heights as Israeli territory by Trump" is Trump's.
        for child in sorted(token.children, key=lambda c: c.lower_ != "by"):
            if child.dep_ == "prep" and child.lower_ in LOCATING_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = [
                            arg
                            for member in (pobj, *pobj.conjuncts)
                            for arg in actors_at(member, depth=depth - 1, locate=False)
                        ]
                        if found:
                            return [Argument(f.actor, f.start, f.end, indirect=True) for f in found]
    return []


def in_name(token: Token) -> bool:
    """Whether ``token`` is a word of a named body's or person's name
    ("Rally" in "Democratic Rally", "Strike" in "Strike Force Command"),
    so that it is not read as an event noun."""
    found = mention_index(token.doc).get(token.i)
    if found is None:
        return False
    span, actor = found
    return len(span) > 1 and (actor.type == "person" or actor.id.count(".") >= 2)


def actor_at(token: Token, **kwargs) -> Argument | None:
    """The first of :func:`actors_at`, or ``None``."""
    found = actors_at(token, **kwargs)
    return found[0] if found else None


def arguments_of(tokens: Iterable[Token], **kwargs) -> list[Argument]:
    """Actors named by ``tokens`` and every phrase coordinated with them
    ("Russia and Turkey")."""
    found: dict[str, Argument] = {}
    for token in tokens:
        for member in (token, *token.conjuncts):
            for arg in actors_at(member, **kwargs):
                if arg.actor.id not in found:
                    found[arg.actor.id] = arg
    return list(found.values())


def state_argument(doc: Doc, code: str, near: Argument) -> Argument:
    """The state ``code`` as an argument, for events whose target is left
    implicit ("protesters demonstrated" acts against their own state)."""
    actor = doc.user_data.get("kgraph_actor_index", {}).get(code) or doc.user_data.get("kgraph_states", {}).get(code)
    if actor is None:
        actor = Actor(id=code, label=code, type="country", country=code)
    return Argument(actor, near.start, near.end, indirect=True)


def is_population(token: Token, arg: Argument) -> bool:
    """Whether a plural demonym names a state's people ("Young Algerians",
    "the Palestinians") rather than the state ("the United States")."""
    return (
        token.tag_ in ("NNS", "NNPS")
        and arg.actor.type == "country"
        and arg.start <= token.i < arg.end
        and token.lower_ not in arg.actor.label.lower()
    )


def population(doc: Doc, arg: Argument) -> Argument:
    """The civilians of the state ``arg`` names, as their own actor, so that
    their acts against their state are not self-loops."""
    code = arg.actor.state or arg.actor.id
    state = doc.user_data.get("kgraph_states", {}).get(code)
    name = state.label if state is not None else arg.actor.label
    actor = Actor(id=f"{code}.CVL", label=f"{name} (civilians)", type="group", country=code, sector="CVL")
    return Argument(actor, arg.start, arg.end, arg.indirect)


def is_negated(token: Token) -> bool:
    """Whether the clause of ``token`` is negated ("did not attack", "never
    met", "without signing")."""
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and child.lower_ in NEGATIONS):
            return True
    head = token.head
    if token.dep_ == "pcomp" and head.lower_ == "without":
        return True
    if token.dep_ == "pobj" and head.lower_ == "without":
        return True
    return False


def make_event(
    doc: Doc,
    *,
    source: Argument,
    relation: str,
    target: Argument,
    trigger: Token,
    confidence: float,
    extractor: str,
    attribution: Actor | None = None,
    sentence: Span | None = None,
) -> Event | None:
    """Build the event record, or ``None`` if source and target are one actor.
    ``sentence`` is the trigger's sentence, when the caller has it at hand."""
    if source.actor.id == target.actor.id:
        return None
    sent = sentence if sentence is not None else trigger.sent
    tokens = (doc[source.start], doc[source.end - 1], trigger, doc[target.start], doc[target.end - 1])
    first = min(t.i for t in tokens)
    last = max(t.i for t in tokens)
    first, last = max(first, sent.start), min(last, sent.end - 1)
    evidence = doc[first : last + 1]
    return Event(
        doc_id=doc.user_data.get("kgraph_doc_id", ""),
        source=source.actor,
        relation=relation,
        target=target.actor,
        sentence=sent.text,
        start=sent.start_char,
        end=sent.end_char,
        evidence=evidence.text,
        evidence_start=evidence.start_char,
        evidence_end=evidence.end_char,
        date=doc.user_data.get("kgraph_date"),
        confidence=round(max(0.05, min(1.0, confidence)), 3),
        source_text=source.span(doc).text,
        target_text=target.span(doc).text,
        extractor=extractor,
        attribution=attribution,
        trigger_start=trigger.idx,
        trigger_end=trigger.idx + len(trigger.text),
    )


def pairs(sources: list[Argument], targets: list[Argument]) -> Iterator[tuple[Argument, Argument]]:
    for s in sources:
        for t in targets:
            if s.actor.id != t.actor.id:
                yield s, t
