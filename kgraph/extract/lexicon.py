"""The event lexicon: verbs and nouns that state a PLOVER event.

Read from ``kgraph/data/lexicon.tsv`` (and any user file in the same format):
``lemma  pos  relation  target_preps  particle``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..vocab import PLOVER

__all__ = ["LexEntry", "Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class LexEntry:
    """One trigger word: ``lemma`` as ``pos`` states ``relation``.

    Attributes:
        target_preps: Prepositions introducing the target (``("with",)``);
            empty when only the direct object is the target.
        particle: Required particle of a phrasal verb (``"out"`` in "pull out").
    """

    lemma: str
    pos: str
    relation: str
    target_preps: tuple[str, ...] = ()
    particle: str = ""


class Lexicon:
    """Trigger lookup by lemma and part of speech."""

    def __init__(self, entries: list[LexEntry]) -> None:
        self._entries: dict[tuple[str, str], list[LexEntry]] = {}
        for entry in entries:
            bucket = self._entries.setdefault((entry.lemma, entry.pos), [])
            bucket[:] = [e for e in bucket if e.particle != entry.particle]
            # Entries that need a particle are tried first.
            bucket.append(entry)
            bucket.sort(key=lambda e: e.particle == "")

    def __len__(self) -> int:
        return sum(len(b) for b in self._entries.values())

    def lookup_any(self, lemmas, pos: str, particles: frozenset[str] = frozenset()) -> LexEntry | None:
        """The entry of the first of ``lemmas`` that has one."""
        for lemma in lemmas:
            entry = self.lookup(lemma, pos, particles)
            if entry is not None:
                return entry
        return None

    def lookup(self, lemma: str, pos: str, particles: frozenset[str] = frozenset()) -> LexEntry | None:
        """The entry for ``lemma``/``pos`` whose particle (if any) is among
        ``particles``."""
        for entry in self._entries.get((lemma.lower(), pos), ()):
            if not entry.particle or entry.particle in particles:
                return entry
        return None

    @classmethod
    def from_files(cls, paths: tuple[str | Path, ...] = (), *, defaults: bool = True) -> Lexicon:
        entries: list[LexEntry] = []
        if defaults:
            entries.extend(_read(Path(str(resources.files("kgraph") / "data" / "lexicon.tsv"))))
        for path in paths:
            entries.extend(_read(Path(path)))
        return cls(entries)


def _read(path: Path) -> list[LexEntry]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as err:
        raise InputError(f"cannot read lexicon {path}: {err.strerror}") from None
    entries = []
    with handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or not row[0].strip() or row[0].startswith("#") or row[0] == "lemma":
                continue
            row = [cell.strip() for cell in row] + [""] * (5 - len(row))
            lemma, pos, relation, preps, particle = row[:5]
            if pos not in ("VERB", "NOUN"):
                raise InputError(f"{path}:{number}: part of speech {pos!r} is not VERB or NOUN")
            if relation not in PLOVER:
                raise InputError(
                    f"{path}:{number}: relation {relation!r} is not a PLOVER type; expected one of "
                    + ", ".join(PLOVER)
                )
            targets = tuple(p for p in preps.split(",") if p and p != "-")
            entries.append(LexEntry(lemma.lower(), pos, relation, targets, particle))
    return entries


@lru_cache(maxsize=4)
def load_lexicon(paths: tuple[str, ...] = ()) -> Lexicon:
    """The package lexicon plus user files, loaded once per process."""
    return Lexicon.from_files(paths)
