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
package: nothing is downloaded. Inference is one NumPy matrix product per
document (NumPy comes with spaCy); it does not need scikit-learn.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, TAG
from spacy.tokens import Doc, Span, Token

from ..errors import InputError
from ..model import Actor, Event
from ..vocab import SYMMETRIC
from . import EVENTS_KEY, RULE_EXTRACTORS, get_extractor, register
from .lexicon import load_lexicon
from .cameo import clause_blocked
from .matcher import match_verb
from .rules import NEGATIONS, SUBJECT_DEPS, Argument, mention_index, make_event, population, state_argument

__all__ = ["Candidate", "LinearModel", "candidates", "features", "load_model", "extract_learned"]

MODEL_FILE = "learned_model.json"
# Per-Doc cache of the CAMEO dictionary's reading of each verb.
CAMEO_KEY = "kgraph_cameo_matches"
BLOCKED_KEY = "kgraph_blocked_clauses"
TABLE_KEY = "kgraph_parse_table"
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
    """An ordered pair of actor mentions in one sentence, or one mention
    alone (``source is target``-like: same span) for an event within its
    state ("Gunmen killed ten villagers in Nigeria")."""

    sentence: Span
    source: Argument
    target: Argument

    @property
    def domestic(self) -> bool:
        return self.source.start == self.target.start and self.source.end == self.target.end


def _mentions(doc: Doc) -> list[Argument]:
    seen: dict[tuple[int, int], Argument] = {}
    for span, actor in mention_index(doc).values():
        key = (span.start, span.end)
        if key not in seen:
            seen[key] = Argument(actor, span.start, span.end)
    return sorted(seen.values(), key=lambda a: a.start)


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every ordered pair of actor mentions of a sentence that name two
    different actors, within :data:`MAX_DISTANCE` tokens; and each mention
    alone where the sentence names one state only."""
    by_sentence: dict[int, list[Argument]] = {}
    for arg in _mentions(doc):
        by_sentence.setdefault(doc[arg.start].sent.start, []).append(arg)
    for start, args in sorted(by_sentence.items()):
        sentence = doc[start].sent
        args = args[:MAX_MENTIONS]
        # An event within one state is read only where the sentence names no
        # other state; across states the pairs say who did what to whom.
        one_state = len({a.actor.state for a in args}) == 1
        for a in args:
            if one_state:
                yield Candidate(sentence, a, a)
            for b in args:
                if a.start == b.start or a.actor.id == b.actor.id:
                    continue
                if max(a.start, b.start) - min(a.end, b.end) > MAX_DISTANCE:
                    continue
                yield Candidate(sentence, a, b)


class _Strings:
    """One column of a Doc's token attributes as strings, looked up on use."""

    def __init__(self, ids: list[int], strings, *, lower: bool = False) -> None:
        self._ids = ids
        self._strings = strings
        self._lower = lower
        self._cache: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        found = self._cache.get(i)
        if found is None:
            found = self._strings[self._ids[i]]
            if self._lower:
                found = found.lower()
            self._cache[i] = found
        return found


class _Table:
    """The parse of a Doc as plain lists, read once: the features walk head
    chains of many pairs, and spaCy makes a new ``Token`` at every step."""

    def __init__(self, doc: Doc) -> None:
        columns = doc.to_array([LEMMA, DEP, POS, TAG, LOWER]).T.tolist()
        offsets = doc.to_array([HEAD]).astype("int64").ravel().tolist()
        strings = doc.vocab.strings
        self.lemma = _Strings(columns[0], strings, lower=True)
        self.dep = _Strings(columns[1], strings)
        self.pos = _Strings(columns[2], strings)
        self.tag = _Strings(columns[3], strings)
        self.lower = _Strings(columns[4], strings)
        self.head = [i + offset for i, offset in enumerate(offsets)]
        self.children: list[list[int]] = [[] for _ in self.head]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)

    def ancestors(self, i: int) -> list[int]:
        chain = [i]
        while self.head[chain[-1]] != chain[-1]:
            chain.append(self.head[chain[-1]])
        return chain

    def root(self, start: int, end: int) -> int:
        """The word of ``start:end`` nearest the sentence root (Span.root)."""
        best, depth = start, None
        for i in range(start, end):
            h = self.head[i]
            if start <= h < end and h != i:
                continue
            d = len(self.ancestors(i))
            if depth is None or d < depth:
                best, depth = i, d
        return best

    def anchor(self, arg: Argument) -> int:
        """The head of the noun phrase the mention names or modifies."""
        i = self.root(arg.start, arg.end)
        for _ in range(2):
            if self.dep[i] in ANCHOR_DEPS and self.head[i] != i:
                i = self.head[i]
            else:
                break
        return i

    def role(self, i: int) -> str:
        """The grammatical role of a phrase head, prepositions spelt out."""
        h = self.head[i]
        if self.dep[i] == "pobj" and self.dep[h] in ("prep", "agent"):
            return f"{self.dep[h]}:{self.lower[h]}"
        return self.dep[i]


