"""SPARQL over a built graph, with pyoxigraph (a complete SPARQL 1.1 engine).

The named example queries live in ``kgraph/queries/*.rq``. Each begins with
a comment line saying what it answers, then one ``# param:`` line per
parameter::

    # param: source string  actor or state id of the source, e.g. USA

A parameter is a variable of the query. A value given for it is bound to that
variable (pyoxigraph ``substitutions``), never pasted into the query text; a
parameter left out stays a free variable, so the query answers for every
value.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, QueryError

__all__ = [
    "ExampleQuery",
    "Param",
    "QueryResult",
    "example_queries",
    "format_result",
    "load_store",
    "parse_params",
    "query",
    "run_example",
    "run_query",
]

RDF_MIME = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".rdf": "application/rdf+xml",
    ".jsonld": "application/ld+json",
}
_PARAM = re.compile(r"#\s*param:\s*(\w+)\s+(string|integer)\s*(.*)")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT (or one boolean row of an ASK)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


@dataclass(frozen=True)
class Param:
    """A parameter of an example query: a variable and the type of its value."""

    name: str
    type: str
    help: str


@dataclass(frozen=True)
class ExampleQuery:
    """A named example query shipped with the package."""

    name: str
    title: str
    text: str
    params: tuple[Param, ...]


def example_queries() -> dict[str, ExampleQuery]:
    """The named example queries shipped with the package, by name."""
    folder = resources.files("kgraph") / "queries"
    examples = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".rq"):
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        title = lines[0].lstrip("# ").strip() if lines else ""
        params = tuple(Param(m[1], m[2], m[3].strip()) for m in map(_PARAM.match, lines) if m)
        name = Path(path.name).stem
        examples[name] = ExampleQuery(name, title, text, params)
    return examples


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["source=USA", "year=2019"]`` → ``{"source": "USA", "year": "2019"}``.

    Raises:
        QueryError: for an item without ``=``.
    """
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"invalid --param {pair!r}: expected NAME=VALUE, e.g. source=USA")
        params[name.strip()] = value
    return params


def load_store(path: str | Path):
    """Load an RDF file (or the ``graph.ttl`` of an output folder) into an
    in-memory pyoxigraph store.

    Raises:
        InputError: if the file is missing, of an unknown format or malformed.
    """
    import pyoxigraph

    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.exists():
        raise InputError(f"cannot read {path}: no such file; run `kgraph build` first")
    mime = RDF_MIME.get(path.suffix.lower())
    if mime is None:
        raise InputError(f"cannot read {path}: unknown RDF format; expected one of {', '.join(RDF_MIME)}")
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


def _bind(value):
    import pyoxigraph

    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise QueryError(f"cannot bind {value!r}: expected a string or an integer")
    if isinstance(value, int):
        return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(XSD_INTEGER))
    return pyoxigraph.Literal(value)


def run_query(store, query: str, **bindings: str | int) -> QueryResult:
    """Run a SELECT or ASK query.

    Keyword arguments are bound to the variables of the same name, strings as
    plain literals and integers as ``xsd:integer`` (never pasted into the
    query text). Named graphs are searched as part of the default graph, so
    TriG output answers the same queries as Turtle.

    Raises:
        QueryError: if the query is malformed or not SELECT/ASK.
    """
    import pyoxigraph

    from .sandbox import check_query

    # The parser's stack overflows on deep nesting: refuse it before parsing.
    check_query(query, allow_service=True)
    subs = {pyoxigraph.Variable(k): _bind(v) for k, v in bindings.items()}
    try:
        result = store.query(query, substitutions=subs, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise QueryError(f"invalid SPARQL: {err}") from None
    except (OSError, RuntimeError) as err:
        # pyoxigraph raises RuntimeError for a bound variable missing from the
        # SELECT projection.
        raise QueryError(f"query failed: {err}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult(("result",), ((str(bool(result)).lower(),),))
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT and ASK queries print as tables; CONSTRUCT/DESCRIBE are not supported here")
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_term(solution[v]) for v in variables) for solution in result)
    return QueryResult(variables, rows)


def run_example(store, name: str, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run the example query ``name`` with ``params`` bound to its variables.

    Example:
        >>> # kgraph query output/ --example evidence --param source=USA --param target=IRN
        >>> # run_example(load_store("output/"), "evidence", {"source": "USA", "target": "IRN"})

    Raises:
        QueryError: for an unknown example, an unknown parameter or a value
            of the wrong type.
    """
    examples = example_queries()
    if name not in examples:
        raise QueryError(f"unknown example {name!r}; available: {', '.join(examples)}")
    example = examples[name]
    declared = {p.name: p for p in example.params}
    bindings: dict[str, str | int] = {}
    for key, value in (params or {}).items():
        if key not in declared:
            accepted = ", ".join(declared) or "none"
            raise QueryError(f"example {name!r} has no parameter {key!r}; its parameters: {accepted}")
        if declared[key].type == "integer":
            try:
                bindings[key] = int(value)
            except ValueError:
                raise QueryError(f"parameter {key!r} of {name!r} must be an integer, not {value!r}") from None
        else:
            bindings[key] = value
    return run_query(store, example.text, **bindings)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render as ``table``, ``csv`` or ``json``.

    Raises:
        QueryError: for another format.
    """
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
    cells = [list(result.variables)] + [["" if c is None else _one_line(c) for c in row] for row in result.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(result.variables))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    # Evidence sentences may hold newlines; a table row must not.
    return " ".join(text.split())


def query(
    graph: str | Path,
    *,
    sparql: str | None = None,
    file: str | Path | None = None,
    example: str | None = None,
    params: Mapping[str, str] | None = None,
    timeout: float | None = 30.0,
) -> QueryResult:
    """Run one query over a built graph: the text, a file or a named example.

    The query runs in a separate process (:func:`kgraph.sandbox.run_isolated`):
    one that overruns ``timeout`` seconds is stopped, and one that crashes the
    engine is an error, not the end of the caller.

    Args:
        graph: Output folder or RDF file.
        sparql: Query text.
        file: A file holding the query.
        example: Name of an example query (see :func:`example_queries`).
        params: Values bound to the query's variables, by name.
        timeout: Seconds the query may run once the graph is loaded
            (``None``: no limit).

    Raises:
        QueryError: unless exactly one of ``sparql``, ``file``, ``example`` is
            given, for a malformed query, one over ``timeout`` or one that
            crashes the engine.
        InputError: if the graph or the query file cannot be read.
    """
    from functools import partial

    from .sandbox import check_query, run_isolated

    given = [q for q in (sparql, file, example) if q is not None]
    if len(given) != 1:
        raise QueryError("give exactly one of: a query, --file FILE, --example NAME")
    if example is not None:
        examples = example_queries()
        if example not in examples:
            raise QueryError(f"unknown example {example!r}; available: {', '.join(examples)}")
        answer = partial(_answer_example, name=example, params=dict(params or {}))
    else:
        if file is not None:
            try:
                sparql = Path(file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(f"cannot read {file}: {getattr(err, 'strerror', None) or err}") from None
        check_query(sparql or "", allow_service=True)
        answer = partial(_answer_query, text=sparql or "", params=dict(params or {}))
    return run_isolated(partial(load_store, graph), answer, timeout=timeout)


def _answer_example(store, *, name: str, params: dict[str, str]) -> QueryResult:
    return run_example(store, name, params)


def _answer_query(store, *, text: str, params: dict[str, str]) -> QueryResult:
    return run_query(store, text, **params)
