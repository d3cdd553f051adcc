"""A learned extractor: a linear classifier over actor pairs of a sentence.

Rules read the constructions they were written for; news states events in
many more. This extractor takes every ordered pair of actor mentions in a
sentence (``Argument`` A, ``Argument`` B), describes the pair by what the
parse says about it (the dependency path between them and the words on it,
the role each plays in its clause, the trigger classes of the lexicon for the
words on the path, negation and modality) and scores it for each of the 16
PLOVER types with one-vs-rest logistic regression. A pair scored at or above
the model's threshold for a type becomes an event ``A type B``.

The weights are package data (``kgraph/data/learned_model.json``), trained
by ``tools/train_extractor.py`` on the gold files and shipped inside the
package: nothing is downloaded. Inference is dictionary lookups; it needs
neither scikit-learn nor NumPy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from ..errors import InputError
from ..model import Event
from ..vocab import SYMMETRIC
from . import EVENTS_KEY, RULE_EXTRACTORS, get_extractor, register
from .lexicon import load_lexicon
from .cameo import clause_blocked
from .matcher import match_verb
from .rules import NEGATIONS, Argument, _mention_index, make_event

__all__ = ["Candidate", "LinearModel", "candidates", "features", "load_model", "extract_learned"]

MODEL_FILE = "learned_model.json"
# Per-Doc cache of the CAMEO dictionary's reading of each verb.
CAMEO_KEY = "kgraph_cameo_matches"
# Dependents through which a mention names the phrase it modifies: "the
# Syrian army" (amod), "Italy's minister" (poss), "the Iran deal" (compound).
ANCHOR_DEPS = frozenset({"amod", "compound", "poss", "nmod"})
# Candidate pairs further apart than this (in tokens) are not scored: such
# pairs are almost never one event, and long sentences would cost quadratic time.
MAX_DISTANCE = 40
MAX_MENTIONS = 12
MODALS = frozenset({"will", "would", "could", "might", "may", "should", "must", "can", "shall"})
CONDITIONALS = frozenset({"if", "unless", "whether"})
# Verbs whose clause reports the event, so the path through them is read
# from the reported clause on.
# Words that make the clause below them unrealised ("unable to arrest").
NOT_FACTUAL = frozenset({"unable", "impossible", "fail", "refuse", "decline", "deny", "avoid"})
SPEECH = frozenset({"say", "tell", "state", "announce", "claim", "report", "add", "according"})


@dataclass(frozen=True)
class Candidate:
    """An ordered pair of actor mentions in one sentence."""

    sentence: Span
    source: Argument
    target: Argument


def _mentions(doc: Doc) -> list[Argument]:
    seen: dict[tuple[int, int], Argument] = {}
    for span, actor in _mention_index(doc).values():
        key = (span.start, span.end)
        if key not in seen:
            seen[key] = Argument(actor, span.start, span.end)
    return sorted(seen.values(), key=lambda a: a.start)


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every ordered pair of actor mentions of a sentence that name two
    different actors, nearest first within a sentence's limits."""
    by_sentence: dict[int, list[Argument]] = {}
    for arg in _mentions(doc):
        by_sentence.setdefault(doc[arg.start].sent.start, []).append(arg)
    for start, args in sorted(by_sentence.items()):
        sentence = doc[start].sent
        args = args[:MAX_MENTIONS]
        for a in args:
            for b in args:
                if a.start == b.start or a.actor.id == b.actor.id:
                    continue
                if max(a.start, b.start) - min(a.end, b.end) > MAX_DISTANCE:
                    continue
                yield Candidate(sentence, a, b)


def _anchor(doc: Doc, arg: Argument) -> Token:
    """The head of the noun phrase the mention names or modifies."""
    token = doc[arg.start : arg.end].root
    for _ in range(2):
        if token.dep_ in ANCHOR_DEPS and token.head.i != token.i:
            token = token.head
        else:
            break
    return token


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def _role(token: Token) -> str:
    """The grammatical role of a phrase head, prepositions spelt out."""
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent"):
        return f"{token.head.dep_}:{token.head.lower_}"
    return token.dep_


def _classes(token: Token) -> list[str]:
    """The lexicon's event types for a word (verb or noun)."""
    lexicon = load_lexicon()
    found = []
    for pos in ("VERB", "NOUN"):
        entry = lexicon.lookup(token.lemma_.lower(), pos)
        if entry is not None:
            found.append(entry.relation)
    return found


