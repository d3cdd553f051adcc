"""Run SPARQL where it can be stopped: text checks, worker processes, limits.

The query engine (pyoxigraph) runs native code: a query can crash it (a
stack overflow in the parser on a few thousand nested braces), keep a CPU
busy for ever (an aggregate over a cross product) or fill memory. So:

* :func:`check_query` looks at the text before the engine sees it: its
  length, how deeply brackets nest, and ``SERVICE`` (a federated query makes
  the server send requests to any address it names);
* :class:`QueryEngine` keeps a few worker processes, each with its own copy
  of the store, for the SPARQL endpoint. A request waits at most ``timeout``
  seconds; a worker that overruns, or whose client went away, is killed and
  replaced; a worker that crashes is replaced and the request answered 500.
  A SELECT with more than ``max_rows`` rows stops at that row and is answered
  503. Writes (``--writable``) are kept in a journal that every worker
  replays before its next job, so a replaced worker catches up;
* :func:`run_isolated` runs one job in a fresh process with the same limits,
  for ``kgraph query``.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import re
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import KGraphError, QueryError

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_ROWS",
    "MAX_QUERY_CHARS",
    "MAX_DEPTH",
    "GRAPH_FORMATS",
    "RESULTS_FORMATS",
    "Limits",
    "Reply",
    "QueryEngine",
    "check_query",
    "negotiate",
    "run_isolated",
]

#: Seconds a query may run.
DEFAULT_TIMEOUT = 30.0
#: Rows a SELECT (or triples a CONSTRUCT) may return through the endpoint.
DEFAULT_MAX_ROWS = 100_000
#: Longest query text, in characters.
MAX_QUERY_CHARS = 100_000
#: Deepest nesting of ``{ ( [`` brackets. Real queries stay under ten levels;
#: the parser's stack runs out at a few thousand.
MAX_DEPTH = 100

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Strings, IRIs and comments, whose brackets and words do not count.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
    r"|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)"
    r'|"(?:[^"\\\n]|\\.)*(?:"|$)'
    r"|'(?:[^'\\\n]|\\.)*(?:'|$)"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*",
    re.MULTILINE | re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)
_OPEN, _CLOSE = "{([", "})]"


def check_query(
    text: str, *, max_chars: int = MAX_QUERY_CHARS, max_depth: int = MAX_DEPTH, allow_service: bool = False
) -> None:
    """Refuse a query or update text before the engine parses it.

    Raises:
        QueryError: for text over ``max_chars`` characters, brackets nested
            deeper than ``max_depth``, or ``SERVICE`` unless ``allow_service``.

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("SELECT * WHERE " + "{" * 200 + " }")
    Traceback (most recent call last):
    ...
    kgraph.errors.QueryError: query nested too deeply: more than 100 levels of brackets at line 1, column 116; the limit is 100
    """
    if len(text) > max_chars:
        raise QueryError(f"query too long: {len(text)} characters; the limit is {max_chars}")
    # Opaque parts are blanked out, same length, so positions stay right.
    plain = _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    depth = 0
    for index, char in enumerate(plain):
        if char in _OPEN:
            depth += 1
            if depth > max_depth:
                line = plain.count("\n", 0, index) + 1
                column = index - (plain.rfind("\n", 0, index) + 1) + 1
                raise QueryError(
                    f"query nested too deeply: more than {max_depth} levels of brackets "
                    f"at line {line}, column {column}; the limit is {max_depth}"
                )
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    if not allow_service and _SERVICE.search(plain):
        raise QueryError("SERVICE (a federated query) is refused here; start the endpoint with --allow-service to allow it")


@dataclass(frozen=True)
class Limits:
    """What one query may use."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int | None = DEFAULT_MAX_ROWS
    allow_service: bool = False
    #: Address space of a worker, in MB (``None``: no limit).
    max_memory_mb: int | None = None


