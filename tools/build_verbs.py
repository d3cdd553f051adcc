"""Generate kgraph/data/cameo_verbs.json from the CAMEO verb dictionary.

Sources (vendored with their licences under ``tools/sources/``):
  * ``petrarch2/CAMEO.2.0.txt``: PETRARCH2's CAMEO verb dictionary (MIT):
    synonym sets, verb blocks and verb + object/preposition patterns, each
    with a CAMEO event code;
  * ``plover/CAMEO2PLOVER-2021.txt``: PLOVER's table from CAMEO codes to
    PLOVER event types and modes (CC BY-SA 4.0);
  * ``tools/cameo_overrides.txt``: kgraph's own additions in the same format,
    each with the reason for it; they take precedence over the source.

Run after changing any of them, and commit the output::

    python tools/build_verbs.py

What is kept, and how it is read (the dictionary's own header explains the
format; ``PETRreader.read_verb_dictionary`` is the reference reader):

* Every verb of every block, with the regular forms PETRARCH generates (or
  the irregular ones in ``{...}``); a verb's own ``[code]`` overrides its
  block's. ``+CALL_OFF`` is the verb "call" with the particle "off";
  ``RE_+ARREST`` is "rearrest".
* Every pattern, split into: words before the verb (subject and auxiliaries),
  particles after it, object nouns, preposition phrases ``(TO BORDER)``
  (also bare ones, ``TOWARD +``), multi-word nouns ``{AIR RAID}`` (head
  last), synonym-set references ``&WEAPON`` (kept as references; the sets
  are in the output), and the ``+`` target / ``$`` source marks. ``^`` and
  ``%`` are dropped. Nouns are reduced to their singular, as spaCy lemmas
  are.
* Codes: ``[---]`` blocks coding; ``[042:043]`` codes the event in both
  directions (the second code is the target's act on the source); ``[:173]``
  codes only that reverse event.
* Of identical patterns in one block, the first wins (PETRARCH kept the
  last); kgraph's overrides come first.
* Left out: the ``~`` transformations at the end of the file, and patterns
  naming a synonym set the file never defines (PETRARCH skips them too).

CAMEO codes map to PLOVER by CAMEO2PLOVER, longest code prefix first, with
the changes in ``RELATION_OVERRIDES``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.extract.dictionary import BLOCKING_CODE as BLOCKING
from kgraph.extract.dictionary import singular

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).with_name("sources")
CAMEO = SOURCES / "petrarch2" / "CAMEO.2.0.txt"
PLOVER_TABLE = SOURCES / "plover" / "CAMEO2PLOVER-2021.txt"
OVERRIDES = Path(__file__).with_name("cameo_overrides.txt")
OUT = ROOT / "kgraph" / "data" / "cameo_verbs.json"

# kgraph's decisions where CAMEO2PLOVER and the project's GUIDE differ, by
# CAMEO code prefix (the longest prefix decides). ``None``: not an event.
RELATION_OVERRIDES: dict[str, str | None] = {
    # 01x "make public statement": PLOVER dropped the category (its manual,
    # "CAMEO vs. PLOVER"); comments, optimism, denials are not events.
    "01": None,
    # 02x "appeal": PLOVER dropped it, but the GUIDE codes appeals ("ask,
    # urge, call on") as REQUEST, the type of CAMEO's 10 "demand".
    "02": "REQUEST",
    # 163 "impose embargo, boycott or sanctions": the table says COERCE
    # (mode restrict); the GUIDE lists "impose sanctions" under SANCTION.
    "163": "SANCTION",
}

# Words after the verb that are read as particles ("set OFF", "put UP").
PARTICLES = frozenset({
    "up", "down", "out", "off", "back", "away", "forward", "aside", "together", "apart",
    "ahead", "around", "over", "in", "on", "along", "through", "behind", "open",
})
# Bare words that open a preposition phrase when no parentheses are used
# ("TROOP TOWARD +", "OVER MEETING OF +").
PREPOSITIONS = frozenset({
    "to", "toward", "towards", "of", "with", "against", "into", "from", "at", "for", "by",
    "as", "upon", "about", "after", "before", "under", "between", "among", "amid", "onto",
    "across", "near", "without", "within", "during", "following", "like", "than",
})
MARKS = {"+": "target", "$": "source"}
DROPPED = frozenset({"^", "%"})


@dataclass
class _Pattern:
    block: str
    origin: str
    text: str
    code: str
    reverse_code: str | None
    before: list[list[str]] = field(default_factory=list)
    particles: list[str] = field(default_factory=list)
    objects: list[list[str]] = field(default_factory=list)
    preps: list[dict] = field(default_factory=list)
    target: str | None = None
    source: str | None = None

    def key(self) -> str:
        return json.dumps([self.block, self.before, self.particles, self.objects, self.preps, self.target, self.source])


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].strip()


def parse_plover(text: str) -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, mode) from CAMEO2PLOVER; two-digit roots too."""
    table: dict[str, tuple[str, str]] = {}
    for raw in text.splitlines():
        line = _strip_comment(raw)
        match = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,]*))?", line)
        if match:
            code, relation, mode = match.group(1), match.group(2), (match.group(3) or "").strip()
            # First line wins: "08: CONCEDE" then "08: RETREAT" (the 3-digit
            # lines split the root), "175" listed twice.
            table.setdefault(code, (relation, mode))
    return table


