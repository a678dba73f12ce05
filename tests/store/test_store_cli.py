"""The thin CLI commands: ingest, query (JSON is a list of rows), export."""

from __future__ import annotations

import json

from fake_extract import fake_extract
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.store import ingest


def test_query_and_export_commands(corpus_dir, tmp_path):
    db = tmp_path / "kb.db"
    ingest([corpus_dir], db, progress=False, extractor=fake_extract)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "query",
            "figures",
            "--category",
            "displaced",
            "--place",
            "Kessa",
            "--db",
            str(db),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(r["place"] == "Kessa" and r["category"] == "displaced" for r in rows)
    result = runner.invoke(app, ["query", "disputes", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0 and isinstance(json.loads(result.stdout), list)
    result = runner.invoke(app, ["query", "search", "Report", "--db", str(db)])
    assert result.exit_code == 0 and "Report" in result.stdout
    out = tmp_path / "records.jsonl"
    result = runner.invoke(
        app, ["export", "--format", "jsonl", "--db", str(db), "--output", str(out)]
    )
    assert result.exit_code == 0
    assert len(out.read_text().splitlines()) == 40
    result = runner.invoke(
        app, ["export", "--format", "xml", "--db", str(db), "--output", str(out)]
    )
    assert result.exit_code == 2


def test_query_on_a_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["query", "disputes", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no such database" in result.output


def test_timeline_needs_a_place_or_entity(tmp_path):
    result = CliRunner().invoke(app, ["query", "timeline", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