@dataclass(frozen=True)
class Reply:
    """An HTTP answer made by a worker (or about one)."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str) -> Reply:
        return cls(status, (message.rstrip() + "\n").encode("utf-8"))


# --- inside a worker process ----------------------------------------------

#: Media types of SELECT/ASK answers and the pyoxigraph format of each.
RESULTS_FORMATS = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
#: Media types of graphs (CONSTRUCT, DESCRIBE, the Graph Store) and their format.
GRAPH_FORMATS = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "application/trig": "TRIG",
    "application/n-quads": "N_QUADS",
}


def negotiate(accept: str, table: Mapping[str, str], default: str) -> str | None:
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


def _charset(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")


class _TooManyRows(Exception):
    pass


def _capped(items, max_rows: int | None) -> list:
    if max_rows is None:
        return list(items)
    taken = list(itertools.islice(items, max_rows + 1))
    if len(taken) > max_rows:
        raise _TooManyRows(max_rows)
    return taken


class _RowCounter:
    """A file for pyoxigraph to write TSV results into, which stops the
    serialisation at the row past the limit (TSV escapes line breaks inside
    terms, so a row is a line)."""

    def __init__(self, max_rows: int | None) -> None:
        self.parts: list[bytes] = []
        self.lines = 0
        # the header line is not a row
        self.limit = None if max_rows is None else max_rows + 1
        self.max_rows = max_rows

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        if self.limit is not None and self.lines > self.limit:
            raise _TooManyRows(self.max_rows)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _solutions_body(result, media: str, max_rows: int | None) -> bytes:
    import pyoxigraph as ox

    # Serialised natively (fast) as TSV, counting rows as they come, then
    # converted to the format asked for.
    counter = _RowCounter(max_rows)
    result.serialize(counter, format=ox.QueryResultsFormat.TSV)
    tsv = b"".join(counter.parts)
    fmt = RESULTS_FORMATS[media]
    if fmt == "TSV":
        return tsv
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=getattr(ox.QueryResultsFormat, fmt))


def _query_reply(store, job: dict, max_rows: int | None) -> Reply:
    import pyoxigraph as ox

    options: dict = {}
    if job.get("default_graphs"):
        options["default_graph"] = [ox.NamedNode(iri) for iri in job["default_graphs"]]
    else:
        # Like `kgraph query`: named graphs (TriG input, pushed graphs) are
        # part of the default graph.
        options["use_default_graph_as_union"] = True
    if job.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job["named_graphs"]]
    result = store.query(job["query"], **options)
    accept = job.get("accept", "")
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        media = negotiate(accept, RESULTS_FORMATS, "application/sparql-results+json")
        if media is None:
            return Reply.text(406, f"cannot answer {accept!r}; try {', '.join(RESULTS_FORMATS)}")
        if isinstance(result, ox.QueryBoolean):
            body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULTS_FORMATS[media]))
        else:
            body = _solutions_body(result, media, max_rows)
    else:
        media = negotiate(accept, GRAPH_FORMATS, "text/turtle")
        if media is None or GRAPH_FORMATS[media] in ("TRIG", "N_QUADS"):
            return Reply.text(406, f"cannot answer {accept!r}; try text/turtle")
        triples = _capped(iter(result), max_rows)
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_FORMATS[media]))
    return Reply(200, body, _charset(media))


def _graph_term(graph: str | None):
    import pyoxigraph as ox

    if graph is None:
        return ox.DefaultGraph()
    return ox.NamedNode(graph)


def _store_get(store, job: dict) -> Reply:
    import pyoxigraph as ox

    accept = job.get("accept", "")
    if job["target"] == "all":
        table = {"application/trig": "TRIG", "application/n-quads": "N_QUADS"}
        media = negotiate(accept, table, "application/trig")
        if media is None:
            return Reply.text(406, "the whole dataset comes as application/trig or n-quads")
        return Reply(200, store.dump(format=getattr(ox.RdfFormat, table[media])), media)
    graph = _graph_term(job["graph"])
    if isinstance(graph, ox.NamedNode) and not store.contains_named_graph(graph):
        return Reply.text(404, f"no graph {graph.value}")
    table = {k: v for k, v in GRAPH_FORMATS.items() if v not in ("TRIG", "N_QUADS")}
    media = negotiate(accept, table, "text/turtle")
    if media is None:
        return Reply.text(406, f"cannot answer {accept!r}; try text/turtle")
    body = store.dump(format=getattr(ox.RdfFormat, table[media]), from_graph=graph)
    return Reply(200, body, _charset(media) if media.startswith("text/") else media)


def _store_write(store, job: dict) -> Reply:
    import pyoxigraph as ox

    graph = _graph_term(job["graph"])
    existed = isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)
    if job["method"] == "DELETE":
        if not existed:
            return Reply.text(404, f"no graph {graph.value}")
        if isinstance(graph, ox.DefaultGraph):
            store.clear_graph(graph)
        else:
            store.remove_graph(graph)
        return Reply(204)
    # Parse into a scratch store first, so a malformed upload changes nothing.
    scratch = ox.Store()
    scratch.load(job["body"], format=getattr(ox.RdfFormat, job["format"]), to_graph=graph)
    if job["method"] == "PUT" and existed:
        store.clear_graph(graph)
    elif isinstance(graph, ox.NamedNode) and not existed:
        store.add_graph(graph)
    store.extend(scratch)
    return Reply(204 if existed else 201)


def _apply(store, job: dict, max_rows: int | None) -> Reply:
    kind = job["kind"]
    if kind == "query":
        return _query_reply(store, job, max_rows)
    if kind == "update":
        store.update(job["update"])
        return Reply(204)
    if kind == "store_get":
        return _store_get(store, job)
    if kind == "store_write":
        return _store_write(store, job)
    if kind == "count":
        return Reply(200, str(len(store)).encode())
    raise ValueError(f"unknown job {kind!r}")


def _load(source: str | bytes):
    import pyoxigraph as ox

    if isinstance(source, bytes):
        store = ox.Store()
        store.load(source, format=ox.RdfFormat.N_QUADS)
        return store
    from .query import load_store

    return load_store(source)


def _limit_memory(mb: int | None) -> None:
    if mb is None:
        return
    try:
        import resource

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the time limit still holds


def _serve_jobs(conn, source: str | bytes, max_rows: int | None, max_memory_mb: int | None) -> None:
    """A worker's life: load the store, then answer jobs until the pipe closes.

    Each message is ``(journal, job)``: writes made since this worker last ran
    (applied first, in order) and the job itself.
    """
    # The parent handles Ctrl-C; a worker dies with it, not on the signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(max_memory_mb)
    try:
        store = _load(source)
    except KGraphError as err:
        conn.send(("error", str(err)))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            journal, job = conn.recv()
        except (EOFError, OSError):
            return
        for write in journal:
            _apply(store, write, None)
        try:
            reply = _apply(store, job, max_rows)
        except SyntaxError as err:
            reply = Reply.text(400, f"bad request: {err}")
        except _TooManyRows as err:
            reply = Reply.text(503, f"more than {err.args[0]} results; add a LIMIT or start the endpoint with a larger --max-rows")
        except (ValueError, RuntimeError) as err:
            reply = Reply.text(400, f"bad request: {err}")
        except OSError as err:
            reply = Reply.text(500, f"store error: {err}")
        except MemoryError:
            reply = Reply.text(503, "the query ran out of memory")
        except Exception as err:  # noqa: BLE001 - one request's failure, not the worker's end
            reply = Reply.text(500, f"query failed: {type(err).__name__}: {err}")
        conn.send(reply)


def _signal_name(exitcode: int | None) -> str:
    if exitcode is None or exitcode >= 0:
        return f"exit code {exitcode}"
    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"signal {-exitcode}"


def _context():
    # forkserver: a worker never inherits the server's threads or sockets.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


# --- in the server ---------------------------------------------------------


class _Worker:
    def __init__(self, source: str | bytes, limits: Limits) -> None:
        parent, child = _context().Pipe()
        self.process = _context().Process(
            target=_serve_jobs, args=(child, source, limits.max_rows, limits.max_memory_mb), daemon=True
        )
        self.process.start()
        child.close()
        self.conn = parent
        #: Journal entries this worker has applied.
        self.version = 0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


async def _readable(conn, deadline: float | None, cancel: asyncio.Future | None) -> str:
    """Wait until ``conn`` has a message (``"ready"``), the deadline passes
    (``"timeout"``) or ``cancel`` is done (``"cancelled"``)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    fd = conn.fileno()
    loop.add_reader(fd, wake)
    try:
        waits = [ready] + ([cancel] if cancel is not None else [])
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        done, _ = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        loop.remove_reader(fd)
        # uvloop makes a watched descriptor non-blocking; the Connection's
        # recv and send of a long message need it blocking.
        try:
            os.set_blocking(fd, True)
        except OSError:
            pass  # closed meanwhile (the engine is shutting down)
    if ready in done:
        return "ready"
    if cancel is not None and cancel in done:
        return "cancelled"
    return "timeout"


