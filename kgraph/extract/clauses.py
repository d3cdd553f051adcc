"""Clause machinery shared by the rule extractors: what the parse says
about the clause of a trigger word.

Subjects (climbing through complements, participles, gerunds and purpose
clauses), objects and particles, passive agents, and the checks that decide
whether a clause asserts its event at all (negation, hedging modals,
conditions, questions, object control) and which PLOVER type modality turns
it into (refusal, intention, threat).
"""

from __future__ import annotations

from spacy.tokens import Token

from ..vocab import PLOVER
from .lexicon import LexEntry
from .rules import OBJECT_DEPS, PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, is_negated, verb_lemmas

__all__ = [
    "CLIMB_DEPS",
    "INTENT_HEADS",
    "WITHDRAWAL_WORDS",
    "ANNOUNCING_HEADS",
    "REFUSAL_HEADS",
    "NONFACTUAL_HEADS",
    "FAILURE_HEADS",
    "HEDGE_MODALS",
    "FUTURE_MODALS",
    "CONDITIONAL_MARKS",
    "STATEMENT_NOUNS",
    "REQUEST_HEADS",
    "ATTACK_NOUNS",
    "GERUND_PREPS",
    "TIME_WORDS",
    "ORDERING_VERBS",
    "AGREEMENT_NOUNS",
    "BETWEEN",
    "RELATIVE_PRONOUNS",
    "THREAT_HEADS",
    "PREPARE_HEADS",
    "verb_particles",
    "is_time",
    "modals",
    "purpose_is_done",
    "clause_subjects",
    "verb_objects",
    "passive_agents",
    "between_parties",
    "object_controlled",
    "not_asserted",
    "modal_relation",
    "has_condition",
    "is_verbal_noun",
    "is_reciprocal",
]

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
# Nouns of speech that carry the agent of a passive ("condemned in a
# statement by Egypt").
STATEMENT_NOUNS = frozenset({
    "statement", "declaration", "communique", "communiqué", "resolution", "letter", "speech",
    "report", "press", "appeal", "message", "note", "decree",
})
# Verbs whose purpose clauses describe what is asked for.
REQUEST_HEADS = frozenset({
    "demand", "ask", "urge", "call", "seek", "request", "press", "push", "appeal", "lobby",
    "stage", "hold", "rally", "march", "protest", "strike",
})
# Nouns of attack whose purpose clauses name their aim.
ATTACK_NOUNS = frozenset({"assault", "attack", "offensive", "operation", "campaign", "raid", "invasion", "push"})
# Prepositions through which a gerund shares its clause's subject.
GERUND_PREPS = frozenset({"in", "by", "after", "while", "when", "before", "through"})
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
# Prepositions that name both sides: "talks between Israel and Syria".
BETWEEN = "between"
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
# Governors that make a conflictual act a threat: "threatened to ban",
# "vowed to fight", and conflict announced in the future tense.
THREAT_HEADS = frozenset({"threaten", "vow", "swear", "warn", "pledge", "promise", "plan", "intend"})
# Getting ready to use force is posturing (PLOVER: MOBILIZE).
PREPARE_HEADS = frozenset({"prepare", "ready", "poise", "gear"})


def verb_particles(token: Token) -> frozenset[str]:
    """Words after a verb that select a phrasal sense ("call on", "pull
    out", "hold hostage"); a preposition heading a time ("on Tuesday") does
    not."""
    return frozenset(
        c.lower_
        for c in token.children
        if c.dep_ in ("prt", "oprd", "dobj", "advmod", "acomp")
        or (c.dep_ == "prep" and not any(is_time(g) for g in c.children if g.dep_ == "pobj"))
    )


def is_time(token: Token) -> bool:
    """Whether a word names a time ("Tuesday", "last week", "2019"), not a
    place or an actor."""
    return token.like_num or token.lower_ in TIME_WORDS or token.lemma_.lower() in TIME_WORDS


def modals(token: Token) -> set[str]:
    """The auxiliaries of ``token``, lower-cased ("will", "could", "to")."""
    return {c.lower_ for c in token.children if c.dep_ == "aux"}


def purpose_is_done(governor: Token) -> bool:
    """Whether a purpose clause on ``governor`` reports something done: "met
    … to sign an agreement" yes; "demanded a meeting to discuss …" (what is
    asked for) and "launched an assault to seize Tripoli" (the aim of an
    attack) no."""
    if REQUEST_HEADS.intersection(verb_lemmas(governor)):
        return False
    return not any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in ATTACK_NOUNS for c in governor.children
    )


def clause_subjects(token: Token) -> tuple[list[Token], list[Token], bool]:
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
            and purpose_is_done(current.head)
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
                # for; the governing verb states it (see object_controlled).
                return [], [*governors, current.head], False
            current = current.head
            governors.append(current)
            continue
        if current.dep_ == "relcl":
            return [current.head], governors, False
        break
    return [], governors, False


def verb_objects(token: Token, entry: LexEntry) -> list[Token]:
    """The objects of a verb: its direct and dative objects and the objects
    of the prepositions its lexicon entry takes as targets."""
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


def passive_agents(token: Token) -> list[Token]:
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


def between_parties(token: Token) -> list[Token]:
    """The parties named after "between": "talks between Israel and Syria"."""
    return [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == BETWEEN
        for g in c.children
        if g.dep_ == "pobj"
    ]


def object_controlled(token: Token, governors: list[Token]) -> bool:
    """Whether the climb passed from an infinitive to a verb with an object
    of its own: "invited the Turkish leader to visit Russia"."""
    below = token
    for governor in governors:
        if below.dep_ == "xcomp" and below.head is governor and any(c.dep_ in OBJECT_DEPS for c in governor.children):
            return True
        below = governor
    return False


def not_asserted(token: Token, governors: list[Token]) -> bool:
    """Negated, hedged, conditional, object-controlled or otherwise not
    asserted."""
    if object_controlled(token, governors):
        return True
    for word in (token, *governors):
        if is_negated(word):
            return True
        if modals(word) & HEDGE_MODALS:
            return True
        if word.lemma_ in NONFACTUAL_HEADS:
            return True
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in word.children):
            return True
    if token.sent.text.rstrip().endswith("?"):
        return True
    return False


def modal_relation(entry: LexEntry, token: Token, governors: list[Token]) -> str | None:
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
    future = bool(modals(token) & FUTURE_MODALS) or any(modals(g) & FUTURE_MODALS for g in governors)
    if (future or lemmas & (INTENT_HEADS | THREAT_HEADS)) and any(has_condition(w) for w in (token, *governors)):
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


def has_condition(token: Token) -> bool:
    """Whether a condition hangs on the event: "will withdraw … unless …"."""
    return any(
        clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in clause.children)
        for clause in token.children
    )


def is_verbal_noun(token: Token) -> bool:
    """A word tagged as a noun that the parse uses as a verb: "Russian bombs
    target Kherson" (with a subject and an object of its own)."""
    return (
        token.pos_ == "NOUN"
        and any(c.dep_ in SUBJECT_DEPS for c in token.children)
        and any(c.dep_ in OBJECT_DEPS for c in token.children)
    )


def is_reciprocal(token: Token) -> bool:
    """Whether the object is "each other", "one another" or "the other"."""
    heads = [c for c in token.children if c.dep_ in OBJECT_DEPS]
    heads += [g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for head in heads:
        if head.lower_ in ("other", "another"):
            before = {c.lower_ for c in head.children if c.i < head.i} | {head.doc[head.i - 1].lower_}
            if before & {"each", "one", "the"}:
                return True
    return False
