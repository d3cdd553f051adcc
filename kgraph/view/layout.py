"""Where the page puts its nodes: a geographic and a force layout, both
computed here, so the page opens laid out and two builds place every node
at the same point.

Geographic: each state at its capital (``kgraph/data/capitals.tsv``,
GeoNames), ``x`` growing with longitude and ``y`` with latitude southward
(an equirectangular map); an actor of a state on a small ring beside it;
international organisations, stateless actors and states without a known
capital in a column east of the map. Force: a seeded Fruchterman–Reingold
layout of the drawn edges. Both are then spread so that no two nodes
overlap (Jerusalem and East Jerusalem are one point on the map), moving each
node as little as needed.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["CAPITALS", "capitals", "force_layout", "geo_layout", "node_size"]

CAPITALS = Path(__file__).resolve().parent.parent / "data" / "capitals.tsv"
#: Canvas units per degree of longitude; latitude is stretched a little, as
#: most states lie between 40° south and 65° north and a screen is wider than high.
_DEGREE = 7.0
_STRETCH = 1.9
_MIN_SIZE, _MAX_SIZE = 6.0, 26.0
#: Free space kept between two nodes' circles, in canvas units.
_GAP = 6.0
#: Least vertical step between two actors of the margin, for their labels.
_MARGIN_STEP = 42.0


@functools.lru_cache(maxsize=1)
def capitals() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 → (latitude, longitude) of the state's capital."""
    out: dict[str, tuple[float, float]] = {}
    with CAPITALS.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or line.startswith("iso3\t") or not line.strip():
                continue
            code, _capital, lat, lon = line.rstrip("\n").split("\t")
            out[code] = (float(lat), float(lon))
    return out


def node_size(events: int, most: int) -> float:
    """Radius of a node: its area grows with its number of events."""
    if most <= 0:
        return _MIN_SIZE
    return round(_MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * math.sqrt(max(events, 0) / most), 1)


def geo_layout(
    nodes: Sequence[str], states: Mapping[str, str], sizes: Mapping[str, float]
) -> dict[str, tuple[float, float]]:
    """Positions on a world map.

    Args:
        nodes: Node ids, most important first (the margin column follows this order).
        states: The state of each node ("" for none); a state's own node maps to itself.
        sizes: Radius of each node.
    """
    coords = capitals()
    pos: dict[str, tuple[float, float]] = {}
    members: dict[str, list[str]] = {}
    margin: list[str] = []
    for node in nodes:
        state = states.get(node) or ""
        if state in coords and state == node:
            lat, lon = coords[state]
            pos[node] = (lon * _DEGREE, -lat * _DEGREE * _STRETCH)
        elif state in coords:
            members.setdefault(state, []).append(node)
        else:
            margin.append(node)
    for state, group in sorted(members.items()):
        lat, lon = coords[state]
        cx, cy = lon * _DEGREE, -lat * _DEGREE * _STRETCH
        ring = 28.0 + 4.0 * len(group)
        for i, node in enumerate(group):
            # The first actor (the most active) straight above, then clockwise.
            angle = -math.pi / 2 + 2 * math.pi * i / len(group)
            pos[node] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
    # The margin: columns east of the map, top to bottom, no taller than the map.
    top, bottom = -65 * _DEGREE * _STRETCH, 45 * _DEGREE * _STRETCH
    x, y, column = 192 * _DEGREE, top, 0.0
    for node in margin:
        size = sizes.get(node, _MIN_SIZE)
        if y + 2 * size > bottom:
            x += column + 36 * _DEGREE  # room for the labels of the column before
            y, column = top, 0.0
        pos[node] = (x + size, y + size)
        column = max(column, 2 * size)
        y += max(2 * size + 3 * _GAP, _MARGIN_STEP)
    return spread(pos, sizes)


def force_layout(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, float]], sizes: Mapping[str, float]
) -> dict[str, tuple[float, float]]:
    """A seeded spring layout of ``edges`` (source, target, weight)."""
    import networkx as nx

    if not nodes:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for u, v, weight in edges:
        if u != v:
            old = graph.get_edge_data(u, v, {}).get("weight", 0.0)
            graph.add_edge(u, v, weight=old + weight)
    for _u, _v, data in graph.edges(data=True):
        data["weight"] = 1.0 + math.log1p(data["weight"])
    # The largest connected part gets the spring layout; the small ones
    # (a pair, a state with only domestic events) sit in rows under it, where
    # a spring layout would fling them to the edges of the picture.
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    main = graph.subgraph(parts[0])
    n = main.number_of_nodes()
    layout = nx.spring_layout(
        main, k=2.5 / math.sqrt(n), seed=7, iterations=60 if n <= 400 else 30, weight="weight"
    ) if n > 1 else {next(iter(parts[0])): (0.0, 0.0)}
    extent = 70.0 * math.sqrt(n) + 100.0
    pos = {node: (float(x) * extent, float(y) * extent) for node, (x, y) in layout.items()}
    # Each small part in a row of its own cell, its members wide enough apart for a label.
    x, y, step = -extent, extent + 120.0, 110.0
    for part in parts[1:]:
        width = step * len(part)
        if x + width > extent and x > -extent:
            x, y = -extent, y + 90.0
        for j, node in enumerate(sorted(part, key=lambda m: (-sizes.get(m, 0), m))):
            pos[node] = (x + step * j, y + (30.0 if j % 2 else 0.0))
        x += width + 60.0
    return spread(pos, sizes)


def spread(
    pos: Mapping[str, tuple[float, float]], sizes: Mapping[str, float], *, rounds: int = 60
) -> dict[str, tuple[float, float]]:
    """Move overlapping nodes apart, each pair along the line joining them.

    Deterministic: coincident nodes part along an angle taken from their
    order; positions are rounded to a tenth of a unit.
    """
    import numpy as np
    from scipy.spatial import cKDTree

    ids = sorted(pos)
    if len(ids) < 2:
        return {k: (round(x, 1), round(y, 1)) for k, (x, y) in pos.items()}
    xy = np.array([pos[i] for i in ids], dtype=float)
    radius = np.array([sizes.get(i, _MIN_SIZE) for i in ids], dtype=float)
    reach = 2 * float(radius.max()) + _GAP
    index = np.arange(len(ids))
    # A fixed direction for each pair that starts at one point.
    tie = np.stack([np.cos(index * 2.399963), np.sin(index * 2.399963)], axis=1)
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]  # the same sums in the same order
        i, j = pairs[:, 0], pairs[:, 1]
        delta = xy[i] - xy[j]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        overlap = radius[i] + radius[j] + _GAP - dist
        hit = overlap > 1e-9
        if not hit.any():
            break
        i, j, delta, dist, overlap = i[hit], j[hit], delta[hit], dist[hit], overlap[hit]
        apart = dist > 1e-6
        unit = np.where(apart[:, None], delta / np.where(apart, dist, 1.0)[:, None], tie[i] - tie[j])
        push = 0.5 * overlap[:, None] * unit
        move = np.zeros_like(xy)
        np.add.at(move, i, push)
        np.add.at(move, j, -push)
        count = np.bincount(i, minlength=len(ids)) + np.bincount(j, minlength=len(ids))
        xy += move / np.maximum(1, count)[:, None]
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(ids, xy)}
