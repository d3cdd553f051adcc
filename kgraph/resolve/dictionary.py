"""Actor dictionaries: the file format, the entries and the package data files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as _date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Actor

if TYPE_CHECKING:
    from .resolver import ActorResolver


MENTIONS_KEY = "kgraph_actors"


#: The id of dictionary lines that name no actor: seas and regions shared by
#: several states ("Persian Gulf", "the Sahel"), listed so that a shorter
#: alias inside them ("Persian") does not match.
NOT_AN_ACTOR = "-"


_BLOCKED = Actor(id=NOT_AN_ACTOR, label="", type="none")


_COLUMNS = ("pattern", "id", "label", "type", "country", "sector", "start", "end", "office")


ROLE_TYPE = "role"

#: Sectors of agent nouns that name no actor: NGEC's natural disasters
#: ("earthquake", JNK) and its "common junk patterns" (weekdays, "the West",
#: NON). A phrase reports them; in a document they make no actor.
NON_ACTOR_SECTORS = frozenset({"JNK", "NON"})


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary line: an alias of an actor, valid in a period."""

    pattern: str
    actor: Actor
    start: str | None = None
    end: str | None = None
    office: str | None = None
    #: Where the line comes from (file name and line number), for ``--explain``.
    file: str = ""
    line: int = 0

    def valid_on(self, date: str | None) -> bool:
        if date is None:
            return True
        if self.start and date < self.start:
            return False
        if self.end and date > self.end:
            return False
        return True


@dataclass(frozen=True)
class _Role:
    pattern: str
    person: bool
    sector: str | None
    offices: tuple[str, ...] = ()
    #: Sectors after the primary one ("opposition activists", NGEC ``~CVLOPP``: OPP).
    secondary: tuple[str, ...] = ()
    #: The dictionary entry it comes from ("NGEC: FARMER [~AGR]", "roles.tsv:12").
    source: str = ""


