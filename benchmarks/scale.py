"""Speed and scale of kgraph on the shared current-events corpus, in one run.

Prints, with the target of issue 7 beside each:

* ``kgraph extract`` time / bare ``nlp.pipe`` time on the same texts, one
  process and two (bare = ``spacy.load(model)`` and ``nlp.pipe`` over the
  article bodies, all components, as a user would run it; the same with NER
  excluded is printed too);
* ``--jobs 2`` speed-up over ``--jobs 1``;
* rebuild with nothing changed / cold build (``kgraph build``, which writes
  every output again, and ``kgraph extract``, events only);
* rebuild after adding 1 % new documents / cold build of the other 99 %;
* peak memory of a build of all documents / of the first 300.

Every figure is a fresh process (``python -m kgraph …`` or a bare spaCy
script), timed wall-clock including start-up and model loading. Other work on
the machine slows every run: kgraph and bare runs are interleaved so that it
hits both alike, and ``--rounds N`` repeats the comparisons (medians).

Run from the repository: ``python benchmarks/scale.py`` (``--help`` for
options). Skips, with a message, when ``../shared`` is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "current-events.jsonl"

# Runs in a child process: its peak memory is then its own.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_kb": peak, "code": done.returncode}))
"""

_BARE = """
import json, sys
import spacy
from kgraph.ingest import read_articles
from kgraph.nlp import model_name
corpus, n_process, exclude = sys.argv[1], int(sys.argv[2]), [x for x in sys.argv[3].split(",") if x]
nlp = spacy.load(model_name(None), exclude=exclude)
texts = (a.body for a in read_articles([corpus]))
for doc in nlp.pipe(texts, n_process=n_process, batch_size=64):
    pass
"""


def measure(command: list[str]) -> dict:
    """Wall time and peak RSS of ``command`` run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"failed ({result['code']}): {' '.join(command)}")
    return result


def kgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "kgraph", *args]


def bare(corpus: Path, n_process: int, exclude: str = "") -> list[str]:
    return [sys.executable, "-c", _BARE, str(corpus), str(n_process), exclude]


def subset(corpus: Path, folder: Path, name: str, start: int, stop: int | None) -> Path:
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    path = folder / name
    path.write_text("".join(lines[start:stop]), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--rounds", type=int, default=1, help="Repeat the speed comparisons; medians are reported.")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: {args.corpus} not found (the shared corpora live in ../shared)")
        return 0
    n_docs = sum(1 for line in args.corpus.open(encoding="utf-8") if line.strip())
    log: list[str] = []

    def run(label: str, command: list[str]) -> dict:
        result = measure(command)
        line = f"  {label:<44} {result['seconds']:7.1f} s  peak {result['peak_kb'] / 1024:6.0f} MB"
        print(line, flush=True)
        log.append(line)
        return result

    with tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        work = Path(tmp)
        events = str(work / "events.jsonl")
        times: dict[str, list[float]] = {}

        def timed(key: str, label: str, command: list[str]) -> dict:
            result = run(label, command)
            times.setdefault(key, []).append(result["seconds"])
            return result

        print(f"{args.corpus} ({n_docs} documents), {os.cpu_count()} cores, {args.rounds} round(s)")
        for round_ in range(args.rounds):
            # Alternate who goes first, so that a change of load hits both.
            pairs = [
                ("bare1", "bare nlp.pipe, 1 process", bare(args.corpus, 1)),
                ("kg1", "kgraph extract --jobs 1", kgraph("extract", str(args.corpus), "-o", events, "--no-cache", "-q")),
                ("bare1_noner", "bare nlp.pipe without NER, 1 process", bare(args.corpus, 1, "ner,senter")),
                ("kg1_all", "kgraph extract --jobs 1 --parse-all", kgraph("extract", str(args.corpus), "-o", events, "--no-cache", "-q", "--parse-all")),
                ("kg2", "kgraph extract --jobs 2", kgraph("extract", str(args.corpus), "-o", events, "--no-cache", "-q", "-j", "2")),
                ("bare2", "bare nlp.pipe, 2 processes", bare(args.corpus, 2)),
            ]
            if round_ % 2:
                pairs.reverse()
            for key, label, command in pairs:
                timed(key, label, command)

        base = subset(args.corpus, work, "base.jsonl", 0, n_docs - max(1, n_docs // 100))
        new = subset(args.corpus, work, "new.jsonl", n_docs - max(1, n_docs // 100), None)
        first300 = subset(args.corpus, work, "first300.jsonl", 0, 300)
        out, out_inc = work / "out", work / "out-inc"
        cached = str(work / "x" / "events.jsonl")
        x_cold = run(f"kgraph extract, cold ({n_docs} docs)", kgraph("extract", str(args.corpus), "-o", cached, "-q"))
        x_warm = run("kgraph extract, nothing changed", kgraph("extract", str(args.corpus), "-o", cached, "-q"))
        cold = run(f"kgraph build, cold ({n_docs} docs)", kgraph("build", str(args.corpus), "-o", str(out), "-q"))
        warm = run("kgraph build, nothing changed", kgraph("build", str(args.corpus), "-o", str(out), "-q"))
        cold_base = run("kgraph build, cold (first 99 %)", kgraph("build", str(base), "-o", str(out_inc), "-q"))
        plus = run("kgraph build, + 1 % new documents", kgraph("build", str(base), str(new), "-o", str(out_inc), "-q"))
        small = run("kgraph build --no-cache, 300 docs", kgraph("build", str(first300), "-o", str(work / "o300"), "-q", "--no-cache"))
        full = run(f"kgraph build --no-cache, {n_docs} docs", kgraph("build", str(args.corpus), "-o", str(work / "oall"), "-q", "--no-cache"))

    med = {key: statistics.median(values) for key, values in times.items()}
    rows = [
        ("kgraph extract / bare nlp.pipe, 1 process", med["kg1"] / med["bare1"], "<= 1.0 (stretch 0.6)", 1.0),
        ("kgraph extract / bare nlp.pipe, 2 processes", med["kg2"] / med["bare2"], "<= 1.0 (stretch 0.6)", 1.0),
        ("  same, bare without NER, 1 process", med["kg1"] / med["bare1_noner"], "(same components)", None),
        ("  kgraph --parse-all / bare, 1 process", med["kg1_all"] / med["bare1"], "(selective parsing off)", None),
        ("--jobs 2 speed-up over --jobs 1", med["kg1"] / med["kg2"], ">= 1.6", -1.6),
        ("  bare nlp.pipe 2-process speed-up", med["bare1"] / med["bare2"], "(the machine's)", None),
        ("rebuild, nothing changed / cold build", warm["seconds"] / cold["seconds"], "<= 0.05", 0.05),
        ("  extract, nothing changed / cold", x_warm["seconds"] / x_cold["seconds"], "(events only)", None),
        ("rebuild, +1 % new docs / cold build", plus["seconds"] / cold_base["seconds"], "<= 0.10", 0.10),
        (f"peak memory, {n_docs} / 300 docs", full["peak_kb"] / small["peak_kb"], "<= 1.3", 1.3),
    ]
    print("\nratio                                          value   target")
    for label, value, target, limit in rows:
        verdict = ""
        if limit is not None:
            ok = value >= -limit if limit < 0 else value <= limit
            verdict = "met" if ok else "MISSED"
        print(f"{label:<46} {value:6.2f}   {target:<22} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
