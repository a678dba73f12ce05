"""Ingest: idempotent, resumable after SIGKILL, bad inputs listed in `errors`."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from fake_extract import fake_extract
from store_records import small_corpus

from newsgraph import settings
from newsgraph.store import connect, ingest, queries

HERE = Path(__file__).parent


def run(paths, db, **kw):
    return ingest(paths, db, progress=False, extractor=fake_extract, **kw)


def test_ingesting_twice_gives_the_same_database_as_once(corpus_dir, tmp_path, snap):
    once = tmp_path / "once.db"
    first = run([corpus_dir], once)
    assert first.written == 40 and not first.errors
    before = snap(once)
    second = run([corpus_dir], once)
    assert second.written == 0 and second.unchanged == 40
    assert snap(once) == before
    assert before["articles"] and before["corpus_entities"] and before["figures"]


def test_changed_article_replaces_its_facts(tmp_path, snap):
    feed = tmp_path / "feed.jsonl"
    art = {
        "id": "a",
        "published": "2026-03-02",
        "text": "Omar Saleh said 50 people displaced in Kessa.",
    }
    feed.write_text(json.dumps(art) + "\n")
    db = tmp_path / "kb.db"
    run([feed], db)
    art["text"] = "Nadia Saleh said 70 people displaced in Orlo."
    feed.write_text(json.dumps(art) + "\n")
    report = run([feed], db)
    assert report.written == 1
    conn = connect(db)
    assert [r[0] for r in conn.execute("SELECT name FROM entities")] == ["Nadia Saleh", "Orlo"]
    assert [r[0] for r in conn.execute("SELECT value FROM figures")] == [70.0]
    assert conn.execute("SELECT count(*) FROM mentions WHERE text = 'Kessa'").fetchone()[0] == 0
    # Full-text search follows the replacement too.
    assert queries.search(conn, "Orlo") and not queries.search(conn, "Kessa")


def test_mixed_batch_stores_good_articles_and_lists_each_bad_input(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Amira Haddad said 10 people displaced in Kessa.")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (folder / "latin1.txt").write_bytes("Caf\xe9 in Kessa".encode("latin-1"))
    (folder / "huge.txt").write_text("x" * (settings.MAX_ARTICLE_CHARS + 10))
    (folder / "feed.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"id": "ok1", "text": "Karim Nasser visited Dessin."}),
                "{not json",
                json.dumps({"id": "nt", "title": "no text"}),
                json.dumps({"id": "bad-date", "text": "Leila Nasser spoke.", "published": "soon"}),
                json.dumps({"id": "boom", "text": "BREAK THE PIPELINE here."}),
                json.dumps({"id": "refused", "text": "BREAK THE STORE with Omar Saleh."}),
                json.dumps({"id": "ok2", "text": "Samir Aziz said 20 people killed in Orlo."}),
            ]
        )
        + "\n"
    )
    db = tmp_path / "kb.db"
    report = run([folder], db)
    assert report.written == 3
    conn = connect(db)
    stored = {r[0] for r in conn.execute("SELECT article_id FROM articles")}
    assert {"ok1", "ok2"} <= stored and len(stored) == 3
    errors = {r["input"]: r for r in queries.errors(conn)}
    names = {
        Path(k.split(":")[0]).name + (":" + k.split(":")[1] if ":" in k else "") for k in errors
    }
    assert names == {
        "empty.txt",
        "binary.txt",
        "latin1.txt",
        "huge.txt",
        "feed.jsonl:2",
        "feed.jsonl:3",
        "feed.jsonl:4",
        "feed.jsonl:5",
        "feed.jsonl:6",
    }
    assert {r["stage"] for r in errors.values()} == {"read", "pipeline", "store"}
    assert "refused" not in stored  # nothing of a refused record is left behind
    omar = "SELECT count(*) FROM mentions WHERE text = 'Omar Saleh'"
    assert conn.execute(omar).fetchone()[0] == 0
    assert len(report.errors) == 9
    # Re-running lists each bad input once, not twice; a fixed input leaves the list.
    (folder / "empty.txt").write_text("Omar Saleh arrived in Marun.")
    again = run([folder], db)
    assert again.written == 1
    assert len(queries.errors(conn)) == 8


def test_reprocess_reextracts_articles_of_an_older_pipeline(corpus_dir, tmp_path, monkeypatch):
    db = tmp_path / "kb.db"
    run([corpus_dir], db)
    monkeypatch.setattr(settings, "PIPELINE_VERSION", "9999.1")
    assert run([corpus_dir], db).written == 0  # without --reprocess: kept
    assert run([], db, reprocess=True).written == 40  # from the stored text
    conn = connect(db)
    versions = {r[0] for r in conn.execute("SELECT pipeline_version FROM articles")}
    assert versions == {"9999.1"}
    assert run([corpus_dir], db, reprocess=True).written == 0


CHILD = """
import sys
from fake_extract import fake_extract
from store_records import small_corpus
from newsgraph.store import ingest
ingest([sys.argv[1]], sys.argv[2], progress=False,
       extractor=lambda inputs, **kw: fake_extract(inputs, delay=0.01, **kw))
print("finished")
"""


def test_a_killed_ingest_resumes_to_the_same_database(tmp_path, snap):
    corpus_dir = tmp_path / "big"
    corpus_dir.mkdir()
    articles = small_corpus(150)
    (corpus_dir / "feed.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    reference = tmp_path / "reference.db"
    run([corpus_dir], reference)
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(corpus_dir), str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stored = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored >= 40:  # at least one batch committed, most of the work still to do
            break
        time.sleep(0.01)
    assert child.poll() is None, "ingest finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    conn = sqlite3.connect(db)
    partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert 40 <= partial < 150
    resumed = run([corpus_dir], db)
    assert resumed.written == 150 - partial and resumed.unchanged == partial
    assert snap(db) == snap(reference)
