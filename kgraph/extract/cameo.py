"""The CAMEO extractor: events stated by a verb of the CAMEO dictionary.

For each verb the dictionary codes (:func:`~kgraph.extract.matcher.match_verb`),
the subject's actor acts (the ``by`` agent of a passive) on the pattern's
target: the phrase it marks ``+``, else the direct object, else the object
of a targeting preposition under the verb or under the pattern's noun
("staged an attack *on* the base"), else, for violence, the state it
happened in. A ``[042:043]`` pattern also gives the reverse event. Not
coded: negated clauses, questions, conditionals, modals and the future
("could", "will"), and acts only refused, threatened, planned or asked for.

It is a base for the main extractor rather than a replacement: it reads
subjects and objects plainly (no reported speech, no event nouns, no
implicit targets, no intentions). Run it with ``--extractor cameo``
(``cameo-patterns``: matched patterns only, no verb coded by its block's
code alone), or beside the defaults with ``--extractor dependency
--extractor nominal --extractor cameo``.

Example::

    >>> from kgraph.pipeline import ExtractOptions, extract_text
    >>> [e.key for e in extract_text("Hungary closed its border with Serbia.",
    ...                              options=ExtractOptions(extractors=("cameo",)))]
    [('HUN', 'SANCTION', 'SRB')]
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from ..model import Event
from ..vocab import SYMMETRIC
from . import register
from .dictionary import VerbDictionary, load_verb_dictionary
from .matcher import VerbMatch, match_verb
from .rules import (
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    Argument,
    actors_at,
    arguments_of,
    is_negated,
    make_event,
    pairs,
)

__all__ = [
    "HEDGE_MODALS",
    "NOT_DONE_HEADS",
    "CONDITIONAL_MARKS",
    "TARGET_PREPS",
    "clause_blocked",
    "extract_cameo_events",
    "extract_cameo_pattern_events",
]

# Modals under which the event is possible, wished, supposed or still to
# come, not stated: "will visit" is an intention (AGREE in the GUIDE), which
# the main extractor codes; this one leaves it.
HEDGE_MODALS = frozenset({
    "could", "might", "may", "would", "should", "must", "can", "ca", "will", "shall", "'ll", "wo",
})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
# Verbs under which the act is refused, threatened, planned or asked for,
# not done ("refused to close", "threatened to impose"): the main extractor
# codes those as REJECT, THREATEN, AGREE or REQUEST; this one leaves them.
NOT_DONE_HEADS = frozenset({
    "refuse", "decline", "fail", "deny", "avoid", "threaten", "warn", "plan", "intend", "want",
    "hope", "seek", "try", "attempt", "propose", "consider", "urge", "ask", "call", "demand", "vow",
    "promise", "pledge", "offer", "agree", "prepare", "expect", "aim", "wish", "need", "stop",
    "cease", "prevent", "order", "push", "press", "plot",
})
# Prepositions whose object is whom an act is aimed at.
TARGET_PREPS = frozenset({"against", "on", "upon", "to", "toward", "towards", "with", "into", "at"})
# Violence in a named state is coded against that state ("shelled
# villages in Lebanon"), when nothing else names the target.
PLACE_TARGETED = frozenset({"ASSAULT"})
PLACE_PREPS = frozenset({"in", "inside", "across", "near"})
# Heads through which a verb takes its subject: "Russia agreed to stage
# talks", "Rebels attacked and seized the town".
CLIMB_DEPS = frozenset({"xcomp", "conj"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# A pattern matched is more certain than a verb's plain code.
PATTERN_CONFIDENCE = 0.7
PLAIN_CONFIDENCE = 0.5


def _governors(token: Token) -> list[Token]:
    """The verb and the heads it inherits its subject from."""
    chain = [token]
    while chain[-1].dep_ in CLIMB_DEPS and chain[-1].head is not chain[-1] and len(chain) < 4:
        if any(c.dep_ in SUBJECT_DEPS or c.dep_ in PASSIVE_SUBJECT_DEPS for c in chain[-1].children):
            break
        chain.append(chain[-1].head)
    return chain


def clause_blocked(token: Token, sentence: Span | None = None) -> bool:
    """Whether the clause of ``token`` does not state the event: negated
    ("did not attack"), a question, a conditional ("if Iran attacks") or
    hedged ("could attack"), on the verb or on a verb it depends on; or
    only refused, threatened, planned or asked for ("refused to close")."""
    if (sentence if sentence is not None else token.sent).text.rstrip().endswith("?"):
        return True
    for verb in _governors(token):
        if is_negated(verb):
            return True
        if verb is not token and token.dep_ == "xcomp" and verb.lemma_.lower() in NOT_DONE_HEADS:
            return True
        for child in verb.children:
            if child.dep_ == "aux" and child.lower_ in HEDGE_MODALS:
                return True
            if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
                return True
        if verb.dep_ == "advcl" and any(m.lower_ in CONDITIONAL_MARKS for m in verb.children if m.dep_ == "mark"):
            return True
    return False


def _is_passive(token: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in token.children)


def _sources(token: Token, match: VerbMatch) -> list[Argument]:
    """Who acts: the pattern's ``$``, a passive's ``by`` agent, else the
    subject (inherited through "agreed to ..." and coordinated verbs)."""
    if match.source is not None:
        return arguments_of([match.source])
    if _is_passive(token):
        return arguments_of(g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj")
    for verb in _governors(token):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            if verb.dep_ == "relcl" and subjects[0].lower_ in RELATIVE_PRONOUNS:
                # "the rebels, who staged an attack": the noun the clause describes
                subjects = [verb.head]
            return arguments_of(subjects)
    if token.dep_ in ("acl", "relcl") and token.tag_ == "VBG":
        # "rebels staging an attack on the town"
        return arguments_of([token.head])
    return []


def _targets(token: Token, match: VerbMatch) -> list[Argument]:
    """Who is acted on, in order: the pattern's ``+``, a passive subject, a
    direct object, a targeting preposition's object, (violence) the state
    it happened in, whose the pattern's noun is."""
    if match.target is not None:
        found = arguments_of([match.target])
        if found:
            return found
    consumed = {t.i for t in match.tokens}
    if _is_passive(token):
        found = arguments_of(c for c in token.children if c.dep_ in PASSIVE_SUBJECT_DEPS and c.i not in consumed)
        if found:
            return found
    found = arguments_of(c for c in token.children if c.dep_ in OBJECT_DEPS and c.i not in consumed)
    if found:
        return found
    # A targeting preposition under the verb or the pattern's noun ("staged
    # an attack on", "closed its border with"); one the verb entry needs
    # ("meet with") still holds the target, one whose object the pattern
    # consumed ("(TO BORDER)") does not.
    heads = [token, *(t for t in match.tokens if t.i != token.i and t.pos_ in ("NOUN", "PROPN"))]
    preps = [c for head in heads for c in head.children if c.dep_ in ("prep", "dative")]
    objects = [g for p in preps if p.lower_ in TARGET_PREPS for g in p.children if g.dep_ == "pobj" and g.i not in consumed]
    found = arguments_of(objects)
    if found:
        return found
    if match.relation in PLACE_TARGETED:
        # "launched airstrikes in Syria": violence in a state is against it
        places = [g for p in preps if p.lower_ in PLACE_PREPS for g in p.children if g.dep_ == "pobj"]
        found = [a for a in arguments_of(places) if a.actor.type == "country" and not a.indirect]
        if found:
            return found
    # "rejected Japan's request": whose the pattern's noun is ("closed its
    # border" names the source itself, which gives no event).
    return [
        arg
        for t in match.tokens
        if t.i != token.i and t.pos_ in ("NOUN", "PROPN")
        for c in t.children
        if c.dep_ in ("poss", "compound", "amod")
        for arg in actors_at(c, depth=1, locate=False)
    ]


