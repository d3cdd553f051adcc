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

from ..model import Actor, Event
from ..vocab import PLOVER
from . import register
from .dictionary import load_verb_dictionary
from .lexicon import LexEntry, load_lexicon
from .rules import (
    MODIFIER_DEPS,
    QUANTITY_NOUNS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    Argument,
    actor_at,
    actors_at,
    arguments_of,
    is_negated,
    is_population,
    make_event,
    pairs,
    population,
    state_argument,
    verb_lemmas,
)

__all__ = ["extract_verb_events"]

# Heads through which an infinitive or a predicate inherits its subject:
# "Russia is keen to cooperate", "the US decided to withdraw".
CLIMB_DEPS = frozenset({"xcomp", "conj", "acomp", "oprd"})
# Governors that make a cooperative event an intention (PLOVER: AGREE).
INTENT_HEADS = frozenset({
    "keen", "ready", "willing", "eager", "prepared", "plan", "intend", "want", "wish",
    "hope", "agree", "promise", "pledge", "vow", "offer", "seek", "aim", "expect",
    "commit", "committed", "determined", "propose", "wish", "resolve", "invite", "try",
})
# Withdrawals of forces, and the governors that announce them.
WITHDRAWAL_WORDS = frozenset({"withdraw", "pull", "withdrawal", "pullout", "evacuate"})
ANNOUNCING_HEADS = frozenset({"announce", "promise", "pledge", "plan", "agree", "vow", "intend", "offer"})
# Governors that turn the event into a refusal (PLOVER: REJECT).
REFUSAL_HEADS = frozenset({"refuse", "decline", "reject", "veto"})
# Governors under which the event did not happen.
NONFACTUAL_HEADS = frozenset({"deny", "avoid", "stop", "cease", "unable", "impossible"})
# Governors under which cooperation did not happen: PLOVER codes a failure to
# agree as REJECT ("failed to reach agreement"); other events are dropped.
FAILURE_HEADS = frozenset({"fail"})
# Modals of possibility: the event is not asserted.
HEDGE_MODALS = frozenset({"could", "might", "may", "should", "must", "can"})
FUTURE_MODALS = frozenset({"will", "would", "shall", "'ll", "wo"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
SPEECH_VERBS = frozenset({
    "say", "tell", "announce", "state", "declare", "add", "claim", "report", "confirm",
    "insist", "note", "stress", "reiterate", "write", "tweet", "argue", "explain",
})
# Nouns of speech that carry the agent of a passive ("condemned in a
# statement by Egypt").
STATEMENT_NOUNS = frozenset({
    "statement", "declaration", "communique", "communiqué", "resolution", "letter", "speech",
    "report", "press", "appeal", "message", "note", "decree",
})
# Objects that make a physical verb verbal: "attacked the proclamation",
# "hit out at the decision" are accusations.
ABSTRACT_OBJECTS = frozenset({
    "proclamation", "decision", "policy", "move", "plan", "remark", "statement", "comment", "law",
    "bill", "decree", "announcement", "claim", "stance", "approach", "proposal",
    "deal", "agreement", "recognition", "speech", "report", "idea", "handling", "response",
})
# Causes that make a death an attack.
VIOLENT_CAUSES = frozenset({
    "bomb", "bombing", "bomber", "explosion", "blast", "attack", "attacker", "shooting", "gunman",
    "gunmen", "gunfire", "militant", "rocket", "missile", "drone", "shelling", "airstrike",
    "strike", "device", "ied", "mine", "minefield", "grenade", "mortar", "sniper", "assailant",
    "terrorist", "insurgent", "rebel", "soldier", "troops", "force", "police", "artillery",
})
# Prepositions that place an event: "killed in Beirut", "near Samarra".
PLACE_PREPS = frozenset({"in", "near", "outside", "at", "around", "across"})
CIVILIAN_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REF"})
PROTESTER_NOUNS = frozenset({
    "protester", "protestor", "demonstrator", "student", "worker", "farmer", "activist",
    "people", "resident", "crowd", "villager", "teacher", "doctor", "driver", "trucker",
    "fisherman", "miner", "employee", "union", "unionist", "opposition", "supporter",
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
# Sectors of a state's own organs (what a state moves, sends or recalls).
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD", None})
# Events whose object is what the source moves or gives.
MOVING_RELATIONS = frozenset({"RETREAT", "MOBILIZE", "AID", "CONCEDE", "AGREE", "SANCTION"})
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
# Nouns of people, the objects that make a coercive act domestic.
PEOPLE_NOUNS = frozenset({
    "person", "people", "man", "men", "woman", "women", "child", "children", "journalist",
    "reporter", "activist", "protester", "protestor", "demonstrator", "student", "suspect",
    "member", "leader", "official", "opponent", "critic", "dissident", "worker", "civilian",
    "citizen", "resident", "refugee", "migrant", "soldier", "officer", "militant", "rebel",
    "fighter", "cleric", "lawyer", "blogger", "politician", "minister", "candidate", "player",
    "supporter", "individual", "national", "foreigner", "tourist", "pastor", "priest", "imam",
    "monk", "nun", "teacher", "doctor", "youth", "teenager", "boy", "girl", "crew", "passenger",
    "prisoner", "detainee", "hostage", "captive", "asylum-seeker", "smuggler", "trafficker",
    "gang", "gangster", "terrorist", "insurgent", "spy", "agent", "businessman", "executive",
    # gatherings of people, stopped or broken up
    "demonstration", "protest", "rally", "march", "gathering", "meeting", "strike", "sit-in",
    "crowd", "vigil", "assembly", "parade",
})
# What force is made of, for MOBILIZE.
MILITARY_NOUNS = frozenset({
    "troop", "troops", "force", "soldier", "army", "reservist", "unit", "battalion", "brigade",
    "division", "ship", "warship", "vessel", "carrier", "submarine", "tank", "missile", "rocket",
    "jet", "aircraft", "plane", "bomber", "fighter", "drone", "weapon", "artillery", "marine",
    "paratrooper", "guard", "militia", "police", "personnel", "system", "battery", "launcher",
})
# Verbs of helping that, with a verb complement, only frame that event.
HELPING_VERBS = frozenset({"help", "assist", "aid"})
# Verbs whose purpose clauses describe what is asked for.
REQUEST_HEADS = frozenset({
    "demand", "ask", "urge", "call", "seek", "request", "press", "push", "appeal", "lobby",
    "stage", "hold", "rally", "march", "protest", "strike",
})
# Nouns of attack whose purpose clauses name their aim.
ATTACK_NOUNS = frozenset({"assault", "attack", "offensive", "operation", "campaign", "raid", "invasion", "push"})
# "in protest of X", "in defiance of X": X is what a protest is against.
STANCE_NOUNS = frozenset({"protest", "defiance", "opposition", "outrage", "anger"})
# Acts that are a protest when civilians do them ("students blocked roads").
BLOCKING_VERBS = frozenset({"block", "barricade", "blockade", "occupy", "shut", "close", "picket", "disrupt"})
# Verbs of giving back that need a thing given: "returned to the US" is a trip.
OBJECT_REQUIRED = frozenset({"return", "release", "free", "hand", "compensate", "give", "provide", "send", "supply", "deliver", "donate"})
# Verbs of attack that between politicians are words ("Trump attacked Biden").
VERBAL_ATTACK_VERBS = frozenset({"attack", "hit", "slam", "blast", "target", "assail", "savage"})
# Restrictions that, aimed at home, coerce (PLOVER: COERCE).
BANNING_WORDS = frozenset({"ban", "outlaw", "prohibit", "bar", "censor", "block", "forbid"})
# Prepositions through which a gerund shares its clause's subject.
GERUND_PREPS = frozenset({"in", "by", "after", "while", "when", "before", "through"})
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
TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "day", "week", "month", "year", "weekend", "morning",
    "afternoon", "evening", "night", "time", "occasion", "anniversary", "eve", "today", "tonight",
})
# Verbs whose object, when it names an act, is the event ordered.
ORDERING_VERBS = frozenset({"order", "authorize", "authorise", "approve", "give", "issue", "deliver"})
# What one can withdraw from without moving a soldier.
AGREEMENT_NOUNS = frozenset({
    "agreement", "treaty", "deal", "accord", "pact", "talks", "negotiation", "convention",
    "protocol", "alliance", "organization", "organisation", "court", "council", "union", "partnership",
})
# Nouns that sum up the act of a clause ("…, a move that was criticised").
SUMMARY_NOUNS = frozenset({"move", "decision", "step", "action", "act", "measure", "announcement"})
# Verbs of giving whose object, when it is a person, is an envoy sent, not aid.
GIVING_VERBS = frozenset({"send", "dispatch", "deliver", "provide"})
# Relations that, with a coordinated subject and no object, hold between the
# members ("Jordan and Britain agreed", "the two sides met").
MUTUAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "ASSAULT", "SUPPORT"})
# Prepositions that name both sides: "talks between Israel and Syria".
BETWEEN = "between"
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
# Prepositions after an object or in a complement that introduce whom an
# act is aimed at.
TARGETING_PREPS = frozenset({"against", "on", "upon", "to", "toward", "towards", "with", "into", "at", "from"})
# Governors that make a conflictual act a threat: "threatened to ban",
# "vowed to fight", and conflict announced in the future tense.
THREAT_HEADS = frozenset({"threaten", "vow", "swear", "warn", "pledge", "promise", "plan", "intend"})
# Getting ready to use force is posturing (PLOVER: MOBILIZE).
PREPARE_HEADS = frozenset({"prepare", "ready", "poise", "gear"})
# Reporting verbs whose complement with a deontic modal is a demand:
# "Russia said that Sudan must return the helicopter".
DEONTIC_MODALS = frozenset({"must", "should"})


