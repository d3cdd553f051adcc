"""Static figures: the state graph and cooperation vs conflict per dyad."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.export import write_events
from kgraph.graph import build_graph, rollup_to_states
from kgraph.model import Actor
from kgraph.plot import dyad_series, parse_dyad, plot, plot_graph, plot_timeseries, top_dyads

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
    assert "Error: unknown state 'ATL' in dyad RUS-ATL" in result.output


def test_an_actor_without_state_is_left_out():
    lone = Actor("X.GRP.lone", "Lone group", type="group")
    states = rollup_to_states(build_graph([event("z", lone, "ASSAULT", UKR, "They attacked.")]))
    assert top_dyads(states) == []
