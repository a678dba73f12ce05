"""`newsgraph eval figures`: the IDMC scorer on a small workbook of our own, and on the real
one when ../shared is there."""

from __future__ import annotations

import pytest

from newsgraph.eval.figures import evaluate, format_report, load_idmc

HEADER = ("Country", "Excerpt", "Displacement figure", "Reporting term", "Reporting unit")
ROWS = [
    ("X", "Floods displaced 4,000 people in the delta.", 4000, "Displaced", "People"),
    ("X", "Some 120 families were evacuated from the coast.", 120, "Evacuated", "Households"),
    ("X", "The storm destroyed 35 homes near the river.", 35, "Destroyed Housing", "Households"),
    ("X", "Rain fell for three days across the region.", 900, "Displaced", "People"),
    ("X", "About 70 people were killed and 300 were left homeless.", 300, "Homeless", "People"),
]


def write_workbook(path, header=HEADER, rows=ROWS):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_load_idmc_reads_the_columns(tmp_path):
    rows = load_idmc(write_workbook(tmp_path / "gold.xlsx"))
    assert len(rows) == 5
    assert rows[1] == {
        "text": "Some 120 families were evacuated from the coast.",
        "value": 120.0,
        "term": "evacuated",
        "unit": "households",
    }


def test_load_idmc_names_missing_columns(tmp_path):
    path = write_workbook(tmp_path / "bad.xlsx", header=("Excerpt", "Figure"), rows=[])
    with pytest.raises(ValueError, match="Displacement figure"):
        load_idmc(path)


@pytest.mark.model
def test_evaluate_small_workbook(nlp, tmp_path):
    metrics = evaluate(write_workbook(tmp_path / "gold.xlsx"), nlp)
    assert (metrics["rows"], metrics["found"]) == (5, 4)
    assert metrics["value_recall"] == pytest.approx(0.8)
    # displaced, evacuated and homeless are scored; the housing term is not
    assert metrics["category_scored"] == 3
    assert metrics["category_accuracy"] == 1.0
    # 35 homes counts as the gold Households, but not in the strict figure
    assert metrics["unit_scored"] == 4
    assert metrics["unit_accuracy"] == 1.0
    assert metrics["unit_accuracy_strict"] == pytest.approx(0.75)
    assert [m["value"] for m in metrics["misses"]] == [900.0]
    report = format_report(metrics, verbose=True)
    assert "value recall       0.800  (4/5)" in report
    assert "MISS value: gold 900" in report


def test_cli_refuses_missing_file(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    result = CliRunner().invoke(app, ["eval", "figures", "--idmc", str(tmp_path / "none.xlsx")])
    assert result.exit_code == 2


@pytest.mark.model
@pytest.mark.shared
def test_idmc_targets(nlp, shared_dir):
    path = shared_dir / "eval" / "idmc" / "IDMC_fully_labelled.xlsx"
    if not path.exists():
        pytest.skip("IDMC workbook absent")
    metrics = evaluate(path, nlp)
    assert metrics["value_recall"] >= 0.87
    assert metrics["category_accuracy"] >= 0.80
    assert metrics["unit_accuracy"] >= 0.90