def _table(doc: Doc) -> _Table:
    table = doc.user_data.get(TABLE_KEY)
    if table is None:
        table = doc.user_data[TABLE_KEY] = _Table(doc)
    return table


def _anchor(doc: Doc, arg: Argument) -> Token:
    """The head of the noun phrase the mention names or modifies."""
    return doc[_table(doc).anchor(arg)]


def _classes(token: Token) -> list[str]:
    """The lexicon's event types for a word (verb or noun)."""
    return _lemma_classes(token.lemma_.lower())


@lru_cache(maxsize=65536)
def _lemma_classes(lemma: str) -> list[str]:
    lexicon = load_lexicon()
    found = []
    for pos in ("VERB", "NOUN"):
        entry = lexicon.lookup(lemma, pos)
        if entry is not None:
            found.append(entry.relation)
    return found


def _blocked(doc: Doc, i: int, sentence: Span) -> bool:
    """:func:`clause_blocked`, once per token of a Doc."""
    cache = doc.user_data.setdefault(BLOCKED_KEY, {})
    found = cache.get(i)
    if found is None:
        found = cache[i] = clause_blocked(doc[i], sentence)
    return found


def _cameo(doc: Doc, i: int) -> list[str]:
    """The CAMEO dictionary's reading of a verb: its PLOVER type, whether a
    specific pattern (verb + object or preposition) decided it, or a block."""
    cache = doc.user_data.setdefault(CAMEO_KEY, {})
    if i not in cache:
        token = doc[i]
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
        cache[i] = found
    return cache[i]


def _domestic_features(doc: Doc, cand: Candidate) -> list[str]:
    """Features of one mention alone: its role and the words that govern it."""
    t = _table(doc)
    actor = cand.source.actor
    a = t.anchor(cand.source)
    role = t.role(a)
    feats = ["dom", f"dom_type={actor.type}", f"dom_sec={actor.sector}", f"dom_role={role}"]
    if actor.id == actor.state:
        feats.append("dom_state_itself")
    if a != t.root(cand.source.start, cand.source.end):
        feats.append(f"dom_head={t.lemma[a]}")
        feats += [f"dom_head_cls={c}" for c in _lemma_classes(t.lemma[a])]
    # The verb or event noun the phrase depends on, through a preposition.
    gov = t.head[t.head[a]] if t.dep[a] == "pobj" else t.head[a]
    if gov != a:
        lemma = t.lemma[gov]
        classes = _lemma_classes(lemma)
        cameo = _cameo(doc, gov)
        feats += [f"dom_gov={lemma}", f"dom_gov_role={lemma}|{role}", f"dom_gov_pos={t.pos[gov]}"]
        feats += [f"dom_gov_cls={c}" for c in classes]
        feats += [f"dom_gov_cls_role={c}|{role}" for c in classes]
        feats += [f"dom_gov_cameo={c}" for c in cameo]
        feats += [f"dom_gov_cameo_role={c}|{role}" for c in cameo]
        for child in t.children[gov]:
            dep = t.dep[child]
            if dep in ("dobj", "nsubj", "nsubjpass") and child != a:
                feats.append(f"dom_gov_{dep}={t.lemma[child]}")
                feats += [f"dom_gov_{dep}_cls={c}" for c in _lemma_classes(t.lemma[child])]
        if lemma in NOT_FACTUAL or _blocked(doc, gov, cand.sentence):
            feats.append("blocked")
    return list(dict.fromkeys(feats))


