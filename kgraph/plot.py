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
    "check_dyad",
    "dyad_series",
    "dyads_with_events",
    "parse_dyad",
    "plot",
    "plot_graph",
    "plot_timeseries",
    "state_graph_figure",
    "timeseries_figure",
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
    parts = [p.strip().upper() for p in text.split("-")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f"bad dyad {text!r}: give two state codes joined by '-', such as USA-CHN")
    return parts[0], parts[1]


def top_dyads(states: nx.MultiDiGraph, n: int = 3) -> list[tuple[str, str]]:
    """The ``n`` pairs of distinct states with the most events between them."""
    return [pair for pair, _ in dyads_with_events(states)[:n]]


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


#: Gap between the packed components of the state graph, in layout units.
_COMPONENT_GAP = 0.7
#: Label placement: passes of the overlap removal, and the padding kept
#: between two labels (or a label and a node), in pixels.
_LABEL_PASSES = 400
_LABEL_PAD = 2.0


def _component_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions that spread the nodes: each connected component is laid out
    on its own (a spring layout, fixed seed) in a square whose side grows with
    the square root of its size, and the squares are packed in rows, largest
    first. One spring layout of the whole graph pushes the big component into
    a corner as soon as a lone pair of states sits apart from it."""
    import numpy as np

    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c))
    sides = [max(1.0, len(c) ** 0.5) for c in components]
    row_width = max(max(sides, default=1.0), sum(side * side for side in sides) ** 0.5 * 1.2)
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, side in zip(components, sides):
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height - _COMPONENT_GAP, 0.0
        sub = graph.subgraph(nodes)
        if len(nodes) == 1:
            local = {nodes[0]: np.array([0.5, 0.5])}
        else:
            raw = nx.spring_layout(sub, seed=7, iterations=500, k=2.0 / len(nodes) ** 0.5, weight="weight")
            points = _apart(np.array([raw[n] for n in nodes]), 1.2 / len(nodes) ** 0.5)
            low, high = points.min(axis=0), points.max(axis=0)
            span = np.where(high - low > 0, high - low, 1.0)
            local = {n: (point - low) / span for n, point in zip(nodes, points)}
        for node in nodes:
            px, py = local[node]
            pos[node] = (x + float(px) * side, y - float(py) * side)
        x += side + _COMPONENT_GAP
        row_height = max(row_height, side)
    return pos


def _apart(points, distance: float):
    """The points moved until no two are closer than ``distance`` (a
    deterministic relaxation): a spring layout may put two strongly linked
    states on top of each other."""
    import numpy as np

    points = points.astype(float).copy()
    for _ in range(200):
        moved = False
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                delta = points[j] - points[i]
                gap = float(np.hypot(*delta))
                if gap < distance:
                    direction = delta / gap if gap > 1e-9 else np.array([1.0, 0.0])
                    shift = direction * (distance - gap) / 2
                    points[i] -= shift
                    points[j] += shift
                    moved = True
        if not moved:
            break
    return points


def _overlap(a, b, pad: float) -> tuple[float, float]:
    """How far two boxes (x0, y0, x1, y1) overlap along x and y (0 if apart)."""
    dx = min(a[2], b[2]) - max(a[0], b[0]) + pad
    dy = min(a[3], b[3]) - max(a[1], b[1]) + pad
    return (dx, dy) if dx > 0 and dy > 0 else (0.0, 0.0)


def _spread_labels(figure: Figure, ax, texts: list, obstacles: list[tuple[float, float, float, float]]) -> None:
    """Move labels apart until none overlaps another label or a node.

    A deterministic relaxation in pixels: each pass pushes every overlapping
    pair apart along the axis where they overlap least (a node does not
    move). The labels' own extents are measured with the Agg renderer.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    boxes = [list(t.get_window_extent(renderer).extents) for t in texts]
    frame = ax.get_window_extent(renderer).extents
    for _ in range(_LABEL_PASSES):
        moved = False
        for box in boxes:
            # Inside the axes: a long name must not run into the legend.
            shift_x = max(0.0, frame[0] - box[0]) - max(0.0, box[2] - frame[2])
            shift_y = max(0.0, frame[1] - box[1]) - max(0.0, box[3] - frame[3])
            box[0] += shift_x
            box[2] += shift_x
            box[1] += shift_y
            box[3] += shift_y
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                dx, dy = _overlap(boxes[i], boxes[j], _LABEL_PAD)
                if dx:
                    _push(boxes[i], boxes[j], dx, dy)
                    moved = True
            for fixed in obstacles:
                dx, dy = _overlap(boxes[i], fixed, _LABEL_PAD)
                if dx:
                    _push(boxes[i], list(fixed), dx, dy, share=1.0)
                    moved = True
        if not moved:
            break
    inverse = ax.transData.inverted()
    for text, box in zip(texts, boxes):
        # The texts are centred horizontally and top-aligned.
        text.set_position(inverse.transform(((box[0] + box[2]) / 2, box[3])))


