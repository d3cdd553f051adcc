"""Extraction quality on the dev gold files, by the GUIDE's scoring rules.

Prints, for each gold file: strict and quad-class precision/recall/F1, the
per-relation true/false positives and misses, and a confusion table of
relation types for (source, target) pairs that both gold and prediction have
(which type did we give when we found the right dyad?).

    python benchmarks/quality.py [--errors] [--extractors dependency,nominal]

The learned extractor is trained on these same files (tools/train_extractor.py),
so its figures here are training-set figures; the cross-validated ones are
what ``python tools/train_extractor.py`` prints. ``--extractors
dependency,nominal`` scores the rules alone.

Skips (exit 0) when ../shared/gold is absent.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = ("seed", "plover-dev", "wikinews-dev", "current-events-dev", "silver-train")


def _confusion(gold_docs, predictions) -> Counter:
    table: Counter = Counter()
    for doc in gold_docs:
        gold_by_dyad = {}
        for e in doc.events:
            gold_by_dyad.setdefault((e["source"], e["target"]), set()).add(e["relation"])
        for s, r, t in predictions.get(doc.id, []):
            for dyad in ((s, t), (t, s)):
                if dyad in gold_by_dyad and r not in gold_by_dyad[dyad]:
                    for g in gold_by_dyad[dyad]:
                        table[(g, r)] += 1
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list missed and wrong triples per document")
    parser.add_argument("--extractors", help="comma-separated extractor names (default: the default set)")
    args = parser.parse_args()
    if not (SHARED / "gold").is_dir():
        print(f"skipped: {SHARED / 'gold'} not found")
        return 0
    from kgraph.evaluate import _key, evaluate, read_gold
    from kgraph.pipeline import ExtractOptions

    options = ExtractOptions(extractors=tuple(args.extractors.split(","))) if args.extractors else None

    corpus = [SHARED / "corpora" / "wikinews.jsonl", SHARED / "corpora" / "current-events.jsonl"]
    for name in GOLD:
        path = SHARED / "gold" / f"{name}.jsonl"
        report = evaluate(path, corpora=corpus, options=options)
        strict, quad = report["strict"], report["quad"]
        print(f"\n== {name}: strict P {strict['precision']:.3f} R {strict['recall']:.3f} F1 {strict['f1']:.3f}"
              f"  |  quad F1 {quad['f1']:.3f}  ({strict['docs']} docs, {strict['required']} required)")
        print(f"{'relation':10} {'tp':>4} {'fp':>4} {'fn':>4}")
        for rel, c in strict["by_relation"].items():
            print(f"{rel:10} {c['tp']:4} {c['fp']:4} {c['fn']:4}")
        docs = read_gold(path)
        confusion = _confusion(docs, report["predictions"])
        if confusion:
            print("right dyad, other type (gold -> predicted):")
            for (g, p), n in sorted(confusion.items(), key=lambda item: (-item[1], item[0])):
                print(f"  {g:9} -> {p:9} {n}")
        if args.errors:
            for doc in docs:
                predicted = {k for k in (_key(*t, False) for t in report["predictions"].get(doc.id, [])) if k}
                allowed = {_key(e["source"], e["relation"], e["target"], False) for e in doc.events} - {None}
                required = {
                    _key(e["source"], e["relation"], e["target"], False) for e in doc.events if not e.get("optional")
                } - {None}
                for k in sorted(predicted - allowed):
                    print(f"  FP {doc.id} {k}")
                for k in sorted(required - predicted):
                    print(f"  FN {doc.id} {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
