"""Actor resolution: find the actors a parsed document mentions.

Dictionaries are tab-separated files (``kgraph/data/actors/*.tsv`` and any
file the user adds with ``--actors``), one alias per line::

    pattern<TAB>id<TAB>label<TAB>type<TAB>country<TAB>sector<TAB>start<TAB>end[<TAB>office]

``pattern`` is the text as it appears in news (``Moscow``, ``Lavrov``,
``the Kremlin``); ``id`` the actor it names: ISO 3166-1 alpha-3 for states
(``RUS``), ``ORG:NATO`` for international organisations, a slug such as
``RUS.PER.sergey-lavrov`` for persons and groups; ``type`` one of
``country``, ``person``, ``organization``, ``group``; ``country`` the
alpha-3 code of the state the actor belongs to or acts for (empty for
international organisations); ``sector`` a PLOVER/NGEC-style code (``GOV``,
``MIL``, ``REB``, ``COP``, ``LEG``, ``JUD``, ``SPY``, ``PTY``, ``OPP``, ``BUS``,
``JRN`` media, ``MED`` medical, ``CVL``, ``IGO``, ``ELI`` former officials …);
``start``/``end`` (ISO dates, optional, inclusive) the period in which the
line holds, for office holders; ``office`` (optional) the office held then,
as ``COUNTRY:office`` (``TUR:president``), so that "the Turkish president"
finds its holder on the article's date.

Rows of type ``role`` are role nouns, not actors: ``army``, ``foreign
minister``, ``state media``; a state or organisation next to one names a part
of it ("the Syrian army" → ``SYR.MIL``). Their id is ``ROLE:p`` for a person
(the ``office`` column then lists the offices it can name, ``;``-separated,
``@leader`` for the head of state or government) or ``ROLE:g`` for a body.

Lines starting with ``#`` and a header line starting with ``pattern`` are
skipped. A later file overrides an earlier one for the same pattern and
period, so a user file wins over the package dictionaries, e.g.::

    pattern	id	label	type	country	sector	start	end
    Wagner	RUS.GRP.wagner	Wagner Group	group	RUS	MIL
    Jane Doe	GBR.PER.jane-doe	Jane Doe	person	GBR	GOV	2024-07-05

Example:
    >>> resolver = default_resolver()
    >>> resolver.resolve("the Kremlin").country
    'RUS'
    >>> resolve_phrase("Syrian army", resolver=resolver)["sector"]
    'MIL'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date as _date
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .model import Actor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "ActorEntry",
    "ActorResolver",
    "Mention",
    "MENTIONS_KEY",
    "REFERRING_WORDS",
    "annotate",
    "default_resolver",
    "iter_mentions",
    "parse_date",
    "read_actor_file",
    "resolve_file",
    "resolve_phrase",
    "resolve_phrases",
]

MENTIONS_KEY = "kgraph_actors"
# Titles written before a name that the role dictionary does not list.
_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "maj", "capt", "adm", "rep", "sen", "gov",
    "sir", "dame", "lord", "lady", "sheikh", "emir", "king", "queen", "prince", "princess",
    "sultan", "ayatollah", "pope", "imam", "rabbi", "saint", "st", "crown", "former", "late",
    "president", "premier", "chancellor", "minister", "secretary", "senator", "governor", "mayor",
    "general", "judge", "justice", "speaker", "chairman", "chairwoman", "envoy", "ambassador",
})
#: The id of dictionary lines that name no actor: seas and regions shared by
#: several states ("Persian Gulf", "the Sahel"), listed so that a shorter
#: alias inside them ("Persian") does not match.
NOT_AN_ACTOR = "-"
_BLOCKED = Actor(id=NOT_AN_ACTOR, label="", type="none")
_COLUMNS = ("pattern", "id", "label", "type", "country", "sector", "start", "end", "office")
ROLE_TYPE = "role"

# Pronouns and nominals that refer back to an actor named before.
PERSON_PRONOUNS = {"he", "she", "him"}
STATE_NOMINALS = {"country", "nation"}
# "it"/"its" name a state or organisation, "they"/"them"/"their" a plural or
# coordinated actor: "Uganda said it had paid", "the rebels said they would".
SINGULAR_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their"}
_OBJECT_PRONOUNS = {"them"}
# Every word that may take its actor from an earlier sentence.
REFERRING_WORDS = frozenset(PERSON_PRONOUNS | STATE_NOMINALS | SINGULAR_PRONOUNS | PLURAL_PRONOUNS)
# Dependencies that open a clause under another: a pronoun there may refer to
# the subject above ("Nigeria announced that it will withdraw").
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "conj"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Verbs climbed from a pronoun looking for its antecedent.
_CLIMB_LIMIT = 4
# Sentences back that a pronoun or nominal may reach.
PRONOUN_WINDOW = 3
NOMINAL_WINDOW = 5
# Lower-case particles that belong to a surname: "Di Maio", "von der Leyen".
SURNAME_PARTICLES = {"di", "de", "da", "del", "della", "le", "la", "van", "von", "der", "al", "el", "bin", "ben", "abu"}
# Prepositions after which a state is the target, not the owner:
# "Russia's ambassador to Poland".
_TARGET_PREPS = {"to", "against", "with", "from", "toward", "towards", "on"}
# An organisation's own sector wins over the role noun of its head for these:
# "president of the Riigikogu" is a legislator.
_BODY_SECTORS = {"LEG", "JUD", "MIL", "SPY", "COP", "EDU", "PTY", "REL", "REB", "PRM", "MED", "LAB"}
# Sectors too vague to be the head of a phrase when a better role is present.
_WEAK_SECTORS = {"UNK"}
# Heads that take their sector from a modifier role before them.
_GENERIC_HEADS = {"leader", "leaders", "community leader", "community leaders", "figure", "figures"}
# Words that end a noun phrase's head: the head role comes before them.
_CHUNK_BREAKS = {"of", "in", "at", "to", "from", "for", "with", "on", "across", "near", "by", ",", "against"}
_PLACE_PREFIXES = {"st", "st.", "saint", "san", "santa", "fort", "port", "mount", "mt", "lake", "cape"}
_FORMER = {"former", "ex", "ex-", "then", "late", "retired", "onetime", "one-time"}
_LOCATIVE_PREPS = {"in", "at", "across", "near", "inside", "outside", "around", "throughout"}
# States where "the leader" is the head of government, not of state.
_PARLIAMENTARY = {
    "ALB", "AUS", "BGR", "CAN", "CZE", "DEU", "ESP", "EST", "ETH", "GBR", "GRC", "HUN", "IND", "IRQ",
    "ISR", "ITA", "JPN", "LBN", "LBY", "MKD", "NLD", "PAK", "POL", "XKX", "ARM", "GEO", "SRB",
}
_LEADER_OFFICES = (
    "supreme leader", "leader", "president", "king", "emir", "sultan", "monarch",
    "prime minister", "premier", "chancellor", "military ruler",
)


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary line: an alias of an actor, valid in a period."""

    pattern: str
    actor: Actor
    start: str | None = None
    end: str | None = None
    office: str | None = None

    def valid_on(self, date: str | None) -> bool:
        if date is None:
            return True
        if self.start and date < self.start:
            return False
        if self.end and date > self.end:
            return False
        return True


