"""TimeML reader and TempEval-3 timex scorer: `newsgraph eval time --timeml DIR...`.

Each `.tml` file gives a text (the TEXT element's content with its tags removed, offsets
tracked), its gold TIMEX3 spans, and the document creation time (the TIMEX3 with
functionInDocument="CREATION_TIME"), which is passed to the pipeline as the publication
date and excluded from scoring.

Metrics follow TempEval-3 (UzZaman et al. 2013): span precision/recall/F1 with relaxed
(any overlap) and strict (exact) matching; for the attributes type and value, accuracy over
the relaxed matches and attribute F1, where a system timex counts only if it matches a gold
one relaxedly AND carries the same attribute (so P = correct/|system|, R = correct/|gold|).
Matching is one-to-one (each gold timex pairs with at most one system timex), which is never
more lenient than the official toolkit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# A gold TIMEX3 has exactly the shape of a record's time expression.
from newsgraph.record import Time as Timex

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
_TEXT_BODY = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TIMEX = re.compile(r"<TIMEX3\b([^>]*)>", re.S)


@dataclass
class TimeMLDoc:
    name: str
    text: str
    dct: str | None
    timexes: list[Timex] = field(default_factory=list)


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


def parse_timeml(source: str, name: str = "<string>") -> TimeMLDoc:
    """Text, DCT and gold timexes of one TimeML document (given as a string)."""
    dct = None
    for m in _TIMEX.finditer(source):
        attrs = _attrs(m.group(1))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value")
            break
    body = _TEXT_BODY.search(source)
    raw = body.group(1) if body else source
    parts: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[Timex] = []
    pos = 0
    for m in _TAG.finditer(raw):
        # Entities never span a tag, so each chunk is unescaped on its own.
        chunk = html.unescape(raw[pos : m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, tag, attr_text, selfclosing = m.groups()
        if tag != "TIMEX3" or selfclosing:
            continue
        if not closing:
            open_timex.append((length, _attrs(attr_text)))
        elif open_timex:
            start, attrs = open_timex.pop()
            if attrs.get("functionInDocument") == "CREATION_TIME":
                continue
            timexes.append(Timex(start, length, "", attrs.get("type", ""), attrs.get("value", "")))
    chunk = html.unescape(raw[pos:])
    parts.append(chunk)
    text = "".join(parts)
    for t in timexes:
        t.text = text[t.start : t.end]
    timexes.sort(key=lambda t: (t.start, t.end))
    return TimeMLDoc(name, text, dct, timexes)


def read_timeml(paths: Iterable[str | Path]) -> list[TimeMLDoc]:
    """Every .tml file under the given files/directories, sorted by path."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.rglob("*.tml")) if p.is_dir() else [p])
    return [parse_timeml(f.read_text(encoding="utf-8"), f.name) for f in files]


def _overlap(a: Any, b: Any) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _match(gold: Sequence[Any], system: Sequence[Any]) -> list[tuple[Any, Any]]:
    """One-to-one relaxed matching: exact matches first, then by largest overlap."""
    pairs = []
    for g in gold:
        for s in system:
            ov = _overlap(g, s)
            if ov > 0:
                exact = g.start == s.start and g.end == s.end
                pairs.append((not exact, -ov, g.start, s.start, id(g), id(s), g, s))
    pairs.sort(key=lambda p: p[:4])
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for *_, ig, is_, g, s in pairs:
        if ig in used_g or is_ in used_s:
            continue
        used_g.add(ig)
        used_s.add(is_)
        out.append((g, s))
    return out


def _prf(correct: int, n_sys: int, n_gold: int) -> dict[str, float]:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def score(pairs_of_docs: Iterable[tuple[Sequence[Any], Sequence[Any]]]) -> dict[str, Any]:
    """TempEval-3 timex metrics over (gold, system) lists of things with start/end/type/value."""
    n_gold = n_sys = relaxed = strict = type_ok = value_ok = 0
    for gold, system in pairs_of_docs:
        n_gold += len(gold)
        n_sys += len(system)
        for g, s in _match(gold, system):
            relaxed += 1
            strict += g.start == s.start and g.end == s.end
            type_ok += g.type == s.type
            value_ok += g.value == s.value
    return {
        "gold": n_gold,
        "system": n_sys,
        "relaxed": _prf(relaxed, n_sys, n_gold),
        "strict": _prf(strict, n_sys, n_gold),
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
        "value_accuracy": value_ok / relaxed if relaxed else 0.0,
        "type": _prf(type_ok, n_sys, n_gold),
        "value": _prf(value_ok, n_sys, n_gold),
    }


def run_pipeline(
    docs: Sequence[TimeMLDoc], nlp: Any = None, cache: Path | None = None
) -> list[list[Any]]:
    """Our times for each document, its DCT as the publication date.

    The pipeline is the base model plus the times component (the only one whose output is
    scored). With `cache`, the base model's parses are kept there and reused, so that
    re-runs cost only our component (`newsgraph.eval.parses`).
    """
    from newsgraph.eval.parses import base_parses, run_ours
    from newsgraph.pipeline import build_pipeline

    if nlp is None:
        nlp = build_pipeline(components=["newsgraph_times"])
    texts = [d.text for d in docs]
    parsed = base_parses(nlp, texts, cache, "timeml", [d.dct for d in docs])
    return [list(run_ours(nlp, doc)._.times or []) for doc in parsed]


