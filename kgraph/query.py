"""SPARQL over a built graph, with pyoxigraph (a complete SPARQL 1.1 engine).

The named example queries live in ``kgraph/queries/*.rq``. Each begins with
a comment line saying what it answers, then one ``# param:`` line per
parameter::

    # param: source state  state of the source, e.g. TUR or Turkey

A parameter is a variable of the query. A value given for it is bound to that
variable (pyoxigraph ``substitutions``), never pasted into the query text; a
parameter left out stays a free variable, so the query answers for every
value.

The type of a parameter says what a person may type for it (see
:func:`resolve_param`):

* ``state``: an ISO code in any case (``tur``), a name, alias, demonym or
  capital of the actor dictionaries (``Turkey``, ``Turkish``, ``Ankara``), or
  an international organisation (``NATO``, ``ORG:NATO``) → its id;
* ``actor``: an actor id or label of the graph in any case, else a state;
* ``relation``: a PLOVER type (``ASSAULT``), the label the page's legend uses
  (``attacks``) or the RDF property (``attacks``, ``meetsWith``) → the type;
* ``quad``: ``VC``/``MC``/``VX``/``MX`` or its name (``material conflict``);
* ``integer``, ``string``: the value as given (an integer checked as one).

A value that matches nothing raises :class:`ParameterError`, naming the
closest values that would match (the CLI exits 2, as for a bad option).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import InputError, QueryError

__all__ = [
    "ExampleQuery",
    "PARAM_TYPES",
    "Param",
    "ParameterError",
    "QueryResult",
    "example_queries",
    "format_result",
    "load_store",
    "parse_params",
    "query",
    "resolve_param",
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
#: What a ``# param:`` line may declare.
PARAM_TYPES = ("string", "integer", "state", "actor", "relation", "quad")
_PARAM = re.compile(r"#\s*param:\s*(\w+)\s+(" + "|".join(PARAM_TYPES) + r")\s*(.*)")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


class ParameterError(QueryError):
    """A ``--param`` that names no parameter of the query, or whose value
    matches nothing it could stand for: bad usage (the CLI exits 2)."""


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
        ParameterError: for an item without ``=``.
    """
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"invalid --param {pair!r}: expected NAME=VALUE, e.g. source=USA")
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

    Each value is first read as its parameter's type says
    (:func:`resolve_param`): ``source=Turkey`` binds ``"TUR"``.

    Example:
        >>> # kgraph query output/ --example evidence --param source=USA --param target=IRN
        >>> # run_example(load_store("output/"), "evidence", {"source": "USA", "target": "IRN"})

    Raises:
        QueryError: for an unknown example.
        ParameterError: for an unknown parameter or a value that matches
            nothing of its type.
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
            raise ParameterError(f"example {name!r} has no parameter {key!r}; its parameters: {accepted}")
        bindings[key] = resolve_param(store, declared[key], value, example=name)
    return run_query(store, example.text, **bindings)


_KG_NS = "https://kgraph.example.org/ontology#"
_DCTERMS_ID = "http://purl.org/dc/terms/identifier"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_CLOSEST = 5
#: How alike (difflib ratio) a value and a name must be to be offered as the closest.
_CUTOFF = 0.75


def _key(text: str) -> str:
    """How a typed value is compared: case, spaces, hyphens, underscores and
    a leading "the" do not matter ("the United  States" = "united-states")."""
    text = " ".join(text.casefold().split())
    if text.startswith("the "):
        text = text[4:]
    return re.sub(r"[\s\-_]+", "", text)


@cache
def _dictionary_states() -> dict[str, tuple[str, str, str]]:
    """Key of every state name, alias, demonym and capital of the package
    dictionaries (and of every international organisation's name) → (id,
    the name as written, label). The first row of a key wins, as in the
    dictionaries."""
    found: dict[str, tuple[str, str, str]] = {}
    for table, keep in (("states.tsv", lambda row: row["type"] == "country"),
                        ("igos.tsv", lambda row: row["id"].startswith("ORG:") and row["sector"] == "IGO")):
        text = (resources.files("kgraph") / "data" / "actors" / table).read_text(encoding="utf-8")
        lines = (line for line in text.splitlines() if not line.startswith("#"))
        rows = [row for row in csv.DictReader(lines, delimiter="\t") if keep(row)]
        # Codes before names: "-p source=ind" is India, whatever else "Ind" names.
        for row in rows:
            found.setdefault(_key(row["id"]), (row["id"], row["id"], row["label"]))
        for row in rows:
            found.setdefault(_key(row["pattern"]), (row["id"], row["pattern"], row["label"]))
    return found


