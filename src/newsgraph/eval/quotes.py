"""Scoring quotes against PolNeAR (brat standoff attributions), with textacy as the baseline.

    newsgraph eval quotes --polnear ../shared/eval/polnear/dev

Gold: the attributions (`E` lines tying Source, Cue and Content `T` spans) whose Content
holds a quotation mark; attributions without one are paraphrases, which a quote finder
cannot be asked to find.

Predictions: the `direct` quotes of `doc._.quotes` (scare quotes are nobody's words, so
PolNeAR never annotates them as attributions).

Metrics (micro-averaged over all texts):
- quote P/R/F1: a prediction is correct when its span overlaps some gold Content; a gold
  attribution is found when some prediction overlaps its Content.
- speaker-attributed P/R/F1: as above, but the prediction must also name the speaker: its
  speaker span, or any mention of the entity it points at, overlaps the gold Source of the
  same attribution. A prediction without a speaker is never speaker-correct.

Several annotators: a few texts carry one brat file per annotator (`name_<annotator>.ann`).
Each text is scored against every one of its files and the counts are averaged over them,
so every text weighs the same whatever the number of its annotators.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

# Double marks that make a Content span a (partial) quotation. Single quotes are left out:
# they are apostrophes far more often than quotation marks (and the textacy figures,
# 68.9 per paragraph / 46.6 whole articles, are reproduced with double marks only).
QUOTE_MARKS = '"“”«»„'

Span = tuple[int, int]


def _has_mark(text: str) -> bool:
    return any(ch in QUOTE_MARKS for ch in text)


def _has_typed_mark(text: str) -> bool:
    # '' and `` are double marks typed with two apostrophes/backticks (the NYT texts here).
    return "''" in text or "``" in text


@dataclass
class GoldAttribution:
    content: list[Span]
    source: list[Span]
    # True when the Content's only quotation marks are typed ones ('' or ``): scored only in
    # the "wide" table, since the definition (and its textacy figures) leave them out.
    typed_marks_only: bool = False


@dataclass
class GoldText:
    name: str
    text: str
    published: str | None
    # One list of attributions per annotator file.
    annotations: list[list[GoldAttribution]] = field(default_factory=list)


@dataclass
class Prediction:
    start: int
    end: int
    speaker: list[Span]  # the speaker span and the mentions of its entity; empty if none


def _spans(field_text: str) -> list[Span]:
    # brat: "Label 10 20;25 30" (discontinuous fragments separated by ';')
    _, _, offsets = field_text.partition(" ")
    spans = []
    for part in offsets.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def read_brat(path: Path, text: str) -> list[GoldAttribution]:
    """The attributions of one .ann file whose Content holds a quotation mark."""
    spans: dict[str, list[Span]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans[parts[0]] = _spans(parts[1])
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(arg.split(":", 1) for arg in parts[1].split())
            events.append(roles)
    gold = []
    for roles in events:
        content = spans.get(roles.get("Content", ""))
        if not content:
            continue
        marked = any(_has_mark(text[s:e]) for s, e in content)
        typed = any(_has_typed_mark(text[s:e]) for s, e in content)
        if marked or typed:
            source = spans.get(roles.get("Source", ""), [])
            gold.append(GoldAttribution(content, source, typed_marks_only=not marked))
    return gold


def _published_dates(directory: Path) -> dict[str, str]:
    for candidate in (directory / "metadata.tsv", directory.parent / "metadata.tsv"):
        if candidate.exists():
            with candidate.open(encoding="utf-8", newline="") as handle:
                rows = csv.DictReader(handle, delimiter="\t")
                return {r["filename"]: r["publication_date"] for r in rows}
    return {}


_ANNOTATOR = re.compile(r"^(?P<name>.+?)(?:_[0-9a-f]{4}|_\d+)?\.ann$")


def load_polnear(directory: str | Path) -> list[GoldText]:
    """The texts of a PolNeAR compartment (text/*.txt, attributions/*.ann) with their gold."""
    directory = Path(directory)
    published = _published_dates(directory)
    texts = []
    for text_path in sorted((directory / "text").glob("*.txt")):
        name = text_path.stem
        text = text_path.read_text(encoding="utf-8")
        date = published.get(name)
        texts.append(GoldText(name, text, date if date and date != "None" else None))
    by_name = {t.name: t for t in texts}
    for ann in sorted((directory / "attributions").glob("*.ann")):
        match = _ANNOTATOR.match(ann.name)
        gold = by_name.get(ann.stem) or (by_name.get(match["name"]) if match else None)
        if gold is not None:
            gold.annotations.append(read_brat(ann, gold.text))
    return [t for t in texts if t.annotations]


def _overlaps(a: Span, spans: Iterable[Span]) -> bool:
    return any(min(a[1], e) > max(a[0], s) for s, e in spans)


def count(predictions: list[Prediction], gold: list[GoldAttribution]) -> dict[str, float]:
    """True positives on both sides (precision and recall side) for one text and annotator."""
    counts = {
        "pred": len(predictions),
        "gold": len(gold),
        "q_tp_p": 0,
        "q_tp_g": 0,
        "s_tp_p": 0,
        "s_tp_g": 0,
    }
    found_q: set[int] = set()
    found_s: set[int] = set()
    for p in predictions:
        hit_q = hit_s = False
        for i, g in enumerate(gold):
            if not _overlaps((p.start, p.end), g.content):
                continue
            hit_q = True
            found_q.add(i)
            if any(_overlaps(s, g.source) for s in p.speaker):
                hit_s = True
                found_s.add(i)
        counts["q_tp_p"] += hit_q
        counts["s_tp_p"] += hit_s
    counts["q_tp_g"] = len(found_q)
    counts["s_tp_g"] = len(found_s)
    return counts


def _prf(tp_p: float, pred: float, tp_g: float, gold: float) -> dict[str, float]:
    p = tp_p / pred if pred else 0.0
    r = tp_g / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(
    texts: list[GoldText], predict: Callable[[GoldText], list[Prediction]], wide: bool = False
) -> dict[str, Any]:
    """Micro-averaged quote and speaker-attributed P/R/F1 of `predict` over `texts`; `wide`
    also counts attributions quoted with typed marks ('' or ``)."""
    total = {"pred": 0.0, "gold": 0.0, "q_tp_p": 0.0, "q_tp_g": 0.0, "s_tp_p": 0.0, "s_tp_g": 0.0}
    for gold in texts:
        predictions = predict(gold)
        per_file = [
            count(predictions, [a for a in annotation if wide or not a.typed_marks_only])
            for annotation in gold.annotations
        ]
        for key in total:
            total[key] += sum(c[key] for c in per_file) / len(per_file)
    return {
        "quote": _prf(total["q_tp_p"], total["pred"], total["q_tp_g"], total["gold"]),
        "speaker": _prf(total["s_tp_p"], total["pred"], total["s_tp_g"], total["gold"]),
        "predicted": round(total["pred"], 1),
        "gold": round(total["gold"], 1),
    }


def newsgraph_predictions(doc: Doc) -> list[Prediction]:
    """Our direct quotes with their speaker span and every mention of the speaker entity."""
    mentions = {e.id: [(m.start, m.end) for m in e.mentions] for e in doc._.entities or []}
    out = []
    for q in doc._.quotes or []:
        if q.kind != "direct":
            continue
        speaker: list[Span] = list(mentions.get(q.speaker, [])) if q.speaker else []
        if q.speaker_start is not None and q.speaker_end is not None:
            speaker.append((q.speaker_start, q.speaker_end))
        out.append(Prediction(q.start, q.end, speaker))
    return out


def paragraphs(doc: Doc) -> Iterator[Any]:
    """The doc's paragraphs (runs of text between line breaks) as token spans."""
    start = 0
    for match in re.finditer(r"\n+", doc.text):
        yield from _paragraph(doc, start, match.start())
        start = match.end()
    yield from _paragraph(doc, start, len(doc.text))


def _paragraph(doc: Doc, start: int, end: int) -> Iterator[Any]:
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is not None and span.text.strip():
        yield span


def textacy_predictions(doc: Doc) -> list[Prediction]:
    """textacy's direct_quotations run paragraph by paragraph on the same parsed doc."""
    from textacy.extract.triples import direct_quotations

    out = []
    for para in paragraphs(doc):
        sub = para.as_doc()
        offset = para.start_char
        try:
            triples = list(direct_quotations(sub))
        except ValueError:  # an odd number of quotation marks: textacy gives up
            continue
        for speaker, _cue, content in triples:
            spk = [(offset + t.idx, offset + t.idx + len(t)) for t in speaker]
            out.append(Prediction(offset + content.start_char, offset + content.end_char, spk))
    return out


def textacy_available() -> bool:
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError:
        return False
    return True


def parse_texts(texts: list[GoldText], nlp: Language, cache: Path | None = None) -> list[Doc]:
    """Docs through the whole of `nlp`. With `cache`, the base model's parses are kept
    there and reused, so repeated runs only re-run our components (`newsgraph.eval.parses`)."""
    from newsgraph.eval.parses import base_parses, run_ours

    base = base_parses(nlp, [t.text for t in texts], cache, "polnear", [t.published for t in texts])
    return [run_ours(nlp, doc) for doc in base]


def evaluate(
    polnear: str | Path,
    nlp: Language | None = None,
    cache: Path | None = None,
    baseline: bool = True,
) -> dict[str, Any]:
    """Scores newsgraph (and textacy, when installed and `baseline`) on a PolNeAR folder."""
    if nlp is None:
        from newsgraph.pipeline import build_pipeline

        nlp = build_pipeline(components=["newsgraph_entities", "newsgraph_quotes"])
    texts = load_polnear(polnear)
    docs = parse_texts(texts, nlp, cache)
    by_name = {t.name: d for t, d in zip(texts, docs, strict=True)}
    result: dict[str, Any] = {
        "texts": len(texts),
        "annotator_files": sum(len(t.annotations) for t in texts),
        "newsgraph": score(texts, lambda g: newsgraph_predictions(by_name[g.name])),
        "textacy": None,
        "wide": {
            "newsgraph": score(texts, lambda g: newsgraph_predictions(by_name[g.name]), True),
            "textacy": None,
        },
    }
    if not baseline:
        result["baseline_skipped"] = "--no-baseline"
    elif not textacy_available():
        result["baseline_skipped"] = (
            "textacy is not installed (pip install textacy==0.13.0; it is in the dev extra)"
        )
    else:
        predicted = {t.name: textacy_predictions(by_name[t.name]) for t in texts}
        result["textacy"] = score(texts, lambda g: predicted[g.name])
        result["wide"]["textacy"] = score(texts, lambda g: predicted[g.name], True)
    return result


def _table(title: str, ours: dict[str, Any], textacy: dict[str, Any] | None) -> list[str]:
    lines = [
        f"{title} (gold attributions: {ours['gold']}, averaged over annotator files)",
        f"  {'system':<24}{'quote P':>9}{'R':>8}{'F1':>8}"
        f"{'speaker P':>11}{'R':>8}{'F1':>8}{'pred':>8}",
    ]
    rows = [("newsgraph", ours)] + ([("textacy (per paragraph)", textacy)] if textacy else [])
    for label, m in rows:
        q, s = m["quote"], m["speaker"]
        lines.append(
            f"  {label:<24}{q['precision']:>9.3f}{q['recall']:>8.3f}{q['f1']:>8.3f}"
            f"{s['precision']:>11.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{m['predicted']:>8.1f}"
        )
    return lines


def format_result(result: dict[str, Any]) -> str:
    lines = [f"PolNeAR: {result['texts']} texts, {result['annotator_files']} annotator files"]
    lines += _table(
        'Content holds a double quotation mark (" “ ” « » „)',
        result["newsgraph"],
        result.get("textacy"),
    )
    lines += _table(
        "Wide: also Content quoted with typed marks ('' or ``)",
        result["wide"]["newsgraph"],
        result["wide"].get("textacy"),
    )
    if result.get("baseline_skipped"):
        lines.append(f"textacy baseline skipped: {result['baseline_skipped']}")
    return "\n".join(lines)