@dataclass
class QueryEngine:
    """Worker processes answering endpoint requests (see the module docstring).

    Args:
        source: An RDF file to load in each worker, or N-Quads bytes.
        workers: Number of worker processes.
        limits: Time, rows and text limits.
    """

    source: str | bytes
    workers: int = 2
    limits: Limits = field(default_factory=Limits)
    quads: int = 0
    _journal: list[dict] = field(default_factory=list)
    _idle: asyncio.Queue | None = None
    _all: set = field(default_factory=set)
    _write_lock: asyncio.Lock | None = None
    _closed: bool = False

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the store.

        Raises:
            KGraphError: if a worker cannot load it.
        """
        self._idle = asyncio.Queue()
        self._write_lock = asyncio.Lock()
        await asyncio.gather(*(self._spawn() for _ in range(self.workers)))

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(None, _Worker, self.source, self.limits)
        self._all.add(worker)
        await _readable(worker.conn, None, None)
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            message = ("error", f"a query worker could not start ({_signal_name(worker.process.exitcode)})")
        if message[0] != "ready":
            self._discard(worker)
            raise KGraphError(message[1])
        self.quads = message[1]
        if self._closed:
            self._discard(worker)
        else:
            self._idle.put_nowait(worker)

    def _discard(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        if not self._closed:
            task = asyncio.ensure_future(self._spawn())
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def run(self, job: dict, *, disconnected: asyncio.Future | None = None) -> Reply | None:
        """Answer one job; ``None`` when the client went away first."""
        deadline = time.monotonic() + self.limits.timeout
        write = job["kind"] in ("update", "store_write")
        if write:
            async with self._write_lock:
                reply = await self._run(job, deadline, disconnected)
                if reply is not None and reply.status < 300:
                    self._journal.append(job)
                return reply
        return await self._run(job, deadline, disconnected)

    async def _run(self, job: dict, deadline: float, disconnected: asyncio.Future | None) -> Reply | None:
        get = asyncio.ensure_future(self._idle.get())
        waits = [get] + ([disconnected] if disconnected is not None else [])
        done, _ = await asyncio.wait(waits, timeout=max(0.0, deadline - time.monotonic()),
                                     return_when=asyncio.FIRST_COMPLETED)
        if get not in done:
            get.cancel()
            try:
                worker = await get  # it may have got one just now
            except asyncio.CancelledError:
                worker = None
            if worker is not None:
                self._idle.put_nowait(worker)
            if disconnected is not None and disconnected.done():
                return None
            return self._timeout_reply()
        worker = get.result()
        try:
            worker.conn.send((self._journal[worker.version:], job))
            worker.version = len(self._journal)
        except OSError:
            return self._crashed(worker)
        why = await _readable(worker.conn, deadline, disconnected)
        if why == "ready":
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                return self._crashed(worker)
            if job["kind"] in ("update", "store_write") and reply.status < 300:
                # run() adds the write to the journal next; this worker has it already.
                worker.version = len(self._journal) + 1
            self._idle.put_nowait(worker)
            return reply
        self._replace(worker)
        if why == "cancelled":
            return None
        return self._timeout_reply()

    def _timeout_reply(self) -> Reply:
        return Reply.text(
            503, f"query stopped: over the time limit of {self.limits.timeout:g} s; "
                 "simplify it or start the endpoint with a larger --timeout")

    def _crashed(self, worker: _Worker) -> Reply:
        worker.process.join(1)
        how = _signal_name(worker.process.exitcode)
        self._replace(worker)
        if how == "SIGABRT" and self.limits.max_memory_mb is not None:
            # The engine aborts when an allocation fails: the memory limit.
            return Reply.text(503, f"query stopped: over the memory limit of {self.limits.max_memory_mb} MB; "
                                   "simplify it or start the endpoint with a larger --max-memory")
        return Reply.text(500, f"the query engine crashed on this request ({how}); the endpoint goes on")

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            self._discard(worker)


# --- one job, for the command line -------------------------------------------


def _call_child(conn, load: Callable[[], Any], run: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        state = load()
        conn.send(("started", None))
        conn.send(("ok", run(state)))
    except KGraphError as err:
        conn.send(("error", err))
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises
        conn.send(("error", QueryError(f"query failed: {type(err).__name__}: {err}")))


def run_isolated(load: Callable[[], Any], run: Callable[[Any], Any], *, timeout: float | None = DEFAULT_TIMEOUT) -> Any:
    """``run(load())`` in a fresh process; ``timeout`` counts from when
    ``load`` is done. Both must be picklable (module-level functions or
    :func:`functools.partial` of them).

    Raises:
        KGraphError: what ``load`` or ``run`` raised.
        QueryError: if ``run`` overran ``timeout`` or the process crashed.
    """
    context = _context()
    parent, child = context.Pipe()
    process = context.Process(target=_call_child, args=(child, load, run), daemon=True)
    process.start()
    child.close()
    try:
        deadline = None
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not parent.poll(wait):
                raise QueryError(
                    f"query stopped: over the time limit of {timeout:g} s; simplify it or give a larger --timeout"
                )
            try:
                kind, value = parent.recv()
            except (EOFError, OSError):
                process.join(5)
                raise QueryError(
                    f"the query engine crashed on this query ({_signal_name(process.exitcode)})"
                ) from None
            if kind == "started":
                deadline = None if timeout is None else time.monotonic() + timeout
            elif kind == "error":
                raise value
            else:
                return value
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()

