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
