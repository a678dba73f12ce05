"""One Spark session for all Spark tests (starting one takes seconds), and one corpus with
bad articles in it, run through the Spark job once and through `newsgraph extract` once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def spark():
    from newsgraph.spark import spark_available

    missing = spark_available()
    if missing:
        pytest.skip(missing)
    from newsgraph.spark.job import create_session

    # local[2,2]: two cores, and a failed task is tried twice (plain local[N] never retries).
    session = create_session(
        "local[2,2]",
        app_name="newsgraph-tests",
        conf={
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "2",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


ARTICLES = [
    {
        "id": "kessa-1",
        "text": "Rebels shelled the town of Kessa on Monday, killing 12 people and wounding "
        "about 40 others, the provincial governor Amina Farouk told reporters. "
        '"We need ambulances now," she said.',
        "published": "2024-03-05",
        "source": "Test Wire",
    },
    {"id": "empty-1", "text": "   ", "published": "2024-03-06"},
    "{this line is not json",
    {"id": "baddate-1", "text": "Troops left the border post.", "published": "last Tuesday-ish"},
    "",
    {
        "text": "The World Food Programme said on Friday that 3,000 families had fled the "
        "valley after the floods, and that aid convoys would reach them next week.",
        "published": "2024-04-12",
        "url": "https://example.org/floods",
    },
    {
        "id": "undated-1",
        "text": "Police in the capital arrested 25 protesters on Thursday, a spokesman for "
        "the interior ministry said.",
    },
    {
        "id": "talks-1",
        "text": "Negotiators from both governments met in Geneva on Wednesday and agreed to a "
        "ceasefire, the foreign minister Jonas Berg said in a statement.",
        "published": "2024-04-20T09:30:00",
        "title": "Ceasefire agreed",
    },
]


def write_corpus(root: Path) -> Path:
    """Articles written for these tests (no text copied from anywhere)."""
    root.mkdir(parents=True, exist_ok=True)
    lines = [a if isinstance(a, str) else json.dumps(a) for a in ARTICLES]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nested = root / "more"
    nested.mkdir()
    (nested / "relief.txt").write_text(
        "A spokeswoman for the Red Cross, Maria Lopez, said the convoy reached the village "
        "of Tarsa on Tuesday with food for 600 households.",
        encoding="utf-8",
    )
    (nested / "empty.txt").write_text("", encoding="utf-8")
    (nested / "latin1.txt").write_bytes("Le caf\xe9 est ferm\xe9.".encode("latin-1"))
    (nested / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    (nested / "second.jsonl").write_text(
        json.dumps(
            {
                "id": "dam-1",
                "text": "Engineers warned on Sunday that the old dam above "
                "the city could fail, and 2,500 residents were evacuated.",
                "published": "2024-05-19",
            }
        )
        + "\n"
        + '["an", "array"]\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("spark") / "corpus")


@pytest.fixture(scope="session")
def expected(nlp, corpus):
    """What `newsgraph extract` makes of the corpus: (records, errors)."""
    from newsgraph.extract import extract
    from newsgraph.ingest import InputError, read_inputs

    records, errors = [], []
    for outcome in extract(read_inputs([str(corpus)]), nlp=nlp):
        (errors if isinstance(outcome, InputError) else records).append(outcome)
    return records, errors


@pytest.fixture(scope="session")
def spark_output(spark, corpus, expected, tmp_path_factory):
    """The job run once on the corpus, with its first task made to fail on its first
    attempt (after writing its rows): every test of the output is also a test that a
    retried task leaves nothing behind. (One run: each job costs seconds.)

    After `expected`: extract has then built the gazetteer's cached index, which the
    Spark workers would otherwise each build at once."""
    from newsgraph.spark.job import run
    from newsgraph.spark.worker import FailOnce

    work = tmp_path_factory.mktemp("spark-out")
    marker = work / "failed-once"
    summary = run(
        spark,
        [str(corpus)],
        str(work / "tables"),
        partitions=3,
        fail_once=FailOnce(partition=0, marker=str(marker)),
    )
    return work / "tables", summary, marker
