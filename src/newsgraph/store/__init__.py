"""The knowledge base: records in SQLite, resolved across articles, queried and exported.

from newsgraph.store import connect, ingest, queries
ingest(["examples/"], "newsgraph.db")
conn = connect("newsgraph.db", readonly=True)
queries.disputes(conn)
"""

from __future__ import annotations

from newsgraph.store import queries
from newsgraph.store.ingest import IngestReport, ingest, rebuild_corpus_tables
from newsgraph.store.schema import SchemaError, connect
from newsgraph.store.writer import write_record

__all__ = [
    "IngestReport",
    "SchemaError",
    "connect",
    "ingest",
    "queries",
    "rebuild_corpus_tables",
    "write_record",
]
