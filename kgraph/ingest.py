"""Read articles from text, HTML and JSON Lines files, one bad document at a time.

Every document goes through the same steps:

1. **decode**: a byte-order mark wins (UTF-8, UTF-16, UTF-32, and the mark is
   dropped); else strict UTF-8; else the encoding charset-normalizer finds
   (Windows-1252 when it fits as well as the best guess, as browsers do for
   Latin-1 text). Bytes that are not text (NUL bytes, control characters,
   no encoding fits) make the document a *binary file*, skipped.
2. **normalise**: :func:`normalize_text`: Unicode NFC, typographic quotes
   folded to ASCII ``'`` and ``"``, characters that no output format can
   hold (control characters, lone surrogates) replaced by one character each.
3. **split the header**: a ``.txt`` article may begin with a
   ``date YYYY-MM-DD`` header, on a line of its own or run into the first
   sentence; it becomes :attr:`Article.date` and the parser never sees it.

:attr:`Article.text` is the normalised text, header included, and it is the
text every event offset counts into: ``article.text[e.start:e.end] ==
e.sentence``. It differs from the decoded file only where NFC composed a
character with its combining marks (quotes and replaced characters keep their
position), so for ordinary text the offsets are also character offsets into
the file. For HTML pages the text is the article text extracted by
trafilatura, paragraphs separated by blank lines.

A document that cannot be read raises :class:`DocumentError`, which names the
file, the line for JSON Lines, and the reason; :func:`read_articles` turns it
into a :class:`Skipped` record and goes on with the next document.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from .errors import InputError
from .model import Article

__all__ = [
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "DEFAULT_MAX_CHARS",
    "DocumentError",
    "Skipped",
    "decode_bytes",
    "normalize_text",
    "split_header",
    "split_article",
    "iter_paths",
    "read_articles",
    "read_text_file",
    "read_html_file",
    "read_jsonl",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
#: Files in a folder of articles that describe the folder, not news: read
#: only when named on the command line.
FOLDER_NOTES = frozenset({"readme", "license", "licence", "changelog", "notice", "authors", "contributing"})

#: Characters the parser sees at once; longer documents are split at
#: paragraph boundaries. Far above any news article, far below spaCy's
#: ``max_length`` (1,000,000) and its memory needs.
DEFAULT_MAX_CHARS = 100_000

# The value must start with a digit, so that "Date palms grow …" is text, while
# "date 2020-13-45" is a header with a bad date, reported as such.
_HEADER = re.compile(r"\A\s*date[ \t]*:?[ \t]*(\d\S*)[ \t]*(?:\r?\n)*[ \t]*", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it begins with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 8192
# Share of control characters above which decoded bytes are not text.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    }
)
# Not allowed in XML 1.0 (GraphML, GEXF, RDF/XML) or not encodable as UTF-8.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")


class DocumentError(InputError):
    """One document cannot be read.

    Attributes:
        file: The file it comes from.
        reason: Why, without the file name (``"binary file …"``).
        line: The line of a JSON Lines file, else ``None``.
    """

    def __init__(self, file: str | Path, reason: str, line: int | None = None) -> None:
        self.file = str(file)
        self.reason = reason
        self.line = line
        super().__init__(f"cannot read {self.source}: {reason}")

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Skipped:
    """A document that could not be read, and why."""

    file: str
    reason: str
    line: int | None = None

    @property
    def source(self) -> str:
        """``file`` or ``file:line``."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def to_dict(self) -> dict[str, str | int | None]:
        return {"source": self.source, "file": self.file, "line": self.line, "reason": self.reason}


ErrorHandler = Callable[[Skipped], None]


def _date_problem(value: str) -> str | None:
    if not _ISO_DATE.match(value):
        return f"date header {value!r} is not a date; expected YYYY-MM-DD"
    try:
        _date.fromisoformat(value)
    except ValueError:
        return f"date header {value!r} is not a valid date"
    return None


def _header(text: str) -> tuple[str | None, int, str | None]:
    match = _HEADER.match(text)
    if not match:
        return None, 0, None
    value = match.group(1)
    return value, match.end(), _date_problem(value)


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
    value, body_start, problem = _header(text)
    if problem:
        raise InputError(f"{where}: {problem}")
    return value, body_start


