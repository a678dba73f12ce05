import json

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

runner = CliRunner()


@pytest.fixture()
def fast_pipeline(nlp, monkeypatch):
    """The CLI builds its pipeline with newsgraph.pipeline.build_pipeline: reuse the session's."""
    import newsgraph.pipeline

    monkeypatch.setattr(newsgraph.pipeline, "build_pipeline", lambda **kwargs: nlp)


def test_extract_prints_one_record_per_good_article_and_names_each_bad_one(tmp_path, fast_pipeline):
    (tmp_path / "a_good.txt").write_text("Rebels shelled Kessa on Monday.", encoding="utf-8")
    (tmp_path / "b_empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "c_binary.txt").write_bytes(bytes(range(256)))
    (tmp_path / "d_latin1.txt").write_bytes("Zürich".encode("latin-1"))
    (tmp_path / "e_nohtml.html").write_text(
        "<html><body><div></div></body></html>", encoding="utf-8"
    )
    (tmp_path / "f_feed.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Aid reached Nordland yesterday."})
        + "\n"
        + '{"id": "x2", "text": unquoted}\n'
        + json.dumps({"id": "x3", "text": "Talks resumed.", "published": "notadate"})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "g_huge.txt").write_text("word " * 4_000_000, encoding="utf-8")  # 20 MB
    result = runner.invoke(app, ["extract", str(tmp_path), "--published", "2021-03-05"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == [
        "Rebels shelled Kessa on Monday.",
        "Aid reached Nordland yesterday.",
    ]
    assert records[1]["id"] == "x1" and records[1]["published"] == "2021-03-05"
    errors = result.stderr
    for name, reason in [
        ("b_empty.txt", "empty text"),
        ("c_binary.txt", "binary data"),
        ("d_latin1.txt", "invalid UTF-8"),
        ("e_nohtml.html", "no main text"),
        ("f_feed.jsonl:2", "malformed JSON"),
        ("f_feed.jsonl:3", "'notadate' is not a date"),
        ("g_huge.txt", "the limit is 1,000,000"),
    ]:
        assert any(name in line and reason in line for line in errors.splitlines()), (name, errors)
    assert "7 input(s) failed, 2 record(s) written" in errors


def test_extract_all_good_exits_zero(tmp_path, fast_pipeline):
    (tmp_path / "a.txt").write_text("Rebels shelled Kessa on Monday.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--source", "Wire"])
    assert result.exit_code == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"] == "Wire" and record["published"] is None


def test_published_that_is_not_a_date_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text("Rebels shelled Kessa on Monday.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--published", "notadate"])
    assert result.exit_code == 2
    assert "notadate" in result.stderr and "not a date" in result.stderr


def test_stdin_jsonl(fast_pipeline):
    line = json.dumps({"id": "s1", "text": "Floods hit the valley.", "published": "2019-05-06"})
    result = runner.invoke(app, ["extract", "-"], input=line + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "s1"


def test_pretty_prints_tables(tmp_path, fast_pipeline):
    (tmp_path / "a.txt").write_text("Maria Lindqvist visited Kessa.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--pretty"])
    assert result.exit_code == 0
    assert "Entities" in result.stdout and "Maria Lindqvist" in result.stdout
