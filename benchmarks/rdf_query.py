"""Time graph merging, RDF writing and SPARQL queries on the current-events corpus.

Extraction is not what this measures: events are extracted once with
``kgraph extract`` into a cache file (reused on later runs), then the script
times, from those events: the networkx merge, writing every RDF format and the
networkx formats, loading Turtle into pyoxigraph, and each example query.

    python benchmarks/rdf_query.py [CORPUS] [--events FILE] [--repeat N]

Exits 0 without measuring when the corpus (../shared) is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgraph.export import RDF_FORMATS, read_events, write_gexf, write_graphml, write_node_link, write_rdf  # noqa: E402
from kgraph.graph import build_graph, rollup_to_states  # noqa: E402
from kgraph.query import example_queries, load_store, run_example  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "current-events.jsonl"
EXAMPLE_PARAMS = {
    "evidence": {"source": "USA", "target": "IRN"},
    "cooperation-partners": {"actor": "RUS"},
    "attacks-by-year": {"source": "ISR"},
}


def _timed(label: str, func, timings: dict, repeat: int = 1):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    timings[label] = round(best, 3)
    return value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--events", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-bench-current-events.jsonl",
                        help="Events cache: extracted once from the corpus, reused afterwards.")
    parser.add_argument("--repeat", type=int, default=3, help="Best of N runs for each timing.")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} is absent")
        return 0
    if not args.events.exists():
        print(f"extracting events once: kgraph extract {args.corpus} -o {args.events}", file=sys.stderr)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kgraph", "extract", str(args.corpus), "-o", str(args.events), "-q"],
                       check=True)
        print(f"  extraction took {time.perf_counter() - start:.1f} s (not counted below)", file=sys.stderr)

    timings: dict[str, float] = {}
    events = _timed("read events.jsonl", lambda: list(read_events(args.events)), timings)
    graph = _timed("merge (build_graph)", lambda: build_graph(events), timings, args.repeat)
    _timed("roll-up to states", lambda: rollup_to_states(graph), timings, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for fmt, ext in RDF_FORMATS.items():
            _timed(f"write {fmt}", lambda: write_rdf(graph, out / f"graph{ext}", format=fmt), timings, args.repeat)
        _timed("write graphml+gexf+json", lambda: (write_graphml(graph, out / "g.graphml"),
                                                   write_gexf(graph, out / "g.gexf"),
                                                   write_node_link(graph, out / "g.json")), timings, args.repeat)
        store = _timed("load graph.ttl into pyoxigraph", lambda: load_store(out / "graph.ttl"), timings, args.repeat)
        triples = len(store)
        for name in example_queries():
            params = EXAMPLE_PARAMS.get(name, {})
            _timed(f"query {name}", lambda: run_example(store, name, params), timings, args.repeat)
    merge_and_write = timings["merge (build_graph)"] + timings["write turtle"] + timings["write graphml+gexf+json"]
    queries = sum(v for k, v in timings.items() if k.startswith("query "))
    report = {
        "corpus": str(args.corpus),
        "events": len(events),
        "actors": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "triples": triples,
        "seconds": timings,
        "seconds_build_default_outputs_minus_html": round(merge_and_write, 3),
        "seconds_all_example_queries": round(queries, 3),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