def normalize_text(text: str) -> str:
    """The text kgraph works on: NFC, ASCII quotes, every character writable.

    Quotes and unwritable characters are replaced one for one (lone
    surrogates by U+FFFD, control characters other than tab, newline and
    carriage return by a space), so only NFC composition moves offsets.

    >>> normalize_text("“Cafe\\u0301” \\x00said")
    '"Café"  said'
    """
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    return _UNWRITABLE.sub(" ", text.translate(_QUOTES))


def _looks_binary(text: str) -> bool:
    sample = text[:_SNIFF]
    return bool(sample) and len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample)


def decode_bytes(data: bytes) -> str:
    """Decode the bytes of a document (see the module docstring for the order).

    Raises:
        ValueError: with the reason, if the bytes are not text.

    >>> decode_bytes("Caf\\u00e9 \\u201cx\\u201d".encode("cp1252"))
    'Café “x”'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as err:
                raise ValueError(f"not valid {encoding} despite its byte-order mark ({err.reason})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text[:_SNIFF]:
        if b"\x00" in data[:_SNIFF]:
            raise ValueError("binary file (NUL bytes), not text")
        text = _detect(data)
        if text is None:
            raise ValueError("binary file or unknown text encoding (no encoding fits)")
    if _looks_binary(text):
        raise ValueError("binary file (control characters), not text")
    return text


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # Short Western text fits many 8-bit code pages equally well; take
    # Windows-1252 then, as browsers do for anything labelled Latin-1.
    for match in matches:
        if match.chaos <= best.chaos and "cp1252" in match.could_be_from_charset:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                break
    return str(best)


def _os_reason(path: Path, err: OSError) -> str:
    """Why a file listed a moment ago cannot be read, in words."""
    import errno

    try:
        link = path.is_symlink()
    except OSError:
        link = False
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if err.errno == errno.ENOENT:
        return "dangling symbolic link" if link else "the file vanished while the run read it"
    return err.strerror or type(err).__name__


def _read_bytes(path: Path) -> bytes:
    import stat

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise DocumentError(path, "not a regular file")
        return path.read_bytes()
    except OSError as err:
        raise DocumentError(path, _os_reason(path, err)) from None


def _decode_document(data: bytes, file: str | Path, line: int | None = None) -> str:
    try:
        return normalize_text(decode_bytes(data))
    except ValueError as err:
        raise DocumentError(file, str(err), line) from None


def _article(
    doc_id: str, text: str, file: str | Path, *, line: int | None = None, date: str | None = None,
    title: str | None = None, url: str | None = None, header: bool = True,
) -> Article:
    if not text.strip():
        raise DocumentError(file, "empty file" if line is None else "empty text", line)
    header_date, body_start = None, 0
    if header:
        header_date, body_start, problem = _header(text)
        if problem:
            raise DocumentError(file, problem, line)
        if not text[body_start:].strip():
            raise DocumentError(file, "no text after the date header", line)
    if date is not None:
        problem = _date_problem(date)
        if problem:
            raise DocumentError(file, problem.replace("date header", "date", 1), line)
    source = f"{file}:{line}" if line is not None else str(file)
    return Article(
        id=doc_id, text=text, date=date or header_date, title=title, url=url, source=source, body_start=body_start
    )


def read_text_file(path: Path) -> Article:
    """Read one ``.txt`` article; its id is the file stem.

    Raises:
        DocumentError: if it cannot be read, is binary, empty, or has a bad
            date header.
    """
    text = _decode_document(_read_bytes(path), path)
    return _article(path.stem, text, path)


def read_html_file(path: Path) -> Article:
    """Read one saved HTML page: the article text (trafilatura), with its
    title, date and URL when the page gives them; its id is the file stem.

    Raises:
        DocumentError: if it cannot be read or holds no article text.
    """
    import trafilatura

    page = _decode_document(_read_bytes(path), path)
    try:
        found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    except Exception as err:  # noqa: BLE001 - a parser failure on one page is that page's problem
        raise DocumentError(path, f"cannot parse the HTML ({type(err).__name__}: {err})") from None
    text = getattr(found, "text", None) or ""
    if not text.strip():
        raise DocumentError(path, "no article text found in the HTML page")
    # One paragraph per line from trafilatura; blank lines keep the parser
    # from running a headline into the first sentence.
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    date = getattr(found, "date", None)
    return _article(
        path.stem,
        normalize_text(text),
        path,
        date=date if date and _date_problem(date) is None else None,
        title=_optional_text(getattr(found, "title", None)),
        url=_optional_text(getattr(found, "url", None)),
        header=False,
    )


def _optional_text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = normalize_text(str(value)).strip()
    return text or None


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        handle = path.open("rb")
    except OSError as err:
        raise DocumentError(path, _os_reason(path, err)) from None
    with handle:
        head = handle.read(4)
        for bom, encoding in _BOMS:
            if head.startswith(bom) and not encoding.startswith("utf-8"):
                # UTF-16/32 lines cannot be split on b"\n": decode it whole.
                try:
                    text = (head + handle.read()).decode(encoding)
                except UnicodeDecodeError as err:
                    raise DocumentError(path, f"not valid {encoding} ({err.reason})") from None
                for number, line in enumerate(text.lstrip("\ufeff").split("\n"), 1):
                    yield number, line.encode("utf-8")
                return
        handle.seek(0)
        for number, raw in enumerate(handle, 1):
            yield number, raw


def read_jsonl(path: Path, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Read a JSON Lines file of ``{"id", "text", "date"?, "title"?, "url"?}``.

    Bad lines are reported to ``on_error`` (or raised if it is ``None``) and
    skipped; the other lines are read. A ``date`` header at the start of a
    text is read as in a ``.txt`` file.

    Raises:
        DocumentError: for the file, or for a bad line when ``on_error`` is ``None``.
    """
    for number, raw in _jsonl_lines(path):
        if not raw.strip():
            continue
        try:
            article = _jsonl_article(raw, path, number)
        except DocumentError as err:
            if on_error is None:
                raise
            on_error(Skipped(err.file, err.reason, err.line))
            continue
        except Exception as err:  # noqa: BLE001 - whatever one record does, the next ones are read
            if on_error is None:
                raise DocumentError(path, _unexpected(err), number) from None
            on_error(Skipped(str(path), _unexpected(err), number))
            continue
        yield article


