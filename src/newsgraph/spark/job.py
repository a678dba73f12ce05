"""The driver side of the Spark job: list the inputs, read them into a DataFrame of
articles, run the pipeline in `mapPartitions`, write one Parquet table per section.

Two passes over the data, each committed by Spark's output commit protocol (a retried or
speculative task never leaves its rows twice):

1. inputs -> `DIR/staging`: one row per input with the rows of every table for its
   record (or its error). The expensive work (spaCy) happens here, exactly once.
2. `staging` -> `DIR/<table>/month=YYYY-MM/*.parquet` for each table of
   `newsgraph.tables.TABLES`, and `DIR/errors/*.parquet`; then `staging` is removed.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from newsgraph import __version__, settings
from newsgraph.ingest import InputError
from newsgraph.ingest.readers import JSONL_SUFFIXES, SUFFIXES, read_file
from newsgraph.spark.worker import (
    ERROR_FIELDS,
    KIND_FILE,
    KIND_JSONL,
    KIND_ROW,
    FailOnce,
    FileBlob,
    MaxParam,
    Options,
    display_path,
    error_row,
    process_partition,
)
from newsgraph.tables import SCHEMAS, TABLES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

# Default partition size: small enough that a retried task costs little and the cores
# stay evenly busy, large enough that Spark's per-task overhead is negligible.
ARTICLES_PER_PARTITION = 1000
# Caps the size of one output file (rows).
MAX_RECORDS_PER_FILE = 1_000_000
ERRORS_TABLE = "errors"
# Not "_staging": Spark's readers treat "_..." folders as hidden and warn about them.
STAGING = "staging"
MANIFEST = "_newsgraph.json"
PARQUET_SUFFIX = ".parquet"
ARTICLE_COLUMNS = ("id", "text", "published", "url", "source", "title")


class SparkJobError(RuntimeError):
    pass


@dataclass
class Summary:
    output: str
    partitions: int
    articles: int = 0
    errors: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    worker_peak_rss_mb: float = 0.0  # the largest Python worker (pipeline loaded), for sizing


def create_session(
    master: str | None = None, app_name: str = "newsgraph", conf: dict[str, str] | None = None
) -> SparkSession:
    """A SparkSession; under spark-submit, `master=None` keeps the one it was given.

    A local master binds the driver to 127.0.0.1: a single-machine job needs no network.
    """
    from pyspark.sql import SparkSession

    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not under spark-submit (which starts the JVM first and passes its own master).
        master = "local[*]"
    if (master or "").startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # Local Python workers run this interpreter (its environment has newsgraph and the
        # model), not whichever `python3` is first on PATH. pyspark reads the variable when
        # the context starts.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1")
    # The pipeline is cached per Python worker; reuse keeps workers alive across tasks.
    builder = builder.config("spark.python.worker.reuse", "true")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# ----------------------------------------------------------------------------- schemas


def table_schema(name: str) -> StructType:
    """The Spark type of a table's rows, from the one pyarrow definition (all nullable:
    Spark writes Parquet columns as optional anyway, and a null never fails a task)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(SCHEMAS[name]).toNullable()


def errors_schema() -> StructType:
    from pyspark.sql.types import StringType, StructField, StructType

    return StructType([StructField(name, StringType(), True) for name in ERROR_FIELDS])


def staging_schema() -> StructType:
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    fields = [StructField("month", StringType(), True)]
    fields += [StructField(name, ArrayType(table_schema(name)), True) for name in TABLES]
    fields.append(StructField(ERRORS_TABLE, ArrayType(errors_schema()), True))
    return StructType(fields)


def input_schema() -> StructType:
    from pyspark.sql.types import BinaryType, LongType, StringType, StructField, StructType

    fields = [
        StructField("path", StringType(), True),
        StructField("line", LongType(), True),
        StructField("kind", StringType(), True),
        StructField("raw", BinaryType(), True),
    ]
    fields += [StructField(name, StringType(), True) for name in ARTICLE_COLUMNS]
    return StructType(fields)


# ------------------------------------------------------------------------------ inputs


