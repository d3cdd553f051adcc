"""Strict P/R/F1 of several extractor sets on every gold file, parsing once.

Each document is parsed and annotated once; every extractor set then runs on
the same ``Doc``, so the comparison costs one parse per file. Scores are the
GUIDE's (the same ``kgraph.evaluate.score`` that ``kgraph eval`` prints).

    python benchmarks/extractors.py                       # the sets below
    python benchmarks/extractors.py -x cameo -x dependency,nominal,cameo
    python benchmarks/extractors.py --gold seed --gold plover-dev

Skips (exit 0) when ../shared/gold is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = ("seed", "plover-dev", "wikinews-dev", "current-events-dev", "silver-train")
SETS = ("dependency,nominal", "cameo", "dependency,nominal,cameo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-x", "--extractors", action="append", help="comma-separated extractor set; repeatable")
    parser.add_argument("--gold", action="append", help="gold file name (without .jsonl); repeatable")
    args = parser.parse_args()
    if not (SHARED / "gold").is_dir():
        print(f"skipped: {SHARED / 'gold'} not found")
        return 0
    import kgraph.pipeline as pipeline
    from kgraph.evaluate import _state_triples, evaluate, read_gold, score
    from kgraph.extract import extract_events

    sets = [tuple(s.split(",")) for s in (args.extractors or SETS)]
    corpora = [p for p in (SHARED / "corpora").glob("*.jsonl")]
    for name in args.gold or GOLD:
        path = SHARED / "gold" / f"{name}.jsonl"
        if not path.exists():
            print(f"{name}: not found, skipped")
            continue
        found: dict[tuple[str, ...], dict[str, set]] = {s: {} for s in sets}

        def run_all(doc, names):
            # the pipeline asks for its own set; every set is run and kept
            for extractors in sets:
                found[extractors][doc.user_data.get("kgraph_doc_id", "")] = _state_triples(extract_events(doc, extractors))
            return []

        original = pipeline.extract_events
        pipeline.extract_events = run_all
        try:
            evaluate(path, corpora=corpora)
        finally:
            pipeline.extract_events = original
        gold = {d.id: d.events for d in read_gold(path)}
        for extractors in sets:
            predicted = {doc_id: found[extractors].get(doc_id, set()) for doc_id in gold}
            strict = score(gold, predicted)
            print(f"{name:20} {','.join(extractors):28} P {strict['precision']:.3f} R {strict['recall']:.3f} "
                  f"F1 {strict['f1']:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
