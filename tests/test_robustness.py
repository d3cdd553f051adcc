"""Bad input, interruption and hostile text: one test per failure mode.

Every bad input is generated here (no committed binaries). Tests that need the
spaCy model use the session ``nlp``/``seed_build`` fixtures.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.errors import InputError
from kgraph.ingest import (
    DocumentError,
    normalize_text,
    read_articles,
    split_article,
)
from kgraph.model import Article

from .conftest import ROOT, SEED_ARTICLE, SEEDS

SENTENCE = "Turkey attacked Syria on Monday. Russia agreed to cooperate with Italy."


def _read(path: Path) -> tuple[list[Article], list]:
    skipped: list = []
    return list(read_articles([path], on_error=skipped.append)), skipped


def _reasons(skipped) -> list[tuple[str, int | None, str]]:
    return [(Path(s.file).name, s.line, s.reason) for s in skipped]


# --- bad documents: each is skipped with its reason -------------------------

_HTML_EMPTY = "<html><head><title>Nothing</title></head><body><script>var a = 1;</script><img src=x></body></html>"

BAD_FILES = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "empty file"),
    ("nul.txt", b"Turkey\x00attacked\x00Syria\x00" * 10, "binary file (NUL bytes), not text"),
    ("noise.txt", random.Random(7).randbytes(4000).replace(b"\x00", b"\x01"), "binary file"),
    ("control.txt", bytes(range(1, 9)) * 50 + b"Turkey attacked Syria.", "binary file (control characters), not text"),
    ("header.txt", b"date 2020-13-45\nTurkey attacked Syria.", "date header '2020-13-45' is not a valid date"),
    ("words.txt", b"date 19 February\nTurkey attacked Syria.", "date header '19' is not a date; expected YYYY-MM-DD"),
    ("only-header.txt", b"date 2020-02-19\n\n", "no text after the date header"),
    ("bad-bom.txt", b"\xff\xfeT\x00\x00\xd8", "not valid utf-16-le despite its byte-order mark (unexpected end of data)"),
    ("page.html", _HTML_EMPTY.encode(), "no article text found in the HTML page"),
]


@pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_skipped_with_its_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    articles, skipped = _read(path)
    assert articles == []
    [skip] = skipped
    assert (skip.file, skip.line) == (str(path), None)
    assert skip.reason.startswith(reason)


def test_bad_file_raises_without_error_handler(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"\x00\x01")
    with pytest.raises(DocumentError, match=r"cannot read .*nul\.txt: binary file \(NUL bytes\), not text"):
        list(read_articles([path]))


BAD_LINES = [
    ('{"id": "a", "text": "Turkey attacked', "invalid JSON (Unterminated string starting at column 21)"),
    ('["a", "Turkey attacked Syria."]', "expected a JSON object, got list"),
    ('{"id": "a"}', 'a document needs "id" and a string "text"'),
    ('{"id": "a", "text": 42}', 'a document needs "id" and a string "text"'),
    ('{"id": ["a"], "text": "Turkey attacked Syria."}', '"id" must be a non-empty string or a number, not ["a"]'),
    ('{"id": " ", "text": "Turkey attacked Syria."}', '"id" must be a non-empty string or a number, not " "'),
    ('{"id": "a", "text": "   "}', "empty text"),
    ('{"id": "a", "text": "x", "date": "yesterday"}', "date 'yesterday' is not a date; expected YYYY-MM-DD"),
    ('{"id": "a", "text": "date 2021-02-30 Turkey attacked Syria."}', "date header '2021-02-30' is not a valid date"),
    ("[" * 100_000, "invalid JSON (nested too deeply)"),
]


@pytest.mark.parametrize("line, reason", BAD_LINES, ids=[r for _, r in BAD_LINES])
def test_bad_jsonl_line_is_skipped_with_line_and_reason(tmp_path, line, reason):
    good = json.dumps({"id": "ok", "text": SENTENCE})
    path = tmp_path / "docs.jsonl"
    path.write_text(f"{good}\n\n{line}\n{good.replace('ok', 'ok2')}", encoding="utf-8")
    articles, skipped = _read(path)
    assert [a.id for a in articles] == ["ok", "ok2"]
    assert _reasons(skipped) == [("docs.jsonl", 3, reason)]
    assert skipped[0].source == f"{path}:3"


def test_unsupported_file_in_folder_is_named(tmp_path):
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    articles, skipped = _read(tmp_path)
    assert [a.id for a in articles] == ["a"]
    assert _reasons(skipped) == [
        ("photo.png", None, "unsupported file type '.png'; expected .htm, .html, .jsonl, .md, .ndjson, .text, .txt")
    ]


def test_missing_input_is_an_error_not_a_skip(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        list(read_articles([tmp_path / "nope"], on_error=lambda s: None))


# --- encodings ---------------------------------------------------------------

TEXT = "date 2020-02-19\nThe minister said “Russia’s offer” to Zürich and São Paulo was welcome."
EXPECTED = "date 2020-02-19\nThe minister said \"Russia's offer\" to Zürich and São Paulo was welcome."


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32", "cp1252"],
)
def test_encodings_are_decoded_boms_stripped(tmp_path, encoding):
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + TEXT.encode("utf-16-be")
    else:
        data = TEXT.encode(encoding)
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    [article] = read_articles([path])
    assert article.text == EXPECTED
    assert article.date == "2020-02-19"
    assert article.body.startswith("The minister")


def test_latin1_is_decoded(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le ministre français a rencontré son homologue à Zürich.".encode("latin-1"))
    [article] = read_articles([path])
    assert article.text == "Le ministre français a rencontré son homologue à Zürich."


def test_utf16_jsonl_is_read(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": "a", "text": "“Iran” met Iraq."}, ensure_ascii=False), json.dumps({"id": "b", "text": "Ok."})]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    articles, skipped = _read(path)
    assert [(a.id, a.text) for a in articles] == [("a", '"Iran" met Iraq.'), ("b", "Ok.")]
    assert skipped == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cafe\u0301", "Caf\u00e9"),  # NFC composes
        ("\u201cQuoted\u201d \u2018single\u2019 \u201elow\u201f", "\"Quoted\" 'single' \"low\""),
        ("a\x00b\x0bc\x1fd\x7fe\x85f", "a b c d e f"),  # XML-invalid and C1 controls
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("tab\tnewline\ncr\r", "tab\tnewline\ncr\r"),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


# --- HTML --------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Turkey and Syria – World News</title>
<meta property="og:title" content="Turkey attacks Syria">
<meta property="og:url" content="https://news.example.org/2019/10/turkey-syria">
<meta property="article:published_time" content="2019-10-10T08:00:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Turkey attacks Syria</h1>
<p>Turkey attacked Syria on Wednesday, officials in Ankara said, in an operation condemned by France.</p>
<p>Russia said it was ready to cooperate with Turkey and Syria to end the fighting, the foreign ministry said.</p>
<script>alert("not text")</script>
</article><footer>Copyright 2019 Example News</footer></body></html>"""