def _particles(token: Token) -> frozenset[str]:
    """Words after a verb that select a phrasal sense ("call on", "pull
    out", "hold hostage"); a preposition heading a time ("on Tuesday") does
    not."""
    return frozenset(
        c.lower_
        for c in token.children
        if c.dep_ in ("prt", "oprd", "dobj", "advmod", "acomp")
        or (c.dep_ == "prep" and not any(_is_time(g) for g in c.children if g.dep_ == "pobj"))
    )


def _is_time(token: Token) -> bool:
    return token.like_num or token.lower_ in TIME_WORDS or token.lemma_.lower() in TIME_WORDS


def _modals(token: Token) -> set[str]:
    return {c.lower_ for c in token.children if c.dep_ == "aux"}


def _purpose_is_done(governor: Token) -> bool:
    """Whether a purpose clause on ``governor`` reports something done: "met
    … to sign an agreement" yes; "demanded a meeting to discuss …" (what is
    asked for) and "launched an assault to seize Tripoli" (the aim of an
    attack) no."""
    if REQUEST_HEADS.intersection(verb_lemmas(governor)):
        return False
    return not any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in ATTACK_NOUNS for c in governor.children
    )


def _subjects(token: Token) -> tuple[list[Token], list[Token], bool]:
    """Subjects of the clause of ``token``, climbing through complements.

    Returns:
        ``(subjects, governors, passive)``: the subject tokens, the words
        climbed through (for modality) and whether the subject found is a
        passive one.
    """
    current, governors = token, []
    for _ in range(4):
        subj = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        passive = [c for c in current.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        found, is_passive = (subj, False) if subj else (passive, True) if passive else ([], False)
        if found:
            if current.dep_ == "relcl" and found[0].lower_ in RELATIVE_PRONOUNS:
                found = [current.head]
            if current is not token and all(g.dep_ != "xcomp" for g in (token, *governors[:-1])):
                # "Turkey is under sanctions and was condemned by Egypt": a
                # passive conjunct shares the subject as its patient.
                is_passive = is_passive or any(c.dep_ == "auxpass" for c in token.children)
                return found, governors, is_passive and token.dep_ == "conj"
            return found, governors, is_passive
        if (
            current.dep_ == "advcl"
            and current.tag_ == "VBG"
            and current.head is not current
            and any(c.dep_ in SUBJECT_DEPS for c in current.head.children)
        ):
            # A participial clause shares the main clause's subject: "the US
            # announced a coalition, committing to send troops".
            current = current.head
            governors.append(current)
            continue
        if (
            current.dep_ == "pcomp"
            and current.tag_ == "VBG"
            and current.head.dep_ == "prep"
            and current.head.lower_ in GERUND_PREPS
        ):
            # "was forceful in blaming Iran", "by sending troops": a gerund
            # after a preposition shares the clause's subject ("arrested for
            # collaborating" is only alleged, so "for" is not followed).
            current = current.head.head
            governors.append(current)
            continue
        if (
            current.dep_ == "advcl"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
            and current.head is not current
            and _purpose_is_done(current.head)
        ):
            # A purpose clause shares the subject: "met for a summit … to
            # sign an agreement", "cited security concerns to impose bans".
            current = current.head
            governors.append(current)
            continue
        if current.dep_ in CLIMB_DEPS and current.head is not current:
            if current.dep_ == "xcomp" and any(c.dep_ in OBJECT_DEPS for c in current.head.children):
                # Object control ("invited the Turkish leader to visit",
                # "urged Iraq to cooperate"): the embedded event is only asked
                # for; the governing verb states it (see _object_controlled).
                return [], [*governors, current.head], False
            current = current.head
            governors.append(current)
            continue
        if current.dep_ == "relcl":
            return [current.head], governors, False
        break
    return [], governors, False


def _objects(token: Token, entry: LexEntry) -> list[Token]:
    found = []
    for child in token.children:
        if child.dep_ in OBJECT_DEPS:
            if child.pos_ == "ADP":
                # "providing intelligence to Macedonia" parsed with "to" as
                # the dative: the object is the preposition's.
                found.extend(c for c in child.children if c.dep_ == "pobj")
            else:
                found.append(child)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in entry.target_preps:
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def _object_targets(token: Token, entry: LexEntry, own: frozenset[str] = frozenset()) -> list[Argument]:
    """Actors the verb acts on: its objects, its target prepositions, and
    an object's own target ("threatened further action against Russia",
    "recalled its ambassador from Algiers"). With ``own`` (the source's
    states) and a relation that moves or withdraws something, the source's
    own people and forces are what is moved, not the target."""
    objects = _objects(token, entry)
    targets = arguments_of(objects)
    if own and entry.relation in MOVING_RELATIONS:
        targets = [
            t
            for t in targets
            if t.actor.state not in own
            or (t.actor.type == "country" and not t.indirect)
            or t.actor.sector not in STATE_SECTORS
        ]
    if not targets:
        targets = arguments_of(
            pobj
            for obj in objects
            for prep in obj.children
            if prep.dep_ == "prep" and prep.lower_ in TARGETING_PREPS
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        )
    return targets


def _complement_targets(clause: Token) -> list[Argument]:
    """Actors an embedded clause acts on ("threatened to break off relations
    with Congo", "offered to hand over to Great Britain …")."""
    objects = [c for c in clause.children if c.dep_ in OBJECT_DEPS]
    preps = [c for c in clause.children if c.dep_ == "prep" and c.lower_ in TARGETING_PREPS]
    preps += [p for o in objects for p in o.children if p.dep_ == "prep" and p.lower_ in TARGETING_PREPS]
    return arguments_of(objects) or arguments_of(
        pobj for prep in preps for pobj in prep.children if pobj.dep_ == "pobj"
    )


def _agents(token: Token) -> list[Token]:
    """The agent of a passive: "condemned by Egypt", and "condemned in a
    joint statement by Egypt, Greece and Cyprus"."""
    found = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not found:
        found = [
            agent
            for prep in token.children
            if prep.dep_ == "prep" and prep.lower_ in ("in", "through", "via")
            for pobj in prep.children
            if pobj.dep_ == "pobj" and pobj.lemma_ in STATEMENT_NOUNS
            for by in pobj.children
            if by.dep_ == "prep" and by.lower_ == "by"
            for agent in by.children
            if agent.dep_ == "pobj"
        ]
    return found


def _between(token: Token) -> list[Token]:
    return [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == BETWEEN
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _object_controlled(token: Token, governors: list[Token]) -> bool:
    """Whether the climb passed from an infinitive to a verb with an object
    of its own: "invited the Turkish leader to visit Russia"."""
    below = token
    for governor in governors:
        if below.dep_ == "xcomp" and below.head is governor and any(c.dep_ in OBJECT_DEPS for c in governor.children):
            return True
        below = governor
    return False


def _clause_blocked(token: Token, governors: list[Token]) -> bool:
    """Negated, hedged, conditional, object-controlled or otherwise not
    asserted."""
    if _object_controlled(token, governors):
        return True
    for word in (token, *governors):
        if is_negated(word):
            return True
        if _modals(word) & HEDGE_MODALS:
            return True
        if word.lemma_ in NONFACTUAL_HEADS:
            return True
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in word.children):
            return True
    if token.sent.text.rstrip().endswith("?"):
        return True
    return False


def _attribution(token: Token) -> Actor | None:
    """Who is reported as saying the clause of ``token``."""
    current = token
    for _ in range(4):
        if current.dep_ in ("ccomp", "parataxis") and current.head.lemma_ in SPEECH_VERBS:
            speakers = arguments_of(c for c in current.head.children if c.dep_ in SUBJECT_DEPS)
            return speakers[0].actor if speakers else None
        if current.head is current:
            return None
        current = current.head
    return None


def _relation(entry: LexEntry, token: Token, governors: list[Token]) -> str | None:
    """The PLOVER type after modality: refusals and failures to cooperate
    are REJECT, intended or future cooperation is AGREE, intended or future
    material conflict is THREATEN."""
    relation = entry.relation
    lemmas = {g.lemma_ for g in governors} | {g.lower_ for g in governors}
    if lemmas & REFUSAL_HEADS:
        return "REJECT"
    quad = PLOVER[relation].quad_class
    cooperative = quad in ("VC", "MC")
    if cooperative and lemmas & FAILURE_HEADS:
        return "REJECT"
    future = bool(_modals(token) & FUTURE_MODALS) or any(_modals(g) & FUTURE_MODALS for g in governors)
    if (future or lemmas & (INTENT_HEADS | THREAT_HEADS)) and any(_conditional(w) for w in (token, *governors)):
        # "will withdraw its force from Chad unless …", "threatened to stop
        # negotiations if …": an act made conditional is a threat.
        return "THREATEN"
    if relation == "RETREAT" and token.lemma_ in WITHDRAWAL_WORDS and (lemmas & ANNOUNCING_HEADS or future):
        # an announced or promised withdrawal of forces concedes (PLOVER)
        return "CONCEDE"
    if cooperative and relation != "AGREE" and (lemmas & INTENT_HEADS or future):
        return "AGREE"
    if quad == "MX" and lemmas & PREPARE_HEADS:
        return "MOBILIZE"
    if quad == "MX" and (lemmas & THREAT_HEADS or future):
        return "THREATEN"
    return relation


def _implicit_targets(doc: Doc, token: Token, relation: str, sources: list[Argument]) -> list[Argument]:
    """Targets left implicit. A protest with no target is against the state
    where it happens ("demonstrated in Serbia") or the protesters' own
    (PLOVER codes domestic protest); a conditional threat ("will withdraw
    … unless Israel rescinds …") is aimed at the condition's subject."""
    if relation == "ASSAULT" and any(c.dep_ in OBJECT_DEPS for c in token.children):
        # "bombers killed 23 people in Tel Aviv": victims with no state are
        # the place's.
        return _place_of(token)
    if relation == "PROTEST":
        against = _stance_targets(token)
        if against:
            # "a hunger strike in protest of the Russian government's refusal"
            return against
        places = arguments_of(
            g for c in token.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "outside") for g in c.children if g.dep_ == "pobj"
        )
        if places:
            return places
        return [domestic(doc, s) for s in sources if s.actor.state and not s.actor.state.startswith("ORG:")]
    if relation == "COERCE" or (relation == "SANCTION" and token.lemma_ in BANNING_WORDS):
        # Restrictions with no foreign target are domestic: "Algeria imposed
        # bans on niqabs", "police detained five journalists"; not when the
        # target is a name we could not resolve ("sanctions against
        # al-Muhandis").
        aimed = [c for c in token.children if c.dep_ in OBJECT_DEPS or c.dep_ == "nsubjpass"]
        aimed += [g for c in token.children if c.dep_ == "prep" and c.lower_ in TARGETING_PREPS for g in c.children]
        if any(a.pos_ == "PROPN" for a in aimed):
            return []
        if token.pos_ == "NOUN" or token.lemma_ in BANNING_WORDS or any(_people(a) for a in aimed):
            return [domestic(doc, s) for s in sources if s.actor.state and not s.actor.state.startswith("ORG:")]
    if relation in ("ACCUSE", "SUPPORT", "REJECT"):
        # "attacked the proclamation of … by Trump", "criticised the move by
        # Israel": the author of the act judged is the target.
        authors = [
            g
            for prep in token.subtree
            if prep.dep_ == "prep"
            and prep.lower_ == "by"
            and prep.head is not token
            and prep.head.pos_ in ("NOUN", "PROPN")
            and prep.i > token.i
            for g in prep.children
            if g.dep_ == "pobj"
        ]
        found = arguments_of(authors[:1])
        speakers = {a.actor.id for a in sources}
        return [] if any(a.actor.id in speakers for a in found) else found
    if relation == "CONSULT":
        # "leaders met in Niamey": the host of the meeting place.
        return arguments_of(
            g for c in token.children if c.dep_ == "prep" and c.lower_ in ("in", "at") for g in c.children if g.dep_ == "pobj"
        )
    if relation == "THREATEN":
        # "threatened to stop negotiations if the United States goes ahead"
        for clause in token.subtree:
            if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in clause.children):
                return arguments_of(c for c in clause.children if c.dep_ in SUBJECT_DEPS)
    return []


