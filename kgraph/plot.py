"""Static figures for reports (matplotlib): the state graph and, per dyad, a
time series of cooperation against conflict.

Cooperation and conflict are measured with the PLOVER intensity of each event
(:mod:`kgraph.vocab`, Goldstein-style, from -10 to +7): per period, the sum
of the positive intensities and the sum of the negative ones, events in
either direction between the two states.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from .errors import InputError
from .graph import build_graph, rollup_to_states
from .io import atomic_write
from .view import QUAD_CLASSES, QUAD_COLOURS, TYPE_COLOURS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FORMATS",
    "dyad_series",
    "parse_dyad",
    "plot",
    "plot_graph",
    "plot_timeseries",
    "top_dyads",
]

FORMATS = ("png", "svg")
_COOPERATION = "#2b8a3e"
_CONFLICT = "#c92a2a"


def parse_dyad(text: str) -> tuple[str, str]:
    """``"USA-CHN"`` → ``("USA", "CHN")``.

    Raises:
        InputError: unless the text is two state codes joined by ``-``.
    """
    parts = [p.strip() for p in text.split("-")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f"bad dyad {text!r}: give two state codes joined by '-', such as USA-CHN")
    return parts[0], parts[1]


def top_dyads(states: nx.MultiDiGraph, n: int = 3) -> list[tuple[str, str]]:
    """The ``n`` pairs of distinct states with the most events between them."""
    counts: Counter[tuple[str, str]] = Counter()
    for u, v, data in states.edges(data=True):
        if u != v:
            counts[(min(u, v), max(u, v))] += data["count"]
    return [pair for pair, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]]


def _period(span_days: int) -> str:
    if span_days > 180:
        return "month"
    if span_days > 28:
        return "week"
    return "day"


def _bucket(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day


def dyad_series(
    states: nx.MultiDiGraph, dyad: tuple[str, str], *, period: str | None = None
) -> tuple[str, list[tuple[date, float, float]]]:
    """Cooperation and conflict between two states over time.

    Args:
        states: A state-level graph (:func:`kgraph.graph.rollup_to_states`).
        dyad: Two node ids; events in both directions count.
        period: ``"day"``, ``"week"`` or ``"month"``; chosen from the span of
            the dates when ``None``.

    Returns:
        The period and, per period start, the sum of positive intensities and
        the sum of negative intensities (a number <= 0), sorted by date.
        Undated events are left out.

    Raises:
        InputError: if a state of the dyad is not in the graph.
    """
    for state in dyad:
        if state not in states:
            known = ", ".join(sorted(states.nodes)[:20])
            raise InputError(f"unknown state {state!r} in dyad {'-'.join(dyad)}; states in the graph include: {known}")
    a, b = dyad
    points: list[tuple[date, float]] = []
    for u, v in ((a, b), (b, a)):
        for _key, data in (states.get_edge_data(u, v) or {}).items():
            for event in data["events"]:
                if event.date:
                    points.append((date.fromisoformat(event.date[:10]), data["intensity"]))
    if not points:
        return period or "day", []
    days = sorted(d for d, _ in points)
    period = period or _period((days[-1] - days[0]).days)
    coop: defaultdict[date, float] = defaultdict(float)
    conf: defaultdict[date, float] = defaultdict(float)
    for day, intensity in points:
        bucket = _bucket(day, period)
        if intensity >= 0:
            coop[bucket] += intensity
        else:
            conf[bucket] += intensity
    return period, [(d, coop.get(d, 0.0), conf.get(d, 0.0)) for d in sorted(set(coop) | set(conf))]


def _save(figure: Figure, path: Path, fmt: str) -> None:
    import matplotlib

    # Fixed ids and no timestamp: two runs give the same file.
    with matplotlib.rc_context({"svg.hashsalt": "kgraph"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        with atomic_write(path, "wb", encoding=None) as handle:
            figure.savefig(handle, format=fmt, metadata=metadata, bbox_inches="tight", dpi=150)


def _format(path: Path, fmt: str | None) -> str:
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt not in FORMATS:
        raise InputError(f"cannot plot to {path}: unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return fmt


def plot_graph(graph: nx.MultiDiGraph, path: str | Path, *, max_nodes: int = 40, fmt: str | None = None) -> None:
    """Draw the state graph: node size by events, edge colour by the quad
    class with the most articles, edge width by articles.

    Args:
        graph: The merged graph (actors are rolled up to states here).
        path: Output file; ``.png`` or ``.svg``.
        max_nodes: Draw the states with the most relations only.
        fmt: ``"png"`` or ``"svg"``; from the suffix of ``path`` when ``None``.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    path = Path(path)
    fmt = _format(path, fmt)
    states = rollup_to_states(graph)
    kept = sorted(states.nodes, key=lambda n: (-states.degree(n), n))[:max_nodes]
    dyads: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for u, v, data in states.subgraph(kept).edges(data=True):
        if u != v:
            dyads[(u, v)][data["quad_class"]] += data["articles"]
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(kept))
    for (u, v), quads in sorted(dyads.items()):
        quad = max(sorted(quads), key=lambda q: quads[q])
        simple.add_edge(u, v, quad=quad, articles=sum(quads.values()))

    figure = Figure(figsize=(11, 9))
    ax = figure.add_subplot()
    ax.set_axis_off()
    if simple.number_of_nodes():
        # Undirected and weighted by articles, so strong dyads sit close together.
        layout = nx.Graph()
        layout.add_nodes_from(simple)
        for u, v, d in simple.edges(data=True):
            weight = layout.get_edge_data(u, v, {"weight": 0})["weight"] + d["articles"]
            layout.add_edge(u, v, weight=weight)
        pos = nx.spring_layout(layout, seed=7, iterations=300, k=2.5 / max(1, simple.number_of_nodes()) ** 0.5)
        events = [states.nodes[n].get("events", 1) for n in simple.nodes]
        biggest = max(events)
        nx.draw_networkx_nodes(
            simple, pos, ax=ax, node_size=[80 + 1200 * e / biggest for e in events],
            node_color=[TYPE_COLOURS.get(states.nodes[n].get("type"), "#868e96") for n in simple.nodes], alpha=0.85,
        )
        edges = list(simple.edges(data=True))
        widest = max((d["articles"] for _, _, d in edges), default=1)
        nx.draw_networkx_edges(
            simple, pos, ax=ax, edgelist=[(u, v) for u, v, _ in edges],
            edge_color=[QUAD_COLOURS[d["quad"]] for _, _, d in edges],
            width=[0.5 + 4 * d["articles"] / widest for _, _, d in edges],
            alpha=0.6, arrows=True, arrowsize=8, connectionstyle="arc3,rad=0.08",
        )
        nx.draw_networkx_labels(
            simple, pos, ax=ax, font_size=8, labels={n: states.nodes[n].get("label") or n for n in simple.nodes}
        )
    ax.legend(
        handles=[Line2D([], [], color=QUAD_COLOURS[q], lw=3, label=name) for q, name in QUAD_CLASSES.items()],
        loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False,
    )
    left_out = states.number_of_nodes() - simple.number_of_nodes()
    ax.set_title(
        f"State graph: {simple.number_of_nodes()} states"
        + (f" ({left_out} with fewer relations left out)" if left_out else "")
        + "; colour = dominant quad class, width = articles",
        fontsize=10,
    )
    _save(figure, path, fmt)


