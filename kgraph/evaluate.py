"""Score extraction against gold triples, by the rules of the gold GUIDE.

Per document, predictions and gold are reduced to distinct (source, relation,
target) tuples at state level (ISO alpha-3); tuples with an ``ORG:`` side are
left out. A prediction is a true positive when it matches any gold tuple of
the document, required or optional; AGREE, CONSULT and COOPERATE match in
either direction. Recall counts only required gold tuples. Sums are
micro-averaged; the lenient score compares quad classes instead of types.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .model import Article, Event
from .vocab import PLOVER, SYMMETRIC

__all__ = ["GoldDocument", "example_gold", "read_gold", "gold_articles", "score", "evaluate", "predictions_to_gold_format"]

_STATE = re.compile(r"^[A-Z]{3}$")


def example_gold() -> Path:
    """The gold file shipped with the package: the hand-coded triples of the
    seed article (``seeds/000_b6b70bb457706db7.txt``), for ``kgraph eval
    --example`` on a fresh install."""
    from importlib import resources

    return Path(str(resources.files("kgraph") / "data" / "gold" / "seed.jsonl"))


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str | None
    date: str | None
    events: tuple[dict, ...]


def read_gold(path: str | Path) -> list[GoldDocument]:
    """Read a gold file (GUIDE format); lines with the same id merge."""
    path = Path(path)
    docs: dict[str, GoldDocument] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                doc_id = str(record["id"])
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise InputError(f"{path}:{number}: not a gold record ({err})") from None
            old = docs.get(doc_id)
            events = tuple(record.get("events", []))
            docs[doc_id] = GoldDocument(
                doc_id,
                record.get("text") or (old.text if old else None),
                record.get("date") or (old.date if old else None),
                (old.events if old else ()) + events,
            )
    return list(docs.values())


def _key(source: str, relation: str, target: str, quad: bool) -> tuple[str, str, str] | None:
    if not (isinstance(source, str) and isinstance(target, str)):
        return None
    if not (_STATE.match(source) and _STATE.match(target)) or relation not in PLOVER:
        return None
    if relation in SYMMETRIC:
        source, target = sorted((source, target))
    return (source, PLOVER[relation].quad_class if quad else relation, target)


def score(
    gold: Mapping[str, Iterable[dict]],
    predicted: Mapping[str, Iterable[tuple[str, str, str]]],
    *,
    quad: bool = False,
) -> dict:
    """Precision, recall and F1 of ``predicted`` against ``gold``.

    Args:
        gold: Document id → gold events (dicts with source, relation,
            target, optional).
        predicted: Document id → (source state, relation, target state).
    """
    tp = fp = matched = required_total = 0
    by_relation: Counter = Counter()
    for doc_id, events in gold.items():
        required, allowed = set(), set()
        for e in events:
            k = _key(e.get("source"), e.get("relation"), e.get("target"), quad)
            if k is None:
                continue
            allowed.add(k)
            if not e.get("optional"):
                required.add(k)
        keys = {k for k in (_key(*t, quad) for t in predicted.get(doc_id, ())) if k}
        tp += len(keys & allowed)
        fp += len(keys - allowed)
        matched += len(keys & required)
        required_total += len(required)
        for k in keys - allowed:
            by_relation[(k[1], "fp")] += 1
        for k in keys & required:
            by_relation[(k[1], "tp")] += 1
        for k in required - keys:
            by_relation[(k[1], "fn")] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = matched / required_total if required_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "tp": tp,
        "fp": fp,
        "fn": required_total - matched,
        "required": required_total,
        "docs": len(gold),
        "by_relation": {
            rel: {kind: by_relation[(rel, kind)] for kind in ("tp", "fp", "fn")}
            for rel in sorted({r for r, _ in by_relation})
        },
    }


def _state_triples(events: Iterable[Event]) -> set[tuple[str, str, str]]:
    triples = set()
    for e in events:
        s, t = e.source.state, e.target.state
        if s and t:
            triples.add((s, e.relation, t))
    return triples


def _corpus_texts(paths: Iterable[str | Path], wanted: set[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in paths:
        path = Path(path)
        try:
            handle = path.open(encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot read corpus {path}: {err.strerror}") from None
        with handle:
            for line in handle:
                if not wanted - found.keys():
                    return found
                if not line.strip():
                    continue
                record = json.loads(line)
                if record.get("id") in wanted:
                    found[record["id"]] = record
    return found


def gold_articles(
    gold_path: str | Path, *, corpora: Iterable[str | Path] = ()
) -> tuple[list[GoldDocument], list[Article]]:
    """A gold file's documents and, in the same order, the articles to
    extract from: the text in the gold line, else the corpus line with its id.

    Raises:
        InputError: if a document has no text and is in no corpus file.
    """
    docs = read_gold(gold_path)
    missing = {d.id for d in docs if not d.text}
    texts = _corpus_texts(corpora, missing) if missing else {}
    unknown = sorted(missing - texts.keys())
    if unknown:
        raise InputError(
            f"{gold_path}: no text for {len(unknown)} document(s) (first: {unknown[0]}); "
            "pass the corpus holding them with --corpus"
        )
    articles = []
    for d in docs:
        if d.text:
            articles.append(_gold_article(d.id, d.text, d.date))
        else:
            rec = texts[d.id]
            articles.append(_gold_article(d.id, rec["text"], d.date or rec.get("date"), rec.get("title")))
    return docs, articles


def evaluate(gold_path: str | Path, *, corpora: Iterable[str | Path] = (), options=None) -> dict:
    """Run extraction on a gold file's documents and score it.

    Returns:
        ``{"strict": {...}, "quad": {...}, "predictions": {doc_id: [...]}}``

    Raises:
        InputError: if a document has no text and is in no corpus file.
    """
    from .pipeline import extract_articles

    docs, articles = gold_articles(gold_path, corpora=corpora)
    predicted = {a.id: _state_triples(events) for a, events in extract_articles(articles, options=options)}
    gold = {d.id: d.events for d in docs}
    return {
        "gold": str(gold_path),
        "strict": score(gold, predicted),
        "quad": score(gold, predicted, quad=True),
        "predictions": {k: sorted(v) for k, v in sorted(predicted.items())},
    }


def _gold_article(doc_id: str, text: str, date: str | None, title: str | None = None) -> Article:
    from .ingest import split_header

    header_date, body_start = split_header(text, where=doc_id)
    return Article(id=doc_id, text=text, date=date or header_date, title=title, body_start=body_start)


def predictions_to_gold_format(predictions: Mapping[str, Iterable[tuple[str, str, str]]]) -> list[dict]:
    """Predictions as gold-format records, for the reference scorer."""
    return [
        {"id": doc_id, "events": [{"source": s, "relation": r, "target": t} for s, r, t in triples]}
        for doc_id, triples in predictions.items()
    ]