def test_html_article_text_and_metadata(tmp_path):
    path = tmp_path / "turkey.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = read_articles([path])
    assert article.id == "turkey"
    assert (article.title, article.date, article.url) == (
        "Turkey attacks Syria",
        "2019-10-10",
        "https://news.example.org/2019/10/turkey-syria",
    )
    assert "Turkey attacked Syria on Wednesday" in article.text
    assert "alert" not in article.text and "Copyright" not in article.text and "Home" not in article.text


# --- limits ------------------------------------------------------------------


def test_split_article_cuts_at_paragraph_breaks():
    paragraphs = [f"Paragraph {i}: " + "word " * 30 for i in range(20)]
    text = "date 2020-01-01\n" + "\n\n".join(paragraphs)
    article = Article("big", text, "2020-01-01", body_start=16)
    parts = split_article(article, max_chars=500)
    assert len(parts) > 1
    for offset, part in parts:
        assert len(part.text) <= 500
        assert text[offset : offset + len(part.text)] == part.text
        assert part.text.startswith("Paragraph")  # every cut falls at a paragraph break
    assert "".join(part.text for _, part in parts) == article.body


def test_split_article_without_breaks_still_fits():
    article = Article("run-on", "x" * 2500)
    parts = split_article(article, max_chars=1000)
    assert [(offset, len(part.text)) for offset, part in parts] == [(0, 1000), (1000, 1000), (2000, 500)]