@dataclass
class Inputs:
    jsonl: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    parquet: list[str] = field(default_factory=list)
    # Spark's scans skip zero-length files; these are read on the driver instead.
    empty: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _kind_of(name: str, listed: bool) -> str | None:
    """How a file is read: by its suffix, as `newsgraph extract` does (a file named
    directly is text whatever its suffix; in a directory, unknown suffixes are skipped)."""
    lower = name.lower()
    if lower.endswith(PARQUET_SUFFIX):
        return "parquet"
    if any(lower.endswith(s) for s in JSONL_SUFFIXES):
        return "jsonl"
    if any(lower.endswith(s) for s in SUFFIXES) or not listed:
        return "file"
    return None


class _FileSystem:
    """The Hadoop file system API (through the JVM), so inputs and output may be local,
    HDFS, S3 or anything the cluster's Hadoop configuration can reach."""

    def __init__(self, spark: SparkSession) -> None:
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _fs(self, path: str):
        jpath = self._jvm.org.apache.hadoop.fs.Path(path)
        return jpath, jpath.getFileSystem(self._conf)

    def glob(self, path: str) -> list[tuple[str, bool]]:
        """(qualified path, is directory) of what a path or glob names; [] when nothing."""
        jpath, fs = self._fs(path)
        statuses = fs.globStatus(jpath)
        if statuses is None:
            return []
        return [(s.getPath().toString(), s.isDirectory()) for s in statuses]

    def exists(self, path: str) -> bool:
        jpath, fs = self._fs(path)
        return fs.exists(jpath)

    def delete(self, path: str) -> None:
        jpath, fs = self._fs(path)
        fs.delete(jpath, True)

    def write_text(self, path: str, text: str) -> None:
        jpath, fs = self._fs(path)
        stream = fs.create(jpath, True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()


def list_inputs(spark: SparkSession, paths: Sequence[str]) -> Inputs:
    """Every input file, by how it is read; directories are searched recursively."""
    fs = _FileSystem(spark)
    found = Inputs()
    directories: list[tuple[str, str]] = []
    for given in paths:
        matches = fs.glob(given)
        if not matches:
            found.errors.append((given, "no such file or directory"))
        for uri, is_dir in matches:
            if is_dir:
                directories.append((given, uri))
            else:
                _add(found, uri, _kind_of(uri, listed=False))
    if directories:
        # Spark's file index lists directories (in parallel when there are many); nothing
        # is read. It gives URIs ("file:///a%20b"); Spark's readers take paths ("file:/a b").
        listed = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load([uri for _, uri in directories])
            .inputFiles()
        )
        files = sorted(unquote(f) for f in listed)
        for given, uri in directories:
            prefix = display_path(uri).rstrip("/") + "/"
            kept = [
                f for f in files if display_path(f).startswith(prefix) and _kind_of(f, listed=True)
            ]
            if not kept:
                found.errors.append(
                    (given, "directory holds no .txt, .html, .jsonl, .warc or .parquet files")
                )
            for uri_file in kept:
                _add(found, uri_file, _kind_of(uri_file, listed=True))
    for name in ("jsonl", "files", "parquet", "empty"):
        setattr(found, name, sorted(set(getattr(found, name))))
    return found


def _add(found: Inputs, uri: str, kind: str | None) -> None:
    # One spelling per file ("file:///a" and "file:/a" are the same file), so a file named
    # twice (as itself and through its directory or a glob) is read once.
    scheme, sep, rest = uri.partition(":///")
    if sep and "/" not in scheme:
        uri = f"{scheme}:/{rest}"
    if kind == "jsonl":
        found.jsonl.append(uri)
    elif kind == "parquet":
        found.parquet.append(uri)
    elif kind == "file":
        found.files.append(uri)


