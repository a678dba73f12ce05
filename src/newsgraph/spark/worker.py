"""The executor side of the Spark job: input rows in, table rows out, one partition at a time.

Nothing here imports pyspark at module level, so it is tested without a Spark session, and
every step is the code `newsgraph extract` runs: articles are validated by the readers of
`newsgraph.ingest` (same InputError reasons), processed by `newsgraph.extract.extract_batch`
and flattened by `newsgraph.tables.record_tables` (the schema of the Parquet export).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import posixpath
import resource
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from newsgraph import settings
from newsgraph.ingest import Article, InputError, read_jsonl_lines, read_text_article
from newsgraph.tables import SCHEMAS, TABLES, record_tables

# What an input row holds (see job.INPUT_SCHEMA): one JSON line, one whole file, or one
# row of a Parquet table of articles.
KIND_JSONL = "jsonl"
KIND_FILE = "file"
KIND_ROW = "row"

ERROR_FIELDS: tuple[str, ...] = ("input", "id", "reason")
# The staging row: the publication month, then the rows of every table for one input.
STAGING_FIELDS: tuple[str, ...] = ("month", *TABLES, "errors")


@dataclass(frozen=True)
class FailOnce:
    """Test hook: the first attempt of task `partition` fails after writing its rows."""

    partition: int
    marker: str  # a file created when the failure is injected, so a test can see it happened


@dataclass(frozen=True)
class Options:
    published: str | None = None
    source: str | None = None
    batch_size: int = settings.BATCH_SIZE
    config_json: str | None = None  # component settings for build_pipeline, as JSON
    alias_file_name: str | None = None  # the user's alias file, shipped with addFile
    fail_once: FailOnce | None = None
    peak_rss: Any = None  # a Spark accumulator (MaxParam): the largest worker's peak RSS, MB


@functools.cache
def pipeline(config_json: str | None = None, alias_file_name: str | None = None):
    """The spaCy pipeline, built once per Python worker process.

    Spark reuses Python workers across tasks (spark.python.worker.reuse, on by default),
    so every partition a worker runs after its first one starts without loading anything.
    An alias file the driver shipped (SparkContext.addFile) is found in this executor's
    copy of the job's files.
    """
    from newsgraph.pipeline import build_pipeline

    config = json.loads(config_json) if config_json else {}
    if alias_file_name:
        from pyspark import SparkFiles

        entities = config.setdefault("newsgraph_entities", {})
        entities["alias_file"] = SparkFiles.get(alias_file_name)
    return build_pipeline(config=config or None)


def display_path(uri: str) -> str:
    """The name an input goes by in errors: a local path as `newsgraph extract` names it,
    anything else (hdfs://, s3a://) as its URI."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return uri


class FileBlob:
    """A file's bytes that Spark read, behind the part of pathlib.Path that
    `newsgraph.ingest.readers.read_file` uses, so whole files (.txt, .html, .warc) are
    read by exactly that function wherever they are stored."""

    def __init__(self, name: str, data: bytes) -> None:
        self._name = name
        self._data = data
        self.name = posixpath.basename(name)
        self.suffix = posixpath.splitext(self.name)[1] if not self.name.startswith(".") else ""

    def __str__(self) -> str:
        return self._name

    def __fspath__(self) -> str:
        return self._name

    def stat(self):
        return SimpleNamespace(st_size=len(self._data))

    def exists(self) -> bool:
        return True

    def is_file(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False

    def read_bytes(self) -> bytes:
        return self._data

    def open(
        self,
        mode: str = "r",
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ):
        raw = io.BytesIO(self._data)
        if "b" in mode:
            return raw
        return io.TextIOWrapper(raw, encoding=encoding or "utf-8", errors=errors, newline=newline)


def read_row(row: Any, options: Options) -> list[Article | InputError]:
    """The articles (or errors) of one input row, validated by the readers of `extract`."""
    from newsgraph.ingest.readers import read_file

    path = display_path(row["path"])
    kind = row["kind"]
    if kind == KIND_JSONL:
        where = f"{path}:{row['line']}"
        line = bytes(row["raw"]).decode("utf-8", errors="surrogateescape")
        # read_jsonl_lines numbers the lines it is given; this one is line `row.line`.
        return [
            _renamed(r, where)
            for r in read_jsonl_lines([line], path, options.published, options.source)
        ]
    if kind == KIND_FILE:
        return list(read_file(FileBlob(path, bytes(row["raw"])), options.published, options.source))
    where = f"{path}:{row['line']}"
    text = row["text"]
    if not isinstance(text, str):
        return [InputError(where, 'no "text" string')]
    return [
        read_text_article(
            text,
            where,
            row["published"] or options.published,
            row["source"] or options.source,
            id=row["id"],
            url=row["url"],
            title=row["title"],
        )
    ]


def _renamed(result: Article | InputError, where: str) -> Article | InputError:
    if isinstance(result, InputError):
        return InputError(where, result.reason)
    return dataclasses.replace(result, origin=where)


def month_of(published: str | None) -> str | None:
    """The partition of a record: YYYY-MM of its publication date (None when undated)."""
    return published[:7] if published and len(published) >= 7 else None


def staging_row(record: dict[str, Any]) -> tuple:
    """One record as a staging row: its month and the rows of every table, typed by
    SCHEMAS exactly as the Parquet export types them (ints to floats where a column is
    float64); raises when the record does not fit the schema."""
    tables = record_tables(record)
    out: list[Any] = [month_of(record.get("published"))]
    for name in TABLES:
        schema = SCHEMAS[name]
        rows = pa.Table.from_pylist(tables[name], schema=schema).to_pylist()
        out.append([tuple(r[f] for f in schema.names) for r in rows])
    out.append([])
    return tuple(out)


def error_row(error: InputError, article_id: str | None = None) -> tuple:
    return (None, *([] for _ in TABLES), [(error.input, article_id, error.reason)])


def process_partition(options: Options, rows: Iterable[Any]) -> Iterator[tuple]:
    """The staging rows of one partition: a record's tables or an error for every input.

    Nothing an article does fails the task: bad input, a pipeline exception and a record
    that does not fit the schema each become an error row.
    """
    from newsgraph.extract import extract_batch

    nlp = None
    batch: list[Article] = []

    def flush() -> Iterator[tuple]:
        outcomes = extract_batch(nlp, batch)  # an article that breaks the pipeline is an error
        for article, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, InputError):
                yield error_row(outcome, article.id)
                continue
            try:
                yield staging_row(outcome)
            except Exception as exc:
                reason = f"record does not fit the table schema: {type(exc).__name__}: {exc}"
                yield error_row(InputError(article.origin or article.id, reason), article.id)
        batch.clear()

    for row in rows:
        for item in read_row(row, options):
            if isinstance(item, InputError):
                yield error_row(item)
                continue
            batch.append(item)
            if len(batch) >= options.batch_size:
                nlp = nlp or pipeline(options.config_json, options.alias_file_name)
                yield from flush()
    if batch:
        nlp = nlp or pipeline(options.config_json, options.alias_file_name)
        yield from flush()
    if options.peak_rss is not None:
        # ru_maxrss is in KB on Linux: what one Python worker with the pipeline needs.
        options.peak_rss.add(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    _maybe_fail(options.fail_once)


class MaxParam:
    """Spark accumulator parameter keeping the largest value (a retried task adds nothing)."""

    def zero(self, value: float) -> float:
        return 0.0

    def addInPlace(self, value1: float, value2: float) -> float:  # Spark's name for it
        return max(value1, value2)


def _maybe_fail(hook: FailOnce | None) -> None:
    """Fail the first attempt of one task after all its rows went to the writer, so
    that attempt leaves partial output behind for the commit protocol to discard."""
    if hook is None:
        return
    from pyspark import TaskContext

    context = TaskContext.get()
    if context is None or context.partitionId() != hook.partition:
        return
    if context.attemptNumber() == 0:
        Path(hook.marker).touch()
        raise RuntimeError(f"newsgraph: injected failure of task {hook.partition}, attempt 0")