def relation_of(code: str | None, table: dict[str, tuple[str, str]]) -> tuple[str | None, str]:
    """(PLOVER type or None, mode) of a CAMEO code."""
    if not code or code == BLOCKING:
        return None, ""
    for length in range(len(code), 1, -1):
        prefix = code[:length]
        if prefix in RELATION_OVERRIDES:
            return RELATION_OVERRIDES[prefix], ""
        if prefix in table:
            relation, mode = table[prefix]
            # a mode belongs to the code it is listed with, not to its children
            return relation, mode if prefix == code else ""
    return None, ""


def _words(token: str) -> list[str]:
    return [w for w in token.lower().split("_") if w]


def _noun(words: list[str]) -> list[str]:
    """A noun phrase as words, head last, each reduced to its singular
    (synonym-set references kept as written)."""
    return [w if w.startswith("&") else singular(w) for w in words]


def _tokens(segment: str) -> list[str]:
    return re.sub(r"([(){}])", r" \1 ", segment).split()


def _parse_side(tokens: list[str], pattern: _Pattern, *, before: bool) -> None:
    """Fill ``pattern`` from the words on one side of the ``*``."""
    i = 0
    open_prep: dict | None = None  # a bare preposition waiting for its noun

    def add_noun(words: list[str]) -> None:
        nonlocal open_prep
        if open_prep is not None:
            open_prep["noun"] = _noun(words)
            open_prep = None
        elif before:
            pattern.before.append(_noun(words))
        else:
            pattern.objects.append(_noun(words))

    def mark(symbol: str, where: str) -> None:
        setattr(pattern, MARKS[symbol], where)

    while i < len(tokens):
        tok = tokens[i]
        if tok in DROPPED:
            i += 1
        elif tok == "(":
            close = tokens.index(")", i) if ")" in tokens[i:] else len(tokens)
            inner = tokens[i + 1 : close]
            i = close + 1
            if not inner:
                continue
            prep = {"prep": inner[0].lower(), "noun": [], "role": None}
            words: list[str] = []
            for word in inner[1:]:
                if word in MARKS:
                    prep["role"] = MARKS[word]
                    mark(word, f"prep:{prep['prep']}")
                elif word not in ("{", "}") and word not in DROPPED:
                    words.extend(_words(word))
            prep["noun"] = _noun(words)
            pattern.preps.append(prep)
            open_prep = None
        elif tok == "{":
            close = tokens.index("}", i) if "}" in tokens[i:] else len(tokens)
            words = [w for t in tokens[i + 1 : close] for w in _words(t)]
            i = close + 1
            if words:
                add_noun(words)
        elif tok in MARKS:
            if open_prep is not None:
                open_prep["role"] = MARKS[tok]
                mark(tok, f"prep:{open_prep['prep']}")
                open_prep = None
            else:
                mark(tok, "subject" if before else "object")
            i += 1
        else:
            words = _words(tok)
            i += 1
            if not words:
                continue
            word = words[0]
            if len(words) == 1 and not before and word in PARTICLES and open_prep is None:
                pattern.particles.append(word)
            elif len(words) == 1 and word in PREPOSITIONS and i < len(tokens):
                open_prep = {"prep": word, "noun": [], "role": None}
                pattern.preps.append(open_prep)
            else:
                add_noun(words)


def _parse_pattern(line: str, block: str, origin: str) -> _Pattern | None:
    body = _strip_comment(line)[1:].strip()
    match = re.search(r"\[([^\]]*)\]\s*$", body)
    if not match or body.count("*") != 1:
        return None
    codes = match.group(1).strip()
    body = body[: match.start()].strip()
    forward, _, reverse = codes.partition(":")
    if not re.fullmatch(r"\d{2,4}|---|", forward) or (reverse and not re.fullmatch(r"\d{2,4}", reverse)):
        return None
    pattern = _Pattern(block, origin, " ".join(("-", body)), forward or None, reverse or None)
    pre, _, post = body.partition("*")
    _parse_side(_tokens(pre), pattern, before=True)
    _parse_side(_tokens(post), pattern, before=False)
    return pattern