def read_inputs(spark: SparkSession, inputs: Inputs) -> tuple[DataFrame, int]:
    """One DataFrame of input rows (INPUT schema) and how many there are."""
    from pyspark.sql import functions as F

    frames: list[DataFrame] = []
    total = 0
    nulls = {name: F.lit(None).cast("string") for name in ARTICLE_COLUMNS}
    if inputs.jsonl:
        lines, count = _numbered_lines(spark, inputs.jsonl)
        frames.append(
            lines.select(
                "path",
                "line",
                F.lit(KIND_JSONL).alias("kind"),
                "raw",
                *(col.alias(name) for name, col in nulls.items()),
            )
        )
        total += count
    if inputs.files:
        files = spark.read.format("binaryFile").load(inputs.files)
        # Spark's scans skip zero-length files: find them (paths only, no bytes read).
        present = {display_path(row.path) for row in files.select("path").collect()}
        inputs.empty = [f for f in inputs.files if display_path(f) not in present]
        frames.append(
            files.select(
                "path",
                F.lit(None).cast("long").alias("line"),
                F.lit(KIND_FILE).alias("kind"),
                F.col("content").alias("raw"),
                *(col.alias(name) for name, col in nulls.items()),
            )
        )
        total += len(inputs.files)
    if inputs.parquet:
        table = spark.read.option("mergeSchema", "true").parquet(*inputs.parquet)
        columns = {c.lower(): c for c in table.columns}
        frames.append(
            table.select(
                F.col("_metadata.file_path").alias("path"),
                (F.col("_metadata.row_index") + 1).alias("line"),
                F.lit(KIND_ROW).alias("kind"),
                F.lit(None).cast("binary").alias("raw"),
                *(
                    (F.col(columns[name]).cast("string") if name in columns else nulls[name]).alias(
                        name
                    )
                    for name in ARTICLE_COLUMNS
                ),
            )
        )
        total += table.count()
    if not frames:
        return spark.createDataFrame([], input_schema()), 0
    return functools.reduce(lambda a, b: a.unionByName(b), frames), total


