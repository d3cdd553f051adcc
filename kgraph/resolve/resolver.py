"""The actor resolver: dictionary lookups, role nouns and office holders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as _date
from functools import lru_cache
from pathlib import Path

from ..model import Actor
from .dictionary import ActorEntry, DatedPeople, NOT_AN_ACTOR, ROLE_TYPE, _Role, _is_acronym, _norm, package_entries, read_actor_file
from .matcher import _MentionFinder
from .phrase import _PhraseAnalysis


# States where "the leader" is the head of government, not of state.
_PARLIAMENTARY = {
    "ALB", "AUS", "BGR", "CAN", "CZE", "DEU", "ESP", "EST", "ETH", "GBR", "GRC", "HUN", "IND", "IRQ",
    "ISR", "ITA", "JPN", "LBN", "LBY", "MKD", "NLD", "PAK", "POL", "XKX", "ARM", "GEO", "SRB",
}


_LEADER_OFFICES = (
    "supreme leader", "leader", "president", "king", "emir", "sultan", "monarch",
    "prime minister", "premier", "chancellor", "military ruler",
)


class ActorResolver(_PhraseAnalysis, _MentionFinder):
    """Resolve phrases and document spans to actors.

    Args:
        entries: Dictionary entries; later entries override earlier ones.
    """

    def __init__(self, entries: Iterable[ActorEntry | DatedPeople]) -> None:
        self._by_pattern: dict[str, list[ActorEntry]] = {}
        self._today = _date.today().isoformat()
        self._roles: dict[str, _Role] = {}
        # Names of dated people not yet made into entries (see DatedPeople).
        self._pending: dict[str, DatedPeople] = {}
        self._by_lower: dict[str, list[ActorEntry]] = {}
        self._by_id: dict[str, Actor] = {}
        for entry in entries:
            if isinstance(entry, DatedPeople):
                for pattern in entry.rows:
                    key = _norm(pattern)
                    if key in self._by_pattern:
                        self._pending[key] = entry
                        self._expand(key)  # after the entries read before it
                    elif key not in self._pending:
                        self._by_pattern[key] = []
                        self._pending[key] = entry
                continue
            if entry.actor.type == ROLE_TYPE:
                offices = tuple(o for o in (entry.office or "").split(";") if o)
                # "CVL;OPP": the primary sector, then the secondary ones.
                sectors = [s for s in (entry.actor.sector or "").split(";") if s]
                source = f"{entry.file}:{entry.line}" if entry.file else ""
                if entry.actor.label != entry.pattern:
                    source += f" ({entry.actor.label})"
                role = _Role(
                    entry.pattern, entry.actor.id == "ROLE:p", sectors[0] if sectors else None, offices,
                    tuple(sectors[1:]), source,
                )
                self._roles[_norm(entry.pattern).lower()] = role
                continue
            key = _norm(entry.pattern)
            if key in self._pending:
                self._expand(key)  # a later file's line comes after them
            self._add(key, entry)
        self._by_lower = {}
        self._places_by_length: dict[int, list[str]] | None = None
        self._roles_by_length: dict[int, list[str]] | None = None
        self._squashed_roles: dict[str, list[str]] | None = None
        self._role_starts: frozenset[str] | None = None
        self._offices: dict[str, list[ActorEntry]] = {}
        for pattern, bucket in self._by_pattern.items():
            for entry in bucket:
                if entry.office:
                    self._offices.setdefault(entry.office.lower(), []).append(entry)
            if not _is_acronym(pattern):
                self._by_lower.setdefault(pattern.lower(), []).extend(bucket)
        self._pending_lower = {k.lower(): k for k in self._pending if not _is_acronym(k)}
        self._by_id = {}
        self._states: dict[str, Actor] | None = None
        for bucket in self._by_pattern.values():
            for entry in bucket:
                known = self._by_id.get(entry.actor.id)
                # A state's own entry (no sector) over its capital's (GOV).
                if known is None or (known.sector and not entry.actor.sector):
                    self._by_id[entry.actor.id] = entry.actor
        self._matchers: dict[int, object] = {}
        self._pattern_orths: list[tuple[int, ...]] | None = None
        self._phrase_index: dict[tuple[str, ...], list[str]] | None = None

    def _add(self, key: str, entry: ActorEntry) -> None:
        """Add an entry: it replaces one of the same pattern and period."""
        bucket = self._by_pattern.setdefault(key, [])
        bucket[:] = [e for e in bucket if (e.start, e.end) != (entry.start, entry.end)]
        bucket.append(entry)

    def _expand(self, key: str) -> None:
        """Make the entries of a pending dated person's name."""
        source = self._pending.pop(key)
        for entry in source.entries(key):
            self._add(key, entry)
            if not _is_acronym(key):
                self._by_lower.setdefault(key.lower(), []).append(entry)
            self._by_id.setdefault(entry.actor.id, entry.actor)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path] = (), *, defaults: bool = True) -> ActorResolver:
        """The package dictionaries (unless ``defaults=False``) plus ``paths``."""
        entries: list[ActorEntry] = package_entries() if defaults else []
        for path in paths:
            entries.extend(read_actor_file(path))
        return cls(entries)

    @property
    def patterns(self) -> list[str]:
        return sorted(self._by_pattern)

    def lookup(self, text: str, *, date: str | None = None, exact: bool = True) -> Actor | None:
        """The actor an exact alias names on ``date``, or ``None``.

        With ``exact=False`` case is ignored, except for acronyms ("CAR" is
        not "car").
        """
        found = self.entry(text, date=date, exact=exact)
        return found.actor if found is not None else None

    def entry(self, text: str, *, date: str | None = None, exact: bool = True) -> ActorEntry | None:
        """The dictionary entry :meth:`lookup` takes its actor from.

        Of the entries valid on ``date``, the last read wins (a user file over
        the package). With no date, the entries valid today win, so that an
        open range ("president since 2012") counts up to today; if none is,
        the last entry does.
        """
        key = _norm(text)
        if key in self._pending:
            self._expand(key)
        candidates = self._by_pattern.get(key) if exact else None
        if not candidates and not exact:
            pending = self._pending_lower.get(key.lower())
            if pending is not None and pending in self._pending:
                self._expand(pending)
            candidates = self._by_pattern.get(key) or self._by_lower.get(key.lower(), [])
        if not candidates:
            return None
        if date is None:
            valid = [e for e in candidates if e.valid_on(self._today)] or candidates
        else:
            valid = [e for e in candidates if e.valid_on(date)]
        if not valid or valid[-1].actor.id == NOT_AN_ACTOR:
            return None
        return valid[-1]

    @property
    def states(self) -> dict[str, Actor]:
        """Every state actor by its ISO code, for events whose state is only
        implied (a domestic protest's target)."""
        if self._states is None:
            self._states = {k: a for k, a in self._by_id.items() if a.type == "country" and a.id == a.country}
        return self._states

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id (a state as itself, without a sector), or ``None``."""
        return self._by_id.get(actor_id)

    @property
    def role_starts(self) -> frozenset[str]:
        """Lower-cased first words of the role nouns, as a token may show them."""
        if self._role_starts is None:
            starts = set()
            for key in self._roles:
                first = key.split()[0]
                starts.update((first, first.rstrip("."), first.split("-")[0], first.split("'")[0]))
            self._role_starts = frozenset(starts)
        return self._role_starts

    def role(self, text: str) -> _Role | None:
        """The role noun ``text`` is ("army", "foreign minister"), or ``None``."""
        return self._roles.get(_norm(text).lower())

    def office_holder(self, country: str, role: _Role, *, date: str | None) -> Actor | None:
        """The person holding the office a role noun names in ``country`` on ``date``."""
        offices = list(role.offices)
        if "@leader" in offices:
            order = list(_LEADER_OFFICES)
            if country in _PARLIAMENTARY:
                order.sort(key=lambda o: o not in ("prime minister", "premier", "chancellor"))
            offices = order
        for office in offices:
            valid = [e for e in self._offices.get(f"{country}:{office}".lower(), []) if e.valid_on(date)]
            if date is None:
                valid = [e for e in valid if not e.end]  # today's holder
            if valid:
                return valid[-1].actor
        return None

    # -- phrases -----------------------------------------------------------

    # -- documents ---------------------------------------------------------


@lru_cache(maxsize=8)
def default_resolver(extra: tuple[str, ...] = ()) -> ActorResolver:
    """The package dictionaries plus user files, built once per process."""
    return ActorResolver.from_files(extra)
