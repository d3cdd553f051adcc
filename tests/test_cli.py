"""The command line: exit codes and the exact messages users see."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from kgraph import __version__
from kgraph.cli import EXIT_SKIPPED, app

from .conftest import ROOT, SEED_ARTICLE

COMMANDS = sorted(typer.main.get_command(app).commands)


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_version(run):
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"kgraph {__version__}\n")


def test_python_dash_m_works():
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", "--version"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, f"kgraph {__version__}\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: kgraph {command} [OPTIONS]" in result.stdout


def test_the_documented_commands_exist():
    assert {"build", "extract", "query", "eval"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["build", "extract"])
def test_missing_input(run, tmp_path, command):
    missing = tmp_path / "nope"
    result = run(command, missing, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot read {missing}: no such file or folder\n"
    assert not (tmp_path / "out").exists()


def test_unknown_extractor(run, tmp_path):
    from kgraph.extract import available

    result = run("build", SEED_ARTICLE, "-o", tmp_path / "out", "--extractor", "nope")
    assert result.exit_code == 1
    assert result.stderr == f"Error: unknown extractor 'nope'; available: {', '.join(available())}\n"


def test_max_chars_out_of_range_is_a_usage_error(run, tmp_path):
    result = run("build", SEED_ARTICLE, "-o", tmp_path / "out", "--max-chars", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--max-chars'" in result.stderr


def test_bad_sparql(run, seed_build):
    result = run("query", seed_build[0] / "graph.ttl", "SELEC ?x WHERE { ?x ?y ?z }")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid SPARQL: ")
    assert result.stdout == ""


def test_unknown_example_query(run, seed_build):
    from kgraph.query import example_queries

    result = run("query", seed_build[0], "--example", "nope")
    assert result.exit_code == 1
    assert result.stderr == f"Error: unknown example 'nope'; available: {', '.join(example_queries())}\n"


def test_bad_format(run, seed_build):
    result = run("query", seed_build[0], "ASK { ?s ?p ?o }", "--format", "xml")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown format 'xml'; expected table, csv or json\n"


def test_query_formats(run, seed_build):
    result = run("query", seed_build[0], "ASK { ?s ?p ?o }", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [{"result": "true"}])


def _corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul.txt").write_bytes(b"\x00\x01\x02")
    (folder / "docs.jsonl").write_text('{"id": "a", "text": "Iran met Iraq."}\n{"id": "b"\n', encoding="utf-8")
    return folder


def test_build_with_skipped_documents_exits_3_and_names_them(run, tmp_path, nlp):
    folder = _corpus(tmp_path)
    out = tmp_path / "out"
    result = run("build", folder, "-o", out)
    assert result.exit_code == EXIT_SKIPPED == 3
    assert result.stderr == (
        f"Skipped {folder}/docs.jsonl:2: invalid JSON (Expecting ',' delimiter at column 11)\n"
        f"Skipped {folder}/empty.txt: empty file\n"
        f"Skipped {folder}/nul.txt: binary file (NUL bytes), not text\n"
        f"3 documents skipped; listed in {out}/errors.jsonl\n"
    )
    assert result.stdout.splitlines()[0].startswith("5 documents read: 2 kept, 3 skipped; ")
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["file"], e["line"]) for e in errors] == [
        (f"{folder}/docs.jsonl", 2),
        (f"{folder}/empty.txt", None),
        (f"{folder}/nul.txt", None),
    ]


def test_quiet_build_still_names_skips(run, tmp_path, nlp):
    folder = _corpus(tmp_path)
    result = run("build", folder, "-o", tmp_path / "out", "-q")
    assert (result.exit_code, result.stdout) == (EXIT_SKIPPED, "")
    assert result.stderr.count("Skipped ") == 3


def test_strict_build_fails_and_writes_nothing(run, tmp_path, nlp):
    folder = _corpus(tmp_path)
    result = run("build", folder, "-o", tmp_path / "out", "--strict")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot read {folder}/docs.jsonl:2: invalid JSON (Expecting ',' delimiter at column 11)\n"
    )
    assert not (tmp_path / "out").exists()


def test_clean_build_exits_0(run, tmp_path, nlp):
    result = run("build", SEED_ARTICLE, "-o", tmp_path / "out")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0].startswith("1 documents read: 1 kept, 0 skipped; ")


def test_extract_with_skipped_documents_exits_3(run, tmp_path, nlp):
    folder = _corpus(tmp_path)
    out = tmp_path / "events.jsonl"
    result = run("extract", folder, "-o", out)
    assert result.exit_code == EXIT_SKIPPED
    assert result.stderr.splitlines()[-1] == "3 documents skipped"
    assert result.stdout.startswith("5 documents read: 2 kept, 3 skipped; ")
    assert result.stdout.endswith(f" events -> {out}\n")
    assert out.read_text(encoding="utf-8").count("\n") > 0


def test_eval_example_runs_on_the_packaged_gold(run, nlp, tmp_path, monkeypatch):
    """`kgraph eval --example` needs no file of its own: it scores the seed
    article's gold shipped in the package, from any folder."""
    monkeypatch.chdir(tmp_path)
    result = run("eval", "--example")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["gold"].replace("\\", "/").endswith("kgraph/data/gold/seed.jsonl")
    assert (report["strict"]["docs"], report["strict"]["required"]) == (1, 10)
    assert report["strict"]["tp"] + report["strict"]["fp"] > 0  # it extracted and scored something
    assert 0 < report["strict"]["f1"] <= 1


@pytest.mark.parametrize("args", [(), ("gold.jsonl", "--example")])
def test_eval_needs_a_gold_file_or_example(run, args):
    result = run("eval", *args)
    assert result.exit_code == 2
    assert result.output == "Error: give a gold file or --example (the gold of the bundled seed article), not both\n"


def test_packaged_gold_is_the_shared_seed_gold():
    from kgraph.evaluate import example_gold, read_gold

    shared = ROOT.parent / "shared" / "gold" / "seed.jsonl"
    [doc] = read_gold(example_gold())
    assert doc.id == SEED_ARTICLE.stem and len(doc.events) == 18
    if not shared.exists():
        pytest.skip("../shared/gold is not beside the project")
    assert example_gold().read_bytes() == shared.read_bytes()