# --- properties over arbitrary text ------------------------------------------

_UNWRITABLE = {chr(c) for c in [*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_are_read_or_skipped_never_crash(tmp_path, data):
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    articles, skipped = _read(path)
    assert len(articles) + len(skipped) == 1
    for article in articles:
        assert 0 <= article.body_start <= len(article.text)
        assert article.text[article.body_start :] == article.body
        assert unicodedata.is_normalized("NFC", article.text)
        assert not (_UNWRITABLE & set(article.text))
        article.text.encode("utf-8")  # no lone surrogates
    for skip in skipped:
        assert skip.reason


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=1, max_value=120))
def test_any_text_splits_back_into_itself(text, max_chars):
    covered: set[int] = set()
    for offset, part in split_article(Article("a", text), max_chars=max_chars):
        assert len(part.text) <= max_chars
        assert text[offset : offset + len(part.text)] == part.text
        covered.update(range(offset, offset + len(part.text)))
    # Only whitespace-only stretches are left out.
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())


_WORDS = st.sampled_from(
    ["Russia", "Italy", "Turkey", "attacked", "agreed to cooperate with", "Syria", "met", "the", ".", ",",
     "\n\n", "“", "”", "é", "e\u0301", "\x00", "\ud800", "<b>", "date 2020-02-19"]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS | st.text(max_size=12), max_size=40).map(" ".join))
def test_any_text_through_extraction_keeps_offsets_valid(nlp, tmp_path, text):
    from kgraph.build import extract

    path = tmp_path / "doc.jsonl"
    path.write_text(json.dumps({"id": "d", "text": text}) + "\n", encoding="utf-8")
    articles, skipped = _read(path)
    result = extract([path], tmp_path / "events.jsonl", max_chars=60)
    assert (result.documents, len(result.skipped)) == (len(articles), len(skipped))
    for event in _events(tmp_path, "events.jsonl"):
        text = articles[0].text
        assert text[event["start"] : event["end"]] == event["sentence"]
        assert text[event["evidence_start"] : event["evidence_end"]] == event["evidence"]


# --- whole builds ------------------------------------------------------------


def _events(out: Path, name: str = "events.jsonl") -> list[dict]:
    return [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]


def _triples(events: list[dict], doc_id: str) -> set[tuple]:
    return {(e["source"]["id"], e["relation"]["plover"], e["target"]["id"]) for e in events if e["doc_id"] == doc_id}


