"""Issue 15, the build side: no document lost to a bad line, fail fast, resume.

Each test makes its bad input here; those that parse use the session model.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import EXIT_SKIPPED, app
from kgraph.errors import InputError
from kgraph.ingest import read_articles
from kgraph.io import NoSpaceError, atomic_outputs, atomic_write
from kgraph.validate import validate_actor_file

from .conftest import SEED_ARTICLE

HUGE_ID = '{"id": ' + "9" * 5000 + ', "text": "France met Germany in Paris."}'


def _lines(*records: str) -> str:
    return "\n".join(records) + "\n"


def _jsonl(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(_lines(
        json.dumps({"id": "a1", "text": "Turkey attacked Syria on Monday."}),
        HUGE_ID,
        json.dumps({"id": "a3", "text": "Russia agreed to cooperate with Italy."}),
    ))
    (folder / "b.txt").write_text("Iran threatened Israel on Tuesday.")
    return folder


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


# --- one bad record is one skip ------------------------------------------------

def test_a_huge_integer_id_skips_its_line_only(tmp_path):
    folder = _jsonl(tmp_path)
    skipped: list = []
    ids = [a.id for a in read_articles([folder], on_error=skipped.append)]
    assert ids == ["a1", "a3", "b"]
    [skip] = skipped
    assert (Path(skip.file).name, skip.line) == ("a.jsonl", 2)
    assert skip.reason.startswith("cannot read it (ValueError: Exceeds the limit (4300 digits) for integer string")


def test_any_exception_in_a_record_is_its_skip(tmp_path, monkeypatch):
    import kgraph.ingest as ingest

    original = ingest._jsonl_article

    def explode(raw, path, line):
        if line == 2:
            raise KeyError("boom")
        return original(raw, path, line)

    monkeypatch.setattr(ingest, "_jsonl_article", explode)
    folder = _jsonl(tmp_path)
    skipped: list = []
    assert [a.id for a in read_articles([folder], on_error=skipped.append)] == ["a1", "a3", "b"]
    assert [(s.line, s.reason) for s in skipped] == [(2, "cannot read it (KeyError: 'boom')")]


def test_links_that_lead_nowhere_are_skips(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Turkey attacked Syria.")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    skipped: list = []
    assert [a.id for a in read_articles([folder], on_error=skipped.append)] == ["a"]
    assert [(Path(s.file).name, s.reason) for s in skipped] == [
        ("dangling.txt", "dangling symbolic link"),
        ("loop1.txt", "symbolic link loop"),
        ("loop2.txt", "symbolic link loop"),
    ]


def test_a_file_that_vanishes_during_the_run_is_a_skip(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text("Turkey attacked Syria.")
    skipped: list = []
    articles = read_articles([folder], on_error=skipped.append)
    assert next(articles).id == "a"  # the folder is listed now
    (folder / "b.txt").unlink()
    assert [a.id for a in articles] == ["c"]
    assert [(Path(s.file).name, s.reason) for s in skipped] == [("b.txt", "the file vanished while the run read it")]


def test_build_counts_read_kept_skipped_and_exits_3(tmp_path, nlp):
    folder = _jsonl(tmp_path)
    out = tmp_path / "out"
    result = _run("build", folder, "-o", out)
    assert result.exit_code == EXIT_SKIPPED
    assert result.stdout.splitlines()[0].startswith("4 documents read: 3 kept, 1 skipped; ")
    [error] = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert (error["source"], error["line"]) == (f"{folder}/a.jsonl:2", 2)
    assert error["reason"].startswith("cannot read it (ValueError: Exceeds the limit")


def test_the_output_folder_is_never_read(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Turkey attacked Syria on Monday.")
    (folder / "bad.txt").write_bytes(b"")
    out = folder / "out"
    first = _run("build", folder, "-o", out)
    errors = (out / "errors.jsonl").read_text()
    second = _run("build", folder, "-o", out)
    assert first.exit_code == second.exit_code == EXIT_SKIPPED
    assert first.stdout.splitlines()[0] == second.stdout.splitlines()[0]
    assert second.stdout.splitlines()[0].startswith("2 documents read: 1 kept, 1 skipped; ")
    assert (out / "errors.jsonl").read_text() == errors and errors.count("\n") == 1


# --- fail fast ----------------------------------------------------------------

def test_a_worker_that_cannot_start_ends_the_run(tmp_path):
    one = _run("build", SEED_ARTICLE, "-o", tmp_path / "o1", "--model", "no_such_model")
    two = _run("build", SEED_ARTICLE, "-o", tmp_path / "o2", "-j", "2", "--model", "no_such_model")
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    assert one.output.startswith("Error: cannot load spaCy model 'no_such_model'")


def test_no_space_left_names_the_file_and_keeps_the_outputs(tmp_path, monkeypatch):
    import kgraph.io as io

    out = tmp_path / "out"
    with atomic_outputs(out) as stage:
        (stage / "graph.ttl").write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(io.os, "fsync", full)
    with pytest.raises(NoSpaceError) as caught:
        with atomic_outputs(out) as stage:
            with atomic_write(stage / "graph.ttl") as handle:
                handle.write("new")
    assert str(caught.value) == f"no space left writing {out / 'graph.ttl'}"
    assert (out / "graph.ttl").read_text() == "old"
    assert [p.name for p in out.iterdir()] == ["graph.ttl"]  # no staging folder left


def test_no_space_left_is_one_clean_error_of_the_build(tmp_path, monkeypatch, nlp):
    import kgraph.io as io

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(io.os, "fsync", full)
    out = tmp_path / "out"
    result = _run("build", SEED_ARTICLE, "-o", out, "--no-cache")
    assert (result.exit_code, result.output) == (1, f"Error: no space left writing {out / 'events.jsonl'}\n")


def test_a_full_cache_is_no_space_left(tmp_path, monkeypatch):
    from kgraph.cache import ExtractionCache

    cache = ExtractionCache(tmp_path / "cache.sqlite", "fp")

    class Full:
        def __init__(self, db):
            self.db = db

        def execute(self, sql, *args):
            return self.db.execute(sql, *args)

        def executemany(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

    db = cache._connect()
    monkeypatch.setattr(cache, "_connect", lambda: Full(db))
    with pytest.raises(NoSpaceError, match=f"no space left writing {tmp_path / 'cache.sqlite'}"):
        cache.put_many([("k", [])])


# --- actor files are checked on load, with line numbers -----------------------

GOOD = "Wagner\tRUS.GRP.wagner\tWagner Group\tgroup\tRUS\tMIL"


@pytest.mark.parametrize("line, reason", [
    ("Wagner\tRUS.GRP.wagner\tWagner\x07Group\tgroup\tRUS\tMIL",
     "control character U+0007 in the label column; actor files hold printable text only"),
    ("Wag\x85ner\tRUS.GRP.wagner\tWagner\tgroup\tRUS\tMIL",
     "control character U+0085 in the pattern column; actor files hold printable text only"),
    ("Wagner\tRUS.GRP.wagner", "expected at least 3 tab-separated columns (pattern, id, label, type, country, "
                                "sector, start, end, office) with an id, got 2 columns"),
    ("Wagner\t\tWagner Group", "expected at least 3 tab-separated columns (pattern, id, label, type, country, "
                               "sector, start, end, office) with an id, got 3 columns"),
    ("Wagner\tRUS GRP\tWagner Group", "id 'RUS GRP' holds ' ', which an IRI cannot; use letters, digits, '.', ':', '-', '_'"),
    ("Wagner\tRUS.GRP.wagner\tWagner Group\tgang", "type 'gang' is not one of country, group, none, organization, person, role"),
    ("Wagner\tRUS.GRP.wagner\tWagner Group\tgroup\tRussia", "country 'Russia' is not a code of 3 capital letters (e.g. RUS)"),
    ("Wagner\tRUS.GRP.wagner\tWagner Group\tgroup\tRUS\tmil", "sector 'mil' is not a code of 3 capital letters (e.g. GOV)"),
    ("Wagner\tRUS.GRP.wagner\tWagner Group\tgroup\tRUS\tMIL\t2024-02-30", "start '2024-02-30' is not a date; expected YYYY-MM-DD"),
    ("Wagner\tRUS.GRP.wagner\tWagner Group\tgroup\tRUS\tMIL\t2024-02-01\t2023-01-01",
     "start 2024-02-01 is after end 2023-01-01"),
])
def test_bad_actor_lines_are_named(tmp_path, line, reason):
    path = tmp_path / "actors.tsv"
    path.write_text(f"# my actors\npattern\tid\tlabel\n{GOOD}\n{line}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        validate_actor_file(path)
    assert str(caught.value) == f"{path}:4: {reason}"


def test_a_good_actor_file_passes(tmp_path):
    path = tmp_path / "actors.tsv"
    path.write_text(f"pattern\tid\tlabel\n{GOOD}\nJane Doe\tGBR.PER.jane-doe\tJane Doe\tperson\tGBR\tGOV\t2024-07-05\n")
    assert validate_actor_file(path) == 2


def test_build_refuses_a_bad_actor_file_before_parsing(tmp_path):
    path = tmp_path / "actors.tsv"
    path.write_text("Wagner\tRUS.GRP.wagner\tWagner\x07Group\tgroup\tRUS\tMIL\n")
    result = _run("build", SEED_ARTICLE, "-o", tmp_path / "out", "--actors", path)
    assert (result.exit_code, result.output) == (
        1, f"Error: {path}:1: control character U+0007 in the label column; actor files hold printable text only\n")
    assert not (tmp_path / "out").exists()


# --- resume -----------------------------------------------------------------

def test_the_cache_commits_every_50_documents(tmp_path, nlp):
    from kgraph.model import Article
    from kgraph.pipeline import ExtractOptions, extract_articles

    cache = tmp_path / "cache.sqlite"
    articles = [Article(f"d{i}", f"Turkey attacked Syria on day {i}.") for i in range(200)]
    stream = extract_articles(iter(articles), options=ExtractOptions(cache=cache))
    for _ in range(150):
        next(stream)
    # what another process (a rerun after a SIGKILL now) would find
    with sqlite3.connect(cache) as db:
        committed = db.execute("SELECT count(*) FROM extractions").fetchone()[0]
    stream.close()
    assert committed >= 150 - 50
