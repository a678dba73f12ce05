"""Fixtures for the store tests: a snapshot of a database's content, and a corpus of
small JSON Lines articles written for these tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_records import small_corpus


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (FTS internals and run bookkeeping aside), sorted."""
    conn = sqlite3.connect(db)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'meta' ORDER BY name"
            )
        ]
        return {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


@pytest.fixture
def snap():
    return snapshot


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = [json.dumps(a) for a in small_corpus(40)]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
