"""Explorer benchmark: how long each page of `newsgraph serve` takes on a large knowledge base.

    python benchmarks/bench_ingest.py --keep /tmp/kb10k.db        # build the 10,000-article base
    python benchmarks/bench_explorer.py --db /tmp/kb10k.db
    python benchmarks/bench_explorer.py --articles 500            # builds a small one itself

Requests go through Datasette's own ASGI client (no network), so the figures are the
server's time to answer: the median of 5 warm requests per page, and for the pages that
exist many times over (articles, entities, places) the worst of several sampled ones.
The issue's bar is 300 ms per page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))


def build_db(articles: int) -> Path:
    from generate_articles import generate

    from newsgraph.store import ingest

    folder = Path(tempfile.mkdtemp(prefix="newsgraph-explorer-"))
    feed = folder / "articles.jsonl"
    with feed.open("w") as stream:
        for article in generate(articles):
            stream.write(json.dumps(article) + "\n")
    db = folder / "kb.db"
    ingest([feed], db, workers=2, progress=sys.stderr.isatty())
    return db


def sample_pages(db: Path, per_kind: int) -> dict[str, list[str]]:
    conn = sqlite3.connect(db)
    name = db.stem
    articles = [
        r[0]
        for r in conn.execute(
            "select article_id from articles order by length(text) desc limit ?", (per_kind,)
        )
    ]
    entities = [
        r[0]
        for r in conn.execute(
            "select corpus_id from corpus_entities order by mentions desc limit ?", (per_kind,)
        )
    ]
    places = [
        r[0]
        for r in conn.execute(
            "select place_key from places group by place_key order by count(*) desc limit ?",
            (per_kind,),
        )
    ]
    speaker = conn.execute(
        "select name from corpus_entities where type = 'PERSON' order by mentions desc limit 1"
    ).fetchone()
    place_name = conn.execute(
        "select name from places group by place_key order by count(*) desc limit 1"
    ).fetchone()
    return {
        "explorer home": ["/-/newsgraph"],
        "article (largest)": [f"/-/newsgraph/article/{quote(a, safe='')}" for a in articles],
        "entity (most mentioned)": [f"/-/newsgraph/entity/{e}" for e in entities],
        "place (most mentioned)": [f"/-/newsgraph/place/{quote(p, safe='')}" for p in places],
        "map of places": ["/-/newsgraph/places"],
        "disputes": ["/-/newsgraph/disputes"],
        "Datasette: articles table": [f"/{name}/articles"],
        "Datasette: figures, faceted": [f"/{name}/figures?_facet=category&_facet=unit"],
        "Datasette: full-text search": [f"/{name}/articles?_search=aid+convoy"],
        "canned: quotes by speaker": [
            f"/{name}/quotes_by_speaker?speaker={quote(speaker[0] if speaker else 'x')}"
        ],
        "canned: timeline": [
            f"/{name}/timeline?place={quote(place_name[0] if place_name else 'x')}"
        ],
        "Datasette: disputes table": [f"/{name}/disputes"],
    }


async def time_pages(
    db: Path, pages: dict[str, list[str]], runs: int
) -> list[tuple[str, float, float, int]]:
    from newsgraph.web.server import make_datasette

    datasette = make_datasette(db)
    await datasette.invoke_startup()
    results = []
    for label, paths in pages.items():
        medians = []
        for path in paths:
            response = await datasette.client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                await datasette.client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            medians.append(statistics.median(times))
        results.append((label, statistics.median(medians), max(medians), len(paths)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a knowledge base (default: build one)")
    parser.add_argument("--articles", type=int, default=10_000, help="size when building one")
    parser.add_argument("--sample", type=int, default=5, help="pages sampled per kind")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = args.db or build_db(args.articles)
    counts = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
    results = asyncio.run(time_pages(db, sample_pages(db, args.sample), args.runs))
    print(f"\n{counts:,} articles in {db} ({db.stat().st_size / 1e6:.0f} MB)\n")
    print("| page | median ms | worst sampled ms | pages sampled |\n|---|---|---|---|")
    for label, median, worst, n in results:
        flag = "" if worst < 300 else " (over 300 ms)"
        print(f"| {label} | {median:.1f} | {worst:.1f}{flag} | {n} |")


if __name__ == "__main__":
    main()
