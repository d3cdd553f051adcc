"""The dependency-pattern extractor: events stated by a verb.

Covers active and passive voice ("was criticised by"), direct and
prepositional objects, open clausal complements ("keen to cooperate with",
"decided to withdraw from"), reported speech ("Lavrov said Russia is keen
to …": the event is Russia's, said by Lavrov), coordination on either side
("Russia and Turkey announced"), relative and participial clauses,
negation, refusals and intentions.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from ..model import Event
from . import register
from .arguments import (
    MUTUAL,
    PROTESTER_NOUNS,
    SPEECH_VERBS,
    all_domestic,
    are_civilian,
    are_non_state,
    attributed_to,
    complement_targets,
    counted_noun,
    has_violent_cause,
    implicit_targets,
    names_force,
    object_targets,
    own_states,
    place_of,
    sends_own,
    stance_targets,
    summary_referent,
)
from .clauses import (
    AGREEMENT_NOUNS,
    FAILURE_HEADS,
    ORDERING_VERBS,
    STATEMENT_NOUNS,
    between_parties,
    clause_subjects,
    is_reciprocal,
    is_verbal_noun,
    modal_relation,
    modals,
    not_asserted,
    passive_agents,
    verb_particles,
)
from .dictionary import load_verb_dictionary
from .lexicon import load_lexicon
from .rules import (
    MODIFIER_DEPS,
    OBJECT_DEPS,
    SUBJECT_DEPS,
    Argument,
    actors_at,
    arguments_of,
    is_negated,
    make_event,
    pairs,
    population,
    verb_lemmas,
)

__all__ = ["extract_verb_events"]

# Objects that make a physical verb verbal: "attacked the proclamation",
# "hit out at the decision" are accusations.
ABSTRACT_OBJECTS = frozenset({
    "proclamation", "decision", "policy", "move", "plan", "remark", "statement", "comment", "law",
    "bill", "decree", "announcement", "claim", "stance", "approach", "proposal",
    "deal", "agreement", "recognition", "speech", "report", "idea", "handling", "response",
})
# What a speaker calls an actor: praise or blame.
PRAISE_NOUNS = frozenset({
    "partner", "ally", "friend", "interlocutor", "guarantor", "mediator", "supporter",
    "champion", "model", "brother", "asset", "pillar",
})
BLAME_NOUNS = frozenset({
    "threat", "enemy", "aggressor", "terrorist", "sponsor", "dictator", "criminal", "liar",
    "danger", "menace", "occupier", "murderer", "provocateur", "warmonger", "responsible",
})
# What one delivers or gives that is not aid.
SPOKEN_THINGS = STATEMENT_NOUNS | frozenset({
    "speech", "address", "remark", "interview", "lecture", "verdict", "ruling", "sermon",
    "briefing", "testimony", "warning", "ultimatum", "blow", "talk", "update", "performance",
})
# Verbs that state an agreement only with an agreement as object.
SETTLEMENT_VERBS = frozenset({"reach", "conclude", "strike", "broker", "seal", "finalize", "finalise"})
SETTLEMENTS = frozenset({
    "agreement", "deal", "accord", "consensus", "settlement", "ceasefire", "truce", "understanding",
    "compromise", "pact", "treaty", "arrangement", "framework", "bargain", "peace",
})
# Verbs of helping that, with a verb complement, only frame that event.
HELPING_VERBS = frozenset({"help", "assist", "aid"})
# Acts that are a protest when civilians do them ("students blocked roads").
BLOCKING_VERBS = frozenset({"block", "barricade", "blockade", "occupy", "shut", "close", "picket", "disrupt"})
# Verbs of giving back that need a thing given: "returned to the US" is a trip.
OBJECT_REQUIRED = frozenset({"return", "release", "free", "hand", "compensate", "give", "provide", "send", "supply", "deliver", "donate"})
# Verbs of attack that between politicians are words ("Trump attacked Biden").
VERBAL_ATTACK_VERBS = frozenset({"attack", "hit", "slam", "blast", "target", "assail", "savage"})
# Verbs that name something as something: "called it null and void".
# Nouns that say what kind of act something is: "an act of aggression".
KIND_NOUNS = frozenset({"act", "form", "case", "example", "instance", "kind", "sort", "attempt", "campaign"})
HOSTILE_RELATIONS = frozenset({"ASSAULT", "COERCE", "THREATEN", "SANCTION", "ACCUSE"})
CALLING_VERBS = frozenset({"call", "describe", "label", "brand", "term", "dub", "deem", "declare", "consider"})
BLAME_WORDS = BLAME_NOUNS | frozenset({
    "null", "void", "illegal", "illegitimate", "unacceptable", "invalid", "ridiculous", "absurd",
    "provocative", "irresponsible", "outrageous", "shameful", "dangerous", "aggression", "violation",
    "crime", "betrayal", "hostile", "racist", "genocide", "lie", "propaganda", "stunt", "unlawful",
    "reckless", "destabilizing", "destabilising", "barbaric", "cowardly", "terrorism", "hypocritical",
    # pressure the CAMEO dictionary has no verb for ("an act of coercion")
    "coercion", "intimidation",
})
PRAISE_WORDS = PRAISE_NOUNS | frozenset({
    "historic", "important", "positive", "constructive", "decisive", "justified", "brave",
    "courageous", "welcome", "great", "excellent", "successful", "swift", "forceful", "fruitful",
    "productive", "legitimate",
})
# Verbs of giving whose object, when it is a person, is an envoy sent, not aid.
GIVING_VERBS = frozenset({"send", "dispatch", "deliver", "provide"})
# Reporting verbs whose complement with a deontic modal is a demand:
# "Russia said that Sudan must return the helicopter".
DEONTIC_MODALS = frozenset({"must", "should"})


def _evaluation_in_report(token: Token) -> tuple[str, list[Argument], list[Argument]] | None:
    """ "Di Maio said, 'Moscow is an important interlocutor'": calling an
    actor a partner in reported speech is praise (SUPPORT); calling it a
    threat or an aggressor is an accusation (ACCUSE). ``token`` is the
    copula. Returns (relation, speakers, subjects) or ``None``."""
    if token.lemma_ != "be" or is_negated(token):
        return None
    attrs = [c for c in token.children if c.dep_ in ("attr", "acomp")]
    relation = None
    for attr in attrs:
        if attr.lemma_.lower() in PRAISE_NOUNS:
            relation = "SUPPORT"
        elif attr.lemma_.lower() in BLAME_NOUNS:
            relation = "ACCUSE"
    if relation is None:
        return None
    speech = None
    if token.dep_ in ("ccomp", "parataxis") and token.head.lemma_ in SPEECH_VERBS:
        speech = token.head
    else:
        speech = next((c for c in token.children if c.dep_ == "parataxis" and c.lemma_ in SPEECH_VERBS), None)
    if speech is None:
        return None
    speakers = arguments_of(c for c in speech.children if c.dep_ in SUBJECT_DEPS)
    subjects = arguments_of(c for c in token.children if c.dep_ in SUBJECT_DEPS)
    if speakers and subjects:
        return relation, speakers, subjects
    return None


def _hostile_noun(token: Token) -> bool:
    """Whether a noun names force or pressure: in BLAME_WORDS, or a
    conflict type of the lexicon ("invasion") or the CAMEO dictionary
    ("coercion" of "coerce", "intimidation" of "intimidate")."""
    lemma = token.lemma_.lower()
    if lemma in BLAME_WORDS:
        return True
    entry = load_lexicon().lookup(lemma, "NOUN")
    if entry is not None and entry.relation in HOSTILE_RELATIONS:
        return True
    for suffix, repl in (("", ""), ("ion", "e"), ("ion", ""), ("ation", "e"), ("ation", ""), ("ment", ""), ("ing", "")):
        if lemma.endswith(suffix):
            base = lemma[: len(lemma) - len(suffix)] + repl
            if any(v.relation in HOSTILE_RELATIONS and not v.particles for v in load_verb_dictionary().lookup(base)):
                return True
    return False


def _judgement(token: Token) -> tuple[str, list[Argument]] | None:
    """ "called the Turkish-Libyan agreement null and void", "branded the US
    a terrorist state", "called Trump's order decisive": naming something
    with a word of blame or praise accuses or supports whoever it belongs
    to. Returns (relation, targets) or ``None``."""
    if token.lemma_ not in CALLING_VERBS:
        return None
    children = list(token.children)
    objects = [c for c in children if c.dep_ in ("dobj", "dative")]
    words = [c for c in children if c.dep_ in ("oprd", "xcomp", "ccomp", "acomp")]
    words += [p for c in children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
    if not objects:
        # "called [Trump's order] [swift, forceful and decisive]" parsed with
        # the order as the predicate and the adjectives on it
        objects = [w for w in words if w.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "amod" and c.i > w.i for c in w.children)]
        words = [w for w in words if w not in objects]
    judged = list(objects)
    if len(objects) == 2:
        # "branded [the US] [a terrorist state]"
        judged, words = [objects[0]], words + [objects[1]]
    for obj in objects:
        # "Trump's order swift, forceful and decisive": adjectives after the noun
        words += [c for c in obj.children if c.dep_ == "amod" and c.i > obj.i]
    for word in list(words):
        # "[the agreement] null and void" parsed as a compound of "null"
        judged += [c for c in word.children if c.dep_ == "compound"]
    lemmas = {w.lemma_.lower() for word in words for w in (word, *word.conjuncts, *word.children)}
    # "an act of economic coercion", "a form of blackmail": what the act is
    # an act of, when the lexicon or the CAMEO dictionary reads it as force
    # or pressure, is blame.
    kinds = [
        pobj
        for word in words
        if word.lemma_.lower() in KIND_NOUNS
        for prep in word.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]
    if any(_hostile_noun(kind) for kind in kinds):
        lemmas.add("aggression")
    if lemmas & BLAME_WORDS:
        relation = "ACCUSE"
    elif lemmas & PRAISE_WORDS:
        relation = "SUPPORT"
    else:
        return None
    targets: dict[str, Argument] = {}
    for thing in judged:
        for arg in actors_at(thing) or [
            a for c in thing.children if c.dep_ in MODIFIER_DEPS for a in actors_at(c, depth=1, locate=False)
        ]:
            targets.setdefault(arg.actor.id, arg)
        for c in thing.children:
            if c.dep_ in ("amod", "compound"):
                for arg in actors_at(c, depth=0):
                    targets.setdefault(arg.actor.id, arg)
    return relation, list(targets.values())


def _demand_in_report(token: Token) -> tuple[list[Argument], list[Argument]] | None:
    """ "Russia said that Sudan must return the helicopter": a reporting verb
    whose complement has a deontic modal is a demand on that complement's
    subject. Returns (sources, targets) or ``None``."""
    if token.lemma_ not in SPEECH_VERBS:
        return None
    for clause in token.children:
        if clause.dep_ != "ccomp" or not modals(clause) & DEONTIC_MODALS or is_negated(clause):
            continue
        targets = arguments_of(c for c in clause.children if c.dep_ in SUBJECT_DEPS)
        sources = arguments_of(c for c in token.children if c.dep_ in SUBJECT_DEPS)
        if sources and targets:
            return sources, targets
    return None


def extract_verb_events(doc: Doc) -> Iterator[Event]:
    """Events stated by verbs of the lexicon, one per (source, target) pair."""
    lexicon = load_lexicon(tuple(doc.user_data.get("kgraph_lexicon_files", ())))
    for token in doc:
        if token.pos_ not in ("VERB", "AUX") and not is_verbal_noun(token):
            continue
        if token.lemma_ == "be":
            evaluation = _evaluation_in_report(token)
            if evaluation is not None:
                relation, speakers, subjects = evaluation
                for source, target in pairs(speakers, subjects):
                    event = make_event(
                        doc, source=source, relation=relation, target=target, trigger=token,
                        confidence=0.55, extractor="dependency",
                    )
                    if event is not None:
                        yield event
            continue
        judgement = _judgement(token)
        if judgement is not None:
            relation, targets = judgement
            subjects, governors, passive = clause_subjects(token)
            if not passive and not not_asserted(token, governors):
                for source, target in pairs(arguments_of(subjects), targets):
                    event = make_event(
                        doc, source=source, relation=relation, target=target, trigger=token,
                        confidence=0.6, extractor="dependency", attribution=attributed_to(token),
                    )
                    if event is not None:
                        yield event
            continue
        entry = lexicon.lookup_any(verb_lemmas(token), "VERB", verb_particles(token))
        if entry is None:
            demand = _demand_in_report(token)
            if demand is not None:
                clause = next(c for c in token.children if c.dep_ == "ccomp")
                for source, target in pairs(*demand):
                    event = make_event(
                        doc, source=source, relation="REQUEST", target=target, trigger=clause,
                        confidence=0.6, extractor="dependency",
                    )
                    if event is not None:
                        yield event
            continue
        subjects, governors, passive = clause_subjects(token)
        if not_asserted(token, governors):
            continue
        relation = modal_relation(entry, token, governors)
        if relation is None:
            continue
        if relation != "REJECT" and any(g.lemma_ in FAILURE_HEADS for g in governors):
            continue
        if token.lemma_ in ORDERING_VERBS and any(
            c.dep_ == "dobj"
            and (noun := lexicon.lookup(c.lemma_, "NOUN")) is not None
            and noun.relation != entry.relation
            for c in token.children
        ):
            # "ordered the deployment of troops", "approved sanctions": the
            # ordered act is the event (the nominal extractor codes it).
            continue
        if entry.relation == "RETREAT" and any(
            g.lemma_.lower() in AGREEMENT_NOUNS
            for c in token.children
            if c.dep_ == "prep"
            for g in c.children
            if g.dep_ == "pobj"
        ):
            # Withdrawing from a treaty or talks is a rejection, not a retreat.
            relation = "REJECT"
        objects = [c for c in token.children if c.dep_ in OBJECT_DEPS]
        if token.lemma_ in OBJECT_REQUIRED and not objects and not passive:
            continue
        if entry.relation == "MOBILIZE" and objects and not any(names_force(o) for o in objects):
            # "mobilized pressure groups", "deployed its diplomats": not force
            continue
        if token.lemma_ in SETTLEMENT_VERBS and not any(o.lemma_.lower() in SETTLEMENTS for o in objects):
            # "reached a deal" is an agreement; "reached 40 °C" is not
            continue
        if relation == "ASSAULT" and any(o.lemma_ in ABSTRACT_OBJECTS for o in objects):
            relation = "ACCUSE"
        if token.lemma_ in GIVING_VERBS and sends_own(subjects, objects):
            continue
        if entry.relation == "AID" and any(o.lemma_.lower() in SPOKEN_THINGS for o in objects):
            # "delivered a speech", "gave an interview": words, not aid
            continue
        if token.lemma_ in HELPING_VERBS and any(c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB" for c in token.children):
            # "helped negotiate the deal": the negotiation is the event.
            continue
        confidence = 0.85 - 0.1 * len(governors)
        if token.dep_ == "acl" and token.tag_ == "VBG":
            # "demonstrators protesting election results": the noun acts;
            # "a declaration demanding that …": whoever issued it acts.
            head = token.head
            if head.lemma_ in STATEMENT_NOUNS and head.dep_ in ("dobj", "nsubjpass"):
                issuer, _, issuer_passive = clause_subjects(head.head)
                subjects = issuer if not issuer_passive else passive_agents(head.head)
            else:
                subjects = [head]
            passive = False
            sources = arguments_of(subjects)
            targets = object_targets(token, entry, own_states(sources))
        elif passive or token.dep_ == "acl":
            # "X was criticised by Y", "a move criticised by Y": the agent acts.
            sources = arguments_of(passive_agents(token))
            patient = [token.head] if token.dep_ == "acl" else subjects
            targets = arguments_of(patient) or object_targets(token, entry)
            if not targets and token.dep_ in ("relcl", "acl"):
                targets = summary_referent(token.head)
        else:
            sources = arguments_of(subjects)
            targets = object_targets(token, entry, own_states(sources))
        if not targets:
            # "threatened to attack Y", "offered to hand over to Y",
            # "demanded that Y …": the target is in the complement clause.
            for child in token.children:
                if child.dep_ in ("xcomp", "ccomp"):
                    if any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in child.children):
                        # "questioned whether the U.S. …": an open question
                        break
                    if is_negated(child):
                        # "vowed not to return the Golan Heights to Syria"
                        break
                    targets = []
                    if child.dep_ == "ccomp":
                        targets = arguments_of(c for c in child.children if c.dep_ in SUBJECT_DEPS)
                    targets = targets or complement_targets(child)
                    if targets:
                        confidence -= 0.15
                        break
        if not sources and relation == "ASSAULT" and has_violent_cause(token, subjects):
            # Violence with no named perpetrator is coded to the state where
            # it happened: "killed by a bomb outside the Iraqi city of Basra",
            # "a minefield explosion near Samarra killed two Iraqi youths";
            # victims with no state of their own are that state's people.
            sources = place_of(token, [] if passive else subjects)
            if sources and not targets and (passive or any(c.dep_ in OBJECT_DEPS for c in token.children)):
                targets = [population(doc, a) for a in sources]
            confidence -= 0.2
        if (
            not sources
            and not passive
            and (relation in ("PROTEST", "COERCE") or token.lemma_ == "protest")
            and any(counted_noun(t).lemma_.lower() in PROTESTER_NOUNS for t in subjects)
        ):
            # "demonstrators protesting election results in Monrovia":
            # protesters with no state named are the people of the place.
            place = place_of(token, [*subjects, *(c for c in token.children if c.dep_ in OBJECT_DEPS)])
            sources = [population(doc, a) for a in place]
        if not sources:
            continue
        if (
            (token.lemma_ in BLOCKING_VERBS and relation == "COERCE" or token.lemma_ == "protest" and relation == "ACCUSE")
            and not passive
            and (are_civilian(subjects, sources) or token.lemma_ in BLOCKING_VERBS and are_non_state(sources))
        ):
            # "students blocked roads", "demonstrators protested": civilians
            # acting against their state protest (PLOVER: PROTEST).
            relation = "PROTEST"
            sources = [population(doc, a) if a.actor.type == "country" else a for a in sources]
            if all(t.indirect for t in targets):
                # the place blocked ("streets in Hong Kong") gives way to what
                # the protest defies
                targets = stance_targets(token) or targets
            if not any(t.actor.state for t in targets):
                targets = []
        if (
            relation == "ASSAULT"
            and token.lemma_ in VERBAL_ATTACK_VERBS
            and sources
            and targets
            and all(a.actor.type == "person" for a in (*sources, *targets))
        ):
            # politicians attack each other with words
            relation = "ACCUSE"
        if relation == "CONSULT":
            # "the President traveled to South Dakota": a trip at home is no
            # meeting between states
            targets = [
                t for t in targets
                if not (t.actor.type == "country" and t.actor.state in {a.actor.state for a in sources} and t.start < len(doc) and doc[t.start].pos_ == "PROPN" and doc[t.start].lower_ not in t.actor.label.lower())
            ]
        implicit = not targets
        if implicit:
            targets = implicit_targets(doc, token, relation, sources)
            if relation == "SANCTION" and targets and all(t.actor.state in {s.actor.state for s in sources} for t in targets):
                # a ban or suspension at home restricts (PLOVER: COERCE)
                relation = "COERCE"
        if not targets and len(sources) > 1 and is_reciprocal(token):
            # "Hezbollah and Israel accuse each other": both directions
            targets = sources
        attribution = attributed_to(token)
        emitted = list(pairs(sources, targets))
        if implicit and relation in ("COERCE", "SANCTION", "PROTEST") and all_domestic(sources, targets):
            # domestic: each source acts on its own state
            emitted = [(s, t) for s, t in emitted if s.actor.state == t.actor.state]
        if entry.relation in MUTUAL and "with" in entry.target_preps and len(sources) > 1:
            # Only verbs that take a partner ("agree with", "meet with",
            # "clash with") hold between coordinated subjects too.
            members = sources + ([] if emitted else arguments_of(between_parties(token)))
            emitted += [p for p in pairs(members, members) if p not in emitted]
        elif not emitted and entry.relation in MUTUAL and "with" in entry.target_preps:
            members = sources + arguments_of(between_parties(token))
            emitted = list(pairs(members, members))
            confidence -= 0.1
        for source, target in emitted:
            event = make_event(
                doc,
                source=source,
                relation=relation,
                target=target,
                trigger=token,
                confidence=confidence - (0.1 if source.indirect or target.indirect else 0.0),
                extractor="dependency",
                attribution=attribution,
            )
            if event is not None:
                yield event


register("dependency")(extract_verb_events)
