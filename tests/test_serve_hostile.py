"""The endpoint under hostile use (issue 15), over real HTTP on 127.0.0.1:
each probe gets its exact answer and the server goes on answering."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from kgraph import serve as serve_module
from kgraph.cli import app
from kgraph.errors import QueryError
from kgraph.export import write_rdf
from kgraph.sandbox import check_query
from kgraph.serve import ServeOptions, make_server, start_in_thread

DEEP = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
# Passes the text checks, and overflows the engine's stack: SIGSEGV.
CRASH = "SELECT (" + "+".join(["1"] * 15000) + " AS ?x) {}"
CROSS = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"
ASK = "ASK { ?s ?p ?o }"
TOKEN = "s3cret-token"


@pytest.fixture()
def outdir(toy_graph, tmp_path):
    write_rdf(toy_graph, tmp_path / "graph.ttl")
    return tmp_path


def _start(outdir, **options):
    server = make_server(outdir, port=0, options=ServeOptions(**options))
    start_in_thread(server)
    return server


@pytest.fixture()
def server(outdir):
    server = _start(outdir, timeout=2.0, max_rows=50)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture()
def writable(outdir):
    server = _start(outdir, writable=True, token=TOKEN, cors="https://yasgui.example")
    yield server
    server.shutdown()
    server.server_close()


def _http(url, data=None, *, method=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _get(server, query, headers=None):
    return _http(server.url + "/query?" + urllib.parse.urlencode({"query": query}), headers=headers)


def _post(server, query):
    return _http(server.url + "/query", query.encode(), headers={"Content-Type": "application/sparql-query"})


def _alive(server) -> bool:
    status, _, body = _get(server, ASK)
    return status == 200 and json.loads(body)["boolean"] is True


def test_deep_nesting_is_refused_before_parsing(server):
    status, _, body = _get(server, DEEP)
    assert status == 400
    assert body == (b"bad request: query nested too deeply: more than 100 levels of brackets "
                    b"at line 1, column 116; the limit is 100\n")
    assert _alive(server)


def test_an_engine_crash_answers_500_and_the_server_lives_on(server):
    status, _, body = _post(server, CRASH)
    assert (status, body) == (500, b"the query engine crashed on this request (SIGSEGV); the endpoint goes on\n")
    assert _alive(server)
    assert _alive(server)  # on the other worker too


def test_time_limit(server):
    status, _, body = _get(server, CROSS_COUNT)
    assert status == 503
    assert body == (b"query stopped: over the time limit of 2 s; simplify it or start the endpoint "
                    b"with a larger --timeout\n")
    assert _alive(server)


def test_row_limit(server):
    status, _, body = _get(server, CROSS)
    assert (status, body) == (503, b"more than 50 results; add a LIMIT or start the endpoint with a larger --max-rows\n")
    status, _, body = _get(server, CROSS + " LIMIT 50")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 50
    status, _, body = _get(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 503


def _wait(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_client_that_leaves_has_its_worker_replaced(outdir):
    server = _start(outdir, timeout=60.0)  # the limit cannot be what stops it
    try:
        pids = lambda: {w.process.pid for w in server.engine._all}  # noqa: E731
        before = pids()
        request = ("GET /query?" + urllib.parse.urlencode({"query": CROSS_COUNT}) + " HTTP/1.1\r\n"
                   f"Host: 127.0.0.1:{server.port}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(request)
            assert _wait(lambda: server.engine._idle.qsize() < len(before))  # a worker runs it
        assert _wait(lambda: bool(pids() - before)), "the worker of a client that left was not replaced"
        assert _alive(server)
    finally:
        server.shutdown()
        server.server_close()


def test_service_is_refused_unless_allowed(server, outdir):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    status, _, body = _get(server, query)
    assert (status, body) == (
        403, b"bad request: SERVICE (a federated query) is refused here; "
             b"start the endpoint with --allow-service to allow it\n")
    allowing = _start(outdir, allow_service=True)
    try:
        status, _, _ = _get(allowing, query)
        assert status != 403  # it reaches the engine (which cannot connect to port 9)
    finally:
        allowing.shutdown()
        allowing.server_close()


def test_no_cors_header_unless_asked(server, writable):
    evil = {"Origin": "https://evil.example"}
    status, headers, _ = _get(server, ASK, evil)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = _get(writable, ASK, evil)
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = _get(writable, ASK, {"Origin": "https://yasgui.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    status, headers, _ = _http(writable.url + "/query", method="OPTIONS", headers={"Origin": "https://evil.example"})
    assert status == 204 and "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize("host, allowed", [
    ("127.0.0.1", True), ("localhost", True), ("LOCALHOST", True), ("evil.example", False),
    ("evil.example:{port}", False), ("127.0.0.1:1", False), ("", False),
])
def test_host_header_is_checked(server, host, allowed):
    host = host.format(port=server.port)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(f"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split()[1])
    if allowed:
        assert status == 200
    else:
        assert status in (400, 421)  # 400: h11 refuses an empty Host itself
        if host:
            assert answer.endswith(f"Host {host!r} not served here; use {server.url}\n".encode())


def test_writes_need_the_token(writable):
    update = b"DROP ALL"
    kind = {"Content-Type": "application/sparql-update"}
    status, headers, body = _http(writable.url + "/update", update, headers=kind)
    assert status == 401 and headers["WWW-Authenticate"] == 'Bearer realm="kgraph"'
    assert body == b"writing needs the token printed by `kgraph serve --writable`: Authorization: Bearer TOKEN\n"
    assert _http(writable.url + "/update", update, headers={**kind, "Authorization": "Bearer wrong"})[0] == 401
    assert _alive(writable)
    # a form post from another site is refused, token or not
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    status, _, body = _http(writable.url + "/update", form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example",
        "Authorization": f"Bearer {TOKEN}"})
    assert (status, body) == (403, b"cross-site form posts are refused\n")
    assert _alive(writable)
    status, _, _ = _http(writable.url + "/update", update, headers={**kind, "Authorization": f"Bearer {TOKEN}"})
    assert status == 204
    assert not _alive(writable)  # dropped: the token holder may


def test_writes_reach_every_worker_and_survive_a_replaced_one(writable):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    insert = b"INSERT DATA { <http://x.example/a> <http://x.example/b> 'c' }"
    assert _http(writable.url + "/update", insert, headers=auth)[0] == 204
    probe = "ASK { <http://x.example/a> <http://x.example/b> 'c' }"
    for _ in range(4):  # both workers, whichever answers
        assert json.loads(_get(writable, probe)[2])["boolean"] is True
    assert _post(writable, CRASH)[0] == 500  # a worker dies; its replacement replays the write
    for _ in range(4):
        assert json.loads(_get(writable, probe)[2])["boolean"] is True


def test_read_only_refuses_writes_even_with_a_token(server):
    status, _, body = _http(server.url + "/update", b"DROP ALL", headers={
        "Content-Type": "application/sparql-update", "Authorization": "Bearer anything"})
    assert (status, body) == (403, b"read-only endpoint; start it with `kgraph serve --writable` to write\n")


def test_a_short_body_is_answered_408(server, monkeypatch):
    monkeypatch.setattr(serve_module, "READ_TIMEOUT", 0.3)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.settimeout(20)
        sock.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                     "Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK {".encode())
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert answer.endswith(b"request body not received within 0.3 s\n")
    assert _alive(server)


def test_an_idle_connection_is_closed(outdir, monkeypatch):
    monkeypatch.setattr(serve_module, "IDLE_TIMEOUT", 0.3)
    server = _start(outdir)
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.settimeout(20)
            sock.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHo")  # never finished
            assert sock.recv(1024) == b""  # closed by the server
        assert _alive(server)
    finally:
        server.shutdown()
        server.server_close()


def test_a_huge_body_is_refused(server):
    status, _, body = _http(server.url + "/query", b"x" * 500_000, headers={"Content-Type": "application/sparql-query"})
    assert (status, body) == (413, b"request body over 401024 bytes\n")


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "' + "{" * 500 + '" }',          # braces in a string
    "SELECT * WHERE { ?s ?p ?o } # " + "{" * 500,            # in a comment
    "SELECT ?service WHERE { ?service ?p 'SERVICE' }",        # a variable and a string
    "SELECT * WHERE { <http://x.example/SERVICE> ?p ?o }",   # an IRI
    "PREFIX service: <http://x.example/> SELECT * WHERE { ?s service:p ?o }",
    "SELECT * WHERE " + "{" * 100 + "}" * 100,
])
def test_check_query_accepts(query):
    check_query(query)


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE " + "{" * 101 + "}" * 101, "query nested too deeply: more than 100 levels of brackets at line 1, column 116"),
    ("SELECT * WHERE {\n  FILTER(" + "(" * 100 + "1" + ")" * 100 + ")}",
     "query nested too deeply: more than 100 levels of brackets at line 2, column 108"),
    ("SELECT * { service <http://x.example/> { ?s ?p ?o } }", "SERVICE (a federated query) is refused here"),
    ("SELECT * { SERVICE SILENT <http://x.example/> { ?s ?p ?o } }", "SERVICE (a federated query) is refused here"),
    ("ASK {" + " " * 100_000 + "}", "query too long: 100006 characters; the limit is 100000"),
])
def test_check_query_refuses(query, message):
    with pytest.raises(QueryError) as caught:
        check_query(query)
    assert str(caught.value).startswith(message)


def test_kgraph_query_is_guarded_too(outdir, tmp_path):
    deep = tmp_path / "deep.rq"
    deep.write_text(DEEP)
    result = CliRunner().invoke(app, ["query", str(outdir), "--file", str(deep)])
    assert result.exit_code == 1
    assert result.output == ("Error: query nested too deeply: more than 100 levels of brackets at line 1, "
                             "column 116; the limit is 100\n")
    result = CliRunner().invoke(app, ["query", str(outdir), CRASH])
    assert (result.exit_code, result.output) == (1, "Error: the query engine crashed on this query (SIGSEGV)\n")
    result = CliRunner().invoke(app, ["query", str(outdir), CROSS_COUNT, "--timeout", "1"])
    assert (result.exit_code, result.output) == (
        1, "Error: query stopped: over the time limit of 1 s; simplify it or give a larger --timeout\n")
    result = CliRunner().invoke(app, ["query", str(outdir), ASK])
    assert (result.exit_code, result.output) == (0, "result\n------\ntrue\n(1 row)\n")


def test_headers_without_end_are_cut_off(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.settimeout(20)
        sock.sendall(b"GET /query?query=" + b"a" * (serve_module.MAX_HEADER_BYTES + 10))
        try:
            assert sock.recv(1024) == b""  # closed, nothing answered
        except ConnectionResetError:
            pass  # closed with data unread: a reset
    assert _alive(server)


def test_long_queries(server):
    # in a URL up to the HTTP parser's limit (about 64 KB), in a POST up to 100,000 characters
    status, _, body = _get(server, "ASK {" + " " * 50_000 + "?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = _post(server, "ASK {" + " " * 99_000 + "?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_memory_limit(outdir):
    server = _start(outdir, max_memory_mb=400, timeout=60.0)
    try:
        status, _, body = _get(server, CROSS + " ORDER BY ?a ?i LIMIT 1")
        assert (status, body) == (503, b"query stopped: over the memory limit of 400 MB; simplify it or start "
                                       b"the endpoint with a larger --max-memory\n")
        assert _alive(server)
    finally:
        server.shutdown()
        server.server_close()
