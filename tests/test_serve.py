"""The SPARQL endpoint and the Graph Store push, over real HTTP on a free
local port: the answers must equal `kgraph query`'s rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import ExportError, InputError
from kgraph.export import write_rdf
from kgraph.push import graph_store_url, push
from kgraph.query import example_queries, load_store
from kgraph.serve import ServeOptions, _negotiate, make_server, start_in_thread

GRAPH = "https://kgraph.example.org/graph/shared"
TOKEN = "test-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture()
def outdir(toy_graph, tmp_path):
    write_rdf(toy_graph, tmp_path / "graph.ttl")
    return tmp_path


@pytest.fixture()
def cli_server(outdir):
    """`kgraph serve OUTDIR --port 0` in a subprocess; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgraph", "serve", str(outdir), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline()
        assert "SPARQL endpoint (read-only): http://127.0.0.1:" in line, line + proc.stderr.read()
        yield line.split(": ", 1)[1].split("/query")[0]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture()
def writable_server():
    server = make_server(_empty_store(), port=0, options=ServeOptions(writable=True, token=TOKEN))
    start_in_thread(server)
    yield server
    server.shutdown()
    server.server_close()


def _empty_store():
    import pyoxigraph

    return pyoxigraph.Store()


def _http(url, data=None, *, method=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def _count(server) -> int:
    """Triples in every graph of the endpoint (the default graph is their union)."""
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    return int(_rows(_http(server.url + "/query?" + query)[2])[0]["n"])


def _rows(sparql_json: bytes) -> list[dict]:
    data = json.loads(sparql_json)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def _cli_rows(outdir, *args) -> list[dict]:
    result = CliRunner().invoke(app, ["query", str(outdir), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [{k: v for k, v in row.items() if v is not None} for row in json.loads(result.output)]


@pytest.mark.parametrize("name", ["top-dyads", "strongest-edges", "evidence", "cooperation-partners"])
def test_http_answers_equal_kgraph_query(cli_server, outdir, name):
    text = example_queries()[name].text
    status, kind, body = _http(cli_server + "/query", text.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert (status, kind) == (200, "application/sparql-results+json; charset=utf-8")
    rows = _rows(body)
    assert rows and rows == _cli_rows(outdir, "--example", name)


def test_http_get_form_post_and_csv(cli_server, outdir):
    query = "SELECT ?id WHERE { ?s a <https://kgraph.example.org/ontology#State> ; <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"
    status, kind, body = _http(cli_server + "/query?" + urllib.parse.urlencode({"query": query}),
                               headers={"Accept": "text/csv"})
    assert (status, kind) == (200, "text/csv; charset=utf-8")
    assert body.decode().split() == ["id", "FRA", "IRN", "ITA", "RUS", "SYR", "TUR", "USA"]
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    status, _, body = _http(cli_server + "/query", form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    status, kind, body = _http(cli_server + "/query?" + urllib.parse.urlencode({"query": construct}))
    assert status == 200 and kind.startswith("text/turtle") and body.count(b" .") >= 1


def test_read_only_by_default(cli_server):
    status, _, body = _http(cli_server + "/update", b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only endpoint; start it with `kgraph serve --writable`" in body
    status, _, _ = _http(cli_server + "/store?default", b"<http://a> <http://b> <http://c> .", method="PUT",
                         headers={"Content-Type": "application/n-triples"})
    assert status == 403
    status, _, body = _http(cli_server + "/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert json.loads(body)["boolean"] is True  # still all there


def test_http_errors(cli_server):
    status, _, body = _http(cli_server + "/query?" + urllib.parse.urlencode({"query": "SELECT WHERE"}))
    assert status == 400 and body.startswith(b"bad request:")
    status, _, body = _http(cli_server + "/nowhere")
    assert status == 404 and b"try /query" in body
    status, _, _ = _http(cli_server + "/query", b"x", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = _http(cli_server + "/query?query=ASK%7B%7D", headers={"Accept": "image/png"})
    assert status == 406


def test_push_to_a_writable_endpoint_then_query(writable_server, outdir, toy_graph):
    url = writable_server.url + "/store"
    result = push(outdir, url, graph=GRAPH, user="kgraph", password=TOKEN)
    assert result.status == 201 and result.url == graph_store_url(url, GRAPH)
    expected = len(load_store(outdir))
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % GRAPH
    status, _, body = _http(writable_server.url + "/query?" + urllib.parse.urlencode({"query": count}))
    assert _rows(body) == [{"n": str(expected)}]
    # replacing gives the same graph, appending the same triples changes nothing
    assert push(outdir, url, graph=GRAPH, user="kgraph", password=TOKEN).status == 204
    assert push(outdir, url, graph=GRAPH, replace=False, user="kgraph", password=TOKEN).status == 204
    status, _, body = _http(writable_server.url + "/query?" + urllib.parse.urlencode({"query": count}))
    assert _rows(body) == [{"n": str(expected)}]
    # the pushed graph answers the example queries like the file does
    text = example_queries()["top-dyads"].text
    status, _, body = _http(writable_server.url + "/query", text.encode(),
                            headers={"Content-Type": "application/sparql-query"})
    assert _rows(body) == _cli_rows(outdir, "--example", "top-dyads")
    # Graph Store GET gives the graph back; DELETE removes it
    status, kind, body = _http(url + "?graph=" + urllib.parse.quote(GRAPH, safe=""), headers={"Accept": "text/turtle"})
    assert status == 200 and kind.startswith("text/turtle") and b"cooperatesWith" in body
    assert _http(url + "?graph=" + urllib.parse.quote(GRAPH, safe=""), method="DELETE", headers=AUTH)[0] == 204
    status, _, body = _http(writable_server.url + "/query?" + urllib.parse.urlencode({"query": count}))
    assert _rows(body) == [{"n": "0"}]


def test_malformed_upload_changes_nothing(writable_server):
    url = writable_server.url + "/store?default"
    assert _http(url, b"<http://a> <http://b> <http://c> .", method="PUT",
                 headers={"Content-Type": "application/n-triples", **AUTH})[0] == 204
    status, _, _ = _http(url, b"<http://a> <http://b> oops", method="PUT", headers={"Content-Type": "text/turtle", **AUTH})
    assert status == 400
    assert _count(writable_server) == 1


def test_cli_push(writable_server, outdir):
    result = CliRunner().invoke(app, ["push", writable_server.url + "/store", "--source", str(outdir), "--user", "me"],
                                env={"KGRAPH_PASSWORD": TOKEN})
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"pushed {outdir / 'graph.ttl'} (")
    assert result.output.rstrip().endswith("?default: HTTP 204")
    assert _count(writable_server) == len(load_store(outdir))


def test_push_errors(cli_server, outdir, tmp_path):
    with pytest.raises(ExportError, match=r"push to .* failed: HTTP 403 Forbidden: read-only endpoint"):
        push(outdir, cli_server + "/store")
    with pytest.raises(ExportError, match="cannot reach http://127.0.0.1:9/store"):
        push(outdir, "http://127.0.0.1:9/store", timeout=5)
    with pytest.raises(ExportError, match="expected an http:// or https:// Graph Store URL"):
        push(outdir, "ftp://example.org/store")
    (tmp_path / "g.trig").write_text("")
    with pytest.raises(InputError, match="the Graph Store Protocol takes one graph of triples"):
        push(tmp_path / "g.trig", cli_server + "/store")
    with pytest.raises(InputError, match="no such file; run `kgraph build` first"):
        push(tmp_path / "empty", cli_server + "/store")


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/html, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
        ("text/csv;q=0.2, text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("image/png", None),
        ("text/csv;q=0", None),
    ],
)
def test_negotiate(accept, expected):
    from kgraph.serve import _RESULTS_TYPES

    assert _negotiate(accept, _RESULTS_TYPES, "application/sparql-results+json") == expected


def test_serve_refuses_a_busy_port(cli_server, outdir):
    port = cli_server.rsplit(":", 1)[1]
    result = CliRunner().invoke(app, ["serve", str(outdir), "--port", port])
    assert result.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.output


def test_cli_writable_prints_its_token_and_needs_it(outdir):
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgraph", "serve", str(outdir), "--port", "0", "--writable", "--token", "tok-42"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline()
        assert "SPARQL endpoint (read-write): http://127.0.0.1:" in line, line + proc.stderr.read()
        assert proc.stdout.readline() == "Write token: tok-42  (send Authorization: Bearer TOKEN)\n"
        url = line.split(": ", 1)[1].split("/query")[0]
        update = b"CLEAR ALL"
        kind = {"Content-Type": "application/sparql-update"}
        assert _http(url + "/update", update, headers=kind)[0] == 401
        assert _http(url + "/update", update, headers={**kind, "Authorization": "Bearer tok-42"})[0] == 204
    finally:
        proc.terminate()
        proc.wait(timeout=10)
