"""Read articles from text files, folders and JSON Lines files.

A ``.txt`` article may begin with a ``date YYYY-MM-DD`` header, on a line of
its own or run into the first sentence; the header is metadata, not text: it
becomes :attr:`Article.date` and the parser never sees it. Offsets reported
for events still point into the file's text, header included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from .errors import InputError
from .model import Article

__all__ = [
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
    "Skipped",
    "split_header",
    "iter_paths",
    "read_articles",
    "read_text_file",
    "read_jsonl",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

# The value must start with a digit, so that "Date palms grow …" is text, while
# "date 2020-13-45" is a header with a bad date, reported as such.
_HEADER = re.compile(r"\A\s*date[ \t]*:?[ \t]*(\d\S*)[ \t]*(?:\r?\n)*[ \t]*", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True)
class Skipped:
    """A document that could not be read, and why."""

    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


ErrorHandler = Callable[[Skipped], None]


def _check_date(value: str, where: str) -> str:
    if not _ISO_DATE.match(value):
        raise InputError(f"{where}: date header {value!r} is not a date; expected YYYY-MM-DD")
    try:
        _date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where}: date header {value!r} is not a valid date") from None
    return value


def split_header(text: str, *, where: str = "<text>") -> tuple[str | None, int]:
    """Find a leading ``date YYYY-MM-DD`` header.

    Returns:
        ``(date, body_start)``: the date (or ``None``) and the offset where the
        article body begins.

    Raises:
        InputError: if the header is there but its value is not a date.

    >>> split_header(" date 2020-02-19 Russia is a key player.")
    ('2020-02-19', 17)
    >>> split_header("Russia is a key player.")
    (None, 0)
    """
    match = _HEADER.match(text)
    if not match:
        return None, 0
    return _check_date(match.group(1), where), match.end()


def _decode(data: bytes, where: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"cannot read {where}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"cannot read {where}: not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None


def read_text_file(path: Path) -> Article:
    """Read one ``.txt`` article; its id is the file stem."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {where}: {err.strerror}") from None
    text = _decode(data, where)
    if not text.strip():
        raise InputError(f"cannot read {where}: empty file")
    date, body_start = split_header(text, where=where)
    return Article(id=path.stem, text=text, date=date, source=where, body_start=body_start)


def read_jsonl(path: Path, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Read a JSON Lines file of ``{"id", "text", "date"?, "title"?, "url"?}``.

    Bad lines are reported to ``on_error`` (or raised if it is ``None``) and
    skipped; the other lines are read.
    """
    try:
        handle = path.open("rb")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    with handle:
        for number, raw in enumerate(handle, 1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                yield _jsonl_article(raw, where)
            except InputError as err:
                if on_error is None:
                    raise
                on_error(Skipped(where, str(err)))


def _jsonl_article(raw: bytes, where: str) -> Article:
    try:
        record = json.loads(_decode(raw, where))
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: invalid JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    doc_id, text = record.get("id"), record.get("text")
    if doc_id is None or not isinstance(text, str):
        raise InputError(f'{where}: a document needs "id" and a string "text"')
    date = record.get("date")
    header_date, body_start = split_header(text, where=where)
    if date is not None:
        date = _check_date(str(date), where)
    return Article(
        id=str(doc_id),
        text=text,
        date=date or header_date,
        title=record.get("title"),
        url=record.get("url"),
        source=where,
        body_start=body_start,
    )


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Expand inputs into files, recursing into folders in sorted order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
                    if not any(part.startswith(".") for part in child.relative_to(path).parts):
                        yield child
        elif path.exists():
            yield path
        else:
            raise InputError(f"cannot read {path}: no such file or folder")


def read_articles(
    inputs: Iterable[str | Path], *, on_error: ErrorHandler | None = None
) -> Iterator[Article]:
    """Read every article named by ``inputs`` (files or folders).

    Args:
        inputs: ``.txt`` files, ``.jsonl`` files or folders of them.
        on_error: Called with a :class:`Skipped` for each unreadable document,
            which is then skipped. With ``None`` the first error is raised.

    Raises:
        InputError: on a bad document when ``on_error`` is ``None``, and
            always for an input path that does not exist.
    """
    for path in iter_paths(inputs):
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from read_jsonl(path, on_error)
            else:
                yield read_text_file(path)
        except InputError as err:
            if on_error is None:
                raise
            on_error(Skipped(str(path), str(err)))