# The graph's states and international organisations (the nodes of the state
# roll-up), and all its actors.
_STATES_SPARQL = f"""SELECT ?id ?label WHERE {{
  ?a a <{_KG_NS}Actor> ; <{_DCTERMS_ID}> ?id .
  FILTER(EXISTS {{ ?a a <{_KG_NS}State> }} || (STRSTARTS(?id, "ORG:") && !CONTAINS(?id, ".")))
  OPTIONAL {{ ?a <{_RDFS_LABEL}> ?label }}
}} ORDER BY ?id"""
_ACTORS_SPARQL = f"""SELECT ?id ?label WHERE {{
  ?a a <{_KG_NS}Actor> ; <{_DCTERMS_ID}> ?id .
  OPTIONAL {{ ?a <{_RDFS_LABEL}> ?label }}
}} ORDER BY ?id"""


def _graph_actors(store, *, states_only: bool) -> dict[str, tuple[str, str, str]]:
    """Key of every actor id and label in the graph → (id, the id or label
    as written, label); ids first."""
    rows = run_query(store, _STATES_SPARQL if states_only else _ACTORS_SPARQL).rows
    found: dict[str, tuple[str, str, str]] = {}
    for ident, label in rows:
        found.setdefault(_key(ident), (ident, ident, label or ident))
    for ident, label in rows:
        if label:
            found.setdefault(_key(label), (ident, label, label))
    return found


def _relations() -> dict[str, tuple[str, str, str]]:
    from .vocab import PLOVER_TYPES

    found: dict[str, tuple[str, str, str]] = {}
    for rel in PLOVER_TYPES:
        for form in (rel.name, rel.label, rel.property):
            found.setdefault(_key(form), (rel.name, form, rel.label))
    return found


def _quads() -> dict[str, tuple[str, str, str]]:
    from .vocab import QUAD_CLASSES

    found: dict[str, tuple[str, str, str]] = {}
    for code, label in QUAD_CLASSES.items():
        found[_key(code)] = (code, code, label)
        found[_key(label)] = (code, label, label)
    return found


def _candidates(store, kind: str) -> dict[str, tuple[str, str, str]]:
    if kind == "relation":
        return _relations()
    if kind == "quad":
        return _quads()
    found = _graph_actors(store, states_only=True)
    for key, value in _dictionary_states().items():
        found.setdefault(key, value)
    if kind == "actor":
        found = {**found, **_graph_actors(store, states_only=False)}
    return found


_EXAMPLES = {
    "state": "an ISO code or a name, such as TUR or Turkey",
    "actor": "an actor id or name of the graph, or a state",
    "relation": "a PLOVER type or its label, such as ASSAULT or attacks",
    "quad": "VC, MC, VX, MX or verbal cooperation, material cooperation, verbal conflict, material conflict",
}


def resolve_param(store, param: Param, value: str, *, example: str = "") -> str | int:
    """The value bound for ``param``: what a person typed, read as its type.

    >>> # resolve_param(store, Param("source", "state", ""), "turkey") -> "TUR"
    >>> resolve_param(None, Param("relation", "relation", ""), "attacks")
    'ASSAULT'
    >>> resolve_param(None, Param("quad", "quad", ""), "material conflict")
    'MX'

    Raises:
        ParameterError: if the value is no integer (``integer``) or matches
            nothing of its type, naming the closest values that would.
    """
    if param.type == "string":
        return value
    if param.type == "integer":
        try:
            return int(value)
        except ValueError:
            raise ParameterError(
                f"parameter {param.name!r} of {example!r} must be an integer, not {value!r}"
            ) from None
    candidates = _candidates(store, param.type)
    key = _key(value)
    if key in candidates:
        return candidates[key][0]
    closest: dict[str, str] = {}  # id -> its closest form: "Turkey (TUR)", "URY (Uruguay)"
    for near in difflib.get_close_matches(key, list(candidates), n=len(candidates), cutoff=_CUTOFF):
        ident, form, label = candidates[near]
        closest.setdefault(ident, f"{form} ({label if form == ident else ident})")
        if len(closest) == _CLOSEST:
            break
    hint = f"closest: {', '.join(closest.values())}" if closest else f"expected {_EXAMPLES[param.type]}"
    raise ParameterError(f"no {param.type} matches {param.name}={value!r}; {hint}")


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
