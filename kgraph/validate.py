"""Checks made on user files before a run starts, so that a bad line is an
error naming its file and line, not a traceback from a writer at the end.

Actor files (``--actors``) are read by :func:`kgraph.resolve.read_actor_file`;
:func:`validate_actor_file` looks at each line first: its ids become IRIs and
GraphML/XML attributes, where a control character has no place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from .errors import InputError

__all__ = ["ACTOR_TYPES", "validate_actor_file", "validate_actor_files"]

_COLUMNS = ("pattern", "id", "label", "type", "country", "sector", "start", "end", "office")
#: Values of the ``type`` column.
ACTOR_TYPES = frozenset({"country", "person", "organization", "group", "role", "none"})
# Not allowed in XML 1.0 or not text: C0 but tab, DEL, C1, non-characters, lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CODE = re.compile(r"[A-Z]{3}\Z")
# Characters an IRI cannot hold (RFC 3987) besides controls and spaces.
_NOT_IN_ID = re.compile(r'[\s<>"{}|\\^`]')


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _problem(cells: list[str]) -> str | None:
    """What is wrong with one row, or ``None``."""
    if len(cells) < 3 or not cells[1].strip():
        return (f"expected at least 3 tab-separated columns ({', '.join(_COLUMNS)}) with an id, "
                f"got {len(cells)} column{'s' if len(cells) != 1 else ''}")
    for column, cell in zip(_COLUMNS, cells):
        bad = _CONTROL.search(cell)
        if bad:
            return (f"control character {_describe(bad.group())} in the {column} column; "
                    "actor files hold printable text only")
    values = dict(zip(_COLUMNS, (c.strip() for c in cells)))
    if not values["pattern"]:
        return "empty pattern"
    bad = _NOT_IN_ID.search(values["id"])
    if bad:
        return f"id {values['id']!r} holds {bad.group()!r}, which an IRI cannot; use letters, digits, '.', ':', '-', '_'"
    kind = values.get("type") or ""
    if kind and kind not in ACTOR_TYPES:
        return f"type {kind!r} is not one of {', '.join(sorted(ACTOR_TYPES))}"
    for column in ("country", "sector"):
        value = values.get(column) or ""
        if value and not _CODE.match(value):
            return f"{column} {value!r} is not a code of 3 capital letters (e.g. {'RUS' if column == 'country' else 'GOV'})"
    for column in ("start", "end"):
        value = values.get(column) or ""
        if value:
            try:
                if len(value) != 10:
                    raise ValueError
                date.fromisoformat(value)
            except ValueError:
                return f"{column} {value!r} is not a date; expected YYYY-MM-DD"
    if values.get("start") and values.get("end") and values["start"] > values["end"]:
        return f"start {values['start']} is after end {values['end']}"
    return None


def validate_actor_file(path: str | Path) -> int:
    """Check every line of an actor file.

    Returns:
        The number of rows (comments, blank lines and the header left out).

    Raises:
        InputError: ``FILE:LINE: reason`` for the first bad line, or if the
            file cannot be read or is not UTF-8.

    """
    from .resolve.dictionary import actor_file_rows

    path = Path(path)
    rows = 0
    for number, cells in actor_file_rows(path):
        problem = _problem(cells)
        if problem:
            raise InputError(f"{path}:{number}: {problem}")
        rows += 1
    return rows


def validate_actor_files(paths: Iterable[str | Path]) -> None:
    """:func:`validate_actor_file` on each path.

    Raises:
        InputError: for the first bad line of any file.
    """
    for path in paths:
        validate_actor_file(path)
