"""The phrase API of ``kgraph resolve``: dates, phrases and case files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date as _date
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from .resolver import ActorResolver, default_resolver


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%B %d %Y", "%Y/%m/%d")


def parse_date(value: str | None) -> str | None:
    """An ISO date from ``2019-04-01``, ``10 May 2015``, ``October 1, 2021``
    or ``today``; ``None`` stays ``None``.

    Raises:
        InputError: naming the value when it is none of these.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if text.lower() == "today":
        return _date.today().isoformat()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(f"cannot read date {text!r}; expected YYYY-MM-DD, '10 May 2015' or 'today'")


def resolve_phrase(
    text: str,
    *,
    date: str | None = None,
    context: str | None = None,
    resolver: ActorResolver | None = None,
) -> dict[str, Any]:
    """One ``kgraph resolve`` result: ``{"text", "id", "label", "type",
    "country", "sector", "secondary"}``.

    Unknown fields are ``None``; a role noun alone ("Defense Minister") gives
    a sector without an actor. ``secondary`` lists the sectors a composite
    code adds to the primary one ("opposition activists": CVL, then OPP).
    """
    resolver = resolver or default_resolver()
    found = resolver.analyse(text, date=parse_date(date), context=context)
    return _result(text, found)


def _result(text: str, found: Any) -> dict[str, Any]:
    actor = found.actor
    return {
        "text": text,
        "id": actor.id if actor else None,
        "label": actor.label if actor else None,
        "type": actor.type if actor else None,
        "country": found.country,
        "sector": found.sector,
        "secondary": list(found.secondary),
    }


def explain_phrase(
    text: str,
    *,
    date: str | None = None,
    context: str | None = None,
    resolver: ActorResolver | None = None,
) -> str:
    """Which dictionary entries and which rule decided the country and the
    sector of ``text`` (``kgraph resolve --explain``), as lines of text.

    Example:
        >>> print(explain_phrase("Italian deputies"))  # doctest: +SKIP
        'Italian deputies': country ITA, sector LEG (id ITA.LEG)
          rule: the role noun, of the state named
          'Italian' -> ITA country ITA sector - (states.tsv:540)
          'deputies' -> role noun 'deputies' sector LEG (roles.tsv:82) [head]
    """
    resolver = resolver or default_resolver()
    day = parse_date(date)
    found = resolver.analyse(text, date=day, context=context)
    result = _result(text, found)
    sector = result["sector"] or "-"
    if result["secondary"]:
        sector += " (secondary " + ", ".join(result["secondary"]) + ")"
    lines = [
        f"{text!r}: country {result['country'] or '-'}, sector {sector} (id {result['id'] or '-'})"
        + (f" on {day}" if day else ""),
        f"  rule: {found.rule}",
    ]
    lines += [f"  {line}" for line in found.found] or ["  no dictionary entry or role noun found"]
    if context:
        lines.append(f"  context {context!r}: country {resolver.analyse(context, date=day).country or '-'}")
    return "\n".join(lines)


def explain_phrases(
    phrases: Iterable[str],
    *,
    date: str | None = None,
    actor_files: Iterable[str | Path] = (),
) -> Iterator[str]:
    """:func:`explain_phrase` for each phrase (``kgraph resolve --explain PHRASE ...``)."""
    resolver = default_resolver(tuple(str(p) for p in actor_files))
    day = parse_date(date)
    for phrase in phrases:
        yield explain_phrase(phrase, date=day, resolver=resolver)


def resolve_phrases(
    phrases: Iterable[str],
    *,
    date: str | None = None,
    actor_files: Iterable[str | Path] = (),
) -> Iterator[dict[str, Any]]:
    """Resolve each phrase (the ``kgraph resolve PHRASE ... --date`` command)."""
    resolver = default_resolver(tuple(str(p) for p in actor_files))
    day = parse_date(date)
    for phrase in phrases:
        yield resolve_phrase(phrase, date=day, resolver=resolver)


def resolve_file(path: str | Path, *, actor_files: Iterable[str | Path] = ()) -> Iterator[dict[str, Any]]:
    """Resolve the ``text`` of each JSON line of ``path``, with its ``date``
    and ``context`` if present (``kgraph resolve --file cases.jsonl``).
    Results keep the case's ``id`` when it has one.

    Raises:
        InputError: naming the file and line of a bad line.
    """
    resolver = default_resolver(tuple(str(p) for p in actor_files))
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            text = case["text"]
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}:{number}: expected a JSON object with a \"text\" field") from None
        try:
            day = parse_date(case.get("date"))
        except InputError as err:
            raise InputError(f"{path}:{number}: {err}") from None
        result = resolve_phrase(text, date=day, context=case.get("context"), resolver=resolver)
        if "id" in case:
            result = {"case": case["id"], **result}
        yield result
