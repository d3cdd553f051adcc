"""The interactive HTML view of the graph.

:mod:`kgraph.view.data` turns the graph into the page's data (nodes, one
edge per directed dyad with its events, who acted in each) and
:mod:`kgraph.view.layout` places the nodes (map and force layouts, computed
here, so the page opens laid out and two builds agree). Our template
(``kgraph/templates/graph.html``) renders them as **one self-contained
page**: vis-network's script and style, shipped inside the pyvis package,
are inlined, and nothing is fetched from any other host, so the page opens
air-gapped.

Safety: every piece of article text (actor names, sentences, titles) reaches
the page either as JSON inside a ``<script>`` block (Jinja's ``tojson``
escapes ``<``, ``>``, ``&`` and ``'``), as autoescaped HTML, as a label the
page's script draws on the canvas, as a string tooltip (vis sets
``innerText``), or through the page's own script, which only uses
``textContent``. No text is ever parsed as HTML, so an actor named
``<img src=x onerror=alert(1)>`` shows as text.

Large graphs are cut to the ``max_nodes`` nodes of highest degree, with a
visible note of what was left out.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
import webbrowser
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import InputError
from ..graph import rollup_to_states
from ..io import atomic_write
from ..vocab import PLOVER_TYPES
from .data import page_data

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..pipeline import ExtractOptions

__all__ = [
    "DEFAULT_MAX_NODES",
    "LEVELS",
    "PAGES",
    "QUAD_CLASSES",
    "QUAD_COLOURS",
    "TYPE_COLOURS",
    "Cut",
    "open_in_browser",
    "select_view",
    "to_html",
    "view",
    "write_html",
]

#: Nodes kept by default: vis-network stays smooth and stabilises in a few
#: seconds on a modest laptop with this many nodes and their edges.
DEFAULT_MAX_NODES = 200
LEVELS = ("state", "actor")
#: The page of each level in an output folder: the actor page has its own
#: file, so viewing it keeps the build's state page.
PAGES = {"state": "graph.html", "actor": "graph-actor.html"}
#: Quad classes in legend order, with their readable names.
QUAD_CLASSES = {
    "VC": "verbal cooperation",
    "MC": "material cooperation",
    "VX": "verbal conflict",
    "MX": "material conflict",
}
QUAD_COLOURS = {"VC": "#2b8a3e", "MC": "#1971c2", "VX": "#e8590c", "MX": "#c92a2a"}
TYPE_COLOURS = {"country": "#4263eb", "person": "#f59f00", "organization": "#7048e8", "group": "#d6336c"}
_OTHER_TYPE_COLOUR = "#868e96"
_TEMPLATE = "graph.html"
_SCRIPT = "graph.js"
#: vis-network as shipped inside the pyvis package.
_VIS_SCRIPT = "lib/vis-9.1.2/vis-network.min.js"
_SETTINGS_RE = re.compile(r'<meta name="kgraph-view" content="([^"]*)"')


@dataclass(frozen=True)
class Cut:
    """What :func:`select_view` kept and left out.

    Attributes:
        nodes: Nodes shown.
        edges: Edges shown.
        total_nodes: Nodes in the full view (state or actor level).
        total_edges: Edges in the full view.
        omitted: Labels of the left-out nodes, highest degree first.
    """

    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    omitted: tuple[str, ...] = field(default=())

    @property
    def note(self) -> str:
        """A one-line, human-readable account of the cut ("" when nothing was cut)."""
        if not self.omitted:
            return ""
        examples = ", ".join(self.omitted[:8]) + (", …" if len(self.omitted) > 8 else "")
        return (
            f"Showing the {self.nodes} of {self.total_nodes} actors with the most relations "
            f"and {self.edges} of {self.total_edges} relations; "
            f"left out {len(self.omitted)} actors ({examples}). Use --max-nodes to show more."
        )


def select_view(
    graph: nx.MultiDiGraph, *, level: str = "state", max_nodes: int | None = None
) -> tuple[nx.MultiDiGraph, Cut]:
    """The graph the page shows: rolled up to states or not, cut to the top nodes.

    Args:
        graph: The merged graph from :func:`kgraph.graph.build_graph`.
        level: ``"state"`` (actors rolled up to their state) or ``"actor"``.
        max_nodes: Keep the nodes of highest degree (ties: more events, then
            id); ``None`` means :data:`DEFAULT_MAX_NODES`, ``0`` keeps them all.

    Returns:
        The (sub)graph to draw and a :class:`Cut` describing what was left out.

    Raises:
        InputError: for an unknown level or a negative ``max_nodes``.
    """
    if level not in LEVELS:
        raise InputError(f"unknown view level {level!r}; use one of: {', '.join(LEVELS)}")
    limit = _limit(max_nodes)
    full = rollup_to_states(graph) if level == "state" else graph
    ranked = sorted(full.nodes, key=lambda n: (-full.degree(n), -full.nodes[n].get("events", 0), n))
    if not limit or len(ranked) <= limit:
        kept, dropped = ranked, []
    else:
        kept, dropped = ranked[:limit], ranked[limit:]
    shown = full.subgraph(kept) if dropped else full
    cut = Cut(
        nodes=shown.number_of_nodes(),
        edges=shown.number_of_edges(),
        total_nodes=full.number_of_nodes(),
        total_edges=full.number_of_edges(),
        omitted=tuple(full.nodes[n].get("label") or n for n in dropped),
    )
    return shown, cut


def _limit(max_nodes: int | None) -> int:
    if max_nodes is None:
        return DEFAULT_MAX_NODES
    if max_nodes < 0:
        raise InputError(f"max nodes must be 0 (no limit) or more, not {max_nodes}")
    return max_nodes


def _pyvis_network():
    """pyvis's ``Network`` class, imported without IPython.

    ``pyvis.network`` imports ``IPython.display.IFrame`` at the top, for
    showing a network inside a notebook, which kgraph never does; importing
    IPython costs a third of a second of every build. Unless IPython is
    loaded already (then it is used as is), a stand-in module serves that
    one import and is taken out of ``sys.modules`` again right after.
    """
    import sys
    import types

    if "pyvis.network" in sys.modules or "IPython" in sys.modules:
        from pyvis.network import Network

        return Network
    names = ("IPython", "IPython.display")
    stand_in = types.ModuleType("IPython.display")
    stand_in.IFrame = None
    sys.modules.update({"IPython": types.ModuleType("IPython"), "IPython.display": stand_in})
    try:
        from pyvis.network import Network
    finally:
        for name in names:
            sys.modules.pop(name, None)
    return Network


def _options(n_edges: int) -> dict[str, Any]:
    """vis-network options: positions come laid out, so physics stays off."""
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False},
        "nodes": {
            "shape": "dot",
            "font": {"size": 0},
            "borderWidth": 1,
            "color": {"border": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "scaling": {"min": 1, "max": 9, "label": {"enabled": False}},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "physics": {"enabled": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n_edges > 1500,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def _page_meta(shown: nx.MultiDiGraph, cut: Cut, graph: nx.MultiDiGraph, tables: dict, *, level: str) -> dict[str, Any]:
    present = {d["relation"] for _, _, d in shown.edges(data=True)}
    quads = {d["quad_class"] for _, _, d in shown.edges(data=True)}
    dates = tables["dates"]
    state_labels = {
        n: d.get("label") or n for n, d in graph.nodes(data=True) if d.get("type") == "country" or n.startswith("ORG:")
    }
    states = sorted({_state_of(n, d, level) for n, d in shown.nodes(data=True)} - {""})
    types = sorted({d.get("type") or "other" for _, d in shown.nodes(data=True)})
    return {
        "level": level,
        "layout": "geo" if level == "state" else "force",
        "note": cut.note,
        "counts": {"nodes": cut.nodes, "edges": cut.edges},
        "quads": [
            {"code": q, "name": name, "colour": QUAD_COLOURS[q], "present": q in quads,
             "relations": [{"name": t.name, "label": t.label.replace("-", " ")} for t in PLOVER_TYPES
                           if t.quad_class == q and t.name in present]}
            for q, name in QUAD_CLASSES.items()
        ],
        "types": [{"type": t, "colour": TYPE_COLOURS.get(t, _OTHER_TYPE_COLOUR)} for t in types],
        "typeColours": {**TYPE_COLOURS, "other": _OTHER_TYPE_COLOUR},
        "states": [
            {"id": s, "label": state_labels.get(s, s)}
            for s in sorted(states, key=lambda s: (state_labels.get(s, s).lower(), s))
        ],
        "actors": sorted({d.get("label") or n for n, d in shown.nodes(data=True)}, key=str.lower),
        "span": [dates[0], dates[-1]] if dates else ["", ""],
        **tables,
    }


def _state_of(node: str, data: dict, level: str) -> str:
    if level == "state" or data.get("type") == "country" or node.startswith("ORG:"):
        return node
    return data.get("country") or ""


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    """Our templates first, then pyvis's (for the vis-network files we inline)."""
    _pyvis_network()  # pyvis's package imports its network module
    import pyvis
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loader = ChoiceLoader(
        [
            FileSystemLoader(Path(__file__).resolve().parent.parent / "templates"),
            FileSystemLoader(Path(pyvis.__file__).parent / "templates"),
        ]
    )
    return Environment(loader=loader, autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


def to_html(graph: nx.MultiDiGraph, *, level: str = "state", max_nodes: int | None = None) -> str:
    """Build the page as a string (pure).

    Args:
        graph: The merged graph from :func:`kgraph.graph.build_graph`.
        level: ``"state"`` or ``"actor"``.
        max_nodes: Show at most this many nodes (highest degree first);
            ``None`` means :data:`DEFAULT_MAX_NODES`, ``0`` shows all.

    Returns:
        One self-contained HTML document.

    Raises:
        InputError: for an unknown level or a negative ``max_nodes``.
    """
    shown, cut = select_view(graph, level=level, max_nodes=max_nodes)
    labels = {n: shown.nodes[n].get("label") or n for n in shown.nodes}
    nodes, edges, tables = page_data(graph, shown, level=level, labels=labels)
    meta = _page_meta(shown, cut, graph, tables, level=level)
    env = _environment()
    script = env.get_template(_SCRIPT).render(nodes=nodes, edges=edges, options=_options(len(edges)), meta=meta)
    scripts = [_vis_script(), script]
    return env.get_template(_TEMPLATE).render(
        meta=meta, scripts=scripts, csp=_csp(scripts), settings=_settings(level, max_nodes)
    )


def _vis_script() -> str:
    env = _environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, _VIS_SCRIPT)
    return source


