"""A SPARQL 1.1 endpoint over a built graph: uvicorn in front, pyoxigraph in
worker processes behind (:mod:`kgraph.sandbox`).

* ``/query``: the SPARQL 1.1 Protocol query operation (GET ``?query=``, POST
  form-encoded or ``application/sparql-query``), results as SPARQL JSON (the
  default), XML, CSV or TSV, graphs as Turtle, N-Triples, RDF/XML or JSON-LD,
  chosen by the ``Accept`` header;
* ``/update``: the update operation, only with ``writable=True``;
* ``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (``?graph=IRI`` or
  ``?default``): GET always, PUT/POST/DELETE only with ``writable=True``.

What holds under hostile use:

* every query runs in a worker process with a time limit and a row limit; a
  worker that overruns, crashes, or whose client leaves is replaced, and the
  request is answered 503 (limits) or 500 (crash). Query text is checked
  first (length, nesting depth, ``SERVICE`` only with ``allow_service``);
* the HTTP side is uvicorn (asyncio; uvloop and httptools when installed):
  an idle connection costs no thread and is closed after a few seconds
  without a complete request; request headers are capped at 1 MB; a request
  body has ``READ_TIMEOUT`` seconds to arrive; the listen backlog is 2048;
* only ``Host: 127.0.0.1``, ``localhost``, ``[::1]`` or the bound name is
  answered (DNS rebinding); no CORS header unless ``cors`` names an origin;
* writes need ``Authorization: Bearer TOKEN`` (or basic auth with the token
  as password), and form-encoded posts from another site are refused.

Writes change the workers' in-memory stores only, never the loaded files.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import html
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from .errors import InputError, KGraphError, QueryError
from .sandbox import GRAPH_FORMATS, RESULTS_FORMATS, Limits, QueryEngine, Reply, check_query, negotiate

__all__ = ["ServeOptions", "SparqlServer", "make_server", "serve", "start_in_thread"]

# Names kept for the tests and callers of the first endpoint.
_RESULTS_TYPES = RESULTS_FORMATS
_GRAPH_TYPES = GRAPH_FORMATS
_negotiate = negotiate

#: Largest request body: a Graph Store upload.
MAX_BODY = 256 * 1024 * 1024
#: Seconds a request body has to arrive once its headers have.
READ_TIMEOUT = 10.0
#: Seconds a connection may stay open without a complete request.
IDLE_TIMEOUT = 5.0
#: Bytes a request line and headers may take (a query of 100,000 characters
#: fits in a URL, percent-encoded).
MAX_HEADER_BYTES = 1024 * 1024
#: Open connections past which new requests are answered 503.
MAX_CONNECTIONS = 4096
BACKLOG = 2048
_LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})


@dataclass(frozen=True)
class ServeOptions:
    """How the endpoint behaves; every option of ``kgraph serve``."""

    writable: bool = False
    token: str | None = None
    cors: str | None = None
    allow_service: bool = False
    timeout: float = 30.0
    max_rows: int | None = 100_000
    workers: int = 2
    max_memory_mb: int | None = None


def _graph_source(path: str | Path) -> str:
    """The RDF file to load for ``path`` (an output folder or a file).

    Raises:
        InputError: if it is missing or of an unknown format.
    """
    from .query import RDF_MIME

    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.exists():
        raise InputError(f"cannot read {path}: no such file; run `kgraph build` first")
    if path.suffix.lower() not in RDF_MIME:
        raise InputError(f"cannot read {path}: unknown RDF format; expected one of {', '.join(RDF_MIME)}")
    return str(path)


class SparqlServer:
    """The endpoint: a bound socket, uvicorn and a :class:`QueryEngine`.

    Call :meth:`serve_forever` (in a thread if need be, see
    :func:`start_in_thread`) and :meth:`shutdown` from elsewhere to stop it.
    """

    def __init__(self, source: str | bytes, sock: socket.socket, options: ServeOptions) -> None:
        self.options = options
        self.token = options.token or (secrets.token_urlsafe(24) if options.writable else None)
        self.socket = sock
        host, port = sock.getsockname()[:2]
        self.host, self.port = host, port
        limits = Limits(timeout=options.timeout, max_rows=options.max_rows, allow_service=options.allow_service,
                        max_memory_mb=options.max_memory_mb)
        self.engine = QueryEngine(source, workers=max(1, options.workers), limits=limits)
        names = set(_LOCAL_NAMES) | {host}
        if host in ("0.0.0.0", "::"):
            names |= {socket.gethostname(), socket.getfqdn()}
        self._hosts = frozenset(n.lower() for n in names)
        self._uvicorn = None
        self._started = threading.Event()
        self._stopped = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:7878``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- running ----------------------------------------------------------
    def serve_forever(self, ready: Callable[[SparqlServer], None] | None = None) -> None:
        """Start the workers, then answer requests until :meth:`shutdown`.

        Raises:
            KGraphError: if the workers cannot load the graph.
        """
        import uvicorn

        config = uvicorn.Config(
            _App(self),
            lifespan="off",
            log_config=None,
            log_level="warning",
            access_log=False,
            http=_protocol_class(),
            loop=_loop(),
            timeout_graceful_shutdown=5,
            ws="none",
            backlog=BACKLOG,
            timeout_keep_alive=int(IDLE_TIMEOUT),
            limit_concurrency=MAX_CONNECTIONS,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            server_header=False,
            date_header=False,
        )
        self._uvicorn = uvicorn.Server(config)

        async def main() -> None:
            try:
                await self.engine.start()
                if ready is not None:
                    ready(self)
                self._started.set()
                await self._uvicorn.serve(sockets=[self.socket])
            finally:
                await self.engine.close()

        factory = config.get_loop_factory() if hasattr(config, "get_loop_factory") else None
        try:
            if factory is not None and hasattr(asyncio, "Runner"):
                with asyncio.Runner(loop_factory=factory) as runner:
                    runner.run(main())
            else:
                asyncio.run(main())
        except BaseException as err:
            self._error = err
            raise
        finally:
            self._started.set()
            self._stopped.set()

    def wait_started(self, timeout: float = 60) -> None:
        """Block until the workers are up (or the server failed).

        Raises:
            KGraphError: if the server failed to start.
        """
        self._started.wait(timeout)
        if self._error is not None:
            raise self._error if isinstance(self._error, KGraphError) else KGraphError(str(self._error))

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` and wait for it to return."""
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._uvicorn is not None or self._started.is_set():
            self._stopped.wait(30)

    def server_close(self) -> None:
        self.socket.close()

    # --- checks made on every request ---------------------------------------
    def host_allowed(self, host: str) -> bool:
        name = host.strip().lower()
        if name.startswith("["):
            name = name[1:].split("]", 1)[0]
        elif name.count(":") == 1:
            name, _, port = name.partition(":")
            if port and port != str(self.port):
                return False
        return name in self._hosts

    def cors_origin(self, origin: str | None) -> str | None:
        allowed = self.options.cors
        if allowed is None or origin is None:
            return None
        if allowed == "*":
            return "*"
        return origin if origin == allowed else None

    def token_ok(self, authorization: str | None) -> bool:
        if not authorization or self.token is None:
            return False
        scheme, _, value = authorization.strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "basic":
            try:
                value = base64.b64decode(value, validate=True).decode("utf-8").partition(":")[2]
            except (ValueError, UnicodeDecodeError):
                return False
        elif scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.encode(), self.token.encode())


