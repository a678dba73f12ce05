"""`newsgraph ingest --parquet DIR`: the Spark output in the SQLite knowledge base."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

pytestmark = [pytest.mark.spark, pytest.mark.model, pytest.mark.slow]


def _records_by_id(records):
    from newsgraph.tables import record_tables

    # Compared as their table rows: the form every store and export holds them in.
    return {r["id"]: json.dumps(record_tables(r), sort_keys=True, default=str) for r in records}


def test_ingest_parquet_stores_the_records_of_extract(spark_output, expected, tmp_path):
    from newsgraph.cli import app
    from newsgraph.store import connect, queries
    from newsgraph.store.export import iter_records

    output, _, _ = spark_output
    records, errors = expected
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(app, ["ingest", "--parquet", str(output), "--db", str(db)])
    # Exit 1 as for `ingest`: the corpus had bad articles, each reported by name.
    assert result.exit_code == 1, result.output
    assert f"{len(records)} article(s) stored" in result.output
    conn = connect(db, readonly=True)
    stored = list(iter_records(conn))
    assert _records_by_id(stored) == _records_by_id(records)
    assert sorted((e["input"], e["reason"]) for e in queries.errors(conn)) == sorted(
        (e.input, e.reason) for e in errors
    )
    conn.close()
    again = CliRunner().invoke(app, ["ingest", "--parquet", str(output), "--db", str(db)])
    assert f"0 article(s) stored, {len(records)} unchanged" in again.output


def test_ingest_parquet_refuses_a_directory_that_is_not_spark_output(tmp_path):
    from newsgraph.cli import app

    result = CliRunner().invoke(
        app, ["ingest", "--parquet", str(tmp_path), "--db", str(tmp_path / "kb.db")]
    )
    assert result.exit_code == 2 and "no articles/ table" in result.output
