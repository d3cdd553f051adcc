"""Convert the field's actor dictionaries (vendored in tools/sources/) into
kgraph's actor data.

Sources (raw files with their licences, never edited):
  * tools/sources/ngec/PLOVER_agents.txt: the NGEC / POLECAT agent
    dictionary in PLOVER sector codes (MIT, in its header);
  * tools/sources/petrarch2/Phoenix.agents.txt: the CAMEO agent dictionary
    of PETRARCH2 (MIT, tools/sources/petrarch2/LICENSE);
  * tools/sources/petrarch2/Phoenix.Countries.actors.txt: office holders of
    each state with codes valid in date ranges (MIT);
  * tools/sources/petrarch2/Phoenix.MilNonState.actors.txt: non-state armed
    groups with their state (MIT).

Outputs (actor-file format, see kgraph/resolve/dictionary.py):
  * kgraph/data/actors/agents.tsv: agent nouns as role rows, NGEC's entry
    first, CAMEO's where NGEC has none; regular plurals made as PETRARCH
    makes them, irregular ones as the files list them in ``{...}``;
    composite codes (``~CVLOPP``) give the primary sector (the first three
    letters, as NGEC reads them) and the secondary ones after ``;``;
  * kgraph/data/phoenix_people.tsv: office holders, one line per person
    with the sector of each period (a compact format of its own), the code valid on each date (an open range counts up
    to today); read after the hand-written leaders, so that the dated
    entry wins where the two disagree;
  * kgraph/data/actors/phoenix_groups.tsv: armed groups of the MilNonState
    file, read before the hand-written lists, which win.

Standard library only; regenerate with::

    python tools/convert_sources.py

``tests/test_resolve.py`` regenerates into a temporary folder and fails when
the package data differ from what this script makes of the vendored files.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).resolve().parent / "sources"
DATA = ROOT / "kgraph" / "data"
ACTORS = DATA / "actors"

NGEC_AGENTS = SOURCES / "ngec" / "PLOVER_agents.txt"
CAMEO_AGENTS = SOURCES / "petrarch2" / "Phoenix.agents.txt"
PHOENIX_COUNTRIES = SOURCES / "petrarch2" / "Phoenix.Countries.actors.txt"
PHOENIX_MILNONSTATE = SOURCES / "petrarch2" / "Phoenix.MilNonState.actors.txt"

HEADER = "pattern\tid\tlabel\ttype\tcountry\tsector\tstart\tend\n"

# CAMEO's sector codes in PLOVER's (PLOVER manual, "Sector code notes": CAMEO
# MED was media, HLH medical; INS and SEP are folded into REB). Religions and
# the other CAMEO-only codes go to the PLOVER sector NGEC gives the same
# nouns (ENVIRONMENTALIST ~SOC, HUMAN_RIGHTS_GROUP ~NGO).
CAMEO_TO_PLOVER = {
    "MED": "JRN", "HLH": "MED", "INS": "REB", "SEP": "REB", "HRI": "NGO", "ENV": "SOC",
    "DEV": "SOC", "PPL": "CVL", "RAD": "CVL", "MOD": "CVL", "IMG": "REB", "MNC": "BUS",
    "CHR": "REL", "CTH": "REL", "PRO": "REL", "ORT": "REL", "MAR": "REL", "MUS": "REL",
    "SHI": "REL", "SUN": "REL", "ALE": "REL", "DRZ": "REL", "JEW": "REL", "HIN": "REL",
    "BUD": "REL", "JAN": "REL", "SIK": "REL", "ZRO": "REL", "BAH": "REL", "CON": "REL",
    "TAO": "REL", "SHN": "REL", "JAI": "REL", "ATH": "REL", "REL": "REL",
}
# PLOVER's sector codes (PLOVER manual, "Sector Codes") and NGEC's extras:
# other 3-letter parts of a code are regions or territories ("GBRVGBGOV":
# the British Virgin Islands' government) and are skipped.
PLOVER_SECTORS = {
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS", "CRM",
    "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC", "IGO", "NGO", "JNK", "NON",
}
# A CAMEO code that PLOVER keeps only as a secondary one ("typically
# assigned as a secondary code"): the noun is a civilian in opposition.
SECONDARY_ONLY = {"OPP": "CVL"}

# Words that title a name ("PRESIDENT_PUTIN_"): such aliases are left out,
# since kgraph reads the title and the name apart.
_TITLE_WORDS = {
    "president", "prime", "minister", "premier", "chancellor", "king", "queen", "prince", "general",
    "gen", "gen.", "sheikh", "sheik", "emir", "sultan", "ayatollah", "mr", "mr.", "mrs", "mrs.", "dr",
    "dr.", "sir", "secretary", "senator", "sen.", "governor", "mayor", "chairman", "leader", "former",
    "colonel", "col.", "lt.", "captain", "commander", "marshal", "admiral", "judge", "speaker",
    "foreign", "defense", "defence", "interior", "finance", "vice", "deputy", "ambassador", "envoy",
    "crown", "pope", "imam", "kanzler", "bundeskanzler", "presidente", "ministro", "cardinal", "bishop", "archbishop", "rabbi", "mullah", "chief", "head",
}
# Lower-case parts of names in English news ("Bashar al-Assad", "Ursula von der Leyen").
_PARTICLES = {"of", "the", "for", "and", "in", "on", "al", "el", "bin", "ibn", "de", "del", "della", "da", "dos", "das", "do", "van", "von", "der", "den", "la", "le", "di", "du"}


# -- agents ---------------------------------------------------------------------


def _sectors(code: str, *, cameo: bool) -> list[str]:
    """A composite code in PLOVER sectors, primary first: ``GOVMIL`` →
    ``["GOV", "MIL"]``; CAMEO's ``MED`` → ``JRN``."""
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    if cameo:
        parts = [CAMEO_TO_PLOVER.get(p, p) for p in parts]
        if parts[0] in SECONDARY_ONLY:
            parts.insert(0, SECONDARY_ONLY[parts[0]])
    else:
        # NGEC's file keeps a few CAMEO-only codes (INTERNATIONAL_TERRORIST [~IMG]).
        parts = [p if p in PLOVER_SECTORS else CAMEO_TO_PLOVER.get(p, p) for p in parts]
    seen: list[str] = []
    for part in parts:
        if part in PLOVER_SECTORS and part not in seen:
            seen.append(part)
    return seen


