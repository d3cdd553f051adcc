"""Resolving a free phrase ("Russia's foreign minister") to an actor, a country and a sector."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Actor
from .dictionary import _Role, _composite, _is_acronym, _norm, _towns, _with_sector


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


# Sectors a role noun in an international body's name gives it: what it
# does. Others say too little ("union" is a labour union's noun, "council"
# and "bank" a state's or a firm's).
_FUNCTIONS = {"JUD", "LEG", "MED", "MIL", "COP", "REF", "EDU", "AGR", "JRN", "SPY", "REL"}
# Pronouns that stand for an actor without naming it (PLOVER UNK).
_PRONOUNS = {"he", "she", "him", "her", "they", "them", "someone", "somebody", "anyone", "anybody"}
_FORMER = {"former", "ex", "ex-", "then", "late", "retired", "onetime", "one-time"}


_LOCATIVE_PREPS = {"in", "at", "across", "near", "inside", "outside", "around", "throughout"}


class _PhraseAnalysis:
    """Resolving a free phrase; a mixin of :class:`~kgraph.resolve.resolver.ActorResolver`."""

    def _index(self) -> dict[tuple[str, ...], list[str]]:
        """Lower-cased token tuples of every alias and role noun."""
        if self._phrase_index is None:
            index: dict[tuple[str, ...], list[str]] = {}
            for pattern in list(self._by_pattern) + list(self._roles):
                index.setdefault(tuple(_words(pattern.lower())), []).append(pattern)
            self._phrase_index = index
        return self._phrase_index

    def _role_variant(self, key: tuple[str, ...]) -> list[str] | None:
        """Role nouns ``key`` writes otherwise: apart, joined or hyphenated
        ("law makers", "health care workers", "pro government militias"),
        or in the other number ("occupier" where the file lists OCCUPIERS)."""
        squashed = self._squashed()
        last = key[-1]
        forms = [last]
        if last.endswith("ies") and len(last) > 4:
            forms.append(last[:-3] + "y")
        elif last.endswith("es") and last[-3:-2] in ("s", "x", "z", "h"):
            forms.append(last[:-2])
        elif last.endswith("s") and not last.endswith("ss"):
            forms.append(last[:-1])
        else:
            forms.append(last + "s")
        for form in forms:
            found = squashed.get("".join(key[:-1] + (form,)).replace("-", ""))
            if found:
                return found
        return None

    def _squashed(self) -> dict[str, list[str]]:
        """Role nouns by their letters without spaces and hyphens."""
        if self._squashed_roles is None:
            squashed: dict[str, list[str]] = {}
            for key in self._roles:
                squashed.setdefault(key.replace(" ", "").replace("-", ""), []).append(key)
            self._squashed_roles = squashed
        return self._squashed_roles

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
                candidates = index.get(key)
                if candidates is None and size <= 3:
                    candidates = self._role_variant(key)
                if candidates is None:
                    continue
                role = self._role_of(text, candidates)
                if not (text[:1].isupper() or text[:1].isdigit()) and role is None:
                    # A lower-case word is not a name: "car-borne youths" is not Borne.
                    continue
                actor = self._phrase_actor(text, candidates, date)
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
        if not actors and not roles:
            if lower and all(w in _PRONOUNS or w in ("a", "an", "the") for w in lower):
                # "He", "someone": an actor the phrase does not identify.
                return _Analysis(None, None, "UNK", rule="a pronoun with nothing it refers to: an unidentified actor")
            roles = self._misspelt_roles(words)
        result = self._decide(words, actors, roles, date=date, context=context)
        return self._explained(result, words, actors, roles, date)

    def _explained(self, result: _Analysis, words, actors, roles, date) -> _Analysis:
        """``result`` with the secondary sectors of its head role and the
        dictionary entries that were found (for ``kgraph resolve --explain``)."""
        found = []
        for start, end, actor in actors:
            text = " ".join(words[start:end])
            entry = self.entry(text, date=date) or self.entry(text, date=date, exact=False)
            where = f" ({entry.file}:{entry.line}" if entry is not None and entry.file else " ("
            if entry is not None and (entry.start or entry.end):
                where += f", valid {entry.start or '…'} to {entry.end or 'today'}"
            found.append(f"{text!r} -> {actor.id} country {actor.country or '-'} sector {actor.sector or '-'}{where})")
        head = _head_role(words, roles)
        for start, end, role in roles:
            mark = " [head]" if head is not None and head[:2] == (start, end) else ""
            sectors = ";".join((role.sector or "-",) + role.secondary)
            found.append(f"{' '.join(words[start:end])!r} -> role noun {role.pattern!r} sector {sectors} ({role.source}){mark}")
        secondary = result.secondary
        if not secondary and head is not None and result.sector == head[2].sector:
            secondary = head[2].secondary
        return replace(result, secondary=secondary, found=tuple(found))

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
                if entries and pattern.isalpha() and pattern[:1].isupper() and entries[-1].actor.type == "country":
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

    def _misspelt_roles(self, words: list[str]) -> list[tuple[int, int, _Role]]:
        """Role nouns that words of the phrase misspell by one letter or one
        swap ("soliders", "white supremicists"), when the nouns that close
        agree on the sector. Only for phrases with nothing else found."""
        if self._roles_by_length is None:
            by_length: dict[int, list[str]] = {}
            for key in self._roles:
                if len(key) >= 6 and not _is_acronym(self._roles[key].pattern):
                    by_length.setdefault(len(key), []).append(key)
            self._roles_by_length = by_length
        lower = [w.lower() for w in words]
        found = []
        for size in (2, 1):
            for i in range(len(words) - size + 1):
                text = " ".join(lower[i : i + size])
                if len(text) < 6 or not text.replace(" ", "").replace("-", "").isalpha():
                    continue
                close = [
                    k for n in (len(text) - 1, len(text), len(text) + 1)
                    for k in self._roles_by_length.get(n, ()) if k.count(" ") == size - 1 and _one_edit(text, k)
                ]
                sectors = {self._roles[k].sector for k in close}
                if len(sectors) == 1 and None not in sectors:
                    found.append((i, i + size, self._roles[min(close)]))
            if found:
                return found
        return found

    def _decide(self, words, actors, roles, *, date, context) -> _Analysis:
        persons = [a for a in actors if a[2].type == "person"]
        if persons:
            start, _end, person = persons[0]
            title = [r for r in roles if r[1] == start]
            if title and person.sector in (None, "", "ELI") and not _FORMER & {w.lower() for w in words[:start]}:
                # "Foreign Minister Park Jin" out of the listed term: the text
                # calls him minister, so he acts as one.
                return _Analysis(_with_sector(person, title[0][2].sector), rule="a title in the text over the person's listed role")
            return _Analysis(person, rule="a listed person")
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
                return _Analysis(None, country, None, rule="the context's state; no role noun" if country else "no actor or role noun")
            if country and role[2].person:
                holder = self.office_holder(country, role[2], date=date)
                if holder is not None:
                    return _Analysis(holder, rule="the office holder of the context's state on the date")
            rule = "the role noun, with the state of the context or the town" if country else "the role noun alone"
            return _Analysis(_composite(self, country, role[2].sector) if country else None, country, role[2].sector, rule=rule)
        actor = owner[2]
        if actor.type in ("organization", "group") and actor.country is not None or actor.id.startswith("ORG:"):
            # "Boko Haram gunmen", "FSB, Russia's security service": the body itself;
            # "president of the European Council": its head.
            if role is not None and role[0] < owner[0] and actor.sector not in _BODY_SECTORS:
                return _Analysis(_with_sector(actor, role[2].sector), rule="the role noun before the body: its head")
            if actor.sector == "IGO":
                if role is not None and role[0] >= owner[1] and role[2].sector in _FUNCTIONS:
                    # "a UN tribunal", "African Union troops": the part that does it.
                    return _Analysis(
                        _with_sector(actor, role[2].sector), secondary=("IGO",),
                        rule="the role noun after an international body: its part that does it",
                    )
                function = self._function(" ".join(words[owner[0] : owner[1]]), actor.label)
                if function is not None:
                    return _Analysis(
                        _with_sector(actor, function.sector), secondary=("IGO",),
                        rule=f"an international body with the sector of what it does ({function.pattern!r})",
                    )
            return _Analysis(actor, rule="a listed body or group (its own sector)")
        if role is None:
            return _Analysis(actor, rule="a listed state, place or body")
        country = actor.country or actor.id
        if role[2].person:
            holder = self.office_holder(country, role[2], date=date)
            if holder is not None:
                return _Analysis(holder, rule="the office holder of the state named, on the date")
        return _Analysis(_composite(self, country, role[2].sector), rule="the role noun, of the state named")

    def _function(self, *names: str) -> _Role | None:
        """The role noun heading an international body's name, when it says
        what the body does: "International Criminal Court" → court (JUD),
        "European Parliament" → parliament (LEG). The first name that has
        one decides (the alias as written, then the body's label)."""
        index = self._index()
        for name in names:
            words = _words(_norm(name))
            lower = [w.lower() for w in words]
            roles = []
            for i in range(len(words)):
                for size in range(len(words) - i, 0, -1):
                    key = tuple(lower[i : i + size])
                    role = self._role_of(" ".join(words[i : i + size]), index[key]) if key in index else None
                    if role is not None and not _is_acronym(role.pattern):
                        roles.append((i, i + size, role))
                        break
            head = _head_role(words, roles)
            if head is not None and head[2].sector in _FUNCTIONS:
                return head[2]
        return None

    def resolve(self, phrase: str, *, date: str | None = None, context: str | None = None) -> Actor | None:
        """Resolve a free phrase ("Russia's foreign minister") to an actor.

        Finds the aliases and role nouns in the phrase: a known person wins;
        else a state or organisation, refined by a role noun ("the Syrian
        army" → ``SYR.MIL``; "Turkish President" on a date → its holder).
        ``context`` (a place or nationality) gives the state when the phrase
        names none.
        """
        return self.analyse(phrase, date=date, context=context).actor


@dataclass(frozen=True)
class _Analysis:
    actor: Actor | None
    country: str | None = None
    sector: str | None = None
    #: The rule of :meth:`_PhraseAnalysis._decide` that decided.
    rule: str = ""
    #: Sectors after the primary one, from the head role noun (NGEC ``~CVLOPP``).
    secondary: tuple[str, ...] = ()
    #: The dictionary entries found in the phrase, as "words -> entry (file:line)".
    found: tuple[str, ...] = ()

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