def _unexpected(err: Exception) -> str:
    message = str(err)
    if len(message) > 200:
        message = message[:200] + "…"
    return f"cannot read it ({type(err).__name__}: {message})"


def _jsonl_article(raw: bytes, path: Path, line: int) -> Article:
    raw = raw.rstrip(b"\r\n")
    if line == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = None
    if decoded is None:
        try:
            decoded = decode_bytes(raw)
        except ValueError as err:
            raise DocumentError(path, str(err), line) from None
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as err:
        raise DocumentError(path, f"invalid JSON ({err.msg.removesuffix(' at')} at column {err.colno})", line) from None
    except RecursionError:
        raise DocumentError(path, "invalid JSON (nested too deeply)", line) from None
    if not isinstance(record, dict):
        raise DocumentError(path, f"expected a JSON object, got {type(record).__name__}", line)
    doc_id, text = record.get("id"), record.get("text")
    if doc_id is None or not isinstance(text, str):
        raise DocumentError(path, 'a document needs "id" and a string "text"', line)
    if isinstance(doc_id, (bool, dict, list)) or not str(doc_id).strip():
        raise DocumentError(path, f'"id" must be a non-empty string or a number, not {json.dumps(doc_id)}', line)
    date = record.get("date")
    return _article(
        normalize_text(str(doc_id)),
        normalize_text(text),
        path,
        line=line,
        date=None if date is None else str(date),
        title=_optional_text(record.get("title")),
        url=_optional_text(record.get("url")),
    )


def _unsupported(path: Path) -> str:
    kind = f"file type {path.suffix!r}" if path.suffix else "file without a suffix"
    return f"unsupported {kind}; expected {', '.join(sorted(_SUFFIXES))}"


