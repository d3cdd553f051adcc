from __future__ import annotations

import json

import pytest

from kgraph.errors import InputError
from kgraph.ingest import read_articles, split_header

from .conftest import SEED_ARTICLE


@pytest.mark.parametrize(
    "text, expected",
    [
        (" date 2020-02-19 Russia is a key player.", ("2020-02-19", 17)),
        ("date 2019-10-10\n\nTurkey attacked Syria.", ("2019-10-10", 17)),
        ("Date: 2021-01-02\nText", ("2021-01-02", 17)),
        ("Russia is a key player.", (None, 0)),
        ("Date palms grow in Iraq.", (None, 0)),
    ],
)
def test_split_header(text, expected):
    assert split_header(text) == expected


@pytest.mark.parametrize("value", ["2020-13-45", "2020-02-30", "20200219"])
def test_bad_date_header_is_an_error(value):
    with pytest.raises(InputError, match=f"date header '{value}'"):
        split_header(f"date {value}\nText")


def test_seed_header_is_metadata_not_text():
    [article] = list(read_articles([SEED_ARTICLE]))
    assert article.date == "2020-02-19"
    assert article.body.startswith("Russia is a key player")
    assert article.text[article.body_start :] == article.body


def test_folder_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Turkey attacked Syria.", encoding="utf-8")
    (tmp_path / "1.txt").write_text("date 2020-01-01\nIran met Iraq.", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    (tmp_path / ".hidden.txt").write_text("Iran met Iraq.", encoding="utf-8")
    skipped = []
    ids = [a.id for a in read_articles([tmp_path], on_error=skipped.append)]
    assert ids == ["1", "2"]
    assert [(s.file, s.reason) for s in skipped] == [
        (str(tmp_path / "notes.bin"), "unsupported file type '.bin'; expected .htm, .html, .jsonl, .md, .ndjson, .text, .txt")
    ]


def test_jsonl_documents_and_bad_lines(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Iran met Iraq.", "date": "2020-01-01", "title": "T"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "date 2021-05-05 Turkey attacked Syria."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    skipped = []
    articles = list(read_articles([path], on_error=skipped.append))
    assert [(a.id, a.date, a.title) for a in articles] == [("a", "2020-01-01", "T"), ("c", "2021-05-05", None)]
    assert [s.source for s in skipped] == [f"{path}:2", f"{path}:3"]
    assert [(s.file, s.line) for s in skipped] == [(str(path), 2), (str(path), 3)]
    assert skipped[0].reason == "invalid JSON (Expecting property name enclosed in double quotes at column 2)"
    assert skipped[1].reason == 'a document needs "id" and a string "text"'


def test_missing_input_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_articles([tmp_path / "nope.txt"]))


def test_windows_1252_is_decoded_and_quotes_folded(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Turkey \u201cattacked\u201d Syria.".encode("cp1252"))
    [article] = read_articles([path])
    assert article.text == 'Turkey "attacked" Syria.'


def test_folder_notes_are_not_articles(tmp_path):
    (tmp_path / "README.md").write_text("Sources: Russia and Italy agreed.", encoding="utf-8")
    (tmp_path / "LICENSE.txt").write_text("CC BY 2.5", encoding="utf-8")
    (tmp_path / "a.md").write_text("Turkey attacked Syria.", encoding="utf-8")
    assert [a.id for a in read_articles([tmp_path])] == ["a"]
    assert [a.id for a in read_articles([tmp_path / "README.md"])] == ["README"]
