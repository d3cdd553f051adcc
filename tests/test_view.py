"""The HTML view: self-contained, escaped, cut to the top nodes, rebuilt only when needed."""

from __future__ import annotations

import base64
import hashlib
import html
import json
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
from kgraph.graph import build_graph
from kgraph.model import Actor, Article, Event
from kgraph.view import DEFAULT_MAX_NODES, QUAD_COLOURS, TYPE_COLOURS, select_view, to_html, view, write_html

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
    """The nodes and edges the page hands to vis-network."""
    found = re.findall(r"new vis\.DataSet\((.*?)\);\n", page)
    assert len(found) == 2, "expected one nodes and one edges DataSet"
    return json.loads(found[0]), json.loads(found[1])


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


def test_nodes_and_edges_carry_style_and_evidence(page):
    nodes, edges = data_sets(page)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["RUS.PER.vladimir-putin"]["color"] == TYPE_COLOURS["person"]
    assert by_id["UKR"]["value"] == 3  # three events involve Ukraine
    attack = next(e for e in edges if e["kg"]["relation"] == "ASSAULT")
    assert attack["from"] == "RUS" and attack["to"] == "UKR"
    assert attack["label"] == "attacks"
    assert attack["color"]["color"] == QUAD_COLOURS["MX"]
    assert attack["value"] == 1 and attack["arrows"] == "to"
    assert attack["kg"]["dates"] == ["2025-03-01"]
    assert attack["kg"]["evidence"] == [
        {
            "sentence": "Russian forces shelled Kharkiv.",
            "evidence": "Russian forces shelled Kharkiv.",
            "date": "2025-03-01",
            "doc": "a1",
            "title": "Strikes <b>continue</b>",
            "url": "https://news.example/a1",
        }
    ]
    assert attack["title"].splitlines()[:3] == [
        "Russia attacks Ukraine",
        "ASSAULT · material conflict",
        "1 events in 1 articles, 2025-03-01",
    ]


def test_payload_reaches_the_page_only_as_data(page):
    parsed = parse(page)
    assert "img" not in parsed.tags
    assert XSS not in page  # every occurrence is escaped (JSON \u003c or &lt;)
    nodes, edges = data_sets(page)
    assert {n["label"] for n in nodes} >= {XSS}
    assert any(XSS in e["title"] for e in edges)


def test_state_level_rolls_up_persons(page):
    nodes, edges = data_sets(to_html(small_graph(), level="state"))
    assert sorted(n["id"] for n in nodes) == ["CHN", "RUS", "UKR", "USA"]
    assert ("RUS", "THREATEN", "UKR") in {(e["from"], e["kg"]["relation"], e["to"]) for e in edges}


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
    assert label in {n["label"] for n in nodes}
    accuse = next(e for e in edges if e["kg"]["relation"] == "ACCUSE")
    assert accuse["title"].startswith(f"{label} criticizes Russia\n")
    attack = next(e for e in edges if e["kg"]["relation"] == "ASSAULT")
    assert attack["kg"]["evidence"][0]["title"] == title
    # The search list and the note are HTML-escaped text.
    assert f'<option value="{_escape(label)}">' in page


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_view_builds_only_when_needed(tmp_path, monkeypatch):
    calls = []

    def fake_build(inputs, outdir, **options):
        calls.append(options)
        write_html(small_graph(), Path(outdir) / "graph.html", level=options["level"], max_nodes=options["max_nodes"])

    monkeypatch.setattr(sys.modules["kgraph.build"], "build", fake_build)
    source = tmp_path / "news.txt"
    source.write_text("Russia attacked Ukraine.", encoding="utf-8")
    out = tmp_path / "out"
    page = view([source], out)
    assert page == out / "graph.html" and len(calls) == 1
    view([source], out)
    assert len(calls) == 1  # up to date: not rebuilt
    view([source], out, level="actor")
    assert [c["level"] for c in calls] == ["state", "actor"]  # other settings: rebuilt
    view([source], out, level="actor", rebuild=True)
    assert len(calls) == 3


def test_cli_view_prints_the_page_without_opening(tmp_path, monkeypatch):
    def fake_build(inputs, outdir, **options):
        write_html(small_graph(), Path(outdir) / "graph.html", level=options["level"], max_nodes=options["max_nodes"])

    monkeypatch.setattr(sys.modules["kgraph.build"], "build", fake_build)
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(out), "--no-open", "--max-nodes", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out / "graph.html") and opened == []
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(out), "--max-nodes", "3"])
    assert result.exit_code == 0 and opened == [(out / "graph.html").resolve().as_uri()]


def test_cli_view_rejects_an_unknown_level(tmp_path):
    result = CliRunner().invoke(app, ["view", str(tmp_path), "-o", str(tmp_path / "out"), "--level", "planet"])
    assert result.exit_code == 1
    assert "Error: unknown view level 'planet'; use one of: state, actor" in result.output
