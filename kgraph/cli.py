"""The ``kgraph`` command line: a thin layer over the library.

Each command parses its options, calls one library function and turns a
:class:`~kgraph.errors.KGraphError` into ``Error: …`` on stderr.

Exit codes: 0 success; 1 error (``Error: …`` on stderr, nothing written);
2 bad usage (unknown option, bad value); 3 ``build``/``extract`` finished and
wrote their outputs but skipped documents that could not be read (each named
on stderr as ``Skipped FILE[:LINE]: reason`` and listed in ``errors.jsonl``).
``--strict`` turns the first such document into an error (exit 1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import InputError, KGraphError

__all__ = ["app", "main"]

app = typer.Typer(
    name="kgraph",
    help="Turn news articles into a geopolitical knowledge graph (PLOVER events, RDF, SPARQL, HTML).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Inputs = Annotated[Optional[list[Path]], typer.Argument(help="Article .txt files, .jsonl files or folders.")]
Model = Annotated[Optional[str], typer.Option("--model", help="spaCy model package (default: installed en_core_web_sm).")]
Actors = Annotated[Optional[list[Path]], typer.Option("--actors", help="Extra actor dictionary (TSV); repeatable.")]
Lexicon = Annotated[Optional[list[Path]], typer.Option("--lexicon", help="Extra event lexicon (TSV); repeatable.")]
Extractors = Annotated[
    Optional[list[str]], typer.Option("--extractor", help="Extractor name; repeatable (default: dependency, nominal).")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
Strict = Annotated[
    bool, typer.Option("--strict", help="Fail (exit 1, nothing written) on the first document that cannot be read.")
]
MaxChars = Annotated[
    int,
    typer.Option("--max-chars", min=1, max=1_000_000, help="Longest text parsed at once; longer documents are split at paragraph breaks."),
]

Jobs = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parser processes (or Dask workers with --scheduler local).")]
CachePath = Annotated[
    Optional[Path], typer.Option("--cache", help="Extraction cache to reuse (SQLite; default: in the output folder).")
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Parse every document; do not read or write the cache.")]
Scheduler = Annotated[
    Optional[str],
    typer.Option("--scheduler", help="Extract on Dask: a scheduler address tcp://HOST:8786, or 'local' (LocalCluster of --jobs workers)."),
]
ParseAll = Annotated[bool, typer.Option("--parse-all", help="Parse every paragraph (turn selective parsing off).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Print each document's event count and the rate.")]

#: Exit code of a build or extraction that finished but skipped documents.
EXIT_SKIPPED = 3
Level = Annotated[str, typer.Option("--level", help="HTML view level: state or actor.")]
MaxNodes = Annotated[
    Optional[int],
    typer.Option("--max-nodes", min=0, help="HTML view: keep the N actors with most relations (default 200; 0: all)."),
]


def _fail(err: Exception) -> None:
    typer.echo(f"Error: {err}", err=True)
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """kgraph: who did what to whom, from news articles."""


def _options(model, actors, lexicon, extractors, jobs=1, *, cache=None, scheduler=None, parse_all=False):
    from .extract import DEFAULT_EXTRACTORS, get_extractor
    from .pipeline import ExtractOptions

    names = tuple(extractors) if extractors else DEFAULT_EXTRACTORS
    for name in names:
        get_extractor(name)
    return ExtractOptions(
        model=model,
        extractors=names,
        actor_files=tuple(str(p) for p in actors or ()),
        lexicon_files=tuple(str(p) for p in lexicon or ()),
        n_process=jobs,
        cache=cache,
        scheduler=scheduler,
        selective=not parse_all,
    )


def _report_skips(result, quiet: bool) -> None:
    for skip in result.skipped:
        typer.echo(f"Skipped {skip.source}: {skip.reason}", err=True)


def _finish(result, errors: Path | None = None) -> None:
    """Exit with :data:`EXIT_SKIPPED` when documents were skipped."""
    if result.skipped:
        where = f"; listed in {errors}" if errors else ""
        typer.echo(f"{len(result.skipped)} documents skipped{where}", err=True)
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def build(
    inputs: Inputs = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("output"),
    base_iri: Annotated[str, typer.Option("--base-iri", help="Base IRI of the RDF resources.")] = "https://kgraph.example.org/",
    level: Level = "state",
    max_nodes: MaxNodes = None,
    model: Model = None,
    actors: Actors = None,
    lexicon: Lexicon = None,
    extractor: Extractors = None,
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    cache: CachePath = None,
    no_cache: NoCache = False,
    parse_all: ParseAll = False,
    rdf_format: Annotated[
        Optional[list[str]],
        typer.Option("--format", help="Extra RDF format besides Turtle: nt, json-ld, trig, xml; repeatable."),
    ] = None,
    max_chars: MaxChars = 100_000,
    strict: Strict = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Build the graph: events.jsonl, graph.ttl, graph.html … (default: seeds/ -> output/)."""
    from .build import build as run_build
    from .cache import default_cache_path
    from .pipeline import ProgressBar

    inputs = inputs or [Path("seeds")]
    cache = None if no_cache else cache or default_cache_path(output)
    try:
        with ProgressBar.for_inputs(inputs, quiet=quiet, verbose=verbose) as bar:
            result = run_build(
                inputs,
                output,
                options=_options(model, actors, lexicon, extractor, jobs, cache=cache, scheduler=scheduler, parse_all=parse_all),
                base_iri=base_iri,
                level=level,
                max_chars=max_chars,
                strict=strict,
                max_nodes=max_nodes,
                formats=_rdf_formats(rdf_format),
                progress=bar,
            )
    except KGraphError as err:
        _fail(err)
    _report_skips(result, quiet)
    if not quiet:
        s = result.summary()
        typer.echo(
            f"{s['read']} documents read: {s['kept']} kept, {s['skipped']} skipped; "
            f"{s['events']} events, {s['actors']} actors, {s['edges']} edges"
        )
        verb = "unchanged" if result.unchanged else "wrote"
        for path in result.files:
            typer.echo(f"  {verb} {path}")
    _finish(result, output / "errors.jsonl")


