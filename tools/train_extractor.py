"""Train the learned extractor (``kgraph/extract/learned.py``) on the gold files.

Reads the gold files of ``../shared/gold`` (texts from ``../shared/corpora``),
parses each document as ``kgraph extract`` does, labels every candidate actor
pair of a sentence with the gold types of its state pair (where the gold
evidence lies in that sentence), and fits one logistic regression per PLOVER
type. Prints cross-validated scores (folds by document) for the rules alone,
the learned extractor alone, and both together, per gold file; then, with
``--write``, fits on every file and writes ``kgraph/data/learned_model.json``.

    pip install scikit-learn   # training only; kgraph itself does not need it
    python tools/train_extractor.py             # cross-validated report
    python tools/train_extractor.py --write     # also write the model

The model is data derived from the gold files' labels; no gold text or
triple is stored in it, only feature weights.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

GOLD = ("seed", "plover-dev", "wikinews-dev", "current-events-dev", "silver-train")
CORPORA = ("wikinews.jsonl", "current-events.jsonl")
FILL_ONLY = "--no-fill" not in sys.argv
TRAIN_FILL = "--train-fill" in sys.argv
NOISY_OR = "--noisy-or" in sys.argv


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"').split()).lower()


def load_examples():
    """Parse every gold document as ``kgraph extract`` does; return per-document
    rule triples and the candidates with features and labels."""
    from kgraph.evaluate import _state_triples, gold_articles
    from kgraph.extract import RULE_EXTRACTORS, extract_events
    from kgraph.extract.learned import candidates, features, rule_features
    from kgraph.pipeline import ExtractOptions, parse_articles
    from kgraph.vocab import SYMMETRIC

    corpora = [SHARED / "corpora" / name for name in CORPORA]
    docs_out = []
    for name in GOLD:
        gold_docs, articles = gold_articles(SHARED / "gold" / f"{name}.jsonl", corpora=corpora)
        records = [{"file": name, "id": g.id, "gold": g.events, "rules": set(), "cands": []} for g in gold_docs]
        docs_out.extend(records)
        for index, doc, _ in parse_articles(articles, ExtractOptions()):
            g, record = gold_docs[index], records[index]
            rule_events = extract_events(doc, RULE_EXTRACTORS)
            record["rules"] = _state_triples(rule_events)
            body = _norm(articles[index].body)
            # where each gold event's evidence lies in the body (-1: not found)
            spans = [body.find(_norm(e.get("evidence") or "")) if e.get("evidence") else -1 for e in g.events]
            for cand in candidates(doc):
                sa, sb = cand.source.actor.state, cand.target.actor.state
                sent_norm = _norm(cand.sentence.text)
                labels = set()
                for e, at in zip(g.events, spans):
                    forward = e["source"] == sa and e["target"] == sb
                    backward = e["relation"] in SYMMETRIC and e["source"] == sb and e["target"] == sa
                    if not (forward or backward):
                        continue
                    ev = _norm(e.get("evidence") or "")
                    if at < 0 or not ev or ev[:40] in sent_norm or sent_norm[:40] in ev:
                        labels.add(e["relation"])
                feats = features(doc, cand) + rule_features(rule_events, cand)
                record["cands"].append(((sa, sb), feats, labels, cand.sentence.start))
    return docs_out


def _predict(models, vec, cands, threshold):
    found = set()
    if not cands:
        return found
    X = vec.transform([dict.fromkeys(c[1], 1) for c in cands])
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    best: dict[tuple[str, str, str], float] = {}
    groups: dict[tuple, float] = {}
    for rel, clf in models.items():
        probs = clf.predict_proba(X)[:, 1]
        for cand, p in zip(cands, probs):
            pair, feats = cand[0], cand[1]
            if FILL_ONLY and any(f.startswith("rule") for f in feats):
                continue
            if "blocked" in feats:
                continue
            if NOISY_OR and len(cand) > 3:
                key = (cand[3], pair[0], rel, pair[1])
                groups[key] = 1.0 - (1.0 - groups.get(key, 0.0)) * (1.0 - p)
            elif p >= threshold:
                key = (pair[0], rel, pair[1])
                best[key] = max(p, best.get(key, 0.0))
    for (_, a, rel, b), p in groups.items():
        if p >= threshold:
            best[(a, rel, b)] = max(p, best.get((a, rel, b), 0.0))
    for (a, rel, b), p in best.items():
        # one direction per pair, as the extractor does
        if best.get((b, rel, a), -1.0) <= p:
            found.add((a, rel, b))
    return found


def _fit(records, C):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from kgraph.vocab import PLOVER

    rows, ys = [], []
    for r in records:
        for c in r["cands"]:
            f, labels = c[1], c[2]
            if FILL_ONLY and TRAIN_FILL and any(x.startswith("rule") for x in f):
                continue
            rows.append(dict.fromkeys(f, 1))
            ys.append(labels)
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    X.indices = X.indices.astype("int32")
    X.indptr = X.indptr.astype("int32")
    models = {}
    for rel in PLOVER:
        y = [rel in labels for labels in ys]
        if sum(y) < 3:
            continue
        clf = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
        clf.fit(X, y)
        models[rel] = clf
    return vec, models


def cross_validate(records, *, folds: int, C: float, thresholds):
    from kgraph.evaluate import score

    ids = sorted({r["id"] for r in records})
    fold_of = {doc_id: n % folds for n, doc_id in enumerate(ids)}
    learned = {t: {} for t in thresholds}
    for k in range(folds):
        train = [r for r in records if fold_of[r["id"]] != k]
        test = [r for r in records if fold_of[r["id"]] == k]
        vec, models = _fit(train, C)
        for r in test:
            for t in thresholds:
                learned[t][r["id"]] = _predict(models, vec, r["cands"], t)
    for name in GOLD:
        part = [r for r in records if r["file"] == name]
        gold = {r["id"]: r["gold"] for r in part}
        rules = score(gold, {r["id"]: r["rules"] for r in part})
        line = f"{name:20} rules {rules['precision']:.3f}/{rules['recall']:.3f}/{rules['f1']:.3f}"
        for t in thresholds:
            alone = score(gold, {r["id"]: learned[t][r["id"]] for r in part})
            both = score(gold, {r["id"]: learned[t][r["id"]] | r["rules"] for r in part})
            line += f" | t={t} learned {alone['f1']:.3f} both {both['precision']:.3f}/{both['recall']:.3f}/{both['f1']:.3f}"
        print(line, flush=True)


def export(vec, models, threshold: float, *, min_weight: float = 0.03) -> dict:
    names = vec.get_feature_names_out()
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    bias = []
    classes = sorted(models)
    for rel in classes:
        clf = models[rel]
        bias.append(round(float(clf.intercept_[0]), 4))
        for name, w in zip(names, clf.coef_[0]):
            if abs(w) >= min_weight:
                weights[str(name)][rel] = round(float(w), 4)
    return {
        "classes": classes,
        "bias": bias,
        "threshold": threshold,
        "weights": {k: dict(sorted(v.items())) for k, v in sorted(weights.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="fit on every file and write the package model")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("-C", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--threshold", type=float, default=0.5, help="threshold written into the model")
    parser.add_argument("--thresholds", default="0.3,0.4,0.5,0.6", help="thresholds to cross-validate")
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--train-fill", action="store_true", help="train only on the pairs the rules leave")
    parser.add_argument("--noisy-or", action="store_true", help="combine the pairs of one state pair in a sentence")
    parser.add_argument("--no-fill", action="store_true", help="score the model on every pair, not only those the rules leave")
    parser.add_argument("--cache", help="pickle of the parsed examples, reused when present (for experiments)")
    args = parser.parse_args()
    if not (SHARED / "gold").is_dir():
        print(f"skipped: {SHARED / 'gold'} not found")
        return 0
    if args.cache and Path(args.cache).exists():
        with open(args.cache, "rb") as handle:
            records = pickle.load(handle)
    else:
        records = load_examples()
        if args.cache:
            with open(args.cache, "wb") as handle:
                pickle.dump(records, handle)
    n = sum(len(r["cands"]) for r in records)
    pos = sum(1 for r in records for c in r["cands"] if c[2])
    print(f"{len(records)} documents, {n} candidate pairs, {pos} with a gold type", flush=True)
    if not args.no_cv:
        cross_validate(records, folds=args.folds, C=args.C, thresholds=[float(t) for t in args.thresholds.split(",")])
    if args.write:
        vec, models = _fit(records, args.C)
        data = export(vec, models, args.threshold)
        out = ROOT / "kgraph" / "data" / "learned_model.json"
        out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}: {len(data['weights'])} features, {len(data['classes'])} types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
