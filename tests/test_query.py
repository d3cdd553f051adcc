"""SPARQL: the named example queries return the expected rows on a small
inline graph, parameters are bound (never pasted), and the CLI prints them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import InputError, QueryError
from kgraph.export import write_rdf
from kgraph.query import (
    ParameterError,
    example_queries,
    format_result,
    load_store,
    parse_params,
    query,
    run_example,
    run_query,
)


@pytest.fixture()
def outdir(toy_graph, tmp_path):
    write_rdf(toy_graph, tmp_path / "graph.ttl")
    write_rdf(toy_graph, tmp_path / "graph.trig", format="trig")
    return tmp_path


@pytest.fixture()
def store(outdir):
    return load_store(outdir)


def test_examples_are_documented():
    examples = example_queries()
    assert {"top-dyads", "strongest-edges", "evidence", "cooperation-partners", "attacks-by-year",
            "quad-class", "dyad-timeline"} <= set(examples)
    for example in examples.values():
        assert example.title and not example.title.startswith("PREFIX")
        for param in example.params:
            assert f"?{param.name}" in example.text and param.help


@pytest.mark.parametrize(
    "name, params, expected",
    [
        ("top-dyads", {}, [
            ("TUR", "ASSAULT", "SYR", "2", "4"),
            ("FRA", "COOPERATE", "RUS", "1", "1"),
            ("RUS", "AGREE", "ITA", "1", "1"),
            ("RUS", "COOPERATE", "ITA", "1", "1"),
            ("USA", "THREATEN", "IRN", "1", "1"),
        ]),
        ("top-dyads", {"source": "RUS"}, [("RUS", "AGREE", "ITA", "1", "1"), ("RUS", "COOPERATE", "ITA", "1", "1")]),
        ("top-dyads", {"relation": "THREATEN"}, [("USA", "THREATEN", "IRN", "1", "1")]),
        ("strongest-edges", {"source": "TUR"}, [
            ("TUR", "ASSAULT", "SYR", "3", "2", "2019-03-01", "2019-03-02", "0.8"),
        ]),
        ("cooperation-partners", {"actor": "RUS"}, [("RUS", "ITA", "1", "2"), ("RUS", "FRA", "1", "1")]),
        ("cooperation-partners", {"actor": "ITA"}, [("ITA", "RUS", "1", "2")]),
        ("attacks-by-year", {"source": "TUR"}, [("2019", "TUR", "SYR", "2", "4")]),
        ("attacks-by-year", {"source": "TUR", "year": "2019"}, [("2019", "TUR", "SYR", "2", "4")]),
        ("attacks-by-year", {"source": "TUR", "year": "2020"}, []),
        ("attacks-by-year", {"source": "USA"}, []),
    ],
)
def test_example_rows(store, name, params, expected):
    assert list(run_example(store, name, params).rows) == expected


def test_evidence_for_a_dyad(store):
    result = run_example(store, "evidence", {"source": "USA", "target": "IRN"})
    assert result.variables[:5] == ("date", "source", "relation", "target", "evidence")
    assert [row[:8] for row in result.rows] == [
        ("2020-02-01", "USA", "THREATEN", "IRN", 'Trump said "Iran <will> pay" & warned Tehran', "0", "44", "a4"),
    ]
    tur = run_example(store, "evidence", {"source": "TUR", "target": "SYR"})
    # the army's strike counts for Turkey; the duplicate found twice appears once
    assert [(r[0], r[4], r[7], r[8]) for r in tur.rows] == [
        ("2019-03-01", "Turkey shelled Syrian positions", "a1", "Turkey strikes Syria"),
        ("2019-03-01", "Turkish jets bombed Syria again", "a1", "Turkey strikes Syria"),
        ("2019-03-02", "Turkey attacked Syria", "a2", 'Army "operation" goes on'),
        ("2019-03-02", "The Turkish army struck Syria", "a2", 'Army "operation" goes on'),
    ]


def test_trig_answers_like_turtle(outdir):
    ttl, trig = load_store(outdir / "graph.ttl"), load_store(outdir / "graph.trig")
    assert run_example(ttl, "top-dyads") == run_example(trig, "top-dyads")


def test_parameters_are_bound_not_pasted(store):
    """A value that would break out of a pasted string only matches itself
    (and is no state an example query would take)."""
    evil = 'RUS" } UNION { ?s ?p ?o } #'
    with pytest.raises(ParameterError, match="no state matches source="):
        run_example(store, "top-dyads", {"source": evil})
    found = run_query(store, "SELECT ?s ?id WHERE { ?s <http://purl.org/dc/terms/identifier> ?id }", id=evil)
    assert found.rows == ()
    found = run_query(store, "SELECT ?s ?id WHERE { ?s <http://purl.org/dc/terms/identifier> ?id }", id="RUS")
    assert found.rows == (("https://kgraph.example.org/actor/RUS", "RUS"),)


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("nope", {}, "unknown example 'nope'; available: attacks-by-year"),
        ("evidence", {"src": "USA"}, "example 'evidence' has no parameter 'src'; its parameters: source, target, relation"),
        ("attacks-by-year", {"year": "last"}, "parameter 'year' of 'attacks-by-year' must be an integer, not 'last'"),
    ],
)
def test_example_errors(store, name, params, message):
    with pytest.raises(QueryError) as err:
        run_example(store, name, params)
    assert str(err.value).startswith(message)


def test_query_errors(outdir, tmp_path):
    with pytest.raises(QueryError, match="invalid SPARQL"):
        query(outdir, sparql="SELECT WHERE")
    with pytest.raises(QueryError, match="query failed: .*projection"):
        query(outdir, sparql="SELECT ?s WHERE { ?s ?p ?id }", params={"id": "RUS"})
    with pytest.raises(QueryError, match="give exactly one of"):
        query(outdir, sparql="ASK {}", example="top-dyads")
    with pytest.raises(InputError, match="no such file; run `kgraph build` first"):
        load_store(tmp_path / "missing")
    with pytest.raises(QueryError, match=r"invalid --param 'source': expected NAME=VALUE"):
        parse_params(["source"])
    assert query(outdir, sparql="ASK { ?s ?p ?o }").rows == (("true",),)


def test_formats(store):
    result = run_example(store, "top-dyads", {"relation": "THREATEN"})
    assert format_result(result, "csv") == "source,relation,target,articles,events\nUSA,THREATEN,IRN,1,1\n"
    assert json.loads(format_result(result, "json")) == [
        {"source": "USA", "relation": "THREATEN", "target": "IRN", "articles": "1", "events": "1"}
    ]
    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["source", "relation", "target", "articles", "events"]
    assert table[2].split() == ["USA", "THREATEN", "IRN", "1", "1"] and table[-1] == "(1 row)"
    with pytest.raises(QueryError, match="unknown format 'xml'"):
        format_result(result, "xml")


def test_cli_query_example_with_params(outdir):
    runner = CliRunner()
    result = runner.invoke(app, ["query", str(outdir), "--example", "attacks-by-year", "-p", "source=TUR",
                                 "-p", "year=2019", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output == "year,source,target,articles,events\n2019,TUR,SYR,2,4\n"
    listing = runner.invoke(app, ["query", str(outdir), "--list-examples"])
    assert listing.exit_code == 0 and "evidence [source=…] [target=…] [relation=…]" in listing.output


def test_cli_query_errors(outdir):
    result = CliRunner().invoke(app, ["query", str(outdir), "-e", "evidence", "-p", "who=USA"])
    assert result.exit_code == 2
    assert "Error: example 'evidence' has no parameter 'who'" in result.output


@pytest.mark.parametrize(
    "name, params, expected",
    [
        # what a person types: a state's name, a lower-case code, another
        # name of the state, the label of the page's legend, a PLOVER name
        ("top-dyads", {"source": "Turkey"}, [("TUR", "ASSAULT", "SYR", "2", "4")]),
        ("top-dyads", {"source": "tur"}, [("TUR", "ASSAULT", "SYR", "2", "4")]),
        ("top-dyads", {"source": "Türkiye"}, [("TUR", "ASSAULT", "SYR", "2", "4")]),
        ("top-dyads", {"source": "the United States"}, [("USA", "THREATEN", "IRN", "1", "1")]),
        ("top-dyads", {"source": "Moscow", "relation": "agrees-with"}, [("RUS", "AGREE", "ITA", "1", "1")]),
        ("top-dyads", {"relation": "threatens"}, [("USA", "THREATEN", "IRN", "1", "1")]),
        ("top-dyads", {"relation": "Threaten"}, [("USA", "THREATEN", "IRN", "1", "1")]),
        ("attacks-by-year", {"source": "turkish"}, [("2019", "TUR", "SYR", "2", "4")]),
        ("cooperation-partners", {"actor": "italy"}, [("ITA", "RUS", "1", "2")]),
        ("strongest-edges", {"source": "vladimir putin"}, [
            ("RUS.PER.vladimir-putin", "AGREE", "ITA", "1", "1", "2020-01-05", "2020-01-05", "0.7"),
        ]),
        # a state no event names resolves, and answers nothing
        ("top-dyads", {"source": "Japan"}, []),
    ],
)
def test_parameters_a_person_would_type(store, name, params, expected):
    assert list(run_example(store, name, params).rows) == expected


@pytest.mark.parametrize(
    "params, message",
    [
        (["-e", "top-dyads", "-p", "source=Turky"],
         "Error: no state matches source='Turky'; closest: Turkey (TUR), URY (Uruguay)\n"),
        (["-e", "top-dyads", "-p", "relation=atacks"],
         "Error: no relation matches relation='atacks'; closest: attacks (ASSAULT)\n"),
        (["-e", "quad-class", "-p", "quad=VXX"],
         "Error: no quad matches quad='VXX'; closest: VX (verbal conflict)\n"),
        (["-e", "strongest-edges", "-p", "source=Vladimir Puttin"],
         "Error: no actor matches source='Vladimir Puttin'; closest: Vladimir Putin (RUS.PER.vladimir-putin)\n"),
        (["-e", "evidence", "-p", "source=Atlantis"],
         "Error: no state matches source='Atlantis'; expected an ISO code or a name, such as TUR or Turkey\n"),
        (["-e", "top-dyads", "-p", "relation=fight"],
         "Error: no relation matches relation='fight'; expected a PLOVER type or its label, such as ASSAULT or attacks\n"),
    ],
)
def test_cli_unmatched_parameter(outdir, params, message):
    """A value that matches nothing is bad usage (exit 2), naming the closest values."""
    result = CliRunner().invoke(app, ["query", str(outdir), *params])
    assert result.exit_code == 2
    assert result.output == message


def test_quad_class_example(store):
    rows = run_example(store, "quad-class", {"quad": "material conflict"}).rows
    assert rows == (("MX", "TUR", "ASSAULT", "SYR", "4", "2", "2019-03-01", "2019-03-02"),)
    cooperation = run_example(store, "quad-class", {"quad": "mc"}).rows
    assert [row[:6] for row in cooperation] == [
        ("MC", "FRA", "COOPERATE", "RUS", "1", "1"),
        ("MC", "RUS", "COOPERATE", "ITA", "1", "1"),
    ]


def test_dyad_timeline_example(store):
    """Both directions of a dyad, in date order, with the marked sentence."""
    rows = run_example(store, "dyad-timeline", {"state": "Russia", "partner": "Italy"}).rows
    assert [row[:8] for row in rows] == [
        ("2020-01-05", "RUS", "ITA", "RUS", "AGREE", "ITA", "VC", "4"),
        ("2020-01-05", "RUS", "ITA", "RUS", "COOPERATE", "ITA", "MC", "6"),
    ]
    assert rows[0][8] == "⟦Putin promised Italy gas⟧."
    turkey = run_example(store, "dyad-timeline", {"state": "SYR", "partner": "TUR"}).rows
    assert [row[0] for row in turkey] == ["2019-03-01", "2019-03-01", "2019-03-02", "2019-03-02"]
    assert {row[3:6] for row in turkey} == {("TUR", "ASSAULT", "SYR")}


def test_seed_build_parses_and_examples_agree(seed_build):
    """On the bundled seeds: graph.ttl parses with rdflib and pyoxigraph alike,
    every example runs, and each top dyad's counts match its evidence rows."""
    from rdflib import Graph

    out, _ = seed_build
    store = load_store(out)
    assert len(Graph().parse(out / "graph.ttl", format="turtle")) == len(store) > 0
    for name in example_queries():
        run_example(store, name)
    dyads = run_example(store, "top-dyads").rows
    assert dyads
    for source, relation, target, articles, events in dyads:
        rows = run_example(store, "evidence", {"source": source, "target": target, "relation": relation}).rows
        assert len(rows) == int(events)
        assert len({row[7] for row in rows}) == int(articles)