def _rdf_formats(names: list[str] | None) -> tuple[str, ...]:
    from .export import RDF_FORMATS

    for name in names or ():
        if name not in RDF_FORMATS:
            raise typer.BadParameter(f"unknown RDF format {name!r}; expected one of {', '.join(RDF_FORMATS)}")
    return ("turtle", *(names or ()))


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Article .txt files, .jsonl files or folders.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Events file (JSON Lines).")] = Path("events.jsonl"),
    model: Model = None,
    actors: Actors = None,
    lexicon: Lexicon = None,
    extractor: Extractors = None,
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    cache: CachePath = None,
    no_cache: NoCache = False,
    parse_all: ParseAll = False,
    max_chars: MaxChars = 100_000,
    strict: Strict = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Extract events only, to a JSON Lines file (cache beside it)."""
    from .build import extract as run_extract
    from .cache import default_cache_path
    from .pipeline import ProgressBar

    cache = None if no_cache else cache or default_cache_path(output, folder=False)
    try:
        with ProgressBar.for_inputs(inputs, quiet=quiet, verbose=verbose) as bar:
            result = run_extract(
                inputs,
                output,
                options=_options(model, actors, lexicon, extractor, jobs, cache=cache, scheduler=scheduler, parse_all=parse_all),
                max_chars=max_chars,
                strict=strict,
                progress=bar,
            )
    except KGraphError as err:
        _fail(err)
    _report_skips(result, quiet)
    if not quiet:
        typer.echo(
            f"{result.read} documents read: {result.documents} kept, {len(result.skipped)} skipped; "
            f"{result.events} events -> {output}"
        )
    _finish(result)


@app.command()
def query(
    graph: Annotated[Path, typer.Argument(help="RDF file (graph.ttl) or output folder.")],
    sparql: Annotated[Optional[str], typer.Argument(help="SPARQL query text.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the query from a file.")] = None,
    example: Annotated[Optional[str], typer.Option("--example", "-e", help="Run a named example query.")] = None,
    param: Annotated[
        Optional[list[str]], typer.Option("--param", "-p", help="NAME=VALUE bound to ?NAME in the query; repeatable.")
    ] = None,
    list_examples: Annotated[bool, typer.Option("--list-examples", help="List the example queries.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds the query may run; then it is stopped.")] = 30.0,
) -> None:
    """Run a SPARQL SELECT or ASK query over a built graph.

    Parameters of the example queries take what a person would type: state
    names or codes in any case (Turkey, tur), relation labels (attacks) or
    PLOVER types (ASSAULT), quad classes (MX, material conflict). A value
    that matches nothing is bad usage (exit 2), with the closest matches.
    """
    from .query import ParameterError, example_queries, format_result, parse_params
    from .query import query as run

    try:
        if list_examples:
            for name, ex in example_queries().items():
                params = " ".join(f"[{p.name}=…]" for p in ex.params)
                typer.echo(f"{name} {params}".rstrip() + f"\n    {ex.title}")
            return
        result = run(graph, sparql=sparql, file=file, example=example, params=parse_params(param or []), timeout=timeout)
        typer.echo(format_result(result, fmt), nl=False)
    except ParameterError as err:
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(2) from None
    except KGraphError as err:
        _fail(err)


@app.command()
def serve(
    graph: Annotated[Path, typer.Argument(help="Output folder (its graph.ttl) or RDF file.")] = Path("output"),
    port: Annotated[int, typer.Option("--port", help="TCP port (0: any free port).")] = 7878,
    host: Annotated[str, typer.Option("--host", help="Interface to bind; 0.0.0.0 exposes it to the network.")] = "127.0.0.1",
    writable: Annotated[bool, typer.Option("--writable", help="Accept SPARQL Update and Graph Store writes (with the token).")] = False,
    token: Annotated[
        Optional[str], typer.Option("--token", help="Token writes must give (Authorization: Bearer TOKEN); default: a new one, printed.")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds a query may run; then it is stopped (503).")] = 30.0,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, help="Most result rows (or triples) of a query; more is a 503.")] = 100_000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Query worker processes, each holding the graph.")] = 2,
    cors: Annotated[
        Optional[str], typer.Option("--cors", help="Origin allowed to read the endpoint from a browser, e.g. https://yasgui.triply.cc.")
    ] = None,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Run SERVICE (federated) queries: the server then calls the addresses they name.")] = False,
    max_memory: Annotated[
        Optional[int], typer.Option("--max-memory", min=64, help="Address space of each query worker, in MB; a query past it is stopped (503).")
    ] = None,
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint (read-only unless --writable)."""
    from .serve import ServeOptions
    from .serve import serve as run

    options = ServeOptions(writable=writable, token=token, cors=cors, allow_service=allow_service,
                           timeout=timeout, max_rows=max_rows, workers=workers, max_memory_mb=max_memory)

    def ready(server) -> None:
        mode = "read-write" if writable else "read-only"
        typer.echo(f"SPARQL endpoint ({mode}): {server.url}/query  (Graph Store: {server.url}/store); Ctrl-C stops")
        if server.token:
            typer.echo(f"Write token: {server.token}  (send Authorization: Bearer TOKEN)")

    try:
        run(graph, host=host, port=port, options=options, ready=ready)
    except KGraphError as err:
        _fail(err)


