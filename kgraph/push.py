"""Load a built graph into a remote triple store over the SPARQL 1.1 Graph
Store HTTP Protocol (Oxigraph, Fuseki, GraphDB, ``kgraph serve --writable``).

``PUT`` replaces the target graph, ``POST`` adds to it. The endpoint URL is the
store's Graph Store service, for example ``http://localhost:7878/store``
(``kgraph serve``), ``http://localhost:3030/ds/data`` (Fuseki) or
``http://localhost:7200/repositories/kg/rdf-graphs/service`` (GraphDB).
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from .errors import ExportError, InputError

__all__ = ["PushResult", "graph_store_url", "push"]

_TRIPLE_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class PushResult:
    """What was sent where, and the store's answer."""

    url: str
    file: Path
    bytes: int
    status: int


def graph_store_url(endpoint: str, graph: str | None = None) -> str:
    """The Graph Store request URL: ``endpoint?graph=IRI`` (percent-encoded)
    or ``endpoint?default`` for the default graph.

    >>> graph_store_url("http://localhost:7878/store", "https://ex.org/g 1")
    'http://localhost:7878/store?graph=https%3A%2F%2Fex.org%2Fg%201'
    """
    sep = "&" if urlsplit(endpoint).query else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={quote(graph, safe='')}"


def push(
    source: str | Path,
    endpoint: str,
    *,
    graph: str | None = None,
    replace: bool = True,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 300.0,
) -> PushResult:
    """Send the graph to a Graph Store Protocol endpoint.

    Args:
        source: An output folder (its ``graph.ttl``) or an RDF file of triples
            (``.ttl``, ``.nt``, ``.rdf``, ``.jsonld``).
        endpoint: The store's Graph Store service URL (http or https).
        graph: IRI of the named graph to write; ``None`` writes the default graph.
        replace: ``PUT`` (replace the graph) when true, ``POST`` (add) when false.
        user: User name for HTTP basic authentication, if the store asks.
        password: Its password.
        timeout: Seconds to wait for the store.

    Returns:
        A :class:`PushResult` with the HTTP status (201 created, 200/204 done).

    Raises:
        InputError: if the source is missing or not a triples format.
        ExportError: if the store cannot be reached or refuses the graph.
    """
    path = Path(source)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise InputError(f"cannot read {path}: no such file; run `kgraph build` first")
    media = _TRIPLE_TYPES.get(path.suffix.lower())
    if media is None:
        raise InputError(
            f"cannot push {path}: the Graph Store Protocol takes one graph of triples; "
            f"use one of {', '.join(_TRIPLE_TYPES)}"
        )
    scheme = urlsplit(endpoint).scheme.lower()
    if scheme not in ("http", "https"):
        raise ExportError(f"cannot push to {endpoint!r}: expected an http:// or https:// Graph Store URL")
    url = graph_store_url(endpoint, graph)
    data = path.read_bytes()
    request = urllib.request.Request(url, data=data, method="PUT" if replace else "POST")
    request.add_header("Content-Type", f"{media}; charset=utf-8" if media.startswith("text/") else media)
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        detail = err.read(300).decode("utf-8", "replace").strip()
        raise ExportError(f"push to {url} failed: HTTP {err.code} {err.reason}" + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ExportError(f"cannot reach {endpoint}: {reason}") from None
    return PushResult(url=url, file=path, bytes=len(data), status=status)