def _regular_forms(stem: str) -> list[str]:
    """PETRARCH's regular forms: -s/-es/-ies, -ed/-d, -ing."""
    if stem.endswith(("s", "x", "z")):
        third = stem + "es"
    elif stem.endswith("y"):
        third = stem[:-1] + "ies"
    else:
        third = stem + "s"
    past = stem + "d" if stem.endswith("e") else stem + "ed"
    ing = stem[:-1] + "ing" if stem.endswith("e") and len(stem) > 1 and stem[-2] not in "aeiou" else stem + "ing"
    return [stem, third, past, ing]


def _split_verb(word: str) -> tuple[str, list[str]]:
    """``+CALL_OFF`` -> ("call", ["off"]); ``RE_+ARREST`` -> ("rearrest", [])."""
    word = word.lower()
    if "_" not in word:
        return word.lstrip("+"), []
    parts = word.split("_")
    head = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    front = "".join(p for p in parts[:head])
    return front + parts[head].lstrip("+"), [p for p in parts[head + 1 :] if p]


def _parse_verb(line: str, block: str, origin: str) -> dict | None:
    body = _strip_comment(line)
    code = None
    match = re.search(r"\[([^\]]*)\]\s*$", body)
    if match:
        code = match.group(1).strip() or None
        body = body[: match.start()].strip()
    irregular = re.search(r"\{([^}]*)\}", body)
    body_words = re.sub(r"\{[^}]*\}", " ", body).split()
    if not body_words:
        return None
    lemma, particles = _split_verb(body_words[0])
    if irregular is not None:
        forms = [lemma] + [_split_verb(w)[0] for w in irregular.group(1).split()]
    else:
        forms = _regular_forms(lemma)
    return {
        "lemma": lemma,
        "particles": particles,
        "forms": sorted(set(forms)),
        "own_code": code,
        "block": block,
        "origin": origin,
    }


@dataclass
class _Parsed:
    synsets: dict[str, list[str]] = field(default_factory=dict)
    blocks: dict[str, dict] = field(default_factory=dict)
    verbs: list[dict] = field(default_factory=list)
    patterns: list[_Pattern] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def parse_dictionary(text: str, name: str, parsed: _Parsed | None = None) -> _Parsed:
    """Read a file in the CAMEO.2.0 format into ``parsed`` (a new one if
    ``None``). ``name`` labels each entry's origin (``name:line``)."""
    parsed = parsed or _Parsed()
    block: str | None = None
    synset: str | None = None
    in_comment = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if in_comment:
            in_comment = "-->" not in stripped
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if not stripped or stripped.startswith("#"):
            if stripped.startswith("######## TRANSFORMATIONS"):
                break
            continue
        origin = f"{name}:{number}"
        if stripped.startswith("~"):
            break  # transformations: not used
        if stripped.startswith("---"):
            match = re.match(r"^---\s+(\S+)\s+(?:\[([^\]]*)\])?\s*---", stripped)
            if match is None:
                parsed.skipped["bad block header"] += 1
                continue
            block, synset = match.group(1), None
            code = (match.group(2) or BLOCKING).strip() or BLOCKING
            parsed.blocks.setdefault(block, {"name": block, "code": code, "origin": origin})
        elif block is None and stripped.startswith("&"):
            synset = _strip_comment(stripped).lower()
            parsed.synsets.setdefault(synset, [])
        elif block is None and stripped.startswith("+") and synset is not None:
            words = _words(_strip_comment(stripped)[1:].replace(" ", "_"))
            if words:
                member = " ".join(_noun(words))
                if member not in parsed.synsets[synset]:
                    parsed.synsets[synset].append(member)
        elif block is not None and stripped.startswith("-"):
            pattern = _parse_pattern(stripped, block, origin)
            if pattern is None:
                parsed.skipped["unreadable pattern"] += 1
            else:
                parsed.patterns.append(pattern)
        elif block is not None:
            verb = _parse_verb(stripped, block, origin)
            if verb is None:
                parsed.skipped["unreadable verb"] += 1
            else:
                parsed.verbs.append(verb)
    return parsed


def _synset_refs(pattern: _Pattern) -> set[str]:
    nouns = [*pattern.before, *pattern.objects, *(p["noun"] for p in pattern.preps)]
    return {w for noun in nouns for w in noun if w.startswith("&")}


