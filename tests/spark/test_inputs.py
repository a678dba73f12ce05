"""Reading inputs into the DataFrame of articles: line numbers across file blocks, listing."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.spark]


def test_json_lines_keep_their_numbers_when_spark_splits_the_file(spark, tmp_path):
    from newsgraph.spark.job import _numbered_lines

    feed = tmp_path / "big.jsonl"
    # Lines of varied length (some blank), so that blocks start in the middle of lines.
    lines = [("x" * (n % 37)) + f'{{"n": {n}}}' if n % 11 else "" for n in range(1, 250)]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    previous = spark.conf.get("spark.sql.files.maxPartitionBytes")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "1200")
    try:
        frame, total = _numbered_lines(spark, [str(feed)])
        got = {row.line: bytes(row.raw).decode() for row in frame.collect()}
        blocks = frame.rdd.getNumPartitions()
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", previous)
    assert blocks > 5  # the file really was read in pieces
    assert total == len(lines)
    assert got == {n: text for n, text in enumerate(lines, start=1)}


def test_inputs_are_listed_like_extract_lists_them(spark, tmp_path):
    from newsgraph.spark.job import list_inputs

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "a" / "two.TXT").write_text("Text.", encoding="utf-8")
    (tmp_path / "a" / "table.parquet").write_bytes(b"PAR1")
    (tmp_path / "a" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "skip.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "named.md").write_text("A file named directly is text.", encoding="utf-8")
    found = list_inputs(
        spark,
        [
            str(tmp_path / "a"),
            str(tmp_path / "b"),
            str(tmp_path / "named.md"),
            str(tmp_path / "missing.jsonl"),
            str(tmp_path / "a" / "*.jsonl"),
        ],
    )
    names = lambda uris: sorted(u.rsplit("/", 1)[-1] for u in uris)  # noqa: E731
    assert names(found.jsonl) == ["one.jsonl"]  # listed twice (directory, glob), read once
    assert names(found.files) == ["named.md", "two.TXT"]
    assert names(found.parquet) == ["table.parquet"]
    assert [
        (given.rsplit("/", 1)[-1], reason.split(" (")[0]) for given, reason in found.errors
    ] == [
        ("missing.jsonl", "no such file or directory"),
        ("b", "directory holds no .txt, .html, .jsonl, .warc or .parquet files"),
    ]