def test_simplest_query_finds_a_persons_act(seed_build):
    """On the seeds, Italy's foreign minister Luigi Di Maio calls Moscow "an
    important interlocutor": the event's source is a person, yet the plain
    state pattern of the README finds it."""
    out, _ = seed_build
    result = query(out, sparql="""
        PREFIX actor: <https://kgraph.example.org/actor/>
        SELECT ?r WHERE { actor:ITA ?r actor:RUS }""")
    assert result.rows == (("https://kgraph.example.org/ontology#supports",),)
    rows = run_example(load_store(out), "evidence", {"source": "Italy", "target": "rus", "relation": "supports"}).rows
    assert [(r[1], r[2], r[3], r[4], r[10]) for r in rows] == [
        ("ITA", "SUPPORT", "RUS", 'Di Maio said, "Moscow is',
         'During a press briefing, ⟦Di Maio said, "Moscow is⟧ an important interlocutor in the solution '
         'of the Libyan crisis".'),
    ]


def test_an_organisation_resolves_by_its_name_in_the_graph(seed_build):
    out, _ = seed_build
    rows = run_example(load_store(out), "quad-class", {"source": "united states", "target": "Islamic State"}).rows
    assert rows and {(r[1], r[3]) for r in rows} == {("USA", "ORG:ISIL")}
