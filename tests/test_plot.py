"""Static figures: the state graph and cooperation vs conflict per dyad."""

from __future__ import annotations

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.export import write_events
from kgraph.graph import build_graph, rollup_to_states
from kgraph.model import Actor
from kgraph.plot import (
    dyad_series,
    parse_dyad,
    plot,
    plot_graph,
    plot_timeseries,
    state_graph_figure,
    timeseries_figure,
    top_dyads,
)

from .test_view import PUTIN, RUS, UKR, USA, event, small_graph

EVENTS = [
    event("a1", RUS, "ASSAULT", UKR, "Russian forces shelled Kharkiv.", "2025-03-03"),
    event("a2", PUTIN, "THREATEN", UKR, "Putin warned Kyiv.", "2025-03-04"),
    event("a3", UKR, "CONSULT", RUS, "Envoys met in Istanbul.", "2025-03-20"),
    event("a4", UKR, "ACCUSE", RUS, "Kyiv accused Moscow.", None),
    event("a5", USA, "AID", UKR, "Washington sent aid.", "2025-03-05"),
]


@pytest.mark.parametrize(
    "period, expected",
    [
        # ASSAULT -10 and THREATEN -6 (Putin rolls up to Russia) in the week of 3 March;
        # CONSULT +1 on 20 March; the undated accusation is left out.
        ("week", [(date(2025, 3, 3), 0.0, -16.0), (date(2025, 3, 17), 1.0, 0.0)]),
        ("month", [(date(2025, 3, 1), 1.0, -16.0)]),
        (None, [(date(2025, 3, 3), 0.0, -10.0), (date(2025, 3, 4), 0.0, -6.0), (date(2025, 3, 20), 1.0, 0.0)]),
    ],
)
def test_dyad_series_sums_intensity_both_ways(period, expected):
    states = rollup_to_states(build_graph(EVENTS))
    unit, points = dyad_series(states, ("RUS", "UKR"), period=period)
    assert unit == (period or "day")
    assert points == expected


def test_top_dyads_counts_events_both_ways():
    assert top_dyads(rollup_to_states(build_graph(EVENTS)), 2) == [("RUS", "UKR"), ("UKR", "USA")]


@pytest.mark.parametrize(
    "text, expected",
    [("USA-CHN", ("USA", "CHN")), (" RUS - UKR ", ("RUS", "UKR")), ("ORG:NATO-RUS", ("ORG:NATO", "RUS"))],
)
def test_parse_dyad(text, expected):
    assert parse_dyad(text) == expected


@pytest.mark.parametrize("text", ["USA", "USA-CHN-RUS", "-CHN"])
def test_parse_dyad_rejects(text):
    with pytest.raises(InputError, match="give two state codes joined by '-', such as USA-CHN"):
        parse_dyad(text)


def test_unknown_state_is_named():
    with pytest.raises(InputError, match=r"unknown state 'XXX' in dyad RUS-XXX; states in the graph include: RUS, UKR"):
        dyad_series(rollup_to_states(build_graph(EVENTS)), ("RUS", "XXX"))


@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_figures_are_written_and_reproducible(tmp_path, suffix, magic):
    graph = build_graph(EVENTS)
    for name in ("a", "b"):
        plot_graph(graph, tmp_path / f"{name}-graph.{suffix}")
        assert plot_timeseries(graph, tmp_path / f"{name}-series.{suffix}", dyads=[("RUS", "UKR")]) == [("RUS", "UKR")]
    for kind in ("graph", "series"):
        data = (tmp_path / f"a-{kind}.{suffix}").read_bytes()
        assert data.startswith(magic)
        assert data == (tmp_path / f"b-{kind}.{suffix}").read_bytes()


def test_unknown_format_is_named(tmp_path):
    with pytest.raises(InputError, match=r"unknown format 'pdf'; use one of: png, svg"):
        plot_graph(small_graph(), tmp_path / "graph.pdf")


def test_plot_reads_an_output_folder(tmp_path):
    write_events(EVENTS, tmp_path / "events.jsonl")
    files = plot(tmp_path, tmp_path / "figs", fmt="svg")
    assert [f.name for f in files] == ["state-graph.svg", "timeseries.svg"]
    assert all(f.stat().st_size > 1000 for f in files)


