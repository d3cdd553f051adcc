"""A SPARQL 1.1 endpoint over a built graph: pyoxigraph behind a small
standard-library HTTP server.

* ``/query``: the SPARQL 1.1 Protocol query operation (GET ``?query=``, POST
  form-encoded or ``application/sparql-query``), results as SPARQL JSON (the
  default), XML, CSV or TSV, graphs as Turtle, N-Triples, RDF/XML or JSON-LD,
  chosen by the ``Accept`` header;
* ``/update``: the update operation, only with ``writable=True``;
* ``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (``?graph=IRI`` or
  ``?default``): GET always, PUT/POST/DELETE only with ``writable=True``.

The endpoint is read-only unless asked otherwise, binds 127.0.0.1 by default
and answers CORS requests, so YASGUI-style tools in a browser can use it.
Writes change the in-memory store only, never the files it was loaded from.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import KGraphError
from .query import load_store

__all__ = ["SparqlServer", "make_server", "serve", "start_in_thread"]

_RESULTS_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
_GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "application/trig": "TRIG",
    "application/n-quads": "N_QUADS",
}
_MAX_BODY = 512 * 1024 * 1024


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding a pyoxigraph store."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store, *, writable: bool = False) -> None:
        super().__init__(address, _Handler)
        self.store = store
        self.writable = writable

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:7878``."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def make_server(store, *, host: str = "127.0.0.1", port: int = 7878, writable: bool = False) -> SparqlServer:
    """A server for ``store`` bound to ``host:port`` (port 0 picks a free one);
    call ``serve_forever()`` on it, in a thread if need be.

    Raises:
        KGraphError: if the address cannot be bound.
    """
    try:
        return SparqlServer((host, port), store, writable=writable)
    except OSError as err:
        raise KGraphError(f"cannot listen on {host}:{port}: {err.strerror}; try another --port") from None


def serve(
    path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    writable: bool = False,
    ready: Callable[[SparqlServer], None] | None = None,
) -> None:
    """Load ``path`` (an output folder or an RDF file) and serve it until
    interrupted.

    Args:
        path: Output folder (its ``graph.ttl``) or RDF file.
        host: Interface to bind; 127.0.0.1 keeps it on this machine.
        port: TCP port; 0 picks a free one.
        writable: Accept SPARQL Update and Graph Store writes.
        ready: Called with the server once it listens (the CLI prints the URL).

    Raises:
        InputError: if the graph cannot be read.
        KGraphError: if the address cannot be bound.
    """
    server = make_server(load_store(path), host=host, port=port, writable=writable)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def start_in_thread(server: SparqlServer) -> threading.Thread:
    """Serve in a daemon thread (tests, notebooks); stop with ``server.shutdown()``."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def _negotiate(accept: str, table: dict[str, str], default: str) -> str | None:
    """The media type to answer with, from an ``Accept`` header; ``None`` when
    nothing acceptable is offered."""
    if not accept.strip():
        return default
    choices = []
    for position, item in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        choices.append((-q, position, media.lower()))
    for neg_q, _, media in sorted(choices):
        if neg_q >= 0:
            break
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "kgraph-sparql"

    # --- plumbing ---------------------------------------------------------
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        # Requests are not logged: the CLI says where the endpoint is, and
        # tests and pipes stay quiet.
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"))

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            raise _HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {_MAX_BODY} bytes")
        return self.rfile.read(length) if length else b""

    def _content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def _dispatch(self, routes: dict[str, Callable[[dict[str, list[str]]], None]]) -> None:
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        handler = routes.get(parts.path.rstrip("/") or "/")
        if handler is None:
            self._error(HTTPStatus.NOT_FOUND, f"no such resource {parts.path}; try /query, /update or /store")
            return
        try:
            handler(params)
        except _HttpError as err:
            self._error(err.status, err.message)
        except (SyntaxError, ValueError) as err:
            self._error(HTTPStatus.BAD_REQUEST, f"bad request: {err}")
        except OSError as err:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"store error: {err}")

    # --- HTTP verbs -------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server naming
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch({"/": self._index, "/query": self._query_get, "/store": self._store_get})

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch({"/query": self._query_post, "/update": self._update, "/store": self._store_write})

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch({"/store": self._store_write})

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch({"/store": self._store_write})

    # --- operations -------------------------------------------------------
    def _index(self, params: dict[str, list[str]]) -> None:
        mode = "read-write" if self.server.writable else "read-only"
        page = (
            "<!doctype html><meta charset=utf-8><title>kgraph SPARQL endpoint</title>"
            f"<h1>kgraph SPARQL endpoint ({mode})</h1>"
            f"<p>SPARQL 1.1 query endpoint: <code>{html.escape(self.server.url)}/query</code>"
            f"<p>Update endpoint: <code>/update</code>; Graph Store: <code>/store?default</code> or "
            "<code>/store?graph=IRI</code>"
            f"<p>{len(self.server.store)} quads loaded."
        )
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def _query_get(self, params: dict[str, list[str]]) -> None:
        if "query" not in params:
            raise _HttpError(HTTPStatus.BAD_REQUEST, "missing the query parameter: /query?query=SELECT…")
        self._run_query(params["query"][0], params)

    def _query_post(self, params: dict[str, list[str]]) -> None:
        body = self._body()
        kind = self._content_type()
        if kind == "application/sparql-query":
            self._run_query(body.decode("utf-8"), params)
        elif kind == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            if "query" not in form:
                raise _HttpError(HTTPStatus.BAD_REQUEST, "missing the query field in the form")
            self._run_query(form["query"][0], {**params, **form})
        else:
            raise _HttpError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"unsupported Content-Type {kind!r}; use application/sparql-query or application/x-www-form-urlencoded",
            )

    def _run_query(self, query: str, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        default_graphs = [ox.NamedNode(iri) for iri in params.get("default-graph-uri", [])]
        named_graphs = [ox.NamedNode(iri) for iri in params.get("named-graph-uri", [])]
        options: dict = {}
        if default_graphs:
            options["default_graph"] = default_graphs
        else:
            # Like `kgraph query`: named graphs (TriG input, pushed graphs)
            # are part of the default graph.
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = named_graphs
        result = self.server.store.query(query, **options)
        accept = self.headers.get("Accept") or ""
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            media = _negotiate(accept, _RESULTS_TYPES, "application/sparql-results+json")
            if media is None:
                raise _HttpError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer {accept!r}; try {', '.join(_RESULTS_TYPES)}")
            body = result.serialize(format=getattr(ox.QueryResultsFormat, _RESULTS_TYPES[media]))
        else:
            media = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
            if media is None or _GRAPH_TYPES[media] in ("TRIG", "N_QUADS"):
                raise _HttpError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer {accept!r}; try text/turtle")
            body = result.serialize(format=getattr(ox.RdfFormat, _GRAPH_TYPES[media]))
        charset = "; charset=utf-8" if media.startswith("text/") or "json" in media else ""
        self._send(HTTPStatus.OK, body, media + charset)

    def _require_writable(self) -> None:
        if not self.server.writable:
            raise _HttpError(HTTPStatus.FORBIDDEN, "read-only endpoint; start it with `kgraph serve --writable` to write")

    def _update(self, params: dict[str, list[str]]) -> None:
        self._require_writable()
        body = self._body()
        kind = self._content_type()
        if kind == "application/sparql-update":
            update = body.decode("utf-8")
        elif kind == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            if "update" not in form:
                raise _HttpError(HTTPStatus.BAD_REQUEST, "missing the update field in the form")
            update = form["update"][0]
        else:
            raise _HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported Content-Type {kind!r} for an update")
        self.server.store.update(update)
        self._send(HTTPStatus.NO_CONTENT)

    def _target_graph(self, params: dict[str, list[str]]):
        import pyoxigraph as ox

        if "graph" in params and "default" in params:
            raise _HttpError(HTTPStatus.BAD_REQUEST, "give either ?graph=IRI or ?default, not both")
        if "graph" in params:
            return ox.NamedNode(params["graph"][0])
        if "default" in params:
            return ox.DefaultGraph()
        return None

    def _store_get(self, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        graph = self._target_graph(params)
        store = self.server.store
        accept = self.headers.get("Accept") or ""
        if graph is None:
            media = _negotiate(accept, {"application/trig": "TRIG", "application/n-quads": "N_QUADS"}, "application/trig")
            if media is None:
                raise _HttpError(HTTPStatus.NOT_ACCEPTABLE, "the whole dataset comes as application/trig or n-quads")
            body = store.dump(format=getattr(ox.RdfFormat, _GRAPH_TYPES[media]))
        else:
            if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
                raise _HttpError(HTTPStatus.NOT_FOUND, f"no graph {graph.value}")
            media = _negotiate(accept, {k: v for k, v in _GRAPH_TYPES.items() if v not in ("TRIG", "N_QUADS")},
                               "text/turtle")
            if media is None:
                raise _HttpError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer {accept!r}; try text/turtle")
            body = store.dump(format=getattr(ox.RdfFormat, _GRAPH_TYPES[media]), from_graph=graph)
        self._send(HTTPStatus.OK, body, media + ("; charset=utf-8" if media.startswith("text/") else ""))

    def _store_write(self, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        self._require_writable()
        graph = self._target_graph(params)
        if graph is None:
            raise _HttpError(HTTPStatus.BAD_REQUEST, "say which graph: ?graph=IRI or ?default")
        store = self.server.store
        existed = isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)
        if self.command == "DELETE":
            if not existed:
                raise _HttpError(HTTPStatus.NOT_FOUND, f"no graph {graph.value}")
            if isinstance(graph, ox.DefaultGraph):
                store.clear_graph(graph)
            else:
                store.remove_graph(graph)
            self._send(HTTPStatus.NO_CONTENT)
            return
        kind = self._content_type()
        fmt = _GRAPH_TYPES.get(kind)
        if fmt is None or fmt in ("TRIG", "N_QUADS"):
            raise _HttpError(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"unsupported Content-Type {kind!r}; use text/turtle, application/n-triples, "
                "application/rdf+xml or application/ld+json",
            )
        body = self._body()
        # Parse into a scratch store first, so a malformed upload changes nothing.
        scratch = ox.Store()
        scratch.load(body, format=getattr(ox.RdfFormat, fmt), to_graph=graph)
        if self.command == "PUT" and existed:
            store.clear_graph(graph)
        elif isinstance(graph, ox.NamedNode) and not existed:
            store.add_graph(graph)
        store.extend(scratch)
        self._send(HTTPStatus.NO_CONTENT if existed else HTTPStatus.CREATED)


class _HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

