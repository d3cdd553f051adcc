"""How long until graph.html is interactive, in headless Chromium.

Builds the page for the current-events corpus (1,145 documents) from
extracted events, opens it from file:// in Debian's Chromium with every
request to another host aborted, and reports, per view:

* ``interactive``: milliseconds from navigation start until the page has
  drawn its graph, laid out (positions come computed; the page sets
  ``kgraph.ready`` and records ``performance.now()``) — it responds to
  hover, click and filters;
* ``wall``: the same seen from outside (``page.goto`` to ready);
* ``filter``: one legend click (hide a quad class) until the next frame is drawn;
* ``layout``: switching between the map and the force layout, until drawn.

``--times 5`` measures the corpus five times over (about 16,000 events): each
event is repeated with its article id suffixed ``~1`` … ``~4``, so the graph
has five times the events and articles (the same dyads, five times as thick);
parsing it again would only give the same events.

Usage::

    kgraph extract ../shared/corpora/current-events.jsonl -o /tmp/ce.jsonl   # once
    python benchmarks/html_interactive.py --events /tmp/ce.jsonl --times 1 5

Skips (exit 0) when ../shared is absent or Chromium is not installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "current-events.jsonl"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWS = [("state", None), ("actor", None), ("actor", 0)]
_CLICK = """() => new Promise(resolve => {
    const start = performance.now();
    document.querySelector('input[name="quad"][value="MX"]').click();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
})"""


_LAYOUT = """() => new Promise(resolve => {
    const start = performance.now();
    kgraph.setLayout(kgraph.layout === "geo" ? "force" : "geo");
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
})"""


def _graph(events_path: Path, corpus: Path, times: int = 1):
    from dataclasses import replace

    from kgraph.export import read_events
    from kgraph.graph import build_graph
    from kgraph.ingest import read_articles

    articles = {a.id: a for a in read_articles([corpus])}
    events = list(read_events(events_path))
    all_events, all_articles = list(events), dict(articles)
    for i in range(1, times):
        all_events += [replace(e, doc_id=f"{e.doc_id}~{i}") for e in events]
        all_articles.update({f"{k}~{i}": replace(a, id=f"{k}~{i}") for k, a in articles.items()})
    return build_graph(all_events, all_articles), len(all_articles), len(all_events)


def _measure(browser, path: Path) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    foreign: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.kgraph && window.kgraph.ready", timeout=120_000)
    wall = (time.perf_counter() - start) * 1000
    interactive = page.evaluate("() => kgraph.readyAt")
    nodes, edges = page.evaluate("() => [kgraph.network.body.nodeIndices.length, kgraph.edges.length]")
    click = page.evaluate(_CLICK)
    layout = page.evaluate(_LAYOUT)
    page.close()
    if foreign or errors:
        raise SystemExit(f"{path}: requests to other hosts {foreign}, console errors {errors}")
    return {"interactive": interactive, "wall": wall, "filter": click, "layout": layout, "nodes": nodes, "edges": edges}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=Path, default=Path(tempfile.gettempdir()) / "ce.jsonl",
                        help="events.jsonl of the corpus (extracted when missing; slow)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--times", type=int, nargs="+", default=[1], help="the corpus this many times over")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0
    if not CHROMIUM.exists():
        print(f"skipped: no Chromium at {CHROMIUM} (apt-get install -y chromium)")
        return 0
    if not args.events.exists():
        from kgraph.build import extract

        print(f"extracting {args.corpus} -> {args.events} (once; minutes)…", file=sys.stderr)
        extract([args.corpus], args.events)

    from playwright.sync_api import sync_playwright

    from kgraph.view import write_html

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for times in args.times:
            graph, documents, events = _graph(args.events, args.corpus, times)
            print(f"x{times}: {documents} documents, {events} events, {graph.number_of_nodes()} actors, "
                  f"{graph.number_of_edges()} edges")
            for level, max_nodes in VIEWS:
                page = Path(tmp) / f"graph-{times}-{level}-{max_nodes}.html"
                start = time.perf_counter()
                write_html(graph, page, level=level, max_nodes=max_nodes)
                written = (time.perf_counter() - start) * 1000
                runs = [_measure(browser, page) for _ in range(args.runs)]
                med = {k: statistics.median(r[k] for r in runs) for k in ("interactive", "wall", "filter", "layout")}
                each = ", ".join(f"{r['interactive']:.0f}" for r in runs)
                label = f"x{times} --level {level}" + ("" if max_nodes is None else f" --max-nodes {max_nodes}")
                print(
                    f"{label:33} {runs[0]['nodes']:4} nodes {runs[0]['edges']:5} edges "
                    f"{page.stat().st_size / 1e6:4.1f} MB  write {written:5.0f} ms  "
                    f"interactive {med['interactive']:5.0f} ms (wall {med['wall']:5.0f} ms; "
                    f"runs {each})  filter click {med['filter']:4.0f} ms  layout switch {med['layout']:4.0f} ms"
                )
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
