"""Pronouns and nominals referring back ("he", "it", "they", "the country")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Actor
from .dictionary import NON_ACTOR_SECTORS, _composite, _genders
from .phrase import _LOCATIVE_PREPS
from .state import _DocState, _actor_at

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# Pronouns and nominals that refer back to an actor named before.
PERSON_PRONOUNS = {"he", "she", "him"}


STATE_NOMINALS = {"country", "nation"}


# "it"/"its" name a state or organisation, "they"/"them"/"their" a plural or
# coordinated actor: "Uganda said it had paid", "the rebels said they would".
SINGULAR_PRONOUNS = {"it", "its"}


PLURAL_PRONOUNS = {"they", "them", "their"}


_OBJECT_PRONOUNS = {"them"}


# Every word that may take its actor from an earlier sentence.
REFERRING_WORDS = frozenset(PERSON_PRONOUNS | STATE_NOMINALS | SINGULAR_PRONOUNS | PLURAL_PRONOUNS)


# Dependencies that open a clause under another: a pronoun there may refer to
# the subject above ("Nigeria announced that it will withdraw").
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "conj"}


_SUBJECT_DEPS = {"nsubj", "nsubjpass"}


# Verbs climbed from a pronoun looking for its antecedent.
_CLIMB_LIMIT = 4


# Sentences back that a pronoun or nominal may reach.
PRONOUN_WINDOW = 3


NOMINAL_WINDOW = 5


def _unknown_name_between(state: _DocState, start: int, end: int) -> bool:
    """Whether a proper name no dictionary knows stands between ``start``
    and ``end`` (two capitalised proper nouns in a row, not a mention)."""
    doc = state.doc
    for i in range(start, end - 1):
        a, b = doc[i], doc[i + 1]
        if (
            a.pos_ == "PROPN" and b.pos_ == "PROPN" and a.is_title and b.is_title
            and not state.covered(i, i + 1) and not state.covered(i + 1, i + 2)
        ):
            return True
    return False


def _gender(actor: Actor) -> str | None:
    """ "F", "M" or ``None`` (unknown) for a person: listed people by the
    list, others by a given name only women or only men of the lists bear."""
    people, given = _genders()
    if actor.id in people:
        return people[actor.id]
    words = actor.label.split()
    return given.get(words[0]) if len(words) > 1 else None


def _apply_references(state: _DocState) -> None:
    """Pronouns ("he") and nominals ("the country") referring back."""
    doc = state.doc
    ordered = sorted(state.spans.items())
    sentences = {t.i: n for n, sent in enumerate(doc.sents) for t in sent}
    additions = []
    for token in doc:
        if state.covered(token.i, token.i + 1):
            continue
        sent = sentences[token.i]
        if token.lower_ in PERSON_PRONOUNS and token.pos_ == "PRON":
            wanted = "F" if token.lower_ == "she" else "M"
            candidates = [
                (s, e, a) for (s, e), a in ordered
                if e <= token.i
                and a.type == "person"
                and sent - sentences[s] <= PRONOUN_WINDOW
                and _gender(a) in (wanted, None)
            ]
            if not candidates:
                continue
            if _unknown_name_between(state, candidates[-1][1], token.i):
                # "China releases pastor Jin Mingri … after detaining him":
                # an unknown person named in between is the likelier antecedent
                continue
            # The last subject before it, else the last person named.
            subjects = [c for c in candidates if doc[c[1] - 1].dep_ in ("nsubj", "nsubjpass")]
            pick = (subjects or candidates)[-1]
            if subjects and candidates[-1][0] > subjects[-1][0] and sentences[candidates[-1][0]] == sent:
                pick = subjects[-1]
            additions.append((token.i, token.i + 1, pick[2]))
        elif token.lower_ in STATE_NOMINALS and token.tag_ == "NN":
            det = [c for c in token.children if c.dep_ == "det" and c.lower_ == "the"]
            if not det:
                continue
            candidates = [
                a for (s, e), a in ordered
                if e <= token.i and a.type == "country" and sent - sentences[s] <= NOMINAL_WINDOW
            ]
            if candidates:
                base = state.resolver.actor(candidates[-1].country or candidates[-1].id) or candidates[-1]
                additions.append((det[0].i, token.i + 1, base))
    for start, end, actor in additions:
        if not state.covered(start, end):
            state.spans[(start, end)] = actor


def _np_actor(state: _DocState, head: Token) -> Actor | None:
    """The state-bound actor a noun phrase headed by ``head`` names: its own
    mention, or a role noun owned by a modifier or located by a preposition
    ("the rebels in Ivory Coast" → ``CIV.REB``)."""
    own = _actor_at(state, head.i)
    if own is not None:
        return own if own.state else None
    role = state.resolver.role(head.text) or state.resolver.role(head.lemma_)
    if role is None or role.sector in NON_ACTOR_SECTORS:
        return None
    for child in head.children:
        owners = []
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            owners = [_actor_at(state, child.i)]
        elif child.dep_ == "prep" and child.lower_ in _LOCATIVE_PREPS | {"of"}:
            owners = [_actor_at(state, c.i) for c in child.children if c.dep_ == "pobj"]
        for owner in owners:
            if owner is not None and owner.type != "person" and owner.state:
                if owner.type == "country" and owner.country:
                    return _composite(state.resolver, owner.country, role.sector)
                return owner
    return None


def _is_expletive(token: Token) -> bool:
    """ "it" standing for a clause or the weather: "it is clear that", "it rained"."""
    if token.dep_ == "expl":
        return True
    head = token.head
    if head.lemma_ in ("seem", "appear", "happen", "rain", "snow"):
        return True
    if head.lemma_ in ("be", "become", "remain", "make", "take"):
        return any(c.dep_ in ("ccomp", "csubj") for c in head.children)
    return False


def _agrees(head: Token, actor: Actor, *, plural: bool) -> bool:
    """Whether an antecedent headed by ``head`` fits "it" or "they"."""
    if actor.type == "person" or not actor.state:
        return False
    many = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
    if plural:
        return many
    # "the Philippines said it", "the United States said it": plural in form.
    return not many or (actor.type == "country" and not any(c.dep_ == "conj" for c in head.children))


def _antecedent_actor(state: _DocState, subject: Token, *, plural: bool) -> Actor | None:
    """The actor ``subject`` names if a pronoun of this number can take it.
    Coordinated subjects must name one state ("Serb police and soldiers")."""
    if subject.lower_ in SINGULAR_PRONOUNS | PLURAL_PRONOUNS:
        actor = _actor_at(state, subject.i)
        same_number = (subject.lower_ in PLURAL_PRONOUNS) == plural
        return actor if actor is not None and same_number else None
    actor = _np_actor(state, subject)
    if actor is None or not _agrees(subject, actor, plural=plural):
        return None
    for conjunct in subject.conjuncts:
        other = _np_actor(state, conjunct)
        if other is None or other.state != actor.state:
            return None
        if other.id != actor.id:
            actor = _composite(state.resolver, actor.country, None) if actor.country else actor
    return actor


def _subject_of(state: _DocState, verb: Token, before: int, exclude: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and child.i < before and exclude not in list(child.subtree):
            return child
    return None


def _pronoun_antecedent(state: _DocState, token: Token, sentences: list[Span]) -> Actor | None:
    """The actor "it"/"they" refers to: the subject of a clause above it in
    the same sentence ("Uganda said it had paid"), else, for a subject
    pronoun, the subject of the previous sentence. The nearest subject
    decides; if it names no actor of the right number, nothing does."""
    plural = token.lower_ in PLURAL_PRONOUNS
    # A non-reflexive object is never the subject of its own clause:
    # "the police beat them".
    crossed = token.dep_ not in ("dobj", "dative", "pobj", "obj") and token.lower_ not in _OBJECT_PRONOUNS
    node, verbs = token, 0
    while node.head.i != node.i and verbs < _CLIMB_LIMIT:
        if node.dep_ in _CLAUSE_DEPS - {"conj"}:
            crossed = True
        node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            continue
        verbs += 1
        subject = _subject_of(state, node, token.i, token)
        if subject is None or not crossed:
            continue
        return _antecedent_actor(state, subject, plural=plural)
    subject_like = token.dep_ in _SUBJECT_DEPS or (token.dep_ == "poss" and token.head.dep_ in _SUBJECT_DEPS)
    if not subject_like or node.head.i != node.i:
        return None
    number = next(n for n, sent in enumerate(sentences) if sent.start <= token.i < sent.end)
    if number == 0:
        return None
    root = sentences[number - 1].root
    subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None:
        return None
    actor = _antecedent_actor(state, subject, plural=plural)
    if actor is not None and plural:
        # "Russian officials met Chinese diplomats. They agreed": both, maybe.
        states = {a.state for (s, e), a in state.spans.items() if sentences[number - 1].start <= s < root.sent.end}
        if states - {actor.state, None}:
            return None
    return actor


def _apply_pronouns(state: _DocState) -> None:
    """ "it"/"its" and "they"/"them"/"their" referring back to a state, an
    organisation or a plural group (see :func:`_pronoun_antecedent`)."""
    doc = state.doc
    sentences = list(doc.sents)
    for token in doc:
        if token.lower_ not in SINGULAR_PRONOUNS | PLURAL_PRONOUNS or token.pos_ not in ("PRON", "DET"):
            continue
        if state.covered(token.i, token.i + 1) or (token.lower_ == "it" and _is_expletive(token)):
            continue
        actor = _pronoun_antecedent(state, token, sentences)
        if actor is not None:
            state.spans[(token.i, token.i + 1)] = actor
