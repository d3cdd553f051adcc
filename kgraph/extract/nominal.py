"""The nominal-event extractor: events stated by a noun.

"Turkey's assault on Kurdish fighters", "the Turkish offensive in Syria",
"talks between Israel and Syria", and light-verb constructions where the noun
carries the event and the verb only asserts it: "held talks with",
"imposed sanctions on", "launched an offensive against".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..model import Event
from ..vocab import PLOVER
from . import register
from .arguments import MUTUAL, all_domestic, attributed_to, implicit_targets, purpose_targets
from .clauses import AGREEMENT_NOUNS, ORDERING_VERBS, clause_subjects, modal_relation, not_asserted, verb_particles
from .lexicon import LexEntry, load_lexicon
from .rules import (
    QUANTITY_NOUNS,
    Argument,
    actor_at,
    arguments_of,
    in_name,
    is_negated,
    make_event,
    pairs,
    state_argument,
    verb_lemmas,
)

__all__ = ["LIGHT_VERBS", "extract_noun_events"]

# Verbs that assert the event their object names.
LIGHT_VERBS = frozenset({
    "launch", "hold", "impose", "carry", "conduct", "stage", "make", "sign", "express",
    "issue", "reach", "begin", "start", "mount", "announce", "open", "take", "give",
    "deliver", "have", "lead", "continue", "intensify", "resume", "undertake", "initiate",
    "escalate", "wage", "step", "extend", "provide", "offer", "send", "file", "level",
    "lodge", "slap", "announce", "agree", "conclude", "finalize", "strike", "seal",
    "broker", "order", "approve", "authorize", "declare", "renew", "expand", "tighten",
    "set", "levy", "increase", "boost", "deepen", "strengthen", "enhance", "pay", "host", "attend",
    "organize", "organise", "convene", "call", "plan", "announce", "carry", "perform", "use", "deploy",
    "enter", "go",
})
# Verbs that assert the event a noun after "into" names.
ENTERING_VERBS = frozenset({"enter", "go"})
# Light verbs of diplomatic complaint: "lodged a protest with Albania" is an
# accusation, not a street protest.
COMPLAINT_VERBS = frozenset({"lodge", "file", "issue", "deliver", "send", "register", "voice", "express", "make"})
# Heads that take their event from a compound: "a mediation effort", "a
# bombing campaign", "a military operation against".
GENERIC_HEADS = frozenset({
    "effort", "campaign", "operation", "process", "mission", "initiative", "plan", "programme",
    "program", "action", "package", "agreement", "deal",
})
# Gatherings that, named after a politician, are campaign events.
CAMPAIGN_EVENTS = frozenset({"rally", "march"})
# Light-verb pairs whose meaning is not the noun's alone.
VERB_NOUN_RELATIONS = {("set", "fire"): "COERCE"}
# Relations that a bare noun names as a state of affairs rather than an act.
STANDING_RELATIONS = frozenset({"AGREE", "COOPERATE"})
# Prepositions that attach the target to the light verb rather than the noun:
# "imposed sanctions on Iran" is often parsed with "on" under "imposed".
VERB_TARGET_PREPS = frozenset({"on", "against", "with", "to", "in", "into", "for"})


def _from_agreement(noun: Token) -> bool:
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "from":
            for pobj in prep.children:
                heads = [pobj] + [g for p in pobj.children if p.lower_ == "of" for g in p.children]
                if any(h.lemma_.lower() in AGREEMENT_NOUNS for h in heads):
                    return True
    return False


def _noun_targets(noun: Token, entry: LexEntry) -> list[Argument]:
    tokens = [
        g
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in entry.target_preps
        for g in c.children
        if g.dep_ == "pobj"
    ]
    return arguments_of(tokens)


def _own_actor(noun: Token) -> list[Argument]:
    """The actor a noun's modifiers name: "Turkey's assault", "the Turkish
    offensive", "Russian-Turkish talks" (each member)."""
    found: dict[str, Argument] = {}
    for child in noun.children:
        if child.dep_ in ("poss", "amod", "compound", "nmod"):
            for member in (child, *child.conjuncts):
                arg = actor_at(member, depth=1, locate=False)
                if arg and arg.actor.id not in found:
                    found[arg.actor.id] = arg
    return list(found.values())


