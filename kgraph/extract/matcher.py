"""CAMEO verb patterns matched on spaCy's dependency parse.

PETRARCH matched its patterns on a constituency parse; here a pattern's
parts are looked for among a verb token's dependents:

* the verb by lemma (or, when the lemmatiser misses, by the inflected forms
  the dictionary lists: "staged" lemmatised as "stag"), with the particles a
  multi-word verb needs ("call off");
* particles: a child of the verb with that word ("set off");
* the object: the first noun after ``*``, the head of a direct object, of a
  passive subject ("an attack was staged"), an attribute, a complement or a
  verb complement ("asked to intervene");
* further nouns: anywhere under the verb's non-subject dependents;
* preposition phrases ``(TO BORDER)``: a ``prep`` child of the verb, of
  the object or of an earlier phrase's noun, with a ``pobj`` headed by the
  noun;
* multi-word nouns ``{AIR RAID}``: the head word, and the other words among
  its dependents (or run together: "airstrike");
* words before ``*``: the subject's head, or a word before the verb among
  its children ("will not");
* synonym sets: any member.

The most specific pattern wins: the one that matches the most words; of
equal ones, the one matching more words after the verb (the object tells a
verb's senses apart: "the army stepped up an offensive"), then the first in
the block. When none matches, the verb's own (or
its block's) code applies. A ``[---]`` pattern returns a blocking match.

Example::

    >>> doc = nlp("Rebels staged an attack on the army base.")
    >>> match = match_verb(doc[1])
    >>> match.relation, match.pattern
    ('ASSAULT', '- * ATTACK')
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .dictionary import BLOCKING_CODE, Noun, Pattern, Prep, Verb, VerbDictionary, load_verb_dictionary, singular

__all__ = ["OBJECT_HEAD_DEPS", "SUBJECT_HEAD_DEPS", "VerbMatch", "match_verb", "explain"]

# Dependents that can be a pattern's object head: direct object, passive
# subject, attribute, predicate complement, verb complement.
OBJECT_HEAD_DEPS = frozenset({
    "dobj", "obj", "nsubjpass", "attr", "oprd", "acomp", "xcomp", "ccomp", "dative", "advmod", "npadvmod",
})
SUBJECT_HEAD_DEPS = frozenset({"nsubj", "csubj", "expl"})
PREP_DEPS = frozenset({"prep", "agent", "dative"})


@dataclass(frozen=True)
class VerbMatch:
    """How the dictionary codes a verb token.

    Attributes:
        verb: The verb token.
        relation: PLOVER type, or ``None`` (blocked, or not an event).
        code: CAMEO code (``"---"`` when blocked).
        mode: PLOVER mode, when the CAMEO2PLOVER table gives one.
        reverse_relation: PLOVER type of the target's act on the source
            (``[042:043]``), or ``None``.
        reverse_code: Its CAMEO code, or ``""``.
        pattern: The pattern text (``"- * ATTACK"``), or the verb line's
            lemma when the plain verb's code applies.
        origin: ``file:line`` of the pattern or verb.
        block: The verb block.
        specific: Whether a pattern matched (not the plain verb's code).
        tokens: Tokens the pattern consumed, the verb first.
        target: The token the pattern marks ``+`` (object or a
            preposition's object), or ``None``.
        target_prep: The preposition whose object holds the target, or
            ``None``.
        source: The token the pattern marks ``$``, or ``None``.
        score: Words matched (verb, particles, nouns, prepositions).
    """

    verb: Token
    relation: str | None
    code: str
    mode: str
    reverse_relation: str | None
    reverse_code: str
    pattern: str
    origin: str
    block: str
    specific: bool
    tokens: tuple[Token, ...]
    target: Token | None = None
    target_prep: Token | None = None
    source: Token | None = None
    score: int = 1

    @property
    def blocked(self) -> bool:
        """Whether a ``[---]`` pattern says the verb states no event here."""
        return self.code == BLOCKING_CODE

    def explain(self) -> str:
        """One line saying why: verb, block, pattern, code, PLOVER type."""
        what = "blocked" if self.blocked else (self.relation or "no event")
        if self.reverse_relation:
            what += f", reverse {self.reverse_relation} [{self.reverse_code}]"
        used = " ".join(t.text for t in sorted(self.tokens, key=lambda t: t.i))
        kind = "pattern" if self.specific else "plain verb"
        return (
            f"{self.verb.text!r} -> block {self.block}, {kind} {self.pattern!r} ({self.origin}) "
            f"[{self.code or ':' + self.reverse_code}] -> {what}; matched: {used}"
        )


def _forms(token: Token) -> frozenset[str]:
    lower = token.lower_
    return frozenset({token.lemma_.lower(), lower, singular(lower)})


def _noun_at(noun: Noun, token: Token, used: set[int]) -> tuple[int, list[Token]] | None:
    """(words matched, tokens) of the best alternative of ``noun`` that
    ``token`` heads, or ``None``."""
    if token.i in used:
        return None
    forms = _forms(token)
    below: list[Token] | None = None
    best: tuple[int, list[Token]] | None = None
    for alternative in noun.alternatives:
        *modifiers, head = alternative
        if len(alternative) == 2 and "".join(alternative) in forms:
            found = (2, [token])  # "airstrike" for {AIR STRIKE}
        elif head in forms:
            if below is None:
                below = [t for t in token.subtree if t is not token and t.i not in used]
            matched = _modifiers(modifiers, below)
            if matched is None:
                continue
            found = (len(alternative), [token, *matched])
        else:
            continue
        if best is None or found[0] > best[0]:
            best = found
    return best


def _modifiers(words: list[str], below: list[Token]) -> list[Token] | None:
    """A distinct token under the head for each modifier word, or ``None``."""
    matched: list[Token] = []
    for word in words:
        hit = next((t for t in below if t not in matched and word in _forms(t)), None)
        if hit is None:
            return None
        matched.append(hit)
    return matched


def _members(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _first_noun(noun: Noun, candidates: list[Token], used: set[int]) -> tuple[int, list[Token]] | None:
    for candidate in candidates:
        for member in _members(candidate):
            found = _noun_at(noun, member, used)
            if found is not None:
                return found
    return None


def _match_prep(prep: Prep, heads: list[Token], used: set[int]) -> tuple[int, list[Token], Token] | None:
    """(words matched, tokens, preposition token) for a phrase under one of
    ``heads``."""
    for head in heads:
        for child in head.children:
            if child.dep_ not in PREP_DEPS or child.lower_ != prep.prep or child.i in used:
                continue
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if prep.noun is None:
                if prep.role is None or objects:
                    return 1, [child], child
                continue
            found = _first_noun(prep.noun, objects, used | {child.i})
            if found is not None:
                return 1 + found[0], [child, *found[1]], child
    return None


@dataclass
class _Attempt:
    score: int
    tokens: list[Token]
    before: int = 0  # words matched before the verb (subject, auxiliaries)
    target: Token | None = None
    target_prep: Token | None = None
    source: Token | None = None


def _try(pattern: Pattern, verb: Token, base: list[Token]) -> _Attempt | None:
    """Match ``pattern`` on the dependents of ``verb``; ``None`` if a part
    is missing."""
    used = {t.i for t in base}
    attempt = _Attempt(len(base), list(base))
    children = list(verb.children)

    def take(score: int, tokens: list[Token]) -> None:
        attempt.score += score
        attempt.tokens.extend(tokens)
        used.update(t.i for t in tokens)

    for particle in pattern.particles:
        hit = next((c for c in children if c.i not in used and particle in _forms(c)), None)
        if hit is None:
            return None
        take(1, [hit])
    objects: list[Token] = []
    if pattern.objects:
        heads = [c for c in children if c.dep_ in OBJECT_HEAD_DEPS]
        found = _first_noun(pattern.objects[0], heads, used)
        if found is None:
            return None
        take(*found)
        objects.append(found[1][0])
        if len(pattern.objects) > 1:
            below = [t for c in children if c.dep_ not in SUBJECT_HEAD_DEPS for t in c.subtree]
            for noun in pattern.objects[1:]:
                found = _first_noun(noun, below, used)
                if found is None:
                    return None
                take(*found)
    heads = [verb, *objects]
    for prep in pattern.preps:
        found = _match_prep(prep, heads, used)
        if found is None:
            return None
        score, tokens, prep_token = found
        take(score, tokens)
        holder = next((g for g in prep_token.children if g.dep_ == "pobj"), None)
        if holder is not None:
            # a later phrase may hang on this one's noun: "acted (as mediator)
            # (in talks) (with the rebels)"
            heads.append(holder)
        if prep.role == "target":
            attempt.target, attempt.target_prep = holder, prep_token
        elif prep.role == "source":
            attempt.source = holder
    if pattern.before:
        subjects = [m for c in children if c.dep_ in SUBJECT_HEAD_DEPS for m in _members(c)]
        left = [c for c in children if c.i < verb.i and c.dep_ not in SUBJECT_HEAD_DEPS]
        for noun in pattern.before:
            found = _first_noun(noun, [*subjects, *left], used)
            if found is None:
                return None
            take(*found)
            attempt.before += found[0]
    if pattern.target == "object" and attempt.target is None:
        attempt.target = next((c for c in children if c.dep_ in ("dobj", "obj", "dative") and c.i not in used), None)
    elif pattern.target == "subject":
        attempt.target = next((c for c in children if c.dep_ in SUBJECT_HEAD_DEPS), None)
    if pattern.source == "subject":
        attempt.source = next((c for c in children if c.dep_ in SUBJECT_HEAD_DEPS), None)
    return attempt


def _particles_present(verb: Verb, token: Token) -> list[Token] | None:
    found: list[Token] = []
    for particle in verb.particles:
        hit = next((c for c in token.children if c.lower_ == particle and c not in found), None)
        if hit is None:
            return None
        found.append(hit)
    return found


def match_verb(token: Token, dictionary: VerbDictionary | None = None) -> VerbMatch | None:
    """How the CAMEO dictionary codes the verb ``token`` in its parse.

    Args:
        token: A token of a parsed ``Doc`` (any part of speech; only verbs
            of the dictionary match).
        dictionary: The dictionary; the package's by default.

    Returns:
        The most specific match, or ``None`` when the verb is not in the
        dictionary, or no pattern matches and the plain verb codes nothing.
    """
    if dictionary is None:
        dictionary = load_verb_dictionary()
    entries = dictionary.lookup(token.lemma_.lower(), token.lower_)
    if not entries:
        return None
    words = {w for c in token.children for w in _forms(c)}
    best: tuple[tuple[int, int, int], Pattern, _Attempt] | None = None
    fallback: tuple[Verb, list[Token]] | None = None
    order = 0
    for entry in entries:
        particles = _particles_present(entry, token)
        if particles is None:
            continue
        base = [token, *particles]
        if fallback is None:
            fallback = (entry, base)
        block = dictionary.block(entry.block)
        candidates = {id(p): p for w in words & block.anchored.keys() for p in block.anchored[w]}
        candidates.update({id(p): p for p in block.unanchored})
        rank = {id(p): i for i, p in enumerate(block.patterns)} if candidates else {}
        for pattern in sorted(candidates.values(), key=lambda p: rank[id(p)]):
            attempt = _try(pattern, token, base)
            order += 1
            if attempt is None:
                continue
            # more words win; of equal ones, words after the verb (they
            # tell its senses apart), then the first in the block
            key = (attempt.score, -attempt.before, -order)
            if best is None or key > best[0]:
                best = (key, pattern, attempt)
    if best is not None and best[2].score > len(fallback[1] if fallback else [token]):
        _, pattern, attempt = best
        return VerbMatch(
            verb=token,
            relation=pattern.relation,
            code=pattern.code,
            mode=pattern.mode,
            reverse_relation=pattern.reverse_relation,
            reverse_code=pattern.reverse_code,
            pattern=pattern.text,
            origin=pattern.origin,
            block=pattern.block,
            specific=True,
            tokens=tuple(attempt.tokens),
            target=attempt.target,
            target_prep=attempt.target_prep,
            source=attempt.source,
            score=attempt.score,
        )
    if fallback is None:
        return None
    entry, base = fallback
    if entry.code == BLOCKING_CODE:
        return None
    return VerbMatch(
        verb=token,
        relation=entry.relation,
        code=entry.code,
        mode=entry.mode,
        reverse_relation=None,
        reverse_code="",
        pattern=" ".join((entry.lemma, *entry.particles)),
        origin=entry.origin,
        block=entry.block,
        specific=False,
        tokens=tuple(base),
        score=len(base),
    )


def explain(token: Token, dictionary: VerbDictionary | None = None) -> str:
    """Why the dictionary codes ``token`` as it does, in one line."""
    match = match_verb(token, dictionary)
    if match is None:
        return f"{token.text!r}: no CAMEO verb or pattern"
    return match.explain()