def make_server(
    graph,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    writable: bool = False,
    options: ServeOptions | None = None,
) -> SparqlServer:
    """A server for ``graph`` bound to ``host:port`` (port 0 picks a free one);
    call ``serve_forever()`` on it, in a thread if need be.

    Args:
        graph: An output folder or RDF file, or a pyoxigraph ``Store`` (its
            quads are copied into the workers).
        options: Limits and security options (``writable`` overrides theirs).

    Raises:
        InputError: if the graph file is missing or of an unknown format.
        KGraphError: if the address cannot be bound.
    """
    options = options or ServeOptions()
    if writable and not options.writable:
        from dataclasses import replace

        options = replace(options, writable=True)
    if isinstance(graph, (str, Path)):
        source: str | bytes = _graph_source(graph)
    else:
        import pyoxigraph

        source = graph.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as err:
        raise KGraphError(f"cannot listen on {host}:{port}: {err.strerror}; try another --port") from None
    except OverflowError:
        raise KGraphError(f"cannot listen on {host}:{port}: port out of range; try another --port") from None
    return SparqlServer(source, sock, options)


def serve(
    path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    options: ServeOptions | None = None,
    writable: bool = False,
    ready: Callable[[SparqlServer], None] | None = None,
) -> None:
    """Load ``path`` (an output folder or an RDF file) and serve it until
    interrupted.

    Args:
        path: Output folder (its ``graph.ttl``) or RDF file.
        host: Interface to bind; 127.0.0.1 keeps it on this machine.
        port: TCP port; 0 picks a free one.
        options: Limits and security options.
        writable: Accept SPARQL Update and Graph Store writes (with the token).
        ready: Called with the server once it answers (the CLI prints the URL).

    Raises:
        InputError: if the graph cannot be read.
        KGraphError: if the address cannot be bound.
    """
    server = make_server(path, host=host, port=port, writable=writable, options=options)
    try:
        server.serve_forever(ready)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def start_in_thread(server: SparqlServer) -> threading.Thread:
    """Serve in a daemon thread (tests, notebooks) and wait until it answers;
    stop with ``server.shutdown()``.

    Raises:
        KGraphError: if the server cannot start.
    """

    def run() -> None:
        try:
            server.serve_forever()
        except BaseException:  # noqa: BLE001 - reported by wait_started
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    server.wait_started()
    return thread