def evaluate(
    paths: Iterable[str | Path],
    nlp: Any = None,
    cache: Path | None = None,
    errors: Path | None = None,
) -> dict[str, Any]:
    """Read TimeML, run the pipeline, and score it (see module docstring); with `errors`,
    write every wrong value, missed and spurious timex there (see `write_errors`)."""
    docs = read_timeml(paths)
    system = run_pipeline(docs, nlp, cache)
    metrics = score((d.timexes, s) for d, s in zip(docs, system, strict=True))
    metrics["documents"] = len(docs)
    if errors is not None:
        write_errors(errors, docs, system)
    return metrics


ERROR_COLUMNS = (
    "kind",
    "document",
    "dct",
    "gold_text",
    "gold_type",
    "gold_value",
    "system_text",
    "system_type",
    "system_value",
    "gold_note",
    "context",
)

_WEEKDAY = re.compile(r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")
_DIRECTED = re.compile(r"(?i)\b(?:last|next|previous|following|past|coming)\b")


def gold_note(gold: Any, system_value: str, dct: str | None) -> str:
    """Why a gold value that differs from ours may be the annotation's slip rather than
    ours, by checks anyone can repeat; "" when none applies. Only value errors get one.

    - a form TimeML does not write: a year as `1949-XX`, a week as `2000-W7`, a clock
      time without its minutes (`T17`), a decade as `199X`;
    - the gold leaves unknown (`1989-WXX`, `1989-QX`) what our value states and the text
      fixes ("last week", "the quarter ended Sept. 30");
    - our value is the gold day with the part of day the span names ("Friday night");
    - a bare weekday the gold dates a week or more from the creation time;
    - the gold year is not the year written in the span ("the 1988 period" as `1998`).
    """
    g, s, text = gold.value, system_value, gold.text
    if re.fullmatch(r"\d{4}-XX(?:-XX)?|\d{4}-W\d|\d{2,3}X+", g) or (
        re.fullmatch(r".*T\d\d", g) and s.startswith(g + ":")
    ):
        return "gold form is not TimeML's"
    if "X" in g and "X" not in s and not g.startswith("P") and s[:4] == g[:4]:
        return "gold leaves unknown what the text fixes"
    if re.fullmatch(r"\d{4}-\d\d-\d\dT(?:MO|AF|EV|NI)", s) and g[:10] == s[:10]:
        return "gold drops the part of day"
    day = re.match(r"(\d{4})-(\d\d)-(\d\d)", g)
    if day and dct and _WEEKDAY.search(text) and not _DIRECTED.search(text):
        try:
            gap = abs((date(*map(int, day.groups())) - date.fromisoformat(dct[:10])).days)
        except ValueError:
            gap = 0
        if gap >= 7:
            return "gold weekday is a week or more from the DCT"
    written = re.search(r"\b(?:1[89]|20)\d\d\b", text)
    if written and not g.startswith(written.group()) and s.startswith(written.group()):
        return "gold year is not the one written"
    return ""


def _error_row(kind: str, d: TimeMLDoc, g: Any, s: Any) -> dict[str, Any]:
    first, last = g or s, s or g
    a, b = min(first.start, last.start), max(first.end, last.end)
    context = f"{d.text[max(0, a - 80) : a]}[[{d.text[a:b]}]]{d.text[b : b + 60]}"
    return {
        "kind": kind,
        "document": d.name,
        "dct": d.dct or "",
        "gold_text": g.text if g else "",
        "gold_type": g.type if g else "",
        "gold_value": g.value if g else "",
        "system_text": s.text if s else "",
        "system_type": s.type if s else "",
        "system_value": s.value if s else "",
        "gold_note": gold_note(g, s.value, d.dct) if g and s else "",
        "context": " ".join(context.split()),
    }


def error_rows(docs: Sequence[TimeMLDoc], system: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """What the value F1 loses, one row per timex: `value` (matched, another value),
    `missed` (gold, no system timex overlaps it), `spurious` (system, no gold one), each
    with its sentence context, the timex in [[ ]]."""
    rows: list[dict[str, Any]] = []
    for d, ours in zip(docs, system, strict=True):
        pairs = _match(d.timexes, ours)
        rows += [_error_row("value", d, g, s) for g, s in pairs if g.value != s.value]
        matched_gold = {id(g) for g, _ in pairs}
        matched_ours = {id(s) for _, s in pairs}
        rows += [_error_row("missed", d, g, None) for g in d.timexes if id(g) not in matched_gold]
        rows += [_error_row("spurious", d, None, s) for s in ours if id(s) not in matched_ours]
    return rows


def write_errors(path: Path, docs: Sequence[TimeMLDoc], system: Sequence[Sequence[Any]]) -> None:
    """The rows of `error_rows` as a tab-separated file with a header."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, ERROR_COLUMNS, delimiter="\t", lineterminator="\n")
        out.writeheader()
        out.writerows(error_rows(docs, system))


def format_metrics(m: dict[str, Any]) -> str:
    def row(name: str, d: dict[str, float]) -> str:
        return f"{name:<14}P {d['precision']:.4f}  R {d['recall']:.4f}  F1 {d['f1']:.4f}"

    return "\n".join(
        [
            f"documents {m.get('documents', '?')}  gold timexes {m['gold']}  "
            f"system timexes {m['system']}",
            row("span relaxed", m["relaxed"]),
            row("span strict", m["strict"]),
            row("type", m["type"]) + f"  (accuracy {m['type_accuracy']:.4f})",
            row("value", m["value"]) + f"  (accuracy {m['value_accuracy']:.4f})",
        ]
    )
