"""Scores the figures component on the IDMC excerpts (../shared/eval/idmc/).

Each row of the workbook is an excerpt with one gold figure: its value ("Displacement
figure"), what happened ("Reporting term") and what it counts ("Reporting unit").
Printed, as the field reports it:
- value recall: rows where some predicted figure has the gold value;
- category accuracy on those rows, for gold terms that have a contract category
  (Displaced/Forced to Flee -> displaced, Evacuated -> evacuated, Sheltered/In Relief
  Camp -> sheltered, Homeless -> homeless, Relocated -> relocated); the housing terms
  (Destroyed/Partially Destroyed/Uninhabitable Housing) have none and are not scored;
- unit accuracy on those rows: People -> people, Households -> households. IDMC's unit
  has only these two values and files counts of dwellings ("60 homes destroyed", "10
  viviendas evacuadas") under Households, so a predicted unit of houses counts as right
  for a gold Households; the strict figure (households only) is printed beside.
The predicted figure scored is the first one in the excerpt with the gold value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TERM_CATEGORY = {
    "displaced": "displaced",
    "forced to flee": "displaced",
    "evacuated": "evacuated",
    "sheltered": "sheltered",
    "in relief camp": "sheltered",
    "homeless": "homeless",
    "relocated": "relocated",
}
HOUSING_TERMS = {"destroyed housing", "partially destroyed housing", "uninhabitable housing"}
UNIT_MAP = {
    "people": "people",
    "person": "people",
    "persons": "people",
    "households": "households",
    "household": "households",
}
COLUMNS = ("Excerpt", "Displacement figure", "Reporting term", "Reporting unit")


def load_idmc(path: str | Path) -> list[dict[str, Any]]:
    """The rows of the IDMC workbook: excerpt, value, term and unit (lower-cased)."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about an unknown sheet extension
        book = openpyxl.load_workbook(path, read_only=True)
        rows = list(book.active.iter_rows(values_only=True))
        book.close()
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}: no column(s) {missing}; found {header}")
    col = {name: header.index(name) for name in COLUMNS}
    out = []
    for row in rows[1:]:
        text, value = row[col["Excerpt"]], row[col["Displacement figure"]]
        if not text or value is None:
            continue
        out.append(
            {
                "text": str(text),
                "value": float(value),
                "term": str(row[col["Reporting term"]] or "").strip().lower(),
                "unit": str(row[col["Reporting unit"]] or "").strip().lower(),
            }
        )
    return out


def evaluate(path: str | Path, nlp: Any = None) -> dict[str, Any]:
    """Metrics of the figures component on the IDMC workbook at `path`."""
    from newsgraph.pipeline import build_pipeline

    rows = load_idmc(path)
    nlp = nlp or build_pipeline()
    found = cat_n = cat_ok = unit_n = unit_ok = unit_strict = 0
    misses: list[dict[str, Any]] = []
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        figures = doc._.figures or []
        hit = next((f for f in figures if abs(float(f.value) - row["value"]) < 0.5), None)
        if hit is None:
            misses.append({**row, "kind": "value", "predicted": [f.value for f in figures]})
            continue
        found += 1
        gold_cat = TERM_CATEGORY.get(row["term"])
        if gold_cat is not None:
            cat_n += 1
            if hit.category == gold_cat:
                cat_ok += 1
            else:
                misses.append({**row, "kind": "category", "predicted": hit.category})
        gold_unit = UNIT_MAP.get(row["unit"])
        if gold_unit is not None:
            unit_n += 1
            strict = hit.unit == gold_unit
            unit_strict += strict
            if strict or (gold_unit == "households" and hit.unit == "houses"):
                unit_ok += 1
            else:
                misses.append({**row, "kind": "unit", "predicted": hit.unit})
    n = len(rows)
    return {
        "rows": n,
        "found": found,
        "value_recall": found / n if n else 0.0,
        "category_scored": cat_n,
        "category_accuracy": cat_ok / cat_n if cat_n else 0.0,
        "unit_scored": unit_n,
        "unit_accuracy": unit_ok / unit_n if unit_n else 0.0,
        "unit_accuracy_strict": unit_strict / unit_n if unit_n else 0.0,
        "misses": misses,
    }


def format_report(metrics: dict[str, Any], verbose: bool = False) -> str:
    m = metrics
    lines = [
        f"IDMC figures: {m['rows']} excerpts",
        f"value recall       {m['value_recall']:.3f}  ({m['found']}/{m['rows']})",
        f"category accuracy  {m['category_accuracy']:.3f}  (on {m['category_scored']} found "
        f"with a mapped term; housing terms not scored)",
        f"unit accuracy      {m['unit_accuracy']:.3f}  (on {m['unit_scored']} found; "
        f"strict, houses != households: {m['unit_accuracy_strict']:.3f})",
    ]
    if verbose:
        for miss in m["misses"]:
            excerpt = " ".join(miss["text"].split())[:160]
            lines.append(
                f"  MISS {miss['kind']}: gold {miss['value']:g} {miss['term']}/{miss['unit']}, "
                f"predicted {miss['predicted']}: {excerpt}"
            )
    return "\n".join(lines)
