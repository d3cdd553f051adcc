"""Incremental builds: an SQLite store of each document's extraction.

A row is keyed by a hash of the document (its text and date, the inputs of
extraction) and by the *fingerprint* of the pipeline: the model's name and
version, the content of every actor dictionary and lexicon, the extractors
and the code that runs them. A rebuild parses only documents whose key is not
stored under the current fingerprint; changing a dictionary, the lexicon, the
model or the code changes the fingerprint, so every document is extracted
again (the old rows stay until ``kgraph cache clear``).

Each chunk of results is written in one transaction, so an interrupted build
leaves the store consistent: what was committed is reused, the rest is redone.

The store also keeps the tokens of the actor dictionary's patterns (see
:meth:`ExtractionCache.get_patterns`), so that a rebuild which parses a few
new documents does not tokenize ~10,000 patterns again.

>>> from kgraph.cache import ExtractionCache
>>> with ExtractionCache(":memory:", "fp") as cache:
...     cache.put_many([("k", [])])
...     cache.get("k", doc_id="a")
[]
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KGraphError
from .model import Actor, Article, Event

if TYPE_CHECKING:
    from .pipeline import ExtractOptions

__all__ = ["CACHE_NAME", "ExtractionCache", "clear_cache", "default_cache_path", "fingerprint"]

CACHE_NAME = "kgraph-cache.sqlite"
# Bump when the row format changes.
_SCHEMA = 1


def default_cache_path(output: str | Path, *, folder: bool = True) -> Path:
    """Where a build (``output`` is a folder) or an extraction (``output`` is
    the events file) keeps its cache by default."""
    output = Path(output)
    return (output if folder else output.parent) / CACHE_NAME


def _hash_files(digest: hashlib._Hash, paths: Iterable[Path]) -> None:
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError as err:
            raise KGraphError(f"cannot read {path}: {err.strerror}") from None
        digest.update(b"\0")


def _model_meta(name: str) -> dict:
    """The model's ``meta.json`` without loading the model."""
    path = Path(name)
    if not path.exists():
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            return {"name": name}
        path = Path(next(iter(spec.submodule_search_locations)))
    candidates = [path / "meta.json", *sorted(path.glob("*/meta.json"))]
    for meta in candidates:
        if meta.is_file():
            record = json.loads(meta.read_text(encoding="utf-8"))
            return {k: record.get(k) for k in ("lang", "name", "version", "spacy_version")}
    return {"name": name}


def fingerprint(options: ExtractOptions) -> str:
    """A hash of everything an extraction depends on besides the document.

    Covers the model (name and version, read from its ``meta.json``), the
    package and user actor dictionaries and lexicons (by content), the
    extractors, selective parsing, the spaCy version, the source of every
    ``kgraph`` module extraction imports (see :func:`_extraction_sources`;
    editing the HTML view keeps the cache) and of any plug-in extractor.
    """
    from importlib.metadata import version

    from .extract import get_extractor
    from .nlp import model_name

    kgraph_root = Path(str(resources.files("kgraph")))
    digest = hashlib.sha256()
    head = {
        "schema": _SCHEMA,
        "model": _model_meta(model_name(options.model)),
        "spacy": version("spacy"),
        "extractors": list(options.extractors),
        "selective": options.selective,
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    data = [p for p in (kgraph_root / "data").rglob("*") if p.is_file()]
    _hash_files(digest, _extraction_sources(kgraph_root) + data)
    extra = [Path(p) for p in (*options.actor_files, *options.lexicon_files)]
    for name in options.extractors:
        module = getattr(get_extractor(name), "__module__", "")
        spec = importlib.util.find_spec(module) if module else None
        origin = Path(spec.origin) if spec and spec.origin else None
        if origin and origin.is_file() and kgraph_root not in origin.parents:
            extra.append(origin)
    for path in extra:
        digest.update(str(path).encode() + b"\0")
        _hash_files(digest, [path])
    return digest.hexdigest()


def _extraction_sources(root: Path) -> list[Path]:
    """The package modules extraction runs: :mod:`kgraph.pipeline`, the
    extractors and every module they import, followed through the
    ``kgraph`` imports of their source (so a module a colleague adds to
    resolution counts as soon as it is imported)."""
    todo = [root / "pipeline.py", *sorted((root / "extract").glob("*.py"))]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            targets: list[Path] = []
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("kgraph")):
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                parts = (node.module or "").split(".") if node.module else []
                if not node.level:
                    base, parts = root, parts[1:]
                module = base.joinpath(*parts)
                targets = [module.with_suffix(".py"), module / "__init__.py"]
                targets += [module / f"{alias.name}.py" for alias in node.names]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("kgraph."):
                        module = root.joinpath(*alias.name.split(".")[1:])
                        targets += [module.with_suffix(".py"), module / "__init__.py"]
            todo.extend(t for t in targets if t.is_file() and t not in seen)
    return sorted(seen)


