"""Shared fixtures. Tests that need the spaCy model use `nlp` and are skipped when it is absent;
tests that read ../shared use `shared_dir` and are skipped when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from newsgraph.pipeline import ModelNotFoundError, build_pipeline

    try:
        return build_pipeline()
    except ModelNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    path = shared_dir / "seed" / "aleppo.txt"
    if not path.exists():
        pytest.skip("seed article absent")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def extract_one(nlp):
    """Run the full pipeline on one text and return its contract record."""
    from newsgraph.extract import extract_batch
    from newsgraph.ingest import read_text_article

    def run(text: str, published: str | None = None, **meta):
        article = read_text_article(text, "<test>", published, **meta)
        (record,) = extract_batch(nlp, [article])
        return record

    return run


@pytest.fixture(scope="session")
def seed_record(extract_one, seed_text):
    return extract_one(seed_text, "2016-12-16")


@pytest.fixture(scope="session")
def check_seed(seed_record, shared_dir, tmp_path_factory):
    """check_seed("times") runs ../shared/tools/check_seed.py on the seed record for those
    sections and returns (all_hold, output)."""
    import json
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("seed") / "seed.jsonl"
    path.write_text(json.dumps(seed_record) + "\n", encoding="utf-8")

    def run(sections: str) -> tuple[bool, str]:
        proc = subprocess.run(
            [
                sys.executable,
                str(shared_dir / "tools" / "check_seed.py"),
                str(path),
                "--only",
                sections,
            ],
            capture_output=True,
            text=True,
        )
        return proc.returncode == 0, proc.stdout

    return run


@pytest.fixture(scope="session")
def write_warc():
    """write_warc(path, [(url, content_type, body bytes), ...]) writes a gzipped WARC of
    HTTP responses, for the readers' and the Spark worker's tests."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def write(path: Path, pages) -> None:
        with path.open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for url, content_type, body in pages:
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
                )
                writer.write_record(
                    writer.create_warc_record(
                        url, "response", payload=io.BytesIO(body), http_headers=headers
                    )
                )

    return write
