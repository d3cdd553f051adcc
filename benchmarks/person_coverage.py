"""How many office holders named in real news kgraph knows by name alone.

A held-out check of the person dictionaries that needs no gold file: news
introduces people with their state and office ("Kenyan President William
Ruto", "Russia's Foreign Minister Sergei Lavrov"), so the text itself says
which state each name belongs to. This script finds such introductions in the
shared corpora, then resolves the bare name ("William Ruto") with
``kgraph resolve`` on the article's date, and counts how often the state
comes out right.

    python benchmarks/person_coverage.py [CORPUS.jsonl ...] [--misses]

Prints the share of distinct (name, state) pairs resolved to the stated
state, overall and by office. Exits 0 with a message when the corpora are
absent.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgraph.errors import InputError  # noqa: E402
from kgraph.resolve import default_resolver, parse_date, resolve_phrase  # noqa: E402

CORPORA = [ROOT.parent / "shared" / "corpora" / name for name in ("wikinews.jsonl", "current-events.jsonl")]

OFFICES = [
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Foreign Minister",
    "Defence Minister", "Defense Minister", "Interior Minister", "Finance Minister", "Chancellor",
    "King", "Emir", "Crown Prince", "Governor", "Chief Minister", "Premier", "Opposition Leader",
    "opposition leader", "Speaker", "Army Chief", "army chief", "Chief of Staff", "Ambassador",
    "ambassador", "Minister", "minister", "Secretary of State", "Defense Secretary", "Foreign Secretary",
]
_NAME = r"((?:[A-Z][\w'’.-]+|al-\w+|bin|von|der|de|da)(?: (?:[A-Z][\w'’.-]+|al-\w+|bin|von|der|de|da)){1,3})"
_OFFICE = "(" + "|".join(sorted(OFFICES, key=len, reverse=True)) + ")"
_OWNER = r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)"
# "Kenyan President William Ruto", "Russia's Foreign Minister Sergei Lavrov"
_BEFORE = re.compile(r"\b" + _OWNER + r"(?:['’]s)? " + _OFFICE + " " + _NAME)


def introductions(text: str, resolver) -> list[tuple[str, str, str]]:
    """(name, office, state) for each "<State or demonym> <office> <Name>"."""
    found = []
    for match in _BEFORE.finditer(text):
        owner, office, name = match.groups()
        state = resolver.lookup(owner)
        if state is None or state.type != "country" or not state.country:
            continue
        name = re.sub(r"(?: (?:bin|von|der|de|da))+$", "", name.rstrip("."))
        if len(name.split()) < 2:
            continue
        found.append((name, office.lower(), state.country))
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv if not a.startswith("--")] or CORPORA
    paths = [p for p in paths if p.exists()]
    if not paths:
        print("skipped: no corpus found (../shared/corpora)")
        return 0
    resolver = default_resolver()
    cases: dict[tuple[str, str], tuple[str, str | None]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            doc = json.loads(line)
            try:
                day = parse_date(doc.get("date"))
            except InputError:
                day = None
            for name, office, state in introductions(doc.get("text", ""), resolver):
                cases.setdefault((name, state), (office, day))
    right: Counter = Counter()
    total: Counter = Counter()
    for (name, state), (office, day) in sorted(cases.items()):
        got = resolve_phrase(name, date=day, resolver=resolver)["country"]
        total[office] += 1
        if got == state:
            right[office] += 1
        elif "--misses" in argv:
            print(f"miss  {name!r:40} {office:18} want {state} got {got} ({day})")
    n, k = sum(total.values()), sum(right.values())
    print(f"persons introduced with a state and office: {n}; resolved by name alone: {k} = {k / max(n, 1):.1%}")
    for office, count in total.most_common():
        print(f"  {office:22} {right[office]:4}/{count:<4} = {right[office] / count:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
