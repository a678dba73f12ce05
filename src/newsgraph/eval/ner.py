"""`newsgraph eval ner`: entity-level precision, recall and F1 on CoNLL-2003.

Exact span and type, after mapping spaCy's labels onto CoNLL's four:
PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC, other named types->MISC; numeric and date
types are ignored. Gold is IOB1 in the fourth column, documents split by -DOCSTART-.
One Doc per document (built from the gold tokens), so grouping inside a document helps.
Scores our pipeline (base model + entities component) and the bare base model in the
same run, on the same parses: the bare spans are read before our component runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

LABEL_MAP: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")

Span3 = tuple[int, int, str]


@dataclass
class ConllDoc:
    words: list[str]
    sent_starts: list[bool]
    gold: set[Span3]


def read_conll(path: str | Path) -> list[ConllDoc]:
    """Documents of a CoNLL-2003 file: tokens, sentence starts and gold spans (token offsets)."""
    docs: list[ConllDoc] = []
    words: list[str] = []
    tags: list[str] = []
    starts: list[bool] = []
    new_sentence = True

    def flush() -> None:
        if words:
            docs.append(ConllDoc(list(words), list(starts), iob1_spans(tags, starts)))
        words.clear()
        tags.clear()
        starts.clear()

    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            parts = line.split()
            if not parts:
                new_sentence = True
                continue
            if parts[0] == "-DOCSTART-":
                flush()
                new_sentence = True
                continue
            if len(parts) < 4:
                raise ValueError(f"{path}:{lineno}: expected 4 columns, got {line.rstrip()!r}")
            words.append(parts[0])
            tags.append(parts[3])
            starts.append(new_sentence)
            new_sentence = False
    flush()
    return docs


def iob1_spans(tags: Sequence[str], sent_starts: Sequence[bool] | None = None) -> set[Span3]:
    """Spans of IOB1 tags: I-X continues a span of X; B-X starts a new one next to another.
    No span crosses a sentence start."""
    spans: set[Span3] = set()
    start, kind = None, None
    breaks = [*(sent_starts or [False] * len(tags)), True]
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind and not breaks[i]
        if start is not None and not continues:
            spans.add((start, i, kind))
            start, kind = None, None
        if prefix in {"I", "B"} and start is None:
            start, kind = i, label
    return spans


def doc_spans(doc: Doc) -> set[Span3]:
    """A Doc's entities as CoNLL spans; labels with no CoNLL type (dates, numbers) dropped."""
    return {(e.start, e.end, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP}


def score(pairs: Iterable[tuple[set[Span3], set[Span3]]]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 (percent) and counts per type and overall, from (gold, pred) pairs."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for gold, pred in pairs:
        for spans, counter in ((gold, n_gold), (pred, n_pred)):
            for *_, label in spans:
                counter[label] += 1
                counter["overall"] += 1
        for *_, label in gold & pred:
            tp[label] += 1
            tp["overall"] += 1
    out: dict[str, dict[str, float]] = {}
    for label in (*TYPES, "overall"):
        p = 100 * tp[label] / n_pred[label] if n_pred[label] else 0.0
        r = 100 * tp[label] / n_gold[label] if n_gold[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = {
            "precision": round(p, 1),
            "recall": round(r, 1),
            "f1": round(f, 1),
            "gold": n_gold[label],
            "predicted": n_pred[label],
            "correct": tp[label],
        }
    return out


def make_conll_doc(nlp: Language, item: ConllDoc) -> Doc:
    spaces = [True] * len(item.words)
    spaces[-1] = False
    return Doc(nlp.vocab, words=item.words, spaces=spaces, sent_starts=item.sent_starts)


def evaluate(
    path: str | Path, nlp: Language | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Scores of the bare base model and of our entities component on one CoNLL file.

    `nlp` is a pipeline holding the base model and `newsgraph_entities` (built when None).
    """
    from newsgraph.eval.parses import ours
    from newsgraph.pipeline import build_pipeline

    items = read_conll(path)[:limit]
    if nlp is None:
        nlp = build_pipeline(components=["newsgraph_entities"])
    component = nlp.get_pipe("newsgraph_entities")
    bare_pairs = []
    our_pairs = []
    with nlp.select_pipes(disable=ours(nlp)):
        docs = nlp.pipe(make_conll_doc(nlp, item) for item in items)
        for item, doc in zip(items, docs, strict=True):
            bare_pairs.append((item.gold, doc_spans(doc)))
            our_pairs.append((item.gold, doc_spans(component(doc))))
    return {
        "file": str(path),
        "documents": len(items),
        "bare": score(bare_pairs),
        "newsgraph": score(our_pairs),
    }


def format_table(title: str, metrics: dict[str, dict[str, float]]) -> str:
    lines = [title, f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for label, m in metrics.items():
        lines.append(
            f"{label:<8} {m['precision']:>6.1f} {m['recall']:>6.1f} {m['f1']:>6.1f}"
            f" {m['gold']:>6} {m['predicted']:>6}"
        )
    return "\n".join(lines)


def report(result: dict[str, Any]) -> str:
    """The two tables and the F1 difference, as `newsgraph eval ner` prints them."""
    bare, ours = result["bare"], result["newsgraph"]
    diff = ours["overall"]["f1"] - bare["overall"]["f1"]
    return "\n\n".join(
        [
            f"CoNLL-2003 {result['file']} ({result['documents']} documents), exact span and type",
            format_table("bare en_core_web_sm", bare),
            format_table("newsgraph (base model + entities component)", ours),
            f"overall F1: newsgraph {ours['overall']['f1']:.1f} vs bare {bare['overall']['f1']:.1f}"
            f" ({diff:+.1f})",
        ]
    )
