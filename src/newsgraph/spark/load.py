"""`newsgraph ingest --parquet DIR`: load the Spark job's output into the SQLite store.

The tables are turned back into records (`newsgraph.tables.tables_to_records`, the inverse
of the flattening the job wrote) and stored by the store's own `write_record`, one month
partition at a time so memory stays bounded by the largest month. Like `ingest`, it is
idempotent: an article stored with the same content hash and pipeline version is skipped.
Needs pyarrow only, not Spark: the output may come from a cluster.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.fs as pafs

from newsgraph import settings
from newsgraph.ingest import InputError
from newsgraph.store.ingest import IngestReport
from newsgraph.tables import TABLES, tables_to_records

MANIFEST = "_newsgraph.json"
ERRORS_TABLE = "errors"


class ParquetLayoutError(ValueError):
    pass


def _filesystem(directory: str | Path) -> tuple[pafs.FileSystem, str]:
    text = str(directory)
    if "://" in text:
        return pafs.FileSystem.from_uri(text)
    return pafs.LocalFileSystem(), str(Path(text).resolve())


def _read(fs: pafs.FileSystem, path: str) -> list[dict[str, Any]]:
    """Rows of the Parquet files under `path` (partition folders are not turned into
    columns: the tables' own columns are all the records need)."""
    info = fs.get_file_info(path)
    if info.type == pafs.FileType.NotFound:
        return []
    # Spark's _SUCCESS and .crc files are skipped (pyarrow ignores "_" and "." names).
    dataset = ds.dataset(path, filesystem=fs, format="parquet", partitioning=None)
    return dataset.to_table().to_pylist()


def months(fs: pafs.FileSystem, root: str) -> list[str]:
    """The partition folders (`month=YYYY-MM`) of the articles table."""
    selector = pafs.FileSelector(f"{root}/articles", allow_not_found=True)
    return sorted(
        info.base_name
        for info in fs.get_file_info(selector)
        if info.type == pafs.FileType.Directory and info.base_name.startswith("month=")
    )


def iter_records(directory: str | Path) -> Iterator[tuple[dict[str, Any], str]]:
    """(record, content_hash) for every article of a Spark output directory, month by month."""
    fs, root = _filesystem(directory)
    if fs.get_file_info(f"{root}/articles").type != pafs.FileType.Directory:
        raise ParquetLayoutError(f"{directory}: no articles/ table (not `newsgraph spark` output)")
    for month in months(fs, root):
        tables = {name: _read(fs, f"{root}/{name}/{month}") for name in TABLES}
        hashes = {row["article_id"]: row["content_hash"] for row in tables["articles"]}
        for record in tables_to_records(tables):
            yield record, hashes[record["id"]]


def iter_errors(directory: str | Path) -> Iterator[InputError]:
    fs, root = _filesystem(directory)
    for row in _read(fs, f"{root}/{ERRORS_TABLE}"):
        yield InputError(row["input"], row["reason"])


def pipeline_version(directory: str | Path) -> str | None:
    """The pipeline version the job ran (from its manifest), so the store can tell
    records to re-extract after an upgrade."""
    fs, root = _filesystem(directory)
    try:
        with fs.open_input_stream(f"{root}/{MANIFEST}") as stream:
            return json.loads(stream.read().decode("utf-8")).get("pipeline_version")
    except (FileNotFoundError, OSError, ValueError):
        return None


def load_parquet(directory: str | Path, db: str | Path) -> IngestReport:
    """Store every record and error of a `newsgraph spark` output directory in `db`."""
    from newsgraph.store import connect, write_record
    from newsgraph.store.ingest import finish_run
    from newsgraph.store.writer import record_error

    started = time.perf_counter()
    version = pipeline_version(directory) or settings.PIPELINE_VERSION
    report = IngestReport()
    conn = connect(db)
    try:
        for record, content_hash in iter_records(directory):
            stored = conn.execute(
                "SELECT content_hash, pipeline_version FROM articles WHERE article_id = ?",
                (record["id"],),
            ).fetchone()
            if stored and tuple(stored) == (content_hash, version):
                report.unchanged += 1
                continue
            try:
                write_record(conn, record, pipeline_version=version)
                report.written += 1
            except Exception as exc:  # a record the store cannot hold; the load goes on
                error = InputError(str(record["id"]), f"cannot store: {exc}")
                record_error(conn, error.input, error.reason, "store")
                report.errors.append(error)
        for error in iter_errors(directory):
            stage = "pipeline" if error.reason.startswith("pipeline failed") else "read"
            record_error(conn, error.input, error.reason, stage)
            report.errors.append(error)
        finish_run(conn, report)  # the corpus-level tables, as `newsgraph ingest` does
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report