def _numbered_lines(spark: SparkSession, files: list[str]) -> tuple[DataFrame, int]:
    """The lines of JSON Lines files, each with its 1-based line number.

    Spark splits a large file into blocks read by different tasks; a line's number is the
    lines in the blocks before its own plus its position in its block. A first, cheap
    pass counts each block's lines; within a block, monotonically_increasing_id() grows
    by one per line, since a block is read in order by one task.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    lines = spark.read.text(files).select(
        F.col("_metadata.file_path").alias("path"),
        F.col("_metadata.file_block_start").alias("block"),
        # The bytes as stored: Spark does not check UTF-8, the worker does, as extract does.
        F.col("value").cast("binary").alias("raw"),
        F.monotonically_increasing_id().alias("seq"),
    )
    blocks = lines.groupBy("path", "block").agg(
        F.count(F.lit(1)).alias("n"), F.min("seq").alias("first")
    )
    before = Window.partitionBy("path").orderBy("block").rowsBetween(Window.unboundedPreceding, -1)
    bases = blocks.select(
        "path",
        "block",
        (F.coalesce(F.sum("n").over(before), F.lit(0)) + 1 - F.col("first")).alias("base"),
        "n",
    ).collect()
    total = sum(row.n for row in bases)
    base_frame = spark.createDataFrame(
        [(row.path, row.block, row.base) for row in bases], "path string, block long, base long"
    )
    numbered = lines.join(F.broadcast(base_frame), ["path", "block"]).select(
        "path", (F.col("seq") + F.col("base")).alias("line"), "raw"
    )
    return numbered, total


# --------------------------------------------------------------------------------- run


def run(
    spark: SparkSession,
    paths: Sequence[str],
    output: str,
    *,
    partitions: int | None = None,
    published: str | None = None,
    source: str | None = None,
    overwrite: bool = False,
    config: dict[str, dict[str, Any]] | None = None,
    alias_file: str | None = None,
    fail_once: FailOnce | None = None,
) -> Summary:
    """Run the pipeline on `paths` and write the tables under `output`; `alias_file` (a
    local path or Hadoop URI) is shipped to every executor."""
    from pyspark.sql import functions as F

    started = time.perf_counter()
    fs = _FileSystem(spark)
    output = output.rstrip("/")
    if fs.exists(output):
        if not overwrite:
            raise SparkJobError(f"{output} exists; pass --overwrite to replace it")
        fs.delete(output)
    alias_file_name = ship_alias_file(spark, alias_file) if alias_file else None
    inputs = list_inputs(spark, paths)
    frame, total = read_inputs(spark, inputs)
    if partitions is None:
        parallelism = spark.sparkContext.defaultParallelism
        partitions = max(2 * parallelism, math.ceil(total / ARTICLES_PER_PARTITION))
    peak_rss = spark.sparkContext.accumulator(0.0, MaxParam())
    options = Options(
        published=published,
        source=source,
        config_json=json.dumps(config) if config else None,
        alias_file_name=alias_file_name,
        fail_once=fail_once,
        peak_rss=peak_rss,
    )
    # Hash partitioning on the input's name: deterministic, so a recomputed partition
    # holds the same articles.
    staged_rdd = frame.repartition(partitions, "path", "line").rdd.mapPartitions(
        functools.partial(process_partition, options)
    )
    staged = spark.createDataFrame(staged_rdd, staging_schema())
    # Inputs that fail before any task runs (missing paths, empty files) are errors too.
    driver_errors = [error_row(_input_error(given, reason)) for given, reason in inputs.errors]
    for uri in inputs.empty:
        driver_errors += [
            error_row(e)
            for e in read_file(FileBlob(display_path(uri), b""), published, source)
            if isinstance(e, InputError)
        ]
    if driver_errors:
        staged = staged.unionByName(spark.createDataFrame(driver_errors, staging_schema()))
    staging = f"{output}/{STAGING}"
    staged.write.mode("overwrite").parquet(staging)

    staged = spark.read.parquet(staging)
    sums = staged.select(
        *(F.sum(F.size(name)).alias(name) for name in (*TABLES, ERRORS_TABLE))
    ).first()
    counts = {name: int(sums[name] or 0) for name in (*TABLES, ERRORS_TABLE)}
    writes = [
        (
            staged.select("month", F.explode(name).alias("r")).select("r.*", "month"),
            f"{output}/{name}",
            table_schema(name),
            counts[name],
            ["month"],
        )
        for name in TABLES
    ]
    writes.append(
        (
            staged.select(F.explode(ERRORS_TABLE).alias("e")).select("e.*"),
            f"{output}/{ERRORS_TABLE}",
            errors_schema(),
            counts[ERRORS_TABLE],
            [],
        )
    )
    # Nine small jobs, submitted together so that their tasks share the cores (each
    # commits on its own; Spark runs jobs from several driver threads).
    with ThreadPoolExecutor(max_workers=len(writes)) as pool:
        for done in [pool.submit(_write, spark, *w) for w in writes]:
            done.result()
    fs.delete(staging)

    summary = Summary(
        output=output,
        partitions=partitions,
        articles=counts["articles"],
        errors=counts[ERRORS_TABLE],
        rows={name: counts[name] for name in TABLES},
        seconds=round(time.perf_counter() - started, 3),
        worker_peak_rss_mb=round(peak_rss.value),
    )
    manifest = {
        **asdict(summary),
        "inputs": list(paths),
        "alias_file": alias_file,
        "newsgraph": __version__,
        "pipeline_version": settings.PIPELINE_VERSION,
        "partitioned_by": "month",
        "tables": [*TABLES, ERRORS_TABLE],
    }
    fs.write_text(f"{output}/{MANIFEST}", json.dumps(manifest, indent=2) + "\n")
    return summary


def ship_alias_file(spark: SparkSession, alias_file: str) -> str:
    """Send the user's alias file to every executor (SparkContext.addFile, what
    spark-submit's --files does) and read it on the driver first, so that a malformed file
    stops the job before any task runs. Returns the name the workers find it by."""
    from pyspark import SparkFiles

    from newsgraph.pipeline.entities import AliasFileError, load_aliases

    name = alias_file.rstrip("/").rsplit("/", 1)[-1]
    try:
        spark.sparkContext.addFile(alias_file)
        local = SparkFiles.get(name)
        load_aliases(local)
    except AliasFileError as exc:
        raise SparkJobError(str(exc).replace(local, alias_file)) from exc
    except Exception as exc:  # Py4J: a path the file system cannot read, a name taken
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SparkJobError(f"{alias_file}: cannot ship the alias file: {reason}") from exc
    return name


def _input_error(given: str, reason: str) -> InputError:
    return InputError(given, reason)


def _write(
    spark: SparkSession,
    rows: DataFrame,
    path: str,
    schema: StructType,
    count: int,
    partition_by: list[str],
) -> None:
    if count == 0:
        # An empty table is still one (empty) Parquet file with the schema, so that
        # DuckDB, Spark SQL and the loader read it as a table with no rows.
        spark.createDataFrame([], schema).coalesce(1).write.mode("overwrite").parquet(path)
        return
    # REBALANCE: evenly sized files per month, even when one month holds most articles.
    rows = rows.hint("rebalance", *partition_by) if partition_by else rows.hint("rebalance")
    writer = rows.write.mode("overwrite").option("maxRecordsPerFile", MAX_RECORDS_PER_FILE)
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    writer.parquet(path)