def make_bad_corpus(folder: Path) -> dict[str, str]:
    """The seed article beside one file per kind of bad input; returns
    {source: reason prefix} of what must be skipped."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    expected = {}
    for name, data, reason in BAD_FILES:
        (folder / name).write_bytes(data)
        expected[str(folder / name)] = reason
    (folder / "cp1252.txt").write_bytes("Turkey \u201cattacked\u201d Syria on Monday.".encode("cp1252"))
    (folder / "bom.txt").write_bytes("\ufeffRussia agreed to cooperate with Italy.".encode("utf-8"))
    (folder / "image.bin").write_bytes(random.Random(1).randbytes(512))
    expected[str(folder / "image.bin")] = "unsupported file type '.bin'"
    lines = [json.dumps({"id": "j1", "text": SENTENCE}), '{"id": "j2", "text": "trunc']
    (folder / "docs.jsonl").write_text("\n".join(lines), encoding="utf-8")
    expected[f"{folder / 'docs.jsonl'}:2"] = "invalid JSON"
    return expected


def test_mixed_folder_build_skips_each_bad_file_and_keeps_the_seed(tmp_path, seed_build):
    from kgraph.build import build

    expected = make_bad_corpus(tmp_path / "in")
    result = build([tmp_path / "in"], tmp_path / "out")
    got = {s.source: s.reason for s in result.skipped}
    assert sorted(got) == sorted(expected)
    for source, reason in expected.items():
        assert got[source].startswith(reason), source
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["source"], e["reason"]) for e in errors] == [(s.source, s.reason) for s in result.skipped]
    doc = SEED_ARTICLE.stem
    seed_triples = _triples(_events(seed_build[0]), doc)
    assert seed_triples and seed_triples <= _triples(_events(tmp_path / "out"), doc)
    assert {"cp1252", "bom", "j1"} <= {e["doc_id"] for e in _events(tmp_path / "out")}
    # A clean build afterwards removes the stale error report.
    build([SEED_ARTICLE], tmp_path / "out")
    assert not (tmp_path / "out" / "errors.jsonl").exists()


def test_strict_build_fails_on_first_bad_document_and_writes_nothing(tmp_path, nlp):
    from kgraph.build import build

    make_bad_corpus(tmp_path / "in")
    with pytest.raises(DocumentError, match=r"cannot read .*bad-bom\.txt: not valid utf-16-le"):
        build([tmp_path / "in"], tmp_path / "out", strict=True)
    assert not (tmp_path / "out").exists()


def test_oversized_document_is_split_with_offsets_into_the_whole_text(tmp_path, nlp):
    from kgraph.build import build

    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    # Just above the longest paragraph: every cut falls at a paragraph break.
    max_chars = max(len(p) for p in seed.split("\n\n")) + 4
    assert len(seed) > 2 * max_chars
    whole = build([SEED_ARTICLE], tmp_path / "whole")
    split = build([SEED_ARTICLE], tmp_path / "split", max_chars=max_chars)
    assert (whole.documents, split.documents, split.skipped) == (1, 1, [])
    [article] = read_articles([SEED_ARTICLE])
    events = _events(tmp_path / "split")
    assert events
    for event in events:
        assert article.text[event["start"] : event["end"]] == event["sentence"]
        assert article.text[event["evidence_start"] : event["evidence_end"]] == event["evidence"]
    assert _triples(events, SEED_ARTICLE.stem) == _triples(_events(tmp_path / "whole"), SEED_ARTICLE.stem)


def test_document_beyond_spacy_max_length_is_split_not_crashed(tmp_path, nlp, monkeypatch):
    from kgraph.build import build

    # A small max_length stands in for spaCy's 1,000,000 (parsing that much is slow).
    monkeypatch.setattr(nlp, "max_length", 2000)
    path = tmp_path / "dump.txt"
    path.write_text((SENTENCE + " ") * 100, encoding="utf-8")  # one 7,000-character paragraph
    result = build([path], tmp_path / "out", max_chars=1500)
    assert (result.documents, result.skipped) == (1, [])
    assert result.events > 0
    with pytest.raises(ValueError, match=r"\[E088\]"):  # what parsing it whole would do
        nlp(path.read_text(encoding="utf-8"))


def test_extraction_failure_is_isolated_to_its_document(tmp_path, nlp):
    from kgraph.build import build
    from kgraph.extract import DEFAULT_EXTRACTORS, register
    from kgraph.pipeline import ExtractOptions

    @register("robustness-test-boom")
    def _boom(doc):
        if "BOOM" in doc.text:
            raise RuntimeError("extractor bug")
        return iter(())

    docs = [{"id": f"d{i}", "text": SENTENCE + (" BOOM" if i == 3 else "")} for i in range(6)]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    options = ExtractOptions(extractors=(*DEFAULT_EXTRACTORS, "robustness-test-boom"))
    result = build([path], tmp_path / "out", options=options)
    assert [(s.source, s.reason) for s in result.skipped] == [
        (f"{path}:4", "extraction failed: RuntimeError: extractor bug")
    ]
    assert result.documents == 5
    assert {e["doc_id"] for e in _events(tmp_path / "out")} == {"d0", "d1", "d2", "d4", "d5"}
    with pytest.raises(DocumentError, match="extraction failed: RuntimeError: extractor bug"):
        build([path], tmp_path / "strict", options=options, strict=True)


HOSTILE = '</script><script>alert(1)</script><b id="pwned">" } ; DROP ALL ; #\\ \n\'\'\' """ <!--'


def _script_tags(page: str) -> int:
    from html.parser import HTMLParser

    class Count(HTMLParser):
        tags = 0

        def handle_starttag(self, tag, attrs):
            self.tags += tag in ("script", "b", "img", "iframe")

    counter = Count()
    counter.feed(page)
    return counter.tags


