"""SPARQL over a built graph, with pyoxigraph (a complete SPARQL 1.1 engine)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, QueryError

__all__ = ["QueryResult", "example_queries", "load_store", "run_query", "format_result"]

_RDF_MIME = {".ttl": "text/turtle", ".nt": "application/n-triples", ".trig": "application/trig",
             ".nq": "application/n-quads", ".rdf": "application/rdf+xml", ".jsonld": "application/ld+json"}


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT (or one boolean row of an ASK)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


def example_queries() -> dict[str, str]:
    """The named example queries shipped with the package."""
    folder = resources.files("kgraph") / "queries"
    return {
        Path(str(p)).stem: p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".rq")
    }


def load_store(path: str | Path):
    """Load an RDF file (or the ``graph.ttl`` of an output folder) into an
    in-memory pyoxigraph store."""
    import pyoxigraph

    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.exists():
        raise InputError(f"cannot read {path}: no such file; run `kgraph build` first")
    mime = _RDF_MIME.get(path.suffix.lower())
    if mime is None:
        raise InputError(f"cannot read {path}: unknown RDF format; expected one of {', '.join(_RDF_MIME)}")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.from_media_type(mime))
    except (SyntaxError, ValueError, OSError) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    return store


def _term(value) -> str | None:
    if value is None:
        return None
    return getattr(value, "value", str(value))


def run_query(store, query: str, **bindings) -> QueryResult:
    """Run a SELECT or ASK query.

    Keyword arguments are bound to variables of the same name as plain
    literals (never pasted into the query text).

    Raises:
        QueryError: if the query is malformed or not SELECT/ASK.
    """
    import pyoxigraph

    subs = {pyoxigraph.Variable(k): pyoxigraph.Literal(str(v)) for k, v in bindings.items()}
    try:
        result = store.query(query, substitutions=subs) if subs else store.query(query)
    except SyntaxError as err:
        raise QueryError(f"invalid SPARQL: {err}") from None
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return QueryResult(("result",), ((str(bool(result)).lower(),),))
    if not hasattr(result, "variables"):
        raise QueryError("only SELECT and ASK queries print as tables; CONSTRUCT/DESCRIBE are not supported here")
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_term(solution[v]) for v in variables) for solution in result)
    return QueryResult(variables, rows)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render as ``table``, ``csv`` or ``json``."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(["" if c is None else c for c in row] for row in result.rows)
        return out.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(result.variables, row)) for row in result.rows], ensure_ascii=False, indent=1) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; expected table, csv or json")
    cells = [list(result.variables)] + [["" if c is None else c for c in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.variables))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