def domestic(doc: Doc, source: Argument) -> Argument:
    """The implicit target of a domestic act: the state of the source, or
    its people when the source is the state itself ("Algeria banned …")."""
    if source.actor.type == "country" and source.actor.id == source.actor.state:
        return population(doc, source)
    return state_argument(doc, source.actor.state, source)


def _stance_targets(token: Token) -> list[Argument]:
    """What a protest is against: "in protest of X", "in defiance of X"."""
    return arguments_of(
        g
        for w in token.subtree
        if w.dep_ == "prep" and w.lower_ in ("against", "over", "of", "at") and w.head.lemma_ in STANCE_NOUNS
        for g in w.children
        if g.dep_ == "pobj"
    )


def _all_domestic(sources: list[Argument], targets: list[Argument]) -> bool:
    """Whether every target is the state of one of the sources (the domestic
    default), so that each source is paired with its own state only."""
    states = {s.actor.state for s in sources}
    return all(t.actor.state in states for t in targets)


def _conditional(token: Token) -> bool:
    """Whether a condition hangs on the event: "will withdraw … unless …"."""
    return any(
        clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in clause.children)
        for clause in token.children
    )


def _place_of(token: Token, extra: list[Token] = ()) -> list[Argument]:
    """The state where an act happened: "in Beirut", "outside the Iraqi city
    of Basra", "in a car bomb explosion in eastern Beirut", also on the act's
    agent or subject ("a minefield explosion near Samarra killed …")."""
    holders = [token, *extra] + [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    # "killed 23 people when they blew themselves up in Tel Aviv": a
    # "when" clause tells the same event
    holders += [
        c for c in token.children
        if c.dep_ == "advcl" and any(m.dep_ in ("advmod", "mark") and m.lower_ in ("when", "as", "while") for m in c.children)
    ]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS:
                # the first place named anywhere in the phrase
                for word in prep.subtree:
                    if word.pos_ == "PROPN" and word.dep_ in ("pobj", "appos", "compound", "conj", "npadvmod"):
                        found = [a for a in actors_at(word, depth=0) if a.actor.type == "country"]
                        if found:
                            return [Argument(a.actor, a.start, a.end, indirect=True) for a in found]
    return []


def _violent_cause(token: Token, subjects: list[Token]) -> bool:
    """Whether a killing names a weapon or an attack ("a car bomb explosion",
    "gunmen"), not a disaster ("an earthquake killed …")."""
    words = [*token.subtree] + [w for s in subjects for w in s.subtree]
    return any(w.lemma_.lower() in VIOLENT_CAUSES for w in words)


def _counted(token: Token) -> Token:
    """The noun a quantity counts: "hundreds of thousands of people" → people."""
    for _ in range(3):
        if token.lemma_.lower() not in QUANTITY_NOUNS:
            break
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:
            break
        token = pobj
    return token


def _civilian(subjects: list[Token], sources: list[Argument]) -> bool:
    if any(_counted(s).lemma_.lower() in PROTESTER_NOUNS for s in subjects):
        return True
    if any(is_population(s, a) for s in subjects for a in sources):
        return True
    return bool(sources) and all(a.actor.sector in CIVILIAN_SECTORS for a in sources)


def _non_state(sources: list[Argument]) -> bool:
    """Whether every source is outside a state's organs (rebels, parties,
    civilians): their blockades are protests."""
    return bool(sources) and all(
        a.actor.sector not in STATE_SECTORS and not a.actor.id.startswith("ORG:") for a in sources
    )


def _verbal_noun(token: Token) -> bool:
    """A word tagged as a noun that the parse uses as a verb: "Russian bombs
    target Kherson" (with a subject and an object of its own)."""
    return (
        token.pos_ == "NOUN"
        and any(c.dep_ in SUBJECT_DEPS for c in token.children)
        and any(c.dep_ in OBJECT_DEPS for c in token.children)
    )


def _reciprocal(token: Token) -> bool:
    """Whether the object is "each other", "one another" or "the other"."""
    heads = [c for c in token.children if c.dep_ in OBJECT_DEPS]
    heads += [g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for head in heads:
        if head.lower_ in ("other", "another"):
            before = {c.lower_ for c in head.children if c.i < head.i} | {head.doc[head.i - 1].lower_}
            if before & {"each", "one", "the"}:
                return True
    return False


def _own_states(sources: list[Argument]) -> frozenset[str]:
    """States whose forces and officials the sources command: a state or
    its organs do, rebels and civilians do not ("rebels will release the
    prime minister" targets him)."""
    return frozenset(
        a.actor.state for a in sources if a.actor.state and (a.actor.sector in STATE_SECTORS or a.actor.type == "country")
    )


def _people(token: Token) -> bool:
    """Whether a phrase names people (the usual object of arrests and
    detentions), not things ("captured a helicopter")."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        token = token.head.head  # "a helicopter that was captured"
    head = _counted(token)
    return (
        head.lemma_.lower() in PEOPLE_NOUNS
        or head.pos_ in ("PRON", "NUM") and head.lower_ not in RELATIVE_PRONOUNS
        or actor_at(head) is not None
    )


def _military(token: Token) -> bool:
    """Whether a noun names armed force: troops, warships, missiles, or a
    military actor."""
    if token.lemma_.lower() in MILITARY_NOUNS:
        return True
    arg = actor_at(token, depth=0)
    return arg is not None and arg.actor.sector == "MIL"


def _sends_own(subjects: list[Token], objects: list[Token]) -> bool:
    """ "sent Secretary of State Pompeo", "Netanyahu sends Mossad": sending
    one's own people or agencies is not aid to them."""
    own = {a.actor.state for a in arguments_of(subjects)}
    for obj in objects:
        arg = actor_at(obj)
        if arg is not None and not arg.indirect and (arg.actor.type == "person" or arg.actor.state in own):
            return True
    return False


def _purpose_targets(token: Token) -> list[Argument]:
    """Targets of a purpose clause: "launched his assault to seize the
    capital Tripoli" aims at Tripoli."""
    for clause in token.children:
        if clause.dep_ in ("advcl", "acl", "xcomp") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
        ):
            found = _complement_targets(clause)
            if found:
                return found
    return []


def _summary_referent(noun: Token) -> list[Argument]:
    """The actor of the act a summary noun stands for: in "the US decided to
    withdraw troops, a move that was criticised by …", the move is the US's."""
    if noun.lemma_ not in SUMMARY_NOUNS:
        return []
    head = noun.head
    for _ in range(4):
        if head.pos_ == "VERB":
            subjects, _, passive = _subjects(head)
            return [] if passive else arguments_of(subjects)
        if head.head is head:
            break
        head = head.head
    return []


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
        if clause.dep_ != "ccomp" or not _modals(clause) & DEONTIC_MODALS or is_negated(clause):
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
        if token.pos_ not in ("VERB", "AUX") and not _verbal_noun(token):
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
            subjects, governors, passive = _subjects(token)
            if not passive and not _clause_blocked(token, governors):
                for source, target in pairs(arguments_of(subjects), targets):
                    event = make_event(
                        doc, source=source, relation=relation, target=target, trigger=token,
                        confidence=0.6, extractor="dependency", attribution=_attribution(token),
                    )
                    if event is not None:
                        yield event
            continue
        entry = lexicon.lookup_any(verb_lemmas(token), "VERB", _particles(token))
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
        subjects, governors, passive = _subjects(token)
        if _clause_blocked(token, governors):
            continue
        relation = _relation(entry, token, governors)
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
        if entry.relation == "MOBILIZE" and objects and not any(_military(o) for o in objects):
            # "mobilized pressure groups", "deployed its diplomats": not force
            continue
        if token.lemma_ in SETTLEMENT_VERBS and not any(o.lemma_.lower() in SETTLEMENTS for o in objects):
            # "reached a deal" is an agreement; "reached 40 °C" is not
            continue
        if relation == "ASSAULT" and any(o.lemma_ in ABSTRACT_OBJECTS for o in objects):
            relation = "ACCUSE"
        if token.lemma_ in GIVING_VERBS and _sends_own(subjects, objects):
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
                issuer, _, issuer_passive = _subjects(head.head)
                subjects = issuer if not issuer_passive else _agents(head.head)
            else:
                subjects = [head]
            passive = False
            sources = arguments_of(subjects)
            targets = _object_targets(token, entry, _own_states(sources))
        elif passive or token.dep_ == "acl":
            # "X was criticised by Y", "a move criticised by Y": the agent acts.
            sources = arguments_of(_agents(token))
            patient = [token.head] if token.dep_ == "acl" else subjects
            targets = arguments_of(patient) or _object_targets(token, entry)
            if not targets and token.dep_ in ("relcl", "acl"):
                targets = _summary_referent(token.head)
        else:
            sources = arguments_of(subjects)
            targets = _object_targets(token, entry, _own_states(sources))
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
                    targets = targets or _complement_targets(child)
                    if targets:
                        confidence -= 0.15
                        break
        if not sources and relation == "ASSAULT" and _violent_cause(token, subjects):
            # Violence with no named perpetrator is coded to the state where
            # it happened: "killed by a bomb outside the Iraqi city of Basra",
            # "a minefield explosion near Samarra killed two Iraqi youths";
            # victims with no state of their own are that state's people.
            sources = _place_of(token, [] if passive else subjects)
            if sources and not targets and (passive or any(c.dep_ in OBJECT_DEPS for c in token.children)):
                targets = [population(doc, a) for a in sources]
            confidence -= 0.2
        if (
            not sources
            and not passive
            and (relation in ("PROTEST", "COERCE") or token.lemma_ == "protest")
            and any(_counted(t).lemma_.lower() in PROTESTER_NOUNS for t in subjects)
        ):
            # "demonstrators protesting election results in Monrovia":
            # protesters with no state named are the people of the place.
            place = _place_of(token, [*subjects, *(c for c in token.children if c.dep_ in OBJECT_DEPS)])
            sources = [population(doc, a) for a in place]
        if not sources:
            continue
        if (
            (token.lemma_ in BLOCKING_VERBS and relation == "COERCE" or token.lemma_ == "protest" and relation == "ACCUSE")
            and not passive
            and (_civilian(subjects, sources) or token.lemma_ in BLOCKING_VERBS and _non_state(sources))
        ):
            # "students blocked roads", "demonstrators protested": civilians
            # acting against their state protest (PLOVER: PROTEST).
            relation = "PROTEST"
            sources = [population(doc, a) if a.actor.type == "country" else a for a in sources]
            if all(t.indirect for t in targets):
                # the place blocked ("streets in Hong Kong") gives way to what
                # the protest defies
                targets = _stance_targets(token) or targets
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
            targets = _implicit_targets(doc, token, relation, sources)
            if relation == "SANCTION" and targets and all(t.actor.state in {s.actor.state for s in sources} for t in targets):
                # a ban or suspension at home restricts (PLOVER: COERCE)
                relation = "COERCE"
        if not targets and len(sources) > 1 and _reciprocal(token):
            # "Hezbollah and Israel accuse each other": both directions
            targets = sources
        attribution = _attribution(token)
        emitted = list(pairs(sources, targets))
        if implicit and relation in ("COERCE", "SANCTION", "PROTEST") and _all_domestic(sources, targets):
            # domestic: each source acts on its own state
            emitted = [(s, t) for s, t in emitted if s.actor.state == t.actor.state]
        if entry.relation in MUTUAL and "with" in entry.target_preps and len(sources) > 1:
            # Only verbs that take a partner ("agree with", "meet with",
            # "clash with") hold between coordinated subjects too.
            members = sources + ([] if emitted else arguments_of(_between(token)))
            emitted += [p for p in pairs(members, members) if p not in emitted]
        elif not emitted and entry.relation in MUTUAL and "with" in entry.target_preps:
            members = sources + arguments_of(_between(token))
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