def extract_noun_events(doc: Doc) -> Iterator[Event]:
    """Events stated by nouns of the lexicon."""
    lexicon = load_lexicon(tuple(doc.user_data.get("kgraph_lexicon_files", ())))
    for noun in doc:
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        # Two-word entries first: "hunger strike" is a protest, "air strike"
        # an assault, "war games" cooperation.
        entry = None
        for child in noun.children:
            if child.dep_ in ("compound", "amod") and child.i < noun.i:
                entry = lexicon.lookup(f"{child.lemma_.lower()} {noun.lemma_.lower()}", "NOUN")
                if entry is not None:
                    break
        entry = entry or lexicon.lookup(noun.lemma_, "NOUN")
        if entry is None and noun.lemma_ in GENERIC_HEADS:
            for child in noun.children:
                if child.dep_ in ("compound", "amod"):
                    entry = lexicon.lookup(child.lemma_, "NOUN")
                    if entry is not None:
                        break
        if entry is None or in_name(noun):
            continue
        if is_negated(noun):
            continue
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if noun.dep_ == "pobj" and noun.head.lower_ == "into" and noun.head.head.lemma_.lower() in ENTERING_VERBS:
            # "entered into an agreement with Sudan", "went into talks with"
            verb = noun.head.head
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in QUANTITY_NOUNS:
            # "launched 10 days of war games", "a new round of talks"
            measure = noun.head.head
            if measure.dep_ in ("dobj", "nsubjpass"):
                verb = measure.head
        governors: list = []
        sources = _own_actor(noun)
        confidence = 0.7
        targets = _noun_targets(noun, entry)
        verb_entry = lexicon.lookup_any(verb_lemmas(verb), "VERB", verb_particles(verb)) if verb is not None else None
        if verb_entry is not None and verb.lemma_ not in ORDERING_VERBS:
            # The verb states the event itself ("signed an agreement" is
            # SUPPORT by the verb, not AGREE by the noun); only an order
            # leaves the event to its object ("ordered the deployment").
            continue
        asserted = verb is not None and bool(LIGHT_VERBS.intersection(verb_lemmas(verb)))
        if asserted:
            subjects, governors, passive = clause_subjects(verb)
            if not_asserted(verb, governors):
                continue
            governors = [verb, *governors]
            if not sources:
                if noun.dep_ == "nsubjpass":
                    sources = arguments_of(
                        g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
                    )
                else:
                    sources = arguments_of(subjects)
            if not targets:
                targets = arguments_of(
                    g
                    for c in verb.children
                    if c.dep_ == "prep" and c.lower_ in VERB_TARGET_PREPS and c.lower_ in entry.target_preps
                    for g in c.children
                    if g.dep_ == "pobj"
                ) or arguments_of(
                    # "issued a reminder to Iraq" with "to" parsed as the dative
                    g
                    for c in verb.children
                    if c.dep_ == "dative"
                    for g in ([c] if c.pos_ != "ADP" else [p for p in c.children if p.dep_ == "pobj"])
                )
            confidence = 0.75
        elif noun.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "appos", "conj", "attr", "ROOT"):
            # A bare nominal ("Turkey's assault on Kurdish fighters"): only with
            # its own actor named.
            if not sources:
                continue
            if entry.relation in STANDING_RELATIONS:
                # "its cooperation agreement with Germany", "the alliance
                # with Russia" name a standing relation, not a new event.
                continue
            head_verb = noun.head
            if head_verb.pos_ in ("VERB", "AUX") and not_asserted(head_verb, []):
                continue
            confidence = 0.6
        else:
            continue
        if not targets and PLOVER[entry.relation].quad_class == "MX":
            targets = purpose_targets(verb if verb is not None else noun) or purpose_targets(noun)
        relation = modal_relation(entry, verb if verb is not None else noun, governors)
        if verb is not None and (verb.lemma_, noun.lemma_) in VERB_NOUN_RELATIONS:
            # "set fire to" destroys property; "opened fire on" attacks
            relation = VERB_NOUN_RELATIONS[(verb.lemma_, noun.lemma_)]
        if relation == "RETREAT" and _from_agreement(noun):
            # "its withdrawal from the treaty" is a rejection
            relation = "REJECT"
        if relation == "PROTEST" and verb is not None and verb.lemma_ in COMPLAINT_VERBS:
            relation = "ACCUSE"
        if relation is None:
            continue
        if relation == "PROTEST" and entry.lemma in CAMPAIGN_EVENTS and any(
            s.actor.type == "person" for s in (*_own_actor(noun), *sources)
        ):
            # "a Biden rally", "Trump held his first indoor rally": a campaign
            # event, not a protest
            continue
        if relation == "PROTEST" and not targets:
            # "anti-Trump protests", "protests against the government": a
            # person or government named on the protest is its target, and
            # the protesters are that state's people.
            officials = [s for s in sources if s.actor.type == "person" or s.actor.sector == "GOV"]
            if officials:
                targets = officials
                sources = [state_argument(doc, s.actor.state, s) for s in officials if s.actor.state]
        implicit = not targets
        if not targets and sources:
            targets = implicit_targets(doc, noun, relation, sources)
            if not targets and verb is not None:
                targets = implicit_targets(doc, verb, relation, sources)
        sides = arguments_of(
            g
            for c in noun.children
            if c.dep_ == "prep" and c.lower_ == "between"
            for g in c.children
            if g.dep_ == "pobj"
        )
        emitted = list(pairs(sources, targets))
        if implicit and relation in ("COERCE", "SANCTION", "PROTEST") and all_domestic(sources, targets):
            emitted = [(s, t) for s, t in emitted if s.actor.state == t.actor.state]
        if not emitted and sides and relation == "CONSULT":
            # "a mediation effort between the Emirates and Saudi Arabia": the
            # mediator meets each side.
            emitted = list(pairs(sources, sides))
        elif not emitted and relation in MUTUAL and "with" in entry.target_preps and asserted:
            # "Turkey and Libya signed an agreement" pairs its parties; a bare
            # "the Iran–Iraq War" only names a (perhaps past) event.
            members = sources + sides
            emitted = list(pairs(members, members))
            confidence -= 0.1
        attribution = attributed_to(verb if verb is not None else noun)
        for source, target in emitted:
            event = make_event(
                doc,
                source=source,
                relation=relation,
                target=target,
                trigger=noun,
                confidence=confidence - (0.1 if source.indirect or target.indirect else 0.0),
                extractor="nominal",
                attribution=attribution,
            )
            if event is not None:
                yield event


register("nominal")(extract_noun_events)
