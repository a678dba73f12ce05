"""The sample corpus through the real pipeline: the planted disputes come out, with sources,
and ingesting it twice changes nothing. Depends on the extractors' quality (figures,
places, entities); the store logic itself is tested on hand-built records elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.store import connect, ingest, queries

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def sample_db(nlp, tmp_path_factory):
    from newsgraph.extract import extract

    def with_session_nlp(inputs, **kw):
        kw.pop("config", None)
        return extract(inputs, nlp=nlp, **kw)

    db = tmp_path_factory.mktemp("sample") / "kb.db"
    report = ingest([EXAMPLES], db, progress=False, extractor=with_session_nlp)
    assert report.written == 28 and not report.errors
    return db, with_session_nlp


def test_planted_disputes_show_with_sources(sample_db):
    db, _ = sample_db
    rows = queries.disputes(connect(db))
    found = {(r["category"], r["place"], r["period"], r["value"], r["reported_by"]) for r in rows}
    assert ("displaced", "Kessa", "2026-W10", 4500, "UNHCR") in found
    assert ("displaced", "Kessa", "2026-W10", 12000, "Samir Aziz") in found
    assert ("evacuated", "Dessin", "2026-W10", 900, "Kessa Red Crescent") in found
    assert ("evacuated", "Dessin", "2026-W10", 3000, "Civil defence officials") in found
    # The wire story's two syndicated copies add no rows of their own.
    assert not {r["article_id"] for r in rows} & {"kessa-002", "kessa-003"}


def test_cross_article_entities_of_the_sample(sample_db):
    db, _ = sample_db
    conn = connect(db)
    names = {r[0]: r[1] for r in conn.execute("SELECT name, aliases FROM corpus_entities")}
    assert "Karim Naser" in names["Karim Nasser"]
    assert '"UN"' in names["United Nations"]
    assert "Leila Nasser" in names and "Leila Nasser" not in names["Karim Nasser"]


def test_ingesting_the_sample_twice_changes_nothing(sample_db, snap):
    db, extractor = sample_db
    before = snap(db)
    again = ingest([EXAMPLES], db, progress=False, extractor=extractor)
    assert again.written == 0 and again.unchanged == 28
    assert snap(db) == before


def test_killed_cli_ingest_of_the_sample_resumes_to_the_same_database(sample_db, tmp_path, snap):
    """`newsgraph ingest` itself, SIGKILLed once some articles are committed, then rerun."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    reference, _ = sample_db
    db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "newsgraph.cli", "ingest", str(EXAMPLES), "--db", str(db)]
    child = subprocess.Popen(
        [*command, "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    stored, deadline = 0, time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored:
            break
        time.sleep(0.02)
    if child.poll() is not None:
        pytest.skip("the ingest finished before a batch was committed; nothing to kill")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with sqlite3.connect(db) as conn:
        partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    # Killed while writing (some articles committed) or while rebuilding the corpus
    # tables (all committed, the corpus tables stale): both must resume.
    assert 0 < partial <= 28
    rerun = subprocess.run([*command, "--quiet"], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{28 - partial} article(s) stored, {partial} unchanged" in rerun.stderr
    assert snap(db) == snap(reference)