def test_cli_plot(tmp_path):
    write_events(EVENTS, tmp_path / "events.jsonl")
    result = CliRunner().invoke(app, ["plot", str(tmp_path), "--dyad", "RUS-UKR"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"  wrote {tmp_path / 'state-graph.png'}",
        f"  wrote {tmp_path / 'timeseries.png'}",
    ]
    result = CliRunner().invoke(app, ["plot", str(tmp_path), "--dyad", "RUS-ATL"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown state 'ATL' in dyad RUS-ATL; dyads with events: RUS-UKR (4 events), UKR-USA (1 event)\n"
    )


def test_empty_dyad_is_an_error_naming_the_dyads_with_events(tmp_path):
    """Both states are in the graph, but nothing happened between them: no
    empty figure, an error, and nothing written."""
    write_events(EVENTS, tmp_path / "events.jsonl")
    result = CliRunner().invoke(app, ["plot", str(tmp_path), "-o", str(tmp_path / "figs"), "--dyad", "usa-rus"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: no events between USA and RUS (dyad USA-RUS); "
        "dyads with events: RUS-UKR (4 events), UKR-USA (1 event)\n"
    )
    assert not (tmp_path / "figs").exists()


@pytest.mark.parametrize(
    "period, dates, unit, first_tick",
    [
        # one day of events: whole days on the axis, never hours
        (None, ["2025-03-03"], "day", "03 Mar 2025"),
        (None, ["2025-03-03", "2025-03-20"], "day", "03 Mar 2025"),
        (None, ["2025-01-06", "2025-04-20"], "week (starting Monday)", "06 Jan 2025"),
        (None, ["2024-01-15", "2025-04-20"], "month", "Jan 2024"),
        ("month", ["2025-03-03"], "month", "Mar 2025"),
    ],
)
def test_date_axis_follows_the_period(period, dates, unit, first_tick):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    events = [event(f"d{i}", RUS, "ASSAULT", UKR, "Russia shelled Kharkiv.", d) for i, d in enumerate(dates)]
    figure, _ = timeseries_figure(build_graph(events), dyads=[("RUS", "UKR")], period=period)
    FigureCanvasAgg(figure).draw()
    [ax] = figure.axes
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ax.get_xlabel() == unit
    assert labels[0] == first_tick
    assert 1 <= len(labels) <= 11
    pattern = r"[A-Z][a-z]{2} \d{4}" if unit == "month" else r"\d\d [A-Z][a-z]{2} \d{4}"
    assert all(re.fullmatch(pattern, label) for label in labels), labels


def test_state_graph_spreads_nodes_and_labels():
    """Two components and a state with only domestic events: nodes apart,
    no label overlapping another, edges as wide as their events."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import FancyArrowPatch

    chn, hkg = Actor("CHN", "China"), Actor("HKG", "Hong Kong")
    sau, sau_gov = Actor("SAU", "Saudi Arabia"), Actor("SAU.GOV", "Saudi government", "organization", "SAU", "GOV")
    events = EVENTS + [
        event("b1", chn, "ACCUSE", hkg, "Beijing criticised Hong Kong."),
        event("b2", sau_gov, "AID", sau, "Riyadh aided its provinces."),
    ] + [event(f"c{i}", RUS, "ASSAULT", UKR, f"Strike {i}.", "2025-03-03") for i in range(4)]
    figure = state_graph_figure(build_graph(events))
    renderer = FigureCanvasAgg(figure).get_renderer()
    FigureCanvasAgg(figure).draw()
    ax = figure.axes[0]
    nodes = ax.collections[0].get_offsets()
    assert len(nodes) == 6
    points = [ax.transData.transform(p) for p in nodes]
    assert min(((a - b) ** 2).sum() ** 0.5 for i, a in enumerate(points) for b in points[i + 1:]) > 40  # pixels
    labels = [t for t in ax.texts if t.get_text()]
    assert sorted(t.get_text() for t in labels) == [
        "China", "Hong Kong", "Russia", "Saudi Arabia", "Ukraine", "United States"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    widths = sorted({round(p.get_linewidth(), 2) for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_linewidth() > 0.7})
    assert widths[0] < widths[-1]  # RUS->UKR (7 events) wider than a one-event edge
    assert "ring: domestic events" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_an_actor_without_state_is_left_out():
    lone = Actor("X.GRP.lone", "Lone group", type="group")
    states = rollup_to_states(build_graph([event("z", lone, "ASSAULT", UKR, "They attacked.")]))
    assert top_dyads(states) == []
