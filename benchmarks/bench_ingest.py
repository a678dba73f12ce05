"""Knowledge-base benchmark: ingest N generated articles with 1 and 2 workers, then time
every query on the resulting database.

    python benchmarks/bench_ingest.py                 # 10,000 articles (the issue's size)
    python benchmarks/bench_ingest.py --articles 500  # a quick run

Reports articles/s for each worker count, their ratio, and the median time of each query
(5 runs, warm cache) at that size. Results go to stdout as a Markdown table, which is
what docs/performance.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate_articles import generate

from newsgraph.store import connect, ingest, queries

QUERIES = {
    "quotes --speaker 'Karim Nasser'": lambda c: queries.quotes(c, speaker="Karim Nasser"),
    "timeline --place Kessa": lambda c: queries.timeline(c, place="Kessa"),
    "timeline --entity UNHCR --from 2026-03-10 --to 2026-03-20": lambda c: queries.timeline(
        c, entity="UNHCR", date_from="2026-03-10", date_to="2026-03-20"
    ),
    "figures --category displaced --place Kessa": lambda c: queries.figures(
        c, category="displaced", place="Kessa"
    ),
    "disputes": queries.disputes,
    "search 'aid convoy'": lambda c: queries.search(c, "aid convoy"),
}


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of this process, and of it with its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    mine = own.ru_utime + own.ru_stime
    return mine, mine + children.ru_utime + children.ru_stime


def time_ingest(feed: Path, db: Path, workers: int) -> dict[str, float]:
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    cpu = _cpu_seconds()
    started = time.perf_counter()
    report = ingest([feed], db, workers=workers, progress=sys.stderr.isatty())
    seconds = time.perf_counter() - started
    assert not report.errors, report.errors[:3]
    return {
        "written": report.written,
        "rate": report.written / seconds,
        "seconds": seconds,
        "cpu_ms_per_article": 1000 * (_cpu_seconds()[1] - cpu[1]) / report.written,
        # With workers, what the main process (reading, skipping, writing) costs.
        "main_cpu_ms_per_article": 1000 * (_cpu_seconds()[0] - cpu[0]) / report.written,
        # Other processes competing for the CPUs make the worker ratio meaningless: say so.
        "load_before": load,
        "load_after": os.getloadavg()[0],
    }


def time_queries(db: Path, runs: int = 5) -> dict[str, tuple[float, int]]:
    conn = connect(db, readonly=True)
    out = {}
    for name, run in QUERIES.items():
        rows = run(conn)  # warm-up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            run(conn)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = (statistics.median(times), len(rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10,000)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare"
    )
    parser.add_argument("--keep", type=Path, help="keep the last database at this path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsgraph-bench-"))
    feed = folder / "articles.jsonl"
    with feed.open("w") as stream:
        for article in generate(args.articles):
            stream.write(json.dumps(article) + "\n")
    runs = {}
    db = folder / "kb.db"
    for workers in args.workers:
        runs[workers] = run = time_ingest(feed, db, workers)
        print(f"ingest --workers {workers}: {run}", flush=True)
    timings = time_queries(db)
    conn = connect(db, readonly=True)
    counts = queries.summary(conn)["counts"]

    print(
        f"\n{args.articles:,} generated articles, {os.cpu_count()} CPUs; "
        f"database {db.stat().st_size / 1e6:.1f} MB; "
        f"{counts['duplicates']} syndicated copies, {counts['corpus_entities']} corpus entities, "
        f"{counts['figures']} figures\n"
    )
    print(
        "| ingest | articles/s | seconds | CPU ms/article (all processes) "
        "| of which main process | load average before, after |"
    )
    print("|---|---|---|---|---|---|")
    for workers, run in runs.items():
        print(
            f"| --workers {workers} | {run['rate']:.1f} | {run['seconds']:.0f} | "
            f"{run['cpu_ms_per_article']:.1f} | {run['main_cpu_ms_per_article']:.1f} | "
            f"{run['load_before']:.1f}, {run['load_after']:.1f} |"
        )
    if 1 in runs and 2 in runs:
        print(f"\nratio --workers 2 : 1 = {runs[2]['rate'] / runs[1]['rate']:.2f}x")
    print("\n| query | median ms | rows |\n|---|---|---|")
    for name, (ms, rows) in timings.items():
        print(f"| `{name}` | {ms:.1f} | {rows} |")
    if args.keep:
        conn.close()
        db.replace(args.keep)


if __name__ == "__main__":
    main()