def test_hostile_text_cannot_inject_markup_rdf_or_sparql(tmp_path, seed_build):
    import networkx as nx
    from rdflib import Graph

    from kgraph.build import build
    from kgraph.query import load_store, run_query

    docs = [
        {"id": HOSTILE, "title": HOSTILE, "url": "javascript:alert(1)//" + HOSTILE, "text": f"{SENTENCE} {HOSTILE}"},
        {"id": "plain", "title": "Plain", "text": f'Russia "{HOSTILE}" agreed to cooperate with Italy. {HOSTILE}'},
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    out = tmp_path / "out"
    result = build([path], out)
    assert (result.documents, result.skipped) == (2, [])
    assert result.events > 0

    page = (out / "graph.html").read_text(encoding="utf-8")
    assert '<b id="pwned"' not in page
    assert "<script>alert(1)" not in page
    # As many script (and b, img, iframe) elements as in a page of harmless text.
    assert _script_tags(page) == _script_tags((seed_build[0] / "graph.html").read_text(encoding="utf-8"))

    rdf = Graph().parse(out / "graph.ttl", format="turtle")
    titles = {str(o) for o in rdf.objects(None, None) if "pwned" in str(o)}
    assert normalize_text(HOSTILE) in titles  # the text survives as a literal, intact
    nx.read_graphml(out / "graph.graphml")
    nx.read_gexf(out / "graph.gexf")
    json.loads((out / "graph.json").read_text(encoding="utf-8"))

    store = load_store(out)
    select = "SELECT ?s ?value WHERE { ?s ?p ?value }"
    assert run_query(store, select, value='" } ; DROP ALL ; #').rows == ()
    assert run_query(store, select, value=normalize_text(HOSTILE)).rows  # bound as a term: found, not parsed


def test_same_input_gives_byte_identical_outputs(tmp_path, seed_build):
    from kgraph.build import build

    first, _ = seed_build
    build([SEEDS], tmp_path / "again")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "again").iterdir())
    assert "graph.ttl" in names and "graph.html" in names
    for name in names:
        assert (first / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


# --- interruption ------------------------------------------------------------


def _outputs(out: Path) -> dict[str, bytes]:
    # The extraction cache is not an output: a killed build commits what it
    # has done to it, so that the rerun resumes (issue 15).
    return {p.name: p.read_bytes() for p in out.iterdir()
            if not p.name.startswith(".") and not p.name.startswith("kgraph-cache.sqlite")}


def _old_outputs(out: Path, seed_build) -> dict[str, bytes]:
    shutil.copytree(seed_build[0], out)
    return _outputs(out)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["KILL", "INT"])
def test_killed_build_leaves_previous_outputs_intact(tmp_path, seed_build, sig):
    from kgraph.build import build

    out = tmp_path / "out"
    old = _old_outputs(out, seed_build)
    big = tmp_path / "big.jsonl"
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    with big.open("w", encoding="utf-8") as handle:
        for i in range(3000):
            handle.write(json.dumps({"id": f"doc{i}", "text": text}) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgraph", "build", str(big), "-o", str(out), "-q"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    time.sleep(4)  # loading the model or parsing: far from done
    assert proc.poll() is None, proc.stderr.read().decode()
    proc.send_signal(sig)
    proc.wait(timeout=60)
    proc.stderr.close()
    assert proc.returncode != 0
    assert _outputs(out) == old
    # The next build completes and replaces them.
    result = build([SEED_ARTICLE], out)
    assert result.documents == 1
    assert sorted(_outputs(out)) == sorted(n for n in old if n != "errors.jsonl")
    assert (out / "events.jsonl").read_bytes() != old["events.jsonl"]


def test_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    from kgraph.build import build

    out = tmp_path / "out"
    first = build([SEED_ARTICLE], out)
    assert not first.unchanged
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = build([SEED_ARTICLE], out)
    assert again.unchanged
    assert again.files == first.files
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes
    # another option changes what is written
    changed = build([SEED_ARTICLE], out, level="actor")
    assert not changed.unchanged
    # a deleted output is written again
    (out / "graph.html").unlink()
    assert not build([SEED_ARTICLE], out, level="actor").unchanged
    assert (out / "graph.html").is_file()
