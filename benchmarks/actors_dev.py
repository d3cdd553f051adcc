"""Score actor resolution on ../shared/gold/actors-dev.jsonl (NGEC actor cases).

Prints country and sector accuracy over the cases that check them. NGEC codes
international organisations as country "IGO" (the EU "EUR", the UN "UNO") and
"" for no state; kgraph's ``ORG:`` ids are mapped to those codes for scoring.

    python benchmarks/actors_dev.py [GOLD] [--errors]

Exits 0 without scoring when the gold file is absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgraph.resolve import resolve_file  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "actors-dev.jsonl"
_NGEC_ORGS = {"ORG:EU": "EUR", "ORG:UN": "UNO"}


def ngec_country(result: dict) -> str:
    """kgraph's result in NGEC's country code."""
    if result["country"]:
        return result["country"]
    actor_id = result["id"] or ""
    if actor_id.startswith("ORG:"):
        org = actor_id.split(".")[0]
        if org in _NGEC_ORGS:
            return _NGEC_ORGS[org]
        # An international body keeps IGO as a secondary sector when its
        # primary one says what it does (a court: JUD).
        return "IGO" if "IGO" in (result["sector"], *result.get("secondary", ())) else ""
    return ""


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    gold_path = Path(args[0]) if args else DEFAULT_GOLD
    if not gold_path.exists():
        print(f"skipped: {gold_path} not found")
        return 0
    cases = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = list(resolve_file(gold_path))
    totals = {"country": [0, 0], "sector": [0, 0]}
    by_kind: dict[tuple[str, str], list[int]] = {}
    for case, result in zip(cases, results):
        got = {"country": ngec_country(result), "sector": result["sector"] or ""}
        for field in totals:
            if case[field] is None:
                continue
            kind = by_kind.setdefault((field, case.get("kind") or "?"), [0, 0])
            totals[field][1] += 1
            kind[1] += 1
            if got[field] == case[field]:
                totals[field][0] += 1
                kind[0] += 1
            elif "--errors" in argv:
                print(f"{field:7} {case['text']!r:60} want {case[field]!r:6} got {got[field]!r:6} ({result['id']})")
    for field, (right, total) in totals.items():
        kinds = ", ".join(f"{k} {r}/{t}" for (f, k), (r, t) in sorted(by_kind.items()) if f == field)
        print(f"{field} accuracy: {right}/{total} = {right / total:.1%}  ({kinds})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
