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

from kgraph.view import to_html, write_html

from .test_view import XSS, small_graph, star

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
    return session.js("r => kgraph.edges.get({filter: e => e.kg.relation === r})[0].id", relation)


def visible_edges(session: Session) -> list[str]:
    """Relations drawn by the network (vis's own state, not just the DataSet)."""
    return sorted(
        session.js(
            "() => Object.values(kgraph.network.body.edges)"
            ".filter(e => !e.options.hidden).map(e => kgraph.edges.get(e.id).kg.relation)"
        )
    )


def test_page_loads_offline_with_every_node(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    assert session.problems == []
    assert session.requests == [session.url]
    counts = session.js(
        "() => [kgraph.nodes.length, kgraph.network.body.nodeIndices.length, kgraph.edges.length,"
        " document.querySelector('#network canvas').width > 0, kgraph.network.physics.options.enabled]"
    )
    assert counts == [6, 6, 5, True, False]  # six actors drawn; physics off once stable
    assert session.page.inner_text("#status") == "5 of 5 relations, 6 actors"


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
    assert visible_edges(session) == ["ACCUSE", "AID", "ASSAULT", "CONSULT", "THREATEN"]
    session.page.uncheck('input[name="quad"][value="VX"]')  # verbal conflict: ACCUSE, THREATEN
    assert visible_edges(session) == ["AID", "ASSAULT", "CONSULT"]
    assert session.page.inner_text("#status") == "3 of 5 relations, 6 actors"
    # Actors left with no visible relation are hidden too.
    hidden = session.js("() => kgraph.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
    assert hidden == ["RUS.PER.vladimir-putin", "UKR.GRP.x"]
    session.page.uncheck('input[name="relation"][value="ASSAULT"]')
    assert visible_edges(session) == ["AID", "CONSULT"]
    session.page.click("#reset")
    assert len(visible_edges(session)) == 5
    assert session.problems == []


def test_state_and_date_filters(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    session.page.select_option("#state", "CHN")
    assert visible_edges(session) == ["CONSULT"]
    session.page.click("#reset")
    session.page.fill("#date-from", "2025-04-01")
    session.page.dispatch_event("#date-from", "change")
    assert visible_edges(session) == ["ACCUSE", "CONSULT"]
    session.page.fill("#date-to", "2025-03-05")
    session.page.dispatch_event("#date-to", "change")
    assert visible_edges(session) == []
    assert session.problems == []


def test_tooltip_and_details_show_evidence(open_page):
    session = open_page(to_html(small_graph(), level="actor"))
    # The middle of the Russia -> Ukraine edge, in page coordinates.
    x, y = session.js(
        """() => {
            const p = kgraph.network.getPositions(["RUS", "UKR"]);
            const mid = kgraph.network.canvasToDOM({x: (p.RUS.x + p.UKR.x) / 2, y: (p.RUS.y + p.UKR.y) / 2});
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + mid.x, box.top + mid.y];
        }"""
    )
    session.page.mouse.move(x - 3, y - 3)
    session.page.mouse.move(x, y, steps=3)
    tooltip = session.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    text = tooltip.inner_text()
    assert text.startswith("Russia attacks Ukraine\nASSAULT · material conflict\n1 events in 1 articles, 2025-03-01")
    assert "“Russian forces shelled Kharkiv.” — Strikes <b>continue</b>" in text
    session.page.mouse.click(x, y)
    assert session.page.inner_text("#details h3") == "Russia attacks Ukraine"
    link = session.page.query_selector("#details a")
    assert link.get_attribute("href") == "https://news.example/a1"
    assert link.inner_text() == "Strikes <b>continue</b>"
    assert link.get_attribute("rel") == "noopener noreferrer"
    # A javascript: URL is never made a link.
    session.js("id => kgraph.showEdge(id)", edge_id(session, "AID"))
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
    expected = len(json.loads(re.search(r"new vis\.DataSet\((.*?)\);\n", html).group(1)))
    assert expected > 0
    assert session.js("() => kgraph.network.body.nodeIndices.length") == expected
    assert session.problems == [] and session.requests == [session.url]


def test_written_file_opens_from_disk(open_page, tmp_path):
    write_html(small_graph(), tmp_path / "graph.html")
    session = open_page((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert session.js("() => kgraph.nodes.length") == 4
    assert session.problems == []