def _plural(words: list[str]) -> list[str]:
    """The regular plural PETRARCH makes of an agent noun: of the word before
    "of"/"for" in a compound ("chamber of commerce"), else of the last."""
    lower = [w.lower() for w in words]
    at = next((i - 1 for i, w in enumerate(lower) if w in ("of", "for") and i > 0), len(words) - 1)
    word = words[at]
    low = word.lower()
    if low.endswith(("man",)) and not low.endswith(("human", "shaman", "german", "roman", "ottoman")):
        plural = word[:-3] + ("MEN" if word.isupper() else "men")
    elif re.search(r"[^aeiou]y$", low):
        plural = word[:-1] + "ies"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        plural = word + "es"
    else:
        plural = word + "s"
    return words[:at] + [plural] + words[at + 1 :]


_AGENT = re.compile(r"^(?P<noun>[^\[{#]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[~?(?P<code>[A-Z]+)\s*[\]}]")


def read_agents(path: Path, *, cameo: bool) -> dict[str, tuple[list[str], str]]:
    """Agent nouns of a PETRARCH agent file: lower-cased phrase → (PLOVER
    sectors, the raw entry). The first entry of a phrase in the file wins."""
    text = path.read_text(encoding="utf-8", errors="replace")
    subs: dict[str, list[str]] = {}
    nouns: dict[str, tuple[list[str], str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        sub = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if sub:
            subs[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        m = _AGENT.match(line.strip())
        if not m:
            continue
        sectors = _sectors(m.group("code"), cameo=cameo)
        raw = line.strip()
        forms = [m.group("noun").strip()]
        for name, values in subs.items():
            if any(name in f for f in forms):
                forms = [f.replace(name, v) for f in forms for v in values]
        irregular = [p.strip() for p in (m.group("plural") or "").split(",") if p.strip()]
        for form in forms:
            words = [w for w in re.split(r"[_\s]+", form) if w]
            if not words:
                continue
            phrases = [words]
            if irregular:
                phrases += [[w for w in re.split(r"[_\s]+", p) if w] for p in irregular]
            elif not any(name for name in subs if name in m.group("noun")):
                phrases.append(_plural(words))
            for phrase in phrases:
                key = " ".join(phrase).lower()
                if key and key not in nouns:
                    nouns[key] = (sectors, raw)
    return nouns


def build_agents() -> str:
    """agents.tsv: NGEC's nouns, then CAMEO's that NGEC lacks."""
    ngec = read_agents(NGEC_AGENTS, cameo=False)
    cameo = read_agents(CAMEO_AGENTS, cameo=True)
    rows = []
    for source, nouns, others in (("NGEC", ngec, {}), ("CAMEO", cameo, ngec)):
        for key in sorted(nouns):
            if key in others:
                continue
            sectors, raw = nouns[key]
            label = f"{source}: {raw}".replace("\t", " ")
            rows.append(f"{key}\tROLE:g\t{label}\trole\t\t{';'.join(sectors)}\t\t\n")
    head = (
        "# Agent nouns of the field's dictionaries as role rows. Generated by\n"
        "# tools/convert_sources.py from tools/sources/ngec/PLOVER_agents.txt (NGEC, MIT)\n"
        "# and tools/sources/petrarch2/Phoenix.agents.txt (CAMEO, MIT); NGEC's entry wins,\n"
        "# CAMEO's codes are mapped to PLOVER's. Sector: primary;secondary. The label names\n"
        "# the source entry. kgraph/data/actors/roles.tsv overrides some (see there).\n"
    )
    return head + HEADER + "".join(rows)


# -- Phoenix actors -----------------------------------------------------------


def _day(text: str) -> date:
    """A PETRARCH yymmdd (or yyyymmdd) date; the files date from 2014, so
    yy 00-20 are 2000s."""
    if len(text) == 8:
        year, mm, dd = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
        year = 2000 + yy if yy <= 20 else 1900 + yy
    return date(year, max(mm, 1), max(min(dd, 28 if mm == 2 else 30 if mm in (4, 6, 9, 11) else 31), 1))


def _name(raw: str) -> str:
    """``ABDEL_FATTAH_AL-SISI_`` → ``Abdel Fattah al-Sisi``."""
    words = [w for w in raw.strip().strip("_").split("_") if w]
    out = []
    for n, word in enumerate(words):
        parts = re.split(r"([-'])", word.lower())
        parts = [p if p in ("-", "'") else p.capitalize() for p in parts]
        text = "".join(parts)
        low = word.lower()
        if n and low in _PARTICLES:
            text = low
        elif n and "-" in low and low.split("-")[0] in ("al", "el"):
            text = low.split("-")[0] + text[len(low.split("-")[0]) :]
        out.append(text)
    return " ".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_BLOCK_CODE = re.compile(r"\[([A-Z]+)\s*(?:([<>]?)(\d{8}|\d{6})(?:\s*-\s*(\d{8}|\d{6}))?)?\s*\]")


def read_phoenix(path: Path) -> list[dict]:
    """Blocks of a PETRARCH actor file: {"names": [...], "codes": [(code,
    start, end)], "inline": code or None}; dates as ``date`` or ``None``."""
    blocks: list[dict] = []
    current: dict | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        if body[:1] in ("\t", " ") and body.strip().startswith("["):
            if current is None:
                continue
            current["coded"] = True
            m = _BLOCK_CODE.search(body)
            if not m:
                continue
            code, mark, first, second = m.groups()
            start = end = None
            if first and second:
                start, end = _day(first), _day(second)
            elif first and mark == "<":
                end = _day(first)
            elif first:
                start = _day(first)
            current["codes"].append((code, start, end))
            continue
        if body.startswith("+"):
            if current is not None:
                for alias in body[1:].split("+"):
                    name = _BLOCK_CODE.sub("", alias).strip()
                    if name:
                        current["names"].append(name)
            continue
        m = _BLOCK_CODE.search(body)
        if current is not None and not current["coded"] and not current["inline"] and not m:
            # A name with no code of its own shares the codes of the next
            # ("DMITRY_MEDVEDEV_" before "DMITR_MEDVEDEV_ ... [RUSGOV ...]").
            current["names"].append(body.strip())
            continue
        current = {"names": [_BLOCK_CODE.sub("", body).strip()], "codes": [], "coded": False, "inline": m.group(1) if m else None}
        blocks.append(current)
    return blocks


def _segments(codes: list[tuple[str, date | None, date | None]]) -> list[tuple[date | None, date | None, str | None]]:
    """Non-overlapping periods, each with the code valid then: the range with
    the latest start wins where ranges overlap, the undated code (if any)
    holds outside them; with no undated code, a person is a former official
    (ELI) after their last office, and before the first is marked "-"
    (nothing known: no row is written for it)."""
    default = next((c for c, s, e in codes if s is None and e is None), None)
    ranges = [(c, s or date.min, e or date.max) for c, s, e in codes if s is not None or e is not None]
    if not ranges:
        return [(None, None, default)]
    points = sorted({s for _, s, _ in ranges} | {e + timedelta(days=1) for _, _, e in ranges if e < date.max} | {date.min})
    last_end = max(e for _, _, e in ranges)
    first_start = min(s for _, s, _ in ranges)
    out: list[list] = []
    for n, lo in enumerate(points):
        hi = points[n + 1] - timedelta(days=1) if n + 1 < len(points) else date.max
        covering = [r for r in ranges if r[1] <= lo and hi <= r[2]]
        if covering:
            code = max(covering, key=lambda r: r[1])[0]
        elif default is not None:
            code = default
        elif lo > last_end and ranges:
            code = "ELI!"  # after the last office
        elif hi < first_start:
            code = "-"  # before the first office: the country only
        else:
            code = "ELI!"
        if out and out[-1][2] == code:
            out[-1][1] = hi
        else:
            out.append([lo, hi, code])
    return [(None if lo == date.min else lo, None if hi == date.max else hi, code) for lo, hi, code in out]


def _states() -> set[str]:
    states = set()
    for line in (ACTORS / "states.tsv").read_text(encoding="utf-8").splitlines():
        row = line.split("\t")
        if len(row) > 3 and row[3] == "country" and row[1] == row[4]:
            states.add(row[1])
    return states


def _known_people() -> tuple[dict[tuple[str, str], str], dict[str, set[tuple[date, date]]]]:
    """(pattern, country) → id of the project's person entries (leaders.tsv),
    so that a Phoenix name the project lists keeps the project's id; and the
    dated periods the project gives each id."""
    known: dict[tuple[str, str], str] = {}
    periods: dict[str, set[tuple[date, date]]] = {}
    for line in (ACTORS / "leaders.tsv").read_text(encoding="utf-8").splitlines():
        row = line.split("\t")
        if len(row) > 7 and row[3] == "person":
            known.setdefault((row[0], row[4]), row[1])
            if row[6]:
                end = date.fromisoformat(row[7]) if row[7] else date.max
                periods.setdefault(row[1], set()).add((date.fromisoformat(row[6]), end))
    return known, periods


def _newer_removed(
    segments: list[tuple[date | None, date | None, str | None]], newer: set[tuple[date, date]]
) -> list[tuple[date | None, date | None, str | None]]:
    """Segments less the periods of the project's list that start after them:
    of two dated statements about a person on a day, the one made for the
    later period wins (Merkel's open 2005 term in the 2014 file ends where the
    project's list records her leaving office in 2021)."""
    out = []
    for start, end, code in segments:
        pieces = [(start or date.min, end or date.max)]
        for lo, hi in sorted(newer):
            if lo <= (start or date.min):
                continue
            cut = []
            for a, b in pieces:
                if hi < a or lo > b:
                    cut.append((a, b))
                    continue
                if a < lo:
                    cut.append((a, lo - timedelta(days=1)))
                if hi < b:
                    cut.append((hi + timedelta(days=1), b))
            pieces = cut
        out += [(None if a == date.min else a, None if b == date.max else b, code) for a, b in pieces]
    return out


def _words_of_places() -> set[str]:
    """Lower-cased names and demonyms of states, which title a name ("RUSSIAN_PRESIDENT_...")."""
    words = set()
    for line in (ACTORS / "states.tsv").read_text(encoding="utf-8").splitlines():
        row = line.split("\t")
        if len(row) > 3 and row[3] == "country" and row[0] != "pattern":
            words.add(row[0].lower())
    return words


def build_people() -> str:
    """phoenix_people.tsv: one row per name and period of each office holder."""
    states = _states()
    known, known_periods = _known_people()
    places = _words_of_places()
    rows: list[str] = []
    seen: set[str] = set()
    for block in read_phoenix(PHOENIX_COUNTRIES):
        if block["inline"] or not any(s or e for _, s, e in block["codes"]):
            continue  # a state, a place or a body: people hold offices for a time
        codes = [(c, s, e) for c, s, e in block["codes"] if c[:3] in states]
        if not codes or len({c[:3] for c, _, _ in codes}) > 1:
            continue  # a state's own entry, or a person coded to several states
        country = codes[0][0][:3]
        names = []
        for raw in block["names"]:
            name = _name(raw)
            words = name.lower().split()
            if len(words) < 2 or any(w in _TITLE_WORDS for w in words) or words[0] in places or name.lower() in places:
                continue
            if not re.fullmatch(r"[A-Za-z][A-Za-z.'\-]*( [A-Za-z][A-Za-z.'\-]*)+", name):
                continue
            if name not in names:
                names.append(name)
        names = [n for n in names if n not in seen]
        if not names:
            continue
        seen.update(names)
        label = names[0]
        actor_id = next((known[(n, country)] for n in names if (n, country) in known), f"{country}.PER.{_slug(label)}")
        periods = []
        segments = _segments([(c[3:] or "", s, e) for c, s, e in codes])
        for start, end, code in _newer_removed(segments, known_periods.get(actor_id, set())):
            if code == "-":
                continue  # before the first office the file says nothing of the person
            if code == "ELI!":
                sector = "ELI"
            elif code in (None, ""):
                sector = ""
            else:
                sector = next(iter(_sectors(code, cameo=True)), "")
            periods.append(f"{sector}@{start.isoformat() if start else ''}..{end.isoformat() if end else ''}")
        if periods:
            rows.append(f"{'|'.join(names)}\t{actor_id}\t{country}\t{' '.join(periods)}\n")
    head = (
        "# Office holders with dated roles, from tools/sources/petrarch2/Phoenix.Countries.actors.txt\n"
        "# (PETRARCH2 / CountryInfo, MIT). Generated by tools/convert_sources.py. One person a line:\n"
        "# names (|-separated; the first is the label), id, country, and the sector of each period\n"
        "# (SECTOR@start..end, ISO dates, empty = open; an open range counts up to today; after a\n"
        "# person's last listed office, with no code given, the person is a former official, ELI).\n"
        "# Read after leaders.tsv, so the dated entry wins. Names with a title or of one word are left out.\n"
    )
    return head + "names\tid\tcountry\tperiods\n" + "".join(rows)


def build_groups() -> str:
    """phoenix_groups.tsv: non-state armed groups and their state."""
    states = _states()
    rows = []
    seen: set[str] = set()
    for block in read_phoenix(PHOENIX_MILNONSTATE):
        code = block["inline"] or (block["codes"][0][0] if block["codes"] else None)
        if not code:
            continue
        country = code[:3] if code[:3] in states else ""
        rest = code[3:] if country else code[3:]
        sectors = _sectors(rest, cameo=True) if rest else []
        sector = next((s for s in sectors if s in ("REB", "PRM", "CRM", "UAF", "MIL")), "REB")
        names = []
        for raw in block["names"]:
            raw = re.sub(r"_\([A-Z0-9\-]+\)_?$", "_", raw.strip())
            name = _name(raw)
            if " " not in name and len(name) <= 5:
                name = name.upper()  # an acronym: "FARC", "PFLP"
            if len(name) < 4 or name in seen or not re.fullmatch(r"[A-Za-z][A-Za-z .'\-&]*", name):
                continue  # too short, or with digits ("MAY_15_"): a date, not a name
            names.append(name)
        if not names:
            continue
        seen.update(names)
        label = names[0]
        actor_id = f"{country}.GRP.{_slug(label)}" if country else f"GRP.{_slug(label)}"
        for name in names:
            rows.append(f"{name}\t{actor_id}\t{label}\tgroup\t{country}\t{sector}\t\t\n")
    head = (
        "# Non-state armed groups, from tools/sources/petrarch2/Phoenix.MilNonState.actors.txt\n"
        "# (PETRARCH2, MIT). Generated by tools/convert_sources.py; country is the group's state\n"
        "# (empty for transnational ones). Read before the hand-written lists, which win.\n"
    )
    return head + HEADER + "".join(rows)


OUTPUTS = {
    "actors/agents.tsv": build_agents,
    "actors/phoenix_groups.tsv": build_groups,
    "phoenix_people.tsv": build_people,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="data folder to write to (default: kgraph/data)")
    args = parser.parse_args(argv)
    for name, build in OUTPUTS.items():
        text = build()
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows = sum(1 for line in text.splitlines() if line and not line.startswith("#")) - 1
        print(f"{name}: {rows} rows, {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