def _cameo(token: Token) -> list[str]:
    """The CAMEO dictionary's reading of a verb: its PLOVER type, whether a
    specific pattern (verb + object or preposition) decided it, or a block."""
    cache = token.doc.user_data.setdefault(CAMEO_KEY, {})
    if token.i not in cache:
        found: list[str] = []
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
            match = match_verb(token)
            if match is not None:
                if match.blocked:
                    found.append("block")
                elif match.relation:
                    found.append(match.relation)
                    if match.specific:
                        found.append(f"{match.relation}:pattern")
        cache[token.i] = found
    return cache[token.i]


def features(doc: Doc, cand: Candidate) -> list[str]:
    """The features of a candidate pair: strings, each present once."""
    a, b = _anchor(doc, cand.source), _anchor(doc, cand.target)
    up_a, up_b = _ancestors(a), _ancestors(b)
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    lca = None
    for n, t in enumerate(up_a):
        if t.i in ids_b:
            lca, climb_a, climb_b = t, up_a[:n], up_b[: ids_b[t.i]]
            break
    feats = [
        "bias",
        f"a_type={cand.source.actor.type}",
        f"b_type={cand.target.actor.type}",
        f"a_sec={cand.source.actor.sector}",
        f"b_sec={cand.target.actor.sector}",
        "order=ab" if cand.source.start < cand.target.start else "order=ba",
    ]
    if cand.source.actor.state == cand.target.actor.state:
        feats.append("same_state")
    if a.i == b.i:
        feats.append("same_anchor")
        lca, climb_a, climb_b = a, [], []
    if lca is None:
        return feats + ["no_path"]
    role_a = _role(climb_a[-1]) if climb_a else "self"
    role_b = _role(climb_b[-1]) if climb_b else "self"
    lemma = lca.lemma_.lower()
    feats += [
        f"lca={lemma}",
        f"lca_pos={lca.pos_}",
        f"roles={role_a}|{role_b}",
        f"role_a={role_a}",
        f"role_b={role_b}",
        f"lca_roles={lemma}|{role_a}|{role_b}",
        f"path={'/'.join(t.dep_ for t in climb_a)}^{'/'.join(t.dep_ for t in climb_b)}",
        f"depth={min(len(climb_a), 3)},{min(len(climb_b), 3)}",
    ]
    for cls in _classes(lca):
        feats += [f"lca_cls={cls}", f"lca_cls_roles={cls}|{role_a}|{role_b}"]
    for cls in _cameo(lca):
        feats += [f"lca_cameo={cls}", f"lca_cameo_roles={cls}|{role_a}|{role_b}"]
    path_words = climb_a[1:] + climb_b[1:]
    for t in path_words:
        if t.pos_ in ("VERB", "NOUN", "ADJ", "ADP"):
            feats.append(f"pw={t.lemma_.lower()}")
            for cls in _classes(t):
                feats.append(f"pw_cls={cls}")
            for cls in _cameo(t):
                feats.append(f"pw_cameo={cls}")
    # Words of the anchors themselves ("sanctions" in "US sanctions on Iran").
    for side, t in (("a", a), ("b", b)):
        if t.i not in (cand.source.start, cand.target.start):
            feats.append(f"{side}_head={t.lemma_.lower()}")
            for cls in _classes(t):
                feats.append(f"{side}_head_cls={cls}")
    # The clause around the common ancestor: negation, modals, conditionals,
    # the verb that governs it (reported speech, intent, refusal).
    for child in lca.children:
        if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and child.lower_ in NEGATIONS):
            feats.append("neg")
        elif child.dep_ == "aux" and child.lower_ in MODALS:
            feats.append(f"modal={child.lower_}")
        elif child.dep_ == "mark" and child.lower_ in CONDITIONALS:
            feats.append("conditional")
        elif child.dep_ == "prt":
            feats.append(f"lca_prt={lemma}_{child.lower_}")
        elif child.dep_ == "dobj" and child.i not in (a.i, b.i):
            feats.append(f"lca_obj={lemma}_{child.lemma_.lower()}")
            for cls in _classes(child):
                feats.append(f"lca_obj_cls={cls}")
    if lca.dep_ not in ("ROOT",):
        feats.append(f"lca_dep={lca.dep_}")
        feats.append(f"gov={lca.head.lemma_.lower()}")
        for cls in _classes(lca.head):
            feats.append(f"gov_cls={cls}")
        for cls in _cameo(lca.head):
            feats.append(f"gov_cameo={cls}")
    path = [*climb_a[1:], *climb_b[1:], lca]
    if any(t.lemma_.lower() in NOT_FACTUAL for t in path) or any(
        clause_blocked(t) for t in path if t.pos_ in ("VERB", "AUX") or t.i == lca.i
    ):
        feats.append("blocked")
    if lca.head.lemma_.lower() in SPEECH:
        feats.append("reported")
    if lca.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in lca.children):
        feats.append("passive")
    # Words between the two mentions, for flat constructions the parser splits.
    lo, hi = sorted((cand.source, cand.target), key=lambda arg: arg.start)
    for t in doc[lo.end : hi.start][:12]:
        if t.pos_ in ("VERB", "NOUN"):
            feats.append(f"btw={t.lemma_.lower()}")
            for cls in _classes(t):
                feats.append(f"btw_cls={cls}")
    return list(dict.fromkeys(feats))


