"""``events.jsonl``: one extracted event per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..graph import event_to_dict
from ..io import atomic_write
from ..model import Actor, Event

__all__ = ["write_events", "write_event_lines", "event_line", "read_events", "event_from_dict"]


def event_line(event: Event) -> str:
    """One event as its ``events.jsonl`` line (without the newline): the
    record of :func:`kgraph.graph.event_to_dict` and ``sentence_marked``, the
    whole sentence with the evidence span between ``⟦`` and ``⟧``."""
    record = event_to_dict(event)
    record["sentence_marked"] = event.sentence_marked
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def write_events(events: Iterable[Event], path: str | Path) -> int:
    """Write events as JSON Lines (atomically); returns the number written."""
    return write_event_lines(map(event_line, events), path)


def write_event_lines(lines: Iterable[str], path: str | Path) -> int:
    """Write lines made by :func:`event_line` (atomically); returns the number written."""
    count = 0
    with atomic_write(path) as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    return count


def _actor(record: dict) -> Actor:
    return Actor(
        id=record["id"],
        label=record.get("label") or record["id"],
        type=record.get("type") or "country",
        country=record.get("country"),
        sector=record.get("sector"),
    )


def event_from_dict(record: dict) -> Event:
    """The inverse of :func:`kgraph.graph.event_to_dict`."""
    return Event(
        doc_id=record["doc_id"],
        source=_actor(record["source"]),
        relation=record["relation"]["plover"],
        target=_actor(record["target"]),
        sentence=record.get("sentence", ""),
        start=record.get("start", 0),
        end=record.get("end", 0),
        evidence=record.get("evidence", ""),
        evidence_start=record.get("evidence_start", 0),
        evidence_end=record.get("evidence_end", 0),
        date=record.get("date"),
        confidence=record.get("confidence", 1.0),
        source_text=record.get("source_text", ""),
        target_text=record.get("target_text", ""),
        extractor=record.get("extractor", ""),
        attribution=_actor(record["attribution"]) if record.get("attribution") else None,
        trigger_start=record.get("trigger_start", 0),
        trigger_end=record.get("trigger_end", 0),
    )


def read_events(path: str | Path) -> Iterator[Event]:
    """Read an ``events.jsonl`` file.

    Raises:
        InputError: naming the file and line of a malformed record.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield event_from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise InputError(f"{path}:{number}: not an event record ({err})") from None