# --- HTTP ------------------------------------------------------------------


def _protocol_class():
    """uvicorn's HTTP protocol (httptools when installed, else h11) with
    two additions: TCP_NODELAY, and a connection that sends no complete
    request within :data:`IDLE_TIMEOUT` seconds of opening (or of its last
    answer) is closed, so idle and slow-header connections do not pile up."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base

    class Protocol(Base):
        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                # Headers and body go out in two writes: without this, the body
                # waits for the client's delayed ACK (40 ms) on every keep-alive request.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._headers_due = self.loop.time() + IDLE_TIMEOUT
            self._header_bytes = 0
            self._arm()

        def _arm(self) -> None:
            self._unset_keepalive_if_required()
            self.timeout_keep_alive_task = self.loop.call_at(self._headers_due, self.timeout_keep_alive_handler)

        def data_received(self, data: bytes) -> None:
            if self.cycle is None or self.cycle.response_complete:
                self._header_bytes += len(data)
                if self._header_bytes > MAX_HEADER_BYTES:
                    self.transport.close()  # headers without end
                    return
            super().data_received(data)
            if self.cycle is None or self.cycle.response_complete:
                if not self.transport.is_closing():
                    self._arm()  # still waiting for a whole request: the same deadline

        def on_response_complete(self) -> None:
            self._headers_due = self.loop.time() + IDLE_TIMEOUT
            self._header_bytes = 0
            super().on_response_complete()

    return Protocol


def _loop() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


class _HttpError(Exception):
    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []


class _Request:
    def __init__(self, scope: dict, receive) -> None:
        self.method: str = scope["method"]
        self.path: str = scope["path"].rstrip("/") or "/"
        self.params = parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        self.headers: dict[str, str] = {}
        for key, value in scope["headers"]:
            self.headers.setdefault(key.decode("latin-1"), value.decode("latin-1"))
        self._receive = receive

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    async def body(self, limit: int) -> bytes:
        length = self.header("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise _HttpError(400, "bad Content-Length")
            if int(length) > limit:
                raise _HttpError(413, f"request body over {limit} bytes")
        chunks: list[bytes] = []
        size = 0

        async def read() -> None:
            nonlocal size
            while True:
                message = await self._receive()
                if message["type"] == "http.disconnect":
                    raise _HttpError(400, "the client went away")
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > limit:
                    raise _HttpError(413, f"request body over {limit} bytes")
                if not message.get("more_body"):
                    return

        try:
            await asyncio.wait_for(read(), READ_TIMEOUT)
        except asyncio.TimeoutError:
            raise _HttpError(408, f"request body not received within {READ_TIMEOUT:g} s") from None
        return b"".join(chunks)

    async def text(self, limit: int) -> str:
        try:
            return (await self.body(limit)).decode("utf-8")
        except UnicodeDecodeError:
            raise _HttpError(400, "request body is not UTF-8") from None


class _App:
    """The ASGI application."""

    def __init__(self, server: SparqlServer) -> None:
        self.server = server

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        request = _Request(scope, receive)
        origin = request.header("origin")
        extra: list[tuple[str, str]] = []
        allowed = self.server.cors_origin(origin)
        if allowed is not None:
            extra += [("access-control-allow-origin", allowed), ("vary", "Origin")]
        try:
            if not self.server.host_allowed(request.header("host") or ""):
                raise _HttpError(
                    421, f"Host {request.header('host')!r} not served here; use {self.server.url}"
                )
            reply = await self._route(request, allowed is not None, receive)
        except _HttpError as err:
            reply = Reply.text(err.status, err.message)
            extra += err.headers
        if reply is None:
            return  # the client left; nobody to answer
        headers = [
            ("content-type", reply.content_type),
            ("content-length", str(len(reply.body))),
            ("x-content-type-options", "nosniff"),
            ("cache-control", "no-store"),
            *reply.headers,
            *extra,
        ]
        await send({"type": "http.response.start", "status": reply.status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]})
        await send({"type": "http.response.body", "body": b"" if request.method == "HEAD" else reply.body})

    async def _route(self, request: _Request, cors_ok: bool, receive) -> Reply | None:
        method, path = request.method, request.path
        if method == "OPTIONS":
            allow = (("allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS"),)
            if not cors_ok:
                return Reply(204, headers=allow)
            return Reply(204, headers=allow + (
                ("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS"),
                ("access-control-allow-headers", "Content-Type, Accept, Authorization"),
                ("access-control-max-age", "600"),
            ))
        routes = {
            ("GET", "/"): self._index, ("HEAD", "/"): self._index,
            ("GET", "/query"): self._query_get, ("HEAD", "/query"): self._query_get,
            ("POST", "/query"): self._query_post,
            ("POST", "/update"): self._update,
            ("GET", "/store"): self._store_get, ("HEAD", "/store"): self._store_get,
            ("PUT", "/store"): self._store_write, ("POST", "/store"): self._store_write,
            ("DELETE", "/store"): self._store_write,
        }
        handler = routes.get((method, path))
        if handler is None:
            if path in ("/", "/query", "/update", "/store"):
                raise _HttpError(405, f"method {method} not allowed on {path}")
            raise _HttpError(404, f"no such resource {path}; try /query, /update or /store")
        return await handler(request, receive)

    async def _run(self, job: dict, receive) -> Reply | None:
        disconnected = asyncio.ensure_future(_wait_disconnect(receive))
        try:
            return await self.server.engine.run(job, disconnected=disconnected)
        finally:
            disconnected.cancel()

    def _check(self, text: str) -> None:
        try:
            check_query(text, allow_service=self.server.options.allow_service)
        except QueryError as err:
            status = 403 if "SERVICE" in str(err) else 400
            raise _HttpError(status, f"bad request: {err}") from None

    # --- operations -----------------------------------------------------
    async def _index(self, request: _Request, receive) -> Reply:
        mode = "read-write" if self.server.options.writable else "read-only"
        page = (
            "<!doctype html><meta charset=utf-8><title>kgraph SPARQL endpoint</title>"
            f"<h1>kgraph SPARQL endpoint ({mode})</h1>"
            f"<p>SPARQL 1.1 query endpoint: <code>{html.escape(self.server.url)}/query</code>"
            "<p>Update endpoint: <code>/update</code>; Graph Store: <code>/store?default</code> or "
            "<code>/store?graph=IRI</code>"
            f"<p>{self.server.engine.quads} quads loaded."
        )
        return Reply(200, page.encode("utf-8"), "text/html; charset=utf-8")

    async def _query(self, text: str, params: dict[str, list[str]], request: _Request, receive) -> Reply | None:
        self._check(text)
        job = {
            "kind": "query",
            "query": text,
            "accept": request.header("accept") or "",
            "default_graphs": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []),
        }
        return await self._run(job, receive)

    async def _query_get(self, request: _Request, receive) -> Reply | None:
        if "query" not in request.params:
            raise _HttpError(400, "missing the query parameter: /query?query=SELECT…")
        return await self._query(request.params["query"][0], request.params, request, receive)

    async def _query_post(self, request: _Request, receive) -> Reply | None:
        kind = request.content_type
        limit = 4 * 100_000 + 1024
        if kind == "application/sparql-query":
            return await self._query(await request.text(limit), request.params, request, receive)
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(await request.text(limit), keep_blank_values=True)
            if "query" not in form:
                raise _HttpError(400, "missing the query field in the form")
            return await self._query(form["query"][0], {**request.params, **form}, request, receive)
        raise _HttpError(
            415, f"unsupported Content-Type {kind!r}; use application/sparql-query or application/x-www-form-urlencoded"
        )

    def _require_write(self, request: _Request) -> None:
        if not self.server.options.writable:
            raise _HttpError(403, "read-only endpoint; start it with `kgraph serve --writable` to write")
        origin = request.header("origin")
        cross_site = (request.header("sec-fetch-site") or "").lower() == "cross-site" or (
            origin is not None and origin not in (self.server.url, "null") and self.server.cors_origin(origin) is None
        )
        if cross_site and request.content_type in _FORM_TYPES:
            raise _HttpError(403, "cross-site form posts are refused")
        if not self.server.token_ok(request.header("authorization")):
            raise _HttpError(
                401, "writing needs the token printed by `kgraph serve --writable`: Authorization: Bearer TOKEN",
                [("www-authenticate", 'Bearer realm="kgraph"')],
            )

    async def _update(self, request: _Request, receive) -> Reply | None:
        self._require_write(request)
        kind = request.content_type
        if kind == "application/sparql-update":
            update = await request.text(MAX_BODY)
        elif kind == "application/x-www-form-urlencoded":
            form = parse_qs(await request.text(MAX_BODY), keep_blank_values=True)
            if "update" not in form:
                raise _HttpError(400, "missing the update field in the form")
            update = form["update"][0]
        else:
            raise _HttpError(415, f"unsupported Content-Type {kind!r} for an update")
        self._check(update)
        return await self._run({"kind": "update", "update": update}, receive)

    def _target(self, params: dict[str, list[str]]) -> dict:
        if "graph" in params and "default" in params:
            raise _HttpError(400, "give either ?graph=IRI or ?default, not both")
        if "graph" in params:
            iri = params["graph"][0]
            if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t'):
                raise _HttpError(400, f"bad graph IRI {iri!r}")
            return {"target": "graph", "graph": iri}
        if "default" in params:
            return {"target": "graph", "graph": None}
        return {"target": "all", "graph": None}

    async def _store_get(self, request: _Request, receive) -> Reply | None:
        job = {"kind": "store_get", "accept": request.header("accept") or "", **self._target(request.params)}
        return await self._run(job, receive)

    async def _store_write(self, request: _Request, receive) -> Reply | None:
        self._require_write(request)
        target = self._target(request.params)
        if target["target"] == "all":
            raise _HttpError(400, "say which graph: ?graph=IRI or ?default")
        job = {"kind": "store_write", "method": request.method, **target}
        if request.method != "DELETE":
            kind = request.content_type
            fmt = GRAPH_FORMATS.get(kind)
            if fmt is None or fmt in ("TRIG", "N_QUADS"):
                raise _HttpError(
                    415,
                    f"unsupported Content-Type {kind!r}; use text/turtle, application/n-triples, "
                    "application/rdf+xml or application/ld+json",
                )
            job.update(format=fmt, body=await request.body(MAX_BODY))
        return await self._run(job, receive)


async def _wait_disconnect(receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