def features(doc: Doc, cand: Candidate) -> list[str]:
    """The features of a candidate pair: strings, each present once."""
    if cand.domestic:
        return _domestic_features(doc, cand)
    t = _table(doc)
    a, b = t.anchor(cand.source), t.anchor(cand.target)
    up_a, up_b = t.ancestors(a), t.ancestors(b)
    ids_b = {i: n for n, i in enumerate(up_b)}
    lca = None
    for n, i in enumerate(up_a):
        if i in ids_b:
            lca, climb_a, climb_b = i, up_a[:n], up_b[: ids_b[i]]
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
    if a == b:
        feats.append("same_anchor")
        lca, climb_a, climb_b = a, [], []
    if lca is None:
        return feats + ["no_path"]
    role_a = t.role(climb_a[-1]) if climb_a else "self"
    role_b = t.role(climb_b[-1]) if climb_b else "self"
    lemma = t.lemma[lca]
    feats += [
        f"lca={lemma}",
        f"lca_pos={t.pos[lca]}",
        f"roles={role_a}|{role_b}",
        f"role_a={role_a}",
        f"role_b={role_b}",
        f"lca_roles={lemma}|{role_a}|{role_b}",
        f"path={'/'.join(t.dep[i] for i in climb_a)}^{'/'.join(t.dep[i] for i in climb_b)}",
        f"depth={min(len(climb_a), 3)},{min(len(climb_b), 3)}",
    ]
    for cls in _lemma_classes(lemma):
        feats += [f"lca_cls={cls}", f"lca_cls_roles={cls}|{role_a}|{role_b}"]
    for cls in _cameo(doc, lca):
        feats += [f"lca_cameo={cls}", f"lca_cameo_roles={cls}|{role_a}|{role_b}"]
    for i in climb_a[1:] + climb_b[1:]:
        if t.pos[i] in ("VERB", "NOUN", "ADJ", "ADP"):
            feats.append(f"pw={t.lemma[i]}")
            for cls in _lemma_classes(t.lemma[i]):
                feats.append(f"pw_cls={cls}")
            for cls in _cameo(doc, i):
                feats.append(f"pw_cameo={cls}")
    # Words of the anchors themselves ("sanctions" in "US sanctions on Iran").
    for side, i in (("a", a), ("b", b)):
        if i not in (cand.source.start, cand.target.start):
            feats.append(f"{side}_head={t.lemma[i]}")
            for cls in _lemma_classes(t.lemma[i]):
                feats.append(f"{side}_head_cls={cls}")
    # The clause around the common ancestor: negation, modals, conditionals,
    # the verb that governs it (reported speech, intent, refusal).
    for child in t.children[lca]:
        dep, lower = t.dep[child], t.lower[child]
        if dep == "neg" or (dep in ("det", "advmod") and lower in NEGATIONS):
            feats.append("neg")
        elif dep == "aux" and lower in MODALS:
            feats.append(f"modal={lower}")
        elif dep == "mark" and lower in CONDITIONALS:
            feats.append("conditional")
        elif dep == "prt":
            feats.append(f"lca_prt={lemma}_{lower}")
        elif dep == "dobj" and child not in (a, b):
            feats.append(f"lca_obj={lemma}_{t.lemma[child]}")
            for cls in _lemma_classes(t.lemma[child]):
                feats.append(f"lca_obj_cls={cls}")
    gov = t.head[lca]
    if t.dep[lca] != "ROOT":
        feats.append(f"lca_dep={t.dep[lca]}")
        feats.append(f"gov={t.lemma[gov]}")
        for cls in _lemma_classes(t.lemma[gov]):
            feats.append(f"gov_cls={cls}")
        for cls in _cameo(doc, gov):
            feats.append(f"gov_cameo={cls}")
    path = [*climb_a[1:], *climb_b[1:], lca]
    if any(t.lemma[i] in NOT_FACTUAL for i in path) or any(
        _blocked(doc, i, cand.sentence) for i in path if t.pos[i] in ("VERB", "AUX") or i == lca
    ):
        feats.append("blocked")
    if t.lemma[gov] in SPEECH:
        feats.append("reported")
    if t.tag[lca] == "VBN" and any(t.dep[c] == "auxpass" for c in t.children[lca]):
        feats.append("passive")
    # Words between the two mentions, for flat constructions the parser splits.
    lo, hi = sorted((cand.source, cand.target), key=lambda arg: arg.start)
    for i in range(lo.end, min(hi.start, lo.end + 12)):
        if t.pos[i] in ("VERB", "NOUN"):
            feats.append(f"btw={t.lemma[i]}")
            for cls in _lemma_classes(t.lemma[i]):
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
        index = {cls: n for n, cls in enumerate(classes)}
        self._rows = {f: [(index[c], w) for c, w in ws.items()] for f, ws in weights.items()}
        self._cut = math.log(threshold / (1.0 - threshold))
        self._matrix = None

    def above_many(self, rows: list[list[str]]) -> list[dict[str, float]]:
        """For each feature list, the classes scored at or above the threshold
        with their probability: all lists in one matrix product."""
        import numpy as np

        if self._matrix is None:
            names = sorted(self._rows)
            self._row_of = {f: n for n, f in enumerate(names)}
            matrix = np.zeros((len(names) + 1, len(self.classes)))  # last row: unknown features
            for n, f in enumerate(names):
                for c, w in self._rows[f]:
                    matrix[n, c] = w
            self._matrix = matrix
        if not rows:
            return []
        unknown = len(self._row_of)
        flat = [self._row_of.get(f, unknown) for feats in rows for f in feats]
        starts = np.cumsum([0] + [len(feats) for feats in rows[:-1]])
        totals = np.add.reduceat(self._matrix[flat], starts, axis=0) + np.asarray(self.bias)
        found = []
        for z in totals.tolist():
            found.append({cls: _sigmoid(v) for cls, v in zip(self.classes, z) if v >= self._cut})
        return found

    def _totals(self, feats: list[str]) -> list[float]:
        totals = list(self.bias)
        rows = self._rows
        for f in feats:
            row = rows.get(f)
            if row:
                for n, w in row:
                    totals[n] += w
        return totals

    def scores(self, feats: list[str]) -> dict[str, float]:
        """Probability of each class for a feature list."""
        return {cls: _sigmoid(z) for cls, z in zip(self.classes, self._totals(feats))}

    def to_dict(self) -> dict:
        return {"classes": self.classes, "bias": self.bias, "threshold": self.threshold, "weights": self.weights}

    @classmethod
    def from_dict(cls, data: dict) -> LinearModel:
        return cls(data["classes"], data["bias"], data["weights"], data["threshold"])


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


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


