"""Argument finding shared by the rule extractors: who is the source and
who the target of an event.

Object and complement targets, purpose targets, the speaker a clause is
attributed to, targets left implicit (domestic acts, protests, the place of
an attack), and the tests on a phrase that decide them (people, armed force,
civilians, a state's own organs).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ..model import Actor
from .clauses import CONDITIONAL_MARKS, RELATIVE_PRONOUNS, clause_subjects, verb_objects
from .lexicon import LexEntry
from .rules import (
    OBJECT_DEPS,
    QUANTITY_NOUNS,
    SUBJECT_DEPS,
    Argument,
    actor_at,
    actors_at,
    arguments_of,
    is_population,
    population,
    state_argument,
)

__all__ = [
    "SPEECH_VERBS",
    "VIOLENT_CAUSES",
    "PLACE_PREPS",
    "CIVILIAN_SECTORS",
    "PROTESTER_NOUNS",
    "STATE_SECTORS",
    "MOVING_RELATIONS",
    "PEOPLE_NOUNS",
    "MILITARY_NOUNS",
    "STANCE_NOUNS",
    "BANNING_WORDS",
    "SUMMARY_NOUNS",
    "MUTUAL",
    "TARGETING_PREPS",
    "object_targets",
    "complement_targets",
    "attributed_to",
    "implicit_targets",
    "domestic",
    "stance_targets",
    "all_domestic",
    "place_of",
    "has_violent_cause",
    "counted_noun",
    "are_civilian",
    "are_non_state",
    "own_states",
    "names_people",
    "names_force",
    "sends_own",
    "purpose_targets",
    "summary_referent",
]

SPEECH_VERBS = frozenset({
    "say", "tell", "announce", "state", "declare", "add", "claim", "report", "confirm",
    "insist", "note", "stress", "reiterate", "write", "tweet", "argue", "explain",
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
# Sectors of a state's own organs (what a state moves, sends or recalls).
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD", None})
# Events whose object is what the source moves or gives.
MOVING_RELATIONS = frozenset({"RETREAT", "MOBILIZE", "AID", "CONCEDE", "AGREE", "SANCTION"})
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
# "in protest of X", "in defiance of X": X is what a protest is against.
STANCE_NOUNS = frozenset({"protest", "defiance", "opposition", "outrage", "anger"})
# Restrictions that, aimed at home, coerce (PLOVER: COERCE).
BANNING_WORDS = frozenset({"ban", "outlaw", "prohibit", "bar", "censor", "block", "forbid"})
# Nouns that sum up the act of a clause ("…, a move that was criticised").
SUMMARY_NOUNS = frozenset({"move", "decision", "step", "action", "act", "measure", "announcement"})
# Relations that, with a coordinated subject and no object, hold between the
# members ("Jordan and Britain agreed", "the two sides met").
MUTUAL = frozenset({"AGREE", "CONSULT", "COOPERATE", "ASSAULT", "SUPPORT"})
# Prepositions after an object or in a complement that introduce whom an
# act is aimed at.
TARGETING_PREPS = frozenset({"against", "on", "upon", "to", "toward", "towards", "with", "into", "at", "from"})


def object_targets(token: Token, entry: LexEntry, own: frozenset[str] = frozenset()) -> list[Argument]:
    """Actors the verb acts on: its objects, its target prepositions, and
    an object's own target ("threatened further action against Russia",
    "recalled its ambassador from Algiers"). With ``own`` (the source's
    states) and a relation that moves or withdraws something, the source's
    own people and forces are what is moved, not the target."""
    objects = verb_objects(token, entry)
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


def complement_targets(clause: Token) -> list[Argument]:
    """Actors an embedded clause acts on ("threatened to break off relations
    with Congo", "offered to hand over to Great Britain …")."""
    objects = [c for c in clause.children if c.dep_ in OBJECT_DEPS]
    preps = [c for c in clause.children if c.dep_ == "prep" and c.lower_ in TARGETING_PREPS]
    preps += [p for o in objects for p in o.children if p.dep_ == "prep" and p.lower_ in TARGETING_PREPS]
    return arguments_of(objects) or arguments_of(
        pobj for prep in preps for pobj in prep.children if pobj.dep_ == "pobj"
    )


def attributed_to(token: Token) -> Actor | None:
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


def implicit_targets(doc: Doc, token: Token, relation: str, sources: list[Argument]) -> list[Argument]:
    """Targets left implicit. A protest with no target is against the state
    where it happens ("demonstrated in Serbia") or the protesters' own
    (PLOVER codes domestic protest); a conditional threat ("will withdraw
    … unless Israel rescinds …") is aimed at the condition's subject."""
    if relation == "ASSAULT" and any(c.dep_ in OBJECT_DEPS for c in token.children):
        # "bombers killed 23 people in Tel Aviv": victims with no state are
        # the place's.
        return place_of(token)
    if relation == "PROTEST":
        against = stance_targets(token)
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
        if token.pos_ == "NOUN" or token.lemma_ in BANNING_WORDS or any(names_people(a) for a in aimed):
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


def stance_targets(token: Token) -> list[Argument]:
    """What a protest is against: "in protest of X", "in defiance of X"."""
    return arguments_of(
        g
        for w in token.subtree
        if w.dep_ == "prep" and w.lower_ in ("against", "over", "of", "at") and w.head.lemma_ in STANCE_NOUNS
        for g in w.children
        if g.dep_ == "pobj"
    )


def all_domestic(sources: list[Argument], targets: list[Argument]) -> bool:
    """Whether every target is the state of one of the sources (the domestic
    default), so that each source is paired with its own state only."""
    states = {s.actor.state for s in sources}
    return all(t.actor.state in states for t in targets)


def place_of(token: Token, extra: list[Token] = ()) -> list[Argument]:
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


def has_violent_cause(token: Token, subjects: list[Token]) -> bool:
    """Whether a killing names a weapon or an attack ("a car bomb explosion",
    "gunmen"), not a disaster ("an earthquake killed …")."""
    words = [*token.subtree] + [w for s in subjects for w in s.subtree]
    return any(w.lemma_.lower() in VIOLENT_CAUSES for w in words)


def counted_noun(token: Token) -> Token:
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


def are_civilian(subjects: list[Token], sources: list[Argument]) -> bool:
    """Whether the sources are civilians: protesters, workers or students by
    their noun, a state's population, or actors of civilian sectors only."""
    if any(counted_noun(s).lemma_.lower() in PROTESTER_NOUNS for s in subjects):
        return True
    if any(is_population(s, a) for s in subjects for a in sources):
        return True
    return bool(sources) and all(a.actor.sector in CIVILIAN_SECTORS for a in sources)


def are_non_state(sources: list[Argument]) -> bool:
    """Whether every source is outside a state's organs (rebels, parties,
    civilians): their blockades are protests."""
    return bool(sources) and all(
        a.actor.sector not in STATE_SECTORS and not a.actor.id.startswith("ORG:") for a in sources
    )


def own_states(sources: list[Argument]) -> frozenset[str]:
    """States whose forces and officials the sources command: a state or
    its organs do, rebels and civilians do not ("rebels will release the
    prime minister" targets him)."""
    return frozenset(
        a.actor.state for a in sources if a.actor.state and (a.actor.sector in STATE_SECTORS or a.actor.type == "country")
    )


def names_people(token: Token) -> bool:
    """Whether a phrase names people (the usual object of arrests and
    detentions), not things ("captured a helicopter")."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        token = token.head.head  # "a helicopter that was captured"
    head = counted_noun(token)
    return (
        head.lemma_.lower() in PEOPLE_NOUNS
        or head.pos_ in ("PRON", "NUM") and head.lower_ not in RELATIVE_PRONOUNS
        or actor_at(head) is not None
    )


def names_force(token: Token) -> bool:
    """Whether a noun names armed force: troops, warships, missiles, or a
    military actor."""
    if token.lemma_.lower() in MILITARY_NOUNS:
        return True
    arg = actor_at(token, depth=0)
    return arg is not None and arg.actor.sector == "MIL"


def sends_own(subjects: list[Token], objects: list[Token]) -> bool:
    """ "sent Secretary of State Pompeo", "Netanyahu sends Mossad": sending
    one's own people or agencies is not aid to them."""
    own = {a.actor.state for a in arguments_of(subjects)}
    for obj in objects:
        arg = actor_at(obj)
        if arg is not None and not arg.indirect and (arg.actor.type == "person" or arg.actor.state in own):
            return True
    return False


def purpose_targets(token: Token) -> list[Argument]:
    """Targets of a purpose clause: "launched his assault to seize the
    capital Tripoli" aims at Tripoli."""
    for clause in token.children:
        if clause.dep_ in ("advcl", "acl", "xcomp") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
        ):
            found = complement_targets(clause)
            if found:
                return found
    return []


def summary_referent(noun: Token) -> list[Argument]:
    """The actor of the act a summary noun stands for: in "the US decided to
    withdraw troops, a move that was criticised by …", the move is the US's."""
    if noun.lemma_ not in SUMMARY_NOUNS:
        return []
    head = noun.head
    for _ in range(4):
        if head.pos_ == "VERB":
            subjects, _, passive = clause_subjects(head)
            return [] if passive else arguments_of(subjects)
        if head.head is head:
            break
        head = head.head
    return []
