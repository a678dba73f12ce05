"""Speed and memory of the newsgraph pipeline, as a ratio to bare spaCy on the same documents.

    .venv/bin/python benchmarks/bench_pipeline.py [--docs 200] [--worker-docs 400] [--json out.json]

Measures, in one process and one run:
- bare en_core_web_sm `nlp.pipe` vs the full newsgraph pipeline `nlp.pipe` (docs/s, ratio),
- each component's share of the full pipeline's time (staged run: every component over all docs),
- peak RSS after each,
- `newsgraph.extract.extract` with 1 vs 2 worker processes (articles/s end to end, ratio),
- with `--long-chars N`, one article of N characters (news texts joined, up to the 1M-character
  limit): seconds per component against bare spaCy on it, which shows any lookup that grows
  with the length of the text once per mention.

Documents: the PolNeAR news texts in ../shared/eval (real news of ordinary length) when
present, else the sample corpus in examples/.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsgraph.extract import extract  # noqa: E402
from newsgraph.ingest import Article, read_inputs  # noqa: E402
from newsgraph.pipeline import build_pipeline, load_base_model, make_doc  # noqa: E402

NEWS_DIRS = [
    ROOT.parent / "shared/eval/polnear/train/text",
    ROOT.parent / "shared/eval/polnear/dev/text",
]


def load_texts(count: int) -> list[str]:
    texts: list[str] = []
    for folder in NEWS_DIRS:
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        texts = [a.text for a in read_inputs([ROOT / "examples"]) if isinstance(a, Article)]
    if not texts:
        raise SystemExit("no documents to benchmark")
    while len(texts) < count:
        texts += texts
    return texts[:count]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def docs_per_second(nlp, texts: Sequence[str], published: str | None = None) -> float:
    docs = [make_doc(nlp, t, published) for t in texts[:5]]
    list(nlp.pipe(docs))  # warm-up: lazy loads and caches
    start = time.perf_counter()
    docs = (make_doc(nlp, t, published) for t in texts)
    for _ in nlp.pipe(docs, batch_size=32):
        pass
    return len(texts) / (time.perf_counter() - start)


def component_shares(nlp, texts: Sequence[str], published: str | None) -> dict[str, float]:
    """Seconds each pipe spends over all docs, run stage by stage as nlp.pipe does."""
    seconds: dict[str, float] = {"tokenizer": 0.0}
    start = time.perf_counter()
    docs = [make_doc(nlp, t, published) for t in texts]
    seconds["tokenizer"] = time.perf_counter() - start
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=32))
        else:
            docs = [proc(doc) for doc in docs]
        seconds[name] = time.perf_counter() - start
    return seconds


def workers_throughput(nlp, texts: Sequence[str], workers: int) -> tuple[float, float]:
    """(articles/s end to end including worker start-up, seconds to the first record)."""
    articles = [Article(id=str(i), text=t, published="2016-11-01") for i, t in enumerate(texts)]
    start = time.perf_counter()
    first = None
    for _ in extract(articles, workers=workers, batch_size=16, nlp=nlp):
        if first is None:
            first = time.perf_counter() - start
    return len(articles) / (time.perf_counter() - start), first or 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs", type=int, default=200, help="documents for the bare/full comparison"
    )
    parser.add_argument(
        "--worker-docs", type=int, default=400, help="documents for the workers comparison"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating bare/full runs (median)")
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--long-chars", type=int, default=0, help="also time one article this long (0: no)"
    )
    args = parser.parse_args()

    texts = load_texts(max(args.docs, args.worker_docs))
    sample = texts[: args.docs]
    chars = sum(map(len, sample))
    results: dict[str, object] = {"docs": len(sample), "mean_chars": round(chars / len(sample))}

    bare = load_base_model()
    bare_rates = [docs_per_second(bare, sample)]
    results["bare_peak_rss_mb"] = peak_rss_mb()
    full = build_pipeline()
    full_rates = [docs_per_second(full, sample, "2016-11-01")]
    results["full_peak_rss_mb"] = peak_rss_mb()
    # Alternate the two so that load from elsewhere on the machine hits both alike.
    for _ in range(args.rounds - 1):
        bare_rates.append(docs_per_second(bare, sample))
        full_rates.append(docs_per_second(full, sample, "2016-11-01"))
    results["bare_docs_per_s"] = statistics.median(bare_rates)
    results["full_docs_per_s"] = statistics.median(full_rates)
    results["ratio_full_to_bare"] = results["full_docs_per_s"] / results["bare_docs_per_s"]

    seconds = component_shares(full, sample, "2016-11-01")
    total = sum(seconds.values())
    results["component_share"] = {name: s / total for name, s in seconds.items()}

    if not args.skip_workers:
        worker_texts = texts[: args.worker_docs]
        one, _ = workers_throughput(full, worker_texts, 1)
        two, first_two = workers_throughput(full, worker_texts, 2)
        results.update(
            worker_docs=len(worker_texts),
            workers1_docs_per_s=one,
            workers2_docs_per_s=two,
            workers_ratio=two / one,
            workers2_first_record_s=first_two,
            workers_peak_rss_mb_per_child=peak_rss_mb(resource.RUSAGE_CHILDREN),
        )

    if args.long_chars:
        long_text = "\n\n".join(load_texts(1 + args.long_chars // 2000))[: args.long_chars]
        for nlp in (bare, full):
            nlp.max_length = max(nlp.max_length, len(long_text) + 1)
        start = time.perf_counter()
        bare(long_text)
        bare_long = time.perf_counter() - start
        long_seconds = component_shares(full, [long_text], "2016-11-01")
        results["long"] = {
            "chars": len(long_text),
            "bare_s": bare_long,
            "full_s": sum(long_seconds.values()),
            "component_s": long_seconds,
        }

    r = results
    print(f"documents: {r['docs']} (mean {r['mean_chars']} characters)")
    print(f"bare spaCy    {r['bare_docs_per_s']:8.1f} docs/s, peak {r['bare_peak_rss_mb']:.0f} MB")
    print(f"full pipeline {r['full_docs_per_s']:8.1f} docs/s, peak {r['full_peak_rss_mb']:.0f} MB")
    print(f"ratio full/bare {results['ratio_full_to_bare']:.2f}")
    print("share of the full pipeline's time:")
    for name, share in results["component_share"].items():
        print(f"  {name:22s} {share * 100:5.1f}%")
    if not args.skip_workers:
        print(
            f"extract --workers 1 {results['workers1_docs_per_s']:.1f} docs/s, --workers 2 "
            f"{results['workers2_docs_per_s']:.1f} docs/s: {results['workers_ratio']:.2f}x "
            f"({r['worker_docs']} docs, first record after {r['workers2_first_record_s']:.1f} s; "
            f"peak RSS per worker {results['workers_peak_rss_mb_per_child']:.0f} MB)"
        )
    if args.long_chars:
        long = results["long"]
        print(
            f"one article of {long['chars']:,} characters: bare spaCy {long['bare_s']:.1f} s, "
            f"full pipeline {long['full_s']:.1f} s (ratio {long['bare_s'] / long['full_s']:.2f})"
        )
        for name, sec in long["component_s"].items():
            if name.startswith("newsgraph_"):
                print(f"  {name:22s} {sec:6.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