def _push(a: list[float], b: list[float], dx: float, dy: float, *, share: float = 0.5) -> None:
    """Move box ``a`` (and ``b`` unless ``share`` is 1) apart by the overlap."""
    if dy <= dx:
        step = dy * share + 0.5
        sign = 1.0 if (a[1] + a[3]) >= (b[1] + b[3]) else -1.0
        a[1] += sign * step
        a[3] += sign * step
        if share < 1.0:
            b[1] -= sign * step
            b[3] -= sign * step
    else:
        step = dx * share + 0.5
        sign = 1.0 if (a[0] + a[2]) >= (b[0] + b[2]) else -1.0
        a[0] += sign * step
        a[2] += sign * step
        if share < 1.0:
            b[0] -= sign * step
            b[2] -= sign * step


def plot_graph(graph: nx.MultiDiGraph, path: str | Path, *, max_nodes: int = 40, fmt: str | None = None) -> None:
    """Draw the state graph for print (see :func:`state_graph_figure`).

    Args:
        graph: The merged graph (actors are rolled up to states here).
        path: Output file; ``.png`` or ``.svg``.
        max_nodes: Draw the states with the most relations only.
        fmt: ``"png"`` or ``"svg"``; from the suffix of ``path`` when ``None``.
    """
    path = Path(path)
    fmt = _format(path, fmt)
    _save(state_graph_figure(graph, max_nodes=max_nodes), path, fmt)


