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


_TAIWAN_HTML = """<!DOCTYPE html>
<html><head><title>Taiwan row deepens</title><meta name="date" content="2023-08-25"></head>
<body><article><h1>Taiwan row deepens</h1>
<p>China has suspended imports of Japanese seafood after Tokyo began releasing treated water.</p>
<p>Beijing said the decision protects consumers.</p></article></body></html>
"""


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", _TAIWAN_HTML),
        ("blank-line.txt", "Taiwan row deepens\n\nChina has suspended imports of Japanese seafood.\n"),
        ("one-line-break.txt", "Taiwan row deepens\nChina has suspended imports of Japanese seafood.\n"),
        ("dated.txt", "date 2023-08-25\nTaiwan row deepens\n\nChina has suspended imports of Japanese seafood.\n"),
    ],
)
def test_title_and_body_stay_separate_sentences(nlp, tmp_path, name, content):
    """A headline without a full stop is not read into the first sentence:
    China, not Taiwan, suspends imports of Japanese seafood."""
    from kgraph.pipeline import extract_articles

    (tmp_path / name).write_text(content, encoding="utf-8")
    [(article, events)] = list(extract_articles(read_articles([tmp_path / name])))
    assert article.body.startswith("Taiwan row deepens\n")
    assert {e.key for e in events} == {("CHN", "SANCTION", "JPN")}
    [event] = events
    assert event.sentence.startswith("China has suspended imports of Japanese seafood")
    assert event.sentence_marked.startswith("⟦China has suspended imports of Japanese⟧ seafood")


def test_html_title_is_kept_as_metadata(tmp_path):
    (tmp_path / "page.html").write_text(_TAIWAN_HTML, encoding="utf-8")
    [article] = list(read_articles([tmp_path / "page.html"]))
    assert (article.title, article.date) == ("Taiwan row deepens", "2023-08-25")


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Taiwan row deepens\n\nChina has suspended imports.", ["Taiwan row deepens", "China has suspended imports."]),
        ("Taiwan row deepens\nChina has suspended imports.", ["Taiwan row deepens", "China has suspended imports."]),
        # hard-wrapped text: single line breaks inside a sentence are not headlines
        ("Russia said on Monday that\nItaly would help. It was\nMonday and the talks\nWent on.",
         ["Russia said on Monday that\nItaly would help.", "It was\nMonday and the talks\nWent on."]),
        ("Russia met Italy.\nThen it rained.", ["Russia met Italy.", "Then it rained."]),
    ],
)
def test_paragraph_sentences(nlp, text, sentences):
    from kgraph.pipeline import paragraph_sentences

    doc = nlp(paragraph_sentences(nlp, text))
    assert [s.text.strip() for s in doc.sents] == sentences