def extract_cameo_events(
    doc: Doc, *, dictionary: VerbDictionary | None = None, plain_verbs: bool = True
) -> Iterator[Event]:
    """Events stated by verbs the CAMEO dictionary codes.

    Args:
        doc: A parsed, actor-annotated ``Doc``.
        dictionary: The verb dictionary; the package's by default.
        plain_verbs: Also code verbs by their block's code when no pattern
            matches (``False``: patterns only).
    """
    if dictionary is None:
        dictionary = load_verb_dictionary()
    for token in doc:
        if token.pos_ != "VERB":
            continue
        match = match_verb(token, dictionary)
        if match is None or (match.relation is None and match.reverse_relation is None):
            continue
        if not match.specific and not plain_verbs:
            continue
        if clause_blocked(token):
            continue
        sources, targets = _sources(token, match), _targets(token, match)
        if (
            not targets
            and len(sources) > 1
            and not _is_passive(token)
            and {match.relation, match.reverse_relation} & SYMMETRIC
        ):
            # "Egypt and Sudan closed a deal": between the members
            targets = sources
        confidence = PATTERN_CONFIDENCE if match.specific else PLAIN_CONFIDENCE
        for relation, (froms, tos) in ((match.relation, (sources, targets)), (match.reverse_relation, (targets, sources))):
            if relation is None:
                continue
            for source, target in pairs(froms, tos):
                event = make_event(
                    doc,
                    source=source,
                    relation=relation,
                    target=target,
                    trigger=token,
                    confidence=confidence - (0.1 if source.indirect or target.indirect else 0.0),
                    extractor="cameo",
                )
                if event is not None:
                    yield event


def extract_cameo_pattern_events(doc: Doc) -> Iterator[Event]:
    """Events of the CAMEO extractor from matched patterns only (no verb
    coded by its block's code alone)."""
    return extract_cameo_events(doc, plain_verbs=False)


register("cameo")(extract_cameo_events)
register("cameo-patterns")(extract_cameo_pattern_events)
