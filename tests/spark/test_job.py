"""The Spark job against `newsgraph extract` on the same files, and a task that fails once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from newsgraph.spark.worker import month_of
from newsgraph.tables import SCHEMAS, TABLES, record_tables

pytestmark = [pytest.mark.spark, pytest.mark.model, pytest.mark.slow]

KEYS = {
    "articles": ("article_id",),
    "entities": ("article_id", "entity_id"),
    "mentions": ("article_id", "kind", "owner_id", "idx"),
    "places": ("article_id", "place_id"),
}


def read_table(output: Path, name: str) -> pa.Table:
    return ds.dataset(str(output / name), format="parquet", partitioning="hive").to_table()


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def expected_tables(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows as the Parquet export types them, with the month of their article."""
    months = {r["id"]: month_of(r["published"]) for r in records}
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for record in records:
        for name, rows in record_tables(record).items():
            typed = pa.Table.from_pylist(rows, schema=SCHEMAS[name]).to_pylist()
            out[name] += [{**row, "month": months[row["article_id"]]} for row in typed]
    return out


def assert_same_as_extract(output: Path, expected) -> None:
    records, errors = expected
    want = expected_tables(records)
    for name in TABLES:
        table = read_table(output, name)
        # Same columns, same types as the export (Spark writes every column as nullable).
        got_schema = pa.schema([table.schema.field(n) for n in SCHEMAS[name].names])
        assert [f.type for f in got_schema] == [f.type for f in SCHEMAS[name]], name
        rows = table.to_pylist()
        if "month" not in table.column_names:  # an empty table has no partitions
            rows = [{**row, "month": None} for row in rows]
        assert canonical(rows) == canonical(want[name]), name
        keys = [tuple(r[k] for k in KEYS.get(name, ("article_id", "idx"))) for r in rows]
        assert len(keys) == len(set(keys)), f"duplicate rows in {name}"
    got_errors = read_table(output, "errors").to_pylist()
    assert sorted((e["input"], e["reason"]) for e in got_errors) == sorted(
        (e.input, e.reason) for e in errors
    )


def test_every_table_equals_extract_on_the_same_files(spark_output, expected):
    output, summary, _ = spark_output
    records, errors = expected
    # The corpus holds good and bad articles of every kind the readers know.
    assert len(records) == 6 and len(errors) == 6
    for kind in ("empty text", "malformed JSON", "expected a JSON object", "invalid UTF-8"):
        assert any(e.reason.startswith(kind) for e in errors), kind
    assert any("not a date" in e.reason for e in errors)
    assert sum(len(r["entities"]) for r in records) > 0  # something to compare
    assert_same_as_extract(output, expected)
    assert summary.articles == len(records) and summary.errors == len(errors)
    assert summary.worker_peak_rss_mb > 50  # measured in the workers, for sizing executors


def test_tables_are_partitioned_by_publication_month(spark_output):
    output, _, _ = spark_output
    months = sorted(p.name for p in (output / "articles").iterdir() if p.is_dir())
    assert months == [
        "month=2024-03",
        "month=2024-04",
        "month=2024-05",
        "month=__HIVE_DEFAULT_PARTITION__",
    ]
    manifest = json.loads((output / "_newsgraph.json").read_text())
    assert manifest["tables"] == [*TABLES, "errors"]
    assert not (output / "staging").exists()


def test_tables_are_queryable_with_spark_sql_as_they_are(spark, spark_output, expected):
    output, _, _ = spark_output
    records, _ = expected
    rows = spark.sql(
        f"SELECT a.month, count(DISTINCT a.article_id) AS n, count(e.entity_id) AS entities "
        f"FROM parquet.`{output}/articles` a "
        f"LEFT JOIN parquet.`{output}/entities` e USING (article_id) GROUP BY a.month"
    ).collect()
    by_month = {r.month: (r.n, r.entities) for r in rows}
    assert by_month[None][0] == sum(1 for r in records if r["published"] is None)
    assert sum(n for n, _ in by_month.values()) == len(records)
    assert sum(e for _, e in by_month.values()) == sum(len(r["entities"]) for r in records)


def test_a_task_that_fails_once_leaves_no_duplicates(spark_output, expected):
    output, _, marker = spark_output
    assert marker.exists(), "the first attempt of task 0 did not fail"
    # The failed attempt had handed its rows to the writer; only the retry's are there.
    assert_same_as_extract(output, expected)


def test_existing_output_is_refused_without_overwrite(spark, spark_output, corpus):
    from newsgraph.spark.job import SparkJobError, run

    output, _, _ = spark_output
    with pytest.raises(SparkJobError, match="--overwrite"):
        run(spark, [str(corpus)], str(output))


def test_the_alias_file_reaches_the_executors(spark, tmp_path):
    from newsgraph.spark.job import run

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text(
        json.dumps(
            {
                "id": "relief-1",
                "text": "The BRR relief desk said on Monday that 400 families had been "
                "sheltered in the school.",
                "published": "2024-03-05",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    aliases = tmp_path / "spark-aliases.csv"
    aliases.write_text("name,type,aliases\nBlue River Relief,ORG,BRR relief desk\n", "utf-8")
    output = tmp_path / "tables"
    summary = run(spark, [str(corpus)], str(output), partitions=1, alias_file=str(aliases))
    assert summary.articles == 1
    names = {(r["name"], r["type"]) for r in read_table(output, "entities").to_pylist()}
    assert ("Blue River Relief", "ORG") in names
    manifest = json.loads((output / "_newsgraph.json").read_text())
    assert manifest["alias_file"] == str(aliases)


def test_a_malformed_alias_file_stops_the_job_before_any_task(spark, tmp_path, corpus):
    from newsgraph.spark.job import SparkJobError, run

    bad = tmp_path / "bad-aliases.csv"
    bad.write_text("label,kind\nBlue River Relief,ORG\n", encoding="utf-8")
    with pytest.raises(SparkJobError, match=r"bad-aliases\.csv:1: the header"):
        run(spark, [str(corpus)], str(tmp_path / "out"), alias_file=str(bad))
    assert not (tmp_path / "out").exists()
