"""A knowledge base of the sample corpus (plus an article with markup in it), served by
`newsgraph serve` on a loopback port for the explorer's tests."""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_ARTICLE = {
    "id": "hostile-markup",
    "title": "Markup <b>in</b> a title",
    "published": "2026-11-20",
    "source": "Test Wire",
    "text": 'Officials in Kessa said <script>window.__pwned = 1</script> nothing & "nobody" left.',
}


@pytest.fixture(scope="session")
def sample_db(nlp, tmp_path_factory) -> Path:
    from newsgraph.extract import extract
    from newsgraph.store.ingest import ingest

    folder = tmp_path_factory.mktemp("kb")
    extra = folder / "hostile.jsonl"
    extra.write_text(json.dumps(HOSTILE_ARTICLE) + "\n", encoding="utf-8")
    db = folder / "sample.db"
    ingest(
        [ROOT / "examples", extra],
        db,
        progress=False,
        extractor=functools.partial(extract, nlp=nlp),
    )
    return db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(sample_db) -> str:
    """Base URL of `newsgraph serve` on the sample knowledge base."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsgraph.cli",
            "serve",
            "--db",
            str(sample_db),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
            break
        except OSError as exc:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(
                    f"newsgraph serve did not start: {proc.stderr.read().decode()[-2000:]}"
                ) from exc
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # The explorer must work offline: any request leaving loopback fails the test.
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    context.close()
    assert not outside, f"pages asked the internet for {outside}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("NEWSGRAPH_ARTIFACTS", ROOT / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