def rule_features(events: list[Event], cand: Candidate, prefix: str = "rule") -> list[str]:
    """What the rule extractors found for the candidate's state pair in its
    sentence: ``rule=TYPE`` (same direction) or ``rule_rev=TYPE``."""
    sa, sb = cand.source.actor.state, cand.target.actor.state
    start = cand.sentence.start_char
    found = []
    for e in events:
        if e.start != start:
            continue
        if (e.source.state, e.target.state) == (sa, sb):
            found.append(f"{prefix}={e.relation}")
            if (e.source.id, e.target.id) == (cand.source.actor.id, cand.target.actor.id):
                found.append(f"{prefix}_exact={e.relation}")
        elif (e.source.state, e.target.state) == (sb, sa):
            found.append(f"{prefix}_rev={e.relation}")
    return list(dict.fromkeys(found))


class LinearModel:
    """One-vs-rest logistic regression stored as sparse weights."""

    def __init__(self, classes: list[str], bias: list[float], weights: dict[str, dict[str, float]],
                 threshold: float) -> None:
        self.classes = classes
        self.bias = bias
        self.weights = weights
        self.threshold = threshold

    def scores(self, feats: list[str]) -> dict[str, float]:
        """Probability of each class for a feature list."""
        totals = dict(zip(self.classes, self.bias))
        for f in feats:
            for cls, w in self.weights.get(f, {}).items():
                totals[cls] += w
        return {cls: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) for cls, z in totals.items()}

    def to_dict(self) -> dict:
        return {"classes": self.classes, "bias": self.bias, "threshold": self.threshold, "weights": self.weights}

    @classmethod
    def from_dict(cls, data: dict) -> LinearModel:
        return cls(data["classes"], data["bias"], data["weights"], data["threshold"])


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> LinearModel:
    """The shipped model (or the one at ``path``), loaded once per process.

    Raises:
        InputError: if the file cannot be read or is not a model.
    """
    file = Path(path) if path else Path(str(resources.files("kgraph") / "data" / MODEL_FILE))
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return LinearModel.from_dict(data)
    except OSError as err:
        raise InputError(f"cannot read extraction model {file}: {err.strerror}") from None
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{file}: not an extraction model ({err})") from None


@register("learned")
def extract_learned(doc: Doc, model: LinearModel | None = None) -> Iterator[Event]:
    """Events of every candidate pair the model scores at or above its threshold."""
    model = model or load_model()
    done = doc.user_data.setdefault(EVENTS_KEY, {})
    for name in RULE_EXTRACTORS:
        if name not in done:
            done[name] = list(get_extractor(name)(doc))
    rule_events = [e for name in RULE_EXTRACTORS for e in done[name]]
    if "cameo" not in done:
        done["cameo"] = list(get_extractor("cameo")(doc))
    cameo_events = done["cameo"]
    best: dict[tuple[str, str, str, int], Event] = {}
    for cand in candidates(doc):
        ruled = rule_features(rule_events, cand)
        if ruled:
            # The rules read this pair already (with its modality, negation
            # and direction); the model fills in the pairs they did not read.
            continue
        feats = features(doc, cand) + rule_features(cameo_events, cand, "cx")
        if "blocked" in feats:
            # negated, hedged, conditional, asked or only planned: not stated
            continue
        for relation, p in model.scores(feats).items():
            if p < model.threshold:
                continue
            if relation in SYMMETRIC and cand.source.start > cand.target.start:
                # A symmetric event is stated once, in the text's order.
                continue
            trigger = doc[cand.source.start : cand.target.end].root if cand.source.start < cand.target.start \
                else doc[cand.target.start : cand.source.end].root
            event = make_event(doc, source=cand.source, relation=relation, target=cand.target, trigger=trigger,
                               confidence=p, extractor="learned")
            if event is None:
                continue
            key = (event.source.id, relation, event.target.id, event.start)
            if key not in best or event.confidence > best[key].confidence:
                best[key] = event
    # One direction per pair: the model reads who acts on whom less surely
    # than that something happened, so where both directions pass, the
    # likelier one is kept ("Poland closed its border with Belarus").
    for (source, relation, target, start), event in list(best.items()):
        other = best.get((target, relation, source, start))
        if other is not None and (other.confidence, other.source.id) > (event.confidence, event.source.id):
            del best[(source, relation, target, start)]
    yield from best.values()
