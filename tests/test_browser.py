"""The page in a real browser: Debian's Chromium driven by Playwright.

Every request is intercepted: the page file itself is served, anything else
is recorded and aborted, so "zero requests to other hosts" is checked, not
assumed. Playwright never downloads a browser here: it drives the system
Chromium (``apt-get install chromium``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kgraph.graph import build_graph, rollup_to_states
from kgraph.model import Actor
from kgraph.view import to_html, write_html

from .test_view import XSS, event, small_graph, star

pytestmark = pytest.mark.browser

# KGRAPH_CHROMIUM points elsewhere (chromium-browser on Ubuntu, say).
CHROMIUM = Path(os.environ.get("KGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A payload that would leave traces if it ran: a dialog, a global, a request.
PAYLOAD = XSS + "<script>window.__xss = 1</script><svg onload=window.__xss=2>"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with 'apt-get install -y chromium' (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra: pip install -e '.[dev]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@dataclass
class Session:
    page: object
    url: str
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_page(browser, tmp_path):
    """``open_page(html)`` → a :class:`Session` on the page, laid out and ready."""
    contexts = []

    def run(html: str) -> Session:
        path = tmp_path / f"page{len(contexts)}.html"
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        session = Session(page, path.resolve().as_uri())

        def route(r):
            session.requests.append(r.request.url)
            if r.request.url == session.url:
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type in ("error", "warning") and session.problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: session.problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: session.problems.append(f"requestfailed: {r.url}"))
        page.on("dialog", lambda d: (session.dialogs.append(d.message), d.dismiss()))
        page.goto(session.url)
        # A function, not a string: the page's CSP forbids eval.
        page.wait_for_function("() => window.kgraph && window.kgraph.ready", timeout=30_000)
        return session

    yield run
    for context in contexts:
        context.close()


def edge_id(session: Session, relation: str) -> str:
    """The first edge with an event of ``relation``."""
    return session.js(
        "r => kgraph.edges.get({filter: e => e.kg.ev.some(ev => kgraph.meta.relations[ev[1]].name === r)})[0].id",
        relation,
    )


def visible_edges(session: Session) -> list[str]:
    """Edges drawn by the network (vis's own state, not just the DataSet)."""
    return sorted(session.js("() => Object.values(kgraph.network.body.edges).filter(e => !e.options.hidden).map(e => e.id)"))


# The edges of small_graph() at actor level, one per dyad.
ACCUSE, AID, ASSAULT, CONSULT, THREATEN = (
    "UKR.GRP.x>RUS", "USA>UKR", "RUS>UKR", "USA>CHN", "RUS.PER.vladimir-putin>UKR"
)


def test_page_loads_offline_with_every_node(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    assert session.problems == []
    assert session.requests == [session.url]
    counts = session.js(
        "() => [kgraph.nodes.length, kgraph.network.body.nodeIndices.length, kgraph.edges.length,"
        " document.querySelector('#network canvas').width > 0, kgraph.network.physics.options.enabled]"
    )
    assert counts == [6, 6, 5, True, False]  # six actors drawn, laid out before the page opens
    assert session.page.inner_text("#status") == "5 of 5 dyads, 6 actors"


def test_state_view_and_cut_note(open_page):
    session = open_page(to_html(star(30), level="actor", max_nodes=10))
    assert session.js("() => kgraph.network.body.nodeIndices.length") == 10
    note = session.page.inner_text("#cut-note")
    assert note.startswith("Showing the 10 of 31 actors with the most relations")
    session = open_page(to_html(small_graph(), level="state"))
    assert sorted(session.js("() => kgraph.nodes.getIds()")) == ["CHN", "RUS", "UKR", "USA"]
    assert session.problems == []


def test_xss_payload_does_not_execute(open_page):
    session = open_page(to_html(small_graph(villain=PAYLOAD), level="actor"))
    villain = "UKR.GRP.x"
    # Every place the name is shown: canvas label, tooltip, details, search.
    session.js("([e, n]) => { kgraph.showEdge(e); kgraph.showNode(n); }", [edge_id(session, "ACCUSE"), villain])
    details = session.page.inner_text("#details")
    session.page.fill("#search", "onerror")
    session.page.press("#search", "Enter")
    session.page.wait_for_timeout(500)
    assert session.js("() => kgraph.network.getSelectedNodes()") == [villain]
    assert session.page.inner_text("#details h3") == PAYLOAD  # shown as text
    assert PAYLOAD in details
    assert session.dialogs == []
    assert session.js("() => window.__xss") is None
    assert session.js("() => document.querySelectorAll('img, svg, #details script').length") == 0
    assert session.requests == [session.url]  # an <img src=x> that ran would have asked for x
    assert session.problems == []


def test_filter_click_hides_the_filtered_edges(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    assert visible_edges(session) == sorted([ACCUSE, AID, ASSAULT, CONSULT, THREATEN])
    session.page.uncheck('input[name="quad"][value="VX"]')  # verbal conflict: ACCUSE, THREATEN
    assert visible_edges(session) == sorted([AID, ASSAULT, CONSULT])
    assert session.page.inner_text("#status") == "3 of 5 dyads, 4 actors"
    # Actors left with no visible relation are hidden too.
    hidden = session.js("() => kgraph.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
    assert hidden == ["RUS.PER.vladimir-putin", "UKR.GRP.x"]
    session.page.uncheck('input[name="relation"][value="ASSAULT"]')
    assert visible_edges(session) == sorted([AID, CONSULT])
    session.page.click("#reset")
    assert len(visible_edges(session)) == 5
    assert session.problems == []


def test_state_and_date_filters(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    session.page.select_option("#state", "CHN")
    assert visible_edges(session) == [CONSULT]
    session.page.click("#reset")
    session.page.fill("#date-from", "2025-04-01")
    session.page.dispatch_event("#date-from", "change")
    assert visible_edges(session) == sorted([ACCUSE, CONSULT])
    session.page.fill("#date-to", "2025-03-05")
    session.page.dispatch_event("#date-to", "change")
    assert visible_edges(session) == []
    assert session.problems == []


def test_tooltip_and_details_show_evidence(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    # The middle of the (curved) Russia -> Ukraine edge, in page coordinates.
    x, y = session.js(
        """id => {
            const mid = kgraph.network.body.edges[id].edgeType.getPoint(0.5);
            const dom = kgraph.network.canvasToDOM(mid);
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + dom.x, box.top + dom.y];
        }""",
        ASSAULT,
    )
    session.page.mouse.move(x - 3, y - 3)
    session.page.mouse.move(x, y, steps=3)
    tooltip = session.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert tooltip.inner_text() == "Russia → Ukraine\n1 events: attacks 1\nby: the state 1\non: the state 1\nClick for sources."
    session.page.mouse.click(x, y)
    assert session.page.inner_text("#details h3") == "Russia → Ukraine"
    details = session.page.inner_text("#details")
    assert "By: the state 1" in details and "attacks ASSAULT · material conflict · 1 events" in details
    assert "Russian forces shelled Kharkiv." in details
    link = session.page.query_selector("#details a")
    assert link.get_attribute("href") == "https://news.example/a1"
    assert link.inner_text() == "Strikes <b>continue</b>"
    assert link.get_attribute("rel") == "noopener noreferrer"
    # A javascript: URL is never made a link.
    session.js("id => kgraph.showEdge(id)", AID)
    assert session.page.query_selector("#details a") is None
    assert "Aid arrives · 2025-03-10" in session.page.inner_text("#details cite")
    assert session.problems == []


def test_search_focuses_an_actor(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    session.page.fill("#search", "putin")
    session.page.press("#search", "Enter")
    assert session.js("() => kgraph.network.getSelectedNodes()") == ["RUS.PER.vladimir-putin"]
    assert session.page.inner_text("#details h3") == "Vladimir Putin"
    session.page.fill("#search", "Atlantis")
    session.page.press("#search", "Enter")
    assert session.page.inner_text("#search-msg") == "no actor matches “Atlantis”"


@pytest.mark.slow
def test_seed_build_page(open_page, seed_build):
    out, _ = seed_build
    html = (out / "graph.html").read_text(encoding="utf-8")
    session = open_page(html)
    expected = len(json.loads(re.search(r"var nodeData = (.*?);\n", html).group(1)))
    assert expected > 0
    assert session.js("() => kgraph.network.body.nodeIndices.length") == expected
    assert session.problems == [] and session.requests == [session.url]


def test_written_file_opens_from_disk(open_page, tmp_path):
    write_html(small_graph(), tmp_path / "graph.html")
    session = open_page((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert session.js("() => kgraph.nodes.length") == 4
    assert session.problems == []


# --- the page at corpus scale: dyads, map, time, focus, who acted -------------

HTS = Actor("SYR.GRP.hts", "Hayat Tahrir al-Sham", type="group", country="SYR", sector="REB")
HOUTHIS = Actor("YEM.GRP.houthis", "Houthis", type="group", country="YEM", sector="REB")
SYR_GOV = Actor("SYR.GOV", "Syrian government", type="organization", country="SYR", sector="GOV")
GBR_CVL = Actor("GBR.GRP.protesters", "Protesters", type="group", country="GBR", sector="CVL")
US, GB, CN, AU = (Actor(c, n) for c, n in [("USA", "United States"), ("GBR", "United Kingdom"),
                                            ("CHN", "China"), ("AUS", "Australia")])
SY, YE = Actor("SYR", "Syria"), Actor("YEM", "Yemen")


def world_graph():
    """Six states over three months: two relations on one dyad, a rebel attack,
    a civilian protest, and a war at home (a self-loop)."""
    events = [
        event("w1", US, "CONSULT", GB, "US and British envoys met.", "2025-01-05"),
        event("w2", US, "AGREE", GB, "The US and Britain agreed on a deal.", "2025-02-10"),
        event("w3", GB, "ACCUSE", CN, "Britain accused China of spying.", "2025-02-12"),
        event("w4", AU, "CONSULT", CN, "Australian and Chinese ministers met.", "2025-03-01"),
        event("w5", HOUTHIS, "ASSAULT", US, "Houthis fired missiles at a US ship.", "2025-03-03"),
        event("w6", GBR_CVL, "PROTEST", US, "Protesters marched on the US embassy.", "2025-01-20"),
        event("w7", SYR_GOV, "ASSAULT", HTS, "Government forces shelled HTS positions.", "2025-02-20"),
        event("w8", SY, "AID", YE, "Syria sent aid to Yemen.", "2025-03-15"),
        event("w9", US, "SANCTION", SY, "The US sanctioned Syria.", "2025-02-25"),
    ]
    return build_graph(events)


def test_default_edges_are_the_distinct_directed_dyads(open_page):
    graph = world_graph()
    rolled = rollup_to_states(graph)
    dyads = {(u, v) for u, v, _ in rolled.edges}
    assert len(dyads) < rolled.number_of_edges()  # USA -> GBR has two relations
    session = open_page(to_html(graph, level="state"))
    assert session.js("() => kgraph.edges.length") == len(dyads) == len(visible_edges(session))
    assert sorted(session.js("() => kgraph.edges.map(e => [e.from, e.to])")) == sorted(map(list, dyads))
    session.js("() => kgraph.setEdgeMode('relation')")
    assert len(visible_edges(session)) == rolled.number_of_edges()
    session.page.select_option("#edge-mode", "dyad")
    assert len(visible_edges(session)) == len(dyads)
    assert session.problems == []


def test_geo_layout_is_a_map(open_page):
    session = open_page(to_html(world_graph(), level="state"))
    session.js("() => kgraph.setLayout('force')")
    session.js("() => kgraph.setLayout('geo')")
    pos = session.js("() => kgraph.network.getPositions()")
    assert pos["USA"]["x"] < pos["GBR"]["x"] < pos["CHN"]["x"]
    assert pos["AUS"]["y"] > pos["CHN"]["y"]  # south is down
    assert session.page.input_value("#layout") == "geo"
    session.js("() => kgraph.setLayout('force')")
    forced = session.js("() => kgraph.network.getPositions()")
    x, y = session.js("() => kgraph.nodes.get('USA').kg.force")
    assert forced != pos and abs(forced["USA"]["x"] - x) <= 1 and abs(forced["USA"]["y"] - y) <= 1  # vis rounds
    assert session.problems == []


def test_set_period_hides_edges_outside_it(open_page):
    session = open_page(to_html(world_graph(), level="state"))
    session.js("() => kgraph.setPeriod('2025-02-01', '2025-02-28')")
    assert visible_edges(session) == ["GBR>CHN", "SYR>SYR", "USA>GBR", "USA>SYR"]
    session.js("() => kgraph.setPeriod('2025-03-01', null)")
    assert visible_edges(session) == ["AUS>CHN", "SYR>YEM", "YEM>USA"]
    session.js("() => kgraph.setPeriod(null, null)")
    assert len(visible_edges(session)) == 8
    # The period control: a month at a time.
    session.page.select_option("#period-size", "month")
    assert (session.page.input_value("#date-from"), session.page.input_value("#date-to")) == ("2025-01-01", "2025-01-31")
    assert visible_edges(session) == ["GBR>USA", "USA>GBR"]
    session.page.click("#period-next")
    assert session.page.input_value("#date-to") == "2025-02-28"
    session.page.click("#period-prev")
    assert session.page.input_value("#date-from") == "2025-01-01"
    # Play steps on by itself, a month at a time, until paused.
    session.page.click("#period-play")
    session.page.wait_for_function("() => document.getElementById('date-from').value === '2025-02-01'")
    session.page.click("#period-play")
    assert session.page.inner_text("#period-play") == "▶ play"
    assert session.problems == []


def test_focus_fades_all_but_the_neighbours(open_page):
    session = open_page(to_html(world_graph(), level="state"))
    opacity = "() => Object.fromEntries(Object.values(kgraph.network.body.nodes).map(n => [n.id, n.options.opacity]))"
    session.js("() => kgraph.focus('GBR')")
    faded = session.js(opacity)
    assert {n for n, o in faded.items() if o == 1} == {"GBR", "USA", "CHN"}
    assert all(o < 0.5 for n, o in faded.items() if n not in {"GBR", "USA", "CHN"})
    alpha = session.js("() => Object.fromEntries(Object.values(kgraph.network.body.edges).map(e => [e.id, e.options.color.opacity]))")
    assert alpha["AUS>CHN"] < 0.1 and alpha["GBR>CHN"] > 0.5
    session.page.keyboard.press("Escape")
    assert set(session.js(opacity).values()) == {1}
    assert session.problems == []


def test_state_actors_only_and_hide_domestic(open_page):
    session = open_page(to_html(world_graph(), level="state"))
    assert {"YEM>USA", "GBR>USA", "SYR>SYR"} <= set(visible_edges(session))
    dashed = session.js("() => Object.values(kgraph.network.body.edges).filter(e => e.options.dashes).map(e => e.id).sort()")
    assert dashed == ["GBR>USA", "SYR>SYR", "YEM>USA"]  # civilians, rebels: drawn dashed
    session.page.check("#state-only")
    shown = visible_edges(session)
    assert "YEM>USA" not in shown and "GBR>USA" not in shown  # rebels, civilians
    assert "SYR>SYR" not in shown  # the government's war on rebels is not between state actors
    assert {"USA>GBR", "USA>SYR", "SYR>YEM"} <= set(shown)
    session.page.uncheck("#state-only")
    session.page.check("#hide-domestic")
    assert "SYR>SYR" not in visible_edges(session) and len(visible_edges(session)) == 7
    assert session.problems == []


def test_a_self_loop_is_drawn_outside_its_node(open_page):
    session = open_page(to_html(world_graph(), level="state"))
    loop = session.js(
        "() => { const e = kgraph.network.body.edges['SYR>SYR'];"
        " return [e.options.hidden, e.options.selfReference.size, kgraph.network.body.nodes.SYR.options.size]; }"
    )
    assert loop[0] is False and loop[1] > loop[2]
    session.js("() => kgraph.network.focus('SYR', {scale: 3, animation: false})")
    box = session.js(
        """() => { const p = kgraph.network.canvasToDOM(kgraph.network.getPositions(['SYR']).SYR);
                   const r = document.getElementById('network').getBoundingClientRect();
                   return {x: r.left + p.x - 120, y: r.top + p.y - 120, width: 240, height: 240}; }"""
    )
    with_loop = session.page.screenshot(clip=box)
    session.page.check("#hide-domestic")
    session.page.uncheck("#hide-domestic")
    assert session.page.screenshot(clip=box) == with_loop  # the same picture again
    session.page.check("#hide-domestic")
    assert session.page.screenshot(clip=box) != with_loop  # the loop was visible
    assert session.problems == []


def test_labels_never_overlap_and_the_busiest_are_labelled(open_page):
    # Thirty European states with a handful of events each: their capitals crowd the map.
    codes = ["GBR", "IRL", "FRA", "BEL", "NLD", "LUX", "DEU", "DNK", "POL", "CZE", "AUT", "CHE", "ITA", "SVN",
             "HRV", "HUN", "SVK", "ROU", "BGR", "SRB", "BIH", "MNE", "ALB", "MKD", "GRC", "UKR", "MDA", "BLR",
             "LTU", "LVA"]
    states = [Actor(c, f"State of {c} with a long name") for c in codes]
    events = [event(f"e{i}-{j}", states[i], "CONSULT", states[(i + j + 1) % len(states)], "They met.")
              for i in range(len(states)) for j in range(len(states) - i)]
    session = open_page(to_html(build_graph(events), level="state"))
    boxes = session.js("() => kgraph.labelBoxes")
    labelled = session.js("() => kgraph.labelled")
    assert len(labelled) == len(boxes) and "GBR" in labelled  # the busiest state
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"], (a, b)
    assert len(labelled) < len(codes)  # at this zoom some wait for zoom or hover
    session.js("() => kgraph.network.moveTo({scale: kgraph.network.getScale() * 4, animation: false})")
    assert session.js("() => kgraph.labelled.length") > 0
    assert session.problems == []


def test_dyad_details_list_relations_sources_and_a_series(open_page):
    session = open_page(to_html(world_graph(), level="state"))
    session.js("() => kgraph.showEdge('USA>GBR')")
    details = session.page.inner_text("#details")
    assert session.page.inner_text("#details h3") == "United States → United Kingdom"
    assert "agrees with AGREE · verbal cooperation · 1 events" in details
    assert "meets with CONSULT · verbal cooperation · 1 events" in details
    assert "The US and Britain agreed on a deal." in details
    # One bar per month with events: January and February, both cooperation.
    assert session.js("() => document.querySelectorAll('#details svg rect[fill=\"#1971c2\"]').length") == 2
    assert session.problems == []


def test_an_empty_graph_opens_and_its_controls_do_nothing_wrong(open_page):
    session = open_page(to_html(build_graph([])))
    session.js("() => { kgraph.setLayout('force'); kgraph.setPeriod(null, null); }")
    session.page.click("#period-next")
    session.page.click("#period-play")
    session.page.click("#period-play")
    assert session.page.inner_text("#status") == "0 of 0 dyads, 0 actors"
    assert session.problems == [] and session.requests == [session.url]