def _domestic_actors(doc: Doc, arg: Argument) -> tuple[Argument, Argument]:
    """Source and target of an event within the state of one mention: the
    mention acts on its state when it is the subject ("Kenyan police beat
    protesters"), else unnamed people of that state act on it ("ten villagers
    were killed in Nigeria")."""
    code = arg.actor.state
    anchor = _anchor(doc, arg)
    state = state_argument(doc, code, arg)
    if anchor.dep_ in SUBJECT_DEPS and arg.actor.id != code:
        return arg, state
    if anchor.dep_ in SUBJECT_DEPS:
        return arg, population(doc, arg)
    unnamed = Actor(id=f"{code}.UNK", label=f"{state.actor.label} (unidentified)", type="group", country=code)
    target = arg if arg.actor.id != code else state
    return Argument(unnamed, arg.start, arg.end, indirect=True), target


@register("learned")
def extract_learned(doc: Doc, model: LinearModel | None = None) -> Iterator[Event]:
    """Events of every candidate pair the model scores at or above its threshold."""
    model = model or load_model()
    done = doc.user_data.setdefault(EVENTS_KEY, {})
    for name in RULE_EXTRACTORS:
        if name not in done:
            done[name] = list(get_extractor(name)(doc))
    rule_events = [e for name in RULE_EXTRACTORS for e in done[name]]
    # Sources of events other extractors found, by sentence: an event within
    # a state is not read for an actor already shown acting on another.
    acting = {(e.start, e.source.id) for found in done.values() for e in found}
    best: dict[tuple[str, str, str, int], Event] = {}
    scored: list[tuple[Candidate, list[str]]] = []
    for cand in candidates(doc):
        ruled = rule_features(rule_events, cand)
        if ruled:
            # The rules read this pair already (with its modality, negation
            # and direction); the model fills in the pairs they did not read.
            continue
        if cand.domestic and (cand.sentence.start_char, cand.source.actor.id) in acting:
            continue
        feats = features(doc, cand)
        if "blocked" in feats:
            # negated, hedged, conditional, asked or only planned: not stated
            continue
        scored.append((cand, feats))
    for (cand, _), passed in zip(scored, model.above_many([feats for _, feats in scored])):
        for relation, p in passed.items():
            if relation in SYMMETRIC and cand.source.start > cand.target.start:
                # A symmetric event is stated once, in the text's order.
                continue
            if cand.domestic:
                source, target = _domestic_actors(doc, cand.source)
            else:
                source, target = cand.source, cand.target
            trigger = doc[source.start : target.end].root if source.start < target.start \
                else doc[target.start : source.end].root
            event = make_event(doc, source=source, relation=relation, target=target, trigger=trigger,
                               confidence=p, extractor="learned", sentence=cand.sentence)
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