@dataclass(frozen=True)
class Mention:
    """A span of a document resolved to an actor (token offsets)."""

    start: int
    end: int
    actor: Actor
    text: str


@dataclass(frozen=True)
class _Role:
    pattern: str
    person: bool
    sector: str | None
    offices: tuple[str, ...] = ()


def read_actor_file(path: str | Path) -> list[ActorEntry]:
    """Read a dictionary file in the format described in the module docstring.

    Raises:
        InputError: naming the file and line of a malformed row.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise InputError(f"cannot read actor file {path}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"cannot read actor file {path}: not UTF-8 (byte offset {err.start})") from None
    entries = []
    actors: dict[tuple, Actor] = {}  # one object per distinct actor
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
        entries.append(ActorEntry(pattern, actor, start, end, office))
    return entries


def _is_iso_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        _date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _package_files() -> list[Path]:
    folder = resources.files("kgraph") / "data" / "actors"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".tsv"))


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def _is_acronym(pattern: str) -> bool:
    letters = [c for c in pattern if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


class ActorResolver:
    """Resolve phrases and document spans to actors.

    Args:
        entries: Dictionary entries; later entries override earlier ones.
    """

    def __init__(self, entries: Iterable[ActorEntry]) -> None:
        self._by_pattern: dict[str, list[ActorEntry]] = {}
        self._roles: dict[str, _Role] = {}
        for entry in entries:
            if entry.actor.type == ROLE_TYPE:
                offices = tuple(o for o in (entry.office or "").split(";") if o)
                role = _Role(entry.pattern, entry.actor.id == "ROLE:p", entry.actor.sector, offices)
                self._roles[_norm(entry.pattern).lower()] = role
                continue
            bucket = self._by_pattern.setdefault(_norm(entry.pattern), [])
            bucket[:] = [e for e in bucket if (e.start, e.end) != (entry.start, entry.end)]
            bucket.append(entry)
        self._by_lower: dict[str, list[ActorEntry]] = {}
        self._places_by_length: dict[int, list[str]] | None = None
        self._role_starts: frozenset[str] | None = None
        self._offices: dict[str, list[ActorEntry]] = {}
        for pattern, bucket in self._by_pattern.items():
            for entry in bucket:
                if entry.office:
                    self._offices.setdefault(entry.office.lower(), []).append(entry)
            if not _is_acronym(pattern):
                self._by_lower.setdefault(pattern.lower(), []).extend(bucket)
        self._by_id: dict[str, Actor] = {}
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

    @classmethod
    def from_files(cls, paths: Iterable[str | Path] = (), *, defaults: bool = True) -> ActorResolver:
        """The package dictionaries (unless ``defaults=False``) plus ``paths``."""
        entries: list[ActorEntry] = []
        if defaults:
            for path in _package_files():
                entries.extend(read_actor_file(path))
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
        key = _norm(text)
        candidates = self._by_pattern.get(key) if exact else None
        if not candidates and not exact:
            candidates = self._by_pattern.get(key) or self._by_lower.get(key.lower(), [])
        valid = [e for e in candidates or () if e.valid_on(date)]
        if not valid or valid[-1].actor.id == NOT_AN_ACTOR:
            return None
        return valid[-1].actor

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

    def _index(self) -> dict[tuple[str, ...], list[str]]:
        """Lower-cased token tuples of every alias and role noun."""
        if self._phrase_index is None:
            index: dict[tuple[str, ...], list[str]] = {}
            for pattern in list(self._by_pattern) + list(self._roles):
                index.setdefault(tuple(_words(pattern.lower())), []).append(pattern)
            self._phrase_index = index
        return self._phrase_index

    def analyse(self, phrase: str, *, date: str | None = None, context: str | None = None) -> _Analysis:
        """Resolve a free phrase to an actor, a country and a sector."""
        words = _words(_norm(phrase))
        lower = [w.lower() for w in words]
        index = self._index()
        longest = max((len(k) for k in index), default=1)
        actors: list[tuple[int, int, Actor]] = []
        roles: list[tuple[int, int, _Role]] = []
        i = 0
        while i < len(words):
            for size in range(min(longest, len(words) - i), 0, -1):
                key = tuple(lower[i : i + size])
                text = " ".join(words[i : i + size])
                if key not in index and key[-1].endswith("'s"):
                    # "Russia's army": the possessive is not part of the name.
                    key = key[:-1] + (key[-1][:-2],)
                    text = text[:-2]
                if key not in index:
                    continue
                role = self._role_of(text, index[key])
                if not (text[:1].isupper() or text[:1].isdigit()) and role is None:
                    # A lower-case word is not a name: "car-borne youths" is not Borne.
                    continue
                actor = self._phrase_actor(text, index[key], date)
                before = lower[i - 2] if i > 1 and lower[i - 1] == "." else lower[i - 1] if i else ""
                if actor is not None and actor.type == "person" and before in _PLACE_PREFIXES:
                    actor = None  # "St. Andrews", "Port Elizabeth": a place named after someone
                if actor is not None:
                    actors.append((i, i + size, actor))
                    i += size
                    break
                if role is not None and not (_is_acronym(role.pattern) and text != role.pattern):
                    roles.append((i, i + size, role))
                    i += size
                    break
            else:
                i += 1
        return self._decide(words, actors, roles, date=date, context=context)

    def _role_of(self, text: str, patterns: list[str]) -> _Role | None:
        """The role noun of words split from ``text``: "Sen ." is the title "Sen."."""
        role = self.role(text)
        if role is None:
            role = next((r for r in map(self.role, patterns) if r is not None), None)
        return role

    def _phrase_actor(self, text: str, patterns: list[str], date: str | None) -> Actor | None:
        exact = self.lookup(text, date=date)
        if exact is not None:
            return exact
        if text.isupper() and len(text) > 5 or not any(_is_acronym(p) for p in patterns):
            return self.lookup(text, date=date, exact=False)
        return None

    def _misspelt_place(self, word: str) -> Actor | None:
        """The state or place a capitalised word misspells by one letter or
        one swap ("Pakistna army"), when the names that close are all in one
        state."""
        if len(word) < 5 or not word[:1].isupper() or not word.isalpha():
            return None
        if self._places_by_length is None:
            by_length: dict[int, list[str]] = {}
            for pattern, entries in self._by_pattern.items():
                if pattern.isalpha() and pattern[:1].isupper() and entries[-1].actor.type == "country":
                    by_length.setdefault(len(pattern), []).append(pattern)
            self._places_by_length = by_length
        close = {
            p
            for n in (len(word) - 1, len(word), len(word) + 1)
            for p in self._places_by_length.get(n, ())
            if _one_edit(word, p)
        }
        found = {a.country: a for a in map(self.lookup, sorted(close)) if a is not None}
        if len(found) != 1:
            return None
        return found.popitem()[1]

    def _decide(self, words, actors, roles, *, date, context) -> _Analysis:
        persons = [a for a in actors if a[2].type == "person"]
        if persons:
            start, _end, person = persons[0]
            title = [r for r in roles if r[1] == start]
            if title and person.sector in (None, "", "ELI") and not _FORMER & {w.lower() for w in words[:start]}:
                # "Foreign Minister Park Jin" out of the listed term: the text
                # calls him minister, so he acts as one.
                return _Analysis(_with_sector(person, title[0][2].sector))
            return _Analysis(person)
        role = _head_role(words, roles)
        owner = None
        for start, end, actor in actors:
            if start > 0 and words[start - 1].lower() in _TARGET_PREPS:
                continue
            owner = (start, end, actor)
            break
        if owner is None and actors:
            owner = actors[0]
        if owner is not None and owner[0] > 0 and words[owner[0] - 1].lower() in _LOCATIVE_PREPS:
            # "an amusement park in Kabul": a place, not its government.
            state = self.actor(owner[2].country or "") if owner[2].type == "country" else None
            if state is not None:
                owner = (owner[0], owner[1], state)
        if owner is None:
            country = None
            if context:
                found = self.analyse(context, date=date)
                country = found.country
            if country is None and role is not None and role[2].sector == "EDU":
                country = _town_of_institution(words, role)
            if country is None and role is not None and role[0] > 0:
                misspelt = self._misspelt_place(words[role[0] - 1])
                if misspelt is not None:
                    owner = (role[0] - 1, role[0], misspelt)
        if owner is None:
            if role is None:
                return _Analysis(None, country, None)
            if country and role[2].person:
                holder = self.office_holder(country, role[2], date=date)
                if holder is not None:
                    return _Analysis(holder)
            return _Analysis(_composite(self, country, role[2].sector) if country else None, country, role[2].sector)
        actor = owner[2]
        if actor.type in ("organization", "group") and actor.country is not None or actor.id.startswith("ORG:"):
            # "Boko Haram gunmen", "FSB, Russia's security service": the body itself;
            # "president of the European Council": its head.
            if role is not None and role[0] < owner[0] and actor.sector not in _BODY_SECTORS:
                return _Analysis(_with_sector(actor, role[2].sector))
            return _Analysis(actor)
        if role is None:
            return _Analysis(actor)
        country = actor.country or actor.id
        if role[2].person:
            holder = self.office_holder(country, role[2], date=date)
            if holder is not None:
                return _Analysis(holder)
        return _Analysis(_composite(self, country, role[2].sector))

    def resolve(self, phrase: str, *, date: str | None = None, context: str | None = None) -> Actor | None:
        """Resolve a free phrase ("Russia's foreign minister") to an actor.

        Finds the aliases and role nouns in the phrase: a known person wins;
        else a state or organisation, refined by a role noun ("the Syrian
        army" → ``SYR.MIL``; "Turkish President" on a date → its holder).
        ``context`` (a place or nationality) gives the state when the phrase
        names none.
        """
        return self.analyse(phrase, date=date, context=context).actor

    # -- documents ---------------------------------------------------------

    def _matcher(self, vocab) -> dict[int, list[tuple[tuple[int, ...], str]]]:
        """Patterns by the ORTH id of their first token, longest first.

        A plain dictionary of token-id tuples: building spaCy's PhraseMatcher
        for ~20,000 patterns adds a lexeme per unseen word to the vocab, which
        costs most of a small rebuild; ORTH ids are string hashes, the same
        whether or not the vocab holds the word.
        """
        key = id(vocab)
        if key not in self._matchers:
            index: dict[int, list[tuple[tuple[int, ...], str]]] = {}
            for pattern, orths in zip(self.patterns, self.pattern_orths(vocab)):
                if orths:
                    index.setdefault(orths[0], []).append((orths, pattern))
            for candidates in index.values():
                candidates.sort(key=lambda c: -len(c[0]))
            self._matchers[key] = index
        return self._matchers[key]

    def _matches(self, doc: Doc) -> Iterator[tuple[int, int, str]]:
        """(start, end, pattern) of every pattern occurring in ``doc``."""
        index = self._matcher(doc.vocab)
        orths = doc.to_array("ORTH").tolist() if len(doc) else []
        for i, orth in enumerate(orths):
            for tokens, pattern in index.get(orth, ()):
                end = i + len(tokens)
                if end <= len(orths) and tuple(orths[i:end]) == tokens:
                    yield i, end, pattern

    def pattern_orths(self, vocab=None) -> list[tuple[int, ...]]:
        """The ORTH ids (string hashes) of the tokens of each of :attr:`patterns`.

        The blank English tokenizer has the rules of the model's own, so
        patterns split exactly as running text does. Tokenizing ~10,000
        patterns is a large part of a small rebuild: the result can be
        stored and given back with :meth:`use_pattern_orths`.
        """
        if self._pattern_orths is None:
            from spacy.lang.en import English

            tokenizer = (English(vocab=vocab) if vocab is not None else English()).tokenizer
            self._pattern_orths = [tuple(t.orth for t in doc) for doc in tokenizer.pipe(self.patterns)]
        return self._pattern_orths

    def use_pattern_orths(self, orths: list[tuple[int, ...]]) -> None:
        """Take :meth:`pattern_orths` computed earlier for the same patterns
        and spaCy version (the caller keys them so)."""
        if len(orths) != len(self._by_pattern):
            raise ValueError(f"expected the tokens of {len(self._by_pattern)} patterns, got {len(orths)}")
        self._pattern_orths = [tuple(o) for o in orths]

    def mentions(self, doc: Doc, *, date: str | None = None) -> list[Mention]:
        """Find dictionary mentions in a document, longest match first."""
        from spacy.util import filter_spans

        spans = []
        for start, end, pattern in self._matches(doc):
            span = doc[start:end]
            actor = self.lookup(pattern, date=date)
            if actor is None and self._blocks(pattern, date):
                # "Persian Gulf" names no state: it wins over "Persian"
                # as the longer match, then is dropped.
                actor = _BLOCKED
            if actor is not None:
                spans.append((span, actor))
        by_span = {(s.start, s.end): a for s, a in spans}
        kept = filter_spans([s for s, _ in spans])
        covered = {i for s in kept for i in range(s.start, s.end)}
        states = {i: by_span[(s.start, s.end)] for s in kept for i in range(s.start, s.end)}
        kept = [
            s
            for s in kept
            if not _of_another_state(s, by_span[(s.start, s.end)], states)
            and not _local_acronym(s, by_span[(s.start, s.end)], states)
        ]
        return [
            Mention(s.start, s.end, by_span[(s.start, s.end)], s.text)
            for s in kept
            if by_span[(s.start, s.end)] is not _BLOCKED
            and not self._inside_name(s, covered, person=by_span[(s.start, s.end)].type == "person")
        ]

    def _inside_name(self, span: Span, covered: set[int], *, person: bool) -> bool:
        """Whether a match is part of a longer, unknown proper name: "Bibi"
        in "Bushra Bibi", "Flores" in "Cilia Flores", "Mahdi" in "Abu Mahdi
        al-Muhandis". A title before it ("President Trump") or a known name
        is no bar."""
        if span.end - span.start > 1:
            return False
        doc = span.doc
        if span.start > 0 and span.start - 1 in covered:
            return False
        if span.end < len(doc) and span.end in covered:
            return False
        return _embedded_in_name(span, self, person=person)

    def _blocks(self, pattern: str, date: str | None) -> bool:
        valid = [e for e in self._by_pattern.get(_norm(pattern), ()) if e.valid_on(date)]
        return bool(valid) and valid[-1].actor.id == NOT_AN_ACTOR


@dataclass(frozen=True)
class _Analysis:
    actor: Actor | None
    country: str | None = None
    sector: str | None = None

    def __post_init__(self) -> None:
        if self.actor is not None:
            object.__setattr__(self, "country", self.actor.country or self.country)
            object.__setattr__(self, "sector", self.actor.sector)


_WORD = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|[\w][\w'\-.]*[\w]|[\w]|[^\w\s]")


def _words(text: str) -> list[str]:
    """Split like news text: keep "U.S.", "al-Assad", "N'Djamena", "People's";
    "Somalia-based" gives "Somalia", "based"."""
    words = []
    for word in _WORD.findall(text):
        if word in ("'s", "'"):
            continue
        base, dash, suffix = word.rpartition("-")
        if dash and suffix.lower() in ("based", "born"):
            words.extend((base, suffix))
            continue
        words.append(word)
    return words


def _head_role(words: list[str], roles: list[tuple[int, int, _Role]]) -> tuple[int, int, _Role] | None:
    """The role noun heading the phrase: the last one before the first
    preposition or comma that has one ("crowd control police", "a team of
    armed police", "president of the European Council")."""
    strong = [r for r in roles if r[2].sector not in _WEAK_SECTORS] or roles
    if not strong:
        return None
    chunk = [0]
    for n, word in enumerate(words):
        chunk.append(chunk[-1] + (word.lower() in _CHUNK_BREAKS))
    first = min(chunk[r[0]] for r in strong)
    heads = [r for r in strong if chunk[r[0]] == first]
    if len(heads) > 1 and heads[-1][2].pattern.lower() in _GENERIC_HEADS:
        # "an indigenous leader", "a Jewish community leader": the modifier
        # says who leads.
        return heads[-2]
    return heads[-1]


@lru_cache(maxsize=1)
def _towns() -> dict[str, str]:
    """Town name -> state, from kgraph/data/towns.tsv (GeoNames towns)."""
    text = (resources.files("kgraph") / "data" / "towns.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return dict(rows[1:])  # after the header


def _town_of_institution(words: list[str], role: tuple[int, int, _Role]) -> str | None:
    """The state of the town an institution is named after: "Amherst
    College", "University of Leuven"."""
    start, end, _ = role
    spans = [(k, start) for k in range(max(0, start - 3), start)]
    if end < len(words) and words[end].lower() == "of":
        spans += [(end + 1, k) for k in range(end + 2, min(len(words), end + 4) + 1)]
    towns = _towns()
    for lo, hi in spans:
        name = " ".join(words[lo:hi])
        if name[:1].isupper() and name in towns:
            return towns[name]
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one insertion, deletion, substitution
    or swap of neighbouring letters (and are not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = sorted((a, b), key=len)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    return short[i:] == long_[i + 1 :]


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


@lru_cache(maxsize=8)
def default_resolver(extra: tuple[str, ...] = ()) -> ActorResolver:
    """The package dictionaries plus user files, built once per process."""
    return ActorResolver.from_files(extra)


# -- phrases API (``kgraph resolve``) ------------------------------------------

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
    """One ``kgraph resolve`` result: ``{"text", "id", "label", "type", "country", "sector"}``.

    Unknown fields are ``None``; a role noun alone ("Defense Minister") gives
    a sector without an actor.
    """
    resolver = resolver or default_resolver()
    found = resolver.analyse(text, date=parse_date(date), context=context)
    actor = found.actor
    return {
        "text": text,
        "id": actor.id if actor else None,
        "label": actor.label if actor else None,
        "type": actor.type if actor else None,
        "country": found.country,
        "sector": found.sector,
    }


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


# -- documents -----------------------------------------------------------------


class _Spans(dict):
    """Mentions by (start, end), with the set of tokens they cover kept up
    to date, so that "is this token taken?" costs no scan of every span."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[int, int] = {}  # token -> number of spans over it

    def __setitem__(self, key: tuple[int, int], actor: Actor) -> None:
        if key not in self:
            for i in range(*key):
                self.tokens[i] = self.tokens.get(i, 0) + 1
        super().__setitem__(key, actor)

    def __delitem__(self, key: tuple[int, int]) -> None:
        super().__delitem__(key)
        for i in range(*key):
            self.tokens[i] -= 1
            if not self.tokens[i]:
                del self.tokens[i]


@dataclass
class _DocState:
    doc: Doc
    resolver: ActorResolver
    date: str | None
    spans: _Spans = field(default_factory=_Spans)
    names: dict[tuple[str, ...], Actor] = field(default_factory=dict)

    def covered(self, start: int, end: int) -> bool:
        tokens = self.spans.tokens
        return any(i in tokens for i in range(start, end))

    def replace(self, start: int, end: int, actor: Actor) -> None:
        for key in [k for k in self.spans if k[0] < end and start < k[1]]:
            del self.spans[key]
        self.spans[(start, end)] = actor


def _role_after(state: _DocState, start: int, *, skip_adjectives: int = 2) -> tuple[int, _Role] | None:
    """The longest role noun starting at ``start`` (after up to two adjectives)."""
    doc = state.doc
    i = start
    if i < len(doc) and doc[i].lower_ in ("'s", "’s", "'"):
        i += 1
    for _ in range(skip_adjectives + 1):
        for size in range(4, 0, -1):
            if i + size > len(doc):
                continue
            role = state.resolver.role(doc[i : i + size].text)
            if role is not None and not (_is_acronym(role.pattern) and doc[i : i + size].text != role.pattern):
                # Prefer the head: "foreign ministry" over "foreign".
                return i + size, role
        if i < len(doc) and doc[i].pos_ in ("ADJ", "VERB") and doc[i].tag_ in ("JJ", "VBN", "VBG", "HYPH"):
            i += 1
        else:
            break
    return None


def _name_after(doc: Doc, start: int) -> tuple[int, int] | None:
    """A proper name right after a title: "Foreign Minister Luigi Di Maio"."""
    i = start
    if i < len(doc) and doc[i].text == ",":
        i += 1
    j = i
    while j < len(doc) and doc[j].pos_ == "PROPN" and (doc[j].text[:1].isupper() or doc[j].lower_ in SURNAME_PARTICLES):
        j += 1
    if j > i and doc[j - 1].text[:1].isupper():
        return i, j
    return None


def _name_before(doc: Doc, role_end: int, head: Token) -> tuple[int, int] | None:
    """The name a role phrase stands in apposition to: "Di Maio, Italy's foreign minister"."""
    if head.dep_ != "appos" or head.head.pos_ != "PROPN" or head.head.i > head.i:
        return None
    name = head.head
    tokens = [t for t in name.subtree if t.i <= name.i and t.pos_ == "PROPN"]
    start = min(t.i for t in tokens)
    return start, name.i + 1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _same_given_name(given: list[str], known: Actor) -> bool:
    """Whether the words before a known surname fit the known person: "Sergei"
    fits Sergey Lavrov, "Jane" does not fit Thabo Mbeki."""
    first = given[-1] if given else ""
    if not first[:1].isupper() or len(first.rstrip(".")) <= 1:
        return True  # no given name, or an initial
    label = known.label.split()
    return any(word[:1] == first[:1] for word in label[:-1])


def _surnames(name: list[str]) -> list[tuple[str, ...]]:
    """Later forms of a name: "Luigi Di Maio" → ("Di", "Maio"); "Jane Doe" → ("Doe",)."""
    if len(name) < 2:
        return []
    forms = [tuple(name[-1:])]
    if len(name) >= 3 and name[-2].lower() in SURNAME_PARTICLES:
        forms.insert(0, tuple(name[-2:]))
        forms.pop()
    return forms


def _apply_roles(state: _DocState) -> None:
    """States and organisations with a role noun: "the Syrian army", "Italy's
    Foreign Minister Luigi Di Maio", "his Turkish counterpart", "Iraqi parliament"."""
    doc = state.doc
    for (start, end), actor in sorted(state.spans.items()):
        if actor.type == "person" or (start, end) not in state.spans:
            continue
        found = _role_after(state, end)
        if found is None:
            continue
        role_end, role = found
        country = actor.country or (actor.id if actor.id.startswith("ORG:") else None)
        if country is None or actor.type in ("group",) or (actor.type == "organization" and actor.country):
            continue
        head = doc[role_end - 1]
        if role.person:
            name = _name_after(doc, role_end) or _name_before(doc, role_end, head)
            if name is not None:
                person = _person(state, doc[name[0] : name[1]], country, role.sector)
                lo, hi = min(start, name[0]), max(role_end, name[1])
                if not state.covered(name[0], name[1]) or any(
                    a.type == "person" for (s, e), a in state.spans.items() if s < name[1] and name[0] < e
                ):
                    state.replace(lo, hi, person)
                    continue
            # "Palestinian leaders" are more than the office holder.
            plural = head.tag_ in ("NNS", "NNPS")
            holder = None if plural else state.resolver.office_holder(country, role, date=state.date)
            if holder is not None:
                state.replace(start, role_end, holder)
                continue
        state.replace(start, role_end, _composite(state.resolver, country, role.sector))


def _person(state: _DocState, name: Span, country: str, sector: str | None) -> Actor:
    """The person a name names: a known one, or a new actor of ``country``."""
    known = state.resolver.lookup(name.text, date=state.date)
    if known is not None and known.type == "person":
        return known
    words = [t.text for t in name]
    for size in range(len(words) - 1, 0, -1):
        known = state.resolver.lookup(" ".join(words[-size:]), date=state.date)
        if known is not None and known.type == "person" and _same_given_name(words[:-size], known):
            return known
    actor = Actor(f"{country}.PER.{_slug(name.text)}", name.text, "person", country, sector)
    state.names[tuple(words)] = actor
    for form in _surnames(words):
        state.names.setdefault(form, actor)
    return actor


def _name_known_people(state: _DocState) -> None:
    """A listed person named in full ("Petr Pavel") is meant by a later
    bare surname ("Pavel added") even when the surname alone is not an alias."""
    seen: dict[tuple[str, ...], Actor | None] = {}
    for (start, end), actor in sorted(state.spans.items()):
        if actor.type != "person" or end - start < 2:
            continue
        for form in _surnames([t.text for t in state.doc[start:end]]):
            other = state.resolver.lookup(" ".join(form), date=state.date)
            if other is not None and other.id != actor.id:
                continue
            seen[form] = actor if seen.get(form, actor) == actor else None  # two people: neither
    for form, actor in seen.items():
        if actor is not None:
            state.names.setdefault(form, actor)


def _apply_names(state: _DocState) -> None:
    """Later mentions of a person named with a role earlier: "Di Maio said"."""
    doc = state.doc
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(state.names, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    texts = [t.text for t in doc]
    for i, text in enumerate(texts):
        for form in by_first.get(text, ()):
            j = i + len(form)
            if j <= len(doc) and tuple(texts[i:j]) == form and not state.covered(i, j):
                if (doc[i].pos_ == "PROPN" or text[:1].isupper()) and not _embedded_in_name(
                    doc[i:j], state.resolver
                ):
                    state.spans[(i, j)] = state.names[form]
                break


def _local_acronym(span: Span, actor: Actor, states: dict[int, Actor]) -> bool:
    """ "Montenegro Municipality Association (AKK)": an acronym in brackets
    after a name is that name's, whatever else the letters may stand for."""
    doc = span.doc
    if span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text != "(" or doc[span.end].text != ")":
        return False
    if not span.text.isupper():
        return False
    named = states.get(span.start - 2)
    return doc[span.start - 2].pos_ in ("PROPN", "NOUN") and (named is None or named.id != actor.id)


def _of_another_state(span: Span, actor: Actor, states: dict[int, Actor]) -> bool:
    """ "the Unity Party of America" is not South Sudan's Unity Party: an
    organisation's name continued by "of" and another state names a
    different organisation."""
    if actor.type == "country" or span.end + 1 >= len(span.doc):
        return False
    of, after = span.doc[span.end], span.doc[span.end + 1]
    other = states.get(after.i)
    return of.lower_ == "of" and other is not None and other.type == "country" and other.state != actor.state


def _embedded_in_name(span: Span, resolver: ActorResolver, *, person: bool = True) -> bool:
    """Whether a surname match is part of a longer proper name: "Mahdi" in
    "Abu Mahdi al-Muhandis" is not Adel Abdul-Mahdi."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if (
        before is not None
        and not before.is_sent_start
        and before.pos_ == "PROPN"
        and before.is_title
        and resolver.role(before.text) is None
        and before.lower_.rstrip(".") not in _HONORIFICS
    ):
        return True
    # A state or place before a name ("U.S. Embassy") is a modifier, not a
    # first name; only a person's alias is cut short by a following name.
    return (
        person
        and after is not None
        and after.pos_ == "PROPN"
        and after.is_title
        and span[-1].dep_ == "compound"
        and span[-1].head.i >= span.end
    )


# Sectors of a people or a non-state group, which GUIDE rule 2 codes to the
# state it lives or is based in: "the Albanians of southern Serbia" → SRB.
_LOCATED_SECTORS = {None, "CVL", "REB", "OPP", "PRM", "EDU", "LAB", "REL", "JRN", "MED", "BUS", "CRM"}
# Nouns that say whose citizens they are, not where they live.
_CITIZEN_NOUNS = {
    "citizen", "national", "tourist", "refugee", "migrant", "expatriate", "expat",
    "passport", "diplomat", "emigrant", "exile", "visitor", "pilgrim", "immigrant",
}
# Prepositions that place a group in a state ("students throughout Indonesia").
_PLACING_PREPS = _LOCATIVE_PREPS | {"of"}


def _located_in(state: _DocState, head: Token, kin: str | None) -> str | None:
    """The state a noun phrase places its head in, other than ``kin``: a
    preposition on the head or on a clause describing it ("guerrillas
    operating in Macedonia")."""
    holders = [head] + [c for c in head.children if c.dep_ in ("acl", "relcl")]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in _PLACING_PREPS:
                continue
            if prep.lower_ == "of" and holder is not head:
                continue
            for pobj in prep.children:
                place = _actor_at(state, pobj.i) if pobj.dep_ == "pobj" else None
                if place is not None and place.type == "country" and place.country and place.country != kin:
                    return place.country
    return None


def _minority_home(state: _DocState, head: Token, start: int, kin: str) -> str | None:
    """Where "ethnic Albanians" live when no preposition says: a place the
    verb puts them in ("demonstrated in Serbia"), else the first other state
    of the sentence, else the last other state named before it."""
    verb = head.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in _LOCATIVE_PREPS:
            for token in prep.subtree:
                place = _actor_at(state, token.i)
                if place is not None and place.type == "country" and place.country and place.country != kin:
                    return place.country
    sent = head.sent
    found = [
        (s, a.country) for (s, e), a in sorted(state.spans.items())
        if a.country and a.country != kin and a.type != "person" and s < sent.end
    ]
    in_sentence = [c for s, c in found if s >= sent.start]
    if in_sentence:
        return in_sentence[0]
    before = [c for s, c in found if s < start]
    return before[-1] if before else None


def _apply_located_groups(state: _DocState) -> None:
    """Peoples and non-state groups coded to the state they are in, not to
    their kin state: "the Albanians of southern Serbia", "ethnic Turks"
    protesting in Sweden, "students throughout Indonesia" (GUIDE rule 2).

    An explicit place wins. "ethnic X" marks a minority, so without a place
    it goes to another state the text names, and to no state if there is
    none. Armies, governments and citizens ("Turkish citizens in Germany")
    keep their own state."""
    doc = state.doc
    for (start, end), actor in sorted(state.spans.items()):
        if (start, end) not in state.spans or not actor.country or actor.sector not in _LOCATED_SECTORS:
            continue
        if actor.type not in ("country", "organization") or doc[start].pos_ == "PROPN" and end - start == 1 and doc[start].tag_ == "NNP":
            continue
        head = doc[end - 1]
        if head.dep_ in ("amod", "compound") and head.head.i >= end:
            head = head.head  # "Albanian villagers" found as "Albanian"
        if head.tag_ not in ("NNS", "NNPS") and head.pos_ != "PROPN" or head.lemma_.lower() in _CITIZEN_NOUNS:
            continue
        kin = actor.country
        home = _located_in(state, head, kin)
        ethnic = start > 0 and doc[start - 1].lower_ == "ethnic"
        if home is None and ethnic:
            home = _minority_home(state, head, start, kin)
            if home is None:
                state.spans[(start, end)] = Actor(f"ETH.{kin}", f"ethnic {actor.label}", "group", None, actor.sector)
                continue
        if home is None:
            continue
        label = state.resolver.actor(home).label if state.resolver.actor(home) else home
        suffix = f".{actor.sector}" if actor.sector else ""
        state.spans[(start, end)] = Actor(
            f"{home}.ETH.{kin}{suffix}", f"{doc[start:end].text} in {label}", "group", home, actor.sector
        )
    _apply_located_roles(state)


def _apply_located_roles(state: _DocState) -> None:
    """Non-state role nouns placed in a state: "students throughout
    Indonesia" → ``IDN.EDU``."""
    doc = state.doc
    for token in doc:
        if state.covered(token.i, token.i + 1) or token.pos_ != "NOUN":
            continue
        role = state.resolver.role(token.text)
        if role is None or role.person or role.sector not in _LOCATED_SECTORS:
            continue
        if any(c.dep_ in ("amod", "compound", "poss") and state.covered(c.i, c.i + 1) for c in token.children):
            continue
        home = _located_in(state, token, None)
        if home is not None:
            state.spans[(token.i, token.i + 1)] = _composite(state.resolver, home, role.sector)


def _unknown_name_between(state: _DocState, start: int, end: int) -> bool:
    """Whether a proper name no dictionary knows stands between ``start``
    and ``end`` (two capitalised proper nouns in a row, not a mention)."""
    doc = state.doc
    for i in range(start, end - 1):
        a, b = doc[i], doc[i + 1]
        if (
            a.pos_ == "PROPN" and b.pos_ == "PROPN" and a.is_title and b.is_title
            and not state.covered(i, i + 1) and not state.covered(i + 1, i + 2)
        ):
            return True
    return False


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


def _gender(actor: Actor) -> str | None:
    """ "F", "M" or ``None`` (unknown) for a person: listed people by the
    list, others by a given name only women or only men of the lists bear."""
    people, given = _genders()
    if actor.id in people:
        return people[actor.id]
    words = actor.label.split()
    return given.get(words[0]) if len(words) > 1 else None


def _apply_references(state: _DocState) -> None:
    """Pronouns ("he") and nominals ("the country") referring back."""
    doc = state.doc
    ordered = sorted(state.spans.items())
    sentences = {t.i: n for n, sent in enumerate(doc.sents) for t in sent}
    additions = []
    for token in doc:
        if state.covered(token.i, token.i + 1):
            continue
        sent = sentences[token.i]
        if token.lower_ in PERSON_PRONOUNS and token.pos_ == "PRON":
            wanted = "F" if token.lower_ == "she" else "M"
            candidates = [
                (s, e, a) for (s, e), a in ordered
                if e <= token.i
                and a.type == "person"
                and sent - sentences[s] <= PRONOUN_WINDOW
                and _gender(a) in (wanted, None)
            ]
            if not candidates:
                continue
            if _unknown_name_between(state, candidates[-1][1], token.i):
                # "China releases pastor Jin Mingri … after detaining him":
                # an unknown person named in between is the likelier antecedent
                continue
            # The last subject before it, else the last person named.
            subjects = [c for c in candidates if doc[c[1] - 1].dep_ in ("nsubj", "nsubjpass")]
            pick = (subjects or candidates)[-1]
            if subjects and candidates[-1][0] > subjects[-1][0] and sentences[candidates[-1][0]] == sent:
                pick = subjects[-1]
            additions.append((token.i, token.i + 1, pick[2]))
        elif token.lower_ in STATE_NOMINALS and token.tag_ == "NN":
            det = [c for c in token.children if c.dep_ == "det" and c.lower_ == "the"]
            if not det:
                continue
            candidates = [
                a for (s, e), a in ordered
                if e <= token.i and a.type == "country" and sent - sentences[s] <= NOMINAL_WINDOW
            ]
            if candidates:
                base = state.resolver.actor(candidates[-1].country or candidates[-1].id) or candidates[-1]
                additions.append((det[0].i, token.i + 1, base))
    for start, end, actor in additions:
        if not state.covered(start, end):
            state.spans[(start, end)] = actor


# Sectors of the state's own bodies: "the government", "the president",
# "authorities", "police" with no state named are the state in focus.
_STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "LEG", "JUD"}
_OWNER_DEPS = {"amod", "compound", "poss", "nmod"}


def _salient_state(state: _DocState, i: int, sentences: list[Span], number: int) -> str | None:
    """The one state the text is about at token ``i``: the states named
    earlier in its sentence, else in the nearest earlier sentence that names
    any (within :data:`NOMINAL_WINDOW`), if they are a single state."""
    def states(lo: int, hi: int) -> set[str]:
        return {
            a.country for (s, e), a in state.spans.items()
            if lo <= s and e <= hi and a.country and a.type in ("country", "person", "organization", "group")
        }

    found = states(sentences[number].start, i)
    back = number
    while not found and back > 0 and number - back < NOMINAL_WINDOW:
        back -= 1
        found = states(sentences[back].start, sentences[back].end)
    return next(iter(found)) if len(found) == 1 else None


def _apply_appositions(state: _DocState) -> None:
    """Unknown names in apposition to a role owned through a preposition:
    "Ahmed Doe, a spokesman for the PMF", "the prosecutor general of
    Tehran, Ali Doe" → a person of the owner's state."""
    doc = state.doc
    for token in doc:
        role = state.resolver.role(token.text) or state.resolver.role(token.lemma_)
        if role is None or not role.person or state.covered(token.i, token.i + 1):
            continue
        owner = None
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at"):
                for pobj in prep.children:
                    actor = _actor_at(state, pobj.i) if pobj.dep_ == "pobj" else None
                    if actor is not None and actor.type != "person" and actor.country:
                        owner = actor
        if owner is None:
            continue
        if token.dep_ == "appos" and token.head.i < token.i:
            name = _name_before(doc, token.i + 1, token)
        else:
            name = next(
                ((min(t.i for t in c.subtree if t.pos_ == "PROPN"), c.i + 1)
                 for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > token.i),
                None,
            )
        if name is None or state.covered(*name) or name[1] - name[0] < 2:
            continue
        state.spans[name] = _person(state, doc[name[0] : name[1]], owner.country, role.sector)


def _apply_nominals(state: _DocState) -> None:
    """State bodies and office titles with no state: "the government",
    "authorities", "the president", "President Jane Doe" are the state in
    focus when it is unambiguous (see :func:`_salient_state`)."""
    doc = state.doc
    sentences = list(doc.sents)
    numbers = {t.i: n for n, sent in enumerate(sentences) for t in sent}
    starts = state.resolver.role_starts
    texts = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    i = 0
    while i < len(doc):
        found = None
        first = texts[i].lower()
        if first not in starts and first.rstrip(".") not in starts:
            i += 1
            continue
        for size in range(4, 0, -1):
            if i + size <= len(doc) and not state.covered(i, i + size):
                text = "".join(texts[k] + spaces[k] for k in range(i, i + size - 1)) + texts[i + size - 1]
                role = state.resolver.role(text)
                if role is not None and not (_is_acronym(role.pattern) and text != role.pattern):
                    found = (i + size, role)
                    break
        if found is None or found[1].sector not in _STATE_SECTORS:
            i += 1
            continue
        end, role = found
        head = doc[end - 1]
        name = _name_after(doc, end) if role.person and doc[i].text[:1].isupper() else None
        if name is not None and (name[0] != end or state.covered(*name)):
            name = None
        previous = doc[i - 1] if i > 0 else None
        definite = previous is not None and previous.lower_ == "the"
        bare = (previous is None or previous.pos_ not in ("DET", "PRON") and previous.dep_ not in _OWNER_DEPS) and (
            head.tag_ in ("NNS", "NNPS") or doc[i].text[:1].isupper()
        )
        owned = any(
            c.dep_ in _OWNER_DEPS and not i <= c.i < end and (state.covered(c.i, c.i + 1) or c.pos_ in ("PRON", "PROPN"))
            or c.dep_ == "prep" and c.lower_ in ("of", "for", "in") and any(state.covered(g.i, g.i + 1) for g in c.subtree)
            for c in head.children
        )
        if name is not None and previous is not None and (previous.lower_ in ("a", "an") or state.covered(previous.i, i)):
            name = None
        if owned or not (name or definite or bare) or (head.dep_ == "compound" and name is None):
            i = end
            continue
        country = _salient_state(state, i, sentences, numbers[i])
        if country is None:
            i = end
            continue
        if name is not None:
            state.spans[(i, name[1])] = _person(state, doc[name[0] : name[1]], country, role.sector)
            i = name[1]
            continue
        holder = None
        if role.person and head.tag_ not in ("NNS", "NNPS"):
            holder = state.resolver.office_holder(country, role, date=state.date)
        start = i - 1 if definite else i
        state.spans[(start, end)] = holder or _composite(state.resolver, country, role.sector)
        i = end


def _actor_at(state: _DocState, i: int) -> Actor | None:
    """The actor of the mention covering token ``i``, or ``None``."""
    for (start, end), actor in state.spans.items():
        if start <= i < end:
            return actor
    return None


def _np_actor(state: _DocState, head: Token) -> Actor | None:
    """The state-bound actor a noun phrase headed by ``head`` names: its own
    mention, or a role noun owned by a modifier or located by a preposition
    ("the rebels in Ivory Coast" → ``CIV.REB``)."""
    own = _actor_at(state, head.i)
    if own is not None:
        return own if own.state else None
    role = state.resolver.role(head.text) or state.resolver.role(head.lemma_)
    if role is None:
        return None
    for child in head.children:
        owners = []
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            owners = [_actor_at(state, child.i)]
        elif child.dep_ == "prep" and child.lower_ in _LOCATIVE_PREPS | {"of"}:
            owners = [_actor_at(state, c.i) for c in child.children if c.dep_ == "pobj"]
        for owner in owners:
            if owner is not None and owner.type != "person" and owner.state:
                if owner.type == "country" and owner.country:
                    return _composite(state.resolver, owner.country, role.sector)
                return owner
    return None


def _is_expletive(token: Token) -> bool:
    """ "it" standing for a clause or the weather: "it is clear that", "it rained"."""
    if token.dep_ == "expl":
        return True
    head = token.head
    if head.lemma_ in ("seem", "appear", "happen", "rain", "snow"):
        return True
    if head.lemma_ in ("be", "become", "remain", "make", "take"):
        return any(c.dep_ in ("ccomp", "csubj") for c in head.children)
    return False


def _agrees(head: Token, actor: Actor, *, plural: bool) -> bool:
    """Whether an antecedent headed by ``head`` fits "it" or "they"."""
    if actor.type == "person" or not actor.state:
        return False
    many = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
    if plural:
        return many
    # "the Philippines said it", "the United States said it": plural in form.
    return not many or (actor.type == "country" and not any(c.dep_ == "conj" for c in head.children))


def _antecedent_actor(state: _DocState, subject: Token, *, plural: bool) -> Actor | None:
    """The actor ``subject`` names if a pronoun of this number can take it.
    Coordinated subjects must name one state ("Serb police and soldiers")."""
    if subject.lower_ in SINGULAR_PRONOUNS | PLURAL_PRONOUNS:
        actor = _actor_at(state, subject.i)
        same_number = (subject.lower_ in PLURAL_PRONOUNS) == plural
        return actor if actor is not None and same_number else None
    actor = _np_actor(state, subject)
    if actor is None or not _agrees(subject, actor, plural=plural):
        return None
    for conjunct in subject.conjuncts:
        other = _np_actor(state, conjunct)
        if other is None or other.state != actor.state:
            return None
        if other.id != actor.id:
            actor = _composite(state.resolver, actor.country, None) if actor.country else actor
    return actor


def _subject_of(state: _DocState, verb: Token, before: int, exclude: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SUBJECT_DEPS and child.i < before and exclude not in list(child.subtree):
            return child
    return None


def _pronoun_antecedent(state: _DocState, token: Token, sentences: list[Span]) -> Actor | None:
    """The actor "it"/"they" refers to: the subject of a clause above it in
    the same sentence ("Uganda said it had paid"), else, for a subject
    pronoun, the subject of the previous sentence. The nearest subject
    decides; if it names no actor of the right number, nothing does."""
    plural = token.lower_ in PLURAL_PRONOUNS
    # A non-reflexive object is never the subject of its own clause:
    # "the police beat them".
    crossed = token.dep_ not in ("dobj", "dative", "pobj", "obj") and token.lower_ not in _OBJECT_PRONOUNS
    node, verbs = token, 0
    while node.head.i != node.i and verbs < _CLIMB_LIMIT:
        if node.dep_ in _CLAUSE_DEPS - {"conj"}:
            crossed = True
        node = node.head
        if node.pos_ not in ("VERB", "AUX"):
            continue
        verbs += 1
        subject = _subject_of(state, node, token.i, token)
        if subject is None or not crossed:
            continue
        return _antecedent_actor(state, subject, plural=plural)
    subject_like = token.dep_ in _SUBJECT_DEPS or (token.dep_ == "poss" and token.head.dep_ in _SUBJECT_DEPS)
    if not subject_like or node.head.i != node.i:
        return None
    number = next(n for n, sent in enumerate(sentences) if sent.start <= token.i < sent.end)
    if number == 0:
        return None
    root = sentences[number - 1].root
    subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is None:
        return None
    actor = _antecedent_actor(state, subject, plural=plural)
    if actor is not None and plural:
        # "Russian officials met Chinese diplomats. They agreed": both, maybe.
        states = {a.state for (s, e), a in state.spans.items() if sentences[number - 1].start <= s < root.sent.end}
        if states - {actor.state, None}:
            return None
    return actor


def _apply_pronouns(state: _DocState) -> None:
    """ "it"/"its" and "they"/"them"/"their" referring back to a state, an
    organisation or a plural group (see :func:`_pronoun_antecedent`)."""
    doc = state.doc
    sentences = list(doc.sents)
    for token in doc:
        if token.lower_ not in SINGULAR_PRONOUNS | PLURAL_PRONOUNS or token.pos_ not in ("PRON", "DET"):
            continue
        if state.covered(token.i, token.i + 1) or (token.lower_ == "it" and _is_expletive(token)):
            continue
        actor = _pronoun_antecedent(state, token, sentences)
        if actor is not None:
            state.spans[(token.i, token.i + 1)] = actor


def annotate(doc: Doc, resolver: ActorResolver, *, date: str | None = None) -> Doc:
    """Store the actor mentions of ``doc`` in ``doc.spans[MENTIONS_KEY]``,
    each span labelled with its actor id; the actors themselves go to
    ``doc.user_data["kgraph_actor_index"]`` (id → :class:`Actor`).

    Beyond dictionary aliases, it resolves roles next to a state ("the Syrian
    army" → ``SYR.MIL``, "his Turkish counterpart" → the Turkish leader on
    ``date``), unknown names titled by a state's role ("Italy's Foreign
    Minister Jane Doe" → an Italian person actor) and their later surname
    mentions, and pronouns and nominals ("he", "the country") referring back.
    """
    state = _DocState(doc, resolver, date)
    for m in resolver.mentions(doc, date=date):
        state.spans[(m.start, m.end)] = m.actor
    _name_known_people(state)
    _apply_roles(state)
    _apply_names(state)
    _apply_located_groups(state)
    _apply_references(state)
    _apply_appositions(state)
    _apply_nominals(state)
    _apply_names(state)
    _apply_pronouns(state)
    spans = []
    index: dict[str, Actor] = {}
    for (start, end), actor in sorted(state.spans.items()):
        span = doc[start:end]
        span.label_ = actor.id
        spans.append(span)
        index.setdefault(actor.id, actor)
    doc.spans[MENTIONS_KEY] = spans
    doc.user_data["kgraph_actor_index"] = index
    doc.user_data["kgraph_states"] = resolver.states
    doc.user_data["kgraph_date"] = date
    doc.user_data.pop("kgraph_token_actor", None)
    return doc


def iter_mentions(doc: Doc) -> Iterator[tuple[Span, Actor]]:
    """The (span, actor) pairs :func:`annotate` stored on ``doc``."""
    index = doc.user_data.get("kgraph_actor_index", {})
    for span in doc.spans.get(MENTIONS_KEY, []):
        yield span, index[span.label_]
