"""The executor side of the Spark job, without Spark: the same readers as `extract`, and
nothing an article does fails the partition."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.language import Language

from newsgraph.ingest import Article, InputError
from newsgraph.ingest.readers import read_file
from newsgraph.spark import worker
from newsgraph.spark.worker import FileBlob, Options, display_path, month_of, read_row


def test_file_bytes_are_read_by_the_readers_of_extract(tmp_path, write_warc):
    # .txt, .html and .warc files reach the worker as bytes; read_file must not notice.
    (tmp_path / "ok.txt").write_text("The bridge reopened on Monday.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 ouvert".encode("latin-1"))
    (tmp_path / "nul.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Road closed</title></head><body><article><p>The mountain road "
        "was closed after a landslide on Sunday, the transport ministry said in a short "
        "statement to the press.</p></article></body></html>",
        encoding="utf-8",
    )
    write_warc(
        tmp_path / "crawl.warc.gz",
        [
            (
                "http://example.org/ferry",
                "text/html; charset=utf-8",
                b"<html><body><article><p>The ferry to the islands was cancelled on Friday because "
                b"of a storm, and about 300 passengers waited in the port overnight.</p></article>"
                b"</body></html>",
            ),
            ("http://example.org/blank", "text/html", b"<html><body></body></html>"),
        ],
    )
    (tmp_path / "bad.warc").write_bytes(b"not a web archive\r\n\r\n")
    for path in sorted(tmp_path.iterdir()):
        blob = FileBlob(str(path), path.read_bytes())
        assert list(read_file(blob, "2024-01-02", "Wire")) == list(
            read_file(path, "2024-01-02", "Wire")
        ), path.name


def test_a_json_line_keeps_its_file_and_line_number():
    row = {"path": "file:///data/feed%20a.jsonl", "kind": "jsonl", "line": 7}
    (error,) = read_row({**row, "raw": b'{"id": "x", "text": " "}'}, Options())
    assert error == InputError("/data/feed a.jsonl:7", "empty text")
    (bad,) = read_row({**row, "raw": b'{"text": "caf\xe9"}'}, Options())
    assert bad.input == "/data/feed a.jsonl:7" and bad.reason == "invalid UTF-8"
    (article,) = read_row(
        {**row, "raw": json.dumps({"text": "Floods hit the north."}).encode()},
        Options(published="2024-02-03", source="Desk"),
    )
    assert isinstance(article, Article)
    assert article.origin == "/data/feed a.jsonl:7"
    assert (article.published, article.source) == ("2024-02-03", "Desk")


def test_a_parquet_row_is_validated_like_a_json_line():
    base = {
        "path": "s3a://bucket/a.parquet",
        "kind": "row",
        "line": 3,
        "raw": None,
        "id": "r3",
        "url": None,
        "source": None,
        "title": None,
    }
    (missing,) = read_row({**base, "text": None, "published": None}, Options())
    assert missing == InputError("s3a://bucket/a.parquet:3", 'no "text" string')
    (undated,) = read_row({**base, "text": "Talks resumed.", "published": "soon"}, Options())
    assert isinstance(undated, InputError) and "not a date" in undated.reason
    (article,) = read_row({**base, "text": "Talks resumed.", "published": "2024-06-01"}, Options())
    assert article.id == "r3" and article.published == "2024-06-01"


def test_paths_and_months():
    assert display_path("file:/tmp/a%20b.txt") == "/tmp/a b.txt"
    assert display_path("hdfs://nn:8020/x.jsonl") == "hdfs://nn:8020/x.jsonl"
    assert month_of("2024-04-20T09:30:00") == "2024-04"
    assert month_of(None) is None


@Language.component("test_spark_boom")
def _boom(doc):
    if "BOOM" in doc.text:
        raise ValueError("component exploded")
    return doc


@pytest.fixture
def boom_pipeline(monkeypatch):
    nlp = spacy.blank("en")
    nlp.add_pipe("test_spark_boom")
    monkeypatch.setattr(worker, "pipeline", lambda config_json=None, alias_file_name=None: nlp)
    return nlp


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_a_failing_article_becomes_an_error_row_not_a_failed_task(boom_pipeline, batch_size):
    lines = [
        {"id": "good", "text": "Aid arrived.", "published": "2024-03-01"},
        {"id": "bad", "text": "Then BOOM went the parser."},
        "{broken",
        {"id": "also-good", "text": "Schools reopened."},
    ]
    rows = [
        {
            "path": "file:/c/feed.jsonl",
            "kind": "jsonl",
            "line": n,
            "raw": (x if isinstance(x, str) else json.dumps(x)).encode(),
        }
        for n, x in enumerate(lines, start=1)
    ]
    out = list(worker.process_partition(Options(batch_size=batch_size), rows))
    staged = [dict(zip(worker.STAGING_FIELDS, row, strict=True)) for row in out]
    articles = sorted(a[0] for row in staged for a in row["articles"])
    errors = sorted(e for row in staged for e in row["errors"])
    assert articles == ["also-good", "good"]
    assert [e[:2] for e in errors] == [("/c/feed.jsonl:2", "bad"), ("/c/feed.jsonl:3", None)]
    assert errors[0][2].startswith("pipeline failed: ValueError: component exploded")
    assert errors[1][2].startswith("malformed JSON")
    assert {row["month"] for row in staged if row["articles"]} == {"2024-03", None}


def test_staging_rows_are_typed_like_the_parquet_export():
    record = {
        "id": "a1",
        "published": None,
        "source": None,
        "url": None,
        "title": None,
        "text": "Syria",
        "entities": [],
        "times": [],
        "quotes": [],
        "figures": [],
        "events": [],
        "places": [
            {
                "id": "P1",
                "name": "Syria",
                "geonameid": 163843,
                "lat": 35,
                "lon": 38,
                "country": "SY",
                "feature": "PCLI",
                "entity": None,
                "confidence": 1,
                "mentions": [{"start": 0, "end": 5, "text": "Syria"}],
            }
        ],
    }
    row = dict(zip(worker.STAGING_FIELDS, worker.staging_row(record), strict=True))
    (place,) = row["places"]
    assert place[4:6] == (35.0, 38.0) and isinstance(place[4], float)
    record["places"][0]["geonameid"] = "not a number"
    with pytest.raises(Exception):  # noqa: B017 - process_partition turns it into an error row
        worker.staging_row(record)


def test_python_m_newsgraph_spark_is_the_spark_command():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "newsgraph.spark", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage: newsgraph spark" in proc.stdout and "--partitions" in proc.stdout