def plot_timeseries(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    dyads: Sequence[tuple[str, str]] = (),
    period: str | None = None,
    fmt: str | None = None,
) -> list[tuple[str, str]]:
    """Cooperation (up) against conflict (down) over time, one panel per dyad.

    Args:
        graph: The merged graph (actors are rolled up to states here).
        path: Output file; ``.png`` or ``.svg``.
        dyads: Pairs of state codes; the three busiest pairs when empty.
        period: ``"day"``, ``"week"`` or ``"month"``; from the dates when ``None``.
        fmt: ``"png"`` or ``"svg"``; from the suffix of ``path`` when ``None``.

    Returns:
        The dyads plotted.

    Raises:
        InputError: for an unknown state, format or period.
    """
    from matplotlib.figure import Figure

    if period not in (None, "day", "week", "month"):
        raise InputError(f"unknown period {period!r}; use day, week or month")
    path = Path(path)
    fmt = _format(path, fmt)
    states = rollup_to_states(graph)
    chosen = list(dyads) or top_dyads(states)
    series = [dyad_series(states, dyad, period=period) for dyad in chosen]
    figure = Figure(figsize=(10, 2.6 * max(1, len(chosen)) + 0.6), layout="constrained")
    axes = figure.subplots(max(1, len(chosen)), 1, squeeze=False)[:, 0]
    for ax, dyad, (unit, points) in zip(axes, chosen, series):
        names = " – ".join(states.nodes[s].get("label") or s for s in dyad)
        ax.set_title(f"{names}: PLOVER intensity per {unit}", fontsize=10, loc="left")
        ax.axhline(0, color="#adb5bd", lw=0.8)
        ax.set_ylabel("sum of intensity", fontsize=8)
        if not points:
            ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes, color="#6c757d")
            continue
        days = [d for d, _, _ in points]
        width = {"day": 0.8, "week": 5.5, "month": 24}[unit]
        ax.bar(days, [c for _, c, _ in points], width=width, color=_COOPERATION, label="cooperation")
        ax.bar(days, [x for _, _, x in points], width=width, color=_CONFLICT, label="conflict")
        ax.plot(days, [c + x for _, c, x in points], color="#212529", lw=1, marker=".", label="net")
        ax.legend(fontsize=8, loc="upper left", frameon=False, ncols=3)
        ax.tick_params(labelsize=8)
    if not chosen:
        axes[0].text(0.5, 0.5, "no dyads with events", ha="center", va="center", transform=axes[0].transAxes)
    _save(figure, path, fmt)
    return chosen


def plot(
    events: str | Path | Iterable,
    outdir: str | Path,
    *,
    dyads: Sequence[str] = (),
    fmt: str = "png",
    max_nodes: int = 40,
    period: str | None = None,
) -> list[Path]:
    """Write ``state-graph.<fmt>`` and ``timeseries.<fmt>`` into ``outdir``.

    Args:
        events: An ``events.jsonl`` file, an output folder holding one, or events.
        outdir: Where to write the figures.
        dyads: ``"USA-CHN"``-style pairs; the three busiest when empty.
        fmt: ``"png"`` or ``"svg"``.
        max_nodes: States drawn in the graph figure.
        period: Time-series bucket (``day``, ``week``, ``month``); automatic when ``None``.

    Returns:
        The files written.
    """
    from .export import read_events

    if isinstance(events, (str, Path)):
        source = Path(events)
        if source.is_dir():
            source = source / "events.jsonl"
        events = read_events(source)
    pairs = [parse_dyad(d) for d in dyads]
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    graph = build_graph(events)
    outdir = Path(outdir)
    written = [outdir / f"state-graph.{fmt}", outdir / f"timeseries.{fmt}"]
    plot_timeseries(graph, written[1], dyads=pairs, period=period, fmt=fmt)
    plot_graph(graph, written[0], max_nodes=max_nodes, fmt=fmt)
    return written