def _csp(scripts: Sequence[str]) -> str:
    """A policy allowing exactly our inline scripts (by hash) and no request anywhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; base-uri 'none'; form-action 'none'"
    )


def write_html(
    graph: nx.MultiDiGraph, path: str | Path, *, level: str = "state", max_nodes: int | None = None
) -> None:
    """Write the interactive page (atomically); see :func:`to_html`."""
    page = to_html(graph, level=level, max_nodes=max_nodes)
    with atomic_write(path) as handle:
        handle.write(page)


def _newest_mtime(paths: Iterable[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            for root, _dirs, files in os.walk(path):
                for name in files:
                    newest = max(newest, (Path(root) / name).stat().st_mtime)
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def _settings(level: str, max_nodes: int | None) -> str:
    return f"level={level};max-nodes={_limit(max_nodes)}"


def _page_settings(page: Path) -> str | None:
    """The view settings a page was written with (a ``<meta>`` in its head)."""
    match = _SETTINGS_RE.search(page.read_text(encoding="utf-8", errors="replace")[:4096])
    return match.group(1) if match else None


def view(
    inputs: Iterable[str | Path],
    outdir: str | Path,
    *,
    level: str = "state",
    max_nodes: int | None = None,
    options: ExtractOptions | None = None,
    rebuild: bool = False,
) -> Path:
    """The page of ``inputs``, built into ``outdir`` first when needed.

    The state page is ``outdir/graph.html``, written by the build; the actor
    page is ``outdir/graph-actor.html``, drawn from the build's
    ``events.jsonl``, so that one never overwrites the other. A page is
    (re)made when it is missing, older than any input, was drawn with
    another ``max_nodes``, or when ``rebuild`` is set.

    Returns:
        The path of the page.

    Raises:
        InputError: for an unknown level or a negative ``max_nodes``, and
            whatever :func:`kgraph.build.build` raises.
    """
    from ..build import build

    select_view(nx.MultiDiGraph(), level=level, max_nodes=max_nodes)  # validate before any work
    inputs = [Path(p) for p in inputs]
    outdir = Path(outdir)
    page = outdir / PAGES[level]
    # The actor page is drawn from events.jsonl: a newer build makes it stale too.
    sources = inputs if level == "state" else [*inputs, outdir / "events.jsonl"]
    fresh = (
        page.exists()
        and _newest_mtime(sources) <= page.stat().st_mtime
        and _page_settings(page) == _settings(level, max_nodes)
    )
    if rebuild or not fresh:
        if level == "state":
            build(inputs, outdir, options=options, level=level, max_nodes=max_nodes)
        else:
            # The build's own page keeps the settings it was drawn with.
            kept_level, kept_max = _parse_settings(outdir / PAGES["state"])
            build(inputs, outdir, options=options, level=kept_level, max_nodes=kept_max)
            write_html(_built_graph(inputs, outdir), page, level=level, max_nodes=max_nodes)
    return page


def _parse_settings(page: Path) -> tuple[str, int | None]:
    """The level and node limit a page was drawn with; the defaults when unknown."""
    settings = _page_settings(page) if page.exists() else None
    values = dict(item.split("=", 1) for item in (settings or "").split(";") if "=" in item)
    level = values.get("level") if values.get("level") in LEVELS else "state"
    limit = values.get("max-nodes", "")
    return level, int(limit) if limit.isdigit() else None


def _built_graph(inputs: Sequence[Path], outdir: Path) -> nx.MultiDiGraph:
    """The graph of a build, from its ``events.jsonl`` and the inputs' article metadata."""
    from ..export import read_events
    from ..graph import build_graph
    from ..ingest import read_articles

    articles = {a.id: a for a in read_articles(inputs, on_error=lambda _skipped: None)}
    return build_graph(read_events(outdir / "events.jsonl"), articles)


def open_in_browser(path: str | Path) -> bool:
    """Open a page in the default browser; False when no browser could be started."""
    return webbrowser.open(Path(path).resolve().as_uri())