def state_graph_figure(graph: nx.MultiDiGraph, *, max_nodes: int = 40) -> Figure:
    """The state graph: components laid out apart and packed, labels moved
    until none overlaps another or a node, node area by events, edge colour
    by the quad class with the most events, edge width by events, a dashed
    ring round a state with domestic events (its own self-loop)."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    states = rollup_to_states(graph)
    kept = sorted(states.nodes, key=lambda n: (-states.degree(n), n))[:max_nodes]
    dyads: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    domestic: Counter[str] = Counter()
    for u, v, data in states.subgraph(kept).edges(data=True):
        if u == v:
            domestic[u] += data["count"]
        else:
            dyads[(u, v)][data["quad_class"]] += data["count"]
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(kept))
    for (u, v), quads in sorted(dyads.items()):
        quad = max(sorted(quads), key=lambda q: quads[q])
        simple.add_edge(u, v, quad=quad, events=sum(quads.values()))

    count = simple.number_of_nodes()
    figure = Figure(figsize=(12, 9))
    ax = figure.add_axes((0.02, 0.02, 0.78, 0.9))
    ax.set_axis_off()
    if count:
        # Undirected and weighted by events, so strong dyads sit close together.
        layout = nx.Graph()
        layout.add_nodes_from(simple)
        for u, v, d in simple.edges(data=True):
            weight = layout.get_edge_data(u, v, {"weight": 0})["weight"] + d["events"]
            layout.add_edge(u, v, weight=weight)
        pos = _component_layout(layout)
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        ax.set_xlim(min(xs) - 0.35, max(xs) + 0.35)
        ax.set_ylim(min(ys) - 0.45, max(ys) + 0.3)
        nodes = list(simple.nodes)
        events = [states.nodes[n].get("events", 1) for n in nodes]
        biggest = max(events)
        sizes = [120 + 1400 * e / biggest for e in events]
        nx.draw_networkx_nodes(
            simple, pos, ax=ax, nodelist=nodes, node_size=sizes, linewidths=0.8, edgecolors="white",
            node_color=[TYPE_COLOURS.get(states.nodes[n].get("type"), "#868e96") for n in nodes], alpha=0.9,
        )
        ringed = [n for n in nodes if domestic[n]]
        if ringed:
            ax.scatter(
                [pos[n][0] for n in ringed], [pos[n][1] for n in ringed],
                s=[sizes[nodes.index(n)] * 1.9 for n in ringed], facecolors="none", edgecolors="#495057",
                linewidths=1.0, linestyles="--", zorder=0,
            )
        edges = sorted(simple.edges(data=True), key=lambda e: (e[2]["events"], e[0], e[1]))
        most = max((d["events"] for _, _, d in edges), default=1)
        nx.draw_networkx_edges(
            simple, pos, ax=ax, edgelist=[(u, v) for u, v, _ in edges], nodelist=nodes, node_size=sizes,
            edge_color=[QUAD_COLOURS[d["quad"]] for _, _, d in edges],
            width=[_edge_width(d["events"], most) for _, _, d in edges],
            alpha=0.85, arrows=True, arrowstyle="-|>", arrowsize=12, connectionstyle="arc3,rad=0.12",
        )
        labels = []
        for node, size in zip(nodes, sizes):
            # Below the node: its radius in points, as an offset in pixels.
            text = ax.annotate(
                states.nodes[node].get("label") or node, pos[node], xytext=(0, -(size ** 0.5) / 2 - 2),
                textcoords="offset points", ha="center", va="top", fontsize=9, zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            labels.append(text)
        _place_labels(figure, ax, labels, pos, nodes, [size * 1.9 if domestic[n] else size for n, size in zip(nodes, sizes)])
    handles = [Line2D([], [], color=QUAD_COLOURS[q], lw=3, label=name) for q, name in QUAD_CLASSES.items()]
    if count and simple.number_of_edges():
        handles += [
            Line2D([], [], color="#495057", lw=_edge_width(1, most), label="1 event"),
            Line2D([], [], color="#495057", lw=_edge_width(most, most), label=f"{most} events"),
        ]
    if count and domestic:
        handles.append(Line2D([], [], color="#495057", lw=1, ls="--", marker="o", mfc="none", ms=10,
                              label="ring: domestic events"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False,
              title="edge colour: quad class\nwith most events", title_fontsize=9)
    left_out = states.number_of_nodes() - count
    figure.suptitle(
        f"State graph: {count} states, {simple.number_of_edges()} directed dyads"
        + (f" ({left_out} states with fewer relations left out)" if left_out else "")
        + "; node area = events, edge width = events",
        fontsize=11, x=0.02, ha="left",
    )
    return figure


def _edge_width(events: int, most: int) -> float:
    return 1.0 + 6.0 * events / max(1, most)


def _place_labels(figure: Figure, ax, labels: list, pos: dict, nodes: list[str], sizes: list[float]) -> None:
    """Spread the labels (see :func:`_spread_labels`) with the nodes as
    obstacles, and draw a thin leader to a label moved far from its node."""
    dpi = figure.dpi
    obstacles = []
    for node, size in zip(nodes, sizes):
        cx, cy = ax.transData.transform(pos[node])
        radius = (size ** 0.5) / 2 * dpi / 72
        obstacles.append((cx - radius, cy - radius, cx + radius, cy + radius))
    before = [ax.transData.transform(pos[n]) for n in nodes]
    # From offset-points annotations to plain data positions, so that the
    # relaxation can move them freely.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    inverse = ax.transData.inverted()
    for text in labels:
        box = text.get_window_extent(renderer)
        text.xyann = tuple(inverse.transform(((box.x0 + box.x1) / 2, box.y1)))
        text.set_anncoords("data")
    _spread_labels(figure, ax, labels, obstacles)
    for text, (cx, cy), size in zip(labels, before, sizes):
        tx, ty = ax.transData.transform(text.xyann)
        if ((tx - cx) ** 2 + (ty - cy) ** 2) ** 0.5 > (size ** 0.5) * dpi / 72 + 12:
            ax.annotate("", xy=text.xy, xytext=text.xyann, arrowprops={"arrowstyle": "-", "color": "#adb5bd", "lw": 0.6})


#: Bar width (days) and tick spacing of each period.
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30.5}
_BAR_SHARE = 0.8
#: At most this many date ticks on an axis.
_MAX_TICKS = 10
_SHOWN_DYADS = 10


def dyads_with_events(states: nx.MultiDiGraph) -> list[tuple[tuple[str, str], int]]:
    """Every pair of distinct states with events between them (either
    direction) and how many, the most first."""
    counts: Counter[tuple[str, str]] = Counter()
    for u, v, data in states.edges(data=True):
        if u != v:
            counts[(min(u, v), max(u, v))] += data["count"]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def check_dyad(states: nx.MultiDiGraph, dyad: tuple[str, str]) -> None:
    """Make sure the two states have events between them.

    Raises:
        InputError: for a state not in the graph or a dyad without events,
            naming the dyads that have events.
    """
    known = dyads_with_events(states)
    shown = ", ".join(f"{a}-{b} ({n} event{'s' if n != 1 else ''})" for (a, b), n in known[:_SHOWN_DYADS])
    if len(known) > _SHOWN_DYADS:
        shown += f" and {len(known) - _SHOWN_DYADS} more"
    listing = f"dyads with events: {shown}" if known else "no two states have events between them"
    for state in dyad:
        if state not in states:
            raise InputError(f"unknown state {state!r} in dyad {'-'.join(dyad)}; {listing}")
    a, b = dyad
    if not states.has_edge(a, b) and not states.has_edge(b, a):
        raise InputError(f"no events between {a} and {b} (dyad {a}-{b}); {listing}")


def _date_axis(ax, unit: str, first: date, last: date) -> None:
    """Ticks on whole days, Mondays or months as the period says, never on
    hours, and at most :data:`_MAX_TICKS` of them; one period of margin on
    either side, so a dyad with events on one day still reads as that day."""
    import matplotlib.dates as mdates

    step = _PERIOD_DAYS[unit]
    # In matplotlib's date numbers (days): a date minus 0.6 days is the same date.
    start = mdates.date2num(first) - step * 0.6
    end = mdates.date2num(last) + step * 1.6
    ax.xaxis_date()
    ax.set_xlim(start, end)
    periods = max(1, round((end - start) / step))
    interval = max(1, -(-periods // _MAX_TICKS))
    if unit == "month":
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=interval))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax.set_xlabel("month", fontsize=8)
    elif unit == "week":
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=interval))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        ax.set_xlabel("week (starting Monday)", fontsize=8)
    else:
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=interval))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        ax.set_xlabel("day", fontsize=8)
    ax.xaxis.set_minor_locator(mdates.DayLocator() if unit == "day" and interval > 1 else mdates.MonthLocator())


def plot_timeseries(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    dyads: Sequence[tuple[str, str]] = (),
    period: str | None = None,
    fmt: str | None = None,
) -> list[tuple[str, str]]:
    """Cooperation (up) against conflict (down) over time, one panel per dyad.

    Bars cover their period (a day, a week from Monday, a month); the dates
    are ticked by that period, and the line is the net intensity.

    Args:
        graph: The merged graph (actors are rolled up to states here).
        path: Output file; ``.png`` or ``.svg``.
        dyads: Pairs of state codes; the three busiest pairs when empty.
        period: ``"day"``, ``"week"`` or ``"month"``; from the dates when ``None``.
        fmt: ``"png"`` or ``"svg"``; from the suffix of ``path`` when ``None``.

    Returns:
        The dyads plotted.

    Raises:
        InputError: for an unknown state, a dyad without events (naming the
            dyads with events), an unknown format or period.
    """
    path = Path(path)
    fmt = _format(path, fmt)
    figure, chosen = timeseries_figure(graph, dyads=dyads, period=period)
    _save(figure, path, fmt)
    return chosen


def timeseries_figure(
    graph: nx.MultiDiGraph, *, dyads: Sequence[tuple[str, str]] = (), period: str | None = None
) -> tuple[Figure, list[tuple[str, str]]]:
    """The figure of :func:`plot_timeseries` and the dyads it shows.

    Raises:
        InputError: for an unknown state, a dyad without events or an unknown period.
    """
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    if period not in (None, "day", "week", "month"):
        raise InputError(f"unknown period {period!r}; use day, week or month")
    states = rollup_to_states(graph)
    for dyad in dyads:
        check_dyad(states, dyad)
    chosen = list(dyads) or top_dyads(states)
    series = [dyad_series(states, dyad, period=period) for dyad in chosen]
    figure = Figure(figsize=(11, 2.8 * max(1, len(chosen)) + 0.4), layout="constrained")
    axes = figure.subplots(max(1, len(chosen)), 1, squeeze=False)[:, 0]
    for ax, dyad, (unit, points) in zip(axes, chosen, series):
        names = " – ".join(states.nodes[s].get("label") or s for s in dyad)
        ax.set_title(f"{names}: PLOVER intensity per {unit}, events in both directions", fontsize=10, loc="left")
        ax.axhline(0, color="#868e96", lw=0.8)
        ax.set_ylabel("sum of intensity", fontsize=8)
        ax.tick_params(labelsize=8)
        if not points:
            ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes, color="#6c757d")
            ax.set_xticks([])
            continue
        days = [float(x) for x in mdates.date2num([d for d, _, _ in points])]
        width = _PERIOD_DAYS[unit] * _BAR_SHARE
        middle = [d + width / 2 for d in days]
        ax.bar(days, [c for _, c, _ in points], width=width, align="edge", color=_COOPERATION, label="cooperation")
        ax.bar(days, [x for _, _, x in points], width=width, align="edge", color=_CONFLICT, label="conflict")
        # Net per period as marks, not a line: a line would run through periods with no events.
        ax.plot(middle, [c + x for _, c, x in points], color="#212529", ls="none", marker="D", ms=4, label="net")
        top = max(c for _, c, _ in points)
        bottom = min(x for _, _, x in points)
        margin = max(1.0, (top - bottom) * 0.12)
        ax.set_ylim(bottom - margin, top + margin)
        _date_axis(ax, unit, points[0][0], points[-1][0])
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    if not chosen:
        axes[0].text(0.5, 0.5, "no dyads with events", ha="center", va="center", transform=axes[0].transAxes)
    return figure, chosen


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