def actor_file_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The rows of an actor file with their line numbers: comments, blank
    lines and the header (the first row, if it starts with ``pattern``) left
    out. The one reader of the format, for loading and for validation.

    Raises:
        InputError: if the file cannot be read or is not UTF-8.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise InputError(f"cannot read actor file {path}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"cannot read actor file {path}: not UTF-8 (byte offset {err.start})") from None
    header = True  # the first row after the comments may be the header
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        row = line.split("\t")
        if header:
            header = False
            if row[0] == "pattern":
                continue
        yield number, row


def read_actor_file(path: str | Path) -> list[ActorEntry]:
    """Read a dictionary file in the format described in the module docstring.

    Raises:
        InputError: naming the file and line of a malformed row.
    """
    path = Path(path)
    entries = []
    name = path.name
    actors: dict[tuple, Actor] = {}  # one object per distinct actor
    for number, row in actor_file_rows(path):
        if len(row) < 3 or not row[1].strip():
            raise InputError(
                f"{path}:{number}: expected at least 3 tab-separated columns "
                f"({', '.join(_COLUMNS)}) with an id, got {row!r}"
            )
        cells = [cell.strip() or None for cell in row[: len(_COLUMNS)]]
        cells += [None] * (len(_COLUMNS) - len(cells))
        pattern, id_, label, type_, country, sector, start, end, office = cells
        for column, value in (("start", start), ("end", end)):
            if value and not _is_iso_date(value):
                raise InputError(f"{path}:{number}: {column} {value!r} is not a date; expected YYYY-MM-DD")
        key = (id_, label or pattern, type_ or "country", country, sector)
        actor = actors.get(key)
        if actor is None:
            actor = actors[key] = Actor(id=key[0], label=key[1], type=key[2], country=country, sector=sector)
        entries.append(ActorEntry(pattern, actor, start, end, office, name, number))
    return entries


def _is_iso_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        _date.fromisoformat(value)
    except ValueError:
        return False
    return True


#: Package files converted from the field's dictionaries (tools/convert_sources.py),
#: read before the hand-written lists so that those override them.
GENERATED_FIRST = ("agents.tsv", "phoenix_groups.tsv")
#: Office holders with dated roles (PETRARCH2's Phoenix.Countries.actors.txt),
#: read right after the hand-written leaders.tsv: where the two disagree, the
#: dated entry wins.
DATED_PEOPLE = "phoenix_people.tsv"


def _package_files() -> list[Path]:
    folder = resources.files("kgraph") / "data" / "actors"
    files = [Path(str(p)) for p in folder.iterdir() if p.name.endswith(".tsv")]
    return sorted(files, key=lambda p: (p.name not in GENERATED_FIRST, p.name))


def package_entries() -> list[ActorEntry | DatedPeople]:
    """Every entry of the package dictionaries, in the order they override
    each other: the field's agent nouns and armed groups, the hand-written
    lists (alphabetically), and the dated office holders after leaders.tsv
    (as one :class:`DatedPeople`, whose entries are made when looked up)."""
    entries: list[ActorEntry | DatedPeople] = []
    for path in _package_files():
        entries.extend(read_actor_file(path))
        if path.name == "leaders.tsv":
            entries.append(read_dated_people(Path(str(resources.files("kgraph") / "data" / DATED_PEOPLE))))
    return entries


@dataclass(frozen=True)
class DatedPeople:
    """The dated office holders of a file, read lazily: only the names are
    split at start; the entries of a name are made the first time it is
    looked up (about 44,000 entries, most never needed by a document).

    ``rows`` maps each name to the (line number, line) of its person.
    """

    file: str
    rows: dict[str, tuple[int, str]]

    def entries(self, pattern: str) -> list[ActorEntry]:
        """The entries of one name, a period each, in the file's order.

        Raises:
            InputError: naming the file and line of a malformed period.
        """
        number, line = self.rows[pattern]
        names, actor_id, country, periods = line.split("\t")
        label = names.split("|", 1)[0]
        entries = []
        for period in periods.split():
            sector, at, dates = period.partition("@")
            start, dots, end = dates.partition("..")
            if not at or not dots or start and not _is_iso_date(start) or end and not _is_iso_date(end):
                raise InputError(f"{self.file}:{number}: period {period!r} is not SECTOR@YYYY-MM-DD..YYYY-MM-DD")
            actor = Actor(actor_id, label, "person", country, sector or None)
            entries.append(ActorEntry(pattern, actor, start or None, end or None, None, self.file, number))
        return entries


def read_dated_people(path: str | Path) -> DatedPeople:
    """Read the dated office holders (kgraph/data/phoenix_people.tsv): one
    person a line, ``names<TAB>id<TAB>country<TAB>periods``, names
    ``|``-separated (the first is the label), periods ``SECTOR@start..end``
    separated by spaces (ISO dates; empty = open; empty sector = none known).

    Raises:
        InputError: naming the file and line of a row without four columns.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read dated people file {path}: {err}") from None
    rows: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.startswith("#") or line.startswith("names\t"):
            continue
        if line.count("\t") != 3:
            raise InputError(f"{path}:{number}: expected names, id, country and periods, got {line!r}")
        for name in line.split("\t", 1)[0].split("|"):
            rows.setdefault(name, (number, line))
    return DatedPeople(path.name, rows)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def _is_acronym(pattern: str) -> bool:
    letters = [c for c in pattern if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


@lru_cache(maxsize=1)
def _towns() -> dict[str, str]:
    """Town name -> state, from kgraph/data/towns.tsv (GeoNames towns)."""
    text = (resources.files("kgraph") / "data" / "towns.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return dict(rows[1:])  # after the header


def _with_sector(actor: Actor, sector: str | None) -> Actor:
    return Actor(actor.id, actor.label, actor.type, actor.country, sector)


def _composite(resolver: ActorResolver, country: str, sector: str | None) -> Actor:
    """A part of a state or organisation: ``SYR.MIL`` "Syria (MIL)"."""
    state = resolver.actor(country)
    label = state.label if state is not None else country
    if country.startswith("ORG:"):
        return _with_sector(state or Actor(country, country, "organization"), sector)
    if not sector:
        return state or Actor(country, label, "country", country)
    return Actor(f"{country}.{sector}", f"{label} ({sector})", "organization", country, sector)


@lru_cache(maxsize=1)
def _genders() -> tuple[dict[str, str], dict[str, str]]:
    """Gender of each listed person by id, and of the given names borne by
    one gender only (kgraph/data/gender.tsv)."""
    people: dict[str, str] = {}
    given: dict[str, str] = {}
    text = (resources.files("kgraph") / "data" / "gender.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("kind\t"):
            continue
        kind, value, gender = line.split("\t")
        (people if kind == "person" else given)[value] = gender
    return people, given
