"""Writing records into the knowledge base, each article atomically.

A record replaces everything stored for its article id (facts, signature, error entry)
in one transaction (or one savepoint of a batch, see BatchWriter), so a run killed at
any point leaves either the old facts or the new ones, never a mix.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash

from newsgraph import settings
from newsgraph.store.schema import column_names
from newsgraph.store.text import sentence_bounds
from newsgraph.store.timex import period_of, timex_range
from newsgraph.tables import TABLES, record_tables

# MinHash over word 3-grams: small edits (a new headline, a dropped line) keep a
# syndicated copy's Jaccard similarity well above the duplicate threshold.
NUM_PERM = 128
SHINGLE = 3
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures depend on it
_WORD = re.compile(r"\w+")

_INSERTS: dict[str, str] = {}


def _insert_sql(name: str) -> str:
    if name not in _INSERTS:
        cols = column_names(name)
        marks = ", ".join("?" for _ in cols)
        _INSERTS[name] = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})"
    return _INSERTS[name]


def normalize_name(name: str) -> str:
    """Lower case, no accents, no punctuation: the key two spellings are compared on."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", folded.lower()))


@cache
def _permutations() -> Any:
    # Generating the permutations costs more than hashing an article: do it once.
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def minhash_signature(text: str) -> bytes:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_permutations())
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m.hashvalues.astype("<u8").tobytes()


def signature_minhash(blob: bytes) -> LeanMinHash:
    return LeanMinHash(
        seed=1, hashvalues=np.frombuffer(blob, dtype="<u8").astype(np.uint64), scheme=SCHEME
    )


def delete_article(conn: sqlite3.Connection, article_id: str) -> None:
    """Remove an article and every fact of it (inside the caller's transaction)."""
    for name in (*reversed(TABLES), "article_minhash", "entity_links", "duplicates"):
        conn.execute(f"DELETE FROM {name} WHERE article_id = ?", (article_id,))


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def _derive(name: str, row: dict[str, Any], published_date: str | None, text: str) -> None:
    """Fill the store's derived columns of one row (see schema.DERIVED_COLUMNS)."""
    if name == "places":
        gid = row.get("geonameid")
        row["place_key"] = f"g:{gid}" if gid is not None else f"n:{normalize_name(row['name'])}"
    elif name in ("figures", "events"):
        span = timex_range(row.get("time"), published_date)
        row["time_from"], row["time_to"] = span or (None, None)
        if name == "figures":
            row["period"] = period_of(span, published_date)
            row["sentence_start"], row["sentence_end"] = sentence_bounds(
                text, row["start_char"], row["end_char"]
            )


def published_date(published: str | None) -> str | None:
    if published and re.match(r"^\d{4}-\d{2}-\d{2}", published):
        return published[:10]
    return None


def write_record(
    conn: sqlite3.Connection,
    record: Mapping[str, Any],
    *,
    origin: str | None = None,
    pipeline_version: str | None = None,
    commit: bool = True,
) -> None:
    """Store one record, replacing any earlier version of the same article, atomically.

    With `commit=False` the article is written inside a savepoint of the caller's open
    transaction (see :class:`BatchWriter`): all of it or none of it, committed later.
    """
    tables = record_tables(record)
    article = tables["articles"][0]
    day = published_date(article["published"])
    version = pipeline_version or settings.PIPELINE_VERSION  # read now: tests and reruns patch it
    article.update(pipeline_version=version, origin=origin, published_date=day)
    statements = []
    for name in TABLES:
        rows = tables[name]
        if rows:
            cols = column_names(name)
            values = []
            for row in rows:
                _derive(name, row, day, record["text"])
                values.append(tuple(_sqlite_value(row.get(c)) for c in cols))
            statements.append((_insert_sql(name), values))
    signature = minhash_signature(record["text"])
    if commit:
        with conn:  # one transaction: commit on success, roll back on any error
            _write(conn, article["article_id"], statements, signature, origin)
        return
    if not conn.in_transaction:
        conn.execute("BEGIN")
    conn.execute("SAVEPOINT article")
    try:
        _write(conn, article["article_id"], statements, signature, origin)
    except BaseException:
        conn.execute("ROLLBACK TO article")
        raise
    finally:
        conn.execute("RELEASE article")


def _write(conn, article_id, statements, signature, origin) -> None:
    delete_article(conn, article_id)
    for sql, values in statements:
        conn.executemany(sql, values)
    conn.execute(
        "INSERT INTO article_minhash (article_id, signature) VALUES (?, ?)", (article_id, signature)
    )
    if origin:
        conn.execute("DELETE FROM errors WHERE input = ?", (origin,))
    mark_stale(conn)


class BatchWriter:
    """Writes records in transactions of up to `size` articles (or `seconds` of work).

    Each article stays atomic (a savepoint); a batch is committed whole, so a killed run
    loses at most the batch in flight, which the next run redoes. Fewer commits make
    writing several times cheaper than one transaction per article.
    """

    def __init__(self, conn: sqlite3.Connection, size: int = 32, seconds: float = 1.0) -> None:
        self.conn, self.size, self.seconds = conn, size, seconds
        self.pending = 0
        self.started = time.monotonic()

    def write(self, record: Mapping[str, Any], origin: str | None = None) -> None:
        if self.pending == 0:
            self.started = time.monotonic()
        write_record(self.conn, record, origin=origin, commit=False)
        self.pending += 1
        if self.pending >= self.size or time.monotonic() - self.started > self.seconds:
            self.flush()

    def flush(self) -> None:
        if self.conn.in_transaction:
            self.conn.commit()
        self.pending = 0


def record_error(conn: sqlite3.Connection, input_name: str, reason: str, stage: str) -> None:
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO errors (input, stage, reason) VALUES (?, ?, ?)",
            (input_name, stage, reason),
        )


def mark_stale(conn: sqlite3.Connection) -> None:
    """Note (in the caller's transaction) that corpus-level tables need recomputing."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('derived_stale', '1')")
    conn.execute("DELETE FROM meta WHERE key = 'disputes_built'")


def is_stale(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'derived_stale'").fetchone()
    return bool(row and row[0] == "1")
