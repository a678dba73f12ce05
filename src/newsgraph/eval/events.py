"""Scoring events against the PLOVER gold-standard records (edited CAMEO manual examples).

    newsgraph eval events --plover ../shared/eval/plover/PLOVER_GSR_CAMEO.txt

Gold: one JSON object per record (`text`, `event`, `source`/`target` lists of
`{actorText, ...}`); the file is a JSON array. The `DOCUMENT` record is not an event.
Pre-2021 categories are read as their PLOVER 2021 successors: DEMAND as REQUEST,
DISAPPROVE and INVESTIGATE as ACCUSE, FIGHT as ASSAULT.

Predictions: the `asserted` events of the record (negated, hypothetical and alleged
events did not happen, so PLOVER would not code them), in text order.

Metrics, over the gold records:
- type accuracy: some predicted event has the gold type;
- first-event type accuracy: the first predicted event has the gold type (a record with
  no event is wrong on both);
- distinct types per record: the mean number of different predicted types (many types
  would make the first metric easy);
- source / target accuracy, over the records whose gold has a source (target): the actor
  of the predicted event (the first one of the gold type, else the first one) matches
  when its words (actor1_text / actor2_text, or the name of the entity it points at)
  share a content word with some gold actorText. Reported over all records with that
  gold actor and over those where the gold type was found.
- time share: the events component's share of the whole pipeline's time on these texts.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OLD_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
STOP = {
    "the",
    "of",
    "a",
    "an",
    "and",
    "in",
    "on",
    "for",
    "to",
    "'s",
    "s",
    "its",
    "their",
    "his",
    "her",
}


@dataclass
class GoldRecord:
    id: str
    text: str
    type: str
    sources: list[str]
    targets: list[str]


def read_plover(path: Path) -> list[GoldRecord]:
    """The gold records of a PLOVER GSR file (a JSON array, or one object per line)."""
    raw = path.read_text(encoding="utf-8")
    try:
        items = json.loads(raw)
    except json.JSONDecodeError:
        items = [json.loads(line) for line in raw.splitlines() if line.strip()]
    records = []
    for item in items:
        event = item.get("event", "")
        if event == "DOCUMENT" or not item.get("text"):
            continue
        records.append(
            GoldRecord(
                item.get("id", ""),
                item["text"],
                OLD_TYPES.get(event, event),
                _actor_texts(item.get("source")),
                _actor_texts(item.get("target")),
            )
        )
    return records


def _actor_texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [a["actorText"] for a in value if isinstance(a, dict) and a.get("actorText")]


def _words(text: str | None) -> set[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z.\-']*", text or "")}
    return {w.rstrip(".").removesuffix("'s") for w in words} - STOP


def actor_matches(predicted: list[str | None], gold: list[str]) -> bool:
    """Some predicted wording of the actor shares a content word with some gold actorText."""
    pred = set().union(*(_words(p) for p in predicted)) if predicted else set()
    return any(pred & _words(g) for g in gold)


def evaluate(path: Path, nlp=None) -> dict[str, Any]:
    from newsgraph.pipeline import build_pipeline, make_doc
    from newsgraph.pipeline.events import extract_events

    gold = read_plover(path)
    nlp = nlp or build_pipeline()
    # Time the events component apart from the rest of the pipeline on the same texts.
    with nlp.select_pipes(disable=["newsgraph_events"]):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(make_doc(nlp, g.text) for g in gold))
        rest = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        doc._.events = extract_events(doc)
    own = time.perf_counter() - t0

    n = len(gold)
    type_ok = first_ok = 0
    distinct = 0
    # Per role ("source", "target"): records with gold actors, right, and both again
    # counting only records where the gold type was found.
    actors: dict[str, Counter[str]] = {"source": Counter(), "target": Counter()}
    per_type: Counter[str] = Counter()
    per_type_ok: Counter[str] = Counter()
    misses: list[str] = []
    for g, doc in zip(gold, docs, strict=True):
        names = {e.id: e.name for e in doc._.entities or []}
        events = [e for e in doc._.events if e.modality == "asserted"]
        types = [e.type for e in events]
        per_type[g.type] += 1
        found = g.type in types
        type_ok += found
        per_type_ok[g.type] += found
        first_ok += bool(types) and types[0] == g.type
        distinct += len(set(types))
        if not found:
            misses.append(f"{g.type:9} got {','.join(types) or '-':25} {g.text[:110]}")
        chosen = next((e for e in events if e.type == g.type), events[0] if events else None)
        for role, gold_actors, text, entity in (
            ("source", g.sources, "actor1_text", "actor1"),
            ("target", g.targets, "actor2_text", "actor2"),
        ):
            if not gold_actors:
                continue
            ok = chosen is not None and actor_matches(
                [getattr(chosen, text), names.get(getattr(chosen, entity) or "")], gold_actors
            )
            count = actors[role]
            count["n"] += 1
            count["ok"] += ok
            if found:
                count["found_n"] += 1
                count["found_ok"] += ok
    result = {
        "records": n,
        "type_accuracy": type_ok / n if n else 0.0,
        "first_type_accuracy": first_ok / n if n else 0.0,
        "distinct_types_per_record": distinct / n if n else 0.0,
        "per_type": {t: (per_type_ok[t], per_type[t]) for t in sorted(per_type)},
        "events_seconds": own,
        "pipeline_seconds": rest + own,
        "events_time_share": own / (rest + own) if rest + own else 0.0,
        "misses": misses,
    }
    for role, c in actors.items():
        result[f"{role}_accuracy"] = c["ok"] / c["n"] if c["n"] else 0.0
        result[f"{role}_records"] = c["n"]
        result[f"{role}_accuracy_when_type_found"] = (
            c["found_ok"] / c["found_n"] if c["found_n"] else 0.0
        )
    return result


def format_report(m: dict[str, Any], verbose: bool = False) -> str:
    lines = [
        f"PLOVER gold records: {m['records']}",
        f"type accuracy (an event of the gold type found): {m['type_accuracy']:.3f}",
        f"first event's type accuracy:                     {m['first_type_accuracy']:.3f}",
        f"distinct types per record:                       {m['distinct_types_per_record']:.2f}",
        f"source accuracy: {m['source_accuracy']:.3f} of {m['source_records']} "
        f"({m['source_accuracy_when_type_found']:.3f} where the type was found)",
        f"target accuracy: {m['target_accuracy']:.3f} of {m['target_records']} "
        f"({m['target_accuracy_when_type_found']:.3f} where the type was found)",
        "per type (found / records): "
        + ", ".join(f"{t} {ok}/{n}" for t, (ok, n) in m["per_type"].items()),
        f"events component: {m['events_seconds']:.2f} s of {m['pipeline_seconds']:.2f} s "
        f"pipeline time ({100 * m['events_time_share']:.1f}%)",
    ]
    if verbose:
        lines += ["misses:", *("  " + x for x in m["misses"])]
    return "\n".join(lines)
