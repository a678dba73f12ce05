"""The SQLite schema of the knowledge base.

The fact tables are generated from :data:`newsgraph.tables.SCHEMAS` (the one definition
shared with the Parquet export and the Spark output), plus a few columns the store derives
(time ranges, place keys); the corpus-level tables (duplicates, corpus entities, errors)
are the store's own. docs/schema.md describes every table.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

import pyarrow as pa

from newsgraph.tables import SCHEMAS, TABLES

# Bumped when the schema changes; an older database is refused with a clear message.
SCHEMA_VERSION = 3

# Columns the store adds to the shared tables (derived at write time, for the queries).
DERIVED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("pipeline_version", "TEXT"),  # settings.PIPELINE_VERSION that extracted it
        ("origin", "TEXT"),  # the input it came from ("file.jsonl:12")
        ("published_date", "TEXT"),  # YYYY-MM-DD of `published`, for ordering
    ],
    "places": [("place_key", "TEXT")],  # the same place across articles: geonameid or name
    "figures": [
        ("time_from", "TEXT"),  # first day of `time` (TIMEX3) as an ISO date
        ("time_to", "TEXT"),  # last day
        ("period", "TEXT"),  # ISO week the figure speaks of (see timex.period_of)
        ("sentence_start", "INTEGER"),  # the sentence holding the figure, for answers
        ("sentence_end", "INTEGER"),
    ],
    "events": [("time_from", "TEXT"), ("time_to", "TEXT")],
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "entities": ("article_id", "entity_id"),
    "mentions": ("article_id", "kind", "owner_id", "idx"),
    "places": ("article_id", "place_id"),
    "times": ("article_id", "idx"),
    "quotes": ("article_id", "idx"),
    "figures": ("article_id", "idx"),
    "events": ("article_id", "idx"),
}

# Tables that FTS5 indexes (external content, kept in step by triggers) need a rowid.
_ROWID_TABLES = {"articles", "quotes"}


def sqlite_type(kind: pa.DataType) -> str:
    """The SQLite column type of an Arrow type (lists are stored as JSON text)."""
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        return "INTEGER"
    if pa.types.is_floating(kind):
        return "REAL"
    return "TEXT"


def table_ddl(name: str) -> str:
    columns = []
    for field in SCHEMAS[name]:
        null = "" if field.nullable else " NOT NULL"
        columns.append(f"{field.name} {sqlite_type(field.type)}{null}")
    columns += [f"{col} {kind}" for col, kind in DERIVED_COLUMNS.get(name, [])]
    key = ", ".join(PRIMARY_KEYS[name])
    columns.append(f"PRIMARY KEY ({key})")
    suffix = "" if name in _ROWID_TABLES else " WITHOUT ROWID"
    body = ",\n  ".join(columns)
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  {body}\n){suffix};"


@cache
def column_names(name: str) -> list[str]:
    return [f.name for f in SCHEMAS[name]] + [c for c, _ in DERIVED_COLUMNS.get(name, [])]


STORE_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

-- Inputs that could not be read or extracted, by input name; replaced on every run that
-- sees the input again, removed when the input later succeeds.
CREATE TABLE IF NOT EXISTS errors (
  input TEXT PRIMARY KEY,
  stage TEXT NOT NULL,          -- read | pipeline | store
  reason TEXT NOT NULL
) WITHOUT ROWID;

-- MinHash signature of each article's text (computed when it is written).
CREATE TABLE IF NOT EXISTS article_minhash (
  article_id TEXT PRIMARY KEY,
  signature BLOB NOT NULL
) WITHOUT ROWID;

-- Derived after each run from article_minhash: a syndicated copy -> its original.
CREATE TABLE IF NOT EXISTS duplicates (
  article_id TEXT PRIMARY KEY,
  original_id TEXT NOT NULL,
  similarity REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS duplicates_original ON duplicates(original_id);

-- Derived after each run: one row per real-world person/organisation across articles.
CREATE TABLE IF NOT EXISTS corpus_entities (
  corpus_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  affiliation TEXT,
  titles TEXT NOT NULL,          -- JSON list
  aliases TEXT NOT NULL,         -- JSON list of every name it was written as
  articles INTEGER NOT NULL,
  mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS corpus_entities_name ON corpus_entities(name COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS entity_links (
  article_id TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  corpus_id INTEGER NOT NULL,
  PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_links_corpus ON entity_links(corpus_id);

-- Derived after each run: queries.disputes() with the default margin, precomputed so that
-- the disputes of a large corpus answer at once. One row per figure, in display order.
CREATE TABLE IF NOT EXISTS disputes (
  dispute INTEGER NOT NULL,
  position INTEGER NOT NULL,
  category TEXT NOT NULL,
  value REAL,
  approximate INTEGER NOT NULL,
  bound TEXT,
  unit TEXT,
  place TEXT,
  time TEXT,
  period TEXT,
  reported_by TEXT,
  outlet TEXT,
  published TEXT,
  words TEXT,
  article_id TEXT NOT NULL,
  sentence TEXT,
  PRIMARY KEY (dispute, position)
) WITHOUT ROWID;

-- User-supplied aliases (from --alias-file), kept so every later run resolves alike.
CREATE TABLE IF NOT EXISTS aliases (
  alias TEXT NOT NULL,
  canonical TEXT NOT NULL,
  type TEXT,
  country TEXT,
  PRIMARY KEY (alias, canonical)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS articles_published ON articles(published_date);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS places_key ON places(place_key);
CREATE INDEX IF NOT EXISTS places_name ON places(name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(article_id, speaker_id);
CREATE INDEX IF NOT EXISTS figures_category ON figures(category, period);
CREATE INDEX IF NOT EXISTS figures_place ON figures(article_id, place_id);
CREATE INDEX IF NOT EXISTS figures_source ON figures(article_id, source_id);
CREATE INDEX IF NOT EXISTS figures_time ON figures(time_from);
CREATE INDEX IF NOT EXISTS events_place ON events(article_id, place_id);
CREATE INDEX IF NOT EXISTS events_time ON events(time_from);

-- Full-text search over article text and quotes (external content: no second copy).
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
  title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text)
  VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(
  text, content='quotes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS quotes_fts_insert AFTER INSERT ON quotes BEGIN
  INSERT INTO quotes_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS quotes_fts_delete AFTER DELETE ON quotes BEGIN
  INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
"""


class SchemaError(RuntimeError):
    pass


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the knowledge base, created (with its schema) when absent.

    WAL journal: readers never block the writer, and a killed writer leaves the last
    committed state (each article is written in its own transaction).
    """
    if readonly:
        if not Path(path).exists():
            raise SchemaError(f"{path}: no such database (run `newsgraph ingest` first)")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(str(path), timeout=30)
    conn.row_factory = sqlite3.Row
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        create_schema(conn)
    else:
        check_version(conn)
    return conn


def create_schema(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version not in (0, SCHEMA_VERSION):
        raise SchemaError(
            f"database schema version {version}; this newsgraph writes version {SCHEMA_VERSION} "
            "(ingest into a new database)"
        )
    with conn:
        for name in TABLES:
            conn.execute(table_ddl(name))
    # executescript commits on its own; the DDL is idempotent (IF NOT EXISTS).
    conn.executescript(STORE_DDL)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def check_version(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise SchemaError(f"database schema version {version}; expected {SCHEMA_VERSION}")
