"""Throughput of `newsgraph spark` in local mode: local[1] vs local[2] on the same input.

    .venv/bin/python benchmarks/bench_spark.py [--articles 600] [--partitions 8] [--repeat 1]
        [--json out.json]

In one run, on the same articles (JSON Lines):
- bare en_core_web_sm `nlp.pipe` and `newsgraph.extract` in this process (articles/s),
  the reference every Spark figure is a ratio to;
- the Spark job with `local[1]` and then `local[2]` (a new session each): a small warm-up
  job first (the Python workers load the pipeline once, then are reused), a tiny job to
  measure the fixed cost of a job (listing, counting, nine table writes), then the timed job.

Reported per master: end-to-end articles/s, and marginal articles/s (articles over the
time beyond the fixed cost), which is what a large corpus sees. The ratio local[2]/local[1]
is the speed-up of a second core; docs/scaling.md turns the marginal rate into a cluster
estimate.

Documents: the PolNeAR news texts in ../shared/eval (real news of ordinary length) when
present, else the sample corpus in examples/; repeated to the size asked, each copy with
its own id and a publication date spread over six months.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

# The same documents as the pipeline benchmark, so the two runs compare.
from bench_pipeline import load_texts  # noqa: E402

from newsgraph.extract import extract  # noqa: E402
from newsgraph.ingest import Article  # noqa: E402
from newsgraph.pipeline import build_pipeline, load_base_model  # noqa: E402


def write_corpus(path: Path, texts: list[str], prefix: str) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for i, text in enumerate(texts):
            published = f"2024-{1 + i % 6:02d}-{1 + i % 28:02d}"
            stream.write(
                json.dumps({"id": f"{prefix}-{i}", "text": text, "published": published}) + "\n"
            )


def in_process(texts: list[str]) -> dict[str, float]:
    """Bare spaCy and `newsgraph extract` (one process) on the same texts.

    Also per CPU-second of this process: on a shared machine wall time stretches with
    the other load, CPU time much less, so articles per CPU-second estimates the rate of
    a dedicated core.
    """
    bare = load_base_model()
    list(bare.pipe(texts[:5]))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in bare.pipe(texts, batch_size=32):
        pass
    bare_rate = len(texts) / (time.perf_counter() - start)
    bare_cpu_rate = len(texts) / (time.process_time() - cpu)
    nlp = build_pipeline()
    articles = [Article(id=str(i), text=t, published="2024-01-01") for i, t in enumerate(texts)]
    list(extract(articles[:5], nlp=nlp))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in extract(articles, nlp=nlp):
        pass
    extract_rate = len(texts) / (time.perf_counter() - start)
    extract_cpu_rate = len(texts) / (time.process_time() - cpu)
    return {
        "bare_spacy_articles_per_s": round(bare_rate, 2),
        "bare_spacy_articles_per_cpu_s": round(bare_cpu_rate, 2),
        "extract_articles_per_s": round(extract_rate, 2),
        "extract_articles_per_cpu_s": round(extract_cpu_rate, 2),
        "extract_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def spark_run(
    master: str,
    corpus: Path,
    tiny: Path,
    work: Path,
    partitions: int,
    articles: int,
    repeat: int = 1,
) -> dict[str, float]:
    from newsgraph.spark.job import create_session, run

    session = create_session(
        master,
        app_name=f"bench-{master}",
        conf={"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"},
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        cores = session.sparkContext.defaultParallelism
        # Warm-up: every core's Python worker loads the pipeline (then Spark reuses it).
        run(session, [str(tiny)], str(work / f"warm-{cores}"), partitions=2 * cores)
        fixed = run(session, [str(tiny)], str(work / f"fixed-{cores}"), partitions=partitions)
        # Best of `repeat` (the machine may be shared: the least disturbed run is the truest).
        seconds = float("inf")
        for attempt in range(repeat):
            start = time.perf_counter()
            summary = run(
                session, [str(corpus)], str(work / f"out-{cores}-{attempt}"), partitions=partitions
            )
            seconds = min(seconds, time.perf_counter() - start)
    finally:
        session.stop()
    assert summary.articles == articles, summary
    marginal = articles / max(seconds - fixed.seconds, 1e-9)
    return {
        "master": master,
        "seconds": round(seconds, 2),
        "fixed_seconds": round(fixed.seconds, 2),
        "articles_per_s": round(articles / seconds, 2),
        "marginal_articles_per_s": round(marginal, 2),
        "worker_peak_rss_mb": summary.worker_peak_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per master (best)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    texts = load_texts(args.articles)
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    try:
        corpus = work / "corpus.jsonl"
        tiny = work / "tiny.jsonl"
        write_corpus(corpus, texts, "bench")
        write_corpus(tiny, texts[:8], "tiny")
        chars = sum(len(t) for t in texts)
        results: dict[str, object] = {
            "articles": args.articles,
            "mean_chars": round(chars / len(texts)),
            "partitions": args.partitions,
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg()[0],
        }
        results.update(in_process(texts))  # the same documents as the Spark runs
        one = spark_run("local[1]", corpus, tiny, work, args.partitions, args.articles, args.repeat)
        two = spark_run("local[2]", corpus, tiny, work, args.partitions, args.articles, args.repeat)
        results["local[1]"] = one
        results["local[2]"] = two
        results["speedup_end_to_end"] = round(two["articles_per_s"] / one["articles_per_s"], 2)
        results["speedup_marginal"] = round(
            two["marginal_articles_per_s"] / one["marginal_articles_per_s"], 2
        )
        results["local1_vs_extract"] = round(
            one["marginal_articles_per_s"] / results["extract_articles_per_s"], 2
        )
        results["load_average_at_end"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