@app.command()
def push(
    url: Annotated[str, typer.Argument(help="Graph Store Protocol URL, e.g. http://localhost:3030/ds/data.")],
    source: Annotated[Path, typer.Option("--source", "-s", help="Output folder or RDF file of triples.")] = Path(
        "output"
    ),
    graph: Annotated[Optional[str], typer.Option("--graph", help="Named graph IRI (default: the default graph).")] = None,
    append: Annotated[bool, typer.Option("--append", help="Add to the graph (POST) instead of replacing it (PUT).")] = False,
    user: Annotated[
        Optional[str], typer.Option("--user", help="User for HTTP basic auth; password from $KGRAPH_PASSWORD.")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Load the graph into a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, GraphDB …)."""
    import os

    from .push import push as run

    try:
        result = run(source, url, graph=graph, replace=not append, user=user, password=os.environ.get("KGRAPH_PASSWORD"))
    except KGraphError as err:
        _fail(err)
    if not quiet:
        typer.echo(f"pushed {result.file} ({result.bytes} bytes) -> {result.url}: HTTP {result.status}")


@app.command(name="eval")
def eval_(
    gold: Annotated[Optional[Path], typer.Argument(help="Gold file (JSON Lines, GUIDE format).")] = None,
    example: Annotated[
        bool, typer.Option("--example", help="Score on the gold file shipped with kgraph (the seed article).")
    ] = False,
    corpus: Annotated[
        Optional[list[Path]], typer.Option("--corpus", help="Corpus JSONL holding texts by id; repeatable.")
    ] = None,
    model: Model = None,
    actors: Actors = None,
    lexicon: Lexicon = None,
    extractor: Extractors = None,
    predictions: Annotated[
        Optional[Path], typer.Option("--predictions", help="Also write predictions in gold format.")
    ] = None,
    by_relation: Annotated[bool, typer.Option("--by-relation", help="Include per-relation counts.")] = False,
    parse_all: ParseAll = False,
) -> None:
    """Score extraction on a gold file: precision, recall, F1 (strict and quad class) as JSON.

    `kgraph eval --example` scores on the gold file shipped with kgraph: the
    hand-coded triples of the bundled seed article.
    """
    from .evaluate import evaluate, example_gold, predictions_to_gold_format
    from .io import atomic_write

    if (gold is None) == (not example):
        typer.echo("Error: give a gold file or --example (the gold of the bundled seed article), not both", err=True)
        raise typer.Exit(2)
    gold = gold or example_gold()

    try:
        report = evaluate(gold, corpora=corpus or (), options=_options(model, actors, lexicon, extractor, parse_all=parse_all))
        if predictions is not None:
            with atomic_write(predictions) as handle:
                for record in predictions_to_gold_format(report["predictions"]):
                    handle.write(json.dumps(record) + "\n")
    except KGraphError as err:
        _fail(err)
    out = {"gold": report["gold"]}
    for kind in ("strict", "quad"):
        scores = dict(report[kind])
        if not by_relation:
            scores.pop("by_relation")
        out[kind] = scores
    typer.echo(json.dumps(out, indent=1 if by_relation else None))


@app.command()
def resolve(
    phrases: Annotated[Optional[list[str]], typer.Argument(help="Phrases to resolve (\"the Syrian army\").")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the text, YYYY-MM-DD (office holders).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="JSON Lines with text (and date, context) per line.")] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print which dictionary entry or rule decided country and sector.")
    ] = False,
    actors: Actors = None,
) -> None:
    """Resolve phrases to actors: one JSON line each (id, label, type, country, sector, secondary)."""
    from .resolve import explain_phrases, resolve_file, resolve_phrases

    files = tuple(actors or ())
    try:
        if explain:
            if file:
                raise InputError("--explain takes phrases, not --file; e.g. kgraph resolve --explain 'the Syrian army'")
            for text in explain_phrases(phrases or (), date=date, actor_files=files):
                typer.echo(text)
            return
        results = resolve_file(file, actor_files=files) if file else resolve_phrases(phrases or (), date=date, actor_files=files)
        for result in results:
            typer.echo(json.dumps(result, ensure_ascii=False))
    except KGraphError as err:
        _fail(err)


@app.command()
def view(
    inputs: Inputs = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("output"),
    level: Level = "state",
    max_nodes: MaxNodes = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build even if the page is up to date.")] = False,
    no_open: Annotated[bool, typer.Option("--no-open", help="Print the page's path instead of opening it.")] = False,
    model: Model = None,
    actors: Actors = None,
    lexicon: Lexicon = None,
    extractor: Extractors = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parser processes.")] = 1,
) -> None:
    """Open the page in the default browser, building it first if needed (default: seeds/ -> output/).

    The state page is graph.html; --level actor writes graph-actor.html beside it.
    """
    from .view import open_in_browser
    from .view import view as run_view

    try:
        page = run_view(
            inputs or [Path("seeds")],
            output,
            level=level,
            max_nodes=max_nodes,
            options=_options(model, actors, lexicon, extractor, jobs),
            rebuild=rebuild,
        )
    except KGraphError as err:
        _fail(err)
    if no_open:
        typer.echo(str(page))
    elif not open_in_browser(page):
        typer.echo(f"No browser found; open {page.resolve().as_uri()}")


@app.command()
def plot(
    events: Annotated[Path, typer.Argument(help="events.jsonl, or an output folder holding one.")] = Path("output"),
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Folder for the figures (default: beside the events).")
    ] = None,
    dyad: Annotated[
        Optional[list[str]],
        typer.Option("--dyad", help="Two state codes such as USA-CHN; repeatable (default: the 3 busiest pairs)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="png or svg.")] = "png",
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="States drawn in the graph figure.")] = 40,
    period: Annotated[Optional[str], typer.Option("--period", help="day, week or month (default: from the dates).")] = None,
    quiet: Quiet = False,
) -> None:
    """Static figures for reports: the state graph and cooperation vs conflict over time per dyad."""
    from .plot import plot as run_plot

    outdir = output or (events if events.is_dir() else events.parent)
    try:
        files = run_plot(events, outdir, dyads=dyad or (), fmt=fmt, max_nodes=max_nodes, period=period)
    except KGraphError as err:
        _fail(err)
    if not quiet:
        for path in files:
            typer.echo(f"  wrote {path}")


cache_app = typer.Typer(name="cache", help="The extraction cache of incremental builds.", no_args_is_help=True)
app.add_typer(cache_app)


@cache_app.command("clear")
def cache_clear(
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder whose cache to clear.")] = Path("output"),
    cache: CachePath = None,
) -> None:
    """Delete the extraction cache: the next build parses every document."""
    from .cache import clear_cache, default_cache_path

    path = cache or default_cache_path(output)
    try:
        rows = clear_cache(path)
    except KGraphError as err:
        _fail(err)
    typer.echo(f"removed {path} ({rows} documents)" if rows is not None else f"no cache at {path}")


def main() -> None:
    """Entry point for ``python -m kgraph``."""
    app(prog_name="kgraph")


if __name__ == "__main__":
    main()