def _walk(inputs: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Iterator[tuple[Path, bool]]:
    """``(path, named)``: every file of ``inputs``, and whether the user named
    it (else it was found in a folder). Hidden files and folders, a folder's
    notes (:data:`FOLDER_NOTES`) and anything inside ``exclude`` (the output
    folder) are left out. Links that lead nowhere or in a loop, and files
    that vanish once listed, are listed too: reading them is a skip."""
    excluded = [Path(os.path.realpath(p)) for p in exclude]
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            real = Path(os.path.realpath(path))
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if any(p.startswith(".") for p in relative.parts) or child.stem.lower() in FOLDER_NOTES:
                    continue
                if any(_inside(real / relative, e) for e in excluded):
                    continue
                if child.is_file() or child.is_symlink() and not child.is_dir():
                    yield child, False
                elif not child.is_dir() and not os.path.lexists(child):
                    yield child, False  # vanished since it was listed
        elif path.exists():
            yield path, True
        else:
            raise InputError(f"cannot read {path}: no such file or folder")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Expand inputs into article files, recursing into folders in sorted order.

    Files named in ``inputs`` are always listed; files in folders only when
    their suffix is one kgraph reads and they are not the folder's notes
    (``README.md``, ``LICENSE.txt`` …).

    Raises:
        InputError: for an input that does not exist.
    """
    for path, named in _walk(inputs):
        if named or path.suffix.lower() in _SUFFIXES:
            yield path


def split_article(article: Article, *, max_chars: int = DEFAULT_MAX_CHARS) -> list[tuple[int, Article]]:
    """Split an article whose body is longer than ``max_chars`` into parts.

    Cuts fall at the last paragraph break (blank line) that fits, else the
    last line break, else the last space, else at ``max_chars``.

    Returns:
        ``(offset, part)`` pairs: each part is an :class:`Article` with the
        same id and metadata whose text is a slice of the body, and
        ``offset`` is where that slice starts in ``article.text``, to add to
        the offsets of the part's events. An article that fits is returned
        whole with offset 0.

    >>> parts = split_article(Article("a", "One.\\n\\nTwo.\\n\\nThree."), max_chars=12)
    >>> [(offset, part.text) for offset, part in parts]
    [(0, 'One.\\n\\nTwo.\\n\\n'), (12, 'Three.')]
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    body = article.body
    if len(body) <= max_chars:
        return [(0, article)]
    parts: list[tuple[int, Article]] = []
    start = 0
    while start < len(body):
        end = start + max_chars
        if end < len(body):
            window = body[start:end]
            breaks = list(_PARAGRAPH_BREAK.finditer(window))
            if breaks and breaks[-1].end() > 0:
                end = start + breaks[-1].end()
            else:
                cut = max(window.rfind("\n"), window.rfind(" "))
                if cut > 0:
                    end = start + cut + 1
        text = body[start:end]
        if text.strip():
            part = Article(article.id, text, article.date, article.title, article.url, article.source)
            parts.append((article.body_start + start, part))
        start = end
    return parts


def read_articles(
    inputs: Iterable[str | Path], *, on_error: ErrorHandler | None = None, exclude: Iterable[str | Path] = ()
) -> Iterator[Article]:
    """Read every article named by ``inputs`` (files or folders).

    Args:
        inputs: ``.txt``, ``.html`` and ``.jsonl`` files, or folders of them.
        on_error: Called with a :class:`Skipped` for each document that cannot
            be read (and each file of a folder kgraph does not read), which is
            then skipped. With ``None`` the first error is raised.
        exclude: Files and folders never read from a folder (the output).

    Raises:
        InputError: on a bad document when ``on_error`` is ``None``
            (:class:`DocumentError`), and always for an input path that does
            not exist.
    """
    for path, named in _walk(inputs, exclude):
        suffix = path.suffix.lower()
        try:
            if suffix in JSONL_SUFFIXES:
                yield from read_jsonl(path, on_error)
            elif suffix in HTML_SUFFIXES:
                yield read_html_file(path)
            elif named or suffix in TEXT_SUFFIXES:
                yield read_text_file(path)
            else:
                raise DocumentError(path, _unsupported(path))
        except DocumentError as err:
            if on_error is None:
                raise
            on_error(Skipped(err.file, err.reason, err.line))
        except Exception as err:  # noqa: BLE001 - one file's failure is that file's skip
            if on_error is None:
                raise DocumentError(path, _unexpected(err)) from None
            on_error(Skipped(str(path), _unexpected(err)))