def build(cameo_text: str, plover_text: str, overrides_text: str = "") -> dict:
    """The dictionary data, from the texts of the three sources."""
    table = parse_plover(plover_text)
    # Overrides are read first so that their patterns and verbs take
    # precedence; the source's blocks keep their own header codes.
    override = parse_dictionary(overrides_text, "cameo_overrides.txt")
    source = parse_dictionary(cameo_text, "CAMEO.2.0.txt")
    blocks = dict(source.blocks)
    for name, header in override.blocks.items():
        blocks.setdefault(name, header)
    synsets = {name: sorted(members) for name, members in {**source.synsets, **override.synsets}.items()}
    skipped = source.skipped + override.skipped

    patterns_out: list[dict] = []
    seen: set[str] = set()
    for pattern in [*override.patterns, *source.patterns]:
        if _synset_refs(pattern) - synsets.keys():
            skipped["undefined synonym set"] += 1
            continue
        key = pattern.key()
        if key in seen:
            skipped["repeated pattern"] += 1
            continue
        seen.add(key)
        relation, mode = relation_of(pattern.code, table)
        reverse_relation, _ = relation_of(pattern.reverse_code, table)
        patterns_out.append({
            "block": pattern.block,
            "text": pattern.text,
            "origin": pattern.origin,
            "code": pattern.code or "",
            "relation": relation,
            "mode": mode,
            "reverse_code": pattern.reverse_code or "",
            "reverse_relation": reverse_relation,
            "before": pattern.before,
            "particles": pattern.particles,
            "objects": pattern.objects,
            "preps": pattern.preps,
            "target": pattern.target,
            "source": pattern.source,
        })
    # Stable order: by block, then precedence (overrides, then file order).
    order = {name: i for i, name in enumerate(sorted(blocks))}
    patterns_out.sort(key=lambda p: order[p["block"]])

    verbs_out: list[dict] = []
    seen_verbs: set[tuple] = set()
    for verb in [*override.verbs, *source.verbs]:
        key = (verb["lemma"], tuple(verb["particles"]), verb["block"])
        if key in seen_verbs:
            skipped["repeated verb"] += 1
            continue
        seen_verbs.add(key)
        code = verb["own_code"] or blocks[verb["block"]]["code"]
        relation, mode = relation_of(code, table)
        verbs_out.append({
            "lemma": verb["lemma"],
            "particles": verb["particles"],
            "forms": verb["forms"],
            "block": verb["block"],
            "code": code,
            "relation": relation,
            "mode": mode,
            "origin": verb["origin"],
        })
    verbs_out.sort(key=lambda v: (v["lemma"], v["particles"], v["block"]))
    return {
        "about": (
            "Generated by tools/build_verbs.py from tools/sources/petrarch2/CAMEO.2.0.txt (MIT), "
            "tools/sources/plover/CAMEO2PLOVER-2021.txt (CC BY-SA 4.0) and tools/cameo_overrides.txt; "
            "do not edit by hand."
        ),
        "skipped": dict(sorted(skipped.items())),
        "synsets": dict(sorted(synsets.items())),
        "blocks": [{"name": b["name"], "code": b["code"], "relation": relation_of(b["code"], table)[0]}
                   for b in sorted(blocks.values(), key=lambda b: b["name"])],
        "verbs": verbs_out,
        "patterns": patterns_out,
    }


def _compact(entry: dict) -> dict:
    """The entry without its empty fields (the loader fills them in)."""
    return {k: v for k, v in entry.items() if v not in ("", None, [], {})}


def render(data: dict) -> str:
    """JSON with one verb, pattern or synonym set per line, so diffs read."""
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    lines = ["{"]
    keys = list(data)
    for k, key in enumerate(keys):
        value = data[key]
        comma = "," if k < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(f"{dump(key)}: [")
            lines.extend(f"  {dump(_compact(item))}{',' if i < len(value) - 1 else ''}" for i, item in enumerate(value))
            lines.append(f"]{comma}")
        elif isinstance(value, dict) and key == "synsets":
            lines.append(f"{dump(key)}: {{")
            items = list(value.items())
            lines.extend(f"  {dump(n)}: {dump(m)}{',' if i < len(items) - 1 else ''}" for i, (n, m) in enumerate(items))
            lines.append(f"}}{comma}")
        else:
            lines.append(f"{dump(key)}: {dump(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    data = build(
        CAMEO.read_text(encoding="utf-8"),
        PLOVER_TABLE.read_text(encoding="utf-8"),
        OVERRIDES.read_text(encoding="utf-8") if OVERRIDES.exists() else "",
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(data), encoding="utf-8")
    relations = Counter(p["relation"] or ("blocked" if p["code"] == BLOCKING else "none") for p in data["patterns"])
    print(
        f"wrote {out}: {len(data['blocks'])} blocks, {len(data['verbs'])} verbs, "
        f"{len(data['patterns'])} patterns ({', '.join(f'{k} {v}' for k, v in sorted(relations.items()))}); "
        f"skipped {data['skipped']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