def _encode(events: list[Event]) -> str:
    records = []
    for event in events:
        record = asdict(event)
        del record["doc_id"]  # restored from the article on reading
        records.append(record)
    return json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _decode(text: str, doc_id: str) -> list[Event]:
    events = []
    for record in json.loads(text):
        record["source"] = Actor(**record["source"])
        record["target"] = Actor(**record["target"])
        if record.get("attribution"):
            record["attribution"] = Actor(**record["attribution"])
        events.append(Event(doc_id=doc_id, **record))
    return events


class ExtractionCache:
    """The events of each document, stored under the pipeline fingerprint.

    Args:
        path: The SQLite file (created with its folder), or ``":memory:"``.
        fingerprint: See :func:`fingerprint`.

    Raises:
        KGraphError: if the file cannot be opened as a cache.
    """

    def __init__(self, path: str | Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        # The file is created at the first write, so a run that fails before
        # extracting anything leaves no trace; an existing one is opened now.
        if str(path) == ":memory:" or Path(path).exists():
            self._connect()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            path = self.path
            try:
                if str(path) != ":memory:":
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(path), isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS extractions ("
                    " fingerprint TEXT NOT NULL, key TEXT NOT NULL, events TEXT NOT NULL,"
                    " PRIMARY KEY (fingerprint, key)) WITHOUT ROWID"
                )
                db.execute("CREATE TABLE IF NOT EXISTS patterns (key TEXT PRIMARY KEY, orths TEXT NOT NULL)")
            except (sqlite3.Error, OSError) as err:
                raise KGraphError(f"cannot open cache {path}: {err}; remove it or use --no-cache") from None
            self._db = db
        return self._db

    @staticmethod
    def key(article: Article) -> str:
        """The hash of what extraction reads from an article: text and date."""
        digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0" + (article.date or "").encode())
        return digest.hexdigest()

    def get(self, key: str, *, doc_id: str) -> list[Event] | None:
        """The stored events of ``key`` (given ``doc_id``), or ``None``."""
        row = None
        if self._db is not None:
            row = self._db.execute(
                "SELECT events FROM extractions WHERE fingerprint = ? AND key = ?", (self.fingerprint, key)
            ).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return _decode(row[0], doc_id)

    def put_many(self, items: Iterable[tuple[str, list[Event]]]) -> None:
        """Store several documents' events in one transaction."""
        rows = [(self.fingerprint, key, _encode(events)) for key, events in items]
        if not rows:
            return
        try:
            with self._transaction():
                self._connect().executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)", rows)
        except sqlite3.OperationalError as err:
            if "full" in str(err):  # SQLITE_FULL: "database or disk is full"
                from .io import NoSpaceError

                raise NoSpaceError(self.path) from None
            raise KGraphError(f"cannot write cache {self.path}: {err}; remove it or use --no-cache") from None

    def get_patterns(self, key: str) -> list[list[int]] | None:
        """The pattern tokens stored under ``key``, or ``None``.

        ``key`` names the patterns and the tokenizer (see
        :meth:`kgraph.resolve.ActorResolver.pattern_orths`); the value is
        one list of ORTH ids per pattern.
        """
        if self._db is None:
            return None
        row = self._db.execute("SELECT orths FROM patterns WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put_patterns(self, key: str, orths: Iterable[Iterable[int]]) -> None:
        """Store pattern tokens under ``key``, replacing those of other
        patterns (only the current dictionaries' are worth keeping)."""
        text = json.dumps([list(o) for o in orths], separators=(",", ":"))
        with self._transaction():
            db = self._connect()
            db.execute("DELETE FROM patterns")
            db.execute("INSERT INTO patterns VALUES (?, ?)", (key, text))

    def _transaction(self):
        db = self._connect()

        class _Tx:
            def __enter__(self) -> None:
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, *_: object) -> None:
                db.execute("COMMIT" if kind is None else "ROLLBACK")

        return _Tx()

    def __len__(self) -> int:
        if self._db is None:
            return 0
        return self._db.execute(
            "SELECT count(*) FROM extractions WHERE fingerprint = ?", (self.fingerprint,)
        ).fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def clear_cache(path: str | Path) -> int | None:
    """Delete the cache file ``path``.

    Returns:
        The number of documents it held, ``None`` if there was no cache.

    Raises:
        KGraphError: if the file cannot be removed.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(str(path))
        try:
            rows = db.execute("SELECT count(*) FROM extractions").fetchone()[0]
        except sqlite3.Error:
            rows = 0
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    except OSError as err:
        raise KGraphError(f"cannot remove cache {path}: {err.strerror}") from None
    return rows
